// Tests of the shared serial core (userland/drivers/serial/serial_port.hpp)
// through the generated dev::serial dispatch, over a fake UART and a fake
// server loop: reads held open until the receive interrupt brings bytes,
// several readers answered in order, the receive buffer's overflow counted,
// writes, the kernel log's newline translation, settings, malformed requests.
#include <catch2/catch_test_macros.hpp>

#include "serial_fakes.hpp"

namespace {

using namespace serial_test;
namespace dev = vesta::proto::dev;
namespace io = vesta::proto::io;
using vesta::serial::SerialPort;

struct Fixture {
    FakeUart uart;
    FakeHost host;
    SerialPort port{uart, host};
    ipc::Message reply;

    Fixture() { REQUIRE(port.start(LineSettings{}).ok()); }

    // A request through dispatch, as the server loop hands it over.
    ipc::Message request(uint64_t label, std::initializer_list<uint64_t> words, const ipc::CapList& caps = {}) {
        return serial_test::make_request(label, words, caps);
    }
    void call(const ipc::Message& message) {
        reply = ipc::Message{};
        dev::serial::dispatch(port, message, reply);
    }
    // read{pages}(buf, amt) through dispatch; returns the reply's label.
    uint64_t read(const ipc::CapList& pages, uint64_t buf, uint64_t amt) {
        call(request(io::file::label::read, {buf, amt}, pages));
        return reply.tag.label();
    }
    uint64_t write(const ipc::CapList& pages, uint64_t buf, uint64_t amt) {
        call(request(io::file::label::write, {buf, amt}, pages));
        return reply.tag.label();
    }
    static uint64_t label_of(ipc::Status status) { return status.label(); }
};

const uint64_t kDeferred = ipc::Status(vesta::serial::kDeferredRead).label();

TEST_CASE("serial port: start programs the line and enables the receive interrupt", "[serial]") {
    Fixture f;
    CHECK(f.uart.configured == 1);
    CHECK(f.uart.interrupt_enabled);
    CHECK(f.uart.programmed == LineSettings{});
}

TEST_CASE("serial port: a read with bytes buffered returns them at once", "[serial]") {
    Fixture f;
    f.uart.type("hello");
    f.port.receive();
    const ipc::CapList page = f.host.page_list({10});
    REQUIRE(f.read(page, 100, 3) == 0);
    CHECK(f.reply.tag.words() == 1);
    CHECK(f.reply.words[0] == 3);
    CHECK(f.host.text(10, 100, 3) == "hel");
    REQUIRE(f.read(page, 0, 64) == 0);
    CHECK(f.reply.words[0] == 2);
    CHECK(f.host.text(10, 0, 2) == "lo");
    CHECK(f.port.buffered() == 0);
}

TEST_CASE("serial port: a read with nothing received is held and answered when the interrupt brings bytes",
          "[serial]") {
    Fixture f;
    const ipc::CapList page = f.host.page_list({10});
    REQUIRE(f.read(page, 8, 16) == kDeferred);
    CHECK(f.port.pending_reads() == 1);
    CHECK(f.host.answers.empty());
    f.port.receive(); // a spurious interrupt: nothing to answer with
    CHECK(f.host.answers.empty());
    f.uart.type("ab");
    f.port.receive();
    REQUIRE(f.host.answers.size() == 1);
    const ipc::Message& answer = f.host.answers.begin()->second;
    CHECK(answer.tag.label() == 0);
    CHECK(answer.words[0] == 2);
    CHECK(f.host.text(10, 8, 2) == "ab");
    CHECK(f.port.pending_reads() == 0);
    CHECK(f.port.buffered() == 0);
}

TEST_CASE("serial port: readers held open are answered in order, each up to its amount", "[serial]") {
    Fixture f;
    const ipc::CapList a = f.host.page_list({1}), b = f.host.page_list({2}), c = f.host.page_list({3});
    REQUIRE(f.read(a, 0, 2) == kDeferred);
    REQUIRE(f.read(b, 0, 3) == kDeferred);
    REQUIRE(f.read(c, 0, 100) == kDeferred);
    f.uart.type("123456789");
    f.port.receive();
    REQUIRE(f.host.answer_order.size() == 3);
    CHECK(f.host.answers[f.host.answer_order[0]].words[0] == 2);
    CHECK(f.host.answers[f.host.answer_order[1]].words[0] == 3);
    CHECK(f.host.answers[f.host.answer_order[2]].words[0] == 4);
    CHECK(f.host.answer_order[0] < f.host.answer_order[1]);
    CHECK(f.host.answer_order[1] < f.host.answer_order[2]);
    CHECK(f.host.text(1, 0, 2) == "12");
    CHECK(f.host.text(2, 0, 3) == "345");
    CHECK(f.host.text(3, 0, 4) == "6789");
}

TEST_CASE("serial port: bytes beyond the waiting readers stay buffered for the next read", "[serial]") {
    Fixture f;
    const ipc::CapList a = f.host.page_list({1});
    REQUIRE(f.read(a, 0, 2) == kDeferred);
    f.uart.type("xyz");
    f.port.receive();
    CHECK(f.host.text(1, 0, 2) == "xy");
    CHECK(f.port.buffered() == 1);
    REQUIRE(f.read(a, 0, 10) == 0);
    CHECK(f.reply.words[0] == 1);
    CHECK(f.host.text(1, 0, 1) == "z");
}

TEST_CASE("serial port: a burst much larger than the FIFO reaches the reader whole and in order", "[serial]") {
    Fixture f;
    std::string burst;
    for (int i = 0; i < 200; ++i) burst.push_back(static_cast<char>('!' + i % 90));
    f.uart.type(burst); // 16 bytes in the FIFO, the rest on the line
    f.port.receive();   // one interrupt: drained until the FIFO stays empty
    CHECK(f.uart.line.empty());
    const ipc::CapList page = f.host.page_list({4});
    REQUIRE(f.read(page, 0, 4096) == 0);
    CHECK(f.reply.words[0] == 200);
    CHECK(f.host.text(4, 0, 200) == burst);
    CHECK(f.port.dropped() == 0);
}

TEST_CASE("serial port: an overflowing receive buffer counts its drops and keeps the oldest bytes", "[serial]") {
    Fixture f;
    const size_t capacity = vesta::serial::ReceiveBuffer::kCapacity;
    std::string typed;
    for (size_t i = 0; i < capacity + 37; ++i) typed.push_back(static_cast<char>('a' + i % 26));
    f.uart.type(typed);
    f.port.receive();
    CHECK(f.port.buffered() == capacity);
    CHECK(f.port.dropped() == 37);
    CHECK(f.port.take_new_drops() == 37);
    CHECK(f.port.take_new_drops() == 0); // reported once
    const ipc::CapList page = f.host.page_list({5});
    REQUIRE(f.read(page, 0, 4096) == 0);
    CHECK(f.reply.words[0] == capacity);
    CHECK(f.host.text(5, 0, capacity) == typed.substr(0, capacity));
    f.uart.type("more");
    f.port.receive();
    CHECK(f.port.dropped() == 37);
    CHECK(f.port.take_new_drops() == 0);
}

TEST_CASE("serial port: reads of nothing, without pages, and beyond the holding limit", "[serial]") {
    Fixture f;
    const ipc::CapList page = f.host.page_list({1});
    REQUIRE(f.read(page, 0, 0) == 0);
    CHECK(f.reply.words[0] == 0);
    CHECK(f.read({}, 0, 5) == f.label_of(Error::InvalidArgument));
    for (size_t i = 0; i < SerialPort::kMaxPendingReads; ++i) {
        f.host.capacity = 100;
        REQUIRE(f.read(page, 0, 1) == kDeferred);
    }
    CHECK(f.read(page, 0, 1) == f.label_of(io::busy));
    CHECK(f.port.pending_reads() == SerialPort::kMaxPendingReads);
}

TEST_CASE("serial port: when the loop can hold no more calls a read is busy", "[serial]") {
    Fixture f;
    f.host.capacity = 1;
    const ipc::CapList page = f.host.page_list({1});
    REQUIRE(f.read(page, 0, 1) == kDeferred);
    CHECK(f.read(page, 0, 1) == f.label_of(io::busy));
    CHECK(f.port.pending_reads() == 1);
}

TEST_CASE("serial port: held readers that went away make way when the holding limit is reached", "[serial]") {
    Fixture f;
    f.host.capacity = 100;
    const ipc::CapList page = f.host.page_list({1});
    std::vector<vesta::serial::PortHost::CallToken> calls;
    for (size_t i = 0; i < SerialPort::kMaxPendingReads; ++i) {
        REQUIRE(f.read(page, 0, 1) == kDeferred);
        calls.push_back(*f.host.held.rbegin());
    }
    CHECK(f.read(page, 0, 1) == f.label_of(io::busy));
    f.host.gone.insert(calls[2]);
    f.host.gone.insert(calls[5]);
    REQUIRE(f.read(page, 0, 1) == kDeferred); // two let go, this one held
    const auto newest = *f.host.held.rbegin();
    CHECK(f.host.let_go == 2);
    CHECK(f.port.pending_reads() == SerialPort::kMaxPendingReads - 1);
    // The readers still waiting are answered in their order, the newest last.
    f.uart.type("abcdefgh");
    f.port.receive();
    REQUIRE(f.host.answer_order.size() == SerialPort::kMaxPendingReads - 1);
    CHECK(f.host.answer_order[0] == calls[0]);
    CHECK(f.host.answer_order[2] == calls[3]);
    CHECK(f.host.answer_order[4] == calls[6]);
    CHECK(f.host.answer_order.back() == newest);
}

TEST_CASE("serial port: when the loop's Reply objects are held by readers that went away, they make way", "[serial]") {
    Fixture f;
    f.host.capacity = 1;
    const ipc::CapList page = f.host.page_list({1});
    REQUIRE(f.read(page, 0, 1) == kDeferred);
    f.host.gone.insert(*f.host.held.begin());
    REQUIRE(f.read(page, 0, 1) == kDeferred);
    CHECK(f.host.let_go == 1);
    CHECK(f.port.pending_reads() == 1);
}

TEST_CASE("serial port: a held reader that went away takes no bytes", "[serial]") {
    Fixture f;
    const ipc::CapList a = f.host.page_list({1}), b = f.host.page_list({2});
    REQUIRE(f.read(a, 0, 10) == kDeferred);
    f.host.gone.insert(*f.host.held.begin());
    REQUIRE(f.read(b, 0, 10) == kDeferred);
    f.uart.type("kept");
    f.port.receive();
    REQUIRE(f.host.answer_order.size() == 1);
    CHECK(f.host.answers[f.host.answer_order[0]].words[0] == 4);
    CHECK(f.host.text(2, 0, 4) == "kept");
}

TEST_CASE("serial port: a held reader whose pages fail gets the error; its bytes go to the next", "[serial]") {
    Fixture f;
    const ipc::CapList bad = f.host.page_list({1}), good = f.host.page_list({2});
    f.host.unmappable.insert(1);
    REQUIRE(f.read(bad, 0, 10) == kDeferred);
    REQUIRE(f.read(good, 0, 10) == kDeferred);
    f.uart.type("ok");
    f.port.receive();
    REQUIRE(f.host.answer_order.size() == 2);
    CHECK(f.host.answers[f.host.answer_order[0]].tag.label() == f.label_of(Error::InvalidCapability));
    CHECK(f.host.answers[f.host.answer_order[1]].words[0] == 2);
    CHECK(f.host.text(2, 0, 2) == "ok");
}

TEST_CASE("serial port: an immediate read into a buffer beyond its page fails and keeps the bytes", "[serial]") {
    Fixture f;
    f.uart.type("q");
    f.port.receive();
    const ipc::CapList page = f.host.page_list({1});
    CHECK(f.read(page, FakeHost::kPage, 1) == f.label_of(Error::InvalidArgument));
    CHECK(f.port.buffered() == 1);
}

TEST_CASE("serial port: write sends the caller's bytes as they are, across pages", "[serial]") {
    Fixture f;
    const ipc::CapList pages = f.host.page_list({1, 2});
    std::string text = "line one\nline two\r\n";
    f.host.put(1, FakeHost::kPage - 5, text.substr(0, 5));
    f.host.put(2, 0, text.substr(5));
    REQUIRE(f.write(pages, FakeHost::kPage - 5, text.size()) == 0);
    CHECK(f.reply.words[0] == text.size());
    CHECK(f.uart.sent == text); // no newline translation on io::file writes
    REQUIRE(f.write(pages, 0, 0) == 0);
    CHECK(f.reply.words[0] == 0);
}

TEST_CASE("serial port: a write longer than its pages sends what the pages hold", "[serial]") {
    Fixture f;
    const ipc::CapList page = f.host.page_list({1});
    f.host.put(1, FakeHost::kPage - 3, "end");
    REQUIRE(f.write(page, FakeHost::kPage - 3, 100) == 0);
    CHECK(f.reply.words[0] == 3);
    CHECK(f.uart.sent == "end");
}

TEST_CASE("serial port: a stuck transmitter is an I/O error, or a short write after some bytes", "[serial]") {
    Fixture f;
    const ipc::CapList page = f.host.page_list({1});
    f.host.put(1, 0, "abcdef");
    f.uart.stuck = true;
    CHECK(f.write(page, 0, 6) == f.label_of(io::io_error));
    f.uart.stuck = false;
    f.uart.stuck_after = 4;
    REQUIRE(f.write(page, 0, 6) == 0);
    CHECK(f.reply.words[0] == 4);
    CHECK(f.uart.sent == "abcd");
}

TEST_CASE("serial port: write and read without usable pages are errors", "[serial]") {
    Fixture f;
    CHECK(f.write({}, 0, 3) == f.label_of(Error::InvalidArgument));
    const ipc::CapList page = f.host.page_list({1});
    f.host.unmappable.insert(1);
    CHECK(f.write(page, 0, 3) == f.label_of(Error::InvalidCapability));
    CHECK(f.uart.sent.empty());
}

TEST_CASE("serial port: the kernel log goes out with LF as CR LF", "[serial]") {
    Fixture f;
    const std::string log = "vesta: one\nvesta: two\n";
    CHECK(f.port.write_text(log.data(), log.size()));
    CHECK(f.uart.sent == "vesta: one\r\nvesta: two\r\n");
    f.uart.stuck = true;
    CHECK_FALSE(f.port.write_text("x", 1));
}

TEST_CASE("serial port: settings the UART supports change; others are unsupported and change nothing", "[serial]") {
    Fixture f;
    auto handler = [&](ipc::Slot, const ipc::Message& request, ipc::Message& answer) {
        dev::serial::dispatch(f.port, request, answer);
    };
    ipc::InMemoryTransport transport(handler);
    dev::serial::Client client(transport, 1);
    CHECK(client.get_baud().value() == 115200);
    CHECK(client.get_char_length().value() == dev::char_length::EIGHT);
    CHECK(client.get_stop_bits().value() == dev::stop_bits::ONE);
    CHECK(client.get_parity().value() == dev::parity::NONE);

    REQUIRE(client.set_baud(9600).ok());
    CHECK(client.get_baud().value() == 9600);
    CHECK(f.uart.programmed.baud == 9600);
    CHECK(client.set_baud(1000).error() == ipc::Status(dev::unsupported));
    CHECK(client.get_baud().value() == 9600);
    CHECK(f.uart.programmed.baud == 9600);

    REQUIRE(client.set_char_length(dev::char_length::SEVEN).ok());
    REQUIRE(client.set_stop_bits(dev::stop_bits::TWO).ok());
    REQUIRE(client.set_parity(dev::parity::EVEN).ok());
    CHECK(client.set_parity(dev::parity::MARK).error() == ipc::Status(dev::unsupported));
    CHECK(client.get_parity().value() == dev::parity::EVEN);
    const LineSettings expected{9600, dev::char_length::SEVEN, dev::stop_bits::TWO, dev::parity::EVEN};
    CHECK(f.port.settings() == expected);
    CHECK(f.uart.programmed == expected);
    CHECK(client.seek(0, io::whence::SET).error() == ipc::Status(io::unseekable));
}

TEST_CASE("serial port: malformed requests get error replies and change nothing", "[serial]") {
    Fixture f;
    const ipc::CapList page = f.host.page_list({1});
    // An unknown label.
    f.call(f.request(dev::serial::label::get_parity + 100, {}));
    CHECK(f.reply.tag.label() == f.label_of(Error::NotSupported));
    // Wrong word counts.
    f.call(f.request(dev::serial::label::set_baud, {}));
    CHECK(f.reply.tag.label() == f.label_of(Error::Malformed));
    f.call(f.request(io::file::label::read, {0}, page));
    CHECK(f.reply.tag.label() == f.label_of(Error::Malformed));
    // Values outside their types.
    f.call(f.request(dev::serial::label::set_char_length, {9}));
    CHECK(f.reply.tag.label() == f.label_of(Error::InvalidArgument));
    f.call(f.request(dev::serial::label::set_baud, {uint64_t{1} << 40}));
    CHECK(f.reply.tag.label() == f.label_of(Error::InvalidArgument));
    f.call(f.request(dev::serial::label::set_parity, {7}));
    CHECK(f.reply.tag.label() == f.label_of(Error::InvalidArgument));
    CHECK(f.port.settings() == LineSettings{});
    CHECK(f.uart.configured == 1);
    CHECK(f.port.pending_reads() == 0);
    CHECK(f.host.held.empty());
}

} // namespace

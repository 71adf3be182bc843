// Hand-written tests of the generated code and the IPC runtime, on
// dev::serial: a readable round trip, then every way a request or a reply
// can be malformed. (Every call of every protocol is also round-tripped by
// the generated *.ipc.test.cpp files.)
#include <catch2/catch_test_macros.hpp>
#include <dev/serial.ipc.hpp>
#include <fs/fs.ipc.hpp>
#include <lib/result.hpp>

namespace serial = vesta::proto::dev::serial;
namespace dev = vesta::proto::dev;
namespace io = vesta::proto::io;
using vesta::Error;
using vesta::MessageTag;
using vesta::ipc::CapList;
using vesta::ipc::Message;
using vesta::ipc::Result;
using vesta::ipc::Slot;

namespace {

// A UART model: settings plus a byte counter.
struct Uart {
    uint32_t baud = 9600;
    dev::parity parity = dev::parity::NONE;
    dev::char_length length = dev::char_length::EIGHT;
    dev::stop_bits stop = dev::stop_bits::ONE;
    CapList last_pages;
    size_t written = 0;

    Result<size_t> read(const CapList& pages, uintptr_t, size_t amt) {
        last_pages = pages;
        if (amt > 4096) return io::busy;
        return amt / 2;
    }
    Result<size_t> write(const CapList& pages, uintptr_t, size_t amt) {
        last_pages = pages;
        written += amt;
        return amt;
    }
    Result<uint64_t> seek(int64_t, io::whence) { return io::unseekable; }
    Result<void> set_baud(uint32_t rate) {
        if (rate == 0 || rate > 4000000) return dev::unsupported;
        baud = rate;
        return {};
    }
    Result<uint32_t> get_baud() { return baud; }
    Result<void> set_char_length(dev::char_length value) {
        length = value;
        return {};
    }
    Result<dev::char_length> get_char_length() { return length; }
    Result<void> set_stop_bits(dev::stop_bits value) {
        stop = value;
        return {};
    }
    Result<dev::stop_bits> get_stop_bits() { return stop; }
    Result<void> set_parity(dev::parity value) {
        parity = value;
        return {};
    }
    Result<dev::parity> get_parity() { return parity; }
};
static_assert(serial::Server<Uart>);
static_assert(io::file::Server<Uart>);

Message request(uint64_t label, size_t words, size_t caps) {
    Message message{};
    message.tag = MessageTag::make(label, words, caps);
    return message;
}

vesta::ipc::Status reply_status(const Message& reply) { return vesta::ipc::Status::from_label(reply.tag.label()); }

// A transport that answers every call with a fixed reply.
struct CannedTransport {
    Message reply{};
    Error failure = Error::None;
    int calls = 0;
    Error call(Slot, Message& message) {
        ++calls;
        if (failure != Error::None) return failure;
        message = reply;
        return Error::None;
    }
};
static_assert(vesta::ipc::Transport<CannedTransport>);

} // namespace

TEST_CASE("serial round trip through the in-memory transport", "[idl][runtime]") {
    Uart uart;
    vesta::ipc::InMemoryTransport transport{
        [&](Slot, const Message& in, Message& out) { serial::dispatch(uart, in, out); }};
    serial::Client client(transport, 3);
    REQUIRE(client.set_baud(115200).ok());
    CHECK(uart.baud == 115200);
    CHECK(client.get_baud().value() == 115200);
    auto refused = client.set_baud(0);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error() == dev::unsupported);
    CHECK(refused.error().is_protocol_error());
    CHECK(uart.baud == 115200);

    REQUIRE(client.set_parity(dev::parity::MARK).ok());
    CHECK(client.get_parity().value() == dev::parity::MARK);
    REQUIRE(client.set_char_length(dev::char_length::SEVEN).ok());
    CHECK(client.get_char_length().value() == dev::char_length::SEVEN);
    REQUIRE(client.set_stop_bits(dev::stop_bits::TWO).ok());
    CHECK(client.get_stop_bits().value() == dev::stop_bits::TWO);

    // Inherited io::file calls, through the derived client and as a base client.
    CHECK(client.write(CapList{{40, 41}, 2}, 0x10, 100).value() == 100);
    CHECK(uart.last_pages == CapList{{40, 41}, 2});
    io::file::Client<decltype(transport)>& as_file = client;
    CHECK(as_file.read(CapList{}, 0, 64).value() == 32);
    CHECK(as_file.read(CapList{}, 0, 8192).error() == io::busy);
    CHECK(as_file.seek(-5, io::whence::END).error() == io::unseekable);
}

TEST_CASE("TRY propagates protocol errors", "[idl][runtime]") {
    Uart uart;
    vesta::ipc::InMemoryTransport transport{
        [&](Slot, const Message& in, Message& out) { serial::dispatch(uart, in, out); }};
    serial::Client client(transport, 3);
    auto double_baud = [&](uint32_t rate) -> Result<uint32_t> {
        TRY(client.set_baud(rate));
        uint32_t now = TRY(client.get_baud());
        return now * 2;
    };
    CHECK(double_baud(300).value() == 600);
    CHECK(double_baud(0).error() == dev::unsupported);
}

TEST_CASE("dispatch rejects malformed requests with an error reply", "[idl][runtime]") {
    Uart uart;
    Message reply{};
    SECTION("reserved tag bits") {
        Message bad = request(serial::label::get_baud, 0, 0);
        bad.tag.raw |= 1u << 12;
        CHECK(serial::dispatch(uart, bad, reply));
        CHECK(reply_status(reply) == Error::Malformed);
    }
    SECTION("reserved tag bits on a call with a capability list") {
        Message bad = request(io::file::label::write, 2, 1);
        bad.tag.raw |= 1u << 13;
        CHECK(serial::dispatch(uart, bad, reply));
        CHECK(reply_status(reply) == Error::Malformed);
    }
    SECTION("more capabilities than the format allows") {
        Message bad = request(io::file::label::write, 2, 0);
        bad.tag.raw |= 5u << 8;
        CHECK(serial::dispatch(uart, bad, reply));
        CHECK(reply_status(reply) == Error::Malformed);
    }
    SECTION("too many words for the format") {
        Message bad = request(serial::label::get_baud, 0, 0);
        bad.tag.raw |= 33;
        CHECK(serial::dispatch(uart, bad, reply));
        CHECK(reply_status(reply) == Error::Malformed);
    }
    SECTION("unknown label") {
        CHECK_FALSE(serial::dispatch(uart, request(serial::label::get_parity + 1, 0, 0), reply));
        CHECK(reply_status(reply) == Error::NotSupported);
        CHECK_FALSE(serial::dispatch(uart, request(vesta::proto::fs::fs::label::open, 2, 1), reply));
        CHECK(reply_status(reply) == Error::NotSupported);
    }
    SECTION("a base interface does not answer the derived calls") {
        CHECK_FALSE(io::file::dispatch(uart, request(serial::label::get_baud, 0, 0), reply));
        CHECK(reply_status(reply) == Error::NotSupported);
    }
    SECTION("wrong argument count") {
        CHECK(serial::dispatch(uart, request(serial::label::set_baud, 0, 0), reply));
        CHECK(reply_status(reply) == Error::Malformed);
        CHECK(serial::dispatch(uart, request(serial::label::set_baud, 2, 0), reply));
        CHECK(reply_status(reply) == Error::Malformed);
    }
    SECTION("wrong capability count") {
        Message bad = request(serial::label::set_baud, 1, 1);
        bad.words[0] = 9600;
        CHECK(serial::dispatch(uart, bad, reply));
        CHECK(reply_status(reply) == Error::Malformed);
    }
    SECTION("argument out of its type's range") {
        Message bad = request(serial::label::set_baud, 1, 0);
        bad.words[0] = uint64_t{1} << 32;
        CHECK(serial::dispatch(uart, bad, reply));
        CHECK(reply_status(reply) == Error::InvalidArgument);
        CHECK(uart.baud == 9600);
    }
    SECTION("undeclared enumerator") {
        Message bad = request(serial::label::set_parity, 1, 0);
        bad.words[0] = 5;
        CHECK(serial::dispatch(uart, bad, reply));
        CHECK(reply_status(reply) == Error::InvalidArgument);
        bad = request(serial::label::set_char_length, 1, 0);
        bad.words[0] = 4;
        CHECK(serial::dispatch(uart, bad, reply));
        CHECK(reply_status(reply) == Error::InvalidArgument);
    }
    SECTION("signed argument that is not a sign-extended i64") {
        Message good = request(io::file::label::seek, 2, 0);
        good.words[0] = ~uint64_t{0}; // -1
        good.words[1] = 1;            // CUR
        CHECK(serial::dispatch(uart, good, reply));
        CHECK(reply_status(reply) == io::unseekable); // decoded fine, refused by the server
    }
    SECTION("variable-length capability list of any length up to the limit") {
        Message ok = request(io::file::label::write, 2, 4);
        ok.words[0] = 0;
        ok.words[1] = 7;
        for (int i = 0; i < 4; ++i) ok.caps[i] = 50u + static_cast<Slot>(i);
        CHECK(serial::dispatch(uart, ok, reply));
        CHECK(reply.tag.label() == 0);
        CHECK(reply.tag.words() == 1);
        CHECK(reply.words[0] == 7);
        CHECK(uart.last_pages == CapList{{50, 51, 52, 53}, 4});
    }
}

TEST_CASE("clients reject malformed replies", "[idl][runtime]") {
    CannedTransport transport;
    serial::Client client(transport, 1);
    SECTION("transport failure") {
        transport.failure = Error::PeerGone;
        CHECK(client.get_baud().error() == Error::PeerGone);
    }
    SECTION("label outside the encoding") {
        transport.reply.tag = MessageTag::make(uint64_t{1} << 40, 0, 0);
        CHECK(client.get_baud().error() == Error::Malformed);
    }
    SECTION("protocol error the call does not declare") {
        transport.reply.tag = MessageTag::make(vesta::ipc::Status(io::busy).label(), 0, 0);
        CHECK(client.set_baud(1).error() == Error::Malformed);
        CHECK(client.get_baud().error() == Error::Malformed);
    }
    SECTION("ABI errors pass through") {
        transport.reply.tag = MessageTag::make(static_cast<uint64_t>(Error::OutOfMemory), 0, 0);
        CHECK(client.get_baud().error() == Error::OutOfMemory);
    }
    SECTION("wrong word count") {
        transport.reply.tag = MessageTag::make(0, 0, 0);
        CHECK(client.get_baud().error() == Error::Malformed);
        transport.reply.tag = MessageTag::make(0, 1, 0);
        CHECK(client.set_baud(1).error() == Error::Malformed);
    }
    SECTION("unexpected capabilities") {
        transport.reply.tag = MessageTag::make(0, 1, 1);
        CHECK(client.get_baud().error() == Error::Malformed);
    }
    SECTION("result out of range") {
        transport.reply.tag = MessageTag::make(0, 1, 0);
        transport.reply.words[0] = 9;
        CHECK(client.get_parity().error() == Error::Malformed);
        transport.reply.words[0] = uint64_t{1} << 33;
        CHECK(client.get_baud().error() == Error::Malformed);
    }
    SECTION("invalid reply tag") {
        transport.reply.tag.raw = 0xf000;
        CHECK(client.get_baud().error() == Error::Malformed);
    }
    SECTION("too many capabilities for a variable-length list: refused before sending") {
        CapList too_many{{1, 2, 3, 4}, 5};
        CHECK(client.read(too_many, 0, 1).error() == Error::InvalidArgument);
        CHECK(transport.calls == 0);
    }
}

TEST_CASE("a server's undeclared protocol error reaches the client as Malformed", "[idl][runtime]") {
    struct Rogue : Uart {
        Result<uint32_t> get_baud() { return io::busy; } // not declared by get_baud
    } rogue;
    Message reply{};
    CHECK(serial::dispatch(rogue, request(serial::label::get_baud, 0, 0), reply));
    CHECK(reply_status(reply) == Error::Malformed);
}

TEST_CASE("scalar codec", "[idl][runtime]") {
    using vesta::ipc::decode;
    using vesta::ipc::encode;
    CHECK(encode(int8_t{-1}) == ~uint64_t{0});
    CHECK(encode(uint8_t{255}) == 255);
    CHECK(encode(true) == 1);
    CHECK(encode(dev::parity::EVEN) == 2);
    int8_t small = 0;
    CHECK(decode(~uint64_t{0}, small));
    CHECK(small == -1);
    CHECK_FALSE(decode(0xff, small)); // 255 is not a sign-extended i8
    uint8_t byte = 0;
    CHECK_FALSE(decode(256, byte));
    bool flag = false;
    CHECK_FALSE(decode(2, flag));
    CHECK(decode(1, flag));
    CHECK(flag);
    int64_t wide = 0;
    CHECK(decode(uint64_t{1} << 63, wide));
    CHECK(wide == INT64_MIN);
}

TEST_CASE("status encoding keeps ABI and protocol errors apart", "[idl][runtime]") {
    using vesta::ipc::Status;
    CHECK(Status().ok());
    CHECK(Status(Error::Busy).label() == static_cast<uint64_t>(Error::Busy));
    CHECK(Status(Error::Busy) != Status(io::busy));
    CHECK(Status(io::busy).label() == (uint64_t{1} << 32 | io::busy.code));
    CHECK(Status(io::busy).abi_error() == Error::None);
    CHECK(Status::from_label(uint64_t{3} << 32) == Error::Malformed);
    CHECK(Status::from_label(vesta::kMaxLabel) == Error::Malformed);
}

TEST_CASE("reply encoders build what dispatch sends, for answering deferred calls", "[idl][runtime]") {
    // A value: label 0, the value in word 0.
    Message reply{};
    io::file::reply::read(reply, size_t{12});
    CHECK(reply.tag.raw == MessageTag::make(0, 1, 0).raw);
    CHECK(reply.words[0] == 12);
    // A declared protocol error and an ABI error travel as such.
    io::file::reply::read(reply, io::busy);
    CHECK(reply_status(reply) == io::busy);
    CHECK(reply.tag.words() == 0);
    io::file::reply::read(reply, Error::PeerGone);
    CHECK(reply_status(reply) == Error::PeerGone);
    // An undeclared one becomes Malformed, as dispatch makes it.
    io::file::reply::read(reply, io::unseekable);
    CHECK(reply_status(reply) == Error::Malformed);
    // void results, enums, and outbound capabilities.
    serial::reply::set_baud(reply, Result<void>{});
    CHECK(reply.tag.raw == MessageTag::make(0, 0, 0).raw);
    serial::reply::get_parity(reply, dev::parity::MARK);
    CHECK(reply.tag.words() == 1);
    CHECK(reply.words[0] == static_cast<uint64_t>(dev::parity::MARK));
    namespace fs = vesta::proto::fs;
    fs::fs::reply::open(reply, fs::fs::open_reply{Slot{77}});
    CHECK(reply.tag.raw == MessageTag::make(0, 0, 1).raw);
    CHECK(reply.caps[0] == 77);
    // What a client stub makes of an encoded reply: the value it carried.
    vesta::ipc::InMemoryTransport transport(
        [&](Slot, const Message&, Message& out) { io::file::reply::read(out, size_t{5}); });
    auto read = io::file::read(transport, 1, CapList{}, 0, 100);
    REQUIRE(read.ok());
    CHECK(read.value() == 5);
}

// Tests of userland/drivers/keyboard/keyboard_device: dev::keyboard through
// the generated dispatch over the serial tests' fake host — one held read,
// whole keys per read, the buffer's limit and the dropped count, readers
// that went away or whose pages fail, write and seek refused.
#include <catch2/catch_test_macros.hpp>

#include "keyboard_device.hpp"
#include "serial_fakes.hpp"

namespace {

using namespace serial_test;
namespace kb = vesta::proto::dev::keyboard;
namespace io = vesta::proto::io;
using keyboard::KeyboardDevice;

keyboard::KeyBytes typed(const std::string& text) {
    keyboard::KeyBytes bytes;
    bytes.outcome = keyboard::KeyOutcome::Typed;
    bytes.length = static_cast<uint8_t>(text.size());
    for (size_t i = 0; i < text.size(); ++i) bytes.bytes[i] = static_cast<uint8_t>(text[i]);
    return bytes;
}

struct Fixture {
    FakeHost host;
    KeyboardDevice device{host};
    ipc::Message reply;

    static ipc::Message request(uint64_t label, std::initializer_list<uint64_t> words, const ipc::CapList& caps = {}) {
        return make_request(label, words, caps);
    }
    uint64_t call(const ipc::Message& message) {
        reply = ipc::Message{};
        kb::dispatch(device, message, reply);
        return reply.tag.label();
    }
    uint64_t read(const ipc::CapList& pages, uint64_t buf, uint64_t amt) {
        return call(request(io::file::label::read, {buf, amt}, pages));
    }
    void type(std::initializer_list<std::string> keys) {
        for (const std::string& k : keys) device.key(typed(k));
    }
};

const uint64_t kDeferred = ipc::Status(vesta::serial::kDeferredRead).label();
uint64_t label_of(ipc::Status status) { return status.label(); }

} // namespace

TEST_CASE("keyboard device: a read with keys buffered returns them at once") {
    Fixture f;
    const auto page = f.host.page_list({5});
    f.type({"a", "b"});
    REQUIRE(f.read(page, 10, 64) == 0);
    CHECK(f.reply.words[0] == 2);
    CHECK(f.host.text(5, 10, 2) == "ab");
    CHECK(f.device.buffered() == 0);
}

TEST_CASE("keyboard device: a read with nothing typed is held and answered by the next key") {
    Fixture f;
    const auto page = f.host.page_list({5});
    REQUIRE(f.read(page, 0, 16) == kDeferred);
    CHECK(f.device.read_pending());
    f.type({"\x1b[A"});
    REQUIRE(f.host.answer_order.size() == 1);
    const ipc::Message& answer = f.host.answers.at(f.host.answer_order[0]);
    CHECK(answer.tag.label() == 0);
    CHECK(answer.words[0] == 3);
    CHECK(f.host.text(5, 0, 3) == "\x1b[A");
    CHECK(!f.device.read_pending());
    CHECK(f.device.buffered() == 0);
}

TEST_CASE("keyboard device: one read waits at a time; a second is busy") {
    Fixture f;
    const auto page = f.host.page_list({5});
    REQUIRE(f.read(page, 0, 16) == kDeferred);
    CHECK(f.read(page, 0, 16) == label_of(io::busy));
    f.host.capacity = 0; // no Reply object left: busy too, nothing held
    Fixture g;
    g.host.capacity = 0;
    const auto other = g.host.page_list({6});
    CHECK(g.read(other, 0, 16) == label_of(io::busy));
    CHECK(!g.device.read_pending());
}

TEST_CASE("keyboard device: a held read whose reader went away makes way for the next reader") {
    Fixture f;
    const auto first = f.host.page_list({5}), second = f.host.page_list({6});
    REQUIRE(f.read(first, 0, 16) == kDeferred);
    const auto held = *f.host.held.begin();
    CHECK(f.read(second, 0, 16) == label_of(io::busy)); // the first reader still waits
    CHECK(f.host.let_go == 0);
    f.host.gone.insert(held); // showkey stopped with Ctrl-C while it waited
    REQUIRE(f.read(second, 0, 16) == kDeferred);
    CHECK(f.host.let_go == 1);
    CHECK(f.host.held.size() == 1);
    CHECK(!f.host.held.count(held));
    f.type({"k"});
    REQUIRE(f.host.answer_order.size() == 1); // the second reader gets the key
    CHECK(f.host.answer_order[0] != held);
    CHECK(f.host.text(6, 0, 1) == "k");
    CHECK(f.device.buffered() == 0);
}

TEST_CASE("keyboard device: a key's sequence is never split between reads") {
    Fixture f;
    const auto page = f.host.page_list({5});
    f.type({"x", "\x1b[3~", "y"});
    REQUIRE(f.read(page, 0, 3) == 0); // "x" fits, Delete's 4 bytes do not
    CHECK(f.reply.words[0] == 1);
    CHECK(f.read(page, 0, 3) == label_of(vesta::Error::InvalidArgument)); // too small for Delete: nothing taken
    CHECK(f.device.buffered() == 5);
    REQUIRE(f.read(page, 0, 4) == 0);
    CHECK(f.reply.words[0] == 4);
    CHECK(f.host.text(5, 0, 4) == "\x1b[3~");
    REQUIRE(f.read(page, 0, 4) == 0);
    CHECK(f.host.text(5, 0, 1) == "y");
}

TEST_CASE("keyboard device: a full buffer drops whole keys and counts them, as it counts Unknown keys") {
    Fixture f;
    for (size_t i = 0; i < keyboard::KeyBuffer::kCapacity - 2; ++i) f.type({"k"});
    f.type({"\x1b[A"}); // 3 bytes: does not fit in the 2 left
    f.type({"z"});
    CHECK(f.device.buffered() == keyboard::KeyBuffer::kCapacity - 1);
    keyboard::KeyBytes unknown;
    unknown.outcome = keyboard::KeyOutcome::Unknown;
    f.device.key(unknown);
    keyboard::KeyBytes modifier;
    modifier.outcome = keyboard::KeyOutcome::Modifier;
    f.device.key(modifier);
    REQUIRE(f.call(f.request(kb::label::dropped, {})) == 0);
    CHECK(f.reply.words[0] == 2);
    CHECK(f.device.take_new_drops() == 2);
    CHECK(f.device.take_new_drops() == 0);
    const auto page = f.host.page_list({5});
    REQUIRE(f.read(page, 0, 4096) == 0);
    CHECK(f.reply.words[0] == keyboard::KeyBuffer::kCapacity - 1);
    CHECK(f.host.text(5, keyboard::KeyBuffer::kCapacity - 2, 1) == "z");
}

TEST_CASE("keyboard device: keys stay when the held reader went away or its pages fail") {
    Fixture f;
    const auto page = f.host.page_list({5});
    REQUIRE(f.read(page, 0, 16) == kDeferred);
    f.host.gone.insert(*f.host.held.begin());
    f.type({"q"});
    CHECK(f.device.buffered() == 1);
    CHECK(!f.device.read_pending());
    const auto bad = f.host.page_list({7});
    f.host.unmappable.insert(7);
    CHECK(f.read(bad, 0, 16) != 0);
    CHECK(f.device.buffered() == 1);
    REQUIRE(f.read(page, 0, 16) == 0);
    CHECK(f.host.text(5, 0, 1) == "q");
}

TEST_CASE("keyboard device: zero-byte reads, reads without pages, write and seek") {
    Fixture f;
    const auto page = f.host.page_list({5});
    REQUIRE(f.read(page, 0, 0) == 0);
    CHECK(f.reply.words[0] == 0);
    CHECK(!f.device.read_pending());
    CHECK(f.read({}, 0, 5) == label_of(vesta::Error::InvalidArgument));
    CHECK(f.call(f.request(io::file::label::write, {0, 1}, page)) == label_of(io::io_error));
    CHECK(f.call(f.request(io::file::label::seek, {0, 0})) == label_of(io::unseekable));
    CHECK(f.call(f.request(0x1234, {})) != 0); // unknown label: dispatch refuses it
}

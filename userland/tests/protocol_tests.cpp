// userland/tests/protocol_tests.cpp — protocols over real IPC, part 1:
// io::file and dev::serial through generated clients (the runner, or its
// threads) and generated dispatch in a protocol-server process in its own
// address space: words, page lists and errors arrive intact, deferred
// answers, malformed requests answered while the server keeps serving, and
// PeerGone when the server dies. Part 2 (fs and sys::*) is in
// protocol_sys_tests.cpp.
#include <dev/serial.ipc.hpp>
#include <io/file.ipc.hpp>

#include "protocol/client.hpp"

namespace suite {

namespace {

using namespace suite::protocol;
namespace io = vesta::proto::io;
namespace dev = vesta::proto::dev;
using vesta::ipc::Status;
using FileClient = io::file::Client<SyscallTransport>;
using SerialClient = dev::serial::Client<SyscallTransport>;

// A raw call (no generated code), for requests a client stub never makes.
SyscallResult raw_call(uint64_t endpoint, uint64_t label, size_t words, uint64_t w0 = 0, uint64_t w1 = 0,
                       uint64_t w2 = 0, size_t caps = 0) {
    return syscall(Syscall::Call, endpoint, MessageTag::make(label, words, caps), w0, w1, w2);
}
uint64_t reply_label(const SyscallResult& m) { return m.error == Error::None ? m.tag.label() : ~uint64_t{0}; }

// --- io::file

bool file_read_into_page() {
    Server server;
    EXPECT_OK(start_server({.role = kFileRole}, &server));
    const TestPage page = test_page();
    EXPECT(page.bytes);
    FileClient file(transport(), server.endpoint);
    auto read = file.read(caps_of(page.slot), 10, 100);
    EXPECT_STATUS(read, Error::None);
    EXPECT(read.value() == 100);
    for (size_t i = 0; i < 100; ++i) EXPECT(page.bytes[10 + i] == file_byte(i));
    EXPECT(page.bytes[9] == 0 && page.bytes[110] == 0);
    auto position = file.seek(0, io::whence::CUR);
    EXPECT_STATUS(position, Error::None);
    EXPECT(position.value() == 100);
    return true;
}

// A buffer that starts 3000 bytes into one page and continues into the next
// capability of the list (`page...`).
bool file_read_across_pages() {
    Server server;
    EXPECT_OK(start_server({.role = kFileRole}, &server));
    const TestPage first = test_page(), second = test_page();
    EXPECT(first.bytes && second.bytes);
    FileClient file(transport(), server.endpoint);
    EXPECT_STATUS(file.seek(50, io::whence::SET), Error::None);
    auto read = file.read(caps_of(first.slot, second.slot), 3000, 5000);
    EXPECT_STATUS(read, Error::None);
    EXPECT(read.value() == 5000);
    for (size_t i = 0; i < 5000; ++i) {
        const uint8_t got = i < 1096 ? first.bytes[3000 + i] : second.bytes[i - 1096];
        EXPECT(got == file_byte(50 + i));
    }
    EXPECT(second.bytes[5000 - 1096] == 0);
    // More than the pages hold: what fits (1096 + 4096 bytes).
    EXPECT_STATUS(file.seek(0, io::whence::SET), Error::None);
    read = file.read(caps_of(first.slot, second.slot), 3000, 6000);
    EXPECT_STATUS(read, Error::None);
    EXPECT(read.value() == 1096 + kPageSize);
    return true;
}

// Four page capabilities out (the most a message carries), then read back
// into one capability of three pages.
bool file_write_then_read_back() {
    Server server;
    EXPECT_OK(start_server({.role = kFileRole}, &server));
    TestPage out[4] = {test_page(), test_page(), test_page(), test_page()};
    for (size_t p = 0; p < 4; ++p) {
        EXPECT(out[p].bytes);
        for (size_t i = 0; i < kPageSize; ++i) out[p].bytes[i] = uint8_t(p * 31 + i * 3);
    }
    FileClient file(transport(), server.endpoint);
    EXPECT_STATUS(file.seek(8, io::whence::SET), Error::None);
    auto written = file.write(caps_of(out[0].slot, out[1].slot, out[2].slot, out[3].slot), 100, 7000);
    EXPECT_STATUS(written, Error::None);
    EXPECT(written.value() == 7000);
    const TestPage in = test_page(3);
    EXPECT(in.bytes);
    EXPECT_STATUS(file.seek(-7008, io::whence::CUR), Error::None);
    auto read = file.read(caps_of(in.slot), 0, 9000);
    EXPECT_STATUS(read, Error::None);
    EXPECT(read.value() == kFileSize);
    for (size_t i = 0; i < 8; ++i) EXPECT(in.bytes[i] == file_byte(i));
    for (size_t i = 0; i < 7000; ++i) {
        const size_t at = 100 + i;
        EXPECT(in.bytes[8 + i] == uint8_t((at / kPageSize) * 31 + (at % kPageSize) * 3));
    }
    for (size_t i = 7008; i < kFileSize; ++i) EXPECT(in.bytes[i] == file_byte(i));
    return true;
}

bool file_seek_errors() {
    Server server;
    EXPECT_OK(start_server({.role = kFileRole}, &server));
    FileClient file(transport(), server.endpoint);
    EXPECT_STATUS(file.seek(-1, io::whence::SET), io::bad_offset);
    EXPECT_STATUS(file.seek(1, io::whence::END), io::bad_offset);
    auto end = file.seek(0, io::whence::END);
    EXPECT_STATUS(end, Error::None);
    EXPECT(end.value() == kFileSize);
    auto back = file.seek(-8192, io::whence::CUR);
    EXPECT_STATUS(back, Error::None);
    EXPECT(back.value() == 0);
    return true;
}

// Buffers the server cannot use: its errors (ABI errors) come back as such.
bool file_bad_buffers() {
    Server server;
    EXPECT_OK(start_server({.role = kFileRole}, &server));
    const TestPage page = test_page();
    FileClient file(transport(), server.endpoint);
    EXPECT_STATUS(file.read(caps_of(page.slot), kPageSize, 10), Error::InvalidArgument); // offset past the page
    EXPECT_STATUS(file.read(CapList{}, 0, 10), Error::InvalidArgument);                  // no pages at all
    uint64_t read_only = kNoSlot;
    EXPECT_OK(copy_cap(page.slot, rights::kRead | rights::kGrant, 0, &read_only));
    EXPECT_STATUS(file.read(caps_of(read_only), 0, 10), Error::MissingRights); // the server cannot write it
    // A list longer than a message carries is refused by the stub, before sending.
    CapList five = caps_of(page.slot, page.slot, page.slot, page.slot);
    five.count = 5;
    EXPECT_STATUS(file.read(five, 0, 10), Error::InvalidArgument);
    // Capabilities need Grant on the endpoint capability (the kernel refuses the call).
    uint64_t no_grant = kNoSlot;
    EXPECT_OK(copy_cap(server.endpoint, rights::kWrite, 0, &no_grant));
    FileClient plain(transport(), no_grant);
    EXPECT_STATUS(plain.read(caps_of(page.slot), 0, 10), Error::MissingRights);
    EXPECT_STATUS(plain.seek(0, io::whence::SET), Error::None);
    return true;
}

// --- Malformed requests: an error reply each, and the server serves on.

bool malformed_unknown_label() {
    Server server;
    EXPECT_OK(start_server({.role = kFileRole}, &server));
    EXPECT(reply_label(raw_call(server.endpoint, io::file::kId << 16 | 9, 0)) == uint64_t(Error::NotSupported));
    EXPECT(reply_label(raw_call(server.endpoint, 0, 0)) == uint64_t(Error::NotSupported));
    EXPECT(reply_label(raw_call(server.endpoint, dev::serial::label::get_baud, 0)) == uint64_t(Error::NotSupported));
    FileClient file(transport(), server.endpoint);
    EXPECT_STATUS(file.seek(5, io::whence::SET), Error::None);
    return true;
}

bool malformed_word_count() {
    Server server;
    EXPECT_OK(start_server({.role = kFileRole}, &server));
    EXPECT(reply_label(raw_call(server.endpoint, io::file::label::seek, 1, 0)) == uint64_t(Error::Malformed));
    EXPECT(reply_label(raw_call(server.endpoint, io::file::label::seek, 3, 0, 0, 0)) == uint64_t(Error::Malformed));
    EXPECT(reply_label(raw_call(server.endpoint, io::file::label::read, 0)) == uint64_t(Error::Malformed));
    // Words beyond the registers (through the IPC buffer) are counted too.
    const SyscallResult long_request =
        syscall(Syscall::Call, server.endpoint, MessageTag::make(io::file::label::seek, 9, 0), 0, 0, 0, 0);
    EXPECT(reply_label(long_request) == uint64_t(Error::Malformed));
    FileClient file(transport(), server.endpoint);
    EXPECT_STATUS(file.seek(5, io::whence::SET), Error::None);
    return true;
}

bool malformed_bad_values() {
    Server server;
    EXPECT_OK(start_server({.role = kSerialRole}, &server));
    const uint64_t seek = io::file::label::seek;
    EXPECT(reply_label(raw_call(server.endpoint, seek, 2, 0, 3)) == uint64_t(Error::InvalidArgument)); // whence 3
    EXPECT(reply_label(raw_call(server.endpoint, seek, 2, 0, 0x100)) == uint64_t(Error::InvalidArgument));
    const uint64_t baud = dev::serial::label::set_baud;
    EXPECT(reply_label(raw_call(server.endpoint, baud, 1, uint64_t{1} << 32)) == uint64_t(Error::InvalidArgument));
    const uint64_t length = dev::serial::label::set_char_length;
    EXPECT(reply_label(raw_call(server.endpoint, length, 1, 9)) ==
           uint64_t(Error::InvalidArgument)); // no such enumerator
    EXPECT(reply_label(raw_call(server.endpoint, length, 1, 4)) == uint64_t(Error::InvalidArgument));
    SerialClient port(transport(), server.endpoint);
    EXPECT_STATUS(port.set_char_length(dev::char_length::SEVEN), Error::None);
    auto got = port.get_char_length();
    EXPECT_STATUS(got, Error::None);
    EXPECT(got.value() == dev::char_length::SEVEN);
    return true;
}

// Capabilities that come with a request the server refuses are deleted: a
// hundred such requests (two capabilities each) do not fill its 64-slot cspace.
bool malformed_capabilities_not_kept() {
    Server server;
    EXPECT_OK(start_server({.role = kFileRole}, &server));
    const TestPage page = test_page();
    for (int i = 0; i < 100; ++i) {
        runtime.ipc_buffer->caps[0] = page.slot;
        runtime.ipc_buffer->caps[1] = page.slot;
        const uint64_t label = i % 2 ? io::file::kId << 16 | 7 : io::file::label::seek; // unknown / wrong caps
        const SyscallResult m = raw_call(server.endpoint, label, 2, 0, 0, 0, 2);
        EXPECT(reply_label(m) == uint64_t(i % 2 ? Error::NotSupported : Error::Malformed));
    }
    FileClient file(transport(), server.endpoint);
    auto read = file.read(caps_of(page.slot), 0, 16); // still receives capabilities
    EXPECT_STATUS(read, Error::None);
    EXPECT(read.value() == 16 && page.bytes[15] == file_byte(15));
    return true;
}

// --- dev::serial

bool serial_settings() {
    Server server;
    EXPECT_OK(start_server({.role = kSerialRole}, &server));
    SerialClient port(transport(), server.endpoint);
    EXPECT_STATUS(port.set_baud(9600), Error::None);
    auto baud = port.get_baud();
    EXPECT_STATUS(baud, Error::None);
    EXPECT(baud.value() == 9600);
    EXPECT_STATUS(port.set_baud(12345), dev::unsupported);
    EXPECT(port.get_baud().value() == 9600);
    EXPECT_STATUS(port.set_char_length(dev::char_length::FIVE), dev::unsupported);
    EXPECT_STATUS(port.set_stop_bits(dev::stop_bits::TWO), Error::None);
    EXPECT(port.get_stop_bits().value() == dev::stop_bits::TWO);
    EXPECT_STATUS(port.set_parity(dev::parity::EVEN), Error::None);
    EXPECT_STATUS(port.set_parity(dev::parity::MARK), dev::unsupported);
    EXPECT(port.get_parity().value() == dev::parity::EVEN);
    EXPECT_STATUS(port.seek(0, io::whence::SET), io::unseekable); // inherited from io::file
    return true;
}

bool serial_loopback() {
    Server server;
    EXPECT_OK(start_server({.role = kSerialRole}, &server));
    const TestPage page = test_page();
    __builtin_memcpy(page.bytes + 100, "hello", 5);
    SerialClient port(transport(), server.endpoint);
    auto written = port.write(caps_of(page.slot), 100, 5);
    EXPECT_STATUS(written, Error::None);
    EXPECT(written.value() == 5);
    auto read = port.read(caps_of(page.slot), 0, 3);
    EXPECT_STATUS(read, Error::None);
    EXPECT(read.value() == 3 && __builtin_memcmp(page.bytes, "hel", 3) == 0);
    read = port.read(caps_of(page.slot), 0, 64);
    EXPECT(read.ok() && read.value() == 2 && __builtin_memcmp(page.bytes, "lo", 2) == 0);
    return true;
}

// A thread reads `argument` bytes into the page in its slot kThreadObject.
void serial_reader(uint64_t argument) {
    ThreadCall& call = call_of(argument);
    SyscallTransport thread_transport(call.ipc);
    auto read = io::file::read(thread_transport, kThreadEndpoint, caps_of(kThreadObject), 0, call.argument);
    call.label = read.error().label();
    call.value = read.ok() ? read.value() : 0;
    call.done = true;
    thread_exit();
}

// A read with nothing to read is held open (its caller blocked) and answered
// when a write brings bytes.
bool serial_deferred_read() {
    Server server;
    EXPECT_OK(start_server({.role = kSerialRole}, &server));
    const TestPage reader_page = test_page(), writer_page = test_page();
    uint64_t task = kNoSlot;
    calls[0].argument = 16;
    EXPECT(start_caller(serial_reader, 0, server.endpoint, reader_page.slot, &task));
    EXPECT(wait_blocked(task));
    sleep_ticks(2);
    EXPECT(!calls[0].done);
    __builtin_memcpy(writer_page.bytes, "abc", 3);
    SerialClient port(transport(), server.endpoint);
    EXPECT_STATUS(port.write(caps_of(writer_page.slot), 0, 3), Error::None);
    EXPECT(wait_until([] { return calls[0].done; }));
    EXPECT(calls[0].label == 0 && calls[0].value == 3);
    EXPECT(__builtin_memcmp(reader_page.bytes, "abc", 3) == 0);
    return true;
}

// The server waits on a notification too (its receive interrupt): a signal
// answers the read held open.
bool serial_interrupt_answers_read() {
    uint64_t irq = make(ObjectType::Notification);
    EXPECT(irq != kNoSlot);
    const Grant grant{.source = irq, .note = "irq", .rights = rights::kRead};
    Server server;
    EXPECT_OK(start_server({.role = kSerialRole, .extra = &grant, .extra_count = 1}, &server));
    const TestPage page = test_page();
    uint64_t task = kNoSlot;
    calls[0].argument = 16;
    EXPECT(start_caller(serial_reader, 0, server.endpoint, page.slot, &task));
    EXPECT(wait_blocked(task));
    EXPECT(syscall(Syscall::Signal, irq).error == Error::None);
    EXPECT(wait_until([] { return calls[0].done; }));
    EXPECT(calls[0].label == 0 && calls[0].value == 4 && __builtin_memcmp(page.bytes, kIrqBytes, 4) == 0);
    // And the server still answers calls after serving a signal.
    SerialClient port(transport(), server.endpoint);
    EXPECT(port.get_baud().value() == 115200);
    return true;
}

// Three reads held open at once (the server's Reply objects), answered in
// order; a fourth is refused with io::busy while they wait.
bool serial_pending_reads() {
    Server server;
    EXPECT_OK(start_server({.role = kSerialRole}, &server));
    TestPage pages[kSerialPendingReads];
    for (size_t i = 0; i < kSerialPendingReads; ++i) {
        pages[i] = test_page();
        uint64_t task = kNoSlot;
        calls[i].argument = 1;
        EXPECT(start_caller(serial_reader, i, server.endpoint, pages[i].slot, &task));
        EXPECT(wait_blocked(task));
    }
    const TestPage page = test_page();
    SerialClient port(transport(), server.endpoint);
    EXPECT_STATUS(port.read(caps_of(page.slot), 0, 1), io::busy);
    __builtin_memcpy(page.bytes, "xyz", 3);
    EXPECT_STATUS(port.write(caps_of(page.slot), 0, 3), Error::None);
    EXPECT(wait_until([] { return calls[0].done && calls[1].done && calls[2].done; }));
    for (size_t i = 0; i < kSerialPendingReads; ++i) {
        EXPECT(calls[i].label == 0 && calls[i].value == 1);
        EXPECT(pages[i].bytes[0] == "xyz"[i]);
    }
    return true;
}

// --- A server that dies.

// Killed (its pool deleted) while it holds a read open: the caller gets
// PeerGone, and the endpoint is gone too.
bool server_death_while_call_held() {
    Server server;
    EXPECT_OK(start_server({.role = kSerialRole}, &server));
    const TestPage page = test_page();
    uint64_t task = kNoSlot;
    calls[0].argument = 8;
    EXPECT(start_caller(serial_reader, 0, server.endpoint, page.slot, &task));
    EXPECT(wait_blocked(task));
    const uint64_t endpoint = server.endpoint;
    EXPECT_OK(kill_server(server));
    EXPECT(wait_until([] { return calls[0].done; }));
    EXPECT(calls[0].label == uint64_t(Error::PeerGone));
    SerialClient port(transport(), endpoint);
    EXPECT_STATUS(port.get_baud(), Error::InvalidCapability); // the slot was emptied with the endpoint
    return true;
}

// A server that never receives: its caller waits in the endpoint's queue
// and gets PeerGone when the server's pool (which paid for the endpoint) dies.
bool server_death_while_caller_queued() {
    Server server;
    EXPECT_OK(start_server({.role = kSerialRole, .run = false}, &server));
    const TestPage page = test_page();
    uint64_t task = kNoSlot;
    calls[0].argument = 8;
    EXPECT(start_caller(serial_reader, 0, server.endpoint, page.slot, &task));
    EXPECT(wait_until([&] { return task_state(task) == uint64_t(TaskState::BlockedSend); }));
    EXPECT_OK(kill_server(server));
    EXPECT(wait_until([] { return calls[0].done; }));
    EXPECT(calls[0].label == uint64_t(Error::PeerGone));
    return true;
}

} // namespace

const Test kProtocolTests[] = {
    {"proto.file_read_into_page", file_read_into_page},
    {"proto.file_read_across_pages", file_read_across_pages},
    {"proto.file_write_then_read_back", file_write_then_read_back},
    {"proto.file_seek_errors", file_seek_errors},
    {"proto.file_bad_buffers", file_bad_buffers},
    {"proto.malformed_unknown_label", malformed_unknown_label},
    {"proto.malformed_word_count", malformed_word_count},
    {"proto.malformed_bad_values", malformed_bad_values},
    {"proto.malformed_capabilities_not_kept", malformed_capabilities_not_kept},
    {"proto.serial_settings", serial_settings},
    {"proto.serial_loopback", serial_loopback},
    {"proto.serial_deferred_read", serial_deferred_read},
    {"proto.serial_interrupt_answers_read", serial_interrupt_answers_read},
    {"proto.serial_pending_reads", serial_pending_reads},
    {"proto.server_death_while_call_held", server_death_while_call_held},
    {"proto.server_death_while_caller_queued", server_death_while_caller_queued},
};
const size_t kProtocolTestCount = sizeof(kProtocolTests) / sizeof(kProtocolTests[0]);

} // namespace suite

// userland/tests/protocol_sys_tests.cpp — protocols over real IPC, part 2:
// fs::fs (paths in pages, an endpoint returned per open file and told apart
// by its badge) and the system services' protocols sys::procmgr,
// sys::devregistry, sys::devmgr and sys::devloader (capabilities both ways,
// a deferred wait, every declared error of sys/errors.ipc).
#include <dev/serial.ipc.hpp>
#include <fs/fs.ipc.hpp>
#include <io/file.ipc.hpp>
#include <sys/devloader.ipc.hpp>
#include <sys/devmgr.ipc.hpp>
#include <sys/devregistry.ipc.hpp>
#include <sys/procmgr.ipc.hpp>

#include "protocol/client.hpp"

namespace suite {

namespace {

using namespace suite::protocol;
namespace io = vesta::proto::io;
namespace dev = vesta::proto::dev;
namespace fsp = vesta::proto::fs;
namespace sys = vesta::proto::sys;
using FsClient = fsp::fs::Client<SyscallTransport>;
using FileClient = io::file::Client<SyscallTransport>;

size_t length_of(const char* text) {
    size_t n = 0;
    while (text[n]) ++n;
    return n;
}

// Puts `path` at byte `offset` of `page`; returns its length.
size_t put_path(const TestPage& page, size_t offset, const char* path) {
    const size_t n = length_of(path);
    __builtin_memcpy(page.bytes + offset, path, n);
    return n;
}

// --- fs::fs

bool fs_open_and_read() {
    Server server;
    EXPECT_OK(start_server({.role = kFsRole}, &server));
    const TestPage path = test_page(), data = test_page();
    FsClient fs(transport(), server.endpoint);
    auto opened = fs.open(path.slot, 40, put_path(path, 40, "/hello.txt"), fsp::open_mode::READ);
    EXPECT_STATUS(opened, Error::None);
    uint64_t type = 0;
    EXPECT_OK(cap_info(opened.value().file, &type));
    EXPECT(type == uint64_t(ObjectType::Endpoint));
    FileClient file(transport(), opened.value().file);
    auto read = file.read(caps_of(data.slot), 0, 100);
    EXPECT_STATUS(read, Error::None);
    EXPECT(read.value() == length_of(kHelloText));
    EXPECT(__builtin_memcmp(data.bytes, kHelloText, read.value()) == 0);
    EXPECT(file.read(caps_of(data.slot), 0, 100).value() == 0); // at the end
    EXPECT_STATUS(file.write(caps_of(data.slot), 0, 1), io::io_error);
    EXPECT(file.seek(7, io::whence::SET).value() == 7);
    read = file.read(caps_of(data.slot), 0, 100);
    EXPECT(read.ok() && read.value() == 6 && __builtin_memcmp(data.bytes, "world\n", 6) == 0);
    return true;
}

// Two opens of the same file: two endpoints (badges), two positions.
bool fs_files_told_apart_by_badge() {
    Server server;
    EXPECT_OK(start_server({.role = kFsRole}, &server));
    const TestPage path = test_page(), data = test_page();
    FsClient fs(transport(), server.endpoint);
    const size_t length = put_path(path, 0, "hello.txt");
    auto first = fs.open(path.slot, 0, length, fsp::open_mode::READ);
    auto second = fs.open(path.slot, 0, length, fsp::open_mode::READ);
    EXPECT_STATUS(first, Error::None);
    EXPECT_STATUS(second, Error::None);
    uint64_t badge_first = 0, badge_second = 0;
    EXPECT_OK(cap_info(first.value().file, nullptr, nullptr, &badge_first));
    EXPECT_OK(cap_info(second.value().file, nullptr, nullptr, &badge_second));
    EXPECT(badge_first != badge_second && badge_first >= kFileBadgeBase);
    FileClient a(transport(), first.value().file), b(transport(), second.value().file);
    EXPECT(a.seek(5, io::whence::SET).value() == 5);
    EXPECT(b.read(caps_of(data.slot), 0, 2).value() == 2 && data.bytes[0] == 'h');
    EXPECT(a.read(caps_of(data.slot), 0, 2).value() == 2 && data.bytes[0] == ',');
    // The unbadged endpoint speaks fs::fs, not io::file.
    FileClient not_a_file(transport(), server.endpoint);
    EXPECT_STATUS(not_a_file.seek(0, io::whence::SET), Error::NotSupported);
    return true;
}

bool fs_errors() {
    Server server;
    EXPECT_OK(start_server({.role = kFsRole}, &server));
    const TestPage path = test_page();
    FsClient fs(transport(), server.endpoint);
    const auto open = [&](const char* text, fsp::open_mode mode = fsp::open_mode::READ) {
        return fs.open(path.slot, 8, put_path(path, 8, text), mode);
    };
    EXPECT_STATUS(open("/missing"), fsp::not_found);
    EXPECT_STATUS(open("/hello.txt/more"), fsp::not_directory);
    EXPECT_STATUS(open("/dev"), fsp::is_directory);
    EXPECT_STATUS(open("/hello.txt", fsp::open_mode::WRITE), fsp::denied);
    EXPECT_STATUS(open("/dev/serial0"), fsp::denied);
    EXPECT_STATUS(fs.open(path.slot, 0, 0, fsp::open_mode::READ), fsp::bad_path);            // empty
    EXPECT_STATUS(fs.open(path.slot, 0, kMaxPath + 1, fsp::open_mode::READ), fsp::bad_path); // too long
    path.bytes[100] = 'a';
    path.bytes[101] = 0;
    path.bytes[102] = 'b';
    EXPECT_STATUS(fs.open(path.slot, 100, 3, fsp::open_mode::READ), fsp::bad_path);           // a NUL inside
    EXPECT_STATUS(fs.open(path.slot, kPageSize - 2, 4, fsp::open_mode::READ), fsp::bad_path); // runs off the page
    // open_mode has no enumerator 7: refused before the server sees it.
    runtime.ipc_buffer->caps[0] = path.slot;
    const SyscallResult bad_mode =
        syscall(Syscall::Call, server.endpoint, MessageTag::make(fsp::fs::label::open, 3, 1), 0, 5, 7);
    EXPECT(bad_mode.error == Error::None && bad_mode.tag.label() == uint64_t(Error::InvalidArgument));
    // Missing capabilities: open without its page, stat with one of two.
    const SyscallResult no_page =
        syscall(Syscall::Call, server.endpoint, MessageTag::make(fsp::fs::label::open, 3, 0), 0, 5, 1);
    EXPECT(no_page.error == Error::None && no_page.tag.label() == uint64_t(Error::Malformed));
    runtime.ipc_buffer->caps[0] = path.slot;
    const SyscallResult one_page =
        syscall(Syscall::Call, server.endpoint, MessageTag::make(fsp::fs::label::stat, 3, 1), 0, 5, 0);
    EXPECT(one_page.error == Error::None && one_page.tag.label() == uint64_t(Error::Malformed));
    EXPECT_STATUS(open("hello.txt"), Error::None); // and it serves on
    return true;
}

bool fs_stat_and_readdir() {
    Server server;
    EXPECT_OK(start_server({.role = kFsRole}, &server));
    const TestPage path = test_page(), info = test_page(), name = test_page();
    FsClient fs(transport(), server.endpoint);
    auto kind = fs.stat(path.slot, info.slot, 0, put_path(path, 0, "/hello.txt"), 64);
    EXPECT_STATUS(kind, Error::None);
    EXPECT(kind.value() == fsp::node_kind::REGULAR);
    const auto* words = reinterpret_cast<const uint64_t*>(info.bytes + 64);
    EXPECT(words[0] == uint64_t(fsp::node_kind::REGULAR) && words[1] == length_of(kHelloText));
    kind = fs.stat(path.slot, info.slot, 0, put_path(path, 0, "dev/serial0"), 0);
    EXPECT(kind.ok() && kind.value() == fsp::node_kind::DEVICE);
    EXPECT_STATUS(fs.stat(path.slot, info.slot, 0, put_path(path, 0, "/nothing"), 0), fsp::not_found);
    EXPECT_STATUS(fs.stat(path.slot, info.slot, 0, put_path(path, 0, "/dev"), kPageSize - 8), Error::OutOfRange);

    const size_t root = put_path(path, 0, "/");
    auto entry = fs.readdir(path.slot, name.slot, 0, root, 0);
    EXPECT_STATUS(entry, Error::None);
    EXPECT(entry.value() == 9 && __builtin_memcmp(name.bytes, "hello.txt", 9) == 0);
    entry = fs.readdir(path.slot, name.slot, 0, root, 1);
    EXPECT(entry.ok() && entry.value() == 3 && __builtin_memcmp(name.bytes, "dev", 3) == 0);
    EXPECT_STATUS(fs.readdir(path.slot, name.slot, 0, root, 2), fsp::end_of_directory);
    EXPECT_STATUS(fs.readdir(path.slot, name.slot, 0, put_path(path, 0, "/hello.txt"), 0), fsp::not_directory);
    return true;
}

// --- sys::procmgr

void procmgr_waiter(uint64_t argument) {
    ThreadCall& call = call_of(argument);
    SyscallTransport thread_transport(call.ipc);
    auto status = sys::procmgr::wait(thread_transport, kThreadEndpoint, call.argument);
    call.label = status.error().label();
    call.value = status.ok() ? uint64_t(status.value()) : 0;
    call.done = true;
    thread_exit();
}

// new → load → grant → start; a wait held open until kill answers it; the
// granted notification arrived (the server signals it when it kills).
bool procmgr_lifecycle() {
    Server server;
    EXPECT_OK(start_server({.role = kProcmgrRole}, &server));
    sys::procmgr::Client<SyscallTransport> procmgr(transport(), server.endpoint);
    auto pid = procmgr.new_process();
    EXPECT_STATUS(pid, Error::None);
    EXPECT(pid.value() == 1);
    const TestPage image = test_page(2);
    __builtin_memcpy(image.bytes,
                     "\x7f"
                     "ELF",
                     4);
    EXPECT_STATUS(procmgr.load(caps_of(image.slot), pid.value(), 2 * kPageSize), Error::None);
    EXPECT_STATUS(procmgr.load(caps_of(image.slot), pid.value(), 100), sys::bad_state); // loaded already
    const uint64_t notification = make(ObjectType::Notification);
    EXPECT_STATUS(procmgr.grant(notification, pid.value(), 5), Error::None);
    EXPECT_STATUS(procmgr.start(pid.value()), Error::None);
    EXPECT_STATUS(procmgr.start(pid.value()), sys::bad_state);
    EXPECT_STATUS(procmgr.grant(notification, pid.value(), 6), sys::bad_state);

    uint64_t task = kNoSlot;
    calls[0].argument = pid.value();
    EXPECT(start_caller(procmgr_waiter, 0, server.endpoint, kNoSlot, &task));
    EXPECT(wait_blocked(task));
    EXPECT_STATUS(procmgr.kill(pid.value(), -7), Error::None);
    EXPECT(wait_until([] { return calls[0].done; }));
    EXPECT(calls[0].label == 0 && int64_t(calls[0].value) == -7);
    runtime.ipc_buffer->poll[0] = notification;
    EXPECT(syscall(Syscall::Poll, 1, {}, 0, 0, 0, 0, kNoSlot, 0).error == Error::None);
    auto status = procmgr.wait(pid.value()); // exited: answered at once
    EXPECT_STATUS(status, Error::None);
    EXPECT(status.value() == -7);
    return true;
}

bool procmgr_errors() {
    Server server;
    EXPECT_OK(start_server({.role = kProcmgrRole}, &server));
    sys::procmgr::Client<SyscallTransport> procmgr(transport(), server.endpoint);
    const TestPage image = test_page();
    EXPECT_STATUS(procmgr.load(caps_of(image.slot), 9, 10), sys::no_process);
    EXPECT_STATUS(procmgr.start(0), sys::no_process);
    EXPECT_STATUS(procmgr.kill(3, 0), sys::no_process);
    EXPECT_STATUS(procmgr.wait(42), sys::no_process);
    EXPECT_STATUS(procmgr.grant(image.slot, 1, 0), sys::no_process);
    auto pid = procmgr.new_process();
    EXPECT_STATUS(pid, Error::None);
    EXPECT_STATUS(procmgr.load(caps_of(image.slot), pid.value(), 10), sys::bad_image); // no ELF magic
    EXPECT_STATUS(procmgr.start(pid.value()), sys::bad_state);                         // not loaded
    for (size_t i = 1; i < kMaxProcesses; ++i) EXPECT_STATUS(procmgr.new_process(), Error::None);
    EXPECT_STATUS(procmgr.new_process(), sys::table_full);
    // A capability slot the client does not hold: the kernel refuses the call.
    EXPECT_STATUS(procmgr.grant(slot::kCspaceSlots - 1, pid.value(), 0), Error::InvalidCapability);
    EXPECT_STATUS(procmgr.start(pid.value()), sys::bad_state); // and the server is still there
    return true;
}

// --- sys::devregistry and sys::devmgr (one server, two badges)

// A serial server registered in the device registry, found again through
// the device manager: the endpoint that comes back speaks dev::serial.
bool devices_register_and_open() {
    Server serial, devices;
    EXPECT_OK(start_server({.role = kSerialRole}, &serial));
    EXPECT_OK(start_server({.role = kDevicesRole}, &devices));
    uint64_t registry_slot = kNoSlot, manager_slot = kNoSlot;
    EXPECT_OK(copy_cap(devices.endpoint, rights::kWrite | rights::kGrant, kRegistryBadge, &registry_slot));
    EXPECT_OK(copy_cap(devices.endpoint, rights::kWrite | rights::kGrant, kManagerBadge, &manager_slot));
    sys::devregistry::Client<SyscallTransport> registry(transport(), registry_slot);
    sys::devmgr::Client<SyscallTransport> manager(transport(), manager_slot);

    auto index = registry.new_device(serial.endpoint, dev::serial::kId);
    EXPECT_STATUS(index, Error::None);
    EXPECT(index.value() == 0);
    const uint64_t other = make(ObjectType::Endpoint);
    index = registry.new_device(other, io::file::kId);
    EXPECT(index.ok() && index.value() == 0);
    EXPECT(manager.count(dev::serial::kId).value() == 1);
    EXPECT(manager.count(io::file::kId).value() == 1);
    EXPECT(manager.count(0x1234).value() == 0);

    auto opened = manager.open(dev::serial::kId, 0);
    EXPECT_STATUS(opened, Error::None);
    dev::serial::Client<SyscallTransport> port(transport(), opened.value().device);
    auto baud = port.get_baud();
    EXPECT_STATUS(baud, Error::None);
    EXPECT(baud.value() == 115200);
    EXPECT_STATUS(manager.open(dev::serial::kId, 1), sys::no_device);
    EXPECT_STATUS(manager.open(0x1234, 0), sys::no_device);
    auto driver = manager.driver(io::file::kId, 0);
    EXPECT_STATUS(driver, Error::None);
    EXPECT(driver.value() == 2); // the test server's stand-in: registration 2
    EXPECT_STATUS(manager.driver(dev::serial::kId, 1), sys::no_device);
    return true;
}

bool devices_errors() {
    Server devices;
    EXPECT_OK(start_server({.role = kDevicesRole}, &devices));
    uint64_t registry_slot = kNoSlot, manager_slot = kNoSlot;
    EXPECT_OK(copy_cap(devices.endpoint, rights::kWrite | rights::kGrant, kRegistryBadge, &registry_slot));
    EXPECT_OK(copy_cap(devices.endpoint, rights::kWrite | rights::kGrant, kManagerBadge, &manager_slot));
    sys::devregistry::Client<SyscallTransport> registry(transport(), registry_slot);
    const uint64_t notification = make(ObjectType::Notification);
    EXPECT_STATUS(registry.new_device(notification, dev::serial::kId), Error::WrongType);
    for (size_t i = 0; i < kMaxDevices; ++i) {
        auto index = registry.new_device(make(ObjectType::Endpoint), dev::serial::kId);
        EXPECT_STATUS(index, Error::None);
        EXPECT(index.value() == i);
    }
    EXPECT_STATUS(registry.new_device(make(ObjectType::Endpoint), dev::serial::kId), sys::table_full);
    // Each badge speaks its own interface; the unbadged endpoint neither.
    sys::devregistry::Client<SyscallTransport> wrong(transport(), manager_slot);
    EXPECT_STATUS(wrong.new_device(make(ObjectType::Endpoint), 1), Error::NotSupported);
    sys::devmgr::Client<SyscallTransport> unbadged(transport(), devices.endpoint);
    EXPECT_STATUS(unbadged.count(dev::serial::kId), Error::InvalidCapability);
    sys::devmgr::Client<SyscallTransport> manager(transport(), manager_slot);
    EXPECT(manager.count(dev::serial::kId).value() == kMaxDevices);
    return true;
}

// --- sys::devloader

bool devloader_checks() {
    Server loader;
    EXPECT_OK(start_server({.role = kDevloaderRole}, &loader));
    sys::devloader::Client<SyscallTransport> devloader(transport(), loader.endpoint);
    const TestPage driver = test_page(), plain = test_page(), junk = test_page();
    __builtin_memcpy(driver.bytes,
                     "\x7f"
                     "ELF",
                     4);
    __builtin_memcpy(driver.bytes + 1000, "[driver]\nname=test\n", 19);
    __builtin_memcpy(plain.bytes,
                     "\x7f"
                     "ELF",
                     4);
    __builtin_memcpy(junk.bytes, "MZ", 2);
    EXPECT_STATUS(devloader.load(caps_of(driver.slot), 1, kPageSize), Error::None);
    EXPECT_STATUS(devloader.load(caps_of(driver.slot, plain.slot), 2, 2 * kPageSize), Error::None);
    EXPECT_STATUS(devloader.load(caps_of(driver.slot), 0, kPageSize), sys::no_process);
    EXPECT_STATUS(devloader.load(caps_of(driver.slot), kLoaderProcesses + 1, kPageSize), sys::no_process);
    EXPECT_STATUS(devloader.load(caps_of(driver.slot), kLoaderProcesses, kPageSize), sys::bad_state);
    EXPECT_STATUS(devloader.load(caps_of(junk.slot), 1, kPageSize), sys::bad_image);
    EXPECT_STATUS(devloader.load(caps_of(driver.slot), 1, 0), sys::bad_image);
    EXPECT_STATUS(devloader.load(caps_of(plain.slot), 1, kPageSize), sys::bad_manifest);
    EXPECT_STATUS(devloader.load(caps_of(driver.slot), 1, 900), sys::bad_manifest); // the marker lies beyond `size`
    EXPECT_STATUS(devloader.load(CapList{}, 1, kPageSize), Error::InvalidArgument);
    // load_path: the path travels in a page, its errors are fs's.
    __builtin_memcpy(plain.bytes + 100, "drivers/test", 12);
    EXPECT_STATUS(devloader.load_path(plain.slot, 1, 100, 12), Error::None);
    EXPECT_STATUS(devloader.load_path(plain.slot, 0, 100, 12), sys::no_process);
    EXPECT_STATUS(devloader.load_path(plain.slot, kLoaderProcesses, 100, 12), sys::bad_state);
    EXPECT_STATUS(devloader.load_path(plain.slot, 1, 100, 0), fsp::bad_path);
    EXPECT_STATUS(devloader.load_path(plain.slot, 1, 0, 12), fsp::not_found);
    EXPECT_STATUS(devloader.load_path(plain.slot, 1, kPageSize - 4, 12), Error::OutOfRange);
    return true;
}

} // namespace

const Test kProtocolSysTests[] = {
    {"proto.fs_open_and_read", fs_open_and_read},
    {"proto.fs_files_told_apart_by_badge", fs_files_told_apart_by_badge},
    {"proto.fs_errors", fs_errors},
    {"proto.fs_stat_and_readdir", fs_stat_and_readdir},
    {"proto.procmgr_lifecycle", procmgr_lifecycle},
    {"proto.procmgr_errors", procmgr_errors},
    {"proto.devices_register_and_open", devices_register_and_open},
    {"proto.devices_errors", devices_errors},
    {"proto.devloader_checks", devloader_checks},
};
const size_t kProtocolSysTestCount = sizeof(kProtocolSysTests) / sizeof(kProtocolSysTests[0]);

} // namespace suite

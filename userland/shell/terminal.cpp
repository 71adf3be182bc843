// userland/shell/terminal.cpp — terminal.hpp.
#include "terminal.hpp"

#include <io/file.ipc.hpp>
#include <sys/devmgr.ipc.hpp>
#include <sys/procmgr.ipc.hpp>
#include <user/byte_ring.hpp>
#include <user/device.hpp>
#include <vesta/ipc/syscall_transport.hpp>

#include "commands.hpp"

namespace shell {

using namespace vesta;
using namespace vesta::user;
namespace io = vesta::proto::io;
namespace sys = vesta::proto::sys;

namespace {

// What both threads share (one address space).
struct Shared {
    ByteRing<1024> ring;      // the reader produces, the main thread consumes
    uint64_t foreground = 0;  // pid Ctrl-C kills; 0: none
    uint64_t ipc_buffer = 0;  // the reader's
    uint8_t* input = nullptr; // the reader's page, mapped
    bool can_reconnect = false;
    uint32_t generation = 0;    // of the endpoint in the reader's slot (written by the main thread while it is parked)
    uint32_t reader_failed = 0; // the generation whose read failed, plus one; 0: no report (see terminal.hpp)
};
Shared shared;

// The reader's cspace (its own: spawn() makes one per thread).
constexpr uint64_t kReaderDevice = 2, kReaderProcmgr = 3, kReaderSignal = 4, kReaderPage = 5, kReaderSleep = 6,
                   kReaderResume = 7;
constexpr size_t kReadChunk = 256;
constexpr uint8_t kCtrlC = 0x03;

[[noreturn]] void reader_main(uint64_t) {
    auto* buffer = reinterpret_cast<IpcBuffer*>(shared.ipc_buffer);
    ipc::SyscallTransport transport(buffer);
    for (;;) {
        auto n = io::file::read(transport, kReaderDevice, ipc::CapList{{kReaderPage}, 1}, 0, kReadChunk);
        if (!n.ok() && shared.can_reconnect && user::driver_gone(n.error())) {
            // Report, then wait until the main thread put a new endpoint in kReaderDevice.
            __atomic_store_n(&shared.reader_failed, shared.generation + 1, __ATOMIC_RELEASE);
            syscall(Syscall::Signal, kReaderSignal);
            syscall(Syscall::Wait, kReaderResume);
            continue;
        }
        if (!n.ok()) { // busy, or gone with no way back: try again later
            buffer->poll[0] = kReaderSleep;
            syscall(Syscall::Poll, 1, {}, 0, 0, 0, 0, kNoSlot, 10);
            continue;
        }
        const size_t count = n.value() < kReadChunk ? n.value() : kReadChunk;
        for (size_t i = 0; i < count; ++i) {
            const uint8_t byte = shared.input[i];
            const uint64_t foreground = __atomic_load_n(&shared.foreground, __ATOMIC_ACQUIRE);
            if (byte == kCtrlC && foreground != 0) {
                (void)sys::procmgr::kill(transport, kReaderProcmgr, foreground, kInterruptedStatus);
                continue;
            }
            (void)shared.ring.push(&byte, 1); // full: dropped
        }
        syscall(Syscall::Signal, kReaderSignal);
    }
}

} // namespace

Error Terminal::start(uint64_t device, const TerminalDevice& which, uint64_t procmgr, uint64_t devmgr) {
    device_ = device;
    which_ = which;
    devmgr_ = devmgr;
    shared.can_reconnect = devmgr != kNoSlot;
    uint64_t address = 0;
    if (const Error e = map_new_pages(1, rights::kRead | rights::kWrite, &address, &out_page_); e != Error::None)
        return e;
    out_ = reinterpret_cast<char*>(address);
    uint64_t input_page = kNoSlot, stack = 0, stack_page = kNoSlot, sleep = kNoSlot;
    if (const Error e = map_new_pages(1, rights::kRead | rights::kWrite, &address, &input_page); e != Error::None)
        return e;
    shared.input = reinterpret_cast<uint8_t*>(address);
    if (const Error e = map_new_pages(4, rights::kRead | rights::kWrite, &stack, &stack_page); e != Error::None)
        return e;
    if (const Error e = create(ObjectType::Notification, 0, &notification_); e != Error::None) return e;
    if (const Error e = create(ObjectType::Notification, 0, &sleep); e != Error::None) return e;
    if (const Error e = create(ObjectType::Notification, 0, &sleep_); e != Error::None) return e;
    if (const Error e = create(ObjectType::Notification, 0, &resume_); e != Error::None) return e;

    SpawnOptions options;
    options.vspace = runtime.vspace;
    options.cspace_slots = 8;
    options.entry = reinterpret_cast<uint64_t>(&reader_main);
    options.stack_top = thread_stack_top(stack, 4 * kPageSize);
    options.name = "shell-reader";
    Spawned thread{};
    if (const Error e = spawn_thread(options, &thread); e != Error::None) return e; // at the shell's own priority
    shared.ipc_buffer = thread.ipc_buffer;
    const struct {
        uint64_t slot, source;
        uint8_t rights;
    } given[] = {
        {kReaderDevice, device, rights::kAll},          {kReaderProcmgr, procmgr, rights::kAll},
        {kReaderSignal, notification_, rights::kWrite}, {kReaderPage, input_page, rights::kAll},
        {kReaderSleep, sleep, rights::kRead},           {kReaderResume, resume_, rights::kRead},
    };
    for (const auto& g : given)
        if (const Error e = give(thread, g.slot, g.source, g.rights); e != Error::None) return e;
    reader_ = thread;
    return user::start(thread);
}

bool Terminal::reconnect() {
    if (devmgr_ == kNoSlot) return false;
    ipc::SyscallTransport transport(runtime.ipc_buffer);
    // The dead endpoint's slot first (usually emptied already with the
    // endpoint): the kernel may put the new one in that very slot.
    invoke(runtime.cspace, CapabilitySpaceLabel::Delete, device_);
    device_ = kNoSlot;
    // A restart takes milliseconds unless the supervisor backs off; a driver
    // it gave up on never comes back: then keep trying once a second.
    for (;;) {
        auto opened = proto::sys::devmgr::open(transport, devmgr_, which_.interface_id, which_.index);
        if (opened.ok()) {
            device_ = opened.value().device;
            ++generation_;
            break;
        }
        sleep(opened.error() == ipc::Status(proto::sys::restarting) ? 1 : 100);
    }
    reconnecting_ = true; // a notice that fails does not reconnect again from inside
    print("\nshell: {}'s driver was restarted; the terminal is back (what was typed meanwhile is lost)\n", which_.name);
    reconnecting_ = false;
    came_back_ = true;
    return true;
}

void Terminal::serve_reader_report() {
    const uint32_t failed = __atomic_load_n(&shared.reader_failed, __ATOMIC_ACQUIRE);
    if (failed == 0) return;
    if (failed - 1 == generation_ && !reconnect()) return;
    // The reader is parked on resume_: its slot is free to replace.
    invoke(reader_.cspace, CapabilitySpaceLabel::Delete, kReaderDevice);
    (void)give(reader_, kReaderDevice, device_, rights::kAll);
    shared.generation = generation_;
    __atomic_store_n(&shared.reader_failed, 0, __ATOMIC_RELEASE);
    syscall(Syscall::Signal, resume_);
}

void Terminal::write(const char* text, size_t length) {
    ipc::SyscallTransport transport(runtime.ipc_buffer);
    size_t i = 0;
    while (i < length) {
        size_t n = 0;
        for (; i < length && n + 2 <= kPageSize; ++i) {
            if (text[i] == '\n' && !after_cr_) out_[n++] = '\r';
            after_cr_ = text[i] == '\r';
            out_[n++] = text[i];
        }
        size_t done = 0;
        while (done < n) {
            auto written = io::file::write(transport, device_, ipc::CapList{{out_page_}, 1}, done, n - done);
            if (!written.ok() && user::driver_gone(written.error())) {
                // The driver died under the write: part of it may have reached
                // the line; the rest is dropped rather than sent twice.
                if (!reconnecting_) (void)reconnect();
                return;
            }
            if (!written.ok() || written.value() == 0) return; // the line is stuck: nothing to say it on
            done += written.value();
        }
    }
}

void Terminal::write(const char* text) {
    size_t n = 0;
    while (text[n]) ++n;
    write(text, n);
}

size_t Terminal::read(uint8_t* out, size_t capacity) {
    for (;;) {
        if (came_back_) {
            came_back_ = false;
            return 0;
        }
        if (const size_t n = shared.ring.pop(out, capacity); n) return n;
        serve_reader_report();
        if (came_back_ || !shared.ring.empty()) continue;
        syscall(Syscall::Wait, notification_); // the reader signals after every chunk and with a report
    }
}

void Terminal::sleep(uint64_t ticks) {
    runtime.ipc_buffer->poll[0] = sleep_;
    syscall(Syscall::Poll, 1, {}, 0, 0, 0, 0, kNoSlot, ticks);
}

void Terminal::set_foreground(uint64_t pid) { __atomic_store_n(&shared.foreground, pid, __ATOMIC_RELEASE); }

} // namespace shell

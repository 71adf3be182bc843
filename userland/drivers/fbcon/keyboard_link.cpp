// userland/drivers/fbcon/keyboard_link.cpp — KeyboardLink (keyboard_link.hpp).
#include "keyboard_link.hpp"

#include <dev/keyboard.ipc.hpp>
#include <io/file.ipc.hpp>
#include <sys/devmgr.ipc.hpp>
#include <user/device.hpp>
#include <vesta/ipc/syscall_transport.hpp>

namespace fbcon {

using namespace vesta;
using namespace vesta::user;
namespace io = vesta::proto::io;
namespace sys = vesta::proto::sys;

namespace {

// What both threads share (one address space).
struct Shared {
    InputRing ring;
    uint8_t* input = nullptr; // the thread's read page, mapped
    uint32_t opens = 0;       // written by the thread (release)
};
Shared shared;

// The thread's cspace: spawn puts its Task and the Console in slots 0 and 1.
constexpr uint64_t kDevmgr = 2, kSignal = 3, kSpace = 4, kPage = 5, kSleep = 6, kOwnCspace = 7;
constexpr uint64_t kThreadSlots = 16;
constexpr size_t kReadChunk = 64;
constexpr uint64_t kRetryTicks = 10, kSlowRetryTicks = 100, kFastRetries = 600; // 100 ms for a minute, then 1 s

void sleep(IpcBuffer* buffer, uint64_t ticks) {
    buffer->poll[0] = kSleep; // never signalled: Poll sleeps `ticks`
    syscall(Syscall::Poll, 1, {}, 0, 0, 0, 0, kNoSlot, ticks);
}

// devmgr.open(dev::keyboard, 0) until it answers; returns the endpoint's slot.
uint64_t open_keyboard(ipc::SyscallTransport& transport, IpcBuffer* buffer) {
    for (uint64_t tries = 0;; ++tries) {
        auto opened = sys::devmgr::open(transport, kDevmgr, proto::dev::keyboard::kId, 0);
        if (opened.ok()) return opened.value().device;
        if (opened.error() == ipc::Status(sys::restarting))
            sleep(buffer, 1);
        else
            sleep(buffer, tries < kFastRetries ? kRetryTicks : kSlowRetryTicks);
    }
}

[[noreturn]] void keyboard_main(uint64_t ipc_buffer_address) {
    auto* buffer = reinterpret_cast<IpcBuffer*>(ipc_buffer_address);
    ipc::SyscallTransport transport(buffer);
    for (;;) {
        const uint64_t keyboard = open_keyboard(transport, buffer);
        __atomic_store_n(&shared.opens, shared.opens + 1, __ATOMIC_RELEASE);
        syscall(Syscall::Signal, kSignal);
        for (;;) {
            const size_t room = shared.ring.free_space();
            if (room == 0) {
                syscall(Syscall::Wait, kSpace);
                continue;
            }
            const size_t want = room < kReadChunk ? room : kReadChunk;
            auto n = io::file::read(transport, keyboard, ipc::CapList{{kPage}, 1}, 0, want);
            if (!n.ok() && driver_gone(n.error())) break;
            if (!n.ok()) {
                sleep(buffer, kRetryTicks);
                continue;
            }
            const size_t count = n.value() < want ? n.value() : want;
            shared.ring.push(shared.input, count); // fits: only this thread adds
            syscall(Syscall::Signal, kSignal);
        }
        // The keyboard's driver died: its endpoint's slot (if the kernel
        // did not empty it already) goes before the device is opened again.
        invoke(kOwnCspace, CapabilitySpaceLabel::Delete, keyboard);
    }
}

} // namespace

Error KeyboardLink::start(uint64_t devmgr, uint64_t signal) {
    uint64_t address = 0, input_page = kNoSlot, stack = 0, stack_page = kNoSlot, sleep_note = kNoSlot;
    if (const Error e = map_new_pages(1, rights::kRead | rights::kWrite, &address, &input_page); e != Error::None)
        return e;
    shared.input = reinterpret_cast<uint8_t*>(address);
    if (const Error e = map_new_pages(4, rights::kRead | rights::kWrite, &stack, &stack_page); e != Error::None)
        return e;
    if (const Error e = create(ObjectType::Notification, 0, &space_); e != Error::None) return e;
    if (const Error e = create(ObjectType::Notification, 0, &sleep_note); e != Error::None) return e;

    SpawnOptions options;
    options.vspace = runtime.vspace;
    options.cspace_slots = kThreadSlots;
    options.entry = reinterpret_cast<uint64_t>(&keyboard_main);
    options.stack_top = thread_stack_top(stack, 4 * kPageSize);
    options.name = "fbcon-keyboard";
    Spawned thread{};
    if (const Error e = spawn_thread(options, &thread); e != Error::None) return e; // at the driver's own priority
    const struct {
        uint64_t slot, source;
        uint8_t rights;
    } given[] = {
        {kDevmgr, devmgr, rights::kWrite | rights::kGrant},
        {kSignal, signal, rights::kWrite},
        {kSpace, space_, rights::kRead},
        {kPage, input_page, rights::kAll},
        {kSleep, sleep_note, rights::kRead},
        {kOwnCspace, thread.cspace, rights::kAll},
    };
    for (const auto& g : given)
        if (const Error e = give(thread, g.slot, g.source, g.rights); e != Error::None) return e;
    return user::start(thread);
}

size_t KeyboardLink::take(uint8_t* out, size_t max) {
    const size_t n = shared.ring.pop(out, max);
    if (n > 0) syscall(Syscall::Signal, space_);
    return n;
}

bool KeyboardLink::pending() const { return !shared.ring.empty(); }

uint32_t KeyboardLink::opens() const { return __atomic_load_n(&shared.opens, __ATOMIC_ACQUIRE); }

} // namespace fbcon

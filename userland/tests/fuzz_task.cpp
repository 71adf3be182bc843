// userland/tests/fuzz_task.cpp — a fuzzing task: FuzzShared::count syscalls,
// random (FuzzMode::Random) or stateful (FuzzMode::Stateful), then it says it
// has finished and yields forever. It holds only what fuzz.hpp's fuzz_slot
// lists: its own cspace, a playground vspace (never the one it runs in, so
// nothing it maps or binds can pull its own code from under it), a small
// lent pool, an endpoint and a notification shared with the other fuzzing
// task, a reply object and the other task's cspace. No task capability of its
// own, no console, no IRQ or I/O-port control.
#include "fuzz.hpp"

namespace suite {
namespace {

using namespace fuzz_slot;

uint64_t rng_state = 1;
uint64_t next() {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}
uint64_t below(uint64_t n) { return next() % n; }
bool one_in(uint64_t n) { return below(n) == 0; }

constexpr uint64_t kNasty[] = {
    0,
    1,
    2,
    3,
    7,
    8,
    0xff,
    0x1000,
    0xfff,
    0x1001,
    ~uint64_t{0},
    ~uint64_t{0} - 1,
    uint64_t{1} << 63,
    0x7fff'ffff'ffff'ffff,
    0xffff'8000'0000'0000,
    0xffff'ffff'8010'0000,
    0xffff'ffff'ffff'f000,
    0x0000'7fff'ffff'f000,
    0x0000'7fff'ffff'fff8,
    0x0000'8000'0000'0000,
    0x0000'3000'0000'0ffc,
    0x0000'3000'0000'0000,
    0x0040'0000,
    0x7fff'e000'1000,
    65536,
    65537,
    512,
    513,
    0x1'0000'0000,
    kAnySlot - 1,
};
uint64_t nasty() { return kNasty[below(sizeof(kNasty) / sizeof(kNasty[0]))]; }
uint64_t slot_value() {
    const uint64_t r = below(10);
    if (r < 8) return below(kSlots);
    return r == 8 ? kAnySlot : nasty();
}
uint64_t word() {
    const uint64_t r = below(8);
    if (r < 3) return below(16);
    if (r < 5) return slot_value();
    if (r < 7) return nasty();
    return next();
}

FuzzShared::Task* me = nullptr;
IpcBuffer* ipc = nullptr;
uint64_t cpus = 1; // FuzzShared::cpus

Registers call(uint64_t number, uint64_t r0, uint64_t tag, uint64_t w0 = 0, uint64_t w1 = 0, uint64_t w2 = 0,
               uint64_t w3 = 0, uint64_t r6 = kNoSlot, uint64_t r7 = 0) {
    Registers regs{{r0, tag, w0, w1, w2, w3, r6, r7}};
    syscall_raw(number, regs);
    if (number < kSyscallCount) me->results[regs.r[0] & 31] = me->results[regs.r[0] & 31] + 1;
    me->progress = me->progress + 1;
    return regs;
}

Registers invoke_object(uint64_t slot, uint64_t label, uint64_t w0 = 0, uint64_t w1 = 0, uint64_t w2 = 0,
                        uint64_t w3 = 0) {
    return call(uint64_t(Syscall::Call), slot, MessageTag::make(label, 4, 0).raw, w0, w1, w2, w3);
}

// --- random mode ---------------------------------------------------------

void random_syscall() {
    if (one_in(8)) {
        for (uint64_t& w : ipc->words) w = word();
        for (uint64_t& c : ipc->caps) c = slot_value();
        for (uint64_t& s : ipc->receive_slots) s = one_in(2) ? kAnySlot : slot_value();
        for (uint64_t& p : ipc->poll) p = slot_value();
    }
    uint64_t number = below(kSyscallCount + 1);
    if (number == kSyscallCount) number = one_in(4) ? nasty() : kSyscallCount + below(300);
    const uint64_t label = one_in(4) ? next() : below(10);
    const uint64_t tag = one_in(8) ? next() : (label << 16) | below(6) << 8 | below(40);
    call(number, number == uint64_t(Syscall::Poll) ? below(10) : slot_value(), tag, word(), word(), word(), word(),
         one_in(4) ? nasty() : slot_value(), one_in(4) ? nasty() : below(3));
}

// --- stateful mode -------------------------------------------------------

// A slot of the own cspace holding `type` (found by asking CapabilitySpace.Info
// about a few random slots), or a random slot.
uint64_t pick(ObjectType type) {
    for (int tries = 0; tries < 6; ++tries) {
        const uint64_t slot = below(kSlots);
        const Registers info = invoke_object(kOwnCspace, uint64_t(CapabilitySpaceLabel::Info), slot);
        if (info.r[0] == 0 && info.r[2] == uint64_t(type)) return slot;
    }
    return below(kSlots);
}
uint64_t pick_cspace() {
    return one_in(3) ? kOwnCspace : one_in(2) ? kPartnerCspace : pick(ObjectType::CapabilitySpace);
}
uint64_t pick_endpoint() { return one_in(2) ? kEndpoint : pick(ObjectType::Endpoint); }
uint64_t pick_notification() { return one_in(2) ? kNotification : pick(ObjectType::Notification); }
uint64_t pick_vspace() { return one_in(2) ? kPlayground : pick(ObjectType::VirtualSpace); }
uint64_t pick_pool() { return one_in(2) ? kPool : pick(ObjectType::Memory); }
uint64_t any_slot() { return below(kSlots); }
uint64_t destination() { return one_in(3) ? below(kSlots) : kAnySlot; }
uint64_t page_address() { return (1 + below(1 << 14)) * kPageSize; }
uint64_t permissions() {
    static constexpr uint64_t kChoices[] = {rights::kRead, rights::kRead | rights::kWrite,
                                            rights::kRead | rights::kExecute, rights::kAll, 0};
    return kChoices[below(5)];
}
uint64_t rights_mask() { return one_in(4) ? below(16) : rights::kAll; }

void create_object() {
    static constexpr ObjectType kTypes[] = {ObjectType::Page, ObjectType::CapabilitySpace, ObjectType::VirtualSpace,
                                            ObjectType::Task, ObjectType::Endpoint,        ObjectType::Notification,
                                            ObjectType::Reply};
    const uint64_t pool = pick_pool();
    if (one_in(8)) {
        invoke_object(pool, uint64_t(MemoryLabel::Split), 2 + below(16), destination());
        return;
    }
    const ObjectType type = kTypes[below(7)];
    uint64_t size = 0;
    if (type == ObjectType::Page) size = 1 + below(4);
    if (type == ObjectType::CapabilitySpace) size = 1 + below(16);
    invoke_object(pool, uint64_t(MemoryLabel::Create), uint64_t(type), destination(), size);
}

// Fill the IPC buffer's capability list with slots that hold something.
size_t offer_capabilities() {
    const size_t count = below(kMaxMessageCaps + 1);
    for (size_t i = 0; i < count; ++i) ipc->caps[i] = one_in(4) ? any_slot() : kFirstFree + below(kSlots - kFirstFree);
    for (uint64_t& s : ipc->receive_slots) s = one_in(3) ? any_slot() : kAnySlot;
    return count;
}

void ipc_operation() {
    const uint64_t endpoint = pick_endpoint();
    const size_t caps = one_in(2) ? offer_capabilities() : 0;
    const size_t words = below(8);
    for (size_t i = 0; i < words; ++i) ipc->words[i] = word();
    const uint64_t tag = MessageTag::make(below(4), words, caps).raw;
    const uint64_t reply = one_in(4) ? pick(ObjectType::Reply) : kReply;
    switch (below(8)) {
    case 0: call(uint64_t(Syscall::TrySend), endpoint, tag, word(), word()); break;
    case 1: call(uint64_t(Syscall::Send), endpoint, tag, word()); break;
    case 2: call(uint64_t(Syscall::Call), endpoint, tag, word()); break;
    case 3: call(uint64_t(Syscall::TryRecv), endpoint, 0, 0, 0, 0, 0, reply); break;
    case 4: call(uint64_t(Syscall::Recv), endpoint, 0, 0, 0, 0, 0, reply); break;
    case 5: call(uint64_t(Syscall::Reply), 0, tag, word(), 0, 0, 0, reply); break;
    case 6: call(uint64_t(Syscall::ReplyRecv), endpoint, tag, word(), 0, 0, 0, reply); break;
    default: call(uint64_t(Syscall::TryRecv), endpoint, 0, 0, 0, 0, 0, kNoSlot); break;
    }
}

void notification_operation() {
    const uint64_t notification = pick_notification();
    switch (below(4)) {
    case 0: call(uint64_t(Syscall::Signal), notification, 0); break;
    case 1: call(uint64_t(Syscall::Wait), notification, 0); break;
    default: {
        const uint64_t count = 1 + below(3);
        for (uint64_t i = 0; i < count; ++i) ipc->poll[i] = one_in(2) ? pick_notification() : pick_endpoint();
        call(uint64_t(Syscall::Poll), count, 0, 0, 0, 0, 0, kNoSlot, below(4));
    }
    }
}

void capability_operation() {
    switch (below(5)) {
    case 0:
        invoke_object(pick_cspace(), uint64_t(CapabilitySpaceLabel::Copy), destination(), any_slot(), rights_mask(),
                      one_in(2) ? below(8) : 0);
        break;
    case 1: // mostly what this task made: its working capabilities erode slowly
        invoke_object(pick_cspace(), uint64_t(CapabilitySpaceLabel::Move), destination(),
                      one_in(16) ? any_slot() : kFirstFree + below(kSlots - kFirstFree));
        break;
    case 2: // a cspace into itself, or into another it holds
        invoke_object(pick(ObjectType::CapabilitySpace), uint64_t(CapabilitySpaceLabel::Copy), destination(),
                      pick(ObjectType::CapabilitySpace), rights::kAll, 0);
        break;
    default: {
        // Deletes: mostly what this task made, now and then anything at all.
        const uint64_t slot = one_in(64) ? any_slot() : kFirstFree + below(kSlots - kFirstFree);
        invoke_object(pick_cspace(), uint64_t(CapabilitySpaceLabel::Delete), slot);
    }
    }
}

void task_operation() {
    const uint64_t task = pick(ObjectType::Task);
    switch (below(8)) {
    case 0:
        invoke_object(task, uint64_t(TaskLabel::Configure), one_in(4) ? kOwnCspace : pick(ObjectType::CapabilitySpace),
                      pick_vspace(), one_in(2) ? pick_endpoint() : kNoSlot, below(90));
        break;
    case 1: invoke_object(task, uint64_t(TaskLabel::SetIpcBuffer), pick(ObjectType::Page), page_address()); break;
    case 2: invoke_object(task, uint64_t(TaskLabel::WriteRegisters), page_address(), page_address(), word()); break;
    case 3: invoke_object(task, uint64_t(TaskLabel::Resume)); break;
    case 4: invoke_object(task, uint64_t(TaskLabel::Suspend)); break;
    case 5: invoke_object(task, uint64_t(TaskLabel::SetPriority), below(100)); break;
    case 6: invoke_object(task, uint64_t(TaskLabel::SetAffinity), one_in(8) ? nasty() : below(cpus + 1)); break;
    default: invoke_object(task, uint64_t(TaskLabel::ReadRegisters)); break;
    }
}

void vspace_operation() {
    const uint64_t space = pick_vspace();
    const uint64_t page = pick(ObjectType::Page);
    switch (below(4)) {
    case 0:
    case 1: invoke_object(space, uint64_t(VirtualSpaceLabel::Map), page, page_address(), permissions()); break;
    case 2: invoke_object(space, uint64_t(VirtualSpaceLabel::Unmap), page); break;
    default: invoke_object(space, uint64_t(VirtualSpaceLabel::Protect), page, permissions()); break;
    }
}

void query_operation() {
    switch (below(4)) {
    case 0: invoke_object(pick_pool(), uint64_t(MemoryLabel::Info)); break;
    case 1: invoke_object(pick(ObjectType::Page), uint64_t(FrameLabel::Info)); break;
    case 2: invoke_object(pick_vspace(), uint64_t(VirtualSpaceLabel::Query), page_address()); break;
    default: invoke_object(pick_cspace(), uint64_t(CapabilitySpaceLabel::Info), any_slot()); break;
    }
}

void stateful_step() {
    const uint64_t r = below(100);
    if (r < 18)
        create_object();
    else if (r < 38)
        capability_operation();
    else if (r < 52)
        ipc_operation();
    else if (r < 60)
        notification_operation();
    else if (r < 72)
        task_operation();
    else if (r < 84)
        vspace_operation();
    else if (r < 90)
        query_operation();
    else if (r < 91)
        call(uint64_t(Syscall::Exit), below(3), 0); // the runner starts it again
    else if (r < 92)
        call(uint64_t(Syscall::Yield), 0, 0);
    else
        random_syscall();
}

} // namespace

void fuzz_task_main() {
    ipc = runtime.ipc_buffer;
    const uint64_t index = ipc->user[1];
    auto* shared = reinterpret_cast<FuzzShared*>(ipc->user[2]);
    me = &shared->task[index];
    cpus = shared->cpus;
    runtime.console = kNoSlot;
    rng_state = shared->seed * 0x9e37'79b9'7f4a'7c15 + index * 0x2545'f491'4f6c'dd1d + 1;
    const bool stateful = shared->mode == uint64_t(FuzzMode::Stateful);
    while (me->progress < shared->count) {
        if (stateful)
            stateful_step();
        else
            random_syscall();
    }
    me->finished = 1;
    for (;;) syscall(Syscall::Yield, 0);
}

} // namespace suite

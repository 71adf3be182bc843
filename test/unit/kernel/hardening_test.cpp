// Regression tests for the kernel-hardening findings: each builds the object
// graph or argument a hostile task would, and would fail (or crash under
// ASan with pool poisoning) on the kernel before the lifetime rework.
#include "kernel_fixture.hpp"

#include <functional>
#include <object/frame.hpp>
#include <object/memory.hpp>
#include <object/virtual_space.hpp>
#include <pthread.h>
#include <string.h>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

using namespace vesta;
using namespace vesta::test;

namespace {

constexpr uint64_t kRoot = root_slot::kCapabilitySpace;

CallResult remove(KernelFixture& f, uint64_t slot, uint64_t space = kRoot) {
    return f.invoke(f.root_task, space, CapabilitySpaceLabel::Delete, {slot});
}

uint64_t copy_into(KernelFixture& f, uint64_t cspace, uint64_t source, uint64_t index = kAnySlot) {
    auto copy = f.invoke(f.root_task, cspace, CapabilitySpaceLabel::Copy, {index, source, rights::kAll, 0});
    REQUIRE(copy.error == Error::None);
    return copy.words[0];
}

uint64_t split(KernelFixture& f, uint64_t pages) {
    auto pool = f.invoke(f.root_task, root_slot::kMemory, MemoryLabel::Split, {pages, kAnySlot});
    REQUIRE(pool.error == Error::None);
    return pool.words[0];
}

// Runs `body` on a thread whose stack is `bytes`, painted first; returns the
// bytes of it that were ever used (the deepest the body went).
size_t run_on_small_stack(size_t bytes, const std::function<void()>& body) {
    std::vector<uint8_t> stack(bytes + 4096);
    uint8_t* base = reinterpret_cast<uint8_t*>((reinterpret_cast<uintptr_t>(stack.data()) + 4095) & ~uintptr_t{4095});
    memset(base, 0x5a, bytes);
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setstack(&attributes, base, bytes);
    pthread_t thread;
    auto entry = [](void* argument) -> void* {
        (*static_cast<const std::function<void()>*>(argument))();
        return nullptr;
    };
    REQUIRE(pthread_create(&thread, &attributes, entry, const_cast<std::function<void()>*>(&body)) == 0);
    pthread_join(thread, nullptr);
    pthread_attr_destroy(&attributes);
    size_t untouched = 0;
    while (untouched < bytes && base[untouched] == 0x5a) ++untouched;
    return bytes - untouched;
}

} // namespace

// Regression (hardening review): Task.Configure released the old cspace before taking the new
// bindings, and read the fault endpoint through a slot of the old cspace.
TEST_CASE("a task reconfiguring itself away from a cspace that holds the last capabilities to the new bindings",
          "[hardening][task]") {
    KernelFixture f;
    const uint64_t root_free = f.pool->free_pages();
    const uint64_t pool = split(f, 128);
    const uint64_t old_space = f.create(ObjectType::CapabilitySpace, 8, pool);
    const uint64_t task = f.create(ObjectType::Task, 0, pool);
    const uint64_t buffer = f.create(ObjectType::Page, 1, pool);
    REQUIRE(
        f.invoke(f.root_task, task, TaskLabel::Configure, {old_space, root_slot::kVirtualSpace, kNoSlot, 100}).error ==
        Error::None);
    REQUIRE(f.invoke(f.root_task, task, TaskLabel::SetIpcBuffer, {buffer, 0x20000}).error == Error::None);
    // The old cspace holds itself, the task, and the only capabilities to a
    // new cspace, vspace, fault endpoint and IPC buffer page.
    CapabilitySpace& old_cspace = f.object<CapabilitySpace>(old_space);
    copy_into(f, old_space, old_space, 0);
    copy_into(f, old_space, task, 1);
    const uint64_t parts[] = {f.create(ObjectType::CapabilitySpace, 8, pool),
                              f.create(ObjectType::VirtualSpace, 0, pool), f.create(ObjectType::Endpoint, 0, pool),
                              f.create(ObjectType::Page, 1, pool)};
    Object* wanted[4];
    for (int i = 0; i < 4; ++i) {
        REQUIRE(f.invoke(f.root_task, old_space, CapabilitySpaceLabel::Move, {uint64_t(2 + i), parts[i]}).error ==
                Error::None);
        wanted[i] = f.slot(2 + i, &old_cspace).object;
    }
    Task& child = f.object<Task>(task);
    REQUIRE(f.invoke(f.root_task, task, TaskLabel::Resume).error == Error::None);
    // The supervisor keeps only the pool: the old cspace lives by its cycle.
    for (uint64_t slot : {old_space, task, buffer}) REQUIRE(remove(f, slot).error == Error::None);
    CHECK_FALSE(old_cspace.dying());
    CHECK(child.cspace == &old_cspace);
    REQUIRE(f.invoke(child, 1, TaskLabel::Resume).error == Error::Busy); // it runs

    // It rebinds itself: nothing it names may be freed under it.
    CHECK(f.invoke(child, 1, TaskLabel::Configure, {2, 3, 4, 100}).error == Error::None);
    CHECK(child.cspace == wanted[0]);
    CHECK(child.vspace == wanted[1]);
    CHECK(child.fault_endpoint == wanted[2]);
    CHECK(static_cast<Endpoint*>(wanted[2])->fault_tasks.front() == &child);
    CHECK(old_cspace.bound_tasks.empty());
    // Its new cspace is empty: the old one still names the page.
    CHECK(f.ipc(child, Syscall::Call, 5, uint64_t(TaskLabel::SetIpcBuffer), {5, 0x30000}) == Error::InvalidCapability);
    // The old cspace lives on (it holds itself) until its pool goes: then all of it.
    CHECK_FALSE(old_cspace.dying());
    f.switch_to(f.root_task);
    REQUIRE(remove(f, pool).error == Error::None);
    CHECK(f.kernel.teardown.empty());
    CHECK(f.pool->free_pages() == root_free);
}

TEST_CASE("rebinding IRQ handlers and moving capabilities never frees what they name", "[hardening]") {
    KernelFixture f;
    const uint64_t notification = f.create(ObjectType::Notification);
    const uint64_t handler =
        f.invoke(f.root_task, root_slot::kIrqControl, IrqControlLabel::Get, {7, kAnySlot, root_slot::kMemory}).words[0];
    REQUIRE(f.invoke(f.root_task, handler, IrqHandlerLabel::Bind, {notification}).error == Error::None);
    // The binding does not keep the notification: its death unbinds and masks.
    REQUIRE(remove(f, notification).error == Error::None);
    CHECK(f.object<IrqHandler>(handler).notification == nullptr);
    CHECK(arch::host_machine.interrupt_masked[7]);
    handle_interrupt(f.cpu, 7); // nothing bound: nothing signalled, nothing touched
    // Moves onto occupied slots and onto themselves are refused.
    const uint64_t endpoint = f.create(ObjectType::Endpoint);
    CHECK(f.invoke(f.root_task, kRoot, CapabilitySpaceLabel::Move, {endpoint, endpoint}).error == Error::SlotOccupied);
    CHECK(f.invoke(f.root_task, kRoot, CapabilitySpaceLabel::Move, {handler, endpoint}).error == Error::SlotOccupied);
    // A cspace moved into itself is a cycle its pool reclaims.
    const uint64_t free_before = f.pool->free_pages();
    const uint64_t pool = split(f, 16);
    const uint64_t space = f.create(ObjectType::CapabilitySpace, 4, pool);
    auto moved = f.invoke(f.root_task, space, CapabilitySpaceLabel::Move, {0, space});
    REQUIRE(moved.error == Error::None);
    CHECK(f.slot(space).empty());
    REQUIRE(remove(f, pool).error == Error::None);
    CHECK(f.pool->free_pages() == free_before);
}

// Regression (hardening review): destruction recursed once per object in a chain.
TEST_CASE("deleting the head of a long chain of cspaces uses bounded stack and bounded work per entry",
          "[hardening][teardown]") {
    constexpr size_t kChain = 3000;
    KernelFixture f(16384);
    const uint64_t root_free = f.pool->free_pages();
    // cspace[i] holds, in its one slot, the only capability to cspace[i+1].
    uint64_t next = f.create(ObjectType::CapabilitySpace, 1);
    for (size_t i = 1; i < kChain; ++i) {
        const uint64_t current = f.create(ObjectType::CapabilitySpace, 1);
        REQUIRE(f.invoke(f.root_task, current, CapabilitySpaceLabel::Move, {0, next}).error == Error::None);
        next = current;
    }
    const uint64_t head = next;
    const uint64_t restarts_before = f.restarts;
    const size_t used = run_on_small_stack(512 * 1024, [&] { REQUIRE(remove(f, head).error == Error::None); });
    INFO("host stack bytes used by the Delete: " << used);
    CHECK(used < 128 * 1024);                 // a recursive teardown needed about kChain frames
    CHECK(f.restarts - restarts_before >= 2); // bounded work per kernel entry
    CHECK(f.kernel.teardown.empty());
    CHECK(f.pool->free_pages() == root_free);
}

TEST_CASE("a chain through task and cspace pairs, and a big cspace whose slots cascade, tear down in steps",
          "[hardening][teardown]") {
    KernelFixture f(16384);
    const uint64_t root_free = f.pool->free_pages();
    SECTION("each cspace holds its task and the next cspace") {
        uint64_t next = kNoSlot;
        for (int i = 0; i < 800; ++i) {
            const uint64_t space = f.create(ObjectType::CapabilitySpace, 2);
            const uint64_t task = f.create(ObjectType::Task);
            REQUIRE(f.invoke(f.root_task, task, TaskLabel::Configure, {space, root_slot::kVirtualSpace, kNoSlot, 10})
                        .error == Error::None);
            REQUIRE(f.invoke(f.root_task, task, TaskLabel::Resume).error == Error::None);
            REQUIRE(f.invoke(f.root_task, space, CapabilitySpaceLabel::Move, {0, task}).error == Error::None);
            if (next != kNoSlot)
                REQUIRE(f.invoke(f.root_task, space, CapabilitySpaceLabel::Move, {1, next}).error == Error::None);
            next = space;
        }
        const uint64_t restarts_before = f.restarts;
        const size_t used = run_on_small_stack(512 * 1024, [&] { REQUIRE(remove(f, next).error == Error::None); });
        CHECK(used < 128 * 1024);
        CHECK(f.restarts > restarts_before);
        CHECK(f.cpu.scheduler.highest() == nullptr); // every task stopped and gone
    }
    SECTION("65536 slots, every 32nd the last capability to a one-slot cspace") {
        const uint64_t big = f.create(ObjectType::CapabilitySpace, CapabilitySpace::kMaxSlots);
        auto& space = f.object<CapabilitySpace>(big);
        for (uint32_t i = 0; i < 2048; ++i) {
            const uint64_t small = f.create(ObjectType::CapabilitySpace, 1);
            REQUIRE(f.invoke(f.root_task, big, CapabilitySpaceLabel::Move, {i * 32, small}).error == Error::None);
        }
        CHECK(space.free_count() == CapabilitySpace::kMaxSlots - 2048);
        const uint64_t restarts_before = f.restarts;
        REQUIRE(remove(f, big).error == Error::None);
        CHECK(f.restarts - restarts_before >= 2048 / kTeardownBudgetPerCall);
    }
    CHECK(f.kernel.teardown.empty());
    CHECK(f.pool->free_pages() == root_free);
}

// Host builds poison free pool memory, so ASan reports any use of a freed
// kernel object; this checks the poisoning is really there.
TEST_CASE("freed kernel objects and free pool pages are poisoned for ASan", "[hardening][memory]") {
#if defined(__SANITIZE_ADDRESS__)
    KernelFixture f;
    const uint64_t endpoint = f.create(ObjectType::Endpoint);
    const uint64_t page = f.create(ObjectType::Page, 2);
    Object* endpoint_object = f.slot(endpoint).object;
    void* data = arch::physical_to_virtual(f.object<Page>(page).physical);
    CHECK_FALSE(__asan_address_is_poisoned(endpoint_object));
    CHECK_FALSE(__asan_address_is_poisoned(static_cast<uint8_t*>(data) + kPageSize));
    REQUIRE(remove(f, endpoint).error == Error::None);
    REQUIRE(remove(f, page).error == Error::None);
    CHECK(__asan_address_is_poisoned(endpoint_object));
    CHECK(__asan_address_is_poisoned(reinterpret_cast<uint8_t*>(endpoint_object) + sizeof(Endpoint) - 1));
    CHECK(__asan_address_is_poisoned(data));
    CHECK(__asan_address_is_poisoned(static_cast<uint8_t*>(data) + 2 * kPageSize - 1));
#else
    SUCCEED("not an ASan build");
#endif
}

// A Delete whose teardown outgrows one kernel entry is re-executed by the
// task; the continuation is tied to that call and nothing else.
TEST_CASE("a restarted Delete continues only as the same call", "[hardening][teardown]") {
    KernelFixture f(8192);
    const uint64_t big = f.create(ObjectType::CapabilitySpace, 4096);
    for (uint32_t i = 0; i < 1500; ++i)
        REQUIRE(f.invoke(f.root_task, big, CapabilitySpaceLabel::Move, {i, f.create(ObjectType::Endpoint)}).error ==
                Error::None);
    Task& root = f.root_task;
    root.context.set_instruction_pointer(0x1002);
    root.context.set_argument(reg::kCapability, root_slot::kCapabilitySpace);
    root.context.set_argument(reg::kTag, MessageTag::make(uint64_t(CapabilitySpaceLabel::Delete), 1, 0).raw);
    root.context.set_argument(reg::kWord0, big);
    root.context.set_syscall_number(uint64_t(Syscall::Call));
    handle_syscall(f.cpu);
    REQUIRE(f.cpu.restarted == &root);
    CHECK(root.restart.active);
    CHECK(root.context.instruction_pointer() == 0x1000);
    CHECK_FALSE(f.kernel.teardown.empty());
    SECTION("the same call again finishes the work") {
        f.cpu.restarted = nullptr;
        while (root.restart.active) {
            if (f.cpu.current != &root) f.switch_to(root);
            root.context.set_instruction_pointer(0x1002); // it executes the syscall instruction again
            handle_syscall(f.cpu);
        }
        CHECK(KernelFixture::status(root) == Error::None);
        CHECK(f.kernel.teardown.empty());
    }
    SECTION("another call forgets it (the timer drains what is left)") {
        if (f.cpu.current != &root) f.switch_to(root);
        CHECK(f.syscall(root, Syscall::Wait, {4000}) == Error::InvalidCapability);
        CHECK_FALSE(root.restart.active);
        for (int i = 0; i < 100 && !f.kernel.teardown.empty(); ++i) handle_timer_tick(f.cpu);
        CHECK(f.kernel.teardown.empty());
    }
}

// userland/tests/startup_tests.cpp — start-up blocks and the runtime built
// on them (docs/process-startup.md): a child checks its argv, environment,
// services and notes, and that its heap and mappings work over what it was
// given; the runner's own block; the heap's pages going back to the pool;
// the parent side's errors.
#include "protocol/client.hpp"

namespace suite {

namespace {

using namespace suite::protocol;
using startup::Role;

bool equal(const char* a, const char* b) {
    if (!a || !b) return false;
    for (; *a && *a == *b; ++a, ++b) {
    }
    return *a == *b;
}

// The child (protocol-server startup-check) reports with a call on
// "report": label 0, or the line of its first failed check.
bool block_in_child() {
    const uint64_t report = make(ObjectType::Endpoint), reply = make(ObjectType::Reply);
    const uint64_t service_endpoint = make(ObjectType::Endpoint);
    EXPECT(report != kNoSlot && reply != kNoSlot && service_endpoint != kNoSlot);
    const Grant extra[] = {
        {.source = report, .note = "report", .rights = rights::kWrite},
        {.source = service_endpoint,
         .slot = kCheckServiceSlot,
         .role = Role::Service,
         .interface_id = kCheckServiceId,
         .note = "serial0",
         .rights = rights::kWrite | rights::kGrant},
    };
    const char* const arguments[] = {kCheckArguments[2], kCheckArguments[3]};
    Server child;
    EXPECT_OK(start_server({.role = kStartupCheckRole,
                            .extra = extra,
                            .extra_count = 2,
                            .arguments = arguments,
                            .argument_count = 2,
                            .environment = kCheckEnvironment},
                           &child));
    runtime.ipc_buffer->poll[0] = report;
    EXPECT(syscall(Syscall::Poll, 1, {}, 0, 0, 0, 0, kNoSlot, 500).error == Error::None);
    const SyscallResult m = syscall(Syscall::Recv, report, {}, 0, 0, 0, 0, reply);
    EXPECT_OK(m.error);
    syscall(Syscall::Reply, 0, {}, 0, 0, 0, 0, reply);
    if (m.tag.label() != 0) {
        char text[80];
        print_to(text, sizeof(text), "the child's check at server_startup.cpp line {} failed", m.tag.label());
        return fail(text, __LINE__);
    }
    return true;
}

// The runner's own block, written by the supervisor (suite::slot).
bool runner_block() {
    EXPECT(equal(argument(0), "runner"));
    EXPECT(argument_count() == 1);
    EXPECT(runtime.self_task == slot::kTask && runtime.console == slot::kConsole);
    EXPECT(runtime.memory == slot::kMemory && runtime.cspace == slot::kCapabilitySpace &&
           runtime.vspace == slot::kVirtualSpace);
    EXPECT(capability_with_note("supervisor") == slot::kSupervisor);
    EXPECT(capability_with_note("initramfs") == slot::kInitramfs);
    EXPECT(capability_with_note("irq-control") == slot::kIrqControl);
    EXPECT(reinterpret_cast<uint64_t>(runtime.ipc_buffer) == runtime.startup.ipc_buffer());
    const startup::Capability* initramfs = runtime.startup.find_note("initramfs");
    EXPECT(initramfs && initramfs->type == uint8_t(ObjectType::Page) && initramfs->rights == rights::kRead);
    EXPECT(service(0x5430284c) == kNoSlot);
    return true;
}

// Large blocks give their pages back to the pool when freed; small ones are reused.
bool heap_returns_pages() {
    void* warm = allocate(16); // the heap window's first chunk and page tables
    EXPECT(warm != nullptr);
    const uint64_t before = free_pages();
    auto* big = static_cast<uint8_t*>(allocate(40000));
    EXPECT(big != nullptr && reinterpret_cast<uint64_t>(big) % 16 == 0);
    big[0] = 1;
    big[39999] = 2;
    EXPECT(free_pages() + 10 <= before);
    free(big);
    EXPECT(free_pages() == before);
    void* small[64];
    for (auto& block : small) {
        block = allocate(100);
        EXPECT(block != nullptr);
    }
    const size_t held = heap_pages();
    for (void* block : small) free(block);
    for (auto& block : small) block = allocate(100);
    EXPECT(heap_pages() == held); // reused, no new pages
    for (void* block : small) free(block);
    free(warm);
    return true;
}

// The parent side refuses what it cannot describe or grant.
bool spawn_refuses_bad_grants() {
    static ProcessStartup startup;
    startup = ProcessStartup{};
    EXPECT_ERROR(startup.grant({.source = slot::kMemory, .note = "a note of thirty-two characters.."}),
                 Error::InvalidArgument);
    EXPECT_ERROR(startup.grant({.source = slot::kMemory, .interface_id = 5}), Error::InvalidArgument);
    EXPECT_ERROR(startup.add_environment("NO_EQUALS"), Error::InvalidArgument);
    const void* image = nullptr;
    size_t size = 0;
    Server unused; // maps the initramfs
    EXPECT_OK(start_server({.role = kFileRole, .run = false}, &unused));
    EXPECT(find_file("protocol-server", &image, &size));
    SpawnOptions options;
    options.startup = &startup;
    Spawned child{};
    // An empty source slot.
    EXPECT_OK(startup.grant({.source = slot::kCspaceSlots - 1}));
    EXPECT_ERROR(spawn(image, size, options, &child), Error::InvalidCapability);
    // Two grants for one slot (the standard slot 0 holds the task).
    startup = ProcessStartup{};
    EXPECT_OK(startup.grant({.source = slot::kMemory, .slot = 0}));
    EXPECT_ERROR(spawn(image, size, options, &child), Error::SlotOccupied);
    // Without the standard slots, slot 0 is free for it.
    startup.standard_slots = false;
    EXPECT_OK(spawn(image, size, options, &child));
    uint64_t type = 0;
    EXPECT_OK(invoke(child.cspace, CapabilitySpaceLabel::Info, 0).error);
    type = invoke(child.cspace, CapabilitySpaceLabel::Info, 0).words[0];
    EXPECT(type == uint64_t(ObjectType::Memory));
    EXPECT(invoke(child.cspace, CapabilitySpaceLabel::Info, 1).words[0] == 0); // no console
    // A page that is not an image.
    EXPECT_ERROR(spawn(image, 100, options, &child), Error::Malformed);
    return true;
}

} // namespace

const Test kStartupTests[] = {
    {"startup.block_in_child", block_in_child},
    {"startup.runner_block", runner_block},
    {"startup.heap_returns_pages", heap_returns_pages},
    {"startup.spawn_refuses_bad_grants", spawn_refuses_bad_grants},
};
const size_t kStartupTestCount = sizeof(kStartupTests) / sizeof(kStartupTests[0]);

} // namespace suite

// userland/tests/capability_tests.cpp — capability spaces: allocate, copy
// with reduced rights, badges, move, destroy, full cspace, bad indices.
#include "suite.hpp"

namespace suite {

namespace {

template <ObjectType type, uint64_t size>
bool create_and_destroy() {
    const uint64_t before = free_pages();
    const uint64_t slot = make(type, size);
    EXPECT(slot != kNoSlot);
    uint64_t kind = 0;
    EXPECT_OK(cap_info(slot, &kind));
    EXPECT(kind == uint64_t(type));
    EXPECT_OK(delete_cap(slot));
    EXPECT_OK(cap_info(slot, &kind));
    EXPECT(kind == 0);
    EXPECT(free_pages() == before);
    return true;
}

bool copy_reduced_rights() {
    const uint64_t endpoint = make(ObjectType::Endpoint);
    uint64_t copy = 0, rights_held = 0;
    EXPECT_OK(copy_cap(endpoint, rights::kRead, 0, &copy));
    EXPECT_OK(cap_info(copy, nullptr, &rights_held));
    EXPECT(rights_held == rights::kRead);
    return true;
}

bool copy_never_gains_rights() {
    const uint64_t endpoint = make(ObjectType::Endpoint);
    uint64_t weak = 0, again = 0, rights_held = 0;
    EXPECT_OK(copy_cap(endpoint, rights::kRead, 0, &weak));
    EXPECT_OK(copy_cap(weak, rights::kAll, 0, &again));
    EXPECT_OK(cap_info(again, nullptr, &rights_held));
    EXPECT(rights_held == rights::kRead);
    return true;
}

bool badge_endpoint() {
    const uint64_t endpoint = make(ObjectType::Endpoint);
    uint64_t copy = 0, badge = 0;
    EXPECT_OK(copy_cap(endpoint, rights::kAll, 77, &copy));
    EXPECT_OK(cap_info(copy, nullptr, nullptr, &badge));
    EXPECT(badge == 77);
    return true;
}

bool badge_notification() {
    const uint64_t notification = make(ObjectType::Notification);
    uint64_t copy = 0, badge = 0;
    EXPECT_OK(copy_cap(notification, rights::kAll, 0x40, &copy));
    EXPECT_OK(cap_info(copy, nullptr, nullptr, &badge));
    EXPECT(badge == 0x40);
    return true;
}

bool rebadge_refused() {
    const uint64_t endpoint = make(ObjectType::Endpoint);
    uint64_t copy = 0;
    EXPECT_OK(copy_cap(endpoint, rights::kAll, 5, &copy));
    EXPECT_ERROR(copy_cap(copy, rights::kAll, 6, nullptr), Error::InvalidArgument);
    return true;
}

bool badged_copy_keeps_badge() {
    const uint64_t endpoint = make(ObjectType::Endpoint);
    uint64_t copy = 0, again = 0, badge = 0;
    EXPECT_OK(copy_cap(endpoint, rights::kAll, 5, &copy));
    EXPECT_OK(copy_cap(copy, rights::kWrite, 0, &again));
    EXPECT_OK(cap_info(again, nullptr, nullptr, &badge));
    EXPECT(badge == 5);
    return true;
}

bool badge_on_page_refused() {
    const uint64_t page = make(ObjectType::Page, 1);
    EXPECT_ERROR(copy_cap(page, rights::kAll, 1, nullptr), Error::InvalidArgument);
    return true;
}

bool bad_rights_mask_refused() {
    const uint64_t endpoint = make(ObjectType::Endpoint);
    EXPECT_ERROR(copy_cap(endpoint, 0x10, 0, nullptr), Error::InvalidArgument);
    return true;
}

bool copy_to_chosen_index() {
    const uint64_t endpoint = make(ObjectType::Endpoint);
    const InvokeResult r = invoke(runtime.cspace, CapabilitySpaceLabel::Copy, 700, endpoint, rights::kAll, 0);
    EXPECT_OK(r.error);
    EXPECT(r.words[0] == 700);
    uint64_t type = 0;
    EXPECT_OK(cap_info(700, &type));
    EXPECT(type == uint64_t(ObjectType::Endpoint));
    return true;
}

bool copy_to_occupied_index() {
    const uint64_t endpoint = make(ObjectType::Endpoint);
    EXPECT_ERROR(invoke(runtime.cspace, CapabilitySpaceLabel::Copy, slot::kConsole, endpoint, rights::kAll, 0).error,
                 Error::SlotOccupied);
    return true;
}

bool copy_to_index_out_of_bounds() {
    const uint64_t endpoint = make(ObjectType::Endpoint);
    EXPECT_ERROR(
        invoke(runtime.cspace, CapabilitySpaceLabel::Copy, slot::kCspaceSlots, endpoint, rights::kAll, 0).error,
        Error::InvalidCapability);
    return true;
}

bool copy_from_empty_slot() {
    EXPECT_ERROR(invoke(runtime.cspace, CapabilitySpaceLabel::Copy, kAnySlot, 900, rights::kAll, 0).error,
                 Error::InvalidCapability);
    return true;
}

bool move_capability() {
    const uint64_t endpoint = make(ObjectType::Endpoint);
    const InvokeResult r = invoke(runtime.cspace, CapabilitySpaceLabel::Move, kAnySlot, endpoint);
    EXPECT_OK(r.error);
    uint64_t type = 1;
    EXPECT_OK(cap_info(endpoint, &type));
    EXPECT(type == 0);
    EXPECT_OK(cap_info(r.words[0], &type));
    EXPECT(type == uint64_t(ObjectType::Endpoint));
    return true;
}

bool move_to_occupied_slot() {
    const uint64_t a = make(ObjectType::Endpoint), b = make(ObjectType::Endpoint);
    EXPECT_ERROR(invoke(runtime.cspace, CapabilitySpaceLabel::Move, b, a).error, Error::SlotOccupied);
    uint64_t type = 0;
    EXPECT_OK(cap_info(a, &type));
    EXPECT(type == uint64_t(ObjectType::Endpoint));
    return true;
}

bool move_into_other_cspace() {
    const uint64_t cspace = make(ObjectType::CapabilitySpace, 8);
    const uint64_t endpoint = make(ObjectType::Endpoint);
    EXPECT_OK(invoke(cspace, CapabilitySpaceLabel::Move, 3, endpoint).error);
    const InvokeResult info = invoke(cspace, CapabilitySpaceLabel::Info, 3);
    EXPECT_OK(info.error);
    EXPECT(info.words[0] == uint64_t(ObjectType::Endpoint));
    return true;
}

bool copy_into_other_cspace() {
    const uint64_t cspace = make(ObjectType::CapabilitySpace, 8);
    const uint64_t notification = make(ObjectType::Notification);
    const InvokeResult r = invoke(cspace, CapabilitySpaceLabel::Copy, kAnySlot, notification, rights::kRead, 3);
    EXPECT_OK(r.error);
    const InvokeResult info = invoke(cspace, CapabilitySpaceLabel::Info, r.words[0]);
    EXPECT(info.words[0] == uint64_t(ObjectType::Notification));
    EXPECT(info.words[1] == rights::kRead);
    EXPECT(info.words[2] == 3);
    return true;
}

bool delete_empty_slot() {
    EXPECT_ERROR(delete_cap(950), Error::InvalidCapability);
    return true;
}

bool delete_out_of_bounds() {
    EXPECT_ERROR(delete_cap(slot::kCspaceSlots + 5), Error::InvalidCapability);
    EXPECT_ERROR(delete_cap(~uint64_t{0}), Error::InvalidCapability);
    return true;
}

bool info_out_of_bounds() {
    EXPECT_ERROR(cap_info(slot::kCspaceSlots, nullptr), Error::InvalidCapability);
    return true;
}

bool deleted_capability_unusable() {
    const uint64_t notification = make(ObjectType::Notification);
    EXPECT_OK(delete_cap(notification));
    EXPECT_ERROR(syscall(Syscall::Signal, notification).error, Error::InvalidCapability);
    return true;
}

bool object_outlives_one_copy() {
    const uint64_t notification = make(ObjectType::Notification);
    uint64_t copy = 0;
    EXPECT_OK(copy_cap(notification, rights::kAll, 0, &copy));
    EXPECT_OK(delete_cap(notification));
    EXPECT_OK(syscall(Syscall::Signal, copy).error);
    const SyscallResult m = syscall(Syscall::Wait, copy);
    EXPECT_OK(m.error);
    EXPECT(m.extra == 1);
    return true;
}

bool full_cspace() {
    const uint64_t cspace = make(ObjectType::CapabilitySpace, 4);
    const uint64_t endpoint = make(ObjectType::Endpoint);
    for (int i = 0; i < 4; ++i)
        EXPECT_OK(invoke(cspace, CapabilitySpaceLabel::Copy, kAnySlot, endpoint, rights::kAll, 0).error);
    EXPECT_ERROR(invoke(cspace, CapabilitySpaceLabel::Copy, kAnySlot, endpoint, rights::kAll, 0).error,
                 Error::OutOfRange);
    // A freed slot is allocated again.
    EXPECT_OK(invoke(cspace, CapabilitySpaceLabel::Delete, 2).error);
    const InvokeResult again = invoke(cspace, CapabilitySpaceLabel::Copy, kAnySlot, endpoint, rights::kAll, 0);
    EXPECT_OK(again.error);
    EXPECT(again.words[0] == 2);
    return true;
}

bool full_cspace_create() {
    // Memory.Create into a full cspace fails and takes no memory.
    const uint64_t endpoint = make(ObjectType::Endpoint);
    uint64_t filled = 0;
    while (copy_cap(endpoint, rights::kAll, 0, nullptr) == Error::None) ++filled;
    EXPECT(filled > 100);
    const uint64_t before = free_pages();
    EXPECT_ERROR(invoke(runtime.memory, MemoryLabel::Create, uint64_t(ObjectType::Endpoint), kAnySlot, 0).error,
                 Error::OutOfRange);
    EXPECT(free_pages() == before);
    return true;
}

bool cspace_sizes() {
    EXPECT_ERROR(invoke(runtime.memory, MemoryLabel::Create, uint64_t(ObjectType::CapabilitySpace), kAnySlot, 0).error,
                 Error::OutOfRange);
    EXPECT_ERROR(
        invoke(runtime.memory, MemoryLabel::Create, uint64_t(ObjectType::CapabilitySpace), kAnySlot, 65537).error,
        Error::OutOfRange);
    EXPECT(make(ObjectType::CapabilitySpace, 1) != kNoSlot);
    return true;
}

bool info_reports_type_of_own_slots() {
    uint64_t type = 0;
    EXPECT_OK(cap_info(slot::kTask, &type));
    EXPECT(type == uint64_t(ObjectType::Task));
    EXPECT_OK(cap_info(slot::kMemory, &type));
    EXPECT(type == uint64_t(ObjectType::Memory));
    EXPECT_OK(cap_info(slot::kCapabilitySpace, &type));
    EXPECT(type == uint64_t(ObjectType::CapabilitySpace));
    EXPECT_OK(cap_info(slot::kConsole, &type));
    EXPECT(type == uint64_t(ObjectType::Console));
    return true;
}

bool copy_needs_write_on_cspace() {
    uint64_t weak = 0;
    EXPECT_OK(copy_cap(runtime.cspace, rights::kRead, 0, &weak));
    const uint64_t endpoint = make(ObjectType::Endpoint);
    EXPECT_ERROR(invoke(weak, CapabilitySpaceLabel::Copy, kAnySlot, endpoint, rights::kAll, 0).error,
                 Error::MissingRights);
    EXPECT_ERROR(invoke(weak, CapabilitySpaceLabel::Delete, endpoint).error, Error::MissingRights);
    return true;
}

bool invalid_slot_numbers() {
    const uint64_t bad_slots[] = {slot::kCspaceSlots, ~uint64_t{0}, uint64_t{1} << 40, 999};
    for (uint64_t bad : bad_slots) EXPECT_ERROR(syscall(Syscall::Signal, bad).error, Error::InvalidCapability);
    return true;
}

bool wrong_type_signal() {
    const uint64_t endpoint = make(ObjectType::Endpoint);
    EXPECT_ERROR(syscall(Syscall::Signal, endpoint).error, Error::WrongType);
    return true;
}

} // namespace

// Kernel-hardening finding 2: a chain of one-slot cspaces, each holding the
// only capability to the next, deleted from its head. The teardown is
// iterative (bounded kernel stack) and spread over kernel entries (Delete
// restarts itself): Delete returns when all of it is gone.
bool long_chain_teardown() {
    constexpr int kChain = 2000;
    const uint64_t before = free_pages();
    uint64_t next = make(ObjectType::CapabilitySpace, 1);
    EXPECT(next != kNoSlot);
    for (int i = 1; i < kChain; ++i) {
        const uint64_t current = make(ObjectType::CapabilitySpace, 1);
        EXPECT(current != kNoSlot);
        EXPECT_OK(invoke(current, CapabilitySpaceLabel::Move, 0, next).error);
        next = current;
    }
    EXPECT(free_pages() < before);
    EXPECT_OK(delete_cap(next));
    EXPECT(free_pages() == before);
    return true;
}

// A task whose cspace holds the task itself and the next pair, 300 deep.
bool task_cspace_chain_teardown() {
    const uint64_t before = free_pages();
    uint64_t next = kNoSlot;
    for (int i = 0; i < 300; ++i) {
        const uint64_t space = make(ObjectType::CapabilitySpace, 2);
        const uint64_t task = make(ObjectType::Task);
        EXPECT(space != kNoSlot && task != kNoSlot);
        EXPECT_OK(invoke(task, TaskLabel::Configure, space, runtime.vspace, kNoSlot, 10).error);
        EXPECT_OK(invoke(space, CapabilitySpaceLabel::Move, 0, task).error);
        if (next != kNoSlot) EXPECT_OK(invoke(space, CapabilitySpaceLabel::Move, 1, next).error);
        next = space;
    }
    EXPECT_OK(delete_cap(next));
    EXPECT(free_pages() == before);
    return true;
}

extern const Test kCapabilityTests[] = {
    {"cap.create_destroy_endpoint", create_and_destroy<ObjectType::Endpoint, 0>},
    {"cap.create_destroy_notification", create_and_destroy<ObjectType::Notification, 0>},
    {"cap.create_destroy_reply", create_and_destroy<ObjectType::Reply, 0>},
    {"cap.create_destroy_cspace", create_and_destroy<ObjectType::CapabilitySpace, 16>},
    {"cap.create_destroy_big_cspace", create_and_destroy<ObjectType::CapabilitySpace, 2048>},
    {"cap.long_chain_teardown", long_chain_teardown},
    {"cap.task_cspace_chain_teardown", task_cspace_chain_teardown},
    {"cap.create_destroy_vspace", create_and_destroy<ObjectType::VirtualSpace, 0>},
    {"cap.create_destroy_task", create_and_destroy<ObjectType::Task, 0>},
    {"cap.create_destroy_page", create_and_destroy<ObjectType::Page, 1>},
    {"cap.create_destroy_pages_16", create_and_destroy<ObjectType::Page, 16>},
    {"cap.copy_reduced_rights", copy_reduced_rights},
    {"cap.copy_never_gains_rights", copy_never_gains_rights},
    {"cap.badge_endpoint", badge_endpoint},
    {"cap.badge_notification", badge_notification},
    {"cap.rebadge_refused", rebadge_refused},
    {"cap.badged_copy_keeps_badge", badged_copy_keeps_badge},
    {"cap.badge_on_page_refused", badge_on_page_refused},
    {"cap.bad_rights_mask_refused", bad_rights_mask_refused},
    {"cap.copy_to_chosen_index", copy_to_chosen_index},
    {"cap.copy_to_occupied_index", copy_to_occupied_index},
    {"cap.copy_to_index_out_of_bounds", copy_to_index_out_of_bounds},
    {"cap.copy_from_empty_slot", copy_from_empty_slot},
    {"cap.move", move_capability},
    {"cap.move_to_occupied_slot", move_to_occupied_slot},
    {"cap.move_into_other_cspace", move_into_other_cspace},
    {"cap.copy_into_other_cspace", copy_into_other_cspace},
    {"cap.delete_empty_slot", delete_empty_slot},
    {"cap.delete_out_of_bounds", delete_out_of_bounds},
    {"cap.info_out_of_bounds", info_out_of_bounds},
    {"cap.deleted_capability_unusable", deleted_capability_unusable},
    {"cap.object_outlives_one_copy", object_outlives_one_copy},
    {"cap.full_cspace", full_cspace},
    {"cap.full_cspace_create", full_cspace_create},
    {"cap.cspace_sizes", cspace_sizes},
    {"cap.info_reports_types", info_reports_type_of_own_slots},
    {"cap.copy_needs_write_on_cspace", copy_needs_write_on_cspace},
    {"cap.invalid_slot_numbers", invalid_slot_numbers},
    {"cap.wrong_type", wrong_type_signal},
};
extern const size_t kCapabilityTestCount = sizeof(kCapabilityTests) / sizeof(kCapabilityTests[0]);

} // namespace suite

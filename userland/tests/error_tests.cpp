// userland/tests/error_tests.cpp — error paths of the invocations not
// covered by the other groups (docs/capabilities.md lists each invocation's
// errors; docs/test-suite.md maps them to tests).
#include "suite.hpp"

namespace suite {

namespace {

InvokeResult call(uint64_t slot, uint64_t label, size_t count, uint64_t w0 = 0, uint64_t w1 = 0, uint64_t w2 = 0,
                  uint64_t w3 = 0) {
    const uint64_t words[4] = {w0, w1, w2, w3};
    return invoke_words(slot, label, words, count);
}

bool unknown_labels() {
    EXPECT_ERROR(call(runtime.memory, 99, 0).error, Error::NotSupported);
    EXPECT_ERROR(call(runtime.cspace, 0, 0).error, Error::NotSupported);
    EXPECT_ERROR(call(runtime.vspace, 77, 0).error, Error::NotSupported);
    EXPECT_ERROR(call(slot::kTask, 1000, 0).error, Error::NotSupported);
    EXPECT_ERROR(call(slot::kConsole, 5, 0).error, Error::NotSupported);
    EXPECT_ERROR(call(slot::kIrqControl, 2, 0).error, Error::NotSupported);
    return true;
}

bool objects_without_operations() {
    EXPECT_ERROR(call(make(ObjectType::Notification), 1, 0).error, Error::NotSupported);
    EXPECT_ERROR(call(make(ObjectType::Reply), 2, 0).error, Error::NotSupported); // its one operation is Info (1)
    return true;
}

bool too_few_words() {
    EXPECT_ERROR(call(runtime.memory, uint64_t(MemoryLabel::Create), 2, uint64_t(ObjectType::Endpoint), kAnySlot).error,
                 Error::InvalidArgument);
    EXPECT_ERROR(call(runtime.cspace, uint64_t(CapabilitySpaceLabel::Copy), 3, kAnySlot, slot::kTask, 0).error,
                 Error::InvalidArgument);
    EXPECT_ERROR(call(runtime.vspace, uint64_t(VirtualSpaceLabel::Map), 2, 0, 0).error, Error::InvalidArgument);
    EXPECT_ERROR(call(slot::kTask, uint64_t(TaskLabel::SetPriority), 0).error, Error::InvalidArgument);
    EXPECT_ERROR(call(runtime.cspace, uint64_t(CapabilitySpaceLabel::Delete), 0).error, Error::InvalidArgument);
    return true;
}

bool console_errors() {
    EXPECT_ERROR(call(slot::kConsole, uint64_t(ConsoleLabel::Write), 2, 9, 0x41).error, Error::InvalidArgument);
    EXPECT_ERROR(call(slot::kConsole, uint64_t(ConsoleLabel::Write), 0).error, Error::InvalidArgument);
    EXPECT_ERROR(call(slot::kConsole, 2, 0).error, Error::NotSupported); // was Stop: the console cannot halt
    uint64_t read_only = 0;
    EXPECT_OK(copy_cap(slot::kConsole, rights::kRead, 0, &read_only));
    EXPECT_ERROR(call(read_only, uint64_t(ConsoleLabel::Write), 2, 1, 0x41).error, Error::MissingRights);
    EXPECT_OK(call(slot::kConsole, uint64_t(ConsoleLabel::Write), 1, 0).error);
    return true;
}

bool task_register_errors() {
    EXPECT_ERROR(invoke(slot::kTask, TaskLabel::WriteRegisters, 0x1000, 0x2000, 0).error, Error::Busy);
    uint64_t read_only = 0, write_only = 0;
    EXPECT_OK(copy_cap(slot::kTask, rights::kRead, 0, &read_only));
    EXPECT_OK(copy_cap(slot::kTask, rights::kWrite, 0, &write_only));
    EXPECT_ERROR(invoke(write_only, TaskLabel::ReadRegisters).error, Error::MissingRights);
    EXPECT_ERROR(invoke(read_only, TaskLabel::Suspend).error, Error::MissingRights);
    EXPECT_ERROR(invoke(read_only, TaskLabel::SetPriority, 10).error, Error::MissingRights);
    EXPECT_OK(invoke(read_only, TaskLabel::ReadRegisters).error);
    return true;
}

// The fixed order of checks (docs/capabilities.md "Order of checks"): an
// unknown label is NotSupported even on a capability without rights — an
// IrqHandler without Write used to say MissingRights — and missing rights
// come before too few words.
bool check_order() {
    const InvokeResult handler = invoke(slot::kIrqControl, IrqControlLabel::Get, uint64_t{2}, kAnySlot, runtime.memory);
    EXPECT_OK(handler.error);
    uint64_t powerless = 0;
    EXPECT_OK(copy_cap(handler.words[0], 0, 0, &powerless));
    EXPECT_ERROR(call(powerless, 9, 0).error, Error::NotSupported);
    EXPECT_ERROR(call(powerless, uint64_t(IrqHandlerLabel::Bind), 0).error, Error::MissingRights);
    uint64_t read_only = 0;
    EXPECT_OK(copy_cap(runtime.memory, rights::kRead, 0, &read_only));
    EXPECT_ERROR(call(read_only, uint64_t(MemoryLabel::Create), 0).error, Error::MissingRights);
    return true;
}

bool task_name_errors() {
    const uint64_t task = make(ObjectType::Task);
    EXPECT_ERROR(call(task, uint64_t(TaskLabel::SetName), 3, 16, 0, 0).error, Error::OutOfRange);
    EXPECT_ERROR(call(task, uint64_t(TaskLabel::SetName), 2, 9, 0x4141414141414141).error, Error::InvalidArgument);
    EXPECT_ERROR(call(task, uint64_t(TaskLabel::SetName), 2, 1, 0x07).error, Error::InvalidArgument);
    EXPECT_ERROR(call(task, uint64_t(TaskLabel::SetName), 0).error, Error::InvalidArgument);
    uint64_t read_only = 0;
    EXPECT_OK(copy_cap(task, rights::kRead, 0, &read_only));
    EXPECT_ERROR(set_task_name(read_only, "x"), Error::MissingRights);
    EXPECT_OK(set_task_name(task, "a-long-name-cut-at-15"));
    EXPECT_OK(set_task_name(task, ""));
    return true;
}

bool ipc_buffer_errors() {
    const uint64_t task = make(ObjectType::Task);
    const uint64_t page = make(ObjectType::Page, 1);
    EXPECT_ERROR(invoke(task, TaskLabel::SetIpcBuffer, page, 0x1008).error, Error::Misaligned);
    EXPECT_ERROR(invoke(task, TaskLabel::SetIpcBuffer, page, 0xffff'8000'0000'0000).error, Error::OutOfRange);
    EXPECT_ERROR(invoke(task, TaskLabel::SetIpcBuffer, make(ObjectType::Endpoint), 0x1000).error, Error::WrongType);
    EXPECT_ERROR(invoke(task, TaskLabel::SetIpcBuffer, 999, 0x1000).error, Error::InvalidCapability);
    uint64_t read_only = 0;
    EXPECT_OK(copy_cap(page, rights::kRead, 0, &read_only));
    EXPECT_ERROR(invoke(task, TaskLabel::SetIpcBuffer, read_only, 0x1000).error, Error::MissingRights);
    EXPECT_OK(invoke(task, TaskLabel::SetIpcBuffer, page, 0x1000).error);
    EXPECT_OK(invoke(task, TaskLabel::SetIpcBuffer, kNoSlot, 0).error);
    return true;
}

bool configure_errors() {
    const uint64_t task = make(ObjectType::Task);
    const uint64_t cspace = make(ObjectType::CapabilitySpace, 4), vspace = make(ObjectType::VirtualSpace);
    const uint64_t endpoint = make(ObjectType::Endpoint);
    EXPECT_ERROR(invoke(task, TaskLabel::Configure, vspace, vspace, kNoSlot, 10).error, Error::WrongType);
    EXPECT_ERROR(invoke(task, TaskLabel::Configure, cspace, cspace, kNoSlot, 10).error, Error::WrongType);
    EXPECT_ERROR(invoke(task, TaskLabel::Configure, cspace, vspace, vspace, 10).error, Error::WrongType);
    EXPECT_ERROR(invoke(task, TaskLabel::Configure, 999, vspace, kNoSlot, 10).error, Error::InvalidCapability);
    EXPECT_ERROR(invoke(task, TaskLabel::Configure, cspace, vspace, kNoSlot, 256).error, Error::OutOfRange);
    EXPECT_ERROR(invoke(task, TaskLabel::Configure, cspace, vspace, kNoSlot, 101).error, Error::MissingRights);
    uint64_t read_only = 0;
    EXPECT_OK(copy_cap(cspace, rights::kRead, 0, &read_only));
    EXPECT_ERROR(invoke(task, TaskLabel::Configure, read_only, vspace, kNoSlot, 10).error, Error::MissingRights);
    EXPECT_OK(invoke(task, TaskLabel::Configure, cspace, vspace, endpoint, 100).error);
    return true;
}

bool resume_suspend_states() {
    const uint64_t task = make(ObjectType::Task);
    EXPECT(task_state(task) == uint64_t(TaskState::Inactive));
    EXPECT_OK(invoke(task, TaskLabel::Suspend).error); // already inactive: fine
    EXPECT_ERROR(invoke(task, TaskLabel::Resume).error, Error::InvalidArgument);
    return true;
}

bool destination_errors() {
    EXPECT_ERROR(invoke(runtime.memory, MemoryLabel::Split, 4, slot::kConsole).error, Error::SlotOccupied);
    EXPECT_ERROR(invoke(runtime.memory, MemoryLabel::Split, 4, slot::kCspaceSlots).error, Error::InvalidCapability);
    EXPECT_ERROR(invoke(runtime.cspace, CapabilitySpaceLabel::Move, slot::kCspaceSlots, slot::kConsole).error,
                 Error::InvalidCapability);
    return true;
}

bool device_split_errors() {
    uint64_t type = 0;
    if (cap_info(slot::kDevice, &type) != Error::None || type != uint64_t(ObjectType::DeviceMemory))
        return fail("no device memory", __LINE__);
    EXPECT_ERROR(invoke(slot::kDevice, FrameLabel::Split, 0, 1, kAnySlot, slot::kConsole).error, Error::WrongType);
    EXPECT_ERROR(invoke(slot::kDevice, FrameLabel::Split, 1, 1, kAnySlot, runtime.memory).error, Error::OutOfRange);
    EXPECT_ERROR(invoke(slot::kDevice, FrameLabel::Split, 0, 0, kAnySlot, runtime.memory).error, Error::OutOfRange);
    EXPECT_ERROR(invoke(slot::kDevice, FrameLabel::Split, 0, 1, slot::kConsole, runtime.memory).error,
                 Error::SlotOccupied);
    const InvokeResult part = invoke(slot::kDevice, FrameLabel::Split, 0, 1, kAnySlot, runtime.memory);
    EXPECT_OK(part.error);
    uint64_t kind = 0;
    EXPECT_OK(cap_info(part.words[0], &kind));
    EXPECT(kind == uint64_t(ObjectType::DeviceMemory));
    return true;
}

bool frame_info_rights() {
    const uint64_t page = make(ObjectType::Page, 3);
    const InvokeResult info = invoke(page, FrameLabel::Info);
    EXPECT_OK(info.error);
    EXPECT(info.words[1] == 3 && info.words[2] == 0);
    EXPECT((info.words[0] & (kPageSize - 1)) == 0);
    uint64_t write_only = 0;
    EXPECT_OK(copy_cap(page, rights::kWrite, 0, &write_only));
    EXPECT_ERROR(invoke(write_only, FrameLabel::Info).error, Error::MissingRights);
    return true;
}

bool syscalls_on_empty_slot() {
    for (uint64_t number = 0; number <= 8; ++number) {
        if (number == uint64_t(Syscall::Reply)) continue; // names its reply object in r6
        Registers regs{{777, 0, 0, 0, 0, 0, kNoSlot, 0}};
        syscall_raw(number, regs);
        EXPECT_ERROR(Error(regs.r[0]), Error::InvalidCapability);
    }
    Registers regs{{0, 0, 0, 0, 0, 0, 777, 0}};
    syscall_raw(uint64_t(Syscall::Reply), regs);
    EXPECT_ERROR(Error(regs.r[0]), Error::InvalidCapability);
    return true;
}

bool yield_returns_success() {
    for (int i = 0; i < 100; ++i) EXPECT_OK(syscall(Syscall::Yield, 0).error);
    return true;
}

} // namespace

extern const Test kErrorTests[] = {
    {"error.unknown_labels", unknown_labels},       {"error.objects_without_operations", objects_without_operations},
    {"error.too_few_words", too_few_words},         {"error.console", console_errors},
    {"error.task_registers", task_register_errors}, {"error.ipc_buffer", ipc_buffer_errors},
    {"error.configure", configure_errors},          {"error.resume_suspend_states", resume_suspend_states},
    {"error.destinations", destination_errors},     {"error.device_split", device_split_errors},
    {"error.frame_info_rights", frame_info_rights}, {"error.syscalls_on_empty_slot", syscalls_on_empty_slot},
    {"error.yield", yield_returns_success},         {"error.check_order", check_order},
    {"error.task_name", task_name_errors},
};
extern const size_t kErrorTestCount = sizeof(kErrorTests) / sizeof(kErrorTests[0]);

} // namespace suite

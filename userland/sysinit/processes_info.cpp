// userland/sysinit/processes_info.cpp — procmgr.list, procmgr.capabilities
// and procmgr.devices: what a shell shows with ps, caps, mem and devices
// (processes.hpp; the records are vesta/process_records.hpp).
//
// Every call's work is bounded: list looks at kMaxProcesses entries and
// counts at most kProcessSlots slots of each (sysinit's own cspace: its
// size), capabilities reads kProcessSlots slots, devices at most
// Devices::kMaxDevices entries. The records are built on sysinit's stack and
// copied into the caller's page in one go (OutOfRange when it holds fewer
// bytes; the mapping's errors).
#include "processes.hpp"
#include "sysinit.hpp"

namespace sysinit {

using namespace vesta;
using namespace vesta::user;
namespace sys = vesta::proto::sys;
using ipc::Result;

namespace {

ipc::CapList one(ipc::Slot slot) {
    ipc::CapList list;
    list.slots[0] = slot;
    list.count = 1;
    return list;
}

// Non-empty slots among the first `slots` of `cspace`.
uint32_t count_capabilities(uint64_t cspace, uint64_t slots) {
    uint32_t n = 0;
    for (uint64_t i = 0; i < slots; ++i) {
        const InvokeResult info = invoke(cspace, CapabilitySpaceLabel::Info, i);
        if (info.error != Error::None) break; // past the end
        n += info.words[0] != static_cast<uint64_t>(ObjectType::None);
    }
    return n;
}

void set_name(records::ProcessRecord& record, const char* name) {
    size_t i = 0;
    for (; name[i] && i + 1 < sizeof(record.name); ++i) record.name[i] = name[i];
    record.name[i] = '\0';
}

records::ProcessState state_of(Process::State state) {
    switch (state) {
    case Process::State::New: return records::ProcessState::New;
    case Process::State::Loaded: return records::ProcessState::Loaded;
    case Process::State::Running: return records::ProcessState::Running;
    default: return records::ProcessState::Ended;
    }
}

Result<size_t> copy_records(PageWindow& window, ipc::Slot table, const void* records, size_t count, size_t size) {
    const size_t bytes = count * size;
    if (bytes == 0) return size_t{0};
    const size_t copied = TRY(copy_to_pages(window, one(table), 0, records, bytes));
    if (copied != bytes) return Error::OutOfRange;
    return count;
}

} // namespace

Result<size_t> ProcessTable::list(ipc::Slot table) {
    static_assert(kMaxProcesses + 1 <= records::kMaxProcessRecords);
    records::ProcessRecord out[kMaxProcesses + 1] = {};
    size_t n = 0;
    { // sysinit itself: its pool pays for what it made at start-up; its cspace holds every process's objects
        records::ProcessRecord& self = out[n++];
        self.pid = 0;
        self.state = static_cast<uint8_t>(records::ProcessState::Running);
        const InvokeResult pool = invoke(runtime.memory, MemoryLabel::Info);
        self.pool_pages = pool.words[0];
        self.free_pages = pool.words[1];
        self.capabilities =
            count_capabilities(runtime.cspace, reserved_base + kReservedDeviceSlots + kReservedHeldSlots);
        set_name(self, "sysinit");
    }
    for (const Process& process : processes_) {
        if (process.state == Process::State::Free) continue;
        records::ProcessRecord& record = out[n++];
        record.pid = process.pid;
        record.state = static_cast<uint8_t>(state_of(process.state));
        record.flags = process.driver ? records::kProcessDriver : 0;
        record.restarts = process.restarts;
        if (process.pool != kNoSlot) {
            const InvokeResult pool = invoke(process.pool, MemoryLabel::Info);
            if (pool.error == Error::None) {
                record.pool_pages = pool.words[0];
                record.free_pages = pool.words[1];
            }
        }
        if (process.cspace != kNoSlot) record.capabilities = count_capabilities(process.cspace, kProcessSlots);
        if (process.state == Process::State::Ended) record.status = process.status;
        set_name(record, process.name);
    }
    return copy_records(window_, table, out, n, sizeof(records::ProcessRecord));
}

Result<size_t> ProcessTable::capabilities(ipc::Slot table, uint64_t pid) {
    Process* process = find(pid);
    if (!process) return sys::no_process;
    if (process->state != Process::State::Running || process->cspace == kNoSlot) return sys::bad_state;
    static_assert(kProcessSlots <= records::kMaxCapabilityRecords);
    static records::CapabilityRecord out[kProcessSlots]; // 4 KiB: off the stack (one call at a time)
    size_t n = 0;
    for (uint64_t slot = 0; slot < kProcessSlots; ++slot) {
        const InvokeResult info = invoke(process->cspace, CapabilitySpaceLabel::Info, slot);
        if (info.error != Error::None) break;
        if (info.words[0] == static_cast<uint64_t>(ObjectType::None)) continue;
        out[n++] = records::CapabilityRecord{
            .slot = static_cast<uint32_t>(slot),
            .type = static_cast<uint8_t>(info.words[0]),
            .rights = static_cast<uint8_t>(info.words[1]),
            .flags = (info.words[3] & kCapabilityOwner) ? records::kCapabilityOwner : uint8_t{0},
            .reserved = 0,
            .badge = info.words[2],
        };
    }
    return copy_records(window_, table, out, n, sizeof(records::CapabilityRecord));
}

Result<size_t> ProcessTable::devices(ipc::Slot table) {
    records::DeviceRecord out[records::kMaxDeviceRecords] = {};
    const size_t n = device_lister_ ? device_lister_(device_context_, out, records::kMaxDeviceRecords) : 0;
    return copy_records(window_, table, out, n, sizeof(records::DeviceRecord));
}

} // namespace sysinit

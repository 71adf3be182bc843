// vesta/process_records.hpp — procmgr.spawn's flag, and the records
// sys::procmgr's introspection calls write into a caller's page (protocols/sys/procmgr.ipc: list, capabilities,
// devices; docs/userland.md, "Process manager"). Portable and freestanding:
// sysinit writes them, the shell reads them, host tests check both.
//
// Every record has a fixed size, fields in the machine's byte order, and
// records follow one another from byte 0 of the page; the call's result is
// how many were written. A reader never trusts a count beyond what its page
// holds (kMax* below).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace vesta::proto::sys {
// procmgr.spawn's `roles`: bytes 0-2 are the grants' startup::Role; these
// bits give the new process sys::procmgr and sys::devmgr as well (minted
// for it).
inline constexpr uint32_t kSpawnGiveProcmgr = uint32_t{1} << 31;
inline constexpr uint32_t kSpawnGiveDevmgr = uint32_t{1} << 30;
} // namespace vesta::proto::sys

namespace vesta::records {

inline constexpr size_t kPageBytes = 4096;

// procmgr.list: one per process in the table, and first one for sysinit
// (pid 0, its own pool and cspace).
enum class ProcessState : uint8_t { New = 1, Loaded = 2, Running = 3, Ended = 4 };
inline constexpr uint8_t kProcessDriver = 1; // flags: loaded by devloader.load
inline constexpr size_t kProcessNameSize = 32;
struct ProcessRecord {
    uint32_t pid;
    uint8_t state; // ProcessState
    uint8_t flags; // kProcess*
    uint16_t reserved;
    uint32_t restarts;               // how often its supervisor restarted it
    uint32_t capabilities;           // non-empty slots of its cspace (0 before it runs)
    uint64_t pool_pages;             // pages of its memory pool (0 once ended)
    uint64_t free_pages;             // of which free
    int64_t status;                  // Ended: its exit status; else 0
    char name[kProcessNameSize - 8]; // NUL-terminated; "" for an unnamed process
};
static_assert(sizeof(ProcessRecord) == 64);
inline constexpr size_t kMaxProcessRecords = kPageBytes / sizeof(ProcessRecord);

// procmgr.capabilities: one per non-empty slot, in slot order.
inline constexpr uint8_t kCapabilityOwner = 1; // flags: the owning capability of a memory pool
struct CapabilityRecord {
    uint32_t slot;
    uint8_t type;   // vesta::ObjectType
    uint8_t rights; // vesta::rights bits
    uint8_t flags;  // kCapability*
    uint8_t reserved;
    uint64_t badge;
};
static_assert(sizeof(CapabilityRecord) == 16);
inline constexpr size_t kMaxCapabilityRecords = kPageBytes / sizeof(CapabilityRecord);

// procmgr.devices: one per registered device, in registration order.
struct DeviceRecord {
    uint32_t interface_id; // the IDL interface id (dev::serial::kId…)
    uint32_t index;        // among the devices of that interface (devmgr.open's index)
    uint32_t driver;       // the pid of the driver that registered it
    uint32_t reserved;
};
static_assert(sizeof(DeviceRecord) == 16);
inline constexpr size_t kMaxDeviceRecords = kPageBytes / sizeof(DeviceRecord);

} // namespace vesta::records

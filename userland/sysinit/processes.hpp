// userland/sysinit/processes.hpp — the process manager: sys::procmgr over a
// table of processes, each paid from a memory pool split for it from
// sysinit's own (docs/userland.md, "Process manager").
//
// A process goes New (new_process: pid and pool) → Loaded (load: its image
// copied into a Page of its pool and validated with lib/elf, as spawn() and
// the kernel's loader validate) → Running (start: spawn() from the image
// with the grants collected meanwhile, sysinit's endpoint as its fault
// endpoint, then Task.Resume) → Ended (exit, fault, kill or a failed start:
// the pool's owning capability is deleted, so every page it paid for is
// back in sysinit's pool). An ended process keeps its table entry with its
// status until a wait collects it (waits pending when it ends collect it at
// once); then the entry is free again. Pids count up from 1 and are not
// reused.
//
// Exit statuses (procmgr.wait): the value a process passed to Exit; −kind
// for a fault (−1 page fault … −6 protection, vesta::FaultKind); the status
// kill was given; kStartFailed when start could not build the process.
//
// procmgr.spawn (processes_spawn.cpp) does New → Loaded → Running in one
// call for a program of the bootstrap filesystem, with argv and the
// caller's grants; list, capabilities and devices (processes_info.cpp)
// describe the table, a process's cspace and the device registry for a
// shell (records in vesta/process_records.hpp).
//
// What a process gets at start: the grants procmgr.grant named (at their
// slots), then, for a process loaded with procmgr.load, its own Task in slot
// 0, the Console in slot 1 and (any slots) its pool (Role::Memory, lent),
// its cspace and its vspace; for a driver loaded by devloader.load exactly
// what its manifest names (driver_loading.hpp). Every process has
// kProcessSlots slots in its cspace.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <sys/procmgr.ipc.hpp>
#include <user/runtime.hpp>
#include <vesta/ipc/server_loop.hpp>
#include <vesta/process_records.hpp>

#include "bootfs_tree.hpp"
#include "page_window.hpp"

namespace sysinit {

inline constexpr int64_t kStartFailed = -256;

struct Process {
    enum class State : uint8_t { Free, New, Loaded, Running, Ended };
    static constexpr size_t kMaxHeld = 8;
    static constexpr size_t kMaxWaiters = 4;
    static constexpr size_t kNameSize = 32;

    State state = State::Free;
    uint32_t pid = 0;
    char name[kNameSize] = {};         // "" for a process loaded with procmgr.load (logs say "pid N")
    uint64_t pool = vesta::kNoSlot;    // owning capability of its memory pool
    uint64_t image = vesta::kNoSlot;   // Page holding its image (paid by the pool), until start
    const void* image_bytes = nullptr; // or its image inside sysinit's initramfs
    uint64_t image_size = 0;
    bool driver = false; // loaded by devloader.load: driver_handle holds its claims
    uint32_t driver_handle = 0;
    uint8_t priority = 100;
    vesta::user::ProcessStartup startup;
    // Capabilities sysinit holds for it until start (granted through
    // procmgr.grant, services minted for it): not paid by its pool, so
    // deleted by sysinit.
    uint64_t held[kMaxHeld] = {};
    size_t held_count = 0;
    uint64_t task = vesta::kNoSlot; // its Task (in sysinit's cspace; emptied with the pool)
    int64_t status = 0;
    vesta::ipc::DeferredCall waiters[kMaxWaiters] = {};
    size_t waiter_count = 0;
    // --- Supervision (supervision.hpp)
    uint32_t supervised = 0; // the supervisor's id for this driver (0: not supervised)
    uint32_t restarts = 0;   // how many times the supervisor restarted the driver before this process
    // The fault that ended the previous process of this driver (kind 0: it ended otherwise, or none did).
    uint8_t last_fault_kind = 0;
    uint64_t last_fault_address = 0;
    // How this process ended, when by a fault (set by handle_fault_message before end()).
    uint8_t fault_kind = 0;
    uint64_t fault_address = 0;
    // --- Shell-facing (argv, accounting)
    // Its cspace (sysinit's capability from spawn(), emptied with the pool):
    // procmgr.list counts its slots, procmgr.capabilities lists them.
    uint64_t cspace = vesta::kNoSlot;
    // Started by procmgr.spawn (a program a shell runs): its start and a
    // plain exit or kill are not logged, only faults (the shell reports the
    // status itself).
    bool quiet = false;
};

class ProcessTable {
public:
    static constexpr size_t kMaxProcesses = 32;
    static constexpr uint64_t kPoolPages = 1024;        // 4 MiB per process
    static constexpr uint64_t kMaxImageBytes = 2 << 20; // one Page object of 512 pages
    static constexpr uint64_t kProcessSlots = 256;

    // Called when a process ends, after its pool is gone (devices, open
    // files and driver claims are released there), and when one has been
    // spawned, before it runs (the driver loader drops its copies there).
    using EndHook = void (*)(void* context, const Process& process);
    using StartHook = void (*)(void* context, const Process& process);

    ProcessTable(PageWindow& window, vesta::ipc::ServerLoop& loop) : window_(window), loop_(loop) {}
    void set_hooks(StartHook started, EndHook ended, void* context) {
        start_hook_ = started;
        end_hook_ = ended;
        hook_context_ = context;
    }
    // Called when a process ends, before its end is logged and before the
    // end hook: the supervisor decides about a restart there and writes
    // what it decided (e.g. "; restart 1 of 5 in 10 ms") into `note`, which
    // ends the log line.
    using EndNoteHook = void (*)(void* context, Process& process, int64_t status, char* note, size_t size);
    void set_end_note_hook(EndNoteHook hook, void* context) {
        note_hook_ = hook;
        note_context_ = context;
    }

    // What procmgr.spawn starts programs from (the bootstrap filesystem), and
    // what procmgr.devices lists: `list_devices` writes at most `capacity`
    // records and returns how many (main.cpp wires it to Devices).
    using DeviceLister = size_t (*)(void* context, vesta::records::DeviceRecord* out, size_t capacity);
    void set_programs(const bootfs::Tree& tree) { programs_ = &tree; }
    void set_device_lister(DeviceLister lister, void* context) {
        device_lister_ = lister;
        device_context_ = context;
    }

    // One sys::procmgr call on a capability minted for process `client`.
    void serve(uint32_t client, const vesta::ipc::Message& request, vesta::ipc::Message& reply);

    // --- For sysinit's other parts.
    // A New process named `name` (may be ""). Errors: table_full, Memory.Split's (OutOfMemory).
    vesta::ipc::Result<Process*> create(const char* name);
    // The process with `pid`, in any state but Free; nullptr when none.
    Process* find(uint64_t pid);
    // Copies the image in `pages` (`size` bytes) into a Page of the
    // process's pool and validates it as an ELF executable for this machine.
    // Errors: bad_image (logged with lib/elf's reason), InvalidArgument (the
    // pages hold fewer than `size` bytes), OutOfRange (over kMaxImageBytes),
    // OutOfMemory, the mapping's errors. On success process->image is set.
    vesta::ipc::Result<void> take_image(Process& process, const vesta::ipc::CapList& pages, size_t size);
    // Maps the image of a Loaded process (sysinit's window 0); unmap_image undoes it.
    vesta::Result<const void*> map_image(Process& process);
    void unmap_image(Process& process);
    // Uses the image at `bytes` (`size` bytes inside sysinit's initramfs,
    // which outlives every process) for a New process, validated as
    // take_image validates a copy. Errors: bad_image (logged), OutOfRange.
    vesta::ipc::Result<void> use_image(Process& process, const void* bytes, size_t size);
    // Keeps `capability` (in sysinit's cspace) until the process starts or ends.
    vesta::Error hold(Process& process, uint64_t capability);
    // procmgr.grant with a copy of `capability` (which stays where it is):
    // the supervisor repeats a restarted driver's grants. Errors as grant's.
    vesta::ipc::Result<void> grant_copy(Process& process, uint64_t capability, uint64_t slot);
    // An Ended process's entry becomes Free (its status is not kept: the
    // supervisor collects a restarted driver's).
    void collect(Process& process) {
        if (process.state == Process::State::Ended) release(process);
    }
    // Starts a Loaded process (see the file comment). Errors: bad_state,
    // spawn()'s (the process is then Ended with kStartFailed).
    vesta::ipc::Result<void> start(Process& process);
    // Ends the process with `status` unless it has ended already: deletes
    // its pool and what sysinit held for it, calls the end hook, answers the
    // waits pending. `why` completes the log line ("exited", "killed"…).
    void end(Process& process, int64_t status, const char* why);

    // --- sys::procmgr (generated dispatch calls these).
    vesta::ipc::Result<uint64_t> new_process();
    vesta::ipc::Result<void> load(const vesta::ipc::CapList& image, uint64_t pid, size_t size);
    vesta::ipc::Result<void> grant(vesta::ipc::Slot capability, uint64_t pid, uint64_t slot);
    vesta::ipc::Result<void> start(uint64_t pid);
    vesta::ipc::Result<void> kill(uint64_t pid, int64_t status);
    vesta::ipc::Result<int64_t> wait(uint64_t pid);
    // processes_spawn.cpp: a program of the bootstrap filesystem by path, with argv and grants.
    vesta::ipc::Result<uint64_t> spawn(vesta::ipc::Slot args, const vesta::ipc::CapList& grants, size_t path_length,
                                       size_t argv_length, uint32_t roles);
    // processes_info.cpp: what a shell shows (ps, caps, mem, devices).
    vesta::ipc::Result<size_t> list(vesta::ipc::Slot table);
    vesta::ipc::Result<size_t> capabilities(vesta::ipc::Slot table, uint64_t pid);
    vesta::ipc::Result<size_t> devices(vesta::ipc::Slot table);

private:
    void release(Process& process); // the entry becomes Free
    // processes_spawn.cpp: keeps grant `capability` (arrived with a call) for
    // `process` with `role`, or mints the service it names for it.
    vesta::ipc::Result<void> take_grant(Process& process, vesta::ipc::Slot capability, vesta::startup::Role role,
                                        size_t index);
    // The reserved slot for the process's next held capability (sysinit.hpp).
    uint64_t next_held_slot(const Process& process) const;

    PageWindow& window_;
    vesta::ipc::ServerLoop& loop_;
    Process processes_[kMaxProcesses];
    uint32_t next_pid_ = 1;
    StartHook start_hook_ = nullptr;
    EndHook end_hook_ = nullptr;
    void* hook_context_ = nullptr;
    EndNoteHook note_hook_ = nullptr;
    void* note_context_ = nullptr;

    // grant and grant_copy: the checks, then `place` puts the capability in the reserved slot.
    template <class Place>
    vesta::ipc::Result<void> add_grant(Process& process, uint64_t slot, Place place);
    const bootfs::Tree* programs_ = nullptr;
    uint32_t client_ = 0; // the pid whose procmgr call is in hand
    DeviceLister device_lister_ = nullptr;
    void* device_context_ = nullptr;
};

// "pcserial (pid 2)" or "pid 5" for a process without a name.
struct ProcessLabel {
    char text[Process::kNameSize + 24];
};
ProcessLabel label_of(const Process& process);

} // namespace sysinit

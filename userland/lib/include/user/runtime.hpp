// userland/lib/include/user/runtime.hpp — the user runtime: syscall wrappers,
// kernel-object invocations, console output, the start-up block (argv,
// services, capabilities by note), a heap over the memory capability,
// mapping helpers over the vspace capability and process creation from ELF
// images (docs/syscall-abi.md "The user runtime", docs/process-startup.md).
//
// Programs define `void main(uint64_t argument)`; crt0 calls it and ends the
// task with the Exit syscall (status 0) if it returns. The argument is r0 at
// entry: startup::kAddress for a process given a start-up block,
// kRootInfoAddress for the root task, what the parent chose otherwise.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <lib/format.hpp>
#include <lib/result.hpp>
#include <syscall_arch.hpp>
#include <vesta/error.hpp>
#include <vesta/message.hpp>
#include <vesta/startup.hpp>
#include <vesta/syscall.hpp>

void main(uint64_t argument);

namespace vesta::user {

// Per-task runtime state (one thread per task unless the program knows better).
struct Runtime {
    IpcBuffer* ipc_buffer = nullptr;
    uint64_t console = kNoSlot;   // Console capability
    uint64_t self_task = kNoSlot; // own Task capability (for exit)
    uint64_t cspace = kNoSlot;    // own cspace (for Copy/Delete)
    uint64_t vspace = kNoSlot;    // own vspace (for Map)
    uint64_t memory = kNoSlot;    // pays for objects
    uint64_t system = kNoSlot;    // System capability (root task only, unless handed on)
    uint64_t output = kNoSlot;    // standard output: an io::file endpoint (Role::Stdout), else kNoSlot
    startup::Block startup;       // the start-up block (empty for the root task and without one)
};
extern Runtime runtime;

// --- Start-up information (runtime.startup; docs/process-startup.md).
// The slot of the `index`-th service granted for IDL interface
// `interface_id` (e.g. dev::serial::kId), or kNoSlot.
uint64_t service(uint32_t interface_id, size_t index = 0);
// The slot of the first capability whose note is `note`, or kNoSlot.
uint64_t capability_with_note(const char* note);
// argv: argument(0) is the program's name by convention; nullptr past the end.
size_t argument_count();
const char* argument(size_t index);
// The value of environment entry NAME, or nullptr.
const char* environment(const char* name);

// A message as a receiver sees it, or a syscall's results.
struct SyscallResult {
    Error error;
    MessageTag tag;
    uint64_t words[kRegisterMessageWords];
    uint64_t badge;
    uint64_t extra;
};

// What a syscall left in r0..r7.
inline SyscallResult result_of(const Registers& regs) {
    return SyscallResult{static_cast<Error>(regs.r[0]),
                         MessageTag{regs.r[1]},
                         {regs.r[2], regs.r[3], regs.r[4], regs.r[5]},
                         regs.r[6],
                         regs.r[7]};
}

// Inline: the IPC benchmark's client and server loops are this and nothing else.
inline SyscallResult syscall(Syscall number, uint64_t r0, MessageTag tag = {}, uint64_t w0 = 0, uint64_t w1 = 0,
                             uint64_t w2 = 0, uint64_t w3 = 0, uint64_t r6 = kNoSlot, uint64_t r7 = 0) {
    Registers regs{{r0, tag.raw, w0, w1, w2, w3, r6, r7}};
    syscall_raw(static_cast<uint64_t>(number), regs);
    return result_of(regs);
}

// Signal and Wait as the kernel reads them: only r0 (the notification's
// slot) is set up, where syscall() would also zero the message registers
// the two ignore. Wait: the error and, in `extra`, the bits taken.
inline Error signal(uint64_t notification) {
    Registers regs;
    syscall_raw_r0(static_cast<uint64_t>(Syscall::Signal), notification, regs);
    return static_cast<Error>(regs.r[0]);
}
inline SyscallResult wait(uint64_t notification) {
    Registers regs;
    syscall_raw_r0(static_cast<uint64_t>(Syscall::Wait), notification, regs);
    return result_of(regs);
}

// Invocation of a kernel object: label and up to 8 words (more than 4 go
// through the IPC buffer). Returns the error and the result words.
struct InvokeResult {
    Error error;
    uint64_t words[kRegisterMessageWords];
};
InvokeResult invoke_words(uint64_t slot, uint64_t label, const uint64_t* words, size_t count);
template <class Label, class... Words>
InvokeResult invoke(uint64_t slot, Label label, Words... words) {
    const uint64_t list[sizeof...(Words) + 1] = {static_cast<uint64_t>(words)..., 0};
    return invoke_words(slot, static_cast<uint64_t>(label), list, sizeof...(Words));
}

// Memory.Create of `type` in any free slot, paid by runtime.memory (or by
// `memory`); sets *slot.
Error create(ObjectType type, uint64_t size, uint64_t* slot);
Error create_in(uint64_t memory, ObjectType type, uint64_t size, uint64_t* slot);

// Console output (through runtime.console).
void write(const char* text, size_t length);
void puts(const char* text);
struct ConsoleSink {
    void operator()(const char* text, size_t length) const { write(text, length); }
};
template <class... Args>
void print(const char* pattern, const Args&... args) {
    char buffer[256];
    BufferSink sink(buffer, sizeof(buffer));
    format(sink, pattern, args...);
    write(sink.text(), sink.length());
}

// Standard output (output.cpp): the io::file endpoint the start-up block
// names with Role::Stdout (a terminal: the shell's serial line), else the
// Console. To a stream, LF goes out as CR LF (the line is raw) through a
// page the runtime maps on first use; if the stream fails (its server is
// gone) the runtime forgets it and goes on with the Console. One thread at
// a time.
void write_out(const char* text, size_t length);
template <class... Args>
void out(const char* pattern, const Args&... args) {
    char buffer[256];
    BufferSink sink(buffer, sizeof(buffer));
    format(sink, pattern, args...);
    write_out(sink.text(), sink.length());
}

// End this task (the Exit syscall): its supervisor (fault endpoint) learns
// `status`; with none, the task just stops.
[[noreturn]] void exit(uint64_t status = 0);

// --- Heap (user/heap.hpp): Page objects paid by runtime.memory, mapped
// into runtime.vspace. allocate() returns 16-byte aligned memory or nullptr
// when the pool is exhausted; free() takes what allocate() gave (nullptr is
// ignored). Large blocks (over 2 KiB) return their pages to the pool when
// freed; small ones are reused.
void* allocate(size_t bytes);
void free(void* pointer);
// Pages the heap holds (mapped, taken from the pool).
size_t heap_pages();

// --- Mapping helpers over runtime.vspace. Addresses come from a private
// window of the address space and are not reused.
// Maps a fresh Page of `pages` pages into the own vspace; returns its address and slot.
Error map_new_pages(uint64_t pages, uint8_t permissions, uint64_t* address, uint64_t* page_slot);
// Maps a frame capability the task holds (a Page or DeviceMemory, e.g. one
// received over IPC) with `permissions`; returns its address. Needs Read on
// the frame (Page.Info tells its size). Errors: those of Page.Info and
// VirtualSpace.Map (Busy when this capability already maps its frame).
Result<uint64_t> map_frame(uint64_t frame, uint8_t permissions);
// Undoes map_frame/map_new_pages for that capability.
Error unmap_frame(uint64_t frame);

// --- Processes and threads.

// A capability spawn() copies into a new process and describes in its
// start-up block. `source` is a slot of the caller's cspace, or one of the
// kOwn* values for the objects spawn() makes for the child.
struct Grant {
    uint64_t source = kNoSlot;
    uint64_t slot = kAnySlot; // in the child (kAnySlot: the first free one, after the named ones)
    startup::Role role = startup::Role::None;
    uint32_t interface_id = 0; // Role::Service: the IDL interface the endpoint speaks
    const char* note = "";     // < startup::kNoteSize bytes
    uint8_t rights = rights::kAll;
    uint64_t badge = 0; // endpoints and notifications
};
inline constexpr uint64_t kOwnTask = ~uint64_t{1};
inline constexpr uint64_t kOwnCapabilitySpace = ~uint64_t{2};
inline constexpr uint64_t kOwnVirtualSpace = ~uint64_t{3};

// What a parent gives a new process besides its image: capabilities, argv
// and environment (docs/process-startup.md). spawn() resolves the grants and
// writes the block; the future process manager uses the same type. About
// 6 KiB: keep it off small stacks.
class ProcessStartup {
public:
    static constexpr size_t kMaxGrants = startup::Builder::kMaxCapabilities;

    // The default slots of every spawned task: its own Task in slot 0 and
    // (if the parent has one) the Console in slot 1. A driver loader that
    // grants exactly what a manifest names turns them off.
    bool standard_slots = true;

    // Errors: OutOfRange (kMaxGrants, counting the standard slots),
    // InvalidArgument (note too long, a service id without Role::Service).
    Error grant(const Grant& grant);
    Error grant_service(uint32_t interface_id, uint64_t endpoint, const char* note = "", uint64_t slot = kAnySlot,
                        uint64_t badge = 0);
    // Errors as startup::Builder::add_argument / add_environment.
    Error add_argument(const char* text) { return strings_.add_argument(text); }
    Error add_environment(const char* text) { return strings_.add_environment(text); }

    size_t grant_count() const { return grant_count_; }
    const Grant& grant_at(size_t index) const { return grants_[index]; }
    // The arguments and environment (no capabilities: spawn adds them).
    const startup::Builder& strings() const { return strings_; }

private:
    Grant grants_[kMaxGrants];
    size_t grant_count_ = 0;
    startup::Builder strings_;
};

// A new task from an ELF image, in its own cspace and vspace.
struct SpawnOptions {
    uint8_t priority = 100;
    uint64_t cspace_slots = 64;
    uint64_t fault_endpoint = kNoSlot; // in the caller's cspace
    uint64_t argument = 0;             // r0 at entry (0: startup::kAddress for an image, the IPC buffer for a thread)
    uint64_t vspace = kNoSlot;         // share this vspace instead of making one (threads)
    uint64_t memory = kNoSlot;         // pays for the child's objects (kNoSlot: runtime.memory); deleting
                                       // that pool later reclaims all of them
    uint64_t entry = 0;                // threads: entry point (no ELF)
    uint64_t stack_top = 0;            // threads: stack
    const char* name = nullptr;        // the child's name in the kernel's messages (its ELF file's; Task.SetName)
    const ProcessStartup* startup = nullptr; // images: what the child gets (nullptr: the standard slots only)
};
struct Spawned {
    uint64_t task, cspace, vspace;
    uint64_t ipc_buffer; // address in the child
    uint64_t ipc_page;   // its Page, in the caller's cspace
};
// From an image: validates it (Malformed), places its segments, a stack, an
// IPC buffer and the start-up block (mapped read-only at startup::kAddress,
// describing every capability granted), and sets r0 = startup::kAddress
// unless options.argument says otherwise. Without an image: a thread at
// options.entry. The task is not started (start()). Errors: Malformed, the
// invocations' errors (OutOfMemory…), a grant's Copy errors (SlotOccupied…),
// Overflow (a block beyond startup::kMaxSize).
Error spawn(const void* elf, size_t size, const SpawnOptions& options, Spawned* out);
// A thread (spawn without an image: options.vspace, entry and stack_top
// set) at the highest priority the caller may give it: 100, then 90, … 10
// while the kernel answers MissingRights (a task may not give a thread
// more than its own priority, which only the kernel knows). options.priority
// is overwritten. Errors: spawn's other errors.
Error spawn_thread(SpawnOptions& options, Spawned* out);
// Make now the page tables spawn() needs in this task's own vspace (its
// staging window), so later spawns take nothing from runtime.memory: for
// supervisors that account for every page.
Error prepare_spawning();
// Copy a capability into the child's cspace at `index`.
Error give(const Spawned& child, uint64_t index, uint64_t source, uint8_t rights = rights::kAll, uint64_t badge = 0);
Error start(const Spawned& child);
// Task.SetName: `name` (its first kMaxTaskName bytes) names `task` in the
// kernel's fault lines.
Error set_task_name(uint64_t task, const char* name);

// A file of the initramfs (root task only).
bool find_file(const char* name, const void** data, size_t* size);
extern const void* initramfs;
extern size_t initramfs_size;

} // namespace vesta::user

// userland/lib/include/user/runtime.hpp — the user runtime: syscall wrappers,
// kernel-object invocations, console output, a heap over a memory
// capability, mapping helpers and task creation from ELF images.
//
// Programs define `void main(uint64_t argument)`; crt0 calls it and ends the
// task with the Exit syscall (status 0) if it returns.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <lib/format.hpp>
#include <syscall_arch.hpp>
#include <vesta/error.hpp>
#include <vesta/message.hpp>
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
};
extern Runtime runtime;

// A message as a receiver sees it, or a syscall's results.
struct SyscallResult {
    Error error;
    MessageTag tag;
    uint64_t words[kRegisterMessageWords];
    uint64_t badge;
    uint64_t extra;
};

// Inline: the IPC benchmark's client and server loops are this and nothing else.
inline SyscallResult syscall(Syscall number, uint64_t r0, MessageTag tag = {}, uint64_t w0 = 0, uint64_t w1 = 0,
                             uint64_t w2 = 0, uint64_t w3 = 0, uint64_t r6 = kNoSlot, uint64_t r7 = 0) {
    Registers regs{{r0, tag.raw, w0, w1, w2, w3, r6, r7}};
    syscall_raw(static_cast<uint64_t>(number), regs);
    return SyscallResult{static_cast<Error>(regs.r[0]),
                         MessageTag{regs.r[1]},
                         {regs.r[2], regs.r[3], regs.r[4], regs.r[5]},
                         regs.r[6],
                         regs.r[7]};
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

// End this task (the Exit syscall): its supervisor (fault endpoint) learns
// `status`; with none, the task just stops.
[[noreturn]] void exit(uint64_t status = 0);

// Heap: pages from runtime.memory mapped at a private address range.
void* allocate(size_t bytes);

// Maps a fresh Page of `pages` pages into the own vspace; returns its address and slot.
Error map_new_pages(uint64_t pages, uint8_t permissions, uint64_t* address, uint64_t* page_slot);

// A new task from an ELF image, in its own cspace and vspace.
struct SpawnOptions {
    uint8_t priority = 100;
    uint64_t cspace_slots = 64;
    uint64_t fault_endpoint = kNoSlot; // in the caller's cspace
    uint64_t argument = 0;             // r0 at entry (0: the child's IPC buffer address)
    uint64_t vspace = kNoSlot;         // share this vspace instead of making one (threads)
    uint64_t memory = kNoSlot;         // pays for the child's objects (kNoSlot: runtime.memory); deleting
                                       // that pool later reclaims all of them
    uint64_t entry = 0;                // threads: entry point (no ELF)
    uint64_t stack_top = 0;            // threads: stack
    const char* name = nullptr;        // the child's name in the kernel's messages (its ELF file's; Task.SetName)
};
struct Spawned {
    uint64_t task, cspace, vspace;
    uint64_t ipc_buffer; // address in the child
    uint64_t ipc_page;   // its Page, in the caller's cspace
};
Error spawn(const void* elf, size_t size, const SpawnOptions& options, Spawned* out);
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

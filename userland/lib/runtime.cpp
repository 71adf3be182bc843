// userland/lib/runtime.cpp — the user runtime (include/user/runtime.hpp):
// invocations, console, heap, mapping helpers and the task's start-up.
// Process creation is in spawn.cpp.
#include <lib/tar.hpp>
#include <user/heap.hpp>
#include <user/runtime.hpp>
#include <vesta/root_info.hpp>

#include "runtime_internal.hpp"

namespace vesta::user {

Runtime runtime;
const void* initramfs = nullptr;
size_t initramfs_size = 0;

namespace {

// The private windows of a task's address space (below the user program
// end; the start-up block, IPC buffer and stack sit above it).
constexpr uint64_t kHeapBase = 0x0000'5000'0000'0000;
constexpr uint64_t kMappingBase = 0x0000'6000'0000'0000;

uint64_t mapping_next = kMappingBase;

// The heap's pages: one Page object per request, mapped at the next
// addresses of the heap window with an unmapped guard page after each.
class TaskPageSource {
public:
    constexpr TaskPageSource() = default;

    void* grow(size_t pages, uint64_t* token) {
        auto page = new_object(runtime.memory, ObjectType::Page, pages);
        if (!page.ok()) return nullptr;
        const uint64_t address = next_;
        if (!map(runtime.vspace, page.value(), address, rights::kRead | rights::kWrite).ok()) {
            delete_slot(page.value());
            return nullptr;
        }
        next_ += (pages + 1) * kPageSize;
        *token = page.value();
        return reinterpret_cast<void*>(address);
    }
    // Deleting the Page capability unmaps it and returns its memory to the pool.
    void release(void*, size_t, uint64_t token) { delete_slot(token); }

private:
    uint64_t next_ = kHeapBase;
};

Heap<TaskPageSource> heap{TaskPageSource{}};

} // namespace

// --- Helpers shared with spawn.cpp (runtime_internal.hpp).

Result<void> checked(Error error) {
    if (error != Error::None) return error;
    return {};
}

Result<uint64_t> new_object(uint64_t memory, ObjectType type, uint64_t size) {
    const InvokeResult result = invoke(memory, MemoryLabel::Create, static_cast<uint64_t>(type), kAnySlot, size);
    if (result.error != Error::None) return result.error;
    return result.words[0];
}

Result<void> map(uint64_t vspace, uint64_t frame, uint64_t address, uint8_t permissions) {
    return checked(invoke(vspace, VirtualSpaceLabel::Map, frame, address, permissions).error);
}

void delete_slot(uint64_t slot) { invoke(runtime.cspace, CapabilitySpaceLabel::Delete, slot); }

// --- Invocations and objects.

InvokeResult invoke_words(uint64_t slot, uint64_t label, const uint64_t* words, size_t count) {
    uint64_t w[kRegisterMessageWords] = {};
    for (size_t i = 0; i < count && i < kRegisterMessageWords; ++i) w[i] = words[i];
    if (count > kRegisterMessageWords) {
        if (!runtime.ipc_buffer) return {Error::InvalidArgument, {}};
        for (size_t i = kRegisterMessageWords; i < count; ++i) runtime.ipc_buffer->words[i] = words[i];
    }
    SyscallResult reply = syscall(Syscall::Call, slot, MessageTag::make(label, count, 0), w[0], w[1], w[2], w[3]);
    return {reply.error, {reply.words[0], reply.words[1], reply.words[2], reply.words[3]}};
}

Error create(ObjectType type, uint64_t size, uint64_t* slot) { return create_in(runtime.memory, type, size, slot); }

Error create_in(uint64_t memory, ObjectType type, uint64_t size, uint64_t* slot) {
    auto made = new_object(memory, type, size);
    if (made.ok()) *slot = made.value();
    return made.error();
}

// --- Console and exit.

void write(const char* text, size_t length) {
    if (runtime.console == kNoSlot) return;
    const size_t per_call = runtime.ipc_buffer ? (kMaxMessageWords - 1) * 8 : (kRegisterMessageWords - 1) * 8;
    while (length) {
        const size_t n = length < per_call ? length : per_call;
        uint64_t words[kMaxMessageWords] = {n};
        for (size_t i = 0; i < n; ++i) words[1 + i / 8] |= uint64_t{static_cast<uint8_t>(text[i])} << (8 * (i % 8));
        invoke_words(runtime.console, static_cast<uint64_t>(ConsoleLabel::Write), words, 1 + (n + 7) / 8);
        text += n;
        length -= n;
    }
}

void puts(const char* text) {
    size_t n = 0;
    while (text[n]) ++n;
    write(text, n);
}

void exit(uint64_t status) {
    for (;;) syscall(Syscall::Exit, status); // returns only if a supervisor resumes it
}

// --- Start-up information.

uint64_t service(uint32_t interface_id, size_t index) { return runtime.startup.service(interface_id, index); }

uint64_t capability_with_note(const char* note) {
    const startup::Capability* capability = runtime.startup.find_note(note);
    return capability ? capability->slot : kNoSlot;
}

size_t argument_count() { return runtime.startup.argument_count(); }
const char* argument(size_t index) { return runtime.startup.argument(index); }
const char* environment(const char* name) { return runtime.startup.environment(name); }

// --- Heap.

void* allocate(size_t bytes) { return heap.allocate(bytes); }
void free(void* pointer) { heap.free(pointer); }
size_t heap_pages() { return heap.pages_held(); }

// --- Mappings.

Error map_new_pages(uint64_t pages, uint8_t permissions, uint64_t* address, uint64_t* page_slot) {
    auto page = new_object(runtime.memory, ObjectType::Page, pages);
    if (!page.ok()) return page.error();
    *page_slot = page.value();
    *address = mapping_next;
    mapping_next += (pages + 1) * kPageSize;
    return map(runtime.vspace, *page_slot, *address, permissions).error();
}

Result<uint64_t> map_frame(uint64_t frame, uint8_t permissions) {
    const InvokeResult info = invoke(frame, FrameLabel::Info);
    if (info.error != Error::None) return info.error;
    const uint64_t pages = info.words[1];
    const uint64_t address = mapping_next;
    TRY(map(runtime.vspace, frame, address, permissions));
    mapping_next += (pages + 1) * kPageSize;
    return address;
}

Error unmap_frame(uint64_t frame) { return invoke(runtime.vspace, VirtualSpaceLabel::Unmap, frame).error; }

// --- The initramfs (root task).

bool find_file(const char* name, const void** data, size_t* size) {
    if (!initramfs) return false;
    const auto found = tar::find(initramfs, initramfs_size, name);
    if (!found.ok()) return false;
    *data = found.value().data;
    *size = found.value().size;
    return true;
}

} // namespace vesta::user

namespace {

using namespace vesta;
using namespace vesta::user;

// The root task: the kernel's RootInfo (docs/syscall-abi.md, "The root task").
void start_root(const RootInfo& info) {
    runtime.ipc_buffer = reinterpret_cast<IpcBuffer*>(info.ipc_buffer);
    runtime.console = root_slot::kConsole;
    runtime.self_task = root_slot::kTask;
    runtime.cspace = root_slot::kCapabilitySpace;
    runtime.vspace = root_slot::kVirtualSpace;
    runtime.memory = root_slot::kMemory;
    runtime.system = root_slot::kSystem;
    initramfs = reinterpret_cast<const void*>(info.initramfs);
    initramfs_size = info.initramfs_size;
}

// A process with a start-up block: every runtime slot comes from the roles
// of its capabilities. A block that does not parse ends the task at once
// with status kBadStartupBlock + the startup::ParseError (it may have no
// console to say so; its supervisor sees the status).
constexpr uint64_t kBadStartupBlock = 0xbad0'0000;
void start_process() {
    auto block = startup::Block::parse(reinterpret_cast<const void*>(startup::kAddress), startup::kMaxSize);
    if (!block.ok()) exit(kBadStartupBlock + static_cast<uint64_t>(block.error()));
    runtime.startup = block.value();
    runtime.ipc_buffer = reinterpret_cast<IpcBuffer*>(runtime.startup.ipc_buffer());
    runtime.self_task = runtime.startup.slot_of(startup::Role::Task);
    runtime.cspace = runtime.startup.slot_of(startup::Role::CapabilitySpace);
    runtime.vspace = runtime.startup.slot_of(startup::Role::VirtualSpace);
    runtime.memory = runtime.startup.slot_of(startup::Role::Memory);
    runtime.console = runtime.startup.slot_of(startup::Role::Console);
    runtime.system = runtime.startup.slot_of(startup::Role::System);
    runtime.output = runtime.startup.slot_of(startup::Role::Stdout);
}

} // namespace

// crt0 calls this with r0 at entry: kRootInfoAddress (the root task),
// startup::kAddress (a process given a start-up block), or what the parent
// chose with SpawnOptions::argument (then the runtime knows only the
// standard slots: its Task in slot 0, the Console in slot 1, and no IPC buffer).
extern "C" [[noreturn]] void vesta_start(uint64_t argument) {
    if (argument == kRootInfoAddress) {
        start_root(*reinterpret_cast<const RootInfo*>(argument));
    } else if (argument == startup::kAddress) {
        start_process();
    } else {
        runtime.self_task = 0;
        runtime.console = 1;
    }
    main(argument);
    exit(0);
}

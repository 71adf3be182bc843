// userland/lib/runtime.cpp — the user runtime (include/user/runtime.hpp).
#include <lib/elf.hpp>
#include <lib/tar.hpp>
#include <user/runtime.hpp>
#include <vesta/root_info.hpp>

namespace vesta::user {

Runtime runtime;
const void* initramfs = nullptr;
size_t initramfs_size = 0;

namespace {

constexpr uint64_t kHeapBase = 0x0000'5000'0000'0000;
constexpr uint64_t kScratchBase = 0x0000'6000'0000'0000;
// Where place_pages() fills a child's pages before handing them over: always
// the same 2 MiB-aligned window, so its page tables are made once.
constexpr uint64_t kStagingBase = 0x0000'5f00'0000'0000;
constexpr uint64_t kChildStackTop = 0x0000'7fff'f000'0000;
constexpr uint64_t kChildStackPages = 16;
constexpr uint64_t kChildIpcBuffer = 0x0000'7fff'e000'1000;
constexpr uint64_t kUserProgramEnd = 0x0000'7000'0000'0000;

uint64_t heap_next = kHeapBase, heap_end = kHeapBase;
uint64_t scratch_next = kScratchBase;

#define CHECK(expression)                                                                                              \
    do {                                                                                                               \
        const Error check_error_ = (expression);                                                                       \
        if (check_error_ != Error::None) return check_error_;                                                          \
    } while (0)

Error map(uint64_t vspace, uint64_t frame, uint64_t address, uint8_t permissions) {
    return invoke(vspace, VirtualSpaceLabel::Map, frame, address, permissions).error;
}

uint8_t permissions_of(uint32_t flags) {
    uint8_t permissions = rights::kRead;
    if (flags & elf::kWrite) permissions |= rights::kWrite;
    if (flags & elf::kExecute) permissions |= rights::kExecute;
    return permissions;
}

// A Page of `pages` pages, mapped into `vspace` at `address`, filled by `fill`
// while mapped at the staging window of the own vspace.
template <class Fill>
Error place_pages(uint64_t memory, uint64_t vspace, uint64_t address, uint64_t pages, uint8_t permissions, Fill fill) {
    uint64_t page = 0;
    CHECK(create_in(memory, ObjectType::Page, pages, &page));
    CHECK(map(runtime.vspace, page, kStagingBase, rights::kRead | rights::kWrite));
    fill(reinterpret_cast<uint8_t*>(kStagingBase));
    CHECK(invoke(runtime.vspace, VirtualSpaceLabel::Unmap, page).error);
    return map(vspace, page, address, permissions);
}

} // namespace

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
    InvokeResult result = invoke(memory, MemoryLabel::Create, static_cast<uint64_t>(type), kAnySlot, size);
    if (result.error == Error::None) *slot = result.words[0];
    return result.error;
}

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

Error map_new_pages(uint64_t pages, uint8_t permissions, uint64_t* address, uint64_t* page_slot) {
    CHECK(create(ObjectType::Page, pages, page_slot));
    *address = scratch_next;
    scratch_next += (pages + 1) * kPageSize;
    return map(runtime.vspace, *page_slot, *address, permissions);
}

void* allocate(size_t bytes) {
    bytes = (bytes + 15) & ~size_t{15};
    if (heap_next + bytes > heap_end) {
        const uint64_t pages = (heap_next + bytes - heap_end + kPageSize - 1) / kPageSize;
        uint64_t page = 0;
        if (create(ObjectType::Page, pages, &page) != Error::None) return nullptr;
        if (map(runtime.vspace, page, heap_end, rights::kRead | rights::kWrite) != Error::None) return nullptr;
        heap_end += pages * kPageSize;
    }
    void* result = reinterpret_cast<void*>(heap_next);
    heap_next += bytes;
    return result;
}

Error spawn(const void* image_data, size_t size, const SpawnOptions& options, Spawned* out) {
    const uint64_t memory = options.memory != kNoSlot ? options.memory : runtime.memory;
    uint64_t cspace = 0, vspace = options.vspace, task = 0, ipc_page = 0;
    CHECK(create_in(memory, ObjectType::CapabilitySpace, options.cspace_slots, &cspace));
    if (vspace == kNoSlot) CHECK(create_in(memory, ObjectType::VirtualSpace, 0, &vspace));
    CHECK(create_in(memory, ObjectType::Task, 0, &task));
    if (options.name) CHECK(set_task_name(task, options.name));

    uint64_t entry = options.entry, stack_top = options.stack_top, ipc_address = kChildIpcBuffer;
    if (image_data) {
        const elf::ElfRequirements requirements{kElfMachine, kPageSize, kUserProgramEnd};
        const auto validated = elf::validate_elf(image_data, size, requirements);
        if (!validated.ok()) return Error::Malformed;
        const elf::ElfImage& image = validated.value();
        const auto* bytes = static_cast<const uint8_t*>(image_data);
        for (size_t i = 0; i < image.segment_count; ++i) {
            const elf::Segment& segment = image.segments[i];
            const uint64_t first = segment.first_page();
            CHECK(place_pages(memory, vspace, first, segment.page_count(), permissions_of(segment.flags),
                              [&](uint8_t* to) {
                                  __builtin_memcpy(to + (segment.virtual_address - first), bytes + segment.file_offset,
                                                   segment.file_size);
                              }));
        }
        CHECK(place_pages(memory, vspace, kChildStackTop - kChildStackPages * kPageSize, kChildStackPages,
                          rights::kRead | rights::kWrite, [](uint8_t*) {}));
        entry = image.entry;
        stack_top = kChildStackTop;
        CHECK(create_in(memory, ObjectType::Page, 1, &ipc_page));
        CHECK(map(vspace, ipc_page, ipc_address, rights::kRead | rights::kWrite));
    } else {
        CHECK(map_new_pages(1, rights::kRead | rights::kWrite, &ipc_address, &ipc_page));
    }
    CHECK(invoke(task, TaskLabel::SetIpcBuffer, ipc_page, ipc_address).error);
    CHECK(invoke(task, TaskLabel::Configure, cspace, vspace, options.fault_endpoint, options.priority).error);
    CHECK(invoke(task, TaskLabel::WriteRegisters, entry, stack_top, options.argument ? options.argument : ipc_address)
              .error);
    *out = Spawned{task, cspace, vspace, ipc_address, ipc_page};
    CHECK(give(*out, 0, task));
    if (runtime.console != kNoSlot) CHECK(give(*out, 1, runtime.console));
    return Error::None;
}

Error prepare_spawning() {
    uint64_t page = 0;
    CHECK(create(ObjectType::Page, 1, &page));
    Error error = map(runtime.vspace, page, kStagingBase, rights::kRead);
    invoke(runtime.cspace, CapabilitySpaceLabel::Delete, page); // unmaps; the tables stay
    return error;
}

Error give(const Spawned& child, uint64_t index, uint64_t source, uint8_t rights_mask, uint64_t badge) {
    return invoke(child.cspace, CapabilitySpaceLabel::Copy, index, source, rights_mask, badge).error;
}

Error start(const Spawned& child) { return invoke(child.task, TaskLabel::Resume).error; }

bool find_file(const char* name, const void** data, size_t* size) {
    if (!initramfs) return false;
    const auto found = tar::find(initramfs, initramfs_size, name);
    if (!found.ok()) return false;
    *data = found.value().data;
    *size = found.value().size;
    return true;
}

} // namespace vesta::user

// crt0 calls this with the start-up argument: the root task gets its RootInfo
// (kRootInfoAddress); every other task its IPC buffer address, with its own
// Task capability in slot 0 and the console (when given) in slot 1.
extern "C" [[noreturn]] void vesta_start(uint64_t argument) {
    using namespace vesta;
    using namespace vesta::user;
    if (argument == kRootInfoAddress) {
        const auto* info = reinterpret_cast<const RootInfo*>(argument);
        runtime.ipc_buffer = reinterpret_cast<IpcBuffer*>(info->ipc_buffer);
        runtime.console = root_slot::kConsole;
        runtime.self_task = root_slot::kTask;
        runtime.cspace = root_slot::kCapabilitySpace;
        runtime.vspace = root_slot::kVirtualSpace;
        runtime.memory = root_slot::kMemory;
        runtime.system = root_slot::kSystem;
        initramfs = reinterpret_cast<const void*>(info->initramfs);
        initramfs_size = info->initramfs_size;
    } else {
        runtime.ipc_buffer = reinterpret_cast<IpcBuffer*>(argument);
        runtime.self_task = 0;
        runtime.console = 1;
    }
    main(argument);
    exit(0);
}

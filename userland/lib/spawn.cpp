// userland/lib/spawn.cpp — creating processes and threads (runtime.hpp:
// spawn, give, start) and what a new process receives: its capabilities,
// argv and environment, described by its start-up block
// (docs/process-startup.md).
#include <lib/elf.hpp>

#include "runtime_internal.hpp"

namespace vesta::user {

namespace {

// Where place_pages() fills a child's pages before handing them over: always
// the same 2 MiB-aligned window, so its page tables are made once.
constexpr uint64_t kStagingBase = 0x0000'5f00'0000'0000;
constexpr uint64_t kChildStackTop = 0x0000'7fff'f000'0000;
constexpr uint64_t kChildStackPages = 16;
constexpr uint64_t kChildIpcBuffer = 0x0000'7fff'e000'1000;
constexpr uint64_t kUserProgramEnd = 0x0000'7000'0000'0000;
static_assert(startup::kAddress + startup::kMaxSize <= kChildIpcBuffer);

uint8_t permissions_of(uint32_t flags) {
    uint8_t permissions = rights::kRead;
    if (flags & elf::kWrite) permissions |= rights::kWrite;
    if (flags & elf::kExecute) permissions |= rights::kExecute;
    return permissions;
}

// A Page of `pages` pages, mapped into `vspace` at `address`, filled by `fill`
// while mapped at the staging window of the own vspace.
template <class Fill>
Result<void> place_pages(uint64_t memory, uint64_t vspace, uint64_t address, uint64_t pages, uint8_t permissions,
                         Fill fill) {
    const uint64_t page = TRY(new_object(memory, ObjectType::Page, pages));
    TRY(map(runtime.vspace, page, kStagingBase, rights::kRead | rights::kWrite));
    fill(reinterpret_cast<uint8_t*>(kStagingBase));
    TRY(checked(invoke(runtime.vspace, VirtualSpaceLabel::Unmap, page).error));
    return map(vspace, page, address, permissions);
}

Result<void> place_image(const void* image_data, size_t size, uint64_t memory, uint64_t vspace, uint64_t* entry) {
    const elf::ElfRequirements requirements{kElfMachine, kPageSize, kUserProgramEnd};
    const auto validated = elf::validate_elf(image_data, size, requirements);
    if (!validated.ok()) return Error::Malformed;
    const elf::ElfImage& image = validated.value();
    const auto* bytes = static_cast<const uint8_t*>(image_data);
    for (size_t i = 0; i < image.segment_count; ++i) {
        const elf::Segment& segment = image.segments[i];
        const uint64_t first = segment.first_page();
        TRY(place_pages(memory, vspace, first, segment.page_count(), permissions_of(segment.flags), [&](uint8_t* to) {
            __builtin_memcpy(to + (segment.virtual_address - first), bytes + segment.file_offset, segment.file_size);
        }));
    }
    *entry = image.entry;
    return {};
}

// Copies a grant into the child's cspace and describes it in `block`.
Result<void> apply_grant(const Spawned& child, const Grant& grant, startup::Builder& block) {
    uint64_t source = grant.source;
    if (source == kOwnTask) source = child.task;
    if (source == kOwnCapabilitySpace) source = child.cspace;
    if (source == kOwnVirtualSpace) source = child.vspace;
    const InvokeResult info = invoke(runtime.cspace, CapabilitySpaceLabel::Info, source);
    if (info.error != Error::None) return info.error;
    if (info.words[0] == static_cast<uint64_t>(ObjectType::None)) return Error::InvalidCapability;
    const InvokeResult copy =
        invoke(child.cspace, CapabilitySpaceLabel::Copy, grant.slot, source, grant.rights, grant.badge);
    if (copy.error != Error::None) return copy.error;
    const auto rights_held = static_cast<uint8_t>(info.words[1] & grant.rights);
    return checked(block.add_capability(copy.words[0], static_cast<ObjectType>(info.words[0]), rights_held, grant.role,
                                        grant.interface_id, grant.note));
}

// The standard slots (own Task in 0, Console in 1), then the named grants,
// then those for any slot (so that "any" never takes a slot named later).
Result<void> apply_grants(const Spawned& child, const ProcessStartup* process, startup::Builder& block) {
    if (!process || process->standard_slots) {
        TRY(apply_grant(child, Grant{.source = kOwnTask, .slot = 0, .role = startup::Role::Task}, block));
        if (runtime.console != kNoSlot)
            TRY(apply_grant(child, Grant{.source = runtime.console, .slot = 1, .role = startup::Role::Console}, block));
    }
    if (!process) return {};
    for (int any = 0; any < 2; ++any) {
        for (size_t i = 0; i < process->grant_count(); ++i) {
            const Grant& grant = process->grant_at(i);
            if ((grant.slot == kAnySlot) == (any == 1)) TRY(apply_grant(child, grant, block));
        }
    }
    return {};
}

Result<Spawned> spawn_task(const void* image_data, size_t size, const SpawnOptions& options) {
    const uint64_t memory = options.memory != kNoSlot ? options.memory : runtime.memory;
    Spawned child{};
    child.cspace = TRY(new_object(memory, ObjectType::CapabilitySpace, options.cspace_slots));
    child.vspace = options.vspace;
    if (child.vspace == kNoSlot) child.vspace = TRY(new_object(memory, ObjectType::VirtualSpace, 0));
    child.task = TRY(new_object(memory, ObjectType::Task, 0));
    if (options.name) TRY(checked(set_task_name(child.task, options.name)));

    uint64_t entry = options.entry, stack_top = options.stack_top, ipc_page = 0;
    child.ipc_buffer = kChildIpcBuffer;
    if (image_data) {
        TRY(place_image(image_data, size, memory, child.vspace, &entry));
        TRY(place_pages(memory, child.vspace, kChildStackTop - kChildStackPages * kPageSize, kChildStackPages,
                        rights::kRead | rights::kWrite, [](uint8_t*) {}));
        stack_top = kChildStackTop;
        ipc_page = TRY(new_object(memory, ObjectType::Page, 1));
        TRY(map(child.vspace, ipc_page, child.ipc_buffer, rights::kRead | rights::kWrite));
    } else {
        TRY(checked(map_new_pages(1, rights::kRead | rights::kWrite, &child.ipc_buffer, &ipc_page)));
    }
    TRY(checked(invoke(child.task, TaskLabel::SetIpcBuffer, ipc_page, child.ipc_buffer).error));
    child.ipc_page = ipc_page;
    TRY(checked(
        invoke(child.task, TaskLabel::Configure, child.cspace, child.vspace, options.fault_endpoint, options.priority)
            .error));

    uint64_t argument = options.argument;
    if (image_data) {
        startup::Builder block;
        if (options.startup) block = options.startup->strings();
        block.set_ipc_buffer(child.ipc_buffer);
        TRY(apply_grants(child, options.startup, block));
        if (block.size() > startup::kMaxSize) return Error::Overflow;
        const uint64_t pages = (block.size() + kPageSize - 1) / kPageSize;
        TRY(place_pages(memory, child.vspace, startup::kAddress, pages, rights::kRead,
                        [&](uint8_t* to) { (void)block.write(to, pages * kPageSize); }));
        if (!argument) argument = startup::kAddress;
    } else {
        startup::Builder unused; // threads get the standard slots and no block
        TRY(apply_grants(child, nullptr, unused));
        if (!argument) argument = child.ipc_buffer;
    }
    TRY(checked(invoke(child.task, TaskLabel::WriteRegisters, entry, stack_top, argument).error));
    return child;
}

} // namespace

Error ProcessStartup::grant(const Grant& grant) {
    if (grant_count_ == kMaxGrants) return Error::OutOfRange;
    size_t note_length = 0;
    while (grant.note && grant.note[note_length]) ++note_length;
    if (!grant.note || note_length >= startup::kNoteSize) return Error::InvalidArgument;
    if (grant.interface_id != 0 && grant.role != startup::Role::Service) return Error::InvalidArgument;
    grants_[grant_count_++] = grant;
    return Error::None;
}

Error ProcessStartup::grant_service(uint32_t interface_id, uint64_t endpoint, const char* note, uint64_t slot,
                                    uint64_t badge) {
    return grant(Grant{.source = endpoint,
                       .slot = slot,
                       .role = startup::Role::Service,
                       .interface_id = interface_id,
                       .note = note,
                       .rights = rights::kWrite | rights::kGrant,
                       .badge = badge});
}

Error spawn(const void* image_data, size_t size, const SpawnOptions& options, Spawned* out) {
    auto spawned = spawn_task(image_data, size, options);
    if (!spawned.ok()) return spawned.error();
    *out = spawned.value();
    return Error::None;
}

Error prepare_spawning() {
    uint64_t page = 0;
    const Error error = create(ObjectType::Page, 1, &page);
    if (error != Error::None) return error;
    const Result<void> mapped = map(runtime.vspace, page, kStagingBase, rights::kRead);
    delete_slot(page); // unmaps; the tables stay
    return mapped.error();
}

Error give(const Spawned& child, uint64_t index, uint64_t source, uint8_t rights_mask, uint64_t badge) {
    return invoke(child.cspace, CapabilitySpaceLabel::Copy, index, source, rights_mask, badge).error;
}

Error start(const Spawned& child) { return invoke(child.task, TaskLabel::Resume).error; }

Error spawn_thread(SpawnOptions& options, Spawned* out) {
    Error spawned = Error::MissingRights;
    for (int priority = 100; priority > 0 && spawned == Error::MissingRights; priority -= 10) {
        options.priority = static_cast<uint8_t>(priority);
        spawned = spawn(nullptr, 0, options, out);
    }
    return spawned;
}

} // namespace vesta::user

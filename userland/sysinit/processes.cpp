// userland/sysinit/processes.cpp — the process table and sys::procmgr
// (processes.hpp).
#include "processes.hpp"

#include <lib/elf.hpp>

#include "sysinit.hpp"

namespace sysinit {

using namespace vesta;
using namespace vesta::user;
namespace sys = vesta::proto::sys;
using ipc::Result;

namespace {

// spawn()'s window for a program's segments (userland/lib/spawn.cpp): the
// image is checked against the same bounds it will be placed within.
constexpr uint64_t kUserProgramEnd = 0x0000'7000'0000'0000;

static_assert(ProcessTable::kMaxProcesses * Process::kMaxHeld <= kReservedHeldSlots);

void copy_name(char* to, const char* from) {
    size_t i = 0;
    for (; from && from[i] && i + 1 < Process::kNameSize; ++i) to[i] = from[i];
    to[i] = '\0';
}

} // namespace

ProcessLabel label_of(const Process& process) {
    ProcessLabel label;
    BufferSink sink(label.text, sizeof(label.text));
    if (process.name[0])
        format(sink, "{} (pid {})", static_cast<const char*>(process.name), process.pid);
    else
        format(sink, "pid {}", process.pid);
    return label;
}

void ProcessTable::serve(uint32_t client, const ipc::Message& request, ipc::Message& reply) {
    client_ = client;
    if (!sys::procmgr::dispatch(*this, request, reply)) ipc::set_error_reply(reply, Error::NotSupported);
}

Process* ProcessTable::find(uint64_t pid) {
    if (pid == 0) return nullptr;
    for (Process& process : processes_)
        if (process.state != Process::State::Free && process.pid == pid) return &process;
    return nullptr;
}

Result<Process*> ProcessTable::create(const char* name) {
    Process* process = nullptr;
    for (Process& candidate : processes_) {
        if (candidate.state == Process::State::Free) {
            process = &candidate;
            break;
        }
    }
    if (!process) return sys::table_full;
    const InvokeResult pool = invoke(runtime.memory, MemoryLabel::Split, kPoolPages, kAnySlot);
    if (pool.error != Error::None) return pool.error;
    *process = Process{};
    process->state = Process::State::New;
    process->pid = next_pid_++;
    process->pool = pool.words[0];
    copy_name(process->name, name);
    return process;
}

Result<void> ProcessTable::take_image(Process& process, const ipc::CapList& pages, size_t size) {
    const ProcessLabel label = label_of(process);
    if (size == 0) {
        log("{}: image refused: it is empty", static_cast<const char*>(label.text));
        return sys::bad_image;
    }
    if (size > kMaxImageBytes) return Error::OutOfRange;
    const uint64_t page_count = (size + kPageSize - 1) / kPageSize;
    const InvokeResult made =
        invoke(process.pool, MemoryLabel::Create, static_cast<uint64_t>(ObjectType::Page), kAnySlot, page_count);
    if (made.error != Error::None) return made.error;
    const uint64_t copy = made.words[0];
    auto mapped = window_.map(0, copy, rights::kRead | rights::kWrite);
    if (!mapped.ok()) {
        drop(copy);
        return mapped.error();
    }
    auto copied = copy_from_pages(window_, pages, 0, mapped.value().bytes, size);
    ipc::Status status;
    if (!copied.ok()) {
        status = copied.error();
    } else if (copied.value() != size) {
        status = Error::InvalidArgument;
    } else {
        const elf::ElfRequirements requirements{kElfMachine, kPageSize, kUserProgramEnd};
        const auto validated = elf::validate_elf(mapped.value().bytes, size, requirements);
        if (!validated.ok()) {
            log("{}: image refused: {}", static_cast<const char*>(label.text), elf::message(validated.error()));
            status = sys::bad_image;
        }
    }
    window_.unmap(copy);
    if (!status.ok()) {
        drop(copy);
        return status;
    }
    process.image = copy;
    process.image_size = size;
    return {};
}

Result<void> ProcessTable::use_image(Process& process, const void* bytes, size_t size) {
    if (size > kMaxImageBytes) return Error::OutOfRange;
    const elf::ElfRequirements requirements{kElfMachine, kPageSize, kUserProgramEnd};
    const auto validated = elf::validate_elf(bytes, size, requirements);
    if (size == 0 || !validated.ok()) {
        log("{}: image refused: {}", static_cast<const char*>(label_of(process).text),
            size == 0 ? "it is empty" : elf::message(validated.error()));
        return sys::bad_image;
    }
    process.image_bytes = bytes;
    process.image_size = size;
    return {};
}

vesta::Result<const void*> ProcessTable::map_image(Process& process) {
    if (process.image_bytes) return process.image_bytes;
    const MappedFrame mapped = TRY(window_.map(0, process.image, rights::kRead));
    return static_cast<const void*>(mapped.bytes);
}

void ProcessTable::unmap_image(Process& process) {
    if (!process.image_bytes) window_.unmap(process.image);
}

Error ProcessTable::hold(Process& process, uint64_t capability) {
    if (process.held_count == Process::kMaxHeld) return Error::OutOfRange;
    process.held[process.held_count++] = capability;
    return Error::None;
}

Result<void> ProcessTable::start(Process& process) {
    if (process.state != Process::State::Loaded) return sys::bad_state;
    const ProcessLabel label = label_of(process);
    Error error = Error::None;
    if (!process.driver) {
        const Grant own[] = {
            {.source = process.pool, .role = startup::Role::Memory},
            {.source = kOwnCapabilitySpace, .role = startup::Role::CapabilitySpace},
            {.source = kOwnVirtualSpace, .role = startup::Role::VirtualSpace},
        };
        for (const Grant& grant : own)
            if (error == Error::None) error = process.startup.grant(grant);
    }
    uint64_t fault_endpoint = kNoSlot;
    if (error == Error::None) {
        auto minted = mint(make_badge(BadgeKind::Fault, process.pid), rights::kWrite);
        if (minted.ok())
            fault_endpoint = minted.value();
        else
            error = minted.error();
    }
    Spawned child{};
    if (error == Error::None) {
        auto image = map_image(process);
        if (image.ok()) {
            SpawnOptions options;
            options.priority = process.priority;
            options.cspace_slots = kProcessSlots;
            options.fault_endpoint = fault_endpoint;
            options.memory = process.pool;
            options.name = process.name[0] ? process.name : nullptr;
            options.startup = &process.startup;
            error = vesta::user::spawn(image.value(), process.image_size, options, &child);
            unmap_image(process);
        } else {
            error = image.error();
        }
    }
    // Before the held capabilities go: the supervisor copies the grants it will repeat.
    if (error == Error::None && start_hook_) start_hook_(hook_context_, process);
    drop(fault_endpoint); // the task's binding keeps the endpoint and the badge
    drop(process.image);  // paid by the pool: its pages return now
    process.image = kNoSlot;
    for (size_t i = 0; i < process.held_count; ++i) drop(process.held[i]);
    process.held_count = 0;
    if (error == Error::None) error = vesta::user::start(child);
    if (error != Error::None) {
        log("cannot start {}: {}", static_cast<const char*>(label.text), error_name(error));
        end(process, kStartFailed, "could not start");
        return error;
    }
    process.task = child.task;
    process.cspace = child.cspace;
    process.state = Process::State::Running;
    if (!process.quiet) log("started {}", static_cast<const char*>(label.text));
    return {};
}

void ProcessTable::end(Process& process, int64_t status, const char* why) {
    if (process.state == Process::State::Ended || process.state == Process::State::Free) return;
    drop(process.pool); // returns when the teardown is done: every page is back
    for (size_t i = 0; i < process.held_count; ++i) drop(process.held[i]);
    process.held_count = 0;
    process.pool = process.image = process.task = process.cspace = kNoSlot;
    process.state = Process::State::Ended;
    process.status = status;
    char note[128] = "";
    if (note_hook_) note_hook_(note_context_, process, status, note, sizeof(note));
    // A program a shell runs: only a fault is worth a line (the shell reports its status).
    const bool fault = status < 0 && status >= -static_cast<int64_t>(FaultKind::Protection);
    if (!process.quiet || fault)
        log("{} {} (status {}){}", static_cast<const char*>(label_of(process).text), why, status,
            static_cast<const char*>(note));
    if (end_hook_) end_hook_(hook_context_, process);
    const size_t waiters = process.waiter_count;
    for (size_t i = 0; i < waiters; ++i)
        (void)loop_.answer(process.waiters[i], sys::procmgr::reply::wait, Result<int64_t>(status));
    process.waiter_count = 0;
    if (waiters) release(process); // collected
}

uint64_t ProcessTable::next_held_slot(const Process& process) const {
    return held_slot(static_cast<size_t>(&process - processes_) * Process::kMaxHeld + process.held_count);
}

void ProcessTable::release(Process& process) {
    process.state = Process::State::Free;
    process.pid = 0;
    process.name[0] = '\0';
}

Result<uint64_t> ProcessTable::new_process() {
    Process* process = TRY(create(""));
    return uint64_t{process->pid};
}

Result<void> ProcessTable::load(const ipc::CapList& image, uint64_t pid, size_t size) {
    Process* process = find(pid);
    if (!process) return sys::no_process;
    if (process->state != Process::State::New) return sys::bad_state;
    TRY(take_image(*process, image, size));
    process->state = Process::State::Loaded;
    return {};
}

template <class Place>
Result<void> ProcessTable::add_grant(Process& process, uint64_t slot, Place place) {
    if (process.state != Process::State::New && process.state != Process::State::Loaded) return sys::bad_state;
    if (slot >= kProcessSlots) return Error::OutOfRange;
    if (process.startup.standard_slots && slot < 2) return Error::SlotOccupied; // its Task and the Console
    for (size_t i = 0; i < process.startup.grant_count(); ++i)
        if (process.startup.grant_at(i).slot == slot) return Error::SlotOccupied;
    if (process.held_count == Process::kMaxHeld) return Error::OutOfRange;
    // Kept in a reserved slot (sysinit.hpp): the caller's pool may die first.
    const uint64_t kept = next_held_slot(process);
    if (process.startup.grant_count() == ProcessStartup::kMaxGrants) return Error::OutOfRange;
    if (const Error placed = place(kept); placed != Error::None) return placed;
    // Cannot fail now: there is room, and a grant without a note or service is valid.
    (void)process.startup.grant(Grant{.source = kept, .slot = slot});
    (void)hold(process, kept); // deleted at start (once copied into the process) or at its end
    return {};
}

Result<void> ProcessTable::grant(ipc::Slot capability, uint64_t pid, uint64_t slot) {
    Process* process = find(pid);
    if (!process) return sys::no_process;
    return add_grant(*process, slot, [&](uint64_t kept) {
        const Error moved = move_capability(capability, kept);
        if (moved == Error::None) loop_.keep(capability); // moved: the loop must not delete what comes there next
        return moved;
    });
}

Result<void> ProcessTable::grant_copy(Process& process, uint64_t capability, uint64_t slot) {
    return add_grant(process, slot, [&](uint64_t kept) { return copy_capability(capability, kept); });
}

Result<void> ProcessTable::start(uint64_t pid) {
    Process* process = find(pid);
    if (!process) return sys::no_process;
    return start(*process);
}

Result<void> ProcessTable::kill(uint64_t pid, int64_t status) {
    Process* process = find(pid);
    if (!process) return sys::no_process;
    end(*process, status, "killed"); // an ended process keeps the status it ended with
    return {};
}

Result<int64_t> ProcessTable::wait(uint64_t pid) {
    Process* process = find(pid);
    if (!process) return sys::no_process;
    if (process->state == Process::State::Ended) {
        const int64_t status = process->status;
        release(*process);
        return status;
    }
    if (process->waiter_count == Process::kMaxWaiters) return Error::Busy;
    const ipc::DeferredCall call = loop_.defer();
    if (!call) return Error::Busy; // every Reply object holds a call
    process->waiters[process->waiter_count++] = call;
    return ipc::kDeferred;
}

} // namespace sysinit

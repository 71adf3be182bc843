// sysinit/devloader_perform.cpp — turning an accepted plan into
// capabilities (devloader.hpp): each one made in the loader's cspace and
// paid from the driver's pool, in manifest order, IRQ handlers last (their
// notes must exist to bind them). On any failure everything made so far is
// deleted again (an IRQ handler's deletion frees its line, a pool's
// deletion everything in it) and the message names the entry and the
// kernel's answer.
#include "devloader.hpp"

#include <lib/format.hpp>

using namespace vesta;
using namespace vesta::user;

namespace sysinit {
namespace {

template <class... Args>
void say(char* message, size_t size, const char* pattern, const Args&... args) {
    if (!message || !size) return;
    BufferSink sink(message, size);
    format(sink, pattern, args...);
}

// Why the kernel may have said no, in the loader's words.
const char* hint(Error error, driver::GrantKind kind) {
    switch (error) {
    case Error::OutOfMemory: return " (the driver's memory pool is too small)";
    case Error::Busy:
        return kind == driver::GrantKind::Irq ? " (the kernel or a task the loader did not start holds the line)"
                                              : " (the kernel or a task the loader did not start holds them)";
    case Error::OutOfRange:
        return kind == driver::GrantKind::Irq ? " (no such line on this machine)" : " (beyond what the kernel allows)";
    case Error::NotSupported: return " (not on this machine)";
    default: return "";
    }
}

} // namespace

Result<uint64_t> DriverLoader::split_device_memory(const driver::Grant& grant, uint64_t memory) {
    const uint64_t end = grant.physical + grant.pages * kPageSize;
    for (size_t i = 0; i < device_count_; ++i) {
        const DeviceSource& source = devices_[i];
        if (grant.physical < source.physical || end > source.physical + source.pages * kPageSize) continue;
        const InvokeResult part = invoke(source.slot, FrameLabel::Split, (grant.physical - source.physical) / kPageSize,
                                         grant.pages, kAnySlot, memory);
        if (part.error != Error::None) return part.error;
        return part.words[0];
    }
    return Error::NotFound;
}

void DriverLoader::undo() {
    for (size_t i = plan_.grant_count; i-- > 0;) {
        if (made_[i] == kNoSlot || plan_.grants[i].kind == driver::GrantKind::Service) continue;
        (void)invoke(runtime.cspace, CapabilitySpaceLabel::Delete, made_[i]);
        made_[i] = kNoSlot;
    }
}

Error DriverLoader::perform(uint64_t memory, ServiceLookup services, void* context, Driver& record, char* message,
                            size_t message_size) {
    for (size_t i = 0; i < plan_.grant_count; ++i) made_[i] = kNoSlot;
    const char* name = plan_.driver;
    auto fail = [&](const driver::Grant& grant, const char* operation, Error error) {
        say(message, message_size, "{}: {}:{}: entry {}: {} failed: {}{}", name, grant.location.line,
            grant.location.column, grant.entry, operation, error_name(error), hint(error, grant.kind));
        undo();
        return error;
    };
    // Everything but the IRQ handlers.
    for (size_t i = 0; i < plan_.grant_count; ++i) {
        const driver::Grant& grant = plan_.grants[i];
        uint64_t slot = kNoSlot;
        Error error = Error::None;
        const char* operation = "";
        switch (grant.kind) {
        case driver::GrantKind::Note:
            operation = "Memory.Create of a notification";
            error = create_in(memory, ObjectType::Notification, 0, &slot);
            break;
        case driver::GrantKind::Endpoint:
            operation = "Memory.Create of an endpoint";
            error = create_in(memory, ObjectType::Endpoint, 0, &slot);
            break;
        case driver::GrantKind::IoPort: {
            operation = "IoPortControl.Get";
            const InvokeResult r = invoke(authority_.io_port_control, IoPortControlLabel::Get, grant.port_first,
                                          grant.port_count, kAnySlot, memory);
            error = r.error;
            slot = r.words[0];
            break;
        }
        case driver::GrantKind::DeviceMemory: {
            const auto part = split_device_memory(grant, memory);
            if (!part.ok() && part.error() == Error::NotFound) {
                say(message, message_size,
                    "{}: {}:{}: entry {}: no device memory the loader was given covers {:x}-{:x} (the kernel hands "
                    "the root task the MMIO ranges the firmware's memory map lists, and the console's registers once "
                    "released)",
                    name, grant.location.line, grant.location.column, grant.entry, grant.physical,
                    grant.physical + grant.pages * kPageSize - 1);
                undo();
                return Error::NotFound;
            }
            operation = "DeviceMemory.Split";
            error = part.ok() ? Error::None : part.error();
            slot = part.ok() ? part.value() : kNoSlot;
            break;
        }
        case driver::GrantKind::Memory: {
            operation = "Memory.Split";
            const InvokeResult r = invoke(memory, MemoryLabel::Split, grant.memory_pages, kAnySlot);
            error = r.error;
            slot = r.words[0];
            break;
        }
        case driver::GrantKind::Service:
            slot = services ? services(grant.interface_name, context) : kNoSlot;
            if (slot == kNoSlot) {
                say(message, message_size, "{}: {}:{}: service '{}' is not being served (no endpoint for it)", name,
                    grant.location.line, grant.location.column, grant.interface_name);
                undo();
                return Error::NotFound;
            }
            made_[i] = slot; // the caller's endpoint: spawn copies it, nobody deletes it
            continue;
        default: continue; // Irq below; cspace and vspace are spawn's
        }
        if (error != Error::None) return fail(grant, operation, error);
        made_[i] = slot;
    }
    // The IRQ handlers, each bound to its note with its badge.
    for (size_t i = 0; i < plan_.grant_count; ++i) {
        const driver::Grant& grant = plan_.grants[i];
        if (grant.kind != driver::GrantKind::Irq) continue;
        const InvokeResult handler = invoke(authority_.irq_control, IrqControlLabel::Get, grant.line, kAnySlot, memory);
        if (handler.error != Error::None) return fail(grant, "IrqControl.Get", handler.error);
        made_[i] = handler.words[0];
        const InvokeResult badged = invoke(runtime.cspace, CapabilitySpaceLabel::Copy, kAnySlot,
                                           made_[grant.note_grant], rights::kAll, grant.badge);
        if (badged.error != Error::None) return fail(grant, "CapabilitySpace.Copy of its note", badged.error);
        const Error bound = invoke(made_[i], IrqHandlerLabel::Bind, badged.words[0]).error;
        (void)invoke(runtime.cspace, CapabilitySpaceLabel::Delete, badged.words[0]);
        if (bound != Error::None) return fail(grant, "IrqHandler.Bind", bound);
    }
    // What spawned() may delete: all the loader made but the pools.
    record.slot_count = 0;
    for (size_t i = 0; i < plan_.grant_count; ++i) {
        const driver::GrantKind kind = plan_.grants[i].kind;
        if (made_[i] == kNoSlot || kind == driver::GrantKind::Service || kind == driver::GrantKind::Memory) continue;
        record.slots[record.slot_count++] = made_[i];
    }
    return Error::None;
}

} // namespace sysinit

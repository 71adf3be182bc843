// kernel/syscall/memory_invocation.cpp — Memory: Create, Split, Info.
#include <object/endpoint.hpp>
#include <object/frame.hpp>
#include <object/memory.hpp>
#include <object/notification.hpp>
#include <object/reply.hpp>
#include <object/virtual_space.hpp>
#include <syscall/invocation.hpp>

namespace vesta {
namespace {

constexpr uint64_t kMaxPageObjectPages = 512; // 2 MiB per Page object

// Allocate and construct an object of `type` (size: pages or slots).
// Fails with OutOfMemory, changing nothing.
Result<Object*> create_object(Memory& memory, ObjectType type, uint64_t size) {
    switch (type) {
    case ObjectType::Page: {
        uint64_t physical = TRY(memory.allocate_pages(size));
        auto page = memory.create<Page>(sizeof(Page), physical, size);
        if (!page.ok()) {
            memory.free_pages(physical, size);
            return page.error();
        }
        return static_cast<Object*>(page.value());
    }
    case ObjectType::CapabilitySpace:
        return TRY(memory.create<CapabilitySpace>(CapabilitySpace::bytes_for(size), static_cast<uint32_t>(size)));
    case ObjectType::VirtualSpace: {
        // The header, then the root table: with both reserved up front,
        // neither allocation below can fail.
        if (memory.free_pages() < memory.pages_needed_for(sizeof(VirtualSpace)) + arch::PageTable::kRootPages)
            return Error::OutOfMemory;
        VirtualSpace* space = memory.create<VirtualSpace>(sizeof(VirtualSpace)).value();
        space->initialise();
        return static_cast<Object*>(space);
    }
    case ObjectType::Task: return TRY(memory.create<Task>(sizeof(Task)));
    case ObjectType::Endpoint: return TRY(memory.create<Endpoint>(sizeof(Endpoint)));
    case ObjectType::Notification: return TRY(memory.create<Notification>(sizeof(Notification)));
    case ObjectType::Reply: return TRY(memory.create<Reply>(sizeof(Reply)));
    default: return Error::InvalidArgument;
    }
}

Result<void> check_size(ObjectType type, uint64_t size) {
    switch (type) {
    case ObjectType::Page:
        if (size == 0 || size > kMaxPageObjectPages) return Error::OutOfRange;
        return {};
    case ObjectType::CapabilitySpace:
        if (size == 0 || size > CapabilitySpace::kMaxSlots) return Error::OutOfRange;
        return {};
    case ObjectType::VirtualSpace:
    case ObjectType::Task:
    case ObjectType::Endpoint:
    case ObjectType::Notification:
    case ObjectType::Reply: return {};
    default: return Error::InvalidArgument; // Memory: use Split; the rest are not made here
    }
}

InvocationOutcome create(Invocation& invocation) {
    auto& memory = invocation.object<Memory>();
    uint64_t raw_type = invocation.words[0];
    if (raw_type > static_cast<uint64_t>(ObjectType::IoPort)) return Error::InvalidArgument;
    auto type = static_cast<ObjectType>(raw_type);
    TRY(check_size(type, invocation.words[2]));
    uint32_t slot = TRY(invocation.cspace().find_free(invocation.words[1]));
    Object* object = TRY(create_object(memory, type, invocation.words[2]));
    if (type == ObjectType::Task) static_cast<Task*>(object)->home = &invocation.cpu; // starts on its creator's CPU
    invocation.cspace().install(slot, *object, rights::kAll, 0);
    return InvocationResult::of(slot);
}

InvocationOutcome split(Invocation& invocation) {
    auto& memory = invocation.object<Memory>();
    uint64_t pages = invocation.words[0];
    if (pages < 2 || !Memory::large_enough(pages)) return Error::InvalidArgument;
    uint32_t slot = TRY(invocation.cspace().find_free(invocation.words[1]));
    // Not zeroed: the new pool initialises its header and zeroes what it hands out.
    uint64_t physical = TRY(memory.allocate_pages(pages, false));
    Memory* child = Memory::create_at(physical, pages, &memory);
    invocation.cspace().install(slot, *child, rights::kAll, 0, true);
    return InvocationResult::of(slot);
}

InvocationOutcome info(Invocation& invocation) {
    auto& memory = invocation.object<Memory>();
    return InvocationResult::of(memory.total_pages(), memory.free_pages());
}

constexpr Operation kOperations[] = {
    operation(MemoryLabel::Create, rights::kWrite, 3, create),
    operation(MemoryLabel::Split, rights::kWrite, 2, split),
    operation(MemoryLabel::Info, rights::kRead, 0, info),
};

} // namespace

const OperationTable kMemoryOperations{kOperations};

} // namespace vesta

// kernel/boot/initial_objects.cpp — the first memory pools, device ranges and
// the root task.
#include <boot/initial_objects.hpp>
#include <cpu.hpp>
#include <object/binding.hpp>

namespace vesta {

Result<Memory*> create_initial_memory(Kernel& kernel, uint64_t physical, uint64_t pages) {
    if (!is_aligned(physical, kPageSize)) return Error::Misaligned;
    if (pages < 2 || !Memory::large_enough(pages)) return Error::InvalidArgument;
    if (kernel.ram_count == Kernel::kMaxRamRanges) return Error::OutOfRange;
    if (kernel.overlaps_ram(physical, pages)) return Error::Busy;
    kernel.ram[kernel.ram_count++] = PageRange{physical, pages};
    Memory* memory = Memory::create_at(physical, pages, nullptr);
    memory->flags |= Object::kPermanent; // nothing to give its range back to
    return memory;
}

Result<DeviceMemory*> create_initial_device_memory(Kernel& kernel, Memory& memory, uint64_t physical, uint64_t pages) {
    if (!is_aligned(physical, kPageSize)) return Error::Misaligned;
    if (pages == 0) return Error::InvalidArgument;
    if (kernel.overlaps_ram(physical, pages)) return Error::Busy;
    return memory.create<DeviceMemory>(sizeof(DeviceMemory), physical, pages);
}

Result<RootTask> create_root_task(Kernel& kernel, Memory& memory, uint32_t slots, uint8_t priority) {
    if (slots < root_slot::kFirstFree || slots > CapabilitySpace::kMaxSlots) return Error::OutOfRange;
    // Boot-time: a failure here is fatal to the boot path, partial objects
    // are not worth reclaiming.
    CapabilitySpace* cspace = TRY(memory.create<CapabilitySpace>(CapabilitySpace::bytes_for(slots), slots));
    if (memory.free_pages() < memory.pages_needed_for(sizeof(VirtualSpace)) + arch::PageTable::kRootPages)
        return Error::OutOfMemory;
    VirtualSpace* vspace = TRY(memory.create<VirtualSpace>(sizeof(VirtualSpace)));
    vspace->initialise();
    Task* task = TRY(memory.create<Task>(sizeof(Task)));
    task->home = &kernel.cpu;

    cspace->install(root_slot::kCapabilitySpace, *cspace, rights::kAll, 0);
    cspace->install(root_slot::kVirtualSpace, *vspace, rights::kAll, 0);
    cspace->install(root_slot::kTask, *task, rights::kAll, 0);
    cspace->install(root_slot::kMemory, memory, rights::kAll, 0, true);
    cspace->install(root_slot::kIrqControl, kernel.irq_control, rights::kAll, 0);
    cspace->install(root_slot::kIoPortControl, kernel.io_port_control, rights::kAll, 0);
    cspace->install(root_slot::kConsole, kernel.console, rights::kAll, 0);
    cspace->install(root_slot::kSystem, kernel.system, rights::kAll, 0);

    bind_cspace(*task, cspace);
    bind_vspace(*task, vspace);
    task->priority = priority;
    make_ready(kernel.cpu, *task);
    return RootTask{task, cspace, vspace};
}

Result<uint32_t> grant_to_root(RootTask& root, Object& object) {
    uint32_t slot = TRY(root.cspace->find_free(kAnySlot));
    root.cspace->install(slot, object, rights::kAll, 0, object.type == ObjectType::Memory);
    return slot;
}

} // namespace vesta

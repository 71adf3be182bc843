// kernel/object/virtual_space.cpp — map, unmap and protect frames.
#include <object/memory.hpp>
#include <object/virtual_space.hpp>

namespace vesta {
namespace {

constexpr uint64_t kLeafTableSpan = kPageSize * 512; // what one leaf table covers

uint64_t allocate_table_page(void* owner) {
    // Cannot fail: check_map (or creation) reserved the pages.
    return static_cast<Memory*>(owner)->allocate_pages(1).value();
}
void release_table_page(void* owner, uint64_t physical) {
    static_cast<Memory*>(owner)->free_pages(physical, 1);
}

} // namespace

arch::PageTablePages VirtualSpace::table_pages() {
    return arch::PageTablePages{source, &allocate_table_page, &release_table_page};
}

void VirtualSpace::initialize() {
    arch::PageTablePages pages = table_pages();
    table_.initialize(pages);
}

bool VirtualSpace::valid_permissions(uint8_t permissions) {
    if (permissions & ~(rights::kRead | rights::kWrite | rights::kExecute)) return false;
    if (!(permissions & rights::kRead)) return false;
    return (permissions & (rights::kWrite | rights::kExecute)) != (rights::kWrite | rights::kExecute);
}

Result<void> VirtualSpace::check_map(const Capability& frame, uint64_t address,
                                     uint8_t permissions) const {
    const auto& object = *static_cast<const Frame*>(frame.object);
    if (!valid_permissions(permissions)) return Error::InvalidArgument;
    if (object.is_device() && (permissions & rights::kExecute)) return Error::InvalidArgument;
    if ((frame.rights & permissions) != permissions) return Error::MissingRights;
    if (!is_aligned(address, kPageSize)) return Error::Misaligned;
    uint64_t end;
    if (!checked_add(address, object.pages * kPageSize, &end) || end > arch::kUserAddressEnd)
        return Error::OutOfRange;
    if (frame.mapped_in) return Error::Busy;
    arch::Mapping existing;
    size_t tables = 0;
    for (uint64_t page = address; page < end; page += kPageSize) {
        if (table_.query(page, &existing)) return Error::Busy;
        // Conservative: each leaf-table span may need its own path of tables.
        if (page == address || is_aligned(page, kLeafTableSpan)) tables += table_.tables_needed(page);
    }
    if (source->free_pages() < tables) return Error::OutOfMemory;
    return {};
}

void VirtualSpace::map_frame(Capability& frame, uint64_t address, uint8_t permissions) {
    const auto& object = *static_cast<const Frame*>(frame.object);
    arch::PageTablePages pages = table_pages();
    auto kind = object.is_device() ? arch::MemoryKind::Device : arch::MemoryKind::Normal;
    for (uint64_t i = 0; i < object.pages; ++i)
        table_.map(address + i * kPageSize, object.physical + i * kPageSize, permissions, kind, pages);
    frame.mapped_in = this;
    frame.mapped_address = address;
    frame.mapped_permissions = permissions;
    retain(*this);
}

void VirtualSpace::unmap_frame(Capability& frame) {
    const auto& object = *static_cast<const Frame*>(frame.object);
    for (uint64_t i = 0; i < object.pages; ++i) table_.unmap(frame.mapped_address + i * kPageSize);
    frame.mapped_in = nullptr;
    frame.mapped_address = 0;
    frame.mapped_permissions = 0;
}

void VirtualSpace::protect_frame(Capability& frame, uint8_t permissions) {
    const auto& object = *static_cast<const Frame*>(frame.object);
    for (uint64_t i = 0; i < object.pages; ++i)
        table_.protect(frame.mapped_address + i * kPageSize, permissions);
    frame.mapped_permissions = permissions;
}

void VirtualSpace::destroy(Cpu&, VirtualSpace& space) {
    arch::PageTablePages pages = space.table_pages();
    space.table_.destroy(pages);
}

} // namespace vesta

// kernel/object/virtual_space.cpp — map, unmap and protect frames.
#include <object/memory.hpp>
#include <object/virtual_space.hpp>
#include <smp/cross_cpu.hpp>

namespace vesta {
namespace {

constexpr uint64_t kLeafTableSpan = kPageSize * 512; // what one leaf table covers

uint64_t allocate_table_page(void* owner) {
    // Cannot fail: check_map (or creation) reserved the pages.
    return static_cast<Memory*>(owner)->allocate_pages(1).value();
}
void release_table_page(void* owner, uint64_t physical) { static_cast<Memory*>(owner)->free_pages(physical, 1); }

Frame& frame_of(const Capability& capability) { return *static_cast<Frame*>(capability.object); }

// W^X across mappings: would `permissions`, added to the frame's uses (minus
// the ones of `replaced`, the mapping being changed), make it writable and
// executable at once?
bool breaks_write_xor_execute(const Frame& frame, uint8_t permissions, uint8_t replaced) {
    const uint32_t writable = frame.writable_uses - ((replaced & rights::kWrite) ? 1 : 0);
    const uint32_t executable = frame.executable_mappings - ((replaced & rights::kExecute) ? 1 : 0);
    if ((permissions & rights::kWrite) && executable) return true;
    if ((permissions & rights::kExecute) && writable) return true;
    return false;
}

void count_uses(Frame& frame, uint8_t permissions, int delta) {
    if (permissions & rights::kWrite) frame.writable_uses += static_cast<uint32_t>(delta);
    if (permissions & rights::kExecute) frame.executable_mappings += static_cast<uint32_t>(delta);
}

Result<void> check_permissions(const Capability& capability, uint8_t permissions, uint8_t replaced) {
    const Frame& frame = frame_of(capability);
    if (!VirtualSpace::valid_permissions(permissions)) return Error::InvalidArgument;
    if (frame.is_device() && (permissions & rights::kExecute)) return Error::InvalidArgument;
    if ((capability.rights & permissions) != permissions) return Error::MissingRights;
    if (breaks_write_xor_execute(frame, permissions, replaced)) return Error::Busy;
    return {};
}

} // namespace

arch::PageTablePages VirtualSpace::table_pages() {
    return arch::PageTablePages{source, &allocate_table_page, &release_table_page};
}

void VirtualSpace::initialise() {
    arch::PageTablePages pages = table_pages();
    table_.initialise(pages);
}

bool VirtualSpace::valid_permissions(uint8_t permissions) {
    if (permissions & ~(rights::kRead | rights::kWrite | rights::kExecute)) return false;
    if (!(permissions & rights::kRead)) return false;
    return (permissions & (rights::kWrite | rights::kExecute)) != (rights::kWrite | rights::kExecute);
}

Result<void> VirtualSpace::check_map(const Capability& frame, uint64_t address, uint8_t permissions) const {
    const Frame& object = frame_of(frame);
    TRY(check_permissions(frame, permissions, 0));
    if (!is_aligned(address, kPageSize)) return Error::Misaligned;
    uint64_t end;
    if (!checked_add(address, object.pages * kPageSize, &end) || end > arch::kUserAddressEnd) return Error::OutOfRange;
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
    Frame& object = frame_of(frame);
    arch::PageTablePages pages = table_pages();
    auto kind = object.is_device() ? arch::MemoryKind::Device : arch::MemoryKind::Normal;
    for (uint64_t i = 0; i < object.pages; ++i)
        table_.map(address + i * kPageSize, object.physical + i * kPageSize, permissions, kind, pages);
    frame.mapped_in = this;
    frame.mapped_address = address;
    frame.mapped_permissions = permissions;
    mappings.push_front(frame);
    count_uses(object, permissions, +1);
}

void VirtualSpace::unmap_frame(Capability& frame) {
    const Frame& object = frame_of(frame);
    for (uint64_t i = 0; i < object.pages; ++i) table_.unmap(frame.mapped_address + i * kPageSize);
    shoot_down(*this); // no CPU keeps the old translations (docs/smp.md)
    forget_mapping(frame);
}

void VirtualSpace::forget_mapping(Capability& frame) {
    count_uses(frame_of(frame), frame.mapped_permissions, -1);
    mappings.remove(frame);
    frame.mapped_in = nullptr;
    frame.mapped_address = 0;
    frame.mapped_permissions = 0;
}

void VirtualSpace::move_mapping(Capability& from, Capability& to) {
    mappings.remove(from);
    to.mapped_in = this;
    to.mapped_address = from.mapped_address;
    to.mapped_permissions = from.mapped_permissions;
    mappings.push_front(to);
    from.mapped_in = nullptr;
    from.mapped_address = 0;
    from.mapped_permissions = 0;
}

Result<void> VirtualSpace::check_protect(const Capability& frame, uint8_t permissions) {
    return check_permissions(frame, permissions, frame.mapped_permissions);
}

void VirtualSpace::protect_frame(Capability& frame, uint8_t permissions) {
    Frame& object = frame_of(frame);
    for (uint64_t i = 0; i < object.pages; ++i) table_.protect(frame.mapped_address + i * kPageSize, permissions);
    shoot_down(*this);
    count_uses(object, frame.mapped_permissions, -1);
    count_uses(object, permissions, +1);
    frame.mapped_permissions = permissions;
}

void VirtualSpace::deactivate() {
    shoot_down(*this);
    forget_space(*this); // the lock holder's own record of it
    table_.deactivate();
}

bool VirtualSpace::free_tables(uint32_t& budget) {
    arch::PageTablePages pages = table_pages();
    return table_.destroy_some(pages, budget);
}

} // namespace vesta

// Host backend: software page tables (see include/arch/backend/mmu.hpp).
#include <arch/mmu.hpp>
#include <arch/host.hpp>
#include <arch/physical_memory.hpp>
#include <lib/page_table_walk.hpp>

namespace vesta::arch {
namespace {

constexpr uint64_t kPresent = 1;
constexpr uint64_t kDevice = 16;
constexpr uint64_t kAddressMask = 0x000f'ffff'ffff'f000;
constexpr int kLevels = 4;

uint64_t* table_at(uint64_t physical) { return static_cast<uint64_t*>(physical_to_virtual(physical)); }

size_t index_at(uint64_t address, int level) { // level 3 = root, 0 = leaf table
    return (address >> (12 + 9 * level)) & 511;
}

// The host entry format as lib/page_table_walk.hpp sees it.
struct HostFormat {
    static bool is_present(uint64_t entry) { return entry & kPresent; }
    static bool is_table(uint64_t, unsigned level) { return level > 0; }
    static uint64_t table_address(uint64_t entry) { return entry & kAddressMask; }
};

} // namespace

void PageTable::initialize(PageTablePages& pages) { root_ = pages.allocate(pages.owner); }

size_t PageTable::tables_needed(uint64_t address) const {
    uint64_t table = root_;
    for (int level = kLevels - 1; level > 0; --level) {
        uint64_t entry = table_at(table)[index_at(address, level)];
        if (!(entry & kPresent)) return static_cast<size_t>(level);
        table = entry & kAddressMask;
    }
    return 0;
}

uint64_t* PageTable::leaf_entry(uint64_t address) const {
    uint64_t table = root_;
    for (int level = kLevels - 1; level > 0; --level) {
        uint64_t entry = table_at(table)[index_at(address, level)];
        if (!(entry & kPresent)) return nullptr;
        table = entry & kAddressMask;
    }
    return &table_at(table)[index_at(address, 0)];
}

void PageTable::map(uint64_t address, uint64_t physical, uint8_t permissions, MemoryKind kind,
                    PageTablePages& pages) {
    uint64_t table = root_;
    for (int level = kLevels - 1; level > 0; --level) {
        uint64_t& entry = table_at(table)[index_at(address, level)];
        if (!(entry & kPresent)) entry = pages.allocate(pages.owner) | kPresent;
        table = entry & kAddressMask;
    }
    table_at(table)[index_at(address, 0)] = (physical & kAddressMask) | kPresent |
                                            uint64_t{permissions & 7u} << 1 |
                                            (kind == MemoryKind::Device ? kDevice : 0);
}

void PageTable::unmap(uint64_t address) {
    if (uint64_t* entry = leaf_entry(address)) *entry = 0;
}

void PageTable::protect(uint64_t address, uint8_t permissions) {
    uint64_t* entry = leaf_entry(address);
    if (entry && (*entry & kPresent)) *entry = (*entry & ~uint64_t{0xe}) | uint64_t{permissions & 7u} << 1;
}

bool PageTable::query(uint64_t address, Mapping* out) const {
    uint64_t* entry = leaf_entry(address);
    if (!entry || !(*entry & kPresent)) return false;
    *out = Mapping{*entry & kAddressMask, static_cast<uint8_t>((*entry >> 1) & 7),
                   (*entry & kDevice) ? MemoryKind::Device : MemoryKind::Normal};
    return true;
}

void PageTable::deactivate() { ++host_machine.page_tables_deactivated; }

bool PageTable::destroy_some(PageTablePages& pages, uint32_t& budget) {
    if (!root_) return true;
    if (!paging::free_tables_some<HostFormat>(root_, kLevels - 1, 0, 512, teardown_cursor_, budget, table_at,
                                              [&](uint64_t table) { pages.release(pages.owner, table); }))
        return false;
    pages.release(pages.owner, root_);
    root_ = 0;
    return true;
}

} // namespace vesta::arch

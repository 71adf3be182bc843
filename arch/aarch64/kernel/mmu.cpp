// arch/aarch64/kernel/mmu.cpp — user page tables (include/arch/backend/mmu.hpp).
#include <arch/mmu.hpp>
#include <arch/physical_memory.hpp>
#include <vesta/syscall.hpp>

#include "../paging_format.hpp"
#include "per_cpu.hpp"

namespace vesta::arch {
namespace {

using Format = aarch64::PagingFormat;
constexpr int kLevels = 4;

uint64_t* table_at(uint64_t physical) { return static_cast<uint64_t*>(physical_to_virtual(physical)); }
size_t index_at(uint64_t address, int level) { return (address >> (12 + 9 * level)) & 511; }

uint64_t leaf_bits(uint8_t permissions, MemoryKind kind) {
    uint64_t entry = Format::kValid | Format::kTableOrPage | Format::kAccessed | Format::kNotGlobal |
                     Format::kUserAccess | Format::kPrivilegedNoExecute;
    if (!(permissions & rights::kWrite)) entry |= Format::kReadOnly;
    if (!(permissions & rights::kExecute)) entry |= Format::kUserNoExecute;
    if (kind == MemoryKind::Device) entry |= Format::kAttrDevice << Format::kAttrIndexShift;
    else entry |= Format::kAttrNormal << Format::kAttrIndexShift | Format::kInnerShareable;
    return entry;
}

// Break-before-make: callers clear an entry, invalidate, then write a new one.
void invalidate(uint64_t address) {
    asm volatile("dsb ishst\n\ttlbi vae1is, %0\n\tdsb ish\n\tisb" ::"r"(address >> 12) : "memory");
}
void publish() { asm volatile("dsb ishst\n\tisb" ::: "memory"); }

void free_tree(uint64_t physical, int level, PageTablePages& pages) {
    if (level > 0) {
        uint64_t* table = table_at(physical);
        for (size_t i = 0; i < 512; ++i)
            if (table[i] & Format::kValid) free_tree(table[i] & Format::kAddressMask, level - 1, pages);
    }
    pages.release(pages.owner, physical);
}

} // namespace

void PageTable::initialize(PageTablePages& pages) { root_ = pages.allocate(pages.owner); }

size_t PageTable::tables_needed(uint64_t address) const {
    uint64_t table = root_;
    for (int level = kLevels - 1; level > 0; --level) {
        uint64_t entry = table_at(table)[index_at(address, level)];
        if (!(entry & Format::kValid)) return static_cast<size_t>(level);
        table = entry & Format::kAddressMask;
    }
    return 0;
}

uint64_t* PageTable::leaf_entry(uint64_t address) const {
    uint64_t table = root_;
    for (int level = kLevels - 1; level > 0; --level) {
        uint64_t entry = table_at(table)[index_at(address, level)];
        if (!(entry & Format::kValid)) return nullptr;
        table = entry & Format::kAddressMask;
    }
    return &table_at(table)[index_at(address, 0)];
}

void PageTable::map(uint64_t address, uint64_t physical, uint8_t permissions, MemoryKind kind,
                    PageTablePages& pages) {
    uint64_t table = root_;
    for (int level = kLevels - 1; level > 0; --level) {
        uint64_t& entry = table_at(table)[index_at(address, level)];
        if (!(entry & Format::kValid)) entry = Format::make_table(pages.allocate(pages.owner));
        table = entry & Format::kAddressMask;
    }
    table_at(table)[index_at(address, 0)] = (physical & Format::kAddressMask) | leaf_bits(permissions, kind);
    publish();
}

void PageTable::unmap(uint64_t address) {
    if (uint64_t* entry = leaf_entry(address)) {
        *entry = 0;
        invalidate(address);
    }
}

void PageTable::protect(uint64_t address, uint8_t permissions) {
    uint64_t* entry = leaf_entry(address);
    if (!entry || !(*entry & Format::kValid)) return;
    const uint64_t attributes = (*entry >> Format::kAttrIndexShift) & 7;
    const MemoryKind kind = attributes == Format::kAttrDevice ? MemoryKind::Device : MemoryKind::Normal;
    const uint64_t physical = *entry & Format::kAddressMask;
    *entry = 0;
    invalidate(address);
    *entry = physical | leaf_bits(permissions, kind);
    publish();
}

bool PageTable::query(uint64_t address, Mapping* out) const {
    uint64_t* entry = leaf_entry(address);
    if (!entry || !(*entry & Format::kValid)) return false;
    uint8_t permissions = rights::kRead;
    if (!(*entry & Format::kReadOnly)) permissions |= rights::kWrite;
    if (!(*entry & Format::kUserNoExecute)) permissions |= rights::kExecute;
    const uint64_t attributes = (*entry >> Format::kAttrIndexShift) & 7;
    *out = Mapping{*entry & Format::kAddressMask, permissions,
                   attributes == Format::kAttrDevice ? MemoryKind::Device : MemoryKind::Normal};
    return true;
}

void PageTable::destroy(PageTablePages& pages) {
    if (!root_) return;
    aarch64::PerCpu& cpu = aarch64::this_cpu();
    if (cpu.active_root == root_) { // never free the tables in TTBR0
        aarch64::write_ttbr0(cpu.empty_root);
        cpu.active_root = cpu.empty_root;
    }
    free_tree(root_, kLevels - 1, pages);
    root_ = 0;
    asm volatile("tlbi aside1is, xzr\n\tdsb ish\n\tisb" ::: "memory");
}

} // namespace vesta::arch

// arch/x86_64/kernel/mmu.cpp — user page tables (include/arch/backend/mmu.hpp).
#include <arch/mmu.hpp>
#include <arch/physical_memory.hpp>
#include <vesta/syscall.hpp>

#include "../paging_format.hpp"
#include "per_cpu.hpp"

namespace vesta::arch {
namespace {

using Format = x86_64::PagingFormat;
constexpr int kLevels = 4;
constexpr size_t kUserEntries = 256; // PML4 entries of the lower half
uint64_t kernel_root = 0;

uint64_t* table_at(uint64_t physical) { return static_cast<uint64_t*>(physical_to_virtual(physical)); }
size_t index_at(uint64_t address, int level) { return (address >> (12 + 9 * level)) & 511; }

uint64_t leaf_bits(uint8_t permissions, MemoryKind kind) {
    uint64_t entry = Format::kPresent | Format::kUser;
    if (permissions & rights::kWrite) entry |= Format::kWritable;
    if (!(permissions & rights::kExecute)) entry |= Format::kNoExecute;
    if (kind == MemoryKind::Device) entry |= Format::kCacheDisable | Format::kWriteThrough;
    return entry;
}

void invalidate(uint64_t address) { asm volatile("invlpg (%0)" ::"r"(address) : "memory"); }

void free_tree(uint64_t physical, int level, PageTablePages& pages) {
    if (level > 0) {
        uint64_t* table = table_at(physical);
        for (size_t i = 0; i < 512; ++i)
            if (table[i] & Format::kPresent) free_tree(table[i] & Format::kAddressMask, level - 1, pages);
    }
    pages.release(pages.owner, physical);
}

} // namespace

void set_kernel_page_table(uint64_t physical) { kernel_root = physical; }

void PageTable::initialize(PageTablePages& pages) {
    root_ = pages.allocate(pages.owner); // zeroed
    const uint64_t* kernel = table_at(kernel_root);
    uint64_t* root = table_at(root_);
    for (size_t i = kUserEntries; i < 512; ++i) root[i] = kernel[i];
}

size_t PageTable::tables_needed(uint64_t address) const {
    uint64_t table = root_;
    for (int level = kLevels - 1; level > 0; --level) {
        uint64_t entry = table_at(table)[index_at(address, level)];
        if (!(entry & Format::kPresent)) return static_cast<size_t>(level);
        table = entry & Format::kAddressMask;
    }
    return 0;
}

uint64_t* PageTable::leaf_entry(uint64_t address) const {
    uint64_t table = root_;
    for (int level = kLevels - 1; level > 0; --level) {
        uint64_t entry = table_at(table)[index_at(address, level)];
        if (!(entry & Format::kPresent)) return nullptr;
        table = entry & Format::kAddressMask;
    }
    return &table_at(table)[index_at(address, 0)];
}

void PageTable::map(uint64_t address, uint64_t physical, uint8_t permissions, MemoryKind kind,
                    PageTablePages& pages) {
    uint64_t table = root_;
    for (int level = kLevels - 1; level > 0; --level) {
        uint64_t& entry = table_at(table)[index_at(address, level)];
        if (!(entry & Format::kPresent)) entry = Format::make_table(pages.allocate(pages.owner));
        table = entry & Format::kAddressMask;
    }
    table_at(table)[index_at(address, 0)] = (physical & Format::kAddressMask) | leaf_bits(permissions, kind);
    invalidate(address); // a not-present entry may still sit in paging-structure caches
}

void PageTable::unmap(uint64_t address) {
    if (uint64_t* entry = leaf_entry(address)) {
        *entry = 0;
        invalidate(address);
    }
}

void PageTable::protect(uint64_t address, uint8_t permissions) {
    uint64_t* entry = leaf_entry(address);
    if (!entry || !(*entry & Format::kPresent)) return;
    const MemoryKind kind = (*entry & Format::kCacheDisable) ? MemoryKind::Device : MemoryKind::Normal;
    *entry = (*entry & Format::kAddressMask) | leaf_bits(permissions, kind);
    invalidate(address);
}

bool PageTable::query(uint64_t address, Mapping* out) const {
    uint64_t* entry = leaf_entry(address);
    if (!entry || !(*entry & Format::kPresent)) return false;
    uint8_t permissions = rights::kRead;
    if (*entry & Format::kWritable) permissions |= rights::kWrite;
    if (!(*entry & Format::kNoExecute)) permissions |= rights::kExecute;
    *out = Mapping{*entry & Format::kAddressMask, permissions,
                   (*entry & Format::kCacheDisable) ? MemoryKind::Device : MemoryKind::Normal};
    return true;
}

void PageTable::destroy(PageTablePages& pages) {
    if (!root_) return;
    x86_64::PerCpu& cpu = x86_64::this_cpu();
    if (cpu.active_root == root_) { // never free the tables in CR3
        x86_64::write_cr3(kernel_root);
        cpu.active_root = kernel_root;
    }
    uint64_t* root = table_at(root_);
    for (size_t i = 0; i < kUserEntries; ++i)
        if (root[i] & Format::kPresent) free_tree(root[i] & Format::kAddressMask, kLevels - 2, pages);
    pages.release(pages.owner, root_);
    root_ = 0;
}

} // namespace vesta::arch

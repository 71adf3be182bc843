// arch/x86_64/kernel/mmu.cpp — user page tables (include/arch/backend/mmu.hpp).
#include <arch/mmu.hpp>
#include <arch/physical_memory.hpp>
#include <vesta/syscall.hpp>

#include <lib/page_table_walk.hpp>

#include "../paging_format.hpp"
#include "per_cpu.hpp"

namespace vesta::arch {
namespace {

using Format = x86_64::PagingFormat;
constexpr int kLevels = 4;
constexpr size_t kUserEntries = 256; // PML4 entries of the lower half
uint64_t kernel_root = 0;

uint64_t* table_at(uint64_t physical) { return static_cast<uint64_t*>(physical_to_virtual(physical)); }

// A user page's entry: the format's own encoding of the rights.
uint64_t leaf(uint64_t physical, uint8_t permissions, MemoryKind kind) {
    const paging::MappingAttributes attributes{
        (permissions & rights::kWrite) != 0, (permissions & rights::kExecute) != 0, true, false,
        kind == MemoryKind::Device ? paging::CacheMode::Device : paging::CacheMode::WriteBack};
    return Format::make_leaf(physical, 0, attributes);
}
MemoryKind kind_of(uint64_t entry) {
    return Format::leaf_attributes(entry, 0).cache == paging::CacheMode::Device ? MemoryKind::Device
                                                                                : MemoryKind::Normal;
}

void invalidate(uint64_t address) { asm volatile("invlpg (%0)" ::"r"(address) : "memory"); }

} // namespace

void set_kernel_page_table(uint64_t physical) { kernel_root = physical; }

void PageTable::initialize(PageTablePages& pages) {
    root_ = pages.allocate(pages.owner); // zeroed
    const uint64_t* kernel = table_at(kernel_root);
    uint64_t* root = table_at(root_);
    for (size_t i = kUserEntries; i < 512; ++i) root[i] = kernel[i];
}

size_t PageTable::tables_needed(uint64_t address) const {
    return paging::missing_tables<Format>(root_, address, table_at);
}

uint64_t* PageTable::leaf_entry(uint64_t address) const {
    return paging::leaf_entry<Format>(root_, address, table_at);
}

void PageTable::map(uint64_t address, uint64_t physical, uint8_t permissions, MemoryKind kind,
                    PageTablePages& pages) {
    uint64_t& entry = paging::leaf_entry_creating<Format>(root_, address, table_at,
                                                          [&] { return pages.allocate(pages.owner); });
    entry = leaf(physical, permissions, kind);
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
    *entry = leaf(Format::leaf_address(*entry, 0), permissions, kind_of(*entry));
    invalidate(address);
}

bool PageTable::query(uint64_t address, Mapping* out) const {
    uint64_t* entry = leaf_entry(address);
    if (!entry || !(*entry & Format::kPresent)) return false;
    const paging::MappingAttributes attributes = Format::leaf_attributes(*entry, 0);
    uint8_t permissions = rights::kRead;
    if (attributes.writable) permissions |= rights::kWrite;
    if (attributes.executable) permissions |= rights::kExecute;
    *out = Mapping{Format::leaf_address(*entry, 0), permissions, kind_of(*entry)};
    return true;
}

void PageTable::deactivate() {
    x86_64::PerCpu& cpu = x86_64::this_cpu();
    if (root_ && cpu.active_root == root_) { // never free the tables in CR3
        x86_64::write_cr3(kernel_root);
        cpu.active_root = kernel_root;
    }
}

bool PageTable::destroy_some(PageTablePages& pages, uint32_t& budget) {
    if (!root_) return true;
    if (!paging::free_tables_some<Format>(root_, kLevels - 1, 0, kUserEntries, teardown_cursor_, budget, table_at,
                                          [&](uint64_t table) { pages.release(pages.owner, table); }))
        return false;
    pages.release(pages.owner, root_);
    root_ = 0;
    return true;
}

} // namespace vesta::arch

// arch/aarch64/kernel/mmu.cpp — user page tables (include/arch/backend/mmu.hpp).
#include <arch/mmu.hpp>
#include <arch/physical_memory.hpp>
#include <vesta/syscall.hpp>

#include <lib/page_table_walk.hpp>

#include "../paging_format.hpp"
#include "per_cpu.hpp"

namespace vesta::arch {
namespace {

using Format = aarch64::PagingFormat;
constexpr int kLevels = 4;

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

// Break-before-make: callers clear an entry, invalidate, then write a new one.
void invalidate(uint64_t address) {
    asm volatile("dsb ishst\n\ttlbi vae1is, %0\n\tdsb ish\n\tisb" ::"r"(address >> 12) : "memory");
}
void publish() { asm volatile("dsb ishst\n\tisb" ::: "memory"); }


} // namespace

void PageTable::initialize(PageTablePages& pages) { root_ = pages.allocate(pages.owner); }

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
    const MemoryKind kind = kind_of(*entry);
    const uint64_t physical = Format::leaf_address(*entry, 0);
    *entry = 0;
    invalidate(address);
    *entry = leaf(physical, permissions, kind);
    publish();
}

bool PageTable::query(uint64_t address, Mapping* out) const {
    uint64_t* entry = leaf_entry(address);
    if (!entry || !(*entry & Format::kValid)) return false;
    const paging::MappingAttributes attributes = Format::leaf_attributes(*entry, 0);
    uint8_t permissions = rights::kRead;
    if (attributes.writable) permissions |= rights::kWrite;
    if (attributes.executable) permissions |= rights::kExecute;
    *out = Mapping{Format::leaf_address(*entry, 0), permissions, kind_of(*entry)};
    return true;
}

void PageTable::deactivate() {
    aarch64::PerCpu& cpu = aarch64::this_cpu();
    if (root_ && cpu.active_root == root_) { // never free the tables in TTBR0
        aarch64::write_ttbr0(cpu.empty_root);
        cpu.active_root = cpu.empty_root;
    }
    // No ASIDs yet: drop every cached user translation and walk before the
    // tables' pages are reused.
    asm volatile("dsb ishst\n\ttlbi vmalle1is\n\tdsb ish\n\tisb" ::: "memory");
}

bool PageTable::destroy_some(PageTablePages& pages, uint32_t& budget) {
    if (!root_) return true;
    if (!paging::free_tables_some<Format>(root_, kLevels - 1, 0, 512, teardown_cursor_, budget, table_at,
                                          [&](uint64_t table) { pages.release(pages.owner, table); }))
        return false;
    pages.release(pages.owner, root_);
    root_ = 0;
    return true;
}

} // namespace vesta::arch

// x86_64 backend: user page tables (4-level, 4 KiB pages; Intel SDM vol. 3,
// 4.5), as an instance of the one UserPageTable (arch/user_page_table.hpp).
//
// A vspace's root (PML4) has its lower half (entries 0..255) for the user and
// shares the kernel's upper half: entries 256..511 are copied from the kernel
// tables at creation, so every PML4 maps the kernel identically. Only tables
// below user entries belong to the vspace and are freed by destroy_some().
// TLB: each vspace runs under its own PCID when the CPU has PCIDs
// (AddressSpaceTags), so a CR3 switch keeps the other spaces' translations;
// PCID 0 is the kernel's own PML4's. Without PCIDs (or with `no-tlb-tags`) a
// CR3 switch flushes the user half. A changed entry is invalidated by
// invlpg when its space is the one in CR3, else by INVPCID when the CPU has
// it, else by giving up the space's PCID (a number is flushed before it is
// used again).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <arch/user_page_table.hpp>
#include <arch/x86_64/paging_format.hpp>

namespace vesta::arch {

struct X86UserPaging {
    using Format = x86_64::PagingFormat;
    // The top page of the lower half stays unmapped: a syscall there would
    // make sysret return to a non-canonical address.
    static constexpr uint64_t kUserAddressEnd = (uint64_t{1} << 47) - 4096;
    static constexpr size_t kUserRootEntries = 256; // PML4 entries of the lower half
    static constexpr bool kBreakBeforeMake = false;

    static void share_kernel_half(uint64_t* root); // mmu.cpp: copies the kernel PML4's upper half
    // A not-present entry may still sit in paging-structure caches: invlpg
    // after every change (a space not in CR3 has none of its entries cached
    // under the current PCID).
    static void entry_added(uint64_t address) { asm volatile("invlpg (%0)" ::"r"(address) : "memory"); }
    static void entry_removed(uint64_t address, uint64_t root, SpaceTag& tag); // mmu.cpp
    static void deactivate(uint64_t root, SpaceTag& tag); // mmu.cpp: leaves CR3 for the kernel's own PML4
};

inline constexpr uint64_t kUserAddressEnd = X86UserPaging::kUserAddressEnd;
using PageTable = UserPageTable<X86UserPaging>;

// The kernel's own PML4 (physical), whose upper half every vspace shares. Set
// once at boot before the first vspace is created.
void set_kernel_page_table(uint64_t physical);

} // namespace vesta::arch

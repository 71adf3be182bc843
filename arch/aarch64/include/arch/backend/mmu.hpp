// aarch64 backend: user page tables in TTBR0_EL1 (4 KiB granule, 48-bit, four
// levels; Arm ARM D8), as an instance of the one UserPageTable
// (arch/user_page_table.hpp). The kernel lives in TTBR1, so a vspace's tables
// hold only user mappings. User pages are non-global (nG) and
// privileged-never-execute (PXN). Each vspace runs under its own ASID
// (AddressSpaceTags: 16-bit when ID_AA64MMFR0_EL1 says so, else 8-bit), so a
// switch of TTBR0 keeps the other spaces' translations; ASID 0 is the empty
// TTBR0's. With `no-tlb-tags` every vspace uses ASID 0 and a switch
// invalidates its entries (TLBI ASIDE1), leaving the kernel's global ones.
// An entry that stays valid is changed break-before-make.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <arch/aarch64/paging_format.hpp>
#include <arch/user_page_table.hpp>

namespace vesta::arch {

struct Arm64UserPaging {
    using Format = aarch64::PagingFormat;
    static constexpr uint64_t kUserAddressEnd = (uint64_t{1} << 47) - 4096;
    static constexpr size_t kUserRootEntries = 512; // TTBR0 is the user's alone
    static constexpr bool kBreakBeforeMake = true;

    static void share_kernel_half(uint64_t*) {} // the kernel is in TTBR1
    // Make a new entry visible to the table walker before user code runs.
    static void entry_added(uint64_t) { asm volatile("dsb ishst\n\tisb" ::: "memory"); }
    // By the space's ASID, whatever its generation: a CPU may still run it
    // under that number (address_space_tags.hpp).
    static void entry_removed(uint64_t address, uint64_t, SpaceTag& tag) {
        const uint64_t operand = uint64_t{AddressSpaceTags::number(tag)} << 48 | (address >> 12 & 0xfffffffffff);
        asm volatile("dsb ishst\n\ttlbi vae1is, %0\n\tdsb ish\n\tisb" ::"r"(operand) : "memory");
    }
    // mmu.cpp: TTBR0 to the empty table, drop the space's translations, release its ASID.
    static void deactivate(uint64_t root, SpaceTag& tag);
};

inline constexpr uint64_t kUserAddressEnd = Arm64UserPaging::kUserAddressEnd;
using PageTable = UserPageTable<Arm64UserPaging>;

} // namespace vesta::arch

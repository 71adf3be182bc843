// aarch64 backend: user page tables in TTBR0_EL1 (4 KiB granule, 48-bit, four
// levels; Arm ARM D8). The kernel lives in TTBR1, so a vspace's tables hold
// only user mappings. User pages are non-global (nG) and privileged-never-
// execute (PXN); every vspace uses ASID 0 and a switch of TTBR0 invalidates
// ASID 0's entries (TLBI ASIDE1), leaving the kernel's global ones.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace vesta::arch {

inline constexpr uint64_t kUserAddressEnd = (uint64_t{1} << 47) - 4096;

class PageTable {
public:
    static constexpr size_t kRootPages = 1;

    void initialize(PageTablePages& pages);
    size_t tables_needed(uint64_t address) const;
    void map(uint64_t address, uint64_t physical, uint8_t permissions, MemoryKind kind,
             PageTablePages& pages);
    void unmap(uint64_t address);
    void protect(uint64_t address, uint8_t permissions);
    bool query(uint64_t address, Mapping* out) const;
    // Teardown (the vspace is dying and no task runs in it): stop using the
    // tables on this CPU, then free them in bounded steps (true when done).
    void deactivate();
    bool destroy_some(PageTablePages& pages, uint32_t& budget);

    uint64_t root() const { return root_; }

private:
    uint64_t* leaf_entry(uint64_t address) const;
    uint64_t root_ = 0;
    uint64_t teardown_cursor_ = 0;
};

} // namespace vesta::arch

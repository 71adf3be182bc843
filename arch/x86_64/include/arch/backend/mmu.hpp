// x86_64 backend: user page tables (4-level, 4 KiB pages; Intel SDM vol. 3, 4.5).
//
// A vspace's root (PML4) has its lower half (entries 0..255) for the user and
// shares the kernel's upper half: entries 256..511 are copied from the kernel
// tables at creation, so every PML4 maps the kernel identically. Only tables
// below user entries belong to the vspace and are freed by destroy(). TLB:
// invlpg after every change of a present entry (no PCIDs: a CR3 switch flushes
// the user half).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace vesta::arch {

// The top page of the lower half stays unmapped: a syscall there would make
// sysret return to a non-canonical address.
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
    uint64_t* leaf_entry(uint64_t address) const; // null when a table is missing
    uint64_t root_ = 0;
    uint64_t teardown_cursor_ = 0;
};

// The kernel's own PML4 (physical), whose upper half every vspace shares. Set
// once at boot before the first vspace is created.
void set_kernel_page_table(uint64_t physical);

} // namespace vesta::arch

// Host backend: software page tables with the shape of x86_64's (four levels
// of 512 entries, 48-bit user addresses), built in "physical" host memory.
// Entry format (host only): bits 12..51 physical address, bit 0 present,
// bits 1..3 read/write/execute, bit 4 device memory.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace vesta::arch {

inline constexpr uint64_t kUserAddressEnd = uint64_t{1} << 47;

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

} // namespace vesta::arch

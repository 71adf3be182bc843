// arch/aarch64/loader/arch_loader.hpp — the aarch64 part of the loader
// (constants and page-table type; see bootloader/arch_interface.hpp).
#pragma once

#include <lib/elf.hpp>
#include <lib/page_table_builder.hpp>

#include <arch/aarch64/paging_format.hpp>

namespace vesta::loader::arch {

inline constexpr uint16_t kElfMachine = elf::kMachineAArch64;
inline constexpr const char* kName = "aarch64";

// Two trees: TTBR1_EL1 translates the upper half (kernel image, direct map),
// TTBR0_EL1 the lower half (only the identity-mapped handoff code).
class KernelTables {
public:
    explicit KernelTables(paging::TablePageSource source) : upper_(source), lower_(source) {}
    Result<void> initialise() {
        TRY(upper_.initialise());
        return lower_.initialise();
    }
    Result<void> map(uint64_t virt, uint64_t physical, uint64_t size, paging::MappingAttributes attributes) {
        // Bits 63:48 select the tree; a range may not straddle the halves.
        const bool upper = virt >> 63;
        if (size && ((virt + size - 1) >> 63) != upper) return Error::OutOfRange;
        return (upper ? upper_ : lower_).map(virt, physical, size, attributes);
    }
    uint64_t kernel_root() const { return upper_.root(); }
    uint64_t identity_root() const { return lower_.root(); }

private:
    paging::PageTableBuilder<aarch64::PagingFormat> upper_;
    paging::PageTableBuilder<aarch64::PagingFormat> lower_;
};

} // namespace vesta::loader::arch

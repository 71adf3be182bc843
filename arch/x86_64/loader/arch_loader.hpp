// arch/x86_64/loader/arch_loader.hpp — the x86_64 part of the loader
// (constants and page-table type; see bootloader/arch_interface.hpp).
#pragma once

#include <lib/elf.hpp>
#include <lib/page_table_builder.hpp>

#include <arch/x86_64/paging_format.hpp>

namespace vesta::loader::arch {

inline constexpr uint16_t kElfMachine = elf::kMachineX86_64;
inline constexpr const char* kName = "x86_64";

// One 4-level tree (CR3) serves both halves.
class KernelTables {
public:
    explicit KernelTables(paging::TablePageSource source) : builder_(source) {}
    Result<void> initialise() { return builder_.initialise(); }
    Result<void> map(uint64_t virt, uint64_t physical, uint64_t size, paging::MappingAttributes attributes) {
        return builder_.map(virt, physical, size, attributes);
    }
    uint64_t kernel_root() const { return builder_.root(); }

private:
    paging::PageTableBuilder<x86_64::PagingFormat> builder_;
};

} // namespace vesta::loader::arch

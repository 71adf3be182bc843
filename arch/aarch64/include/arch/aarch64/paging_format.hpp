// arch/aarch64/include/arch/aarch64/paging_format.hpp — AArch64 stage-1 translation table
// descriptors, 4 KiB granule, 48-bit virtual addresses (four levels), for the
// PageTableBuilder (Arm ARM D8.3).
//
// Memory attributes index MAIR_EL1 as the loader programs it (kMair):
//   0 Normal write-back (inner shareable), 1 Device-nGnRE, 2 Normal non-cacheable.
// Kernel mappings are never executable at EL0 (UXN); user mappings never at EL1 (PXN).
#pragma once

#include <lib/page_table_builder.hpp>

namespace vesta::aarch64 {

struct PagingFormat {
    static constexpr uint64_t kValid = 1ull << 0;
    static constexpr uint64_t kTableOrPage = 1ull << 1; // table at levels 3..1, page at level 0
    static constexpr uint64_t kAttrIndexShift = 2;
    static constexpr uint64_t kUserAccess = 1ull << 6; // AP[1]
    static constexpr uint64_t kReadOnly = 1ull << 7;   // AP[2]
    static constexpr uint64_t kInnerShareable = 3ull << 8;
    static constexpr uint64_t kAccessed = 1ull << 10;
    static constexpr uint64_t kNotGlobal = 1ull << 11;
    static constexpr uint64_t kPrivilegedNoExecute = 1ull << 53;
    static constexpr uint64_t kUserNoExecute = 1ull << 54;
    static constexpr uint64_t kAddressMask = 0x0000fffffffff000ull;
    static constexpr unsigned kBlockLevels = 1; // 2 MiB blocks

    static constexpr uint64_t kAttrNormal = 0, kAttrDevice = 1, kAttrNonCacheable = 2;
    static constexpr uint64_t kMair = 0xffull | (0x04ull << 8) | (0x44ull << 16);

    static size_t index(uint64_t virt, unsigned level) { return static_cast<size_t>((virt >> (12 + 9 * level)) & 511); }
    static bool is_present(uint64_t entry) { return entry & kValid; }
    static bool is_table(uint64_t entry, unsigned level) { return level > 0 && (entry & kTableOrPage); }
    static uint64_t table_address(uint64_t entry) { return entry & kAddressMask; }
    static uint64_t make_table(uint64_t physical) { return (physical & kAddressMask) | kValid | kTableOrPage; }
    static uint64_t make_leaf(uint64_t physical, unsigned level, paging::MappingAttributes a) {
        uint64_t entry = (physical & kAddressMask) | kValid | kAccessed;
        if (level == 0) entry |= kTableOrPage;
        switch (a.cache) {
        case paging::CacheMode::WriteBack: entry |= kAttrNormal << kAttrIndexShift | kInnerShareable; break;
        case paging::CacheMode::Device: entry |= kAttrDevice << kAttrIndexShift; break;
        case paging::CacheMode::WriteCombining: entry |= kAttrNonCacheable << kAttrIndexShift | kInnerShareable; break;
        }
        if (!a.writable) entry |= kReadOnly;
        if (a.user) {
            entry |= kUserAccess | kPrivilegedNoExecute;
            if (!a.executable) entry |= kUserNoExecute;
        } else {
            entry |= kUserNoExecute;
            if (!a.executable) entry |= kPrivilegedNoExecute;
        }
        if (!a.global) entry |= kNotGlobal;
        return entry;
    }
    static uint64_t leaf_address(uint64_t entry, unsigned level) {
        return entry & kAddressMask & ~(paging::level_size(level) - 1);
    }
    static paging::MappingAttributes leaf_attributes(uint64_t entry, unsigned) {
        paging::MappingAttributes a;
        a.writable = !(entry & kReadOnly);
        a.user = entry & kUserAccess;
        a.global = !(entry & kNotGlobal);
        a.executable = a.user ? !(entry & kUserNoExecute) : !(entry & kPrivilegedNoExecute);
        const uint64_t index = (entry >> kAttrIndexShift) & 7;
        a.cache = index == kAttrDevice         ? paging::CacheMode::Device
                  : index == kAttrNonCacheable ? paging::CacheMode::WriteCombining
                                               : paging::CacheMode::WriteBack;
        return a;
    }
};
static_assert(paging::PagingFormat<PagingFormat>);

} // namespace vesta::aarch64

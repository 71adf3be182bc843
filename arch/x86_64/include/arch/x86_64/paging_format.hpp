// arch/x86_64/include/arch/x86_64/paging_format.hpp — x86_64 4-level paging entries
// (Intel SDM vol. 3, 4.5) for the loader's PageTableBuilder.
//
// Requires EFER.NXE (bit 63 is "execute disable") and CR0.WP (supervisor
// writes honour read-only pages); the loader sets both before switching.
// Cache modes use PAT entries as reset: WB (0), UC (PCD|PWT); write-combining
// is mapped uncached until the kernel programs the PAT.
#pragma once

#include <lib/page_table_builder.hpp>

namespace vesta::x86_64 {

struct PagingFormat {
    static constexpr uint64_t kPresent = 1ull << 0;
    static constexpr uint64_t kWritable = 1ull << 1;
    static constexpr uint64_t kUser = 1ull << 2;
    static constexpr uint64_t kWriteThrough = 1ull << 3;
    static constexpr uint64_t kCacheDisable = 1ull << 4;
    static constexpr uint64_t kLarge = 1ull << 7;
    static constexpr uint64_t kGlobal = 1ull << 8;
    static constexpr uint64_t kNoExecute = 1ull << 63;
    static constexpr uint64_t kAddressMask = 0x000ffffffffff000ull;
    static constexpr unsigned kBlockLevels = 1; // 2 MiB pages; 1 GiB pages are not assumed

    static size_t index(uint64_t virt, unsigned level) { return static_cast<size_t>((virt >> (12 + 9 * level)) & 511); }
    static bool is_present(uint64_t entry) { return entry & kPresent; }
    static bool is_table(uint64_t entry, unsigned level) { return level > 0 && !(entry & kLarge); }
    static uint64_t table_address(uint64_t entry) { return entry & kAddressMask; }
    static uint64_t make_table(uint64_t physical) {
        // Rights are decided at the leaves; tables allow everything.
        return (physical & kAddressMask) | kPresent | kWritable | kUser;
    }
    static uint64_t make_leaf(uint64_t physical, unsigned level, paging::MappingAttributes a) {
        uint64_t entry = (physical & kAddressMask) | kPresent;
        if (level > 0) entry |= kLarge;
        if (a.writable) entry |= kWritable;
        if (a.user) entry |= kUser;
        if (a.global) entry |= kGlobal;
        if (!a.executable) entry |= kNoExecute;
        if (a.cache != paging::CacheMode::WriteBack) entry |= kCacheDisable | kWriteThrough;
        return entry;
    }
    static uint64_t leaf_address(uint64_t entry, unsigned level) {
        return entry & kAddressMask & ~(paging::level_size(level) - 1);
    }
    static paging::MappingAttributes leaf_attributes(uint64_t entry, unsigned) {
        paging::MappingAttributes a;
        a.writable = entry & kWritable;
        a.user = entry & kUser;
        a.global = entry & kGlobal;
        a.executable = !(entry & kNoExecute);
        a.cache = (entry & kCacheDisable) ? paging::CacheMode::Device : paging::CacheMode::WriteBack;
        return a;
    }
};
static_assert(paging::PagingFormat<PagingFormat>);

} // namespace vesta::x86_64

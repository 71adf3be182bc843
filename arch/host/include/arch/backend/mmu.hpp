// Host backend: software page tables with the shape of x86_64's (four levels
// of 512 entries, 48-bit user addresses), built in "physical" host memory,
// as an instance of the one UserPageTable (arch/user_page_table.hpp) — so the
// host tests and fuzzers run the same page-table code as the kernels.
//
// Entry format (host only, HostPagingFormat): bits 12..51 physical address,
// bit 0 present, bit 1 readable, bit 2 writable, bit 3 executable, bit 4
// device memory. No TLB: the hooks only count what a real backend would do.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <arch/user_page_table.hpp>
#include <lib/page_table_builder.hpp>

namespace vesta::arch {

struct HostPagingFormat {
    static constexpr uint64_t kPresent = 1, kReadable = 2, kWritable = 4, kExecutable = 8, kDevice = 16;
    static constexpr uint64_t kAddressMask = 0x000f'ffff'ffff'f000;
    static constexpr unsigned kBlockLevels = 0; // pages only

    static size_t index(uint64_t address, unsigned level) {
        return static_cast<size_t>((address >> (12 + 9 * level)) & 511);
    }
    static bool is_present(uint64_t entry) { return entry & kPresent; }
    static bool is_table(uint64_t, unsigned level) { return level > 0; }
    static uint64_t table_address(uint64_t entry) { return entry & kAddressMask; }
    static uint64_t make_table(uint64_t physical) { return (physical & kAddressMask) | kPresent; }
    static uint64_t make_leaf(uint64_t physical, unsigned, paging::MappingAttributes a) {
        return (physical & kAddressMask) | kPresent | kReadable | (a.writable ? kWritable : 0) |
               (a.executable ? kExecutable : 0) | (a.cache == paging::CacheMode::Device ? kDevice : 0);
    }
    static uint64_t leaf_address(uint64_t entry, unsigned) { return entry & kAddressMask; }
    static paging::MappingAttributes leaf_attributes(uint64_t entry, unsigned) {
        paging::MappingAttributes a;
        a.writable = entry & kWritable;
        a.executable = entry & kExecutable;
        a.user = true;
        a.cache = (entry & kDevice) ? paging::CacheMode::Device : paging::CacheMode::WriteBack;
        return a;
    }
};
static_assert(paging::PagingFormat<HostPagingFormat>);

struct HostUserPaging {
    using Format = HostPagingFormat;
    static constexpr uint64_t kUserAddressEnd = uint64_t{1} << 47;
    static constexpr size_t kUserRootEntries = 512;
    static constexpr bool kBreakBeforeMake = false;

    static void share_kernel_half(uint64_t*) {}
    static void entry_added(uint64_t) {}
    static void entry_removed(uint64_t, uint64_t, SpaceTag&) {}
    static void deactivate(uint64_t root, SpaceTag&); // mmu.cpp: counted in host_machine
};

inline constexpr uint64_t kUserAddressEnd = HostUserPaging::kUserAddressEnd;
using PageTable = UserPageTable<HostUserPaging>;

} // namespace vesta::arch

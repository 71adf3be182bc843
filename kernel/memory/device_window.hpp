// kernel/memory/device_window.hpp — the kernel's own mappings of device
// memory (MMIO), in the window at boot::kDeviceMapBase of the kernel tables.
//
// Portable: the backend instantiates it with its page-table format. Virtual
// space is handed out upwards and never reused (devices the kernel itself
// drives are few: consoles, interrupt controllers, timers). Page-table pages
// are paid from the page allocator and cleared through the direct map.
//
// Contract of map(): the returned address maps `physical` with device cache
// attributes, read/write, never executable, kernel-only; the caller issues
// the barrier its architecture needs before first use (backends do).
#pragma once

#include <lib/page_table_builder.hpp>
#include <lib/utility.hpp>
#include <vesta/boot_info.hpp>

#include "page_allocator.hpp"

namespace vesta {

template <paging::PagingFormat Format>
class DeviceWindow {
public:
    static constexpr uint64_t kWindowSize = uint64_t{1} << 39; // 512 GiB

    DeviceWindow(uint64_t root, uint64_t direct_map_base) : direct_map_base_(direct_map_base) { root_ = root; }

    // Fails: InvalidArgument (size 0), OutOfRange (window exhausted, or the
    // physical range wraps), OutOfMemory (no page for a table).
    Result<uint64_t> map(uint64_t physical, uint64_t size, PageAllocator& pages) {
        if (size == 0) return Error::InvalidArgument;
        const uint64_t first = align_down(physical, kPageSize);
        uint64_t end = 0;
        if (!checked_add(physical, size, &end) || !checked_align_up(end, kPageSize, &end)) return Error::OutOfRange;
        const uint64_t span = end - first;
        if (span > kWindowSize - used_) return Error::OutOfRange;
        struct Source {
            PageAllocator* pages;
            uint64_t direct_map_base;
        } source{&pages, direct_map_base_};
        paging::PageTableBuilder<Format> builder(paging::TablePageSource{
            &source,
            [](void* context) -> uint64_t {
                auto* s = static_cast<Source*>(context);
                auto page = s->pages->allocate();
                if (!page.ok()) return 0;
                __builtin_memset(reinterpret_cast<void*>(s->direct_map_base + page.value()), 0, kPageSize);
                return page.value();
            },
            [](void* context, uint64_t table) -> uint64_t* {
                return reinterpret_cast<uint64_t*>(static_cast<Source*>(context)->direct_map_base + table);
            }});
        builder.attach(root_);
        const uint64_t virt = boot::kDeviceMapBase + used_;
        auto mapped = builder.map(virt, first, span, {true, false, false, true, paging::CacheMode::Device});
        used_ += span; // even after a failure: a partly mapped span is never handed out again
        if (!mapped.ok()) return mapped.error();
        return virt + (physical - first);
    }

private:
    uint64_t root_;
    uint64_t direct_map_base_;
    uint64_t used_ = 0;
};

} // namespace vesta

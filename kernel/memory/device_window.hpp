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
        auto mapped = map_span(first, end - first, 0, kPageSize, kDeviceAttributes, pages);
        if (!mapped.ok()) return mapped.error();
        return mapped.value() + (physical - first);
    }

    // Boot-time RAM the kernel uses through this window rather than the
    // direct map, because it needs an unmapped guard page below it: the
    // secondary CPUs' stacks (docs/smp.md). Maps the page-aligned
    // [physical, physical + size) write-back, read/write, never executable,
    // at an address aligned to `alignment` (a power of two, at least a page)
    // with at least one unmapped page below it that the window never hands
    // out. Fails like map(), and Misaligned.
    Result<uint64_t> map_guarded(uint64_t physical, uint64_t size, uint64_t alignment, PageAllocator& pages) {
        if (size == 0) return Error::InvalidArgument;
        if (!is_aligned(physical, kPageSize) || !is_aligned(size, kPageSize) || alignment < kPageSize ||
            (alignment & (alignment - 1)))
            return Error::Misaligned;
        return map_span(physical, size, kPageSize, alignment, kGuardedAttributes, pages);
    }

private:
    static constexpr paging::MappingAttributes kDeviceAttributes{true, false, false, true, paging::CacheMode::Device};
    static constexpr paging::MappingAttributes kGuardedAttributes{true, false, false, true,
                                                                  paging::CacheMode::WriteBack};

    // Maps the page-aligned span at the next window address that leaves
    // `gap` unmapped bytes after what was handed out before and is aligned
    // to `alignment`; the gap and the span are never handed out again, even
    // after a failure (a partly mapped span stays unused).
    Result<uint64_t> map_span(uint64_t first, uint64_t span, uint64_t gap, uint64_t alignment,
                              paging::MappingAttributes attributes, PageAllocator& pages) {
        uint64_t offset = 0;
        if (!checked_add(used_, gap, &offset) || !checked_align_up(offset, alignment, &offset))
            return Error::OutOfRange;
        if (offset > kWindowSize || span > kWindowSize - offset) return Error::OutOfRange;
        uint64_t last = 0;
        if (!checked_add(first, span - 1, &last)) return Error::OutOfRange;
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
        const uint64_t virt = boot::kDeviceMapBase + offset;
        auto mapped = builder.map(virt, first, span, attributes);
        used_ = offset + span;
        if (!mapped.ok()) return mapped.error();
        return virt;
    }

    uint64_t root_;
    uint64_t direct_map_base_;
    uint64_t used_ = 0;
};

} // namespace vesta

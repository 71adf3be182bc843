// kernel/memory/kernel_image_pages.hpp — where the kernel image lies in
// physical memory. The loader copies each segment into pages of its own
// choosing, so only the kernel's page tables know; backends instantiate this
// with their paging format to implement arch::kernel_image_overlaps.
#pragma once

#include <lib/page_table_builder.hpp>
#include <lib/utility.hpp>

namespace vesta {

// Whether [physical, physical + size) holds a physical page that the tables
// at `root` (read through the direct map at `direct_map_base`) map anywhere
// in [image_start, image_end). Unmapped pages of the range (the stacks'
// guard pages) are skipped.
template <paging::PagingFormat Format>
bool kernel_image_overlaps(uint64_t root, uint64_t direct_map_base, uint64_t image_start, uint64_t image_end,
                           uint64_t physical, uint64_t size) {
    paging::PageTableBuilder<Format> tables(
        paging::TablePageSource{&direct_map_base, [](void*) -> uint64_t { return 0; },
                                [](void* context, uint64_t table) -> uint64_t* {
                                    return reinterpret_cast<uint64_t*>(*static_cast<uint64_t*>(context) + table);
                                }});
    tables.attach(root);
    for (uint64_t page = align_down(image_start, paging::kPageSize); page < image_end; page += paging::kPageSize) {
        auto mapped = tables.translate(page);
        if (!mapped.ok()) continue;
        const uint64_t frame = align_down(mapped.value().physical, paging::kPageSize);
        if (frame < physical + size && physical < frame + paging::kPageSize) return true;
    }
    return false;
}

} // namespace vesta

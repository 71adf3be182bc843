// userland/sysinit/page_window.hpp — clients' pages mapped into sysinit at
// fixed addresses, and the protocols' page buffers copied through them.
//
// Calls bring data in Page capabilities (a path, a file's bytes, an image).
// sysinit maps each at one of kSlots fixed 2 MiB windows of its own address
// space, whose page tables prepare() makes once at start-up: afterwards a
// mapping takes nothing from sysinit's pool, so the pool's free pages are
// the same before and after any number of calls (docs/userland.md, "How
// processes are paid for").
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <user/runtime.hpp>
#include <vesta/ipc/message.hpp>

namespace sysinit {

struct MappedFrame {
    uint8_t* bytes;
    uint64_t size; // bytes
};

class PageWindow {
public:
    static constexpr size_t kSlots = 2;        // 0: sysinit's own object (an image copy), 1: a client's page
    static constexpr uint64_t kMaxPages = 512; // one window: 2 MiB

    // Makes the page tables of every window. Errors: Memory.Create's, VirtualSpace.Map's.
    vesta::Error prepare();

    // Maps `frame` (a Page or DeviceMemory capability of at most kMaxPages
    // pages, with the rights `permissions` needs) at window `slot`. Errors:
    // InvalidCapability (an empty slot), WrongType (not a frame), OutOfRange
    // (larger than a window), MissingRights, Busy (VirtualSpace.Map: the
    // capability maps its frame elsewhere already, or W^X across mappings).
    vesta::Result<MappedFrame> map(size_t slot, uint64_t frame, uint8_t permissions);
    void unmap(uint64_t frame);
};

// The protocols' buffers in pages (io/file.ipc: the buffer starts at byte
// `offset` of the first page and continues through the following ones).
// Copies up to `length` bytes and returns how many the pages hold from
// there. Errors: InvalidArgument (no pages), OutOfRange (`offset` beyond
// the first page), map()'s.
vesta::Result<size_t> copy_from_pages(PageWindow& window, const vesta::ipc::CapList& pages, uint64_t offset, void* to,
                                      size_t length);
vesta::Result<size_t> copy_to_pages(PageWindow& window, const vesta::ipc::CapList& pages, uint64_t offset,
                                    const void* from, size_t length);

} // namespace sysinit

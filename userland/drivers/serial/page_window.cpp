// userland/drivers/serial/page_window.cpp — PageWindow (page_window.hpp).
#include <lib/utility.hpp>
#include <user/runtime.hpp>

#include "page_window.hpp"

namespace vesta::serial {

using user::invoke;
using user::InvokeResult;

ipc::Result<size_t> PageWindow::copy(const ipc::CapList& pages, uintptr_t buf, size_t position, uint8_t* data,
                                     size_t length, bool into_pages) {
    if (pages.count == 0 || pages.count > kMaxMessageCaps) return Error::InvalidArgument;
    uint64_t skip = uint64_t{buf} + position; // bytes of the frames before the first one copied
    size_t done = 0;
    for (size_t i = 0; i < pages.count && done < length; ++i) {
        const InvokeResult info = invoke(pages.slots[i], FrameLabel::Info);
        if (info.error != Error::None) return info.error;
        const uint64_t frame_pages = info.words[1];
        const uint64_t bytes = frame_pages * kPageSize;
        if (i == 0 && buf >= bytes) return Error::InvalidArgument;
        if (skip >= bytes) {
            skip -= bytes;
            continue;
        }
        if (frame_pages > kMaxPages) return Error::InvalidArgument;
        const uint8_t permissions = into_pages ? rights::kRead | rights::kWrite : rights::kRead;
        const Error mapped =
            invoke(user::runtime.vspace, VirtualSpaceLabel::Map, pages.slots[i], kBase, permissions).error;
        if (mapped != Error::None) return mapped;
        auto* window = reinterpret_cast<uint8_t*>(kBase) + skip;
        const size_t n = static_cast<size_t>(min<uint64_t>(length - done, bytes - skip));
        if (into_pages)
            __builtin_memcpy(window, data + done, n);
        else
            __builtin_memcpy(data + done, window, n);
        invoke(user::runtime.vspace, VirtualSpaceLabel::Unmap, pages.slots[i]);
        done += n;
        skip = 0;
    }
    return done;
}

ipc::Result<size_t> PageWindow::copy_in(const ipc::CapList& pages, uintptr_t buf, size_t position, const uint8_t* data,
                                        size_t length) {
    return copy(pages, buf, position, const_cast<uint8_t*>(data), length, true);
}

ipc::Result<size_t> PageWindow::copy_out(const ipc::CapList& pages, uintptr_t buf, size_t position, uint8_t* data,
                                         size_t length) {
    return copy(pages, buf, position, data, length, false);
}

} // namespace vesta::serial

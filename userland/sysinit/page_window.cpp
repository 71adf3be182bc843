// userland/sysinit/page_window.cpp — fixed mapping windows (page_window.hpp).
#include "page_window.hpp"

namespace sysinit {

using namespace vesta;
using namespace vesta::user;

namespace {

// Below spawn()'s staging window (0x5f00'0000'0000) and above the heap.
constexpr uint64_t kWindowBase = 0x0000'5e00'0000'0000;
constexpr uint64_t kWindowBytes = PageWindow::kMaxPages * kPageSize;

uint64_t window_address(size_t slot) { return kWindowBase + slot * kWindowBytes; }

template <bool kToPages>
Result<size_t> copy_pages(PageWindow& window, const ipc::CapList& pages, uint64_t offset, uint8_t* data,
                          size_t length) {
    if (pages.count == 0 || pages.count > kMaxMessageCaps) return Error::InvalidArgument;
    const uint8_t permissions = kToPages ? rights::kRead | rights::kWrite : rights::kRead;
    size_t done = 0;
    for (size_t i = 0; i < pages.count && done < length; ++i) {
        const MappedFrame frame = TRY(window.map(1, pages.slots[i], permissions));
        if (offset >= frame.size) {
            window.unmap(pages.slots[i]);
            if (i == 0) return Error::OutOfRange;
            offset -= frame.size;
            continue;
        }
        const size_t n = min<size_t>(length - done, frame.size - offset);
        if (kToPages)
            __builtin_memcpy(frame.bytes + offset, data + done, n);
        else
            __builtin_memcpy(data + done, frame.bytes + offset, n);
        window.unmap(pages.slots[i]);
        done += n;
        offset = 0;
    }
    return done;
}

} // namespace

Error PageWindow::prepare() {
    uint64_t page = kNoSlot;
    if (const Error error = create(ObjectType::Page, 1, &page); error != Error::None) return error;
    Error result = Error::None;
    for (size_t slot = 0; slot < kSlots && result == Error::None; ++slot) {
        result = invoke(runtime.vspace, VirtualSpaceLabel::Map, page, window_address(slot), rights::kRead).error;
        if (result == Error::None) invoke(runtime.vspace, VirtualSpaceLabel::Unmap, page);
    }
    invoke(runtime.cspace, CapabilitySpaceLabel::Delete, page); // the tables stay with the vspace
    return result;
}

Result<MappedFrame> PageWindow::map(size_t slot, uint64_t frame, uint8_t permissions) {
    if (slot >= kSlots) return Error::InvalidArgument;
    const InvokeResult kind = invoke(runtime.cspace, CapabilitySpaceLabel::Info, frame);
    if (kind.error != Error::None) return kind.error;
    const auto type = static_cast<ObjectType>(kind.words[0]);
    if (type == ObjectType::None) return Error::InvalidCapability;
    if (type != ObjectType::Page && type != ObjectType::DeviceMemory) return Error::WrongType;
    const InvokeResult info = invoke(frame, FrameLabel::Info);
    if (info.error != Error::None) return info.error;
    const uint64_t pages = info.words[1];
    if (pages == 0 || pages > kMaxPages) return Error::OutOfRange;
    const uint64_t address = window_address(slot);
    const Error mapped = invoke(runtime.vspace, VirtualSpaceLabel::Map, frame, address, permissions).error;
    if (mapped != Error::None) return mapped;
    return MappedFrame{reinterpret_cast<uint8_t*>(address), pages * kPageSize};
}

void PageWindow::unmap(uint64_t frame) { invoke(runtime.vspace, VirtualSpaceLabel::Unmap, frame); }

Result<size_t> copy_from_pages(PageWindow& window, const ipc::CapList& pages, uint64_t offset, void* to,
                               size_t length) {
    return copy_pages<false>(window, pages, offset, static_cast<uint8_t*>(to), length);
}

Result<size_t> copy_to_pages(PageWindow& window, const ipc::CapList& pages, uint64_t offset, const void* from,
                             size_t length) {
    return copy_pages<true>(window, pages, offset, const_cast<uint8_t*>(static_cast<const uint8_t*>(from)), length);
}

} // namespace sysinit

// userland/tests/protocol/pages.cpp — copying through page capabilities
// (fixture.hpp).
#include "fixture.hpp"

namespace protocol_fixture {

using namespace vesta;
using namespace vesta::user;

namespace {

template <bool kToPages>
Result<size_t> copy_pages(const CapList& pages, uint64_t offset, uint8_t* data, size_t length) {
    if (pages.count == 0 || pages.count > kMaxMessageCaps) return Error::InvalidArgument;
    size_t done = 0;
    for (size_t i = 0; i < pages.count && done < length; ++i) {
        const InvokeResult info = invoke(pages.slots[i], FrameLabel::Info);
        if (info.error != Error::None) return info.error;
        const uint64_t bytes = info.words[1] * kPageSize;
        if (offset >= bytes) {
            if (i == 0) return Error::InvalidArgument;
            offset -= bytes;
            continue;
        }
        const uint8_t permissions = kToPages ? rights::kRead | rights::kWrite : rights::kRead;
        const uint64_t address = TRY(map_frame(pages.slots[i], permissions));
        auto* mapped = reinterpret_cast<uint8_t*>(address);
        const size_t n = min<size_t>(length - done, bytes - offset);
        if (kToPages)
            __builtin_memcpy(mapped + offset, data + done, n);
        else
            __builtin_memcpy(data + done, mapped + offset, n);
        unmap_frame(pages.slots[i]);
        done += n;
        offset = 0;
    }
    return done;
}

} // namespace

Result<size_t> copy_to_pages(const CapList& pages, uint64_t offset, const void* data, size_t length) {
    return copy_pages<true>(pages, offset, const_cast<uint8_t*>(static_cast<const uint8_t*>(data)), length);
}

Result<size_t> copy_from_pages(const CapList& pages, uint64_t offset, void* data, size_t length) {
    return copy_pages<false>(pages, offset, static_cast<uint8_t*>(data), length);
}

} // namespace protocol_fixture

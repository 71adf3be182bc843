// userland/drivers/serial/page_window.hpp — copying bytes to and from the
// pages a client passes with io::file read and write.
//
// Each page capability is mapped in turn at one fixed window of the
// driver's address space (kBase, kMaxPages pages) and unmapped after the
// copy, so a driver that serves calls for years uses the same page tables
// throughout (the runtime's map_frame takes fresh addresses every time).
// Contracts: the buffer starts `buf` bytes into the first capability's
// frame and runs on through the following ones; `buf` beyond the first
// frame, a frame larger than the window, or a capability that is not a
// mappable Page with the rights needed (Read to send, Read and Write to
// receive) is an error and copies nothing more.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <vesta/ipc/message.hpp>
#include <vesta/ipc/status.hpp>

namespace vesta::serial {

class PageWindow {
public:
    static constexpr uint64_t kBase = 0x0000'6f00'0000'0000; // 2 MiB-aligned, away from the runtime's windows
    static constexpr uint64_t kMaxPages = 256;

    ipc::Result<size_t> copy_in(const ipc::CapList& pages, uintptr_t buf, size_t position, const uint8_t* data,
                                size_t length);
    ipc::Result<size_t> copy_out(const ipc::CapList& pages, uintptr_t buf, size_t position, uint8_t* data,
                                 size_t length);

private:
    ipc::Result<size_t> copy(const ipc::CapList& pages, uintptr_t buf, size_t position, uint8_t* data, size_t length,
                             bool into_pages);
};

} // namespace vesta::serial

// userland/usrinit/services.cpp — services.hpp.
#include <dev/serial.ipc.hpp>
#include <fs/fs.ipc.hpp>
#include <sys/devloader.ipc.hpp>
#include <sys/devmgr.ipc.hpp>
#include <sys/procmgr.ipc.hpp>

#include "services.hpp"

namespace usrinit {

namespace proto = vesta::proto;

Services find_services() {
    return Services{
        .fs = user::service(proto::fs::fs::kId),
        .procmgr = user::service(proto::sys::procmgr::kId),
        .devmgr = user::service(proto::sys::devmgr::kId),
        .devloader = user::service(proto::sys::devloader::kId),
    };
}

Error make_shared_page(size_t pages, SharedPage* out) {
    uint64_t address = 0;
    if (const Error e = user::map_new_pages(pages, rights::kRead | rights::kWrite, &address, &out->slot);
        e != Error::None)
        return e;
    out->data = reinterpret_cast<uint8_t*>(address);
    out->size = pages * kPageSize;
    return Error::None;
}

void release(SharedPage& page) {
    if (page.slot != kNoSlot) user::invoke(user::runtime.cspace, CapabilitySpaceLabel::Delete, page.slot);
    page = SharedPage{};
}

const char* status_name(ipc::Status status) {
    if (!status.is_protocol_error()) return error_name(status.abi_error());
    struct Known {
        ipc::ProtocolError error;
        const char* name;
    };
    static constexpr Known kKnown[] = {
        {proto::fs::not_found, "fs::not_found"},
        {proto::fs::not_directory, "fs::not_directory"},
        {proto::fs::is_directory, "fs::is_directory"},
        {proto::fs::bad_path, "fs::bad_path"},
        {proto::fs::denied, "fs::denied"},
        {proto::fs::end_of_directory, "fs::end_of_directory"},
        {proto::io::busy, "io::busy"},
        {proto::io::io_error, "io::io_error"},
        {proto::sys::no_process, "sys::no_process"},
        {proto::sys::bad_state, "sys::bad_state"},
        {proto::sys::bad_image, "sys::bad_image"},
        {proto::sys::bad_manifest, "sys::bad_manifest"},
        {proto::sys::no_device, "sys::no_device"},
        {proto::sys::table_full, "sys::table_full"},
        {proto::dev::unsupported, "dev::unsupported"},
    };
    for (const Known& known : kKnown) {
        if (status.protocol_error() == known.error) return known.name;
    }
    return "an unknown protocol error";
}

void sleep_ticks(uint64_t ticks) {
    static uint64_t never_signalled = kNoSlot;
    if (never_signalled == kNoSlot && user::create(ObjectType::Notification, 0, &never_signalled) != Error::None)
        return;
    user::runtime.ipc_buffer->poll[0] = never_signalled;
    user::syscall(Syscall::Poll, 1, {}, 0, 0, 0, 0, kNoSlot, ticks);
}

ipc::SyscallTransport& transport() {
    static ipc::SyscallTransport the_transport(user::runtime.ipc_buffer);
    return the_transport;
}

} // namespace usrinit

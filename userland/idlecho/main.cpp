// userland/idlecho — the IDL benchmark's server (scripts/bench,
// idl_call_rtt): io::file through the generated dispatch and an
// ipc::ServerLoop, on the endpoint noted "serve" in its start-up block.
// seek answers its offset; read and write fail with io::io_error.
#include <io/file.ipc.hpp>
#include <user/runtime.hpp>
#include <vesta/ipc/server_loop.hpp>

using namespace vesta;
namespace io = vesta::proto::io;

namespace {

struct Echo {
    ipc::Result<size_t> read(const ipc::CapList&, uintptr_t, size_t) { return io::io_error; }
    ipc::Result<size_t> write(const ipc::CapList&, uintptr_t, size_t) { return io::io_error; }
    ipc::Result<uint64_t> seek(int64_t offset, io::whence) { return static_cast<uint64_t>(offset); }
};

} // namespace

void main(uint64_t) {
    ipc::ServerLoop loop;
    const Error error = loop.init({.endpoint = user::capability_with_note("serve"), .reply_objects = 1});
    if (error != Error::None) {
        user::print("idlecho: cannot start: {}\n", error_name(error));
        return;
    }
    Echo echo;
    loop.run(
        [&](uint64_t, const ipc::Message& request, ipc::Message& reply) { io::file::dispatch(echo, request, reply); });
}

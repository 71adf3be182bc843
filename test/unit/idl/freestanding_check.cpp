// Compiled by the `idl-freestanding` test with userland's freestanding clang
// flags (no C++ standard library, -Werror). Includes every protocol and
// instantiates a full dev::serial client and server, so template code is
// checked too. Also the object measured for the code size in docs/idl.md:
// build with -DPART_CLIENT or -DPART_SERVER to measure one side.
#include <dev/serial.ipc.hpp>
#include <fs/fs.ipc.hpp>
#include <io/file.ipc.hpp>
#include <sys/devloader.ipc.hpp>
#include <sys/devmgr.ipc.hpp>
#include <sys/devregistry.ipc.hpp>
#include <sys/errors.ipc.hpp>
#include <sys/procmgr.ipc.hpp>

namespace serial = vesta::proto::dev::serial;
namespace dev = vesta::proto::dev;
namespace io = vesta::proto::io;
using vesta::ipc::CapList;
using vesta::ipc::Result;

// Stands in for the syscall transport: an out-of-line `call`.
struct SyscallTransport {
    vesta::Error call(vesta::ipc::Slot endpoint, vesta::ipc::Message& message);
};

// A server whose members are defined elsewhere: only the dispatch code is measured.
struct SerialServer {
    Result<size_t> read(const CapList& pages, uintptr_t buf, size_t amt);
    Result<size_t> write(const CapList& pages, uintptr_t buf, size_t amt);
    Result<uint64_t> seek(int64_t offset, io::whence from);
    Result<void> set_baud(uint32_t baud);
    Result<uint32_t> get_baud();
    Result<void> set_char_length(dev::char_length length);
    Result<dev::char_length> get_char_length();
    Result<void> set_stop_bits(dev::stop_bits bits);
    Result<dev::stop_bits> get_stop_bits();
    Result<void> set_parity(dev::parity mode);
    Result<dev::parity> get_parity();
};

#if !defined(PART_SERVER)
// Every client stub of dev::serial (inherited io::file calls included).
template class io::file::Client<SyscallTransport>;
template class serial::Client<SyscallTransport>;
#endif

#if !defined(PART_CLIENT)
// The server side: one dispatch function covering all eleven calls.
template bool serial::dispatch<SerialServer>(SerialServer&, const vesta::ipc::Message&, vesta::ipc::Message&);
#endif

// Every generated protocol header together in one translation unit, under
// the project's warnings: they must coexist and compile warning-free.
#include <dev/serial.ipc.hpp>
#include <fs/fs.ipc.hpp>
#include <io/file.ipc.hpp>
#include <sys/devloader.ipc.hpp>
#include <sys/devmgr.ipc.hpp>
#include <sys/devregistry.ipc.hpp>
#include <sys/errors.ipc.hpp>
#include <sys/procmgr.ipc.hpp>

namespace proto = vesta::proto;

// Ids and error codes are FNV-1a of the qualified name (values computed
// independently of idlgen); labels are id << 16 | index (from 1).
static_assert(proto::io::file::kId == 0x7b9588b7u);
static_assert(proto::dev::serial::kId == 0x5430284cu);
static_assert(proto::sys::procmgr::kId == 0xa4cb1b80u);
static_assert(proto::fs::fs::kId == 0xce47582du);
static_assert(proto::io::busy.code == 0x476e7e54u);
static_assert(proto::dev::serial::label::set_baud == (uint64_t{proto::dev::serial::kId} << 16 | 1));
static_assert(proto::io::file::label::seek == (uint64_t{proto::io::file::kId} << 16 | 3));
static_assert(proto::sys::procmgr::label::wait == (uint64_t{proto::sys::procmgr::kId} << 16 | 6));
static_assert(proto::sys::devmgr::label::open <= vesta::kMaxLabel);

// userland/sysinit/driver_loading.hpp — sys::devloader: a driver image
// loaded into a process the process manager created, with exactly the
// capabilities its manifest names (docs/userland.md, "Driver loader";
// docs/manifest.md, "The driver loader").
//
// load(image, pid, size): the process must be New (no_process, bad_state);
// the image is copied and validated like procmgr.load (bad_image); then
// DriverLoader::prepare (devloader.hpp) plans and creates the manifest's
// capabilities, paid from the process's pool, into its start-up block. A
// refusal is bad_manifest and the loader's message ("DRIVER: LINE:COL:
// reason") is logged; OutOfMemory passes as it is. The process is then
// Loaded, named after the manifest's driver, and procmgr.start starts it.
// Services the manifest asks for are minted for its pid (sysinit's own:
// fs::fs, sys::procmgr, sys::devregistry, sys::devmgr, sys::devloader, by
// qualified name or last component); when the process ends, its claims
// are released (release()).
//
// load_path(path, pid, offset, length): the same with the image of a
// regular file of the bootstrap filesystem (the path's errors are fs::fs's:
// bad_path, not_found, not_directory, is_directory; OutOfRange when the
// path does not fit its page). The image is used where it lies in the
// initramfs (no copy), and the driver is supervised (supervision.hpp): its
// manifest's restart policy applies when it ends.
#pragma once

#include <sys/devloader.ipc.hpp>
#include <vesta/ipc/server_loop.hpp>

#include "badges.hpp"
#include "bootfs_tree.hpp"
#include "devloader.hpp"
#include "filesystem.hpp"
#include "processes.hpp"

namespace sysinit {

class Supervisor;

class DriverLoading {
public:
    DriverLoading(ProcessTable& processes, DriverLoader& loader, Filesystem& filesystem, const bootfs::Tree& tree)
        : processes_(processes), loader_(loader), filesystem_(filesystem), tree_(tree) {}
    void set_supervisor(Supervisor* supervisor) { supervisor_ = supervisor; }

    // One sys::devloader call.
    void serve(const vesta::ipc::Message& request, vesta::ipc::Message& reply);
    // A driver's process was spawned: the loader drops its own copies of
    // what it made (the driver's keep the objects alive).
    void spawned(const Process& process);
    // A driver's process ended: its claims return.
    void release(const Process& process);

    // The driver image at `bytes` (inside the initramfs) into New process
    // `process`: validated, prepared, Loaded (the supervisor's restart).
    // Errors: bad_image, bad_manifest, OutOfMemory, OutOfRange.
    vesta::ipc::Result<void> load_image(Process& process, const void* bytes, size_t size);

    // sys::devloader (generated dispatch calls these).
    vesta::ipc::Result<void> load(const vesta::ipc::CapList& image, uint64_t pid, size_t size);
    vesta::ipc::Result<void> load_path(vesta::ipc::Slot path, uint64_t pid, size_t path_offset, size_t path_length);

private:
    static uint64_t lookup(const char* interface_name, void* context);
    // The loader's prepare over the image mapped at `bytes`; names the
    // process after the manifest; Loaded on success, and everything undone
    // on failure.
    vesta::ipc::Result<void> prepare(Process& process, const void* bytes, size_t size);

    ProcessTable& processes_;
    DriverLoader& loader_;
    Filesystem& filesystem_;
    const bootfs::Tree& tree_;
    Supervisor* supervisor_ = nullptr;
    Process* loading_ = nullptr; // the process whose load is in hand (for lookup)
};

// The badge kind of sysinit's service `interface_name` ("sys::devregistry"
// or "devregistry"), or BadgeKind::None for a service sysinit does not serve.
BadgeKind service_kind(const char* interface_name);

} // namespace sysinit

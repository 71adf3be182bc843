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
#pragma once

#include <sys/devloader.ipc.hpp>
#include <vesta/ipc/server_loop.hpp>

#include "badges.hpp"
#include "devloader.hpp"
#include "processes.hpp"

namespace sysinit {

class DriverLoading {
public:
    DriverLoading(ProcessTable& processes, DriverLoader& loader) : processes_(processes), loader_(loader) {}

    // One sys::devloader call.
    void serve(const vesta::ipc::Message& request, vesta::ipc::Message& reply);
    // A driver's process was spawned: the loader drops its own copies of
    // what it made (the driver's keep the objects alive).
    void spawned(const Process& process);
    // A driver's process ended: its claims return.
    void release(const Process& process);

    // sys::devloader (generated dispatch calls this).
    vesta::ipc::Result<void> load(const vesta::ipc::CapList& image, uint64_t pid, size_t size);

private:
    static uint64_t lookup(const char* interface_name, void* context);

    ProcessTable& processes_;
    DriverLoader& loader_;
    Process* loading_ = nullptr; // the process whose load is in hand (for lookup)
};

// The badge kind of sysinit's service `interface_name` ("sys::devregistry"
// or "devregistry"), or BadgeKind::None for a service sysinit does not serve.
BadgeKind service_kind(const char* interface_name);

} // namespace sysinit

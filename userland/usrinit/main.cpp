// userland/usrinit — the first program of the system's policy, started by
// sysinit with the services fs, procmgr, devmgr and devloader and the System
// capability in its start-up block (docs/userland.md): it starts the
// drivers under /drivers of the initramfs, then the shell on serial0 and,
// when the framebuffer console runs, a second one on console0 (docs/shell.md).
#include "drivers.hpp"
#include "shell_start.hpp"

using namespace vesta;

void main(uint64_t) {
    const usrinit::Services services = usrinit::find_services();
    if (services.fs == kNoSlot || services.procmgr == kNoSlot || services.devmgr == kNoSlot ||
        services.devloader == kNoSlot) {
        user::print("usrinit: missing services (fs {}, procmgr {}, devmgr {}, devloader {}): cannot start drivers\n",
                    services.fs != kNoSlot, services.procmgr != kNoSlot, services.devmgr != kNoSlot,
                    services.devloader != kNoSlot);
        user::exit(1);
    }
    const size_t started = usrinit::start_drivers(services);
    user::print("usrinit: {} driver{} started\n", started, started == 1 ? "" : "s");
    const ipc::Status failure = usrinit::run_shells(services);
    user::exit(failure.label() != 0 ? failure.label() : 1);
}

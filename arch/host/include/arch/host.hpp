// Host backend only: the simulated machine state tests inspect and steer.
// Never included by the portable core.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <arch/platform.hpp>

namespace vesta::arch {

struct HostMachine {
    static constexpr uint32_t kInterrupts = 64;
    bool interrupt_masked[kInterrupts] = {};
    bool io_ports_supported = true;
    uint8_t io_ports[65536] = {};
    size_t console_bytes = 0;
    // The last bytes written to the console (kConsoleTail of them, NUL-terminated).
    static constexpr size_t kConsoleTail = 1024;
    char console_tail[kConsoleTail + 1] = {};
    uint64_t page_tables_deactivated = 0;
    // Cross-CPU requests (arch/cross_cpu.hpp): reschedule IPIs sent, and
    // releases of user state answered, per CPU index.
    uint64_t reschedules_sent[64] = {};
    uint64_t user_state_releases[64] = {};
    ConsoleDevice console_device{ConsoleDevice::Kind::IoPorts, 0x3f8, 8}; // what System.ReleaseConsole hands over
};
extern HostMachine host_machine;

} // namespace vesta::arch

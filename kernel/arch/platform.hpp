// kernel/arch/platform.hpp — the CPU/platform half of the arch interface.
//
// Every backend (arch/x86_64, arch/aarch64, arch/host) defines these
// functions. The portable core includes this header, never a backend header.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <lib/result.hpp>
#include <vesta/boot_info.hpp>

namespace vesta {
class PageAllocator;
struct Cpu;
} // namespace vesta

namespace vesta::arch {

// "x86_64", "aarch64", "host": printed in the banner.
extern const char* const kArchitectureName;

// Write raw bytes to the early/debug console. Never fails; may drop output
// when no console exists.
void console_write(const char* text, size_t length);

// The hardware of the debug console, for its hand-over to a user driver
// (System.ReleaseConsole): an I/O-port range or an MMIO range, page-aligned.
// After the hand-over the kernel writes to it only in a fatal report.
struct ConsoleDevice {
    enum class Kind : uint8_t { None, IoPorts, Mmio } kind = Kind::None;
    uint64_t first = 0; // first port, or physical address
    uint64_t count = 0; // ports, or bytes
};
ConsoleDevice console_device();

// How a test build tells the emulator the outcome.
enum class ExitStatus : uint32_t { Success = 0, Failure = 1 };

// Stop the machine: exit the emulator with `status` when the platform offers
// a way (x86_64 isa-debug-exit, aarch64 semihosting/PSCI) and exit was
// enabled on the command line; otherwise halt this CPU forever.
[[noreturn]] void stop_machine(ExitStatus status);

// Reset the machine (x86_64: the reset control register, then the keyboard
// controller, then a triple fault; aarch64: PSCI SYSTEM_RESET when the device
// tree offers it); halts when nothing works.
[[noreturn]] void reset_machine();

// Whether stop_machine() may use the emulator's exit device (the kernel
// command line's `emulator-exit`). Off by default: on real hardware those
// devices do not exist.
void set_emulator_exit(bool enabled);

// Discovers the machine's devices (aarch64: from the device tree; x86_64:
// fixed PC devices) and brings up what the kernel itself drives (the
// console). Called once by kernel_main after the page allocator is ready;
// `pages` pays for page tables of device mappings. Fails with a message
// already printed (on whatever console exists).
Result<void> initialise_platform(const boot::BootInfo& boot_info, PageAllocator& pages);

// Maps [physical, physical + size) as device memory in the kernel's device
// window and returns the virtual address of `physical`. Page tables come from
// `pages`. Fails: OutOfMemory, OutOfRange (the window is full).
Result<uint64_t> map_device(uint64_t physical, uint64_t size, PageAllocator& pages);

// Halt this CPU forever with interrupts masked.
[[noreturn]] void halt_forever();

// Whether [physical, physical + size) holds a device the kernel drives itself
// (interrupt controllers, its console): never handed to user tasks.
bool kernel_owns_device(uint64_t physical, uint64_t size);

// Whether [physical, physical + size) holds any page of the kernel image
// (code, data, stacks), wherever the loader put them: never handed to user
// tasks. Valid after initialise_platform.
bool kernel_image_overlaps(uint64_t physical, uint64_t size);

// I/O-port ranges the kernel keeps for itself (its console, the emulator's
// exit device): never claimable through IoPortControl. Sets *count.
struct PortRange {
    uint16_t first;
    uint16_t count;
};
const PortRange* kernel_io_ports(size_t* count);

// Length of a scheduler tick in microseconds.
uint64_t tick_microseconds();

// The ELF machine number of user programs (elf::kMachine…).
extern const uint16_t kElfMachine;

// The free-running cycle counter (x86_64 TSC, aarch64 CNTVCT); under QEMU
// -icount shift=0 it counts instructions.
uint64_t cycle_counter();
// Its frequency in Hz as user tasks are told it (RootInfo): x86_64 the TSC as
// the kernel measured it against the PIT over boot (`loader_hz`, from a
// firmware stall, when that failed); aarch64 CNTFRQ_EL0. 0: unknown.
uint64_t cycle_counter_frequency(uint64_t loader_hz);

// For tests (`test-firmware-leftovers`): sets the control-register bits a
// careless firmware could leave behind (EL0 access to the timer and PMU on
// aarch64; CR4.OSXSAVE, FSGSBASE and PCE on x86_64, where the CPU has them).
// Called before initialise_platform, which must overwrite every one of them.
void leave_firmware_leftovers();

// For tests (`fault-test=user-access`): on the next kernel entry from user
// mode, the kernel reads the interrupted thread's stack through its user
// address, as a kernel bug would. SMAP (x86_64) or PAN (aarch64) must turn
// that into a kernel exception report; if the read succeeds the kernel says
// so and stops with a failure status.
void test_user_access_on_next_entry();

// Bytes of this CPU's kernel stack ever used since boot (its high-water
// mark): the stack is painted before first use and the deepest word that
// lost the paint counts. The host backend has no kernel stack and returns 0.
uint64_t kernel_stack_high_water();

// Leave the boot path for good: start the timer, run cpu.current in user
// mode and serve every later kernel entry (syscalls, faults, interrupts)
// through kernel/entry.hpp, idling when no task is ready. Real backends only.
// Called after the boot decided the kernel lock's mode (vesta_kernel_locking,
// smp/cross_cpu.hpp): when it is not in use, the boot CPU's syscall entry
// becomes the one that takes no lock (x86_64 LSTAR, aarch64 VBAR_EL1); the
// secondaries (arch::run_secondary) keep the locked one.
[[noreturn]] void run_user(Cpu& cpu);

} // namespace vesta::arch

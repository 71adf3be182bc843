// kernel/debug/panic.cpp — panic() in the kernel (lib/assert.hpp): the
// message, a symbolised backtrace of the panicking code, and a stop with a
// failure status (the emulator's exit device when `emulator-exit` is on).
#include <arch/platform.hpp>
#include <console.hpp>
#include <debug/backtrace.hpp>
#include <lib/assert.hpp>

namespace vesta {

void panic(const char* message, const char* file, int line) {
    static bool panicking = false;
    if (panicking) arch::halt_forever(); // panicked while reporting a panic
    panicking = true;
    print("\nvesta: panic: {} at {}:{}\n", message, file, line);
    debug::print_backtrace(reinterpret_cast<uint64_t>(&panic), reinterpret_cast<uint64_t>(__builtin_frame_address(0)),
                           debug::on_kernel_stack);
    print("vesta: kernel stopped\n");
    arch::stop_machine(arch::ExitStatus::Failure);
}

} // namespace vesta

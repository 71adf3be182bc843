// userland/drivers/tests/devrogue.cpp — a driver for the suite's
// `devloader.` tests that touches a device its manifest does not grant: the
// console UART's I/O port (x86_64) or register page (aarch64). It must
// fault — the loader gave it no capability for them — and its supervisor
// must hear of it while the system runs on.
#include <user/manifest.hpp>
#include <user/runtime.hpp>

VESTA_MANIFEST(R"(# devrogue: asks for a notification only, then reaches for a UART.
[driver]
name = devrogue
desc = "Test driver: uses a device it was not granted, and faults"
restart = never

[capabilities]
0:note =
)");

void main(uint64_t) {
#if defined(__x86_64__)
    // COM1's receive register, without an IoPort capability: #GP.
    uint8_t value = 0;
    asm volatile("inb %%dx, %%al" : "=a"(value) : "d"(uint16_t{0x3f8}));
#else
    // The PL011's registers at their physical address: nothing is mapped
    // there, and without a DeviceMemory capability nothing can be.
    const uint32_t value = *reinterpret_cast<volatile uint32_t*>(uint64_t{0x0900'0000});
#endif
    vesta::user::exit(0x600d + value); // never reached
}

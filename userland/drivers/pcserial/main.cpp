// userland/drivers/pcserial — the serial ports of an x86_64 PC: the 16550
// UARTs COM1 (ports 0x3f8-0x3ff, IRQ 4) and COM2 (0x2f8-0x2ff, IRQ 3), as
// Helios's pcserial names them. Each present port is registered with the
// device registry as a dev::serial device (COM1 first); COM1 is the
// kernel's console, so once sysinit released it this driver also prints
// the kernel log (docs/writing-a-driver.md walks through this file).
#include <user/manifest.hpp>
#include <user/runtime.hpp>

#include "serial/register_access.hpp"
#include "serial/serial_driver.hpp"
#include "uart16550.hpp"

VESTA_MANIFEST(R"manifest(# pcserial: the loader grants exactly these, at these slots.
[driver]
name = pcserial
desc = "16550 serial ports of x86_64 PCs (COM1, COM2)"

[capabilities]
0:ioport = min=0x3f8, max=0x400   # COM1
1:ioport = min=0x2f8, max=0x300   # COM2
2:note =                          # both ports' receive interrupts signal it
3:irq = irq=4, note=2             # COM1
4:irq = irq=3, note=2             # COM2
_:cspace = self
_:vspace = self
_:memory = pages=48

[services]
devregistry =
)manifest");

using namespace vesta;
using namespace vesta::serial;

namespace {
// The slots the manifest names.
constexpr uint64_t kCom1Ports = 0, kCom2Ports = 1, kInterrupts = 2, kCom1Irq = 3, kCom2Irq = 4;
constexpr uint16_t kCom1 = 0x3f8, kCom2 = 0x2f8;
} // namespace

void main(uint64_t) {
    adopt_console();
    static PortRegisters com1_registers(kCom1Ports, kCom1), com2_registers(kCom2Ports, kCom2);
    static Uart16550 com1(com1_registers), com2(com2_registers);
    static SerialDriver driver("pcserial");
    // Console.Info names a port console by its first port.
    if (com1.present())
        driver.add_port(com1, "COM1 (port 0x3f8, IRQ 4)", ConsoleRange{1, kCom1});
    else
        user::puts("pcserial: no UART at COM1 (port 0x3f8)\n");
    if (com2.present())
        driver.add_port(com2, "COM2 (port 0x2f8, IRQ 3)", ConsoleRange{1, kCom2});
    else
        user::puts("pcserial: no UART at COM2 (port 0x2f8)\n");
    driver.add_irq_handler(kCom1Irq);
    driver.add_irq_handler(kCom2Irq);
    const Error error = driver.run(kInterrupts);
    user::print("pcserial: stopped: {}\n", error_name(error));
    user::exit(static_cast<uint64_t>(error));
}

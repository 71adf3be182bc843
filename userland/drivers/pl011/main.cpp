// userland/drivers/pl011 — the Arm PL011 UART on device-tree machines (QEMU
// virt's console, the Raspberry Pi's first UART): started by the driver
// loader once per enabled node compatible with "arm,pl011", with that
// node's registers (reg 0) and interrupt (interrupts 0). It keeps the line
// speed the firmware set; `uart-clock=HZ` in its environment lets it
// change it (the device tree's clock is not passed on).
#include <user/manifest.hpp>
#include <user/runtime.hpp>

#include "pl011_uart.hpp"
#include "serial/mmio_port.hpp"
#include "serial/register_access.hpp"

VESTA_MANIFEST(R"manifest(# pl011: one matched device-tree node's registers and interrupt.
[driver]
name = pl011
desc = "Arm PL011 UART (QEMU virt, Raspberry Pi)"

[devicetree]
compatible = "arm,pl011"

[capabilities]
0:devmem = reg=0                  # the node's registers
1:note =                          # its interrupt signals it
2:irq = interrupt=0, note=1
_:cspace = self
_:vspace = self
_:memory = pages=48

[services]
devregistry =
)manifest");

using namespace vesta;
using namespace vesta::serial;

namespace {
constexpr uint64_t kRegisters = 0, kInterrupt = 1, kIrq = 2;
constexpr uint32_t kFirmwareBaud = 115200; // what the firmware (and the kernel before us) left on the line
} // namespace

void main(uint64_t) {
    adopt_console();
    MappedRegisters mapped;
    if (const Error e = map_registers(kRegisters, &mapped); e != Error::None) {
        user::print("pl011: cannot map the UART's registers: {}\n", error_name(e));
        user::exit(static_cast<uint64_t>(e));
    }
    static MmioRegisters registers(mapped.address); // the node's reg is page-aligned on every PL011 we know
    static Pl011Uart uart(registers, environment_number("uart-clock", 0), kFirmwareBaud);
    static SerialDriver driver("pl011");
    static char description[48]; // named in log lines for as long as the driver runs
    BufferSink sink(description, sizeof(description));
    format(sink, "PL011 at {:x}", mapped.physical);
    driver.add_port(uart, sink.text(), mapped.console);
    driver.add_irq_handler(kIrq);
    const Error error = driver.run(kInterrupt);
    user::print("pl011: stopped: {}\n", error_name(error));
    user::exit(static_cast<uint64_t>(error));
}

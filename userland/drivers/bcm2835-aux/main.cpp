// userland/drivers/bcm2835-aux — the BCM2835 auxiliary mini-UART, the
// console U-Boot uses on the Raspberry Pi 3 and 4: started by the driver
// loader for the node compatible with "brcm,bcm2835-aux-uart". Its `reg`
// is 0x40 bytes, 0x40 into the auxiliary block's page (the page also holds
// the aux enables and both SPI masters); device memory comes in whole
// pages, so the driver gets the page and touches only the mini-UART's
// registers in it. The line speed stays U-Boot's unless `uart-clock=HZ`
// (the VideoCore's core clock) is in its environment.
#include <user/manifest.hpp>
#include <user/runtime.hpp>

#include "mini_uart.hpp"
#include "serial/mmio_port.hpp"
#include "serial/register_access.hpp"

VESTA_MANIFEST(R"manifest(# bcm2835-aux: the mini-UART node's registers and interrupt.
[driver]
name = bcm2835-aux
desc = "BCM2835 auxiliary mini-UART (Raspberry Pi 3 and 4 console)"

[devicetree]
compatible = "brcm,bcm2835-aux-uart"

[capabilities]
0:devmem = reg=0                  # the page holding the node's registers
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
constexpr uint32_t kFirmwareBaud = 115200; // U-Boot's
} // namespace

void main(uint64_t) {
    adopt_console();
    MappedRegisters mapped;
    if (const Error e = map_registers(kRegisters, &mapped); e != Error::None) {
        user::print("bcm2835-aux: cannot map the mini-UART's registers: {}\n", error_name(e));
        user::exit(static_cast<uint64_t>(e));
    }
    static MmioRegisters registers(mapped.address + MiniUart::kOffsetInAuxBlock);
    static MiniUart uart(registers, environment_number("uart-clock", 0), kFirmwareBaud);
    static SerialDriver driver("bcm2835-aux");
    static char description[48]; // named in log lines for as long as the driver runs
    BufferSink sink(description, sizeof(description));
    format(sink, "mini-UART at {:x}", mapped.physical + MiniUart::kOffsetInAuxBlock);
    driver.add_port(uart, sink.text(), mapped.console);
    driver.add_irq_handler(kIrq);
    const Error error = driver.run(kInterrupt);
    user::print("bcm2835-aux: stopped: {}\n", error_name(error));
    user::exit(static_cast<uint64_t>(error));
}

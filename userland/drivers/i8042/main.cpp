// userland/drivers/i8042 — the PS/2 keyboard of x86_64 PCs behind the 8042
// controller (data port 0x60, status/command port 0x64, ISA IRQ 1, which
// is GSI 1 on q35 and every PC whose MADT has no override for it).
// Registered as a dev::keyboard device; what the keys type comes from the
// shared layout (drivers/keyboard) through the set-1 ScancodeDecoder.
// A PC without a controller gets one line and a clean exit.
#include <user/manifest.hpp>
#include <user/runtime.hpp>

#include "controller.hpp"
#include "keyboard/keyboard_driver.hpp"
#include "scancode_decoder.hpp"
#include "serial/register_access.hpp"
#include "serial/serial_driver.hpp"

VESTA_MANIFEST(R"manifest(# i8042: the loader grants exactly these, at these slots.
[driver]
name = i8042
desc = "PS/2 keyboard behind the 8042 controller of x86_64 PCs"

[capabilities]
0:ioport = min=0x60, max=0x61     # data
1:ioport = min=0x64, max=0x65     # status and command
2:note =                          # the keyboard's interrupt signals it
3:irq = irq=1, note=2
_:cspace = self
_:vspace = self
_:memory = pages=32

[services]
devregistry =
)manifest");

using namespace vesta;

namespace {

// The slots the manifest names.
constexpr uint64_t kDataPort = 0, kCommandPort = 1, kInterrupt = 2, kIrq = 3;

class PortKeyboard final : public keyboard::KeyboardSource {
public:
    explicit PortKeyboard(i8042::Controller& controller) : controller_(controller) {}
    void drain(keyboard::KeyboardDevice& device) override {
        controller_.drain([&](uint8_t scancode) {
            uint8_t out[i8042::ScancodeDecoder::kMaxOutput];
            const uint64_t unknown = decoder_.unknown_keys();
            const size_t n = decoder_.feed(scancode, out);
            keyboard::KeyBytes bytes;
            if (n > 0) {
                bytes.outcome = keyboard::KeyOutcome::Typed;
                bytes.length = static_cast<uint8_t>(n);
                for (size_t i = 0; i < n; ++i) bytes.bytes[i] = out[i];
            } else if (decoder_.unknown_keys() != unknown) {
                bytes.outcome = keyboard::KeyOutcome::Unknown;
            }
            device.key(bytes);
        });
    }

private:
    i8042::Controller& controller_;
    i8042::ScancodeDecoder decoder_;
};

} // namespace

void main(uint64_t) {
    serial::adopt_console();
    static serial::PortRegisters data(kDataPort, 0x60), command(kCommandPort, 0x64);
    static i8042::Controller controller(data, command);
    if (const i8042::StartError e = controller.start(); e != i8042::StartError::None) {
        user::print("i8042: {}: no keyboard\n", i8042::start_error_message(e));
        user::exit(0);
    }
    if (!(controller.firmware_config() & i8042::Controller::kConfigTranslate))
        user::puts("i8042: the firmware left translation off: turned it on (the decoder reads set 1)\n");
    static PortKeyboard source(controller);
    static keyboard::KeyboardDriver driver("i8042", "PS/2 keyboard (ports 0x60, 0x64, IRQ 1)");
    driver.add_irq_handler(kIrq);
    const Error error = driver.run(kInterrupt, source);
    user::print("i8042: stopped: {}\n", error_name(error));
    user::exit(static_cast<uint64_t>(error));
}

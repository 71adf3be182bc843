// userland/drivers/tests/serialloop — a serial driver for the fault-injection
// test: the shared serial core (drivers/serial, as pcserial, pl011 and
// bcm2835-aux run it) over a loop-back "UART" whose transmitter is a page
// the test holds (loop_device.hpp). It registers one dev::serial port; its
// receiver never receives (a read is held until the driver dies). Its
// manifest restarts it on every failure, at once, up to 1000 times a second.
#include <user/manifest.hpp>
#include <user/runtime.hpp>

#include "loop_device.hpp"
#include "serial/serial_driver.hpp"

VESTA_MANIFEST(R"manifest(# serialloop: a loop-back serial port for the fault-injection test.
[driver]
name = serialloop
desc = "Test driver: a serial port whose transmitter is a page the test holds"
restart = on-failure
restart-delay = 0
restart-delay-max = 0
restart-limit = 1000
restart-window = 1000

[capabilities]
0:note =                          # the server loop waits on it (nothing signals it)
_:cspace = self
_:vspace = self
_:memory = pages=48

[services]
devregistry =
)manifest");

using namespace vesta;
using namespace vesta::serial;

namespace {

constexpr uint64_t kNotification = 0;

class LoopUart final : public Uart {
public:
    explicit LoopUart(uint8_t* page) : page_(page) {}

    ipc::Result<void> configure(const LineSettings&) override { return {}; }
    bool transmitter_ready() override { return true; }
    void transmit(uint8_t byte) override {
        loopdev::Registers& r = loopdev::registers(page_);
        if (const uint64_t countdown = r.crash_after; countdown != 0) {
            r.crash_after = countdown - 1;
            if (countdown == 1) {
                r.crashes = r.crashes + 1;
                *reinterpret_cast<volatile uint64_t*>(uint64_t{0}) = byte; // the injected fault
            }
        }
        const uint64_t sent = r.transmitted;
        loopdev::ring(page_)[sent % loopdev::kRingBytes] = byte;
        __atomic_store_n(&r.transmitted, sent + 1, __ATOMIC_RELEASE);
    }
    size_t drain(uint8_t*, size_t) override { return 0; }
    void set_receive_interrupt(bool) override {}

private:
    uint8_t* page_;
};

} // namespace

void main(uint64_t) {
    adopt_console();
    auto mapped = user::map_frame(loopdev::kDeviceSlot, rights::kRead | rights::kWrite);
    if (!mapped.ok()) {
        user::print("serialloop: no device page at slot {}: {}\n", loopdev::kDeviceSlot, error_name(mapped.error()));
        user::exit(1);
    }
    static LoopUart uart(reinterpret_cast<uint8_t*>(mapped.value()));
    static SerialDriver driver("serialloop");
    driver.add_port(uart, "loop-back port", ConsoleRange{});
    const Error error = driver.run(kNotification);
    user::print("serialloop: stopped: {}\n", error_name(error));
    user::exit(static_cast<uint64_t>(error));
}

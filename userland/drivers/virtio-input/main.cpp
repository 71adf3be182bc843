// userland/drivers/virtio-input — a virtio keyboard (virtio-input, device
// type 18) on a virtio-mmio transport of a device-tree machine (QEMU virt's
// `-device virtio-keyboard-device`). The loader starts it only when a
// transport holds an input device ([devicetree] virtio-device = 18: it
// reads each virtio,mmio node's DeviceID register), with that node's
// registers (reg 0, 0x200 bytes inside a page: DEVMEM0 in the environment
// says where) and interrupt. Modern (version 2) transports only; a legacy
// one gets one line and a clean exit. Keys go through the shared layout
// (drivers/keyboard) and are served as dev::keyboard.
#include <user/manifest.hpp>
#include <user/runtime.hpp>

#include "input_event.hpp"
#include "keyboard/keyboard_driver.hpp"
#include "serial/mmio_port.hpp"
#include "virtio/mmio_transport.hpp"
#include "virtio/split_queue.hpp"

VESTA_MANIFEST(R"manifest(# virtio-input: one virtio-mmio transport that holds an input device.
[driver]
name = virtio-input
desc = "virtio keyboards on virtio-mmio transports (QEMU virt)"

[devicetree]
compatible = "virtio,mmio"
virtio-device = 18                # input devices only: the loader reads DeviceID

[capabilities]
0:devmem = reg=0                  # the transport's registers
1:note =                          # its interrupt signals it
2:irq = interrupt=0, note=1
_:cspace = self
_:vspace = self
_:memory = pages=32

[services]
devregistry =
)manifest");

using namespace vesta;

namespace {

constexpr uint64_t kRegisters = 0, kInterrupt = 1, kIrq = 2;
constexpr uint32_t kInputDevice = 18;
constexpr uint16_t kMaxQueue = 64;
constexpr uint32_t kConfigSelect = 0, kConfigSubselect = 1, kConfigSize = 2, kConfigData = 8;
constexpr uint8_t kSelectIdName = 1;
constexpr size_t kEventsOffset = 2048; // event buffers after the rings, in the same page

// The transport's 0x200 bytes inside its mapped page.
class WindowRegisters final : public virtio::Registers {
public:
    explicit WindowRegisters(uintptr_t base) : base_(base) {}
    uint32_t read32(uint32_t offset) override { return *reinterpret_cast<volatile uint32_t*>(base_ + offset); }
    void write32(uint32_t offset, uint32_t value) override {
        *reinterpret_cast<volatile uint32_t*>(base_ + offset) = value;
    }
    uint8_t read8(uint32_t offset) override { return *reinterpret_cast<volatile uint8_t*>(base_ + offset); }
    void write8(uint32_t offset, uint8_t value) override {
        *reinterpret_cast<volatile uint8_t*>(base_ + offset) = value;
    }

private:
    uintptr_t base_;
};

// DEVMEM0=OFFSET,SIZE (the loader's, when the registers do not start the page).
uint64_t register_offset() {
    const char* text = user::environment("DEVMEM0");
    uint64_t value = 0;
    for (; text && *text >= '0' && *text <= '9'; ++text) value = value * 10 + static_cast<uint64_t>(*text - '0');
    return text && (*text == ',' || *text == '\0') && value <= kPageSize - 0x200 ? value : 0;
}

class VirtioKeyboard final : public keyboard::KeyboardSource {
public:
    VirtioKeyboard(virtio::MmioTransport& transport, virtio::SplitQueue& queue, uint8_t* events,
                   uint64_t events_physical)
        : transport_(transport), queue_(queue), events_(events), events_physical_(events_physical) {}

    // Posts every event buffer; false when the queue refuses one.
    bool post_all() {
        for (uint16_t i = 0; i < queue_.size(); ++i)
            if (!post(i)) return false;
        queue_.publish();
        return true;
    }

    void drain(keyboard::KeyboardDevice& device) override {
        (void)transport_.acknowledge_interrupt();
        if (stopped_) return;
        bool reposted = false;
        for (uint32_t taken = 0; taken < 4u * queue_.size(); ++taken) {
            virtio::UsedChain used;
            const virtio::TakeResult result = queue_.take_used(&used);
            if (result == virtio::TakeResult::Empty) break;
            if (result == virtio::TakeResult::Broken) {
                stop("the device broke the virtqueue's rules (a used entry it does not hold)");
                return;
            }
            const uint16_t buffer = buffer_of_[used.head];
            device.key(virtio_input::key_of(events_ + buffer * virtio_input::kEventSize, used.written, layout_));
            if (!post(buffer)) {
                stop("an event buffer could not be posted again");
                return;
            }
            reposted = true;
        }
        if (reposted) {
            queue_.publish();
            transport_.notify(0);
        }
        if (transport_.status() & virtio::mmio::kStatusNeedsReset) stop("the device needs a reset");
    }

private:
    bool post(uint16_t buffer) {
        const virtio::QueueBuffer event{events_physical_ + buffer * virtio_input::kEventSize,
                                        static_cast<uint32_t>(virtio_input::kEventSize), true};
        uint16_t head = 0;
        if (queue_.add(&event, 1, &head) != virtio::AddResult::Added) return false;
        buffer_of_[head] = buffer;
        return true;
    }
    void stop(const char* why) {
        user::print("virtio-input: {}: ignoring the keyboard from now on\n", why);
        transport_.fail();
        stopped_ = true;
    }

    virtio::MmioTransport& transport_;
    virtio::SplitQueue& queue_;
    uint8_t* events_;
    uint64_t events_physical_;
    keyboard::KeyLayout layout_;
    uint16_t buffer_of_[virtio::SplitQueue::kMaxSize] = {};
    bool stopped_ = false;
};

[[noreturn]] void give_up(const char* what, const char* why, uint64_t status) {
    user::print("virtio-input: {}: {}\n", what, why);
    user::exit(status);
}

} // namespace

void main(uint64_t) {
    serial::adopt_console();
    serial::MappedRegisters mapped;
    if (const Error e = serial::map_registers(kRegisters, &mapped); e != Error::None)
        give_up("cannot map the transport's registers", error_name(e), static_cast<uint64_t>(e));
    const uint64_t offset = register_offset();
    static char where[48];
    {
        BufferSink sink(where, sizeof(where));
        format(sink, "transport at {:x}", mapped.physical + offset);
    }
    static WindowRegisters registers(mapped.address + offset);
    static virtio::MmioTransport transport(registers);
    // Not ours to drive (legacy, empty, another device): say so and end cleanly.
    if (const virtio::ProbeResult probed = transport.probe(); probed != virtio::ProbeResult::Modern)
        give_up(where, virtio::message(probed), 0);
    if (transport.device_id() != kInputDevice) give_up(where, "not an input device", 0);
    if (const virtio::StartResult started = transport.start(); started != virtio::StartResult::Started)
        give_up(where, virtio::message(started), 0);

    // The device's name (config select ID_NAME): for the log.
    static char name[129] = {};
    transport.write_config8(kConfigSelect, kSelectIdName);
    transport.write_config8(kConfigSubselect, 0);
    uint8_t length = 0;
    if (transport.read_config(kConfigSize, &length, 1)) {
        if (length > 128) length = 128;
        if (!transport.read_config(kConfigData, reinterpret_cast<uint8_t*>(name), length)) length = 0;
        name[length] = '\0'; // the device may count a NUL of its own: the name ends at the first
        for (size_t i = 0; i < length && name[i]; ++i)
            if (name[i] < 0x20 || name[i] > 0x7e) name[i] = '?';
    }

    // The eventq (queue 0) and its buffers, in one page of our own.
    uint32_t limit = transport.queue_size_limit(0);
    if (limit == 0) give_up(where, virtio::message(virtio::QueueResult::NoSuchQueue), 0);
    uint16_t size = kMaxQueue;
    while (size > limit) size = static_cast<uint16_t>(size / 2);
    static_assert(virtio::SplitQueue::bytes_needed(kMaxQueue) <= kEventsOffset);
    static_assert(kEventsOffset + kMaxQueue * virtio_input::kEventSize <= kPageSize);
    uint64_t page_address = 0, page = kNoSlot;
    if (const Error e = user::map_new_pages(1, rights::kRead | rights::kWrite, &page_address, &page); e != Error::None)
        give_up("no memory for the virtqueue", error_name(e), static_cast<uint64_t>(e));
    const user::InvokeResult info = user::invoke(page, FrameLabel::Info);
    if (info.error != Error::None) give_up("cannot learn the virtqueue page's address", error_name(info.error), 1);
    static virtio::SplitQueue queue;
    if (!queue.init(reinterpret_cast<void*>(page_address), info.words[0], size))
        give_up(where, "the device's queue size is unusable", 0);
    if (const virtio::QueueResult ready = transport.set_up_queue(0, queue); ready != virtio::QueueResult::Ready) {
        transport.fail();
        give_up(where, virtio::message(ready), 0);
    }
    static VirtioKeyboard source(transport, queue, reinterpret_cast<uint8_t*>(page_address + kEventsOffset),
                                 info.words[0] + kEventsOffset);
    if (!source.post_all()) give_up(where, "cannot post the event buffers", 1);
    transport.driver_ok();
    transport.notify(0);

    static char description[200];
    {
        BufferSink sink(description, sizeof(description));
        format(sink, "virtio keyboard \"{}\" ({}, {} event buffers)", name, where, size);
    }
    static keyboard::KeyboardDriver driver("virtio-input", description);
    driver.add_irq_handler(kIrq);
    const Error error = driver.run(kInterrupt, source);
    user::print("virtio-input: stopped: {}\n", error_name(error));
    user::exit(static_cast<uint64_t>(error));
}

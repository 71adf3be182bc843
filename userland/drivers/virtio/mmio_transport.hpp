// userland/drivers/virtio/mmio_transport.hpp — a virtio-mmio transport
// (virtio 1.x, 4.2), version 2 ("modern") only, over its register window.
// Portable and host-tested against a model of the device.
//
// Contracts:
// - probe() reads MagicValue, Version and DeviceID; a window that is not
//   virtio-mmio, an empty transport, or a legacy (version 1) one is
//   reported (ProbeResult) and nothing is written. QEMU's virt machine makes
//   its transports legacy unless started with
//   `-global virtio-mmio.force-legacy=false` (scripts/qemu-command does).
// - start() resets the device, sets ACKNOWLEDGE and DRIVER, accepts
//   exactly VIRTIO_F_VERSION_1 of the device's features (and fails when the
//   device does not offer it), sets FEATURES_OK and checks the device kept
//   it. Every wait on the device is bounded (kPolls).
// - set_up_queue() gives queue `index` the rings of `queue` (at most
//   QueueNumMax entries: queue_size_limit()) and marks it ready;
//   driver_ok() sets DRIVER_OK; fail() sets FAILED.
// - acknowledge_interrupt() reads InterruptStatus and writes the same bits
//   to InterruptACK; returns them (bit 0: used buffers, bit 1: configuration).
// - The device-specific configuration (offset 0x100 on) is read a byte at
//   a time, consistently (ConfigGeneration before and after, retried).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "split_queue.hpp"

namespace virtio {

// The transport's register window (mapped device memory in the driver).
class Registers {
public:
    virtual uint32_t read32(uint32_t offset) = 0;
    virtual void write32(uint32_t offset, uint32_t value) = 0;
    virtual uint8_t read8(uint32_t offset) = 0;
    virtual void write8(uint32_t offset, uint8_t value) = 0;

protected:
    Registers() = default;
    Registers(const Registers&) = default;
    Registers& operator=(const Registers&) = default;
    ~Registers() = default;
};

namespace mmio {
inline constexpr uint32_t kMagicValue = 0x000, kVersion = 0x004, kDeviceId = 0x008, kVendorId = 0x00c,
                          kDeviceFeatures = 0x010, kDeviceFeaturesSel = 0x014, kDriverFeatures = 0x020,
                          kDriverFeaturesSel = 0x024, kQueueSel = 0x030, kQueueNumMax = 0x034, kQueueNum = 0x038,
                          kQueueReady = 0x044, kQueueNotify = 0x050, kInterruptStatus = 0x060, kInterruptAck = 0x064,
                          kStatus = 0x070, kQueueDescLow = 0x080, kQueueDescHigh = 0x084, kQueueDriverLow = 0x090,
                          kQueueDriverHigh = 0x094, kQueueDeviceLow = 0x0a0, kQueueDeviceHigh = 0x0a4,
                          kConfigGeneration = 0x0fc, kConfig = 0x100;
inline constexpr uint32_t kMagic = 0x74726976; // "virt"
inline constexpr uint32_t kStatusAcknowledge = 1, kStatusDriver = 2, kStatusDriverOk = 4, kStatusFeaturesOk = 8,
                          kStatusNeedsReset = 64, kStatusFailed = 128;
inline constexpr uint32_t kFeatureVersion1Word = 1, kFeatureVersion1Bit = 1u << 0; // feature bit 32
} // namespace mmio

enum class ProbeResult : uint8_t { Modern, NotVirtio, NoDevice, Legacy, UnknownVersion };
enum class StartResult : uint8_t { Started, NoVersion1, FeaturesRefused, ResetTimeout };
enum class QueueResult : uint8_t { Ready, NoSuchQueue, AlreadyInUse, TooLarge };

const char* message(ProbeResult result);
const char* message(StartResult result);
const char* message(QueueResult result);

class MmioTransport {
public:
    static constexpr uint32_t kPolls = 100000;

    explicit MmioTransport(Registers& registers) : registers_(registers) {}

    ProbeResult probe();
    uint32_t version() const { return version_; }
    uint32_t device_id() const { return device_id_; }

    StartResult start();
    // QueueNumMax of queue `index` (0: the queue does not exist).
    uint32_t queue_size_limit(uint32_t index);
    QueueResult set_up_queue(uint32_t index, const SplitQueue& queue);
    void notify(uint32_t index) { registers_.write32(mmio::kQueueNotify, index); }
    void driver_ok();
    void fail();
    uint32_t status() { return registers_.read32(mmio::kStatus); }
    uint32_t acknowledge_interrupt();

    // Reads `length` bytes of the device configuration from `offset` into
    // `out`; false when the generation kept changing (3 tries).
    bool read_config(uint32_t offset, uint8_t* out, size_t length);
    void write_config8(uint32_t offset, uint8_t value) { registers_.write8(mmio::kConfig + offset, value); }

private:
    Registers& registers_;
    uint32_t version_ = 0;
    uint32_t device_id_ = 0;
};

} // namespace virtio

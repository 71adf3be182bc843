// userland/drivers/virtio/mmio_transport.cpp — MmioTransport
// (mmio_transport.hpp).
#include "mmio_transport.hpp"

namespace virtio {

const char* message(ProbeResult result) {
    switch (result) {
    case ProbeResult::Modern: return "virtio-mmio version 2";
    case ProbeResult::NotVirtio: return "not a virtio-mmio transport (wrong magic value)";
    case ProbeResult::NoDevice: return "no device behind the transport (DeviceID 0)";
    case ProbeResult::Legacy:
        return "a legacy (version 1) virtio-mmio transport, which this driver does not support (QEMU: "
               "-global virtio-mmio.force-legacy=false)";
    case ProbeResult::UnknownVersion: return "an unknown virtio-mmio version";
    }
    return "?";
}

const char* message(StartResult result) {
    switch (result) {
    case StartResult::Started: return "started";
    case StartResult::NoVersion1: return "the device does not offer VIRTIO_F_VERSION_1";
    case StartResult::FeaturesRefused: return "the device refused the features (FEATURES_OK not kept)";
    case StartResult::ResetTimeout: return "the device does not finish its reset";
    }
    return "?";
}

const char* message(QueueResult result) {
    switch (result) {
    case QueueResult::Ready: return "ready";
    case QueueResult::NoSuchQueue: return "the device has no such queue (QueueNumMax 0)";
    case QueueResult::AlreadyInUse: return "the queue is already in use (QueueReady set after reset)";
    case QueueResult::TooLarge: return "the queue is larger than the device allows";
    }
    return "?";
}

ProbeResult MmioTransport::probe() {
    if (registers_.read32(mmio::kMagicValue) != mmio::kMagic) return ProbeResult::NotVirtio;
    version_ = registers_.read32(mmio::kVersion);
    device_id_ = registers_.read32(mmio::kDeviceId);
    if (version_ == 1) return ProbeResult::Legacy;
    if (version_ != 2) return ProbeResult::UnknownVersion;
    if (device_id_ == 0) return ProbeResult::NoDevice;
    return ProbeResult::Modern;
}

StartResult MmioTransport::start() {
    registers_.write32(mmio::kStatus, 0); // reset
    uint32_t polls = 0;
    while (registers_.read32(mmio::kStatus) != 0)
        if (++polls == kPolls) return StartResult::ResetTimeout;
    registers_.write32(mmio::kStatus, mmio::kStatusAcknowledge);
    registers_.write32(mmio::kStatus, mmio::kStatusAcknowledge | mmio::kStatusDriver);
    registers_.write32(mmio::kDeviceFeaturesSel, mmio::kFeatureVersion1Word);
    const uint32_t high = registers_.read32(mmio::kDeviceFeatures);
    if (!(high & mmio::kFeatureVersion1Bit)) {
        fail();
        return StartResult::NoVersion1;
    }
    registers_.write32(mmio::kDriverFeaturesSel, 0);
    registers_.write32(mmio::kDriverFeatures, 0);
    registers_.write32(mmio::kDriverFeaturesSel, mmio::kFeatureVersion1Word);
    registers_.write32(mmio::kDriverFeatures, mmio::kFeatureVersion1Bit);
    const uint32_t features_ok = mmio::kStatusAcknowledge | mmio::kStatusDriver | mmio::kStatusFeaturesOk;
    registers_.write32(mmio::kStatus, features_ok);
    if (!(registers_.read32(mmio::kStatus) & mmio::kStatusFeaturesOk)) {
        fail();
        return StartResult::FeaturesRefused;
    }
    return StartResult::Started;
}

uint32_t MmioTransport::queue_size_limit(uint32_t index) {
    registers_.write32(mmio::kQueueSel, index);
    return registers_.read32(mmio::kQueueNumMax);
}

QueueResult MmioTransport::set_up_queue(uint32_t index, const SplitQueue& queue) {
    registers_.write32(mmio::kQueueSel, index);
    const uint32_t limit = registers_.read32(mmio::kQueueNumMax);
    if (limit == 0) return QueueResult::NoSuchQueue;
    if (registers_.read32(mmio::kQueueReady) != 0) return QueueResult::AlreadyInUse;
    if (queue.size() > limit) return QueueResult::TooLarge;
    registers_.write32(mmio::kQueueNum, queue.size());
    const uint64_t areas[3] = {queue.descriptor_area(), queue.driver_area(), queue.device_area()};
    const uint32_t low[3] = {mmio::kQueueDescLow, mmio::kQueueDriverLow, mmio::kQueueDeviceLow};
    for (size_t i = 0; i < 3; ++i) {
        registers_.write32(low[i], static_cast<uint32_t>(areas[i]));
        registers_.write32(low[i] + 4, static_cast<uint32_t>(areas[i] >> 32));
    }
    registers_.write32(mmio::kQueueReady, 1);
    return QueueResult::Ready;
}

void MmioTransport::driver_ok() {
    registers_.write32(mmio::kStatus, registers_.read32(mmio::kStatus) | mmio::kStatusDriverOk);
}

void MmioTransport::fail() {
    registers_.write32(mmio::kStatus, registers_.read32(mmio::kStatus) | mmio::kStatusFailed);
}

uint32_t MmioTransport::acknowledge_interrupt() {
    const uint32_t bits = registers_.read32(mmio::kInterruptStatus);
    if (bits) registers_.write32(mmio::kInterruptAck, bits);
    return bits;
}

bool MmioTransport::read_config(uint32_t offset, uint8_t* out, size_t length) {
    for (int attempt = 0; attempt < 3; ++attempt) {
        const uint32_t before = registers_.read32(mmio::kConfigGeneration);
        for (size_t i = 0; i < length; ++i)
            out[i] = registers_.read8(mmio::kConfig + offset + static_cast<uint32_t>(i));
        if (registers_.read32(mmio::kConfigGeneration) == before) return true;
    }
    return false;
}

} // namespace virtio

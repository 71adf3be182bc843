// Tests of userland/drivers/virtio/mmio_transport: probing, the start-up
// handshake, queue set-up and interrupt acknowledgement against a model of
// a virtio-mmio register window (what QEMU's virtio-mmio does, and what a
// device that refuses or misbehaves does).
#include <catch2/catch_test_macros.hpp>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "mmio_transport.hpp"

using namespace virtio;
namespace m = virtio::mmio;

namespace {

struct Model final : Registers {
    uint32_t magic = m::kMagic, version = 2, device = 18;
    uint32_t features[2] = {0x7, 1}; // word 1 bit 0: VERSION_1
    uint32_t features_sel = 0, driver_sel = 0, driver_features[2] = {};
    uint32_t status = 0;
    bool keep_features_ok = true, stuck_in_reset = false;
    uint32_t queue_sel = 0, queue_max[2] = {64, 64}, queue_num[2] = {}, queue_ready[2] = {};
    uint64_t areas[2][3] = {};
    uint32_t interrupt = 0, acked = 0, notified = ~0u;
    uint32_t generation = 0;
    int generation_bumps = 0; // bump the generation on this many config reads
    std::vector<uint8_t> config = std::vector<uint8_t>(256, 0);
    std::vector<uint32_t> status_writes;

    uint32_t read32(uint32_t offset) override {
        switch (offset) {
        case m::kMagicValue: return magic;
        case m::kVersion: return version;
        case m::kDeviceId: return device;
        case m::kDeviceFeatures: return features_sel < 2 ? features[features_sel] : 0;
        case m::kQueueNumMax: return queue_sel < 2 ? queue_max[queue_sel] : 0;
        case m::kQueueReady: return queue_sel < 2 ? queue_ready[queue_sel] : 0;
        case m::kInterruptStatus: return interrupt;
        case m::kStatus: return stuck_in_reset ? 1 : status;
        case m::kConfigGeneration: return generation;
        default: return 0;
        }
    }
    void write32(uint32_t offset, uint32_t value) override {
        switch (offset) {
        case m::kDeviceFeaturesSel: features_sel = value; break;
        case m::kDriverFeaturesSel: driver_sel = value; break;
        case m::kDriverFeatures:
            if (driver_sel < 2) driver_features[driver_sel] = value;
            break;
        case m::kQueueSel: queue_sel = value; break;
        case m::kQueueNum: queue_num[queue_sel] = value; break;
        case m::kQueueReady: queue_ready[queue_sel] = value; break;
        case m::kQueueNotify: notified = value; break;
        case m::kInterruptAck:
            acked |= value;
            interrupt &= ~value;
            break;
        case m::kStatus:
            status_writes.push_back(value);
            status = (!keep_features_ok ? value & ~m::kStatusFeaturesOk : value);
            break;
        default:
            for (uint32_t part = 0; part < 3; ++part) {
                const uint32_t low = m::kQueueDescLow + 0x10 * part;
                if (offset == low) areas[queue_sel][part] = (areas[queue_sel][part] & ~0xffffffffull) | value;
                if (offset == low + 4)
                    areas[queue_sel][part] = (areas[queue_sel][part] & 0xffffffffull) | uint64_t{value} << 32;
            }
        }
    }
    uint8_t read8(uint32_t offset) override {
        if (generation_bumps > 0) {
            --generation_bumps;
            ++generation;
        }
        return offset >= m::kConfig && offset - m::kConfig < config.size() ? config[offset - m::kConfig] : 0;
    }
    void write8(uint32_t offset, uint8_t value) override {
        if (offset >= m::kConfig && offset - m::kConfig < config.size()) config[offset - m::kConfig] = value;
    }
};

} // namespace

TEST_CASE("virtio-mmio: probe tells modern, legacy, empty and foreign windows apart, writing nothing") {
    Model model;
    MmioTransport t(model);
    CHECK(t.probe() == ProbeResult::Modern);
    CHECK(t.device_id() == 18);
    model.version = 1;
    CHECK(t.probe() == ProbeResult::Legacy);
    CHECK(std::string(message(ProbeResult::Legacy)).find("force-legacy=false") != std::string::npos);
    model.version = 3;
    CHECK(t.probe() == ProbeResult::UnknownVersion);
    model.version = 2;
    model.device = 0;
    CHECK(t.probe() == ProbeResult::NoDevice);
    model.magic = 0xffffffff;
    CHECK(t.probe() == ProbeResult::NotVirtio);
    CHECK(model.status_writes.empty());
}

TEST_CASE("virtio-mmio: start resets, acknowledges and accepts VERSION_1 alone") {
    Model model;
    MmioTransport t(model);
    REQUIRE(t.probe() == ProbeResult::Modern);
    REQUIRE(t.start() == StartResult::Started);
    CHECK(model.status_writes ==
          std::vector<uint32_t>{0, m::kStatusAcknowledge, m::kStatusAcknowledge | m::kStatusDriver,
                                m::kStatusAcknowledge | m::kStatusDriver | m::kStatusFeaturesOk});
    CHECK(model.driver_features[0] == 0);
    CHECK(model.driver_features[1] == 1);
    t.driver_ok();
    CHECK(model.status == (m::kStatusAcknowledge | m::kStatusDriver | m::kStatusFeaturesOk | m::kStatusDriverOk));
}

TEST_CASE("virtio-mmio: a device without VERSION_1, one that drops FEATURES_OK, one stuck in reset") {
    Model old;
    old.features[1] = 0;
    MmioTransport a(old);
    CHECK(a.start() == StartResult::NoVersion1);
    CHECK(old.status & m::kStatusFailed);
    Model picky;
    picky.keep_features_ok = false;
    MmioTransport b(picky);
    CHECK(b.start() == StartResult::FeaturesRefused);
    CHECK(picky.status & m::kStatusFailed);
    Model stuck;
    stuck.stuck_in_reset = true;
    MmioTransport c(stuck);
    CHECK(c.start() == StartResult::ResetTimeout);
}

TEST_CASE("virtio-mmio: a queue's rings and size are programmed, then it is ready") {
    Model model;
    MmioTransport t(model);
    REQUIRE(t.start() == StartResult::Started);
    alignas(16) static uint8_t memory[4096];
    SplitQueue q;
    REQUIRE(q.init(memory, 0x1'2345'6000, 16));
    CHECK(t.queue_size_limit(0) == 64);
    REQUIRE(t.set_up_queue(0, q) == QueueResult::Ready);
    CHECK(model.queue_num[0] == 16);
    CHECK(model.queue_ready[0] == 1);
    CHECK(model.areas[0][0] == q.descriptor_area());
    CHECK(model.areas[0][1] == q.driver_area());
    CHECK(model.areas[0][2] == q.device_area());
    CHECK(t.set_up_queue(0, q) == QueueResult::AlreadyInUse);
    model.queue_max[1] = 8;
    CHECK(t.set_up_queue(1, q) == QueueResult::TooLarge);
    CHECK(model.queue_ready[1] == 0);
    CHECK(t.set_up_queue(2, q) == QueueResult::NoSuchQueue);
    t.notify(0);
    CHECK(model.notified == 0);
}

TEST_CASE("virtio-mmio: interrupts are acknowledged with the bits read; config reads are consistent") {
    Model model;
    MmioTransport t(model);
    model.interrupt = 3;
    CHECK(t.acknowledge_interrupt() == 3);
    CHECK(model.acked == 3);
    CHECK(model.interrupt == 0);
    CHECK(t.acknowledge_interrupt() == 0);
    std::memcpy(model.config.data() + 8, "QEMU Virtio Keyboard", 20);
    uint8_t name[20];
    model.generation_bumps = 1; // changes during the first try
    REQUIRE(t.read_config(8, name, 20));
    CHECK(std::string(reinterpret_cast<char*>(name), 20) == "QEMU Virtio Keyboard");
    model.generation_bumps = 1000; // never settles
    CHECK(!t.read_config(8, name, 20));
    t.write_config8(0, 1);
    CHECK(model.config[0] == 1);
}

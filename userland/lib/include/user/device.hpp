// userland/lib/include/user/device.hpp — a device opened through
// sys::devmgr that outlives its driver: when the driver ends and its
// supervisor restarts it (docs/userland.md, "Supervision"), the device keeps
// its index, and this helper opens it again.
//
//   user::Device<ipc::SyscallTransport> port(transport, devmgr, dev::serial::kId, 0);
//   TRY(port.open());
//   auto baud = port.idempotent([&](uint64_t ep) { return dev::serial::get_baud(transport, ep); });
//   auto sent = port.once([&](uint64_t ep) { return io::file::write(transport, ep, pages, 0, n); });
//
// Contracts:
// - The driver is gone when a call through the device fails with PeerGone
//   (the call was waiting for, or held by, the driver when it died) or
//   InvalidCapability (the endpoint died with the driver before the call;
//   every later call through it fails so).
// - idempotent(call): for calls whose repetition changes nothing beyond what
//   one call does — dev::serial's get_* and set_* (a setting set twice is
//   set once) and io::file.seek. When the driver is gone, the device is
//   opened again (open(), waiting for the restart) and the call made once
//   more; its result is the caller's. Note that a restarted driver starts
//   from its defaults: settings made before the crash are not remembered.
// - once(call): for calls that must not be repeated behind the caller's
//   back — io::file.read (the bytes would go to nobody) and io::file.write
//   (a write that failed with PeerGone may have sent a prefix of its bytes;
//   dev/serial.ipc says what the caller knows). The error is returned as it
//   is, and the device is closed so that the next call opens it again; the
//   caller decides whether to repeat.
// - open(wait_ticks): devmgr.open; while the registry answers `restarting`
//   (the driver is being restarted), it tries again — at first at once after
//   a Yield, then every timer tick — for up to wait_ticks ticks. Errors:
//   no_device (no such device, or its supervisor gave up on the driver),
//   restarting (still restarting after wait_ticks), the call's errors.
// - One thread uses a Device. Its endpoint copy is deleted on close() and
//   when it is opened again.
#pragma once

#include <stdint.h>

#include <sys/devmgr.ipc.hpp>
#include <user/runtime.hpp>
#include <vesta/ipc/status.hpp>

namespace vesta::user {

inline bool driver_gone(const ipc::Status& status) {
    return status == Error::PeerGone || status == Error::InvalidCapability;
}

template <class Transport>
class Device {
public:
    static constexpr uint64_t kDefaultWaitTicks = 300; // 3 s: a restart takes milliseconds unless backed off
    static constexpr uint32_t kYieldTries = 2000;      // before waiting a tick between tries

    Device(Transport& transport, uint64_t devmgr, uint32_t interface_id, uint32_t index)
        : transport_(transport), devmgr_(devmgr), interface_id_(interface_id), index_(index) {}

    ipc::Status open(uint64_t wait_ticks = kDefaultWaitTicks) {
        close();
        // Made at the first open, so that later ones take nothing from the pool.
        if (never_signalled_ == kNoSlot) (void)create(ObjectType::Notification, 0, &never_signalled_);
        uint64_t waited = 0;
        for (uint32_t tries = 0;; ++tries) {
            auto opened = proto::sys::devmgr::open(transport_, devmgr_, interface_id_, index_);
            if (opened.ok()) {
                endpoint_ = opened.value().device;
                ++opens_;
                return {};
            }
            if (opened.error() != ipc::Status(proto::sys::restarting) || waited >= wait_ticks) return opened.error();
            if (tries < kYieldTries) {
                syscall(Syscall::Yield, 0);
                continue;
            }
            sleep_tick();
            ++waited;
        }
    }

    void close() {
        if (endpoint_ != kNoSlot) invoke(runtime.cspace, CapabilitySpaceLabel::Delete, endpoint_);
        endpoint_ = kNoSlot;
    }

    bool is_open() const { return endpoint_ != kNoSlot; }
    uint64_t endpoint() const { return endpoint_; }
    // How many times open() succeeded (1 + the re-opens).
    uint32_t opens() const { return opens_; }

    template <class Call>
    auto idempotent(Call&& call) -> decltype(call(uint64_t{})) {
        if (!is_open())
            if (const ipc::Status opened = open(); !opened.ok()) return opened;
        auto result = call(endpoint_);
        if (result.ok() || !driver_gone(result.error())) return result;
        if (const ipc::Status opened = open(); !opened.ok()) return result; // the driver's end, as it was seen
        return call(endpoint_);
    }

    template <class Call>
    auto once(Call&& call) -> decltype(call(uint64_t{})) {
        if (!is_open())
            if (const ipc::Status opened = open(); !opened.ok()) return opened;
        auto result = call(endpoint_);
        if (!result.ok() && driver_gone(result.error())) close();
        return result;
    }

private:
    void sleep_tick() {
        if (never_signalled_ == kNoSlot && create(ObjectType::Notification, 0, &never_signalled_) != Error::None) {
            syscall(Syscall::Yield, 0);
            return;
        }
        runtime.ipc_buffer->poll[0] = never_signalled_;
        syscall(Syscall::Poll, 1, {}, 0, 0, 0, 0, kNoSlot, 1);
    }

    Transport& transport_;
    uint64_t devmgr_;
    uint32_t interface_id_;
    uint32_t index_;
    uint64_t endpoint_ = kNoSlot;
    uint64_t never_signalled_ = kNoSlot;
    uint32_t opens_ = 0;
};

} // namespace vesta::user

// userland/drivers/keyboard/keyboard_driver.hpp — the process around one
// KeyboardDevice: what a keyboard driver's main() hands its hardware to
// (i8042, virtio-input; docs/writing-a-driver.md, "Keyboard drivers").
//
// run():
//  1. makes an endpoint and one ipc::ServerLoop on it that also waits on
//     the driver's IRQ notification;
//  2. drains what the device holds (keys typed before the driver ran);
//  3. registers the device with sys::devregistry as a dev::keyboard (a copy
//     of the endpoint with Write and Grant, badge 1) and logs its index;
//  4. serves: calls go to dev::keyboard::dispatch; the notification means
//     "an interrupt": the source is drained, the IRQ handlers acknowledged,
//     the source drained again (what came meanwhile raised no new edge),
//     the held read answered, new drops logged once per burst.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <vesta/ipc/server_loop.hpp>

#include "keyboard_device.hpp"
#include "serial/page_window.hpp"

namespace keyboard {

// The hardware side of a driver.
class KeyboardSource {
public:
    // Take every event the device holds, hand the keys to `device`
    // (KeyboardDevice::key) and clear the device's interrupt condition.
    // Runs on the serving thread, after each interrupt and once at start.
    virtual void drain(KeyboardDevice& device) = 0;

protected:
    KeyboardSource() = default;
    KeyboardSource(const KeyboardSource&) = default;
    KeyboardSource& operator=(const KeyboardSource&) = default;
    ~KeyboardSource() = default;
};

class KeyboardDriver final : public PortHost {
public:
    static constexpr size_t kMaxHandlers = 2;

    // `name` prefixes log lines; `description` names the device in them
    // (e.g. "PS/2 keyboard (ports 0x60, 0x64, IRQ 1)"). Both must outlive the driver.
    KeyboardDriver(const char* name, const char* description) : name_(name), description_(description) {}

    bool add_irq_handler(uint64_t slot);
    // Serve until the loop fails (returns its error; the caller exits).
    Error run(uint64_t notification, KeyboardSource& source);

    // --- PortHost (the device calls these).
    CallToken defer() override;
    Error answer(CallToken call, const ipc::Message& reply) override;
    ipc::Result<size_t> copy_to_pages(const ipc::CapList& pages, uintptr_t buf, size_t position, const uint8_t* data,
                                      size_t length) override {
        return window_.copy_in(pages, buf, position, data, length);
    }
    ipc::Result<size_t> copy_from_pages(const ipc::CapList& pages, uintptr_t buf, size_t position, uint8_t* data,
                                        size_t length) override {
        return window_.copy_out(pages, buf, position, data, length);
    }

private:
    void register_device();
    void on_signal();
    void handle(uint64_t badge, const ipc::Message& request, ipc::Message& reply);

    const char* name_;
    const char* description_;
    ipc::ServerLoop loop_;
    vesta::serial::PageWindow window_;
    KeyboardDevice device_{*this};
    KeyboardSource* source_ = nullptr;
    uint64_t endpoint_ = vesta::kNoSlot;
    uint64_t handlers_[kMaxHandlers] = {};
    size_t handler_count_ = 0;
};

} // namespace keyboard

// userland/drivers/keyboard/keyboard_driver.cpp — KeyboardDriver
// (keyboard_driver.hpp).
#include <sys/devregistry.ipc.hpp>
#include <user/runtime.hpp>
#include <vesta/ipc/syscall_transport.hpp>

#include "keyboard_driver.hpp"

namespace keyboard {

using namespace vesta;
using user::invoke;
using user::InvokeResult;
using user::print;
namespace devregistry = proto::sys::devregistry;

static_assert(serial::kDeferredRead == ipc::kDeferred);

bool KeyboardDriver::add_irq_handler(uint64_t slot) {
    if (handler_count_ == kMaxHandlers || slot == kNoSlot) return false;
    handlers_[handler_count_++] = slot;
    return true;
}

PortHost::CallToken KeyboardDriver::defer() {
    const ipc::DeferredCall call = loop_.defer();
    if (!call) return kNoCall;
    return uint64_t{call.index} << 32 | call.generation;
}

Error KeyboardDriver::answer(CallToken token, const ipc::Message& reply) {
    ipc::DeferredCall call;
    call.index = static_cast<uint32_t>(token >> 32);
    call.generation = static_cast<uint32_t>(token);
    return loop_.answer(call, reply);
}

void KeyboardDriver::register_device() {
    const uint64_t registry = user::service(devregistry::kId);
    if (registry == kNoSlot) {
        print("{}: no device registry in the start-up block: the keyboard cannot be opened\n", name_);
        return;
    }
    // Clients need Write to call and Grant to pass their pages.
    const InvokeResult copy = invoke(user::runtime.cspace, CapabilitySpaceLabel::Copy, kAnySlot, endpoint_,
                                     rights::kWrite | rights::kGrant, 1);
    if (copy.error != Error::None) {
        print("{}: cannot make the keyboard's endpoint: {}\n", name_, error_name(copy.error));
        return;
    }
    ipc::SyscallTransport transport(user::runtime.ipc_buffer);
    auto index = devregistry::new_device(transport, registry, copy.words[0], proto::dev::keyboard::kId);
    invoke(user::runtime.cspace, CapabilitySpaceLabel::Delete, copy.words[0]); // the registry has its copy
    if (index.ok())
        print("{}: {} is keyboard{}\n", name_, description_, index.value());
    else
        print("{}: {}: the device registry refused it (label {:x})\n", name_, description_, index.error().label());
}

void KeyboardDriver::on_signal() {
    source_->drain(device_);
    for (size_t i = 0; i < handler_count_; ++i) invoke(handlers_[i], IrqHandlerLabel::Acknowledge);
    source_->drain(device_);
    device_.answer_pending();
    if (const uint64_t dropped = device_.take_new_drops())
        print("{}: {} key(s) dropped: unknown to the layout, or the buffer ({} bytes) was full\n", name_, dropped,
              KeyBuffer::kCapacity);
}

void KeyboardDriver::handle(uint64_t badge, const ipc::Message& request, ipc::Message& reply) {
    if (badge != 1) {
        ipc::set_error_reply(reply, Error::InvalidCapability); // not an endpoint this driver handed out
        return;
    }
    proto::dev::keyboard::dispatch(device_, request, reply);
}

Error KeyboardDriver::run(uint64_t notification, KeyboardSource& source) {
    source_ = &source;
    if (const Error e = user::create(ObjectType::Endpoint, 0, &endpoint_); e != Error::None) return e;
    ipc::ServerOptions options;
    options.endpoint = endpoint_;
    options.reply_objects = 2; // the call in hand and the one held read
    options.notification = notification;
    if (const Error e = loop_.init(options); e != Error::None) return e;
    source.drain(device_); // typed before the driver started
    register_device();
    on_signal();
    return loop_.run(
        [this](uint64_t badge, const ipc::Message& request, ipc::Message& reply) { handle(badge, request, reply); },
        [this](uint64_t) { on_signal(); });
}

} // namespace keyboard

// userland/svctest/device_tests.cpp — the device registry and manager, and
// the driver loader: registering, opening, counting, a device that does not
// exist, a device whose driver died, and images the loader refuses.
#include <sys/devloader.ipc.hpp>
#include <sys/devmgr.ipc.hpp>
#include <sys/devregistry.ipc.hpp>
#include <sys/procmgr.ipc.hpp>

#include "svctest.hpp"
#include "tests.hpp"

namespace svctest {

namespace sys = vesta::proto::sys;

namespace {

constexpr uint32_t kOwnInterface = 0x5e7d'0002; // svctest's own test devices
constexpr uint32_t kNoInterface = 0x5e7d'00ff;  // nobody registers this one

ipc::Status status_of(const ipc::Result<void>& result) { return result.error(); }
template <class T>
ipc::Status status_of(const ipc::Result<T>& result) {
    return result.ok() ? ipc::Status() : result.error();
}

uint32_t count(Context& ctx, uint32_t interface_id) {
    auto n = sys::devmgr::count(*ctx.transport, ctx.devmgr, interface_id);
    return n.ok() ? n.value() : 0xffff'ffff;
}

Verdict missing_device(Context& ctx) {
    if (count(ctx, kNoInterface) != 0) return fail("count of an interface nobody registered is not 0");
    auto opened = sys::devmgr::open(*ctx.transport, ctx.devmgr, kNoInterface, 0);
    if (Verdict v = expect("open of a missing device", status_of(opened), sys::no_device)) return v;
    auto far = sys::devmgr::open(*ctx.transport, ctx.devmgr, kNoInterface, 0xffff'ffff);
    return expect("open of device 2^32-1", status_of(far), sys::no_device);
}

Verdict register_open_count(Context& ctx) {
    uint64_t first = kNoSlot, second = kNoSlot, notification = kNoSlot;
    create(ObjectType::Endpoint, 0, &first);
    create(ObjectType::Endpoint, 0, &second);
    create(ObjectType::Notification, 0, &notification);
    auto a = sys::devregistry::new_device(*ctx.transport, ctx.devregistry, first, kOwnInterface);
    auto b = sys::devregistry::new_device(*ctx.transport, ctx.devregistry, second, kOwnInterface);
    auto wrong = sys::devregistry::new_device(*ctx.transport, ctx.devregistry, notification, kOwnInterface);
    if (!a.ok() || a.value() != 0 || !b.ok() || b.value() != 1)
        return fail("registrations answered {} and {}", a.ok() ? a.value() : 99, b.ok() ? b.value() : 99);
    if (Verdict v = expect("registering a notification", status_of(wrong), Error::WrongType)) return v;
    if (count(ctx, kOwnInterface) != 2) return fail("count is {}, not 2", count(ctx, kOwnInterface));
    auto opened = sys::devmgr::open(*ctx.transport, ctx.devmgr, kOwnInterface, 1);
    if (!opened.ok()) return fail("open of device 1: {}", status_name(opened.error()));
    // The copy is of `second`: a message sent through it arrives there. The
    // copy has Write and Grant only.
    const uint64_t copy = opened.value().device;
    const InvokeResult info = invoke(runtime.cspace, CapabilitySpaceLabel::Info, copy);
    if (info.words[0] != static_cast<uint64_t>(ObjectType::Endpoint) ||
        info.words[1] != (rights::kWrite | rights::kGrant))
        return fail("the opened device is type {} with rights {:x}", info.words[0], info.words[1]);
    if (syscall(Syscall::TrySend, copy, MessageTag::make(77, 0, 0)).error != Error::WouldBlock)
        return fail("a send through the opened device did not wait for a receiver");
    invoke(runtime.cspace, CapabilitySpaceLabel::Delete, copy);
    auto beyond = sys::devmgr::open(*ctx.transport, ctx.devmgr, kOwnInterface, 2);
    return expect("open of device 2 of 2", status_of(beyond), sys::no_device);
}

// svcdev loaded through procmgr + devloader.
ipc::Result<uint64_t> start_driver(Context& ctx) {
    const size_t size = TRY(read_file(ctx, "svcdev"));
    const uint64_t pid = TRY(sys::procmgr::new_process(*ctx.transport, ctx.procmgr));
    auto loaded = sys::devloader::load(*ctx.transport, ctx.devloader, ipc::CapList{{ctx.image.slot}, 1}, pid, size);
    if (loaded.ok()) loaded = sys::procmgr::start(*ctx.transport, ctx.procmgr, pid);
    if (!loaded.ok()) {
        reap(ctx, pid);
        return loaded.error();
    }
    return pid;
}

Verdict device_whose_driver_died(Context& ctx) {
    auto pid = start_driver(ctx);
    if (!pid.ok()) return fail("loading svcdev: {}", status_name(pid.error()));
    for (int i = 0; i < 100 && count(ctx, kDeviceInterface) == 0; ++i) sleep_ticks(2);
    if (count(ctx, kDeviceInterface) != 1) return fail("svcdev registered no device within 2 s");
    auto opened = sys::devmgr::open(*ctx.transport, ctx.devmgr, kDeviceInterface, 0);
    if (!opened.ok()) return fail("open of svcdev's device: {}", status_name(opened.error()));
    const uint64_t device = opened.value().device;
    // A client blocked on the device (svcdev never receives) when it dies.
    static CallThread caller;
    caller = CallThread{};
    caller.tag = MessageTag::make(1, 1, 0).raw;
    caller.w0 = 5;
    if (const Error e = start_call_thread(caller, device); e != Error::None)
        return fail("starting the calling thread: {}", error_name(e));
    sleep_ticks(5);
    if (caller.done) return fail("the call to a device nobody serves returned ({})", caller.error);
    auto killed = sys::procmgr::kill(*ctx.transport, ctx.procmgr, pid.value(), -15);
    if (Verdict v = expect("kill of the driver", status_of(killed), {})) return v;
    if (!wait_call_thread(caller, 300)) return fail("the blocked client was not woken within 3 s of the driver's end");
    if (caller.error != static_cast<uint64_t>(Error::PeerGone))
        return fail("the blocked client got {}, not PeerGone", error_name(static_cast<Error>(caller.error)));
    // The device is gone from the registry; the client's copy died with it.
    if (count(ctx, kDeviceInterface) != 0) return fail("the dead driver's device is still counted");
    auto again = sys::devmgr::open(*ctx.transport, ctx.devmgr, kDeviceInterface, 0);
    if (Verdict v = expect("open after the driver died", status_of(again), sys::no_device)) return v;
    const SyscallResult late = syscall(Syscall::Call, device, MessageTag::make(1, 0, 0));
    if (late.error != Error::InvalidCapability)
        return fail("a later call through the dead device gave {}, not InvalidCapability", error_name(late.error));
    auto status = sys::procmgr::wait(*ctx.transport, ctx.procmgr, pid.value());
    if (!status.ok() || status.value() != -15) return fail("the driver's status is not the kill's");
    return nullptr;
}

Verdict loader_refusals(Context& ctx) {
    const ipc::CapList page{{ctx.image.slot}, 1};
    auto unknown = sys::devloader::load(*ctx.transport, ctx.devloader, page, 999999, 64);
    if (Verdict v = expect("load into an unknown pid", status_of(unknown), sys::no_process)) return v;
    auto pid = sys::procmgr::new_process(*ctx.transport, ctx.procmgr);
    if (!pid.ok()) return fail("new_process: {}", status_name(pid.error()));
    Verdict verdict = nullptr;
    // An ordinary program has no manifest: refused, and the process stays New.
    auto plain = read_file(ctx, "svcchild");
    if (!plain.ok()) verdict = fail("reading svcchild: {}", status_name(plain.error()));
    if (!verdict)
        verdict =
            expect("a program without a manifest",
                   status_of(sys::devloader::load(*ctx.transport, ctx.devloader, page, pid.value(), plain.value())),
                   sys::bad_manifest);
    __builtin_memset(ctx.image.data, 0xa5, kPageSize);
    if (!verdict)
        verdict = expect("garbage",
                         status_of(sys::devloader::load(*ctx.transport, ctx.devloader, page, pid.value(), kPageSize)),
                         sys::bad_image);
    // Loaded by procmgr: not New any more.
    if (!verdict && plain.ok()) {
        (void)read_file(ctx, "svcchild"); // the garbage test overwrote the image page
        auto loaded = sys::procmgr::load(*ctx.transport, ctx.procmgr, page, pid.value(), plain.value());
        verdict = expect("procmgr.load after the refusals", status_of(loaded), {});
    }
    if (!verdict) {
        auto driver = read_file(ctx, "svcdev");
        if (!driver.ok()) verdict = fail("reading svcdev: {}", status_name(driver.error()));
        if (!verdict)
            verdict = expect(
                "devloader.load into a loaded process",
                status_of(sys::devloader::load(*ctx.transport, ctx.devloader, page, pid.value(), driver.value())),
                sys::bad_state);
    }
    reap(ctx, pid.value());
    return verdict;
}

} // namespace

const Test kDeviceTests[] = {
    {"svc.devices.missing_device", missing_device},
    {"svc.devices.register_open_count", register_open_count},
    {"svc.devices.device_whose_driver_died", device_whose_driver_died},
    {"svc.devloader.refusals", loader_refusals},
    {nullptr, nullptr},
};

} // namespace svctest

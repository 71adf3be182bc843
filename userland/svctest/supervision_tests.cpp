// userland/svctest/supervision_tests.cpp — sysinit's supervisor
// (docs/userland.md, "Supervision"): a driver that crashes as it starts is
// restarted up to its manifest's limit and then given up; a driver killed
// while a client waits in a call releases the client with PeerGone, comes
// back under the same device index, and a kill with status 0 stops it for
// good.
#include <dev/serial.ipc.hpp>
#include <io/file.ipc.hpp>
#include <sys/devloader.ipc.hpp>
#include <sys/devmgr.ipc.hpp>
#include <sys/procmgr.ipc.hpp>
#include <user/device.hpp>

#include "crashstart.hpp"
#include "loop_device.hpp"
#include "tests.hpp"

namespace svctest {

namespace sys = vesta::proto::sys;
namespace io = vesta::proto::io;

namespace {

constexpr uint64_t kConsoleSlot = 255;

// A driver of the initramfs's top level, loaded by path (so supervised),
// with `page` granted at `slot` and the Console at 255, started.
ipc::Result<uint64_t> start_supervised(Context& ctx, const char* name, uint64_t page, uint64_t slot) {
    const size_t length = put(ctx.path, name);
    const uint64_t pid = TRY(sys::procmgr::new_process(*ctx.transport, ctx.procmgr));
    ipc::Result<void> step = sys::devloader::load_path(*ctx.transport, ctx.devloader, ctx.path.slot, pid, 0, length);
    if (step.ok()) step = sys::procmgr::grant(*ctx.transport, ctx.procmgr, page, pid, slot);
    if (step.ok()) step = sys::procmgr::grant(*ctx.transport, ctx.procmgr, runtime.console, pid, kConsoleSlot);
    if (step.ok()) step = sys::procmgr::start(*ctx.transport, ctx.procmgr, pid);
    if (!step.ok()) {
        reap(ctx, pid);
        return step.error();
    }
    return pid;
}

ipc::Status opened_status(Context& ctx, uint32_t interface_id) {
    auto opened = sys::devmgr::open(*ctx.transport, ctx.devmgr, interface_id, 0);
    if (!opened.ok()) return opened.error();
    invoke(runtime.cspace, CapabilitySpaceLabel::Delete, opened.value().device);
    return {};
}

Verdict crash_at_start_given_up(Context& ctx) {
    SharedPage counter;
    if (make_shared_page(1, &counter) != Error::None) return fail("no page for the start count");
    auto* starts = reinterpret_cast<volatile uint64_t*>(counter.data);
    *starts = 0;
    auto pid = start_supervised(ctx, "crashstart", counter.slot, crashstart::kCountSlot);
    if (!pid.ok()) return fail("starting crashstart: {}", status_name(pid.error()));
    // Back-off 10, 20, 40 ms: given up well within 3 s.
    for (int tick = 0; tick < 300; tick += 2) {
        if (*starts == crashstart::kStartsUntilGivenUp &&
            opened_status(ctx, crashstart::kInterface) == ipc::Status(sys::no_device))
            break;
        sleep_ticks(2);
    }
    if (*starts != crashstart::kStartsUntilGivenUp)
        return fail("crashstart started {} times, not {} (the first start and 3 restarts)", *starts,
                    crashstart::kStartsUntilGivenUp);
    if (Verdict v =
            expect("open of the given-up driver's device", opened_status(ctx, crashstart::kInterface), sys::no_device))
        return v;
    sleep_ticks(20); // given up for good: no fifth start
    if (*starts != crashstart::kStartsUntilGivenUp) return fail("crashstart was started again after it was given up");
    auto count = sys::devmgr::count(*ctx.transport, ctx.devmgr, crashstart::kInterface);
    if (!count.ok() || count.value() != 0) return fail("the given-up driver's device is still counted");
    return nullptr;
}

Verdict killed_driver_releases_waiting_client(Context& ctx) {
    SharedPage device, buffer;
    if (make_shared_page(loopdev::kPages, &device) != Error::None || make_shared_page(1, &buffer) != Error::None)
        return fail("no pages for the loop-back device");
    const uint32_t serial = vesta::proto::dev::serial::kId;
    auto pid = start_supervised(ctx, "serialloop", device.slot, loopdev::kDeviceSlot);
    if (!pid.ok()) return fail("starting serialloop: {}", status_name(pid.error()));
    for (int i = 0; i < 100 && opened_status(ctx, serial) != ipc::Status(); ++i) sleep_ticks(2);
    auto opened = sys::devmgr::open(*ctx.transport, ctx.devmgr, serial, 0);
    if (!opened.ok()) return fail("serialloop's port is not serial0: {}", status_name(opened.error()));
    // A reader waits: the loop-back port never receives, so the driver holds the call.
    static CallThread reader;
    reader = CallThread{};
    reader.tag = MessageTag::make(io::file::label::read, 2, 1).raw;
    reader.w0 = 0;
    reader.w1 = 16;
    reader.page = buffer.slot;
    if (const Error e = start_call_thread(reader, opened.value().device); e != Error::None)
        return fail("starting the reading thread: {}", error_name(e));
    sleep_ticks(5);
    if (reader.done) return fail("the read of a port that receives nothing returned ({})", reader.error);
    auto killed = sys::procmgr::kill(*ctx.transport, ctx.procmgr, pid.value(), -9);
    if (Verdict v = expect("kill of the driver", killed.error(), {})) return v;
    if (!wait_call_thread(reader, 300)) return fail("the waiting client was not released within 3 s of the kill");
    if (reader.error != static_cast<uint64_t>(Error::PeerGone))
        return fail("the waiting client got {}, not PeerGone", error_name(static_cast<Error>(reader.error)));
    // Restarted (on-failure, at once): serial0 again, served by a new process.
    user::Device<ipc::SyscallTransport> port(*ctx.transport, ctx.devmgr, serial, 0);
    if (const ipc::Status again = port.open(); !again.ok())
        return fail("serial0 did not come back: {}", status_name(again));
    auto now = sys::devmgr::driver(*ctx.transport, ctx.devmgr, serial, 0);
    if (!now.ok() || now.value() == pid.value()) return fail("serial0 is not served by a new process");
    const uint64_t before = loopdev::registers(device.data).transmitted;
    auto sent = port.once([&](uint64_t endpoint) {
        return io::file::write(*ctx.transport, endpoint, ipc::CapList{{buffer.slot}, 1}, 0, 5);
    });
    if (!sent.ok() || sent.value() != 5 || loopdev::registers(device.data).transmitted != before + 5)
        return fail("a write through the restarted driver did not reach its device");
    port.close();
    // A kill with status 0 is not a failure: on-failure leaves the driver down.
    auto stopped = sys::procmgr::kill(*ctx.transport, ctx.procmgr, now.value(), 0);
    if (Verdict v = expect("kill with status 0", stopped.error(), {})) return v;
    sleep_ticks(5);
    if (Verdict v = expect("open after a clean stop", opened_status(ctx, serial), sys::no_device)) return v;
    auto status = sys::procmgr::wait(*ctx.transport, ctx.procmgr, now.value());
    if (!status.ok() || status.value() != 0) return fail("the stopped driver's status is not 0");
    return nullptr;
}

} // namespace

const Test kSupervisionTests[] = {
    {"svc.supervision.crash_at_start_given_up", crash_at_start_given_up},
    {"svc.supervision.killed_driver_releases_waiting_client", killed_driver_releases_waiting_client},
    {nullptr, nullptr},
};

} // namespace svctest

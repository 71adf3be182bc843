// userland/faultstorm — the fault-injection test under load (usrinit=faultstorm;
// docs/userland.md, "Supervision"). sysinit starts it in place of usrinit.
//
// It loads two serialloop drivers through devloader.load_path (so sysinit
// supervises them), each with a loop-back page of its own granted at
// loopdev::kDeviceSlot and the Console at 255: serial0 is put under fire,
// serial1 is the bystander. Then `faultstorm-count=N` times (kernel command
// line; 100 by default) serial0's driver ends while the client streams
// writes through it — 3 times in 4 by a page fault the driver injects
// inside a write at a random byte, else by procmgr.kill between writes —
// and the client opens the device again through devmgr (user/device.hpp).
//
// Pass (the last line says "faultstorm: PASS"): the system never hangs (the
// boot test's timeout); every acknowledged write reached the device whole,
// in order, once; every write that failed was reported (PeerGone or
// InvalidCapability) and put at most a prefix of its bytes on the device;
// serial0 kept its name and serial1's driver was never restarted and still
// works; sysinit's free pages and this program's are back to their values
// before the storm. It prints the restart count, the mean and worst restart
// time (from the client seeing the failure to the device open again, in the
// guest's clock), the bytes acknowledged and the bytes reported failed.
#include <dev/serial.ipc.hpp>
#include <io/file.ipc.hpp>
#include <sys/devloader.ipc.hpp>
#include <sys/devmgr.ipc.hpp>
#include <sys/procmgr.ipc.hpp>
#include <user/runtime.hpp>

#include "loop_device.hpp"
#include "storm.hpp"

using namespace vesta;
using namespace vesta::user;
using namespace faultstorm;
namespace io = vesta::proto::io;
namespace sys = vesta::proto::sys;

namespace {

constexpr uint64_t kDefaultCount = 100;
constexpr uint64_t kConsoleSlot = 255;

ipc::SyscallTransport& transport() {
    static ipc::SyscallTransport the_transport(runtime.ipc_buffer);
    return the_transport;
}

uint64_t number(const char* name, uint64_t fallback) {
    const char* text = environment(name);
    if (!text || !*text) return fallback;
    uint64_t value = 0;
    for (; *text >= '0' && *text <= '9'; ++text) value = value * 10 + static_cast<uint64_t>(*text - '0');
    return *text ? fallback : value;
}

[[noreturn]] void fail(const char* what, ipc::Status status) {
    print("faultstorm: cannot {}: label {:x}\n", what, status.label());
    print("faultstorm: FAIL\n");
    exit(1);
}

void sleep_ticks(uint64_t ticks) {
    static uint64_t never_signalled = kNoSlot;
    if (never_signalled == kNoSlot && create(ObjectType::Notification, 0, &never_signalled) != Error::None) return;
    runtime.ipc_buffer->poll[0] = never_signalled;
    syscall(Syscall::Poll, 1, {}, 0, 0, 0, 0, kNoSlot, ticks);
}

struct Page {
    uint64_t slot = kNoSlot;
    uint8_t* bytes = nullptr;
};
Page new_page(size_t pages) {
    Page page;
    uint64_t address = 0;
    if (const Error e = map_new_pages(pages, rights::kRead | rights::kWrite, &address, &page.slot); e != Error::None)
        fail("make a page", e);
    page.bytes = reinterpret_cast<uint8_t*>(address);
    return page;
}

// A serialloop driver over `device`, loaded from the initramfs (supervised);
// returns its pid once it registered its port as serial `index`.
uint64_t start_loop_driver(uint64_t procmgr, uint64_t devloader, uint64_t devmgr, const Page& path, const Page& device,
                           uint32_t index) {
    const char kPath[] = "serialloop";
    __builtin_memcpy(path.bytes, kPath, sizeof(kPath) - 1);
    auto pid = sys::procmgr::new_process(transport(), procmgr);
    if (!pid.ok()) fail("make a process", pid.error());
    auto loaded = sys::devloader::load_path(transport(), devloader, path.slot, pid.value(), 0, sizeof(kPath) - 1);
    if (!loaded.ok()) fail("load serialloop", loaded.error());
    auto page = sys::procmgr::grant(transport(), procmgr, device.slot, pid.value(), loopdev::kDeviceSlot);
    if (!page.ok()) fail("grant the device page", page.error());
    auto console = sys::procmgr::grant(transport(), procmgr, runtime.console, pid.value(), kConsoleSlot);
    if (!console.ok()) fail("grant the console", console.error());
    auto started = sys::procmgr::start(transport(), procmgr, pid.value());
    if (!started.ok()) fail("start serialloop", started.error());
    for (int tick = 0; tick < 500; tick += 2) {
        auto count = sys::devmgr::count(transport(), devmgr, proto::dev::serial::kId);
        if (count.ok() && count.value() > index) return pid.value();
        sleep_ticks(2);
    }
    fail("see serialloop register its port", Error::TimedOut);
}

uint64_t free_pages(uint64_t memory) { return invoke(memory, MemoryLabel::Info).words[1]; }

} // namespace

void main(uint64_t) {
    const uint64_t procmgr = service(sys::procmgr::kId), devloader = service(sys::devloader::kId),
                   devmgr = service(sys::devmgr::kId), sysinit_pool = capability_with_note("sysinit-pool");
    if (procmgr == kNoSlot || devloader == kNoSlot || devmgr == kNoSlot || sysinit_pool == kNoSlot) {
        print("faultstorm: started without sysinit's services (usrinit=faultstorm starts it)\nfaultstorm: FAIL\n");
        exit(1);
    }
    const uint64_t count = number("faultstorm-count", kDefaultCount);
    const uint64_t hz = number("counter-hz", 0);
    const uint64_t seed = number("faultstorm-seed", cycle_counter());
    print("faultstorm: {} driver ends under load (seed {}, clock {} Hz)\n", count, seed, hz);

    const Page path = new_page(1), target_page = new_page(loopdev::kPages), bystander_page = new_page(loopdev::kPages),
               write_page = new_page(1);
    const uint64_t target_pid = start_loop_driver(procmgr, devloader, devmgr, path, target_page, 0);
    const uint64_t bystander_pid = start_loop_driver(procmgr, devloader, devmgr, path, bystander_page, 1);
    static faultstorm::Device target(transport(), devmgr, proto::dev::serial::kId, 0);
    static faultstorm::Device bystander(transport(), devmgr, proto::dev::serial::kId, 1);
    if (auto opened = target.open(); !opened.ok()) fail("open serial0", opened);
    if (auto opened = bystander.open(); !opened.ok()) fail("open serial1", opened);
    print("faultstorm: serial0 is serialloop (pid {}), serial1 is serialloop (pid {})\n", target_pid, bystander_pid);

    // Everything the storm needs exists now: the pools' figures before it.
    sleep_ticks(5);
    const uint64_t sysinit_before = free_pages(sysinit_pool), own_before = free_pages(runtime.memory);

    StormSetup setup;
    setup.transport = &transport();
    setup.procmgr = procmgr;
    setup.devmgr = devmgr;
    setup.device = &target;
    setup.page = target_page.bytes;
    setup.write_page = write_page.slot;
    setup.write_bytes = write_page.bytes;
    setup.counter_hz = hz;
    setup.seed = seed;
    const uint64_t started_us = now_us(hz);
    Figures f = run_storm(setup, count);
    const uint64_t took_ms = (now_us(hz) - started_us) / 1000;

    // The bystander: same driver process, still serving.
    auto bystander_now = sys::devmgr::driver(transport(), devmgr, proto::dev::serial::kId, 1);
    if (!bystander_now.ok() || bystander_now.value() != bystander_pid) {
        ++f.problems;
        print("faultstorm: PROBLEM: serial1's driver is not pid {} any more\n", bystander_pid);
    }
    const uint64_t bystander_before = loopdev::registers(bystander_page.bytes).transmitted;
    write_page.bytes[0] = 'x';
    auto sent = bystander.once([&](uint64_t endpoint) {
        return io::file::write(transport(), endpoint, ipc::CapList{{write_page.slot}, 1}, 0, 1);
    });
    if (!sent.ok() || loopdev::registers(bystander_page.bytes).transmitted != bystander_before + 1) {
        ++f.problems;
        print("faultstorm: PROBLEM: serial1 does not work after the storm\n");
    }
    // Every page back: sysinit's (the restarted driver's pool is the same
    // size as the first one's) and this program's.
    sleep_ticks(5);
    const uint64_t sysinit_after = free_pages(sysinit_pool), own_after = free_pages(runtime.memory);
    print("faultstorm: sysinit's pool has {} free pages after the storm, {} before it; faultstorm's {} and {}\n",
          sysinit_after, sysinit_before, own_after, own_before);
    if (sysinit_after != sysinit_before || own_after != own_before) ++f.problems;
    if (f.restarts != count) {
        ++f.problems;
        print("faultstorm: PROBLEM: {} restarts for {} driver ends\n", f.restarts, count);
    }

    const uint64_t mean = f.restarts ? f.restart_total_us / f.restarts : 0;
    print("faultstorm: {} restarts ({} crashes inside a write, {} kills) in {} ms; restart time mean {} us, worst {} "
          "us\n",
          f.restarts, f.crashes, f.kills, took_ms, mean, f.restart_worst_us);
    print("faultstorm: {} writes; {} bytes acknowledged, all of them on the device once and in order; "
          "{} writes reported failed ({} bytes, of which {} reached the device before the crash); 0 unreported\n",
          f.writes, f.bytes_acknowledged, f.failed_writes, f.bytes_failed, f.bytes_of_failed_on_device);
    print("faultstorm: {}\n", f.problems == 0 ? "PASS" : "FAIL");
    exit(f.problems == 0 ? 0 : 1);
}

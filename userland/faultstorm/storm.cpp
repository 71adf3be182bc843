// userland/faultstorm/storm.cpp — storm.hpp.
#include "storm.hpp"

#include <dev/serial.ipc.hpp>
#include <io/file.ipc.hpp>
#include <sys/devmgr.ipc.hpp>
#include <sys/procmgr.ipc.hpp>
#include <user/runtime.hpp>

#include "loop_device.hpp"

namespace faultstorm {

using namespace vesta;
using namespace vesta::user;
namespace io = vesta::proto::io;
namespace sys = vesta::proto::sys;

namespace {

constexpr size_t kMaxWrite = 300; // bytes per write: more than the core's 256-byte chunk
constexpr uint64_t kMaxWritesPerEnd = 64;

struct Random {
    uint64_t state;
    uint64_t next() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    }
    uint64_t below(uint64_t n) { return next() % n; }
};

// The byte at `offset` of write number `write`: a write's bytes differ from
// its neighbours', so a byte written twice or out of place is seen.
uint8_t pattern(uint64_t write, size_t offset) {
    return static_cast<uint8_t>((write * 131 + offset * 7 + (offset >> 8)) ^ (write >> 3));
}

template <class... Args>
void problem(Figures& figures, const char* pattern_text, const Args&... args) {
    ++figures.problems;
    char text[200];
    BufferSink sink(text, sizeof(text));
    format(sink, pattern_text, args...);
    print("faultstorm: PROBLEM: {}\n", static_cast<const char*>(text));
}

class Storm {
public:
    Storm(const StormSetup& setup, Figures& figures)
        : s_(setup), f_(figures), regs_(loopdev::registers(setup.page)), random_{setup.seed | 1} {}

    // One write of `length` bytes; returns false when the driver was gone.
    bool write(size_t length) {
        const uint64_t id = ++f_.writes;
        for (size_t i = 0; i < length; ++i) s_.write_bytes[i] = pattern(id, i);
        const uint64_t before = __atomic_load_n(&regs_.transmitted, __ATOMIC_ACQUIRE);
        auto sent = s_.device->once([&](uint64_t endpoint) {
            return io::file::write(*s_.transport, endpoint, ipc::CapList{{s_.write_page}, 1}, 0, length);
        });
        const uint64_t after = __atomic_load_n(&regs_.transmitted, __ATOMIC_ACQUIRE);
        const uint64_t reached = after - before;
        // What reached the device is this write's bytes, in order, from its first.
        if (reached > length)
            problem(f_, "write {}: {} bytes reached the device, {} were written", id, reached, length);
        for (uint64_t i = 0; i < reached && i < length; ++i) {
            if (loopdev::ring(s_.page)[(before + i) % loopdev::kRingBytes] != pattern(id, i)) {
                problem(f_, "write {}: byte {} on the device is not the byte written", id, i);
                break;
            }
        }
        if (sent.ok()) {
            if (sent.value() != length || reached != length)
                problem(f_, "write {}: acknowledged {} of {} bytes, {} reached the device", id, sent.value(), length,
                        reached);
            f_.bytes_acknowledged += sent.value();
            return true;
        }
        if (!driver_gone(sent.error())) {
            problem(f_, "write {}: failed with label {:x}, not PeerGone or InvalidCapability", id,
                    sent.error().label());
            return true;
        }
        ++f_.failed_writes;
        f_.bytes_failed += length;
        f_.bytes_of_failed_on_device += reached;
        return false;
    }

    // The driver is gone (seen at `since_us`): open the device again.
    bool reopen(uint64_t since_us) {
        const ipc::Status opened = s_.device->open(1000); // 10 s
        if (!opened.ok()) {
            problem(f_, "the device did not come back: label {:x}", opened.label());
            return false;
        }
        const uint64_t took = now_us(s_.counter_hz) - since_us;
        ++f_.restarts;
        f_.restart_total_us += took;
        if (took > f_.restart_worst_us) f_.restart_worst_us = took;
        return true;
    }

    // A crash inside one of the next writes.
    bool crash() {
        regs_.crash_after = 1 + random_.below(3 * kMaxWrite);
        const uint64_t crashes = regs_.crashes;
        for (uint64_t i = 0; i < kMaxWritesPerEnd; ++i) {
            if (write(1 + random_.below(kMaxWrite))) continue;
            const uint64_t seen = now_us(s_.counter_hz);
            if (regs_.crashes != crashes + 1) problem(f_, "a write failed but the driver injected no crash");
            ++f_.crashes;
            return reopen(seen);
        }
        problem(f_, "the driver did not crash within {} writes", kMaxWritesPerEnd);
        regs_.crash_after = 0;
        return false;
    }

    // A kill between writes: the next write fails (the endpoint died).
    bool kill() {
        for (uint64_t i = random_.below(4); i > 0; --i)
            if (!write(1 + random_.below(kMaxWrite))) problem(f_, "a write failed before the kill");
        auto pid = sys::devmgr::driver(*s_.transport, s_.devmgr, vesta::proto::dev::serial::kId, 0);
        if (!pid.ok()) {
            problem(f_, "devmgr.driver: label {:x}", pid.error().label());
            return false;
        }
        const uint64_t since = now_us(s_.counter_hz);
        auto killed = sys::procmgr::kill(*s_.transport, s_.procmgr, pid.value(), -9);
        if (!killed.ok()) problem(f_, "procmgr.kill: label {:x}", killed.error().label());
        ++f_.kills;
        if (write(1 + random_.below(kMaxWrite))) problem(f_, "a write through the killed driver's endpoint succeeded");
        return reopen(since);
    }

    bool end() { return random_.below(4) == 0 ? kill() : crash(); }

private:
    const StormSetup& s_;
    Figures& f_;
    loopdev::Registers& regs_;
    Random random_;
};

} // namespace

uint64_t now_us(uint64_t counter_hz) {
    const uint64_t cycles = cycle_counter();
    if (counter_hz == 0) return cycles;
    return cycles / counter_hz * 1000000 + cycles % counter_hz * 1000000 / counter_hz;
}

Figures run_storm(const StormSetup& setup, uint64_t count) {
    Figures figures;
    Storm storm(setup, figures);
    for (uint64_t i = 0; i < count; ++i) {
        if (!storm.end()) break;
        if ((i + 1) % 100 == 0) print("faultstorm: {} of {} driver ends\n", i + 1, count);
    }
    // A few writes after the storm: the device works.
    for (int i = 0; i < 8; ++i)
        if (!storm.write(64)) problem(figures, "a write after the storm failed");
    return figures;
}

} // namespace faultstorm

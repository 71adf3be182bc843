// kernel/smp/bring_up.hpp — starting the secondary CPUs one after another,
// each within a bounded time (docs/smp.md).
//
// Portable and host-tested: the backend is a `Starter` with
//   Result<void> start(CpuRecord&)  prepare the CPU's stacks and per-CPU data
//                                   and ask the hardware or firmware to start
//                                   it at the backend's secondary entry;
//   uint64_t microseconds()         a monotonic clock (x86_64: the PIT;
//                                   aarch64: the generic timer);
//   void relax()                    a pause between polls;
//   void abandon(CpuRecord&)        the CPU did not answer: make it stay away
//                                   if the hardware allows (x86_64: INIT).
// One CPU at a time: a CPU is started only when the one before it arrived
// or was given up, so the backends can hand each CPU its stack through one
// shared handoff block. A CPU that never answers costs `timeout` and is
// reported, never waited for again.
#pragma once

#include <lib/result.hpp>

#include "cpu_table.hpp"

namespace vesta {

// The bound for one CPU's arrival. Real CPUs answer within microseconds;
// under QEMU's TCG the start-to-arrival time follows the host's load (2 to
// 82 ms seen with 8 emulators on 2 host cores, and some past 100 ms), so the
// bound is generous: a CPU that never answers costs one second of boot.
inline constexpr uint64_t kCpuStartTimeoutMicroseconds = 1'000'000;

template <class Starter>
void bring_up_secondaries(CpuTable& table, Starter& starter, uint64_t timeout_microseconds) {
    for (uint32_t i = 1; i < table.count(); ++i) {
        CpuRecord& cpu = table[i];
        if (cpu.state() != CpuState::Listed) continue;
        cpu.set_state(CpuState::Starting);
        const uint64_t begin = starter.microseconds();
        if (!starter.start(cpu).ok()) {
            cpu.set_state(CpuState::StartFailed);
            continue;
        }
        for (;;) {
            const uint64_t elapsed = starter.microseconds() - begin;
            if (cpu.state() == CpuState::Online) {
                cpu.start_microseconds = elapsed;
                break;
            }
            if (elapsed >= timeout_microseconds) {
                if (cpu.give_up()) {
                    starter.abandon(cpu);
                    break;
                }
                continue; // it arrived just now
            }
            starter.relax();
        }
    }
}

} // namespace vesta

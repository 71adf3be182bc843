// kernel/smp/cpu_table.hpp — every CPU the firmware lists, and how far each
// got in bring-up (docs/smp.md).
//
// Portable and host-tested: the backend turns its firmware's list (x86_64:
// the MADT's local APICs; aarch64: the device tree's /cpus) into FirmwareCpu
// entries, the table orders and bounds them, and the bring-up loop
// (bring_up.hpp) records each CPU's fate in its CpuRecord.
//
// Concurrency: while the boot CPU brings the others up, a record's `state`
// is the one field two CPUs touch, and only through the atomic transitions
// below (arrive, give_up). Everything else in a record is written by the boot
// CPU before it starts that CPU and read-only afterwards.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <lib/kernel_stack.hpp>

namespace vesta {

struct Cpu;

// Upper bound on the CPUs this kernel tracks; firmware entries past it are
// counted (CpuTable::beyond_limit) and never started.
inline constexpr uint32_t kMaxCpus = 64;

// A processor as the firmware lists it.
struct FirmwareCpu {
    uint64_t arch_id = 0;  // x86_64: local APIC ID; aarch64: MPIDR_EL1 affinity bits
    bool enabled = true;   // the firmware says it may be started (MADT flags, DT status)
    bool startable = true; // this kernel knows its start method (aarch64: psci, spin-table)
};

enum class CpuState : uint32_t {
    Listed,      // known, not asked to start yet
    Disabled,    // the firmware marks it unusable: never started
    Unstartable, // a start method this kernel does not know: never started
    Starting,    // asked to start, not arrived yet
    Online,      // arrived in secondary_main and idles (the boot CPU: running the kernel)
    NoAnswer,    // did not arrive within the bound: skipped for good
    StartFailed, // preparing or asking failed (no memory for its stacks, PSCI error)
};

const char* cpu_state_name(CpuState state);

struct CpuRecord {
    uint32_t index = 0;              // 0 is the boot CPU; the others follow the firmware's order
    uint64_t arch_id = 0;            // as in FirmwareCpu
    KernelStack kernel_stack;        // every kernel entry on this CPU runs on it; a guard page below
    void* arch = nullptr;            // the backend's per-CPU data (arch/*/kernel/per_cpu.hpp)
    uint64_t start_microseconds = 0; // from the start request to its arrival (Online only)
    uint64_t release_address = 0;    // aarch64 spin-table: the firmware's cpu-release-addr
    // Its scheduler state (kernel.hpp), published by the boot CPU once the
    // kernel exists (release); the CPU waits for it in secondary_main.
    Cpu* scheduler = nullptr;

    CpuState state() const { return static_cast<CpuState>(__atomic_load_n(&state_, __ATOMIC_ACQUIRE)); }
    // Boot CPU only, before the CPU is started or after it gave up on it.
    void set_state(CpuState state) { __atomic_store_n(&state_, static_cast<uint32_t>(state), __ATOMIC_RELEASE); }
    // Called by the CPU itself when it arrives: Starting -> Online. False when
    // the boot CPU already gave up on it (NoAnswer): the CPU must then stop
    // without touching anything else.
    bool arrive() { return transition(CpuState::Starting, CpuState::Online); }
    // Called by the boot CPU when the bound has passed: Starting -> NoAnswer.
    // False when the CPU arrived in the meantime (it is Online).
    bool give_up() { return transition(CpuState::Starting, CpuState::NoAnswer); }

private:
    bool transition(CpuState from, CpuState to) {
        uint32_t expected = static_cast<uint32_t>(from);
        return __atomic_compare_exchange_n(&state_, &expected, static_cast<uint32_t>(to), false, __ATOMIC_ACQ_REL,
                                           __ATOMIC_ACQUIRE);
    }
    uint32_t state_ = static_cast<uint32_t>(CpuState::Listed);
};

// The CPUs of this machine, boot CPU first. Records live in storage the
// caller provides (the kernel: boot-time pages; tests: an array).
class CpuTable {
public:
    // Records needed for a firmware list of `listed` entries: one each, one
    // more in case the boot CPU is missing from it, at most kMaxCpus.
    static uint32_t records_needed(uint32_t listed) { return listed + 1 < kMaxCpus ? listed + 1 : kMaxCpus; }

    // Fills the table from the firmware's list. The boot CPU (arch id
    // `boot_id`) is index 0 and Online whatever its place in the list (and is
    // added when the list omits it: boot_cpu_unlisted); the others follow in
    // the list's order, Listed, Disabled or Unstartable. An id already taken
    // is dropped (duplicates); entries past `capacity` or kMaxCpus are
    // dropped (beyond_limit). `storage` holds `capacity` records.
    void build(const FirmwareCpu* listed, uint32_t listed_count, uint64_t boot_id, CpuRecord* storage,
               uint32_t capacity);

    uint32_t count() const { return count_; }
    CpuRecord& operator[](uint32_t index) { return records_[index]; }
    const CpuRecord& operator[](uint32_t index) const { return records_[index]; }
    // The record of `arch_id`, or null.
    CpuRecord* find(uint64_t arch_id);
    uint32_t count_in(CpuState state) const;

    uint32_t duplicates = 0;
    uint32_t beyond_limit = 0;
    bool boot_cpu_unlisted = false;

private:
    CpuRecord* records_ = nullptr;
    uint32_t count_ = 0;
};

} // namespace vesta

// kernel/smp/cpu_table.cpp — the CPU table built from the firmware's list.
#include "cpu_table.hpp"

namespace vesta {

const char* cpu_state_name(CpuState state) {
    switch (state) {
    case CpuState::Listed: return "listed";
    case CpuState::Disabled: return "disabled by the firmware";
    case CpuState::Unstartable: return "no start method this kernel knows";
    case CpuState::Starting: return "starting";
    case CpuState::Online: return "online";
    case CpuState::NoAnswer: return "did not answer";
    case CpuState::StartFailed: return "could not be started";
    }
    return "?";
}

void CpuTable::build(const FirmwareCpu* listed, uint32_t listed_count, uint64_t boot_id, CpuRecord* storage,
                     uint32_t capacity) {
    records_ = storage;
    count_ = 0;
    duplicates = beyond_limit = 0;
    boot_cpu_unlisted = false;
    if (capacity > kMaxCpus) capacity = kMaxCpus;
    if (capacity == 0) return;
    auto add = [&](uint64_t arch_id, CpuState state) {
        CpuRecord& record = records_[count_];
        record = CpuRecord{};
        record.index = count_++;
        record.arch_id = arch_id;
        record.set_state(state);
    };
    add(boot_id, CpuState::Online);
    bool boot_listed = false;
    for (uint32_t i = 0; i < listed_count; ++i) {
        const FirmwareCpu& cpu = listed[i];
        if (cpu.arch_id == boot_id) {
            if (boot_listed) ++duplicates;
            boot_listed = true;
            continue;
        }
        if (find(cpu.arch_id)) {
            ++duplicates;
            continue;
        }
        if (count_ == capacity) {
            ++beyond_limit;
            continue;
        }
        add(cpu.arch_id, !cpu.enabled ? CpuState::Disabled : !cpu.startable ? CpuState::Unstartable : CpuState::Listed);
    }
    boot_cpu_unlisted = !boot_listed;
}

CpuRecord* CpuTable::find(uint64_t arch_id) {
    for (uint32_t i = 0; i < count_; ++i)
        if (records_[i].arch_id == arch_id) return &records_[i];
    return nullptr;
}

uint32_t CpuTable::count_in(CpuState state) const {
    uint32_t n = 0;
    for (uint32_t i = 0; i < count_; ++i)
        if (records_[i].state() == state) ++n;
    return n;
}

} // namespace vesta

// Tests of kernel/smp/cpu_table: the CPU table from the firmware's list.
#include <catch2/catch_test_macros.hpp>
#include <smp/cpu_table.hpp>

using namespace vesta;

namespace {

FirmwareCpu listed(uint64_t id, bool enabled = true, bool startable = true) {
    return FirmwareCpu{id, enabled, startable};
}

} // namespace

TEST_CASE("the boot CPU is index 0 and online wherever the firmware lists it") {
    const FirmwareCpu list[] = {listed(0), listed(1), listed(2), listed(3)};
    CpuRecord storage[8];
    CpuTable table;
    table.build(list, 4, 2, storage, CpuTable::records_needed(4));
    REQUIRE(table.count() == 4);
    CHECK(table[0].arch_id == 2);
    CHECK(table[0].state() == CpuState::Online);
    CHECK(table[1].arch_id == 0);
    CHECK(table[2].arch_id == 1);
    CHECK(table[3].arch_id == 3);
    for (uint32_t i = 0; i < 4; ++i) CHECK(table[i].index == i);
    for (uint32_t i = 1; i < 4; ++i) CHECK(table[i].state() == CpuState::Listed);
    CHECK_FALSE(table.boot_cpu_unlisted);
    CHECK(table.duplicates == 0);
    CHECK(table.count_in(CpuState::Online) == 1);
    CHECK(table.find(3) == &table[3]);
    CHECK(table.find(7) == nullptr);
}

TEST_CASE("a boot CPU the firmware omits is still index 0, and said to be unlisted") {
    const FirmwareCpu list[] = {listed(0x100), listed(0x101)};
    CpuRecord storage[3];
    CpuTable table;
    table.build(list, 2, 0, storage, CpuTable::records_needed(2));
    REQUIRE(table.count() == 3);
    CHECK(table[0].arch_id == 0);
    CHECK(table.boot_cpu_unlisted);
    CHECK(table[1].arch_id == 0x100);
}

TEST_CASE("disabled and unstartable CPUs are kept but never listed for a start") {
    const FirmwareCpu list[] = {listed(0), listed(1, false), listed(2, true, false), listed(3)};
    CpuRecord storage[5];
    CpuTable table;
    table.build(list, 4, 0, storage, 5);
    REQUIRE(table.count() == 4);
    CHECK(table[1].state() == CpuState::Disabled);
    CHECK(table[2].state() == CpuState::Unstartable);
    CHECK(table[3].state() == CpuState::Listed);
    CHECK(table.count_in(CpuState::Listed) == 1);
}

TEST_CASE("repeated ids are dropped and counted") {
    const FirmwareCpu list[] = {listed(0), listed(1), listed(1), listed(0), listed(2)};
    CpuRecord storage[6];
    CpuTable table;
    table.build(list, 5, 0, storage, 6);
    CHECK(table.count() == 3);
    CHECK(table.duplicates == 2);
}

TEST_CASE("the table is bounded by its storage and by kMaxCpus") {
    FirmwareCpu list[100];
    for (uint32_t i = 0; i < 100; ++i) list[i] = listed(i);
    CHECK(CpuTable::records_needed(100) == kMaxCpus);
    CHECK(CpuTable::records_needed(3) == 4);
    static CpuRecord storage[100];
    CpuTable table;
    table.build(list, 100, 0, storage, 100);
    CHECK(table.count() == kMaxCpus);
    CHECK(table.beyond_limit == 100 - kMaxCpus);
    CHECK(table[kMaxCpus - 1].arch_id == kMaxCpus - 1);

    CpuTable small;
    small.build(list, 100, 50, storage, 4);
    CHECK(small.count() == 4);
    CHECK(small[0].arch_id == 50);
    CHECK(small[3].arch_id == 2);
    CHECK(small.beyond_limit == 100 - 4); // 96 others past the 3 that fit (the boot CPU's entry is not one)
}

TEST_CASE("an empty list or no storage gives a table of the boot CPU or nothing") {
    CpuRecord storage[1];
    CpuTable table;
    table.build(nullptr, 0, 5, storage, 1);
    CHECK(table.count() == 1);
    CHECK(table[0].arch_id == 5);
    CHECK(table.boot_cpu_unlisted);
    CpuTable none;
    none.build(nullptr, 0, 5, storage, 0);
    CHECK(none.count() == 0);
}

TEST_CASE("arrival and giving up exclude each other") {
    CpuRecord cpu;
    cpu.set_state(CpuState::Starting);
    CHECK(cpu.arrive());
    CHECK(cpu.state() == CpuState::Online);
    CHECK_FALSE(cpu.give_up());
    CHECK(cpu.state() == CpuState::Online);

    CpuRecord late;
    late.set_state(CpuState::Starting);
    CHECK(late.give_up());
    CHECK(late.state() == CpuState::NoAnswer);
    CHECK_FALSE(late.arrive());
    CHECK(late.state() == CpuState::NoAnswer);

    CpuRecord never_started;
    CHECK_FALSE(never_started.arrive()); // Listed: a stray CPU cannot make itself online
    CHECK(never_started.state() == CpuState::Listed);
}

// Tests of kernel/smp/bring_up: one CPU at a time, each within its bound.
#include <catch2/catch_test_macros.hpp>
#include <smp/bring_up.hpp>

#include <vector>

using namespace vesta;

namespace {

// A machine whose CPUs answer after a set delay (in clock steps), never, or
// whose start request fails. Each relax() advances the clock by 10 us.
struct FakeMachine {
    enum class Behaviour { Answers, Silent, Refuses, AnswersAtTheBound };
    std::vector<Behaviour> behaviour; // by table index
    uint64_t answer_after = 50;       // microseconds after the start request
    uint64_t now = 0;
    CpuRecord* starting = nullptr;
    uint64_t started_at = 0;
    std::vector<uint32_t> started, abandoned;
    uint64_t timeout = 0;

    Result<void> start(CpuRecord& cpu) {
        if (starting) FAIL("a CPU was started before the previous one arrived or was given up");
        CHECK(cpu.state() == CpuState::Starting);
        if (behaviour[cpu.index] == Behaviour::Refuses) return Error::NotFound;
        started.push_back(cpu.index);
        starting = &cpu;
        started_at = now;
        return {};
    }
    uint64_t microseconds() {
        if (starting) {
            const Behaviour b = behaviour[starting->index];
            const uint64_t delay = b == Behaviour::AnswersAtTheBound ? timeout : answer_after;
            if (b != Behaviour::Silent && now - started_at >= delay) {
                CHECK(starting->arrive());
                starting = nullptr;
            }
        }
        return now;
    }
    void relax() { now += 10; }
    void abandon(CpuRecord& cpu) {
        CHECK(cpu.state() == CpuState::NoAnswer);
        abandoned.push_back(cpu.index);
        starting = nullptr;
    }
};

CpuTable table_of(uint32_t n, CpuRecord* storage) {
    FirmwareCpu list[8];
    for (uint32_t i = 0; i < n; ++i) list[i] = FirmwareCpu{i, true, true};
    CpuTable table;
    table.build(list, n, 0, storage, n);
    return table;
}

} // namespace

TEST_CASE("every CPU that answers comes online, one after another") {
    CpuRecord storage[4];
    CpuTable table = table_of(4, storage);
    FakeMachine machine;
    machine.behaviour.assign(4, FakeMachine::Behaviour::Answers);
    machine.timeout = 100'000;
    bring_up_secondaries(table, machine, machine.timeout);
    CHECK(machine.started == std::vector<uint32_t>{1, 2, 3});
    CHECK(table.count_in(CpuState::Online) == 4);
    CHECK(table[2].start_microseconds == 50);
    CHECK(machine.abandoned.empty());
}

TEST_CASE("a silent CPU is given up after the bound, abandoned, and the next one still starts") {
    CpuRecord storage[4];
    CpuTable table = table_of(4, storage);
    FakeMachine machine;
    machine.behaviour = {FakeMachine::Behaviour::Answers, FakeMachine::Behaviour::Answers,
                         FakeMachine::Behaviour::Silent, FakeMachine::Behaviour::Answers};
    machine.timeout = 1000;
    bring_up_secondaries(table, machine, machine.timeout);
    CHECK(table[2].state() == CpuState::NoAnswer);
    CHECK(machine.abandoned == std::vector<uint32_t>{2});
    CHECK(table[3].state() == CpuState::Online);
    CHECK(table.count_in(CpuState::Online) == 3);
    CHECK(machine.now >= 1000);
    CHECK(machine.now < 1000 + 200); // bounded: the silent CPU cost its timeout, no more
}

TEST_CASE("a CPU arriving exactly at the bound is online, not abandoned") {
    CpuRecord storage[2];
    CpuTable table = table_of(2, storage);
    FakeMachine machine;
    machine.behaviour = {FakeMachine::Behaviour::Answers, FakeMachine::Behaviour::AnswersAtTheBound};
    machine.timeout = 1000;
    bring_up_secondaries(table, machine, machine.timeout);
    CHECK(table[1].state() == CpuState::Online);
    CHECK(machine.abandoned.empty());
}

TEST_CASE("a refused start is recorded and costs no wait") {
    CpuRecord storage[3];
    CpuTable table = table_of(3, storage);
    FakeMachine machine;
    machine.behaviour = {FakeMachine::Behaviour::Answers, FakeMachine::Behaviour::Refuses,
                         FakeMachine::Behaviour::Answers};
    machine.timeout = 100'000;
    bring_up_secondaries(table, machine, machine.timeout);
    CHECK(table[1].state() == CpuState::StartFailed);
    CHECK(table[2].state() == CpuState::Online);
    CHECK(machine.now < 1000);
}

TEST_CASE("disabled and unstartable CPUs are never started") {
    const FirmwareCpu list[] = {{0, true, true}, {1, false, true}, {2, true, false}};
    CpuRecord storage[3];
    CpuTable table;
    table.build(list, 3, 0, storage, 3);
    FakeMachine machine;
    machine.behaviour.assign(3, FakeMachine::Behaviour::Answers);
    machine.timeout = 1000;
    bring_up_secondaries(table, machine, machine.timeout);
    CHECK(machine.started.empty());
    CHECK(table[1].state() == CpuState::Disabled);
    CHECK(table[2].state() == CpuState::Unstartable);
}

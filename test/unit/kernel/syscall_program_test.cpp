// The stateful syscall fuzzer's programs as deterministic host tests: the
// committed seed corpus and a batch of random programs, each on two kernels
// (fast path and general path only) with every invariant checked after every
// step (test/support/syscall_program.hpp).
#include <catch2/catch_test_macros.hpp>
#include <dirent.h>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "syscall_program.hpp"
#include <vesta/error.hpp>
#include <vesta/syscall.hpp>

using namespace vesta::test;

#ifndef VESTA_SOURCE_ROOT
#define VESTA_SOURCE_ROOT "."
#endif

TEST_CASE("the syscall fuzzer's seed corpus runs clean on both paths", "[fuzz][program]") {
    const std::string directory = std::string(VESTA_SOURCE_ROOT) + "/test/fuzz/corpus/kernel_syscalls";
    DIR* listing = opendir(directory.c_str());
    REQUIRE(listing);
    size_t programs = 0;
    while (dirent* entry = readdir(listing)) {
        if (entry->d_name[0] == '.') continue;
        std::ifstream file(directory + "/" + entry->d_name, std::ios::binary);
        const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
        const ProgramOutcome outcome = run_program(bytes.data(), bytes.size(), true);
        INFO(entry->d_name);
        CHECK(outcome.failure.empty());
        if (!outcome.failure.empty()) UNSCOPED_INFO(outcome.failure);
        ++programs;
    }
    closedir(listing);
    CHECK(programs >= 10);
}

TEST_CASE("random syscall programs keep every invariant and agree on both paths", "[fuzz][program]") {
    std::mt19937 random(20261201);
    size_t steps = 0, syscalls = 0, totals[32] = {}, fast[16] = {};
    for (int program = 0; program < 150; ++program) {
        std::vector<uint8_t> bytes(400 + random() % 2000);
        for (uint8_t& b : bytes) b = static_cast<uint8_t>(random());
        const ProgramOutcome outcome = run_program(bytes.data(), bytes.size(), true);
        INFO("program " << program << ": " << outcome.failure);
        REQUIRE(outcome.failure.empty());
        steps += outcome.steps;
        syscalls += outcome.syscalls;
        for (size_t e = 0; e < 32; ++e) totals[e] += outcome.results[e];
        for (size_t n = 0; n < 16; ++n) fast[n] += outcome.fast_taken[n];
    }
    // The fast paths ran (and agreed with the general path after each step).
    // The harness runs whichever task a step names, often below a ready
    // higher-priority one, where most fast paths rightly decline; a blocking
    // Wait never depends on that. The other cases are scripted in
    // ipc/notification_fast_path_test.cpp and scenario/scenario_test.cpp.
    using vesta::Syscall;
    for (Syscall s : {Syscall::Call, Syscall::ReplyRecv, Syscall::Signal, Syscall::Wait, Syscall::Yield})
        UNSCOPED_INFO("fast path of syscall " << int(s) << " taken " << fast[size_t(s)] << " times");
    CHECK(fast[size_t(Syscall::Wait)] > 20);
    CHECK(syscalls > 1000);
    CHECK(steps > syscalls);
    for (size_t e = 0; e < 32; ++e)
        if (totals[e]) UNSCOPED_INFO(vesta::error_name(vesta::Error(e)) << ": " << totals[e]);
    CHECK(totals[0] > syscalls / 20); // a fair share of calls get through the checks
    WARN("results of " << syscalls << " syscalls (see -s)");
}

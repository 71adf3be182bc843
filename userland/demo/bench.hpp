// userland/demo/bench.hpp — the benchmarks behind scripts/bench.
#pragma once

#include <stdint.h>
#include <vesta/root_info.hpp>

// `profile`: bracketed rounds for scripts/profile-path instead of figures.
void run_benchmarks(const vesta::RootInfo& info, uint64_t start_count, bool profile);

// `bench wall` (scripts/bench --tlb-tags, without -icount): the cross-space
// call/reply round trip in nanoseconds of the cycle counter, the median of
// kWallRuns runs of kWallRounds round trips:
//   ipc_call_reply_rtt_wall <N> ns
void run_wall_benchmark(const vesta::RootInfo& info);

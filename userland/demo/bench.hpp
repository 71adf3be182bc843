// userland/demo/bench.hpp — the benchmarks behind scripts/bench.
#pragma once

#include <stdint.h>
#include <vesta/root_info.hpp>

void run_benchmarks(const vesta::RootInfo& info, uint64_t start_count);

// userland/demo/bench.hpp — the benchmarks behind scripts/bench.
#pragma once

#include <stdint.h>
#include <vesta/root_info.hpp>

// `profile`: bracketed rounds for scripts/profile-path instead of figures.
void run_benchmarks(const vesta::RootInfo& info, uint64_t start_count, bool profile);

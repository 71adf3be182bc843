// userland/tests/main.cpp — the suite's entry: the kernel starts this image as
// `root` (the supervisor); the supervisor starts it again per test (a runner).
#include <vesta/root_info.hpp>

#include "suite.hpp"

namespace suite {
void supervisor_main(const RootInfo& info);
void runner_main();
} // namespace suite

void main(uint64_t argument) {
    if (argument == vesta::kRootInfoAddress)
        suite::supervisor_main(*reinterpret_cast<const vesta::RootInfo*>(argument));
    else
        suite::runner_main();
}

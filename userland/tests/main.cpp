// userland/tests/main.cpp — the suite's entry: the kernel starts this image as
// `root` (the supervisor); the supervisor starts it again per test (a runner);
// the fuzzer tests start it again as fuzzing tasks.
#include <vesta/root_info.hpp>

#include "fuzz.hpp"

namespace suite {
void supervisor_main(const RootInfo& info);
void runner_main();
} // namespace suite

void main(uint64_t argument) {
    using vesta::user::runtime;
    if (argument == vesta::kRootInfoAddress)
        suite::supervisor_main(*reinterpret_cast<const vesta::RootInfo*>(argument));
    else if (runtime.ipc_buffer && runtime.ipc_buffer->user[0] == suite::kFuzzerRole)
        suite::fuzz_task_main(); // a fuzzing task a runner started (fuzz_tests.cpp)
    else
        suite::runner_main();
}

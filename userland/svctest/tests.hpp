// userland/svctest/tests.hpp — svctest's tests, by service. Each returns
// nullptr when it passes, or why it failed (support.hpp).
#pragma once

#include "support.hpp"

namespace svctest {

struct Test {
    const char* name;
    Verdict (*run)(Context& ctx);
};

// fs_tests.cpp, process_tests.cpp, device_tests.cpp, malformed_tests.cpp, supervision_tests.cpp:
// each list ends with a {nullptr, nullptr} entry.
extern const Test kFilesystemTests[];
extern const Test kProcessTests[];
extern const Test kDeviceTests[];
extern const Test kMalformedTests[];
extern const Test kSupervisionTests[]; // supervision_tests.cpp
extern const Test kSpawnTests[];       // spawn_tests.cpp: procmgr.spawn, list, capabilities, devices

} // namespace svctest

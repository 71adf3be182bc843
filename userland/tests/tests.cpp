// userland/tests/tests.cpp — the order of the groups (test indices follow it).
#include "suite.hpp"

namespace suite {

const TestGroup kGroups[] = {
    {kCapabilityTests, &kCapabilityTestCount},
    {kMemoryTests, &kMemoryTestCount},
    {kVspaceTests, &kVspaceTestCount},
    {kEndpointTests, &kEndpointTestCount},
    {kNotificationTests, &kNotificationTestCount},
    {kSchedulingTests, &kSchedulingTestCount},
    {kFaultTests, &kFaultTestCount},
    {kIrqTests, &kIrqTestCount},
    {kErrorTests, &kErrorTestCount},
    {kCpuTests, &kCpuTestCount},
    {kStartupTests, &kStartupTestCount},
    {kProtocolTests, &kProtocolTestCount},
    {kProtocolSysTests, &kProtocolSysTestCount},
    {kDevloaderTests, &kDevloaderTestCount},
    {kSmpTests, &kSmpTestCount},
    {kFuzzTests, &kFuzzTestCount},
};
const size_t kGroupCount = sizeof(kGroups) / sizeof(kGroups[0]);

} // namespace suite

#include "suite.hpp"
namespace suite {
namespace { bool placeholder() { return true; } }
extern const Test kSchedulingTests[] = {{"scheduling.placeholder", placeholder}};
extern const size_t kSchedulingTestCount = sizeof(kSchedulingTests) / sizeof(kSchedulingTests[0]);
} // namespace suite

#include "suite.hpp"
namespace suite {
namespace { bool placeholder() { return true; } }
extern const Test kFaultTests[] = {{"fault.placeholder", placeholder}};
extern const size_t kFaultTestCount = sizeof(kFaultTests) / sizeof(kFaultTests[0]);
} // namespace suite

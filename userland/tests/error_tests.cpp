#include "suite.hpp"
namespace suite {
namespace { bool placeholder() { return true; } }
extern const Test kErrorTests[] = {{"error.placeholder", placeholder}};
extern const size_t kErrorTestCount = sizeof(kErrorTests) / sizeof(kErrorTests[0]);
} // namespace suite

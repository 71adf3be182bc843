#include "suite.hpp"
namespace suite {
namespace { bool placeholder() { return true; } }
extern const Test kFuzzTests[] = {{"fuzz.placeholder", placeholder}};
extern const size_t kFuzzTestCount = sizeof(kFuzzTests) / sizeof(kFuzzTests[0]);
} // namespace suite

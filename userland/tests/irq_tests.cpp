#include "suite.hpp"
namespace suite {
namespace { bool placeholder() { return true; } }
extern const Test kIrqTests[] = {{"irq.placeholder", placeholder}};
extern const size_t kIrqTestCount = sizeof(kIrqTests) / sizeof(kIrqTests[0]);
} // namespace suite

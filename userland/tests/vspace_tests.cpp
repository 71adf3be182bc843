#include "suite.hpp"
namespace suite {
namespace { bool placeholder() { return true; } }
extern const Test kVspaceTests[] = {{"vspace.placeholder", placeholder}};
extern const size_t kVspaceTestCount = sizeof(kVspaceTests) / sizeof(kVspaceTests[0]);
} // namespace suite

#include "suite.hpp"
namespace suite {
namespace { bool placeholder() { return true; } }
extern const Test kEndpointTests[] = {{"endpoint.placeholder", placeholder}};
extern const size_t kEndpointTestCount = sizeof(kEndpointTests) / sizeof(kEndpointTests[0]);
} // namespace suite

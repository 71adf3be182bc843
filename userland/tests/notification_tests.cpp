#include "suite.hpp"
namespace suite {
namespace { bool placeholder() { return true; } }
extern const Test kNotificationTests[] = {{"notification.placeholder", placeholder}};
extern const size_t kNotificationTestCount = sizeof(kNotificationTests) / sizeof(kNotificationTests[0]);
} // namespace suite

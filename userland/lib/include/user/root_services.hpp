// user/root_services.hpp — the services the root service (sysinit) serves
// itself, by IDL interface name. Drivers may ask for them in [services]
// without anyone providing them in [provides]; tools/manifest-check takes
// this list as given (docs/manifest.md, "Build-time checks"). The root
// service must serve exactly these.
#pragma once

#include <stddef.h>

namespace vesta::user {

inline constexpr const char* kRootServices[] = {
    "fs::fs", "sys::procmgr", "sys::devregistry", "sys::devmgr", "sys::devloader",
};
inline constexpr size_t kRootServiceCount = sizeof kRootServices / sizeof kRootServices[0];

} // namespace vesta::user

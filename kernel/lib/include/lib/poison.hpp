// lib/poison.hpp — telling AddressSanitizer which kernel memory is free.
//
// Kernel objects live in memory pools inside one big buffer, so ASan cannot
// see a freed object by itself. Host builds with ASan mark every free byte of
// a pool poisoned (pool code unpoisons exactly what it hands out and the few
// bytes of free-list links it reads), so any use of a freed kernel object is
// reported. Everywhere else these compile to nothing.
#pragma once

#include <stddef.h>

#if defined(__SANITIZE_ADDRESS__)
#define VESTA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VESTA_ASAN 1
#endif
#endif

#ifdef VESTA_ASAN
extern "C" void __asan_poison_memory_region(void const volatile* address, size_t size);
extern "C" void __asan_unpoison_memory_region(void const volatile* address, size_t size);
#endif

namespace vesta {

inline void poison_memory(const void* address, size_t size) {
#ifdef VESTA_ASAN
    __asan_poison_memory_region(address, size);
#else
    (void)address;
    (void)size;
#endif
}

inline void unpoison_memory(const void* address, size_t size) {
#ifdef VESTA_ASAN
    __asan_unpoison_memory_region(address, size);
#else
    (void)address;
    (void)size;
#endif
}

} // namespace vesta

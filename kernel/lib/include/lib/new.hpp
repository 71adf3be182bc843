// lib/new.hpp — placement new, in hosted and freestanding builds alike.
#pragma once

#include <stddef.h>

#if __STDC_HOSTED__
#include <new>
#else
inline void* operator new(size_t, void* where) noexcept { return where; }
inline void* operator new[](size_t, void* where) noexcept { return where; }
inline void operator delete(void*, void*) noexcept {}
#endif

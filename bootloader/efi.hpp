// bootloader/efi.hpp — the gnu-efi headers, included one way everywhere.
#pragma once

#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wold-style-cast"
#pragma clang diagnostic ignored "-Wzero-as-null-pointer-constant"
// efibind.h declares its own <stdint.h> types unless it believes it is
// compiled as C99; in C++ it cannot tell, and its declarations clash with the
// compiler's <stdint.h>. Tell it to use <stdint.h>.
#include <stdint.h>
#define __STDC_VERSION__ 199901L
extern "C" {
#include <efi.h>
}
#undef __STDC_VERSION__
#pragma clang diagnostic pop

namespace vesta::loader {

// UEFI strings are UCS-2; u"" literals have the same representation.
inline const CHAR16* efi_string(const char16_t* text) { return reinterpret_cast<const CHAR16*>(text); }

inline bool guid_equal(const EFI_GUID& a, const EFI_GUID& b) { return __builtin_memcmp(&a, &b, sizeof(EFI_GUID)) == 0; }

} // namespace vesta::loader

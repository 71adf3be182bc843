// user/manifest.hpp — how a driver declares its manifest (docs/manifest.md).
//
//   #include <user/manifest.hpp>
//
//   VESTA_MANIFEST(R"(
//   [driver]
//   name = example
//   [capabilities]
//   0:note =
//   )");
//
// The text lands, NUL-terminated, in the image's `.manifest` section
// (allocated and read-only: userland/lib/user.ld keeps it in the rodata
// segment, so stripping keeps it and the driver can read its own manifest
// as `vesta_manifest`). One per image: a second VESTA_MANIFEST in another
// file is a link error (two definitions of vesta_manifest). The driver
// loader and tools/manifest-check read the section with lib/manifest_image.
#pragma once

#include <lib/manifest.hpp>

#define VESTA_MANIFEST(text)                                                                                           \
    static_assert(sizeof(text) <= ::vesta::manifest::kMaxSize,                                                         \
                  "a manifest is at most 8192 bytes with its NUL (docs/manifest.md)");                                 \
    extern "C" [[gnu::section(".manifest"), gnu::used]] const char vesta_manifest[sizeof(text)] = text

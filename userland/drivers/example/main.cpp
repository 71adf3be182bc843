// userland/drivers/example — the smallest driver. It shows how a driver
// declares its manifest (docs/manifest.md) and gives the build-time check
// (tools/manifest-check) a driver to check in every initramfs. Nothing
// starts it yet (the driver loader comes with the root service); when
// started, it reads its own manifest with lib/manifest — the parser runs
// freestanding in userland — and exits with status 0, or 1 if it does not
// parse.
#include <lib/manifest.hpp>
#include <user/manifest.hpp>
#include <user/runtime.hpp>

VESTA_MANIFEST(R"(# The example driver asks for a notification, a pool of two pages,
# its own cspace and vspace, and the device registry; nothing else.
[driver]
name = example
desc = "Example driver: declares a manifest, does nothing"
restart = never

[capabilities]
0:note =
_:memory = pages=2
_:cspace = self
_:vspace = self

[services]
devregistry =
)");

void main(uint64_t) {
    // A few KiB: static (zero-initialised at build time), not on the stack.
    constinit static vesta::manifest::Manifest manifest;
    vesta::manifest::Diagnostic diagnostic;
    const bool ok = vesta::manifest::parse(vesta_manifest, sizeof vesta_manifest, &manifest, &diagnostic).ok();
    vesta::user::exit(ok ? 0 : 1);
}

#include "debugger.hpp"

extern "C" volatile uint8_t vesta_loader_debugger_wait = 0;

extern "C" [[gnu::noinline]] void vesta_loader_debugger_attached() {
    asm volatile("" ::: "memory"); // keep the call and the function
}

namespace vesta::loader {

void report_image_base(EFI_HANDLE image, EFI_BOOT_SERVICES* boot, Console& console) {
    EFI_GUID loaded_image_guid = LOADED_IMAGE_PROTOCOL;
    EFI_LOADED_IMAGE* loaded_image = nullptr;
    if (EFI_ERROR(boot->HandleProtocol(image, &loaded_image_guid, reinterpret_cast<void**>(&loaded_image))) ||
        !loaded_image)
        return;
    console.print("vesta loader: image base {:x}\n", reinterpret_cast<uint64_t>(loaded_image->ImageBase));
}

void wait_for_debugger_if_asked(EspDirectory& esp, Console& console) {
    if (!esp.exists(u"\\vesta\\wait-for-debugger")) return;
    console.print("vesta loader: waiting for the debugger (\\vesta\\wait-for-debugger; "
                  "release with: set var vesta_loader_debugger_wait = 0)\n");
    vesta_loader_debugger_wait = 1;
    while (vesta_loader_debugger_wait) {
    }
    console.print("vesta loader: released by the debugger\n");
    vesta_loader_debugger_attached();
}

} // namespace vesta::loader

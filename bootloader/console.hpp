// bootloader/console.hpp — printing on the firmware console (ConOut).
//
// Valid only while boot services are active. Firmware consoles usually mirror
// to the serial port, which is where the tests read the loader's messages.
#pragma once

#include <lib/format.hpp>

#include "efi.hpp"

namespace vesta::loader {

class Console {
public:
    explicit Console(EFI_SYSTEM_TABLE* system) : output_(system->ConOut) {}

    // A format() sink: writes ASCII text, turning "\n" into "\r\n".
    void operator()(const char* text, size_t length);

    template <class... Args>
    void print(const char* pattern, const Args&... args) {
        format(*this, pattern, args...);
    }

    // Disables output (after ExitBootServices the console is gone).
    void detach() { output_ = nullptr; }

private:
    SIMPLE_TEXT_OUTPUT_INTERFACE* output_;
};

} // namespace vesta::loader

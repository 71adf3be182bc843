// arch/x86_64/kernel/serial.hpp — the early console: a 16550 UART on COM1.
#pragma once

#include <stddef.h>

namespace vesta::x86_64 {

void serial_initialise();
// Writes bytes, turning "\n" into "\r\n"; waits for the transmitter.
void serial_write(const char* text, size_t length);

} // namespace vesta::x86_64

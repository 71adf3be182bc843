// kernel/arch/io_port.hpp — x86-style I/O ports.
//
// Every backend defines these; backends without I/O ports return false from
// io_ports_supported() and the core refuses I/O-port objects (NotSupported).
#pragma once

#include <stdint.h>

namespace vesta::arch {

bool io_ports_supported();
// width is 1, 2 or 4 bytes (checked by the caller).
uint32_t io_port_read(uint16_t port, uint8_t width);
void io_port_write(uint16_t port, uint8_t width, uint32_t value);

} // namespace vesta::arch

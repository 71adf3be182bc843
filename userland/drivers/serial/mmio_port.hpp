// userland/drivers/serial/mmio_port.hpp — what the device-tree serial
// drivers (pl011, bcm2835-aux) share: their registers arrive as a
// DeviceMemory capability (the node's `reg`, rounded out to pages by the
// driver loader), which they map, and Console.Info names the console by
// that page's physical address.
#pragma once

#include <stdint.h>

#include <vesta/error.hpp>

#include "serial_driver.hpp"

namespace vesta::serial {

struct MappedRegisters {
    uintptr_t address = 0; // where the registers' page is mapped in this task
    uint64_t physical = 0; // its physical address
    ConsoleRange console;  // how Console.Info names it
};

// Maps the device memory at `slot` (Read and Write) and reports where. Errors:
// Page.Info's and VirtualSpace.Map's (an empty slot: InvalidCapability).
Error map_registers(uint64_t slot, MappedRegisters* out);

// A numeric environment entry ("uart-clock=48000000"), or `fallback`.
uint32_t environment_number(const char* name, uint32_t fallback);

} // namespace vesta::serial

// kernel/arch/physical_memory.hpp — physical <-> kernel-virtual translation.
//
// Interface: the backend header <arch/backend/physical_memory.hpp> defines, in
// namespace vesta::arch,
//   void* physical_to_virtual(uint64_t physical);   // through the direct map
//   uint64_t virtual_to_physical(const void* kernel_pointer); // inverse, direct-map pointers only
// (inline, so the IPC path pays no call). In host tests "physical memory" is
// a host buffer at a fake physical base.
#pragma once

#include <stdint.h>

#include <arch/backend/physical_memory.hpp>
#include <lib/utility.hpp>

namespace vesta::arch {
static_assert(is_same_v<decltype(physical_to_virtual(uint64_t{})), void*>,
              "the arch backend must define void* physical_to_virtual(uint64_t)");
static_assert(is_same_v<decltype(virtual_to_physical(static_cast<const void*>(nullptr))), uint64_t>,
              "the arch backend must define uint64_t virtual_to_physical(const void*)");
} // namespace vesta::arch

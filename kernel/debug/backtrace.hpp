// kernel/debug/backtrace.hpp — symbolised backtraces for panics and kernel
// exception reports (docs/debugging.md).
//
// Code addresses are named from the function symbol table the build embeds
// in the kernel image (lib/symbol_table.hpp, scripts/kernel-symbols), as
// "function+0xoffset". Frames are found through the frame-record chain that
// -fno-omit-frame-pointer keeps on both architectures: a record is two
// words, the caller's record address then the return address (x86_64
// rbp → [saved rbp, return rip]; aarch64 x29 → [saved x29, x30]).
#pragma once

#include <stdint.h>

namespace vesta::debug {

// Whether [address, address + 16) is a place a frame record may be (inside
// a kernel stack): the arch backend knows its stacks.
using FrameRecordCheck = bool (*)(uint64_t address);

// Prints "  0x<address> function+0xoffset" (or the bare address when no
// function contains it). A return address is named by the call before it
// (address - 1), so a call that never returns is not attributed to the
// function placed after the caller.
void print_code_address(uint64_t address, bool return_address);

// Prints "backtrace:", then `pc` and the return address of every frame
// record from `frame_pointer` on, while `on_stack` accepts the record and
// records go towards the stack's top; at most 32 frames. Never faults on a
// corrupt chain as long as `on_stack` only accepts mapped memory.
void print_backtrace(uint64_t pc, uint64_t frame_pointer, FrameRecordCheck on_stack);

// The FrameRecordCheck of the kernel stack (the boot stack every backend's
// entry code runs the kernel on: its symbols boot_stack_bottom/top): an
// 8-aligned record wholly inside it.
bool on_kernel_stack(uint64_t address);

} // namespace vesta::debug

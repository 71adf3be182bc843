#include <debug/backtrace.hpp>

#include <lib/symbol_table.hpp>

#include <console.hpp>

// The table, linked into .rodata (kernel/debug/empty_symbols.S in the first
// link, the generated kernel-symbols.S in the second).
extern "C" const unsigned char vesta_kernel_symbols[], vesta_kernel_symbols_end[];
// The kernel stack, from the backend's entry code.
extern "C" char boot_stack_bottom[], boot_stack_top[];

namespace vesta::debug {
namespace {
constexpr unsigned kMaxFrames = 32;
} // namespace

bool on_kernel_stack(uint64_t address) {
    return address >= reinterpret_cast<uint64_t>(boot_stack_bottom) &&
           address + 16 <= reinterpret_cast<uint64_t>(boot_stack_top) && (address & 7) == 0;
}

void print_code_address(uint64_t address, bool return_address) {
    symbols::Symbol symbol{};
    const uint64_t looked_up = return_address && address ? address - 1 : address;
    const auto table_size = static_cast<size_t>(vesta_kernel_symbols_end - vesta_kernel_symbols);
    if (!symbols::find_symbol(vesta_kernel_symbols, table_size, looked_up, &symbol)) {
        print("  {:016x}\n", address);
        return;
    }
    print("  {:016x} {}+{:x}\n", address, symbol.name, address - symbol.start);
}

void print_backtrace(uint64_t pc, uint64_t frame_pointer, FrameRecordCheck on_stack) {
    print("backtrace:\n");
    print_code_address(pc, false);
    for (unsigned depth = 0; depth < kMaxFrames && on_stack(frame_pointer); ++depth) {
        const auto* record = reinterpret_cast<const uint64_t*>(frame_pointer);
        if (record[1] == 0) break; // the entry code's zero return address ends the chain
        print_code_address(record[1], true);
        if (record[0] <= frame_pointer) break; // records go towards the stack's top
        frame_pointer = record[0];
    }
}

} // namespace vesta::debug

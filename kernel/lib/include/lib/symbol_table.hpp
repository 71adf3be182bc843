// lib/symbol_table.hpp — the kernel's table of function symbols, which the
// build embeds in the kernel image (scripts/kernel-symbols) so that panics and
// exception reports can name functions (docs/debugging.md).
//
// Layout, little-endian, in the kernel's read-only data:
//   SymbolTableHeader
//   SymbolEntry[count]       sorted by start, not overlapping
//   names                    NUL-terminated, at header.names_offset
// Every offset is from the start of the table; `size` covers all of it.
//
// Contract: find_symbol() reads only inside [table, table + table_size) and
// only what the header describes; a malformed table (bad magic, sizes that do
// not fit, a name without its NUL) finds nothing rather than misbehaving.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace vesta::symbols {

inline constexpr uint32_t kSymbolTableMagic = 0x4d595356; // "VSYM"

struct SymbolTableHeader {
    uint32_t magic;
    uint32_t count;        // entries
    uint64_t base;         // address that entries' start offsets are relative to
    uint32_t names_offset; // first byte of the names
    uint32_t size;         // bytes in the whole table
};
static_assert(sizeof(SymbolTableHeader) == 24);

struct SymbolEntry {
    uint32_t start; // from header.base
    uint32_t size;  // bytes of code; the symbol covers [start, start + size)
    uint32_t name;  // from header.names_offset
};
static_assert(sizeof(SymbolEntry) == 12);

struct Symbol {
    const char* name; // inside the table
    uint64_t start;   // address of the function's first byte
    uint64_t offset;  // of the address looked up, from start
};

// Finds the function whose code contains `address`. Returns false when no
// function does, or when the table is malformed.
bool find_symbol(const void* table, size_t table_size, uint64_t address, Symbol* symbol);

} // namespace vesta::symbols

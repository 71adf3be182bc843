// lib/page_table_walk.hpp — walking and editing 4-level page tables of any
// PagingFormat (lib/page_table_builder.hpp), for the backends' user page
// tables. One copy of the walk serves every architecture; backends keep only
// what differs (TLB maintenance, how the kernel half is shared).
//
// `table_at(physical)` gives a pointer to a table; user tables use 4 KiB
// pages only (no blocks).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <lib/page_table_builder.hpp>

namespace vesta::paging {

// How many tables a mapping of `address` would have to create (0..3).
template <PagingFormat Format, class TableAt>
size_t missing_tables(uint64_t root, uint64_t address, TableAt table_at) {
    uint64_t table = root;
    for (unsigned level = kRootLevel; level > 0; --level) {
        const uint64_t entry = table_at(table)[Format::index(address, level)];
        if (!Format::is_table(entry, level) || !Format::is_present(entry)) return level;
        table = Format::table_address(entry);
    }
    return 0;
}

// The leaf entry of `address`, or nullptr when a table on the way is missing.
template <PagingFormat Format, class TableAt>
uint64_t* leaf_entry(uint64_t root, uint64_t address, TableAt table_at) {
    uint64_t table = root;
    for (unsigned level = kRootLevel; level > 0; --level) {
        const uint64_t entry = table_at(table)[Format::index(address, level)];
        if (!Format::is_present(entry) || !Format::is_table(entry, level)) return nullptr;
        table = Format::table_address(entry);
    }
    return &table_at(table)[Format::index(address, 0)];
}

// The leaf entry of `address`, creating missing tables with `allocate()`
// (which returns a zeroed page; the caller reserved enough, see missing_tables).
template <PagingFormat Format, class TableAt, class Allocate>
uint64_t& leaf_entry_creating(uint64_t root, uint64_t address, TableAt table_at, Allocate allocate) {
    uint64_t table = root;
    for (unsigned level = kRootLevel; level > 0; --level) {
        uint64_t& entry = table_at(table)[Format::index(address, level)];
        if (!Format::is_present(entry)) entry = Format::make_table(allocate());
        table = Format::table_address(entry);
    }
    return table_at(table)[Format::index(address, 0)];
}

// Releases `table` and every table below it. `level` is the level of the
// table's entries: 3 for a root, 0 for a table of pages (whose entries are
// pages, not freed here).
template <PagingFormat Format, class TableAt, class Release>
void free_tables(uint64_t table, unsigned level, TableAt table_at, Release release) {
    const uint64_t* entries = table_at(table);
    if (level > 0) {
        for (size_t i = 0; i < 512; ++i)
            if (Format::is_present(entries[i]) && Format::is_table(entries[i], level))
                free_tables<Format>(Format::table_address(entries[i]), level - 1, table_at, release);
    }
    release(table);
}

// Frees the tables below `table` (whose entries are at `level`, 3 for a
// root) in bounded steps: entries [cursor's index, end) are examined in
// order, each costing one unit of `budget`; tables of pages (level 0) are
// released without being read. `base` is the first address `table` covers;
// `cursor` is where the previous call stopped (start at `base`). Returns true
// when every table below `table` is released (`table` itself is the
// caller's); false when the budget ran out — call again with the same cursor.
// Recursion depth is the number of levels (bounded stack). Needs only
// Format::is_present, is_table and table_address.
template <class Format, class TableAt, class Release>
bool free_tables_some(uint64_t table, unsigned level, uint64_t base, size_t end, uint64_t& cursor, uint32_t& budget,
                      TableAt table_at, Release release) {
    uint64_t* entries = table_at(table);
    const uint64_t span = level_size(level);
    for (size_t i = cursor > base ? static_cast<size_t>((cursor - base) / span) : 0; i < end; ++i) {
        if (budget == 0) return false;
        --budget;
        const uint64_t start = base + i * span;
        if (Format::is_present(entries[i]) && Format::is_table(entries[i], level)) {
            const uint64_t child = Format::table_address(entries[i]);
            if (level > 1 && !free_tables_some<Format>(child, level - 1, start, 512, cursor, budget, table_at, release))
                return false;
            entries[i] = 0;
            release(child);
        }
        cursor = start + span;
    }
    return true;
}

} // namespace vesta::paging

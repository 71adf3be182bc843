#include <lib/symbol_table.hpp>

namespace vesta::symbols {
namespace {

template <class T>
T read(const uint8_t* bytes) {
    T value;
    __builtin_memcpy(&value, bytes, sizeof(T));
    return value;
}

} // namespace

bool find_symbol(const void* table, size_t table_size, uint64_t address, Symbol* symbol) {
    const auto* bytes = static_cast<const uint8_t*>(table);
    if (table_size < sizeof(SymbolTableHeader)) return false;
    const auto header = read<SymbolTableHeader>(bytes);
    if (header.magic != kSymbolTableMagic || header.size > table_size || header.names_offset > header.size ||
        header.names_offset < sizeof(SymbolTableHeader) ||
        uint64_t{header.count} * sizeof(SymbolEntry) > header.names_offset - sizeof(SymbolTableHeader))
        return false;
    if (address < header.base) return false;
    const uint64_t offset = address - header.base;
    const uint8_t* entries = bytes + sizeof(SymbolTableHeader);

    // The last entry starting at or before `offset`.
    size_t low = 0, high = header.count;
    while (low < high) {
        const size_t middle = low + (high - low) / 2;
        if (read<SymbolEntry>(entries + middle * sizeof(SymbolEntry)).start <= offset)
            low = middle + 1;
        else
            high = middle;
    }
    if (low == 0) return false;
    const auto entry = read<SymbolEntry>(entries + (low - 1) * sizeof(SymbolEntry));
    if (offset - entry.start >= entry.size) return false;

    const uint64_t names_size = header.size - header.names_offset;
    if (entry.name >= names_size) return false;
    const auto* name = reinterpret_cast<const char*>(bytes + header.names_offset + entry.name);
    bool terminated = false;
    for (uint64_t i = 0; i < names_size - entry.name && !terminated; ++i) terminated = name[i] == '\0';
    if (!terminated) return false;
    *symbol = Symbol{name, header.base + entry.start, offset - entry.start};
    return true;
}

} // namespace vesta::symbols

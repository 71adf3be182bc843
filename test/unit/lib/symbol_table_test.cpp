// Tests of lib/symbol_table: lookups in a table laid out as
// scripts/kernel-symbols writes it, and malformed tables that find nothing.
#include <catch2/catch_test_macros.hpp>
#include <cstring>
#include <lib/symbol_table.hpp>
#include <string>
#include <vector>

using namespace vesta::symbols;

namespace {

constexpr uint64_t kBase = 0xffffffff80100000;

struct Function {
    uint32_t start, size;
    std::string name;
};

// The table of `functions` (sorted by start), as the build embeds it.
std::vector<uint8_t> build_table(const std::vector<Function>& functions, uint64_t base = kBase) {
    std::vector<uint8_t> names;
    std::vector<SymbolEntry> entries;
    for (const Function& f : functions) {
        entries.push_back({f.start, f.size, static_cast<uint32_t>(names.size())});
        names.insert(names.end(), f.name.begin(), f.name.end());
        names.push_back(0);
    }
    SymbolTableHeader header{kSymbolTableMagic, static_cast<uint32_t>(entries.size()), base, 0, 0};
    header.names_offset = static_cast<uint32_t>(sizeof(header) + entries.size() * sizeof(SymbolEntry));
    header.size = static_cast<uint32_t>(header.names_offset + names.size());
    std::vector<uint8_t> table(header.size);
    std::memcpy(table.data(), &header, sizeof(header));
    std::memcpy(table.data() + sizeof(header), entries.data(), entries.size() * sizeof(SymbolEntry));
    std::memcpy(table.data() + header.names_offset, names.data(), names.size());
    return table;
}

const std::vector<Function> kFunctions{
    {0x0, 0x20, "_start"},
    {0x20, 0x4ea, "vesta::kernel_main"},
    {0x600, 0x57, "vesta::(anonymous namespace)::provoke_fault"}, // a gap before it
};

// The name found for `address`, or "" when none is.
std::string name_at(const std::vector<uint8_t>& table, uint64_t address, uint64_t* offset = nullptr) {
    Symbol symbol{};
    if (!find_symbol(table.data(), table.size(), address, &symbol)) return "";
    if (offset) *offset = symbol.offset;
    CHECK(symbol.start + symbol.offset == address);
    return symbol.name;
}

} // namespace

TEST_CASE("an address inside a function is named with its offset", "[symbols]") {
    const auto table = build_table(kFunctions);
    uint64_t offset = 0;
    CHECK(name_at(table, kBase, &offset) == "_start");
    CHECK(offset == 0);
    CHECK(name_at(table, kBase + 0x1f) == "_start");
    CHECK(name_at(table, kBase + 0x20, &offset) == "vesta::kernel_main");
    CHECK(offset == 0);
    CHECK(name_at(table, kBase + 0x503, &offset) == "vesta::kernel_main");
    CHECK(offset == 0x4e3);
    CHECK(name_at(table, kBase + 0x656, &offset) == "vesta::(anonymous namespace)::provoke_fault");
    CHECK(offset == 0x56);
}

TEST_CASE("addresses outside every function find nothing", "[symbols]") {
    const auto table = build_table(kFunctions);
    CHECK(name_at(table, kBase - 1) == "");
    CHECK(name_at(table, 0) == "");
    CHECK(name_at(table, kBase + 0x50a) == ""); // the gap after kernel_main
    CHECK(name_at(table, kBase + 0x657) == ""); // just past the last function
    CHECK(name_at(table, UINT64_MAX) == "");
    CHECK(name_at(build_table({}), kBase) == ""); // the first link's empty table
}

TEST_CASE("a malformed table finds nothing and reads only inside itself", "[symbols]") {
    auto table = build_table(kFunctions);
    auto header = [&] {
        SymbolTableHeader h;
        std::memcpy(&h, table.data(), sizeof(h));
        return h;
    };
    auto set_header = [&](const SymbolTableHeader& h) { std::memcpy(table.data(), &h, sizeof(h)); };

    SECTION("smaller than a header") {
        Symbol symbol{};
        CHECK_FALSE(find_symbol(table.data(), sizeof(SymbolTableHeader) - 1, kBase, &symbol));
    }
    SECTION("bad magic") {
        auto h = header();
        h.magic ^= 1;
        set_header(h);
        CHECK(name_at(table, kBase) == "");
    }
    SECTION("size larger than the memory given") {
        table.pop_back();
        CHECK(name_at(table, kBase) == "");
    }
    SECTION("names offset beyond the table") {
        auto h = header();
        h.names_offset = h.size + 1;
        set_header(h);
        CHECK(name_at(table, kBase) == "");
    }
    SECTION("names offset inside the header") {
        auto h = header();
        h.names_offset = 8;
        set_header(h);
        CHECK(name_at(table, kBase) == "");
    }
    SECTION("more entries than fit before the names") {
        auto h = header();
        h.count += 1;
        set_header(h);
        CHECK(name_at(table, kBase) == "");
    }
    SECTION("a name offset past the names") {
        SymbolEntry entry;
        std::memcpy(&entry, table.data() + sizeof(SymbolTableHeader), sizeof(entry));
        entry.name = 0x10000;
        std::memcpy(table.data() + sizeof(SymbolTableHeader), &entry, sizeof(entry));
        CHECK(name_at(table, kBase) == "");
        CHECK(name_at(table, kBase + 0x20) == "vesta::kernel_main"); // the others still work
    }
    SECTION("a last name without its NUL") {
        table.back() = 'x';
        CHECK(name_at(table, kBase + 0x600) == "");
    }
}

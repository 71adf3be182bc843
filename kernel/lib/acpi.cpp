// lib/acpi.cpp — the ACPI table reader (lib/acpi.hpp).
#include <lib/acpi.hpp>

namespace vesta::acpi {
namespace {

// Little-endian loads from bytes the reader granted (no alignment assumed).
uint64_t load(const uint8_t* bytes, size_t size) {
    uint64_t value = 0;
    for (size_t i = 0; i < size; ++i) value |= uint64_t{bytes[i]} << (8 * i);
    return value;
}
uint32_t load32(const uint8_t* bytes) { return static_cast<uint32_t>(load(bytes, 4)); }

bool sums_to_zero(const uint8_t* bytes, uint32_t length) {
    uint8_t sum = 0;
    for (uint32_t i = 0; i < length; ++i) sum = static_cast<uint8_t>(sum + bytes[i]);
    return sum == 0;
}

bool same_signature(const uint8_t* bytes, const char* signature, size_t length) {
    for (size_t i = 0; i < length; ++i)
        if (bytes[i] != static_cast<uint8_t>(signature[i])) return false;
    return true;
}

// A system description table at `physical`: header readable, length within
// [kHeaderLength, kMaxTableLength], whole table readable, checksum zero.
Result<Table> read_table(const PhysicalReader& reader, uint64_t physical) {
    const uint8_t* header = reader.bytes(reader.context, physical, kHeaderLength);
    if (!header) return Error::TableUnreadable;
    const uint32_t length = load32(header + 4);
    if (length < kHeaderLength || length > kMaxTableLength) return Error::TableBadLength;
    const uint8_t* bytes = reader.bytes(reader.context, physical, length);
    if (!bytes) return Error::TableUnreadable;
    if (load32(bytes + 4) != length) return Error::TableBadLength; // changed under us
    if (!sums_to_zero(bytes, length)) return Error::TableBadChecksum;
    return Table{physical, bytes, length};
}

struct Root {
    Table table;
    unsigned entry_size; // 8: XSDT, 4: RSDT
};

Result<Root> read_root(const PhysicalReader& reader, uint64_t rsdp) {
    if (!rsdp) return Error::NoRsdp;
    constexpr uint32_t kRsdp1Length = 20, kRsdp2Length = 36;
    const uint8_t* pointer = reader.bytes(reader.context, rsdp, kRsdp1Length);
    if (!pointer) return Error::RsdpUnreadable;
    if (!same_signature(pointer, "RSD PTR ", 8)) return Error::RsdpBadSignature;
    if (!sums_to_zero(pointer, kRsdp1Length)) return Error::RsdpBadChecksum;
    const uint8_t revision = pointer[15];
    uint64_t root = load32(pointer + 16);
    unsigned entry_size = 4;
    if (revision >= 2) {
        const uint8_t* extended = reader.bytes(reader.context, rsdp, kRsdp2Length);
        if (!extended) return Error::RsdpUnreadable;
        const uint32_t length = load32(extended + 20);
        if (length < kRsdp2Length) return Error::RsdpBadLength;
        if (!sums_to_zero(extended, kRsdp2Length)) return Error::RsdpBadExtendedChecksum;
        if (const uint64_t xsdt = load(extended + 24, 8)) {
            root = xsdt;
            entry_size = 8;
        }
    }
    auto table = read_table(reader, root);
    if (!table.ok()) return table.error() == Error::TableUnreadable ? Error::RootUnreadable : table.error();
    if (!same_signature(table.value().bytes, entry_size == 8 ? "XSDT" : "RSDT", 4)) return Error::RootBadSignature;
    return Root{table.value(), entry_size};
}

} // namespace

const char* message(Error error) {
    switch (error) {
    case Error::None: return "success";
    case Error::NoRsdp: return "no RSDP address";
    case Error::RsdpUnreadable: return "RSDP outside readable memory";
    case Error::RsdpBadSignature: return "RSDP signature is not \"RSD PTR \"";
    case Error::RsdpBadChecksum: return "RSDP checksum mismatch";
    case Error::RsdpBadExtendedChecksum: return "RSDP extended checksum mismatch";
    case Error::RsdpBadLength: return "RSDP length below 36 bytes";
    case Error::RootUnreadable: return "root table (XSDT/RSDT) outside readable memory";
    case Error::RootBadSignature: return "root table signature is not XSDT/RSDT";
    case Error::TableUnreadable: return "table outside readable memory";
    case Error::TableBadLength: return "table length below its header or above 1 MiB";
    case Error::TableBadChecksum: return "table checksum mismatch";
    case Error::TableNotFound: return "table not listed in the root table";
    case Error::MadtTooShort: return "MADT shorter than its fixed fields";
    }
    return "unknown ACPI error";
}

Result<Table> find_table(const PhysicalReader& reader, uint64_t rsdp, const char* signature) {
    const Root root = TRY(read_root(reader, rsdp));
    for (uint32_t offset = kHeaderLength; offset + root.entry_size <= root.table.length; offset += root.entry_size) {
        const uint64_t physical = load(root.table.bytes + offset, root.entry_size);
        if (!physical) continue;
        const uint8_t* header = reader.bytes(reader.context, physical, 4);
        if (!header || !same_signature(header, signature, 4)) continue;
        auto table = read_table(reader, physical);
        if (table.ok()) return table.value();
    }
    return Error::TableNotFound;
}

namespace {

// One processor entry (parse_madt's rules in acpi.hpp).
void add_processor(Madt& madt, uint32_t apic_id, uint32_t uid, uint32_t flags, bool x2apic) {
    constexpr uint32_t kEnabled = 1;
    if (x2apic && apic_id == 0xffffffff) return;
    if (!(flags & kEnabled)) {
        ++madt.processors_disabled;
        return;
    }
    for (uint32_t i = 0; i < madt.processor_count; ++i)
        if (madt.processors[i].apic_id == apic_id) return;
    if (madt.processor_count == Madt::kMaxProcessors) {
        ++madt.processors_ignored;
        return;
    }
    madt.processors[madt.processor_count++] = {apic_id, uid, x2apic};
}

} // namespace

Result<Madt> parse_madt(const Table& table) {
    constexpr uint32_t kEntries = 44; // header, local APIC address, flags
    if (table.length < kEntries) return Error::MadtTooShort;
    Madt madt;
    madt.local_apic = load32(table.bytes + 36);
    const uint8_t* bytes = table.bytes;
    for (uint32_t offset = kEntries; offset + 2 <= table.length;) {
        const uint8_t type = bytes[offset];
        const uint8_t length = bytes[offset + 1];
        if (length < 2 || offset + length > table.length) {
            madt.truncated = true;
            break;
        }
        const uint8_t* entry = bytes + offset;
        if (type == 1 && length >= 12 && !madt.has_ioapic) { // I/O APIC: the first one
            madt.ioapic = load32(entry + 4);
            madt.ioapic_gsi_base = load32(entry + 8);
            madt.has_ioapic = true;
        } else if (type == 2 && length >= 10 && madt.override_count < Madt::kMaxOverrides) {
            madt.overrides[madt.override_count++] = {entry[3], load32(entry + 4),
                                                     static_cast<uint16_t>(load(entry + 8, 2))};
        } else if (type == 5 && length >= 12) { // local APIC address override
            madt.local_apic = load(entry + 4, 8);
        } else if (type == 0 && length >= 8) { // processor local APIC
            add_processor(madt, entry[3], entry[2], load32(entry + 4), false);
        } else if (type == 9 && length >= 16) { // processor local x2APIC
            add_processor(madt, load32(entry + 4), load32(entry + 12), load32(entry + 8), true);
        }
        offset += length;
    }
    return madt;
}

} // namespace vesta::acpi

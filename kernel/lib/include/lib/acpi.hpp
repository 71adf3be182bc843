// lib/acpi.hpp — reading ACPI tables: the RSDP, the root table (XSDT or
// RSDT), any table by signature, and the MADT (ACPI 6.5 §5.2.5, §5.2.7,
// §5.2.8, §5.2.12). Portable and bounds-checked, like the FDT reader: the
// x86_64 backend uses it for the APIC and IOAPIC, aarch64 can for the GIC.
//
// Tables sit in physical memory; the reader reaches them only through
// PhysicalReader::bytes(), which returns a pointer to [physical, physical +
// length) or null when that range is not readable — the kernel gives its
// direct map, host tests and the fuzzer a buffer at a fake physical base.
// Every length read from a table is checked against what bytes() granted
// and against a limit, every checksum is verified, and nothing is read
// twice from memory that could change between reads (the bytes are read
// once a table's length is known).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <lib/result.hpp>

namespace vesta::acpi {

enum class Error : uint8_t {
    None = 0,
    NoRsdp,           // the boot information has no RSDP address
    RsdpUnreadable,   // bytes() refused the RSDP
    RsdpBadSignature, // not "RSD PTR "
    RsdpBadChecksum,  // the ACPI 1.0 checksum (first 20 bytes)
    RsdpBadExtendedChecksum,
    RsdpBadLength,    // revision 2+: length below 36
    RootUnreadable,   // the XSDT/RSDT header or body
    RootBadSignature, // not "XSDT" (64-bit entries) / "RSDT" (32-bit)
    TableUnreadable,
    TableBadLength, // below the 36-byte header, or above kMaxTableLength
    TableBadChecksum,
    TableNotFound, // no table with that signature in the root table
    MadtTooShort,  // below its 44-byte fixed part
};

// A precise, static, lower-case description of `error`.
const char* message(Error error);

template <class T>
using Result = vesta::Result<T, Error>;

// Where tables are read from.
struct PhysicalReader {
    void* context;
    // A pointer to [physical, physical + length), or null when unreadable.
    const uint8_t* (*bytes)(void* context, uint64_t physical, uint64_t length);
};

inline constexpr uint32_t kHeaderLength = 36;         // every system description table
inline constexpr uint32_t kMaxTableLength = 1u << 20; // larger ones are refused as corrupt

// A checked table: `length` bytes from `bytes`, its checksum verified.
struct Table {
    uint64_t physical;
    const uint8_t* bytes;
    uint32_t length;
};

// The table with `signature` (4 characters) listed in the root table that
// the RSDP at `rsdp` names: the XSDT when the RSDP has revision 2 or more and
// an XSDT address, else the RSDT. The first listed table whose signature
// matches and whose header, length and checksum are sound is returned;
// listed tables that are unreadable or corrupt are skipped.
Result<Table> find_table(const PhysicalReader& reader, uint64_t rsdp, const char* signature);

// The MADT's view the kernel needs: the local APIC address (an "local APIC
// address override" entry wins), the first IOAPIC, the interrupt source
// overrides (ISA IRQ → GSI, with MPS INTI flags), and the processors to
// start (SMP bring-up).
//
// Processors: "Processor Local APIC" (type 0) and "Processor Local x2APIC"
// (type 9) entries whose Enabled flag is set, in table order (the boot CPU
// is among them; which one it is, the kernel learns from its own APIC ID).
// Entries with Enabled clear are counted in `processors_disabled`, whether
// or not they are Online Capable (hot-plug is not supported). An APIC ID
// listed twice (a type 0 and a type 9 entry for one CPU) counts once; an
// x2APIC ID of 0xffffffff is not a processor. Beyond kMaxProcessors,
// processors are counted in `processors_ignored` and not started.
struct Madt {
    static constexpr uint32_t kMaxOverrides = 16;
    static constexpr uint32_t kMaxProcessors = 64;
    struct Processor {
        uint32_t apic_id;
        uint32_t uid; // ACPI processor UID
        bool x2apic;  // listed by a type 9 entry (an APIC ID above 254 needs x2APIC mode)
    };
    struct Override {
        uint8_t source; // ISA IRQ
        uint32_t gsi;
        uint16_t flags; // polarity in bits 0-1, trigger mode in bits 2-3
    };
    uint64_t local_apic = 0;
    bool has_ioapic = false;
    uint64_t ioapic = 0;
    uint32_t ioapic_gsi_base = 0;
    Override overrides[kMaxOverrides] = {};
    uint32_t override_count = 0; // further overrides are ignored
    Processor processors[kMaxProcessors] = {};
    uint32_t processor_count = 0;
    uint32_t processors_disabled = 0;
    uint32_t processors_ignored = 0;
    // Entries are read until the first one whose length is impossible (< 2
    // or past the table): the entries before it are kept and this is set.
    bool truncated = false;
};
Result<Madt> parse_madt(const Table& table);

} // namespace vesta::acpi

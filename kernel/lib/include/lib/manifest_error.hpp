// lib/manifest_error.hpp — the errors of the driver-manifest parser
// (lib/manifest.hpp), the Diagnostic that locates them, and
// manifest::Result<T>, a value-or-error that the TRY macro understands.
//
// Every way a manifest (or the ELF image carrying it) can be wrong has its
// own Error code with a static, lower-case description (message()); the
// Diagnostic adds where (line:column, 1-based, columns in bytes) and a
// precise sentence naming the offending text, e.g.
//   4:3: unknown capability type 'ioprt' (expected ioport, irq, note, …)
// docs/manifest.md lists every code with an example.
#pragma once

#include <lib/result.hpp> // TRY()
#include <stddef.h>
#include <stdint.h>

namespace vesta::manifest {

enum class Error : uint8_t {
    None = 0,
    // The text as a whole.
    TooLarge,         // more than kMaxSize bytes
    NulByte,          // a NUL byte followed by more text
    ControlCharacter, // a byte below 0x20 (other than tab and line ends) or 0x7f
    LineTooLong,      // a line longer than kMaxLineLength bytes
    // Lexical and grammar errors.
    Syntax,             // an unexpected character or missing punctuation
    UnterminatedString, // a '"' without its closing '"' on the same line
    BadNumber,          // not a decimal or 0x-prefixed hexadecimal number
    NumberOverflow,     // a number that does not fit in 64 bits
    ValueTooLong,       // a name, description or string over its length limit
    // Sections and keys.
    UnknownSection,
    DuplicateSection,
    EntryOutsideSection,
    MissingSection, // no [driver] section
    UnknownKey,
    DuplicateKey,
    MissingKey,     // a required key (name, compatible) is absent
    BadValue,       // a value of the wrong kind (restart = sometimes, cspace = other)
    TooManyEntries, // more entries than a fixed-size table holds
    // Capabilities.
    BadSlot,        // neither a slot number nor '_'
    SlotOutOfRange, // above kMaxSlot
    SlotUsedTwice,
    UnknownType,
    UnknownOption,
    DuplicateOption,
    MissingOption,
    ConflictingOptions,     // base/size with reg, irq with interrupt
    ValueOutOfRange,        // pages=0, irq=5000, reg=99, restart-limit=0, …
    BadPortRange,           // ioport min >= max, or beyond port 0xffff
    PortsOverlap,           // two ioport entries of one manifest overlap
    IrqUsedTwice,           // the same IRQ line (or node interrupt) twice
    DeviceMemoryMisaligned, // base or size not a multiple of 4 KiB
    DeviceMemoryOverlap,    // two devmem entries of one manifest overlap
    SecondUniqueCapability, // two cspace = self, vspace = self or framebuffer entries
    BadNoteSlot,            // irq note=SLOT names no note capability
    NoDeviceTree,           // reg= or interrupt= without a [devicetree] section
    // Services.
    BadInterfaceName,
    // Restart policy.
    RestartKeyWithoutRestart, // restart-* keys with restart = never
    // The ELF image that carries the manifest (lib/manifest_image).
    ImageInvalid,        // not a valid executable for the machine (lib/elf)
    SectionTableInvalid, // its section headers are malformed (lib/elf_section)
    SectionMissing,      // no .manifest section
    SectionDuplicate,    // two .manifest sections
    SectionTooLarge,     // a .manifest section over kMaxSize bytes
    SectionNoBytes,      // a .manifest section without file bytes (SHT_NOBITS)
};

// A static, lower-case description of the class of `error`.
const char* message(Error error);

// 1-based position in the manifest text; columns count bytes. Line 0 means
// "not at a position in the text" (e.g. a missing ELF section).
struct Location {
    uint32_t line = 0;
    uint32_t column = 0;
};

inline constexpr size_t kMaxDiagnosticText = 200;

// What is wrong and where: filled by every failing parse.
struct Diagnostic {
    Error error = Error::None;
    Location location;
    char text[kMaxDiagnosticText] = {}; // the precise sentence, NUL-terminated
};

// Writes "line:column: text" (or just "text" when line is 0) into `out`,
// NUL-terminated and truncated to `size` bytes; returns the length written.
size_t format_diagnostic(const Diagnostic& diagnostic, char* out, size_t size);

// A value or a manifest::Error (lib/result.hpp). Works with TRY().
template <class T>
using Result = vesta::Result<T, Error>;

} // namespace vesta::manifest

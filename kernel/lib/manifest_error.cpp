// manifest_error.cpp — messages for manifest::Error, and the one way a
// Diagnostic is printed.
#include <lib/format.hpp>
#include <lib/manifest_error.hpp>

namespace vesta::manifest {

const char* message(Error error) {
    switch (error) {
    case Error::None: return "success";
    case Error::TooLarge: return "manifest too large";
    case Error::NulByte: return "NUL byte inside the manifest";
    case Error::ControlCharacter: return "control character in the manifest";
    case Error::LineTooLong: return "line too long";
    case Error::Syntax: return "syntax error";
    case Error::UnterminatedString: return "unterminated string";
    case Error::BadNumber: return "malformed number";
    case Error::NumberOverflow: return "number does not fit in 64 bits";
    case Error::ValueTooLong: return "value too long";
    case Error::UnknownSection: return "unknown section";
    case Error::DuplicateSection: return "section appears twice";
    case Error::EntryOutsideSection: return "entry before any section";
    case Error::MissingSection: return "required section missing";
    case Error::UnknownKey: return "unknown key";
    case Error::DuplicateKey: return "key appears twice";
    case Error::MissingKey: return "required key missing";
    case Error::BadValue: return "invalid value";
    case Error::TooManyEntries: return "too many entries";
    case Error::BadSlot: return "malformed slot";
    case Error::SlotOutOfRange: return "slot out of range";
    case Error::SlotUsedTwice: return "slot used twice";
    case Error::UnknownType: return "unknown capability type";
    case Error::UnknownOption: return "unknown option";
    case Error::DuplicateOption: return "option given twice";
    case Error::MissingOption: return "required option missing";
    case Error::ConflictingOptions: return "options exclude each other";
    case Error::ValueOutOfRange: return "value out of range";
    case Error::BadPortRange: return "invalid I/O-port range";
    case Error::PortsOverlap: return "I/O-port ranges overlap";
    case Error::IrqUsedTwice: return "IRQ requested twice";
    case Error::DeviceMemoryMisaligned: return "device memory not page-aligned";
    case Error::DeviceMemoryOverlap: return "device memory ranges overlap";
    case Error::SecondUniqueCapability: return "second cspace, vspace or framebuffer entry";
    case Error::BadNoteSlot: return "irq note= names no note";
    case Error::NoDeviceTree: return "node reference without [devicetree]";
    case Error::BadInterfaceName: return "invalid interface name";
    case Error::RestartKeyWithoutRestart: return "restart key with restart = never";
    case Error::ImageInvalid: return "invalid driver image";
    case Error::SectionTableInvalid: return "malformed ELF section headers";
    case Error::SectionMissing: return "no .manifest section";
    case Error::SectionDuplicate: return "more than one .manifest section";
    case Error::SectionTooLarge: return ".manifest section too large";
    case Error::SectionNoBytes: return ".manifest section has no file bytes";
    }
    return "unknown manifest error";
}

size_t format_diagnostic(const Diagnostic& diagnostic, char* out, size_t size) {
    BufferSink sink(out, size);
    if (diagnostic.location.line != 0) format(sink, "{}:{}: ", diagnostic.location.line, diagnostic.location.column);
    format(sink, "{}", diagnostic.text);
    return sink.length();
}

} // namespace vesta::manifest

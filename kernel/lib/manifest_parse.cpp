// manifest_parse.cpp — parse(): the text checks, the line loop and the
// section headers. Entries go to the per-section parsers
// (manifest_driver.cpp, manifest_capabilities.cpp), whole-manifest checks
// to manifest_check.cpp.
#include "manifest_internal.hpp"

#include <lib/new.hpp>

namespace vesta::manifest {

using detail::Excerpt;
using detail::Line;
using detail::Reporter;
using detail::Span;
using detail::State;

namespace {

enum class Section : uint8_t { None, Driver, Capabilities, Services, Provides, DeviceTree };
constexpr size_t kSectionCount = 6;
constexpr const char* kSectionNames[kSectionCount] = {"",         "driver",   "capabilities",
                                                      "services", "provides", "devicetree"};

// The end of the text proper: the first NUL, provided only NULs follow it.
// Checks every byte and every line's length on the way.
Result<size_t> check_text(const char* text, size_t size, Reporter& report) {
    if (size > kMaxSize)
        return report.fail(Error::TooLarge, {}, "manifest is {} bytes; the limit is {}", size, kMaxSize);
    uint32_t line = 1;
    size_t line_start = 0;
    size_t end = size;
    for (size_t i = 0; i < size; ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (end != size) {
            if (byte != 0)
                return report.fail(Error::NulByte, {line, static_cast<uint32_t>(end - line_start + 1)},
                                   "NUL byte inside the manifest text (text follows it)");
            continue;
        }
        const Location here{line, static_cast<uint32_t>(i - line_start + 1)};
        if (byte == 0) {
            end = i;
            continue;
        }
        if (byte == '\n') {
            ++line;
            line_start = i + 1;
            continue;
        }
        if (byte == '\r' && i + 1 < size && text[i + 1] == '\n') continue;
        if ((byte < 0x20 && byte != '\t') || byte == 0x7f)
            return report.fail(Error::ControlCharacter, here, "control character {:02x} in the text", byte);
        if (i - line_start >= kMaxLineLength)
            return report.fail(Error::LineTooLong, here, "line longer than {} bytes", kMaxLineLength);
    }
    return end;
}

// "[name]" (the cursor is on the '[').
Result<Section> parse_section_header(Line& line, Reporter& report) {
    line.accept('[');
    const Span name = line.take_word();
    if (name.empty()) return report.fail(Error::Syntax, name.location, "expected a section name after '['");
    if (!line.accept(']')) return report.fail(Error::Syntax, line.here(), "expected ']' after the section name");
    Section section = Section::None;
    for (size_t i = 1; i < kSectionCount; ++i) {
        if (name.equals(kSectionNames[i])) section = static_cast<Section>(i);
    }
    if (section == Section::None) {
        const Excerpt shown(name);
        return report.fail(Error::UnknownSection, name.location,
                           "unknown section [{}] (expected driver, capabilities, services, "
                           "provides or devicetree)",
                           shown.c_str());
    }
    TRY(line.expect_done(report, "after the section header"));
    return section;
}

Result<void> parse_entry(State& state, Section section, Line& line) {
    Reporter& report = *state.report;
    const Span key = line.take_token();
    if (key.empty()) {
        const Span rest = line.take_rest();
        const Excerpt shown(rest);
        return report.fail(Error::Syntax, key.location, "expected a key or a [section] header, found '{}'",
                           shown.c_str());
    }
    const Excerpt shown(key);
    if (section == Section::None)
        return report.fail(Error::EntryOutsideSection, key.location, "entry '{}' before any [section] header",
                           shown.c_str());
    line.skip_blanks();
    if (!line.accept('=')) return report.fail(Error::Syntax, line.here(), "expected '=' after '{}'", shown.c_str());
    line.skip_blanks();
    switch (section) {
    case Section::Driver: return detail::parse_driver_entry(state, key, line);
    case Section::Capabilities: return detail::parse_capability_entry(state, key, line);
    case Section::Services: return detail::parse_service_entry(state, key, line, false);
    case Section::Provides: return detail::parse_service_entry(state, key, line, true);
    case Section::DeviceTree: return detail::parse_devicetree_entry(state, key, line);
    case Section::None: break;
    }
    return {};
}

} // namespace

Result<void> parse(const char* text, size_t size, Manifest* out, Diagnostic* diagnostic) {
    // Constructed in place: a Manifest is a few KiB, too big for a
    // temporary on a small stack.
    new (diagnostic) Diagnostic();
    new (out) Manifest();
    Reporter report(diagnostic);
    const size_t end = TRY(check_text(text, size, report));

    State state{};
    state.manifest = out;
    state.report = &report;
    Section current = Section::None;
    Location seen[kSectionCount] = {};
    uint32_t number = 1;
    size_t start = 0;
    while (start < end) {
        size_t stop = start;
        while (stop < end && text[stop] != '\n') ++stop;
        const size_t next = stop + 1;
        if (stop > start && text[stop - 1] == '\r') --stop;
        Line line(text + start, text + stop, number);
        if (!line.done()) {
            if (line.peek() == '[') {
                const Location header = line.here();
                const Section section = TRY(parse_section_header(line, report));
                Location& first = seen[static_cast<size_t>(section)];
                if (first.line != 0)
                    return report.fail(Error::DuplicateSection, header, "section [{}] appears twice (first at line {})",
                                       kSectionNames[static_cast<size_t>(section)], first.line);
                first = header;
                if (section == Section::Driver) out->driver_location = header;
                if (section == Section::DeviceTree) {
                    out->has_devicetree = true;
                    out->devicetree_location = header;
                }
                current = section;
            } else {
                TRY(parse_entry(state, current, line));
            }
        }
        start = next;
        ++number;
    }
    TRY(detail::check_driver(state));
    return detail::check_capabilities(state);
}

const Capability* find_slot(const Manifest& manifest, uint32_t slot) {
    for (size_t i = 0; i < manifest.capability_count; ++i) {
        const Capability& capability = manifest.capabilities[i];
        if (!capability.any_slot && capability.slot == slot) return &capability;
    }
    return nullptr;
}

bool matches(const Manifest& manifest, const char* compatible) {
    for (size_t i = 0; i < manifest.compatible_count; ++i) {
        if (detail::strings_equal(manifest.compatibles[i].value, compatible)) return true;
    }
    return false;
}

const char* type_name(CapabilityType type) {
    switch (type) {
    case CapabilityType::IoPort: return "ioport";
    case CapabilityType::Irq: return "irq";
    case CapabilityType::Note: return "note";
    case CapabilityType::Endpoint: return "endpoint";
    case CapabilityType::DeviceMemory: return "devmem";
    case CapabilityType::Memory: return "memory";
    case CapabilityType::CapabilitySpace: return "cspace";
    case CapabilityType::VirtualSpace: return "vspace";
    case CapabilityType::Framebuffer: return "framebuffer";
    }
    return "unknown";
}

} // namespace vesta::manifest

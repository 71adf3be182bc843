// manifest_capabilities.cpp — one [capabilities] entry: `SLOT:TYPE = VALUE`,
// where VALUE is empty (note, endpoint, framebuffer), `self` (cspace, vspace) or a list
// of `option=NUMBER` separated by commas (ioport, irq, devmem, memory).
// Checks that relate entries to each other are in manifest_check.cpp.
#include "manifest_internal.hpp"

namespace vesta::manifest::detail {

namespace {

constexpr size_t kTypeCount = 9;
constexpr CapabilityType kTypes[kTypeCount] = {
    CapabilityType::IoPort,          CapabilityType::Irq,          CapabilityType::Note,
    CapabilityType::Endpoint,        CapabilityType::DeviceMemory, CapabilityType::Memory,
    CapabilityType::CapabilitySpace, CapabilityType::VirtualSpace, CapabilityType::Framebuffer,
};

constexpr size_t kMaxOptions = 4;

struct Option {
    Span name;
    uint64_t value = 0;
};

// The options given to one entry, checked against the type's known names.
struct Options {
    size_t count = 0;
    Option items[kMaxOptions];

    const Option* find(const char* name) const {
        for (size_t i = 0; i < count; ++i) {
            if (items[i].name.equals(name)) return &items[i];
        }
        return nullptr;
    }
};

// The options each type accepts, and how messages list them.
struct TypeOptions {
    const char* names[kMaxOptions];
    const char* listed;
};

TypeOptions options_of(CapabilityType type) {
    switch (type) {
    case CapabilityType::IoPort: return {{"min", "max"}, "min and max"};
    case CapabilityType::Irq: return {{"irq", "interrupt", "note"}, "irq, interrupt and note"};
    case CapabilityType::DeviceMemory: return {{"base", "size", "reg"}, "base, size and reg"};
    case CapabilityType::Memory: return {{"pages"}, "pages"};
    default: return {{}, "none"};
    }
}

// `name=NUMBER, name=NUMBER …` up to the end of the line.
Result<void> parse_options(Reporter& report, Line& line, CapabilityType type, Options* options) {
    const TypeOptions known = options_of(type);
    do {
        line.skip_blanks();
        const Span name = line.take_word();
        const Excerpt shown(name);
        if (name.empty()) {
            const Span rest = line.take_rest();
            const Excerpt found(rest);
            return report.fail(Error::Syntax, name.location, "expected an option name (one of {}), found '{}'",
                               known.listed, found.c_str());
        }
        bool accepted = false;
        for (const char* candidate : known.names) {
            if (candidate != nullptr && name.equals(candidate)) accepted = true;
        }
        if (!accepted)
            return report.fail(Error::UnknownOption, name.location, "unknown option '{}' for {} (expected {})",
                               shown.c_str(), type_name(type), known.listed);
        if (options->find(shown.c_str()) != nullptr)
            return report.fail(Error::DuplicateOption, name.location, "option '{}' given twice", shown.c_str());
        line.skip_blanks();
        if (!line.accept('='))
            return report.fail(Error::Syntax, line.here(), "expected '=' after option '{}'", shown.c_str());
        line.skip_blanks();
        Option& option = options->items[options->count++];
        option.name = name;
        option.value = TRY(line.take_number(report, shown.c_str()));
        if (line.done()) return {};
        if (!line.accept(',')) {
            const Span rest = line.take_rest();
            const Excerpt found(rest);
            return report.fail(Error::Syntax, rest.location, "expected ',' between options, found '{}'", found.c_str());
        }
        if (line.done()) return report.fail(Error::Syntax, line.here(), "expected another option after ','");
    } while (true);
}

Result<void> in_range(Reporter& report, const Option& option, uint64_t lowest, uint64_t highest) {
    if (option.value >= lowest && option.value <= highest) return {};
    const Excerpt shown(option.name);
    return report.fail(Error::ValueOutOfRange, option.name.location, "{}={} is out of range ({} to {})", shown.c_str(),
                       option.value, lowest, highest);
}

Result<void> apply_ioport(Reporter& report, const Options& options, Location at, Capability* capability) {
    const Option* min = options.find("min");
    const Option* max = options.find("max");
    if (min == nullptr || max == nullptr)
        return report.fail(Error::MissingOption, at, "ioport needs min= and max= (max is one past the last port)");
    if (min->value >= kPortCount)
        return report.fail(Error::BadPortRange, min->name.location, "ioport min={:x} is beyond the last port 0xffff",
                           min->value);
    if (max->value > kPortCount)
        return report.fail(Error::BadPortRange, max->name.location,
                           "ioport max={:x} is beyond 0x10000 (max is one past the last port)", max->value);
    if (min->value >= max->value)
        return report.fail(Error::BadPortRange, max->name.location,
                           "ioport max={:x} is not above min={:x} (max is one past the last port)", max->value,
                           min->value);
    capability->port_first = static_cast<uint32_t>(min->value);
    capability->port_end = static_cast<uint32_t>(max->value);
    return {};
}

Result<void> apply_irq(Reporter& report, const Options& options, Location at, Capability* capability) {
    const Option* irq = options.find("irq");
    const Option* interrupt = options.find("interrupt");
    const Option* note = options.find("note");
    if (irq != nullptr && interrupt != nullptr)
        return report.fail(Error::ConflictingOptions, interrupt->name.location,
                           "irq= (a fixed line) and interrupt= (the matched node's) exclude each other");
    if (irq == nullptr && interrupt == nullptr)
        return report.fail(Error::MissingOption, at, "irq needs irq=LINE or interrupt=INDEX");
    if (note == nullptr) return report.fail(Error::MissingOption, at, "irq needs note=SLOT (its note entry's slot)");
    if (irq != nullptr) {
        TRY(in_range(report, *irq, 0, kMaxIrq));
        capability->irq = static_cast<uint32_t>(irq->value);
    } else {
        TRY(in_range(report, *interrupt, 0, kMaxNodeIndex));
        capability->from_node = true;
        capability->node_index = static_cast<uint32_t>(interrupt->value);
    }
    TRY(in_range(report, *note, 0, kMaxSlot));
    capability->note_slot = static_cast<uint16_t>(note->value);
    capability->note_location = note->name.location;
    return {};
}

Result<void> apply_devmem(Reporter& report, const Options& options, Location at, Capability* capability) {
    const Option* base = options.find("base");
    const Option* size = options.find("size");
    const Option* reg = options.find("reg");
    if (reg != nullptr && (base != nullptr || size != nullptr))
        return report.fail(Error::ConflictingOptions, reg->name.location,
                           "base=/size= (fixed addresses) and reg= (the matched node's) exclude each other");
    if (reg != nullptr) {
        TRY(in_range(report, *reg, 0, kMaxNodeIndex));
        capability->from_node = true;
        capability->node_index = static_cast<uint32_t>(reg->value);
        return {};
    }
    if (base == nullptr || size == nullptr)
        return report.fail(Error::MissingOption, at, "devmem needs base= and size=, or reg=INDEX");
    if (base->value % kDevicePageSize != 0)
        return report.fail(Error::DeviceMemoryMisaligned, base->name.location,
                           "devmem base={:x} is not a multiple of 4 KiB", base->value);
    if (size->value == 0 || size->value % kDevicePageSize != 0)
        return report.fail(Error::DeviceMemoryMisaligned, size->name.location,
                           "devmem size={:x} is not a non-zero multiple of 4 KiB", size->value);
    uint64_t end = 0;
    if (__builtin_add_overflow(base->value, size->value, &end))
        return report.fail(Error::ValueOutOfRange, size->name.location,
                           "devmem base={:x} size={:x} runs past the end of the address space", base->value,
                           size->value);
    capability->base = base->value;
    capability->size = size->value;
    return {};
}

// Types of which a manifest has at most one entry (cspace, vspace, framebuffer).
Result<void> check_unique(State& state, CapabilityType type, Location at) {
    const Manifest& manifest = *state.manifest;
    for (size_t i = 0; i < manifest.capability_count; ++i) {
        if (manifest.capabilities[i].type == type)
            return state.report->fail(
                Error::SecondUniqueCapability, at, "a second {}{} entry (the first is at line {})", type_name(type),
                type == CapabilityType::Framebuffer ? "" : " = self", manifest.capabilities[i].location.line);
    }
    return {};
}

// The value of a cspace or vspace entry: `self`.
Result<void> parse_self(State& state, Line& line, CapabilityType type, Location at) {
    const Span value = line.take_rest();
    if (!value.equals("self")) {
        const Excerpt shown(value);
        return state.report->fail(Error::BadValue, value.location,
                                  "{} takes the value 'self' (the driver's own {}), found '{}'", type_name(type),
                                  type_name(type), shown.c_str());
    }
    return check_unique(state, type, at);
}

// "SLOT:TYPE" into the capability's slot and type.
Result<void> parse_key(State& state, const Span& key, Capability* capability) {
    Reporter& report = *state.report;
    size_t colon = 0;
    while (colon < key.length && key.data[colon] != ':') ++colon;
    const Excerpt shown(key);
    if (colon == key.length || colon == 0)
        return report.fail(Error::BadSlot, key.location, "expected SLOT:TYPE (e.g. 0:ioport or _:memory), found '{}'",
                           shown.c_str());
    const Span slot{key.data, colon, key.location};
    const Span type{key.data + colon + 1,
                    key.length - colon - 1,
                    {key.location.line, key.location.column + static_cast<uint32_t>(colon) + 1}};
    if (slot.equals("_")) {
        capability->any_slot = true;
    } else {
        if (!is_digit(slot.data[0])) {
            const Excerpt slot_text(slot);
            return report.fail(Error::BadSlot, slot.location, "slot '{}' is neither a number nor '_'",
                               slot_text.c_str());
        }
        const uint64_t number = TRY(parse_number(slot, report, "the slot"));
        if (number > kMaxSlot)
            return report.fail(Error::SlotOutOfRange, slot.location, "slot {} is out of range (0 to {})", number,
                               kMaxSlot);
        capability->slot = static_cast<uint16_t>(number);
        if (const Capability* other = find_slot(*state.manifest, capability->slot))
            return report.fail(Error::SlotUsedTwice, slot.location, "slot {} is already used by the entry at line {}",
                               number, other->location.line);
    }
    for (CapabilityType candidate : kTypes) {
        if (type.equals(type_name(candidate))) {
            capability->type = candidate;
            return {};
        }
    }
    const Excerpt type_text(type);
    return report.fail(Error::UnknownType, type.location,
                       "unknown capability type '{}' (expected ioport, irq, note, endpoint, "
                       "devmem, memory, cspace, vspace or framebuffer)",
                       type_text.c_str());
}

} // namespace

Result<void> parse_capability_entry(State& state, const Span& key, Line& line) {
    Reporter& report = *state.report;
    Manifest& manifest = *state.manifest;
    if (manifest.capability_count == kMaxCapabilities)
        return report.fail(Error::TooManyEntries, key.location, "more than {} entries in [capabilities]",
                           kMaxCapabilities);
    Capability capability;
    capability.location = key.location;
    TRY(parse_key(state, key, &capability));
    const CapabilityType type = capability.type;
    switch (type) {
    case CapabilityType::Note:
    case CapabilityType::Endpoint:
    case CapabilityType::Framebuffer:
        if (type == CapabilityType::Framebuffer) TRY(check_unique(state, type, key.location));
        if (!line.done()) {
            const Span rest = line.take_rest();
            const Excerpt shown(rest);
            return report.fail(Error::UnknownOption, rest.location, "{} takes no options, found '{}'", type_name(type),
                               shown.c_str());
        }
        break;
    case CapabilityType::CapabilitySpace:
    case CapabilityType::VirtualSpace: TRY(parse_self(state, line, type, key.location)); break;
    case CapabilityType::IoPort:
    case CapabilityType::Irq:
    case CapabilityType::DeviceMemory:
    case CapabilityType::Memory: {
        Options options;
        if (!line.done()) TRY(parse_options(report, line, type, &options));
        if (type == CapabilityType::IoPort) TRY(apply_ioport(report, options, key.location, &capability));
        if (type == CapabilityType::Irq) TRY(apply_irq(report, options, key.location, &capability));
        if (type == CapabilityType::DeviceMemory) TRY(apply_devmem(report, options, key.location, &capability));
        if (type == CapabilityType::Memory) {
            const Option* pages = options.find("pages");
            if (pages == nullptr) return report.fail(Error::MissingOption, key.location, "memory needs pages=N");
            TRY(in_range(report, *pages, kMinMemoryPages, kMaxMemoryPages));
            capability.pages = pages->value;
        }
        break;
    }
    }
    manifest.capabilities[manifest.capability_count++] = capability;
    return {};
}

} // namespace vesta::manifest::detail

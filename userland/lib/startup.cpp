// userland/lib/startup.cpp — parsing and building start-up blocks
// (vesta/startup.hpp, docs/process-startup.md).
#include <lib/utility.hpp>
#include <vesta/startup.hpp>

namespace vesta::startup {

namespace {

constexpr uint8_t kLastObjectType = static_cast<uint8_t>(ObjectType::System);

size_t string_length(const char* text) {
    size_t n = 0;
    while (text[n]) ++n;
    return n;
}

bool equal(const char* a, const char* b) {
    for (; *a && *a == *b; ++a, ++b) {
    }
    return *a == *b;
}

// A table of `count` entries of `entry_size` bytes at `offset` lies inside
// [sizeof(Header), size) and is 8-aligned.
bool table_fits(uint32_t offset, uint32_t count, size_t entry_size, uint32_t size) {
    uint64_t bytes = 0, end = 0;
    if (offset % 8 != 0 || offset < sizeof(Header)) return false;
    if (!checked_mul(count, entry_size, &bytes) || !checked_add(offset, bytes, &end)) return false;
    return end <= size;
}

bool capability_valid(const Capability& capability) {
    if (capability.type > kLastObjectType || capability.role > kLastRole) return false;
    if (capability.rights > rights::kAll || capability.reserved != 0) return false;
    const bool service = capability.role == static_cast<uint8_t>(Role::Service);
    if (!service && capability.interface_id != 0) return false;
    const bool endpoint_role = service || capability.role == static_cast<uint8_t>(Role::Stdout);
    if (endpoint_role && capability.type != static_cast<uint8_t>(ObjectType::Endpoint)) return false;
    return true;
}

bool note_valid(const Capability& capability) {
    for (char c : capability.note)
        if (c == '\0') return true;
    return false;
}

// Each string lies inside the area with its NUL right after it and none before.
bool strings_valid(const uint8_t* bytes, const Header& header, uint32_t table_offset, uint32_t count) {
    const auto* refs = reinterpret_cast<const StringRef*>(bytes + table_offset);
    const char* area = reinterpret_cast<const char*>(bytes + header.string_offset);
    for (uint32_t i = 0; i < count; ++i) {
        const StringRef ref = refs[i];
        if (uint64_t{ref.offset} + ref.length >= header.string_size) return false;
        for (uint32_t j = 0; j < ref.length; ++j)
            if (area[ref.offset + j] == '\0') return false;
        if (area[ref.offset + ref.length] != '\0') return false;
    }
    return true;
}

} // namespace

const char* parse_error_message(ParseError error) {
    switch (error) {
    case ParseError::None: return "valid";
    case ParseError::Misaligned: return "the block does not start 8-byte aligned";
    case ParseError::TooSmall: return "fewer bytes than a start-up block header";
    case ParseError::BadMagic: return "not a start-up block (bad magic)";
    case ParseError::BadVersion: return "start-up block version 0";
    case ParseError::BadSize: return "start-up block size below its header, beyond the bytes available or the maximum";
    case ParseError::BadTable: return "a table of the start-up block lies outside it, over its header, or misaligned";
    case ParseError::BadCapability:
        return "a capability entry has an unknown type or role, bad rights, a reserved byte set, or a misplaced "
               "interface id";
    case ParseError::BadNote: return "a capability note is not NUL-terminated";
    case ParseError::BadString: return "a string lies outside the string area or is not one NUL-terminated string";
    }
    return "unknown start-up block error";
}

Result<Block, ParseError> Block::parse(const void* data, size_t available) {
    if (reinterpret_cast<uintptr_t>(data) % 8 != 0) return ParseError::Misaligned;
    if (available < sizeof(Header)) return ParseError::TooSmall;
    const auto* bytes = static_cast<const uint8_t*>(data);
    const auto& header = *static_cast<const Header*>(data);
    if (header.magic != kMagic) return ParseError::BadMagic;
    if (header.version == 0) return ParseError::BadVersion;
    if (header.size < sizeof(Header) || header.size > available || header.size > kMaxSize) return ParseError::BadSize;
    if (!table_fits(header.capability_offset, header.capability_count, sizeof(Capability), header.size) ||
        !table_fits(header.argument_offset, header.argument_count, sizeof(StringRef), header.size) ||
        !table_fits(header.environment_offset, header.environment_count, sizeof(StringRef), header.size) ||
        !table_fits(header.string_offset, header.string_size, 1, header.size))
        return ParseError::BadTable;
    const auto* capabilities = reinterpret_cast<const Capability*>(bytes + header.capability_offset);
    for (uint32_t i = 0; i < header.capability_count; ++i) {
        if (!capability_valid(capabilities[i])) return ParseError::BadCapability;
        if (!note_valid(capabilities[i])) return ParseError::BadNote;
    }
    if (!strings_valid(bytes, header, header.argument_offset, header.argument_count) ||
        !strings_valid(bytes, header, header.environment_offset, header.environment_count))
        return ParseError::BadString;
    return Block(&header);
}

uint64_t Block::slot_of(Role role) const {
    for (size_t i = 0; i < capability_count(); ++i)
        if (capabilities()[i].role == static_cast<uint8_t>(role)) return capabilities()[i].slot;
    return kNoSlot;
}

uint64_t Block::service(uint32_t interface_id, size_t index) const {
    for (size_t i = 0; i < capability_count(); ++i) {
        const Capability& capability = capabilities()[i];
        if (capability.role != static_cast<uint8_t>(Role::Service) || capability.interface_id != interface_id) continue;
        if (index-- == 0) return capability.slot;
    }
    return kNoSlot;
}

const Capability* Block::find_note(const char* note) const {
    for (size_t i = 0; i < capability_count(); ++i)
        if (equal(capabilities()[i].note, note)) return &capabilities()[i];
    return nullptr;
}

const char* Block::string(uint32_t table_offset, size_t index) const {
    const auto* refs = reinterpret_cast<const StringRef*>(bytes() + table_offset);
    return reinterpret_cast<const char*>(bytes() + header_->string_offset + refs[index].offset);
}

const char* Block::argument(size_t index) const {
    if (index >= argument_count()) return nullptr;
    return string(header_->argument_offset, index);
}

const char* Block::environment_entry(size_t index) const {
    if (index >= environment_count()) return nullptr;
    return string(header_->environment_offset, index);
}

const char* Block::environment(const char* name) const {
    for (size_t i = 0; i < environment_count(); ++i) {
        const char* entry = environment_entry(i);
        size_t n = 0;
        while (name[n] && entry[n] == name[n]) ++n;
        if (!name[n] && entry[n] == '=') return entry + n + 1;
    }
    return nullptr;
}

Error Builder::add_capability(uint64_t slot, ObjectType type, uint8_t rights_mask, Role role, uint32_t interface_id,
                              const char* note) {
    if (capability_count_ == kMaxCapabilities) return Error::OutOfRange;
    if (!note || string_length(note) >= kNoteSize) return Error::InvalidArgument;
    Capability capability{};
    capability.slot = slot;
    capability.type = static_cast<uint8_t>(type);
    capability.rights = rights_mask;
    capability.role = static_cast<uint8_t>(role);
    capability.interface_id = interface_id;
    for (size_t i = 0; note[i]; ++i) capability.note[i] = note[i];
    if (!capability_valid(capability)) return Error::InvalidArgument;
    capabilities_[capability_count_++] = capability;
    return Error::None;
}

Error Builder::add_environment(const char* text) {
    if (!text) return Error::InvalidArgument;
    bool has_equals = false;
    for (size_t i = 0; text[i]; ++i) has_equals = has_equals || text[i] == '=';
    if (!has_equals) return Error::InvalidArgument;
    return add_string(text, true);
}

bool Builder::has_room_for(const char* text) const {
    return text && string_count_ < kMaxStrings && string_length(text) + 1 <= kMaxStringBytes - byte_count_;
}

Error Builder::add_string(const char* text, bool environment) {
    if (!text) return Error::InvalidArgument;
    if (string_count_ == kMaxStrings) return Error::OutOfRange;
    const size_t length = string_length(text);
    if (length + 1 > kMaxStringBytes - byte_count_) return Error::Overflow;
    strings_[string_count_++] = Entry{{static_cast<uint32_t>(byte_count_), static_cast<uint32_t>(length)}, environment};
    for (size_t i = 0; i <= length; ++i) bytes_[byte_count_ + i] = text[i];
    byte_count_ += length + 1;
    return Error::None;
}

size_t Builder::count_strings(bool environment) const {
    size_t n = 0;
    for (size_t i = 0; i < string_count_; ++i) n += strings_[i].environment == environment;
    return n;
}

size_t Builder::size() const {
    return sizeof(Header) + capability_count_ * sizeof(Capability) + string_count_ * sizeof(StringRef) +
           align_up(byte_count_, 8);
}

Error Builder::write(void* out, size_t capacity) const {
    const size_t total = size();
    if (capacity < total) return Error::Overflow;
    auto* bytes = static_cast<uint8_t*>(out);
    for (size_t i = 0; i < total; ++i) bytes[i] = 0;
    const size_t arguments = count_strings(false);
    Header header{};
    header.magic = kMagic;
    header.version = kVersion;
    header.size = static_cast<uint32_t>(total);
    header.ipc_buffer = ipc_buffer_;
    header.capability_count = static_cast<uint32_t>(capability_count_);
    header.capability_offset = sizeof(Header);
    header.argument_count = static_cast<uint32_t>(arguments);
    header.argument_offset = static_cast<uint32_t>(header.capability_offset + capability_count_ * sizeof(Capability));
    header.environment_count = static_cast<uint32_t>(string_count_ - arguments);
    header.environment_offset = static_cast<uint32_t>(header.argument_offset + arguments * sizeof(StringRef));
    header.string_offset =
        static_cast<uint32_t>(header.environment_offset + header.environment_count * sizeof(StringRef));
    header.string_size = static_cast<uint32_t>(align_up(byte_count_, 8));
    __builtin_memcpy(bytes, &header, sizeof(header));
    __builtin_memcpy(bytes + header.capability_offset, capabilities_, capability_count_ * sizeof(Capability));
    size_t next_argument = 0, next_environment = 0;
    for (size_t i = 0; i < string_count_; ++i) {
        const Entry& entry = strings_[i];
        const size_t offset = entry.environment ? header.environment_offset + next_environment++ * sizeof(StringRef)
                                                : header.argument_offset + next_argument++ * sizeof(StringRef);
        __builtin_memcpy(bytes + offset, &entry.ref, sizeof(StringRef));
    }
    __builtin_memcpy(bytes + header.string_offset, bytes_, byte_count_);
    return Error::None;
}

} // namespace vesta::startup

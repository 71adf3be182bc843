// lib/tar.cpp — ustar archive reader (see lib/tar.hpp).
#include <lib/string.hpp>
#include <lib/tar.hpp>

namespace vesta::tar {
namespace {

constexpr size_t kNameOffset = 0, kNameLength = 100;
constexpr size_t kSizeOffset = 124, kSizeLength = 12;
constexpr size_t kChecksumOffset = 148, kChecksumLength = 8;
constexpr size_t kTypeOffset = 156;
constexpr size_t kMagicOffset = 257;
constexpr size_t kPrefixOffset = 345, kPrefixLength = 155;

bool all_zero(const uint8_t* block) {
    for (size_t i = 0; i < kBlockSize; ++i)
        if (block[i]) return false;
    return true;
}

// An octal field: optional leading spaces, digits, then NUL or spaces to the end.
bool parse_octal(const uint8_t* field, size_t length, uint64_t* out) {
    size_t i = 0;
    while (i < length && field[i] == ' ') ++i;
    uint64_t value = 0;
    size_t digits = 0;
    for (; i < length && field[i] >= '0' && field[i] <= '7'; ++i, ++digits) {
        if (value >> 61) return false; // would overflow
        value = value * 8 + (field[i] - '0');
    }
    if (digits == 0) return false;
    for (; i < length; ++i)
        if (field[i] != 0 && field[i] != ' ') return false;
    *out = value;
    return true;
}

size_t bounded_length(const uint8_t* field, size_t length) {
    size_t n = 0;
    while (n < length && field[n]) ++n;
    return n;
}

} // namespace

const char* message(Error error) {
    switch (error) {
    case Error::None: return "no error";
    case Error::NotFound: return "file not found in the archive";
    case Error::Truncated: return "archive truncated: an entry extends past its end";
    case Error::BadMagic: return "not a ustar header (bad magic)";
    case Error::BadChecksum: return "header checksum mismatch";
    case Error::BadNumber: return "malformed octal number in a header";
    case Error::NameTooLong: return "entry name too long";
    case Error::Misaligned: return "archive size is not a multiple of 512 bytes";
    }
    return "unknown tar error";
}

bool Reader::next(Entry* out) {
    if (error_ != Error::None) return false;
    if (size_ % kBlockSize) {
        error_ = Error::Misaligned;
        return false;
    }
    if (offset_ == size_) return false; // end without a zero block: accepted
    const uint8_t* header = data_ + offset_;
    if (all_zero(header)) return false;
    if (header[kMagicOffset] != 'u' || header[kMagicOffset + 1] != 's' || header[kMagicOffset + 2] != 't' ||
        header[kMagicOffset + 3] != 'a' || header[kMagicOffset + 4] != 'r') {
        error_ = Error::BadMagic;
        return false;
    }
    uint64_t checksum = 0;
    if (!parse_octal(header + kChecksumOffset, kChecksumLength, &checksum)) {
        error_ = Error::BadNumber;
        return false;
    }
    uint64_t sum = 0;
    for (size_t i = 0; i < kBlockSize; ++i)
        sum += (i >= kChecksumOffset && i < kChecksumOffset + kChecksumLength) ? ' ' : header[i];
    if (sum != checksum) {
        error_ = Error::BadChecksum;
        return false;
    }
    uint64_t size = 0;
    if (!parse_octal(header + kSizeOffset, kSizeLength, &size)) {
        error_ = Error::BadNumber;
        return false;
    }
    const size_t data_offset = offset_ + kBlockSize;
    if (size > size_ - data_offset) {
        error_ = Error::Truncated;
        return false;
    }
    // Name: prefix "/" name, then drop a leading "./".
    const size_t prefix_length = bounded_length(header + kPrefixOffset, kPrefixLength);
    const size_t name_length = bounded_length(header + kNameOffset, kNameLength);
    size_t n = 0;
    if (prefix_length) {
        for (size_t i = 0; i < prefix_length; ++i) out->name[n++] = static_cast<char>(header[kPrefixOffset + i]);
        out->name[n++] = '/';
    }
    if (n + name_length > kMaxName) {
        error_ = Error::NameTooLong;
        return false;
    }
    for (size_t i = 0; i < name_length; ++i) out->name[n++] = static_cast<char>(header[kNameOffset + i]);
    out->name[n] = '\0';
    if (n >= 2 && out->name[0] == '.' && out->name[1] == '/') {
        for (size_t i = 2; i <= n; ++i) out->name[i - 2] = out->name[i];
    }
    out->type = header[kTypeOffset] ? static_cast<char>(header[kTypeOffset]) : '0';
    out->data = data_ + data_offset;
    out->size = size;
    // Data padded to whole blocks; size <= size_ - data_offset and size_ is a
    // multiple of 512, so the rounded size fits too.
    offset_ = data_offset + ((size + kBlockSize - 1) / kBlockSize) * kBlockSize;
    return true;
}

Result<Entry> find(const void* data, size_t size, const char* name) {
    Reader reader(data, size);
    Entry entry;
    while (reader.next(&entry))
        if ((entry.type == '0' || entry.type == '7') && strings_equal(entry.name, name)) return entry;
    return reader.error() != Error::None ? reader.error() : Error::NotFound;
}

} // namespace vesta::tar

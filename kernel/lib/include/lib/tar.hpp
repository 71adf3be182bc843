// lib/tar.hpp — reading ustar archives (the initramfs), without trusting them.
//
// Contract: every function reads only inside [data, data + size). An archive
// is a sequence of 512-byte headers, each followed by its data padded to 512
// bytes, ended by a zero block (or by the end of the data exactly at a header
// boundary). Each header is checked before use: the "ustar" magic, the
// checksum, octal numeric fields, and that the data lies inside the archive.
// Names are "prefix/name" with a leading "./" removed. Directories and other
// non-regular entries are skipped by find().
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <lib/result.hpp>

namespace vesta::tar {

enum class Error : uint8_t {
    None,
    NotFound,    // no regular file of that name (the archive is well-formed)
    Truncated,   // a header or file data extends past the end of the archive
    BadMagic,    // a header without the "ustar" magic
    BadChecksum, // a header whose checksum does not match its bytes
    BadNumber,   // a numeric field that is not octal digits
    NameTooLong, // prefix + name exceed kMaxName
    Misaligned,  // the archive size is not a multiple of 512
};

// A precise, human-readable description of a tar::Error.
const char* message(Error error);

template <class T>
using Result = vesta::Result<T, Error>;

inline constexpr size_t kBlockSize = 512;
inline constexpr size_t kMaxName = 256;

struct Entry {
    char name[kMaxName + 1]; // NUL-terminated, leading "./" removed
    char type;               // '0' regular file, '5' directory, ...
    const uint8_t* data;
    uint64_t size;
};

// Walks an archive entry by entry.
class Reader {
public:
    Reader(const void* data, size_t size) : data_(static_cast<const uint8_t*>(data)), size_(size) {}
    // The next entry in *out; returns false at the end of the archive (error()
    // is None) or on a malformed header (error() says why).
    bool next(Entry* out);
    Error error() const { return error_; }

private:
    const uint8_t* data_;
    size_t size_;
    size_t offset_ = 0;
    Error error_ = Error::None;
};

// Finds the regular file `name` (NUL-terminated). Fails with NotFound, or the
// first malformation met before it.
Result<Entry> find(const void* data, size_t size, const char* name);

} // namespace vesta::tar

// userland/shell/tables.hpp — the rows ps, caps, mem and devices print, one
// per record of sys::procmgr (vesta/process_records.hpp), in fixed-width
// columns (portable: the host tests check every column,
// test/unit/userland/shell/). Each function writes one line, ending in
// '\n', NUL-terminated, into `out` (kRowSize bytes).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <vesta/process_records.hpp>

namespace shell {

inline constexpr size_t kRowSize = 96;

// Text padded to a column: Row(out).left("name", 16).right(12, 6).end().
class Row {
public:
    // `out` has `capacity` bytes (at least 2); text beyond it is cut.
    explicit Row(char* out, size_t capacity = kRowSize) : out_(out), capacity_(capacity) { out_[0] = '\0'; }
    Row& left(const char* text, size_t width);
    Row& right(const char* text, size_t width);
    Row& right(uint64_t value, size_t width);
    Row& signed_right(int64_t value, size_t width);
    Row& hex(uint64_t value); // 0x-prefixed
    Row& text(const char* text);
    const char* end(); // the '\n'

private:
    void put(char c);
    char* out_;
    size_t capacity_;
    size_t length_ = 0;
};

extern const char kProcessHeader[];
void process_row(const vesta::records::ProcessRecord& record, char* out);
extern const char kCapabilityHeader[];
void capability_row(const vesta::records::CapabilityRecord& record, char* out);
extern const char kMemoryHeader[];
// kRowSize bytes; a record without a pool (ended) gives an empty line "".
void memory_row(const vesta::records::ProcessRecord& record, char* out);
extern const char kDeviceHeader[];
// `driver`: the registering process's name ("" if unknown).
void device_row(const vesta::records::DeviceRecord& record, const char* driver, char* out);

} // namespace shell

// userland/shell/tables.cpp — tables.hpp.
#include "tables.hpp"

#include "commands.hpp"

namespace shell {

namespace records = vesta::records;

namespace {

size_t length_of(const char* text) {
    size_t n = 0;
    while (text[n]) ++n;
    return n;
}

// The name of a record, NUL-terminated whatever the record holds.
void name_of(const char (&from)[sizeof(records::ProcessRecord::name)], char* to) {
    size_t i = 0;
    for (; i < sizeof(from) && from[i]; ++i) to[i] = from[i];
    to[i] = '\0';
    if (i == 0) to[0] = '-', to[1] = '\0';
}

} // namespace

void Row::put(char c) {
    if (length_ + 2 < capacity_) out_[length_++] = c; // room for '\n' and the NUL
    out_[length_] = '\0';
}

Row& Row::text(const char* text) {
    while (*text) put(*text++);
    return *this;
}

Row& Row::left(const char* text, size_t width) {
    const size_t n = length_of(text);
    this->text(text);
    for (size_t i = n; i < width; ++i) put(' ');
    return *this;
}

Row& Row::right(const char* text, size_t width) {
    for (size_t i = length_of(text); i < width; ++i) put(' ');
    return this->text(text);
}

Row& Row::right(uint64_t value, size_t width) {
    char digits[24];
    size_t n = 0;
    do {
        digits[n++] = static_cast<char>('0' + value % 10);
        value /= 10;
    } while (value);
    char text[24];
    for (size_t i = 0; i < n; ++i) text[i] = digits[n - 1 - i];
    text[n] = '\0';
    return right(text, width);
}

Row& Row::signed_right(int64_t value, size_t width) {
    if (value >= 0) return right(static_cast<uint64_t>(value), width);
    char text[24];
    vesta::BufferSink sink(text, sizeof(text));
    vesta::format(sink, "{}", value);
    return right(text, width);
}

Row& Row::hex(uint64_t value) {
    char text[24];
    vesta::BufferSink sink(text, sizeof(text));
    vesta::format(sink, "{:x}", value);
    return this->text(text);
}

const char* Row::end() {
    out_[length_++] = '\n';
    out_[length_] = '\0';
    return out_;
}

const char kProcessHeader[] = "  PID  NAME                     STATE    PAGES  CAPS  RESTARTS\n";

void process_row(const records::ProcessRecord& record, char* out) {
    char name[sizeof(record.name) + 2];
    name_of(record.name, name);
    Row row(out);
    row.right(uint64_t{record.pid}, 5).text("  ").left(name, 24).text(" ").left(process_state_name(record.state), 8);
    if (record.state == static_cast<uint8_t>(records::ProcessState::Ended)) {
        row.text("  status ").signed_right(record.status, 1);
    } else {
        row.right(record.pool_pages - record.free_pages, 6)
            .right(uint64_t{record.capabilities}, 6)
            .right(uint64_t{record.restarts}, 10);
    }
    row.end();
}

const char kCapabilityHeader[] = " SLOT  TYPE             RIGHTS  BADGE\n";

void capability_row(const records::CapabilityRecord& record, char* out) {
    char rights[5];
    rights_text(record.rights, rights);
    Row row(out);
    row.right(uint64_t{record.slot}, 5).text("  ").left(object_type_name(record.type), 16).text(" ").left(rights, 8);
    row.hex(record.badge);
    if (record.flags & records::kCapabilityOwner) row.text("  owner");
    row.end();
}

const char kMemoryHeader[] = "POOL                           TOTAL     FREE  (4 KiB pages)\n";

void memory_row(const records::ProcessRecord& record, char* out) {
    if (record.pool_pages == 0) {
        out[0] = '\0';
        return;
    }
    char label[48];
    vesta::BufferSink sink(label, sizeof(label));
    char name[sizeof(record.name) + 2];
    name_of(record.name, name);
    if (record.pid == 0)
        vesta::format(sink, "sysinit (for processes)");
    else
        vesta::format(sink, "{} (pid {})", static_cast<const char*>(name), record.pid);
    Row(out).left(sink.text(), 28).right(record.pool_pages, 8).right(record.free_pages, 9).end();
}

const char kDeviceHeader[] = "INTERFACE      INDEX  DRIVER\n";

void device_row(const records::DeviceRecord& record, const char* driver, char* out) {
    Row row(out);
    const char* interface = interface_name(record.interface_id);
    if (interface) {
        row.left(interface, 14);
    } else {
        row.hex(record.interface_id).text("    ");
    }
    row.right(uint64_t{record.index}, 6).text("  pid ").right(uint64_t{record.driver}, 1);
    if (driver && *driver) row.text(" (").text(driver).text(")");
    row.end();
}

} // namespace shell

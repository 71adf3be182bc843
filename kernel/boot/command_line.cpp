#include "command_line.hpp"

#include <lib/string.hpp>

namespace vesta {
namespace {

bool equals(const char* word, size_t length, const char* expected) { return equals_bytes(expected, word, length); }

// A decimal number of at most 9 digits within [low, high]; 0 when it is not one.
uint32_t bounded_number(const char* digits, size_t length, uint32_t low, uint32_t high) {
    if (length == 0 || length > 9) return 0;
    uint32_t value = 0;
    for (size_t i = 0; i < length; ++i) {
        if (digits[i] < '0' || digits[i] > '9') return 0;
        value = value * 10 + static_cast<uint32_t>(digits[i] - '0');
    }
    return value >= low && value <= high ? value : 0;
}

bool apply(KernelOptions& options, const char* word, size_t length) {
    if (equals(word, length, "emulator-exit")) {
        options.emulator_exit = true;
    } else if (equals(word, length, "exit-on-ready")) {
        options.exit_on_ready = true;
    } else if (equals(word, length, "fault-test=page")) {
        options.fault_test = FaultTest::PageFault;
    } else if (equals(word, length, "fault-test=trap")) {
        options.fault_test = FaultTest::Trap;
    } else if (equals(word, length, "fault-test=stack")) {
        options.fault_test = FaultTest::StackOverflow;
    } else if (equals(word, length, "fault-test=assert")) {
        options.fault_test = FaultTest::Assertion;
    } else if (equals(word, length, "fault-test=user-access")) {
        options.fault_test = FaultTest::UserAccess;
    } else if (equals(word, length, "test-firmware-leftovers")) {
        options.firmware_leftovers = true;
    } else if (equals(word, length, "test-cpus-no-wait")) {
        options.cpus_no_wait = true;
    } else if (equals(word, length, "no-tlb-tags")) {
        options.tlb_tags = false;
    } else if (length > 9 && equals_bytes("tlb-tags=", word, 9)) {
        const uint32_t limit =
            bounded_number(word + 9, length - 9, 3, 65536); // one CPU needs 3 (address_space_tags.hpp)
        if (limit == 0) return false;
        options.tlb_tag_limit = limit;
    } else if (length >= 5 && equals_bytes("init=", word, 5)) {
        options.init = word + 5;
        options.init_length = length - 5;
    } else if (equals(word, length, "console=serial")) {
        // The serial console is the only one; accepted for clarity.
    } else {
        return false;
    }
    return true;
}

bool name_character(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-' || c == '/';
}

} // namespace

const char* init_name_problem(const char* name, size_t length) {
    if (length == 0) return "the name is empty";
    if (length > kMaxInitProgramName) return "the name is longer than 64 bytes";
    for (size_t i = 0; i < length; ++i)
        if (!name_character(name[i])) return "only letters, digits and . _ - / may name a program";
    if (name[0] == '/' || name[length - 1] == '/') return "the name starts or ends with '/'";
    for (size_t start = 0; start < length;) {
        size_t end = start;
        while (end < length && name[end] != '/') ++end;
        const size_t component = end - start;
        if (component == 0) return "the name has an empty component ('//')";
        if ((component == 1 && name[start] == '.') || (component == 2 && name[start] == '.' && name[start + 1] == '.'))
            return "the name has a '.' or '..' component";
        start = end + 1;
    }
    return nullptr;
}

KernelOptions parse_command_line(const char* text, size_t length, void (*report)(const char*, size_t)) {
    KernelOptions options;
    size_t i = 0;
    while (i < length) {
        while (i < length && text[i] == ' ') ++i;
        const size_t start = i;
        while (i < length && text[i] != ' ' && text[i] != '\0') ++i;
        if (i > start && !apply(options, text + start, i - start) && report) report(text + start, i - start);
        if (i < length && text[i] == '\0') break;
    }
    return options;
}

} // namespace vesta

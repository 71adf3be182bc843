#include "command_line.hpp"

#include <lib/string.hpp>

namespace vesta {
namespace {

bool equals(const char* word, size_t length, const char* expected) { return equals_bytes(expected, word, length); }

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
    } else if (equals(word, length, "console=serial")) {
        // The serial console is the only one; accepted for clarity.
    } else {
        return false;
    }
    return true;
}

} // namespace

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

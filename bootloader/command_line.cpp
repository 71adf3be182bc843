// bootloader/command_line.cpp — see command_line.hpp.
#include "command_line.hpp"

#include <lib/string.hpp>

namespace vesta::loader {

uint64_t normalise_command_line(char* text, uint64_t size) {
    for (uint64_t i = 0; i < size; ++i) {
        if (text[i] == '\0' || text[i] == '\r' || text[i] == '\n' || text[i] == '\t') text[i] = ' ';
    }
    while (size && text[size - 1] == ' ') --size;
    text[size] = '\0';
    return size;
}

bool has_word(const char* line, uint64_t size, const char* word) {
    const size_t length = string_length(word);
    for (uint64_t i = 0; i + length <= size; ++i) {
        if ((i == 0 || line[i - 1] == ' ') && (i + length == size || line[i + length] == ' ') &&
            equals_bytes(word, line + i, length))
            return true;
    }
    return false;
}

} // namespace vesta::loader

#include "console.hpp"

namespace vesta::loader {

void Console::operator()(const char* text, size_t length) {
    if (!output_) return;
    CHAR16 buffer[129];
    size_t used = 0;
    auto flush = [&] {
        buffer[used] = 0;
        output_->OutputString(output_, buffer);
        used = 0;
    };
    for (size_t i = 0; i < length; ++i) {
        if (used + 2 >= 128) flush();
        const char c = text[i];
        if (c == '\n') buffer[used++] = u'\r';
        buffer[used++] = static_cast<CHAR16>(static_cast<unsigned char>(c) < 0x80 ? c : '?');
    }
    if (used) flush();
}

} // namespace vesta::loader

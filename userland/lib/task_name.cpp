// userland/lib/task_name.cpp — naming a task for the kernel's messages.
#include <user/runtime.hpp>

namespace vesta::user {

Error set_task_name(uint64_t task, const char* name) {
    uint64_t words[3] = {0, 0, 0}; // byte count, then up to 16 bytes
    uint64_t length = 0;
    for (; length < kMaxTaskName && name[length]; ++length)
        words[1 + length / 8] |= uint64_t{static_cast<uint8_t>(name[length])} << (8 * (length % 8));
    words[0] = length;
    return invoke_words(task, static_cast<uint64_t>(TaskLabel::SetName), words, 1 + (length + 7) / 8).error;
}

} // namespace vesta::user

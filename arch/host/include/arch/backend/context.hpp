// Host backend: the user register file is a plain array. Tests play the user
// side: they set registers, call vesta::handle_syscall and read the results.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace vesta::arch {

class UserContext {
public:
    static constexpr size_t kArgumentRegisters = 8;

    uint64_t syscall_number() const { return number_; }
    void set_syscall_number(uint64_t number) { number_ = number; }
    uint64_t argument(size_t index) const { return registers_[index]; }
    void set_argument(size_t index, uint64_t value) { registers_[index] = value; }
    uint64_t instruction_pointer() const { return instruction_pointer_; }
    void set_instruction_pointer(uint64_t value) { instruction_pointer_ = value; }
    uint64_t stack_pointer() const { return stack_pointer_; }
    // Host tests play the user: they see the rewound instruction pointer
    // and enter the kernel again (KernelFixture::syscall does).
    static constexpr uint64_t kSyscallInstructionBytes = 2;
    void restart_syscall() { instruction_pointer_ -= kSyscallInstructionBytes; }
    void set_stack_pointer(uint64_t value) { stack_pointer_ = value; }
    void initialise(uint64_t entry, uint64_t stack, uint64_t argument0) {
        *this = UserContext{};
        instruction_pointer_ = entry;
        stack_pointer_ = stack;
        registers_[0] = argument0;
    }

private:
    uint64_t registers_[kArgumentRegisters] = {};
    uint64_t number_ = 0;
    uint64_t instruction_pointer_ = 0;
    uint64_t stack_pointer_ = 0;
};

} // namespace vesta::arch

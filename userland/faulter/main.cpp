// userland/faulter — misbehaves on purpose; the argument (set by the parent
// through Task.WriteRegisters' r0) picks how: 1 privileged instruction,
// 2 unmapped access, 3 divide by zero, 4 undefined instruction, 5 an
// unknown syscall number. Has no
// console: the kernel or its fault handler reports what happened.
#include <faults_arch.hpp>
#include <user/runtime.hpp>

void main(uint64_t how) {
    switch (how) {
    case 1: vesta::user::privileged_instruction(); break;
    case 2: *reinterpret_cast<volatile uint64_t*>(uint64_t{0xdead0000}) = 1; break;
    case 3: vesta::user::divide_by_zero(); break;
    case 5: vesta::user::syscall(static_cast<vesta::Syscall>(99), 0); break; // no such syscall
    default: vesta::user::undefined_instruction(); break;
    }
}

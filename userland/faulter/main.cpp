// userland/faulter — misbehaves on purpose; its first argument (argv[1] of
// its start-up block) picks how: 1 privileged instruction, 2 unmapped
// access, 3 divide by zero, 4 undefined instruction, 5 an unknown syscall
// number; anything else (or none, e.g. started as the root task) an
// undefined instruction. Has no console: the kernel or its fault handler
// reports what happened.
#include <faults_arch.hpp>
#include <user/runtime.hpp>

void main(uint64_t) {
    const char* text = vesta::user::argument(1);
    const uint64_t how = text && text[0] >= '1' && text[0] <= '5' && !text[1] ? uint64_t(text[0] - '0') : 0;
    switch (how) {
    case 1: vesta::user::privileged_instruction(); break;
    case 2: *reinterpret_cast<volatile uint64_t*>(uint64_t{0xdead0000}) = 1; break;
    case 3: vesta::user::divide_by_zero(); break;
    case 5: vesta::user::syscall(static_cast<vesta::Syscall>(99), 0); break; // no such syscall
    default: vesta::user::undefined_instruction(); break;
    }
}

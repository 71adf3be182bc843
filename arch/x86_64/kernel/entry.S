// arch/x86_64/kernel/entry.S — kernel entry, traps, syscall and the return
// to user mode.
//
// The loader jumps to _start with interrupts masked, the kernel's page tables
// in CR3, the firmware's GDT still loaded, no usable stack, and the boot-info
// pointer in %rdi.
//
// Every trap frame has the layout of vesta::arch::UserContext
// (include/arch/backend/context.hpp): 15 general registers (rdi rsi rdx r10
// r8 r9 r12 r13 rax rbx rcx rbp r11 r14 r15, lowest address first), vector,
// error code, then the hardware frame (rip cs rflags rsp ss). From user mode
// TSS.rsp0 points just past the running thread's context, so the CPU and the
// stubs build the frame in the context itself; from kernel mode (faults in
// the kernel, interrupts while idle) the frame is on the kernel stack.
// Per-CPU data (arch/x86_64/kernel/per_cpu.hpp) is at %gs while in the kernel.
//
// The stacks are not here: kernel.ld places each in a segment of its own
// above an unmapped guard page (kernel_stacks.hpp).

#define PER_CPU_USER_RSP 8
#define PER_CPU_CONTEXT_TOP 16
#define PER_CPU_KERNEL_STACK 24
#define PER_CPU_CPU 32                  // PerCpu::cpu
#define CPU_CURRENT 16                  // vesta::Cpu::current
#define CPU_USER_TASK 24                // vesta::Cpu::user_task
#define LOCK_SERVING 4                  // vesta::KernelLock (smp/kernel_lock.hpp)
#define SYSCALL_VECTOR 0x100
#define FAST_PATH_SWITCHED 2            // vesta::FastPath::Switched (SameThread is 0)
#define FAST_PATH_NOT_TAKEN 1           // vesta::FastPath::NotTaken
#define FAST_PATH_TABLE_SIZE 16         // vesta::kFastPathTableSize (syscall/fast_path.hpp)
#define STACK_PAINT 0x6b6174736e726b76  // lib/kernel_stack.hpp kStackPaint

    .section .text.entry, "ax"
    .global _start
_start:
    lea boot_stack_top(%rip), %rsp
    pushq $2                        // RFLAGS: only the reserved bit; IF, DF, AC,
    popfq                           // TF, NT and IOPL as the kernel needs, not as left
    // Paint the whole boot stack (lib/kernel_stack.hpp) for the high-water mark.
    mov %rdi, %rbx                  // the boot-info pointer
    lea boot_stack_bottom(%rip), %rdi
    mov %rsp, %rcx
    sub %rdi, %rcx
    shr $3, %rcx
    movabs $STACK_PAINT, %rax
    rep stosq
    mov %rbx, %rdi
    xor %ebp, %ebp
    push %rbp                       // a zero return address ends backtraces
    call x86_64_kernel_entry        // (BootInfo*) never returns
1:  cli
    hlt
    jmp 1b

.macro push_general_registers
    push %r15
    push %r14
    push %r11
    push %rbp
    push %rcx
    push %rbx
    push %rax
    push %r13
    push %r12
    push %r9
    push %r8
    push %r10
    push %rdx
    push %rsi
    push %rdi
.endm

.macro pop_general_registers
    pop %rdi
    pop %rsi
    pop %rdx
    pop %r10
    pop %r8
    pop %r9
    pop %r12
    pop %r13
    pop %rax
    pop %rbx
    pop %rcx
    pop %rbp
    pop %r11
    pop %r14
    pop %r15
.endm

// Trap stubs: each pushes a zero error code where the CPU pushes none, then
// its vector, and joins trap_common.
.macro trap_stub vector, has_error_code
    .align 16
trap_stub_\vector:
    .if \has_error_code == 0
    push $0
    .endif
    push $\vector
    jmp trap_common
.endm

    .text
trap_stub 0, 0
trap_stub 1, 0
trap_stub 2, 0
trap_stub 3, 0
trap_stub 4, 0
trap_stub 5, 0
trap_stub 6, 0
trap_stub 7, 0
trap_stub 8, 1
trap_stub 9, 0
trap_stub 10, 1
trap_stub 11, 1
trap_stub 12, 1
trap_stub 13, 1
trap_stub 14, 1
trap_stub 15, 0
trap_stub 16, 0
trap_stub 17, 1
trap_stub 18, 0
trap_stub 19, 0
trap_stub 20, 0
trap_stub 21, 1
trap_stub 22, 0
trap_stub 23, 0
trap_stub 24, 0
trap_stub 25, 0
trap_stub 26, 0
trap_stub 27, 0
trap_stub 28, 0
trap_stub 29, 1
trap_stub 30, 1
trap_stub 31, 0
.altmacro
.set stubnum, 32
.rept 224
    trap_stub %stubnum, 0
    .set stubnum, stubnum + 1
.endr
.noaltmacro

// With SMAP on, clear RFLAGS.AC: a user thread may have set it (popf), and
// interrupt and exception delivery keep it, which would switch SMAP off in
// the kernel. (CLAC is #UD on CPUs without SMAP, hence the check.)
.macro clear_alignment_check
    cmpb $0, x86_64_smap_enabled(%rip)
    je 9f
    clac
9:
.endm

trap_common:
    testb $3, 24(%rsp)              // the saved CS: from user mode?
    jz 1f
    push_general_registers          // into the thread's context
    clear_alignment_check
    swapgs
    mov %rsp, %rdi
    mov %gs:PER_CPU_KERNEL_STACK, %rsp
    xor %ebp, %ebp
    cld
    call x86_64_user_trap           // (UserContext*) never returns
    ud2
1:  push_general_registers          // on the kernel stack
    clear_alignment_check
    mov %rsp, %rdi
    cld
    call x86_64_kernel_trap         // (UserContext*) returns only to resume the kernel
    pop_general_registers
    add $16, %rsp                   // vector and error code
    iretq

// SYSCALL: rcx = user rip, r11 = user rflags, interrupts masked and AC
// cleared by FMASK (so SMAP holds without a CLAC here).
// Build the same frame as an interrupt in the thread's context.
//
// Two entries from one macro: x86_64_syscall_entry takes the kernel lock
// (several CPUs run tasks), x86_64_syscall_entry_unlocked does not (one CPU
// runs tasks: vesta_kernel_locking false, smp/cross_cpu.hpp). Each CPU's
// LSTAR names one of them: the secondaries' always the locked one, the boot
// CPU's the unlocked one only when the boot decided that no secondary runs
// tasks (arch::run_user), so no instruction of the syscall path
// tests the mode.
//
// The frame is stored with moves below context_top, not pushed: only the
// words a syscall frame uses. Its cs and ss words always hold the user
// selectors (set when the context is made, written with the same values by
// every interrupt from user mode, forced by resume_checked before an IRETQ)
// and its error code is read only for exceptions, so they are left alone.
// rbp keeps the thread's value while the fast path runs (callee-saved in the
// kernel's C++, so the short exit need not reload it); it is zeroed (a zero
// frame pointer ends backtraces) before any other C++ runs.
.macro syscall_entry locked
    swapgs
    mov %rsp, %gs:PER_CPU_USER_RSP
    mov %gs:PER_CPU_CONTEXT_TOP, %rsp
    mov %rdi, -176(%rsp)
    mov %rsi, -168(%rsp)
    mov %rdx, -160(%rsp)
    mov %r10, -152(%rsp)
    mov %r8, -144(%rsp)
    mov %r9, -136(%rsp)
    mov %r12, -128(%rsp)
    mov %r13, -120(%rsp)
    mov %rax, -112(%rsp)
    mov %rbx, -104(%rsp)
    mov %rcx, -96(%rsp)             // rcx (the syscall put rip there)
    mov %rbp, -88(%rsp)
    mov %r11, -80(%rsp)             // r11 (the syscall put rflags there)
    mov %r14, -72(%rsp)
    mov %r15, -64(%rsp)
    movq $SYSCALL_VECTOR, -56(%rsp) // vector: sysret may return
    mov %rcx, -40(%rsp)             // rip
    mov %r11, -24(%rsp)             // rflags
    mov %gs:PER_CPU_USER_RSP, %rdi
    mov %rdi, -16(%rsp)             // rsp
    mov %gs:PER_CPU_KERNEL_STACK, %rsp
    mov %gs:PER_CPU_CPU, %rdi
.if \locked
    // The kernel lock, as enter_kernel() (smp/cross_cpu.hpp) takes it:
    // a ticket, and vesta_wait_for_turn only when it is not its turn.
    xor %esi, %esi
    xchg %rsi, CPU_USER_TASK(%rdi)  // the thread that trapped (xchg: a full barrier)
    mov $1, %ecx
    lock xadd %ecx, vesta_kernel_lock(%rip)
    cmp vesta_kernel_lock+LOCK_SERVING(%rip), %ecx
    jne 5f
    // (entry_is_syscall is not needed here: the frame's vector says it.)
    // Another CPU took the thread off this one meanwhile (the syscall was
    // rewound): just resume whatever this CPU runs now.
6:  cmp CPU_CURRENT(%rdi), %rsi
    jne 3f
.else
    mov CPU_CURRENT(%rdi), %rsi     // the thread that trapped: no other CPU acts on it
.endif
    // The fast path first: vesta_fast_paths[number](cpu, cpu->current)
    // (the number: rax is still the thread's), as vesta_fast_syscall would.
    cmp $FAST_PATH_TABLE_SIZE, %rax
    jae 7f
    call *vesta_fast_paths(,%rax,8) // -> FastPath in eax
    // SameThread (0) below NotTaken (1) below Switched (2): one compare.
    cmp $FAST_PATH_NOT_TAKEN, %eax
    jb 8f
    ja 3f
2:  xor %ebp, %ebp                  // NotTaken: the general path, then resume: never returns
    mov %eax, %edi
    call x86_64_syscall             // (FastPath)
    ud2
7:  mov $FAST_PATH_NOT_TAKEN, %eax // a number beyond the table: no fast path
    jmp 2b
3:  xor %ebp, %ebp
    mov %gs:PER_CPU_CPU, %rdi       // switched: run cpu->current
    call _ZN5vesta6x86_646resumeERNS_3CpuE // vesta::x86_64::resume(Cpu&) never returns
    ud2
8:
.if \locked
    // The lock, released as leave_kernel() does: only its holder writes
    // `serving`, and x86 keeps the stores in order.
    mov %gs:PER_CPU_CPU, %rdi
    mov CPU_CURRENT(%rdi), %rax
    mov %rax, CPU_USER_TASK(%rdi)
    incl vesta_kernel_lock+LOCK_SERVING(%rip)
.endif
    // Short exit: the fast path finished the syscall and the same thread runs
    // on with only r0..r7 changed (kernel/syscall/fast_path.hpp), in the same
    // address space with its FPU state loaded. rbx, rbp, r14 and r15 still
    // hold the thread's values (callee-saved in the kernel's C++); reload the
    // rest from the context, which context_top still ends.
    mov %gs:PER_CPU_CONTEXT_TOP, %r11
    mov -176(%r11), %rdi
    mov -168(%r11), %rsi
    mov -160(%r11), %rdx
    mov -152(%r11), %r10
    mov -144(%r11), %r8
    mov -136(%r11), %r9
    mov -128(%r11), %r12
    mov -120(%r11), %r13
    mov -112(%r11), %rax
    mov -40(%r11), %rcx             // rip
    mov -16(%r11), %rsp             // user rsp (an NMI here runs on its IST stack)
    mov -24(%r11), %r11             // rflags
    swapgs
    sysretq
.if \locked
5:  xor %ebp, %ebp                  // restored below: the fast path may keep the thread's
    push %rdi                       // not its turn yet: wait (answering requests)
    push %rsi
    push %rax
    sub $8, %rsp                    // keep the stack 16-byte aligned for the call
    mov %ecx, %esi
    call vesta_wait_for_turn        // (Cpu&, ticket)
    add $8, %rsp
    pop %rax
    pop %rsi
    pop %rdi
    mov %gs:PER_CPU_CONTEXT_TOP, %rbp
    mov -88(%rbp), %rbp             // the thread's rbp again (the short exit keeps it)
    jmp 6b
.endif
.endm

    .align 16
    .global x86_64_syscall_entry
x86_64_syscall_entry:
    syscall_entry 1

    .align 16
    .global x86_64_syscall_entry_unlocked
x86_64_syscall_entry_unlocked:
    syscall_entry 0

// x86_64_return_to_user(UserContext*): load the context and leave the
// kernel. The caller checked rip/rsp canonical and cs/ss/rflags sane. A frame
// built by SYSCALL returns with SYSRET (rcx and r11 are not preserved, as the
// ABI says); any other (interrupt, exception, fresh thread) with IRETQ, which
// restores every register.
    .align 16
    .global x86_64_return_to_user
x86_64_return_to_user:
    mov %rdi, %rsp
    cmpq $SYSCALL_VECTOR, 120(%rsp)
    je 2f
    pop_general_registers
    add $16, %rsp                   // vector and error code
    swapgs
    iretq
// x86_64_return_to_user_by_sysret(UserContext*): the same for a frame the
// caller knows was built by SYSCALL (vector SYSCALL_VECTOR), without the check.
    .global x86_64_return_to_user_by_sysret
x86_64_return_to_user_by_sysret:
    mov %rdi, %rsp
2:  pop %rdi
    pop %rsi
    pop %rdx
    pop %r10
    pop %r8
    pop %r9
    pop %r12
    pop %r13
    pop %rax
    pop %rbx
    add $8, %rsp                    // rcx: gets rip
    pop %rbp
    add $8, %rsp                    // r11: gets rflags
    pop %r14
    pop %r15
    mov 16(%rsp), %rcx              // rip
    mov 32(%rsp), %r11              // rflags
    mov 40(%rsp), %rsp              // user rsp (an NMI here runs on its IST stack)
    swapgs
    sysretq

// x86_64_idle(stack_top): wait for an interrupt on a fresh kernel stack. The
// interrupt enters through trap_common (kernel mode) and never comes back here.
    .global x86_64_idle
x86_64_idle:
    mov %rdi, %rsp
    xor %ebp, %ebp
1:  sti
    hlt
    cli
    jmp 1b

// The table of stub addresses, read by the IDT setup.
    .section .rodata
    .global trap_stub_table
    .align 8
trap_stub_table:
.altmacro
.macro stub_address n
    .quad trap_stub_\n
.endm
.set stubnum, 0
.rept 256
    stub_address %stubnum
    .set stubnum, stubnum + 1
.endr
.noaltmacro

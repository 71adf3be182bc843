// userland/hello — two programs in one image, told apart by argv:
// - started with arguments (a shell's `hello a b c`, through procmgr.spawn,
//   which always gives argv[0]): prints its argv, one line each, on its
//   standard output and exits with status 0 (docs/shell.md);
// - started by the demonstration (init=demo), whose block has no argv: the
//   demo's second task. Slots: 0 own task, 1 console, 2 the root's endpoint (Write|Grant,
//   badged), 3 memory to pay for its own objects.
#include <faults_arch.hpp>
#include <user/runtime.hpp>

using namespace vesta;
using namespace vesta::user;

namespace {

void print_arguments() {
    out("hello: {} argument{}\n", argument_count(), argument_count() == 1 ? "" : "s");
    for (size_t i = 0; i < argument_count(); ++i) out("argv[{}] = \"{}\"\n", i, argument(i));
}

} // namespace

void main(uint64_t) {
    if (argument_count() > 0) {
        print_arguments();
        return;
    }
    runtime.memory = 3;
    puts("hello: second task running in its own address space\n");
    // A notification of our own, sent to the root with the first call.
    uint64_t notification = 0;
    if (create(ObjectType::Notification, 0, &notification) != Error::None) {
        puts("hello: cannot create a notification\n");
        return;
    }
    runtime.ipc_buffer->caps[0] = notification;
    SyscallResult reply = syscall(Syscall::Call, 2, MessageTag::make(1, 2, 1), 0x70696e67 /* "ping" */, 41);
    print("hello: reply error={} label={} words={},{}\n", error_name(reply.error), reply.tag.label(), reply.words[0],
          reply.words[1]);
    // Block with a marker in an FP/SIMD register while the root scribbles on its own.
    const uint64_t marker = 0x1234'5678'9abc'def0;
    const uint64_t after = fp_register_across_wait(notification, marker);
    puts("hello: notification signalled by the root, bits=0x1\n");
    print("hello: FP/SIMD register {} across the switch\n", after == marker ? "kept" : "CORRUPTED");
}

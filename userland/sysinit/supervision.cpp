// userland/sysinit/supervision.cpp — exits and faults of sysinit's
// processes (supervision.hpp).
#include "supervision.hpp"

#include "sysinit.hpp"

namespace sysinit {

using namespace vesta;

void handle_fault_message(ProcessTable& processes, uint32_t pid, const ipc::Message& message, ipc::Message& reply) {
    ipc::set_error_reply(reply, Error::NotSupported); // never label 0: that would resume a faulted thread
    Process* process = processes.find(pid);
    if (!process || process->state != Process::State::Running) return;
    const uint64_t kind = message.tag.label();
    const uint64_t address = message.tag.words() > 0 ? message.words[0] : 0;
    const uint64_t ip = message.tag.words() > 1 ? message.words[1] : 0;
    const uint64_t detail = message.tag.words() > 2 ? message.words[2] : 0;
    if (kind == static_cast<uint64_t>(FaultKind::Exited)) {
        processes.end(*process, static_cast<int64_t>(detail), "exited");
        return;
    }
    const char* name = kind >= 1 && kind <= 6 ? fault_kind_name(static_cast<FaultKind>(kind)) : "unknown fault";
    char why[160];
    BufferSink sink(why, sizeof(why));
    format(sink, "stopped by a {} at address {:x}, ip {:x}, detail {:x}", name, address, ip, detail);
    processes.end(*process, -static_cast<int64_t>(kind), why);
}

} // namespace sysinit

// userland/sysinit/supervision.hpp — sysinit as the fault handler of every
// process it starts, and the supervisor that restarts drivers
// (docs/userland.md, "Supervision").
//
// Faults and exits. Each process's fault endpoint is sysinit's endpoint
// with the badge (Fault, pid); only the kernel sends on it:
// FaultKind::Exited (a plain send, words: 0, ip, status) when the process
// calls Exit, a fault (a call, words: address, ip, detail) when its thread
// faults. An exit ends the process with its status; a fault is logged (the
// process, the fault kind, the address and instruction pointer) and ends it
// with −kind. The reply to a fault never resumes the thread (a non-zero
// label; the thread is gone by then anyway). A message for a pid that is no
// longer running is ignored.
//
// Restarts. A driver loaded with devloader.load_path is supervised: the
// Supervisor keeps a record of it (its name, its image inside the
// initramfs, the restart policy of its manifest, copies of what
// procmgr.grant gave it before it first started). When a process of a
// supervised driver that has run ends, the policy decides
// (restart_policy.hpp): the end's log line says "; restart N of LIMIT in D
// ms", or the driver is given up ("sysinit: NAME (pid P) crashed N times
// in W s; giving up"), or left down (its policy does not restart this end).
// A restart repeats the first start: a new process and pool, the loader's
// prepare from the same image (the old pool's claims were released when
// it died, so the same resources are granted again), the same procmgr
// grants, start. The new process has a new pid, `restarts` one more than
// the last, and the fault that ended the last one; the old entry is
// collected then. Its devices keep their indexes meanwhile (devices.hpp).
// Its environment holds `log-from=SEQ`, the kernel log's end when the last
// process ended: a console driver forwards the log from there instead of
// from the hand-over, so a restart does not print the whole log again.
// A restart that fails (no process entry: tried again in 1 s; the image or
// a grant refused, the start failed) counts as a failed end.
#pragma once

#include <vesta/ipc/message.hpp>

#include "devices.hpp"
#include "processes.hpp"
#include "restart_policy.hpp"
#include "supervision_timer.hpp"

namespace sysinit {

class DriverLoading;

void handle_fault_message(ProcessTable& processes, uint32_t pid, const vesta::ipc::Message& message,
                          vesta::ipc::Message& reply);

// Holds a RestartTracker per driver (8 KiB each): give it static storage.
// Runs on sysinit's serving thread only.
class Supervisor {
public:
    static constexpr size_t kMaxSupervised = 16;
    static constexpr size_t kMaxKeptGrants = 4; // per driver (sysinit.hpp reserves the slots)
    static constexpr uint64_t kRetryMs = 1000;  // a restart that found no process entry

    Supervisor(ProcessTable& processes, Devices& devices, DriverLoading& loading, SupervisionTimer& timer)
        : processes_(processes), devices_(devices), loading_(loading), timer_(timer) {}

    // devloader.load_path loaded driver `process` from `image` in the
    // initramfs: supervise it. False when the table is full (the driver
    // then runs unsupervised; logged).
    bool adopt(Process& process, const void* image, size_t size, const vesta::manifest::RestartPolicy& policy);

    // --- Hooks (main.cpp wires them).
    // A process was spawned, its grants still held: the first time, copy them.
    void spawned(const Process& process);
    // A process ended (ProcessTable's end-note hook): decide.
    void ended(Process& process, int64_t status, char* note, size_t size);
    // After ended(): whether its devices keep their places (a restart is due).
    bool restarting(const Process& process) const;
    // The timer's notification was signalled: restart what is due.
    void on_timer();
    // A restarted driver registered a device again.
    void registered(uint32_t identity);
    // The supervisor id of process `pid` (0: none).
    uint32_t identity_of(uint32_t pid);

private:
    enum class State : uint8_t { Free, Loaded, Running, Waiting };
    struct Supervised {
        State state = State::Free;
        uint32_t id = 0;
        uint32_t pid = 0; // its current (or last) process
        char name[Process::kNameSize] = {};
        const void* image = nullptr;
        size_t image_size = 0;
        RestartTracker tracker;
        struct Kept {
            uint64_t capability; // a reserved slot (supervised_slot)
            uint64_t slot;       // in the driver
        } kept[kMaxKeptGrants] = {};
        size_t kept_count = 0;
        bool grants_copied = false;
        uint32_t restarts = 0;
        uint8_t fault_kind = 0;
        uint64_t fault_address = 0;
        uint64_t due_us = 0;   // Waiting: when to restart
        uint64_t ended_us = 0; // when the last process ended
        uint64_t log_end = 0;  // the kernel log's end then (the restarted console driver forwards from there)
    };

    Supervised* find_pid(uint32_t pid);
    void restart(Supervised& driver);
    void arm_next();
    void free(Supervised& driver);

    ProcessTable& processes_;
    Devices& devices_;
    DriverLoading& loading_;
    SupervisionTimer& timer_;
    Supervised drivers_[kMaxSupervised];
    uint32_t next_id_ = 1;
};

} // namespace sysinit

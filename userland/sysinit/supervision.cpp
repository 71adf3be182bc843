// userland/sysinit/supervision.cpp — exits and faults of sysinit's
// processes, and the restart of supervised drivers (supervision.hpp).
#include "supervision.hpp"

#include "driver_loading.hpp"
#include "sysinit.hpp"

namespace sysinit {

using namespace vesta;
using namespace vesta::user;
using Verdict = RestartTracker::Verdict;

static_assert(Supervisor::kMaxSupervised * Supervisor::kMaxKeptGrants <= kReservedSupervisedSlots);

namespace {

const char* kind_name(uint64_t kind) {
    return kind >= 1 && kind <= 6 ? fault_kind_name(static_cast<FaultKind>(kind)) : "unknown fault";
}

void copy_name(char* to, const char* from) {
    size_t i = 0;
    for (; from[i] && i + 1 < Process::kNameSize; ++i) to[i] = from[i];
    to[i] = '\0';
}

// "10 s" or "1500 ms".
struct Span {
    char text[24];
};
Span span(uint64_t ms) {
    Span s;
    BufferSink sink(s.text, sizeof(s.text));
    if (ms != 0 && ms % 1000 == 0)
        format(sink, "{} s", ms / 1000);
    else
        format(sink, "{} ms", ms);
    return s;
}

} // namespace

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
    char why[160];
    BufferSink sink(why, sizeof(why));
    const char* name = kind_name(kind);
    const bool vowel = name[0] == 'a' || name[0] == 'e' || name[0] == 'i' || name[0] == 'o' || name[0] == 'u';
    format(sink, "stopped by {} {} at address {:x}, ip {:x}, detail {:x}", vowel ? "an" : "a", name, address, ip,
           detail);
    process->fault_kind = static_cast<uint8_t>(kind);
    process->fault_address = address;
    processes.end(*process, -static_cast<int64_t>(kind), why);
}

Supervisor::Supervised* Supervisor::find_pid(uint32_t pid) {
    if (pid == 0) return nullptr;
    for (Supervised& driver : drivers_)
        if (driver.state != State::Free && driver.pid == pid) return &driver;
    return nullptr;
}

uint32_t Supervisor::identity_of(uint32_t pid) {
    const Process* process = processes_.find(pid);
    return process ? process->supervised : 0;
}

bool Supervisor::adopt(Process& process, const void* image, size_t size, const manifest::RestartPolicy& policy) {
    size_t index = kMaxSupervised;
    for (size_t i = 0; i < kMaxSupervised; ++i) {
        if (drivers_[i].state == State::Free) {
            index = i;
            break;
        }
    }
    if (index == kMaxSupervised) {
        log("{}: not supervised: the supervisor's table ({} drivers) is full",
            static_cast<const char*>(label_of(process).text), kMaxSupervised);
        return false;
    }
    Supervised& driver = drivers_[index];
    driver.state = State::Loaded;
    driver.id = next_id_++;
    driver.pid = process.pid;
    copy_name(driver.name, process.name);
    driver.image = image;
    driver.image_size = size;
    driver.tracker = RestartTracker(policy);
    driver.kept_count = 0;
    driver.grants_copied = false;
    driver.restarts = 0;
    driver.fault_kind = 0;
    driver.fault_address = 0;
    process.supervised = driver.id;
    return true;
}

void Supervisor::spawned(const Process& process) {
    Supervised* driver = find_pid(process.pid);
    if (!driver) return;
    driver->state = State::Running;
    if (driver->grants_copied) return;
    driver->grants_copied = true;
    // What procmgr.grant gave it sits in its reserved held slots; the
    // loader's capabilities and services are made again by each prepare.
    const size_t base = static_cast<size_t>(driver - drivers_) * kMaxKeptGrants;
    for (size_t i = 0; i < process.startup.grant_count(); ++i) {
        const Grant& grant = process.startup.grant_at(i);
        if (grant.source < held_slot(0) || grant.source >= held_slot(kReservedHeldSlots)) continue;
        if (driver->kept_count == kMaxKeptGrants) {
            log("{}: a restart will not repeat its grant at slot {}: more than {} grants",
                static_cast<const char*>(label_of(process).text), grant.slot, kMaxKeptGrants);
            continue;
        }
        const uint64_t kept = supervised_slot(base + driver->kept_count);
        if (const Error e = copy_capability(grant.source, kept); e != Error::None) {
            log("{}: a restart will not repeat its grant at slot {}: {}",
                static_cast<const char*>(label_of(process).text), grant.slot, error_name(e));
            continue;
        }
        driver->kept[driver->kept_count++] = {kept, grant.slot};
    }
}

void Supervisor::ended(Process& process, int64_t status, char* note, size_t size) {
    Supervised* driver = find_pid(process.pid);
    if (!driver) return;
    if (driver->state == State::Loaded) { // it never ran: nothing to restart
        free(*driver);
        return;
    }
    const uint64_t now = timer_.now_us();
    driver->ended_us = now;
    const InvokeResult log_end = invoke(runtime.console, ConsoleLabel::Read, ~uint64_t{0});
    driver->log_end = log_end.error == Error::None ? log_end.words[0] : 0;
    driver->fault_kind = process.fault_kind;
    driver->fault_address = process.fault_address;
    const RestartTracker::Decision decision = driver->tracker.on_end(now / 1000, status != 0);
    BufferSink sink(note, size);
    switch (decision.verdict) {
    case Verdict::Restart:
        driver->state = State::Waiting;
        driver->due_us = now + decision.delay_ms * 1000;
        format(sink, "; restart {} of {} in {} ms", decision.restart, decision.limit, decision.delay_ms);
        arm_next();
        return;
    case Verdict::GiveUp:
        log("{} crashed {} times in {}; giving up", static_cast<const char*>(label_of(process).text),
            decision.ends_in_window, static_cast<const char*>(span(decision.window_ms).text));
        format(sink, "; not restarted");
        break;
    case Verdict::Stay: format(sink, "; not restarted (its restart policy)"); break;
    }
    devices_.forget(driver->id); // no-op unless it had placeholders from an earlier restart
    free(*driver);
}

bool Supervisor::restarting(const Process& process) const {
    for (const Supervised& driver : drivers_)
        if (driver.state == State::Waiting && driver.pid == process.pid) return true;
    return false;
}

void Supervisor::arm_next() {
    uint64_t next = ~uint64_t{0};
    for (const Supervised& driver : drivers_)
        if (driver.state == State::Waiting && driver.due_us < next) next = driver.due_us;
    if (next == ~uint64_t{0}) return;
    const uint64_t now = timer_.now_us();
    timer_.arm(next > now ? next - now : 0);
}

void Supervisor::on_timer() {
    const uint64_t now = timer_.now_us();
    for (Supervised& driver : drivers_)
        if (driver.state == State::Waiting && driver.due_us <= now) restart(driver);
    arm_next();
}

void Supervisor::restart(Supervised& driver) {
    // The last process's entry: its status is the supervisor's to collect.
    if (Process* old = processes_.find(driver.pid)) processes_.collect(*old);
    auto created = processes_.create(driver.name);
    if (!created.ok()) {
        log("cannot restart {}: {}; trying again in {} ms", static_cast<const char*>(driver.name),
            created.error().is_protocol_error() ? "the process table is full" : error_name(created.error().abi_error()),
            kRetryMs);
        driver.due_us = timer_.now_us() + kRetryMs * 1000;
        return;
    }
    Process& process = *created.value();
    ++driver.restarts;
    driver.pid = process.pid;
    driver.state = State::Running; // from here on an end of this process is a failed end
    process.supervised = driver.id;
    process.restarts = driver.restarts;
    process.last_fault_kind = driver.fault_kind;
    process.last_fault_address = driver.fault_address;
    if (auto loaded = loading_.load_image(process, driver.image, driver.image_size); !loaded.ok()) {
        processes_.end(process, kStartFailed, "could not be loaded again");
        return;
    }
    if (driver.log_end != 0) {
        char from[40];
        BufferSink sink(from, sizeof(from));
        format(sink, "log-from={}", driver.log_end);
        (void)process.startup.add_environment(from); // without it, a console driver repeats the log: harmless
    }
    for (size_t i = 0; i < driver.kept_count; ++i) {
        if (holds_filler(driver.kept[i].capability)) { // what was granted died with its holder's pool
            char why[96];
            BufferSink sink(why, sizeof(why));
            format(sink, "could not be given its grant at slot {} again (it no longer exists)", driver.kept[i].slot);
            processes_.end(process, kStartFailed, why);
            return;
        }
        if (auto granted = processes_.grant_copy(process, driver.kept[i].capability, driver.kept[i].slot);
            !granted.ok()) {
            char why[96];
            BufferSink sink(why, sizeof(why));
            const ipc::Status status = granted.error();
            format(sink, "could not be given its grant at slot {} again ({})", driver.kept[i].slot,
                   status.is_protocol_error() ? "bad_state" : error_name(status.abi_error()));
            processes_.end(process, kStartFailed, why);
            return;
        }
    }
    (void)processes_.start(process); // a failed start ends it: a failed end
}

void Supervisor::registered(uint32_t identity) {
    for (Supervised& driver : drivers_) {
        if (driver.state == State::Free || driver.id != identity) continue;
        Process* process = processes_.find(driver.pid);
        const uint64_t elapsed = timer_.now_us() - driver.ended_us;
        if (process)
            log("{} is back (restart {}): a device registered again {}.{} ms after the end",
                static_cast<const char*>(label_of(*process).text), driver.restarts, elapsed / 1000,
                elapsed % 1000 / 100);
        return;
    }
}

void Supervisor::free(Supervised& driver) {
    for (size_t i = 0; i < driver.kept_count; ++i) drop(driver.kept[i].capability);
    driver.kept_count = 0;
    driver.state = State::Free;
    driver.pid = 0;
}

} // namespace sysinit

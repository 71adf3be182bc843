// userland/svctest/process_tests.cpp — the process manager: exit statuses,
// faults, kill and wait in both orders, unknown pids, bad images, wrong
// states.
#include <sys/procmgr.ipc.hpp>

#include "svctest.hpp"
#include "tests.hpp"

namespace svctest {

namespace sys = vesta::proto::sys;

namespace {

ipc::Status status_of(const ipc::Result<void>& result) { return result.error(); }
template <class T>
ipc::Status status_of(const ipc::Result<T>& result) {
    return result.ok() ? ipc::Status() : result.error();
}

Verdict exit_status_reaches_wait(Context& ctx) {
    uint64_t endpoint = kNoSlot;
    auto pid = start_child(ctx, &endpoint);
    if (!pid.ok()) return fail("starting svcchild: {}", status_name(pid.error()));
    if (const Error e = command(endpoint, kCommandExit, 7); e != Error::None)
        return fail("sending the exit command: {}", error_name(e));
    auto status = sys::procmgr::wait(*ctx.transport, ctx.procmgr, pid.value());
    if (!status.ok() || status.value() != 7)
        return fail("wait gave {} ({}), not status 7", status.ok() ? status.value() : 0, status_name(status.error()));
    auto again = sys::procmgr::wait(*ctx.transport, ctx.procmgr, pid.value());
    return expect("a second wait on a collected process", status_of(again), sys::no_process);
}

Verdict fault_gives_negative_status(Context& ctx) {
    uint64_t endpoint = kNoSlot;
    auto pid = start_child(ctx, &endpoint);
    if (!pid.ok()) return fail("starting svcchild: {}", status_name(pid.error()));
    if (const Error e = command(endpoint, kCommandFault); e != Error::None)
        return fail("sending the fault command: {}", error_name(e));
    auto status = sys::procmgr::wait(*ctx.transport, ctx.procmgr, pid.value());
    const auto page_fault = -static_cast<int64_t>(FaultKind::PageFault);
    if (!status.ok() || status.value() != page_fault)
        return fail("wait gave {} ({}), not {} (a page fault)", status.ok() ? status.value() : 0,
                    status_name(status.error()), page_fault);
    return nullptr;
}

Verdict kill_then_wait(Context& ctx) {
    uint64_t endpoint = kNoSlot;
    auto pid = start_child(ctx, &endpoint);
    if (!pid.ok()) return fail("starting svcchild: {}", status_name(pid.error()));
    auto killed = sys::procmgr::kill(*ctx.transport, ctx.procmgr, pid.value(), 42);
    if (Verdict v = expect("kill", status_of(killed), {})) return v;
    auto again = sys::procmgr::kill(*ctx.transport, ctx.procmgr, pid.value(), 43); // ended: keeps 42
    if (Verdict v = expect("a second kill", status_of(again), {})) return v;
    // Its command endpoint is svctest's: the child is gone, so a send finds no receiver.
    if (syscall(Syscall::TrySend, endpoint, MessageTag::make(kCommandExit, 1, 0), 0).error != Error::WouldBlock)
        return fail("the killed child still receives");
    auto status = sys::procmgr::wait(*ctx.transport, ctx.procmgr, pid.value());
    if (!status.ok() || status.value() != 42)
        return fail("wait after kill gave {} ({}), not 42", status.ok() ? status.value() : 0,
                    status_name(status.error()));
    return nullptr;
}

Verdict waiting_on_a_killed_process(Context& ctx) {
    uint64_t endpoint = kNoSlot;
    auto pid = start_child(ctx, &endpoint);
    if (!pid.ok()) return fail("starting svcchild: {}", status_name(pid.error()));
    static CallThread waiter;
    waiter = CallThread{};
    waiter.tag = MessageTag::make(sys::procmgr::label::wait, 1, 0).raw;
    waiter.w0 = pid.value();
    if (const Error e = start_call_thread(waiter, ctx.procmgr); e != Error::None)
        return fail("starting the waiting thread: {}", error_name(e));
    sleep_ticks(5); // the thread's wait is now held open by sysinit
    if (waiter.done) return fail("wait returned before the process ended");
    auto killed = sys::procmgr::kill(*ctx.transport, ctx.procmgr, pid.value(), -9);
    if (Verdict v = expect("kill", status_of(killed), {})) return v;
    if (!wait_call_thread(waiter, 300)) return fail("the waiting thread was not answered within 3 s of the kill");
    if (waiter.error != 0 || waiter.label != 0 || static_cast<int64_t>(waiter.word) != -9)
        return fail("the pending wait got error {}, label {:x}, status {}", waiter.error, waiter.label,
                    static_cast<int64_t>(waiter.word));
    auto collected = sys::procmgr::wait(*ctx.transport, ctx.procmgr, pid.value());
    return expect("a wait after the pending one collected the status", status_of(collected), sys::no_process);
}

Verdict unknown_pid(Context& ctx) {
    constexpr uint64_t kNobody = 999999;
    if (Verdict v =
            expect("wait", status_of(sys::procmgr::wait(*ctx.transport, ctx.procmgr, kNobody)), sys::no_process))
        return v;
    if (Verdict v =
            expect("kill", status_of(sys::procmgr::kill(*ctx.transport, ctx.procmgr, kNobody, 1)), sys::no_process))
        return v;
    if (Verdict v =
            expect("start", status_of(sys::procmgr::start(*ctx.transport, ctx.procmgr, kNobody)), sys::no_process))
        return v;
    if (Verdict v =
            expect("wait on pid 0", status_of(sys::procmgr::wait(*ctx.transport, ctx.procmgr, 0)), sys::no_process))
        return v;
    const ipc::CapList page{{ctx.image.slot}, 1};
    if (Verdict v = expect("load", status_of(sys::procmgr::load(*ctx.transport, ctx.procmgr, page, kNobody, 64)),
                           sys::no_process))
        return v;
    return expect("grant", status_of(sys::procmgr::grant(*ctx.transport, ctx.procmgr, ctx.image.slot, kNobody, 9)),
                  sys::no_process);
}

Verdict bad_images_refused(Context& ctx) {
    auto pid = sys::procmgr::new_process(*ctx.transport, ctx.procmgr);
    if (!pid.ok()) return fail("new_process: {}", status_name(pid.error()));
    const ipc::CapList page{{ctx.image.slot}, 1};
    Verdict verdict = nullptr;
    __builtin_memset(ctx.image.data, 0, kPageSize);
    auto zeros = sys::procmgr::load(*ctx.transport, ctx.procmgr, page, pid.value(), kPageSize);
    // An ELF header for another machine: the validator names the machine.
    auto size = read_file(ctx, "svcchild");
    if (!size.ok()) return fail("reading svcchild: {}", status_name(size.error()));
    ctx.image.data[18] ^= 0xff; // e_machine
    auto foreign = sys::procmgr::load(*ctx.transport, ctx.procmgr, page, pid.value(), size.value());
    ctx.image.data[18] ^= 0xff;
    auto truncated = sys::procmgr::load(*ctx.transport, ctx.procmgr, page, pid.value(), 100);
    auto beyond = sys::procmgr::load(*ctx.transport, ctx.procmgr, page, pid.value(), ctx.image.size + 1);
    auto empty = sys::procmgr::load(*ctx.transport, ctx.procmgr, page, pid.value(), 0);
    auto no_pages = sys::procmgr::load(*ctx.transport, ctx.procmgr, ipc::CapList{}, pid.value(), 64);
    if (Verdict v = expect("zeros", status_of(zeros), sys::bad_image))
        verdict = v;
    else if (Verdict v2 = expect("another machine's image", status_of(foreign), sys::bad_image))
        verdict = v2;
    else if (Verdict v3 = expect("a truncated image", status_of(truncated), sys::bad_image))
        verdict = v3;
    else if (Verdict v4 = expect("a size beyond the pages", status_of(beyond), Error::InvalidArgument))
        verdict = v4;
    else if (Verdict v5 = expect("an empty image", status_of(empty), sys::bad_image))
        verdict = v5;
    else if (Verdict v6 = expect("no pages", status_of(no_pages), Error::InvalidArgument))
        verdict = v6;
    // Still New: a good image loads after all that.
    auto good = sys::procmgr::load(*ctx.transport, ctx.procmgr, page, pid.value(), size.value());
    if (!verdict) verdict = expect("the good image after the bad ones", status_of(good), {});
    reap(ctx, pid.value());
    return verdict;
}

Verdict wrong_states(Context& ctx) {
    auto pid = sys::procmgr::new_process(*ctx.transport, ctx.procmgr);
    if (!pid.ok()) return fail("new_process: {}", status_name(pid.error()));
    Verdict verdict = expect("start before load",
                             status_of(sys::procmgr::start(*ctx.transport, ctx.procmgr, pid.value())), sys::bad_state);
    auto size = read_file(ctx, "svcchild");
    const ipc::CapList page{{ctx.image.slot}, 1};
    uint64_t endpoint = kNoSlot;
    create(ObjectType::Endpoint, 0, &endpoint);
    if (!verdict && !size.ok()) verdict = fail("reading svcchild: {}", status_name(size.error()));
    if (!verdict)
        verdict = expect(
            "load", status_of(sys::procmgr::load(*ctx.transport, ctx.procmgr, page, pid.value(), size.value())), {});
    if (!verdict)
        verdict = expect("a second load",
                         status_of(sys::procmgr::load(*ctx.transport, ctx.procmgr, page, pid.value(), size.value())),
                         sys::bad_state);
    if (!verdict)
        verdict = expect("a grant to slot 0 (its Task)",
                         status_of(sys::procmgr::grant(*ctx.transport, ctx.procmgr, endpoint, pid.value(), 0)),
                         Error::SlotOccupied);
    if (!verdict)
        verdict = expect("a grant beyond its cspace",
                         status_of(sys::procmgr::grant(*ctx.transport, ctx.procmgr, endpoint, pid.value(), 4096)),
                         Error::OutOfRange);
    if (!verdict)
        verdict = expect(
            "grant", status_of(sys::procmgr::grant(*ctx.transport, ctx.procmgr, endpoint, pid.value(), kCommandSlot)),
            {});
    if (!verdict)
        verdict =
            expect("a second grant to the same slot",
                   status_of(sys::procmgr::grant(*ctx.transport, ctx.procmgr, endpoint, pid.value(), kCommandSlot)),
                   Error::SlotOccupied);
    if (!verdict)
        verdict = expect("start", status_of(sys::procmgr::start(*ctx.transport, ctx.procmgr, pid.value())), {});
    if (!verdict)
        verdict = expect("a second start", status_of(sys::procmgr::start(*ctx.transport, ctx.procmgr, pid.value())),
                         sys::bad_state);
    if (!verdict)
        verdict = expect("a grant after start",
                         status_of(sys::procmgr::grant(*ctx.transport, ctx.procmgr, endpoint, pid.value(), 9)),
                         sys::bad_state);
    reap(ctx, pid.value());
    invoke(runtime.cspace, CapabilitySpaceLabel::Delete, endpoint);
    return verdict;
}

Verdict many_processes_in_turn(Context& ctx) {
    // More processes than the table holds, one after another: entries and
    // pools come back each time.
    for (int i = 0; i < 34; ++i) {
        uint64_t endpoint = kNoSlot;
        auto pid = start_child(ctx, &endpoint);
        if (!pid.ok()) return fail("process {}: {}", i, status_name(pid.error()));
        command(endpoint, kCommandExit, static_cast<uint64_t>(i));
        auto status = sys::procmgr::wait(*ctx.transport, ctx.procmgr, pid.value());
        invoke(runtime.cspace, CapabilitySpaceLabel::Delete, endpoint);
        if (!status.ok() || status.value() != i) return fail("process {} ended with the wrong status", i);
    }
    return nullptr;
}

} // namespace

const Test kProcessTests[] = {
    {"svc.procmgr.exit_status_reaches_wait", exit_status_reaches_wait},
    {"svc.procmgr.fault_gives_negative_status", fault_gives_negative_status},
    {"svc.procmgr.kill_then_wait", kill_then_wait},
    {"svc.procmgr.waiting_on_a_killed_process", waiting_on_a_killed_process},
    {"svc.procmgr.unknown_pid", unknown_pid},
    {"svc.procmgr.bad_images_refused", bad_images_refused},
    {"svc.procmgr.wrong_states", wrong_states},
    {"svc.procmgr.many_processes_in_turn", many_processes_in_turn},
    {nullptr, nullptr},
};

} // namespace svctest

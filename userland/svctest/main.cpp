// userland/svctest — the test of sysinit's services in QEMU
// (docs/userland.md, "Testing the services"): sysinit starts it in place of
// usrinit when the kernel command line says `usrinit=svctest`. It prints
// `PASS name` or `FAIL name: why` per test and ends with
// `svctest: N passed, M failed`; test/boot/boot_tests.py runs it.
#include <fs/fs.ipc.hpp>
#include <sys/devloader.ipc.hpp>
#include <sys/devmgr.ipc.hpp>
#include <sys/devregistry.ipc.hpp>
#include <sys/procmgr.ipc.hpp>

#include "tests.hpp"

using namespace svctest;

namespace {

size_t passed = 0, failed = 0;

void run(Context& ctx, const Test* tests) {
    for (const Test* test = tests; test->name; ++test) {
        const Verdict verdict = test->run(ctx);
        if (verdict) {
            ++failed;
            print("FAIL {}: {}\n", test->name, verdict);
        } else {
            ++passed;
            print("PASS {}\n", test->name);
        }
    }
}

void report(const char* name, Verdict verdict) {
    if (verdict) {
        ++failed;
        print("FAIL {}: {}\n", name, verdict);
    } else {
        ++passed;
        print("PASS {}\n", name);
    }
}

} // namespace

void main(uint64_t) {
    static ipc::SyscallTransport transport(runtime.ipc_buffer);
    static Context ctx;
    ctx.transport = &transport;
    ctx.fs = service(proto::fs::fs::kId);
    ctx.procmgr = service(proto::sys::procmgr::kId);
    ctx.devmgr = service(proto::sys::devmgr::kId);
    ctx.devloader = service(proto::sys::devloader::kId);
    ctx.devregistry = service(proto::sys::devregistry::kId);
    ctx.pool_view = capability_with_note("sysinit-pool");
    if (ctx.fs == kNoSlot || ctx.procmgr == kNoSlot || ctx.devmgr == kNoSlot || ctx.devloader == kNoSlot ||
        ctx.devregistry == kNoSlot || ctx.pool_view == kNoSlot) {
        print("svctest: started without sysinit's services (usrinit=svctest starts it)\n");
        print("svctest: 0 passed, 1 failed\n");
        exit(1);
    }
    if (make_shared_page(1, &ctx.path) != Error::None || make_shared_page(1, &ctx.info) != Error::None ||
        make_shared_page(1, &ctx.name) != Error::None || make_shared_page(128, &ctx.image) != Error::None) {
        print("svctest: no memory for its pages\n");
        print("svctest: 0 passed, 1 failed\n");
        exit(1);
    }
    const uint64_t before = sysinit_free_pages(ctx);
    run(ctx, kFilesystemTests);
    run(ctx, kProcessTests);
    run(ctx, kSpawnTests);
    run(ctx, kDeviceTests);
    run(ctx, kMalformedTests);
    run(ctx, kSupervisionTests);
    // Every process svctest started has ended and been collected: all the
    // pages sysinit split for them are back in its pool.
    const uint64_t after = sysinit_free_pages(ctx);
    print("svctest: sysinit's pool has {} free pages after the tests, {} before them\n", after, before);
    report("svc.memory.every_page_returns",
           after == before ? nullptr : fail("{} pages before, {} after", before, after));
    print("svctest: {} passed, {} failed\n", passed, failed);
    exit(failed ? 1 : 0);
}

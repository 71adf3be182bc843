#!/usr/bin/env python3
"""Boots the kernel test suite (build/<arch>/esp-test) under QEMU on each
architecture, with the same command line as scripts/run (scripts/qemu-command),
and totals the suite's own verdicts.

The suite prints `PASS name` / `FAIL name: reason` per test and a final
`N passed, N failed`, then stops the machine: x86_64 isa-debug-exit (QEMU
status 33 all passed, 35 otherwise), aarch64 semihosting (0 / 1). A boot
that ends without the final line, exits with the wrong status or runs past
its timeout counts as one more failure.

Prints per arch `suite <arch>: N passed, N failed in S s` and at the end
`suite: N passed, N failed`; exits non-zero when anything failed.

Usage: run_suite.py [--arch x86_64 --arch aarch64] [--timeout 900] [--fuzz N]
                    [--verbose] [--log-dir DIR] [--only PREFIX] [--smp N]
                    [--board raspi3b|raspi4b] [--icount SHIFT]

--smp N boots with N CPUs (QEMU -smp N): the secondary CPUs run tasks
(docs/smp.md); the suite runs on the boot CPU and its smp group moves
threads to CPU 1 with Task.SetAffinity. --board boots the aarch64 suite on
a Raspberry Pi model instead of virt (four cores, through U-Boot; the
PL031 tests fail there: docs/raspberry-pi.md). --icount SHIFT runs QEMU
with -icount shift=SHIFT and tells the suite its clock is exact
(suite-exact-clock=1: timing bounds are checked). The boot tests
*-suite-smp-group run the smp group on the Pi models so.
"""
import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SUCCESS = {"x86_64": 33, "aarch64": 0}
FINAL = re.compile(r"^(\d+) passed, (\d+) failed\s*$")


def run(arch, timeout, fuzz, verbose, log_dir, only=None, smp=None, board=None, icount=None):
    esp_source = os.path.join(ROOT, "build", arch, "esp-test")
    work = tempfile.mkdtemp(prefix=f"suite-{arch}-", dir=os.path.join(ROOT, "build"))
    lines = []
    started = time.monotonic()
    status = None
    timed_out = False
    try:
        esp = os.path.join(work, "esp")
        shutil.copytree(esp_source, esp)
        extra = ([f"suite-fuzz={fuzz}"] if fuzz is not None else []) + ([f"suite-only={only}"] if only else [])
        extra += ["suite-exact-clock=1"] if icount is not None else []
        if extra:
            path = os.path.join(esp, "vesta", "cmdline.txt")
            with open(path) as f:
                cmdline = f.read().strip()
            with open(path, "w") as f:
                f.write(" ".join([cmdline] + extra) + "\n")
        qemu_extra = (["-smp", str(smp)] if smp else []) + (["-icount", f"shift={icount}"] if icount is not None else [])
        command = subprocess.run([os.path.join(ROOT, "scripts", "qemu-command"), board or arch, esp,
                                  os.path.join(work, "firmware")] + qemu_extra, check=True,
                                 stdout=subprocess.PIPE).stdout.split(b"\0")[:-1]
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT)
        deadline = started + timeout
        try:
            out, _ = process.communicate(timeout=max(1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            out, _ = process.communicate()
            timed_out = True
        status = process.returncode
        lines = out.decode("utf-8", "replace").replace("\r", "").splitlines()
    finally:
        if log_dir:
            os.makedirs(log_dir, exist_ok=True)
            with open(os.path.join(log_dir, f"suite-{arch}.log"), "w") as f:
                f.write("\n".join(lines) + "\n")
        shutil.rmtree(work, ignore_errors=True)
    seconds = time.monotonic() - started
    passed = failed = 0
    final = None
    for line in lines:
        if line.startswith("PASS ") or line.startswith("FAIL "):
            if verbose or line.startswith("FAIL "):
                print(f"  {arch}: {line}")
        m = FINAL.match(line)
        if m:
            final = (int(m.group(1)), int(m.group(2)))
    problems = []
    if final is None:
        problems.append("no final `N passed, N failed` line")
        passed = sum(1 for l in lines if l.startswith("PASS "))
        failed = sum(1 for l in lines if l.startswith("FAIL "))
    else:
        passed, failed = final
    if timed_out:
        problems.append(f"timed out after {timeout} s")
    elif final is not None:
        expected = SUCCESS[arch] if failed == 0 else SUCCESS[arch] + (2 if arch == "x86_64" else 1)
        if status != expected:
            problems.append(f"QEMU exit status {status}, expected {expected}")
    if problems:
        failed += 1
        for p in problems:
            print(f"  {arch}: {p}")
        if not verbose:
            for line in lines[-15:]:
                print(f"  {arch} | {line}")
    return arch, passed, failed, seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--arch", action="append", choices=sorted(SUCCESS))
    parser.add_argument("--timeout", type=int, default=900, help="per boot, seconds")
    parser.add_argument("--fuzz", type=int, help="syscalls for the fuzzer (suite-fuzz=N)")
    parser.add_argument("--verbose", action="store_true", help="print every PASS line too")
    parser.add_argument("--log-dir", help="keep each boot's serial output here")
    parser.add_argument("--smp", type=int, help="CPUs for QEMU (-smp N)")
    parser.add_argument("--only", help="run only the tests whose names start with this (suite-only=PREFIX)")
    parser.add_argument("--board", choices=["raspi3b", "raspi4b"], help="aarch64 only, on this Raspberry Pi model")
    parser.add_argument("--icount", type=int, metavar="SHIFT",
                        help="QEMU -icount shift=SHIFT, and suite-exact-clock=1 (timing bounds checked)")
    args = parser.parse_args()
    arches = args.arch or ["x86_64", "aarch64"]
    if args.board:
        if arches != ["aarch64"] and args.arch:
            parser.error("--board runs the aarch64 suite only")
        arches = ["aarch64"]
    total_passed = total_failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(run, arch, args.timeout, args.fuzz, args.verbose, args.log_dir, args.only,
                               args.smp, args.board, args.icount) for arch in arches]
        for future in futures:
            arch, passed, failed, seconds = future.result()
            print(f"suite {arch}: {passed} passed, {failed} failed in {seconds:.0f} s")
            total_passed += passed
            total_failed += failed
    print(f"suite: {total_passed} passed, {total_failed} failed")
    return 1 if total_failed else 0


if __name__ == "__main__":
    sys.exit(main())

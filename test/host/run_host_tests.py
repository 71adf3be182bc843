#!/usr/bin/env python3
"""Runs every test registered in a Meson build directory (build/host) and
counts results: a Catch2 executable counts its test cases; any other test
(a compile check, a script) counts as one, passing when it exits 0.

Prints one line per registered test, the output of failing ones, and a final
line `host tests: N passed, N failed`; exits non-zero when any failed.
"""
import json
import os
import re
import subprocess
import sys


def catch2_counts(text):
    m = re.search(r"All tests passed \(\d+ assertions? in (\d+) test cases?\)", text)
    if m:
        return int(m.group(1)), 0
    m = re.search(r"test cases:\s*(\d+)\s*\|\s*(\d+) passed\s*\|\s*(\d+) failed", text)
    if m:
        return int(m.group(2)), int(m.group(3))
    m = re.search(r"test cases:\s*(\d+)\s*\|\s*(\d+) failed", text)  # all failed
    if m:
        return 0, int(m.group(2))
    return None


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build/host"
    tests = json.loads(subprocess.run(["meson", "introspect", build, "--tests"], check=True,
                                      capture_output=True, text=True).stdout)
    passed = failed = 0
    for test in tests:
        env = dict(os.environ)
        env.update(test.get("env") or {})
        try:
            run = subprocess.run(test["cmd"], cwd=test.get("workdir") or build, env=env, capture_output=True,
                                 text=True, errors="replace", timeout=test.get("timeout") or 600)
            output, status = run.stdout + run.stderr, run.returncode
        except subprocess.TimeoutExpired:
            output, status = "timed out", -1
        counts = catch2_counts(output)
        if counts is None and "Randomness seeded to" in output:
            # A Catch2 run that ended without its summary (e.g. a test made the
            # process exit early) ran only part of its cases: a failure.
            counts = (0, 1)
            output += "\nhost tests: Catch2 summary line missing: the executable ended early"
        if counts is None:
            counts = (1, 0) if status == 0 else (0, 1)
        p, f = counts
        if status != 0 and f == 0:  # e.g. a sanitizer report after the summary
            f = 1
        passed += p
        failed += f
        print(f"{test['name']}: {p} passed, {f} failed", flush=True)
        if f:
            print("\n".join(output.splitlines()[-60:]), flush=True)
    print(f"host tests: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

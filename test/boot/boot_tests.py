#!/usr/bin/env python3
"""Boot tests: boot ESP trees under QEMU (TCG + UEFI firmware) and check the
serial console and the exit status.

Each case copies build/<arch>/esp, changes it (command line, a missing or
corrupt kernel, ...), boots it with the same QEMU command line as scripts/run
(scripts/qemu-command) plus case-specific arguments, and waits for marker
lines in order, with a timeout; a case may type on the console once a
marker was seen. Debugger cases (`gdb-*`) start QEMU halted with its gdb
stub, drive scripts/gdb in batch mode against it and check gdb's output
instead (docs/debugging.md). Prints one line per case and a final line
`boot tests: N passed, N failed`; exits non-zero when any case failed.

Cases with a framebuffer (`display`) also read the screen: screendumps
through the QEMU monitor, decoded exactly against the console font
(screen_text.py); `--screens DIR` keeps each one's last screen as a PNG.

Usage: boot_tests.py [--arch x86_64] [--jobs 2] [--filter SUBSTRING] [--list] [--verbose] [--show PREFIX]
                     [--screens DIR]
"""
import argparse
import concurrent.futures
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

import screen_text

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Contract markers (docs/boot-protocol.md).
READY = r"vesta: kernel ready"
USABLE = r"usable memory: (\d+) MiB"
TEST_CMDLINE = "console=serial emulator-exit exit-on-ready"
# isa-debug-exit statuses: (0x10 << 1) | 1 and (0x11 << 1) | 1.
X86_SUCCESS, X86_FAILURE = 33, 35
# aarch64: semihosting SYS_EXIT_EXTENDED with the status itself.
ARM_SUCCESS, ARM_FAILURE = 0, 1


class Case:
    def __init__(self, name, board, expect, *, cmdline=TEST_CMDLINE, prepare=None, qemu_args=(),
                 exit_status=None, memory_mib=None, memory_range=None, timeout=90, use_image=False, tree="esp",
                 typing=(), gdb=None, display=None, screen=()):
        self.name = name
        self.board = board
        self.expect = expect          # regexes that must appear in this order
        self.cmdline = cmdline        # None: keep the ESP's own command line
        self.prepare = prepare        # function(esp_dir) changing the tree
        self.qemu_args = list(qemu_args)
        self.exit_status = exit_status  # None: stop QEMU once every marker was seen
        self.memory_mib = memory_mib  # check "usable memory" against QEMU's -m
        self.memory_range = memory_range  # or against an explicit [low, high] in MiB
        self.timeout = timeout
        self.use_image = use_image    # boot build/<arch>/vesta.img instead of the tree
        self.tree = tree              # build/<arch>/<tree>: "esp", or "esp-test" (the kernel test suite)
        self.typing = list(typing)    # (marker index, bytes[, True]): typed once expect[index] was seen,
                                      # a byte at a time, or in one write with True (a burst); the bytes
                                      # may be a function of the console's text up to that marker
        self.gdb = gdb                # gdb commands: expect then applies to gdb's output
        self.display = display        # scripts/qemu-command --display MODE ("none": a framebuffer, no window)
        self.screen = list(screen)    # after the last marker: (keys, regexes) steps on the framebuffer console
                                      # (screen_session): keys typed with the monitor's sendkey (None: none),
                                      # then screendumps until every regex matches a line of the screen, in order


def remove_kernel(esp):
    os.remove(os.path.join(esp, "vesta", "kernel.elf"))


def corrupt(offset, data):
    def prepare(esp):
        path = os.path.join(esp, "vesta", "kernel.elf")
        with open(path, "r+b") as f:
            f.seek(offset)
            f.write(data)
    return prepare


def truncate_kernel(size):
    def prepare(esp):
        with open(os.path.join(esp, "vesta", "kernel.elf"), "r+b") as f:
            f.truncate(size)
    return prepare


def kernel_layout(arch):
    """(end of the last segment's file bytes, end of the section header
    table) of the ESP's kernel, or None before it is built."""
    path = os.path.join(ROOT, "build", arch, "esp", "vesta", "kernel.elf")
    if not os.path.exists(path):
        return None
    with open(path, "rb") as f:
        data = f.read()
    phoff, shoff = struct.unpack_from("<QQ", data, 32)
    shentsize, shnum = struct.unpack_from("<HH", data, 58)
    phnum = struct.unpack_from("<H", data, 56)[0]
    segments_end = 0
    for i in range(phnum):
        offset = struct.unpack_from("<Q", data, phoff + 56 * i + 8)[0]
        file_size = struct.unpack_from("<Q", data, phoff + 56 * i + 32)[0]
        segments_end = max(segments_end, offset + file_size)
    return segments_end, shoff + shnum * shentsize


def truncation_cases(arch, prefix, returned):
    """A kernel cut inside its segments, and one cut right after them (its
    section headers lost): the loader names the file and both sizes."""
    layout = kernel_layout(arch)
    segments_end, described = layout if layout else (0x1800, None)
    total = str(described) if described else r"\d+"
    return [
        Case(f"{prefix}kernel-truncated", arch,
             [r"\\vesta\\kernel\.elf: invalid kernel: segment data extends past the end of the file: "
              rf"the file is {0x1800} bytes long, its headers describe {total} bytes"] + returned,
             prepare=truncate_kernel(0x1800)),
        Case(f"{prefix}kernel-truncated-after-segments", arch,
             [r"\\vesta\\kernel\.elf: invalid kernel: section header table extends past the end of the file: "
              rf"the file is {segments_end} bytes long, its headers describe {total} bytes"] + returned,
             prepare=truncate_kernel(segments_end)),
    ]


def make_text_writable(esp):
    """Sets PF_W on the first program header (the RX text segment): W^X violation."""
    path = os.path.join(esp, "vesta", "kernel.elf")
    with open(path, "r+b") as f:
        header = f.read(64)
        phoff = struct.unpack_from("<Q", header, 32)[0]
        f.seek(phoff + 4)
        flags = struct.unpack("<I", f.read(4))[0]
        f.seek(phoff + 4)
        f.write(struct.pack("<I", flags | 2))



def initramfs_without_root(esp):
    """Replaces the initramfs with one that holds only a README: no root task."""
    import io
    import tarfile
    path = os.path.join(esp, "vesta", "initramfs.tar")
    with tarfile.open(path, "w", format=tarfile.USTAR_FORMAT) as archive:
        data = b"no root task here\n"
        info = tarfile.TarInfo("README")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))


def faulter_as_root(esp):
    """Makes the initramfs hold only the `faulter` program, as `sysinit`
    (the default root program): the root task itself faults (an undefined
    instruction, its argument being no known case), and the kernel's report
    names it."""
    import io
    import tarfile
    path = os.path.join(esp, "vesta", "initramfs.tar")
    with tarfile.open(path) as archive:
        data = archive.extractfile("./faulter").read()
    with tarfile.open(path, "w", format=tarfile.USTAR_FORMAT) as archive:
        info = tarfile.TarInfo("sysinit")
        info.size, info.mode = len(data), 0o755
        archive.addfile(info, io.BytesIO(data))


def initramfs_without(name):
    """Rewrites the initramfs without the entry `name` (a ustar archive,
    as scripts/make-initramfs writes it)."""
    def prepare(esp):
        import io
        import tarfile
        path = os.path.join(esp, "vesta", "initramfs.tar")
        with tarfile.open(path) as archive:
            kept = [(member, archive.extractfile(member).read() if member.isfile() else None)
                    for member in archive.getmembers() if member.name.lstrip("./") != name]
        with tarfile.open(path, "w", format=tarfile.USTAR_FORMAT) as archive:
            for member, data in kept:
                archive.addfile(member, io.BytesIO(data) if data is not None else None)
    return prepare


# The root service (docs/userland.md): its boot lines; svctest, started in
# place of usrinit, tests every service's errors and that sysinit's pool
# gets every page back (it ends with "N passed, 0 failed" only when no test
# failed); without usrinit, sysinit says so and keeps the console with the
# kernel.
SYSINIT_LINES = [READY, r"vesta: root task sysinit: entry",
                 r"sysinit: bootstrap filesystem: \d+ files and directories from the initramfs",
                 r"sysinit: console: ",
                 r"sysinit: process manager, device registry and manager, driver loader: ready"]
SVCTEST = SYSINIT_LINES + [r"sysinit: started svctest \(pid 1\)", r"PASS svc\.fs\.bad_paths",
                           r"PASS svc\.procmgr\.waiting_on_a_killed_process",
                           r"PASS svc\.devices\.device_whose_driver_died",
                           r"sysinit: crashstart \(pid \d+\) stopped by a page fault at address 0x0[^\n]*; "
                           r"restart 1 of 3 in 10 ms",
                           r"sysinit: crashstart \(pid \d+\) stopped by a page fault[^\n]*; restart 3 of 3 in 40 ms",
                           r"sysinit: crashstart \(pid \d+\) crashed 4 times in 10 s; giving up",
                           r"PASS svc\.supervision\.crash_at_start_given_up",
                           r"PASS svc\.supervision\.killed_driver_releases_waiting_client",
                           r"svctest: sysinit's pool has (\d+) free pages after the tests, \1 before them",
                           r"svctest: \d+ passed, 0 failed"]
# Supervision (docs/userland.md): faultstorm streams writes through a
# loop-back serial device while its driver crashes inside a write or is
# killed, FAULTSTORM_COUNT times (scripts/faultstorm runs 1,000); every end
# is logged with its restart, and the test checks what reached the device.
FAULTSTORM_COUNT = int(os.environ.get("VESTA_FAULTSTORM_COUNT", "100"))
FAULTSTORM = SYSINIT_LINES + [r"sysinit: started faultstorm \(pid 1\)",
                              r"faultstorm: serial0 is serialloop \(pid 2\), serial1 is serialloop \(pid 3\)",
                              r"sysinit: serialloop \(pid 2\) (stopped by a page fault at address 0x0|killed)"
                              r"[^\n]*; restart 1 of 1000 in 0 ms",
                              r"sysinit: serialloop \(pid \d+\) is back \(restart 1\)",
                              r"faultstorm: sysinit's pool has (\d+) free pages after the storm, \1 before it; "
                              r"faultstorm's (\d+) and \2",
                              rf"faultstorm: {FAULTSTORM_COUNT} restarts \(\d+ crashes inside a write, \d+ kills\)",
                              r"faultstorm: \d+ writes; \d+ bytes acknowledged",
                              r"faultstorm: PASS"]
FAULTSTORM_WORDS = f"usrinit=faultstorm faultstorm-count={FAULTSTORM_COUNT}"
NO_USRINIT = [READY, r"sysinit: console: kept by the kernel \(no usrinit to start its driver\)",
              r"sysinit: no program 'usrinit' in the initramfs: nothing to start"]


ROOT_FAULT = [READY, r"vesta: root task sysinit: entry",
              r"vesta: task sysinit stopped by a fault \(no fault endpoint\): undefined instruction at ip 0x4"]


def corrupt_initramfs(esp):
    """Flips a byte of the first header's name: the checksum no longer matches."""
    with open(os.path.join(esp, "vesta", "initramfs.tar"), "r+b") as f:
        f.seek(3)
        f.write(b"Z")


# Hardening (docs/hardening.md): stack overflow reports, SMAP/PAN, the
# control registers user mode sees (the suite's cpu. group, run on QEMU's
# `-cpu max`, which has SMEP, SMAP and UMIP on x86 and PAN on aarch64, unlike
# the default models), and the loader's refusal of an overlapping memory map.
# ELF e_machine values (kernel/lib/include/lib/elf.hpp: elf::kMachineX86_64, kMachineAArch64).
EM_X86_64, EM_AARCH64 = 62, 183
STACK_OVERFLOW = [READY, r"vesta: fault test: recursing until the kernel stack overflows",
                  r"vesta: kernel stack overflow: the kernel stack \(0x\w+-0x\w+\) ran into its guard page "
                  r"\(fault address 0x\w+, (rsp|sp) 0x\w+\)"]
SUITE_CPU_GROUP = "console=serial emulator-exit test-firmware-leftovers init=root suite-only=cpu."
SUITE_ALL_PASSED = r"(?m)^\d+ passed, 0 failed"
MAP_OVERLAP_REFUSED = [r"vesta loader: test: the firmware's map will list MMIO at 0x\w+",
                       r"vesta loader: the firmware's memory map puts MMIO 0x\w+-0x\w+ over kernel 0x\w+-0x\w+, "
                       r"which the loader allocated for the kernel; refusing to boot",
                       r"vesta loader: boot failed; returning to the firmware"]
# A kernel fault report's backtrace, symbolised from the table embedded in the
# kernel (docs/debugging.md): the fault test's frames, innermost first.
def kernel_backtrace(entry):
    return [r"backtrace:\r?\n",
            r"  0x[0-9a-f]{16} vesta::\(anonymous namespace\)::provoke_fault\+0x[0-9a-f]+\r?\n",
            r"  0x[0-9a-f]{16} vesta::kernel_main\+0x[0-9a-f]+\r?\n",
            rf"  0x[0-9a-f]{{16}} {entry}\+0x[0-9a-f]+\r?\n",
            r"  0x[0-9a-f]{16} _start\+0x[0-9a-f]+\r?\n"]


# A failed VESTA_ASSERT (lib/assert.hpp): the panic line, then the backtrace
# from panic() through the asserting function to the entry code.
def kernel_panic(entry):
    return [READY, r"vesta: panic: assertion failed: test != FaultTest::Assertion at \S*kernel_main\.cpp:\d+",
            r"backtrace:\r?\n", r"  0x[0-9a-f]{16} vesta::panic\+0x0\r?\n"] + kernel_backtrace(entry)[1:] + [
            r"vesta: kernel stopped"]


# The userspace demonstration (userland/demo, userland/hello; the root task
# with `init=demo`), in order.
USER_CMDLINE = "console=serial emulator-exit"
DEMO_CMDLINE = "console=serial emulator-exit init=demo"
DEMO = [READY, r"root: hello from the first user task",
        r"hello: second task running in its own address space",
        r"root: message from badge 7: label 1, words 0x70696e67 41, 1 capability \(object type 8\)",
        r"hello: reply error=success label=0 words=42,43",
        r"hello: notification signalled by the root, bits=0x1",
        r"hello: FP/SIMD register kept across the switch"]
FAULTS = [r"task faulter stopped by a fault \(no fault endpoint\): protection fault at ip 0x4",
          r"task faulter stopped by a fault \(no fault endpoint\): page fault at ip 0x4\w+, address 0xdead0000, detail 0x2",
          r"task faulter stopped by a fault \(no fault endpoint\): arithmetic fault at ip 0x4",
          r"root: fault message: kind 1 \(page fault\), address 0xdead0000",
          r"root: still running after 4 faulting tasks \(the handled one is in state 8\)",
          r"task faulter stopped by a fault \(no fault endpoint\): unknown syscall at ip 0x4\w+, address 0x0, detail 0x63",
          r"root: a task resumed at a kernel address \(resume: success\) faulted: page fault at ip 0xffff800000001000"]
REST = [r"root: preemption works: an equal-priority spinner ran",
        r"root: IRQ 2 \(PIT channel 0\) delivered to its notification, bits 0x1",
        r"root: I/O port 0x60 through the PIT capability: out of range",
        r"root: claiming COM1 \(the kernel's console\): busy",
        r"root: demo finished"]


# The serial drivers and the shell (docs/writing-a-driver.md, docs/shell.md):
# the default boot (sysinit, usrinit) starts the console's driver, which
# forwards the kernel log from the hand-over (sysinit's lines after it reach
# the line only that way); a driver the loader refuses is reported and
# skipped; usrinit starts the shell on serial0. One boot per board drives a
# whole session through QEMU's serial port as a person would: each command
# is typed once the previous one's last marker (the prompt) was seen, and its
# output is checked line by line. The burst is 200 bytes in one write (more
# than any of the UARTs' FIFOs: 16550 16, PL011 32, mini-UART 8): `echo`
# gets it back whole only if the driver drains the FIFO as it fills.
SHELL_CMDLINE = "console=serial"
PROMPT = r"vesta> "
SHELL_BANNER = r"Vesta shell on serial0\. Type help for the commands\.\r\nvesta> "
# On a machine with a screen, fbcon's log lines ("fbcon: console0 reads
# keyboard0") may land between the serial shell's banner and its prompt.
SCREEN_SHELL_BANNER = (r"Vesta shell on serial0\. Type help for the commands\.\r\n(?:[^\n]*fbcon: [^\n]*\n)*"
                       r"vesta> ")


def cpus_online(n):
    """The SMP bring-up's summary line (docs/smp.md)."""
    return rf"cpus: {n} online of {n} listed \("


def secondaries_online(smp, schedules=True):
    """Each secondary's bring-up line (docs/smp.md): it waits for the
    scheduler where it will run tasks, else it idles."""
    state = "waiting for the scheduler" if schedules else "idling with interrupts masked"
    return [rf"cpus: cpu {i} \(\w+ (ID )?0x{i:x}\) online after \d+ us, {state}" for i in range(1, smp)]


def smp_case(name, board, before, smp=4, qemu_args=(), timeout=150, schedules=False):
    """A boot with -smp `smp` that must bring every CPU online and still
    reach the shell (the default command line starts it). `schedules`: the
    secondaries run tasks (docs/smp.md: x86_64), else they only idle."""
    per_cpu = secondaries_online(smp, schedules)
    running = [rf"cpus: {smp - 1} secondary CPUs run tasks"] if schedules else []
    return Case(name, board, before + [cpus_online(smp)] + per_cpu + [READY] + running + [SHELL_BANNER],
                cmdline=SHELL_CMDLINE,
                qemu_args=["-smp", str(smp)] + list(qemu_args), timeout=timeout)


# `test-cpus-no-wait`: the boot CPU gives up on each CPU right after asking
# it to start; whichever arrives later must stop without harm (its handoff
# names another CPU, or its record says it was skipped) and the system runs on.
LATE_CPUS = [r"vesta: test: giving up on every other CPU as soon as it is asked to start",
             r"cpus: [1-4] online of 4 listed \(", READY, SHELL_BANNER]


# The four cores of a Pi model run tasks (docs/smp.md): the secondaries wait
# for the scheduler, TLB tags are off, and after the kernel is ready it says
# three secondaries run tasks.
PI_CPUS_BEFORE_READY = [cpus_online(4)] + secondaries_online(4) + [r"tlb tags: off \(4 CPUs run tasks\)"]
PI_SECONDARIES_RUN = r"cpus: 3 secondary CPUs run tasks \(each with its timer and run queues\)"
# The suite's smp group alone on a Pi model's four cores: each test moves
# threads to CPU 1 (Task.SetAffinity), so they pass only where CPU 1 runs
# tasks (on one CPU they check the refusal instead, hence the kernel's lines).
# Under -icount (shift 4: 16 ns an instruction, so U-Boot's 2 s autoboot
# delay stays short) the guest clock counts instructions and
# smp.idle_cpus_woken_at_once checks that the reschedule IPI wakes an idle
# CPU long before its next tick would (suite-exact-clock=1).
SUITE_SMP_TESTS = ["affinity_errors", "runner_moves_and_back", "cross_cpu_call_reply", "idle_cpus_woken_at_once",
                   "cross_cpu_notification", "parallel_then_moved_back", "concurrent_cspace_copy_delete",
                   "tlb_shootdown", "stateful_fuzzer_every_cpu"]


def pi_suite_smp_case(name, board, before):
    return Case(name, board, before + PI_CPUS_BEFORE_READY + [READY, PI_SECONDARIES_RUN]
                + [rf"PASS smp\.{t}\b" for t in SUITE_SMP_TESTS] + [SUITE_ALL_PASSED],
                tree="esp-test", cmdline="console=serial emulator-exit init=root suite-only=smp. suite-exact-clock=1",
                qemu_args=["-icount", "shift=4"], exit_status=ARM_SUCCESS, timeout=300)


def late_cpus_case(name, board, timeout=150):
    return Case(name, board, LATE_CPUS, cmdline=SHELL_CMDLINE + " test-cpus-no-wait", qemu_args=["-smp", "4"],
                timeout=timeout)
SHELL_BURST = bytes(0x21 + (i * 7) % 94 for i in range(150)).replace(b'"', b"+").replace(b"&", b"+")


def background_pid(text):
    """The pid the shell gave the last program started with '&'."""
    found = re.findall(r"\[(\d+)\] spin running in the background", text)
    return found[-1].encode() if found else b"0"


def serial0_driver_pid(text):
    """The pid of serial0's driver, as the shell's `devices` listed it."""
    found = re.findall(r"dev::serial +0  pid (\d+) ", text)
    return found[-1].encode() if found else b"0"


# (what is typed, the markers that follow, in order). Keys may be a function
# of the console's text so far (for a pid the shell chose).
SHELL_SESSION = [
    (b"help\r", [r"Commands \(a line that starts with another word runs that program\):",
                 r"  ls \[path\] +list a directory", r"  caps pid +a process's capabilities",
                 r"  poweroff +turn the machine off", r"Keys: Backspace, Ctrl-U", PROMPT]),
    (b"ls /\r", [r"\d+  README\r\n", r"\d+  crash\r\n", r"-  drivers/\r\n", r"\d+  hello\r\n",
                 r"\d+  shell\r\n", r"\d+  spin\r\n", PROMPT]),
    (b"cat /README\r", [r"Vesta initramfs: the bootstrap filesystem sysinit serves\.\r\n",
                        r"shell     the shell on serial0", PROMPT]),
    (b"stat /hello\r", [r"/hello: regular file, \d+ bytes\r\n", PROMPT]),
    (b"stat /drivers\r", [r"/drivers: directory\r\n", PROMPT]),
    (b"stat /nosuch\r", [r"stat: /nosuch: no such file or directory\r\n", PROMPT]),
    (b"hello a b c\r", [r"hello: 4 arguments\r\n", r'argv\[0\] = "hello"\r\n', r'argv\[1\] = "a"\r\n',
                        r'argv\[3\] = "c"\r\n', r"hello: exited with status 0\r\n", PROMPT]),
    (b"run hello \"two words\"\r", [r'argv\[1\] = "two words"\r\n', r"hello: exited with status 0", PROMPT]),
    (b"README\r", [r"run: README: not a program \(not an ELF executable for this machine\)\r\n", PROMPT]),
    (b"frobnicate\r", [r"frobnicate: unknown command, and no program of that name", PROMPT]),
    (b"spin\r", [r"spin: spinning until stopped \(Ctrl-C\)\r\n"]),
    (b"\x03", [r"spin: interrupted \(Ctrl-C\)\r\n", PROMPT]),
    # ps no longer lists it: no row naming spin between the header and the prompt.
    (b"ps\r", [r"  PID  NAME +STATE +PAGES  CAPS  RESTARTS\r\n", r"    0  sysinit +running",
               r"    1  usrinit +running", r"(?:(?! +\d+  spin )[^\n]*\n)*?[^\n]*shell +running[^\n]*\n"
               r"(?:(?! +\d+  spin )[^\n]*\n)*vesta> "]),
    (b"spin &\r", [r"\[\d+\] spin running in the background \(kill \d+ stops it\)\r\n", PROMPT]),
    (b"ps\r", [r" +\d+  spin +running", PROMPT]),
    (lambda text: b"kill " + background_pid(text) + b"\r",
     [r"killed \d+\r\n", r"\[\d+\] spin: killed \(status 137\)\r\n", PROMPT]),
    (b"kill 9999\r", [r"kill: 9999: no such process\r\n", PROMPT]),
    (b"crash page\r", [r"crash: writing to unmapped address 0xdead0000\r\n",
                       r"crash: stopped by a page fault \(status -1\)\r\n", PROMPT]),
    (b"crash undef\r", [r"crash: stopped by an undefined instruction \(status -2\)\r\n", PROMPT]),
    (b"crash syscall\r", [r"crash: stopped by an unknown syscall \(status -4\)\r\n", PROMPT]),
    (b"spin 1\r", [r"spin: spinning for 1 s\r\n", r"spin: done\r\n", r"spin: exited with status 0\r\n", PROMPT]),
    (b"caps 1\r", [r" SLOT  TYPE +RIGHTS  BADGE\r\n", r"    0  Task ", r"  System ", r"\d+ capabilities\r\n",
                   PROMPT]),
    (b"mem\r", [r"POOL +TOTAL +FREE", r"sysinit \(for processes\) +\d+ +\d+\r\n", r"usrinit \(pid 1\) +1024 +\d+",
                PROMPT]),
    (b"devices\r", [r"INTERFACE +INDEX  DRIVER\r\n", r"dev::serial +0  pid \d+ \((pcserial|pl011|bcm2835-aux)\)",
                    r"\d devices?\r\n", PROMPT]),
    (b"log\r", [r"vesta: kernel ready", r"sysinit: started usrinit", PROMPT]),
    (b"echo hi   there\r", [r"hi there\r\n", PROMPT]),
    (b"\x1b[A\r", [r"echo hi   there\x1b\[K\r\n", r"hi there\r\n", PROMPT]),   # Up: the last line again
    (b"echoo\x7f bs\r", [r"\r\nbs\r\n", PROMPT]),                                   # Backspace
    (b"junk\x15echo erased\r", [r"\r\nerased\r\n", PROMPT]),                       # Ctrl-U
    (b"echo " + SHELL_BURST + b"\r", [re.escape(SHELL_BURST.decode()) + r"\r\n", PROMPT]),
    (b"echo" + b" w" * 16 + b"\r", [r"shell: too many arguments \(at most 16 words\)\r\n", PROMPT]),
    (b"x" * 230 + b"\r", [r"shell: the line is longer than 200 bytes; nothing was run\r\n", PROMPT]),
    (b"kill\r", [r"kill: missing arguments \(usage: kill pid\)\r\n", PROMPT]),
    (b"history\r", [r" +\d+  echo erased\r\n", r" +15  kill\r\n", r" +16  history\r\n", PROMPT]),  # the newest 16
    # serial0's driver killed under the shell: its supervisor restarts it,
    # the shell opens serial0 again and goes on (docs/shell.md).
    (lambda text: b"kill " + serial0_driver_pid(text) + b"\r",
     [r"shell: serial0's driver was restarted; the terminal is back", PROMPT]),
    (b"ps\r", [r" +\d+  (pcserial|pl011|bcm2835-aux) +running +\d+ +\d+ +1\r\n", PROMPT]),
    (b"poweroff\r", [r"powering off\r\n"]),  # the System capability usrinit handed over
]


def shell_case(name, board, before_banner, timeout=300, cmdline=SHELL_CMDLINE):
    """One boot driving SHELL_SESSION; `before_banner`: the lines expected
    in order before the shell's banner."""
    expect = before_banner + [SHELL_BANNER]
    typing = []
    for keys, markers in SHELL_SESSION:
        burst = isinstance(keys, bytes) and len(keys) > 100
        typing.append((len(expect) - 1, keys, burst))
        expect += markers
    return Case(name, board, expect, cmdline=cmdline, typing=typing, timeout=timeout)


# The shell on the framebuffer console (docs/framebuffer-console.md): the
# lines fbcon draws at start, the console shell's banner and its prompt,
# read off the screen. `fbcon_line`: what fbcon logs about the framebuffer.
SCREEN_BANNER = [r"^Vesta shell on console0\. Type help for the commands\.$", r"^vesta>$"]


def screen_shell_case(name, board, before_banner, fbcon_line, screen_banner, timeout=200):
    """A boot with a framebuffer: both shells start; the serial one still
    answers; the screen shows fbcon's banner, the console shell's banner and
    its prompt. The PASS line gives the time from QEMU's start to that screen."""
    expect = before_banner + [fbcon_line, r"usrinit: shell started on serial0 \(pid \d+\)",
                              r"usrinit: shell started on console0 \(pid \d+\)", SCREEN_SHELL_BANNER]
    typing = [(len(expect) - 1, b"echo serial still answers\r")]
    expect += [r"serial still answers\r\n", PROMPT]
    return Case(name, board, expect, cmdline=SHELL_CMDLINE, typing=typing, display="none",
                screen=[(None, [screen_banner] + SCREEN_BANNER)], timeout=timeout)


def console_driver_pid_kill(text):
    """`kill PID` of console0's driver (fbcon), as the shell's `devices` listed it."""
    found = re.findall(r"dev::console +0  pid (\d+) ", text)
    return b"kill " + (found[-1].encode() if found else b"0") + b"\r"


def screen_restart_case(name, board, before_banner, fbcon_line, screen_banner, timeout=200):
    """fbcon killed from the serial shell: its supervisor restarts it, it
    draws its banner on a cleared screen, and the console shell, whose read
    failed with the old driver, opens console0 again and says so there."""
    expect = before_banner + [fbcon_line, SCREEN_SHELL_BANNER]
    typing = [(len(expect) - 1, b"devices\r")]
    expect += [r"dev::console +0  pid \d+ \(fbcon\)", PROMPT]
    typing.append((len(expect) - 1, console_driver_pid_kill))
    expect += [r"killed \d+", r"sysinit: fbcon \(pid \d+\) is back \(restart 1\)", fbcon_line]
    return Case(name, board, expect, cmdline=SHELL_CMDLINE, typing=typing, display="none", timeout=timeout,
                screen=[(None, [screen_banner, r"^shell: console0's driver was restarted; the terminal is back "
                                               r"\(what was typed meanwhile is lost\)$", r"^vesta>$"])])


def screen_typing_case(name, board, before_banner, qemu_args=(), timeout=300):
    """Typing into the shell on the screen through the monitor's sendkey and
    reading the echo and the answers off the screen: the keys go through the
    machine's keyboard driver (i8042 on x86_64; virtio-input on virt, whose
    keyboard scripts/qemu-command adds with --display) and fbcon."""
    expect = before_banner + [r"usrinit: shell started on console0 \(pid \d+\)", r"fbcon: console0 reads keyboard0"]
    return Case(name, board, expect, cmdline=SHELL_CMDLINE, display="none", qemu_args=qemu_args, timeout=timeout,
                screen=[
                    (None, SCREEN_BANNER),
                    ("echo Typed on the screen\r",
                     [r"^vesta> echo Typed on the screen$", r"^Typed on the screen$", r"^vesta>$"]),
                    ("hello a-b \"c d\"\r",
                     [r'^vesta> hello a-b "c d"$', r"^hello: 3 arguments$", r'^argv\[1\] = "a-b"$',
                      r'^argv\[2\] = "c d"$', r"^hello: exited with status 0$", r"^vesta>$"]),
                    ("stat /nosuch\r", [r"^stat: /nosuch: no such file or directory$", r"^vesta>$"]),
                    ("echoo\x7f bs\r", [r"^vesta> echo bs$", r"^bs$", r"^vesta>$"]),  # Backspace
                ])


def keyboard_driver_pid_kill(text):
    """`kill PID` of keyboard0's driver, as the shell's `devices` listed it."""
    found = re.findall(r"dev::keyboard +0  pid (\d+) ", text)
    return b"kill " + (found[-1].encode() if found else b"0") + b"\r"


def screen_keyboard_restart_case(name, board, before_banner, qemu_args=(), timeout=200):
    """keyboard0's driver killed from the serial shell: its supervisor
    restarts it, fbcon opens keyboard0 again, and keys typed afterwards reach
    the console shell."""
    # The prompt may come before or after fbcon's line: the typing waits for both lines only.
    expect = before_banner + [r"Vesta shell on serial0\. Type help for the commands\.\r\n",
                              r"fbcon: console0 reads keyboard0"]
    typing = [(len(expect) - 1, b"devices\r")]
    expect += [r"dev::keyboard +0  pid \d+ ", PROMPT]
    typing.append((len(expect) - 1, keyboard_driver_pid_kill))
    expect += [r"killed \d+", r"fbcon: console0: keyboard0 opened again \(its driver was restarted\)"]
    return Case(name, board, expect, cmdline=SHELL_CMDLINE, typing=typing, display="none", qemu_args=qemu_args,
                timeout=timeout,
                screen=[("echo after restart\r", [r"^vesta> echo after restart$", r"^after restart$", r"^vesta>$"])])


# showkey (docs/shell.md) run from the serial shell while QEMU's monitor
# types on the machine's keyboard (PS/2 on x86_64, virtio-input on virt):
# Ctrl-A C switches the console to the monitor, `sendkey` presses a key
# (press, 100 ms, release), Ctrl-A C switches back. Each key read is one
# line of hex bytes, exactly what dev::keyboard delivered.
SHOWKEY_SENDKEYS = (b"sendkey a\r", b"sendkey shift-a\r", b"sendkey ctrl-c\r", b"sendkey ret\r",
                    b"sendkey up\r")
# The monitor's output interleaves with the guest's (both go to stdio), so a
# line of hex may follow "(qemu) " or the monitor's echo: each key is typed
# once the previous one's bytes were seen.
SHOWKEY_BYTES = [r"61\r\n", r"41\r\n", r"03\r\n", r"0d\r\n", r"1b 5b 41\r\n"]


def showkey_case(name, board, before_banner, qemu_args=(), timeout=300):
    """A boot that runs `showkey 5` and types five keys through the monitor.

    First a `showkey 1` is stopped with Ctrl-C while its read is held in the
    keyboard driver: the driver must let that dead read go (Reply.Info) and
    serve the next showkey at once, not answer it "another program is
    reading it" until a key comes."""
    expect = before_banner + [SHELL_BANNER, r"showkey: reading 1 keys? from keyboard0\r\n",
                              r"showkey: interrupted \(Ctrl-C\)\r\n", PROMPT,
                              r"showkey: reading 5 keys from keyboard0\r\n"]
    typing = [(len(expect) - 5, b"showkey 1\r"), (len(expect) - 4, b"\x03"), (len(expect) - 2, b"showkey 5\r"),
              (len(expect) - 1, b"\x01c")]
    expect.append(r"\(qemu\) ")
    for keys, shown in zip(SHOWKEY_SENDKEYS, SHOWKEY_BYTES):
        typing.append((len(expect) - 1, keys))
        expect.append(shown)
    typing.append((len(expect) - 1, b"\x01c"))  # back to the console
    expect += [r"showkey: exited with status 0\r\n", PROMPT]
    typing.append((len(expect) - 1, b"poweroff\r"))
    expect.append(r"powering off")
    return Case(name, board, expect, cmdline=SHELL_CMDLINE, typing=typing, qemu_args=qemu_args, timeout=timeout)


def handed_to(driver):
    return rf"sysinit: console: handed to the {driver} driver; the kernel logs into its ring from here"


def refused(driver):
    return rf"usrinit: the driver loader refused {driver} \(sys::bad_manifest\); going on without it"


# The debugger session of docs/debugging.md: stopped in the loader with both
# symbol sets loaded, a breakpoint on the kernel's entry (before the switch to
# the kernel's page tables), one on kernel_main, and backtraces of each.
GDB_SESSION = ["bt", "hbreak _start", "continue", "hbreak kernel_main", "continue", "bt", "kill"]


def gdb_case(name, board, arch, loader):
    return Case(name, board, [
        rf"vesta: loader symbols from .*{loader} at image base 0x[0-9a-f]+",
        r"Temporary breakpoint 1, vesta_loader_debugger_attached \(\)",
        r"#0  vesta_loader_debugger_attached \(\) at .*debugger\.cpp",
        r"#1  0x[0-9a-f]+ in vesta::loader::wait_for_debugger_if_asked \(",
        r"#2  0x[0-9a-f]+ in vesta::loader::\(anonymous namespace\)::Loader::run \(",
        r"#3  efi_main \(",
        r"Breakpoint 2, _start \(\) at .*entry\.S",
        r"Breakpoint 3, vesta::kernel_main \(info=",
        r"#0  vesta::kernel_main \(info=.*kernel_main\.cpp",
        rf"#1  0x[0-9a-f]+ in {arch}_kernel_entry \(",
        r"#2  0x[0-9a-f]+ in _start \(\) at .*entry\.S",
    ], gdb=GDB_SESSION, timeout=120)


def x86_64_cases():
    b = "x86_64"
    returned = [r"vesta loader: boot failed; returning to the firmware",
                r"BdsDxe: failed to start Boot0001"]  # the firmware has control again
    return [
        Case("ready", b, [r"vesta loader", r"cpu: none \(the CPU lacks SMEP SMAP UMIP\)", cpus_online(1), USABLE,
                          r"kernel stack: \d+ bytes used so far", READY], exit_status=X86_SUCCESS, memory_mib=256),
        smp_case("smp-4-shell", b, [r"cpus: 4 listed by the MADT \(APIC IDs 0 1 2 3; 0 disabled, 0 beyond 64\)",
                                    r"cpus: start-up trampoline at 0x[0-9a-f]+-0x[0-9a-f]+ \(usable memory below 1 MiB"], schedules=True),
        smp_case("smp-2-shell", b, [], smp=2, schedules=True),
        late_cpus_case("smp-4-late-cpus", b),
        Case("memory-128M", b, [USABLE, READY], qemu_args=["-m", "128M"], exit_status=X86_SUCCESS,
             memory_mib=128),
        Case("memory-2G", b, [USABLE, READY], qemu_args=["-m", "2G"], exit_status=X86_SUCCESS,
             memory_mib=2048),
        Case("plain-esp-tree", b, [USABLE, READY], cmdline=None, memory_mib=256),
        Case("disk-image", b, [USABLE, READY], cmdline=None, use_image=True, memory_mib=256),
        Case("kernel-missing", b,
             [r"\\vesta\\kernel\.elf: not found on the EFI system partition"] + returned,
             prepare=remove_kernel),
        Case("kernel-bad-magic", b,
             [r"\\vesta\\kernel\.elf: invalid kernel: not an ELF file \(bad magic\)"] + returned,
             prepare=corrupt(0, b"\x7fXLF")),
    ] + truncation_cases(b, "", returned) + [
        Case("kernel-writable-text", b,
             [r"\\vesta\\kernel\.elf: invalid kernel: segment is both writable and executable \(W\^X\)"] + returned,
             prepare=make_text_writable),
        Case("kernel-wrong-machine", b,
             [r"\\vesta\\kernel\.elf: invalid kernel: built for another machine"] + returned,
             prepare=corrupt(18, struct.pack("<H", EM_AARCH64))),
        Case("kernel-page-fault-report", b,
             [READY, r"kernel exception 14 \(page fault\)", r"page fault at 0x0000000000000010",
              r"rip=0x"] + kernel_backtrace("x86_64_kernel_entry") + [r"vesta: kernel stopped"],
             cmdline="console=serial emulator-exit fault-test=page", exit_status=X86_FAILURE),
        Case("user-demo-messages", b, DEMO, cmdline=DEMO_CMDLINE),
        Case("user-faults-reported-rest-runs", b, [READY] + FAULTS + REST, cmdline=DEMO_CMDLINE),
        Case("user-no-root-task", b,
             [READY, r"vesta: cannot start the root task: the initramfs has no program 'sysinit' "
                     r"\(the default; init=NAME chooses another\)"],
             cmdline=USER_CMDLINE, prepare=initramfs_without_root, exit_status=X86_FAILURE),
        Case("user-init-names-missing-program", b,
             [READY, r"vesta: cannot start the root task: the initramfs has no program 'nosuch' \(init= names it\)"],
             cmdline=USER_CMDLINE + " init=nosuch", exit_status=X86_FAILURE),
        Case("user-init-invalid-name", b,
             [READY, r"vesta: cannot start the root task: init=\.\./demo cannot name a program: "
                     r"the name has a '\.' or '\.\.' component"],
             cmdline=USER_CMDLINE + " init=../demo", exit_status=X86_FAILURE),
        Case("user-corrupt-initramfs", b,
             [READY, r"vesta: cannot start the root task: initramfs: header checksum mismatch"],
             cmdline=USER_CMDLINE, prepare=corrupt_initramfs, exit_status=X86_FAILURE),
        Case("user-root-fault-names-task", b, ROOT_FAULT, cmdline=USER_CMDLINE, prepare=faulter_as_root),
        Case("sysinit-services-svctest", b, SVCTEST, cmdline=USER_CMDLINE + " usrinit=svctest", timeout=240),
        Case("sysinit-without-usrinit", b, NO_USRINIT, cmdline=USER_CMDLINE, prepare=initramfs_without("usrinit")),
        Case("supervision-faultstorm", b, FAULTSTORM, cmdline=f"{USER_CMDLINE} {FAULTSTORM_WORDS}",
             timeout=90 + FAULTSTORM_COUNT * 2),
        Case("kernel-trap-report", b,
             [READY, r"kernel exception 6 \(invalid opcode\)"] + kernel_backtrace("x86_64_kernel_entry")
             + [r"vesta: kernel stopped"],
             cmdline="console=serial emulator-exit fault-test=trap", exit_status=X86_FAILURE),
        Case("kernel-assert-panic-report", b, kernel_panic("x86_64_kernel_entry"),
             cmdline="console=serial emulator-exit fault-test=assert", exit_status=X86_FAILURE),
        Case("kernel-stack-overflow-report", b,
             STACK_OVERFLOW + [r"kernel exception 8 \(double fault\)", r"backtrace:", r"vesta: kernel stopped"],
             cmdline="console=serial emulator-exit fault-test=stack", exit_status=X86_FAILURE),
        Case("cpu-max-user-access-report", b,
             [r"cpu: SMEP SMAP UMIP", READY,
              r"vesta: fault test: the kernel reads user memory at 0x\w+ \(user RFLAGS.AC 1\)",
              r"kernel exception 14 \(page fault\)",
              r"page fault at 0x00007\w+: protection violation on read in kernel mode", r"vesta: kernel stopped"],
             cmdline="console=serial emulator-exit fault-test=user-access", qemu_args=["-cpu", "max"],
             exit_status=X86_FAILURE, timeout=150),
        Case("cpu-max-suite-cpu-group", b,
             [r"vesta: test: leaving firmware leftovers", r"cpu: SMEP SMAP UMIP",
              r"PASS cpu.xgetbv_undefined", r"PASS cpu.fs_gs_base_instructions_undefined",
              r"PASS cpu.descriptor_tables_hidden_with_umip", SUITE_ALL_PASSED],
             tree="esp-test", cmdline=SUITE_CPU_GROUP, qemu_args=["-cpu", "max"], exit_status=X86_SUCCESS,
             timeout=240),
        Case("memory-map-overlap-refused", b, MAP_OVERLAP_REFUSED + [r"BdsDxe: failed to start Boot0001"],
             cmdline="console=serial emulator-exit loader-test=mmio-over-kernel"),
        # The console is multiplexed with the QEMU monitor (README): Ctrl-A C
        # reaches the monitor, Ctrl-A X quits (status 0).
        Case("console-monitor-keys", b, [r"root: demo finished", r"\(qemu\) ", r"\d+\.\d+\.\d+"],
             cmdline="console=serial init=demo", typing=[(0, b"\x01c"), (1, b"info version\n"), (2, b"\x01x")],
             exit_status=0),
        gdb_case("gdb-loader-to-kernel-main", b, "x86_64", "BOOTX64.EFI"),
        # A PC with COM2 as well: pcserial registers it after COM1.
        Case("serial-com2-registered", b,
             [r"pcserial: COM1 \(port 0x3f8, IRQ 4\) is serial0", r"pcserial: COM2 \(port 0x2f8, IRQ 3\) is serial1"],
             cmdline=SHELL_CMDLINE, qemu_args=["-serial", "null"], timeout=150),
        screen_shell_case("screen-shell", b, [handed_to("pcserial"), r"sysinit: started fbcon"],
                          r"fbcon: 1280x800 framebuffer at 0xc0000000 \(BGRX, 5120 bytes a line\): 160x50 text cells, "
                          r"console0",
                          r"^Vesta console0: 160 x 50 cells on a 1280 x 800 framebuffer$"),
        screen_restart_case("screen-fbcon-restart", b, [handed_to("pcserial")],
                            r"fbcon: 1280x800 framebuffer at 0xc0000000 \(BGRX, 5120 bytes a line\): 160x50 text "
                            r"cells, console0",
                            r"^Vesta console0: 160 x 50 cells on a 1280 x 800 framebuffer$"),
        screen_typing_case("screen-typing", b, [handed_to("pcserial")]),
        screen_keyboard_restart_case("screen-keyboard-restart", b, [handed_to("pcserial")]),
        # The PS/2 keyboard (i8042, IRQ 1) through showkey; and a PC without
        # the controller: one line from the driver, the shell as usual.
        showkey_case("keyboard-i8042-showkey", b, [r"i8042: PS/2 keyboard \(ports 0x60, 0x64, IRQ 1\) is keyboard0",
                                                   r"pcserial: COM1 \(port 0x3f8, IRQ 4\) is serial0"]),
        Case("keyboard-i8042-absent", b,
             [r"i8042: no PS/2 controller \(port 0x64 reads 0xff\): no keyboard",
              r"pcserial: COM1 \(port 0x3f8, IRQ 4\) is serial0", SHELL_BANNER,
              r"showkey: cannot open keyboard0: no such device \(is there a keyboard\?\)\r\n",
              r"showkey: exited with status 1\r\n"],
             cmdline=SHELL_CMDLINE, qemu_args=["-machine", "i8042=off"], typing=[(2, b"showkey 1\r")],
             timeout=150),
        shell_case("shell-session", b, [handed_to("pcserial"), r"sysinit: started pcserial",
                                        r"pcserial: COM1 \(port 0x3f8, IRQ 4\) is the console: the kernel log follows on it",
                                        r"pcserial: COM1 \(port 0x3f8, IRQ 4\) is serial0",
                                        r"usrinit: shell started on serial0 \(pid \d+\)"]),
    ]


# aarch64 (QEMU virt + AAVMF): semihosting exit gives status 0 / 1.
AARCH64_FAULTS = [r"task faulter stopped by a fault \(no fault endpoint\): protection fault at ip 0x4",
                  r"task faulter stopped by a fault \(no fault endpoint\): page fault at ip 0x4\w+, address 0xdead0000, detail 0x2",
                  r"task faulter stopped by a fault \(no fault endpoint\): undefined instruction at ip 0x4",
                  r"root: fault message: kind 1 \(page fault\), address 0xdead0000",
                  r"root: still running after 4 faulting tasks \(the handled one is in state 8\)",
                  r"task faulter stopped by a fault \(no fault endpoint\): unknown syscall at ip 0x4\w+, address 0x0, detail 0x63",
                  r"root: a task resumed at a kernel address \(resume: success\) faulted: page fault at ip 0xffff800000001000"]
# The Pis' IRQ demo: the console's mini-UART receive interrupt, IRQ line 93 on
# both (armctrl GPU interrupt 29 on the Pi 3, GIC SPI 93 on the Pi 4); the
# harness types "x" at the prompt. After the hand-over a thread of the root
# task copies the kernel log to the UART.
PI_UART_PROMPT = r"root: type a key: the mini-UART's receive interrupt \(IRQ line 93, from the device tree\) brings it"
PI_UART_IRQ = [PI_UART_PROMPT,
               r"root: IRQ 93 \(mini-UART receive\) delivered to its notification, bits 0x1; [1-9]\d* byte\(s\) read, "
               r"the first 0x78",
               r"root: I/O ports on aarch64: not supported",
               r"root: demo finished"]


def pi_user_demo(name, board):
    expect = DEMO + [r"root: still running after 4 faulting tasks", r"root: preemption works"] + PI_UART_IRQ
    return Case(name, board, expect, cmdline=DEMO_CMDLINE, timeout=120,
                typing=[(expect.index(PI_UART_PROMPT), b"x")])


AARCH64_REST = [r"root: preemption works: an equal-priority spinner ran",
                r"root: IRQ 2 \(PL031 RTC\) delivered to its notification, bits 0x1",
                r"root: I/O ports on aarch64: not supported",
                r"root: demo finished"]


def override_device_tree(esp):
    """Puts QEMU virt's own device tree, with another model name, on the ESP."""
    work = os.path.dirname(esp)
    dtb, dts = os.path.join(work, "virt.dtb"), os.path.join(work, "virt.dts")
    subprocess.run(["qemu-system-aarch64", "-machine", f"virt,acpi=off,dumpdtb={dtb}", "-cpu", "cortex-a72",
                    "-m", "512M", "-nographic"], check=True, capture_output=True)
    subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", "-o", dts, dtb], check=True)
    with open(dts) as f:
        text = f.read().replace('model = "linux,dummy-virt";', 'model = "vesta override test";')
    with open(dts, "w") as f:
        f.write(text)
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", os.path.join(esp, "vesta", "device-tree.dtb"), dts],
                   check=True)


def pi3_cpu_outside_local_controller(esp):
    """Puts the Pi 3's device tree on the ESP with cpu@3 at MPIDR 0x103, a
    core the BCM2836 local controller (cores 0-3) has no registers for."""
    work = os.path.dirname(esp)
    dts = os.path.join(work, "pi3.dts")
    dtb = os.path.join(ROOT, "build", "deps", "arm64", "linux-dtbs", "broadcom", "bcm2837-rpi-3-b.dtb")
    subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", "-o", dts, dtb], check=True)
    with open(dts) as f:
        text = f.read()
    cpu3 = text.index("cpu@3 {")
    text = text[:cpu3] + text[cpu3:].replace("reg = <0x03>;", "reg = <0x103>;", 1)
    with open(dts, "w") as f:
        f.write(text)
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", os.path.join(esp, "vesta", "device-tree.dtb"), dts],
                   check=True)


def aarch64_cases():
    v = "aarch64"
    returned = [r"vesta loader: boot failed; returning to the firmware",
                r"BdsDxe: failed to start Boot0001"]
    platform_lines = [r"platform: console PL011 at 0x9000000"]
    return [
        Case("virt-ready", v, [r"vesta loader", r"platform: interrupt controller GICv2",
                               r"cpu: none \(the CPU lacks PAN\)", cpus_online(1), USABLE, r"kernel stack: \d+ bytes used so far",
                               READY],
             exit_status=ARM_SUCCESS, memory_mib=512),
        Case("virt-gicv3", v, [r"platform: interrupt controller GICv3 at 0x8000000, redistributors 0x80a0000",
                               USABLE, READY],
             qemu_args=["-machine", "gic-version=3"], exit_status=ARM_SUCCESS, memory_mib=512),
        smp_case("virt-smp-4-shell", v, [r"platform: PSCI via HVC", r"platform: cpu 3 mpidr 0x3 enable-method psci"],
                 schedules=True),
        smp_case("virt-gicv3-smp-4-shell", v, [r"platform: interrupt controller GICv3"],
                 qemu_args=["-machine", "gic-version=3"], schedules=True),
        late_cpus_case("virt-smp-4-late-cpus", v),
        smp_case("virt-el2-smp-2-shell", v, [r"boot: the loader ran at EL2", r"platform: PSCI via SMC"], smp=2,
                 qemu_args=["-machine", "virtualization=on"], schedules=True),
        Case("virt-memory-256M", v, platform_lines + [USABLE, READY], qemu_args=["-m", "256M"],
             exit_status=ARM_SUCCESS, memory_mib=256),
        Case("virt-memory-2G", v, platform_lines + [USABLE, READY], qemu_args=["-m", "2G"],
             exit_status=ARM_SUCCESS, memory_mib=2048),
        Case("virt-plain-esp-tree", v, [USABLE, READY], cmdline=None, memory_mib=512),
        Case("virt-disk-image", v, [USABLE, READY], cmdline=None, use_image=True, memory_mib=512),
        Case("virt-el2-entry", v, [r"boot: the loader ran at EL2", USABLE, READY],
             qemu_args=["-machine", "virtualization=on"], exit_status=ARM_SUCCESS, memory_mib=512),
        Case("virt-device-tree-override", v,
             [r"using the device tree from \\vesta\\device-tree\.dtb", r"platform: vesta override test", READY],
             prepare=override_device_tree, exit_status=ARM_SUCCESS),
        Case("virt-acpi-only-refused", v,
             [r"platform: no device tree: this kernel discovers aarch64 machines from the device tree only",
              r"vesta: boot failed: cannot set up the platform"],
             qemu_args=["-machine", "acpi=on"], exit_status=ARM_FAILURE),
        Case("virt-kernel-missing", v,
             [r"\\vesta\\kernel\.elf: not found on the EFI system partition"] + returned, prepare=remove_kernel),
        Case("virt-kernel-wrong-machine", v,
             [r"\\vesta\\kernel\.elf: invalid kernel: built for another machine"] + returned,
             prepare=corrupt(18, struct.pack("<H", EM_X86_64))),
    ] + truncation_cases(v, "virt-", returned) + [
        Case("virt-kernel-writable-text", v,
             [r"\\vesta\\kernel\.elf: invalid kernel: segment is both writable and executable \(W\^X\)"] + returned,
             prepare=make_text_writable),
        Case("virt-kernel-page-fault-report", v,
             [READY, r"kernel exception: synchronous from current EL with SP_ELx: data abort",
              r"fault address \(FAR\) 0x0000000000000010, on write", r"elr=0x"]
             + kernel_backtrace("aarch64_kernel_entry") + [r"vesta: kernel stopped"],
             cmdline="console=serial emulator-exit fault-test=page", exit_status=ARM_FAILURE),
        Case("virt-kernel-trap-report", v,
             [READY, r"kernel exception: synchronous from current EL with SP_ELx: BRK instruction"]
             + kernel_backtrace("aarch64_kernel_entry") + [r"vesta: kernel stopped"],
             cmdline="console=serial emulator-exit fault-test=trap", exit_status=ARM_FAILURE),
        Case("virt-kernel-assert-panic-report", v, kernel_panic("aarch64_kernel_entry"),
             cmdline="console=serial emulator-exit fault-test=assert", exit_status=ARM_FAILURE),
        Case("virt-kernel-stack-overflow-report", v,
             STACK_OVERFLOW + [r"kernel exception: synchronous from current EL with SP_ELx: data abort",
                               r"backtrace:", r"vesta: kernel stopped"],
             cmdline="console=serial emulator-exit fault-test=stack", exit_status=ARM_FAILURE),
        Case("virt-cpu-max-user-access-report", v,
             [r"cpu: PAN", READY, r"vesta: fault test: the kernel reads user memory at 0x\w+",
              r"kernel exception: synchronous from current EL with SP_ELx: data abort",
              r"fault address \(FAR\) 0x00007\w+, on read", r"vesta: kernel stopped"],
             cmdline="console=serial emulator-exit fault-test=user-access", qemu_args=["-cpu", "max"],
             exit_status=ARM_FAILURE, timeout=150),
        Case("virt-cpu-max-suite-cpu-group", v,
             [r"vesta: test: leaving firmware leftovers", r"cpu: PAN",
              r"PASS cpu.physical_timer_and_counter_out_of_reach", r"PASS cpu.virtual_timer_out_of_reach",
              SUITE_ALL_PASSED],
             tree="esp-test", cmdline=SUITE_CPU_GROUP, qemu_args=["-cpu", "max"], exit_status=ARM_SUCCESS,
             timeout=240),
        Case("virt-memory-map-overlap-refused", v, MAP_OVERLAP_REFUSED + [r"BdsDxe: failed to start Boot0001"],
             cmdline="console=serial emulator-exit loader-test=mmio-over-kernel"),
        # Raspberry Pi models through Debian's U-Boot; the firmware describes
        # 960 MiB of RAM below the VideoCore's carve-out on both.
        Case("raspi3b-ready", "raspi3b",
             [r"platform: Raspberry Pi 3 Model B", r"platform: console BCM2835 mini-UART at 0x3f215040",
              r"platform: interrupt controller BCM2836 local at 0x40000000",
              r"platform: chained controller BCM2835 armctrl at 0x3f00b200",
              r"interrupts: BCM2836 local at 0x40000000, virtual timer local interrupt 3 at \d+ kHz; "
              r"BCM2835 armctrl at 0x3f00b200 on local interrupt 8: IRQ lines 32-39 \(ARM\), 64-127 \(GPU\)",
              r"interrupts: BCM2836 local: each core's own timer interrupt and reschedule mailbox 0; "
              r"GPU interrupts to core 0"] + PI_CPUS_BEFORE_READY + [USABLE, READY],
             exit_status=ARM_SUCCESS, memory_range=(900, 960)),
        Case("raspi4b-ready", "raspi4b",
             [r"boot: the loader ran at EL2", r"platform: Raspberry Pi 4 Model B", r"platform: console BCM2835 mini-UART at 0xfe215040",
              r"platform: interrupt controller GICv2 at 0xff841000"] + PI_CPUS_BEFORE_READY + [USABLE, READY],
             exit_status=ARM_SUCCESS, memory_range=(900, 960)),
        pi_suite_smp_case("raspi3b-suite-smp-group", "raspi3b", [r"platform: interrupt controller BCM2836 local"]),
        # A CPU the local controller cannot reach (no timer control, no
        # mailbox for it): the secondaries only idle (docs/smp.md). Core 3,
        # released, finds the handoff names MPIDR 0x103 and parks.
        Case("raspi3b-cpu-outside-local-controller", "raspi3b",
             [r"using the device tree from \\vesta\\device-tree\.dtb", r"platform: cpu 3 mpidr 0x103",
              r"cpus: 3 online of 4 listed \("] + secondaries_online(3, schedules=False)
             + [r"cpus: cpu 3 \(MPIDR 0x103\) not started: did not answer within 1000000 us: skipped",
                r"tlb tags: 16-bit ASIDs", READY],
             prepare=pi3_cpu_outside_local_controller, exit_status=ARM_SUCCESS),
        pi_suite_smp_case("raspi4b-suite-smp-group", "raspi4b", [r"platform: interrupt controller GICv2"]),
        Case("raspi3b-late-cpus", "raspi3b", LATE_CPUS, cmdline=SHELL_CMDLINE + " test-cpus-no-wait", timeout=240),
        Case("raspi3b-sd-image", "raspi3b", [USABLE, READY], cmdline=None, use_image="vesta-rpi.img",
             memory_range=(900, 960)),
        # User mode (userspace issue): the demo, faults, GICv3.
        Case("user-demo-messages", v, DEMO, cmdline=DEMO_CMDLINE, timeout=120),
        Case("user-faults-reported-rest-runs", v, [READY] + AARCH64_FAULTS + AARCH64_REST, cmdline=DEMO_CMDLINE,
             timeout=120),
        pi_user_demo("raspi3b-user-demo", "raspi3b"),
        pi_user_demo("raspi4b-user-demo", "raspi4b"),
        Case("user-demo-gicv3", v, [r"interrupts: GICv3", READY] + DEMO[1:] + AARCH64_REST, cmdline=DEMO_CMDLINE,
             qemu_args=["-machine", "gic-version=3"], timeout=120),
        Case("user-root-fault-names-task", v, ROOT_FAULT, cmdline=USER_CMDLINE, prepare=faulter_as_root),
        Case("virt-sysinit-services-svctest", v, SVCTEST, cmdline=USER_CMDLINE + " usrinit=svctest", timeout=300),
        Case("virt-sysinit-without-usrinit", v, NO_USRINIT, cmdline=USER_CMDLINE,
             prepare=initramfs_without("usrinit")),
        Case("virt-supervision-faultstorm", v, FAULTSTORM, cmdline=f"{USER_CMDLINE} {FAULTSTORM_WORDS}",
             timeout=120 + FAULTSTORM_COUNT * 2),
        gdb_case("gdb-loader-to-kernel-main", v, "aarch64", "BOOTAA64.EFI"),
        screen_shell_case("virt-screen-shell", v, [handed_to("pl011"), refused("bcm2835-aux"), r"sysinit: started fbcon"],
                          r"fbcon: 800x600 framebuffer at 0x[0-9a-f]+ \(BGRX, 3200 bytes a line\): 100x37 text cells, "
                          r"console0",
                          r"^Vesta console0: 100 x 37 cells on a 800 x 600 framebuffer$"),
        screen_restart_case("virt-screen-fbcon-restart", v, [handed_to("pl011"), refused("bcm2835-aux")],
                            r"fbcon: 800x600 framebuffer at 0x[0-9a-f]+ \(BGRX, 3200 bytes a line\): 100x37 text "
                            r"cells, console0",
                            r"^Vesta console0: 100 x 37 cells on a 800 x 600 framebuffer$"),
        screen_typing_case("virt-screen-typing", v, [handed_to("pl011")]),
        screen_keyboard_restart_case("virt-screen-keyboard-restart", v, [handed_to("pl011")]),
        # virtio-input on a virtio-mmio transport, found by the loader's probe;
        # without the device the loader refuses the driver (no transport holds one).
        showkey_case("virt-keyboard-virtio-showkey", v,
                     [r"pl011: PL011 at 0x9000000 is serial0",
                      r"virtio-input: virtio keyboard \"QEMU Virtio Keyboard\" \(transport at 0xa003e00, \d+ event "
                      r"buffers\) is keyboard0"],
                     qemu_args=["-device", "virtio-keyboard-device"]),
        Case("virt-keyboard-virtio-absent", v,
             [r"pl011: PL011 at 0x9000000 is serial0",
              r"sysinit: devloader: virtio-input: \d+:1: no virtio-mmio transport holds a device of type 18 \(32 empty, 0 with "
              r"other devices, 0 not virtio-mmio, 0 unreadable\)",
              refused("virtio-input"),
              SHELL_BANNER,
              r"showkey: cannot open keyboard0: no such device \(is there a keyboard\?\)\r\n"],
             cmdline=SHELL_CMDLINE, typing=[(3, b"showkey\r")], timeout=150),
        # A legacy (version 1) transport: one line from the driver, which ends cleanly.
        Case("virt-keyboard-virtio-legacy", v,
             [r"virtio-input: transport at 0xa003e00: a legacy \(version 1\) virtio-mmio transport, which this driver "
              r"does not support \(QEMU: -global virtio-mmio\.force-legacy=false\)", SHELL_BANNER],
             cmdline=SHELL_CMDLINE,
             qemu_args=["-device", "virtio-keyboard-device", "-global", "virtio-mmio.force-legacy=true"], timeout=150),
        shell_case("virt-shell-session", v, [handed_to("pl011"), refused("bcm2835-aux"),
                                             r"pl011: PL011 at 0x9000000 is serial0"]),
        # Two ASIDs for a dozen processes: a new generation at almost every
        # switch (memory/address_space_tags.hpp), through the whole session
        # and the suite's address-space tests. These run the allocator's
        # paths in the kernel (new generations, kept numbers, release); they
        # cannot see a missing flush, since QEMU drops its TLB whenever the
        # ASID changes: the host test checks the flushes against a model.
        shell_case("virt-shell-session-two-asids", v,
                   [r"tlb tags: 16-bit ASIDs \(2 address spaces before a new generation, tlb-tags=N\)",
                    handed_to("pl011")], cmdline=SHELL_CMDLINE + " tlb-tags=3"),
        Case("virt-suite-vspace-two-asids", v,
             [r"tlb tags: 16-bit ASIDs \(2 address spaces before a new generation, tlb-tags=N\)",
              SUITE_ALL_PASSED],
             tree="esp-test", cmdline="console=serial emulator-exit init=root suite-only=vspace. tlb-tags=3",
             exit_status=ARM_SUCCESS, timeout=240),
        shell_case("raspi3b-shell-session", "raspi3b", [r"platform: cpu 3 mpidr 0x3 enable-method spin-table"]
                   + PI_CPUS_BEFORE_READY + [READY, PI_SECONDARIES_RUN, handed_to("bcm2835-aux"),
                              r"bcm2835-aux: mini-UART at 0x3f215040 is serial0", refused("pl011")], timeout=480),
        shell_case("raspi4b-shell-session", "raspi4b", [r"platform: cpu 3 mpidr 0x3 enable-method spin-table"]
                   + PI_CPUS_BEFORE_READY + [READY, PI_SECONDARIES_RUN, handed_to("bcm2835-aux"),
                              r"bcm2835-aux: mini-UART at 0xfe215040 is serial0", refused("pl011")], timeout=480),
    ]


CASES = {"x86_64": x86_64_cases, "aarch64": aarch64_cases}


# A firmware that never starts the loader (seen once in many runs: AAVMF
# printed its banner and cleared the screen, then nothing for 300 s while
# two emulators shared two host cores) is the emulator's stall, not
# Vesta's: such a boot is given up after FIRMWARE_STALL_SECONDS and run once
# more, and the PASS line says so. Every case's loader prints
# LOADER_BANNER first, long before that.
FIRMWARE_STALL_SECONDS = 120
FIRMWARE_STALL = "the firmware never started the loader"
LOADER_BANNER = b"vesta loader "


def run_case(case, arch):
    case, ok, reason, seconds, log = run_case_once(case, arch)
    if not ok and reason.startswith(FIRMWARE_STALL):
        case, ok, reason, more, log = run_case_once(case, arch)
        seconds += more
        reason = reason or f"passed on a second boot: the first stalled ({FIRMWARE_STALL} in {FIRMWARE_STALL_SECONDS} s)"
        if ok:
            log = f"(a first boot stalled: {FIRMWARE_STALL} within {FIRMWARE_STALL_SECONDS} s)\n" + log
    return case, ok, reason, seconds, log


def run_case_once(case, arch):
    case.arch = arch
    started = time.monotonic()
    work = tempfile.mkdtemp(prefix=f"vesta-boot-{case.name}-")
    try:
        esp = os.path.join(work, "esp")
        shutil.copytree(os.path.join(ROOT, "build", arch, case.tree), esp)
        if case.cmdline is not None:
            with open(os.path.join(esp, "vesta", "cmdline.txt"), "w") as f:
                f.write(case.cmdline + "\n")
        if case.prepare:
            case.prepare(esp)
        options = ["--display", case.display] if case.display else []
        if case.gdb is not None:
            open(os.path.join(esp, "vesta", "wait-for-debugger"), "w").close()
            options += ["--serial-log", os.path.join(work, "serial.log"),
                       "--gdb", f"unix:{os.path.join(work, 'gdb.sock')},server=on,wait=off"]
        command = subprocess.run([os.path.join(ROOT, "scripts", "qemu-command")] + options + [case.board, esp, work],
                                 check=True, capture_output=True).stdout.decode().split("\0")[:-1]
        if case.use_image:
            # Boot the built image instead of the tree: the virtio disk for
            # UEFI boards, the SD card for the Pi models.
            name = case.use_image if isinstance(case.use_image, str) else "vesta.img"
            image = os.path.join(work, "boot.img")
            shutil.copy(os.path.join(ROOT, "build", arch, name), image)
            command = [a.replace(f"file=fat:rw:{esp}", f"file={image}")
                        .replace(f"file={os.path.join(work, 'sd.img')}", f"file={image}") for a in command]
        command += case.qemu_args
        ok, reason, log = debug(command, case, work) if case.gdb is not None else boot(command, case, work)
        return case, ok, reason, time.monotonic() - started, log
    except Exception as error:  # a broken case is a failed case, not a crashed run
        return case, False, f"harness error: {error}", time.monotonic() - started, ""
    finally:
        shutil.rmtree(work, ignore_errors=True)


def boot(command, case, work):
    started = time.monotonic()
    process = subprocess.Popen(command, stdin=subprocess.PIPE if case.typing or case.screen else subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    os.set_blocking(process.stdout.fileno(), False)
    output = b""
    deadline = time.monotonic() + case.timeout
    next_marker = 0
    position = 0
    status = None
    stall_deadline = started + FIRMWARE_STALL_SECONDS
    try:
        while time.monotonic() < deadline:
            chunk = process.stdout.read()
            if chunk:
                output += chunk
            if time.monotonic() >= stall_deadline and LOADER_BANNER not in output:
                return False, f"{FIRMWARE_STALL} within {FIRMWARE_STALL_SECONDS} s", output.decode("utf-8", "replace")
            text = output.decode("utf-8", "replace")
            while next_marker < len(case.expect):
                match = re.compile(case.expect[next_marker]).search(text, position)
                if not match:
                    break
                position = match.end()
                next_marker += 1
                for index, keys, *burst in case.typing:
                    if index == next_marker - 1:
                        if callable(keys):
                            keys = keys(text[:position])
                        if burst and burst[0]:
                            process.stdin.write(keys)
                            process.stdin.flush()
                        else:
                            type_slowly(process.stdin, keys)
            status = process.poll()
            if status is not None:
                rest = process.stdout.read()
                if rest:
                    output += rest
                    continue
                break
            if next_marker == len(case.expect) and case.exit_status is None:
                break
            time.sleep(0.05)
        if case.screen and next_marker == len(case.expect) and status is None:
            ok, reason, notes = screen_session(process, case, work, started, deadline)
            output += process.stdout.read() or b""
            log = output.decode("utf-8", "replace") + "\n--- screen ---\n" + notes
            return ok, reason, log
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    log = output.decode("utf-8", "replace")
    if next_marker < len(case.expect):
        if status is None and time.monotonic() >= deadline:
            return False, f"timed out after {case.timeout} s waiting for /{case.expect[next_marker]}/", log
        return False, f"QEMU exited ({status}) before /{case.expect[next_marker]}/", log
    if case.exit_status is not None and status != case.exit_status:
        return False, f"exit status {status}, expected {case.exit_status}", log
    if case.memory_mib is not None:
        found = re.search(USABLE, log)
        reported = int(found.group(1))
        # The firmware keeps some RAM (runtime services, ACPI, its own reserve),
        # never more than 15% or 40 MiB here; the kernel may never report more
        # than QEMU has.
        low = min(case.memory_mib * 85 // 100, case.memory_mib - 40)
        if not (low <= reported <= case.memory_mib):
            return False, f"usable memory {reported} MiB not in [{low}, {case.memory_mib}] for -m {case.memory_mib}M", log
    if case.memory_range is not None:
        reported = int(re.search(USABLE, log).group(1))
        low, high = case.memory_range
        if not (low <= reported <= high):
            return False, f"usable memory {reported} MiB not in [{low}, {high}]", log
    return True, "", log


# --- The framebuffer console (docs/framebuffer-console.md, "Tests").
# The console is multiplexed with the monitor: Ctrl-A C switches to it and
# back. Screendumps are read with screen_text (exact glyph comparison).
SCREEN_POLL_SECONDS = 0.25
SCREEN_DIR = None  # --screens DIR: the last screendump of each screen case as DIR/<board>-<case>.png

# What a character is called in the monitor's sendkey (QEMU's qcodes, US layout).
SENDKEY_NAMES = {" ": "spc", "\r": "ret", "\n": "ret", "\t": "tab", "\x7f": "backspace", "\x1b": "esc",
                 "-": "minus", "=": "equal", "[": "bracket_left", "]": "bracket_right", ";": "semicolon",
                 "'": "apostrophe", "`": "grave_accent", "\\": "backslash", ",": "comma", ".": "dot", "/": "slash"}
SENDKEY_SHIFTED = {"_": "minus", "+": "equal", "{": "bracket_left", "}": "bracket_right", ":": "semicolon",
                   '"': "apostrophe", "~": "grave_accent", "|": "backslash", "<": "comma", ">": "dot", "?": "slash",
                   "!": "1", "@": "2", "#": "3", "$": "4", "%": "5", "^": "6", "&": "7", "*": "8", "(": "9", ")": "0"}


def sendkey_names(text):
    """The monitor's sendkey argument for each character of `text`."""
    names = []
    for character in text:
        if character.isascii() and (character.islower() or character.isdigit()):
            names.append(character)
        elif character.isascii() and character.isupper():
            names.append("shift-" + character.lower())
        elif character in SENDKEY_NAMES:
            names.append(SENDKEY_NAMES[character])
        elif character in SENDKEY_SHIFTED:
            names.append("shift-" + SENDKEY_SHIFTED[character])
        elif len(character) == 1 and 1 <= ord(character) <= 26:
            names.append("ctrl-" + chr(ord("a") + ord(character) - 1))
        else:
            raise ValueError(f"no sendkey name for {character!r}")
    return names


def monitor(process, commands):
    """Runs monitor commands: Ctrl-A C, the commands (a line each), Ctrl-A C."""
    process.stdin.write(b"\x01c")
    for line in commands:
        process.stdin.write(line.encode() + b"\n")
    process.stdin.flush()


def screendump(process, path, deadline):
    """The screen now, as a screen_text.Image (None if QEMU wrote none before the deadline)."""
    monitor(process, [f"screendump {path}"])
    image = None
    while image is None and time.monotonic() < deadline:
        time.sleep(0.05)
        try:
            image = screen_text.read_ppm(path)
        except (OSError, ValueError):  # not there yet, or still being written
            pass
    process.stdin.write(b"\x01c")  # back to the serial console
    process.stdin.flush()
    return image


def screen_session(process, case, work, started, deadline):
    """Runs case.screen's steps; returns (ok, reason, notes). The notes hold
    the time from QEMU's start to the first step's screen, and the last screen read."""
    font = screen_text.load_font(screen_text.font_path_of_build(os.path.join(ROOT, "build", case.arch)))
    notes = []
    lines = []
    image = None
    dumps = 0
    for number, (keys, patterns) in enumerate(case.screen):
        if keys:
            monitor(process, [f"sendkey {name}" for name in sendkey_names(keys)])
            process.stdin.write(b"\x01c")
            process.stdin.flush()
        while True:
            if time.monotonic() >= deadline:
                text = "\n".join(lines).rstrip("\n").replace(screen_text.UNRECOGNISED, "?")
                return False, f"step {number}: the screen never showed {patterns}", "\n".join(notes) + "\n" + text
            dumps += 1
            path = os.path.join(work, f"screen-{dumps}.ppm")
            image = screendump(process, path, deadline)
            process.stdout.read()  # the monitor's echo: not the serial console's text
            if image is None:
                continue
            lines = screen_text.screen_lines(image, font)
            position = 0
            for pattern in patterns:
                found = next((i for i in range(position, len(lines)) if re.search(pattern, lines[i])), None)
                if found is None:
                    break
                position = found + 1
            else:
                break
            os.remove(path)
            time.sleep(SCREEN_POLL_SECONDS)
        if number == 0:
            notes.append(f"screen: step 0 seen {time.monotonic() - started:.1f} s after QEMU started")
    if SCREEN_DIR and image is not None:
        screen_text.write_png(os.path.join(SCREEN_DIR, f"{case.board}-{case.name}.png"), image)
    text = "\n".join(line for line in lines if line)
    return True, "", "\n".join(notes) + "\n" + text


def type_slowly(pipe, keys):
    """Types `keys` on the console a byte at a time, as a person would."""
    for byte in keys:
        pipe.write(bytes([byte]))
        pipe.flush()
        time.sleep(0.01)


def debug(command, case, work):
    """Boots `command` (halted, gdb stub on work/gdb.sock) and runs scripts/gdb
    in batch mode with the case's commands; case.expect applies to gdb's
    output. The serial log is returned with gdb's output for failures."""
    qemu = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.STDOUT, start_new_session=True)
    socket = os.path.join(work, "gdb.sock")
    serial_log = os.path.join(work, "serial.log")
    try:
        deadline = time.monotonic() + 10
        while not os.path.exists(socket) and time.monotonic() < deadline and qemu.poll() is None:
            time.sleep(0.05)
        gdb_command = [os.path.join(ROOT, "scripts", "gdb"), case.board, "--remote", socket,
                       "--serial-log", serial_log, "--", "-nx", "-batch"]
        for line in case.gdb:
            gdb_command += ["-ex", line]
        try:
            result = subprocess.run(gdb_command, stdin=subprocess.DEVNULL, capture_output=True,
                                    timeout=case.timeout)
            output = (result.stdout + result.stderr).decode("utf-8", "replace")
        except subprocess.TimeoutExpired as expired:
            output = ((expired.stdout or b"") + (expired.stderr or b"")).decode("utf-8", "replace")
            output += f"\n(gdb timed out after {case.timeout} s)"
    finally:
        if qemu.poll() is None:
            os.killpg(qemu.pid, signal.SIGKILL)
        qemu.wait()
    serial = ""
    if os.path.exists(serial_log):
        with open(serial_log, errors="replace") as f:
            serial = f.read()
    log = output + "\n--- serial console ---\n" + serial
    position = 0
    for marker in case.expect:
        match = re.compile(marker).search(output, position)
        if not match:
            return False, f"gdb output lacks /{marker}/", log
        position = match.end()
    return True, "", log


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--arch", action="append", choices=sorted(CASES))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--filter", default="")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="print the serial log of failed cases")
    parser.add_argument("--show", metavar="PREFIX", help="print the serial log's lines that start with PREFIX")
    parser.add_argument("--screens", metavar="DIR", help="save the last screendump of each screen case as a PNG in DIR")
    args = parser.parse_args()
    global SCREEN_DIR
    if args.screens:
        os.makedirs(args.screens, exist_ok=True)
        SCREEN_DIR = args.screens
    work = [(case, arch) for arch in (args.arch or sorted(CASES)) for case in CASES[arch]()
            if args.filter in f"{arch}/{case.name}"]
    if args.list:
        for case, arch in work:
            print(f"boot/{arch}/{case.name}")
        return 0
    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for case, ok, reason, seconds, log in pool.map(lambda item: run_case(*item), work):
            arch = next(a for c, a in work if c is case)
            if ok:
                passed += 1
                seen = re.search(r"screen: step 0 seen ([\d.]+ s) after QEMU started", log)
                on_screen = f"; on the screen after {seen.group(1)}" if seen else ""
                retried = f"; {reason}" if reason else ""
                print(f"PASS boot/{arch}/{case.name} ({seconds:.1f} s{on_screen}{retried})", flush=True)
            else:
                failed += 1
                print(f"FAIL boot/{arch}/{case.name}: {reason} ({seconds:.1f} s)", flush=True)
                if args.verbose:
                    print("  | " + "\n  | ".join(log.splitlines()[-40:]), flush=True)
            if args.show:
                for line in log.splitlines():
                    if line.strip().startswith(args.show):
                        print("  | " + line.strip(), flush=True)
    print(f"boot tests: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

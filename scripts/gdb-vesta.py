# scripts/gdb-vesta.py — gdb commands for debugging Vesta under QEMU's gdb
# stub (docs/debugging.md). scripts/gdb loads this into gdb-multiarch; it
# needs gdb's Python support (Debian's gdb-multiarch has it).
#
#   vesta-setup ARCH KERNEL LOADER SERIAL_LOG
#       selects the architecture, loads the kernel's symbols (the unstripped
#       build/<arch>/kernel/kernel.elf: the kernel runs at its link address)
#       and remembers the loader (build/<arch>/bootloader/BOOT*.EFI, with its
#       DWARF) and the file QEMU logs the console to.
#   vesta-loader-symbols [BASE]
#       adds the loader's symbols at the image base the loader printed
#       ("vesta loader: image base 0x…", read from the console log) or BASE.
#   vesta-wait-loader [SECONDS]
#       continues until the loader waits for the debugger (it does when
#       \vesta\wait-for-debugger is on the ESP, as with `scripts/run --gdb`),
#       adds its symbols, releases it and stops in
#       vesta_loader_debugger_attached(), inside the loader, with both symbol
#       sets loaded.
#
# The x86_64 loader is a Windows-ABI PE image without DWARF call-frame
# information (its frames are described by the PE's .pdata/.xdata, which
# Debian's gdb does not read); an unwinder below reads them so that `bt`
# works in the loader. The aarch64 loader keeps standard frame records.
import bisect
import os
import re
import struct
import threading
import time

import gdb
import gdb.unwinder

IMAGE_BASE = re.compile(r"vesta loader: image base (0x[0-9a-fA-F]+)")
WAITING = "vesta loader: waiting for the debugger"
# Lines after which the loader will not wait any more.
NOT_WAITING = ("vesta loader: exiting boot services", "vesta loader: boot failed")


class Session:
    arch = None
    kernel = None
    loader = None
    serial_log = None
    loader_image = None  # PeImage once its symbols are loaded


SESSION = Session()


class PeImage:
    """The parts of a PE32+ file the debugger needs: its link-time image
    base, sections and (x86_64) the function table of .pdata."""

    def __init__(self, path):
        with open(path, "rb") as f:
            self.data = f.read()
        data = self.data
        if data[:2] != b"MZ":
            raise gdb.GdbError(f"{path}: not a PE file")
        pe = struct.unpack_from("<I", data, 0x3C)[0]
        if data[pe:pe + 4] != b"PE\0\0":
            raise gdb.GdbError(f"{path}: not a PE file")
        self.machine, section_count = struct.unpack_from("<HH", data, pe + 4)
        optional_size = struct.unpack_from("<H", data, pe + 20)[0]
        optional = pe + 24
        if struct.unpack_from("<H", data, optional)[0] != 0x20B:
            raise gdb.GdbError(f"{path}: not a PE32+ file")
        self.link_base = struct.unpack_from("<Q", data, optional + 24)[0]
        self.sections = {}  # name -> (rva, virtual size, file offset)
        table = optional + optional_size
        for i in range(section_count):
            entry = table + 40 * i
            name = data[entry:entry + 8].rstrip(b"\0").decode("ascii", "replace")
            size, rva, _, offset = struct.unpack_from("<IIII", data, entry + 8)
            self.sections[name] = (rva, size, offset)
        self.functions = []  # sorted (begin rva, end rva, unwind info rva)
        if ".pdata" in self.sections:
            rva, size, _ = self.sections[".pdata"]
            for i in range(size // 12):
                self.functions.append(struct.unpack_from("<III", data, self.file_offset(rva + 12 * i)))
            self.functions.sort()
        self.begins = [f[0] for f in self.functions]
        self.runtime_base = None

    def file_offset(self, rva):
        for start, size, offset in self.sections.values():
            if start <= rva < start + size:
                return offset + rva - start
        raise gdb.GdbError(f"RVA {rva:#x} is in no section")

    def function_at(self, rva):
        i = bisect.bisect_right(self.begins, rva) - 1
        if i >= 0 and self.functions[i][0] <= rva < self.functions[i][1]:
            return self.functions[i]
        return None

    def text_range(self):
        rva, size, _ = self.sections[".text"]
        return self.runtime_base + rva, self.runtime_base + rva + size


# Windows x64 unwind data (the "x64 exception handling" ABI): register numbers
# of the unwind codes, and the codes' operations.
WIN64_REGISTERS = ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                   "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"]
UWOP_PUSH_NONVOL, UWOP_ALLOC_LARGE, UWOP_ALLOC_SMALL, UWOP_SET_FPREG = 0, 1, 2, 3
UWOP_SAVE_NONVOL, UWOP_SAVE_NONVOL_FAR, UWOP_SAVE_XMM128, UWOP_SAVE_XMM128_FAR = 4, 5, 8, 9
UWOP_PUSH_MACHFRAME = 10
WIN64_CALLEE_SAVED = ["rbx", "rbp", "rdi", "rsi", "r12", "r13", "r14", "r15"]


class FrameId:
    # gdb 13 takes only gdb.Value attributes here (not Python ints).
    def __init__(self, sp, pc):
        self.sp = sp
        self.pc = pc


class Win64Unwinder(gdb.unwinder.Unwinder):
    """Unwinds frames of the x86_64 loader from its .pdata/.xdata."""

    def __init__(self):
        super().__init__("vesta-loader-win64")

    def __call__(self, pending_frame):
        try:
            return self._unwind(pending_frame)
        except gdb.error:  # e.g. the stack is unmapped after the switch to the kernel's tables
            return None

    def _unwind(self, pending_frame):
        image = SESSION.loader_image
        if SESSION.arch != "x86_64" or image is None or image.runtime_base is None or not image.functions:
            return None
        pc = int(pending_frame.read_register("rip"))
        low, high = image.text_range()
        if not low <= pc < high:
            return None
        rva = pc - image.runtime_base
        function = image.function_at(rva)
        inferior = gdb.selected_inferior()

        def read64(address):
            return struct.unpack("<Q", bytes(inferior.read_memory(address, 8)))[0]

        rsp = int(pending_frame.read_register("rsp"))
        saved = {}
        if function is None:  # a leaf function: nothing pushed, return address at rsp
            begin = function_start(pc) - image.runtime_base
        else:
            begin = function[0]
            info = function[2]
            offset = rva - begin
            first = True
            while True:
                rsp = self._undo(image, info, offset if first else None, pending_frame, rsp, saved, read64)
                if rsp is None:
                    return None
                chained = self._chained(image, info)
                if chained is None:
                    break
                info, first = chained[2], False
        return_address = read64(rsp)
        pointer = pending_frame.read_register("rsp").type
        unwind = pending_frame.create_unwind_info(
            FrameId(gdb.Value(rsp + 8).cast(pointer), gdb.Value(image.runtime_base + begin).cast(pointer)))
        unwind.add_saved_register("rip", gdb.Value(return_address).cast(pointer))
        unwind.add_saved_register("rsp", gdb.Value(rsp + 8).cast(pointer))
        for name, value in saved.items():
            unwind.add_saved_register(name, gdb.Value(value).cast(pointer))
        # The callee-saved registers this function did not save keep their
        # values in the caller (gdb takes unlisted registers as lost).
        for name in WIN64_CALLEE_SAVED:
            if name not in saved:
                unwind.add_saved_register(name, pending_frame.read_register(name))
        return unwind

    @staticmethod
    def _codes(image, info):
        data = image.data
        at = image.file_offset(info)
        header, prolog_size, count, frame = struct.unpack_from("<BBBB", data, at)
        codes = [struct.unpack_from("<BB", data, at + 4 + 2 * i) for i in range(count)]
        return header >> 3, prolog_size, frame & 15, frame >> 4, codes, at + 4 + 2 * count

    def _chained(self, image, info):
        flags, _, _, _, codes, end = self._codes(image, info)
        if not flags & 4:  # UNW_FLAG_CHAININFO
            return None
        end += 2 * (len(codes) & 1)
        return struct.unpack_from("<III", image.data, end)

    @staticmethod
    def _operations(codes):
        """The unwind codes as (prologue offset, operation, operation info,
        operand): an operation's extra slots folded into its operand."""
        operations = []
        i = 0
        while i < len(codes):
            code_offset, op_info = codes[i]
            op, op_arg = op_info & 15, op_info >> 4
            slots = {UWOP_ALLOC_LARGE: 2 if op_arg == 0 else 3, UWOP_SAVE_NONVOL: 2, UWOP_SAVE_NONVOL_FAR: 3,
                     UWOP_SAVE_XMM128: 2, UWOP_SAVE_XMM128_FAR: 3}.get(op, 1)
            extra = b"".join(bytes(slot) for slot in codes[i + 1:i + slots])
            operand = int.from_bytes(extra, "little") if extra else 0
            operations.append((code_offset, op, op_arg, operand))
            i += slots
        return operations

    def _undo(self, image, info, offset, pending_frame, rsp, saved, read64):
        """Undoes one UNWIND_INFO's prologue and returns the rsp at the call;
        `offset` is the pc's offset in the function (None for chained infos,
        whose prologue fully ran). None when the frame cannot be unwound."""
        _, prolog_size, frame_register, frame_offset, codes, _ = self._codes(image, info)
        in_prolog = offset is not None and offset < prolog_size
        operations = [o for o in self._operations(codes) if not in_prolog or o[0] <= offset]
        # With a frame register set up, the frame's rsp derives from it.
        if frame_register and any(op == UWOP_SET_FPREG for _, op, _, _ in operations):
            rsp = int(pending_frame.read_register(WIN64_REGISTERS[frame_register])) - 16 * frame_offset
        base = rsp  # what SAVE_NONVOL offsets are relative to
        for _, op, op_arg, operand in operations:  # listed in reverse order of execution
            if op == UWOP_PUSH_NONVOL:
                saved[WIN64_REGISTERS[op_arg]] = read64(rsp)
                rsp += 8
            elif op == UWOP_ALLOC_SMALL:
                rsp += op_arg * 8 + 8
            elif op == UWOP_ALLOC_LARGE:
                rsp += operand * 8 if op_arg == 0 else operand
            elif op == UWOP_SAVE_NONVOL:
                saved[WIN64_REGISTERS[op_arg]] = read64(base + operand * 8)
            elif op == UWOP_SAVE_NONVOL_FAR:
                saved[WIN64_REGISTERS[op_arg]] = read64(base + operand)
            elif op == UWOP_PUSH_MACHFRAME:
                return None  # interrupt frames: not in the loader
        return rsp


def function_start(pc):
    """The first address of the function containing pc (from its DWARF), or
    pc itself when gdb knows no function there."""
    try:
        block = gdb.block_for_pc(pc)
    except RuntimeError:
        return pc
    outermost = None
    while block is not None:
        if block.function is not None:
            outermost = block
        block = block.superblock
    return outermost.start if outermost is not None else pc


def image_base_from_log():
    if not SESSION.serial_log or not os.path.exists(SESSION.serial_log):
        return None
    with open(SESSION.serial_log, errors="replace") as f:
        bases = IMAGE_BASE.findall(f.read())
    return int(bases[-1], 16) if bases else None


class SetupCommand(gdb.Command):
    """vesta-setup ARCH KERNEL LOADER SERIAL_LOG — see scripts/gdb-vesta.py."""

    def __init__(self):
        super().__init__("vesta-setup", gdb.COMMAND_FILES)

    def invoke(self, argument, from_tty):
        args = gdb.string_to_argv(argument)
        if len(args) != 4:
            raise gdb.GdbError("usage: vesta-setup ARCH KERNEL LOADER SERIAL_LOG")
        SESSION.arch, SESSION.kernel, SESSION.loader, SESSION.serial_log = args
        gdb.execute("set architecture " + {"x86_64": "i386:x86-64", "aarch64": "aarch64"}[SESSION.arch])
        gdb.execute("set pagination off")
        gdb.execute("set print asm-demangle on")
        gdb.execute(f"file {SESSION.kernel}")


class LoaderSymbolsCommand(gdb.Command):
    """vesta-loader-symbols [BASE] — add the loader's symbols at its image base."""

    def __init__(self):
        super().__init__("vesta-loader-symbols", gdb.COMMAND_FILES)

    def invoke(self, argument, from_tty):
        base = int(gdb.parse_and_eval(argument)) if argument.strip() else image_base_from_log()
        if base is None:
            raise gdb.GdbError(f"no 'vesta loader: image base' line in {SESSION.serial_log} yet; "
                               "continue until the loader prints it, or give BASE")
        image = PeImage(SESSION.loader)
        image.runtime_base = base
        if SESSION.loader_image is not None:
            gdb.execute(f"remove-symbol-file -a {SESSION.loader_image.runtime_base + 0x1000:#x}", to_string=True)
        offset = (base - image.link_base) & (2 ** 64 - 1)
        gdb.execute(f"add-symbol-file {SESSION.loader} -o {offset:#x}", to_string=True)
        SESSION.loader_image = image
        print(f"vesta: loader symbols from {SESSION.loader} at image base {base:#x}")


class WaitLoaderCommand(gdb.Command):
    """vesta-wait-loader [SECONDS] — run until the loader waits for the
    debugger, load its symbols, release it and stop inside it."""

    def __init__(self):
        super().__init__("vesta-wait-loader", gdb.COMMAND_RUNNING)

    def invoke(self, argument, from_tty):
        limit = float(argument) if argument.strip() else 300.0
        seen = {}

        def watch():
            deadline = time.monotonic() + limit
            while time.monotonic() < deadline:
                try:
                    with open(SESSION.serial_log, errors="replace") as f:
                        text = f.read()
                except OSError:
                    text = ""
                if WAITING in text:
                    seen["waiting"] = True
                    break
                if any(line in text for line in NOT_WAITING):
                    break
                time.sleep(0.1)
            gdb.post_event(lambda: gdb.execute("interrupt"))

        threading.Thread(target=watch, daemon=True).start()
        print("vesta: running until the loader waits for the debugger ...")
        gdb.execute("continue", to_string=True)  # ends with our interrupt: not worth showing
        if not seen.get("waiting"):
            raise gdb.GdbError("the loader did not wait for the debugger (no \\vesta\\wait-for-debugger on the "
                               f"ESP, or it did not start within {limit:.0f} s); see {SESSION.serial_log}")
        gdb.execute("vesta-loader-symbols")
        gdb.execute("thbreak vesta_loader_debugger_attached", to_string=True)
        gdb.execute("set var vesta_loader_debugger_wait = 0")
        gdb.execute("continue")
        print("vesta: stopped in the loader, kernel and loader symbols loaded "
              "(e.g. `hbreak kernel_main`, `continue`, `bt`)")


gdb.unwinder.register_unwinder(None, Win64Unwinder(), replace=True)
SetupCommand()
LoaderSymbolsCommand()
WaitLoaderCommand()

"""Build and run the verification harness's main.c on an emulated Cortex-M core.

The firmware is main.c (written by harness.write_main_c) + model.c + startup.c,
built with arm-none-eabi-gcc for one of three QEMU boards (CORES) and run by
qemu-system-arm. Standard output and the exit status come back through Arm
semihosting.

  m4f  Cortex-M4F, hard float:  -M mps2-an386 -cpu cortex-m4   (mps2-an386.ld)
  m3   Cortex-M3, soft float:   -M mps2-an385 -cpu cortex-m3   (mps2-an386.ld: the
       AN385 image has the AN386's memory map)
  m0   Cortex-M0, soft float:   -M microbit (nRF51822: 256 KiB flash, 16 KiB RAM;
       microbit.ld); main.c is built with -DHARNESS_SMALL_RAM (inputs read from
       flash, the repeated calls checked against a checksum instead of a copy)

What it measures:
  - flash and RAM of model.o (arm-none-eabi-size: text + data, data + bss),
    and the arena object's size in .bss (arm-none-eabi-nm -S);
  - the worst-case static stack of m_run's call tree, from gcc's
    -fcallgraph-info=su (the frame sizes of -fstack-usage, with the calls);
  - the stack actually used below main's frame by m_run and the harness's library
    calls: startup.c paints the stack, and mcu_after_runs() (called by main
    through HARNESS_AFTER_RUNS) finds the deepest word written;
  - instructions per inference, with the insncount.c TCG plugin: the firmware
    built with HARNESS_EXTRA_RUNS=1 and =2 (a volatile loop count in .data, so
    the code is the same) differ by exactly one m_run call and its iteration of
    the calling loop (about 7 instructions);
  - on the M0, the whole firmware's flash and RAM (firmware_sizes): a firmware
    that does not fit the board fails to link, with the sizes named.

Needs gcc-arm-none-eabi, libnewlib-arm-none-eabi, qemu-system-arm (>= 7.2 for
-plugin and SYS_EXIT_EXTENDED) and a host C compiler for the plugin.
"""

import os
import re
import shlex
import subprocess

MCU_DIR = os.path.dirname(os.path.abspath(__file__))
STARTUP_C = os.path.join(MCU_DIR, "startup.c")
PLUGIN_C = os.path.join(MCU_DIR, "insncount.c")

CC = "arm-none-eabi-gcc"
COMMON_CFLAGS = ["-O2", "-ffp-contract=off", "--specs=nano.specs", "--specs=rdimon.specs"]
QEMU_COMMON = ["-nographic", "-monitor", "none", "-serial", "none",
               "-semihosting-config", "enable=on,target=native"]


class Core:
    """One emulated core: how to build for it and run it.

    name: as --mcu-cpu and kerneltests.py --target spell it; label: the
    prefix of the harness's figures line; tinyplan_cpu: tinyplan's --cpu for
    models run on it (None: no --cpu, portable kernels); flash, ram: the
    board's memory in bytes, which the linker script holds; small_ram: main.c
    is built with -DHARNESS_SMALL_RAM and the harness reports the whole
    firmware's sizes."""

    def __init__(self, name, label, title, machine, qemu_cpu, target_flags, linker_script,
                 tinyplan_cpu, flash, ram, small_ram=False):
        self.name = name
        self.label = label
        self.title = title
        self.machine = machine
        self.qemu_cpu = qemu_cpu
        self.target_flags = list(target_flags)
        self.linker_script = os.path.join(MCU_DIR, linker_script)
        self.tinyplan_cpu = tinyplan_cpu
        self.flash = flash
        self.ram = ram
        self.small_ram = small_ram
        self.main_defines = ["-DHARNESS_SMALL_RAM"] if small_ram else []

    @property
    def cflags(self):
        return self.target_flags + COMMON_CFLAGS

    @property
    def qemu(self):
        return ["qemu-system-arm", "-M", self.machine, "-cpu", self.qemu_cpu] + QEMU_COMMON

    @property
    def tinyplan_args(self):
        return ["--cpu=" + self.tinyplan_cpu] if self.tinyplan_cpu else []


CORES = {
    # No --cpu for the M4F: the host builds the same model.c, which must stay
    # portable C (a Cortex-M4 DSP kernel would not compile there).
    "m4f": Core("m4f", "M4", "Cortex-M4F", "mps2-an386", "cortex-m4",
                ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"],
                "mps2-an386.ld", None, 4 << 20, 4 << 20),
    "m3": Core("m3", "M3", "Cortex-M3", "mps2-an385", "cortex-m3",
               ["-mcpu=cortex-m3", "-mthumb", "-mfloat-abi=soft"],
               "mps2-an386.ld", "cortex-m3", 4 << 20, 4 << 20),
    "m0": Core("m0", "M0", "Cortex-M0", "microbit", "cortex-m0",
               ["-mcpu=cortex-m0", "-mthumb", "-mfloat-abi=soft"],
               "microbit.ld", "cortex-m0", 256 << 10, 16 << 10,
               small_ram=True),
}
DEFAULT_CORE = CORES["m4f"]

# The Cortex-M4F's flags and board, as before there were other cores.
TARGET_FLAGS = DEFAULT_CORE.target_flags
CFLAGS = DEFAULT_CORE.cflags
QEMU = DEFAULT_CORE.qemu
LINKER_SCRIPT = DEFAULT_CORE.linker_script

STACK_RE = re.compile(r"^mcu stack (\d+)$", re.MULTILINE)
STACK_OVERFLOW_RE = re.compile(r"^mcu stack overflow: .*$", re.MULTILINE)
INSNS_RE = re.compile(r"^insns (\d+)$", re.MULTILINE)
BLOCK_RE = re.compile(r"^block 0x([0-9a-f]+) (\d+) (\d+)$", re.MULTILINE)
CI_NODE_RE = re.compile(r'node: \{ title: "([^"]+)" label: "([^"]*)"')
CI_EDGE_RE = re.compile(r'edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)"')
CI_BYTES_RE = re.compile(r"\\n(\d+) bytes \(([a-z,]+)\)")


class McuError(Exception):
    """Building or running the firmware went wrong; the message says how."""


def _run(cmd, cwd, timeout, what):
    try:
        p = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout, text=True,
                           errors="replace")
    except subprocess.TimeoutExpired:
        raise McuError("%s timed out after %gs" % (what, timeout))
    except OSError as e:
        raise McuError("%s: %s" % (what, e))
    return p


def user_cflags():
    """Extra options for every target compile, from $TINYPLAN_MCU_CFLAGS (e.g.
    -O3 to compare, or -D options for a test)."""
    return shlex.split(os.environ.get("TINYPLAN_MCU_CFLAGS", ""))


def model_cc():
    """The compiler of model.c alone, from $TINYPLAN_MCU_MODEL_CC (e.g. clang
    --target=thumbv7em-none-eabihf -ffreestanding -isystem
    /usr/lib/arm-none-eabi/include), or None for arm-none-eabi-gcc. It gets
    the core's -mcpu/-mfpu options and -O2 -ffp-contract=off; the rest of the
    firmware stays gcc's, and without gcc's call graph there is no static
    stack figure."""
    value = os.environ.get("TINYPLAN_MCU_MODEL_CC", "")
    return shlex.split(value) if value else None


def _compile(workdir, source, obj, extra, timeout, warnings, core=DEFAULT_CORE, cc=None):
    base = cc + core.target_flags + ["-O2", "-ffp-contract=off"] if cc else [CC] + core.cflags
    cmd = base + user_cflags() + list(warnings) + list(extra) + ["-c", source, "-o", obj]
    p = _run(cmd, workdir, timeout, base[0])
    if p.returncode != 0:
        lines = [l for l in (p.stderr + p.stdout).splitlines() if "error" in l] or \
            (p.stderr + p.stdout).splitlines() or ["(no diagnostic)"]
        raise McuError("%s %s failed: %s" % (base[0], os.path.basename(source), lines[0]))


OVERFLOW_RE = re.compile(r"region `(\w+)' overflowed by (\d+) bytes")


def link(workdir, objects, elf, timeout, core=DEFAULT_CORE, what="the firmware"):
    """Links objects (startup.o first) into WORKDIR/elf with the core's linker
    script. A firmware too big for the board raises McuError naming each
    region that overflows, its size, how much is missing, and each object's
    share (arm-none-eabi-size) next to the heap and stack the script
    reserves."""
    cmd = [CC] + core.cflags + ["-nostartfiles", "-T", core.linker_script,
                                "-Wl,--gc-sections"] + list(objects) + ["-lm", "-o", elf]
    p = _run(cmd, workdir, timeout, "link")
    if p.returncode == 0:
        return os.path.join(workdir, elf)
    over = OVERFLOW_RE.findall(p.stderr)
    if not over:
        raise McuError("link failed: %s" % (p.stderr.strip().splitlines() or ["?"])[-1])
    shares = []
    for obj in objects:
        flash, ram = sizes(os.path.join(workdir, obj), timeout)
        shares.append("%s %d flash, %d RAM" % (obj, flash, ram))
    regions = []
    reserved = ""
    for region, missing in over:
        board = core.ram if region == "RAM" else core.flash
        regions.append("%s bytes too many for its %d bytes of %s" % (missing, board, region))
        if region == "RAM":
            stack, heap = linker_reserves(core)
            reserved = "; a heap of %d and a stack of at least %d" % (heap, stack)
    raise McuError("%s does not fit the %s (qemu -M %s): %s; %s%s, plus the C library" % (
        what, core.title, core.machine, ", ".join(regions), "; ".join(shares), reserved))


def linker_reserves(core):
    """(stack, heap) bytes the core's linker script reserves in RAM."""
    with open(core.linker_script) as f:
        text = f.read()
    found = {}
    for name in ("STACK_SIZE", "HEAP_SIZE"):
        m = re.search(r"^%s = DEFINED\(%s\) \? %s : (\d+)([KM]?);" % (name, name, name),
                      text, re.MULTILINE)
        found[name] = int(m.group(1)) << {"": 0, "K": 10, "M": 20}[m.group(2)] if m else 0
    return found["STACK_SIZE"], found["HEAP_SIZE"]


def build(workdir, warnings, timeout, extra_runs=(1,), core=DEFAULT_CORE):
    """Builds WORKDIR/model.c, main.c and startup.c for core into one firmware
    per value of HARNESS_EXTRA_RUNS in extra_runs: WORKDIR/fw<N>.elf. model.o is
    built with -fcallgraph-info=su (frame sizes and calls in model.ci), or by
    model_cc() where that is set."""
    cc = model_cc()
    _compile(workdir, "model.c", "model.o", [] if cc else ["-fcallgraph-info=su"],
             timeout, warnings, core, cc)
    _compile(workdir, STARTUP_C, "startup.o", [], timeout, warnings, core)
    elfs = {}
    for n in extra_runs:
        obj = "main%d.o" % n
        _compile(workdir, "main.c", obj, ["-DHARNESS_EXTRA_RUNS=%d" % n,
                                          "-DHARNESS_BEFORE_RUNS=mcu_before_runs",
                                          "-DHARNESS_AFTER_RUNS=mcu_after_runs"] +
                 core.main_defines, timeout, warnings, core)
        elfs[n] = link(workdir, ["startup.o", obj, "model.o"], "fw%d.elf" % n, timeout, core)
    return elfs


class Run:
    """One QEMU run: returncode, stdout, stderr; with the plugin, insns (the
    instructions executed) and with blocks, {block address: instructions
    executed there}."""

    def __init__(self, returncode, stdout, stderr, insns=None, blocks=None):
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.insns = insns
        self.blocks = blocks


def run(elf, timeout, plugin=None, blocks=False, core=DEFAULT_CORE):
    """Runs a firmware under QEMU's board for core, counting instructions when
    plugin (insncount.so) is given, per translation block too with blocks."""
    cmd = core.qemu + ["-kernel", elf]
    count_file = None
    if plugin:
        count_file = elf + ".insns"
        if os.path.exists(count_file):
            os.remove(count_file)
        cmd += ["-plugin", "%s,outfile=%s%s" % (plugin, count_file,
                                                ",blocks=on" if blocks else "")]
    p = _run(cmd, os.path.dirname(elf), timeout, "qemu-system-arm")
    result = Run(p.returncode, p.stdout, p.stderr)
    if count_file and os.path.exists(count_file):
        with open(count_file) as f:
            text = f.read()
        m = INSNS_RE.search(text)
        result.insns = int(m.group(1)) if m else None
        if blocks:
            result.blocks = {}
            for address, insns, executions in BLOCK_RE.findall(text):
                address = int(address, 16)
                result.blocks[address] = result.blocks.get(address, 0) + \
                    int(insns) * int(executions)
    return result


def functions(elf, timeout=60):
    """The ELF's functions as a sorted list of (start, end, name)."""
    p = _run(["arm-none-eabi-nm", "-n", "-S", "--defined-only", elf], os.path.dirname(elf),
             timeout, "nm")
    result = []
    for line in p.stdout.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[2] in "tTwW":
            start = int(parts[0], 16) & ~1  # Thumb functions have bit 0 set
            result.append((start, start + int(parts[1], 16), parts[3]))
    return sorted(result)


def profile(elf_a, elf_b, timeout, plugin, core=DEFAULT_CORE):
    """Instructions per function that firmware elf_b executes beyond elf_a
    (the same code, different counts of m_run calls): a list of (instructions,
    function) for one call, largest first."""
    import bisect
    runs = [run(elf, timeout, plugin, blocks=True, core=core) for elf in (elf_a, elf_b)]
    for r in runs:
        if r.returncode != 0 or r.blocks is None:
            raise McuError("profiling run failed (exit %d)" % r.returncode)
    funcs = functions(elf_b)
    starts = [f[0] for f in funcs]
    per_function = {}
    for sign, r in ((-1, runs[0]), (1, runs[1])):
        for address, insns in r.blocks.items():
            k = bisect.bisect_right(starts, address) - 1
            name = funcs[k][2] if k >= 0 and address < funcs[k][1] else "0x%x" % address
            per_function[name] = per_function.get(name, 0) + sign * insns
    return sorted(((n, f) for f, n in per_function.items() if n), reverse=True)


def measured_stack(stdout):
    """Bytes of stack used below main, as printed by mcu_after_runs()."""
    m = STACK_OVERFLOW_RE.search(stdout)
    if m:
        raise McuError(m.group(0))
    m = STACK_RE.search(stdout)
    return int(m.group(1)) if m else None


def build_plugin(out_dir, timeout=60):
    """Compiles insncount.c with the host compiler ($CC or cc) into
    OUT_DIR/insncount.so."""
    so = os.path.join(out_dir, "insncount.so")
    cmd = shlex.split(os.environ.get("CC", "cc")) + [
        "-shared", "-fPIC", "-O2", "-fvisibility=hidden", "-Wall", "-Wextra", "-Werror",
        PLUGIN_C, "-o", so]
    p = _run(cmd, out_dir, timeout, "cc (plugin)")
    if p.returncode != 0:
        raise McuError("building the plugin failed: %s" % p.stderr.strip())
    return so


def sizes(obj, timeout=60):
    """(flash, ram) bytes of an object or ELF: text + data and data + bss as
    arm-none-eabi-size counts them (its text includes .rodata)."""
    p = _run(["arm-none-eabi-size", obj], os.path.dirname(obj), timeout, "size")
    lines = p.stdout.strip().splitlines()
    if p.returncode != 0 or len(lines) < 2:
        raise McuError("arm-none-eabi-size %s failed: %s" % (obj, p.stderr.strip()))
    text, data, bss = (int(x) for x in lines[1].split()[:3])
    return text + data, data + bss


def firmware_sizes(elf, timeout=60):
    """A linked firmware's memory by section (arm-none-eabi-size -A): a dict of
    flash (code, constants, .data's initial values), data, bss, heap and stack
    (the last two as the linker script reserves them) and ram, their sum."""
    p = _run(["arm-none-eabi-size", "-A", elf], os.path.dirname(elf), timeout, "size")
    if p.returncode != 0:
        raise McuError("arm-none-eabi-size -A %s failed: %s" % (elf, p.stderr.strip()))
    section = {}
    for line in p.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0].startswith(".") and parts[1].isdigit():
            section[parts[0]] = int(parts[1])
    result = {name: section.get("." + name, 0) for name in ("data", "bss", "heap", "stack")}
    result["flash"] = sum(section.get(n, 0) for n in (".text", ".ARM.extab", ".ARM.exidx",
                                                     ".init_array", ".data"))
    result["ram"] = sum(result[n] for n in ("data", "bss", "heap", "stack"))
    return result


def symbol_sizes(obj, timeout=60):
    """{name: (size, section letter)} of the sized symbols in an object."""
    p = _run(["arm-none-eabi-nm", "-S", obj], os.path.dirname(obj), timeout, "nm")
    if p.returncode != 0:
        raise McuError("arm-none-eabi-nm %s failed: %s" % (obj, p.stderr.strip()))
    result = {}
    for line in p.stdout.splitlines():
        parts = line.split()
        if len(parts) == 4:
            result[parts[3]] = (int(parts[1], 16), parts[2])
    return result


# Library functions whose results IEEE 754 fixes exactly (and libgcc's
# run-time helpers, below: integer division, soft-float arithmetic, Thumb-1
# switch tables, bit counts): calls to them give the same bits on every
# conforming target. Not fma: see UNFUSED_CALLS. fmaf is here because the
# generated C calls it only through tinyplan's tp_fmaf (kernels/cmath.c),
# which on a core without a fused multiply-add computes the result itself
# and calls the library only for a NaN result, whose sign and payload IEEE
# 754 leaves open.
EXACT_CALLS = {
    "fmaf",
    "memcpy", "memmove", "memset", "memcmp",
    "sqrtf", "sqrt", "fabsf", "fabs", "floorf", "floor", "ceilf", "ceil",
    "truncf", "trunc", "roundf", "round", "rintf", "rint", "nearbyintf", "nearbyint",
    "lrintf", "lrint", "lroundf", "lround", "fminf", "fmin", "fmaxf", "fmax",
    "copysignf", "copysign", "fmodf", "fmod", "remainderf", "remainder",
}


EXACT_HELPER_PREFIXES = ("__aeabi_", "__gnu_thumb1_case_")
EXACT_HELPERS = {"__clzsi2", "__clzdi2", "__ctzsi2", "__ctzdi2", "__ffssi2", "__ffsdi2",
                 "__popcountsi2", "__popcountdi2", "__paritysi2", "__paritydi2",
                 "__bswapsi2", "__bswapdi2", "__adddf3", "__subdf3", "__muldf3", "__divdf3",
                 "__addsf3", "__subsf3", "__mulsf3", "__divsf3"}


# C99 wants fmaf and fma rounded once, and glibc's are; newlib's (libm/common
# sf_fma.c, s_fma.c) are not: fmaf is (float)((double)x * y + z), rounded
# twice, and fma is x * y + z. The f32 kernels therefore multiply-add with
# tp_fmaf (see EXACT_CALLS); the f64 kernels call fma, which on every
# Cortex-M here (no double-precision FPU) is newlib's, and may give other
# bits than the host.
UNFUSED_CALLS = {"fma"}


# The libm functions tinyplan's f64 kernels call. IEEE 754 leaves their
# rounding to the library, and newlib's differ from glibc's; the f32 kernels
# call tinyplan's own functions instead (kernels/cmath.c, LRN's power in
# kernels/lrn.c).
F64_LIBM_CALLS = {"exp", "log", "tanh", "pow"}


def inexact_library_calls(obj, timeout=60):
    """The functions obj calls but does not define whose rounding is left to
    the library (expf, exp, tanh...): newlib's and glibc's differ."""
    p = _run(["arm-none-eabi-nm", "-u", obj], os.path.dirname(obj), timeout, "nm")
    if p.returncode != 0:
        raise McuError("arm-none-eabi-nm -u %s failed: %s" % (obj, p.stderr.strip()))
    names = [line.split()[-1] for line in p.stdout.splitlines() if line.strip()]
    return sorted(n for n in names if n not in EXACT_CALLS and n not in EXACT_HELPERS and
                  not n.startswith(EXACT_HELPER_PREFIXES))


# C has no empty arrays: an empty arena is a placeholder of at most this size.
EMPTY_ARENA_PLACEHOLDER = 8


def arena_bytes(obj, arena_size):
    """Bytes of .bss in model.o, which must be one object of exactly
    arena_size bytes (or an empty arena's small placeholder). Raises McuError
    when .bss holds anything else."""
    syms = symbol_sizes(obj)
    bss = {n: s for n, (s, kind) in syms.items() if kind in "bB"}
    if arena_size == 0 and len(bss) <= 1 and \
            all(s <= EMPTY_ARENA_PLACEHOLDER for s in bss.values()):
        return sum(bss.values())
    if list(bss.values()) != [arena_size]:
        raise McuError("model.o .bss holds %s; want one arena object of %d bytes" % (
            ", ".join("%s (%d bytes)" % (n, s) for n, s in sorted(bss.items())) or "nothing",
            arena_size))
    return arena_size


def static_stack(workdir, root="m_run"):
    """Worst-case static stack of ROOT's call tree in model.c: (bytes, notes).
    Frames and calls come from gcc's model.ci (-fcallgraph-info=su). Functions
    from outside model.c (libm) have no frame there: notes names them.
    (None, [why]) where model_cc() built model.c."""
    cc = model_cc()
    if cc:
        return None, ["model.c built by %s: no call graph" % cc[0]]
    with open(os.path.join(workdir, "model.ci")) as f:
        text = f.read()
    frames = {}
    notes = []
    for name, label in CI_NODE_RE.findall(text):
        m = CI_BYTES_RE.search(label)
        if m:
            frames[name] = int(m.group(1))
            if m.group(2) != "static":
                notes.append("%s has a %s frame" % (name, m.group(2)))
    calls = {}
    for src, dst in CI_EDGE_RE.findall(text):
        calls.setdefault(src, set()).add(dst)
    if root not in frames:
        raise McuError("no stack usage for %s in model.ci" % root)
    external = set()

    def depth(fn, path):
        if fn in path:
            raise McuError("recursion through %s" % fn)
        if fn not in frames:
            external.add(fn)
            return 0
        return frames[fn] + max((depth(c, path | {fn}) for c in sorted(calls.get(fn, ()))),
                                default=0)

    total = depth(root, frozenset())
    if external:
        notes.append("without the frames of " + ", ".join(sorted(external)))
    return total, notes


def main(argv):
    """Command line: build a firmware from C files, or run one (with --insns,
    under the instruction-counting plugin). `run` exits with the firmware's
    exit status."""
    import argparse
    import shutil
    import sys
    import tempfile
    ap = argparse.ArgumentParser(description="Cortex-M firmware on qemu-system-arm")
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="compile and link C files with startup.c")
    b.add_argument("-o", "--output", required=True, help="the ELF to write")
    cores = ", ".join("%s: %s on -M %s" % (c.name, c.title, c.machine) for c in CORES.values())
    b.add_argument("--core", choices=sorted(CORES), default=DEFAULT_CORE.name,
                   help="the core to build for (%s; default %%(default)s)" % cores)
    b.add_argument("sources", nargs="+", metavar="ARG",
                   help="C files, and compiler options such as -DNAME=1")
    r = sub.add_parser("run", help="run an ELF under qemu-system-arm")
    r.add_argument("elf")
    r.add_argument("--core", choices=sorted(CORES), default=DEFAULT_CORE.name,
                   help="the board to run on (as built; default %(default)s)")
    r.add_argument("--insns", action="store_true",
                   help="count executed instructions (insncount.c): prints 'insns N' last")
    r.add_argument("--timeout", type=float, default=300.0)
    # Compiler options (-D..., -I...) are passed through to build.
    args, extra = ap.parse_known_args(argv)
    if extra and args.command != "build":
        ap.error("unrecognized arguments: %s" % " ".join(extra))
    core = CORES[args.core]
    try:
        if args.command == "build":
            cmd = [CC] + core.cflags + user_cflags() + ["-nostartfiles", "-T",
                                                        core.linker_script, STARTUP_C] + \
                extra + args.sources + ["-lm", "-o", args.output]
            p = _run(cmd, None, 300, CC)
            sys.stderr.write(p.stderr)
            return p.returncode
        plugin_dir = tempfile.mkdtemp(prefix="insncount.") if args.insns else None
        try:
            plugin = build_plugin(plugin_dir) if plugin_dir else None
            r = run(os.path.abspath(args.elf), args.timeout, plugin, core=core)
        finally:
            if plugin_dir:
                shutil.rmtree(plugin_dir, ignore_errors=True)
        sys.stdout.write(r.stdout)
        sys.stderr.write(r.stderr)
        if args.insns:
            print("insns %s" % r.insns)
        return r.returncode
    except McuError as e:
        print("firmware.py: %s" % e, file=sys.stderr)
        return 125


if __name__ == "__main__":
    import sys
    sys.exit(main(sys.argv[1:]))

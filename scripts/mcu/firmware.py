"""Build and run the verification harness's main.c on an emulated Cortex-M4F.

The firmware is main.c (written by harness.write_main_c) + model.c + startup.c,
built with arm-none-eabi-gcc for QEMU's mps2-an386 board (mps2-an386.ld) and
run by `qemu-system-arm -M mps2-an386 -cpu cortex-m4`. Standard output and the
exit status come back through Arm semihosting.

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
    the calling loop (about 7 instructions).

Needs gcc-arm-none-eabi, libnewlib-arm-none-eabi, qemu-system-arm (>= 7.2 for
-plugin and SYS_EXIT_EXTENDED) and a host C compiler for the plugin.
"""

import os
import re
import shlex
import subprocess

MCU_DIR = os.path.dirname(os.path.abspath(__file__))
STARTUP_C = os.path.join(MCU_DIR, "startup.c")
LINKER_SCRIPT = os.path.join(MCU_DIR, "mps2-an386.ld")
PLUGIN_C = os.path.join(MCU_DIR, "insncount.c")

CC = "arm-none-eabi-gcc"
TARGET_FLAGS = ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"]
CFLAGS = TARGET_FLAGS + ["-O2", "-ffp-contract=off", "--specs=nano.specs",
                         "--specs=rdimon.specs"]
QEMU = ["qemu-system-arm", "-M", "mps2-an386", "-cpu", "cortex-m4", "-nographic",
        "-monitor", "none", "-serial", "none",
        "-semihosting-config", "enable=on,target=native"]

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


def _compile(workdir, source, obj, extra, timeout, warnings):
    cmd = [CC] + CFLAGS + user_cflags() + list(warnings) + list(extra) + \
        ["-c", source, "-o", obj]
    p = _run(cmd, workdir, timeout, CC)
    if p.returncode != 0:
        lines = [l for l in (p.stderr + p.stdout).splitlines() if "error" in l] or \
            (p.stderr + p.stdout).splitlines() or ["(no diagnostic)"]
        raise McuError("%s %s failed: %s" % (CC, os.path.basename(source), lines[0]))


def build(workdir, warnings, timeout, extra_runs=(1,)):
    """Builds WORKDIR/model.c, main.c and startup.c into one firmware per value
    of HARNESS_EXTRA_RUNS in extra_runs: WORKDIR/fw<N>.elf. model.o is built
    with -fcallgraph-info=su (frame sizes and calls in model.ci)."""
    _compile(workdir, "model.c", "model.o", ["-fcallgraph-info=su"],
             timeout, warnings)
    _compile(workdir, STARTUP_C, "startup.o", [], timeout, warnings)
    elfs = {}
    for n in extra_runs:
        obj = "main%d.o" % n
        _compile(workdir, "main.c", obj, ["-DHARNESS_EXTRA_RUNS=%d" % n,
                                          "-DHARNESS_AFTER_RUNS=mcu_after_runs"],
                 timeout, warnings)
        elf = "fw%d.elf" % n
        cmd = [CC] + CFLAGS + ["-nostartfiles", "-T", LINKER_SCRIPT, "-Wl,--gc-sections",
                               "startup.o", obj, "model.o", "-lm", "-o", elf]
        p = _run(cmd, workdir, timeout, "link")
        if p.returncode != 0:
            raise McuError("link failed: %s" % (p.stderr.strip().splitlines() or ["?"])[-1])
        elfs[n] = os.path.join(workdir, elf)
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


def run(elf, timeout, plugin=None, blocks=False):
    """Runs a firmware under QEMU, counting instructions when plugin
    (insncount.so) is given, per translation block too with blocks."""
    cmd = QEMU + ["-kernel", elf]
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


def profile(elf_a, elf_b, timeout, plugin):
    """Instructions per function that firmware elf_b executes beyond elf_a
    (the same code, different counts of m_run calls): a list of (instructions,
    function) for one call, largest first."""
    import bisect
    runs = [run(elf, timeout, plugin, blocks=True) for elf in (elf_a, elf_b)]
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
# run-time helpers: integer division, soft-float double arithmetic): calls to
# them give the same bits on every conforming target.
EXACT_CALLS = {
    "memcpy", "memmove", "memset", "memcmp",
    "sqrtf", "sqrt", "fmaf", "fma", "fabsf", "fabs", "floorf", "floor", "ceilf", "ceil",
    "truncf", "trunc", "roundf", "round", "rintf", "rint", "nearbyintf", "nearbyint",
    "lrintf", "lrint", "lroundf", "lround", "fminf", "fmin", "fmaxf", "fmax",
    "copysignf", "copysign", "fmodf", "fmod", "remainderf", "remainder",
}


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
    return sorted(n for n in names if n not in EXACT_CALLS and not n.startswith("__aeabi_"))


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
    from outside model.c (libm) have no frame there: notes names them."""
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
    ap = argparse.ArgumentParser(description="Cortex-M4F firmware on qemu's mps2-an386")
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="compile and link C files with startup.c")
    b.add_argument("-o", "--output", required=True, help="the ELF to write")
    b.add_argument("sources", nargs="+", metavar="ARG",
                   help="C files, and compiler options such as -DNAME=1")
    r = sub.add_parser("run", help="run an ELF under qemu-system-arm")
    r.add_argument("elf")
    r.add_argument("--insns", action="store_true",
                   help="count executed instructions (insncount.c): prints 'insns N' last")
    r.add_argument("--timeout", type=float, default=300.0)
    # Compiler options (-D..., -I...) are passed through to build.
    args, extra = ap.parse_known_args(argv)
    if extra and args.command != "build":
        ap.error("unrecognized arguments: %s" % " ".join(extra))
    try:
        if args.command == "build":
            cmd = [CC] + CFLAGS + user_cflags() + ["-nostartfiles", "-T", LINKER_SCRIPT,
                                                   STARTUP_C] + \
                extra + args.sources + ["-lm", "-o", args.output]
            p = _run(cmd, None, 300, CC)
            sys.stderr.write(p.stderr)
            return p.returncode
        plugin_dir = tempfile.mkdtemp(prefix="insncount.") if args.insns else None
        try:
            plugin = build_plugin(plugin_dir) if plugin_dir else None
            r = run(os.path.abspath(args.elf), args.timeout, plugin)
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

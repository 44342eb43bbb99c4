#!/usr/bin/python3
"""Run the C unit tests of the kernel library (unittests/Kernels/*_test.c).

A test names the kernels it tests on a line `KERNELS: name ...` (an instance
as NEW=PROTOTYPE:from=to,...). For each test this script writes those kernels
with tinyplan-kernels into WORK/kernels.h, exactly as model.c would hold them,
then builds and runs the test:

  --target host  with cc and clang, -std=c99 -O2 -ffp-contract=off -Wall
                 -Wextra -Werror -pedantic, under AddressSanitizer and
                 UndefinedBehaviorSanitizer (gcc) and plain (clang);
  --target m4f   with arm-none-eabi-gcc for QEMU's mps2-an386 (Cortex-M4F,
                 scripts/mcu), and requires the same summary line, digest
                 included, as the plain host build: the same bits;
  --target m3    the same on QEMU's mps2-an385 (Cortex-M3, soft float);
  --target m0    the same on QEMU's microbit (Cortex-M0, soft float, 16 KiB
                 of RAM: a test too big for it fails, naming the sizes).

The M4F-FLAGS of a test (a smaller sample, for the emulator's speed) apply
on every core.

A test passes when it exits 0; its summary line `NAME: N checks, 0 failed,
digest D` is printed. --standalone instead compiles every kernels/*.c on its
own with gcc, clang and arm-none-eabi-gcc (Cortex-M4F and Cortex-M0+) under
the same warnings.

Usage: kerneltests.py --tool PATH [--target host|m4f|m3|m0] [--kernel-dir DIR] TEST.c...
       kerneltests.py --standalone KERNEL_DIR
"""

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts", "mcu"))
import firmware  # noqa: E402

WARNINGS = ["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic"]
HOST_FLAGS = WARNINGS + ["-O2", "-ffp-contract=off"]
CHECK_DIR = os.path.join(ROOT, "unittests", "Kernels")
SUMMARY_RE = re.compile(r"^\S+: \d+ checks, \d+ failed, digest [0-9a-f]+$", re.MULTILINE)
KERNELS_RE = re.compile(r"KERNELS:(.*?)(?:\*/|M4F-FLAGS:|$)", re.DOTALL)
M4F_FLAGS_RE = re.compile(r"M4F-FLAGS:(.*?)(?:\*/|$)", re.MULTILINE)


# --kernel-dir: the kernel files to test, when not those tinyplan-kernels
# was built with.
KERNEL_DIR = None


class TestError(Exception):
    pass


def run(cmd, cwd, timeout=300):
    p = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, errors="replace",
                       timeout=timeout)
    return p.returncode, p.stdout


def must(cmd, cwd, what):
    code, out = run(cmd, cwd)
    if code != 0:
        raise TestError("%s failed (exit %d):\n%s" % (what, code, out))
    return out


def write_kernels(tool, test, work):
    with open(test) as f:
        m = KERNELS_RE.search(f.read())
    if not m:
        raise TestError("%s names no KERNELS" % test)
    names = [w for w in m.group(1).split() if w != "*"]
    kernel_dir = ["--kernel-dir", KERNEL_DIR] if KERNEL_DIR else []
    must([tool, "-o", os.path.join(work, "kernels.h")] + kernel_dir + names, work,
         "tinyplan-kernels")


def m4f_flags(test):
    """The -D options a test wants on the Cortex-M4F (and on the host build
    whose results it must match): a smaller sample, for the emulator's speed."""
    with open(test) as f:
        m = M4F_FLAGS_RE.search(f.read())
    return m.group(1).split() if m else []


def summary(out, what):
    m = SUMMARY_RE.search(out)
    if not m:
        raise TestError("%s printed no summary line:\n%s" % (what, out))
    return m.group(0)


def host_run(cc, flags, test, work, tag):
    exe = os.path.join(work, "test-" + tag)
    must([cc] + flags + ["-I", work, "-I", CHECK_DIR, test, "-lm", "-o", exe], work,
         "%s (%s)" % (cc, tag))
    code, out = run([exe], work)
    if code != 0:
        raise TestError("%s (%s) exited %d:\n%s" % (os.path.basename(test), tag, code, out))
    return summary(out, tag)


def test_host(test, work):
    plain = host_run("cc", HOST_FLAGS, test, work, "cc")
    sanitized = host_run("cc", HOST_FLAGS + ["-fsanitize=address,undefined",
                                             "-fno-sanitize-recover=all"], test, work,
                         "cc-asan-ubsan")
    clang = host_run("clang", HOST_FLAGS, test, work, "clang")
    for line, tag in ((sanitized, "cc with sanitizers"), (clang, "clang")):
        if line != plain:
            raise TestError("%s gives other results than cc:\n  %s\n  %s" % (tag, line, plain))
    return plain


def test_mcu(test, work, core):
    extra = m4f_flags(test)
    host = host_run("cc", HOST_FLAGS + extra, test, work, "cc")
    cflags = core.cflags + WARNINGS + extra + ["-I", work, "-I", CHECK_DIR]
    must([firmware.CC] + cflags + ["-c", test, "-o", "test.o"], work, "arm-none-eabi-gcc")
    must([firmware.CC] + cflags + ["-c", firmware.STARTUP_C, "-o", "startup.o"], work,
         "arm-none-eabi-gcc (startup)")
    elf = firmware.link(work, ["startup.o", "test.o"], "test.elf", 300, core,
                        what=os.path.basename(test))
    result = firmware.run(elf, 600, core=core)
    if result.returncode != 0:
        raise TestError("the %s run exited %d:\n%s%s" % (core.title, result.returncode,
                                                          result.stdout, result.stderr))
    target = summary(result.stdout, "the %s run" % core.title)
    if target != host:
        raise TestError("the %s gives other results than the host:\n  %s:%s%s\n"
                        "  host: %s" % (core.title, core.name, " " * (5 - len(core.name)),
                                        target, host))
    return target


def standalone(kernel_dir):
    builds = [(["cc"], []), (["clang"], []),
              ([firmware.CC], firmware.TARGET_FLAGS),
              ([firmware.CC], ["-mcpu=cortex-m0plus", "-mthumb", "-mfloat-abi=soft"])]
    files = sorted(glob.glob(os.path.join(os.path.abspath(kernel_dir), "*.c")))
    if not files:
        raise TestError("no kernel files in %s" % kernel_dir)
    work = tempfile.mkdtemp(prefix="kernels-standalone.")
    try:
        for source in files:
            for cc, flags in builds:
                must(cc + flags + WARNINGS + ["-O2", "-c", source, "-o",
                                              os.path.join(work, "k.o")], work,
                     " ".join(cc + flags) + " " + os.path.basename(source))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("kernels standalone: %d files built with %d compilers" % (len(files), len(builds)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tool", help="tinyplan-kernels")
    ap.add_argument("--target", choices=["host"] + sorted(firmware.CORES), default="host")
    ap.add_argument("--standalone", metavar="KERNEL_DIR")
    ap.add_argument("--keep", action="store_true", help="keep the work directories")
    ap.add_argument("--kernel-dir", help="test the kernel files of this folder, read at run "
                    "time, instead of those the tool was built with")
    ap.add_argument("tests", nargs="*")
    args = ap.parse_args()
    global KERNEL_DIR
    KERNEL_DIR = os.path.abspath(args.kernel_dir) if args.kernel_dir else None
    try:
        if args.standalone:
            standalone(args.standalone)
            return 0
        if not args.tool or not args.tests:
            ap.error("--tool and at least one test are needed")
        failed = 0
        for test in args.tests:
            work = tempfile.mkdtemp(prefix="kerneltest.")
            try:
                write_kernels(os.path.abspath(args.tool), os.path.abspath(test), work)
                if args.target == "host":
                    line = test_host(os.path.abspath(test), work)
                else:
                    line = test_mcu(os.path.abspath(test), work, firmware.CORES[args.target])
                print("PASS %s (%s): %s" % (os.path.basename(test), args.target, line))
            except (TestError, firmware.McuError, subprocess.TimeoutExpired) as e:
                failed += 1
                print("FAIL %s (%s): %s" % (os.path.basename(test), args.target, e))
            finally:
                if args.keep:
                    print("  kept %s" % work)
                else:
                    shutil.rmtree(work, ignore_errors=True)
        return 1 if failed else 0
    except TestError as e:
        print("FAIL: %s" % e)
        return 1


if __name__ == "__main__":
    sys.exit(main())

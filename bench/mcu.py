#!/usr/bin/python3
"""The generated C on an emulated Cortex-M4F: instructions per MAC, flash, RAM, stack.

Every model goes through scripts/modeltests.py with --mcu --insns: tinyplan
writes model.c, the harness's main.c runs it on the host and on
`qemu-system-arm -M mps2-an386 -cpu cortex-m4` (scripts/mcu/), the outputs are
checked against the reference (shipped test data or ONNX Runtime) and against
the host build. A model that fails shows FAILED and no figures. Columns:

  MACs          multiply-accumulates of one inference (tinyplan --emit=summary)
  M4 insns      instructions per inference on the M4 (arm-none-eabi-gcc 12 -O2,
                TCG plugin scripts/mcu/insncount.c; exact: two firmwares that
                differ by one m_run call, which includes ~7 loop instructions)
  insn/MAC      M4 insns / MACs
  flash         text + data of model.o: code and weights
  RAM           data + bss of model.o
  arena         NAME_ARENA_SIZE; the check that model.o's .bss is exactly this
                one object is part of the run
  stack static  worst case of m_run's call tree from gcc -fcallgraph-info=su,
                without the frames of library functions (memcpy...) it calls
  stack meas.   deepest stack use below main, from the painted stack
  x86 Ir        instructions per inference of the host build (x86-64, gcc -O2),
                valgrind --tool=callgrind --toggle-collect=m_run; '-' without
                valgrind or with --no-callgrind
  host          'same' when the M4 outputs are bit-identical with the host's,
                else the ulp distance (f64 kernels call libm's exp, log, tanh,
                which differ between newlib and glibc)

A benchmark, not a test: nothing passes or fails. Usage:
  bench/mcu.py [-t TINYPLAN] [--models DIR] [-j N] [--no-callgrind] [--profile N]
               [--tinyplan-arg=ARG ...]
               [MODEL.onnx ...]
--profile N adds, per model, the N functions that execute the most M4
instructions in one inference (plugin blocks=on, mapped to the ELF's symbols).
Without MODEL arguments: LeNet-5 (onnx_models/lenet5.onnx) and the models in
DEFAULT_MODELS under --models (default ../shared/models beside the checkout).
"""
import argparse
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# In place of bench/ (this file is bench/mcu.py, which would shadow scripts/mcu/).
sys.path[0] = os.path.join(ROOT, "scripts")
import harness  # noqa: E402
import modeltests  # noqa: E402
from mcu import firmware  # noqa: E402

DEFAULT_MODELS = [
    "onnx2c/test/mnist/model.onnx",
    "onnx2c/examples/atmega_mnist/mnist.simplified.onnx",
    "wonnx/opt-mnist.onnx",
    "burn/mnist.onnx",
    "mlperf-tiny-results/v0.7-alibaba/model_ad.onnx",
    "mlperf-tiny-results/v0.7-alibaba/model_kws.onnx",
    "mlperf-tiny-results/v0.7-alibaba/model_ic.onnx",
    "mlperf-tiny-results/v0.7-alibaba/model_vww.onnx",
    "mlperf-tiny-results/v1.1-kai_jiang/vww_96_float.onnx",
    "emx-onnx-cgen/micro_kws_m_static_fp32.onnx",
]
TOTAL_MACS_RE = re.compile(r"^total: .*?(\d+) MACs", re.MULTILINE)
ULP_RE = re.compile(r"at most (\d+) ulp")


def macs(tinyplan, m):
    cmd = [tinyplan, m.path, "--emit=summary"]
    for name, value in sorted(m.dims.items()):
        cmd += ["--dim", "%s=%d" % (name, value)]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                       timeout=300)
    match = TOTAL_MACS_RE.search(p.stdout)
    return int(match.group(1)) if match else None


def callgrind(m, timeout):
    """Host (x86-64) instructions per inference of the harness build at -O2."""
    if not shutil.which("valgrind"):
        return None
    exe = os.path.join(m.work, "prog-O2")
    cc = os.environ.get("CC", "cc")
    p = subprocess.run([cc, "-std=c99", "-O2", "-ffp-contract=off", "main.c", "model.c", "-lm",
                        "-o", exe], cwd=m.work, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=timeout)
    if p.returncode != 0:
        return None
    out = os.path.join(m.work, "callgrind.out")
    # LD_BIND_NOW: the first m_run call must not count the dynamic linker
    # resolving fmaf, memcpy... for it.
    p = subprocess.run(["valgrind", "--tool=callgrind", "--toggle-collect=m_run",
                        "--callgrind-out-file=" + out, exe], cwd=m.work,
                       env=dict(os.environ, LD_BIND_NOW="1"), stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=timeout)
    if p.returncode != 0 or not os.path.exists(out):
        return None
    with open(out) as f:
        match = re.search(r"^(?:summary|totals): (\d+)", f.read(), re.MULTILINE)
    # The harness's main.c calls m_run twice (HARNESS_EXTRA_RUNS is 0 here).
    return int(match.group(1)) // 2 if match else None


def select_models(args):
    if args.model:
        models = []
        for path in args.model:
            path = os.path.abspath(path)
            inside = os.path.commonpath([path, os.path.abspath(args.models)]) == \
                os.path.abspath(args.models)
            rel = os.path.relpath(path, args.models) if inside else os.path.basename(path)
            models.append(modeltests.Model(rel, path))
        return models
    models = [modeltests.Model("lenet5.onnx", os.path.join(ROOT, "onnx_models", "lenet5.onnx"))]
    for rel in DEFAULT_MODELS:
        path = os.path.join(args.models, rel)
        if os.path.isfile(path):
            models.append(modeltests.Model(rel, path))
    return models


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-t", "--tinyplan", default=harness.default_tinyplan(ROOT))
    ap.add_argument("--models", default=os.path.join(ROOT, "..", "shared", "models"),
                    help="the shared model corpus")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--no-callgrind", action="store_true",
                    help="leave out the host instruction count (valgrind)")
    ap.add_argument("--profile", type=int, default=0, metavar="N",
                    help="after the table, the N functions that execute the most "
                    "instructions per inference on the M4, per model")
    ap.add_argument("--tinyplan-arg", action="append", default=[],
                    help="extra argument for tinyplan, e.g. --tinyplan-arg=--conv=im2col "
                    "(repeatable)")
    ap.add_argument("--quantized-io", action="store_true",
                    help="integer inputs and outputs (tinyplan --quantized-io; modeltests.py "
                    "--quantized-io gives the reference)")
    ap.add_argument("model", nargs="*", help="models to measure (default: see above)")
    args = ap.parse_args()

    # modeltests' own options, as its command line would give them. The
    # models run as they are: exposing a quantized model's integer tensors
    # as outputs would keep them in the arena and change the figures.
    mt = modeltests.argument_parser().parse_args(
        [args.models, "--tinyplan", args.tinyplan, "--mcu", "--insns", "-j", str(args.jobs),
         "--no-expose-integer"] + (["--quantized-io"] if args.quantized_io else []) +
        ["--tinyplan-arg=" + a for a in args.tinyplan_arg])
    models = select_models(args)
    if not models:
        sys.exit("bench/mcu.py: no models")
    mt.work_root = tempfile.mkdtemp(prefix="tinyplan-mcu-bench.")
    try:
        mt.mcu_options = harness.mcu_options(mt, mt.work_root)
        with multiprocessing.Pool(max(1, args.jobs)) as pool:
            models, _ = modeltests.run_models(mt, models, pool)
        rows = []
        for m in models:
            rows.append((m, macs(args.tinyplan, m),
                         callgrind(m, mt.timeout) if m.mcu and not args.no_callgrind
                         else None))
            if m.mcu and args.profile:
                # The firmwares with 1 and 2 extra m_run calls that counted insns.
                m.profile = firmware.profile(*[os.path.join(m.work, "fw%d.elf" % n)
                                               for n in (1, 2)],
                                             mt.timeout, mt.mcu_options.plugin)
    finally:
        shutil.rmtree(mt.work_root, ignore_errors=True)

    print("%-52s %10s %11s %8s %9s %8s %8s %6s %6s %11s %5s" % (
        "model", "MACs", "M4 insns", "insn/MAC", "flash", "RAM", "arena", "stack", "meas.",
        "x86 Ir", "host"))
    for m, n_macs, x86 in rows:
        f = m.mcu
        if f is None:
            print("%-52s %s: %s" % (m.rel, m.outcome.status.upper(), m.outcome.detail))
            continue
        ulp = ULP_RE.search(f["host_diff"] or "")
        print("%-52s %10s %11d %8s %9d %8d %8d %6d %6d %11s %5s" % (
            m.rel, n_macs if n_macs is not None else "-", f["insns"],
            "%.2f" % (f["insns"] / n_macs) if n_macs else "-", f["flash"], f["ram"],
            f["arena"], f["static_stack"], f["measured_stack"],
            x86 if x86 is not None else "-",
            "same" if f["host_diff"] is None else ("%sulp" % ulp.group(1) if ulp else "diff")))
    for m, _, _ in rows:
        if getattr(m, "profile", None):
            print("\n%s: %d M4 instructions per inference" % (m.rel, m.mcu["insns"]))
            for insns, function in m.profile[:args.profile]:
                print("  %6.2f%% %11d  %s" % (100.0 * insns / m.mcu["insns"], insns, function))
    return 0


if __name__ == "__main__":
    sys.exit(main())

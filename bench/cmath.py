#!/usr/bin/python3
"""M4 instructions per call of tinyplan's f32 exp, log, tanh and sigmoid and of newlib's.

tinyplan writes a model with Exp, LogSoftmax, Tanh and Sigmoid nodes, whose
model.c holds tp_expf, tp_logf, tp_tanhf and tp_sigmoidf (lib/CodeGen/CMath.cpp).
A firmware includes it and calls one function through a volatile function
pointer (so nothing is inlined, and each call costs what a kernel's call
would) on 1024 inputs spread evenly over a range; newlib's expf, logf, tanhf
and 1 / (1 + expf(-x)) go through the same loop. The count is the difference
between the firmwares that run the loop twice and once (the TCG plugin, see
scripts/mcu/), divided by 1024, minus the same figure for a function that
returns its argument: what one call adds to a kernel's loop.

A benchmark, not a test. Usage: bench/cmath.py [-t TINYPLAN]
"""
import argparse
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[0] = os.path.join(ROOT, "scripts")
import harness  # noqa: E402
from mcu import firmware  # noqa: E402

MODEL = """<ir_version: 8, opset_import: ["" : 17]>
cmath (float[1,8] x) => (float[1,8] e, float[1,8] l, float[1,8] t, float[1,8] s)
{
  e = Exp(x)
  l = LogSoftmax(x)
  t = Tanh(x)
  s = Sigmoid(x)
}
"""

LOOP = r"""#include "model.c"
static float identity(float x) { return x; }
static float newlibSigmoid(float x) { return 1.0f / (1.0f + expf(-x)); }
static float in[1024], out[1024];
static volatile int reps = REPS;
int main(void) {
  float (*volatile fn)(float) = FN;
  int r, i;
  for (i = 0; i < 1024; ++i)
    in[i] = LO + (HI - LO) * (float)i / 1024;
  for (r = 0; r < reps; ++r)
    for (i = 0; i < 1024; ++i)
      out[i] = fn(in[i]);
  return out[5] == out[6] && out[7] == out[8];
}
"""

# (what, range, tinyplan's function, newlib's)
CASES = [
    ("exp", (-10, 10), "tp_expf", "expf"),
    ("log", (0.5, 100), "tp_logf", "logf"),
    ("tanh", (-4, 4), "tp_tanhf", "tanhf"),
    ("tanh", (-0.5, 0.5), "tp_tanhf", "tanhf"),
    ("sigmoid", (-8, 8), "tp_sigmoidf", "newlibSigmoid"),
]


def count(work, plugin, fn, lo, hi):
    """Instructions of the 1024-call loop (one pass)."""
    insns = []
    for reps in (1, 2):
        elf = os.path.join(work, "fw.elf")
        cmd = [sys.executable, os.path.join(ROOT, "scripts", "mcu", "firmware.py"), "build",
               "-o", elf, "-I" + work, "-DFN=" + fn, "-DLO=%rf" % float(lo),
               "-DHI=%rf" % float(hi), "-DREPS=%d" % reps, os.path.join(work, "loop.c")]
        subprocess.run(cmd, check=True)
        run = firmware.run(elf, 120, plugin)
        if run.insns is None:
            raise SystemExit("no instruction count for %s" % fn)
        insns.append(run.insns)
    return insns[1] - insns[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-t", "--tinyplan", default=harness.default_tinyplan(ROOT))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="cmath.") as work:
        with open(os.path.join(work, "cmath.onnxtxt"), "w") as f:
            f.write(MODEL)
        with open(os.path.join(work, "loop.c"), "w") as f:
            f.write(LOOP)
        subprocess.run([args.tinyplan, os.path.join(work, "cmath.onnxtxt"), "-o",
                        os.path.join(work, "model.c"), "--name", "m"], check=True)
        plugin = firmware.build_plugin(work)
        base = count(work, plugin, "identity", 0, 1)
        print("%-8s %-12s %10s %10s" % ("function", "range", "tinyplan", "newlib"))
        for what, (lo, hi), ours, theirs in CASES:
            a = (count(work, plugin, ours, lo, hi) - base) / 1024
            b = (count(work, plugin, theirs, lo, hi) - base) / 1024
            print("%-8s %-12s %10.1f %10.1f" % (what, "[%g, %g]" % (lo, hi), a, b))


if __name__ == "__main__":
    main()

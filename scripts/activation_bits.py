#!/usr/bin/python3
"""Fused and standalone activations give the same bits.

For each float activation tinyplan can fuse into a Conv (Relu, LeakyRelu,
HardSigmoid, HardSwish, Clip, Tanh, Sigmoid, Elu, Selu, Celu, ThresholdedRelu,
Softplus, Softsign, Mish), a model Conv(x, w = 1) ->
activation, of one channel over a 1024 x 1024 image, is compiled twice: with
the default passes (the activation fused into the Conv's kernel) and with
fuse-activations left out (a Conv kernel, then the activation's own kernel).
A C driver feeds both every STEP-th float of [-8, 8] (a Conv with weight 1
and no bias passes each through unchanged, -0 becoming +0) and requires
identical bits from the two, and, for the activations with a closed form,
the ONNX definition evaluated in float, one rounding per operation (see
kernels/activations.c).

Prints a line per activation (inputs, how many differ between the two
forms, how many differ from the definition), then `activation bits: N
activations, M inputs each, K failed`, and exits 1 if K > 0. Needs Debian's python3-onnx and a C compiler.

Usage: activation_bits.py --tinyplan PATH [--step N] [--cc CC]
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

SIDE = 1024

# (ONNX op, attributes, extra constant inputs, C reference of float v or None)
ACTIVATIONS = [
    ("Relu", {}, [], "(v != v ? v : v > 0 ? v : 0.0f)"),
    ("LeakyRelu", {"alpha": 0.1}, [], "(v < 0 ? (float)0.1 * v : v)"),
    ("HardSigmoid", {"alpha": 0.3, "beta": 0.6}, [],
     "hardsigmoid_ref(v, (float)0.3, (float)0.6)"),
    ("HardSwish", {}, [], "(v * hardsigmoid_ref(v, 1.0f / 6.0f, 0.5f))"),
    ("Clip", {}, [("min", -1.5), ("max", 6.0)], "min_ref(max_ref(v, -1.5f), 6.0f)"),
    ("Tanh", {}, [], None),
    ("Sigmoid", {}, [], None),
    ("Elu", {"alpha": 0.5}, [], None),
    ("Selu", {}, [], None),
    ("Celu", {"alpha": 2.0}, [], None),
    ("ThresholdedRelu", {"alpha": 0.5}, [], "(v != v ? v : v > 0.5f ? v : 0.0f)"),
    ("Softplus", {}, [], None),
    ("Softsign", {}, [], "(v / (1.0f + fabsf(v)))"),
    ("Mish", {}, [], None),
]

DRIVER = r"""
#include "fused.h"
#include "plain.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static inline float min_ref(float a, float b) { return b < a ? b : a; }
static inline float max_ref(float a, float b) { return a < b ? b : a; }
static inline float hardsigmoid_ref(float v, float alpha, float beta) {
  const volatile float product = alpha * v;
  return max_ref(min_ref(product + beta, 1.0f), 0.0f);
}

static float in[%(n)d], out_fused[%(n)d], out_plain[%(n)d];

static uint32_t bits(float x) {
  uint32_t u;
  memcpy(&u, &x, 4);
  return u;
}

int main(void) {
  uint64_t u = 0, inputs = 0, differ = 0, wrong = 0;
  const uint64_t end = 0x41000000u; /* 8.0f */
  int sign = 0;
  while (sign < 2) {
    int32_t k, count = 0;
    for (; count < %(n)d && u <= end; u += %(step)d) {
      uint32_t b = (uint32_t)u | (sign ? 0x80000000u : 0u);
      memcpy(&in[count++], &b, 4);
    }
    fused_run(in, out_fused);
    plain_run(in, out_plain);
    for (k = 0; k < count; ++k) {
      const float v = in[k] == 0 ? 0.0f : in[k]; /* the Conv makes -0 +0 */
      ++inputs;
      if (bits(out_fused[k]) != bits(out_plain[k])) {
        if (++differ <= 5)
          printf("%(op)s(%%a): fused %%a, standalone %%a\n", (double)v,
                 (double)out_fused[k], (double)out_plain[k]);
      }
%(reference)s
      (void)v;
    }
    if (u > end) {
      u = 0;
      ++sign;
    }
  }
  printf("%(op)s: %%llu inputs, %%llu differ, %%llu not the definition\n",
         (unsigned long long)inputs, (unsigned long long)differ, (unsigned long long)wrong);
  return differ != 0 || wrong != 0;
}
"""

REFERENCE = r"""
      {
        const float want = %s;
        if (bits(out_plain[k]) != bits(want) && !(want != want && out_plain[k] != out_plain[k])) {
          if (++wrong <= 5)
            printf("%s(%%a): %%a, the definition gives %%a\n", (double)v,
                   (double)out_plain[k], (double)want);
        }
      }
"""


def model(op, attrs, extra):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, SIDE, SIDE])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 1, SIDE, SIDE])
    inits = [numpy_helper.from_array(np.ones((1, 1, 1, 1), np.float32), "w")]
    names = ["c"]
    for name, value in extra:
        inits.append(numpy_helper.from_array(np.array(value, np.float32), name))
        names.append(name)
    nodes = [helper.make_node("Conv", ["x", "w"], ["c"], name="conv"),
             helper.make_node(op, names, ["y"], name="act", **attrs)]
    graph = helper.make_graph(nodes, op.lower(), [x], [y], inits)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    m.ir_version = 8
    return m


def run(cmd, cwd):
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    return p.returncode, p.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tinyplan", default="tinyplan")
    ap.add_argument("--step", type=int, default=7)
    ap.add_argument("--cc", default="cc")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    if os.sep in args.tinyplan:
        args.tinyplan = os.path.abspath(args.tinyplan)
    work = tempfile.mkdtemp(prefix="activation-bits.")
    failed = 0
    inputs = None
    try:
        for op, attrs, extra, reference in ACTIVATIONS:
            d = os.path.join(work, op)
            os.makedirs(d)
            onnx.save(model(op, attrs, extra), os.path.join(d, "m.onnx"))
            for name, passes in (("fused", []),
                                 ("plain", ["--passes=fold-constants,remove-identity,"
                                            "remove-dead-nodes,fold-batchnorm"])):
                code, out = run([args.tinyplan, "m.onnx", "-o", name + ".c", "--name", name]
                                + passes, d)
                if code != 0:
                    print("FAIL %s: tinyplan (%s): %s" % (op, name, out.strip()))
                    failed += 1
                    break
            else:
                reference_c = REFERENCE % (reference, op) if reference else ""
                with open(os.path.join(d, "main.c"), "w") as f:
                    f.write(DRIVER % {"n": SIDE * SIDE, "step": args.step, "op": op,
                                      "reference": reference_c})
                code, out = run([args.cc, "-std=c99", "-O2", "-ffp-contract=off", "-Wall",
                                 "-Wextra", "-Werror", "-pedantic", "main.c", "fused.c",
                                 "plain.c", "-lm", "-o", "check"], d)
                if code == 0:
                    code, out = run(["./check"], d)
                print(out.strip())
                if code != 0:
                    failed += 1
                else:
                    inputs = out.split(": ")[1].split(" ")[0]
        print("activation bits: %d activations, %s inputs each, %d failed"
              % (len(ACTIVATIONS), inputs, failed))
        return 1 if failed else 0
    finally:
        if args.keep:
            print("kept", work)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""The im2col and the direct Conv kernels give the same bits.

For each Conv case below (pads, asymmetric pads, strides, dilations, groups,
depthwise, odd channel counts, rows that leave tails of pixels, 1x1, 1-D,
f64, a fused Relu, no bias and a bias of -0.0), a one-node model is compiled
twice, with --conv=direct and --conv=im2col, and one C driver runs both on
inputs that mix normal values, zeros of both signs, values so small that
their products round to zero (so sums of -0.0 occur), infinities and NaN,
and requires identical bits from every output element.

Prints a line per case (outputs compared, how many differ), then `conv bits:
N cases, K failed`, and exits 1 if K > 0. Needs Debian's python3-onnx and a
C compiler.

Usage: conv_bits.py --tinyplan PATH [--cc CC] [-k REGEX]
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

# name, input shape, output channels, kernel, attributes, bias (None, "rand",
# "negzero"), dtype, activation after the Conv (None or op type).
CASES = [
    ("pad1", [1, 3, 9, 11], 5, [3, 3], {"pads": [1, 1, 1, 1]}, "rand", "f32", None),
    ("asym-stride2", [1, 4, 10, 10], 8, [3, 3], {"pads": [1, 0, 2, 1], "strides": [2, 2]},
     "negzero", "f32", None),
    ("dil-group2", [2, 6, 12, 13], 6, [5, 3],
     {"pads": [2, 2, 2, 2], "strides": [1, 2], "dilations": [2, 1], "group": 2}, "rand",
     "f32", None),
    ("depthwise", [1, 8, 7, 7], 8, [3, 3], {"pads": [1, 1, 1, 1], "group": 8}, "rand", "f32",
     None),
    ("group3-odd", [1, 9, 11, 9], 15, [3, 3], {"pads": [0, 1, 1, 0], "group": 3}, None, "f32",
     None),
    ("pointwise", [1, 3, 16, 13], 7, [1, 1], {}, "rand", "f32", None),
    ("pointwise-s2", [1, 5, 9, 9], 9, [1, 1], {"strides": [2, 2]}, None, "f32", None),
    ("conv1d", [1, 4, 23], 6, [3], {"pads": [1, 2], "dilations": [2]}, "rand", "f32", None),
    ("all-border", [1, 2, 5, 5], 4, [5, 5], {"pads": [2, 2, 2, 2]}, "negzero", "f32", None),
    ("no-pad", [1, 3, 8, 17], 10, [3, 3], {}, None, "f32", None),
    ("valid-wide", [1, 16, 6, 30], 12, [3, 5], {"strides": [1, 3]}, "rand", "f32", None),
    ("relu", [1, 3, 9, 9], 4, [3, 3], {"pads": [1, 1, 1, 1]}, "rand", "f32", "Relu"),
    ("f64", [1, 3, 9, 10], 5, [3, 3], {"pads": [1, 1, 1, 1], "strides": [2, 1]}, "rand", "f64",
     None),
]

DRIVER = r"""
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "direct.h"
#include "im2col.h"

static uint32_t state = 12345u;
static uint32_t next(void) { state = state * 1664525u + 1013904223u; return state >> 8; }

static T value(void) {
  uint32_t r = next() % 64;
  if (r == 0) return (T)0;
  if (r == 1) return -(T)0;
  if (r == 2) return (T)1e-30 * (next() % 2 ? 1 : -1);
  if (r == 3 && SPECIALS) return next() % 2 ? (T)INFINITY : (T)NAN;
  return ((T)(int32_t)(next() % 2001) - 1000) / 256;
}

int main(void) {
  static T in[DIRECT_INPUT_0_SIZE], a[DIRECT_OUTPUT_0_SIZE], b[DIRECT_OUTPUT_0_SIZE];
  int round, diff = 0;
  for (round = 0; round < 4; ++round) {
    size_t i;
    for (i = 0; i < DIRECT_INPUT_0_SIZE; ++i) in[i] = value();
    /* Round 0: all finite; rounds with mostly zeros make -0 sums likely. */
    if (round == 1)
      for (i = 0; i < DIRECT_INPUT_0_SIZE; ++i) if (next() % 4) in[i] = next() % 2 ? -(T)0 : (T)1e-30;
    direct_run(in, a);
    im2col_run(in, b);
    for (i = 0; i < DIRECT_OUTPUT_0_SIZE; ++i)
      if (memcmp(&a[i], &b[i], sizeof(T)) != 0) {
        if (diff < 5) printf("element %u: %a vs %a\n", (unsigned)i, (double)a[i], (double)b[i]);
        ++diff;
      }
  }
  printf("%d %d\n", (int)DIRECT_OUTPUT_0_SIZE * 4, diff);
  return 0;
}
"""


def model(shape, m, kernel, attrs, bias, dtype, act):
    rng = np.random.default_rng(abs(hash((tuple(shape), m, tuple(kernel)))) % (2**32))
    np_type = np.float32 if dtype == "f32" else np.float64
    onnx_type = TensorProto.FLOAT if dtype == "f32" else TensorProto.DOUBLE
    group = attrs.get("group", 1)
    wshape = [m, shape[1] // group] + kernel
    w = (rng.integers(-1000, 1001, size=wshape) / 128).astype(np_type)
    flat = w.reshape(-1)
    flat[rng.integers(0, flat.size, size=max(1, flat.size // 16))] = 0
    flat[rng.integers(0, flat.size, size=max(1, flat.size // 16))] = 1e-30
    inits = [numpy_helper.from_array(w, "w")]
    inputs = ["x", "w"]
    if bias:
        b = (rng.integers(-100, 101, size=[m]) / 16).astype(np_type)
        if bias == "negzero":
            b[:] = -0.0
        inits.append(numpy_helper.from_array(b, "b"))
        inputs.append("b")
    nodes = [helper.make_node("Conv", inputs, ["c" if act else "y"], kernel_shape=kernel,
                              **attrs)]
    if act:
        nodes.append(helper.make_node(act, ["c"], ["y"]))
    graph = helper.make_graph(nodes, "conv", [helper.make_tensor_value_info("x", onnx_type, shape)],
                              [helper.make_tensor_value_info("y", onnx_type, None)], inits)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    m.ir_version = 8
    return m


def run(cmd, cwd):
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=300)
    return p.returncode, p.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tinyplan", default="tinyplan")
    ap.add_argument("--cc", default="cc")
    ap.add_argument("-k", "--filter", help="only cases whose name matches this regex")
    args = ap.parse_args()
    if os.sep in args.tinyplan:
        args.tinyplan = os.path.abspath(args.tinyplan)
    failed = count = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, shape, m, kernel, attrs, bias, dtype, act in CASES:
            if args.filter and not re.search(args.filter, name):
                continue
            count += 1
            d = os.path.join(tmp, name)
            os.makedirs(d)
            onnx.save(model(shape, m, kernel, attrs, bias, dtype, act), os.path.join(d, "m.onnx"))
            ok = True
            for method in ("direct", "im2col"):
                code, out = run([args.tinyplan, "m.onnx", "-o", method + ".c", "--name", method,
                                 "--conv=" + method], d)
                if code != 0:
                    print("FAIL %s: tinyplan --conv=%s: %s" % (name, method, out.strip()))
                    ok = False
            if ok:
                with open(os.path.join(d, "main.c"), "w") as f:
                    f.write(DRIVER)
                ctype = "float" if dtype == "f32" else "double"
                code, out = run([args.cc, "-std=c99", "-O2", "-ffp-contract=off", "-Wall",
                                 "-Wextra", "-Werror", "-DT=" + ctype, "-DSPECIALS=" +
                                 ("1" if name != "relu" else "0"), "main.c", "direct.c",
                                 "im2col.c", "-o", "main", "-lm"], d)
                if code != 0:
                    print("FAIL %s: cc: %s" % (name, out.strip()[:2000]))
                    ok = False
            if ok:
                code, out = run([os.path.join(d, "main")], d)
                last = out.strip().split("\n")[-1].split()
                if code != 0 or len(last) != 2 or last[1] != "0":
                    print("FAIL %s: %s" % (name, out.strip()))
                    ok = False
                else:
                    print("%-14s %6s outputs, 0 differ" % (name, last[0]))
            failed += not ok
    print("conv bits: %d cases, %d failed" % (count, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

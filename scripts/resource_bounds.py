#!/usr/bin/python3
"""Hostile models against tinyplan's resource bounds: each case is generated
here, compiled to C (`-o model.c`) by tinyplan, and its peak resident memory
(the child's own ru_maxrss, os.wait4) and CPU time are measured. A case
passes when tinyplan exits 0 or 1 (compiled, or refused with a message), in
at most 2 GiB and within the time limit (60 s, a bound on a hang: the figures
printed are what matter).

The cases:
  splat-expand     a scalar Expand-ed to f32[2^28] (1 GiB) feeding Add with
                   another splat: folding must not materialise it
  splat-folding    Add of two f32[2^26] splat initializers (256 MiB each,
                   4-byte raw data): folded or not, never copied per element
  deep-chain       a chain of 20,000 Relu nodes
  wide-fanout      one input read by 5,000 Sigmoid nodes, summed by a Sum
  concat-slice     2,000 rounds of Concat(x, x) then Slice back to x's size
  concat-tree      a Concat of 4,096 operands, each a Relu of the input

Usage: resource_bounds.py --tinyplan PATH [--work DIR] [--timeout S]
Prints a line per case (`NAME: exit E, peak RSS N MiB, CPU T s`) and
`resource bounds: N cases, K over` (exit 1 if K > 0). Needs python3-onnx.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

FLOAT = TensorProto.FLOAT
INT64 = TensorProto.INT64
LIMIT_BYTES = 2 << 30


def save(path, nodes, inputs, outputs, inits=(), opset=13):
    g = helper.make_graph(nodes, "bounds", inputs, outputs, initializer=list(inits))
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = 7
    onnx.save(m, path)


def vi(name, shape, elem=FLOAT):
    return helper.make_tensor_value_info(name, elem, shape)


def splat(name, value, dims):
    # One element of raw data with a huge shape is malformed; a splat is a
    # ConstantOfShape, whose value is one element.
    return helper.make_node("ConstantOfShape", [name + "_shape"], [name],
                            value=numpy_helper.from_array(np.array([value], np.float32)))


def cases():
    out = {}
    n = 1 << 28
    out["splat-expand"] = (
        [helper.make_node("Expand", ["one", "shape"], ["big"]),
         helper.make_node("Add", ["big", "x"], ["y"])],
        [vi("x", [n])], [vi("y", [n])],
        [numpy_helper.from_array(np.array(1.5, np.float32), "one"),
         numpy_helper.from_array(np.array([n], np.int64), "shape")])
    n = 1 << 26
    out["splat-folding"] = (
        [splat("a", 2.0, [n]), splat("b", 3.0, [n]),
         helper.make_node("Add", ["a", "b"], ["c"]),
         helper.make_node("Mul", ["c", "x"], ["y"])],
        [vi("x", [n])], [vi("y", [n])],
        [numpy_helper.from_array(np.array([n], np.int64), "a_shape"),
         numpy_helper.from_array(np.array([n], np.int64), "b_shape")])
    chain = [helper.make_node("Relu", ["x" if i == 0 else "r%d" % (i - 1)],
                              ["r%d" % i if i < 19999 else "y"]) for i in range(20000)]
    out["deep-chain"] = (chain, [vi("x", [1, 8, 8, 8])], [vi("y", [1, 8, 8, 8])], [])
    fan = [helper.make_node("Sigmoid", ["x"], ["s%d" % i]) for i in range(5000)]
    fan.append(helper.make_node("Sum", ["s%d" % i for i in range(5000)], ["y"]))
    out["wide-fanout"] = (fan, [vi("x", [1, 64])], [vi("y", [1, 64])], [])
    nodes, prev = [], "x"
    for i in range(2000):
        nodes.append(helper.make_node("Concat", [prev, prev], ["c%d" % i], axis=1))
        nodes.append(helper.make_node("Slice", ["c%d" % i, "st", "en", "ax"],
                                      ["y" if i == 1999 else "s%d" % i]))
        prev = "s%d" % i
    out["concat-slice"] = (
        nodes, [vi("x", [1, 16, 8, 8])], [vi("y", [1, 16, 8, 8])],
        [numpy_helper.from_array(np.array([0], np.int64), "st"),
         numpy_helper.from_array(np.array([16], np.int64), "en"),
         numpy_helper.from_array(np.array([1], np.int64), "ax")])
    leaves = [helper.make_node("Relu", ["x"], ["l%d" % i]) for i in range(4096)]
    leaves.append(helper.make_node("Concat", ["l%d" % i for i in range(4096)], ["y"], axis=1))
    out["concat-tree"] = (leaves, [vi("x", [1, 1, 4, 4])], [vi("y", [1, 4096, 4, 4])], [])
    return out


def measure(cmd, timeout):
    """Runs cmd; returns (exit status or 'timeout', peak RSS bytes, CPU s)."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - start > timeout:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            return "timeout", usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime
        time.sleep(0.05)
    code = os.waitstatus_to_exitcode(status)
    return code, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tinyplan", default="tinyplan")
    ap.add_argument("--work")
    ap.add_argument("--timeout", type=float, default=60)
    args = ap.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="tinyplan-bounds.")
    os.makedirs(work, exist_ok=True)
    over = 0
    all_cases = cases()
    for name, (nodes, inputs, outputs, inits) in all_cases.items():
        path = os.path.join(work, name + ".onnx")
        save(path, nodes, inputs, outputs, inits)
        code, rss, cpu = measure([args.tinyplan, path, "-o", os.path.join(work, name + ".c")],
                                 args.timeout)
        bad = code not in (0, 1) or rss > LIMIT_BYTES
        over += bad
        print("%s: exit %s, peak RSS %d MiB, CPU %.1f s%s" % (
            name, code, rss >> 20, cpu, "  OVER" if bad else ""))
    print("resource bounds: %d cases, %d over" % (len(all_cases), over))
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())

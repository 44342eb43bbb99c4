#!/usr/bin/env python3
"""The arena against TensorFlow Lite Micro's greedy rule on the float models.

For every float model that ../shared/models/BOUNDS.md measures (the
quantized ones left out: BOUNDS.md sizes their float tensors), runs
`tinyplan MODEL --emit=plan` (plus any --tinyplan-arg) and prints the arena,
BOUNDS.md's "greedy (TFLM rule)" figure (the same tensors, input and output
in the arena, one buffer each), their ratio, and the median ratio over the
models tinyplan plans. With --before TINYPLAN2 it also plans with a second
binary (an older build) and prints both.

A benchmark, not a test: ctest does not run it. Usage:
  bench/tflm.py [-t TINYPLAN] [--before TINYPLAN2] [--tinyplan-arg ARG]...
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

ROW = re.compile(r"^\| (\S+\.onnx) \| ([\d,]+) \| ([\d,]+) \|")
ARENA = re.compile(r"^plan @.*? arena=(\d+) ")
QUANTIZED = ("quant", "qdq", "qoperator")


def arena(tinyplan, model, args):
    proc = subprocess.run([tinyplan, model, "--emit=plan", *args], capture_output=True,
                          text=True, timeout=300)
    match = ARENA.match(proc.stdout) if proc.returncode == 0 else None
    return int(match.group(1)) if match else None


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-t", "--tinyplan", default=os.path.join(root, "build/tools/tinyplan/tinyplan"))
    ap.add_argument("--before", help="a second tinyplan to compare with")
    ap.add_argument("--models", default=os.path.join(os.path.dirname(root), "shared/models"))
    ap.add_argument("--tinyplan-arg", action="append", default=[])
    args = ap.parse_args()
    bounds = os.path.join(args.models, "BOUNDS.md")
    if not os.path.exists(bounds):
        sys.exit("no %s" % bounds)
    columns = ["model", "TFLM rule"] + (["before", "x"] if args.before else []) + ["arena", "x"]
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    ratios, before_ratios = [], []
    for line in open(bounds):
        match = ROW.match(line)
        if not match or any(q in match.group(1) for q in QUANTIZED):
            continue
        name = match.group(1)
        tflm = int(match.group(3).replace(",", ""))
        path = os.path.join(args.models, name)
        cells = [name, "{:,}".format(tflm)]
        for binary, into in ([(args.before, before_ratios)] if args.before else []) + \
                [(args.tinyplan, ratios)]:
            planned = arena(binary, path, args.tinyplan_arg)
            if planned is None:
                cells += ["-", "-"]
                continue
            into.append(planned / tflm)
            cells += ["{:,}".format(planned), "%.3f" % (planned / tflm)]
        print("| " + " | ".join(cells) + " |", flush=True)
    if args.before and before_ratios:
        print("before: %d models, median arena / TFLM rule %.3f"
              % (len(before_ratios), statistics.median(before_ratios)))
    if ratios:
        print("%d models, median arena / TFLM rule %.3f" % (len(ratios), statistics.median(ratios)))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Memory plans of every shared model that tinyplan imports.

For each .onnx under the model corpus (default ../shared/models beside the
checkout, skipping the per-operator conformance tests) plus onnx_models/,
runs `tinyplan --emit=plan` with the default auto packer, with
`--packer=linear` (no reuse), with `--no-inplace` and with `--overlap=off`,
and prints arena, lower bound, gap, whether the arena is proven optimal, the
no-reuse size and the saving, the arena without in-place reuse, the arena
without overlaps (docs/planning.md, "Overlaps"), and the planning time.

Planning time = median wall time of `--emit=plan` minus the median of
`--emit=ir` on the same model (import is common to both), over RUNS runs.

A benchmark, not a test: ctest does not run it. Usage:
  bench/models.py [-t TINYPLAN] [-r RUNS] [MODEL_DIR ...]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time

HEADER = re.compile(r"^plan @.*? schedule=(\S+) packer=(\S+) arena=(\d+) "
                    r"lower_bound=(\d+) gap=(\d+) optimal=(yes|no)")


def run(cmd):
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    return proc, time.perf_counter() - start


def plan(tinyplan, model, *flags):
    proc, _ = run([tinyplan, model, "--emit=plan", *flags])
    if proc.returncode != 0:
        return None
    match = HEADER.match(proc.stdout)
    if not match:
        sys.exit("unexpected plan header for %s: %s" % (model, proc.stdout[:200]))
    return {"packer": match.group(2), "arena": int(match.group(3)),
            "bound": int(match.group(4)), "optimal": match.group(6)}


def median_time(tinyplan, model, emit, runs):
    times = []
    for _ in range(runs):
        proc, seconds = run([tinyplan, model, "--emit=" + emit])
        times.append(seconds)
    return statistics.median(times)


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-t", "--tinyplan", default=os.path.join(root, "build/tools/tinyplan/tinyplan"))
    ap.add_argument("-r", "--runs", type=int, default=5)
    ap.add_argument("dirs", nargs="*",
                    default=[os.path.join(root, "onnx_models"),
                             os.path.join(root, "..", "shared", "models")])
    args = ap.parse_args()

    models = []
    for d in args.dirs:
        for dirpath, _, files in os.walk(d):
            if "onnx-node" in dirpath:
                continue  # single-operator conformance tests: nothing to plan
            models += [os.path.join(dirpath, f) for f in files if f.endswith(".onnx")]
    models.sort()

    print("%-58s %10s %10s %6s %4s %11s %6s %10s %10s %8s  %s" % (
        "model", "arena", "bound", "gap", "opt", "no-reuse", "saved", "no-inplace",
        "no-overlap", "plan ms", "packer"))
    planned = at_bound = overlapped = 0
    overlap_ratios = []
    worst_ms = 0.0
    for model in models:
        auto = plan(args.tinyplan, model)
        if auto is None:
            continue  # does not import (unsupported operators or version)
        linear = plan(args.tinyplan, model, "--packer=linear", "--no-inplace",
                      "--no-views", "--no-concat-slices")
        no_inplace = plan(args.tinyplan, model, "--no-inplace")
        no_overlap = plan(args.tinyplan, model, "--overlap=off")
        ms = 1000 * max(0.0, median_time(args.tinyplan, model, "plan", args.runs) -
                        median_time(args.tinyplan, model, "ir", args.runs))
        planned += 1
        at_bound += auto["arena"] == auto["bound"]
        worst_ms = max(worst_ms, ms)
        overlapped += auto["arena"] < no_overlap["arena"]
        overlap_ratios.append(auto["arena"] / no_overlap["arena"] if no_overlap["arena"] else 1)
        name = os.path.relpath(model, os.path.join(root, ".."))
        saved = 1 - auto["arena"] / linear["arena"] if linear["arena"] else 0
        print("%-58s %10d %10d %6d %4s %11d %5.1f%% %10d %10d %8.1f  %s" % (
            name[-58:], auto["arena"], auto["bound"], auto["arena"] - auto["bound"],
            auto["optimal"], linear["arena"], 100 * saved, no_inplace["arena"],
            no_overlap["arena"], ms, auto["packer"]))
    print()
    print("%d models planned; arena == lower bound on %d; slowest planning %.1f ms" %
          (planned, at_bound, worst_ms))
    if overlap_ratios:
        print("overlaps make the arena smaller on %d models (arena / arena without them: "
              "least %.3f, median %.3f)" % (overlapped, min(overlap_ratios),
                                            statistics.median(overlap_ratios)))
    print("no-reuse = --packer=linear --no-inplace --no-views --no-concat-slices "
          "(every tensor its own bytes)")


if __name__ == "__main__":
    main()

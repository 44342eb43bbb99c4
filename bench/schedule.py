#!/usr/bin/env python3
"""Operator scheduling: peak live bytes per order, on real models and random DAGs.

For every .onnx under the model corpus (default ../shared/models beside the
checkout, skipping the per-operator conformance tests) plus onnx_models/, and
for seeded random DAGs (written as ONNX text into a temporary directory and
planned with --no-transforms), runs `tinyplan --emit=plan` with
--schedule=file, rpo, heuristic, exact and auto, and prints for each:

  nodes     nodes scheduled (after the default passes for real models)
  file      peak live bytes (the plan's lower bound) in the model's order
  rpo       ... in reverse post-order of a depth-first walk
  heur      ... with the heuristic (beam search per piece)
  exact     ... with the exact search within the state budget
  opt       whether the exact search proved that peak optimal
  arena     the final arena (auto: least peak, ties by arena)
  file/best file peak / best peak (> 1.000: the scheduler lowered it)
  states    states the exact search stored
  ms        median CPU time (user + system) of --schedule=auto minus that
            of --schedule=file, both with --emit=plan (import, passes and
            packing are common to both): the scheduler's own time

A benchmark, not a test: ctest does not run it. Usage:
  bench/schedule.py [-t TINYPLAN] [-r RUNS] [--sizes 10,20,...] [--seeds N]
                    [--budget N] [--no-models] [--no-random] [MODEL_DIR ...]
"""
import argparse
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile

HEADER = re.compile(r"^plan @.*? schedule=(\S+) packer=\S+ arena=(\d+) lower_bound=(\d+)")
SCHEDULE = re.compile(r"^schedule: method=(\S+) peak=(\d+) file_peak=(\d+) order_bound=(\d+) "
                      r"order_optimal=(yes|no) pieces=(\d+) proven_pieces=(\d+) states=(\d+)", re.M)
METHODS = ["file", "rpo", "heuristic", "exact", "auto"]


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(cmd):
    """Runs cmd; returns the process and its CPU time (user + system), which
    other jobs on a busy machine disturb far less than its wall time."""
    start = cpu_seconds()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    return proc, cpu_seconds() - start


def plan(tinyplan, model, flags):
    proc, seconds = run([tinyplan, model, "--emit=plan", *flags])
    if proc.returncode != 0:
        return None
    header = HEADER.match(proc.stdout)
    schedule = SCHEDULE.search(proc.stdout)
    order = re.search(r"^order:(.*)$", proc.stdout, re.M)
    if not header or not schedule or not order:
        sys.exit("unexpected plan output for %s: %s" % (model, proc.stdout[:300]))
    return {"arena": int(header.group(2)), "peak": int(schedule.group(2)),
            "bound": int(schedule.group(4)), "proven": schedule.group(5) == "yes",
            "method": schedule.group(1), "states": int(schedule.group(8)),
            "pieces": int(schedule.group(6)), "nodes": len(order.group(1).split()),
            "seconds": seconds}


def median_time(tinyplan, model, flags, runs):
    return statistics.median(run([tinyplan, model, "--emit=plan", *flags])[1]
                             for _ in range(runs))


def random_dag(nodes, seed):
    """A random DAG over f32[1,C,8,8] tensors: 1x1 Convs changing the channel
    count (1..16), in-place Relu and Add, Concat (slices) and same-shape
    Reshape (views). Operands come mostly from the last few values, now and
    then from anywhere before; unread values become graph outputs."""
    rng = random.Random(seed)
    channels, names, reads = [rng.randint(1, 8)], ["x"], [0]
    body, inits = [], ["int64[4] same = {1, -1, 8, 8}"]

    def operand():
        last = len(names) - 1
        if rng.random() < 0.75:
            return max(0, last - rng.randint(0, 3))
        return rng.randint(0, last)

    for i in range(nodes):
        name, a, kind = "v%d" % i, operand(), rng.randint(0, 9)
        out = channels[a]
        if kind <= 2:
            out = rng.randint(1, 16)
            w = "w%d" % i
            inits.append("float[%d,%d,1,1] %s = {%s}" % (
                out, channels[a], w, ", ".join(["1"] * (out * channels[a]))))
            body.append("%s = Conv(%s, %s)" % (name, names[a], w))
        elif kind <= 6:
            b = next((c for c in (operand() for _ in range(8)) if channels[c] == channels[a]),
                     None)
            if kind <= 4 or b is None:
                body.append("%s = Relu(%s)" % (name, names[a]))
            else:
                body.append("%s = Add(%s, %s)" % (name, names[a], names[b]))
                reads[b] += 1
        elif kind <= 8:
            b = operand()
            if b == a or channels[a] + channels[b] > 32:
                body.append("%s = Relu(%s)" % (name, names[a]))
            else:
                body.append("%s = Concat <axis = 1> (%s, %s)" % (name, names[a], names[b]))
                out = channels[a] + channels[b]
                reads[b] += 1
        else:
            body.append("%s = Reshape(%s, same)" % (name, names[a]))
        reads[a] += 1
        names.append(name)
        channels.append(out)
        reads.append(0)
    outputs = [names[v] for v in range(1, len(names)) if not reads[v] or v == len(names) - 1]
    return ('<ir_version: 8, opset_import: ["" : 17]>\n'
            "random%d_%d (float[1,%d,8,8] x) => (%s)\n<%s>\n{\n  %s\n}\n" % (
                nodes, seed, channels[0], ", ".join("float[] " + o for o in outputs),
                ", ".join(inits), "\n  ".join(body)))


def bench(tinyplan, model, label, flags, runs, table):
    results = {}
    for method in METHODS:
        results[method] = plan(tinyplan, model, flags + ["--schedule=" + method])
        if results[method] is None:
            return False
    ms = 1000 * max(0.0, median_time(tinyplan, model, flags + ["--schedule=auto"], runs) -
                    median_time(tinyplan, model, flags + ["--schedule=file"], runs))
    auto, exact = results["auto"], results["exact"]
    best = min(auto["peak"], exact["peak"])
    row = {"label": label, "nodes": auto["nodes"], "ms": ms, "auto": auto,
           "ratio": results["file"]["peak"] / best if best else 1.0,
           **{m: results[m]["peak"] for m in METHODS}, "proven": exact["proven"],
           "states": exact["states"], "pieces": exact["pieces"]}
    table.append(row)
    print("%-46s %5d %11d %11d %11d %11d %4s %11d %7.3f %8d %8.1f" % (
        label[-46:], row["nodes"], row["file"], row["rpo"], row["heuristic"], row["exact"],
        "yes" if row["proven"] else "no", auto["arena"], row["ratio"], row["states"], ms),
        flush=True)
    return True


def header():
    print("%-46s %5s %11s %11s %11s %11s %4s %11s %7s %8s %8s" % (
        "model", "nodes", "file", "rpo", "heur", "exact", "opt", "arena", "file/best",
        "states", "ms"))


def summary(table, what):
    if not table:
        return
    proven = sum(r["proven"] for r in table)
    lower = [r for r in table if r["ratio"] > 1.0]
    slowest = max(table, key=lambda r: r["ms"])
    print("%d %s: proven optimal %d; peak below the file order's on %d%s; slowest %.1f ms (%s)" % (
        len(table), what, proven, len(lower),
        " (ratios %s)" % ", ".join("%.3f" % r["ratio"] for r in lower) if lower else "",
        slowest["ms"], slowest["label"]))


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-t", "--tinyplan", default=os.path.join(root, "build/tools/tinyplan/tinyplan"))
    ap.add_argument("-r", "--runs", type=int, default=3)
    ap.add_argument("--sizes", default="10,20,30,40,50,60,100,200,500")
    ap.add_argument("--seeds", type=int, default=3, help="random DAGs per size")
    ap.add_argument("--budget", type=int, help="--schedule-budget for every run")
    ap.add_argument("--no-models", action="store_true")
    ap.add_argument("--no-random", action="store_true")
    ap.add_argument("dirs", nargs="*",
                    default=[os.path.join(root, "onnx_models"),
                             os.path.join(root, "..", "shared", "models")])
    args = ap.parse_args()
    flags = ["--schedule-budget=%d" % args.budget] if args.budget is not None else []

    if not args.no_models:
        models = []
        for d in args.dirs:
            for dirpath, _, files in os.walk(d):
                if "onnx-node" in dirpath:
                    continue
                models += [os.path.join(dirpath, f) for f in files if f.endswith(".onnx")]
        header()
        table = []
        for model in sorted(models):
            bench(args.tinyplan, model, os.path.relpath(model, os.path.join(root, "..")),
                  flags, args.runs, table)
        print()
        summary(table, "models")
        print()

    if not args.no_random:
        header()
        table = []
        with tempfile.TemporaryDirectory() as tmp:
            for size in [int(s) for s in args.sizes.split(",")]:
                for seed in range(args.seeds):
                    path = os.path.join(tmp, "random%d_%d.onnxtxt" % (size, seed))
                    with open(path, "w") as f:
                        f.write(random_dag(size, seed))
                    if not bench(args.tinyplan, path, "random n=%d seed=%d" % (size, seed),
                                 flags + ["--no-transforms"], args.runs, table):
                        print("random n=%d seed=%d: tinyplan failed" % (size, seed))
        print()
        summary(table, "random DAGs")
        for size in sorted({r["nodes"] for r in table}):
            rows = [r for r in table if r["nodes"] == size]
            print("  n=%d: proven %d/%d, slowest %.1f ms" % (
                size, sum(r["proven"] for r in rows), len(rows), max(r["ms"] for r in rows)))


if __name__ == "__main__":
    main()

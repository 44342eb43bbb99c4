#!/usr/bin/env python3
"""Import every .onnx model under a directory with tinyplan and classify the result.

For each model, `tinyplan MODEL --emit=ir` (stdout discarded) must either
  - exit 0                                   -> "imported", or
  - exit 1 with exactly one error, the unsupported-operators one
                                             -> "unsupported";
anything else (another error, several errors, exit >= 2, a signal, a timeout, a
warning-free crash) is "failed". Models outside tinyplan's supported IR/opset range
(e.g. onnx-node tests at opset 18+) exit 1 with a version error; they count as
"unsupported" too (as "unsupported version"), unless --strict-versions is given.
--also-accept REGEX counts other exit-1 errors matching REGEX as unsupported.

Prints one line per failure, then `imported N, unsupported M, failed K`, and exits 1
if K > 0. Standard library only, so any python3 runs it.

Usage: import_shared_models.py [--tinyplan PATH] [--timeout S] [-j N] [-v] DIR...
"""

import argparse
import collections
import concurrent.futures
import os
import re
import subprocess
import sys
import time

# The one error a model may fail with. Adapt these to tinyplan's wording.
UNSUPPORTED_OPS_RE = re.compile(r"unsupported (operator|op)", re.IGNORECASE)
UNSUPPORTED_VERSION_RE = re.compile(
    r"(IR version|opset|operator set)[^\n]*(unsupported|not supported|supports)"
    r"|unsupported (IR version|opset)", re.IGNORECASE)


def first_error(err):
    lines = err.strip().splitlines()
    errors = [l for l in lines if "error:" in l]
    return (errors or lines or [""])[0]


def find_models(roots):
    models = []
    for root in roots:
        if os.path.isfile(root):
            models.append(root)
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for f in sorted(filenames):
                if f.endswith(".onnx"):
                    models.append(os.path.join(dirpath, f))
    return models


def run_one(tinyplan, model, timeout, also_accept=None):
    cmd = [tinyplan, model, "--emit=ir", "-o", "-"]
    start = time.monotonic()
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return ("failed", "timeout after %gs" % timeout, time.monotonic() - start, "")
    elapsed = time.monotonic() - start
    err = p.stderr.decode("utf-8", "replace")
    errors = [l for l in err.splitlines() if "error:" in l]
    first = errors[0] if errors else (err.splitlines() or [""])[0]
    if p.returncode == 0:
        return ("imported", "", elapsed, err)
    if p.returncode < 0:
        return ("failed", "killed by signal %d: %s" % (-p.returncode, first), elapsed, err)
    if p.returncode != 1:
        return ("failed", "exit %d: %s" % (p.returncode, first), elapsed, err)
    if len(errors) != 1:
        return ("failed", "exit 1 with %d error lines: %s" % (len(errors), first),
                elapsed, err)
    if UNSUPPORTED_OPS_RE.search(err):
        return ("unsupported", "ops", elapsed, err)
    if UNSUPPORTED_VERSION_RE.search(err):
        return ("unsupported", "version", elapsed, err)
    if also_accept and also_accept.search(err):
        return ("unsupported", "accepted", elapsed, err)
    return ("failed", "exit 1: %s" % first, elapsed, err)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="+", help="directories (or files) to import")
    ap.add_argument("--tinyplan", default="tinyplan")
    ap.add_argument("--timeout", type=float, default=20.0, help="seconds per model")
    ap.add_argument("-j", "--jobs", type=int, default=min(4, os.cpu_count() or 1))
    ap.add_argument("--strict-versions", action="store_true",
                    help="count unsupported IR/opset versions as failures")
    ap.add_argument("--also-accept", metavar="REGEX",
                    help="count an exit-1 error matching REGEX as unsupported too")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="print every model's result and the slowest imports")
    args = ap.parse_args()

    models = find_models(args.dirs)
    if not models:
        print("no .onnx models under %s" % " ".join(args.dirs))
        return 1
    also = re.compile(args.also_accept) if args.also_accept else None
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(
            lambda m: run_one(args.tinyplan, m, args.timeout, also), models))

    counts = collections.Counter()
    why = collections.Counter()
    for model, (kind, detail, elapsed, err) in zip(models, results):
        if kind == "unsupported" and detail == "version" and args.strict_versions:
            kind, detail = "failed", "exit 1: " + first_error(err)
        counts[kind] += 1
        if kind == "unsupported":
            why[detail] += 1
        if kind == "failed":
            print("FAILED %s: %s" % (model, detail))
        elif args.verbose:
            print("%-11s %6.3fs %s%s" % (kind, elapsed, model,
                                         (": " + first_error(err))
                                         if kind == "unsupported" else ""))
    if args.verbose:
        print("slowest:")
        for model, r in sorted(zip(models, results), key=lambda x: -x[1][2])[:5]:
            print("  %6.3fs %s" % (r[2], model))
    print("imported %d, unsupported %d (operators %d, versions %d, accepted %d), "
          "failed %d" % (counts["imported"], counts["unsupported"], why["ops"],
                         why["version"], why["accepted"], counts["failed"]))
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())

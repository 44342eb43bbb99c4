#!/usr/bin/python3
"""How far tinyplan's --requant=fixed is from ONNX Runtime, element by element.

For each quantized model given (a directory in the ONNX node-test layout, as
scripts/random_qgraphs.py --expose-integer writes, whose test_data_set_0 holds
ONNX Runtime's outputs; or an .onnx file, run by ONNX Runtime here on seeded
random inputs with the integer input of every DequantizeLinear made an output),
compiles it with `tinyplan --requant=fixed` (plus any --tinyplan-arg), runs the C
on the host and compares every integer output with ONNX Runtime's, element by
element. Prints

    requant=fixed: N models, E integer elements, D differ by 1 (P %), M by more

(and, for each model where some element differs by more, how far), and exits 1 if
an element differs by more than --max-lsb (default 1) or a model fails to build or
run. In a one-op graph every requantized output differs by at most 1; in a whole
model an output 1 off feeds the next layers, which can then differ by more. The float requantization (the default) gives ONNX Runtime's integers
exactly (quant-models.test, quant-graphs.test); this measures what the
fixed-point one gives up. With --mcu the same C also runs on the emulated core
and must give the host's bits (see harness.add_mcu_arguments).

Usage: requant_deviation.py [--tinyplan PATH] [--tinyplan-arg ARG] MODEL_OR_DIR...
"""

import argparse
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import zlib

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


def node_test(path):
    """(model path, inputs, references) of a node-test-layout directory."""
    inputs, refs = harness.read_test_data(os.path.join(path, "test_data_set_0"))
    return os.path.join(path, "model.onnx"), list(inputs), list(refs)


def model_file(path, work, node, seed):
    """(exposed model path, seeded random inputs, ONNX Runtime's outputs)."""
    import onnx
    model = onnx.load(path)
    exposed = harness.expose_integer_outputs(model)
    inputs_info, _ = harness.graph_io(exposed)
    exposed_path = os.path.join(work, "exposed.onnx")
    onnx.save(exposed, exposed_path)
    rng = np.random.default_rng([seed, zlib.crc32(os.path.basename(path).encode())])
    inputs = []
    for _, dt, dims in inputs_info:
        shape = [d if isinstance(d, int) else 1 for d in dims]
        if dt in ("int8", "uint8"):
            info = np.iinfo(dt)
            inputs.append(rng.integers(info.min, int(info.max) + 1, size=shape, dtype=dt))
        else:
            inputs.append(rng.standard_normal(shape).astype(dt))
    refs = harness.ort_outputs(exposed_path, [n for n, _, _ in inputs_info], inputs, work,
                               node=node)
    return exposed_path, inputs, refs


def run_one(job):
    """Compiles, runs and compares one model; returns its counts."""
    args, mcu, root, i, path = job
    out = {"ok": 0, "elements": 0, "by_one": 0, "by_more": 0, "failures": [], "notes": []}
    work = os.path.join(root, "%04d" % i)
    os.makedirs(work)
    name = os.path.relpath(path)
    if path.endswith(".onnx"):
        model, inputs, refs = model_file(path, work, args.node, args.seed)
    else:
        model, inputs, refs = node_test(path)
    status, msg = harness.run_tinyplan(args.tinyplan, model, work,
                                       ["--requant=fixed"] + args.tinyplan_arg, args.timeout)
    if status != "ok":
        out["failures"].append("%s: tinyplan: %s" % (name, msg))
        return out
    r = harness.build_and_run(work, inputs, refs, args.cc, None, args.timeout,
                              harness.DEFAULT_RTOL, harness.DEFAULT_ATOL)
    if r.outputs is None or any(a is None for a in r.outputs):
        out["failures"].append("%s: %s" % (name, r.message))
        return out
    if mcu is not None:
        # The emulated core must give the host's bits: the host's outputs
        # are its reference.
        m = harness.build_and_run(work, inputs, r.outputs, args.cc, None, args.timeout,
                                  0.0, 0.0, mcu=mcu)
        if not m.ok:
            out["failures"].append("%s: emulated core: %s" % (name, m.message))
            return out
    out["ok"] = 1
    for got, want in zip(r.outputs, refs):
        if want.dtype.kind not in "iu":
            continue
        diff = np.abs(got.astype(np.int64) - want.astype(np.int64))
        out["elements"] += diff.size
        out["by_one"] += int(np.count_nonzero(diff == 1))
        out["by_more"] += int(np.count_nonzero(diff > 1))
        if np.any(diff > 1):
            out["notes"].append("%s: %d of %d elements differ by more than 1, at most %d" % (
                name, int(np.count_nonzero(diff > 1)), diff.size, int(diff.max())))
        if np.any(diff > args.max_lsb):
            out["failures"].append("%s: %d elements differ by more than %d" % (
                name, int(np.count_nonzero(diff > args.max_lsb)), args.max_lsb))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("models", nargs="+", help="node-test directories, .onnx files, or "
                    "directories of node-test directories")
    ap.add_argument("--tinyplan", default=None, help="tinyplan executable")
    ap.add_argument("--tinyplan-arg", action="append", default=[])
    ap.add_argument("--cc", default=os.environ.get("CC", "cc"))
    ap.add_argument("--node", default=os.environ.get("NODE", "node"))
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("-k", "--filter", help="only models whose path matches this regex")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--max-lsb", type=int, default=1,
                    help="fail when an integer element differs by more than this")
    harness.add_mcu_arguments(ap)
    args = ap.parse_args()
    args.tinyplan = args.tinyplan or harness.default_tinyplan(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

    paths = []
    for p in args.models:
        if os.path.isdir(p) and not os.path.isfile(os.path.join(p, "model.onnx")):
            paths += sorted(os.path.join(p, d) for d in os.listdir(p)
                            if os.path.isfile(os.path.join(p, d, "model.onnx")))
        else:
            paths.append(p)
    if args.filter:
        paths = [p for p in paths if re.search(args.filter, p)]

    root = tempfile.mkdtemp(prefix="requant.")
    mcu = harness.mcu_options(args, root)
    jobs = [(args, mcu, root, i, path) for i, path in enumerate(paths)]
    elements = by_one = by_more = models = 0
    failures = []
    try:
        with multiprocessing.Pool(max(1, args.jobs)) as pool:
            for r in pool.imap(run_one, jobs):
                for line in r["notes"]:
                    print(line)
                failures += r["failures"]
                models += r["ok"]
                elements += r["elements"]
                by_one += r["by_one"]
                by_more += r["by_more"]
    finally:
        shutil.rmtree(root, ignore_errors=True)
    for f in failures:
        print("FAILED " + f)
    share = 100.0 * by_one / elements if elements else 0.0
    print("requant=fixed: %d models, %d integer elements, %d differ by 1 (%.2f %%), %d by more"
          % (models, elements, by_one, share, by_more))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Run the ONNX backend node tests through tinyplan's C emitter.

For every test directory under the given root (e.g. ../shared/models/onnx-node-v1.12.0):
  tinyplan TEST/model.onnx -o WORK/model.c --name m
then a generated main.c embeds test_data_set_0/input_*.pb as exact bit patterns, calls
m_run (twice: both calls must give the same bits) and prints the outputs in hex; it is
built with `cc -std=c99 -O1 -ffp-contract=off -Wall -Wextra -Werror -pedantic` and the
outputs are compared with output_*.pb (floats rtol 1e-4 / atol 1e-5, NaN == NaN;
integers exactly; shapes exactly).

A test is "unsupported" when tinyplan exits 1 with an unsupported / not-supported
diagnostic. When tinyplan rejects a graph input that must be a compile-time constant
(Reshape's shape, Slice's starts, ...), the test's value for it is bound into the model
as an initializer and tinyplan is run again (--no-bind-constants turns this off); such
passes are counted separately. Anything else that goes wrong is a failure.

Prints a line per failure and `node tests: N passed, M failed, K unsupported`; exits 1
if any test failed. Needs Debian's python3-onnx (1.12) and python3-numpy.

--nhwc-io compiles with --io-layout=nhwc and gives the model its 4-D inputs and takes
its 4-D outputs channels-last (N, H, W, C): the test data transposed.

--mcu also runs every test on an emulated Cortex-M4F (see harness.verify_on_mcu),
or with --mcu-cpu m3 / m0 on an emulated Cortex-M3 or Cortex-M0 (soft float);
--insns adds instructions per inference there.

Usage: nodetests.py [--tinyplan PATH] [--tinyplan-arg ARG] [--nhwc-io] [--prebuilt DIR]
                    [--asan | --writers] [-j N] [-k REGEX] [--timeout S] [-v] [--mcu [--mcu-cpu m4f|m3|m0] [--insns]] ROOT
"""

import argparse
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Tests whose shipped outputs are not what the operator computes: their inputs
# are kept and the reference is ONNX Runtime's output (npm onnxruntime-node,
# scripts/ort). Each entry says why.
SHIPPED_OUTPUTS_WRONG = {
    "test_averagepool_2d_ceil_last_window_starts_on_pad":
        "output_0.pb is rounded to 4 digits (0.1511); the average of the window's 4 inputs "
        "and 5 padded zeros is 0.15105554 in float, as ONNX Runtime 1.30 computes",
}


def run_test(job):
    args, test_dir = job
    name = os.path.basename(test_dir.rstrip("/"))
    start = time.monotonic()
    work = tempfile.mkdtemp(prefix=name + ".", dir=args.work_dir)
    try:
        outcome = run_in(args, name, test_dir, work)
    except Exception as e:  # a broken test file or a harness bug: report, go on
        outcome = harness.Outcome(name, "failed", "harness: %s: %s" % (type(e).__name__, e))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    outcome.seconds = time.monotonic() - start
    if args.keep:
        outcome.note = (outcome.note + " " if outcome.note else "") + "(kept %s)" % work
    return outcome


def run_in(args, name, test_dir, work):
    import onnx
    model_path = os.path.join(test_dir, "model.onnx")
    data = os.path.join(test_dir, "test_data_set_0")
    inputs, refs = harness.read_test_data(data)
    if name in SHIPPED_OUTPUTS_WRONG:
        graph_inputs = [i.name for i in onnx.load(model_path).graph.input]
        refs = harness.ort_outputs(model_path, graph_inputs, inputs, work)
    if args.nhwc_io:
        inputs, refs = ([a.transpose(0, 2, 3, 1).copy() if a.ndim == 4 else a for a in arrays]
                        for arrays in (inputs, refs))
    model = onnx.load(model_path)
    ins, outs = harness.graph_io(model)
    if len(inputs) != len(ins):
        return harness.Outcome(name, "failed", "harness: %d graph inputs but %d input_*.pb"
                               % (len(ins), len(inputs)))
    values = {n[0]: a for n, a in zip(ins, inputs)}
    for arr in list(inputs) + list(refs):
        if harness.dtype_name(arr) not in harness.DTYPES:
            return harness.Outcome(name, "unsupported", "harness: dtype %s" % arr.dtype)

    bound = {}
    if args.prebuilt:
        src = os.path.join(args.prebuilt, name)
        if not os.path.isfile(os.path.join(src, "model.c")):
            return harness.Outcome(name, "unsupported", "no prebuilt model.c")
        harness.copy_prebuilt(src, work)
    else:
        current = model_path
        while True:
            status, msg = harness.run_tinyplan(
                args.tinyplan, current, work,
                args.tinyplan_arg + (["--io-layout=nhwc"] if args.nhwc_io else []), args.timeout)
            if status == "runtime-const" and args.bind_constants and msg in values \
                    and msg not in bound and len(bound) < len(values):
                bound[msg] = values[msg]
                current = os.path.join(work, "bound.onnx")
                harness.bind_constant_inputs(model_path, current, bound)
                continue
            break
        if status == "runtime-const":
            status = "unsupported"
        if status == "unsupported":
            return harness.Outcome(name, "unsupported", msg)
        if status != "ok":
            return harness.Outcome(name, "failed", msg)

    run_inputs = [a for n, a in zip(ins, inputs) if n[0] not in bound]
    r = harness.build_and_run(
        work, run_inputs, refs, args.cc, args.check, args.timeout, args.rtol, args.atol,
        also_cc=args.also_cc, mcu=args.mcu_options)
    note = "bound %s" % ",".join(sorted(bound)) if bound else ""
    if r.mcu:
        note = (note + "; " if note else "") + harness.format_mcu(r.mcu)
    return harness.Outcome(name, "passed" if r.ok else "failed", r.message, r.max_abs,
                           r.max_rel, note=note)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("root", help="directory of test_* directories")
    ap.add_argument("--tinyplan", default=None, help="tinyplan executable")
    ap.add_argument("--tinyplan-arg", action="append", default=[],
                    help="extra argument for tinyplan (repeatable)")
    ap.add_argument("--nhwc-io", action="store_true",
                    help="4-D inputs and outputs channels-last (--io-layout=nhwc)")
    ap.add_argument("--prebuilt", help="use DIR/<test>/model.c and model.h instead of "
                    "running tinyplan; tests without one count as unsupported")
    ap.add_argument("--cc", default=os.environ.get("CC", "cc"),
                    help="compiler command for the host build (default $CC or cc)")
    ap.add_argument("--also-cc", action="append", default=[], metavar="CMD",
                    help="also compile model.c alone with CMD and the same warning flags, "
                    "e.g. 'arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb' (repeatable)")
    harness.add_check_arguments(ap)
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("-k", "--filter", help="only tests whose name matches this regex")
    ap.add_argument("--timeout", type=float, default=60.0,
                    help="seconds for each of tinyplan, cc and the run (default 60)")
    ap.add_argument("--rtol", type=float, default=harness.DEFAULT_RTOL)
    ap.add_argument("--atol", type=float, default=harness.DEFAULT_ATOL)
    ap.add_argument("--no-bind-constants", dest="bind_constants", action="store_false",
                    help="count tests whose shape inputs must be constants as unsupported")
    ap.add_argument("--work-dir", default=None, help="where the per-test temp dirs go")
    ap.add_argument("--keep", action="store_true", help="keep the per-test directories")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="a line per test, not only per failure")
    ap.add_argument("--by-opset", action="store_true",
                    help="after the summary, the counts of the tests of each default-domain "
                    "opset")
    harness.add_mcu_arguments(ap)
    args = ap.parse_args()
    if args.tinyplan is None:
        args.tinyplan = harness.default_tinyplan(ROOT)
    args.tinyplan_arg = args.tinyplan_arg + harness.check_tinyplan_args(args.check)

    tests = sorted(os.path.join(args.root, d) for d in os.listdir(args.root)
                   if os.path.isfile(os.path.join(args.root, d, "model.onnx")))
    if args.filter:
        rx = re.compile(args.filter)
        tests = [t for t in tests if rx.search(os.path.basename(t))]
    if not tests:
        print("nodetests: no tests under %s" % args.root, file=sys.stderr)
        return 2

    start = time.monotonic()
    plugin_dir = tempfile.mkdtemp(prefix="tinyplan-mcu.")
    try:
        args.mcu_options = harness.mcu_options(args, plugin_dir)
        if args.mcu_options:  # tinyplan --cpu for the core (not the M4F)
            args.tinyplan_arg = args.tinyplan_arg + args.mcu_options.tinyplan_args
        counts, bound, statuses = run_all(args, tests)
    finally:
        shutil.rmtree(plugin_dir, ignore_errors=True)
    print("node tests: %d passed, %d failed, %d unsupported (%d passed with shape inputs "
          "bound as constants; %.0fs%s)" % (
              counts["passed"], counts["failed"], counts["unsupported"], bound,
              time.monotonic() - start, ", " + args.check if args.check else ""))
    if args.by_opset:
        print_by_opset(statuses)
    return 1 if counts["failed"] else 0


def default_opset(test):
    """The default-domain opset test's model imports (None if none)."""
    import onnx
    model = onnx.load(os.path.join(test, "model.onnx"), load_external_data=False)
    for entry in model.opset_import:
        if entry.domain in ("", "ai.onnx"):
            return entry.version
    return None


def print_by_opset(statuses):
    """`opset N: P passed, F failed, U unsupported` for each opset."""
    by_opset = {}
    for test, status in statuses:
        row = by_opset.setdefault(default_opset(test),
                                  {"passed": 0, "failed": 0, "unsupported": 0})
        row[status] += 1
    for opset in sorted(by_opset, key=lambda o: (o is None, o or 0)):
        row = by_opset[opset]
        print("opset %s: %d passed, %d failed, %d unsupported" % (
            opset, row["passed"], row["failed"], row["unsupported"]))


def run_all(args, tests):
    """Runs the tests, printing failures (every test with -v) as they finish.
    Returns (counts by status, passes with bound constants, (test, status)
    pairs)."""
    jobs = [(args, t) for t in tests]
    counts = {"passed": 0, "failed": 0, "unsupported": 0}
    bound = 0
    statuses = []
    with multiprocessing.Pool(max(1, args.jobs)) as pool:
        for test, o in zip(tests, pool.imap(run_test, jobs)):
            counts[o.status] += 1
            statuses.append((test, o.status))
            if o.status == "passed" and o.note.startswith("bound"):
                bound += 1
            if o.status == "failed":
                print("FAILED %s: %s" % (o.name, o.detail), flush=True)
            elif args.verbose:
                extra = o.detail if o.status == "unsupported" else \
                    "max abs %.3g, max rel %.3g" % (o.max_abs, o.max_rel)
                print("%s %s: %s%s [%.1fs]" % (o.status, o.name, extra,
                                                " " + o.note if o.note else "", o.seconds),
                      flush=True)
    return counts, bound, statuses


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Run the real models of the shared corpus through tinyplan's C emitter.

Every .onnx under ROOT (e.g. ../shared/models) except the per-operator suites
(onnx-node*/, onnx-pytorch-converted/) is compiled with
`tinyplan MODEL -o WORK/model.c --name m`, built with a generated main.c (see
harness.py) and compared with a reference:
  - the shipped test data when there is some: `<stem>_test_data_set_0/` beside the
    model (onnx-light), or `test_data_set_0/` when the model is `model.onnx` or the only
    .onnx in its directory;
  - otherwise ONNX Runtime's outputs (npm onnxruntime-node, scripts/ort/) on seeded
    random inputs: float N(0,1), 8-bit integers uniform over their range, other
    integers uniform in [0, 10), symbolic dimensions 1. --save-refs DIR writes these
    inputs and outputs as test_data_set_0/*.pb.
Models tinyplan rejects with an unsupported / not-supported diagnostic count as
unsupported. Prints a table (model, status, max abs err, max rel err) and
`real models: N passed, M failed, K unsupported`; exits 1 if any model failed.

--ort-check leaves tinyplan out: it runs ONNX Runtime on every model, compares it with
the shipped outputs where there are some, and times it (a check of the reference path
itself).

--mcu also runs every model on an emulated Cortex-M4F (see harness.verify_on_mcu),
or with --mcu-cpu m3 / m0 on an emulated Cortex-M3 or Cortex-M0 (soft float);
--insns adds instructions per inference there.

Quantized models' outputs are mostly floats after a DequantizeLinear, so every
integer tensor a DequantizeLinear reads (not an initializer or a graph input) is made
an extra graph output of a copy of the model, which both tinyplan and ONNX Runtime run,
and compared bit for bit (harness.expose_integer_outputs; the reference is then ONNX
Runtime even where test data are shipped). --no-expose-integer runs the models as
they are.

--twin-arg ARG (repeatable) also compiles every model with those tinyplan arguments
instead of the --tinyplan-arg ones, and requires the bits of its outputs to equal the
first build's (e.g. --tinyplan-arg=--layout=nhwc --twin-arg=--layout=nchw).

--quantized-io compiles every model with --quantized-io and runs ONNX Runtime on
harness.quantized_io_reference's copy of it (the same rewrite, written apart), on
random integer inputs; models it does not change count as unsupported.

Usage: modeltests.py [--tinyplan PATH] [--tinyplan-arg ARG] [--twin-arg ARG]
                     [--prebuilt DIR] [--asan | --writers] [-j N] [-k REGEX]
                     [--ort-check] [--save-refs DIR] [--quantized-io] [--seed N] [--mcu [--mcu-cpu m4f|m3|m0] [--insns]] ROOT
"""

import argparse
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zlib

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import ort_batch  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ORT_DIR = os.path.join(ROOT, "scripts", "ort")
SKIP_DIRS = re.compile(r"^(onnx-node.*|onnx-pytorch-converted)$")

# Shipped test data whose outputs are not this model's outputs: keep the inputs,
# take the reference from ONNX Runtime.
SHIPPED_OUTPUTS_WRONG = {
    "connxr/mnist_quantized/model_quantized.onnx":
        "shipped output_0.pb is the float model's output (MANIFEST.md)",
}

class Model:
    """What one model needs as it goes through the phases."""

    def __init__(self, rel, path):
        self.rel = rel
        self.path = path
        self.work = None
        self.inputs = []        # numpy arrays, m_run order
        self.input_names = []
        self.refs = None        # numpy arrays, graph output order
        self.ref_source = ""    # "shipped" / "ORT"
        self.dims = {}          # symbolic dim name -> value
        self.outcome = None
        self.ort_ms = None
        self.mcu = None         # figures of the emulated Cortex-M4F run (--mcu)
        self.exposed = 0        # integer tensors made graph outputs
        self.exact_sums = False  # ONNX Runtime asked for exact int32 sums (quantized ops)
        self.ref_path = None    # the model ONNX Runtime runs, when not path (--quantized-io)


def find_models(root):
    models = []
    for dirpath, dirnames, filenames in os.walk(root):
        if os.path.abspath(dirpath) == os.path.abspath(root):
            dirnames[:] = [d for d in dirnames if not SKIP_DIRS.match(d)]
        dirnames.sort()
        for f in sorted(filenames):
            if f.endswith(".onnx"):
                path = os.path.join(dirpath, f)
                models.append(Model(os.path.relpath(path, root), path))
    return models


def shipped_data_dir(path):
    d, f = os.path.split(path)
    stem = f[:-len(".onnx")]
    own = os.path.join(d, stem + "_test_data_set_0")
    if os.path.isdir(own):
        return own
    shared = os.path.join(d, "test_data_set_0")
    onnx_files = [x for x in os.listdir(d) if x.endswith(".onnx")]
    if os.path.isdir(shared) and (stem == "model" or len(onnx_files) == 1):
        return shared
    return None


def random_input(rng, dtype, dims):
    if dtype in ("float32", "float64", "float16"):
        return rng.standard_normal(dims).astype(dtype)
    if dtype in ("int8", "uint8"):
        info = np.iinfo(dtype)
        return rng.integers(info.min, int(info.max) + 1, size=dims, dtype=dtype)
    if dtype == "bool":
        return rng.integers(0, 2, size=dims).astype(np.bool_)
    return rng.integers(0, 10, size=dims).astype(dtype)


def prepare(job):
    """Phase 1 (in a worker): inputs, shipped reference, and tinyplan (or prebuilt)."""
    args, m = job
    start = time.monotonic()
    try:
        _prepare(args, m)
    except Exception as e:
        m.outcome = harness.Outcome(m.rel, "failed", "harness: %s: %s" % (type(e).__name__, e))
    m.seconds = time.monotonic() - start
    return m



# Models with more weights than this get them as a binary blob
# (--weights-blob, linked by harness.build_and_run): compiling hundreds of
# megabytes of C initializers takes minutes and gigabytes, and C arrays stop
# at 256 MiB (VGG-19, ZFNet-512). The rest keep C arrays, what users get by
# default.
BLOB_ABOVE_BYTES = 16 << 20


def run_tinyplan(args, m, workdir, extra):
    """tinyplan into workdir, with a weights blob when the weights are large:
    the first run writes the blob, and a small one is dropped for C arrays."""
    if args.mcu:
        return harness.run_tinyplan(args.tinyplan, m.path, workdir, extra, args.timeout)
    blob = os.path.join(workdir, harness.BLOB_FILE)
    status, msg = harness.run_tinyplan(args.tinyplan, m.path, workdir,
                                       extra + ["--weights-blob", blob], args.timeout)
    if status == "ok" and os.path.getsize(blob) <= BLOB_ABOVE_BYTES:
        os.remove(blob)
        status, msg = harness.run_tinyplan(args.tinyplan, m.path, workdir, extra, args.timeout)
    return status, msg


def _prepare(args, m):
    import onnx
    model = onnx.load(m.path, load_external_data=False)
    m.exact_sums = ort_batch.wants_exact_sums(model)
    renamed = set()
    if args.quantized_io:
        reference, renamed = harness.quantized_io_reference(model)
        if reference is None:
            m.outcome = harness.Outcome(m.rel, "unsupported",
                                        "harness: no input or output --quantized-io changes")
            return
        ins, outs = harness.graph_io(reference)
    else:
        ins, outs = harness.graph_io(model)
    m.input_names = [i[0] for i in ins]
    m.input_dtypes = [i[1] for i in ins]
    for name, dt, dims in ins:
        if dt not in harness.DTYPES:
            m.outcome = harness.Outcome(m.rel, "unsupported", "harness: input dtype %s" % dt)
            return
    # --quantized-io: the inputs are integers, the shipped ones are not.
    data = None if args.quantized_io else shipped_data_dir(m.path)
    if data:
        inputs, refs = harness.read_test_data(data)
        if len(inputs) != len(ins):
            raise RuntimeError("%d graph inputs but %d shipped input_*.pb" % (len(ins), len(inputs)))
        m.inputs = list(inputs)
        if m.rel in SHIPPED_OUTPUTS_WRONG or args.ort_check:
            m.shipped_refs = list(refs)
            m.ref_source = "ORT"
        else:
            m.refs = list(refs)
            m.ref_source = "shipped"
        for (name, dt, dims), arr in zip(ins, inputs):
            for d, v in zip(dims, arr.shape):
                if isinstance(d, str):
                    m.dims[d] = v
    else:
        rng = np.random.default_rng([args.seed, zlib.crc32(m.rel.encode())])
        for name, dt, dims in ins:
            shape = []
            for d in dims:
                if isinstance(d, int):
                    shape.append(d)
                else:
                    shape.append(1)
                    if isinstance(d, str):
                        m.dims[d] = 1
            m.inputs.append(random_input(rng, dt, shape))
        m.ref_source = "ORT"
    if args.ort_check:
        return
    m.work = tempfile.mkdtemp(prefix=os.path.basename(m.rel) + ".", dir=args.work_root)
    if args.expose_integer and not args.prebuilt:
        expose_integer(m, model, ins, renamed)
    if args.quantized_io:
        m.ref_path = os.path.join(m.work, "quantized_io_reference.onnx")
        onnx.save(harness.quantized_io_reference(onnx.load(m.path))[0], m.ref_path)
    if args.prebuilt:
        src = os.path.join(args.prebuilt, m.rel[:-len(".onnx")])
        if not os.path.isfile(os.path.join(src, "model.c")):
            m.outcome = harness.Outcome(m.rel, "unsupported", "no prebuilt model.c")
            return
        harness.copy_prebuilt(src, m.work)
        return
    extra = list(args.tinyplan_arg) + harness.check_tinyplan_args(args.check) + (
        ["--quantized-io"] if args.quantized_io else [])
    for name, value in sorted(m.dims.items()):
        extra += ["--dim", "%s=%d" % (name, value)]
    status, msg = run_tinyplan(args, m, m.work, extra)
    if status == "ok" and args.twin_arg:
        twin = os.path.join(m.work, "twin")
        os.makedirs(twin)
        extra = list(args.twin_arg) + extra[len(args.tinyplan_arg):]
        status, msg = run_tinyplan(args, m, twin, extra)
        if status != "ok":
            status, msg = "error", "with %s: %s" % (" ".join(args.twin_arg), msg)
    if status in ("unsupported", "runtime-const"):
        m.outcome = harness.Outcome(m.rel, "unsupported",
                                    msg if status == "unsupported" else
                                    "input %s must be a compile-time constant" % msg)
    elif status != "ok":
        m.outcome = harness.Outcome(m.rel, "failed", msg)


def expose_integer(m, model, ins, skip=()):
    """Points m at a copy of model whose integer DequantizeLinear inputs are outputs
    (those in skip aside)."""
    import onnx
    if any(t.HasField("data_location") and t.data_location == onnx.TensorProto.EXTERNAL
           for t in model.graph.initializer):
        return
    inputs = {name for name, _, _ in ins}
    exposed = harness.expose_integer_outputs(model)
    keep = [o for o in exposed.graph.output[len(model.graph.output):]
            if o.name not in inputs and o.name not in skip]
    if not keep:
        return
    del exposed.graph.output[len(model.graph.output):]
    exposed.graph.output.extend(keep)
    m.original_path = m.path
    m.path = os.path.join(m.work, os.path.basename(m.rel))
    onnx.save(exposed, m.path)
    m.exposed = len(keep)
    if m.ref_source == "shipped":
        m.refs = None
        m.ref_source = "ORT"


def run_ort(args, models):
    """Phase 2: one node process runs ONNX Runtime on every model that needs it."""
    todo = [m for m in models if m.outcome is None and m.ref_source.startswith("ORT")]
    if not todo:
        return 0.0
    ort_root = tempfile.mkdtemp(prefix="ort.", dir=args.work_root)
    jobs = []
    for k, m in enumerate(todo):
        d = os.path.join(ort_root, str(k))
        os.makedirs(d)
        m.ort_dir = d
        inputs = []
        for i, (name, arr) in enumerate(zip(m.input_names, m.inputs)):
            f = os.path.join(d, "input_%d.bin" % i)
            np.ascontiguousarray(arr).astype(arr.dtype.newbyteorder("<")).tofile(f)
            inputs.append({"name": name, "dtype": harness.dtype_name(arr),
                           "dims": list(arr.shape), "file": f})
        job = {"model": os.path.abspath(m.ref_path or m.path), "inputs": inputs, "out_dir": d,
               "exact_sums": m.exact_sums}
        jobs.append(job)
    with open(os.path.join(ort_root, "jobs.json"), "w") as f:
        json.dump(jobs, f)
    start = time.monotonic()
    p = subprocess.run([args.node, os.path.join(ORT_DIR, "run_ort.js"),
                        os.path.join(ort_root, "jobs.json")],
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, errors="replace",
                       timeout=args.timeout * max(1, len(jobs)))
    seconds = time.monotonic() - start
    if p.returncode != 0:
        sys.stderr.write(p.stderr)
    for m in todo:
        try:
            with open(os.path.join(m.ort_dir, "ort.json")) as f:
                result = json.load(f)
        except OSError:
            result = {"ok": False, "error": "no result (node exit %d)" % p.returncode}
        if not result["ok"]:
            m.outcome = harness.Outcome(m.rel, "failed", "ONNX Runtime: " + result["error"])
            continue
        m.ort_ms = result["ms"]
        refs = []
        for i, o in enumerate(result["outputs"]):
            dt = np.dtype(np.bool_ if o["dtype"] == "bool" else o["dtype"]).newbyteorder("<")
            arr = np.fromfile(os.path.join(m.ort_dir, "output_%d.bin" % i), dtype=dt)
            refs.append(arr.astype(dt.newbyteorder("=")).reshape(o["dims"]))
        m.refs = refs
        if args.save_refs:
            save_refs(args.save_refs, m)
    if not args.keep:
        shutil.rmtree(ort_root, ignore_errors=True)
    return seconds


def save_refs(root, m):
    from onnx import numpy_helper
    d = os.path.join(root, m.rel[:-len(".onnx")], "test_data_set_0")
    os.makedirs(d, exist_ok=True)
    for prefix, arrays, names in (("input", m.inputs, m.input_names),
                                  ("output", m.refs, [None] * len(m.refs))):
        for i, (arr, name) in enumerate(zip(arrays, names)):
            t = numpy_helper.from_array(arr, name or "output_%d" % i)
            with open(os.path.join(d, "%s_%d.pb" % (prefix, i)), "wb") as f:
                f.write(t.SerializeToString())


def finish(job):
    """Phase 3 (in a worker): build, run, compare."""
    args, m = job
    start = time.monotonic()
    try:
        r = harness.build_and_run(
            m.work, m.inputs, m.refs, args.cc, args.check, args.timeout, args.rtol, args.atol,
            also_cc=args.also_cc, mcu=args.mcu_options)
        note = harness.format_mcu(r.mcu) if r.mcu else ""
        if r.ok and args.twin_arg:
            # The twin's outputs must have the bits of the first build's.
            t = harness.build_and_run(os.path.join(m.work, "twin"), m.inputs, r.outputs,
                                      args.cc, args.check, args.timeout, 0.0, 0.0)
            # (A tolerance of 0 still fails NaN against NaN: the bits decide.)
            differ = t.message if t.outputs is None or not (
                t.ok or t.message.startswith("output ")) else \
                harness.bits_differ(t.outputs, r.outputs)
            if differ:
                r.ok, r.message = False, "with %s: %s" % (" ".join(args.twin_arg), differ)
            else:
                note = "; ".join(x for x in (note, "bit-identical with %s" %
                                              " ".join(args.twin_arg)) if x)
        m.outcome = harness.Outcome(m.rel, "passed" if r.ok else "failed", r.message,
                                    r.max_abs, r.max_rel, note=note)
        m.mcu = r.mcu
    except Exception as e:
        m.outcome = harness.Outcome(m.rel, "failed", "harness: %s: %s" % (type(e).__name__, e))
    m.seconds += time.monotonic() - start
    return m


def ort_check(args, models, pool):
    """--ort-check: ONNX Runtime against the shipped outputs, and its timing."""
    models = pool.map(prepare, [(args, m) for m in models])
    seconds = run_ort(args, models)
    counts = {"ok": 0, "failed": 0}
    print("%-70s %-10s %10s %10s %9s" % ("model", "ORT", "max abs", "max rel", "ms"))
    for m in models:
        status, err_abs, err_rel = "ok", "", ""
        if m.outcome is not None:
            status = "FAILED"
        elif hasattr(m, "shipped_refs"):
            worst = (0.0, 0.0)
            bad = []
            for i, (a, r) in enumerate(zip(m.refs, m.shipped_refs)):
                ok, ma, mr, msg = harness.compare(a, r, args.rtol, args.atol)
                worst = (max(worst[0], ma), max(worst[1], mr))
                if not ok:
                    bad.append("output %d: %s" % (i, msg))
            status = "matches" if not bad else "differs"
            err_abs, err_rel = "%.3g" % worst[0], "%.3g" % worst[1]
            if bad and m.rel not in SHIPPED_OUTPUTS_WRONG:
                status = "DIFFERS"
                m.outcome = harness.Outcome(m.rel, "failed", "; ".join(bad))
        counts["failed" if m.outcome is not None else "ok"] += 1
        print("%-70s %-10s %10s %10s %9s" % (m.rel, status, err_abs, err_rel,
                                             "%.1f" % m.ort_ms if m.ort_ms is not None else "-"))
        if m.outcome is not None:
            print("    %s" % m.outcome.detail)
    print("ORT check: %d ok, %d failed; onnxruntime-node %s ran %d models in %.1fs "
          "(inference %.1fs)" % (counts["ok"], counts["failed"], ort_version(), len(models),
                                 seconds, sum(m.ort_ms or 0 for m in models) / 1000))
    return 1 if counts["failed"] else 0


def ort_version():
    try:
        with open(os.path.join(ORT_DIR, "node_modules", "onnxruntime-node", "package.json")) as f:
            return json.load(f)["version"]
    except OSError:
        return "(not installed)"


def argument_parser():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("root", help="the shared model directory")
    ap.add_argument("--tinyplan", default=None, help="tinyplan executable")
    ap.add_argument("--tinyplan-arg", action="append", default=[],
                    help="extra argument for tinyplan (repeatable)")
    ap.add_argument("--twin-arg", action="append", default=[], metavar="ARG",
                    help="also compile each model with these tinyplan arguments instead of "
                    "the --tinyplan-arg ones (repeatable); its outputs must have exactly "
                    "the bits of the first build's")
    ap.add_argument("--prebuilt", help="use DIR/<model path without .onnx>/model.c and "
                    "model.h instead of running tinyplan; models without one count as "
                    "unsupported")
    ap.add_argument("--cc", default=os.environ.get("CC", "cc"),
                    help="compiler command for the host build (default $CC or cc)")
    ap.add_argument("--also-cc", action="append", default=[], metavar="CMD",
                    help="also compile model.c alone with CMD and the same warning flags, "
                    "e.g. 'arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb' (repeatable)")
    ap.add_argument("--node", default=os.environ.get("NODE", "node"))
    harness.add_check_arguments(ap)
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("-k", "--filter", help="only models whose path matches this regex")
    ap.add_argument("--timeout", type=float, default=300.0,
                    help="seconds for each of tinyplan, cc and the run (default 300)")
    ap.add_argument("--rtol", type=float, default=harness.DEFAULT_RTOL)
    ap.add_argument("--atol", type=float, default=harness.DEFAULT_ATOL)
    ap.add_argument("--seed", type=int, default=0, help="seed of the random inputs")
    ap.add_argument("--save-refs", metavar="DIR",
                    help="write the ORT inputs and outputs as DIR/<model>/test_data_set_0/*.pb")
    ap.add_argument("--ort-check", action="store_true",
                    help="only run ONNX Runtime, against the shipped outputs where present")
    ap.add_argument("--keep", action="store_true", help="keep the work directories")
    ap.add_argument("--quantized-io", action="store_true",
                    help="compile with --quantized-io and take the reference from ONNX "
                    "Runtime on harness.quantized_io_reference's copy of the model (its input "
                    "QuantizeLinear and output DequantizeLinear nodes removed), on random "
                    "integer inputs")
    ap.add_argument("--no-expose-integer", dest="expose_integer", action="store_false",
                    help="do not add the integer inputs of DequantizeLinear nodes as outputs")
    harness.add_mcu_arguments(ap)
    return ap


def run_models(args, models, pool):
    """Compiles, builds, runs and compares every model (args.work_root must
    exist; args.mcu_options from harness.mcu_options). Returns the models with
    their outcomes (and m.mcu, the M4 figures, with --mcu) and the seconds
    ONNX Runtime took."""
    models = pool.map(prepare, [(args, m) for m in models])
    ort_seconds = run_ort(args, models)
    pending = [m for m in models if m.outcome is None]
    done = {m.rel: m for m in pool.map(finish, [(args, m) for m in pending])}
    models = [done.get(m.rel, m) for m in models]
    # ONNX Runtime's fusion can depend on which tensors are graph outputs (on
    # x86 its int8-to-uint8 rewrite of activation QuantizeLinear /
    # DequantizeLinear pairs leaves a pair alone whose QuantizeLinear output
    # is one), so a model that fails with its integer tensors exposed is run
    # again as it is, and passes only as that. (Only a failed comparison:
    # a model that does not build or fit fails as it is.)
    retry = [m for m in models if m.exposed and m.outcome.status == "failed" and
             m.outcome.detail.startswith("output ")]
    if retry:
        plain = argparse.Namespace(**vars(args))
        plain.expose_integer = False
        again = [Model(m.rel, m.original_path) for m in retry]
        again = pool.map(prepare, [(plain, m) for m in again])
        ort_seconds += run_ort(plain, again)
        redone = {m.rel: m for m in pool.map(finish, [(plain, m) for m in again
                                                      if m.outcome is None])}
        for m in again:
            m = redone.get(m.rel, m)
            if m.outcome.status == "passed":
                m.outcome.note = ((m.outcome.note + "; ") if m.outcome.note else "") + \
                    "integer tensors not compared: exposed as outputs, they change ONNX " \
                    "Runtime's results for this model"
                done[m.rel] = m
        models = [done.get(m.rel, m) for m in models]
    return models, ort_seconds


def main():
    args = argument_parser().parse_args()
    if args.tinyplan is None:
        args.tinyplan = harness.default_tinyplan(ROOT)

    models = find_models(args.root)
    if args.filter:
        rx = re.compile(args.filter)
        models = [m for m in models if rx.search(m.rel)]
    if not models:
        print("modeltests: no models under %s" % args.root, file=sys.stderr)
        return 2
    args.work_root = tempfile.mkdtemp(prefix="tinyplan-models.")
    start = time.monotonic()
    try:
        args.mcu_options = harness.mcu_options(args, args.work_root)
        if args.mcu_options:  # tinyplan --cpu for the core (not the M4F)
            args.tinyplan_arg = args.tinyplan_arg + args.mcu_options.tinyplan_args
        with multiprocessing.Pool(max(1, args.jobs)) as pool:
            if args.ort_check:
                return ort_check(args, models, pool)
            models, ort_seconds = run_models(args, models, pool)
    finally:
        if not args.keep:
            shutil.rmtree(args.work_root, ignore_errors=True)

    counts = {"passed": 0, "failed": 0, "unsupported": 0}
    print("%-70s %-11s %-11s %10s %10s %7s" % ("model", "status", "ref", "max abs", "max rel",
                                              "seconds"))
    for m in models:
        o = m.outcome
        counts[o.status] += 1
        errs = ("%10.3g %10.3g" % (o.max_abs, o.max_rel)) if o.status == "passed" or \
            (o.status == "failed" and o.max_abs) else "%10s %10s" % ("-", "-")
        print("%-70s %-11s %-11s %s %7.1f" % (m.rel, o.status.upper() if o.status == "failed"
                                             else o.status, m.ref_source, errs,
                                             m.seconds or 0.0))
        if o.status != "passed":
            print("    %s" % o.detail)
        if o.note:
            print("    %s" % o.note)
    exposed = sum(m.exposed for m in models if m.outcome.status == "passed")
    print("real models: %d passed, %d failed, %d unsupported (ONNX Runtime %s: %.1fs; "
          "total %.0fs%s%s)" % (counts["passed"], counts["failed"], counts["unsupported"],
                                ort_version(), ort_seconds, time.monotonic() - start,
                                ", " + args.check if args.check else "",
                                "; %d integer tensors of quantized models equal" % exposed
                                if exposed else ""))
    if args.keep:
        print("work directories kept under %s" % args.work_root)
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())

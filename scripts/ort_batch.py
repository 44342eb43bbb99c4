#!/usr/bin/python3
"""Run ONNX Runtime (onnxruntime-node, scripts/ort/run_ort.js) on many (model, inputs)
pairs from Python with one node process, and read the outputs back as numpy arrays.

Used by scripts/qdq_quantize.py (calibration and validation) and
scripts/random_qgraphs.py (reference outputs). run_ort.js runs each job with one
thread and default graph optimizations, a quantized model with exact int32 sums.

    from ort_batch import run_ort
    results = run_ort([(model_path, {"x": array}), ...])
    # -> list of ([output arrays in graph order], [output names]) or an Exception
"""

import json
import os
import shutil
import subprocess
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ORT_DIR = os.path.join(ROOT, "scripts", "ort")


def ort_version():
    try:
        with open(os.path.join(ORT_DIR, "node_modules", "onnxruntime-node", "package.json")) as f:
            return json.load(f)["version"]
    except (OSError, ValueError, KeyError):
        return "?"


# Ops whose ONNX Runtime kernels sum u8 x s8 products (directly, or as the
# fusion of a QDQ group that a DequantizeLinear starts).
INTEGER_SUM_OPS = {"QLinearConv", "QLinearMatMul", "QGemm", "ConvInteger", "MatMulInteger",
                   "DynamicQuantizeLinear", "DequantizeLinear"}


def wants_exact_sums(model):
    """Whether ONNX Runtime should run the model (a path or a ModelProto) with
    exact int32 sums (scripts/ort/run_ort.js, exact_sums): it has quantized ops."""
    if isinstance(model, str):
        import onnx
        model = onnx.load(model, load_external_data=False)
    return any(n.op_type in INTEGER_SUM_OPS for n in model.graph.node)


def _dtype_name(arr):
    return "bool" if arr.dtype == np.bool_ else arr.dtype.name


def run_ort(jobs, node="node", timeout=600, work_dir=None):
    """jobs: list of (model_path, {input name: numpy array}). Returns one entry per job:
    (outputs, names) on success, or a RuntimeError carrying ORT's message."""
    root = tempfile.mkdtemp(prefix="ort_batch.", dir=work_dir)
    try:
        spec = []
        # Jobs often share a model (calibration samples): read each once.
        exact_sums = {model: wants_exact_sums(model) for model in {m for m, _ in jobs}}
        for k, (model, feeds) in enumerate(jobs):
            d = os.path.join(root, str(k))
            os.makedirs(d)
            inputs = []
            for i, (name, arr) in enumerate(feeds.items()):
                f = os.path.join(d, "input_%d.bin" % i)
                a = np.ascontiguousarray(arr)
                a.astype(a.dtype.newbyteorder("<")).tofile(f)
                inputs.append({"name": name, "dtype": _dtype_name(a), "dims": list(a.shape),
                               "file": f})
            spec.append({"model": os.path.abspath(model), "inputs": inputs, "out_dir": d,
                         "exact_sums": exact_sums[model]})
        with open(os.path.join(root, "jobs.json"), "w") as f:
            json.dump(spec, f)
        p = subprocess.run([node, os.path.join(ORT_DIR, "run_ort.js"),
                            os.path.join(root, "jobs.json")],
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, errors="replace", timeout=timeout)
        results = []
        for k, job in enumerate(spec):
            try:
                with open(os.path.join(job["out_dir"], "ort.json")) as f:
                    res = json.load(f)
            except OSError:
                results.append(RuntimeError("no result (node exit %d): %s"
                                            % (p.returncode, p.stderr.strip()[-400:])))
                continue
            if not res["ok"]:
                results.append(RuntimeError(res["error"]))
                continue
            outs, names = [], []
            for i, o in enumerate(res["outputs"]):
                dt = np.dtype(np.bool_ if o["dtype"] == "bool" else o["dtype"]).newbyteorder("<")
                arr = np.fromfile(os.path.join(job["out_dir"], "output_%d.bin" % i), dtype=dt)
                outs.append(arr.astype(dt.newbyteorder("=")).reshape(o["dims"]))
                names.append(o["name"])
            results.append((outs, names))
        return results
    finally:
        shutil.rmtree(root, ignore_errors=True)

#!/usr/bin/python3
"""Mutation fuzzing of tinyplan's importer: it must never crash or hang.

Takes seed models, applies seeded random mutations (byte flips and truncations of the
serialized file, and structural edits through onnx's protobuf classes: dims, data
types, attribute types and values, input names, raw_data lengths, opset versions),
runs `tinyplan MUTANT --emit=ir` on each and flags any run that exits with something
other than 0 or 1, dies from a signal, or takes longer than --timeout. Flagged inputs
are kept in --keep-dir to reproduce.

Usage: /usr/bin/python3 scripts/fuzz_import.py [--tinyplan PATH] [-n 500] [--seed 0]
           [--keep-dir /tmp/tinyplan-fuzz] [MODEL.onnx ...]
Defaults: onnx_models/lenet5.onnx and the valid test/Inputs/hostile models.
Needs Debian's python3-onnx and python3-numpy.
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile

import onnx
from onnx import TensorProto

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, ".."))

INTERESTING_INTS = [0, 1, -1, 2, 3, 7, -7, 255, 65535, 1 << 31, (1 << 31) - 1,
                    1 << 32, (1 << 62), (1 << 63) - 1, -(1 << 63)]


def mutate_struct(m, rng):
    g = m.graph
    choice = rng.randrange(12)
    if choice == 0 and g.node:  # attribute value
        n = rng.choice(g.node)
        if n.attribute:
            a = rng.choice(n.attribute)
            if a.ints:
                a.ints[rng.randrange(len(a.ints))] = rng.choice(INTERESTING_INTS)
            elif a.type == onnx.AttributeProto.INT:
                a.i = rng.choice(INTERESTING_INTS)
            elif a.type == onnx.AttributeProto.FLOAT:
                a.f = rng.choice([0.0, -1.0, float("nan"), float("inf"), 1e30])
    elif choice == 1 and g.node:  # attribute type
        n = rng.choice(g.node)
        if n.attribute:
            a = rng.choice(n.attribute)
            a.type = rng.randrange(0, 15)
    elif choice == 2 and g.node:  # rename an input
        n = rng.choice(g.node)
        if n.input:
            k = rng.randrange(len(n.input))
            names = [o for nn in g.node for o in nn.output] + ["", "nope", n.output[0]]
            n.input[k] = rng.choice(names)
    elif choice == 3 and g.node:  # drop or duplicate an input
        n = rng.choice(g.node)
        if n.input and rng.random() < 0.5:
            del n.input[rng.randrange(len(n.input))]
        elif n.input:
            n.input.append(rng.choice(list(n.input)))
    elif choice == 4 and g.initializer:  # initializer dims
        t = rng.choice(g.initializer)
        if t.dims:
            t.dims[rng.randrange(len(t.dims))] = rng.choice(INTERESTING_INTS)
        else:
            t.dims.append(rng.choice(INTERESTING_INTS))
    elif choice == 5 and g.initializer:  # initializer data
        t = rng.choice(g.initializer)
        if t.raw_data:
            cut = rng.randrange(len(t.raw_data) + 1)
            t.raw_data = t.raw_data[:cut]
        t.data_type = rng.randrange(0, 18)
    elif choice == 6:  # input dims / types
        vis = list(g.input) + list(g.output)
        if vis:
            vi = rng.choice(vis)
            tt = vi.type.tensor_type
            if tt.shape.dim and rng.random() < 0.7:
                d = tt.shape.dim[rng.randrange(len(tt.shape.dim))]
                if rng.random() < 0.5:
                    d.dim_value = rng.choice(INTERESTING_INTS)
                else:
                    d.dim_param = rng.choice(["N", "T", "", "x y"])
            else:
                tt.elem_type = rng.randrange(0, 18)
    elif choice == 7:  # opset
        if m.opset_import:
            m.opset_import[0].version = rng.choice([1, 6, 7, 11, 13, 17, 18, 1000])
    elif choice == 8 and g.node:  # op type
        n = rng.choice(g.node)
        n.op_type = rng.choice(["Conv", "Gemm", "Relu", "Reshape", "Flatten", "Concat",
                                "MaxPool", "Softmax", "Add", "Transpose", "Foo", ""])
    elif choice == 9 and g.node:  # drop a node
        del g.node[rng.randrange(len(g.node))]
    elif choice == 10 and g.node:  # duplicate an output name
        n = rng.choice(g.node)
        other = rng.choice(g.node)
        if n.output and other.output:
            n.output[0] = other.output[0]
    elif choice == 11 and g.node:  # extra output
        n = rng.choice(g.node)
        n.output.append("extra%d" % rng.randrange(3))


def mutate_bytes(data, rng):
    b = bytearray(data)
    if not b:
        return bytes(b)
    kind = rng.randrange(3)
    if kind == 0:
        for _ in range(rng.randint(1, 8)):
            b[rng.randrange(len(b))] = rng.randrange(256)
    elif kind == 1:
        b = b[: rng.randrange(len(b))]
    else:
        i = rng.randrange(len(b))
        b[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
    return bytes(b)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("models", nargs="*")
    ap.add_argument("--tinyplan", default="tinyplan")
    ap.add_argument("-n", type=int, default=500, help="mutants per seed model")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--keep-dir", default=os.path.join(tempfile.gettempdir(),
                                                       "tinyplan-fuzz"))
    args = ap.parse_args()
    models = args.models or [
        os.path.join(ROOT, "onnx_models", "lenet5.onnx"),
        os.path.join(ROOT, "test", "Inputs", "hostile", "ext_valid.onnx"),
        os.path.join(ROOT, "test", "Inputs", "hostile", "sym_batch.onnx"),
        os.path.join(ROOT, "test", "Inputs", "hostile", "unsupported_ops.onnx"),
    ]
    os.makedirs(args.keep_dir, exist_ok=True)
    rng = random.Random(args.seed)
    bad = 0
    runs = 0
    with tempfile.TemporaryDirectory() as tmp:
        for path in models:
            data = open(path, "rb").read()
            base = os.path.splitext(os.path.basename(path))[0]
            # Side files (external data) next to the mutant.
            for f in os.listdir(os.path.dirname(path)):
                if f.endswith(".bin"):
                    src = os.path.join(os.path.dirname(path), f)
                    with open(src, "rb") as s, open(os.path.join(tmp, f), "wb") as d:
                        d.write(s.read())
            for i in range(args.n):
                if rng.random() < 0.3:
                    mutant = mutate_bytes(data, rng)
                else:
                    m = onnx.ModelProto()
                    m.ParseFromString(data)
                    for _ in range(rng.randint(1, 3)):
                        mutate_struct(m, rng)
                    mutant = m.SerializeToString()
                mpath = os.path.join(tmp, "%s_%d.onnx" % (base, i))
                with open(mpath, "wb") as f:
                    f.write(mutant)
                runs += 1
                try:
                    p = subprocess.run([args.tinyplan, mpath, "--emit=ir", "-o", "-"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                       timeout=args.timeout)
                    rc, err = p.returncode, p.stderr.decode("utf-8", "replace")
                except subprocess.TimeoutExpired:
                    rc, err = "timeout", ""
                ok = rc in (0, 1)
                if rc == 1 and "error:" not in err:
                    ok = False  # failed without a diagnostic
                if not ok:
                    bad += 1
                    keep = os.path.join(args.keep_dir, os.path.basename(mpath))
                    with open(keep, "wb") as f:
                        f.write(mutant)
                    print("BAD rc=%s %s: %s" % (rc, keep, err.strip()[:300].replace("\n", " | ")))
                os.unlink(mpath)
    print("fuzzed %d mutants, %d bad" % (runs, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

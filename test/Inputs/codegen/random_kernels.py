#!/usr/bin/python3
"""Writes seeded random Conv, Gemm and MatMul cases as ONNX node-test directories.

Usage: random_kernels.py OUTDIR [--seed N]

Each case is OUTDIR/<name>/model.onnx with one node (a Conv may be followed by a
Relu or Clip, which tinyplan fuses into the kernel) and test_data_set_0/ holding
the inputs and the output of a float64 numpy reference, so that
scripts/nodetests.py can run it through the generated C. The shapes are picked
to reach every path of the blocked kernels: channel counts around the block of
four (remainders), rows wider and narrower than a pixel block, windows that
cross the padding on either side or are larger than the input, strides,
dilations, groups, depthwise with and without a multiplier, 1x1 windows (the
matrix-product path), 1-D and 3-D convolutions, batches; transposed and
broadcast matrix products with every bias shape.
"""

import argparse
import itertools
import os

import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto


def conv_ref(x, w, b, strides, dilations, pads_begin, pads_end, group):
    """Direct convolution in float64: x [N, C, *S], w [M, C/group, *K]."""
    rank = x.ndim - 2
    pads = [(0, 0), (0, 0)] + [(p, 0) for p in pads_begin]
    xp = np.pad(x.astype(np.float64), pads)
    n, c = x.shape[:2]
    m = w.shape[0]
    kernel = w.shape[2:]
    out_spatial = []
    for d in range(rank):
        span = (kernel[d] - 1) * dilations[d] + 1
        out_spatial.append((x.shape[2 + d] + pads_begin[d] + pads_end[d] - span)
                           // strides[d] + 1)
    y = np.zeros([n, m] + out_spatial)
    cg, mg = c // group, m // group
    wd = w.astype(np.float64)
    # Pad the far side generously so every window slice exists; the extra
    # zeros are exactly the end padding.
    extra = [(0, 0), (0, 0)] + [(0, kernel[d] * dilations[d] + strides[d] * out_spatial[d])
                                for d in range(rank)]
    xp = np.pad(xp, extra)
    for o in range(m):
        g = o // mg
        for k in itertools.product(*[range(s) for s in kernel]):
            sl = [slice(None), slice(g * cg, (g + 1) * cg)]
            for d in range(rank):
                start = k[d] * dilations[d]
                sl.append(slice(start, start + strides[d] * out_spatial[d], strides[d]))
            patch = xp[tuple(sl)]
            y[:, o] += np.tensordot(patch, wd[(o, slice(None)) + k], axes=([1], [0]))
        if b is not None:
            y[:, o] += b[o]
    return y


def write_case(root, name, node_list, inputs, initializers, output, opset=13):
    """inputs: list of (name, array); initializers: list of (name, array)."""
    elem = onnx.mapping.NP_TYPE_TO_TENSOR_TYPE[inputs[0][1].dtype]
    output = output.astype(inputs[0][1].dtype)
    graph = helper.make_graph(
        node_list, name,
        [helper.make_tensor_value_info(n, elem, a.shape) for n, a in inputs],
        [helper.make_tensor_value_info("y", elem, output.shape)],
        [numpy_helper.from_array(a, n) for n, a in initializers])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    d = os.path.join(root, name)
    os.makedirs(os.path.join(d, "test_data_set_0"))
    onnx.save(model, os.path.join(d, "model.onnx"))
    for i, (n, a) in enumerate(inputs):
        t = numpy_helper.from_array(a, n)
        with open(os.path.join(d, "test_data_set_0", "input_%d.pb" % i), "wb") as f:
            f.write(t.SerializeToString())
    with open(os.path.join(d, "test_data_set_0", "output_0.pb"), "wb") as f:
        f.write(numpy_helper.from_array(output, "y").SerializeToString())


def uniform(rng, shape, dtype=np.float32):
    return rng.uniform(-1, 1, size=shape).astype(dtype)


def conv_case(root, rng, name, n, c, m, group, spatial, kernel, strides, dilations,
              pads_begin, pads_end, bias=True, act=None, dtype=np.float32):
    x = uniform(rng, [n, c] + spatial, dtype)
    w = uniform(rng, [m, c // group] + kernel, dtype)
    b = uniform(rng, [m], dtype) if bias else None
    y = conv_ref(x, w, b, strides, dilations, pads_begin, pads_end, group)
    attrs = dict(kernel_shape=kernel, strides=strides, dilations=dilations,
                 pads=pads_begin + pads_end, group=group)
    inits = [("w", w)] + ([("b", b)] if bias else [])
    conv_out = "y" if act is None else "t"
    nodes = [helper.make_node("Conv", ["x", "w"] + (["b"] if bias else []), [conv_out],
                              name="conv", **attrs)]
    if act == "Relu":
        nodes.append(helper.make_node("Relu", ["t"], ["y"], name="act"))
        y = np.maximum(y, 0)
    elif act == "Clip":
        lo, hi = dtype(-0.5), dtype(0.75)
        inits += [("lo", np.array(lo)), ("hi", np.array(hi))]
        nodes.append(helper.make_node("Clip", ["t", "lo", "hi"], ["y"], name="act"))
        y = np.clip(y, lo, hi)
    write_case(root, name, nodes, [("x", x)], inits, y)


def random_conv(root, rng, index):
    rank = rng.choice([1, 2, 2, 2, 2, 3])
    kind = rng.choice(["dense", "dense", "grouped", "depthwise", "pointwise"])
    if kind == "depthwise":
        group = int(rng.integers(1, 7))
        c, m = group, group * int(rng.choice([1, 1, 2]))
    elif kind == "grouped":
        group = int(rng.integers(2, 4))
        c, m = group * int(rng.integers(1, 4)), group * int(rng.integers(1, 10))
    else:
        group = 1
        c, m = int(rng.integers(1, 7)), int(rng.integers(1, 14))
    pointwise = kind == "pointwise"
    max_size = {1: 40, 2: 17, 3: 7}[rank]
    spatial, kernel, strides, dilations, pb, pe = [], [], [], [], [], []
    for _ in range(rank):
        k = 1 if pointwise else int(rng.integers(1, 6 if rank < 3 else 4))
        dil = 1 if pointwise else int(rng.choice([1, 1, 1, 2]))
        s = 1 if pointwise and rng.random() < 0.7 else int(rng.choice([1, 1, 2, 3]))
        lo = 0 if pointwise else int(rng.integers(0, 3))
        hi = 0 if pointwise else int(rng.integers(0, 3))
        span = (k - 1) * dil + 1
        size = int(rng.integers(max(1, span - lo - hi), max_size + 1))
        spatial.append(size)
        kernel.append(k)
        strides.append(s)
        dilations.append(dil)
        pb.append(lo)
        pe.append(hi)
    n = int(rng.choice([1, 1, 1, 2]))
    act = rng.choice([None, None, "Relu", "Clip"])
    conv_case(root, rng, "conv_%02d_%dd_%s" % (index, rank, kind), n, c, m, group, spatial,
              kernel, strides, dilations, pb, pe, bias=rng.random() < 0.8, act=act)


def gemm_case(root, rng, index):
    mm, nn, kk = (int(rng.integers(1, 11)), int(rng.integers(1, 20)),
                  int(rng.integers(1, 24)))
    ta, tb = int(rng.integers(0, 2)), int(rng.integers(0, 2))
    alpha = 1.0 if rng.random() < 0.5 else float(np.float32(rng.uniform(0.5, 2)))
    beta = 1.0 if rng.random() < 0.5 else float(np.float32(rng.uniform(0.5, 2)))
    a = uniform(rng, [kk, mm] if ta else [mm, kk])
    b = uniform(rng, [nn, kk] if tb else [kk, nn])
    c_shape = [None, [nn], [1, nn], [mm, 1], [mm, nn], [1]][int(rng.integers(0, 6))]
    y = alpha * ((a.T if ta else a).astype(np.float64) @ (b.T if tb else b).astype(np.float64))
    inits = [("b", b)]
    ins = ["a", "b"]
    if c_shape is not None:
        cv = uniform(rng, c_shape)
        y = y + beta * cv.astype(np.float64)
        inits.append(("c", cv))
        ins.append("c")
    node = helper.make_node("Gemm", ins, ["y"], name="gemm", alpha=alpha, beta=beta,
                            transA=ta, transB=tb)
    write_case(root, "gemm_%02d" % index, [node], [("a", a)], inits, y)


def matmul_case(root, rng, index):
    mm, nn, kk = (int(rng.integers(1, 11)), int(rng.integers(1, 20)),
                  int(rng.integers(1, 24)))
    shapes = [([mm, kk], [kk, nn]), ([kk], [kk, nn]), ([mm, kk], [kk]),
              ([2, 1, mm, kk], [3, kk, nn]), ([3, mm, kk], [kk, nn])]
    sa, sb = shapes[int(rng.integers(0, len(shapes)))]
    a, b = uniform(rng, sa), uniform(rng, sb)
    y = np.matmul(a.astype(np.float64), b.astype(np.float64))
    # B as a weight in half the cases, as a second input in the others.
    if rng.random() < 0.5:
        write_case(root, "matmul_%02d" % index,
                   [helper.make_node("MatMul", ["a", "b"], ["y"], name="mm")],
                   [("a", a)], [("b", b)], np.asarray(y))
    else:
        write_case(root, "matmul_%02d" % index,
                   [helper.make_node("MatMul", ["a", "b"], ["y"], name="mm")],
                   [("a", a), ("b", b)], [], np.asarray(y))


def fixed_convs(root, rng):
    """Layers like the ones in real models, wide enough for several tiles."""
    conv_case(root, rng, "fixed_pointwise", 1, 8, 12, 1, [6, 7], [1, 1], [1, 1], [1, 1],
              [0, 0], [0, 0])
    conv_case(root, rng, "fixed_pointwise_s2", 1, 5, 7, 1, [9, 9], [1, 1], [2, 2], [1, 1],
              [0, 0], [0, 0], act="Relu")
    conv_case(root, rng, "fixed_3x3_pad", 1, 3, 9, 1, [14, 19], [3, 3], [1, 1], [1, 1],
              [1, 1], [1, 1], act="Clip")
    conv_case(root, rng, "fixed_3x3_s2", 1, 4, 8, 1, [15, 16], [3, 3], [2, 2], [1, 1],
              [1, 1], [0, 0])
    conv_case(root, rng, "fixed_dw_3x3", 1, 5, 5, 5, [12, 21], [3, 3], [1, 1], [1, 1],
              [1, 1], [1, 1], act="Relu")
    conv_case(root, rng, "fixed_dw_3x3_s2", 1, 4, 4, 4, [17, 18], [3, 3], [2, 2], [1, 1],
              [1, 1], [1, 1])
    conv_case(root, rng, "fixed_wide_kernel", 1, 2, 5, 1, [3, 30], [1, 11], [1, 1], [1, 1],
              [0, 5], [0, 5])
    conv_case(root, rng, "fixed_kernel_beyond_input", 2, 3, 6, 1, [2, 3], [5, 5], [1, 1],
              [1, 1], [2, 2], [2, 2])
    conv_case(root, rng, "fixed_1d_long", 1, 4, 6, 1, [50], [4], [2], [1], [1], [2])
    conv_case(root, rng, "fixed_3d", 1, 3, 5, 1, [5, 6, 7], [3, 3, 3], [1, 2, 1], [1, 1, 2],
              [1, 0, 1], [1, 1, 0])
    conv_case(root, rng, "fixed_f64_grouped", 1, 6, 9, 3, [7, 11], [3, 2], [1, 2], [2, 1],
              [1, 0], [2, 1], act="Relu", dtype=np.float64)
    conv_case(root, rng, "fixed_f64_dw_wide", 1, 2, 2, 2, [4, 40], [1, 20], [1, 1], [1, 1],
              [0, 3], [0, 3], dtype=np.float64)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--convs", type=int, default=40)
    ap.add_argument("--gemms", type=int, default=10)
    ap.add_argument("--matmuls", type=int, default=10)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    os.makedirs(args.outdir, exist_ok=True)
    fixed_convs(args.outdir, rng)
    for i in range(args.convs):
        random_conv(args.outdir, rng, i)
    for i in range(args.gemms):
        gemm_case(args.outdir, rng, i)
    for i in range(args.matmuls):
        matmul_case(args.outdir, rng, i)


if __name__ == "__main__":
    main()

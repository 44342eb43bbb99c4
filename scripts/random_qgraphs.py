#!/usr/bin/python3
"""Seeded generator of small random quantized ONNX graphs, with ONNX Runtime's outputs
as references, in the layout of the ONNX backend node tests:

    OUT/<name>/model.onnx
    OUT/<name>/test_data_set_0/input_<i>.pb, output_<i>.pb

so scripts/nodetests.py (or any harness of that layout) can run them. Every graph has
float inputs, a QuantizeLinear, one quantized op, and a DequantizeLinear to a float
output; with --expose-integer the last integer tensor before every DequantizeLinear
(the ones that are not initializers) is an extra graph output, so integer results can
be compared bit for bit.

Kinds (QOperator form unless marked QDQ):
  qlinearconv, qlinearmatmul, quantizelinear (per tensor and per axis),
  qdq_conv, qdq_matmul, qdq_gemm, qdq_add, qdq_avgpool, qdq_maxpool (QDQ form, which
    ONNX Runtime fuses into integer kernels), and the com.microsoft ops
  qlinearadd, qlinearmul, qlinearaveragepool, qlinearglobalaveragepool, qlinearconcat,
  qlinearsigmoid, qlinearleakyrelu; then more QDQ groups: qdq_conv_fb (a float bias,
  which ONNX Runtime quantizes to int32, and a Relu the output zero point makes
  redundant), qdq_mul, qdq_concat, qdq_sigmoid, qdq_leakyrelu, qdq_softmax,
  qdq_gavgpool (fused to com.microsoft ops), qdq_tanh (run in float by ONNX Runtime),
  qdq_relu (a Relu before Q, redundant or not) and qdq_transpose (a Transpose with
  the same parameters on both sides, which runs on the integers).
Each kind draws uint8 or int8 activations (int8 or uint8 weights), zero points that are
odd or at the ends of their range, and data that saturate at both ends. Conv and MatMul
weights have per-channel scales 2^e with e in [-12, 4]; with power-of-two input and
output scales their requantization multipliers are powers of two, so products of
x.5 occur (rounding ties). A quarter of the graphs use non-power-of-two scales.
A graph kind that ONNX Runtime refuses for some type combination is dropped and
counted ("where ORT supports it").

--check recomputes the integer outputs of QuantizeLinear, QLinearConv and
QLinearMatMul (and of the QDQ Conv, MatMul and Gemm groups) with numpy, the way ONNX
Runtime's CPU kernels compute them (onnxruntime/core/mlas/lib/quantize.cpp
MlasQuantizeLinear and MlasRequantizeOutput; quantization/qlinearconv.cc and
qlinearmatmul.cc): int32 accumulation of (x - x_zp)(w - w_zp) plus the bias; the
multiplier x_scale * w_scale / y_scale in float32, in that order; float32(acc) *
multiplier, clamped to [qmin - y_zp, qmax - y_zp], rounded half to even, plus y_zp.
QuantizeLinear: float32(x) / scale, clamped likewise, rounded half to even, plus zp.
It prints the count of outputs where ONNX Runtime and numpy disagree, by op and types,
and whether this CPU has VNNI (ONNX Runtime's u8s8 kernels without VNNI can saturate
16-bit pair sums).

Usage: random_qgraphs.py OUT [--count N] [--seed S] [--expose-integer] [--check]
                         [--summary JSON]
"""

import argparse
import json
import os
import shutil
import sys
import time

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from ort_batch import ort_version, run_ort  # noqa: E402

U8, S8 = TensorProto.UINT8, TensorProto.INT8
NP = {U8: np.uint8, S8: np.int8, TensorProto.INT32: np.int32}
RANGE = {U8: (0, 255), S8: (-128, 127)}
TNAME = {U8: "u8", S8: "s8"}

KINDS = ["qlinearconv", "qlinearmatmul", "quantizelinear", "qdq_conv", "qdq_matmul",
         "qdq_gemm", "qdq_add", "qdq_avgpool", "qdq_maxpool", "qlinearadd", "qlinearmul",
         "qlinearaveragepool", "qlinearglobalaveragepool", "qlinearconcat",
         "qlinearsigmoid", "qlinearleakyrelu", "qdq_conv_fb", "qdq_mul", "qdq_concat",
         "qdq_sigmoid", "qdq_leakyrelu", "qdq_softmax", "qdq_gavgpool", "qdq_tanh", "qdq_relu",
         "qdq_transpose"]


# ------------------------------------------------------------ numpy reference ----

def ref_quantize(x, scale, zp, qtype, axis=None):
    """MlasQuantizeLinear: float32(x / scale), clamp to [qmin - zp, qmax - zp], round
    half to even, + zp (per axis: the same with each channel's scale and zero point)."""
    qmin, qmax = RANGE[qtype]
    x = np.asarray(x, np.float32)
    scale = np.asarray(scale, np.float32)
    zp = np.asarray(zp).astype(np.int64)
    if axis is not None and scale.ndim == 1:
        shape = [1] * x.ndim
        shape[axis] = -1
        scale = scale.reshape(shape)
        zp = zp.reshape(shape)
    v = (x / scale).astype(np.float32)
    lo = (qmin - zp).astype(np.float32)
    hi = (qmax - zp).astype(np.float32)
    v = np.minimum(np.maximum(v, lo), hi)
    return (np.rint(v).astype(np.int64) + zp).astype(NP[qtype])


STATS = {"requantized": 0, "ties": 0, "saturated_low": 0, "saturated_high": 0}


def ref_requantize(acc, mult, zp, qtype):
    """MlasRequantizeOutput: float32(acc) * mult, clamp, round half to even, + zp."""
    qmin, qmax = RANGE[qtype]
    v = (acc.astype(np.float32) * mult.astype(np.float32)).astype(np.float32)
    STATS["requantized"] += v.size
    STATS["ties"] += int(np.count_nonzero(np.abs(v - np.trunc(v)) == 0.5))
    STATS["saturated_low"] += int(np.count_nonzero(np.rint(v) < qmin - zp))
    STATS["saturated_high"] += int(np.count_nonzero(np.rint(v) > qmax - zp))
    v = np.minimum(np.maximum(v, np.float32(qmin - zp)), np.float32(qmax - zp))
    return (np.rint(v).astype(np.int64) + int(zp)).astype(NP[qtype])


def multipliers(xs, ws, ys):
    """qlinearconv.cc / qlinearmatmul.cc: X_scale * W_scale[i] / Y_scale in float32."""
    ws = np.atleast_1d(np.asarray(ws, np.float32))
    return ((np.float32(xs) * ws).astype(np.float32) / np.float32(ys)).astype(np.float32)


def ref_conv_acc(x, w, xzp, wzp, bias, strides, pads, dilations, group):
    """int64 accumulation of (x - xzp)(w - wzp) + bias, NCHW, 2-D."""
    x = x.astype(np.int64) - int(xzp)
    w = w.astype(np.int64) - np.asarray(wzp, np.int64).reshape(-1, 1, 1, 1)
    n, c, h, wd = x.shape
    m, cg, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    oh = (h + pads[0] + pads[2] - dilations[0] * (kh - 1) - 1) // strides[0] + 1
    ow = (wd + pads[1] + pads[3] - dilations[1] * (kw - 1) - 1) // strides[1] + 1
    out = np.zeros((n, m, oh, ow), np.int64)
    mg = m // group
    for g in range(group):
        xs = xp[:, g * cg:(g + 1) * cg]
        for i in range(kh):
            for j in range(kw):
                patch = xs[:, :, i * dilations[0]: i * dilations[0] + strides[0] * (oh - 1) + 1: strides[0],
                           j * dilations[1]: j * dilations[1] + strides[1] * (ow - 1) + 1: strides[1]]
                wk = w[g * mg:(g + 1) * mg, :, i, j]
                out[:, g * mg:(g + 1) * mg] += np.einsum("nchw,mc->nmhw", patch, wk)
    if bias is not None:
        out += bias.astype(np.int64).reshape(1, -1, 1, 1)
    return out


# ------------------------------------------------------------------ drawing ------

class Draw:
    def __init__(self, rng):
        self.r = rng

    def qtype(self):
        return U8 if self.r.random() < 0.5 else S8

    def zp(self, qtype, width=None):
        """Odd zero points, the ends of the range, or 0 / the middle."""
        qmin, qmax = RANGE[qtype]
        u = self.r.random()
        if u < 0.25:
            return qmin if self.r.random() < 0.5 else qmax
        if u < 0.75:
            v = int(self.r.integers(qmin, qmax + 1))
            return v if v % 2 else (v + 1 if v < qmax else v - 1)
        return 0 if qtype == S8 else 128

    def pow2(self, lo, hi):
        return np.float32(2.0 ** int(self.r.integers(lo, hi + 1)))

    def scale(self, pow2, lo=-8, hi=0):
        if pow2:
            return self.pow2(lo, hi)
        return np.float32(2.0 ** self.r.uniform(lo, hi))

    def float_for(self, shape, scale, zp, qtype, ties=True, spread=None):
        """Float data whose quantization covers the whole range, goes beyond both ends,
        and (for power-of-two scales) lands on x.5. spread: only zp +- spread."""
        qmin, qmax = RANGE[qtype]
        if spread is not None:
            qmin, qmax = max(qmin, zp - spread), min(qmax, zp + spread)
        q = self.r.integers(qmin - 20 * (spread is None), qmax + 21 - 20 * (spread is not None),
                            size=shape).astype(np.float64)
        frac = self.r.choice([0.0, 0.5, -0.5, 0.25], size=shape) if ties else \
            self.r.uniform(-0.5, 0.5, size=shape)
        return ((q - zp + frac) * np.float64(scale)).astype(np.float32)


def qparams(name, scale, zp, qtype):
    return [numpy_helper.from_array(np.array(scale, np.float32), name + "_scale"),
            numpy_helper.from_array(np.array(zp, NP[qtype]), name + "_zero_point")]


def make_model(nodes, inputs, outputs, inits, ms=False):
    opsets = [helper.make_opsetid("", 13)]
    if ms:
        opsets.append(helper.make_opsetid("com.microsoft", 1))
    g = helper.make_graph(nodes, "qgraph", inputs, outputs, inits)
    m = helper.make_model(g, opset_imports=opsets, producer_name="tinyplan random_qgraphs.py")
    m.ir_version = 7
    return m


def fvi(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def q_in(name, x_name, s, zp, qt):
    """QuantizeLinear of a float graph input: node, initializers."""
    return (helper.make_node("QuantizeLinear", [x_name, name + "_scale", name + "_zero_point"],
                             [name], name + "_QuantizeLinear"), qparams(name, s, zp, qt))


def dq_out(qname, out_name, params_of):
    return helper.make_node("DequantizeLinear", [qname, params_of + "_scale",
                                                 params_of + "_zero_point"], [out_name],
                            out_name + "_DequantizeLinear")


def conv_weights(d, m, cg, k, wt, pow2, center, small=False, kw=None):
    """Weights (m, cg, k, kw or k), per-channel scales 2^e (e within [-12, 4]), weight
    zero point."""
    kw = k if kw is None else kw
    qmin, qmax = RANGE[wt]
    if wt == S8:
        wzp = 0
    else:
        wzp = d.zp(U8)
    if small:
        w = np.clip(wzp + d.r.integers(-3, 4, size=(m, cg, k, kw)), qmin, qmax)
    else:
        w = d.r.integers(qmin, qmax + 1, size=(m, cg, k, kw))
    if not small and d.r.random() < 0.3:      # extreme weights: pairs of +-127 / -128 next to large x
        w = d.r.choice([qmin, qmax], size=w.shape)
    e = np.clip(center + d.r.integers(-3, 4, size=m), -12, 4)
    if pow2:
        ws = (2.0 ** e).astype(np.float32)
    else:
        ws = (2.0 ** (e + d.r.uniform(-0.5, 0.5, size=m))).astype(np.float32)
    return w.astype(NP[wt]), ws, wzp


def gen_case(kind, d, idx):
    """Returns (model, feeds, checks, label). checks: list of (op label, integer output
    name, reference function of the feeds)."""
    pow2 = d.r.random() < 0.75
    at = d.qtype()
    checks = []
    label = ""
    if kind in ("qlinearconv", "qdq_conv", "qdq_conv_fb"):
        # ORT has u8u8, u8s8 and s8s8 kernels (no s8 activations with u8 weights).
        wt = S8 if (kind != "qlinearconv" or at == S8 or d.r.random() < 0.7) else U8
        depthwise = d.r.random() < 0.35
        c = int(d.r.integers(2 if depthwise else 1, 9))
        m = c if depthwise else int(d.r.integers(1, 9))
        group = c if depthwise else 1
        k = int(d.r.choice([1, 3]))
        st = int(d.r.choice([1, 2]))
        dil = int(d.r.choice([1, 1, 2]))
        p = int(d.r.integers(0, k))
        h = int(d.r.integers(k * dil, 11))
        # A third: a window and an image of their own width (a depthwise one with
        # shorter rows than columns runs its plane column by column).
        kw, pw, wd = k, p, h
        if d.r.random() < 0.35:
            kw = int(d.r.choice([1, 2, 3]))
            pw = int(d.r.integers(0, kw))
            # Depthwise: no wider than high, so that it is often walked by columns.
            wd = int(d.r.integers(kw * dil, max(h, kw * dil) + 1 if depthwise else 11))
        xs = d.scale(pow2, -6, 0)
        xzp = d.zp(at)
        center = int(d.r.integers(-12, 5))
        ties = pow2 and d.r.random() < 0.5   # small data, multipliers 2^-1 .. 2^-3
        w, ws, wzp = conv_weights(d, m, c // group, k, wt, pow2, center, small=ties, kw=kw)
        # qdq_conv_fb: a Relu before the Q, redundant with the zero point at the minimum.
        yzp = RANGE[at][0] if kind == "qdq_conv_fb" else d.zp(at)
        bias = d.r.integers(-40, 41, size=m).astype(np.int32) if ties else \
            d.r.integers(-20000, 20000, size=m).astype(np.int32)
        x = d.float_for((1, c, h, wd), xs, xzp, at, spread=6 if ties else None)
        # Output scale: with ties, multiplier 2^-t for the central channel exponent;
        # else a power of two putting the 90th percentile of |acc| * multiplier near 100.
        acc = ref_conv_acc(ref_quantize(x, xs, xzp, at), w, xzp, wzp, bias, [st, st],
                           [p, pw, p, pw], [dil, dil], group)
        if ties:
            ys = np.float32(float(xs) * 2.0 ** (center + int(d.r.integers(1, 4))))
        else:
            p90 = max(float(np.percentile(np.abs(acc), 90)), 1.0)
            ys = np.float32(2.0 ** np.round(np.log2(p90 * float(xs) * 2.0 ** center / 100.0)))
        if not pow2:
            ys = np.float32(ys * d.r.uniform(0.75, 1.5))
        attrs = dict(kernel_shape=[k, kw], strides=[st, st], pads=[p, pw, p, pw],
                     dilations=[dil, dil], group=group)
        inits = qparams("xq", xs, xzp, at) + qparams("yq", ys, yzp, at) + [
            numpy_helper.from_array(w, "w"), numpy_helper.from_array(ws, "w_scale"),
            numpy_helper.from_array(np.full(m, wzp, NP[wt]) if wt == U8 else np.zeros(m, np.int8),
                                    "w_zero_point"),
            numpy_helper.from_array(bias, "b")]
        nq, _ = q_in("xq", "x", xs, xzp, at)
        if kind == "qdq_conv_fb":
            # A float bias near the int32 one: ORT's WeightBiasQuantization turns it into
            # round_half_even(b / (x_scale * w_scale)) in float32, then fuses.
            bf = (bias.astype(np.float32) * (np.float32(xs) * ws.astype(np.float32)) *
                  np.float32(d.r.uniform(0.9, 1.1))).astype(np.float32)
            bias = np.rint(bf / (np.float32(xs) * ws.astype(np.float32)).astype(np.float32)
                           ).astype(np.int32)
            inits.append(numpy_helper.from_array(bf, "bf"))
            core = [dq_out("xq", "xd", "xq"),
                    helper.make_node("DequantizeLinear", ["w", "w_scale", "w_zero_point"], ["wd"],
                                     "w_DequantizeLinear", axis=0),
                    helper.make_node("Conv", ["xd", "wd", "bf"], ["yc"], "conv", **attrs),
                    helper.make_node("Relu", ["yc"], ["yf"], "relu"),
                    helper.make_node("QuantizeLinear", ["yf", "yq_scale", "yq_zero_point"], ["yq"],
                                     "yq_QuantizeLinear")]
        elif kind == "qlinearconv":
            core = [helper.make_node("QLinearConv", ["xq", "xq_scale", "xq_zero_point", "w",
                                                     "w_scale", "w_zero_point", "yq_scale",
                                                     "yq_zero_point", "b"], ["yq"], "conv",
                                     **attrs)]
        else:
            inits.append(numpy_helper.from_array((ws.astype(np.float32) * xs).astype(np.float32),
                                                 "b_scale"))
            inits.append(numpy_helper.from_array(np.zeros(m, np.int32), "b_zero_point"))
            core = [dq_out("xq", "xd", "xq"),
                    helper.make_node("DequantizeLinear", ["w", "w_scale", "w_zero_point"], ["wd"],
                                     "w_DequantizeLinear", axis=0),
                    helper.make_node("DequantizeLinear", ["b", "b_scale", "b_zero_point"], ["bd"],
                                     "b_DequantizeLinear", axis=0),
                    helper.make_node("Conv", ["xd", "wd", "bd"], ["yf"], "conv", **attrs),
                    helper.make_node("QuantizeLinear", ["yf", "yq_scale", "yq_zero_point"], ["yq"],
                                     "yq_QuantizeLinear")]
            # QDQ bias: int32 with scale x_scale * w_scale (what ORT's QDQ fusion requires).
        nodes = [nq] + core + [dq_out("yq", "y", "yq")]
        model = make_model(nodes, [fvi("x", list(x.shape))], [fvi("y", None)], inits)
        label = "%s x%s w%s" % ({"qlinearconv": "QLinearConv", "qdq_conv": "QDQ Conv",
                                 "qdq_conv_fb": "QDQ Conv float-bias"}[kind],
                                TNAME[at], TNAME[wt])

        def ref(feeds, xs=xs, xzp=xzp, at=at, w=w, ws=ws, wzp=wzp, ys=ys, yzp=yzp, bias=bias,
                st=st, p=p, pw=pw, dil=dil, group=group):
            xq = ref_quantize(feeds["x"], xs, xzp, at)
            acc = ref_conv_acc(xq, w, xzp, wzp, bias, [st, st], [p, pw, p, pw], [dil, dil],
                               group)
            mult = multipliers(xs, ws, ys).reshape(1, -1, 1, 1)
            return ref_requantize(acc, np.broadcast_to(mult, acc.shape), yzp, at)
        checks.append(("QuantizeLinear %s" % TNAME[at], "xq",
                       lambda f, xs=xs, xzp=xzp, at=at: ref_quantize(f["x"], xs, xzp, at)))
        checks.append((label, "yq", ref))
        return model, {"x": x}, checks, label

    if kind in ("qlinearmatmul", "qdq_matmul", "qdq_gemm"):
        wt = S8 if (at == S8 or d.r.random() < 0.7) else U8
        if kind == "qdq_gemm":
            wt = S8
        three = kind == "qlinearmatmul" and d.r.random() < 0.3
        mm, kk, nn = int(d.r.integers(1, 9)), int(d.r.integers(1, 65)), int(d.r.integers(1, 17))
        xs = d.scale(pow2, -6, 0)
        xzp = d.zp(at)
        qmin, qmax = RANGE[wt]
        b = d.r.integers(qmin, qmax + 1, size=(kk, nn)).astype(NP[wt])
        bzp = 0 if wt == S8 else d.zp(U8)
        per_col = kind != "qlinearmatmul" and d.r.random() < 0.6
        center = int(d.r.integers(-12, 5))
        if per_col:
            e = np.clip(center + d.r.integers(-3, 4, size=nn), -12, 4)
            bs = (2.0 ** e).astype(np.float32)
        else:
            bs = np.float32(2.0 ** center)
        ties = pow2 and d.r.random() < 0.5
        if ties:
            b = np.clip(bzp + d.r.integers(-3, 4, size=(kk, nn)), qmin, qmax).astype(NP[wt])
        yzp = d.zp(at)
        xshape = (2, mm, kk) if three else (mm, kk)
        x = d.float_for(xshape, xs, xzp, at, spread=6 if ties else None)
        acc = np.matmul(ref_quantize(x, xs, xzp, at).astype(np.int64) - xzp,
                        b.astype(np.int64) - bzp)
        if ties:
            ys = np.float32(float(xs) * 2.0 ** (center + int(d.r.integers(1, 4))))
        else:
            p90 = max(float(np.percentile(np.abs(acc), 90)), 1.0)
            ys = np.float32(2.0 ** np.round(np.log2(p90 * float(xs) * 2.0 ** center / 100.0)))
        if not pow2:
            ys = np.float32(ys * d.r.uniform(0.75, 1.5))
        inits = qparams("xq", xs, xzp, at) + qparams("yq", ys, yzp, at) + [
            numpy_helper.from_array(b, "w"), numpy_helper.from_array(np.array(bs, np.float32), "w_scale"),
            numpy_helper.from_array(np.array(bzp, NP[wt]) if not per_col else
                                    np.full(nn, bzp, NP[wt]), "w_zero_point")]
        nq, _ = q_in("xq", "x", xs, xzp, at)
        bias = None
        if kind == "qlinearmatmul":
            core = [helper.make_node("QLinearMatMul", ["xq", "xq_scale", "xq_zero_point", "w",
                                                       "w_scale", "w_zero_point", "yq_scale",
                                                       "yq_zero_point"], ["yq"], "matmul")]
            label = "QLinearMatMul x%s w%s" % (TNAME[at], TNAME[wt])
        else:
            axis = {"axis": 1} if per_col else {}
            core = [dq_out("xq", "xd", "xq"),
                    helper.make_node("DequantizeLinear", ["w", "w_scale", "w_zero_point"], ["wd"],
                                     "w_DequantizeLinear", **axis)]
            if kind == "qdq_matmul":
                core.append(helper.make_node("MatMul", ["xd", "wd"], ["yf"], "matmul"))
                label = "QDQ MatMul x%s w%s" % (TNAME[at], TNAME[wt])
            else:
                bias = d.r.integers(-40, 41, size=nn).astype(np.int32) if ties else \
                    d.r.integers(-20000, 20000, size=nn).astype(np.int32)
                bsc = (np.atleast_1d(bs).astype(np.float32) * xs).astype(np.float32)
                if not per_col:
                    bsc = bsc.reshape(())
                inits += [numpy_helper.from_array(bias, "b"), numpy_helper.from_array(bsc, "b_scale"),
                          numpy_helper.from_array(np.zeros(nn, np.int32) if per_col else
                                                  np.array(0, np.int32), "b_zero_point")]
                core.append(helper.make_node("DequantizeLinear", ["b", "b_scale", "b_zero_point"],
                                             ["bd"], "b_DequantizeLinear", **({"axis": 0} if per_col else {})))
                core.append(helper.make_node("Gemm", ["xd", "wd", "bd"], ["yf"], "gemm"))
                label = "QDQ Gemm x%s w%s" % (TNAME[at], TNAME[wt])
            core.append(helper.make_node("QuantizeLinear", ["yf", "yq_scale", "yq_zero_point"],
                                         ["yq"], "yq_QuantizeLinear"))
        nodes = [nq] + core + [dq_out("yq", "y", "yq")]
        model = make_model(nodes, [fvi("x", list(xshape))], [fvi("y", None)], inits)

        def ref(feeds, xs=xs, xzp=xzp, at=at, b=b, bs=bs, bzp=bzp, ys=ys, yzp=yzp, bias=bias):
            xq = ref_quantize(feeds["x"], xs, xzp, at).astype(np.int64) - xzp
            acc = np.matmul(xq, b.astype(np.int64) - np.asarray(bzp, np.int64))
            if bias is not None:
                acc = acc + bias.astype(np.int64)
            mult = multipliers(xs, bs, ys)
            return ref_requantize(acc, np.broadcast_to(mult, acc.shape), yzp, at)
        checks.append(("QuantizeLinear %s" % TNAME[at], "xq",
                       lambda f, xs=xs, xzp=xzp, at=at: ref_quantize(f["x"], xs, xzp, at)))
        checks.append((label, "yq", ref))
        return model, {"x": x}, checks, label

    if kind == "quantizelinear":
        per_axis = d.r.random() < 0.5
        shape = (2, int(d.r.integers(1, 6)), int(d.r.integers(1, 6)), int(d.r.integers(1, 6)))
        if per_axis:
            c = shape[1]
            s = np.array([d.scale(pow2, -12, 4) for _ in range(c)], np.float32)
            zp = np.array([d.zp(at) for _ in range(c)], NP[at])
            x = np.concatenate([d.float_for((2, 1) + shape[2:], s[i], zp[i], at)
                                for i in range(c)], axis=1)
        else:
            s = d.scale(pow2, -12, 4)
            zp = d.zp(at)
            x = d.float_for(shape, s, zp, at)
        inits = [numpy_helper.from_array(np.asarray(s, np.float32), "xq_scale"),
                 numpy_helper.from_array(np.asarray(zp, NP[at]), "xq_zero_point")]
        ax = {"axis": 1} if per_axis else {}
        nodes = [helper.make_node("QuantizeLinear", ["x", "xq_scale", "xq_zero_point"], ["xq"],
                                  "xq_QuantizeLinear", **ax),
                 helper.make_node("DequantizeLinear", ["xq", "xq_scale", "xq_zero_point"], ["y"],
                                  "y_DequantizeLinear", **ax)]
        model = make_model(nodes, [fvi("x", list(shape))], [fvi("y", None)], inits)
        label = "QuantizeLinear %s%s" % (TNAME[at], " per-axis" if per_axis else "")
        checks.append((label, "xq", lambda f, s=s, zp=zp, at=at, per_axis=per_axis:
                       ref_quantize(f["x"], s, zp, at, 1 if per_axis else None)))
        return model, {"x": x}, checks, label

    # Elementwise, pooling and concatenation: QDQ or com.microsoft QLinear* ops.
    c = int(d.r.integers(1, 5))
    h = int(d.r.integers(2, 7))
    shape = [1, c, h, h]
    scales = [d.scale(pow2, -6, 0) for _ in range(3)]
    zps = [d.zp(at) for _ in range(3)]
    xs_f = [d.float_for(shape, scales[i], zps[i], at) for i in range(2)]
    ms = kind.startswith("qlinear")
    inits = qparams("aq", scales[0], zps[0], at) + qparams("bq", scales[1], zps[1], at) + \
        qparams("yq", scales[2], zps[2], at)
    feeds = {"a": xs_f[0]}
    ins = [fvi("a", shape)]
    nodes = [q_in("aq", "a", scales[0], zps[0], at)[0]]
    binary = kind in ("qdq_add", "qlinearadd", "qlinearmul", "qlinearconcat", "qdq_mul",
                      "qdq_concat")
    if binary:
        feeds["b"] = xs_f[1]
        ins.append(fvi("b", shape))
        nodes.append(q_in("bq", "b", scales[1], zps[1], at)[0])
    pool = dict(kernel_shape=[2, 2], strides=[int(d.r.choice([1, 2]))] * 2)
    if kind.startswith("qdq_"):
        nodes.append(dq_out("aq", "ad", "aq"))
        if binary:
            nodes.append(dq_out("bq", "bd", "bq"))
        op = {"qdq_add": "Add", "qdq_avgpool": "AveragePool", "qdq_maxpool": "MaxPool",
              "qdq_mul": "Mul", "qdq_concat": "Concat", "qdq_sigmoid": "Sigmoid",
              "qdq_leakyrelu": "LeakyRelu", "qdq_softmax": "Softmax",
              "qdq_gavgpool": "GlobalAveragePool", "qdq_tanh": "Tanh", "qdq_relu": "Relu",
              "qdq_transpose": "Transpose"}[kind]
        attrs = {"AveragePool": pool, "MaxPool": pool, "Concat": {"axis": 1},
                 "LeakyRelu": {"alpha": float(d.r.choice([0.1, 0.25, 0.5]))},
                 "Softmax": {"axis": int(d.r.integers(1, 4))},
                 "Transpose": {"perm": [0, 2, 3, 1]}}.get(op, {})
        nodes.append(helper.make_node(op, ["ad", "bd"] if binary else ["ad"], ["yf"], "op",
                                      **attrs))
        # MaxPool and Transpose keep their input's scale (ORT's QDQ rule); half the Relus
        # have the output zero point at the minimum, which makes them redundant.
        same = {"qdq_maxpool": (scales[0], zps[0]), "qdq_transpose": (scales[0], zps[0]),
                "qdq_relu": (scales[2], RANGE[at][0] if d.r.random() < 0.5 else zps[2])}
        if kind in same:
            inits = [t for t in inits if not t.name.startswith("yq")] + \
                qparams("yq", same[kind][0], same[kind][1], at)
        nodes.append(helper.make_node("QuantizeLinear", ["yf", "yq_scale", "yq_zero_point"],
                                      ["yq"], "yq_QuantizeLinear"))
        label = "QDQ %s %s" % (op, TNAME[at])
    else:
        qa = ["aq", "aq_scale", "aq_zero_point"]
        qb = ["bq", "bq_scale", "bq_zero_point"]
        qy = ["yq_scale", "yq_zero_point"]
        if kind in ("qlinearadd", "qlinearmul"):
            n = helper.make_node("QLinearAdd" if kind == "qlinearadd" else "QLinearMul",
                                 qa + qb + qy, ["yq"], "op", domain="com.microsoft")
        elif kind == "qlinearaveragepool":
            n = helper.make_node("QLinearAveragePool", qa + qy, ["yq"], "op", domain="com.microsoft",
                                 count_include_pad=int(d.r.integers(0, 2)), pads=[0, 0, 1, 1]
                                 if d.r.random() < 0.5 else [0, 0, 0, 0], **pool)
        elif kind == "qlinearglobalaveragepool":
            n = helper.make_node("QLinearGlobalAveragePool", qa + qy, ["yq"], "op",
                                 domain="com.microsoft", channels_last=0)
        elif kind == "qlinearconcat":
            n = helper.make_node("QLinearConcat", qy + qa + qb, ["yq"], "op", domain="com.microsoft",
                                 axis=1)
        elif kind == "qlinearsigmoid":
            n = helper.make_node("QLinearSigmoid", qa + qy, ["yq"], "op", domain="com.microsoft")
        else:
            n = helper.make_node("QLinearLeakyRelu", qa + qy, ["yq"], "op", domain="com.microsoft",
                                 alpha=float(d.r.choice([0.1, 0.25, 0.5])))
        nodes.append(n)
        label = "%s %s" % (n.op_type, TNAME[at])
    nodes.append(dq_out("yq", "y", "yq"))
    model = make_model(nodes, ins, [fvi("y", None)], inits, ms=ms)
    for nm, key, k in (("aq", "a", 0), ("bq", "b", 1)):
        if key in feeds:
            checks.append(("QuantizeLinear %s" % TNAME[at], nm,
                           lambda f, key=key, k=k: ref_quantize(f[key], scales[k], zps[k], at)))
    return model, feeds, checks, label


def cpu_flags():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def write_pb(path, arr, name):
    with open(path, "wb") as f:
        f.write(numpy_helper.from_array(arr, name).SerializeToString())


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Seeded random small quantized ONNX graphs (QDQ and QOperator forms) "
                    "with ONNX Runtime reference outputs in the node-test layout.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="See the module docstring (head of this file) for what is covered.")
    ap.add_argument("out", help="output directory (replaced)")
    ap.add_argument("--count", type=int, default=50)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--expose-integer", action="store_true",
                    help="also output the last integer tensor before every DequantizeLinear")
    ap.add_argument("--check", action="store_true",
                    help="recompute QuantizeLinear / QLinearConv / QLinearMatMul integer "
                         "outputs with numpy and count disagreements with ONNX Runtime")
    ap.add_argument("--summary", metavar="JSON", help="write the counts as JSON")
    args = ap.parse_args(argv)
    start = time.monotonic()

    if os.path.isdir(args.out):
        shutil.rmtree(args.out)
    os.makedirs(args.out)
    work = os.path.join(args.out, ".work")
    os.makedirs(work)
    cases = []
    for i in range(args.count):
        kind = KINDS[i % len(KINDS)]
        d = Draw(np.random.default_rng([args.seed, i]))
        model, feeds, checks, label = gen_case(kind, d, i)
        exposed = harness.expose_integer_outputs(model)
        checked = harness.expose_integer_outputs(model, [t for _, t, _ in checks])
        name = "qg_%03d_%s" % (i, kind)
        p_plain = os.path.join(work, name + ".onnx")
        p_exp = os.path.join(work, name + "_exposed.onnx")
        onnx.save(model, p_plain)
        onnx.save(checked, p_exp)
        cases.append(dict(name=name, kind=kind, label=label, model=model, exposed=exposed,
                          feeds=feeds, checks=checks, p_plain=p_plain, p_exp=p_exp))
    jobs = []
    for c in cases:
        jobs.append((c["p_plain"], c["feeds"]))
        jobs.append((c["p_exp"], c["feeds"]))
    results = run_ort(jobs)

    written, refused = 0, []
    disagree = {}
    compared = {}
    plain_vs_exposed = 0
    for k, c in enumerate(cases):
        rp, re_ = results[2 * k], results[2 * k + 1]
        if isinstance(rp, Exception) or isinstance(re_, Exception):
            err = rp if isinstance(rp, Exception) else re_
            refused.append("%s (%s): %s" % (c["name"], c["label"], str(err).splitlines()[0][:160]))
            continue
        outs_p, _ = rp
        outs_e, names_e = re_
        for a, b in zip(outs_p, outs_e):
            if a.tobytes() != b.tobytes():
                plain_vs_exposed += 1
        model = c["exposed"] if args.expose_integer else c["model"]
        outs = outs_e[:len(model.graph.output)] if args.expose_integer else outs_p
        for vi, arr in zip(model.graph.output, outs):   # shapes as ONNX Runtime made them
            vi.type.tensor_type.shape.Clear()
            for dim in arr.shape:
                vi.type.tensor_type.shape.dim.add().dim_value = dim
        onnx.checker.check_model(model)
        d = os.path.join(args.out, c["name"])
        os.makedirs(os.path.join(d, "test_data_set_0"))
        with open(os.path.join(d, "model.onnx"), "wb") as f:
            f.write(model.SerializeToString())
        for i, vi in enumerate(model.graph.input):
            write_pb(os.path.join(d, "test_data_set_0", "input_%d.pb" % i), c["feeds"][vi.name], vi.name)
        for i, (vi, arr) in enumerate(zip(model.graph.output, outs)):
            write_pb(os.path.join(d, "test_data_set_0", "output_%d.pb" % i), arr, vi.name)
        written += 1
        if args.check:
            by_name = dict(zip(names_e, outs_e))
            for label, tname, fn in c["checks"]:
                ref = fn(c["feeds"])
                got = by_name[tname]
                compared[label] = compared.get(label, 0) + got.size
                bad = int(np.count_nonzero(got.astype(np.int64) != ref.reshape(got.shape).astype(np.int64)))
                if bad:
                    disagree.setdefault(label, []).append((c["name"], bad))
    shutil.rmtree(work, ignore_errors=True)

    flags = cpu_flags()
    vnni = sorted(f for f in ("avx512_vnni", "avx_vnni") if f in flags)
    summary = {"count": args.count, "seed": args.seed, "written": written,
               "refused_by_ort": refused, "onnxruntime_node": ort_version(),
               "cpu_vnni_flags": vnni, "expose_integer": args.expose_integer,
               "outputs_changed_by_exposing": plain_vs_exposed}
    print("random quantized graphs: %d written to %s, %d refused by ONNX Runtime %s "
          "(%.1fs)" % (written, args.out, len(refused), ort_version(), time.monotonic() - start))
    for r in refused:
        print("  refused: " + r)
    if plain_vs_exposed:
        print("  outputs that changed when integer tensors were exposed: %d" % plain_vs_exposed)
    if args.check:
        rows = []
        for label in sorted(compared):
            n_bad = sum(b for _, b in disagree.get(label, []))
            rows.append({"op": label, "values": compared[label], "disagree": n_bad,
                         "graphs": [g for g, _ in disagree.get(label, [])]})
            print("  %-34s %7d integer values compared, %d disagree%s" % (
                label, compared[label], n_bad,
                (" (" + ", ".join(g for g, _ in disagree[label]) + ")") if n_bad else ""))
        summary["numpy_check"] = rows
        summary["requantization_cases"] = dict(STATS)
        print("  conv/matmul requantizations: %(requantized)d, of which %(ties)d ties (x.5), "
              "%(saturated_low)d saturated low, %(saturated_high)d saturated high" % STATS)
        print("  CPU VNNI flags: %s" % (", ".join(vnni) if vnni else "none"))
    if args.summary:
        with open(args.summary, "w") as f:
            json.dump(summary, f, indent=1, sort_keys=True)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

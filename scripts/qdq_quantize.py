#!/usr/bin/python3
"""Static QDQ quantizer for float ONNX models: tinyplan's own stand-in for ONNX Runtime's

    quantize_static(model, out, reader, quant_format=QuantFormat.QDQ, per_channel=True,
                    activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                    calibrate_method=CalibrationMethod.MinMax)

with calibration on seeded random inputs. Needs only Debian's python3-onnx (1.12) and
python3-numpy, plus onnxruntime-node (scripts/ort/) to run the float model.

What it emulates, and where it comes from (onnxruntime/python/tools/quantization/):
  - quant_utils.py compute_scale_zp: rmin = min(rmin, 0), rmax = max(rmax, 0);
    symmetric: +-max(|rmin|, |rmax|); scale = float64(float32(rmax - rmin)) /
    (qmax - qmin), zero point = round-half-even(qmin - rmin / scale) in float64, scale
    stored as float32; scale 1, zero point 0 when the range is (almost) empty.
  - Weights (base_quantizer.py quantize_weight_per_channel_impl, quant_utils.py
    quantize_data / quantize_nparray): int8, symmetric, range [-127, 127], zero point 0;
    per output channel for Conv (axis 0), per column for Gemm (axis 0 if transB else 1)
    and MatMul (axis 1); q = clip(round(float32(w) / float32(scale)), -127, 127).
    With --no-per-channel: one scale per tensor.
  - Biases of Conv and Gemm (quantize_bias_static): int32, scale = input_scale *
    weight_scale (* Gemm beta) in float32, zero point 0, q = round(b / scale); a
    DequantizeLinear on the int32 initializer (axis 0 when per channel).
  - Activations: uint8 by default (--activation-type int8 for int8), asymmetric,
    from MinMax calibration (calibrate.py MinMaxCalibrater: min of the minima and max
    of the maxima over all samples of every float input and output of the nodes to
    quantize). The ranges come from running the float model in ORT with those tensors
    exposed as graph outputs.
  - Which ops, and how (registry.py QDQRegistry and QLinearOpsRegistry; the default
    op_types_to_quantize is their union, quantize.py quantize_static):
      Conv, Gemm (qdq: operators/conv.py QDQConv, gemm.py QDQGemm): input, output,
        weight, bias;
      MatMul (matmul.py QDQMatMul): every input (initializers as weights), output;
      Relu, Clip (activation.py QDQRemovableActivation): if the producer's output is
        quantized and feeds only this node, the activation is removed and the
        producer's output takes the activation's calibrated range (so the saturation
        of the QuantizeLinear does the clipping); else DQ -> Relu -> Q;
      Reshape, Transpose, Squeeze, Unsqueeze, AveragePool, MaxPool, Slice
        (direct_q8.py QDQDirect8BitOp, maxpool.py QDQMaxPool): only if the input is
        already quantized, and then the output shares the input's scale and zero point;
      Softmax (softmax.py QDQSoftmax, the ORT versions that fix the scale): input
        calibrated; output scale 1/256 with zero point 0 (uint8) or -128 (int8);
      everything else in the default set (Add, Mul, Concat, GlobalAveragePool, Sigmoid,
        LeakyRelu, ...; qdq_base_operator.py QDQOperatorBase): each float input and the
        output get their own calibrated Q/DQ pair.
    Q/DQ pairs are shared by all consumers of a tensor (DedicatedQDQPair=False); a
    graph output keeps its name on the last DequantizeLinear
    (qdq_quantizer.py _add_qdq_pair_for_activation).
  - Names follow ORT: T_QuantizeLinear / T_QuantizeLinear_Output / T_DequantizeLinear /
    T_DequantizeLinear_Output, T_scale / T_zero_point, W_quantized, B_quantized_scale.

Where it differs from ONNX Runtime's quantizer:
  - Flatten is treated like Reshape (shares its input's scale); ORT leaves Flatten
    float, and the consumer's Q/DQ then gets the same calibrated range anyway.
  - Models below opset 13 are first converted to opset 13 with onnx.version_converter
    (ORT refuses per-channel QDQ below opset 13 and would ask the user to do this).
  - Pre-processing is a small fixed set done here (ORT's quant_pre_process runs ORT's
    basic graph optimizer): Constant nodes become initializers, Identity and Dropout are
    removed, and a BatchNormalization that follows a Conv is folded into it.
  - Pad (operators/pad.py QDQPad): the data quantized; the result shares its scale
    and zero point when it pads with a constant 0, else has its own range.
  - Ops of the QDQ registry that this script does not model (Split, Gather, Resize,
    Where, the normalizations) stay float, as if excluded.
  - Where input_scale * weight_scale is too small for a bias to fit int32, the weight
    scale of that channel is raised so that it fits, then the channel is quantized
    again. ORT >= 1.20 does this by default (quantize.py documents the option
    QDQDisableWeightAdjustForInt32Bias), up to |bias_q| just below 2^31; this script
    raises it up to |bias_q| <= 2^30 (factor 1.0001 * 2|b| / 2^31), so that the int32
    accumulator keeps room for the products.
  - Newer ORT releases use scale 1/255 for Softmax outputs ([0, 1] forced); this
    script follows the 1/256 of the releases that fixed it explicitly.
  - --also-quantize OP adds op types to the default set (ORT: op_types_to_quantize);
    e.g. Tanh, which ORT leaves float unless asked.

Deterministic: the same model, options and seed give a byte-identical file.

Usage:
  qdq_quantize.py MODEL.onnx -o OUT.onnx [--activation-type uint8|int8]
                  [--calibration-samples N] [--seed S] [--no-per-channel]
                  [--also-quantize OP ...] [--validate] [--report JSON]
"""

import argparse
import json
import os
import sys
import tempfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_batch import ort_version, run_ort  # noqa: E402

# registry.py: keys of QLinearOpsRegistry and QDQRegistry (recent ORT releases).
QLINEAR_OPS = ["ArgMax", "Conv", "Gemm", "MatMul", "Add", "Mul", "Relu", "Clip", "LeakyRelu",
               "Sigmoid", "MaxPool", "GlobalAveragePool", "Split", "Pad", "Reshape",
               "Squeeze", "Unsqueeze", "Resize", "AveragePool", "Concat", "Softmax", "Where",
               "Gather", "Transpose", "EmbedLayerNormalization"]
QDQ_OPS = ["Conv", "ConvTranspose", "Gemm", "Clip", "Relu", "Reshape", "Transpose", "Squeeze",
           "Unsqueeze", "Resize", "MaxPool", "AveragePool", "Slice", "Pad", "MatMul", "Split",
           "Gather", "GatherElements", "Where", "InstanceNormalization",
           "LayerNormalization", "BatchNormalization"]
DEFAULT_OP_TYPES = sorted(set(QLINEAR_OPS + QDQ_OPS))
DIRECT_8BIT = {"Reshape", "Transpose", "Squeeze", "Unsqueeze", "AveragePool", "MaxPool",
               "Slice", "Flatten"}
REMOVABLE = {"Relu", "Clip"}
# In the QDQ registry with handlers this script does not model: left float.
NOT_MODELLED = {"Split", "Gather", "GatherElements", "Resize", "Where",
                "InstanceNormalization", "LayerNormalization", "BatchNormalization",
                "ConvTranspose", "ArgMax", "EmbedLayerNormalization"}

QRANGE = {  # quant_utils.py ONNX_INT_TYPE_RANGE / ONNX_INT_TYPE_SYMMETRIC_RANGE
    (TensorProto.UINT8, False): (0, 255), (TensorProto.UINT8, True): (0, 255),
    (TensorProto.INT8, False): (-128, 127), (TensorProto.INT8, True): (-127, 127),
}
NP_OF = {TensorProto.UINT8: np.uint8, TensorProto.INT8: np.int8}


# ---------------------------------------------------------------- quant_utils ----

def compute_scale_zp(rmin, rmax, qtype, symmetric):
    """quant_utils.py compute_scale_zp. rmin, rmax: float32. Returns (zp, scale) as
    numpy scalars of the quantized type and float32."""
    qmin, qmax = QRANGE[(qtype, symmetric)]
    rmin = np.minimum(np.float32(rmin), np.float32(0))
    rmax = np.maximum(np.float32(rmax), np.float32(0))
    if symmetric:
        absmax = np.maximum(np.abs(rmin), np.abs(rmax))
        rmin, rmax = -absmax, absmax
    dr = np.float64(np.float32(rmax - rmin))
    scale = dr / (np.float64(qmax) - np.float64(qmin))
    if scale < np.finfo(np.float32).tiny:
        return NP_OF[qtype](0), np.float32(1.0)
    zp = np.round(np.float64(qmin) - np.float64(rmin) / scale)
    return NP_OF[qtype](int(zp)), np.float32(scale)


def quantize_nparray(qtype, arr, scale, zp):
    """quant_utils.py quantize_nparray (clip range of the symmetric table)."""
    qmin, qmax = QRANGE[(qtype, True)]
    v = (arr.astype(np.float32) / np.float32(scale)).round() + np.float32(zp)
    return np.clip(v, qmin, qmax).astype(NP_OF[qtype])


def quantize_weight(w, qtype, axis, symmetric=True):
    """Per channel along axis (or per tensor if axis is None). Returns q, scales, zps."""
    if axis is None:
        zp, s = compute_scale_zp(w.min(), w.max(), qtype, symmetric)
        return quantize_nparray(qtype, w, s, zp), np.array(s, np.float32), np.array(zp)
    qs, scales, zps = [], [], []
    for c in range(w.shape[axis]):
        d = w.take(c, axis)
        zp, s = compute_scale_zp(d.min(), d.max(), qtype, symmetric)
        qs.append(np.expand_dims(quantize_nparray(qtype, d, s, zp), axis))
        scales.append(s)
        zps.append(zp)
    return (np.concatenate(qs, axis), np.array(scales, np.float32),
            np.array(zps, NP_OF[qtype]))


# -------------------------------------------------------------- pre-processing ---

def preprocess(model):
    """Opset >= 13, Constants to initializers, Identity/Dropout removed, Conv+BN folded."""
    opset = next(o.version for o in model.opset_import if o.domain in ("", "ai.onnx"))
    if opset < 13:
        from onnx import version_converter
        model = version_converter.convert_version(model, 13)
    g = model.graph
    inits = {i.name: i for i in g.initializer}
    keep = []
    rename = {}
    for n in g.node:
        for k, name in enumerate(n.input):
            if name in rename:
                n.input[k] = rename[name]
        if n.op_type == "Constant" and len(n.attribute) == 1 and n.attribute[0].name == "value":
            t = onnx.TensorProto()
            t.CopyFrom(n.attribute[0].t)
            t.name = n.output[0]
            g.initializer.append(t)
            inits[t.name] = t
            continue
        if n.op_type in ("Identity", "Dropout") and n.output[0] not in [o.name for o in g.output]:
            rename[n.output[0]] = n.input[0]
            continue
        keep.append(n)
    # Conv followed by BatchNormalization (the Conv's only consumer).
    consumers = {}
    for n in keep:
        for name in n.input:
            consumers.setdefault(name, []).append(n)
    outputs = {o.name for o in g.output}
    final, dropped = [], set()
    by_out = {n.output[0]: n for n in keep if n.output}
    for n in keep:
        if id(n) in dropped:
            continue
        if (n.op_type == "BatchNormalization" and n.input[0] in by_out
                and by_out[n.input[0]].op_type == "Conv"
                and len(consumers.get(n.input[0], [])) == 1 and n.input[0] not in outputs
                and all(x in inits for x in n.input[1:5])):
            conv = by_out[n.input[0]]
            if conv.input[1] not in inits or (len(conv.input) > 2 and conv.input[2] not in inits):
                final.append(n)
                continue
            eps = next((a.f for a in n.attribute if a.name == "epsilon"), 1e-5)
            gamma, beta, mean, var = (numpy_helper.to_array(inits[x]) for x in n.input[1:5])
            w = numpy_helper.to_array(inits[conv.input[1]])
            b = (numpy_helper.to_array(inits[conv.input[2]]) if len(conv.input) > 2
                 else np.zeros(w.shape[0], np.float32))
            f = (gamma / np.sqrt(var + np.float32(eps))).astype(np.float32)
            w2 = (w * f.reshape((-1,) + (1,) * (w.ndim - 1))).astype(np.float32)
            b2 = ((b - mean) * f + beta).astype(np.float32)
            wname, bname = conv.input[1] + "_bnfold", conv.output[0] + "_bias_bnfold"
            g.initializer.append(numpy_helper.from_array(w2, wname))
            g.initializer.append(numpy_helper.from_array(b2, bname))
            x = conv.input[0]
            del conv.input[:]
            conv.input.extend([x, wname, bname])
            conv.output[0] = n.output[0]
            dropped.add(id(n))
            continue
        final.append(n)
    del g.node[:]
    g.node.extend(final)
    used = set()
    for n in g.node:
        used.update(n.input)
    kept_inits = [i for i in g.initializer if i.name in used]
    del g.initializer[:]
    g.initializer.extend(kept_inits)
    return model


def float_tensors(model):
    """Names of the float32 tensors of the graph (inputs, node outputs, initializers)."""
    inferred = onnx.shape_inference.infer_shapes(model)
    g = inferred.graph
    types = {}
    for vi in list(g.input) + list(g.value_info) + list(g.output):
        types[vi.name] = vi.type.tensor_type.elem_type
    for i in g.initializer:
        types[i.name] = i.data_type
    return {n for n, t in types.items() if t == TensorProto.FLOAT}


def nodes_to_quantize(model, op_types):
    return [n for n in model.graph.node if n.op_type in op_types and n.domain in ("", "ai.onnx")]


def calibration_tensors(model, op_types, floats):
    """Float, non-initializer inputs and outputs of the nodes to quantize (calibrate.py
    MinMaxCalibrater.select_tensors_to_calibrate), in first-seen order."""
    inits = {i.name for i in model.graph.initializer}
    seen = []
    for n in nodes_to_quantize(model, op_types):
        for name in list(n.input) + list(n.output):
            if name and name not in inits and name in floats and name not in seen:
                seen.append(name)
    return seen


def make_inputs(model, count, seed, distribution):
    inits = {i.name for i in model.graph.initializer}
    rng = np.random.default_rng(seed)
    specs = []
    for vi in model.graph.input:
        if vi.name in inits:
            continue
        tt = vi.type.tensor_type
        if tt.elem_type != TensorProto.FLOAT:
            raise SystemExit("input %s: only float inputs are handled" % vi.name)
        shape = [d.dim_value if d.HasField("dim_value") else 1 for d in tt.shape.dim]
        specs.append((vi.name, shape))
    samples = []
    for _ in range(count):
        feeds = {}
        for name, shape in specs:
            if distribution == "normal":
                feeds[name] = rng.standard_normal(shape).astype(np.float32)
            else:
                feeds[name] = rng.uniform(0.0, 1.0, shape).astype(np.float32)
        samples.append(feeds)
    return samples


def calibrate(model, tensors, samples, work):
    """MinMax ranges (float32 min, max) of the tensors over the samples, from ORT."""
    aug = onnx.ModelProto()
    aug.CopyFrom(model)
    outs = {o.name for o in aug.graph.output}
    for t in tensors:
        if t not in outs:
            aug.graph.output.append(helper.make_tensor_value_info(t, TensorProto.FLOAT, None))
    path = os.path.join(work, "augmented.onnx")
    onnx.save(aug, path)
    results = run_ort([(path, s) for s in samples])
    lo, hi = {}, {}
    for r in results:
        if isinstance(r, Exception):
            raise SystemExit("ONNX Runtime failed on the float model: %s" % r)
        arrays, names = r
        for a, name in zip(arrays, names):
            if name in tensors and a.size:
                mn, mx = np.float32(a.min()), np.float32(a.max())
                lo[name] = mn if name not in lo else min(lo[name], mn)
                hi[name] = mx if name not in hi else max(hi[name], mx)
    return {t: (lo[t], hi[t]) for t in tensors if t in lo}


def load_ranges(path, tensors):
    """The ranges a --save-ranges file holds, for the tensors to calibrate."""
    with open(path) as f:
        saved = json.load(f)
    unknown = sorted(set(saved) - set(tensors))
    if unknown:
        raise SystemExit("%s: %s is not a tensor this model calibrates" % (path, unknown[0]))
    return {t: (np.float32(float.fromhex(saved[t][0])), np.float32(float.fromhex(saved[t][1])))
            for t in tensors if t in saved}


class QDQQuantizer:
    """The decisions of ORT's QDQQuantizer (see the module docstring), then the rewrite."""

    def __init__(self, model, ranges, floats, op_types, act_type, per_channel):
        self.model = model
        self.g = model.graph
        self.ranges = ranges
        self.floats = floats
        self.op_types = op_types
        self.act_type = act_type
        self.per_channel = per_channel
        self.inits = {i.name: i for i in self.g.initializer}
        self.nodes = list(self.g.node)   # one wrapper per node: ids stay valid
        self.graph_inputs = {i.name for i in self.g.input}
        self.graph_outputs = {o.name for o in self.g.output}
        # tensor -> ("act",) | ("share", provider) | ("weight", axis)
        self.to_quantize = {}
        self.fixed = {}          # tensor -> (scale, zp) (Softmax output)
        self.biases = []         # (bias, input, weight, beta)
        self.removed = set()     # ids of removed nodes
        self.notes = []

    # -- helpers of qdq_quantizer.py ------------------------------------------------
    def consumers(self, name):
        return [n for n in self.nodes if id(n) not in self.removed and name in n.input]

    def quantizable(self, name):
        return bool(name) and name in self.floats

    def is_quantized(self, name):
        return name in self.to_quantize

    def quantize_activation(self, name):
        if self.quantizable(name) and name not in self.to_quantize:
            self.to_quantize[name] = ("act",)

    def quantize_same_as(self, out, inp):
        if self.quantizable(out):
            self.to_quantize[out] = ("share", inp)

    def quantize_weight(self, name, axis):
        if name in self.inits and self.inits[name].data_type == TensorProto.FLOAT:
            self.to_quantize[name] = ("weight", axis if self.per_channel else None)
        else:
            self.quantize_activation(name)

    def try_replacing_upstream_output(self, upstream, output):
        if (output in self.ranges and len(self.consumers(upstream)) == 1
                and upstream not in self.graph_outputs and upstream not in self.graph_inputs):
            for n in self.nodes:
                for k, o in enumerate(n.output):
                    if o == upstream:
                        n.output[k] = output
            self.to_quantize.pop(upstream, None)
            return True
        return False

    # -- per-op handlers ----------------------------------------------------------
    def visit(self, n):
        op = n.op_type
        if op in ("Conv", "Gemm"):
            self.quantize_activation(n.input[0])
            self.quantize_activation(n.output[0])
            if op == "Conv":
                axis = 0
            else:
                transb = next((a.i for a in n.attribute if a.name == "transB"), 0)
                axis = 0 if transb else 1
            self.quantize_weight(n.input[1], axis)
            if len(n.input) > 2 and n.input[2] and n.input[2] in self.inits:
                beta = next((a.f for a in n.attribute if a.name == "beta"), 1.0) if op == "Gemm" else 1.0
                self.biases.append((n.input[2], n.input[0], n.input[1], beta))
        elif op == "MatMul":
            for name in n.input:
                if name in self.inits:
                    self.quantize_weight(name, 1)
                else:
                    self.quantize_activation(name)
            self.quantize_activation(n.output[0])
        elif op in REMOVABLE:
            if not self.is_quantized(n.input[0]):
                return
            if self.try_replacing_upstream_output(n.input[0], n.output[0]):
                self.removed.add(id(n))
            else:
                self.quantize_activation(n.input[0])
            self.quantize_activation(n.output[0])
        elif op in DIRECT_8BIT:
            if op == "MaxPool" and self.opset() < 12:
                return
            if self.is_quantized(n.input[0]):
                self.quantize_same_as(n.output[0], n.input[0])
        elif op == "Pad":
            # operators/pad.py QDQPad: the data quantized; the result shares its
            # scale and zero point when the padding is a constant 0 (Q(0.0) is then
            # the zero point), else it is quantized on its own range.
            self.quantize_activation(n.input[0])
            if self.pads_with_zero(n):
                self.quantize_same_as(n.output[0], n.input[0])
            else:
                self.quantize_activation(n.output[0])
        elif op == "Softmax":
            self.quantize_activation(n.input[0])
            self.quantize_activation(n.output[0])
            zp = 0 if self.act_type == TensorProto.UINT8 else -128
            self.fixed[n.output[0]] = (np.float32(1.0 / 256.0), NP_OF[self.act_type](zp))
        elif op in NOT_MODELLED:
            self.notes.append("%s %s left float (not modelled)" % (op, n.name or n.output[0]))
        else:
            for name in n.input:
                self.quantize_activation(name)
            for name in n.output:
                self.quantize_activation(name)

    def pads_with_zero(self, n):
        """Whether Pad n pads with a constant 0 (mode constant, constant_value 0 or absent)."""
        mode = next((a.s for a in n.attribute if a.name == "mode"), b"constant")
        if mode != b"constant":
            return False
        if len(n.input) < 3 or not n.input[2]:
            return True
        value = self.inits.get(n.input[2])
        return value is not None and float(numpy_helper.to_array(value).reshape(-1)[0]) == 0.0

    def opset(self):
        return next(o.version for o in self.model.opset_import if o.domain in ("", "ai.onnx"))

    # -- the rewrite --------------------------------------------------------------
    def params_of(self, name, seen=()):
        kind = self.to_quantize[name]
        if kind[0] == "share":
            if kind[1] in self.to_quantize and kind[1] not in seen:
                return self.params_of(kind[1], seen + (name,))
            kind = ("act",)
        if name in self.fixed:
            return self.fixed[name]
        if name not in self.ranges:
            raise SystemExit("no calibration range for tensor %s" % name)
        rmin, rmax = self.ranges[name]
        zp, scale = compute_scale_zp(rmin, rmax, self.act_type, False)
        return scale, zp

    def param_names(self, name, seen=()):
        kind = self.to_quantize[name]
        if kind[0] == "share" and kind[1] in self.to_quantize and kind[1] not in seen:
            return self.param_names(kind[1], seen + (name,))
        return name + "_scale", name + "_zero_point"

    def adjust_weight_scale_for_int32_bias(self, bias, in_scale, weight, wq, axis):
        """As ORT >= 1.20 (QDQDisableWeightAdjustForInt32Bias=False, the default): where
        input_scale * weight_scale is too small for the bias to fit int32, the weight
        scale of that channel is raised and the channel is quantized again with it.
        ORT raises it until the bias just fits (|bias_q| near 2^31), which leaves the
        int32 accumulator no room for the products, so that tinyplan (which refuses a
        sum that can overflow) keeps such a layer in float; here it is raised until
        |bias_q| <= 2^30, which leaves 2^30 for the products."""
        b = numpy_helper.to_array(self.inits[bias]).astype(np.float64).reshape(-1)
        q, scales, zps = wq[weight]
        qrange = np.float64(2**31)
        w = numpy_helper.to_array(self.inits[weight])
        scales = np.array(scales, np.float32)
        changed = []
        if axis is None:
            absmax = max(abs(min(b.min(), 0.0)), abs(max(b.max(), 0.0)))
            smallest = 1.0001 * (2.0 * absmax) / qrange
            cand = np.float64(in_scale) * np.float64(scales)
            if 0.0 < cand < smallest:
                scales = np.array(np.float64(scales) * (smallest / cand), np.float32)
                q = quantize_nparray(TensorProto.INT8, w, scales, 0)
                changed.append("all")
        else:
            for c in range(scales.shape[0]):
                smallest = 1.0001 * (2.0 * abs(b[c])) / qrange
                cand = np.float64(in_scale) * np.float64(scales[c])
                if 0.0 < cand < smallest:
                    scales[c] = np.float32(np.float64(scales[c]) * (smallest / cand))
                    idx = [slice(None)] * w.ndim
                    idx[axis] = c
                    q[tuple(idx)] = quantize_nparray(TensorProto.INT8, w[tuple(idx)], scales[c], 0)
                    changed.append(c)
        if changed:
            self.notes.append("weight scale of %s raised for its int32 bias in %s of %d "
                              "channels" % (weight, len(changed) if axis is not None else "all",
                                            scales.size))
        wq[weight] = (q, scales, zps)

    def run(self):
        for n in self.nodes:
            if id(n) in self.removed:
                continue
            if n.op_type in self.op_types and n.domain in ("", "ai.onnx"):
                self.visit(n)
        return self.rewrite()

    def rewrite(self):
        g = self.g
        new_inits = []
        made_params = set()
        front, after = [], {}   # DQ of initializers; Q/DQ after the producer of a tensor
        weight_scale = {}

        def add_params(name, scale, zp):
            sname, zname = self.param_names(name)
            if sname not in made_params:
                made_params.add(sname)
                new_inits.append(numpy_helper.from_array(np.array(scale, np.float32), sname))
                new_inits.append(numpy_helper.from_array(np.array(zp), zname))
            return sname, zname

        rename_in = {}   # consumer input name -> DQ output
        producer_of = {}
        for n in self.nodes:
            if id(n) in self.removed:
                continue
            for o in n.output:
                producer_of[o] = n
        graph_in_qdq = []
        wq = {}
        for name, kind in self.to_quantize.items():
            if kind[0] == "weight":
                wq[name] = quantize_weight(numpy_helper.to_array(self.inits[name]),
                                           TensorProto.INT8, kind[1])
        for bias, inp, weight, beta in self.biases:
            if inp in self.to_quantize and weight in wq:
                self.adjust_weight_scale_for_int32_bias(
                    bias, self.params_of(inp)[0], weight, wq, self.to_quantize[weight][1])
        for name, kind in self.to_quantize.items():
            if kind[0] == "weight":
                q, scales, zps = wq[name]
                weight_scale[name] = scales
                new_inits.append(numpy_helper.from_array(q, name + "_quantized"))
                new_inits.append(numpy_helper.from_array(scales, name + "_scale"))
                new_inits.append(numpy_helper.from_array(zps.astype(np.int8), name + "_zero_point"))
                attrs = {"axis": kind[1]} if kind[1] is not None else {}
                front.append(helper.make_node(
                    "DequantizeLinear", [name + "_quantized", name + "_scale", name + "_zero_point"],
                    [name + "_DequantizeLinear_Output"], name + "_DequantizeLinear", **attrs))
                rename_in[name] = name + "_DequantizeLinear_Output"
                continue
            if name in self.inits:
                # A float initializer used as an activation (e.g. Add's constant operand):
                # quantize_initializer with the activation type, weight symmetry rules.
                w = numpy_helper.to_array(self.inits[name])
                q, scale, zp = quantize_weight(w, self.act_type, None,
                                               symmetric=self.act_type == TensorProto.INT8)
                new_inits.append(numpy_helper.from_array(q, name + "_quantized"))
                new_inits.append(numpy_helper.from_array(scale, name + "_scale"))
                new_inits.append(numpy_helper.from_array(zp.astype(NP_OF[self.act_type]),
                                                         name + "_zero_point"))
                front.append(helper.make_node(
                    "DequantizeLinear", [name + "_quantized", name + "_scale", name + "_zero_point"],
                    [name + "_DequantizeLinear_Output"], name + "_DequantizeLinear"))
                rename_in[name] = name + "_DequantizeLinear_Output"
                continue
            scale, zp = self.params_of(name)
            sname, zname = add_params(name, scale, zp)
            q_in, dq_out = name, name + "_DequantizeLinear_Output"
            if name in self.graph_outputs:
                q_in, dq_out = name + "_QuantizeLinear_Input", name
                producer_of[name].output[list(producer_of[name].output).index(name)] = q_in
            else:
                rename_in[name] = dq_out
            pair = [helper.make_node("QuantizeLinear", [q_in, sname, zname],
                                     [name + "_QuantizeLinear_Output"], name + "_QuantizeLinear"),
                    helper.make_node("DequantizeLinear", [name + "_QuantizeLinear_Output", sname, zname],
                                     [dq_out], name + "_DequantizeLinear")]
            if name in producer_of:
                after.setdefault(id(producer_of[name]), []).extend(pair)
            else:
                graph_in_qdq.extend(pair)

        # Biases (quantize_bias_static): scale = input scale * weight scale * beta.
        bias_dq = {}
        for bias, inp, weight, beta in self.biases:
            if inp not in self.to_quantize or weight not in weight_scale:
                continue
            in_scale, _ = self.params_of(inp)
            bscale = (np.float32(in_scale) * weight_scale[weight] * np.float32(beta)).astype(np.float32)
            b = numpy_helper.to_array(self.inits[bias]).astype(np.float32)
            qf = (b / bscale).round()
            if np.any(np.abs(qf) > 2**31 - 1):
                raise SystemExit("bias %s does not fit int32 with scale input*weight" % bias)
            qb = qf.astype(np.int32).reshape(b.shape)
            bs = bscale.reshape(-1)
            new_inits.append(numpy_helper.from_array(qb, bias + "_quantized"))
            new_inits.append(numpy_helper.from_array(bs, bias + "_quantized_scale"))
            if self.per_channel:
                zpa = np.zeros(bs.shape, np.int32)
            else:
                zpa = np.array(0, np.int32)
                bs_scalar = bs.reshape(())
                new_inits[-1] = numpy_helper.from_array(bs_scalar if bs.size == 1 else bs,
                                                        bias + "_quantized_scale")
            new_inits.append(numpy_helper.from_array(zpa, bias + "_quantized_zero_point"))
            attrs = {"axis": 0} if bs.size > 1 else {}
            bias_dq[bias] = helper.make_node(
                "DequantizeLinear", [bias + "_quantized", bias + "_quantized_scale",
                                     bias + "_quantized_zero_point"],
                [bias], bias + "_DequantizeLinear", **attrs)
        front.extend(bias_dq[b] for b in sorted(bias_dq))

        nodes = list(front) + graph_in_qdq
        for n in self.nodes:
            if id(n) in self.removed:
                continue
            c = onnx.NodeProto()
            c.CopyFrom(n)
            for k, name in enumerate(c.input):
                if name in rename_in:
                    c.input[k] = rename_in[name]
            nodes.append(c)
            nodes.extend(after.get(id(n), []))
        # Q/DQ nodes whose input is a renamed tensor keep reading the float value.
        del g.node[:]
        g.node.extend(nodes)
        replaced = {n for n, k in self.to_quantize.items() if k[0] == "weight" or n in self.inits}
        replaced |= set(bias_dq)
        kept = [i for i in g.initializer if i.name not in replaced]
        del g.initializer[:]
        g.initializer.extend(kept + new_inits)
        del g.value_info[:]
        self.model.producer_name = "tinyplan qdq_quantize.py"
        self.model.producer_version = "1"
        return self.model


def top1_agreement(float_path, q_path, samples):
    jobs = [(float_path, s) for s in samples] + [(q_path, s) for s in samples]
    res = run_ort(jobs)
    for r in res:
        if isinstance(r, Exception):
            raise SystemExit("ONNX Runtime failed: %s" % r)
    n = len(samples)
    agree = 0
    max_abs = 0.0
    for i in range(n):
        a = res[i][0][0].reshape(-1)
        b = res[n + i][0][0].reshape(-1)
        agree += int(np.argmax(a) == np.argmax(b))
        max_abs = max(max_abs, float(np.max(np.abs(a.astype(np.float64) - b))))
    return agree, n, max_abs


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Static QDQ quantization (int8 weights per channel, uint8/int8 "
                    "activations, MinMax calibration on seeded random inputs) emulating "
                    "ONNX Runtime's quantize_static(quant_format=QDQ, per_channel=True).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="See the module docstring (head of this file) for what is emulated and "
               "where it differs from ONNX Runtime.")
    ap.add_argument("model", help="float ONNX model")
    ap.add_argument("-o", "--output", required=True, help="QDQ model to write")
    ap.add_argument("--activation-type", choices=["uint8", "int8"], default="uint8")
    ap.add_argument("--calibration-samples", type=int, default=32, metavar="N")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--input-distribution", choices=["normal", "uniform"], default="normal",
                    help="calibration inputs: N(0,1) (default) or U[0,1)")
    ap.add_argument("--no-per-channel", action="store_true",
                    help="one weight scale per tensor (ORT per_channel=False)")
    ap.add_argument("--also-quantize", action="append", default=[], metavar="OP",
                    help="add an op type to the default set (e.g. Tanh); repeatable")
    ap.add_argument("--validate", action="store_true",
                    help="run float and QDQ models in ORT on the calibration inputs and "
                         "report top-1 agreement of the first output")
    ap.add_argument("--report", metavar="JSON", help="write what was done as JSON")
    ap.add_argument("--save-ranges", metavar="JSON",
                    help="write the calibrated ranges (hex floats, tensor -> [min, max])")
    ap.add_argument("--ranges", metavar="JSON",
                    help="take the ranges from this file (--save-ranges) instead of "
                         "calibrating: ONNX Runtime's float results, and so the ranges, "
                         "can differ in their last bits between x86 CPUs (AVX2, AVX-512)")
    args = ap.parse_args(argv)

    act = TensorProto.UINT8 if args.activation_type == "uint8" else TensorProto.INT8
    model = preprocess(onnx.load(args.model))
    op_types = set(DEFAULT_OP_TYPES) | set(args.also_quantize) | {"Flatten"}
    floats = float_tensors(model)
    tensors = calibration_tensors(model, op_types, floats)
    samples = make_inputs(model, args.calibration_samples, args.seed, args.input_distribution)
    with tempfile.TemporaryDirectory(prefix="qdq_quantize.") as work:
        if args.ranges:
            ranges = load_ranges(args.ranges, tensors)
        else:
            ranges = calibrate(model, tensors, samples, work)
        if args.save_ranges:
            with open(args.save_ranges, "w") as f:
                json.dump({t: [float(lo).hex(), float(hi).hex()] for t, (lo, hi) in
                           sorted(ranges.items())}, f, indent=1)
                f.write("\n")
        float_path = os.path.join(work, "float.onnx")
        onnx.save(model, float_path)
        q = QDQQuantizer(onnx.load(float_path), ranges, floats, op_types, act,
                         not args.no_per_channel)
        qmodel = q.run()
        onnx.checker.check_model(qmodel)
        out_dir = os.path.dirname(os.path.abspath(args.output))
        os.makedirs(out_dir, exist_ok=True)
        with open(args.output, "wb") as f:
            f.write(qmodel.SerializeToString())
        counts = {}
        for n in qmodel.graph.node:
            counts[n.op_type] = counts.get(n.op_type, 0) + 1
        report = {"model": args.model, "output": args.output,
                  "activation_type": args.activation_type,
                  "per_channel": not args.no_per_channel,
                  "calibration_samples": args.calibration_samples, "seed": args.seed,
                  "calibrated_tensors": len(ranges), "nodes": counts, "notes": q.notes,
                  "onnxruntime_node": ort_version()}
        for note in q.notes:
            print("note: " + note, file=sys.stderr)
        if args.validate:
            agree, n, max_abs = top1_agreement(float_path, args.output, samples)
            report.update({"top1_agree": agree, "top1_total": n,
                           "max_abs_diff_first_output": max_abs})
            print("%s: top-1 agrees with the float model on %d of %d calibration inputs "
                  "(max |diff| of output 0: %.4g)" % (os.path.basename(args.output), agree, n,
                                                      max_abs))
    if args.report:
        with open(args.report, "w") as f:
            json.dump(report, f, indent=1, sort_keys=True)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Generate the hostile and edge-case ONNX inputs in test/Inputs/hostile/.

Each file is small (a few hundred bytes), deterministic (same bytes every run), and
wrong in exactly one way, so that the lit test in test/Hostile/ that feeds it to
tinyplan checks one diagnostic. A few inputs are valid (ext_valid, sym_batch,
sym_time) and test that a feature works. Inputs that need symlinks or files outside
the model directory get them from their lit test's RUN lines (symlinks in git are
fragile).

Usage: /usr/bin/python3 scripts/gen_hostile_models.py [-o test/Inputs/hostile]
Needs Debian's python3-onnx (1.12) and python3-numpy.
"""

import argparse
import os
import struct
import sys
import warnings

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

FLOAT = TensorProto.FLOAT
INT64 = TensorProto.INT64


def vi(name, shape, elem=FLOAT):
    return helper.make_tensor_value_info(name, elem, shape)


def model(nodes, inputs, outputs, inits=(), opset=13, ir=7, name="hostile",
          extra_opsets=()):
    g = helper.make_graph(list(nodes), name, list(inputs), list(outputs),
                          initializer=list(inits))
    opsets = [helper.make_opsetid("", opset)] + [
        helper.make_opsetid(d, v) for d, v in extra_opsets]
    m = helper.make_model(g, opset_imports=opsets, producer_name="tinyplan-gen_hostile")
    m.ir_version = ir
    return m


def small_weights(shape, seed=1):
    rng = np.random.default_rng(seed)
    return rng.uniform(-1, 1, size=shape).astype(np.float32)


def conv_model(conv_attrs=None, x_shape=(1, 1, 8, 8), w_shape=(2, 1, 3, 3),
               y_shape=None, name="conv_graph"):
    """x -> Conv(w, b) -> y, with weights as raw_data initializers."""
    attrs = {"kernel_shape": list(w_shape[2:])}
    attrs.update(conv_attrs or {})
    w = numpy_helper.from_array(small_weights(w_shape), "w")
    b = numpy_helper.from_array(small_weights((w_shape[0],), seed=2), "b")
    node = helper.make_node("Conv", ["x", "w", "b"], ["y"], name="conv1", **attrs)
    # Without y_shape the output is declared with no shape, so the only check on
    # the Conv's attributes is tinyplan's own inference.
    out = vi("y", list(y_shape)) if y_shape else helper.make_tensor_value_info("y", FLOAT, None)
    return model([node], [vi("x", list(x_shape))], [out], [w, b], name=name)


def relu_model(x_shape=(1, 4), y_shape=None, **kw):
    node = helper.make_node("Relu", ["x"], ["y"], name="relu1")
    return model([node], [vi("x", list(x_shape))],
                 [vi("y", list(y_shape if y_shape is not None else x_shape))], **kw)


def external(tensor, location, offset=None, length=None):
    """Turn an initializer into an external-data reference (no data inside)."""
    tensor.ClearField("raw_data")
    tensor.data_location = TensorProto.EXTERNAL
    entries = [("location", location)]
    if offset is not None:
        entries.append(("offset", str(offset)))
    if length is not None:
        entries.append(("length", str(length)))
    for k, v in entries:
        e = tensor.external_data.add()
        e.key = k
        e.value = v
    return tensor


def ext_conv_model(location, offset=None, length=72):
    """Conv whose weight f32[2,1,3,3] (72 bytes) lives in an external file."""
    w = external(numpy_helper.from_array(small_weights((2, 1, 3, 3)), "w"),
                 location, offset, length)
    node = helper.make_node("Conv", ["x", "w"], ["y"], name="conv1", kernel_shape=[3, 3])
    return model([node], [vi("x", [1, 1, 5, 5])], [vi("y", [1, 2, 3, 3])], [w])


def parses(data):
    m = onnx.ModelProto()
    with warnings.catch_warnings():
        # python-protobuf only warns about a stray end-group tag; C++ fails.
        warnings.simplefilter("error")
        try:
            return m.ParseFromString(data) == len(data)
        except Exception:  # noqa: BLE001 - any parse failure counts
            return False


def build():
    """Returns {filename: bytes}."""
    out = {}

    def put(name, m, check=False):
        if check:
            onnx.checker.check_model(m, full_check=True)
        out[name] = m.SerializeToString()

    # --- Not a model at all -------------------------------------------------
    valid = conv_model(y_shape=(1, 2, 6, 6))
    onnx.checker.check_model(valid, full_check=True)
    valid_bytes = valid.SerializeToString()
    out["truncated.onnx"] = valid_bytes[: len(valid_bytes) * 40 // 100]
    assert not parses(out["truncated.onnx"]), "truncated model still parses"

    rng = np.random.default_rng(1234)
    out["random.onnx"] = rng.integers(0, 256, size=512, dtype=np.uint8).tobytes()
    assert not parses(out["random.onnx"]), "random bytes parse as a model"

    out["not_a_model.onnx"] = (
        b"This is a plain text file, not an ONNX model.\n"
        b"tinyplan must say so instead of crashing.\n")
    assert not parses(out["not_a_model.onnx"])
    out["not_a_model.onnxtxt"] = (
        b"<ir_version: 7, opset_import: [\"\" : 13]>\n"
        b"broken (float[N] x) => (float[N] y) {\n  y = Relu(x\n")
    out["empty.onnx"] = b""

    # --- Graph structure ------------------------------------------------------
    # A cycle: a = Relu(b), b = Relu(a).
    put("cycle.onnx", model(
        [helper.make_node("Relu", ["b"], ["a"], name="A"),
         helper.make_node("Relu", ["a"], ["b"], name="B"),
         helper.make_node("Add", ["x", "a"], ["y"], name="add")],
        [vi("x", [1, 4])], [vi("y", [1, 4])]))

    put("undefined_operand.onnx", model(
        [helper.make_node("Add", ["x", "ghost"], ["y"], name="add1")],
        [vi("x", [1, 4])], [vi("y", [1, 4])]))

    put("duplicate_producer.onnx", model(
        [helper.make_node("Relu", ["x"], ["y"], name="relu1"),
         helper.make_node("Sigmoid", ["x"], ["y"], name="sigm1")],
        [vi("x", [1, 4])], [vi("y", [1, 4])]))

    put("empty_graph.onnx", model([], [], [], name="empty"))

    put("output_not_produced.onnx", model(
        [helper.make_node("Relu", ["x"], ["y"], name="relu1")],
        [vi("x", [1, 4])], [vi("y", [1, 4]), vi("z", [1, 4])]))

    # If nested 200 deep through then_branch. protobuf's default recursion limit
    # (100) may refuse to parse this: any error is fine, a crash is not.
    depth = 200
    bare = lambda n: helper.make_tensor_value_info(n, FLOAT, None)  # noqa: E731
    else_g = helper.make_graph([helper.make_node("Identity", ["x"], ["e"])], "e", [],
                               [bare("e")])
    inner = helper.make_graph([helper.make_node("Identity", ["x"], ["r0"])], "g0", [],
                              [bare("r0")])
    for i in range(depth):
        node = helper.make_node("If", ["c"], ["r%d" % (i + 1)], name="if%d" % i,
                                then_branch=inner, else_branch=else_g)
        inner = helper.make_graph([node], "g%d" % (i + 1), [], [bare("r%d" % (i + 1))])
        if i + 1 == 15:
            # 15 levels (about 50 protobuf levels) still parse: this one reaches
            # tinyplan's own checks.
            put("deep_nesting_15.onnx", model(
                [node], [vi("c", [], TensorProto.BOOL), vi("x", [1, 4])],
                [vi("r15", [1, 4])]))
    put("deep_nesting.onnx", model(
        [inner.node[0]], [vi("c", [], TensorProto.BOOL), vi("x", [1, 4])],
        [vi("r%d" % depth, [1, 4])]))

    # --- Shapes and tensors ---------------------------------------------------
    put("negative_dim.onnx", relu_model(x_shape=(1, -3), y_shape=(1, -3)))
    big = 1 << 32  # 2^32 * 2^32 = 2^64 overflows int64
    put("overflow_dims.onnx", relu_model(x_shape=(big, big), y_shape=(big, big)))
    put("huge_tensor.onnx", relu_model(x_shape=(65536, 65536)))  # 16 GiB of f32

    short = conv_model(y_shape=(1, 2, 6, 6))
    short.graph.initializer[0].raw_data = short.graph.initializer[0].raw_data[:10]
    put("short_raw_data.onnx", short)

    # An initializer whose dims promise 2^40 floats but hold 8 bytes: the
    # importer must not allocate by the dims.
    lying = conv_model(y_shape=(1, 2, 6, 6))
    w = lying.graph.initializer[0]
    del w.dims[:]
    w.dims.extend([1 << 20, 1 << 20, 1, 1])
    w.raw_data = b"\0" * 8
    put("huge_initializer_dims.onnx", lying)

    # --- Attributes -----------------------------------------------------------
    wrong = conv_model(y_shape=(1, 2, 6, 6))
    wrong.graph.node[0].attribute.append(helper.make_attribute("group", 1.0))
    put("attr_wrong_type.onnx", wrong)

    put("zero_strides.onnx", conv_model({"strides": [0, 0]}))
    put("kernel_too_large.onnx",
        conv_model({"pads": [1, 1, 1, 1]}, x_shape=(1, 1, 4, 4), w_shape=(2, 1, 7, 7)))

    # --- Versions -------------------------------------------------------------
    put("ir_version_2.onnx", relu_model(ir=2))
    put("ir_version_14.onnx", relu_model(ir=14))
    put("opset_0.onnx", relu_model(opset=0, ir=3))
    put("opset_26.onnx", relu_model(opset=26, ir=8))
    # Types tinyplan cannot compute: 17 is FLOAT8E4M3FN, 22 INT4.
    put("float8_input.onnx", model([helper.make_node("Relu", ["x"], ["y"], name="relu1")],
                                   [vi("x", [2], 17)], [vi("y", [2], 17)], opset=19, ir=9))
    put("cast_int4.onnx", model([helper.make_node("Cast", ["x"], ["y"], name="to_int4", to=22)],
                                [vi("x", [2])], [vi("y", [2], 22)], opset=21, ir=10))

    # --- Names that reach the C's comments ------------------------------------
    # Comment openers and closers, a line break and a control character in
    # node and value names (and a weight's name).
    put("comment_names.onnx", model(
        [helper.make_node("Add", ["x /* in", "w */ k"], ["t /* mid"], name="a /* b"),
         helper.make_node("Neg", ["t /* mid"], ["y */ out\n"], name="c */ d\x01")],
        [vi("x /* in", [4])], [vi("y */ out\n", [4])],
        [numpy_helper.from_array(np.arange(4, dtype=np.float32), "w */ k")]))

    # --- Unsupported operators ------------------------------------------------
    put("com_microsoft.onnx", model(
        [helper.make_node("Relu", ["x"], ["r"], name="relu1"),
         helper.make_node("Gelu", ["r"], ["y"], name="gelu1", domain="com.microsoft")],
        [vi("x", [1, 4])], [vi("y", [1, 4])],
        extra_opsets=[("com.microsoft", 1)]))

    put("unsupported_ops.onnx", model(
        [helper.make_node("Hardmax", ["x"], ["l1"], name="hardmax1"),
         helper.make_node("Relu", ["l1"], ["r1"], name="relu1"),
         helper.make_node("Hardmax", ["r1"], ["l2"], name="hardmax2"),
         helper.make_node("LpNormalization", ["l2"], ["y"], name="lpnorm1")],
        [vi("x", [1, 4, 8, 8])], [vi("y", [1, 4, 8, 8])]), check=True)

    # --- Symbolic dimensions --------------------------------------------------
    put("sym_height.onnx", relu_model(x_shape=(1, 3, "H", 8), y_shape=(1, 3, "H", 8)),
        check=True)
    put("sym_batch.onnx", relu_model(x_shape=("N", 3, 8, 8), y_shape=("N", 3, 8, 8)),
        check=True)
    put("sym_time.onnx", relu_model(x_shape=(1, 4, "T"), y_shape=(1, 4, "T")),
        check=True)

    # --- External data --------------------------------------------------------
    put("ext_absolute.onnx", ext_conv_model("/etc/passwd", 0, 72))
    # The lit test copies this model into %t/model/ and puts a real 72-byte file
    # at %t/secret.bin, so that only the escape is wrong.
    put("ext_dotdot.onnx", ext_conv_model("../secret.bin", 0, 72))
    # The lit test makes %t/model/weights.bin a symlink to %t/outside.bin.
    put("ext_symlink.onnx", ext_conv_model("weights.bin", 0, 72))
    # ext_short.bin holds 32 bytes.
    out["ext_short.bin"] = bytes(range(32))
    put("ext_offset_beyond.onnx", ext_conv_model("ext_short.bin", 4096, 72))
    put("ext_length_beyond.onnx", ext_conv_model("ext_short.bin", 0, 72))
    put("ext_missing_file.onnx", ext_conv_model("no_such_weights.bin", 0, 72))

    # A valid model with two external tensors in one side file, ext_valid.bin:
    #   [0, 8)    int64 7        decoy: read at offset 0, the shape would be [7, 4]
    #   [8, 24)   int64 [4, 16]  the Reshape target shape
    #   [24, 32)  int64 99       decoy: ignoring `length` reads 3 elements
    #   [32, 104) f32[2,1,3,3]   the Conv weight
    #   [104,112) trailing bytes
    # so only an importer that honours offset and length gets y: f32[4,16].
    wdata = small_weights((2, 1, 3, 3))
    blob = (struct.pack("<q", 7) + struct.pack("<2q", 4, 16) + struct.pack("<q", 99)
            + wdata.tobytes() + b"\xff" * 8)
    assert len(blob) == 112
    out["ext_valid.bin"] = blob
    shape_t = external(numpy_helper.from_array(np.array([4, 16], dtype=np.int64), "shape"),
                       "ext_valid.bin", 8, 16)
    w_t = external(numpy_helper.from_array(wdata, "w"), "ext_valid.bin", 32, 72)
    ext_valid = model(
        [helper.make_node("Reshape", ["x", "shape"], ["y"], name="reshape1"),
         helper.make_node("Conv", ["img", "w"], ["z"], name="conv1", kernel_shape=[3, 3])],
        [vi("x", [1, 64]), vi("img", [1, 1, 5, 5])],
        [vi("y", [4, 16]), vi("z", [1, 2, 3, 3])], [shape_t, w_t], name="ext_valid")
    put("ext_valid.onnx", ext_valid)

    # --- Quantization parameters ----------------------------------------------
    # Constant scales must be finite and positive, a per-axis scale must have
    # one element per index along the axis, and a zero point must have the
    # quantized tensor's type; 16-bit types and float16 scales are refused as
    # not supported.
    def quantize_model(scale, zero_point, x_shape=(2, 3), axis=1, op="QuantizeLinear"):
        x_elem = FLOAT if op == "QuantizeLinear" else TensorProto.UINT8
        y_elem = TensorProto.UINT8 if op == "QuantizeLinear" else FLOAT
        node = helper.make_node(op, ["x", "scale", "zero_point"], ["y"], name="q1", axis=axis)
        return model([node], [vi("x", list(x_shape), x_elem)],
                     [helper.make_tensor_value_info("y", y_elem, None)],
                     [numpy_helper.from_array(np.asarray(scale), "scale"),
                      numpy_helper.from_array(np.asarray(zero_point), "zero_point")])

    put("quant_scale_zero.onnx", quantize_model(np.float32(0), np.uint8(3)))
    put("quant_scale_negative.onnx",
        quantize_model(np.array([0.5, -0.25, 1], np.float32), np.array([0, 1, 2], np.uint8),
                       op="DequantizeLinear"))
    put("quant_scale_nan.onnx", quantize_model(np.float32(np.nan), np.uint8(0)))
    put("quant_scale_inf.onnx",
        quantize_model(np.array([1, np.inf, 1], np.float32), np.array([0, 0, 0], np.uint8)))
    put("quant_axis_length.onnx",
        quantize_model(np.array([0.5, 0.25], np.float32), np.array([0, 0], np.uint8)))
    put("quant_zero_point_type.onnx",
        quantize_model(np.float32(0.5), np.int8(0), op="DequantizeLinear"))
    put("quant_f16_scale.onnx", quantize_model(np.float16(0.5), np.uint8(0)))
    # A per-channel weight scale of QLinearConv with a zero.
    qconv = helper.make_node(
        "QLinearConv", ["x", "xs", "xz", "w", "ws", "wz", "ys", "yz"], ["y"], name="qconv1")
    put("quant_conv_scale_zero.onnx", model(
        [qconv], [vi("x", [1, 1, 4, 4], TensorProto.UINT8)],
        [helper.make_tensor_value_info("y", TensorProto.UINT8, None)],
        [numpy_helper.from_array(np.float32(0.5), "xs"),
         numpy_helper.from_array(np.uint8(128), "xz"),
         numpy_helper.from_array(np.ones((2, 1, 3, 3), np.int8), "w"),
         numpy_helper.from_array(np.array([0.25, 0], np.float32), "ws"),
         numpy_helper.from_array(np.zeros(2, np.int8), "wz"),
         numpy_helper.from_array(np.float32(1), "ys"),
         numpy_helper.from_array(np.uint8(0), "yz")], opset=10))
    # QuantizeLinear and DequantizeLinear take 16-bit types; the integer
    # products do not.
    put("quant_conv_int16.onnx", model(
        [qconv], [vi("x", [1, 1, 4, 4], TensorProto.INT16)],
        [helper.make_tensor_value_info("y", TensorProto.INT16, None)],
        [numpy_helper.from_array(np.float32(0.5), "xs"),
         numpy_helper.from_array(np.int16(0), "xz"),
         numpy_helper.from_array(np.ones((2, 1, 3, 3), np.int8), "w"),
         numpy_helper.from_array(np.array([0.25, 0.5], np.float32), "ws"),
         numpy_helper.from_array(np.zeros(2, np.int8), "wz"),
         numpy_helper.from_array(np.float32(1), "ys"),
         numpy_helper.from_array(np.int16(0), "yz")], opset=10))
    # The com.microsoft ops take their parameters through the same checks: a
    # zero output scale of QLinearAdd, a NaN y_scale of QLinearSoftmax, a
    # negative per-column b_scale of QGemm, a zero point of the wrong type in
    # QLinearConcat, a per-axis scale of QLinearSigmoid; and a
    # QLinearGlobalAveragePool scale ratio that ONNX Runtime refuses.
    U8, I8 = TensorProto.UINT8, TensorProto.INT8

    def ms_model(op, ins, inits, x_shapes, elem=U8, out_elem=None, **attrs):
        node = helper.make_node(op, ins, ["y"], name="m1", domain="com.microsoft", **attrs)
        inputs = [vi(n, list(s), elem) for n, s in x_shapes]
        return model([node], inputs,
                     [helper.make_tensor_value_info("y", out_elem or elem, None)],
                     [numpy_helper.from_array(np.asarray(v), n) for n, v in inits],
                     extra_opsets=[("com.microsoft", 1)])

    put("quant_ms_add_scale_zero.onnx", ms_model(
        "QLinearAdd", ["a", "as", "az", "b", "bs", "bz", "cs", "cz"],
        [("as", np.float32(0.5)), ("az", np.uint8(1)), ("bs", np.float32(0.5)),
         ("bz", np.uint8(1)), ("cs", np.float32(0)), ("cz", np.uint8(1))],
        [("a", (2, 3)), ("b", (2, 3))]))
    put("quant_ms_softmax_scale_nan.onnx", ms_model(
        "QLinearSoftmax", ["x", "xs", "xz", "ys", "yz"],
        [("xs", np.float32(0.5)), ("xz", np.int8(0)), ("ys", np.float32(np.nan)),
         ("yz", np.int8(-128))], [("x", (2, 3))], elem=I8, opset=13))
    put("quant_ms_qgemm_scale_negative.onnx", ms_model(
        "QGemm", ["a", "as", "az", "b", "bs", "bz", "", "ys", "yz"],
        [("as", np.float32(0.5)), ("az", np.uint8(1)), ("b", np.ones((4, 3), np.int8)),
         ("bs", np.array([0.5, -1, 0.5], np.float32)), ("bz", np.zeros(3, np.int8)),
         ("ys", np.float32(1)), ("yz", np.uint8(0))], [("a", (2, 4))]))
    put("quant_ms_concat_zero_point_type.onnx", ms_model(
        "QLinearConcat", ["ys", "yz", "a", "as", "az", "b", "bs", "bz"],
        [("ys", np.float32(0.5)), ("yz", np.uint8(1)), ("as", np.float32(0.5)),
         ("az", np.uint8(1)), ("bs", np.float32(0.5)), ("bz", np.int8(1))],
        [("a", (2, 3)), ("b", (2, 3))], axis=1))
    put("quant_ms_sigmoid_per_axis.onnx", ms_model(
        "QLinearSigmoid", ["x", "xs", "xz", "ys", "yz"],
        [("xs", np.array([0.5, 0.25], np.float32)), ("xz", np.array([0, 0], np.uint8)),
         ("ys", np.float32(1 / 256)), ("yz", np.uint8(0))], [("x", (2, 2))]))
    put("quant_ms_gavgpool_range.onnx", ms_model(
        "QLinearGlobalAveragePool", ["x", "xs", "xz", "ys", "yz"],
        [("xs", np.float32(1000)), ("xz", np.uint8(0)), ("ys", np.float32(0.001)),
         ("yz", np.uint8(0))], [("x", (1, 2, 2, 2))]))
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.join(here, "..", "test", "Inputs", "hostile")
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output-dir", default=default_out)
    args = ap.parse_args()
    os.makedirs(args.output_dir, exist_ok=True)
    files = build()
    for name in sorted(files):
        with open(os.path.join(args.output_dir, name), "wb") as f:
            f.write(files[name])
    total = sum(len(v) for v in files.values())
    print("wrote %d files (%d bytes) to %s" % (len(files), total,
                                               os.path.normpath(args.output_dir)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

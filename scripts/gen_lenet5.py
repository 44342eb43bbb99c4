#!/usr/bin/python3
"""Generate onnx_models/lenet5.onnx: the lecture's LeNet-5, NCHW, seeded weights.

The lecture builds this Keras model on a 32x32x1 input:

    Conv2D(6, 5, tanh) -> AveragePooling2D(2) -> sigmoid
    -> Conv2D(16, 5, tanh) -> AveragePooling2D(2) -> sigmoid
    -> Conv2D(120, 5, tanh) -> Flatten -> Dense(84, tanh) -> Dense(10, softmax)

Here it is written directly as ONNX (opset 13, IR version 7) in NCHW layout, with
each Keras activation as its own node and each Dense as a Gemm with bias
(transB=1, weights [out, in] as PyTorch stores them). Weights are Glorot-uniform and
biases small uniform values, all from numpy's PCG64 generator seeded with 0, so the
output is byte-identical on every run (check: run twice and cmp).

Parameters: 156 + 2416 + 48120 + 10164 + 850 = 61706.
MACs:       117600 + 240000 + 48000 + 10080 + 840 = 416520.

Usage: /usr/bin/python3 scripts/gen_lenet5.py [-o onnx_models/lenet5.onnx]
Needs Debian's python3-onnx (1.12) and python3-numpy.
"""

import argparse
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

SEED = 0


def glorot_uniform(rng, shape, fan_in, fan_out):
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=shape).astype(np.float32)


def build_model():
    rng = np.random.default_rng(SEED)
    inits = []
    nodes = []

    def add_init(name, array):
        inits.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def conv(name, x, in_ch, out_ch, k):
        w = glorot_uniform(rng, (out_ch, in_ch, k, k), in_ch * k * k, out_ch * k * k)
        b = rng.uniform(-0.1, 0.1, size=(out_ch,)).astype(np.float32)
        nodes.append(
            helper.make_node(
                "Conv",
                [x, add_init(name + ".w", w), add_init(name + ".b", b)],
                [name],
                name=name,
                kernel_shape=[k, k],
                strides=[1, 1],
                pads=[0, 0, 0, 0],
            )
        )
        return name

    def dense(name, x, n_in, n_out, out_name=None):
        w = glorot_uniform(rng, (n_out, n_in), n_in, n_out)
        b = rng.uniform(-0.1, 0.1, size=(n_out,)).astype(np.float32)
        out = out_name or name
        nodes.append(
            helper.make_node(
                "Gemm",
                [x, add_init(name + ".w", w), add_init(name + ".b", b)],
                [out],
                name=name,
                transB=1,
            )
        )
        return out

    def unary(op, name, x, **attrs):
        nodes.append(helper.make_node(op, [x], [name], name=name, **attrs))
        return name

    def avgpool(name, x):
        nodes.append(
            helper.make_node(
                "AveragePool", [x], [name], name=name, kernel_shape=[2, 2], strides=[2, 2]
            )
        )
        return name

    x = "input"
    x = conv("conv1", x, 1, 6, 5)
    x = unary("Tanh", "tanh1", x)
    x = avgpool("pool1", x)
    x = unary("Sigmoid", "sigm1", x)
    x = conv("conv2", x, 6, 16, 5)
    x = unary("Tanh", "tanh2", x)
    x = avgpool("pool2", x)
    x = unary("Sigmoid", "sigm2", x)
    x = conv("conv3", x, 16, 120, 5)
    x = unary("Tanh", "tanh3", x)
    x = unary("Flatten", "flatten", x, axis=1)
    x = dense("fc1", x, 120, 84)
    x = unary("Tanh", "tanh4", x)
    x = dense("fc2", x, 84, 10)
    nodes.append(helper.make_node("Softmax", [x], ["probs"], name="softmax", axis=-1))

    graph = helper.make_graph(
        nodes,
        "lenet5",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 1, 32, 32])],
        [helper.make_tensor_value_info("probs", TensorProto.FLOAT, [1, 10])],
        initializer=inits,
    )
    graph.doc_string = (
        "LeNet-5 from the tinyplan lecture (Keras model rewritten as NCHW ONNX), "
        "Glorot-uniform weights, numpy seed %d" % SEED
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", 13)],
        producer_name="tinyplan-gen_lenet5",
        producer_version="1",
    )
    model.ir_version = 7
    return model


def check(model):
    onnx.checker.check_model(model, full_check=True)
    params = sum(int(np.prod(t.dims)) for t in model.graph.initializer)
    assert params == 61706, params
    inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True)
    shapes = {
        vi.name: [d.dim_value for d in vi.type.tensor_type.shape.dim]
        for vi in list(inferred.graph.value_info) + list(inferred.graph.output)
    }
    expected = {
        "conv1": [1, 6, 28, 28], "tanh1": [1, 6, 28, 28],
        "pool1": [1, 6, 14, 14], "sigm1": [1, 6, 14, 14],
        "conv2": [1, 16, 10, 10], "tanh2": [1, 16, 10, 10],
        "pool2": [1, 16, 5, 5], "sigm2": [1, 16, 5, 5],
        "conv3": [1, 120, 1, 1], "tanh3": [1, 120, 1, 1],
        "flatten": [1, 120], "fc1": [1, 84], "tanh4": [1, 84],
        "fc2": [1, 10], "probs": [1, 10],
    }
    for name, shape in expected.items():
        assert shapes.get(name) == shape, (name, shapes.get(name), shape)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.join(here, "..", "onnx_models", "lenet5.onnx")
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", default=default_out)
    args = ap.parse_args()
    model = build_model()
    check(model)
    data = model.SerializeToString()
    with open(args.output, "wb") as f:
        f.write(data)
    print("wrote %s (%d bytes, 61706 parameters)" % (os.path.normpath(args.output), len(data)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

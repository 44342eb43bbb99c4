#!/usr/bin/python3
"""Writes odd_names.onnx to the given directory: value and node names with
characters XML and JSON must escape, a control character and a non-ASCII one.

    odd_names.py OUT_DIR
"""
import os
import sys

from onnx import TensorProto, helper, save


def main(out):
    odd = 'a<b>&"c"'
    nodes = [helper.make_node("Relu", ["x"], [odd], name="relu 'one'\x01"),
             helper.make_node("Tanh", [odd], ["y\u00e9"], name="tanh\u00e9")]
    graph = helper.make_graph(nodes, "odd</svg>",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 16])],
                              [helper.make_tensor_value_info("y\u00e9", TensorProto.FLOAT, [1, 16])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    save(model, os.path.join(out, "odd_names.onnx"))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))

#!/usr/bin/python3
"""Small seeded models of the comparisons (Equal, Less, Greater, LessOrEqual,
GreaterOrEqual), the logical ops (And, Or, Xor, Not), CumSum, TopK,
GroupNormalization, If with a constant condition and Loop with a constant trip count,
with ONNX Runtime's outputs as references, in the layout of the ONNX backend node tests:

    OUT/<name>/model.onnx
    OUT/<name>/test_data_set_0/input_<i>.pb, output_<i>.pb

so scripts/nodetests.py can run them (the official node-test sets have no tests of
these ops that tinyplan can compile: their axis and K are graph inputs there).

What they cover:
  - every comparison over every numeric element type (and bool for Equal), both
    broadcasting ([2,3,4] against [3,1]) and of one shape, with data drawn from a few
    values so that equal elements are common; floats include NaN, -0 and +0;
  - And, Or, Xor broadcasting and Not;
  - CumSum of f32, f64, i32, i64 (and u32, u64 where ONNX Runtime has them) along every
    axis, negative ones too, with an i32 or i64 axis, in all four exclusive / reverse
    combinations; integer sums that wrap around;
  - TopK of floats and integers along every axis, largest and smallest, K from 1 to
    the axis, data with many ties (the lower index first), the opset 1 (attribute k)
    and 10 forms;
  - GroupNormalization of opset 18 (scale and bias per group) and 21 (per channel),
    ranks 3 to 5, one group, a group per channel, several epsilons;
  - If nodes whose condition folds from a static shape, both ways, with branch
    initializers and a nested If (tinyplan does not even type-check the untaken
    branch, test/Import/if-inline.test; ONNX Runtime does, so here it is valid);
  - Loops with a constant trip count (from an initializer or a shape): carried
    values, scan outputs, the iteration number, opsets 11 and 13.
K and axis are initializers (compile-time constants). A case ONNX Runtime refuses (an
element type it does not implement) is dropped and counted.

Usage: gen_op_tests.py OUT [--seed S]
"""

import argparse
import os
import shutil
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_batch import run_ort  # noqa: E402

NUMERIC = ["float32", "float64", "float16", "int8", "uint8", "int16", "uint16", "int32",
           "uint32", "int64", "uint64"]


def onnx_type(dtype):
    return helper.np_dtype_to_tensor_dtype(np.dtype(dtype)) if hasattr(
        helper, "np_dtype_to_tensor_dtype") else onnx.mapping.NP_TYPE_TO_TENSOR_TYPE[
        np.dtype(dtype)]


def model_of(name, nodes, inputs, outputs, opset, initializers=()):
    """inputs: [(name, array)]; outputs: [(name, dtype)] with unknown shapes."""
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info(n, onnx_type(a.dtype), list(a.shape)) for n, a in inputs],
        [helper.make_tensor_value_info(n, onnx_type(d), None) for n, d in outputs],
        initializer=[numpy_helper.from_array(a, n) for n, a in initializers])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    # Opsets after onnx 1.12's need a newer IR version for ONNX Runtime.
    model.ir_version = 10 if opset >= 21 else 8
    return model


def few_values(rng, dtype, shape, special=True):
    """Data drawn from a few values, so that comparisons meet equal elements and TopK
    ties; floats with NaN, -0 and +0 when special."""
    dt = np.dtype(dtype)
    if dt == np.bool_:
        return rng.integers(0, 2, size=shape).astype(np.bool_)
    if dt.kind == "f":
        pool = [-2.5, -1.0, -0.0, 0.0, 0.5, 1.0, 3.0]
        if special:
            pool.append(np.nan)
        return rng.choice(np.array(pool, dtype=np.float64), size=shape).astype(dt)
    info = np.iinfo(dt)
    pool = [info.min, 0, 1, 2, 7, info.max] + ([-1, -3] if info.min < 0 else [])
    return rng.choice(np.array(pool, dtype=object), size=shape).astype(dt)


def compare_cases(rng):
    ops = [("Equal", NUMERIC + ["bool"]), ("Less", NUMERIC), ("Greater", NUMERIC),
           ("LessOrEqual", NUMERIC), ("GreaterOrEqual", NUMERIC)]
    for op, types in ops:
        for dtype in types:
            for bcast in (True, False):
                a_shape, b_shape = ([2, 3, 4], [3, 1]) if bcast else ([3, 5], [3, 5])
                a = few_values(rng, dtype, a_shape)
                b = few_values(rng, dtype, b_shape)
                name = "%s_%s_%s" % (op.lower(), dtype, "bcast" if bcast else "same")
                yield name, model_of(name, [helper.make_node(op, ["a", "b"], ["y"])],
                                     [("a", a), ("b", b)], [("y", "bool")], 13), [a, b]
    for op in ("And", "Or", "Xor"):
        a = few_values(rng, "bool", [2, 1, 4])
        b = few_values(rng, "bool", [3, 1])
        name = "%s_bool_bcast" % op.lower()
        yield name, model_of(name, [helper.make_node(op, ["a", "b"], ["y"])],
                             [("a", a), ("b", b)], [("y", "bool")], 13), [a, b]
    a = few_values(rng, "bool", [3, 4])
    yield "not_bool", model_of("not_bool", [helper.make_node("Not", ["a"], ["y"])],
                               [("a", a)], [("y", "bool")], 13), [a]
    # A mask of a comparison chained into logical ops and Where.
    x = rng.standard_normal([2, 5]).astype(np.float32)
    nodes = [helper.make_node("Greater", ["x", "lo"], ["above"]),
             helper.make_node("Less", ["x", "hi"], ["below"]),
             helper.make_node("And", ["above", "below"], ["inside"]),
             helper.make_node("Not", ["inside"], ["outside"]),
             helper.make_node("Where", ["outside", "zero", "x"], ["y"])]
    inits = [("lo", np.array(-0.5, np.float32)), ("hi", np.array([0.5], np.float32)),
             ("zero", np.array(0, np.float32))]
    yield "mask_chain", model_of("mask_chain", nodes, [("x", x)], [("y", "float32")], 13,
                                 inits), [x]


def cumsum_cases(rng):
    for dtype in ("float32", "float64", "int32", "int64", "uint32", "uint64"):
        for axis in (0, 1, -1):
            for exclusive in (0, 1):
                for reverse in (0, 1):
                    axis_type = np.int32 if (axis + exclusive) % 2 else np.int64
                    if np.dtype(dtype).kind == "f":
                        x = rng.standard_normal([2, 3, 4]).astype(dtype)
                    else:
                        # Large values so that the sums wrap around.
                        info = np.iinfo(dtype)
                        x = rng.integers(info.max // 3, info.max, size=[2, 3, 4],
                                         dtype=dtype, endpoint=True)
                        if info.min < 0:
                            x[0] = -x[0]
                    name = "cumsum_%s_axis%d_ex%d_rev%d" % (dtype, axis, exclusive, reverse)
                    node = helper.make_node("CumSum", ["x", "axis"], ["y"],
                                            exclusive=exclusive, reverse=reverse)
                    yield name, model_of(name, [node], [("x", x)], [("y", dtype)], 14,
                                         [("axis", np.array(axis, axis_type))]), [x]
    x = rng.standard_normal([7]).astype(np.float32)
    node = helper.make_node("CumSum", ["x", "axis"], ["y"])
    yield "cumsum_1d_opset11", model_of("cumsum_1d_opset11", [node], [("x", x)],
                                        [("y", "float32")], 11,
                                        [("axis", np.array([0], np.int64))]), [x]


def topk_cases(rng):
    for dtype in ("float32", "float64", "int8", "uint8", "int16", "uint16", "int32", "uint32",
                  "int64", "uint64"):
        for axis, k in ((-1, 3), (0, 1), (1, 4), (2, 5)):
            for largest in (1, 0):
                x = few_values(rng, dtype, [3, 4, 5], special=False)
                name = "topk_%s_axis%d_k%d_%s" % (dtype, axis, k,
                                                  "largest" if largest else "smallest")
                node = helper.make_node("TopK", ["x", "k"], ["values", "indices"], axis=axis,
                                        largest=largest, sorted=1)
                yield name, model_of(name, [node], [("x", x)],
                                     [("values", dtype), ("indices", "int64")], 11,
                                     [("k", np.array([k], np.int64))]), [x]
    # Distinct values: every order is forced.
    x = rng.permutation(60).astype(np.float32).reshape(3, 20) / 8
    node = helper.make_node("TopK", ["x", "k"], ["values", "indices"])
    yield "topk_distinct_opset10", model_of("topk_distinct_opset10", [node], [("x", x)],
                                            [("values", "float32"), ("indices", "int64")], 10,
                                            [("k", np.array([7], np.int64))]), [x]
    x = few_values(rng, "float32", [4, 6], special=False)
    node = helper.make_node("TopK", ["x"], ["values", "indices"], k=6, axis=1)
    yield "topk_attr_opset1", model_of("topk_attr_opset1", [node], [("x", x)],
                                       [("values", "float32"), ("indices", "int64")], 1), [x]
    x = few_values(rng, "int64", [2, 9], special=False)
    node = helper.make_node("TopK", ["x", "k"], ["values", "indices"], largest=0)
    yield "topk_all_ties_smallest", model_of("topk_all_ties_smallest", [node], [("x", x)],
                                             [("values", "int64"), ("indices", "int64")], 11,
                                             [("k", np.array([9], np.int64))]), [x]


def groupnorm_cases(rng):
    shapes = (([2, 6, 3, 4], 3), ([1, 4, 5], 2), ([2, 8, 2, 2, 3], 4), ([1, 5, 7], 1),
              ([2, 4, 3], 4))
    for opset in (18, 21):
        for k, (shape, groups) in enumerate(shapes):
            x = (rng.standard_normal(shape) * 3 + 1).astype(np.float32)
            per = groups if opset == 18 else shape[1]
            scale = rng.standard_normal([per]).astype(np.float32)
            bias = rng.standard_normal([per]).astype(np.float32)
            eps = [1e-5, 1e-3, 0.5][k % 3]
            name = "groupnorm%d_%s_g%d" % (opset, "x".join(map(str, shape)), groups)
            node = helper.make_node("GroupNormalization", ["x", "scale", "bias"], ["y"],
                                    num_groups=groups, epsilon=eps)
            yield name, model_of(name, [node], [("x", x)], [("y", "float32")], opset,
                                 [("scale", scale), ("bias", bias)]), [x]


def if_cases(rng):
    """Ifs whose condition folds from a static shape (the batch is 1, or not): the
    taken branch has an initializer of its own, reads main-graph values, and holds
    an If of its own."""
    for batch in (1, 3):
        x = rng.standard_normal([batch, 4]).astype(np.float32)
        f = onnx.TensorProto.FLOAT
        inner = helper.make_node(
            "If", ["c"], ["w"],
            then_branch=helper.make_graph(
                [helper.make_node("Add", ["t", "x"], ["u"])], "inner_then", [],
                [helper.make_tensor_value_info("u", f, None)]),
            else_branch=helper.make_graph(
                [helper.make_node("Sub", ["t", "x"], ["v"])], "inner_else", [],
                [helper.make_tensor_value_info("v", f, None)]))
        then_branch = helper.make_graph(
            [helper.make_node("Squeeze", ["x", "axes"], ["sq"]) if batch == 1 else
             helper.make_node("Identity", ["x"], ["sq"]),
             helper.make_node("Mul", ["sq", "k"], ["t"]), inner,
             helper.make_node("Neg", ["w"], ["out"])], "then", [],
            [helper.make_tensor_value_info("out", f, None)],
            initializer=[numpy_helper.from_array(np.array([2.5], np.float32), "k")])
        else_branch = helper.make_graph(
            [helper.make_node("Mul", ["x", "k"], ["t"]), inner], "else", [],
            [helper.make_tensor_value_info("w", f, None)],
            initializer=[numpy_helper.from_array(np.array([-1.5], np.float32), "k")])
        nodes = [helper.make_node("Shape", ["x"], ["s"]),
                 helper.make_node("Gather", ["s", "zero"], ["n"]),
                 helper.make_node("Equal", ["n", "one"], ["c1"]),
                 helper.make_node("Squeeze", ["c1"], ["c"]),
                 helper.make_node("If", ["c"], ["y"], then_branch=then_branch,
                                  else_branch=else_branch)]
        inits = [("zero", np.array([0], np.int64)), ("one", np.array([1], np.int64)),
                 ("axes", np.array([0], np.int64))]
        name = "if_batch%d" % batch
        yield name, model_of(name, nodes, [("x", x)], [("y", "float32")], 13, inits), [x]


def loop_cases(rng):
    """Loops with a constant trip count: a carried value updated from the iteration
    number and a main-graph value, a scan output, the condition passed on through
    an Identity or as a true constant; the trip count folded from a shape or an
    initializer; opset 11 (Unsqueeze takes axes as an attribute) and 13."""
    f = onnx.TensorProto.FLOAT
    for opset, trips, cond_const, from_shape in ((13, 3, False, False), (11, 4, True, False),
                                                 (13, 5, True, True), (13, 1, False, True)):
        x = rng.standard_normal([trips, 2] if from_shape else [2]).astype(np.float32)
        cond_out = (helper.make_node("Constant", [], ["cond_out"],
                                     value=helper.make_tensor("t", onnx.TensorProto.BOOL, [],
                                                              [True]))
                    if cond_const else helper.make_node("Identity", ["cond_in"], ["cond_out"]))
        body = helper.make_graph(
            [cond_out,
             helper.make_node("Cast", ["i"], ["fi"], to=f),
             helper.make_node("Mul", ["fi", "step"], ["d"]),
             helper.make_node("Add", ["v_in", "d"], ["v1"]),
             helper.make_node("Mul", ["v1", "half"], ["v_out"]),
             helper.make_node("Neg", ["v_out"], ["scan"])],
            "body",
            [helper.make_tensor_value_info("i", onnx.TensorProto.INT64, []),
             helper.make_tensor_value_info("cond_in", onnx.TensorProto.BOOL, []),
             helper.make_tensor_value_info("v_in", f, None)],
            [helper.make_tensor_value_info("cond_out", onnx.TensorProto.BOOL, []),
             helper.make_tensor_value_info("v_out", f, None),
             helper.make_tensor_value_info("scan", f, None)],
            initializer=[numpy_helper.from_array(np.array(0.5, np.float32), "half")])
        inits = [("true", np.array(True)), ("step", np.array([1.25, -0.75], np.float32))]
        nodes = []
        if from_shape:
            nodes += [helper.make_node("Shape", ["x"], ["s"]),
                      helper.make_node("Gather", ["s", "zero"], ["m"])]
            inits.append(("zero", np.array(0, np.int64)))
            nodes.append(helper.make_node("Loop", ["m", "true", "start"], ["v", "scans"],
                                          body=body))
            inits.append(("start", np.array([1.0, 2.0], np.float32)))
            nodes.append(helper.make_node("ReduceSum", ["x"], ["sx"], axes=[0], keepdims=0)
                         if opset < 13 else helper.make_node("ReduceSum", ["x", "axis0"], ["sx"],
                                                             keepdims=0))
            if opset >= 13:
                inits.append(("axis0", np.array([0], np.int64)))
            nodes.append(helper.make_node("Add", ["v", "sx"], ["y"]))
        else:
            inits.append(("m", np.array(trips, np.int64)))
            nodes.append(helper.make_node("Loop", ["m", "" if cond_const else "true", "x"],
                                          ["y", "scans"], body=body))
        name = "loop_opset%d_trips%d%s%s" % (opset, trips, "_const_cond" if cond_const else "",
                                             "_shape" if from_shape else "")
        yield name, model_of(name, nodes, [("x", x)], [("y", "float32"), ("scans", "float32")],
                             opset, inits), [x]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=14)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    os.makedirs(args.out)
    cases = []
    for family in (compare_cases, cumsum_cases, topk_cases, groupnorm_cases, if_cases,
                   loop_cases):
        cases.extend(family(rng))
    jobs = []
    for name, model, arrays in cases:
        d = os.path.join(args.out, name)
        os.makedirs(os.path.join(d, "test_data_set_0"))
        onnx.save(model, os.path.join(d, "model.onnx"))
        feeds = {i.name: a for i, a in zip(model.graph.input, arrays)}
        jobs.append((os.path.join(d, "model.onnx"), feeds))
    results = run_ort(jobs)
    written, refused = 0, []
    for (name, model, arrays), result in zip(cases, results):
        d = os.path.join(args.out, name)
        if isinstance(result, Exception):
            refused.append(name)
            shutil.rmtree(d)
            continue
        outs, _ = result
        data = os.path.join(d, "test_data_set_0")
        for i, (info, arr) in enumerate(zip(model.graph.input, arrays)):
            t = numpy_helper.from_array(arr, info.name)
            with open(os.path.join(data, "input_%d.pb" % i), "wb") as f:
                f.write(t.SerializeToString())
        for i, (info, arr) in enumerate(zip(model.graph.output, outs)):
            t = numpy_helper.from_array(arr, info.name)
            with open(os.path.join(data, "output_%d.pb" % i), "wb") as f:
                f.write(t.SerializeToString())
        written += 1
    print("op tests: %d written to %s, %d refused by ONNX Runtime" % (written, args.out,
                                                                      len(refused)))
    for name in refused:
        print("  refused: %s" % name)


if __name__ == "__main__":
    main()

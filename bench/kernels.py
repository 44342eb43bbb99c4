#!/usr/bin/python3
"""Executed instructions per multiply-accumulate of the generated kernels.

For each model: `tinyplan MODEL -o WORK/model.c --name m`, a main.c that fills
the inputs with fixed pseudo-random values and calls m_run once, built for the
host with `cc -O2 -g -mfma -ffp-contract=off -fno-inline` (fmaf is one
instruction, every kernel stays a function of its own) and run under
`valgrind --tool=callgrind`. Each kernel's inclusive instruction count
(callgrind_annotate --inclusive=yes) is divided by the MACs of the nodes that
call it (tinyplan --emit=summary); the model line divides m_run's count by
all the model's MACs, so it includes the ops that do no MACs.

Host instructions are x86-64 instructions: a relative figure. Instructions on
a Cortex-M4 come from the emulated-target runner where it is available.

--layers DIR writes LAYERS, single Conv (+ Relu) and Gemm models shaped like
the layers of the keyword-spotting, visual-wake-words and LeNet models, to DIR
and measures those instead: one kernel per model, so their figures are per
layer type. The same files go through the Cortex-M4 runner
(bench/mcu.py DIR/*.onnx) for instructions per MAC on the target. With
--int8 the layers are int8 QLinearConv (QLinearMatMul) models with int8
inputs and outputs instead, so that the run is the integer kernel alone.

A benchmark, not a test: ctest does not run it. Usage:
  bench/kernels.py [-t TINYPLAN] [--keep DIR] [MODEL ...]
  bench/kernels.py [-t TINYPLAN] --layers DIR [--int8]
Without models it measures DEFAULT_MODELS (../shared/models/... beside the
checkout, and onnx_models/).
"""
import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "models")

DEFAULT_MODELS = [
    os.path.join(ROOT, "onnx_models", "lenet5.onnx"),
    os.path.join(SHARED, "mlperf-tiny-results", "v0.7-alibaba", "model_kws.onnx"),
    os.path.join(SHARED, "emx-onnx-cgen", "micro_kws_m_static_fp32.onnx"),
    os.path.join(SHARED, "mlperf-tiny-results", "v0.7-alibaba", "model_vww.onnx"),
    os.path.join(SHARED, "mlperf-tiny-results", "v1.1-kai_jiang", "vww_96_float.onnx"),
    os.path.join(SHARED, "mlperf-tiny-results", "v0.7-alibaba", "model_ic.onnx"),
    os.path.join(SHARED, "onnxconverter-common", "image_classifier32.onnx"),
    os.path.join(SHARED, "stm32ai-modelzoo-services",
                 "mobilenet_v2_0.35_128_tfs_channel_first.onnx"),
]

# name: (input shape, weight shape, Conv attributes); a Relu follows each Conv.
# "gemm_*" are a Gemm with transB = 1 (a fully connected layer) instead.
LAYERS = {
    "conv10x4s2_kws_49x10": ([1, 1, 49, 10], [32, 1, 10, 4],
                             dict(strides=[2, 2], pads=[4, 1, 5, 1])),
    "dw3x3_kws_25x5": ([1, 32, 25, 5], [32, 1, 3, 3], dict(group=32, pads=[1, 1, 1, 1])),
    "pw_kws_25x5": ([1, 32, 25, 5], [32, 32, 1, 1], {}),
    "conv3x3s2_vww_96x96": ([1, 3, 96, 96], [8, 3, 3, 3], dict(strides=[2, 2],
                                                              pads=[1, 1, 1, 1])),
    "dw3x3_vww_48x48": ([1, 16, 48, 48], [16, 1, 3, 3], dict(group=16, pads=[1, 1, 1, 1])),
    "dw3x3s2_vww_12x12": ([1, 32, 12, 12], [32, 1, 3, 3],
                          dict(group=32, strides=[2, 2], pads=[1, 1, 1, 1])),
    "dw3x3_vww_6x6": ([1, 64, 6, 6], [64, 1, 3, 3], dict(group=64, pads=[1, 1, 1, 1])),
    "pw_vww_24x24": ([1, 32, 24, 24], [64, 32, 1, 1], {}),
    "pw_vww_6x6_26ch": ([1, 26, 6, 6], [26, 26, 1, 1], {}),
    "conv5x5_lenet_14x14": ([1, 6, 14, 14], [16, 6, 5, 5], {}),
    "conv3x3_ic_32x32": ([1, 16, 32, 32], [16, 16, 3, 3], dict(pads=[1, 1, 1, 1])),
    "conv3x3s2_ic_32x32": ([1, 16, 32, 32], [32, 16, 3, 3], dict(strides=[2, 2],
                                                                pads=[0, 0, 1, 1])),
    "conv3x3_ic_8x8": ([1, 64, 8, 8], [64, 64, 3, 3], dict(pads=[1, 1, 1, 1])),
    "gemm_256x64": ([1, 256], [64, 256], {}),
}

HOST_CFLAGS = ["-std=c99", "-O2", "-g", "-mfma", "-ffp-contract=off", "-fno-inline"]

KERNEL_CALL = re.compile(r"^\s*(tp_\w+)\(")
NODE_COMMENT = re.compile(r"^\s*/\* (.+?): (\w+) ")


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          errors="replace", **kw)


def node_macs(tinyplan, model):
    """{node name: MACs} from --emit=summary."""
    p = run([tinyplan, model, "--emit=summary"], timeout=300)
    if p.returncode != 0:
        return None, p.stdout.strip().splitlines()[-1:]
    macs = {}
    for line in p.stdout.splitlines()[2:]:
        fields = line.split()
        if len(fields) >= 6 and fields[4].isdigit():
            macs[fields[0]] = int(fields[4])
    return macs, None


def kernel_nodes(model_c):
    """[(kernel function, node name)] for every kernel call in the run function."""
    calls = []
    node = None
    for line in open(model_c):
        m = NODE_COMMENT.match(line)
        if m:
            node = m.group(1)
            continue
        m = KERNEL_CALL.match(line)
        if m and node is not None:
            calls.append((m.group(1), node))
            node = None
    return calls


def write_main(path, header):
    """main.c: fill every f32 input in place, one m_run on the arena's own tensors."""
    text = open(header).read()
    n_in = int(re.search(r"#define M_NUM_INPUTS (\d+)", text).group(1))
    n_out = int(re.search(r"#define M_NUM_OUTPUTS (\d+)", text).group(1))
    lines = ['#include <stdint.h>', '#include <string.h>', '#include "model.h"', "",
             "int main(void) {", "  uint32_t seed = 12345u;", "  long k;"]
    for i in range(n_in):
        dtype = re.search(r'#define M_INPUT_%d_DTYPE "(\w+)"' % i, text).group(1)
        if dtype != "f32":
            continue
        lines += ["  for (k = 0; k < (long)(M_INPUT_%d_SIZE); ++k) {" % i,
                  "    seed = seed * 1664525u + 1013904223u;",
                  "    m_input_%d()[k] = (float)(int32_t)(seed >> 8) / 8388608.0f - 1.0f;" % i,
                  "  }"]
    args = ["m_input_%d()" % i for i in range(n_in)] + ["m_output_%d()" % i for i in range(n_out)]
    lines += ["  return m_run(%s);" % ", ".join(args), "}"]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def inclusive_counts(callgrind_out):
    """{function: inclusive Ir} from callgrind_annotate."""
    p = run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", callgrind_out])
    counts = {}
    for line in p.stdout.splitlines():
        m = re.match(r"^\s*([\d,]+)\s+(?:\([^)]*\)\s+)?\S+:(\w+?)(?:\.constprop\.\d+|\.isra\.\d+)?"
                     r"(?: \[.*\])?$", line)
        if m:
            name = m.group(2)
            counts[name] = max(counts.get(name, 0), int(m.group(1).replace(",", "")))
    return counts


def layer_kind(kernel):
    if kernel.startswith("tp_matmul"):
        return "matmul"
    m = re.match(r"tp_conv2d_\w+?_k(\d+)x(\d+)_s(\d+)x(\d+)_d\d+x\d+.*_c(\d+)$", kernel)
    if m:
        kh, kw, sh, sw, blocks = m.groups()
        window = "%sx%s/s%s" % (kh, kw, sh) if kh != "1" or kw != "1" else "1x1"
        if blocks == "1":
            return "conv %s 1ch" % window
        return "conv %s" % window
    if kernel.startswith("tp_conv"):
        return kernel.split("_")[1]
    return kernel


def save_layer(directory, name, nodes, inits, elem_type, x_shape):
    """DIRECTORY/NAME.onnx: NODES from input x (ELEM_TYPE, X_SHAPE) to y, opset 13,
    shapes inferred; returns its path."""
    import onnx
    from onnx import helper
    graph = helper.make_graph(nodes, name, [helper.make_tensor_value_info("x", elem_type, x_shape)],
                              [helper.make_tensor_value_info("y", elem_type, None)], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    path = os.path.join(directory, name + ".onnx")
    onnx.save(onnx.shape_inference.infer_shapes(model), path)
    return path


def write_layers(directory):
    """LAYERS as ONNX models; returns their paths."""
    import numpy as np
    from onnx import helper, numpy_helper, TensorProto
    rng = np.random.default_rng(0)
    os.makedirs(directory, exist_ok=True)
    paths = []
    for name, (x_shape, w_shape, attrs) in LAYERS.items():
        w = numpy_helper.from_array(rng.uniform(-1, 1, w_shape).astype(np.float32), "w")
        b = numpy_helper.from_array(rng.uniform(-1, 1, [w_shape[0]]).astype(np.float32), "b")
        if name.startswith("gemm"):
            nodes = [helper.make_node("Gemm", ["x", "w", "b"], ["y"], name="fc", transB=1)]
        else:
            nodes = [helper.make_node("Conv", ["x", "w", "b"], ["t"], name="conv", **attrs),
                     helper.make_node("Relu", ["t"], ["y"], name="relu")]
        paths.append(save_layer(directory, name, nodes, [w, b], TensorProto.FLOAT, x_shape))
    return paths


def write_int8_layers(directory):
    """LAYERS as int8 QOperator models (QLinearConv, or QLinearMatMul for the
    fully connected ones) with int8 inputs and outputs, so that a run is the
    layer alone: seeded weights, per-channel power-of-two weight scales, y_zp
    -128 (the range a fused Relu leaves). Returns their paths."""
    import numpy as np
    from onnx import helper, numpy_helper, TensorProto
    rng = np.random.default_rng(0)
    os.makedirs(directory, exist_ok=True)
    paths = []
    for name, (x_shape, w_shape, attrs) in LAYERS.items():
        m, k = w_shape[0], int(np.prod(w_shape[1:]))
        x_scale, ws = np.float32(2.0 ** -4), (2.0 ** rng.integers(-8, -5, m)).astype(np.float32)
        # Outputs spread over the int8 range: |acc| grows with sqrt(K).
        y_scale = np.float32(2.0 ** np.round(np.log2(float(x_scale) * 2.0 ** -7 * 40 * k ** 0.5)))
        q = lambda n, v, t=TensorProto.INT8: helper.make_tensor(n, t, [], [v])
        inits = [q("xs", float(x_scale), TensorProto.FLOAT), q("xz", 0),
                 q("ys", float(y_scale), TensorProto.FLOAT), q("yz", -128)]
        w = rng.integers(-127, 128, w_shape).astype(np.int8)
        if name.startswith("gemm"):
            inits += [numpy_helper.from_array(np.ascontiguousarray(w.T), "w"),
                      q("ws", float(ws[0]), TensorProto.FLOAT), q("wz", 0)]
            nodes = [helper.make_node("QLinearMatMul", ["x", "xs", "xz", "w", "ws", "wz", "ys",
                                                        "yz"], ["y"], name="fc")]
        else:
            inits += [numpy_helper.from_array(w, "w"), numpy_helper.from_array(ws, "ws"),
                      numpy_helper.from_array(np.zeros(m, np.int8), "wz"),
                      numpy_helper.from_array(rng.integers(-2000, 2000, m).astype(np.int32),
                                              "b")]
            nodes = [helper.make_node("QLinearConv", ["x", "xs", "xz", "w", "ws", "wz", "ys",
                                                      "yz", "b"], ["y"], name="conv", **attrs)]
        paths.append(save_layer(directory, name + "_int8", nodes, inits, TensorProto.INT8,
                                x_shape))
    return paths


def measure(args, model, work):
    name = os.path.basename(model)
    macs, err = node_macs(args.tinyplan, model)
    if macs is None:
        print("%s: tinyplan failed: %s" % (name, " ".join(err)))
        return
    p = run([args.tinyplan, model, "-o", os.path.join(work, "model.c"), "--name", "m"] +
            args.tinyplan_arg,
            timeout=300)
    if p.returncode != 0:
        print("%s: tinyplan failed: %s" % (name, p.stdout.strip().splitlines()[-1]))
        return
    write_main(os.path.join(work, "main.c"), os.path.join(work, "model.h"))
    exe = os.path.join(work, "prog")
    p = run([args.cc] + HOST_CFLAGS + ["main.c", "model.c", "-lm", "-o", exe], cwd=work)
    if p.returncode != 0:
        print("%s: cc failed: %s" % (name, p.stdout.strip()[:300]))
        return
    out = os.path.join(work, "callgrind.out")
    p = run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out, exe], cwd=work)
    if p.returncode != 0:
        print("%s: run failed: %s" % (name, p.stdout.strip()[-300:]))
        return
    counts = inclusive_counts(out)
    per_kernel = collections.OrderedDict()
    for kernel, node in kernel_nodes(os.path.join(work, "model.c")):
        entry = per_kernel.setdefault(kernel, [0, 0])
        entry[0] += 1
        entry[1] += macs.get(node, 0)
    total_macs = sum(macs.values())
    print("%s: %d MACs, host %.2f instructions/MAC" %
          (name, total_macs, counts.get("m_run", 0) / max(total_macs, 1)))
    print("  %-16s %5s %12s %14s %9s  %s" % ("layer", "calls", "MACs", "host insns",
                                              "insn/MAC", "kernel"))
    for kernel, (calls, kmacs) in per_kernel.items():
        if kmacs == 0:
            continue
        ir = counts.get(kernel, 0)
        print("  %-16s %5d %12d %14d %9.2f  %s" % (layer_kind(kernel), calls, kmacs, ir,
                                                 ir / kmacs, kernel))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-t", "--tinyplan",
                    default=os.path.join(os.environ.get("TINYPLAN_BUILD_DIR",
                                                        os.path.join(ROOT, "build")),
                                         "tools", "tinyplan", "tinyplan"))
    ap.add_argument("--cc", default="gcc")
    ap.add_argument("--keep", help="keep the work directories under this one")
    ap.add_argument("--layers", metavar="DIR",
                    help="write the single-layer models to DIR and measure them")
    ap.add_argument("--int8", action="store_true",
                    help="with --layers: the layers as int8 QLinearConv / QLinearMatMul "
                    "models with int8 inputs and outputs")
    ap.add_argument("--tinyplan-arg", action="append", default=[],
                    help="extra argument for tinyplan, e.g. --tinyplan-arg=--conv=im2col "
                    "(repeatable)")
    ap.add_argument("models", nargs="*")
    args = ap.parse_args()
    if args.layers:
        args.models = (write_int8_layers if args.int8 else write_layers)(args.layers)
    for tool in ("valgrind", "callgrind_annotate", args.cc):
        if not shutil.which(tool):
            sys.exit("kernels.py: %s not found" % tool)
    for model in args.models or DEFAULT_MODELS:
        if not os.path.isfile(model):
            print("%s: not found" % model)
            continue
        if args.keep:
            work = os.path.join(args.keep, os.path.splitext(os.path.basename(model))[0])
            shutil.rmtree(work, ignore_errors=True)
            os.makedirs(work)
            measure(args, model, work)
        else:
            with tempfile.TemporaryDirectory(prefix="tp-kernels.") as work:
                measure(args, model, work)
        sys.stdout.flush()


if __name__ == "__main__":
    main()

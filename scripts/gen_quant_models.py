#!/usr/bin/python3
"""Write small quantized ONNX models, for checking tinyplan against ONNX Runtime.

Each model is one QOperator op with constant weights and quantization parameters
chosen to reach the cases where implementations differ: power-of-two multipliers
(x_scale * w_scale / y_scale), whose products land on rounding ties; per-channel
scales from 2^-12 to 2^4; odd zero points and zero points at the ends of their
range; outputs saturating at both ends; int8 and uint8, alone and mixed;
groups, pads, strides and dilations. Weight zero points of QLinearConv are equal
across channels (ONNX Runtime requires it). Seeded: the same files every run.

    gen_quant_models.py OUT_DIR
    modeltests.py --tinyplan build/tools/tinyplan/tinyplan OUT_DIR

modeltests.py then compares tinyplan's C with ONNX Runtime on seeded random
inputs, integers exactly (test/Harness/quant-models.test).
"""
import os
import sys

import numpy as np
import onnx

out = os.path.join(sys.argv[1], "") if len(sys.argv) > 1 else sys.exit("usage: gen_quant_models.py OUT_DIR")
os.makedirs(out, exist_ok=True)
from onnx import helper as h, TensorProto as T, numpy_helper as nh
rng = np.random.default_rng(7)
def save(name, nodes, inputs, outputs, inits, opset=13):
    g = h.make_graph(nodes, name, inputs, outputs, inits)
    m = h.make_model(g, opset_imports=[h.make_opsetid('', opset)])
    m.ir_version = 7
    onnx.checker.check_model(m)
    onnx.save(m, out + name + '.onnx')
def c(name, arr):
    return nh.from_array(np.asarray(arr), name)
U8, I8 = np.uint8, np.int8
def qmm(name, at, bt, per_col, yzp):
    K, N = 16, 6
    tA = T.UINT8 if at == U8 else T.INT8
    lo_b = 0 if bt == U8 else -128
    b = rng.integers(lo_b, lo_b + 256, size=(K, N)).astype(bt)
    bs = (2.0 ** rng.integers(-12, 5, size=N)).astype(np.float32) if per_col else np.float32(0.25)
    bz = rng.integers(lo_b, lo_b + 256, size=N).astype(bt) if per_col else np.array(lo_b + 3, bt)
    inits = [c('as', np.float32(0.5)), c('az', np.array(at(7) if at == U8 else at(-127))),
             c('b', b), c('bs', bs), c('bz', bz), c('ys', np.float32(4.0)), c('yz', np.array(at(yzp)))]
    n = h.make_node('QLinearMatMul', ['a', 'as', 'az', 'b', 'bs', 'bz', 'ys', 'yz'], ['y'])
    save(name, [n], [h.make_tensor_value_info('a', tA, [2, 3, K])], [h.make_tensor_value_info('y', tA, [2, 3, N])], inits)
qmm('qmm_u8u8_pc', U8, U8, True, 255)
qmm('qmm_u8i8_pc', U8, I8, True, 0)
qmm('qmm_i8i8_pc', I8, I8, True, -128)
qmm('qmm_i8i8_pt', I8, I8, False, 5)
def qconv(name, xt, wt, per_ch, group, pads, strides, dil, bias=True):
    C, M, KH, KW = 4, 6, 3, 3
    tX = T.UINT8 if xt == U8 else T.INT8
    lo_w = 0 if wt == U8 else -128
    w = rng.integers(lo_w, lo_w + 256, size=(M, C // group, KH, KW)).astype(wt)
    ws = (2.0 ** rng.integers(-12, 5, size=M)).astype(np.float32) if per_ch else np.float32(2.0 ** -6)
    # ORT requires equal weight zero points across channels
    wz = np.full(M, lo_w + 1 if wt == U8 else 0, wt) if per_ch else np.array(wt(lo_w + 1 if wt == U8 else 0))
    inits = [c('xs', np.float32(0.5)), c('xz', np.array(xt(129) if xt == U8 else xt(-3))),
             c('w', w), c('ws', ws), c('wz', wz), c('ys', np.float32(0.25)), c('yz', np.array(xt(200) if xt == U8 else xt(-100)))]
    ins = ['x', 'xs', 'xz', 'w', 'ws', 'wz', 'ys', 'yz']
    if bias:
        inits.append(c('B', rng.integers(-50000, 50000, size=M).astype(np.int32))); ins.append('B')
    n = h.make_node('QLinearConv', ins, ['y'], group=group, pads=pads, strides=strides, dilations=dil)
    H = W = 9
    oh = (H + pads[0] + pads[2] - (dil[0] * (KH - 1) + 1)) // strides[0] + 1
    ow = (W + pads[1] + pads[3] - (dil[1] * (KW - 1) + 1)) // strides[1] + 1
    save(name, [n], [h.make_tensor_value_info('x', tX, [1, C, H, W])], [h.make_tensor_value_info('y', tX, [1, M, oh, ow])], inits)
qconv('qconv_u8i8_pc', U8, I8, True, 1, [1, 1, 1, 1], [1, 1], [1, 1])
qconv('qconv_u8u8_pt', U8, U8, False, 2, [0, 1, 2, 0], [2, 1], [1, 2])
qconv('qconv_i8i8_pc', I8, I8, True, 2, [1, 0, 0, 1], [1, 2], [2, 1])
qconv('qconv_i8i8_pt_nobias', I8, I8, False, 1, [2, 2, 2, 2], [2, 2], [1, 1], bias=False)
# ConvInteger, MatMulInteger
w = rng.integers(0, 256, size=(3, 2, 3, 3)).astype(U8)
save('convinteger_u8', [h.make_node('ConvInteger', ['x', 'w', 'xz', 'wz'], ['y'], pads=[1, 1, 1, 1])],
     [h.make_tensor_value_info('x', T.UINT8, [1, 2, 5, 5])], [h.make_tensor_value_info('y', T.INT32, [1, 3, 5, 5])],
     [c('w', w), c('xz', np.array(U8(100))), c('wz', np.array(U8(128)))], opset=10)
b = rng.integers(-128, 128, size=(8, 5)).astype(I8)
save('matmulinteger_u8i8', [h.make_node('MatMulInteger', ['a', 'b', 'az', 'bz'], ['y'])],
     [h.make_tensor_value_info('a', T.UINT8, [3, 8])], [h.make_tensor_value_info('y', T.INT32, [3, 5])],
     [c('b', b), c('az', np.array(U8(255))), c('bz', rng.integers(-128, 128, size=5).astype(I8))], opset=10)
# Quantize / dequantize: scale 2^-3 so N(0,1) inputs hit ties more often; per axis.
save('quantize_pa_i8', [h.make_node('QuantizeLinear', ['x', 's', 'z'], ['y'], axis=1)],
     [h.make_tensor_value_info('x', T.FLOAT, [2, 4, 3])], [h.make_tensor_value_info('y', T.INT8, [2, 4, 3])],
     [c('s', np.array([2.0 ** -12, 2.0 ** -3, 1.0, 16.0], np.float32)), c('z', np.array([-128, 127, 3, 0], I8))])
save('quantize_pt_u8', [h.make_node('QuantizeLinear', ['x', 's', 'z'], ['y'])],
     [h.make_tensor_value_info('x', T.FLOAT, [64])], [h.make_tensor_value_info('y', T.UINT8, [64])],
     [c('s', np.float32(0.0078125)), c('z', np.array(U8(255)))])
save('dequantize_pa_u8', [h.make_node('DequantizeLinear', ['x', 's', 'z'], ['y'], axis=0)],
     [h.make_tensor_value_info('x', T.UINT8, [3, 7])], [h.make_tensor_value_info('y', T.FLOAT, [3, 7])],
     [c('s', np.array([2.0 ** -12, 0.37, 16.0], np.float32)), c('z', np.array([0, 255, 3], U8))])
save('dynquant', [h.make_node('DynamicQuantizeLinear', ['x'], ['y', 's', 'z'])],
     [h.make_tensor_value_info('x', T.FLOAT, [5, 7])],
     [h.make_tensor_value_info('y', T.UINT8, [5, 7]), h.make_tensor_value_info('s', T.FLOAT, []), h.make_tensor_value_info('z', T.UINT8, [])], [], opset=11)
def qavg(name, xt, attrs, shape=(1, 3, 7, 8)):
    tX = T.UINT8 if xt == U8 else T.INT8
    n = h.make_node('QLinearAveragePool', ['x', 'xs', 'xz', 'ys', 'yz'], ['y'], domain='com.microsoft', **attrs)
    g = h.make_graph([n], name, [h.make_tensor_value_info('x', tX, list(shape))], [h.make_tensor_value_info('y', tX, None)],
                     [c('xs', np.float32(0.37)), c('xz', np.array(xt(131) if xt == U8 else xt(-3))), c('ys', np.float32(0.125)), c('yz', np.array(xt(0) if xt == U8 else xt(127)))])
    m = h.make_model(g, opset_imports=[h.make_opsetid('', 13), h.make_opsetid('com.microsoft', 1)])
    m.ir_version = 7
    onnx.save(m, out + name + '.onnx')
qavg('qavg_u8_pad', U8, dict(kernel_shape=[3, 2], strides=[2, 1], pads=[1, 1, 1, 0]))
qavg('qavg_i8_pad_incl', I8, dict(kernel_shape=[3, 3], strides=[1, 2], pads=[1, 1, 1, 1], count_include_pad=1))
qavg('qavg_u8_1d', U8, dict(kernel_shape=[3], strides=[2]), shape=(2, 3, 9))

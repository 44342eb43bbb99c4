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
# com.microsoft ops of ONNX Runtime's quantizer.
def save_ms(name, node, inputs, inits, out_type=None, opset=13):
    out_type = inputs[0].type.tensor_type.elem_type if out_type is None else out_type
    g = h.make_graph([node], name, inputs, [h.make_tensor_value_info('y', out_type, None)], inits)
    m = h.make_model(g, opset_imports=[h.make_opsetid('', opset), h.make_opsetid('com.microsoft', 1)])
    m.ir_version = 7
    onnx.save(m, out + name + '.onnx')
def tt(t):
    return T.UINT8 if t == U8 else T.INT8
def ms(op, ins, **attrs):
    return h.make_node(op, ins, ['y'], domain='com.microsoft', **attrs)
# QLinearAdd / QLinearMul: (a scale, a zp, b scale, b zp, c scale, c zp); power-of-two
# ratios put results on .5 ties; shapes reach ONNX Runtime's three broadcast paths
# (same spans, B a scalar per span, A a scalar per span) and saturate at both ends.
def qbin(name, op, t, ashape, bshape, p):
    inits = [c('as', np.float32(p[0])), c('az', np.array(t(p[1]))), c('bs', np.float32(p[2])),
             c('bz', np.array(t(p[3]))), c('cs', np.float32(p[4])), c('cz', np.array(t(p[5])))]
    save_ms(name, ms(op, ['a', 'as', 'az', 'b', 'bs', 'bz', 'cs', 'cz']),
            [h.make_tensor_value_info('a', tt(t), ashape), h.make_tensor_value_info('b', tt(t), bshape)], inits)
qbin('qadd_u8_ties', 'QLinearAdd', U8, [2, 3, 40], [2, 3, 40], (0.0625, 255, 0.03125, 1, 0.125, 128))
qbin('qadd_i8_a_scalar_spans', 'QLinearAdd', I8, [2, 5, 1], [2, 5, 24], (0.0371, -3, 0.0113, 127, 0.0517, -128))
qbin('qadd_u8_b_outer', 'QLinearAdd', U8, [3, 4, 9], [9], (0.37, 131, 0.11, 0, 0.23, 255))
qbin('qadd_i8_b_scalar', 'QLinearAdd', I8, [4, 33], [], (0.0213, 5, 0.517, -128, 0.0271, 7))
qbin('qadd_u8_a_rank0', 'QLinearAdd', U8, [], [3, 17], (0.25, 3, 0.1, 200, 0.05, 0))
qbin('qadd_u8_saturate', 'QLinearAdd', U8, [64], [64], (2.0, 128, 1.0, 0, 0.5, 100))
qbin('qmul_u8_ties', 'QLinearMul', U8, [2, 3, 40], [2, 3, 40], (0.25, 128, 0.125, 3, 2.0, 0))
qbin('qmul_i8_bcast', 'QLinearMul', I8, [2, 5, 1], [1, 5, 24], (0.0371, -3, 0.0113, 127, 0.00517, -128))
qbin('qmul_u8_b_scalar', 'QLinearMul', U8, [4, 33], [1], (0.02, 255, 0.7, 1, 0.3, 77))
# QLinearSigmoid / QLinearLeakyRelu: 1024 inputs cover the 256 table entries; inputs
# beyond the logistic's clamp at +-18, results saturating at both ends.
def qlut(name, op, t, xs, xz, ys, yz, **attrs):
    inits = [c('xs', np.float32(xs)), c('xz', np.array(t(xz))), c('ys', np.float32(ys)), c('yz', np.array(t(yz)))]
    save_ms(name, ms(op, ['x', 'xs', 'xz', 'ys', 'yz'], **attrs), [h.make_tensor_value_info('x', tt(t), [4, 256])], inits)
qlut('qsigmoid_u8', 'QLinearSigmoid', U8, 0.15, 128, 1 / 256, 0)
qlut('qsigmoid_i8', 'QLinearSigmoid', I8, 0.0371, -5, 1 / 255, -128)
qlut('qsigmoid_i8_narrow', 'QLinearSigmoid', I8, 0.02, 0, 0.001, 3)
qlut('qleakyrelu_u8', 'QLinearLeakyRelu', U8, 0.0625, 131, 0.125, 10, alpha=0.5)
qlut('qleakyrelu_i8', 'QLinearLeakyRelu', I8, 0.037, 127, 0.021, -128, alpha=0.1)
# QLinearSoftmax on several axes and opsets (below 13 the axis flattens what follows).
def qsoftmax(name, t, shape, xs, xz, yz, opset, axis=None):
    attrs = dict(opset=opset) if axis is None else dict(opset=opset, axis=axis)
    inits = [c('xs', np.float32(xs)), c('xz', np.array(t(xz))), c('ys', np.float32(1 / 256)), c('yz', np.array(t(yz)))]
    save_ms(name, ms('QLinearSoftmax', ['x', 'xs', 'xz', 'ys', 'yz'], **attrs), [h.make_tensor_value_info('x', tt(t), shape)], inits)
qsoftmax('qsoftmax_u8_last', U8, [2, 3, 10], 0.1, 7, 0, 13)
qsoftmax('qsoftmax_i8_axis1', I8, [2, 5, 4], 0.5, -92, -128, 13, axis=1)
qsoftmax('qsoftmax_i8_dominant', I8, [8, 10], 0.9, 0, -128, 13)
qsoftmax('qsoftmax_u8_opset12', U8, [2, 3, 4], 0.05, 0, 3, 12, axis=1)
qsoftmax('qsoftmax_i8_opset11_default', I8, [3, 2, 5], 0.0371, -92, -128, 11)
# QLinearGlobalAveragePool over big windows, channels first and last.
def qgap(name, t, shape, xs, xz, ys, yz, **attrs):
    inits = [c('xs', np.float32(xs)), c('xz', np.array(t(xz))), c('ys', np.float32(ys)), c('yz', np.array(t(yz)))]
    save_ms(name, ms('QLinearGlobalAveragePool', ['x', 'xs', 'xz', 'ys', 'yz'], **attrs), [h.make_tensor_value_info('x', tt(t), shape)], inits)
qgap('qgap_u8_256', U8, [1, 8, 16, 16], 0.02, 131, 0.0025, 0)
qgap('qgap_i8_1023', I8, [2, 4, 33, 31], 0.5, -128, 0.0078125, 127)
qgap('qgap_u8_nhwc', U8, [2, 7, 9, 5], 0.37, 0, 0.011, 255, channels_last=1)
qgap('qgap_i8_3d', I8, [1, 3, 4, 5, 6], 0.0625, 3, 0.03125, -7)
# QLinearConcat of inputs with different scales; the one with Y's parameters is copied.
def qconcat(name, t, shapes, params, yp, axis):
    ins = ['ys', 'yz']
    inits = [c('ys', np.float32(yp[0])), c('yz', np.array(t(yp[1])))]
    vis = []
    for k, (shape, (s, z)) in enumerate(zip(shapes, params)):
        ins += ['x%d' % k, 's%d' % k, 'z%d' % k]
        inits += [c('s%d' % k, np.float32(s)), c('z%d' % k, np.array(t(z)))]
        vis.append(h.make_tensor_value_info('x%d' % k, tt(t), shape))
    save_ms(name, ms('QLinearConcat', ins, axis=axis), vis, inits)
qconcat('qconcat_u8_axis1', U8, [[2, 3, 4], [2, 5, 4], [2, 1, 4]], [(0.05, 128), (0.1, 0), (0.025, 255)], (0.05, 128), 1)
qconcat('qconcat_i8_last', I8, [[3, 7], [3, 2]], [(0.0625, -128), (0.5, 127)], (0.125, 3), -1)
# QGemm: with and without C, transA / transB, alpha, per-column B, float output.
def qgemm(name, at, bt, M, K, N, ta, tb, alpha, per_col, cshape, yp):
    lo_b = 0 if bt == U8 else -128
    b = rng.integers(lo_b, lo_b + 256, size=(N, K) if tb else (K, N)).astype(bt)
    bs = (2.0 ** rng.integers(-10, 0, size=N)).astype(np.float32) if per_col else np.float32(0.0625)
    bz = rng.integers(lo_b, lo_b + 256, size=N).astype(bt) if per_col else np.array(bt(lo_b + 5))
    inits = [c('as', np.float32(0.5)), c('az', np.array(at(129) if at == U8 else at(-7))), c('b', b), c('bs', bs), c('bz', bz)]
    ins = ['a', 'as', 'az', 'b', 'bs', 'bz']
    if cshape is not None:
        inits.append(c('C', rng.integers(-40000, 40000, size=cshape).astype(np.int32)))
        ins.append('C')
    else:
        ins.append('')
    if yp is not None:
        inits += [c('ys', np.float32(yp[0])), c('yz', np.array(at(yp[1])))]
        ins += ['ys', 'yz']
    node = ms('QGemm', ins, alpha=alpha, transA=ta, transB=tb)
    save_ms(name, node, [h.make_tensor_value_info('a', tt(at), [K, M] if ta else [M, K])], inits,
            out_type=T.FLOAT if yp is None else None)
qgemm('qgemm_u8i8_c_transb', U8, I8, 3, 20, 6, 0, 1, 0.5, True, [6], (64.0, 200))
qgemm('qgemm_u8u8_cm1', U8, U8, 4, 9, 5, 0, 0, 1.0, False, [4, 1], (8.0, 0))
qgemm('qgemm_i8i8_transa_noc', I8, I8, 5, 12, 3, 1, 0, 1.0, True, None, (16.0, -128))
qgemm('qgemm_u8i8_float', U8, I8, 3, 16, 4, 1, 1, 0.25, True, [3, 4], None)
qgemm('qgemm_i8i8_float_noc', I8, I8, 2, 7, 6, 0, 0, 2.0, False, None, None)
# Sums that saturate int16 pairs: 64 input channels of uint8 (zero point 0, so
# the random inputs span 0..255) against weights 127 and -128. x86 kernels that
# add two u8 x s8 products with VPMADDUBSW (AVX2 without VNNI) clamp such pairs
# at 32767; the exact sum is what ONNX Runtime computes with
# session.x64quantprecision, which scripts/ort/run_ort.js sets.
w = np.tile(np.array([127, -128], I8), 4).reshape(8, 1, 1, 1) * np.ones((1, 64, 1, 1), I8)
save('qconv_u8i8_pairs_saturate',
     [h.make_node('QLinearConv', ['x', 'xs', 'xz', 'w', 'ws', 'wz', 'ys', 'yz'], ['y'])],
     [h.make_tensor_value_info('x', T.UINT8, [1, 64, 4, 4])], [h.make_tensor_value_info('y', T.UINT8, [1, 8, 4, 4])],
     [c('xs', np.float32(0.01)), c('xz', np.array(U8(0))), c('w', w.astype(I8)), c('ws', np.float32(0.01)),
      c('wz', np.array(I8(0))), c('ys', np.float32(1.25)), c('yz', np.array(U8(128)))])

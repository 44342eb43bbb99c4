#!/usr/bin/python3
"""The onnx-light ImageNet models as the published MAC counts assume them.

    lecture_variants.py MODELS_DIR OUT_DIR

- alexnet227.onnx: light_bvlc_alexnet.onnx with a 227x227 input. The ONNX
  file takes 224x224; the published 724 M MACs (Krizhevsky et al.; Sze et al.,
  Proc. IEEE 2017) are for Caffe's 227x227, where conv1 gives 55x55.
- resnet50_v1.onnx: light_resnet50.onnx with the stride 2 of the first block
  of stages 3-5 on the 1x1 convolution (branch2a), as in He et al. (3.9 G).
  The Caffe2 model puts it on the 3x3 (branch2b), "ResNet-50 v1.5", which
  runs branch2a at 4x the positions: +231 M MACs.
Everything else, weights included, is unchanged.
"""
import os
import sys

import onnx


def main(models, out):
    alexnet = onnx.load(os.path.join(models, "light_bvlc_alexnet.onnx"))
    dims = alexnet.graph.input[0].type.tensor_type.shape.dim
    dims[2].dim_value = dims[3].dim_value = 227
    onnx.save(alexnet, os.path.join(out, "alexnet227.onnx"))

    resnet = onnx.load(os.path.join(models, "light_resnet50.onnx"))
    moved = 0
    for node in resnet.graph.node:
        if node.op_type != "Conv":
            continue
        weight = node.input[1]
        for stage in ("res3_0", "res4_0", "res5_0"):
            for branch, stride in (("branch2a", 2), ("branch2b", 1)):
                if weight == f"gpu_0/{stage}_{branch}_w_0":
                    for attr in node.attribute:
                        if attr.name == "strides":
                            attr.ints[:] = [stride, stride]
                            moved += 1
    assert moved == 6, f"expected 6 strides to move, moved {moved}"
    onnx.save(resnet, os.path.join(out, "resnet50_v1.onnx"))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))

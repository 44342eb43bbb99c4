#!/usr/bin/env bash
# Makes the int8 QDQ versions of three MLPerf Tiny models of the shared corpus with
# scripts/qdq_quantize.py (int8 weights per output channel, int32 biases, int8
# activations, MinMax calibration on 32 seeded N(0,1) inputs, seed 0), checks that
# ONNX Runtime runs each one, and prints the top-1 agreement with the float model on
# the calibration inputs. The files are generated on demand, never committed.
#
#   scripts/make_int8_models.sh [MODELS_ROOT] [OUT_DIR]
#
# MODELS_ROOT defaults to ../shared/models (relative to the checkout), OUT_DIR to
# build/int8-models. Each model gets OUT_DIR/<name>_int8_qdq.onnx and a .json report.
# Needs /usr/bin/python3 with python3-onnx and python3-numpy, and scripts/ort/node_modules.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
models=${1:-$root/../shared/models}
out=${2:-$root/build/int8-models}
mkdir -p "$out"
for rel in mlperf-tiny-results/v0.7-alibaba/model_kws.onnx \
           mlperf-tiny-results/v0.7-alibaba/model_ic.onnx \
           mlperf-tiny-results/v1.1-kai_jiang/vww_96_float.onnx; do
  name=$(basename "$rel" .onnx)
  /usr/bin/python3 "$root/scripts/qdq_quantize.py" "$models/$rel" \
    -o "$out/${name}_int8_qdq.onnx" --activation-type int8 \
    --calibration-samples 32 --seed 0 --validate --report "$out/${name}_int8_qdq.json"
done

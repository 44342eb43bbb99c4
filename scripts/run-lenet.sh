#!/usr/bin/env bash
# Installs what is missing, builds, and runs tinyplan on the bundled LeNet-5.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/install-deps.sh"
bash "$root/scripts/build.sh"
build=${TINYPLAN_BUILD_DIR:-$root/build}
"$build/tools/tinyplan/tinyplan" "$root/onnx_models/lenet5.onnx" --emit=ir
# What it costs and whether it fits the lecture's STM32F469 (docs/report.md).
"$build/tools/tinyplan/tinyplan" "$root/onnx_models/lenet5.onnx" --report --target STM32F469

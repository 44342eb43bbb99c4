#!/usr/bin/env bash
# Installs what is missing (the build's dependencies and the verification
# harness's: C compilers, the Cortex-M toolchain and emulator, ONNX Runtime),
# builds, and runs the whole test suite: GoogleTest unit tests and the lit
# tests, including the generated C checked against ONNX Runtime (through ctest).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/install-deps.sh"
bash "$root/scripts/install-test-deps.sh"
bash "$root/scripts/build.sh"
build=${TINYPLAN_BUILD_DIR:-$root/build}
cd "$build"
ctest --output-on-failure -j"$(nproc)"

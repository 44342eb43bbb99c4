#!/usr/bin/env bash
# Configures and builds tinyplan in build/ (Release, warnings are errors).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TINYPLAN_BUILD_DIR:-$root/build}
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" \
  -DPython3_EXECUTABLE=/usr/bin/python3 >/dev/null
ninja -C "$build"

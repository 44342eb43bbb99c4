#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite: GoogleTest
# unit tests and the lit tests (through ctest).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/install-deps.sh"
bash "$root/scripts/build.sh"
build=${TINYPLAN_BUILD_DIR:-$root/build}
cd "$build"
ctest --output-on-failure -j"$(nproc)"

#!/usr/bin/env bash
# Installs the Debian 12 packages tinyplan builds and tests with. Skips apt
# entirely when everything is already there.
set -euo pipefail
packages=(
  cmake ninja-build g++ python3
  llvm-19-dev llvm-19-tools
  libprotobuf-dev protobuf-compiler libonnx-dev libabsl-dev
  googletest libgtest-dev
  python3-onnx python3-numpy
)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi

#!/usr/bin/env bash
# Installs what the verification harness needs beyond the build (see
# docs/verification.md): C compilers for the generated code, libFuzzer, the
# Cortex-M cross toolchain and emulator, Node.js with npm, and ONNX Runtime
# from npm (scripts/ort/, pinned by package-lock.json). Skips apt entirely when
# everything is already there, and npm when the pinned onnxruntime-node is.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

packages=(
  gcc clang
  # libFuzzer and the sanitizers' runtimes for clang (scripts/fuzz.sh): only
  # recommended by clang, so --no-install-recommends would leave them out.
  libclang-rt-14-dev
  python3-onnx python3-numpy python3-jsonschema
  gcc-arm-none-eabi libnewlib-arm-none-eabi
  qemu-system-arm
)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
# Node.js may come from Debian (nodejs + npm) or from NodeSource, whose nodejs
# package ships npm and conflicts with Debian's npm package: look for the
# commands, not the packages.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update
  # --no-install-recommends: qemu-system-arm would otherwise pull in gigabytes
  # of desktop packages.
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi

# onnxruntime-node: --ignore-scripts, because its install script tries to
# download GPU libraries; the CPU library ships inside the package.
ort="$root/scripts/ort"
want=$(node -e "console.log(require('$ort/package.json').dependencies['onnxruntime-node'])")
have=$(node -e "try { console.log(require('$ort/node_modules/onnxruntime-node/package.json').version) } catch (e) {}" 2>/dev/null || true)
if [ "$have" != "$want" ]; then
  echo "installing onnxruntime-node $want into $ort/node_modules"
  (cd "$ort" && npm ci --ignore-scripts --no-audit --no-fund)
fi

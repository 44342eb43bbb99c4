#!/usr/bin/env bash
# Reproducible output: tinyplan built with different compilers and
# optimisation levels must write byte-identical model.c, model.h, plan and
# report for every model. Differences point at unordered iteration,
# uninitialised reads or floating-point differences in tinyplan itself.
#
#   scripts/repro.sh [MODELS_DIR]          # the full matrix: gcc and clang, -O0 and -O2
#   scripts/repro.sh --tools A B [DIR]     # compare two tinyplan executables
#   --small-models                         # only the real models, not the per-operator
#                                          # suites nor the ImageNet-size onnx-light ones
#
# Builds go to build-repro/<cc>-<opt> beside the repository (tinyplan only).
# MODELS_DIR defaults to ../shared/models; every .onnx under it (and
# onnx_models/) that tinyplan compiles is compared; a model the first tool
# refuses must be refused by every tool with the same message. Weights go to
# a blob (--weights-blob), which is compared too, so that the ImageNet-size
# models do not write gigabytes of C. Exit status 1 on any difference.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tools=()
find_filter=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --tools) tools=("$(realpath "$2")" "$(realpath "$3")"); shift 3 ;;
    --small-models)
      find_filter=(-not -path '*/onnx-node*' -not -path '*/onnx-pytorch-converted/*'
                   -not -path '*/onnx-light/*')
      shift ;;
    *) break ;;
  esac
done
models=$(cd "${1:-$root/../shared/models}" && pwd)

if [[ ${#tools[@]} -eq 0 ]]; then
  for cc in gcc clang; do
    cxx=$([[ $cc == gcc ]] && echo g++ || echo clang++)
    for opt in O0 O2; do
      dir=$root/build-repro/$cc-$opt
      CC=$cc CXX=$cxx cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Custom \
        -DCMAKE_CXX_FLAGS="-$opt" -DCMAKE_C_FLAGS="-$opt" \
        -DPython3_EXECUTABLE=/usr/bin/python3 >/dev/null
      ninja -C "$dir" tinyplan >/dev/null
      tools+=("$dir/tools/tinyplan/tinyplan")
    done
  done
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mapfile -t files < <(find "$models" "$root/onnx_models" -name '*.onnx' "${find_filter[@]}" | sort)
compared=0 refused=0 differ=0
for model in "${files[@]}"; do
  for i in "${!tools[@]}"; do
    out=$work/$i
    rm -rf "$out" && mkdir -p "$out"
    (cd "$out" && "${tools[$i]}" "$model" --name m -o m.c --weights-blob=m.bin \
      --report-json=report.json >report.txt 2>err.txt; echo $? >rc.txt) || true
    "${tools[$i]}" "$model" --emit=plan -o "$out/plan.txt" 2>/dev/null || true
    # The error names the model by the path it was given: identical here.
  done
  if [[ $(cat "$work/0/rc.txt") != 0 ]]; then
    refused=$((refused + 1))
  else
    compared=$((compared + 1))
  fi
  for i in "${!tools[@]}"; do
    [[ $i == 0 ]] && continue
    if ! diff -rq "$work/0" "$work/$i" >/dev/null; then
      differ=$((differ + 1))
      echo "DIFFERS: $model (${tools[0]} vs ${tools[$i]}):"
      diff -rq "$work/0" "$work/$i" | sed 's/^/  /' || true
    fi
  done
done
echo "repro: ${#tools[@]} builds, $compared models compiled, $refused refused (the same error required), $differ differences"
[[ $differ == 0 ]]

#!/usr/bin/env bash
# Coverage-guided fuzzing of tinyplan with libFuzzer (docs/verification.md,
# "Fuzzing"). Builds the targets of fuzz/ with clang, ASan and UBSan in
# build-fuzz/ (beside build/), gathers the seeds, runs each target and prints
# its executions, edge coverage (libFuzzer's cov:) and findings.
#
#   scripts/fuzz.sh [--runs N | --time SECONDS] [--jobs J] [--seed S] [TARGET...]
#
# TARGET: import-onnx, import-text, pack-csv, pipeline (default: all, one
# after the other). --runs N (default 100000) or --time SECONDS bounds each
# target; --jobs J runs J processes of it at once (default 1); --seed S fixes
# libFuzzer's random seed. TINYPLAN_FUZZ_OPT_FLAGS (default "-g1 -O1")
# chooses how the build optimises (the test suite's run takes -O0). The corpus
# grows in $TINYPLAN_FUZZ_DIR/corpus/TARGET (default build-fuzz/), and a
# crash, hang (over 10 s), leak or sanitizer report is written to
# .../artifacts/TARGET/ and the target is started again with what is left of
# its limit; the script's exit status is 1 when there is a finding.
# Seeds: the shared models under 200 KB (the ONNX node tests among them),
# the repository's test inputs, and MiniMalloc's CSV problems.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TINYPLAN_FUZZ_BUILD_DIR:-$root/build-fuzz}
work=${TINYPLAN_FUZZ_DIR:-$build}
shared=$(cd "$root/.." && pwd)/shared
limit_kind=runs limit_value=100000
jobs=1
seed_option=()
targets=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --runs) limit_kind=runs limit_value=$2; shift 2 ;;
    --time) limit_kind=time limit_value=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --seed) seed_option=(-seed="$2"); shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[[ ${#targets[@]} -gt 0 ]] || targets=(import-onnx import-text pack-csv pipeline)

# One build, the libraries instrumented too (CMakeLists.txt, TINYPLAN_FUZZ).
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DTINYPLAN_FUZZ=ON \
  -DCMAKE_BUILD_TYPE=Release -DTINYPLAN_FUZZ_OPT_FLAGS="${TINYPLAN_FUZZ_OPT_FLAGS:--g1 -O1}" \
  -DPython3_EXECUTABLE=/usr/bin/python3 >/dev/null
nice ninja -C "$build" fuzz-targets >/dev/null

# Seeds are copied once into seeds/TARGET (named by their path: several
# directories hold files of the same name); the corpus of earlier runs is kept.
copy_seeds() {
  local dir=$1 file
  while IFS= read -r -d '' file; do
    cp "$file" "$dir/$(echo "$file" | md5sum | cut -c1-12)-$(basename "$file")"
  done
}
seed() {
  local target=$1 dir=$work/seeds/$1
  [[ -d $dir ]] && return
  mkdir -p "$dir"
  case $target in
    import-onnx|pipeline)
      # The pipeline target skips inputs over 64 KB: seeding it with them
      # would only slow its start.
      local size=-200k
      [[ $target == pipeline ]] && size=-64k
      find "$shared/models" "$root/test" "$root/onnx_models" "$root/examples" \
        -name '*.onnx' -size "$size" -print0 2>/dev/null | copy_seeds "$dir"
      ;;
    import-text)
      find "$root/test" "$root/examples" -name '*.onnxtxt' -print0 | copy_seeds "$dir"
      # The models inside the lit tests (split-file's `#--- NAME.onnxtxt`).
      local n=0
      for test in $(grep -rl '^#--- .*\.onnxtxt' "$root/test" --include='*.test'); do
        awk -v dir="$dir" -v base=$((n += 1000)) '
          /^#--- / { out = ""; if ($2 ~ /\.onnxtxt$/) out = dir "/t" base + (k++) ".onnxtxt"; next }
          out != "" { print > out }' "$test"
      done
      ;;
    pack-csv)
      find "$shared/bench/minimalloc" "$root/test/Inputs/pack" -name '*.csv' -print0 |
        copy_seeds "$dir"
      ;;
    *) echo "fuzz.sh: unknown target $target" >&2; exit 2 ;;
  esac
}

# Runs TARGET until the limit: after a finding, libFuzzer stops; it is then
# started again (up to 20 times) with what is left of the limit.
status=0
summary=()
for target in "${targets[@]}"; do
  seed "$target"
  corpus=$work/corpus/$target artifacts=$work/artifacts/$target
  mkdir -p "$corpus" "$artifacts"
  log=$work/$target.log
  : >"$log"
  runs=0 cov=0 restarts=0
  start=$(date +%s)
  while :; do
    if [[ $limit_kind == runs ]]; then
      left=(-runs=$((limit_value - runs)))
    else
      left=(-max_total_time=$((limit_value - ($(date +%s) - start))))
    fi
    options=("${left[@]}" "${seed_option[@]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
             -artifact_prefix="$artifacts/")
    # With -jobs, libFuzzer runs the processes itself, each logging to
    # fuzz-N.log, and copies each log to its own output when the process ends.
    [[ $jobs -gt 1 ]] && options+=(-jobs="$jobs" -workers="$jobs")
    echo "== $target: ${options[*]}"
    part=$work/$target.part.log
    (cd "$work" && nice "$build/fuzz/fuzz-$target" "${options[@]}" "$corpus" \
      "$work/seeds/$target") >"$part" 2>&1 || true
    rm -f "$work"/fuzz-*.log
    cat "$part" >>"$log"
    # libFuzzer's final statistics and status lines (`#N DONE cov: E ...`);
    # with -jobs, one per process: executions add up, coverage is the best.
    # An interrupted run (^C) prints no statistics: its last status line
    # counts.
    done_runs=$(grep -ao 'stat::number_of_executed_units: [0-9]*' "$part" |
      awk '{s += $2} END {print s + 0}')
    [[ $done_runs -gt 0 ]] || done_runs=$(grep -ao '^#[0-9]*' "$part" | tail -1 | tr -d '#')
    runs=$((runs + ${done_runs:-0}))
    cov=$(grep -ao 'cov: [0-9]*' "$log" | awk '$2 > m {m = $2} END {print m + 0}')
    grep -q '^SUMMARY: \|ERROR: libFuzzer\|ERROR: AddressSanitizer\|runtime error' "$part" || break
    restarts=$((restarts + 1))
    if [[ $limit_kind == runs ]]; then
      [[ $runs -lt $limit_value ]] || break
    else
      [[ $(($(date +%s) - start)) -lt $limit_value ]] || break
    fi
    [[ $restarts -lt 20 ]] || break
  done
  rm -f "$work/$target.part.log"
  seconds=$(($(date +%s) - start))
  found=$(find "$artifacts" -type f | wc -l)
  line="$target: executions=$runs edges=$cov seconds=$seconds exec/s=$((runs / (seconds > 0 ? seconds : 1))) corpus=$(ls "$corpus" | wc -l) findings=$found"
  echo "$line"
  summary+=("$line")
  [[ $found -eq 0 ]] || status=1
done
echo "== summary"
printf '%s\n' "${summary[@]}"
exit $status

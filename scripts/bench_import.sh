#!/bin/sh
# bench_import.sh - wall time of `tinyplan MODEL --emit=ir` on the largest models.
#
# This is how the "import under 1 s" figure is measured: for each of the N largest
# .onnx files (by bytes) under the model directory, run the import RUNS times
# (default 5) and report the median wall time in milliseconds (date +%s%N around the
# process, so it includes process start-up, protobuf parsing, verification and
# printing the IR). Output goes to stdout, redirected to /dev/null.
#
# Usage: scripts/bench_import.sh [-t TINYPLAN] [-n N] [-r RUNS] [MODEL_DIR_OR_FILE...]
#   Files may be named directly, e.g. the largest graph by node count:
#   scripts/bench_import.sh ../shared/models/onnx-light/light_densenet121.onnx
#   defaults: tinyplan from PATH or build/tools/tinyplan, N=8, RUNS=5, ../shared/models (beside the checkout)
#             plus onnx_models/lenet5.onnx.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
tinyplan=""
count=8
runs=5
while getopts t:n:r:h opt; do
  case $opt in
    t) tinyplan=$OPTARG ;;
    n) count=$OPTARG ;;
    r) runs=$OPTARG ;;
    *) sed -n '2,16p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if [ -z "$tinyplan" ]; then
  tinyplan=$(command -v tinyplan || true)
  [ -n "$tinyplan" ] || tinyplan=$here/../build/tools/tinyplan/tinyplan
fi
[ -x "$tinyplan" ] || { echo "bench_import.sh: no tinyplan at '$tinyplan' (use -t)" >&2; exit 2; }
[ $# -gt 0 ] || set -- "${TINYPLAN_SHARED_MODELS:-$here/../../shared/models}" "$here/../onnx_models/lenet5.onnx"

# The N largest models, biggest first.
models=$(find "$@" -name '*.onnx' -type f -printf '%s %p\n' 2>/dev/null | sort -rn | head -n "$count" | cut -d' ' -f2-)
[ -n "$models" ] || { echo "bench_import.sh: no .onnx files in $*" >&2; exit 2; }

now_ns() { date +%s%N; }
printf '%-10s %9s %9s %9s  %s\n' bytes median_ms min_ms max_ms model
worst=0
for m in $models; do
  times=""
  status=0
  i=0
  while [ $i -lt "$runs" ]; do
    t0=$(now_ns)
    "$tinyplan" "$m" --emit=ir -o - >/dev/null 2>&1 || status=$?
    t1=$(now_ns)
    times="$times $(( (t1 - t0) / 1000 ))"   # microseconds
    i=$((i + 1))
  done
  sorted=$(printf '%s\n' $times | sort -n)
  med=$(printf '%s\n' "$sorted" | sed -n "$(( (runs + 1) / 2 ))p")
  min=$(printf '%s\n' "$sorted" | head -n1)
  max=$(printf '%s\n' "$sorted" | tail -n1)
  note=""
  [ "$status" -eq 0 ] || note=" (exit $status)"
  printf '%-10s %9s %9s %9s  %s%s\n' "$(stat -c %s "$m")" \
    "$(awk "BEGIN{printf \"%.1f\", $med/1000}")" \
    "$(awk "BEGIN{printf \"%.1f\", $min/1000}")" \
    "$(awk "BEGIN{printf \"%.1f\", $max/1000}")" "$m" "$note"
  [ "$med" -le "$worst" ] || worst=$med
done
echo "slowest median: $(awk "BEGIN{printf \"%.1f\", $worst/1000}") ms over $runs runs each"

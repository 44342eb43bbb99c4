#!/bin/bash
# minimalloc.sh - tinyplan-pack on MiniMalloc's eleven "challenging" instances.
#
# For each of A..K.1048576.csv, runs tinyplan-pack twice, with
# --strategy=greedy-size (TensorFlow Lite Micro's rule: the baseline) and with
# the default auto strategy (heuristics, then the exact search: first the
# decision problem at capacity 1,048,576, then smaller arenas), each under
# `timeout` so a hang cannot stall the run, checks every solution CSV with an
# independent overlap/alignment check (awk, all pairs), and prints a table:
# instance, buffers, lower bound, known optimum, both arenas with their ratio
# over the optimum, whether tinyplan proved its arena optimal, times, and the
# search nodes spent (as --budget, they reproduce the arena on any machine).
# See bench/README.md for how to read it. A benchmark, not a test: no
# pass/fail, and ctest does not run it.
#
# Usage: bench/minimalloc.sh [-p TINYPLAN_PACK] [-d DIR] [-t SECONDS] [-- EXTRA_ARGS...]
#   -p  the tinyplan-pack binary (default: build/tools/tinyplan-pack/tinyplan-pack
#       in the checkout, else from PATH)
#   -d  directory with the CSVs (default: ../shared/bench/minimalloc beside the checkout)
#   -t  time limit per run in seconds (default 60)
#   EXTRA_ARGS go to the auto run only, e.g. -- --capacity=1048576 --budget=3200000
#   Instances to run may be chosen with INSTANCES="A C D" in the environment.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
pack=""
dir="$root/../shared/bench/minimalloc"
limit=60
while getopts p:d:t:h opt; do
  case $opt in
    p) pack=$OPTARG ;;
    d) dir=$OPTARG ;;
    t) limit=$OPTARG ;;
    *) sed -n '2,24p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
extra=("$@")
# By default: MiniMalloc's decision problem at its capacity, then
# minimisation below it, within 5 s of wall time and an unbounded node
# budget. The nodes column is the --budget that reproduces the result.
[ ${#extra[@]} -gt 0 ] || extra=(--capacity=1048576 --budget=1000000000 --time-limit=5)
if [ -z "$pack" ]; then
  pack=$root/build/tools/tinyplan-pack/tinyplan-pack
  [ -x "$pack" ] || pack=$(command -v tinyplan-pack || true)
fi
[ -n "$pack" ] && [ -x "$pack" ] || { echo "minimalloc.sh: no tinyplan-pack (build it, or use -p)" >&2; exit 2; }
[ -d "$dir" ] || { echo "minimalloc.sh: no directory '$dir' (use -d)" >&2; exit 2; }

# Known optimal arenas (Moffitt, ASPLOS '23); D and J: best known, optimum open.
declare -A optimum=([A]=1048576 [B]=1048576 [C]=1039360 [D]=1048576 [E]=1048576
                    [F]=1048576 [G]=1048576 [H]=1048576 [I]=1048576 [J]=1048576
                    [K]=1048576)
declare -A openOptimum=([D]=1 [J]=1)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Independent check of a solution CSV: offsets aligned and non-negative, no
# two buffers with overlapping half-open lifetimes sharing a byte. Prints the
# arena (highest offset + size over buffers with a non-empty lifetime) or
# "INVALID: reason".
check() {
  awk -F, '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    NF == 0 { next }
    {
      n++; lo[n] = $col["lower"]; hi[n] = $col["upper"]; sz[n] = $col["size"]
      off[n] = $col["offset"]; al[n] = ("alignment" in col) ? $col["alignment"] : 1
      if (off[n] < 0 || off[n] % al[n] != 0) { print "INVALID: row " n " misaligned"; bad = 1; exit }
      if (hi[n] > lo[n] && sz[n] > 0 && off[n] + sz[n] > arena) arena = off[n] + sz[n]
    }
    END {
      if (bad) exit
      for (i = 1; i <= n; i++) {
        if (sz[i] == 0 || hi[i] <= lo[i]) continue
        for (j = i + 1; j <= n; j++) {
          if (sz[j] == 0 || hi[j] <= lo[j]) continue
          if (lo[i] < hi[j] && lo[j] < hi[i] && off[i] < off[j] + sz[j] && off[j] < off[i] + sz[i]) {
            print "INVALID: rows " i " and " j " overlap"; exit
          }
        }
      }
      print arena + 0
    }' "$1"
}

# Runs tinyplan-pack; sets the globals run_summary, run_wall, run_arena
# (checked), run_status ("ok", "timeout", "error N", "INVALID ...").
run() {
  local csv=$1 out=$2; shift 2
  local start end rc
  start=$(date +%s%N)
  timeout "$limit" "$pack" "$@" "$csv" -o "$out" >"$tmp/summary" 2>"$tmp/stderr"
  rc=$?
  end=$(date +%s%N)
  run_wall=$(( (end - start) / 1000000 ))
  run_summary=$(cat "$tmp/summary")
  run_arena=""
  if [ $rc -eq 124 ]; then run_status="timeout"; return; fi
  if [ $rc -ne 0 ]; then run_status="error $rc: $(head -1 "$tmp/stderr")"; return; fi
  local checked reported
  checked=$(check "$out")
  reported=$(field arena "$run_summary")
  case $checked in
    INVALID*) run_status=$checked ;;
    *) if [ "$checked" != "$reported" ]; then
         run_status="INVALID: arena $reported reported, $checked in the CSV"
       else
         run_status=ok; run_arena=$checked
       fi ;;
  esac
}

field() { # field NAME "summary line"
  sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"
}

ratio() { # ratio ARENA OPTIMUM
  awk -v a="$1" -v o="$2" 'BEGIN { printf "%.3f", a / o }'
}

echo "tinyplan-pack: $pack"
echo "instances:     $dir"
echo "time limit:    ${limit}s per run${extra[*]:+; auto run with: ${extra[*]}}"
echo
printf '%-4s %7s %9s %10s %10s %6s %6s %10s %6s %7s %8s %10s %9s\n' \
  inst bufs lower optimum greedy ratio time tinyplan ratio proven time nodes strategy
problems=()
for name in ${INSTANCES:-A B C D E F G H I J K}; do
  csv="$dir/$name.1048576.csv"
  if [ ! -f "$csv" ]; then problems+=("$name: no $csv"); continue; fi
  opt=${optimum[$name]}
  optText=$opt; [ -n "${openOptimum[$name]:-}" ] && optText="$opt*"

  run "$csv" "$tmp/$name.greedy.csv" --strategy=greedy-size
  greedyStatus=$run_status greedyArena=$run_arena greedyWall=$run_wall greedySummary=$run_summary
  run "$csv" "$tmp/$name.auto.csv" "${extra[@]}"
  autoStatus=$run_status autoArena=$run_arena autoWall=$run_wall autoSummary=$run_summary

  summary=$autoSummary; [ -n "$summary" ] || summary=$greedySummary
  buffers=$(field buffers "$summary")
  lower=$(field lower_bound "$summary")
  if [ "$greedyStatus" = ok ]; then
    greedyText=$greedyArena greedyRatio=$(ratio "$greedyArena" "$opt")
  else
    greedyText=${greedyStatus%%[: ]*} greedyRatio=-; problems+=("$name greedy-size: $greedyStatus")
  fi
  if [ "$autoStatus" = ok ]; then
    autoText=$autoArena autoRatio=$(ratio "$autoArena" "$opt")
    proven=$(field optimal "$autoSummary") strategy=$(field strategy "$autoSummary")
    nodes=$(field nodes "$autoSummary")
    if [ "$autoArena" -lt "$opt" ]; then
      if [ -n "${openOptimum[$name]:-}" ]; then
        problems+=("$name: $autoArena beats the best known $opt")
      else
        problems+=("$name: $autoArena is below the known optimum $opt: suspect the checks")
      fi
    fi
  else
    autoText=${autoStatus%%[: ]*} autoRatio=- proven=- strategy=- nodes=-; problems+=("$name auto: $autoStatus")
  fi
  printf '%-4s %7s %9s %10s %10s %6s %5.1fs %10s %6s %7s %7.1fs %10s %9s\n' \
    "$name" "${buffers:--}" "${lower:--}" "$optText" "$greedyText" "$greedyRatio" \
    "$(awk -v m="$greedyWall" 'BEGIN { print m / 1000 }')" "$autoText" "$autoRatio" "$proven" \
    "$(awk -v m="$autoWall" 'BEGIN { print m / 1000 }')" "$nodes" "$strategy"
done
echo
echo "* D, J: best known arena; the optimum is open. ratio = arena / optimum."
echo "time = wall time of the whole tinyplan-pack process (parse, pack, verify, write)."
echo "nodes = search nodes spent: --budget=NODES without --time-limit reproduces the arena anywhere."
echo "Every solution CSV is re-checked here (alignment, no overlap, arena); failures show as notes."
for p in "${problems[@]}"; do echo "note: $p"; done
exit 0

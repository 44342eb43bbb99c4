#!/usr/bin/env bash
# Builds tinyplan and runs every benchmark: MiniMalloc's instances, the
# memory plans of the real models, the operator orders of the real models
# and of random DAGs, the kernels' instructions per MAC on the host, then the
# generated C on an emulated Cortex-M4F (needs scripts/install-test-deps.sh).
# Figures go to standard output.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/build.sh" >/dev/null
bash "$root/bench/minimalloc.sh"
echo
/usr/bin/python3 "$root/bench/models.py"
echo
/usr/bin/python3 "$root/bench/schedule.py"
echo
/usr/bin/python3 "$root/bench/kernels.py"
echo
/usr/bin/python3 "$root/bench/mcu.py"

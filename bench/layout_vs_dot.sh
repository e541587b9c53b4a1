#!/usr/bin/env bash
# Lays out generated theories of change with Missionboard and with Graphviz dot, in one run on one
# machine, and prints one table: time and straight-line crossings, ours beside dot's.
#
#   bench/layout_vs_dot.sh [SHARED_BENCH_DIR] [DOT_TIME_LIMIT_SECONDS]
#
# Needs: python3, Graphviz (`apt-get install -y graphviz`), and shared/bench's gen_toc.py and
# count_crossings.py (default ../shared/bench next to this checkout). Sizes: N=100 1000 5000 10000
# (override with SIZES="100 1000"); seeds: SEEDS="42" (e.g. SEEDS="1 2 3 42"); LAYOUT_FLAGS adds
# flags to `missionboard layout` (e.g. LAYOUT_FLAGS=--compact: interventions in one band).
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${1:-../shared/bench}
limit=${2:-300}
sizes=${SIZES:-"100 1000 5000 10000"}
seeds=${SEEDS:-42}
flags=${LAYOUT_FLAGS:-}
command -v dot >/dev/null || { echo "Graphviz dot is missing: apt-get install -y graphviz" >&2; exit 2; }
[ -f "$shared/gen_toc.py" ] || { echo "gen_toc.py not found in $shared" >&2; exit 2; }
if [ -z "${BIN:-}" ]; then cargo build --release --quiet; BIN=target/release/missionboard; fi
bin=$BIN
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
now() { python3 -c 'import time; print(time.perf_counter())'; }
crossings() { python3 "$shared/count_crossings.py" "$@" | python3 -c 'import json,sys; print(json.load(sys.stdin)["straight_crossings"])'; }

echo "| nodes | seed | links | Missionboard layout | Missionboard crossings | dot -Tplain | dot crossings | crossings ours/dot |"
echo "|---|---|---|---|---|---|---|---|"
for n in $sizes; do for seed in $seeds; do
  python3 "$shared/gen_toc.py" --nodes "$n" --seed "$seed" --csv "$work/n.csv" "$work/l.csv" --dot "$work/g.dot" >/dev/null 2>&1
  "$bin" import "$work/n.csv" "$work/l.csv" -o "$work/g.mission.ron" >/dev/null
  stats=$("$bin" layout "$work/g.mission.ron" -o "$work/laid.mission.ron" --no-wrap $flags --stats)
  nodes=$(echo "$stats" | awk '/^nodes:/ {print $2}')
  links=$(echo "$stats" | awk '/^links:/ {print $2}')
  secs=$(echo "$stats" | awk '/^seconds:/ {print $2}')
  "$bin" export "$work/laid.mission.ron" -o "$work/laid.json" >/dev/null
  ours=$(crossings --map "$work/laid.json")
  t0=$(now)
  if timeout "$limit" dot -Tplain "$work/g.dot" -o "$work/g.plain" 2>/dev/null; then
    t1=$(now)
    dsecs=$(python3 -c "print(f'{$t1 - $t0:.2f}')")
    theirs=$(crossings --plain "$work/g.plain")
    ratio=$(python3 -c "print(f'{$ours / $theirs:.2f}')")
    echo "| $nodes | $seed | $links | ${secs} s | $ours | ${dsecs} s | $theirs | $ratio |"
  else
    echo "| $nodes | $seed | $links | ${secs} s | $ours | > ${limit} s (stopped) | — | — |"
  fi
done; done

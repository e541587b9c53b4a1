#!/usr/bin/env bash
# Links drawn through cards they do not join, ours beside Graphviz dot's, on the sample and on
# generated maps, for every layout target (and compact, by mission):
#
#   bench/links_through_cards.sh [SHARED_BENCH_DIR]
#
# Ours: `missionboard layout --target T [flag]`, exported to SVG, counted with
# shared/bench/links_through_cards.py. dot: the map exported as .dot, `dot -Tplain`, counted with
# shared/bench/dot_links_through_cards.py. Needs python3 and Graphviz (`apt-get install -y graphviz`).
# SIZES="100 1000" and SEEDS="7 8" choose the generated maps.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${1:-../shared/bench}
sizes=${SIZES:-"100 1000"}
seeds=${SEEDS:-"7 8"}
command -v dot >/dev/null || { echo "Graphviz dot is missing: apt-get install -y graphviz" >&2; exit 2; }
if [ -z "${BIN:-}" ]; then cargo build --release --quiet; BIN=target/release/missionboard; fi
bin=$BIN
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
through() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["through"], "of", d["links"])'; }
row() { # name map
  local name=$1 map=$2 cells="" t f
  "$bin" export "$map" -o "$work/asis.svg" >/dev/null
  cells="$(python3 "$shared/links_through_cards.py" "$work/asis.svg" | through)"
  for t in screen wide a4-landscape a4-portrait a3-landscape a3-portrait; do
    for f in "" --compact --by-mission; do
      "$bin" layout "$map" -o "$work/laid.mission.ron" --target "$t" $f >/dev/null
      "$bin" export "$work/laid.mission.ron" -o "$work/laid.svg" >/dev/null
      cells="$cells | $(python3 "$shared/links_through_cards.py" "$work/laid.svg" | through)"
    done
  done
  "$bin" export "$map" -o "$work/g.dot" >/dev/null
  dot -Tplain "$work/g.dot" -o "$work/g.plain" 2>/dev/null
  echo "| $name | $cells | $(python3 "$shared/dot_links_through_cards.py" "$work/g.plain" | through) |"
}
head="| map | as drawn"
for t in screen wide a4-landscape a4-portrait a3-landscape a3-portrait; do for f in "" " compact" " by mission"; do head="$head | $t$f"; done; done
echo "$head | dot |"
echo "|---|---$(printf '|---%.0s' $(seq 18))|---|"
row "UK sample" assets/samples/uk-missions.mission.ron
for n in $sizes; do for seed in $seeds; do
  python3 "$shared/gen_toc.py" --nodes "$n" --seed "$seed" --csv "$work/n.csv" "$work/l.csv" >/dev/null 2>&1
  "$bin" import "$work/n.csv" "$work/l.csv" -o "$work/g.mission.ron" >/dev/null
  row "gen_toc $n, seed $seed" "$work/g.mission.ron"
done; done

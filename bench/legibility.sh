#!/usr/bin/env bash
# How much of a map can a reader make out? OCR (tesseract) is the reader: render the map as the room
# sees it, read it back, and count the cards whose title's first three words come back.
#
#   bench/legibility.sh [SHARED_BENCH_DIR]
#
# Prints one table, for the UK sample and a generated 80-card map: titles read at fit-to-screen in
# the editor (1280×720 window under Xvfb), in present mode's overview, on A3 landscape and A4
# landscape PDF (one page, 150 dpi), beside Graphviz dot's A3 (`dot -Tpdf` with `size` set to the page);
# and, for the editor and the present overview, how many mission and sub-mission titles are read.
#
# Needs: tesseract-ocr poppler-utils graphviz xvfb xauth imagemagick xdotool python3
# (`apt-get install -y tesseract-ocr poppler-utils graphviz xvfb xauth imagemagick xdotool`).
# The counting is shared/bench/ocr_titles.py when it is there, else the copy of its rule below.
# BIN=path/to/missionboard overrides the binary (default: a release build).
# KEEP=dir keeps the pictures.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${1:-../shared/bench}
for t in tesseract pdftoppm dot xvfb-run import xdotool python3; do
  command -v "$t" >/dev/null || { echo "$t is missing (see the comment at the top of this script)" >&2; exit 2; }
done
profile=()
if [ -z "${BIN:-}" ]; then cargo build --release --quiet; BIN=target/release/missionboard; profile=(--release); fi
work=${KEEP:-$(mktemp -d)}
mkdir -p "$work"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT

ocr() { # MAP.json PICTURE [KINDS] -> "read/total"
  local kinds=${3:-}
  if [ -f "$shared/ocr_titles.py" ]; then
    python3 "$shared/ocr_titles.py" "$1" "$2" ${kinds:+--kinds "$kinds"} \
      | python3 -c 'import json, sys; d = json.load(sys.stdin); print(str(d["read"]) + "/" + str(d["titles"]))'
    return
  fi
  python3 - "$1" "$2" "$kinds" <<'PY'
import json, re, subprocess, sys
def norm(s): return re.sub(r"[^a-z0-9]+", " ", s.lower()).strip()
g = json.load(open(sys.argv[1]))
kinds = set(sys.argv[3].split(",")) if sys.argv[3] else None
text = subprocess.run(["tesseract", sys.argv[2], "-", "--psm", "11"], capture_output=True, text=True).stdout
t = " ".join(norm(text).split())
nodes = [n for n in g["nodes"] if kinds is None or n["kind"].lower() in kinds]
found = 0
for n in nodes:
    w = norm(n["title"]).split()
    key = " ".join(w[:3])
    if key and key in t:
        found += 1
print(f"{found}/{len(nodes)}")
PY
}

screen() { # MAP OUT_EDITOR OUT_PRESENT
  local map=$1 ed=$2 pr=$3
  xvfb-run -a -s '-screen 0 1280x720x24' bash -c '
    set -e
    export HOME=$(mktemp -d)
    "$0" "$1" >/dev/null 2>&1 &
    app=$!
    win=""
    for _ in $(seq 1 100); do win=$(xdotool search --name Missionboard 2>/dev/null | head -1 || true); [ -n "$win" ] && break; sleep 0.2; done
    xdotool windowmove "$win" 0 0 windowsize "$win" 1280 720
    sleep 3
    xdotool windowfocus "$win"; sleep 0.3
    xdotool mousemove 640 400 key f; sleep 2
    import -window root "$2"
    xdotool key F5; sleep 3
    import -window root "$3"
    kill $app 2>/dev/null || true
  ' "$(realpath "$BIN")" "$map" "$ed" "$pr"
}

row() { # NAME MAP
  local name=$1 map=$2
  "$BIN" export "$map" -o "$work/$name.json" >/dev/null
  "$BIN" export "$map" -o "$work/$name-a3.pdf" --page a3-landscape >/dev/null
  "$BIN" export "$map" -o "$work/$name-a4.pdf" --page a4-landscape >/dev/null
  pdftoppm -r 150 -png -singlefile "$work/$name-a3.pdf" "$work/$name-a3"
  pdftoppm -r 150 -png -singlefile "$work/$name-a4.pdf" "$work/$name-a4"
  "$BIN" export "$map" -o "$work/$name.dot" >/dev/null
  dot -Tpdf -Gsize=15.9,11.0 -Gratio=compress "$work/$name.dot" -o "$work/$name-dot-a3.pdf" 2>/dev/null
  pdftoppm -r 150 -png -singlefile "$work/$name-dot-a3.pdf" "$work/$name-dot-a3"
  screen "$(realpath "$map")" "$work/$name-editor.png" "$work/$name-present.png"
  local mk=mission,sub-mission
  echo "| $name | $(ocr "$work/$name.json" "$work/$name-editor.png") | $(ocr "$work/$name.json" "$work/$name-editor.png" $mk) | $(ocr "$work/$name.json" "$work/$name-present.png") | $(ocr "$work/$name.json" "$work/$name-present.png" $mk) | $(ocr "$work/$name.json" "$work/$name-a3.png") | $(ocr "$work/$name.json" "$work/$name-a4.png") | $(ocr "$work/$name.json" "$work/$name-dot-a3.png") |"
}

cargo run "${profile[@]}" --quiet --example gen_map -- 80 42 "$work/gen80.mission.ron" 2>/dev/null \
  || { echo "could not generate the 80-card map" >&2; exit 2; }
echo "| map | editor fit 1280×720: all | editor: missions + sub-missions | present overview | present: missions + sub-missions | A3 landscape PDF | A4 landscape PDF | dot A3 PDF |"
echo "|---|---|---|---|---|---|---|---|"
row sample assets/samples/uk-missions.mission.ron
row gen80 "$work/gen80.mission.ron"

#!/bin/sh
# The editor at rest: starts the release app under Xvfb (software rendering, as on many virtual
# desktops), lets it settle, then measures its CPU time — every thread, user and system, from
# /proc — over IDLE seconds with nobody touching it. Aim: under 2 % of one core.
#
#   cargo build --release && bench/idle.sh [MAP.mission.ron]
#
# Without a map the app opens the UK missions sample. Needs xvfb-run (apt-get install xvfb).
# Settings: BIN (default $CARGO_TARGET_DIR/release/missionboard or target/release/missionboard),
# SETTLE (seconds before measuring, default 8), IDLE (seconds measured, default 10).
set -eu
BIN=${BIN:-${CARGO_TARGET_DIR:-target}/release/missionboard}
SETTLE=${SETTLE:-8}
IDLE=${IDLE:-10}
[ -x "$BIN" ] || { echo "no app at $BIN: run cargo build --release first (or set BIN)" >&2; exit 2; }
command -v xvfb-run >/dev/null || { echo "xvfb-run is missing: apt-get install xvfb" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Its own settings and autosaves, so the run neither reads nor changes the user's.
export HOME="$work" XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"
# The app writes its own process id, so only that process is measured and stopped.
xvfb-run -a -s "-screen 0 1280x800x24" sh -c 'echo $$ > "$0/pid"; exec "$@"' "$work" "$BIN" "$@" \
    >"$work/log" 2>&1 &
runner=$!
sleep "$SETTLE"
pid=$(cat "$work/pid" 2>/dev/null || true)
if [ -z "$pid" ] || [ ! -d "/proc/$pid" ]; then
    echo "the app did not start:" >&2
    cat "$work/log" >&2
    exit 1
fi
ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
before=$(ticks)
awk -v t="$before" -v hz="$hz" -v s="$SETTLE" 'BEGIN { printf "CPU while starting (first %d s): %.2f s\n", s, t / hz }'

sleep "$IDLE"
after=$(ticks)
kill "$pid"
wait "$runner" 2>/dev/null || true
awk -v t=$((after - before)) -v hz="$hz" -v s="$IDLE" 'BEGIN {
    cpu = t / hz
    printf "CPU over %d idle seconds: %.2f s (%.1f %% of one core)\n", s, cpu, 100 * cpu / s
}'

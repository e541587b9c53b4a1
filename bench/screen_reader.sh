#!/usr/bin/env bash
# What a screen reader hears: starts Missionboard on a map under Xvfb with the AT-SPI bus on (as
# Orca has it), then reads the accessibility tree through AT-SPI (pyatspi, as Orca does) and
# prints the window's name, how many cards and links it found, and a few of each with what is
# read after the name (the card's links).
#
#   bench/screen_reader.sh [MAP]        (default: the UK sample)
#
# Needs: xvfb at-spi2-core python3-pyatspi dbus-x11 (`apt-get install -y ...`), as root or a user
# with a session bus. BIN=path/to/missionboard overrides the binary (default: a release build).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-target/release/missionboard}
[ -x "$bin" ] || cargo build --release
map=${1:-}
export DISPLAY=:79 XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}
home=$(mktemp -d)
Xvfb :79 -screen 0 1280x720x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null; rm -rf "$home"' EXIT
for _ in $(seq 100); do [ -S /tmp/.X11-unix/X79 ] && break; sleep 0.1; done
HOME=$home BIN=$bin MAP=$map dbus-run-session -- bash -c '
  /usr/libexec/at-spi-bus-launcher --launch-immediately >/dev/null 2>&1 &
  sleep 1.5
  # Accessibility on, as a desktop does when a screen reader runs.
  dbus-send --session --dest=org.a11y.Bus --print-reply /org/a11y/bus \
    org.freedesktop.DBus.Properties.Set string:org.a11y.Status string:IsEnabled variant:boolean:true >/dev/null
  "$BIN" ${MAP:+"$MAP"} >/dev/null 2>&1 &
  sleep 10
  /usr/bin/python3 bench/screen_reader.py
  kill %2 2>/dev/null || true
' 2> >(grep -v dbus-daemon >&2)

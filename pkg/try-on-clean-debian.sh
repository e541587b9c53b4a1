#!/usr/bin/env bash
# Installs the .deb on a clean Debian 12 (a debootstrap'd folder, as root) and checks what a new
# user meets: the package and its dependencies install with apt, the menu entry is valid and
# found by a launcher, a *.mission.ron file is recognised and opens in Missionboard when
# "double-clicked" (gio open, as file managers do). Screenshots go to OUT (default ./clean-try).
#
#   cargo deb && sudo pkg/try-on-clean-debian.sh target/debian/missionboard_*.deb
#
# Needs debootstrap and the network to a Debian mirror; takes a few minutes. Not part of CI.
set -euo pipefail
deb=$(realpath "$1")
out=$(realpath -m "${2:-clean-try}")
root=$(mktemp -d /tmp/missionboard-clean.XXXX)
mkdir -p "$out"
cleanup() {
  for m in dev/shm dev/pts proc; do umount "$root/$m" 2>/dev/null || umount -l "$root/$m" 2>/dev/null || true; done
  # Never delete through a mount (a bind-mounted /dev would lose the host's device nodes).
  if grep -q " $root/" /proc/mounts; then
    echo "still mounted under $root, so it is left in place:" >&2
    grep " $root/" /proc/mounts >&2
  else
    rm -rf "$root"
  fi
}
trap cleanup EXIT
echo "== debootstrap bookworm into $root"
debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >/dev/null
# Its own /proc, pseudo-terminals and shared memory; the host's /dev is never mounted in
# (debootstrap made the basic device nodes).
mount -t proc proc "$root/proc"
mount -t devpts -o newinstance,ptmxmode=0666 devpts "$root/dev/pts"
mount -t tmpfs tmpfs "$root/dev/shm"
cp /etc/resolv.conf "$root/etc/resolv.conf"
cp "$deb" "$root/tmp/missionboard.deb"
here=$(dirname "$(realpath "$0")")
cp "$here/../assets/samples/uk-missions.mission.ron" "$root/root/UK missions.mission.ron"
echo "== a desktop's basics (X, a window manager, a launcher, the MIME database, gio)"
chroot "$root" bash -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  xvfb xauth xdotool imagemagick shared-mime-info desktop-file-utils rofi twm libglib2.0-bin procps >/dev/null'
echo "== apt install ./missionboard.deb"
chroot "$root" bash -c 'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq /tmp/missionboard.deb >/dev/null'
chroot "$root" bash -c '
  set -e
  cd /root
  missionboard --version
  desktop-file-validate /usr/share/applications/missionboard.desktop && echo "desktop entry: valid"
  gio info -a standard::content-type "UK missions.mission.ron" | tail -1
  gio mime application/x-missionboard-map | head -1
  export DISPLAY=:91 HOME=/root XDG_RUNTIME_DIR=/tmp/xdg
  mkdir -p -m 700 $XDG_RUNTIME_DIR
  Xvfb :91 -screen 0 1280x720x24 >/dev/null 2>&1 & sleep 2
  twm >/dev/null 2>&1 & sleep 1
  rofi -show drun -filter missionboard >/dev/null 2>&1 & sleep 3
  import -window root /tmp/menu.png
  pkill -x rofi || true
  gio open "UK missions.mission.ron" 2>/tmp/app.log
  for i in $(seq 30); do xdotool search --name "Missionboard" >/dev/null 2>&1 && break; sleep 1; done
  sleep 5
  echo "window: $(xdotool search --name Missionboard getwindowname | head -1)"
  import -window root /tmp/opened.png
  cat /tmp/app.log
  pkill -x missionboard || true; pkill -x twm || true; pkill -x Xvfb || true
'
cp "$root/tmp/menu.png" "$root/tmp/opened.png" "$out/"
echo "== screenshots: $out/menu.png (the launcher lists Missionboard), $out/opened.png (the map opened)"

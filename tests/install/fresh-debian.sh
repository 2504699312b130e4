#!/bin/bash
# Installs the .deb that CPack makes into a freshly bootstrapped Debian 12 (minbase, nothing else),
# without recommended packages, then starts the window as an unprivileged user on the installed
# sample (offscreen, a picture taken) and reads the sample with chronoscope-cli: the check that the
# package's dependencies are complete and that it launches. Needs root and Debian's mirror.
#
#   cd build/release && cpack && sudo ../../tests/install/fresh-debian.sh chronoscope_*.deb [DIR]
#
# DIR (default: a new temporary folder) keeps the bootstrapped system for another run; the
# picture is written to ./fresh-debian.png.
set -euo pipefail
deb=$(realpath "$1")
dir=${2:-$(mktemp -d)}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
if [ ! -x "$dir/usr/bin/apt-get" ]; then
  echo "== debootstrap bookworm (minbase) into $dir"
  debootstrap --variant=minbase bookworm "$dir" "$mirror" >"$dir.debootstrap.log" 2>&1 ||
    { tail -20 "$dir.debootstrap.log"; exit 1; }
fi
mount -t proc proc "$dir/proc"
trap 'umount "$dir/proc" || true' EXIT
cp "$deb" "$dir/tmp/"
echo "== apt-get install $(basename "$deb") (no recommends)"
chroot "$dir" apt-get update -qq
chroot "$dir" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  "/tmp/$(basename "$deb")" >"$dir/tmp/install.log" 2>&1 || { tail -30 "$dir/tmp/install.log"; exit 1; }
grep -c '^Setting up' "$dir/tmp/install.log" | sed 's/^/packages set up: /'
echo "== chronoscope-cli info on the installed sample"
chroot "$dir" chronoscope-cli info /usr/share/chronoscope/sample-store.chronoscope
echo "== the window, as user nobody, offscreen"
rm -f "$dir/tmp/fresh.png"
chroot "$dir" su nobody -s /bin/sh -c \
  'cd /tmp && HOME=/tmp XDG_RUNTIME_DIR=/tmp QT_QPA_PLATFORM=offscreen chronoscope --screenshot /tmp/fresh.png --size 1366x768 --workspace explore'
test -s "$dir/tmp/fresh.png"
cp "$dir/tmp/fresh.png" ./fresh-debian.png
echo "== launched: ./fresh-debian.png"

#!/bin/bash
# usage: tests/bench/windowpeer.sh STORE  (from the repository root, after a release build)
# The window next to its everyday peer, DB Browser for SQLite (`sqlitebrowser -t events STORE`),
# under one Xvfb (1366x768): for each, the time from start to a mapped window, to the first frame
# that is not blank (>= 50 colours: rows and docks drawn), and to a screen that stopped changing
# for 1.5 s (cap 120 s); screenshots of the first frame and of the last in ${PEER_SHOTS:-/tmp}/peer-*.xwd.
# Needs: apt-get install sqlitebrowser xvfb xdotool x11-apps imagemagick bc
# Both programs open the file as a person would (read-write): give it a copy.
STORE=$1
Xvfb :77 -screen 0 1366x768x24 >/dev/null 2>&1 & XPID=$!
sleep 1
export DISPLAY=:77
run() { # name, command...
  local name=$1; shift
  local t0=$(date +%s.%N)
  "$@" >/dev/null 2>&1 & local PID=$!
  xdotool search --sync --onlyvisible --pid $PID >/dev/null 2>&1
  local t1=$(date +%s.%N)
  local last="" lastChange=$t1 now colours=0 firstPaint=""
  while true; do
    now=$(date +%s.%N)
    xwd -root -silent > /tmp/peer-now.xwd
    h=$(md5sum < /tmp/peer-now.xwd)
    if [ "$h" != "$last" ]; then last=$h; lastChange=$now; colours=$(/usr/bin/convert xwd:/tmp/peer-now.xwd -format %k info:); if (( colours >= 50 )) && [ -z "$firstPaint" ]; then firstPaint=$now; cp /tmp/peer-now.xwd ${PEER_SHOTS:-/tmp}/peer-$name-first.xwd; fi; fi
    # settled: unchanged for 1.5 s and not a blank (black) window
    if (( colours >= 50 )) && (( $(echo "$now - $lastChange > 1.5" | bc) )); then break; fi
    if (( $(echo "$now - $t0 > 120" | bc) )); then break; fi
    sleep 0.1
  done
  xwd -root -silent > ${PEER_SHOTS:-/tmp}/peer-$name.xwd
  echo "$name: window mapped $(echo "$t1 - $t0" | bc) s, first painted $(echo "$firstPaint - $t0" | bc) s, screen settled $(echo "$lastChange - $t0" | bc) s"
  kill $PID; wait $PID 2>/dev/null
}
run sqlitebrowser sqlitebrowser -t events "$STORE"
run chronoscope "$(dirname "$0")/../../build/release/app/chronoscope" "$STORE"
kill $XPID

#!/bin/bash
# usage: tests/bench/windowmemory.sh STORE [SIZE]  (from the repository root, after a release build)
# Opens the window offscreen on STORE (use a copy: the window opens it read-write), waits until
# the projections have caught up, selects the longest cart stream and moves its state slider
# (as the screenshot does), then prints one JSON line: settledMs (time to catch up, -1 when not
# within ten minutes), the process's memory in KiB from /proc/self/smaps_rollup (Rss, Pss,
# Private_Dirty, Anonymous, ...) and storeMappings (mappings of the store file).
STORE=$1
SIZE=${2:-1366x768}
OUT=$(mktemp --suffix=.png)
QT_QPA_PLATFORM=offscreen "$(dirname "$0")/../../build/release/app/chronoscope" "$STORE" \
    --screenshot "$OUT" --size "$SIZE" --memory-report 2>/dev/null
rm -f "$OUT"

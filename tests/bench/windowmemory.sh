#!/bin/bash
# usage: tests/bench/windowmemory.sh STORE SECONDS  (from the repository root, after a release build)
# Opens the window offscreen on STORE, waits SECONDS (projections catching up), then prints its
# Rss, Pss, Private_Dirty and Anonymous (/proc/PID/smaps_rollup), its thread count and how many
# mappings of the store file it holds.
STORE=$1
S=$2
QT_QPA_PLATFORM=offscreen "$(dirname "$0")/../../build/release/app/chronoscope" "$STORE" >/dev/null 2>&1 &
PID=$!
sleep "$S"
grep -E "^(Rss|Pss|Private_Dirty|Anonymous):" /proc/$PID/smaps_rollup
echo "threads: $(ls /proc/$PID/task | wc -l)"
echo "mappings of the store file: $(grep -c "$(basename "$STORE")\$" /proc/$PID/maps)"
kill $PID
wait $PID 2>/dev/null

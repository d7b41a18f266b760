#!/bin/sh
# `make demo` without a terminal (as in CI): the simulator, the engine and a
# non-interactive look at what the console would show, then everything stops.
BUILD=${1:-build}
. tests/integration/lib.sh
t_tmp
timeout 90 sh tests/demo.sh "$BUILD" </dev/null >"$T/demo.out" 2>&1 || { cat "$T/demo.out"; t_fail "demo failed"; }
t_expect_grep 'demo: simulator up, NRF at http://127\.0\.0\.1:' "$T/demo.out"
t_expect_grep 'demo: engine up' "$T/demo.out"
t_expect_grep 'beilun-heavy' "$T/demo.out"
t_expect_grep 'bhm-crane-rc' "$T/demo.out"
t_expect_grep ' NRF +REGISTERED' "$T/demo.out"
# the simulator plays the demo timeline with the engine's short windows
t_expect_grep 'demo: playing etc/timeline-demo.txt \(30 s SLA windows\)' "$T/demo.out"
t_expect_grep '"timeline":\{"file":"[^"]*timeline.txt".*"kind":"slice-latency"' "$T/demo.out"
# nothing left behind: the demo's own directory is gone, its processes too
dir=$(sed -n 's/.*socket \(\/tmp\/slicedeck-demo\.[A-Za-z0-9]*\)\/.*/\1/p' "$T/demo.out" | head -1)
[ -n "$dir" ] && [ ! -e "$dir" ] || t_fail "demo directory $dir left behind"
if pgrep -f "$dir" >/dev/null 2>&1; then t_fail "demo processes left running"; fi
echo "demo_noninteractive: ok"

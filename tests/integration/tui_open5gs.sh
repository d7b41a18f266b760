#!/bin/sh
# The console in a real terminal (tmux) against an engine attached to
# slicedeck-sim --profile open5gs-like (issue 9, items 4 and 6):
#  - the engine view lists the data sources, the NWDAF and the event
#    exposure APIs missing, and why;
#  - the slice detail says why its UEs, sessions, load and TAs are empty,
#    and calls an SMF that serves other S-NSSAIs too shared, not dedicated;
#  - the NFs view has no NAME column (the core names no NF);
#  - the SLA view's NO_DATA values sit under their header, not at the
#    right edge of the terminal.
BUILD=${1:-build}
. tests/integration/lib.sh
t_tmp
command -v tmux >/dev/null || t_fail "tmux is not installed (make check installs it)"

t_sample_conf "$T/sd.conf" poll_interval=2
t_start sim "$BUILD/slicedeck-sim" -c "$T/sd.conf" --listen 127.0.0.1:0 --heartbeat 2 \
	--control "$T/sim.ctl" --profile open5gs-like
t_wait_log sim '^NRF http' 10
NRF=$(sed -n 's/^NRF //p' "$T/sim.log" | head -1)
t_start engine "$BUILD/slicedeckd" -c "$T/sd.conf" --socket "$T/sd.sock" \
	--state-dir "$T/state" --nrf "$NRF" --stderr
t_wait_file "$T/sd.sock" 10

TUI_COLS=160 TUI_ROWS=36
. tests/integration/lib_tmux.sh
console sd LANG=C.UTF-8 "$BUILD/slicedeck" --socket "$T/sd.sock" -r 1 --view engine
wait_screen 'engine connected' 10

# --- the engine view ---------------------------------------------------------------------
wait_screen '^ engine +\(5/5\)' 10
wait_screen 'SOURCE +FOUND +STATE +LAST_OK' 5
wait_screen '^ NRF +yes +ok ' 10
wait_screen '^ NWDAF analytics +no +missing .*no NWDAF in this core' 5
wait_screen '^ AMF event exposure +no +missing .*no AMF in this core offers namf-evts' 5

# --- the NFs view without names ------------------------------------------------------------
key : n f s Enter
wait_screen '^ nfs +\([0-9]+/[0-9]+\)' 5
wait_screen 'TYPE.? +STATUS +LOAD%' 5
no_screen ' NAME '

# --- the slice detail: why figures are missing; a shared SMF --------------------------------
key : s l i c e s Enter
wait_screen '^ slices +\(' 5
key / '^bhm-weld-qc' Enter
wait_screen '^ slices +\(1/' 5
key Enter
wait_screen 'slices › slice:bhm-weld-qc' 5
wait_screen 'missing: UEs \(no AMF in this core offers namf-evts\)' 10
wait_screen 'load \(no NWDAF in this core\)' 5
wait_screen 'SMF .*shared with [0-9]+ other S-NSSAIs' 5
no_screen 'dedicated'
key Escape

# --- the SLA view: NO_DATA under its header ---------------------------------------------
key : s l a Enter
wait_screen 'SLICE. +FACTORY +KPI +LAST +OBSERVED' 10
wait_screen 'not judged' 10
screen >"$T/sla.txt"
python3 - "$T/sla.txt" <<'EOF' || { cat "$T/sla.txt"; t_fail "SLA view columns misaligned"; }
import sys
lines = open(sys.argv[1]).read().splitlines()
head = next(l for l in lines if "NO_DATA" in l)
end = head.index("NO_DATA") + len("NO_DATA")
rows = [l for l in lines if "not judged" in l]
assert rows, "no rows"
for r in rows:
    # the row's last cell ends where the header does, nothing beyond
    assert r[:end].rstrip() == r.rstrip(), "a value right of NO_DATA: %r" % r
    assert r[end - 1] != " ", "nothing under NO_DATA: %r" % r
EOF
key q
wait_screen 'CONSOLE-EXITED rc=0' 5
t_stop engine || t_fail "engine did not stop"
t_stop sim || t_fail "sim did not stop"
echo "tui_open5gs: ok"

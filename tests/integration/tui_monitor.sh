#!/bin/sh
# The console's monitoring views in a real terminal (tmux) against the
# engine and slicedeck-sim: an NF fault raises a critical alarm that the
# alarms view lists (live, from the alarms topic) and the operator acks with
# "a" (a --readonly console is told why it may not); the cleared alarm shows
# with C; the SLA view lists slice KPIs and drills to the slice; the
# coverage view lists the sites, and after a walk-test import Enter shows the
# site's heat map (ASCII glyphs without UTF-8) with its hole listed below;
# before it, a site's map is all predicted squares, drawn and labelled so.
BUILD=${1:-build}
. tests/integration/lib.sh
t_tmp
command -v tmux >/dev/null || t_fail "tmux is not installed (make check installs it)"

sed -e 's/^\([[:space:]]*poll_interval[[:space:]]*=\).*/\1 2;/' etc/slicedeck.conf >"$T/sd.conf"
chmod 0600 "$T/sd.conf"
grep -Eq 'poll_interval[[:space:]]*= 2;' "$T/sd.conf" || t_fail "could not set poll_interval in the test config"
# the sim's cells get NCIs the engine does not know: its NWDAF cell radio
# (RSRP_MEAN/SINR_MEAN) is then ignored and coverage comes from the walk test only
sed 's/nci = "0/nci = "f/' "$T/sd.conf" >"$T/sim.conf"
chmod 0600 "$T/sim.conf"
t_start sim "$BUILD/slicedeck-sim" -c "$T/sim.conf" --listen 127.0.0.1:0 --heartbeat 2 --seed 7 \
	--control "$T/sim.ctl"
t_wait_log sim '^NRF http' 10
NRF=$(sed -n 's/^NRF //p' "$T/sim.log" | head -1)
t_start engine "$BUILD/slicedeckd" -c "$T/sd.conf" --socket "$T/sd.sock" \
	--state-dir "$T/state" --nrf "$NRF" --stderr
t_wait_file "$T/sd.sock" 10
simctl() { "$BUILD/slicedeck-sim" --control "$T/sim.ctl" --send "$*" >/dev/null || t_fail "sim control: $*"; }

TUI_COLS=130 TUI_ROWS=36
. tests/integration/lib_tmux.sh

console sd LANG=C.UTF-8 "$BUILD/slicedeck" --socket "$T/sd.sock" -r 1 --view overview
wait_screen 'engine connected' 10
wait_screen 'SLA month +(no window judged yet this month|[0-9.]+% of judged windows met)' 10

# --- alarms: raised live, acked with a, cleared shown with C ------------------------
key : a l Enter
wait_screen '^ alarms +\(0/0\)' 5
wait_screen 'active alarms in your scope' 5
simctl "fault nf-down:nf=smf-1"   # one of the pair: no slice loses its SMF
wait_screen '^ +[0-9]+ +critical +.*nf=' 30          # pushed: no key pressed
wait_screen '^ alarms +\(1/1\)' 5
no_screen 'acked by'
key a
wait_screen 'alarm [0-9]+ acked by ' 10
wait_screen 'critical .* root +acked ' 10
# help lists the new keys, generated from the binding table
key '?'
wait_screen '^ a +alarms view: acknowledge' 5
wait_screen '^ C +alarms view: show / hide cleared' 5
key / X . 7 3 3 Enter
wait_screen ':alarms +X.733 alarms' 5
key Escape Escape
wait_screen '^ alarms +\(1/1\)' 5
simctl clear
wait_screen '^ alarms +\(0/0\)' 40                    # cleared: gone from the active list
key C
wait_screen 'all alarms in your scope' 5
wait_screen ' cleared +nf=.*nf-unreachable .* cleared ' 10
key a
wait_screen 'alarm [0-9]+ is cleared' 5
key C
wait_screen '^ alarms +\(0/0\)' 5

# a read-only console may look but not ack
S=ro
console ro LANG=C.UTF-8 "$BUILD/slicedeck" --socket "$T/sd.sock" -r 1 --readonly --view alarms
wait_screen 'read-only' 10
key C
wait_screen ' cleared +nf=.*nf-unreachable .* cleared ' 10
key a
wait_screen 'read-only console \(--readonly\): no acknowledging' 5
key q
wait_screen 'CONSOLE-EXITED rc=0' 5
S=sd

# --- SLA: one row per slice and KPI, Enter drills to the slice -------------------------
key : s l a Enter
wait_screen '^ sla +\(1[5-9]/' 10                 # at least one row per slice
wait_screen 'SLICE. +FACTORY +KPI +LAST +OBSERVED' 5
# before the first 1-minute window closes a slice is "not judged"
wait_screen '^ bhm-crane-rc +beilun-heavy +([a-z_0-9]+ +(met|breached|no-data)|- +not judged) ' 10
key Enter
wait_screen 'sla › slice:bhm-crane-rc' 5
wait_screen 'SLA last window:' 5
key Escape
wait_screen '^ sla +\(' 5

# --- coverage: sites, then a walk test and its heat map ---------------------------------
key : c o v Enter
wait_screen '^ coverage +\(8/8\)' 10
# before any walk test every square is predicted (no cell reports here:
# from the configuration alone); the map says which squares are predicted
wait_screen 'bhm-works +beilun-heavy +0 +- +100\.0 +0 +- +2400 +100\.0 +95\.0 +ok ' 5
key / '^bhm-yard' Enter
wait_screen '^ coverage +\(1/8\)' 5
key Enter
wait_screen 'coverage › heatmap:bhm-yard' 5
wait_screen 'measured 0 squares .* predicted 750 squares .*TR 38\.901 UMi' 10
wait_screen 'no walk test for this site yet: every square is predicted' 5
wait_screen '^ [,:=o]{40,}' 5
wait_screen 'predicted o failing +, fair +: good += excellent' 5
wait_screen 'bhm-y1 +cell +- +UMi, no report yet' 5
# no measured glyph on the map rows (the legend shows them)
no_screen '^ [·░▒▓█,:=o]*[░▒▓█][·░▒▓█,:=o]*$'
key Escape
wait_screen '^ coverage +\(1/8\)' 5
key Escape
wait_screen '^ coverage +\(8/8\)' 5
python3 - "$T/walk.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("time,x,y,cell,rsrp,sinr\n")
    t = 1795428000
    for x in range(5, 600, 10):
        for y in range(5, 400, 10):
            bad = 420 <= x <= 480 and 50 <= y <= 110
            f.write("%d,%d,%d,%s,%d,%d\n" % (t, x, y, "bhm-w3" if x > 400 else "bhm-w1",
                                              -118 if bad else -88, -3 if bad else 12))
            t += 1
PY
"$BUILD/slicedeck" --socket "$T/sd.sock" coverage import "$T/walk.csv" --site bhm-works >"$T/import.txt" 2>&1 ||
	{ cat "$T/import.txt"; t_fail "walk-test import"; }
wait_screen 'bhm-works +beilun-heavy +2400 +98\.5 +98\.5 +2400 +98\.5 +0 +- +95\.0 +ok +[0-9]+ +1 ' 10
key / '^bhm-works' Enter
wait_screen '^ coverage +\(1/8\)' 5
key Enter
wait_screen 'coverage › heatmap:bhm-works' 5
wait_screen 'bhm-works .* 2400 samples +share 98\.5%' 10
wait_screen 'legend .*failing' 5
wait_screen '[▓█]{40,}' 5
screen | grep -q '░' || t_fail "the hole does not show on the heat map"
wait_screen 'hole 1 +hole, measured +[0-9]+ +[0-9]+ squares' 5
# the map fills the terminal: 36 lines - 7 - the list below (header + 1 hole + weak cells)
rows=$(screen | grep -Ec '^ [·░▒▓█]{100,}')
[ "$rows" -ge 20 ] || { screen; t_fail "heat map only $rows rows high"; }
key q
wait_screen 'CONSOLE-EXITED rc=0' 5

# ASCII fallback: the same map in ' ', x, -, +, #
S=asc
console asc LANG=C LC_ALL=C "$BUILD/slicedeck" --socket "$T/sd.sock" -r 1 --view coverage
wait_screen 'bhm-works' 10
key / '^bhm-works' Enter
wait_screen '^ coverage +\(1/8\)' 5
key Enter
wait_screen 'legend .* x failing +- fair +\+ good +# excellent' 10
wait_screen '[+#]{40,}' 5
screen | grep -Eq '^ [-+# x]*x[-+# x]*$' || { screen; t_fail "no failing square (x) on the ASCII map"; }
no_screen '░|▓|█'
key q
wait_screen 'CONSOLE-EXITED rc=0' 5
echo "tui_monitor: ok"

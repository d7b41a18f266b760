#!/bin/sh
# The console in a real terminal (tmux) against the engine and slicedeck-sim:
# views by key and by ":" command (with Tab completion), the "/" filter
# (substring, regex, inverse, a bad regex), sorting and reversing, the mouse
# (header click sorts, click-click drills down, tab click switches), drilling
# down factory > slices > slice (KPI sparklines, serving NFs and cells) > NF
# and back with Esc along the breadcrumb, the help screen, a 250x70 wall
# screen and 80x24, the overview following an NF failure (NFs down, alarm by
# severity), the prod theme against NO_COLOR, the ASCII fallback.
BUILD=${1:-build}
. tests/integration/lib.sh
t_tmp
command -v tmux >/dev/null || t_fail "tmux is not installed (make check installs it)"

sed -e 's/^\([[:space:]]*poll_interval[[:space:]]*=\).*/\1 1;/' etc/slicedeck.conf >"$T/sd.conf"
chmod 0600 "$T/sd.conf"
t_start sim "$BUILD/slicedeck-sim" -c "$T/sd.conf" --listen 127.0.0.1:0 --heartbeat 2 --seed 7 \
	--control "$T/sim.ctl"
t_wait_log sim '^NRF http' 10
NRF=$(sed -n 's/^NRF //p' "$T/sim.log" | head -1)
t_start engine "$BUILD/slicedeckd" -c "$T/sd.conf" --socket "$T/sd.sock" \
	--state-dir "$T/state" --nrf "$NRF" --stderr
t_wait_file "$T/sd.sock" 10

. tests/integration/lib_tmux.sh
first_row() { screen | sed -n 5p; }   # title, tabs, crumb, header, row 1

console sd LANG=C.UTF-8 "$BUILD/slicedeck" --socket "$T/sd.sock" -r 1 --view factories --theme prod
wait_screen 'PRODUCTION' 10
wait_screen 'xiapu-textile' 5
wait_screen 'factories +\(6/6\)' 5

# --- filter: substring, inverse, regex, bad regex ---------------------------
key / s t e e l
wait_screen 'factories +\(1/6\) +filter /steel/' 5
no_screen 'beilun-heavy'
key Escape
wait_screen 'factories +\(6/6\)' 5
key / '!' s t e e l Enter
wait_screen '\(5/6\) +filter /!steel/' 5
no_screen 'xingang-steel'
screen | grep -q beilun-heavy || t_fail "inverse filter hid beilun-heavy"
key Escape
wait_screen 'factories +\(6/6\)' 5
key s
wait_screen 'bhm-crane-rc' 5
key / '^(bhm|xgs)-' Enter
wait_screen 'slices +\(6/15\)' 5
screen | grep -q 'xgs-ohc-rc' || t_fail "regex filter lost xgs-ohc-rc"
no_screen 'zhp-gas'
key Escape / '(' Enter
wait_screen 'bad regex' 5
key Escape
wait_screen 'slices +\(15/15\)' 5

# --- sort: by id, reversed by pressing its number again, :sort, R ------------
first_row | grep -q 'bhm-crane-rc' || { screen; t_fail "slices not sorted by id"; }
key 1
wait_screen 'ID▼' 5
first_row | grep -q 'zhp-patrol' || { screen; t_fail "1 did not reverse the id order"; }
key : s o r t ' ' s t a t e Enter
wait_screen 'STATE▲' 5
first_row | grep -q ' active ' || { screen; t_fail ":sort state"; }
key R
wait_screen 'STATE▼' 5
first_row | grep -q 'zhp-diag .*requested' || { screen; t_fail "R did not reverse"; }

# --- mouse, as xterm reports it (SGR 1006: button;x;y, 1-based) --------------------
mouse() {  # X Y: press and release button 1
	key -l "$(printf '\033[<0;%s;%sM' "$1" "$2")"
	key -l "$(printf '\033[<0;%s;%sm' "$1" "$2")"
}
mouse 3 4                      # the ID header
wait_screen 'ID▲' 5
first_row | grep -q 'bhm-crane-rc' || { screen; t_fail "header click did not sort by id"; }
mouse 5 6                      # the second row: selects
mouse 5 6                      # again: drills down
wait_screen 'slices › slice:bhm-pdm' 5
key Escape
wait_screen '^ slices +\(15/15\)' 5
key -l "$(printf '\033[<65;5;8M')"   # the wheel does not break anything
mouse 15 2                     # the "factories" tab
wait_screen '^ factories +\(6/6\)' 5

# --- drill down and back ----------------------------------------------------------
key f g
wait_screen 'factories +\(6/6\)' 5
key Enter
wait_screen 'factories › slices:beilun-heavy +\(3/3\)' 5
no_screen 'xgs-'
key Enter
wait_screen 'slice:bhm-crane-rc' 5
wait_screen 'serving NFs and cells' 5
wait_screen 'upf-beilun-heavy +NF +UPF' 5
wait_screen 'bhm-y1 +cell +bhm-yard' 5
wait_screen 'DELAY_MS +[▁▂▃▄▅▆▇█]+ +now [0-9]' 10
# the engine's 1-minute KPI history ("kpi" operation) as charts below
wait_screen 'LAT_MS 1h +[▁▂▃▄▅▆▇█ ]*[▁▂▃▄▅▆▇█] +last [0-9.]+ +min [0-9.]+ +max [0-9]' 15
wait_screen 'P99_MS 1h +[▁▂▃▄▅▆▇█ ]*[▁▂▃▄▅▆▇█] +last [0-9]' 5
wait_screen 'UES 1h +[▁▂▃▄▅▆▇█ ]*[▁▂▃▄▅▆▇█] +last [0-9]' 5
screen | grep -q 'upf-xingang-steel' && t_fail "another factory's UPF serves this slice?"
key g Enter
wait_screen 'slice:bhm-crane-rc › nfs +\(1/14\) +filter /amf/' 5
key Escape
wait_screen 'slice:bhm-crane-rc +\(' 5
key Escape
wait_screen '^ factories › slices:beilun-heavy +\(3/3\)' 5
key Escape
wait_screen '^ factories +\(6/6\)' 5

# --- command mode: completion, aliases, errors -------------------------------------
key : o v e Tab
wait_screen '^:overview *$' 5
key Enter
wait_screen 'scenarios +remote-control' 5
key : f a Tab
wait_screen 'factories fac factory' 5
wait_screen '^:fac$' 5
key Enter
wait_screen '^ factories +\(6/6\)' 5
key : n f Enter
wait_screen 'nfs +\(14/14\)' 5
key : c e l l Enter
wait_screen 'cells +\(15/15\)' 5
wait_screen '460-00-0a1002001' 5
key : s i t e Enter
wait_screen 'bhm-yard' 5
key : b o g u s Enter
wait_screen 'unknown command "bogus"' 5

# --- help, generated from the bindings ------------------------------------------------
key '?'
wait_screen 'Enter Right l +drill down' 5
wait_screen 'Esc Left h' 5
key Escape
wait_screen '^ sites +\(8/8\)' 5

# --- a wall screen and a laptop ------------------------------------------------------------
key n
TM resize-window -t sd -x 250 -y 70 2>/dev/null || TM resize-pane -t sd -x 250 -y 70
wait_screen 'INSTANCE' 5
wait_screen 'upf-zhenhai-petro' 5
TM resize-window -t sd -x 80 -y 24 2>/dev/null || TM resize-pane -t sd -x 80 -y 24
wait_screen 'engine connected' 5
wait_screen '^ nfs +\(14/14\)' 5
[ "$(screen | wc -l)" -le 24 ] || t_fail "more than 24 lines after the resize"

# --- the overview follows the zone: an NF goes down, an alarm is raised ----------------
key o
wait_screen 'alarms +critical 0 . major 0 . minor 0 . warning 0' 5
"$BUILD/slicedeck-sim" --control "$T/sim.ctl" --send "fault nf-down:nf=smf-1" >/dev/null || t_fail "fault injection"  # one of the SMF pair: one NF alarm, no slice loses its SMF
wait_screen 'NFs +13 up . 1 down' 30
wait_screen 'alarms +critical 1 ' 30
"$BUILD/slicedeck-sim" --control "$T/sim.ctl" --send "clear" >/dev/null

# --- the production theme is coloured; NO_COLOR is not; ASCII without UTF-8 -------------
TM capture-pane -e -p -t sd >"$T/prod.txt"
grep -q "$(printf '\033')\[[0-9;]*4[0-7]m" "$T/prod.txt" || t_fail "prod theme without background colour"
key : q Enter
wait_screen 'CONSOLE-EXITED rc=0' 5

S=mono
console mono NO_COLOR=1 LANG=C LC_ALL=C "$BUILD/slicedeck" --socket "$T/sd.sock" -r 1 --view slices
wait_screen 'bhm-crane-rc' 10
wait_screen '^ \* engine connected' 5
wait_screen 'ID\^' 5
no_screen '●|▲'
TM capture-pane -e -p -t mono >"$T/mono.txt"
if grep -q "$(printf '\033')\[[0-9;]*[34][0-7]m" "$T/mono.txt"; then t_fail "colour despite NO_COLOR"; fi
key Enter
wait_screen 'DELAY_MS +[-_.,=+*#]+ +now' 10
key q
wait_screen 'CONSOLE-EXITED rc=0' 5
echo "tui_nav: ok"

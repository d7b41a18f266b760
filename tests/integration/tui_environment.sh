#!/bin/sh
# Issue 10, item 5, in a real 80x24 terminal: the console's theme follows
# the engine's engine.environment (sent in hello), not the socket path (a
# private socket used to mean "lab" whatever the engine was); it changes
# when the console reconnects to an engine in another environment; the
# tab bar keeps "? help" visible at 80 columns; a sub-minute SLA window is
# shown in the title bar. And the sample config's five example users and
# groups that do not exist are one log line at start, all five under -t.
BUILD=${1:-build}
. tests/integration/lib.sh
t_tmp
. tests/integration/lib_tmux.sh
unset SLICEDECK_THEME NO_COLOR

mkconf() {  # $1 = file, $2 = environment
	t_sample_conf "$1" 'nrf="http://127.0.0.1:9"' "environment=\"$2\""
	printf '%s\n' 'monitor = { sla = { window_s = 30; }; };' >>"$1"
}
mkconf "$T/prod.conf" production
mkconf "$T/lab.conf" lab
mkconf "$T/train.conf" training

# --- warnings: one line at start, every one under -t ----------------------
"$BUILD/slicedeckd" -t "$T/prod.conf" >"$T/check.out" 2>"$T/check.err" || t_fail "-t failed"
n=$(grep -c '^warning: .*prod.conf:[0-9]*: access.rules\[[0-4]\]: .* does not exist' "$T/check.err")
[ "$n" -eq 5 ] || { cat "$T/check.err"; t_fail "slicedeckd -t showed $n of the 5 warnings"; }

t_start engine "$BUILD/slicedeckd" -c "$T/prod.conf" --socket "$T/sd.sock" \
	--state-dir "$T/state" --stderr
t_wait_file "$T/sd.sock" 10
t_wait_log engine 'ready' 10
n=$(grep -c 'does not exist (yet)' "$T/engine.log")
[ "$n" -eq 1 ] || t_fail "the start logged $n lines about missing users and groups, not one"
# 5 rules naming missing users and groups, and the sample's 3 factories
# without a factory rule
t_expect_grep '8 configuration warnings, the first: .*prod.conf:[0-9]+: access.rules\[0\].*slicedeckd -t' "$T/engine.log"

# --- production on a private socket: the loud theme -----------------------
TUI_COLS=80 TUI_ROWS=24 console sd LANG=C.UTF-8 "$BUILD/slicedeck" --socket "$T/sd.sock" -r 1
wait_screen 'PRODUCTION' 10
wait_screen 'SLA window 30s' 5
# the tab bar (second line) ends in "? help", whole, within 80 columns
screen | sed -n 2p | grep -q '? help *$' || { screen; t_fail "the tab bar cuts off ? help at 80 columns"; }
screen | sed -n 2p | grep -q 'overview' || { screen; t_fail "no tabs"; }

# --- the engine restarts as a lab, then a training engine ------------------
t_stop engine || t_fail "engine did not stop"
t_start engine2 "$BUILD/slicedeckd" -c "$T/lab.conf" --socket "$T/sd.sock" \
	--state-dir "$T/state" --stderr
wait_screen ' lab$' 20
no_screen 'PRODUCTION'
t_stop engine2 || t_fail "engine did not stop"
t_start engine3 "$BUILD/slicedeckd" -c "$T/train.conf" --socket "$T/sd.sock" \
	--state-dir "$T/state" --stderr
wait_screen 'TRAINING' 20
# the user's choice wins over the engine's word
key ':' 'theme prod' Enter
wait_screen 'PRODUCTION' 5
key q
wait_screen 'CONSOLE-EXITED rc=0' 5

# a bad environment is a file:line error
printf 'engine = { environment = "staging"; };\n' >"$T/bad.conf"
cat "$T/prod.conf" | sed '/^engine = {/,/^};/d' >>"$T/bad.conf"
chmod 600 "$T/bad.conf"
if "$BUILD/slicedeckd" -t "$T/bad.conf" >"$T/bad.out" 2>&1; then t_fail "staging accepted"; fi
t_expect_grep 'bad.conf:1: engine.environment: .*production, lab, training' "$T/bad.out"
t_stop engine3 || t_fail "engine did not stop"
echo "tui_environment: ok"

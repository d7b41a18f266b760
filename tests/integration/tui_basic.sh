#!/bin/sh
# The console in a real terminal (tmux) against a real engine (no 5G core):
# the overview, the factories and slices views, movement keys, a stalled
# engine not freezing it, the engine going away and coming back (banner,
# reconnect), a narrow terminal, q, and the terminal restored after SIGSEGV.
BUILD=${1:-build}
. tests/integration/lib.sh
t_tmp
command -v tmux >/dev/null || t_fail "tmux is not installed (make check installs it)"

sed -e 's/^\([[:space:]]*poll_interval[[:space:]]*=\).*/\1 60;/' \
    -e 's|^\([[:space:]]*nrf[[:space:]]*=\).*|\1 "http://127.0.0.1:9";|' \
    etc/slicedeck.conf >"$T/sd.conf"
chmod 0600 "$T/sd.conf"

start_engine() {
	t_start engine "$BUILD/slicedeckd" -c "$T/sd.conf" --socket "$T/sd.sock" \
		--state-dir "$T/state" --stderr
	t_wait_file "$T/sd.sock" 10
}
start_engine

SOCK="$T/tmux.sock"
TM() { tmux -S "$SOCK" "$@"; }
t_on_exit() { TM kill-server 2>/dev/null; return 0; }
TM new-session -d -s sd -x 120 -y 32 \
	"env TERM=xterm-256color LANG=C.UTF-8 $BUILD/slicedeck --socket $T/sd.sock -r 1; echo CONSOLE-EXITED rc=\$?; sleep 30"

screen() { TM capture-pane -p -t sd; }
wait_screen() {  # REGEX SECONDS
	i=0; lim=$(( $2 * 10 ))
	until screen | grep -Eq -- "$1"; do
		i=$((i + 1))
		if [ $i -ge $lim ]; then screen; t_fail "screen never showed /$1/"; fi
		sleep 0.1
	done
}
key() { TM send-keys -t sd "$@"; }

# the first screen: the zone at a glance
wait_screen 'operator view: all factories' 10
wait_screen 'factories +6: ' 5
wait_screen 'slices +15: ' 5
screen >"$T/screen1.txt"
[ -n "${SD_KEEP_SCREEN:-}" ] && cp "$T/screen1.txt" "$SD_KEEP_SCREEN"
t_expect_grep 'engine connected' "$T/screen1.txt"
t_expect_grep 'security +grade' "$T/screen1.txt"
wait_screen '8 sites . 15 cells' 5

# f: factories, every one of them
key f
wait_screen 'beilun-heavy' 5
wait_screen 'xiapu-textile' 5
# s: slices with S-NSSAIs
key s
wait_screen 'bhm-crane-rc +beilun-heavy +2-0a0001' 5

# movement keys do not break anything; End reaches the last row (sorted by id)
key j j k G
sleep 0.3
screen | grep -q 'zhp-patrol' || t_fail "End key lost the last slice"

# a stalled engine (SIGSTOP) does not freeze the console: keys still work
kill -STOP "$(t_pid engine)"
key f
wait_screen '^ factories +\(6/6\)' 5
key s
wait_screen '^ slices +\(15/15\)' 5
kill -CONT "$(t_pid engine)"

# the engine goes away: banner, no hang; it comes back: reconnect
t_stop engine
wait_screen 'lost the engine connection|engine unreachable' 10
wait_screen 'DISCONNECTED' 5
start_engine
wait_screen 'engine connected' 15
wait_screen 'bhm-crane-rc' 5

# a narrow terminal still works
TM resize-window -t sd -x 80 -y 24 2>/dev/null || TM resize-pane -t sd -x 80 -y 24
sleep 0.5
wait_screen 'bhm-crane-rc' 5

key q
wait_screen 'CONSOLE-EXITED rc=0' 5

# a crash (SIGSEGV) still restores the terminal: the alternate screen is
# left and the tty is back in canonical mode with echo
TM new-session -d -s crash -x 100 -y 30 \
	"sh -c 'echo \$\$ >$T/console.pid; exec env TERM=xterm-256color $BUILD/slicedeck --socket $T/sd.sock'; echo CONSOLE-EXITED rc=\$?; echo TTY \$(stty -a | tr ' ;' '\n\n' | grep -Ex -- '-?(icanon|echo)') END; sleep 30"
i=0
until TM capture-pane -p -t crash | grep -q 'engine connected'; do
	i=$((i + 1)); [ $i -gt 100 ] && t_fail "crash console did not start"; sleep 0.1
done
kill -SEGV "$(cat "$T/console.pid")"
i=0
until TM capture-pane -p -t crash | grep -q 'END$'; do
	i=$((i + 1)); [ $i -gt 100 ] && { TM capture-pane -p -t crash; t_fail "no exit after SIGSEGV"; }; sleep 0.1
done
TM capture-pane -p -t crash >"$T/crash.txt"
grep -q 'engine connected' "$T/crash.txt" && { cat "$T/crash.txt"; t_fail "console screen left behind after a crash"; }
t_expect_grep 'CONSOLE-EXITED rc=139' "$T/crash.txt"
t_expect_grep '^TTY icanon echo END$' "$T/crash.txt"
echo "tui_basic: ok"

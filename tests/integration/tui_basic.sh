#!/bin/sh
# The console in a real terminal (tmux): it lists the factories and their
# slices from a real engine, follows the engine going away and coming back
# (banner, reconnect), and quits on q.
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
	"env TERM=xterm-256color $BUILD/slicedeck --socket $T/sd.sock -r 1; echo CONSOLE-EXITED rc=\$?; sleep 30"

screen() { TM capture-pane -p -t sd; }
wait_screen() {  # REGEX SECONDS
	i=0; lim=$(( $2 * 10 ))
	until screen | grep -Eq "$1"; do
		i=$((i + 1))
		if [ $i -ge $lim ]; then screen; t_fail "screen never showed /$1/"; fi
		sleep 0.1
	done
}

wait_screen 'operator view: all factories' 10
wait_screen 'beilun-heavy' 5
wait_screen 'bhm-crane-rc' 5
wait_screen 'xiapu-textile' 5
screen >"$T/screen1.txt"
[ -n "${SD_KEEP_SCREEN:-}" ] && cp "$T/screen1.txt" "$SD_KEEP_SCREEN"
t_expect_grep 'engine connected' "$T/screen1.txt"
t_expect_grep '2-0a0001' "$T/screen1.txt"

# movement keys do not break anything; End reaches the last row
TM send-keys -t sd j j k G
sleep 0.3
screen | grep -q 'xiapu' || t_fail "End key lost the last factory"

# the engine goes away: banner, no hang; it comes back: reconnect
t_stop engine
wait_screen 'lost the engine connection|engine unreachable' 10
wait_screen 'DISCONNECTED' 5
start_engine
wait_screen 'engine connected' 15
wait_screen 'beilun-heavy' 5

# a narrow terminal still works
TM resize-window -t sd -x 80 -y 24 2>/dev/null || TM resize-pane -t sd -x 80 -y 24
sleep 0.5
wait_screen 'beilun-heavy' 5

TM send-keys -t sd q
wait_screen 'CONSOLE-EXITED rc=0' 5
echo "tui_basic: ok"

# tests/integration/lib_tmux.sh — a console in a real terminal, for the
# tui_* tests (sourced after lib.sh and t_tmp). A private tmux server on
# $T/tmux.sock, stopped at exit.
#   console SESSION ENV... CMD ARGS...   start it in a TUI_COLS x TUI_ROWS
#                                        window (default 120 x 32)
#   screen, wait_screen REGEX SECONDS, no_screen REGEX, key KEYS...
#                                        act on session $S (default sd)
SOCK="$T/tmux.sock"
TM() { tmux -S "$SOCK" "$@"; }
t_on_exit() { TM kill-server 2>/dev/null; return 0; }
console() {  # SESSION ENV... -- ARGS...
	s=$1; shift
	TM new-session -d -s "$s" -x "${TUI_COLS:-120}" -y "${TUI_ROWS:-32}" \
		"env TERM=xterm-256color $* ; echo CONSOLE-EXITED rc=\$?; sleep 30"
}
S=sd
screen() { TM capture-pane -p -t "$S"; }
wait_screen() {  # REGEX SECONDS
	i=0; lim=$(( $2 * 10 ))
	until screen | grep -Eq -- "$1"; do
		i=$((i + 1))
		if [ $i -ge $lim ]; then screen; t_fail "screen never showed /$1/"; fi
		sleep 0.1
	done
}
no_screen() {  # REGEX: not on the screen now
	if screen | grep -Eq -- "$1"; then screen; t_fail "screen shows /$1/"; fi
}
key() { TM send-keys -t "$S" "$@"; }

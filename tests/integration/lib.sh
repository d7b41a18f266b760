# tests/integration/lib.sh — sourced by integration tests (POSIX sh).
#
#   . tests/integration/lib.sh          (after BUILD=$1)
#   t_tmp                               -> $T, a private temp dir, removed at exit
#   t_start NAME cmd args...            start in background, log to $T/NAME.log,
#                                       PID recorded; all stopped at exit by PID
#   t_stop NAME                         SIGTERM that one and wait (bounded)
#   t_wait_file PATH [SECONDS]          wait for a file/socket to appear
#   t_wait_log NAME REGEX [SECONDS]     wait for a line in a process log
#   t_fail MSG                          print and exit 1
#   t_expect_grep REGEX FILE            fail unless FILE matches
#   t_need_root                         exit 0 with "SKIP: ..." unless root
#   t_until SECONDS CMD...              poll CMD every 0.1 s until it succeeds;
#                                       1 when it never did
#   t_user_bin NAME                     a copy of $BUILD/NAME in $T/bin that
#                                       other users can run (the checkout
#                                       may sit under a private directory)
#   t_sample_conf OUT KEY=VALUE...      etc/slicedeck.conf copied to OUT (0600),
#                                       each KEY's line set to VALUE
#   t_sim_engine CONF [SIM-ARGS...]     start slicedeck-sim on CONF (loopback,
#                                       port 0, SIM-ARGS added) as "sim", then
#                                       slicedeckd on it as "engine" (socket
#                                       $T/sd.sock, state $T/state); sets $NRF
#   define t_on_exit() in the test for its own teardown (users, netns)
#   useradd/userdel/groupadd/groupdel/usermod are wrapped to take one lock
#                                       (tests run two at a time: see below)
#
# Everything is bounded: no loop runs longer than its timeout.
set -u
: "${BUILD:=build}"
case "$BUILD" in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
SD_PIDS=""

t_tmp() {
	T=$(mktemp -d /tmp/sdtest.XXXXXX)
	chmod 0755 "$T"
	trap t_cleanup EXIT INT TERM
}

t_cleanup() {
	rc=$?
	# a test's own teardown (throwaway users, namespaces) runs first
	if command -v t_on_exit >/dev/null 2>&1; then t_on_exit || true; fi
	for p in $SD_PIDS; do
		pid=$(cat "$T/$p.pid" 2>/dev/null) || continue
		kill -TERM "$pid" 2>/dev/null || true
	done
	for p in $SD_PIDS; do
		pid=$(cat "$T/$p.pid" 2>/dev/null) || continue
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
		kill -KILL "$pid" 2>/dev/null || true
	done
	if [ $rc -ne 0 ] && [ -d "${T:-}" ]; then
		for f in "$T"/*.log; do
			[ -f "$f" ] || continue
			echo "--- $f"; tail -30 "$f"
		done
	fi
	[ -n "${T:-}" ] && rm -rf "$T"
	exit $rc
}

t_start() {
	name=$1; shift
	"$@" >"$T/$name.log" 2>&1 &
	echo $! >"$T/$name.pid"
	SD_PIDS="$SD_PIDS $name"
}

t_pid() { cat "$T/$1.pid"; }

t_stop() {
	pid=$(cat "$T/$1.pid" 2>/dev/null) || return 0
	kill -TERM "$pid" 2>/dev/null || true
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; return 1; fi
	wait "$pid" 2>/dev/null
	return 0
}

t_wait_file() {
	i=0; lim=$(( ${2:-10} * 10 ))
	while [ ! -e "$1" ] && [ $i -lt $lim ]; do sleep 0.1; i=$((i + 1)); done
	[ -e "$1" ] || t_fail "timed out waiting for $1"
}

t_wait_log() {
	i=0; lim=$(( ${3:-10} * 10 ))
	while ! grep -Eq "$2" "$T/$1.log" 2>/dev/null && [ $i -lt $lim ]; do sleep 0.1; i=$((i + 1)); done
	grep -Eq "$2" "$T/$1.log" || t_fail "timed out waiting for /$2/ in $1.log"
}

t_fail() { echo "FAIL: $*" >&2; exit 1; }

t_expect_grep() { grep -Eq "$1" "$2" || { echo "--- $2:"; cat "$2"; t_fail "expected /$1/ in $2"; }; }

t_need_root() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "SKIP: $(basename "$0") needs root (it creates throwaway users)"
		exit 0
	fi
}

# t_until N CMD: retry CMD every 0.1 s, N x 10 tries; each try's own
# time adds to the wait, so on a loaded machine it waits longer than N s.
# For waiting, not for asserting a time bound: that is t_within.
t_until() {
	lim=$(( $1 * 10 )); shift; i=0
	until "$@" >/dev/null 2>&1; do
		i=$((i + 1)); [ $i -ge $lim ] && return 1
		sleep 0.1
	done
	return 0
}

# t_within SECONDS CMD: true when CMD succeeds before SECONDS of wall
# clock have passed (a time bound the test asserts), tries 0.1 s apart.
t_within() {
	end=$(( $(date +%s%N) / 1000000 + $1 * 1000 )); shift
	until "$@" >/dev/null 2>&1; do
		[ "$(( $(date +%s%N) / 1000000 ))" -ge "$end" ] && return 1
		sleep 0.1
	done
	return 0
}

# The sample zone with some settings changed, e.g. poll_interval=2
# 'nrf="http://127.0.0.1:9"'. Fails the test if a key is not found.
t_sample_conf() {
	out=$1; shift
	cp etc/slicedeck.conf "$out"
	chmod 0600 "$out"
	for kv in "$@"; do
		k=${kv%%=*}; v=${kv#*=}
		sed -i "s|^\([[:space:]]*$k[[:space:]]*=\).*|\1 $v;|" "$out"
		grep -Eq "^[[:space:]]*$k[[:space:]]*= $v;" "$out" || t_fail "t_sample_conf: no $k in the sample"
	done
}

t_sim_engine() {
	conf=$1; shift
	t_start sim "$BUILD/slicedeck-sim" -c "$conf" --listen 127.0.0.1:0 "$@"
	t_wait_log sim '^NRF http' 10
	NRF=$(sed -n 's/^NRF //p' "$T/sim.log" | head -1)
	t_start engine "$BUILD/slicedeckd" -c "$conf" --socket "$T/sd.sock" \
		--state-dir "$T/state" --nrf "$NRF" --stderr
	t_wait_file "$T/sd.sock" 10
}

t_user_bin() {
	mkdir -p "$T/bin"
	chmod 0755 "$T/bin"
	cp "$BUILD/$1" "$T/bin/$1"
	chmod 0755 "$T/bin/$1"
	echo "$T/bin/$1"
}

# Integration tests run two at a time (tests/run.sh), and the shadow tools
# refuse to work while another holds /etc/passwd's lock ("cannot lock
# /etc/passwd; try again later"). Every test that makes throwaway users and
# groups does it through these, which take one machine-wide lock in turn.
SD_ACCT_LOCK=/tmp/slicedeck-test-accounts.lock
useradd() { flock -w 60 "$SD_ACCT_LOCK" useradd "$@"; }
userdel() { flock -w 60 "$SD_ACCT_LOCK" userdel "$@"; }
groupadd() { flock -w 60 "$SD_ACCT_LOCK" groupadd "$@"; }
groupdel() { flock -w 60 "$SD_ACCT_LOCK" groupdel "$@"; }
usermod() { flock -w 60 "$SD_ACCT_LOCK" usermod "$@"; }

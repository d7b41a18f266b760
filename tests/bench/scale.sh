#!/bin/sh
# tests/bench/scale.sh BUILD — the engine at pilot-zone scale (issue 8 item
# 10): a generated zone of 100,000 slices in 2,000 factories with 300,000
# cells, the simulator as its 5G core, 50 operator consoles and 200 factory
# consoles subscribed, one change a second touching 100 slices; then the
# same at a zone ten times smaller, so "CPU per change follows the objects
# changed, not the zone" shows as a ratio; each in subscription mode delta
# and in the whole-list mode full. What the figures mean:
# tests/bench/README.md ("Scale").
#
# Needs root: it creates throwaway system users sdbs000.. (no home, no
# shell) for the factory consoles and removes the ones it created at the
# end. Everything runs on loopback and a private socket; every process is
# stopped by its PID. Exit 1 only when the bench could not run.
#
# Knobs: BENCH_SCALE_SLICES (100000), BENCH_SCALE_FACTORIES (2000),
# BENCH_SCALE_CELLS (300000), BENCH_SCALE_SMALL (1: also the zone / 10),
# BENCH_SCALE_MODES ("delta full"), BENCH_SCALE_WINDOW (30 s),
# BENCH_SCALE_SIM (1; 0: no simulator, the engine has no NRF),
# BENCH_SCALE_FACTORY_USERS (200), BENCH_SCALE_OPERATORS (50),
# BENCH_SCALE_KEEP (1: keep the work directory with every log).
set -u
BUILD=${1:-build}
SLICES=${BENCH_SCALE_SLICES:-100000}
FACTORIES=${BENCH_SCALE_FACTORIES:-2000}
CELLS=${BENCH_SCALE_CELLS:-300000}
SMALL=${BENCH_SCALE_SMALL:-1}
MODES=${BENCH_SCALE_MODES:-delta full}
WINDOW=${BENCH_SCALE_WINDOW:-30}
USE_SIM=${BENCH_SCALE_SIM:-1}
NUSERS=${BENCH_SCALE_FACTORY_USERS:-200}
NOPS=${BENCH_SCALE_OPERATORS:-50}
PREFIX=sdbs

for p in slicedeckd slicedeck-sim bench/bench_scale; do
	if [ ! -x "$BUILD/$p" ]; then
		echo "scale: $BUILD/$p is missing (make bench builds it)"
		exit 1
	fi
done
if [ "$(id -u)" != 0 ]; then
	echo "scale: needs root (throwaway users for the factory consoles); skipped"
	exit 1
fi

W=$(mktemp -d /tmp/sdscale.XXXXXX) || exit 1
# the factory users connect to the engine's socket in here
chmod 0711 "$W"
SIM_PID=
ENG_PID=
CREATED=
SIM_DROPPED=

stop_pid() {
	# stop one process we started, by its PID: TERM, then KILL after 10 s
	[ -n "$1" ] || return 0
	kill "$1" 2>/dev/null || return 0
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -9 "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

cleanup() {
	stop_pid "$ENG_PID"
	stop_pid "$SIM_PID"
	for u in $CREATED; do
		userdel "$u" 2>/dev/null
	done
	if [ "${BENCH_SCALE_KEEP:-0}" = 1 ]; then
		echo "scale: logs and outputs kept in $W"
	else
		rm -rf "$W"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ms() { date +%s%3N; }

# --- the factory users ------------------------------------------------
t0=$(ms)
UIDS=
n=0
while [ $n -lt "$NUSERS" ]; do
	u=$(printf '%s%03d' $PREFIX $n)
	if ! id -u "$u" >/dev/null 2>&1; then
		useradd --system --no-create-home --shell /usr/sbin/nologin -g nogroup "$u" ||
			{ echo "scale: useradd $u failed"; exit 1; }
		CREATED="$CREATED $u"
	fi
	UIDS="$UIDS${UIDS:+,}$(id -u "$u")"
	n=$((n + 1))
done
echo "scale: $NUSERS factory users ready in $(( $(ms) - t0 )) ms"

# --- one zone size ----------------------------------------------------
# run_size SLICES FACTORIES CELLS LABEL
run_size() {
	sl=$1; fa=$2; ce=$3; label=$4
	conf=$W/zone-$label.conf
	t0=$(ms)
	python3 tests/tools/genzone.py --factories "$fa" --slices "$sl" --cells "$ce" \
		--sbi-poll 3600 --factory-users "$PREFIX:$NUSERS" > "$conf" ||
		{ echo "scale: genzone failed"; return 1; }
	chmod 0640 "$conf"
	echo "scale.$label.zone                     $sl slices, $fa factories, $ce cells," \
		"$(wc -c < "$conf" | awk '{printf "%.0f MB", $1/1e6}') config," \
		"generated in $(( $(ms) - t0 )) ms"
	# the slices' S-NSSAIs, for the change driver
	grep -o 'snssai = "[^"]*"' "$conf" | sed 's/.*"\(.*\)"/\1/' > "$W/snssai-$label"

	# config load: --check-config, best of 3
	best=
	for i in 1 2 3; do
		t0=$(ms)
		if ! "$BUILD/slicedeckd" --check-config "$conf" > "$W/check.out" 2>&1; then
			echo "scale.$label.config_load_ms       check failed:"
			sed 's/^/    /' "$W/check.out" | head -5
			return 1
		fi
		d=$(( $(ms) - t0 ))
		[ -z "$best" ] || [ "$d" -lt "$best" ] && best=$d
	done
	echo "scale.$label.config_load_ms           $best (slicedeckd --check-config, best of 3;" \
		"target < 1000: $([ "$best" -lt 1000 ] && echo met || echo MISSED))"

	# the simulator, loopback only
	NRF=
	if [ "$USE_SIM" = 1 ] && [ -n "$SIM_DROPPED" ]; then
		echo "scale.$label.sim                      not started: the $SIM_DROPPED zone ran" \
			"without it, so both sizes are measured alike"
	elif [ "$USE_SIM" = 1 ]; then
		t0=$(ms)
		"$BUILD/slicedeck-sim" -c "$conf" --listen 127.0.0.1:0 --seed 1 \
			--control "$W/sim-$label.ctl" \
			> "$W/sim-$label.out" 2> "$W/sim-$label.err" &
		SIM_PID=$!
		i=0
		while [ $i -lt 1200 ] && kill -0 $SIM_PID 2>/dev/null &&
		      ! grep -q '^NRF ' "$W/sim-$label.out"; do
			sleep 0.1
			i=$((i + 1))
		done
		NRF=$(sed -n 's/^NRF //p' "$W/sim-$label.out")
		if [ -z "$NRF" ]; then
			echo "scale.$label.sim                      did not start in 120 s; running" \
				"without a 5G core:"
			sed 's/^/    /' "$W/sim-$label.err" | tail -3
			stop_pid "$SIM_PID"
			SIM_PID=
		else
			echo "scale.$label.sim                      $NRF ready in $(( $(ms) - t0 )) ms"
			# can it serve this zone? One NF profile (the AMF's lists every
			# S-NSSAI) within 10 s; if not, the engine's NRF cycle would only
			# time out against it while it keeps a core busy, so the engine
			# runs without a 5G core
			t0=$(ms)
			href=$(curl -s -m 5 --http2-prior-knowledge \
			       "$NRF/nnrf-nfm/v1/nf-instances?nf-type=AMF" |
			       grep -o '"href": *"[^"]*"' | head -1 | sed 's/.*"\(http[^"]*\)"/\1/')
			if [ -n "$href" ] && curl -s -o /dev/null -m 10 --http2-prior-knowledge "$href"; then
				echo "scale.$label.sim_profile_ms           $(( $(ms) - t0 )) (the AMF's NF profile)"
			else
				echo "scale.$label.sim                      cannot serve this zone: the AMF's NF" \
					"profile took over 10 s (slicedeck-sim builds each profile's S-NSSAI" \
					"list in O(slices^2)); the engine runs without a 5G core"
				stop_pid "$SIM_PID"
				SIM_PID=
				NRF=
				SIM_DROPPED=$label
			fi
		fi
	fi

	for mode in $MODES; do
		run_mode "$conf" "$label" "$mode" || return 1
	done
	if [ -n "$SIM_PID" ]; then
		if ! kill -0 "$SIM_PID" 2>/dev/null; then
			echo "scale.$label.sim                      GONE during the run:"
			tail -3 "$W/sim-$label.err" | sed 's/^/    /'
		fi
		stop_pid "$SIM_PID"
		SIM_PID=
	fi
	return 0
}

# engine CPU (clock ticks) of a PID
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

# run_mode CONF LABEL MODE: a fresh engine (so its peak RSS is this run's)
run_mode() {
	conf=$1; label=$2; mode=$3
	sock=$W/sd-$label-$mode.sock
	state=$W/state-$label-$mode
	mkdir -p "$state"
	t0=$(ms)
	if [ -n "$NRF" ]; then
		"$BUILD/slicedeckd" -c "$conf" --nrf "$NRF" --socket "$sock" --state-dir "$state" \
			--stderr 2> "$W/engine-$label-$mode.err" &
	else
		"$BUILD/slicedeckd" -c "$conf" --socket "$sock" --state-dir "$state" \
			--stderr 2> "$W/engine-$label-$mode.err" &
	fi
	ENG_PID=$!
	i=0
	while [ $i -lt 600 ] && kill -0 $ENG_PID 2>/dev/null &&
	      ! SLICEDECK_SOCKET=$sock "$BUILD/slicedeck" whoami >/dev/null 2>&1; do
		sleep 0.1
		i=$((i + 1))
	done
	if ! kill -0 $ENG_PID 2>/dev/null; then
		echo "scale.$mode.$label.engine                 did not start:"
		tail -5 "$W/engine-$label-$mode.err" | sed 's/^/    /'
		ENG_PID=
		return 1
	fi
	echo "scale.$mode.$label.engine_start_ms        $(( $(ms) - t0 )) (start to first answer)"
	# the engine's SBI server (notifications) is its only TCP listener
	port=$(ss -Hltnp 2>/dev/null | grep "pid=$ENG_PID," | awk '{print $4}' |
	       sed 's/.*://' | head -1)
	if [ -z "$port" ]; then
		echo "scale.$mode.$label.engine                 has no SBI notification listener"
		stop_pid "$ENG_PID"
		ENG_PID=
		return 1
	fi
	# let the first NRF cycle and subscriptions settle: engine CPU under
	# 10 % over 2 s, at most 60 s
	i=0
	while [ $i -lt 30 ]; do
		a=$(ticks $ENG_PID)
		sleep 2
		b=$(ticks $ENG_PID)
		[ $((b - a)) -lt 20 ] && break
		i=$((i + 1))
	done
	settle=120
	[ "$mode" = full ] && settle=60
	"$BUILD/bench/bench_scale" --socket "$sock" --pid "$ENG_PID" \
		--notify "http://127.0.0.1:$port" --snssais "$W/snssai-$label" \
		--mode "$mode" --label "$label" --operators "$NOPS" --factory-uids "$UIDS" \
		--window-s "$WINDOW" --settle-s $settle | tee "$W/out-$label-$mode"
	rc=$?
	if ! kill -0 "$ENG_PID" 2>/dev/null; then
		echo "scale.$mode.$label.engine                 GONE; its last words:"
		tail -5 "$W/engine-$label-$mode.err" | sed 's/^/    /'
	else
		warn=$(grep -c -i 'warn\|error\|err:' "$W/engine-$label-$mode.err")
		echo "scale.$mode.$label.engine_log             $warn warning/error lines" \
			"$( [ "$warn" -gt 0 ] && grep -i 'warn\|error\|err:' \
			"$W/engine-$label-$mode.err" | sort | uniq -c | sort -rn | head -3 |
			cut -c1-160 | tr '\n' ';')"
	fi
	if [ -n "$SIM_PID" ]; then
		# what the engine holds at the simulator (subscriptions by kind) and
		# what the sim sent it
		python3 - "$W/sim-$label.ctl" <<'EOF' | sed "s/^/scale.$mode.$label.sim_view             /"
import json, socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(30)
try:
    s.connect(sys.argv[1])
    s.sendall(b"status\n")
    buf = b""
    while not buf.endswith(b"\n"):
        d = s.recv(1 << 20)
        if not d:
            break
        buf += d
    st = json.loads(buf)
    sub, n = st["subscriptions"], st["notifications"]
    print("subscriptions " + " ".join("%s=%d" % kv for kv in sorted(sub.items())) +
          "; notifications sent=%d failed=%d dropped=%d; %d requests served" %
          (n["sent"], n["failed"], n["dropped"], st["requests"]))
except Exception as e:
    print("no status from the simulator: %s" % e)
EOF
	fi
	stop_pid "$ENG_PID"
	ENG_PID=
	[ $rc -le 1 ] || return 1
	return 0
}

# a figure from a bench_scale output: fig FILE METRIC -> first number
fig() {
	[ -f "$1" ] || return 0
	awk -v m="$2" '$1 ~ "\\." m "$" { for (i = 2; i <= NF; i++) if ($i ~ /^[0-9.]+$/) { print $i; exit } }' "$1"
}
ratio() {
	[ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }' || echo "n/a"
}

BIG=$((SLICES / 1000))k
run_size "$SLICES" "$FACTORIES" "$CELLS" "$BIG" || exit 1
if [ "$SMALL" = 1 ]; then
	SM=$((SLICES / 10000))k
	run_size $((SLICES / 10)) $((FACTORIES / 10)) $((CELLS / 10)) "$SM" || exit 1
fi

# --- ratios -------------------------------------------------------------
echo
for mode in $MODES; do
	if [ "$SMALL" = 1 ]; then
		a=$(fig "$W/out-$BIG-$mode" cpu_ms_per_change)
		b=$(fig "$W/out-$SM-$mode" cpu_ms_per_change)
		echo "scale.ratio.$mode.cpu_per_change.${BIG}_vs_$SM   $(ratio "$a" "$b")" \
			"($a / $b ms; 1 = follows the objects changed, 10 = follows the zone)"
	fi
done
has_mode() { case " $MODES " in *" $1 "*) return 0 ;; esac; return 1; }
if has_mode delta && has_mode full; then
	for l in $BIG ${SM:-}; do
		a=$(fig "$W/out-$l-full" cpu_ms_per_change)
		b=$(fig "$W/out-$l-delta" cpu_ms_per_change)
		echo "scale.ratio.full_vs_delta.$l.cpu_per_change   $(ratio "$a" "$b")" \
			"(${a:-did not run} / ${b:-did not run} ms)"
	done
fi
exit 0

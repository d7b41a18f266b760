#!/bin/sh
# make demo: the simulator, the engine pointed at it, and the console.
# Leaving the console stops all three. Everything lives in a private
# temporary directory; the simulator and the engine listen on loopback and
# on a private socket only.
#
# The simulator plays etc/timeline-demo.txt (SLICEDECK_DEMO_TIMELINE): a
# slow crane slice, an SMF down, a UE surge, a cell down, a session storm
# and a loss burst within three minutes, repeated every four. The engine
# runs as a training engine (engine.environment) with 30-second SLA
# windows and hysteresis 1 (the console's title bar says so), so verdicts,
# compliance and alarms move while you watch; a colleague (a loop below)
# acknowledges the first SLA alarm 15 s after it is raised.
set -u
BUILD=${1:-build}
CONF=${SLICEDECK_DEMO_CONF:-etc/slicedeck.conf}
TIMELINE=${SLICEDECK_DEMO_TIMELINE:-etc/timeline-demo.txt}
D=$(mktemp -d /tmp/slicedeck-demo.XXXXXX)
SIM_PID=""; ENG_PID=""; ACK_PID=""

cleanup() {
	[ -n "$ACK_PID" ] && kill -TERM "$ACK_PID" 2>/dev/null
	for p in $ENG_PID $SIM_PID; do kill -TERM "$p" 2>/dev/null; done
	for p in $ENG_PID $SIM_PID; do
		i=0; while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
		kill -KILL "$p" 2>/dev/null
	done
	rm -rf "$D"
}
trap cleanup EXIT INT TERM

# a private copy: the sample may hold secrets and must not be world-readable
cp -r "$(dirname "$CONF")"/. "$D/etc/" 2>/dev/null || { mkdir -p "$D/etc"; cp -r "$(dirname "$CONF")"/. "$D/etc/"; }
chmod -R go-rwx "$D/etc"
CONF="$D/etc/$(basename "$CONF")"
cp "$TIMELINE" "$D/timeline.txt"
# the demo's settings: a training engine, short windows, quick polls
sed -i 's|^\([[:space:]]*environment[[:space:]]*=\).*|\1 "training";|; s|^\([[:space:]]*poll_interval[[:space:]]*=\).*|\1 2;|' "$CONF"
if grep -q '^monitor' "$CONF"; then
	echo "demo: $CONF has its own monitor group: SLA windows as it says" >&2
else
	printf '%s\n' 'monitor = { sla = { window_s = 30; hysteresis = 1; }; };' >>"$CONF"
fi

"$BUILD/slicedeck-sim" -c "$CONF" --listen 127.0.0.1:0 --heartbeat 5 \
	--timeline "$D/timeline.txt" --control "$D/sim.ctl" >"$D/sim.out" 2>"$D/sim.log" &
SIM_PID=$!
i=0
while ! grep -q '^NRF ' "$D/sim.out" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
NRF=$(sed -n 's/^NRF //p' "$D/sim.out" | head -1)
if [ -z "$NRF" ]; then
	echo "demo: the simulator did not start:" >&2; cat "$D/sim.log" >&2; exit 1
fi
echo "demo: simulator up, NRF at $NRF"

"$BUILD/slicedeckd" -c "$CONF" --socket "$D/slicedeck.sock" --state-dir "$D/state" \
	--nrf "$NRF" --stderr 2>"$D/engine.log" &
ENG_PID=$!
i=0
while [ ! -S "$D/slicedeck.sock" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
if [ ! -S "$D/slicedeck.sock" ]; then
	echo "demo: the engine did not start:" >&2; cat "$D/engine.log" >&2; exit 1
fi
echo "demo: engine up, socket $D/slicedeck.sock (logs in $D while it runs)"
echo "demo: playing $TIMELINE (30 s SLA windows): alarms within about a minute"

# the colleague: acknowledges the first SLA alarm 15 s after it appears
# (bounded: gives up after 5 minutes)
(
	i=0
	while [ $i -lt 300 ]; do
		id=$("$BUILD/slicedeck" --socket "$D/slicedeck.sock" alarms 2>/dev/null |
			awk '$4 ~ /^sla-/ && $6 == "-" { print $1; exit }')
		if [ -n "$id" ]; then
			sleep 15
			"$BUILD/slicedeck" --socket "$D/slicedeck.sock" alarm ack "$id" >/dev/null 2>&1
			exit 0
		fi
		sleep 1; i=$((i + 1))
	done
) &
ACK_PID=$!

if [ -t 0 ] && [ -t 1 ]; then
	"$BUILD/slicedeck" --socket "$D/slicedeck.sock"
else
	# no terminal (CI, a pipe): let the timeline play a while
	# (SLICEDECK_DEMO_SECONDS, default 2), show what the console would,
	# then stop
	sleep "${SLICEDECK_DEMO_SECONDS:-2}"
	"$BUILD/slicedeck" --socket "$D/slicedeck.sock" factories
	"$BUILD/slicedeck" --socket "$D/slicedeck.sock" slices
	"$BUILD/slicedeck" --socket "$D/slicedeck.sock" nfs
	"$BUILD/slicedeck" --socket "$D/slicedeck.sock" alarms --all
	"$BUILD/slicedeck" --socket "$D/slicedeck.sock" sla
	"$BUILD/slicedeck-sim" --control "$D/sim.ctl" --send timeline
	echo
fi

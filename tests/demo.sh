#!/bin/sh
# make demo: the simulator, the engine pointed at it, and the console.
# Leaving the console stops all three. Everything lives in a private
# temporary directory; the simulator and the engine listen on loopback and
# on a private socket only.
set -u
BUILD=${1:-build}
CONF=${SLICEDECK_DEMO_CONF:-etc/slicedeck.conf}
D=$(mktemp -d /tmp/slicedeck-demo.XXXXXX)
SIM_PID=""; ENG_PID=""

cleanup() {
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

"$BUILD/slicedeck-sim" -c "$CONF" --listen 127.0.0.1:0 >"$D/sim.out" 2>"$D/sim.log" &
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

if [ -t 0 ] && [ -t 1 ]; then
	"$BUILD/slicedeck" --socket "$D/slicedeck.sock"
else
	# no terminal (CI, a pipe): show what the console would, then stop
	sleep 2
	"$BUILD/slicedeck" --socket "$D/slicedeck.sock" factories
	"$BUILD/slicedeck" --socket "$D/slicedeck.sock" slices
	"$BUILD/slicedeck" --socket "$D/slicedeck.sock" nfs
fi

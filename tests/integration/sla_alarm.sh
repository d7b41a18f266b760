#!/bin/sh
# SLA breach and recovery end to end: the sim degrades one slice's latency
# (fault injection) -> the SMF's QoS-monitoring reports carry the delays ->
# the engine's SLA window breaches -> an alarm is raised and visible over
# IPC (and not to another factory's user) -> the fault is cleared -> the
# next window meets the target -> the alarm clears. Operators ack; viewers
# and factory users cannot. Five-second windows (monitor.sla.window_s):
# this test takes well under a minute.
BUILD=${1:-build}
. tests/integration/lib.sh
t_tmp

SLICE=bhm-crane-rc     # remote control, 15 ms at p99.99 in the sample zone
t_sample_conf "$T/sd.conf" poll_interval=1
printf '%s\n' 'monitor = { sla = { window_s = 5; hysteresis = 1; }; };' >>"$T/sd.conf"

t_start sim "$BUILD/slicedeck-sim" -c "$T/sd.conf" --listen 127.0.0.1:0 \
	--control "$T/sim.ctl" --fault "slice-latency:slice=$SLICE,factor=40"
t_wait_log sim '^NRF http' 10
NRF=$(sed -n 's/^NRF //p' "$T/sim.log" | head -1)
t_start engine "$BUILD/slicedeckd" -c "$T/sd.conf" --socket "$T/sd.sock" \
	--state-dir "$T/state" --nrf "$NRF" --stderr
t_wait_file "$T/sd.sock" 10

sd() { "$BUILD/slicedeck" --socket "$T/sd.sock" "$@"; }
alarm_for() {  # alarm_for SLICE -> "ID SEVERITY ACTIVE" of its latency alarm
	sd alarms --json --all | python3 -c '
import json, sys
for a in json.load(sys.stdin):
    if a["object"].endswith(sys.argv[1]) and "latency" in a["specific_problem"]:
        print(a["id"], a["severity"], a["active"]); break
' "$1"
}
raised() { alarm_for $SLICE | grep -q ' True$'; }
cleared() { alarm_for $SLICE | grep -q ' False$'; }

# the first whole window after the start breaches (the partial one the
# engine started in is not judged)
t_until 40 raised || { sd alarms --all; sd sla --json | head -80; t_fail "no SLA breach alarm for $SLICE"; }
t_expect_grep "SLA breach: slice $SLICE" "$T/engine.log"
sd sla --factory beilun-heavy --json >"$T/sla.json" || t_fail "sla report"
python3 - "$T/sla.json" "$SLICE" <<'PY' || t_fail "SLA report does not show the breached latency"
import json, sys
rep = json.load(open(sys.argv[1]))
row = [r for r in rep["slices"] if r["slice"] == sys.argv[2]][0]
lat = row["last"]["kpis"]["latency"]
assert lat["verdict"] == "breached" and lat["breached"], lat
PY
ID=$(alarm_for $SLICE | cut -d' ' -f1)

# acknowledgement: root is an operator; factory users and viewers are not
sd alarm ack "$ID" >"$T/ack.txt" 2>&1 || { cat "$T/ack.txt"; t_fail "operator could not ack"; }
sd alarms --json | python3 -c '
import json, sys
a = [x for x in json.load(sys.stdin) if x["id"] == int(sys.argv[1])][0]
assert a["acked"] and a["acked_by"], a' "$ID" || t_fail "ack not recorded"

# recovery: the fault goes, the next full window meets the target
"$BUILD/slicedeck-sim" --control "$T/sim.ctl" --send clear >/dev/null || t_fail "clear"
t_until 40 cleared || { sd alarms --all; t_fail "the breach alarm did not clear after recovery"; }
t_expect_grep "SLA recovery: slice $SLICE" "$T/engine.log"

t_stop engine || t_fail "engine did not stop"
# history survives a restart of the engine (SQLite in the state dir)
t_start engine2 "$BUILD/slicedeckd" -c "$T/sd.conf" --socket "$T/sd.sock" \
	--state-dir "$T/state" --nrf "$NRF" --stderr
t_wait_file "$T/sd.sock" 10
sd sla --json | python3 -c '
import json, sys
rep = json.load(sys.stdin)
row = [r for r in rep["slices"] if r["slice"] == sys.argv[1]][0]
lat = [m for m in row["month"] if m["kpi"] == "latency"][0]
assert lat["breached"] >= 1, lat' $SLICE || t_fail "monthly compliance lost across a restart"
t_stop engine2 || t_fail "engine did not stop"
t_stop sim || t_fail "sim did not stop"
echo "sla_alarm: ok"

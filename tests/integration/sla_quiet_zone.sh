#!/bin/sh
# The sample zone without faults meets every SLA (issue 10, item 3): the
# simulator at the busiest hour of the day shift (model clock 10:00), the
# engine judging 5-second windows with hysteresis 1 (one breached window
# would raise an alarm), for at least four whole windows. Every active
# slice must have judged its latency and 5QI delay (met, not no-data),
# no window of any KPI may be breached, and no SLA alarm may exist. The
# predictive-maintenance slice used to report delays of seconds against
# its 5QI's 300 ms budget and failed this at once.
BUILD=${1:-build}
. tests/integration/lib.sh
t_tmp

t_sample_conf "$T/sd.conf" poll_interval=1
printf '%s\n' 'monitor = { sla = { window_s = 5; hysteresis = 1; }; };' >>"$T/sd.conf"

t_sim_engine "$T/sd.conf" --clock 10:00
t_wait_log engine 'SLA windows of 5 s' 5
sd() { "$BUILD/slicedeck" --socket "$T/sd.sock" "$@"; }

# judged() succeeds once every active slice has at least 4 windows with a
# latency verdict; any breach on the way fails the test at once
check() {
	sd sla --json >"$T/sla.json" 2>"$T/sla.err" || return 1
	python3 - "$T/sla.json" "$1" <<'PY'
import json, sys
rep = json.load(open(sys.argv[1]))
need = int(sys.argv[2])
short = []
for row in rep["slices"]:
    for m in row.get("month", []):
        if m["breached"]:
            print("BREACH", row["slice"], m["kpi"], json.dumps(row.get("last")))
            sys.exit(3)
    if row.get("state") != "active":
        continue
    kpis = {m["kpi"]: m for m in row.get("month", [])}
    for k in ("latency", "5qi_delay"):
        if k in kpis and kpis[k]["met"] < need:
            short.append((row["slice"], k, kpis[k]["met"]))
    if "latency" not in kpis:
        short.append((row["slice"], "latency", 0))
if short:
    print("not yet:", short)
    sys.exit(1)
PY
}
i=0
while :; do
	check 4; rc=$?
	[ $rc -eq 0 ] && break
	[ $rc -eq 3 ] && { cat "$T/sla.json"; t_fail "an SLA window breached in the quiet sample zone"; }
	i=$((i + 1))
	[ $i -ge 45 ] && { check 4; t_fail "windows not judged in 45 s"; }
	sleep 1
done
sd alarms --json --all >"$T/alarms.json" || t_fail "alarms"
python3 - "$T/alarms.json" <<'PY' || t_fail "an SLA alarm in the quiet sample zone"
import json, sys
sla = [a for a in json.load(open(sys.argv[1])) if a["specific_problem"].startswith("sla-")]
assert not sla, sla
PY
t_stop engine || t_fail "engine did not stop"
t_stop sim || t_fail "sim did not stop"
echo "sla_quiet_zone: ok"

#!/bin/sh
# The engine against slicedeck-sim over real HTTP/2 on loopback:
#  - discovers the sim's NFs (NRF subscription + polling) and live slice
#    data equal to what the sim reports (its control socket's `live` and
#    `subscriptions`): UEs, PDU sessions, load level, tracking areas;
#  - an NF taken down is shown not REGISTERED, unreachable and alarmed
#    within its heartbeat window, and comes back (alarm cleared) when
#    restored; an NF the NRF still lists as REGISTERED whose own answers
#    fail is unreachable too (the SBI client's probes, not the NRF status);
#  - garbage and problem+json answers are logged while the engine keeps
#    serving clients, and the last good view is kept (marked stale).
BUILD=${1:-build}
. tests/integration/lib.sh
t_tmp

# the sample zone, polled every 2 s so the test runs in seconds, with OAuth2
# access tokens from the NRF for every request (Nnrf_AccessToken)
t_sample_conf "$T/sd.conf" poll_interval=2 oauth2=true
HB=2

# the sim's model clock all but stopped (0.01 x real time, in the day
# shift): UEs, sessions and load stay put, so they compare exactly
t_start sim "$BUILD/slicedeck-sim" -c "$T/sd.conf" --listen 127.0.0.1:0 \
	--heartbeat $HB --control "$T/sim.ctl" --seed 7 --speed 0.01 --clock 10:00
t_wait_log sim '^NRF http' 10
NRF=$(sed -n 's/^NRF //p' "$T/sim.log" | head -1)
t_start engine "$BUILD/slicedeckd" -c "$T/sd.conf" --socket "$T/sd.sock" \
	--state-dir "$T/state" --nrf "$NRF" --stderr
t_wait_file "$T/sd.sock" 10

sd() { "$BUILD/slicedeck" --socket "$T/sd.sock" "$@"; }
simctl() { "$BUILD/slicedeck-sim" --control "$T/sim.ctl" --send "$*"; }

# nfs_field TYPE FIELD: the FIELD of the first NF of TYPE, from the engine
nfs_field() {
	sd nfs --json | python3 -c '
import json, sys
t, f = sys.argv[1], sys.argv[2]
for nf in json.load(sys.stdin):
    if nf["type"] == t:
        print(nf[f]); break
' "$1" "$2"
}

# nf_alarm TYPE: the active nf-unreachable alarm of the first NF of TYPE
# exists (exit 0) or not (1)
nf_alarm() {
	id=$(nfs_field "$1" id)
	[ -n "$id" ] || return 2
	sd alarms --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
rows = d["alarms"] if isinstance(d, dict) else d
sys.exit(0 if any(a["object"] == "nf=" + sys.argv[1] and a["specific_problem"] == "nf-unreachable"
                  and a["active"] for a in rows) else 1)' "$id"
}

# --- discovery ----------------------------------------------------------------
have_nfs() { [ "$(sd nfs --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" -ge 8 ]; }
t_until 15 have_nfs || { sd nfs; t_fail "the engine did not discover the sim's NFs"; }
sd nfs >"$T/nfs.txt"
for t in NRF AMF SMF NSSF NWDAF; do
	grep -q " $t " "$T/nfs.txt" || { cat "$T/nfs.txt"; t_fail "no $t in the inventory"; }
done
# every NF the sim serves, each once
simctl status >"$T/status.json" || t_fail "sim status"
sd nfs --json | python3 -c '
import json, sys
eng = [n["id"] for n in json.load(sys.stdin)]
sim = [n["id"] for n in json.load(open(sys.argv[1]))["nfs"] if n["registered"]]
assert len(eng) == len(set(eng)), "an NF id twice in the inventory"
assert sorted(eng) == sorted(sim), "inventory %s != sim %s" % (sorted(eng), sorted(sim))
' "$T/status.json" || t_fail "the inventory is not the sim's NF list"
t_expect_grep 'NRF: subscribed to NF status' "$T/engine.log"
[ "$(nfs_field AMF status)" = REGISTERED ] || t_fail "AMF not REGISTERED at start"

# live slice data from NWDAF / AMF / SMF / NSSF, equal to what the sim
# reports: UEs (AMF), PDU sessions (what the one SMF subscription's reports
# established), load level (NWDAF), tracking areas where the NSSF offers
# the slice; a packet delay from QoS monitoring
live_ok() {
	sd slices --json >"$T/slices.json" || return 1
	simctl live >"$T/live.json" || return 1
	simctl subscriptions >"$T/subs.json" || return 1
	python3 - "$T/slices.json" "$T/live.json" "$T/subs.json" >"$T/live_diff.txt" <<'EOF'
import json, sys
eng = {s["id"]: s["live"] for s in json.load(open(sys.argv[1]))}
live = json.load(open(sys.argv[2]))["slices"]
subs = json.load(open(sys.argv[3]))["subscriptions"]
smf = [s for s in subs if s["kind"] == "smf"]
bad = []
if len(smf) != 1:
    bad.append("the sim holds %d SMF subscriptions" % len(smf))
reported = smf[0]["sessions"] if smf else {}
n = 0
for t in live:
    if not t["active"]:
        continue
    n += 1
    e = eng[t["id"]]
    want = {"ues": t["ues"], "pdu_sessions": t["pdu_sessions"], "load_level": t["load_level"]}
    if t["tas"] > 0:
        want["tas_total"] = t["tas"]
        want["tas_available"] = t["tas_offered"]
    for k, v in want.items():
        if e[k] != v:
            bad.append("%s %s: engine %r, sim %r" % (t["id"], k, e[k], v))
    if reported.get(t["id"]) != t["pdu_sessions"]:
        bad.append("%s: the SMF subscription reported %r sessions, the sim has %r"
                   % (t["id"], reported.get(t["id"]), t["pdu_sessions"]))
    if e["delay_ms"] is None or not e["delay_ms"] > 0:
        bad.append("%s: no packet delay" % t["id"])
if not n:
    bad.append("no active slice")
print("\n".join(bad))
sys.exit(1 if bad else 0)
EOF
}
t_until 30 live_ok || { cat "$T/live_diff.txt"; t_fail "live slice data differs from the sim's"; }
# and it stays so over several report periods (nothing counted twice)
sleep 5
live_ok || { cat "$T/live_diff.txt"; t_fail "live slice data drifted from the sim's"; }

# --- an NF goes down and comes back ----------------------------------------------
simctl "fault nf-down:nf=AMF" >"$T/f1.txt" || t_fail "could not inject nf-down"
amf_down() {
	[ "$(nfs_field AMF status)" != REGISTERED ] && [ "$(nfs_field AMF reachable)" = False ] &&
	nf_alarm AMF
}
# heartbeat window: the NRF suspends it after HB + 2 s margin; allow for
# the notification, one poll interval and the pipeline's 1 s tick on top
t_until $((HB * 3 + 12)) amf_down || { sd nfs; sd alarms; t_fail "AMF not shown down (status, reachable, alarm) within its heartbeat window"; }
t_expect_grep 'NRF: NF AMF .* is SUSPENDED' "$T/engine.log"
simctl "clear" >/dev/null || t_fail "clear"
amf_up() {
	[ "$(nfs_field AMF status)" = REGISTERED ] && [ "$(nfs_field AMF reachable)" = True ] &&
	! nf_alarm AMF
}
t_until $((HB * 3 + 12)) amf_up || { sd nfs; sd alarms; t_fail "AMF did not come back (or its alarm stayed)"; }

# --- REGISTERED at the NRF, but its own answers fail: unreachable --------------------
simctl "fault rst-stream:path=/nnwdaf-analyticsinfo" >/dev/null || t_fail "rst-stream fault"
nwdaf_dead() {
	[ "$(nfs_field NWDAF status)" = REGISTERED ] && [ "$(nfs_field NWDAF reachable)" = False ] &&
	nf_alarm NWDAF
}
t_until 20 nwdaf_dead || { sd nfs; sd alarms; t_fail "an NWDAF whose answers fail is not shown unreachable"; }
t_expect_grep 'SBI: NWDAF [0-9a-f-]+ marked unreachable' "$T/engine.log"
simctl "clear" >/dev/null
nwdaf_back() { [ "$(nfs_field NWDAF reachable)" = True ] && ! nf_alarm NWDAF; }
# the NWDAF poll backs off while it fails (up to 8 intervals): allow for it
t_until 45 nwdaf_back || { sd nfs; sd alarms; t_fail "the NWDAF did not come back"; }

# --- garbage and problem+json from the NRF ---------------------------------------
simctl "fault malformed:path=/nnrf-nfm/v1/nf-instances" >/dev/null || t_fail "malformed fault"
t_wait_log engine 'bad UriList|bad NFProfile' 40
sd factories >/dev/null || t_fail "engine stopped serving clients after malformed JSON"
stale() { sd nfs --json | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d and all(n["stale"] for n in d) else 1)'; }
t_until 5 stale || { sd nfs --json | head -30; t_fail "last good inventory not kept and marked stale"; }
simctl "clear" >/dev/null
simctl "fault error:status=500,path=/nnrf-nfm/v1/nf-instances" >/dev/null || t_fail "error fault"
t_wait_log engine 'NRF GET /nnrf-nfm/v1/nf-instances: 500' 60
sd nfs >/dev/null || t_fail "engine stopped serving clients after problem+json"
[ "$(sd nfs --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" -ge 8 ] || t_fail "inventory wiped by a 500"
simctl "clear" >/dev/null
notstale() { sd nfs --json | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d and not any(n["stale"] for n in d) else 1)'; }
t_until 60 notstale || t_fail "inventory did not recover after the faults cleared"

t_stop engine || t_fail "engine did not stop"
t_stop sim || t_fail "sim did not stop"
echo "sbi_engine_sim: ok"

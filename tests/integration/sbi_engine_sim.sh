#!/bin/sh
# The engine against slicedeck-sim over real HTTP/2 on loopback:
#  - discovers the sim's NFs (NRF subscription + polling) and live slice data;
#  - an NF taken down is shown not REGISTERED / unreachable within its
#    heartbeat window, and comes back when restored;
#  - garbage and problem+json answers are logged while the engine keeps
#    serving clients, and the last good view is kept (marked stale).
BUILD=${1:-build}
. tests/integration/lib.sh
t_tmp

# the sample zone, polled every 2 s so the test runs in seconds, with OAuth2
# access tokens from the NRF for every request (Nnrf_AccessToken)
t_sample_conf "$T/sd.conf" poll_interval=2 oauth2=true
HB=2

t_start sim "$BUILD/slicedeck-sim" -c "$T/sd.conf" --listen 127.0.0.1:0 \
	--heartbeat $HB --control "$T/sim.ctl" --seed 7
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

# --- discovery ----------------------------------------------------------------
have_nfs() { [ "$(sd nfs --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" -ge 8 ]; }
t_until 15 have_nfs || { sd nfs; t_fail "the engine did not discover the sim's NFs"; }
sd nfs >"$T/nfs.txt"
for t in NRF AMF SMF NSSF NWDAF; do
	grep -q " $t " "$T/nfs.txt" || { cat "$T/nfs.txt"; t_fail "no $t in the inventory"; }
done
t_expect_grep 'NRF: subscribed to NF status' "$T/engine.log"
[ "$(nfs_field AMF status)" = REGISTERED ] || t_fail "AMF not REGISTERED at start"

# live slice data from NWDAF / AMF / SMF / NSSF
# what the engine shows must be what the sim reports, not just "something":
# UEs within the spread of two AMF reports of the sim's model, the slice
# offered in all its tracking areas when the sim has it active
live_ok() {
	sd slices --json >"$T/live.json" || return 1
	simctl status >"$T/simstat.json" || return 1
	python3 - "$T/live.json" "$T/simstat.json" <<'PY'
import json, sys
eng = {s["id"]: s for s in json.load(open(sys.argv[1]))}
sim = {s["id"]: s for s in json.load(open(sys.argv[2]))["slices"]}
bad = []
for sid, s in eng.items():
    if s["state"] != "active" or sid not in sim:
        continue
    live, truth = s["live"], sim[sid]
    if live["load_level"] is None or live["ues"] is None or live["tas_available"] is None:
        bad.append(sid + ": missing live values")
        continue
    if truth["active"]:
        if live["tas_total"] < 1 or live["tas_available"] != live["tas_total"]:
            bad.append("%s: offered in %s of %s TAs, the sim serves it" %
                       (sid, live["tas_available"], live["tas_total"]))
        ues, want = live["ues"], truth["ues"]
        if not (want * 0.5 - 2 <= ues <= want * 1.5 + 2):
            bad.append("%s: %d UEs, the sim has %d" % (sid, ues, want))
if bad or not eng:
    print("\n".join(bad), file=sys.stderr)
    sys.exit(1)
PY
}
t_until 20 live_ok || { sd slices --json | head -60; t_fail "no live slice data (load, UEs, availability)"; }

# --- an NF goes down and comes back ----------------------------------------------
simctl "fault nf-down:nf=AMF" >"$T/f1.txt" || t_fail "could not inject nf-down"
amf_down() { [ "$(nfs_field AMF status)" != REGISTERED ] && [ "$(nfs_field AMF reachable)" = False ]; }
# heartbeat window: the NRF suspends it after HB + 1 s margin; allow for
# the notification and one poll interval on top
t_until $((HB * 3 + 12)) amf_down || { sd nfs; t_fail "AMF not shown down within its heartbeat window"; }
t_expect_grep 'NRF: NF AMF .* is SUSPENDED' "$T/engine.log"
# and the operator is told: an active NF alarm naming the AMF
amf_alarm() { sd alarms --json | python3 -c '
import json, sys
sys.exit(0 if any(a["probable_cause"] == "communicationsSubsystemFailure" and "AMF" in
                  (a["object"] + a["text"]) and a["active"] for a in json.load(sys.stdin)) else 1)'; }
t_until 5 amf_alarm || { sd alarms; t_fail "no NF alarm for the AMF"; }
simctl "clear" >/dev/null || t_fail "clear"
amf_up() { [ "$(nfs_field AMF status)" = REGISTERED ] && [ "$(nfs_field AMF reachable)" = True ]; }
t_until $((HB * 3 + 12)) amf_up || { sd nfs; t_fail "AMF did not come back"; }
amf_alarm_gone() { ! amf_alarm; }
t_until 5 amf_alarm_gone || { sd alarms; t_fail "the AMF's NF alarm did not clear"; }

# --- an NF that stays REGISTERED at the NRF but does not answer us ----------------
# reachable is what our own requests found, not the NRF's word: the NWDAF
# (polled every interval) drops our connections
simctl "fault drop-conn:nf=NWDAF" >/dev/null || t_fail "drop-conn fault"
nwdaf_unreach() { [ "$(nfs_field NWDAF status)" = REGISTERED ] && [ "$(nfs_field NWDAF reachable)" = False ]; }
t_until 30 nwdaf_unreach || { sd nfs; t_fail "a REGISTERED NWDAF that drops every connection is shown reachable"; }
simctl "clear" >/dev/null || t_fail "clear"
nwdaf_back() { [ "$(nfs_field NWDAF reachable)" = True ]; }
t_until 45 nwdaf_back || { sd nfs; t_fail "the NWDAF did not come back"; }

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

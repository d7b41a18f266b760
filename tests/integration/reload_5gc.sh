#!/bin/sh
# SIGHUP with a 5G core attached: subscriptions are neither leaked nor
# counted twice.
#  - an engine against slicedeck-sim gets three SIGHUPs (the file unchanged,
#    then another poll interval, then back);
#  - afterwards the sim holds exactly one subscription of each kind the
#    engine makes (NSSF, AMF, SMF; at the NRF one per NF type), and the engine's PDU sessions per
#    slice are the sim's, over several report periods;
#  - a fresh engine against the same sim state shows the same counts;
#  - after each engine's shutdown the sim holds none of its subscriptions.
BUILD=${1:-build}
. tests/integration/lib.sh
t_tmp

t_sample_conf "$T/sd.conf" poll_interval=2
# the model clock all but stopped: the sessions stay put between engines
t_start sim "$BUILD/slicedeck-sim" -c "$T/sd.conf" --listen 127.0.0.1:0 \
	--heartbeat 2 --control "$T/sim.ctl" --seed 11 --speed 0.01 --clock 10:00
t_wait_log sim '^NRF http' 10
NRF=$(sed -n 's/^NRF //p' "$T/sim.log" | head -1)

sd() { "$BUILD/slicedeck" --socket "$T/sd.sock" "$@"; }
simctl() { "$BUILD/slicedeck-sim" --control "$T/sim.ctl" --send "$*"; }

# held KIND...: the sim holds exactly one subscription of each KIND named,
# none of the others
held() {
	simctl subscriptions >"$T/subs.json" || return 1
	python3 - "$T/subs.json" "$@" <<'EOF'
import json, sys
counts = json.load(open(sys.argv[1]))["counts"]
want = set(sys.argv[2:])
# at the NRF one per NF type the engine watches (monitor/collect.c,
# watch_types): an open5gs-like NRF accepts no subscription without one
per = {"nrf": 10}
ok = all(counts[k] == (per.get(k, 1) if k in want else 0) for k in counts)
sys.exit(0 if ok else 1)
EOF
}
none_held() { held; }
all_held() { held nrf nssf amf smf; }

# sessions_ok OUT: the engine's PDU sessions per active slice are the
# sim's (and what its one SMF subscription reported); written to OUT
sessions_ok() {
	sd slices --json >"$T/slices.json" || return 1
	simctl live >"$T/live.json" || return 1
	simctl subscriptions >"$T/subs.json" || return 1
	python3 - "$T/slices.json" "$T/live.json" "$T/subs.json" "$1" >"$T/diff.txt" <<'EOF'
import json, sys
eng = {s["id"]: s["live"]["pdu_sessions"] for s in json.load(open(sys.argv[1]))}
live = [s for s in json.load(open(sys.argv[2]))["slices"] if s["active"]]
smf = [s for s in json.load(open(sys.argv[3]))["subscriptions"] if s["kind"] == "smf"]
bad = []
if len(smf) != 1:
    bad.append("the sim holds %d SMF subscriptions" % len(smf))
for t in live:
    if eng[t["id"]] != t["pdu_sessions"]:
        bad.append("%s: engine %r PDU sessions, sim %r" % (t["id"], eng[t["id"]], t["pdu_sessions"]))
    if smf and smf[0]["sessions"].get(t["id"]) != t["pdu_sessions"]:
        bad.append("%s: the SMF subscription reported %r" % (t["id"], smf[0]["sessions"].get(t["id"])))
if not live or not any(t["pdu_sessions"] for t in live):
    bad.append("no sessions to count")
print("\n".join(bad))
json.dump({t["id"]: eng[t["id"]] for t in live}, open(sys.argv[4], "w"), sort_keys=True)
sys.exit(1 if bad else 0)
EOF
}

# steady OUT: sessions_ok now and still after three report periods
steady() {
	t_until 30 sessions_ok "$1" || { cat "$T/diff.txt"; return 1; }
	sleep 6
	sessions_ok "$1" || { cat "$T/diff.txt"; return 1; }
}

start_engine() {  # NAME
	rm -f "$T/sd.sock"
	t_start "$1" "$BUILD/slicedeckd" -c "$T/sd.conf" --socket "$T/sd.sock" \
		--state-dir "$T/state-$1" --nrf "$NRF" --stderr
	t_wait_file "$T/sd.sock" 10
}

reloads() {  # NAME: how many reloads it has logged
	grep -c 'reloaded' "$T/$1.log" 2>/dev/null || echo 0
}

# --- an engine, three SIGHUPs ---------------------------------------------------
start_engine a
t_until 30 all_held || { cat "$T/subs.json"; t_fail "the engine does not hold one subscription of each kind"; }
steady "$T/a0.json" || t_fail "engine a: PDU sessions differ from the sim's"

i=1
for poll in 2 3 2; do
	sed -i "s|^\([[:space:]]*poll_interval[[:space:]]*=\).*|\1 $poll;|" "$T/sd.conf"
	kill -HUP "$(t_pid a)"
	want=$i
	got() { [ "$(reloads a)" -ge "$want" ]; }
	t_until 10 got || t_fail "engine a did not log reload $i"
	sleep 1
	i=$((i + 1))
done
t_until 30 all_held || { cat "$T/subs.json"; t_fail "after three SIGHUPs the sim does not hold exactly one subscription per kind"; }
steady "$T/a3.json" || t_fail "engine a: after three SIGHUPs the PDU sessions differ from the sim's"
cmp -s "$T/a0.json" "$T/a3.json" || { cat "$T/a0.json" "$T/a3.json"; t_fail "engine a counts other sessions after the reloads"; }
grep -E 'subscription refused|could not delete subscription' "$T/a.log" && t_fail "subscription trouble in the log"

t_stop a || t_fail "engine a did not stop"
t_until 5 none_held || { cat "$T/subs.json"; t_fail "engine a left subscriptions behind at the sim"; }

# --- a fresh engine on the same sim state --------------------------------------------
start_engine b
t_until 30 all_held || { cat "$T/subs.json"; t_fail "the fresh engine does not hold one subscription of each kind"; }
steady "$T/b.json" || t_fail "engine b: PDU sessions differ from the sim's"
cmp -s "$T/a3.json" "$T/b.json" || { cat "$T/a3.json" "$T/b.json"; t_fail "the reloaded engine and a fresh one count different sessions"; }
t_stop b || t_fail "engine b did not stop"
t_until 5 none_held || { cat "$T/subs.json"; t_fail "engine b left subscriptions behind at the sim"; }

t_stop sim || t_fail "sim did not stop"
echo "reload_5gc: ok"

#!/bin/sh
# sim_basic.sh BUILD — slicedeck-sim as a process: it announces its NRF on
# stdout, serves the NRF over h2c, takes faults at run time through its
# control socket (mode 0600), suspends a "down" NF after its heartbeat
# timer, comes back when cleared, and stops cleanly on SIGTERM.
BUILD=${1:-build}
. tests/integration/lib.sh
command -v curl >/dev/null || { echo "SKIP: curl missing"; exit 0; }

t_tmp
SIM=$BUILD/slicedeck-sim
CTL="$SIM --control $T/ctl.sock --send"

# Bad invocations fail with a message, not a crash.
"$SIM" >"$T/noargs.out" 2>&1 && t_fail "no -c accepted"
t_expect_grep 'usage: slicedeck-sim' "$T/noargs.out"
"$SIM" -c tests/data/sim/zone.conf --fault 'melt:nf=AMF' >"$T/badfault.out" 2>&1 &&
	t_fail "unknown fault kind accepted"
t_expect_grep 'unknown fault kind "melt"' "$T/badfault.out"
"$SIM" -c tests/data/sim/zone.conf --fault 'nf-down:nf=MME' >"$T/badnf.out" 2>&1 &&
	t_fail "unknown NF accepted"
t_expect_grep 'nf=MME names no NF' "$T/badnf.out"
"$SIM" -c /nonexistent.conf >"$T/nocfg.out" 2>&1 && t_fail "missing config accepted"

t_start sim "$SIM" -c tests/data/sim/zone.conf --listen 127.0.0.1:0 --control "$T/ctl.sock" \
	--heartbeat 1 --seed 3 --fault 'delay:nf=NSSF,ms=10'
t_wait_log sim '^NRF http://127\.0\.0\.1:[0-9]+$' 10
R=$(sed -n 's/^NRF //p' "$T/sim.log" | head -1)
case "$R" in *:7777|*:0) t_fail "port 0 was not resolved: $R" ;; esac
t_wait_file "$T/ctl.sock" 5
mode=$(stat -c %a "$T/ctl.sock")
[ "$mode" = 600 ] || t_fail "control socket mode $mode, want 600"

get() {  # get FILE URL -> status
	curl -s --http2-prior-knowledge --max-time 10 -o "$T/$1" -w '%{http_code}' "$2"
}
[ "$(get list.json "$R/nnrf-nfm/v1/nf-instances?nf-type=AMF")" = 200 ] || t_fail "NRF list"
t_expect_grep '"totalItemCount":1' "$T/list.json"
AMF=$(sed 's/.*nf-instances\/\([0-9a-f-]*\)".*/\1/' "$T/list.json")
[ "$(get amf.json "$R/nnrf-nfm/v1/nf-instances/$AMF")" = 200 ] || t_fail "AMF profile"
t_expect_grep '"nfStatus":"REGISTERED"' "$T/amf.json"
t_expect_grep '"serviceName":"namf-evts"' "$T/amf.json"
[ "$(get nf404.json "$R/nnrf-nfm/v1/nf-instances/00000000-0000-4000-8000-000000000000")" = 404 ] ||
	t_fail "unknown NF not 404"
[ "$(get ana.json "$R/nnwdaf-analyticsinfo/v1/analytics?event-id=LOAD_LEVEL_INFORMATION")" = 200 ] ||
	t_fail "NWDAF analytics"
t_expect_grep '"sliceLoadLevelInfos"' "$T/ana.json"

# The control socket: faults at run time.
$CTL help >"$T/help.out" || t_fail "control help"
$CTL faults >"$T/faults.out" || t_fail "control faults"
t_expect_grep '"spec":"delay:nf=NSSF,ms=10"' "$T/faults.out"
$CTL 'fault error:nf=NWDAF,status=503' >"$T/f1.out" || t_fail "fault add: $(cat "$T/f1.out")"
[ "$(get ana503.json "$R/nnwdaf-analyticsinfo/v1/analytics?event-id=NF_LOAD")" = 503 ] ||
	t_fail "injected 503 not seen"
t_expect_grep '"cause":"NF_CONGESTION"' "$T/ana503.json"
$CTL 'fault nonsense' >"$T/f2.out" && t_fail "bad fault accepted at run time"
t_expect_grep '"ok":false' "$T/f2.out"

# The AMF goes down: heartbeats stop, the NRF suspends it (heartBeatTimer
# 1 s + 2 s margin), its API answers 503; cleared, it is back.
$CTL 'fault nf-down:nf=AMF' >/dev/null || t_fail "nf-down"
i=0
while [ $i -lt 100 ]; do
	get amf2.json "$R/nnrf-nfm/v1/nf-instances/$AMF" >/dev/null
	grep -q '"nfStatus":"SUSPENDED"' "$T/amf2.json" && break
	sleep 0.1; i=$((i + 1))
done
t_expect_grep '"nfStatus":"SUSPENDED"' "$T/amf2.json"
code=$(curl -s --http2-prior-knowledge --max-time 10 -o "$T/evts.json" -w '%{http_code}' \
	-H 'content-type: application/json' -d '{}' "$R/namf-evts/v1/subscriptions")
[ "$code" = 503 ] || t_fail "AMF down, its API answered $code"
$CTL 'fault drop-conn:nf=NSSF' >/dev/null
curl -s --http2-prior-knowledge --max-time 10 -o /dev/null \
	"$R/nnssf-nsselection/v2/network-slice-information?nf-type=AMF&nf-id=x" &&
	t_fail "drop-conn: the request succeeded"
kill -USR1 "$(t_pid sim)"            # SIGUSR1 clears every fault
t_wait_log sim 'fault\(s\) cleared' 5
[ "$(get amf3.json "$R/nnrf-nfm/v1/nf-instances/$AMF")" = 200 ] || t_fail "AMF profile after clear"
t_expect_grep '"nfStatus":"REGISTERED"' "$T/amf3.json"
$CTL faults >"$T/faults2.out"
t_expect_grep '"faults":\[\]' "$T/faults2.out"
$CTL status >"$T/status.out" || t_fail "status"
t_expect_grep '"name":"amf","type":"AMF"' "$T/status.out"

t_stop sim || t_fail "slicedeck-sim did not stop on SIGTERM"
[ ! -e "$T/ctl.sock" ] || t_fail "control socket left behind"
t_expect_grep 'stopping' "$T/sim.log"
echo "ok"

#!/bin/sh
# Exactly once across crashes: slicedeck-sim's SMFs report usage to the
# engine's CHF endpoint while the engine is SIGKILLed at random moments of
# intake, CHF_KILLS times (default 50), and restarted each time; the SMFs
# resend what got no answer and replay their caches. After the last restart
# and once every message the sim made was acknowledged, the ledger's totals
# equal the sim's ground truth slice by slice: 0 records lost, 0 doubled.
# Short intervals (a 100 ms SMF tick, 0.1-0.5 s between kills) keep the wall
# time near a minute.
BUILD=${1:-build}
. tests/integration/lib.sh
t_tmp
KILLS=${CHF_KILLS:-50}

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
t_sample_conf "$T/sd.conf" 'listen="127.0.0.1:'"$PORT"'"' 'log_level="notice"'
t_sim_engine "$T/sd.conf" --control "$T/sim.ctl" --chf "http://127.0.0.1:$PORT" --chf-interval 100 --chf-sessions 3
. tests/integration/lib_chf.sh

start_engine() {
	t_start engine "$BUILD/slicedeckd" -c "$T/sd.conf" --socket "$T/sd.sock" \
		--state-dir "$T/state" --nrf "$NRF" --stderr
}

i=0
answered_before=0
while [ $i -lt "$KILLS" ]; do
	i=$((i + 1))
	# 100..500 ms of intake (start-up included), then SIGKILL
	sleep "0.$(( $(od -An -N1 -tu1 /dev/urandom) % 5 + 1 ))"
	kill -KILL "$(t_pid engine)" 2>/dev/null || t_fail "the engine had died by itself before kill $i"
	wait "$(t_pid engine)" 2>/dev/null
	cat "$T/engine.log" >>"$T/engines.log"
	rm -f "$T/sd.sock"
	start_engine
done
t_wait_file "$T/sd.sock" 10
chf_truth
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if j["retransmissions"] > 0 else 1)' "$T/truth.json" ||
	t_fail "no request was ever resent: the kills did not hit intake"
chf_settle 60
chf_compare
cat "$T/engine.log" >>"$T/engines.log"
grep -q 'came again with other volumes' "$T/engines.log" && t_fail "a resend carried other volumes than the first send"
echo "chf_crash: ok: $KILLS SIGKILLs, $(chf_summary); 0 lost, 0 doubled"

#!/bin/sh
# Reload with a 5G core attached: the engine holds exactly one subscription
# of each kind at the sim (NRF status, NSSF availability, AMF and SMF event
# exposure) however often it reloads — each SIGHUP deletes what it held and
# subscribes again — and none once it has stopped. Before, every reload
# added one more of each and every notification arrived once per reload.
BUILD=${1:-build}
. tests/integration/lib.sh
t_tmp

t_sample_conf "$T/sd.conf" poll_interval=2
t_start sim "$BUILD/slicedeck-sim" -c "$T/sd.conf" --listen 127.0.0.1:0 \
	--heartbeat 2 --control "$T/sim.ctl" --seed 11
t_wait_log sim '^NRF http' 10
NRF=$(sed -n 's/^NRF //p' "$T/sim.log" | head -1)
t_start engine "$BUILD/slicedeckd" -c "$T/sd.conf" --socket "$T/sd.sock" \
	--state-dir "$T/state" --nrf "$NRF" --stderr
t_wait_file "$T/sd.sock" 10

simctl() { "$BUILD/slicedeck-sim" --control "$T/sim.ctl" --send "$*"; }
# subs KIND: how many subscriptions of KIND the sim holds
subs() { simctl status | python3 -c 'import json,sys; print(json.load(sys.stdin)["subscriptions"][sys.argv[1]])' "$1"; }
all_one() { for k in nrf nssf amf smf; do [ "$(subs $k)" = 1 ] || return 1; done; }
all_zero() { for k in nrf nssf amf smf; do [ "$(subs $k)" = 0 ] || return 1; done; }
show() { simctl status | python3 -c 'import json,sys; print(json.load(sys.stdin)["subscriptions"])'; }

t_until 20 all_one || t_fail "not one subscription of each kind after start: $(show)"
for i in 1 2 3; do
	kill -HUP "$(t_pid engine)"
	t_until 10 grep -c "reloaded" "$T/engine.log" >/dev/null
	n=$(grep -c 'reloaded' "$T/engine.log")
	[ "$n" -ge "$i" ] || t_until 10 sh -c "[ \$(grep -c reloaded '$T/engine.log') -ge $i ]" \
		|| t_fail "reload $i not logged"
	sleep 1
done
# settle: the re-made subscriptions are in, the old ones gone
t_until 20 all_one || t_fail "after 3 reloads the sim holds: $(show) (want 1 each)"
sleep 3
all_one || t_fail "after 3 reloads the sim holds: $(show) (want 1 each)"
"$BUILD/slicedeck" --socket "$T/sd.sock" slices --json >/dev/null || t_fail "engine not serving"

t_stop engine || t_fail "engine did not stop"
all_zero || t_fail "after shutdown the sim still holds: $(show)"
echo "reload_5gc: ok"

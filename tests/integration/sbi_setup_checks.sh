#!/bin/sh
# Set-up checks and data sources against slicedeck-sim (issue 9, items
# 3, 4 and 5), over real HTTP/2 on loopback:
#  - an NRF that refuses NF status subscriptions (400) in every form: the
#    engine logs each refused form once, falls back (per NF type -> all NFs
#    -> polling only), stops asking, and `slicedeck status` says so;
#  - `slicedeck status` lists every data source: against an open5gs-like
#    core the NWDAF and the event-exposure APIs are missing, with why;
#  - a configuration whose zone PLMN is none of the NFs' and whose slices'
#    S-NSSAIs no SMF serves: each warned exactly once.
BUILD=${1:-build}
. tests/integration/lib.sh
t_tmp

t_sample_conf "$T/sd.conf" poll_interval=2
# the engine's view of the zone: another PLMN, and S-NSSAIs the core lacks
sed -e 's/mcc = "460"; mnc = "00"/mcc = "001"; mnc = "01"/' \
    -e 's/snssai = "\([0-9]\)-0/snssai = "\1-f/' "$T/sd.conf" >"$T/eng.conf"
chmod 0600 "$T/eng.conf"
grep -q 'mcc = "001"' "$T/eng.conf" || t_fail "sed did not change the PLMN"

t_start sim "$BUILD/slicedeck-sim" -c "$T/sd.conf" --listen 127.0.0.1:0 --heartbeat 2 \
	--control "$T/sim.ctl" --profile open5gs-like \
	--fault error:status=400,path=/nnrf-nfm/v1/subscriptions
t_wait_log sim '^NRF http' 10
NRF=$(sed -n 's/^NRF //p' "$T/sim.log" | head -1)
t_start engine "$BUILD/slicedeckd" -c "$T/eng.conf" --socket "$T/sd.sock" \
	--state-dir "$T/state" --nrf "$NRF" --stderr
t_wait_file "$T/sd.sock" 10
sd() { "$BUILD/slicedeck" --socket "$T/sd.sock" "$@"; }

# --- item 3: each refused form once, then polling only ----------------------------------
t_wait_log engine 'refuses NF status subscriptions all NFs .*not asking again' 15
sleep 5   # two more poll cycles: nothing asked again, nothing said again
n1=$(grep -c 'refuses NF status subscriptions per NF type' "$T/engine.log")
n2=$(grep -c 'refuses NF status subscriptions all NFs' "$T/engine.log")
[ "$n1" = 1 ] && [ "$n2" = 1 ] || t_fail "refusals logged $n1 / $n2 times, not once each"
! grep -q 'subscription refused: .*asking again' "$T/engine.log" || t_fail "a refused form is retried"

# --- item 4: the data sources ---------------------------------------------------------------
sd status >"$T/status.txt" || t_fail "slicedeck status failed"
grep -q 'NWDAF analytics' "$T/status.txt" || { cat "$T/status.txt"; t_fail "no NWDAF row"; }
sd status --json | python3 -c '
import json, sys
rows = {r["name"]: r for r in json.load(sys.stdin)}
nrf = rows["NRF"]
assert nrf["found"] and nrf["state"] == "ok" and nrf["last_ok"], nrf
assert "none (polling only)" in nrf["note"] and "400" in nrf["note"], nrf["note"]
nw = rows["NWDAF analytics"]
assert not nw["found"] and nw["state"] == "missing" and "no NWDAF in this core" in nw["note"], nw
for name in ("AMF event exposure", "SMF event exposure", "NSSF NSSAI availability"):
    r = rows[name]
    assert not r["found"] and "in this core offers" in r["note"], r
    assert r["feeds"], r
' || { sd status --json; t_fail "slicedeck status does not describe the sources"; }

# --- item 5: set-up mismatches, once each ----------------------------------------------
t_wait_log engine "set-up: the zone's PLMN 001-01 is none of the NFs'" 10
t_wait_log engine 'set-up: no SMF serves any configured S-NSSAI' 10
sleep 3
[ "$(grep -c "set-up: the zone's PLMN" "$T/engine.log")" = 1 ] || t_fail "PLMN mismatch warned more than once"
[ "$(grep -c 'set-up: no SMF serves' "$T/engine.log")" = 1 ] || t_fail "SMF mismatch warned more than once"

t_stop engine || t_fail "engine did not stop"
t_stop sim || t_fail "sim did not stop"
echo "sbi_setup_checks: ok"

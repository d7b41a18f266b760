#!/bin/sh
# Issue 9 item 9, through the real engine and hostile clients
# (tests/tools/ipc_attack.py): one user cannot take every connection slot
# (per-user cap) while an operator is still served; a client that never
# says hello and one that drips a request a byte a second are closed after
# SD_IPC_LINE_TIMEOUT_MS (10 s); refusals are logged rate-limited; a client
# pipelining requests without reading its replies does not hold up an
# operator's ping, and still gets every reply once it reads.
BUILD=${1:-build}
. tests/integration/lib.sh
t_need_root
t_tmp

U=sdil$$
t_on_exit() { userdel "$U" 2>/dev/null; return 0; }
useradd -M -N -s /usr/sbin/nologin "$U" || t_fail "useradd"
# a copy the throwaway user can read, run by the system's python
cp tests/tools/ipc_attack.py "$T/attack.py"
chmod 0755 "$T" "$T/attack.py"
ATTACK="/usr/bin/python3 $T/attack.py"

cat >"$T/sd.conf" <<CONF
engine = { socket = "$T/sd.sock"; socket_mode = "0666"; state_dir = "$T/state"; log_level = "info"; };
zone = { name = "Limits Park"; plmn = { mcc = "460"; mnc = "00"; }; };
sbi = { nrf = "http://127.0.0.1:9"; poll_interval = 60; };
factories = (
  { id = "alpha"; name = "Alpha"; mode = "virtual"; level = "factory"; security_grade = 1;
    dnns = [ "alpha.corp" ]; sites = ( { id = "alpha-s1"; lat = 36.6; lon = 117.0; } );
    slices = ( { id = "alpha-s"; snssai = "1-00a001"; scenario = "site-monitoring"; } ); }
);
access = { rules = (
  { user = "root"; role = "operator"; },
  { user = "$U"; role = "factory"; factory = "alpha"; }
); };
CONF
t_start engine "$BUILD/slicedeckd" -c "$T/sd.conf" --stderr
t_wait_file "$T/sd.sock" 10

# --- per-user cap, the operator still served -------------------------------
HOLD=3 setpriv --reuid "$U" --regid "$(id -g "$U")" --clear-groups \
	$ATTACK "$T/sd.sock" flood 60 >"$T/flood.out" 2>&1 &
FLOOD=$!
t_until 10 grep -q '^first refusal' "$T/flood.out" || t_fail "flood did not finish: $(cat "$T/flood.out")"
grep -q '^accepted 32 refused 28$' "$T/flood.out" || t_fail "per-user cap: $(cat "$T/flood.out")"
grep -q 'has 32 connections open already (at most 32)' "$T/flood.out" || t_fail "refusal text: $(cat "$T/flood.out")"
python3 tests/tools/ipc.py "$T/sd.sock" call ping | grep -q '"result"' ||
	t_fail "the operator was not served while a factory user held its 32 connections"
wait $FLOOD
n=$(grep -c 'ipc: refused' "$T/engine.log")
[ "$n" -le 10 ] || t_fail "$n refusal lines logged for 28 refusals (at most 10 a minute)"
[ "$n" -ge 1 ] || t_fail "refusals not logged at all"
# an operator (root here) is not held to the per-user cap: 40 at once
HOLD=1 $ATTACK "$T/sd.sock" flood 40 >"$T/flood_op.out" 2>&1 ||
	t_fail "operator flood: $(cat "$T/flood_op.out")"
grep -q '^accepted 40 refused 0$' "$T/flood_op.out" ||
	t_fail "an operator was held to the per-user cap: $(cat "$T/flood_op.out")"

# --- slow and silent clients -------------------------------------------------
$ATTACK "$T/sd.sock" slow >"$T/slow.out" 2>&1 || t_fail "slow: $(cat "$T/slow.out")"
grep -Eq '^quiet: error\+closed after (9|10|11|12)\.[0-9] s: .*no hello within 10 s' "$T/slow.out" ||
	t_fail "a client that never said hello: $(cat "$T/slow.out")"
grep -Eq '^drip: error\+closed after (9|10|11|12|13)\.[0-9] s: .*request line not finished within 10 s' "$T/slow.out" ||
	t_fail "a client dripping a request: $(cat "$T/slow.out")"

# --- a client pipelining without reading -------------------------------------
$ATTACK "$T/sd.sock" pipeline 20000 >"$T/pipe.out" 2>&1 || t_fail "pipeline: $(cat "$T/pipe.out")"
ms=$(sed -n 's/^worst noc ping \([0-9]*\) ms$/\1/p' "$T/pipe.out")
[ -n "$ms" ] || t_fail "pipeline: $(cat "$T/pipe.out")"
[ "$ms" -lt 300 ] || t_fail "an operator's ping waited $ms ms behind a pipelining client"
grep -q '^hog replies 20000 of 20000$' "$T/pipe.out" || t_fail "pipelining client: $(cat "$T/pipe.out")"
t_stop engine || t_fail "engine did not stop"
echo "ipc_limits: ok"

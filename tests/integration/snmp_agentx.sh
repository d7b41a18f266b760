#!/bin/sh
# The AgentX subagent through a real snmpd master on loopback: the engine
# starts before snmpd (a missing master is logged, the engine serves on);
# snmpd comes up and snmpwalk returns the four SLICEDECK-MIB tables, which
# match `slicedeck factories|slices|nfs|alarms --json` (an NF alarm raised by
# the sim's fault injection in the alarm table); snmpd restarts and the
# tables come back; a fake master that sends garbage and closes leaves the
# engine running and answering.
BUILD=${1:-build}
. tests/integration/lib.sh
. tests/integration/lib_snmp.sh
t_tmp
command -v snmpd >/dev/null || t_fail "snmpd missing (make deps installs it)"

SP=$(t_udp_port); AX=$(t_tcp_port)
cat >"$T/snmpd.conf" <<EOC
agentaddress udp:127.0.0.1:$SP
master agentx
agentXSocket tcp:127.0.0.1:$AX
rocommunity public 127.0.0.1
EOC
mkdir -p "$T/snmpd.persist"
start_snmpd() {
	t_start snmpd env SNMP_PERSISTENT_DIR="$T/snmpd.persist" MIBS= snmpd -f -Lo -C \
		-c "$T/snmpd.conf" -I -smux,mteTrigger,mteTriggerConf,ifTable,ipAddr
}

t_sd_conf "$T/sd.conf" "snmp = { heartbeat = 0;
	agentx = { socket = \"tcp:127.0.0.1:$AX\"; retry = 1; };
	targets = ( );
};"
t_snmp_sim_engine

# no master yet: logged, and the engine serves
t_wait_log engine 'AgentX|agentx' 10
sd whoami >/dev/null || t_fail "the engine does not answer without a master agent"

walk() {
	MIBS= snmpwalk -v2c -c public -On -Oq -Oe -t 1 -r 1 "127.0.0.1:$SP" .1.3.6.1.4.1.32473.1.2 \
		>"$T/walk.txt" 2>"$T/walk.err"
}
have_rows() { walk && grep -q '^.1.3.6.1.4.1.32473.1.2.2.1.2.' "$T/walk.txt"; }
nfs_ok() { [ "$(sd nfs --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" -ge 8 ]; }
t_until 15 nfs_ok || t_fail "the engine did not discover the sim's NFs"
"$BUILD/slicedeck-sim" --control "$T/sim.ctl" --send 'fault nf-down:nf=NWDAF' >/dev/null
alarmed() { sd alarms --json | grep -q nf-unreachable; }
t_until 15 alarmed || t_fail "no NF alarm"
ID=$(sd alarms --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
sd alarm ack "$ID" >/dev/null || t_fail "ack"

compare() {
	sd factories --json >"$T/f.json" && sd slices --json >"$T/s.json" &&
	sd nfs --json >"$T/n.json" && sd alarms --json >"$T/a.json" && walk &&
	python3 tests/integration/snmp/walk.py "$T/walk.txt" factories "$T/f.json" \
		slices "$T/s.json" nfs "$T/n.json" alarms "$T/a.json" >"$T/cmp.txt" 2>&1
}

start_snmpd
t_until 15 have_rows || { cat "$T/walk.err" "$T/walk.txt" | tail; t_fail "no tables through snmpd"; }
# the tables are at most a second old: compare until they agree (bounded)
t_until 10 compare || { cat "$T/cmp.txt"; t_fail "the walked tables do not match the engine"; }
echo "rows (factories slices nfs alarms): $(cat "$T/cmp.txt")"
[ "$(cut -d' ' -f4 "$T/cmp.txt")" -ge 1 ] || t_fail "the active alarm is not in sdActiveAlarmTable"
# names resolve with the MIB
MIBS=SLICEDECK-MIB MIBDIRS="$MIBDIRS_SD" snmpwalk -v2c -c public -t 1 "127.0.0.1:$SP" \
	SLICEDECK-MIB::sdActiveAlarmSeverity >"$T/named.txt" 2>&1
t_expect_grep 'SLICEDECK-MIB::sdActiveAlarmSeverity\.[0-9]+ = INTEGER: (major|critical)' "$T/named.txt"

# snmpd restarts: the subagent reconnects (ping every second)
t_stop snmpd || t_fail "snmpd did not stop"
sd whoami >/dev/null || t_fail "the engine does not answer after the master went away"
start_snmpd
t_until 20 have_rows || { tail "$T/engine.log"; t_fail "the tables did not come back after the snmpd restart"; }
t_until 10 compare || { cat "$T/cmp.txt"; t_fail "after the restart the tables do not match"; }

# a master that sends garbage and closes
t_stop snmpd || t_fail "snmpd did not stop"
python3 - "$AX" <<'PY' &
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(4); s.settimeout(8)
end = time.time() + 8
n = 0
while time.time() < end and n < 3:
    try:
        c, _ = s.accept()
    except socket.timeout:
        break
    c.recv(4096)
    c.sendall(b"\x01\x12\x00\x00" + b"\xff" * 60 if n % 2 == 0 else b"garbage\r\n" * 20)
    time.sleep(0.2)
    c.close()
    n += 1
PY
FAKE=$!
sleep 4
kill "$FAKE" 2>/dev/null; wait "$FAKE" 2>/dev/null
kill -0 "$(t_pid engine)" || t_fail "the engine died on a garbage master"
sd whoami >/dev/null || t_fail "the engine does not answer after a garbage master"
start_snmpd
t_until 20 have_rows || t_fail "the tables did not come back after the garbage master"
echo "snmp_agentx: ok"

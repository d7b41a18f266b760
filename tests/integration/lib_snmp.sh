# tests/integration/lib_snmp.sh — real net-snmp daemons for the SNMP tests
# (POSIX sh; after lib.sh and t_tmp).
#
#   t_udp_port                 a free UDP port on 127.0.0.1 and [::1]
#   t_tcp_port                 a free TCP port on 127.0.0.1
#   t_trapd NAME LISTEN [LINE...]
#                              snmptrapd on LISTEN ("udp:127.0.0.1:P",
#                              "udp6:[::1]:P"), its config the extra LINEs
#                              after the format line traps.py reads; logs
#                              every notification to $T/NAME.log, decoded
#                              with etc/SLICEDECK-MIB.txt; stopped by PID
#                              like every t_start process
#   t_traps NAME ARGS...       tests/integration/snmp/traps.py on $T/NAME.log
#   t_sd_conf OUT SNMP_GROUP   the sample zone (0600) with its snmp group
#                              replaced by SNMP_GROUP (libconfig text)
#   t_snmp_sim_engine          $T/sd.conf polled every 2 s: the sim (NF
#                              heartbeats 1 s, control socket $T/sim.ctl)
#                              and the engine (state $T/state, socket
#                              $T/sd.sock) started; defines sd()
MIBDIRS_SD="$(pwd)/etc:$(pwd)/etc/mibs"

t_udp_port() {
	python3 -c '
import socket
for _ in range(50):
    a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); a.bind(("127.0.0.1", 0))
    p = a.getsockname()[1]
    try:
        b = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); b.bind(("::1", p)); b.close()
    except OSError:
        a.close(); continue
    a.close(); print(p); break'
}

t_tcp_port() {
	python3 -c '
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

t_trapd() {
	name=$1; listen=$2; shift 2
	{
		printf '%s\n' 'format2 TRAP %b|| %V~|~ %v\n'
		for l in "$@"; do printf '%s\n' "$l"; done
	} >"$T/$name.conf"
	mkdir -p "$T/$name.persist"
	# env execs snmptrapd: the recorded PID is the daemon's
	t_start "$name" env SNMP_PERSISTENT_DIR="$T/$name.persist" MIBS=SNMPv2-MIB:SLICEDECK-MIB \
		MIBDIRS="$MIBDIRS_SD" snmptrapd -f -Lo -n -C -c "$T/$name.conf" -X "$listen"
	t_wait_log "$name" 'NET-SNMP version' 10
}

t_traps() {
	name=$1; shift
	python3 tests/integration/snmp/traps.py "$T/$name.log" "$@"
}

t_sd_conf() {
	out=$1
	python3 - etc/slicedeck.conf "$out" "$2" <<'PY'
import re, sys
src, out, group = sys.argv[1:4]
text = open(src).read()
text, n = re.subn(r"(?ms)^snmp = \{.*?^\};\n", group.rstrip("\n") + "\n", text)
assert n == 1, "no snmp group in the sample"
open(out, "w").write(text)
PY
	chmod 0600 "$out"
}

t_snmp_sim_engine() {
	sed -i 's/^\([[:space:]]*poll_interval[[:space:]]*=\).*/\1 2;/' "$T/sd.conf"
	t_sim_engine "$T/sd.conf" --heartbeat 1 --control "$T/sim.ctl" --seed 7
}
sd() { "$BUILD/slicedeck" --socket "$T/sd.sock" "$@"; }

#!/bin/sh
# The engine's role scoping through the real processes: throwaway Unix users
# connect to a real slicedeckd with the real slicedeck CLI (setpriv drops to
# each user), and the engine alone decides what each sees. Also: a client
# sending garbage cannot hurt others; SIGHUP with a bad file keeps the old
# configuration; SIGHUP with a good one re-scopes; SIGTERM removes the socket.
BUILD=${1:-build}
. tests/integration/lib.sh
t_need_root
t_tmp

sfx=$$
G=sdtg$sfx
UA=sdta$sfx; UB=sdtb$sfx; UV=sdtv$sfx; UN=sdtn$sfx
t_on_exit() {
	for u in $UA $UB $UV $UN; do userdel "$u" 2>/dev/null; done
	groupdel "$G" 2>/dev/null
	return 0
}
groupadd "$G" || t_fail "groupadd"
for u in $UA $UB $UV $UN; do
	useradd -M -N -g "$G" -s /usr/sbin/nologin "$u" || t_fail "useradd $u"
done

write_conf() {  # $1 = factory bound to UA
	cat >"$T/sd.conf" <<EOF
engine = {
  socket = "$T/sd.sock";
  socket_group = "$G";
  state_dir = "$T/state";
  log_level = "info";
};
zone = { name = "Role Test Park"; plmn = { mcc = "460"; mnc = "00"; }; };
# no 5G core in this test: a closed loopback port
sbi = { nrf = "http://127.0.0.1:9"; poll_interval = 60; };
factories = (
  { id = "alpha"; name = "Alpha Steel"; industry = "steel"; zone = "north";
    mode = "hybrid"; level = "workshop"; security_grade = 2; dnns = [ "alpha.mec" ];
    sites = ( { id = "alpha-s1"; name = "Alpha rolling mill"; lat = 36.6; lon = 117.0;
                cells = ( { id = "alpha-c1"; nci = "000000a01"; tac = "00a001"; x = 10.0; y = 10.0; pci = 11; } ); } );
    slices = ( { id = "alpha-crane"; name = "crane control"; snssai = "2-00a001";
                 scenario = "remote-control"; dnn = "alpha.mec"; state = "active"; sites = [ "alpha-s1" ]; },
               { id = "alpha-vision"; name = "QC cameras"; snssai = "1-00a002";
                 scenario = "machine-vision-qc"; dnn = "alpha.mec"; state = "active"; } ); },
  { id = "bravo"; name = "Bravo Petrochem"; industry = "petrochemicals"; zone = "south";
    mode = "virtual"; level = "factory"; security_grade = 3; dnns = [ "bravo.corp" ];
    sites = ( { id = "bravo-s1"; name = "Bravo cracker"; lat = 36.7; lon = 117.1;
                cells = ( { id = "bravo-c1"; nci = "000000b01"; tac = "00b001"; x = 5.0; y = 5.0; pci = 21; } ); } );
    slices = ( { id = "bravo-sensors"; name = "plant sensors"; snssai = "3-00b001";
                 scenario = "site-monitoring"; dnn = "bravo.corp"; state = "active"; },
               { id = "bravo-inspect"; name = "inspection robots"; snssai = "1-00b002";
                 scenario = "inspection"; dnn = "bravo.corp"; state = "suspended"; } ); }
);
access = {
  rules = (
    { user = "$UA"; role = "factory"; factory = "$1"; },
    { user = "$UB"; role = "factory"; factory = "bravo"; },
    { user = "$UV"; role = "viewer"; }
  );
};
EOF
	chmod 0640 "$T/sd.conf"
}
write_conf alpha
CLI=$(t_user_bin slicedeck)

as() {  # as USER slicedeck-args...
	u=$1; shift
	setpriv --reuid "$u" --regid "$G" --init-groups "$CLI" --socket "$T/sd.sock" "$@"
}

"$BUILD/slicedeckd" -t "$T/sd.conf" >"$T/check.out" 2>&1 || { cat "$T/check.out"; t_fail "sample role config rejected"; }
t_start engine "$BUILD/slicedeckd" -c "$T/sd.conf" --stderr
t_wait_file "$T/sd.sock" 10
[ "$(stat -c %a "$T/sd.sock")" = 660 ] || t_fail "socket mode is $(stat -c %a "$T/sd.sock"), want 660"
[ "$(stat -c %G "$T/sd.sock")" = "$G" ] || t_fail "socket group is $(stat -c %G "$T/sd.sock"), want $G"

# --- factory user A: alpha only, in every listing -------------------------
for what in factories slices sites cells; do
	as "$UA" "$what" --json >"$T/a-$what.json" || t_fail "$UA $what"
	if grep -q bravo "$T/a-$what.json"; then cat "$T/a-$what.json"; t_fail "$UA saw bravo in $what"; fi
done
t_expect_grep '"alpha-crane"' "$T/a-slices.json"
t_expect_grep '"alpha-vision"' "$T/a-slices.json"
as "$UA" slices --csv >"$T/a.csv" || t_fail "csv"
[ "$(wc -l <"$T/a.csv")" -eq 3 ] || { cat "$T/a.csv"; t_fail "csv: want header + 2 rows"; }
as "$UA" whoami >"$T/a-who.txt"
t_expect_grep "role factory, factory alpha" "$T/a-who.txt"
if as "$UA" slices --factory bravo >"$T/a-forbidden.txt" 2>&1; then t_fail "$UA read bravo"; fi
t_expect_grep "outside your scope" "$T/a-forbidden.txt"
# a factory id that does not exist is refused the same way (no probing)
if as "$UA" slices --factory nosuch >"$T/a-nosuch.txt" 2>&1; then t_fail "nosuch"; fi
t_expect_grep "outside your scope" "$T/a-nosuch.txt"

# --- factory user B: bravo only ------------------------------------------
as "$UB" slices --json >"$T/b.json" || t_fail "$UB slices"
grep -q alpha "$T/b.json" && t_fail "$UB saw alpha"
t_expect_grep '"bravo-sensors"' "$T/b.json"

# --- viewer: everything ----------------------------------------------------
as "$UV" slices >"$T/v.txt" || t_fail "viewer slices"
t_expect_grep "alpha-crane" "$T/v.txt"
t_expect_grep "bravo-sensors" "$T/v.txt"

# --- a user without a rule is refused with a reason ------------------------
if as "$UN" slices >"$T/n.txt" 2>&1; then t_fail "$UN got in"; fi
t_expect_grep "no slicedeck role" "$T/n.txt"

# --- a misbehaving client does not stall the others -------------------------
python3 - "$T/sd.sock" >"$T/garbage.out" 2>&1 <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(b'{"id":1,"op":"hello","version":1}\n')
s.sendall(b'x' * 200000 + b'\n')          # oversized line
s.sendall(b'{not json\n')                  # invalid JSON
s.sendall(b'{"id":2,"op":"launch_missiles"}\n')
s.sendall(b'{"id":3,"op":"slices"}\n')
time.sleep(0.5)
data = b''
s.settimeout(2)
try:
    while data.count(b'\n') < 5:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
except socket.timeout:
    pass
sys.stdout.write(data.decode())
# then hold a half-sent line open while others work
s.sendall(b'{"id":4,"op":')
time.sleep(2)
PY
GPID=$!
sleep 0.3
as "$UB" slices >"$T/b2.txt" || t_fail "$UB blocked by a garbage client"
wait $GPID
t_expect_grep '"too_large"' "$T/garbage.out"
t_expect_grep '"parse_error"' "$T/garbage.out"
t_expect_grep '"unknown_op"' "$T/garbage.out"
t_expect_grep '"id":3,"result":\{"slices"' "$T/garbage.out"

# --- SIGHUP: a bad file is rejected, the running config kept ---------------
cp "$T/sd.conf" "$T/good.conf"
echo 'bogus_key = 1;' >>"$T/sd.conf"
kill -HUP "$(t_pid engine)"
t_wait_log engine "reload of .* rejected" 10
as "$UA" slices --json >"$T/a2.json" || t_fail "engine stopped serving after a bad reload"
t_expect_grep '"alpha-crane"' "$T/a2.json"

# --- SIGHUP: a good file re-scopes users -------------------------------------
write_conf bravo
kill -HUP "$(t_pid engine)"
t_wait_log engine "reloaded:" 10
as "$UA" slices --json >"$T/a3.json" || t_fail "$UA after reload"
grep -q alpha "$T/a3.json" && t_fail "$UA still sees alpha after being moved to bravo"
t_expect_grep '"bravo-sensors"' "$T/a3.json"

# --- SIGTERM: clean stop, socket removed ---------------------------------------
t_stop engine || t_fail "engine did not stop on SIGTERM"
[ -e "$T/sd.sock" ] && t_fail "socket left behind"
# the console says so clearly when the engine is not there, and does not hang
if timeout 5 "$BUILD/slicedeck" --socket "$T/sd.sock" factories >"$T/down.txt" 2>&1; then t_fail "no engine but success"; fi
t_expect_grep "is slicedeckd running" "$T/down.txt"
if timeout 5 "$BUILD/slicedeck" --socket "$T/sd.sock" >"$T/down2.txt" 2>&1 </dev/null; then t_fail "TUI without engine succeeded"; fi
t_expect_grep "is slicedeckd running" "$T/down2.txt"
echo "engine_roles: ok"

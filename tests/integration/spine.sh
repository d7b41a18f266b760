#!/bin/sh
# The engine's spine through the real processes: a reload that changes one
# slice pushes exactly that slice to a delta subscriber (and nothing to a
# factory console that cannot see it), a restart-only key that changed is
# named in the log and in the reload op's reply, unknown parameters are
# refused, help lists only what a role may use, and mutating requests —
# refusals included — land in the audit log, which a factory user sees
# only for its own factory.
BUILD=${1:-build}
. tests/integration/lib.sh
t_need_root
t_tmp

sfx=$$
G=sdsg$sfx; UA=sdsa$sfx; UV=sdsv$sfx
t_on_exit() {
	for u in $UA $UV; do userdel "$u" 2>/dev/null; done
	groupdel "$G" 2>/dev/null
	return 0
}
groupadd "$G" || t_fail "groupadd"
for u in $UA $UV; do useradd -M -N -g "$G" -s /usr/sbin/nologin "$u" || t_fail "useradd $u"; done

write_conf() {  # $1 = name of bravo-sensors, $2 = SLA window (minutes, restart-only)
	cat >"$T/sd.conf" <<EOF2
engine = { socket = "$T/sd.sock"; socket_group = "$G"; state_dir = "$T/state"; log_level = "info"; };
zone = { name = "Spine Test Park"; plmn = { mcc = "460"; mnc = "00"; }; };
sbi = { nrf = "http://127.0.0.1:9"; poll_interval = 60; };
monitor = { sla = { window = $2; }; };
factories = (
  { id = "alpha"; name = "Alpha Steel"; industry = "steel"; zone = "north";
    mode = "hybrid"; level = "workshop"; security_grade = 2; dnns = [ "alpha.mec" ];
    sites = ( { id = "alpha-s1"; name = "Alpha mill"; lat = 36.6; lon = 117.0;
                cells = ( { id = "alpha-c1"; nci = "000000a01"; tac = "00a001"; x = 10.0; y = 10.0; pci = 11; } ); } );
    slices = ( { id = "alpha-crane"; name = "crane control"; snssai = "2-00a001";
                 scenario = "remote-control"; dnn = "alpha.mec"; state = "active"; } ); },
  { id = "bravo"; name = "Bravo Petrochem"; industry = "petrochemicals"; zone = "south";
    mode = "virtual"; level = "factory"; security_grade = 3; dnns = [ "bravo.corp" ];
    sites = ( { id = "bravo-s1"; name = "Bravo cracker"; lat = 36.7; lon = 117.1;
                cells = ( { id = "bravo-c1"; nci = "000000b01"; tac = "00b001"; x = 5.0; y = 5.0; pci = 21; } ); } );
    slices = ( { id = "bravo-sensors"; name = "$1"; snssai = "3-00b001";
                 scenario = "site-monitoring"; dnn = "bravo.corp"; state = "active"; } ); }
);
access = { rules = ( { user = "$UA"; role = "factory"; factory = "alpha"; },
                     { user = "$UV"; role = "viewer"; } ); };
EOF2
	chmod 0600 "$T/sd.conf"
}

mkdir -p "$T/bin" && chmod 0755 "$T/bin"
cp tests/tools/ipc.py "$T/bin/ipc.py" && chmod 0755 "$T/bin/ipc.py"
IPC="/usr/bin/python3 $T/bin/ipc.py $T/sd.sock"
as() { u=$1; shift; setpriv --reuid "$u" --regid "$G" --init-groups "$@"; }

write_conf "plant sensors" 5
t_start engine "$BUILD/slicedeckd" -c "$T/sd.conf" --stderr
t_wait_log engine "ready" 10

# two delta subscribers: the operator (root) and alpha's factory user
t_start watch_op $IPC watch 6 delta slices
as "$UA" $IPC watch 6 delta slices >"$T/watch_f.log" 2>&1 &
echo $! >"$T/watch_f.pid"; SD_PIDS="$SD_PIDS watch_f"
t_until 5 grep -q '"snapshot"' "$T/watch_op.log" || t_fail "no snapshot for the operator"
t_until 5 grep -q '"snapshot"' "$T/watch_f.log" || t_fail "no snapshot for the factory user"
grep '"snapshot"' "$T/watch_f.log" | grep -q bravo && t_fail "the factory snapshot shows bravo"

# one slice renamed, one restart-only key changed; SIGHUP
write_conf "plant sensors (east)" 7
kill -HUP "$(t_pid engine)"
t_wait_log engine "reloaded" 10
t_expect_grep "monitor.sla.window changed: takes effect at the next start" "$T/engine.log"
t_until 5 grep -q '"delta":{"gen"' "$T/watch_op.log" || t_fail "no delta for the operator"
sleep 0.5
n=$(grep -c '"delta":{"gen"' "$T/watch_op.log")
[ "$n" -eq 1 ] || t_fail "expected one delta, got $n: $(grep delta "$T/watch_op.log")"
d=$(grep '"delta":{"gen"' "$T/watch_op.log")
echo "$d" | grep -q '"upsert":\[{"id":"bravo-sensors"' || t_fail "delta is not bravo-sensors: $d"
echo "$d" | grep -q 'plant sensors (east)' || t_fail "delta lacks the new name: $d"
echo "$d" | grep -q 'alpha-crane' && t_fail "delta carries an unchanged slice: $d"
grep -q '"delta":{"gen"' "$T/watch_f.log" && t_fail "alpha's console got a delta for bravo's slice"

# the reload op names the pending key too (operators only)
r=$($IPC call reload)
echo "$r" | grep -q '"restart_pending":\["monitor.sla.window"\]' || t_fail "reload reply: $r"
r=$(as "$UV" $IPC call reload)
echo "$r" | grep -q '"code":"forbidden"' || t_fail "a viewer reloaded: $r"

# schemas: an unknown parameter is refused, not ignored
r=$($IPC call slices '{"factory":"alpha","bogus":1}')
echo "$r" | grep -q '"code":"bad_request"' || t_fail "unknown parameter accepted: $r"
echo "$r" | grep -q 'bogus' || t_fail "the refusal does not name the parameter: $r"

# help: what a viewer may use, no more
r=$(as "$UV" $IPC call help)
echo "$r" | grep -q '"op":"alarm.ack"' && t_fail "help offers alarm.ack to a viewer"
echo "$r" | grep -q '"op":"coverage.add"' && t_fail "help offers coverage.add to a viewer"
echo "$r" | grep -q '"op":"slices"' || t_fail "help lacks slices: $r"
r=$($IPC call help)
echo "$r" | grep -q '"op":"alarm.ack"' || t_fail "help hides alarm.ack from the operator"

# audit: a refused ack by the viewer, the factory user's walk-test import
# into its own site and a refused one into bravo's, the operator's reload
as "$UV" $IPC call alarm.ack '{"alarm":99}' >/dev/null
as "$UA" $IPC call coverage.add '{"site":"alpha-s1","samples":[[1700000000000,1.0,1.0,"alpha-c1",-80.0,20.0]]}' \
	| grep -q '"accepted":1' || t_fail "alpha's import failed"
as "$UA" $IPC call coverage.add '{"site":"bravo-s1","samples":[]}' | grep -q forbidden \
	|| t_fail "alpha imported into bravo"
# issue 9 item 13: a cell name must be one of the factory's cells: bravo's
# id and an escape sequence are refused, not stored
r=$(as "$UA" $IPC call coverage.add '{"site":"alpha-s1","samples":[[1700000000001,2.0,2.0,"bravo-c1",-80.0,20.0],[1700000000002,2.0,2.0,"\u001b[31mx",-80.0,20.0]]}')
echo "$r" | grep -q '"accepted":0' || t_fail "foreign / escape cell names accepted: $r"
echo "$r" | grep -q '"unknown_cells":2' || t_fail "unknown cells not counted: $r"
echo "$r" | grep -q '"first_unknown_cell":"bravo-c1"' || t_fail "first unknown cell not named: $r"
r=$($IPC call audit)
for want in '"op":"alarm.ack".*"outcome":"forbidden"' '"op":"coverage.add".*"factory":"alpha","outcome":"ok"' \
	    '"op":"reload".*"outcome":"ok"'; do
	echo "$r" | grep -q "$want" || t_fail "audit lacks $want: $r"
done
echo "$r" | grep -q "\"user\":\"$UV\"" || t_fail "audit lacks the viewer's user name"
r=$(as "$UA" $IPC call audit)
echo "$r" | grep -q '"op":"reload"' && t_fail "alpha sees zone-wide audit records"
echo "$r" | grep -q '"op":"coverage.add".*"factory":"alpha"' || t_fail "alpha does not see its own: $r"
r=$(as "$UA" $IPC call audit '{"factory":"bravo"}')
echo "$r" | grep -q '"code":"forbidden"' || t_fail "alpha read bravo's audit: $r"
# append-only, even for whoever opens the file
if command -v sqlite3 >/dev/null 2>&1; then
	sqlite3 "$T/state/audit.db" "DELETE FROM audit" 2>/dev/null && t_fail "audit rows deletable"
fi
t_stop engine || t_fail "engine did not stop"

# the default configuration is where `make install` puts it (SYSCONFDIR
# follows PREFIX), not a path fixed at /etc
sc=$(make -s --no-print-directory print-SYSCONFDIR)
"$BUILD/slicedeckd" --help | grep -q "default $sc/slicedeck/slicedeck.conf" \
	|| t_fail "slicedeckd's default config is not under SYSCONFDIR $sc"
echo "spine: ok"

#!/bin/sh
# etc/open5gs-example.conf, the README's "Connecting to a real core"
# example: it passes --check-config, and an engine started on it against
# the simulator playing an Open5GS core (--profile open5gs-like, on the
# example's own loopback address 127.0.0.10 but another port) sees the
# core's NFs, loads the open5gs plugin from the build's plugin directory,
# and says in `slicedeck status` which sources this core does not offer,
# as the example's comments promise.
BUILD=${1:-build}
. tests/integration/lib.sh
t_tmp
conf=etc/open5gs-example.conf
"$BUILD/slicedeckd" --check-config "$conf" >"$T/check.txt" 2>&1 ||
	{ cat "$T/check.txt"; t_fail "the example does not pass --check-config"; }
t_expect_grep "ok: zone Open5GS lab core, PLMN 001-01, 1 factory, 1 site, 2 cells, 3 slices" "$T/check.txt"

# the same file, run from the test directory: socket, state and plugins here
case $BUILD in /*) PD=$BUILD/plugins ;; *) PD=$(pwd)/$BUILD/plugins ;; esac
sed -e "s|\"/usr/lib/slicedeck/plugins\"|\"$PD\"|" \
    -e 's|listen   = "127.0.0.1:7790"|listen   = "127.0.0.1:0"|' \
    -e 's|log          = "syslog"|log          = "stderr"|' "$conf" >"$T/sd.conf"
chmod 0640 "$T/sd.conf"
t_start sim "$BUILD/slicedeck-sim" -c "$T/sd.conf" --listen 127.0.0.10:0 --profile open5gs-like \
	--seed 4
t_wait_log sim '^NRF http' 10
NRF=$(sed -n 's/^NRF //p' "$T/sim.log" | head -1)
case $NRF in http://127.0.0.10:*) ;; *) t_fail "the sim is not on 127.0.0.10: $NRF" ;; esac
t_start engine "$BUILD/slicedeckd" -c "$T/sd.conf" --socket "$T/sd.sock" \
	--state-dir "$T/state" --nrf "$NRF" --stderr
t_wait_file "$T/sd.sock" 10
sd() { "$BUILD/slicedeck" --socket "$T/sd.sock" "$@"; }

nfs_seen() { sd nfs --json | python3 -c 'import json,sys; sys.exit(0 if any(n["type"] == "SMF" for n in json.load(sys.stdin)) else 1)'; }
t_until 15 nfs_seen || { sd nfs; t_fail "no SMF of the Open5GS-like core seen"; }
sd plugins >"$T/plugins.txt" 2>&1 || t_fail "slicedeck plugins: $(cat "$T/plugins.txt")"
t_expect_grep '^open5gs +running' "$T/plugins.txt"
sd status --json >"$T/status.json" || t_fail "slicedeck status"
python3 - "$T/status.json" <<'PY' || t_fail "status does not say what the core lacks (above)"
import json, sys
d = json.load(open(sys.argv[1]))
d = d["sources"] if isinstance(d, dict) else d
by = {s["name"]: s for s in d}
print({n: (s["found"], s.get("note")) for n, s in by.items()})
assert by["NRF"]["found"] and by["NRF"]["state"] == "ok", by["NRF"]
missing = [n for n, s in by.items() if not s["found"]]
assert any(n.startswith("NWDAF") for n in missing), missing
assert any("NSSF" in n for n in missing), missing
for n in missing:
    assert by[n].get("note"), ("no reason given", n)
PY
t_stop engine
t_stop sim
echo PASS

#!/bin/sh
# The slice lifecycle through the real engine and CLI: a factory user
# requests a scenario slice, an operator approves it (admission runs, an SD
# is allocated), activates it (provisioned out of band: no SBI provisioning
# here), suspends and resumes it (resume is admitted again: a full cell
# refuses it), a change request, a rejection with a reason, an approval that
# admission turns into a rejection, decommissioning; a factory user cannot
# approve, cannot touch or see another factory's slice or request (the same
# answer whether it exists or not), cannot escape its template; every step
# in the slice's history and the audit log (a factory user sees its own);
# runtime slices survive a restart and slicedeckd -t names a conflict
# between the file and the stored slices.
BUILD=${1:-build}
. tests/integration/lib.sh
t_need_root
t_tmp

sfx=$$
G=sdtg$sfx; UB=sdtb$sfx; UZ=sdtz$sfx
t_on_exit() {
	for u in $UB $UZ; do userdel "$u" 2>/dev/null; done
	groupdel "$G" 2>/dev/null
	return 0
}
groupadd "$G" || t_fail "groupadd"
for u in $UB $UZ; do useradd -M -N -g "$G" -s /usr/sbin/nologin "$u" || t_fail "useradd $u"; done

t_sample_conf "$T/sd.conf" 'nrf="http://127.0.0.1:9"' "socket_group=\"$G\"" \
	"state_dir=\"$T/state\"" "socket=\"$T/sd.sock\""
sed -i -e "s/user = \"bhm-it\";/user = \"$UB\";/" -e "s/user = \"zhp-it\";/user = \"$UZ\";/" "$T/sd.conf"
start() { t_start engine "$BUILD/slicedeckd" -c "$T/sd.conf" --stderr; t_wait_file "$T/sd.sock" 10; }
start
SD() { "$BUILD/slicedeck" --socket "$T/sd.sock" "$@"; }
CLI=$(t_user_bin slicedeck)
as() { u=$1; shift; setpriv --reuid "$u" --regid "$G" --init-groups "$CLI" --socket "$T/sd.sock" "$@"; }
n=0
rc_is() {  # WANT CMD... (output in $T/out-N.txt, N in $n)
	want=$1; shift; n=$((n + 1)); out="$T/out-$n.txt"
	"$@" >"$out" 2>&1; got=$?
	[ "$got" -eq "$want" ] || { cat "$out"; t_fail "$* exited $got, want $want"; }
}
state_of() { SD slices --json | python3 -c 'import json,sys; print({s["id"]: s["state"] for s in json.load(sys.stdin)}.get(sys.argv[1], "none"))' "$1"; }

# --- a factory user requests a slice from the catalog --------------------------
rc_is 0 as "$UB" slice request --scenario machine-vision-qc --sites bhm-yard --id bhm-qc3 --name "Line 3 QC"
t_expect_grep '^request 1 \(new\) for bhm-qc3: beilun-heavy, pending' "$out"
[ "$(state_of bhm-qc3)" = requested ] || t_fail "bhm-qc3 is $(state_of bhm-qc3), want requested"
rc_is 4 as "$UB" slice request --scenario machine-vision-qc --gbr-ul 100.001
t_expect_grep "outside template machine-vision-qc's limits" "$out"
rc_is 4 as "$UB" slice approve 1
t_expect_grep 'needs the act permission; you are factory' "$out"
rc_is 4 as "$UB" slice suspend bhm-weld-qc --reason "mine"
# another factory: nothing of beilun's, whether it exists or not
rc_is 0 as "$UZ" slice requests --json
grep -q bhm "$out" && t_fail "$UZ saw beilun's request"
for s in bhm-qc3 bhm-nosuch; do
	rc_is 4 as "$UZ" slice request "$s" --max-ues 5
	t_expect_grep "slice $s is outside your scope" "$out"
	rc_is 4 as "$UZ" slice history "$s"
	t_expect_grep "slice $s is outside your scope" "$out"
done
rc_is 4 as "$UZ" slice request --factory beilun-heavy --scenario inspection
t_expect_grep 'factory beilun-heavy is outside your scope' "$out"

# --- the operator decides -------------------------------------------------------
rc_is 0 SD slice requests --state pending
t_expect_grep "^1 +new +bhm-qc3 +beilun-heavy +pending +$UB " "$out"
rc_is 0 SD slice approve 1 --note "for line 3"
t_expect_grep '^slice bhm-qc3 \(beilun-heavy\): requested -> admitted, S-NSSAI 1-f00000' "$out"
rc_is 1 SD slice approve 1
t_expect_grep "request 1 was approved already by root" "$out"
rc_is 2 SD slice activate bhm-qc3
t_expect_grep 'no SBI provisioning is configured' "$out"
rc_is 0 SD slice activate bhm-qc3 --out-of-band --reason "QoS rules loaded on the UPF"
t_expect_grep 'admitted -> active' "$out"
rc_is 0 as "$UB" slices --json
python3 - "$out" <<'PY' || t_fail "the factory user's view of bhm-qc3"
import json, sys
s = {x["id"]: x for x in json.load(open(sys.argv[1]))}["bhm-qc3"]
assert s["state"] == "active" and s["snssai"] == "1-f00000" and s["sites"] == ["bhm-yard"], s
assert s["origin"] == "runtime" and s["name"] == "Line 3 QC", s
PY
rc_is 0 as "$UB" slice requests
t_expect_grep '^1 +new +bhm-qc3 .* approved +.*root +for line 3' "$out"

# --- suspend, a full cell, resume ------------------------------------------------
rc_is 2 SD slice suspend bhm-qc3
rc_is 0 SD slice suspend bhm-qc3 --reason "line 3 retooling"
t_expect_grep 'active -> suspended' "$out"
rc_is 1 SD slice suspend bhm-qc3 --reason again
t_expect_grep 'slice bhm-qc3 is suspended: cannot suspend it' "$out"
# while it is suspended its 20 Mbit/s are free: another slice takes 40 of the 48
rc_is 0 SD slice create --factory beilun-heavy --scenario machine-vision-qc --sites bhm-yard --gbr-ul 40 --id bhm-fill
t_expect_grep 'bhm-fill \(beilun-heavy\): admitted -> admitted, S-NSSAI 1-f00001' "$out"
rc_is 3 SD slice resume bhm-qc3
t_expect_grep 'admission: cell bhm-y2 UL: 41\.1 of 60\.0 Mbit/s guaranteed, \+20\.0 requested, limit 80 %' "$out"
[ "$(state_of bhm-qc3)" = suspended ] || t_fail "a refused resume changed the state"
rc_is 0 SD slice decommission bhm-fill --reason "trial over"
rc_is 0 SD slice resume bhm-qc3
t_expect_grep 'suspended -> active' "$out"

# --- a change request, a rejection, a rejection by admission ------------------------
rc_is 0 as "$UB" slice request bhm-qc3 --max-ues 20
t_expect_grep '^request 2 \(modify\) for bhm-qc3' "$out"
rc_is 0 SD slice approve 2
rc_is 0 SD slice history bhm-qc3 --json
python3 - "$out" <<'PY' || t_fail "history after the change"
import json, sys
h = json.load(open(sys.argv[1]))
steps = [(e["action"], e["from"], e["to"]) for e in h]
assert steps == [("request", "", "requested"), ("approve", "requested", "admitted"),
                 ("activate (provisioned out of band)", "admitted", "active"),
                 ("suspend", "active", "suspended"), ("resume", "suspended", "active"),
                 ("modify", "active", "active")], steps
assert h[3]["reason"] == "line 3 retooling" and h[1]["reason"] == "for line 3"
assert h[5]["before"]["sla"]["max_ues"] == 50 and h[5]["after"]["sla"]["max_ues"] == 20
assert h[0]["role"] == "factory" and h[1]["actor"] == "root"
PY
rc_is 0 as "$UB" slice request --scenario inspection --id bhm-drones
rc_is 2 SD slice reject 3
rc_is 0 SD slice reject 3 --reason "no drone permit for the yard"
[ "$(state_of bhm-drones)" = rejected ] || t_fail "bhm-drones is $(state_of bhm-drones)"
rc_is 0 as "$UB" slice requests --json
python3 - "$out" <<'PY' || t_fail "the requester sees the reason"
import json, sys
r = {x["id"]: x for x in json.load(open(sys.argv[1]))}[3]
assert r["state"] == "rejected" and r["note"] == "no drone permit for the yard", r
PY
# within the template, but the yard's uplink is taken: admission rejects on approval
rc_is 0 as "$UB" slice request --scenario machine-vision-qc --sites bhm-yard --gbr-ul 47 --id bhm-qc4
t_expect_grep 'admission control would refuse it now' "$out"
rc_is 3 SD slice approve 4
t_expect_grep 'cell bhm-y2 UL: 21\.1 of 60\.0 Mbit/s guaranteed, \+47\.0 requested' "$out"
[ "$(state_of bhm-qc4)" = rejected ] || t_fail "bhm-qc4 is $(state_of bhm-qc4)"
# a configured slice is the file's
rc_is 1 SD slice suspend bhm-weld-qc --reason x
t_expect_grep 'declared in the configuration' "$out"

# --- the audit log -------------------------------------------------------------------
rc_is 0 as "$UB" audit --json
python3 - "$out" "$UB" <<'PY' || t_fail "factory user's audit"
import json, sys
rows = json.load(open(sys.argv[1]))
assert rows and all(r["factory"] == "beilun-heavy" for r in rows), rows[:3]
ops = [(r["op"], r["user"], r["outcome"]) for r in rows]
assert ("slice.request", sys.argv[2], "ok") in ops
assert ("slice.approve", "root", "rejected") in ops          # request 4
assert ("slice.approve", sys.argv[2], "forbidden") in ops    # the factory user tried
assert ("slice.resume", "root", "rejected") in ops
PY
rc_is 0 as "$UZ" audit --json
python3 - "$out" "$UZ" <<'PY' || t_fail "$UZ's audit"
import json, sys
rows = json.load(open(sys.argv[1]))
# only its own attempts, which tell nothing of whether beilun's slice exists
assert rows and all(r["user"] == sys.argv[2] and r["factory"] == "zhenhai-petro" for r in rows), rows
msgs = sorted(r["message"] for r in rows if r["op"] == "slice.request" and "slice" in r["params"])
assert msgs == ["slice bhm-nosuch is outside your scope", "slice bhm-qc3 is outside your scope"], msgs
PY
rc_is 4 as "$UZ" audit --factory beilun-heavy
rc_is 0 SD audit --factory beilun-heavy --since 2020-01-01
t_expect_grep 'slice\.suspend +beilun-heavy +ok' "$out"
rc_is 2 SD audit --since yesterday

# --- a restart keeps the runtime slices; -t names a conflict ----------------------------
t_stop engine
start
[ "$(state_of bhm-qc3)" = active ] || t_fail "after a restart bhm-qc3 is $(state_of bhm-qc3)"
[ "$(state_of bhm-fill)" = decommissioned ] || t_fail "after a restart bhm-fill is $(state_of bhm-fill)"
rc_is 0 SD slice history bhm-qc3
[ "$(grep -c '^20' "$out")" -eq 6 ] || { cat "$out"; t_fail "history lost in the restart"; }
t_stop engine
"$BUILD/slicedeckd" -t "$T/sd.conf" >"$T/t1.out" 2>&1 || { cat "$T/t1.out"; t_fail "-t"; }
grep -q conflict "$T/t1.out" && { cat "$T/t1.out"; t_fail "a conflict where there is none"; }
# the file now declares a slice on bhm-qc3's S-NSSAI, and one under bhm-fill's id
sed -i 's|snssai = "3-0a0003"; scenario = "predictive-maint";|snssai = "1-f00000"; scenario = "predictive-maint";|' "$T/sd.conf"
sed -i 's|id = "bhm-pdm";|id = "bhm-fill";|' "$T/sd.conf"
"$BUILD/slicedeckd" -t "$T/sd.conf" >"$T/t2.out" 2>&1 || { cat "$T/t2.out"; t_fail "-t with conflicts"; }
t_expect_grep 'warning: .*slicedeck\.db: .*bhm-fill' "$T/t2.out"
t_expect_grep 'warning: .*stored slice bhm-qc3 and configured slice bhm-fill both hold S-NSSAI 1-f00000' "$T/t2.out"
t_expect_grep 'warning: 2 conflicts between the configuration and the slices stored in' "$T/t2.out"
echo "PASS: slice_lifecycle"

#!/bin/sh
# Each CLI command takes only its own options, through the real engine: an
# option a command does not list is a usage error (exit 2, named) instead
# of being accepted and ignored; `alarms --factory X` lists X's alarms only
# (two factories have one each here) and refuses an unknown factory like
# every other command does (for a factory user, another factory is out of
# scope); the options a command does take reach the engine; `slicedeck
# help` is generated from the same table.
BUILD=${1:-build}
. tests/integration/lib.sh
t_tmp

# a throwaway factory user of xingang-steel (root only: the rest runs without it)
FU=""
if [ "$(id -u)" -eq 0 ]; then
	G=sdcg$$; FU=sdcf$$
	t_on_exit() { userdel "$FU" 2>/dev/null; groupdel "$G" 2>/dev/null; return 0; }
	groupadd "$G" || t_fail "groupadd"
	useradd -M -N -g "$G" -s /usr/sbin/nologin "$FU" || t_fail "useradd"
fi
# no 5G core: a closed loopback port
t_sample_conf "$T/sd.conf" 'nrf="http://127.0.0.1:9"' poll_interval=60 \
	socket_group="\"${G:-slicedeck}\""
sed -i "s/user = \"xgs-it\"/user = \"${FU:-xgs-it}\"/" "$T/sd.conf"
t_start engine "$BUILD/slicedeckd" -c "$T/sd.conf" --socket "$T/sd.sock" \
	--state-dir "$T/state" --stderr
t_wait_file "$T/sd.sock" 10
sd() { "$BUILD/slicedeck" --socket "$T/sd.sock" "$@"; }

# usage errors: exit 2, the command and the option named, nothing printed on stdout
usage_error() {  # OPTION-NAMED-IN-MESSAGE ARGS...
	want=$1; shift
	rc=0
	sd "$@" >"$T/out.txt" 2>"$T/err.txt" || rc=$?
	[ $rc -eq 2 ] || { cat "$T/out.txt" "$T/err.txt"; t_fail "slicedeck $*: exit $rc, want 2"; }
	[ -s "$T/out.txt" ] && { cat "$T/out.txt"; t_fail "slicedeck $*: printed a listing"; }
	grep -qF "slicedeck $1: $want" "$T/err.txt" ||
		{ cat "$T/err.txt"; t_fail "slicedeck $*: want \"slicedeck $1: $want\""; }
}
usage_error "unknown option --factory" kpi --slice bhm-crane-rc --factory x
usage_error "unknown option --factory" kpi --factory x --slice bhm-crane-rc --json
usage_error "unknown option --factory" coverage --factory beilun-heavy
usage_error "unknown option --factory" nfs --factory beilun-heavy
usage_error "unknown option --site" slices --site bhm-works
usage_error "unknown option --all" sla --all
usage_error "--points must be 1 to 500" kpi --slice bhm-crane-rc --points 900
usage_error "--slice ID is required" kpi --metric ues
usage_error "--factory needs a value (ID)" alarms --factory

# two factories below their coverage target: one coverage alarm each
walk() {  # FILE CELL X0 Y0: 200 poor samples around (X0, Y0)
	python3 - "$@" <<'PY'
import sys
path, cell, x0, y0 = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
with open(path, "w") as f:
    f.write("time,x,y,cell,rsrp,sinr\n")
    for i in range(200):
        f.write("%d,%d,%d,%s,-121,-6\n" % (1795430000 + i, x0 + i % 40, y0 + i // 40, cell))
PY
}
walk "$T/bhm.csv" bhm-w3 430 60
walk "$T/xgs.csv" xgs-m2 400 100
sd coverage import "$T/bhm.csv" --site bhm-works >/dev/null || t_fail "import bhm-works"
sd coverage import "$T/xgs.csv" --site xgs-mill >/dev/null || t_fail "import xgs-mill"
two_alarms() { [ "$(sd alarms --csv | grep -c 'site=')" -ge 2 ]; }
t_until 15 two_alarms || { sd alarms; t_fail "no coverage alarm for both sites"; }

# alarms --factory: only that factory's, in every form
sd alarms --factory beilun-heavy --json >"$T/bhm.json" || t_fail "alarms --factory beilun-heavy"
python3 - "$T/bhm.json" <<'PY' || t_fail "alarms --factory beilun-heavy is not that factory's alarms only"
import json, sys
a = json.load(open(sys.argv[1]))
assert a, "no alarm listed"
assert all(x["factory"] == "beilun-heavy" for x in a), [x["factory"] for x in a]
assert any("bhm-works" in x["object"] for x in a), [x["object"] for x in a]
PY
sd alarms --factory xingang-steel >"$T/xgs.txt" || t_fail "alarms --factory xingang-steel"
t_expect_grep 'site=xgs-mill' "$T/xgs.txt"
if grep -q 'bhm-works' "$T/xgs.txt"; then cat "$T/xgs.txt"; t_fail "another factory's alarm listed"; fi
sd alarms --factory daxie-ship --csv >"$T/dxs.csv" || t_fail "alarms --factory daxie-ship"
[ "$(wc -l <"$T/dxs.csv")" -eq 1 ] || { cat "$T/dxs.csv"; t_fail "daxie-ship has no alarm: want the header only"; }
sd alarms --all --factory beilun-heavy --json >/dev/null || t_fail "--all with --factory"
# the unfiltered list still has both
sd alarms >"$T/all.txt" || t_fail "alarms"
t_expect_grep 'site=bhm-works' "$T/all.txt"
t_expect_grep 'site=xgs-mill' "$T/all.txt"

# a factory that does not exist is the engine's refusal (exit 1), as for slices
rc=0; sd alarms --factory nosuch >"$T/nosuch.txt" 2>&1 || rc=$?
[ $rc -eq 1 ] || { cat "$T/nosuch.txt"; t_fail "alarms --factory nosuch: exit $rc, want 1"; }
t_expect_grep 'nosuch' "$T/nosuch.txt"
grep -q 'site=' "$T/nosuch.txt" && t_fail "alarms listed for a factory that does not exist"
rc=0; sd slices --factory nosuch >/dev/null 2>&1 || rc=$?
[ $rc -eq 1 ] || t_fail "slices --factory nosuch: exit $rc, want 1"

# a factory user: its own factory's alarms; another factory, existing or not,
# is refused by the engine's scope rule before anything is listed
if [ -n "$FU" ]; then
	CLI=$(t_user_bin slicedeck)
	as_fu() { setpriv --reuid "$FU" --regid "$G" --init-groups "$CLI" --socket "$T/sd.sock" "$@"; }
	as_fu alarms --factory xingang-steel >"$T/fu.txt" 2>&1 || { cat "$T/fu.txt"; t_fail "factory user: own alarms"; }
	t_expect_grep 'site=xgs-mill' "$T/fu.txt"
	rc=0; as_fu alarms --factory beilun-heavy >"$T/fu-other.txt" 2>&1 || rc=$?
	[ $rc -eq 1 ] || { cat "$T/fu-other.txt"; t_fail "factory user: another factory's alarms: exit $rc, want 1"; }
	t_expect_grep 'outside your scope' "$T/fu-other.txt"
	grep -q 'site=' "$T/fu-other.txt" && t_fail "factory user saw another factory's alarms"
	rc=0; as_fu alarms --factory nosuch >/dev/null 2>&1 || rc=$?
	[ $rc -eq 1 ] || t_fail "factory user: unknown factory: exit $rc, want 1"
fi

# options a command takes do reach its operation
sd sla --factory xingang-steel --json >"$T/sla.json" || t_fail "sla --factory"
python3 - "$T/sla.json" <<'PY' || t_fail "sla --factory did not filter"
import json, sys
rep = json.load(open(sys.argv[1]))
assert rep["slices"] and all(s["factory"] == "xingang-steel" for s in rep["slices"]), rep["slices"]
PY
sd coverage --site xgs-mill --json >"$T/cov.json" || t_fail "coverage --site"
python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["sites"]; assert [x["site"] for x in s]==["xgs-mill"], s' \
	"$T/cov.json" || t_fail "coverage --site did not select the site"
sd kpi --slice bhm-crane-rc --metric ues --points 5 --json >"$T/kpi.json" || t_fail "kpi"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["metric"]=="ues" and r["slice"]=="bhm-crane-rc", r' \
	"$T/kpi.json" || t_fail "kpi options not sent"

# every option of every listing is one its operation takes: the engine answers
# a parameter outside an operation's schema with bad_request (exit 1)
while read -r args; do
	sd $args --json >"$T/each.json" 2>"$T/each.err" || { cat "$T/each.err"; t_fail "slicedeck $args"; }
done <<'EOF'
factories --factory beilun-heavy
slices --factory beilun-heavy
sites --factory beilun-heavy
cells --factory beilun-heavy
sla --factory beilun-heavy --slice bhm-crane-rc --period 2026-11
alarms --all --factory beilun-heavy
coverage --site bhm-works
kpi --slice bhm-crane-rc --metric latency --level 5min --points 3
nfs
whoami
EOF

# help from the table: per command, with what --factory means for alarms
sd help >"$T/help.txt" || t_fail "slicedeck help"
t_expect_grep '^  slicedeck alarms \[--all\] \[--factory ID\] \[--json\|--csv\]' "$T/help.txt"
t_expect_grep 'only alarms raised on this factory' "$T/help.txt"
t_expect_grep '^  slicedeck coverage \[--site ID\] \[--json\|--csv\]' "$T/help.txt"
sd kpi --help >"$T/kpi-help.txt" || t_fail "kpi --help"
t_expect_grep '^usage: slicedeck kpi --slice ID' "$T/kpi-help.txt"
grep -q -- '--factory' "$T/kpi-help.txt" && t_fail "kpi --help offers --factory"

t_stop engine || t_fail "engine did not stop"
echo "cli_options: ok"

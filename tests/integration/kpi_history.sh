#!/bin/sh
# Per-slice KPI history through the engine (the "kpi" operation and
# "slicedeck kpi"): with the sim feeding latency and UE counts every 2 s,
#  - the open 1-minute bucket of a slice's latency fills (count, min <= mean
#    <= max, p50/p99 because latency keeps a sketch; none for UEs);
#  - once a minute has closed, it comes back from the store as a bucket;
#  - the table form prints the buckets and a chart line of the means;
#  - bad parameters and unknown slices are refused; a factory user (when run
#    as root) gets "forbidden" for another factory's slice, existing or not,
#    and its own slice's history.
BUILD=${1:-build}
. tests/integration/lib.sh
t_tmp

sfx=$$
G=sdkg$sfx; UA=sdkf$sfx
ROOT=no
[ "$(id -u)" = 0 ] && ROOT=yes
t_on_exit() {
	if [ $ROOT = yes ]; then userdel "$UA" 2>/dev/null; groupdel "$G" 2>/dev/null; fi
	return 0
}
t_sample_conf "$T/sd.conf" poll_interval=2
if [ $ROOT = yes ]; then
	groupadd "$G" || t_fail "groupadd"
	useradd -M -N -g "$G" -s /usr/sbin/nologin "$UA" || t_fail "useradd $UA"
	sed -i -e "s/^\([[:space:]]*socket_group[[:space:]]*=\).*/\1 \"$G\";/" \
	    -e "s/user = \"bhm-it\";/user = \"$UA\";/" "$T/sd.conf"
	grep -q "user = \"$UA\"; *role = \"factory\"; factory = \"beilun-heavy\"" "$T/sd.conf" ||
		t_fail "could not bind the test user to beilun-heavy in the test config"
fi

t_start sim "$BUILD/slicedeck-sim" -c "$T/sd.conf" --listen 127.0.0.1:0 --heartbeat 2 --seed 7
t_wait_log sim '^NRF http' 10
NRF=$(sed -n 's/^NRF //p' "$T/sim.log" | head -1)
t_start engine "$BUILD/slicedeckd" -c "$T/sd.conf" --socket "$T/sd.sock" \
	--state-dir "$T/state" --nrf "$NRF" --stderr
t_wait_file "$T/sd.sock" 10

sd() { "$BUILD/slicedeck" --socket "$T/sd.sock" "$@"; }

# check_kpi FILE PYTHON-CONDITION: exit 0 when the kpi JSON in FILE meets it
check_kpi() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
c = d.get("current")
b = d.get("buckets")
sys.exit(0 if eval("(" + sys.argv[2] + ")") else 1)' "$1" "$2"
}

# --- the open bucket fills ---------------------------------------------------------
cur_lat() {
	sd kpi --slice bhm-crane-rc --metric latency --json >"$T/lat.json" &&
	check_kpi "$T/lat.json" 'c is not None and c["count"] > 0'
}
t_until 40 cur_lat || { cat "$T/lat.json"; t_fail "no current latency bucket for bhm-crane-rc"; }
check_kpi "$T/lat.json" 'd["slice"] == "bhm-crane-rc" and d["metric"] == "latency" and d["unit"] == "ms"
 and d["level"] == "1min" and d["step_ms"] == 60000 and isinstance(b, list)' ||
	{ cat "$T/lat.json"; t_fail "kpi reply header"; }
check_kpi "$T/lat.json" 'c["min"] <= c["mean"] <= c["max"] and c["min"] >= 0 and c["start"] % 60000 == 0
 and c["min"] <= c["p50"] <= c["p99"] <= c["max"] * 1.05' ||
	{ cat "$T/lat.json"; t_fail "current latency bucket fields"; }
# UEs: no sketch, so no quantiles
cur_ues() {
	sd kpi --slice bhm-crane-rc --metric ues --level 5min --json >"$T/ues.json" &&
	check_kpi "$T/ues.json" 'c is not None and c["count"] > 0'
}
t_until 20 cur_ues || { cat "$T/ues.json"; t_fail "no current UE bucket"; }
check_kpi "$T/ues.json" '"p99" not in c and d["level"] == "5min" and c["start"] % 300000 == 0' ||
	{ cat "$T/ues.json"; t_fail "UE bucket has quantiles or a wrong level"; }

# --- a closed minute comes back from the store ----------------------------------------
closed() {
	sd kpi --slice bhm-crane-rc --metric latency --points 5 --json >"$T/hist.json" &&
	check_kpi "$T/hist.json" 'len(b) >= 1 and b[-1]["count"] > 0'
}
t_until 90 closed || { cat "$T/hist.json"; t_fail "no closed latency bucket in the history"; }
check_kpi "$T/hist.json" 'len(b) <= 5 and all((c is None or x["start"] < c["start"]) and x["start"] % 60000 == 0
 and x["min"] <= x["mean"] <= x["max"] and "p99" in x for x in b)
 and [x["start"] for x in b] == sorted(x["start"] for x in b)' ||
	{ cat "$T/hist.json"; t_fail "history bucket fields or order"; }

# --- table and CSV forms ---------------------------------------------------------------
# (just after a minute boundary the new minute has no sample yet: no open row)
open_row() { sd kpi --slice bhm-crane-rc >"$T/table.txt" && grep -Eq ' yes *$' "$T/table.txt"; }
t_until 10 open_row || { cat "$T/table.txt"; t_fail "kpi table without the open bucket"; }
t_expect_grep '^START_UTC +COUNT +MIN +MAX +MEAN +P50 +P99 +OPEN' "$T/table.txt"
t_expect_grep '^20[0-9-]+ [0-9:]+ +[0-9]+ .* no *$' "$T/table.txt"
t_expect_grep '^mean ms \[[0-9.e+-]+ \.\. [0-9.e+-]+\]: \|.+\|$' "$T/table.txt"
sd kpi --slice bhm-crane-rc --metric ues --csv >"$T/ues.csv" || t_fail "kpi csv"
head -1 "$T/ues.csv" | grep -q '^START_UTC,COUNT,MIN,MAX,MEAN,P50,P99,OPEN' || t_fail "kpi csv header"

# --- refusals ------------------------------------------------------------------------------
refused() {  # EXPECTED-REGEX ARGS...: the command fails saying so
	re=$1; shift
	if sd "$@" >"$T/err.txt" 2>&1; then cat "$T/err.txt"; t_fail "accepted: $*"; fi
	t_expect_grep "$re" "$T/err.txt"
}
refused 'slice ID is required' kpi --metric latency
refused 'no slice nope' kpi --slice nope
refused 'metric' kpi --slice bhm-crane-rc --metric speed
refused 'level' kpi --slice bhm-crane-rc --level 2min
refused 'points must be' kpi --slice bhm-crane-rc --points 501

# --- factory scope ---------------------------------------------------------------------------
if [ $ROOT = yes ]; then
	SDU=$(t_user_bin slicedeck)
	asf() { setpriv --reuid "$UA" --regid "$G" --clear-groups "$SDU" --socket "$T/sd.sock" "$@"; }
	asf kpi --slice bhm-crane-rc --json >"$T/own.json" 2>"$T/own.err" ||
		{ cat "$T/own.err"; t_fail "factory user refused its own slice's KPIs"; }
	check_kpi "$T/own.json" 'd["slice"] == "bhm-crane-rc"' || t_fail "factory user's own slice"
	for s in xgs-ohc-rc nope; do
		if asf kpi --slice "$s" >"$T/f.txt" 2>&1; then cat "$T/f.txt"; t_fail "factory user saw $s"; fi
		t_expect_grep "slice $s is outside your scope" "$T/f.txt"
	done
else
	echo "kpi_history: not root, factory scope not checked"
fi
echo "kpi_history: ok"

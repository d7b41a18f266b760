#!/bin/sh
# Per-site coverage from the cells' own radio, without any walk-test import:
# the engine polls the sim's NWDAF for NETWORK_PERFORMANCE with the vendor
# nwPerfTypes RSRP_MEAN / SINR_MEAN (docs/wire-compat.md) and feeds each
# cell's mean RSRP/SINR into its site's coverage.
BUILD=${1:-build}
. tests/integration/lib.sh
t_tmp

t_sample_conf "$T/sd.conf" poll_interval=2

t_start sim "$BUILD/slicedeck-sim" -c "$T/sd.conf" --listen 127.0.0.1:0 \
	--control "$T/sim.ctl" --seed 7
t_wait_log sim '^NRF http' 10
NRF=$(sed -n 's/^NRF //p' "$T/sim.log" | head -1)
t_start engine "$BUILD/slicedeckd" -c "$T/sd.conf" --socket "$T/sd.sock" \
	--state-dir "$T/state" --nrf "$NRF" --stderr
t_wait_file "$T/sd.sock" 10

sd() { "$BUILD/slicedeck" --socket "$T/sd.sock" "$@"; }

# cov SITE: the site's coverage object as the console shows it (JSON)
cov() {
	sd coverage --site "$1" --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(json.dumps(d["sites"][0]))'
}
samples() { cov "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["samples"])'; }
# at least one poll with the three bhm-works cells (one sample each)
has_samples() { [ "$(samples bhm-works)" -ge 3 ]; }
t_until 20 has_samples || { sd coverage --site bhm-works --json;
	t_fail "no coverage samples from the cells of bhm-works"; }

cov bhm-works >"$T/cov.json"
python3 - "$T/cov.json" <<'PY' || t_fail "coverage of bhm-works: $(cat "$T/cov.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["site"] == "bhm-works", d
# three cells per poll: the count grows in whole polls
assert d["samples"] >= 3 and d["samples"] % 3 == 0, d
assert d["share_pct"] is not None and 0 <= d["share_pct"] <= 100, d
# samples sit at the cells: three squares with data in the heat map
assert sum(ch != "0" for row in d["heatmap"] for ch in row) == 3, d["heatmap"]
PY
# the two cells of bhm-yard land in bhm-yard
yard() { n=$(samples bhm-yard) && [ "$n" -ge 2 ] && [ $((n % 2)) = 0 ]; }
t_until 10 yard || t_fail "bhm-yard: $(samples bhm-yard) samples, expected a multiple of its 2 cells"
if grep -q 'cell RSRP/SINR' "$T/engine.log"; then
	grep 'cell RSRP/SINR' "$T/engine.log"
	t_fail "the engine complained about cell radio"
fi

t_stop engine
t_stop sim
echo "PASS cell_coverage"

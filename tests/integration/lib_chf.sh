# tests/integration/lib_chf.sh — sourced after lib.sh by the CHF tests, with
# the sim's control socket at $T/sim.ctl and the engine's at $T/sd.sock.
#
#   chf_truth            the sim's ground truth (control command `charging`)
#                        into $T/truth.json
#   chf_settle [SECONDS] stop the sim's usage and wait until every message it
#                        made was acknowledged (pending 0); fails otherwise
#   chf_compare          the ledger's totals per slice (slicedeck usage --json)
#                        equal the acknowledged ground truth: records, UL, DL,
#                        total bytes; nothing refused, nothing held
#   chf_summary          "N records, M requests, R retransmissions"

chf_truth() {
	"$BUILD/slicedeck-sim" --control "$T/sim.ctl" --send "charging${1:+ $1}" >"$T/truth.json" ||
		t_fail "sim control: charging"
}

chf_pending() {
	chf_truth
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if j["pending_records"]==0 and j["inflight"]==0 else 1)' "$T/truth.json"
}

chf_settle() {
	chf_truth stop
	t_until "${1:-30}" chf_pending || { cat "$T/truth.json"; t_fail "the sim's SMFs still have unacknowledged usage"; }
}

chf_compare() {
	"$BUILD/slicedeck" --socket "$T/sd.sock" usage --json >"$T/ledger.json" || t_fail "slicedeck usage"
	"$BUILD/slicedeck" --socket "$T/sd.sock" usage held --json >"$T/held.json" || t_fail "usage held"
	[ "$(tr -d ' \n' <"$T/held.json")" = "[]" ] || { head -c 600 "$T/held.json"; t_fail "records were held"; }
	python3 - "$T/truth.json" "$T/ledger.json" <<'EOF' || t_fail "ledger and ground truth differ"
import json, sys
truth = json.load(open(sys.argv[1]))
ledger = json.load(open(sys.argv[2]))
if truth["rejected_records"]:
    sys.exit("the CHF refused %d records: %s" % (truth["rejected_records"], truth["last_reject"]))
if truth["generated_records"] != truth["acked_records"] or truth["generated_records"] == 0:
    sys.exit("generated %d, acknowledged %d" % (truth["generated_records"], truth["acked_records"]))
got = {}
for r in ledger:
    g = got.setdefault(r["slice"], [0, 0, 0, 0])
    for i, k in enumerate(("records", "ul_bytes", "dl_bytes", "total_bytes")):
        g[i] += r[k]
bad = 0
for s in truth["slices"]:
    a = s["acked"]
    want = [a["records"], a["ul_bytes"], a["dl_bytes"], a["total_bytes"]]
    have = got.pop(s["slice"], [0, 0, 0, 0])
    if want != have:
        bad += 1
        print("%s: sim acknowledged %s, ledger has %s (records, ul, dl, total)" % (s["slice"], want, have))
for k, v in got.items():
    bad += 1
    print("%s: in the ledger (%s) but the sim sent nothing" % (k, v))
sys.exit(1 if bad else 0)
EOF
}

chf_summary() {
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print("%d records, %d requests, %d retransmissions" % (j["acked_records"], j["requests"], j["retransmissions"]))' "$T/truth.json"
}

#!/bin/sh
# tests/bench/chf.sh BUILD — CHF intake (run by make bench): h2load POSTs
# Nchf_ConvergedCharging updates over HTTP/2 on loopback to the real
# slicedeckd, every answer sent only after the ledger's group commit
# (ledger.db, synchronous=FULL), beside h2load against bench_chf, the same
# SBI server on the same routes decoding and checking each request the same
# way but answering at once with no ledger. Figures and ratios, one per line;
# the target is reported as met/MISSED, never as a failure. Exit 1 only when
# the bench could not run (a server did not start, a request failed, the
# ledger does not hold what was answered). What the lines mean:
# tests/bench/README.md.
#
# Each request is an update for its own charging session (a distinct ref in
# the path, h2load -i), carrying BENCH_CHF_UNITS used unit containers (1):
# every container is a new ledger record. Knobs: BENCH_RUNS (3),
# BENCH_CHF_N (requests per run, 20000), BENCH_CHF_C (connections, 4),
# BENCH_CHF_M (streams per connection, 64), BENCH_CHF_UNITS (1).
set -u
BUILD=${1:-build}
RUNS=${BENCH_RUNS:-3}
N=${BENCH_CHF_N:-20000}
C=${BENCH_CHF_C:-4}
M=${BENCH_CHF_M:-64}
UNITS=${BENCH_CHF_UNITS:-1}
TARGET=20000

T=$(mktemp -d /tmp/sdbench.XXXXXX)
PIDS=""
cleanup() {
	rc=$?
	for p in $PIDS; do kill -TERM "$p" 2>/dev/null || true; done
	for p in $PIDS; do
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
		kill -KILL "$p" 2>/dev/null || true
	done
	if [ $rc -ne 0 ]; then
		for f in "$T"/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -20 "$f"; }; done
	fi
	rm -rf "$T"
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM
die() { echo "bench: $*" >&2; exit 1; }

for tool in h2load python3; do
	command -v $tool >/dev/null 2>&1 || die "$tool not found (Debian: nghttp2-client, python3; make deps)"
done
for bin in "$BUILD/slicedeckd" "$BUILD/slicedeck" "$BUILD/bench/bench_chf"; do
	[ -x "$bin" ] || die "$bin missing (make all and the benches first)"
done

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cp etc/slicedeck.conf "$T/sd.conf"
chmod 0600 "$T/sd.conf"
sed -i -e "s|^\([[:space:]]*listen[[:space:]]*=\).*|\1 \"127.0.0.1:$PORT\";|" \
       -e 's|^\([[:space:]]*log_level[[:space:]]*=\).*|\1 "notice";|' \
       -e 's|^\([[:space:]]*nrf[[:space:]]*=\).*|\1 "http://127.0.0.1:9";|' "$T/sd.conf"
"$BUILD/slicedeckd" -c "$T/sd.conf" --socket "$T/sd.sock" --state-dir "$T/state" --stderr \
	>"$T/engine.log" 2>&1 &
PIDS="$PIDS $!"
"$BUILD/bench/bench_chf" --listen 127.0.0.1:0 >"$T/ref.out" 2>"$T/ref.log" &
PIDS="$PIDS $!"
i=0
while { [ ! -S "$T/sd.sock" ] || ! grep -q '^API ' "$T/ref.out"; } && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -S "$T/sd.sock" ] || die "the engine did not start"
REF=$(sed -n 's/^API //p' "$T/ref.out")
[ -n "$REF" ] || die "bench_chf did not start"
ENGINE=http://127.0.0.1:$PORT

# one body for every request (the slice bhm-crane-rc of the sample zone);
# the ref in each URI makes each request's containers new records
python3 - "$T/body.json" "$UNITS" <<'EOF'
import json, sys
units = [{"localSequenceNumber": k + 1, "uplinkVolume": 1000 + k, "downlinkVolume": 9000 + k,
          "time": 10, "triggerTimestamp": "2026-11-23T10:00:00Z"} for k in range(int(sys.argv[2]))]
body = {"nfConsumerIdentification": {"nodeFunctionality": "SMF", "nFName": "6a1c0e52-8f4b-4c3e-9a61-2b7f0c9e4a11"},
        "invocationTimeStamp": "2026-11-23T10:00:00Z", "invocationSequenceNumber": 1,
        "subscriberIdentifier": "imsi-460000000000001",
        "pDUSessionChargingInformation": {"chargingId": 1, "pduSessionInformation": {
            "pduSessionID": 1, "dnnId": "bhm.mec",
            "networkSlicingInfo": {"sNSSAI": {"sst": 2, "sd": "0a0001"}}}},
        "multipleUnitUsage": [{"ratingGroup": 10, "usedUnitContainer": units}]}
open(sys.argv[1], "w").write(json.dumps(body))
EOF

# run LABEL ROOT RUN: one run, C h2load processes of one connection each
# (h2load's clients all walk its URI list from the start, so each connection
# gets a list of its own); prints the requests per second of the run (all
# requests over the slowest process's time); fails on any non-2xx
run() {
	per=$((N / C))
	k=0
	while [ $k -lt "$C" ]; do
		python3 -c 'import sys; root, run, k, n = sys.argv[1:]; print("\n".join("%s/nchf-convergedcharging/v3/chargingdata/b%s-%s-%d/update" % (root, run, k, i) for i in range(int(n))))' \
			"$2" "$3" "$k" "$per" >"$T/uris.$k"
		h2load -c 1 -m "$M" -n "$per" -i "$T/uris.$k" -d "$T/body.json" \
			-H 'content-type: application/json' >"$T/h2load.$1.$3.$k.out" 2>&1 &
		eval "H2_$k=\$!"
		k=$((k + 1))
	done
	k=0
	while [ $k -lt "$C" ]; do
		eval "wait \$H2_$k" || { cat "$T/h2load.$1.$3.$k.out"; die "h2load against $1 failed"; }
		ok=$(sed -n 's/^status codes: \([0-9]*\) 2xx.*/\1/p' "$T/h2load.$1.$3.$k.out")
		[ "$ok" = "$per" ] || { cat "$T/h2load.$1.$3.$k.out"; die "$1: $ok of $per requests answered 2xx"; }
		k=$((k + 1))
	done
	cat "$T"/h2load."$1"."$3".*.out | python3 -c '
import re, sys
t = max(float(m.group(1)) * (1000.0 if m.group(2) == "s" else 1.0)
        for m in re.finditer(r"^finished in ([0-9.]+)(m?s),", sys.stdin.read(), re.M))
print("%.0f" % (int(sys.argv[1]) * int(sys.argv[2]) / (t / 1000.0)))' "$per" "$C"
}

best_ledger=0
best_ref=0
r=1
while [ $r -le "$RUNS" ]; do
	v=$(run ledger "$ENGINE" "$r") || exit 1
	best_ledger=$(python3 -c "print(max($best_ledger, $v))")
	v=$(run reference "$REF" "$r") || exit 1
	best_ref=$(python3 -c "print(max($best_ref, $v))")
	r=$((r + 1))
done

# what was answered is in the ledger, once
"$BUILD/slicedeck" --socket "$T/sd.sock" usage --json >"$T/usage.json" || die "slicedeck usage"
stored=$(python3 -c 'import json,sys; print(sum(r["records"] for r in json.load(open(sys.argv[1]))))' "$T/usage.json")
[ "$stored" = $((RUNS * (N / C) * C * UNITS)) ] ||
	die "the ledger holds $stored records, $((RUNS * (N / C) * C * UNITS)) were answered"

python3 - "$best_ledger" "$best_ref" "$UNITS" "$C" "$M" "$TARGET" "$stored" <<'EOF'
import sys
led, ref, units, c, m, target, stored = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], int(sys.argv[6]), sys.argv[7]
tag = "c%sm%s" % (c, m)
print("chf.h2load.ledger.%s          %10.0f req/s  %10.0f records/s  (answered after the commit, synchronous=FULL)" % (tag, led, led * units))
print("chf.h2load.reference.%s       %10.0f req/s  %10.0f records/s  (same server and decoder, no ledger)" % (tag, ref, ref * units))
print("chf.ratio.ledger_vs_reference.%s  %.2f" % (tag, led / ref if ref else 0))
print("chf.ledger.records_stored       %s (every answered record, once)" % stored)
print("chf.target.records_per_s >= %d: %s" % (target, "met" if led * units >= target else "MISSED"))
EOF

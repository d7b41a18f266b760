#!/bin/sh
# tests/bench/run.sh BUILD — every benchmark (make bench), one after the
# other so they do not disturb each other's figures. Each prints its figures
# and ratios against a reference measured in the same run; targets are
# reported as met/MISSED, never as a test failure. Exit 1 only when a bench
# could not run. What the figures mean: tests/bench/README.md.
set -u
BUILD=${1:-build}
rc=0
echo "== SBI: transport, client and decoders (about 1.5 min)"
sh tests/bench/sbi.sh "$BUILD" || rc=1
echo
echo "== CHF intake: Nchf_ConvergedCharging updates over HTTP/2, answered after the ledger's commit, beside the same server without the ledger (about 15 s)"
sh tests/bench/chf.sh "$BUILD" || rc=1
echo
echo "== KPI store + SLA evaluation: 10,000 slices and 20,000 cells (two simulated minutes, so roll-ups are flushed to SQLite)"
"$BUILD/bench/bench_kpi" --seconds "${BENCH_KPI_SECONDS:-120}" || rc=1
echo
echo "== Console: render, filter and sort of 10,000 rows on a pty"
"$BUILD/bench/bench_tui" || rc=1
echo
echo "== Coverage prediction: 200 sites of 500 x 500 m with 30 cells each"
"$BUILD/bench/bench_coverage" || rc=1
echo
echo "== SNMP: alarm notifications into real snmptrapd, beside the snmptrap CLI in a loop (about 40 s)"
sh tests/bench/snmp.sh "$BUILD" || rc=1
echo
echo "== Scale: 100,000 slices, 300,000 cells, 250 subscribed consoles, a change a second (and the zone / 10; delta and whole-list mode; about 11 min)"
sh tests/bench/scale.sh "$BUILD" || rc=1
exit $rc

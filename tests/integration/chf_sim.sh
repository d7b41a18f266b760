#!/bin/sh
# slicedeck-sim's SMFs report PDU-session usage (Nchf_ConvergedCharging over
# HTTP/2) to the real engine's CHF endpoint, following the sim's traffic
# model; the ledger's totals, read with the real CLI, equal the sim's ground
# truth (what its SMFs generated and the CHF acknowledged) slice by slice:
# records, uplink, downlink and total bytes. The sim starts before the
# engine, so its first creates find no CHF and are resent.
BUILD=${1:-build}
. tests/integration/lib.sh
t_tmp

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
t_sample_conf "$T/sd.conf" 'listen="127.0.0.1:'"$PORT"'"'
t_sim_engine "$T/sd.conf" --control "$T/sim.ctl" --chf "http://127.0.0.1:$PORT" --chf-interval 200 --chf-sessions 3

. tests/integration/lib_chf.sh
sleep 3
chf_settle
chf_compare
grep -q '"retransmissions": *0,' "$T/truth.json" && t_fail "no create was resent although the CHF came up after the sim"
echo "chf_sim: ok ($(chf_summary))"

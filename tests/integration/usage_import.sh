#!/bin/sh
# slicedeck usage import FILE through the real CLI and engine: a CSV (quoted
# note with a comma, CRLF, a BOM) is stored and shows in slicedeck usage; the
# same file again stores nothing (key = file digest + line); a file with
# problems reports each as FILE:LINE: field: problem and stores nothing, not
# even its good rows; an unknown slice is a problem, a decommissioned one's
# rows are held; a file of 4,000 rows goes in several parts; a line that is
# not UTF-8 is reported before anything is sent; a kill of the engine right
# after the answer keeps the import.
BUILD=${1:-build}
. tests/integration/lib.sh
t_tmp

cat >"$T/sd.conf" <<EOF
engine = { socket = "$T/sd.sock"; state_dir = "$T/state"; log_level = "info"; };
zone = { name = "Import Test Park"; plmn = { mcc = "460"; mnc = "00"; }; };
sbi = { nrf = "http://127.0.0.1:9"; poll_interval = 60; };
tariffs = ( { id = "hyb"; mode = "hybrid"; monthly_fee = 5000000; per_slice_fee = 300000;
              per_gb = 250; included_gb = 0; lease_fee = 800000; } );
factories = (
  { id = "alpha"; name = "Alpha Steel"; industry = "steel"; zone = "north";
    mode = "hybrid"; level = "workshop"; security_grade = 2; dnns = [ "alpha.mec" ];
    sites = ( { id = "alpha-s1"; name = "Alpha mill"; lat = 36.6; lon = 117.0;
                cells = ( { id = "alpha-c1"; nci = "000000a01"; tac = "00a001"; x = 10.0; y = 10.0; pci = 11; } ); } );
    slices = ( { id = "alpha-crane"; name = "crane control"; snssai = "2-00a001";
                 scenario = "remote-control"; dnn = "alpha.mec"; state = "active"; },
               { id = "alpha-old"; name = "old cameras"; snssai = "1-00a009";
                 scenario = "machine-vision-qc"; dnn = "alpha.mec"; state = "decommissioned"; } ); }
);
EOF
chmod 0600 "$T/sd.conf"
t_start engine "$BUILD/slicedeckd" -c "$T/sd.conf" --stderr
t_wait_file "$T/sd.sock" 10
sd() { "$BUILD/slicedeck" --socket "$T/sd.sock" "$@"; }
total_of() {  # total_of SLICE PERIOD
	sd usage --period "$2" --json | python3 -c "import json,sys; print(sum(r['total_bytes'] for r in json.load(sys.stdin) if r['slice']=='$1'))"
}

# --- a good file --------------------------------------------------------------
printf '\357\273\277time,slice,ul_bytes,dl_bytes,total_bytes,seconds,rating_group,note\r\n' >"$T/good.csv"
printf '2026-10-03T08:00:00Z,alpha-crane,1000,9000,10000,60,10,"backfill, outage of smf-2"\r\n' >>"$T/good.csv"
printf '\r\n' >>"$T/good.csv"
printf '2026-10-31T23:59:59+08:00,alpha-crane,5,5,,,,\r\n' >>"$T/good.csv"
printf '2026-11-01T00:00:00Z,alpha-crane,1,2,3,0,20,\r\n' >>"$T/good.csv"
sd usage import "$T/good.csv" >"$T/good.out" 2>&1 || { cat "$T/good.out"; t_fail "good file refused"; }
t_expect_grep '3 rows, 3 stored \(0 held for review\), 0 already imported; sha256 [0-9a-f]{64}' "$T/good.out"
[ "$(total_of alpha-crane 2026-10)" = 10010 ] || t_fail "October total $(total_of alpha-crane 2026-10), want 10010"
[ "$(total_of alpha-crane 2026-11)" = 3 ] || t_fail "November total $(total_of alpha-crane 2026-11), want 3"

# --- the same file again: nothing new ----------------------------------------
sd usage import "$T/good.csv" >"$T/again.out" 2>&1 || t_fail "re-import refused"
t_expect_grep '3 rows, 0 stored .*, 3 already imported' "$T/again.out"
[ "$(total_of alpha-crane 2026-10)" = 10010 ] || t_fail "a re-import changed the totals"

# --- problems: every one reported, nothing stored -----------------------------
cat >"$T/bad.csv" <<EOF
time,slice,ul_bytes,dl_bytes,total_bytes
2026-10-05T00:00:00Z,alpha-crane,100,100,200
2026-10-05T00:00:00Z,alpha-crane,-4,100,
2026-10-05,alpha-crane,1,1,
2026-10-05T00:00:00Z,nosuch,1,1,
2026-10-05T00:00:00Z,alpha-crane,1,1,3
2026-10-05T00:00:00Z,alpha-crane,1
2026-10-05T00:00:00Z,alpha-crane,1,"x"y,
EOF
sd usage import "$T/bad.csv" >"$T/bad.out" 2>&1 && t_fail "a file with problems was imported"
t_expect_grep "bad.csv:3: ul_bytes: \"-4\" is not a byte count" "$T/bad.out"
t_expect_grep "bad.csv:4: time: \"2026-10-05\" is not an RFC 3339 time" "$T/bad.out"
t_expect_grep "bad.csv:5: slice: unknown slice \"nosuch\"" "$T/bad.out"
t_expect_grep "bad.csv:6: total_bytes: 3 is not ul_bytes \+ dl_bytes \(2\)" "$T/bad.out"
t_expect_grep "bad.csv:7: 3 fields, the header has 5" "$T/bad.out"
t_expect_grep "bad.csv:8: text after a closing quote" "$T/bad.out"
t_expect_grep "nothing imported" "$T/bad.out"
[ "$(total_of alpha-crane 2026-10)" = 10010 ] || t_fail "the good row of a bad file was stored"
printf 'time,slice,ul_bytes,dl_bytes,colour\n' >"$T/hdr.csv"
sd usage import "$T/hdr.csv" >"$T/hdr.out" 2>&1 && t_fail "an unknown column was taken"
t_expect_grep "hdr.csv:1: colour: unknown column" "$T/hdr.out"
printf 'time,slice,ul_bytes,dl_bytes\n2026-10-05T00:00:00Z,alpha-crane,1,\377\n' >"$T/bin.csv"
sd usage import "$T/bin.csv" >"$T/bin.out" 2>&1 && t_fail "a non-UTF-8 file was taken"
t_expect_grep "bin.csv:2: not UTF-8 text" "$T/bin.out"

# --- a decommissioned slice: held ---------------------------------------------
printf 'time,slice,ul_bytes,dl_bytes\n2026-10-05T00:00:00Z,alpha-old,7,7\n' >"$T/old.csv"
sd usage import "$T/old.csv" >"$T/old.out" 2>&1 || t_fail "old-slice file refused"
t_expect_grep '1 rows, 1 stored \(1 held for review\)' "$T/old.out"
sd usage held --json >"$T/held.json"
t_expect_grep '"reason": *"slice alpha-old is decommissioned"' "$T/held.json"
t_expect_grep '"key": *"import:[0-9a-f]{64}/0/2"' "$T/held.json"

# --- a large file, several parts ----------------------------------------------
python3 - "$T/big.csv" <<'EOF'
import sys
with open(sys.argv[1], "w") as f:
    f.write("time,slice,ul_bytes,dl_bytes,note\n")
    for i in range(4000):
        f.write('2026-09-%02dT%02d:00:00Z,alpha-crane,%d,%d,"row ""%d"", padded to be long: %s"\n'
                % (1 + i % 28, i % 24, i, 2 * i, i, "x" * 20))
EOF
[ "$(stat -c %s "$T/big.csv")" -gt 200000 ] || t_fail "the big file is not big"
sd usage import "$T/big.csv" >"$T/big.out" 2>&1 || { cat "$T/big.out"; t_fail "big file refused"; }
t_expect_grep '4000 rows, 4000 stored' "$T/big.out"
# sum of i + 2i for i < 4000 = 3 * 3999 * 4000 / 2
[ "$(total_of alpha-crane 2026-09)" = 23994000 ] || t_fail "September total $(total_of alpha-crane 2026-09)"

# --- the September bill, computed by hand: 23,994,000 bytes at 2.50 CNY/GB
# is 5.9985 fen -> 6; one slice in service (alpha-old is decommissioned);
# VAT 6 % on the service lines, 13 % on the lease:
#   monthly fee 5,000,000 + 300,000 tax; slice fee 300,000 + 18,000;
#   data 6 + 0 (0.36); lease 800,000 + 104,000
#   subtotal 6,100,006, tax 422,000, total 6,522,006
sd bill --factory alpha --period 2026-09 --json >"$T/bill.json" || t_fail "bill"
python3 - "$T/bill.json" <<'EOF2' || t_fail "the September bill is not the hand-computed one"
import json, sys
b = json.load(open(sys.argv[1]))
got = [(l["what"], l["type"], l["quantity"], l["amount"], l["vat_pct"], l["tax"]) for l in b]
want = [("monthly fee", "service", 1, 5000000, 6, 300000), ("slice fee", "service", 1, 300000, 6, 18000),
        ("data", "service", 23994000, 6, 6, 0), ("UPF/MEC lease", "lease", 1, 800000, 13, 104000)]
ok = got == want
if not ok:
    print(json.dumps(b))
sys.exit(0 if ok else 1)
EOF2
sd bill --factory alpha --period 2026-09 >"$T/bill.txt" || t_fail "bill table"
t_expect_grep '^factory alpha, 2026-09, tariff hyb: 23994000 bytes in 4000 records, 1 slices in service' "$T/bill.txt"
t_expect_grep '^subtotal +6100006 fen +\(61000.06 CNY\)' "$T/bill.txt"
t_expect_grep '^tax +422000 fen +\(4220.00 CNY\)' "$T/bill.txt"
t_expect_grep '^total +6522006 fen +\(65220.06 CNY\)' "$T/bill.txt"
sd bill --factory alpha --period 2026-9 >"$T/bp.txt" 2>&1 && t_fail "a bad period was taken"
t_expect_grep 'period must be YYYY-MM' "$T/bp.txt"

# --- answered means durable ------------------------------------------------------
printf 'time,slice,ul_bytes,dl_bytes\n2026-08-05T00:00:00Z,alpha-crane,40,2\n' >"$T/last.csv"
sd usage import "$T/last.csv" >/dev/null || t_fail "last import"
kill -KILL "$(t_pid engine)"
sleep 0.2
rm -f "$T/sd.sock"
t_start engine "$BUILD/slicedeckd" -c "$T/sd.conf" --stderr
t_wait_file "$T/sd.sock" 10
[ "$(total_of alpha-crane 2026-08)" = 42 ] || t_fail "the import was lost by a SIGKILL after its answer"
[ "$(total_of alpha-crane 2026-09)" = 23994000 ] || t_fail "September changed after restart"
echo "usage_import: ok"

#!/bin/sh
# The scenario catalog through the real processes: "slicedeck scenarios" as
# an operator (all 20 templates, every field, JSON and CSV, and for a named
# factory what it is not offered and why), as a factory user (its own offer
# only; another factory, existing or not, is refused alike), and the
# console's scenarios view for that user in tmux, Chinese names included.
BUILD=${1:-build}
. tests/integration/lib.sh
t_need_root
t_tmp
command -v tmux >/dev/null || t_fail "tmux is not installed (make check installs it)"
. tests/integration/lib_tmux.sh

sfx=$$
G=sdtg$sfx; UZ=sdtz$sfx
t_on_exit() {
	TM kill-server 2>/dev/null
	userdel "$UZ" 2>/dev/null
	groupdel "$G" 2>/dev/null
	return 0
}
groupadd "$G" || t_fail "groupadd"
useradd -M -N -g "$G" -s /usr/sbin/nologin "$UZ" || t_fail "useradd $UZ"

# the sample zone, no 5G core (a closed port): the catalog needs none
t_sample_conf "$T/sd.conf" 'nrf="http://127.0.0.1:9"' "socket_group=\"$G\""
sed -i "s/user = \"zhp-it\";/user = \"$UZ\";/" "$T/sd.conf"
grep -q "user = \"$UZ\"" "$T/sd.conf" || t_fail "could not bind $UZ to zhenhai-petro"
t_start engine "$BUILD/slicedeckd" -c "$T/sd.conf" --socket "$T/sd.sock" --state-dir "$T/state" --stderr
t_wait_file "$T/sd.sock" 10
SD() { "$BUILD/slicedeck" --socket "$T/sd.sock" "$@"; }
CLI=$(t_user_bin slicedeck)
as() { u=$1; shift; setpriv --reuid "$u" --regid "$G" --init-groups "$CLI" --socket "$T/sd.sock" "$@"; }

# --- operator: the whole catalog ------------------------------------------------
SD scenarios >"$T/op.txt" || t_fail "slicedeck scenarios"
[ "$(grep -c '^[a-z]' "$T/op.txt")" -eq 20 ] || { cat "$T/op.txt"; t_fail "want 20 templates"; }
t_expect_grep '^ID +NO +SST +5QI +LAT_MS +PCTL +UL_GBR +UL_MAX +DL_GBR +DL_MAX +REL% +AVAIL% +UES +MODES +LEVELS +OFFERED +NAME +NAME_ZH' "$T/op.txt"
t_expect_grep '^machine-vision-qc +6 +1 +4 +50 +99\.99 +20000 +100000 +0 +1000 +99\.99 +99\.99 +50 +hybrid,independent +line,workshop,factory +- +Machine-vision quality inspection +机器视觉质检' "$T/op.txt"
grep -q 'not offered' "$T/op.txt" && t_fail "no factory named: no offer to judge"
SD scenarios --json >"$T/op.json" || t_fail "--json"
python3 - "$T/op.json" <<'PY' || t_fail "scenarios --json"
import json, sys
rows = json.load(open(sys.argv[1]))
assert len(rows) == 20, len(rows)
want = {"id", "number", "name", "name_zh", "sst", "fiveqi", "latency_ms", "latency_pct",
        "gbr_ul_kbps", "mbr_ul_kbps", "gbr_dl_kbps", "mbr_dl_kbps", "reliability_pct",
        "availability_pct", "max_ues", "level", "levels", "modes", "needs_local_upf", "sources"}
for r in rows:
    assert want <= set(r), (r["id"], want - set(r))
    assert "offered" not in r
eq = {r["id"]: r for r in rows}["equipment-coop"]
assert eq["name_zh"] == "设备协同作业" and eq["latency_ms"] == 1 and eq["latency_pct"] == 99.9999, eq
assert [r["number"] for r in rows] == list(range(1, 21))
PY
SD scenarios --csv >"$T/op.csv" || t_fail "--csv"
[ "$(wc -l <"$T/op.csv")" -eq 21 ] || t_fail "csv: header + 20 rows"
t_expect_grep '^energy-mgmt,13,3,9,1000,99\.9,1,28,0,28,' "$T/op.csv"

# an operator asks for one factory's offer: a virtual network
SD scenarios --factory chunxiao-auto >"$T/cxa.txt" || t_fail "--factory chunxiao-auto"
t_expect_grep '^not offered to chunxiao-auto' "$T/cxa.txt"
t_expect_grep '^  equipment-coop:' "$T/cxa.txt"
t_expect_grep 'its 1 ms bound is below what any standard 5QI offers \(the tightest, 5QI 85, has a 5 ms packet delay budget\)' "$T/cxa.txt"
t_expect_grep 'its 10 ms bound needs a local UPF, hybrid or independent networks only; chunxiao-auto is virtual' "$T/cxa.txt"
t_expect_grep '^energy-mgmt .* yes ' "$T/cxa.txt"
t_expect_grep '^collab-rd .* no ' "$T/cxa.txt"
if SD scenarios --factory nosuch >"$T/op-nosuch.txt" 2>&1; then t_fail "unknown factory accepted"; fi
t_expect_grep 'no factory nosuch' "$T/op-nosuch.txt"

# --- a factory user: its own offer, nothing of others ----------------------------
as "$UZ" scenarios --json >"$T/z.json" || t_fail "$UZ scenarios"
python3 - "$T/z.json" <<'PY' || t_fail "factory user's offer"
import json, sys
rows = {r["id"]: r for r in json.load(open(sys.argv[1]))}
assert all(r["factory"] == "zhenhai-petro" for r in rows.values())
lm = rows["logistics-monitoring"]
assert lm["offered"] is False and "beyond the factory fence" in lm["reasons"][0], lm
assert "zhenhai-petro is independent" in lm["reasons"][0]
assert rows["machine-vision-qc"]["offered"] is True and rows["machine-vision-qc"]["reasons"] == []
assert sum(1 for r in rows.values() if not r["offered"]) == 2   # logistics-monitoring, virtual-service
PY
as "$UZ" scenarios >"$T/z.txt" || t_fail "$UZ scenarios table"
t_expect_grep '^not offered to zhenhai-petro' "$T/z.txt"
t_expect_grep '^  virtual-service:' "$T/z.txt"
for f in beilun-heavy nosuch; do
	if as "$UZ" scenarios --factory "$f" >"$T/z-$f.txt" 2>&1; then t_fail "$UZ judged $f"; fi
	t_expect_grep "factory $f is outside your scope" "$T/z-$f.txt"
done

# --- the console's scenarios view for the factory user ---------------------------
S=zc
TM new-session -d -s zc -x 200 -y 40 "setpriv --reuid $UZ --regid $G --init-groups env TERM=xterm-256color LANG=C.UTF-8 $CLI --socket $T/sd.sock -r 1; echo CONSOLE-EXITED rc=\$?; sleep 30"
wait_screen 'factory view' 10
key : s c e n Enter
wait_screen '^ scenarios +\(20/20\)' 10
wait_screen 'logistics-monitoring +18 +no .*Full-domain logistics monitori +全域物流监测 +it serves beyond the factory fence' 5
wait_screen 'machine-vision-qc +6 +yes ' 5
# the wide names keep the columns aligned: the reason starts in the same column
screen >"$T/view.txt"
c1=$(grep 'logistics-monitoring' "$T/view.txt" | sed 's/it serves beyond.*//' | python3 -c 'import sys,unicodedata; s=sys.stdin.read().rstrip("\n"); print(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s))')
c2=$(grep 'virtual-service' "$T/view.txt" | sed 's/it serves beyond.*//' | python3 -c 'import sys,unicodedata; s=sys.stdin.read().rstrip("\n"); print(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s))')
[ "$c1" = "$c2" ] || { cat "$T/view.txt"; t_fail "reasons start at columns $c1 and $c2"; }
key q
echo "PASS: slice_catalog"

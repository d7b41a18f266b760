#!/bin/sh
# Coverage through the real engine and CLI: a walk test of a site with a
# patch of poor signal is imported; the engine reports the site's share,
# the hole and a heat map, and raises a coverage alarm; a CSV with bad lines
# is refused with FILE:LINE errors and imports nothing. The samples are kept
# in the engine's store: a restarted engine reports the same count, and a
# re-import of the same walk adds nothing (before or after the restart).
BUILD=${1:-build}
. tests/integration/lib.sh
t_tmp

# no 5G core: a closed loopback port
t_sample_conf "$T/sd.conf" 'nrf="http://127.0.0.1:9"' poll_interval=60
t_start engine "$BUILD/slicedeckd" -c "$T/sd.conf" --socket "$T/sd.sock" \
	--state-dir "$T/state" --stderr
t_wait_file "$T/sd.sock" 10
sd() { "$BUILD/slicedeck" --socket "$T/sd.sock" "$@"; }

# bhm-works is 600 m x 400 m: a 10 m walk grid, with a 60 m x 60 m patch of
# poor signal around (450, 80); 2400 rows, sent in batches
python3 - "$T/walk.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("time,x,y,cell,rsrp,sinr\n")
    t = 1795428000
    for x in range(5, 600, 10):
        for y in range(5, 400, 10):
            bad = 420 <= x <= 480 and 50 <= y <= 110
            f.write("%d,%d,%d,%s,%d,%d\n" % (t, x, y, "bhm-w3" if x > 400 else "bhm-w1",
                                              -118 if bad else -88, -3 if bad else 12))
            t += 1
PY
sd coverage import "$T/walk.csv" --site bhm-works >"$T/import.txt" 2>&1 || { cat "$T/import.txt"; t_fail "import failed"; }
t_expect_grep '2400 samples imported into site bhm-works' "$T/import.txt"

sd coverage --site bhm-works >"$T/cov.txt" || t_fail "coverage report"
t_expect_grep '^bhm-works +beilun-heavy +2400 ' "$T/cov.txt"
t_expect_grep 'heat map of bhm-works' "$T/cov.txt"
grep -q 'x' "$T/cov.txt" || t_fail "the hole does not show on the heat map"
sd coverage --site bhm-works --json >"$T/cov.json"
python3 - "$T/cov.json" <<'PY' || t_fail "coverage figures wrong"
import json, sys
s = json.load(open(sys.argv[1]))["sites"][0]
assert s["samples"] == 2400, s["samples"]
assert abs(s["share_pct"] - 98.5) < 0.01, s["share_pct"]  # 36 of 2400 rows fail
assert len(s["holes"]) == 1, s["holes"]
h = s["holes"][0]
assert 400 <= h["x0_m"] <= 430 and 470 <= h["x1_m"] <= 500, h
# the walk covered every square: all measured, the walk overrides the
# prediction everywhere, and the hole is a measured one
assert s["measured"]["squares"] == 2400 and s["predicted"]["squares"] == 0, s
assert h["kind"] == "measured", h
assert abs(s["measured"]["area_share_pct"] - 98.5) < 0.01, s["measured"]
assert all(ch in "01234" for row in s["heatmap"] for ch in row), s["heatmap"]
PY
# a site nobody walked is predicted from its cells' configuration alone
# (no 5G core here: uncalibrated), every square of it
sd coverage --site bhm-yard --json | python3 -c '
import json, sys; s = json.load(sys.stdin)["sites"][0]
assert s["measured"]["squares"] == 0 and s["predicted"]["squares"] == 750, s
assert s["cells"][0]["reported_rsrp_dbm"] is None, s["cells"]' || t_fail "bhm-yard not predicted"

# the site is over the 95 % default target: no alarm; push it under with
# a second, bad walk of the same hall
python3 - "$T/walk2.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("time,x,y,cell,rsrp,sinr\n")
    for i in range(200):
        f.write("%d,%d,%d,bhm-w3,-120,-5\n" % (1795430000 + i, 430 + i % 40, 60 + i // 40))
PY
sd coverage import "$T/walk2.csv" --site bhm-works >/dev/null || t_fail "second import"
sd alarms >"$T/alarms.txt"
t_expect_grep 'site=bhm-works' "$T/alarms.txt"

# a file with bad lines: every problem named, nothing imported
printf 'time,x,y,cell,rsrp,sinr\n1795428000,10,10,bhm-w1,-90,5\n1795428001,10,10,bhm-w1,-200,5\n1795428002,abc,10,bhm-w1,-90,5\n' >"$T/bad.csv"
if sd coverage import "$T/bad.csv" --site bhm-works >"$T/bad.txt" 2>&1; then t_fail "bad CSV accepted"; fi
t_expect_grep 'bad.csv:3: .*RSRP' "$T/bad.txt"
t_expect_grep 'bad.csv:4: ' "$T/bad.txt"
t_expect_grep 'nothing imported' "$T/bad.txt"
sd coverage --site bhm-works --json | python3 -c '
import json, sys; s = json.load(sys.stdin)["sites"][0]; assert s["samples"] == 2600, s["samples"]' ||
	t_fail "a refused file changed the site's samples"

# a re-import of the same walk is counted once
sd coverage import "$T/walk.csv" --site bhm-works >"$T/again.txt" 2>&1 || { cat "$T/again.txt"; t_fail "re-import failed"; }
t_expect_grep ' 0 samples imported into site bhm-works \(2400 already there' "$T/again.txt"
samples() {
	sd coverage --site bhm-works --json | python3 -c '
import json, sys; print(json.load(sys.stdin)["sites"][0]["samples"])'
}
[ "$(samples)" = 2600 ] || t_fail "a re-import changed the samples: $(samples)"


# scope: another factory's site cannot be imported into or read by name
if sd coverage --site nosuch >/dev/null 2>&1; then t_fail "unknown site accepted"; fi
t_stop engine || t_fail "engine did not stop"

# a restart on the same state directory keeps every site's samples
rm -f "$T/sd.sock"
t_start engine2 "$BUILD/slicedeckd" -c "$T/sd.conf" --socket "$T/sd.sock" \
	--state-dir "$T/state" --stderr
t_wait_file "$T/sd.sock" 10
sd coverage --site bhm-works --json >"$T/cov2.json" || t_fail "coverage after restart"
python3 - "$T/cov2.json" <<'PY' || t_fail "coverage lost or changed by the restart"
import json, sys
s = json.load(open(sys.argv[1]))["sites"][0]
assert s["samples"] == 2600, s["samples"]
assert abs(s["share_pct"] - 100.0 * (2400 - 36) / 2600) < 0.01, s["share_pct"]
assert len(s["holes"]) == 1, s["holes"]
PY
# and still counts each sample once: both walks again add nothing
sd coverage import "$T/walk.csv" --site bhm-works >"$T/again2.txt" 2>&1 || { cat "$T/again2.txt"; t_fail "re-import after restart failed"; }
t_expect_grep ' 0 samples imported into site bhm-works' "$T/again2.txt"
sd coverage import "$T/walk2.csv" --site bhm-works >/dev/null || t_fail "second walk again"
[ "$(samples)" = 2600 ] || t_fail "a re-import after the restart changed the samples: $(samples)"
# issue 9 item 13: a file is all or nothing. A client sends two batches of a
# file's import and dies before the last (its socket closes, as when killed):
# nothing of it is stored; one that sends the last batch stores all three.
cat >"$T/stage.py" <<'PY'
import json, socket, sys
path, finish = sys.argv[1], sys.argv[2] == "finish"
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(path)
f = s.makefile("rwb")
def call(i, op, **p):
    p.update(id=i, op=op)
    f.write((json.dumps(p) + "\n").encode()); f.flush()
    while True:
        r = json.loads(f.readline())
        if r.get("id") == i:
            return r
call(1, "hello", version=1, client="stage")
tok = "t-" + sys.argv[2]
for b in range(3):
    rows = [[1795500000000 + b * 1000 + i, 3.0 + i % 500, 7.0 + b, "bhm-w1", -90.0, 10.0]
            for i in range(900)]
    last = finish and b == 2
    if b == 2 and not finish:
        break                      # killed before the last batch
    r = call(2 + b, "coverage.add", site="bhm-works", samples=rows, **{"import": tok, "last": last})
    assert "result" in r, r
    print(json.dumps(r["result"].get("staged", r["result"].get("accepted"))))
PY
python3 "$T/stage.py" "$T/sd.sock" die >"$T/stage1.txt" || t_fail "staged import: $(cat "$T/stage1.txt")"
[ "$(cat "$T/stage1.txt" | tr '\n' ' ')" = "900 1800 " ] || t_fail "staging answered $(cat "$T/stage1.txt")"
[ "$(samples)" = 2600 ] || t_fail "an unfinished import stored samples: $(samples)"
python3 "$T/stage.py" "$T/sd.sock" finish >"$T/stage2.txt" || t_fail "finished import: $(cat "$T/stage2.txt")"
[ "$(tail -1 "$T/stage2.txt")" = 2700 ] || t_fail "the finished import stored $(tail -1 "$T/stage2.txt"), not 2700"
[ "$(samples)" = 5300 ] || t_fail "after a finished import: $(samples) samples"
t_stop engine2 || t_fail "engine did not stop"
echo "coverage: ok"

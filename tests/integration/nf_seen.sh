#!/bin/sh
# An NF that the NRF keeps listing, unchanged, is pushed again with its new
# last_seen_ms (model change SD_NF_SEEN), so a console's HB_AGE column is
# the time since the engine last saw it, not since the row last changed:
# with the NRF polled every second, a delta subscriber of "nfs" sees each
# NF's last_seen_ms move several times in 6 s, and at the end no NF is
# older than a few seconds in its own pushed data.
BUILD=${1:-build}
. tests/integration/lib.sh
t_tmp
t_sample_conf "$T/sd.conf" poll_interval=1
t_sim_engine "$T/sd.conf" --seed 3
t_until 10 sh -c "'$BUILD/slicedeck' --socket '$T/sd.sock' nfs --json | grep -q '\"last_seen_ms\": *[1-9]'" ||
	t_fail "no NF seen"
python3 tests/tools/ipc.py "$T/sd.sock" watch 6 delta nfs > "$T/watch.log" 2>&1 ||
	t_fail "watch failed: $(tail -3 "$T/watch.log")"
python3 - "$T/watch.log" <<'PY' || t_fail "last_seen_ms was not pushed as it moved (above)"
import json, sys, time
seen = {}
last = {}
for line in open(sys.argv[1]):
    try:
        ev = json.loads(line)
    except ValueError:
        continue
    data = ev.get("data") or {}
    rows = data.get("nfs") or data.get("upsert") or []
    for r in rows:
        if isinstance(r, dict) and r.get("last_seen_ms"):
            seen.setdefault(r["id"], set()).add(r["last_seen_ms"])
            last[r["id"]] = r["last_seen_ms"]
if not seen:
    print("no NF rows in the watch"); sys.exit(1)
moving = [i for i, v in seen.items() if len(v) >= 3]
print("%d NFs, %d with 3+ distinct last_seen_ms in 6 s" % (len(seen), len(moving)))
if len(moving) < len(seen):
    print("not moving:", [i for i in seen if i not in moving]); sys.exit(1)
age = time.time() * 1000 - min(last.values())
print("oldest pushed last_seen_ms at the end: %.1f s" % (age / 1000))
sys.exit(0 if age < 4000 else 1)
PY
echo PASS

#!/bin/sh
# The console against an engine speaking the delta protocol (docs/ipc.md,
# subscribe "mode":"delta"), played by a small scripted stand-in so that
# every step is exact: a slice snapshot of 2,500 in three pages, a delta
# (one upsert, one removal), a delta whose base is not the generation held
# (the console must send resync and then show the fresh snapshot), cells
# from the cells topic (no "cells" request), alarms keyed by integer ids.
# The real engine's delta mode is covered by the other tui_* tests once it
# lands; this one pins the console's side of the protocol.
BUILD=${1:-build}
. tests/integration/lib.sh
t_tmp
command -v tmux >/dev/null || t_fail "tmux is not installed (make check installs it)"
command -v python3 >/dev/null || t_fail "python3 is not installed"

cat >"$T/fake.py" <<'PY'
# A stand-in engine: one client at a time, requests logged to ops.log, the
# next scripted step taken when the test creates the file $T/step-N.
import json, os, select, socket, sys, time
T = sys.argv[1]
path = T + "/sd.sock"
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path)
srv.listen(4)
log = open(T + "/ops.log", "a", buffering=1)

def send(c, obj):
    c.sendall((json.dumps(obj) + "\n").encode())

def snapshot(c, topic, objs, gen, per_page=1000, resync=False):
    pages = max(1, (len(objs) + per_page - 1) // per_page)
    for p in range(pages):
        snap = {"gen": gen, "page": p, "pages": pages}
        if resync:
            snap["resync"] = True
        send(c, {"event": topic, "snapshot": snap,
                 "data": {topic: objs[p * per_page:(p + 1) * per_page]}})

def slice_obj(i, state="active"):
    return {"id": "s-%05d" % i, "name": "slice %d" % i, "factory": "f1", "snssai": "1-%06x" % i,
            "sst": 1, "state": state, "scenario": "remote-control", "dnn": "f1.mec",
            "sla": {"latency_ms": 20, "fiveqi": 82}, "sites": ["site1"]}

factories = [{"id": "f1", "name": "Fake Factory", "industry": "test", "mode": "hybrid",
              "level": "factory", "security_grade": 2, "sites": 1, "cells": 2, "slices": 2500}]
sites = [{"id": "site1", "name": "Fake site", "factory": "f1", "lat": 30.0, "lon": 120.0, "cells": 2}]
cells = [{"id": "cell-a", "name": "cell A", "site": "site1", "factory": "f1",
          "ncgi": "460-00-000000a01", "tac": "00a001", "pci": 1},
         {"id": "cell-b", "name": "cell B", "site": "site1", "factory": "f1",
          "ncgi": "460-00-000000a02", "tac": "00a001", "pci": 2}]
alarms = [{"id": 1, "severity": "major", "object": "site=site1", "factory": "f1",
           "specific_problem": "coverage below target", "text": "one", "raised": 0,
           "active": True, "acked": False},
          {"id": 2, "severity": "minor", "object": "site=site1", "factory": "f1",
           "specific_problem": "second", "text": "two", "raised": 0, "active": True, "acked": False}]

def answer(c, req, buf_state):
    op, rid = req.get("op"), req.get("id")
    log.write(json.dumps(req, sort_keys=True) + "\n")
    if op == "hello":
        send(c, {"id": rid, "result": {"version": 1, "engine": "fake", "user": "root", "uid": 0,
                                       "role": "operator", "zone": "Fake Zone", "plmn": "460-00"}})
    elif op == "subscribe":
        send(c, {"id": rid, "result": {"subscribed": req.get("topics"), "mode": req.get("mode", "full")}})
        if req.get("mode") == "delta":
            snapshot(c, "factories", factories, 1)
            snapshot(c, "slices", [slice_obj(i) for i in range(2500)], 7)
            snapshot(c, "sites", sites, 1)
            snapshot(c, "cells", cells, 1)
            snapshot(c, "nfs", [], 1)
            snapshot(c, "alarms", alarms, 3)
    elif op == "resync":
        send(c, {"id": rid, "result": {"resync": req.get("topics")}})
        if "slices" in req.get("topics", []):
            snapshot(c, "slices", [slice_obj(i) for i in range(10)], 20, per_page=4, resync=True)
    elif op == "sla":
        send(c, {"id": rid, "result": {"period": "2026-12", "slices": []}})
    else:
        send(c, {"id": rid, "error": {"code": "unknown_op", "message": "fake: no " + str(op)}})

steps = {
    1: lambda c: send(c, {"event": "slices", "delta": {"gen": 8, "base": 7},
                          "data": {"upsert": [dict(slice_obj(1), state="suspended", id="zz-new"),
                                              slice_obj(2, "suspended")],
                                   "remove": ["s-00000", "no-such-id"]}}),
    2: lambda c: send(c, {"event": "slices", "delta": {"gen": 12, "base": 11},
                          "data": {"upsert": [dict(slice_obj(3), id="never-shown")]}}),
    3: lambda c: send(c, {"event": "alarms", "delta": {"gen": 4, "base": 3},
                          "data": {"upsert": [], "remove": [1]}}),
}
clients, bufs, step = [], {}, 1
end = time.time() + 120
while time.time() < end:
    r, _, _ = select.select([srv] + clients, [], [], 0.1)
    for s in r:
        if s is srv:
            c, _ = srv.accept()
            clients.append(c)
            bufs[c] = b""
            continue
        data = s.recv(65536)
        if not data:
            clients.remove(s)
            continue
        bufs[s] += data
        while b"\n" in bufs[s]:
            line, bufs[s] = bufs[s].split(b"\n", 1)
            if line.strip():
                answer(s, json.loads(line), bufs)
    if os.path.exists("%s/step-%d" % (T, step)) and clients:
        steps[step](clients[-1])
        step += 1
PY
t_start fake python3 "$T/fake.py" "$T"
t_wait_file "$T/sd.sock" 10

. tests/integration/lib_tmux.sh
console sd LANG=C.UTF-8 "$BUILD/slicedeck" --socket "$T/sd.sock" -r 1 --view slices
wait_screen 'engine connected' 10
# the three pages make one list
wait_screen '^ slices +\(2500/2500\)' 10
grep -q '"mode": "delta"' "$T/ops.log" || { cat "$T/ops.log"; t_fail "the console did not subscribe in delta mode"; }
grep -q '"cells"' "$T/ops.log" || t_fail "the console did not subscribe to cells"

# a delta: zz-new appended, s-00002 suspended, s-00000 removed, an unknown id ignored
touch "$T/step-1"
key / z z - n e w Enter
wait_screen '^ slices +\(1/2500\) +filter /zz-new/' 10
wait_screen 'zz-new +f1 .* suspended' 5
key Escape
key / s - 0 0 0 0 '[' 0 2 ']' Enter
wait_screen '^ slices +\(1/2500\) +filter /s-0000\[02\]/' 5
wait_screen 's-00002 +f1 .* suspended' 5
key Escape
wait_screen '^ slices +\(2500/2500\)' 5

# a delta on a generation the console does not hold: resync, then the fresh snapshot
touch "$T/step-2"
wait_screen '^ slices +\(10/10\)' 10
grep -q '"op": "resync".*"topics": \["slices"\]' "$T/ops.log" ||
	{ cat "$T/ops.log"; t_fail "no resync request for slices"; }
no_screen 'never-shown'

# cells from the pushed topic: shown without a "cells" request
key c
wait_screen '^ cells +\(2/2\)' 5
wait_screen 'cell-a +site1' 5
if grep -q '"op": "cells"' "$T/ops.log"; then cat "$T/ops.log"; t_fail "asked for cells although they are pushed"; fi

# alarms: integer ids, a removal by id
key : a l Enter
wait_screen '^ alarms +\(2/2\)' 5
touch "$T/step-3"
wait_screen '^ alarms +\(1/1\)' 10
wait_screen 'minor +site=site1' 5

key q
wait_screen 'CONSOLE-EXITED rc=0' 5
echo "tui_delta: ok"

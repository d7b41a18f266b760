#!/usr/bin/python3
"""tests/integration/snmp/walk.py — compare `snmpwalk -On -Oq -Oe` output of
SLICEDECK-MIB's tables (walked through a real snmpd master agent) with the
engine's own answer.

  walk.py WALK.txt factories F.json slices S.json nfs N.json alarms A.json
      every table has exactly the rows and the values of the JSON lists
      (slicedeck factories|slices|nfs|alarms --json); prints the row counts
"""
import json
import sys

BASE = ".1.3.6.1.4.1.32473.1.2."
MODES = {"virtual": 1, "hybrid": 2, "independent": 3}
LEVELS = {"line": 1, "workshop": 2, "factory": 3}
STATES = {"requested": 1, "admitted": 2, "active": 3, "suspended": 4, "decommissioned": 5,
          "rejected": 6}
SEV = {"cleared": 1, "indeterminate": 2, "critical": 3, "major": 4, "minor": 5, "warning": 6}


def parse(path):
    """{table: {index: {column: value}}}"""
    out = {}
    for line in open(path):
        line = line.rstrip("\n")
        if not line.startswith(BASE):
            continue
        oid, _, val = line.partition(" ")
        parts = oid[len(BASE):].split(".")
        table, col, idx = int(parts[0]), int(parts[2]), int(parts[3])
        val = val.strip()
        if len(val) >= 2 and val[0] == '"' and val[-1] == '"':
            val = val[1:-1]
        out.setdefault(table, {}).setdefault(idx, {})[col] = val
    return out


def rows_by(table, col):
    return {r[col]: r for r in table.values()}


def main():
    walk = parse(sys.argv[1])
    args = dict(zip(sys.argv[2::2], sys.argv[3::2]))
    f = json.load(open(args["factories"]))
    s = json.load(open(args["slices"]))
    n = json.load(open(args["nfs"]))
    a = json.load(open(args["alarms"]))
    ft = rows_by(walk.get(1, {}), 2)
    assert set(ft) == {x["id"] for x in f}, (sorted(ft), [x["id"] for x in f])
    for x in f:
        r = ft[x["id"]]
        assert r[3] == x["name"], (r, x)
        assert int(r[4]) == MODES[x["mode"]] and int(r[5]) == LEVELS[x["level"]], (r, x)
        assert int(r[6]) == x["security_grade"], (r, x)
    st = rows_by(walk.get(2, {}), 2)
    assert set(st) == {x["id"] for x in s}, (sorted(st), [x["id"] for x in s])
    for x in s:
        r = st[x["id"]]
        assert r[3] == x["factory"] and r[4] == x["snssai"] and r[5] == x["scenario"], (r, x)
        assert int(r[6]) == STATES[x["state"]], (r, x)
        assert int(r[7]) in (1, 2, 3, 4) and 0 <= int(r[8]) <= 10000, r
    nt = rows_by(walk.get(3, {}), 2)
    assert set(nt) == {x["id"] for x in n}, (sorted(nt), [x["id"] for x in n])
    for x in n:
        r = nt[x["id"]]
        assert r[3] == x["type"] and r[4] == x["status"], (r, x)
        assert int(r[5]) == (x["load"] if x["load"] is not None else 0), (r, x)
    at = walk.get(4, {})
    active = [x for x in a if x["active"]]
    assert set(at) == {x["id"] for x in active}, (sorted(at), [x["id"] for x in active])
    for x in active:
        r = at[x["id"]]
        assert r[2] == x["object"] and r[3] == (x["factory"] or ""), (r, x)
        assert int(r[6]) == SEV[x["severity"]] and r[7] == x["specific_problem"], (r, x)
        assert r[8] == x["text"], (r, x)
        assert int(r[10]) == (1 if x["acked"] else 2), (r, x)
    print(len(ft), len(st), len(nt), len(at))


if __name__ == "__main__":
    sys.exit(main())

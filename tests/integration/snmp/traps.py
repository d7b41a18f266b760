#!/usr/bin/python3
"""tests/integration/snmp/traps.py — read what snmptrapd logged (with the
format line `format2 TRAP %b|| %V~|~ %v\\n` and SLICEDECK-MIB loaded) and
check it against the engine.

  traps.py LOG count NAME [MIN]        exit 0 when at least MIN (1)
                                       notifications NAME were logged
  traps.py LOG alarm NAME ALARMS.json  every alarm notification NAME must
                                       match its alarm in ALARMS.json
                                       (slicedeck alarms --all --json) varbind
                                       by varbind; prints how many matched
  traps.py LOG storm                   prints the summed suppressed counts
"""
import json
import math
import re
import sys

SEP = "~|~"
SEV = {"cleared": 1, "indeterminate": 2, "critical": 3, "major": 4, "minor": 5, "warning": 6}
TYPES = {"communicationsAlarm": 2, "qualityOfServiceAlarm": 3, "processingErrorAlarm": 4,
         "equipmentAlarm": 5, "environmentalAlarm": 6}
CAUSES = {"thresholdCrossed": 549, "performanceDegraded": 532,
          "communicationsSubsystemFailure": 505, "degradedSignal": 511, "congestion": 507,
          "softwareError": 544, "other": 1024}


def value(v):
    """'Gauge32: 5' -> '5'; 'INTEGER: critical(3)' -> 3; 'STRING: "x"' -> 'x'"""
    typ, _, rest = v.partition(": ")
    if not _:
        return "" if typ.strip() in ('""', "STRING:", "") else typ.strip()
    rest = rest.strip()
    m = re.fullmatch(r"[A-Za-z0-9]+\((\d+)\)", rest)
    if typ == "INTEGER" and m:
        return int(m.group(1))
    if typ in ("INTEGER", "Gauge32", "Counter32", "Unsigned32"):
        return int(rest)
    if len(rest) >= 2 and rest[0] == '"' and rest[-1] == '"':
        rest = rest[1:-1]
    return rest


def notifications(path):
    out = []
    for line in open(path, errors="replace"):
        if not line.startswith("TRAP "):
            continue
        line = line.partition("|| ")[2]
        vb = {}
        for part in line.rstrip("\n").split(SEP):
            name, eq, v = part.strip().partition(" = ")
            if not eq:
                continue
            name = name.split("::")[-1]
            vb[name] = v.strip()
        trap = vb.get("snmpTrapOID.0", "")
        out.append((trap.partition(": ")[2].split("::")[-1], vb))
    return out


def dt(s):
    """DateAndTime as net-snmp prints it: 2026-12-3,16:1:1.0,+0:0 -> (y,m,d,H,M,S)"""
    m = re.match(r"(\d+)-(\d+)-(\d+),(\d+):(\d+):(\d+)", s)
    return tuple(int(x) for x in m.groups()) if m else None


def iso(s):
    m = re.match(r"(\d+)-(\d+)-(\d+)T(\d+):(\d+):(\d+)", s or "")
    return tuple(int(x) for x in m.groups()) if m else None


def check_alarm(vb, a, name):
    def get(k):
        return value(vb[k + ".0"])
    exp = {
        "sdAlarmId": a["id"], "sdAlarmManagedObject": a["object"],
        "sdAlarmFactoryId": a["factory"] or "", "sdAlarmSliceId": a["slice"] or "",
        "sdAlarmSnssai": a["snssai"] or "", "sdAlarmEventType": TYPES[a["event_type"]],
        "sdAlarmProbableCause": CAUSES[a["probable_cause"]],
        "sdAlarmSpecificProblem": a["specific_problem"], "sdAlarmUnit": a["unit"] or "",
    }
    for k, want in exp.items():
        got = get(k)
        if isinstance(want, int):
            got = int(got)
        assert got == want, (name, k, got, want)
    if name != "sdAlarmCleared":
        # the text and severity of a new alarm may have changed since; the
        # id and the times may not
        assert get("sdAlarmSeverity") in SEV.values()
    else:
        assert get("sdAlarmSeverity") == 1, get("sdAlarmSeverity")
        assert get("sdAlarmAdditionalText") == a["text"], (get("sdAlarmAdditionalText"), a["text"])
    for k, j in (("sdAlarmObservedValue", "observed"), ("sdAlarmThreshold", "target")):
        got = get(k)
        if a[j] is None:
            assert got == "", (k, got)
        elif name == "sdAlarmCleared" or k == "sdAlarmThreshold":
            assert math.isclose(float(got), a[j], rel_tol=1e-12), (k, got, a[j])
    assert dt(get("sdAlarmRaisedTime")) == iso(a["raised"]), (get("sdAlarmRaisedTime"), a["raised"])
    if name == "sdAlarmAcknowledged":
        assert get("sdAlarmAckedBy") == a["acked_by"], (get("sdAlarmAckedBy"), a["acked_by"])
        assert dt(get("sdAlarmEventTime")) == iso(a["acked"])
    if name == "sdAlarmCleared":
        assert dt(get("sdAlarmEventTime")) == iso(a["cleared"])


def main():
    path, what = sys.argv[1], sys.argv[2]
    notes = notifications(path)
    if what == "count":
        n = sum(1 for t, _ in notes if t == sys.argv[3])
        return 0 if n >= (int(sys.argv[4]) if len(sys.argv) > 4 else 1) else 1
    if what == "alarm":
        alarms = {a["id"]: a for a in json.load(open(sys.argv[4]))}
        n = 0
        for t, vb in notes:
            if t != sys.argv[3]:
                continue
            aid = int(value(vb["sdAlarmId.0"]))
            assert aid in alarms, ("no alarm", aid)
            check_alarm(vb, alarms[aid], t)
            n += 1
        print(n)
        return 0 if n else 1
    if what == "storm":
        tot = [0, 0, 0, 0]
        for t, vb in notes:
            if t == "sdStormSummary":
                for i, k in enumerate(("Major", "Minor", "Warning", "Other")):
                    tot[i] += int(value(vb["sdStormSuppressed" + k + ".0"]))
        print(" ".join(map(str, tot)))
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())

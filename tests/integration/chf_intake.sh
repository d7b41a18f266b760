#!/bin/sh
# The CHF endpoint (Nchf_ConvergedCharging) on the real engine over real
# HTTP/2 (curl, prior knowledge), and the ledger behind it through the real
# CLI: create 201 + Location, update 200, release 204; a retransmitted create
# gets the same ref and stores nothing twice; a malformed request is 400
# problem+json with its cause and invalidParams and stores nothing; a
# negative volume is refused naming the record's key; a record for an
# unknown or decommissioned slice is held (listed by `usage held`, in no
# total); an update for a ref the CHF never handed out is taken; after a
# SIGKILL right after the answers the totals are all there; a factory user
# sees only its own usage.
BUILD=${1:-build}
. tests/integration/lib.sh
t_need_root
t_tmp

sfx=$$
G=sdcg$sfx
UA=sdca$sfx
t_on_exit() {
	userdel "$UA" 2>/dev/null
	groupdel "$G" 2>/dev/null
	return 0
}
groupadd "$G" || t_fail "groupadd"
useradd -M -N -g "$G" -s /usr/sbin/nologin "$UA" || t_fail "useradd $UA"

cat >"$T/sd.conf" <<EOF
engine = { socket = "$T/sd.sock"; socket_group = "$G"; state_dir = "$T/state"; log_level = "info"; };
zone = { name = "CHF Test Park"; plmn = { mcc = "460"; mnc = "00"; }; };
sbi = { nrf = "http://127.0.0.1:9"; poll_interval = 60; notify = { listen = "127.0.0.1:0"; }; };
factories = (
  { id = "alpha"; name = "Alpha Steel"; industry = "steel"; zone = "north";
    mode = "hybrid"; level = "workshop"; security_grade = 2; dnns = [ "alpha.mec" ];
    sites = ( { id = "alpha-s1"; name = "Alpha mill"; lat = 36.6; lon = 117.0;
                cells = ( { id = "alpha-c1"; nci = "000000a01"; tac = "00a001"; x = 10.0; y = 10.0; pci = 11; } ); } );
    slices = ( { id = "alpha-crane"; name = "crane control"; snssai = "2-00a001";
                 scenario = "remote-control"; dnn = "alpha.mec"; state = "active"; },
               { id = "alpha-old"; name = "old cameras"; snssai = "1-00a009";
                 scenario = "machine-vision-qc"; dnn = "alpha.mec"; state = "decommissioned"; } ); },
  { id = "bravo"; name = "Bravo Petrochem"; industry = "petrochemicals"; zone = "south";
    mode = "virtual"; level = "factory"; security_grade = 3; dnns = [ "bravo.corp" ];
    sites = ( { id = "bravo-s1"; name = "Bravo cracker"; lat = 36.7; lon = 117.1;
                cells = ( { id = "bravo-c1"; nci = "000000b01"; tac = "00b001"; x = 5.0; y = 5.0; pci = 21; } ); } );
    slices = ( { id = "bravo-sensors"; name = "plant sensors"; snssai = "3-00b001";
                 scenario = "site-monitoring"; dnn = "bravo.corp"; state = "active"; } ); }
);
access = { rules = ( { user = "$UA"; role = "factory"; factory = "alpha"; } ); };
EOF
chmod 0640 "$T/sd.conf"
CLI=$(t_user_bin slicedeck)

start_engine() {
	: >"$T/engine.log"
	t_start engine "$BUILD/slicedeckd" -c "$T/sd.conf" --stderr
	t_wait_file "$T/sd.sock" 10
	t_wait_log engine 'SBI server on http://' 10
	API=$(sed -n 's/.*SBI server on \(http:[^ ]*\).*/\1/p' "$T/engine.log" | tail -1)
	CHF=$API/nchf-convergedcharging/v3/chargingdata
}
start_engine

# post NAME URL BODY-FILE: headers in $T/NAME.h, body in $T/NAME.b
post() {
	curl -s --http2-prior-knowledge -m 10 -D "$T/$1.h" -o "$T/$1.b" \
		-H 'content-type: application/json' --data-binary @"$3" "$2" || t_fail "curl $1"
	sed -n 's/^HTTP\/2 \([0-9]*\).*/\1/p' "$T/$1.h" | tr -d '\r'
}

# req FILE SEQ SST SD DNN RG LSN UL DL [extra members...]: a ChargingDataRequest
req() {
	f=$1; seq=$2; sst=$3; sd=$4; dnn=$5; rg=$6; lsn=$7; ul=$8; dl=$9
	shift 9
	cat >"$f" <<EOF
{"nfConsumerIdentification":{"nodeFunctionality":"SMF","nFName":"6a1c0e52-8f4b-4c3e-9a61-2b7f0c9e4a11"},
 "invocationTimeStamp":"2026-11-23T10:00:00Z","invocationSequenceNumber":$seq,
 "subscriberIdentifier":"imsi-460000000000001" $*,
 "pDUSessionChargingInformation":{"chargingId":$sst$lsn,"pduSessionInformation":{"pduSessionID":$sst,"dnnId":"$dnn",
   "networkSlicingInfo":{"sNSSAI":{"sst":$sst,"sd":"$sd"}}}},
 "multipleUnitUsage":[{"ratingGroup":$rg,"usedUnitContainer":[{"localSequenceNumber":$lsn,
   "uplinkVolume":$ul,"downlinkVolume":$dl,"time":30,"triggerTimestamp":"2026-11-23T10:00:00Z"}]}]}
EOF
}

usage_json() { "$BUILD/slicedeck" --socket "$T/sd.sock" usage --json; }
total_of() {  # total_of SLICE: the slice's total bytes
	usage_json | python3 -c "import json,sys; print(sum(r['total_bytes'] for r in json.load(sys.stdin) if r['slice']=='$1'))"
}

# --- create, update, release -------------------------------------------------
req "$T/c1.json" 0 2 00a001 alpha.mec 10 1 1000 9000
[ "$(post c1 "$CHF" "$T/c1.json")" = 201 ] || { cat "$T/c1.h" "$T/c1.b"; t_fail "create not 201"; }
LOC=$(sed -n 's/^location: //p' "$T/c1.h" | tr -d '\r')
case $LOC in "$CHF"/*) ;; *) t_fail "Location is '$LOC', want $CHF/REF" ;; esac
REF=${LOC##*/}
grep -q '"invocationSequenceNumber":0' "$T/c1.b" || t_fail "create answer: $(cat "$T/c1.b")"
req "$T/u1.json" 1 2 00a001 alpha.mec 10 2 500 1500
[ "$(post u1 "$CHF/$REF/update" "$T/u1.json")" = 200 ] || t_fail "update not 200: $(cat "$T/u1.b")"
grep -q '"invocationSequenceNumber":1' "$T/u1.b" || t_fail "update answer: $(cat "$T/u1.b")"
[ "$(total_of alpha-crane)" = 12000 ] || t_fail "alpha-crane total $(total_of alpha-crane), want 12000"

# --- the SMF resends: nothing twice ----------------------------------------
req "$T/c1r.json" 0 2 00a001 alpha.mec 10 1 1000 9000 ',"retransmissionIndicator":true'
[ "$(post c1r "$CHF" "$T/c1r.json")" = 201 ] || t_fail "resent create not 201"
[ "$(sed -n 's/^location: //p' "$T/c1r.h" | tr -d '\r')" = "$LOC" ] || t_fail "resent create got another ref"
[ "$(post u1r "$CHF/$REF/update" "$T/u1.json")" = 200 ] || t_fail "resent update not 200"
[ "$(total_of alpha-crane)" = 12000 ] || t_fail "after resends alpha-crane total $(total_of alpha-crane), want 12000"

# --- malformed: 400 problem+json, nothing stored ---------------------------
printf '{"nfConsumerIdentification":{"nodeFunctionality":"SMF"},"invocationTimeStamp":"2026-11-23T10:00:00Z",\n' >"$T/bad.json"
printf ' "multipleUnitUsage":[{"ratingGroup":10,"usedUnitContainer":[{"localSequenceNumber":9,"uplinkVolume":5}]}]}\n' >>"$T/bad.json"
[ "$(post bad "$CHF/$REF/update" "$T/bad.json")" = 400 ] || t_fail "malformed update not 400"
grep -qi '^content-type: application/problem+json' "$T/bad.h" || t_fail "400 is not problem+json"
t_expect_grep '"cause":"MANDATORY_IE_MISSING"' "$T/bad.b"
t_expect_grep '"param":"/invocationSequenceNumber"' "$T/bad.b"
printf 'not json' >"$T/junk.json"
[ "$(post junk "$CHF" "$T/junk.json")" = 400 ] || t_fail "junk not 400"
t_expect_grep '"cause":"INVALID_MSG_FORMAT"' "$T/junk.b"
req "$T/neg.json" 2 2 00a001 alpha.mec 10 3 -5 100
[ "$(post neg "$CHF/$REF/update" "$T/neg.json")" = 400 ] || t_fail "negative volume not 400"
t_expect_grep "record $REF/10/3: uplinkVolume is negative" "$T/neg.b"
req "$T/big.json" 2 2 00a001 alpha.mec 10 3 1 20000000000000
[ "$(post big "$CHF/$REF/update" "$T/big.json")" = 400 ] || t_fail "absurd volume not 400"
t_expect_grep "record $REF/10/3: downlinkVolume of 20000000000000 octets is over" "$T/big.b"
[ "$(total_of alpha-crane)" = 12000 ] || t_fail "a refused request changed the totals"

# --- held: unknown S-NSSAI, decommissioned slice ----------------------------
req "$T/unk.json" 0 9 000009 alpha.mec 10 1 70 7
[ "$(post unk "$CHF" "$T/unk.json")" = 201 ] || t_fail "unknown-slice create not 201 (held, not refused)"
req "$T/old.json" 0 1 00a009 alpha.mec 10 1 80 8
[ "$(post old "$CHF" "$T/old.json")" = 201 ] || t_fail "decommissioned-slice create not 201"
"$BUILD/slicedeck" --socket "$T/sd.sock" usage held --json >"$T/held.json" || t_fail "usage held"
t_expect_grep 'unknown S-NSSAI 9-000009' "$T/held.json"
t_expect_grep 'slice alpha-old is decommissioned' "$T/held.json"
"$BUILD/slicedeck" --socket "$T/sd.sock" usage >"$T/usage.txt" || t_fail "usage"
t_expect_grep '2 records held for review' "$T/usage.txt"
usage_json | grep -q 'alpha-old' && t_fail "a decommissioned slice's usage was billed"

# --- an update for a ref this CHF never handed out (an SMF-made ref) --------
req "$T/smfref.json" 5 3 00b001 bravo.corp 20 7 300 700
[ "$(post smfref "$CHF/smf-made-ref-1/update" "$T/smfref.json")" = 200 ] || t_fail "foreign ref not taken"
[ "$(total_of bravo-sensors)" = 1000 ] || t_fail "bravo-sensors total $(total_of bravo-sensors), want 1000"
req "$T/rel.json" 6 3 00b001 bravo.corp 20 8 10 20
[ "$(post rel "$CHF/smf-made-ref-1/release" "$T/rel.json")" = 204 ] || t_fail "release not 204"
[ -s "$T/rel.b" ] && t_fail "204 with a body"
[ "$(total_of bravo-sensors)" = 1030 ] || t_fail "bravo-sensors total after release $(total_of bravo-sensors)"

# --- answered means durable: SIGKILL, restart, all there -----------------------
req "$T/u2.json" 7 2 00a001 alpha.mec 10 4 1 2
[ "$(post u2 "$CHF/$REF/update" "$T/u2.json")" = 200 ] || t_fail "update before kill"
kill -KILL "$(t_pid engine)"
sleep 0.2
start_engine
[ "$(total_of alpha-crane)" = 12003 ] || t_fail "after SIGKILL alpha-crane total $(total_of alpha-crane), want 12003"
[ "$(total_of bravo-sensors)" = 1030 ] || t_fail "after SIGKILL bravo-sensors total $(total_of bravo-sensors)"

# --- a factory user sees its own usage only ----------------------------------
as_a() { setpriv --reuid "$UA" --regid "$G" --init-groups "$CLI" --socket "$T/sd.sock" "$@"; }
as_a usage --json >"$T/a.json" || t_fail "factory usage"
t_expect_grep alpha-crane "$T/a.json"
grep -q bravo "$T/a.json" && t_fail "a factory user saw another factory's usage"
as_a usage --factory bravo --json >"$T/ab.json" 2>&1 && t_fail "a factory user read bravo's usage"
t_expect_grep 'forbidden|not allowed|outside' "$T/ab.json"
as_a usage held >"$T/ah.txt" 2>&1 && t_fail "a factory user listed held records"
as_a usage >"$T/a.txt" || t_fail "factory usage table"
grep -q 'held for review' "$T/a.txt" && t_fail "a factory user was told of held records"
as_a bill --factory bravo >"$T/abill.txt" 2>&1 && t_fail "a factory user read bravo's bill"
t_expect_grep 'forbidden|not allowed|outside' "$T/abill.txt"
printf 'time,slice,ul_bytes,dl_bytes\n2026-11-05T00:00:00Z,alpha-crane,1,1\n' >"$T/imp.csv"
chmod 0644 "$T/imp.csv"
as_a usage import "$T/imp.csv" >"$T/ai.txt" 2>&1 && t_fail "a factory user imported usage"
[ "$(total_of alpha-crane)" = 12003 ] || t_fail "a factory user's import changed the totals"
# --- what was sent and answered follows the 3GPP schemas (TS 32.291 Rel-17,
# tests/data/openapi): requests, the 201/200 answers, the problem details
{
	for f in c1 u1 c1r smfref rel; do
		echo "TS32291_Nchf_ConvergedCharging.yaml ChargingDataRequest $T/$f.json"
	done
	for f in c1 u1 c1r u1r smfref; do
		echo "TS32291_Nchf_ConvergedCharging.yaml ChargingDataResponse $T/$f.b"
	done
	for f in bad junk neg big; do
		echo "TS29571_CommonData.yaml ProblemDetails $T/$f.b"
	done
} >"$T/checks"
python3 tests/tools/oas_check.py -f "$T/checks" >"$T/oas.out" 2>&1 || { cat "$T/oas.out"; t_fail "bodies do not follow the schemas"; }
echo "chf_intake: ok"

#!/bin/sh
# The open5gs plugin through the real engine: a loopback HTTP server
# (tests/tools/metrics_srv.py) serves the Open5GS captures of
# tests/data/open5gs as the AMF's, SMF's and PCF's /metrics and a UPF's
# N3 counters; the engine loads the plugin from a test plugin directory.
# First the captures as they are (an idle core: 0 gNBs, no per-slice
# series, so no slice figure), then the same texts with the per-slice
# rows an attached core adds: `slicedeck slices` shows the UEs and PDU
# sessions per S-NSSAI, `slicedeck kpi` their samples and the UPF's
# throughput for its slice, `slicedeck nfs` the UPF as an NF of source
# open5gs. A malformed SMF text is reported with its line number, a UPF
# answering 503 becomes unreachable (its NF alarm), both recover; the
# engine carries on throughout. Bad settings are FILE:LINE errors.
BUILD=${1:-build}
. tests/integration/lib.sh
t_tmp

P=$T/plugins
M=$T/metrics
mkdir -p "$P" "$M" && chmod 0755 "$P"
install -m 0644 "$BUILD/plugins/open5gs.so" "$P/" || t_fail "no $BUILD/plugins/open5gs.so (make plugins)"
cp tests/data/open5gs/amf-metrics.txt "$M/amf.txt"
cp tests/data/open5gs/smf-metrics.txt "$M/smf.txt"
cp tests/data/open5gs/pcf-metrics.txt "$M/pcf.txt"
printf '%s\n' '# HELP fivegs_upffunction_upf_sessionnbr Active Sessions' \
	'# TYPE fivegs_upffunction_upf_sessionnbr gauge' 'fivegs_upffunction_upf_sessionnbr 0' >"$M/upf.txt"

t_start srv python3 tests/tools/metrics_srv.py "$M"
t_wait_log srv '^PORT ' 10
PORT=$(sed -n 's/^PORT //p' "$T/srv.log")
U=http://127.0.0.1:$PORT

# the capture core's PLMN (001/01) and S-NSSAIs
cat >"$T/sd.conf" <<EOF2
engine = { socket = "$T/sd.sock"; state_dir = "$T/state"; log_level = "info"; };
zone = { name = "Open5GS Lab"; plmn = { mcc = "001"; mnc = "01"; }; };
sbi = { nrf = "http://127.0.0.1:9"; poll_interval = 60; };
factories = (
  { id = "lab"; name = "Lab Works"; industry = "machinery"; zone = "east";
    mode = "independent"; level = "workshop"; security_grade = 2; dnns = [ "internet" ];
    sites = ( { id = "lab-s1"; name = "Lab hall"; lat = 36.6; lon = 117.0;
                cells = ( { id = "lab-c1"; nci = "000000b01"; tac = "000001"; x = 10.0; y = 10.0; pci = 21; } ); } );
    slices = ( { id = "lab-embb"; name = "video"; snssai = "1-000001";
                 scenario = "machine-vision-qc"; dnn = "internet"; state = "active"; },
               { id = "lab-urllc"; name = "control"; snssai = "2-000002";
                 scenario = "remote-control"; dnn = "internet"; state = "active"; },
               { id = "lab-mec"; name = "edge"; snssai = "1-0000a1";
                 scenario = "machine-vision-qc"; dnn = "internet"; state = "active"; } ); }
);
plugins = {
  dir = "$P";
  load = (
    { name = "open5gs";
      settings = { amf = "$U/amf/metrics"; smf = "$U/smf/metrics"; pcf = "$U/pcf/metrics";
                   upf = "$U/upf/metrics"; upf_snssai = "1-0000a1"; plmn = "00101";
                   interval = 1; timeout_ms = 800; }; }
  );
};
EOF2
chmod 0600 "$T/sd.conf"

# --- bad settings: FILE:LINE, the plugin failed, the engine carries on ----------
sed -e 's|amf = "[^"]*";|amf = "ftp://127.0.0.1/metrics";|' -e 's|timeout_ms = 800;|timeout_ms = 1000; colour = "red";|' \
	-e 's|upf_snssai = "1-0000a1";|upf_snssai = "9-000009";|' -e 's|plmn = "00101";|plmn = "1";|' \
	"$T/sd.conf" >"$T/bad.conf"
chmod 0600 "$T/bad.conf"
t_start bad "$BUILD/slicedeckd" -c "$T/bad.conf" --socket "$T/bad.sock" --state-dir "$T/bstate" --stderr
t_wait_file "$T/bad.sock" 10
t_wait_log bad 'plugin open5gs .*not loaded' 10
for e in 'settings\.amf: "ftp://127\.0\.0\.1/metrics": an http:// or https:// URL' \
	 'settings\.timeout_ms: 1000 ms is not below interval \(1 s\)' \
	 'settings\.upf_snssai: no configured slice has S-NSSAI 9-000009' \
	 'settings\.plmn: "1": MCC and MNC digits' \
	 'settings\.colour: unknown setting for plugin open5gs'; do
	t_expect_grep "bad\.conf:[0-9]+: plugins\.load\[open5gs\]\.$e" "$T/bad.log"
done
"$BUILD/slicedeck" --socket "$T/bad.sock" plugins --json | grep -q '"state": "failed"' ||
	t_fail "open5gs with bad settings not failed"
t_stop bad || t_fail "engine (bad) did not stop"

# --- the captures as they are ------------------------------------------------------
t_start engine "$BUILD/slicedeckd" -c "$T/sd.conf" --stderr
t_wait_file "$T/sd.sock" 10
sd() { "$BUILD/slicedeck" --socket "$T/sd.sock" "$@"; }
t_wait_log engine 'plugin open5gs 1\.0 loaded' 10
t_wait_log engine 'plugin open5gs: AMF .*/amf/metrics: 24 samples, 2 mapped, 0 S-NSSAIs' 10
t_wait_log engine 'plugin open5gs: SMF .*/smf/metrics: 24 samples, 1 mapped, 0 S-NSSAIs' 10
t_wait_log engine 'plugin open5gs: PCF .*/pcf/metrics: 7 samples, 0 mapped' 10
t_wait_log engine 'plugin open5gs: AMF: 0 gNBs connected' 10
sd plugins --json | python3 -c '
import json, sys
p = [x for x in json.load(sys.stdin)["plugins"] if x["name"] == "open5gs"][0]
assert p["state"] == "running" and p["kind"] == "source" and p["abi"] == "1.1", p' ||
	t_fail "plugin not running"
# no per-slice series in the captures: no figure for any slice
sd slices --json >"$T/s0.json"
python3 - "$T/s0.json" <<'PY' || { cat "$T/s0.json"; t_fail "slice figures from the idle captures"; }
import json, sys
for s in json.load(open(sys.argv[1])):
    assert s["live"]["ues"] is None and s["live"]["pdu_sessions"] is None, s
PY
# the UPF is inventory: an NF of source open5gs, reachable
up_nf() {
	sd nfs --json >"$T/nfs.json" && python3 - "$T/nfs.json" "$1" <<'PY'
import json, sys
want = sys.argv[2] == "up"
n = [x for x in json.load(open(sys.argv[1])) if x["id"] == "open5gs-upf"]
sys.exit(0 if n and n[0]["type"] == "UPF" and n[0]["source"] == "open5gs"
         and n[0]["reachable"] == want else 1)
PY
}
t_until 10 up_nf up || { cat "$T/nfs.json"; t_fail "no reachable open5gs-upf NF"; }

# --- an attached core: the captures with per-slice rows ---------------------------
# (as Open5GS prints them: plmnid MCC+MNC, snssai SST-SD; another PLMN's
# row is not ours)
awk '{ print } /^# TYPE fivegs_amffunction_rm_registeredsubnbr / {
	print "fivegs_amffunction_rm_registeredsubnbr{plmnid=\"00101\",snssai=\"1-000001\"} 12"
	print "fivegs_amffunction_rm_registeredsubnbr{plmnid=\"00101\",snssai=\"2-000002\"} 3"
	print "fivegs_amffunction_rm_registeredsubnbr{plmnid=\"99970\",snssai=\"1-000001\"} 40" }' \
	tests/data/open5gs/amf-metrics.txt | sed 's/^gnb 0$/gnb 2/' >"$M/amf.new" && mv "$M/amf.new" "$M/amf.txt"
awk '{ print } /^# TYPE fivegs_smffunction_sm_sessionnbr / {
	print "fivegs_smffunction_sm_sessionnbr{plmnid=\"00101\",snssai=\"1-000001\"} 9"
	print "fivegs_smffunction_sm_sessionnbr{plmnid=\"00101\",snssai=\"2-000002\"} 2"
	print "fivegs_smffunction_sm_sessionnbr{plmnid=\"00101\",snssai=\"1-0000a1\"} 1" }' \
	tests/data/open5gs/smf-metrics.txt >"$M/smf.new" && mv "$M/smf.new" "$M/smf.txt"
# the PCF's count is not used while an SMF is configured
awk '{ print } /^# TYPE fivegs_pcffunction_pa_sessionnbr / {
	print "fivegs_pcffunction_pa_sessionnbr{plmnid=\"00101\",snssai=\"1-000001\"} 77" }' \
	tests/data/open5gs/pcf-metrics.txt >"$M/pcf.new" && mv "$M/pcf.new" "$M/pcf.txt"
t_wait_log engine 'plugin open5gs: AMF: 2 gNBs connected' 10
figures() {
	sd slices --json >"$T/s1.json" && python3 - "$T/s1.json" <<'PY'
import json, sys
live = {s["id"]: s["live"] for s in json.load(open(sys.argv[1]))}
want = {"lab-embb": (12, 9), "lab-urllc": (3, 2), "lab-mec": (None, 1)}
sys.exit(0 if all((live[k]["ues"], live[k]["pdu_sessions"]) == v for k, v in want.items()) else 1)
PY
}
t_until 10 figures || { cat "$T/s1.json"; t_fail "slice figures from the metrics"; }
# the same figures as KPI samples
kpi_is() {
	sd kpi --slice "$1" --metric "$2" --json >"$T/k.json" && python3 -c '
import json, sys
c = json.load(open(sys.argv[1])).get("current")
sys.exit(0 if c and c["count"] > 0 and c["max"] == float(sys.argv[2]) else 1)' "$T/k.json" "$3"
}
t_until 10 kpi_is lab-embb ues 12 || { cat "$T/k.json"; t_fail "kpi ues"; }
t_until 10 kpi_is lab-urllc pdu_sessions 2 || { cat "$T/k.json"; t_fail "kpi pdu_sessions"; }

# the UPF's N3 counters: one step of 125,000 bytes in and 250,000 out
# between two scrapes a second apart is 1,000 and 2,000 kbit/s on the
# UPF's slice (in on N3 comes from the gNB: uplink)
upf() {
	printf '%s\n' '# HELP fivegs_ep_n3_gtp_indatavolumeqosleveln3upf Data volume of incoming GTP data packets per QoS level on N3 interface' \
		'# TYPE fivegs_ep_n3_gtp_indatavolumeqosleveln3upf counter' \
		"fivegs_ep_n3_gtp_indatavolumeqosleveln3upf{qfi=\"1\"} $1" \
		'# HELP fivegs_ep_n3_gtp_outdatavolumeqosleveln3upf Data volume of outgoing GTP data packets per QoS level on N3 interface' \
		'# TYPE fivegs_ep_n3_gtp_outdatavolumeqosleveln3upf counter' \
		"fivegs_ep_n3_gtp_outdatavolumeqosleveln3upf{qfi=\"1\"} $2" >"$M/upf.new" && mv "$M/upf.new" "$M/upf.txt"
}
# wait for two more scrapes of the UPF
upf_scrapes() { grep -c '^GET /upf/metrics 200' "$T/srv.log"; }
scraped_since() { [ "$(upf_scrapes)" -ge $((n0 + 2)) ]; }
two_more() { n0=$(upf_scrapes); t_until 10 scraped_since || t_fail "the UPF is not scraped"; }
upf 1000000 2000000
two_more
upf 1125000 2250000
two_more
rate_max() {
	sd kpi --slice lab-mec --metric "$1" --json | python3 -c '
import json, sys
c = json.load(sys.stdin)["current"]
lo, hi = float(sys.argv[1]), float(sys.argv[2])
assert c and lo < c["max"] < hi and c["min"] >= 0, c' "$2" "$3"
}
rate_max ul_throughput 800 1250 || t_fail "UPF uplink throughput on lab-mec"
rate_max dl_throughput 1600 2500 || t_fail "UPF downlink throughput on lab-mec"

# --- a malformed SMF text, a UPF answering 503 -------------------------------------
cp "$M/smf.txt" "$T/smf.good"
printf 'fivegs_smffunction_sm_sessionnbr{plmnid="00101",snssai="1-000001" 9\n' >>"$M/smf.txt"
N=$(wc -l <"$M/smf.txt")
t_wait_log engine "plugin open5gs: SMF $U/smf/metrics: malformed metrics text: line $N: fivegs_smffunction_sm_sessionnbr: expected ',' or '\\}'" 10
echo 503 >"$M/upf.status"
t_wait_log engine "plugin open5gs: UPF $U/upf/metrics: HTTP status 503; trying again every 1 s" 10
t_until 10 up_nf down || { cat "$T/nfs.json"; t_fail "open5gs-upf not unreachable"; }
nf_alarm() { sd alarms --json >"$T/al.json" && grep -q 'nf=open5gs-upf' "$T/al.json"; }
t_until 15 nf_alarm || { cat "$T/al.json"; t_fail "no NF alarm for the UPF"; }
sd whoami >/dev/null || t_fail "the engine did not carry on"
# logged once per streak, not at every scrape
sleep 2
[ "$(grep -c 'SMF .*malformed metrics text' "$T/engine.log")" -eq 1 ] || t_fail "malformed text logged more than once"
cp "$T/smf.good" "$M/smf.txt"
rm -f "$M/upf.status"
t_wait_log engine "plugin open5gs: SMF $U/smf/metrics answers again" 10
t_wait_log engine "plugin open5gs: UPF $U/upf/metrics answers again" 10
t_until 10 up_nf up || { cat "$T/nfs.json"; t_fail "open5gs-upf not reachable again"; }

t_stop engine || t_fail "engine did not stop"
grep -Eq 'AddressSanitizer|runtime error' "$T/engine.log" && t_fail "sanitizer report"
echo "PASS open5gs_metrics"

#!/bin/sh
# sim_schema.sh BUILD — every kind of body slicedeck-sim serves or notifies,
# fetched with curl over h2c (one request per curl process: Debian's curl
# 7.88 breaks reused h2c connections) and validated against the 3GPP
# OpenAPI schemas vendored in tests/data/openapi/ by tests/tools/oas_check.py
# (Debian's python3-yaml and python3-jsonschema, installed by make deps).
# Missing tools are a failure, not a skip: make check installs them.
BUILD=${1:-build}
. tests/integration/lib.sh

# Debian's interpreter, not whatever python3 is first on PATH (a pyenv
# shim may lack the Debian modules)
PY=/usr/bin/python3
CHECKER=tests/tools/oas_check.py
[ -x "$PY" ] || t_fail "$PY missing (apt-get install python3)"
$PY -c 'import yaml, jsonschema' 2>/dev/null ||
	t_fail "python3 yaml/jsonschema missing (apt-get install python3-yaml python3-jsonschema)"
command -v curl >/dev/null || t_fail "curl missing (apt-get install curl)"

t_tmp
D=$T/docs
mkdir -p "$D"
t_start sim "$BUILD/slicedeck-sim" -c tests/data/sim/zone.conf --listen 127.0.0.1:0 \
	--control "$T/ctl.sock" --seed 7
t_wait_log sim '^NRF http' 10
R=$(sed -n 's/^NRF //p' "$T/sim.log" | head -1)
CTL="$BUILD/slicedeck-sim --control $T/ctl.sock --send"

# get NAME URL [curl args...]: body to $D/NAME.json, status echoed
get() {
	n=$1; u=$2; shift 2
	curl -s --http2-prior-knowledge --max-time 10 -o "$D/$n.json" -w '%{http_code}' "$@" "$u"
}
post() {  # post NAME URL JSON
	curl -s --http2-prior-knowledge --max-time 10 -o "$D/$2.json" -D "$D/$2.hdr" \
		-w '%{http_code}' -H 'content-type: application/json' -d "$3" "$1"
}
expect() {  # expect WANT GOT WHAT
	[ "$1" = "$2" ] || t_fail "$3: HTTP $2, expected $1"
}
# extract the report of a subscription (Location's last segment) via control
report() {  # report NAME HDRFILE
	id=$(sed -n 's/^location: .*\/\([0-9a-f]*\)\r*$/\1/p' "$2" | tr -d '\r')
	[ -n "$id" ] || t_fail "no Location in $2"
	$CTL "report $id" >"$D/$1.ctl" || t_fail "control report $id failed: $(cat "$D/$1.ctl")"
	$PY -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["report"]))' \
		"$D/$1.ctl" >"$D/$1.json"
}
# Checks are collected and run in one Python process (parsing the YAMLs
# and following their $refs is most of the work, done once): one line per
# check in $T/checks.
: >"$T/checks"
check() {  # check YAML SCHEMA FILE...
	y=$1; s=$2; shift 2
	for f in "$@"; do printf '%s %s %s\n' "$y" "$s" "$f" >>"$T/checks"; done
}

Q_PDU='slice-info-request-for-pdu-session=%7B%22sNssai%22%3A%7B%22sst%22%3A2%2C%22sd%22%3A%22000001%22%7D%2C%22roamingIndication%22%3A%22NON_ROAMING%22%7D'
Q_REG='slice-info-request-for-registration=%7B%22requestedNssai%22%3A%5B%7B%22sst%22%3A2%2C%22sd%22%3A%22000001%22%7D%2C%7B%22sst%22%3A9%7D%5D%7D'
NFID=5d1c0e52-8f4b-4c3e-9a61-2b7f0c9e4a10

expect 200 "$(get urilist "$R/nnrf-nfm/v1/nf-instances")" "NRF list"
expect 200 "$(get urilist_smf "$R/nnrf-nfm/v1/nf-instances?nf-type=SMF&limit=1")" "NRF list SMF"
n=$($PY -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["_links"]["item"]))' "$D/urilist.json")
[ "$n" -ge 10 ] || t_fail "only $n NF instances listed"
# one profile per kind of NF with its own info member (NRF, NSSF, AMF
# amfInfo, SMF smfInfo, NWDAF nwdafInfo, UPF upfInfo); the collection's
# order is fixed: nrf nssf amf smf-1 smf-2 pcf nwdaf udm ausf upf-core upf-...
for i in 1 2 3 4 7 11; do
	href=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["_links"]["item"][int(sys.argv[2]) - 1]["href"])' "$D/urilist.json" $i)
	expect 200 "$(get "profile_$i" "$href")" "GET $href"
done
expect 404 "$(get problem_404 "$R/nnrf-nfm/v1/nf-instances/00000000-0000-4000-8000-000000000000")" "unknown NF"
expect 400 "$(get problem_disc "$R/nnrf-disc/v1/nf-instances?requester-nf-type=AMF")" "discovery without target"
expect 200 "$(get disc_smf "$R/nnrf-disc/v1/nf-instances?target-nf-type=SMF&requester-nf-type=AMF&limit=1")" "disc SMF"
expect 200 "$(get disc_upf "$R/nnrf-disc/v1/nf-instances?target-nf-type=UPF&requester-nf-type=SMF&snssais=%5B%7B%22sst%22%3A3%2C%22sd%22%3A%22000003%22%7D%5D")" "disc UPF"
expect 200 "$(get disc_nwdaf "$R/nnrf-disc/v1/nf-instances?target-nf-type=NWDAF&requester-nf-type=AF&service-names=nnwdaf-analyticsinfo")" "disc NWDAF"
expect 200 "$(get token "$R/oauth2/token" -d "grant_type=client_credentials&nfInstanceId=$NFID&nfType=AF&targetNfType=NWDAF&scope=nnwdaf-analyticsinfo")" "token"
expect 200 "$(get nssf_pdu "$R/nnssf-nsselection/v2/network-slice-information?nf-type=AMF&nf-id=$NFID&$Q_PDU")" "NSSF pdu"
expect 200 "$(get nssf_reg "$R/nnssf-nsselection/v2/network-slice-information?nf-type=AMF&nf-id=$NFID&$Q_REG")" "NSSF registration"
for e in LOAD_LEVEL_INFORMATION NETWORK_PERFORMANCE QOS_SUSTAINABILITY NF_LOAD DN_PERFORMANCE; do
	expect 200 "$(get "ana_$e" "$R/nnwdaf-analyticsinfo/v1/analytics?event-id=$e&event-filter=%7B%22anySlice%22%3Atrue%7D")" "NWDAF $e"
done

TAI='{"plmnId":{"mcc":"001","mnc":"01"},"tac":"000101"}'
expect 201 "$(post "$R/nnrf-nfm/v1/subscriptions" nrf_sub \
	'{"nfStatusNotificationUri":"http://127.0.0.1:9/nrf","subscrCond":{"nfType":"SMF"},"reqNotifEvents":["NF_REGISTERED","NF_DEREGISTERED","NF_PROFILE_CHANGED"]}')" "NRF subscribe"
expect 201 "$(post "$R/nnssf-nssaiavailability/v1/nssai-availability/subscriptions" nssf_sub \
	"{\"nfNssaiAvailabilityUri\":\"http://127.0.0.1:9/nssf\",\"taiList\":[$TAI],\"event\":\"SNSSAI_STATUS_CHANGE_REPORT\"}")" "NSSF subscribe"
expect 201 "$(post "$R/nnwdaf-eventssubscription/v1/subscriptions" nwdaf_sub \
	'{"eventSubscriptions":[{"event":"SLICE_LOAD_LEVEL","notificationMethod":"PERIODIC","repetitionPeriod":60,"anySlice":true},{"event":"NF_LOAD","notificationMethod":"PERIODIC","repetitionPeriod":60}],"notificationURI":"http://127.0.0.1:9/nwdaf","evtReq":{"immRep":true,"notifMethod":"PERIODIC","repPeriod":60}}')" "NWDAF subscribe"
expect 201 "$(post "$R/namf-evts/v1/subscriptions" amf_sub \
	"{\"subscription\":{\"eventList\":[{\"type\":\"UES_IN_AREA_REPORT\",\"immediateFlag\":true,\"areaList\":[{\"presenceInfo\":{\"trackingAreaList\":[$TAI]}}]}],\"eventNotifyUri\":\"http://127.0.0.1:9/amf\",\"notifyCorrelationId\":\"c1\",\"nfId\":\"$NFID\",\"anyUE\":true,\"options\":{\"trigger\":\"PERIODIC\",\"repPeriod\":60}}}")" "AMF subscribe"
expect 201 "$(post "$R/nsmf-event-exposure/v1/subscriptions" smf_sub \
	'{"notifId":"n1","notifUri":"http://127.0.0.1:9/smf","anyUeInd":true,"snssai":{"sst":2,"sd":"000001"},"eventSubs":[{"event":"QOS_MON"},{"event":"PDU_SES_EST"},{"event":"PDU_SES_REL"}],"notifMethod":"PERIODIC","repPeriod":60,"ImmeRep":true}')" "SMF subscribe"
report nssf_notif "$D/nssf_sub.hdr"
report nwdaf_notif "$D/nwdaf_sub.hdr"
report amf_notif "$D/amf_sub.hdr"
report smf_notif "$D/smf_sub.hdr"
# the NWDAF callback body is an array of notifications: check each item
$PY -c '
import json, sys
a = json.load(open(sys.argv[1]))
assert isinstance(a, list) and a, "NWDAF callback body must be a non-empty array"
for i, x in enumerate(a):
    json.dump(x, open("%s_%d.json" % (sys.argv[2], i), "w"))
' "$D/nwdaf_notif.json" "$D/nwdaf_item" || t_fail "NWDAF notification is not an array"

check TS29510_Nnrf_NFManagement.yaml UriList "$D"/urilist*.json
check TS29510_Nnrf_NFManagement.yaml NFProfile "$D"/profile_*.json
check TS29510_Nnrf_NFManagement.yaml SubscriptionData "$D/nrf_sub.json"
check TS29510_Nnrf_NFDiscovery.yaml SearchResult "$D"/disc_*.json
check TS29510_Nnrf_AccessToken.yaml AccessTokenRsp "$D/token.json"
check TS29571_CommonData.yaml ProblemDetails "$D"/problem_*.json
check TS29531_Nnssf_NSSelection.yaml AuthorizedNetworkSliceInfo "$D"/nssf_pdu.json "$D"/nssf_reg.json
check TS29531_Nnssf_NSSAIAvailability.yaml NssfEventSubscriptionCreatedData "$D/nssf_sub.json"
check TS29531_Nnssf_NSSAIAvailability.yaml NssfEventNotification "$D/nssf_notif.json"
check TS29520_Nnwdaf_AnalyticsInfo.yaml AnalyticsData "$D"/ana_*.json
check TS29520_Nnwdaf_EventsSubscription.yaml NnwdafEventsSubscriptionNotification "$D"/nwdaf_item_*.json
check TS29518_Namf_EventExposure.yaml AmfCreatedEventSubscription "$D/amf_sub.json"
check TS29518_Namf_EventExposure.yaml AmfEventNotification "$D/amf_notif.json"
check TS29508_Nsmf_EventExposure.yaml NsmfEventExposure "$D/smf_sub.json"
check TS29508_Nsmf_EventExposure.yaml NsmfEventExposureNotification "$D/smf_notif.json"

t_stop sim || t_fail "slicedeck-sim did not stop on SIGTERM"
start=$(date +%s)
timeout 300 $PY "$CHECKER" -f "$T/checks" >"$T/val.out" 2>&1
rc=$?
cat "$T/val.out"
echo "validation: $(( $(date +%s) - start )) s"
[ $rc = 0 ] || t_fail "some bodies do not validate (oas_check exit $rc)"
# the checker must not be vacuous: a profile with a string SST (a $ref
# into TS29571) and no nfStatus is refused
printf '%s' '{"nfInstanceId":"'$NFID'","nfType":"SMF","sNssais":[{"sst":"1"}]}' >"$T/bad.json"
$PY "$CHECKER" TS29510_Nnrf_NFManagement.yaml NFProfile "$T/bad.json" >"$T/bad.out" 2>&1
rc=$?
[ $rc = 1 ] || { cat "$T/bad.out"; t_fail "oas_check accepted a broken NFProfile (exit $rc)"; }
grep -q "sNssais/0/sst" "$T/bad.out" || { cat "$T/bad.out"; t_fail "oas_check missed the SST type"; }
echo "ok: every body validates"

/* tests/unit/test_chf.c — billing/chf_decode.c and billing/ledger.c: the
 * ChargingDataRequest decoder (a full SMF request, every required member
 * missing in turn, ill-typed members with their JSON pointers, RFC 3339
 * times, the caps), the ledger checks (negative, absurd and inconsistent
 * volumes named by the record's key), the session ref (stable for a
 * resend, apart for two sessions), and the ledger itself: a key stored
 * once however often it comes, a conflicting resend counted and the first
 * record kept, held records out of the totals, answers only after the
 * COMMIT, totals surviving close and reopen. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "billing/chf.h"
#include "billing/chf_decode.h"
#include "billing/ledger.h"
#include "core/loop.h"
#include "core/store.h"
#include "core/util.h"

static const char good[] =
	"{\"nfConsumerIdentification\":{\"nodeFunctionality\":\"SMF\","
	"\"nFName\":\"6a1c0e52-8f4b-4c3e-9a61-2b7f0c9e4a11\",\"nFIPv4Address\":\"10.0.0.5\"},"
	"\"invocationTimeStamp\":\"2026-11-23T19:14:06.250+08:00\","
	"\"invocationSequenceNumber\":3,\"retransmissionIndicator\":true,"
	"\"subscriberIdentifier\":\"imsi-460001234567890\","
	"\"pDUSessionChargingInformation\":{\"chargingId\":77,\"pduSessionInformation\":"
	"{\"pduSessionID\":5,\"dnnId\":\"bhm.mec\",\"networkSlicingInfo\":{\"sNSSAI\":"
	"{\"sst\":2,\"sd\":\"0a0001\"}}}},"
	"\"multipleUnitUsage\":[{\"ratingGroup\":10,\"uPFID\":\"upf-f1\",\"usedUnitContainer\":["
	"{\"localSequenceNumber\":1,\"uplinkVolume\":1000,\"downlinkVolume\":5000,\"time\":10,"
	"\"triggerTimestamp\":\"2026-11-23T11:14:00Z\"},"
	"{\"localSequenceNumber\":2,\"totalVolume\":7,\"pDUContainerInformation\":"
	"{\"timeofLastUsage\":\"2026-11-30T23:59:59Z\"}}]},"
	"{\"ratingGroup\":20}],\"unknownMember\":{\"a\":1}}";

static void test_decode_full(void **st)
{
	struct sd_chf_request r;
	struct sd_chf_error e;
	assert_int_equal(sd_chf_decode(good, strlen(good), &r, &e), 0);
	assert_string_equal(r.node_function, "SMF");
	assert_string_equal(r.nf_name, "6a1c0e52-8f4b-4c3e-9a61-2b7f0c9e4a11");
	assert_string_equal(r.nf_addr, "10.0.0.5");
	assert_string_equal(r.subscriber, "imsi-460001234567890");
	/* 19:14:06.250 at +08:00 is 11:14:06.250 UTC */
	assert_int_equal(r.invocation_ms, 1795432446250LL);
	assert_int_equal(r.invocation_seq, 3);
	assert_true(r.retransmission);
	assert_string_equal(r.charging_id, "77");
	assert_true(r.has_pdu);
	assert_int_equal(r.pdu_session_id, 5);
	assert_string_equal(r.dnn, "bhm.mec");
	assert_true(r.has_snssai);
	assert_int_equal(r.snssai.sst, 2);
	assert_int_equal(r.snssai.sd, 0x0a0001);
	assert_int_equal(r.nunits, 2);
	assert_int_equal(r.units[0].rating_group, 10);
	assert_string_equal(r.units[0].upf_id, "upf-f1");
	assert_int_equal(r.units[0].seq, 1);
	assert_int_equal(r.units[0].ul, 1000);
	assert_int_equal(r.units[0].dl, 5000);
	assert_false(r.units[0].has_total);
	assert_int_equal(r.units[0].time_s, 10);
	assert_int_equal(r.units[0].usage_ms, 1795432440000LL);
	assert_int_equal(r.units[1].seq, 2);
	assert_int_equal(r.units[1].total, 7);
	assert_int_equal(r.units[1].usage_ms, 1796083199000LL);
	/* the checks fill in total = ul + dl where it was not sent */
	assert_int_equal(sd_chf_check_units(&r, "ref", 0, &e), 0);
	assert_int_equal(r.units[0].total, 6000);
	sd_chf_request_done(&r);
}

/* good with one substring replaced */
static char *edit(const char *from, const char *to)
{
	const char *p = strstr(good, from);
	assert_non_null(p);
	return sd_printf("%.*s%s%s", (int)(p - good), good, to, p + strlen(from));
}

static void expect_error(const char *body, const char *cause, const char *param)
{
	struct sd_chf_request r;
	struct sd_chf_error e;
	if (sd_chf_decode(body, strlen(body), &r, &e) == 0)
		fail_msg("accepted: %s", body);
	assert_int_equal(e.status, 400);
	assert_string_equal(e.cause, cause);
	assert_string_equal(e.param, param);
	assert_true(e.detail[0] != '\0');
	assert_null(r.units);
	sd_chf_request_done(&r);
}

static void test_decode_errors(void **st)
{
	static const struct { const char *from, *to, *cause, *param; } cases[] = {
		{ "\"nfConsumerIdentification\":{\"nodeFunctionality\":\"SMF\",",
		  "\"nfConsumerIdentification\":{", "MANDATORY_IE_MISSING",
		  "/nfConsumerIdentification/nodeFunctionality" },
		{ "\"invocationTimeStamp\":\"2026-11-23T19:14:06.250+08:00\",", "",
		  "MANDATORY_IE_MISSING", "/invocationTimeStamp" },
		{ "2026-11-23T19:14:06.250+08:00", "2026-11-23 19:14", "MANDATORY_IE_INCORRECT",
		  "/invocationTimeStamp" },
		{ "\"invocationSequenceNumber\":3,", "", "MANDATORY_IE_MISSING",
		  "/invocationSequenceNumber" },
		{ "\"invocationSequenceNumber\":3", "\"invocationSequenceNumber\":4294967296",
		  "MANDATORY_IE_INCORRECT", "/invocationSequenceNumber" },
		{ "\"invocationSequenceNumber\":3", "\"invocationSequenceNumber\":\"3\"",
		  "MANDATORY_IE_INCORRECT", "/invocationSequenceNumber" },
		{ "\"retransmissionIndicator\":true", "\"retransmissionIndicator\":1",
		  "OPTIONAL_IE_INCORRECT", "/retransmissionIndicator" },
		{ "\"pduSessionID\":5,", "", "MANDATORY_IE_MISSING",
		  "/pDUSessionChargingInformation/pduSessionInformation/pduSessionID" },
		{ "\"dnnId\":\"bhm.mec\",", "", "MANDATORY_IE_MISSING",
		  "/pDUSessionChargingInformation/pduSessionInformation/dnnId" },
		{ "\"sst\":2,", "\"sst\":256,", "MANDATORY_IE_INCORRECT",
		  "/pDUSessionChargingInformation/pduSessionInformation/networkSlicingInfo/sNSSAI" },
		{ "{\"ratingGroup\":10,", "{", "MANDATORY_IE_MISSING",
		  "/multipleUnitUsage/0/ratingGroup" },
		{ "{\"localSequenceNumber\":2,", "{", "MANDATORY_IE_MISSING",
		  "/multipleUnitUsage/0/usedUnitContainer/1/localSequenceNumber" },
		{ "\"uplinkVolume\":1000", "\"uplinkVolume\":1.5", "OPTIONAL_IE_INCORRECT",
		  "/multipleUnitUsage/0/usedUnitContainer/0/uplinkVolume" },
		{ "\"timeofLastUsage\":\"2026-11-30T23:59:59Z\"", "\"timeofLastUsage\":7",
		  "OPTIONAL_IE_INCORRECT",
		  "/multipleUnitUsage/0/usedUnitContainer/1/pDUContainerInformation/timeofLastUsage" },
		{ "\"uPFID\":\"upf-f1\"", "\"uPFID\":\"upf f1\"", "OPTIONAL_IE_INCORRECT",
		  "/multipleUnitUsage/0/uPFID" },
		{ "\"multipleUnitUsage\":[", "\"multipleUnitUsage\":{\"x\":[", "OPTIONAL_IE_INCORRECT",
		  "/multipleUnitUsage" },
	};
	size_t i;
	for (i = 0; i < SD_ARRAY_LEN(cases); i++) {
		char *b = edit(cases[i].from, cases[i].to);
		if (strcmp(cases[i].from, "\"multipleUnitUsage\":[") == 0) {
			/* close the object opened: {"x":[...], "unknownMember":...} */
			char *b2 = sd_printf("%s}", b);
			free(b);
			b = b2;
		}
		expect_error(b, cases[i].cause, cases[i].param);
		free(b);
	}
	expect_error("", "INVALID_MSG_FORMAT", "");
	expect_error("[1]", "INVALID_MSG_FORMAT", "");
	expect_error("{\"a\":1,\"a\":2}", "INVALID_MSG_FORMAT", "");
	expect_error("{\"nfConsumerIdentification\":{\"nodeFunctionality\":\"SMF\"}",
		     "INVALID_MSG_FORMAT", "");
	expect_error("{}", "MANDATORY_IE_MISSING", "/nfConsumerIdentification");
}

static void test_decode_caps(void **st)
{
	struct sd_buf b;
	int i;
	sd_buf_init(&b, 1 << 22);
	sd_buf_addstr(&b, "{\"nfConsumerIdentification\":{\"nodeFunctionality\":\"SMF\"},"
		      "\"invocationTimeStamp\":\"2026-11-23T19:14:06Z\","
		      "\"invocationSequenceNumber\":0,\"multipleUnitUsage\":[");
	for (i = 0; i < SD_CHF_MAX_MUU + 1; i++)
		sd_buf_addf(&b, "%s{\"ratingGroup\":%d}", i ? "," : "", i);
	sd_buf_addstr(&b, "]}");
	sd_buf_add(&b, "", 1);
	expect_error(b.data, "OPTIONAL_IE_INCORRECT", "/multipleUnitUsage");
	sd_buf_done(&b);
}

static void test_times(void **st)
{
	int64_t ms = 0;
	assert_true(sd_chf_parse_time("1970-01-01T00:00:00Z", &ms));
	assert_int_equal(ms, 0);
	assert_true(sd_chf_parse_time("2028-02-29T12:00:00.5Z", &ms));
	assert_int_equal(ms, 1835438400500LL);
	assert_true(sd_chf_parse_time("2026-11-01T00:30:00-01:30", &ms));
	assert_int_equal(ms, 1793498400000LL);
	assert_false(sd_chf_parse_time("2026-11-01", &ms));
	assert_false(sd_chf_parse_time("2026-11-01T00:30:00", &ms));
	assert_false(sd_chf_parse_time("2026-13-01T00:30:00Z", &ms));
	assert_false(sd_chf_parse_time("2026-11-01T00:30:00Zjunk", &ms));
	assert_false(sd_chf_parse_time("2026-11-01T00:30:00.Z", &ms));
	assert_false(sd_chf_parse_time(NULL, &ms));
}

static void check_refused(const char *from, const char *to, const char *want)
{
	struct sd_chf_request r;
	struct sd_chf_error e;
	char *b = edit(from, to);
	assert_int_equal(sd_chf_decode(b, strlen(b), &r, &e), 0);
	assert_int_equal(sd_chf_check_units(&r, "abc", 1000000, &e), -1);
	assert_int_equal(e.status, 400);
	if (!strstr(e.detail, want))
		fail_msg("detail \"%s\" lacks \"%s\"", e.detail, want);
	sd_chf_request_done(&r);
	free(b);
}

static void test_refused_volumes(void **st)
{
	check_refused("\"uplinkVolume\":1000", "\"uplinkVolume\":-1",
		      "record abc/10/1/upf-f1: uplinkVolume is negative (-1)");
	check_refused("\"totalVolume\":7", "\"totalVolume\":-7",
		      "record abc/10/2/upf-f1: totalVolume is negative");
	check_refused("\"time\":10", "\"time\":-10", "record abc/10/1/upf-f1: time is negative");
	check_refused("\"downlinkVolume\":5000", "\"downlinkVolume\":1000001",
		      "record abc/10/1/upf-f1: downlinkVolume of 1000001 octets is over");
	check_refused("\"time\":10", "\"time\":10,\"totalVolume\":5999",
		      "record abc/10/1/upf-f1: totalVolume 5999 is not uplinkVolume + downlinkVolume "
		      "(6000)");
}

static void test_session_ref(void **st)
{
	struct sd_chf_request a, b;
	struct sd_chf_error e;
	char ra[33], rb[33];
	char *other = edit("\"pduSessionID\":5", "\"pduSessionID\":6");
	char *resent = edit("\"invocationSequenceNumber\":3", "\"invocationSequenceNumber\":0");
	assert_int_equal(sd_chf_decode(good, strlen(good), &a, &e), 0);
	assert_int_equal(sd_chf_decode(resent, strlen(resent), &b, &e), 0);
	sd_chf_session_ref(&a, ra);
	sd_chf_session_ref(&b, rb);
	assert_int_equal(strlen(ra), 32);
	assert_string_equal(ra, rb);
	sd_chf_request_done(&b);
	assert_int_equal(sd_chf_decode(other, strlen(other), &b, &e), 0);
	sd_chf_session_ref(&b, rb);
	assert_string_not_equal(ra, rb);
	sd_chf_request_done(&a);
	sd_chf_request_done(&b);
	free(other);
	free(resent);
}

/* --- the ledger ---------------------------------------------------------------- */

static char dir[64], path[128];

static int setup(void **st)
{
	strcpy(dir, "/tmp/sd-ledger-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof path, "%s/ledger.db", dir);
	return 0;
}

static int teardown(void **st)
{
	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static struct sd_ledger *open_ledger(struct sd_loop *loop)
{
	char err[256] = "";
	struct sd_store *s = sd_store_open_ex(path, SD_DURABLE_FULL, err, sizeof err);
	struct sd_ledger *l;
	if (!s)
		fail_msg("open: %s", err);
	l = sd_ledger_open(s, loop, NULL, err, sizeof err);
	if (!l)
		fail_msg("ledger: %s", err);
	return l;
}

static void rec_init(struct sd_usage_rec *r, const char *session, int64_t seq, int64_t ul,
		     int64_t dl)
{
	memset(r, 0, sizeof *r);
	r->source = "chf";
	r->session = session;
	r->rating_group = 10;
	r->seq = seq;
	r->upf = "";
	r->ul = ul;
	r->dl = dl;
	r->total = ul + dl;
	r->time_s = 1;
	r->usage_ms = 1795432446250LL;   /* 2026-11 */
	r->snssai = "2-0a0001";
	r->dnn = "bhm.mec";
	r->factory = "beilun-heavy";
	r->slice = "bhm-crane-rc";
}

struct totals {
	int n;
	struct sd_usage_total t[8];
};

static void take_total(void *arg, const struct sd_usage_total *t)
{
	struct totals *x = arg;
	if (x->n < 8)
		x->t[x->n++] = *t;
}

static void on_commit(void *arg, int rc)
{
	int *flag = arg;
	*flag = rc == 0 ? 1 : -1;
}

static void test_ledger_once(void **st)
{
	struct sd_loop *loop = sd_loop_new();
	struct sd_ledger *l = open_ledger(loop);
	struct sd_usage_rec r;
	struct sd_ledger_stats s;
	struct totals tt = { 0 };
	int done = 0, i;

	assert_int_equal(sd_ledger_write_begin(l), 0);
	rec_init(&r, "s1", 1, 100, 200);
	assert_int_equal(sd_ledger_put(l, &r), 1);
	assert_int_equal(sd_ledger_put(l, &r), 0);          /* a resend */
	r.upf = "upf-a";                                     /* another UPF: its own record */
	assert_int_equal(sd_ledger_put(l, &r), 1);
	rec_init(&r, "s1", 1, 999, 200);                     /* same key, other volume */
	assert_int_equal(sd_ledger_put(l, &r), 0);
	rec_init(&r, "s1", 2, 10, 20);
	r.hold = "unknown S-NSSAI 9 (DNN x)";
	assert_int_equal(sd_ledger_put(l, &r), 1);
	assert_int_equal(sd_ledger_write_end(l, true), 0);

	/* the answer waits for the COMMIT: nothing is called before it */
	sd_ledger_on_durable(l, on_commit, &done);
	assert_int_equal(done, 0);
	for (i = 0; i < 200 && !done; i++)
		sd_loop_once(loop, 10);
	assert_int_equal(done, 1);

	sd_ledger_get_stats(l, &s);
	assert_int_equal(s.stored, 3);
	assert_int_equal(s.duplicates, 2);
	assert_int_equal(s.conflicts, 1);
	assert_int_equal(s.held, 1);
	assert_int_equal(sd_ledger_held_count(l), 1);
	sd_ledger_close(l);

	/* reopened: the same totals, the held record apart */
	l = open_ledger(loop);
	assert_int_equal(sd_ledger_totals(l, NULL, NULL, take_total, &tt), 0);
	assert_int_equal(tt.n, 1);
	assert_string_equal(tt.t[0].factory, "beilun-heavy");
	assert_string_equal(tt.t[0].slice, "bhm-crane-rc");
	assert_string_equal(tt.t[0].period, "2026-11");
	assert_int_equal(tt.t[0].ul, 200);
	assert_int_equal(tt.t[0].dl, 400);
	assert_int_equal(tt.t[0].total, 600);
	assert_int_equal(tt.t[0].records, 2);
	tt.n = 0;
	assert_int_equal(sd_ledger_totals(l, "other", NULL, take_total, &tt), 0);
	assert_int_equal(tt.n, 0);
	assert_int_equal(sd_ledger_totals(l, "beilun-heavy", "2026-12", take_total, &tt), 0);
	assert_int_equal(tt.n, 0);
	assert_int_equal(sd_ledger_held_count(l), 1);
	sd_ledger_close(l);
	sd_loop_free(loop);
}

/* A write that fails stores none of its records. */
static void test_ledger_write_atomic(void **st)
{
	struct sd_loop *loop = sd_loop_new();
	struct sd_ledger *l = open_ledger(loop);
	struct sd_usage_rec r;
	struct totals tt = { 0 };

	assert_int_equal(sd_ledger_write_begin(l), 0);
	rec_init(&r, "s2", 1, 5, 5);
	assert_int_equal(sd_ledger_put(l, &r), 1);
	rec_init(&r, "s2", 2, -5, 5);       /* the CHECK constraint refuses it */
	r.total = 0;
	assert_int_equal(sd_ledger_put(l, &r), -1);
	assert_int_equal(sd_ledger_write_end(l, false), -1);
	assert_int_equal(sd_ledger_flush(l, NULL, NULL), 0);
	assert_int_equal(sd_ledger_totals(l, NULL, NULL, take_total, &tt), 0);
	assert_int_equal(tt.n, 0);
	sd_ledger_close(l);
	sd_loop_free(loop);
}

static void test_session_rows(void **st)
{
	struct sd_loop *loop = sd_loop_new();
	struct sd_ledger *l = open_ledger(loop);
	char sn[20], dnn[64];
	assert_int_equal(sd_ledger_session_get(l, "r1", sn, sizeof sn, dnn, sizeof dnn), -1);
	assert_int_equal(sd_ledger_write_begin(l), 0);
	assert_int_equal(sd_ledger_session(l, "r1", "smf-1", "imsi-1", "1-000001", "internet", 5,
					   1000, false), 0);
	/* an update without PDU information keeps what the create said */
	assert_int_equal(sd_ledger_session(l, "r1", "smf-1", "imsi-1", "", "", 5, 2000, true), 0);
	assert_int_equal(sd_ledger_write_end(l, true), 0);
	assert_int_equal(sd_ledger_session_get(l, "r1", sn, sizeof sn, dnn, sizeof dnn), 0);
	assert_string_equal(sn, "1-000001");
	assert_string_equal(dnn, "internet");
	sd_ledger_close(l);
	sd_loop_free(loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_full),
		cmocka_unit_test(test_decode_errors),
		cmocka_unit_test(test_decode_caps),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_refused_volumes),
		cmocka_unit_test(test_session_ref),
		cmocka_unit_test_setup_teardown(test_ledger_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ledger_write_atomic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_rows, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

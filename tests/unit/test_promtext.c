/* tests/unit/test_promtext.c — the open5gs plugin's Prometheus text
 * parser (plugins/open5gs/promtext.c: the whole 0.0.4 format, malformed
 * lines refused with their number, the strict checks) and its mapping of
 * Open5GS's families (o5gs_map.c), on the captures in tests/data/open5gs
 * and on texts written here. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugins/open5gs/o5gs_map.c"
#include "plugins/open5gs/promtext.c"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b;
	long n;
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	b = malloc((size_t)n + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	b[n] = 0;
	fclose(f);
	*len = (size_t)n;
	return b;
}

#define MAXS 64
struct got {
	int n;
	char name[MAXS][64], family[MAXS][64], lab[MAXS][256];
	enum prom_type type[MAXS];
	double v[MAXS];
	int has_ts[MAXS];
	int64_t ts[MAXS];
	int line[MAXS];
};

static int collect(const struct prom_sample *s, void *arg)
{
	struct got *g = arg;
	int i;
	size_t o = 0;
	if (g->n == MAXS)
		return 1;
	snprintf(g->name[g->n], 64, "%s", s->name);
	snprintf(g->family[g->n], 64, "%s", s->family);
	g->lab[g->n][0] = 0;
	for (i = 0; i < s->nlabels; i++)
		o += (size_t)snprintf(g->lab[g->n] + o, 256 - o, "%s%s=%s", i ? "|" : "",
				      s->labels[i].name, s->labels[i].value);
	g->type[g->n] = s->type;
	g->v[g->n] = s->value;
	g->has_ts[g->n] = s->has_ts;
	g->ts[g->n] = s->ts_ms;
	g->line[g->n] = s->line;
	g->n++;
	return 0;
}

static int parse(const char *text, int flags, struct got *g, char *err)
{
	memset(g, 0, sizeof *g);
	return prom_parse(text, strlen(text), flags, collect, g, err, 256);
}

static int count_cb(const struct prom_sample *s, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

/* The three captures parse; their sample counts are the sample lines. */
static void test_captures(void **st)
{
	static const struct { const char *file; int samples; } caps[] = {
		{ "tests/data/open5gs/amf-metrics.txt", 24 },
		{ "tests/data/open5gs/smf-metrics.txt", 24 },
		{ "tests/data/open5gs/pcf-metrics.txt", 7 },
	};
	char err[256];
	size_t i, len;
	for (i = 0; i < sizeof caps / sizeof caps[0]; i++) {
		char *t = slurp(caps[i].file, &len);
		int n = 0;
		assert_int_equal(prom_parse(t, len, 0, count_cb, &n, err, sizeof err), 0);
		assert_int_equal(n, caps[i].samples);
		free(t);
	}
}

static void test_format(void **st)
{
	struct got g;
	char err[256];
	/* no HELP/TYPE at all: untyped, its own family */
	assert_int_equal(parse("up 1\n", 0, &g, err), 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.family[0], "up");
	assert_int_equal(g.type[0], PROM_UNTYPED);
	/* comments, blank lines, leading blanks, no final newline */
	assert_int_equal(parse("# a comment\n\n   \n#\n  x_y:z{a=\"b\"}\t2.5e3", 0, &g, err), 0);
	assert_int_equal(g.n, 1);
	assert_true(g.v[0] == 2500);
	assert_int_equal(g.line[0], 5);
	/* label escapes, a trailing comma, blanks around tokens, UTF-8 */
	assert_int_equal(parse("m{ a = \"q\\\"uo\\\\te\\n\" , b=\"\xe5\xb7\xa5\",} 1\n", 0, &g, err), 0);
	assert_string_equal(g.lab[0], "a=q\"uo\\te\n|b=\xe5\xb7\xa5");
	/* special values and timestamps */
	assert_int_equal(parse("a NaN\nb +Inf\nc -Inf\nd Inf 1700000000000\ne -0.5 -3\nf 1e-3\n", 0,
			       &g, err), 0);
	assert_int_equal(g.n, 6);
	assert_true(isnan(g.v[0]));
	assert_true(isinf(g.v[1]) && g.v[1] > 0);
	assert_true(isinf(g.v[2]) && g.v[2] < 0);
	assert_true(g.has_ts[3] && g.ts[3] == 1700000000000LL);
	assert_true(!g.has_ts[0]);
	assert_true(g.v[4] == -0.5 && g.ts[4] == -3);
	/* HELP with escapes; TYPE; histogram and summary suffixes belong to
	 * the family */
	assert_int_equal(parse("# HELP h Time \\\\ taken\\n.\n# TYPE h histogram\n"
			       "h_bucket{le=\"0.1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 0.3\nh_count 2\n"
			       "# TYPE s summary\ns{quantile=\"0.5\"} 1\ns_sum 4\ns_count 3\n"
			       "# TYPE c counter\nc_total 7\n", 0, &g, err), 0);
	assert_int_equal(g.n, 8);
	assert_string_equal(g.family[0], "h");
	assert_string_equal(g.family[3], "h");
	assert_int_equal(g.type[3], PROM_HISTOGRAM);
	assert_string_equal(g.family[6], "s");
	assert_int_equal(g.type[6], PROM_SUMMARY);
	assert_string_equal(g.family[7], "c_total");
	/* a name ending in _count that is not a histogram is its own family */
	assert_int_equal(parse("# TYPE q_count gauge\nq_count 1\n", 0, &g, err), 0);
	assert_string_equal(g.family[0], "q_count");
	assert_int_equal(g.type[0], PROM_GAUGE);
	/* the callback may stop the parse */
	assert_int_equal(prom_parse("a 1\nb 2\n", 8, 0, count_cb, &(int){0}, err, 256), 0);
}

/* Each malformed line: refused, with its line number and what. */
static void test_malformed(void **st)
{
	static const struct { const char *text, *err; } cases[] = {
		{ "ok 1\n{a=\"b\"} 1\n", "line 2: expected a metric name" },
		{ "9x 1\n", "line 1: expected a metric name" },
		{ "a-b 1\n", "line 1: bad character '-'" },
		{ "m\n", "line 1: m: no value" },
		{ "m abc\n", "line 1: m: bad value \"abc\"" },
		{ "m 1e\n", "line 1: m: bad value" },
		{ "m 0x10\n", "line 1: m: bad value" },
		{ "m 1 12.5\n", "line 1: m: bad timestamp" },
		{ "m 1 2 3\n", "line 1: m: unexpected text after the timestamp" },
		{ "m{a=\"b\" 1\n", "line 1: m: expected ',' or '}'" },
		{ "m{a=b} 1\n", "line 1: m: label a: expected a quoted value" },
		{ "m{a=\"b} 1\n", "line 1: m: label a: the value is not closed" },
		{ "m{a=\"\\t\"} 1\n", "unknown escape \\t" },
		{ "m{a=\"x\",a=\"y\"} 1\n", "label a twice" },
		{ "m{1a=\"x\"} 1\n", "expected a label name" },
		{ "m{a:b=\"x\"} 1\n", "label a: expected '='" },
		{ "m{a=\"\xff\"} 1\n", "not UTF-8" },
		{ "m{a=\"\xed\xa0\x80\"} 1\n", "not UTF-8" },
		{ "m{}1\n", "expected a blank and the value" },
		{ "# TYPE m gauge\n# TYPE m gauge\n", "line 2: a second TYPE line for m" },
		{ "# HELP m x\n# HELP m y\n", "line 2: a second HELP line for m" },
		{ "# TYPE m meter\n", "line 1: TYPE m: unknown type \"meter\"" },
		{ "# TYPE m gauge extra\n", "unexpected text after the type" },
		{ "# TYPE\n", "TYPE: expected a metric name" },
		{ "m 1\n# TYPE m gauge\n", "line 2: TYPE for m after its samples" },
		{ "# HELP m a \\x b\n", "HELP text: unknown escape \\x" },
		{ "# TYPE h histogram\nh_bucket 1\n", "line 2: h_bucket: a bucket needs a numeric le" },
		{ "# TYPE h histogram\nh_bucket{le=\"x\"} 1\n", "a bucket needs a numeric le" },
		{ "# TYPE s summary\ns 1\n", "needs a numeric quantile" },
		{ "m 1\r\n", "bad value" },
	};
	char err[256];
	struct got g;
	size_t i;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = parse(cases[i].text, 0, &g, err);
		if (rc != -1 || !strstr(err, cases[i].err))
			fail_msg("case %zu (%s): rc %d, err \"%s\", want \"%s\"", i, cases[i].text, rc, err,
				 cases[i].err);
	}
	/* a NUL byte, a line over the cap */
	assert_int_equal(prom_parse("a 1\nb\0 1\n", 9, 0, NULL, NULL, err, sizeof err), -1);
	assert_string_equal(err, "line 2: a NUL byte");
	{
		size_t n = PROM_MAX_LINE + 10;
		char *big = malloc(n + 1);
		memset(big, 'a', n);
		big[n] = 0;
		assert_int_equal(prom_parse(big, n, 0, NULL, NULL, err, sizeof err), -1);
		assert_non_null(strstr(err, "line 1: longer than"));
		free(big);
	}
	/* too many labels */
	{
		char t[4096];
		size_t o = (size_t)snprintf(t, sizeof t, "m{");
		for (i = 0; i <= PROM_MAX_LABELS; i++)
			o += (size_t)snprintf(t + o, sizeof t - o, "l%zu=\"v\",", i);
		snprintf(t + o, sizeof t - o, "} 1\n");
		assert_int_equal(parse(t, 0, &g, err), -1);
		assert_non_null(strstr(err, "more than 32 labels"));
	}
}

static void test_strict(void **st)
{
	static const struct { const char *text, *err; } cases[] = {
		{ "# TYPE a gauge\na 1\n", "no HELP line" },
		{ "# HELP a x\na 1\n", "no TYPE line" },
		{ "# HELP a x\n# TYPE a counter\na 1\n", "a counter's name ends in _total" },
		{ "# HELP a_total x\n# TYPE a_total gauge\na_total 1\n", "_total is for counters" },
		{ "# HELP a x\n# TYPE a gauge\na{__x=\"1\"} 1\n", "reserved" },
		{ "# HELP a x\n# TYPE a gauge\na 1\na 2\n", "the same series twice" },
		{ "# HELP a x\n# TYPE a gauge\na{k=\"1\"} 1\n# HELP b x\n# TYPE b gauge\nb 1\na{k=\"2\"} 1\n",
		  "line 7: a: the samples of family a are not together" },
		{ "# HELP h x\n# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"0.5\"} 1\n",
		  "le=\"0.5\" is not above" },
		{ "# HELP h x\n# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\n",
		  "buckets are cumulative" },
		{ "# HELP h x\n# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\n",
		  "_count {} without its buckets" },
		{ "# HELP h x\n# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 3\n",
		  "_count 3 differs from the +Inf bucket 2" },
		{ "# HELP h x\n# TYPE h histogram\nh_bucket{le=\"1\"} 1\n",
		  "do not end with le=\"+Inf\"" },
		{ "# HELP h x\n# TYPE h histogram\nh 1\n", "only _bucket, _sum and _count" },
		{ "# HELP a:b x\n# TYPE a:b gauge\n", "':' is for recording rules" },
		{ "# HELP c_total x\n# TYPE c_total counter\nc_total -1\n", "not negative" },
	};
	char err[256];
	struct got g;
	size_t i;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = parse(cases[i].text, PROM_STRICT, &g, err);
		if (rc != -1 || !strstr(err, cases[i].err))
			fail_msg("strict case %zu: rc %d, err \"%s\", want \"%s\"", i, rc, err,
				 cases[i].err);
		/* not refused without the strict checks (but for the duplicate
		 * series and colon cases, which are fine there too) */
		assert_int_equal(parse(cases[i].text, 0, &g, err), 0);
	}
	assert_int_equal(parse("# HELP h x\n# TYPE h histogram\n"
			       "h_bucket{k=\"a\",le=\"0.1\"} 1\nh_bucket{k=\"a\",le=\"+Inf\"} 3\n"
			       "h_sum{k=\"a\"} 0.9\nh_count{k=\"a\"} 3\n"
			       "h_bucket{k=\"b\",le=\"0.1\"} 0\nh_bucket{k=\"b\",le=\"+Inf\"} 0\n"
			       "h_sum{k=\"b\"} 0\nh_count{k=\"b\"} 0\n"
			       "# HELP c_total x\n# TYPE c_total counter\nc_total{a=\"1\"} 1\nc_total{a=\"2\"} 0\n",
			       PROM_STRICT, &g, err), 0);
	assert_int_equal(g.n, 10);
}

/* Open5GS's families onto per-S-NSSAI figures. */
static void test_map(void **st)
{
	struct o5gs_scrape s;
	char err[256], sd[7];
	size_t len;
	char *t;
	int sst;
	const char *amf =
		"# HELP gnb gNodeBs\n# TYPE gnb gauge\ngnb 2\n"
		"# HELP ran_ue RAN UEs\n# TYPE ran_ue gauge\nran_ue 9\n"
		"# HELP fivegs_amffunction_rm_registeredsubnbr x\n"
		"# TYPE fivegs_amffunction_rm_registeredsubnbr gauge\n"
		"fivegs_amffunction_rm_registeredsubnbr{plmnid=\"00101\",snssai=\"1-000001\"} 5\n"
		"fivegs_amffunction_rm_registeredsubnbr{plmnid=\"00102\",snssai=\"1-000001\"} 2\n"
		"fivegs_amffunction_rm_registeredsubnbr{plmnid=\"00101\",snssai=\"2-0000A1\"} 3\n"
		"fivegs_amffunction_rm_registeredsubnbr{plmnid=\"00101\",snssai=\"3\"} 1\n"
		"fivegs_amffunction_rm_registeredsubnbr{plmnid=\"00101\",snssai=\"x-1\"} 1\n"
		"fivegs_amffunction_rm_registeredsubnbr{plmnid=\"00101\"} 1\n";

	assert_int_equal(o5gs_scrape_parse(O5GS_AMF, amf, strlen(amf), "", &s, err, sizeof err), 0);
	assert_int_equal(s.nper, 3);
	assert_int_equal(s.per[0].sst, 1);
	assert_string_equal(s.per[0].sd, "000001");
	assert_true(s.per[0].value == 7);          /* both PLMNs */
	assert_string_equal(s.per[1].sd, "0000a1");
	assert_true(s.per[1].value == 3);
	assert_int_equal(s.per[2].sst, 3);
	assert_string_equal(s.per[2].sd, "");
	assert_true(s.gnbs == 2 && s.ran_ues == 9);
	assert_int_equal(s.skipped, 2);
	assert_non_null(strstr(s.skipped_why, "line 13:"));
	/* one PLMN only */
	assert_int_equal(o5gs_scrape_parse(O5GS_AMF, amf, strlen(amf), "00101", &s, err, sizeof err), 0);
	assert_true(s.per[0].value == 5);
	/* the same text read as another NF's maps nothing */
	assert_int_equal(o5gs_scrape_parse(O5GS_SMF, amf, strlen(amf), "", &s, err, sizeof err), 0);
	assert_int_equal(s.nper, 0);
	assert_int_equal(s.used, 0);
	assert_true(isnan(s.gnbs));

	/* the captures: all zero, and the per-slice families have no series */
	t = slurp("tests/data/open5gs/amf-metrics.txt", &len);
	assert_int_equal(o5gs_scrape_parse(O5GS_AMF, t, len, "", &s, err, sizeof err), 0);
	assert_int_equal(s.nper, 0);
	assert_true(s.gnbs == 0 && s.ran_ues == 0);
	assert_int_equal(s.used, 2);
	free(t);
	t = slurp("tests/data/open5gs/smf-metrics.txt", &len);
	assert_int_equal(o5gs_scrape_parse(O5GS_SMF, t, len, "", &s, err, sizeof err), 0);
	assert_true(s.ues_active == 0);
	free(t);

	/* SMF sessions, UPF counters (with a _total suffix), summed over QFIs */
	{
		const char *smf = "fivegs_smffunction_sm_sessionnbr{plmnid=\"00101\",snssai=\"1-000001\"} 4\n";
		const char *upf = "fivegs_ep_n3_gtp_indatavolumeqosleveln3upf_total{qfi=\"1\"} 1000\n"
				  "fivegs_ep_n3_gtp_indatavolumeqosleveln3upf_total{qfi=\"5\"} 24\n"
				  "fivegs_ep_n3_gtp_outdatavolumeqosleveln3upf{qfi=\"1\"} 4096\n"
				  "fivegs_upffunction_upf_sessionnbr 3\n";
		assert_int_equal(o5gs_scrape_parse(O5GS_SMF, smf, strlen(smf), "", &s, err, sizeof err), 0);
		assert_true(s.nper == 1 && s.per[0].value == 4);
		assert_int_equal(o5gs_scrape_parse(O5GS_UPF, upf, strlen(upf), "", &s, err, sizeof err), 0);
		assert_true(s.n3_in_bytes == 1024 && s.n3_out_bytes == 4096 && s.upf_sessions == 3);
	}
	/* a malformed text is refused with its line */
	assert_int_equal(o5gs_scrape_parse(O5GS_AMF, "gnb 1\ngnb{ 2\n", 12, "", &s, err, sizeof err), -1);
	assert_non_null(strstr(err, "line 2:"));

	assert_int_equal(o5gs_snssai_parse("255-FFFFFF", &sst, sd), 0);
	assert_string_equal(sd, "ffffff");
	assert_int_equal(o5gs_snssai_parse("256", &sst, sd), -1);
	assert_int_equal(o5gs_snssai_parse("01", &sst, sd), -1);
	assert_int_equal(o5gs_snssai_parse("1-00001", &sst, sd), -1);
	assert_int_equal(o5gs_snssai_parse("1-", &sst, sd), -1);
	assert_int_equal(o5gs_snssai_parse("", &sst, sd), -1);
	assert_int_equal(o5gs_nf_parse("Upf"), O5GS_UPF);
	assert_int_equal(o5gs_nf_parse("nrf"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_captures),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_strict),
		cmocka_unit_test(test_map),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* tests/unit/test_snssai.c — core/snssai.c: every textual form, the
 * JSON form, bad input, FFFFFF normalisation and round trips. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/util.h"
#include "core/snssai.h"

static struct sd_snssai parse_ok(const char *s)
{
	struct sd_snssai n;
	const char *why = NULL;
	memset(&n, 0xa5, sizeof n);
	if (!sd_snssai_parse(s, &n, &why))
		fail_msg("\"%s\" should parse, got: %s", s, why ? why : "(no reason)");
	return n;
}

static void parse_bad(const char *s, const char *reason)
{
	struct sd_snssai n = { .sst = 7, .has_sd = true, .sd = 0x123456 };
	const char *why = NULL;
	if (sd_snssai_parse(s, &n, &why))
		fail_msg("\"%s\" should be rejected", s ? s : "(null)");
	assert_non_null(why);
	if (!strstr(why, reason))
		fail_msg("\"%s\": reason \"%s\" lacks \"%s\"", s ? s : "(null)", why, reason);
	/* the output is untouched on failure */
	assert_int_equal(n.sst, 7);
	assert_true(n.has_sd);
	assert_int_equal(n.sd, 0x123456);
	/* why may be NULL */
	assert_false(sd_snssai_parse(s, &n, NULL));
}

static void test_sst_only(void **state)
{
	struct sd_snssai n = parse_ok("1");
	assert_int_equal(n.sst, 1);
	assert_false(n.has_sd);
	assert_int_equal(n.sd, 0);
	n = parse_ok("0");
	assert_int_equal(n.sst, 0);
	n = parse_ok("255");
	assert_int_equal(n.sst, 255);
	assert_false(n.has_sd);
	n = parse_ok("128");
	assert_int_equal(n.sst, 128);
	n = parse_ok("007");
	assert_int_equal(n.sst, 7);
}

static void test_dash_and_colon(void **state)
{
	struct sd_snssai n = parse_ok("1-000001");
	assert_int_equal(n.sst, 1);
	assert_true(n.has_sd);
	assert_int_equal(n.sd, 1);
	n = parse_ok("2:0a0b0C");
	assert_int_equal(n.sst, 2);
	assert_true(n.has_sd);
	assert_int_equal(n.sd, 0x0a0b0c);
	n = parse_ok("255-fffffe");
	assert_int_equal(n.sst, 255);
	assert_int_equal(n.sd, 0xfffffe);
	n = parse_ok("3-000000");   /* SD 000000 is a value, not "no SD" */
	assert_true(n.has_sd);
	assert_int_equal(n.sd, 0);
}

static void test_hex_form(void **state)
{
	struct sd_snssai n = parse_ok("01000001");   /* 8 decimal digits: hex form */
	assert_int_equal(n.sst, 1);
	assert_true(n.has_sd);
	assert_int_equal(n.sd, 1);
	n = parse_ok("0200abcd");
	assert_int_equal(n.sst, 2);
	assert_int_equal(n.sd, 0x00abcd);
	n = parse_ok("FF123456");
	assert_int_equal(n.sst, 255);
	assert_int_equal(n.sd, 0x123456);
	n = parse_ok("80AbCdEf");
	assert_int_equal(n.sst, 128);
	assert_int_equal(n.sd, 0xabcdef);
}

/* TS 23.003: SD FFFFFF means "no SD"; every form normalises it. */
static void test_ffffff(void **state)
{
	static const char *const forms[] = { "1-ffffff", "1:FFFFFF", "01ffffff", "01FFFFFF" };
	struct sd_snssai plain = parse_ok("1"), n;
	size_t i;
	json_t *j;
	for (i = 0; i < SD_ARRAY_LEN(forms); i++) {
		n = parse_ok(forms[i]);
		assert_int_equal(n.sst, 1);
		assert_false(n.has_sd);
		assert_int_equal(n.sd, 0);
		assert_true(sd_snssai_equal(&n, &plain));
	}
	j = json_pack("{s:i, s:s}", "sst", 1, "sd", "FFFFFF");
	assert_true(sd_snssai_from_json(j, &n, NULL));
	assert_false(n.has_sd);
	assert_true(sd_snssai_equal(&n, &plain));
	json_decref(j);
}

static void test_bad_text(void **state)
{
	parse_bad(NULL, "empty");
	parse_bad("", "empty");
	parse_bad("256", "SST must be an integer 0-255");
	parse_bad("256-000001", "SST must be an integer 0-255");
	parse_bad("1000", "SST must be an integer 0-255");
	parse_bad("0001", "SST must be an integer 0-255");
	parse_bad("1-00001", "SD must be exactly 6 hex digits");
	parse_bad("1-0000001", "SD must be exactly 6 hex digits");
	parse_bad("x", "must start with a decimal SST");
	parse_bad("-1", "must start with a decimal SST");
	parse_bad(" 1", "must start with a decimal SST");
	parse_bad("1-", "SD must be exactly 6 hex digits");
	parse_bad("1:", "SD must be exactly 6 hex digits");
	parse_bad("1-00000g", "SD must be exactly 6 hex digits");
	parse_bad("1-+00001", "SD must be exactly 6 hex digits");
	parse_bad("1 ", "expected SST or SST-SD");
	parse_bad("1/000001", "expected SST or SST-SD");
	parse_bad("0x01", "expected SST or SST-SD");
	parse_bad("0100000g", "SST must be an integer 0-255");   /* not 8 hex digits */
	parse_bad("ab", "must start with a decimal SST");
}

static void test_sd_parse(void **state)
{
	uint32_t v = 99;
	assert_true(sd_sd_parse("000001", &v));
	assert_int_equal(v, 1);
	assert_true(sd_sd_parse("ABCdef", &v));
	assert_int_equal(v, 0xabcdef);
	assert_true(sd_sd_parse("ffffff", &v));   /* raw; normalisation is the caller's */
	assert_int_equal(v, 0xffffff);
	v = 99;
	assert_false(sd_sd_parse("00001", &v));
	assert_false(sd_sd_parse("0000001", &v));
	assert_false(sd_sd_parse("00000g", &v));
	assert_false(sd_sd_parse("", &v));
	assert_false(sd_sd_parse(NULL, &v));
	assert_int_equal(v, 99);
}

static void test_format(void **state)
{
	char buf[SD_SNSSAI_STRLEN];
	struct sd_snssai a = { .sst = 1, .has_sd = true, .sd = 0xabc };
	struct sd_snssai b = { .sst = 255 };
	assert_string_equal(sd_snssai_format(&a, buf, sizeof buf), "1-000abc");
	assert_string_equal(sd_snssai_format_hex(&a, buf, sizeof buf), "01000abc");
	assert_string_equal(sd_snssai_format(&b, buf, sizeof buf), "255");
	assert_string_equal(sd_snssai_format_hex(&b, buf, sizeof buf), "ff");
	a.sst = 255;
	a.sd = 0xfffffe;
	assert_string_equal(sd_snssai_format(&a, buf, sizeof buf), "255-fffffe");
	assert_string_equal(sd_snssai_format_hex(&a, buf, sizeof buf), "fffffffe");
	/* truncation never overruns */
	{
		char small[4] = "zzz";
		sd_snssai_format(&a, small, sizeof small);
		assert_string_equal(small, "255");
	}
}

/* Text -> struct -> text, and struct -> each form -> struct, for a spread
 * of SSTs and SDs. (format_hex without an SD, e.g. "ff", is an output-only
 * form: two hex digits cannot be told from a decimal SST.) */
static void test_round_trips(void **state)
{
	static const unsigned ssts[] = { 0, 1, 2, 3, 4, 5, 9, 10, 16, 99, 100, 127, 128, 200, 255 };
	static const uint32_t sds[] = { 0, 1, 0x10, 0xabcdef, 0x0a0001, 0x999999, 0xfffffe };
	size_t i, k;
	char buf[SD_SNSSAI_STRLEN], alt[SD_SNSSAI_STRLEN];
	for (i = 0; i < SD_ARRAY_LEN(ssts); i++) {
		struct sd_snssai n = { .sst = (uint8_t)ssts[i] }, back;
		sd_snssai_format(&n, buf, sizeof buf);
		back = parse_ok(buf);
		assert_true(sd_snssai_equal(&n, &back));
		for (k = 0; k < SD_ARRAY_LEN(sds); k++) {
			json_t *j;
			n.has_sd = true;
			n.sd = sds[k];
			back = parse_ok(sd_snssai_format(&n, buf, sizeof buf));
			assert_true(sd_snssai_equal(&n, &back));
			back = parse_ok(sd_snssai_format_hex(&n, buf, sizeof buf));
			assert_true(sd_snssai_equal(&n, &back));
			snprintf(alt, sizeof alt, "%u:%06X", n.sst, n.sd);
			back = parse_ok(alt);
			assert_true(sd_snssai_equal(&n, &back));
			j = sd_snssai_to_json(&n);
			assert_true(sd_snssai_from_json(j, &back, NULL));
			assert_true(sd_snssai_equal(&n, &back));
			json_decref(j);
		}
		n.has_sd = false;
		n.sd = 0;
	}
}

static void test_json(void **state)
{
	struct sd_snssai n;
	const char *why;
	json_t *j = json_loads("{\"sst\": 1, \"sd\": \"000001\", \"future\": [1]}", 0, NULL);
	char *s;

	assert_true(sd_snssai_from_json(j, &n, &why));   /* unknown members ignored */
	assert_int_equal(n.sst, 1);
	assert_true(n.has_sd);
	assert_int_equal(n.sd, 1);
	json_decref(j);

	j = json_loads("{\"sst\": 3}", 0, NULL);
	assert_true(sd_snssai_from_json(j, &n, &why));
	assert_int_equal(n.sst, 3);
	assert_false(n.has_sd);
	json_decref(j);

	/* to_json: sd only when present, lower-case hex */
	n = (struct sd_snssai){ .sst = 2, .has_sd = true, .sd = 0xABCDEF };
	j = sd_snssai_to_json(&n);
	s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
	assert_string_equal(s, "{\"sd\":\"abcdef\",\"sst\":2}");
	free(s);
	json_decref(j);
	n = (struct sd_snssai){ .sst = 1 };
	j = sd_snssai_to_json(&n);
	s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
	assert_string_equal(s, "{\"sst\":1}");
	free(s);
	json_decref(j);
}

static void json_bad(const char *text, const char *reason)
{
	json_t *j = json_loads(text, JSON_DECODE_ANY, NULL);
	struct sd_snssai n = { .sst = 9 };
	const char *why = NULL;
	assert_non_null(j);
	assert_false(sd_snssai_from_json(j, &n, &why));
	assert_non_null(why);
	if (!strstr(why, reason))
		fail_msg("%s: reason \"%s\" lacks \"%s\"", text, why, reason);
	assert_int_equal(n.sst, 9);
	json_decref(j);
}

static void test_json_bad(void **state)
{
	struct sd_snssai n;
	json_bad("[1]", "must be an object");
	json_bad("\"1-000001\"", "must be an object");
	json_bad("{}", "sst is missing");
	json_bad("{\"sd\": \"000001\"}", "sst is missing");
	json_bad("{\"sst\": \"1\"}", "sst must be an integer");
	json_bad("{\"sst\": 1.0}", "sst must be an integer");
	json_bad("{\"sst\": 256}", "out of range 0-255");
	json_bad("{\"sst\": -1}", "out of range 0-255");
	json_bad("{\"sst\": 1, \"sd\": 1}", "sd must be a string");
	json_bad("{\"sst\": 1, \"sd\": \"00001\"}", "6 hex digits");
	json_bad("{\"sst\": 1, \"sd\": \"0000001\"}", "6 hex digits");
	json_bad("{\"sst\": 1, \"sd\": \"00000g\"}", "6 hex digits");
	json_bad("{\"sst\": 1, \"sd\": null}", "sd must be a string");
	assert_false(sd_snssai_from_json(NULL, &n, NULL));
}

static void test_equal(void **state)
{
	struct sd_snssai a = { .sst = 1, .has_sd = true, .sd = 5 };
	struct sd_snssai b = a, c = { .sst = 1 }, d = { .sst = 1, .sd = 77 };
	assert_true(sd_snssai_equal(&a, &b));
	b.sd = 6;
	assert_false(sd_snssai_equal(&a, &b));
	b = a;
	b.sst = 2;
	assert_false(sd_snssai_equal(&a, &b));
	assert_false(sd_snssai_equal(&a, &c));
	/* without an SD a stale sd value does not matter */
	assert_true(sd_snssai_equal(&c, &d));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sst_only),
		cmocka_unit_test(test_dash_and_colon),
		cmocka_unit_test(test_hex_form),
		cmocka_unit_test(test_ffffff),
		cmocka_unit_test(test_bad_text),
		cmocka_unit_test(test_sd_parse),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_round_trips),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_bad),
		cmocka_unit_test(test_equal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

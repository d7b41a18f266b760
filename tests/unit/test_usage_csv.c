/* tests/unit/test_usage_csv.c — billing/usage_csv.c, the CSV behind
 * `slicedeck usage import`: columns in any order, a BOM, CRLF, blank lines,
 * quoted fields with commas and doubled quotes; every problem as
 * FILE:LINE: field: problem with no rows at all; an unknown slice through the
 * caller's check; the cap on messages; the file digest. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing/usage_csv.h"
#include "core/util.h"

static bool known(void *arg, const char *slice)
{
	return strcmp(slice, "crane") == 0 || strcmp(slice, "cams") == 0;
}

static void test_good(void **st)
{
	static const char t[] =
		"\xef\xbb\xbfnote,slice,dl_bytes,ul_bytes,time,total_bytes,seconds,rating_group\r\n"
		"\"backfill, \"\"smf-2\"\" down\",crane,9000,1000,2026-10-03T08:00:00Z,10000,60,10\r\n"
		"\r\n"
		",cams,5,5,2026-10-31T23:59:59+08:00,,,\n";
	struct sd_usage_csv c;
	assert_int_equal(sd_usage_csv_parse("u.csv", t, sizeof t - 1, known, NULL, &c), 0);
	assert_int_equal(c.nrows, 2);
	assert_int_equal(c.problems, 0);
	assert_int_equal(c.rows[0].line, 2);
	assert_string_equal(c.rows[0].slice, "crane");
	assert_int_equal(c.rows[0].ul, 1000);
	assert_int_equal(c.rows[0].dl, 9000);
	assert_int_equal(c.rows[0].total, 10000);
	assert_int_equal(c.rows[0].seconds, 60);
	assert_int_equal(c.rows[0].rating_group, 10);
	assert_int_equal(c.rows[0].time_ms, 1791014400000LL);
	assert_int_equal(c.rows[1].line, 4);
	assert_int_equal(c.rows[1].total, 10);
	assert_int_equal(c.rows[1].seconds, 0);
	/* 23:59:59 at +08:00 is 15:59:59 UTC */
	assert_int_equal(c.rows[1].time_ms, 1793462399000LL);
	sd_usage_csv_done(&c);
}

static void test_digest(void **st)
{
	static const char t[] = "time,slice,ul_bytes,dl_bytes\n";
	struct sd_usage_csv c;
	assert_int_equal(sd_usage_csv_parse("u.csv", t, sizeof t - 1, NULL, NULL, &c), 0);
	assert_int_equal(c.nrows, 0);
	assert_string_equal(c.digest, "e8fa871e0be740fc652616c83e24d70e6939e40e4fd31dd4695ef5f3195e85f1");
	sd_usage_csv_done(&c);
}

static void test_problems(void **st)
{
	static const char t[] =
		"time,slice,ul_bytes,dl_bytes,total_bytes\n"
		"2026-10-05T00:00:00Z,crane,100,100,200\n"
		"2026-10-05T00:00:00Z,crane,-4,100,\n"
		"2026-10-05,crane,1,1,\n"
		"2026-10-05T00:00:00Z,nosuch,1,1,\n"
		"2026-10-05T00:00:00Z,crane,1,1,3\n"
		"2026-10-05T00:00:00Z,crane,1\n"
		"2026-10-05T00:00:00Z,crane,1,\"x\"y,\n"
		"2026-10-05T00:00:00Z,crane,1,\"open\n"
		"2026-10-05T00:00:00Z,cr ane,1,1,\n"
		"2026-10-05T00:00:00Z,crane,1,20000000000000,\n";
	static const char *const want[] = {
		"u.csv:3: ul_bytes: \"-4\" is not a byte count 0..10000000000000",
		"u.csv:4: time: \"2026-10-05\" is not an RFC 3339 time such as 2026-11-03T08:00:00Z",
		"u.csv:5: slice: unknown slice \"nosuch\"",
		"u.csv:6: total_bytes: 3 is not ul_bytes + dl_bytes (2)",
		"u.csv:7: 3 fields, the header has 5",
		"u.csv:8: text after a closing quote",
		"u.csv:9: a quoted field is not closed",
		"u.csv:10: slice: \"cr ane\" is not a slice id",
		"u.csv:11: dl_bytes: \"20000000000000\" is not a byte count 0..10000000000000",
	};
	struct sd_usage_csv c;
	size_t i;
	assert_int_equal(sd_usage_csv_parse("u.csv", t, sizeof t - 1, known, NULL, &c), -1);
	assert_null(c.rows);
	assert_int_equal(c.nrows, 0);
	assert_int_equal(c.nerrors, SD_ARRAY_LEN(want));
	for (i = 0; i < SD_ARRAY_LEN(want); i++)
		assert_string_equal(c.errors[i], want[i]);
	sd_usage_csv_done(&c);
}

static void test_header(void **st)
{
	static const char t1[] = "time,slice,ul_bytes,colour,slice\n";
	static const char t2[] = "\n\n";
	struct sd_usage_csv c;
	assert_int_equal(sd_usage_csv_parse("h.csv", t1, sizeof t1 - 1, NULL, NULL, &c), -1);
	assert_int_equal(c.nerrors, 3);
	assert_string_equal(c.errors[0], "h.csv:1: colour: unknown column (time, slice, ul_bytes, "
			    "dl_bytes, total_bytes, seconds, rating_group, note)");
	assert_string_equal(c.errors[1], "h.csv:1: slice: named twice");
	assert_string_equal(c.errors[2], "h.csv:1: dl_bytes: required column missing");
	sd_usage_csv_done(&c);
	assert_int_equal(sd_usage_csv_parse("e.csv", t2, sizeof t2 - 1, NULL, NULL, &c), -1);
	assert_int_equal(c.nerrors, 1);
	assert_string_equal(c.errors[0], "e.csv:2: no header line (time, slice, ul_bytes, "
			    "dl_bytes, ...)");
	sd_usage_csv_done(&c);
}

static void test_cap(void **st)
{
	struct sd_buf b;
	struct sd_usage_csv c;
	int i;
	sd_buf_init(&b, 1 << 20);
	sd_buf_addstr(&b, "time,slice,ul_bytes,dl_bytes\n");
	for (i = 0; i < 80; i++)
		sd_buf_addstr(&b, "x,crane,1,1\n");
	assert_int_equal(sd_usage_csv_parse("c.csv", b.data, b.len, NULL, NULL, &c), -1);
	assert_int_equal(c.nerrors, SD_USAGE_CSV_MAX_ERRORS + 1);
	assert_string_equal(c.errors[SD_USAGE_CSV_MAX_ERRORS], "c.csv: more problems not shown");
	sd_usage_csv_done(&c);
	sd_buf_done(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_digest),
		cmocka_unit_test(test_problems),
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

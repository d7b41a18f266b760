/* tests/unit/test_timeline.c — sim/timeline.c, the training timeline
 * format: times and durations in every accepted spelling, drawn objects,
 * the fault spec an event makes, and errors naming file and line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "sim/timeline.h"

static struct sd_sim_timeline tl;

static int parse(const char *text, char *err, size_t errsz)
{
	return sd_sim_timeline_parse(text, strlen(text), "t.tl", &tl, err, errsz);
}

static void test_times(void **st)
{
	static const struct { const char *t; long long ms; } ok[] = {
		{ "90", 90000 }, { "90s", 90000 }, { "2m", 120000 }, { "1m30s", 90000 },
		{ "1m30", 90000 }, { "1h", 3600000 }, { "1h2m3s", 3723000 },
		{ "1:30", 90000 }, { "1:02:03", 3723000 }, { "0", 0 },
	};
	static const char *const bad[] = { "1:3", "1:60", "x", "1h30", "3s2m", "1m1m", "-5",
					    "1.5m", "8d", "1::3", ":30", "99999999999" };
	char text[128], err[256];
	size_t i;
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		snprintf(text, sizeof text, "at %s for 5 slice-down slice=s1\n", ok[i].t);
		if (parse(text, err, sizeof err) < 0)
			fail_msg("%s: %s", ok[i].t, err);
		assert_int_equal(tl.ev[0].at_ms, ok[i].ms);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(text, sizeof text, "\nat %s for 5 slice-down slice=s1\n", bad[i]);
		assert_int_equal(parse(text, err, sizeof err), -1);
		assert_non_null(strstr(err, "t.tl:2: at wants a time"));
	}
}

static void test_events(void **st)
{
	char err[256], spec[512];
	const char *text =
		"# a drill\n"
		"seed 9   # fixed draws\n"
		"repeat 10m\n"
		"\n"
		"at 1m jitter 30s for 2m slice-latency slice=a|b|c factor=6\n"
		"at 3:00 for 45s\tnf-down nf=*\n"
		"at 5m for 1m session-storm slice=dxs sessions=50\n";
	if (parse(text, err, sizeof err) < 0)
		fail_msg("%s", err);
	assert_int_equal(tl.n, 3);
	assert_true(tl.has_seed && tl.seed == 9);
	assert_int_equal(tl.repeat_ms, 600000);
	assert_int_equal(tl.ev[0].line, 5);
	assert_int_equal(tl.ev[0].jitter_ms, 30000);
	assert_int_equal(tl.ev[0].pick, SD_TL_LIST);
	assert_int_equal(tl.ev[0].nchoices, 3);
	assert_string_equal(tl.ev[0].choices[2], "c");
	sd_sim_timeline_spec(&tl.ev[0], "b", spec, sizeof spec);
	assert_string_equal(spec, "slice-latency:factor=6,slice=b,dur=120");
	assert_int_equal(tl.ev[1].pick, SD_TL_ANY);
	assert_string_equal(tl.ev[1].pick_key, "nf");
	assert_int_equal(tl.ev[1].at_ms, 180000);
	sd_sim_timeline_spec(&tl.ev[2], NULL, spec, sizeof spec);
	assert_string_equal(spec, "session-storm:slice=dxs,sessions=50,dur=60");
}

static void test_errors(void **st)
{
	static const struct { const char *text, *want; } cases[] = {
		{ "at 1 for 5 frobnicate\n", "t.tl:1: unknown fault kind \"frobnicate\"" },
		{ "\n\nbogus 1\n", "t.tl:3: unknown directive \"bogus\"" },
		{ "at 1 for 0 slice-down\n", "t.tl:1: for wants a duration of at least 1 s" },
		{ "at 1 slice-down\n", "t.tl:1: expected \"for DURATION\"" },
		{ "at 1 for 5 slice-down slice=a dur=3\n", "t.tl:1: dur is given by \"for\"" },
		{ "at 1 for 5 slice-latency factor=x\n", "t.tl:1: bad value for factor: \"x\"" },
		{ "at 1 for 5 slice-latency slice=a|b cell=*\n", "t.tl:1: only one object" },
		{ "at 1 for 5 slice-latency slice=a||b\n", "t.tl:1: slice=a||b: an empty choice" },
		{ "at 1 for 5 slice-latency slice=a,factor=3\n", "t.tl:1: one key=value per word" },
		{ "repeat 30\nat 20 for 20 slice-down\n", "t.tl:1: a round of 30 s is shorter" },
		{ "seed x\n", "t.tl:1: seed wants one non-negative integer" },
		{ "# nothing\n", "t.tl:1: no events" },
		{ "at 1 for 5 slice-down\001\n", "t.tl:1: a control character" },
		{ "at 1 for 5 cell-down\n", "t.tl:1: cell-down needs cell=ID" },
	};
	char err[256];
	size_t i;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		err[0] = '\0';
		assert_int_equal(parse(cases[i].text, err, sizeof err), -1);
		if (!strstr(err, cases[i].want))
			fail_msg("%s: got \"%s\", want \"%s\"", cases[i].text, err, cases[i].want);
	}
	/* a line over the cap, and a NUL byte, are refused by line */
	{
		char big[SD_TL_MAX_LINE + 40];
		memset(big, 'x', sizeof big);
		memcpy(big, "at 1 for 1 delay\n", 17);
		big[sizeof big - 1] = '\n';
		assert_int_equal(sd_sim_timeline_parse(big, sizeof big, "t.tl", &tl, err, sizeof err), -1);
		assert_non_null(strstr(err, "t.tl:2: line longer than"));
		assert_int_equal(sd_sim_timeline_parse("at 1 for 1 delay\0\n", 18, "t.tl", &tl, err,
						       sizeof err), -1);
		assert_non_null(strstr(err, "t.tl:1: a NUL byte"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* tests/unit/test_merge.c — the console's merge of the engine's delta
 * protocol (tui/merge.c): paged snapshots, deltas on the generation held,
 * a gap asking for a resync, a resync snapshot replacing the list, integer
 * ids (alarms), removals of unknown ids, and the cost of a delta on a
 * large list (printed, not asserted). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui/merge.h"

/* An event from JSON text (the test's own, so it must parse). */
static json_t *ev(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);
	if (!j) {
		fprintf(stderr, "bad test JSON: %s: %s\n", text, e.text);
		abort();
	}
	return j;
}

static enum sd_merge_rc feed(struct sd_merge *m, const char *text)
{
	json_t *j = ev(text);
	enum sd_merge_rc rc = sd_merge_event(m, j);
	json_decref(j);
	return rc;
}

/* The ids of the list, comma-joined, in array order. */
static const char *ids(const struct sd_merge *m)
{
	static char buf[1024];
	json_t *a = sd_merge_array(m), *o;
	size_t i;
	buf[0] = '\0';
	json_array_foreach(a, i, o) {
		const json_t *id = json_object_get(o, "id");
		char one[64];
		if (json_is_string(id))
			snprintf(one, sizeof one, "%s", json_string_value(id));
		else
			snprintf(one, sizeof one, "#%lld", (long long)json_integer_value(id));
		if (i)
			strncat(buf, ",", sizeof buf - strlen(buf) - 1);
		strncat(buf, one, sizeof buf - strlen(buf) - 1);
	}
	json_decref(a);
	return buf;
}

static const char *member_of(const struct sd_merge *m, const char *id, const char *member)
{
	json_t *k = json_string(id);
	const json_t *o = sd_merge_get(m, k);
	json_decref(k);
	return json_string_value(json_object_get(o, member));
}

static void test_snapshot_pages(void **state)
{
	struct sd_merge *m = sd_merge_new("slices");
	(void)state;
	assert_false(sd_merge_synced(m));
	assert_int_equal(feed(m, "{\"event\":\"slices\",\"snapshot\":{\"gen\":7,\"page\":0,\"pages\":3},"
			      "\"data\":{\"slices\":[{\"id\":\"a\"},{\"id\":\"b\"}]}}"), SD_MERGE_PENDING);
	assert_false(sd_merge_synced(m));
	assert_int_equal(sd_merge_count(m), 0);   /* nothing shown before the last page */
	assert_int_equal(feed(m, "{\"event\":\"slices\",\"snapshot\":{\"gen\":7,\"page\":1,\"pages\":3},"
			      "\"data\":{\"slices\":[{\"id\":\"c\"}]}}"), SD_MERGE_PENDING);
	/* a delta in the middle of a snapshot is not applied */
	assert_int_equal(feed(m, "{\"event\":\"slices\",\"delta\":{\"gen\":8,\"base\":7},"
			      "\"data\":{\"upsert\":[{\"id\":\"z\"}]}}"), SD_MERGE_IGNORED);
	assert_int_equal(feed(m, "{\"event\":\"slices\",\"snapshot\":{\"gen\":7,\"page\":2,\"pages\":3},"
			      "\"data\":{\"slices\":[{\"id\":\"d\"}]}}"), SD_MERGE_CHANGED);
	assert_true(sd_merge_synced(m));
	assert_int_equal(sd_merge_gen(m), 7);
	assert_string_equal(ids(m), "a,b,c,d");

	/* one page, empty: an empty list, complete */
	sd_merge_reset(m);
	assert_int_equal(feed(m, "{\"event\":\"slices\",\"snapshot\":{\"gen\":1,\"page\":0,\"pages\":1},"
			      "\"data\":{\"slices\":[]}}"), SD_MERGE_CHANGED);
	assert_true(sd_merge_synced(m));
	assert_int_equal(sd_merge_count(m), 0);

	/* pages out of order: the snapshot is dropped and a resync asked, once */
	sd_merge_reset(m);
	assert_int_equal(feed(m, "{\"event\":\"slices\",\"snapshot\":{\"gen\":3,\"page\":0,\"pages\":3},"
			      "\"data\":{\"slices\":[{\"id\":\"a\"}]}}"), SD_MERGE_PENDING);
	assert_int_equal(feed(m, "{\"event\":\"slices\",\"snapshot\":{\"gen\":3,\"page\":2,\"pages\":3},"
			      "\"data\":{\"slices\":[{\"id\":\"c\"}]}}"), SD_MERGE_RESYNC);
	assert_int_equal(feed(m, "{\"event\":\"slices\",\"snapshot\":{\"gen\":3,\"page\":1,\"pages\":3},"
			      "\"data\":{\"slices\":[{\"id\":\"b\"}]}}"), SD_MERGE_IGNORED);
	assert_int_equal(sd_merge_count(m), 0);
	/* a page of another generation than the one started */
	assert_int_equal(feed(m, "{\"event\":\"slices\",\"snapshot\":{\"gen\":4,\"page\":0,\"pages\":2},"
			      "\"data\":{\"slices\":[{\"id\":\"a\"}]}}"), SD_MERGE_PENDING);
	assert_int_equal(feed(m, "{\"event\":\"slices\",\"snapshot\":{\"gen\":5,\"page\":1,\"pages\":2},"
			      "\"data\":{\"slices\":[{\"id\":\"b\"}]}}"), SD_MERGE_RESYNC);
	/* a whole-list event is not ours */
	assert_int_equal(feed(m, "{\"event\":\"slices\",\"data\":{\"slices\":[]}}"), SD_MERGE_NOT_DELTA);
	sd_merge_free(m);
}

static void test_delta_apply(void **state)
{
	struct sd_merge *m = sd_merge_new("slices");
	(void)state;
	/* deltas before any snapshot wait for it */
	assert_int_equal(feed(m, "{\"event\":\"slices\",\"delta\":{\"gen\":2,\"base\":1},"
			      "\"data\":{\"upsert\":[{\"id\":\"x\"}]}}"), SD_MERGE_IGNORED);
	assert_int_equal(feed(m, "{\"event\":\"slices\",\"snapshot\":{\"gen\":7,\"page\":0,\"pages\":1},"
			      "\"data\":{\"slices\":[{\"id\":\"a\",\"state\":\"active\"},"
			      "{\"id\":\"b\",\"state\":\"active\"},{\"id\":\"c\",\"state\":\"active\"}]}}"),
			 SD_MERGE_CHANGED);
	/* upsert replaces in place, appends the new, removes by id */
	assert_int_equal(feed(m, "{\"event\":\"slices\",\"delta\":{\"gen\":8,\"base\":7},"
			      "\"data\":{\"upsert\":[{\"id\":\"b\",\"state\":\"suspended\"},{\"id\":\"d\"}],"
			      "\"remove\":[\"a\"]}}"), SD_MERGE_CHANGED);
	assert_int_equal(sd_merge_gen(m), 8);
	assert_string_equal(ids(m), "b,c,d");
	assert_string_equal(member_of(m, "b", "state"), "suspended");
	assert_null(member_of(m, "a", "state"));
	/* removing an id not held, or one of the wrong type, changes nothing */
	assert_int_equal(feed(m, "{\"event\":\"slices\",\"delta\":{\"gen\":9,\"base\":8},"
			      "\"data\":{\"remove\":[\"nosuch\",17,null,\"a\"]}}"), SD_MERGE_CHANGED);
	assert_string_equal(ids(m), "b,c,d");
	assert_int_equal(sd_merge_gen(m), 9);
	/* an object without a usable id is skipped */
	assert_int_equal(feed(m, "{\"event\":\"slices\",\"delta\":{\"gen\":10,\"base\":9},"
			      "\"data\":{\"upsert\":[{\"name\":\"no id\"},{\"id\":[1]},\"text\",{\"id\":\"e\"}]}}"),
			 SD_MERGE_CHANGED);
	assert_string_equal(ids(m), "b,c,d,e");
	/* removed then upserted again: back, at the end */
	assert_int_equal(feed(m, "{\"event\":\"slices\",\"delta\":{\"gen\":11,\"base\":10},"
			      "\"data\":{\"remove\":[\"b\"]}}"), SD_MERGE_CHANGED);
	assert_int_equal(feed(m, "{\"event\":\"slices\",\"delta\":{\"gen\":12,\"base\":11},"
			      "\"data\":{\"upsert\":[{\"id\":\"b\",\"state\":\"active\"}]}}"), SD_MERGE_CHANGED);
	assert_string_equal(ids(m), "c,d,e,b");
	sd_merge_free(m);
}

static void test_gap_and_resync(void **state)
{
	struct sd_merge *m = sd_merge_new("sites");
	(void)state;
	assert_int_equal(feed(m, "{\"event\":\"sites\",\"snapshot\":{\"gen\":7,\"page\":0,\"pages\":1},"
			      "\"data\":{\"sites\":[{\"id\":\"s1\"},{\"id\":\"s2\"}]}}"), SD_MERGE_CHANGED);
	/* base 8 while we hold 7: we missed a delta */
	assert_int_equal(feed(m, "{\"event\":\"sites\",\"delta\":{\"gen\":9,\"base\":8},"
			      "\"data\":{\"upsert\":[{\"id\":\"s3\"}]}}"), SD_MERGE_RESYNC);
	assert_false(sd_merge_synced(m));
	assert_true(sd_merge_ever_synced(m));
	/* until the fresh snapshot, deltas are ignored, and no second resync is asked */
	assert_int_equal(feed(m, "{\"event\":\"sites\",\"delta\":{\"gen\":10,\"base\":9},"
			      "\"data\":{\"remove\":[\"s1\"]}}"), SD_MERGE_IGNORED);
	assert_string_equal(ids(m), "s1,s2");   /* the last list stays on screen meanwhile */
	/* the resync snapshot replaces the list whole */
	assert_int_equal(feed(m, "{\"event\":\"sites\",\"snapshot\":{\"gen\":10,\"page\":0,\"pages\":2,"
			      "\"resync\":true},\"data\":{\"sites\":[{\"id\":\"s2\"}]}}"), SD_MERGE_PENDING);
	assert_string_equal(ids(m), "s1,s2");
	assert_int_equal(feed(m, "{\"event\":\"sites\",\"snapshot\":{\"gen\":10,\"page\":1,\"pages\":2,"
			      "\"resync\":true},\"data\":{\"sites\":[{\"id\":\"s4\"}]}}"), SD_MERGE_CHANGED);
	assert_string_equal(ids(m), "s2,s4");
	assert_int_equal(sd_merge_gen(m), 10);
	assert_true(sd_merge_synced(m));
	/* deltas apply again; a later gap asks again */
	assert_int_equal(feed(m, "{\"event\":\"sites\",\"delta\":{\"gen\":11,\"base\":10},"
			      "\"data\":{\"upsert\":[{\"id\":\"s5\"}]}}"), SD_MERGE_CHANGED);
	assert_int_equal(feed(m, "{\"event\":\"sites\",\"delta\":{\"gen\":13,\"base\":12},"
			      "\"data\":{}}"), SD_MERGE_RESYNC);
	/* a malformed delta is a gap too */
	sd_merge_reset(m);
	assert_int_equal(feed(m, "{\"event\":\"sites\",\"snapshot\":{\"gen\":1,\"page\":0,\"pages\":1},"
			      "\"data\":{\"sites\":[]}}"), SD_MERGE_CHANGED);
	assert_int_equal(feed(m, "{\"event\":\"sites\",\"delta\":{\"gen\":2,\"base\":1},"
			      "\"data\":{\"upsert\":{\"id\":\"x\"}}}"), SD_MERGE_RESYNC);
	/* an unprompted snapshot (the engine dropped deltas) replaces too */
	assert_int_equal(feed(m, "{\"event\":\"sites\",\"snapshot\":{\"gen\":40,\"page\":0,\"pages\":1,"
			      "\"resync\":true},\"data\":{\"sites\":[{\"id\":\"q\"}]}}"), SD_MERGE_CHANGED);
	assert_int_equal(feed(m, "{\"event\":\"sites\",\"snapshot\":{\"gen\":41,\"page\":0,\"pages\":1,"
			      "\"resync\":true},\"data\":{\"sites\":[{\"id\":\"r\"}]}}"), SD_MERGE_CHANGED);
	assert_string_equal(ids(m), "r");
	sd_merge_free(m);
}

static void test_integer_ids(void **state)
{
	struct sd_merge *m = sd_merge_new("alarms");
	json_t *k;
	(void)state;
	assert_int_equal(feed(m, "{\"event\":\"alarms\",\"snapshot\":{\"gen\":1,\"page\":0,\"pages\":1},"
			      "\"data\":{\"alarms\":[{\"id\":1,\"severity\":\"major\"},{\"id\":2},"
			      "{\"id\":\"2\",\"note\":\"a string id is another key\"}]}}"), SD_MERGE_CHANGED);
	assert_string_equal(ids(m), "#1,#2,2");
	assert_int_equal(feed(m, "{\"event\":\"alarms\",\"delta\":{\"gen\":2,\"base\":1},"
			      "\"data\":{\"upsert\":[{\"id\":1,\"severity\":\"cleared\"},{\"id\":3}],"
			      "\"remove\":[2,99]}}"), SD_MERGE_CHANGED);
	assert_string_equal(ids(m), "#1,2,#3");
	k = json_integer(1);
	assert_string_equal(json_string_value(json_object_get(sd_merge_get(m, k), "severity")),
			    "cleared");
	json_decref(k);
	assert_int_equal(feed(m, "{\"event\":\"alarms\",\"delta\":{\"gen\":3,\"base\":2},"
			      "\"data\":{\"remove\":[\"2\"]}}"), SD_MERGE_CHANGED);
	assert_string_equal(ids(m), "#1,#3");
	sd_merge_free(m);
}

/* Removal from the open-addressing index must keep every other id
 * findable: many ids, removed in a scattered order, checked each time. */
static void test_index_churn(void **state)
{
	struct sd_merge *m = sd_merge_new("cells");
	json_t *e, *page, *d, *ups, *rms;
	int i, k, round;
	(void)state;
	page = json_array();
	for (i = 0; i < 3000; i++) {
		char id[16];
		snprintf(id, sizeof id, "c%d", i);
		json_array_append_new(page, json_pack("{s:s, s:i}", "id", id, "n", i));
	}
	e = json_pack("{s:s, s:{s:i, s:i, s:i}, s:{s:o}}", "event", "cells", "snapshot", "gen", 1,
		      "page", 0, "pages", 1, "data", "cells", page);
	assert_int_equal(sd_merge_event(m, e), SD_MERGE_CHANGED);
	json_decref(e);
	for (round = 0; round < 3; round++) {
		ups = json_array();
		rms = json_array();
		for (i = round; i < 3000; i += 7) {
			char id[16];
			snprintf(id, sizeof id, "c%d", (i * 1031) % 3000);
			json_array_append_new(rms, json_string(id));
		}
		for (i = 0; i < 50; i++) {
			char id[16];
			snprintf(id, sizeof id, "n%d-%d", round, i);
			json_array_append_new(ups, json_pack("{s:s}", "id", id));
		}
		d = json_pack("{s:s, s:{s:i, s:i}, s:{s:o, s:o}}", "event", "cells", "delta", "gen",
			      round + 2, "base", round + 1, "data", "upsert", ups, "remove", rms);
		assert_int_equal(sd_merge_event(m, d), SD_MERGE_CHANGED);
		json_decref(d);
	}
	/* every id is where the same removals computed by hand say */
	for (i = 0, k = 0; i < 3000; i++) {
		char id[16];
		bool gone = false;
		json_t *key;
		for (round = 0; round < 3 && !gone; round++) {
			int j;
			for (j = round; j < 3000 && !gone; j += 7)
				gone = (j * 1031) % 3000 == i;
		}
		snprintf(id, sizeof id, "c%d", i);
		key = json_string(id);
		if (gone)
			assert_null(sd_merge_get(m, key));
		else
			assert_int_equal(json_integer_value(json_object_get(sd_merge_get(m, key), "n")), i);
		k += !gone;
		json_decref(key);
	}
	assert_int_equal(sd_merge_count(m), (size_t)k + 150);
	sd_merge_free(m);
}

static double secs_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* 10,000 deltas (one upsert and one removal each) on a 100,000-slice list:
 * each must cost O(1), not O(n). The time is printed, not asserted (the
 * machine is shared); O(n) deltas would take minutes here. */
static void test_large_list(void **state)
{
	enum { N = 100000, D = 10000 };
	struct sd_merge *m = sd_merge_new("slices");
	struct timespec t0;
	json_t *page, *e;
	char id[32];
	int i, p;
	(void)state;
	/* the snapshot in pages of 1,000, as the engine sends it */
	for (p = 0; p < N / 1000; p++) {
		page = json_array();
		for (i = p * 1000; i < (p + 1) * 1000; i++) {
			snprintf(id, sizeof id, "slice-%06d", i);
			json_array_append_new(page, json_pack("{s:s, s:s, s:i}", "id", id, "state",
							      "active", "n", i));
		}
		e = json_pack("{s:s, s:{s:i, s:i, s:i}, s:{s:o}}", "event", "slices", "snapshot",
			      "gen", 1, "page", p, "pages", N / 1000, "data", "slices", page);
		assert_int_equal(sd_merge_event(m, e), p == N / 1000 - 1 ? SD_MERGE_CHANGED :
				 SD_MERGE_PENDING);
		json_decref(e);
	}
	assert_int_equal(sd_merge_count(m), N);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < D; i++) {
		char rm[32];
		snprintf(id, sizeof id, "slice-%06d", (i * 7919) % N);
		snprintf(rm, sizeof rm, "slice-%06d", (i * 104729 + 13) % N);
		e = json_pack("{s:s, s:{s:i, s:i}, s:{s:[{s:s, s:s}], s:[s]}}", "event", "slices",
			      "delta", "gen", i + 2, "base", i + 1, "data", "upsert", "id", id,
			      "state", "suspended", "remove", rm);
		assert_int_equal(sd_merge_event(m, e), SD_MERGE_CHANGED);
		json_decref(e);
	}
	printf("merge: %d deltas on a %d-object list in %.3f s (%.1f us each)\n", D, N,
	       secs_since(&t0), secs_since(&t0) * 1e6 / D);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	e = sd_merge_array(m);
	printf("merge: the view's array of %zu objects built in %.3f s\n", json_array_size(e),
	       secs_since(&t0));
	assert_int_equal(json_array_size(e), sd_merge_count(m));
	assert_true(sd_merge_count(m) <= N);
	json_decref(e);
	sd_merge_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snapshot_pages),
		cmocka_unit_test(test_delta_apply),
		cmocka_unit_test(test_gap_and_resync),
		cmocka_unit_test(test_integer_ids),
		cmocka_unit_test(test_index_churn),
		cmocka_unit_test(test_large_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

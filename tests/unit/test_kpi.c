/* tests/unit/test_kpi.c — monitor/kpi.c: roll-up windows (counts, min,
 * max, mean per level, alignment, the close hook), latency percentiles of
 * roll-ups against exact sorts, the raw ring, refusals and late samples,
 * history in the store (idempotent, survives reopening), retention, and
 * memory that does not grow with uptime. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/store.h"
#include "core/util.h"
#include "monitor/kpi.h"

static char dir[64], path[128];
/* 2026-11-23T00:00:00Z */
#define T0 1795392000000LL

static int setup(void **st)
{
	strcpy(dir, "/tmp/sd-kpi-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof path, "%s/kpi.db", dir);
	return 0;
}

static int teardown(void **st)
{
	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

struct closes {
	int n[SD_KPI_LEVELS];
	struct sd_kpi_agg last[SD_KPI_LEVELS];
	double p99_last_hour;
};

static void on_close(void *arg, int obj, enum sd_kpi_metric m,
		     const struct sd_kpi_agg *a, const struct sd_sketch *sk)
{
	struct closes *c = arg;
	if (m != SD_KPI_LATENCY)
		return;
	c->n[a->level]++;
	c->last[a->level] = *a;
	assert_non_null(sk);
	assert_int_equal(sk->n, a->count);
	if (a->level == SD_KPI_1H)
		c->p99_last_hour = sd_sketch_quantile(sk, 0.99);
}

static int cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void test_windows(void **st)
{
	struct sd_kpi *k = sd_kpi_new(NULL, NULL, NULL, 0);
	struct closes c = { 0 };
	sd_kpi_set_close_hook(k, on_close, &c);
	int h = sd_kpi_object(k, SD_KPI_SLICE, "f1-vision");
	assert_true(h >= 0);
	assert_int_equal(sd_kpi_object(k, SD_KPI_SLICE, "f1-vision"), h);
	assert_int_equal(sd_kpi_find(k, SD_KPI_SLICE, "f1-vision"), h);
	assert_int_equal(sd_kpi_find(k, SD_KPI_CELL, "f1-vision"), -1);
	/* two hours at 1 sample/s; latency = second of the minute + 1 ms,
	 * throughput a ramp; samples at :00.500 of each second */
	static double hour2[3600];
	for (int s = 0; s < 7200; s++) {
		int64_t t = T0 + s * 1000LL + 500;
		double lat = (s % 60) + 1;
		assert_int_equal(sd_kpi_add(k, h, SD_KPI_LATENCY, t, lat), 0);
		assert_int_equal(sd_kpi_add(k, h, SD_KPI_DL_THROUGHPUT, t, s), 0);
		if (s >= 3600)
			hour2[s - 3600] = lat;
		sd_kpi_tick(k, t);
		if (s == 150) {
			/* the open 5-minute bucket includes the open minute */
			struct sd_kpi_agg a;
			assert_true(sd_kpi_current(k, h, SD_KPI_DL_THROUGHPUT, SD_KPI_5MIN, &a, NULL));
			assert_int_equal(a.count, 151);
			assert_int_equal(a.start_ms, T0);
			assert_true(a.min == 0 && a.max == 150);
			assert_true(sd_kpi_current(k, h, SD_KPI_DL_THROUGHPUT, SD_KPI_1MIN, &a, NULL));
			assert_int_equal(a.count, 31);
			assert_int_equal(a.start_ms, T0 + 120000);
		}
	}
	/* minute 119 is still open until time passes its end */
	assert_int_equal(c.n[SD_KPI_1MIN], 119);
	sd_kpi_tick(k, T0 + 7200 * 1000LL);
	assert_int_equal(c.n[SD_KPI_1MIN], 120);
	assert_int_equal(c.n[SD_KPI_5MIN], 24);
	assert_int_equal(c.n[SD_KPI_1H], 2);
	assert_int_equal(c.n[SD_KPI_1DAY], 0);
	const struct sd_kpi_agg *m = &c.last[SD_KPI_1MIN];
	assert_int_equal(m->start_ms, T0 + 119 * 60000LL);
	assert_int_equal(m->count, 60);
	assert_true(m->min == 1 && m->max == 60);
	assert_true(fabs(m->sum / m->count - 30.5) < 1e-9);
	const struct sd_kpi_agg *f = &c.last[SD_KPI_5MIN];
	assert_int_equal(f->start_ms, T0 + 115 * 60000LL);
	assert_int_equal(f->count, 300);
	const struct sd_kpi_agg *hr = &c.last[SD_KPI_1H];
	assert_int_equal(hr->start_ms, T0 + 3600000);
	assert_int_equal(hr->count, 3600);
	/* the hour's p99 from merged minute sketches vs the exact sort */
	qsort(hour2, 3600, sizeof hour2[0], cmpd);
	double exact = hour2[(size_t)floor(0.99 * 3599)];
	assert_true(fabs(c.p99_last_hour - exact) <= SD_SKETCH_ALPHA * exact);
	/* the day is open: 7200 samples so far */
	struct sd_kpi_agg d;
	struct sd_sketch sk;
	sd_sketch_init(&sk);
	assert_true(sd_kpi_current(k, h, SD_KPI_LATENCY, SD_KPI_1DAY, &d, &sk));
	assert_int_equal(d.count, 7200);
	assert_int_equal(d.start_ms, T0);
	assert_int_equal(sk.n, 7200);
	sd_sketch_done(&sk);
	/* latest and the raw ring (30 by default, oldest first) */
	int64_t t;
	double v;
	assert_true(sd_kpi_latest(k, h, SD_KPI_DL_THROUGHPUT, &t, &v));
	assert_int_equal(t, T0 + 7199 * 1000LL + 500);
	assert_true(v == 7199);
	struct sd_kpi_point pts[64];
	int n = sd_kpi_raw(k, h, SD_KPI_DL_THROUGHPUT, pts, 64);
	assert_int_equal(n, 30);
	assert_true(pts[0].v == 7170 && pts[29].v == 7199);
	assert_int_equal(pts[29].t_ms, T0 + 7199 * 1000LL);
	n = sd_kpi_raw(k, h, SD_KPI_DL_THROUGHPUT, pts, 5);
	assert_int_equal(n, 5);
	assert_true(pts[0].v == 7195 && pts[4].v == 7199);
	assert_false(sd_kpi_latest(k, h, SD_KPI_RSRP, &t, &v));
	sd_kpi_free(k);
}

static void test_refused_and_late(void **st)
{
	struct sd_kpi *k = sd_kpi_new(NULL, NULL, NULL, 0);
	int h = sd_kpi_object(k, SD_KPI_CELL, "c1");
	assert_int_equal(sd_kpi_object(k, SD_KPI_CELL, "bad id"), -1);
	assert_int_equal(sd_kpi_object(k, SD_KPI_KIND_COUNT, "x"), -1);
	assert_int_equal(sd_kpi_add(k, h, SD_KPI_RSRP, T0, NAN), -1);
	assert_int_equal(sd_kpi_add(k, h, SD_KPI_RSRP, T0, -20), -1);     /* > -31 dBm */
	assert_int_equal(sd_kpi_add(k, h, SD_KPI_PACKET_LOSS, T0, 101), -1);
	assert_int_equal(sd_kpi_add(k, h + 7, SD_KPI_RSRP, T0, -90), -1);
	assert_int_equal(sd_kpi_add(k, h, SD_KPI_METRIC_COUNT, T0, 1), -1);
	assert_int_equal(sd_kpi_add_id(k, SD_KPI_CELL, "", SD_KPI_RSRP, T0, -90), -1);
	assert_int_equal(sd_kpi_add(k, h, SD_KPI_RSRP, T0 + 120000, -90), 0);
	/* a sample of an earlier minute than the open bucket is late */
	assert_int_equal(sd_kpi_add(k, h, SD_KPI_RSRP, T0 + 5000, -80), 0);
	struct sd_kpi_stats s;
	sd_kpi_get_stats(k, &s);
	assert_int_equal(s.refused, 6);
	assert_int_equal(s.samples, 2);
	assert_int_equal(s.late, 1);
	struct sd_kpi_agg a;
	assert_true(sd_kpi_current(k, h, SD_KPI_RSRP, SD_KPI_1MIN, &a, NULL));
	assert_int_equal(a.count, 1);
	assert_true(a.max == -90);
	/* parse helpers and the metric table */
	assert_int_equal(sd_kpi_metric_parse("latency"), SD_KPI_LATENCY);
	assert_int_equal(sd_kpi_metric_parse("nope"), -1);
	assert_int_equal(sd_kpi_kind_parse("nf"), SD_KPI_NF);
	assert_string_equal(sd_kpi_level_name(SD_KPI_1H), "1h");
	for (int m = 0; m < SD_KPI_METRIC_COUNT; m++) {
		assert_non_null(sd_kpi_metrics[m].name);
		assert_non_null(sd_kpi_metrics[m].unit);
		assert_int_equal(sd_kpi_metric_parse(sd_kpi_metrics[m].name), m);
	}
	sd_kpi_free(k);
}

struct hist {
	int n;
	struct sd_kpi_agg a[200];
	double p50[200];
};

static void on_hist(void *arg, const struct sd_kpi_agg *a, const struct sd_sketch *sk)
{
	struct hist *h = arg;
	if (h->n < 200) {
		h->a[h->n] = *a;
		h->p50[h->n] = sk ? sd_sketch_quantile(sk, 0.5) : NAN;
	}
	h->n++;
}

static void feed(struct sd_kpi *k, int h, int from_s, int to_s)
{
	for (int s = from_s; s < to_s; s++) {
		int64_t t = T0 + s * 1000LL;
		sd_kpi_add(k, h, SD_KPI_LATENCY, t, 10 + (s % 7));
		sd_kpi_add(k, h, SD_KPI_UES, t, s / 60);
		sd_kpi_tick(k, t);
		if (s % 10 == 9)
			assert_true(sd_kpi_flush(k) >= 0);
	}
}

static void test_history_store(void **st)
{
	char err[256] = "";
	struct sd_store *db = sd_store_open(path, err, sizeof err);
	assert_non_null(db);
	struct sd_kpi *k = sd_kpi_new(NULL, db, err, sizeof err);
	assert_non_null(k);
	int h = sd_kpi_object(k, SD_KPI_SLICE, "s1");
	feed(k, h, 0, 600);
	sd_kpi_tick(k, T0 + 600000);
	assert_true(sd_kpi_flush(k) > 0);
	struct sd_kpi_stats s;
	sd_kpi_get_stats(k, &s);
	/* 10 + 2 per metric, two metrics */
	assert_int_equal(s.rows_written, 24);
	assert_int_equal(s.pending, 0);
	sd_kpi_free(k);
	sd_store_close(db);

	/* reopen: history is there, with sketches for latency only */
	db = sd_store_open(path, err, sizeof err);
	k = sd_kpi_new(NULL, db, err, sizeof err);
	assert_non_null(k);
	struct hist hs = { 0 };
	assert_int_equal(sd_kpi_history(k, SD_KPI_SLICE, "s1", SD_KPI_LATENCY, SD_KPI_1MIN,
					T0, T0 + 3600000, on_hist, &hs), 10);
	assert_int_equal(hs.n, 10);
	for (int i = 0; i < 10; i++) {
		assert_int_equal(hs.a[i].start_ms, T0 + i * 60000LL);
		assert_int_equal(hs.a[i].count, 60);
		assert_true(hs.a[i].min == 10 && hs.a[i].max == 16);
		assert_true(fabs(hs.p50[i] - 13) <= 0.13);
	}
	hs.n = 0;
	assert_int_equal(sd_kpi_history(k, SD_KPI_SLICE, "s1", SD_KPI_UES, SD_KPI_5MIN,
					T0, T0 + 3600000, on_hist, &hs), 2);
	assert_true(isnan(hs.p50[0]));
	assert_true(hs.a[1].min == 5 && hs.a[1].max == 9);
	/* a range selects by start */
	hs.n = 0;
	assert_int_equal(sd_kpi_history(k, SD_KPI_SLICE, "s1", SD_KPI_LATENCY, SD_KPI_1MIN,
					T0 + 120000, T0 + 240000, on_hist, &hs), 2);
	/* idempotent: the same ten minutes again (a replay after a restart)
	 * store nothing new */
	h = sd_kpi_object(k, SD_KPI_SLICE, "s1");
	feed(k, h, 0, 600);
	sd_kpi_tick(k, T0 + 600000);
	assert_true(sd_kpi_flush(k) >= 0);
	hs.n = 0;
	assert_int_equal(sd_kpi_history(k, SD_KPI_SLICE, "s1", SD_KPI_LATENCY, SD_KPI_1MIN,
					T0, T0 + 3600000, on_hist, &hs), 10);
	struct sd_stmt *q = sd_store_prepare(db, "SELECT COUNT(*) FROM kpi_rollup");
	assert_int_equal(sd_stmt_step(q), 1);
	assert_int_equal(sd_stmt_int(q, 0), 24);
	sd_stmt_reset(q);
	q = sd_store_prepare(db, "SELECT COUNT(*) FROM kpi_object");
	assert_int_equal(sd_stmt_step(q), 1);
	assert_int_equal(sd_stmt_int(q, 0), 1);
	sd_stmt_reset(q);
	sd_kpi_free(k);
	sd_store_close(db);
}

static void test_retention(void **st)
{
	char err[256] = "";
	struct sd_store *db = sd_store_open(path, err, sizeof err);
	struct sd_kpi_conf c;
	sd_kpi_conf_default(&c);
	c.retention_s[SD_KPI_1MIN] = 300;     /* 5 minutes of 1-minute rows */
	struct sd_kpi *k = sd_kpi_new(&c, db, err, sizeof err);
	int h = sd_kpi_object(k, SD_KPI_NF, "amf-1");
	for (int s = 0; s < 1200; s++) {
		sd_kpi_add(k, h, SD_KPI_AVAILABILITY, T0 + s * 1000LL, 100);
		sd_kpi_tick(k, T0 + s * 1000LL);
	}
	sd_kpi_tick(k, T0 + 1200000);
	assert_true(sd_kpi_flush(k) > 0);   /* the first flush prunes */
	struct hist hs = { 0 };
	sd_kpi_history(k, SD_KPI_NF, "amf-1", SD_KPI_AVAILABILITY, SD_KPI_1MIN, 0,
		       INT64_MAX, on_hist, &hs);
	/* 20 minutes written; those starting before now - 300 s are gone */
	assert_int_equal(hs.n, 5);
	assert_int_equal(hs.a[0].start_ms, T0 + 15 * 60000LL);
	hs.n = 0;
	sd_kpi_history(k, SD_KPI_NF, "amf-1", SD_KPI_AVAILABILITY, SD_KPI_5MIN, 0,
		       INT64_MAX, on_hist, &hs);
	assert_int_equal(hs.n, 4);          /* 14 days for 5-minute rows */
	sd_kpi_free(k);
	sd_store_close(db);
}

/* A minute boundary's burst is written over several flushes. */
static void test_flush_spread(void **st)
{
	char err[256] = "";
	struct sd_store *db = sd_store_open(path, err, sizeof err);
	struct sd_kpi_conf c;
	sd_kpi_conf_default(&c);
	c.flush_max_rows = 3;
	struct sd_kpi *k = sd_kpi_new(&c, db, err, sizeof err);
	char id[16];
	for (int i = 0; i < 10; i++) {
		snprintf(id, sizeof id, "c%d", i);
		assert_int_equal(sd_kpi_add_id(k, SD_KPI_CELL, id, SD_KPI_PRB_USAGE, T0, i), 0);
	}
	sd_kpi_tick(k, T0 + 60000);
	struct sd_kpi_stats s;
	sd_kpi_get_stats(k, &s);
	assert_int_equal(s.pending, 10);
	assert_int_equal(sd_kpi_flush(k), 3);
	sd_kpi_get_stats(k, &s);
	assert_int_equal(s.pending, 7);
	assert_int_equal(sd_kpi_flush_all(k), 7);
	sd_kpi_get_stats(k, &s);
	assert_int_equal(s.pending, 0);
	assert_int_equal(s.rows_written, 10);
	struct hist hs = { 0 };
	assert_int_equal(sd_kpi_history(k, SD_KPI_CELL, "c9", SD_KPI_PRB_USAGE, SD_KPI_1MIN,
					T0, T0 + 60000, on_hist, &hs), 1);
	assert_true(hs.a[0].max == 9);
	sd_kpi_free(k);
	sd_store_close(db);
}

static void test_memory_bounded(void **st)
{
	struct sd_kpi *k = sd_kpi_new(NULL, NULL, NULL, 0);
	int h[50];
	char id[16];
	for (int i = 0; i < 50; i++) {
		snprintf(id, sizeof id, "s%d", i);
		h[i] = sd_kpi_object(k, SD_KPI_SLICE, id);
	}
	size_t after_1h = 0;
	for (int s = 0; s < 3 * 3600; s++) {
		int64_t t = T0 + s * 1000LL;
		for (int i = 0; i < 50; i++)
			sd_kpi_add(k, h[i], SD_KPI_LATENCY, t, 1 + (s * 7 + i) % 40);
		sd_kpi_tick(k, t);
		if (s == 3600) {
			struct sd_kpi_stats a;
			sd_kpi_get_stats(k, &a);
			after_1h = a.bytes;
		}
	}
	struct sd_kpi_stats b;
	sd_kpi_get_stats(k, &b);
	assert_true(after_1h > 0);
	assert_int_equal(b.bytes, after_1h);     /* three hours cost what one did */
	assert_int_equal(b.series, 50);
	sd_kpi_free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_windows),
		cmocka_unit_test(test_refused_and_late),
		cmocka_unit_test_setup_teardown(test_history_store, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retention, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flush_spread, setup, teardown),
		cmocka_unit_test(test_memory_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

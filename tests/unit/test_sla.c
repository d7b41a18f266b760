/* tests/unit/test_sla.c — monitor/sla.c: the rule set per KPI (met,
 * breached, no-data, n/a; throughput only with demand; 5QI budgets),
 * hysteresis (a flapping KPI makes no event; N windows make one),
 * windows fed from the KPI store end to end, compliance for a synthetic
 * month against a hand-computed value, persistence across a restart. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/store.h"
#include "core/util.h"
#include "engine/config_sections.h"
#include "monitor/coverage.h"
#include "monitor/kpi.h"
#include "monitor/sla.h"

/* 2026-11-01T00:00:00Z */
#define NOV1 1793491200000LL
#define WIN 300000LL

static char dir[64], path[128];

static int setup(void **st)
{
	strcpy(dir, "/tmp/sd-sla-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof path, "%s/sla.db", dir);
	return 0;
}

static int teardown(void **st)
{
	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static struct sd_sla_profile profile(void)
{
	struct sd_sla_profile p = {
		.gbr_ul_kbps = 10000, .gbr_dl_kbps = 20000,
		.latency_us = 20000, .latency_pct = 99.0,
		.reliability_pct = 99.99, .availability_pct = 99.9,
		.max_ues = 50, .fiveqi = 82,
	};
	return p;
}

static void test_rules(void **st)
{
	struct sd_sla_profile p = profile();
	struct sd_sla_inputs in;
	struct sd_sla_result r[SD_SLA_KPI_COUNT];
	sd_sla_inputs_init(&in, NOV1);
	/* nothing observed: every stated KPI is no-data */
	sd_sla_evaluate(&p, &in, 5, r);
	for (int k = 0; k < SD_SLA_KPI_COUNT; k++)
		assert_int_equal(r[k].verdict, SD_SLA_NODATA);
	/* 1000 latencies: 985 at 5 ms, 15 at 30 ms: p99 = 30 > 20 -> breached;
	 * p98 = 5 <= 10 ms (5QI 82's PDB) -> met */
	for (int i = 0; i < 1000; i++)
		sd_sla_inputs_add(&in, SD_KPI_LATENCY, i < 985 ? 5.0 : 30.0);
	sd_sla_evaluate(&p, &in, 5, r);
	assert_int_equal(r[SD_SLA_LATENCY].verdict, SD_SLA_BREACHED);
	assert_true(fabs(r[SD_SLA_LATENCY].observed - 30) <= 0.3);
	assert_true(r[SD_SLA_LATENCY].target == 20);
	assert_int_equal(r[SD_SLA_5QI_DELAY].verdict, SD_SLA_MET);
	assert_true(r[SD_SLA_5QI_DELAY].target == 10);
	/* the same at p98.0 stated in the contract: met */
	p.latency_pct = 98.0;
	sd_sla_evaluate(&p, &in, 5, r);
	assert_int_equal(r[SD_SLA_LATENCY].verdict, SD_SLA_MET);
	p.latency_pct = 99.0;

	/* throughput without demand samples: no-data; with zero demand:
	 * no-data; demand below GBR: judged against demand */
	sd_sla_inputs_add(&in, SD_KPI_DL_THROUGHPUT, 4000);
	sd_sla_evaluate(&p, &in, 5, r);
	assert_int_equal(r[SD_SLA_DL_RATE].verdict, SD_SLA_NODATA);
	sd_sla_inputs_add(&in, SD_KPI_DL_DEMAND, 0);
	sd_sla_evaluate(&p, &in, 5, r);
	assert_int_equal(r[SD_SLA_DL_RATE].verdict, SD_SLA_NODATA);
	sd_sla_inputs_add(&in, SD_KPI_DL_DEMAND, 8400);  /* mean demand 4200 */
	sd_sla_evaluate(&p, &in, 5, r);
	assert_int_equal(r[SD_SLA_DL_RATE].verdict, SD_SLA_MET);   /* 4000 >= 3990 */
	assert_true(fabs(r[SD_SLA_DL_RATE].target - 3990) < 1e-9);
	sd_sla_inputs_add(&in, SD_KPI_DL_THROUGHPUT, 3000);       /* mean 3500 */
	sd_sla_evaluate(&p, &in, 5, r);
	assert_int_equal(r[SD_SLA_DL_RATE].verdict, SD_SLA_BREACHED);
	/* demand above GBR: judged against the GBR */
	sd_sla_inputs_add(&in, SD_KPI_UL_DEMAND, 50000);
	sd_sla_inputs_add(&in, SD_KPI_UL_THROUGHPUT, 9600);
	sd_sla_evaluate(&p, &in, 5, r);
	assert_int_equal(r[SD_SLA_UL_RATE].verdict, SD_SLA_MET);    /* >= 9500 */
	sd_sla_evaluate(&p, &in, 0, r);
	assert_int_equal(r[SD_SLA_UL_RATE].verdict, SD_SLA_BREACHED); /* < 10000 */

	/* reliability 99.99 %: loss 0.005 % met, 0.02 % breached; PER 1e-4 */
	sd_sla_inputs_add(&in, SD_KPI_PACKET_LOSS, 0.005);
	sd_sla_evaluate(&p, &in, 5, r);
	assert_int_equal(r[SD_SLA_RELIABILITY].verdict, SD_SLA_MET);
	assert_int_equal(r[SD_SLA_5QI_PER].verdict, SD_SLA_MET);     /* 5e-5 <= 1e-4 */
	sd_sla_inputs_add(&in, SD_KPI_PACKET_LOSS, 0.035);          /* mean 0.02 % */
	sd_sla_evaluate(&p, &in, 5, r);
	assert_int_equal(r[SD_SLA_RELIABILITY].verdict, SD_SLA_BREACHED);
	assert_int_equal(r[SD_SLA_5QI_PER].verdict, SD_SLA_BREACHED); /* 2e-4 */
	assert_true(fabs(r[SD_SLA_RELIABILITY].observed - 99.98) < 1e-9);

	/* availability: mean of usable shares */
	sd_sla_inputs_add(&in, SD_KPI_AVAILABILITY, 100);
	sd_sla_inputs_add(&in, SD_KPI_AVAILABILITY, 99.9);
	sd_sla_evaluate(&p, &in, 5, r);
	assert_int_equal(r[SD_SLA_AVAILABILITY].verdict, SD_SLA_MET);
	sd_sla_inputs_add(&in, SD_KPI_AVAILABILITY, 90);
	sd_sla_evaluate(&p, &in, 5, r);
	assert_int_equal(r[SD_SLA_AVAILABILITY].verdict, SD_SLA_BREACHED);

	/* max UEs: the peak counts */
	sd_sla_inputs_add(&in, SD_KPI_UES, 10);
	sd_sla_inputs_add(&in, SD_KPI_UES, 50);
	sd_sla_evaluate(&p, &in, 5, r);
	assert_int_equal(r[SD_SLA_MAX_UES].verdict, SD_SLA_MET);
	sd_sla_inputs_add(&in, SD_KPI_UES, 51);
	sd_sla_evaluate(&p, &in, 5, r);
	assert_int_equal(r[SD_SLA_MAX_UES].verdict, SD_SLA_BREACHED);

	/* a profile stating nothing: all n/a; an unknown 5QI: n/a */
	struct sd_sla_profile none = { .fiveqi = 200 };
	sd_sla_evaluate(&none, &in, 5, r);
	for (int k = 0; k < SD_SLA_KPI_COUNT; k++)
		assert_int_equal(r[k].verdict, SD_SLA_NA);
	sd_sla_inputs_done(&in);

	assert_string_equal(sd_sla_kpi_name(SD_SLA_5QI_PER), "5qi_per");
	assert_int_equal(sd_sla_kpi_parse("availability"), SD_SLA_AVAILABILITY);
	assert_string_equal(sd_sla_verdict_name(SD_SLA_NODATA), "no-data");
}

struct events {
	int n;
	struct { char slice[SD_ID_MAX], factory[SD_ID_MAX]; int kpi; bool breach;
		 int64_t start; } e[64];
};

static void on_event(void *arg, const struct sd_sla_event *ev)
{
	struct events *E = arg;
	if (E->n < 64) {
		sd_strlcpy(E->e[E->n].slice, ev->slice, SD_ID_MAX);
		sd_strlcpy(E->e[E->n].factory, ev->factory, SD_ID_MAX);
		E->e[E->n].kpi = ev->kpi;
		E->e[E->n].breach = ev->breach;
		E->e[E->n].start = ev->window_start_ms;
	}
	E->n++;
}

/* One window of latency only: 100 samples at ms. */
static int feed_latency(struct sd_sla *s, const char *slice, int64_t start, double ms)
{
	struct sd_sla_inputs in;
	sd_sla_inputs_init(&in, start);
	if (ms >= 0)
		for (int i = 0; i < 100; i++)
			sd_sla_inputs_add(&in, SD_KPI_LATENCY, ms);
	int rc = sd_sla_feed_window(s, slice, &in);
	sd_sla_inputs_done(&in);
	return rc;
}

static void test_hysteresis(void **st)
{
	char err[256] = "";
	struct sd_sla_conf c;
	sd_sla_conf_default(&c);
	assert_int_equal(c.hysteresis, 2);
	assert_int_equal(c.window_s, 300);
	struct sd_sla *s = sd_sla_new(&c, NULL, NULL, err, sizeof err);
	assert_non_null(s);
	struct events E = { 0 };
	sd_sla_set_event_hook(s, on_event, &E);
	struct sd_sla_profile p = { .latency_us = 20000, .latency_pct = 99 };
	assert_int_equal(sd_sla_set_slice(s, "s1", "f1", &p), 0);
	assert_int_equal(sd_sla_set_slice(s, "bad id", "f1", &p), -1);
	int64_t w = NOV1;
	/* flapping: breached, met, breached, met ... no event */
	for (int i = 0; i < 10; i++, w += WIN)
		assert_int_equal(feed_latency(s, "s1", w, i % 2 ? 5 : 50), 0);
	assert_int_equal(E.n, 0);
	assert_false(sd_sla_is_breached(s, "s1", SD_SLA_LATENCY));
	/* stale or misaligned windows are refused */
	assert_int_equal(feed_latency(s, "s1", w - WIN, 5), -1);
	assert_int_equal(feed_latency(s, "s1", w + 1, 5), -1);
	assert_int_equal(feed_latency(s, "nope", w, 5), -1);
	/* breached, no-data (neither counts nor resets), breached: event */
	assert_int_equal(feed_latency(s, "s1", w, 50), 0);
	w += WIN;
	assert_int_equal(feed_latency(s, "s1", w, -1), 0);
	assert_int_equal(E.n, 0);
	w += WIN;
	assert_int_equal(feed_latency(s, "s1", w, 50), 0);
	assert_int_equal(E.n, 1);
	assert_true(E.e[0].breach);
	assert_string_equal(E.e[0].slice, "s1");
	assert_string_equal(E.e[0].factory, "f1");
	assert_int_equal(E.e[0].kpi, SD_SLA_LATENCY);
	assert_int_equal(E.e[0].start, w);
	assert_true(sd_sla_is_breached(s, "s1", SD_SLA_LATENCY));
	/* still breached: no repeat; one good window: not yet recovered */
	w += WIN;
	feed_latency(s, "s1", w, 50);
	w += WIN;
	feed_latency(s, "s1", w, 5);
	assert_int_equal(E.n, 1);
	w += WIN;
	feed_latency(s, "s1", w, 50);   /* resets the good streak */
	w += WIN;
	feed_latency(s, "s1", w, 5);
	assert_int_equal(E.n, 1);
	w += WIN;
	feed_latency(s, "s1", w, 5);
	assert_int_equal(E.n, 2);
	assert_false(E.e[1].breach);
	assert_false(sd_sla_is_breached(s, "s1", SD_SLA_LATENCY));
	struct sd_sla_result r[SD_SLA_KPI_COUNT];
	int64_t start;
	assert_int_equal(sd_sla_last(s, "s1", r, &start), 0);
	assert_int_equal(start, w);
	assert_int_equal(r[SD_SLA_LATENCY].verdict, SD_SLA_MET);
	assert_int_equal(r[SD_SLA_UL_RATE].verdict, SD_SLA_NA);
	assert_int_equal(sd_sla_last(s, "nope", r, NULL), -1);
	sd_sla_free(s);

	/* bad configuration */
	c.window_s = 90;
	assert_null(sd_sla_new(&c, NULL, NULL, err, sizeof err));
	assert_non_null(strstr(err, "whole number of minutes"));
	sd_sla_conf_default(&c);
	c.hysteresis = 0;
	assert_null(sd_sla_new(&c, NULL, NULL, err, sizeof err));
}

/* The slice-latency fault end to end through the KPI store: samples ->
 * 1-minute roll-ups -> 5-minute windows -> breach -> recovery. */
static void test_from_kpi_store(void **st)
{
	char err[256] = "";
	struct sd_kpi *k = sd_kpi_new(NULL, NULL, err, sizeof err);
	struct sd_sla *s = sd_sla_new(NULL, k, NULL, err, sizeof err);
	assert_non_null(s);
	struct events E = { 0 };
	sd_sla_set_event_hook(s, on_event, &E);
	struct sd_sla_profile p = { .latency_us = 20000, .latency_pct = 99,
				    .availability_pct = 99.9 };
	sd_sla_set_slice(s, "cell-robots", "f2", &p);
	int h = sd_kpi_find(k, SD_KPI_SLICE, "cell-robots");
	assert_true(h >= 0);
	/* 40 minutes: minutes 10..19 degraded (40 ms), the rest 8 ms */
	for (int sec = 0; sec < 40 * 60; sec++) {
		int64_t t = NOV1 + sec * 1000LL;
		int minute = sec / 60;
		double lat = minute >= 10 && minute < 20 ? 40 : 8;
		sd_kpi_add(k, h, SD_KPI_LATENCY, t, lat);
		sd_kpi_add(k, h, SD_KPI_AVAILABILITY, t, 100);
		sd_kpi_tick(k, t);
		sd_sla_tick(s, t);
	}
	sd_kpi_tick(k, NOV1 + 2400000);
	sd_sla_tick(s, NOV1 + 2400000);
	/* windows: 0 ok, 1 ok, 2 bad, 3 bad (breach at window 3), 4 ok,
	 * 5 ok (recovery at window 5), 6, 7 ok */
	assert_int_equal(E.n, 2);
	assert_true(E.e[0].breach);
	assert_int_equal(E.e[0].start, NOV1 + 3 * WIN);
	assert_false(E.e[1].breach);
	assert_int_equal(E.e[1].start, NOV1 + 5 * WIN);
	struct sd_sla_month m;
	assert_int_equal(sd_sla_compliance(s, "cell-robots", SD_SLA_LATENCY, "2026-11", &m), 0);
	assert_int_equal(m.met, 6);
	assert_int_equal(m.breached, 2);
	assert_true(fabs(m.compliance_pct - 75.0) < 1e-9);
	assert_int_equal(sd_sla_compliance(s, "cell-robots", SD_SLA_AVAILABILITY, "2026-11",
					   &m), 0);
	assert_int_equal(m.met, 8);
	assert_true(m.compliance_pct == 100);
	/* a silent slice gets no-data windows */
	for (int sec = 2400; sec < 3000; sec++) {
		sd_kpi_tick(k, NOV1 + sec * 1000LL);
		sd_sla_tick(s, NOV1 + sec * 1000LL);
	}
	sd_sla_tick(s, NOV1 + 3000000);
	assert_int_equal(sd_sla_compliance(s, "cell-robots", SD_SLA_LATENCY, "2026-11", &m), 0);
	assert_int_equal(m.nodata, 2);
	assert_int_equal(m.met + m.breached, 8);
	sd_sla_free(s);
	sd_kpi_free(k);
}

/* Issue 10: the window the engine starts in is partial and is not judged.
 * The engine starts 3.5 minutes into a 5-minute window whose seen part is
 * all breached (40 ms against 20 ms): judged as if whole it would count a
 * breached window and, with hysteresis 1, raise a breach. It must count
 * nothing; the next, whole window (8 ms) is the first verdict. */
static void test_partial_first_window(void **st)
{
	char err[256] = "";
	struct sd_kpi *k = sd_kpi_new(NULL, NULL, err, sizeof err);
	struct sd_sla_conf c;
	sd_sla_conf_default(&c);
	c.hysteresis = 1;
	struct sd_sla *s = sd_sla_new(&c, k, NULL, err, sizeof err);
	assert_non_null(s);
	struct events E = { 0 };
	sd_sla_set_event_hook(s, on_event, &E);
	struct sd_sla_profile p = { .latency_us = 20000, .latency_pct = 99 };
	sd_sla_set_slice(s, "cell-robots", "f2", &p);
	int h = sd_kpi_find(k, SD_KPI_SLICE, "cell-robots");
	int64_t start = NOV1 + 210000;
	sd_sla_set_start(s, start);
	for (int64_t t = start; t < NOV1 + 2 * WIN + 1000; t += 1000) {
		sd_kpi_add(k, h, SD_KPI_LATENCY, t, t < NOV1 + WIN ? 40 : 8);
		sd_kpi_tick(k, t);
		sd_sla_tick(s, t);
	}
	assert_int_equal(E.n, 0);
	struct sd_sla_month m;
	assert_int_equal(sd_sla_compliance(s, "cell-robots", SD_SLA_LATENCY, "2026-11", &m), 0);
	assert_int_equal(m.breached, 0);
	assert_int_equal(m.nodata, 0);
	assert_int_equal(m.met, 1);
	int64_t ws = 0;
	struct sd_sla_result r[SD_SLA_KPI_COUNT];
	assert_int_equal(sd_sla_last(s, "cell-robots", r, &ws), 0);
	assert_int_equal(ws, NOV1 + WIN);
	assert_int_equal(r[SD_SLA_LATENCY].verdict, SD_SLA_MET);
	/* an engine started exactly on a boundary judges that window */
	sd_sla_set_start(s, NOV1 + 2 * WIN);
	for (int64_t t = NOV1 + 2 * WIN; t < NOV1 + 3 * WIN + 1000; t += 1000) {
		sd_kpi_add(k, h, SD_KPI_LATENCY, t, 40);
		sd_kpi_tick(k, t);
		sd_sla_tick(s, t);
	}
	assert_int_equal(E.n, 1);
	assert_true(E.e[0].breach);
	assert_int_equal(E.e[0].start, NOV1 + 2 * WIN);
	sd_sla_free(s);
	sd_kpi_free(k);
}

/* A window under a minute (monitor.sla.window_s) is judged from the raw
 * samples: 5-second windows, 20 s degraded in the middle of a minute
 * (which a 1-minute bucket would hide in its mean and judge once). */
static void test_short_windows(void **st)
{
	char err[256] = "";
	struct sd_kpi *k = sd_kpi_new(NULL, NULL, err, sizeof err);
	struct sd_sla_conf c;
	sd_sla_conf_default(&c);
	c.window_s = 5;
	c.hysteresis = 2;
	struct sd_sla *s = sd_sla_new(&c, k, NULL, err, sizeof err);
	assert_non_null(s);
	assert_int_equal(sd_sla_window_s(s), 5);
	struct events E = { 0 };
	sd_sla_set_event_hook(s, on_event, &E);
	struct sd_sla_profile p = { .latency_us = 20000, .latency_pct = 99 };
	sd_sla_set_slice(s, "cell-robots", "f2", &p);
	int h = sd_kpi_find(k, SD_KPI_SLICE, "cell-robots");
	sd_sla_set_start(s, NOV1);
	/* 4 samples a second for 60 s; seconds 20..39 at 40 ms */
	for (int64_t t = NOV1; t <= NOV1 + 60000; t += 250) {
		if (t < NOV1 + 60000)
			sd_kpi_add(k, h, SD_KPI_LATENCY, t,
				   t >= NOV1 + 20000 && t < NOV1 + 40000 ? 40 : 8);
		sd_kpi_tick(k, t);
		sd_sla_tick(s, t);
	}
	/* windows 0-3 met, 4-7 breached (breach at 5, the second), 8-11
	 * met (recovery at 9) */
	assert_int_equal(E.n, 2);
	assert_true(E.e[0].breach);
	assert_int_equal(E.e[0].start, NOV1 + 25000);
	assert_false(E.e[1].breach);
	assert_int_equal(E.e[1].start, NOV1 + 45000);
	struct sd_sla_month m;
	assert_int_equal(sd_sla_compliance(s, "cell-robots", SD_SLA_LATENCY, "2026-11", &m), 0);
	assert_int_equal(m.met, 8);
	assert_int_equal(m.breached, 4);
	sd_sla_free(s);
	sd_kpi_free(k);
	/* a window that does not divide a minute is refused */
	c.window_s = 7;
	assert_null(sd_sla_new(&c, NULL, NULL, err, sizeof err));
	assert_non_null(strstr(err, "divisor of 60"));
}

struct rep {
	int n;
	struct sd_sla_month rows[16];
};

static void on_row(void *arg, const struct sd_sla_month *row)
{
	struct rep *r = arg;
	if (r->n < 16)
		r->rows[r->n] = *row;
	r->n++;
}

/* November 2026: 30 days = 8640 five-minute windows. Day 1 (windows
 * 0..287) has no latency data: 288 no-data. Of windows 288..8639 (8352),
 * those with index % 10 == 0 are breached: 290, 300, ..., 8630 = 835.
 * Met = 8352 - 835 = 7517. Compliance = 7517 / 8352 = 90.002394636 %. */
static void test_compliance_month(void **st)
{
	char err[256] = "";
	struct sd_store *db = sd_store_open(path, err, sizeof err);
	assert_non_null(db);
	struct sd_sla *s = sd_sla_new(NULL, NULL, db, err, sizeof err);
	assert_non_null(s);
	struct sd_sla_profile p = { .latency_us = 10000, .latency_pct = 99.9 };
	sd_sla_set_slice(s, "agv", "f1", &p);
	for (int i = 0; i < 8640; i++) {
		double ms = i < 288 ? -1 : (i % 10 == 0 ? 25 : 4);
		assert_int_equal(feed_latency(s, "agv", NOV1 + i * WIN, ms), 0);
		if (i % 1000 == 999)
			assert_int_equal(sd_sla_flush(s), 0);
	}
	/* the first December window moves the counters to a new month */
	assert_int_equal(feed_latency(s, "agv", NOV1 + 8640 * WIN, 4), 0);
	assert_int_equal(sd_sla_flush(s), 0);
	struct sd_sla_month m;
	assert_int_equal(sd_sla_compliance(s, "agv", SD_SLA_LATENCY, "2026-11", &m), 0);
	assert_int_equal(m.nodata, 288);
	assert_int_equal(m.breached, 835);
	assert_int_equal(m.met, 7517);
	assert_true(fabs(m.compliance_pct - 90.002394636) < 1e-6);
	assert_int_equal(sd_sla_compliance(s, "agv", SD_SLA_LATENCY, "2026-12", &m), 0);
	assert_int_equal(m.met, 1);
	assert_int_equal(sd_sla_compliance(s, "agv", SD_SLA_UL_RATE, "2026-11", &m), -1);
	sd_sla_free(s);
	sd_store_close(db);

	/* after a restart the report reads the same month from the store */
	db = sd_store_open(path, err, sizeof err);
	s = sd_sla_new(NULL, NULL, db, err, sizeof err);
	struct rep r = { 0 };
	assert_int_equal(sd_sla_report(s, "2026-11", NULL, on_row, &r), 1);
	assert_string_equal(r.rows[0].slice, "agv");
	assert_int_equal(r.rows[0].kpi, SD_SLA_LATENCY);
	assert_int_equal(r.rows[0].met, 7517);
	assert_int_equal(r.rows[0].breached, 835);
	assert_true(fabs(r.rows[0].compliance_pct - 90.002394636) < 1e-6);
	r.n = 0;
	assert_int_equal(sd_sla_report(s, "2026-11", "other", on_row, &r), 0);
	/* a restart in the middle of a month continues its counters */
	sd_sla_set_slice(s, "agv", "f1", &p);
	assert_int_equal(feed_latency(s, "agv", NOV1 + 8641 * WIN, 25), 0);
	assert_int_equal(sd_sla_compliance(s, "agv", SD_SLA_LATENCY, "2026-12", &m), 0);
	assert_int_equal(m.met, 1);
	assert_int_equal(m.breached, 1);
	sd_sla_free(s);
	sd_store_close(db);
	char mo[8];
	sd_sla_month_of(NOV1 - 1, mo, sizeof mo);
	assert_string_equal(mo, "2026-10");
}

static void test_state_survives_restart(void **st)
{
	char err[256] = "";
	struct sd_store *db = sd_store_open(path, err, sizeof err);
	struct sd_sla *s = sd_sla_new(NULL, NULL, db, err, sizeof err);
	struct events E = { 0 };
	sd_sla_set_event_hook(s, on_event, &E);
	struct sd_sla_profile p = { .latency_us = 20000, .latency_pct = 99 };
	sd_sla_set_slice(s, "s1", "f1", &p);
	feed_latency(s, "s1", NOV1, 50);
	feed_latency(s, "s1", NOV1 + WIN, 50);
	assert_int_equal(E.n, 1);
	assert_int_equal(sd_sla_flush(s), 0);
	sd_sla_free(s);
	sd_store_close(db);

	db = sd_store_open(path, err, sizeof err);
	s = sd_sla_new(NULL, NULL, db, err, sizeof err);
	E.n = 0;
	sd_sla_set_event_hook(s, on_event, &E);
	sd_sla_set_slice(s, "s1", "f1", &p);
	assert_true(sd_sla_is_breached(s, "s1", SD_SLA_LATENCY));
	feed_latency(s, "s1", NOV1 + 2 * WIN, 50);   /* no repeated breach */
	assert_int_equal(E.n, 0);
	feed_latency(s, "s1", NOV1 + 3 * WIN, 5);
	feed_latency(s, "s1", NOV1 + 4 * WIN, 5);
	assert_int_equal(E.n, 1);
	assert_false(E.e[0].breach);
	assert_int_equal(sd_sla_flush(s), 0);
	struct sd_stmt *q = sd_store_prepare(db, "SELECT kind FROM sla_event ORDER BY "
					     "window_start_ms");
	assert_int_equal(sd_stmt_step(q), 1);
	assert_string_equal(sd_stmt_text(q, 0), "breach");
	assert_int_equal(sd_stmt_step(q), 1);
	assert_string_equal(sd_stmt_text(q, 0), "recovery");
	assert_int_equal(sd_stmt_step(q), 0);
	sd_stmt_reset(q);
	sd_sla_free(s);
	sd_store_close(db);
}

static void test_json(void **st)
{
	char err[256] = "";
	struct sd_sla *s = sd_sla_new(NULL, NULL, NULL, err, sizeof err);
	struct sd_sla_profile p = { .latency_us = 20000, .latency_pct = 99, .max_ues = 10 };
	sd_sla_set_slice(s, "s1", "f1", &p);
	assert_true(json_is_null(sd_sla_last_to_json(s, "s1")));
	feed_latency(s, "s1", NOV1, 30);
	json_t *j = sd_sla_last_to_json(s, "s1");
	assert_string_equal(json_string_value(json_object_get(j, "window_start")),
			    "2026-11-01T00:00:00.000Z");
	json_t *k = json_object_get(j, "kpis");
	assert_int_equal(json_object_size(k), 2);     /* latency, max_ues; not n/a ones */
	json_t *l = json_object_get(k, "latency");
	assert_string_equal(json_string_value(json_object_get(l, "verdict")), "breached");
	assert_true(fabs(json_real_value(json_object_get(l, "observed")) - 30) < 0.3);
	assert_true(json_real_value(json_object_get(l, "target")) == 20);
	assert_string_equal(json_string_value(json_object_get(l, "unit")), "ms");
	assert_true(json_is_false(json_object_get(l, "breached")));   /* 1 of 2 windows */
	json_t *u = json_object_get(k, "max_ues");
	assert_string_equal(json_string_value(json_object_get(u, "verdict")), "no-data");
	assert_true(json_is_null(json_object_get(u, "observed")));
	json_decref(j);
	struct sd_sla_month m;
	assert_int_equal(sd_sla_compliance(s, "s1", SD_SLA_MAX_UES, "2026-11", &m), 0);
	j = sd_sla_month_to_json(&m);
	assert_string_equal(json_string_value(json_object_get(j, "kpi")), "max_ues");
	assert_int_equal(json_integer_value(json_object_get(j, "no_data")), 1);
	assert_true(json_is_null(json_object_get(j, "compliance_pct")));
	json_decref(j);
	assert_int_equal(sd_sla_compliance(s, "s1", SD_SLA_LATENCY, "2026-11", &m), 0);
	j = sd_sla_month_to_json(&m);
	assert_true(json_real_value(json_object_get(j, "compliance_pct")) == 0);
	assert_int_equal(json_integer_value(json_object_get(j, "breached")), 1);
	json_decref(j);
	sd_sla_free(s);
}

static long month_rows(struct sd_store *db)
{
	struct sd_stmt *q = sd_store_prepare(db, "SELECT COUNT(*) FROM sla_month");
	assert_int_equal(sd_stmt_step(q), 1);
	long n = (long)sd_stmt_int(q, 0);
	sd_stmt_reset(q);
	return n;
}

/* A window boundary's writes are spread over flushes of 1000 slices. */
static void test_flush_spread(void **st)
{
	char err[256] = "";
	struct sd_store *db = sd_store_open(path, err, sizeof err);
	struct sd_sla *s = sd_sla_new(NULL, NULL, db, err, sizeof err);
	struct sd_sla_profile p = { .latency_us = 20000, .latency_pct = 99 };
	char id[16];
	for (int i = 0; i < 2500; i++) {
		snprintf(id, sizeof id, "s%d", i);
		sd_sla_set_slice(s, id, "f1", &p);
		assert_int_equal(feed_latency(s, id, NOV1, 5), 0);
	}
	assert_int_equal(sd_sla_flush(s), 0);
	assert_int_equal(month_rows(db), 1000);
	assert_int_equal(sd_sla_flush(s), 0);
	assert_int_equal(month_rows(db), 2000);
	assert_int_equal(sd_sla_flush_all(s), 0);
	assert_int_equal(month_rows(db), 2500);
	/* a met window in the ok state changes no stored state */
	struct sd_stmt *q = sd_store_prepare(db, "SELECT COUNT(*) FROM sla_state");
	assert_int_equal(sd_stmt_step(q), 1);
	assert_int_equal(sd_stmt_int(q, 0), 0);
	sd_stmt_reset(q);
	/* a breached one does (the streak a restart needs) */
	assert_int_equal(feed_latency(s, "s7", NOV1 + WIN, 50), 0);
	assert_int_equal(sd_sla_flush_all(s), 0);
	assert_int_equal(sd_stmt_step(q), 1);
	assert_int_equal(sd_stmt_int(q, 0), 1);
	sd_stmt_reset(q);
	sd_sla_free(s);
	sd_store_close(db);
}

static void test_set_model(void **st)
{
	char err[256] = "";
	struct sd_sla *s = sd_sla_new(NULL, NULL, NULL, err, sizeof err);
	struct sd_factory fac[1];
	memset(fac, 0, sizeof fac);
	sd_strlcpy(fac[0].id, "f1", sizeof fac[0].id);
	struct sd_slice sl[3];
	memset(sl, 0, sizeof sl);
	const char *ids[3] = { "on", "paused", "old" };
	enum sd_slice_state states[3] = { SD_SLICE_ACTIVE, SD_SLICE_SUSPENDED,
					  SD_SLICE_DECOMMISSIONED };
	for (int i = 0; i < 3; i++) {
		sd_strlcpy(sl[i].id, ids[i], sizeof sl[i].id);
		sl[i].state = states[i];
		sl[i].factory = 0;
		sl[i].sla.latency_us = 20000;
	}
	struct sd_model m = { .factories = fac, .nfactories = 1, .slices = sl, .nslices = 3 };
	struct events E = { 0 };
	sd_sla_set_event_hook(s, on_event, &E);
	sd_sla_set_model(s, &m);
	assert_int_equal(feed_latency(s, "on", NOV1, 50), 0);
	assert_int_equal(feed_latency(s, "paused", NOV1, 50), -1);
	assert_int_equal(feed_latency(s, "old", NOV1, 50), -1);
	assert_int_equal(feed_latency(s, "on", NOV1 + WIN, 50), 0);
	assert_int_equal(E.n, 1);
	assert_string_equal(E.e[0].factory, "f1");
	/* a reload keeps the state of slices that stay; "on" suspended now */
	sl[1].state = SD_SLICE_ACTIVE;
	sl[0].state = SD_SLICE_SUSPENDED;
	sd_sla_set_model(s, &m);
	assert_true(sd_sla_is_breached(s, "on", SD_SLA_LATENCY));
	assert_int_equal(feed_latency(s, "on", NOV1 + 2 * WIN, 50), -1);
	assert_int_equal(feed_latency(s, "paused", NOV1 + 2 * WIN, 50), 0);
	sd_sla_free(s);
}

static void test_usable_pct(void **st)
{
	struct sd_nf_instance nfs[3];
	memset(nfs, 0, sizeof nfs);
	const char *types[3] = { "AMF", "SMF", "UPF" };
	for (int i = 0; i < 3; i++) {
		sd_strlcpy(nfs[i].type, types[i], sizeof nfs[i].type);
		nfs[i].status = SD_NF_REGISTERED;
		nfs[i].reachable = true;
	}
	struct sd_slice sl;
	memset(&sl, 0, sizeof sl);
	sl.snssai.sst = 1;
	sl.snssai.has_sd = true;
	sl.snssai.sd = 0x000101;
	sl.live.tas_total = -1;
	sl.live.tas_available = -1;
	struct sd_model m = { .nfs = nfs, .nnfs = 0 };
	assert_true(sd_sla_usable_pct(&m, &sl) == -1);      /* nothing known */
	m.nnfs = 3;
	assert_true(sd_sla_usable_pct(&m, &sl) == 100);
	sl.live.tas_total = 4;
	sl.live.tas_available = 3;
	assert_true(sd_sla_usable_pct(&m, &sl) == 75);
	/* the SMF serves another slice only (the array is the NF's; here it
	 * lives on the stack and is never freed) */
	struct sd_snssai smf_sn = { .sst = 1, .has_sd = true, .sd = 0x000202 };
	nfs[1].snssais = &smf_sn;
	nfs[1].nsnssais = 1;
	assert_true(sd_sla_usable_pct(&m, &sl) == 0);
	smf_sn.sd = 0x000101;
	assert_true(sd_sla_usable_pct(&m, &sl) == 75);
	/* the UPF unreachable */
	nfs[2].reachable = false;
	assert_true(sd_sla_usable_pct(&m, &sl) == 0);
}

/* Judged on what is known (issue 9 item 2): the only SMF gone from the
 * inventory is down, not "not judged"; a stale inventory (NRF outage) is
 * no-data, never down; a type never seen is not judged. */
static void test_usable_known(void **st)
{
	(void)st;
	struct sd_nf_instance nfs[2];
	memset(nfs, 0, sizeof nfs);
	sd_strlcpy(nfs[0].type, "AMF", sizeof nfs[0].type);
	sd_strlcpy(nfs[1].type, "SMF", sizeof nfs[1].type);
	for (int i = 0; i < 2; i++) {
		nfs[i].status = SD_NF_REGISTERED;
		nfs[i].reachable = true;
	}
	struct sd_slice sl;
	memset(&sl, 0, sizeof sl);
	sl.snssai.sst = 1;
	sl.live.tas_total = sl.live.tas_available = -1;
	struct sd_model m = { .nfs = nfs, .nnfs = 2 };
	struct sd_sla_usable u;
	sd_sla_usable_init(&u);
	sd_sla_usable_build(&u, &m);
	/* no UPF ever: not judged */
	assert_int_equal(sd_sla_usable_serve(&u, 2, &sl), SD_SERVE_NOT_JUDGED);
	assert_true(sd_sla_usable_pct_with(&u, &sl) == 100);
	/* the NRF outage: every row stale and unreachable -> unknown */
	nfs[0].stale = nfs[1].stale = true;
	nfs[0].reachable = nfs[1].reachable = false;
	sd_sla_usable_build(&u, &m);
	assert_int_equal(sd_sla_usable_serve(&u, 1, &sl), SD_SERVE_UNKNOWN);
	assert_true(sd_sla_usable_pct_with(&u, &sl) == -1);
	/* back; then the only SMF is deleted from the NRF */
	nfs[0].stale = false;
	nfs[0].reachable = true;
	m.nnfs = 1;
	sd_sla_usable_build(&u, &m);
	assert_int_equal(sd_sla_usable_serve(&u, 1, &sl), SD_SERVE_MISSING);
	assert_true(sd_sla_usable_pct_with(&u, &sl) == 0);
	assert_int_equal(sd_sla_usable_serve(&u, 0, &sl), SD_SERVE_OK);
	/* and then the NRF goes away too: the missing SMF is unknown now */
	nfs[0].stale = true;
	nfs[0].reachable = false;
	sd_sla_usable_build(&u, &m);
	assert_int_equal(sd_sla_usable_serve(&u, 1, &sl), SD_SERVE_UNKNOWN);
	assert_true(sd_sla_usable_pct_with(&u, &sl) == -1);
	assert_string_equal(sd_sla_usable_type_name(1), "SMF");
	sd_sla_usable_done(&u);
}

/* The monitor group of the configuration: defaults when absent, values
 * carried into the modules' conf structs, range errors named by key. */
static void test_config_keys(void **st)
{
	struct sd_errlist e;
	sd_errlist_init(&e);
	char cpath[160];
	snprintf(cpath, sizeof cpath, "%s/m.conf", dir);
	/* no monitor group at all: the modules' defaults */
	FILE *f = fopen(cpath, "w");
	fputs("zone = { name = \"z\"; plmn = { mcc = \"001\"; mnc = \"01\"; }; };\n", f);
	fclose(f);
	struct sd_config *c = sd_config_load_schema(cpath, &sd_slicedeck_schema, &e);
	if (!c)
		fail_msg("%s", e.n ? e.msgs[0] : "?");
	struct sd_kpi_conf kc, kd;
	struct sd_sla_conf sc, sdf;
	struct sd_cov_conf cc, cd;
	sd_kpi_conf_from(&kc, sd_monitor_conf_get(c));
	sd_kpi_conf_default(&kd);
	assert_int_equal(kc.raw_len, kd.raw_len);
	for (int l = 0; l < SD_KPI_LEVELS; l++)
		assert_int_equal(kc.retention_s[l], kd.retention_s[l]);
	sd_sla_conf_from(&sc, sd_monitor_conf_get(c));
	sd_sla_conf_default(&sdf);
	assert_int_equal(sc.window_s, sdf.window_s);
	assert_int_equal(sc.hysteresis, sdf.hysteresis);
	assert_true(sc.rate_tolerance_pct == sdf.rate_tolerance_pct);
	sd_cov_conf_from(&cc, sd_monitor_conf_get(c));
	sd_cov_conf_default(&cd);
	assert_true(cc.rsrp_min_dbm == cd.rsrp_min_dbm && cc.sinr_min_db == cd.sinr_min_db);
	assert_true(cc.target_pct == cd.target_pct && cc.grid_m == cd.grid_m);
	assert_int_equal(cc.min_hole_squares, cd.min_hole_squares);
	sd_config_free(c);

	f = fopen(cpath, "w");
	fputs("zone = { name = \"z\"; plmn = { mcc = \"001\"; mnc = \"01\"; }; };\n"
	      "monitor = { kpi = { retention_1min = 7; };\n"
	      "  sla = { window = 10; hysteresis = 3; };\n"
	      "  coverage = { rsrp_min = -100; grid = 5.0; }; };\n", f);
	fclose(f);
	c = sd_config_load_schema(cpath, &sd_slicedeck_schema, &e);
	if (!c)
		fail_msg("%s", e.n ? e.msgs[0] : "?");
	sd_kpi_conf_from(&kc, sd_monitor_conf_get(c));
	assert_int_equal(kc.retention_s[SD_KPI_1MIN], 7 * 86400);
	assert_int_equal(kc.retention_s[SD_KPI_1H], 90 * 86400);
	sd_sla_conf_from(&sc, sd_monitor_conf_get(c));
	assert_int_equal(sc.window_s, 600);
	assert_int_equal(sc.hysteresis, 3);
	sd_cov_conf_from(&cc, sd_monitor_conf_get(c));
	assert_true(cc.rsrp_min_dbm == -100 && cc.grid_m == 5 && cc.sinr_min_db == 0);
	sd_config_free(c);

	f = fopen(cpath, "w");
	fputs("zone = { name = \"z\"; plmn = { mcc = \"001\"; mnc = \"01\"; }; };\n"
	      "monitor = { sla = { window = 0; }; coverage = { rsrp_min = -20; }; };\n", f);
	fclose(f);
	assert_null(sd_config_load_schema(cpath, &sd_slicedeck_schema, &e));
	bool win = false, rsrp = false;
	for (int i = 0; i < e.n; i++) {
		win |= strstr(e.msgs[i], "monitor.sla.window") != NULL;
		rsrp |= strstr(e.msgs[i], "monitor.coverage.rsrp_min") != NULL;
	}
	assert_true(win && rsrp);
	sd_errlist_done(&e);

	/* monitor.sla.window_s: a divisor of a minute, else file:line */
	sd_errlist_init(&e);
	f = fopen(cpath, "w");
	fputs("zone = { name = \"z\"; plmn = { mcc = \"001\"; mnc = \"01\"; }; };\n"
	      "monitor = { sla = { window_s = 30; }; };\n", f);
	fclose(f);
	c = sd_config_load_schema(cpath, &sd_slicedeck_schema, &e);
	if (!c)
		fail_msg("%s", e.n ? e.msgs[0] : "?");
	sd_sla_conf_from(&sc, sd_monitor_conf_get(c));
	assert_int_equal(sc.window_s, 30);
	sd_config_free(c);
	f = fopen(cpath, "w");
	fputs("zone = { name = \"z\"; plmn = { mcc = \"001\"; mnc = \"01\"; }; };\n"
	      "monitor = { sla = {\n window_s = 7; }; };\n", f);
	fclose(f);
	assert_null(sd_config_load_schema(cpath, &sd_slicedeck_schema, &e));
	assert_true(e.n >= 1);
	assert_non_null(strstr(e.msgs[0], "m.conf:3: monitor.sla.window_s: 7 s does not divide"));
	sd_errlist_done(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_hysteresis),
		cmocka_unit_test(test_from_kpi_store),
		cmocka_unit_test(test_partial_first_window),
		cmocka_unit_test(test_short_windows),
		cmocka_unit_test_setup_teardown(test_compliance_month, setup, teardown),
		cmocka_unit_test_setup_teardown(test_state_survives_restart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config_keys, setup, teardown),
		cmocka_unit_test(test_usable_pct),
		cmocka_unit_test(test_usable_known),
		cmocka_unit_test(test_set_model),
		cmocka_unit_test(test_json),
		cmocka_unit_test_setup_teardown(test_flush_spread, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

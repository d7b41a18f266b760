/* tests/unit/test_sim.c — slicedeck-sim: randomness, the synthetic model,
 * the handlers (status and JSON for good and bad requests), fault
 * injection, NF heartbeats and, end to end on the loop, notifications. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/log.h"
#include "core/loop.h"
#include "core/model.h"
#include "core/sbi_server.h"
#include "core/util.h"
#include "sim/control.h"
#include "sim/fault.h"
#include "sim/model.h"
#include "sim/rng.h"
#include "sim/sim.h"

/* Monday 2026-11-23 00:00 in UTC+8 = 2026-11-22T16:00Z. */
#define MONDAY_MIDNIGHT_CST 1795363200000LL
#define HOUR 3600000LL

/* --- a hand-built zone --------------------------------------------------- */

/* Two factories (hybrid, virtual), two sites, three cells in two TAs,
 * three slices: URLLC 2-000001 and eMBB 1-000002 in the hybrid factory,
 * MIoT 3-000003 (only requested) in the virtual one. */
static struct sd_model *zone(void)
{
	struct sd_model *m = sd_calloc(1, sizeof *m);
	strcpy(m->plmn.mcc, "001");
	strcpy(m->plmn.mnc, "01");
	m->nfactories = 2;
	m->factories = sd_calloc(2, sizeof *m->factories);
	strcpy(m->factories[0].id, "f-hyb");
	m->factories[0].mode = SD_MODE_HYBRID;
	strcpy(m->factories[1].id, "f-vir");
	m->factories[1].mode = SD_MODE_VIRTUAL;
	m->nsites = 2;
	m->sites = sd_calloc(2, sizeof *m->sites);
	strcpy(m->sites[0].id, "hall");
	m->sites[0].factory = 0;
	strcpy(m->sites[1].id, "line");
	m->sites[1].factory = 1;
	m->ncells = 3;
	m->cells = sd_calloc(3, sizeof *m->cells);
	strcpy(m->cells[0].id, "c1");
	m->cells[0] = (struct sd_cell){ .id = "c1", .site = 0, .nci = 0x0a1001001, .tac = 0x101,
					.x_m = 100, .y_m = 100 };
	m->cells[1] = (struct sd_cell){ .id = "c2", .site = 0, .nci = 0x0a1001002, .tac = 0x101,
					.x_m = 300, .y_m = 100 };
	m->cells[2] = (struct sd_cell){ .id = "c3", .site = 1, .nci = 0x0b0001001, .tac = 0x201,
					.x_m = 50, .y_m = 40 };
	m->nslices = 3;
	m->slices = sd_calloc(3, sizeof *m->slices);
	strcpy(m->slices[0].id, "rc");
	m->slices[0].snssai = (struct sd_snssai){ .sst = 2, .has_sd = true, .sd = 1 };
	m->slices[0].sla.latency_us = 10000;
	m->slices[0].sla.max_ues = 20;
	strcpy(m->slices[0].dnn, "hyb.mec");
	strcpy(m->slices[1].id, "vision");
	m->slices[1].snssai = (struct sd_snssai){ .sst = 1, .has_sd = true, .sd = 2 };
	m->slices[1].sla.mbr_dl_kbps = 400000;
	strcpy(m->slices[2].id, "meter");
	m->slices[2].snssai = (struct sd_snssai){ .sst = 3, .has_sd = true, .sd = 3 };
	m->slices[2].factory = 1;
	m->slices[2].state = SD_SLICE_REQUESTED;
	for (int i = 0; i < 3; i++) {
		m->slices[i].sites = sd_calloc(1, sizeof(int));
		m->slices[i].nsites = 1;
		m->slices[i].sites[0] = i == 2 ? 1 : 0;
		if (i < 2)
			m->slices[i].state = SD_SLICE_ACTIVE;
	}
	return m;
}

struct fx {
	struct sd_loop *loop;
	struct sd_model *m;
	struct sd_sim *sim;
};

static int setup(void **state)
{
	struct fx *f = sd_calloc(1, sizeof *f);
	struct sd_sim_opts o = { .seed = 42, .hb_timer_s = 10, .utc_offset_min = 480 };
	f->loop = sd_loop_new();
	f->m = zone();
	f->sim = sd_sim_new(f->loop, f->m, &o);
	f->sim->fixed_time_ms = MONDAY_MIDNIGHT_CST + 10 * HOUR;   /* day shift */
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	sd_sim_free(f->sim);
	sd_model_free(f->m);
	sd_loop_free(f->loop);
	free(f);
	return 0;
}

/* --- request plumbing ----------------------------------------------------- */

struct call {
	struct sd_sbi_req req;
	struct sd_sbi_resp resp;
	json_t *json;
};

static void call_done(struct call *c)
{
	free(c->resp.body);
	json_decref(c->json);
	memset(c, 0, sizeof *c);
}

/* Run method+template through the route table (faults included). */
static void call(struct fx *f, struct call *c, const char *method, const char *tmpl,
		 const char *path, const char *query, const char *param, const char *body)
{
	int r = sd_sim_route_index(f->sim, method, tmpl);
	assert_true(r >= 0);
	memset(c, 0, sizeof *c);
	c->req.method = method;
	c->req.path = path;
	c->req.query = query;
	c->req.body = body;
	c->req.body_len = body ? strlen(body) : 0;
	c->req.content_type = body ? "application/json" : NULL;
	if (param) {
		c->req.params[0] = param;
		c->req.nparams = 1;
	}
	c->resp.status = 200;
	sd_sim_serve(f->sim, r, &c->req, &c->resp);
	if (c->resp.body && c->resp.body_len)
		c->json = json_loadb(c->resp.body, c->resp.body_len, 0, NULL);
}

static const char *jstr(json_t *j, const char *key)
{
	return json_string_value(json_object_get(j, key));
}

/* --- rng ---------------------------------------------------------------- */

static void test_rng_deterministic(void **state)
{
	struct sd_sim_rng a, b, c;
	char u1[40], u2[40], u3[40];
	int i, same = 0;
	(void)state;
	sd_sim_rng_seed(&a, 7);
	sd_sim_rng_seed(&b, 7);
	sd_sim_rng_seed(&c, 8);
	for (i = 0; i < 100; i++) {
		uint64_t x = sd_sim_rng_next(&a), y = sd_sim_rng_next(&b), z = sd_sim_rng_next(&c);
		assert_int_equal(x, y);
		same += x == z;
	}
	assert_int_equal(same, 0);
	for (i = 0; i < 1000; i++) {
		double u = sd_sim_rng_unit(&a);
		assert_true(u >= 0.0 && u < 1.0);
	}
	sd_sim_uuid(1, "smf-1", u1, sizeof u1);
	sd_sim_uuid(1, "smf-1", u2, sizeof u2);
	sd_sim_uuid(2, "smf-1", u3, sizeof u3);
	assert_true(sd_is_uuid(u1));
	assert_string_equal(u1, u2);
	assert_string_not_equal(u1, u3);
	assert_int_equal(u1[14], '4');
}

/* --- the model ------------------------------------------------------------ */

static void test_diurnal_curve(void **state)
{
	double night, day, lunch, evening, sunday;
	(void)state;
	night = sd_sim_diurnal(MONDAY_MIDNIGHT_CST + 3 * HOUR, 480);
	day = sd_sim_diurnal(MONDAY_MIDNIGHT_CST + 10 * HOUR, 480);
	lunch = sd_sim_diurnal(MONDAY_MIDNIGHT_CST + 12 * HOUR + 12 * 60000, 480);
	evening = sd_sim_diurnal(MONDAY_MIDNIGHT_CST + 18 * HOUR, 480);
	sunday = sd_sim_diurnal(MONDAY_MIDNIGHT_CST - 14 * HOUR, 480);  /* Sun 10:00 */
	assert_true(day > evening);
	assert_true(evening > night);
	assert_true(lunch < day);
	assert_true(sunday < day);
	assert_true(fabs(day - 1.0) < 1e-9);
	/* shift change at 16:00 dips below both shifts around it */
	assert_true(sd_sim_diurnal(MONDAY_MIDNIGHT_CST + 16 * HOUR, 480) <
		    sd_sim_diurnal(MONDAY_MIDNIGHT_CST + 17 * HOUR, 480));
	/* the same instant seen from UTC (offset 0) is 02:00: night */
	assert_true(sd_sim_diurnal(MONDAY_MIDNIGHT_CST + 10 * HOUR, 0) < 0.5);
}

static void test_model_deterministic(void **state)
{
	struct sd_model *m = zone();
	int s, t, differ = 0;
	(void)state;
	for (s = 0; s < 2; s++) {
		for (t = 0; t < 48; t++) {
			int64_t when = MONDAY_MIDNIGHT_CST + t * HOUR / 2;
			struct sd_sim_kpi a, b, c;
			sd_sim_slice_kpi(m, 99, s, when, 480, NULL, &a);
			sd_sim_slice_kpi(m, 99, s, when, 480, NULL, &b);
			sd_sim_slice_kpi(m, 100, s, when, 480, NULL, &c);
			assert_memory_equal(&a, &b, sizeof a);
			assert_true(a.active);
			assert_true(a.ues >= 0 && a.ues <= 20 * (s == 0) + 50 * (s == 1));
			assert_true(a.load > 0.0 && a.load < 1.0);
			differ += a.ues != c.ues || a.load != c.load;
			assert_true(sd_sim_latency_sample(&a, 99, 5) ==
				    sd_sim_latency_sample(&b, 99, 5));
		}
	}
	assert_true(differ > 40);    /* another seed, another zone */
	/* a requested slice carries nothing */
	{
		struct sd_sim_kpi k;
		sd_sim_slice_kpi(m, 99, 2, MONDAY_MIDNIGHT_CST + 10 * HOUR, 480, NULL, &k);
		assert_false(k.active);
		assert_int_equal(k.ues, 0);
		assert_true(k.dl_mbps == 0.0);
	}
	sd_model_free(m);
}

/* Over many instants, a higher load never gives a lower latency percentile,
 * the tail widens with load, and a busy hour is slower than a quiet one. */
static void test_latency_degrades_with_load(void **state)
{
	struct sd_model *m = zone();
	struct sd_sim_kpi k[200], night, day;
	struct sd_sim_degrade dg = { .latency_factor = 3.0 };
	struct sd_sim_kpi slow;
	int i, j;
	(void)state;
	for (i = 0; i < 200; i++)
		sd_sim_slice_kpi(m, 5, 1, MONDAY_MIDNIGHT_CST + i * 7 * 60000LL, 480, NULL, &k[i]);
	for (i = 0; i < 200; i++)
		for (j = 0; j < 200; j++)
			if (k[i].load > k[j].load) {
				assert_true(k[i].lat_median_ms >= k[j].lat_median_ms);
				assert_true(k[i].lat_p99_ms >= k[j].lat_p99_ms);
				assert_true(k[i].lat_sigma >= k[j].lat_sigma);
			}
	sd_sim_slice_kpi(m, 5, 0, MONDAY_MIDNIGHT_CST + 3 * HOUR, 480, NULL, &night);
	sd_sim_slice_kpi(m, 5, 0, MONDAY_MIDNIGHT_CST + 10 * HOUR, 480, NULL, &day);
	assert_true(day.load > night.load);
	assert_true(day.lat_p99_ms > night.lat_p99_ms);
	assert_true(day.ues > night.ues);
	assert_true(day.dl_mbps > night.dl_mbps);
	/* healthy by day: p99 inside the 10 ms budget */
	assert_true(day.lat_p99_ms < day.budget_ms);
	/* a degraded slice breaks it */
	sd_sim_slice_kpi(m, 5, 0, MONDAY_MIDNIGHT_CST + 10 * HOUR, 480, &dg, &slow);
	assert_true(fabs(slow.lat_median_ms - 3.0 * day.lat_median_ms) < 1e-9);
	assert_true(slow.lat_p99_ms > day.budget_ms);
	/* the samples follow the distribution: their median is near the median */
	{
		double v[401], tmp;
		int n = 401;
		for (i = 0; i < n; i++)
			v[i] = sd_sim_latency_sample(&day, 5, (uint64_t)i);
		for (i = 0; i < n; i++)
			for (j = i + 1; j < n; j++)
				if (v[j] < v[i]) {
					tmp = v[i];
					v[i] = v[j];
					v[j] = tmp;
				}
		assert_true(fabs(v[200] / day.lat_median_ms - 1.0) < 0.1);
	}
	sd_model_free(m);
}

static void test_radio_and_tacs(void **state)
{
	struct sd_model *m = zone();
	uint32_t tacs[8];
	double near_r, near_s, far_r, far_s;
	int cell;
	(void)state;
	assert_int_equal(sd_sim_tacs(m, tacs, 8), 2);
	assert_int_equal(tacs[0], 0x101);
	assert_int_equal(tacs[1], 0x201);
	assert_true(sd_sim_slice_in_tac(m, 0, 0x101));
	assert_false(sd_sim_slice_in_tac(m, 0, 0x201));
	assert_int_equal(sd_sim_slice_ues_in_tac(m, 0, 0x101, 17), 17);
	assert_int_equal(sd_sim_slice_ues_in_tac(m, 0, 0x201, 17), 0);
	cell = sd_sim_radio_at(m, 3, 0, 101, 101, MONDAY_MIDNIGHT_CST, 480, &near_r, &near_s);
	assert_int_equal(cell, 0);
	sd_sim_radio_at(m, 3, 0, 100, 900, MONDAY_MIDNIGHT_CST, 480, &far_r, &far_s);
	assert_true(near_r > far_r + 20.0);
	assert_true(near_r <= -44.0 && far_r >= -140.0);
	assert_int_equal(sd_sim_radio_at(m, 3, 1, 10, 10, MONDAY_MIDNIGHT_CST, 480, &far_r, &far_s), 2);
	{
		/* with the nearest cell off the air the point is served from
		 * further away, or not at all */
		uint8_t *down = calloc((size_t)m->ncells, 1);
		double r2, s2;
		down[0] = 1;
		cell = sd_sim_radio_at_ex(m, 3, 0, 101, 101, MONDAY_MIDNIGHT_CST, 480, down, &r2, &s2);
		assert_int_not_equal(cell, 0);
		assert_true(r2 < near_r - 10.0);
		free(down);
	}
	sd_model_free(m);
}

/* --- faults: parsing ------------------------------------------------------ */

static void test_fault_parse(void **state)
{
	struct sd_sim_fault f;
	char err[256];
	(void)state;
	assert_int_equal(sd_sim_fault_parse("delay:nf=NWDAF,ms=1500,prob=0.5,dur=60", &f, err,
					    sizeof err), 0);
	assert_int_equal(f.kind, SD_FAULT_DELAY);
	assert_string_equal(f.nf, "NWDAF");
	assert_int_equal(f.delay_ms, 1500);
	assert_true(f.prob == 0.5);
	assert_int_equal(f.dur_ms, 60000);
	assert_int_equal(sd_sim_fault_parse("nf-down:nf=smf-1,mode=drop", &f, err, sizeof err), 0);
	assert_int_equal(f.mode, SD_DOWN_DROP);
	assert_int_equal(sd_sim_fault_parse("error:path=/nnwdaf-analyticsinfo*,status=503", &f, err,
					    sizeof err), 0);
	assert_string_equal(f.path, "/nnwdaf-analyticsinfo");
	assert_int_equal(f.status, 503);
	assert_int_equal(sd_sim_fault_parse("goaway", &f, err, sizeof err), 0);
	assert_int_equal(sd_sim_fault_parse("cell-down:cell=c1,dur=30", &f, err, sizeof err), 0);
	assert_int_equal(f.kind, SD_FAULT_CELL_DOWN);
	assert_string_equal(f.cell, "c1");
	assert_int_equal(sd_sim_fault_parse("cell-down", &f, err, sizeof err), -1);
	assert_string_equal(err, "cell-down needs cell=ID");
	assert_true(f.prob == 1.0);

	assert_int_equal(sd_sim_fault_parse("explode", &f, err, sizeof err), -1);
	assert_non_null(strstr(err, "unknown fault kind"));
	assert_int_equal(sd_sim_fault_parse("delay:color=red", &f, err, sizeof err), -1);
	assert_non_null(strstr(err, "unknown key \"color\""));
	assert_int_equal(sd_sim_fault_parse("delay:prob=1.5", &f, err, sizeof err), -1);
	assert_non_null(strstr(err, "bad value for prob"));
	assert_int_equal(sd_sim_fault_parse("error:status=200", &f, err, sizeof err), -1);
	assert_int_equal(sd_sim_fault_parse("delay:ms", &f, err, sizeof err), -1);
	assert_non_null(strstr(err, "key=value"));
	assert_int_equal(sd_sim_fault_parse("delay:path=nopath", &f, err, sizeof err), -1);
}

static void test_fault_table(void **state)
{
	struct sd_sim_faults fs;
	struct sd_sim_fault f;
	char err[128];
	json_t *j;
	(void)state;
	sd_sim_faults_init(&fs);
	assert_int_equal(sd_sim_fault_parse("delay:dur=10", &f, err, sizeof err), 0);
	assert_int_equal(sd_sim_faults_add(&fs, &f, 1000), 1);
	assert_int_equal(sd_sim_fault_parse("goaway", &f, err, sizeof err), 0);
	assert_int_equal(sd_sim_faults_add(&fs, &f, 1000), 2);
	j = sd_sim_faults_json(&fs, 5000);
	assert_int_equal(json_array_size(j), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(j, 0), "remaining_s")), 6);
	json_decref(j);
	assert_int_equal(sd_sim_faults_expire(&fs, 10999), 0);
	assert_int_equal(sd_sim_faults_expire(&fs, 11000), 1);
	assert_int_equal(fs.n, 1);
	assert_int_equal(fs.f[0].id, 2);
	assert_int_equal(sd_sim_faults_clear(&fs, 7), 0);
	assert_int_equal(sd_sim_faults_clear(&fs, 0), 1);
	for (int i = 0; i < SD_SIM_MAX_FAULTS; i++)
		assert_true(sd_sim_faults_add(&fs, &f, 0) > 0);
	assert_int_equal(sd_sim_faults_add(&fs, &f, 0), -1);
}

/* --- NRF -------------------------------------------------------------- */

static void test_nrf_list_and_profile(void **state)
{
	struct fx *f = *state;
	struct call c;
	json_t *items, *prof;
	const char *href;
	char id[40];

	call(f, &c, "GET", "/nnrf-nfm/v1/nf-instances", "/nnrf-nfm/v1/nf-instances", NULL, NULL, NULL);
	assert_int_equal(c.resp.status, 200);
	assert_string_equal(c.resp.content_type, "application/3gppHal+json");
	items = json_object_get(json_object_get(c.json, "_links"), "item");
	/* 10 shared NFs and the hybrid factory's UPF */
	assert_int_equal(json_array_size(items), 11);
	assert_int_equal(json_integer_value(json_object_get(c.json, "totalItemCount")), 11);
	call_done(&c);

	call(f, &c, "GET", "/nnrf-nfm/v1/nf-instances", "/nnrf-nfm/v1/nf-instances",
	     "nf-type=SMF&limit=1", NULL, NULL);
	items = json_object_get(json_object_get(c.json, "_links"), "item");
	assert_int_equal(json_array_size(items), 1);
	href = jstr(json_array_get(items, 0), "href");
	assert_non_null(href);
	sd_strlcpy(id, strrchr(href, '/') + 1, sizeof id);
	call_done(&c);

	call(f, &c, "GET", "/nnrf-nfm/v1/nf-instances", "/nnrf-nfm/v1/nf-instances", "limit=zero",
	     NULL, NULL);
	assert_int_equal(c.resp.status, 400);
	assert_string_equal(c.resp.content_type, "application/problem+json");
	call_done(&c);

	call(f, &c, "GET", "/nnrf-nfm/v1/nf-instances/{nfInstanceID}", "/x", NULL, id, NULL);
	assert_int_equal(c.resp.status, 200);
	prof = c.json;
	assert_string_equal(jstr(prof, "nfType"), "SMF");
	assert_string_equal(jstr(prof, "nfInstanceId"), id);
	assert_string_equal(jstr(prof, "nfStatus"), "REGISTERED");
	assert_int_equal(json_integer_value(json_object_get(prof, "heartBeatTimer")), 10);
	assert_true(json_is_object(json_object_get(prof, "nfServiceList")));
	assert_int_equal(json_object_size(json_object_get(prof, "nfServiceList")), 2);
	/* the requested slice is not served */
	assert_int_equal(json_array_size(json_object_get(prof, "sNssais")), 2);
	assert_int_equal(json_array_size(json_object_get(json_object_get(prof, "smfInfo"),
							 "sNssaiSmfInfoList")), 2);
	call_done(&c);

	/* unknown id: Open5GS's 404 shape */
	call(f, &c, "GET", "/nnrf-nfm/v1/nf-instances/{nfInstanceID}", "/x", NULL,
	     "00000000-0000-4000-8000-000000000000", NULL);
	assert_int_equal(c.resp.status, 404);
	assert_string_equal(c.resp.content_type, "application/problem+json");
	assert_string_equal(jstr(c.json, "type"), "/nnrf-nfm/v1");
	assert_string_equal(jstr(c.json, "title"), "Not found");
	assert_int_equal(json_integer_value(json_object_get(c.json, "status")), 404);
	assert_string_equal(jstr(c.json, "detail"), "00000000-0000-4000-8000-000000000000");
	assert_string_equal(jstr(c.json, "instance"),
			    "/nf-instances/00000000-0000-4000-8000-000000000000");
	call_done(&c);
}

static void test_nrf_discovery(void **state)
{
	struct fx *f = *state;
	struct call c;
	json_t *list;
	(void)f;
	call(f, &c, "GET", "/nnrf-disc/v1/nf-instances", "/nnrf-disc/v1/nf-instances",
	     "requester-nf-type=AMF", NULL, NULL);
	assert_int_equal(c.resp.status, 400);
	assert_string_equal(jstr(c.json, "title"), "No target-nf-type");
	assert_string_equal(jstr(c.json, "type"), "/nnrf-disc/v1");
	assert_string_equal(jstr(c.json, "instance"), "/nf-instances");
	call_done(&c);
	call(f, &c, "GET", "/nnrf-disc/v1/nf-instances", "/nnrf-disc/v1/nf-instances",
	     "target-nf-type=SMF", NULL, NULL);
	assert_int_equal(c.resp.status, 400);
	call_done(&c);

	call(f, &c, "GET", "/nnrf-disc/v1/nf-instances", "/nnrf-disc/v1/nf-instances",
	     "target-nf-type=SMF&requester-nf-type=AMF", NULL, NULL);
	assert_int_equal(c.resp.status, 200);
	assert_int_equal(json_integer_value(json_object_get(c.json, "validityPeriod")), 30);
	list = json_object_get(c.json, "nfInstances");
	assert_int_equal(json_array_size(list), 2);
	assert_true(json_is_array(json_object_get(json_array_get(list, 0), "nfServices")));
	assert_null(json_object_get(json_array_get(list, 0), "nfServiceList"));
	assert_string_equal(c.resp.extra[0].value, "max-age=30");
	call_done(&c);

	/* UPFs for the URLLC slice: the hybrid factory's own UPF, and the
	 * shared one only because it lists no slice at all here (the virtual
	 * factory's only slice is merely requested) */
	call(f, &c, "GET", "/nnrf-disc/v1/nf-instances", "/nnrf-disc/v1/nf-instances",
	     "target-nf-type=UPF&requester-nf-type=SMF&snssais=%5B%7B%22sst%22%3A2%2C%22sd%22%3A%22000001%22%7D%5D",
	     NULL, NULL);
	list = json_object_get(c.json, "nfInstances");
	assert_int_equal(json_array_size(list), 2);
	assert_string_equal(jstr(json_array_get(list, 0), "nfInstanceName"), "upf-core");
	assert_null(json_object_get(json_array_get(list, 0), "sNssais"));
	assert_string_equal(jstr(json_array_get(list, 1), "nfInstanceName"), "upf-f-hyb");
	call_done(&c);
	/* the eMBB slice is not the hybrid UPF's only slice: 1-000009 is no one's */
	call(f, &c, "GET", "/nnrf-disc/v1/nf-instances", "/nnrf-disc/v1/nf-instances",
	     "target-nf-type=UPF&requester-nf-type=SMF&snssais=%5B%7B%22sst%22%3A1%2C%22sd%22%3A%22000009%22%7D%5D",
	     NULL, NULL);
	assert_int_equal(json_array_size(json_object_get(c.json, "nfInstances")), 1);
	call_done(&c);

	/* nothing of that type: 200 and an empty list */
	call(f, &c, "GET", "/nnrf-disc/v1/nf-instances", "/nnrf-disc/v1/nf-instances",
	     "target-nf-type=CHF&requester-nf-type=SMF", NULL, NULL);
	assert_int_equal(c.resp.status, 200);
	assert_int_equal(json_array_size(json_object_get(c.json, "nfInstances")), 0);
	call_done(&c);

	call(f, &c, "GET", "/nnrf-disc/v1/nf-instances", "/nnrf-disc/v1/nf-instances",
	     "target-nf-type=SMF&requester-nf-type=AMF&snssais=%5Bnot-json", NULL, NULL);
	assert_int_equal(c.resp.status, 400);
	call_done(&c);
}

static void test_nrf_peer_lifecycle(void **state)
{
	struct fx *f = *state;
	struct call c;
	const char *id = "11212856-e76f-41f1-8efc-99050a84742e";
	const char *prof = "{\"nfInstanceId\":\"11212856-e76f-41f1-8efc-99050a84742e\","
			   "\"nfType\":\"AF\",\"nfStatus\":\"REGISTERED\",\"heartBeatTimer\":5,"
			   "\"ipv4Addresses\":[\"127.0.0.9\"]}";
	const char *tmpl = "/nnrf-nfm/v1/nf-instances/{nfInstanceID}";
	int before = f->sim->nnfs;

	call(f, &c, "PUT", tmpl, "/x", NULL, id, "{\"nfType\":\"AF\"}");
	assert_int_equal(c.resp.status, 400);
	call_done(&c);
	call(f, &c, "PUT", tmpl, "/x", NULL, id,
	     "{\"nfInstanceId\":\"11212856-e76f-41f1-8efc-99050a84742e\",\"nfType\":\"AF\","
	     "\"nfStatus\":\"REGISTERED\",\"heartBeatTimer\":0}");
	assert_int_equal(c.resp.status, 400);
	call_done(&c);

	call(f, &c, "PUT", tmpl, "/x", NULL, id, prof);
	assert_int_equal(c.resp.status, 201);
	assert_non_null(strstr(c.resp.location, "/nnrf-nfm/v1/nf-instances/11212856-"));
	assert_int_equal(f->sim->nnfs, before + 1);
	call_done(&c);
	call(f, &c, "PUT", tmpl, "/x", NULL, id, prof);
	assert_int_equal(c.resp.status, 200);   /* re-registration */
	call_done(&c);
	call(f, &c, "PATCH", tmpl, "/x", NULL, id,
	     "[{\"op\":\"replace\",\"path\":\"/nfStatus\",\"value\":\"REGISTERED\"}]");
	assert_int_equal(c.resp.status, 204);
	call_done(&c);
	call(f, &c, "PATCH", tmpl, "/x", NULL, id, "{}");
	assert_int_equal(c.resp.status, 400);
	call_done(&c);

	/* a missed heartbeat suspends it, a longer silence removes it */
	f->sim->fixed_mono_ms = sd_now_ms() + 5000 + SD_SIM_HB_MARGIN_MS + 100;
	sd_sim_tick(f->sim);
	assert_int_equal(sd_sim_nf_by_id(f->sim, id)->status, SD_NF_SUSPENDED);
	f->sim->fixed_mono_ms += 15000;
	sd_sim_tick(f->sim);
	assert_null(sd_sim_nf_by_id(f->sim, id));
	assert_int_equal(f->sim->nnfs, before);
	f->sim->fixed_mono_ms = 0;

	call(f, &c, "PUT", tmpl, "/x", NULL, id, prof);
	assert_int_equal(c.resp.status, 201);
	call_done(&c);
	call(f, &c, "DELETE", tmpl, "/x", NULL, id, NULL);
	assert_int_equal(c.resp.status, 204);
	call_done(&c);
	call(f, &c, "GET", tmpl, "/x", NULL, id, NULL);
	assert_int_equal(c.resp.status, 404);
	call_done(&c);

	/* the simulator's own NFs cannot be overwritten */
	call(f, &c, "DELETE", tmpl, "/x", NULL, sd_sim_nf_by_name(f->sim, "amf")->id, NULL);
	assert_int_equal(c.resp.status, 403);
	call_done(&c);
}

static void test_nrf_subscriptions_and_token(void **state)
{
	struct fx *f = *state;
	struct call c;
	char id[32];
	call(f, &c, "POST", "/nnrf-nfm/v1/subscriptions", "/nnrf-nfm/v1/subscriptions", NULL, NULL,
	     "{\"reqNfType\":\"AF\"}");
	assert_int_equal(c.resp.status, 400);
	call_done(&c);
	call(f, &c, "POST", "/nnrf-nfm/v1/subscriptions", "/nnrf-nfm/v1/subscriptions", NULL, NULL,
	     "{\"nfStatusNotificationUri\":\"http://127.0.0.1:9/nrf-notify\","
	     "\"subscrCond\":{\"nfType\":\"SMF\"}}");
	assert_int_equal(c.resp.status, 201);
	sd_strlcpy(id, jstr(c.json, "subscriptionId"), sizeof id);
	assert_null(strchr(id, '-'));
	assert_non_null(jstr(c.json, "validityTime"));
	assert_non_null(strstr(c.resp.location, id));
	call_done(&c);
	call(f, &c, "PATCH", "/nnrf-nfm/v1/subscriptions/{subscriptionID}", "/x", NULL, id,
	     "[{\"op\":\"replace\",\"path\":\"/validityTime\",\"value\":\"2030-01-01T00:00:00Z\"}]");
	assert_int_equal(c.resp.status, 204);
	call_done(&c);
	call(f, &c, "DELETE", "/nnrf-nfm/v1/subscriptions/{subscriptionID}", "/x", NULL, id, NULL);
	assert_int_equal(c.resp.status, 204);
	call_done(&c);
	call(f, &c, "DELETE", "/nnrf-nfm/v1/subscriptions/{subscriptionID}", "/x", NULL, id, NULL);
	assert_int_equal(c.resp.status, 404);
	call_done(&c);

	call(f, &c, "POST", "/oauth2/token", "/oauth2/token", NULL, NULL,
	     "grant_type=client_credentials&nfInstanceId=5d1c0e52-8f4b-4c3e-9a61-2b7f0c9e4a10"
	     "&targetNfType=NWDAF&scope=nnwdaf-analyticsinfo");
	assert_string_equal(jstr(c.json, "error"), "invalid_request");   /* JSON content type */
	call_done(&c);
	{
		int r = sd_sim_route_index(f->sim, "POST", "/oauth2/token");
		const char *bodies[] = {
			"grant_type=client_credentials&nfInstanceId=5d1c0e52-8f4b-4c3e-9a61-2b7f0c9e4a10"
			"&targetNfType=NWDAF&scope=nnwdaf-analyticsinfo+nnwdaf-eventssubscription",
			"grant_type=password&nfInstanceId=x&scope=y",
			"grant_type=client_credentials&nfInstanceId=not-a-uuid&scope=nnrf-disc",
			"grant_type=client_credentials&nfInstanceId=5d1c0e52-8f4b-4c3e-9a61-2b7f0c9e4a10",
		};
		const char *want[] = { NULL, "unsupported_grant_type", "invalid_client",
				       "invalid_request" };
		for (int i = 0; i < 4; i++) {
			struct sd_sbi_req q = { .method = "POST", .path = "/oauth2/token",
						.content_type = "application/x-www-form-urlencoded",
						.body = bodies[i], .body_len = strlen(bodies[i]) };
			struct sd_sbi_resp p = { .status = 200 };
			json_t *j;
			sd_sim_serve(f->sim, r, &q, &p);
			j = json_loadb(p.body, p.body_len, 0, NULL);
			if (!want[i]) {
				const char *tok = jstr(j, "access_token");
				assert_int_equal(p.status, 200);
				assert_string_equal(jstr(j, "token_type"), "Bearer");
				assert_int_equal(json_integer_value(json_object_get(j, "expires_in")), 3600);
				assert_string_equal(jstr(j, "scope"),
						    "nnwdaf-analyticsinfo nnwdaf-eventssubscription");
				/* header.claims.signature, base64url */
				assert_non_null(tok);
				assert_non_null(strchr(tok, '.'));
				assert_non_null(strchr(strchr(tok, '.') + 1, '.'));
				assert_null(strpbrk(tok, "+/="));
			} else {
				assert_int_equal(p.status, 400);
				assert_string_equal(jstr(j, "error"), want[i]);
			}
			json_decref(j);
			free(p.body);
		}
	}
}

/* --- NSSF ---------------------------------------------------------------- */

static void test_nssf(void **state)
{
	struct fx *f = *state;
	struct call c;
	const char *tmpl = "/nnssf-nsselection/v2/network-slice-information";
	char err[128];
	int fid;

	call(f, &c, "GET", tmpl, tmpl,
	     "nf-type=AMF&nf-id=11212856-e76f-41f1-8efc-99050a84742e&slice-info-request-for-pdu-session="
	     "%7B%22sNssai%22%3A%7B%22sst%22%3A2%2C%22sd%22%3A%22000001%22%7D%2C%22roamingIndication%22%3A%22NON_ROAMING%22%7D",
	     NULL, NULL);
	assert_int_equal(c.resp.status, 200);
	assert_non_null(strstr(jstr(json_object_get(c.json, "nsiInformation"), "nrfId"),
			       "/nnrf-disc/v1/nf-instances"));
	call_done(&c);

	/* not configured: 403 as Open5GS words it */
	call(f, &c, "GET", tmpl, tmpl,
	     "nf-type=AMF&nf-id=11212856-e76f-41f1-8efc-99050a84742e&slice-info-request-for-pdu-session="
	     "%7B%22sNssai%22%3A%7B%22sst%22%3A9%2C%22sd%22%3A%22000009%22%7D%2C%22roamingIndication%22%3A%22NON_ROAMING%22%7D",
	     NULL, NULL);
	assert_int_equal(c.resp.status, 403);
	assert_string_equal(jstr(c.json, "title"), "Cannot find NSI by S-NSSAI[SST:9 SD:0x9]");
	assert_string_equal(jstr(c.json, "type"), "/nnssf-nsselection/v2");
	call_done(&c);

	/* only requested: not offered either */
	call(f, &c, "GET", tmpl, tmpl,
	     "nf-type=AMF&nf-id=x&slice-info-request-for-pdu-session="
	     "%7B%22sNssai%22%3A%7B%22sst%22%3A3%2C%22sd%22%3A%22000003%22%7D%2C%22roamingIndication%22%3A%22NON_ROAMING%22%7D",
	     NULL, NULL);
	assert_int_equal(c.resp.status, 403);
	call_done(&c);

	call(f, &c, "GET", tmpl, tmpl, "nf-type=AMF&nf-id=x", NULL, NULL);
	assert_int_equal(c.resp.status, 400);
	call_done(&c);
	call(f, &c, "GET", tmpl, tmpl, "slice-info-request-for-pdu-session=%7B%7D", NULL, NULL);
	assert_int_equal(c.resp.status, 400);
	call_done(&c);

	/* slice-down: the NSSF stops offering the slice, and subscribers of
	 * NSSAI availability see it leave the TA */
	call(f, &c, "POST", "/nnssf-nssaiavailability/v1/nssai-availability/subscriptions", "/x", NULL,
	     NULL, "{\"nfNssaiAvailabilityUri\":\"http://127.0.0.1:9/cb\",\"taiList\":[{\"plmnId\":"
	     "{\"mcc\":\"001\",\"mnc\":\"01\"},\"tac\":\"000101\"}],\"event\":\"SNSSAI_STATUS_CHANGE_REPORT\"}");
	assert_int_equal(c.resp.status, 201);
	assert_int_equal(json_array_size(json_object_get(json_array_get(json_object_get(c.json,
		"authorizedNssaiAvailabilityData"), 0), "supportedSnssaiList")), 2);
	call_done(&c);
	fid = sd_sim_fault_add(f->sim, "slice-down:slice=rc", err, sizeof err);
	assert_true(fid > 0);
	assert_int_equal(f->sim->slice_avail, 1ULL << 1);
	call(f, &c, "GET", tmpl, tmpl,
	     "nf-type=AMF&nf-id=x&slice-info-request-for-pdu-session="
	     "%7B%22sNssai%22%3A%7B%22sst%22%3A2%2C%22sd%22%3A%22000001%22%7D%2C%22roamingIndication%22%3A%22NON_ROAMING%22%7D",
	     NULL, NULL);
	assert_int_equal(c.resp.status, 403);
	call_done(&c);
	for (int i = 0; i < SD_SIM_MAX_SUBS; i++) {
		struct sd_sim_sub *s = &f->sim->subs[i];
		json_t *r;
		if (!s->used || s->kind != SD_SUB_NSSF)
			continue;
		r = sd_sim_nssf_report(f->sim, s);
		assert_int_equal(json_array_size(json_object_get(json_array_get(json_object_get(r,
			"authorizedNssaiAvailabilityData"), 0), "supportedSnssaiList")), 1);
		json_decref(r);
	}
	assert_int_equal(sd_sim_fault_clear(f->sim, fid), 1);
	assert_int_equal(f->sim->slice_avail, 3ULL);
}

/* --- NWDAF ------------------------------------------------------------- */

static void test_nwdaf(void **state)
{
	struct fx *f = *state;
	struct call c;
	const char *tmpl = "/nnwdaf-analyticsinfo/v1/analytics";
	json_t *a, *rep;
	struct sd_sim_sub *s = NULL;

	call(f, &c, "GET", tmpl, tmpl, NULL, NULL, NULL);
	assert_int_equal(c.resp.status, 400);
	assert_string_equal(jstr(c.json, "cause"), "MANDATORY_QUERY_PARAM_MISSING");
	call_done(&c);
	call(f, &c, "GET", tmpl, tmpl, "event-id=LOAD_LEVEL_INFORMATION&event-filter=%7Bbad", NULL, NULL);
	assert_int_equal(c.resp.status, 400);
	call_done(&c);
	call(f, &c, "GET", tmpl, tmpl,
	     "event-id=LOAD_LEVEL_INFORMATION&event-filter=%7B%22anySlice%22%3Atrue%7D", NULL, NULL);
	assert_int_equal(c.resp.status, 200);
	a = json_object_get(c.json, "sliceLoadLevelInfos");
	assert_int_equal(json_array_size(a), 2);      /* the two active slices */
	assert_true(json_integer_value(json_object_get(json_array_get(a, 0),
						       "loadLevelInformation")) > 0);
	assert_non_null(jstr(c.json, "timeStampGen"));
	call_done(&c);
	call(f, &c, "GET", tmpl, tmpl,
	     "event-id=LOAD_LEVEL_INFORMATION&event-filter=%7B%22snssais%22%3A%5B%7B%22sst%22%3A1%2C%22sd%22%3A%22000002%22%7D%5D%7D",
	     NULL, NULL);
	assert_int_equal(json_array_size(json_object_get(c.json, "sliceLoadLevelInfos")), 1);
	call_done(&c);
	call(f, &c, "GET", tmpl, tmpl, "event-id=NF_LOAD", NULL, NULL);
	assert_int_equal(json_array_size(json_object_get(c.json, "nfLoadLevelInfos")), 11);
	assert_non_null(json_object_get(json_array_get(json_object_get(c.json, "nfLoadLevelInfos"), 0),
					"nfLoadLevelpeak"));
	call_done(&c);
	call(f, &c, "GET", tmpl, tmpl, "event-id=DN_PERFORMANCE", NULL, NULL);
	a = json_object_get(c.json, "dnPerfInfos");
	assert_int_equal(json_array_size(a), 2);
	assert_non_null(strstr(jstr(json_object_get(json_array_get(json_object_get(json_array_get(a, 0),
		"dnPerf"), 0), "perfData"), "avgTrafficRate"), "bps"));
	call_done(&c);
	call(f, &c, "GET", tmpl, tmpl, "event-id=SERVICE_EXPERIENCE", NULL, NULL);
	assert_int_equal(c.resp.status, 204);
	call_done(&c);

	call(f, &c, "POST", "/nnwdaf-eventssubscription/v1/subscriptions", "/x", NULL, NULL,
	     "{\"eventSubscriptions\":[{\"event\":\"ABNORMAL_BEHAVIOUR\"}],\"notificationURI\":\"http://127.0.0.1:9/n\"}");
	assert_int_equal(c.resp.status, 400);
	call_done(&c);
	call(f, &c, "POST", "/nnwdaf-eventssubscription/v1/subscriptions", "/x", NULL, NULL,
	     "{\"eventSubscriptions\":[{\"event\":\"SLICE_LOAD_LEVEL\",\"notificationMethod\":\"PERIODIC\","
	     "\"repetitionPeriod\":7,\"anySlice\":true}],\"notificationURI\":\"http://127.0.0.1:9/n\","
	     "\"evtReq\":{\"immRep\":true}}");
	assert_int_equal(c.resp.status, 201);
	assert_non_null(strstr(c.resp.location, "/nnwdaf-eventssubscription/v1/subscriptions/"));
	assert_int_equal(json_array_size(json_object_get(c.json, "eventNotifications")), 2);
	s = sd_sim_sub_find(f->sim, SD_SUB_NWDAF, strrchr(c.resp.location, '/') + 1);
	assert_non_null(s);
	assert_int_equal(s->period_s, 7);
	call_done(&c);
	rep = sd_sim_nwdaf_report(f->sim, s);
	assert_true(json_is_array(rep));     /* the callback body is an array */
	assert_string_equal(jstr(json_array_get(rep, 0), "subscriptionId"), s->id);
	assert_non_null(json_object_get(json_array_get(json_object_get(json_array_get(rep, 0),
		"eventNotifications"), 0), "sliceLoadLevelInfo"));
	json_decref(rep);
}

/* NETWORK_PERFORMANCE's vendor nwPerfTypes: only when asked for, one
 * RSRP_MEAN and one SINR_MEAN per cell, each the TS 38.133 index of the
 * cell's model radio. */
static void test_nwdaf_cell_radio(void **state)
{
	struct fx *f = *state;
	struct call c;
	const char *tmpl = "/nnwdaf-analyticsinfo/v1/analytics";
	json_t *a, *it;
	size_t i;
	int nrsrp = 0, nsinr = 0;

	call(f, &c, "GET", tmpl, tmpl, "event-id=NETWORK_PERFORMANCE", NULL, NULL);
	assert_int_equal(c.resp.status, 200);
	json_array_foreach(json_object_get(c.json, "nwPerfs"), i, it)
		assert_null(strstr(jstr(it, "nwPerfType"), "_MEAN"));
	call_done(&c);

	/* {"nwPerfTypes":["RSRP_MEAN","SINR_MEAN"]} */
	call(f, &c, "GET", tmpl, tmpl, "event-id=NETWORK_PERFORMANCE&event-filter="
	     "%7B%22nwPerfTypes%22%3A%5B%22RSRP_MEAN%22%2C%22SINR_MEAN%22%5D%7D", NULL, NULL);
	assert_int_equal(c.resp.status, 200);
	a = json_object_get(c.json, "nwPerfs");
	assert_true(f->m->ncells > 0);
	assert_int_equal(json_array_size(a), 2 * (size_t)f->m->ncells);
	json_array_foreach(a, i, it) {
		const char *type = jstr(it, "nwPerfType");
		json_t *ncgi = json_array_get(json_object_get(json_object_get(it, "networkArea"),
							      "ncgis"), 0);
		unsigned long long nci = strtoull(jstr(ncgi, "nrCellId"), NULL, 16);
		long idx = (long)json_integer_value(json_object_get(it, "absoluteNum"));
		double r, q, want;
		int cell;
		for (cell = 0; cell < f->m->ncells && f->m->cells[cell].nci != nci; cell++)
			;
		assert_true(cell < f->m->ncells);
		assert_int_equal(strlen(jstr(ncgi, "nrCellId")), 9);
		sd_sim_cell_radio(f->m, 42, cell, f->sim->fixed_time_ms, 480, &r, &q);
		if (strcmp(type, "RSRP_MEAN") == 0) {
			want = floor(r + 157.0);
			nrsrp++;
		} else {
			assert_string_equal(type, "SINR_MEAN");
			want = floor(2.0 * q + 47.0);
			nsinr++;
		}
		assert_int_equal(idx, (long)want);
		assert_null(json_object_get(it, "relativeRatio"));
	}
	assert_int_equal(nrsrp, f->m->ncells);
	assert_int_equal(nsinr, f->m->ncells);
	call_done(&c);

	/* only what nwPerfTypes names: no standard types then */
	call(f, &c, "GET", tmpl, tmpl, "event-id=NETWORK_PERFORMANCE&event-filter="
	     "%7B%22nwPerfTypes%22%3A%5B%22SINR_MEAN%22%5D%7D", NULL, NULL);
	a = json_object_get(c.json, "nwPerfs");
	assert_int_equal(json_array_size(a), (size_t)f->m->ncells);
	json_array_foreach(a, i, it)
		assert_string_equal(jstr(it, "nwPerfType"), "SINR_MEAN");
	call_done(&c);
}

/* --- AMF / SMF ------------------------------------------------------------- */

static void test_amf_smf(void **state)
{
	struct fx *f = *state;
	struct call c;
	json_t *r, *n;
	struct sd_sim_sub *s;
	char id[32];
	size_t i;
	int total = 0;
	struct sd_sim_kpi k;

	call(f, &c, "POST", "/namf-evts/v1/subscriptions", "/x", NULL, NULL, "{\"subscription\":{}}");
	assert_int_equal(c.resp.status, 400);
	call_done(&c);
	call(f, &c, "POST", "/namf-evts/v1/subscriptions", "/x", NULL, NULL,
	     "{\"subscription\":{\"eventList\":[{\"type\":\"UES_IN_AREA_REPORT\",\"immediateFlag\":true}],"
	     "\"eventNotifyUri\":\"http://127.0.0.1:9/amf\",\"notifyCorrelationId\":\"c1\","
	     "\"nfId\":\"11212856-e76f-41f1-8efc-99050a84742e\",\"anyUE\":true,"
	     "\"options\":{\"trigger\":\"PERIODIC\",\"repPeriod\":5}}}");
	assert_int_equal(c.resp.status, 201);
	assert_string_equal(jstr(c.json, "subscriptionId"), c.resp.location);
	r = json_object_get(c.json, "reportList");
	assert_int_equal(json_array_size(r), 2);
	json_array_foreach(r, i, n) {
		assert_string_equal(jstr(n, "type"), "UES_IN_AREA_REPORT");
		assert_true(json_is_true(json_object_get(n, "anyUe")));
		total += (int)json_integer_value(json_object_get(n, "numberOfUes"));
	}
	sd_sim_kpi(f->sim, 0, &k);
	{
		struct sd_sim_kpi k2;
		sd_sim_kpi(f->sim, 1, &k2);
		assert_int_equal(total, k.ues + k2.ues);
	}
	sd_strlcpy(id, strrchr(c.resp.location, '/') + 1, sizeof id);
	call_done(&c);
	call(f, &c, "DELETE", "/namf-evts/v1/subscriptions/{subscriptionId}", "/x", NULL, id, NULL);
	assert_int_equal(c.resp.status, 204);
	call_done(&c);

	call(f, &c, "POST", "/nsmf-event-exposure/v1/subscriptions", "/x", NULL, NULL,
	     "{\"notifId\":\"n\",\"notifUri\":\"http://127.0.0.1:9/smf\",\"eventSubs\":[{\"event\":\"UP_PATH_CH\"}]}");
	assert_int_equal(c.resp.status, 400);
	call_done(&c);
	call(f, &c, "POST", "/nsmf-event-exposure/v1/subscriptions", "/x", NULL, NULL,
	     "{\"notifId\":\"n\",\"notifUri\":\"http://127.0.0.1:9/smf\",\"anyUeInd\":true,"
	     "\"snssai\":{\"sst\":2,\"sd\":\"000001\"},\"eventSubs\":[{\"event\":\"QOS_MON\"},"
	     "{\"event\":\"PDU_SES_EST\"},{\"event\":\"PDU_SES_REL\"}],\"notifMethod\":\"PERIODIC\",\"repPeriod\":5}");
	assert_int_equal(c.resp.status, 201);
	s = sd_sim_sub_find(f->sim, SD_SUB_SMF, jstr(c.json, "subId"));
	assert_non_null(s);
	call_done(&c);
	r = sd_sim_smf_report(f->sim, s);
	assert_string_equal(jstr(r, "notifId"), "n");
	{
		int qos = 0, est = 0;
		json_array_foreach(json_object_get(r, "eventNotifs"), i, n) {
			const char *ev = jstr(n, "event");
			if (strcmp(ev, "QOS_MON") == 0) {
				json_t *ul = json_object_get(n, "ulDelays");
				qos++;
				assert_int_equal(json_array_size(ul), 5);
				assert_int_equal(json_array_size(json_object_get(n, "rtDelays")), 5);
				assert_true(json_integer_value(json_array_get(ul, 0)) >= 1);
				assert_true(json_integer_value(json_array_get(ul, 0)) < 50);
			} else {
				assert_string_equal(ev, "PDU_SES_EST");
				est++;
			}
		}
		assert_int_equal(qos, 3);
		assert_int_equal(est, k.pdu_sessions);   /* first report: every session */
	}
	json_decref(r);
	/* same instant again: no change in sessions, QoS reports only */
	r = sd_sim_smf_report(f->sim, s);
	assert_int_equal(json_array_size(json_object_get(r, "eventNotifs")), 3);
	json_decref(r);
}

/* --- fault injection through the router ----------------------------------- */

static void test_faults_on_requests(void **state)
{
	struct fx *f = *state;
	struct call c;
	char err[256];
	const char *tmpl = "/nnrf-nfm/v1/nf-instances";
	int id;

	assert_int_equal(sd_sim_fault_add(f->sim, "nf-down:nf=PGW", err, sizeof err), -1);
	assert_non_null(strstr(err, "PGW"));
	assert_int_equal(sd_sim_fault_add(f->sim, "nf-down", err, sizeof err), -1);
	assert_int_equal(sd_sim_fault_add(f->sim, "slice-down:slice=nope", err, sizeof err), -1);

	id = sd_sim_fault_add(f->sim, "error:nf=NRF,status=503", err, sizeof err);
	call(f, &c, "GET", tmpl, tmpl, NULL, NULL, NULL);
	assert_int_equal(c.resp.status, 503);
	assert_string_equal(c.resp.content_type, "application/problem+json");
	assert_string_equal(jstr(c.json, "cause"), "NF_CONGESTION");
	call_done(&c);
	/* scoped: the NSSF still answers */
	call(f, &c, "GET", "/nnssf-nsselection/v2/network-slice-information", "/x", "nf-type=AMF",
	     NULL, NULL);
	assert_int_equal(c.resp.status, 400);
	call_done(&c);
	sd_sim_fault_clear(f->sim, id);

	id = sd_sim_fault_add(f->sim, "drop-conn:path=/nnrf-nfm/v1/nf-instances", err, sizeof err);
	call(f, &c, "GET", tmpl, "/nnrf-nfm/v1/nf-instances", NULL, NULL, NULL);
	assert_int_equal(c.resp.misbehave, SD_SBI_DROP_CONN);
	call_done(&c);
	call(f, &c, "GET", "/nnrf-disc/v1/nf-instances", "/nnrf-disc/v1/nf-instances",
	     "target-nf-type=SMF&requester-nf-type=AMF", NULL, NULL);
	assert_int_equal(c.resp.misbehave, SD_SBI_NORMAL);
	call_done(&c);
	sd_sim_fault_clear(f->sim, id);

	sd_sim_fault_add(f->sim, "rst-stream:nf=NRF", err, sizeof err);
	call(f, &c, "GET", tmpl, tmpl, NULL, NULL, NULL);
	assert_int_equal(c.resp.misbehave, SD_SBI_RST_STREAM);
	call_done(&c);
	sd_sim_fault_clear(f->sim, 0);

	sd_sim_fault_add(f->sim, "goaway:nf=NRF", err, sizeof err);
	sd_sim_fault_add(f->sim, "delay:nf=NRF,ms=1500", err, sizeof err);
	sd_sim_fault_add(f->sim, "delay:nf=NRF,ms=500", err, sizeof err);
	call(f, &c, "GET", tmpl, tmpl, NULL, NULL, NULL);
	assert_int_equal(c.resp.status, 200);
	assert_int_equal(c.resp.misbehave, SD_SBI_GOAWAY);
	assert_int_equal(c.resp.delay_ms, 2000);
	assert_non_null(c.json);
	call_done(&c);
	sd_sim_fault_clear(f->sim, 0);

	sd_sim_fault_add(f->sim, "malformed:nf=NRF", err, sizeof err);
	call(f, &c, "GET", tmpl, tmpl, NULL, NULL, NULL);
	assert_int_equal(c.resp.status, 200);
	assert_true(c.resp.body_len > 10);
	assert_null(c.json);
	call_done(&c);
	sd_sim_fault_clear(f->sim, 0);

	{
		size_t full;
		call(f, &c, "GET", tmpl, tmpl, NULL, NULL, NULL);
		full = c.resp.body_len;
		call_done(&c);
		sd_sim_fault_add(f->sim, "truncated:path=/nnrf-nfm", err, sizeof err);
		call(f, &c, "GET", tmpl, tmpl, NULL, NULL, NULL);
		assert_int_equal(c.resp.body_len, full / 2);
		assert_null(c.json);
		call_done(&c);
		sd_sim_fault_clear(f->sim, 0);
	}

	/* probability 0 never fires; 0.5 fires sometimes, deterministically */
	sd_sim_fault_add(f->sim, "error:nf=NRF,prob=0", err, sizeof err);
	for (int i = 0; i < 20; i++) {
		call(f, &c, "GET", tmpl, tmpl, NULL, NULL, NULL);
		assert_int_equal(c.resp.status, 200);
		call_done(&c);
	}
	sd_sim_fault_clear(f->sim, 0);
	{
		int fails = 0;
		sd_sim_fault_add(f->sim, "error:nf=NRF,prob=0.5", err, sizeof err);
		for (int i = 0; i < 100; i++) {
			call(f, &c, "GET", tmpl, tmpl, NULL, NULL, NULL);
			fails += c.resp.status == 500;
			call_done(&c);
		}
		assert_true(fails > 25 && fails < 75);
		sd_sim_fault_clear(f->sim, 0);
	}

	/* a fault with a duration goes away by itself */
	sd_sim_fault_add(f->sim, "error:nf=NRF,dur=5", err, sizeof err);
	f->sim->fixed_mono_ms = sd_now_ms() + 5001;
	call(f, &c, "GET", tmpl, tmpl, NULL, NULL, NULL);
	assert_int_equal(c.resp.status, 200);
	assert_int_equal(f->sim->faults.n, 0);
	call_done(&c);
	f->sim->fixed_mono_ms = 0;
}

static void test_nf_down_and_heartbeats(void **state)
{
	struct fx *f = *state;
	struct call c;
	char err[128];
	int64_t t0 = sd_now_ms();
	struct sd_sim_nf *smf1 = sd_sim_nf_by_name(f->sim, "smf-1");
	const char *evts = "/nsmf-event-exposure/v1/subscriptions/{subId}";
	int id1, id2;

	f->sim->fixed_mono_ms = t0;
	id1 = sd_sim_fault_add(f->sim, "nf-down:nf=smf-1", err, sizeof err);
	assert_true(id1 > 0);
	assert_true(smf1->down);
	assert_int_equal(smf1->status, SD_NF_REGISTERED);   /* not yet missed a heartbeat */
	/* smf-2 still serves the SMF's API */
	call(f, &c, "GET", evts, "/x", NULL, "0000", NULL);
	assert_int_equal(c.resp.status, 404);
	call_done(&c);

	f->sim->fixed_mono_ms = t0 + 10000 + SD_SIM_HB_MARGIN_MS + 1;
	sd_sim_tick(f->sim);
	assert_int_equal(smf1->status, SD_NF_SUSPENDED);
	assert_true(smf1->registered);
	/* suspended instances are not discovered */
	call(f, &c, "GET", "/nnrf-disc/v1/nf-instances", "/x",
	     "target-nf-type=SMF&requester-nf-type=AMF", NULL, NULL);
	assert_int_equal(json_array_size(json_object_get(c.json, "nfInstances")), 1);
	call_done(&c);

	id2 = sd_sim_fault_add(f->sim, "nf-down:nf=smf-2,mode=drop", err, sizeof err);
	call(f, &c, "GET", evts, "/x", NULL, "0000", NULL);
	assert_int_equal(c.resp.misbehave, SD_SBI_DROP_CONN);
	call_done(&c);
	sd_sim_fault_clear(f->sim, id2);
	sd_sim_fault_add(f->sim, "nf-down:nf=SMF", err, sizeof err);
	call(f, &c, "GET", evts, "/x", NULL, "0000", NULL);
	assert_int_equal(c.resp.status, 503);
	call_done(&c);

	f->sim->fixed_mono_ms = t0 + 30000 + SD_SIM_HB_MARGIN_MS + 1;
	sd_sim_tick(f->sim);
	assert_false(smf1->registered);
	call(f, &c, "GET", "/nnrf-nfm/v1/nf-instances", "/x", "nf-type=SMF", NULL, NULL);
	/* smf-1 is gone; smf-2, down for 20 s only, is still listed (suspended) */
	assert_int_equal(json_integer_value(json_object_get(c.json, "totalItemCount")), 1);
	assert_int_equal(sd_sim_nf_by_name(f->sim, "smf-2")->status, SD_NF_SUSPENDED);
	call_done(&c);

	sd_sim_fault_clear(f->sim, 0);   /* restored: registered again at once */
	assert_true(smf1->registered);
	assert_int_equal(smf1->status, SD_NF_REGISTERED);
	assert_false(smf1->down);
	f->sim->fixed_mono_ms = 0;
}

/* --churn: seeded, so two simulators with one seed fail the same NFs at
 * the same times; the NRF never churns; some NF does within 200 windows. */
static void test_churn(void **state)
{
	struct fx *f = *state;
	struct sd_sim_opts o = { .seed = 9, .hb_timer_s = 10, .churn = true };
	struct sd_sim *a = sd_sim_new(f->loop, f->m, &o), *b = sd_sim_new(f->loop, f->m, &o);
	int w, i, downs = 0;
	for (w = 0; w < 200; w++) {
		a->fixed_mono_ms = a->mono_start + w * 120000LL + 60000;
		b->fixed_mono_ms = b->mono_start + w * 120000LL + 60000;
		sd_sim_tick(a);
		sd_sim_tick(b);
		for (i = 0; i < a->nnfs; i++) {
			assert_int_equal(a->nfs[i].down, b->nfs[i].down);
			if (strcmp(a->nfs[i].type, "NRF") == 0)
				assert_false(a->nfs[i].down);
			downs += a->nfs[i].down;
		}
		/* outside the middle minute of the window everyone is up */
		a->fixed_mono_ms = a->mono_start + w * 120000LL + 10000;
		sd_sim_tick(a);
		for (i = 0; i < a->nnfs; i++)
			assert_false(a->nfs[i].down);
	}
	assert_true(downs > 10 && downs < 400);   /* ~5 % of 10 NFs x 200 */
	sd_sim_free(a);
	sd_sim_free(b);
}

static void test_control_exec(void **state)
{
	struct fx *f = *state;
	json_t *j;
	j = sd_sim_control_exec(f->sim, "fault slice-latency:slice=rc,factor=4");
	assert_true(json_is_true(json_object_get(j, "ok")));
	assert_int_equal(json_integer_value(json_object_get(j, "id")), 1);
	json_decref(j);
	{
		struct sd_sim_degrade dg;
		sd_sim_slice_degrade(f->sim, 0, &dg);
		assert_true(dg.latency_factor == 4.0);
		sd_sim_slice_degrade(f->sim, 1, &dg);
		assert_true(dg.latency_factor == 1.0);
	}
	j = sd_sim_control_exec(f->sim, "faults");
	assert_int_equal(json_array_size(json_object_get(j, "faults")), 1);
	json_decref(j);
	j = sd_sim_control_exec(f->sim, "status");
	assert_true(json_is_true(json_object_get(j, "ok")));
	assert_int_equal(json_array_size(json_object_get(j, "nfs")), 11);
	assert_int_equal(json_array_size(json_object_get(j, "slices")), 3);
	json_decref(j);
	j = sd_sim_control_exec(f->sim, "cells");
	assert_int_equal(json_array_size(json_object_get(j, "cells")), 3);
	json_decref(j);
	j = sd_sim_control_exec(f->sim, "clear 1");
	assert_int_equal(json_integer_value(json_object_get(j, "cleared")), 1);
	json_decref(j);
	j = sd_sim_control_exec(f->sim, "clear x");
	assert_false(json_is_true(json_object_get(j, "ok")));
	json_decref(j);
	j = sd_sim_control_exec(f->sim, "fault nonsense");
	assert_false(json_is_true(json_object_get(j, "ok")));
	assert_non_null(strstr(jstr(j, "error"), "unknown fault kind"));
	json_decref(j);
	j = sd_sim_control_exec(f->sim, "\x1b[2Jreboot");
	assert_false(json_is_true(json_object_get(j, "ok")));
	assert_null(strchr(jstr(j, "error"), '\x1b'));
	json_decref(j);
}

/* --- end to end: notifications over HTTP/2 ---------------------------------- */

struct rx {
	struct sd_loop *loop;
	json_t *bodies;           /* what arrived */
	char callback[8][96];     /* 3gpp-Sbi-Callback of each */
	int n;
};

static void rx_handler(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct rx *rx = arg;
	const char *cb = sd_sbi_req_header(req, "3gpp-sbi-callback");
	json_t *j = req->body ? json_loadb(req->body, req->body_len, 0, NULL) : NULL;
	if (rx->n < 8)
		sd_strlcpy(rx->callback[rx->n], cb ? cb : "", sizeof rx->callback[0]);
	rx->n++;
	json_array_append_new(rx->bodies, j ? j : json_null());
	resp->status = 204;
}

static void test_notifications_end_to_end(void **state)
{
	struct fx *f = *state;
	struct rx rx = { .loop = f->loop, .bodies = json_array() };
	struct sd_sbi_server_conf sc = { .listen = "127.0.0.1:0" };
	struct sd_sbi_server *srv;
	struct sd_sim_opts o = { .seed = 42, .listen = "127.0.0.1:0", .hb_timer_s = 1 };
	struct sd_sim *sim;
	char err[256], body[512];
	struct call c;
	int i, nrf_changed = -1, nwdaf = -1;

	sd_sim_free(f->sim);
	f->sim = sim = sd_sim_new(f->loop, f->m, &o);
	assert_int_equal(sd_sim_start(sim, err, sizeof err), 0);
	assert_int_not_equal(sim->port, 0);
	assert_non_null(strstr(sim->api_root, "http://127.0.0.1:"));
	srv = sd_sbi_server_new(f->loop, &sc, err, sizeof err);
	assert_non_null(srv);
	assert_int_equal(sd_sbi_server_route(srv, "POST", "/cb/{what}", rx_handler, &rx), 0);

	snprintf(body, sizeof body, "{\"nfStatusNotificationUri\":\"%s/cb/nrf\","
		 "\"subscrCond\":{\"nfType\":\"AMF\"}}", sd_sbi_server_api_root(srv));
	call(f, &c, "POST", "/nnrf-nfm/v1/subscriptions", "/x", NULL, NULL, body);
	assert_int_equal(c.resp.status, 201);
	call_done(&c);
	snprintf(body, sizeof body, "{\"eventSubscriptions\":[{\"event\":\"SLICE_LOAD_LEVEL\","
		 "\"notificationMethod\":\"PERIODIC\",\"repetitionPeriod\":1,\"anySlice\":true}],"
		 "\"notificationURI\":\"%s/cb/nwdaf\"}", sd_sbi_server_api_root(srv));
	call(f, &c, "POST", "/nnwdaf-eventssubscription/v1/subscriptions", "/x", NULL, NULL, body);
	assert_int_equal(c.resp.status, 201);
	call_done(&c);

	/* the AMF goes down; with heartBeatTimer 1 the NRF suspends it within
	 * about three seconds and tells the subscriber */
	assert_true(sd_sim_fault_add(sim, "nf-down:nf=AMF", err, sizeof err) > 0);
	for (i = 0; i < 100 && (nrf_changed < 0 || nwdaf < 0); i++) {
		size_t k;
		json_t *b;
		sd_loop_once(f->loop, 100);
		json_array_foreach(rx.bodies, k, b) {
			if (json_is_object(b) && sd_streq(jstr(b, "event"), "NF_PROFILE_CHANGED"))
				nrf_changed = (int)k;
			if (json_is_array(b))
				nwdaf = (int)k;
		}
	}
	assert_true(nrf_changed >= 0);
	assert_true(nwdaf >= 0);
	{
		json_t *b = json_array_get(rx.bodies, (size_t)nrf_changed);
		assert_string_equal(rx.callback[nrf_changed], "Nnrf_NFManagement_NFStatusNotify");
		assert_string_equal(jstr(json_object_get(b, "nfProfile"), "nfType"), "AMF");
		assert_string_equal(jstr(json_object_get(b, "nfProfile"), "nfStatus"), "SUSPENDED");
		assert_non_null(strstr(jstr(b, "nfInstanceUri"), "/nnrf-nfm/v1/nf-instances/"));
		b = json_array_get(rx.bodies, (size_t)nwdaf);
		assert_string_equal(rx.callback[nwdaf], "Nnwdaf_EventsSubscription_Notify");
		assert_non_null(jstr(json_array_get(b, 0), "subscriptionId"));
	}
	assert_true(sim->notif_sent >= 2);
	sd_sbi_server_free(srv);
	json_decref(rx.bodies);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rng_deterministic),
		cmocka_unit_test(test_diurnal_curve),
		cmocka_unit_test(test_model_deterministic),
		cmocka_unit_test(test_latency_degrades_with_load),
		cmocka_unit_test(test_radio_and_tacs),
		cmocka_unit_test(test_fault_parse),
		cmocka_unit_test(test_fault_table),
		cmocka_unit_test_setup_teardown(test_nrf_list_and_profile, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nrf_discovery, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nrf_peer_lifecycle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nrf_subscriptions_and_token, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nssf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nwdaf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nwdaf_cell_radio, setup, teardown),
		cmocka_unit_test_setup_teardown(test_amf_smf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_faults_on_requests, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nf_down_and_heartbeats, setup, teardown),
		cmocka_unit_test_setup_teardown(test_churn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_control_exec, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notifications_end_to_end, setup, teardown),
	};
	sd_log_open("test_sim", 0, SD_LOG_WARN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

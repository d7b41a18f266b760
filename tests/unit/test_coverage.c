/* tests/unit/test_coverage.c — monitor/coverage.c: walk-test CSV import
 * (x/y, lat/lon, RFC 3339 and Unix times, quoting) and its line-numbered
 * errors; per-site share, area share, weak cells, holes (connected
 * failing squares), the heat map's orientation and levels; the samples'
 * store: round trip, idempotent re-adds, the per-site cap. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "core/config.h"
#include "core/store.h"
#include "core/util.h"
#include "monitor/coverage.h"

#define DATA "tests/data/coverage/"

static struct sd_site hall(void)
{
	struct sd_site s = { .id = "hall-a", .lat = 31.2, .lon = 121.5,
			     .width_m = 100, .height_m = 60 };
	return s;
}

static bool has_msg(const struct sd_errlist *e, const char *msg)
{
	for (int i = 0; i < e->n; i++)
		if (strcmp(e->msgs[i], msg) == 0)
			return true;
	return false;
}

static void dump(const struct sd_errlist *e)
{
	for (int i = 0; i < e->n; i++)
		print_message("  %s\n", e->msgs[i]);
}

static void test_csv_errors(void **st)
{
	struct sd_site site = hall();
	struct sd_errlist e;
	sd_errlist_init(&e);
	struct sd_cov_sample *v = (void *)1;
	size_t n = 99;
	assert_int_equal(sd_cov_csv_load(DATA "walk_errors.csv", &site, &v, &n, &e), -1);
	assert_null(v);
	assert_int_equal(n, 0);
	const char *want[] = {
		"walk_errors.csv:5: RSRP must be -156..-31 dBm",
		"walk_errors.csv:9: SINR must be -23..40 dB",
		"walk_errors.csv:12: time must be RFC 3339 (2026-11-23T10:00:00Z) or Unix seconds",
		"walk_errors.csv:14: cell must be an id ([A-Za-z0-9_.-], 1..31 characters)",
		"walk_errors.csv:17: RSRP must be -156..-31 dBm",
		"walk_errors.csv:20: 5 fields, the header has 6",
		"walk_errors.csv:23: x and y must be numbers (m)",
		"walk_errors.csv:26: position (500.0, 26.0) m is outside site hall-a's plan (100 x 60 m)",
	};
	for (size_t i = 0; i < SD_ARRAY_LEN(want); i++)
		if (!has_msg(&e, want[i])) {
			dump(&e);
			fail_msg("missing: %s", want[i]);
		}
	assert_int_equal(e.n, (int)SD_ARRAY_LEN(want));
	sd_errlist_done(&e);

	/* header problems stop the file at line 1 */
	sd_errlist_init(&e);
	assert_int_equal(sd_cov_csv_load(DATA "walk_badheader.csv", &site, &v, &n, &e), -1);
	assert_true(has_msg(&e, "walk_badheader.csv:1: header lacks the \"time\" column"));
	assert_true(has_msg(&e, "walk_badheader.csv:1: header lacks the \"sinr\" column"));
	assert_int_equal(e.n, 2);
	sd_errlist_done(&e);

	/* data where the header should be */
	sd_errlist_init(&e);
	const char *nohdr = "1795428000,3,5,c1,-80,12\n";
	assert_int_equal(sd_cov_csv_parse("w.csv", nohdr, strlen(nohdr), &site, &v, &n, &e), -1);
	assert_true(has_msg(&e, "w.csv:1: unknown column \"1795428000\" (expected time, x, y "
			    "or lat, lon, cell, rsrp, sinr)"));
	sd_errlist_done(&e);

	sd_errlist_init(&e);
	assert_int_equal(sd_cov_csv_parse("e.csv", "", 0, &site, &v, &n, &e), -1);
	assert_true(has_msg(&e, "e.csv: empty file: a header line is required "
			    "(time,x,y,cell,rsrp,sinr)"));
	sd_errlist_done(&e);

	sd_errlist_init(&e);
	const char *both = "time,x,y,lat,lon,cell,rsrp,sinr\n";
	assert_int_equal(sd_cov_csv_parse("b.csv", both, strlen(both), &site, &v, &n, &e), -1);
	assert_true(has_msg(&e, "b.csv:1: header has both x/y and lat/lon: use one"));
	sd_errlist_done(&e);

	sd_errlist_init(&e);
	const char *q = "time,x,y,cell,rsrp,sinr\n1,\"2,3\",1,c1,-90,1\n1,1,1,\"c1,-90,1\n";
	assert_int_equal(sd_cov_csv_parse("q.csv", q, strlen(q), &site, &v, &n, &e), -1);
	assert_true(has_msg(&e, "q.csv:2: x and y must be numbers (m)"));
	assert_true(has_msg(&e, "q.csv:3: unterminated quoted field"));
	sd_errlist_done(&e);

	sd_errlist_init(&e);
	assert_int_equal(sd_cov_csv_load(DATA "no-such.csv", &site, &v, &n, &e), -1);
	assert_true(has_msg(&e, "no-such.csv: No such file or directory"));
	sd_errlist_done(&e);

	/* lat/lon without a site to place them on */
	sd_errlist_init(&e);
	assert_int_equal(sd_cov_csv_load(DATA "walk_latlon.csv", NULL, &v, &n, &e), -1);
	assert_true(has_msg(&e, "walk_latlon.csv:2: lat/lon need a site to place them on "
			    "(no site given)"));
	sd_errlist_done(&e);
}

static void test_csv_latlon(void **st)
{
	struct sd_site site = hall();
	struct sd_errlist e;
	sd_errlist_init(&e);
	struct sd_cov_sample *v;
	size_t n;
	if (sd_cov_csv_load(DATA "walk_latlon.csv", &site, &v, &n, &e) < 0) {
		dump(&e);
		fail();
	}
	assert_int_equal(n, 3);
	assert_int_equal(v[0].t_ms, 1795428000000LL);
	assert_int_equal(v[1].t_ms, 1795428001500LL);
	assert_int_equal(v[2].t_ms, 1795428002000LL);   /* +08:00 */
	assert_string_equal(v[2].cell, "c2");
	assert_true(v[1].rsrp_dbm == -95.5);
	/* 0.0001 degree north ~ 11.1 m; east ~ 11.1 m x cos(31.2) ~ 9.5 m */
	assert_true(fabs(v[0].y_m - 11.132) < 0.01);
	assert_true(fabs(v[0].x_m - 9.52) < 0.01);
	assert_true(fabs(v[2].y_m - 33.396) < 0.01);
	sd_free(v);
	sd_errlist_done(&e);
}

static struct sd_cov_site *load_hall(void)
{
	struct sd_site site = hall();
	struct sd_errlist e;
	sd_errlist_init(&e);
	struct sd_cov_sample *v;
	size_t n;
	if (sd_cov_csv_load(DATA "walk_xy.csv", &site, &v, &n, &e) < 0) {
		dump(&e);
		fail();
	}
	sd_errlist_done(&e);
	assert_int_equal(n, 120);
	struct sd_cov_site *cs = sd_cov_site_new("hall-a", 100, 60, NULL);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(sd_cov_site_add(cs, &v[i]), 0);
	sd_free(v);
	return cs;
}

static void test_site_report(void **st)
{
	struct sd_cov_site *cs = load_hall();
	struct sd_cov_report r;
	sd_cov_site_report(cs, &r);
	/* 9 failing squares of 60, 2 samples each */
	assert_int_equal(r.samples, 120);
	assert_int_equal(r.passing, 102);
	assert_true(fabs(r.share_pct - 85.0) < 1e-9);
	assert_int_equal(r.squares, 60);
	assert_int_equal(r.squares_with_data, 60);
	assert_int_equal(r.squares_passing, 51);
	assert_true(fabs(r.area_share_pct - 85.0) < 1e-9);
	assert_true(r.below_target);
	assert_int_equal(r.nholes, 2);           /* the lone square is not a hole */
	assert_int_equal(r.nweak, 2);

	struct sd_cov_hole h[4];
	assert_int_equal(sd_cov_site_holes(cs, h, 4), 2);
	assert_int_equal(h[0].squares, 6);
	assert_int_equal(h[0].samples, 12);
	assert_true(h[0].x0_m == 60 && h[0].x1_m == 90 && h[0].y0_m == 30 && h[0].y1_m == 50);
	assert_true(fabs(h[0].cx_m - 75) < 1e-9 && fabs(h[0].cy_m - 40) < 1e-9);
	assert_true(h[0].rsrp_mean == -112.5);
	assert_int_equal(h[1].squares, 2);
	assert_true(h[1].x0_m == 10 && h[1].x1_m == 30 && h[1].y0_m == 10 && h[1].y1_m == 20);
	assert_int_equal(sd_cov_site_holes(cs, h, 1), 1);

	struct sd_cov_cell c[4], cc[4];
	assert_int_equal(sd_cov_site_weak_cells(cs, c, 4), 2);
	assert_string_equal(c[0].id, "c2");      /* worst first: 46/60 */
	assert_int_equal(c[0].samples, 60);
	assert_int_equal(c[0].passing, 46);
	assert_string_equal(c[1].id, "c1");      /* 56/60 = 93.3 % < 95 % */
	assert_int_equal(c[1].passing, 56);

	/* with a single-square minimum the lone square is a hole too */
	struct sd_cov_conf conf;
	sd_cov_conf_default(&conf);
	assert_true(conf.rsrp_min_dbm == -105 && conf.sinr_min_db == 0);
	conf.min_hole_squares = 1;
	conf.target_pct = 90;
	struct sd_cov_site *c1 = sd_cov_site_new("x", 100, 60, &conf);
	struct sd_cov_sample s = { .x_m = 95, .y_m = 5, .rsrp_dbm = -120, .sinr_db = 5 };
	sd_strlcpy(s.cell, "c9", sizeof s.cell);
	sd_cov_site_add(c1, &s);
	assert_int_equal(sd_cov_site_holes(c1, h, 4), 1);
	/* SINR alone can fail a sample */
	s.rsrp_dbm = -80;
	s.sinr_db = -1;
	s.x_m = 5;
	sd_cov_site_add(c1, &s);
	sd_cov_site_report(c1, &r);
	assert_int_equal(r.passing, 0);
	/* a cell's own report says how the cell does, not how a place does:
	 * it makes a weak cell but no square, no sample, no hole */
	struct sd_cell cell = { .id = "c7", .x_m = 55, .y_m = 35 };
	sd_cov_site_reset(c1);
	assert_int_equal(sd_cov_site_add_cell(c1, &cell, 0, -110, 3), 0);
	assert_int_equal(sd_cov_site_add_cell(c1, &cell, 0, -111, 3), 0);
	assert_int_equal(sd_cov_site_holes(c1, h, 4), 0);
	assert_int_equal(sd_cov_site_weak_cells(c1, cc, 4), 1);
	assert_string_equal(cc[0].id, "c7");
	sd_cov_site_report(c1, &r);
	assert_int_equal(r.samples, 0);
	assert_int_equal(r.cell_reports, 2);
	assert_int_equal(r.squares_with_data, 0);
	assert_true(isnan(r.area_share_pct));
	/* outside the plan or out of range: refused */
	s.x_m = 101;
	assert_int_equal(sd_cov_site_add(c1, &s), -1);
	s.x_m = 1;
	s.rsrp_dbm = -200;
	assert_int_equal(sd_cov_site_add(c1, &s), -1);
	sd_cov_site_report(c1, &r);
	assert_int_equal(r.refused, 2);
	sd_cov_site_reset(c1);
	sd_cov_site_report(c1, &r);
	assert_int_equal(r.samples, 0);
	assert_true(isnan(r.share_pct));
	assert_false(r.below_target);
	sd_cov_site_free(c1);
	sd_cov_site_free(cs);
}

/* Prediction over the whole grid: every square gets a value from the
 * cells' configuration; walk-test samples override it where they exist;
 * a cell off the air leaves a predicted hole. */
static void test_prediction(void **st)
{
	(void)st;
	struct sd_cov_conf conf;
	sd_cov_conf_default(&conf);
	struct sd_cov_site *cs = sd_cov_site_new("hall", 200, 60, &conf);
	struct sd_cell c1 = { .id = "c1", .x_m = 20, .y_m = 30, .antenna_height_m = 6,
			      .tx_power_dbm = 30, .carrier_ghz = 3.5, .bandwidth_mhz = 100 };
	struct sd_cell c2 = c1;
	struct sd_cov_tx tx[2];
	struct sd_cov_report r;
	struct sd_cov_hole h[4];
	uint8_t lv[6 * 20];

	sd_strlcpy(c2.id, "c2", sizeof c2.id);
	c2.x_m = 180;
	sd_cov_tx_from_cell(&tx[0], &c1);
	sd_cov_tx_from_cell(&tx[1], &c2);

	/* no clutter: LOS everywhere (Table 7.4.2-1 with r = 0), so at 30 m
	 * on the floor (d3D = hypot(30, 6 - 1.5) = 30.336 m) the RSRP is the
	 * per-RE power -5.153 dBm minus the InF LOS loss
	 * 31.84 + 21.5 log10(30.336) + 19 log10(3.5) = 74.039 dB: -79.193 dBm */
	struct sd_cov_env open = { .outdoor = false, .clutter_r = 0, .clutter_height_m = 2 };
	assert_true(fabs(sd_cov_tx_rsrp_at(&open, &tx[0], 30) - -79.193) < 0.001);
	assert_int_equal(sd_cov_tx_model(&open, &tx[0]), 2 /* SD_PL_INF_SH */);

	/* dense clutter above the antennas: InF-DL, about 8 dB per doubling
	 * of distance; both cells cover the 200 m hall */
	struct sd_cov_env dense = { .outdoor = false, .clutter_r = 0.6, .clutter_height_m = 8 };
	assert_int_equal(sd_cov_tx_model(&dense, &tx[0]), 1 /* SD_PL_INF_DL */);
	assert_false(sd_cov_site_predicted(cs));
	assert_true(sd_cov_site_predict(cs, &dense, tx, 2, 1000) > 0);
	assert_true(sd_cov_site_predicted(cs));
	sd_cov_site_report(cs, &r);
	assert_int_equal(r.squares_with_data, 0);
	assert_int_equal(r.squares_predicted, 120);
	assert_int_equal(r.squares_predicted_passing, 120);
	assert_true(fabs(r.area_share_pct - 100) < 1e-9);
	assert_true(isnan(r.share_pct));
	assert_false(r.below_target);
	sd_cov_site_heatmap(cs, 6, 20, lv);
	for (int i = 0; i < 6 * 20; i++)
		assert_true(lv[i] >= 5 && lv[i] <= 8);    /* all predicted, none failing */
	assert_true(lv[2 * 20 + 2] > lv[2 * 20 + 10]); /* stronger by a cell than between */

	/* a walk-test sample overrides the prediction of its square */
	struct sd_cov_sample s = { .x_m = 95, .y_m = 25, .rsrp_dbm = -120, .sinr_db = -5 };
	sd_strlcpy(s.cell, "c1", sizeof s.cell);
	assert_int_equal(sd_cov_site_add(cs, &s), 0);
	sd_cov_site_report(cs, &r);
	assert_int_equal(r.squares_with_data, 1);
	assert_int_equal(r.squares_passing, 0);
	assert_int_equal(r.squares_predicted, 119);
	assert_true(fabs(r.area_share_pct - 100.0 * 119 / 120) < 1e-9);
	assert_true(fabs(r.share_pct - 0) < 1e-9);
	assert_true(r.below_target);                    /* its one sample fails */
	sd_cov_site_heatmap(cs, 6, 20, lv);
	assert_int_equal(lv[3 * 20 + 9], 1);            /* measured, failing */

	/* c2 off the air: the east of the hall is 140-180 m from c1, beyond
	 * what InF-DL leaves above -105 dBm: a predicted hole there */
	sd_cov_site_reset(cs);
	tx[1].down = true;
	sd_cov_site_predict(cs, &dense, tx, 2, 2000);
	sd_cov_site_report(cs, &r);
	assert_true(r.squares_predicted_passing < 120);
	assert_true(r.below_target);
	assert_true(sd_cov_site_holes(cs, h, 4) >= 1);
	assert_int_equal(h[0].predicted, h[0].squares);
	assert_int_equal(h[0].samples, 0);
	assert_true(h[0].x1_m == 200 && h[0].x0_m > 100);
	assert_true(h[0].rsrp_mean < conf.rsrp_min_dbm);
	json_t *j = sd_cov_site_to_json(cs, 0, 0, 4);
	json_t *hj = json_array_get(json_object_get(j, "holes"), 0);
	assert_string_equal(json_string_value(json_object_get(hj, "kind")), "predicted");
	json_t *pj = json_object_get(j, "predicted");
	assert_int_equal(json_integer_value(json_object_get(pj, "squares")), 120);
	assert_string_equal(json_string_value(json_array_get(json_object_get(pj, "models"), 0)),
			    "InF-DL");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "measured"),
							    "squares")), 0);
	json_decref(j);

	/* every cell down: the whole plan is one predicted hole */
	tx[0].down = true;
	sd_cov_site_predict(cs, &dense, tx, 2, 3000);
	sd_cov_site_report(cs, &r);
	assert_int_equal(r.squares_predicted_passing, 0);
	assert_int_equal(sd_cov_site_holes(cs, h, 4), 1);
	assert_int_equal(h[0].squares, 120);
	/* n = 0: no prediction, no data */
	sd_cov_site_predict(cs, &dense, tx, 0, 4000);
	sd_cov_site_report(cs, &r);
	assert_int_equal(r.squares_predicted, 0);
	assert_true(isnan(r.area_share_pct));
	sd_cov_site_free(cs);
}

static void test_heatmap(void **st)
{
	struct sd_cov_site *cs = load_hall();
	uint8_t lv[6 * 10];
	sd_cov_site_heatmap(cs, 6, 10, lv);
	/* row 0 is north (grid row 5); cells c1 (x < 50, -80 dBm) level 4,
	 * c2 (-100 dBm) level 2, failing squares level 1 */
	const char *want[6] = {
		"4444422222",
		"4444421112",   /* grid row 4: B */
		"4444421112",   /* grid row 3: B */
		"4444422222",
		"4114422222",   /* grid row 1: A */
		"4444422221",   /* grid row 0: the lone square */
	};
	for (int r = 0; r < 6; r++)
		for (int c = 0; c < 10; c++)
			if (lv[r * 10 + c] != want[r][c] - '0')
				fail_msg("row %d col %d: level %d, want %c", r, c,
					 lv[r * 10 + c], want[r][c]);
	/* the same as JSON, with the report */
	json_t *j = sd_cov_site_to_json(cs, 6, 10, 1);
	assert_string_equal(json_string_value(json_object_get(j, "site")), "hall-a");
	assert_int_equal(json_integer_value(json_object_get(j, "samples")), 120);
	assert_true(json_real_value(json_object_get(j, "share_pct")) == 85);
	assert_true(json_is_true(json_object_get(j, "below_target")));
	assert_int_equal(json_array_size(json_object_get(j, "weak_cells")), 1);
	assert_string_equal(json_string_value(json_object_get(
		json_array_get(json_object_get(j, "weak_cells"), 0), "cell")), "c2");
	assert_int_equal(json_array_size(json_object_get(j, "holes")), 1);
	assert_int_equal(json_integer_value(json_object_get(
		json_array_get(json_object_get(j, "holes"), 0), "squares")), 6);
	json_t *hm = json_object_get(j, "heatmap");
	assert_int_equal(json_array_size(hm), 6);
	for (int r = 0; r < 6; r++)
		assert_string_equal(json_string_value(json_array_get(hm, r)), want[r]);
	json_decref(j);
	j = sd_cov_site_to_json(cs, 0, 0, 10);
	assert_null(json_object_get(j, "heatmap"));
	assert_int_equal(json_array_size(json_object_get(j, "holes")), 2);
	json_decref(j);
	/* coarser: 3 x 5, each output cell covers 2 x 2 squares */
	uint8_t small[3 * 5];
	sd_cov_site_heatmap(cs, 3, 5, small);
	assert_int_equal(small[0], 4);
	/* grid rows 2..3, cols 6..7: half the samples fail, which is not a
	 * majority: passing, mean -106.25 dBm -> fair */
	assert_int_equal(small[1 * 5 + 3], 2);
	/* grid rows 0..1, cols 0..1: one failing square of four, mean
	 * -88.1 dBm -> good */
	assert_int_equal(small[2 * 5 + 0], 3);
	/* grid rows 4..5, cols 8..9: B's corner (1 of 4), c2 -> fair */
	assert_int_equal(small[0 * 5 + 4], 2);
	/* an empty site is all "no data" */
	struct sd_cov_site *e = sd_cov_site_new("e", 30, 30, NULL);
	uint8_t z[4];
	memset(z, 9, sizeof z);
	sd_cov_site_heatmap(e, 2, 2, z);
	for (int i = 0; i < 4; i++)
		assert_int_equal(z[i], 0);
	assert_null(sd_cov_site_new("bad", 0, 10, NULL));
	/* a huge plan is coarsened to stay bounded */
	struct sd_cov_site *big = sd_cov_site_new("big", 100000, 100000, NULL);
	assert_true(sd_cov_site_grid_m(big) >= 100);
	sd_cov_site_free(big);
	sd_cov_site_free(e);
	sd_cov_site_free(cs);
}

static struct sd_cov_sample mk(int64_t t, double x, double y, const char *cell,
			       double rsrp, double sinr)
{
	struct sd_cov_sample s = { .t_ms = t, .x_m = x, .y_m = y,
				   .rsrp_dbm = rsrp, .sinr_db = sinr };
	sd_strlcpy(s.cell, cell, sizeof s.cell);
	return s;
}

struct collected {
	struct sd_cov_sample v[16];
	int n;
};

static void collect(void *arg, const struct sd_cov_sample *s)
{
	struct collected *c = arg;
	if (c->n < (int)SD_ARRAY_LEN(c->v))
		c->v[c->n] = *s;
	c->n++;
}

static void test_store(void **st)
{
	(void)st;
	char err[256] = "";
	struct sd_store *db = sd_store_open(":memory:", err, sizeof err);
	assert_non_null(db);
	struct sd_cov_store *cst = sd_cov_store_new(db, 0, err, sizeof err);
	assert_non_null(cst);
	assert_int_equal(sd_store_version(db, "coverage"), 1);
	struct sd_cov_sample v[4] = {
		mk(1000, 10.5, 20.25, "c1", -90.5, 7.25),
		mk(1000, 10.5, 20.25, "c2", -100, 1),   /* other cell: distinct */
		mk(2000, 10.5, 20.25, "c1", -110, -3),  /* other time: distinct */
		mk(1000, 10.5, 20.25, "c1", -60, 30),   /* same key as v[0] */
	};
	bool fresh[4];
	assert_int_equal(sd_cov_store_add(cst, "hall-a", v, 4, fresh), 3);
	assert_true(fresh[0] && fresh[1] && fresh[2]);
	assert_false(fresh[3]);
	assert_false(sd_store_in_txn(db));
	/* the same batch again: nothing new */
	assert_int_equal(sd_cov_store_add(cst, "hall-a", v, 4, fresh), 0);
	for (int i = 0; i < 4; i++)
		assert_false(fresh[i]);
	/* the same samples for another site are that site's */
	assert_int_equal(sd_cov_store_add(cst, "hall-b", v, 1, NULL), 1);
	assert_int_equal(sd_cov_store_count(cst, "hall-a"), 3);
	assert_int_equal(sd_cov_store_count(cst, "hall-b"), 1);
	assert_int_equal(sd_cov_store_count(cst, "none"), 0);

	/* round trip: every field, in stored order; the first value of a key wins */
	struct collected c = { .n = 0 };
	assert_int_equal(sd_cov_store_load(cst, "hall-a", collect, &c), 3);
	assert_int_equal(c.n, 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(c.v[i].t_ms, v[i].t_ms);
		assert_true(c.v[i].x_m == v[i].x_m && c.v[i].y_m == v[i].y_m);
		assert_string_equal(c.v[i].cell, v[i].cell);
		assert_true(c.v[i].rsrp_dbm == v[i].rsrp_dbm);
		assert_true(c.v[i].sinr_db == v[i].sinr_db);
	}
	/* the loaded samples rebuild an accumulator as the originals did */
	struct sd_cov_site *a = sd_cov_site_new("hall-a", 100, 60, NULL);
	struct sd_cov_site *b = sd_cov_site_new("hall-a", 100, 60, NULL);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(sd_cov_site_add(a, &v[i]), 0);
		assert_int_equal(sd_cov_site_add(b, &c.v[i]), 0);
	}
	struct sd_cov_report ra, rb;
	sd_cov_site_report(a, &ra);
	sd_cov_site_report(b, &rb);
	assert_int_equal(rb.samples, 3);
	assert_int_equal(rb.passing, ra.passing);
	assert_int_equal(rb.passing, 2);
	sd_cov_site_free(a);
	sd_cov_site_free(b);

	/* a migration run again (engine restart) keeps the data */
	sd_cov_store_free(cst);
	cst = sd_cov_store_new(db, 0, err, sizeof err);
	assert_non_null(cst);
	assert_int_equal(sd_cov_store_count(cst, "hall-a"), 3);
	assert_int_equal(sd_cov_store_add(cst, "hall-a", v, 3, NULL), 0);
	sd_cov_store_free(cst);
	sd_store_close(db);
}

static void test_store_cap(void **st)
{
	(void)st;
	char err[256] = "";
	struct sd_store *db = sd_store_open(":memory:", err, sizeof err);
	assert_non_null(db);
	struct sd_cov_store *cst = sd_cov_store_new(db, 5, err, sizeof err);
	assert_non_null(cst);
	struct sd_cov_sample v[8];
	for (int i = 0; i < 8; i++)
		v[i] = mk(1000 * i, i, 1, "c1", -90, 5);
	assert_int_equal(sd_cov_store_add(cst, "s", v, 4, NULL), 4);
	assert_int_equal(sd_cov_store_add(cst, "other", v, 2, NULL), 2);
	assert_int_equal(sd_cov_store_count(cst, "s"), 4);
	/* 4 more: 8 > 5, the 3 stored first go */
	assert_int_equal(sd_cov_store_add(cst, "s", v + 4, 4, NULL), 4);
	assert_int_equal(sd_cov_store_count(cst, "s"), 5);
	struct collected c = { .n = 0 };
	assert_int_equal(sd_cov_store_load(cst, "s", collect, &c), 5);
	for (int i = 0; i < 5; i++)
		assert_int_equal(c.v[i].t_ms, v[i + 3].t_ms);
	/* the cap is per site */
	assert_int_equal(sd_cov_store_count(cst, "other"), 2);
	/* a batch larger than the cap keeps its last cap samples */
	assert_int_equal(sd_cov_store_add(cst, "big", v, 8, NULL), 8);
	assert_int_equal(sd_cov_store_count(cst, "big"), 5);
	/* still kept samples are duplicates; a dropped one counts as new */
	assert_int_equal(sd_cov_store_add(cst, "s", v + 7, 1, NULL), 0);
	assert_int_equal(sd_cov_store_add(cst, "s", v, 1, NULL), 1);
	assert_int_equal(sd_cov_store_count(cst, "s"), 5);
	sd_cov_store_free(cst);
	sd_store_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_errors),
		cmocka_unit_test(test_csv_latlon),
		cmocka_unit_test(test_site_report),
		cmocka_unit_test(test_prediction),
		cmocka_unit_test(test_heatmap),
		cmocka_unit_test(test_store),
		cmocka_unit_test(test_store_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

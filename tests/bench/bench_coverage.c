/* tests/bench/bench_coverage.c — coverage prediction at the scale zone's
 * site size (tests/tools/genzone.py: 500 m x 500 m sites, 30 cells each,
 * 10 m squares):
 *
 *   bench_coverage [--sites N]
 *
 * predicts N sites (200) with sd_cov_site_predict, then a baseline that
 * evaluates the TR 38.901 mean loss (sd_pl_mean) directly for every
 * square and cell of the same sites and keeps the best — the naive way,
 * without the per-cell distance tables. Prints CPU per site, the
 * projection for the 10,000 sites of the scale zone, the ratio to the
 * baseline, and the per-site memory of a grid. Exit 0 unless the bench
 * itself failed.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "core/util.h"
#include "monitor/coverage.h"
#include "monitor/pathloss.h"

#define SIDE_M 500.0
#define CELLS 30

static double cpu_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	int nsites = 200, i, k;
	struct sd_cov_conf conf;
	struct sd_cov_env env = { .outdoor = false, .clutter_r = 0.45, .clutter_height_m = 4 };
	struct sd_cov_tx tx[CELLS];
	struct sd_cov_report r;
	volatile double sink = 0;
	double t0, t_pred, t_base;
	long work = 0;

	if (argc == 3 && strcmp(argv[1], "--sites") == 0)
		nsites = atoi(argv[2]);
	if (nsites < 1 || nsites > 100000) {
		fprintf(stderr, "usage: bench_coverage [--sites 1..100000]\n");
		return 2;
	}
	sd_cov_conf_default(&conf);
	/* 30 cells on a 6 x 5 grid over the site, as a planner would place them */
	for (k = 0; k < CELLS; k++) {
		struct sd_cell c = { .x_m = (k % 6 + 0.5) * SIDE_M / 6, .y_m = (k / 6 + 0.5) * SIDE_M / 5,
				     .antenna_height_m = 8, .tx_power_dbm = 30, .carrier_ghz = 3.5,
				     .bandwidth_mhz = 100 };
		snprintf(c.id, sizeof c.id, "c%d", k);
		sd_cov_tx_from_cell(&tx[k], &c);
		tx[k].offset_db = (k % 7) - 3;
	}
	t0 = cpu_s();
	for (i = 0; i < nsites; i++) {
		struct sd_cov_site *cs = sd_cov_site_new("s", SIDE_M, SIDE_M, &conf);
		if (!cs)
			return 1;
		work += sd_cov_site_predict(cs, &env, tx, CELLS, 1000);
		sd_cov_site_report(cs, &r);
		sink += r.squares_predicted_passing;
		sd_cov_site_free(cs);
	}
	t_pred = cpu_s() - t0;
	/* baseline: the formulas per square and cell, best server only */
	t0 = cpu_s();
	for (i = 0; i < nsites; i++) {
		for (int y = 0; y < 50; y++)
			for (int x = 0; x < 50; x++) {
				double best = -INFINITY;
				for (k = 0; k < CELLS; k++) {
					struct sd_pl_link l = { .model = SD_PL_INF_DH, .fc_ghz = 3.5,
								.hbs_m = 8, .hut_m = 1.5, .r = 0.45,
								.d_clutter_m = 2, .hc_m = 4 };
					double d = hypot((x + 0.5) * 10 - tx[k].x_m, (y + 0.5) * 10 - tx[k].y_m);
					double v = -5.15 - sd_pl_mean(&l, d, NULL);
					best = v > best ? v : best;
				}
				sink += best;
			}
	}
	t_base = cpu_s() - t0;
	printf("coverage.predict.site_ms            %.2f (500 x 500 m, 2,500 squares, %d cells)\n",
	       1e3 * t_pred / nsites, CELLS);
	printf("coverage.predict.work_per_site      %ld square x cell evaluations and table steps\n",
	       work / nsites);
	printf("coverage.predict.scale_zone_cpu_s   %.1f (10,000 such sites, once after a start)\n",
	       t_pred / nsites * 10000);
	printf("coverage.predict.per_tick_budget    %.0f sites a tick at 2,000,000 evaluations\n",
	       2000000.0 / (double)(work / nsites));
	printf("coverage.baseline.site_ms           %.2f (TR 38.901 formulas per square and cell)\n",
	       1e3 * t_base / nsites);
	printf("coverage.ratio                      %.1fx faster than the baseline\n",
	       t_base / (t_pred > 0 ? t_pred : 1e-9));
	printf("coverage.grid_bytes_per_site        %zu predicted only, %zu once walked\n",
	       (size_t)2500 * 4, (size_t)2500 * (4 + 16));
	return sink == 12345.678 ? 1 : 0;
}

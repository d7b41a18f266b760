/* tests/fuzz/fuzz_coverage_csv.c — the walk-test CSV reader
 * (sd_cov_csv_parse, monitor/coverage.c), the one CSV reader of outside
 * input (`slicedeck coverage import` and the engine's coverage.add read
 * files through it), and the site accumulator fed with what it returns.
 *
 * Each input is parsed twice: placed on a 100 x 60 m site (lat/lon rows
 * allowed) and with no site (lat/lon rows are errors). Aborts when:
 *   - an error message is unterminated, empty or holds a control character;
 *   - a parse fails without an error or succeeds with one;
 *   - more rows than SD_COV_MAX_ROWS come back, or a row has an invalid
 *     cell id or an RSRP, SINR or (with a site) position out of range;
 *   - the site accumulator refuses a row the parser accepted, or reports
 *     counts that do not add up, a share outside 0..100, or a heat map
 *     level outside 0..4.
 *
 * Build and run: tests/fuzz/README.md. -DSD_FUZZ_MAIN replays files.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/model.h"
#include "core/util.h"
#include "monitor/coverage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(const char *s, size_t n)
{
	if (memchr(s, '\0', n) == NULL)
		abort();
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			abort();
}

static void check_share(double pct, uint32_t samples)
{
	if (samples == 0 ? !isnan(pct) : !(pct >= 0 && pct <= 100))
		abort();
}

static void accumulate(const struct sd_site *site, const struct sd_cov_sample *v, size_t n)
{
	struct sd_cov_conf conf;
	struct sd_cov_site *cs;
	struct sd_cov_report r;
	struct sd_cov_cell cells[8];
	struct sd_cov_hole holes[8];
	uint8_t map[12 * 20];
	int i, k;
	size_t j;

	sd_cov_conf_default(&conf);
	cs = sd_cov_site_new(site->id, site->width_m, site->height_m, &conf);
	if (!cs)
		abort();
	for (j = 0; j < n; j++)
		if (sd_cov_site_add(cs, &v[j]) != 0)
			abort();
	sd_cov_site_report(cs, &r);
	if (r.samples != n || r.refused != 0 || r.passing > r.samples ||
	    r.squares_passing > r.squares_with_data || r.squares_with_data > r.squares ||
	    r.squares_with_data > r.samples)
		abort();
	check_share(r.share_pct, r.samples);
	check_share(r.area_share_pct, r.samples);
	k = sd_cov_site_weak_cells(cs, cells, (int)SD_ARRAY_LEN(cells));
	if (k < 0 || k > (int)SD_ARRAY_LEN(cells))
		abort();
	for (i = 0; i < k; i++) {
		check_text(cells[i].id, sizeof cells[i].id);
		if (cells[i].passing > cells[i].samples || cells[i].samples > r.samples)
			abort();
	}
	k = sd_cov_site_holes(cs, holes, (int)SD_ARRAY_LEN(holes));
	if (k < 0 || k > (int)SD_ARRAY_LEN(holes))
		abort();
	for (i = 0; i < k; i++)
		if (holes[i].squares < conf.min_hole_squares || holes[i].x0_m > holes[i].x1_m ||
		    holes[i].y0_m > holes[i].y1_m)
			abort();
	sd_cov_site_heatmap(cs, 12, 20, map);
	for (j = 0; j < sizeof map; j++)
		if (map[j] > 4)
			abort();
	sd_cov_site_free(cs);
}

static void parse_once(const char *text, size_t size, const struct sd_site *site)
{
	struct sd_errlist errs;
	struct sd_cov_sample *v = NULL;
	size_t n = 0, j;
	int rc, i;

	sd_errlist_init(&errs);
	rc = sd_cov_csv_parse("walk.csv", text, size, site, &v, &n, &errs);
	for (i = 0; i < errs.n; i++) {
		if (errs.msgs[i] == NULL || errs.msgs[i][0] == '\0')
			abort();
		check_text(errs.msgs[i], strlen(errs.msgs[i]) + 1);
	}
	if (rc == 0) {
		if (errs.n != 0 || n > SD_COV_MAX_ROWS || (n && !v))
			abort();
		for (j = 0; j < n; j++) {
			const struct sd_cov_sample *s = &v[j];
			check_text(s->cell, sizeof s->cell);
			if (!sd_id_valid(s->cell) || !(s->rsrp_dbm >= SD_COV_RSRP_MIN) ||
			    !(s->rsrp_dbm <= SD_COV_RSRP_MAX) || !(s->sinr_db >= SD_COV_SINR_MIN) ||
			    !(s->sinr_db <= SD_COV_SINR_MAX) || !isfinite(s->x_m) ||
			    !isfinite(s->y_m) || s->t_ms < 0)
				abort();
			if (site && (s->x_m < 0 || s->y_m < 0 || s->x_m > site->width_m ||
				     s->y_m > site->height_m))
				abort();
		}
		if (site)
			accumulate(site, v, n);
	} else if (rc != -1 || errs.n == 0 || v != NULL || n != 0) {
		abort();
	}
	sd_free(v);
	sd_errlist_done(&errs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the site the test data is laid out on (tests/data/coverage) */
	static const struct sd_site hall = {
		.id = "hall-a", .lat = 31.2, .lon = 121.5, .width_m = 100, .height_m = 60,
	};

	parse_once((const char *)data, size, &hall);
	parse_once((const char *)data, size, NULL);
	return 0;
}

#ifdef SD_FUZZ_MAIN
int main(int argc, char **argv)
{
	static uint8_t buf[1 << 20];
	int i;

	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		size_t n;
		if (!f) {
			perror(argv[i]);
			return 1;
		}
		n = fread(buf, 1, sizeof buf, f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
	}
	printf("%d inputs ok\n", argc - 1);
	return 0;
}
#endif

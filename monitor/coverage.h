/* monitor/coverage.h — radio coverage of a site: from cell RSRP/SINR
 * samples and from walk tests.
 *
 * A sample passes when RSRP >= rsrp_min_dbm AND SINR >= sinr_min_db
 * (defaults -105 dBm and 0 dB). Per site:
 *
 *   share       passing samples / samples, %; "below target" when it is
 *               under target_pct (default 95 %)
 *   area share  the site plan (width x height metres) is cut into square
 *               grid_m cells (default 10 m); a square with samples fails
 *               when fewer than half its samples pass; area share =
 *               passing squares / squares with samples
 *   weak cells  cells whose own passing share is under target_pct
 *   holes       connected groups (4-neighbour) of failing squares of at
 *               least min_hole_squares squares (default 2)
 *   heat map    rows x cols levels for a terminal: 0 no data, 1 failing,
 *               2 passing (fair), 3 good (RSRP >= -95 dBm), 4 excellent
 *               (RSRP >= -85 dBm), by mean RSRP of the squares covered;
 *               5..8 the same four levels for predicted squares
 *   prediction  every square without walk-test samples can carry a
 *               predicted RSRP/SINR (sd_cov_site_predict, TR 38.901 path
 *               loss from each cell's configuration, calibrated per cell;
 *               docs/coverage.md). A square with samples is "measured"
 *               and its samples decide it; one with only a prediction is
 *               "predicted" and passes when the predicted RSRP and SINR
 *               meet the thresholds. Area share counts both; the site is
 *               below target when its sample share or its area share is
 *               under target_pct.
 *   cell reports a cell's own mean RSRP/SINR (NWDAF, sim) feeds its weak-
 *               cell figures and its calibration, not the grid: it says
 *               nothing about a place.
 *
 * Positions are metres on the site plan: x east, y north, the origin at
 * the plan's south-west corner, which is the site's lat/lon. Walk-test
 * rows with lat/lon are projected onto the plan (equirectangular, fine
 * for a site of a few km). A cell sample (NWDAF, sim) is placed at its
 * cell's x/y.
 *
 * Walk-test CSV: a header line naming the columns (any order, case
 * insensitive): time, x and y OR lat and lon, cell, rsrp, sinr. time is
 * RFC 3339 ("2026-11-23T10:00:00Z", fraction allowed) or Unix seconds.
 * Fields may be double-quoted. Every problem is reported as
 * "FILE:LINE: what", e.g. "walk.csv:17: RSRP must be -156..-31 dBm".
 */
#ifndef SD_COVERAGE_H
#define SD_COVERAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/config.h"
#include "monitor/monitor_conf.h"
#include "core/model.h"

struct sd_cov_conf {
	double rsrp_min_dbm;   /* -105 */
	double sinr_min_db;    /* 0 */
	double target_pct;     /* 95 */
	double grid_m;         /* 10 */
	int min_hole_squares;  /* 2 */
};
void sd_cov_conf_default(struct sd_cov_conf *c);
/* Defaults, then the configuration's monitor.coverage keys. */
void sd_cov_conf_from(struct sd_cov_conf *c, const struct sd_monitor_conf *m);

#define SD_COV_RSRP_MIN (-156.0)
#define SD_COV_RSRP_MAX (-31.0)
#define SD_COV_SINR_MIN (-23.0)
#define SD_COV_SINR_MAX 40.0
#define SD_COV_MAX_ROWS 1000000      /* per CSV file */
#define SD_COV_MAX_FILE (64u << 20)  /* bytes */
#define SD_COV_MAX_SQUARES 1000000   /* grid squares per site */
#define SD_COV_MAX_CELLS 4096        /* cells tracked per site */

struct sd_cov_sample {
	int64_t t_ms;
	double x_m, y_m;
	char cell[SD_ID_MAX];
	double rsrp_dbm, sinr_db;
};

/* Parse walk-test CSV text. name is used in messages. site gives the
 * origin for lat/lon rows (NULL: lat/lon rows are errors). On success
 * (no error at all) returns 0 with *out (sd_free it) and *n; otherwise
 * -1 with every problem in errs and *out NULL. */
int sd_cov_csv_parse(const char *name, const char *text, size_t len,
		     const struct sd_site *site, struct sd_cov_sample **out, size_t *n,
		     struct sd_errlist *errs);
/* The same from a file (at most SD_COV_MAX_FILE bytes); messages name the
 * file by its base name. */
int sd_cov_csv_load(const char *path, const struct sd_site *site,
		    struct sd_cov_sample **out, size_t *n, struct sd_errlist *errs);

/* lat/lon to plan metres relative to the site's lat/lon. */
void sd_cov_project(const struct sd_site *site, double lat, double lon,
		    double *x_m, double *y_m);

struct sd_cov_site;

/* A site's coverage accumulator (width, height in metres, > 0). A grid
 * finer than SD_COV_MAX_SQUARES allows is coarsened. NULL on bad args. */
struct sd_cov_site *sd_cov_site_new(const char *site_id, double width_m, double height_m,
				    const struct sd_cov_conf *c);
void sd_cov_site_free(struct sd_cov_site *cs);
void sd_cov_site_reset(struct sd_cov_site *cs);
/* 0, or -1 when outside the plan or the values are out of range. */
int sd_cov_site_add(struct sd_cov_site *cs, const struct sd_cov_sample *s);
/* A cell's own RSRP/SINR report (NWDAF, sim): counted for the cell (weak
 * cells) and as a cell report; no square gets it. */
int sd_cov_site_add_cell(struct sd_cov_site *cs, const struct sd_cell *c, int64_t t_ms,
			 double rsrp_dbm, double sinr_db);

/* ---- prediction (docs/coverage.md) ---- */

/* Where a cell's UEs are taken to be when its own mean RSRP calibrates
 * it: this far from the antenna on the floor. */
#define SD_COV_CAL_DISTANCE_M 40.0
/* Load of the interfering cells on the same carrier (share of their
 * resource elements in use) for the predicted SINR. */
#define SD_COV_NEIGHBOUR_LOAD 0.5
/* Calibration offsets are kept within +-this (dB): beyond it the
 * configuration, not the propagation, is wrong. */
#define SD_COV_MAX_OFFSET_DB 30.0

/* A site's propagation environment (from its configuration). */
struct sd_cov_env {
	bool outdoor;                /* yard: UMi; hall: InF */
	double clutter_r;            /* 0..1 */
	double clutter_height_m;
	double clutter_size_m;       /* 0: by density */
};
void sd_cov_env_from_site(struct sd_cov_env *e, const struct sd_site *s);

/* One cell as the prediction sees it. */
struct sd_cov_tx {
	char id[SD_ID_MAX];
	double x_m, y_m, antenna_height_m, tx_power_dbm, carrier_ghz;
	int bandwidth_mhz;
	bool down;                   /* off the air: left out */
	double offset_db;            /* calibration, added to its RSRP */
};
/* The cell's configuration; not down, no offset. */
void sd_cov_tx_from_cell(struct sd_cov_tx *t, const struct sd_cell *c);
/* The TR 38.901 model a cell uses in env. */
int sd_cov_tx_model(const struct sd_cov_env *e, const struct sd_cov_tx *t);
/* Its uncalibrated mean RSRP (dBm) at floor distance d2d_m. */
double sd_cov_tx_rsrp_at(const struct sd_cov_env *e, const struct sd_cov_tx *t, double d2d_m);

/* Predicts every square of the site from the cells tx[0..n) (those not
 * down), replacing the previous prediction: per square the best cell's
 * calibrated RSRP, and its SINR against the other cells on the same
 * carrier at SD_COV_NEIGHBOUR_LOAD plus thermal noise. With no cell up,
 * every square is predicted at the floor (-156 dBm): a hole. n = 0
 * clears the prediction. Returns the work done in square x cell
 * evaluations. */
long sd_cov_site_predict(struct sd_cov_site *cs, const struct sd_cov_env *e,
			 const struct sd_cov_tx *tx, int n, int64_t now_ms);
bool sd_cov_site_predicted(const struct sd_cov_site *cs);
double sd_cov_site_grid_m(const struct sd_cov_site *cs);   /* after coarsening */

struct sd_cov_report {
	uint32_t samples, passing, refused;
	double share_pct;              /* NaN without samples */
	uint32_t squares, squares_with_data, squares_passing;   /* measured squares */
	uint32_t squares_predicted, squares_predicted_passing;  /* predicted only */
	double measured_area_pct;      /* NaN without measured squares */
	double predicted_area_pct;     /* NaN without predicted squares */
	double area_share_pct;         /* both kinds; NaN without either */
	double judged_pct;             /* the lower of share and area share (NaN: none) */
	bool below_target;
	uint32_t cell_reports;
	int nweak, nholes;
};
void sd_cov_site_report(const struct sd_cov_site *cs, struct sd_cov_report *r);

struct sd_cov_cell {
	char id[SD_ID_MAX];
	uint32_t samples, passing;
	double share_pct, rsrp_mean, sinr_mean;
};
/* Weak cells, worst share first; returns how many were written. */
int sd_cov_site_weak_cells(const struct sd_cov_site *cs, struct sd_cov_cell *out, int max);

struct sd_cov_hole {
	int squares;
	int predicted;                  /* of squares, those only predicted */
	uint32_t samples;
	double x0_m, y0_m, x1_m, y1_m;  /* bounding box */
	double cx_m, cy_m;              /* centre of its squares */
	double rsrp_mean;
};
/* Holes, largest first; returns how many were written. */
int sd_cov_site_holes(const struct sd_cov_site *cs, struct sd_cov_hole *out, int max);

/* Heat map levels (0..4, see above), row 0 = north edge, col 0 = west. */
void sd_cov_site_heatmap(const struct sd_cov_site *cs, int rows, int cols, uint8_t *levels);

/* The site's coverage as JSON for IPC: {"site", "samples", "passing",
 * "share_pct", "area_share_pct" (null without samples), "target_pct",
 * "rsrp_min_dbm", "sinr_min_db", "grid_m", "below_target", "weak_cells":
 * [{"cell", "samples", "share_pct", "rsrp_mean", "sinr_mean"}],
 * "holes": [{"squares", "samples", "x0_m", "y0_m", "x1_m", "y1_m",
 * "rsrp_mean", "kind": "measured" | "predicted" | "mixed",
 * "predicted_squares"}], "heatmap": ["0123..", ...] (rows x cols digits
 * 0-8, north first; omitted when rows or cols is 0), "cell_reports",
 * "measured": {"squares", "passing", "area_share_pct"}, "predicted":
 * {"squares", "passing", "area_share_pct", "at" (RFC 3339 or null),
 * "models"}}. At most max_items weak cells and holes. */
json_t *sd_cov_site_to_json(const struct sd_cov_site *cs, int rows, int cols, int max_items);

/* Persistence of imported samples in the engine's store (core/store.h),
 * so a restart rebuilds each site's accumulator.
 *
 *   table       coverage_sample(site, t_ms, x_m, y_m, cell, rsrp_dbm,
 *               sinr_db), migration component "coverage".
 *   unique key  (site, t_ms, x_m, y_m, cell): the same measurement (same
 *               time, same place, same cell) is one sample, whatever its
 *               values; re-importing a file adds nothing. Positions are
 *               compared exactly, as parsed (the same file parses to the
 *               same doubles).
 *   cap         at most cap samples per site are kept (SD_COV_STORE_MAX
 *               by default); beyond it the earliest stored are dropped.
 *               A running engine's accumulator keeps counting them until
 *               the next restart; a dropped sample imported again counts
 *               as new.
 *
 * The handle holds prepared statements on s; free it before closing s. */
#define SD_COV_STORE_MAX 200000L

struct sd_store;
struct sd_cov_store;

/* Runs the "coverage" migration and prepares statements. cap <= 0 means
 * SD_COV_STORE_MAX. NULL with a message in err on failure. */
struct sd_cov_store *sd_cov_store_new(struct sd_store *s, long cap, char *err, size_t errsz);
void sd_cov_store_free(struct sd_cov_store *cst);
/* Stores v[0..n) for site in one transaction (or inside the caller's),
 * then applies the cap. Returns how many were new (not already stored),
 * or -1 on a store error (nothing stored). fresh, when not NULL, gets one
 * flag per sample: true when that sample was new. */
int sd_cov_store_add(struct sd_cov_store *cst, const char *site,
		     const struct sd_cov_sample *v, size_t n, bool *fresh);
/* Calls fn for each stored sample of site, oldest stored first. Returns
 * how many, or -1 on a store error. */
long sd_cov_store_load(struct sd_cov_store *cst, const char *site,
		       void (*fn)(void *arg, const struct sd_cov_sample *s), void *arg);
/* Samples stored for site, -1 on error. */
long sd_cov_store_count(struct sd_cov_store *cst, const char *site);

/* Whether sd_cov_site_add would take s (inside the plan, values in
 * range), without adding it. */
bool sd_cov_site_accepts(const struct sd_cov_site *cs, const struct sd_cov_sample *s);

#endif

/* tui/walk.h — the walk-test CSV that "slicedeck coverage import" reads.
 *
 * The console checks the whole file before sending anything, so that every
 * bad line is reported as FILE:LINE and nothing is imported from a file
 * with an error; the engine checks each sample again (plan, ranges) when it
 * stores it. Kept here rather than borrowed from monitor/: the console
 * depends on the IPC codec and core utilities only.
 *
 * The format: a header line naming the columns, in any order and any case:
 * time, x and y (metres on the site plan, east and north of its south-west
 * corner) or lat and lon (degrees, placed on the plan from the site's
 * lat/lon), cell, rsrp (dBm), sinr (dB). time is RFC 3339
 * ("2026-11-23T10:00:00Z", a fraction and a +hh:mm offset allowed) or Unix
 * seconds. Fields may be double-quoted ("" inside quotes); blank lines and
 * lines starting with # are skipped.
 */
#ifndef SD_TUI_WALK_H
#define SD_TUI_WALK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define SD_WALK_CELL_MAX 64          /* a cell id, with its NUL */
#define SD_WALK_MAX_ROWS 1000000     /* samples per file */
#define SD_WALK_MAX_FILE (64u << 20) /* bytes */
#define SD_WALK_MAX_ERRORS 200       /* problems reported, then one "more" line */
#define SD_WALK_RSRP_MIN (-156.0)    /* dBm, the TS 38.133 reporting range */
#define SD_WALK_RSRP_MAX (-31.0)
#define SD_WALK_SINR_MIN (-23.0)     /* dB */
#define SD_WALK_SINR_MAX 40.0

struct sd_walk_sample {
	int64_t t_ms;                 /* wall clock, ms since the epoch */
	double x_m, y_m;              /* on the site plan */
	char cell[SD_WALK_CELL_MAX];
	double rsrp_dbm, sinr_db;
};

/* Where lat/lon rows are placed: the site plan's south-west corner. */
struct sd_walk_origin {
	double lat, lon;
};

/* Parse CSV text; name is the file name used in messages. origin may be
 * NULL (then lat/lon columns are an error). Every problem is written to
 * err as "NAME:LINE: what". Returns the number of problems: 0 with *out
 * (free it) holding *n samples, else *out NULL. */
int sd_walk_parse(const char *name, const char *text, size_t len,
		  const struct sd_walk_origin *origin, struct sd_walk_sample **out, size_t *n,
		  FILE *err);
/* The same from a file (messages name its base name). */
int sd_walk_load(const char *path, const struct sd_walk_origin *origin,
		 struct sd_walk_sample **out, size_t *n, FILE *err);

#endif

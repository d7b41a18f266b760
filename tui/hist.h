/* tui/hist.h — the live values the console has seen since it started, per
 * slice, for the KPI sparklines. The engine keeps no history on the wire;
 * the console records each pushed sample (bounded ring per KPI). */
#ifndef SD_TUI_HIST_H
#define SD_TUI_HIST_H

#include <jansson.h>

#define SD_HIST_N     64      /* samples per KPI */
#define SD_HIST_MAX   65536   /* slices tracked at most */

enum sd_kpi { SD_KPI_LOAD, SD_KPI_UES, SD_KPI_PDU, SD_KPI_DELAY, SD_KPI_TAS, SD_KPI_COUNT };

struct sd_hist_series {
	char id[64];
	int n;                               /* samples held (<= SD_HIST_N) */
	int head;                            /* next write */
	float v[SD_KPI_COUNT][SD_HIST_N];   /* NAN = not known at that time */
};

struct sd_hist {
	struct sd_hist_series **slot;  /* open addressing by id */
	size_t nslots, used;
	double zone[SD_HIST_N];        /* zone-wide UEs, for the overview */
	int zone_n;
};

extern const char *const sd_kpi_names[SD_KPI_COUNT];
extern const char *const sd_kpi_paths[SD_KPI_COUNT];

void sd_hist_init(struct sd_hist *h);
void sd_hist_done(struct sd_hist *h);
/* Record one sample of every slice in a pushed slice list. */
void sd_hist_record(struct sd_hist *h, const json_t *slices);
/* Oldest-first values of one KPI into out (SD_HIST_N doubles); returns the
 * count, 0 when the slice was never seen. */
int  sd_hist_get(const struct sd_hist *h, const char *id, enum sd_kpi k, double *out);
/* Zone-wide series (sum of UEs), oldest first. */
int  sd_hist_zone(const struct sd_hist *h, double *out);

#endif

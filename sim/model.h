/* sim/model.h — the synthetic pilot zone behind slicedeck-sim's API.
 *
 * Every quantity is a pure function of (seed, configuration, model time),
 * so a run is reproducible for a seed and a handler may ask as often as it
 * likes. Model time is a wall-clock instant (ms since the epoch) that the
 * simulator may run faster than real time; the zone's local time
 * (utc_offset_min, China Standard Time by default) drives the load curve.
 *
 * The pieces:
 *   diurnal curve   industrial three-shift day: full day shift 08-16,
 *                   evening shift at 70 %, night shift at 35 %, dips at
 *                   shift changes and breaks, weekends at half load;
 *   slice KPIs      UEs and load follow the curve with noise per 10 s
 *                   bucket; latency is lognormal around a median that
 *                   grows like a queue with load, its tail heavier near
 *                   saturation, scaled so that at the slice's own peak
 *                   load the percentile it is judged at (the contract's,
 *                   or p98 against its 5QI's delay budget) uses 60 % of
 *                   the tighter budget: a healthy zone meets every SLA,
 *                   a fault or a surge beyond the peak breaks it; loss
 *                   likewise against reliability and the 5QI's PER;
 *                   throughput is load times capacity (the contract's MBR
 *                   or a default by SST);
 *   radio           RSRP from each cell's configured power and carrier and a
 *                   log-distance path loss (exponent 2.5) to the site's cells
 *                   with seeded shadowing, SINR against the other cells
 *                   whose interference follows the load curve.
 */
#ifndef SD_SIM_MODEL_H
#define SD_SIM_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/model.h"

#define SD_SIM_BUCKET_MS 10000   /* model noise changes every 10 s of model time */

/* What a fault does to a slice (sim/fault.h fills it in). */
struct sd_sim_degrade {
	double latency_factor;   /* multiplies the latency median, 1 = none */
	double latency_add_ms;   /* added to every latency value */
	bool down;               /* the slice carries nothing */
	double loss_add_pct;     /* added to the packet loss, percent */
	double load_factor;      /* multiplies the utilisation (UE surge), 0 = none */
	double ue_factor;        /* multiplies the registered UEs, 0 = none */
	int extra_sessions;      /* PDU sessions on top of the UEs' own (storm) */
};

struct sd_sim_kpi {
	bool active;             /* slice ACTIVE in the config and not down */
	double load;             /* utilisation 0..1 */
	int ues;                 /* registered UEs */
	int pdu_sessions;
	double budget_ms;        /* latency bound (contract or default by SST) */
	double target_ms;        /* what the network schedules for: the tighter of
				  * budget_ms and the 5QI's packet delay budget */
	double lat_median_ms;    /* one-way user-plane delay: median */
	double lat_sigma;        /* lognormal shape parameter */
	double lat_add_ms;       /* fault offset included in the percentiles */
	double lat_p99_ms;
	double lat_p999_ms;
	double ul_mbps, dl_mbps; /* aggregate throughput */
	double loss_pct;         /* packet loss, percent */
};

/* Load factor 0.05..1 at a wall-clock instant. */
double sd_sim_diurnal(int64_t wall_ms, int utc_offset_min);

/* KPIs of slice idx at model time wall_ms. dg may be NULL. */
void sd_sim_slice_kpi(const struct sd_model *m, uint64_t seed, int idx, int64_t wall_ms,
		      int utc_offset_min, const struct sd_sim_degrade *dg,
		      struct sd_sim_kpi *out);

/* The n-th latency sample (ms) of a slice in the KPI's bucket: the same n
 * gives the same value. */
double sd_sim_latency_sample(const struct sd_sim_kpi *k, uint64_t seed, uint64_t n);

/* UEs of a slice in one tracking area: the slice's UEs spread over the TACs
 * of the sites it serves, weighted by cell count. */
int sd_sim_slice_ues_in_tac(const struct sd_model *m, int idx, uint32_t tac, int total);
/* True when the slice serves a site with a cell in tac. */
bool sd_sim_slice_in_tac(const struct sd_model *m, int idx, uint32_t tac);

/* Distinct TACs of the configured cells, ascending; returns the count
 * (at most max). */
int sd_sim_tacs(const struct sd_model *m, uint32_t *tacs, int max);

/* Radio at a point (x, y metres) of a site's plan: the best cell (index
 * into m->cells, -1 when the site has none), its RSRP (dBm) and SINR (dB). */
int sd_sim_radio_at(const struct sd_model *m, uint64_t seed, int site, double x, double y,
		    int64_t wall_ms, int utc_offset_min, double *rsrp_dbm, double *sinr_db);

/* Average radio a cell's UEs see (sampled around the cell). */
void sd_sim_cell_radio(const struct sd_model *m, uint64_t seed, int cell, int64_t wall_ms,
		       int utc_offset_min, double *rsrp_dbm, double *sinr_db);
/* The same with some cells off the air: down[c] nonzero for a cell that
 * radiates nothing (a cell-down fault); down may be NULL. */
int sd_sim_radio_at_ex(const struct sd_model *m, uint64_t seed, int site, double x, double y,
		       int64_t wall_ms, int utc_offset_min, const uint8_t *down,
		       double *rsrp_dbm, double *sinr_db);
void sd_sim_cell_radio_ex(const struct sd_model *m, uint64_t seed, int cell, int64_t wall_ms,
			  int utc_offset_min, const uint8_t *down, double *rsrp_dbm,
			  double *sinr_db);

#endif

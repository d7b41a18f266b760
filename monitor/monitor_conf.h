/* monitor/monitor_conf.h — the `monitor` configuration section: KPI
 * store, SLA evaluation and coverage thresholds.
 *
 * The section registers with the configuration loader through
 * sd_monitor_section (listed in engine/config_sections.c); the monitoring
 * code reads the parsed values with sd_monitor_conf_get() and turns them
 * into each part's own conf struct (sd_kpi_conf_from, sd_sla_conf_from,
 * sd_cov_conf_from). Every key is restart-only: the pipeline takes them
 * when it starts (sd_pipeline_new) and a coverage site keeps its
 * thresholds for the life of the engine.
 */
#ifndef SD_MONITOR_CONF_H
#define SD_MONITOR_CONF_H

#include "core/config.h"

struct sd_monitor_conf {
	int kpi_raw_samples;          /* raw samples kept per series */
	int kpi_retention_1min_days;  /* history of each roll-up level */
	int kpi_retention_5min_days;
	int kpi_retention_1h_days;
	int kpi_retention_1day_days;
	int sla_window_min;           /* evaluation window */
	int sla_window_s;             /* 0, or a window under a minute (divides 60) */
	int sla_hysteresis;           /* windows in a row to breach / recover */
	double sla_rate_tolerance_pct;
	double cov_rsrp_min_dbm;      /* a sample passes at or above both */
	double cov_sinr_min_db;
	double cov_target_pct;        /* share of passing samples a site needs */
	double cov_grid_m;            /* square size of the coverage grid */
	int cov_min_hole_squares;
};

extern const struct sd_config_section sd_monitor_section;

/* The configuration's monitor section; the defaults when c has none (a
 * configuration built by hand, or a program whose schema leaves the
 * section out). Never NULL. */
const struct sd_monitor_conf *sd_monitor_conf_get(const struct sd_config *c);
/* Tests: give a hand-built configuration these values (m is borrowed and
 * must outlive c's use; sd_config_free does not free it). */
void sd_monitor_conf_set(struct sd_config *c, struct sd_monitor_conf *m);

#endif

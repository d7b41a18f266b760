/* monitor/monitor_conf.c — the `monitor` section's key table; see
 * monitor_conf.h. The three groups store into one struct sd_monitor_conf
 * (a group row without .enter or offset stores beside its parent).
 */
#include "monitor/monitor_conf.h"

#include <stddef.h>

#include <libconfig.h>

#define OF(field) SD_CONFIG_OF(struct sd_monitor_conf, field)

static const struct sd_config_key kpi_keys[] = {
	{ .name = "raw_samples", .type = SD_K_INT, .restart = true, OF(kpi_raw_samples),
	  .min = 1, .max = 3600, .def = "30",
	  .help = "recent raw samples kept in memory per object and metric" },
	{ .name = "retention_1min", .type = SD_K_INT, .restart = true,
	  OF(kpi_retention_1min_days), .min = 1, .max = 3650,
	  .def = "2", .unit = "days", .help = "history of 1-minute roll-ups" },
	{ .name = "retention_5min", .type = SD_K_INT, .restart = true,
	  OF(kpi_retention_5min_days), .min = 1, .max = 3650,
	  .def = "14", .unit = "days", .help = "history of 5-minute roll-ups" },
	{ .name = "retention_1h", .type = SD_K_INT, .restart = true,
	  OF(kpi_retention_1h_days), .min = 1, .max = 3650,
	  .def = "90", .unit = "days", .help = "history of 1-hour roll-ups" },
	{ .name = "retention_1day", .type = SD_K_INT, .restart = true,
	  OF(kpi_retention_1day_days), .min = 1, .max = 3650,
	  .def = "400", .unit = "days", .help = "history of 1-day roll-ups" },
	{ 0 }
};

/* monitor.sla.window_s (range checked already) must cut a minute into
 * whole windows, so that windows stay UTC aligned. */
static void store_window_s(struct sd_config_ctx *x, const struct sd_config_key *k,
			   struct config_setting_t *s, void *obj, const char *path)
{
	int v = (int)config_setting_get_int64(s);
	if (v && 60 % v)
		sd_config_err(x, s, path, "%d s does not divide a minute; use 1, 2, 3, 4, 5, 6, "
			      "10, 12, 15, 20 or 30 (0 = window minutes)", v);
	else
		((struct sd_monitor_conf *)obj)->sla_window_s = v;
}

static const struct sd_config_key sla_eval_keys[] = {
	{ .name = "window", .type = SD_K_INT, .restart = true, OF(sla_window_min),
	  .min = 1, .max = 60, .def = "5", .unit = "min",
	  .help = "SLA evaluation window" },
	{ .name = "window_s", .type = SD_K_INT, .restart = true, OF(sla_window_s),
	  .min = 0, .max = 30, .def = "0", .unit = "s", .store = store_window_s,
	  .help = "a window under a minute instead (demos, drills, tests): 1, 2, 3, 4, 5, 6, "
		  "10, 12, 15, 20 or 30 s, judged from raw samples; 0 = use window" },
	{ .name = "hysteresis", .type = SD_K_INT, .restart = true, OF(sla_hysteresis),
	  .min = 1, .max = 100, .def = "2", .unit = "windows",
	  .help = "windows in a row that breach (or meet) before a breach (or recovery)" },
	{ .name = "rate_tolerance_pct", .type = SD_K_FLOAT, .restart = true,
	  OF(sla_rate_tolerance_pct), .fmin = 0, .fmax = 50,
	  .def = "5", .unit = "%", .help = "shortfall of the guaranteed rate still met" },
	{ 0 }
};

static const struct sd_config_key coverage_keys[] = {
	{ .name = "rsrp_min", .type = SD_K_FLOAT, .restart = true, OF(cov_rsrp_min_dbm),
	  .fmin = -156, .fmax = -31, .def = "-105", .unit = "dBm",
	  .help = "a sample passes at or above this RSRP (and SINR)" },
	{ .name = "sinr_min", .type = SD_K_FLOAT, .restart = true, OF(cov_sinr_min_db),
	  .fmin = -23, .fmax = 40, .def = "0", .unit = "dB",
	  .help = "a sample passes at or above this SINR (and RSRP)" },
	{ .name = "target_pct", .type = SD_K_FLOAT, .restart = true, OF(cov_target_pct),
	  .fmin = 0, .fmax = 100, .def = "95", .unit = "%",
	  .help = "share of passing samples a site (or cell) needs" },
	{ .name = "grid", .type = SD_K_FLOAT, .restart = true, OF(cov_grid_m),
	  .fmin = 1, .fmax = 1000, .def = "10", .unit = "m",
	  .help = "side of the coverage grid's squares" },
	{ .name = "min_hole_squares", .type = SD_K_INT, .restart = true,
	  OF(cov_min_hole_squares), .min = 1, .max = 1000000,
	  .def = "2", .help = "failing squares a hole has at least" },
	{ 0 }
};

static const struct sd_config_key monitor_keys[] = {
	{ .name = "kpi", .type = SD_K_GROUP, .sub = kpi_keys, .help = "KPI store" },
	{ .name = "sla", .type = SD_K_GROUP, .sub = sla_eval_keys, .help = "SLA evaluation" },
	{ .name = "coverage", .type = SD_K_GROUP, .sub = coverage_keys,
	  .help = "coverage thresholds" },
	{ 0 }
};

/* Top level, in the order the checks need: tariffs before factories (a
 * factory names its tariff), factories before access (a rule names its
 * factory). The file may order them as it likes. */

const struct sd_config_section sd_monitor_section = {
	.key = { .name = "monitor", .type = SD_K_GROUP, .sub = monitor_keys,
		 .help = "KPIs, SLA evaluation, coverage" },
	.data_size = sizeof(struct sd_monitor_conf),
};

const struct sd_monitor_conf *sd_monitor_conf_get(const struct sd_config *c)
{
	static struct sd_monitor_conf defaults;
	static bool have_defaults;
	const struct sd_monitor_conf *m = sd_config_section_data(c, &sd_monitor_section);

	if (m)
		return m;
	if (!have_defaults) {
		sd_config_section_defaults(&sd_monitor_section, &defaults);
		have_defaults = true;
	}
	return &defaults;
}

void sd_monitor_conf_set(struct sd_config *c, struct sd_monitor_conf *m)
{
	sd_config_section_set(c, &sd_monitor_section, m);
}

/* monitor/pipeline.h — the engine's monitoring pipeline: the KPI store, the
 * SLA evaluator and the alarm manager on one SQLite store in the state
 * directory, driven once a second from the loop.
 *
 *   collectors --samples--> KPI store --windows--> SLA evaluator
 *        |                                              |
 *        +-- NF reachability --> alarm manager <--------+ breach / recovery
 *
 * Samples come from the collectors as they decode NF reports
 * (sd_pipeline_sample); the slice's availability (its NFs up, the slice
 * offered in its tracking areas) is sampled from the model every second.
 */
#ifndef SD_PIPELINE_H
#define SD_PIPELINE_H

#include "core/host.h"
#include "core/ipc_server.h"
#include "monitor/alarm.h"
#include "monitor/collect.h"
#include "monitor/coverage.h"
#include "monitor/kpi.h"
#include "monitor/sla.h"

struct sd_pipeline;

/* On the engine's host: its store (host->store) keeps the history, its
 * bus brings samples (SD_BUS_SAMPLE) and takes alarm changes (an
 * SD_BUS_MODEL event per alarm id, SD_TOPIC_ALARMS), its op registry gets
 * the monitoring ops. */
struct sd_pipeline *sd_pipeline_new(const struct sd_host *host, char *err, size_t errsz);
/* Flushes everything queued to the store, then frees. */
void sd_pipeline_free(struct sd_pipeline *p);
/* The configuration was reloaded (the model merged: indexes moved). */
void sd_pipeline_reload(struct sd_pipeline *p);
/* The SLA evaluation window in seconds (consoles show a demo setting). */
int sd_pipeline_sla_window_s(const struct sd_pipeline *p);

/* A measurement of a slice (by id); the bus's SD_BUS_SAMPLE lands here. */
void sd_pipeline_sample(struct sd_pipeline *p, const char *slice_id,
			enum sd_kpi_metric m, double value);

/* A cell's mean RSRP (dBm) and SINR (dB) from the collectors (NWDAF): the
 * cell's RSRP/SINR KPIs, its weak-cell figures, and its calibration for
 * the site's coverage prediction (docs/coverage.md). Both NaN: a complete
 * report left the cell out; after two in a row it is predicted as off
 * the air. The site is predicted again, within the tick's budget, when a
 * cell goes down or comes back or its calibration drifts by 1 dB; the
 * coverage alarm is judged after each prediction. */
void sd_pipeline_cell_sample(struct sd_pipeline *p, const struct sd_cell *cell,
			     double rsrp, double sinr);

/* The IPC operations sla, alarms, alarm.ack, coverage, coverage.add, kpi
 * (monitor/ipc_monitor.c); done by sd_pipeline_new / sd_pipeline_free. */
int  sd_pipeline_register_ipc(struct sd_pipeline *p, struct sd_ops *ops);
void sd_pipeline_unregister_ipc(struct sd_ops *ops);
/* The alarms topic (active alarms in scope) for the IPC server. */
void sd_pipeline_alarm_topic(struct sd_pipeline *p, struct sd_ipc_topic_def *def);
struct sd_model *sd_pipeline_model(struct sd_pipeline *p);

struct sd_alarms *sd_pipeline_alarms(struct sd_pipeline *p);
/* The coverage accumulator of a site (walk-test imports), made on first
 * use with the site's plan size and the configuration's thresholds, and
 * filled with the site's stored samples (sd_pipeline_coverage_add). */
struct sd_cov_site *sd_pipeline_coverage(struct sd_pipeline *p, const struct sd_site *site);
/* Walk-test samples for a site: each one the site's plan accepts is stored
 * (monitor/coverage.h: unique key, cap) and, when it was not stored
 * before, added to the accumulator. Returns how many the plan refused
 * (out of the plan or range; not stored), or -1 on a store error (nothing
 * added). *added = the new ones; n - refused - *added were duplicates.
 * The accumulator, made on first use, starts from the stored samples. */
int sd_pipeline_coverage_add(struct sd_pipeline *p, const struct sd_site *site,
			     const struct sd_cov_sample *v, size_t n, unsigned *added);
/* Predicts the site now if its prediction is due (one site asked for by
 * name need not wait for the tick). */
void sd_pipeline_coverage_fresh(struct sd_pipeline *p, const struct sd_site *site);
/* Judges the site's coverage (measured and predicted) and raises or
 * clears its coverage alarm. */
void sd_pipeline_coverage_judge(struct sd_pipeline *p, const struct sd_site *site);
/* The site's cells as the prediction sees them: [{"cell", "model",
 * "down", "reported_rsrp_dbm" (smoothed; null before a report),
 * "offset_db"}]. */
json_t *sd_pipeline_coverage_cells(struct sd_pipeline *p, const struct sd_site *site);
struct sd_sla *sd_pipeline_sla(struct sd_pipeline *p);
/* The collectors whose data sources the pipeline reports (`status`) and
 * watches (the NRF outage alarm); NULL detaches (before freeing them). */
void sd_pipeline_set_collect(struct sd_pipeline *p, const struct sd_collect *c);
const struct sd_collect *sd_pipeline_collect(struct sd_pipeline *p);
/* The KPI store (history and open buckets for the kpi IPC operation). */
struct sd_kpi *sd_pipeline_kpi(struct sd_pipeline *p);

#endif

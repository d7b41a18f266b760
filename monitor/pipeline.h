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

#include "core/loop.h"
#include "monitor/alarm.h"
#include "monitor/collect.h"
#include "monitor/coverage.h"
#include "monitor/kpi.h"
#include "monitor/sla.h"

struct sd_pipeline;

/* The host is the same as the collectors' (model, config, changed). */
struct sd_pipeline *sd_pipeline_new(struct sd_loop *loop, const struct sd_collect_host *host,
				    char *err, size_t errsz);
/* Flushes everything queued to the store, then frees. */
void sd_pipeline_free(struct sd_pipeline *p);
/* The model was replaced (configuration reload). */
void sd_pipeline_reload(struct sd_pipeline *p);

/* A measurement of a slice (by id) from the collectors. */
void sd_pipeline_sample(struct sd_pipeline *p, const char *slice_id,
			enum sd_kpi_metric m, double value);

/* A cell's mean RSRP (dBm) and SINR (dB) from the collectors (NWDAF):
 * one sample for its site's coverage, placed at the cell, and the cell's
 * RSRP/SINR KPIs; the site's coverage alarm follows the new share. */
void sd_pipeline_cell_sample(struct sd_pipeline *p, const struct sd_cell *cell,
			     double rsrp, double sinr);

/* The IPC operations sla, alarms, alarm.ack, coverage, kpi and the alarms topic
 * (monitor/ipc_monitor.c); done by sd_pipeline_new / sd_pipeline_free. */
int  sd_pipeline_register_ipc(struct sd_pipeline *p);
void sd_pipeline_unregister_ipc(void);

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
struct sd_sla *sd_pipeline_sla(struct sd_pipeline *p);
/* The KPI store (history and open buckets for the kpi IPC operation). */
struct sd_kpi *sd_pipeline_kpi(struct sd_pipeline *p);

#endif

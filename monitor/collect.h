/* monitor/collect.h — the collectors: what the engine learns from the 5GC.
 *
 *   NRF    NF inventory and status: NFStatusSubscribe with notifications to
 *          the engine's SBI server, and polling of the NF list every poll
 *          interval (the fallback when the subscription fails, and what
 *          keeps "last confirmed REGISTERED" fresh when it works).
 *   NSSF   slice availability per tracking area (NSSAIAvailability
 *          subscription; its 201 body carries the current state).
 *   NWDAF  slice load levels, NF load and per-cell RSRP/SINR
 *          (Nnwdaf_AnalyticsInfo, polled; the cell radio is a vendor
 *          extension of NETWORK_PERFORMANCE, docs/wire-compat.md).
 *   AMF    UEs per slice (Namf_EventExposure UES_IN_AREA_REPORT).
 *   SMF    PDU sessions and QoS-monitoring packet delays per slice
 *          (Nsmf_EventExposure).
 *
 * NSSF, NWDAF, AMF and SMF are found through the NRF (their service
 * endpoints in the NF profiles). Results land in the engine's model; the
 * host is told which IPC topics changed. A failed or malformed answer never
 * wipes the last good view: it is kept and marked stale, and the failure is
 * logged (rate-limited) naming the NF, the request and the problem.
 */
#ifndef SD_COLLECT_H
#define SD_COLLECT_H

#include <stdbool.h>

#include "core/config.h"
#include "core/loop.h"

struct sd_collect;

struct sd_collect_host {
	/* The current model and configuration (both change on reload). */
	struct sd_model *(*model)(void *arg);
	const struct sd_config *(*config)(void *arg);
	/* These SD_TOPIC_* topics changed. */
	void (*changed)(void *arg, unsigned topics);
	/* A measurement of a slice for the KPI store (enum sd_kpi_metric);
	 * may be NULL. */
	void (*sample)(void *arg, const char *slice_id, int metric, double value);
	/* A cell's mean radio as its UEs measure it (NWDAF NETWORK_PERFORMANCE
	 * with the vendor nwPerfTypes RSRP_MEAN / SINR_MEAN, docs/wire-compat.md):
	 * cell_index into model->cells, RSRP dBm, SINR dB; may be NULL. */
	void (*cell_sample)(void *arg, int cell_index, double rsrp, double sinr);
	void *arg;
};

/* Start collecting. NULL with err on a setup failure (e.g. the notification
 * listener cannot bind). */
struct sd_collect *sd_collect_new(struct sd_loop *loop, const struct sd_collect_host *host,
				  char *err, size_t errsz);
void sd_collect_free(struct sd_collect *c);

/* The configuration was replaced: pick up a new NRF, intervals, TLS. */
void sd_collect_reload(struct sd_collect *c);

/* The apiRoot NFs use to notify us ("" without a notification server). */
const char *sd_collect_notify_root(const struct sd_collect *c);

#endif

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

#include "core/host.h"

struct sd_collect;

/* Start collecting on the engine's host: the model (NF instances, slices'
 * live state), the bus (SD_BUS_MODEL per changed object, SD_BUS_SAMPLE for
 * the KPI store), the engine's SBI server for notifications (host->sbi,
 * may be NULL: then polling only). NULL with err on a setup failure. */
struct sd_collect *sd_collect_new(const struct sd_host *host, char *err, size_t errsz);
void sd_collect_free(struct sd_collect *c);

/* The configuration was replaced: pick up a new NRF, intervals, TLS. */
void sd_collect_reload(struct sd_collect *c);

/* The apiRoot NFs use to notify us ("" without a notification server). */
const char *sd_collect_notify_root(const struct sd_collect *c);

#endif

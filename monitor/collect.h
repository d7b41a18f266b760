/* monitor/collect.h — the collectors: what the engine learns from the 5GC.
 *
 *   NRF    NF inventory and status: NFStatusSubscribe with notifications to
 *          the engine's SBI server, and polling of the NF list every poll
 *          interval (the fallback when the subscription fails, and what
 *          keeps "last confirmed REGISTERED" fresh when it works). Profiles
 *          are fetched at most PROFILE_INFLIGHT (32) at a time.
 *   NSSF   slice availability per tracking area (NSSAIAvailability
 *          subscription; its 201 body carries the current state).
 *   NWDAF  slice load levels, NF load and per-cell RSRP/SINR
 *          (Nnwdaf_AnalyticsInfo, polled every interval, backing off —
 *          doubling up to 8 intervals, with jitter — while it fails; the
 *          cell radio is a vendor extension of NETWORK_PERFORMANCE,
 *          docs/wire-compat.md).
 *   AMF    UEs per slice (Namf_EventExposure UES_IN_AREA_REPORT).
 *   SMF    PDU sessions and QoS-monitoring packet delays per slice
 *          (Nsmf_EventExposure). Sessions are counted per subscription:
 *          the first notification of a new SMF subscription restarts the
 *          count (its first report lists every current session).
 *
 * Each subscription is a struct sd_sub (monitor/subscription.h): created,
 * renewed before its validity ends, moved when the NF holding it goes away
 * (deleted there), and deleted on shutdown. A reload keeps a subscription
 * whose request would not change and re-creates (then deletes) one whose
 * request does (a new notification apiRoot, other tracking areas, another
 * reporting period).
 *
 * NSSF, NWDAF, AMF and SMF are found through the NRF (their service
 * endpoints in the NF profiles). NF instances land in the engine's model
 * through core/model_nf.h (source "nrf"), slice live data in the slices;
 * each object that changed is published on the bus (SD_BUS_MODEL, per id),
 * measurements as SD_BUS_SAMPLE. A failed or malformed answer never wipes
 * the last good view: it is kept and marked stale, and the failure is
 * logged (rate-limited) naming the NF, the request and the problem.
 *
 * An NF's `reachable` is: REGISTERED at the NRF, and not marked
 * unreachable by the SBI client's own requests to that instance (health
 * key: its nfInstanceId; for NRF instances the configured NRF's).
 */
#ifndef SD_COLLECT_H
#define SD_COLLECT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/config.h"
#include "core/loop.h"

struct sd_collect;
struct sd_host;       /* core/host.h */

/* Start collecting: register the notification routes on host->sbi (when
 * there is one), start the NRF cycle. NULL with err on a setup failure.
 * host must outlive the collector. */
struct sd_collect *sd_collect_new(const struct sd_host *host, char *err, size_t errsz);

/* The configuration was replaced: a new NRF, intervals, TLS, notification
 * apiRoot; subscriptions kept or re-created as above. Call it after the
 * host's config() answers the new configuration. */
void sd_collect_reload(struct sd_collect *c);

/* Stop: no new requests, every subscription held is deleted; done(arg)
 * runs from the loop when the deletes are answered or after at most
 * SD_COLLECT_SHUTDOWN_MS, whichever is first (run the loop until then).
 * Then sd_collect_free. Calling it twice, or free without it, is fine. */
#define SD_COLLECT_SHUTDOWN_MS 500
void sd_collect_shutdown(struct sd_collect *c, void (*done)(void *arg), void *arg);

/* Free. Without a completed sd_collect_shutdown it sends the deletes and
 * runs the loop (sd_loop_once) for at most SD_COLLECT_SHUTDOWN_MS first. */
void sd_collect_free(struct sd_collect *c);

/* The apiRoot NFs use to notify us ("" without a notification server). */
const char *sd_collect_notify_root(const struct sd_collect *c);

/* Tests: the validity asked for new subscriptions (default 3600 s), and
 * the backoff bounds of their retries. Takes effect at the next create or
 * renewal. */
void sd_collect_set_sub_timing(struct sd_collect *c, int validity_s, int backoff_min_ms,
			       int backoff_max_ms);

/* What the collectors hold, for tests and the console. */
struct sd_collect_stats {
	bool nrf_subscribed, nssf_subscribed, amf_subscribed, smf_subscribed;
	unsigned nrf_cycles;          /* NF list cycles completed */
	unsigned profile_gets;        /* profile GETs sent */
	int profile_inflight_max;     /* most at once */
	unsigned nwdaf_polls, nwdaf_failures;
	int nwdaf_backoff_ms;         /* current extra wait, 0 when healthy */
	unsigned sub_creates, sub_renewals, sub_deletes;
	unsigned smf_generation;      /* the SMF subscription whose reports are counted */
	unsigned smf_reports;         /* SMF notifications counted for it */
	const char *nrf_form;         /* NF status subscription form in use:
				       * "per NF type", "all NFs", "none (polling only)" */
	const char *nrf_refusal;      /* why the form before it was given up, "" */
	int nrf_subs;                 /* NF status subscriptions held at the NRF */
	int nrf_subs_wanted;          /* ... and wanted in the form in use */
};
void sd_collect_stats(const struct sd_collect *c, struct sd_collect_stats *st);

/* Each data source of the collectors, for `slicedeck status`: found in
 * the core or not, when it last worked and last failed, what it feeds.
 * NRF first (down_since_ms: its inventory is unknown since then, 0 while
 * it answers), then NWDAF analytics and the NSSF, AMF and SMF
 * subscriptions. Fills up to max, returns how many. */
#define SD_COLLECT_SOURCES 5
struct sd_collect_source {
	char name[32];               /* "NRF", "NWDAF analytics" */
	char service[32];            /* "nnrf-nfm" */
	char feeds[96];
	bool found;                  /* configured (NRF) / offered by an NF */
	char where[256];             /* apiRoot in use, "" */
	int64_t last_ok_ms, last_err_ms;   /* wall, 0 = never */
	int64_t down_since_ms;
	char last_err[200];
	char note[200];              /* why missing, subscription state */
};
int sd_collect_sources(const struct sd_collect *c, struct sd_collect_source *out, int max);

#endif

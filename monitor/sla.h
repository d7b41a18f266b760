/* monitor/sla.h — SLA evaluation per slice against its SLA profile.
 *
 * Time is cut into evaluation windows (default 5 min, UTC aligned, a
 * multiple of 1 min). For each slice and window the evaluator gathers the
 * slice's closed 1-minute KPI buckets (it listens to the KPI store's close
 * hook) and gives each SLA KPI a verdict:
 *
 *   n/a       the contract does not state this KPI (profile value 0)
 *   no-data   stated, but nothing to judge in this window
 *   met / breached
 *
 * The rules (sd_sla_evaluate; docs/sla-alarms.md has them with examples):
 *   latency       the latency_pct percentile of the window's latency
 *                 samples (quantile sketch, 1 % relative error) <=
 *                 latency_us
 *   ul/dl rate    only when demand exists (mean offered load > 0 in the
 *                 window): mean delivered >= min(GBR, mean offered) x
 *                 (1 - tolerance); no demand samples = no-data
 *   reliability   100 - mean packet loss % >= reliability_pct
 *   availability  mean availability % (share of the window the service was
 *                 usable) >= availability_pct
 *   max UEs       max UEs seen <= max_ues
 *   5QI delay     p98 delay <= the 5QI's packet delay budget
 *   5QI PER       mean loss ratio <= the 5QI's packet error rate
 *
 * Hysteresis: a KPI enters "breached" after N consecutive breached
 * windows and leaves it after N consecutive met windows (N = hysteresis,
 * default 2); n/a and no-data windows neither count nor reset. Only these
 * transitions produce events (the alarm manager's input), so a flapping
 * KPI produces none.
 *
 * Compliance per slice, KPI and calendar month (UTC): met / (met +
 * breached) windows, kept in the store (table sla_month), the input for
 * SLA credits in billing. State (breached or not, streaks) is stored too
 * so a restart neither repeats nor forgets a breach.
 */
#ifndef SD_SLA_H
#define SD_SLA_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "core/config.h"
#include "core/index.h"
#include "monitor/monitor_conf.h"
#include "core/model.h"
#include "core/store.h"
#include "monitor/kpi.h"
#include "monitor/sketch.h"

enum sd_sla_kpi {
	SD_SLA_LATENCY,
	SD_SLA_UL_RATE,
	SD_SLA_DL_RATE,
	SD_SLA_RELIABILITY,
	SD_SLA_AVAILABILITY,
	SD_SLA_MAX_UES,
	SD_SLA_5QI_DELAY,
	SD_SLA_5QI_PER,
	SD_SLA_KPI_COUNT
};

enum sd_sla_verdict {
	SD_SLA_NA,
	SD_SLA_NODATA,
	SD_SLA_MET,
	SD_SLA_BREACHED,
};

const char *sd_sla_kpi_name(enum sd_sla_kpi k);    /* "latency", "ul_rate", ... */
const char *sd_sla_kpi_unit(enum sd_sla_kpi k);    /* "ms", "kbit/s", "%", ... */
int sd_sla_kpi_parse(const char *s);               /* -1 when unknown */
const char *sd_sla_verdict_name(enum sd_sla_verdict v); /* "n/a" "no-data" "met" "breached" */

struct sd_sla_conf {
	int window_s;            /* 60..3600, multiple of 60, or a divisor of 60
				  * (then judged from raw samples); default 300 */
	int hysteresis;          /* N windows, 1..100; default 2 */
	double rate_tolerance_pct; /* 0..50; default 5 */
};
void sd_sla_conf_default(struct sd_sla_conf *c);
/* Defaults, then the configuration's monitor.sla keys. */
void sd_sla_conf_from(struct sd_sla_conf *c, const struct sd_monitor_conf *m);

/* One window's inputs: per KPI-store metric the count / sum / min / max of
 * the samples, and the latency sketch. */
struct sd_sla_acc {
	uint32_t n;
	double sum, min, max;
};
struct sd_sla_inputs {
	int64_t start_ms;
	struct sd_sla_acc m[SD_KPI_METRIC_COUNT];
	struct sd_sketch latency;   /* sd_sketch_init'ed by the owner */
};
void sd_sla_inputs_init(struct sd_sla_inputs *in, int64_t start_ms);
void sd_sla_inputs_done(struct sd_sla_inputs *in);
/* Add one sample / one closed bucket to the inputs. */
void sd_sla_inputs_add(struct sd_sla_inputs *in, enum sd_kpi_metric m, double v);
void sd_sla_inputs_add_agg(struct sd_sla_inputs *in, enum sd_kpi_metric m,
			   const struct sd_kpi_agg *a, const struct sd_sketch *sk);

struct sd_sla_result {
	enum sd_sla_verdict verdict;
	double observed;        /* NaN unless met/breached */
	double target;          /* NaN for n/a */
};

/* The pure rule set: one window's verdicts. */
void sd_sla_evaluate(const struct sd_sla_profile *p, const struct sd_sla_inputs *in,
		     double rate_tolerance_pct,
		     struct sd_sla_result out[SD_SLA_KPI_COUNT]);

/* A breach or recovery (after hysteresis). Pointers valid during the call. */
struct sd_sla_event {
	const char *slice, *factory;
	enum sd_sla_kpi kpi;
	bool breach;             /* true: entered breached; false: recovered */
	int64_t window_start_ms;
	double observed, target; /* of the window that completed the streak */
};
typedef void (*sd_sla_event_fn)(void *arg, const struct sd_sla_event *ev);

/* The availability sample of a slice from the model's live state, in %
 * (feed it as SD_KPI_AVAILABILITY each time the state is refreshed),
 * judged on what is known. For each of AMF, SMF and UPF:
 *   - served: an instance of the type serving the slice's S-NSSAI (one
 *     listing none serves all) is REGISTERED, reachable and fresh (not
 *     from a stale inventory);
 *   - unknown: none is, but one from a stale inventory might (an NRF
 *     outage): the sample is -1, feed nothing — an interval nothing is
 *     known about is no-data, never down;
 *   - missing: the type is known (seen now, or ever since the struct was
 *     initialised: the only SMF gone from the NRF counts) but nothing
 *     serves the slice: 0;
 *     (while every NF row is stale, the inventory itself is unknown:
 *     missing becomes unknown);
 *   - not judged: the type was never seen (a core without UPFs in its NRF).
 * With every type served or not judged, the share of the slice's tracking
 * areas where the NSSF lists it (100 while that is not known yet). -1 as
 * well when nothing is known at all (no NF instances, no TA information). */
double sd_sla_usable_pct(const struct sd_model *m, const struct sd_slice *s);
/* The same for many slices: build once from the model's NFs (one pass),
 * then ask per slice in O(1). Keep one struct across builds so that a
 * type once seen stays judged. */
#define SD_SLA_USABLE_TYPES 3   /* AMF, SMF, UPF */
enum sd_sla_serve { SD_SERVE_NOT_JUDGED, SD_SERVE_OK, SD_SERVE_UNKNOWN, SD_SERVE_MISSING };
struct sd_sla_usable {
	bool seen[SD_SLA_USABLE_TYPES];       /* an NF of the type is known now */
	bool ever[SD_SLA_USABLE_TYPES];       /* ... or was at an earlier build */
	bool all[SD_SLA_USABLE_TYPES];        /* a usable one lists no S-NSSAI */
	bool maybe_all[SD_SLA_USABLE_TYPES];  /* a stale one lists none */
	bool blind;                           /* NF rows known, none fresh: the
					       * inventory itself is unknown */
	struct sd_u64index set[SD_SLA_USABLE_TYPES];   /* S-NSSAIs a usable one serves */
	struct sd_u64index maybe[SD_SLA_USABLE_TYPES]; /* ... a stale one served */
};
/* "AMF", "SMF", "UPF" */
const char *sd_sla_usable_type_name(int t);
void   sd_sla_usable_init(struct sd_sla_usable *u);
void   sd_sla_usable_build(struct sd_sla_usable *u, const struct sd_model *m);
enum sd_sla_serve sd_sla_usable_serve(const struct sd_sla_usable *u, int t,
				      const struct sd_slice *s);
double sd_sla_usable_pct_with(const struct sd_sla_usable *u, const struct sd_slice *s);
void   sd_sla_usable_done(struct sd_sla_usable *u);

/* A month's compliance for one slice and KPI. */
struct sd_sla_month {
	char slice[SD_ID_MAX];
	enum sd_sla_kpi kpi;
	char month[8];           /* "2026-11" */
	uint32_t met, breached, nodata;
	double compliance_pct;   /* met / (met + breached) x 100; NaN with no data */
	double observed_avg;     /* mean of the windows' observed values; NaN */
};

struct sd_sla;

/* kpi may be NULL (windows are then fed with sd_sla_feed_window only);
 * when given, the evaluator installs itself as kpi's close hook. store may
 * be NULL (nothing persisted). */
struct sd_sla *sd_sla_new(const struct sd_sla_conf *c, struct sd_kpi *kpi,
			  struct sd_store *store, char *err, size_t errsz);
void sd_sla_free(struct sd_sla *s);
void sd_sla_set_event_hook(struct sd_sla *s, sd_sla_event_fn fn, void *arg);

/* Add or update a slice (state kept across updates, by id). factory may be
 * NULL. -1 on an invalid id. */
int sd_sla_set_slice(struct sd_sla *s, const char *slice_id, const char *factory_id,
		     const struct sd_sla_profile *p);
/* Stop evaluating a slice (its history stays). */
void sd_sla_remove_slice(struct sd_sla *s, const char *slice_id);
/* set_slice for every active slice of m; the others (requested, admitted,
 * suspended, ...) and slices no longer in m are removed: a slice out of
 * service has no windows, so no breaches and no compliance counts. */
void sd_sla_set_model(struct sd_sla *s, const struct sd_model *m);

/* The KPI store's close hook (installed by sd_sla_new; public so an engine
 * that needs the hook for more can chain it). */
void sd_sla_on_kpi_close(void *arg, int obj, enum sd_kpi_metric m,
			 const struct sd_kpi_agg *agg, const struct sd_sketch *sk);
/* The KPI store's sample hook, installed by sd_sla_new when the window is
 * shorter than a minute (then the 1-minute buckets are not used). */
void sd_sla_on_kpi_sample(void *arg, int obj, enum sd_kpi_metric m, int64_t t_ms, double v);
/* The engine started watching at now_ms: the window that was already
 * running then is partial and is never judged (no verdict, no counts);
 * judging starts with the first whole window. Without a call every window
 * is judged (replays, tests). */
void sd_sla_set_start(struct sd_sla *s, int64_t now_ms);
int sd_sla_window_s(const struct sd_sla *s);
/* Evaluate every window that ended at or before now_ms (call after
 * sd_kpi_tick). Each active slice gets one verdict set per window, no-data
 * when nothing arrived. */
void sd_sla_tick(struct sd_sla *s, int64_t now_ms);
/* Evaluate one complete window for a slice directly (replays, tests).
 * in->start_ms must be window aligned and later than the slice's last
 * evaluated window. -1 when the slice is unknown or inactive, or the window
 * is misaligned or stale. */
int sd_sla_feed_window(struct sd_sla *s, const char *slice_id,
		       const struct sd_sla_inputs *in);
/* Persist finished months, events, and the counters and state of up to
 * 1000 slices evaluated since (round robin), in one transaction: call it
 * every second or so; a window boundary's writes are spread over a few
 * calls. 0 / -1 (kept for the next call). */
int sd_sla_flush(struct sd_sla *s);
/* Flush until nothing is left (shutdown, reports). */
int sd_sla_flush_all(struct sd_sla *s);

/* The last window's verdicts of a slice, its window start in *start_ms
 * (may be NULL); -1 when unknown or never evaluated. */
int sd_sla_last(const struct sd_sla *s, const char *slice_id,
		struct sd_sla_result out[SD_SLA_KPI_COUNT], int64_t *start_ms);
/* Whether a KPI of a slice is in the breached state. */
bool sd_sla_is_breached(const struct sd_sla *s, const char *slice_id, enum sd_sla_kpi k);
/* Compliance of one slice/KPI/month (flushes first when a store is used).
 * 0, or -1 when there is no record. */
int sd_sla_compliance(struct sd_sla *s, const char *slice_id, enum sd_sla_kpi k,
		      const char *month, struct sd_sla_month *out);
/* Every record of a month (slice_id NULL: all slices), ordered by slice
 * and KPI; returns how many or -1. Needs a store. */
typedef void (*sd_sla_month_fn)(void *arg, const struct sd_sla_month *row);
long sd_sla_report(struct sd_sla *s, const char *month, const char *slice_id,
		   sd_sla_month_fn fn, void *arg);
/* JSON for IPC. A month row: {"slice", "kpi", "unit", "month", "met",
 * "breached", "no_data", "compliance_pct" (null without data),
 * "observed_avg" (null)}. A window's verdicts: {"window_start" (RFC 3339),
 * "kpis": {"latency": {"verdict", "observed", "target", "unit",
 * "breached"}, ...}} listing only KPIs the contract states (not n/a). */
json_t *sd_sla_month_to_json(const struct sd_sla_month *m);
json_t *sd_sla_last_to_json(const struct sd_sla *s, const char *slice_id);

/* "2026-11" for a wall-clock time (buf >= 8). */
void sd_sla_month_of(int64_t wall_ms, char *buf, size_t bufsz);

#endif

/* monitor/kpi.h — the KPI store: recent samples and roll-ups per object
 * and metric, history in the persistent store.
 *
 * This is the collectors' output interface: whatever observes the network
 * (SBI collectors, the sim, a walk test) calls sd_kpi_add() with an object
 * handle, a metric, a wall-clock time and a value.
 *
 *   object   kind + id ("slice" "f1-vision"); sd_kpi_object() interns it
 *            and returns a small dense handle, stable for the store's life.
 *   series   one per object and metric, made on the first sample: a ring of
 *            the last raw_len samples (1 s time resolution) and one open
 *            bucket per roll-up level.
 *   roll-ups 1 min, 5 min, 1 h, 1 day, aligned to UTC; each has count, min,
 *            max, sum (mean = sum / count) and, for metrics with a sketch
 *            (latency), a quantile sketch (monitor/sketch.h). Samples go
 *            into the 1-minute bucket only; a closed bucket is merged into
 *            the next level's, so the levels agree exactly.
 *   closing  sd_kpi_tick(now) closes every bucket whose period ended at or
 *            before now (and a sample past its bucket closes it too). Each
 *            closed bucket goes to the close hook (the SLA evaluator
 *            listens) and is queued for the store.
 *   history  sd_kpi_flush() writes the queued roll-ups in ONE transaction
 *            (call it once a second or less often), and prunes each level
 *            past its retention at most once an hour. Writing the same
 *            bucket twice stores it once.
 *
 * Memory is bounded whatever the uptime: objects <= max_objects, per series
 * a fixed ring and four buckets, sketches capped (sketch.h), the write
 * queue <= max_pending rows (older rows are dropped and counted when the
 * store cannot keep up).
 *
 * Late samples (before the open 1-minute bucket) go into the ring and
 * latest value only, counted in stats.late.
 */
#ifndef SD_KPI_H
#define SD_KPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "monitor/monitor_conf.h"
#include "core/store.h"
#include "monitor/sketch.h"

enum sd_kpi_kind {
	SD_KPI_SLICE,
	SD_KPI_CELL,
	SD_KPI_SITE,
	SD_KPI_NF,
	SD_KPI_KIND_COUNT
};

enum sd_kpi_metric {
	SD_KPI_LATENCY,        /* one-way packet delay, ms (sketched) */
	SD_KPI_UL_THROUGHPUT,  /* delivered, kbit/s */
	SD_KPI_DL_THROUGHPUT,
	SD_KPI_UL_DEMAND,      /* offered load, kbit/s (SLA: "demand exists") */
	SD_KPI_DL_DEMAND,
	SD_KPI_PACKET_LOSS,    /* % of packets lost or late */
	SD_KPI_AVAILABILITY,   /* % of the sample period the service was usable */
	SD_KPI_UES,            /* registered UEs */
	SD_KPI_PDU_SESSIONS,
	SD_KPI_RSRP,           /* dBm */
	SD_KPI_SINR,           /* dB */
	SD_KPI_PRB_USAGE,      /* % of physical resource blocks used */
	SD_KPI_METRIC_COUNT
};

enum sd_kpi_level {
	SD_KPI_1MIN,
	SD_KPI_5MIN,
	SD_KPI_1H,
	SD_KPI_1DAY,
	SD_KPI_LEVELS
};

struct sd_kpi_metric_info {
	const char *name;      /* "latency" — IPC and store name */
	const char *unit;      /* "ms" */
	bool sketch;           /* keeps a quantile sketch per roll-up */
	double min, max;       /* accepted value range; others are refused */
	const char *help;
};

/* Const tables, indexed by the enums. */
extern const struct sd_kpi_metric_info sd_kpi_metrics[SD_KPI_METRIC_COUNT];
const char *sd_kpi_kind_name(enum sd_kpi_kind k);
int sd_kpi_kind_parse(const char *s);       /* -1 when unknown */
int sd_kpi_metric_parse(const char *s);     /* -1 when unknown */
const char *sd_kpi_level_name(enum sd_kpi_level l);   /* "1min" ... */
int64_t sd_kpi_level_ms(enum sd_kpi_level l);

struct sd_kpi_conf {
	int raw_len;                     /* raw samples per series (default 30) */
	int64_t retention_s[SD_KPI_LEVELS]; /* default 2 d, 14 d, 90 d, 400 d */
	int max_objects;                 /* default 200000 */
	size_t max_pending;              /* queued rows, default 1000000 */
	size_t flush_max_rows;           /* rows per flush, default 20000: a
					  * minute boundary's burst is spread
					  * over several flushes so the loop is
					  * never blocked long */
};
void sd_kpi_conf_default(struct sd_kpi_conf *c);
/* Defaults, then the configuration's monitor.kpi keys. */
void sd_kpi_conf_from(struct sd_kpi_conf *c, const struct sd_monitor_conf *m);

/* A roll-up bucket as callers see it. */
struct sd_kpi_agg {
	int64_t start_ms;   /* bucket start, UTC aligned */
	enum sd_kpi_level level;
	uint32_t count;
	double min, max, sum;
};

struct sd_kpi_point {
	int64_t t_ms;       /* whole seconds in the ring */
	double v;
};

struct sd_kpi_stats {
	uint64_t samples;        /* accepted */
	uint64_t refused;        /* bad handle, metric, NaN or out of range */
	uint64_t late;
	uint64_t rows_written;
	uint64_t rows_dropped;   /* queue full or store error */
	size_t objects, series, pending;
	size_t bytes;            /* approximate heap held */
};

struct sd_kpi;

/* Called for every closed bucket, before it is queued. sk is the bucket's
 * sketch for sketched metrics, else NULL; both are valid only during the
 * call. */
typedef void (*sd_kpi_close_fn)(void *arg, int obj, enum sd_kpi_metric m,
				const struct sd_kpi_agg *agg,
				const struct sd_sketch *sk);

/* store may be NULL (memory only: nothing persisted). Migrates the
 * "kpi" component of the store. NULL + err on failure. */
struct sd_kpi *sd_kpi_new(const struct sd_kpi_conf *c, struct sd_store *store,
			  char *err, size_t errsz);
/* Does not flush: call sd_kpi_flush first to keep queued rows. */
void sd_kpi_free(struct sd_kpi *k);

/* Intern an object: a handle >= 0, or -1 (invalid id, or max_objects). */
int sd_kpi_object(struct sd_kpi *k, enum sd_kpi_kind kind, const char *id);
/* The handle of an existing object, or -1. */
int sd_kpi_find(const struct sd_kpi *k, enum sd_kpi_kind kind, const char *id);
const char *sd_kpi_object_id(const struct sd_kpi *k, int obj);
enum sd_kpi_kind sd_kpi_object_kind(const struct sd_kpi *k, int obj);
int sd_kpi_nobjects(const struct sd_kpi *k);

/* Take one sample. 0, or -1 when refused (counted in stats.refused). */
int sd_kpi_add(struct sd_kpi *k, int obj, enum sd_kpi_metric m,
	       int64_t t_ms, double v);
/* The same by kind + id (interns the object). */
int sd_kpi_add_id(struct sd_kpi *k, enum sd_kpi_kind kind, const char *id,
		  enum sd_kpi_metric m, int64_t t_ms, double v);

/* Close every bucket whose period ended at or before now_ms (wall clock).
 * Cheap between minute boundaries. */
void sd_kpi_tick(struct sd_kpi *k, int64_t now_ms);
/* Write up to flush_max_rows queued roll-ups (oldest first) in one
 * transaction; prune past retention at most hourly. Returns rows written,
 * or -1 (rows kept for the next try unless the queue is over
 * max_pending). Call sd_kpi_flush_all before a shutdown. */
long sd_kpi_flush(struct sd_kpi *k);

/* Flush until the queue is empty (shutdown, tests). Rows written or -1. */
long sd_kpi_flush_all(struct sd_kpi *k);

void sd_kpi_set_close_hook(struct sd_kpi *k, sd_kpi_close_fn fn, void *arg);

/* Called for every accepted sample (valid object, metric and value), in
 * arrival order: what an SLA window shorter than a bucket judges from. */
typedef void (*sd_kpi_sample_fn)(void *arg, int obj, enum sd_kpi_metric m,
				 int64_t t_ms, double v);
void sd_kpi_set_sample_hook(struct sd_kpi *k, sd_kpi_sample_fn fn, void *arg);

/* Latest sample; false when the series has none. */
bool sd_kpi_latest(const struct sd_kpi *k, int obj, enum sd_kpi_metric m,
		   int64_t *t_ms, double *v);
/* Up to max recent raw samples, oldest first; returns how many. */
int sd_kpi_raw(const struct sd_kpi *k, int obj, enum sd_kpi_metric m,
	       struct sd_kpi_point *out, int max);
/* The open bucket of a level, including the not yet closed lower levels
 * (so "the current 5 minutes" includes the current minute). sk, when not
 * NULL, is an initialised sketch that receives the merged quantile sketch.
 * false when there are no samples in it. */
bool sd_kpi_current(const struct sd_kpi *k, int obj, enum sd_kpi_metric m,
		    enum sd_kpi_level lv, struct sd_kpi_agg *out,
		    struct sd_sketch *sk);

/* Closed buckets from the store with start in [from_ms, to_ms), oldest
 * first; sk is NULL for metrics without a sketch. Rows still queued are
 * not seen: flush first. Returns rows, or -1. */
typedef void (*sd_kpi_history_fn)(void *arg, const struct sd_kpi_agg *agg,
				  const struct sd_sketch *sk);
long sd_kpi_history(struct sd_kpi *k, enum sd_kpi_kind kind, const char *id,
		    enum sd_kpi_metric m, enum sd_kpi_level lv,
		    int64_t from_ms, int64_t to_ms,
		    sd_kpi_history_fn fn, void *arg);

void sd_kpi_get_stats(const struct sd_kpi *k, struct sd_kpi_stats *st);

#endif

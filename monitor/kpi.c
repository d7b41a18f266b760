/* monitor/kpi.c — see kpi.h. */
#include "monitor/kpi.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/model.h"
#include "core/util.h"

const struct sd_kpi_metric_info sd_kpi_metrics[SD_KPI_METRIC_COUNT] = {
	[SD_KPI_LATENCY] = { "latency", "ms", true, 0, 3600e3,
		"one-way packet delay" },
	[SD_KPI_UL_THROUGHPUT] = { "ul_throughput", "kbit/s", false, 0, 1e9,
		"uplink bit rate delivered" },
	[SD_KPI_DL_THROUGHPUT] = { "dl_throughput", "kbit/s", false, 0, 1e9,
		"downlink bit rate delivered" },
	[SD_KPI_UL_DEMAND] = { "ul_demand", "kbit/s", false, 0, 1e9,
		"uplink bit rate offered" },
	[SD_KPI_DL_DEMAND] = { "dl_demand", "kbit/s", false, 0, 1e9,
		"downlink bit rate offered" },
	[SD_KPI_PACKET_LOSS] = { "packet_loss", "%", false, 0, 100,
		"packets lost or delivered past the bound" },
	[SD_KPI_AVAILABILITY] = { "availability", "%", false, 0, 100,
		"share of the period the service was usable" },
	[SD_KPI_UES] = { "ues", "UEs", false, 0, 1e9, "registered UEs" },
	[SD_KPI_PDU_SESSIONS] = { "pdu_sessions", "sessions", false, 0, 1e9,
		"established PDU sessions" },
	[SD_KPI_RSRP] = { "rsrp", "dBm", false, -156, -31,
		"reference signal received power" },
	[SD_KPI_SINR] = { "sinr", "dB", false, -23, 40,
		"signal to interference and noise ratio" },
	[SD_KPI_PRB_USAGE] = { "prb_usage", "%", false, 0, 100,
		"physical resource blocks in use" },
};

static const char *const kind_names[SD_KPI_KIND_COUNT] = {
	"slice", "cell", "site", "nf",
};

static const char *const level_names[SD_KPI_LEVELS] = {
	"1min", "5min", "1h", "1day",
};

static const int64_t level_ms[SD_KPI_LEVELS] = {
	60000, 300000, 3600000, 86400000,
};

const char *sd_kpi_kind_name(enum sd_kpi_kind k)
{
	return (unsigned)k < SD_KPI_KIND_COUNT ? kind_names[k] : "?";
}

int sd_kpi_kind_parse(const char *s)
{
	for (int i = 0; i < SD_KPI_KIND_COUNT; i++)
		if (sd_streq(s, kind_names[i]))
			return i;
	return -1;
}

int sd_kpi_metric_parse(const char *s)
{
	for (int i = 0; i < SD_KPI_METRIC_COUNT; i++)
		if (sd_streq(s, sd_kpi_metrics[i].name))
			return i;
	return -1;
}

const char *sd_kpi_level_name(enum sd_kpi_level l)
{
	return (unsigned)l < SD_KPI_LEVELS ? level_names[l] : "?";
}

int64_t sd_kpi_level_ms(enum sd_kpi_level l)
{
	return (unsigned)l < SD_KPI_LEVELS ? level_ms[l] : 0;
}

void sd_kpi_conf_default(struct sd_kpi_conf *c)
{
	c->raw_len = 30;
	c->retention_s[SD_KPI_1MIN] = 2 * 86400;
	c->retention_s[SD_KPI_5MIN] = 14 * 86400;
	c->retention_s[SD_KPI_1H] = 90 * 86400;
	c->retention_s[SD_KPI_1DAY] = 400 * 86400;
	c->max_objects = 200000;
	c->max_pending = 1000000;
	c->flush_max_rows = 20000;
}

void sd_kpi_conf_from(struct sd_kpi_conf *c, const struct sd_monitor_conf *m)
{
	sd_kpi_conf_default(c);
	c->raw_len = m->kpi_raw_samples;
	c->retention_s[SD_KPI_1MIN] = (int64_t)m->kpi_retention_1min_days * 86400;
	c->retention_s[SD_KPI_5MIN] = (int64_t)m->kpi_retention_5min_days * 86400;
	c->retention_s[SD_KPI_1H] = (int64_t)m->kpi_retention_1h_days * 86400;
	c->retention_s[SD_KPI_1DAY] = (int64_t)m->kpi_retention_1day_days * 86400;
}

/* --- internals ----------------------------------------------------------- */

struct bucket {
	int64_t start;      /* valid when count > 0 */
	uint32_t count;
	float min, max;
	double sum;
};

struct rawpt {
	uint32_t t_s;
	float v;
};

struct series {
	int64_t last_ms;
	double last_v;
	uint32_t head, len;             /* ring */
	struct bucket b[SD_KPI_LEVELS];
	struct sd_sketch *sk;           /* [SD_KPI_LEVELS] or NULL */
	struct rawpt ring[];
};

struct object {
	char id[SD_ID_MAX];
	uint8_t kind;
	bool persisted;                 /* kpi_object row exists, oid valid */
	int64_t oid;
	struct series *s[SD_KPI_METRIC_COUNT];
};

struct row {
	int32_t obj;
	uint8_t metric, level;
	uint32_t count;
	int64_t start;
	double min, max, sum;
	uint8_t *blob;
	size_t bloblen;
};

struct sd_kpi {
	struct sd_kpi_conf conf;
	struct sd_store *store;
	struct sd_stmt *ins_obj, *sel_obj, *ins_row, *prune, *hist;
	struct object *objs;
	int nobjs, capobjs;
	int32_t *hash;                  /* open addressing: handle + 1, 0 free */
	size_t hashcap;                 /* power of two */
	struct row *rows;
	size_t nrows, caprows;
	sd_kpi_close_fn hook;
	void *hook_arg;
	sd_kpi_sample_fn sample_hook;
	void *sample_arg;
	int64_t last_tick_min;          /* minute of the last full scan */
	int64_t last_prune_ms;
	uint64_t store_lost;            /* sd_store_lost() when oids were last trusted */
	int64_t now_ms;                 /* latest tick */
	struct sd_kpi_stats st;
	size_t series_bytes;
};

static const struct sd_store_migration kpi_migrations[] = {
	{ 1,
	  "CREATE TABLE kpi_object("
	  " oid INTEGER PRIMARY KEY,"
	  " kind TEXT NOT NULL,"
	  " name TEXT NOT NULL,"
	  " UNIQUE(kind, name));"
	  "CREATE TABLE kpi_rollup("
	  " oid INTEGER NOT NULL REFERENCES kpi_object(oid),"
	  " metric TEXT NOT NULL,"
	  " level TEXT NOT NULL,"
	  " start_ms INTEGER NOT NULL,"
	  " count INTEGER NOT NULL,"
	  " min REAL, max REAL, sum REAL,"
	  " sketch BLOB,"
	  " PRIMARY KEY(oid, metric, level, start_ms)) WITHOUT ROWID;"
	  "CREATE INDEX kpi_rollup_age ON kpi_rollup(level, start_ms);" },
};

static uint64_t hash_key(int kind, const char *id)
{
	uint64_t h = 1469598103934665603ull ^ (uint64_t)kind;
	for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
		h ^= *p;
		h *= 1099511628211ull;
	}
	return h;
}

static void hash_insert(struct sd_kpi *k, int handle)
{
	size_t mask = k->hashcap - 1;
	size_t i = hash_key(k->objs[handle].kind, k->objs[handle].id) & mask;
	while (k->hash[i])
		i = (i + 1) & mask;
	k->hash[i] = handle + 1;
}

static void hash_grow(struct sd_kpi *k)
{
	size_t ncap = k->hashcap ? k->hashcap * 2 : 1024;
	sd_free(k->hash);
	k->hash = sd_calloc(ncap, sizeof *k->hash);
	k->hashcap = ncap;
	for (int h = 0; h < k->nobjs; h++)
		hash_insert(k, h);
}

struct sd_kpi *sd_kpi_new(const struct sd_kpi_conf *c, struct sd_store *store,
			  char *err, size_t errsz)
{
	struct sd_kpi *k = sd_calloc(1, sizeof *k);
	if (c)
		k->conf = *c;
	else
		sd_kpi_conf_default(&k->conf);
	if (k->conf.raw_len < 1)
		k->conf.raw_len = 1;
	if (k->conf.raw_len > 3600)
		k->conf.raw_len = 3600;
	if (k->conf.max_objects < 1)
		k->conf.max_objects = 1;
	if (k->conf.max_pending < 1024)
		k->conf.max_pending = 1024;
	if (k->conf.flush_max_rows < 1)
		k->conf.flush_max_rows = 1;
	k->store = store;
	k->last_tick_min = INT64_MIN;
	if (store) {
		if (sd_store_migrate(store, "kpi", kpi_migrations,
				     (int)SD_ARRAY_LEN(kpi_migrations), err, errsz) < 0)
			goto fail;
		k->ins_obj = sd_store_prepare(store,
			"INSERT INTO kpi_object(kind, name) VALUES(?1, ?2)"
			" ON CONFLICT(kind, name) DO NOTHING");
		k->sel_obj = sd_store_prepare(store,
			"SELECT oid FROM kpi_object WHERE kind = ?1 AND name = ?2");
		k->ins_row = sd_store_prepare(store,
			"INSERT INTO kpi_rollup(oid, metric, level, start_ms, count,"
			" min, max, sum, sketch) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)"
			" ON CONFLICT DO NOTHING");
		k->prune = sd_store_prepare(store,
			"DELETE FROM kpi_rollup WHERE level = ?1 AND start_ms < ?2");
		k->hist = sd_store_prepare(store,
			"SELECT r.start_ms, r.count, r.min, r.max, r.sum, r.sketch"
			" FROM kpi_rollup r JOIN kpi_object o ON o.oid = r.oid"
			" WHERE o.kind = ?1 AND o.name = ?2 AND r.metric = ?3"
			" AND r.level = ?4 AND r.start_ms >= ?5 AND r.start_ms < ?6"
			" ORDER BY r.start_ms");
		if (!k->ins_obj || !k->sel_obj || !k->ins_row || !k->prune || !k->hist) {
			snprintf(err, errsz, "kpi: %s", sd_store_errmsg(store));
			goto fail;
		}
	}
	hash_grow(k);
	return k;
fail:
	sd_kpi_free(k);
	return NULL;
}

static void series_free(struct series *s)
{
	if (!s)
		return;
	if (s->sk) {
		for (int l = 0; l < SD_KPI_LEVELS; l++)
			sd_sketch_done(&s->sk[l]);
		sd_free(s->sk);
	}
	sd_free(s);
}

void sd_kpi_free(struct sd_kpi *k)
{
	if (!k)
		return;
	for (int h = 0; h < k->nobjs; h++)
		for (int m = 0; m < SD_KPI_METRIC_COUNT; m++)
			series_free(k->objs[h].s[m]);
	for (size_t i = 0; i < k->nrows; i++)
		sd_free(k->rows[i].blob);
	sd_free(k->rows);
	sd_free(k->objs);
	sd_free(k->hash);
	sd_free(k);
}

int sd_kpi_find(const struct sd_kpi *k, enum sd_kpi_kind kind, const char *id)
{
	if (!id || (unsigned)kind >= SD_KPI_KIND_COUNT)
		return -1;
	size_t mask = k->hashcap - 1;
	size_t i = hash_key(kind, id) & mask;
	while (k->hash[i]) {
		const struct object *o = &k->objs[k->hash[i] - 1];
		if (o->kind == kind && strcmp(o->id, id) == 0)
			return k->hash[i] - 1;
		i = (i + 1) & mask;
	}
	return -1;
}

int sd_kpi_object(struct sd_kpi *k, enum sd_kpi_kind kind, const char *id)
{
	int h = sd_kpi_find(k, kind, id);
	if (h >= 0)
		return h;
	if ((unsigned)kind >= SD_KPI_KIND_COUNT || !id || !sd_id_valid(id) ||
	    k->nobjs >= k->conf.max_objects)
		return -1;
	if (k->nobjs == k->capobjs) {
		k->capobjs = k->capobjs ? k->capobjs * 2 : 256;
		k->objs = sd_reallocarray(k->objs, (size_t)k->capobjs, sizeof *k->objs);
	}
	h = k->nobjs++;
	struct object *o = &k->objs[h];
	memset(o, 0, sizeof *o);
	sd_strlcpy(o->id, id, sizeof o->id);
	o->kind = (uint8_t)kind;
	if ((size_t)k->nobjs * 2 > k->hashcap)
		hash_grow(k);
	else
		hash_insert(k, h);
	return h;
}

const char *sd_kpi_object_id(const struct sd_kpi *k, int obj)
{
	return obj >= 0 && obj < k->nobjs ? k->objs[obj].id : NULL;
}

enum sd_kpi_kind sd_kpi_object_kind(const struct sd_kpi *k, int obj)
{
	return obj >= 0 && obj < k->nobjs ? (enum sd_kpi_kind)k->objs[obj].kind
					  : SD_KPI_KIND_COUNT;
}

int sd_kpi_nobjects(const struct sd_kpi *k) { return k->nobjs; }

void sd_kpi_set_close_hook(struct sd_kpi *k, sd_kpi_close_fn fn, void *arg)
{
	k->hook = fn;
	k->hook_arg = arg;
}

void sd_kpi_set_sample_hook(struct sd_kpi *k, sd_kpi_sample_fn fn, void *arg)
{
	k->sample_hook = fn;
	k->sample_arg = arg;
}

static int64_t floor_to(int64_t t, int64_t p)
{
	int64_t q = t / p;
	if (t % p < 0)
		q--;
	return q * p;
}

static struct series *series_new(struct sd_kpi *k, enum sd_kpi_metric m)
{
	size_t sz = sizeof(struct series) + (size_t)k->conf.raw_len * sizeof(struct rawpt);
	struct series *s = sd_calloc(1, sz);
	if (sd_kpi_metrics[m].sketch) {
		s->sk = sd_calloc(SD_KPI_LEVELS, sizeof *s->sk);
		for (int l = 0; l < SD_KPI_LEVELS; l++)
			sd_sketch_init(&s->sk[l]);
	}
	k->series_bytes += sz;
	k->st.series++;
	return s;
}

/* Queue a closed bucket for the store (dropping the oldest half of the
 * queue when it is full: history loses detail, memory stays bounded). */
static void queue_row(struct sd_kpi *k, int obj, int m, int lv,
		      const struct bucket *b, const struct sd_sketch *sk)
{
	if (!k->store)
		return;
	if (k->nrows >= k->conf.max_pending) {
		size_t drop = k->nrows / 2;
		for (size_t i = 0; i < drop; i++)
			sd_free(k->rows[i].blob);
		memmove(k->rows, k->rows + drop, (k->nrows - drop) * sizeof *k->rows);
		k->nrows -= drop;
		k->st.rows_dropped += drop;
	}
	if (k->nrows == k->caprows) {
		k->caprows = k->caprows ? k->caprows * 2 : 1024;
		if (k->caprows > k->conf.max_pending)
			k->caprows = k->conf.max_pending;
		k->rows = sd_reallocarray(k->rows, k->caprows, sizeof *k->rows);
	}
	struct row *r = &k->rows[k->nrows++];
	r->obj = obj;
	r->metric = (uint8_t)m;
	r->level = (uint8_t)lv;
	r->count = b->count;
	r->start = b->start;
	r->min = b->min;
	r->max = b->max;
	r->sum = b->sum;
	r->blob = sk ? sd_sketch_encode(sk, &r->bloblen) : NULL;
	if (!sk)
		r->bloblen = 0;
}

static void bucket_merge(struct bucket *dst, const struct bucket *src, int64_t start)
{
	if (dst->count == 0) {
		*dst = *src;
		dst->start = start;
		return;
	}
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
	dst->count += src->count;
	dst->sum += src->sum;
}

static void close_level(struct sd_kpi *k, int obj, int m, struct series *s, int lv);

/* Merge level lv's bucket into lv + 1, closing lv + 1 first when the
 * bucket there belongs to an earlier period. */
static void promote(struct sd_kpi *k, int obj, int m, struct series *s, int lv)
{
	int up = lv + 1;
	if (up >= SD_KPI_LEVELS)
		return;
	int64_t start = floor_to(s->b[lv].start, level_ms[up]);
	if (s->b[up].count && s->b[up].start != start)
		close_level(k, obj, m, s, up);
	bucket_merge(&s->b[up], &s->b[lv], start);
	if (s->sk)
		sd_sketch_merge(&s->sk[up], &s->sk[lv]);
}

static void close_level(struct sd_kpi *k, int obj, int m, struct series *s, int lv)
{
	struct bucket *b = &s->b[lv];
	if (b->count == 0)
		return;
	const struct sd_sketch *sk = s->sk ? &s->sk[lv] : NULL;
	if (k->hook) {
		struct sd_kpi_agg a = {
			.start_ms = b->start, .level = (enum sd_kpi_level)lv,
			.count = b->count, .min = b->min, .max = b->max, .sum = b->sum,
		};
		k->hook(k->hook_arg, obj, (enum sd_kpi_metric)m, &a, sk);
	}
	queue_row(k, obj, m, lv, b, sk);
	promote(k, obj, m, s, lv);
	memset(b, 0, sizeof *b);
	if (s->sk)
		sd_sketch_reset(&s->sk[lv]);
}

/* Close whatever of s is due at time now (levels low to high, so a
 * closing minute is merged before its hour closes). */
static void close_due(struct sd_kpi *k, int obj, int m, struct series *s, int64_t now)
{
	for (int lv = 0; lv < SD_KPI_LEVELS; lv++)
		if (s->b[lv].count && s->b[lv].start + level_ms[lv] <= now)
			close_level(k, obj, m, s, lv);
}

int sd_kpi_add(struct sd_kpi *k, int obj, enum sd_kpi_metric m,
	       int64_t t_ms, double v)
{
	if (obj < 0 || obj >= k->nobjs || (unsigned)m >= SD_KPI_METRIC_COUNT ||
	    !isfinite(v) || v < sd_kpi_metrics[m].min || v > sd_kpi_metrics[m].max ||
	    t_ms < 0) {
		k->st.refused++;
		return -1;
	}
	struct object *o = &k->objs[obj];
	struct series *s = o->s[m];
	if (!s)
		s = o->s[m] = series_new(k, m);
	/* ring and latest */
	uint32_t cap = (uint32_t)k->conf.raw_len;
	uint32_t at = (s->head + s->len) % cap;
	if (s->len == cap)
		s->head = (s->head + 1) % cap;
	else
		s->len++;
	s->ring[at].t_s = (uint32_t)(t_ms / 1000);
	s->ring[at].v = (float)v;
	if (t_ms >= s->last_ms) {
		s->last_ms = t_ms;
		s->last_v = v;
	}
	k->st.samples++;
	if (k->sample_hook)
		k->sample_hook(k->sample_arg, obj, m, t_ms, v);
	/* the 1-minute bucket */
	struct bucket *b = &s->b[0];
	if (b->count && t_ms >= b->start + level_ms[0])
		close_due(k, obj, m, s, t_ms);
	if (b->count && t_ms < b->start) {
		k->st.late++;
		return 0;
	}
	if (b->count == 0) {
		int64_t start = floor_to(t_ms, level_ms[0]);
		/* a sample older than what was already rolled up is late */
		if (s->b[1].count && start < s->b[1].start) {
			k->st.late++;
			return 0;
		}
		b->start = start;
		b->min = b->max = (float)v;
	} else {
		if ((float)v < b->min)
			b->min = (float)v;
		if ((float)v > b->max)
			b->max = (float)v;
	}
	b->count++;
	b->sum += v;
	if (s->sk)
		sd_sketch_add(&s->sk[0], v);
	return 0;
}

int sd_kpi_add_id(struct sd_kpi *k, enum sd_kpi_kind kind, const char *id,
		  enum sd_kpi_metric m, int64_t t_ms, double v)
{
	int h = sd_kpi_object(k, kind, id);
	if (h < 0) {
		k->st.refused++;
		return -1;
	}
	return sd_kpi_add(k, h, m, t_ms, v);
}

void sd_kpi_tick(struct sd_kpi *k, int64_t now_ms)
{
	k->now_ms = now_ms;
	/* every bucket boundary is a minute boundary: scan only when the
	 * minute changed since the last scan */
	int64_t minute = floor_to(now_ms, level_ms[0]);
	if (minute == k->last_tick_min)
		return;
	k->last_tick_min = minute;
	for (int h = 0; h < k->nobjs; h++)
		for (int m = 0; m < SD_KPI_METRIC_COUNT; m++)
			if (k->objs[h].s[m])
				close_due(k, h, m, k->objs[h].s[m], now_ms);
}

/* Make sure obj has its kpi_object row; inside the flush transaction. */
static int persist_object(struct sd_kpi *k, struct object *o)
{
	sd_stmt_bind_text(k->ins_obj, 1, kind_names[o->kind]);
	sd_stmt_bind_text(k->ins_obj, 2, o->id);
	if (sd_stmt_run(k->ins_obj) < 0)
		return -1;
	sd_stmt_bind_text(k->sel_obj, 1, kind_names[o->kind]);
	sd_stmt_bind_text(k->sel_obj, 2, o->id);
	int rc = sd_stmt_step(k->sel_obj);
	if (rc == 1) {
		o->oid = sd_stmt_int(k->sel_obj, 0);
		o->persisted = true;
	}
	sd_stmt_reset(k->sel_obj);
	return rc == 1 ? 0 : -1;
}

static int prune(struct sd_kpi *k)
{
	for (int lv = 0; lv < SD_KPI_LEVELS; lv++) {
		if (k->conf.retention_s[lv] <= 0)
			continue;
		sd_stmt_bind_text(k->prune, 1, level_names[lv]);
		sd_stmt_bind_int(k->prune, 2, k->now_ms - k->conf.retention_s[lv] * 1000);
		if (sd_stmt_run(k->prune) < 0)
			return -1;
	}
	return 0;
}

long sd_kpi_flush(struct sd_kpi *k)
{
	if (!k->store)
		return 0;
	bool do_prune = k->now_ms - k->last_prune_ms >= 3600000;
	if (k->nrows == 0 && !do_prune)
		return 0;
	size_t batch = k->nrows < k->conf.flush_max_rows ? k->nrows : k->conf.flush_max_rows;
	/* a store batch lost since: the kpi_object rows made in it are gone */
	if (sd_store_lost(k->store) != k->store_lost) {
		k->store_lost = sd_store_lost(k->store);
		for (int h = 0; h < k->nobjs; h++)
			k->objs[h].persisted = false;
	}
	if (sd_store_write_begin(k->store) < 0)
		goto fail;
	for (size_t i = 0; i < batch; i++) {
		struct row *r = &k->rows[i];
		struct object *o = &k->objs[r->obj];
		if (!o->persisted && persist_object(k, o) < 0)
			goto fail_txn;
		struct sd_stmt *st = k->ins_row;
		sd_stmt_bind_int(st, 1, o->oid);
		sd_stmt_bind_text(st, 2, sd_kpi_metrics[r->metric].name);
		sd_stmt_bind_text(st, 3, level_names[r->level]);
		sd_stmt_bind_int(st, 4, r->start);
		sd_stmt_bind_int(st, 5, r->count);
		sd_stmt_bind_double(st, 6, r->min);
		sd_stmt_bind_double(st, 7, r->max);
		sd_stmt_bind_double(st, 8, r->sum);
		if (r->blob)
			sd_stmt_bind_blob(st, 9, r->blob, r->bloblen);
		else
			sd_stmt_bind_null(st, 9);
		if (sd_stmt_run(st) < 0)
			goto fail_txn;
	}
	if (do_prune && prune(k) < 0)
		goto fail_txn;
	if (sd_store_write_end(k->store, true) < 0)
		goto fail_lost;
	if (do_prune)
		k->last_prune_ms = k->now_ms;
	for (size_t i = 0; i < batch; i++)
		sd_free(k->rows[i].blob);
	if (batch) {
		memmove(k->rows, k->rows + batch, (k->nrows - batch) * sizeof *k->rows);
		k->nrows -= batch;
	}
	k->st.rows_written += batch;
	return (long)batch;
fail_txn:
	sd_store_write_end(k->store, false);
fail_lost:
	/* objects persisted in the rolled-back write are not */
	for (int h = 0; h < k->nobjs; h++)
		k->objs[h].persisted = false;
fail:
	sd_warn("kpi: writing %zu roll-ups: %s (kept for the next flush)",
		k->nrows, sd_store_errmsg(k->store));
	return -1;
}

long sd_kpi_flush_all(struct sd_kpi *k)
{
	long total = 0, n;
	do {
		if ((n = sd_kpi_flush(k)) < 0)
			return -1;
		total += n;
	} while (n > 0 && k->nrows > 0);
	return total;
}

bool sd_kpi_latest(const struct sd_kpi *k, int obj, enum sd_kpi_metric m,
		   int64_t *t_ms, double *v)
{
	if (obj < 0 || obj >= k->nobjs || (unsigned)m >= SD_KPI_METRIC_COUNT)
		return false;
	const struct series *s = k->objs[obj].s[m];
	if (!s || s->len == 0)
		return false;
	*t_ms = s->last_ms;
	*v = s->last_v;
	return true;
}

int sd_kpi_raw(const struct sd_kpi *k, int obj, enum sd_kpi_metric m,
	       struct sd_kpi_point *out, int max)
{
	if (obj < 0 || obj >= k->nobjs || (unsigned)m >= SD_KPI_METRIC_COUNT || max <= 0)
		return 0;
	const struct series *s = k->objs[obj].s[m];
	if (!s)
		return 0;
	uint32_t n = s->len < (uint32_t)max ? s->len : (uint32_t)max;
	uint32_t cap = (uint32_t)k->conf.raw_len;
	uint32_t first = (s->head + s->len - n) % cap;   /* the newest n */
	for (uint32_t i = 0; i < n; i++) {
		const struct rawpt *p = &s->ring[(first + i) % cap];
		out[i].t_ms = (int64_t)p->t_s * 1000;
		out[i].v = p->v;
	}
	return (int)n;
}

bool sd_kpi_current(const struct sd_kpi *k, int obj, enum sd_kpi_metric m,
		    enum sd_kpi_level lv, struct sd_kpi_agg *out,
		    struct sd_sketch *sk)
{
	if (obj < 0 || obj >= k->nobjs || (unsigned)m >= SD_KPI_METRIC_COUNT ||
	    (unsigned)lv >= SD_KPI_LEVELS)
		return false;
	const struct series *s = k->objs[obj].s[m];
	if (sk)
		sd_sketch_reset(sk);
	if (!s)
		return false;
	struct bucket acc = { 0 };
	int64_t start = -1;
	for (int l = (int)lv; l >= 0; l--) {
		if (!s->b[l].count)
			continue;
		int64_t st = floor_to(s->b[l].start, level_ms[lv]);
		if (start < 0)
			start = st;
		if (st != start)
			continue;     /* a lower bucket of a later period */
		bucket_merge(&acc, &s->b[l], st);
		if (sk && s->sk)
			sd_sketch_merge(sk, &s->sk[l]);
	}
	if (!acc.count)
		return false;
	out->start_ms = start;
	out->level = lv;
	out->count = acc.count;
	out->min = acc.min;
	out->max = acc.max;
	out->sum = acc.sum;
	return true;
}

long sd_kpi_history(struct sd_kpi *k, enum sd_kpi_kind kind, const char *id,
		    enum sd_kpi_metric m, enum sd_kpi_level lv,
		    int64_t from_ms, int64_t to_ms,
		    sd_kpi_history_fn fn, void *arg)
{
	if (!k->store || (unsigned)kind >= SD_KPI_KIND_COUNT ||
	    (unsigned)m >= SD_KPI_METRIC_COUNT || (unsigned)lv >= SD_KPI_LEVELS)
		return -1;
	struct sd_stmt *st = k->hist;
	sd_stmt_bind_text(st, 1, kind_names[kind]);
	sd_stmt_bind_text(st, 2, id);
	sd_stmt_bind_text(st, 3, sd_kpi_metrics[m].name);
	sd_stmt_bind_text(st, 4, level_names[lv]);
	sd_stmt_bind_int(st, 5, from_ms);
	sd_stmt_bind_int(st, 6, to_ms);
	long n = 0;
	int rc;
	struct sd_sketch sk;
	sd_sketch_init(&sk);
	while ((rc = sd_stmt_step(st)) == 1) {
		struct sd_kpi_agg a = {
			.start_ms = sd_stmt_int(st, 0), .level = lv,
			.count = (uint32_t)sd_stmt_int(st, 1),
			.min = sd_stmt_double(st, 2), .max = sd_stmt_double(st, 3),
			.sum = sd_stmt_double(st, 4),
		};
		size_t bl = 0;
		const void *blob = sd_stmt_blob(st, 5, &bl);
		bool have = blob && sd_sketch_decode(&sk, blob, bl) == 0;
		fn(arg, &a, have ? &sk : NULL);
		n++;
	}
	sd_sketch_done(&sk);
	sd_stmt_reset(st);
	return rc < 0 ? -1 : n;
}

void sd_kpi_get_stats(const struct sd_kpi *k, struct sd_kpi_stats *st)
{
	*st = k->st;
	st->objects = (size_t)k->nobjs;
	st->pending = k->nrows;
	size_t b = sizeof *k + (size_t)k->capobjs * sizeof *k->objs +
		   k->hashcap * sizeof *k->hash + k->caprows * sizeof *k->rows +
		   k->series_bytes;
	for (int h = 0; h < k->nobjs; h++)
		for (int m = 0; m < SD_KPI_METRIC_COUNT; m++) {
			const struct series *s = k->objs[h].s[m];
			if (s && s->sk)
				for (int l = 0; l < SD_KPI_LEVELS; l++)
					b += sd_sketch_heap_bytes(&s->sk[l]) +
					     sizeof s->sk[l];
		}
	for (size_t i = 0; i < k->nrows; i++)
		b += k->rows[i].bloblen;
	st->bytes = b;
}

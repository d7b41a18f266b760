/* billing/ledger.c — see ledger.h. */
#include "billing/ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/util.h"

struct sd_ledger {
	struct sd_store *st;
	struct sd_store_batch *batch;
	struct sd_stmt *ins, *dup, *sess, *sess_get, *tot, *held, *nheld;
	struct sd_ledger_stats stats;
	struct sd_complaint conflict_log;
};

static const struct sd_store_migration migrations[] = {
	{ 1, "CREATE TABLE usage ("
	     " id INTEGER PRIMARY KEY,"
	     " source TEXT NOT NULL,"
	     " session TEXT NOT NULL,"
	     " rating_group INTEGER NOT NULL,"
	     " seq INTEGER NOT NULL,"
	     " upf TEXT NOT NULL,"
	     " ul INTEGER NOT NULL CHECK (ul >= 0),"
	     " dl INTEGER NOT NULL CHECK (dl >= 0),"
	     " total INTEGER NOT NULL CHECK (total >= 0),"
	     " time_s INTEGER NOT NULL CHECK (time_s >= 0),"
	     " usage_ms INTEGER NOT NULL,"
	     " period TEXT NOT NULL,"
	     " snssai TEXT NOT NULL,"
	     " dnn TEXT NOT NULL,"
	     " factory TEXT NOT NULL,"
	     " slice TEXT NOT NULL,"
	     " hold TEXT,"                      /* NULL: billable */
	     " recorded_ms INTEGER NOT NULL,"
	     " UNIQUE (source, session, rating_group, seq, upf));"
	     "CREATE INDEX usage_bill ON usage(factory, period) WHERE hold IS NULL;"
	     "CREATE INDEX usage_held ON usage(recorded_ms) WHERE hold IS NOT NULL;"
	     "CREATE TABLE session ("
	     " ref TEXT PRIMARY KEY,"
	     " nf TEXT NOT NULL, subscriber TEXT NOT NULL,"
	     " snssai TEXT NOT NULL, dnn TEXT NOT NULL, pdu_session_id INTEGER NOT NULL,"
	     " created_ms INTEGER NOT NULL, released_ms INTEGER NOT NULL DEFAULT 0);" },
};

void sd_ledger_period_of(int64_t wall_ms, char *buf, size_t bufsz)
{
	time_t t = (time_t)(wall_ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(buf, bufsz, "%04d-%02d", tm.tm_year + 1900, tm.tm_mon + 1);
}

struct sd_ledger *sd_ledger_open(struct sd_store *st, struct sd_loop *loop,
				 const struct sd_ledger_conf *conf, char *err, size_t errsz)
{
	struct sd_ledger *l = sd_calloc(1, sizeof *l);
	struct sd_store_batch_conf bc;
	l->st = st;
	if (!st) {
		snprintf(err, errsz, "no store");
		goto fail;
	}
	if (sd_store_migrate(st, "ledger", migrations, (int)SD_ARRAY_LEN(migrations), err,
			     errsz) < 0)
		goto fail;
	sd_store_batch_conf_default(&bc);
	bc.interval_ms = conf && conf->commit_ms > 0 ? conf->commit_ms : 5;
	bc.max_writes = conf && conf->max_writes > 0 ? conf->max_writes : 1000;
	l->batch = sd_store_batch_new(st, loop, &bc, err, errsz);
	if (!l->batch)
		goto fail;
	l->ins = sd_store_prepare(st,
		"INSERT INTO usage (source, session, rating_group, seq, upf, ul, dl, total, time_s,"
		" usage_ms, period, snssai, dnn, factory, slice, hold, recorded_ms)"
		" VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
		" ON CONFLICT (source, session, rating_group, seq, upf) DO NOTHING");
	l->dup = sd_store_prepare(st,
		"SELECT ul, dl, total, time_s FROM usage WHERE source = ? AND session = ? AND"
		" rating_group = ? AND seq = ? AND upf = ?");
	l->sess = sd_store_prepare(st,
		"INSERT INTO session (ref, nf, subscriber, snssai, dnn, pdu_session_id, created_ms,"
		" released_ms) VALUES (?1,?2,?3,?4,?5,?6,?7, CASE WHEN ?8 THEN ?7 ELSE 0 END)"
		" ON CONFLICT (ref) DO UPDATE SET"
		" snssai = CASE WHEN excluded.snssai <> '' THEN excluded.snssai ELSE snssai END,"
		" dnn = CASE WHEN excluded.dnn <> '' THEN excluded.dnn ELSE dnn END,"
		" released_ms = CASE WHEN ?8 AND released_ms = 0 THEN ?7 ELSE released_ms END");
	l->sess_get = sd_store_prepare(st, "SELECT snssai, dnn FROM session WHERE ref = ?");
	l->tot = sd_store_prepare(st,
		"SELECT factory, slice, period, SUM(ul), SUM(dl), SUM(total), SUM(time_s), COUNT(*)"
		" FROM usage WHERE hold IS NULL AND (?1 IS NULL OR factory = ?1) AND"
		" (?2 IS NULL OR period = ?2) GROUP BY factory, slice, period"
		" ORDER BY factory, slice, period");
	l->held = sd_store_prepare(st,
		"SELECT source, session, rating_group, seq, upf, snssai, dnn, period, hold, ul, dl,"
		" total, usage_ms FROM usage WHERE hold IS NOT NULL ORDER BY recorded_ms DESC, id DESC"
		" LIMIT ?");
	l->nheld = sd_store_prepare(st, "SELECT COUNT(*) FROM usage WHERE hold IS NOT NULL");
	if (!l->ins || !l->dup || !l->sess || !l->sess_get || !l->tot || !l->held || !l->nheld) {
		snprintf(err, errsz, "%s", sd_store_errmsg(st));
		goto fail;
	}
	return l;
fail:
	sd_ledger_close(l);
	return NULL;
}

void sd_ledger_close(struct sd_ledger *l)
{
	if (!l)
		return;
	sd_store_close(l->st);   /* commits and frees the batch */
	free(l);
}

const char *sd_ledger_errmsg(struct sd_ledger *l)
{
	return sd_store_errmsg(l->st);
}

int sd_ledger_write_begin(struct sd_ledger *l)
{
	return sd_store_write_begin(l->st);
}

int sd_ledger_write_end(struct sd_ledger *l, bool ok)
{
	return sd_store_write_end(l->st, ok);
}

static void bind_key(struct sd_stmt *s, int first, const struct sd_usage_rec *r)
{
	sd_stmt_bind_text(s, first, r->source);
	sd_stmt_bind_text(s, first + 1, r->session);
	sd_stmt_bind_int(s, first + 2, r->rating_group);
	sd_stmt_bind_int(s, first + 3, r->seq);
	sd_stmt_bind_text(s, first + 4, r->upf ? r->upf : "");
}

/* A key stored already: the same record again (a resend), or a conflict. */
static void check_duplicate(struct sd_ledger *l, const struct sd_usage_rec *r)
{
	bool differs = false;
	l->stats.duplicates++;
	bind_key(l->dup, 1, r);
	if (sd_stmt_step(l->dup) == 1)
		differs = sd_stmt_int(l->dup, 0) != r->ul || sd_stmt_int(l->dup, 1) != r->dl ||
			  sd_stmt_int(l->dup, 2) != r->total || sd_stmt_int(l->dup, 3) != r->time_s;
	sd_stmt_reset(l->dup);
	if (!differs)
		return;
	l->stats.conflicts++;
	sd_complain(&l->conflict_log, SD_LOG_WARN,
		    "ledger: record %s:%s/%u/%lld%s%s came again with other volumes (ul %lld, "
		    "dl %lld, total %lld); the first one stands", r->source, r->session,
		    r->rating_group, (long long)r->seq, r->upf && r->upf[0] ? "/" : "",
		    r->upf ? r->upf : "", (long long)r->ul, (long long)r->dl, (long long)r->total);
}

int sd_ledger_put(struct sd_ledger *l, const struct sd_usage_rec *r)
{
	char period[8];
	int rc;
	sd_ledger_period_of(r->usage_ms, period, sizeof period);
	bind_key(l->ins, 1, r);
	sd_stmt_bind_int(l->ins, 6, r->ul);
	sd_stmt_bind_int(l->ins, 7, r->dl);
	sd_stmt_bind_int(l->ins, 8, r->total);
	sd_stmt_bind_int(l->ins, 9, r->time_s);
	sd_stmt_bind_int(l->ins, 10, r->usage_ms);
	sd_stmt_bind_text(l->ins, 11, period);
	sd_stmt_bind_text(l->ins, 12, r->snssai ? r->snssai : "");
	sd_stmt_bind_text(l->ins, 13, r->dnn ? r->dnn : "");
	sd_stmt_bind_text(l->ins, 14, r->hold ? "" : r->factory ? r->factory : "");
	sd_stmt_bind_text(l->ins, 15, r->hold ? "" : r->slice ? r->slice : "");
	if (r->hold)
		sd_stmt_bind_text(l->ins, 16, r->hold);
	else
		sd_stmt_bind_null(l->ins, 16);
	sd_stmt_bind_int(l->ins, 17, sd_wall_ms());
	if (sd_stmt_run(l->ins) < 0)
		return -1;
	rc = sd_store_changes(l->st) > 0;
	if (rc) {
		l->stats.stored++;
		if (r->hold)
			l->stats.held++;
	} else {
		check_duplicate(l, r);
	}
	return rc;
}

int sd_ledger_session(struct sd_ledger *l, const char *ref, const char *nf,
		      const char *subscriber, const char *snssai, const char *dnn,
		      int pdu_session_id, int64_t now_ms, bool released)
{
	sd_stmt_bind_text(l->sess, 1, ref);
	sd_stmt_bind_text(l->sess, 2, nf ? nf : "");
	sd_stmt_bind_text(l->sess, 3, subscriber ? subscriber : "");
	sd_stmt_bind_text(l->sess, 4, snssai ? snssai : "");
	sd_stmt_bind_text(l->sess, 5, dnn ? dnn : "");
	sd_stmt_bind_int(l->sess, 6, pdu_session_id);
	sd_stmt_bind_int(l->sess, 7, now_ms);
	sd_stmt_bind_int(l->sess, 8, released);
	return sd_stmt_run(l->sess);
}

int sd_ledger_session_get(struct sd_ledger *l, const char *ref, char *snssai, size_t sn_sz,
			  char *dnn, size_t dnn_sz)
{
	int rc = -1;
	sd_stmt_bind_text(l->sess_get, 1, ref);
	if (sd_stmt_step(l->sess_get) == 1 && sd_stmt_text(l->sess_get, 0)[0]) {
		sd_strlcpy(snssai, sd_stmt_text(l->sess_get, 0), sn_sz);
		sd_strlcpy(dnn, sd_stmt_text(l->sess_get, 1), dnn_sz);
		rc = 0;
	}
	sd_stmt_reset(l->sess_get);
	return rc;
}

void sd_ledger_on_durable(struct sd_ledger *l, sd_store_commit_fn fn, void *arg)
{
	sd_store_batch_on_commit(l->batch, fn, arg);
}

int sd_ledger_flush(struct sd_ledger *l, sd_store_commit_fn fn, void *arg)
{
	return sd_store_batch_flush(l->batch, fn, arg);
}

void sd_ledger_get_stats(const struct sd_ledger *l, struct sd_ledger_stats *st)
{
	struct sd_store_batch_stats bs;
	*st = l->stats;
	sd_store_batch_get_stats(l->batch, &bs);
	st->commits = bs.commits;
	st->max_commit_us = bs.max_commit_us;
}

int sd_ledger_totals(struct sd_ledger *l, const char *factory, const char *period,
		     sd_ledger_total_fn fn, void *arg)
{
	int rc;
	if (factory)
		sd_stmt_bind_text(l->tot, 1, factory);
	else
		sd_stmt_bind_null(l->tot, 1);
	if (period)
		sd_stmt_bind_text(l->tot, 2, period);
	else
		sd_stmt_bind_null(l->tot, 2);
	while ((rc = sd_stmt_step(l->tot)) == 1) {
		struct sd_usage_total t;
		memset(&t, 0, sizeof t);
		sd_strlcpy(t.factory, sd_stmt_text(l->tot, 0), sizeof t.factory);
		sd_strlcpy(t.slice, sd_stmt_text(l->tot, 1), sizeof t.slice);
		sd_strlcpy(t.period, sd_stmt_text(l->tot, 2), sizeof t.period);
		t.ul = sd_stmt_int(l->tot, 3);
		t.dl = sd_stmt_int(l->tot, 4);
		t.total = sd_stmt_int(l->tot, 5);
		t.time_s = sd_stmt_int(l->tot, 6);
		t.records = sd_stmt_int(l->tot, 7);
		fn(arg, &t);
	}
	sd_stmt_reset(l->tot);
	return rc < 0 ? -1 : 0;
}

int sd_ledger_held(struct sd_ledger *l, int limit, sd_ledger_held_fn fn, void *arg)
{
	int rc;
	sd_stmt_bind_int(l->held, 1, limit);
	while ((rc = sd_stmt_step(l->held)) == 1) {
		struct sd_usage_held h;
		const char *upf = sd_stmt_text(l->held, 4);
		memset(&h, 0, sizeof h);
		snprintf(h.key, sizeof h.key, "%s:%s/%lld/%lld%s%s", sd_stmt_text(l->held, 0),
			 sd_stmt_text(l->held, 1), (long long)sd_stmt_int(l->held, 2),
			 (long long)sd_stmt_int(l->held, 3), upf[0] ? "/" : "", upf);
		sd_strlcpy(h.snssai, sd_stmt_text(l->held, 5), sizeof h.snssai);
		sd_strlcpy(h.dnn, sd_stmt_text(l->held, 6), sizeof h.dnn);
		sd_strlcpy(h.period, sd_stmt_text(l->held, 7), sizeof h.period);
		sd_strlcpy(h.reason, sd_stmt_text(l->held, 8), sizeof h.reason);
		h.ul = sd_stmt_int(l->held, 9);
		h.dl = sd_stmt_int(l->held, 10);
		h.total = sd_stmt_int(l->held, 11);
		h.usage_ms = sd_stmt_int(l->held, 12);
		fn(arg, &h);
	}
	sd_stmt_reset(l->held);
	return rc < 0 ? -1 : 0;
}

int64_t sd_ledger_held_count(struct sd_ledger *l)
{
	int64_t n = -1;
	if (sd_stmt_step(l->nheld) == 1)
		n = sd_stmt_int(l->nheld, 0);
	sd_stmt_reset(l->nheld);
	return n;
}

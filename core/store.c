/* core/store.c — see store.h. The only file that includes sqlite3.h. */
#include "core/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/loop.h"
#include "core/util.h"

struct sd_stmt {
	sqlite3_stmt *st;
	struct sd_store *store;
	struct sd_stmt *next;
};

struct sd_store {
	sqlite3 *db;
	struct sd_stmt *stmts;   /* owned, finalized at close */
	bool in_txn;             /* explicit sd_store_begin transaction */
	struct sd_stmt *get_version, *set_version;   /* prepared once */
	struct sd_store_batch *batch;   /* owned; NULL: writes unbatched */
	int wdepth;              /* open sd_store_write_begin levels */
	bool wown;               /* the outer write began its own transaction */
	uint64_t lost;           /* see sd_store_lost */
	char err[256];
};

struct waiter {
	sd_store_commit_fn fn;
	void *arg;
};

struct sd_store_batch {
	struct sd_store *s;
	struct sd_loop *loop;
	struct sd_store_batch_conf conf;
	bool open;               /* BEGIN done, COMMIT not yet */
	int writes;              /* writes in the open transaction */
	uint64_t timer;          /* the interval's commit, 0 = none */
	struct waiter *w;        /* sd_store_batch_on_commit, in order */
	size_t nw, capw;
	struct sd_store_batch_stats st;
	struct sd_complaint lost_complaint;
};

static void set_err(struct sd_store *s, const char *what)
{
	snprintf(s->err, sizeof s->err, "%s: %s", what, sqlite3_errmsg(s->db));
}

struct sd_store *sd_store_open(const char *path, char *err, size_t errsz)
{
	return sd_store_open_ex(path, SD_DURABLE_NORMAL, err, errsz);
}

struct sd_store *sd_store_open_ex(const char *path, int durability,
				  char *err, size_t errsz)
{
	const char *sync;
	switch (durability) {
	case SD_DURABLE_NORMAL: sync = "PRAGMA synchronous=NORMAL;"; break;
	case SD_DURABLE_FULL:   sync = "PRAGMA synchronous=FULL;"; break;
	default:
		snprintf(err, errsz, "%s: unknown durability %d", path, durability);
		return NULL;
	}
	struct sd_store *s = sd_calloc(1, sizeof *s);
	int rc = sqlite3_open_v2(path, &s->db,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				 SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errsz, "%s: %s", path,
			 s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
		sqlite3_close(s->db);
		sd_free(s);
		return NULL;
	}
	sqlite3_busy_timeout(s->db, 2000);
	/* WAL: readers (a report) do not block the writer. NORMAL sync is
	 * durable across a process crash, which is what history needs; FULL
	 * also across a power cut (the WAL is synced at every commit), which
	 * is what a ledger or an audit log needs. */
	if (sd_store_exec(s, "PRAGMA journal_mode=WAL;") < 0 ||
	    sd_store_exec(s, sync) < 0 ||
	    sd_store_exec(s, "PRAGMA foreign_keys=ON;"
			     "CREATE TABLE IF NOT EXISTS store_schema("
			     " component TEXT PRIMARY KEY,"
			     " version INTEGER NOT NULL);") < 0) {
		snprintf(err, errsz, "%s: %s", path, s->err);
		sd_store_close(s);
		return NULL;
	}
	return s;
}

void sd_store_close(struct sd_store *s)
{
	if (!s)
		return;
	sd_store_batch_free(s->batch);
	if (s->in_txn)
		sd_store_rollback(s);
	while (s->stmts) {
		struct sd_stmt *n = s->stmts->next;
		sqlite3_finalize(s->stmts->st);
		sd_free(s->stmts);
		s->stmts = n;
	}
	sqlite3_close(s->db);
	sd_free(s);
}

int sd_store_exec(struct sd_store *s, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(s->err, sizeof s->err, "%s", msg ? msg : "error");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int sd_store_begin(struct sd_store *s)
{
	if (s->in_txn || s->wdepth > 0) {
		snprintf(s->err, sizeof s->err, s->in_txn ? "transaction already open"
			 : "transaction inside a write");
		return -1;
	}
	if (s->batch && s->batch->open && sd_store_batch_flush(s->batch, NULL, NULL) < 0)
		return -1;
	if (sd_store_exec(s, "BEGIN IMMEDIATE") < 0)
		return -1;
	s->in_txn = true;
	return 0;
}

int sd_store_commit(struct sd_store *s)
{
	if (!s->in_txn)
		return 0;
	if (sd_store_exec(s, "COMMIT") < 0) {
		/* a failed COMMIT may leave the transaction open */
		if (!sqlite3_get_autocommit(s->db))
			sd_store_exec(s, "ROLLBACK");
		s->in_txn = false;
		return -1;
	}
	s->in_txn = false;
	return 0;
}

int sd_store_rollback(struct sd_store *s)
{
	if (!s->in_txn)
		return 0;
	s->in_txn = false;
	if (sqlite3_get_autocommit(s->db))
		return 0;
	return sd_store_exec(s, "ROLLBACK");
}

bool sd_store_in_txn(const struct sd_store *s)
{
	return s->in_txn || s->wdepth > 0 || (s->batch && s->batch->open);
}

uint64_t sd_store_lost(const struct sd_store *s) { return s->lost; }
int sd_store_changes(struct sd_store *s) { return sqlite3_changes(s->db); }
const char *sd_store_errmsg(struct sd_store *s) { return s->err; }

/* --- writes and the batch ------------------------------------------------
 *
 * A write is a SAVEPOINT named sd_write (nested writes reuse the name:
 * ROLLBACK TO / RELEASE address the innermost). Outside a batch and an
 * explicit transaction the outermost write begins and commits its own
 * transaction. With a batch the outermost write opens the batch's
 * transaction if none is open and, when it ends, counts towards the
 * batch's size and arms the interval timer. Writes never span loop turns,
 * so the timer never fires inside one.
 */

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Runs without touching s->err (a failing write's message must survive
 * its clean-up). */
static void exec_quiet(struct sd_store *s, const char *sql)
{
	sqlite3_exec(s->db, sql, NULL, NULL, NULL);
}

static void run_waiters(struct sd_store_batch *b, int rc)
{
	/* a waiter may register the next one: detach the list first */
	struct waiter *w = b->w;
	size_t n = b->nw;
	b->w = NULL;
	b->nw = b->capw = 0;
	for (size_t i = 0; i < n; i++)
		w[i].fn(w[i].arg, rc);
	sd_free(w);
}

static void cancel_timer(struct sd_store_batch *b)
{
	if (b->timer)
		sd_loop_timer_del(b->loop, b->timer);
	b->timer = 0;
}

/* The open batch's transaction is gone (already rolled back). */
static void batch_lost(struct sd_store_batch *b, int writes, const char *why)
{
	cancel_timer(b);
	b->open = false;
	b->writes = 0;
	if (writes > 0) {
		b->s->lost++;
		b->st.lost_batches++;
		sd_complain(&b->lost_complaint, SD_LOG_ERR,
			    "store: a batch of %d writes was lost: %s", writes, why);
	}
	run_waiters(b, -1);
}

static int batch_commit(struct sd_store_batch *b)
{
	struct sd_store *s = b->s;
	cancel_timer(b);
	if (!b->open) {
		run_waiters(b, 0);
		return 0;
	}
	int64_t t0 = mono_us();
	if (sd_store_exec(s, "COMMIT") < 0) {
		int writes = b->writes;
		if (!sqlite3_get_autocommit(s->db))
			exec_quiet(s, "ROLLBACK");
		batch_lost(b, writes, s->err);
		return -1;
	}
	int64_t dt = mono_us() - t0;
	b->st.last_commit_us = dt;
	if (dt > b->st.max_commit_us)
		b->st.max_commit_us = dt;
	b->st.commits++;
	b->open = false;
	b->writes = 0;
	if (b->lost_complaint.interval_ms)
		sd_complain_clear(&b->lost_complaint, "store: batches commit again");
	run_waiters(b, 0);
	return 0;
}

static void on_batch_timer(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct sd_store_batch *b = arg;
	b->timer = 0;
	batch_commit(b);
}

int sd_store_write_begin(struct sd_store *s)
{
	struct sd_store_batch *b = s->batch;
	bool began = false;
	if (s->wdepth == 0 && !s->in_txn && !(b && b->open)) {
		if (sd_store_exec(s, "BEGIN IMMEDIATE") < 0)
			return -1;
		began = true;
		if (b) {
			b->open = true;
			b->writes = 0;
		} else {
			s->wown = true;
		}
	}
	if (sd_store_exec(s, "SAVEPOINT sd_write") < 0) {
		if (began) {
			exec_quiet(s, "ROLLBACK");
			s->wown = false;
			if (b)
				b->open = false;
		}
		return -1;
	}
	s->wdepth++;
	return 0;
}

int sd_store_write_end(struct sd_store *s, bool ok)
{
	struct sd_store_batch *b = s->batch;
	if (s->wdepth <= 0) {
		snprintf(s->err, sizeof s->err, "no write open");
		return -1;
	}
	s->wdepth--;
	if (ok && sd_store_exec(s, "RELEASE sd_write") < 0)
		ok = false;
	if (!ok) {
		if (sqlite3_get_autocommit(s->db)) {
			/* SQLite rolled the whole transaction back by itself
			 * (I/O error, disk full): the outer writes and the batch
			 * went with it */
			s->wdepth = 0;
			s->wown = false;
			s->in_txn = false;
			if (b && b->open)
				batch_lost(b, b->writes, s->err);
			return -1;
		}
		exec_quiet(s, "ROLLBACK TO sd_write");
		exec_quiet(s, "RELEASE sd_write");
	}
	if (s->wdepth > 0)
		return ok ? 0 : -1;
	if (s->wown) {
		s->wown = false;
		if (!ok) {
			exec_quiet(s, "ROLLBACK");
			return -1;
		}
		if (sd_store_exec(s, "COMMIT") < 0) {
			if (!sqlite3_get_autocommit(s->db))
				exec_quiet(s, "ROLLBACK");
			s->lost++;
			return -1;
		}
		return 0;
	}
	if (b && b->open) {
		if (ok) {
			b->writes++;
			b->st.writes++;
		} else {
			b->st.failed_writes++;
		}
		if (b->writes >= b->conf.max_writes) {
			if (batch_commit(b) < 0)
				return -1;
		} else if (!b->timer) {
			b->timer = sd_loop_timer_add(b->loop, b->conf.interval_ms,
						     on_batch_timer, b);
		}
	}
	return ok ? 0 : -1;
}

void sd_store_batch_conf_default(struct sd_store_batch_conf *c)
{
	c->interval_ms = 200;
	c->max_writes = 1000;
}

struct sd_store_batch *sd_store_batch_new(struct sd_store *s, struct sd_loop *loop,
					  const struct sd_store_batch_conf *conf,
					  char *err, size_t errsz)
{
	if (!loop || s->batch || s->in_txn || s->wdepth > 0) {
		snprintf(err, errsz, "store: %s", !loop ? "a batch needs a loop" :
			 s->batch ? "the store has a batch already" : "a transaction is open");
		return NULL;
	}
	struct sd_store_batch *b = sd_calloc(1, sizeof *b);
	b->s = s;
	b->loop = loop;
	if (conf)
		b->conf = *conf;
	else
		sd_store_batch_conf_default(&b->conf);
	if (b->conf.interval_ms < 0)
		b->conf.interval_ms = 0;
	if (b->conf.max_writes < 1)
		b->conf.max_writes = 1;
	s->batch = b;
	return b;
}

void sd_store_batch_free(struct sd_store_batch *b)
{
	if (!b)
		return;
	batch_commit(b);
	b->s->batch = NULL;
	sd_free(b->w);
	sd_free(b);
}

struct sd_store_batch *sd_store_get_batch(struct sd_store *s) { return s->batch; }

int sd_store_batch_flush(struct sd_store_batch *b, sd_store_commit_fn fn, void *arg)
{
	if (b->s->wdepth > 0) {
		snprintf(b->s->err, sizeof b->s->err, "flush inside a write");
		return -1;
	}
	if (fn)
		sd_store_batch_on_commit(b, fn, arg);
	return batch_commit(b);
}

void sd_store_batch_on_commit(struct sd_store_batch *b, sd_store_commit_fn fn, void *arg)
{
	if (!b->open) {
		fn(arg, 0);
		return;
	}
	if (b->nw == b->capw) {
		b->capw = b->capw ? b->capw * 2 : 8;
		b->w = sd_reallocarray(b->w, b->capw, sizeof *b->w);
	}
	b->w[b->nw].fn = fn;
	b->w[b->nw].arg = arg;
	b->nw++;
}

void sd_store_batch_get_stats(const struct sd_store_batch *b, struct sd_store_batch_stats *st)
{
	*st = b->st;
}

int sd_store_flush(struct sd_store *s, sd_store_commit_fn fn, void *arg)
{
	if (s->batch)
		return sd_store_batch_flush(s->batch, fn, arg);
	if (fn)
		fn(arg, 0);
	return 0;
}

int sd_store_version(struct sd_store *s, const char *component)
{
	if (!s->get_version)
		s->get_version = sd_store_prepare(s,
			"SELECT version FROM store_schema WHERE component = ?1");
	struct sd_stmt *st = s->get_version;
	if (!st)
		return -1;
	sd_stmt_bind_text(st, 1, component);
	int rc = sd_stmt_step(st), v = 0;
	if (rc == 1)
		v = (int)sd_stmt_int(st, 0);
	else if (rc < 0)
		v = -1;
	sd_stmt_reset(st);
	return v;
}

int sd_store_migrate(struct sd_store *s, const char *component,
		     const struct sd_store_migration *m, int nm,
		     char *err, size_t errsz)
{
	int cur = sd_store_version(s, component);
	if (cur < 0) {
		snprintf(err, errsz, "%s: reading schema version: %s", component, s->err);
		return -1;
	}
	int last = nm > 0 ? m[nm - 1].version : 0;
	if (cur > last) {
		snprintf(err, errsz, "%s: store schema version %d is newer than this "
			 "program's %d", component, cur, last);
		return -1;
	}
	for (int i = 0; i < nm; i++) {
		if (m[i].version <= cur)
			continue;
		if (sd_store_begin(s) < 0)
			goto fail;
		if (sd_store_exec(s, m[i].sql) < 0) {
			char why[256];
			sd_strlcpy(why, s->err, sizeof why);
			sd_store_rollback(s);
			snprintf(err, errsz, "%s: migration %d: %s", component,
				 m[i].version, why);
			return -1;
		}
		if (!s->set_version)
			s->set_version = sd_store_prepare(s,
				"INSERT INTO store_schema(component, version) VALUES(?1, ?2)"
				" ON CONFLICT(component) DO UPDATE SET version = excluded.version");
		struct sd_stmt *st = s->set_version;
		if (!st) {
			sd_store_rollback(s);
			goto fail;
		}
		sd_stmt_bind_text(st, 1, component);
		sd_stmt_bind_int(st, 2, m[i].version);
		if (sd_stmt_run(st) < 0 || sd_store_commit(s) < 0) {
			sd_store_rollback(s);
			goto fail;
		}
		cur = m[i].version;
	}
	return cur;
fail:
	snprintf(err, errsz, "%s: migration: %s", component, s->err);
	return -1;
}

struct sd_stmt *sd_store_prepare(struct sd_store *s, const char *sql)
{
	sqlite3_stmt *raw = NULL;
	if (sqlite3_prepare_v2(s->db, sql, -1, &raw, NULL) != SQLITE_OK) {
		set_err(s, "prepare");
		sqlite3_finalize(raw);
		return NULL;
	}
	struct sd_stmt *st = sd_calloc(1, sizeof *st);
	st->st = raw;
	st->store = s;
	st->next = s->stmts;
	s->stmts = st;
	return st;
}

static int bind_rc(struct sd_stmt *st, int rc)
{
	if (rc == SQLITE_OK)
		return 0;
	set_err(st->store, "bind");
	return -1;
}

int sd_stmt_bind_int(struct sd_stmt *st, int i, int64_t v)
{
	return bind_rc(st, sqlite3_bind_int64(st->st, i, v));
}

int sd_stmt_bind_double(struct sd_stmt *st, int i, double v)
{
	return bind_rc(st, sqlite3_bind_double(st->st, i, v));
}

int sd_stmt_bind_text(struct sd_stmt *st, int i, const char *v)
{
	if (!v)
		return sd_stmt_bind_null(st, i);
	return bind_rc(st, sqlite3_bind_text(st->st, i, v, -1, SQLITE_TRANSIENT));
}

int sd_stmt_bind_blob(struct sd_stmt *st, int i, const void *p, size_t n)
{
	return bind_rc(st, sqlite3_bind_blob64(st->st, i, p, n, SQLITE_TRANSIENT));
}

int sd_stmt_bind_null(struct sd_stmt *st, int i)
{
	return bind_rc(st, sqlite3_bind_null(st->st, i));
}

int sd_stmt_step(struct sd_stmt *st)
{
	int rc = sqlite3_step(st->st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	set_err(st->store, "step");
	return -1;
}

int sd_stmt_run(struct sd_stmt *st)
{
	int rc;
	while ((rc = sd_stmt_step(st)) == 1)
		;
	sd_stmt_reset(st);
	return rc;
}

void sd_stmt_reset(struct sd_stmt *st)
{
	sqlite3_reset(st->st);
	sqlite3_clear_bindings(st->st);
}

int64_t sd_stmt_int(struct sd_stmt *st, int col)
{
	return sqlite3_column_int64(st->st, col);
}

double sd_stmt_double(struct sd_stmt *st, int col)
{
	return sqlite3_column_double(st->st, col);
}

const char *sd_stmt_text(struct sd_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st->st, col);
	return t ? (const char *)t : "";
}

const void *sd_stmt_blob(struct sd_stmt *st, int col, size_t *n)
{
	const void *p = sqlite3_column_blob(st->st, col);
	*n = (size_t)sqlite3_column_bytes(st->st, col);
	return p;
}

bool sd_stmt_is_null(struct sd_stmt *st, int col)
{
	return sqlite3_column_type(st->st, col) == SQLITE_NULL;
}

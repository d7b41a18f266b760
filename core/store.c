/* core/store.c — see store.h. The only file that includes sqlite3.h. */
#include "core/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"

struct sd_stmt {
	sqlite3_stmt *st;
	struct sd_store *store;
	struct sd_stmt *next;
};

struct sd_store {
	sqlite3 *db;
	struct sd_stmt *stmts;   /* owned, finalized at close */
	bool in_txn;
	struct sd_stmt *get_version, *set_version;   /* prepared once */
	char err[256];
};

static void set_err(struct sd_store *s, const char *what)
{
	snprintf(s->err, sizeof s->err, "%s: %s", what, sqlite3_errmsg(s->db));
}

struct sd_store *sd_store_open(const char *path, char *err, size_t errsz)
{
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
	/* WAL: readers (a report) do not block the writer; NORMAL sync is
	 * durable across a process crash, which is what history needs. */
	if (sd_store_exec(s, "PRAGMA journal_mode=WAL;"
			     "PRAGMA synchronous=NORMAL;"
			     "PRAGMA foreign_keys=ON;"
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
	if (s->in_txn) {
		snprintf(s->err, sizeof s->err, "transaction already open");
		return -1;
	}
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

bool sd_store_in_txn(const struct sd_store *s) { return s->in_txn; }
int sd_store_changes(struct sd_store *s) { return sqlite3_changes(s->db); }
const char *sd_store_errmsg(struct sd_store *s) { return s->err; }

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

/* core/store.h — the engine's persistent store (SQLite in WAL mode).
 *
 * A deliberately small seam: every module that keeps history (KPI roll-ups,
 * SLA compliance, alarms) talks to it through these calls only, never to
 * sqlite3 directly, so another backend (PostgreSQL) can replace this file.
 *
 *   open       sd_store_open(path) — creates the file, WAL journal,
 *              synchronous=NORMAL, a busy timeout.
 *   migrate    each module owns a "component" name and an ordered list of
 *              numbered migrations; sd_store_migrate() applies the ones
 *              above the version recorded in the store_schema table, each
 *              in its own transaction, and records the new version.
 *   statements sd_store_prepare() returns a statement the store owns
 *              (finalized by sd_store_close); bind, step, read columns,
 *              sd_stmt_reset() before the next use.
 *   transactions sd_store_begin/commit/rollback (not nested).
 *   idempotency tables declare UNIQUE / PRIMARY KEY constraints and
 *              inserts say "ON CONFLICT DO NOTHING" (or DO UPDATE), so
 *              writing the same record twice stores it once;
 *              sd_store_changes() tells whether the last statement changed
 *              a row.
 *
 * Errors: functions return 0 / -1 (or a row flag); sd_store_errmsg() has
 * the backend's message for the last failure. Not thread-safe: one loop.
 */
#ifndef SD_STORE_H
#define SD_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sd_store;
struct sd_stmt;

struct sd_store_migration {
	int version;       /* 1, 2, 3 ... strictly increasing */
	const char *sql;   /* one or more statements */
};

/* Opens (creating if needed) the database at path; ":memory:" works for
 * tests. On failure returns NULL with a message in err. */
struct sd_store *sd_store_open(const char *path, char *err, size_t errsz);
/* Finalizes every statement prepared on s and closes it. NULL is fine. */
void sd_store_close(struct sd_store *s);

/* Brings component up to the last migration. Returns the schema version
 * now in force, or -1 (err says which migration failed; the failed one is
 * rolled back, earlier ones stay). A store newer than the code (recorded
 * version above the last migration) is refused: -1. */
int sd_store_migrate(struct sd_store *s, const char *component,
		     const struct sd_store_migration *m, int nm,
		     char *err, size_t errsz);
/* The recorded version of component, 0 when never migrated, -1 on error. */
int sd_store_version(struct sd_store *s, const char *component);

/* Runs SQL text without results (DDL, pragmas). 0 or -1. */
int sd_store_exec(struct sd_store *s, const char *sql);
int sd_store_begin(struct sd_store *s);
int sd_store_commit(struct sd_store *s);
int sd_store_rollback(struct sd_store *s);
bool sd_store_in_txn(const struct sd_store *s);
/* Rows changed by the last INSERT/UPDATE/DELETE. */
int sd_store_changes(struct sd_store *s);
const char *sd_store_errmsg(struct sd_store *s);

/* A prepared statement owned by s (do not free it). NULL on a syntax
 * error (sd_store_errmsg says why). Parameters are numbered from 1,
 * columns from 0. */
struct sd_stmt *sd_store_prepare(struct sd_store *s, const char *sql);
int  sd_stmt_bind_int(struct sd_stmt *st, int i, int64_t v);
int  sd_stmt_bind_double(struct sd_stmt *st, int i, double v);
int  sd_stmt_bind_text(struct sd_stmt *st, int i, const char *v);   /* copied */
int  sd_stmt_bind_blob(struct sd_stmt *st, int i, const void *p, size_t n);
int  sd_stmt_bind_null(struct sd_stmt *st, int i);
/* 1: a row is ready; 0: done; -1: error. */
int  sd_stmt_step(struct sd_stmt *st);
/* Step to completion and reset: 0 or -1 (for INSERT/UPDATE/DELETE). */
int  sd_stmt_run(struct sd_stmt *st);
/* Ready for new bindings (bindings are cleared too). */
void sd_stmt_reset(struct sd_stmt *st);
int64_t     sd_stmt_int(struct sd_stmt *st, int col);
double      sd_stmt_double(struct sd_stmt *st, int col);
const char *sd_stmt_text(struct sd_stmt *st, int col);    /* "" for NULL */
const void *sd_stmt_blob(struct sd_stmt *st, int col, size_t *n);
bool        sd_stmt_is_null(struct sd_stmt *st, int col);

#endif

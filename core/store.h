/* core/store.h — the engine's persistent store (SQLite in WAL mode).
 *
 * A deliberately small seam: every module that keeps history (KPI roll-ups,
 * SLA compliance, alarms) talks to it through these calls only, never to
 * sqlite3 directly, so another backend (PostgreSQL) can replace this file.
 *
 *   open       sd_store_open_ex(path, durability) — creates the file, WAL
 *              journal, synchronous=NORMAL (SD_DURABLE_NORMAL) or FULL
 *              (SD_DURABLE_FULL), a busy timeout; sd_store_open(path) is
 *              the NORMAL shorthand. Ownership: the engine opens the main
 *              store (state_dir/slicedeck.db) and hands it to modules; a
 *              module that needs other durability (the audit log, the
 *              ledger) opens a database of its own.
 *   migrate    each module owns a "component" name and an ordered list of
 *              numbered migrations; sd_store_migrate() applies the ones
 *              above the version recorded in the store_schema table, each
 *              in its own transaction, and records the new version.
 *   statements sd_store_prepare() returns a statement the store owns
 *              (finalized by sd_store_close); bind, step, read columns,
 *              sd_stmt_reset() before the next use.
 *   writes     a logical write (an alarm notification, a flush of roll-ups,
 *              an import) is bracketed by sd_store_write_begin/_end. It is
 *              atomic on its own: it runs in a SAVEPOINT, and a write that
 *              fails is rolled back alone (ROLLBACK TO), never taking other
 *              writes with it. Without a batch each write is its own
 *              transaction; with one (below) writes share transactions.
 *   batch      sd_store_batch_new(store, loop, conf): group commit. The
 *              first write opens one transaction (BEGIN IMMEDIATE); writes
 *              join it as savepoints; it commits after interval_ms (200)
 *              or max_writes (1000) writes, and on demand
 *              (sd_store_batch_flush / sd_store_flush, whose callback runs
 *              after the COMMIT: answer a client that needs durability
 *              from there). A crash loses at most the open batch, whole:
 *              never part of a write, never part of a batch.
 *   transactions sd_store_begin/commit/rollback: an explicit transaction
 *              (migrations use it); it first commits an open batch. Not
 *              nested.
 *   idempotency tables declare UNIQUE / PRIMARY KEY constraints and
 *              inserts say "ON CONFLICT DO NOTHING" (or DO UPDATE), so
 *              writing the same record twice stores it once;
 *              sd_store_changes() tells whether the last statement changed
 *              a row.
 *
 * Commit cost and the writer-thread question. Measured on the 2-core
 * build machine (ext4 on a virtio disk), 50 batches of 1,000 writes of one
 * ~100-byte row each, every write its own savepoint (SD_STORE_MEASURE=1
 * build/tests/test_store), once with the machine lightly used and once
 * with a load average of 10 (other builds):
 *
 *                 1,000 writes  COMMIT mean   COMMIT worst  worst, no auto-checkpoint
 *   NORMAL quiet  2.9-3.9 ms    0.54-0.65 ms  15-22 ms
 *   FULL   quiet  2.9-4.1 ms    1.0-2.2 ms    10-17 ms
 *   NORMAL load   6-10 ms       1.0-2.1 ms    22-55 ms      8-14 ms
 *   FULL   load   5-6 ms        4-10 ms       27-41 ms      13-23 ms
 *
 * The mean COMMIT is the WAL append (plus, for FULL, its fsync); the worst
 * is mostly SQLite's automatic checkpoint (every ~1000 WAL pages), which
 * copies the WAL into the database file and fsyncs it, with either
 * setting: with it off the worst case drops by half or more. At one batch
 * per 200 ms the loop spends 2-8 % of its time writing, and the worst
 * stall stays under the 50 ms IPC answer target except on a saturated
 * machine, so there is no writer thread: one would need its own
 * connection, would make a module's reads miss its own uncommitted writes
 * (a savepoint gives them for free), and would put a queue and locks where
 * a savepoint is today. When the stalls matter, the part to move off the
 * loop is the checkpoint, not the commit: wal_autocheckpoint=0 and PRAGMA
 * wal_checkpoint(PASSIVE) from a thread with its own connection, which
 * needs no change to this interface.
 *
 * Errors: functions return 0 / -1 (or a row flag); sd_store_errmsg() has
 * the backend's message for the last failure. Not thread-safe: one loop.
 */
#ifndef SD_STORE_H
#define SD_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sd_loop;
/* How a database commits (sd_store_open_ex). */
enum sd_durability {
	SD_DURABLE_NORMAL,  /* WAL + synchronous=NORMAL: may lose the last commits on power loss */
	SD_DURABLE_FULL,    /* WAL + synchronous=FULL: a commit is on disk when it returns */
};

struct sd_store;
struct sd_stmt;
struct sd_store_batch;

struct sd_store_migration {
	int version;       /* 1, 2, 3 ... strictly increasing */
	const char *sql;   /* one or more statements */
};

/* Opens (creating if needed) the database at path; ":memory:" works for
 * tests. durability is an enum sd_durability (above:
 * SD_DURABLE_NORMAL = WAL + synchronous=NORMAL, SD_DURABLE_FULL = WAL +
 * synchronous=FULL); anything else is refused. On failure returns NULL
 * with a message in err. */
struct sd_store *sd_store_open_ex(const char *path, int durability,
				  char *err, size_t errsz);
/* sd_store_open_ex(path, SD_DURABLE_NORMAL, ...). */
struct sd_store *sd_store_open(const char *path, char *err, size_t errsz);
/* Commits and frees an attached batch (its loop must still exist),
 * finalizes every statement prepared on s and closes it. NULL is fine. */
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
/* An explicit transaction (commits an open batch first; refused inside a
 * write). */
int sd_store_begin(struct sd_store *s);
int sd_store_commit(struct sd_store *s);
int sd_store_rollback(struct sd_store *s);
/* Any transaction open: explicit, a batch's, or a write's own. */
bool sd_store_in_txn(const struct sd_store *s);

/* A logical write. begin: 0 or -1 (nothing to end then). end(ok): ok
 * releases the savepoint, !ok rolls the write back alone; returns 0 when
 * the write stands (committed, or in the open batch), -1 when it was
 * rolled back or its own commit failed. Writes may nest (an inner failure
 * rolls back the inner one only). */
int sd_store_write_begin(struct sd_store *s);
int sd_store_write_end(struct sd_store *s, bool ok);
/* Whole transactions with writes in them that were lost (a failed
 * COMMIT, or SQLite rolling a batch back by itself after an I/O error).
 * A writer that caches what it believes is stored (row ids) compares this
 * counter with the value it saw when it wrote, and forgets the cache when
 * it grew. */
uint64_t sd_store_lost(const struct sd_store *s);

/* Called after a commit (rc 0) or after the batch was lost (rc -1). */
typedef void (*sd_store_commit_fn)(void *arg, int rc);

struct sd_store_batch_conf {
	int interval_ms;     /* commit this long after the batch's first write (200) */
	int max_writes;      /* or after this many writes (1000) */
};
void sd_store_batch_conf_default(struct sd_store_batch_conf *c);

struct sd_store_batch_stats {
	uint64_t commits;        /* batches committed */
	uint64_t writes;         /* writes that stood */
	uint64_t failed_writes;  /* writes rolled back alone */
	uint64_t lost_batches;   /* batches lost whole (see sd_store_lost) */
	int64_t last_commit_us, max_commit_us;   /* COMMIT wall time */
};

/* Attach a batch to s (at most one per store: NULL with err otherwise).
 * conf NULL: defaults. The store owns it from now on; sd_store_close
 * commits and frees it. */
struct sd_store_batch *sd_store_batch_new(struct sd_store *s, struct sd_loop *loop,
					  const struct sd_store_batch_conf *conf,
					  char *err, size_t errsz);
/* Commit what is open and detach (the store writes unbatched again). */
void sd_store_batch_free(struct sd_store_batch *b);
/* The store's batch, NULL when it has none. */
struct sd_store_batch *sd_store_get_batch(struct sd_store *s);
/* Commit the open batch now; fn (may be NULL) runs after the COMMIT (rc 0)
 * or the loss (rc -1), before this returns. Refused (-1, fn not called)
 * inside a write. Returns rc. */
int sd_store_batch_flush(struct sd_store_batch *b, sd_store_commit_fn fn, void *arg);
/* Group commit: fn runs after the next commit of the open batch (timer,
 * size or flush), sharing its fsync with every other waiter; with nothing
 * open, right away (before this returns). */
void sd_store_batch_on_commit(struct sd_store_batch *b, sd_store_commit_fn fn, void *arg);
void sd_store_batch_get_stats(const struct sd_store_batch *b, struct sd_store_batch_stats *st);
/* For a module that only has the store: the batch's flush, or (no batch:
 * every write committed already) fn(arg, 0) at once. */
int sd_store_flush(struct sd_store *s, sd_store_commit_fn fn, void *arg);
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

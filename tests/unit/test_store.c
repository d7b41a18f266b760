/* tests/unit/test_store.c — core/store.c: migrations by version, refusal
 * of a newer store, rollback of a failed migration, idempotent inserts,
 * transactions, data surviving close and reopen; durability per database;
 * writes as savepoints (a failed one rolls back alone), the batch's timer
 * and size commits, flush and group-commit callbacks after the COMMIT,
 * and a writer SIGKILLed mid-batch leaving exactly its committed batches.
 *
 * SD_STORE_MEASURE=1 also prints the commit latency of 1,000-row batches
 * with NORMAL and FULL (the figures in core/store.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/host.h"
#include "core/loop.h"
#include "core/store.h"
#include "core/util.h"

static char dir[64], path[128];

static int setup(void **st)
{
	strcpy(dir, "/tmp/sd-store-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof path, "%s/t.db", dir);
	return 0;
}

static int teardown(void **st)
{
	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static const struct sd_store_migration v2[] = {
	{ 1, "CREATE TABLE item(k TEXT PRIMARY KEY, v INTEGER NOT NULL);" },
	{ 2, "ALTER TABLE item ADD COLUMN note TEXT NOT NULL DEFAULT '';" },
};

static struct sd_store *open_ok(void)
{
	char err[256] = "";
	struct sd_store *s = sd_store_open(path, err, sizeof err);
	if (!s)
		fail_msg("open: %s", err);
	return s;
}

static long count_rows(struct sd_store *s)
{
	struct sd_stmt *q = sd_store_prepare(s, "SELECT COUNT(*) FROM item");
	assert_non_null(q);
	assert_int_equal(sd_stmt_step(q), 1);
	long n = (long)sd_stmt_int(q, 0);
	sd_stmt_reset(q);
	return n;
}

static void test_migrate_and_reopen(void **st)
{
	char err[256];
	struct sd_store *s = open_ok();
	assert_int_equal(sd_store_version(s, "t"), 0);
	assert_int_equal(sd_store_migrate(s, "t", v2, 1, err, sizeof err), 1);
	assert_int_equal(sd_store_migrate(s, "t", v2, 2, err, sizeof err), 2);
	/* running again applies nothing (the ALTER would fail if re-run) */
	assert_int_equal(sd_store_migrate(s, "t", v2, 2, err, sizeof err), 2);
	struct sd_stmt *ins = sd_store_prepare(s,
		"INSERT INTO item(k, v, note) VALUES(?1, ?2, ?3) ON CONFLICT(k) DO NOTHING");
	assert_non_null(ins);
	assert_int_equal(sd_store_begin(s), 0);
	for (int i = 0; i < 100; i++) {
		char k[16];
		snprintf(k, sizeof k, "k%d", i);
		sd_stmt_bind_text(ins, 1, k);
		sd_stmt_bind_int(ins, 2, i * 10);
		sd_stmt_bind_text(ins, 3, "x");
		assert_int_equal(sd_stmt_run(ins), 0);
	}
	assert_int_equal(sd_store_commit(s), 0);
	sd_store_close(s);

	s = open_ok();
	assert_int_equal(sd_store_version(s, "t"), 2);
	assert_int_equal(count_rows(s), 100);
	struct sd_stmt *q = sd_store_prepare(s, "SELECT v, note FROM item WHERE k = ?1");
	sd_stmt_bind_text(q, 1, "k42");
	assert_int_equal(sd_stmt_step(q), 1);
	assert_int_equal(sd_stmt_int(q, 0), 420);
	assert_string_equal(sd_stmt_text(q, 1), "x");
	assert_int_equal(sd_stmt_step(q), 0);
	sd_stmt_reset(q);
	/* WAL journal mode is in force */
	struct sd_stmt *jm = sd_store_prepare(s, "PRAGMA journal_mode");
	assert_int_equal(sd_stmt_step(jm), 1);
	assert_string_equal(sd_stmt_text(jm, 0), "wal");
	sd_stmt_reset(jm);
	sd_store_close(s);
}

static void test_newer_store_refused(void **st)
{
	char err[256] = "";
	struct sd_store *s = open_ok();
	assert_int_equal(sd_store_migrate(s, "t", v2, 2, err, sizeof err), 2);
	assert_int_equal(sd_store_migrate(s, "t", v2, 1, err, sizeof err), -1);
	assert_non_null(strstr(err, "newer"));
	/* another component is independent */
	assert_int_equal(sd_store_version(s, "other"), 0);
	sd_store_close(s);
}

static void test_failed_migration_rolls_back(void **st)
{
	char err[256] = "";
	const struct sd_store_migration bad[] = {
		{ 1, "CREATE TABLE a(x INTEGER);" },
		{ 2, "CREATE TABLE b(y INTEGER); INSERT INTO nosuch VALUES(1);" },
	};
	struct sd_store *s = open_ok();
	assert_int_equal(sd_store_migrate(s, "bad", bad, 2, err, sizeof err), -1);
	assert_non_null(strstr(err, "migration 2"));
	assert_non_null(strstr(err, "nosuch"));
	assert_int_equal(sd_store_version(s, "bad"), 1);
	/* b was rolled back with its migration; a stays */
	assert_null(sd_store_prepare(s, "SELECT y FROM b"));
	assert_non_null(sd_store_prepare(s, "SELECT x FROM a"));
	assert_false(sd_store_in_txn(s));
	sd_store_close(s);
}

static void test_idempotent_insert(void **st)
{
	char err[256];
	struct sd_store *s = open_ok();
	assert_int_equal(sd_store_migrate(s, "t", v2, 2, err, sizeof err), 2);
	struct sd_stmt *ins = sd_store_prepare(s,
		"INSERT INTO item(k, v) VALUES(?1, ?2) ON CONFLICT(k) DO NOTHING");
	for (int round = 0; round < 2; round++) {
		sd_stmt_bind_text(ins, 1, "same");
		sd_stmt_bind_int(ins, 2, 7 + round);
		assert_int_equal(sd_stmt_run(ins), 0);
		assert_int_equal(sd_store_changes(s), round == 0 ? 1 : 0);
	}
	assert_int_equal(count_rows(s), 1);
	struct sd_stmt *q = sd_store_prepare(s, "SELECT v FROM item WHERE k = 'same'");
	assert_int_equal(sd_stmt_step(q), 1);
	assert_int_equal(sd_stmt_int(q, 0), 7);    /* the first write stays */
	sd_stmt_reset(q);
	sd_store_close(s);
	/* and after reopening, once still */
	s = open_ok();
	ins = sd_store_prepare(s,
		"INSERT INTO item(k, v) VALUES(?1, ?2) ON CONFLICT(k) DO NOTHING");
	sd_stmt_bind_text(ins, 1, "same");
	sd_stmt_bind_int(ins, 2, 9);
	assert_int_equal(sd_stmt_run(ins), 0);
	assert_int_equal(count_rows(s), 1);
	sd_store_close(s);
}

static void test_transactions(void **st)
{
	char err[256];
	struct sd_store *s = open_ok();
	assert_int_equal(sd_store_migrate(s, "t", v2, 2, err, sizeof err), 2);
	struct sd_stmt *ins = sd_store_prepare(s, "INSERT INTO item(k, v) VALUES(?1, 1)");
	assert_int_equal(sd_store_begin(s), 0);
	assert_int_equal(sd_store_begin(s), -1);    /* not nested */
	sd_stmt_bind_text(ins, 1, "gone");
	assert_int_equal(sd_stmt_run(ins), 0);
	assert_int_equal(sd_store_rollback(s), 0);
	assert_int_equal(count_rows(s), 0);
	/* a constraint failure reports -1 and a message */
	sd_stmt_bind_text(ins, 1, "a");
	assert_int_equal(sd_stmt_run(ins), 0);
	sd_stmt_bind_text(ins, 1, "a");
	assert_int_equal(sd_stmt_run(ins), -1);
	assert_non_null(strstr(sd_store_errmsg(s), "UNIQUE"));
	/* blobs, doubles, nulls */
	assert_int_equal(sd_store_exec(s, "CREATE TABLE bl(b BLOB, d REAL, n TEXT)"), 0);
	struct sd_stmt *b = sd_store_prepare(s, "INSERT INTO bl VALUES(?1, ?2, ?3)");
	sd_stmt_bind_blob(b, 1, "\0\1\2", 3);
	sd_stmt_bind_double(b, 2, 2.5);
	sd_stmt_bind_null(b, 3);
	assert_int_equal(sd_stmt_run(b), 0);
	struct sd_stmt *q = sd_store_prepare(s, "SELECT b, d, n FROM bl");
	assert_int_equal(sd_stmt_step(q), 1);
	size_t n;
	const unsigned char *p = sd_stmt_blob(q, 0, &n);
	assert_int_equal(n, 3);
	assert_int_equal(p[2], 2);
	assert_true(sd_stmt_double(q, 1) == 2.5);
	assert_true(sd_stmt_is_null(q, 2));
	assert_string_equal(sd_stmt_text(q, 2), "");
	sd_stmt_reset(q);
	/* syntax errors */
	assert_null(sd_store_prepare(s, "SELEKT 1"));
	assert_non_null(strstr(sd_store_errmsg(s), "syntax"));
	assert_int_equal(sd_store_exec(s, "NOPE"), -1);
	sd_store_close(s);
}

static void test_open_failure(void **st)
{
	char err[256] = "";
	assert_null(sd_store_open("/nonexistent-dir-xyz/a.db", err, sizeof err));
	assert_non_null(strstr(err, "/nonexistent-dir-xyz/a.db"));
	sd_store_close(NULL);
}


static long count_where(struct sd_store *s, const char *sql)
{
	struct sd_stmt *q = sd_store_prepare(s, sql);
	assert_non_null(q);
	assert_int_equal(sd_stmt_step(q), 1);
	long n = (long)sd_stmt_int(q, 0);
	sd_stmt_reset(q);
	return n;
}

/* Rows of item as another connection sees them: only what is committed. */
static long committed_rows(void)
{
	struct sd_store *o = open_ok();
	long n = count_rows(o);
	sd_store_close(o);
	return n;
}

static struct sd_store *open_items(void)
{
	char err[256];
	struct sd_store *s = open_ok();
	assert_int_equal(sd_store_migrate(s, "t", v2, 2, err, sizeof err), 2);
	return s;
}

/* One logical write: insert k (and, with dup, k again: a UNIQUE failure
 * after the first insert, which must be rolled back with it). */
static int write_item(struct sd_store *s, struct sd_stmt *ins, const char *k, bool dup)
{
	if (sd_store_write_begin(s) < 0)
		return -1;
	sd_stmt_bind_text(ins, 1, k);
	bool ok = sd_stmt_run(ins) == 0;
	if (ok && dup) {
		sd_stmt_bind_text(ins, 1, k);
		ok = sd_stmt_run(ins) == 0;
	}
	return sd_store_write_end(s, ok);
}

static void test_durability(void **st)
{
	char err[256] = "";
	const struct { int d; int64_t sync; } cases[] = {
		{ SD_DURABLE_NORMAL, 1 }, { SD_DURABLE_FULL, 2 },
	};
	for (size_t i = 0; i < SD_ARRAY_LEN(cases); i++) {
		struct sd_store *s = sd_store_open_ex(path, cases[i].d, err, sizeof err);
		assert_non_null(s);
		assert_int_equal(count_where(s, "PRAGMA synchronous"), cases[i].sync);
		struct sd_stmt *jm = sd_store_prepare(s, "PRAGMA journal_mode");
		assert_int_equal(sd_stmt_step(jm), 1);
		assert_string_equal(sd_stmt_text(jm, 0), "wal");
		sd_stmt_reset(jm);
		sd_store_close(s);
	}
	/* the shorthand is NORMAL */
	struct sd_store *s = open_ok();
	assert_int_equal(count_where(s, "PRAGMA synchronous"), 1);
	sd_store_close(s);
	assert_null(sd_store_open_ex(path, 7, err, sizeof err));
	assert_non_null(strstr(err, "durability"));
}

static void test_write_savepoints(void **st)
{
	char err[256];
	struct sd_store *s = open_items();
	struct sd_stmt *ins = sd_store_prepare(s, "INSERT INTO item(k, v) VALUES(?1, 1)");
	/* unbatched: each write is its own transaction */
	assert_int_equal(write_item(s, ins, "a", false), 0);
	assert_false(sd_store_in_txn(s));
	assert_int_equal(committed_rows(), 1);
	assert_int_equal(write_item(s, ins, "b", true), -1);
	assert_non_null(strstr(sd_store_errmsg(s), "UNIQUE"));
	assert_false(sd_store_in_txn(s));
	assert_int_equal(committed_rows(), 1);

	/* batched: the failing write leaves the others */
	struct sd_loop *loop = sd_loop_new();
	struct sd_store_batch *b = sd_store_batch_new(s, loop, NULL, err, sizeof err);
	assert_non_null(b);
	assert_null(sd_store_batch_new(s, loop, NULL, err, sizeof err));   /* one per store */
	assert_int_equal(write_item(s, ins, "c", false), 0);
	assert_int_equal(write_item(s, ins, "d", true), -1);
	assert_int_equal(write_item(s, ins, "e", false), 0);
	assert_true(sd_store_in_txn(s));
	/* nested: the inner failure rolls back the inner write only */
	assert_int_equal(sd_store_write_begin(s), 0);
	sd_stmt_bind_text(ins, 1, "f");
	assert_int_equal(sd_stmt_run(ins), 0);
	assert_int_equal(write_item(s, ins, "g", true), -1);
	assert_int_equal(sd_store_write_end(s, true), 0);
	assert_int_equal(count_rows(s), 4);             /* a c e f, seen by the writer */
	assert_int_equal(committed_rows(), 1);         /* not yet by anyone else */
	assert_int_equal(sd_store_batch_flush(b, NULL, NULL), 0);
	assert_int_equal(committed_rows(), 4);
	assert_int_equal(count_where(s, "SELECT COUNT(*) FROM item WHERE k IN ('b','d','g')"), 0);
	struct sd_store_batch_stats bs;
	sd_store_batch_get_stats(b, &bs);
	assert_int_equal(bs.writes, 3);
	assert_int_equal(bs.failed_writes, 1);
	assert_int_equal(bs.commits, 1);
	/* an explicit transaction commits the batch first */
	assert_int_equal(write_item(s, ins, "h", false), 0);
	assert_int_equal(sd_store_begin(s), 0);
	assert_int_equal(committed_rows(), 5);
	assert_int_equal(write_item(s, ins, "i", false), 0);    /* joins it */
	assert_int_equal(sd_store_rollback(s), 0);
	assert_int_equal(count_rows(s), 5);
	/* misuse */
	assert_int_equal(sd_store_write_end(s, true), -1);
	assert_int_equal(sd_store_write_begin(s), 0);
	assert_int_equal(sd_store_batch_flush(b, NULL, NULL), -1);
	assert_int_equal(sd_store_begin(s), -1);
	assert_int_equal(sd_store_write_end(s, true), 0);
	sd_store_close(s);      /* commits and frees the batch */
	sd_loop_free(loop);
	assert_int_equal(committed_rows(), 5);
}

struct done { int calls, rc; long seen; };

static void on_done(void *arg, int rc)
{
	struct done *d = arg;
	d->calls++;
	d->rc = rc;
	d->seen = committed_rows();     /* what another reader sees now */
}

static void run_loop_until(struct sd_loop *loop, int *flag, int ms)
{
	int64_t end = sd_now_ms() + ms;
	while (!*flag && sd_now_ms() < end)
		sd_loop_once(loop, 10);
}

static void test_batch_timer_and_size(void **st)
{
	char err[256];
	struct sd_store *s = open_items();
	struct sd_stmt *ins = sd_store_prepare(s, "INSERT INTO item(k, v) VALUES(?1, 1)");
	struct sd_loop *loop = sd_loop_new();
	struct sd_store_batch_conf c = { .interval_ms = 50, .max_writes = 3 };
	struct sd_store_batch *b = sd_store_batch_new(s, loop, &c, err, sizeof err);
	assert_non_null(b);
	/* the timer commits what the first write opened */
	int64_t t0 = sd_now_ms();
	assert_int_equal(write_item(s, ins, "t1", false), 0);
	assert_int_equal(write_item(s, ins, "t2", false), 0);
	struct done d = { 0 };
	sd_store_batch_on_commit(b, on_done, &d);
	assert_int_equal(d.calls, 0);              /* waits for the commit */
	assert_int_equal(committed_rows(), 0);
	run_loop_until(loop, &d.calls, 2000);
	assert_int_equal(d.calls, 1);
	assert_int_equal(d.rc, 0);
	assert_int_equal(d.seen, 2);               /* after the COMMIT */
	assert_true(sd_now_ms() - t0 >= 45);
	assert_false(sd_store_in_txn(s));
	/* nothing open: a waiter runs at once */
	sd_store_batch_on_commit(b, on_done, &d);
	assert_int_equal(d.calls, 2);
	/* the size commits without the loop */
	assert_int_equal(write_item(s, ins, "s1", false), 0);
	assert_int_equal(write_item(s, ins, "s2", true), -1);    /* does not count */
	assert_int_equal(write_item(s, ins, "s3", false), 0);
	assert_int_equal(committed_rows(), 2);
	assert_int_equal(write_item(s, ins, "s4", false), 0);
	assert_int_equal(committed_rows(), 5);
	assert_false(sd_store_in_txn(s));
	struct sd_store_batch_stats bs;
	sd_store_batch_get_stats(b, &bs);
	assert_int_equal(bs.commits, 2);
	assert_int_equal(bs.failed_writes, 1);
	assert_true(bs.max_commit_us >= bs.last_commit_us);
	/* flush: the callback runs after the COMMIT, before flush returns */
	assert_int_equal(write_item(s, ins, "f1", false), 0);
	struct done f = { 0 };
	assert_int_equal(sd_store_flush(s, on_done, &f), 0);
	assert_int_equal(f.calls, 1);
	assert_int_equal(f.rc, 0);
	assert_int_equal(f.seen, 6);
	/* detached: writes commit one by one again */
	sd_store_batch_free(b);
	assert_null(sd_store_get_batch(s));
	assert_int_equal(write_item(s, ins, "u1", false), 0);
	assert_int_equal(committed_rows(), 7);
	assert_int_equal(sd_store_flush(s, on_done, &f), 0);
	assert_int_equal(f.calls, 2);
	assert_int_equal(sd_store_lost(s), 0);
	sd_store_close(s);
	sd_loop_free(loop);
}

/* A batch whose COMMIT fails (a deferred foreign key nobody satisfied) is
 * lost whole: its waiters hear -1, the store counts it, nothing of it is
 * stored, and the next batch works. */
static void test_lost_batch(void **st)
{
	char err[256];
	struct sd_store *s = open_items();
	assert_int_equal(sd_store_exec(s, "CREATE TABLE parent(id INTEGER PRIMARY KEY);"
		"CREATE TABLE child(p INTEGER REFERENCES parent(id)"
		" DEFERRABLE INITIALLY DEFERRED)"), 0);
	struct sd_stmt *ins = sd_store_prepare(s, "INSERT INTO item(k, v) VALUES(?1, 1)");
	struct sd_stmt *orphan = sd_store_prepare(s, "INSERT INTO child VALUES(42)");
	struct sd_loop *loop = sd_loop_new();
	struct sd_store_batch *b = sd_store_batch_new(s, loop, NULL, err, sizeof err);
	assert_int_equal(write_item(s, ins, "a", false), 0);
	assert_int_equal(sd_store_write_begin(s), 0);
	assert_int_equal(sd_stmt_run(orphan), 0);    /* checked at COMMIT only */
	assert_int_equal(sd_store_write_end(s, true), 0);
	struct done d = { 0 };
	sd_store_batch_on_commit(b, on_done, &d);
	assert_int_equal(sd_store_lost(s), 0);
	assert_int_equal(sd_store_batch_flush(b, NULL, NULL), -1);
	assert_non_null(strstr(sd_store_errmsg(s), "FOREIGN KEY"));
	assert_int_equal(d.calls, 1);
	assert_int_equal(d.rc, -1);
	assert_int_equal(sd_store_lost(s), 1);
	assert_false(sd_store_in_txn(s));
	assert_int_equal(count_rows(s), 0);
	struct sd_store_batch_stats bs;
	sd_store_batch_get_stats(b, &bs);
	assert_int_equal(bs.lost_batches, 1);
	assert_int_equal(bs.commits, 0);
	/* the next batch commits */
	assert_int_equal(write_item(s, ins, "b", false), 0);
	assert_int_equal(sd_store_batch_flush(b, NULL, NULL), 0);
	assert_int_equal(committed_rows(), 1);
	sd_store_close(s);
	sd_loop_free(loop);
}

/* The child: batches of `per` writes (one row each, tagged with the
 * batch number) through a batch committing by size; after each COMMIT
 * the commit callback reports the batch number on fd. With stop_after >=
 * 0 it stops in the middle of batch stop_after (half of its rows written,
 * one failed write among them), says so, and waits to be killed. */
struct child_state { int fd; int batch; };

static void child_committed(void *arg, int rc)
{
	struct child_state *c = arg;
	char line[32];
	int n = snprintf(line, sizeof line, "%d\n", rc == 0 ? c->batch : -1);
	if (write(c->fd, line, (size_t)n) != n)
		_exit(3);
}

static void crash_child(int fd, int per, int stop_after)
{
	char err[256];
	struct sd_store *s = sd_store_open(path, err, sizeof err);
	if (!s)
		_exit(2);
	if (sd_store_exec(s, "CREATE TABLE IF NOT EXISTS row(batch INTEGER NOT NULL,"
			     " n INTEGER NOT NULL, pad TEXT NOT NULL, UNIQUE(batch, n))") < 0)
		_exit(2);
	struct sd_stmt *ins = sd_store_prepare(s, "INSERT INTO row VALUES(?1, ?2, ?3)");
	struct sd_loop *loop = sd_loop_new();
	/* per - 1 writes stand in each batch: the one at n == 3 fails */
	struct sd_store_batch_conf c = { .interval_ms = 60000, .max_writes = per - 1 };
	struct sd_store_batch *b = sd_store_batch_new(s, loop, &c, err, sizeof err);
	struct child_state cs = { .fd = fd };
	char pad[200];
	memset(pad, 'x', sizeof pad - 1);
	pad[sizeof pad - 1] = '\0';
	if (!ins || !b)
		_exit(2);
	for (cs.batch = 0;; cs.batch++) {
		for (int n = 0; n < per; n++) {
			if (cs.batch == stop_after && n == per / 2) {
				if (write(fd, "mid\n", 4) != 4)
					_exit(3);
				for (;;)
					pause();
			}
			if (sd_store_write_begin(s) < 0)
				_exit(4);
			sd_stmt_bind_int(ins, 1, cs.batch);
			sd_stmt_bind_int(ins, 2, n);
			sd_stmt_bind_text(ins, 3, pad);
			bool ok = sd_stmt_run(ins) == 0;
			if (ok && n == 3) {     /* a failing write inside every batch */
				sd_stmt_bind_int(ins, 1, cs.batch);
				sd_stmt_bind_int(ins, 2, n);
				sd_stmt_bind_text(ins, 3, pad);
				ok = sd_stmt_run(ins) == 0;
			}
			sd_store_write_end(s, ok);
			if (n == 0)     /* the batch is open: report its commit */
				sd_store_batch_on_commit(b, child_committed, &cs);
		}
	}
}

/* Reopen after the kill: batches 0..m-1 complete, nothing else. Returns m. */
static long check_whole_batches(int per)
{
	struct sd_store *s = open_ok();
	long rows = count_where(s, "SELECT COUNT(*) FROM row");
	long batches = count_where(s, "SELECT COUNT(DISTINCT batch) FROM row");
	long maxb = count_where(s, "SELECT IFNULL(MAX(batch), -1) FROM row");
	/* per-1 rows each: the write at n == 3 always fails */
	assert_int_equal(rows, batches * (per - 1));
	assert_int_equal(maxb, batches - 1);
	char q[160];
	snprintf(q, sizeof q, "SELECT COUNT(*) FROM (SELECT batch FROM row"
		 " GROUP BY batch HAVING COUNT(*) <> %d)", per - 1);
	assert_int_equal(count_where(s, q), 0);
	struct sd_stmt *ic = sd_store_prepare(s, "PRAGMA integrity_check");
	assert_int_equal(sd_stmt_step(ic), 1);
	assert_string_equal(sd_stmt_text(ic, 0), "ok");
	sd_stmt_reset(ic);
	sd_store_close(s);
	return batches;
}

static pid_t start_child(int *rfd, int per, int stop_after)
{
	int p[2];
	assert_int_equal(pipe(p), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);   /* a failed assertion must not orphan it */
		close(p[0]);
		crash_child(p[1], per, stop_after);
		_exit(0);
	}
	close(p[1]);
	*rfd = p[0];
	return pid;
}

static void kill_child(pid_t pid)
{
	int status;
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

static void test_crash_mid_batch(void **st)
{
	const int per = 10;
	/* deterministic: killed with batch 3 half written */
	int fd;
	pid_t pid = start_child(&fd, per, 3);
	FILE *f = fdopen(fd, "r");
	char line[32];
	long last = -1;
	while (fgets(line, sizeof line, f)) {
		if (strcmp(line, "mid\n") == 0)
			break;
		last = atol(line);
	}
	assert_int_equal(last, 2);
	kill_child(pid);
	fclose(f);
	assert_int_equal(check_whole_batches(per), 3);

	/* at a random moment of a writer running flat out: the reported
	 * commits are there, at most the one committed but not yet reported
	 * besides, and every batch whole */
	srand((unsigned)time(NULL));
	for (int round = 0; round < 3; round++) {
		teardown(st);
		setup(st);
		pid = start_child(&fd, per, -1);
		f = fdopen(fd, "r");
		/* let it commit a few batches, then kill at a random point */
		last = -1;
		while (last < 5 && fgets(line, sizeof line, f))
			last = atol(line);
		usleep((useconds_t)(rand() % 20000));
		kill_child(pid);
		while (fgets(line, sizeof line, f))
			last = atol(line);
		fclose(f);
		long m = check_whole_batches(per);
		assert_true(m == last + 1 || m == last + 2);
	}
}

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Not a test: prints the commit latency the header quotes, with SQLite's
 * automatic checkpoint on (as the engine runs) and off (to show what the
 * worst case is made of). */
static void measure(void **st)
{
	if (!getenv("SD_STORE_MEASURE"))
		skip();
	const char *names[] = { "NORMAL", "FULL" };
	for (int ck = 1; ck >= 0; ck--)
	for (int d = SD_DURABLE_NORMAL; d <= SD_DURABLE_FULL; d++) {
		char err[256];
		teardown(st);
		setup(st);
		struct sd_store *s = sd_store_open_ex(path, d, err, sizeof err);
		assert_non_null(s);
		assert_int_equal(sd_store_exec(s, "CREATE TABLE m(a INTEGER, b REAL, c TEXT)"), 0);
		if (!ck)
			assert_int_equal(sd_store_exec(s, "PRAGMA wal_autocheckpoint=0"), 0);
		struct sd_stmt *ins = sd_store_prepare(s, "INSERT INTO m VALUES(?1, ?2, ?3)");
		struct sd_loop *loop = sd_loop_new();
		struct sd_store_batch_conf c = { .interval_ms = 60000, .max_writes = 1000000 };
		struct sd_store_batch *b = sd_store_batch_new(s, loop, &c, err, sizeof err);
		int64_t wr = 0, cm = 0, worst = 0;
		const int rounds = 50;
		for (int r = 0; r < rounds; r++) {
			int64_t t0 = now_us();
			for (int i = 0; i < 1000; i++) {
				sd_store_write_begin(s);
				sd_stmt_bind_int(ins, 1, r * 1000 + i);
				sd_stmt_bind_double(ins, 2, i * 0.5);
				sd_stmt_bind_text(ins, 3, "slice=bhm-crane-rc latency p99 12.5 ms"
						  " 0123456789abcdef0123456789abcdef0123456789");
				sd_store_write_end(s, sd_stmt_run(ins) == 0);
			}
			int64_t t1 = now_us();
			sd_store_batch_flush(b, NULL, NULL);
			int64_t t2 = now_us();
			wr += t1 - t0;
			cm += t2 - t1;
			if (t2 - t1 > worst)
				worst = t2 - t1;
		}
		print_message("%-6s checkpoint %-3s 1,000-write batch: writes %.2f ms,"
			      " COMMIT %.3f ms mean, %.2f ms worst (of %d)\n", names[d],
			      ck ? "on" : "off", wr / 1000.0 / rounds, cm / 1000.0 / rounds,
			      worst / 1000.0, rounds);
		sd_store_close(s);
		sd_loop_free(loop);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_migrate_and_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_store_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_migration_rolls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idempotent_insert, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
		cmocka_unit_test(test_open_failure),
		cmocka_unit_test_setup_teardown(test_durability, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_savepoints, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_timer_and_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lost_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_crash_mid_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(measure, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* tests/unit/test_store.c — core/store.c: migrations by version, refusal
 * of a newer store, rollback of a failed migration, idempotent inserts,
 * transactions, data surviving close and reopen. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_migrate_and_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_store_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_migration_rolls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idempotent_insert, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
		cmocka_unit_test(test_open_failure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

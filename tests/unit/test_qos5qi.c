/* tests/unit/test_qos5qi.c — monitor/qos5qi.c: the standard 5QI table
 * (rows spot-checked against TS 23.501 Table 5.7.4-1) and the check of
 * observed delay / loss against a 5QI's budget. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "core/qos5qi.h"

static void test_table(void **st)
{
	int n;
	const struct sd_5qi *t = sd_5qi_table(&n);
	assert_int_equal(n, 31);
	for (int i = 1; i < n; i++)
		assert_true(t[i - 1].fiveqi < t[i].fiveqi);
	for (int i = 0; i < n; i++) {
		assert_true(sd_5qi_lookup(t[i].fiveqi) == &t[i]);
		assert_true(t[i].pdb_ms > 0 && t[i].per > 0 && t[i].per < 1);
		assert_true((t[i].type == SD_5QI_NON_GBR) == (t[i].avg_window_ms == 0));
		assert_true((t[i].type == SD_5QI_DC_GBR) == (t[i].mdbv > 0));
	}
	const struct sd_5qi *q = sd_5qi_lookup(1);
	assert_int_equal(q->type, SD_5QI_GBR);
	assert_int_equal(q->priority, 20);
	assert_int_equal(q->pdb_ms, 100);
	assert_true(q->per == 1e-2);
	q = sd_5qi_lookup(9);
	assert_int_equal(q->type, SD_5QI_NON_GBR);
	assert_int_equal(q->pdb_ms, 300);
	assert_true(q->per == 1e-6);
	q = sd_5qi_lookup(82);
	assert_int_equal(q->type, SD_5QI_DC_GBR);
	assert_int_equal(q->pdb_ms, 10);
	assert_true(q->per == 1e-4);
	assert_int_equal(q->mdbv, 255);
	q = sd_5qi_lookup(85);
	assert_int_equal(q->pdb_ms, 5);
	assert_true(q->per == 1e-5);
	assert_int_equal(q->priority, 21);
	q = sd_5qi_lookup(90);
	assert_int_equal(q->mdbv, 63000);
	assert_null(sd_5qi_lookup(75));   /* not used in 5GS */
	assert_null(sd_5qi_lookup(0));
	assert_null(sd_5qi_lookup(128));
	assert_null(sd_5qi_lookup(-1));
	assert_string_equal(sd_5qi_type_name(SD_5QI_DC_GBR), "Delay-critical GBR");
	assert_string_equal(sd_5qi_type_sbi(SD_5QI_DC_GBR), "CRITICAL_GBR");
	assert_string_equal(sd_5qi_type_sbi(SD_5QI_GBR), "NON_CRITICAL_GBR");
}

static void test_check(void **st)
{
	struct sd_5qi_check c;
	/* 5QI 82: PDB 10 ms, PER 1e-4 */
	assert_true(sd_5qi_check(82, 9.5, 5e-5, &c));
	assert_true(c.delay_known && c.delay_ok && c.loss_known && c.loss_ok);
	assert_true(sd_5qi_check(82, 10.5, 2e-4, &c));
	assert_false(c.delay_ok);
	assert_false(c.loss_ok);
	assert_true(c.pdb_ms == 10 && c.per == 1e-4);
	/* unknown parts */
	assert_true(sd_5qi_check(9, -1, NAN, &c));
	assert_false(c.delay_known);
	assert_false(c.delay_ok);
	assert_false(c.loss_known);
	assert_false(sd_5qi_check(75, 1, 0, &c));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

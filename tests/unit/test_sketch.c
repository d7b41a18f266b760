/* tests/unit/test_sketch.c — monitor/sketch.c: quantiles against exact
 * sorts on random data within the stated relative error, merging,
 * encoding, bounds. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "monitor/sketch.h"

static const double qs[] = { 0.0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1.0 };

static uint64_t rng = 88172645463325252ull;
static double urand(void)   /* xorshift64*, (0, 1) */
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return ((rng * 2685821657736338717ull) >> 11) * (1.0 / 9007199254740992.0) + 1e-17;
}

static int cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The bound as sketch.h states it, for every q, against the sorted data. */
static void check_bound(const struct sd_sketch *s, double *v, size_t n)
{
	qsort(v, n, sizeof *v, cmpd);
	for (size_t i = 0; i < SD_ARRAY_LEN(qs); i++) {
		double exact = v[(size_t)floor(qs[i] * (double)(n - 1))];
		double est = sd_sketch_quantile(s, qs[i]);
		double err = fabs(est - exact);
		if (err > SD_SKETCH_ALPHA * fabs(exact) + 1e-12)
			fail_msg("q=%g: sketch %.9g exact %.9g: relative error %.5f > %.3f",
				 qs[i], est, exact, err / exact, SD_SKETCH_ALPHA);
	}
}

static void run_dist(double (*gen)(void), size_t n)
{
	double *v = sd_malloc(n * sizeof *v);
	struct sd_sketch s;
	sd_sketch_init(&s);
	for (size_t i = 0; i < n; i++) {
		v[i] = gen();
		sd_sketch_add(&s, v[i]);
	}
	assert_int_equal(s.n, n);
	assert_int_equal(s.collapsed, 0);
	check_bound(&s, v, n);
	sd_sketch_done(&s);
	sd_free(v);
}

static double gen_uniform(void) { return 1 + 99 * urand(); }                 /* 1..100 ms */
static double gen_lognormal(void)
{
	double u1 = urand(), u2 = urand();
	double z = sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
	return exp(2.0 + 0.8 * z);                   /* median ~7 ms, long tail */
}
static double gen_wide(void) { return pow(10, -2 + 8 * urand()); }          /* 0.01..1e6 */
static double gen_bimodal(void) { return urand() < 0.98 ? 5 + urand() : 200 + 50 * urand(); }

static void test_bound_uniform(void **st) { run_dist(gen_uniform, 100000); }
static void test_bound_lognormal(void **st) { run_dist(gen_lognormal, 100000); }
static void test_bound_wide(void **st) { run_dist(gen_wide, 50000); }
static void test_bound_bimodal(void **st) { run_dist(gen_bimodal, 100000); }

static void test_small_counts(void **st)
{
	/* every n from 1 to 50, so rank rounding is exercised */
	for (size_t n = 1; n <= 50; n++) {
		double v[50];
		struct sd_sketch s;
		sd_sketch_init(&s);
		for (size_t i = 0; i < n; i++) {
			v[i] = gen_lognormal();
			sd_sketch_add(&s, v[i]);
		}
		check_bound(&s, v, n);
		sd_sketch_done(&s);
	}
}

static void test_merge_equals_whole(void **st)
{
	struct sd_sketch a, b, whole;
	sd_sketch_init(&a);
	sd_sketch_init(&b);
	sd_sketch_init(&whole);
	size_t n = 40000;
	double *v = sd_malloc(n * sizeof *v);
	for (size_t i = 0; i < n; i++) {
		/* the halves cover different ranges, so merge must grow the span */
		v[i] = i < n / 2 ? gen_uniform() : 1000 * gen_lognormal();
		sd_sketch_add(i < n / 2 ? &a : &b, v[i]);
		sd_sketch_add(&whole, v[i]);
	}
	sd_sketch_merge(&a, &b);
	assert_int_equal(a.n, whole.n);
	for (size_t i = 0; i < SD_ARRAY_LEN(qs); i++)
		assert_true(sd_sketch_quantile(&a, qs[i]) == sd_sketch_quantile(&whole, qs[i]));
	check_bound(&a, v, n);
	/* merging an empty one changes nothing; merging into empty copies */
	struct sd_sketch e;
	sd_sketch_init(&e);
	sd_sketch_merge(&a, &e);
	assert_int_equal(a.n, n);
	sd_sketch_merge(&e, &whole);
	assert_true(sd_sketch_quantile(&e, 0.99) == sd_sketch_quantile(&whole, 0.99));
	sd_sketch_done(&e);
	sd_sketch_done(&a);
	sd_sketch_done(&b);
	sd_sketch_done(&whole);
	sd_free(v);
}

static void test_zero_and_empty(void **st)
{
	struct sd_sketch s;
	sd_sketch_init(&s);
	assert_true(isnan(sd_sketch_quantile(&s, 0.5)));
	sd_sketch_add(&s, NAN);
	assert_int_equal(s.n, 0);
	for (int i = 0; i < 90; i++)
		sd_sketch_add(&s, 0);
	for (int i = 0; i < 10; i++)
		sd_sketch_add(&s, 50);
	assert_true(sd_sketch_quantile(&s, 0.5) == 0.0);
	assert_true(fabs(sd_sketch_quantile(&s, 0.95) - 50) <= 0.5);
	assert_true(sd_sketch_quantile(&s, 1.0) == 50);
	assert_true(sd_sketch_quantile(&s, 0.0) == 0);
	sd_sketch_reset(&s);
	assert_int_equal(s.n, 0);
	assert_true(isnan(sd_sketch_quantile(&s, 0.5)));
	sd_sketch_done(&s);
}

static void test_memory_bound_and_collapse(void **st)
{
	struct sd_sketch s;
	sd_sketch_init(&s);
	/* 1e-3 .. 1e300: far more than MAX_BUCKETS at 1 % */
	for (int i = 0; i < 20000; i++)
		sd_sketch_add(&s, pow(10, -3 + 303.0 * i / 20000));
	assert_true(s.len <= SD_SKETCH_MAX_BUCKETS);
	assert_true(s.cap <= SD_SKETCH_MAX_BUCKETS);
	assert_true(s.collapsed > 0);
	assert_int_equal(s.n, 20000);
	/* upper quantiles keep the bound */
	double exact = pow(10, -3 + 303.0 * floor(0.99 * 19999) / 20000);
	double est = sd_sketch_quantile(&s, 0.99);
	assert_true(fabs(est - exact) <= SD_SKETCH_ALPHA * exact);
	sd_sketch_done(&s);
}

static void test_encode_decode(void **st)
{
	struct sd_sketch s, t;
	sd_sketch_init(&s);
	sd_sketch_init(&t);
	for (int i = 0; i < 5000; i++)
		sd_sketch_add(&s, gen_lognormal());
	size_t n;
	uint8_t *b = sd_sketch_encode(&s, &n);
	assert_int_equal(sd_sketch_decode(&t, b, n), 0);
	assert_int_equal(t.n, s.n);
	for (size_t i = 0; i < SD_ARRAY_LEN(qs); i++)
		assert_true(sd_sketch_quantile(&t, qs[i]) == sd_sketch_quantile(&s, qs[i]));
	/* damaged: truncated, wrong magic, counts that do not add up */
	assert_int_equal(sd_sketch_decode(&t, b, n - 1), -1);
	b[0] = 'X';
	assert_int_equal(sd_sketch_decode(&t, b, n), -1);
	b[0] = 'S';
	b[n - 1] ^= 0x40;
	assert_int_equal(sd_sketch_decode(&t, b, n), -1);
	assert_int_equal(sd_sketch_decode(&t, b, 3), -1);
	sd_free(b);
	/* empty round trip */
	sd_sketch_reset(&s);
	b = sd_sketch_encode(&s, &n);
	assert_int_equal(sd_sketch_decode(&t, b, n), 0);
	assert_int_equal(t.n, 0);
	sd_free(b);
	sd_sketch_done(&s);
	sd_sketch_done(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bound_uniform),
		cmocka_unit_test(test_bound_lognormal),
		cmocka_unit_test(test_bound_wide),
		cmocka_unit_test(test_bound_bimodal),
		cmocka_unit_test(test_small_counts),
		cmocka_unit_test(test_merge_equals_whole),
		cmocka_unit_test(test_zero_and_empty),
		cmocka_unit_test(test_memory_bound_and_collapse),
		cmocka_unit_test(test_encode_decode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

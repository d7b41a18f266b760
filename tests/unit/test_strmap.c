/* tests/unit/test_strmap.c — the string map against a plain reference
 * array under random inserts, replacements and deletions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/strmap.h"

#define N 4000

static void test_random_ops(void **state)
{
	static intptr_t ref[N];    /* 0 = absent, else value */
	struct sd_strmap m;
	uint64_t x = 88172645463325252ull;
	size_t live = 0, i, seen = 0;
	const char *k;
	void *v;
	int step;
	char key[32];

	sd_strmap_init(&m);
	for (step = 0; step < 200000; step++) {
		int id, op;
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		id = (int)(x % N);
		op = (int)((x >> 20) % 3);
		snprintf(key, sizeof key, "slice-%d", id);
		if (op < 2) {
			void *prev = sd_strmap_put(&m, key, (void *)(intptr_t)(step + 1));
			assert_int_equal((intptr_t)prev, ref[id]);
			if (!ref[id])
				live++;
			ref[id] = step + 1;
		} else {
			void *prev = sd_strmap_del(&m, key);
			assert_int_equal((intptr_t)prev, ref[id]);
			if (ref[id])
				live--;
			ref[id] = 0;
		}
		assert_int_equal(sd_strmap_len(&m), live);
	}
	for (i = 0; i < N; i++) {
		snprintf(key, sizeof key, "slice-%zu", i);
		assert_int_equal((intptr_t)sd_strmap_get(&m, key), ref[i]);
		assert_int_equal(sd_strmap_has(&m, key), ref[i] != 0);
	}
	for (i = 0; sd_strmap_next(&m, &i, &k, &v); seen++)
		assert_int_equal((intptr_t)v, ref[atoi(k + 6)]);
	assert_int_equal(seen, live);
	sd_strmap_done(&m);
}

static void test_empty(void **state)
{
	struct sd_strmap m;
	size_t i = 0;
	sd_strmap_init(&m);
	assert_null(sd_strmap_get(&m, "x"));
	assert_null(sd_strmap_del(&m, "x"));
	assert_false(sd_strmap_next(&m, &i, NULL, NULL));
	sd_strmap_done(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_ops),
		cmocka_unit_test(test_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

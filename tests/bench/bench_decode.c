/* tests/bench/bench_decode.c — CPU cost of decoding one NFProfile body, no
 * network: what part of the SBI client's per-request cost is the decoder.
 *
 *   bench_decode FILE [--ms MS] [--runs R]
 *
 * For the body in FILE it measures, in thread CPU time (not wall time, so a
 * busy machine disturbs it less), best of R runs of about MS ms each:
 *   jansson      json_loadb(flags 0) + json_decref  (what the bare loop does)
 *   jansson_dup  the same with JSON_REJECT_DUPLICATES (what the decoders ask)
 *   nf_profile   sd_decode_nf_profile + sd_nf_profile_done
 * and prints us per body and the ratio nf_profile / jansson. Exit 1 when the
 * body does not decode (the figures would mean nothing), 2 on bad usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "core/util.h"
#include "monitor/sbi_decode.h"

#define MAX_FILE (1u << 20)

enum what { W_JANSSON, W_JANSSON_DUP, W_NF_PROFILE };

static double cpu_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* One decode of body; false when it fails. */
static bool once(enum what w, const char *body, size_t len)
{
	json_t *j;
	struct sd_nf_profile p = { 0 };
	struct sd_decode_diag diag;
	bool ok;

	switch (w) {
	case W_JANSSON:
	case W_JANSSON_DUP:
		j = json_loadb(body, len, w == W_JANSSON_DUP ? JSON_REJECT_DUPLICATES : 0, NULL);
		ok = json_is_object(j);
		json_decref(j);
		return ok;
	case W_NF_PROFILE:
		ok = sd_decode_nf_profile(body, len, &p, &diag) == 0;
		if (!ok)
			fprintf(stderr, "bench_decode: not an NFProfile: %s\n", diag.error);
		sd_nf_profile_done(&p);
		return ok;
	}
	return false;
}

/* Best (lowest) CPU us per body over runs of about ms ms. -1 on failure. */
static double measure(enum what w, const char *body, size_t len, int ms, int runs)
{
	double best = -1;
	int r;
	long i, n = 64;

	if (!once(w, body, len))
		return -1;
	/* calibrate the batch size to about ms ms */
	for (;;) {
		double t0 = cpu_us();
		for (i = 0; i < n; i++)
			once(w, body, len);
		if (cpu_us() - t0 >= ms * 100.0 || n > 100000000L / 16) {
			n = (long)((double)n * ms * 1000.0 / (cpu_us() - t0 + 1));
			break;
		}
		n *= 4;
	}
	if (n < 1)
		n = 1;
	for (r = 0; r < runs; r++) {
		double t0 = cpu_us(), us;
		for (i = 0; i < n; i++)
			once(w, body, len);
		us = (cpu_us() - t0) / (double)n;
		if (best < 0 || us < best)
			best = us;
	}
	return best;
}

int main(int argc, char **argv)
{
	static const char *const names[] = { "jansson", "jansson_dup", "nf_profile" };
	double us[3];
	int ms = 200, runs = 3, i;
	long long v;
	FILE *f;
	char *body;
	size_t len;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_decode FILE [--ms MS] [--runs R]\n");
		return 2;
	}
	for (i = 2; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--ms") && sd_parse_ll(argv[i + 1], 10, 10000, &v)) {
			ms = (int)v;
		} else if (!strcmp(argv[i], "--runs") && sd_parse_ll(argv[i + 1], 1, 20, &v)) {
			runs = (int)v;
		} else {
			fprintf(stderr, "bench_decode: bad option %s\n", argv[i]);
			return 2;
		}
	}
	if (i != argc) {
		fprintf(stderr, "bench_decode: option %s wants a value\n", argv[i]);
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	body = sd_malloc(MAX_FILE);
	len = fread(body, 1, MAX_FILE, f);
	fclose(f);

	for (i = 0; i < 3; i++) {
		char name[64];
		us[i] = measure((enum what)i, body, len, ms, runs);
		if (us[i] < 0) {
			free(body);
			return 1;
		}
		snprintf(name, sizeof name, "sbi.decode.%s", names[i]);
		printf("%-40s us/body=%-8.2f (%zu-byte NFProfile, CPU time)\n", name, us[i], len);
	}
	printf("%-40s %.2f  (decoder / bare jansson parse; informative)\n",
	       "sbi.ratio.decode_vs_jansson", us[W_NF_PROFILE] / us[W_JANSSON]);
	free(body);
	return 0;
}

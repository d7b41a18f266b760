/* tests/fuzz/fuzz_walk_csv.c — the console's walk-test CSV reader
 * (sd_walk_parse, tui/walk.c: what `slicedeck coverage import FILE` reads
 * before anything is sent to the engine), with and without a lat/lon
 * origin.
 *
 * Aborts when:
 *   - a result disagrees with itself: problems and samples at once, or
 *     neither problems nor a sample array on success;
 *   - more samples than SD_WALK_MAX_ROWS, or a sample outside the ranges
 *     the reader promises (RSRP, SINR, a terminated cell id without
 *     control bytes, finite coordinates);
 *   - a problem line is not "walk.csv:LINE: ..." or holds a control byte,
 *     or there are more than SD_WALK_MAX_ERRORS + 1 of them.
 *
 * Build and run: tests/fuzz/README.md.
 */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_messages(const char *text, size_t len, int problems)
{
	int lines = 0;
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *q;
		if (!nl)
			abort();   /* every message ends its line */
		if (strncmp(p, "walk.csv", 8) != 0)
			abort();
		for (q = p; q < nl; q++)
			if ((unsigned char)*q < 0x20 || *q == 0x7f)
				abort();
		lines++;
		p = nl + 1;
	}
	if (lines > SD_WALK_MAX_ERRORS + 1 || (problems > 0 && lines == 0))
		abort();
}

static void one(const char *text, size_t size, const struct sd_walk_origin *origin)
{
	struct sd_walk_sample *v = NULL;
	size_t n = 0, i, mlen = 0;
	char *msgs = NULL;
	FILE *err = open_memstream(&msgs, &mlen);
	int problems;
	if (!err)
		abort();
	problems = sd_walk_parse("walk.csv", text, size, origin, &v, &n, err);
	fclose(err);
	if (problems < 0)
		abort();
	if (problems > 0 && (v != NULL))
		abort();
	if (problems == 0) {
		if (n > SD_WALK_MAX_ROWS || (n > 0 && !v))
			abort();
		for (i = 0; i < n; i++) {
			const struct sd_walk_sample *s = &v[i];
			const char *c;
			if (!(s->rsrp_dbm >= SD_WALK_RSRP_MIN && s->rsrp_dbm <= SD_WALK_RSRP_MAX) ||
			    !(s->sinr_db >= SD_WALK_SINR_MIN && s->sinr_db <= SD_WALK_SINR_MAX) ||
			    !isfinite(s->x_m) || !isfinite(s->y_m))
				abort();
			if (!memchr(s->cell, '\0', sizeof s->cell))
				abort();
			for (c = s->cell; *c; c++)
				if ((unsigned char)*c < 0x20 || *c == 0x7f)
					abort();
		}
	}
	check_messages(msgs ? msgs : "", mlen, problems);
	free(msgs);
	free(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct sd_walk_origin origin = { 29.9, 121.8 };
	/* the reader takes a buffer and a length: no terminator needed, but
	 * give it one past the end as files read whole get */
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	one(text, size, NULL);
	one(text, size, &origin);
	free(text);
	return 0;
}

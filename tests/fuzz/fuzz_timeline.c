/* tests/fuzz/fuzz_timeline.c — the simulator's training timeline parser
 * (sd_sim_timeline_parse, sim/timeline.c: what slicedeck-sim --timeline
 * FILE reads).
 *
 * Aborts when:
 *   - an error message is not "fuzz.tl:LINE: ..." with LINE >= 1, or holds
 *     a control byte;
 *   - a parsed timeline breaks what the player relies on: no events or
 *     more than SD_TL_MAX_EVENTS, an event shorter than 1 s, a negative
 *     time, a drawn object key without choices (or with more than
 *     SD_TL_MAX_CHOICES), an unterminated string, or a repeat shorter
 *     than an event's latest end.
 *
 * Build and run: tests/fuzz/README.md.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/timeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sd_sim_timeline tl;   /* large: not on the stack */

static void terminated(const char *s, size_t n)
{
	if (!memchr(s, '\0', n))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	int i, k;

	memset(err, 0, sizeof err);
	if (sd_sim_timeline_parse((const char *)data, size, "fuzz.tl", &tl, err, sizeof err) < 0) {
		const char *p;
		if (strncmp(err, "fuzz.tl:", 8) != 0 || atoi(err + 8) < 1)
			abort();
		for (p = err; *p; p++)
			if ((unsigned char)*p < ' ' || *p == 0x7f)
				abort();
		return 0;
	}
	if (tl.n < 1 || tl.n > SD_TL_MAX_EVENTS || tl.repeat_ms < 0)
		abort();
	for (i = 0; i < tl.n; i++) {
		const struct sd_tl_event *e = &tl.ev[i];
		if (e->dur_ms < 1000 || e->at_ms < 0 || e->jitter_ms < 0 || e->line < 1)
			abort();
		if (tl.repeat_ms && tl.repeat_ms < e->at_ms + e->jitter_ms + e->dur_ms)
			abort();
		terminated(e->kind, sizeof e->kind);
		terminated(e->params, sizeof e->params);
		terminated(e->pick_key, sizeof e->pick_key);
		if (e->pick == SD_TL_LIST && (e->nchoices < 1 || e->nchoices > SD_TL_MAX_CHOICES))
			abort();
		if (e->pick != SD_TL_FIXED && !e->pick_key[0])
			abort();
		for (k = 0; k < e->nchoices; k++)
			terminated(e->choices[k], sizeof e->choices[k]);
	}
	return 0;
}

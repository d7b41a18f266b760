/* tests/fuzz/fuzz_usage_csv.c — the usage CSV reader (sd_usage_csv_parse,
 * billing/usage_csv.c: what `slicedeck usage import FILE` sends and the
 * engine checks whole before storing anything), with a slice check that
 * knows only ids starting with "a".
 *
 * Aborts when:
 *   - a result disagrees with itself: problems and rows at once, a failure
 *     without a problem, more stored messages than SD_USAGE_CSV_MAX_ERRORS + 1;
 *   - a problem line is not "usage.csv:LINE: ..." or holds a control byte;
 *   - a row breaks the reader's promises: line numbers not increasing,
 *     volumes negative or over the cap, total not UL + DL, a slice the check
 *     refused or an empty one;
 *   - the digest is not 64 hex digits.
 *
 * Build and run: tests/fuzz/README.md.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "billing/chf_decode.h"
#include "billing/usage_csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool known(void *arg, const char *slice)
{
	(void)arg;
	return slice[0] == 'a';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sd_usage_csv c;
	size_t i;
	int rc = sd_usage_csv_parse("usage.csv", (const char *)data, size, known, NULL, &c);
	if (strlen(c.digest) != 64 || strspn(c.digest, "0123456789abcdef") != 64)
		abort();
	if (rc < 0) {
		if (!c.problems || !c.nerrors || c.rows || c.nrows)
			abort();
	} else if (c.problems || c.nerrors) {
		abort();
	}
	if (c.nerrors > SD_USAGE_CSV_MAX_ERRORS + 1 || c.nerrors > c.problems)
		abort();
	for (i = 0; i < c.nerrors; i++) {
		const char *e = c.errors[i];
		size_t k;
		if (strncmp(e, "usage.csv:", 10) != 0)
			abort();
		for (k = 0; e[k]; k++)
			if ((unsigned char)e[k] < 0x20 || e[k] == 0x7f)
				abort();
	}
	for (i = 0; i < c.nrows; i++) {
		const struct sd_usage_row *r = &c.rows[i];
		if ((i && r->line <= c.rows[i - 1].line) || r->line < 2)
			abort();
		if (r->ul < 0 || r->dl < 0 || r->seconds < 0 || r->ul > SD_CHF_MAX_VOLUME ||
		    r->dl > SD_CHF_MAX_VOLUME || r->total != r->ul + r->dl)
			abort();
		if (!r->slice[0] || !known(NULL, r->slice) || strnlen(r->slice, sizeof r->slice) ==
		    sizeof r->slice)
			abort();
	}
	sd_usage_csv_done(&c);
	return 0;
}

/* tests/fuzz/fuzz_promtext.c — the Prometheus text exposition parser of
 * the open5gs plugin (plugins/open5gs/promtext.c), with and without its
 * strict checks, and the mapping of Open5GS's families onto per-S-NSSAI
 * figures (plugins/open5gs/o5gs_map.c) for each NF type.
 *
 * Aborts when: an error is not "line N: ..." with N within the input's
 * lines (+1 for the end-of-text checks), or carries a control byte other
 * than the quoted text's; a sample has more than PROM_MAX_LABELS labels,
 * a label value that is not UTF-8, a line number outside the input or
 * going backwards; a text the strict checks accept is refused without
 * them or gives another number of samples; a mapped figure is negative,
 * NaN or infinite, or more S-NSSAIs are kept than the cap.
 *
 * The plugin's sources are compiled in here (they are not in the engine's
 * library). Seeds: tests/fuzz/corpus/promtext (ORIGIN.txt says where each
 * comes from). Build and run: tests/fuzz/README.md.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugins/open5gs/o5gs_map.c"
#include "plugins/open5gs/promtext.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
	int n, last_line, max_line;
};

static int check_sample(const struct prom_sample *s, void *arg)
{
	struct seen *q = arg;
	int i;
	if (s->nlabels < 0 || s->nlabels > PROM_MAX_LABELS || s->line < q->last_line ||
	    s->line < 1 || s->line > q->max_line || !s->name[0] || !s->family[0])
		abort();
	for (i = 0; i < s->nlabels; i++)
		if (!s->labels[i].name[0] ||
		    !utf8_ok((const unsigned char *)s->labels[i].value, strlen(s->labels[i].value)))
			abort();
	q->last_line = s->line;
	q->n++;
	return 0;
}

static void check_err(const char *err, int max_line)
{
	char *end;
	long n;
	if (strncmp(err, "line ", 5))
		abort();
	n = strtol(err + 5, &end, 10);
	if (n < 1 || n > max_line + 1 || strncmp(end, ": ", 2))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct seen a = { 0 }, b = { 0 };
	struct o5gs_scrape *sc;
	char err[512];
	int lines = 1, rs, rn, nf, i;
	size_t k;
	for (k = 0; k < size; k++)
		lines += data[k] == '\n';
	a.max_line = b.max_line = lines;
	rn = prom_parse(text, size, 0, check_sample, &a, err, sizeof err);
	if (rn < 0)
		check_err(err, lines);
	else if (rn != 0)
		abort();
	rs = prom_parse(text, size, PROM_STRICT, check_sample, &b, err, sizeof err);
	if (rs < 0)
		check_err(err, lines);
	else if (rn != 0 || a.n != b.n)
		abort();
	sc = malloc(sizeof *sc);
	if (!sc)
		return 0;
	for (nf = 0; nf < O5GS_NF_COUNT; nf++) {
		if (o5gs_scrape_parse((enum o5gs_nf)nf, text, size, nf & 1 ? "00101" : "", sc, err,
				      sizeof err) < 0) {
			if (rn == 0)
				abort();
			continue;
		}
		if (rn < 0 || sc->nper < 0 || sc->nper > O5GS_MAX_SNSSAI || sc->samples != a.n ||
		    sc->used + sc->skipped > sc->samples)
			abort();
		for (i = 0; i < sc->nper; i++)
			if (!(sc->per[i].value >= 0) || isinf(sc->per[i].value) || sc->per[i].sst > 255 ||
			    (sc->per[i].sd[0] && strlen(sc->per[i].sd) != 6))
				abort();
	}
	free(sc);
	return 0;
}

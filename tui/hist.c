/* tui/hist.c — see hist.h. */
#include "tui/hist.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "tui/cli.h"

const char *const sd_kpi_names[SD_KPI_COUNT] = { "LOAD", "UES", "PDU", "DELAY_MS", "TAS_AVAIL" };
const char *const sd_kpi_paths[SD_KPI_COUNT] = {
	"live.load_level", "live.ues", "live.pdu_sessions", "live.delay_ms", "live.tas_available",
};

void sd_hist_init(struct sd_hist *h)
{
	memset(h, 0, sizeof *h);
	h->nslots = 256;
	h->slot = sd_calloc(h->nslots, sizeof *h->slot);
}

void sd_hist_done(struct sd_hist *h)
{
	size_t i;
	for (i = 0; i < h->nslots; i++)
		free(h->slot[i]);
	free(h->slot);
	memset(h, 0, sizeof *h);
}

static size_t hash(const char *s)
{
	size_t x = 1469598103934665603ULL;
	while (*s)
		x = (x ^ (unsigned char)*s++) * 1099511628211ULL;
	return x;
}

static struct sd_hist_series **find(const struct sd_hist *h, const char *id)
{
	size_t i = hash(id) & (h->nslots - 1);
	while (h->slot[i] && strcmp(h->slot[i]->id, id) != 0)
		i = (i + 1) & (h->nslots - 1);
	return &h->slot[i];
}

static void grow(struct sd_hist *h)
{
	struct sd_hist_series **old = h->slot;
	size_t n = h->nslots, i;
	h->nslots *= 2;
	h->slot = sd_calloc(h->nslots, sizeof *h->slot);
	for (i = 0; i < n; i++)
		if (old[i])
			*find(h, old[i]->id) = old[i];
	free(old);
}

static double value_at(const json_t *o, const char *path)
{
	const char *dot = strchr(path, '.');
	const json_t *v = json_object_get(json_object_get(o, "live"), dot ? dot + 1 : path);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

void sd_hist_record(struct sd_hist *h, const json_t *slices)
{
	size_t i;
	const json_t *s;
	double zone = 0;
	bool any = false;
	int k;

	json_array_foreach(slices, i, s) {
		const char *id = json_string_value(json_object_get(s, "id"));
		struct sd_hist_series **slot, *se;
		if (!id || strlen(id) >= sizeof se->id)
			continue;
		slot = find(h, id);
		if (!*slot) {
			if (h->used >= SD_HIST_MAX)
				continue;
			*slot = sd_calloc(1, sizeof **slot);
			sd_strlcpy((*slot)->id, id, sizeof (*slot)->id);
			h->used++;
		}
		se = *slot;
		for (k = 0; k < SD_KPI_COUNT; k++)
			se->v[k][se->head] = (float)value_at(s, sd_kpi_paths[k]);
		if (!isnan(se->v[SD_KPI_UES][se->head])) {
			zone += se->v[SD_KPI_UES][se->head];
			any = true;
		}
		se->head = (se->head + 1) % SD_HIST_N;
		if (se->n < SD_HIST_N)
			se->n++;
		if (h->used * 2 > h->nslots)
			grow(h);
	}
	if (h->zone_n == SD_HIST_N) {
		memmove(h->zone, h->zone + 1, (SD_HIST_N - 1) * sizeof *h->zone);
		h->zone_n--;
	}
	h->zone[h->zone_n++] = any ? zone : NAN;
}

int sd_hist_get(const struct sd_hist *h, const char *id, enum sd_kpi k, double *out)
{
	const struct sd_hist_series *se = *find(h, id);
	int i;
	if (!se)
		return 0;
	for (i = 0; i < se->n; i++)
		out[i] = se->v[k][(se->head - se->n + i + SD_HIST_N) % SD_HIST_N];
	return se->n;
}

int sd_hist_zone(const struct sd_hist *h, double *out)
{
	memcpy(out, h->zone, (size_t)h->zone_n * sizeof *out);
	return h->zone_n;
}

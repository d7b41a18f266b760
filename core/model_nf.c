/* core/model_nf.c — NF instances in the model; see model_nf.h. */
#include "core/model_nf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/strmap.h"
#include "core/util.h"

/* The id index: id -> row index + 1 (a strmap value of NULL means absent),
 * valid for the array it was built over. */
struct sd_model_nfix {
	const struct sd_nf_instance *base;
	int n;
	int cap;                    /* rows allocated at base (>= n) */
	struct sd_strmap map;
};

/* --- one instance ------------------------------------------------------------ */

void sd_nf_instance_init(struct sd_nf_instance *nf)
{
	memset(nf, 0, sizeof *nf);
	nf->load = -1;
}

void sd_nf_instance_done(struct sd_nf_instance *nf)
{
	sd_free(nf->snssais);
	sd_nf_instance_init(nf);
}

void sd_nf_instance_copy(struct sd_nf_instance *dst, const struct sd_nf_instance *src)
{
	if (dst == src)
		return;
	memcpy(dst, src, sizeof *dst);
	dst->snssais = NULL;
	dst->nsnssais = 0;
	sd_nf_snssais_set(dst, src->snssais, src->nsnssais);
}

void sd_nf_instance_move(struct sd_nf_instance *dst, struct sd_nf_instance *src)
{
	if (dst == src)
		return;
	memcpy(dst, src, sizeof *dst);
	sd_nf_instance_init(src);
}

void sd_nf_snssais_set(struct sd_nf_instance *nf, const struct sd_snssai *v, int n)
{
	struct sd_snssai *copy = NULL;
	if (n > SD_MAX_NF_SNSSAI)
		n = SD_MAX_NF_SNSSAI;
	if (n > 0) {
		copy = sd_malloc((size_t)n * sizeof *copy);
		memcpy(copy, v, (size_t)n * sizeof *copy);
	}
	sd_nf_snssais_take(nf, copy, n > 0 ? n : 0);
}

void sd_nf_snssais_take(struct sd_nf_instance *nf, struct sd_snssai *v, int n)
{
	sd_free(nf->snssais);
	if (n > SD_MAX_NF_SNSSAI)
		n = SD_MAX_NF_SNSSAI;
	if (n <= 0) {
		sd_free(v);
		v = NULL;
		n = 0;
	}
	nf->snssais = v;
	nf->nsnssais = n;
}

bool sd_nf_serves(const struct sd_nf_instance *nf, const struct sd_snssai *sn)
{
	int i;
	for (i = 0; i < nf->nsnssais; i++)
		if (sd_snssai_equal(&nf->snssais[i], sn))
			return true;
	return false;
}

bool sd_nf_instance_same(const struct sd_nf_instance *a, const struct sd_nf_instance *b)
{
	int i;
	if (strcmp(a->id, b->id) || strcmp(a->type, b->type) || strcmp(a->name, b->name) ||
	    strcmp(a->source, b->source) || a->status != b->status || a->load != b->load ||
	    a->heartbeat_s != b->heartbeat_s || strcmp(a->addr, b->addr) ||
	    a->nsnssais != b->nsnssais || a->nservices != b->nservices ||
	    a->reachable != b->reachable || a->stale != b->stale)
		return false;
	for (i = 0; i < a->nsnssais; i++)
		if (!sd_snssai_equal(&a->snssais[i], &b->snssais[i]))
			return false;
	for (i = 0; i < a->nservices; i++)
		if (strcmp(a->services[i], b->services[i]))
			return false;
	return true;
}

/* --- the index --------------------------------------------------------------- */

static bool ix_valid(const struct sd_model *m)
{
	const struct sd_model_nfix *x = m->nf_index;
	return x && x->base == m->nfs && x->n == m->nnfs;
}

void sd_model_nf_reindex(struct sd_model *m)
{
	struct sd_model_nfix *x = m->nf_index;
	int i;
	if (!x) {
		x = m->nf_index = sd_calloc(1, sizeof *x);
		sd_strmap_init(&x->map);
	}
	sd_strmap_clear(&x->map);
	/* first row with an id wins its lookups (there are no duplicates
	 * when only these functions changed the rows) */
	for (i = 0; i < m->nnfs; i++)
		if (!sd_strmap_has(&x->map, m->nfs[i].id))
			sd_strmap_put(&x->map, m->nfs[i].id, (void *)(intptr_t)(i + 1));
	if (x->base != m->nfs || x->cap < m->nnfs)
		x->cap = m->nnfs;   /* an array we did not allocate: no spare room */
	x->base = m->nfs;
	x->n = m->nnfs;
}

static void ix_fresh(struct sd_model *m)
{
	if (!ix_valid(m))
		sd_model_nf_reindex(m);
}

int sd_model_nf_find(const struct sd_model *m, const char *id)
{
	int i;
	if (!id || !id[0])
		return -1;
	if (ix_valid(m))
		return (int)(intptr_t)sd_strmap_get(&m->nf_index->map, id) - 1;
	for (i = 0; i < m->nnfs; i++)
		if (strcmp(m->nfs[i].id, id) == 0)
			return i;
	return -1;
}

/* Append an (empty) row; the index follows the array. */
static struct sd_nf_instance *append_row(struct sd_model *m)
{
	struct sd_model_nfix *x;
	ix_fresh(m);
	x = m->nf_index;
	if (m->nnfs >= x->cap) {
		x->cap = x->cap < 8 ? 8 : x->cap * 2;
		m->nfs = sd_reallocarray(m->nfs, (size_t)x->cap, sizeof *m->nfs);
	}
	sd_nf_instance_init(&m->nfs[m->nnfs]);
	m->nnfs++;
	x->base = m->nfs;
	x->n = m->nnfs;
	return &m->nfs[m->nnfs - 1];
}

/* --- single rows ----------------------------------------------------------------- */

int sd_model_nf_upsert_move(struct sd_model *m, struct sd_nf_instance *nf,
			    enum sd_nf_change *what)
{
	enum sd_nf_change w;
	struct sd_nf_instance *row;
	int i;

	ix_fresh(m);
	i = sd_model_nf_find(m, nf->id);
	if (!nf->id[0] || (i >= 0 && strcmp(m->nfs[i].source, nf->source) != 0)) {
		sd_nf_instance_done(nf);
		if (what)
			*what = SD_NF_REFUSED;
		return -1;
	}
	if (i < 0) {
		row = append_row(m);
		i = m->nnfs - 1;
		sd_nf_instance_move(row, nf);
		sd_strmap_put(&m->nf_index->map, row->id, (void *)(intptr_t)(i + 1));
		w = SD_NF_ADDED;
	} else if (sd_nf_instance_same(&m->nfs[i], nf)) {
		w = m->nfs[i].last_seen_ms == nf->last_seen_ms ? SD_NF_UNCHANGED : SD_NF_SEEN;
		m->nfs[i].last_seen_ms = nf->last_seen_ms;
		sd_nf_instance_done(nf);
	} else {
		sd_nf_instance_done(&m->nfs[i]);
		sd_nf_instance_move(&m->nfs[i], nf);
		w = SD_NF_CHANGED;
	}
	if (what)
		*what = w;
	return i;
}

int sd_model_nf_upsert(struct sd_model *m, const struct sd_nf_instance *nf,
		       enum sd_nf_change *what)
{
	struct sd_nf_instance tmp;
	sd_nf_instance_copy(&tmp, nf);
	return sd_model_nf_upsert_move(m, &tmp, what);
}

bool sd_model_nf_remove(struct sd_model *m, const char *source, const char *id)
{
	int i;
	ix_fresh(m);
	i = sd_model_nf_find(m, id);
	if (i < 0 || (source && strcmp(m->nfs[i].source, source) != 0))
		return false;
	sd_nf_instance_done(&m->nfs[i]);
	memmove(&m->nfs[i], &m->nfs[i + 1], (size_t)(m->nnfs - i - 1) * sizeof *m->nfs);
	m->nnfs--;
	if (m->nnfs == 0) {
		free(m->nfs);
		m->nfs = NULL;
	}
	sd_model_nf_reindex(m);
	return true;
}

/* --- a whole source -------------------------------------------------------------- */

struct change {
	char id[40];
	enum sd_nf_change what;
};

int sd_model_nf_replace_source(struct sd_model *m, const char *source,
			       struct sd_nf_instance *list, int n,
			       sd_nf_change_fn fn, void *arg)
{
	struct sd_strmap want;       /* id -> winning list position + 1 */
	struct change *ch;
	int i, k, nch = 0, changes = 0, keep;

	ix_fresh(m);
	sd_strmap_init(&want);
	for (i = 0; i < n; i++)
		if (list[i].id[0])
			sd_strmap_put(&want, list[i].id, (void *)(intptr_t)(i + 1));
	ch = sd_calloc((size_t)m->nnfs + (size_t)n + 1, sizeof *ch);

	/* rows of this source that the list no longer has */
	for (i = 0, keep = 0; i < m->nnfs; i++) {
		struct sd_nf_instance *r = &m->nfs[i];
		if (strcmp(r->source, source) == 0 && !sd_strmap_has(&want, r->id)) {
			sd_strlcpy(ch[nch].id, r->id, sizeof ch[nch].id);
			ch[nch++].what = SD_NF_REMOVED;
			sd_nf_instance_done(r);
			continue;
		}
		if (keep != i)
			memcpy(&m->nfs[keep], r, sizeof *r);
		keep++;
	}
	if (keep != m->nnfs) {
		m->nnfs = keep;
		changes += nch;
		sd_model_nf_reindex(m);
	}

	/* the list's rows, each id once */
	for (i = 0; i < n; i++) {
		enum sd_nf_change w;
		if (!list[i].id[0] ||
		    (int)(intptr_t)sd_strmap_get(&want, list[i].id) != i + 1) {
			sd_nf_instance_done(&list[i]);   /* empty, or a repeat */
			continue;
		}
		sd_strlcpy(list[i].source, source, sizeof list[i].source);
		sd_strlcpy(ch[nch].id, list[i].id, sizeof ch[nch].id);
		sd_model_nf_upsert_move(m, &list[i], &w);
		if (w == SD_NF_UNCHANGED)
			continue;
		ch[nch++].what = w;
		if (w != SD_NF_REFUSED && w != SD_NF_SEEN)
			changes++;
	}
	sd_strmap_done(&want);
	if (m->nnfs == 0 && m->nfs) {
		free(m->nfs);
		m->nfs = NULL;
		sd_model_nf_reindex(m);
	}
	if (fn)
		for (k = 0; k < nch; k++)
			fn(arg, ch[k].id, ch[k].what);
	free(ch);
	return changes;
}

void sd_model_nfs_clear(struct sd_model *m)
{
	int i;
	for (i = 0; i < m->nnfs; i++)
		sd_nf_instance_done(&m->nfs[i]);
	free(m->nfs);
	m->nfs = NULL;
	m->nnfs = 0;
	if (m->nf_index) {
		sd_strmap_done(&m->nf_index->map);
		free(m->nf_index);
		m->nf_index = NULL;
	}
}

/* core/model.c — names of enums and lookups; see model.h. */
#include "core/model.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/index.h"
#include "core/util.h"

static const char *const mode_names[] = {
	[SD_MODE_VIRTUAL] = "virtual", [SD_MODE_HYBRID] = "hybrid",
	[SD_MODE_INDEPENDENT] = "independent",
};
static const char *const level_names[] = {
	[SD_LEVEL_LINE] = "line", [SD_LEVEL_WORKSHOP] = "workshop",
	[SD_LEVEL_FACTORY] = "factory",
};
static const char *const state_names[] = {
	[SD_SLICE_REQUESTED] = "requested", [SD_SLICE_ADMITTED] = "admitted",
	[SD_SLICE_ACTIVE] = "active", [SD_SLICE_SUSPENDED] = "suspended",
	[SD_SLICE_DECOMMISSIONED] = "decommissioned", [SD_SLICE_REJECTED] = "rejected",
};
static const char *const origin_names[] = {
	[SD_ORIGIN_CONFIG] = "config", [SD_ORIGIN_RUNTIME] = "runtime",
	[SD_ORIGIN_PLUGIN] = "plugin",
};
static const char *const nf_status_names[] = {
	[SD_NF_REGISTERED] = "REGISTERED", [SD_NF_SUSPENDED] = "SUSPENDED",
	[SD_NF_UNDISCOVERABLE] = "UNDISCOVERABLE", [SD_NF_STATUS_OTHER] = "OTHER",
};

static const char *name_of(const char *const *names, size_t n, int v)
{
	return v >= 0 && (size_t)v < n && names[v] ? names[v] : "?";
}

static int parse_in(const char *const *names, size_t n, const char *s)
{
	size_t i;
	for (i = 0; s && i < n; i++)
		if (names[i] && strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

const char *sd_pn_mode_name(enum sd_pn_mode m) { return name_of(mode_names, SD_ARRAY_LEN(mode_names), (int)m); }
const char *sd_level_name(enum sd_factory_level l) { return name_of(level_names, SD_ARRAY_LEN(level_names), (int)l); }
const char *sd_slice_state_name(enum sd_slice_state s) { return name_of(state_names, SD_ARRAY_LEN(state_names), (int)s); }
const char *sd_origin_name(enum sd_origin o) { return name_of(origin_names, SD_ARRAY_LEN(origin_names), (int)o); }
const char *sd_nf_status_name(enum sd_nf_status s) { return name_of(nf_status_names, SD_ARRAY_LEN(nf_status_names), (int)s); }
int sd_pn_mode_parse(const char *s) { return parse_in(mode_names, SD_ARRAY_LEN(mode_names), s); }
int sd_level_parse(const char *s) { return parse_in(level_names, SD_ARRAY_LEN(level_names), s); }
int sd_slice_state_parse(const char *s) { return parse_in(state_names, SD_ARRAY_LEN(state_names), s); }

/* ---- indexes ----
 *
 * One grouping ("CSR") per owner relation: the items of owner o are
 * idx[off[o] .. off[o+1]), ascending, built by a counting sort in two
 * linear passes. S-NSSAIs are first numbered (a hash from the packed value
 * to a group number), then grouped the same way. */

struct sd_group {
	int *off;                  /* nowners + 1 entries */
	int *idx;                  /* one per item that has a valid owner */
	int nowners;
};

struct sd_model_ix {
	/* the arrays it was built over: any difference means stale */
	const void *factories, *sites, *cells, *slices;
	int nfactories, nsites, ncells, nslices;

	struct sd_strindex factory, site, cell, slice;
	struct sd_u64index nci;
	struct sd_u64index snssai; /* packed S-NSSAI -> group number */
	int *sn_group;             /* per slice: its S-NSSAI's group number */
	int *slice_fac, *cell_site; /* owners gathered while hashing (one pass
	                             * over the big structs instead of three) */
	struct sd_group by_snssai; /* group number -> slices */
	struct sd_group fac_slices, fac_sites, site_cells;
	int *fac_ncells;           /* per factory: cells of its sites */
};

/* SST in bits 32..39, SD below, "no SD" as a value no SD can take. */
static uint64_t snssai_key(const struct sd_snssai *sn)
{
	return (uint64_t)sn->sst << 32 | (sn->has_sd ? (sn->sd & 0xffffffu) : 0x1000000u);
}

/* Group nitems items by the int found at base + i*stride + offset. */
static void group_build(struct sd_group *g, int nowners, const void *base, size_t stride,
			size_t offset, int nitems)
{
	const char *p = base;
	int i, o, n = 0;
	g->off = sd_reallocarray(g->off, (size_t)nowners + 1, sizeof *g->off);
	memset(g->off, 0, ((size_t)nowners + 1) * sizeof *g->off);
	g->nowners = nowners;
	for (i = 0; i < nitems; i++) {
		memcpy(&o, p + (size_t)i * stride + offset, sizeof o);
		if (o >= 0 && o < nowners) {
			g->off[o + 1]++;
			n++;
		}
	}
	for (o = 0; o < nowners; o++)
		g->off[o + 1] += g->off[o];
	g->idx = sd_reallocarray(g->idx, n ? (size_t)n : 1, sizeof *g->idx);
	/* off[o] walks from o's start to its end (= o+1's start) ... */
	for (i = 0; i < nitems; i++) {
		memcpy(&o, p + (size_t)i * stride + offset, sizeof o);
		if (o >= 0 && o < nowners)
			g->idx[g->off[o]++] = i;
	}
	/* ... so shifting by one restores the starts. */
	for (o = nowners; o > 0; o--)
		g->off[o] = g->off[o - 1];
	g->off[0] = 0;
}

static int group_get(const struct sd_group *g, int o, const int **idx)
{
	if (o < 0 || o >= g->nowners) {
		*idx = NULL;
		return -1;
	}
	*idx = g->off[o + 1] > g->off[o] ? g->idx + g->off[o] : NULL;
	return g->off[o + 1] - g->off[o];
}

static void group_free(struct sd_group *g)
{
	free(g->off);
	free(g->idx);
}

static void ix_free(struct sd_model_ix *ix)
{
	if (!ix)
		return;
	sd_strindex_done(&ix->factory);
	sd_strindex_done(&ix->site);
	sd_strindex_done(&ix->cell);
	sd_strindex_done(&ix->slice);
	sd_u64index_done(&ix->nci);
	sd_u64index_done(&ix->snssai);
	free(ix->sn_group);
	free(ix->slice_fac);
	free(ix->cell_site);
	group_free(&ix->by_snssai);
	group_free(&ix->fac_slices);
	group_free(&ix->fac_sites);
	group_free(&ix->site_cells);
	free(ix->fac_ncells);
	free(ix);
}

/* The index when it describes the arrays as they are, else NULL (the
 * callers then scan). */
static const struct sd_model_ix *fresh(const struct sd_model *m)
{
	const struct sd_model_ix *ix = m->ix;
	if (!ix || ix->factories != m->factories || ix->nfactories != m->nfactories ||
	    ix->sites != m->sites || ix->nsites != m->nsites ||
	    ix->cells != m->cells || ix->ncells != m->ncells ||
	    ix->slices != m->slices || ix->nslices != m->nslices)
		return NULL;
	return ix;
}

#define PF 12   /* prefetch distance, in keys */

int sd_model_reindex(struct sd_model *m)
{
	struct sd_model_ix *ix = m->ix;
	int i, dups = 0, ngroups = 0;

	if (!ix) {
		ix = m->ix = sd_calloc(1, sizeof *ix);
		sd_strindex_init(&ix->factory);
		sd_strindex_init(&ix->site);
		sd_strindex_init(&ix->cell);
		sd_strindex_init(&ix->slice);
		sd_u64index_init(&ix->nci);
		sd_u64index_init(&ix->snssai);
	}
	sd_strindex_reset(&ix->factory, (size_t)m->nfactories);
	sd_strindex_reset(&ix->site, (size_t)m->nsites);
	sd_strindex_reset(&ix->cell, (size_t)m->ncells);
	sd_strindex_reset(&ix->slice, (size_t)m->nslices);
	sd_u64index_reset(&ix->nci, (size_t)m->ncells);
	sd_u64index_reset(&ix->snssai, (size_t)m->nslices);
	ix->sn_group = sd_reallocarray(ix->sn_group, m->nslices ? (size_t)m->nslices : 1,
				       sizeof *ix->sn_group);
	ix->slice_fac = sd_reallocarray(ix->slice_fac, m->nslices ? (size_t)m->nslices : 1,
					sizeof *ix->slice_fac);
	ix->cell_site = sd_reallocarray(ix->cell_site, m->ncells ? (size_t)m->ncells : 1,
					sizeof *ix->cell_site);

	/* The tables are far larger than the cache at scale: each loop asks
	 * for the slot of the key PF ahead while it inserts this one. */
	for (i = 0; i < m->nfactories; i++) {
		if (i + PF < m->nfactories)
			sd_strindex_prefetch(&ix->factory, m->factories[i + PF].id);
		dups += sd_strindex_put(&ix->factory, m->factories[i].id, i) >= 0;
	}
	for (i = 0; i < m->nsites; i++) {
		if (i + PF < m->nsites)
			sd_strindex_prefetch(&ix->site, m->sites[i + PF].id);
		dups += sd_strindex_put(&ix->site, m->sites[i].id, i) >= 0;
	}
	for (i = 0; i < m->ncells; i++) {
		if (i + PF < m->ncells) {
			sd_strindex_prefetch(&ix->cell, m->cells[i + PF].id);
			sd_u64index_prefetch(&ix->nci, m->cells[i + PF].nci);
		}
		dups += sd_strindex_put(&ix->cell, m->cells[i].id, i) >= 0;
		dups += sd_u64index_put(&ix->nci, m->cells[i].nci, i) >= 0;
		ix->cell_site[i] = m->cells[i].site;
	}
	for (i = 0; i < m->nslices; i++) {
		int g;
		if (i + PF < m->nslices) {
			sd_strindex_prefetch(&ix->slice, m->slices[i + PF].id);
			sd_u64index_prefetch(&ix->snssai, snssai_key(&m->slices[i + PF].snssai));
		}
		dups += sd_strindex_put(&ix->slice, m->slices[i].id, i) >= 0;
		ix->slice_fac[i] = m->slices[i].factory;
		g = sd_u64index_put(&ix->snssai, snssai_key(&m->slices[i].snssai), ngroups);
		ix->sn_group[i] = g >= 0 ? g : ngroups++;
	}
	group_build(&ix->by_snssai, ngroups, ix->sn_group, sizeof *ix->sn_group, 0, m->nslices);
	group_build(&ix->fac_slices, m->nfactories, ix->slice_fac, sizeof *ix->slice_fac, 0,
		    m->nslices);
	group_build(&ix->fac_sites, m->nfactories, m->sites, sizeof *m->sites,
		    offsetof(struct sd_site, factory), m->nsites);
	group_build(&ix->site_cells, m->nsites, ix->cell_site, sizeof *ix->cell_site, 0,
		    m->ncells);
	ix->fac_ncells = sd_reallocarray(ix->fac_ncells,
					 m->nfactories ? (size_t)m->nfactories : 1,
					 sizeof *ix->fac_ncells);
	memset(ix->fac_ncells, 0, (m->nfactories ? (size_t)m->nfactories : 1) *
	       sizeof *ix->fac_ncells);
	for (i = 0; i < m->nsites; i++) {
		int f = m->sites[i].factory;
		if (f >= 0 && f < m->nfactories)
			ix->fac_ncells[f] += ix->site_cells.off[i + 1] - ix->site_cells.off[i];
	}

	ix->factories = m->factories; ix->nfactories = m->nfactories;
	ix->sites = m->sites;         ix->nsites = m->nsites;
	ix->cells = m->cells;         ix->ncells = m->ncells;
	ix->slices = m->slices;       ix->nslices = m->nslices;
	return dups;
}

int sd_model_factory_index(const struct sd_model *m, const char *id)
{
	const struct sd_model_ix *ix = fresh(m);
	int i;
	if (ix)
		return sd_strindex_get(&ix->factory, id);
	for (i = 0; i < m->nfactories; i++)
		if (strcmp(m->factories[i].id, id) == 0)
			return i;
	return -1;
}

int sd_model_site_index(const struct sd_model *m, const char *id)
{
	const struct sd_model_ix *ix = fresh(m);
	int i;
	if (ix)
		return sd_strindex_get(&ix->site, id);
	for (i = 0; i < m->nsites; i++)
		if (strcmp(m->sites[i].id, id) == 0)
			return i;
	return -1;
}

int sd_model_cell_index(const struct sd_model *m, const char *id)
{
	const struct sd_model_ix *ix = fresh(m);
	int i;
	if (ix)
		return sd_strindex_get(&ix->cell, id);
	for (i = 0; i < m->ncells; i++)
		if (strcmp(m->cells[i].id, id) == 0)
			return i;
	return -1;
}

int sd_model_slice_index(const struct sd_model *m, const char *id)
{
	const struct sd_model_ix *ix = fresh(m);
	int i;
	if (ix)
		return sd_strindex_get(&ix->slice, id);
	for (i = 0; i < m->nslices; i++)
		if (strcmp(m->slices[i].id, id) == 0)
			return i;
	return -1;
}

int sd_model_cell_by_nci(const struct sd_model *m, uint64_t nci)
{
	const struct sd_model_ix *ix = fresh(m);
	int i;
	if (ix)
		return sd_u64index_get(&ix->nci, nci);
	for (i = 0; i < m->ncells; i++)
		if (m->cells[i].nci == nci)
			return i;
	return -1;
}

/* The unindexed fallback's answer for the list lookups: one buffer, valid
 * until the next call (the engine runs one loop; the indexed path, the
 * normal one, needs none). */
static int *scan_buf;
static size_t scan_cap;

static int scan_push(int n, int v)
{
	if ((size_t)n >= scan_cap) {
		scan_cap = scan_cap ? scan_cap * 2 : 64;
		scan_buf = sd_reallocarray(scan_buf, scan_cap, sizeof *scan_buf);
	}
	scan_buf[n] = v;
	return n + 1;
}

/* Items i of an array whose int at offset equals o. */
static int scan_owned(const void *base, size_t stride, size_t offset, int nitems, int o,
		      const int **idx)
{
	const char *p = base;
	int i, v, n = 0;
	for (i = 0; i < nitems; i++) {
		memcpy(&v, p + (size_t)i * stride + offset, sizeof v);
		if (v == o)
			n = scan_push(n, i);
	}
	*idx = n ? scan_buf : NULL;
	return n;
}

int sd_model_slices_by_snssai(const struct sd_model *m, const struct sd_snssai *sn,
			      const int **idx)
{
	const struct sd_model_ix *ix = fresh(m);
	uint64_t key = snssai_key(sn);
	int i, n = 0;
	if (ix) {
		int g = sd_u64index_get(&ix->snssai, key);
		if (g < 0) {
			*idx = NULL;
			return 0;
		}
		return group_get(&ix->by_snssai, g, idx);
	}
	for (i = 0; i < m->nslices; i++)
		if (snssai_key(&m->slices[i].snssai) == key)
			n = scan_push(n, i);
	*idx = n ? scan_buf : NULL;
	return n;
}

int sd_model_factory_slices(const struct sd_model *m, int f, const int **idx)
{
	const struct sd_model_ix *ix = fresh(m);
	if (ix)
		return group_get(&ix->fac_slices, f, idx);
	*idx = NULL;
	if (f < 0 || f >= m->nfactories)
		return -1;
	return scan_owned(m->slices, sizeof *m->slices, offsetof(struct sd_slice, factory),
			  m->nslices, f, idx);
}

int sd_model_factory_sites(const struct sd_model *m, int f, const int **idx)
{
	const struct sd_model_ix *ix = fresh(m);
	if (ix)
		return group_get(&ix->fac_sites, f, idx);
	*idx = NULL;
	if (f < 0 || f >= m->nfactories)
		return -1;
	return scan_owned(m->sites, sizeof *m->sites, offsetof(struct sd_site, factory),
			  m->nsites, f, idx);
}

int sd_model_site_cells(const struct sd_model *m, int s, const int **idx)
{
	const struct sd_model_ix *ix = fresh(m);
	if (ix)
		return group_get(&ix->site_cells, s, idx);
	*idx = NULL;
	if (s < 0 || s >= m->nsites)
		return -1;
	return scan_owned(m->cells, sizeof *m->cells, offsetof(struct sd_cell, site),
			  m->ncells, s, idx);
}

int sd_model_factory_counts(const struct sd_model *m, int f, int *nsites, int *ncells,
			    int *nslices)
{
	const struct sd_model_ix *ix = fresh(m);
	int i, ns = 0, nc = 0, nl = 0;
	if (f < 0 || f >= m->nfactories)
		return -1;
	if (ix) {
		ns = ix->fac_sites.off[f + 1] - ix->fac_sites.off[f];
		nl = ix->fac_slices.off[f + 1] - ix->fac_slices.off[f];
		nc = ix->fac_ncells[f];
	} else {
		for (i = 0; i < m->nsites; i++)
			ns += m->sites[i].factory == f;
		for (i = 0; i < m->ncells; i++) {
			int s = m->cells[i].site;
			nc += s >= 0 && s < m->nsites && m->sites[s].factory == f;
		}
		for (i = 0; i < m->nslices; i++)
			nl += m->slices[i].factory == f;
	}
	if (nsites)
		*nsites = ns;
	if (ncells)
		*ncells = nc;
	if (nslices)
		*nslices = nl;
	return 0;
}

void sd_model_reset_live(struct sd_model *m)
{
	int i;
	for (i = 0; i < m->nslices; i++) {
		struct sd_slice_live *l = &m->slices[i].live;
		l->load_level = -1;
		l->ues = -1;
		l->pdu_sessions = -1;
		l->delay_ms = -1;
		l->tas_total = 0;
		l->tas_available = -1;
		l->updated_ms = 0;
	}
}

void sd_model_carry_live(struct sd_model *to, struct sd_model *from)
{
	int i, j;
	free(to->nfs);
	to->nfs = from->nfs;
	to->nnfs = from->nnfs;
	from->nfs = NULL;
	from->nnfs = 0;
	for (i = 0; i < to->nslices; i++) {
		j = sd_model_slice_index(from, to->slices[i].id);
		if (j >= 0 && sd_snssai_equal(&to->slices[i].snssai, &from->slices[j].snssai))
			to->slices[i].live = from->slices[j].live;
	}
}

int sd_model_nf_index(const struct sd_model *m, const char *id)
{
	int i;
	for (i = 0; i < m->nnfs; i++)
		if (strcmp(m->nfs[i].id, id) == 0)
			return i;
	return -1;
}

void sd_model_free(struct sd_model *m)
{
	int i;
	if (!m)
		return;
	for (i = 0; i < m->nslices; i++)
		free(m->slices[i].sites);
	free(m->factories);
	free(m->sites);
	free(m->cells);
	free(m->slices);
	free(m->nfs);
	ix_free(m->ix);
	free(m);
}

bool sd_id_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= SD_ID_MAX)
		return false;
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") == n;
}

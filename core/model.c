/* core/model.c — names of enums and lookups; see model.h. */
#include "core/model.h"
#include "core/model_nf.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bus.h"       /* SD_TOPIC_* */
#include "core/index.h"
#include "core/store.h"
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

static const char *const env_names[] = { [SD_ENV_HALL] = "hall", [SD_ENV_YARD] = "yard" };

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
int sd_nr_rbs_30khz(int bandwidth_mhz)
{
	static const struct { int mhz, nrb; } t[] = {
		{ 5, 11 }, { 10, 24 }, { 15, 38 }, { 20, 51 }, { 25, 65 }, { 30, 78 },
		{ 40, 106 }, { 50, 133 }, { 60, 162 }, { 70, 189 }, { 80, 217 },
		{ 90, 245 }, { 100, 273 },
	};
	for (size_t i = 0; i < SD_ARRAY_LEN(t); i++)
		if (t[i].mhz == bandwidth_mhz)
			return t[i].nrb;
	return 0;
}

int sd_site_env_parse(const char *s) { return parse_in(env_names, SD_ARRAY_LEN(env_names), s); }
const char *sd_site_env_name(enum sd_site_env e) { return name_of(env_names, SD_ARRAY_LEN(env_names), (int)e); }

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
	int ngroups;               /* distinct S-NSSAIs */
	bool groups_dirty;         /* by_snssai, fac_slices lag the slice tables */
	size_t slice_cap;          /* room allocated in m->slices when the
	                            * model grew it itself (0: unknown) */
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

static struct sd_model_ix *ix_get(struct sd_model *m)
{
	struct sd_model_ix *ix = m->ix;
	if (!ix) {
		ix = m->ix = sd_calloc(1, sizeof *ix);
		sd_strindex_init(&ix->factory);
		sd_strindex_init(&ix->site);
		sd_strindex_init(&ix->cell);
		sd_strindex_init(&ix->slice);
		sd_u64index_init(&ix->nci);
		sd_u64index_init(&ix->snssai);
	}
	return ix;
}

/* Factories, sites, cells: ids, NCIs, sites of a factory, cells of a site,
 * cells of a factory. */
static int index_places(struct sd_model *m, struct sd_model_ix *ix)
{
	int i, dups = 0;
	sd_strindex_reset(&ix->factory, (size_t)m->nfactories);
	sd_strindex_reset(&ix->site, (size_t)m->nsites);
	sd_strindex_reset(&ix->cell, (size_t)m->ncells);
	sd_u64index_reset(&ix->nci, (size_t)m->ncells);
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
	return dups;
}

/* The per-slice arrays hold room for cap slices. */
static void slice_room(struct sd_model_ix *ix, size_t cap)
{
	ix->sn_group = sd_reallocarray(ix->sn_group, cap ? cap : 1, sizeof *ix->sn_group);
	ix->slice_fac = sd_reallocarray(ix->slice_fac, cap ? cap : 1, sizeof *ix->slice_fac);
}

/* Slice i into the slice tables (its id and S-NSSAI); 1 for a duplicate id. */
static int index_one_slice(const struct sd_model *m, struct sd_model_ix *ix, int i)
{
	int g, dup = sd_strindex_put(&ix->slice, m->slices[i].id, i) >= 0;
	ix->slice_fac[i] = m->slices[i].factory;
	g = sd_u64index_put(&ix->snssai, snssai_key(&m->slices[i].snssai), ix->ngroups);
	ix->sn_group[i] = g >= 0 ? g : ix->ngroups++;
	return dup;
}

static void group_slices(const struct sd_model *m, struct sd_model_ix *ix)
{
	group_build(&ix->by_snssai, ix->ngroups, ix->sn_group, sizeof *ix->sn_group, 0,
		    m->nslices);
	group_build(&ix->fac_slices, m->nfactories, ix->slice_fac, sizeof *ix->slice_fac, 0,
		    m->nslices);
	ix->slices = m->slices;
	ix->nslices = m->nslices;
	ix->groups_dirty = false;
}

/* Slices: ids, S-NSSAIs, slices of a factory. Needs the places indexed.
 * cap: the room in m->slices when the model allocated it itself, else 0
 * (unknown: the next add reallocates). */
static int index_slices(struct sd_model *m, struct sd_model_ix *ix, size_t cap)
{
	int i, dups = 0;
	sd_strindex_reset(&ix->slice, (size_t)m->nslices);
	sd_u64index_reset(&ix->snssai, (size_t)m->nslices);
	ix->ngroups = 0;
	ix->slice_cap = cap > (size_t)m->nslices ? cap : 0;
	slice_room(ix, ix->slice_cap ? cap : (size_t)m->nslices);
	for (i = 0; i < m->nslices; i++) {
		if (i + PF < m->nslices) {
			sd_strindex_prefetch(&ix->slice, m->slices[i + PF].id);
			sd_u64index_prefetch(&ix->snssai, snssai_key(&m->slices[i + PF].snssai));
		}
		dups += index_one_slice(m, ix, i);
	}
	group_slices(m, ix);
	return dups;
}

static bool places_fresh(const struct sd_model *m)
{
	const struct sd_model_ix *ix = m->ix;
	return ix && ix->factories == m->factories && ix->nfactories == m->nfactories &&
	       ix->sites == m->sites && ix->nsites == m->nsites &&
	       ix->cells == m->cells && ix->ncells == m->ncells;
}

/* After a change to the slices only: the places' tables stay. */
static void reindex_slices(struct sd_model *m, size_t cap)
{
	if (places_fresh(m))
		index_slices(m, m->ix, cap);
	else
		(void)sd_model_reindex(m);
}

int sd_model_slice_tacs(const struct sd_model *m, const struct sd_slice *s, uint32_t *tacs,
			int max)
{
	const int *sites = s->sites, *cells;
	int nsites = s->nsites, i, j, k, nc, n = 0;
	if (nsites == 0)
		nsites = sd_model_factory_sites(m, s->factory, &sites);
	for (i = 0; i < nsites; i++) {
		if (sites[i] < 0)
			continue;
		nc = sd_model_site_cells(m, sites[i], &cells);
		for (j = 0; j < nc; j++) {
			uint32_t tac = m->cells[cells[j]].tac;
			for (k = 0; k < n && tacs[k] != tac; k++)
				;
			if (k == n && n < max)
				tacs[n++] = tac;
		}
	}
	return n;
}

/* A slice's tracking-area count is a fact of the inventory (its sites'
 * cells), known without any NF: it is set whenever the tables are, so a
 * core without NSSAI availability shows "unknown of 3", not "of 0". */
static void count_tas(struct sd_model *m)
{
	uint32_t tacs[SD_SLICE_MAX_TACS];
	int i;
	for (i = 0; i < m->nslices; i++)
		m->slices[i].live.tas_total = sd_model_slice_tacs(m, &m->slices[i], tacs,
								  SD_SLICE_MAX_TACS);
}

int sd_model_reindex(struct sd_model *m)
{
	struct sd_model_ix *ix = ix_get(m);
	int dups = index_places(m, ix);
	dups += index_slices(m, ix, 0);
	count_tas(m);
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

/* fresh(m), with the slice groupings brought up to date first: an add
 * that had room only hashes the new slice and leaves the regrouping (two
 * linear passes over int arrays) to the first lookup that needs it. The
 * model is const to the caller, the index is its cache. */
static const struct sd_model_ix *fresh_grouped(const struct sd_model *m)
{
	struct sd_model_ix *ix = m->ix;
	if (!fresh(m))
		return NULL;
	if (ix->groups_dirty)
		group_slices(m, ix);
	return ix;
}

int sd_model_slices_by_snssai(const struct sd_model *m, const struct sd_snssai *sn,
			      const int **idx)
{
	const struct sd_model_ix *ix = fresh_grouped(m);
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
	const struct sd_model_ix *ix = fresh_grouped(m);
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
	const struct sd_model_ix *ix = fresh_grouped(m);
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

static void live_unknown(struct sd_slice_live *l)
{
	l->load_level = -1;
	l->ues = -1;
	l->pdu_sessions = -1;
	l->delay_ms = -1;
	/* tas_total is not observed: it follows the inventory (count_tas) */
	l->tas_available = -1;
	l->updated_ms = 0;
}

void sd_model_reset_live(struct sd_model *m)
{
	int i;
	for (i = 0; i < m->nslices; i++)
		live_unknown(&m->slices[i].live);
}

struct sd_model *sd_model_new(void)
{
	return sd_calloc(1, sizeof(struct sd_model));
}

/* ---- merging the configuration's declared inventory ---- */

struct sd_model *sd_model_copy_declared(const struct sd_model *src)
{
	struct sd_model *m = sd_model_new();
	int i;
	m->plmn = src->plmn;
	memcpy(m->zone_name, src->zone_name, sizeof m->zone_name);
	m->factories = sd_calloc((size_t)src->nfactories + 1, sizeof *m->factories);
	m->sites = sd_calloc((size_t)src->nsites + 1, sizeof *m->sites);
	m->cells = sd_calloc((size_t)src->ncells + 1, sizeof *m->cells);
	m->slices = sd_calloc((size_t)src->nslices + 1, sizeof *m->slices);
	if (src->nfactories)
		memcpy(m->factories, src->factories, (size_t)src->nfactories * sizeof *m->factories);
	if (src->nsites)
		memcpy(m->sites, src->sites, (size_t)src->nsites * sizeof *m->sites);
	if (src->ncells)
		memcpy(m->cells, src->cells, (size_t)src->ncells * sizeof *m->cells);
	m->nfactories = src->nfactories;
	m->nsites = src->nsites;
	m->ncells = src->ncells;
	for (i = 0; i < src->nslices; i++) {
		const struct sd_slice *s = &src->slices[i];
		struct sd_slice *t;
		if (s->origin != SD_ORIGIN_CONFIG)
			continue;
		t = &m->slices[m->nslices++];
		*t = *s;
		t->sites = sd_calloc((size_t)s->nsites + 1, sizeof *t->sites);
		if (s->nsites)
			memcpy(t->sites, s->sites, (size_t)s->nsites * sizeof *t->sites);
	}
	return m;
}


static const char *fac_id(const struct sd_model *m, int f)
{
	return f >= 0 && f < m->nfactories ? m->factories[f].id : "";
}

static const char *site_id(const struct sd_model *m, int s)
{
	return s >= 0 && s < m->nsites ? m->sites[s].id : "";
}

static int site_fac(const struct sd_model *m, int s)
{
	return s >= 0 && s < m->nsites ? m->sites[s].factory : -1;
}

static bool sla_same(const struct sd_sla_profile *a, const struct sd_sla_profile *b)
{
	return a->gbr_ul_kbps == b->gbr_ul_kbps && a->gbr_dl_kbps == b->gbr_dl_kbps &&
	       a->mbr_ul_kbps == b->mbr_ul_kbps && a->mbr_dl_kbps == b->mbr_dl_kbps &&
	       a->latency_us == b->latency_us && a->latency_pct == b->latency_pct &&
	       a->reliability_pct == b->reliability_pct &&
	       a->availability_pct == b->availability_pct && a->max_ues == b->max_ues &&
	       a->fiveqi == b->fiveqi;
}

/* Declared fields only; references compare by id, so an object that
 * merely moved in its array is the same. */
static bool factory_same(const struct sd_factory *a, const struct sd_factory *b)
{
	int i;
	if (strcmp(a->name, b->name) || strcmp(a->industry, b->industry) ||
	    strcmp(a->zone, b->zone) || a->mode != b->mode || a->level != b->level ||
	    a->security_grade != b->security_grade || a->ndnns != b->ndnns ||
	    strcmp(a->tariff, b->tariff) || a->max_slices != b->max_slices ||
	    a->max_ues != b->max_ues)
		return false;
	for (i = 0; i < a->ndnns && i < SD_MAX_DNNS; i++)
		if (strcmp(a->dnns[i], b->dnns[i]))
			return false;
	return true;
}

static bool site_same(const struct sd_model *ma, const struct sd_site *a,
		      const struct sd_model *mb, const struct sd_site *b)
{
	return strcmp(a->name, b->name) == 0 &&
	       strcmp(fac_id(ma, a->factory), fac_id(mb, b->factory)) == 0 &&
	       a->lat == b->lat && a->lon == b->lon &&
	       a->width_m == b->width_m && a->height_m == b->height_m && a->env == b->env &&
	       a->clutter_pct == b->clutter_pct && a->clutter_height_m == b->clutter_height_m &&
	       a->clutter_size_m == b->clutter_size_m;
}

/* A cell's view names its site and that site's factory. */
static bool cell_same(const struct sd_model *ma, const struct sd_cell *a,
		      const struct sd_model *mb, const struct sd_cell *b)
{
	return strcmp(a->name, b->name) == 0 &&
	       strcmp(site_id(ma, a->site), site_id(mb, b->site)) == 0 &&
	       strcmp(fac_id(ma, site_fac(ma, a->site)), fac_id(mb, site_fac(mb, b->site))) == 0 &&
	       a->nci == b->nci && a->tac == b->tac && a->x_m == b->x_m && a->y_m == b->y_m &&
	       a->pci == b->pci && a->antenna_height_m == b->antenna_height_m &&
	       a->tx_power_dbm == b->tx_power_dbm && a->carrier_ghz == b->carrier_ghz &&
	       a->bandwidth_mhz == b->bandwidth_mhz && a->ul_capacity_kbps == b->ul_capacity_kbps &&
	       a->dl_capacity_kbps == b->dl_capacity_kbps;
}

static bool slice_same(const struct sd_model *ma, const struct sd_slice *a,
		       const struct sd_model *mb, const struct sd_slice *b)
{
	int i;
	if (strcmp(a->name, b->name) || !sd_snssai_equal(&a->snssai, &b->snssai) ||
	    strcmp(fac_id(ma, a->factory), fac_id(mb, b->factory)) ||
	    a->scenario != b->scenario || strcmp(a->dnn, b->dnn) || !sla_same(&a->sla, &b->sla) ||
	    a->state != b->state || a->origin != b->origin || a->nsites != b->nsites)
		return false;
	for (i = 0; i < a->nsites; i++)
		if (strcmp(site_id(ma, a->sites[i]), site_id(mb, b->sites[i])))
			return false;
	return true;
}

struct merge_report {
	unsigned topic;
	bool removed;
	char id[SD_ID_MAX];
};

struct merge {
	struct merge_report *r;
	size_t nr, cap;
	int conflicts;
	struct sd_buf why;         /* the conflicts, "; "-separated */
};

static void report(struct merge *x, unsigned topic, const char *id, bool removed)
{
	struct merge_report *r;
	if (x->nr == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 64;
		x->r = sd_reallocarray(x->r, x->cap, sizeof *x->r);
	}
	r = &x->r[x->nr++];
	r->topic = topic;
	r->removed = removed;
	sd_strlcpy(r->id, id, sizeof r->id);
}

static void conflict(struct merge *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void conflict(struct merge *x, const char *fmt, ...)
{
	char line[320];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (x->conflicts++)
		(void)sd_buf_addstr(&x->why, "; ");
	(void)sd_buf_addstr(&x->why, line);  /* past the cap the rest is only counted */
}

/* Old factory f, kept for a runtime object that needs it: one message. */
static void keep_factory(struct merge *x, const struct sd_model *old, char *keep, int f,
			 const char *slice)
{
	if (f < 0 || f >= old->nfactories || keep[f])
		return;
	keep[f] = 1;
	conflict(x, "factory %s is no longer declared but runtime slice %s belongs to it: "
		 "kept (with its last declared fields) until that slice is removed",
		 old->factories[f].id, slice);
}

/* The object of kind `arr` at position i of the old model has this id. */
#define SAME_AT(arr, i, id_) ((i) < old.n##arr && strcmp(old.arr[i].id, (id_)) == 0)

int sd_model_merge_declared(struct sd_model *into, struct sd_model *declared,
			    void (*changed)(void *arg, unsigned topic, const char *id, bool removed),
			    void *arg, char *err, size_t errsz)
{
	struct sd_model old = { 0 }, nm = { 0 };
	struct merge x = { 0 };
	struct sd_strindex dfac, dsite;
	char *keep_fac, *keep_site, *skip_decl, *seen;
	int *fac_to, *site_to;
	int i, j, k, n, base, nfk = 0, nsk = 0;
	bool nfs_dirty = false;
	size_t e;

	if (err && errsz)
		err[0] = '\0';
	sd_buf_init(&x.why, 4096);
	/* Every lookup below is O(1): the engine's model through its index,
	 * `old` being a view of its arrays (NF members left out: they are not
	 * ours), the declared one through two small tables. */
	if (!fresh(into))
		sd_model_reindex(into);
	/* declared: only its factories and sites are looked up by id (its
	 * slices are matched by position first, see SAME_AT) */
	sd_strindex_init(&dfac);
	sd_strindex_init(&dsite);
	sd_strindex_reset(&dfac, (size_t)declared->nfactories);
	sd_strindex_reset(&dsite, (size_t)declared->nsites);
	for (i = 0; i < declared->nfactories; i++)
		(void)sd_strindex_put(&dfac, declared->factories[i].id, i);
	for (i = 0; i < declared->nsites; i++)
		(void)sd_strindex_put(&dsite, declared->sites[i].id, i);
	old.plmn = into->plmn;
	memcpy(old.zone_name, into->zone_name, sizeof old.zone_name);
	old.factories = into->factories; old.nfactories = into->nfactories;
	old.sites = into->sites;         old.nsites = into->nsites;
	old.cells = into->cells;         old.ncells = into->ncells;
	old.slices = into->slices;       old.nslices = into->nslices;
	old.ix = into->ix;

	/* 1. What runtime objects need that the configuration no longer
	 * declares: their factory, the sites they serve. Kept, reported. */
	keep_fac = sd_calloc((size_t)old.nfactories + 1, 1);
	keep_site = sd_calloc((size_t)old.nsites + 1, 1);
	for (i = 0; i < old.nslices; i++) {
		const struct sd_slice *r = &old.slices[i];
		if (r->origin == SD_ORIGIN_CONFIG)
			continue;
		if (sd_strindex_get(&dfac, fac_id(&old, r->factory)) < 0)
			keep_factory(&x, &old, keep_fac, r->factory, r->id);
		for (k = 0; k < r->nsites; k++) {
			int si = r->sites[k];
			if (si < 0 || si >= old.nsites || keep_site[si] ||
			    sd_strindex_get(&dsite, old.sites[si].id) >= 0)
				continue;
			keep_site[si] = 1;
			conflict(&x, "site %s is no longer declared but runtime slice %s serves it: "
				 "kept (without cells) until that slice no longer needs it",
				 old.sites[si].id, r->id);
			if (sd_strindex_get(&dfac, fac_id(&old, old.sites[si].factory)) < 0)
				keep_factory(&x, &old, keep_fac, old.sites[si].factory, r->id);
		}
	}

	/* 2. The new arrays: the declared objects first, in the file's order
	 * (so their indexes stay valid), then what was kept. */
	fac_to = sd_calloc((size_t)old.nfactories + 1, sizeof *fac_to);
	site_to = sd_calloc((size_t)old.nsites + 1, sizeof *site_to);
	for (i = 0; i < old.nfactories; i++)
		nfk += keep_fac[i];
	for (i = 0; i < old.nsites; i++)
		nsk += keep_site[i];
	nm.nfactories = declared->nfactories + nfk;
	nm.factories = sd_calloc((size_t)nm.nfactories + 1, sizeof *nm.factories);
	if (declared->nfactories)
		memcpy(nm.factories, declared->factories,
		       (size_t)declared->nfactories * sizeof *nm.factories);
	for (i = 0, n = declared->nfactories; i < old.nfactories; i++) {
		fac_to[i] = sd_strindex_get(&dfac, old.factories[i].id);
		if (keep_fac[i]) {
			nm.factories[n] = old.factories[i];
			fac_to[i] = n++;
		}
	}
	nm.nsites = declared->nsites + nsk;
	nm.sites = sd_calloc((size_t)nm.nsites + 1, sizeof *nm.sites);
	if (declared->nsites)
		memcpy(nm.sites, declared->sites, (size_t)declared->nsites * sizeof *nm.sites);
	for (i = 0, n = declared->nsites; i < old.nsites; i++) {
		site_to[i] = sd_strindex_get(&dsite, old.sites[i].id);
		if (keep_site[i]) {
			nm.sites[n] = old.sites[i];
			nm.sites[n].factory = old.sites[i].factory >= 0 &&
					      old.sites[i].factory < old.nfactories ?
					      fac_to[old.sites[i].factory] : -1;
			site_to[i] = n++;
		}
	}
	nm.cells = declared->cells;     /* no cell is ever kept: taken whole */
	nm.ncells = declared->ncells;

	/* Slices: declared ones unless a runtime slice holds the id (the
	 * runtime one wins: it carries operator actions and is persisted),
	 * then every runtime slice with its references re-resolved by id. */
	skip_decl = sd_calloc((size_t)declared->nslices + 1, 1);
	nm.slices = sd_calloc((size_t)declared->nslices + (size_t)old.nslices + 1,
			      sizeof *nm.slices);
	for (i = 0; i < declared->nslices; i++) {
		struct sd_slice *d = &declared->slices[i];
		j = SAME_AT(slices, i, d->id) ? i : sd_model_slice_index(&old, d->id);
		if (j >= 0 && old.slices[j].origin != SD_ORIGIN_CONFIG) {
			skip_decl[i] = 1;
			conflict(&x, "slice %s is declared by the configuration but exists as a %s "
				 "slice: the %s slice is kept, the declaration ignored", d->id,
				 sd_origin_name(old.slices[j].origin),
				 sd_origin_name(old.slices[j].origin));
			continue;
		}
		nm.slices[nm.nslices] = *d;
		nm.slices[nm.nslices].origin = SD_ORIGIN_CONFIG;
		/* observed state follows the id while it observes the same S-NSSAI */
		if (j >= 0 && sd_snssai_equal(&d->snssai, &old.slices[j].snssai))
			nm.slices[nm.nslices].live = old.slices[j].live;
		else
			live_unknown(&nm.slices[nm.nslices].live);
		nm.nslices++;
	}
	for (i = 0; i < old.nslices; i++) {
		const struct sd_slice *r = &old.slices[i];
		struct sd_slice *t;
		if (r->origin == SD_ORIGIN_CONFIG)
			continue;
		t = &nm.slices[nm.nslices++];
		*t = *r;
		t->factory = r->factory >= 0 && r->factory < old.nfactories ? fac_to[r->factory] : -1;
		t->sites = sd_calloc((size_t)r->nsites + 1, sizeof *t->sites);
		for (k = 0; k < r->nsites; k++)
			t->sites[k] = r->sites[k] >= 0 && r->sites[k] < old.nsites ?
				      site_to[r->sites[k]] : -1;
	}
	nm.plmn = declared->plmn;
	memcpy(nm.zone_name, declared->zone_name, sizeof nm.zone_name);
	sd_model_reindex(&nm);

	/* 3. What changed, by id and declared fields (plus what a view
	 * derives: a factory's counts, a site's cell count, a cell's factory).
	 * A reload mostly keeps the file's order, so each new object is first
	 * matched against the old one at its own position, then by id; what
	 * no new object matched was removed. */
	seen = sd_calloc((size_t)old.nfactories + (size_t)old.nsites + (size_t)old.ncells +
			 (size_t)old.nslices + 1, 1);
	for (i = 0; i < nm.nfactories; i++) {
		int a[3], b[3];
		const char *id = nm.factories[i].id;
		j = SAME_AT(factories, i, id) ? i : sd_model_factory_index(&old, id);
		if (j < 0) {
			report(&x, SD_TOPIC_FACTORIES, id, false);
			continue;
		}
		seen[j] = 1;
		sd_model_factory_counts(&old, j, &a[0], &a[1], &a[2]);
		sd_model_factory_counts(&nm, i, &b[0], &b[1], &b[2]);
		if (!factory_same(&old.factories[j], &nm.factories[i]) || memcmp(a, b, sizeof a))
			report(&x, SD_TOPIC_FACTORIES, id, false);
	}
	for (j = 0; j < old.nfactories; j++)
		if (!seen[j])
			report(&x, SD_TOPIC_FACTORIES, old.factories[j].id, true);
	base = old.nfactories;
	for (i = 0; i < nm.nsites; i++) {
		const int *unused;
		const char *id = nm.sites[i].id;
		j = SAME_AT(sites, i, id) ? i : sd_model_site_index(&old, id);
		if (j >= 0)
			seen[base + j] = 1;
		if (j < 0 || !site_same(&old, &old.sites[j], &nm, &nm.sites[i]) ||
		    sd_model_site_cells(&old, j, &unused) != sd_model_site_cells(&nm, i, &unused))
			report(&x, SD_TOPIC_SITES, id, false);
	}
	for (j = 0; j < old.nsites; j++)
		if (!seen[base + j])
			report(&x, SD_TOPIC_SITES, old.sites[j].id, true);
	base += old.nsites;
	for (i = 0; i < nm.ncells; i++) {
		const char *id = nm.cells[i].id;
		j = SAME_AT(cells, i, id) ? i : sd_model_cell_index(&old, id);
		if (j >= 0)
			seen[base + j] = 1;
		if (j < 0 || !cell_same(&old, &old.cells[j], &nm, &nm.cells[i]))
			report(&x, SD_TOPIC_CELLS, id, false);
	}
	for (j = 0; j < old.ncells; j++)
		if (!seen[base + j])
			report(&x, SD_TOPIC_CELLS, old.cells[j].id, true);
	base += old.ncells;
	if (old.ncells && (strcmp(old.plmn.mcc, nm.plmn.mcc) || strcmp(old.plmn.mnc, nm.plmn.mnc)))
		report(&x, SD_TOPIC_CELLS, "", false);       /* every NCGI */
	for (i = 0; i < nm.nslices; i++) {
		const char *id = nm.slices[i].id;
		j = SAME_AT(slices, i, id) ? i : sd_model_slice_index(&old, id);
		if (j >= 0)
			seen[base + j] = 1;
		if (j >= 0 && slice_same(&old, &old.slices[j], &nm, &nm.slices[i]))
			continue;
		report(&x, SD_TOPIC_SLICES, id, false);
		/* a factory's view of the NFs lists its own slices' S-NSSAIs */
		if (j < 0 || !sd_snssai_equal(&old.slices[j].snssai, &nm.slices[i].snssai) ||
		    strcmp(fac_id(&old, old.slices[j].factory), fac_id(&nm, nm.slices[i].factory)))
			nfs_dirty = true;
	}
	for (j = 0; j < old.nslices; j++)
		if (!seen[base + j]) {
			report(&x, SD_TOPIC_SLICES, old.slices[j].id, true);
			nfs_dirty = true;
		}
	if (nfs_dirty)
		report(&x, SD_TOPIC_NFS, "", false);
	free(seen);

	/* 4. Install. The engine's struct stays where it is; its NF members
	 * are not touched. */
	for (i = 0; i < old.nslices; i++)
		free(old.slices[i].sites);    /* runtime ones were copied above */
	free(old.slices);
	free(old.factories);
	free(old.sites);
	free(old.cells);
	ix_free(old.ix);
	into->plmn = nm.plmn;
	memcpy(into->zone_name, nm.zone_name, sizeof into->zone_name);
	into->factories = nm.factories; into->nfactories = nm.nfactories;
	into->sites = nm.sites;         into->nsites = nm.nsites;
	into->cells = nm.cells;         into->ncells = nm.ncells;
	into->slices = nm.slices;       into->nslices = nm.nslices;
	into->ix = nm.ix;

	/* 5. Consume the declared model: what was taken is no longer its. */
	for (i = 0; i < declared->nslices; i++)
		if (skip_decl[i])
			free(declared->slices[i].sites);
	free(declared->slices);
	declared->slices = NULL;
	declared->nslices = 0;
	declared->cells = NULL;
	declared->ncells = 0;
	sd_model_free(declared);

	for (e = 0; changed && e < x.nr; e++)
		changed(arg, x.r[e].topic, x.r[e].id, x.r[e].removed);
	if (x.conflicts && err && errsz)
		snprintf(err, errsz, "%d conflict%s: %s", x.conflicts, x.conflicts == 1 ? "" : "s",
			 x.why.len ? x.why.data : "");
	n = x.conflicts;
	free(x.r);
	sd_buf_done(&x.why);
	free(keep_fac);
	free(keep_site);
	free(fac_to);
	free(site_to);
	free(skip_decl);
	sd_strindex_done(&dfac);
	sd_strindex_done(&dsite);
	return n;
}

/* ---- slices created at run time ---- */

int sd_model_add_slice(struct sd_model *m, const struct sd_slice *s, char *err, size_t errsz)
{
	struct sd_model_ix *ix;
	struct sd_slice *t;
	size_t cap = 0;
	bool room;
	int i;
	if (s->origin == SD_ORIGIN_CONFIG || (unsigned)s->origin >= SD_ORIGIN_COUNT) {
		snprintf(err, errsz, "slice %s: only runtime or plugin slices are added at run time "
			 "(the configuration declares the others)", s->id);
		return -1;
	}
	if (!sd_id_valid(s->id)) {
		snprintf(err, errsz, "slice id \"%.40s\" is not a valid id", s->id);
		return -1;
	}
	i = sd_model_slice_index(m, s->id);
	if (i >= 0) {
		snprintf(err, errsz, "slice %s already exists (origin %s)", s->id,
			 sd_origin_name(m->slices[i].origin));
		return -1;
	}
	if (s->factory < 0 || s->factory >= m->nfactories) {
		snprintf(err, errsz, "slice %s: no factory with index %d", s->id, s->factory);
		return -1;
	}
	if (s->nsites < 0 || (s->nsites > 0 && !s->sites)) {
		snprintf(err, errsz, "slice %s: bad site list", s->id);
		return -1;
	}
	for (i = 0; i < s->nsites; i++)
		if (s->sites[i] < 0 || s->sites[i] >= m->nsites) {
			snprintf(err, errsz, "slice %s: no site with index %d", s->id, s->sites[i]);
			return -1;
		}
	if (s->snssai.has_sd && s->snssai.sd > 0xfffffeu) {
		snprintf(err, errsz, "slice %s: SD out of range", s->id);
		return -1;
	}
	if ((unsigned)s->state >= SD_SLICE_STATE_COUNT) {
		snprintf(err, errsz, "slice %s: unknown state %d", s->id, (int)s->state);
		return -1;
	}
	/* The common case is O(1) plus regrouping two int arrays: while the
	 * array has room (it grows by a quarter) the slice id keys, which point
	 * into it, stay valid and only the new slice is hashed. */
	ix = fresh(m) ? m->ix : NULL;
	room = ix && ix->slice_cap > (size_t)m->nslices;
	if (!room) {
		cap = (size_t)m->nslices + (size_t)m->nslices / 4 + 16;
		m->slices = sd_reallocarray(m->slices, cap, sizeof *m->slices);
	}
	t = &m->slices[m->nslices];
	*t = *s;
	t->sites = sd_calloc((size_t)s->nsites + 1, sizeof *t->sites);
	if (s->nsites)
		memcpy(t->sites, s->sites, (size_t)s->nsites * sizeof *t->sites);
	live_unknown(&t->live);
	m->nslices++;
	if (room) {
		(void)index_one_slice(m, ix, m->nslices - 1);
		ix->nslices = m->nslices;
		ix->groups_dirty = true;
	} else if (ix) {
		index_slices(m, ix, cap);
	} else {
		(void)sd_model_reindex(m);
		index_slices(m, m->ix, cap);   /* again, to record the room */
	}
	{
		uint32_t tacs[SD_SLICE_MAX_TACS];
		t = &m->slices[m->nslices - 1];
		t->live.tas_total = sd_model_slice_tacs(m, t, tacs, SD_SLICE_MAX_TACS);
	}
	return m->nslices - 1;
}

int sd_model_remove_slice(struct sd_model *m, const char *id)
{
	bool fresh_before = fresh(m) != NULL;
	int i = sd_model_slice_index(m, id);
	if (i < 0)
		return -1;
	if (m->slices[i].origin == SD_ORIGIN_CONFIG)
		return -2;
	free(m->slices[i].sites);
	memmove(&m->slices[i], &m->slices[i + 1],
		(size_t)(m->nslices - i - 1) * sizeof *m->slices);
	m->nslices--;
	/* every later slice moved down; the room is known only for the
	 * array the index describes */
	reindex_slices(m, fresh_before ? m->ix->slice_cap : 0);
	return 0;
}

/* ---- runtime slices in the engine's store ----
 *
 * One row per slice of origin runtime or plugin, references by id (so a
 * reordered configuration does not matter), the SLA in columns. Live state
 * is observed, never stored. */

static const struct sd_store_migration model_migrations[] = {
	{ 1,
	  "CREATE TABLE model_slice("
	  " id TEXT PRIMARY KEY,"
	  " origin TEXT NOT NULL,"          /* sd_origin_name: runtime | plugin */
	  " factory TEXT NOT NULL,"         /* factory id */
	  " name TEXT NOT NULL,"
	  " sst INTEGER NOT NULL,"
	  " sd INTEGER,"                    /* NULL: no SD */
	  " scenario TEXT NOT NULL,"        /* scenario id, '' none */
	  " dnn TEXT NOT NULL,"
	  " state TEXT NOT NULL,"           /* sd_slice_state_name */
	  " sites TEXT NOT NULL,"           /* site ids, comma-separated */
	  " gbr_ul_kbps INTEGER NOT NULL, gbr_dl_kbps INTEGER NOT NULL,"
	  " mbr_ul_kbps INTEGER NOT NULL, mbr_dl_kbps INTEGER NOT NULL,"
	  " latency_us INTEGER NOT NULL, latency_pct REAL NOT NULL,"
	  " reliability_pct REAL NOT NULL, availability_pct REAL NOT NULL,"
	  " max_ues INTEGER NOT NULL, fiveqi INTEGER NOT NULL,"
	  " created_ms INTEGER NOT NULL,"   /* wall clock of the first save */
	  " updated_ms INTEGER NOT NULL"    /* and of the last */
	  ");" },
};

#define SLICE_COLS "id, origin, factory, name, sst, sd, scenario, dnn, state, sites," \
	" gbr_ul_kbps, gbr_dl_kbps, mbr_ul_kbps, mbr_dl_kbps, latency_us, latency_pct," \
	" reliability_pct, availability_pct, max_ues, fiveqi"

struct sd_model_store {
	struct sd_store *st;
	const struct sd_scenario *(*scenario)(const char *id);
	struct sd_stmt *put, *del, *all;
};

struct sd_model_store *sd_model_store_open(struct sd_store *st,
					   const struct sd_scenario *(*scenario)(const char *id),
					   char *err, size_t errsz)
{
	struct sd_model_store *ms;
	if (sd_store_migrate(st, "model", model_migrations, (int)SD_ARRAY_LEN(model_migrations),
			     err, errsz) < 0)
		return NULL;
	ms = sd_calloc(1, sizeof *ms);
	ms->st = st;
	ms->scenario = scenario;
	ms->put = sd_store_prepare(st,
		"INSERT INTO model_slice(" SLICE_COLS ", created_ms, updated_ms)"
		" VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,"
		"?21,?21)"
		" ON CONFLICT(id) DO UPDATE SET origin = excluded.origin,"
		" factory = excluded.factory, name = excluded.name, sst = excluded.sst,"
		" sd = excluded.sd, scenario = excluded.scenario, dnn = excluded.dnn,"
		" state = excluded.state, sites = excluded.sites,"
		" gbr_ul_kbps = excluded.gbr_ul_kbps, gbr_dl_kbps = excluded.gbr_dl_kbps,"
		" mbr_ul_kbps = excluded.mbr_ul_kbps, mbr_dl_kbps = excluded.mbr_dl_kbps,"
		" latency_us = excluded.latency_us, latency_pct = excluded.latency_pct,"
		" reliability_pct = excluded.reliability_pct,"
		" availability_pct = excluded.availability_pct, max_ues = excluded.max_ues,"
		" fiveqi = excluded.fiveqi, updated_ms = excluded.updated_ms");
	ms->del = sd_store_prepare(st, "DELETE FROM model_slice WHERE id = ?1");
	ms->all = sd_store_prepare(st, "SELECT " SLICE_COLS " FROM model_slice"
				   " ORDER BY created_ms, id");
	if (!ms->put || !ms->del || !ms->all) {
		snprintf(err, errsz, "model store: %s", sd_store_errmsg(st));
		free(ms);
		return NULL;
	}
	return ms;
}

void sd_model_store_close(struct sd_model_store *ms)
{
	free(ms);   /* the statements belong to the store */
}

int sd_model_store_save_slice(struct sd_model_store *ms, const struct sd_model *m,
			      const struct sd_slice *s)
{
	struct sd_stmt *q = ms->put;
	struct sd_buf sites;
	int i, rc;
	bool ok;

	if (s->origin == SD_ORIGIN_CONFIG || s->factory < 0 || s->factory >= m->nfactories)
		return -1;
	sd_buf_init(&sites, (size_t)s->nsites * SD_ID_MAX + 1);
	for (i = 0; i < s->nsites; i++)
		if (s->sites[i] < 0 || s->sites[i] >= m->nsites ||
		    sd_buf_addf(&sites, "%s%s", i ? "," : "", m->sites[s->sites[i]].id) < 0) {
			sd_buf_done(&sites);
			return -1;
		}
	if (sd_store_write_begin(ms->st) < 0) {
		sd_buf_done(&sites);
		return -1;
	}
	sd_stmt_bind_text(q, 1, s->id);
	sd_stmt_bind_text(q, 2, sd_origin_name(s->origin));
	sd_stmt_bind_text(q, 3, m->factories[s->factory].id);
	sd_stmt_bind_text(q, 4, s->name);
	sd_stmt_bind_int(q, 5, s->snssai.sst);
	if (s->snssai.has_sd)
		sd_stmt_bind_int(q, 6, s->snssai.sd);
	else
		sd_stmt_bind_null(q, 6);
	sd_stmt_bind_text(q, 7, s->scenario ? s->scenario->id : "");
	sd_stmt_bind_text(q, 8, s->dnn);
	sd_stmt_bind_text(q, 9, sd_slice_state_name(s->state));
	sd_stmt_bind_text(q, 10, sites.len ? sites.data : "");
	sd_stmt_bind_int(q, 11, (int64_t)s->sla.gbr_ul_kbps);
	sd_stmt_bind_int(q, 12, (int64_t)s->sla.gbr_dl_kbps);
	sd_stmt_bind_int(q, 13, (int64_t)s->sla.mbr_ul_kbps);
	sd_stmt_bind_int(q, 14, (int64_t)s->sla.mbr_dl_kbps);
	sd_stmt_bind_int(q, 15, s->sla.latency_us);
	sd_stmt_bind_double(q, 16, s->sla.latency_pct);
	sd_stmt_bind_double(q, 17, s->sla.reliability_pct);
	sd_stmt_bind_double(q, 18, s->sla.availability_pct);
	sd_stmt_bind_int(q, 19, s->sla.max_ues);
	sd_stmt_bind_int(q, 20, s->sla.fiveqi);
	sd_stmt_bind_int(q, 21, sd_wall_ms());
	ok = sd_stmt_run(q) == 0;
	rc = sd_store_write_end(ms->st, ok);
	sd_buf_done(&sites);
	return ok ? rc : -1;
}

int sd_model_store_delete_slice(struct sd_model_store *ms, const char *id)
{
	bool ok;
	if (sd_store_write_begin(ms->st) < 0)
		return -1;
	sd_stmt_bind_text(ms->del, 1, id);
	ok = sd_stmt_run(ms->del) == 0;
	return sd_store_write_end(ms->st, ok) == 0 && ok ? 0 : -1;
}

/* One stored row into *t (t->sites allocated), checked against m; NULL,
 * or why the row cannot be loaded. */
static const char *row_slice(struct sd_model_store *ms, const struct sd_model *m,
			     struct sd_stmt *q, struct sd_slice *t, char *why, size_t whysz)
{
	const char *id = sd_stmt_text(q, 0), *txt;
	int64_t v;
	int k;

	memset(t, 0, sizeof *t);
	if (!sd_id_valid(id))
		return "not a valid id";
	sd_strlcpy(t->id, id, sizeof t->id);
	k = sd_model_slice_index(m, id);
	if (k >= 0) {
		snprintf(why, whysz, "the configuration declares slice %s too: the stored "
			 "runtime slice is not loaded (it stays in the store; remove one of the two)",
			 id);
		return why;
	}
	txt = sd_stmt_text(q, 1);
	if (strcmp(txt, sd_origin_name(SD_ORIGIN_RUNTIME)) == 0)
		t->origin = SD_ORIGIN_RUNTIME;
	else if (strcmp(txt, sd_origin_name(SD_ORIGIN_PLUGIN)) == 0)
		t->origin = SD_ORIGIN_PLUGIN;
	else
		return "unknown origin";
	txt = sd_stmt_text(q, 2);
	t->factory = sd_model_factory_index(m, txt);
	if (t->factory < 0) {
		snprintf(why, whysz, "its factory %.40s is not declared by the configuration", txt);
		return why;
	}
	sd_strlcpy(t->name, sd_stmt_text(q, 3), sizeof t->name);
	v = sd_stmt_int(q, 4);
	if (v < 0 || v > 255)
		return "SST out of range";
	t->snssai.sst = (uint8_t)v;
	if (!sd_stmt_is_null(q, 5)) {
		v = sd_stmt_int(q, 5);
		if (v < 0 || v > 0xfffffe)
			return "SD out of range";
		t->snssai.has_sd = true;
		t->snssai.sd = (uint32_t)v;
	}
	txt = sd_stmt_text(q, 6);
	if (*txt) {
		t->scenario = ms->scenario ? ms->scenario(txt) : NULL;
		if (!t->scenario) {
			snprintf(why, whysz, "unknown scenario %.40s", txt);
			return why;
		}
	}
	sd_strlcpy(t->dnn, sd_stmt_text(q, 7), sizeof t->dnn);
	k = sd_slice_state_parse(sd_stmt_text(q, 8));
	if (k < 0)
		return "unknown state";
	t->state = (enum sd_slice_state)k;
	txt = sd_stmt_text(q, 9);
	t->sites = sd_calloc(strlen(txt) / 2 + 2, sizeof *t->sites);
	while (*txt) {
		char sid[SD_ID_MAX];
		size_t n = strcspn(txt, ",");
		if (n == 0 || n >= sizeof sid)
			return "bad site list";
		memcpy(sid, txt, n);
		sid[n] = '\0';
		k = sd_model_site_index(m, sid);
		if (k < 0) {
			snprintf(why, whysz, "its site %s is not declared by the configuration", sid);
			return why;
		}
		t->sites[t->nsites++] = k;
		txt += n + (txt[n] == ',');
	}
	t->sla.gbr_ul_kbps = (uint64_t)sd_stmt_int(q, 10);
	t->sla.gbr_dl_kbps = (uint64_t)sd_stmt_int(q, 11);
	t->sla.mbr_ul_kbps = (uint64_t)sd_stmt_int(q, 12);
	t->sla.mbr_dl_kbps = (uint64_t)sd_stmt_int(q, 13);
	t->sla.latency_us = (uint32_t)sd_stmt_int(q, 14);
	t->sla.latency_pct = sd_stmt_double(q, 15);
	t->sla.reliability_pct = sd_stmt_double(q, 16);
	t->sla.availability_pct = sd_stmt_double(q, 17);
	t->sla.max_ues = (uint32_t)sd_stmt_int(q, 18);
	t->sla.fiveqi = (uint8_t)sd_stmt_int(q, 19);
	live_unknown(&t->live);
	return NULL;
}

int sd_model_store_load(struct sd_model *m, struct sd_model_store *ms, char *err, size_t errsz)
{
	struct sd_stmt *q = ms->all;
	struct sd_slice *add = NULL, t;
	struct sd_buf why;
	size_t nadd = 0, cap = 0;
	int rc, refused = 0;

	if (err && errsz)
		err[0] = '\0';
	if (!fresh(m))
		sd_model_reindex(m);
	sd_buf_init(&why, 4096);
	/* Checked against the model as it is (indexed), appended at the end,
	 * reindexed once. */
	while ((rc = sd_stmt_step(q)) == 1) {
		char buf[256];
		const char *bad = row_slice(ms, m, q, &t, buf, sizeof buf);
		if (bad) {
			(void)sd_buf_addf(&why, "%sslice %.40s: %s", refused ? "; " : "",
					  sd_stmt_text(q, 0), bad);
			refused++;
			free(t.sites);
			continue;
		}
		if (nadd == cap) {
			cap = cap ? cap * 2 : 16;
			add = sd_reallocarray(add, cap, sizeof *add);
		}
		add[nadd++] = t;
	}
	sd_stmt_reset(q);
	if (rc < 0) {
		snprintf(err, errsz, "model store: reading runtime slices: %s", sd_store_errmsg(ms->st));
		while (nadd)
			free(add[--nadd].sites);
		free(add);
		sd_buf_done(&why);
		return -1;
	}
	if (nadd) {
		m->slices = sd_reallocarray(m->slices, (size_t)m->nslices + nadd, sizeof *m->slices);
		memcpy(&m->slices[m->nslices], add, nadd * sizeof *add);
		m->nslices += (int)nadd;
		reindex_slices(m, 0);
	}
	if (refused && err && errsz)
		snprintf(err, errsz, "%d stored slice%s not loaded: %s", refused,
			 refused == 1 ? "" : "s", why.len ? why.data : "");
	free(add);
	sd_buf_done(&why);
	return refused;
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
		if (j >= 0 && sd_snssai_equal(&to->slices[i].snssai, &from->slices[j].snssai)) {
			int tas = to->slices[i].live.tas_total;  /* this inventory's */
			to->slices[i].live = from->slices[j].live;
			to->slices[i].live.tas_total = tas;
		}
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
	sd_model_nfs_clear(m);   /* NF rows own their S-NSSAIs and index */
	ix_free(m->ix);
	free(m);
}

/* Called for every id of a large zone's load: a character test, not
 * strspn with a 65-character set (glibc's generic path, 6 % of a load). */
bool sd_id_valid(const char *s)
{
	size_t n;
	for (n = 0; s[n]; n++) {
		unsigned char c = (unsigned char)s[n];
		if (n >= SD_ID_MAX - 1 ||
		    !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			return false;
	}
	return n > 0;
}

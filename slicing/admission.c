/* slicing/admission.c — see admission.h. */
#include "slicing/admission.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "slicing/catalog.h"

static const char *const check_names[SD_ADM_CHECK_COUNT] = {
	[SD_ADM_SNSSAI] = "snssai", [SD_ADM_CONTRACT_SLICES] = "contract_slices",
	[SD_ADM_CONTRACT_UES] = "contract_ues", [SD_ADM_CELL_UL] = "cell_ul",
	[SD_ADM_CELL_DL] = "cell_dl", [SD_ADM_MODE] = "mode", [SD_ADM_SECURITY] = "security",
	[SD_ADM_SITES] = "sites",
};

const char *sd_adm_check_name(enum sd_adm_check c)
{
	return (unsigned)c < SD_ADM_CHECK_COUNT ? check_names[c] : "?";
}

bool sd_adm_holds_contract(enum sd_slice_state st)
{
	return st == SD_SLICE_ADMITTED || st == SD_SLICE_ACTIVE || st == SD_SLICE_SUSPENDED;
}

bool sd_adm_holds_capacity(enum sd_slice_state st)
{
	return st == SD_SLICE_ADMITTED || st == SD_SLICE_ACTIVE;
}

bool sd_adm_holds_snssai(const struct sd_slice *s)
{
	if (sd_adm_holds_contract(s->state))
		return true;
	return s->origin == SD_ORIGIN_CONFIG && s->state != SD_SLICE_REJECTED &&
	       s->state != SD_SLICE_DECOMMISSIONED;
}

char *sd_adm_mbps(uint64_t kbps, char *buf, size_t bufsz)
{
	if (kbps % 100 == 0) {
		snprintf(buf, bufsz, "%llu.%llu", (unsigned long long)(kbps / 1000),
			 (unsigned long long)(kbps % 1000 / 100));
	} else {
		char *end;
		snprintf(buf, bufsz, "%llu.%03llu", (unsigned long long)(kbps / 1000),
			 (unsigned long long)(kbps % 1000));
		end = buf + strlen(buf) - 1;
		while (*end == '0')
			*end-- = '\0';
	}
	return buf;
}

static void fail(struct sd_adm_result *r, enum sd_adm_check c, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct sd_adm_result *r, enum sd_adm_check c, const char *fmt, ...)
{
	va_list ap;
	if (r->nfail >= SD_ADM_MAX_FAIL) {
		r->nmore++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(r->fail[r->nfail].text, SD_ADM_TEXT, fmt, ap);
	va_end(ap);
	r->fail[r->nfail++].check = c;
}

static bool is_self(const struct sd_adm_request *q, const struct sd_slice *s)
{
	return q->slice_id && strcmp(q->slice_id, s->id) == 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static void check_snssai(const struct sd_model *m, const struct sd_slicing_conf *c,
			 const struct sd_adm_request *q, struct sd_adm_result *r)
{
	char buf[SD_SNSSAI_STRLEN];
	int i;
	if (q->has_snssai) {
		r->snssai = q->snssai;
		for (i = 0; i < m->nslices; i++) {
			const struct sd_slice *s = &m->slices[i];
			if (is_self(q, s) || !sd_adm_holds_snssai(s) ||
			    !sd_snssai_equal(&s->snssai, &q->snssai))
				continue;
			/* the other slice may be another factory's: its id is not named */
			fail(r, SD_ADM_SNSSAI, "S-NSSAI %s: already in use in PLMN %s-%s",
			     sd_snssai_format(&q->snssai, buf, sizeof buf), m->plmn.mcc, m->plmn.mnc);
			return;
		}
		return;
	}
	{
		/* the lowest SD of the range that no holding slice of the SST uses */
		uint32_t *used = NULL, next = c->sd_lo;
		int n = 0, cap = 0, k;
		bool found = false;
		for (i = 0; i < m->nslices; i++) {
			const struct sd_slice *s = &m->slices[i];
			if (is_self(q, s) || !sd_adm_holds_snssai(s) || s->snssai.sst != q->sst ||
			    !s->snssai.has_sd || s->snssai.sd < c->sd_lo || s->snssai.sd > c->sd_hi)
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				used = sd_reallocarray(used, (size_t)cap, sizeof *used);
			}
			used[n++] = s->snssai.sd;
		}
		if (n)
			qsort(used, (size_t)n, sizeof *used, cmp_u32);
		for (k = 0; k <= n; k++) {
			if (k == n || used[k] > next) {
				found = next <= c->sd_hi;
				break;
			}
			if (used[k] == next) {
				if (next == c->sd_hi)
					break;
				next++;
			}
		}
		free(used);
		r->snssai.sst = q->sst;
		if (!found) {
			fail(r, SD_ADM_SNSSAI, "S-NSSAI: no free SD for SST %u in slicing.sd_range %06x-%06x "
			     "(%u of %u in use)", (unsigned)q->sst, c->sd_lo, c->sd_hi,
			     (unsigned)n, c->sd_hi - c->sd_lo + 1);
			return;
		}
		r->snssai.has_sd = true;
		r->snssai.sd = next;
		r->sd_allocated = true;
	}
}

static void check_contract(const struct sd_model *m, const struct sd_adm_request *q,
			   struct sd_adm_result *r)
{
	const struct sd_factory *f = &m->factories[q->factory];
	const int *idx;
	int n = sd_model_factory_slices(m, q->factory, &idx), i;
	uint64_t slices = 0, ues = 0;
	for (i = 0; i < n; i++) {
		const struct sd_slice *s = &m->slices[idx[i]];
		if (is_self(q, s) || !sd_adm_holds_contract(s->state))
			continue;
		slices++;
		ues += s->sla.max_ues;
	}
	if (f->max_slices && slices + 1 > f->max_slices)
		fail(r, SD_ADM_CONTRACT_SLICES, "factory %s slices: %llu of %u contracted, +1 requested",
		     f->id, (unsigned long long)slices, (unsigned)f->max_slices);
	if (f->max_ues && ues + q->sla.max_ues > f->max_ues)
		fail(r, SD_ADM_CONTRACT_UES, "factory %s UEs: %llu of %u contracted, +%u requested",
		     f->id, (unsigned long long)ues, (unsigned)f->max_ues, (unsigned)q->sla.max_ues);
	if (f->max_ues && q->sla.max_ues == 0)
		fail(r, SD_ADM_CONTRACT_UES, "factory %s UEs: %u contracted, and the slice states "
		     "no max_ues (unbounded)", f->id, (unsigned)f->max_ues);
}

/* Mark the cells of a slice (its sites', else its factory's) in mark[];
 * returns how many it has. */
static int mark_cells(const struct sd_model *m, int factory, const int *sites, int nsites,
		      unsigned char *mark, unsigned char bit)
{
	const int *fs = sites;
	bool all = nsites == 0;
	int n = 0, i, k;
	if (all)
		nsites = sd_model_factory_sites(m, factory, &fs);
	for (i = 0; i < nsites; i++) {
		const int *cells;
		int nc = sd_model_site_cells(m, fs[i], &cells);
		for (k = 0; k < nc; k++) {
			if (!(mark[cells[k]] & bit))
				n++;
			mark[cells[k]] |= bit;
		}
		/* the per-owner lists may be regrouped by a lookup: fetch again */
		if (all)
			nsites = sd_model_factory_sites(m, factory, &fs);
	}
	return n;
}

/* Add slice s's guaranteed rates to the marked cells it serves (each cell
 * belongs to one site, so to one of its sites at most: counted once). */
static void add_held(const struct sd_model *m, const struct sd_slice *s, const unsigned char *mark,
		     uint64_t *ul, uint64_t *dl)
{
	const int *fs = s->sites;
	bool all = s->nsites == 0;
	int nsites = s->nsites, i, k;
	if (all)
		nsites = sd_model_factory_sites(m, s->factory, &fs);
	for (i = 0; i < nsites; i++) {
		const int *cells;
		int nc = sd_model_site_cells(m, fs[i], &cells);
		for (k = 0; k < nc; k++)
			if (mark[cells[k]]) {
				ul[cells[k]] += s->sla.gbr_ul_kbps;
				dl[cells[k]] += s->sla.gbr_dl_kbps;
			}
		if (all)
			nsites = sd_model_factory_sites(m, s->factory, &fs);
	}
}

static void check_capacity(const struct sd_model *m, const struct sd_slicing_conf *c,
			   const struct sd_adm_request *q, struct sd_adm_result *r)
{
	unsigned char *mark;
	uint64_t *ul, *dl;
	int i;
	if (m->ncells == 0)
		return;
	mark = sd_calloc((size_t)m->ncells, 1);
	ul = sd_calloc((size_t)m->ncells, sizeof *ul);
	dl = sd_calloc((size_t)m->ncells, sizeof *dl);
	r->ncells = mark_cells(m, q->factory, q->sites, q->nsites, mark, 1);
	/* what the other slices already hold on those cells */
	for (i = 0; i < m->nslices; i++) {
		const struct sd_slice *s = &m->slices[i];
		if (is_self(q, s) || !sd_adm_holds_capacity(s->state) ||
		    (s->sla.gbr_ul_kbps == 0 && s->sla.gbr_dl_kbps == 0))
			continue;
		add_held(m, s, mark, ul, dl);
	}
	for (i = 0; i < m->ncells; i++) {
		const struct sd_cell *cell = &m->cells[i];
		int d;
		if (!(mark[i] & 1))
			continue;
		for (d = 0; d < 2; d++) {
			uint64_t cap = d == 0 ? (cell->ul_capacity_kbps ? cell->ul_capacity_kbps : c->cell_ul_kbps)
					      : (cell->dl_capacity_kbps ? cell->dl_capacity_kbps : c->cell_dl_kbps);
			uint64_t used = d == 0 ? ul[i] : dl[i];
			uint64_t want = d == 0 ? q->sla.gbr_ul_kbps : q->sla.gbr_dl_kbps;
			/* integer kbit/s: exactly at the limit passes, 1 kbit/s over fails */
			uint64_t limit = cap * (uint64_t)c->capacity_share_pct / 100;
			char b1[32], b2[32], b3[32];
			if (want == 0 || used + want <= limit)
				continue;
			fail(r, d == 0 ? SD_ADM_CELL_UL : SD_ADM_CELL_DL,
			     "cell %s %s: %s of %s Mbit/s guaranteed, +%s requested, limit %d %%",
			     cell->id, d == 0 ? "UL" : "DL", sd_adm_mbps(used, b1, sizeof b1),
			     sd_adm_mbps(cap, b2, sizeof b2), sd_adm_mbps(want, b3, sizeof b3),
			     c->capacity_share_pct);
		}
	}
	free(mark);
	free(ul);
	free(dl);
}

static void check_rules(const struct sd_model *m, const struct sd_adm_request *q,
			struct sd_adm_result *r)
{
	const struct sd_factory *f = &m->factories[q->factory];
	bool mode_failed = false;
	int i;
	if (q->scenario) {
		struct sd_offer o;
		sd_scenario_offer(q->scenario, f, &o);
		for (i = 0; i < o.nreasons; i++) {
			enum sd_adm_check c = o.rule[i] == SD_OFFER_MODE ? SD_ADM_MODE : SD_ADM_SECURITY;
			mode_failed |= c == SD_ADM_MODE;
			fail(r, c, "%s: scenario %s: %s", c == SD_ADM_MODE ? "mode" : "security",
			     q->scenario->id, o.reason[i]);
		}
	}
	if (!mode_failed && f->mode == SD_MODE_VIRTUAL && q->sla.latency_us > 0 &&
	    q->sla.latency_us <= 10000)
		fail(r, SD_ADM_MODE, "mode: a %g ms bound needs a local UPF (hybrid or independent "
		     "network); %s is virtual", q->sla.latency_us / 1000.0, f->id);
	for (i = 0; i < q->nsites; i++) {
		int s = q->sites[i];
		if (s < 0 || s >= m->nsites || m->sites[s].factory != q->factory)
			fail(r, SD_ADM_SITES, "sites: %s is not a site of %s",
			     s >= 0 && s < m->nsites ? m->sites[s].id : "?", f->id);
	}
}

bool sd_admission_check(const struct sd_model *m, const struct sd_slicing_conf *c,
			const struct sd_adm_request *q, struct sd_adm_result *r)
{
	memset(r, 0, sizeof *r);
	if (q->factory < 0 || q->factory >= m->nfactories) {
		fail(r, SD_ADM_SITES, "no such factory");
		return false;
	}
	check_snssai(m, c, q, r);
	check_contract(m, q, r);
	check_rules(m, q, r);
	check_capacity(m, c, q, r);
	return r->nfail == 0 && r->nmore == 0;
}

json_t *sd_adm_result_json(const struct sd_adm_result *r)
{
	json_t *o = json_object(), *f = json_array();
	char buf[SD_SNSSAI_STRLEN];
	int i;
	for (i = 0; i < r->nfail; i++)
		json_array_append_new(f, json_pack("{s:s, s:s}", "check",
						   sd_adm_check_name(r->fail[i].check), "text",
						   r->fail[i].text));
	json_object_set_new(o, "admitted", json_boolean(r->nfail == 0 && r->nmore == 0));
	json_object_set_new(o, "snssai", r->nfail && !r->snssai.has_sd && !r->sd_allocated &&
			    r->snssai.sst == 0 ? json_null()
			    : json_string(sd_snssai_format(&r->snssai, buf, sizeof buf)));
	json_object_set_new(o, "sd_allocated", json_boolean(r->sd_allocated));
	json_object_set_new(o, "cells_checked", json_integer(r->ncells));
	json_object_set_new(o, "failures", f);
	json_object_set_new(o, "failures_not_listed", json_integer(r->nmore));
	return o;
}

void sd_adm_result_text(const struct sd_adm_result *r, char *buf, size_t bufsz)
{
	size_t off = 0;
	int i;
	buf[0] = '\0';
	for (i = 0; i < r->nfail && off < bufsz; i++)
		off += (size_t)snprintf(buf + off, bufsz - off, "%s%s", i ? "; " : "", r->fail[i].text);
	if (r->nmore && off < bufsz)
		snprintf(buf + off, bufsz - off, "; and %d more", r->nmore);
}

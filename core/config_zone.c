/* core/config_zone.c — the zone's declared inventory: `zone` (name, PLMN)
 * and `factories` with their sites, cells and slices, checked into the
 * struct sd_model the configuration carries. Every duplicate check and id
 * reference goes through an index (sd_config_unique, core/index.h), so a
 * zone of 100,000 slices and 300,000 cells loads in linear time.
 *
 * Every key here is live: a reload brings the new inventory.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/config_impl.h"
#include "core/log.h"
#include "core/util.h"

/* An S-NSSAI as one 64-bit key: SST, whether it has an SD, the SD. */
static uint64_t snssai_key(const struct sd_snssai *n)
{
	return (uint64_t)n->sst << 32 | (uint64_t)(n->has_sd ? 1 : 0) << 24 |
	       (n->has_sd ? (n->sd & 0xffffffu) : 0);
}

static const char *check_mcc(struct sd_config_ctx *x, const char *v)
{
	return strlen(v) == 3 && strspn(v, "0123456789") == 3 ? NULL
		: "MCC must be exactly 3 decimal digits";
}

static const char *check_mnc(struct sd_config_ctx *x, const char *v)
{
	size_t n = strlen(v);
	return (n == 2 || n == 3) && strspn(v, "0123456789") == n ? NULL
		: "MNC must be 2 or 3 decimal digits (leading zeros count)";
}

/* DNN: labels of letters, digits and '-', separated by dots (TS 23.003 §9.1). */
static bool dnn_valid(const char *v)
{
	size_t i, lab = 0;
	if (!*v || strlen(v) > 63 || v[0] == '.')
		return false;
	for (i = 0; v[i]; i++) {
		if (v[i] == '.') {
			if (lab == 0)
				return false;
			lab = 0;
		} else if (isalnum((unsigned char)v[i]) || v[i] == '-') {
			lab++;
		} else {
			return false;
		}
	}
	return lab > 0;
}

static const char *check_dnn(struct sd_config_ctx *x, const char *v)
{
	return dnn_valid(v) ? NULL : "not a DNN (dot-separated labels of letters, digits "
		"and '-', at most 63 characters)";
}

static void store_dnns(struct sd_config_ctx *x, const struct sd_config_key *k, config_setting_t *s,
		       void *obj, const char *path)
{
	struct sd_factory *f = obj;
	int i, j, n = config_setting_length(s);
	if (n == 0) {
		sd_config_err(x, s, path, "at least one DNN is needed");
		return;
	}
	for (i = 0; i < n && f->ndnns < SD_MAX_DNNS; i++) {
		config_setting_t *e = config_setting_get_elem(s, i);
		const char *v = config_setting_get_string(e);
		if (!dnn_valid(v)) {
			sd_config_err(x, e, path, "\"%s\": %s", v, check_dnn(x, v));
			continue;
		}
		for (j = 0; j < f->ndnns; j++)
			if (strcasecmp(f->dnns[j], v) == 0)
				break;
		if (j < f->ndnns) {
			sd_config_err(x, e, path, "\"%s\" is listed twice", v);
			continue;
		}
		sd_strlcpy(f->dnns[f->ndnns++], v, sizeof f->dnns[0]);
	}
}

static void store_scenario(struct sd_config_ctx *x, const struct sd_config_key *k, config_setting_t *s,
			   void *obj, const char *path)
{
	struct sd_slice *sl = obj;
	sl->scenario = x->schema->scenario_find ?
		x->schema->scenario_find(config_setting_get_string(s)) : NULL;
}

/* The id of the factory whose sites list holds a site id, looked up in
 * the raw tree (the site may belong to a factory not checked yet). Only
 * error messages need it: the index of the tree is built on first use. */
static const char *site_owner(struct sd_config_ctx *x, const char *site)
{
	config_setting_t *fl = config_lookup(&x->cf, "factories");
	const char *fid = NULL;
	int i, j, n = fl && config_setting_is_list(fl) ? config_setting_length(fl) : 0;

	if (!x->site_owner_built) {
		x->site_owner_built = true;
		for (i = 0; i < n; i++) {
			config_setting_t *f = config_setting_get_elem(fl, i);
			config_setting_t *sl = config_setting_get_member(f, "sites");
			const char *sid;
			int ns = sl && config_setting_is_list(sl) ? config_setting_length(sl) : 0;
			if (!config_setting_lookup_string(f, "id", &fid))
				continue;
			for (j = 0; j < ns; j++)
				if (config_setting_lookup_string(config_setting_get_elem(sl, j), "id",
								 &sid))
					sd_strindex_put(&x->site_owner, sid, i);
		}
	}
	i = sd_strindex_get(&x->site_owner, site);
	if (i < 0 || !config_setting_lookup_string(config_setting_get_elem(fl, i), "id", &fid))
		return NULL;
	return fid;
}

/* slice.sites: ids of sites of the slice's own factory. */
static void store_slice_sites(struct sd_config_ctx *x, const struct sd_config_key *k, config_setting_t *s,
			      void *obj, const char *path)
{
	struct sd_slice *sl = obj;
	struct sd_model *m = x->m;
	int i, j, n = config_setting_length(s);

	if (n == 0) {
		sd_config_err(x, s, path, "empty; leave the key out to serve every site of the factory");
		return;
	}
	sl->sites = sd_calloc((size_t)n, sizeof *sl->sites);
	for (i = 0; i < n; i++) {
		config_setting_t *e = config_setting_get_elem(s, i);
		const char *v = config_setting_get_string(e);
		int si = sd_config_find(x, "site", v);
		if (si < 0) {
			const char *owner = site_owner(x, v);
			if (owner)
				sd_config_err(x, e, path, "site \"%s\" belongs to factory \"%s\", not to the "
				     "slice's factory \"%s\"", v, owner, m->factories[sl->factory].id);
			else
				sd_config_err(x, e, path, "unknown site \"%s\"", v);
			continue;
		}
		if (m->sites[si].factory != sl->factory) {
			sd_config_err(x, e, path, "site \"%s\" belongs to factory \"%s\", not to the slice's "
			     "factory \"%s\"", v, m->factories[m->sites[si].factory].id,
			     m->factories[sl->factory].id);
			continue;
		}
		/* a slice's own list: at most 4096 entries, scanned */
		for (j = 0; j < sl->nsites; j++)
			if (sl->sites[j] == si)
				break;
		if (j < sl->nsites) {
			sd_config_err(x, e, path, "site \"%s\" is listed twice", v);
			continue;
		}
		sl->sites[sl->nsites++] = si;
	}
}

void *sd_cfg_new_factory(struct sd_config_ctx *x, config_setting_t *e, void *parent)
{
	struct sd_model *m = x->m;
	int cap = x->fac_cap;
	m->factories = sd_config_grow(m->factories, m->nfactories, &x->fac_cap,
				      sizeof *m->factories);
	x->fac_set = sd_config_grow(x->fac_set, m->nfactories, &cap, sizeof *x->fac_set);
	x->fac_set[m->nfactories] = e;
	x->fac_first_site = m->nsites;    /* its sites are the ones appended from now on */
	return &m->factories[m->nfactories++];
}

void sd_cfg_done_factory(struct sd_config_ctx *x, config_setting_t *e, void *obj, const char *path)
{
	struct sd_model *m = x->m;
	struct sd_factory *f = obj;

	sd_config_unique(x, "factory", e, "id", (int)(f - m->factories), path, "factory id");
	if (!f->zone[0])
		sd_strlcpy(f->zone, m->zone_name, sizeof f->zone);
	/* f->tariff is checked by the billing section, which knows the tariffs */
}

static void *new_site(struct sd_config_ctx *x, config_setting_t *e, void *parent)
{
	struct sd_model *m = x->m;
	struct sd_site *s;
	m->sites = sd_config_grow(m->sites, m->nsites, &x->site_cap, sizeof *m->sites);
	s = &m->sites[m->nsites++];
	s->factory = (int)((struct sd_factory *)parent - m->factories);
	return s;
}

static void done_site(struct sd_config_ctx *x, config_setting_t *e, void *obj, const char *path)
{
	struct sd_model *m = x->m;
	struct sd_site *s = obj;
	sd_config_unique(x, "site", e, "id", (int)(s - m->sites), path, "site id");
	if (!s->name[0])
		sd_strlcpy(s->name, s->id, sizeof s->name);
}

static void *new_cell(struct sd_config_ctx *x, config_setting_t *e, void *parent)
{
	struct sd_model *m = x->m;
	struct sd_cell *c;
	int cap = x->cell_cap;
	m->cells = sd_config_grow(m->cells, m->ncells, &x->cell_cap, sizeof *m->cells);
	x->cell_set = sd_config_grow(x->cell_set, m->ncells, &cap, sizeof *x->cell_set);
	x->cell_set[m->ncells] = e;
	c = &m->cells[m->ncells++];
	c->site = (int)((struct sd_site *)parent - m->sites);
	return c;
}

static void done_cell(struct sd_config_ctx *x, config_setting_t *e, void *obj, const char *path)
{
	struct sd_model *m = x->m;
	struct sd_cell *c = obj;
	const struct sd_site *site = &m->sites[c->site];
	int i, me = (int)(c - m->cells);
	char w[300], cp[512];

	sd_config_unique(x, "cell", e, "id", me, path, "cell id");
	if (c->nci && (i = sd_u64index_put(&x->ncis, c->nci, me)) >= 0) {
		sd_config_child_path(cp, sizeof cp, path, "nci");
		sd_config_err(x, config_setting_get_member(e, "nci"), cp, "NCI %09llx is already "
			      "used by cell \"%s\" (%s); an NR cell identity is unique in the PLMN",
			      (unsigned long long)c->nci, m->cells[i].id,
			      sd_config_where(x, x->cell_set[i], w, sizeof w));
	}
	if (c->x_m > site->width_m || c->y_m > site->height_m) {
		sd_config_child_path(cp, sizeof cp, path, c->x_m > site->width_m ? "x" : "y");
		sd_config_err(x, e, cp, "position (%g, %g) m is outside the site plan of \"%s\" "
		     "(%g x %g m)", c->x_m, c->y_m, site->id, site->width_m, site->height_m);
	}
	if (!sd_nr_rbs_30khz(c->bandwidth_mhz)) {
		sd_config_child_path(cp, sizeof cp, path, "bandwidth_mhz");
		sd_config_err(x, config_setting_get_member(e, "bandwidth_mhz"), cp,
			      "%d MHz is not an NR channel bandwidth at 30 kHz subcarrier spacing "
			      "(5, 10, 15, 20, 25, 30, 40, 50, 60, 70, 80, 90, 100)", c->bandwidth_mhz);
	}
	if (!c->name[0])
		sd_strlcpy(c->name, c->id, sizeof c->name);
}

/* The scenario seeds the SLA before the slice's own keys override it. */
static void *new_slice(struct sd_config_ctx *x, config_setting_t *e, void *parent)
{
	struct sd_model *m = x->m;
	struct sd_slice *sl;
	const struct sd_scenario *scen = NULL;
	const config_setting_t *s;
	const char *sc = NULL;
	int cap = x->slice_cap;
	m->slices = sd_config_grow(m->slices, m->nslices, &x->slice_cap, sizeof *m->slices);
	x->slice_set = sd_config_grow(x->slice_set, m->nslices, &cap, sizeof *x->slice_set);
	x->slice_set[m->nslices] = e;
	sl = &m->slices[m->nslices++];
	sl->factory = (int)((struct sd_factory *)parent - m->factories);
	s = config_setting_get_member(e, "scenario");
	if (s && config_setting_type(s) == CONFIG_TYPE_STRING)
		sc = config_setting_get_string(s);
	if (sc && x->schema->scenario_find)
		scen = x->schema->scenario_find(sc);
	if (scen)
		sl->sla = scen->sla;
	return sl;
}

static void check_rate_pair(struct sd_config_ctx *x, config_setting_t *e, const char *path,
			    uint64_t gbr, uint64_t mbr, const char *gname, const char *mname)
{
	config_setting_t *sla, *s;
	char cp[512];
	if (!gbr || !mbr || gbr <= mbr)
		return;
	sla = config_setting_get_member(e, "sla");
	s = sla ? config_setting_get_member(sla, gname) : NULL;
	if (!s && sla)
		s = config_setting_get_member(sla, mname);
	snprintf(cp, sizeof cp, "%s.sla.%s", path, gname);
	sd_config_err(x, s ? s : e, cp, "guaranteed rate %g Mbit/s exceeds the maximum %s %g Mbit/s",
	     (double)gbr / 1000, mname, (double)mbr / 1000);
}

static void done_slice(struct sd_config_ctx *x, config_setting_t *e, void *obj, const char *path)
{
	struct sd_model *m = x->m;
	struct sd_slice *sl = obj;
	const struct sd_factory *f = &m->factories[sl->factory];
	int i, me = (int)(sl - m->slices);
	char w[300], cp[512], a[SD_SNSSAI_STRLEN];

	sd_config_unique(x, "slice", e, "id", me, path, "slice id");
	if (sl->snssai.sst && (i = sd_u64index_put(&x->snssais, snssai_key(&sl->snssai), me)) >= 0) {
		sd_config_child_path(cp, sizeof cp, path, "snssai");
		sd_config_err(x, config_setting_get_member(e, "snssai"), cp,
			      "S-NSSAI %s is already used by slice \"%s\" (%s); an S-NSSAI "
			      "is unique within the PLMN",
			      sd_snssai_format(&sl->snssai, a, sizeof a), m->slices[i].id,
			      sd_config_where(x, x->slice_set[i], w, sizeof w));
	}
	sd_config_child_path(cp, sizeof cp, path, "dnn");
	if (!sl->dnn[0]) {
		if (f->ndnns)
			sd_strlcpy(sl->dnn, f->dnns[0], sizeof sl->dnn);
	} else if (f->ndnns) {
		for (i = 0; i < f->ndnns; i++)
			if (strcasecmp(f->dnns[i], sl->dnn) == 0)
				break;
		if (i == f->ndnns)
			sd_config_err(x, config_setting_get_member(e, "dnn"), cp, "\"%s\" is not one of "
			     "factory \"%s\"'s dnns", sl->dnn, f->id);
	}
	if (!config_setting_get_member(e, "sites")) {
		/* the factory's sites were appended just before its slices */
		sl->sites = sd_calloc((size_t)(m->nsites - x->fac_first_site) + 1, sizeof *sl->sites);
		for (i = x->fac_first_site; i < m->nsites; i++)
			if (m->sites[i].factory == sl->factory)
				sl->sites[sl->nsites++] = i;
	}
	check_rate_pair(x, e, path, sl->sla.gbr_ul_kbps, sl->sla.mbr_ul_kbps,
			"gbr_ul_mbps", "mbr_ul_mbps");
	check_rate_pair(x, e, path, sl->sla.gbr_dl_kbps, sl->sla.mbr_dl_kbps,
			"gbr_dl_mbps", "mbr_dl_mbps");
	if (sl->scenario && x->schema->scenario_suits &&
	    !x->schema->scenario_suits(sl->scenario, f->mode))
		sd_warn("%s: %s: scenario \"%s\" is not suited to %s networks%s",
			sd_config_where(x, e, w, sizeof w), path, sl->scenario->id, sd_pn_mode_name(f->mode),
			sl->scenario->needs_local_upf ? " (it needs an on-site UPF)" : "");
	if (!sl->name[0])
		sd_strlcpy(sl->name, sl->id, sizeof sl->name);
}

void *sd_cfg_enter_model(struct sd_config *c, void *parent) { return c->model; }

static int list_len(const config_setting_t *g, const char *name)
{
	const config_setting_t *l = g ? config_setting_get_member(g, name) : NULL;
	int n = l && config_setting_is_list(l) ? config_setting_length(l) : 0;
	return n < SD_CFG_MAX_ELEMS ? n : SD_CFG_MAX_ELEMS;
}

static void reserve_ns(struct sd_config_ctx *x, const char *name, int n)
{
	struct sd_cfg_ns *ns = sd_cfg_ns(x, name, true);
	if (!ns || n <= 0)
		return;
	sd_strindex_reset(&ns->ix, (size_t)n);
	ns->set = sd_reallocarray(ns->set, (size_t)n, sizeof *ns->set);
	ns->vals = sd_reallocarray(ns->vals, (size_t)n, sizeof *ns->vals);
	ns->cap = ns->vcap = n;
}

void sd_cfg_zone_reserve(struct sd_config_ctx *x)
{
	struct sd_model *m = x->m;
	const config_setting_t *fl = config_lookup(&x->cf, "factories");
	int nf = fl && config_setting_is_list(fl) ? config_setting_length(fl) : 0;
	int i, j, ns = 0, nc = 0, nsl = 0;

	if (nf > SD_CFG_MAX_ELEMS)
		nf = SD_CFG_MAX_ELEMS;
	for (i = 0; i < nf; i++) {
		const config_setting_t *f = config_setting_get_elem(fl, i);
		const config_setting_t *sl = config_setting_is_group(f) ?
			config_setting_get_member(f, "sites") : NULL;
		int n = list_len(f, "sites");
		ns += n;
		nsl += list_len(f, "slices");
		for (j = 0; j < n; j++)
			nc += list_len(config_setting_get_elem(sl, j), "cells");
	}
	if (nf <= 0)
		return;
	/* only growth from here: sd_config_grow keeps these capacities */
	m->factories = sd_reallocarray(m->factories, (size_t)nf, sizeof *m->factories);
	x->fac_set = sd_reallocarray(x->fac_set, (size_t)nf, sizeof *x->fac_set);
	x->fac_cap = nf;
	if (ns) {
		m->sites = sd_reallocarray(m->sites, (size_t)ns, sizeof *m->sites);
		x->site_cap = ns;
	}
	if (nc) {
		m->cells = sd_reallocarray(m->cells, (size_t)nc, sizeof *m->cells);
		x->cell_set = sd_reallocarray(x->cell_set, (size_t)nc, sizeof *x->cell_set);
		x->cell_cap = nc;
		sd_u64index_reset(&x->ncis, (size_t)nc);
	}
	if (nsl) {
		m->slices = sd_reallocarray(m->slices, (size_t)nsl, sizeof *m->slices);
		x->slice_set = sd_reallocarray(x->slice_set, (size_t)nsl, sizeof *x->slice_set);
		x->slice_cap = nsl;
		sd_u64index_reset(&x->snssais, (size_t)nsl);
	}
	reserve_ns(x, "factory", nf);
	reserve_ns(x, "site", ns);
	reserve_ns(x, "cell", nc);
	reserve_ns(x, "slice", nsl);
}
static void *enter_plmn(struct sd_config *c, void *parent) { return &c->model->plmn; }

static const struct sd_config_key plmn_keys[] = {
	{ .name = "mcc", .type = SD_K_STR, .required = true, SD_CONFIG_OF(struct sd_plmn, mcc),
	  .check = check_mcc, .hint = "write it as a string, e.g. \"460\"",
	  .help = "mobile country code, 3 digits" },
	{ .name = "mnc", .type = SD_K_STR, .required = true, SD_CONFIG_OF(struct sd_plmn, mnc),
	  .check = check_mnc, .hint = "write it as a string, e.g. \"00\" (leading zeros count)",
	  .help = "mobile network code, 2 or 3 digits" },
	{ 0 }
};

const struct sd_config_key sd_cfg_zone_keys[] = {
	{ .name = "name", .type = SD_K_STR, .required = true, .min = 1,
	  SD_CONFIG_OF(struct sd_model, zone_name), .check = sd_config_check_text,
	  .help = "name of the pilot zone" },
	{ .name = "plmn", .type = SD_K_GROUP, .required = true, .sub = plmn_keys,
	  .enter = enter_plmn, .help = "PLMN of the zone's network" },
	{ 0 }
};

static const struct sd_config_key sla_keys[] = {
	{ .name = "latency_ms", .type = SD_K_SCALED, SD_CONFIG_OF(struct sd_sla_profile, latency_us),
	  .fmin = 0, .fmax = 3600000, .scale = 1000, .unit = "ms",
	  .help = "one-way end-to-end latency bound" },
	{ .name = "latency_pct", .type = SD_K_FLOAT, SD_CONFIG_OF(struct sd_sla_profile, latency_pct),
	  .fmin = 0, .fmax = 100, .unit = "%", .help = "percentile the bound holds at" },
	{ .name = "reliability_pct", .type = SD_K_FLOAT, SD_CONFIG_OF(struct sd_sla_profile, reliability_pct),
	  .fmin = 0, .fmax = 100, .unit = "%", .help = "packets delivered within the bound" },
	{ .name = "availability_pct", .type = SD_K_FLOAT,
	  SD_CONFIG_OF(struct sd_sla_profile, availability_pct), .fmin = 0, .fmax = 100, .unit = "%",
	  .help = "service availability per month" },
	{ .name = "gbr_ul_mbps", .type = SD_K_SCALED, SD_CONFIG_OF(struct sd_sla_profile, gbr_ul_kbps),
	  .fmin = 0, .fmax = 100000, .scale = 1000, .unit = "Mbit/s",
	  .help = "guaranteed uplink rate per UE" },
	{ .name = "gbr_dl_mbps", .type = SD_K_SCALED, SD_CONFIG_OF(struct sd_sla_profile, gbr_dl_kbps),
	  .fmin = 0, .fmax = 100000, .scale = 1000, .unit = "Mbit/s",
	  .help = "guaranteed downlink rate per UE" },
	{ .name = "mbr_ul_mbps", .type = SD_K_SCALED, SD_CONFIG_OF(struct sd_sla_profile, mbr_ul_kbps),
	  .fmin = 0, .fmax = 100000, .scale = 1000, .unit = "Mbit/s",
	  .help = "maximum uplink rate per UE" },
	{ .name = "mbr_dl_mbps", .type = SD_K_SCALED, SD_CONFIG_OF(struct sd_sla_profile, mbr_dl_kbps),
	  .fmin = 0, .fmax = 100000, .scale = 1000, .unit = "Mbit/s",
	  .help = "maximum downlink rate per UE" },
	{ .name = "max_ues", .type = SD_K_INT, SD_CONFIG_OF(struct sd_sla_profile, max_ues),
	  .min = 0, .max = 10000000, .help = "UEs the slice admits" },
	{ .name = "fiveqi", .type = SD_K_INT, SD_CONFIG_OF(struct sd_sla_profile, fiveqi),
	  .min = 0, .max = 255, .help = "5QI of the slice's main flow" },
	{ 0 }
};

static const struct sd_config_key cell_keys[] = {
	{ .name = "id", .type = SD_K_ID, .required = true, SD_CONFIG_OF(struct sd_cell, id), .help = "cell id" },
	{ .name = "name", .type = SD_K_STR, SD_CONFIG_OF(struct sd_cell, name), .check = sd_config_check_text,
	  .help = "display name" },
	{ .name = "nci", .type = SD_K_HEX, .required = true, .min = 9, SD_CONFIG_OF(struct sd_cell, nci),
	  .hint = "e.g. \"00a010001\" (gNB id and cell id)",
	  .help = "NR cell identity, 9 hex digits (36 bits)" },
	{ .name = "tac", .type = SD_K_HEX, .required = true, .min = 6, SD_CONFIG_OF(struct sd_cell, tac),
	  .hint = "e.g. \"000101\"", .help = "tracking area code, 6 hex digits (24 bits)" },
	{ .name = "x", .type = SD_K_FLOAT, SD_CONFIG_OF(struct sd_cell, x_m), .fmin = 0, .fmax = 100000,
	  .def = "0", .unit = "m", .help = "position on the site plan" },
	{ .name = "y", .type = SD_K_FLOAT, SD_CONFIG_OF(struct sd_cell, y_m), .fmin = 0, .fmax = 100000,
	  .def = "0", .unit = "m", .help = "position on the site plan" },
	{ .name = "pci", .type = SD_K_INT, SD_CONFIG_OF(struct sd_cell, pci), .min = 0, .max = 1007,
	  .def = "0", .help = "physical cell id" },
	{ .name = "antenna_height_m", .type = SD_K_FLOAT, SD_CONFIG_OF(struct sd_cell, antenna_height_m),
	  .fmin = 1, .fmax = 60, .def = "6", .unit = "m",
	  .help = "antenna above the floor (coverage prediction)" },
	{ .name = "tx_power_dbm", .type = SD_K_FLOAT, SD_CONFIG_OF(struct sd_cell, tx_power_dbm),
	  .fmin = 0, .fmax = 56, .def = "30", .unit = "dBm",
	  .help = "total transmit power of the carrier, antenna gain included" },
	{ .name = "carrier_ghz", .type = SD_K_FLOAT, SD_CONFIG_OF(struct sd_cell, carrier_ghz),
	  .fmin = 0.5, .fmax = 7.125, .def = "3.5", .unit = "GHz",
	  .help = "carrier frequency (FR1)" },
	{ .name = "bandwidth_mhz", .type = SD_K_INT, SD_CONFIG_OF(struct sd_cell, bandwidth_mhz),
	  .min = 5, .max = 100, .def = "100", .unit = "MHz",
	  .help = "channel bandwidth at 30 kHz subcarrier spacing" },
	{ .name = "ul_capacity_mbps", .type = SD_K_SCALED, SD_CONFIG_OF(struct sd_cell, ul_capacity_kbps),
	  .fmin = 0, .fmax = 100000, .scale = 1000, .def = "0", .unit = "Mbit/s",
	  .help = "uplink capacity admission control shares out; 0: slicing.cell_ul_capacity_mbps" },
	{ .name = "dl_capacity_mbps", .type = SD_K_SCALED, SD_CONFIG_OF(struct sd_cell, dl_capacity_kbps),
	  .fmin = 0, .fmax = 100000, .scale = 1000, .def = "0", .unit = "Mbit/s",
	  .help = "downlink capacity admission control shares out; 0: slicing.cell_dl_capacity_mbps" },
	{ 0 }
};

static const struct sd_config_key site_keys[] = {
	{ .name = "id", .type = SD_K_ID, .required = true, SD_CONFIG_OF(struct sd_site, id), .help = "site id" },
	{ .name = "name", .type = SD_K_STR, SD_CONFIG_OF(struct sd_site, name), .check = sd_config_check_text,
	  .help = "display name" },
	{ .name = "lat", .type = SD_K_FLOAT, .required = true, SD_CONFIG_OF(struct sd_site, lat),
	  .fmin = -90, .fmax = 90, .unit = "degrees", .help = "WGS84 latitude" },
	{ .name = "lon", .type = SD_K_FLOAT, .required = true, SD_CONFIG_OF(struct sd_site, lon),
	  .fmin = -180, .fmax = 180, .unit = "degrees", .help = "WGS84 longitude" },
	{ .name = "width_m", .type = SD_K_FLOAT, SD_CONFIG_OF(struct sd_site, width_m), .fmin = 1,
	  .fmax = 100000, .def = "100", .unit = "m", .help = "site plan width" },
	{ .name = "height_m", .type = SD_K_FLOAT, SD_CONFIG_OF(struct sd_site, height_m), .fmin = 1,
	  .fmax = 100000, .def = "100", .unit = "m", .help = "site plan height" },
	{ .name = "propagation", .type = SD_K_ENUM, SD_CONFIG_OF(struct sd_site, env),
	  .parse = sd_site_env_parse, .def = "hall", .choices = "hall, yard",
	  .help = "indoor factory hall (TR 38.901 InF) or outdoor yard (UMi)" },
	{ .name = "clutter_pct", .type = SD_K_FLOAT, SD_CONFIG_OF(struct sd_site, clutter_pct),
	  .fmin = 0, .fmax = 99, .def = "20", .unit = "%",
	  .help = "share of the hall's floor taken by machines and racks (40 and above: dense)" },
	{ .name = "clutter_height_m", .type = SD_K_FLOAT, SD_CONFIG_OF(struct sd_site, clutter_height_m),
	  .fmin = 0, .fmax = 25, .def = "2", .unit = "m",
	  .help = "typical clutter height; antennas above it are \"high\"" },
	{ .name = "clutter_size_m", .type = SD_K_FLOAT, SD_CONFIG_OF(struct sd_site, clutter_size_m),
	  .fmin = 0, .fmax = 50, .def = "0", .unit = "m",
	  .help = "typical clutter size; 0: 10 m when sparse, 2 m when dense" },
	{ .name = "cells", .type = SD_K_LIST, .sub = cell_keys, .elem_new = new_cell,
	  .elem_done = done_cell, .help = "NR cells" },
	{ 0 }
};

static const struct sd_config_key slice_keys[] = {
	{ .name = "id", .type = SD_K_ID, .required = true, SD_CONFIG_OF(struct sd_slice, id), .help = "slice id" },
	{ .name = "name", .type = SD_K_STR, SD_CONFIG_OF(struct sd_slice, name), .check = sd_config_check_text,
	  .help = "display name" },
	{ .name = "snssai", .type = SD_K_SNSSAI, .required = true, SD_CONFIG_OF(struct sd_slice, snssai),
	  .hint = "write it as a string, e.g. \"2-000101\"", .help = "S-NSSAI (SST or SST-SD)" },
	{ .name = "scenario", .type = SD_K_STR, .required = true, .check = sd_cfg_scenario_check,
	  .store = store_scenario, .help = "scenario template id" },
	{ .name = "dnn", .type = SD_K_STR, SD_CONFIG_OF(struct sd_slice, dnn), .check = check_dnn,
	  .help = "DNN; default: the factory's first" },
	{ .name = "state", .type = SD_K_ENUM, SD_CONFIG_OF(struct sd_slice, state),
	  .parse = sd_slice_state_parse, .def = "active",
	  .choices = "requested, admitted, active, suspended, decommissioned, rejected",
	  .help = "contract state" },
	{ .name = "sites", .type = SD_K_STRLIST, .store = store_slice_sites,
	  .help = "sites served; default: all of the factory's" },
	{ .name = "sla", .type = SD_K_GROUP, .sub = sla_keys, SD_CONFIG_OF(struct sd_slice, sla),
	  .help = "overrides of the scenario's SLA template" },
	{ 0 }
};

const struct sd_config_key sd_cfg_factory_keys[] = {
	{ .name = "id", .type = SD_K_ID, .required = true, SD_CONFIG_OF(struct sd_factory, id),
	  .help = "factory id" },
	{ .name = "name", .type = SD_K_STR, .required = true, .min = 1, SD_CONFIG_OF(struct sd_factory, name),
	  .check = sd_config_check_text, .help = "display name" },
	{ .name = "industry", .type = SD_K_STR, SD_CONFIG_OF(struct sd_factory, industry), .def = "",
	  .check = sd_config_check_text, .help = "industry" },
	{ .name = "zone", .type = SD_K_STR, SD_CONFIG_OF(struct sd_factory, zone), .check = sd_config_check_text,
	  .help = "county / park; default: zone.name" },
	{ .name = "mode", .type = SD_K_ENUM, .required = true, SD_CONFIG_OF(struct sd_factory, mode),
	  .parse = sd_pn_mode_parse, .choices = "virtual, hybrid, independent",
	  .help = "private network mode" },
	{ .name = "level", .type = SD_K_ENUM, .required = true, SD_CONFIG_OF(struct sd_factory, level),
	  .parse = sd_level_parse, .choices = "line, workshop, factory",
	  .help = "5G factory level" },
	{ .name = "security_grade", .type = SD_K_INT, .required = true,
	  SD_CONFIG_OF(struct sd_factory, security_grade), .min = 1, .max = 3,
	  .help = "industrial-internet security grade 1-3" },
	{ .name = "dnns", .type = SD_K_STRLIST, .required = true, .store = store_dnns,
	  .max_elems = SD_MAX_DNNS, .help = "data network names" },
	{ .name = "tariff", .type = SD_K_ID, SD_CONFIG_OF(struct sd_factory, tariff), .def = "",
	  .help = "tariff id; default: the mode's" },
	{ .name = "max_slices", .type = SD_K_INT, SD_CONFIG_OF(struct sd_factory, max_slices),
	  .min = 0, .max = 100000, .def = "0",
	  .help = "contracted slices (admitted, active, suspended) admission allows; 0: no limit" },
	{ .name = "max_ues", .type = SD_K_INT, SD_CONFIG_OF(struct sd_factory, max_ues),
	  .min = 0, .max = 100000000, .def = "0",
	  .help = "contracted UEs over those slices (their max_ues); 0: no limit" },
	{ .name = "sites", .type = SD_K_LIST, .sub = site_keys, .elem_new = new_site,
	  .elem_done = done_site, .help = "sites" },
	{ .name = "slices", .type = SD_K_LIST, .sub = slice_keys, .elem_new = new_slice,
	  .elem_done = done_slice, .help = "slices" },
	{ 0 }
};


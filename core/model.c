/* core/model.c — names of enums and lookups; see model.h. */
#include "core/model.h"

#include <stdlib.h>
#include <string.h>

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
const char *sd_nf_status_name(enum sd_nf_status s) { return name_of(nf_status_names, SD_ARRAY_LEN(nf_status_names), (int)s); }
int sd_pn_mode_parse(const char *s) { return parse_in(mode_names, SD_ARRAY_LEN(mode_names), s); }
int sd_level_parse(const char *s) { return parse_in(level_names, SD_ARRAY_LEN(level_names), s); }
int sd_slice_state_parse(const char *s) { return parse_in(state_names, SD_ARRAY_LEN(state_names), s); }

int sd_model_factory_index(const struct sd_model *m, const char *id)
{
	int i;
	for (i = 0; i < m->nfactories; i++)
		if (strcmp(m->factories[i].id, id) == 0)
			return i;
	return -1;
}

int sd_model_site_index(const struct sd_model *m, const char *id)
{
	int i;
	for (i = 0; i < m->nsites; i++)
		if (strcmp(m->sites[i].id, id) == 0)
			return i;
	return -1;
}

int sd_model_slice_index(const struct sd_model *m, const char *id)
{
	int i;
	for (i = 0; i < m->nslices; i++)
		if (strcmp(m->slices[i].id, id) == 0)
			return i;
	return -1;
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
	free(m);
}

bool sd_id_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= SD_ID_MAX)
		return false;
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") == n;
}

/* plugins/open5gs/o5gs_map.c — see o5gs_map.h. */
#include "plugins/open5gs/o5gs_map.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "plugins/open5gs/promtext.h"

enum what { W_SLICE, W_GNBS, W_RAN_UES, W_UES_ACTIVE, W_UPF_SESSIONS, W_N3_IN, W_N3_OUT };

struct fam_map {
	enum o5gs_nf nf;
	const char *family;
	enum what what;
};

static const struct fam_map fams[] = {
	{ O5GS_AMF, "fivegs_amffunction_rm_registeredsubnbr", W_SLICE },
	{ O5GS_AMF, "gnb", W_GNBS },
	{ O5GS_AMF, "ran_ue", W_RAN_UES },
	{ O5GS_SMF, "fivegs_smffunction_sm_sessionnbr", W_SLICE },
	{ O5GS_SMF, "ues_active", W_UES_ACTIVE },
	{ O5GS_PCF, "fivegs_pcffunction_pa_sessionnbr", W_SLICE },
	{ O5GS_UPF, "fivegs_ep_n3_gtp_indatavolumeqosleveln3upf", W_N3_IN },
	{ O5GS_UPF, "fivegs_ep_n3_gtp_outdatavolumeqosleveln3upf", W_N3_OUT },
	{ O5GS_UPF, "fivegs_upffunction_upf_sessionnbr", W_UPF_SESSIONS },
};

static const char *const nf_names[O5GS_NF_COUNT] = { "AMF", "SMF", "UPF", "PCF" };

const char *o5gs_nf_name(enum o5gs_nf nf)
{
	return (unsigned)nf < O5GS_NF_COUNT ? nf_names[nf] : "?";
}

int o5gs_nf_parse(const char *s)
{
	int i;
	for (i = 0; i < O5GS_NF_COUNT; i++)
		if (!strcasecmp(s, nf_names[i]))
			return i;
	return -1;
}

int o5gs_snssai_parse(const char *s, int *sst, char sd[7])
{
	int v = 0, n = 0, i;
	while (s[n] >= '0' && s[n] <= '9' && n < 4)
		v = v * 10 + (s[n++] - '0');
	if (n == 0 || v > 255 || (n > 1 && s[0] == '0'))
		return -1;
	*sst = v;
	sd[0] = 0;
	if (!s[n])
		return 0;
	if (s[n] != '-' || strlen(s + n + 1) != 6)
		return -1;
	for (i = 0; i < 6; i++) {
		char c = s[n + 1 + i];
		if (c >= 'A' && c <= 'F')
			c = (char)(c - 'A' + 'a');
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return -1;
		sd[i] = c;
	}
	sd[6] = 0;
	return 0;
}

struct ctx {
	enum o5gs_nf nf;
	const char *plmn;
	struct o5gs_scrape *out;
};

static void add(double *at, double v)
{
	*at = isnan(*at) ? v : *at + v;
}

static void note_skip(struct o5gs_scrape *o, const struct prom_sample *s, const char *why)
{
	if (!o->skipped++)
		snprintf(o->skipped_why, sizeof o->skipped_why, "line %d: %s: %s", s->line, s->name, why);
}

static int on_sample(const struct prom_sample *s, void *arg)
{
	struct ctx *c = arg;
	struct o5gs_scrape *o = c->out;
	const struct fam_map *fm = NULL;
	size_t i, n = strlen(s->name);
	o->samples++;
	for (i = 0; i < sizeof fams / sizeof fams[0]; i++) {
		size_t k = strlen(fams[i].family);
		if (fams[i].nf != c->nf || strncmp(s->name, fams[i].family, k))
			continue;
		if (n == k || (n == k + 6 && !strcmp(s->name + k, "_total"))) {
			fm = &fams[i];
			break;
		}
	}
	if (!fm)
		return 0;
	if (!(s->value >= 0 && s->value <= 1e15)) {   /* NaN, negative, absurd */
		note_skip(o, s, "not a count");
		return 0;
	}
	if (fm->what == W_SLICE) {
		const char *sn = prom_label(s, "snssai"), *pl = prom_label(s, "plmnid");
		int sst, j;
		char sd[7];
		if (c->plmn && c->plmn[0] && (!pl || strcmp(pl, c->plmn)))
			return 0;
		if (!sn || o5gs_snssai_parse(sn, &sst, sd) < 0) {
			note_skip(o, s, sn ? "snssai label is not SST or SST-SD" : "no snssai label");
			return 0;
		}
		for (j = 0; j < o->nper; j++)
			if (o->per[j].sst == sst && !strcmp(o->per[j].sd, sd))
				break;
		if (j == o->nper) {
			if (o->nper == O5GS_MAX_SNSSAI) {
				note_skip(o, s, "more S-NSSAIs than " "the plugin keeps");
				return 0;
			}
			o->per[j].sst = sst;
			memcpy(o->per[j].sd, sd, sizeof sd);
			o->per[j].value = 0;
			o->nper++;
		}
		o->per[j].value += s->value;
	} else {
		double *at = fm->what == W_GNBS ? &o->gnbs : fm->what == W_RAN_UES ? &o->ran_ues
			   : fm->what == W_UES_ACTIVE ? &o->ues_active
			   : fm->what == W_UPF_SESSIONS ? &o->upf_sessions
			   : fm->what == W_N3_IN ? &o->n3_in_bytes : &o->n3_out_bytes;
		add(at, s->value);
	}
	o->used++;
	return 0;
}

int o5gs_scrape_parse(enum o5gs_nf nf, const char *text, size_t len, const char *plmn,
		      struct o5gs_scrape *out, char *err, size_t errsz)
{
	struct ctx c = { nf, plmn, out };
	memset(out, 0, sizeof *out);
	out->gnbs = out->ran_ues = out->ues_active = out->upf_sessions = NAN;
	out->n3_in_bytes = out->n3_out_bytes = NAN;
	return prom_parse(text, len, 0, on_sample, &c, err, errsz) < 0 ? -1 : 0;
}

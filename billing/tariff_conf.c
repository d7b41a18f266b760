/* billing/tariff_conf.c — the `tariffs` section's key table, and the check
 * of each factory's tariff reference (the zone is core's; which tariffs
 * exist is billing's). See tariff_conf.h.
 */
#include "billing/tariff_conf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OF(field) SD_CONFIG_OF(struct sd_tariff, field)

static const char *check_currency(struct sd_config_ctx *x, const char *v)
{
	return strlen(v) == 3 && isupper((unsigned char)v[0]) && isupper((unsigned char)v[1]) &&
	       isupper((unsigned char)v[2]) ? NULL : "must be an ISO 4217 code such as \"CNY\"";
}

static void *new_tariff(struct sd_config_ctx *x, struct config_setting_t *e, void *parent)
{
	struct sd_tariff_conf *c = parent;
	c->tariffs = sd_config_grow(c->tariffs, c->ntariffs, &c->cap, sizeof *c->tariffs);
	return &c->tariffs[c->ntariffs++];
}

static void done_tariff(struct sd_config_ctx *x, struct config_setting_t *e, void *obj,
			const char *path)
{
	struct sd_tariff_conf *c = sd_config_section_data(sd_config_ctx_config(x),
							  &sd_tariff_section);
	const struct sd_tariff *t = obj;
	sd_config_unique(x, "tariff", e, "id", (int)(t - c->tariffs), path, "tariff id");
}

static const struct sd_config_key tariff_keys[] = {
	{ .name = "id", .type = SD_K_ID, .required = true, OF(id),
	  .help = "tariff id" },
	{ .name = "mode", .type = SD_K_ENUM, .required = true, OF(mode),
	  .parse = sd_pn_mode_parse, .choices = "virtual, hybrid, independent",
	  .help = "network mode it prices" },
	{ .name = "currency", .type = SD_K_STR, OF(currency), .def = "CNY",
	  .check = check_currency, .help = "ISO 4217 currency" },
	{ .name = "monthly_fee", .type = SD_K_MONEY, .required = true,
	  OF(monthly_fee), .max = 1000000000000000LL, .unit = "fen",
	  .help = "fee per month" },
	{ .name = "per_slice_fee", .type = SD_K_MONEY, OF(per_slice_fee),
	  .max = 1000000000000000LL, .def = "0", .unit = "fen",
	  .help = "per active slice per month" },
	{ .name = "per_gb", .type = SD_K_MONEY, OF(per_gb),
	  .max = 1000000000000000LL, .def = "0", .unit = "fen",
	  .help = "per GB beyond the allowance" },
	{ .name = "included_gb", .type = SD_K_INT, OF(included_gb),
	  .min = 0, .max = 1000000000LL, .def = "0", .unit = "GB",
	  .help = "GB included per month" },
	{ .name = "sla_credit_pct", .type = SD_K_INT, OF(sla_credit_pct),
	  .min = 0, .max = 100, .def = "0", .unit = "%",
	  .help = "credit per missed SLA KPI" },
	{ .name = "lease_fee", .type = SD_K_MONEY, OF(lease_fee),
	  .max = 1000000000000000LL, .def = "0", .unit = "fen",
	  .help = "monthly lease of an on-premises UPF/MEC (hybrid)" },
	{ .name = "vat_service_pct", .type = SD_K_INT, OF(vat_service_pct),
	  .min = 0, .max = 100, .def = "6", .unit = "%",
	  .help = "VAT on fees and data (telecom value-added services)" },
	{ .name = "vat_lease_pct", .type = SD_K_INT, OF(vat_lease_pct),
	  .min = 0, .max = 100, .def = "13", .unit = "%",
	  .help = "VAT on the equipment lease" },
	{ 0 }
};


/* After every section: each factory's tariff must exist and price the
 * factory's network mode. */
static void check_factories(struct sd_config_ctx *x, void *data)
{
	const struct sd_tariff_conf *c = data;
	const struct sd_model *m = sd_config_ctx_model(x);
	int i;

	for (i = 0; i < m->nfactories; i++) {
		const struct sd_factory *f = &m->factories[i];
		struct config_setting_t *e = sd_config_factory_setting(x, i), *s;
		const struct sd_tariff *t;
		char cp[512];
		int k;

		if (!f->tariff[0] || !e)
			continue;
		s = sd_config_member(e, "tariff");
		/* the element's name in messages, as the loader gives it */
		if (f->id[0])
			snprintf(cp, sizeof cp, "factories[%s].tariff", f->id);
		else
			snprintf(cp, sizeof cp, "factories[%d].tariff", i);
		k = sd_config_find(x, "tariff", f->tariff);
		t = k >= 0 ? &c->tariffs[k] : NULL;
		if (!t)
			sd_config_err(x, s ? s : e, cp, "unknown tariff \"%s\"", f->tariff);
		else if (t->mode != f->mode)
			sd_config_err(x, s ? s : e, cp, "tariff \"%s\" is for %s networks; factory "
				      "\"%s\" is %s", f->tariff, sd_pn_mode_name(t->mode), f->id,
				      sd_pn_mode_name(f->mode));
	}
}

static void tariff_release(void *data)
{
	struct sd_tariff_conf *c = data;
	free(c->tariffs);
}

static void tariff_summary(const void *data, char *buf, size_t n)
{
	const struct sd_tariff_conf *c = data;
	snprintf(buf, n, "%d %s", c->ntariffs, c->ntariffs == 1 ? "tariff" : "tariffs");
}

const struct sd_config_section sd_tariff_section = {
	.key = { .name = "tariffs", .type = SD_K_LIST, .sub = tariff_keys,
		 .elem_new = new_tariff, .elem_done = done_tariff, .help = "tariffs" },
	.data_size = sizeof(struct sd_tariff_conf),
	.check = check_factories,
	.release = tariff_release,
	.summary = tariff_summary,
};

const struct sd_tariff_conf *sd_tariff_conf_get(const struct sd_config *c)
{
	return sd_config_section_data(c, &sd_tariff_section);
}

const struct sd_tariff *sd_tariff_find(const struct sd_tariff_conf *t, const char *id)
{
	int i;
	for (i = 0; t && i < t->ntariffs; i++)
		if (strcmp(t->tariffs[i].id, id) == 0)
			return &t->tariffs[i];
	return NULL;
}

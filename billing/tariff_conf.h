/* billing/tariff_conf.h — the `tariffs` configuration section: what each
 * network mode is priced at (the billing issue rates usage with it). The
 * section registers through sd_tariff_section (listed in
 * engine/config_sections.c) and also checks each factory's `tariff`
 * reference; code reads it with sd_tariff_conf_get(). Tariffs are a list:
 * live, a reload brings the new prices.
 */
#ifndef SD_TARIFF_CONF_H
#define SD_TARIFF_CONF_H

#include <stdint.h>

#include "core/config.h"

/* Money in integer minor units (fen). */
struct sd_tariff {
	char id[SD_ID_MAX];
	enum sd_pn_mode mode;
	char currency[4];          /* ISO 4217, "CNY" */
	int64_t monthly_fee;       /* minor units per month */
	int64_t per_slice_fee;     /* minor units per active slice per month */
	int64_t per_gb;            /* minor units per GB (10^9 bytes) beyond the allowance */
	int64_t included_gb;       /* GB included per month */
	int64_t sla_credit_pct;    /* % of the monthly fee credited per missed SLA KPI */
	int64_t lease_fee;         /* minor units per month: on-premises UPF/MEC lease */
	int64_t vat_service_pct;   /* VAT on the service lines, % (6) */
	int64_t vat_lease_pct;     /* VAT on the lease line, % (13) */
};

struct sd_tariff_conf {
	struct sd_tariff *tariffs;   /* owned */
	int ntariffs;
	int cap;
};

extern const struct sd_config_section sd_tariff_section;

/* The configuration's tariffs, NULL when c has no such section. */
const struct sd_tariff_conf *sd_tariff_conf_get(const struct sd_config *c);
/* The tariff with this id, NULL when there is none. */
const struct sd_tariff *sd_tariff_find(const struct sd_tariff_conf *t, const char *id);

#endif

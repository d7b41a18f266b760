/* slicing/admission.h — admission control: whether the zone can carry a
 * slice, before anything is provisioned and again on every change. Pure:
 * it reads the model and a configuration, changes neither.
 *
 * Checks, each reported with its numbers when it fails (every failure is
 * named, not only the first):
 *
 *   S-NSSAI    unique in the PLMN among the slices that hold one
 *              (admitted, active, suspended; configured ones in any state
 *              but rejected and decommissioned); without a given SD, the
 *              lowest free SD of slicing.sd_range for the SST is allocated;
 *   contract   the factory's max_slices over its admitted, active and
 *              suspended slices with this one, and max_ues over their
 *              max_ues (0 = no limit);
 *   capacity   per cell the slice serves (its sites' cells; all of the
 *              factory's when it names none), UL and DL separately: the
 *              guaranteed rates of the admitted and active slices there
 *              plus this one's stay within slicing.capacity_share_pct of
 *              the cell's capacity. A slice's GBR is counted in full on
 *              each of its cells (its UEs may all be in one); a direction
 *              the slice guarantees nothing in is not checked;
 *   mode       the catalog's rules (slicing/catalog.h) for its scenario,
 *              and a bound of 10 ms or less on a virtual network;
 *   security   the catalog's security-grade rule;
 *   sites      each site is the factory's.
 *
 * The slice being changed (slice_id) does not count against itself.
 */
#ifndef SD_ADMISSION_H
#define SD_ADMISSION_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "core/model.h"
#include "slicing/slicing_conf.h"

enum sd_adm_check {
	SD_ADM_SNSSAI,
	SD_ADM_CONTRACT_SLICES,
	SD_ADM_CONTRACT_UES,
	SD_ADM_CELL_UL,
	SD_ADM_CELL_DL,
	SD_ADM_MODE,
	SD_ADM_SECURITY,
	SD_ADM_SITES,
	SD_ADM_CHECK_COUNT
};
/* "snssai", "contract_slices", "cell_ul", ... */
const char *sd_adm_check_name(enum sd_adm_check c);

#define SD_ADM_TEXT 200
#define SD_ADM_MAX_FAIL 32

struct sd_adm_failure {
	enum sd_adm_check check;
	char text[SD_ADM_TEXT];    /* "cell bhm-y2 UL: 92.0 of 100.0 Mbit/s guaranteed, ..." */
};

struct sd_adm_result {
	int nfail;                 /* recorded failures, at most SD_ADM_MAX_FAIL */
	int nmore;                 /* failures past the cap, counted only */
	struct sd_adm_failure fail[SD_ADM_MAX_FAIL];
	struct sd_snssai snssai;   /* the S-NSSAI to use: given, or allocated */
	bool sd_allocated;
	int ncells;                /* cells whose capacity was checked */
};

struct sd_adm_request {
	const char *slice_id;      /* the slice being changed, NULL for a new one */
	int factory;               /* index into the model */
	const struct sd_scenario *scenario;   /* NULL: no catalog rules */
	bool has_snssai;           /* snssai given (with or without an SD) */
	struct sd_snssai snssai;
	uint8_t sst;               /* !has_snssai: the SST the SD is allocated for */
	const int *sites;          /* site indexes; nsites 0: all of the factory's */
	int nsites;
	struct sd_sla_profile sla;
};

/* true when admitted (out->nfail == 0). out is always filled. */
bool sd_admission_check(const struct sd_model *m, const struct sd_slicing_conf *c,
			const struct sd_adm_request *r, struct sd_adm_result *out);

/* "92.0", "20.001": kbit/s as Mbit/s, one decimal unless more are needed. */
char *sd_adm_mbps(uint64_t kbps, char *buf, size_t bufsz);

/* {admitted, snssai, sd_allocated, cells_checked, failures: [{check, text}],
 * failures_not_listed} */
json_t *sd_adm_result_json(const struct sd_adm_result *r);
/* The failures joined with "; " into buf (for an error message). */
void sd_adm_result_text(const struct sd_adm_result *r, char *buf, size_t bufsz);

/* Whether a slice's state holds S-NSSAI, contract and capacity. */
bool sd_adm_holds_snssai(const struct sd_slice *s);
bool sd_adm_holds_contract(enum sd_slice_state st);
bool sd_adm_holds_capacity(enum sd_slice_state st);

#endif

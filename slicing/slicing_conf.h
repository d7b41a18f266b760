/* slicing/slicing_conf.h — the `slicing` configuration section: what
 * admission control allocates and shares out (slicing/admission.h).
 *
 * Every key is live: a reload applies it to the next admission. The
 * per-factory contract limits (factories.max_slices, max_ues) and per-cell
 * capacities (factories.sites.cells.ul_capacity_mbps, dl_capacity_mbps)
 * are keys of the zone's own objects; these are the zone-wide ones.
 */
#ifndef SD_SLICING_CONF_H
#define SD_SLICING_CONF_H

#include <stdint.h>

#include "core/config.h"

struct sd_slicing_conf {
	char sd_range[16];            /* as written, "f00000-f0ffff" */
	uint32_t sd_lo, sd_hi;        /* the range SDs are allocated from, inclusive */
	int capacity_share_pct;       /* share of a cell's capacity GBRs may take */
	uint64_t cell_ul_kbps;        /* a cell's capacity when it states none */
	uint64_t cell_dl_kbps;
};

extern const struct sd_config_section sd_slicing_section;

/* The configuration's section; the defaults when c has none. Never NULL. */
const struct sd_slicing_conf *sd_slicing_conf_get(const struct sd_config *c);
/* "f00000-f0ffff" -> lo, hi; NULL, or what is wrong. */
const char *sd_sd_range_parse(const char *s, uint32_t *lo, uint32_t *hi);

#endif

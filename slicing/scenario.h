/* slicing/scenario.h — the catalog of the pilot-zone guide's 20 typical
 * "5G + Industrial Internet" scenarios, each a slice template.
 *
 * The scenarios are MIIT's 20 typical "5G + Industrial Internet" ones;
 * each number's source is named by a key in the entry's .sources: Q = TS
 * 23.501 Table 5.7.4-1 (standardised 5QIs), 104-* = TS 22.104 use cases,
 * 261-* = TS 22.261, 847-* = TR 22.847, GST = GSMA NG.116, SST = TS 23.501
 * §5.15.2.2, EST = our estimate (no source found). Rates are kbit/s per UE, latency is microseconds.
 * The catalog is a const table; entries never move, so callers may keep
 * the pointers for the life of the process.
 */
#ifndef SD_SCENARIO_H
#define SD_SCENARIO_H

#include <stddef.h>

#include "core/model.h"

/* Bits for struct sd_scenario.modes. */
#define SD_MODE_BIT(m) (1u << (m))

/* By id ("machine-vision-qc"); NULL when unknown. */
const struct sd_scenario *sd_scenario_find(const char *id);
/* The i-th entry in MIIT order (0-based); NULL past the end. */
const struct sd_scenario *sd_scenario_at(size_t i);
size_t sd_scenario_count(void);
/* true when the template suits a network of mode m. */
bool sd_scenario_suits(const struct sd_scenario *s, enum sd_pn_mode m);

#endif

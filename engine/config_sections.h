/* engine/config_sections.h — every configuration section of the program,
 * in one place. The engine (slicedeckd) and the simulator (slicedeck-sim,
 * which reads the same file and must accept every key) load with
 * sd_slicedeck_schema; core/ itself knows only its own sections.
 */
#ifndef SD_CONFIG_SECTIONS_H
#define SD_CONFIG_SECTIONS_H

#include "core/config_keys.h"

/* The module sections, NULL-terminated, in load (and summary) order. */
extern const struct sd_config_section *const sd_config_sections[];
/* Those sections and the slicing/ scenario catalog. */
extern const struct sd_config_schema sd_slicedeck_schema;

#endif

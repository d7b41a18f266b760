/* engine/config_sections.c — see config_sections.h. A module with a
 * configuration section adds one line here; the order is that of the
 * --check-config summary's items (SNMP targets before tariffs). */
#include "engine/config_sections.h"

#include <stddef.h>

#include "billing/tariff_conf.h"
#include "engine/plugin_conf.h"
#include "monitor/monitor_conf.h"
#include "slicing/scenario.h"
#include "slicing/slicing_conf.h"
#include "snmp/snmp_conf.h"

const struct sd_config_section *const sd_config_sections[] = {
	&sd_monitor_section,
	&sd_snmp_section,
	&sd_tariff_section,
	&sd_plugin_section,
	&sd_slicing_section,
	NULL
};

const struct sd_config_schema sd_slicedeck_schema = {
	.sections = sd_config_sections,
	.scenario_find = sd_scenario_find,
	.scenario_suits = sd_scenario_suits,
};

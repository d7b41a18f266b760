/* snmp/snmp_conf.h — the `snmp` configuration section: trap and inform
 * receivers (the SNMP issue gives them life; today they are checked and
 * counted). The section registers through sd_snmp_section (listed in
 * engine/config_sections.c); code reads it with sd_snmp_conf_get().
 * Targets are a list: live, a reload brings the new list.
 */
#ifndef SD_SNMP_CONF_H
#define SD_SNMP_CONF_H

#include <stdbool.h>

#include "core/config.h"

enum sd_snmp_version { SD_SNMP_V2C, SD_SNMP_V3 };

/* A trap/inform receiver. */
struct sd_snmp_target {
	char name[SD_ID_MAX];
	char host[128];
	int port;
	enum sd_snmp_version version;
	bool inform;
	char community[64];     /* v2c; a secret */
	char user[64];          /* v3 */
	char auth_proto[8];     /* "SHA", "SHA-256", ... */
	char auth_pass[128];    /* a secret */
	char priv_proto[8];     /* "AES", "AES-256" */
	char priv_pass[128];    /* a secret */
};

struct sd_snmp_conf {
	struct sd_snmp_target *targets;   /* owned; wiped when freed */
	int ntargets;
	int cap;
};

extern const struct sd_config_section sd_snmp_section;

/* The configuration's SNMP section, NULL when c has none. */
const struct sd_snmp_conf *sd_snmp_conf_get(const struct sd_config *c);

#endif

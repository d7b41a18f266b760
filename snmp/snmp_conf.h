/* snmp/snmp_conf.h — the `snmp` configuration section: trap and inform
 * receivers with their security, queue and rate limit, the heartbeat and
 * storm-summary intervals, and the engine's own v3 engine ID. The section
 * registers through sd_snmp_section (listed in engine/config_sections.c);
 * code reads it with sd_snmp_conf_get(). Everything is live: a reload
 * brings the new list (snmp/snmp_sink.h re-opens the sessions).
 */
#ifndef SD_SNMP_CONF_H
#define SD_SNMP_CONF_H

#include <stdbool.h>

#include "core/config.h"

enum sd_snmp_version { SD_SNMP_V2C, SD_SNMP_V3 };
enum sd_snmp_seclevel { SD_SNMP_AUTHPRIV, SD_SNMP_AUTHNOPRIV, SD_SNMP_NOAUTH };

#define SD_SNMP_ENGINE_ID_MAX 32   /* octets (RFC 3411: 5..32) */

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
	enum sd_snmp_seclevel security;   /* v3; authPriv unless told */
	bool allow_insecure;    /* noAuthNoPriv is refused without it */
	char engine_id[2 + 2 * SD_SNMP_ENGINE_ID_MAX + 1];  /* v3 informs: the
				 * receiver's, "0x8000..."; "" unset */
	int timeout_ms;         /* informs: per try */
	int retries;            /* informs: tries after the first */
	int queue;              /* notifications waiting at most */
	int rate;               /* storm guard: notifications per second ... */
	int burst;              /* ... with bursts of up to this many */
};

struct sd_snmp_conf {
	struct sd_snmp_target *targets;   /* owned; wiped when freed */
	int ntargets;
	int cap;
	int heartbeat_s;        /* sdHeartbeat interval; 0 = none */
	int storm_interval_s;   /* one sdStormSummary per interval at most */
	char engine_id[2 + 2 * SD_SNMP_ENGINE_ID_MAX + 1];  /* ours; "" = made
				 * once and kept in the state directory */
	char agentx_socket[256];  /* the master agent; "" = no subagent */
	int agentx_retry_s;     /* ping / reconnect interval */
};

/* "0x80007ed903..." (or without 0x) into bytes; returns the length
 * (5..32), or -1 when s is not an engine ID. */
int sd_snmp_engine_id_parse(const char *s, unsigned char *out, size_t outsz);

extern const struct sd_config_section sd_snmp_section;

/* The configuration's SNMP section, NULL when c has none. */
const struct sd_snmp_conf *sd_snmp_conf_get(const struct sd_config *c);

#endif

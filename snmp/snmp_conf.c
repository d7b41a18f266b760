/* snmp/snmp_conf.c — the `snmp` section's key table and checks; see
 * snmp_conf.h. Communities and passphrases are secrets: the loader refuses
 * a file holding one that others can read, and they are wiped when the
 * configuration is freed.
 */
#include "snmp/snmp_conf.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define OF(field) SD_CONFIG_OF(struct sd_snmp_target, field)

static const char *check_host(struct sd_config_ctx *x, const char *v)
{
	size_t i;
	for (i = 0; v[i]; i++)
		if (!isalnum((unsigned char)v[i]) && !strchr(".-:_[]", v[i]))
			return "must be a host name or an IPv4/IPv6 address";
	return NULL;
}

static int parse_snmp_version(const char *s)
{
	return sd_streq(s, "2c") ? SD_SNMP_V2C : sd_streq(s, "3") ? SD_SNMP_V3 : -1;
}

static const char *check_auth_proto(struct sd_config_ctx *x, const char *v)
{
	static const char *const p[] = { "MD5", "SHA", "SHA-224", "SHA-256", "SHA-384", "SHA-512" };
	size_t i;
	for (i = 0; i < SD_ARRAY_LEN(p); i++)
		if (sd_streq(v, p[i]))
			return NULL;
	return "not one of: MD5, SHA, SHA-224, SHA-256, SHA-384, SHA-512";
}

static const char *check_priv_proto(struct sd_config_ctx *x, const char *v)
{
	static const char *const p[] = { "DES", "AES", "AES-192", "AES-256" };
	size_t i;
	for (i = 0; i < SD_ARRAY_LEN(p); i++)
		if (sd_streq(v, p[i]))
			return NULL;
	return "not one of: DES, AES, AES-192, AES-256";
}

static int parse_seclevel(const char *s)
{
	return sd_streq(s, "authPriv") ? SD_SNMP_AUTHPRIV
	     : sd_streq(s, "authNoPriv") ? SD_SNMP_AUTHNOPRIV
	     : sd_streq(s, "noAuthNoPriv") ? SD_SNMP_NOAUTH : -1;
}

int sd_snmp_engine_id_parse(const char *s, unsigned char *out, size_t outsz)
{
	size_t n = 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	while (s[0] && s[1]) {
		unsigned v;
		if (!isxdigit((unsigned char)s[0]) || !isxdigit((unsigned char)s[1]) ||
		    n >= outsz || n >= SD_SNMP_ENGINE_ID_MAX)
			return -1;
		if (sscanf(s, "%2x", &v) != 1)
			return -1;
		out[n++] = (unsigned char)v;
		s += 2;
	}
	if (*s || n < 5)
		return -1;
	return (int)n;
}

static const char *check_engine_id(struct sd_config_ctx *x, const char *v)
{
	unsigned char b[SD_SNMP_ENGINE_ID_MAX];
	if (sd_snmp_engine_id_parse(v, b, sizeof b) < 0)
		return "must be an engine ID: 5 to 32 octets in hexadecimal, e.g. "
		       "\"0x80001f8804736c696365\"";
	return NULL;
}

static void *new_snmp(struct sd_config_ctx *x, struct config_setting_t *e, void *parent)
{
	struct sd_snmp_conf *c = parent;
	c->targets = sd_config_grow(c->targets, c->ntargets, &c->cap, sizeof *c->targets);
	return &c->targets[c->ntargets++];
}

static void note_secret(struct sd_config_ctx *x, struct config_setting_t *e, const char *key)
{
	sd_config_note_secret(x, sd_config_member(e, key),
			      strcmp(key, "community") == 0 ? "snmp community"
			      : "snmp v3 passphrases");
}

static void err_missing(struct sd_config_ctx *x, struct config_setting_t *e, const char *path,
			const char *key, const char *why)
{
	char cp[512];
	sd_config_child_path(cp, sizeof cp, path, key);
	if (!sd_config_member(e, key))
		sd_config_err(x, e, cp, "%s", why);
}

static void err_present(struct sd_config_ctx *x, struct config_setting_t *e, const char *path,
			const char *key, const char *why)
{
	char cp[512];
	struct config_setting_t *s = sd_config_member(e, key);
	sd_config_child_path(cp, sizeof cp, path, key);
	if (s)
		sd_config_err(x, s, cp, "%s", why);
}

/* The v3 keys by security level: what each level needs and refuses. */
static void check_v3(struct sd_config_ctx *x, struct config_setting_t *e,
		     const struct sd_snmp_target *t, const char *path)
{
	err_missing(x, e, path, "user", t->security == SD_SNMP_AUTHPRIV
		    ? "version \"3\" (authPriv) needs user" : "version \"3\" needs user");
	if (t->security == SD_SNMP_AUTHPRIV) {
		err_missing(x, e, path, "auth_pass", "version \"3\" (authPriv) needs auth_pass");
		err_missing(x, e, path, "priv_pass", "version \"3\" (authPriv) needs priv_pass");
	} else if (t->security == SD_SNMP_AUTHNOPRIV) {
		err_missing(x, e, path, "auth_pass", "security \"authNoPriv\" needs auth_pass");
		err_present(x, e, path, "priv_pass", "security \"authNoPriv\" sends in clear: "
			    "remove priv_pass, or use security \"authPriv\"");
		err_present(x, e, path, "priv_proto", "security \"authNoPriv\" has no privacy "
			    "protocol");
	} else {
		char cp[512];
		sd_config_child_path(cp, sizeof cp, path, "security");
		if (!t->allow_insecure)
			sd_config_err(x, sd_config_member(e, "security"), cp,
				      "\"noAuthNoPriv\" sends alarms unauthenticated and in clear; "
				      "set allow_insecure = true to accept that");
		err_present(x, e, path, "auth_pass", "security \"noAuthNoPriv\" takes no auth_pass");
		err_present(x, e, path, "priv_pass", "security \"noAuthNoPriv\" takes no priv_pass");
	}
	if (t->inform)
		err_missing(x, e, path, "engine_id", "a v3 inform needs the receiver's engine_id "
			    "(its exactEngineID): net-snmp would otherwise stop the engine to "
			    "discover it");
}

static void done_snmp(struct sd_config_ctx *x, struct config_setting_t *e, void *obj,
		      const char *path)
{
	static const char *const v3keys[] = { "user", "auth_proto", "auth_pass",
					      "priv_proto", "priv_pass", "security",
					      "engine_id", "allow_insecure" };
	const struct sd_snmp_target *t = obj;
	char cp[512];
	size_t k;

	sd_config_unique(x, "snmp target", e, "name", 0, path, "SNMP target name");
	if (t->version == SD_SNMP_V2C) {
		sd_config_child_path(cp, sizeof cp, path, "community");
		if (!sd_config_member(e, "community"))
			sd_config_err(x, e, cp, "version \"2c\" needs a community");
		for (k = 0; k < SD_ARRAY_LEN(v3keys); k++) {
			struct config_setting_t *s = sd_config_member(e, v3keys[k]);
			sd_config_child_path(cp, sizeof cp, path, v3keys[k]);
			if (s)
				sd_config_err(x, s, cp, "applies to version \"3\" only");
		}
	} else {
		struct config_setting_t *s = sd_config_member(e, "community");
		sd_config_child_path(cp, sizeof cp, path, "community");
		if (s)
			sd_config_err(x, s, cp, "applies to version \"2c\" only; version 3 uses "
			     "user/auth_pass/priv_pass");
		check_v3(x, e, t, path);
	}
	if (!t->inform) {
		err_present(x, e, path, "timeout_ms", "applies to informs only (inform = true)");
		err_present(x, e, path, "retries", "applies to informs only (inform = true)");
	}
	note_secret(x, e, "community");
	note_secret(x, e, "auth_pass");
	note_secret(x, e, "priv_pass");
}

static const struct sd_config_key snmp_target_keys[] = {
	{ .name = "name", .type = SD_K_ID, .required = true, OF(name),
	  .help = "target name" },
	{ .name = "host", .type = SD_K_STR, .required = true, .min = 1,
	  OF(host), .check = check_host, .help = "receiver" },
	{ .name = "port", .type = SD_K_INT, OF(port), .min = 1,
	  .max = 65535, .def = "162", .help = "UDP port" },
	{ .name = "version", .type = SD_K_ENUM, OF(version),
	  .parse = parse_snmp_version, .choices = "2c, 3", .def = "2c",
	  .hint = "write it as a string: \"2c\" or \"3\"", .help = "SNMP version" },
	{ .name = "inform", .type = SD_K_BOOL, OF(inform), .def = "false",
	  .help = "send informs (acknowledged) instead of traps" },
	{ .name = "community", .type = SD_K_STR, .min = 1, OF(community),
	  .help = "v2c community (a secret)" },
	{ .name = "user", .type = SD_K_STR, .min = 1, OF(user),
	  .check = sd_config_check_text, .help = "v3 USM user" },
	{ .name = "security", .type = SD_K_ENUM, OF(security), .parse = parse_seclevel,
	  .choices = "authPriv, authNoPriv, noAuthNoPriv", .def = "authPriv",
	  .help = "v3 security level" },
	{ .name = "allow_insecure", .type = SD_K_BOOL, OF(allow_insecure), .def = "false",
	  .help = "accept security \"noAuthNoPriv\" (alarms unauthenticated, in clear)" },
	{ .name = "engine_id", .type = SD_K_STR, OF(engine_id), .check = check_engine_id,
	  .help = "v3 informs: the receiver's engine ID (hex); required for them" },
	{ .name = "auth_proto", .type = SD_K_STR, OF(auth_proto),
	  .check = check_auth_proto, .def = "SHA-256", .help = "v3 authentication protocol" },
	{ .name = "auth_pass", .type = SD_K_STR, .min = 8, OF(auth_pass),
	  .help = "v3 authentication passphrase, 8+ characters (a secret)" },
	{ .name = "priv_proto", .type = SD_K_STR, OF(priv_proto),
	  .check = check_priv_proto, .def = "AES", .help = "v3 privacy protocol" },
	{ .name = "priv_pass", .type = SD_K_STR, .min = 8, OF(priv_pass),
	  .help = "v3 privacy passphrase, 8+ characters (a secret)" },
	{ .name = "timeout_ms", .type = SD_K_INT, OF(timeout_ms), .min = 10, .max = 60000,
	  .def = "1000", .unit = "ms", .help = "informs: wait this long for the acknowledgement" },
	{ .name = "retries", .type = SD_K_INT, OF(retries), .min = 0, .max = 10, .def = "2",
	  .help = "informs: send again this many times before giving up" },
	{ .name = "queue", .type = SD_K_INT, OF(queue), .min = 1, .max = 100000, .def = "1000",
	  .help = "notifications that may wait for this receiver; more are dropped and counted" },
	{ .name = "rate", .type = SD_K_INT, OF(rate), .min = 1, .max = 100000, .def = "200",
	  .unit = "/s", .help = "storm guard: notifications per second (critical alarms "
	  "are never held back)" },
	{ .name = "burst", .type = SD_K_INT, OF(burst), .min = 1, .max = 100000, .def = "400",
	  .help = "storm guard: notifications sent at once before the rate applies" },
	{ 0 }
};

static const char *check_agentx_socket(struct sd_config_ctx *x, const char *v)
{
	if (v[0] == '/' || strncmp(v, "tcp:", 4) == 0 || strncmp(v, "unix:", 5) == 0 ||
	    strncmp(v, "tcp6:", 5) == 0)
		return sd_config_check_text(x, v);
	return "must be a socket path (\"/var/agentx/master\") or \"tcp:HOST:PORT\"";
}

static const struct sd_config_key agentx_keys[] = {
	{ .name = "socket", .type = SD_K_STR, .restart = true,
	  .off = offsetof(struct sd_snmp_conf, agentx_socket),
	  .size = sizeof(((struct sd_snmp_conf *)0)->agentx_socket), .check = check_agentx_socket,
	  .def = "", .help = "the master agent's AgentX socket (snmpd's agentXSocket); "
	  "\"\": no subagent" },
	{ .name = "retry", .type = SD_K_INT, .restart = true,
	  .off = offsetof(struct sd_snmp_conf, agentx_retry_s), .size = sizeof(int),
	  .min = 1, .max = 3600, .def = "15", .unit = "s",
	  .help = "ping the master this often; reconnect when it went away" },
	{ 0 }
};

static const struct sd_config_key snmp_keys[] = {
	{ .name = "targets", .type = SD_K_LIST, .sub = snmp_target_keys, .elem_new = new_snmp,
	  .elem_done = done_snmp, .help = "trap/inform receivers" },
	{ .name = "heartbeat", .type = SD_K_INT, .off = offsetof(struct sd_snmp_conf, heartbeat_s),
	  .size = sizeof(int), .min = 0, .max = 86400, .def = "60", .unit = "s",
	  .help = "sdHeartbeat to every receiver at this interval; 0: none" },
	{ .name = "storm_interval", .type = SD_K_INT,
	  .off = offsetof(struct sd_snmp_conf, storm_interval_s), .size = sizeof(int),
	  .min = 1, .max = 3600, .def = "10", .unit = "s",
	  .help = "at most one sdStormSummary per receiver per interval" },
	{ .name = "engine_id", .type = SD_K_STR, .off = offsetof(struct sd_snmp_conf, engine_id),
	  .size = sizeof(((struct sd_snmp_conf *)0)->engine_id), .check = check_engine_id,
	  .help = "the engine's own SNMPv3 engine ID (hex); default: made once, kept in "
		  "the state directory (snmp-engine-id)" },
	{ .name = "agentx", .type = SD_K_GROUP, .sub = agentx_keys,
	  .help = "the AgentX subagent serving SLICEDECK-MIB's tables" },
	{ 0 }
};

static void snmp_release(void *data)
{
	struct sd_snmp_conf *c = data;
	if (c->targets)
		explicit_bzero(c->targets, sizeof *c->targets * (size_t)c->cap);
	free(c->targets);
}

static void snmp_summary(const void *data, char *buf, size_t n)
{
	const struct sd_snmp_conf *c = data;
	snprintf(buf, n, "%d SNMP %s", c->ntargets, c->ntargets == 1 ? "target" : "targets");
}

const struct sd_config_section sd_snmp_section = {
	.key = { .name = "snmp", .type = SD_K_GROUP, .sub = snmp_keys,
		 .help = "SNMP notifications" },
	.data_size = sizeof(struct sd_snmp_conf),
	.release = snmp_release,
	.summary = snmp_summary,
};

const struct sd_snmp_conf *sd_snmp_conf_get(const struct sd_config *c)
{
	return sd_config_section_data(c, &sd_snmp_section);
}


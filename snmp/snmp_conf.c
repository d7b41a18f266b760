/* snmp/snmp_conf.c — the `snmp` section's key table and checks; see
 * snmp_conf.h. Communities and passphrases are secrets: the loader refuses
 * a file holding one that others can read, and they are wiped when the
 * configuration is freed.
 */
#include "snmp/snmp_conf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define OF(field) SD_CONFIG_OF(struct sd_snmp_target, field)

static const char *check_host(struct sd_config_ctx *x, const char *v)
{
	size_t i;
	for (i = 0; v[i]; i++)
		if (!isalnum((unsigned char)v[i]) && !strchr(".-:_", v[i]))
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

static void done_snmp(struct sd_config_ctx *x, struct config_setting_t *e, void *obj,
		      const char *path)
{
	static const char *const v3keys[] = { "user", "auth_proto", "auth_pass",
					      "priv_proto", "priv_pass" };
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
		for (k = 0; k < SD_ARRAY_LEN(v3keys); k++) {
			if (strcmp(v3keys[k], "auth_proto") == 0 || strcmp(v3keys[k], "priv_proto") == 0)
				continue;
			sd_config_child_path(cp, sizeof cp, path, v3keys[k]);
			if (!sd_config_member(e, v3keys[k]))
				sd_config_err(x, e, cp, "version \"3\" (authPriv) needs %s", v3keys[k]);
		}
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
	{ .name = "auth_proto", .type = SD_K_STR, OF(auth_proto),
	  .check = check_auth_proto, .def = "SHA", .help = "v3 authentication protocol" },
	{ .name = "auth_pass", .type = SD_K_STR, .min = 8, OF(auth_pass),
	  .help = "v3 authentication passphrase, 8+ characters (a secret)" },
	{ .name = "priv_proto", .type = SD_K_STR, OF(priv_proto),
	  .check = check_priv_proto, .def = "AES", .help = "v3 privacy protocol" },
	{ .name = "priv_pass", .type = SD_K_STR, .min = 8, OF(priv_pass),
	  .help = "v3 privacy passphrase, 8+ characters (a secret)" },
	{ 0 }
};

static const struct sd_config_key snmp_keys[] = {
	{ .name = "targets", .type = SD_K_LIST, .sub = snmp_target_keys, .elem_new = new_snmp,
	  .elem_done = done_snmp, .help = "trap/inform receivers" },
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


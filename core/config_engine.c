/* core/config_engine.c — the core's own infrastructure sections: `engine`
 * (socket, state directory, logging) and `sbi` (the 5GC's service based
 * interface: NRF, TLS, timeouts, the notification server). The rows are
 * walked by config.c; restart-only keys are marked .restart.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/config_impl.h"
#include "core/log.h"
#include "core/util.h"

static const char *check_abs_path(struct sd_config_ctx *x, const char *v)
{
	return v[0] == '/' ? NULL : "must be an absolute path";
}

static const char *check_socket(struct sd_config_ctx *x, const char *v)
{
	if (v[0] != '/')
		return "must be an absolute path";
	if (strlen(v) >= 108)
		return "longer than a UNIX socket path may be (107 bytes)";
	return NULL;
}

static const char *check_group_name(struct sd_config_ctx *x, const char *v)
{
	return sd_cfg_name_token(v);
}

/* The authority a..e of an API root: host, [v6] or host:port, port 1-65535,
 * no user info. */
static const char *check_authority(const char *a, const char *e)
{
	const char *port = NULL;
	long long n;
	char buf[8];
	if (memchr(a, '@', (size_t)(e - a)))
		return "must not carry user information (user:password@)";
	if (*a == '[') {
		const char *rb = memchr(a, ']', (size_t)(e - a));
		if (!rb)
			return "has an unclosed \"[\" in its host";
		if (rb == a + 1)
			return "has no host";
		if (rb + 1 < e && rb[1] != ':')
			return "must be scheme://[ipv6]:port";
		if (rb + 1 < e)
			port = rb + 2;
	} else {
		const char *colon = memchr(a, ':', (size_t)(e - a));
		if (colon && memchr(colon + 1, ':', (size_t)(e - colon - 1)))
			return "has an IPv6 address without [ ]";
		if (colon)
			port = colon + 1;
	}
	if (port) {
		size_t len = (size_t)(e - port);
		if (len == 0 || len >= sizeof buf || strspn(port, "0123456789") < len)
			return "port must be a number 1-65535";
		memcpy(buf, port, len);
		buf[len] = '\0';
		if (!sd_parse_ll(buf, 1, 65535, &n))
			return "port must be a number 1-65535";
	}
	return NULL;
}

static const char *check_url(const char *v, bool empty_ok)
{
	const char *h;
	size_t i;
	if (!*v)
		return empty_ok ? NULL : "must not be empty";
	if (strncmp(v, "http://", 7) == 0)
		h = v + 7;
	else if (strncmp(v, "https://", 8) == 0)
		h = v + 8;
	else
		return "must start with http:// or https://";
	if (!*h || *h == '/' || *h == ':')
		return "has no host";
	for (i = 0; v[i]; i++)
		if ((unsigned char)v[i] <= ' ' || v[i] == 0x7f)
			return "contains spaces or control characters";
	if (strpbrk(h, "?#"))
		return "must be an API root (scheme://host[:port][/prefix]) without query or fragment";
	return check_authority(h, h + strcspn(h, "/"));
}

static const char *check_url_opt(struct sd_config_ctx *x, const char *v) { return check_url(v, true); }

/* "host:port", "[v6]:port"; port 0-65535 (0: any free port); "" = off. */
static const char *check_listen(struct sd_config_ctx *x, const char *v)
{
	const char *colon;
	long long port;
	if (!*v)
		return NULL;
	if (v[0] == '[') {
		const char *e = strchr(v, ']');
		if (!e || e[1] != ':')
			return "must be host:port or [ipv6]:port";
		colon = e + 1;
	} else {
		colon = strrchr(v, ':');
		if (!colon || colon == v || memchr(v, ':', (size_t)(colon - v)))
			return "must be host:port or [ipv6]:port";
	}
	if (!sd_parse_ll(colon + 1, 0, 65535, &port))
		return "port must be 0-65535";
	return NULL;
}

static const char *check_uuid_opt(struct sd_config_ctx *x, const char *v)
{
	return !*v || sd_is_uuid(v) ? NULL : "must be a UUID (8-4-4-4-12 hex digits)";
}

static const char *check_file_opt(struct sd_config_ctx *x, const char *v)
{
	struct stat st;
	if (!*v)
		return NULL;
	if (stat(v, &st) < 0)
		return strerror(errno);
	if (!S_ISREG(st.st_mode))
		return "not a regular file";
	return NULL;
}

const char *sd_config_check_text(struct sd_config_ctx *x, const char *v)
{
	size_t i, n = strlen(v);
	char *clean;
	bool same;
	for (i = 0; v[i]; i++)
		if ((unsigned char)v[i] < ' ' || v[i] == 0x7f)
			return "contains control characters";
	/* C1 controls and bytes that are not UTF-8 are what sd_sanitize
	 * replaces: any change means the text holds some */
	clean = sd_malloc(n + 1);
	sd_sanitize(clean, n + 1, v, n);
	same = strcmp(clean, v) == 0;
	free(clean);
	return same ? NULL : "is not UTF-8 text (or holds C1 control characters)";
}

static int parse_log(const char *s)
{
	return sd_streq(s, "stderr") ? 0 : sd_streq(s, "syslog") ? 1 : -1;
}

static int parse_log_level(const char *s) { return sd_log_level_parse(s); }

static const char *const env_names[SD_ENV_COUNT] = {
	[SD_ENV_PRODUCTION] = "production", [SD_ENV_LAB] = "lab", [SD_ENV_TRAINING] = "training",
};

const char *sd_environment_name(int env)
{
	return env >= 0 && env < SD_ENV_COUNT ? env_names[env] : "production";
}

int sd_environment_parse(const char *s)
{
	int i;
	for (i = 0; i < SD_ENV_COUNT; i++)
		if (sd_streq(s, env_names[i]))
			return i;
	return -1;
}

/* engine.log: the row's off/size point at log_syslog only so that a
 * reload can compare it */
static void store_log(struct sd_config_ctx *x, const struct sd_config_key *k, config_setting_t *s,
		      void *obj, const char *path)
{
	x->c->log_syslog = parse_log(config_setting_get_string(s)) == 1;
}

static void store_nrf(struct sd_config_ctx *x, const struct sd_config_key *k, config_setting_t *s,
		      void *obj, const char *path)
{
	struct sd_sbi_conf *sbi = obj;
	size_t n;
	sd_strlcpy(sbi->nrf_api_root, config_setting_get_string(s), sizeof sbi->nrf_api_root);
	n = strlen(sbi->nrf_api_root);
	while (n > 0 && sbi->nrf_api_root[n - 1] == '/')
		sbi->nrf_api_root[--n] = '\0';
}

const struct sd_config_key sd_cfg_engine_keys[] = {
	{ .name = "socket", .type = SD_K_STR, SD_CONFIG_OF(struct sd_config, socket_path),
	  .def = "/run/slicedeck/slicedeck.sock", .check = check_socket, .restart = true,
	  .help = "UNIX socket the console connects to" },
	{ .name = "socket_mode", .type = SD_K_OCTAL, SD_CONFIG_OF(struct sd_config, socket_mode),
	  .def = "0660", .restart = true, .hint = "write the mode as an octal string, e.g. \"0660\"",
	  .help = "permissions of the socket (roles still apply per peer)" },
	{ .name = "socket_group", .type = SD_K_STR, SD_CONFIG_OF(struct sd_config, socket_group),
	  .def = "", .check = check_group_name, .restart = true,
	  .help = "group owning the socket; empty = the engine's group" },
	{ .name = "state_dir", .type = SD_K_STR, SD_CONFIG_OF(struct sd_config, state_dir),
	  .def = "/var/lib/slicedeck", .check = check_abs_path, .restart = true,
	  .help = "ledger, alarm history and KPI roll-ups" },
	{ .name = "log", .type = SD_K_ENUM, .parse = parse_log, .choices = "stderr, syslog",
	  .store = store_log, SD_CONFIG_OF(struct sd_config, log_syslog), .restart = true,
	  .def = "stderr", .help = "where log lines go (opened once, at start)" },
	{ .name = "log_level", .type = SD_K_ENUM, SD_CONFIG_OF(struct sd_config, log_level),
	  .parse = parse_log_level, .choices = "err, warning, notice, info, debug",
	  .def = "info", .help = "most verbose level logged" },
	{ .name = "environment", .type = SD_K_ENUM, SD_CONFIG_OF(struct sd_config, environment),
	  .parse = sd_environment_parse, .choices = "production, lab, training",
	  .def = "production", .help = "what this engine watches; consoles show it (theme, badge)" },
	{ 0 }
};

static const struct sd_config_key tls_keys[] = {
	{ .name = "verify", .type = SD_K_BOOL, SD_CONFIG_OF(struct sd_tls_conf, verify), .def = "true",
	  .help = "verify the peer's certificate" },
	{ .name = "ca", .type = SD_K_STR, SD_CONFIG_OF(struct sd_tls_conf, ca_file), .def = "",
	  .check = check_file_opt, .help = "CA bundle; empty = system store" },
	{ .name = "cert", .type = SD_K_STR, SD_CONFIG_OF(struct sd_tls_conf, cert_file), .def = "",
	  .check = check_file_opt, .help = "client certificate (mTLS)" },
	{ .name = "key", .type = SD_K_STR, SD_CONFIG_OF(struct sd_tls_conf, key_file), .def = "",
	  .check = check_file_opt, .help = "private key of cert" },
	{ 0 }
};

static const struct sd_config_key notify_keys[] = {
	{ .name = "listen", .type = SD_K_STR, SD_CONFIG_OF(struct sd_sbi_conf, notify_listen),
	  .def = "127.0.0.1:0", .check = check_listen, .restart = true,
	  .help = "host:port of our SBI server for callbacks; empty = off" },
	{ .name = "api_root", .type = SD_K_STR, SD_CONFIG_OF(struct sd_sbi_conf, notify_api_root),
	  .def = "", .check = check_url_opt, .restart = true,
	  .help = "how NFs reach that server; empty = derived from listen" },
	{ 0 }
};

const struct sd_config_key sd_cfg_sbi_keys[] = {
	{ .name = "nrf", .type = SD_K_STR, .store = store_nrf, .def = "",
	  SD_CONFIG_OF(struct sd_sbi_conf, nrf_api_root), .check = check_url_opt,
	  .help = "API root of the NRF; empty = no 5GC (the engine's --nrf may give one)" },
	{ .name = "timeout_ms", .type = SD_K_INT, SD_CONFIG_OF(struct sd_sbi_conf, timeout_ms),
	  .min = 100, .max = 120000, .def = "3000", .unit = "ms", .help = "per request" },
	{ .name = "retries", .type = SD_K_INT, SD_CONFIG_OF(struct sd_sbi_conf, retries),
	  .min = 0, .max = 10, .def = "2", .help = "retries of idempotent requests" },
	{ .name = "poll_interval", .type = SD_K_INT, SD_CONFIG_OF(struct sd_sbi_conf, poll_interval_s),
	  .min = 1, .max = 3600, .def = "10", .unit = "s", .help = "collectors' base interval" },
	{ .name = "oauth2", .type = SD_K_BOOL, SD_CONFIG_OF(struct sd_sbi_conf, oauth2), .def = "false",
	  .help = "fetch access tokens from the NRF" },
	{ .name = "nf_instance_id", .type = SD_K_STR, SD_CONFIG_OF(struct sd_sbi_conf, nf_instance_id),
	  .def = "", .check = check_uuid_opt, .help = "our NF instance id (UUID)" },
	{ .name = "allow_http", .type = SD_K_BOOL, SD_CONFIG_OF(struct sd_sbi_conf, allow_http),
	  .def = "false", .help = "with an https NRF, let NFs be reached over cleartext http://" },
	{ .name = "tls", .type = SD_K_GROUP, .sub = tls_keys, SD_CONFIG_OF(struct sd_sbi_conf, tls),
	  .help = "TLS settings" },
	{ .name = "notify", .type = SD_K_GROUP, .sub = notify_keys,
	  .help = "notification server (members stored beside the others)" },
	{ 0 }
};

void sd_cfg_check_sbi(struct sd_config_ctx *x)
{
	const struct sd_sbi_conf *sbi = &x->c->sbi;
	config_setting_t *g = config_lookup(&x->cf, "sbi"), *s;
	if (!g)
		return;
	if (sbi->oauth2 && !sbi->nf_instance_id[0]) {
		s = config_setting_get_member(g, "oauth2");
		sd_config_err(x, s ? s : g, "sbi.oauth2", "oauth2 = true needs sbi.nf_instance_id "
		     "(the UUID the NRF knows us by)");
	}
	if (sbi->tls.key_file[0] && !sbi->tls.cert_file[0]) {
		config_setting_t *t = config_setting_get_member(g, "tls");
		s = t ? config_setting_get_member(t, "key") : NULL;
		sd_config_err(x, s ? s : g, "sbi.tls.key", "a key without a cert; set sbi.tls.cert too");
	}
}


/* core/config.h — the configuration (libconfig's format), validated in one pass.
 *
 * sd_config_load() reads a file, checks every setting against the key
 * tables (type, bounds, unit, required, references) and collects EVERY
 * problem as "file:line: key: message" in errs, like tmux's cfg.c. A config
 * with any error yields NULL and the caller keeps whatever it had.
 *
 * core/ checks its own sections (engine, zone, factories, sbi, access:
 * core/config_engine.c, config_zone.c, access.c); modules add theirs
 * through a schema (core/config_keys.h), so module types (monitor, SNMP,
 * tariffs) are not in this header: each module's *_conf.h has its type and
 * accessor. Files, includes and the literal pre-scan: core/config_file.c.
 */
#ifndef SD_CONFIG_H
#define SD_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/access.h"
#include "core/config_keys.h"
#include "core/model.h"

#define SD_CONFIG_MAX_SECTIONS 16

/* Collected diagnostics. */
struct sd_errlist {
	char **msgs;
	int n, cap;
};
void sd_errlist_init(struct sd_errlist *e);
void sd_errlist_done(struct sd_errlist *e);
/* One log line about a configuration's warnings (none: nothing): the only
 * one in full, else how many, the first, and how to see them all. */
void sd_config_log_warnings(const struct sd_config *c);
void sd_errlist_add(struct sd_errlist *e, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* TLS for the SBI client and server. */
struct sd_tls_conf {
	bool verify;           /* verify the peer (default true) */
	char ca_file[256];     /* "" = system store */
	char cert_file[256];   /* client (or server) certificate, "" = none */
	char key_file[256];
};

struct sd_sbi_conf {
	char nrf_api_root[256];  /* e.g. http://127.0.0.10:7777 */
	struct sd_tls_conf tls;
	bool oauth2;             /* fetch access tokens from the NRF */
	char nf_instance_id[40]; /* our own NF instance id (UUID) for tokens */
	int timeout_ms;          /* per request */
	int retries;             /* idempotent requests only */
	int poll_interval_s;     /* collectors' base interval */
	char notify_listen[64];  /* "127.0.0.1:0" — SBI server for callbacks; "" = off */
	char notify_api_root[256]; /* how NFs reach us; "" = derived from listen */
	bool allow_http;         /* with an https NRF: http:// targets allowed */
};

/* engine.environment: what kind of network this engine watches. It is
 * told to every console in hello, which picks its theme from it. */
enum sd_environment { SD_ENV_PRODUCTION, SD_ENV_LAB, SD_ENV_TRAINING, SD_ENV_COUNT };
const char *sd_environment_name(int env);   /* "production", "lab", "training" */
int sd_environment_parse(const char *s);   /* -1 when unknown */

struct sd_config {
	char path[4096];           /* the file it was loaded from */
	/* engine */
	char socket_path[256];
	char state_dir[256];
	bool log_syslog;
	int log_level;             /* enum sd_log_level */
	int socket_mode;           /* default 0660 */
	char socket_group[64];     /* "" = the engine's group */
	int environment;           /* enum sd_environment */
	/* zone and network */
	struct sd_model *model;    /* owned */
	struct sd_sbi_conf sbi;
	struct sd_access_rule *rules; int nrules;
	bool has_secrets;          /* any secret present (file must be private) */
	/* warnings that do not stop the load, each "file:line: path: what"
	 * (rules naming users that do not exist yet ...): the engine logs one
	 * line about them at start and reload, slicedeckd -t prints them all */
	struct sd_errlist warnings;
	/* the schema it was loaded with, and each module section's data
	 * (sd_config_section_data) */
	const struct sd_config_schema *schema;
	struct sd_config_slot {
		const struct sd_config_section *section;
		void *data;
		bool borrowed;         /* attached by sd_config_section_set: not freed */
	} sections[SD_CONFIG_MAX_SECTIONS];
	int nsections;
};

/* Load and validate with schema's sections (NULL: core's sections only).
 * Every problem goes into errs; returns NULL if there was at least one.
 * Includes (@include) are confined to the config's directory. A file that
 * holds secrets and is readable or writable by "other" is refused. The
 * schema must outlive the configuration. */
struct sd_config *sd_config_load_schema(const char *path, const struct sd_config_schema *schema,
					struct sd_errlist *errs);
/* The same with the process's schema (sd_config_set_schema). */
struct sd_config *sd_config_load(const char *path, struct sd_errlist *errs);
/* The schema sd_config_load() and sd_config_describe() use: programs set
 * it once at start (engine/config_sections.h has the whole program's). */
void sd_config_set_schema(const struct sd_config_schema *schema);
const struct sd_config_schema *sd_config_get_schema(void);
void sd_config_free(struct sd_config *c);

/* Reload support: name every restart-only key whose value differs between
 * the running configuration and a newly loaded one.
 *
 * A key is restart-only when the running engine does not apply a new value
 * on reload (engine.socket, engine.state_dir, sbi.notify.listen, monitor.*,
 * ...; docs/configuration.md marks each key, sd_config_describe() gives
 * .restart). The engine's reload loads the file, calls this with the
 * configuration it runs and the one just loaded, and logs (and tells an IPC
 * caller) each key named, as "KEY changed: takes effect at the next start".
 *
 * fn is called once per changed key, in table order, with its dotted path
 * ("engine.socket", "monitor.sla.window"); fn may be NULL to only count.
 * Keys inside lists (factories, tariffs, rules, targets) are inventory and
 * always live. Both configurations must come from the same schema (a
 * section only one of them has is compared with its defaults). Values set
 * from the command line compare like values from the file: pass both
 * configurations after the same overrides. Returns the number of keys
 * named; 0 means a reload applies every change. */
int sd_config_restart_changes(const struct sd_config *running, const struct sd_config *loaded,
			      void (*fn)(const char *key_path, void *arg), void *arg);

/* One line: "ok: zone X, PLMN 001-01, 5 factories, 7 sites, 12 cells,
 * 11 slices, 4 access rules" then each section's item in schema order
 * (", 1 SNMP target, 3 tariffs"). */
void sd_config_summary(const struct sd_config *c, char *buf, size_t bufsz);

/* The key tables, for documentation and `--list-keys`-style tools: calls
 * fn once per key of the core and of the process schema's sections
 * (sd_config_describe_schema: of schema's), depth first in table order. path is dotted without list
 * indexes ("factories.sites.cells.nci"); type is "string", "id", "enum",
 * "integer", "money", "number", "boolean", "octal", "hex", "snssai",
 * "strings", "group" or "list"; def is the default as written in a file
 * (NULL: none, or computed — see docs/configuration.md); unit may be NULL;
 * choices lists an enum's values (else NULL). */
struct sd_config_key_info {
	const char *path, *type, *def, *unit, *help, *choices;
	bool required;
	double min, max;   /* bounds for integer/number keys; min > max when none */
	bool restart;      /* restart-only: a reload does not apply a change */
};
void sd_config_describe(void (*fn)(const struct sd_config_key_info *k, void *arg), void *arg);
void sd_config_describe_schema(const struct sd_config_schema *schema,
			       void (*fn)(const struct sd_config_key_info *k, void *arg), void *arg);

#endif

/* core/config.h — the configuration (libconfig), validated in one pass.
 *
 * sd_config_load() reads a file, checks every setting against the key table
 * (type, bounds, unit, required, references) and collects EVERY problem as
 * "file:line: key: message" in errs, like tmux's cfg.c. A config with any
 * error yields NULL and the caller keeps whatever it had.
 */
#ifndef SD_CONFIG_H
#define SD_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/model.h"

/* Collected diagnostics. */
struct sd_errlist {
	char **msgs;
	int n, cap;
};
void sd_errlist_init(struct sd_errlist *e);
void sd_errlist_done(struct sd_errlist *e);
void sd_errlist_add(struct sd_errlist *e, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

enum sd_role {
	SD_ROLE_NONE,      /* no rule matched: connection refused */
	SD_ROLE_OPERATOR,  /* everything, including actions */
	SD_ROLE_VIEWER,    /* read-only, every factory */
	SD_ROLE_FACTORY,   /* read its own factory's objects only */
};
const char *sd_role_name(enum sd_role r);

/* access { rules = ( { user = "alice"; role = "factory"; factory = "f1"; }, ... ) } */
struct sd_access_rule {
	bool is_group;     /* matches a group (primary or supplementary) */
	char name[64];     /* user or group name as written */
	uint32_t id;       /* resolved uid/gid; ~0u when the name is unknown */
	bool resolved;
	enum sd_role role;
	int factory;       /* index, for SD_ROLE_FACTORY */
	int line;          /* config line, for messages */
};

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
};

enum sd_snmp_version { SD_SNMP_V2C, SD_SNMP_V3 };

/* A trap/inform receiver (the SNMP issue gives these life). */
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

/* Money in integer minor units (fen). */
struct sd_tariff {
	char id[SD_ID_MAX];
	enum sd_pn_mode mode;
	char currency[4];          /* ISO 4217, "CNY" */
	int64_t monthly_fee;       /* minor units per month */
	int64_t per_slice_fee;     /* minor units per active slice per month */
	int64_t per_gb;            /* minor units per GB (10^9 bytes) beyond the allowance */
	int64_t included_gb;       /* GB included per month */
	int64_t sla_credit_pct;    /* % of the monthly fee credited per missed SLA KPI */
};

/* KPI store, SLA evaluation and coverage (monitor/kpi.h, sla.h,
 * coverage.h take these into their own conf structs). */
struct sd_monitor_conf {
	int kpi_raw_samples;          /* raw samples kept per series */
	int kpi_retention_1min_days;  /* history of each roll-up level */
	int kpi_retention_5min_days;
	int kpi_retention_1h_days;
	int kpi_retention_1day_days;
	int sla_window_min;           /* evaluation window */
	int sla_hysteresis;           /* windows in a row to breach / recover */
	double sla_rate_tolerance_pct;
	double cov_rsrp_min_dbm;      /* a sample passes at or above both */
	double cov_sinr_min_db;
	double cov_target_pct;        /* share of passing samples a site needs */
	double cov_grid_m;            /* square size of the coverage grid */
	int cov_min_hole_squares;
};

struct sd_config {
	char path[4096];           /* the file it was loaded from */
	/* engine */
	char socket_path[256];
	char state_dir[256];
	bool log_syslog;
	int log_level;             /* enum sd_log_level */
	int socket_mode;           /* default 0660 */
	char socket_group[64];     /* "" = the engine's group */
	/* zone and network */
	struct sd_model *model;    /* owned */
	struct sd_sbi_conf sbi;
	struct sd_access_rule *rules; int nrules;
	struct sd_snmp_target *snmp; int nsnmp;
	struct sd_tariff *tariffs; int ntariffs;
	struct sd_monitor_conf monitor;
	bool has_secrets;          /* any secret present (file must be private) */
};

/* Load and validate. Every problem goes into errs; returns NULL if there was
 * at least one. Includes (@include) are confined to the config's directory.
 * A file that holds secrets and is readable or writable by "other" is
 * refused. */
struct sd_config *sd_config_load(const char *path, struct sd_errlist *errs);
void sd_config_free(struct sd_config *c);

/* One line: "ok: zone X, PLMN 001-01, 5 factories, 7 sites, 12 cells,
 * 11 slices, 4 access rules, 1 SNMP target, 3 tariffs". */
void sd_config_summary(const struct sd_config *c, char *buf, size_t bufsz);

/* Map a peer's credentials to a role. User rules win over group rules;
 * the first matching rule of each kind applies. A group rule matches the
 * peer's gid or the primary or any supplementary group of uid's user
 * (looked up on each call). When no rule matches, uid 0 and the engine's
 * own euid are SD_ROLE_OPERATOR, anyone else SD_ROLE_NONE. *factory is the
 * factory index for SD_ROLE_FACTORY, -1 otherwise. */
enum sd_role sd_config_role_for(const struct sd_config *c, uid_t uid, gid_t gid,
				int *factory);

/* The key table, for documentation and `--list-keys`-style tools: calls fn
 * once per key, depth first in table order. path is dotted without list
 * indexes ("factories.sites.cells.nci"); type is "string", "id", "enum",
 * "integer", "money", "number", "boolean", "octal", "hex", "snssai",
 * "strings", "group" or "list"; def is the default as written in a file
 * (NULL: none, or computed — see docs/configuration.md); unit may be NULL;
 * choices lists an enum's values (else NULL). */
struct sd_config_key_info {
	const char *path, *type, *def, *unit, *help, *choices;
	bool required;
	double min, max;   /* bounds for integer/number keys; min > max when none */
};
void sd_config_describe(void (*fn)(const struct sd_config_key_info *k, void *arg), void *arg);

#endif

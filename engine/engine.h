/* engine/engine.h — the daemon's wiring: the one place that knows every
 * module. It owns the loop's companions (event bus, op registry, SBI
 * server, store, audit log), the model, and the modules (IPC server,
 * collectors, monitoring pipeline), and hands each module the same host
 * interface (core/host.h).
 *
 *   start   load the configuration; the engine's model is made from the
 *           configuration's declared inventory (merged by id) plus what
 *           the store holds; then the store, audit log, SBI server, IPC
 *           server, pipeline and collectors, in that order.
 *   reload  (SIGHUP) a new configuration is loaded and checked; a bad one
 *           is rejected and the running one kept. Restart-only keys that
 *           changed are named in the log; the declared inventory is merged
 *           into the model by id (only what changed is pushed to
 *           consoles); modules pick up their live keys.
 *   stop    modules in reverse order; subscriptions at the 5GC deleted.
 */
#ifndef SD_ENGINE_H
#define SD_ENGINE_H

#include <stdbool.h>

#include "core/audit.h"
#include "core/bus.h"
#include "core/config.h"
#include "core/host.h"
#include "core/ipc_server.h"
#include "core/loop.h"
#include "core/ops.h"

struct sd_billing;
struct sd_collect;
struct sd_model_store;
struct sd_pipeline;
struct sd_snmp;
struct sd_sbi_server;

/* Command-line overrides that survive a reload. */
struct sd_engine_opts {
	const char *config_path;
	const char *socket_path;  /* NULL = from the config */
	const char *state_dir;    /* NULL = from the config */
	const char *nrf;          /* NULL = from the config */
	int log_level;            /* -1 = from the config */
	bool log_stderr;          /* force stderr even if the config says syslog */
};

struct sd_engine {
	struct sd_loop *loop;
	struct sd_engine_opts opts;
	struct sd_config *cfg;
	struct sd_config *boot;        /* the start configuration, without its
					* inventory, once a reload replaced it */
	struct sd_model *model;        /* owned by the engine, kept across reloads */
	struct sd_bus *bus;
	struct sd_ops *ops;
	struct sd_store *store;
	struct sd_model_store *mstore; /* runtime slices in the store */
	struct sd_audit *audit;
	struct sd_sbi_server *sbi;
	struct sd_host host;
	struct sd_ipc_server *ipc;
	struct sd_collect *collect;
	struct sd_pipeline *pipeline;
	struct sd_plugins *plugins;    /* engine/plugins.h */
	struct sd_lifecycle *lifecycle; /* slicing/lifecycle.h */
	struct sd_snmp *snmp;          /* notifications to the NMS */
	struct sd_billing *billing;    /* ledger, CHF endpoint (billing/billing.h) */
	char socket_path[256];    /* what the IPC server is bound to */
	char state_dir[256];      /* what the store lives in */
	char notify_root[256];    /* how NFs reach our SBI server, "" without one */
	int exit_code;
	bool stopping;            /* SIGTERM/SIGINT seen: deleting subscriptions */
};

/* Load the configuration (with overrides) and report every error. */
struct sd_config *sd_engine_load_config(const struct sd_engine_opts *o);

int  sd_engine_start(struct sd_engine *e);
/* SIGHUP (or the reload op): a bad new configuration is rejected and the
 * old one kept. Returns 0 when applied, -1 when rejected; restart-only
 * keys that changed are appended to *pending (a JSON array, may be NULL). */
int  sd_engine_reload(struct sd_engine *e, json_t *pending);
void sd_engine_stop(struct sd_engine *e);

#endif

/* core/engine.h — the engine process: configuration, model, IPC server and
 * (from the SBI issue on) the collectors, on one event loop. */
#ifndef SD_ENGINE_H
#define SD_ENGINE_H

#include <stdbool.h>

#include "core/config.h"
#include "core/ipc.h"
#include "core/loop.h"
#include "monitor/collect.h"
#include "monitor/pipeline.h"

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
	struct sd_ipc_server *ipc;
	struct sd_collect *collect;
	struct sd_pipeline *pipeline;
	char socket_path[256];    /* what the IPC server is bound to */
	int exit_code;
};

/* Load the configuration (with overrides) and report every error. */
struct sd_config *sd_engine_load_config(const struct sd_engine_opts *o);

int  sd_engine_start(struct sd_engine *e);
/* SIGHUP: a bad new configuration is rejected and the old one kept. */
void sd_engine_reload(struct sd_engine *e);
void sd_engine_stop(struct sd_engine *e);

/* Tell IPC subscribers that these topics changed. */
void sd_engine_changed(struct sd_engine *e, unsigned topics);

#endif

/* core/engine.c — wiring of the engine: configuration with command-line
 * overrides, state directory, IPC server, signals, reload. */
#include "core/engine.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/log.h"
#include "core/util.h"

struct sd_config *sd_engine_load_config(const struct sd_engine_opts *o)
{
	struct sd_errlist errs;
	struct sd_config *c;
	int i;

	sd_errlist_init(&errs);
	c = sd_config_load(o->config_path, &errs);
	for (i = 0; i < errs.n; i++)
		sd_err("%s", errs.msgs[i]);
	sd_errlist_done(&errs);
	if (!c)
		return NULL;
	if (o->socket_path)
		sd_strlcpy(c->socket_path, o->socket_path, sizeof c->socket_path);
	if (o->state_dir)
		sd_strlcpy(c->state_dir, o->state_dir, sizeof c->state_dir);
	if (o->nrf)
		sd_strlcpy(c->sbi.nrf_api_root, o->nrf, sizeof c->sbi.nrf_api_root);
	if (o->log_level >= 0)
		c->log_level = o->log_level;
	return c;
}

static const struct sd_config *host_config(void *arg)
{
	struct sd_engine *e = arg;
	return e->cfg;
}

static struct sd_model *host_model(void *arg)
{
	struct sd_engine *e = arg;
	return e->cfg->model;
}

static void host_changed(void *arg, unsigned topics)
{
	sd_engine_changed(arg, topics);
}

static void host_sample(void *arg, const char *slice_id, int metric, double value)
{
	struct sd_engine *e = arg;
	if (e->pipeline)
		sd_pipeline_sample(e->pipeline, slice_id, (enum sd_kpi_metric)metric, value);
}

static void host_cell_sample(void *arg, int cell_index, double rsrp, double sinr)
{
	struct sd_engine *e = arg;
	const struct sd_model *m = e->cfg->model;
	if (e->pipeline && cell_index >= 0 && cell_index < m->ncells)
		sd_pipeline_cell_sample(e->pipeline, &m->cells[cell_index], rsrp, sinr);
}

/* mkdir -p for the state directory and the socket's directory. */
static int make_dir(const char *path, mode_t mode)
{
	char tmp[512];
	char *p;
	if (sd_strlcpy(tmp, path, sizeof tmp) >= sizeof tmp)
		return -1;
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(tmp, mode) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

static int socket_dir(const char *sock)
{
	char dir[256];
	char *slash;
	sd_strlcpy(dir, sock, sizeof dir);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	return make_dir(dir, 0755);
}

static void on_signal(struct sd_loop *loop, int signo, void *arg)
{
	struct sd_engine *e = arg;
	if (signo == SIGHUP) {
		sd_engine_reload(e);
		return;
	}
	sd_notice("%s: stopping", strsignal(signo));
	sd_loop_stop(loop);
}

int sd_engine_start(struct sd_engine *e)
{
	struct sd_ipc_host host = { .config = host_config, .arg = e };
	char err[512];
	char summary[512];

	if (make_dir(e->cfg->state_dir, 0750) < 0) {
		sd_err("state directory %s: %s", e->cfg->state_dir, strerror(errno));
		return -1;
	}
	if (socket_dir(e->cfg->socket_path) < 0) {
		sd_err("socket directory for %s: %s", e->cfg->socket_path, strerror(errno));
		return -1;
	}
	e->ipc = sd_ipc_server_new(e->loop, e->cfg->socket_path, e->cfg->socket_mode,
				   e->cfg->socket_group, &host, err, sizeof err);
	if (!e->ipc) {
		sd_err("cannot listen: %s", err);
		return -1;
	}
	sd_strlcpy(e->socket_path, e->cfg->socket_path, sizeof e->socket_path);
	sd_model_reset_live(e->cfg->model);
	{
		struct sd_collect_host ch = { .model = host_model, .config = host_config,
					      .changed = host_changed, .sample = host_sample,
					      .cell_sample = host_cell_sample,
					      .arg = e };
		e->pipeline = sd_pipeline_new(e->loop, &ch, err, sizeof err);
		if (!e->pipeline) {
			sd_err("cannot start monitoring (state in %s): %s", e->cfg->state_dir, err);
			return -1;
		}
		e->collect = sd_collect_new(e->loop, &ch, err, sizeof err);
		if (!e->collect) {
			sd_err("cannot start the collectors: %s", err);
			return -1;
		}
	}
	sd_loop_signal(e->loop, SIGTERM, on_signal, e);
	sd_loop_signal(e->loop, SIGINT, on_signal, e);
	sd_loop_signal(e->loop, SIGHUP, on_signal, e);
	signal(SIGPIPE, SIG_IGN);
	sd_config_summary(e->cfg, summary, sizeof summary);
	sd_notice("slicedeckd %s ready: %s; listening on %s", SD_VERSION, summary,
		  e->socket_path);
	return 0;
}

void sd_engine_reload(struct sd_engine *e)
{
	struct sd_config *c;
	char summary[512];

	sd_notice("SIGHUP: reloading %s", e->opts.config_path);
	c = sd_engine_load_config(&e->opts);
	if (!c) {
		sd_err("reload of %s rejected (errors above); keeping the running configuration",
		       e->opts.config_path);
		return;
	}
	if (strcmp(c->socket_path, e->socket_path) != 0)
		sd_warn("engine.socket changed to %s: takes effect at the next start; "
			"still listening on %s", c->socket_path, e->socket_path);
	/* live state belongs to the engine, not to the file */
	sd_model_reset_live(c->model);
	sd_model_carry_live(c->model, e->cfg->model);
	sd_config_free(e->cfg);
	e->cfg = c;
	sd_log_set_level((enum sd_log_level)c->log_level);
	sd_ipc_server_remap(e->ipc);
	sd_collect_reload(e->collect);
	sd_pipeline_reload(e->pipeline);
	sd_engine_changed(e, SD_TOPIC_FACTORIES | SD_TOPIC_SLICES | SD_TOPIC_SITES | SD_TOPIC_NFS);
	sd_config_summary(c, summary, sizeof summary);
	sd_notice("reloaded: %s", summary);
}

void sd_engine_changed(struct sd_engine *e, unsigned topics)
{
	if (e->ipc)
		sd_ipc_server_publish(e->ipc, topics);
}

void sd_engine_stop(struct sd_engine *e)
{
	sd_collect_free(e->collect);
	e->collect = NULL;
	sd_pipeline_free(e->pipeline);
	e->pipeline = NULL;
	sd_ipc_server_free(e->ipc);
	e->ipc = NULL;
	sd_config_free(e->cfg);
	e->cfg = NULL;
}

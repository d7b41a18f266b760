/* engine/engine.c — see engine.h. */
#include "engine/engine.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "billing/billing.h"
#include "core/log.h"
#include "core/sbi_server.h"
#include "core/util.h"
#include "engine/ops_model.h"
#include "monitor/collect.h"
#include "monitor/alarm.h"
#include "monitor/pipeline.h"
#include "monitor/sla.h"
#include "snmp/snmp_sink.h"
#include "engine/plugins.h"
#include "slicing/catalog.h"
#include "slicing/lifecycle.h"
#include "slicing/scenario.h"

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
	sd_config_log_warnings(c);
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

/* --- the host interface --------------------------------------------------------- */

static const struct sd_config *host_config(void *arg)
{
	struct sd_engine *e = arg;
	return e->cfg;
}

static struct sd_model *host_model(void *arg)
{
	struct sd_engine *e = arg;
	return e->model;
}

static const char *host_notify_root(void *arg)
{
	struct sd_engine *e = arg;
	return e->notify_root;
}

static struct sd_store *host_store_open(void *arg, const char *name, enum sd_durability d,
					char *err, size_t errsz)
{
	struct sd_engine *e = arg;
	char *path;
	struct sd_store *st;
	if (!sd_id_valid(name)) {
		snprintf(err, errsz, "bad database name");
		return NULL;
	}
	path = sd_printf("%s/%s.db", e->state_dir, name);
	st = sd_store_open_ex(path, (int)d, err, errsz);
	free(path);
	return st;
}

/* After the merge the configuration needs no inventory but its factories
 * (access rules name them by index) and the zone's scalars (the restart
 * comparison): the rest goes, a second copy of a large zone. */
static void slim_config(struct sd_config *c)
{
	struct sd_model *m = c->model, *k = sd_model_new();
	k->plmn = m->plmn;
	memcpy(k->zone_name, m->zone_name, sizeof k->zone_name);
	k->factories = m->factories;
	k->nfactories = m->nfactories;
	m->factories = NULL;
	m->nfactories = 0;
	sd_model_free(m);
	c->model = k;
}

struct merge_log {
	struct sd_engine *e;
	int n;
};

static void on_merged(void *arg, unsigned topic, const char *id, bool removed)
{
	struct merge_log *ml = arg;
	ml->n++;
	sd_bus_model_changed(ml->e->bus, topic, id, removed);
}

/* Merge the configuration's inventory into the engine's model by id; only
 * what changed is announced. */
static int merge_config(struct sd_engine *e, const struct sd_config *c)
{
	struct merge_log ml = { e, 0 };
	char err[512] = "";
	/* a copy: the configuration keeps its own (its access rules name
	 * factories by index into it); the merge consumes what it is given */
	int rc = sd_model_merge_declared(e->model, sd_model_copy_declared(c->model), on_merged, &ml,
					 err, sizeof err);
	if (rc < 0) {
		sd_err("model: %s", err);
		return -1;
	}
	if (rc > 0)
		sd_warn("model: %d conflict%s with run-time objects, which are kept: %s", rc,
			rc == 1 ? "" : "s", err);
	sd_debug("model: %d objects changed by the configuration", ml.n);
	return 0;
}

/* --- state directory ------------------------------------------------------------ */

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

/* --- the engine's own ops -------------------------------------------------------- */

static json_t *op_reload(struct sd_op_call *call)
{
	struct sd_engine *e = call->arg;
	json_t *pending = json_array();
	if (sd_engine_reload(e, pending) < 0) {
		json_decref(pending);
		return sd_op_fail(call, SD_IPC_E_BADREQ, "the new configuration of %s was rejected "
				  "(errors in the engine log); the running one is kept",
				  e->opts.config_path);
	}
	return json_pack("{s:b, s:o}", "reloaded", 1, "restart_pending", pending);
}

static const struct sd_op engine_ops[] = {
	{ "reload", op_reload, SD_PERM_ADMIN, SD_OP_MUTATES, NULL,
	  "reload the configuration; names keys that need a restart" },
};

/* --- life cycle ------------------------------------------------------------------ */

static void on_collect_done(void *arg)
{
	struct sd_engine *e = arg;
	sd_loop_stop(e->loop);
}

static void on_signal(struct sd_loop *loop, int signo, void *arg)
{
	struct sd_engine *e = arg;
	if (signo == SIGHUP) {
		sd_engine_reload(e, NULL);
		return;
	}
	if (e->stopping) {
		sd_loop_stop(loop);   /* a second signal: now */
		return;
	}
	sd_notice("%s: stopping", strsignal(signo));
	e->stopping = true;
	/* the subscriptions at the 5GC are deleted while the loop still
	 * serves everything else (bounded: SD_COLLECT_SHUTDOWN_MS) */
	if (e->collect)
		sd_collect_shutdown(e->collect, on_collect_done, e);
	else
		sd_loop_stop(loop);
}

static void publish_engine(struct sd_engine *e, enum sd_bus_engine_what what)
{
	struct sd_bus_event ev = { .kind = SD_BUS_ENGINE };
	ev.u.engine.what = what;
	sd_bus_publish(e->bus, &ev);
}

static void each_active_alarm(void *arg, void (*fn)(const struct sd_alarm *a, void *fnarg),
			      void *fnarg)
{
	struct sd_engine *e = arg;
	if (e->pipeline)
		sd_alarms_each(sd_pipeline_alarms(e->pipeline), false, fn, fnarg);
}

/* The last window over a slice's KPIs, as SLICEDECK-MIB's sdSliceSlaVerdict. */
static int slice_verdict(void *arg, const char *slice_id)
{
	struct sd_engine *e = arg;
	struct sd_sla_result r[SD_SLA_KPI_COUNT];
	bool met = false, nodata = false;
	int k;
	if (!e->pipeline || sd_sla_last(sd_pipeline_sla(e->pipeline), slice_id, r, NULL) < 0)
		return SD_SNMP_SLA_UNKNOWN;
	for (k = 0; k < SD_SLA_KPI_COUNT; k++) {
		if (r[k].verdict == SD_SLA_BREACHED)
			return SD_SNMP_SLA_BREACHED;
		met |= r[k].verdict == SD_SLA_MET;
		nodata |= r[k].verdict == SD_SLA_NODATA;
	}
	return met ? SD_SNMP_SLA_MET : nodata ? SD_SNMP_SLA_NODATA : SD_SNMP_SLA_UNKNOWN;
}

struct compliance_walk {
	void (*fn)(const char *slice_id, int hundredths, void *fnarg);
	void *fnarg;
	char slice[SD_ID_MAX];
	double low;                   /* NAN until a KPI with data */
};

static void compliance_flush(struct compliance_walk *w)
{
	if (w->slice[0] && !isnan(w->low))
		w->fn(w->slice, (int)lround(w->low * 100.0), w->fnarg);
}

/* rows come ordered by slice: the lowest compliance of each */
static void compliance_row(void *arg, const struct sd_sla_month *row)
{
	struct compliance_walk *w = arg;
	if (strcmp(row->slice, w->slice) != 0) {
		compliance_flush(w);
		sd_strlcpy(w->slice, row->slice, sizeof w->slice);
		w->low = NAN;
	}
	if (!isnan(row->compliance_pct) && (isnan(w->low) || row->compliance_pct < w->low))
		w->low = row->compliance_pct;
}

static void each_compliance(void *arg, void (*fn)(const char *slice_id, int hundredths,
						  void *fnarg), void *fnarg)
{
	struct sd_engine *e = arg;
	struct compliance_walk w = { fn, fnarg, "", NAN };
	char month[8];
	if (!e->pipeline)
		return;
	sd_sla_month_of(sd_wall_ms(), month, sizeof month);
	if (sd_sla_report(sd_pipeline_sla(e->pipeline), month, NULL, compliance_row, &w) >= 0)
		compliance_flush(&w);
}

static int start_sbi(struct sd_engine *e, char *err, size_t errsz)
{
	const struct sd_sbi_conf *sc = &e->cfg->sbi;
	struct sd_sbi_server_conf conf = { .listen = sc->notify_listen };
	if (!sc->notify_listen[0])
		return 0;
	/* h2c: sbi.tls.cert/key are our client identity (mTLS), not a server
	 * certificate; a TLS listener needs keys of its own */
	e->sbi = sd_sbi_server_new(e->loop, &conf, err, errsz);
	if (!e->sbi)
		return -1;
	sd_strlcpy(e->notify_root, sc->notify_api_root[0] ? sc->notify_api_root
		   : sd_sbi_server_api_root(e->sbi), sizeof e->notify_root);
	sd_info("SBI server on %s", e->notify_root);
	return 0;
}

int sd_engine_start(struct sd_engine *e)
{
	struct sd_ipc_topic_def alarms;
	char err[512];
	char summary[512];
	char *path;

	sd_strlcpy(e->state_dir, e->cfg->state_dir, sizeof e->state_dir);
	if (make_dir(e->state_dir, 0750) < 0) {
		sd_err("state directory %s: %s", e->state_dir, strerror(errno));
		return -1;
	}
	if (socket_dir(e->cfg->socket_path) < 0) {
		sd_err("socket directory for %s: %s", e->cfg->socket_path, strerror(errno));
		return -1;
	}
	e->bus = sd_bus_new(e->loop);
	e->ops = sd_ops_new();
	e->model = sd_model_new();
	if (merge_config(e, e->cfg) < 0) {
		sd_err("model: the configuration's inventory could not be taken");
		return -1;
	}
	sd_config_summary(e->cfg, summary, sizeof summary);
	slim_config(e->cfg);
	sd_model_reset_live(e->model);

	path = sd_printf("%s/slicedeck.db", e->state_dir);
	e->store = sd_store_open(path, err, sizeof err);
	free(path);
	if (!e->store) {
		sd_err("store in %s: %s", e->state_dir, err);
		return -1;
	}
	/* modules' writes group-commit (200 ms or 1,000 writes); history may
	 * lose the last batch on a power cut, which NORMAL accepts anyway */
	if (!sd_store_batch_new(e->store, e->loop, NULL, err, sizeof err)) {
		sd_err("store batch: %s", err);
		return -1;
	}
	e->mstore = sd_model_store_open(e->store, sd_scenario_find, err, sizeof err);
	if (!e->mstore) {
		sd_err("model: the store's slices could not be opened: %s", err);
		return -1;
	}
	{
		int refused = sd_model_store_load(e->model, e->mstore, err, sizeof err);
		if (refused < 0) {
			sd_err("model: the store's slices could not be loaded: %s", err);
			return -1;
		}
		if (refused > 0)
			sd_warn("model: %d stored slice%s refused (kept in the store): %s", refused,
				refused == 1 ? "" : "s", err);
	}
	path = sd_printf("%s/audit.db", e->state_dir);
	e->audit = sd_audit_open(path, e->bus, err, sizeof err);
	free(path);
	if (!e->audit) {
		sd_err("audit log in %s: %s", e->state_dir, err);
		return -1;
	}
	sd_ops_set_audit(e->ops, sd_audit_record, e->audit);
	if (start_sbi(e, err, sizeof err) < 0) {
		sd_err("cannot start the SBI server on %s: %s", e->cfg->sbi.notify_listen, err);
		return -1;
	}
	e->host = (struct sd_host){
		.loop = e->loop, .bus = e->bus, .ops = e->ops, .sbi = e->sbi, .store = e->store,
		.config = host_config, .model = host_model, .notify_root = host_notify_root,
		.store_open = host_store_open, .arg = e,
	};
	if (sd_ops_model_register(e->ops) < 0 || sd_audit_register_ops(e->audit, e->ops) < 0 ||
	    sd_catalog_register_ops(e->ops) < 0 ||
	    sd_ops_register(e->ops, engine_ops, SD_ARRAY_LEN(engine_ops), e) < 0) {
		sd_err("ops: registration failed (a name used twice)");
		return -1;
	}
	e->ipc = sd_ipc_server_new(&e->host, e->cfg->socket_path, e->cfg->socket_mode,
				   e->cfg->socket_group, err, sizeof err);
	if (!e->ipc) {
		sd_err("cannot listen: %s", err);
		return -1;
	}
	sd_strlcpy(e->socket_path, e->cfg->socket_path, sizeof e->socket_path);
	if (sd_ops_model_topics(e->ipc, &e->host) < 0) {
		sd_err("ipc: the model's topics could not be registered");
		return -1;
	}
	e->pipeline = sd_pipeline_new(&e->host, err, sizeof err);
	if (!e->pipeline) {
		sd_err("cannot start monitoring (state in %s): %s", e->state_dir, err);
		return -1;
	}
	sd_ipc_server_hello_set(e->ipc, "sla_window_s",
				json_integer(sd_pipeline_sla_window_s(e->pipeline)));
	sd_pipeline_alarm_topic(e->pipeline, &alarms);
	if (sd_ipc_server_topic(e->ipc, &alarms) < 0) {
		sd_err("ipc: the alarms topic could not be registered");
		return -1;
	}
	{
		struct sd_snmp_source src = { each_active_alarm, slice_verdict, each_compliance, e };
		e->snmp = sd_snmp_new(&e->host, &src, err, sizeof err);
		if (!e->snmp) {
			sd_err("cannot start SNMP notifications: %s", err);
			return -1;
		}
	}
	e->billing = sd_billing_new(&e->host, err, sizeof err);
	if (!e->billing) {
		sd_err("cannot start billing (ledger in %s): %s", e->state_dir, err);
		return -1;
	}
	e->collect = sd_collect_new(&e->host, err, sizeof err);
	if (!e->collect) {
		sd_err("cannot start the collectors: %s", err);
		return -1;
	}
	sd_pipeline_set_collect(e->pipeline, e->collect);
	e->lifecycle = sd_lifecycle_new(&e->host, e->mstore, err, sizeof err);
	if (!e->lifecycle) {
		sd_err("slice lifecycle: %s", err);
		return -1;
	}
	/* plugins last: they see every module (a failed plugin is reported
	 * and left out; only the op's registration can fail) */
	e->plugins = sd_plugins_new(&e->host, err, sizeof err);
	if (!e->plugins) {
		sd_err("plugins: %s", err);
		return -1;
	}
	if (sd_loop_signal(e->loop, SIGTERM, on_signal, e) < 0 ||
	    sd_loop_signal(e->loop, SIGINT, on_signal, e) < 0 ||
	    sd_loop_signal(e->loop, SIGHUP, on_signal, e) < 0) {
		sd_err("signals: %s", strerror(errno));
		return -1;
	}
	signal(SIGPIPE, SIG_IGN);
	publish_engine(e, SD_ENGINE_STARTED);
	sd_notice("slicedeckd %s ready: %s; listening on %s", SD_VERSION, summary,
		  e->socket_path);
	return 0;
}

struct restart_ctx {
	json_t *pending;
	int n;
};

static void on_restart_key(const char *key, void *arg)
{
	struct restart_ctx *x = arg;
	sd_warn("reload: %s changed: takes effect at the next start", key);
	if (x->pending)
		json_array_append_new(x->pending, json_string(key));
	x->n++;
}

int sd_engine_reload(struct sd_engine *e, json_t *pending)
{
	struct restart_ctx rx = { pending, 0 };
	struct sd_config *c, *old;
	char summary[512];

	sd_notice("reloading %s", e->opts.config_path);
	c = sd_engine_load_config(&e->opts);
	if (!c) {
		sd_err("reload of %s rejected (errors above); keeping the running configuration",
		       e->opts.config_path);
		return -1;
	}
	/* keys the running engine does not apply are named, not ignored:
	 * against what it was started with, so a key stays named at every
	 * reload until the restart */
	sd_config_restart_changes(e->boot ? e->boot : e->cfg, c, on_restart_key, &rx);
	/* what the engine holds open keeps its running value */
	sd_strlcpy(c->socket_path, e->cfg->socket_path, sizeof c->socket_path);
	sd_strlcpy(c->state_dir, e->cfg->state_dir, sizeof c->state_dir);
	sd_strlcpy(c->sbi.notify_listen, e->cfg->sbi.notify_listen, sizeof c->sbi.notify_listen);
	sd_strlcpy(c->sbi.notify_api_root, e->cfg->sbi.notify_api_root,
		   sizeof c->sbi.notify_api_root);
	if (merge_config(e, c) < 0) {
		sd_err("reload of %s rejected: its inventory could not be merged; keeping the "
		       "running configuration", e->opts.config_path);
		sd_config_free(c);
		return -1;
	}
	sd_config_summary(c, summary, sizeof summary);
	slim_config(c);
	old = e->cfg;
	e->cfg = c;
	sd_log_set_level((enum sd_log_level)c->log_level);
	sd_ipc_server_remap(e->ipc);
	sd_collect_reload(e->collect);
	sd_pipeline_reload(e->pipeline);
	publish_engine(e, SD_ENGINE_RELOADED);
	if (!e->boot) {
		/* the start configuration (slim already), kept for the
		 * comparison above */
		e->boot = old;
	} else {
		sd_config_free(old);
	}
	if (rx.n)
		sd_notice("reloaded: %s; %d changed key%s need%s a restart (named above)", summary,
			  rx.n, rx.n == 1 ? "" : "s", rx.n == 1 ? "s" : "");
	else
		sd_notice("reloaded: %s", summary);
	return 0;
}

void sd_engine_stop(struct sd_engine *e)
{
	if (e->bus)
		publish_engine(e, SD_ENGINE_STOPPING);
	if (e->bus)
		sd_bus_drain(e->bus);   /* the last alarms reach the plugins */
	sd_plugins_free(e->plugins);
	e->plugins = NULL;
	sd_lifecycle_free(e->lifecycle);
	e->lifecycle = NULL;
	if (e->pipeline)
		sd_pipeline_set_collect(e->pipeline, NULL);
	sd_collect_free(e->collect);
	e->collect = NULL;
	if (e->bus)
		sd_bus_drain(e->bus);   /* the last alarms reach the NMS */
	sd_snmp_free(e->snmp);
	e->snmp = NULL;
	sd_pipeline_free(e->pipeline);
	e->pipeline = NULL;
	sd_billing_free(e->billing);   /* answers the CHF requests still waiting */
	e->billing = NULL;
	if (e->ipc)
		sd_ipc_server_flush(e->ipc);
	sd_ipc_server_free(e->ipc);
	e->ipc = NULL;
	sd_sbi_server_free(e->sbi);
	e->sbi = NULL;
	if (e->bus)
		sd_bus_drain(e->bus);
	sd_audit_close(e->audit);
	e->audit = NULL;
	sd_model_store_close(e->mstore);
	e->mstore = NULL;
	sd_store_close(e->store);
	e->store = NULL;
	sd_ops_free(e->ops);
	e->ops = NULL;
	sd_bus_free(e->bus);
	e->bus = NULL;
	sd_model_free(e->model);
	e->model = NULL;
	sd_config_free(e->cfg);
	e->cfg = NULL;
	sd_config_free(e->boot);
	e->boot = NULL;
}

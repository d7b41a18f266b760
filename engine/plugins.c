/* engine/plugins.c — see plugins.h and plugins/slicedeck-plugin.h. */
#include "engine/plugins.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/model.h"
#include "core/model_nf.h"
#include "core/snssai.h"
#include "core/util.h"
#include "engine/plugin_conf.h"
#include "monitor/kpi.h"
#include "plugins/slicedeck-plugin.h"

/* the size of struct sdp_plugin as of ABI 1.0: a plugin's struct is at
 * least this large */
#define SDP_PLUGIN_SIZE_1_0 (offsetof(struct sdp_plugin, stop) + sizeof(void (*)(void *)))

#define MAX_WATCHES 64
#define MAX_TIMERS  256

enum pstate { P_DISABLED, P_FAILED, P_RUNNING, P_STOPPED };
static const char *const pstate_names[] = { "disabled", "failed", "running", "stopped" };

struct watch {
	int fd;
	sdp_fd_fn fn;
	void *arg;
};
struct ptimer {
	uint64_t id;                 /* the loop's */
	sdp_timer_fn fn;
	void *arg;
	struct sdp_ctx *ctx;
};

struct sdp_ctx {
	struct sd_plugins *owner;
	char name[64];
	char path[512];
	char where[160];
	void *dl;
	const struct sdp_plugin *reg;
	void *state;
	enum pstate st;
	char reason[512];
	bool inited, started;
	const struct sd_plugin_entry *conf;    /* during configure only */
	bool *read;                            /* per setting: read by the plugin */
	int nsettings;
	int config_errors;
	char first_error[512];
	struct watch watches[MAX_WATCHES];
	int nwatches;
	struct ptimer timers[MAX_TIMERS];
	int sub;                               /* bus subscription, -1 */
	sdp_event_fn ev_fn;
	void *ev_arg;
	unsigned ev_mask;
	uint64_t delivered;
};

struct sd_plugins {
	const struct sd_host *host;
	char dir[256];
	struct sdp_ctx **p;
	int n;
	struct sdp_host table;
};

/* --- host services ---------------------------------------------------------- */

static void h_log(struct sdp_ctx *c, enum sdp_level level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	enum sd_log_level l = level <= SDP_LOG_ERR ? SD_LOG_ERR : level == SDP_LOG_WARNING
			    ? SD_LOG_WARN : level == SDP_LOG_NOTICE ? SD_LOG_NOTICE
			    : level == SDP_LOG_INFO ? SD_LOG_INFO : SD_LOG_DEBUG;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	sd_log(l, "plugin %s: %s", c->name, msg);
}

static void on_fd(struct sd_loop *loop, int fd, int events, void *arg)
{
	struct sdp_ctx *c = arg;
	int i;
	for (i = 0; i < c->nwatches; i++)
		if (c->watches[i].fd == fd) {
			c->watches[i].fn(fd, events, c->watches[i].arg);
			return;
		}
}

static int h_watch(struct sdp_ctx *c, int fd, int events, sdp_fd_fn fn, void *arg)
{
	int i;
	if (fd < 0 || !fn)
		return -1;
	for (i = 0; i < c->nwatches && c->watches[i].fd != fd; i++)
		;
	if (i == c->nwatches) {
		if (c->nwatches == MAX_WATCHES)
			return -1;
		c->nwatches++;
	}
	c->watches[i] = (struct watch){ fd, fn, arg };
	if (sd_loop_watch(c->owner->host->loop, fd, events & (SD_EV_READ | SD_EV_WRITE),
			  on_fd, c) < 0) {
		c->watches[i] = c->watches[--c->nwatches];
		return -1;
	}
	return 0;
}

static void h_unwatch(struct sdp_ctx *c, int fd)
{
	int i;
	for (i = 0; i < c->nwatches; i++)
		if (c->watches[i].fd == fd) {
			sd_loop_unwatch(c->owner->host->loop, fd);
			c->watches[i] = c->watches[--c->nwatches];
			return;
		}
}

static void on_timer(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct ptimer *t = arg;
	sdp_timer_fn fn = t->fn;
	void *a = t->arg;
	t->id = 0;
	t->fn = NULL;
	fn(id, a);
}

static uint64_t h_timer_add(struct sdp_ctx *c, int64_t after_ms, sdp_timer_fn fn, void *arg)
{
	int i;
	if (!fn)
		return 0;
	for (i = 0; i < MAX_TIMERS && c->timers[i].id; i++)
		;
	if (i == MAX_TIMERS) {
		h_log(c, SDP_LOG_ERR, "more than %d timers pending", MAX_TIMERS);
		return 0;
	}
	c->timers[i].fn = fn;
	c->timers[i].arg = arg;
	c->timers[i].ctx = c;
	c->timers[i].id = sd_loop_timer_add(c->owner->host->loop, after_ms < 0 ? 0 : after_ms,
					    on_timer, &c->timers[i]);
	return c->timers[i].id;
}

static void h_timer_del(struct sdp_ctx *c, uint64_t id)
{
	int i;
	if (!id)
		return;
	for (i = 0; i < MAX_TIMERS; i++)
		if (c->timers[i].id == id) {
			sd_loop_timer_del(c->owner->host->loop, id);
			c->timers[i].id = 0;
			c->timers[i].fn = NULL;
			return;
		}
}

static int64_t h_now_ms(struct sdp_ctx *c)
{
	return sd_loop_now(c->owner->host->loop);
}

static int64_t h_wall_ms(struct sdp_ctx *c)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void on_bus(const struct sd_bus_event *ev, void *arg)
{
	struct sdp_ctx *c = arg;
	struct sdp_event pe;
	memset(&pe, 0, sizeof pe);
	switch (ev->kind) {
	case SD_BUS_ALARM: {
		const struct sd_alarm *a = &ev->u.alarm.alarm;
		pe.kind = SDP_EVENT_ALARM;
		pe.u.alarm = (struct sdp_alarm){
			.notif = sd_alarm_notif_name(ev->u.alarm.notif), .id = a->id,
			.severity = sd_alarm_severity_name(a->severity),
			.type = sd_alarm_type_name(a->type), .cause = sd_alarm_cause_name(a->cause),
			.object = a->object, .factory = a->factory, .problem = a->problem,
			.text = a->text, .raised_ms = a->raised_ms, .changed_ms = a->changed_ms,
			.cleared_ms = a->cleared_ms,
		};
		break;
	}
	case SD_BUS_AUDIT: {
		const struct sd_bus_audit *a = &ev->u.audit;
		pe.kind = SDP_EVENT_AUDIT;
		pe.u.audit = (struct sdp_audit){
			.seq = a->seq, .time_ms = a->time_ms, .user = a->user, .role = a->role,
			.factory = a->factory, .op = a->op, .object_factory = a->object_factory,
			.outcome = a->outcome,
		};
		break;
	}
	case SD_BUS_USAGE: {
		const struct sd_bus_usage *u = &ev->u.usage;
		pe.kind = SDP_EVENT_USAGE;
		pe.u.usage = (struct sdp_usage){
			.key = u->key, .factory = u->factory, .slice = u->slice,
			.ul_bytes = u->ul_bytes, .dl_bytes = u->dl_bytes, .seconds = u->seconds,
			.start_ms = u->start_ms, .end_ms = u->end_ms,
		};
		break;
	}
	default:
		return;
	}
	if (c->st != P_RUNNING || !c->ev_fn || !(c->ev_mask & SDP_EVENT_BIT(pe.kind)))
		return;
	c->delivered++;
	c->ev_fn(&pe, c->ev_arg);
}

static int h_subscribe(struct sdp_ctx *c, unsigned mask, size_t max_queued, sdp_event_fn fn,
		       void *arg)
{
	unsigned kinds = 0;
	if (!fn || max_queued == 0)
		return -1;
	if (c->sub >= 0)
		sd_bus_unsubscribe(c->owner->host->bus, c->sub);
	if (mask & SDP_EVENT_BIT(SDP_EVENT_ALARM))
		kinds |= SD_BUS_BIT(SD_BUS_ALARM);
	if (mask & SDP_EVENT_BIT(SDP_EVENT_AUDIT))
		kinds |= SD_BUS_BIT(SD_BUS_AUDIT);
	if (mask & SDP_EVENT_BIT(SDP_EVENT_USAGE))
		kinds |= SD_BUS_BIT(SD_BUS_USAGE);
	c->ev_fn = fn;
	c->ev_arg = arg;
	c->ev_mask = mask;
	c->sub = sd_bus_subscribe_queued(c->owner->host->bus, kinds, max_queued, on_bus, c);
	return c->sub < 0 ? -1 : 0;
}

static int h_publish_sample(struct sdp_ctx *c, const char *slice, const char *metric,
			    double value, int64_t time_ms)
{
	struct sd_bus_event ev = { .kind = SD_BUS_SAMPLE };
	int m = metric ? sd_kpi_metric_parse(metric) : -1;
	if (m < 0 || !slice || sd_model_slice_index(sd_host_model(c->owner->host), slice) < 0 ||
	    !isfinite(value))
		return -1;
	sd_strlcpy(ev.u.sample.slice, slice, sizeof ev.u.sample.slice);
	ev.u.sample.cell_index = -1;
	ev.u.sample.metric = m;
	ev.u.sample.value = value;
	ev.u.sample.value2 = NAN;
	ev.u.sample.time_ms = time_ms;
	sd_bus_publish(c->owner->host->bus, &ev);
	return 0;
}

static int h_slice_by_snssai(struct sdp_ctx *c, int sst, const char *sd, char *buf, size_t bufsz)
{
	struct sd_model *m = sd_host_model(c->owner->host);
	unsigned long sdv = 0;
	bool has_sd = sd && sd[0];
	char *end;
	int i;
	if (has_sd) {
		errno = 0;
		sdv = strtoul(sd, &end, 16);
		if (errno || *end || strlen(sd) != 6)
			return -1;
	}
	for (i = 0; i < m->nslices; i++) {
		const struct sd_snssai *n = &m->slices[i].snssai;
		if (n->sst == sst && n->has_sd == has_sd && (!has_sd || n->sd == sdv)) {
			sd_strlcpy(buf, m->slices[i].id, bufsz);
			return 0;
		}
	}
	return -1;
}

/* ABI 1.1: a slice's live figures */
static int h_slice_live(struct sdp_ctx *c, const char *slice, enum sdp_live_field field,
			long value)
{
	struct sd_model *m = sd_host_model(c->owner->host);
	int i = slice ? sd_model_slice_index(m, slice) : -1;
	long *at;
	if (i < 0 || value < -1)
		return -1;
	if (field == SDP_LIVE_UES)
		at = &m->slices[i].live.ues;
	else if (field == SDP_LIVE_PDU_SESSIONS)
		at = &m->slices[i].live.pdu_sessions;
	else
		return -1;
	m->slices[i].live.updated_ms = h_wall_ms(c);
	if (*at != value) {
		*at = value;
		sd_bus_model_changed(c->owner->host->bus, SD_TOPIC_SLICES, m->slices[i].id, false);
	}
	return 0;
}

static bool token_ok(const char *s, size_t max, const char *extra, bool upper)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > max)
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') ||
		      (!upper && *s >= 'a' && *s <= 'z') || strchr(extra, *s)))
			return false;
	return true;
}

/* ABI 1.1: inventory. The row's source is the plugin's name. */
static int h_nf_report(struct sdp_ctx *c, const struct sdp_nf *pn)
{
	struct sd_model *m = sd_host_model(c->owner->host);
	struct sd_nf_instance nf;
	enum sd_nf_change what = SD_NF_UNCHANGED;
	size_t need = offsetof(struct sdp_nf, load) + sizeof pn->load;
	if (!pn || pn->size < need || !token_ok(pn->id, sizeof nf.id - 1, "._:-", false) ||
	    !token_ok(pn->type, sizeof nf.type - 1, "_", true) ||
	    (pn->load < -1 || pn->load > 100))
		return -1;
	sd_nf_instance_init(&nf);
	sd_strlcpy(nf.id, pn->id, sizeof nf.id);
	sd_strlcpy(nf.type, pn->type, sizeof nf.type);
	sd_strlcpy(nf.source, c->name, sizeof nf.source);
	sd_strlcpy(nf.addr, pn->addr ? pn->addr : "", sizeof nf.addr);
	nf.status = SD_NF_REGISTERED;
	nf.load = pn->load;
	nf.reachable = pn->reachable != 0;
	nf.last_seen_ms = h_wall_ms(c);
	if (sd_model_nf_upsert_move(m, &nf, &what) < 0 || what == SD_NF_REFUSED)
		return -1;
	if (what != SD_NF_UNCHANGED)
		sd_bus_model_changed(c->owner->host->bus, SD_TOPIC_NFS, pn->id, false);
	return 0;
}

static int h_nf_withdraw(struct sdp_ctx *c, const char *id)
{
	char src[sizeof ((struct sd_nf_instance *)0)->source];
	sd_strlcpy(src, c->name, sizeof src);
	if (!id || !sd_model_nf_remove(sd_host_model(c->owner->host), src, id))
		return -1;
	sd_bus_model_changed(c->owner->host->bus, SD_TOPIC_NFS, id, true);
	return 0;
}

/* every NF row the plugin reported goes with it */
static void withdraw_all(struct sdp_ctx *c)
{
	struct sd_model *m = sd_host_model(c->owner->host);
	char src[sizeof ((struct sd_nf_instance *)0)->source];
	int i;
	sd_strlcpy(src, c->name, sizeof src);
	for (i = m->nnfs - 1; i >= 0; i--)
		if (!strcmp(m->nfs[i].source, src)) {
			char id[sizeof m->nfs[i].id];
			sd_strlcpy(id, m->nfs[i].id, sizeof id);
			h_nf_withdraw(c, id);
		}
}

static int find_setting(struct sdp_ctx *c, const char *key)
{
	int i;
	if (!c->conf || !key)
		return -1;
	for (i = 0; i < c->conf->nsettings; i++)
		if (!strcmp(c->conf->settings[i].key, key)) {
			c->read[i] = true;
			return i;
		}
	return -1;
}

static void cfg_error_at(struct sdp_ctx *c, const char *where, const char *key, const char *msg)
{
	char line[768];
	snprintf(line, sizeof line, "%s: plugins.load[%s]%s%s%s: %s", where, c->name,
		 key ? ".settings." : "", key ? key : "", "", msg);
	sd_err("%s", line);
	if (!c->config_errors++)
		sd_strlcpy(c->first_error, line, sizeof c->first_error);
}

static void h_config_error(struct sdp_ctx *c, const char *key, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int i = -1, j;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (c->conf && key)
		for (j = 0; j < c->conf->nsettings; j++)
			if (!strcmp(c->conf->settings[j].key, key))
				i = j;
	cfg_error_at(c, i >= 0 ? c->conf->settings[i].where : c->where, key, msg);
}

static const char *h_setting_str(struct sdp_ctx *c, const char *key, const char *def)
{
	int i = find_setting(c, key);
	if (i < 0)
		return def;
	if (c->conf->settings[i].type != SD_PV_STR) {
		h_config_error(c, key, "expected a string");
		return NULL;
	}
	return c->conf->settings[i].sval;
}

static long long h_setting_int(struct sdp_ctx *c, const char *key, long long def, long long min,
			       long long max)
{
	int i = find_setting(c, key);
	long long v;
	if (i < 0)
		return def;
	if (c->conf->settings[i].type != SD_PV_INT) {
		h_config_error(c, key, "expected an integer");
		return def;
	}
	v = c->conf->settings[i].ival;
	if (v < min || v > max) {
		h_config_error(c, key, "%lld is out of range [%lld, %lld]", v, min, max);
		return def;
	}
	return v;
}

static int h_setting_bool(struct sdp_ctx *c, const char *key, int def)
{
	int i = find_setting(c, key);
	if (i < 0)
		return def;
	if (c->conf->settings[i].type != SD_PV_BOOL) {
		h_config_error(c, key, "expected true or false");
		return def;
	}
	return (int)c->conf->settings[i].ival;
}

static int h_read_secret(struct sdp_ctx *c, const char *path, char *buf, size_t bufsz, char *err,
			 size_t errsz)
{
	struct stat st;
	ssize_t n;
	int fd;
	if (bufsz < 2) {
		snprintf(err, errsz, "no room");
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errsz, "%s: not a regular file", path);
		close(fd);
		return -1;
	}
	if (st.st_mode & 007) {
		snprintf(err, errsz, "%s: a secret file must not be accessible by others "
			 "(mode %04o; chmod o-rwx)", path, (unsigned)(st.st_mode & 07777));
		close(fd);
		return -1;
	}
	n = read(fd, buf, bufsz - 1);
	close(fd);
	if (n < 0) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	buf[n] = 0;
	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = 0;
	if (n > 0 && buf[n - 1] == '\r')
		buf[--n] = 0;
	if (n == 0) {
		snprintf(err, errsz, "%s: empty", path);
		return -1;
	}
	return 0;
}

/* --- loading ------------------------------------------------------------------ */

int sd_plugins_check_dir(const char *dir, uid_t uid, char *err, size_t errsz)
{
	struct stat st;
	if (stat(dir, &st) < 0) {
		snprintf(err, errsz, "plugin directory %s: %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errsz, "plugin directory %s: not a directory", dir);
		return -1;
	}
	if (st.st_uid != 0 && st.st_uid != uid) {
		snprintf(err, errsz, "plugin directory %s is owned by uid %u, not by root or the "
			 "engine's user (uid %u): refused", dir, (unsigned)st.st_uid, (unsigned)uid);
		return -1;
	}
	if (st.st_mode & 022) {
		snprintf(err, errsz, "plugin directory %s is writable by %s (mode %04o): refused; "
			 "chmod go-w %s", dir, (st.st_mode & 002) ? "others" : "its group",
			 (unsigned)(st.st_mode & 07777), dir);
		return -1;
	}
	return 0;
}

static void fail(struct sdp_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct sdp_ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->reason, sizeof c->reason, fmt, ap);
	va_end(ap);
	c->st = P_FAILED;
	sd_err("plugin %s (%s): not loaded: %s", c->name, c->where, c->reason);
}

static void teardown(struct sdp_ctx *c)
{
	int i;
	if (c->started || c->inited) {
		if (c->reg && c->reg->stop && c->inited)
			c->reg->stop(c->state);
	}
	c->started = c->inited = false;
	c->state = NULL;
	withdraw_all(c);
	if (c->sub >= 0) {
		sd_bus_unsubscribe(c->owner->host->bus, c->sub);
		c->sub = -1;
	}
	while (c->nwatches)
		h_unwatch(c, c->watches[c->nwatches - 1].fd);
	for (i = 0; i < MAX_TIMERS; i++)
		if (c->timers[i].id)
			h_timer_del(c, c->timers[i].id);
	if (c->dl) {
		dlclose(c->dl);
		c->dl = NULL;
	}
	c->reg = NULL;
}

static void load_one(struct sd_plugins *ps, struct sdp_ctx *c, const struct sd_plugin_entry *pe,
		     bool dir_ok, const char *dir_err)
{
	const struct sdp_plugin *r;
	sdp_entry_fn entry;
	char err[512] = "";
	int i;

	if (!pe->enabled) {
		c->st = P_DISABLED;
		snprintf(c->reason, sizeof c->reason, "enabled = false");
		return;
	}
	if (!dir_ok) {
		fail(c, "%s", dir_err);
		return;
	}
	/* the name was checked by the section (sd_plugin_name_valid); again
	 * here, as the one place a path is made */
	if (!sd_plugin_name_valid(pe->name)) {
		fail(c, "bad plugin name");
		return;
	}
	snprintf(c->path, sizeof c->path, "%s/%s.so", ps->dir, pe->name);
	{
		struct stat st;
		if (lstat(c->path, &st) < 0) {
			fail(c, "%s: %s", c->path, strerror(errno));
			return;
		}
		if (!S_ISREG(st.st_mode) || (st.st_mode & 022) ||
		    (st.st_uid != 0 && st.st_uid != geteuid())) {
			fail(c, "%s: must be a regular file owned by root or the engine's user and "
			     "not writable by group or others", c->path);
			return;
		}
	}
	dlerror();
	c->dl = dlopen(c->path, RTLD_NOW | RTLD_LOCAL);
	if (!c->dl) {
		const char *e = dlerror();
		fail(c, "dlopen: %s", e ? e : "failed");
		return;
	}
	*(void **)&entry = dlsym(c->dl, SDP_ENTRY_SYMBOL);
	if (!entry) {
		fail(c, "%s: no symbol %s (not a slicedeck plugin?)", c->path, SDP_ENTRY_SYMBOL);
		teardown(c);
		return;
	}
	r = entry();
	if (!r) {
		fail(c, "%s returned no registration", SDP_ENTRY_SYMBOL);
		teardown(c);
		return;
	}
	if (r->abi_major != SDP_ABI_MAJOR) {
		fail(c, "built for plugin ABI %u.%u, this engine has ABI %d.%d", r->abi_major,
		     r->abi_minor, SDP_ABI_MAJOR, SDP_ABI_MINOR);
		teardown(c);
		return;
	}
	if (r->abi_minor > SDP_ABI_MINOR) {
		fail(c, "built for plugin ABI %u.%u, newer than this engine's %d.%d", r->abi_major,
		     r->abi_minor, SDP_ABI_MAJOR, SDP_ABI_MINOR);
		teardown(c);
		return;
	}
	if (r->size < SDP_PLUGIN_SIZE_1_0) {
		fail(c, "registration struct is %u bytes, ABI %d.0 needs at least %zu", r->size,
		     SDP_ABI_MAJOR, (size_t)SDP_PLUGIN_SIZE_1_0);
		teardown(c);
		return;
	}
	if (!r->name || strcmp(r->name, pe->name)) {
		fail(c, "registers as \"%s\", not \"%s\"", r->name ? r->name : "(null)", pe->name);
		teardown(c);
		return;
	}
	if (!r->init) {
		fail(c, "registration has no init callback");
		teardown(c);
		return;
	}
	for (i = 0; i < ps->n; i++)
		if (ps->p[i] != c && ps->p[i]->st == P_RUNNING && !strcmp(ps->p[i]->name, r->name)) {
			fail(c, "a plugin named %s is already loaded", r->name);
			teardown(c);
			return;
		}
	c->reg = r;
	if (r->init(&ps->table, c, &c->state, err, sizeof err) != 0) {
		fail(c, "init failed: %s", err[0] ? err : "(no reason given)");
		c->state = NULL;
		teardown(c);
		return;
	}
	c->inited = true;
	/* configure, with the settings readable */
	c->conf = pe;
	c->nsettings = pe->nsettings;
	c->read = sd_calloc((size_t)(pe->nsettings ? pe->nsettings : 1), sizeof *c->read);
	c->config_errors = 0;
	err[0] = 0;
	if (r->configure && r->configure(c->state, err, sizeof err) != 0 && !c->config_errors)
		cfg_error_at(c, c->where, NULL, err[0] ? err : "configure failed");
	for (i = 0; i < pe->nsettings; i++)
		if (!c->read[i]) {
			char m[256];
			snprintf(m, sizeof m, "unknown setting for plugin %s", c->name);
			cfg_error_at(c, pe->settings[i].where, pe->settings[i].key, m);
		}
	free(c->read);
	c->read = NULL;
	c->conf = NULL;
	if (c->config_errors) {
		fail(c, "configure: %s%s", c->first_error,
		     c->config_errors > 1 ? " (and more, see the log)" : "");
		teardown(c);
		return;
	}
	err[0] = 0;
	c->started = true;
	c->st = P_RUNNING;
	if (r->start && r->start(c->state, err, sizeof err) != 0) {
		fail(c, "start failed: %s", err[0] ? err : "(no reason given)");
		teardown(c);
		return;
	}
	sd_notice("plugin %s %s loaded from %s", r->name, r->version ? r->version : "", c->path);
}

/* --- the op ------------------------------------------------------------------- */

static json_t *op_plugins(struct sd_op_call *call)
{
	struct sd_plugins *ps = call->arg;
	json_t *arr = json_array();
	int i;
	for (i = 0; i < ps->n; i++) {
		struct sdp_ctx *c = ps->p[i];
		json_t *o = json_pack("{s:s, s:s, s:s}", "name", c->name, "state",
				      pstate_names[c->st], "reason", c->reason);
		if (c->reg) {
			json_object_set_new(o, "version", json_string(c->reg->version ? c->reg->version : ""));
			json_object_set_new(o, "description",
					    json_string(c->reg->description ? c->reg->description : ""));
			json_object_set_new(o, "kind", json_string(
				(c->reg->kind & SDP_KIND_SOURCE) && (c->reg->kind & SDP_KIND_SINK)
				? "source+sink" : (c->reg->kind & SDP_KIND_SOURCE) ? "source"
				: (c->reg->kind & SDP_KIND_SINK) ? "sink" : ""));
			json_object_set_new(o, "abi", json_sprintf("%u.%u", c->reg->abi_major,
								   c->reg->abi_minor));
		}
		if (c->sub >= 0) {
			json_object_set_new(o, "delivered", json_integer((json_int_t)c->delivered));
			json_object_set_new(o, "dropped", json_integer(
				(json_int_t)sd_bus_dropped(ps->host->bus, c->sub)));
		}
		json_array_append_new(arr, o);
	}
	return json_pack("{s:s, s:i, s:o}", "dir", ps->dir, "abi_major", SDP_ABI_MAJOR, "plugins", arr);
}

static const struct sd_op plugin_ops[] = {
	{ "plugins", op_plugins, SD_PERM_READ | SD_PERM_ADMIN, 0, NULL,
	  "the configured plugins and their state (running, failed with the reason, disabled)" },
};

struct sd_plugins *sd_plugins_new(const struct sd_host *host, char *err, size_t errsz)
{
	struct sd_plugins *ps = sd_calloc(1, sizeof *ps);
	const struct sd_plugin_conf *pc = sd_plugin_conf_get(sd_host_config(host));
	char derr[512] = "";
	bool dir_ok;
	int i;

	ps->host = host;
	ps->table = (struct sdp_host){
		.size = sizeof(struct sdp_host), .abi_major = SDP_ABI_MAJOR,
		.abi_minor = SDP_ABI_MINOR, .log = h_log, .watch = h_watch,
		.unwatch = h_unwatch, .timer_add = h_timer_add, .timer_del = h_timer_del,
		.now_ms = h_now_ms, .wall_ms = h_wall_ms, .subscribe = h_subscribe,
		.publish_sample = h_publish_sample, .slice_by_snssai = h_slice_by_snssai,
		.setting_str = h_setting_str, .setting_int = h_setting_int,
		.setting_bool = h_setting_bool, .config_error = h_config_error,
		.read_secret = h_read_secret, .slice_live = h_slice_live,
		.nf_report = h_nf_report, .nf_withdraw = h_nf_withdraw,
	};
	if (sd_ops_register(host->ops, plugin_ops, SD_ARRAY_LEN(plugin_ops), ps) < 0) {
		snprintf(err, errsz, "the plugins op is registered twice");
		free(ps);
		return NULL;
	}
	if (!pc || pc->nload == 0)
		return ps;
	sd_strlcpy(ps->dir, pc->dir, sizeof ps->dir);
	dir_ok = sd_plugins_check_dir(ps->dir, geteuid(), derr, sizeof derr) == 0;
	if (!dir_ok)
		sd_err("plugins: %s", derr);
	ps->p = sd_calloc((size_t)pc->nload, sizeof *ps->p);
	for (i = 0; i < pc->nload; i++) {
		struct sdp_ctx *c = sd_calloc(1, sizeof *c);
		c->owner = ps;
		c->sub = -1;
		sd_strlcpy(c->name, pc->load[i].name, sizeof c->name);
		sd_strlcpy(c->where, pc->load[i].where, sizeof c->where);
		ps->p[ps->n++] = c;
		load_one(ps, c, &pc->load[i], dir_ok, derr);
	}
	return ps;
}

void sd_plugins_free(struct sd_plugins *ps)
{
	int i;
	if (!ps)
		return;
	for (i = ps->n - 1; i >= 0; i--) {
		teardown(ps->p[i]);
		if (ps->p[i]->st == P_RUNNING)
			ps->p[i]->st = P_STOPPED;
		free(ps->p[i]);
	}
	free(ps->p);
	sd_ops_unregister(ps->host->ops, plugin_ops);
	free(ps);
}

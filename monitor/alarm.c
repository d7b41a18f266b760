/* monitor/alarm.c — see alarm.h. */
#include "monitor/alarm.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bus.h"
#include "core/log.h"
#include "core/util.h"
#include "monitor/alarm_policy.h"

void sd_alarm_conf_default(struct sd_alarm_conf *c)
{
	c->max_active = 10000;
	c->max_cleared = 256;
}

struct sink {
	char name[32];
	sd_alarm_sink_fn fn;
	void *arg;
	void (*free_arg)(void *);
};

struct sd_alarms {
	struct sd_alarm_conf conf;
	struct sd_store *store;
	struct sd_stmt *up_alarm, *ins_log, *sel_active, *sel_max, *hist;
	struct sd_alarm *active;      /* unordered */
	int nactive, capactive;
	struct sd_alarm *cleared;     /* newest first */
	int ncleared;
	struct sink *sinks;
	int nsinks;
	uint64_t next_id, next_notif;
	uint64_t refused;
	struct sd_complaint full_complaint;
	struct sd_bus *bus;           /* not owned; NULL: no SD_BUS_ALARM events */
};

static const struct sd_store_migration alarm_migrations[] = {
	{ 1,
	  "CREATE TABLE alarm("
	  " id INTEGER PRIMARY KEY, object TEXT NOT NULL, factory TEXT NOT NULL,"
	  " event_type TEXT NOT NULL, cause TEXT NOT NULL, severity TEXT NOT NULL,"
	  " last_severity TEXT NOT NULL, problem TEXT NOT NULL, text TEXT NOT NULL,"
	  " raised_ms INTEGER NOT NULL, changed_ms INTEGER NOT NULL,"
	  " cleared_ms INTEGER NOT NULL, acked_ms INTEGER NOT NULL,"
	  " acked_by TEXT NOT NULL, notification_id INTEGER NOT NULL);"
	  "CREATE INDEX alarm_open ON alarm(cleared_ms);"
	  "CREATE TABLE alarm_log("
	  " notification_id INTEGER PRIMARY KEY, alarm_id INTEGER NOT NULL,"
	  " kind TEXT NOT NULL, severity TEXT NOT NULL, time_ms INTEGER NOT NULL,"
	  " object TEXT NOT NULL, text TEXT NOT NULL);"
	  "CREATE INDEX alarm_log_time ON alarm_log(time_ms);" },
	/* the structured fields; rows from before get kind and id from the
	 * managed object's "kind=id" */
	{ 2,
	  "ALTER TABLE alarm ADD COLUMN object_kind TEXT NOT NULL DEFAULT '';"
	  "ALTER TABLE alarm ADD COLUMN object_id TEXT NOT NULL DEFAULT '';"
	  "ALTER TABLE alarm ADD COLUMN slice TEXT NOT NULL DEFAULT '';"
	  "ALTER TABLE alarm ADD COLUMN snssai TEXT NOT NULL DEFAULT '';"
	  "ALTER TABLE alarm ADD COLUMN site TEXT NOT NULL DEFAULT '';"
	  "ALTER TABLE alarm ADD COLUMN nf TEXT NOT NULL DEFAULT '';"
	  "ALTER TABLE alarm ADD COLUMN observed REAL;"
	  "ALTER TABLE alarm ADD COLUMN target REAL;"
	  "ALTER TABLE alarm ADD COLUMN unit TEXT NOT NULL DEFAULT '';"
	  "UPDATE alarm SET object_kind = substr(object, 1, instr(object, '=') - 1),"
	  " object_id = substr(object, instr(object, '=') + 1) WHERE instr(object, '=') > 1;"
	  "UPDATE alarm SET slice = object_id WHERE object_kind = 'slice';"
	  "UPDATE alarm SET site = object_id WHERE object_kind = 'site';"
	  "UPDATE alarm SET nf = object_id WHERE object_kind = 'nf';" },
};

#define ALARM_COLS "id, object, factory, event_type, cause, severity, last_severity," \
	" problem, text, raised_ms, changed_ms, cleared_ms, acked_ms, acked_by," \
	" notification_id, object_kind, object_id, slice, snssai, site, nf," \
	" observed, target, unit"

static double real_or_nan(struct sd_stmt *st, int col)
{
	return sd_stmt_is_null(st, col) ? NAN : sd_stmt_double(st, col);
}

static int parse_or(const char *const *names, int n, const char *s, int dflt)
{
	for (int i = 0; i < n; i++)
		if (sd_streq(s, names[i]))
			return i;
	return dflt;
}

static void row_to_alarm(struct sd_stmt *st, struct sd_alarm *a)
{
	memset(a, 0, sizeof *a);
	a->id = (uint64_t)sd_stmt_int(st, 0);
	sd_strlcpy(a->object, sd_stmt_text(st, 1), sizeof a->object);
	sd_strlcpy(a->factory, sd_stmt_text(st, 2), sizeof a->factory);
	a->type = parse_or(sd_alarm_type_names, SD_ALARM_TYPE_COUNT, sd_stmt_text(st, 3),
			   SD_ALARM_PROCESSING);
	a->cause = parse_or(sd_alarm_cause_names, SD_CAUSE_COUNT, sd_stmt_text(st, 4), SD_CAUSE_OTHER);
	a->severity = parse_or(sd_alarm_sev_names, SD_SEV_COUNT, sd_stmt_text(st, 5),
			       SD_SEV_INDETERMINATE);
	a->last_severity = parse_or(sd_alarm_sev_names, SD_SEV_COUNT, sd_stmt_text(st, 6),
				    SD_SEV_INDETERMINATE);
	sd_strlcpy(a->problem, sd_stmt_text(st, 7), sizeof a->problem);
	sd_strlcpy(a->text, sd_stmt_text(st, 8), sizeof a->text);
	a->raised_ms = sd_stmt_int(st, 9);
	a->changed_ms = sd_stmt_int(st, 10);
	a->cleared_ms = sd_stmt_int(st, 11);
	a->acked_ms = sd_stmt_int(st, 12);
	sd_strlcpy(a->acked_by, sd_stmt_text(st, 13), sizeof a->acked_by);
	a->notification_id = (uint64_t)sd_stmt_int(st, 14);
	sd_strlcpy(a->object_kind, sd_stmt_text(st, 15), sizeof a->object_kind);
	sd_strlcpy(a->object_id, sd_stmt_text(st, 16), sizeof a->object_id);
	sd_strlcpy(a->slice, sd_stmt_text(st, 17), sizeof a->slice);
	sd_strlcpy(a->snssai, sd_stmt_text(st, 18), sizeof a->snssai);
	sd_strlcpy(a->site, sd_stmt_text(st, 19), sizeof a->site);
	sd_strlcpy(a->nf, sd_stmt_text(st, 20), sizeof a->nf);
	a->observed = real_or_nan(st, 21);
	a->target = real_or_nan(st, 22);
	sd_strlcpy(a->unit, sd_stmt_text(st, 23), sizeof a->unit);
}

static struct sd_alarm *add_active(struct sd_alarms *am)
{
	if (am->nactive == am->capactive) {
		am->capactive = am->capactive ? am->capactive * 2 : 64;
		am->active = sd_reallocarray(am->active, (size_t)am->capactive,
					     sizeof *am->active);
	}
	return &am->active[am->nactive++];
}

struct sd_alarms *sd_alarms_new(const struct sd_alarm_conf *c, struct sd_store *store,
				char *err, size_t errsz)
{
	struct sd_alarms *am = sd_calloc(1, sizeof *am);
	if (c)
		am->conf = *c;
	else
		sd_alarm_conf_default(&am->conf);
	if (am->conf.max_active < 1)
		am->conf.max_active = 1;
	if (am->conf.max_cleared < 0)
		am->conf.max_cleared = 0;
	am->cleared = sd_calloc((size_t)am->conf.max_cleared + 1, sizeof *am->cleared);
	am->next_id = 1;
	am->next_notif = 1;
	am->store = store;
	if (!store)
		return am;
	if (sd_store_migrate(store, "alarm", alarm_migrations,
			     (int)SD_ARRAY_LEN(alarm_migrations), err, errsz) < 0)
		goto fail;
	am->up_alarm = sd_store_prepare(store,
		"INSERT INTO alarm(" ALARM_COLS ") VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,"
		"?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,?24)"
		" ON CONFLICT(id) DO UPDATE SET severity = excluded.severity,"
		" last_severity = excluded.last_severity, text = excluded.text,"
		" changed_ms = excluded.changed_ms, cleared_ms = excluded.cleared_ms,"
		" acked_ms = excluded.acked_ms, acked_by = excluded.acked_by,"
		" notification_id = excluded.notification_id,"
		" object_kind = excluded.object_kind, object_id = excluded.object_id,"
		" slice = excluded.slice, snssai = excluded.snssai, site = excluded.site,"
		" nf = excluded.nf, observed = excluded.observed, target = excluded.target,"
		" unit = excluded.unit");
	am->ins_log = sd_store_prepare(store,
		"INSERT INTO alarm_log VALUES(?1,?2,?3,?4,?5,?6,?7) ON CONFLICT DO NOTHING");
	am->sel_active = sd_store_prepare(store,
		"SELECT " ALARM_COLS " FROM alarm WHERE cleared_ms = 0 ORDER BY id");
	am->sel_max = sd_store_prepare(store,
		"SELECT (SELECT IFNULL(MAX(id), 0) FROM alarm),"
		" (SELECT IFNULL(MAX(notification_id), 0) FROM alarm_log)");
	am->hist = sd_store_prepare(store,
		"SELECT notification_id, alarm_id, kind, severity, time_ms, object, text"
		" FROM alarm_log WHERE time_ms >= ?1 AND time_ms < ?2"
		" ORDER BY notification_id");
	if (!am->up_alarm || !am->ins_log || !am->sel_active || !am->sel_max || !am->hist) {
		snprintf(err, errsz, "alarm: %s", sd_store_errmsg(store));
		goto fail;
	}
	if (sd_stmt_step(am->sel_max) == 1) {
		am->next_id = (uint64_t)sd_stmt_int(am->sel_max, 0) + 1;
		am->next_notif = (uint64_t)sd_stmt_int(am->sel_max, 1) + 1;
	}
	sd_stmt_reset(am->sel_max);
	while (sd_stmt_step(am->sel_active) == 1) {
		if (am->nactive >= am->conf.max_active)
			break;
		row_to_alarm(am->sel_active, add_active(am));
	}
	sd_stmt_reset(am->sel_active);
	return am;
fail:
	sd_alarms_free(am);
	return NULL;
}

void sd_alarms_free(struct sd_alarms *am)
{
	if (!am)
		return;
	for (int i = 0; i < am->nsinks; i++)
		if (am->sinks[i].free_arg)
			am->sinks[i].free_arg(am->sinks[i].arg);
	sd_free(am->sinks);
	sd_free(am->active);
	sd_free(am->cleared);
	sd_free(am);
}

int sd_alarms_add_sink(struct sd_alarms *am, const char *name, sd_alarm_sink_fn fn,
		       void *arg, void (*free_arg)(void *arg))
{
	bool bad = !name || !*name || strlen(name) >= sizeof am->sinks->name || !fn;
	for (int i = 0; !bad && i < am->nsinks; i++)
		if (strcmp(am->sinks[i].name, name) == 0)
			bad = true;
	if (bad) {
		if (free_arg)
			free_arg(arg);
		return -1;
	}
	am->sinks = sd_reallocarray(am->sinks, (size_t)am->nsinks + 1, sizeof *am->sinks);
	struct sink *s = &am->sinks[am->nsinks++];
	sd_strlcpy(s->name, name, sizeof s->name);
	s->fn = fn;
	s->arg = arg;
	s->free_arg = free_arg;
	return 0;
}

int sd_alarms_remove_sink(struct sd_alarms *am, const char *name)
{
	for (int i = 0; i < am->nsinks; i++) {
		if (strcmp(am->sinks[i].name, name) != 0)
			continue;
		if (am->sinks[i].free_arg)
			am->sinks[i].free_arg(am->sinks[i].arg);
		memmove(&am->sinks[i], &am->sinks[i + 1],
			(size_t)(am->nsinks - i - 1) * sizeof *am->sinks);
		am->nsinks--;
		return 0;
	}
	return -1;
}

/* Persist the alarm row and its notification: one store write (a
 * savepoint in the store's batch when it has one, so a failure here never
 * undoes another module's writes). */
static void persist(struct sd_alarms *am, enum sd_alarm_notif kind,
		    const struct sd_alarm *a, int64_t now_ms)
{
	if (!am->store)
		return;
	if (sd_store_write_begin(am->store) < 0)
		goto fail;
	struct sd_stmt *st = am->up_alarm;
	sd_stmt_bind_int(st, 1, (int64_t)a->id);
	sd_stmt_bind_text(st, 2, a->object);
	sd_stmt_bind_text(st, 3, a->factory);
	sd_stmt_bind_text(st, 4, sd_alarm_type_names[a->type]);
	sd_stmt_bind_text(st, 5, sd_alarm_cause_names[a->cause]);
	sd_stmt_bind_text(st, 6, sd_alarm_sev_names[a->severity]);
	sd_stmt_bind_text(st, 7, sd_alarm_sev_names[a->last_severity]);
	sd_stmt_bind_text(st, 8, a->problem);
	sd_stmt_bind_text(st, 9, a->text);
	sd_stmt_bind_int(st, 10, a->raised_ms);
	sd_stmt_bind_int(st, 11, a->changed_ms);
	sd_stmt_bind_int(st, 12, a->cleared_ms);
	sd_stmt_bind_int(st, 13, a->acked_ms);
	sd_stmt_bind_text(st, 14, a->acked_by);
	sd_stmt_bind_int(st, 15, (int64_t)a->notification_id);
	sd_stmt_bind_text(st, 16, a->object_kind);
	sd_stmt_bind_text(st, 17, a->object_id);
	sd_stmt_bind_text(st, 18, a->slice);
	sd_stmt_bind_text(st, 19, a->snssai);
	sd_stmt_bind_text(st, 20, a->site);
	sd_stmt_bind_text(st, 21, a->nf);
	if (isnan(a->observed))
		sd_stmt_bind_null(st, 22);
	else
		sd_stmt_bind_double(st, 22, a->observed);
	if (isnan(a->target))
		sd_stmt_bind_null(st, 23);
	else
		sd_stmt_bind_double(st, 23, a->target);
	sd_stmt_bind_text(st, 24, a->unit);
	if (sd_stmt_run(st) < 0)
		goto fail_txn;
	st = am->ins_log;
	sd_stmt_bind_int(st, 1, (int64_t)a->notification_id);
	sd_stmt_bind_int(st, 2, (int64_t)a->id);
	sd_stmt_bind_text(st, 3, sd_alarm_notif_name(kind));
	sd_stmt_bind_text(st, 4, sd_alarm_sev_names[a->severity]);
	sd_stmt_bind_int(st, 5, now_ms);
	sd_stmt_bind_text(st, 6, a->object);
	sd_stmt_bind_text(st, 7, a->text);
	if (sd_stmt_run(st) < 0)
		goto fail_txn;
	if (sd_store_write_end(am->store, true) < 0)
		goto fail;
	return;
fail_txn:
	sd_store_write_end(am->store, false);
fail:
	sd_warn("alarm: storing notification %llu of alarm %llu: %s",
		(unsigned long long)a->notification_id, (unsigned long long)a->id,
		sd_store_errmsg(am->store));
}

static void notify(struct sd_alarms *am, enum sd_alarm_notif kind, struct sd_alarm *a,
		   int64_t now_ms)
{
	a->notification_id = am->next_notif++;
	persist(am, kind, a, now_ms);
	sd_log(kind == SD_ALARM_NEW ? SD_LOG_WARN : SD_LOG_NOTICE,
	       "alarm %llu %s: %s %s %s/%s: %s", (unsigned long long)a->id,
	       sd_alarm_notif_name(kind), sd_alarm_sev_names[a->severity], a->object,
	       sd_alarm_cause_names[a->cause], a->problem, a->text);
	for (int i = 0; i < am->nsinks; i++)
		am->sinks[i].fn(am->sinks[i].arg, kind, a);
	if (am->bus) {
		struct sd_bus_event ev = { .kind = SD_BUS_ALARM };
		ev.u.alarm.notif = kind;
		ev.u.alarm.alarm = *a;
		sd_bus_publish(am->bus, &ev);
	}
}

void sd_alarms_set_bus(struct sd_alarms *am, struct sd_bus *bus) { am->bus = bus; }

static void clip(char *dst, size_t dstsz, const char *src)
{
	if (!src) {
		dst[0] = '\0';
		return;
	}
	sd_sanitize(dst, dstsz, src, strlen(src));
}

/* The structured fields of a from spec; object is the clipped managed
 * object, whose "kind=id" stands in for a missing kind and id. */
static void fill_structured(struct sd_alarm *a, const struct sd_alarm_spec *spec,
			    const char *object)
{
	const char *eq = strchr(object, '=');
	if (!spec->object_kind && !spec->object_id && eq && eq > object) {
		char kind[sizeof a->object_kind];
		snprintf(kind, sizeof kind, "%.*s", (int)(eq - object), object);
		clip(a->object_kind, sizeof a->object_kind, kind);
		clip(a->object_id, sizeof a->object_id, eq + 1);
	} else {
		clip(a->object_kind, sizeof a->object_kind, spec->object_kind);
		clip(a->object_id, sizeof a->object_id, spec->object_id);
	}
	clip(a->slice, sizeof a->slice, spec->slice);
	clip(a->snssai, sizeof a->snssai, spec->snssai);
	clip(a->site, sizeof a->site, spec->site);
	clip(a->nf, sizeof a->nf, spec->nf);
	clip(a->unit, sizeof a->unit, spec->measured ? spec->unit : NULL);
	a->observed = spec->measured ? spec->observed : NAN;
	a->target = spec->measured ? spec->target : NAN;
}

static int find_active(const struct sd_alarms *am, const char *object,
		       enum sd_alarm_cause cause, const char *problem)
{
	for (int i = 0; i < am->nactive; i++) {
		const struct sd_alarm *a = &am->active[i];
		if (a->cause == cause && strcmp(a->object, object) == 0 &&
		    strcmp(a->problem, problem) == 0)
			return i;
	}
	return -1;
}

int64_t sd_alarm_raise(struct sd_alarms *am, const struct sd_alarm_spec *spec,
		       int64_t now_ms)
{
	if (!spec || !spec->object || !*spec->object ||
	    (unsigned)spec->type >= SD_ALARM_TYPE_COUNT ||
	    (unsigned)spec->cause >= SD_CAUSE_COUNT ||
	    spec->severity <= SD_SEV_CLEARED || spec->severity >= SD_SEV_COUNT)
		return SD_ALARM_EINVAL;
	char object[SD_ALARM_OBJECT_MAX], problem[SD_ALARM_PROBLEM_MAX];
	char text[SD_ALARM_TEXT_MAX], factory[SD_ID_MAX];
	clip(object, sizeof object, spec->object);
	clip(problem, sizeof problem, spec->problem);
	clip(text, sizeof text, spec->text);
	clip(factory, sizeof factory, spec->factory);
	int i = find_active(am, object, spec->cause, problem);
	if (i >= 0) {
		struct sd_alarm *a = &am->active[i];
		if (a->severity == spec->severity && strcmp(a->text, text) == 0)
			return (int64_t)a->id;     /* a repeat: nothing new */
		if (spec->severity > a->severity) {
			a->acked_ms = 0;           /* worse: look again */
			a->acked_by[0] = '\0';
		}
		a->severity = a->last_severity = spec->severity;
		memcpy(a->text, text, sizeof text);
		fill_structured(a, spec, object);
		a->changed_ms = now_ms;
		notify(am, SD_ALARM_CHANGED, a, now_ms);
		return (int64_t)a->id;
	}
	if (am->nactive >= am->conf.max_active) {
		am->refused++;
		sd_complain(&am->full_complaint, SD_LOG_ERR,
			    "alarm: %d alarms active, the limit: refusing %s %s",
			    am->nactive, object, sd_alarm_cause_names[spec->cause]);
		return SD_ALARM_EFULL;
	}
	struct sd_alarm *a = add_active(am);
	memset(a, 0, sizeof *a);
	a->id = am->next_id++;
	memcpy(a->object, object, sizeof object);
	memcpy(a->problem, problem, sizeof problem);
	memcpy(a->text, text, sizeof text);
	memcpy(a->factory, factory, sizeof factory);
	a->type = spec->type;
	a->cause = spec->cause;
	a->severity = a->last_severity = spec->severity;
	fill_structured(a, spec, object);
	a->raised_ms = a->changed_ms = now_ms;
	notify(am, SD_ALARM_NEW, a, now_ms);
	return (int64_t)a->id;
}

/* sd_alarm_clear; observed (may be NULL) is the value that cleared it. */
static int64_t clear_key(struct sd_alarms *am, const char *object, enum sd_alarm_cause cause,
			 const char *problem, const char *text, const double *observed,
			 int64_t now_ms)
{
	if (!object)
		return SD_ALARM_EINVAL;
	char obj[SD_ALARM_OBJECT_MAX], prob[SD_ALARM_PROBLEM_MAX];
	clip(obj, sizeof obj, object);
	clip(prob, sizeof prob, problem);
	int i = find_active(am, obj, cause, prob);
	if (i < 0)
		return SD_ALARM_ENOENT;
	struct sd_alarm a = am->active[i];
	am->active[i] = am->active[--am->nactive];
	if (am->full_complaint.interval_ms && am->nactive < am->conf.max_active)
		sd_complain_clear(&am->full_complaint, "alarm: below the active limit again");
	a.severity = SD_SEV_CLEARED;
	a.cleared_ms = a.changed_ms = now_ms;
	if (text)
		clip(a.text, sizeof a.text, text);
	if (observed)
		a.observed = *observed;
	/* into the cleared list, newest first */
	if (am->conf.max_cleared > 0) {
		int n = am->ncleared < am->conf.max_cleared ? am->ncleared : am->conf.max_cleared - 1;
		memmove(&am->cleared[1], &am->cleared[0], (size_t)n * sizeof *am->cleared);
		am->cleared[0] = a;
		am->ncleared = n + 1;
		notify(am, SD_ALARM_CLEARED, &am->cleared[0], now_ms);
	} else {
		notify(am, SD_ALARM_CLEARED, &a, now_ms);
	}
	return (int64_t)a.id;
}

int64_t sd_alarm_clear(struct sd_alarms *am, const char *object, enum sd_alarm_cause cause,
		       const char *problem, const char *text, int64_t now_ms)
{
	return clear_key(am, object, cause, problem, text, NULL, now_ms);
}

bool sd_alarm_visible(const struct sd_alarm *a, enum sd_role role, const char *factory)
{
	switch (role) {
	case SD_ROLE_OPERATOR:
	case SD_ROLE_VIEWER:
		return true;
	case SD_ROLE_FACTORY:
		return factory && *factory && a->factory[0] &&
		       strcmp(a->factory, factory) == 0;
	case SD_ROLE_NONE:
		break;
	}
	return false;
}

bool sd_alarm_may_ack(const struct sd_alarm *a, enum sd_role role, const char *factory)
{
	(void)factory;
	(void)a;
	return role == SD_ROLE_OPERATOR;
}

static struct sd_alarm *get_mut(struct sd_alarms *am, uint64_t id)
{
	for (int i = 0; i < am->nactive; i++)
		if (am->active[i].id == id)
			return &am->active[i];
	for (int i = 0; i < am->ncleared; i++)
		if (am->cleared[i].id == id)
			return &am->cleared[i];
	return NULL;
}

const struct sd_alarm *sd_alarms_get(const struct sd_alarms *am, uint64_t id)
{
	return get_mut((struct sd_alarms *)am, id);
}

int sd_alarm_ack(struct sd_alarms *am, uint64_t id, enum sd_role role,
		 const char *factory, const char *who, int64_t now_ms)
{
	struct sd_alarm *a = get_mut(am, id);
	if (!a || !sd_alarm_visible(a, role, factory))
		return SD_ALARM_ENOENT;
	if (!sd_alarm_may_ack(a, role, factory))
		return SD_ALARM_EPERM;
	if (a->acked_ms)
		return SD_ALARM_OK;
	a->acked_ms = now_ms;
	clip(a->acked_by, sizeof a->acked_by, who && *who ? who : "?");
	notify(am, SD_ALARM_ACKED, a, now_ms);
	return SD_ALARM_OK;
}

static int cmp_active(const void *x, const void *y)
{
	const struct sd_alarm *a = *(const struct sd_alarm *const *)x;
	const struct sd_alarm *b = *(const struct sd_alarm *const *)y;
	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	if (a->raised_ms != b->raised_ms)
		return a->raised_ms > b->raised_ms ? -1 : 1;
	return a->id > b->id ? -1 : a->id < b->id;
}

int sd_alarms_list(const struct sd_alarms *am, bool include_cleared, enum sd_role role,
		   const char *factory, const struct sd_alarm **out, int max)
{
	int n = 0;
	for (int i = 0; i < am->nactive && n < max; i++)
		if (sd_alarm_visible(&am->active[i], role, factory))
			out[n++] = &am->active[i];
	qsort(out, (size_t)n, sizeof *out, cmp_active);
	for (int i = 0; include_cleared && i < am->ncleared && n < max; i++)
		if (sd_alarm_visible(&am->cleared[i], role, factory))
			out[n++] = &am->cleared[i];
	return n;
}

void sd_alarms_each(const struct sd_alarms *am, bool include_cleared,
		    void (*fn)(const struct sd_alarm *a, void *arg), void *arg)
{
	for (int i = 0; i < am->nactive; i++)
		fn(&am->active[i], arg);
	for (int i = 0; include_cleared && i < am->ncleared; i++)
		fn(&am->cleared[i], arg);
}

int sd_alarms_active_count(const struct sd_alarms *am) { return am->nactive; }
uint64_t sd_alarms_refused(const struct sd_alarms *am) { return am->refused; }

long sd_alarms_history(struct sd_alarms *am, int64_t from_ms, int64_t to_ms,
		       sd_alarm_log_fn fn, void *arg)
{
	if (!am->store)
		return -1;
	struct sd_stmt *st = am->hist;
	sd_stmt_bind_int(st, 1, from_ms);
	sd_stmt_bind_int(st, 2, to_ms);
	long n = 0;
	int rc;
	while ((rc = sd_stmt_step(st)) == 1) {
		const char *kind = sd_stmt_text(st, 2);
		enum sd_alarm_notif k = SD_ALARM_NEW;
		for (int i = SD_ALARM_NEW; i <= SD_ALARM_ACKED; i++)
			if (strcmp(kind, sd_alarm_notif_name(i)) == 0)
				k = i;
		fn(arg, (uint64_t)sd_stmt_int(st, 0), (uint64_t)sd_stmt_int(st, 1), k,
		   parse_or(sd_alarm_sev_names, SD_SEV_COUNT, sd_stmt_text(st, 3),
			    SD_SEV_INDETERMINATE),
		   sd_stmt_int(st, 4), sd_stmt_text(st, 5), sd_stmt_text(st, 6));
		n++;
	}
	sd_stmt_reset(st);
	return rc < 0 ? -1 : n;
}

json_t *sd_alarm_time_json(int64_t ms)
{
	char buf[40];
	if (!ms)
		return json_null();
	sd_fmt_time(ms, buf, sizeof buf);
	return json_string(buf);
}

static json_t *str_or_null(const char *s)
{
	return s[0] ? json_string(s) : json_null();
}

static json_t *num_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

json_t *sd_alarm_to_json(const struct sd_alarm *a)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer((json_int_t)a->id));
	json_object_set_new(o, "notification_id", json_integer((json_int_t)a->notification_id));
	json_object_set_new(o, "object", json_string(a->object));
	json_object_set_new(o, "factory", a->factory[0] ? json_string(a->factory) : json_null());
	json_object_set_new(o, "event_type", json_string(sd_alarm_type_names[a->type]));
	json_object_set_new(o, "probable_cause", json_string(sd_alarm_cause_names[a->cause]));
	json_object_set_new(o, "severity", json_string(sd_alarm_sev_names[a->severity]));
	json_object_set_new(o, "last_severity", json_string(sd_alarm_sev_names[a->last_severity]));
	json_object_set_new(o, "specific_problem", json_string(a->problem));
	json_object_set_new(o, "text", json_string(a->text));
	json_object_set_new(o, "raised", sd_alarm_time_json(a->raised_ms));
	json_object_set_new(o, "changed", sd_alarm_time_json(a->changed_ms));
	json_object_set_new(o, "cleared", sd_alarm_time_json(a->cleared_ms));
	json_object_set_new(o, "acked", sd_alarm_time_json(a->acked_ms));
	json_object_set_new(o, "acked_by", a->acked_ms ? json_string(a->acked_by) : json_null());
	json_object_set_new(o, "active", json_boolean(a->severity != SD_SEV_CLEARED));
	json_object_set_new(o, "object_kind", str_or_null(a->object_kind));
	json_object_set_new(o, "object_id", str_or_null(a->object_id));
	json_object_set_new(o, "slice", str_or_null(a->slice));
	json_object_set_new(o, "snssai", str_or_null(a->snssai));
	json_object_set_new(o, "site", str_or_null(a->site));
	json_object_set_new(o, "nf", str_or_null(a->nf));
	json_object_set_new(o, "observed", num_or_null(a->observed));
	json_object_set_new(o, "target", num_or_null(a->target));
	json_object_set_new(o, "unit", str_or_null(a->unit));
	return o;
}

/* --- sources ------------------------------------------------------------ */

int64_t sd_alarm_sla_ex(struct sd_alarms *am, const struct sd_alarm_sla_in *in,
			int64_t now_ms)
{
	char object[SD_ALARM_OBJECT_MAX], problem[SD_ALARM_PROBLEM_MAX];
	char text[SD_ALARM_TEXT_MAX];
	const char *slice = in->slice ? in->slice : "?", *kpi = in->kpi ? in->kpi : "?";
	const char *u = in->unit ? in->unit : "";
	snprintf(object, sizeof object, "slice=%s", slice);
	snprintf(problem, sizeof problem, "sla-%s", kpi);
	char obs[32], tgt[32];
	snprintf(text, sizeof text, "SLA %s %s: observed %s %s, contract %s %s", kpi,
		 in->breach ? "breached" : "met again", sd_fmt_sig(in->observed, obs, sizeof obs), u,
		 sd_fmt_sig(in->target, tgt, sizeof tgt), u);
	if (!in->breach)
		return clear_key(am, object, SD_CAUSE_THRESHOLD_CROSSED, problem, text,
				 &in->observed, now_ms);
	struct sd_alarm_spec spec = {
		.object = object, .factory = in->factory, .type = SD_ALARM_QOS,
		.cause = SD_CAUSE_THRESHOLD_CROSSED,
		.severity = sd_alarm_policy_severity(SD_CAUSE_THRESHOLD_CROSSED, "slice",
						     kpi, in->grade),
		.problem = problem, .text = text,
		.object_kind = "slice", .object_id = slice, .slice = slice,
		.snssai = in->snssai, .measured = true, .observed = in->observed,
		.target = in->target, .unit = u,
	};
	return sd_alarm_raise(am, &spec, now_ms);
}

int64_t sd_alarm_sla(struct sd_alarms *am, const char *slice, const char *factory,
		     const char *kpi, bool breach, double observed, double target,
		     const char *unit, int64_t now_ms)
{
	struct sd_alarm_sla_in in = {
		.slice = slice, .factory = factory, .kpi = kpi, .breach = breach,
		.observed = observed, .target = target, .unit = unit,
	};
	return sd_alarm_sla_ex(am, &in, now_ms);
}

int64_t sd_alarm_nf(struct sd_alarms *am, const char *nf_id, const char *type,
		    const char *name, bool reachable, int64_t now_ms)
{
	char object[SD_ALARM_OBJECT_MAX], text[SD_ALARM_TEXT_MAX];
	const char *id = nf_id ? nf_id : "?";
	snprintf(object, sizeof object, "nf=%s", id);
	snprintf(text, sizeof text, "%s %s (%s) %s", type && *type ? type : "NF",
		 name && *name ? name : "-", id,
		 reachable ? "reachable again" : "unreachable");
	if (reachable)
		return clear_key(am, object, SD_CAUSE_COMMS_FAILURE, "nf-unreachable",
				 text, NULL, now_ms);
	struct sd_alarm_spec spec = {
		.object = object, .factory = NULL, .type = SD_ALARM_COMMUNICATIONS,
		.cause = SD_CAUSE_COMMS_FAILURE,
		.severity = sd_alarm_policy_severity(SD_CAUSE_COMMS_FAILURE, "nf", type, 0),
		.problem = "nf-unreachable", .text = text,
		.object_kind = "nf", .object_id = id, .nf = id,
	};
	return sd_alarm_raise(am, &spec, now_ms);
}

int64_t sd_alarm_coverage_ex(struct sd_alarms *am, const char *site, const char *factory,
			     int grade, double share_pct, double target_pct, int64_t now_ms)
{
	char object[SD_ALARM_OBJECT_MAX], text[SD_ALARM_TEXT_MAX];
	const char *id = site ? site : "?";
	snprintf(object, sizeof object, "site=%s", id);
	snprintf(text, sizeof text, "coverage %.1f %% (the lower of the sample share and the "
		 "area share, measured and predicted), target %.1f %%", share_pct, target_pct);
	if (!(share_pct < target_pct))
		return clear_key(am, object, SD_CAUSE_DEGRADED_SIGNAL,
				 "coverage-below-target", text, &share_pct, now_ms);
	struct sd_alarm_spec spec = {
		.object = object, .factory = factory, .type = SD_ALARM_QOS,
		.cause = SD_CAUSE_DEGRADED_SIGNAL,
		.severity = sd_alarm_policy_severity(SD_CAUSE_DEGRADED_SIGNAL, "site",
						     NULL, grade),
		.problem = "coverage-below-target", .text = text,
		.object_kind = "site", .object_id = id, .site = id,
		.measured = true, .observed = share_pct, .target = target_pct, .unit = "%",
	};
	return sd_alarm_raise(am, &spec, now_ms);
}

int64_t sd_alarm_coverage(struct sd_alarms *am, const char *site, const char *factory,
			  double share_pct, double target_pct, int64_t now_ms)
{
	return sd_alarm_coverage_ex(am, site, factory, 0, share_pct, target_pct, now_ms);
}

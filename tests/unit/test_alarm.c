/* tests/unit/test_alarm.c — monitor/alarm.c: de-duplication, severity
 * changes, raise/clear correlation, ack rules per role, visibility,
 * sinks and their destructors, the sources, limits, sanitising, and
 * history/active alarms across a restart; the structured fields (filled
 * by every source, stored, restored, migrated from a version-1 store, in
 * the JSON form), the severity policy table, notifications on the bus,
 * the iterator, and alarm writes inside the store's batch. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bus.h"
#include "core/loop.h"
#include "core/store.h"
#include "core/util.h"
#include "monitor/alarm.h"
#include "monitor/alarm_policy.h"

static char dir[64], path[128];

static int setup(void **st)
{
	strcpy(dir, "/tmp/sd-alarm-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof path, "%s/alarm.db", dir);
	return 0;
}

static int teardown(void **st)
{
	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

struct rec {
	int n;
	enum sd_alarm_notif kind[64];
	uint64_t id[64], notif[64];
	enum sd_alarm_severity sev[64];
	int *freed;
};

static void sink(void *arg, enum sd_alarm_notif kind, const struct sd_alarm *a)
{
	struct rec *r = arg;
	if (r->n < 64) {
		r->kind[r->n] = kind;
		r->id[r->n] = a->id;
		r->notif[r->n] = a->notification_id;
		r->sev[r->n] = a->severity;
	}
	r->n++;
}

static void rec_free(void *arg)
{
	struct rec *r = arg;
	(*r->freed)++;
}

static struct sd_alarm_spec spec(const char *obj, const char *fac,
				 enum sd_alarm_severity sev, const char *text)
{
	struct sd_alarm_spec s = {
		.object = obj, .factory = fac, .type = SD_ALARM_QOS,
		.cause = SD_CAUSE_THRESHOLD_CROSSED, .severity = sev,
		.problem = "sla-latency", .text = text,
	};
	return s;
}

static void test_dedup_and_correlation(void **st)
{
	int freed = 0;
	struct rec r = { .freed = &freed };
	struct sd_alarms *am = sd_alarms_new(NULL, NULL, NULL, 0);
	assert_int_equal(sd_alarms_add_sink(am, "rec", sink, &r, rec_free), 0);
	struct sd_alarm_spec s = spec("slice=s1", "f1", SD_SEV_MAJOR, "p99 30 ms");
	int64_t id = sd_alarm_raise(am, &s, 1000);
	assert_true(id > 0);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.kind[0], SD_ALARM_NEW);
	/* the same again: one alarm, no notification */
	assert_int_equal(sd_alarm_raise(am, &s, 2000), id);
	assert_int_equal(r.n, 1);
	assert_int_equal(sd_alarms_active_count(am), 1);
	/* severity change: same alarm, CHANGED, new notification id */
	s.severity = SD_SEV_CRITICAL;
	assert_int_equal(sd_alarm_raise(am, &s, 3000), id);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.kind[1], SD_ALARM_CHANGED);
	assert_int_equal(r.sev[1], SD_SEV_CRITICAL);
	assert_true(r.notif[1] > r.notif[0]);
	const struct sd_alarm *a = sd_alarms_get(am, (uint64_t)id);
	assert_int_equal(a->raised_ms, 1000);
	assert_int_equal(a->changed_ms, 3000);
	assert_string_equal(a->factory, "f1");
	/* another specific problem on the same object is another alarm */
	struct sd_alarm_spec s2 = s;
	s2.problem = "sla-availability";
	int64_t id2 = sd_alarm_raise(am, &s2, 3500);
	assert_true(id2 > id);
	assert_int_equal(sd_alarms_active_count(am), 2);
	/* clear correlates with the raise */
	assert_int_equal(sd_alarm_clear(am, "slice=s1", SD_CAUSE_THRESHOLD_CROSSED,
					"sla-latency", "p99 8 ms", 4000), id);
	assert_int_equal(r.kind[r.n - 1], SD_ALARM_CLEARED);
	a = sd_alarms_get(am, (uint64_t)id);
	assert_int_equal(a->severity, SD_SEV_CLEARED);
	assert_int_equal(a->last_severity, SD_SEV_CRITICAL);
	assert_int_equal(a->cleared_ms, 4000);
	assert_string_equal(a->text, "p99 8 ms");
	assert_int_equal(sd_alarms_active_count(am), 1);
	/* clearing again, or something never raised: nothing to clear */
	assert_int_equal(sd_alarm_clear(am, "slice=s1", SD_CAUSE_THRESHOLD_CROSSED,
					"sla-latency", NULL, 5000), SD_ALARM_ENOENT);
	assert_int_equal(sd_alarm_clear(am, "slice=zz", SD_CAUSE_CONGESTION, "",
					NULL, 5000), SD_ALARM_ENOENT);
	/* raised again later: a new alarm */
	int64_t id3 = sd_alarm_raise(am, &s, 6000);
	assert_true(id3 > id2);
	/* invalid specs */
	struct sd_alarm_spec bad = s;
	bad.severity = SD_SEV_CLEARED;
	assert_int_equal(sd_alarm_raise(am, &bad, 1), SD_ALARM_EINVAL);
	bad = s;
	bad.object = "";
	assert_int_equal(sd_alarm_raise(am, &bad, 1), SD_ALARM_EINVAL);
	/* list: active most severe first, then cleared */
	const struct sd_alarm *out[8];
	int n = sd_alarms_list(am, true, SD_ROLE_OPERATOR, NULL, out, 8);
	assert_int_equal(n, 3);
	assert_int_equal(out[0]->id, (uint64_t)id3);
	assert_int_equal(out[1]->id, (uint64_t)id2);
	assert_int_equal(out[2]->id, (uint64_t)id);
	assert_int_equal(sd_alarms_list(am, false, SD_ROLE_OPERATOR, NULL, out, 8), 2);
	/* sinks: duplicate names refused (and the state freed), removal frees */
	int freed2 = 0;
	struct rec r2 = { .freed = &freed2 };
	assert_int_equal(sd_alarms_add_sink(am, "rec", sink, &r2, rec_free), -1);
	assert_int_equal(freed2, 1);
	assert_int_equal(sd_alarms_remove_sink(am, "rec"), 0);
	assert_int_equal(freed, 1);
	assert_int_equal(sd_alarms_remove_sink(am, "rec"), -1);
	assert_int_equal(sd_alarms_add_sink(am, "rec2", sink, &r2, rec_free), 0);
	sd_alarms_free(am);
	assert_int_equal(freed2, 2);
}

static void test_ack_rules(void **st)
{
	struct sd_alarms *am = sd_alarms_new(NULL, NULL, NULL, 0);
	struct sd_alarm_spec s = spec("slice=s1", "f1", SD_SEV_MINOR, "x");
	uint64_t id = (uint64_t)sd_alarm_raise(am, &s, 1000);
	uint64_t zone = (uint64_t)sd_alarm_nf(am, "5f1e2d3c-0000-4000-8000-000000000001",
					      "AMF", "amf-1", false, 1000);
	/* visibility */
	const struct sd_alarm *a = sd_alarms_get(am, id), *z = sd_alarms_get(am, zone);
	assert_true(sd_alarm_visible(a, SD_ROLE_VIEWER, NULL));
	assert_true(sd_alarm_visible(a, SD_ROLE_FACTORY, "f1"));
	assert_false(sd_alarm_visible(a, SD_ROLE_FACTORY, "f2"));
	assert_false(sd_alarm_visible(z, SD_ROLE_FACTORY, "f1"));
	assert_false(sd_alarm_visible(a, SD_ROLE_NONE, NULL));
	const struct sd_alarm *out[4];
	assert_int_equal(sd_alarms_list(am, true, SD_ROLE_FACTORY, "f1", out, 4), 1);
	assert_int_equal(sd_alarms_list(am, true, SD_ROLE_FACTORY, "f2", out, 4), 0);
	assert_int_equal(sd_alarms_list(am, true, SD_ROLE_VIEWER, NULL, out, 4), 2);
	assert_int_equal(sd_alarms_list(am, true, SD_ROLE_NONE, NULL, out, 4), 0);
	/* ack: viewers and factory users may not; another factory's alarm
	 * does not exist for a factory user */
	assert_int_equal(sd_alarm_ack(am, id, SD_ROLE_VIEWER, NULL, "vic", 2000), SD_ALARM_EPERM);
	assert_int_equal(sd_alarm_ack(am, id, SD_ROLE_FACTORY, "f1", "fred", 2000), SD_ALARM_EPERM);
	assert_int_equal(sd_alarm_ack(am, id, SD_ROLE_FACTORY, "f2", "gus", 2000), SD_ALARM_ENOENT);
	assert_int_equal(sd_alarm_ack(am, 999, SD_ROLE_OPERATOR, NULL, "olga", 2000), SD_ALARM_ENOENT);
	assert_int_equal(sd_alarms_get(am, id)->acked_ms, 0);
	assert_int_equal(sd_alarm_ack(am, id, SD_ROLE_OPERATOR, NULL, "olga", 2000), SD_ALARM_OK);
	assert_int_equal(sd_alarms_get(am, id)->acked_ms, 2000);
	assert_string_equal(sd_alarms_get(am, id)->acked_by, "olga");
	/* a second ack keeps the first */
	assert_int_equal(sd_alarm_ack(am, id, SD_ROLE_OPERATOR, NULL, "otto", 2500), SD_ALARM_OK);
	assert_string_equal(sd_alarms_get(am, id)->acked_by, "olga");
	/* a severity decrease keeps the ack, an increase withdraws it */
	s.severity = SD_SEV_WARNING;
	sd_alarm_raise(am, &s, 3000);
	assert_int_equal(sd_alarms_get(am, id)->acked_ms, 2000);
	s.severity = SD_SEV_MAJOR;
	sd_alarm_raise(am, &s, 3100);
	assert_int_equal(sd_alarms_get(am, id)->acked_ms, 0);
	assert_string_equal(sd_alarms_get(am, id)->acked_by, "");
	/* cleared alarms may still be acked */
	sd_alarm_nf(am, "5f1e2d3c-0000-4000-8000-000000000001", "AMF", "amf-1", true, 4000);
	assert_int_equal(sd_alarm_ack(am, zone, SD_ROLE_OPERATOR, NULL, "olga", 4100), SD_ALARM_OK);
	assert_int_equal(sd_alarms_get(am, zone)->severity, SD_SEV_CLEARED);
	assert_int_equal(sd_alarms_get(am, zone)->acked_ms, 4100);
	sd_alarms_free(am);
}

static void test_sources_and_limits(void **st)
{
	struct sd_alarm_conf c;
	sd_alarm_conf_default(&c);
	c.max_active = 3;
	c.max_cleared = 2;
	struct sd_alarms *am = sd_alarms_new(&c, NULL, NULL, 0);
	int64_t a = sd_alarm_sla(am, "s1", "f1", "latency", true, 31.5, 20, "ms", 10);
	const struct sd_alarm *x = sd_alarms_get(am, (uint64_t)a);
	assert_string_equal(x->object, "slice=s1");
	assert_string_equal(x->problem, "sla-latency");
	assert_int_equal(x->severity, SD_SEV_MAJOR);
	assert_int_equal(x->type, SD_ALARM_QOS);
	assert_int_equal(x->cause, SD_CAUSE_THRESHOLD_CROSSED);
	assert_non_null(strstr(x->text, "31.5 ms"));
	int64_t b = sd_alarm_sla(am, "s1", "f1", "availability", true, 99, 99.9, "%", 10);
	assert_int_equal(sd_alarms_get(am, (uint64_t)b)->severity, SD_SEV_CRITICAL);
	int64_t cv = sd_alarm_coverage(am, "hall-a", "f1", 80, 95, 10);
	x = sd_alarms_get(am, (uint64_t)cv);
	assert_string_equal(x->object, "site=hall-a");
	assert_int_equal(x->cause, SD_CAUSE_DEGRADED_SIGNAL);
	assert_int_equal(x->severity, SD_SEV_MINOR);
	/* the limit: a fourth is refused and counted */
	assert_int_equal(sd_alarm_nf(am, "nf-x", "PCF", "pcf", false, 11), SD_ALARM_EFULL);
	assert_int_equal(sd_alarms_refused(am), 1);
	/* recoveries clear */
	assert_int_equal(sd_alarm_sla(am, "s1", "f1", "latency", false, 8, 20, "ms", 20), a);
	assert_int_equal(sd_alarm_coverage(am, "hall-a", "f1", 96, 95, 20), cv);
	assert_int_equal(sd_alarm_coverage(am, "hall-a", "f1", 96, 95, 21), SD_ALARM_ENOENT);
	int64_t nf = sd_alarm_nf(am, "nf-x", "PCF", "pcf", false, 22);
	assert_true(nf > 0);
	assert_int_equal(sd_alarms_get(am, (uint64_t)nf)->severity, SD_SEV_MAJOR);
	assert_int_equal(sd_alarm_nf(am, "nf-x", "PCF", "pcf", true, 23), nf);
	/* only the last two cleared are kept in memory */
	assert_null(sd_alarms_get(am, (uint64_t)a));
	assert_non_null(sd_alarms_get(am, (uint64_t)cv));
	assert_non_null(sd_alarms_get(am, (uint64_t)nf));
	/* peer text is sanitised */
	int64_t e = sd_alarm_nf(am, "nf-\033[2J", "SMF", "evil\033]0;x\007", false, 30);
	x = sd_alarms_get(am, (uint64_t)e);
	assert_null(strchr(x->object, '\033'));
	assert_null(strchr(x->text, '\033'));
	assert_null(strchr(x->text, '\007'));
	assert_int_equal(x->severity, SD_SEV_CRITICAL);
	/* names */
	assert_string_equal(sd_alarm_severity_name(SD_SEV_MAJOR), "major");
	assert_int_equal(sd_alarm_severity_parse("warning"), SD_SEV_WARNING);
	assert_string_equal(sd_alarm_type_name(SD_ALARM_QOS), "qualityOfServiceAlarm");
	assert_string_equal(sd_alarm_cause_name(SD_CAUSE_COMMS_FAILURE),
			    "communicationsSubsystemFailure");
	assert_int_equal(sd_alarm_cause_parse("degradedSignal"), SD_CAUSE_DEGRADED_SIGNAL);
	sd_alarms_free(am);
}

struct log { int n; char kinds[16][12]; };
static void on_log(void *arg, uint64_t nid, uint64_t aid, enum sd_alarm_notif kind,
		   enum sd_alarm_severity sev, int64_t t, const char *obj, const char *text)
{
	struct log *l = arg;
	if (l->n < 16)
		sd_strlcpy(l->kinds[l->n], sd_alarm_notif_name(kind), 12);
	l->n++;
}

static void test_store_restart(void **st)
{
	char err[256] = "";
	struct sd_store *db = sd_store_open(path, err, sizeof err);
	struct sd_alarms *am = sd_alarms_new(NULL, db, err, sizeof err);
	assert_non_null(am);
	int64_t a = sd_alarm_sla(am, "s1", "f1", "latency", true, 30, 20, "ms", 1000);
	int64_t b = sd_alarm_sla(am, "s2", "f2", "latency", true, 30, 20, "ms", 1100);
	sd_alarm_ack(am, (uint64_t)a, SD_ROLE_OPERATOR, NULL, "olga", 1200);
	sd_alarm_sla(am, "s2", "f2", "latency", false, 5, 20, "ms", 1300);
	sd_alarms_free(am);
	sd_store_close(db);

	db = sd_store_open(path, err, sizeof err);
	am = sd_alarms_new(NULL, db, err, sizeof err);
	assert_non_null(am);
	/* the active one is back, acked; the cleared one is history */
	assert_int_equal(sd_alarms_active_count(am), 1);
	const struct sd_alarm *x = sd_alarms_get(am, (uint64_t)a);
	assert_non_null(x);
	assert_string_equal(x->acked_by, "olga");
	assert_string_equal(x->factory, "f1");
	assert_int_equal(x->severity, SD_SEV_MAJOR);
	assert_null(sd_alarms_get(am, (uint64_t)b));
	/* it still correlates: the recovery clears it */
	assert_int_equal(sd_alarm_sla(am, "s1", "f1", "latency", false, 5, 20, "ms", 2000), a);
	/* ids continue */
	int64_t c = sd_alarm_sla(am, "s3", "f1", "latency", true, 30, 20, "ms", 2100);
	assert_true(c > b);
	struct log l = { 0 };
	assert_int_equal(sd_alarms_history(am, 0, 10000, on_log, &l), 6);
	assert_string_equal(l.kinds[0], "new");
	assert_string_equal(l.kinds[2], "acked");
	assert_string_equal(l.kinds[3], "cleared");
	assert_string_equal(l.kinds[5], "new");
	sd_alarms_free(am);
	sd_store_close(db);
}

static void test_json(void **st)
{
	struct sd_alarms *am = sd_alarms_new(NULL, NULL, NULL, 0);
	/* 2026-11-23T10:00:00Z */
	int64_t t = 1795428000000LL;
	int64_t id = sd_alarm_sla(am, "s1", "f1", "latency", true, 31.5, 20, "ms", t);
	json_t *j = sd_alarm_to_json(sd_alarms_get(am, (uint64_t)id));
	assert_int_equal(json_integer_value(json_object_get(j, "id")), id);
	assert_string_equal(json_string_value(json_object_get(j, "object")), "slice=s1");
	assert_string_equal(json_string_value(json_object_get(j, "factory")), "f1");
	assert_string_equal(json_string_value(json_object_get(j, "event_type")),
			    "qualityOfServiceAlarm");
	assert_string_equal(json_string_value(json_object_get(j, "probable_cause")),
			    "thresholdCrossed");
	assert_string_equal(json_string_value(json_object_get(j, "severity")), "major");
	assert_string_equal(json_string_value(json_object_get(j, "specific_problem")),
			    "sla-latency");
	assert_string_equal(json_string_value(json_object_get(j, "raised")),
			    "2026-11-23T10:00:00.000Z");
	assert_true(json_is_null(json_object_get(j, "cleared")));
	assert_true(json_is_null(json_object_get(j, "acked_by")));
	assert_true(json_is_true(json_object_get(j, "active")));
	json_decref(j);
	sd_alarm_ack(am, (uint64_t)id, SD_ROLE_OPERATOR, NULL, "olga", t + 1000);
	sd_alarm_sla(am, "s1", "f1", "latency", false, 8, 20, "ms", t + 2000);
	j = sd_alarm_to_json(sd_alarms_get(am, (uint64_t)id));
	assert_string_equal(json_string_value(json_object_get(j, "acked_by")), "olga");
	assert_string_equal(json_string_value(json_object_get(j, "cleared")),
			    "2026-11-23T10:00:02.000Z");
	assert_string_equal(json_string_value(json_object_get(j, "severity")), "cleared");
	assert_string_equal(json_string_value(json_object_get(j, "last_severity")), "major");
	assert_true(json_is_false(json_object_get(j, "active")));
	json_decref(j);
	int64_t nf = sd_alarm_nf(am, "nf-1", "AMF", "amf", false, t);
	j = sd_alarm_to_json(sd_alarms_get(am, (uint64_t)nf));
	assert_true(json_is_null(json_object_get(j, "factory")));
	json_decref(j);
	sd_alarms_free(am);
}


static void test_structured_fields(void **st)
{
	struct sd_alarms *am = sd_alarms_new(NULL, NULL, NULL, 0);
	struct sd_alarm_sla_in in = {
		.slice = "bhm-crane-rc", .factory = "beilun-heavy", .grade = 2,
		.snssai = "1-000001", .kpi = "latency", .breach = true,
		.observed = 31.5, .target = 20, .unit = "ms",
	};
	int64_t id = sd_alarm_sla_ex(am, &in, 1000);
	const struct sd_alarm *a = sd_alarms_get(am, (uint64_t)id);
	assert_string_equal(a->object, "slice=bhm-crane-rc");
	assert_string_equal(a->object_kind, "slice");
	assert_string_equal(a->object_id, "bhm-crane-rc");
	assert_string_equal(a->slice, "bhm-crane-rc");
	assert_string_equal(a->snssai, "1-000001");
	assert_string_equal(a->site, "");
	assert_string_equal(a->nf, "");
	assert_true(a->observed == 31.5 && a->target == 20);
	assert_string_equal(a->unit, "ms");
	assert_int_equal(a->severity, SD_SEV_MAJOR);
	assert_non_null(strstr(a->text, "SLA latency breached: observed 31.5 ms, contract 20 ms"));
	/* worse: the fields follow the change */
	in.observed = 45;
	assert_int_equal(sd_alarm_sla_ex(am, &in, 2000), id);
	assert_true(a->observed == 45);
	/* the recovery records the value that cleared it */
	in.breach = false;
	in.observed = 8;
	assert_int_equal(sd_alarm_sla_ex(am, &in, 3000), id);
	a = sd_alarms_get(am, (uint64_t)id);     /* moved to the cleared list */
	assert_int_equal(a->severity, SD_SEV_CLEARED);
	assert_true(a->observed == 8 && a->target == 20);

	int64_t nf = sd_alarm_nf(am, "5f1e-amf", "AMF", "amf-1", false, 1000);
	a = sd_alarms_get(am, (uint64_t)nf);
	assert_string_equal(a->object_kind, "nf");
	assert_string_equal(a->object_id, "5f1e-amf");
	assert_string_equal(a->nf, "5f1e-amf");
	assert_string_equal(a->slice, "");
	assert_true(isnan(a->observed) && isnan(a->target));
	assert_string_equal(a->unit, "");

	int64_t cv = sd_alarm_coverage_ex(am, "bhm-works", "beilun-heavy", 2, 80, 95, 1000);
	a = sd_alarms_get(am, (uint64_t)cv);
	assert_string_equal(a->object_kind, "site");
	assert_string_equal(a->site, "bhm-works");
	assert_true(a->observed == 80 && a->target == 95);
	assert_string_equal(a->unit, "%");
	assert_int_equal(a->severity, SD_SEV_MINOR);

	/* a plugin's raise without them: kind and id from "kind=id", no values */
	struct sd_alarm_spec s = spec("cell=hall-a-1", "f1", SD_SEV_WARNING, "x");
	a = sd_alarms_get(am, (uint64_t)sd_alarm_raise(am, &s, 1000));
	assert_string_equal(a->object_kind, "cell");
	assert_string_equal(a->object_id, "hall-a-1");
	assert_true(isnan(a->observed));
	s = spec("engine", NULL, SD_SEV_WARNING, "x");
	a = sd_alarms_get(am, (uint64_t)sd_alarm_raise(am, &s, 1000));
	assert_string_equal(a->object_kind, "");
	/* peer text in the structured fields is sanitised too */
	s = spec("slice=s9", "f1", SD_SEV_WARNING, "x");
	s.snssai = "1-\033[2J";
	a = sd_alarms_get(am, (uint64_t)sd_alarm_raise(am, &s, 1000));
	assert_null(strchr(a->snssai, '\033'));

	/* JSON: the new members; the old ones as they were */
	json_t *j = sd_alarm_to_json(sd_alarms_get(am, (uint64_t)id));
	assert_string_equal(json_string_value(json_object_get(j, "object_kind")), "slice");
	assert_string_equal(json_string_value(json_object_get(j, "object_id")), "bhm-crane-rc");
	assert_string_equal(json_string_value(json_object_get(j, "slice")), "bhm-crane-rc");
	assert_string_equal(json_string_value(json_object_get(j, "snssai")), "1-000001");
	assert_true(json_is_null(json_object_get(j, "site")));
	assert_true(json_is_null(json_object_get(j, "nf")));
	assert_true(json_number_value(json_object_get(j, "observed")) == 8);
	assert_true(json_number_value(json_object_get(j, "target")) == 20);
	assert_string_equal(json_string_value(json_object_get(j, "unit")), "ms");
	assert_string_equal(json_string_value(json_object_get(j, "object")), "slice=bhm-crane-rc");
	assert_int_equal(json_object_size(j), 16 + 9);
	json_decref(j);
	j = sd_alarm_to_json(sd_alarms_get(am, (uint64_t)nf));
	assert_true(json_is_null(json_object_get(j, "observed")));
	assert_true(json_is_null(json_object_get(j, "target")));
	assert_true(json_is_null(json_object_get(j, "unit")));
	assert_string_equal(json_string_value(json_object_get(j, "nf")), "5f1e-amf");
	json_decref(j);
	sd_alarms_free(am);
}

static void test_severity_policy(void **st)
{
	const struct {
		enum sd_alarm_cause cause; const char *kind, *what; int grade;
		enum sd_alarm_severity want;
	} cases[] = {
		{ SD_CAUSE_THRESHOLD_CROSSED, "slice", "availability", 0, SD_SEV_CRITICAL },
		{ SD_CAUSE_THRESHOLD_CROSSED, "slice", "availability", 3, SD_SEV_CRITICAL },
		{ SD_CAUSE_THRESHOLD_CROSSED, "slice", "latency", 0, SD_SEV_MAJOR },
		{ SD_CAUSE_THRESHOLD_CROSSED, "slice", "latency", 1, SD_SEV_MAJOR },
		{ SD_CAUSE_THRESHOLD_CROSSED, "slice", "latency", 2, SD_SEV_MAJOR },
		{ SD_CAUSE_THRESHOLD_CROSSED, "slice", "latency", 3, SD_SEV_CRITICAL },
		{ SD_CAUSE_THRESHOLD_CROSSED, "slice", "5qi_delay", 3, SD_SEV_CRITICAL },
		{ SD_CAUSE_THRESHOLD_CROSSED, "slice", "max_ues", 2, SD_SEV_MINOR },
		{ SD_CAUSE_THRESHOLD_CROSSED, "slice", "max_ues", 3, SD_SEV_MAJOR },
		{ SD_CAUSE_THRESHOLD_CROSSED, "slice", NULL, 0, SD_SEV_MAJOR },
		{ SD_CAUSE_COMMS_FAILURE, "nf", "AMF", 0, SD_SEV_CRITICAL },
		{ SD_CAUSE_COMMS_FAILURE, "nf", "SMF", 0, SD_SEV_CRITICAL },
		{ SD_CAUSE_COMMS_FAILURE, "nf", "UPF", 0, SD_SEV_CRITICAL },
		{ SD_CAUSE_COMMS_FAILURE, "nf", "NRF", 0, SD_SEV_CRITICAL },
		{ SD_CAUSE_COMMS_FAILURE, "nf", "PCF", 0, SD_SEV_MAJOR },
		{ SD_CAUSE_COMMS_FAILURE, "nf", NULL, 0, SD_SEV_MAJOR },
		{ SD_CAUSE_DEGRADED_SIGNAL, "site", NULL, 0, SD_SEV_MINOR },
		{ SD_CAUSE_DEGRADED_SIGNAL, "site", NULL, 2, SD_SEV_MINOR },
		{ SD_CAUSE_DEGRADED_SIGNAL, "site", NULL, 3, SD_SEV_MAJOR },
		/* nothing covers it: indeterminate */
		{ SD_CAUSE_CONGESTION, "cell", NULL, 0, SD_SEV_INDETERMINATE },
		{ SD_CAUSE_THRESHOLD_CROSSED, "site", "latency", 0, SD_SEV_INDETERMINATE },
	};
	for (size_t i = 0; i < SD_ARRAY_LEN(cases); i++)
		if (sd_alarm_policy_severity(cases[i].cause, cases[i].kind, cases[i].what,
					     cases[i].grade) != cases[i].want)
			fail_msg("case %zu: %s/%s/%s grade %d: got %s, want %s", i,
				 sd_alarm_cause_name(cases[i].cause), cases[i].kind,
				 cases[i].what ? cases[i].what : "*", cases[i].grade,
				 sd_alarm_severity_name(sd_alarm_policy_severity(
					cases[i].cause, cases[i].kind, cases[i].what,
					cases[i].grade)),
				 sd_alarm_severity_name(cases[i].want));
	size_t n;
	const struct sd_alarm_sev_rule *r = sd_alarm_policy_rules(&n);
	assert_true(n >= 10);
	for (size_t i = 0; i < n; i++) {
		assert_true(r[i].severity > SD_SEV_CLEARED && r[i].severity < SD_SEV_COUNT);
		assert_true(r[i].grade >= 0 && r[i].grade <= 3);
	}
	/* and through the sources: a grade-3 factory's breach is one step up */
	struct sd_alarms *am = sd_alarms_new(NULL, NULL, NULL, 0);
	struct sd_alarm_sla_in in = {
		.slice = "xgs-mill", .factory = "xingang-steel", .grade = 3,
		.kpi = "latency", .breach = true, .observed = 30, .target = 10, .unit = "ms",
	};
	int64_t a = sd_alarm_sla_ex(am, &in, 1);
	assert_int_equal(sd_alarms_get(am, (uint64_t)a)->severity, SD_SEV_CRITICAL);
	in.slice = "bhm-crane";
	in.grade = 2;
	a = sd_alarm_sla_ex(am, &in, 1);
	assert_int_equal(sd_alarms_get(am, (uint64_t)a)->severity, SD_SEV_MAJOR);
	a = sd_alarm_coverage_ex(am, "xgs-hall", "xingang-steel", 3, 80, 95, 1);
	assert_int_equal(sd_alarms_get(am, (uint64_t)a)->severity, SD_SEV_MAJOR);
	sd_alarms_free(am);
}

struct busrec {
	int n;
	enum sd_alarm_notif notif[16];
	uint64_t id[16];
	char slice[16][SD_ID_MAX];
	int sink_calls_before;      /* sink calls seen when the event arrived */
	struct rec *r;
};

static void on_bus(const struct sd_bus_event *ev, void *arg)
{
	struct busrec *b = arg;
	assert_int_equal(ev->kind, SD_BUS_ALARM);
	if (b->n < 16) {
		b->notif[b->n] = ev->u.alarm.notif;
		b->id[b->n] = ev->u.alarm.alarm.id;
		sd_strlcpy(b->slice[b->n], ev->u.alarm.alarm.slice, SD_ID_MAX);
	}
	b->sink_calls_before = b->r->n;
	b->n++;
}

struct seen { int n; uint64_t ids[8]; };

static void each_collect(const struct sd_alarm *a, void *arg)
{
	struct seen *s = arg;
	if (s->n < 8)
		s->ids[s->n] = a->id;
	s->n++;
}

static void test_bus_and_each(void **st)
{
	int freed = 0;
	struct rec r = { .freed = &freed };
	struct busrec br = { .r = &r };
	struct sd_loop *loop = sd_loop_new();
	struct sd_bus *bus = sd_bus_new(loop);
	assert_true(sd_bus_subscribe(bus, SD_BUS_BIT(SD_BUS_ALARM), on_bus, &br) > 0);
	struct sd_alarms *am = sd_alarms_new(NULL, NULL, NULL, 0);
	assert_int_equal(sd_alarms_add_sink(am, "rec", sink, &r, rec_free), 0);
	/* before the bus is set nothing is published */
	int64_t a = sd_alarm_sla(am, "s0", "f1", "latency", true, 30, 20, "ms", 5);
	assert_int_equal(br.n, 0);
	sd_alarms_set_bus(am, bus);
	struct sd_alarm_sla_in in = {
		.slice = "s1", .factory = "f1", .kpi = "latency", .breach = true,
		.observed = 30, .target = 20, .unit = "ms",
	};
	int64_t b = sd_alarm_sla_ex(am, &in, 10);
	assert_int_equal(sd_alarm_ack(am, (uint64_t)b, SD_ROLE_OPERATOR, NULL, "olga", 11), 0);
	in.breach = false;
	assert_int_equal(sd_alarm_sla_ex(am, &in, 12), b);
	int64_t c = sd_alarm_nf(am, "nf-1", "AMF", "amf", false, 13);
	assert_int_equal(br.n, 4);
	assert_int_equal(br.notif[0], SD_ALARM_NEW);
	assert_int_equal(br.notif[1], SD_ALARM_ACKED);
	assert_int_equal(br.notif[2], SD_ALARM_CLEARED);
	assert_int_equal(br.notif[3], SD_ALARM_NEW);
	assert_int_equal(br.id[0], (uint64_t)b);
	assert_int_equal(br.id[2], (uint64_t)b);
	assert_int_equal(br.id[3], (uint64_t)c);
	assert_string_equal(br.slice[0], "s1");      /* a copy of the alarm */
	assert_int_equal(br.sink_calls_before, r.n); /* sinks first, then the bus */
	/* the iterator: every active, then the cleared in memory */
	struct seen seen = { 0 };
	sd_alarms_each(am, false, each_collect, &seen);
	assert_int_equal(seen.n, 2);
	seen.n = 0;
	sd_alarms_each(am, true, each_collect, &seen);
	assert_int_equal(seen.n, 3);
	assert_int_equal(seen.ids[2], (uint64_t)b);
	assert_true((seen.ids[0] == (uint64_t)a && seen.ids[1] == (uint64_t)c) ||
		    (seen.ids[0] == (uint64_t)c && seen.ids[1] == (uint64_t)a));
	sd_alarms_set_bus(am, NULL);
	sd_alarm_nf(am, "nf-1", "AMF", "amf", true, 14);
	assert_int_equal(br.n, 4);
	sd_alarms_free(am);
	sd_bus_free(bus);
	sd_loop_free(loop);
}

/* A version-1 store (before the structured columns): migrated, its rows
 * get kind and id from the managed object; the fields survive a restart;
 * alarm writes go into the store's batch. */
static void test_structured_store(void **st)
{
	char err[256] = "";
	struct sd_store *db = sd_store_open(path, err, sizeof err);
	assert_non_null(db);
	assert_int_equal(sd_store_exec(db,
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
		"CREATE INDEX alarm_log_time ON alarm_log(time_ms);"
		"INSERT INTO store_schema VALUES('alarm', 1);"
		"INSERT INTO alarm VALUES(7, 'site=hall-a', 'f1', 'qualityOfServiceAlarm',"
		" 'degradedSignal', 'minor', 'minor', 'coverage-below-target', 'old',"
		" 100, 100, 0, 0, '', 3);"), 0);
	struct sd_alarms *am = sd_alarms_new(NULL, db, err, sizeof err);
	assert_non_null(am);
	assert_int_equal(sd_store_version(db, "alarm"), 2);
	const struct sd_alarm *x = sd_alarms_get(am, 7);
	assert_non_null(x);
	assert_string_equal(x->object_kind, "site");
	assert_string_equal(x->object_id, "hall-a");
	assert_string_equal(x->site, "hall-a");
	assert_true(isnan(x->observed));
	/* writes join the batch: nobody else sees them before it commits */
	struct sd_loop *loop = sd_loop_new();
	struct sd_store_batch *b = sd_store_batch_new(db, loop, NULL, err, sizeof err);
	assert_non_null(b);
	struct sd_alarm_sla_in in = {
		.slice = "s1", .factory = "f1", .grade = 1, .snssai = "1-0000a1",
		.kpi = "availability", .breach = true, .observed = 97.5, .target = 99.9,
		.unit = "%",
	};
	int64_t id = sd_alarm_sla_ex(am, &in, 1000);
	int64_t nf = sd_alarm_nf(am, "nf-9", "UDM", "udm", false, 1000);
	struct sd_store *other = sd_store_open(path, err, sizeof err);
	struct sd_stmt *q = sd_store_prepare(other, "SELECT COUNT(*) FROM alarm");
	assert_int_equal(sd_stmt_step(q), 1);
	assert_int_equal(sd_stmt_int(q, 0), 1);
	sd_stmt_reset(q);
	assert_int_equal(sd_store_batch_flush(b, NULL, NULL), 0);
	assert_int_equal(sd_stmt_step(q), 1);
	assert_int_equal(sd_stmt_int(q, 0), 3);
	sd_stmt_reset(q);
	sd_store_close(other);
	sd_alarms_free(am);
	sd_store_close(db);
	sd_loop_free(loop);

	db = sd_store_open(path, err, sizeof err);
	am = sd_alarms_new(NULL, db, err, sizeof err);
	assert_non_null(am);
	x = sd_alarms_get(am, (uint64_t)id);
	assert_non_null(x);
	assert_string_equal(x->object_kind, "slice");
	assert_string_equal(x->object_id, "s1");
	assert_string_equal(x->slice, "s1");
	assert_string_equal(x->snssai, "1-0000a1");
	assert_true(x->observed == 97.5 && x->target == 99.9);
	assert_string_equal(x->unit, "%");
	assert_int_equal(x->severity, SD_SEV_CRITICAL);
	x = sd_alarms_get(am, (uint64_t)nf);
	assert_string_equal(x->nf, "nf-9");
	assert_true(isnan(x->observed) && isnan(x->target));
	sd_alarms_free(am);
	sd_store_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dedup_and_correlation),
		cmocka_unit_test(test_ack_rules),
		cmocka_unit_test(test_sources_and_limits),
		cmocka_unit_test_setup_teardown(test_store_restart, setup, teardown),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_structured_fields),
		cmocka_unit_test(test_severity_policy),
		cmocka_unit_test(test_bus_and_each),
		cmocka_unit_test_setup_teardown(test_structured_store, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

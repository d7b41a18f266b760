/* tests/bench/bench_snmp.c — the SNMP sink (snmp/snmp_sink.c) sending alarm
 * notifications, paced, to the targets of a configuration file (real
 * snmptrapd started by tests/bench/snmp.sh, which counts what they logged).
 *
 *   bench_snmp CONFIG STATE_DIR RATE SECONDS
 *
 * Publishes RATE alarm events per second on the bus for SECONDS (new
 * alarms with distinct ids, severity major), as the alarm manager would,
 * then lets the sink finish (queues empty, informs answered or given up,
 * at most 5 s). Prints one line per target:
 *   NAME sent N acked N failed N dropped N suppressed N seconds S
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/bus.h"
#include "core/config.h"
#include "core/host.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/ops.h"
#include "core/util.h"
#include "engine/config_sections.h"
#include "snmp/snmp_sink.h"

struct bench {
	struct sd_loop *loop;
	struct sd_bus *bus;
	struct sd_config *cfg;
	int64_t start, end;
	double rate;
	uint64_t published;
};

static const struct sd_config *cfg_of(void *arg)
{
	return ((struct bench *)arg)->cfg;
}

static void on_tick(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct bench *b = arg;
	int64_t now = sd_loop_now(loop);
	uint64_t due = (uint64_t)((double)(now - b->start) * b->rate / 1000.0);
	struct sd_bus_event ev = { .kind = SD_BUS_ALARM };
	struct sd_alarm *a = &ev.u.alarm.alarm;

	ev.u.alarm.notif = SD_ALARM_NEW;
	a->severity = SD_SEV_MAJOR;
	a->type = SD_ALARM_QOS;
	a->cause = SD_CAUSE_THRESHOLD_CROSSED;
	a->observed = 42.5;
	a->target = 20;
	sd_strlcpy(a->unit, "ms", sizeof a->unit);
	sd_strlcpy(a->factory, "beilun-heavy", sizeof a->factory);
	sd_strlcpy(a->slice, "bhm-crane-rc", sizeof a->slice);
	sd_strlcpy(a->snssai, "1-000001", sizeof a->snssai);
	sd_strlcpy(a->object, "slice=bhm-crane-rc", sizeof a->object);
	sd_strlcpy(a->problem, "sla-latency", sizeof a->problem);
	sd_strlcpy(a->text, "SLA breach: slice bhm-crane-rc latency 42.5 ms > 20 ms",
		   sizeof a->text);
	while (b->published < due) {
		b->published++;
		a->id = a->notification_id = b->published;
		a->raised_ms = a->changed_ms = sd_wall_ms();
		sd_bus_publish(b->bus, &ev);
	}
	if (now < b->end)
		sd_loop_timer_add(loop, 1, on_tick, b);
}

int main(int argc, char **argv)
{
	struct bench b = { 0 };
	struct sd_errlist errs;
	struct sd_ops *ops;
	struct sd_host host;
	struct sd_snmp *s;
	char err[512];
	int64_t stop;
	json_t *res;
	double secs;
	size_t i;

	if (argc != 5) {
		fprintf(stderr, "usage: bench_snmp CONFIG STATE_DIR RATE SECONDS\n");
		return 2;
	}
	sd_log_open("bench_snmp", 0, SD_LOG_WARN);
	sd_config_set_schema(&sd_slicedeck_schema);
	sd_errlist_init(&errs);
	b.cfg = sd_config_load(argv[1], &errs);
	for (i = 0; i < (size_t)errs.n; i++)
		fprintf(stderr, "%s\n", errs.msgs[i]);
	sd_errlist_done(&errs);
	if (!b.cfg)
		return 1;
	sd_strlcpy(b.cfg->state_dir, argv[2], sizeof b.cfg->state_dir);
	b.rate = atof(argv[3]);
	secs = atof(argv[4]);
	b.loop = sd_loop_new();
	b.bus = sd_bus_new(b.loop);
	ops = sd_ops_new();
	host = (struct sd_host){ .loop = b.loop, .bus = b.bus, .ops = ops, .config = cfg_of,
				 .arg = &b };
	s = sd_snmp_new(&host, NULL, err, sizeof err);
	if (!s) {
		fprintf(stderr, "bench_snmp: %s\n", err);
		return 1;
	}
	/* coldStart out of the way first */
	stop = sd_now_ms() + 500;
	while (sd_now_ms() < stop)
		sd_loop_once(b.loop, 50);
	sd_loop_once(b.loop, 0);
	b.start = sd_loop_now(b.loop);
	b.end = b.start + (int64_t)(secs * 1000);
	sd_loop_timer_add(b.loop, 0, on_tick, &b);
	while (sd_loop_now(b.loop) < b.end + 1)
		sd_loop_once(b.loop, 10);
	/* the sink finishes: queues drained, informs answered */
	stop = sd_now_ms() + 5000;
	for (;;) {
		struct sd_ipc_caller op_caller = { .role = SD_ROLE_OPERATOR };
		struct sd_op_call call = { .caller = &op_caller };
		const struct sd_op *row = sd_ops_find(ops, "snmp");
		json_t *t;
		bool busy = false;
		sd_loop_once(b.loop, 10);
		call.op = row;
		call.arg = s;
		res = row->fn(&call);
		json_array_foreach(json_object_get(res, "targets"), i, t)
			busy = busy || json_integer_value(json_object_get(t, "queued")) ||
			       json_integer_value(json_object_get(t, "outstanding"));
		if (!busy || sd_now_ms() > stop)
			break;
		json_decref(res);
	}
	{
		json_t *t;
		json_array_foreach(json_object_get(res, "targets"), i, t)
			printf("%s published %llu sent %lld acked %lld failed %lld dropped %lld "
			       "suppressed %lld seconds %.3f\n",
			       json_string_value(json_object_get(t, "name")),
			       (unsigned long long)b.published,
			       (long long)json_integer_value(json_object_get(t, "sent")),
			       (long long)json_integer_value(json_object_get(t, "acked")),
			       (long long)json_integer_value(json_object_get(t, "failed")),
			       (long long)json_integer_value(json_object_get(t, "dropped")),
			       (long long)json_integer_value(json_object_get(t, "suppressed")),
			       (double)(b.end - b.start) / 1000.0);
	}
	json_decref(res);
	sd_snmp_free(s);
	sd_ops_free(ops);
	sd_bus_free(b.bus);
	sd_loop_free(b.loop);
	sd_config_free(b.cfg);
	return 0;
}

/* monitor/ipc_monitor.c — the monitoring pipeline's IPC operations:
 *
 *   sla          SLA report: per slice, the month's compliance per KPI and
 *                the last window's verdicts [factory, slice, period]
 *   alarms       alarms the caller may see [all: include cleared]
 *   alarm.ack    acknowledge one alarm (operators) {id}
 *
 * and the "alarms" topic (active alarms in scope). Scoping follows
 * docs/ipc.md: a factory caller sees its own factory's slices and alarms
 * only, and gets "forbidden" for anything else, existing or not.
 */
#include "monitor/pipeline.h"

#include <stdio.h>
#include <string.h>

#include "core/ipc.h"
#include "core/util.h"

#define MAX_LIST 2000

static const char *caller_factory(const struct sd_config *cfg, const struct sd_ipc_caller *c)
{
	if (c->role != SD_ROLE_FACTORY || c->factory < 0 || c->factory >= cfg->model->nfactories)
		return NULL;
	return cfg->model->factories[c->factory].id;
}

#define FAIL(c, ...) do { *code = (c); snprintf(msg, msgsz, __VA_ARGS__); return NULL; } while (0)

struct report_acc {
	json_t *bySlice;   /* slice id -> array of month rows */
};

static void on_month_row(void *arg, const struct sd_sla_month *row)
{
	struct report_acc *acc = arg;
	json_t *a = json_object_get(acc->bySlice, row->slice);
	if (a)
		json_array_append_new(a, sd_sla_month_to_json(row));
}

static bool valid_period(const char *p)
{
	return strlen(p) == 7 && p[4] == '-' && strspn(p, "0123456789") == 4 &&
	       strspn(p + 5, "0123456789") == 2 && !(p[5] == '0' && p[6] == '0') &&
	       (p[5] == '0' || (p[5] == '1' && p[6] <= '2'));
}

static json_t *op_sla(void *arg, const struct sd_config *cfg, const struct sd_ipc_caller *c,
		      json_t *params, const char **code, char *msg, size_t msgsz)
{
	struct sd_pipeline *p = arg;
	const struct sd_model *m = cfg->model;
	json_t *jf = json_object_get(params, "factory"), *js = json_object_get(params, "slice");
	json_t *jp = json_object_get(params, "period"), *rows;
	struct report_acc acc;
	char period[8];
	int only_factory = -1, i;

	if (jf && !json_is_null(jf)) {
		if (!json_is_string(jf))
			FAIL(SD_IPC_E_BADREQ, "\"factory\" must be a string");
		only_factory = sd_model_factory_index(m, json_string_value(jf));
		if (c->role == SD_ROLE_FACTORY && only_factory != c->factory)
			FAIL(SD_IPC_E_FORBIDDEN, "factory %s is outside your scope", json_string_value(jf));
		if (only_factory < 0)
			FAIL(SD_IPC_E_NOTFOUND, "no factory %s", json_string_value(jf));
	}
	if (js && !json_is_null(js) && !json_is_string(js))
		FAIL(SD_IPC_E_BADREQ, "\"slice\" must be a string");
	if (jp && !json_is_null(jp)) {
		if (!json_is_string(jp) || !valid_period(json_string_value(jp)))
			FAIL(SD_IPC_E_BADREQ, "\"period\" must be a month, YYYY-MM (e.g. 2026-11)");
		sd_strlcpy(period, json_string_value(jp), sizeof period);
	} else {
		sd_sla_month_of(sd_wall_ms(), period, sizeof period);
	}
	if (js && json_is_string(js)) {
		int k = sd_model_slice_index(m, json_string_value(js));
		if (k < 0 || (c->role == SD_ROLE_FACTORY && m->slices[k].factory != c->factory)) {
			if (c->role == SD_ROLE_FACTORY)
				FAIL(SD_IPC_E_FORBIDDEN, "slice %s is outside your scope", json_string_value(js));
			FAIL(SD_IPC_E_NOTFOUND, "no slice %s", json_string_value(js));
		}
	}

	acc.bySlice = json_object();
	rows = json_array();
	for (i = 0; i < m->nslices; i++) {
		const struct sd_slice *s = &m->slices[i];
		json_t *row;
		if (c->role == SD_ROLE_FACTORY && s->factory != c->factory)
			continue;
		if (only_factory >= 0 && s->factory != only_factory)
			continue;
		if (js && json_is_string(js) && strcmp(s->id, json_string_value(js)) != 0)
			continue;
		row = json_object();
		json_object_set_new(row, "slice", json_string(s->id));
		json_object_set_new(row, "factory", json_string(m->factories[s->factory].id));
		json_object_set_new(row, "state", json_string(sd_slice_state_name(s->state)));
		json_object_set_new(row, "month", json_array());
		json_object_set(acc.bySlice, s->id, json_object_get(row, "month"));
		json_object_set_new(row, "last", sd_sla_last_to_json(sd_pipeline_sla(p), s->id));
		json_array_append_new(rows, row);
	}
	sd_sla_report(sd_pipeline_sla(p), period, NULL, on_month_row, &acc);
	json_decref(acc.bySlice);
	return json_pack("{s:s, s:o}", "period", period, "slices", rows);
}

static json_t *alarm_list(struct sd_pipeline *p, const struct sd_config *cfg,
			  const struct sd_ipc_caller *c, bool all)
{
	static const struct sd_alarm *out[MAX_LIST];
	json_t *a = json_array();
	int i, n;
	if (c->role == SD_ROLE_NONE)
		return a;
	n = sd_alarms_list(sd_pipeline_alarms(p), all, c->role, caller_factory(cfg, c), out, MAX_LIST);
	for (i = 0; i < n; i++)
		json_array_append_new(a, sd_alarm_to_json(out[i]));
	return a;
}

static json_t *op_alarms(void *arg, const struct sd_config *cfg, const struct sd_ipc_caller *c,
			 json_t *params, const char **code, char *msg, size_t msgsz)
{
	json_t *all = json_object_get(params, "all");
	if (all && !json_is_boolean(all))
		FAIL(SD_IPC_E_BADREQ, "\"all\" must be true or false");
	return json_pack("{s:o}", "alarms", alarm_list(arg, cfg, c, all && json_is_true(all)));
}

static json_t *op_alarm_ack(void *arg, const struct sd_config *cfg, const struct sd_ipc_caller *c,
			    json_t *params, const char **code, char *msg, size_t msgsz)
{
	struct sd_pipeline *p = arg;
	json_t *jid = json_object_get(params, "alarm");
	json_int_t id;
	int rc;

	if (!json_is_integer(jid) || json_integer_value(jid) <= 0)
		FAIL(SD_IPC_E_BADREQ, "\"alarm\" (a positive alarm id) is required");
	id = json_integer_value(jid);
	rc = sd_alarm_ack(sd_pipeline_alarms(p), (uint64_t)id, c->role, caller_factory(cfg, c),
			  c->user, sd_wall_ms());
	if (rc == SD_ALARM_EPERM)
		FAIL(SD_IPC_E_FORBIDDEN, "acknowledging alarms needs the operator role; you are %s",
		     sd_role_name(c->role));
	if (rc == SD_ALARM_ENOENT) {
		if (c->role == SD_ROLE_FACTORY)
			FAIL(SD_IPC_E_FORBIDDEN, "alarm %lld is outside your scope", (long long)id);
		FAIL(SD_IPC_E_NOTFOUND, "no alarm %lld", (long long)id);
	}
	if (rc != SD_ALARM_OK)
		FAIL(SD_IPC_E_INTERNAL, "alarm %lld could not be acknowledged", (long long)id);
	return json_pack("{s:o}", "alarm",
			 sd_alarm_to_json(sd_alarms_get(sd_pipeline_alarms(p), (uint64_t)id)));
}

static json_t *alarms_topic(void *arg, const struct sd_config *cfg, const struct sd_ipc_caller *c)
{
	return json_pack("{s:o}", "alarms", alarm_list(arg, cfg, c, false));
}

static const struct sd_ipc_ext_op monitor_ops[] = {
	{ "sla", op_sla, SD_ROLE_FACTORY, "SLA report [factory, slice, period YYYY-MM]" },
	{ "alarms", op_alarms, SD_ROLE_FACTORY, "alarms in scope [all: include cleared]" },
	{ "alarm.ack", op_alarm_ack, SD_ROLE_FACTORY, "acknowledge an alarm (operators): alarm" },
};

int sd_pipeline_register_ipc(struct sd_pipeline *p)
{
	return sd_ipc_ops_register(monitor_ops, SD_ARRAY_LEN(monitor_ops), p,
				   SD_TOPIC_ALARMS, alarms_topic);
}

void sd_pipeline_unregister_ipc(void)
{
	sd_ipc_ops_unregister(monitor_ops);
}

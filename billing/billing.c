/* billing/billing.c — see billing.h. */
#include "billing/billing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "billing/chf.h"
#include "billing/ledger.h"
#include "core/ipc.h"
#include "core/log.h"
#include "core/model.h"
#include "core/ops.h"
#include "core/util.h"

struct sd_billing {
	const struct sd_host *host;
	struct sd_ledger *ledger;
	struct sd_chf *chf;
	bool ops_registered;
};

/* A period filter: "YYYY-MM". */
static bool period_ok(const char *s)
{
	return s && strlen(s) == 7 && s[4] == '-' && s[0] >= '1' && s[0] <= '9' &&
	       strspn(s, "0123456789-") == 7 && ((s[5] == '0' && s[6] >= '1' && s[6] <= '9') ||
						 (s[5] == '1' && s[6] >= '0' && s[6] <= '2'));
}

struct totals_walk {
	json_t *rows;
	int64_t records, total;
};

static void total_row(void *arg, const struct sd_usage_total *t)
{
	struct totals_walk *w = arg;
	json_array_append_new(w->rows, json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I}",
		"factory", t->factory, "slice", t->slice, "period", t->period,
		"ul_bytes", (json_int_t)t->ul, "dl_bytes", (json_int_t)t->dl,
		"total_bytes", (json_int_t)t->total, "seconds", (json_int_t)t->time_s,
		"records", (json_int_t)t->records));
	w->records += t->records;
	w->total += t->total;
}

static void held_row(void *arg, const struct sd_usage_held *h)
{
	json_t *rows = arg;
	char ts[40];
	sd_fmt_time(h->usage_ms, ts, sizeof ts);
	json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:s}",
		"key", h->key, "snssai", h->snssai, "dnn", h->dnn, "period", h->period,
		"reason", h->reason, "ul_bytes", (json_int_t)h->ul, "dl_bytes", (json_int_t)h->dl,
		"total_bytes", (json_int_t)h->total, "time", ts));
}

static json_t *op_usage(struct sd_op_call *call)
{
	struct sd_billing *b = call->arg;
	const char *factory = json_string_value(json_object_get(call->params, "factory"));
	const char *period = json_string_value(json_object_get(call->params, "period"));
	struct totals_walk w = { NULL, 0, 0 };
	json_t *res;

	if (period && !period_ok(period))
		return sd_op_fail(call, SD_IPC_E_BADREQ, "period must be YYYY-MM, not \"%s\"", period);
	if (call->caller->role == SD_ROLE_FACTORY) {
		/* named or not, a factory caller gets its own factory only */
		if (factory && strcmp(factory, call->caller->factory_id) != 0)
			return sd_op_fail_scope(call, "factory", factory);
		factory = call->caller->factory_id;
	}
	w.rows = json_array();
	if (sd_ledger_totals(b->ledger, factory, period, total_row, &w) < 0) {
		json_decref(w.rows);
		return sd_op_fail(call, SD_IPC_E_INTERNAL, "ledger: %s", sd_ledger_errmsg(b->ledger));
	}
	res = json_pack("{s:o, s:I, s:I}", "usage", w.rows, "records", (json_int_t)w.records,
			"total_bytes", (json_int_t)w.total);
	if (call->caller->role != SD_ROLE_FACTORY) {
		int64_t nheld = sd_ledger_held_count(b->ledger);
		json_object_set_new(res, "held_records", json_integer(nheld < 0 ? 0 : nheld));
	}
	return res;
}

static json_t *op_usage_held(struct sd_op_call *call)
{
	struct sd_billing *b = call->arg;
	json_t *rows;
	if (call->caller->role == SD_ROLE_FACTORY)
		return sd_op_fail(call, SD_IPC_E_FORBIDDEN, "held usage records belong to no factory "
				  "yet; operators review them");
	rows = json_array();
	if (sd_ledger_held(b->ledger, 1000, held_row, rows) < 0) {
		json_decref(rows);
		return sd_op_fail(call, SD_IPC_E_INTERNAL, "ledger: %s", sd_ledger_errmsg(b->ledger));
	}
	return json_pack("{s:o, s:I}", "held", rows,
			 "held_records", (json_int_t)sd_ledger_held_count(b->ledger));
}

static const struct sd_param usage_params[] = {
	{ "factory", SD_PT_ID, false, "only this factory (a factory user: only its own)" },
	{ "period", SD_PT_STRING, false, "only this month, YYYY-MM (UTC)" },
	SD_PARAMS_END
};

static const struct sd_op billing_ops[] = {
	{ "usage", op_usage, SD_PERM_READ, 0, usage_params,
	  "usage totals from the ledger per factory, slice and month" },
	{ "usage.held", op_usage_held, SD_PERM_READ, 0, NULL,
	  "usage records held for review: no slice in service matched them (not for factories)" },
};

struct sd_billing *sd_billing_new(const struct sd_host *host, char *err, size_t errsz)
{
	struct sd_billing *b = sd_calloc(1, sizeof *b);
	struct sd_store *st;
	b->host = host;
	st = host->store_open(host->arg, "ledger", SD_DURABLE_FULL, err, errsz);
	if (!st)
		goto fail;
	b->ledger = sd_ledger_open(st, host->loop, NULL, err, errsz);
	if (!b->ledger)
		goto fail;
	if (host->sbi) {
		b->chf = sd_chf_new(host, b->ledger, 0, err, errsz);
		if (!b->chf)
			goto fail;
	}
	if (sd_ops_register(host->ops, billing_ops, SD_ARRAY_LEN(billing_ops), b) < 0) {
		snprintf(err, errsz, "the usage ops are registered already");
		goto fail;
	}
	b->ops_registered = true;
	return b;
fail:
	sd_billing_free(b);
	return NULL;
}

void sd_billing_free(struct sd_billing *b)
{
	if (!b)
		return;
	if (b->ops_registered)
		sd_ops_unregister(b->host->ops, billing_ops);
	sd_chf_free(b->chf);
	sd_ledger_close(b->ledger);
	free(b);
}

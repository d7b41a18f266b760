/* billing/billing.c — see billing.h. */
#include "billing/billing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "billing/chf.h"
#include "billing/invoice.h"
#include "billing/ledger.h"
#include "billing/tariff_conf.h"
#include "billing/usage_csv.h"
#include "core/ipc.h"
#include "core/log.h"
#include "core/model.h"
#include "core/ops.h"
#include "core/util.h"

/* A CSV being sent in parts (usage.upload) before its import. */
#define MAX_UPLOADS 4
#define UPLOAD_IDLE_MS 120000
struct upload {
	bool used;
	char token[SD_ID_MAX];
	char file[128];
	uid_t uid;
	int next_part;
	bool complete;
	int64_t touched_ms;
	struct sd_buf text;
};

struct sd_billing {
	const struct sd_host *host;
	struct sd_ledger *ledger;
	struct sd_chf *chf;
	bool ops_registered;
	struct upload uploads[MAX_UPLOADS];
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

/* --- bills ------------------------------------------------------------------------ */

struct bill_sum {
	int64_t bytes, records;
};

static void bill_row(void *arg, const struct sd_usage_total *t)
{
	struct bill_sum *b = arg;
	b->bytes += t->total;
	b->records += t->records;
}

static const char *const line_types[] = { [SD_LINE_SERVICE] = "service", [SD_LINE_LEASE] = "lease" };

static json_t *op_bill(struct sd_op_call *call)
{
	struct sd_billing *b = call->arg;
	const char *fid = json_string_value(json_object_get(call->params, "factory"));
	const char *period = json_string_value(json_object_get(call->params, "period"));
	const struct sd_tariff_conf *tc = sd_tariff_conf_get(call->cfg);
	const struct sd_model *m = call->model;
	const struct sd_tariff *t = NULL;
	const struct sd_factory *f;
	struct bill_sum sum = { 0, 0 };
	struct sd_bill_usage u = { 0, 0 };
	struct sd_invoice inv;
	char month[8];
	const int *idx;
	json_t *lines;
	int fi, i, n;

	if (call->caller->role == SD_ROLE_FACTORY && !fid)
		fid = call->caller->factory_id;
	if (!fid)
		return sd_op_fail(call, SD_IPC_E_BADREQ, "which factory? (factory is required)");
	fi = sd_model_factory_index(m, fid);
	if (fi < 0 || !sd_ipc_sees_factory(call->caller, fi))
		return sd_op_fail_scope(call, "factory", fid);
	f = &m->factories[fi];
	if (!period) {
		sd_ledger_period_of(sd_wall_ms(), month, sizeof month);
		period = month;
	} else if (!period_ok(period)) {
		return sd_op_fail(call, SD_IPC_E_BADREQ, "period must be YYYY-MM, not \"%s\"", period);
	}
	if (f->tariff[0])
		t = sd_tariff_find(tc, f->tariff);
	for (i = 0; !t && tc && i < tc->ntariffs; i++)
		if (tc->tariffs[i].mode == f->mode)
			t = &tc->tariffs[i];
	if (!t)
		return sd_op_fail(call, SD_IPC_E_NOTFOUND, "factory %s has no tariff and the "
				  "configuration has none for %s networks", f->id,
				  sd_pn_mode_name(f->mode));
	if (sd_ledger_totals(b->ledger, f->id, period, bill_row, &sum) < 0)
		return sd_op_fail(call, SD_IPC_E_INTERNAL, "ledger: %s", sd_ledger_errmsg(b->ledger));
	n = sd_model_factory_slices(m, fi, &idx);
	for (i = 0; i < n; i++)
		u.slices += m->slices[idx[i]].state == SD_SLICE_ACTIVE ||
			    m->slices[idx[i]].state == SD_SLICE_SUSPENDED;
	u.bytes = sum.bytes;
	sd_invoice_rate(t, &u, &inv);
	lines = json_array();
	for (i = 0; i < inv.nlines; i++) {
		const struct sd_invoice_line *l = &inv.lines[i];
		json_array_append_new(lines, json_pack("{s:s, s:s, s:I, s:s, s:I, s:I, s:i, s:I}",
			"what", l->what, "type", line_types[l->type], "quantity", (json_int_t)l->qty,
			"unit", l->unit, "unit_price", (json_int_t)l->unit_price,
			"amount", (json_int_t)l->amount, "vat_pct", l->vat_pct, "tax", (json_int_t)l->tax));
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:i, s:o, s:I, s:I, s:I}",
		"factory", f->id, "period", period, "tariff", t->id, "currency", t->currency,
		"bytes", (json_int_t)sum.bytes, "records", (json_int_t)sum.records,
		"slices_in_service", u.slices, "lines", lines,
		"subtotal", (json_int_t)inv.subtotal, "tax", (json_int_t)inv.tax,
		"total", (json_int_t)inv.total);
}

/* --- usage import: a CSV sent in parts, checked, then stored whole ---------------- */

static void upload_drop(struct upload *u)
{
	sd_buf_done(&u->text);
	memset(u, 0, sizeof *u);
}

static struct upload *upload_find(struct sd_billing *b, const char *token, uid_t uid)
{
	int i;
	for (i = 0; i < MAX_UPLOADS; i++)
		if (b->uploads[i].used && b->uploads[i].uid == uid &&
		    strcmp(b->uploads[i].token, token) == 0)
			return &b->uploads[i];
	return NULL;
}

/* Parse an upload and check its slices against the model; 0 with rows,
 * -1 with errors in c. */
static bool slice_known(void *arg, const char *id)
{
	return sd_model_slice_index(arg, id) >= 0;
}

static int upload_check(const struct upload *u, const struct sd_model *m, struct sd_usage_csv *c)
{
	return sd_usage_csv_parse(u->file, u->text.len ? u->text.data : "", u->text.len,
				  slice_known, (void *)m, c);
}

static json_t *errors_json(const struct sd_usage_csv *c)
{
	json_t *a = json_array();
	size_t i;
	for (i = 0; i < c->nerrors; i++)
		json_array_append_new(a, json_string(c->errors[i]));
	return a;
}

static json_t *op_usage_upload(struct sd_op_call *call)
{
	struct sd_billing *b = call->arg;
	const char *token = json_string_value(json_object_get(call->params, "upload"));
	const char *file = json_string_value(json_object_get(call->params, "file"));
	const char *text = json_string_value(json_object_get(call->params, "text"));
	size_t tlen = json_string_length(json_object_get(call->params, "text"));
	json_int_t part = json_integer_value(json_object_get(call->params, "part"));
	bool last = json_is_true(json_object_get(call->params, "last"));
	int64_t now = sd_wall_ms();
	struct upload *u;
	struct sd_usage_csv c;
	json_t *res;
	int i;

	for (i = 0; i < MAX_UPLOADS; i++)
		if (b->uploads[i].used && now - b->uploads[i].touched_ms > UPLOAD_IDLE_MS)
			upload_drop(&b->uploads[i]);
	u = upload_find(b, token, call->caller->uid);
	if (part == 0) {
		if (u)
			upload_drop(u);
		for (i = 0; i < MAX_UPLOADS && b->uploads[i].used; i++)
			;
		if (i == MAX_UPLOADS)
			return sd_op_fail(call, SD_IPC_E_BUSY, "%d imports are being uploaded; try "
					  "again in a while", MAX_UPLOADS);
		u = &b->uploads[i];
		u->used = true;
		sd_strlcpy(u->token, token, sizeof u->token);
		sd_sanitize(u->file, sizeof u->file, file ? file : "usage.csv",
			    strlen(file ? file : "usage.csv"));
		u->uid = call->caller->uid;
		sd_buf_init(&u->text, SD_USAGE_CSV_MAX_BYTES);
	} else if (!u || u->next_part != part || u->complete) {
		return sd_op_fail(call, SD_IPC_E_BADREQ, "upload %s: part %lld is not the next one; "
				  "start again from part 0", token, (long long)part);
	}
	u->touched_ms = now;
	if (tlen && sd_buf_add(&u->text, text, tlen) < 0) {
		upload_drop(u);
		return sd_op_fail(call, SD_IPC_E_TOOLARGE, "the file is over %d MiB; split it",
				  SD_USAGE_CSV_MAX_BYTES >> 20);
	}
	u->next_part++;
	if (!last)
		return json_pack("{s:s, s:I}", "upload", u->token, "bytes", (json_int_t)u->text.len);
	u->complete = true;
	if (upload_check(u, call->model, &c) < 0) {
		res = json_pack("{s:s, s:s, s:b, s:I, s:o}", "file", u->file, "digest", c.digest,
				"ok", 0, "problems", (json_int_t)c.problems, "errors", errors_json(&c));
		upload_drop(u);
	} else {
		res = json_pack("{s:s, s:s, s:b, s:I, s:s}", "file", u->file, "digest", c.digest,
				"ok", 1, "rows", (json_int_t)c.nrows, "upload", u->token);
	}
	sd_usage_csv_done(&c);
	return res;
}

struct import_wait {
	struct sd_op_call *call;
	json_t *result;
};

static void on_import_durable(void *arg, int rc)
{
	struct import_wait *w = arg;
	if (rc < 0) {
		sd_op_fail(w->call, SD_IPC_E_INTERNAL, "the ledger could not commit the import; "
			   "nothing of it is stored; import the file again");
		json_decref(w->result);
		sd_op_finish(w->call, NULL);
	} else {
		sd_op_finish(w->call, w->result);
	}
	free(w);
}

static json_t *op_usage_import(struct sd_op_call *call)
{
	struct sd_billing *b = call->arg;
	const char *token = json_string_value(json_object_get(call->params, "upload"));
	struct upload *u = upload_find(b, token, call->caller->uid);
	const struct sd_model *m = call->model;
	struct sd_usage_csv c;
	struct import_wait *w;
	int64_t stored = 0, dups = 0, held = 0;
	bool ok = true;
	size_t i;

	if (!u || !u->complete)
		return sd_op_fail(call, SD_IPC_E_NOTFOUND, "no complete upload %s of yours (uploads "
				  "are dropped after %d s idle)", token, UPLOAD_IDLE_MS / 1000);
	if (upload_check(u, m, &c) < 0) {
		/* the model changed since the upload was checked */
		sd_op_fail(call, SD_IPC_E_BADREQ, "%zu problem%s, nothing imported; the first: %s",
			   c.problems, c.problems == 1 ? "" : "s", c.errors[0]);
		sd_usage_csv_done(&c);
		upload_drop(u);
		return NULL;
	}
	if (sd_ledger_write_begin(b->ledger) < 0) {
		sd_usage_csv_done(&c);
		return sd_op_fail(call, SD_IPC_E_INTERNAL, "ledger: %s", sd_ledger_errmsg(b->ledger));
	}
	for (i = 0; ok && i < c.nrows; i++) {
		const struct sd_usage_row *r = &c.rows[i];
		const struct sd_slice *sl = &m->slices[sd_model_slice_index(m, r->slice)];
		char snssai[SD_SNSSAI_STRLEN], why[128];
		bool in_service = sl->state == SD_SLICE_ACTIVE || sl->state == SD_SLICE_SUSPENDED;
		struct sd_usage_rec rec = {
			.source = "import", .session = c.digest, .rating_group = r->rating_group,
			.seq = r->line, .upf = "", .ul = r->ul, .dl = r->dl, .total = r->total,
			.time_s = r->seconds, .usage_ms = r->time_ms, .snssai = snssai, .dnn = sl->dnn,
			.factory = m->factories[sl->factory].id, .slice = sl->id,
		};
		int rc;
		sd_snssai_format(&sl->snssai, snssai, sizeof snssai);
		if (!in_service) {
			snprintf(why, sizeof why, "slice %s is %s", sl->id, sd_slice_state_name(sl->state));
			rec.hold = why;
		}
		rc = sd_ledger_put(b->ledger, &rec);
		ok = rc >= 0;
		stored += rc == 1;
		dups += rc == 0;
		held += rc == 1 && rec.hold;
	}
	if (sd_ledger_write_end(b->ledger, ok) < 0 || !ok) {
		sd_op_fail(call, SD_IPC_E_INTERNAL, "ledger: %s; nothing imported",
			   sd_ledger_errmsg(b->ledger));
		sd_usage_csv_done(&c);
		return NULL;
	}
	w = sd_calloc(1, sizeof *w);
	w->result = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I}", "file", u->file, "digest", c.digest,
			      "rows", (json_int_t)c.nrows, "stored", (json_int_t)stored,
			      "duplicates", (json_int_t)dups, "held", (json_int_t)held);
	sd_usage_csv_done(&c);
	upload_drop(u);
	w->call = sd_op_defer(call);
	sd_ledger_on_durable(b->ledger, on_import_durable, w);
	return NULL;
}

static const struct sd_param usage_params[] = {
	{ "factory", SD_PT_ID, false, "only this factory (a factory user: only its own)" },
	{ "period", SD_PT_STRING, false, "only this month, YYYY-MM (UTC)" },
	SD_PARAMS_END
};
static const struct sd_param upload_params[] = {
	{ "upload", SD_PT_ID, true, "the upload's token, chosen by the client" },
	{ "file", SD_PT_STRING, false, "the file's name, for messages (part 0)" },
	{ "part", SD_PT_INT, true, "0, 1, 2 ... in order" },
	{ "text", SD_PT_STRING, true, "the next bytes of the file" },
	{ "last", SD_PT_BOOL, false, "the file is complete: check it" },
	SD_PARAMS_END
};
static const struct sd_param bill_params[] = {
	{ "factory", SD_PT_ID, false, "the factory (a factory user: its own, the default)" },
	{ "period", SD_PT_STRING, false, "the month, YYYY-MM (UTC); default this month" },
	SD_PARAMS_END
};
static const struct sd_param import_params[] = {
	{ "upload", SD_PT_ID, true, "a complete, checked upload" },
	SD_PARAMS_END
};

static const struct sd_op billing_ops[] = {
	{ "usage", op_usage, SD_PERM_READ, 0, usage_params,
	  "usage totals from the ledger per factory, slice and month" },
	{ "usage.held", op_usage_held, SD_PERM_READ, 0, NULL,
	  "usage records held for review: no slice in service matched them (not for factories)" },
	{ "bill", op_bill, SD_PERM_READ, 0, bill_params,
	  "a factory's bill for a month, line by line, in fen (month to date for this month)" },
	{ "usage.upload", op_usage_upload, SD_PERM_ACT, 0, upload_params,
	  "send a usage CSV in parts; the last part checks it whole (FILE:LINE: field: problem)" },
	{ "usage.import", op_usage_import, SD_PERM_ACT, SD_OP_MUTATES | SD_OP_ASYNC, import_params,
	  "store a checked upload in the ledger, all or nothing; answered once durable" },
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
	int i;
	if (!b)
		return;
	for (i = 0; i < MAX_UPLOADS; i++)
		if (b->uploads[i].used)
			upload_drop(&b->uploads[i]);
	if (b->ops_registered)
		sd_ops_unregister(b->host->ops, billing_ops);
	sd_chf_free(b->chf);
	sd_ledger_close(b->ledger);
	free(b);
}

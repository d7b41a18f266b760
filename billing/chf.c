/* billing/chf.c — see chf.h. */
#include "billing/chf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "core/log.h"
#include "core/model.h"
#include "core/sbi_server.h"
#include "core/util.h"

#define CHF_BASE "/nchf-convergedcharging/v3/chargingdata"
#define CHF_MAX_BODY (2 * 1024 * 1024)

enum chf_op { CHF_CREATE, CHF_UPDATE, CHF_RELEASE };

struct sd_chf {
	const struct sd_host *host;
	struct sd_ledger *ledger;
	int64_t max_volume;
	struct sd_chf_stats stats;
	struct sd_complaint store_log;
};

/* One request waiting for its commit. */
struct pending {
	struct sd_chf *c;
	struct sd_sbi_deferred *d;
	enum chf_op op;
	uint32_t seq;
	char ref[SD_CHF_ID_MAX];
};

void sd_chf_session_ref(const struct sd_chf_request *r, char out[33])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char *id;
	int i;
	/* without a charging id the create's own timestamp tells two sessions
	 * of one PDU session id apart: such an SMF must resend a create
	 * unchanged (a retransmission is) */
	if (r->charging_id[0])
		id = sd_printf("v1|%s|%s|%s|%s|%d", r->nf_name, r->nf_addr, r->subscriber,
			       r->charging_id, r->pdu_session_id);
	else
		id = sd_printf("v1|%s|%s|%s||%d|%lld", r->nf_name, r->nf_addr, r->subscriber,
			       r->pdu_session_id, (long long)r->invocation_ms);
	EVP_Digest(id, strlen(id), md, &mdlen, EVP_sha256(), NULL);
	free(id);
	for (i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* A ChargingDataRef from the path: what we hand out (hex) or what an SMF
 * made itself; kept to a token that is safe in a key and a URL. */
static bool ref_ok(const char *s)
{
	size_t n = strlen(s), i;
	if (n == 0 || n >= SD_CHF_ID_MAX)
		return false;
	for (i = 0; i < n; i++) {
		char ch = s[i];
		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      ch == '-' || ch == '_' || ch == '.'))
			return false;
	}
	return true;
}

/* problem+json with the cause and, when known, invalidParams. */
static void answer_problem(struct sd_sbi_resp *resp, const struct sd_chf_error *e)
{
	json_t *p = json_pack("{s:s, s:i, s:s, s:s}", "title", "Bad Request", "status", e->status,
			      "detail", e->detail, "cause", e->cause);
	if (e->param[0])
		json_object_set_new(p, "invalidParams",
				    json_pack("[{s:s, s:s}]", "param", e->param, "reason", e->detail));
	sd_sbi_resp_json(resp, e->status, json_dumps(p, JSON_COMPACT));
	sd_strlcpy(resp->content_type, "application/problem+json", sizeof resp->content_type);
	json_decref(p);
}

/* Which slice a record belongs to, or why it is held. */
static const char *resolve(const struct sd_model *m, const char *snssai_text, const char *dnn,
			   const struct sd_slice **out, char *why, size_t whysz)
{
	struct sd_snssai sn;
	const int *idx = NULL;
	const struct sd_slice *hit = NULL;
	int n, i, matches = 0;

	*out = NULL;
	if (!snssai_text[0]) {
		snprintf(why, whysz, "the session names no S-NSSAI");
		return why;
	}
	if (!sd_snssai_parse(snssai_text, &sn, NULL)) {
		snprintf(why, whysz, "S-NSSAI %s is not valid", snssai_text);
		return why;
	}
	n = m ? sd_model_slices_by_snssai(m, &sn, &idx) : 0;
	for (i = 0; i < n; i++) {
		const struct sd_slice *s = &m->slices[idx[i]];
		if (s->dnn[0] && strcmp(s->dnn, dnn) != 0)
			continue;
		matches++;
		hit = s;
	}
	if (matches == 0) {
		snprintf(why, whysz, n ? "no slice with S-NSSAI %s serves DNN %s" :
			 "unknown S-NSSAI %s (DNN %s)", snssai_text, dnn);
		return why;
	}
	if (matches > 1) {
		snprintf(why, whysz, "S-NSSAI %s with DNN %s names %d slices", snssai_text, dnn,
			 matches);
		return why;
	}
	if (hit->state != SD_SLICE_ACTIVE && hit->state != SD_SLICE_SUSPENDED) {
		snprintf(why, whysz, "slice %s is %s", hit->id, sd_slice_state_name(hit->state));
		return why;
	}
	if (hit->factory < 0 || hit->factory >= m->nfactories) {
		snprintf(why, whysz, "slice %s has no factory", hit->id);
		return why;
	}
	*out = hit;
	return NULL;
}

static void on_durable(void *arg, int rc)
{
	struct pending *p = arg;
	struct sd_chf *c = p->c;
	if (rc < 0) {
		c->stats.failed++;
		sd_sbi_deferred_problem(p->d, 500, "Internal Server Error", "SYSTEM_FAILURE",
					"the usage could not be made durable; resend it");
	} else if (p->op == CHF_RELEASE) {
		c->stats.answered++;
		sd_sbi_deferred_answer(p->d, 204, NULL, NULL, 0);
	} else {
		struct sd_sbi_resp *r = sd_sbi_deferred_resp(p->d);
		char ts[40];
		json_t *j;
		sd_fmt_time(sd_wall_ms(), ts, sizeof ts);
		j = json_pack("{s:s, s:I}", "invocationTimeStamp", ts, "invocationSequenceNumber",
			      (json_int_t)p->seq);
		if (p->op == CHF_CREATE) {
			const char *root = c->host->notify_root(c->host->arg);
			snprintf(r->location, sizeof r->location, "%s%s/%s", root, CHF_BASE, p->ref);
		}
		sd_sbi_resp_json(r, p->op == CHF_CREATE ? 201 : 200, json_dumps(j, JSON_COMPACT));
		json_decref(j);
		c->stats.answered++;
		sd_sbi_deferred_send(p->d);
	}
	free(p);
}

/* Store the request's session and records as one write. 0, or -1 (the
 * write was rolled back: nothing of it is stored). */
static int store(struct sd_chf *c, enum chf_op op, const char *ref, struct sd_chf_request *r)
{
	struct sd_ledger *l = c->ledger;
	const struct sd_model *m = sd_host_model(c->host);
	char snssai[SD_SNSSAI_STRLEN] = "", dnn[64] = "", why[160];
	const struct sd_slice *sl = NULL;
	const char *hold;
	size_t i;
	bool ok = true;

	if (r->has_pdu) {
		if (r->has_snssai)
			sd_snssai_format(&r->snssai, snssai, sizeof snssai);
		sd_strlcpy(dnn, r->dnn, sizeof dnn);
	}
	if (sd_ledger_write_begin(l) < 0)
		return -1;
	if (!r->has_pdu || !r->has_snssai)
		sd_ledger_session_get(l, ref, snssai, sizeof snssai, dnn, sizeof dnn);
	ok = sd_ledger_session(l, ref, r->nf_name[0] ? r->nf_name : r->nf_addr, r->subscriber,
			       r->has_pdu && r->has_snssai ? snssai : "", r->has_pdu ? dnn : "",
			       r->pdu_session_id, sd_wall_ms(), op == CHF_RELEASE) == 0;
	hold = resolve(m, snssai, dnn, &sl, why, sizeof why);
	for (i = 0; ok && i < r->nunits; i++) {
		const struct sd_chf_unit *u = &r->units[i];
		struct sd_usage_rec rec = {
			.source = "chf", .session = ref, .rating_group = u->rating_group,
			.seq = u->seq, .upf = u->upf_id, .ul = u->ul, .dl = u->dl, .total = u->total,
			.time_s = u->time_s, .usage_ms = u->usage_ms, .snssai = snssai, .dnn = dnn,
			.factory = sl ? m->factories[sl->factory].id : "", .slice = sl ? sl->id : "",
			.hold = hold,
		};
		ok = sd_ledger_put(l, &rec) >= 0;
	}
	if (sd_ledger_write_end(l, ok) < 0 || !ok)
		return -1;
	return 0;
}

static void handle(struct sd_chf *c, enum chf_op op, const struct sd_sbi_req *req,
		   struct sd_sbi_resp *resp)
{
	struct sd_chf_request r;
	struct sd_chf_error e;
	struct pending *p;
	struct sd_sbi_deferred *d;
	char ref[SD_CHF_ID_MAX];

	c->stats.requests++;
	if (sd_chf_decode(req->body, req->body_len, &r, &e) < 0)
		goto refuse;
	if (op == CHF_CREATE) {
		if (!r.has_pdu) {
			memset(&e, 0, sizeof e);
			e.status = 400;
			sd_strlcpy(e.cause, "MANDATORY_IE_MISSING", sizeof e.cause);
			sd_strlcpy(e.param, "/pDUSessionChargingInformation", sizeof e.param);
			snprintf(e.detail, sizeof e.detail, "a create for PDU-session charging needs "
				 "/pDUSessionChargingInformation");
			goto refuse_free;
		}
		sd_chf_session_ref(&r, ref);
	} else {
		if (req->nparams < 1 || !ref_ok(req->params[0])) {
			sd_chf_request_done(&r);
			c->stats.refused++;
			sd_sbi_resp_problem(resp, 404, "Not Found", "CONTEXT_NOT_FOUND",
					    "not a ChargingDataRef this CHF can take");
			return;
		}
		sd_strlcpy(ref, req->params[0], sizeof ref);
	}
	if (sd_chf_check_units(&r, ref, c->max_volume, &e) < 0)
		goto refuse_free;
	d = sd_sbi_resp_defer(resp);
	if (!d) {                 /* 503 NF_CONGESTION is in resp: the SMF resends */
		sd_chf_request_done(&r);
		return;
	}
	c->stats.records += r.nunits;
	if (store(c, op, ref, &r) < 0) {
		c->stats.failed++;
		sd_complain(&c->store_log, SD_LOG_ERR, "CHF: the ledger refused a %s for %s: %s",
			    op == CHF_CREATE ? "create" : op == CHF_UPDATE ? "update" : "release", ref,
			    sd_ledger_errmsg(c->ledger));
		sd_chf_request_done(&r);
		sd_sbi_deferred_problem(d, 500, "Internal Server Error", "SYSTEM_FAILURE",
					"the usage could not be stored; resend it");
		return;
	}
	p = sd_calloc(1, sizeof *p);
	p->c = c;
	p->d = d;
	p->op = op;
	p->seq = r.invocation_seq;
	sd_strlcpy(p->ref, ref, sizeof p->ref);
	sd_chf_request_done(&r);
	sd_ledger_on_durable(c->ledger, on_durable, p);
	return;
refuse_free:
	sd_chf_request_done(&r);
refuse:
	c->stats.refused++;
	answer_problem(resp, &e);
}

static void h_create(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	handle(arg, CHF_CREATE, req, resp);
}

static void h_update(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	handle(arg, CHF_UPDATE, req, resp);
}

static void h_release(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	handle(arg, CHF_RELEASE, req, resp);
}

struct sd_chf *sd_chf_new(const struct sd_host *host, struct sd_ledger *l, int64_t max_volume,
			  char *err, size_t errsz)
{
	struct sd_chf *c;
	const struct sd_sbi_route_opts o = { .max_body = CHF_MAX_BODY };
	if (!host->sbi) {
		snprintf(err, errsz, "no SBI server (sbi.notify.listen is off)");
		return NULL;
	}
	c = sd_calloc(1, sizeof *c);
	c->host = host;
	c->ledger = l;
	c->max_volume = max_volume > 0 ? max_volume : SD_CHF_MAX_VOLUME;
	if (sd_sbi_server_route_ex(host->sbi, "POST", CHF_BASE, h_create, c, &o) < 0 ||
	    sd_sbi_server_route_ex(host->sbi, "POST", CHF_BASE "/{ChargingDataRef}/update",
				   h_update, c, &o) < 0 ||
	    sd_sbi_server_route_ex(host->sbi, "POST", CHF_BASE "/{ChargingDataRef}/release",
				   h_release, c, &o) < 0) {
		snprintf(err, errsz, "the charging routes are taken");
		sd_sbi_server_unroute_owner(host->sbi, c);
		free(c);
		return NULL;
	}
	return c;
}

void sd_chf_free(struct sd_chf *c)
{
	if (!c)
		return;
	sd_sbi_server_unroute_owner(c->host->sbi, c);
	sd_ledger_flush(c->ledger, NULL, NULL);
	free(c);
}

void sd_chf_get_stats(const struct sd_chf *c, struct sd_chf_stats *st)
{
	*st = c->stats;
}

/* sim/evts.c — AMF and SMF event exposure: UES_IN_AREA_REPORT (UEs per
 * slice and tracking area) from Namf_EventExposure, and QoS monitoring
 * (QOS_MON: per-flow UL/DL/round-trip packet delays, ms) from
 * Nsmf_EventExposure, both as periodic notifications. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "sim/sim.h"

#define AMF_EE "/namf-evts/v1"
#define SMF_EE "/nsmf-event-exposure/v1"
#define QOS_FLOWS 3          /* monitored flows reported per slice */
#define DELAY_SAMPLES 5      /* delay values per flow and direction */
#define MAX_SESSION_EVENTS 2048 /* PDU_SES_EST/REL entries per notification: a
				* new subscriber of a 14,000-session zone learns
				* them in 7 reports, not 56; under the decoders'
				* 4096 items per array */

static bool http_uri(const char *s)
{
	return s && (strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0) &&
	       strlen(s) < 500 && !strpbrk(s, " \r\n\t");
}

static int clamp_period(json_int_t v)
{
	return v <= 0 ? 10 : v > 3600 ? 3600 : (int)v;
}

/* --- AMF -------------------------------------------------------------- */

/* The subscription's options.expiry shows what was granted. */
static void set_amf_expiry(struct sd_sim_sub *s)
{
	json_t *sub = json_object_get(s->req, "subscription"), *opt;
	char ts[40];
	if (!json_is_object(sub))
		return;
	opt = json_object_get(sub, "options");
	if (!json_is_object(opt)) {
		/* AmfEventMode needs a trigger */
		opt = json_pack("{s:s}", "trigger", "CONTINUOUS");
		json_object_set_new(sub, "options", opt);
	}
	sd_sim_fmt_time(s->expiry_wall, ts, sizeof ts);
	json_object_set_new(opt, "expiry", json_string(ts));
}

/* UEs of the slices matching sn (all when NULL), in the TACs of tal (all
 * when NULL). */
static int ues_in(struct sd_sim *sim, const struct sd_snssai *sn, const json_t *tal)
{
	int s, total = 0;
	for (s = 0; s < sim->m->nslices; s++) {
		struct sd_sim_kpi k;
		if (sn && !sd_snssai_equal(sn, &sim->m->slices[s].snssai))
			continue;
		sd_sim_kpi(sim, s, &k);
		if (!json_is_array(tal) || !json_array_size(tal)) {
			total += k.ues;
		} else {
			const json_t *t;
			size_t i;
			json_array_foreach(tal, i, t) {
				const char *tac = json_string_value(json_object_get(t, "tac"));
				if (tac && strlen(tac) <= 6 && *tac &&
				    strspn(tac, "0123456789abcdefABCDEF") == strlen(tac))
					total += sd_sim_slice_ues_in_tac(sim->m, s,
						(uint32_t)strtoul(tac, NULL, 16), k.ues);
			}
		}
	}
	return total;
}

/* Does the slice serve any TAC of a trackingAreaList (true when none)? */
static bool slice_in_tal(struct sd_sim *sim, int s, const json_t *tal)
{
	const json_t *t;
	size_t i;
	if (!json_is_array(tal) || !json_array_size(tal))
		return true;
	json_array_foreach(tal, i, t) {
		const char *tac = json_string_value(json_object_get(t, "tac"));
		if (tac && strlen(tac) <= 6 && *tac &&
		    strspn(tac, "0123456789abcdefABCDEF") == strlen(tac) &&
		    sd_sim_slice_in_tac(sim->m, s, (uint32_t)strtoul(tac, NULL, 16)))
			return true;
	}
	return false;
}

static json_t *amf_report_one(struct sd_sim *sim, const struct sd_sim_sub *s, json_t *area,
			      int n, const char *ts)
{
	return json_pack("{s:s, s:{s:b}, s:s, s:s, s:b, s:[o], s:i}", "type", "UES_IN_AREA_REPORT",
			 "state", "active", 1, "timeStamp", ts, "subscriptionId", s->id,
			 "anyUe", 1, "areaList", area, "numberOfUes", n);
}

static json_t *amf_reports(struct sd_sim *sim, const struct sd_sim_sub *s)
{
	json_t *sub = json_object_get(s->req, "subscription");
	json_t *events = json_object_get(sub, "eventList"), *ev, *list = json_array();
	char ts[40];
	size_t i, k;
	sd_sim_fmt_time(sd_sim_time(sim), ts, sizeof ts);
	json_array_foreach(events, i, ev) {
		json_t *areas = json_object_get(ev, "areaList"), *area, *filter;
		if (!sd_streq(json_string_value(json_object_get(ev, "type")), "UES_IN_AREA_REPORT"))
			continue;
		if (json_is_array(areas) && json_array_size(areas)) {
			json_array_foreach(areas, k, area) {
				struct sd_snssai sn;
				bool has = sd_snssai_from_json(json_object_get(area, "sNssai"), &sn, NULL);
				json_t *tal = json_object_get(json_object_get(area, "presenceInfo"),
							      "trackingAreaList");
				size_t j;
				if (has) {
					json_array_append_new(list, amf_report_one(sim, s,
						json_deep_copy(area), ues_in(sim, &sn, tal), ts));
					continue;
				}
				/* An area without a slice: UEs in it per live slice, each
				 * report's area naming its sNssai. */
				for (j = 0; j < (size_t)sim->m->nslices; j++) {
					const struct sd_slice *sl = &sim->m->slices[j];
					json_t *a;
					if (sl->state != SD_SLICE_ACTIVE || !slice_in_tal(sim, (int)j, tal))
						continue;
					a = json_deep_copy(area);
					json_object_set_new(a, "sNssai", sd_snssai_to_json(&sl->snssai));
					json_array_append_new(list, amf_report_one(sim, s, a,
						ues_in(sim, &sl->snssai, tal), ts));
				}
			}
			continue;
		}
		/* No areas: one report per live slice (snssaiFilter narrows). */
		filter = json_object_get(ev, "snssaiFilter");
		for (k = 0; k < (size_t)sim->m->nslices; k++) {
			const struct sd_slice *sl = &sim->m->slices[k];
			bool want = !json_is_array(filter) || !json_array_size(filter);
			json_t *f;
			size_t j;
			if (sl->state != SD_SLICE_ACTIVE)
				continue;
			json_array_foreach(filter, j, f) {
				struct sd_snssai fs;
				if (sd_snssai_from_json(f, &fs, NULL) && sd_snssai_equal(&fs, &sl->snssai))
					want = true;
			}
			if (want)
				json_array_append_new(list, amf_report_one(sim, s,
					json_pack("{s:o}", "sNssai", sd_snssai_to_json(&sl->snssai)),
					ues_in(sim, &sl->snssai, NULL), ts));
		}
	}
	return list;
}

json_t *sd_sim_amf_report(struct sd_sim *sim, const struct sd_sim_sub *s)
{
	json_t *sub = json_object_get(s->req, "subscription");
	return json_pack("{s:O, s:o}", "notifyCorrelationId",
			 json_object_get(sub, "notifyCorrelationId"), "reportList",
			 amf_reports(sim, s));
}

void sd_sim_amf_subscribe(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct sd_sim *sim = arg;
	json_t *b = req->body ? json_loadb(req->body, req->body_len, 0, NULL) : NULL;
	json_t *sub = json_object_get(b, "subscription"), *events, *ev, *opt, *o;
	struct sd_sim_sub *s;
	bool immediate = false;
	int period = 10, maxr = 0;
	size_t i;
	char loc[300];

	events = json_object_get(sub, "eventList");
	if (!json_is_object(sub) || !json_is_array(events) || !json_array_size(events) ||
	    json_array_size(events) > 16 ||
	    !http_uri(json_string_value(json_object_get(sub, "eventNotifyUri"))) ||
	    !json_is_string(json_object_get(sub, "notifyCorrelationId")) ||
	    !json_is_string(json_object_get(sub, "nfId"))) {
		json_decref(b);
		sd_sim_resp_problem(resp, 400, AMF_EE, "subscription with eventList, eventNotifyUri, "
				    "notifyCorrelationId and nfId is mandatory", "MANDATORY_IE_MISSING",
				    NULL, "/subscriptions");
		return;
	}
	json_array_foreach(events, i, ev) {
		const char *t = json_string_value(json_object_get(ev, "type"));
		if (!sd_streq(t, "UES_IN_AREA_REPORT")) {
			char d[96], shown[48];
			sd_sanitize(shown, sizeof shown, t ? t : "(none)", t ? strlen(t) : 6);
			snprintf(d, sizeof d, "event type %s is not supported", shown);
			json_decref(b);
			sd_sim_resp_problem(resp, 400, AMF_EE, "Unsupported event type",
					    "MANDATORY_IE_INCORRECT", d, "/subscriptions");
			return;
		}
		if (json_is_true(json_object_get(ev, "immediateFlag")))
			immediate = true;
	}
	opt = json_object_get(sub, "options");
	if (json_is_integer(json_object_get(opt, "repPeriod")))
		period = clamp_period(json_integer_value(json_object_get(opt, "repPeriod")));
	if (json_is_integer(json_object_get(opt, "maxReports")))
		maxr = (int)json_integer_value(json_object_get(opt, "maxReports"));
	if (sd_streq(json_string_value(json_object_get(opt, "trigger")), "ONE_TIME"))
		maxr = 1;
	s = sd_sim_sub_new(sim, SD_SUB_AMF, json_string_value(json_object_get(sub, "eventNotifyUri")),
			   b, period);
	json_decref(b);
	if (!s) {
		sd_sim_resp_problem(resp, 500, AMF_EE, "Too many subscriptions", "INSUFFICIENT_RESOURCES",
				    NULL, "/subscriptions");
		return;
	}
	s->max_reports = maxr > 0 ? maxr : 0;
	/* options.expiry as asked, up to 24 h; 24 h when none was asked */
	s->expiry_wall = sd_sim_sub_grant(json_object_get(opt, "expiry"));
	set_amf_expiry(s);
	snprintf(loc, sizeof loc, "%s" AMF_EE "/subscriptions/%s", sim->api_root, s->id);
	o = json_pack("{s:O, s:s}", "subscription", json_object_get(s->req, "subscription"),
		      "subscriptionId", loc);
	if (immediate)
		json_object_set_new(o, "reportList", amf_reports(sim, s));
	sd_sim_resp_location(resp, "%s", loc);
	sd_sim_resp_json(resp, 201, o);
}

/* AmfUpdateEventOptionItem: [{"op":"replace","path":"/options/expiry",
 * "value":DateTime}] renews as asked (up to 24 h); 200
 * AmfUpdatedEventSubscription. Other changes are not emulated (400). */
void sd_sim_amf_sub_patch(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct sd_sim *sim = arg;
	struct sd_sim_sub *s = req->nparams ? sd_sim_sub_find(sim, SD_SUB_AMF, req->params[0]) : NULL;
	json_t *v;
	if (!s) {
		sd_sim_resp_problem(resp, 404, AMF_EE, "Subscription not found", "SUBSCRIPTION_NOT_FOUND",
				    NULL, "/subscriptions");
		return;
	}
	if (!sd_sim_sub_patch_expiry(req, "/options/expiry", &v) || !v) {
		json_decref(v);
		sd_sim_resp_problem(resp, 400, AMF_EE, "Only /options/expiry can be changed",
				    "MANDATORY_IE_INCORRECT", NULL, "/subscriptions");
		return;
	}
	s->expiry_wall = sd_sim_sub_grant(v);
	json_decref(v);
	set_amf_expiry(s);
	s->renewals++;
	sd_sim_resp_json(resp, 200, json_pack("{s:O}", "subscription",
					      json_object_get(s->req, "subscription")));
}

void sd_sim_amf_sub_delete(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct sd_sim *sim = arg;
	struct sd_sim_sub *s = req->nparams ? sd_sim_sub_find(sim, SD_SUB_AMF, req->params[0]) : NULL;
	if (!s) {
		sd_sim_resp_problem(resp, 404, AMF_EE, "Subscription not found", "SUBSCRIPTION_NOT_FOUND",
				    NULL, "/subscriptions");
		return;
	}
	sd_sim_sub_free(sim, s);
	sd_sim_resp_empty(resp, 204);
}

/* --- SMF -------------------------------------------------------------- */

static json_t *delays(const struct sd_sim_kpi *k, uint64_t seed, uint64_t base, double scale)
{
	json_t *a = json_array();
	int j;
	for (j = 0; j < DELAY_SAMPLES; j++) {
		double v = sd_sim_latency_sample(k, seed, base + (uint64_t)j) * scale;
		json_array_append_new(a, json_integer((json_int_t)ceil(v)));
	}
	return a;
}

/* PDU_SES_EST / PDU_SES_REL: the change in a slice's PDU sessions since
 * the last report of this subscription, one entry per session (the first
 * report establishes every current session). */
static void session_events(struct sd_sim *sim, struct sd_sim_sub *s, json_t *out, int sl,
			   const struct sd_sim_kpi *k, bool est, bool rel, const char *ts)
{
	const struct sd_slice *x = &sim->m->slices[sl];
	const char *xdnn = x->dnn[0] ? x->dnn : "internet";
	int prev, cur = k->pdu_sessions, n;
	if (!s->sessions)
		s->sessions = sd_calloc((size_t)sim->m->nslices, sizeof *s->sessions);
	prev = s->sessions[sl];
	for (n = prev; n != cur && json_array_size(out) < MAX_SESSION_EVENTS;) {
		bool up = cur > n;
		int ord = up ? n : n - 1;   /* the session that comes or goes */
		char supi[40];
		n += up ? 1 : -1;
		if ((up && !est) || (!up && !rel))
			continue;
		snprintf(supi, sizeof supi, "imsi-%s%s%03d%07d", sim->m->plmn.mcc, sim->m->plmn.mnc,
			 sl % 1000, ord % 10000000);
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:i, s:s, s:o, s:s}",
			"event", up ? "PDU_SES_EST" : "PDU_SES_REL", "timeStamp", ts, "supi", supi,
			"pduSeId", 1 + ord % 15, "dnn", xdnn,
			"snssai", sd_snssai_to_json(&x->snssai), "pduSessType", "IPV4"));
	}
	s->sessions[sl] = n;
}

static json_t *smf_notifs(struct sd_sim *sim, struct sd_sim_sub *s)
{
	json_t *out = json_array(), *es;
	struct sd_snssai want;
	bool has_sn = sd_snssai_from_json(json_object_get(s->req, "snssai"), &want, NULL);
	const char *dnn = json_string_value(json_object_get(s->req, "dnn"));
	int64_t now = sd_sim_time(sim);
	char ts[40];
	size_t i;
	int sl, f;
	bool sess_done = false;

	sd_sim_fmt_time(now, ts, sizeof ts);
	json_array_foreach(json_object_get(s->req, "eventSubs"), i, es) {
		const char *ev = json_string_value(json_object_get(es, "event"));
		if (sd_streq(ev, "PDU_SES_EST") || sd_streq(ev, "PDU_SES_REL")) {
			bool est = false, rel = false;
			json_t *e2;
			size_t i2;
			/* EST and REL are handled together, once */
			if (sess_done)
				continue;
			sess_done = true;
			json_array_foreach(json_object_get(s->req, "eventSubs"), i2, e2) {
				const char *n2 = json_string_value(json_object_get(e2, "event"));
				est |= sd_streq(n2, "PDU_SES_EST");
				rel |= sd_streq(n2, "PDU_SES_REL");
			}
			for (sl = 0; sl < sim->m->nslices; sl++) {
				const struct sd_slice *x = &sim->m->slices[sl];
				struct sd_sim_kpi k;
				if ((has_sn && !sd_snssai_equal(&want, &x->snssai)) ||
				    (dnn && strcmp(dnn, x->dnn[0] ? x->dnn : "internet") != 0))
					continue;
				sd_sim_kpi(sim, sl, &k);
				session_events(sim, s, out, sl, &k, est, rel, ts);
			}
			continue;
		}
		if (!sd_streq(ev, "QOS_MON"))
			continue;
		for (sl = 0; sl < sim->m->nslices; sl++) {
			const struct sd_slice *x = &sim->m->slices[sl];
			const char *xdnn = x->dnn[0] ? x->dnn : "internet";
			struct sd_sim_kpi k;
			int flows;
			if (x->state != SD_SLICE_ACTIVE || (has_sn && !sd_snssai_equal(&want, &x->snssai)) ||
			    (dnn && strcmp(dnn, xdnn) != 0))
				continue;
			sd_sim_kpi(sim, sl, &k);
			flows = k.ues < QOS_FLOWS ? k.ues : QOS_FLOWS;
			if (flows == 0) {
				/* nothing to measure: packet delay measurement failure */
				json_array_append_new(out, json_pack("{s:s, s:s, s:o, s:s, s:b}",
					"event", "QOS_MON", "timeStamp", ts,
					"snssai", sd_snssai_to_json(&x->snssai), "dnn", xdnn, "pdmf", 1));
				continue;
			}
			for (f = 0; f < flows; f++) {
				uint64_t base = sd_sim_hash(sim->o.seed, sd_sim_hash_str(0, x->id),
							    (uint64_t)(now / 1000), (uint64_t)f) & ~0xffULL;
				json_t *ul = delays(&k, sim->o.seed, base, 1.0);
				json_t *dl = delays(&k, sim->o.seed, base + 16, 0.9);
				json_t *rt = json_array(), *v;
				size_t j;
				json_array_foreach(ul, j, v)
					json_array_append_new(rt, json_integer(json_integer_value(v) +
						json_integer_value(json_array_get(dl, j))));
				json_array_append_new(out, json_pack(
					"{s:s, s:s, s:o, s:s, s:i, s:o, s:o, s:o}",
					"event", "QOS_MON", "timeStamp", ts,
					"snssai", sd_snssai_to_json(&x->snssai), "dnn", xdnn,
					"qfi", f + 1, "ulDelays", ul, "dlDelays", dl, "rtDelays", rt));
			}
		}
	}
	return out;
}

json_t *sd_sim_smf_report(struct sd_sim *sim, struct sd_sim_sub *s)
{
	json_t *n = smf_notifs(sim, s);
	if (!json_array_size(n)) {
		json_decref(n);
		return NULL;   /* eventNotifs needs at least one entry */
	}
	return json_pack("{s:O, s:o}", "notifId", json_object_get(s->req, "notifId"),
			 "eventNotifs", n);
}

void sd_sim_smf_subscribe(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct sd_sim *sim = arg;
	json_t *b = req->body ? json_loadb(req->body, req->body_len, 0, NULL) : NULL;
	json_t *subs = json_object_get(b, "eventSubs"), *es, *o, *rp, *mr;
	struct sd_sim_sub *s;
	struct sd_snssai sn;
	int period = 10;
	size_t i;

	if (!json_is_object(b) || !json_is_string(json_object_get(b, "notifId")) ||
	    !http_uri(json_string_value(json_object_get(b, "notifUri"))) ||
	    !json_is_array(subs) || !json_array_size(subs) || json_array_size(subs) > 16) {
		json_decref(b);
		sd_sim_resp_problem(resp, 400, SMF_EE, "notifId, notifUri and eventSubs are mandatory",
				    "MANDATORY_IE_MISSING", NULL, "/subscriptions");
		return;
	}
	if (json_object_get(b, "snssai") && !sd_snssai_from_json(json_object_get(b, "snssai"), &sn, NULL)) {
		json_decref(b);
		sd_sim_resp_problem(resp, 400, SMF_EE, "snssai is not a Snssai",
				    "OPTIONAL_IE_INCORRECT", NULL, "/subscriptions");
		return;
	}
	json_array_foreach(subs, i, es) {
		const char *ev = json_string_value(json_object_get(es, "event"));
		if (!sd_streq(ev, "QOS_MON") && !sd_streq(ev, "PDU_SES_EST") &&
		    !sd_streq(ev, "PDU_SES_REL")) {
			char d[96], shown[48];
			sd_sanitize(shown, sizeof shown, ev ? ev : "(none)", ev ? strlen(ev) : 6);
			snprintf(d, sizeof d, "event %s is not supported", shown);
			json_decref(b);
			sd_sim_resp_problem(resp, 400, SMF_EE, "Unsupported event",
					    "MANDATORY_IE_INCORRECT", d, "/subscriptions");
			return;
		}
	}
	rp = json_object_get(b, "repPeriod");
	if (json_is_integer(rp))
		period = clamp_period(json_integer_value(rp));
	s = sd_sim_sub_new(sim, SD_SUB_SMF, json_string_value(json_object_get(b, "notifUri")), b,
			   period);
	json_decref(b);
	if (!s) {
		sd_sim_resp_problem(resp, 500, SMF_EE, "Too many subscriptions", "INSUFFICIENT_RESOURCES",
				    NULL, "/subscriptions");
		return;
	}
	mr = json_object_get(s->req, "maxReportNbr");
	if (json_is_integer(mr) && json_integer_value(mr) > 0)
		s->max_reports = (int)json_integer_value(mr);
	if (sd_streq(json_string_value(json_object_get(s->req, "notifMethod")), "ONE_TIME"))
		s->max_reports = 1;
	json_object_set_new(s->req, "subId", json_string(s->id));
	/* expiry as asked, up to 24 h; 24 h when none was asked */
	s->expiry_wall = sd_sim_sub_grant(json_object_get(s->req, "expiry"));
	{
		char ts[40];
		sd_sim_fmt_time(s->expiry_wall, ts, sizeof ts);
		json_object_set_new(s->req, "expiry", json_string(ts));
	}
	o = json_deep_copy(s->req);
	if (json_is_true(json_object_get(o, "ImmeRep"))) {
		json_t *n = smf_notifs(sim, s);
		if (json_array_size(n))
			json_object_set_new(o, "eventNotifs", n);
		else
			json_decref(n);
	}
	sd_sim_resp_location(resp, "%s" SMF_EE "/subscriptions/%s", sim->api_root, s->id);
	sd_sim_resp_json(resp, 201, o);
}

void sd_sim_smf_sub_get(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct sd_sim *sim = arg;
	struct sd_sim_sub *s = req->nparams ? sd_sim_sub_find(sim, SD_SUB_SMF, req->params[0]) : NULL;
	if (!s) {
		sd_sim_resp_problem(resp, 404, SMF_EE, "Subscription not found", "SUBSCRIPTION_NOT_FOUND",
				    NULL, "/subscriptions");
		return;
	}
	sd_sim_resp_json(resp, 200, json_deep_copy(s->req));
}

/* TS 29.508 has no PATCH: a PUT replaces the subscription (same subId,
 * the sessions already reported stay reported); expiry as asked, up to
 * 24 h. 200 with the subscription. */
void sd_sim_smf_sub_put(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct sd_sim *sim = arg;
	struct sd_sim_sub *s = req->nparams ? sd_sim_sub_find(sim, SD_SUB_SMF, req->params[0]) : NULL;
	json_t *b, *subs, *es, *rp;
	size_t i;
	char ts[40];

	if (!s) {
		sd_sim_resp_problem(resp, 404, SMF_EE, "Subscription not found", "SUBSCRIPTION_NOT_FOUND",
				    NULL, "/subscriptions");
		return;
	}
	b = req->body ? json_loadb(req->body, req->body_len, 0, NULL) : NULL;
	subs = json_object_get(b, "eventSubs");
	if (!json_is_object(b) || !json_is_string(json_object_get(b, "notifId")) ||
	    !http_uri(json_string_value(json_object_get(b, "notifUri"))) ||
	    !json_is_array(subs) || !json_array_size(subs) || json_array_size(subs) > 16) {
		json_decref(b);
		sd_sim_resp_problem(resp, 400, SMF_EE, "notifId, notifUri and eventSubs are mandatory",
				    "MANDATORY_IE_MISSING", NULL, "/subscriptions");
		return;
	}
	json_array_foreach(subs, i, es) {
		const char *ev = json_string_value(json_object_get(es, "event"));
		if (!sd_streq(ev, "QOS_MON") && !sd_streq(ev, "PDU_SES_EST") &&
		    !sd_streq(ev, "PDU_SES_REL")) {
			json_decref(b);
			sd_sim_resp_problem(resp, 400, SMF_EE, "Unsupported event",
					    "MANDATORY_IE_INCORRECT", NULL, "/subscriptions");
			return;
		}
	}
	rp = json_object_get(b, "repPeriod");
	if (json_is_integer(rp)) {
		int period = clamp_period(json_integer_value(rp));
		if (period != s->period_s && sim->loop && s->timer) {
			/* the next report comes one new period from now */
			sd_loop_timer_del(sim->loop, s->timer);
			s->timer = 0;
		}
		s->period_s = period;
	}
	sd_strlcpy(s->uri, json_string_value(json_object_get(b, "notifUri")), sizeof s->uri);
	s->expiry_wall = sd_sim_sub_grant(json_object_get(b, "expiry"));
	sd_sim_fmt_time(s->expiry_wall, ts, sizeof ts);
	json_object_set_new(b, "expiry", json_string(ts));
	json_object_set_new(b, "subId", json_string(s->id));
	json_object_del(b, "eventNotifs");
	json_decref(s->req);
	s->req = b;
	s->renewals++;
	sd_sim_sub_rearm(sim, s);
	sd_sim_resp_json(resp, 200, json_deep_copy(s->req));
}

void sd_sim_smf_sub_delete(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct sd_sim *sim = arg;
	struct sd_sim_sub *s = req->nparams ? sd_sim_sub_find(sim, SD_SUB_SMF, req->params[0]) : NULL;
	if (!s) {
		sd_sim_resp_problem(resp, 404, SMF_EE, "Subscription not found", "SUBSCRIPTION_NOT_FOUND",
				    NULL, "/subscriptions");
		return;
	}
	sd_sim_sub_free(sim, s);
	sd_sim_resp_empty(resp, 204);
}

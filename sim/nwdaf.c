/* sim/nwdaf.c — the NWDAF: AnalyticsInfo (GET /analytics) and
 * EventsSubscription with PERIODIC notifications. Analytics come from the
 * synthetic model at the current model time.
 *
 * Supported analytics: slice load (event-id LOAD_LEVEL_INFORMATION, event
 * SLICE_LOAD_LEVEL), NF_LOAD, NETWORK_PERFORMANCE, QOS_SUSTAINABILITY and
 * DN_PERFORMANCE (per-slice traffic rate, packet delay and loss).
 * NETWORK_PERFORMANCE also answers the vendor nwPerfTypes RSRP_MEAN and
 * SINR_MEAN per cell when the filter's nwPerfTypes asks for them
 * (docs/simulator.md). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "sim/sim.h"

#define ANA "/nnwdaf-analyticsinfo/v1"
#define EVS "/nnwdaf-eventssubscription/v1"
#define MAX_FILTER_SNSSAI 32
#define MAX_FILTER_TACS 64

struct filt {
	struct sd_snssai sn[MAX_FILTER_SNSSAI];
	int nsn;
	json_t *nftypes;      /* borrowed */
	json_t *nfids;        /* borrowed */
	json_t *nwtypes;      /* nwPerfTypes, borrowed */
	uint32_t tacs[MAX_FILTER_TACS];
	int ntacs;
};

static void filt_parse(const struct sd_sim *sim, const json_t *f, const char *snkey,
		       struct filt *out)
{
	json_t *v, *a = json_object_get(f, snkey);
	size_t i;
	memset(out, 0, sizeof *out);
	if (!json_is_true(json_object_get(f, "anySlice")))
		json_array_foreach(a, i, v)
			if (out->nsn < MAX_FILTER_SNSSAI &&
			    sd_snssai_from_json(v, &out->sn[out->nsn], NULL))
				out->nsn++;
	out->nftypes = json_is_array(json_object_get(f, "nfTypes")) ?
		       json_object_get(f, "nfTypes") : NULL;
	out->nfids = json_is_array(json_object_get(f, "nfInstanceIds")) ?
		     json_object_get(f, "nfInstanceIds") : NULL;
	out->nwtypes = json_is_array(json_object_get(f, "nwPerfTypes")) ?
		       json_object_get(f, "nwPerfTypes") : NULL;
	a = json_object_get(json_object_get(f, "networkArea"), "tais");
	json_array_foreach(a, i, v) {
		const char *t = json_string_value(json_object_get(v, "tac"));
		if (t && out->ntacs < MAX_FILTER_TACS && strlen(t) <= 6 &&
		    strspn(t, "0123456789abcdefABCDEF") == strlen(t) && *t)
			out->tacs[out->ntacs++] = (uint32_t)strtoul(t, NULL, 16);
	}
	(void)sim;
}

static bool filt_slice(const struct sd_sim *sim, const struct filt *f, int s)
{
	int i;
	if (sim->m->slices[s].state != SD_SLICE_ACTIVE)
		return false;
	if (!f->nsn)
		return true;
	for (i = 0; i < f->nsn; i++)
		if (sd_snssai_equal(&f->sn[i], &sim->m->slices[s].snssai))
			return true;
	return false;
}

static bool in_str_array(const json_t *a, const char *s, bool ci)
{
	const json_t *v;
	size_t i;
	json_array_foreach(a, i, v)
		if (json_is_string(v) && (ci ? strcasecmp(json_string_value(v), s) :
					  strcmp(json_string_value(v), s)) == 0)
			return true;
	return false;
}

static int zone_tacs(const struct sd_sim *sim, const struct filt *f, uint32_t *tacs, int max)
{
	int n, i, k, o = 0;
	n = sd_sim_tacs(sim->m, tacs, max);
	if (!f->ntacs)
		return n;
	for (i = 0; i < n; i++)
		for (k = 0; k < f->ntacs; k++)
			if (tacs[i] == f->tacs[k]) {
				tacs[o++] = tacs[i];
				break;
			}
	return o;
}

static json_t *slice_load(struct sd_sim *sim, int s)
{
	struct sd_sim_kpi k;
	sd_sim_kpi(sim, s, &k);
	return json_pack("{s:i, s:[o]}", "loadLevelInformation", (int)lround(k.load * 100.0),
			 "snssais", sd_snssai_to_json(&sim->m->slices[s].snssai));
}

static json_t *nf_loads(struct sd_sim *sim, const struct filt *f)
{
	json_t *a = json_array();
	int i;
	for (i = 0; i < sim->nnfs; i++) {
		const struct sd_sim_nf *nf = &sim->nfs[i];
		int load, cpu, mem;
		uint64_t h;
		if (!nf->registered || !nf->emulated)
			continue;
		if (f->nftypes && !in_str_array(f->nftypes, nf->type, false))
			continue;
		if (f->nfids && !in_str_array(f->nfids, nf->id, true))
			continue;
		load = sd_sim_nf_load(sim, nf);
		h = sd_sim_hash_str(sim->o.seed, nf->name);
		cpu = load * 8 / 10 + (int)(h % 10);
		mem = 30 + load / 3 + (int)((h >> 8) % 10);
		/* SamplingRatio is 1..100: name only the state it was in */
		json_array_append_new(a, json_pack(
			"{s:s, s:s, s:{s:i}, s:i, s:i, s:i, s:i, s:i, s:i}",
			"nfType", nf->type, "nfInstanceId", nf->id, "nfStatus",
			nf->status == SD_NF_REGISTERED ? "statusRegistered" : "statusUnregistered", 100,
			"nfCpuUsage", cpu > 100 ? 100 : cpu, "nfMemoryUsage", mem > 100 ? 100 : mem,
			"nfStorageUsage", 20 + (int)((h >> 16) % 30),
			"nfLoadLevelAverage", load, "nfLoadLevelpeak", load + (100 - load) / 4,
			"confidence", 90));
	}
	return a;
}

/* A standard nwPerfType is reported unless nwPerfTypes leaves it out; the
 * vendor ones (RSRP_MEAN, SINR_MEAN) only when nwPerfTypes names them, so
 * a consumer that does not know them never sees them. */
static bool want_type(const struct filt *f, const char *type, bool vendor)
{
	if (!f->nwtypes)
		return !vendor;
	return in_str_array(f->nwtypes, type, false);
}

static bool cell_in_filter(const struct sd_sim *sim, const struct filt *f, int c)
{
	int k;
	if (!f->ntacs)
		return true;
	for (k = 0; k < f->ntacs; k++)
		if (sim->m->cells[c].tac == f->tacs[k])
			return true;
	return false;
}

/* The vendor extension (docs/simulator.md): per cell, the mean RSRP and
 * SINR its UEs see now (sd_sim_cell_radio), as TS 38.133 report indexes
 * in absoluteNum with the cell as networkArea.ncgis[0]. */
static void cell_radio(struct sd_sim *sim, const struct filt *f, json_t *a)
{
	bool rsrp = want_type(f, "RSRP_MEAN", true), sinr = want_type(f, "SINR_MEAN", true);
	uint8_t *down;
	int c;
	if (!rsrp && !sinr)
		return;
	/* a cell that is down has no UEs to report for */
	down = sd_sim_cells_down(sim);
	for (c = 0; c < sim->m->ncells; c++) {
		double r, q, ir, iq;
		char nci[16];
		json_t *area;
		if (!cell_in_filter(sim, f, c) || (down && down[c]))
			continue;
		sd_sim_cell_radio_ex(sim->m, sim->o.seed, c, sd_sim_time(sim), sim->o.utc_offset_min,
				     down, &r, &q);
		ir = floor(r + 157.0);
		iq = floor(2.0 * q + 47.0);
		ir = ir < 0 ? 0 : ir > 126 ? 126 : ir;
		iq = iq < 0 ? 0 : iq > 127 ? 127 : iq;
		snprintf(nci, sizeof nci, "%09llx",
			 (unsigned long long)(sim->m->cells[c].nci & 0xfffffffffULL));
		area = json_pack("{s:[{s:o, s:s}]}", "ncgis", "plmnId", sd_sim_plmn_json(sim),
				 "nrCellId", nci);
		if (rsrp)
			json_array_append_new(a, json_pack("{s:O, s:s, s:i, s:i}", "networkArea", area,
				"nwPerfType", "RSRP_MEAN", "absoluteNum", (int)ir, "confidence", 90));
		if (sinr)
			json_array_append_new(a, json_pack("{s:O, s:s, s:i, s:i}", "networkArea", area,
				"nwPerfType", "SINR_MEAN", "absoluteNum", (int)iq, "confidence", 90));
		json_decref(area);
	}
	sd_free(down);
}

static json_t *nw_perfs(struct sd_sim *sim, const struct filt *f)
{
	json_t *a = json_array();
	uint32_t tacs[256];
	int n = zone_tacs(sim, f, tacs, 256), i, s;
	cell_radio(sim, f, a);
	if (!want_type(f, "NUM_OF_UE", false) && !want_type(f, "GNB_ACTIVE_RATIO", false) &&
	    !want_type(f, "SESS_SUCC_RATIO", false))
		n = 0;
	for (i = 0; i < n; i++) {
		int ues = 0;
		double load = 0;
		int nsl = 0;
		json_t *area = json_pack("{s:[o]}", "tais", sd_sim_tai_json(sim, tacs[i]));
		for (s = 0; s < sim->m->nslices; s++) {
			struct sd_sim_kpi k;
			if (!sd_sim_slice_in_tac(sim->m, s, tacs[i]))
				continue;
			sd_sim_kpi(sim, s, &k);
			ues += sd_sim_slice_ues_in_tac(sim->m, s, tacs[i], k.ues);
			load += k.load;
			nsl++;
		}
		if (nsl)
			load /= nsl;
		if (want_type(f, "NUM_OF_UE", false))
			json_array_append_new(a, json_pack("{s:O, s:s, s:i, s:i}", "networkArea", area,
				"nwPerfType", "NUM_OF_UE", "absoluteNum", ues, "confidence", 95));
		if (want_type(f, "GNB_ACTIVE_RATIO", false))
			json_array_append_new(a, json_pack("{s:O, s:s, s:i, s:i}", "networkArea", area,
				"nwPerfType", "GNB_ACTIVE_RATIO", "relativeRatio", 100, "confidence", 95));
		if (want_type(f, "SESS_SUCC_RATIO", false))
			json_array_append_new(a, json_pack("{s:O, s:s, s:i, s:i}", "networkArea", area,
				"nwPerfType", "SESS_SUCC_RATIO", "relativeRatio",
				(int)lround(100.0 - 8.0 * pow(load, 3.0)) < 1 ? 1 :
				(int)lround(100.0 - 8.0 * pow(load, 3.0)), "confidence", 90));
		json_decref(area);
	}
	return a;
}

static json_t *qos_sustain(struct sd_sim *sim, const struct filt *f)
{
	json_t *a = json_array();
	uint32_t tacs[256];
	int n = zone_tacs(sim, f, tacs, 256), i, s;
	char start[40], end[40], br[32];
	int64_t now = sd_sim_time(sim);
	sd_sim_fmt_time(now, start, sizeof start);
	sd_sim_fmt_time(now + 600000, end, sizeof end);
	for (s = 0; s < sim->m->nslices; s++) {
		struct sd_sim_kpi k;
		if (!filt_slice(sim, f, s))
			continue;
		sd_sim_kpi(sim, s, &k);
		for (i = 0; i < n; i++) {
			if (!sd_sim_slice_in_tac(sim->m, s, tacs[i]))
				continue;
			sd_sim_bitrate(k.ues ? k.dl_mbps / k.ues : 0.0, br, sizeof br);
			json_array_append_new(a, json_pack("{s:{s:[o]}, s:s, s:s, s:s, s:o, s:i}",
				"areaInfo", "tais", sd_sim_tai_json(sim, tacs[i]), "startTs", start,
				"endTs", end, "ranUeThrouThd", br,
				"snssai", sd_snssai_to_json(&sim->m->slices[s].snssai),
				"confidence", 80));
		}
	}
	return a;
}

static json_t *dn_perfs(struct sd_sim *sim, const struct filt *f)
{
	json_t *a = json_array();
	int s;
	for (s = 0; s < sim->m->nslices; s++) {
		struct sd_sim_kpi k;
		char avg[32], max[32];
		int ave, mx, loss;
		if (!filt_slice(sim, f, s))
			continue;
		sd_sim_kpi(sim, s, &k);
		sd_sim_bitrate(k.dl_mbps, avg, sizeof avg);
		sd_sim_bitrate(k.dl_mbps * 1.3, max, sizeof max);
		ave = (int)lround(k.lat_median_ms * exp(k.lat_sigma * k.lat_sigma / 2) + k.lat_add_ms);
		mx = (int)lround(k.lat_p999_ms);
		loss = (int)lround(k.loss_pct * 10.0);
		json_array_append_new(a, json_pack("{s:s, s:o, s:[{s:{s:s, s:s, s:i, s:i, s:i}}], s:i}",
			"dnn", sim->m->slices[s].dnn[0] ? sim->m->slices[s].dnn : "internet",
			"snssai", sd_snssai_to_json(&sim->m->slices[s].snssai),
			"dnPerf", "perfData", "avgTrafficRate", avg, "maxTrafficRate", max,
			"avePacketDelay", ave < 1 ? 1 : ave, "maxPacketDelay", mx < 1 ? 1 : mx,
			"avgPacketLossRate", loss > 1000 ? 1000 : loss, "confidence", 85));
	}
	return a;
}

static void stamp(struct sd_sim *sim, json_t *o)
{
	char a[40], b[40], c[40];
	int64_t now = sd_sim_time(sim);
	sd_sim_fmt_time(now, a, sizeof a);
	sd_sim_fmt_time(now + 60000, b, sizeof b);
	sd_sim_fmt_time(sd_wall_ms(), c, sizeof c);
	json_object_set_new(o, "start", json_string(a));
	json_object_set_new(o, "expiry", json_string(b));
	json_object_set_new(o, "timeStampGen", json_string(c));
}

void sd_sim_nwdaf_analytics(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct sd_sim *sim = arg;
	char ev[64];
	json_t *ef, *items = NULL, *o;
	const char *member = NULL;
	bool present;
	struct filt f;
	int s;

	if (!sd_sbi_req_query(req, "event-id", ev, sizeof ev) || !ev[0]) {
		sd_sim_resp_problem(resp, 400, ANA, "event-id is mandatory",
				    "MANDATORY_QUERY_PARAM_MISSING", NULL, "/analytics");
		return;
	}
	if (strspn(ev, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != strlen(ev)) {
		sd_sim_resp_problem(resp, 400, ANA, "event-id is not an EventId",
				    "MANDATORY_QUERY_PARAM_INCORRECT", NULL, "/analytics");
		return;
	}
	ef = sd_sim_query_json(req, "event-filter", &present);
	if (present && !json_is_object(ef)) {
		json_decref(ef);
		sd_sim_resp_problem(resp, 400, ANA, "event-filter is not a JSON EventFilter",
				    "OPTIONAL_QUERY_PARAM_INCORRECT", NULL, "/analytics");
		return;
	}
	filt_parse(sim, ef, "snssais", &f);
	if (strcmp(ev, "LOAD_LEVEL_INFORMATION") == 0) {
		member = "sliceLoadLevelInfos";
		items = json_array();
		for (s = 0; s < sim->m->nslices; s++)
			if (filt_slice(sim, &f, s))
				json_array_append_new(items, slice_load(sim, s));
	} else if (strcmp(ev, "NF_LOAD") == 0) {
		member = "nfLoadLevelInfos";
		items = nf_loads(sim, &f);
	} else if (strcmp(ev, "NETWORK_PERFORMANCE") == 0) {
		member = "nwPerfs";
		items = nw_perfs(sim, &f);
	} else if (strcmp(ev, "QOS_SUSTAINABILITY") == 0) {
		member = "qosSustainInfos";
		items = qos_sustain(sim, &f);
	} else if (strcmp(ev, "DN_PERFORMANCE") == 0) {
		member = "dnPerfInfos";
		items = dn_perfs(sim, &f);
	}
	json_decref(ef);
	if (!items || !json_array_size(items)) {
		json_decref(items);
		sd_sim_resp_empty(resp, 204);   /* no analytics available */
		return;
	}
	o = json_object();
	stamp(sim, o);
	json_object_set_new(o, member, items);
	sd_sim_resp_json(resp, 200, o);
}

/* --- events subscription ------------------------------------------------ */

static const char *const sub_events[] = {
	"SLICE_LOAD_LEVEL", "NF_LOAD", "NETWORK_PERFORMANCE", "QOS_SUSTAINABILITY", "DN_PERFORMANCE",
};

static json_t *event_notifications(struct sd_sim *sim, const json_t *subs)
{
	json_t *out = json_array(), *es;
	size_t i;
	json_array_foreach(subs, i, es) {
		const char *ev = json_string_value(json_object_get(es, "event"));
		struct filt f;
		json_t *n, *items = NULL;
		const char *member = NULL;
		int s;
		if (!ev)
			continue;
		filt_parse(sim, es, "snssaia", &f);
		if (strcmp(ev, "SLICE_LOAD_LEVEL") == 0) {
			/* one object per notification: one notification per slice */
			for (s = 0; s < sim->m->nslices; s++) {
				if (!filt_slice(sim, &f, s))
					continue;
				n = json_pack("{s:s}", "event", ev);
				stamp(sim, n);
				json_object_set_new(n, "sliceLoadLevelInfo", slice_load(sim, s));
				json_array_append_new(out, n);
			}
			continue;
		} else if (strcmp(ev, "NF_LOAD") == 0) {
			member = "nfLoadLevelInfos";
			items = nf_loads(sim, &f);
		} else if (strcmp(ev, "NETWORK_PERFORMANCE") == 0) {
			member = "nwPerfs";
			items = nw_perfs(sim, &f);
		} else if (strcmp(ev, "QOS_SUSTAINABILITY") == 0) {
			member = "qosSustainInfos";
			items = qos_sustain(sim, &f);
		} else if (strcmp(ev, "DN_PERFORMANCE") == 0) {
			member = "dnPerfInfos";
			items = dn_perfs(sim, &f);
		}
		n = json_pack("{s:s}", "event", ev);
		stamp(sim, n);
		if (items && json_array_size(items))
			json_object_set_new(n, member, items);
		else {
			json_decref(items);
			json_object_set_new(n, "failNotifyCode", json_string("UNAVAILABLE_DATA"));
		}
		json_array_append_new(out, n);
	}
	return out;
}

json_t *sd_sim_nwdaf_report(struct sd_sim *sim, const struct sd_sim_sub *s)
{
	json_t *one = json_pack("{s:s, s:o}", "subscriptionId", s->id, "eventNotifications",
				event_notifications(sim, json_object_get(s->req, "eventSubscriptions")));
	json_t *corr = json_object_get(s->req, "notifCorrId");
	if (json_is_string(corr))
		json_object_set(one, "notifCorrId", corr);
	return json_pack("[o]", one);
}

/* Validate a NnwdafEventsSubscription; returns the period (s) or -1 with
 * a problem set. */
static int check_sub(struct sd_sim *sim, json_t *b, struct sd_sbi_resp *resp, int *max_reports)
{
	json_t *subs = json_object_get(b, "eventSubscriptions"), *es;
	json_t *evt = json_object_get(b, "evtReq");
	const char *uri = json_string_value(json_object_get(b, "notificationURI"));
	int period = 0;
	size_t i, k;
	(void)sim;
	if (!json_is_object(b) || !json_is_array(subs) || !json_array_size(subs) || !uri ||
	    (strncmp(uri, "http://", 7) != 0 && strncmp(uri, "https://", 8) != 0) ||
	    strlen(uri) >= 500) {
		sd_sim_resp_problem(resp, 400, EVS, "eventSubscriptions and notificationURI are mandatory",
				    "MANDATORY_IE_MISSING", NULL, "/subscriptions");
		return -1;
	}
	if (json_array_size(subs) > 16) {
		sd_sim_resp_problem(resp, 400, EVS, "At most 16 eventSubscriptions",
				    "MANDATORY_IE_INCORRECT", NULL, "/subscriptions");
		return -1;
	}
	json_array_foreach(subs, i, es) {
		const char *ev = json_string_value(json_object_get(es, "event"));
		json_t *rp = json_object_get(es, "repetitionPeriod");
		bool ok = false;
		for (k = 0; ev && k < SD_ARRAY_LEN(sub_events); k++)
			if (strcmp(ev, sub_events[k]) == 0)
				ok = true;
		if (!ok) {
			char detail[96], shown[48];
			sd_sanitize(shown, sizeof shown, ev ? ev : "(none)", ev ? strlen(ev) : 6);
			snprintf(detail, sizeof detail, "event %s is not supported", shown);
			sd_sim_resp_problem(resp, 400, EVS, "Unsupported event", "MANDATORY_IE_INCORRECT",
					    detail, "/subscriptions");
			return -1;
		}
		if (json_is_integer(rp) && json_integer_value(rp) > 0 &&
		    (!period || json_integer_value(rp) < period))
			period = (int)(json_integer_value(rp) > 3600 ? 3600 : json_integer_value(rp));
	}
	if (json_is_integer(json_object_get(evt, "repPeriod")) &&
	    json_integer_value(json_object_get(evt, "repPeriod")) > 0) {
		json_int_t rp = json_integer_value(json_object_get(evt, "repPeriod"));
		period = (int)(rp > 3600 ? 3600 : rp);
	}
	*max_reports = 0;
	if (json_is_integer(json_object_get(evt, "maxReportNbr")) &&
	    json_integer_value(json_object_get(evt, "maxReportNbr")) > 0)
		*max_reports = (int)json_integer_value(json_object_get(evt, "maxReportNbr"));
	if (sd_streq(json_string_value(json_object_get(evt, "notifMethod")), "ONE_TIME"))
		*max_reports = 1;
	return period ? period : 10;
}

void sd_sim_nwdaf_subscribe(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct sd_sim *sim = arg;
	json_t *b = req->body ? json_loadb(req->body, req->body_len, 0, NULL) : NULL;
	int maxr, period = check_sub(sim, b, resp, &maxr);
	struct sd_sim_sub *s;
	json_t *o;

	if (period < 0) {
		json_decref(b);
		return;
	}
	s = sd_sim_sub_new(sim, SD_SUB_NWDAF, json_string_value(json_object_get(b, "notificationURI")),
			   b, period);
	json_decref(b);
	if (!s) {
		sd_sim_resp_problem(resp, 500, EVS, "Too many subscriptions", "INSUFFICIENT_RESOURCES",
				    NULL, "/subscriptions");
		return;
	}
	s->max_reports = maxr;
	o = json_deep_copy(s->req);
	if (json_is_true(json_object_get(json_object_get(o, "evtReq"), "immRep")))
		json_object_set_new(o, "eventNotifications",
				    event_notifications(sim, json_object_get(o, "eventSubscriptions")));
	sd_sim_resp_location(resp, "%s" EVS "/subscriptions/%s", sim->api_root, s->id);
	sd_sim_resp_json(resp, 201, o);
}

void sd_sim_nwdaf_sub_put(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct sd_sim *sim = arg;
	struct sd_sim_sub *s = req->nparams ? sd_sim_sub_find(sim, SD_SUB_NWDAF, req->params[0]) : NULL;
	json_t *b;
	int maxr, period;
	if (!s) {
		sd_sim_resp_problem(resp, 404, EVS, "Subscription not found", "SUBSCRIPTION_NOT_FOUND",
				    NULL, "/subscriptions");
		return;
	}
	b = req->body ? json_loadb(req->body, req->body_len, 0, NULL) : NULL;
	period = check_sub(sim, b, resp, &maxr);
	if (period < 0) {
		json_decref(b);
		return;
	}
	json_decref(s->req);
	s->req = b;
	s->max_reports = maxr;
	s->nreports = 0;
	sd_strlcpy(s->uri, json_string_value(json_object_get(b, "notificationURI")), sizeof s->uri);
	s->period_s = period;
	sd_sim_resp_json(resp, 200, json_incref(b));
}

void sd_sim_nwdaf_sub_delete(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct sd_sim *sim = arg;
	struct sd_sim_sub *s = req->nparams ? sd_sim_sub_find(sim, SD_SUB_NWDAF, req->params[0]) : NULL;
	if (!s) {
		sd_sim_resp_problem(resp, 404, EVS, "Subscription not found", "SUBSCRIPTION_NOT_FOUND",
				    NULL, "/subscriptions");
		return;
	}
	sd_sim_sub_free(sim, s);
	sd_sim_resp_empty(resp, 204);
}

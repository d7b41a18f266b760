/* monitor/decode_nwdaf.c — NWDAF documents: AnalyticsData
 * (Nnwdaf_AnalyticsInfo) and the EventsSubscription notification, TS 29.520.
 * See monitor/sbi_decode.h. */
#include "monitor/sbi_decode.h"

#include <limits.h>
#include <string.h>

#include "core/util.h"
#include "monitor/decode_common.h"

/* Slice loads are flattened (one entry per S-NSSAI), so their total is
 * capped separately from the per-array item limit. */
#define SLICE_LOAD_CAP SD_DECODE_MAX_ITEMS

static int opt_long(struct sd_dctx *c, const json_t *o, const char *k,
		    long long min, long long max, long *out)
{
	long long v;
	int r = sd_dc_int(c, o, k, false, min, max, &v);
	*out = r == 1 ? (long)v : -1;
	return r;
}

/* SliceLoadLevelInformation j -> entries appended to a->slice_loads. */
static int slice_load(struct sd_dctx *c, const json_t *j, struct sd_nwdaf_analytics *a,
		      int *cap, bool *noted)
{
	struct sd_snssai sn[64];
	const json_t *arr, *v;
	long long level;
	int ns = 0, x;
	bool snoted = false;
	size_t i, m;

	if (!json_is_object(j))
		return sd_dc_fail(c, "SliceLoadLevelInformation must be an object");
	if (sd_dc_int(c, j, "loadLevelInformation", true, 0, INT_MAX, &level) < 0 ||
	    sd_dc_arr(c, j, "snssais", true, true, &arr) < 0)
		return -1;
	m = sd_dc_push_key(c, "snssais");
	json_array_foreach(arr, i, v) {
		struct sd_snssai s;
		size_t mi = sd_dc_push_idx(c, i);
		if (sd_dc_snssai(c, v, &s) < 0)
			return -1;
		sd_dc_snssai_add(c, sn, &ns, (int)SD_ARRAY_LEN(sn), &s, &snoted);
		sd_dc_pop(c, mi);
	}
	sd_dc_pop(c, m);
	for (x = 0; x < ns; x++) {
		if (a->nslice_loads >= SLICE_LOAD_CAP) {
			if (!*noted)
				sd_dc_note(c, "more than %d slice load entries, kept "
					   "the first %d", SLICE_LOAD_CAP, SLICE_LOAD_CAP);
			*noted = true;
			break;
		}
		if (a->nslice_loads == *cap) {
			*cap = *cap ? *cap * 2 : 8;
			a->slice_loads = sd_reallocarray(a->slice_loads, (size_t)*cap,
							 sizeof *a->slice_loads);
		}
		a->slice_loads[a->nslice_loads].snssai = sn[x];
		a->slice_loads[a->nslice_loads].load_level = (int)level;
		a->nslice_loads++;
	}
	return 1;
}

/* The vendor RSRP_MEAN / SINR_MEAN types (sbi_decode.h): one cell, a
 * TS 38.133 report index in absoluteNum. Anything else about them skips
 * the item, so a malformed one never reaches coverage as a bogus value. */
static int nw_perf_radio(struct sd_dctx *c, struct sd_nwdaf_nw_perf *p)
{
	bool rsrp = strcmp(p->type, "RSRP_MEAN") == 0;
	int max = rsrp ? SD_NWDAF_RSRP_INDEX_MAX : SD_NWDAF_SINR_INDEX_MAX;
	double n;

	if (!rsrp && strcmp(p->type, "SINR_MEAN") != 0)
		return 1;
	if (p->is_ratio)
		return sd_dc_fail(c, "%s carries absoluteNum, not relativeRatio", p->type);
	if (p->area.nncis < 1)
		return sd_dc_fail(c, "%s needs its cell in networkArea.ncgis", p->type);
	if (p->value > (uint64_t)max)
		return sd_dc_fail(c, "%s absoluteNum must be a report index 0-%d", p->type, max);
	n = (double)p->value;
	if (rsrp) {
		p->radio = SD_NWDAF_RADIO_RSRP;
		p->radio_value = p->value == 0 ? -156.0 :
				 p->value == (uint64_t)max ? -31.0 : n - 156.5;
	} else {
		p->radio = SD_NWDAF_RADIO_SINR;
		p->radio_value = p->value == 0 ? -23.0 :
				 p->value == (uint64_t)max ? 40.0 : n / 2.0 - 23.25;
	}
	return 1;
}

static int nw_perf(struct sd_dctx *c, const json_t *j, struct sd_nwdaf_nw_perf *p)
{
	const json_t *area;
	long long v;
	int rr, ra;
	size_t m;

	memset(p, 0, sizeof *p);
	if (!json_is_object(j))
		return sd_dc_fail(c, "NetworkPerfInfo must be an object");
	if (sd_dc_get(c, j, "networkArea", SD_DC_OBJ, true, &area) < 0 ||
	    sd_dc_str(c, j, "nwPerfType", true, p->type, sizeof p->type,
		      SD_DC_TOKEN) < 0)
		return -1;
	m = sd_dc_push_key(c, "networkArea");
	if (sd_dc_area(c, area, &p->area) < 0)
		return -1;
	sd_dc_pop(c, m);
	/* SamplingRatio is 1..100 in the spec; 0 % is accepted (an all-down
	 * gNB active ratio is a fact worth reporting) */
	rr = sd_dc_int(c, j, "relativeRatio", false, 0, 100, &v);
	if (rr < 0)
		return -1;
	if (rr == 1) {
		p->is_ratio = true;
		p->value = (uint64_t)v;
	}
	ra = sd_dc_int(c, j, "absoluteNum", false, 0, LLONG_MAX, &v);
	if (ra < 0)
		return -1;
	if (rr == 1 && ra == 1)
		return sd_dc_fail(c, "relativeRatio and absoluteNum are exclusive");
	if (rr == 0 && ra == 0)
		return sd_dc_fail(c, "one of relativeRatio, absoluteNum is mandatory");
	if (ra == 1)
		p->value = (uint64_t)v;
	if (opt_long(c, j, "confidence", 0, LONG_MAX, &p->confidence) < 0)
		return -1;
	return nw_perf_radio(c, p);
}

static int qos_sustain(struct sd_dctx *c, const json_t *j, struct sd_nwdaf_qos_sustain *q)
{
	const json_t *area, *ret, *sn;
	long long v;
	int r;
	size_t m;

	memset(q, 0, sizeof *q);
	q->rel_flow_num = -1;
	q->rel_flow_ratio = -1;
	if (!json_is_object(j))
		return sd_dc_fail(c, "QosSustainabilityInfo must be an object");
	if (sd_dc_get(c, j, "areaInfo", SD_DC_OBJ, false, &area) < 0 ||
	    sd_dc_datetime(c, j, "startTs", false, &q->start_ms) < 0 ||
	    sd_dc_datetime(c, j, "endTs", false, &q->end_ms) < 0 ||
	    sd_dc_get(c, j, "qosFlowRetThd", SD_DC_OBJ, false, &ret) < 0 ||
	    sd_dc_get(c, j, "snssai", SD_DC_OBJ, false, &sn) < 0 ||
	    opt_long(c, j, "confidence", 0, LONG_MAX, &q->confidence) < 0)
		return -1;
	if (area) {
		m = sd_dc_push_key(c, "areaInfo");
		if (sd_dc_area(c, area, &q->area) < 0)
			return -1;
		sd_dc_pop(c, m);
	}
	if (sn) {
		m = sd_dc_push_key(c, "snssai");
		if (sd_dc_snssai(c, sn, &q->snssai) < 0)
			return -1;
		sd_dc_pop(c, m);
		q->has_snssai = true;
	}
	r = sd_dc_bitrate(c, j, "ranUeThrouThd", false, &q->ran_ue_thrpt_bps);
	if (r < 0)
		return -1;
	if (ret && r == 1)
		return sd_dc_fail(c, "qosFlowRetThd and ranUeThrouThd are exclusive");
	if (!ret && r == 0)
		return sd_dc_fail(c, "one of qosFlowRetThd, ranUeThrouThd is mandatory");
	if (ret) {
		int rn, ru, rf;
		q->has_ret_thd = true;
		m = sd_dc_push_key(c, "qosFlowRetThd");
		rn = opt_long(c, ret, "relFlowNum", 0, LONG_MAX, &q->rel_flow_num);
		if (rn < 0)
			return -1;
		ru = sd_dc_str(c, ret, "relTimeUnit", false, q->rel_time_unit,
			       sizeof q->rel_time_unit, SD_DC_TOKEN);
		if (ru < 0)
			return -1;
		rf = sd_dc_int(c, ret, "relFlowRatio", false, 0, 100, &v);
		if (rf < 0)
			return -1;
		if (rf == 1)
			q->rel_flow_ratio = (int)v;
		if (rf == 1 ? (rn || ru) : !(rn && ru))
			return sd_dc_fail(c, "needs relFlowNum with relTimeUnit, "
					  "or relFlowRatio alone");
		sd_dc_pop(c, m);
	}
	return 1;
}

static int nf_load(struct sd_dctx *c, const json_t *j, struct sd_nwdaf_nf_load *l)
{
	static const char *const pct[] = { "statusRegistered",
		"statusUnregistered", "statusUndiscoverable" };
	const json_t *st, *sn;
	int *pv[3];
	long peak2 = -1;
	int any = 0, r, i;
	size_t m;

	memset(l, 0, sizeof *l);
	l->status_registered = l->status_unregistered = l->status_undiscoverable = -1;
	pv[0] = &l->status_registered;
	pv[1] = &l->status_unregistered;
	pv[2] = &l->status_undiscoverable;
	if (!json_is_object(j))
		return sd_dc_fail(c, "NfLoadLevelInformation must be an object");
	if (sd_dc_str(c, j, "nfType", true, l->nf_type, sizeof l->nf_type,
		      SD_DC_TOKEN) < 0 ||
	    sd_dc_uuid(c, j, "nfInstanceId", true, l->nf_id) < 0 ||
	    sd_dc_get(c, j, "nfStatus", SD_DC_OBJ, false, &st) < 0 ||
	    sd_dc_get(c, j, "snssai", SD_DC_OBJ, false, &sn) < 0)
		return -1;
	if (st) {
		m = sd_dc_push_key(c, "nfStatus");
		for (i = 0; i < 3; i++) {
			long long v;
			r = sd_dc_int(c, st, pct[i], false, 0, 100, &v);
			if (r < 0)
				return -1;
			if (r == 1)
				*pv[i] = (int)v;
		}
		sd_dc_pop(c, m);
		any = 1;
	}
	if (sn) {
		m = sd_dc_push_key(c, "snssai");
		if (sd_dc_snssai(c, sn, &l->snssai) < 0)
			return -1;
		sd_dc_pop(c, m);
		l->has_snssai = true;
	}
	/* the property list spells nfLoadLevelpeak, the schema's required
	 * list nfLoadLevelPeak: accept both, prefer the property's spelling */
	if ((r = opt_long(c, j, "nfCpuUsage", 0, LONG_MAX, &l->cpu)) < 0)
		return -1;
	any += r;
	if ((r = opt_long(c, j, "nfMemoryUsage", 0, LONG_MAX, &l->memory)) < 0)
		return -1;
	any += r;
	if ((r = opt_long(c, j, "nfStorageUsage", 0, LONG_MAX, &l->storage)) < 0)
		return -1;
	any += r;
	if ((r = opt_long(c, j, "nfLoadLevelAverage", 0, LONG_MAX, &l->load_avg)) < 0)
		return -1;
	any += r;
	if ((r = opt_long(c, j, "nfLoadLevelpeak", 0, LONG_MAX, &l->load_peak)) < 0)
		return -1;
	any += r;
	if ((r = opt_long(c, j, "nfLoadLevelPeak", 0, LONG_MAX, &peak2)) < 0)
		return -1;
	any += r;
	if (l->load_peak < 0)
		l->load_peak = peak2;
	if (opt_long(c, j, "nfLoadAvgInAoi", 0, LONG_MAX, &l->load_avg_in_aoi) < 0 ||
	    opt_long(c, j, "confidence", 0, LONG_MAX, &l->confidence) < 0)
		return -1;
	if (!any)
		return sd_dc_fail(c, "needs one of nfStatus, nfCpuUsage, nfMemoryUsage, "
				  "nfStorageUsage, nfLoadLevelAverage, nfLoadLevelpeak");
	return 1;
}

/* Decode array member k of o with fn into a fresh array of elsz-byte
 * elements; bad elements are skipped. */
typedef int (*elem_fn)(struct sd_dctx *, const json_t *, void *);

static int list(struct sd_dctx *c, const json_t *o, const char *k, elem_fn fn,
		size_t elsz, void **items, int *n)
{
	const json_t *arr, *v;
	size_t i, m;

	if (sd_dc_arr(c, o, k, false, false, &arr) < 0)
		return -1;
	if (!arr || json_array_size(arr) == 0)
		return 0;
	*items = sd_calloc(json_array_size(arr), elsz);
	sd_dc_push_key(c, k);
	m = c->plen;
	json_array_foreach(arr, i, v) {
		sd_dc_push_idx(c, i);
		if (fn(c, v, (char *)*items + (size_t)*n * elsz) == 1)
			(*n)++;
		else
			sd_dc_skip(c);
		sd_dc_pop(c, m);
	}
	return 1;
}

static int nw_perf_fn(struct sd_dctx *c, const json_t *j, void *out)
{
	return nw_perf(c, j, out);
}

static int qos_fn(struct sd_dctx *c, const json_t *j, void *out)
{
	return qos_sustain(c, j, out);
}

static int nf_load_fn(struct sd_dctx *c, const json_t *j, void *out)
{
	return nf_load(c, j, out);
}

int sd_dc_nwdaf_lists(struct sd_dctx *c, const json_t *o,
		      struct sd_nwdaf_analytics *a)
{
	const json_t *arr, *v;
	int cap = 0;
	bool noted = false;
	size_t i, m;
	size_t base = c->plen;

	if (sd_dc_datetime(c, o, "start", false, &a->start_ms) < 0 ||
	    sd_dc_datetime(c, o, "expiry", false, &a->expiry_ms) < 0 ||
	    sd_dc_datetime(c, o, "timeStampGen", false, &a->ts_gen_ms) < 0)
		return -1;
	/* EventNotification carries one object; AnalyticsData an array */
	if (sd_dc_get(c, o, "sliceLoadLevelInfo", SD_DC_OBJ, false, &v) < 0)
		return -1;
	if (v) {
		m = sd_dc_push_key(c, "sliceLoadLevelInfo");
		if (slice_load(c, v, a, &cap, &noted) < 0)
			return -1;
		sd_dc_pop(c, m);
	}
	if (sd_dc_arr(c, o, "sliceLoadLevelInfos", false, false, &arr) < 0)
		return -1;
	sd_dc_push_key(c, "sliceLoadLevelInfos");
	m = c->plen;
	json_array_foreach(arr, i, v) {
		int before = a->nslice_loads;
		sd_dc_push_idx(c, i);
		if (slice_load(c, v, a, &cap, &noted) < 0) {
			a->nslice_loads = before;
			sd_dc_skip(c);
		}
		sd_dc_pop(c, m);
	}
	sd_dc_pop(c, base);
	if (list(c, o, "nwPerfs", nw_perf_fn, sizeof *a->nw_perfs,
		 (void **)&a->nw_perfs, &a->nnw_perfs) < 0 ||
	    list(c, o, "qosSustainInfos", qos_fn, sizeof *a->qos,
		 (void **)&a->qos, &a->nqos) < 0 ||
	    list(c, o, "nfLoadLevelInfos", nf_load_fn, sizeof *a->nf_loads,
		 (void **)&a->nf_loads, &a->nnf_loads) < 0)
		return -1;
	sd_dc_pop(c, base);
	return 1;
}

int sd_decode_nwdaf_analytics(const char *body, size_t len,
			      struct sd_nwdaf_analytics *out,
			      struct sd_decode_diag *diag)
{
	struct sd_dctx c;
	json_t *root;
	int r;

	memset(out, 0, sizeof *out);
	root = sd_dc_parse(&c, diag, body, len, false);
	if (!root)
		return -1;
	r = sd_dc_nwdaf_lists(&c, root, out);
	json_decref(root);
	if (r < 0)
		sd_nwdaf_analytics_done(out);
	return r < 0 ? -1 : 0;
}

void sd_nwdaf_analytics_done(struct sd_nwdaf_analytics *a)
{
	sd_free(a->slice_loads);
	sd_free(a->nw_perfs);
	sd_free(a->qos);
	sd_free(a->nf_loads);
	memset(a, 0, sizeof *a);
}

/* ---- EventsSubscription notification --------------------------------- */

static int event_notif(struct sd_dctx *c, const json_t *j, const char *sub,
		       struct sd_nwdaf_event_notif *e)
{
	static const struct { const char *s; enum sd_nwdaf_event e; } evs[] = {
		{ "SLICE_LOAD_LEVEL", SD_NWDAF_EV_SLICE_LOAD_LEVEL },
		{ "NETWORK_PERFORMANCE", SD_NWDAF_EV_NETWORK_PERFORMANCE },
		{ "NF_LOAD", SD_NWDAF_EV_NF_LOAD },
		{ "QOS_SUSTAINABILITY", SD_NWDAF_EV_QOS_SUSTAINABILITY },
	};
	const json_t *ev;
	size_t i;

	memset(e, 0, sizeof *e);
	e->event = SD_NWDAF_EV_OTHER;
	sd_strlcpy(e->subscription_id, sub, sizeof e->subscription_id);
	if (!json_is_object(j))
		return sd_dc_fail(c, "EventNotification must be an object");
	if (sd_dc_get(c, j, "event", SD_DC_STR, true, &ev) < 0 ||
	    sd_dc_str(c, j, "failNotifyCode", false, e->fail_code,
		      sizeof e->fail_code, SD_DC_TEXT) < 0)
		return -1;
	sd_sanitize(e->event_text, sizeof e->event_text, json_string_value(ev),
		    json_string_length(ev));
	for (i = 0; i < SD_ARRAY_LEN(evs); i++)
		if (strcmp(json_string_value(ev), evs[i].s) == 0)
			e->event = evs[i].e;
	if (sd_dc_nwdaf_lists(c, j, &e->data) < 0) {
		sd_nwdaf_analytics_done(&e->data);
		return -1;
	}
	return 1;
}

int sd_decode_nwdaf_notification(const char *body, size_t len,
				 struct sd_nwdaf_notification *out,
				 struct sd_decode_diag *diag)
{
	struct sd_dctx c;
	const json_t *n, *evs, *ev;
	json_t *root;
	char sub[128];
	size_t i, k, total = 0;

	memset(out, 0, sizeof *out);
	root = sd_dc_parse(&c, diag, body, len, true);
	if (!root)
		return -1;
	if (json_array_size(root) == 0) {
		sd_dc_fail(&c, "must hold at least one notification");
		json_decref(root);
		return -1;
	}
	json_array_foreach(root, i, n) {
		evs = json_is_object(n) ? json_object_get(n, "eventNotifications") : NULL;
		if (json_is_array(evs))
			total += json_array_size(evs);
	}
	/* the item limit applies to the flattened list too */
	if (total > SD_DECODE_MAX_ITEMS)
		total = SD_DECODE_MAX_ITEMS;
	if (total)
		out->events = sd_calloc(total, sizeof *out->events);
	json_array_foreach(root, i, n) {
		sd_dc_push_idx(&c, i);
		if (!json_is_object(n)) {
			sd_dc_fail(&c, "NnwdafEventsSubscriptionNotification must be an object");
			goto skip;
		}
		if (sd_dc_str(&c, n, "subscriptionId", true, sub, sizeof sub,
			      SD_DC_TEXT) < 0 ||
		    sd_dc_arr(&c, n, "eventNotifications", false, true, &evs) < 0)
			goto skip;
		if (!evs && !(json_object_get(n, "resourceUri") &&
			      json_object_get(n, "oldSubscriptionId"))) {
			sd_dc_fail(&c, "needs eventNotifications, or resourceUri "
				   "with oldSubscriptionId");
			goto skip;
		}
		sd_dc_push_key(&c, "eventNotifications");
		json_array_foreach(evs, k, ev) {
			size_t mk = c.plen;
			if ((size_t)out->nevents >= total) {
				sd_dc_note(&c, "more than %d event notifications, kept "
					   "the first %d", SD_DECODE_MAX_ITEMS,
					   SD_DECODE_MAX_ITEMS);
				break;
			}
			sd_dc_push_idx(&c, k);
			if (event_notif(&c, ev, sub, &out->events[out->nevents]) == 1)
				out->nevents++;
			else
				sd_dc_skip(&c);
			sd_dc_pop(&c, mk);
		}
		sd_dc_pop(&c, 0);
		continue;
skip:
		sd_dc_skip(&c);
		sd_dc_pop(&c, 0);
	}
	json_decref(root);
	return 0;
}

void sd_nwdaf_notification_done(struct sd_nwdaf_notification *n)
{
	int i;
	for (i = 0; i < n->nevents; i++)
		sd_nwdaf_analytics_done(&n->events[i].data);
	sd_free(n->events);
	n->events = NULL;
	n->nevents = 0;
}

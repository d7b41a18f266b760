/* monitor/decode_evts.c — event exposure notifications: AMF
 * AmfEventNotification (TS 29.518) and SMF NsmfEventExposureNotification
 * (TS 29.508). See monitor/sbi_decode.h. */
#include "monitor/sbi_decode.h"

#include <limits.h>
#include <string.h>

#include "core/util.h"
#include "monitor/decode_common.h"

/* ---- AMF --------------------------------------------------------------- */

/* AmfEventArea: the first sNssai, and TACs of presenceInfo.trackingAreaList. */
static int amf_area(struct sd_dctx *c, const json_t *j, struct sd_amf_report *r)
{
	const json_t *pi, *sn, *tl, *v;
	size_t i, m;

	if (!json_is_object(j))
		return sd_dc_fail(c, "AmfEventArea must be an object");
	if (sd_dc_get(c, j, "presenceInfo", SD_DC_OBJ, false, &pi) < 0 ||
	    sd_dc_get(c, j, "sNssai", SD_DC_OBJ, false, &sn) < 0)
		return -1;
	if (sn) {
		struct sd_snssai s;
		m = sd_dc_push_key(c, "sNssai");
		if (sd_dc_snssai(c, sn, &s) < 0)
			return -1;
		sd_dc_pop(c, m);
		if (!r->has_snssai) {
			r->snssai = s;
			r->has_snssai = true;
		}
	}
	if (!pi)
		return 1;
	m = sd_dc_push_key(c, "presenceInfo");
	if (sd_dc_arr(c, pi, "trackingAreaList", false, true, &tl) < 0)
		return -1;
	sd_dc_push_key(c, "trackingAreaList");
	json_array_foreach(tl, i, v) {
		struct sd_plmn plmn;
		uint32_t tac;
		size_t mi = sd_dc_push_idx(c, i);
		if (sd_dc_tai(c, v, &plmn, &tac) < 0)
			return -1;
		if (r->ntacs < SD_EVT_MAX_TACS)
			r->tacs[r->ntacs++] = tac;
		sd_dc_pop(c, mi);
	}
	sd_dc_pop(c, m);
	return 1;
}

static int amf_report(struct sd_dctx *c, const json_t *j, struct sd_amf_report *r)
{
	const json_t *type, *st, *areas, *v;
	long long n;
	size_t i, m;
	int k;

	memset(r, 0, sizeof *r);
	r->type = SD_AMF_EV_OTHER;
	r->number_of_ues = -1;
	if (!json_is_object(j))
		return sd_dc_fail(c, "AmfEventReport must be an object");
	if (sd_dc_get(c, j, "type", SD_DC_STR, true, &type) < 0 ||
	    sd_dc_get(c, j, "state", SD_DC_OBJ, true, &st) < 0 ||
	    sd_dc_datetime(c, j, "timeStamp", true, &r->ts_ms) < 0 ||
	    sd_dc_str(c, j, "subscriptionId", false, r->subscription_id,
		      sizeof r->subscription_id, SD_DC_TEXT) < 0 ||
	    sd_dc_bool(c, j, "anyUe", false, &r->any_ue) < 0)
		return -1;
	sd_sanitize(r->type_text, sizeof r->type_text, json_string_value(type),
		    json_string_length(type));
	if (strcmp(json_string_value(type), "UES_IN_AREA_REPORT") == 0)
		r->type = SD_AMF_EV_UES_IN_AREA;
	m = sd_dc_push_key(c, "state");
	if (sd_dc_bool(c, st, "active", true, &r->active) < 0)
		return -1;
	sd_dc_pop(c, m);
	k = sd_dc_int(c, j, "numberOfUes", false, 0, LONG_MAX, &n);
	if (k < 0)
		return -1;
	if (k == 1)
		r->number_of_ues = (long)n;
	if (sd_dc_arr(c, j, "areaList", false, true, &areas) < 0)
		return -1;
	m = sd_dc_push_key(c, "areaList");
	json_array_foreach(areas, i, v) {
		size_t mi = sd_dc_push_idx(c, i);
		if (amf_area(c, v, r) < 0)
			return -1;
		sd_dc_pop(c, mi);
	}
	sd_dc_pop(c, m);
	return 1;
}

int sd_decode_amf_notification(const char *body, size_t len,
			       struct sd_amf_notification *out,
			       struct sd_decode_diag *diag)
{
	struct sd_dctx c;
	const json_t *arr, *v;
	json_t *root;
	size_t i, m;

	memset(out, 0, sizeof *out);
	root = sd_dc_parse(&c, diag, body, len, false);
	if (!root)
		return -1;
	if (sd_dc_str(&c, root, "notifyCorrelationId", false, out->correlation_id,
		      sizeof out->correlation_id, SD_DC_TEXT) < 0 ||
	    sd_dc_arr(&c, root, "reportList", false, true, &arr) < 0) {
		json_decref(root);
		return -1;
	}
	if (arr)
		out->reports = sd_calloc(json_array_size(arr), sizeof *out->reports);
	sd_dc_push_key(&c, "reportList");
	m = c.plen;
	json_array_foreach(arr, i, v) {
		sd_dc_push_idx(&c, i);
		if (amf_report(&c, v, &out->reports[out->nreports]) == 1)
			out->nreports++;
		else
			sd_dc_skip(&c);
		sd_dc_pop(&c, m);
	}
	json_decref(root);
	return 0;
}

void sd_amf_notification_done(struct sd_amf_notification *n)
{
	sd_free(n->reports);
	n->reports = NULL;
	n->nreports = 0;
}

/* ---- SMF --------------------------------------------------------------- */

/* [Uinteger] delays, first SD_EVT_MAX_DELAYS kept. */
static int delays(struct sd_dctx *c, const json_t *o, const char *k,
		  uint32_t *dst, int *n)
{
	const json_t *arr, *v;
	size_t i, m;
	int r = sd_dc_arr(c, o, k, false, true, &arr);

	if (r <= 0)
		return r;
	m = sd_dc_push_key(c, k);
	json_array_foreach(arr, i, v) {
		json_int_t x;
		size_t mi = sd_dc_push_idx(c, i);
		if (!json_is_integer(v))
			return sd_dc_fail(c, "must be an integer");
		x = json_integer_value(v);
		if (x < 0 || x > UINT32_MAX)
			return sd_dc_fail(c, "must be 0-4294967295");
		if (*n < SD_EVT_MAX_DELAYS)
			dst[(*n)++] = (uint32_t)x;
		sd_dc_pop(c, mi);
	}
	sd_dc_pop(c, m);
	return 1;
}

static int smf_event(struct sd_dctx *c, const json_t *j, struct sd_smf_event_notif *e)
{
	static const struct { const char *s; enum sd_smf_event e; } evs[] = {
		{ "PDU_SES_EST", SD_SMF_EV_PDU_SES_EST },
		{ "PDU_SES_REL", SD_SMF_EV_PDU_SES_REL },
		{ "QOS_MON", SD_SMF_EV_QOS_MON },
	};
	const json_t *ev, *sn;
	long long id;
	size_t i, m;
	int r;

	memset(e, 0, sizeof *e);
	e->event = SD_SMF_EV_OTHER;
	e->pdu_session_id = -1;
	if (!json_is_object(j))
		return sd_dc_fail(c, "EventNotification must be an object");
	if (sd_dc_get(c, j, "event", SD_DC_STR, true, &ev) < 0 ||
	    sd_dc_datetime(c, j, "timeStamp", true, &e->ts_ms) < 0 ||
	    sd_dc_str(c, j, "supi", false, e->supi, sizeof e->supi, SD_DC_TEXT) < 0 ||
	    sd_dc_str(c, j, "dnn", false, e->dnn, sizeof e->dnn, SD_DC_TEXT) < 0 ||
	    sd_dc_get(c, j, "snssai", SD_DC_OBJ, false, &sn) < 0 ||
	    sd_dc_bool(c, j, "pdmf", false, &e->pdmf) < 0 ||
	    delays(c, j, "ulDelays", e->ul_delays, &e->nul) < 0 ||
	    delays(c, j, "dlDelays", e->dl_delays, &e->ndl) < 0 ||
	    delays(c, j, "rtDelays", e->rt_delays, &e->nrt) < 0)
		return -1;
	sd_sanitize(e->event_text, sizeof e->event_text, json_string_value(ev),
		    json_string_length(ev));
	for (i = 0; i < SD_ARRAY_LEN(evs); i++)
		if (strcmp(json_string_value(ev), evs[i].s) == 0)
			e->event = evs[i].e;
	r = sd_dc_int(c, j, "pduSeId", false, 0, 255, &id);
	if (r < 0)
		return -1;
	if (r == 1)
		e->pdu_session_id = (int)id;
	if (sn) {
		m = sd_dc_push_key(c, "snssai");
		if (sd_dc_snssai(c, sn, &e->snssai) < 0)
			return -1;
		sd_dc_pop(c, m);
		e->has_snssai = true;
	}
	return 1;
}

int sd_decode_smf_notification(const char *body, size_t len,
			       struct sd_smf_notification *out,
			       struct sd_decode_diag *diag)
{
	struct sd_dctx c;
	const json_t *arr, *v;
	json_t *root;
	size_t i, m;

	memset(out, 0, sizeof *out);
	root = sd_dc_parse(&c, diag, body, len, false);
	if (!root)
		return -1;
	if (sd_dc_str(&c, root, "notifId", true, out->notif_id,
		      sizeof out->notif_id, SD_DC_TEXT) < 0 ||
	    sd_dc_arr(&c, root, "eventNotifs", true, true, &arr) < 0) {
		json_decref(root);
		return -1;
	}
	out->events = sd_calloc(json_array_size(arr), sizeof *out->events);
	sd_dc_push_key(&c, "eventNotifs");
	m = c.plen;
	json_array_foreach(arr, i, v) {
		struct sd_smf_event_notif *e = &out->events[out->nevents];
		sd_dc_push_idx(&c, i);
		if (smf_event(&c, v, e) == 1) {
			out->nevents++;
			out->n_pdu_est += e->event == SD_SMF_EV_PDU_SES_EST;
			out->n_pdu_rel += e->event == SD_SMF_EV_PDU_SES_REL;
			out->n_qos_mon += e->event == SD_SMF_EV_QOS_MON;
		} else {
			sd_dc_skip(&c);
		}
		sd_dc_pop(&c, m);
	}
	json_decref(root);
	return 0;
}

void sd_smf_notification_done(struct sd_smf_notification *n)
{
	sd_free(n->events);
	n->events = NULL;
	n->nevents = 0;
}

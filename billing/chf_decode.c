/* billing/chf_decode.c — see chf_decode.h. */
#include "billing/chf_decode.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "core/util.h"

/* The decoder's state: the request being filled and the first error. */
struct dec {
	struct sd_chf_request *r;
	struct sd_chf_error *err;
	size_t units_cap;
};

static int fail(struct dec *d, const char *cause, const char *param, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(struct dec *d, const char *cause, const char *param, const char *fmt, ...)
{
	va_list ap;
	d->err->status = 400;
	sd_strlcpy(d->err->cause, cause, sizeof d->err->cause);
	sd_strlcpy(d->err->param, param, sizeof d->err->param);
	va_start(ap, fmt);
	vsnprintf(d->err->detail, sizeof d->err->detail, fmt, ap);
	va_end(ap);
	return -1;
}

static int missing(struct dec *d, const char *param)
{
	return fail(d, "MANDATORY_IE_MISSING", param, "%s is missing", param);
}

static int incorrect(struct dec *d, bool mandatory, const char *param, const char *what)
{
	return fail(d, mandatory ? "MANDATORY_IE_INCORRECT" : "OPTIONAL_IE_INCORRECT", param,
		    "%s %s", param, what);
}

bool sd_chf_parse_time(const char *s, int64_t *ms)
{
	struct tm tm = { 0 };
	int y, mo, da, h, mi, se, n = 0;
	int64_t frac = 0, scale = 1000, off = 0;
	time_t t;
	const char *p;

	if (!s || sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &da, &n) != 3 || n != 10)
		return false;
	p = s + 10;
	if (*p != 'T' && *p != 't')
		return false;
	if (sscanf(p + 1, "%2d:%2d:%2d%n", &h, &mi, &se, &n) != 3 || n != 8)
		return false;
	p += 9;
	if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || da < 1 || da > 31 || h > 23 ||
	    mi > 59 || se > 60 || h < 0 || mi < 0 || se < 0)
		return false;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return false;
		for (; isdigit((unsigned char)*p); p++)
			if (scale > 1) {
				scale /= 10;
				frac += (*p - '0') * scale;
			}
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if ((*p == '+' || *p == '-') && isdigit((unsigned char)p[1]) &&
		   isdigit((unsigned char)p[2]) && p[3] == ':' && isdigit((unsigned char)p[4]) &&
		   isdigit((unsigned char)p[5])) {
		int oh = (p[1] - '0') * 10 + (p[2] - '0'), om = (p[4] - '0') * 10 + (p[5] - '0');
		if (oh > 23 || om > 59)
			return false;
		off = (int64_t)(oh * 60 + om) * 60000 * (*p == '+' ? 1 : -1);
		p += 6;
	} else {
		return false;
	}
	if (*p)
		return false;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = da;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return false;
	*ms = (int64_t)t * 1000 + frac - off;
	return true;
}

/* A string member kept in buf: absent is fine unless required; it must be
 * a string of printable ASCII that fits. */
static int get_str(struct dec *d, const json_t *o, const char *name, const char *ptr,
		   bool required, char *buf, size_t bufsz)
{
	const json_t *v = json_object_get(o, name);
	const char *s;
	size_t i, n;
	if (!v)
		return required ? missing(d, ptr) : 0;
	if (!json_is_string(v))
		return incorrect(d, required, ptr, "must be a string");
	s = json_string_value(v);
	n = json_string_length(v);
	if (n >= bufsz)
		return incorrect(d, required, ptr, "is too long");
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
			return incorrect(d, required, ptr, "must be printable ASCII without spaces");
	memcpy(buf, s, n);
	buf[n] = '\0';
	return 0;
}

/* An integer member in [lo, hi]; *present says whether it was there. */
static int get_int(struct dec *d, const json_t *o, const char *name, const char *ptr,
		   bool required, int64_t lo, int64_t hi, int64_t *out, bool *present)
{
	const json_t *v = json_object_get(o, name);
	json_int_t x;
	if (present)
		*present = v != NULL;
	if (!v)
		return required ? missing(d, ptr) : 0;
	if (!json_is_integer(v))
		return incorrect(d, required, ptr, "must be an integer");
	x = json_integer_value(v);
	if (x < lo || x > hi)
		return fail(d, required ? "MANDATORY_IE_INCORRECT" : "OPTIONAL_IE_INCORRECT", ptr,
			    "%s is %lld, outside %lld..%lld", ptr, (long long)x, (long long)lo,
			    (long long)hi);
	*out = x;
	return 0;
}

static int get_time(struct dec *d, const json_t *o, const char *name, const char *ptr,
		    bool required, int64_t *out)
{
	const json_t *v = json_object_get(o, name);
	if (!v)
		return required ? missing(d, ptr) : 0;
	if (!json_is_string(v) || !sd_chf_parse_time(json_string_value(v), out))
		return incorrect(d, required, ptr, "must be an RFC 3339 date-time");
	return 0;
}

/* An object member: NULL when absent (or an error when required). */
static int get_obj(struct dec *d, const json_t *o, const char *name, const char *ptr,
		   bool required, const json_t **out)
{
	const json_t *v = json_object_get(o, name);
	*out = NULL;
	if (!v)
		return required ? missing(d, ptr) : 0;
	if (!json_is_object(v))
		return incorrect(d, required, ptr, "must be an object");
	*out = v;
	return 0;
}

static int decode_nf(struct dec *d, const json_t *root)
{
	const json_t *nf;
	struct sd_chf_request *r = d->r;
	if (get_obj(d, root, "nfConsumerIdentification", "/nfConsumerIdentification", true,
		    &nf) < 0)
		return -1;
	if (get_str(d, nf, "nodeFunctionality", "/nfConsumerIdentification/nodeFunctionality",
		    true, r->node_function, sizeof r->node_function) < 0 ||
	    get_str(d, nf, "nFName", "/nfConsumerIdentification/nFName", false, r->nf_name,
		    sizeof r->nf_name) < 0 ||
	    get_str(d, nf, "nFIPv4Address", "/nfConsumerIdentification/nFIPv4Address", false,
		    r->nf_addr, sizeof r->nf_addr) < 0)
		return -1;
	if (!r->nf_addr[0] && get_str(d, nf, "nFFqdn", "/nfConsumerIdentification/nFFqdn", false,
				      r->nf_addr, sizeof r->nf_addr) < 0)
		return -1;
	if (!r->node_function[0])
		return incorrect(d, true, "/nfConsumerIdentification/nodeFunctionality",
				 "must not be empty");
	return 0;
}

static int decode_pdu(struct dec *d, const json_t *root)
{
	struct sd_chf_request *r = d->r;
	const json_t *pci, *psi, *nsi, *sn;
	const char *why = NULL;
	int64_t v = 0;
	bool has = false;

	if (get_obj(d, root, "pDUSessionChargingInformation", "/pDUSessionChargingInformation",
		    false, &pci) < 0)
		return -1;
	if (!pci)
		return 0;
	/* Rel-18's sMFchargingId wins over the deprecated chargingId */
	if (get_str(d, pci, "sMFchargingId", "/pDUSessionChargingInformation/sMFchargingId",
		    false, r->charging_id, sizeof r->charging_id) < 0)
		return -1;
	if (get_int(d, pci, "chargingId", "/pDUSessionChargingInformation/chargingId", false, 0,
		    4294967295LL, &v, &has) < 0)
		return -1;
	if (has && !r->charging_id[0])
		snprintf(r->charging_id, sizeof r->charging_id, "%lld", (long long)v);
	if (get_obj(d, pci, "pduSessionInformation",
		    "/pDUSessionChargingInformation/pduSessionInformation", true, &psi) < 0)
		return -1;
	if (get_int(d, psi, "pduSessionID",
		    "/pDUSessionChargingInformation/pduSessionInformation/pduSessionID", true, 0,
		    255, &v, NULL) < 0)
		return -1;
	r->pdu_session_id = (int)v;
	if (get_str(d, psi, "dnnId", "/pDUSessionChargingInformation/pduSessionInformation/dnnId",
		    true, r->dnn, sizeof r->dnn) < 0)
		return -1;
	if (!r->dnn[0])
		return incorrect(d, true, "/pDUSessionChargingInformation/pduSessionInformation/dnnId",
				 "must not be empty");
	if (get_obj(d, psi, "networkSlicingInfo",
		    "/pDUSessionChargingInformation/pduSessionInformation/networkSlicingInfo", false,
		    &nsi) < 0)
		return -1;
	if (nsi) {
		sn = json_object_get(nsi, "sNSSAI");
		if (!sn)
			return missing(d, "/pDUSessionChargingInformation/pduSessionInformation/"
				       "networkSlicingInfo/sNSSAI");
		if (!sd_snssai_from_json(sn, &r->snssai, &why))
			return fail(d, "MANDATORY_IE_INCORRECT",
				    "/pDUSessionChargingInformation/pduSessionInformation/"
				    "networkSlicingInfo/sNSSAI", "sNSSAI: %s", why);
		r->has_snssai = true;
	}
	r->has_pdu = true;
	return 0;
}

static int decode_container(struct dec *d, const json_t *c, const char *ptr,
			    struct sd_chf_unit *u)
{
	char p[128];
	const json_t *pdu;
	int64_t t = 0;
	if (!json_is_object(c))
		return incorrect(d, false, ptr, "must be an object");
#define P(m) (snprintf(p, sizeof p, "%s/%s", ptr, m), p)
	if (get_int(d, c, "localSequenceNumber", P("localSequenceNumber"), true, 0, INT64_MAX,
		    &u->seq, NULL) < 0 ||
	    get_int(d, c, "uplinkVolume", P("uplinkVolume"), false, INT64_MIN, INT64_MAX, &u->ul,
		    &u->has_ul) < 0 ||
	    get_int(d, c, "downlinkVolume", P("downlinkVolume"), false, INT64_MIN, INT64_MAX,
		    &u->dl, &u->has_dl) < 0 ||
	    get_int(d, c, "totalVolume", P("totalVolume"), false, INT64_MIN, INT64_MAX, &u->total,
		    &u->has_total) < 0 ||
	    get_int(d, c, "time", P("time"), false, INT64_MIN, INT64_MAX, &u->time_s, NULL) < 0 ||
	    get_time(d, c, "triggerTimestamp", P("triggerTimestamp"), false, &u->usage_ms) < 0 ||
	    get_obj(d, c, "pDUContainerInformation", P("pDUContainerInformation"), false,
		    &pdu) < 0)
		return -1;
	if (pdu && get_time(d, pdu, "timeofLastUsage", P("pDUContainerInformation/timeofLastUsage"),
			    false, &t) < 0)
		return -1;
#undef P
	if (t)
		u->usage_ms = t;
	if (!u->usage_ms)
		u->usage_ms = d->r->invocation_ms;
	return 0;
}

static int decode_units(struct dec *d, const json_t *root)
{
	const json_t *muu = json_object_get(root, "multipleUnitUsage"), *e, *uucs, *c;
	struct sd_chf_request *r = d->r;
	size_t i, k;
	char ptr[96], p2[128];

	if (!muu)
		return 0;
	if (!json_is_array(muu))
		return incorrect(d, false, "/multipleUnitUsage", "must be an array");
	if (json_array_size(muu) > SD_CHF_MAX_MUU)
		return fail(d, "OPTIONAL_IE_INCORRECT", "/multipleUnitUsage",
			    "/multipleUnitUsage has %zu entries, at most %d are taken",
			    json_array_size(muu), SD_CHF_MAX_MUU);
	json_array_foreach(muu, i, e) {
		int64_t rg = 0;
		char upf[SD_CHF_ID_MAX] = "";
		snprintf(ptr, sizeof ptr, "/multipleUnitUsage/%zu", i);
		if (!json_is_object(e))
			return incorrect(d, false, ptr, "must be an object");
		snprintf(p2, sizeof p2, "%s/ratingGroup", ptr);
		if (get_int(d, e, "ratingGroup", p2, true, 0, 4294967295LL, &rg, NULL) < 0)
			return -1;
		snprintf(p2, sizeof p2, "%s/uPFID", ptr);
		if (get_str(d, e, "uPFID", p2, false, upf, sizeof upf) < 0)
			return -1;
		uucs = json_object_get(e, "usedUnitContainer");
		if (!uucs)
			continue;
		snprintf(p2, sizeof p2, "%s/usedUnitContainer", ptr);
		if (!json_is_array(uucs))
			return incorrect(d, false, p2, "must be an array");
		if (json_array_size(uucs) > SD_CHF_MAX_UUC)
			return fail(d, "OPTIONAL_IE_INCORRECT", p2, "%s has %zu entries, at most %d "
				    "are taken", p2, json_array_size(uucs), SD_CHF_MAX_UUC);
		json_array_foreach(uucs, k, c) {
			struct sd_chf_unit *u;
			char p3[128];
			if (r->nunits == SD_CHF_MAX_UNITS)
				return fail(d, "OPTIONAL_IE_INCORRECT", "/multipleUnitUsage",
					    "more than %d used unit containers", SD_CHF_MAX_UNITS);
			if (r->nunits == d->units_cap) {
				d->units_cap = d->units_cap ? d->units_cap * 2 : 8;
				r->units = sd_reallocarray(r->units, d->units_cap, sizeof *r->units);
			}
			u = &r->units[r->nunits];
			memset(u, 0, sizeof *u);
			u->rating_group = (uint32_t)rg;
			memcpy(u->upf_id, upf, sizeof upf);
			snprintf(p3, sizeof p3, "%s/%zu", p2, k);
			if (decode_container(d, c, p3, u) < 0)
				return -1;
			r->nunits++;
		}
	}
	return 0;
}

int sd_chf_decode(const char *body, size_t len, struct sd_chf_request *out,
		  struct sd_chf_error *err)
{
	struct dec d = { out, err, 0 };
	json_error_t je;
	json_t *root;
	int64_t v = 0;
	const json_t *rt;
	int rc = -1;

	memset(out, 0, sizeof *out);
	memset(err, 0, sizeof *err);
	if (!body || !len) {
		fail(&d, "INVALID_MSG_FORMAT", "", "the request has no body");
		return -1;
	}
	root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		char t[160];
		sd_sanitize(t, sizeof t, je.text, strlen(je.text));
		fail(&d, "INVALID_MSG_FORMAT", "", "not JSON: %s at line %d column %d", t, je.line,
		     je.column);
		return -1;
	}
	if (!json_is_object(root)) {
		fail(&d, "INVALID_MSG_FORMAT", "", "a ChargingDataRequest is a JSON object");
		goto out;
	}
	if (decode_nf(&d, root) < 0 ||
	    get_time(&d, root, "invocationTimeStamp", "/invocationTimeStamp", true,
		     &out->invocation_ms) < 0 ||
	    get_int(&d, root, "invocationSequenceNumber", "/invocationSequenceNumber", true, 0,
		    4294967295LL, &v, NULL) < 0 ||
	    get_str(&d, root, "subscriberIdentifier", "/subscriberIdentifier", false,
		    out->subscriber, sizeof out->subscriber) < 0)
		goto out;
	out->invocation_seq = (uint32_t)v;
	rt = json_object_get(root, "retransmissionIndicator");
	if (rt && !json_is_boolean(rt)) {
		incorrect(&d, false, "/retransmissionIndicator", "must be true or false");
		goto out;
	}
	out->retransmission = json_is_true(rt);
	if (decode_pdu(&d, root) < 0 || decode_units(&d, root) < 0)
		goto out;
	rc = 0;
out:
	json_decref(root);
	if (rc < 0)
		sd_chf_request_done(out);
	return rc;
}

void sd_chf_request_done(struct sd_chf_request *r)
{
	if (!r)
		return;
	free(r->units);
	r->units = NULL;
	r->nunits = 0;
}

int sd_chf_check_units(struct sd_chf_request *r, const char *session, int64_t max_volume,
		       struct sd_chf_error *err)
{
	size_t i;
	if (max_volume <= 0)
		max_volume = SD_CHF_MAX_VOLUME;
	for (i = 0; i < r->nunits; i++) {
		struct sd_chf_unit *u = &r->units[i];
		const char *bad = NULL;
		char key[320];
		int64_t v = 0;
		snprintf(key, sizeof key, "%s/%u/%lld%s%s", session, u->rating_group,
			 (long long)u->seq, u->upf_id[0] ? "/" : "", u->upf_id);
		if (u->ul < 0)
			bad = "uplinkVolume", v = u->ul;
		else if (u->dl < 0)
			bad = "downlinkVolume", v = u->dl;
		else if (u->total < 0)
			bad = "totalVolume", v = u->total;
		else if (u->time_s < 0)
			bad = "time", v = u->time_s;
		if (bad) {
			err->status = 400;
			sd_strlcpy(err->cause, "OPTIONAL_IE_INCORRECT", sizeof err->cause);
			snprintf(err->param, sizeof err->param, "%s", bad);
			snprintf(err->detail, sizeof err->detail, "record %s: %s is negative (%lld)",
				 key, bad, (long long)v);
			return -1;
		}
		if (u->ul > max_volume)
			bad = "uplinkVolume", v = u->ul;
		else if (u->dl > max_volume)
			bad = "downlinkVolume", v = u->dl;
		else if (u->total > max_volume)
			bad = "totalVolume", v = u->total;
		if (bad) {
			err->status = 400;
			sd_strlcpy(err->cause, "OPTIONAL_IE_INCORRECT", sizeof err->cause);
			snprintf(err->param, sizeof err->param, "%s", bad);
			snprintf(err->detail, sizeof err->detail, "record %s: %s of %lld octets is over "
				 "the %lld a container may report", key, bad, (long long)v,
				 (long long)max_volume);
			return -1;
		}
		if (u->has_total && u->has_ul && u->has_dl && u->total != u->ul + u->dl) {
			err->status = 400;
			sd_strlcpy(err->cause, "OPTIONAL_IE_INCORRECT", sizeof err->cause);
			sd_strlcpy(err->param, "totalVolume", sizeof err->param);
			snprintf(err->detail, sizeof err->detail, "record %s: totalVolume %lld is not "
				 "uplinkVolume + downlinkVolume (%lld)", key, (long long)u->total,
				 (long long)(u->ul + u->dl));
			return -1;
		}
		if (!u->has_total)
			u->total = u->ul + u->dl;
	}
	return 0;
}

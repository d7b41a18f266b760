/* sim/nrf.c — the NRF: NFManagement (list, profile, register, heartbeat,
 * deregister, status subscriptions), NFDiscovery and the OAuth2 token
 * endpoint. Error bodies follow Open5GS's shapes (see the fixtures). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/log.h"
#include "core/util.h"
#include "sim/sim.h"

#define NFM "/nnrf-nfm/v1"
#define DISC "/nnrf-disc/v1"
#define SUB_VALIDITY_S 86400

static bool nftype_token(const char *s)
{
	size_t n = strlen(s);
	return n > 0 && n < 16 && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == n;
}

void sd_sim_nrf_list(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct sd_sim *sim = arg;
	char type[32], lim[24];
	long long limit = 0;
	json_t *items = json_array(), *o;
	int i, n = 0;
	const char *t = sd_sbi_req_query(req, "nf-type", type, sizeof type);

	if (t && !nftype_token(t)) {
		sd_sim_resp_problem(resp, 400, NFM, "Invalid nf-type", "INVALID_QUERY_PARAM",
				    NULL, "/nf-instances");
		json_decref(items);
		return;
	}
	if (sd_sbi_req_query(req, "limit", lim, sizeof lim) &&
	    !sd_parse_ll(lim, 1, 1000000, &limit)) {
		sd_sim_resp_problem(resp, 400, NFM, "Invalid limit", "INVALID_QUERY_PARAM",
				    NULL, "/nf-instances");
		json_decref(items);
		return;
	}
	for (i = 0; i < sim->nnfs; i++) {
		const struct sd_sim_nf *nf = &sim->nfs[i];
		if (!nf->registered || (t && strcmp(t, nf->type) != 0))
			continue;
		if (limit && n >= limit)
			break;
		json_array_append_new(items, json_pack("{s:s++}", "href", sim->api_root,
						       NFM "/nf-instances/", nf->id));
		n++;
	}
	o = json_pack("{s:{s:o, s:{s:s+}}, s:i}", "_links", "item", items, "self", "href",
		      sim->api_root, NFM "/nf-instances", "totalItemCount", n);
	sd_sim_resp_json(resp, 200, o);
	sd_strlcpy(resp->content_type, "application/3gppHal+json", sizeof resp->content_type);
}

static void not_found(struct sd_sbi_resp *resp, const char *id)
{
	char inst[96], shown[48];
	sd_sanitize(shown, sizeof shown, id, strlen(id));
	snprintf(inst, sizeof inst, "/nf-instances/%s", shown);
	sd_sim_resp_problem(resp, 404, NFM, "Not found", NULL, shown, inst);
}

void sd_sim_nrf_get(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct sd_sim *sim = arg;
	struct sd_sim_nf *nf = req->nparams ? sd_sim_nf_by_id(sim, req->params[0]) : NULL;
	if (!nf || !nf->registered) {
		not_found(resp, req->nparams ? req->params[0] : "");
		return;
	}
	if (nf->peer_profile) {
		sd_sim_resp_json(resp, 200, sd_sim_nf_profile(sim, nf, true));
		return;
	}
	{
		int64_t sec = sd_wall_ms() / 1000;
		int load = sd_sim_nf_load(sim, nf);
		if (!nf->prof_text || nf->prof_sec != sec || nf->prof_load != load ||
		    nf->prof_status != nf->status) {
			json_t *j = sd_sim_nf_profile(sim, nf, true);
			free(nf->prof_text);
			nf->prof_text = json_dumps(j, JSON_COMPACT);
			json_decref(j);
			nf->prof_len = nf->prof_text ? strlen(nf->prof_text) : 0;
			nf->prof_sec = sec;
			nf->prof_load = load;
			nf->prof_status = nf->status;
		}
		resp->status = 200;
		sd_strlcpy(resp->content_type, "application/json", sizeof resp->content_type);
		resp->body = sd_malloc(nf->prof_len + 1);
		memcpy(resp->body, nf->prof_text ? nf->prof_text : "", nf->prof_len + 1);
		resp->body_len = nf->prof_len;
	}
}

static void bad_body(struct sd_sbi_resp *resp, const char *api, const char *what,
		     const char *cause, const char *instance)
{
	sd_sim_resp_problem(resp, 400, api, what, cause, NULL, instance);
}

void sd_sim_nrf_put(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct sd_sim *sim = arg;
	const char *id = req->nparams ? req->params[0] : "";
	json_t *p, *v;
	struct sd_sim_nf *nf;
	bool created = false;
	int hb;

	if (!sd_is_uuid(id)) {
		bad_body(resp, NFM, "nfInstanceId in the path is not a UUID",
			 "INVALID_MSG_FORMAT", "/nf-instances");
		return;
	}
	p = req->body ? json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, NULL) : NULL;
	if (!json_is_object(p)) {
		json_decref(p);
		bad_body(resp, NFM, "Body is not an NFProfile", "INVALID_MSG_FORMAT", "/nf-instances");
		return;
	}
	v = json_object_get(p, "nfInstanceId");
	if (!json_is_string(v) || strcasecmp(json_string_value(v), id) != 0 ||
	    !json_is_string(json_object_get(p, "nfType")) ||
	    !nftype_token(json_string_value(json_object_get(p, "nfType"))) ||
	    !json_is_string(json_object_get(p, "nfStatus"))) {
		json_decref(p);
		bad_body(resp, NFM, "nfInstanceId, nfType and nfStatus are mandatory "
			 "(nfInstanceId as in the path)", "MANDATORY_IE_MISSING", "/nf-instances");
		return;
	}
	v = json_object_get(p, "heartBeatTimer");
	if (v && (!json_is_integer(v) || json_integer_value(v) < 1 ||
		  json_integer_value(v) > 3600)) {
		json_decref(p);
		bad_body(resp, NFM, "heartBeatTimer must be 1..3600", "MANDATORY_IE_INCORRECT",
			 "/nf-instances");
		return;
	}
	hb = v ? (int)json_integer_value(v) : sim->o.hb_timer_s;
	json_object_set_new(p, "heartBeatTimer", json_integer(hb));
	nf = sd_sim_nf_by_id(sim, id);
	if (nf && nf->emulated) {
		json_decref(p);
		sd_sim_resp_problem(resp, 403, NFM, "NF instance belongs to the simulator",
				    "MODIFICATION_NOT_ALLOWED", NULL, "/nf-instances");
		return;
	}
	if (!nf) {
		if (sim->nnfs >= SD_SIM_MAX_NFS) {
			json_decref(p);
			sd_sim_resp_problem(resp, 500, NFM, "Too many NF instances",
					    "INSUFFICIENT_RESOURCES", NULL, "/nf-instances");
			return;
		}
		nf = &sim->nfs[sim->nnfs++];
		memset(nf, 0, sizeof *nf);
		sd_strlcpy(nf->id, id, sizeof nf->id);
		for (char *c = nf->id; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		nf->factory = -1;
		created = true;
	}
	sd_strlcpy(nf->type, json_string_value(json_object_get(p, "nfType")), sizeof nf->type);
	v = json_object_get(p, "nfInstanceName");
	if (json_is_string(v))
		sd_sanitize(nf->name, sizeof nf->name, json_string_value(v), json_string_length(v));
	else
		snprintf(nf->name, sizeof nf->name, "peer-%.8s", nf->id);
	nf->registered = true;
	nf->status = SD_NF_REGISTERED;
	nf->hb_s = hb;
	nf->last_hb_ms = sd_sim_mono(sim);
	json_decref(nf->peer_profile);
	nf->peer_profile = p;
	sd_sim_resp_json(resp, created ? 201 : 200, sd_sim_nf_profile(sim, nf, true));
	if (created)
		sd_sim_resp_location(resp, "%s" NFM "/nf-instances/%s", sim->api_root, nf->id);
	sd_sim_nrf_status_notify(sim, nf, created ? "NF_REGISTERED" : "NF_PROFILE_CHANGED");
}

void sd_sim_nrf_patch(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct sd_sim *sim = arg;
	struct sd_sim_nf *nf = req->nparams ? sd_sim_nf_by_id(sim, req->params[0]) : NULL;
	json_t *ops, *op;
	size_t i;
	bool changed = false;

	if (!nf || !nf->registered) {
		not_found(resp, req->nparams ? req->params[0] : "");
		return;
	}
	if (nf->emulated) {
		sd_sim_resp_problem(resp, 403, NFM, "NF instance belongs to the simulator",
				    "MODIFICATION_NOT_ALLOWED", NULL, "/nf-instances");
		return;
	}
	ops = req->body ? json_loadb(req->body, req->body_len, 0, NULL) : NULL;
	if (!json_is_array(ops) || json_array_size(ops) == 0) {
		json_decref(ops);
		bad_body(resp, NFM, "Body is not a JSON Patch array", "INVALID_MSG_FORMAT",
			 "/nf-instances");
		return;
	}
	json_array_foreach(ops, i, op) {
		const char *path = json_string_value(json_object_get(op, "path"));
		json_t *val = json_object_get(op, "value");
		if (!path)
			continue;
		if (strcmp(path, "/nfStatus") == 0 && json_is_string(val)) {
			int st = strcmp(json_string_value(val), "SUSPENDED") == 0 ? SD_NF_SUSPENDED :
				 strcmp(json_string_value(val), "UNDISCOVERABLE") == 0 ?
				 SD_NF_UNDISCOVERABLE : SD_NF_REGISTERED;
			if (st != (int)nf->status)
				changed = true;
			nf->status = (enum sd_nf_status)st;
			json_object_set(nf->peer_profile, "nfStatus", val);
		} else if (strcmp(path, "/load") == 0 && json_is_integer(val)) {
			json_object_set(nf->peer_profile, "load", val);
		}
	}
	json_decref(ops);
	nf->last_hb_ms = sd_sim_mono(sim);
	sd_sim_resp_empty(resp, 204);
	if (changed)
		sd_sim_nrf_status_notify(sim, nf, "NF_PROFILE_CHANGED");
}

void sd_sim_nrf_delete(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct sd_sim *sim = arg;
	struct sd_sim_nf *nf = req->nparams ? sd_sim_nf_by_id(sim, req->params[0]) : NULL;
	if (!nf || !nf->registered) {
		not_found(resp, req->nparams ? req->params[0] : "");
		return;
	}
	if (nf->emulated) {
		sd_sim_resp_problem(resp, 403, NFM, "NF instance belongs to the simulator",
				    "MODIFICATION_NOT_ALLOWED", NULL, "/nf-instances");
		return;
	}
	nf->registered = false;
	sd_sim_nrf_status_notify(sim, nf, "NF_DEREGISTERED");
	sd_sim_resp_empty(resp, 204);
}

/* --- status subscriptions ---------------------------------------------- */

static bool http_uri(const char *s)
{
	return s && (strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0) &&
	       strlen(s) < 500 && !strpbrk(s, " \r\n\t");
}

/* --- subscription validity (every kind) ------------------------------------ */

/* RFC 3339 date-time to wall ms; false when it is not one. */
static bool parse_time(const char *s, int64_t *ms)
{
	struct tm tm = { 0 };
	int y, mo, d, h, mi, sec, n = 0, oh = 0, om = 0;
	long frac = 0;
	time_t t;

	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 ||
	    n != 19)
		return false;
	s += n;
	if (*s == '.') {
		int digits = 0;
		for (s++; isdigit((unsigned char)*s); s++, digits++)
			if (digits < 3)
				frac = frac * 10 + (*s - '0');
		for (; digits < 3; digits++)
			frac *= 10;
	}
	if (*s == 'Z') {
		s++;
	} else if ((*s == '+' || *s == '-') && sscanf(s + 1, "%2d:%2d", &oh, &om) == 2) {
		if (*s == '-')
			oh = -oh, om = -om;
		s += 6;
	} else {
		return false;
	}
	if (*s || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return false;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm);
	*ms = ((int64_t)t - (int64_t)oh * 3600 - (int64_t)om * 60) * 1000 + frac;
	return true;
}

int64_t sd_sim_sub_grant(const json_t *requested)
{
	int64_t now = sd_wall_ms(), max = now + SUB_VALIDITY_S * 1000LL, ms;
	if (json_is_string(requested) && parse_time(json_string_value(requested), &ms) &&
	    ms > now && ms < max)
		return ms;
	return max;
}

bool sd_sim_sub_patch_expiry(const struct sd_sbi_req *req, const char *path, json_t **value)
{
	json_t *ops = req->body ? json_loadb(req->body, req->body_len, 0, NULL) : NULL, *op;
	size_t i;
	bool ok = json_is_array(ops) && json_array_size(ops) > 0;
	*value = NULL;
	json_array_foreach(ops, i, op) {
		const char *o = json_string_value(json_object_get(op, "op"));
		const char *p = json_string_value(json_object_get(op, "path"));
		if (!json_is_object(op) || !o || !p) {
			ok = false;
			break;
		}
		if ((strcmp(o, "replace") == 0 || strcmp(o, "add") == 0) && strcmp(p, path) == 0) {
			json_decref(*value);
			*value = json_incref(json_object_get(op, "value"));
		}
	}
	json_decref(ops);
	if (!ok) {
		json_decref(*value);
		*value = NULL;
	}
	return ok;
}

/* --- status subscriptions ---------------------------------------------------- */

void sd_sim_nrf_subscribe(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct sd_sim *sim = arg;
	json_t *b = req->body ? json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, NULL)
			      : NULL;
	const char *uri = json_string_value(json_object_get(b, "nfStatusNotificationUri"));
	struct sd_sim_sub *s;
	char ts[40];

	if (!json_is_object(b) || !http_uri(uri)) {
		json_decref(b);
		bad_body(resp, NFM, "nfStatusNotificationUri (an http or https URI) is mandatory",
			 "MANDATORY_IE_MISSING", "/subscriptions");
		return;
	}
	if (sim->o.profile == SD_SIM_PROFILE_OPEN5GS && !json_object_get(b, "subscrCond")) {
		/* Open5GS's NRF wants a condition (its own NFs send nfType or
		 * serviceName); the problem carries only a title */
		json_decref(b);
		sd_sim_resp_problem(resp, 400, NULL, "No SubscrCond found", NULL, NULL, NULL);
		return;
	}
	s = sd_sim_sub_new(sim, SD_SUB_NRF, uri, b, 0);
	if (!s) {
		json_decref(b);
		sd_sim_resp_problem(resp, 500, NFM, "Too many subscriptions",
				    "INSUFFICIENT_RESOURCES", NULL, "/subscriptions");
		return;
	}
	/* what was asked for, up to 24 h (the NRF may shorten it) */
	s->expiry_wall = sd_sim_sub_grant(json_object_get(b, "validityTime"));
	sd_sim_fmt_time(s->expiry_wall, ts, sizeof ts);
	json_object_set_new(b, "subscriptionId", json_string(s->id));
	json_object_set_new(b, "validityTime", json_string(ts));
	sd_sim_resp_location(resp, "%s" NFM "/subscriptions/%s", sim->api_root, s->id);
	sd_sim_resp_json(resp, 201, b);   /* b is also s->req (incref'd) */
}

void sd_sim_nrf_sub_patch(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct sd_sim *sim = arg;
	struct sd_sim_sub *s = req->nparams ? sd_sim_sub_find(sim, SD_SUB_NRF, req->params[0]) : NULL;
	json_t *v;
	char ts[40];
	if (!s) {
		sd_sim_resp_problem(resp, 404, NFM, "Subscription not found",
				    "SUBSCRIPTION_NOT_FOUND", NULL, "/subscriptions");
		return;
	}
	if (!sd_sim_sub_patch_expiry(req, "/validityTime", &v)) {
		bad_body(resp, NFM, "a JSON Patch (array of PatchItem) is expected",
			 "MANDATORY_IE_INCORRECT", "/subscriptions");
		return;
	}
	/* /validityTime as asked (up to 24 h); any other patch renews for the
	 * full period */
	s->expiry_wall = sd_sim_sub_grant(v);
	json_decref(v);
	sd_sim_fmt_time(s->expiry_wall, ts, sizeof ts);
	json_object_set_new(s->req, "validityTime", json_string(ts));
	s->renewals++;
	sd_sim_resp_empty(resp, 204);
}

void sd_sim_nrf_sub_delete(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct sd_sim *sim = arg;
	struct sd_sim_sub *s = req->nparams ? sd_sim_sub_find(sim, SD_SUB_NRF, req->params[0]) : NULL;
	if (!s) {
		sd_sim_resp_problem(resp, 404, NFM, "Subscription not found",
				    "SUBSCRIPTION_NOT_FOUND", NULL, "/subscriptions");
		return;
	}
	sd_sim_sub_free(sim, s);
	sd_sim_resp_empty(resp, 204);
}

/* --- discovery -------------------------------------------------------------- */

static bool profile_has_snssai(json_t *prof, const json_t *wanted)
{
	json_t *have = json_object_get(prof, "sNssais"), *w, *h;
	size_t i, k;
	if (!json_is_array(have))
		return true;   /* an NF without slices is not slice-specific */
	json_array_foreach(wanted, i, w) {
		struct sd_snssai a, b;
		if (!sd_snssai_from_json(w, &a, NULL))
			continue;
		json_array_foreach(have, k, h)
			if (sd_snssai_from_json(h, &b, NULL) && sd_snssai_equal(&a, &b))
				return true;
	}
	return false;
}

static bool profile_has_service(json_t *prof, const char *names)
{
	json_t *svcs = json_object_get(prof, "nfServices"), *s;
	size_t i;
	json_array_foreach(svcs, i, s) {
		const char *n = json_string_value(json_object_get(s, "serviceName"));
		const char *p = names;
		size_t nl = n ? strlen(n) : 0;
		while (n && *p) {
			size_t l = strcspn(p, ",");
			if (l == nl && strncmp(p, n, l) == 0)
				return true;
			p += l + (p[l] == ',');
		}
	}
	return false;
}

void sd_sim_nrf_discover(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct sd_sim *sim = arg;
	char target[32], requester[32], lim[24], svc[512], tid[64];
	json_t *snssais = NULL, *list;
	bool has_snssais;
	long long limit = 0;
	int i;

	if (!sd_sbi_req_query(req, "target-nf-type", target, sizeof target)) {
		sd_sim_resp_problem(resp, 400, DISC, "No target-nf-type",
				    "MANDATORY_QUERY_PARAM_MISSING", NULL, "/nf-instances");
		return;
	}
	if (!sd_sbi_req_query(req, "requester-nf-type", requester, sizeof requester)) {
		sd_sim_resp_problem(resp, 400, DISC, "No requester-nf-type",
				    "MANDATORY_QUERY_PARAM_MISSING", NULL, "/nf-instances");
		return;
	}
	if (!nftype_token(target) || !nftype_token(requester)) {
		sd_sim_resp_problem(resp, 400, DISC, "Invalid NF type", "INVALID_QUERY_PARAM",
				    NULL, "/nf-instances");
		return;
	}
	if (sd_sbi_req_query(req, "limit", lim, sizeof lim) && !sd_parse_ll(lim, 1, 1000000, &limit)) {
		sd_sim_resp_problem(resp, 400, DISC, "Invalid limit", "INVALID_QUERY_PARAM",
				    NULL, "/nf-instances");
		return;
	}
	snssais = sd_sim_query_json(req, "snssais", &has_snssais);
	if (has_snssais && !json_is_array(snssais)) {
		json_decref(snssais);
		sd_sim_resp_problem(resp, 400, DISC, "snssais is not a JSON array of Snssai",
				    "INVALID_QUERY_PARAM", NULL, "/nf-instances");
		return;
	}
	if (!sd_sbi_req_query(req, "service-names", svc, sizeof svc))
		svc[0] = '\0';
	if (!sd_sbi_req_query(req, "target-nf-instance-id", tid, sizeof tid))
		tid[0] = '\0';
	list = json_array();
	for (i = 0; i < sim->nnfs; i++) {
		struct sd_sim_nf *nf = &sim->nfs[i];
		json_t *prof;
		if (!nf->registered || nf->status != SD_NF_REGISTERED || strcmp(nf->type, target) != 0)
			continue;
		if (tid[0] && strcasecmp(tid, nf->id) != 0)
			continue;
		if (limit && (long long)json_array_size(list) >= limit)
			break;
		prof = sd_sim_nf_profile(sim, nf, false);
		if ((snssais && !profile_has_snssai(prof, snssais)) ||
		    (svc[0] && !profile_has_service(prof, svc))) {
			json_decref(prof);
			continue;
		}
		json_array_append_new(list, prof);
	}
	json_decref(snssais);
	sd_sim_resp_json(resp, 200, json_pack("{s:i, s:o}", "validityPeriod", 30,
					      "nfInstances", list));
	resp->extra[0].name = "cache-control";
	resp->extra[0].value = "max-age=30";
}

/* --- OAuth2 ------------------------------------------------------------- */

/* Find a field of an application/x-www-form-urlencoded body and decode it
 * ('+' is a space here). NULL when absent or too long. */
static const char *form_get(const char *body, const char *name, char *buf, size_t bufsz)
{
	const char *p = body;
	size_t nl = strlen(name);
	while (p && *p) {
		const char *end = p + strcspn(p, "&");
		if ((size_t)(end - p) > nl && strncmp(p, name, nl) == 0 && p[nl] == '=') {
			const char *s = p + nl + 1;
			size_t o = 0;
			while (s < end) {
				int c = (unsigned char)*s;
				if (c == '+') {
					c = ' ';
					s++;
				} else if (c == '%' && end - s >= 3 && isxdigit((unsigned char)s[1]) &&
					   isxdigit((unsigned char)s[2])) {
					char hex[3] = { s[1], s[2], 0 };
					c = (int)strtol(hex, NULL, 16);
					s += 3;
				} else {
					s++;
				}
				if (o + 1 >= bufsz || c == 0)
					return NULL;
				buf[o++] = (char)c;
			}
			buf[o] = '\0';
			return buf;
		}
		p = *end ? end + 1 : NULL;
	}
	return NULL;
}

static void token_error(struct sd_sbi_resp *resp, const char *error, const char *desc)
{
	sd_sim_resp_json(resp, 400, json_pack("{s:s, s:s}", "error", error,
					      "error_description", desc));
	resp->extra[0].name = "cache-control";
	resp->extra[0].value = "no-store";
	resp->extra[1].name = "pragma";
	resp->extra[1].value = "no-cache";
}

static char *b64url(const unsigned char *in, size_t n)
{
	char *out = sd_malloc(4 * ((n + 2) / 3) + 1);
	int len = EVP_EncodeBlock((unsigned char *)out, in, (int)n), i, o = 0;
	for (i = 0; i < len; i++) {
		char c = out[i];
		if (c == '=')
			break;
		out[o++] = c == '+' ? '-' : c == '/' ? '_' : c;
	}
	out[o] = '\0';
	return out;
}

static bool scope_valid(const char *s)
{
	size_t n = strlen(s);
	if (!n || s[0] == ' ' || s[n - 1] == ' ' || strstr(s, "  "))
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:- ") == n;
}

void sd_sim_nrf_token(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct sd_sim *sim = arg;
	char grant[64], nfid[64], scope[512], ttype[32], nftype[32], tinst[64];
	char *hdr, *cl, *h64, *c64, *signing, *sig64, *tok;
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;
	const char *body = req->body ? req->body : "";
	struct sd_sim_nf *nrf = sd_sim_nf_by_name(sim, "nrf");
	json_t *claims;
	int64_t now = sd_wall_ms() / 1000;

	if (!req->content_type ||
	    strncasecmp(req->content_type, "application/x-www-form-urlencoded", 33) != 0) {
		token_error(resp, "invalid_request",
			    "Content-Type must be application/x-www-form-urlencoded");
		return;
	}
	if (!form_get(body, "grant_type", grant, sizeof grant)) {
		token_error(resp, "invalid_request", "grant_type is missing");
		return;
	}
	if (strcmp(grant, "client_credentials") != 0) {
		token_error(resp, "unsupported_grant_type", "only client_credentials is supported");
		return;
	}
	if (!form_get(body, "nfInstanceId", nfid, sizeof nfid) ||
	    !form_get(body, "scope", scope, sizeof scope)) {
		token_error(resp, "invalid_request", "nfInstanceId and scope are mandatory");
		return;
	}
	if (!sd_is_uuid(nfid)) {
		token_error(resp, "invalid_client", "nfInstanceId is not a UUID");
		return;
	}
	if (!scope_valid(scope)) {
		token_error(resp, "invalid_scope", "scope is not a list of service names");
		return;
	}
	if (!form_get(body, "targetNfType", ttype, sizeof ttype) || !nftype_token(ttype))
		ttype[0] = '\0';
	if (!form_get(body, "nfType", nftype, sizeof nftype) || !nftype_token(nftype))
		nftype[0] = '\0';
	if (!form_get(body, "targetNfInstanceId", tinst, sizeof tinst) || !sd_is_uuid(tinst))
		tinst[0] = '\0';

	claims = json_pack("{s:s, s:s, s:s, s:I, s:I}", "iss", nrf ? nrf->id : "", "sub", nfid,
			   "scope", scope, "exp", (json_int_t)(now + 3600), "iat", (json_int_t)now);
	if (tinst[0])
		json_object_set_new(claims, "aud", json_pack("[s]", tinst));
	else
		json_object_set_new(claims, "aud", json_string(ttype[0] ? ttype : "NRF"));
	hdr = sd_strdup("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
	cl = json_dumps(claims, JSON_COMPACT);
	json_decref(claims);
	h64 = b64url((unsigned char *)hdr, strlen(hdr));
	c64 = b64url((unsigned char *)cl, strlen(cl));
	signing = sd_printf("%s.%s", h64, c64);
	HMAC(EVP_sha256(), sim->jwt_key, sizeof sim->jwt_key, (unsigned char *)signing,
	     strlen(signing), mac, &maclen);
	sig64 = b64url(mac, maclen);
	tok = sd_printf("%s.%s", signing, sig64);
	sd_sim_resp_json(resp, 200, json_pack("{s:s, s:s, s:i, s:s}", "access_token", tok,
					      "token_type", "Bearer", "expires_in", 3600,
					      "scope", scope));
	resp->extra[0].name = "cache-control";
	resp->extra[0].value = "no-store";
	resp->extra[1].name = "pragma";
	resp->extra[1].value = "no-cache";
	free(hdr);
	free(cl);
	free(h64);
	free(c64);
	free(signing);
	free(sig64);
	free(tok);
}

/* sim/nssf.c — the NSSF: NSSelection for PDU sessions and registration,
 * and NSSAIAvailability with per-TAI change notifications. A slice is
 * offered when the config has it ACTIVE and no slice-down fault holds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "sim/sim.h"

#define NSSEL "/nnssf-nsselection/v2"
#define NSSAI "/nnssf-nssaiavailability/v1"

static bool slice_offered(const struct sd_sim *sim, int idx)
{
	struct sd_sim_degrade dg;
	if (idx < 0 || sim->m->slices[idx].state != SD_SLICE_ACTIVE)
		return false;
	sd_sim_slice_degrade(sim, idx, &dg);
	return !dg.down;
}

bool sd_sim_nssf_offers(const struct sd_sim *sim, uint32_t tac, const struct sd_snssai *sn)
{
	int k;
	for (k = 0; k < sim->m->nslices; k++)
		if (sd_snssai_equal(&sim->m->slices[k].snssai, sn) && slice_offered(sim, k) &&
		    sd_sim_slice_in_tac(sim->m, k, tac))
			return true;
	return false;
}

/* Tai JSON -> TAC; false when malformed or another PLMN. */
static bool tai_parse(const struct sd_sim *sim, const json_t *t, uint32_t *tac)
{
	const char *s = json_string_value(json_object_get(t, "tac"));
	json_t *plmn = json_object_get(t, "plmnId");
	const char *mcc = json_string_value(json_object_get(plmn, "mcc"));
	const char *mnc = json_string_value(json_object_get(plmn, "mnc"));
	char *end;
	size_t n = s ? strlen(s) : 0;
	if ((n != 4 && n != 6) || strspn(s, "0123456789abcdefABCDEF") != n)
		return false;
	if (!mcc || !mnc || strcmp(mcc, sim->m->plmn.mcc) != 0 || strcmp(mnc, sim->m->plmn.mnc) != 0)
		return false;
	*tac = (uint32_t)strtoul(s, &end, 16);
	return true;
}

static void no_nsi(struct sd_sbi_resp *resp, const struct sd_snssai *n)
{
	char title[96];
	if (n->has_sd)
		snprintf(title, sizeof title, "Cannot find NSI by S-NSSAI[SST:%u SD:0x%x]",
			 (unsigned)n->sst, (unsigned)n->sd);
	else
		snprintf(title, sizeof title, "Cannot find NSI by S-NSSAI[SST:%u]", (unsigned)n->sst);
	sd_sim_resp_problem(resp, 403, NSSEL, title, "SNSSAI_NOT_SUPPORTED", NULL,
			    "/network-slice-information");
}

static void select_pdu(struct sd_sim *sim, json_t *info, bool has_tai, uint32_t tac,
		       struct sd_sbi_resp *resp)
{
	struct sd_snssai n;
	char nrf[200], mgt[200], tok[200], nsi[16];
	int idx;
	if (!sd_snssai_from_json(json_object_get(info, "sNssai"), &n, NULL) ||
	    !json_is_string(json_object_get(info, "roamingIndication"))) {
		sd_sim_resp_problem(resp, 400, NSSEL,
				    "slice-info-request-for-pdu-session needs sNssai and roamingIndication",
				    "MANDATORY_QUERY_PARAM_INCORRECT", NULL, "/network-slice-information");
		return;
	}
	idx = sd_sim_slice_by_snssai(sim, &n);
	if (!slice_offered(sim, idx) || (has_tai && !sd_sim_slice_in_tac(sim->m, idx, tac))) {
		no_nsi(resp, &n);
		return;
	}
	snprintf(nrf, sizeof nrf, "%s/nnrf-disc/v1/nf-instances", sim->api_root);
	snprintf(mgt, sizeof mgt, "%s/nnrf-nfm/v1/nf-instances", sim->api_root);
	snprintf(tok, sizeof tok, "%s/oauth2/token", sim->api_root);
	snprintf(nsi, sizeof nsi, "%d", idx + 1);
	sd_sim_resp_json(resp, 200, json_pack("{s:{s:s, s:s, s:s, s:s}}", "nsiInformation",
					      "nrfId", nrf, "nsiId", nsi, "nrfNfMgtUri", mgt,
					      "nrfAccessTokenUri", tok));
}

/* Registration: allowed = requested (or subscribed) slices that are
 * offered (in the TAI when one is given); the rest rejected in the TA. */
static void select_reg(struct sd_sim *sim, json_t *info, bool has_tai, uint32_t tac,
		       struct sd_sbi_resp *resp)
{
	json_t *req = json_object_get(info, "requestedNssai"), *v;
	json_t *allowed = json_array(), *rejected = json_array(), *configured = json_array(), *o;
	size_t i;
	int s;
	if (!json_is_array(req) || !json_array_size(req)) {
		json_t *sub = json_object_get(info, "subscribedNssai");
		req = json_array();
		json_array_foreach(sub, i, v)
			json_array_append(req, json_object_get(v, "subscribedSnssai"));
	} else {
		json_incref(req);
	}
	json_array_foreach(req, i, v) {
		struct sd_snssai n;
		int idx;
		if (!sd_snssai_from_json(v, &n, NULL))
			continue;
		idx = sd_sim_slice_by_snssai(sim, &n);
		if (slice_offered(sim, idx) && (!has_tai || sd_sim_slice_in_tac(sim->m, idx, tac)))
			json_array_append_new(allowed, json_pack("{s:o}", "allowedSnssai",
								 sd_snssai_to_json(&n)));
		else
			json_array_append_new(rejected, sd_snssai_to_json(&n));
	}
	json_decref(req);
	for (s = 0; s < sim->m->nslices; s++)
		if (slice_offered(sim, s))
			json_array_append_new(configured, json_pack("{s:o}", "configuredSnssai",
					      sd_snssai_to_json(&sim->m->slices[s].snssai)));
	o = json_object();
	if (json_array_size(allowed))
		json_object_set_new(o, "allowedNssaiList", json_pack("[{s:o, s:s}]",
				    "allowedSnssaiList", allowed, "accessType", "3GPP_ACCESS"));
	else
		json_decref(allowed);
	if (json_array_size(configured))
		json_object_set_new(o, "configuredNssai", configured);
	else
		json_decref(configured);
	if (json_array_size(rejected))
		json_object_set_new(o, "rejectedNssaiInTa", rejected);
	else
		json_decref(rejected);
	sd_sim_resp_json(resp, 200, o);
}

void sd_sim_nssf_select(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct sd_sim *sim = arg;
	char buf[64];
	json_t *info, *tai;
	bool present, has_tai = false;
	uint32_t tac = 0;

	if (!sd_sbi_req_query(req, "nf-type", buf, sizeof buf) ||
	    !sd_sbi_req_query(req, "nf-id", buf, sizeof buf)) {
		sd_sim_resp_problem(resp, 400, NSSEL, "nf-type and nf-id are mandatory",
				    "MANDATORY_QUERY_PARAM_MISSING", NULL, "/network-slice-information");
		return;
	}
	tai = sd_sim_query_json(req, "tai", &present);
	if (present) {
		if (!tai_parse(sim, tai, &tac)) {
			json_decref(tai);
			sd_sim_resp_problem(resp, 400, NSSEL, "tai is not a Tai of this PLMN",
					    "OPTIONAL_QUERY_PARAM_INCORRECT", NULL,
					    "/network-slice-information");
			return;
		}
		has_tai = true;
	}
	json_decref(tai);
	info = sd_sim_query_json(req, "slice-info-request-for-pdu-session", &present);
	if (present) {
		if (!json_is_object(info))
			sd_sim_resp_problem(resp, 400, NSSEL,
					    "slice-info-request-for-pdu-session is not JSON",
					    "MANDATORY_QUERY_PARAM_INCORRECT", NULL,
					    "/network-slice-information");
		else
			select_pdu(sim, info, has_tai, tac, resp);
		json_decref(info);
		return;
	}
	info = sd_sim_query_json(req, "slice-info-request-for-registration", &present);
	if (present) {
		if (!json_is_object(info))
			sd_sim_resp_problem(resp, 400, NSSEL,
					    "slice-info-request-for-registration is not JSON",
					    "MANDATORY_QUERY_PARAM_INCORRECT", NULL,
					    "/network-slice-information");
		else
			select_reg(sim, info, has_tai, tac, resp);
		json_decref(info);
		return;
	}
	sd_sim_resp_problem(resp, 400, NSSEL, "Not implemented except PDU session and registration",
			    "MANDATORY_QUERY_PARAM_MISSING", NULL, "/network-slice-information");
}

/* authorizedNssaiAvailabilityData for a list of TAIs (all TAIs of the zone
 * when taiList is NULL). A TAI where nothing is offered is left out: the
 * schema wants a non-empty supportedSnssaiList. */
static json_t *authorized(struct sd_sim *sim, const json_t *tai_list)
{
	json_t *out = json_array();
	uint32_t tacs[256];
	int ntacs, i, s;
	if (tai_list) {
		const json_t *t;
		size_t k;
		ntacs = 0;
		json_array_foreach(tai_list, k, t) {
			uint32_t tac;
			json_t *tt = json_is_object(json_object_get(t, "tai")) ?
				     json_object_get(t, "tai") : (json_t *)t;
			if (ntacs < 256 && tai_parse(sim, tt, &tac))
				tacs[ntacs++] = tac;
		}
	} else {
		ntacs = sd_sim_tacs(sim->m, tacs, 256);
	}
	for (i = 0; i < ntacs; i++) {
		json_t *list = json_array();
		for (s = 0; s < sim->m->nslices; s++) {
			const int *same;
			int k, nsame;
			bool dup = false;
			if (!slice_offered(sim, s) || !sd_sim_slice_in_tac(sim->m, s, tacs[i]))
				continue;
			/* listed already when an earlier slice with this S-NSSAI is
			 * offered here: only those slices are looked at (the
			 * model's S-NSSAI index), not every earlier one */
			nsame = sd_model_slices_by_snssai(sim->m, &sim->m->slices[s].snssai, &same);
			for (k = 0; k < nsame && same[k] < s && !dup; k++)
				if (slice_offered(sim, same[k]) &&
				    sd_sim_slice_in_tac(sim->m, same[k], tacs[i]))
					dup = true;
			if (!dup)
				json_array_append_new(list, sd_snssai_to_json(&sim->m->slices[s].snssai));
		}
		if (json_array_size(list))
			json_array_append_new(out, json_pack("{s:o, s:o}", "tai",
					      sd_sim_tai_json(sim, tacs[i]), "supportedSnssaiList", list));
		else
			json_decref(list);
	}
	return out;
}

void sd_sim_nssf_avail_put(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct sd_sim *sim = arg;
	json_t *b = req->body ? json_loadb(req->body, req->body_len, 0, NULL) : NULL;
	json_t *data = json_object_get(b, "supportedNssaiAvailabilityData");
	if (!json_is_array(data) || !json_array_size(data)) {
		json_decref(b);
		sd_sim_resp_problem(resp, 400, NSSAI, "supportedNssaiAvailabilityData is mandatory",
				    "MANDATORY_IE_MISSING", NULL, "/nssai-availability");
		return;
	}
	sd_sim_resp_json(resp, 200, json_pack("{s:o}", "authorizedNssaiAvailabilityData",
					      authorized(sim, data)));
	json_decref(b);
}

void sd_sim_nssf_subscribe(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct sd_sim *sim = arg;
	json_t *b = req->body ? json_loadb(req->body, req->body_len, 0, NULL) : NULL;
	const char *uri = json_string_value(json_object_get(b, "nfNssaiAvailabilityUri"));
	json_t *tais = json_object_get(b, "taiList"), *o;
	const char *ev = json_string_value(json_object_get(b, "event"));
	struct sd_sim_sub *s;

	if (!json_is_object(b) || !uri || (strncmp(uri, "http://", 7) != 0 &&
	    strncmp(uri, "https://", 8) != 0) || strlen(uri) >= 500 ||
	    !json_is_array(tais) || !json_array_size(tais) || !ev) {
		json_decref(b);
		sd_sim_resp_problem(resp, 400, NSSAI,
				    "nfNssaiAvailabilityUri, taiList and event are mandatory",
				    "MANDATORY_IE_MISSING", NULL, "/nssai-availability/subscriptions");
		return;
	}
	s = sd_sim_sub_new(sim, SD_SUB_NSSF, uri, b, 0);
	json_decref(b);
	if (!s) {
		sd_sim_resp_problem(resp, 500, NSSAI, "Too many subscriptions",
				    "INSUFFICIENT_RESOURCES", NULL, "/nssai-availability/subscriptions");
		return;
	}
	/* the expiry asked for, up to 24 h; 24 h when none was asked */
	s->expiry_wall = sd_sim_sub_grant(json_object_get(s->req, "expiry"));
	{
		char ts[40];
		sd_sim_fmt_time(s->expiry_wall, ts, sizeof ts);
		json_object_set_new(s->req, "expiry", json_string(ts));
	}
	o = json_pack("{s:s}", "subscriptionId", s->id);
	json_object_set_new(o, "authorizedNssaiAvailabilityData", authorized(sim, tais));
	json_object_set(o, "expiry", json_object_get(s->req, "expiry"));
	sd_sim_resp_location(resp, "%s" NSSAI "/nssai-availability/subscriptions/%s",
			     sim->api_root, s->id);
	sd_sim_resp_json(resp, 201, o);
}

json_t *sd_sim_nssf_report(struct sd_sim *sim, const struct sd_sim_sub *s)
{
	return json_pack("{s:s, s:o}", "subscriptionId", s->id, "authorizedNssaiAvailabilityData",
			 authorized(sim, json_object_get(s->req, "taiList")));
}

/* UpdateNSSAIAvailabilitySubscription: a JSON Patch; /expiry renews as
 * asked (up to 24 h), other paths are accepted and ignored. */
void sd_sim_nssf_sub_patch(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct sd_sim *sim = arg;
	struct sd_sim_sub *s = req->nparams ? sd_sim_sub_find(sim, SD_SUB_NSSF, req->params[0]) : NULL;
	json_t *v;
	char ts[40];
	if (!s) {
		sd_sim_resp_problem(resp, 404, NSSAI, "Subscription not found", "SUBSCRIPTION_NOT_FOUND",
				    NULL, "/nssai-availability/subscriptions");
		return;
	}
	if (!sd_sim_sub_patch_expiry(req, "/expiry", &v)) {
		sd_sim_resp_problem(resp, 400, NSSAI, "A JSON Patch (array of PatchItem) is expected",
				    "MANDATORY_IE_INCORRECT", NULL, "/nssai-availability/subscriptions");
		return;
	}
	if (v) {
		s->expiry_wall = sd_sim_sub_grant(v);
		sd_sim_fmt_time(s->expiry_wall, ts, sizeof ts);
		json_object_set_new(s->req, "expiry", json_string(ts));
		s->renewals++;
		json_decref(v);
	}
	sd_sim_resp_empty(resp, 204);
}

void sd_sim_nssf_sub_delete(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct sd_sim *sim = arg;
	struct sd_sim_sub *s = req->nparams ? sd_sim_sub_find(sim, SD_SUB_NSSF, req->params[0]) : NULL;
	if (!s) {
		sd_sim_resp_problem(resp, 404, NSSAI, "Subscription not found", "SUBSCRIPTION_NOT_FOUND",
				    NULL, "/nssai-availability/subscriptions");
		return;
	}
	sd_sim_sub_free(sim, s);
	sd_sim_resp_empty(resp, 204);
}

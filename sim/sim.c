/* sim/sim.c — the simulator's core: NF instances and their heartbeats,
 * the route table with fault injection, subscriptions and notification
 * delivery, and the 1 s tick that ties the model to the API. */
#include "sim/sim.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/log.h"
#include "core/sbi_client.h"
#include "core/util.h"
#include "sim/charging.h"
#include "sim/control.h"
#include "sim/timeline.h"

/* --- route table -------------------------------------------------------- */

struct route_def {
	const char *method;
	const char *tmpl;
	const char *nf;      /* NF type whose API this is */
	sd_sbi_handler h;
};

/* The APIs an Open5GS core does not serve (its NRF has no /oauth2/token,
 * its NSSF only nnssf-nsselection, its AMF and SMF no event exposure, and
 * it has no NWDAF at all). */
static bool open5gs_lacks(const char *tmpl)
{
	static const char *const prefixes[] = {
		"/oauth2/", "/nnssf-nssaiavailability/", "/nnwdaf-", "/namf-evts/",
		"/nsmf-event-exposure/",
	};
	size_t i;
	for (i = 0; i < SD_ARRAY_LEN(prefixes); i++)
		if (strncmp(tmpl, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

static bool open5gs_lacks_service(const char *name)
{
	return strcmp(name, "nnrf-oauth2") == 0 || strcmp(name, "nnssf-nssaiavailability") == 0 ||
	       strcmp(name, "namf-evts") == 0 || strcmp(name, "nsmf-event-exposure") == 0;
}

int sd_sim_profile_parse(const char *s)
{
	if (s && strcmp(s, "spec") == 0)
		return SD_SIM_PROFILE_SPEC;
	if (s && strcmp(s, "open5gs-like") == 0)
		return SD_SIM_PROFILE_OPEN5GS;
	return -1;
}

const char *sd_sim_profile_name(enum sd_sim_profile p)
{
	return p == SD_SIM_PROFILE_OPEN5GS ? "open5gs-like" : "spec";
}

static const struct route_def route_defs[] = {
	{ "GET",    "/nnrf-nfm/v1/nf-instances", "NRF", sd_sim_nrf_list },
	{ "GET",    "/nnrf-nfm/v1/nf-instances/{nfInstanceID}", "NRF", sd_sim_nrf_get },
	{ "PUT",    "/nnrf-nfm/v1/nf-instances/{nfInstanceID}", "NRF", sd_sim_nrf_put },
	{ "PATCH",  "/nnrf-nfm/v1/nf-instances/{nfInstanceID}", "NRF", sd_sim_nrf_patch },
	{ "DELETE", "/nnrf-nfm/v1/nf-instances/{nfInstanceID}", "NRF", sd_sim_nrf_delete },
	{ "POST",   "/nnrf-nfm/v1/subscriptions", "NRF", sd_sim_nrf_subscribe },
	{ "PATCH",  "/nnrf-nfm/v1/subscriptions/{subscriptionID}", "NRF", sd_sim_nrf_sub_patch },
	{ "DELETE", "/nnrf-nfm/v1/subscriptions/{subscriptionID}", "NRF", sd_sim_nrf_sub_delete },
	{ "GET",    "/nnrf-disc/v1/nf-instances", "NRF", sd_sim_nrf_discover },
	{ "POST",   "/oauth2/token", "NRF", sd_sim_nrf_token },
	{ "GET",    "/nnssf-nsselection/v2/network-slice-information", "NSSF", sd_sim_nssf_select },
	{ "PUT",    "/nnssf-nssaiavailability/v1/nssai-availability/{nfId}", "NSSF",
		    sd_sim_nssf_avail_put },
	{ "POST",   "/nnssf-nssaiavailability/v1/nssai-availability/subscriptions", "NSSF",
		    sd_sim_nssf_subscribe },
	{ "PATCH",  "/nnssf-nssaiavailability/v1/nssai-availability/subscriptions/{subscriptionId}",
		    "NSSF", sd_sim_nssf_sub_patch },
	{ "DELETE", "/nnssf-nssaiavailability/v1/nssai-availability/subscriptions/{subscriptionId}",
		    "NSSF", sd_sim_nssf_sub_delete },
	{ "GET",    "/nnwdaf-analyticsinfo/v1/analytics", "NWDAF", sd_sim_nwdaf_analytics },
	{ "POST",   "/nnwdaf-eventssubscription/v1/subscriptions", "NWDAF", sd_sim_nwdaf_subscribe },
	{ "PUT",    "/nnwdaf-eventssubscription/v1/subscriptions/{subscriptionId}", "NWDAF",
		    sd_sim_nwdaf_sub_put },
	{ "DELETE", "/nnwdaf-eventssubscription/v1/subscriptions/{subscriptionId}", "NWDAF",
		    sd_sim_nwdaf_sub_delete },
	{ "POST",   "/namf-evts/v1/subscriptions", "AMF", sd_sim_amf_subscribe },
	{ "PATCH",  "/namf-evts/v1/subscriptions/{subscriptionId}", "AMF", sd_sim_amf_sub_patch },
	{ "DELETE", "/namf-evts/v1/subscriptions/{subscriptionId}", "AMF", sd_sim_amf_sub_delete },
	{ "POST",   "/nsmf-event-exposure/v1/subscriptions", "SMF", sd_sim_smf_subscribe },
	{ "GET",    "/nsmf-event-exposure/v1/subscriptions/{subId}", "SMF", sd_sim_smf_sub_get },
	{ "PUT",    "/nsmf-event-exposure/v1/subscriptions/{subId}", "SMF", sd_sim_smf_sub_put },
	{ "DELETE", "/nsmf-event-exposure/v1/subscriptions/{subId}", "SMF", sd_sim_smf_sub_delete },
};

struct sd_sim_route {
	struct sd_sim *sim;
	int idx;
};

int sd_sim_route_index(const struct sd_sim *sim, const char *method, const char *tmpl)
{
	size_t i;
	(void)sim;
	for (i = 0; i < SD_ARRAY_LEN(route_defs); i++)
		if (strcmp(route_defs[i].method, method) == 0 && strcmp(route_defs[i].tmpl, tmpl) == 0)
			return (int)i;
	return -1;
}

/* --- time ------------------------------------------------------------- */

int64_t sd_sim_mono(const struct sd_sim *sim)
{
	return sim->fixed_mono_ms ? sim->fixed_mono_ms : sd_now_ms();
}

int64_t sd_sim_time(const struct sd_sim *sim)
{
	if (sim->fixed_time_ms)
		return sim->fixed_time_ms;
	return sim->wall_start +
	       (int64_t)((double)(sd_sim_mono(sim) - sim->mono_start) * sim->o.speed);
}

void sd_sim_fmt_time(int64_t wall_ms, char *buf, size_t bufsz)
{
	sd_fmt_time(wall_ms, buf, bufsz);
}

void sd_sim_bitrate(double mbps, char *buf, size_t bufsz)
{
	if (mbps < 0)
		mbps = 0;
	if (mbps >= 1000.0)
		snprintf(buf, bufsz, "%.3f Gbps", mbps / 1000.0);
	else if (mbps >= 1.0)
		snprintf(buf, bufsz, "%.3f Mbps", mbps);
	else
		snprintf(buf, bufsz, "%.3f Kbps", mbps * 1000.0);
}

/* --- responses -------------------------------------------------------- */

void sd_sim_resp_json(struct sd_sbi_resp *resp, int status, json_t *j)
{
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	free(resp->body);
	resp->status = status;
	sd_strlcpy(resp->content_type, "application/json", sizeof resp->content_type);
	resp->body = text;
	resp->body_len = text ? strlen(text) : 0;
}

void sd_sim_resp_problem(struct sd_sbi_resp *resp, int status, const char *api,
			 const char *title, const char *cause, const char *detail,
			 const char *instance)
{
	json_t *p = json_object();
	if (api)
		json_object_set_new(p, "type", json_string(api));
	json_object_set_new(p, "title", json_string(title));
	json_object_set_new(p, "status", json_integer(status));
	if (detail)
		json_object_set_new(p, "detail", json_string(detail));
	if (instance)
		json_object_set_new(p, "instance", json_string(instance));
	if (cause)
		json_object_set_new(p, "cause", json_string(cause));
	sd_sim_resp_json(resp, status, p);
	sd_strlcpy(resp->content_type, "application/problem+json", sizeof resp->content_type);
}

void sd_sim_resp_empty(struct sd_sbi_resp *resp, int status)
{
	free(resp->body);
	resp->body = NULL;
	resp->body_len = 0;
	resp->status = status;
}

void sd_sim_resp_location(struct sd_sbi_resp *resp, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(resp->location, sizeof resp->location, fmt, ap);
	va_end(ap);
}

json_t *sd_sim_plmn_json(const struct sd_sim *sim)
{
	return json_pack("{s:s, s:s}", "mcc", sim->m->plmn.mcc, "mnc", sim->m->plmn.mnc);
}

json_t *sd_sim_tai_json(const struct sd_sim *sim, uint32_t tac)
{
	char t[8];
	snprintf(t, sizeof t, "%06x", tac & 0xffffffu);
	return json_pack("{s:o, s:s}", "plmnId", sd_sim_plmn_json(sim), "tac", t);
}

json_t *sd_sim_query_json(const struct sd_sbi_req *req, const char *name, bool *present)
{
	char buf[4096];
	json_error_t e;
	*present = false;
	if (!sd_sbi_req_query(req, name, buf, sizeof buf)) {
		/* absent, or too long: tell them apart by the raw query */
		if (req->query && strstr(req->query, name))
			*present = true;
		return NULL;
	}
	*present = true;
	return json_loads(buf, JSON_REJECT_DUPLICATES, &e);
}

/* --- NF instances ------------------------------------------------------- */

struct sd_sim_nf *sd_sim_nf_by_id(struct sd_sim *sim, const char *id)
{
	int i;
	for (i = 0; i < sim->nnfs; i++)
		if (strcasecmp(sim->nfs[i].id, id) == 0)
			return &sim->nfs[i];
	return NULL;
}

struct sd_sim_nf *sd_sim_nf_by_name(struct sd_sim *sim, const char *name)
{
	int i;
	for (i = 0; i < sim->nnfs; i++)
		if (strcmp(sim->nfs[i].name, name) == 0)
			return &sim->nfs[i];
	return NULL;
}

bool sd_sim_type_up(const struct sd_sim *sim, const char *type)
{
	int i;
	for (i = 0; i < sim->nnfs; i++) {
		const struct sd_sim_nf *nf = &sim->nfs[i];
		if (nf->emulated && strcmp(nf->type, type) == 0 && !nf->down)
			return true;
	}
	return false;
}

int sd_sim_nf_load(const struct sd_sim *sim, const struct sd_sim_nf *nf)
{
	int64_t t = sd_sim_time(sim);
	double cur = sd_sim_diurnal(t, sim->o.utc_offset_min);
	uint64_t h = sd_sim_hash_str(sim->o.seed, nf->name);
	double base = 10.0 + 30.0 * sd_sim_hash_unit(h);
	double v = base + 45.0 * cur +
		   4.0 * sd_sim_hash_normal(sd_sim_hash(sim->o.seed, h, 7,
							(uint64_t)(t / SD_SIM_BUCKET_MS)));
	if (nf->down)
		return 0;
	return v < 0 ? 0 : v > 100 ? 100 : (int)v;
}

static void add_nf(struct sd_sim *sim, const char *type, const char *name, int factory)
{
	struct sd_sim_nf *nf;
	if (sim->nnfs >= SD_SIM_MAX_NFS)
		return;
	nf = &sim->nfs[sim->nnfs++];
	memset(nf, 0, sizeof *nf);
	sd_strlcpy(nf->type, type, sizeof nf->type);
	sd_strlcpy(nf->name, name, sizeof nf->name);
	sd_sim_uuid(sim->o.seed, name, nf->id, sizeof nf->id);
	nf->factory = factory;
	nf->emulated = true;
	nf->registered = true;
	nf->status = SD_NF_REGISTERED;
	nf->hb_s = sim->o.hb_timer_s;
	nf->last_hb_ms = sd_sim_mono(sim);
}

/* The zone's core: one of each control-plane NF, an SMF pair, a shared
 * UPF, and an on-premises UPF for every hybrid or independent factory. */
static void build_nfs(struct sd_sim *sim)
{
	static const char *const shared[][2] = {
		{ "NRF", "nrf" }, { "NSSF", "nssf" }, { "AMF", "amf" }, { "SMF", "smf-1" },
		{ "SMF", "smf-2" }, { "PCF", "pcf" }, { "NWDAF", "nwdaf" }, { "UDM", "udm" },
		{ "AUSF", "ausf" }, { "UPF", "upf-core" },
	};
	bool o5 = sim->o.profile == SD_SIM_PROFILE_OPEN5GS;
	size_t i;
	int f;
	for (i = 0; i < SD_ARRAY_LEN(shared); i++)
		if (!o5 || (strcmp(shared[i][0], "NWDAF") != 0 && strcmp(shared[i][0], "UPF") != 0))
			add_nf(sim, shared[i][0], shared[i][1], -1);
	if (o5)
		return;   /* Open5GS has no NWDAF, and its UPF does not register */
	for (f = 0; f < sim->m->nfactories; f++) {
		char name[48];
		if (sim->m->factories[f].mode == SD_MODE_VIRTUAL)
			continue;
		snprintf(name, sizeof name, "upf-%s", sim->m->factories[f].id);
		add_nf(sim, "UPF", name, f);
	}
}

/* --- services and profiles --------------------------------------------- */

struct svc { const char *type, *name, *ver, *full; };
static const struct svc services[] = {
	{ "NRF", "nnrf-nfm", "v1", "1.2.6" },
	{ "NRF", "nnrf-disc", "v1", "1.2.6" },
	{ "NRF", "nnrf-oauth2", "v1", "1.2.1" },
	{ "NSSF", "nnssf-nsselection", "v2", "2.2.1" },
	{ "NSSF", "nnssf-nssaiavailability", "v1", "1.2.1" },
	{ "AMF", "namf-comm", "v1", "1.2.3" },
	{ "AMF", "namf-evts", "v1", "1.2.3" },
	{ "SMF", "nsmf-pdusession", "v1", "1.2.3" },
	{ "SMF", "nsmf-event-exposure", "v1", "1.2.2" },
	{ "PCF", "npcf-am-policy-control", "v1", "1.2.3" },
	{ "PCF", "npcf-smpolicycontrol", "v1", "1.2.3" },
	{ "PCF", "npcf-policyauthorization", "v1", "1.2.3" },
	{ "NWDAF", "nnwdaf-analyticsinfo", "v1", "1.2.2" },
	{ "NWDAF", "nnwdaf-eventssubscription", "v1", "1.2.3" },
	{ "UDM", "nudm-sdm", "v2", "2.2.4" },
	{ "UDM", "nudm-uecm", "v1", "1.2.3" },
	{ "UDM", "nudm-ueau", "v1", "1.2.3" },
	{ "AUSF", "nausf-auth", "v1", "1.2.3" },
};

/* Does this slice belong in this NF's profile? Live slices only; a UPF
 * carries its factory's slices (the shared one the virtual factories'). */
static bool nf_serves_slice(const struct sd_sim *sim, const struct sd_sim_nf *nf, int s)
{
	const struct sd_slice *sl = &sim->m->slices[s];
	if (sl->state == SD_SLICE_DECOMMISSIONED || sl->state == SD_SLICE_REJECTED ||
	    sl->state == SD_SLICE_REQUESTED)
		return false;
	if (strcmp(nf->type, "UPF") == 0) {
		if (nf->factory >= 0)
			return sl->factory == nf->factory;
		return sl->factory < 0 || sl->factory >= sim->m->nfactories ||
		       sim->m->factories[sl->factory].mode == SD_MODE_VIRTUAL;
	}
	return true;
}

static json_t *endpoint(const struct sd_sim *sim)
{
	if (strchr(sim->host, ':'))
		return json_pack("{s:s, s:s, s:i}", "ipv6Address", sim->host, "transport", "TCP",
				 "port", sim->port);
	return json_pack("{s:s, s:s, s:i}", "ipv4Address", sim->host, "transport", "TCP",
			 "port", sim->port);
}

static const char *dnn_of(const struct sd_slice *sl)
{
	return sl->dnn[0] ? sl->dnn : "internet";
}

json_t *sd_sim_nf_profile(const struct sd_sim *sim, const struct sd_sim_nf *nf,
			  bool services_map)
{
	json_t *p, *snssais, *svcs, *tais;
	char ts[40];
	uint32_t tacs[256];
	int ntacs = sd_sim_tacs(sim->m, tacs, 256), i, s;
	size_t k;
	const char *status = sd_nf_status_name(nf->status);

	if (!nf->emulated) {
		p = json_deep_copy(nf->peer_profile);
		json_object_set_new(p, "nfStatus", json_string(status));
		if (!services_map && json_is_object(json_object_get(p, "nfServiceList"))) {
			/* discovery flavour: the map becomes an array */
			json_t *arr = json_array(), *v;
			const char *key;
			json_object_foreach(json_object_get(p, "nfServiceList"), key, v)
				json_array_append(arr, v);
			json_object_del(p, "nfServiceList");
			json_object_set_new(p, "nfServices", arr);
		}
		return p;
	}
	p = json_pack("{s:s, s:s, s:s}", "nfInstanceId", nf->id, "nfType", nf->type,
		      "nfStatus", status);
	/* Open5GS NFs send no nfInstanceName */
	if (sim->o.profile != SD_SIM_PROFILE_OPEN5GS)
		json_object_set_new(p, "nfInstanceName", json_string(nf->name));
	if (services_map)
		json_object_set_new(p, "heartBeatTimer", json_integer(nf->hb_s));
	json_object_set_new(p, "plmnList", json_pack("[o]", sd_sim_plmn_json(sim)));
	snssais = json_array();
	if (!sim->m->ix)
		sd_model_reindex((struct sd_model *)sim->m);   /* lookup tables only */
	for (s = 0; s < sim->m->nslices; s++) {
		const int *same;
		int nsame, j;
		bool first = true;
		if (!nf_serves_slice(sim, nf, s))
			continue;
		/* listed once: only at the first served slice with this S-NSSAI
		 * (the index, not a scan of every earlier slice) */
		nsame = sd_model_slices_by_snssai(sim->m, &sim->m->slices[s].snssai, &same);
		for (j = 0; j < nsame && same[j] < s; j++)
			if (nf_serves_slice(sim, nf, same[j]))
				first = false;
		if (first)
			json_array_append_new(snssais, sd_snssai_to_json(&sim->m->slices[s].snssai));
	}
	if (json_array_size(snssais))
		json_object_set_new(p, "sNssais", snssais);
	else
		json_decref(snssais);
	json_object_set_new(p, strchr(sim->host, ':') ? "ipv6Addresses" : "ipv4Addresses",
			    json_pack("[s]", sim->host));
	json_object_set_new(p, "priority", json_integer(0));
	json_object_set_new(p, "capacity", json_integer(100));
	json_object_set_new(p, "load", json_integer(sd_sim_nf_load(sim, nf)));
	sd_sim_fmt_time(sd_wall_ms(), ts, sizeof ts);
	json_object_set_new(p, "loadTimeStamp", json_string(ts));
	json_object_set_new(p, "locality", json_string(nf->factory >= 0 ?
			    sim->m->factories[nf->factory].id : "core"));

	tais = json_array();
	for (i = 0; i < ntacs; i++)
		json_array_append_new(tais, sd_sim_tai_json(sim, tacs[i]));
	if (strcmp(nf->type, "AMF") == 0) {
		json_t *ai = json_pack("{s:s, s:s, s:[{s:o, s:s}]}", "amfSetId", "001",
				       "amfRegionId", "01", "guamiList", "plmnId",
				       sd_sim_plmn_json(sim), "amfId", "010040");
		if (ntacs)
			json_object_set(ai, "taiList", tais);
		json_object_set_new(p, "amfInfo", ai);
	} else if (strcmp(nf->type, "SMF") == 0 || strcmp(nf->type, "UPF") == 0) {
		bool smf = nf->type[0] == 'S';
		json_t *list = json_array();
		for (s = 0; s < sim->m->nslices; s++) {
			const struct sd_slice *sl = &sim->m->slices[s];
			if (!nf_serves_slice(sim, nf, s))
				continue;
			json_array_append_new(list, json_pack("{s:o, s:[{s:s}]}", "sNssai",
					      sd_snssai_to_json(&sl->snssai),
					      smf ? "dnnSmfInfoList" : "dnnUpfInfoList",
					      "dnn", dnn_of(sl)));
		}
		if (json_array_size(list)) {
			json_t *info = json_pack("{s:o}", smf ? "sNssaiSmfInfoList" :
						 "sNssaiUpfInfoList", list);
			if (smf && ntacs)
				json_object_set(info, "taiList", tais);
			json_object_set_new(p, smf ? "smfInfo" : "upfInfo", info);
		} else {
			json_decref(list);
		}
	} else if (strcmp(nf->type, "NWDAF") == 0) {
		json_object_set_new(p, "nwdafInfo", json_pack(
			"{s:[s,s,s,s,s], s:[s,s,s,s,s]}",
			"eventIds", "LOAD_LEVEL_INFORMATION", "NETWORK_PERFORMANCE",
			"QOS_SUSTAINABILITY", "NF_LOAD", "DN_PERFORMANCE",
			"nwdafEvents", "SLICE_LOAD_LEVEL", "NETWORK_PERFORMANCE",
			"QOS_SUSTAINABILITY", "NF_LOAD", "DN_PERFORMANCE"));
	}
	json_decref(tais);

	svcs = services_map ? json_object() : json_array();
	for (k = 0; k < SD_ARRAY_LEN(services); k++) {
		char sid[48], key[96];
		json_t *sv;
		if (strcmp(services[k].type, nf->type) != 0)
			continue;
		if (sim->o.profile == SD_SIM_PROFILE_OPEN5GS && open5gs_lacks_service(services[k].name))
			continue;
		snprintf(key, sizeof key, "%s/%s", nf->name, services[k].name);
		sd_sim_uuid(sim->o.seed, key, sid, sizeof sid);
		sv = json_pack("{s:s, s:s, s:[{s:s, s:s}], s:s, s:s, s:[o]}",
			       "serviceInstanceId", sid, "serviceName", services[k].name,
			       "versions", "apiVersionInUri", services[k].ver,
			       "apiFullVersion", services[k].full,
			       "scheme", sim->o.cert_file && !sim->o.advertise_http ? "https" : "http",
			       "nfServiceStatus", status, "ipEndPoints", endpoint(sim));
		if (services_map)
			json_object_set_new(svcs, sid, sv);
		else
			json_array_append_new(svcs, sv);
	}
	if (json_object_size(svcs) || json_array_size(svcs))
		json_object_set_new(p, services_map ? "nfServiceList" : "nfServices", svcs);
	else
		json_decref(svcs);
	return p;
}

/* --- subscriptions ------------------------------------------------------ */

static const char *kind_nf(enum sd_sim_sub_kind k)
{
	static const char *const n[] = { "NRF", "NSSF", "NWDAF", "AMF", "SMF" };
	return n[k];
}

static void sub_timer_cb(struct sd_loop *loop, uint64_t id, void *arg);

struct sd_sim_sub *sd_sim_sub_new(struct sd_sim *sim, enum sd_sim_sub_kind kind,
				  const char *uri, json_t *req, int period_s)
{
	int i;
	struct sd_sim_sub *s = NULL;
	for (i = 0; i < SD_SIM_MAX_SUBS; i++)
		if (!sim->subs[i].used) {
			s = &sim->subs[i];
			break;
		}
	if (!s)
		return NULL;
	memset(s, 0, sizeof *s);
	s->used = true;
	s->kind = kind;
	snprintf(s->id, sizeof s->id, "%016llx", (unsigned long long)
		 sd_sim_hash(sim->o.seed, 0x5ab5, kind, ++sim->sub_seq));
	sd_strlcpy(s->uri, uri, sizeof s->uri);
	s->req = json_incref(req);
	s->period_s = period_s;
	s->owner = sim;
	if (period_s > 0 && sim->loop)
		s->timer = sd_loop_timer_add(sim->loop, (int64_t)period_s * 1000, sub_timer_cb, s);
	return s;
}

void sd_sim_sub_rearm(struct sd_sim *sim, struct sd_sim_sub *s)
{
	if (s->used && !s->timer && s->period_s > 0 && sim->loop)
		s->timer = sd_loop_timer_add(sim->loop, (int64_t)s->period_s * 1000, sub_timer_cb, s);
}

struct sd_sim_sub *sd_sim_sub_find(struct sd_sim *sim, enum sd_sim_sub_kind kind, const char *id)
{
	int i;
	for (i = 0; i < SD_SIM_MAX_SUBS; i++)
		if (sim->subs[i].used && sim->subs[i].kind == kind && strcmp(sim->subs[i].id, id) == 0)
			return &sim->subs[i];
	return NULL;
}

void sd_sim_sub_free(struct sd_sim *sim, struct sd_sim_sub *s)
{
	if (!s || !s->used)
		return;
	if (s->timer && sim->loop)
		sd_loop_timer_del(sim->loop, s->timer);
	json_decref(s->req);
	free(s->sessions);
	memset(s, 0, sizeof *s);
}

int sd_sim_sub_count(const struct sd_sim *sim, enum sd_sim_sub_kind kind)
{
	int i, n = 0;
	for (i = 0; i < SD_SIM_MAX_SUBS; i++)
		if (sim->subs[i].used && sim->subs[i].kind == kind)
			n++;
	return n;
}

static json_t *report_for(struct sd_sim *sim, struct sd_sim_sub *s, const char **callback)
{
	switch (s->kind) {
	case SD_SUB_NWDAF:
		*callback = "Nnwdaf_EventsSubscription_Notify";
		return sd_sim_nwdaf_report(sim, s);
	case SD_SUB_AMF:
		*callback = "Namf_EventExposure_Notify";
		return sd_sim_amf_report(sim, s);
	case SD_SUB_SMF:
		*callback = "Nsmf_EventExposure_Notify";
		return sd_sim_smf_report(sim, s);
	case SD_SUB_NSSF:
		*callback = "Nnssf_NSSAIAvailability_Notification";
		return sd_sim_nssf_report(sim, s);
	default:
		return NULL;
	}
}

static void sub_timer_cb(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct sd_sim_sub *s = arg;
	struct sd_sim *sim = s->owner;
	const char *cb = NULL;
	json_t *body;

	(void)id;
	s->timer = 0;
	if (!sim || !s->used)
		return;
	if (s->expiry_wall && sd_wall_ms() >= s->expiry_wall) {
		sd_info("subscription %s expired", s->id);
		sd_sim_sub_free(sim, s);
		return;
	}
	body = report_for(sim, s, &cb);
	if (body) {
		sd_sim_notify(sim, s, cb, body);
		s->nreports++;
	}
	if (s->max_reports && s->nreports >= s->max_reports) {
		sd_sim_sub_free(sim, s);
		return;
	}
	s->timer = sd_loop_timer_add(loop, (int64_t)s->period_s * 1000, sub_timer_cb, s);
}

/* --- notification delivery --------------------------------------------- */

struct notif {
	struct sd_sim *sim;
	char *body;
	char hdr[96];
	char label[96];       /* client health label: one per callback host */
	char sub_id[24];
	enum sd_sim_sub_kind kind;
};

static void notif_done(const struct sd_sbi_result *res, void *arg)
{
	struct notif *n = arg;
	struct sd_sim *sim = n->sim;
	struct sd_sim_sub *s = sd_sim_sub_find(sim, n->kind, n->sub_id);

	sim->pending--;
	if (res->err == SD_SBI_OK && res->status >= 200 && res->status < 300) {
		sim->notif_sent++;
		if (s)
			s->failures = 0;
	} else {
		sim->notif_failed++;
		if (s)
			s->failures++;
		sd_debug("notification for subscription %s failed: %s", n->sub_id,
			 res->errmsg && res->errmsg[0] ? res->errmsg : sd_sbi_strerror(res->err));
	}
	free(n->body);
	free(n);
}

void sd_sim_notify(struct sd_sim *sim, struct sd_sim_sub *s, const char *callback, json_t *body)
{
	struct sd_sbi_reqopts o = {0};
	struct notif *n;
	const char *nf = kind_nf(s->kind);

	if (!body)
		return;
	if (!sim->cli || !sd_sim_type_up(sim, nf) || sim->pending >= SD_SIM_MAX_PENDING) {
		sim->notif_dropped++;
		json_decref(body);
		return;
	}
	n = sd_calloc(1, sizeof *n);
	n->sim = sim;
	n->kind = s->kind;
	sd_strlcpy(n->sub_id, s->id, sizeof n->sub_id);
	n->body = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	snprintf(n->hdr, sizeof n->hdr, "3gpp-Sbi-Callback: %s", callback);
	/* Health is tracked per label in the client: label by the consumer's
	 * host:port, so one dead subscriber does not silence the others. */
	{
		const char *h = strstr(s->uri, "://");
		size_t hl;
		h = h ? h + 3 : s->uri;
		hl = strcspn(h, "/?#");
		snprintf(n->label, sizeof n->label, "%s notify %.*s", nf, (int)(hl > 64 ? 64 : hl), h);
	}
	o.nf = n->label;
	o.method = "POST";
	o.url = s->uri;
	o.body = n->body;
	o.body_len = strlen(n->body);
	o.content_type = "application/json";
	o.extra_headers[0] = n->hdr;
	o.timeout_ms = 5000;
	o.no_retry = true;
	sim->pending++;
	if (sd_sbi_request(sim->cli, &o, notif_done, n) != 0) {
		sim->pending--;
		sim->notif_failed++;
		free(n->body);
		free(n);
	}
}

/* NRF subscription filter: subscrCond (nfType / nfInstanceId /
 * serviceName / nfInstanceIdList) and reqNotifEvents. */
static bool nrf_sub_wants(struct sd_sim *sim, const struct sd_sim_sub *s,
			  const struct sd_sim_nf *nf, const char *event)
{
	json_t *cond = json_object_get(s->req, "subscrCond");
	json_t *evs = json_object_get(s->req, "reqNotifEvents"), *v;
	size_t i;
	(void)sim;
	if (json_is_array(evs) && json_array_size(evs)) {
		bool hit = false;
		json_array_foreach(evs, i, v)
			if (json_is_string(v) && strcmp(json_string_value(v), event) == 0)
				hit = true;
		if (!hit)
			return false;
	}
	if (!json_is_object(cond))
		return true;
	if ((v = json_object_get(cond, "nfType")))
		return json_is_string(v) && strcmp(json_string_value(v), nf->type) == 0;
	if ((v = json_object_get(cond, "nfInstanceId")))
		return json_is_string(v) && strcasecmp(json_string_value(v), nf->id) == 0;
	if ((v = json_object_get(cond, "nfInstanceIdList"))) {
		json_t *x;
		json_array_foreach(v, i, x)
			if (json_is_string(x) && strcasecmp(json_string_value(x), nf->id) == 0)
				return true;
		return false;
	}
	if ((v = json_object_get(cond, "serviceName"))) {
		size_t k;
		if (!json_is_string(v))
			return false;
		for (k = 0; k < SD_ARRAY_LEN(services); k++)
			if (strcmp(services[k].type, nf->type) == 0 &&
			    strcmp(services[k].name, json_string_value(v)) == 0)
				return true;
		return false;
	}
	return true;
}

void sd_sim_nrf_status_notify(struct sd_sim *sim, struct sd_sim_nf *nf, const char *event)
{
	int i;
	char uri[256];
	snprintf(uri, sizeof uri, "%s/nnrf-nfm/v1/nf-instances/%s", sim->api_root, nf->id);
	sd_notice("NRF: %s %s (%s) -> %s", event, nf->name, nf->type, sd_nf_status_name(nf->status));
	for (i = 0; i < SD_SIM_MAX_SUBS; i++) {
		struct sd_sim_sub *s = &sim->subs[i];
		json_t *body;
		if (!s->used || s->kind != SD_SUB_NRF || !nrf_sub_wants(sim, s, nf, event))
			continue;
		body = json_pack("{s:s, s:s}", "event", event, "nfInstanceUri", uri);
		if (strcmp(event, "NF_DEREGISTERED") != 0)
			json_object_set_new(body, "nfProfile", sd_sim_nf_profile(sim, nf, true));
		sd_sim_notify(sim, s, "Nnrf_NFManagement_NFStatusNotify", body);
	}
}

/* --- faults -------------------------------------------------------------- */

/* Does fault f address the API of NF type `type`? Its nf scope may be the
 * type or an instance name (then that instance's type). */
static bool fault_hits_api(struct sd_sim *sim, const struct sd_sim_fault *f, const char *type)
{
	struct sd_sim_nf *nf;
	if (!f->nf[0] || strcasecmp(f->nf, type) == 0)
		return true;
	nf = sd_sim_nf_by_name(sim, f->nf);
	return nf && strcmp(nf->type, type) == 0;
}

static bool nf_fault_down(const struct sd_sim *sim, const struct sd_sim_nf *nf)
{
	int i;
	for (i = 0; i < sim->faults.n; i++) {
		const struct sd_sim_fault *f = &sim->faults.f[i];
		if (f->kind == SD_FAULT_NF_DOWN && f->nf[0] &&
		    sd_sim_fault_nf_match(f, nf->type, nf->name))
			return true;
	}
	return false;
}

/* Seeded churn: in each 2-minute window an NF (never the NRF) is down for
 * the middle minute with probability 5 %. */
static bool nf_churn_down(const struct sd_sim *sim, const struct sd_sim_nf *nf)
{
	int64_t t = sd_sim_mono(sim) - sim->mono_start;
	uint64_t w = (uint64_t)(t / 120000);
	int64_t in = t % 120000;
	if (!sim->o.churn || !nf->emulated || strcmp(nf->type, "NRF") == 0)
		return false;
	if (sd_sim_hash_unit(sd_sim_hash(sim->o.seed, sd_sim_hash_str(0, nf->name), 0xc4, w)) >= 0.05)
		return false;
	return in >= 30000 && in < 90000;
}

void sd_sim_slice_degrade(const struct sd_sim *sim, int idx, struct sd_sim_degrade *dg)
{
	int i;
	const char *id = sim->m->slices[idx].id;
	*dg = (struct sd_sim_degrade){ .latency_factor = 1.0 };
	for (i = 0; i < sim->faults.n; i++) {
		const struct sd_sim_fault *f = &sim->faults.f[i];
		if (!sd_sim_fault_slice_match(f, id))
			continue;
		if (f->kind == SD_FAULT_SLICE_LATENCY) {
			dg->latency_factor *= f->factor;
			dg->latency_add_ms += f->add_ms;
		} else if (f->kind == SD_FAULT_SLICE_DOWN) {
			dg->down = true;
		} else if (f->kind == SD_FAULT_SLICE_LOSS) {
			dg->loss_add_pct += f->pct;
		} else if (f->kind == SD_FAULT_UE_SURGE) {
			dg->load_factor = (dg->load_factor > 0 ? dg->load_factor : 1.0) * f->factor;
			dg->ue_factor = (dg->ue_factor > 0 ? dg->ue_factor : 1.0) * f->factor;
		} else if (f->kind == SD_FAULT_SESSION_STORM) {
			dg->extra_sessions += f->sessions;
		}
	}
}

uint8_t *sd_sim_cells_down(const struct sd_sim *sim)
{
	uint8_t *down = NULL;
	int i, c;
	for (i = 0; i < sim->faults.n; i++) {
		const struct sd_sim_fault *f = &sim->faults.f[i];
		if (f->kind != SD_FAULT_CELL_DOWN || (c = sd_model_cell_index(sim->m, f->cell)) < 0)
			continue;
		if (!down)
			down = sd_calloc((size_t)sim->m->ncells, 1);
		down[c] = 1;
	}
	return down;
}

void sd_sim_kpi(const struct sd_sim *sim, int idx, struct sd_sim_kpi *k)
{
	struct sd_sim_degrade dg;
	sd_sim_slice_degrade(sim, idx, &dg);
	sd_sim_slice_kpi(sim->m, sim->o.seed, idx, sd_sim_time(sim), sim->o.utc_offset_min, &dg, k);
}

int sd_sim_slice_by_snssai(const struct sd_sim *sim, const struct sd_snssai *n)
{
	int i;
	for (i = 0; i < sim->m->nslices; i++)
		if (sd_snssai_equal(&sim->m->slices[i].snssai, n))
			return i;
	return -1;
}

int sd_sim_fault_check(const struct sd_sim *sim, const char *spec, struct sd_sim_fault *out,
		       char *err, size_t errsz)
{
	struct sd_sim_fault f;
	if (sd_sim_fault_parse(spec, &f, err, errsz) < 0)
		return -1;
	if (f.nf[0] && strcasecmp(f.nf, "any") != 0) {
		int i;
		bool known = false;
		for (i = 0; i < sim->nnfs; i++)
			if (sd_sim_fault_nf_match(&f, sim->nfs[i].type, sim->nfs[i].name))
				known = true;
		if (!known) {
			snprintf(err, errsz, "nf=%s names no NF type or instance of this zone", f.nf);
			return -1;
		}
	}
	if (f.kind == SD_FAULT_NF_DOWN && !f.nf[0]) {
		snprintf(err, errsz, "nf-down needs nf=TYPE or nf=NAME");
		return -1;
	}
	if (f.slice[0] && sd_model_slice_index(sim->m, f.slice) < 0) {
		snprintf(err, errsz, "slice=%s is not a configured slice", f.slice);
		return -1;
	}
	if (f.cell[0] && sd_model_cell_index(sim->m, f.cell) < 0) {
		snprintf(err, errsz, "cell=%s is not a configured cell", f.cell);
		return -1;
	}
	if (out)
		*out = f;
	return 0;
}

int sd_sim_fault_add(struct sd_sim *sim, const char *spec, char *err, size_t errsz)
{
	struct sd_sim_fault f;
	int id;
	if (sd_sim_fault_check(sim, spec, &f, err, errsz) < 0)
		return -1;
	id = sd_sim_faults_add(&sim->faults, &f, sd_sim_mono(sim));
	if (id < 0) {
		snprintf(err, errsz, "fault table full (%d)", SD_SIM_MAX_FAULTS);
		return -1;
	}
	sd_notice("fault %d added: %s", id, f.spec);
	sd_sim_tick(sim);
	return id;
}

int sd_sim_fault_clear(struct sd_sim *sim, int id)
{
	int n = sd_sim_faults_clear(&sim->faults, id);
	if (n)
		sd_notice("%d fault(s) cleared", n);
	sd_sim_tick(sim);
	return n;
}

/* Break a JSON text the way a buggy peer would: the first ':' after a
 * quote becomes ';'. Bodies without one get a stray brace. */
static void corrupt_json(struct sd_sbi_resp *resp)
{
	char *p;
	if (!resp->body || !resp->body_len) {
		free(resp->body);
		resp->body = sd_strdup("{\"");
		resp->body_len = 2;
		return;
	}
	p = strstr(resp->body, "\":");
	if (p)
		p[1] = ';';
	else {
		char *b = sd_printf("{%s", resp->body);
		free(resp->body);
		resp->body = b;
		resp->body_len = strlen(b);
	}
}

/* The pad fault: a JSON object answer made bytes long by a last member
 * "x-sim-pad", an array of strings of at most 4,000 characters (the
 * engine's decoder takes long arrays and refuses strings over 8 KiB in
 * any member). An answer already that long, or not an object, is left
 * alone. sim->padded counts the answers grown. */
static void pad_json(struct sd_sim *sim, struct sd_sbi_resp *resp, size_t bytes)
{
	static const char member[] = ",\"x-sim-pad\":[";
	size_t len = resp->body_len, room, k, fill, i, o;
	char *b;
	while (len && (resp->body[len - 1] == '\n' || resp->body[len - 1] == ' '))
		len--;
	if (len < 2 || resp->body[0] != '{' || resp->body[len - 1] != '}' ||
	    len - 1 + (sizeof member - 1) + 2 + 2 > bytes)
		return;
	/* room for the strings, their quotes and commas: k strings take
	 * 2k quotes and k-1 commas, the rest is their characters */
	room = bytes - (len - 1) - (sizeof member - 1) - 2;
	k = (room + 1 + 4002) / 4003;
	fill = room + 1 - 3 * k;
	b = sd_malloc(bytes + 1);
	memcpy(b, resp->body, len - 1);
	o = len - 1;
	memcpy(b + o, member, sizeof member - 1);
	o += sizeof member - 1;
	for (i = 0; i < k; i++) {
		size_t n = fill / k + (i < fill % k);
		if (i)
			b[o++] = ',';
		b[o++] = '"';
		memset(b + o, 'p', n);
		o += n;
		b[o++] = '"';
	}
	memcpy(b + o, "]}", 3);
	o += 2;
	free(resp->body);
	resp->body = b;
	resp->body_len = o;
	sim->padded++;
}

static const char *cause_for(int status)
{
	switch (status) {
	case 400: return "UNSPECIFIED_MSG_FAILURE";
	case 403: return "MODIFICATION_NOT_ALLOWED";
	case 404: return "RESOURCE_URI_STRUCTURE_NOT_FOUND";
	case 429: return "NF_CONGESTION_RISK";
	case 503: return "NF_CONGESTION";
	case 504: return "TIMED_OUT_REQUEST";
	default: return status >= 500 ? "SYSTEM_FAILURE" : "UNSPECIFIED_MSG_FAILURE";
	}
}

void sd_sim_serve(struct sd_sim *sim, int route, const struct sd_sbi_req *req,
		  struct sd_sbi_resp *resp)
{
	const struct route_def *d = &route_defs[route];
	bool malformed = false, truncated = false, goaway = false;
	long long pad = 0;
	int64_t delay = 0;
	int i;

	sim->requests++;
	sd_sim_faults_expire(&sim->faults, sd_sim_mono(sim));
	if (!sd_sim_type_up(sim, d->nf)) {
		enum sd_sim_down_mode mode = SD_DOWN_503;
		for (i = 0; i < sim->faults.n; i++)
			if (sim->faults.f[i].kind == SD_FAULT_NF_DOWN &&
			    fault_hits_api(sim, &sim->faults.f[i], d->nf))
				mode = sim->faults.f[i].mode;
		switch (mode) {
		case SD_DOWN_DROP:
			resp->misbehave = SD_SBI_DROP_CONN;
			return;
		case SD_DOWN_RST:
			resp->misbehave = SD_SBI_RST_STREAM;
			return;
		case SD_DOWN_HANG:
			resp->delay_ms = 120000;
			sd_sim_resp_problem(resp, 504, NULL, "Timed out", "TIMED_OUT_REQUEST",
					    NULL, NULL);
			return;
		default:
			sd_sim_resp_problem(resp, 503, NULL, "Service unavailable", "NF_CONGESTION",
					    d->nf, NULL);
			return;
		}
	}
	for (i = 0; i < sim->faults.n; i++) {
		const struct sd_sim_fault *f = &sim->faults.f[i];
		if (f->kind == SD_FAULT_NF_DOWN || f->kind == SD_FAULT_NOTIFY_FLOOD ||
		    f->kind == SD_FAULT_SLICE_LATENCY || f->kind == SD_FAULT_SLICE_DOWN ||
		    f->kind == SD_FAULT_CELL_DOWN || f->kind == SD_FAULT_SLICE_LOSS ||
		    f->kind == SD_FAULT_UE_SURGE || f->kind == SD_FAULT_SESSION_STORM)
			continue;
		if (!fault_hits_api(sim, f, d->nf) || !sd_sim_fault_path_match(f, req->path))
			continue;
		if (f->prob < 1.0 && sd_sim_rng_unit(&sim->rng) >= f->prob)
			continue;
		switch (f->kind) {
		case SD_FAULT_DROP_CONN:
			resp->misbehave = SD_SBI_DROP_CONN;
			return;
		case SD_FAULT_RST_STREAM:
			resp->misbehave = SD_SBI_RST_STREAM;
			return;
		case SD_FAULT_ERROR:
			sd_sim_resp_problem(resp, f->status, NULL, "Injected failure",
					    cause_for(f->status), f->spec, req->path);
			return;
		case SD_FAULT_DELAY:
			delay += f->delay_ms;
			break;
		case SD_FAULT_MALFORMED:
			malformed = true;
			break;
		case SD_FAULT_TRUNCATED:
			truncated = true;
			break;
		case SD_FAULT_GOAWAY:
			goaway = true;
			break;
		case SD_FAULT_PAD:
			pad = f->pad_bytes;
			break;
		default:
			break;
		}
	}
	d->h(req, resp, sim);
	resp->delay_ms += delay;
	if (pad)
		pad_json(sim, resp, (size_t)pad);
	if (malformed)
		corrupt_json(resp);
	if (truncated && resp->body_len > 1)
		resp->body_len /= 2;
	if (goaway && resp->misbehave == SD_SBI_NORMAL)
		resp->misbehave = SD_SBI_GOAWAY;
}

static void route_cb(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct sd_sim_route *r = arg;
	sd_sim_serve(r->sim, r->idx, req, resp);
}

/* --- the tick ------------------------------------------------------------ */

static uint64_t slice_avail_bits(const struct sd_sim *sim)
{
	uint64_t bits = 0;
	int i;
	for (i = 0; i < sim->m->nslices && i < 64; i++) {
		struct sd_sim_degrade dg;
		sd_sim_slice_degrade(sim, i, &dg);
		if (sim->m->slices[i].state == SD_SLICE_ACTIVE && !dg.down)
			bits |= 1ULL << i;
	}
	return bits;
}

/* An emulated NF restarting in an Open5GS core: it registers under a
 * fresh instance id (still derived from the seed, so runs repeat). */
static void new_incarnation(struct sd_sim *sim, struct sd_sim_nf *nf)
{
	char key[64];
	nf->incarnation++;
	snprintf(key, sizeof key, "%s#%u", nf->name, nf->incarnation);
	sd_sim_uuid(sim->o.seed, key, nf->id, sizeof nf->id);
	free(nf->prof_text);
	nf->prof_text = NULL;
	sd_notice("%s (%s) registers again as %s", nf->name, nf->type, nf->id);
}

static void nf_step(struct sd_sim *sim, struct sd_sim_nf *nf, int64_t now)
{
	int64_t hb_ms = (int64_t)nf->hb_s * 1000;
	if (nf->emulated) {
		bool down = nf_fault_down(sim, nf) || nf_churn_down(sim, nf);
		if (down && !nf->down)
			sd_notice("%s (%s) is down: heartbeats stop", nf->name, nf->type);
		else if (!down && nf->down)
			sd_notice("%s (%s) is up again", nf->name, nf->type);
		nf->down = down;
		if (!down) {
			nf->last_hb_ms = now;
			if (!nf->registered) {
				if (sim->o.profile == SD_SIM_PROFILE_OPEN5GS)
					new_incarnation(sim, nf);
				nf->registered = true;
				nf->status = SD_NF_REGISTERED;
				sd_sim_nrf_status_notify(sim, nf, "NF_REGISTERED");
			} else if (nf->status != SD_NF_REGISTERED) {
				nf->status = SD_NF_REGISTERED;
				sd_sim_nrf_status_notify(sim, nf, "NF_PROFILE_CHANGED");
			}
			return;
		}
	}
	if (!nf->registered)
		return;
	if (sim->o.profile == SD_SIM_PROFILE_OPEN5GS) {
		/* Open5GS's NRF deletes an NF whose heartbeat is late (no
		 * SUSPENDED step) */
		if (now - nf->last_hb_ms > hb_ms + SD_SIM_HB_MARGIN_MS) {
			nf->registered = false;
			sd_notice("%s (%s) %s deleted from the NRF: no heartbeat", nf->name, nf->type,
				  nf->id);
			sd_sim_nrf_status_notify(sim, nf, "NF_DEREGISTERED");
		}
		return;
	}
	if (now - nf->last_hb_ms > 3 * hb_ms + SD_SIM_HB_MARGIN_MS) {
		nf->registered = false;
		sd_sim_nrf_status_notify(sim, nf, "NF_DEREGISTERED");
	} else if (now - nf->last_hb_ms > hb_ms + SD_SIM_HB_MARGIN_MS &&
		   nf->status == SD_NF_REGISTERED) {
		nf->status = SD_NF_SUSPENDED;
		sd_sim_nrf_status_notify(sim, nf, "NF_PROFILE_CHANGED");
	}
}

void sd_sim_tick(struct sd_sim *sim)
{
	int64_t now = sd_sim_mono(sim);
	uint64_t bits;
	int i;

	sd_sim_timeline_step(sim, now);
	sd_sim_faults_expire(&sim->faults, now);
	for (i = 0; i < SD_SIM_MAX_SUBS; i++)
		if (sim->subs[i].used && sim->subs[i].expiry_wall &&
		    sd_wall_ms() >= sim->subs[i].expiry_wall) {
			sd_info("subscription %s expired", sim->subs[i].id);
			sd_sim_sub_free(sim, &sim->subs[i]);
		}
	for (i = 0; i < sim->nnfs; i++)
		nf_step(sim, &sim->nfs[i], now);
	/* peers that went away are forgotten */
	for (i = 0; i < sim->nnfs;) {
		if (!sim->nfs[i].emulated && !sim->nfs[i].registered) {
			json_decref(sim->nfs[i].peer_profile);
			free(sim->nfs[i].prof_text);
			memmove(&sim->nfs[i], &sim->nfs[i + 1],
				(size_t)(sim->nnfs - i - 1) * sizeof sim->nfs[0]);
			sim->nnfs--;
		} else {
			i++;
		}
	}
	bits = slice_avail_bits(sim);
	if (bits != sim->slice_avail) {
		sim->slice_avail = bits;
		for (i = 0; i < SD_SIM_MAX_SUBS; i++)
			if (sim->subs[i].used && sim->subs[i].kind == SD_SUB_NSSF)
				sd_sim_notify(sim, &sim->subs[i], "Nnssf_NSSAIAvailability_Notification",
					      sd_sim_nssf_report(sim, &sim->subs[i]));
	}
	for (i = 0; i < sim->faults.n; i++) {
		const struct sd_sim_fault *f = &sim->faults.f[i];
		int k, r;
		if (f->kind != SD_FAULT_NOTIFY_FLOOD)
			continue;
		for (k = 0; k < SD_SIM_MAX_SUBS; k++) {
			struct sd_sim_sub *s = &sim->subs[k];
			const char *cb = NULL;
			if (!s->used || s->kind == SD_SUB_NRF ||
			    !fault_hits_api(sim, f, kind_nf(s->kind)))
				continue;
			for (r = 0; r < f->rate && sim->pending < SD_SIM_MAX_PENDING; r++) {
				json_t *body = report_for(sim, s, &cb);
				if (body)
					sd_sim_notify(sim, s, cb, body);
			}
		}
	}
}

static void tick_cb(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct sd_sim *sim = arg;
	(void)id;
	sd_sim_tick(sim);
	sim->tick_timer = sd_loop_timer_add(loop, 1000, tick_cb, sim);
}

/* --- life cycle ---------------------------------------------------------- */

struct sd_sim *sd_sim_new(struct sd_loop *loop, const struct sd_model *m,
			  const struct sd_sim_opts *o)
{
	struct sd_sim *sim = sd_calloc(1, sizeof *sim);
	uint64_t k;
	int i;
	sim->loop = loop;
	sim->m = m;
	sim->o = *o;
	if (!sim->o.listen)
		sim->o.listen = "127.0.0.1:7777";
	if (sim->o.hb_timer_s <= 0)
		sim->o.hb_timer_s = 10;
	if (!(sim->o.speed > 0))
		sim->o.speed = 1.0;
	sd_strlcpy(sim->listen, sim->o.listen, sizeof sim->listen);
	sim->o.listen = sim->listen;
	sd_strlcpy(sim->host, "127.0.0.1", sizeof sim->host);
	sim->port = 7777;
	snprintf(sim->api_root, sizeof sim->api_root, "http://127.0.0.1:7777");
	sd_sim_rng_seed(&sim->rng, o->seed);
	sd_sim_faults_init(&sim->faults);
	sim->mono_start = sd_now_ms();
	sim->wall_start = o->clock_start_ms ? o->clock_start_ms : sd_wall_ms();
	for (i = 0; i < 4; i++) {
		k = sd_sim_hash(o->seed, 0x1e7, (uint64_t)i, 0);
		memcpy(sim->jwt_key + 8 * i, &k, 8);
	}
	build_nfs(sim);
	sim->slice_avail = slice_avail_bits(sim);
	return sim;
}

/* Take host and port from the server's bound address ("127.0.0.1:40123",
 * "[::1]:40123"). */
static void set_addr(struct sd_sim *sim, const char *addr)
{
	const char *colon = strrchr(addr, ':');
	size_t hl;
	if (!colon)
		return;
	hl = (size_t)(colon - addr);
	if (addr[0] == '[' && hl >= 2) {
		snprintf(sim->host, sizeof sim->host, "%.*s", (int)(hl - 2), addr + 1);
	} else {
		snprintf(sim->host, sizeof sim->host, "%.*s", (int)hl, addr);
	}
	sim->port = atoi(colon + 1);
}

int sd_sim_start(struct sd_sim *sim, char *err, size_t errsz)
{
	struct sd_sbi_server_conf sc = { .listen = sim->o.listen,
					 .cert_file = sim->o.cert_file,
					 .key_file = sim->o.key_file };
	struct sd_sbi_client_opts co = { .user_agent = "NRF", .nf_type = "NRF" };
	size_t i;

	sim->srv = sd_sbi_server_new(sim->loop, &sc, err, errsz);
	if (!sim->srv)
		return -1;
	set_addr(sim, sd_sbi_server_addr(sim->srv));
	sd_strlcpy(sim->api_root, sd_sbi_server_api_root(sim->srv), sizeof sim->api_root);
	sim->routes = sd_calloc(SD_ARRAY_LEN(route_defs), sizeof *sim->routes);
	for (i = 0; i < SD_ARRAY_LEN(route_defs); i++) {
		sim->routes[i].sim = sim;
		sim->routes[i].idx = (int)i;
		if (sim->o.profile == SD_SIM_PROFILE_OPEN5GS && open5gs_lacks(route_defs[i].tmpl))
			continue;   /* not served: the server's 404 */
		if (sd_sbi_server_route(sim->srv, route_defs[i].method, route_defs[i].tmpl,
					route_cb, &sim->routes[i]) != 0) {
			snprintf(err, errsz, "cannot register route %s %s", route_defs[i].method,
				 route_defs[i].tmpl);
			return -1;
		}
	}
	sim->nroutes = (int)SD_ARRAY_LEN(route_defs);
	sim->cli = sd_sbi_client_new(sim->loop, &co);
	if (!sim->cli) {
		snprintf(err, errsz, "cannot start the SBI client for notifications");
		return -1;
	}
	if (sim->o.control_path) {
		sim->ctl = sd_sim_control_new(sim, sim->o.control_path, err, errsz);
		if (!sim->ctl)
			return -1;
	}
	sim->tick_timer = sd_loop_timer_add(sim->loop, 1000, tick_cb, sim);
	return 0;
}

void sd_sim_free(struct sd_sim *sim)
{
	int i;
	if (!sim)
		return;
	if (sim->tick_timer && sim->loop)
		sd_loop_timer_del(sim->loop, sim->tick_timer);
	sd_sim_charging_free(sim->charging);
	sd_sim_control_free(sim->ctl);
	if (sim->cli)
		sd_sbi_client_free(sim->cli);   /* runs pending callbacks: sim still valid */
	if (sim->srv)
		sd_sbi_server_free(sim->srv);
	for (i = 0; i < SD_SIM_MAX_SUBS; i++)
		sd_sim_sub_free(sim, &sim->subs[i]);
	for (i = 0; i < sim->nnfs; i++) {
		json_decref(sim->nfs[i].peer_profile);
		free(sim->nfs[i].prof_text);
	}
	free(sim->routes);
	free(sim);
}

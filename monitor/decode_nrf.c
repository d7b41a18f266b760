/* monitor/decode_nrf.c — NRF documents: UriList, NFProfile, SearchResult,
 * NotificationData (TS 29.510). See monitor/sbi_decode.h. */
#include "monitor/sbi_decode.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "core/model_nf.h"
#include "core/util.h"
#include "monitor/decode_common.h"

/* ---- UriList --------------------------------------------------------- */

/* One Link {href}: the nfInstanceId is the last path segment. */
static int link_id(struct sd_dctx *c, const json_t *l, char id[SD_UUID_STRLEN])
{
	const json_t *href;
	size_t m;
	int r;

	if (!json_is_object(l))
		return sd_dc_fail(c, "Link must be an object");
	if (sd_dc_get(c, l, "href", SD_DC_STR, true, &href) < 0)
		return -1;
	m = sd_dc_push_key(c, "href");
	r = sd_dc_uri_last_uuid(c, json_string_value(href), id);
	sd_dc_pop(c, m);
	return r;
}

int sd_decode_nrf_urilist(const char *body, size_t len,
			  struct sd_nrf_urilist *out, struct sd_decode_diag *diag)
{
	struct sd_dctx c;
	const json_t *links, *item, *tot, *v;
	json_t *root;
	long long n;
	size_t i, m;
	int k;

	memset(out, 0, sizeof *out);
	out->total = -1;
	root = sd_dc_parse(&c, diag, body, len, false);
	if (!root)
		return -1;
	if (sd_dc_get(&c, root, "_links", SD_DC_OBJ, true, &links) < 0)
		goto fail;
	/* spec: totalItemCount at the top level; Open5GS: inside _links */
	tot = json_object_get(root, "totalItemCount");
	if (tot) {
		if (sd_dc_int(&c, root, "totalItemCount", true, 0, LONG_MAX, &n) < 0)
			goto fail;
		out->total = (long)n;
	} else if (json_object_get(links, "totalItemCount")) {
		m = sd_dc_push_key(&c, "_links");
		k = sd_dc_int(&c, links, "totalItemCount", true, 0, LONG_MAX, &n);
		sd_dc_pop(&c, m);
		if (k < 0)
			goto fail;
		out->total = (long)n;
		out->total_in_links = true;
	}
	item = json_object_get(links, "item");
	m = sd_dc_push_key(&c, "_links");
	sd_dc_push_key(&c, "item");
	if (!item || json_is_null(item)) {
		/* no items: an empty collection */
	} else if (json_is_object(item)) {
		/* LinksValueSchema allows a single Link */
		out->ids = sd_calloc(1, sizeof *out->ids);
		if (link_id(&c, item, out->ids[0]) < 0)
			goto fail;
		out->nids = 1;
	} else if (json_is_array(item)) {
		size_t mi = c.plen;
		out->ids = sd_calloc(json_array_size(item), sizeof *out->ids);
		json_array_foreach(item, i, v) {
			sd_dc_push_idx(&c, i);
			if (link_id(&c, v, out->ids[out->nids]) == 1)
				out->nids++;
			else
				sd_dc_skip(&c);
			sd_dc_pop(&c, mi);
		}
	} else {
		sd_dc_fail(&c, "must be a Link or an array of Links");
		goto fail;
	}
	sd_dc_pop(&c, m);
	json_decref(root);
	return 0;
fail:
	json_decref(root);
	sd_nrf_urilist_done(out);
	return -1;
}

void sd_nrf_urilist_done(struct sd_nrf_urilist *l)
{
	sd_free(l->ids);
	l->ids = NULL;
	l->nids = 0;
}

/* ---- NFProfile ------------------------------------------------------- */

static enum sd_nf_status nf_status_of(const char *s)
{
	if (strcmp(s, "REGISTERED") == 0)
		return SD_NF_REGISTERED;
	if (strcmp(s, "SUSPENDED") == 0)
		return SD_NF_SUSPENDED;
	if (strcmp(s, "UNDISCOVERABLE") == 0)
		return SD_NF_UNDISCOVERABLE;
	return SD_NF_STATUS_OTHER;
}

static bool version_in_uri_ok(const char *s)
{
	size_t i, n = strlen(s);
	if (n < 2 || n > 4 || s[0] != 'v')
		return false;
	for (i = 1; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int endpoint(struct sd_dctx *c, const json_t *j, struct sd_nf_endpoint *ep)
{
	const json_t *v4, *v6;
	long long port;
	size_t m;
	int r;

	memset(ep, 0, sizeof *ep);
	ep->port = -1;
	if (!json_is_object(j))
		return sd_dc_fail(c, "IpEndPoint must be an object");
	if (sd_dc_get(c, j, "ipv4Address", SD_DC_STR, false, &v4) < 0 ||
	    sd_dc_get(c, j, "ipv6Address", SD_DC_STR, false, &v6) < 0)
		return -1;
	if (v4) {
		m = sd_dc_push_key(c, "ipv4Address");
		r = sd_dc_ipv4(c, v4, ep->addr, sizeof ep->addr);
		sd_dc_pop(c, m);
		if (r < 0)
			return -1;
	} else if (v6) {
		m = sd_dc_push_key(c, "ipv6Address");
		r = sd_dc_ipv6(c, v6, ep->addr, sizeof ep->addr);
		sd_dc_pop(c, m);
		if (r < 0)
			return -1;
	}
	if (sd_dc_str(c, j, "transport", false, ep->transport,
		      sizeof ep->transport, SD_DC_TOKEN) < 0)
		return -1;
	r = sd_dc_int(c, j, "port", false, 0, 65535, &port);
	if (r < 0)
		return -1;
	if (r == 1)
		ep->port = (int)port;
	return 1;
}

static int opt_range(struct sd_dctx *c, const json_t *o, const char *k,
		     long long min, long long max, int *out)
{
	long long v;
	int r = sd_dc_int(c, o, k, false, min, max, &v);
	*out = r == 1 ? (int)v : -1;
	return r;
}

/* One NFService. On error the path is left at the failing member. */
static int nf_service(struct sd_dctx *c, const json_t *j, struct sd_nf_service *s)
{
	const json_t *arr, *v, *f;
	char status[32];
	size_t i, m;

	memset(s, 0, sizeof *s);
	if (!json_is_object(j))
		return sd_dc_fail(c, "NFService must be an object");
	if (sd_dc_str(c, j, "serviceInstanceId", true, s->instance_id,
		      sizeof s->instance_id, SD_DC_TOKEN) < 0 ||
	    sd_dc_str(c, j, "serviceName", true, s->name, sizeof s->name,
		      SD_DC_TOKEN) < 0 ||
	    sd_dc_str(c, j, "scheme", true, s->scheme, sizeof s->scheme,
		      SD_DC_TOKEN) < 0 ||
	    sd_dc_str(c, j, "nfServiceStatus", true, status, sizeof status,
		      SD_DC_TEXT) < 0)
		return -1;
	s->status = nf_status_of(status);
	if (sd_dc_arr(c, j, "versions", true, true, &arr) < 0)
		return -1;
	m = sd_dc_push_key(c, "versions");
	json_array_foreach(arr, i, v) {
		char vin[8], full[24];
		size_t mi = sd_dc_push_idx(c, i);
		if (!json_is_object(v))
			return sd_dc_fail(c, "NFServiceVersion must be an object");
		if (sd_dc_str(c, v, "apiVersionInUri", true, vin, sizeof vin,
			      SD_DC_TOKEN) < 0 ||
		    sd_dc_str(c, v, "apiFullVersion", true, full, sizeof full,
			      SD_DC_TOKEN) < 0)
			return -1;
		if (!version_in_uri_ok(vin))
			return sd_dc_fail_at(c, "apiVersionInUri",
					     "must be \"v\" and a number (e.g. v1)");
		if (i == 0)
			memcpy(s->full_version, full, sizeof full);
		if (s->nversions < SD_NF_MAX_VERSIONS)
			memcpy(s->versions[s->nversions++], vin, sizeof vin);
		sd_dc_pop(c, mi);
	}
	sd_dc_pop(c, m);
	if (sd_dc_get(c, j, "fqdn", SD_DC_STR, false, &f) < 0)
		return -1;
	if (f) {
		m = sd_dc_push_key(c, "fqdn");
		if (sd_dc_fqdn(c, f, s->fqdn, sizeof s->fqdn) < 0)
			return -1;
		sd_dc_pop(c, m);
	}
	if (sd_dc_str(c, j, "apiPrefix", false, s->api_prefix,
		      sizeof s->api_prefix, SD_DC_TOKEN) < 0)
		return -1;
	if (sd_dc_arr(c, j, "ipEndPoints", false, true, &arr) < 0)
		return -1;
	m = sd_dc_push_key(c, "ipEndPoints");
	json_array_foreach(arr, i, v) {
		struct sd_nf_endpoint ep;
		size_t mi = sd_dc_push_idx(c, i);
		if (endpoint(c, v, &ep) < 0)
			return -1;
		if (s->neps < SD_NF_MAX_ENDPOINTS)
			s->eps[s->neps++] = ep;
		sd_dc_pop(c, mi);
	}
	sd_dc_pop(c, m);
	if (opt_range(c, j, "priority", 0, 65535, &s->priority) < 0 ||
	    opt_range(c, j, "capacity", 0, 65535, &s->capacity) < 0 ||
	    opt_range(c, j, "load", 0, 100, &s->load) < 0)
		return -1;
	return 1;
}

/* Keep the service just decoded into *s unless its serviceInstanceId is
 * already there (a profile may carry both nfServiceList and nfServices).
 * s is p->services[p->nservices] while there is room, so keeping it is a
 * count; past SD_NF_MAX_SERVICES it is the caller's scratch, dropped. */
static void add_service(struct sd_dctx *c, struct sd_nf_profile *p,
			const struct sd_nf_service *s, bool *noted)
{
	int i;
	for (i = 0; i < p->nservices; i++)
		if (strcmp(p->services[i].instance_id, s->instance_id) == 0)
			return;
	if (p->nservices >= SD_NF_MAX_SERVICES) {
		if (!*noted)
			sd_dc_note(c, "more than %d services, kept the first %d",
				   SD_NF_MAX_SERVICES, SD_NF_MAX_SERVICES);
		*noted = true;
		return;
	}
	p->nservices++;
	for (i = 0; i < p->nf.nservices; i++)
		if (strcmp(p->nf.services[i], s->name) == 0)
			return;
	if (p->nf.nservices < (int)SD_ARRAY_LEN(p->nf.services))
		sd_strlcpy(p->nf.services[p->nf.nservices++], s->name,
			   sizeof p->nf.services[0]);
}

/* Where the next service decodes to: its slot in p->services, or the
 * scratch once the cap is reached (it is still validated). */
static struct sd_nf_service *service_slot(struct sd_nf_profile *p,
					  struct sd_nf_service **scratch)
{
	if (p->nservices < SD_NF_MAX_SERVICES)
		return &p->services[p->nservices];
	if (!*scratch)
		*scratch = sd_malloc(sizeof **scratch);
	return *scratch;
}

/* nfServiceList (a map) and nfServices (an array), decoded straight into
 * one array sized once from both counts, capped at SD_NF_MAX_SERVICES. */
static int services(struct sd_dctx *c, const json_t *j, struct sd_nf_profile *p)
{
	const json_t *map, *arr, *v;
	struct sd_nf_service *s, *scratch = NULL;
	const char *key;
	bool noted = false;
	size_t i, m, n = 0;
	int r = 1;

	if (sd_dc_get(c, j, "nfServiceList", SD_DC_OBJ, false, &map) < 0 ||
	    sd_dc_get(c, j, "nfServices", SD_DC_ARR, false, &arr) < 0)
		return -1;
	if (map)
		n += json_object_size(map);
	if (arr)
		n += json_array_size(arr);
	if (n == 0)
		return 1;
	if (n > SD_NF_MAX_SERVICES)
		n = SD_NF_MAX_SERVICES;
	p->services = sd_malloc(n * sizeof *p->services);
	if (map) {
		m = sd_dc_push_key(c, "nfServiceList");
		json_object_foreach((json_t *)map, key, v) {
			size_t mk = sd_dc_push_key(c, key);
			s = service_slot(p, &scratch);
			if (nf_service(c, v, s) < 0) {
				r = -1;
				goto out;
			}
			add_service(c, p, s, &noted);
			sd_dc_pop(c, mk);
		}
		sd_dc_pop(c, m);
	}
	if (arr) {
		m = sd_dc_push_key(c, "nfServices");
		json_array_foreach(arr, i, v) {
			size_t mi = sd_dc_push_idx(c, i);
			s = service_slot(p, &scratch);
			if (nf_service(c, v, s) < 0) {
				r = -1;
				goto out;
			}
			add_service(c, p, s, &noted);
			sd_dc_pop(c, mi);
		}
		sd_dc_pop(c, m);
	}
out:
	sd_free(scratch);
	return r;
}

/* The S-NSSAIs of one profile as they are decoded: distinct, in document
 * order, capped at SD_MAX_NF_SNSSAI. Distinctness is a hash set of packed
 * values, so a profile listing 65,536 costs linear time (a scan of the kept
 * ones per addition would be quadratic). */
struct sn_set {
	struct sd_snssai *v;           /* heap, n used of cap */
	int n, cap;
	uint64_t *h;                   /* packed + 1; 0 = empty; hcap a power of 2 */
	size_t hcap;
	bool noted;                    /* the cap note was made */
};

static uint64_t sn_pack(const struct sd_snssai *s)
{
	return 1 + ((uint64_t)s->sst | (uint64_t)s->has_sd << 8 |
		    (uint64_t)(s->has_sd ? s->sd & 0xffffffu : 0) << 9);
}

static size_t sn_slot(const uint64_t *h, size_t hcap, uint64_t k)
{
	size_t i = (size_t)((k * 0x9E3779B97F4A7C15ull) >> 20) & (hcap - 1);
	while (h[i] && h[i] != k)
		i = (i + 1) & (hcap - 1);
	return i;
}

static void sn_grow(struct sn_set *set)
{
	size_t ncap = set->hcap ? set->hcap * 2 : 64, i;
	uint64_t *nh = sd_calloc(ncap, sizeof *nh);
	for (i = 0; i < set->hcap; i++)
		if (set->h[i])
			nh[sn_slot(nh, ncap, set->h[i])] = set->h[i];
	sd_free(set->h);
	set->h = nh;
	set->hcap = ncap;
}

/* Add s unless present; past the cap, note once (at the element's path)
 * and drop. */
static void sn_add(struct sd_dctx *c, struct sn_set *set, const struct sd_snssai *s)
{
	uint64_t k = sn_pack(s);
	size_t i;
	if ((size_t)set->n * 2 + 2 > set->hcap)
		sn_grow(set);
	i = sn_slot(set->h, set->hcap, k);
	if (set->h[i])
		return;
	if (set->n >= SD_MAX_NF_SNSSAI) {
		if (!set->noted)
			sd_dc_note(c, "more than %d distinct S-NSSAIs, kept the first %d",
				   SD_MAX_NF_SNSSAI, SD_MAX_NF_SNSSAI);
		set->noted = true;
		return;
	}
	set->h[i] = k;
	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 8;
		if (set->cap > SD_MAX_NF_SNSSAI)
			set->cap = SD_MAX_NF_SNSSAI;
		set->v = sd_reallocarray(set->v, (size_t)set->cap, sizeof *set->v);
	}
	set->v[set->n++] = *s;
}

static void sn_done(struct sn_set *set)
{
	sd_free(set->v);
	sd_free(set->h);
	memset(set, 0, sizeof *set);
}

/* An array of (Ext)Snssai at member k of o into the profile's set. */
static int snssai_list(struct sd_dctx *c, const json_t *o, const char *k,
		       bool req, struct sn_set *set)
{
	const json_t *arr, *v;
	struct sd_snssai s;
	size_t i, m;

	int r = sd_dc_arr(c, o, k, req, true, &arr);
	if (r <= 0)
		return r;
	m = sd_dc_push_key(c, k);
	json_array_foreach(arr, i, v) {
		size_t mi = sd_dc_push_idx(c, i);
		if (sd_dc_snssai(c, v, &s) < 0)
			return -1;
		sn_add(c, set, &s);
		sd_dc_pop(c, mi);
	}
	sd_dc_pop(c, m);
	return 1;
}

/* SmfInfo: sNssaiSmfInfoList[].sNssai. */
static int smf_info(struct sd_dctx *c, const json_t *si, struct sn_set *set)
{
	const json_t *arr, *v, *sn;
	struct sd_snssai s;
	size_t i, m;

	if (!json_is_object(si))
		return sd_dc_fail(c, "SmfInfo must be an object");
	if (sd_dc_arr(c, si, "sNssaiSmfInfoList", true, true, &arr) < 0)
		return -1;
	m = sd_dc_push_key(c, "sNssaiSmfInfoList");
	json_array_foreach(arr, i, v) {
		size_t mi = sd_dc_push_idx(c, i);
		if (!json_is_object(v))
			return sd_dc_fail(c, "SnssaiSmfInfoItem must be an object");
		if (sd_dc_get(c, v, "sNssai", SD_DC_OBJ, true, &sn) < 0)
			return -1;
		sd_dc_push_key(c, "sNssai");
		if (sd_dc_snssai(c, sn, &s) < 0)
			return -1;
		sn_add(c, set, &s);
		sd_dc_pop(c, mi);
	}
	sd_dc_pop(c, m);
	return 1;
}

static int profile_snssais_into(struct sd_dctx *c, const json_t *j, struct sn_set *set)
{
	const json_t *arr, *v, *si, *map;
	const char *key;
	size_t i, m;

	if (snssai_list(c, j, "sNssais", false, set) < 0)
		return -1;
	if (sd_dc_arr(c, j, "perPlmnSnssaiList", false, true, &arr) < 0)
		return -1;
	m = sd_dc_push_key(c, "perPlmnSnssaiList");
	json_array_foreach(arr, i, v) {
		const json_t *pl;
		struct sd_plmn plmn;
		size_t mp, mi = sd_dc_push_idx(c, i);
		if (!json_is_object(v))
			return sd_dc_fail(c, "PlmnSnssai must be an object");
		if (sd_dc_get(c, v, "plmnId", SD_DC_OBJ, true, &pl) < 0)
			return -1;
		mp = sd_dc_push_key(c, "plmnId");
		if (sd_dc_plmn(c, pl, &plmn) < 0)
			return -1;
		sd_dc_pop(c, mp);
		if (snssai_list(c, v, "sNssaiList", true, set) < 0)
			return -1;
		sd_dc_pop(c, mi);
	}
	sd_dc_pop(c, m);
	if (sd_dc_get(c, j, "smfInfo", SD_DC_OBJ, false, &si) < 0)
		return -1;
	if (si) {
		m = sd_dc_push_key(c, "smfInfo");
		if (smf_info(c, si, set) < 0)
			return -1;
		sd_dc_pop(c, m);
	}
	if (sd_dc_get(c, j, "smfInfoList", SD_DC_OBJ, false, &map) < 0)
		return -1;
	if (map) {
		m = sd_dc_push_key(c, "smfInfoList");
		json_object_foreach((json_t *)map, key, v) {
			size_t mk = sd_dc_push_key(c, key);
			if (smf_info(c, v, set) < 0)
				return -1;
			sd_dc_pop(c, mk);
		}
		sd_dc_pop(c, m);
	}
	return 1;
}

/* The profile's S-NSSAIs into p->nf (heap, through model_nf.h). */
static int profile_snssais(struct sd_dctx *c, const json_t *j, struct sd_nf_profile *p)
{
	struct sn_set set = { 0 };
	int r = profile_snssais_into(c, j, &set);
	if (r >= 0) {
		sd_nf_snssais_take(&p->nf, set.v, set.n);
		set.v = NULL;
	}
	sn_done(&set);
	return r;
}

static int addresses(struct sd_dctx *c, const json_t *j, struct sd_nf_profile *p)
{
	static const char *const keys[] = { "ipv4Addresses", "ipv6Addresses" };
	const json_t *arr, *v, *f;
	size_t i, k, m;
	bool any = false;

	for (k = 0; k < 2; k++) {
		if (sd_dc_arr(c, j, keys[k], false, true, &arr) < 0)
			return -1;
		m = sd_dc_push_key(c, keys[k]);
		json_array_foreach(arr, i, v) {
			char a[46];
			size_t mi = sd_dc_push_idx(c, i);
			if ((k == 0 ? sd_dc_ipv4(c, v, a, sizeof a)
				    : sd_dc_ipv6(c, v, a, sizeof a)) < 0)
				return -1;
			if (p->naddrs < SD_NF_MAX_ADDRS)
				memcpy(p->addrs[p->naddrs++], a, sizeof a);
			any = true;
			sd_dc_pop(c, mi);
		}
		sd_dc_pop(c, m);
	}
	if (sd_dc_get(c, j, "fqdn", SD_DC_STR, false, &f) < 0)
		return -1;
	if (f) {
		m = sd_dc_push_key(c, "fqdn");
		if (sd_dc_fqdn(c, f, p->fqdn, sizeof p->fqdn) < 0)
			return -1;
		sd_dc_pop(c, m);
		any = true;
	}
	if (!any)
		return sd_dc_fail(c, "one of fqdn, ipv4Addresses, ipv6Addresses "
				  "is mandatory");
	sd_strlcpy(p->nf.addr, p->naddrs ? p->addrs[0] : p->fqdn, sizeof p->nf.addr);
	return 1;
}

int sd_dc_nf_profile(struct sd_dctx *c, const json_t *j, struct sd_nf_profile *p)
{
	const json_t *arr, *v;
	long long n;
	size_t i, m;
	int r;

	memset(p, 0, sizeof *p);
	p->nf.load = -1;
	p->priority = p->capacity = -1;
	if (!json_is_object(j))
		return sd_dc_fail(c, "NFProfile must be an object");
	if (sd_dc_uuid(c, j, "nfInstanceId", true, p->nf.id) < 0 ||
	    sd_dc_str(c, j, "nfType", true, p->nf.type, sizeof p->nf.type,
		      SD_DC_TOKEN) < 0 ||
	    sd_dc_str(c, j, "nfStatus", true, p->status_text,
		      sizeof p->status_text, SD_DC_TEXT) < 0 ||
	    sd_dc_str(c, j, "nfInstanceName", false, p->nf.name,
		      sizeof p->nf.name, SD_DC_TEXT) < 0 ||
	    sd_dc_str(c, j, "locality", false, p->locality, sizeof p->locality,
		      SD_DC_TEXT) < 0)
		goto fail;
	p->nf.status = nf_status_of(p->status_text);
	r = sd_dc_int(c, j, "heartBeatTimer", false, 1, INT_MAX, &n);
	if (r < 0)
		goto fail;
	p->nf.heartbeat_s = r == 1 ? (int)n : 0;
	if (opt_range(c, j, "load", 0, 100, &p->nf.load) < 0 ||
	    opt_range(c, j, "priority", 0, 65535, &p->priority) < 0 ||
	    opt_range(c, j, "capacity", 0, 65535, &p->capacity) < 0 ||
	    sd_dc_datetime(c, j, "loadTimeStamp", false, &p->load_ts_ms) < 0 ||
	    sd_dc_datetime(c, j, "recoveryTime", false, &p->recovery_ms) < 0)
		goto fail;
	if (sd_dc_arr(c, j, "plmnList", false, true, &arr) < 0)
		goto fail;
	m = sd_dc_push_key(c, "plmnList");
	json_array_foreach(arr, i, v) {
		struct sd_plmn plmn;
		size_t mi = sd_dc_push_idx(c, i);
		if (sd_dc_plmn(c, v, &plmn) < 0)
			goto fail;
		if (p->nplmns < SD_NF_MAX_PLMNS)
			p->plmns[p->nplmns++] = plmn;
		sd_dc_pop(c, mi);
	}
	sd_dc_pop(c, m);
	m = c->plen;
	if (addresses(c, j, p) < 0 || profile_snssais(c, j, p) < 0 ||
	    services(c, j, p) < 0)
		goto fail;
	sd_dc_pop(c, m);
	return 1;
fail:
	sd_nf_profile_done(p);
	return -1;
}

void sd_nf_profile_done(struct sd_nf_profile *p)
{
	sd_free(p->services);
	p->services = NULL;
	p->nservices = 0;
	sd_nf_snssais_take(&p->nf, NULL, 0);
}

int sd_decode_nf_profile(const char *body, size_t len,
			 struct sd_nf_profile *out, struct sd_decode_diag *diag)
{
	struct sd_dctx c;
	json_t *root;
	int r;

	memset(out, 0, sizeof *out);
	root = sd_dc_parse(&c, diag, body, len, false);
	if (!root)
		return -1;
	r = sd_dc_nf_profile(&c, root, out);
	json_decref(root);
	return r < 0 ? -1 : 0;
}

/* ---- SearchResult ---------------------------------------------------- */

int sd_decode_nrf_search(const char *body, size_t len,
			 struct sd_nrf_search *out, struct sd_decode_diag *diag)
{
	struct sd_dctx c;
	const json_t *arr, *v;
	json_t *root;
	long long n;
	size_t i, m;

	memset(out, 0, sizeof *out);
	root = sd_dc_parse(&c, diag, body, len, false);
	if (!root)
		return -1;
	if (sd_dc_int(&c, root, "validityPeriod", true, 0, LONG_MAX, &n) < 0 ||
	    sd_dc_arr(&c, root, "nfInstances", true, false, &arr) < 0)
		goto fail;
	out->validity_s = (long)n;
	if (json_array_size(arr))
		out->profiles = sd_calloc(json_array_size(arr), sizeof *out->profiles);
	sd_dc_push_key(&c, "nfInstances");
	m = c.plen;
	json_array_foreach(arr, i, v) {
		sd_dc_push_idx(&c, i);
		if (sd_dc_nf_profile(&c, v, &out->profiles[out->nprofiles]) == 1)
			out->nprofiles++;
		else
			sd_dc_skip(&c);
		sd_dc_pop(&c, m);
	}
	json_decref(root);
	return 0;
fail:
	json_decref(root);
	sd_nrf_search_done(out);
	return -1;
}

void sd_nrf_search_done(struct sd_nrf_search *s)
{
	int i;
	for (i = 0; i < s->nprofiles; i++)
		sd_nf_profile_done(&s->profiles[i]);
	sd_free(s->profiles);
	s->profiles = NULL;
	s->nprofiles = 0;
}

/* ---- NotificationData ------------------------------------------------ */

int sd_decode_nrf_notification(const char *body, size_t len,
			       struct sd_nrf_notification *out,
			       struct sd_decode_diag *diag)
{
	static const struct { const char *s; enum sd_nrf_event e; } evs[] = {
		{ "NF_REGISTERED", SD_NRF_EV_REGISTERED },
		{ "NF_DEREGISTERED", SD_NRF_EV_DEREGISTERED },
		{ "NF_PROFILE_CHANGED", SD_NRF_EV_PROFILE_CHANGED },
	};
	struct sd_dctx c;
	const json_t *uri, *prof, *ev;
	json_t *root;
	size_t i, m;

	memset(out, 0, sizeof *out);
	out->event = SD_NRF_EV_OTHER;
	root = sd_dc_parse(&c, diag, body, len, false);
	if (!root)
		return -1;
	if (sd_dc_get(&c, root, "event", SD_DC_STR, true, &ev) < 0 ||
	    sd_dc_get(&c, root, "nfInstanceUri", SD_DC_STR, true, &uri) < 0)
		goto fail;
	sd_sanitize(out->event_text, sizeof out->event_text,
		    json_string_value(ev), json_string_length(ev));
	for (i = 0; i < SD_ARRAY_LEN(evs); i++)
		if (strcmp(json_string_value(ev), evs[i].s) == 0)
			out->event = evs[i].e;
	m = sd_dc_push_key(&c, "nfInstanceUri");
	if (sd_dc_uri_last_uuid(&c, json_string_value(uri), out->nf_id) < 0)
		goto fail;
	sd_dc_pop(&c, m);
	/* Rel-18 may send completeNfProfile instead of nfProfile */
	if (sd_dc_get(&c, root, "nfProfile", SD_DC_OBJ, false, &prof) < 0)
		goto fail;
	m = sd_dc_push_key(&c, "nfProfile");
	if (!prof) {
		sd_dc_pop(&c, m);
		if (sd_dc_get(&c, root, "completeNfProfile", SD_DC_OBJ, false,
			      &prof) < 0)
			goto fail;
		m = sd_dc_push_key(&c, "completeNfProfile");
	}
	if (prof) {
		if (sd_dc_nf_profile(&c, prof, &out->profile) < 0)
			goto fail;
		if (strcmp(out->profile.nf.id, out->nf_id) != 0) {
			sd_nf_profile_done(&out->profile);
			sd_dc_fail_at(&c, "nfInstanceId", "does not match nfInstanceUri");
			goto fail;
		}
		out->has_profile = true;
	} else if (out->event == SD_NRF_EV_REGISTERED) {
		sd_dc_pop(&c, 0);
		sd_dc_fail(&c, "NF_REGISTERED without nfProfile");
		goto fail;
	}
	json_decref(root);
	return 0;
fail:
	json_decref(root);
	sd_nrf_notification_done(out);
	return -1;
}

void sd_nrf_notification_done(struct sd_nrf_notification *n)
{
	sd_nf_profile_done(&n->profile);
	n->has_profile = false;
}

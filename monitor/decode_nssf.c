/* monitor/decode_nssf.c — NSSF documents: AuthorizedNetworkSliceInfo
 * (Nnssf_NSSelection), AuthorizedNssaiAvailabilityInfo and
 * NssfEventNotification (Nnssf_NSSAIAvailability), TS 29.531.
 * See monitor/sbi_decode.h. */
#include "monitor/sbi_decode.h"

#include <string.h>

#include "core/util.h"
#include "monitor/decode_common.h"

/* [Snssai] at member k of o into set (dedup, capped). */
static int snssai_set(struct sd_dctx *c, const json_t *o, const char *k,
		      struct sd_snssai *set, int *n)
{
	const json_t *arr, *v;
	struct sd_snssai s;
	bool noted = false;
	size_t i, m;
	int r = sd_dc_arr(c, o, k, false, true, &arr);

	if (r <= 0)
		return r;
	m = sd_dc_push_key(c, k);
	json_array_foreach(arr, i, v) {
		size_t mi = sd_dc_push_idx(c, i);
		if (sd_dc_snssai(c, v, &s) < 0)
			return -1;
		sd_dc_snssai_add(c, set, n, SD_NSSF_MAX_SNSSAI, &s, &noted);
		sd_dc_pop(c, mi);
	}
	sd_dc_pop(c, m);
	return 1;
}

int sd_decode_nssf_slice_info(const char *body, size_t len,
			      struct sd_nssf_slice_info *out,
			      struct sd_decode_diag *diag)
{
	struct sd_dctx c;
	const json_t *nsi, *list, *al, *v, *w, *sn;
	json_t *root;
	bool noted = false;
	size_t i, k, m;
	int r = -1;

	memset(out, 0, sizeof *out);
	root = sd_dc_parse(&c, diag, body, len, false);
	if (!root)
		return -1;
	if (sd_dc_get(&c, root, "nsiInformation", SD_DC_OBJ, false, &nsi) < 0)
		goto out;
	if (nsi) {
		m = sd_dc_push_key(&c, "nsiInformation");
		if (sd_dc_uri(&c, nsi, "nrfId", true, out->nrf_id,
			      sizeof out->nrf_id) < 0 ||
		    sd_dc_str(&c, nsi, "nsiId", false, out->nsi_id,
			      sizeof out->nsi_id, SD_DC_TEXT) < 0)
			goto out;
		sd_dc_pop(&c, m);
		out->has_nsi = true;
	}
	if (sd_dc_arr(&c, root, "allowedNssaiList", false, true, &list) < 0)
		goto out;
	m = sd_dc_push_key(&c, "allowedNssaiList");
	json_array_foreach(list, i, v) {
		size_t mi = sd_dc_push_idx(&c, i);
		if (!json_is_object(v)) {
			sd_dc_fail(&c, "AllowedNssai must be an object");
			goto out;
		}
		if (sd_dc_get(&c, v, "accessType", SD_DC_STR, true, &w) < 0)
			goto out;
		/* AccessType is one of the few strict (non-extensible) enums */
		if (strcmp(json_string_value(w), "3GPP_ACCESS") != 0 &&
		    strcmp(json_string_value(w), "NON_3GPP_ACCESS") != 0) {
			sd_dc_fail_at(&c, "accessType",
				      "must be 3GPP_ACCESS or NON_3GPP_ACCESS");
			goto out;
		}
		if (sd_dc_arr(&c, v, "allowedSnssaiList", true, true, &al) < 0)
			goto out;
		sd_dc_push_key(&c, "allowedSnssaiList");
		json_array_foreach(al, k, w) {
			size_t mk = sd_dc_push_idx(&c, k);
			struct sd_snssai s;
			if (!json_is_object(w)) {
				sd_dc_fail(&c, "AllowedSnssai must be an object");
				goto out;
			}
			if (sd_dc_get(&c, w, "allowedSnssai", SD_DC_OBJ, true, &sn) < 0)
				goto out;
			sd_dc_push_key(&c, "allowedSnssai");
			if (sd_dc_snssai(&c, sn, &s) < 0)
				goto out;
			sd_dc_snssai_add(&c, out->allowed, &out->nallowed,
					 SD_NSSF_MAX_SNSSAI, &s, &noted);
			sd_dc_pop(&c, mk);
		}
		sd_dc_pop(&c, mi);
	}
	sd_dc_pop(&c, m);
	if (snssai_set(&c, root, "rejectedNssaiInTa", out->rejected_ta,
		       &out->nrejected_ta) < 0 ||
	    snssai_set(&c, root, "rejectedNssaiInPlmn", out->rejected_plmn,
		       &out->nrejected_plmn) < 0)
		goto out;
	r = 0;
out:
	json_decref(root);
	return r;
}

/* ---- NSSAI availability ---------------------------------------------- */

/* One AuthorizedNssaiAvailabilityData: all its TAIs x its S-NSSAIs are
 * appended to a->items (capacity cap); a record with an error adds none. */
static int avail_data(struct sd_dctx *c, const json_t *j, struct sd_nssai_avail *a,
		      int cap, bool *noted)
{
	struct sd_plmn plmns[1 + 64];
	uint32_t tacs[1 + 64];
	struct sd_snssai sn[SD_NSSF_MAX_SNSSAI];
	const json_t *t, *arr, *v;
	int nt = 0, ns = 0, x, y;
	size_t i, m;

	if (!json_is_object(j))
		return sd_dc_fail(c, "AuthorizedNssaiAvailabilityData must be an object");
	if (sd_dc_get(c, j, "tai", SD_DC_OBJ, true, &t) < 0)
		return -1;
	m = sd_dc_push_key(c, "tai");
	if (sd_dc_tai(c, t, &plmns[0], &tacs[0]) < 0)
		return -1;
	sd_dc_pop(c, m);
	nt = 1;
	if (sd_dc_arr(c, j, "taiList", false, true, &arr) < 0)
		return -1;
	m = sd_dc_push_key(c, "taiList");
	json_array_foreach(arr, i, v) {
		size_t mi = sd_dc_push_idx(c, i);
		if (nt >= (int)SD_ARRAY_LEN(tacs)) {
			sd_dc_note(c, "more than %d TAIs in one entry, kept the first %d",
				   (int)SD_ARRAY_LEN(tacs), (int)SD_ARRAY_LEN(tacs));
			sd_dc_pop(c, mi);
			break;
		}
		if (sd_dc_tai(c, v, &plmns[nt], &tacs[nt]) < 0)
			return -1;
		nt++;
		sd_dc_pop(c, mi);
	}
	sd_dc_pop(c, m);
	if (!json_object_get(j, "supportedSnssaiList"))
		return sd_dc_fail_at(c, "supportedSnssaiList", "missing (mandatory)");
	if (snssai_set(c, j, "supportedSnssaiList", sn, &ns) < 0)
		return -1;
	for (x = 0; x < nt; x++) {
		for (y = 0; y < ns; y++) {
			struct sd_nssai_avail_item *it;
			if (a->nitems >= cap) {
				if (!*noted)
					sd_dc_note(c, "more than %d (TAI, S-NSSAI) pairs, "
						   "kept the first %d", cap, cap);
				*noted = true;
				return 1;
			}
			it = &a->items[a->nitems++];
			it->plmn = plmns[x];
			it->tac = tacs[x];
			it->snssai = sn[y];
		}
	}
	return 1;
}

/* The authorizedNssaiAvailabilityData array; bad entries are skipped. */
static int avail_list(struct sd_dctx *c, const json_t *root, bool req,
		      struct sd_nssai_avail *a)
{
	const json_t *arr, *v;
	bool noted = false;
	size_t i, m;
	int cap = SD_DECODE_MAX_ITEMS;

	if (sd_dc_arr(c, root, "authorizedNssaiAvailabilityData", req, req, &arr) < 0)
		return -1;
	if (!arr || json_array_size(arr) == 0)
		return 0;
	a->items = sd_calloc((size_t)cap, sizeof *a->items);
	sd_dc_push_key(c, "authorizedNssaiAvailabilityData");
	m = c->plen;
	json_array_foreach(arr, i, v) {
		int before = a->nitems;
		sd_dc_push_idx(c, i);
		if (avail_data(c, v, a, cap, &noted) < 0) {
			a->nitems = before;
			sd_dc_skip(c);
		}
		sd_dc_pop(c, m);
	}
	return 1;
}

int sd_decode_nssai_avail_info(const char *body, size_t len,
			       struct sd_nssai_avail *out,
			       struct sd_decode_diag *diag)
{
	struct sd_dctx c;
	json_t *root;
	int r;

	memset(out, 0, sizeof *out);
	root = sd_dc_parse(&c, diag, body, len, false);
	if (!root)
		return -1;
	r = avail_list(&c, root, true, out);
	json_decref(root);
	if (r < 0)
		sd_nssai_avail_done(out);
	return r < 0 ? -1 : 0;
}

int sd_decode_nssf_event_notification(const char *body, size_t len,
				      struct sd_nssai_avail *out,
				      struct sd_decode_diag *diag)
{
	struct sd_dctx c;
	json_t *root;
	int r = -1;

	memset(out, 0, sizeof *out);
	root = sd_dc_parse(&c, diag, body, len, false);
	if (!root)
		return -1;
	/* Rel-18 made authorizedNssaiAvailabilityData optional (altNssai,
	 * unavailableNsiList may carry the news instead) */
	if (sd_dc_str(&c, root, "subscriptionId", true, out->subscription_id,
		      sizeof out->subscription_id, SD_DC_TEXT) >= 0)
		r = avail_list(&c, root, false, out);
	json_decref(root);
	if (r < 0)
		sd_nssai_avail_done(out);
	return r < 0 ? -1 : 0;
}

void sd_nssai_avail_done(struct sd_nssai_avail *a)
{
	sd_free(a->items);
	a->items = NULL;
	a->nitems = 0;
}

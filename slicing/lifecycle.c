/* slicing/lifecycle.c — see lifecycle.h. */
#include "slicing/lifecycle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ipc.h"
#include "core/log.h"
#include "core/util.h"
#include "slicing/admission.h"
#include "slicing/catalog.h"
#include "slicing/scenario.h"
#include "slicing/slicing_conf.h"
#include "slicing/spec.h"

struct sd_lifecycle {
	const struct sd_host *host;
	struct sd_model_store *mstore;
};

/* --- the dry run --------------------------------------------------------------- */

static json_t *op_check(struct sd_op_call *call)
{
	struct sd_lifecycle *lc = call->arg;
	bool modify = json_object_get(call->params, "slice") != NULL;
	struct sd_slice_spec sp;
	struct sd_adm_result r;
	json_t *o;
	if (!sd_spec_parse(call, modify, &sp)) {
		sd_spec_done(&sp);
		return NULL;
	}
	sd_admission_check(call->model, sd_slicing_conf_get(sd_host_config(lc->host)), &sp.adm, &r);
	o = sd_adm_result_json(&r);
	json_object_set_new(o, "factory", json_string(call->model->factories[sp.slice.factory].id));
	json_object_set_new(o, "scenario", sp.slice.scenario ? json_string(sp.slice.scenario->id)
						     : json_null());
	json_object_set_new(o, "slice", sp.base ? json_string(sp.base->id) : json_null());
	json_object_set_new(o, "sla", sd_spec_sla_json(&sp.slice.sla));
	sd_spec_done(&sp);
	return o;
}

/* --- the table ------------------------------------------------------------------- */

#define SPEC_PARAMS                                                                        \
	{ "factory", SD_PT_ID, false, "the factory (a factory user: its own, the default)" }, \
	{ "scenario", SD_PT_ID, false, "the template (slicedeck scenarios); required for a new slice" }, \
	{ "snssai", SD_PT_STRING, false, "SST-SD (operators); default: an SD from slicing.sd_range" }, \
	{ "sites", SD_PT_ARRAY, false, "site ids; default: all of the factory's" },          \
	{ "sla", SD_PT_OBJECT, false, "overrides: gbr_ul_kbps, gbr_dl_kbps, mbr_ul_kbps, "    \
	  "mbr_dl_kbps, latency_ms, latency_pct, reliability_pct, availability_pct, max_ues, fiveqi" }, \
	{ "dnn", SD_PT_STRING, false, "one of the factory's DNNs; default: its first" },     \
	{ "name", SD_PT_STRING, false, "display name; default: the scenario's" }

static const struct sd_param p_check[] = {
	SPEC_PARAMS,
	{ "slice", SD_PT_ID, false, "check a change to this slice instead of a new one" },
	SD_PARAMS_END
};

static const struct sd_op lifecycle_ops[] = {
	{ "slice.check", op_check, SD_PERM_REQUEST, 0, p_check,
	  "run admission control on a slice or a change without changing anything" },
};

struct sd_lifecycle *sd_lifecycle_new(const struct sd_host *host, struct sd_model_store *mstore,
				      char *err, size_t errsz)
{
	struct sd_lifecycle *lc = sd_calloc(1, sizeof *lc);
	lc->host = host;
	lc->mstore = mstore;
	if (sd_ops_register(host->ops, lifecycle_ops, SD_ARRAY_LEN(lifecycle_ops), lc) < 0) {
		snprintf(err, errsz, "an op name is registered twice");
		free(lc);
		return NULL;
	}
	return lc;
}

void sd_lifecycle_free(struct sd_lifecycle *lc)
{
	if (!lc)
		return;
	sd_ops_unregister(lc->host->ops, lifecycle_ops);
	free(lc);
}

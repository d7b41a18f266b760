/* slicing/spec.h — a slice as an IPC caller describes it (scenario, sites,
 * SLA overrides, S-NSSAI), checked against the caller's scope and, for a
 * factory user, the template's limits; shared by the dry run and the
 * lifecycle's request, create and modify operations.
 *
 * Scope: a factory caller describes slices of its own factory only; a
 * factory, site or slice of another factory is refused exactly as an
 * absent one ("outside your scope"). A factory caller's overrides stay
 * within the template (docs/slicing.md, "Overrides"): rates no higher
 * than the template's maximum, a bound no tighter, reliability,
 * availability and percentile no higher, UEs no more, the 5QI unchanged,
 * and the S-NSSAI is the operator's to choose.
 */
#ifndef SD_SPEC_H
#define SD_SPEC_H

#include <stdbool.h>

#include "core/ops.h"
#include "slicing/admission.h"

struct sd_slice_spec {
	struct sd_slice slice;       /* id, name, factory, scenario, dnn, sla, sites (owned) */
	struct sd_adm_request adm;   /* points into slice */
	const struct sd_slice *base; /* the slice being changed, NULL for a new one */
};

/* The parameters a slice spec is read from, typed, for an op's table
 * (struct sd_param rows; the registry checks their types before the op
 * runs, so sd_spec_parse() only sees well-typed members). */
#define SD_SPEC_PARAMS                                                                        \
	{ "factory", SD_PT_ID, false, "the factory (a factory user: its own, the default)" }, \
	{ "scenario", SD_PT_ID, false, "the template (slicedeck scenarios); required for a new slice" }, \
	{ "snssai", SD_PT_STRING, false, "SST-SD (operators); default: an SD from slicing.sd_range" }, \
	{ "sites", SD_PT_ARRAY, false, "site ids; default: all of the factory's" },          \
	{ "sla", SD_PT_OBJECT, false, "overrides: gbr_ul_kbps, gbr_dl_kbps, mbr_ul_kbps, "    \
	  "mbr_dl_kbps, latency_ms, latency_pct, reliability_pct, availability_pct, max_ues, fiveqi" }, \
	{ "dnn", SD_PT_STRING, false, "one of the factory's DNNs; default: its first" },     \
	{ "name", SD_PT_STRING, false, "display name; default: the scenario's" }

/* Fill spec from the call's parameters: "factory", "scenario", "snssai",
 * "sites", "sla", "dnn", "name", and with modify "slice" (the existing
 * slice: unnamed members keep its values). Returns false after
 * sd_op_fail(). */
bool sd_spec_parse(struct sd_op_call *call, bool modify, struct sd_slice_spec *spec);
/* Call after sd_spec_parse either way. */
void sd_spec_done(struct sd_slice_spec *spec);

/* The SLA profile as IPC members (kbit/s, ms): the override names. */
json_t *sd_spec_sla_json(const struct sd_sla_profile *s);

#endif

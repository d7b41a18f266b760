/* monitor/alarm_policy.c — see alarm_policy.h.
 *
 * Why these rules: an SLA breach is a contract broken (major); a slice
 * that is not available at all is the worst a factory can see (critical).
 * A grade-3 factory (the highest security grade: steelworks, chemicals,
 * where a slice carries control traffic) gets every SLA and coverage
 * alarm one step more severe. Exceeding the contracted number of UEs is
 * the factory using more than it bought, not the network failing: minor
 * (major at grade 3, where an unexpected device is also a security
 * question). An unreachable AMF, SMF, UPF or NRF takes slices down
 * (critical), and so does a slice left without one serving it, or an
 * NRF outage (nothing about the core is known any more); other NFs
 * degrade functions (major). An NF lost from the NRF is judged like one
 * unreachable. Coverage below target
 * is a planning matter (minor).
 */
#include "monitor/alarm_policy.h"

#include "core/util.h"

static const struct sd_alarm_sev_rule rules[] = {
	/* SLA breaches of a slice */
	{ SD_CAUSE_THRESHOLD_CROSSED, "slice", "availability", 0, SD_SEV_CRITICAL },
	{ SD_CAUSE_THRESHOLD_CROSSED, "slice", "max_ues",      3, SD_SEV_MAJOR },
	{ SD_CAUSE_THRESHOLD_CROSSED, "slice", "max_ues",      0, SD_SEV_MINOR },
	{ SD_CAUSE_THRESHOLD_CROSSED, "slice", NULL,           3, SD_SEV_CRITICAL },
	{ SD_CAUSE_THRESHOLD_CROSSED, "slice", NULL,           0, SD_SEV_MAJOR },
	/* NF instances unreachable (zone-wide: no grade) */
	{ SD_CAUSE_COMMS_FAILURE,     "nf",    "AMF",          0, SD_SEV_CRITICAL },
	{ SD_CAUSE_COMMS_FAILURE,     "nf",    "SMF",          0, SD_SEV_CRITICAL },
	{ SD_CAUSE_COMMS_FAILURE,     "nf",    "UPF",          0, SD_SEV_CRITICAL },
	{ SD_CAUSE_COMMS_FAILURE,     "nf",    "NRF",          0, SD_SEV_CRITICAL },
	{ SD_CAUSE_COMMS_FAILURE,     "nf",    NULL,           0, SD_SEV_MAJOR },
	/* a slice without a serving AMF, SMF or UPF carries nothing */
	{ SD_CAUSE_COMMS_FAILURE,     "slice", NULL,           0, SD_SEV_CRITICAL },
	/* a site's radio coverage below target */
	{ SD_CAUSE_DEGRADED_SIGNAL,   "site",  NULL,           3, SD_SEV_MAJOR },
	{ SD_CAUSE_DEGRADED_SIGNAL,   "site",  NULL,           0, SD_SEV_MINOR },
};

static bool str_matches(const char *rule, const char *v)
{
	return !rule || (v && sd_streq(rule, v));
}

enum sd_alarm_severity sd_alarm_policy_severity(enum sd_alarm_cause cause,
						const char *object_kind,
						const char *what, int grade)
{
	for (size_t i = 0; i < SD_ARRAY_LEN(rules); i++) {
		const struct sd_alarm_sev_rule *r = &rules[i];
		if (r->cause == cause && str_matches(r->object_kind, object_kind) &&
		    str_matches(r->what, what) && (r->grade == 0 || r->grade == grade))
			return r->severity;
	}
	return SD_SEV_INDETERMINATE;
}

const struct sd_alarm_sev_rule *sd_alarm_policy_rules(size_t *n)
{
	*n = SD_ARRAY_LEN(rules);
	return rules;
}

/* monitor/alarm_policy.h — which severity an alarm source raises.
 *
 * The sources (sd_alarm_sla, sd_alarm_nf, sd_alarm_coverage in alarm.h)
 * do not choose a severity in code: they ask this table, keyed by the
 * probable cause, the managed object's kind ("slice", "nf", "site"), what
 * exactly is wrong (the SLA KPI name, the NF type; NULL when nothing more
 * specific is known) and the owning factory's security grade (1..3, the
 * industrial-internet security grading; 0 when unknown or zone-wide).
 *
 * Rules are tried in order and the first that matches wins; in a rule,
 * NULL / 0 match anything. A combination no rule covers is
 * "indeterminate" (X.733: the severity cannot be determined). The table
 * is documented in docs/sla-alarms.md ("Severity policy").
 */
#ifndef SD_ALARM_POLICY_H
#define SD_ALARM_POLICY_H

#include <stddef.h>

#include "core/alarm_types.h"

struct sd_alarm_sev_rule {
	enum sd_alarm_cause cause;
	const char *object_kind;     /* NULL: any */
	const char *what;            /* NULL: any */
	int grade;                   /* 0: any */
	enum sd_alarm_severity severity;
};

enum sd_alarm_severity sd_alarm_policy_severity(enum sd_alarm_cause cause,
						const char *object_kind,
						const char *what, int grade);
/* The table itself, in match order (for docs and tests). */
const struct sd_alarm_sev_rule *sd_alarm_policy_rules(size_t *n);

#endif

/* core/alarm_types.c — names of the X.733 vocabulary, see alarm_types.h. */
#include "core/alarm_types.h"

#include "core/util.h"

const char *const sd_alarm_sev_names[SD_SEV_COUNT] = {
	"cleared", "indeterminate", "warning", "minor", "major", "critical",
};
const char *const sd_alarm_type_names[SD_ALARM_TYPE_COUNT] = {
	"communicationsAlarm", "qualityOfServiceAlarm", "processingErrorAlarm",
	"equipmentAlarm", "environmentalAlarm",
};
const char *const sd_alarm_cause_names[SD_CAUSE_COUNT] = {
	"thresholdCrossed", "performanceDegraded", "communicationsSubsystemFailure",
	"degradedSignal", "congestion", "softwareError", "other",
};

const char *sd_alarm_severity_name(enum sd_alarm_severity s)
{
	return (unsigned)s < SD_SEV_COUNT ? sd_alarm_sev_names[s] : "?";
}

int sd_alarm_severity_parse(const char *s)
{
	for (int i = 0; i < SD_SEV_COUNT; i++)
		if (sd_streq(s, sd_alarm_sev_names[i]))
			return i;
	return -1;
}

const char *sd_alarm_type_name(enum sd_alarm_type t)
{
	return (unsigned)t < SD_ALARM_TYPE_COUNT ? sd_alarm_type_names[t] : "?";
}

const char *sd_alarm_cause_name(enum sd_alarm_cause c)
{
	return (unsigned)c < SD_CAUSE_COUNT ? sd_alarm_cause_names[c] : "?";
}

int sd_alarm_cause_parse(const char *s)
{
	for (int i = 0; i < SD_CAUSE_COUNT; i++)
		if (sd_streq(s, sd_alarm_cause_names[i]))
			return i;
	return -1;
}

const char *sd_alarm_notif_name(enum sd_alarm_notif n)
{
	switch (n) {
	case SD_ALARM_NEW: return "new";
	case SD_ALARM_CHANGED: return "changed";
	case SD_ALARM_CLEARED: return "cleared";
	case SD_ALARM_ACKED: return "acked";
	}
	return "?";
}


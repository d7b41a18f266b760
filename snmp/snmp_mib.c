/* snmp/snmp_mib.c — see snmp_mib.h. */
#include "snmp/snmp_mib.h"

#include <string.h>
#include <time.h>

long sd_snmp_itu_severity(enum sd_alarm_severity s)
{
	static const long v[SD_SEV_COUNT] = {
		[SD_SEV_CLEARED] = 1, [SD_SEV_INDETERMINATE] = 2, [SD_SEV_CRITICAL] = 3,
		[SD_SEV_MAJOR] = 4, [SD_SEV_MINOR] = 5, [SD_SEV_WARNING] = 6,
	};
	return (unsigned)s < SD_SEV_COUNT ? v[s] : 2;
}

long sd_snmp_itu_event_type(enum sd_alarm_type t)
{
	static const long v[SD_ALARM_TYPE_COUNT] = {
		[SD_ALARM_COMMUNICATIONS] = 2, [SD_ALARM_QOS] = 3, [SD_ALARM_PROCESSING] = 4,
		[SD_ALARM_EQUIPMENT] = 5, [SD_ALARM_ENVIRONMENTAL] = 6,
	};
	return (unsigned)t < SD_ALARM_TYPE_COUNT ? v[t] : 1;
}

long sd_snmp_itu_cause(enum sd_alarm_cause c)
{
	static const long v[SD_CAUSE_COUNT] = {
		[SD_CAUSE_THRESHOLD_CROSSED] = 549, [SD_CAUSE_PERFORMANCE_DEGRADED] = 532,
		[SD_CAUSE_COMMS_FAILURE] = 505, [SD_CAUSE_DEGRADED_SIGNAL] = 511,
		[SD_CAUSE_CONGESTION] = 507, [SD_CAUSE_SOFTWARE_ERROR] = 544,
		[SD_CAUSE_OTHER] = 1024,
	};
	return (unsigned)c < SD_CAUSE_COUNT ? v[c] : 1024;
}

size_t sd_snmp_date_and_time(int64_t ms, unsigned char b[11])
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	int y;
	if (ms <= 0 || !gmtime_r(&t, &tm))
		return 0;
	y = tm.tm_year + 1900;
	b[0] = (unsigned char)(y >> 8);
	b[1] = (unsigned char)y;
	b[2] = (unsigned char)(tm.tm_mon + 1);
	b[3] = (unsigned char)tm.tm_mday;
	b[4] = (unsigned char)tm.tm_hour;
	b[5] = (unsigned char)tm.tm_min;
	b[6] = (unsigned char)tm.tm_sec;
	b[7] = (unsigned char)((ms % 1000) / 100);
	b[8] = '+';
	b[9] = 0;
	b[10] = 0;
	return 11;
}

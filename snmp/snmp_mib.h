/* snmp/snmp_mib.h — how SLICEDECK-MIB (etc/SLICEDECK-MIB.txt) encodes the
 * alarm vocabulary, shared by the notifications (snmp_sink.c) and the
 * AgentX tables (snmp_agentx.c): the RFC 3877 enumerations and
 * DateAndTime.
 */
#ifndef SD_SNMP_MIB_H
#define SD_SNMP_MIB_H

#include <stddef.h>
#include <stdint.h>

#include "core/alarm_types.h"

/* ItuPerceivedSeverity: cleared(1) indeterminate(2) critical(3) major(4)
 * minor(5) warning(6) — not the order of enum sd_alarm_severity. */
long sd_snmp_itu_severity(enum sd_alarm_severity s);
/* IANAItuEventType: communicationsAlarm(2) .. environmentalAlarm(6). */
long sd_snmp_itu_event_type(enum sd_alarm_type t);
/* IANAItuProbableCause, the X.733 variant where there are two. */
long sd_snmp_itu_cause(enum sd_alarm_cause c);

/* DateAndTime (SNMPv2-TC) of a wall-clock time, UTC, 11 octets into out;
 * returns 11, or 0 (nothing written) for a time <= 0. */
size_t sd_snmp_date_and_time(int64_t wall_ms, unsigned char out[11]);

#endif

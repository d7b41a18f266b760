/* snmp/snmp_sink.h — alarms to the operator's NMS as SNMP notifications.
 *
 * The sink subscribes (queued) to the bus's SD_BUS_ALARM and SD_BUS_ENGINE
 * events and sends each alarm notification to every target of the `snmp`
 * section as the SLICEDECK-MIB notification of its kind (etc/SLICEDECK-MIB.txt):
 * a v2c or v3 (USM) trap or inform. Everything runs on the engine's loop
 * with net-snmp's single-session API: each target's UDP socket is an fd
 * watcher, retransmissions are one loop timer, net-snmp's own alarms never
 * use SIGALRM. Nothing blocks: v3 informs need the receiver's engine ID
 * in the configuration (no discovery), host names are resolved with
 * getaddrinfo_a.
 *
 * Per target: a bounded queue (critical alarms first; what overflows is
 * counted as dropped), at most SD_SNMP_WINDOW informs in flight, a token
 * bucket (rate, burst) that suppresses non-critical notifications in a
 * storm and sends one sdStormSummary per storm_interval with the counts,
 * and counters (sent, acked, failed, dropped, suppressed) for the `snmp`
 * IPC op. A target's failures are logged once per change of state.
 *
 * Engine notifications: coldStart when the sink starts, warmStart after a
 * reload (the new target list is applied first), sdHeartbeat every
 * snmp.heartbeat seconds. The engine's v3 engine ID (for v3 traps the
 * receivers localise our user to it) is read from, or made once into,
 * STATE_DIR/snmp-engine-id with the boot counter.
 */
#ifndef SD_SNMP_SINK_H
#define SD_SNMP_SINK_H

#include <stddef.h>

#include "core/alarm_types.h"
#include "core/host.h"

#define SD_SNMP_WINDOW 64          /* informs in flight per target */

/* SLICEDECK-MIB sdSliceSlaVerdict */
enum { SD_SNMP_SLA_UNKNOWN = 1, SD_SNMP_SLA_MET, SD_SNMP_SLA_BREACHED, SD_SNMP_SLA_NODATA };

/* What the sink and the AgentX tables read from other modules (the engine
 * wires the alarm manager and the SLA evaluator in; any member may be
 * NULL). */
struct sd_snmp_source {
	/* every active alarm */
	void (*each_active)(void *arg, void (*fn)(const struct sd_alarm *a, void *fnarg),
			    void *fnarg);
	/* the last closed window's verdict over the slice's KPIs (SD_SNMP_SLA_*) */
	int (*slice_verdict)(void *arg, const char *slice_id);
	/* this month's compliance per slice (the lowest of its KPIs), in
	 * hundredths of a percent; slices without data are left out */
	void (*each_compliance)(void *arg, void (*fn)(const char *slice_id, int hundredths,
						      void *fnarg), void *fnarg);
	void *arg;
};

struct sd_snmp;

/* NULL + err when net-snmp or the engine ID file fail. src may be NULL. */
struct sd_snmp *sd_snmp_new(const struct sd_host *h, const struct sd_snmp_source *src,
			    char *err, size_t errsz);
/* Sends what is queued as far as the sockets take it, closes. */
void sd_snmp_free(struct sd_snmp *s);

/* The engine ID as "0x..." */
const char *sd_snmp_engine_id(const struct sd_snmp *s);

#endif

/* snmp/snmp_agentx.h — the AgentX subagent: SLICEDECK-MIB's four read-only
 * tables (sdFactoryTable, sdSliceTable, sdNfTable, sdActiveAlarmTable)
 * served through the host's snmpd (the master agent), so that an NMS can
 * poll, and resynchronise after notifications it missed.
 *
 * Optional: only with snmp.agentx.socket set. Everything runs on the
 * engine's loop: every fd net-snmp's session list wants is a watcher
 * (re-synced each turn: a reconnect opens new sockets), its timeouts and
 * alarms are one loop timer (alarms without SIGALRM). The tables are
 * rebuilt from the model and the alarm list when a request finds them
 * older than a second (net-snmp's cache helper), so they follow the model
 * without work when nobody polls.
 *
 * A master that is missing at start, restarts, closes the session or
 * sends garbage is net-snmp's AgentX code's to handle: it pings the
 * master every snmp.agentx.retry seconds and re-registers when it answers
 * again; each change of that state is logged (through net-snmp's log
 * messages) and nothing stops the engine.
 *
 * The AgentX role must be chosen before net-snmp is initialised, so
 * sd_agentx_preinit() runs inside the sink's start (snmp_sink.c), and
 * the tables are registered after it.
 */
#ifndef SD_SNMP_AGENTX_H
#define SD_SNMP_AGENTX_H

#include <stddef.h>

#include "core/host.h"
#include "snmp/snmp_sink.h"

struct sd_agentx;

/* Before init_snmp(): the subagent role, the master's socket, the ping
 * (reconnect) interval in seconds; then init_agent(). */
void sd_agentx_preinit(const char *socket, int retry_s);

/* After init_snmp(): registers the tables and joins the loop. NULL + err
 * when a registration fails. */
struct sd_agentx *sd_agentx_new(const struct sd_host *h, const struct sd_snmp_source *src,
				char *err, size_t errsz);
void sd_agentx_free(struct sd_agentx *x);

#endif

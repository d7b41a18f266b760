/* monitor/alarm.h — the alarm manager (ITU-T X.733 alarm shape).
 *
 * An alarm is identified by its key: managed object + probable cause +
 * specific problem ("slice=f1-vision", thresholdCrossed, "sla-latency").
 * Raising a key that is active updates that alarm (severity, text,
 * changed time) instead of adding one: de-duplication. Clearing a key
 * clears the alarm the matching raise made (correlation); raising the
 * key again later makes a new alarm with a new id.
 *
 * Every change is a notification with a fresh notification id (X.733
 * notificationIdentifier), logged to the store (tables alarm, alarm_log),
 * handed to every sink (a name, a callback, its state and the state's
 * destructor: the IPC side) and, when the manager has a bus, published as
 * an SD_BUS_ALARM event with a copy of the alarm (the SNMP sink, AgentX
 * and plugins subscribe there, queued, so their I/O never runs inside a
 * raise).
 *
 * Alarms carry structured fields besides the formatted text (object kind
 * and id, slice and S-NSSAI, site, NF, observed value, threshold, unit:
 * struct sd_alarm in core/alarm_types.h), filled by the sources, stored
 * and restored with the alarm. The sources take their severity from the
 * policy table (monitor/alarm_policy.h), not from code.
 *
 * Acknowledgement (X.733 ackState) is separate from clearing: operators
 * may ack any alarm, active or cleared; viewers and factory users may not
 * (a factory user sees only its own factory's alarms and zone-wide ones
 * are hidden from it). A severity increase withdraws the ack: someone must
 * look again.
 *
 * Bounded: at most max_active active alarms (further raises are refused
 * and counted) and the last max_cleared cleared ones in memory; the rest
 * is in the store.
 */
#ifndef SD_ALARM_H
#define SD_ALARM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/alarm_types.h"
#include "core/config.h"
#include "core/model.h"
#include "core/store.h"

struct sd_bus;

/* What a source raises. Strings are sanitised and clipped on the way in;
 * NULL is "". */
struct sd_alarm_spec {
	const char *object;
	const char *factory;         /* NULL or "" zone-wide */
	enum sd_alarm_type type;
	enum sd_alarm_cause cause;
	enum sd_alarm_severity severity;   /* not CLEARED */
	const char *problem;
	const char *text;
	/* structured (all optional) */
	const char *object_kind;     /* NULL: taken from object "kind=id" */
	const char *object_id;       /* NULL: likewise */
	const char *slice;
	const char *snssai;          /* "1-000001" */
	const char *site;
	const char *nf;              /* nfInstanceId */
	bool measured;               /* observed/target/unit below are given */
	double observed, target;     /* else the alarm has NAN for both */
	const char *unit;
};

/* A sink sees every notification; a is valid during the call only. */
typedef void (*sd_alarm_sink_fn)(void *arg, enum sd_alarm_notif kind,
				 const struct sd_alarm *a);

struct sd_alarm_conf {
	int max_active;      /* default 10000 */
	int max_cleared;     /* cleared alarms kept in memory, default 256 */
};
void sd_alarm_conf_default(struct sd_alarm_conf *c);

enum sd_alarm_err {
	SD_ALARM_OK = 0,
	SD_ALARM_ENOENT = -1,   /* no such alarm (or not visible to the caller) */
	SD_ALARM_EPERM = -2,    /* the caller's role may not do this */
	SD_ALARM_EINVAL = -3,   /* bad arguments */
	SD_ALARM_EFULL = -4,    /* max_active reached */
};

struct sd_alarms;

/* store may be NULL. Active alarms in the store are loaded (a restart
 * keeps them, and ids continue). NULL + err on failure. */
struct sd_alarms *sd_alarms_new(const struct sd_alarm_conf *c, struct sd_store *store,
				char *err, size_t errsz);
/* Calls every sink's destructor. */
void sd_alarms_free(struct sd_alarms *am);

/* Publish every notification on bus as SD_BUS_ALARM (notif + a copy of the
 * alarm after the change), after the store and the sinks saw it. NULL
 * stops publishing. The bus must outlive the manager or be unset first. */
void sd_alarms_set_bus(struct sd_alarms *am, struct sd_bus *bus);

/* Register a sink; free_arg (may be NULL) is called with arg when the sink
 * is removed or the manager freed, and also here on failure (duplicate
 * name: -1). */
int sd_alarms_add_sink(struct sd_alarms *am, const char *name, sd_alarm_sink_fn fn,
		       void *arg, void (*free_arg)(void *arg));
int sd_alarms_remove_sink(struct sd_alarms *am, const char *name);

/* A wall time as the JSON forms carry it: an RFC 3339 string, null for 0. */
json_t *sd_alarm_time_json(int64_t ms);

/* Raise, or update the active alarm with the same key. Returns the alarm
 * id (> 0), or SD_ALARM_EINVAL / SD_ALARM_EFULL. An update that changes
 * nothing (same severity and text) notifies nobody. */
int64_t sd_alarm_raise(struct sd_alarms *am, const struct sd_alarm_spec *spec,
		       int64_t now_ms);
/* Clear the active alarm with this key; text (may be NULL) replaces the
 * additional text. Returns its id, or SD_ALARM_ENOENT when none is active. */
int64_t sd_alarm_clear(struct sd_alarms *am, const char *object, enum sd_alarm_cause cause,
		       const char *problem, const char *text, int64_t now_ms);

/* Who may do what (the IPC layer calls these with the peer's role and,
 * for SD_ROLE_FACTORY, its factory id). */
bool sd_alarm_visible(const struct sd_alarm *a, enum sd_role role, const char *factory);
bool sd_alarm_may_ack(const struct sd_alarm *a, enum sd_role role, const char *factory);
/* Acknowledge alarm id as user who. SD_ALARM_OK (also when it already was
 * acknowledged: the first ack is kept), SD_ALARM_ENOENT (unknown or not
 * visible to the caller), SD_ALARM_EPERM (visible but the role may not
 * ack). */
int sd_alarm_ack(struct sd_alarms *am, uint64_t id, enum sd_role role,
		 const char *factory, const char *who, int64_t now_ms);

/* Alarms the caller may see, active first (most severe, then newest), then
 * (include_cleared) the cleared ones kept in memory, newest first. Fills
 * up to max pointers (valid until the next change); returns how many. */
int sd_alarms_list(const struct sd_alarms *am, bool include_cleared, enum sd_role role,
		   const char *factory, const struct sd_alarm **out, int max);
/* By id, active or cleared-in-memory; NULL otherwise. */
const struct sd_alarm *sd_alarms_get(const struct sd_alarms *am, uint64_t id);
/* Every active alarm (in no particular order), then with include_cleared
 * the cleared ones kept in memory (newest first), unscoped: the caller
 * filters with sd_alarm_visible. fn must not raise, clear or ack (the
 * arrays may move); a is valid during the call only. */
void sd_alarms_each(const struct sd_alarms *am, bool include_cleared,
		    void (*fn)(const struct sd_alarm *a, void *arg), void *arg);
int sd_alarms_active_count(const struct sd_alarms *am);
/* Raises refused because max_active was reached. */
uint64_t sd_alarms_refused(const struct sd_alarms *am);

/* History from the store: notifications with time in [from_ms, to_ms),
 * oldest first. Returns how many, or -1. */
typedef void (*sd_alarm_log_fn)(void *arg, uint64_t notification_id, uint64_t alarm_id,
				enum sd_alarm_notif kind, enum sd_alarm_severity sev,
				int64_t time_ms, const char *object, const char *text);
long sd_alarms_history(struct sd_alarms *am, int64_t from_ms, int64_t to_ms,
		       sd_alarm_log_fn fn, void *arg);

/* The alarm as a JSON object for IPC: id, notification_id, object,
 * factory (null when zone-wide), event_type, probable_cause, severity,
 * last_severity, specific_problem, text, raised / changed / cleared /
 * acked (RFC 3339 or null), acked_by (null when not acked), active; and
 * the structured members object_kind, object_id, slice, snssai, site, nf,
 * unit (strings, null when they do not apply), observed, target (numbers,
 * null when not measured). */
json_t *sd_alarm_to_json(const struct sd_alarm *a);

/* --- sources ------------------------------------------------------------
 * Each may be called with the current state on every refresh, not only on
 * transitions: a raise of an active alarm with the same text notifies
 * nobody, and a clear with nothing active returns SD_ALARM_ENOENT quietly.
 */

/* An SLA KPI's verdict change for sd_alarm_sla_ex. */
struct sd_alarm_sla_in {
	const char *slice;
	const char *factory;
	int grade;                   /* the factory's security grade 1..3, 0 unknown */
	const char *snssai;          /* the slice's S-NSSAI ("1-000001"), NULL unknown */
	const char *kpi;             /* sd_sla_kpi_name */
	bool breach;                 /* true: breached; false: met again */
	double observed, target;
	const char *unit;
};
/* SLA breach (raise) or recovery (clear) of a slice's KPI; severity from
 * the policy (cause thresholdCrossed, kind "slice", what = the KPI, the
 * grade). observed/target/unit go into the text and the structured
 * fields. */
int64_t sd_alarm_sla_ex(struct sd_alarms *am, const struct sd_alarm_sla_in *in,
			int64_t now_ms);
/* NF unreachable (raise; policy: communicationsSubsystemFailure, kind
 * "nf", what = the NF type) or back (clear). nf_id is the nfInstanceId;
 * type and name may be NULL. Zone-wide: no factory, no grade. */
int64_t sd_alarm_nf(struct sd_alarms *am, const char *nf_id, const char *type,
		    const char *name, bool reachable, int64_t now_ms);
/* Coverage of a site below target (raise; policy: degradedSignal, kind
 * "site", the owning factory's grade, 0 unknown) or back at/above
 * (clear). */
int64_t sd_alarm_coverage_ex(struct sd_alarms *am, const char *site, const char *factory,
			     int grade, double share_pct, double target_pct, int64_t now_ms);

/* Deprecated shorthands (grade 0, no S-NSSAI): the severities they give
 * are the policy's grade-independent rows. Use the _ex forms. */
int64_t sd_alarm_sla(struct sd_alarms *am, const char *slice, const char *factory,
		     const char *kpi, bool breach, double observed, double target,
		     const char *unit, int64_t now_ms);
int64_t sd_alarm_coverage(struct sd_alarms *am, const char *site, const char *factory,
			  double share_pct, double target_pct, int64_t now_ms);

#endif

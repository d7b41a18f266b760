/* core/alarm_types.h — the alarm vocabulary (ITU-T X.733 shape) shared by
 * the alarm manager (monitor/alarm.h), the event bus and the sinks (SNMP,
 * plugins): severities, event types, probable causes, notification kinds
 * and the alarm record itself. Domain vocabulary only: no behaviour.
 */
#ifndef SD_ALARM_TYPES_H
#define SD_ALARM_TYPES_H

#include <stdint.h>

#include "core/model.h"

/* Ordered: a larger value is more severe (CLEARED lowest). */
enum sd_alarm_severity {
	SD_SEV_CLEARED,
	SD_SEV_INDETERMINATE,
	SD_SEV_WARNING,
	SD_SEV_MINOR,
	SD_SEV_MAJOR,
	SD_SEV_CRITICAL,
	SD_SEV_COUNT
};

enum sd_alarm_type {
	SD_ALARM_COMMUNICATIONS,   /* communicationsAlarm */
	SD_ALARM_QOS,              /* qualityOfServiceAlarm */
	SD_ALARM_PROCESSING,       /* processingErrorAlarm */
	SD_ALARM_EQUIPMENT,        /* equipmentAlarm */
	SD_ALARM_ENVIRONMENTAL,    /* environmentalAlarm */
	SD_ALARM_TYPE_COUNT
};

/* Probable causes used here (X.733 / X.721 names). */
enum sd_alarm_cause {
	SD_CAUSE_THRESHOLD_CROSSED,     /* thresholdCrossed: SLA KPI */
	SD_CAUSE_PERFORMANCE_DEGRADED,  /* performanceDegraded */
	SD_CAUSE_COMMS_FAILURE,         /* communicationsSubsystemFailure: NF */
	SD_CAUSE_DEGRADED_SIGNAL,       /* degradedSignal: coverage */
	SD_CAUSE_CONGESTION,            /* congestion */
	SD_CAUSE_SOFTWARE_ERROR,        /* softwareError */
	SD_CAUSE_OTHER,                 /* other: see specific problem */
	SD_CAUSE_COUNT
};

enum sd_alarm_notif {
	SD_ALARM_NEW,       /* notifyNewAlarm */
	SD_ALARM_CHANGED,   /* notifyChangedAlarm (severity or text) */
	SD_ALARM_CLEARED,   /* notifyClearedAlarm */
	SD_ALARM_ACKED,     /* notifyAckStateChanged */
};

#define SD_ALARM_OBJECT_MAX 96
#define SD_ALARM_PROBLEM_MAX 64
#define SD_ALARM_TEXT_MAX 256

struct sd_alarm {
	uint64_t id;                 /* stable for the alarm's life; ack by it */
	uint64_t notification_id;    /* of its latest notification */
	char object[SD_ALARM_OBJECT_MAX];   /* managed object, "slice=f1-vision" */
	char factory[SD_ID_MAX];     /* owning factory id, "" zone-wide */
	enum sd_alarm_type type;
	enum sd_alarm_cause cause;
	enum sd_alarm_severity severity;      /* CLEARED once cleared */
	enum sd_alarm_severity last_severity; /* before clearing */
	char problem[SD_ALARM_PROBLEM_MAX];   /* specific problem */
	char text[SD_ALARM_TEXT_MAX];         /* additional text */
	int64_t raised_ms, changed_ms, cleared_ms, acked_ms;   /* 0 = not yet */
	char acked_by[64];
	/* structured: what the alarm is about, for NMS varbinds and plugins
	 * (filled by the sources; "" / NAN where it does not apply) */
	char object_kind[16];        /* "slice", "nf", "site", "cell", "engine" */
	char object_id[64];          /* the object's id within its kind */
	char slice[SD_ID_MAX];       /* the slice concerned, "" */
	char snssai[16];             /* its S-NSSAI ("1-000001"), "" */
	char site[SD_ID_MAX];
	char nf[64];                 /* nfInstanceId */
	double observed, target;     /* the measured value and its threshold, NAN
				      * when not measured; after a clear, observed
				      * is the value that cleared it */
	char unit[16];               /* of observed/target: "ms", "%", "dBm" */
};

/* The names by value (X.733 / X.721 spelling), for tables and stores. */
extern const char *const sd_alarm_sev_names[SD_SEV_COUNT];
extern const char *const sd_alarm_type_names[SD_ALARM_TYPE_COUNT];
extern const char *const sd_alarm_cause_names[SD_CAUSE_COUNT];

const char *sd_alarm_severity_name(enum sd_alarm_severity s);  /* "critical" */
int sd_alarm_severity_parse(const char *s);
const char *sd_alarm_type_name(enum sd_alarm_type t);          /* "qualityOfServiceAlarm" */
const char *sd_alarm_cause_name(enum sd_alarm_cause c);        /* "thresholdCrossed" */
int sd_alarm_cause_parse(const char *s);
const char *sd_alarm_notif_name(enum sd_alarm_notif n);        /* "new" */

#endif

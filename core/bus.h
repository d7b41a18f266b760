/* core/bus.h — the engine's event bus: small typed events, published by
 * the module that saw something happen, delivered to every subscriber of
 * that kind.
 *
 *   publish     sd_bus_publish(bus, &ev): synchronous subscribers run at
 *               once, in subscription order; queued subscribers get a copy
 *               appended to their bounded queue, drained on the loop (a
 *               zero timer), so a subscriber that does I/O (SNMP, a
 *               webhook) never runs inside the publisher's call stack.
 *   subscribe   sd_bus_subscribe(bus, kinds, fn, arg) — synchronous, for
 *               cheap in-memory reactions (the IPC server marking a dirty
 *               set); sd_bus_subscribe_queued(bus, kinds, max, fn, arg) —
 *               at most max events wait; what overflows is counted
 *               (sd_bus_dropped), never silently lost.
 *
 * Events are flat structs (fixed-size strings, no pointers the subscriber
 * must free): a copy is a memcpy, and an event is valid in a synchronous
 * callback for the duration of the call only. A subscriber must not
 * publish the same kind it consumes from inside a synchronous callback
 * (the bus refuses nesting deeper than a few levels and logs it).
 *
 * The kinds are append-only: plugins will see these numbers.
 */
#ifndef SD_BUS_H
#define SD_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/alarm_types.h"
#include "core/loop.h"
#include "core/model.h"

enum sd_bus_kind {
	SD_BUS_MODEL     = 0,  /* a model object changed (topic + id) */
	SD_BUS_ALARM     = 1,  /* an alarm notification (new/changed/cleared/acked) */
	SD_BUS_SAMPLE    = 2,  /* a KPI measurement of a slice or cell */
	SD_BUS_LIFECYCLE = 3,  /* a slice lifecycle step (the lifecycle issue) */
	SD_BUS_USAGE     = 4,  /* a usage record (the billing issue) */
	SD_BUS_AUDIT     = 5,  /* an audit entry was written */
	SD_BUS_ENGINE    = 6,  /* engine start, reload, stop */
	SD_BUS_KIND_COUNT
};
#define SD_BUS_BIT(k) (1u << (k))

/* Model topics: the kinds of objects the IPC server pushes (bit values,
 * also the IPC topic set). */
enum sd_topic {
	SD_TOPIC_FACTORIES = 1 << 0,
	SD_TOPIC_SLICES    = 1 << 1,
	SD_TOPIC_NFS       = 1 << 2,
	SD_TOPIC_SITES     = 1 << 3,
	SD_TOPIC_ALARMS    = 1 << 4,
	SD_TOPIC_CELLS     = 1 << 5,
};
#define SD_TOPIC_ALL 0x3fu

/* SD_BUS_MODEL: object id of topic changed or was removed; id "" means
 * "any object of the topic may have changed" (a reload, a bulk update). */
struct sd_bus_model {
	unsigned topic;               /* one enum sd_topic bit */
	char id[64];
	bool removed;
	bool refresh;                 /* only a timestamp moved (an NF seen again):
				       * views republish, logic may ignore it */
};

/* SD_BUS_ALARM */
struct sd_bus_alarm {
	enum sd_alarm_notif notif;
	struct sd_alarm alarm;        /* the alarm after the change */
};

/* SD_BUS_SAMPLE: a measurement for the KPI store. object is a slice id
 * (cell_index < 0) or, with cell_index >= 0, a cell's radio (value = RSRP
 * dBm, value2 = SINR dB; both NaN: a complete radio report that did not
 * name the cell, i.e. the cell is silent). metric is the KPI store's enum
 * sd_kpi_metric. */
struct sd_bus_sample {
	char slice[SD_ID_MAX];
	int cell_index;
	int metric;
	double value, value2;
	int64_t time_ms;              /* 0 = now */
};

/* SD_BUS_LIFECYCLE */
struct sd_bus_lifecycle {
	char slice[SD_ID_MAX];
	char factory[SD_ID_MAX];
	enum sd_slice_state from, to;
	char actor[64];
	char reason[256];
	int64_t time_ms;
};

/* SD_BUS_USAGE: volumes in bytes, time in seconds; key is the record's
 * unique key (exactly-once accounting is the ledger's job). */
struct sd_bus_usage {
	char key[160];
	char factory[SD_ID_MAX];
	char slice[SD_ID_MAX];
	uint64_t ul_bytes, dl_bytes;
	uint64_t seconds;
	int64_t start_ms, end_ms;
};

/* SD_BUS_AUDIT: one entry as written (core/audit.h). */
struct sd_bus_audit {
	int64_t seq;
	int64_t time_ms;
	char user[64];
	char role[16];
	char factory[SD_ID_MAX];      /* the caller's, "" for operators/viewers */
	char op[48];
	char object_factory[SD_ID_MAX]; /* the factory the entry is about, "" zone-wide */
	char outcome[32];             /* "ok" or an IPC error code */
};

enum sd_bus_engine_what { SD_ENGINE_STARTED, SD_ENGINE_RELOADED, SD_ENGINE_STOPPING };
struct sd_bus_engine {
	enum sd_bus_engine_what what;
};

struct sd_bus_event {
	enum sd_bus_kind kind;
	union {
		struct sd_bus_model model;
		struct sd_bus_alarm alarm;
		struct sd_bus_sample sample;
		struct sd_bus_lifecycle lifecycle;
		struct sd_bus_usage usage;
		struct sd_bus_audit audit;
		struct sd_bus_engine engine;
	} u;
};

typedef void (*sd_bus_fn)(const struct sd_bus_event *ev, void *arg);

struct sd_bus;

struct sd_bus *sd_bus_new(struct sd_loop *loop);
/* Drops whatever is still queued (counted as dropped) and frees. */
void sd_bus_free(struct sd_bus *b);

/* kinds: a mask of SD_BUS_BIT(kind). Returns a subscription id (> 0), or
 * -1 when kinds is empty. */
int  sd_bus_subscribe(struct sd_bus *b, unsigned kinds, sd_bus_fn fn, void *arg);
int  sd_bus_subscribe_queued(struct sd_bus *b, unsigned kinds, size_t max_queued,
			     sd_bus_fn fn, void *arg);
void sd_bus_unsubscribe(struct sd_bus *b, int id);

void sd_bus_publish(struct sd_bus *b, const struct sd_bus_event *ev);
/* Shorthands. */
void sd_bus_model_changed(struct sd_bus *b, unsigned topic, const char *id, bool removed);
void sd_bus_model_refreshed(struct sd_bus *b, unsigned topic, const char *id);

/* Events a queued subscriber lost to its cap; 0 for synchronous ones or an
 * unknown id. */
uint64_t sd_bus_dropped(const struct sd_bus *b, int id);
/* Deliver what is queued now (the loop does this by itself; for tests and
 * for shutdown). */
void sd_bus_drain(struct sd_bus *b);

#endif

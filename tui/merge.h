/* tui/merge.h — one pushed topic's list, kept up to date from the engine's
 * delta protocol (docs/ipc.md, subscribe with "mode":"delta").
 *
 * The engine first sends the topic's list as a snapshot in pages
 * ({"snapshot":{"gen":G,"page":P,"pages":N},"data":{TOPIC:[...]}}); the list
 * is complete, at generation G, with page N-1. Then deltas
 * ({"delta":{"gen":G2,"base":G},"data":{"upsert":[...],"remove":[ids]}})
 * that apply only on top of the generation held. Objects are keyed by
 * their "id" member, a string or an integer (alarms); "5" and 5 are
 * different keys.
 *
 * The list is kept as slots in arrival order with a hash index from id to
 * slot, so an upsert or a removal costs O(1) amortised whatever the size of
 * the list; removed slots are holes squeezed out once they outnumber the
 * live ones. The views want a JSON array: sd_merge_array builds one (O(n)),
 * which the console does at most once per refresh period.
 *
 * A snapshot is gathered beside the list held, which stays as it was until
 * the last page has arrived and then is replaced whole (a "resync":true
 * snapshot is no different). Objects are shared with the events they came
 * from (reference counted), never copied, and never modified here.
 */
#ifndef SD_TUI_MERGE_H
#define SD_TUI_MERGE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/* What one event did to the list. */
enum sd_merge_rc {
	SD_MERGE_CHANGED,   /* a snapshot completed, or a delta was applied */
	SD_MERGE_PENDING,   /* a snapshot page was taken; more pages to come */
	SD_MERGE_IGNORED,   /* a delta while no complete list is held, or while
			       a resync is awaited */
	SD_MERGE_RESYNC,    /* a gap (a delta's base is not the generation held,
			       or snapshot pages out of order): the caller must
			       send {"op":"resync","topics":[TOPIC]}; deltas are
			       ignored until the next snapshot completes */
	SD_MERGE_NOT_DELTA, /* neither a snapshot nor a delta: a whole-list
			       ("mode":"full") event, left to the caller */
};

struct sd_merge;

/* An empty list for the topic (its name is the member of "data" that a
 * snapshot page carries, e.g. "slices"). Never NULL. */
struct sd_merge *sd_merge_new(const char *topic);
void sd_merge_free(struct sd_merge *m);
/* Forget everything (a new connection): empty, waiting for a snapshot. */
void sd_merge_reset(struct sd_merge *m);

/* Take one event of this topic ({"event":TOPIC, ...}). ev is not stolen;
 * the objects kept are referenced, not copied. */
enum sd_merge_rc sd_merge_event(struct sd_merge *m, const json_t *ev);

const char *sd_merge_topic(const struct sd_merge *m);
/* A complete list is held and deltas are being applied to it. */
bool sd_merge_synced(const struct sd_merge *m);
/* A complete list has been held at least once since the last reset (it may
 * be waiting for a resync now). */
bool sd_merge_ever_synced(const struct sd_merge *m);
/* The generation held (meaningful when ever synced). */
json_int_t sd_merge_gen(const struct sd_merge *m);
/* How many objects the list holds. */
size_t sd_merge_count(const struct sd_merge *m);
/* The object with this id (a JSON string or integer), or NULL. */
const json_t *sd_merge_get(const struct sd_merge *m, const json_t *id);
/* The list as a new JSON array (caller decrefs), in arrival order: an
 * upserted object keeps its place, a new one goes last. O(n). */
json_t *sd_merge_array(const struct sd_merge *m);

#endif

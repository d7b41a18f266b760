/* core/ipc_server.h — the engine's side of the client protocol: accepts
 * clients on the UNIX socket, maps their peer credentials to a role, runs
 * their requests through the op registry (core/ops.h) and keeps
 * subscribers up to date.
 *
 * Live updates (docs/ipc.md, "Live updates"):
 *
 *   dirty set   model changes arrive as SD_BUS_MODEL events (topic + id);
 *               the server only marks them.
 *   flush       once per loop turn (before sleep), at most every
 *               SD_IPC_FLUSH_MS, the dirty ids are rebuilt once per
 *               distinct scope that has subscribers (operators and viewers
 *               share the zone scope; each factory has its own), compared
 *               with what that scope last saw (the serialised object), and
 *               the differences become one delta per scope — serialised
 *               once and shared by every peer of the scope (refcounted
 *               bytes, never copied per peer). Whole-list subscribers get
 *               one list per scope, shared the same way.
 *   snapshot    a delta subscriber starts with its scope's current list in
 *               pages of at most SD_IPC_PAGE_OBJECTS objects, with the
 *               scope's generation number; the pages are shared by the
 *               peers that subscribe at the same generation.
 *   first fill  the first subscriber of a (scope, topic) has the scope's
 *               objects serialised; a large topic (over
 *               SD_IPC_FILL_AT_ONCE_BYTES of ids: a zone's slices or cells)
 *               is serialised in slices of SD_IPC_FILL_SLICE_MS per loop
 *               turn, so requests and notifications are served meanwhile;
 *               its subscribers get their snapshot when it is complete.
 *   slow peers  a peer with more than SD_IPC_SLOW_BYTES queued stops
 *               receiving deltas (and whole lists); once its queue has
 *               drained it gets a fresh snapshot marked "resync" — never a
 *               disconnect for being slow. Only replies count towards the
 *               SD_IPC_MAX_OUTBUF cap at which a peer that never reads is
 *               dropped.
 *
 * Topics are provided by modules (sd_ipc_server_topic): the engine's model
 * topics, the monitoring pipeline's alarms.
 */
#ifndef SD_IPC_SERVER_H
#define SD_IPC_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/host.h"
#include "core/ipc.h"
#include "core/ops.h"

#define SD_IPC_FLUSH_MS      100          /* at most 10 flushes a second */
#define SD_IPC_PAGE_OBJECTS  1000         /* objects per snapshot page */
#define SD_IPC_PAGE_BYTES    (1024 * 1024) /* and bytes per page, roughly */
#define SD_IPC_SLOW_BYTES    (4 * 1024 * 1024)
#define SD_IPC_FILL_SLICE_MS 8            /* serialising per loop turn, at most */
#define SD_IPC_FILL_AT_ONCE_BYTES (32 * 1024) /* ids below this: filled at once */

/* Who may see an object, as a topic's owner() answers. */
#define SD_OWNER_ANY     (-1)   /* any scope may (object() decides per scope) */
#define SD_OWNER_ZONE    (-2)   /* operators and viewers only */
#define SD_OWNER_UNKNOWN (-3)   /* not in the model (removed) */

/* A topic: a kind of object the server pushes. */
struct sd_ipc_topic_def {
	unsigned topic;              /* one enum sd_topic bit */
	const char *name;            /* event name and list member: "slices" */
	bool int_ids;                /* "id" members are integers (alarms) */
	bool scope_invariant;        /* object() is the same for every scope that sees it */
	/* Visit every object's id, in list order. */
	void (*each)(void *arg, void (*fn)(void *fa, const char *id), void *fa);
	/* The object as caller sees it (a new reference), or NULL when it is
	 * absent or not visible to caller. */
	json_t *(*object)(void *arg, const char *id, const struct sd_ipc_caller *caller);
	/* The factory index owning the object, or an SD_OWNER_* value. */
	int (*owner)(void *arg, const char *id);
	void *arg;
	/* Optional: visit the ids of factory f's objects, in list order (a
	 * topic whose objects each belong to one factory: what a factory
	 * scope sees, without walking the zone). */
	void (*each_owned)(void *arg, int f, void (*fn)(void *fa, const char *id), void *fa);
};

struct sd_ipc_server;

/* Binds path (mode, group) and starts serving; the server registers its
 * own ops (hello, whoami, ping, help, subscribe, unsubscribe, resync) in
 * host->ops and subscribes to model changes on host->bus. */
struct sd_ipc_server *sd_ipc_server_new(const struct sd_host *host, const char *path, int mode,
					 const char *group, char *err, size_t errsz);
void sd_ipc_server_free(struct sd_ipc_server *s);

/* A member every hello answer carries from now on (a module's setting a
 * console shows, e.g. the SLA window); value is taken over. Members the
 * server sets itself win over these. */
void sd_ipc_server_hello_set(struct sd_ipc_server *s, const char *key, json_t *value);

/* Register a topic (def copied; static storage for name). */
int  sd_ipc_server_topic(struct sd_ipc_server *s, const struct sd_ipc_topic_def *def);

/* The configuration was replaced: re-map every peer's role; peers whose
 * role or factory changed are told and disconnected; scopes are
 * re-resolved. */
void sd_ipc_server_remap(struct sd_ipc_server *s);
int  sd_ipc_server_npeers(const struct sd_ipc_server *s);
/* Flush the dirty set now (tests, shutdown). */
void sd_ipc_server_flush(struct sd_ipc_server *s);

/* Figures for benchmarks and `status`: flushes, objects rebuilt, bytes
 * serialised (once per scope), bytes queued to peers. */
struct sd_ipc_stats {
	uint64_t flushes;
	uint64_t objects_built;
	uint64_t bytes_serialised;
	uint64_t bytes_queued;
	uint64_t resyncs;
	uint64_t peers_dropped;
	uint64_t fills_sliced;     /* first fills spread over loop turns */
	int scopes;
	uint64_t refused;        /* connections refused (role, caps) */
	uint64_t timed_out;      /* closed: no hello / a line not completed in time */
	uint64_t paused;         /* times a peer was not read for its unread replies */
};
void sd_ipc_server_stats(const struct sd_ipc_server *s, struct sd_ipc_stats *out);

/* The whole scoped body of a topic ({"slices":[...]}), built from the
 * topic's provider: what a whole-list push carries. */
json_t *sd_ipc_server_topic_list(struct sd_ipc_server *s, unsigned topic,
				 const struct sd_ipc_caller *caller);

#endif

/* core/ipc.h — the engine's client protocol: JSON lines on a UNIX socket.
 *
 * Public interface (docs/ipc.md is its reference). One JSON object per
 * line (LF), UTF-8, at most SD_IPC_MAX_LINE bytes.
 *
 *   client: {"id":1,"op":"hello","version":1,"client":"slicedeck 0.1.0"}
 *   engine: {"id":1,"result":{"version":1,"role":"factory","factory":"f1",...}}
 *   client: {"id":2,"op":"slices"}
 *   engine: {"id":2,"result":{"slices":[...]}}
 *   engine: {"id":3,"error":{"code":"forbidden","message":"..."}}
 *   engine: {"event":"slices","data":{...}}          (pushed, no id)
 *
 * The role of a connection comes from its peer credentials (SO_PEERCRED)
 * mapped through the configuration's access rules; every reply and every
 * push is scoped by that role in the engine.
 *
 * The codec half (framing, request parsing, replies) is shared by the
 * engine and the console; the server half lives in the engine.
 */
#ifndef SD_IPC_H
#define SD_IPC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <jansson.h>

#include "core/config.h"
#include "core/loop.h"
#include "core/util.h"

#define SD_IPC_VERSION    1
#define SD_IPC_MAX_LINE   (64 * 1024)        /* request or reply line */
#define SD_IPC_MAX_OUTBUF (16 * 1024 * 1024) /* queued to a slow client */
#define SD_IPC_MAX_CLIENTS 256

/* Error codes on the wire (strings, append-only). */
#define SD_IPC_E_PARSE     "parse_error"     /* not JSON / not an object */
#define SD_IPC_E_TOOLARGE  "too_large"       /* line over SD_IPC_MAX_LINE */
#define SD_IPC_E_BADREQ    "bad_request"     /* missing/ill-typed member */
#define SD_IPC_E_UNKNOWN   "unknown_op"
#define SD_IPC_E_HELLO     "hello_required"  /* first request must be hello */
#define SD_IPC_E_VERSION   "version_mismatch"
#define SD_IPC_E_FORBIDDEN "forbidden"       /* outside the caller's role/scope */
#define SD_IPC_E_NOTFOUND  "not_found"
#define SD_IPC_E_INTERNAL  "internal"

/* --- codec ------------------------------------------------------------- */

/* Framing over a byte buffer: extract the next complete line. Returns 1 with
 * *line (NUL-terminated, without LF, inside the reader) and *len, 0 when no
 * complete line is buffered. A line longer than the reader's cap sets
 * *overflow and is dropped up to its LF (the engine answers too_large).
 * *line is valid until the next feed or next call. The engine reads
 * requests with the protocol's SD_IPC_MAX_LINE; a client reads replies,
 * which may be whole lists, with a larger cap. */
struct sd_ipc_reader {
	struct sd_buf buf;
	size_t consumed;    /* bytes of buf already handed out */
	size_t scanned;     /* bytes after consumed known to hold no LF */
	size_t max_line;
	bool discarding;    /* inside an oversized line */
	bool overflowed;    /* an oversized line was dropped: report it once */
};
void sd_ipc_reader_init(struct sd_ipc_reader *r);   /* cap SD_IPC_MAX_LINE */
void sd_ipc_reader_init_max(struct sd_ipc_reader *r, size_t max_line);
void sd_ipc_reader_done(struct sd_ipc_reader *r);
/* Append received bytes. Never fails: oversized input is discarded. */
void sd_ipc_reader_feed(struct sd_ipc_reader *r, const char *data, size_t n);
int  sd_ipc_reader_next(struct sd_ipc_reader *r, char **line, size_t *len, bool *overflow);

/* A parsed request. id is kept as the JSON value the client sent (number or
 * string) so the reply echoes it exactly; NULL when absent. */
struct sd_ipc_request {
	json_t *root;        /* owned */
	json_t *id;          /* borrowed from root */
	const char *op;      /* borrowed from root */
	json_t *params;      /* the object itself (ops read members from it) */
};
/* 0 on success; otherwise fills code/message for the error reply (id may
 * still be set when it could be read). */
int  sd_ipc_request_parse(const char *line, size_t len, struct sd_ipc_request *req,
			  const char **code, char *msg, size_t msgsz);
void sd_ipc_request_done(struct sd_ipc_request *req);

/* Serialise replies as one line each (with the trailing LF). Steal result. */
char *sd_ipc_reply_result(json_t *id, json_t *result);
char *sd_ipc_reply_error(json_t *id, const char *code, const char *message);
char *sd_ipc_event(const char *topic, json_t *data);

/* --- server (engine side) ---------------------------------------------- */

struct sd_ipc_server;
struct sd_ipc_peer;

/* The caller's identity and scope, as ops see it. */
struct sd_ipc_caller {
	uid_t uid;
	gid_t gid;
	pid_t pid;
	char user[64];
	enum sd_role role;
	int factory;          /* index for SD_ROLE_FACTORY, else -1 */
};

/* Topics a client may subscribe to. */
enum sd_ipc_topic {
	SD_TOPIC_FACTORIES = 1 << 0,
	SD_TOPIC_SLICES    = 1 << 1,
	SD_TOPIC_NFS       = 1 << 2,
	SD_TOPIC_SITES     = 1 << 3,
	SD_TOPIC_ALARMS    = 1 << 4,  /* alarm list changed (monitor/pipeline.c) */
};

/* What the server needs from the engine. */
struct sd_ipc_host {
	/* Current configuration (role mapping) and model (op answers). */
	const struct sd_config *(*config)(void *arg);
	void *arg;
};

struct sd_ipc_server *sd_ipc_server_new(struct sd_loop *loop, const char *path, int mode,
					 const char *group, const struct sd_ipc_host *host,
					 char *err, size_t errsz);
void sd_ipc_server_free(struct sd_ipc_server *s);

/* The model changed in these topics: push scoped updates to subscribers. */
void sd_ipc_server_publish(struct sd_ipc_server *s, unsigned topics);
/* The configuration was replaced: re-map every peer's role; peers that no
 * longer have a role are told and disconnected. */
void sd_ipc_server_remap(struct sd_ipc_server *s);
int  sd_ipc_server_npeers(const struct sd_ipc_server *s);

/* --- ops (core/ipc_ops.c) ---------------------------------------------- */

/* Operations other modules add to the engine (monitor: sla, alarms, ...),
 * scoped by the same rules: a handler gets the caller and must answer only
 * with what that caller may see. It returns the result object, or NULL
 * with *code (an SD_IPC_E_* string) and msg set. */
struct sd_ipc_ext_op {
	const char *name;
	json_t *(*fn)(void *arg, const struct sd_config *cfg,
		      const struct sd_ipc_caller *caller, json_t *params,
		      const char **code, char *msg, size_t msgsz);
	enum sd_role min_role;   /* SD_ROLE_FACTORY: any role; SD_ROLE_OPERATOR: operators */
	const char *help;
};
/* Register a table (static storage) with its argument; the built-in ops
 * win on a name clash. At most 8 tables. An optional topic provider
 * answers sd_ipc_topic_data for one topic the built-ins do not know. */
int  sd_ipc_ops_register(const struct sd_ipc_ext_op *ops, size_t n, void *arg,
			 enum sd_ipc_topic topic,
			 json_t *(*topic_fn)(void *arg, const struct sd_config *cfg,
					     const struct sd_ipc_caller *caller));
void sd_ipc_ops_unregister(const struct sd_ipc_ext_op *ops);

/* Run one request for a caller against a configuration. Returns the reply
 * line (with LF). *subscribe receives topic bits a "subscribe" op added,
 * *unsubscribe those removed. Exposed for unit tests of role scoping. */
char *sd_ipc_dispatch(const struct sd_config *cfg, const struct sd_ipc_caller *caller,
		      bool hello_done, const struct sd_ipc_request *req,
		      bool *hello_ok, unsigned *subscribe, unsigned *unsubscribe);

/* Scope rules for ops in any module. Whether the caller may see objects of
 * factory index f. And the answer when a caller names an object (what:
 * "slice", "site", ...) that is absent or outside its scope: "forbidden"
 * for a factory caller either way, so ids cannot be probed, "not_found"
 * for operators and viewers. Returns the code and fills msg. */
bool sd_ipc_sees_factory(const struct sd_ipc_caller *c, int f);
const char *sd_ipc_scope_error(const struct sd_ipc_caller *c, const char *what,
			       const char *id, char *msg, size_t msgsz);

/* The scoped body of a topic push ({"factories":[...]} etc.). */
json_t *sd_ipc_topic_data(const struct sd_config *cfg, const struct sd_ipc_caller *caller,
			  enum sd_ipc_topic topic);
const char *sd_ipc_topic_name(enum sd_ipc_topic t);

#endif

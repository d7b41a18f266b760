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
 * This header is the codec (framing, request parsing, replies), shared by
 * the engine and the console; the server is core/ipc_server.h, the op
 * registry core/ops.h.
 */
#ifndef SD_IPC_H
#define SD_IPC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <jansson.h>

#include "core/util.h"

#define SD_IPC_VERSION    1
#define SD_IPC_MAX_LINE   (64 * 1024)        /* request or reply line */
#define SD_IPC_MAX_OUTBUF (16 * 1024 * 1024) /* queued to a slow client */
#define SD_IPC_MAX_CLIENTS 256
/* Admission and pacing (docs/ipc.md, "Limits"): */
#define SD_IPC_MAX_PER_USER 32               /* connections of one non-operator uid */
#define SD_IPC_OPERATOR_RESERVE 16           /* of MAX_CLIENTS, operators only */
#define SD_IPC_LINE_TIMEOUT_MS 10000         /* hello, and each request line */
#define SD_IPC_REPLY_MARK (256 * 1024)       /* unread replies: stop reading */
#define SD_IPC_LINES_PER_EVENT 32            /* requests per turn of one peer */

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
#define SD_IPC_E_BUSY      "busy"            /* try again later */
/* the slice lifecycle (slicing/lifecycle.h) */
#define SD_IPC_E_REJECTED  "rejected"        /* admission control refused it */
#define SD_IPC_E_FAILED    "failed"          /* provisioning at the 5GC failed, rolled back */
#define SD_IPC_E_CONFLICT  "conflict"        /* not from the object's current state */

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

#endif

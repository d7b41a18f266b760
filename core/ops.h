/* core/ops.h — the registry of IPC operations: one row type for every op,
 * whichever module provides it.
 *
 * A row names the op, the permissions a caller needs, the parameters it
 * takes (a small schema), whether it changes anything (audited) and
 * whether it may answer later. The dispatcher, not the op, enforces:
 *
 *   1. the hello handshake (only rows flagged SD_OP_PRE_HELLO run before);
 *   2. permissions — checked before any lookup, so an op refused to a role
 *      reveals nothing about the objects it names;
 *   3. the parameter schema — an unknown member, a missing required one or
 *      an ill-typed one is bad_request naming the member;
 *   4. audit — around every SD_OP_MUTATES op, one record (user from
 *      SO_PEERCRED, role, op, parameters, outcome) goes to the audit hook
 *      once the outcome is known (also for refusals of steps 2 and 3);
 *   5. `help` lists exactly the rows the caller's permissions allow.
 *
 * Scope (which factory's objects a caller sees) stays the op's business,
 * with the shared rules sd_ipc_sees_factory / sd_ipc_scope_error.
 *
 * Asynchronous ops: an op flagged SD_OP_ASYNC may call sd_op_defer(call)
 * and return NULL; the reply is sent later by sd_op_finish() with the same
 * request id. If the client has gone by then the reply is dropped (the
 * audit record is still written).
 */
#ifndef SD_OPS_H
#define SD_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/config.h"

/* Permission bits. A role has a set; a row needs all of its bits. */
enum sd_perm {
	SD_PERM_READ    = 1 << 0,  /* read what the caller's scope shows */
	SD_PERM_ACT     = 1 << 1,  /* operator actions (ack, approve, provision) */
	SD_PERM_REQUEST = 1 << 2,  /* self-service requests for one's own factory */
	SD_PERM_IMPORT  = 1 << 3,  /* add measurements (walk tests) in one's scope */
	SD_PERM_ADMIN   = 1 << 4,  /* engine administration (reload) */
};
/* operator: all; viewer: READ; factory: READ|REQUEST|IMPORT; none: 0. */
unsigned sd_role_perms(enum sd_role r);
/* "read, act" — for messages. */
const char *sd_perm_names(unsigned perms, char *buf, size_t bufsz);

enum sd_ptype {
	SD_PT_STRING,    /* any JSON string */
	SD_PT_ID,        /* an id token (sd_id_valid) */
	SD_PT_INT,       /* JSON integer */
	SD_PT_NUMBER,    /* integer or real */
	SD_PT_BOOL,
	SD_PT_ARRAY,
	SD_PT_OBJECT,
	SD_PT_ANY,       /* an integer or a string (request ids, alarm ids) */
};

struct sd_param {
	const char *name;
	enum sd_ptype type;
	bool required;
	const char *help;
};
#define SD_PARAMS_END { NULL, 0, false, NULL }

enum sd_op_flags {
	SD_OP_MUTATES   = 1 << 0,  /* changes state: audited */
	SD_OP_ASYNC     = 1 << 1,  /* may sd_op_defer() */
	SD_OP_PRE_HELLO = 1 << 2,  /* allowed before the handshake (hello itself) */
};

struct sd_op_call;

/* Returns the result object (stolen), or NULL after sd_op_fail() — or
 * after sd_op_defer() for an async op. */
typedef json_t *(*sd_op_fn)(struct sd_op_call *call);

struct sd_op {
	const char *name;
	sd_op_fn fn;
	unsigned perms;               /* enum sd_perm bits the caller needs */
	unsigned flags;               /* enum sd_op_flags */
	const struct sd_param *params;  /* ends with SD_PARAMS_END; NULL = none */
	const char *help;
};

/* The caller's identity and scope, as ops see it. */
struct sd_ipc_caller {
	uid_t uid;
	gid_t gid;
	pid_t pid;
	char user[64];
	enum sd_role role;
	int factory;          /* index for SD_ROLE_FACTORY, else -1 */
	char factory_id[SD_ID_MAX]; /* its id, "" for other roles */
};

/* What an op sees. */
struct sd_op_call {
	const struct sd_op *op;
	const struct sd_ipc_caller *caller;
	json_t *params;               /* the request object (read members) */
	json_t *id;                   /* the request id (borrowed), may be NULL */
	void *arg;                    /* the table's argument */
	const struct sd_config *cfg;  /* the running configuration */
	struct sd_model *model;       /* the engine's model */
	/* the op's outcome, set by sd_op_fail */
	const char *err_code;
	char err_msg[1024];        /* room for an admission rejection's every reason */
	/* for the audit record: the factory the op concerned ("" zone-wide);
	 * an op sets it with sd_op_about() when it knows */
	char about_factory[SD_ID_MAX];
	/* server-side state, opaque to ops */
	struct sd_ops *registry;
	void *server;
	uint64_t peer_serial;
	bool deferred;
	/* what the server's own ops (hello, subscribe, ...) ask of it */
	bool hello_ok;
	unsigned subscribe, unsubscribe, resync;   /* enum sd_topic bits */
	int sub_mode;                              /* SD_SUB_FULL / SD_SUB_DELTA */
};

enum { SD_SUB_FULL, SD_SUB_DELTA };

/* Scope rules for ops in any module. Whether the caller may see objects of
 * factory index f. And the answer when a caller names an object (what:
 * "slice", "site", ...) that is absent or outside its scope: "forbidden"
 * for a factory caller either way, so ids cannot be probed, "not_found"
 * for operators and viewers. Returns the code and fills msg. */
bool sd_ipc_sees_factory(const struct sd_ipc_caller *c, int f);
const char *sd_ipc_scope_error(const struct sd_ipc_caller *c, const char *what,
			       const char *id, char *msg, size_t msgsz);

json_t *sd_op_fail(struct sd_op_call *call, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Fail with the scope answer for a named object (sd_ipc_scope_error). */
/* The registry's check before every op: members other than id and op must
 * be call->op's parameters, well typed, required ones present; false after
 * sd_op_fail() otherwise. Exported for tests that call an op's parser
 * directly, so they take the engine's path. */
bool sd_op_check_params(struct sd_op_call *call);
json_t *sd_op_fail_scope(struct sd_op_call *call, const char *what, const char *id);
void sd_op_about(struct sd_op_call *call, const char *factory_id);

/* Async: keep the call (a heap copy the op owns until sd_op_finish) and
 * return NULL from the op. */
struct sd_op_call *sd_op_defer(struct sd_op_call *call);
/* Answer a deferred call: result (stolen) or NULL with sd_op_fail() done
 * on the handle first. Frees the handle. */
void sd_op_finish(struct sd_op_call *handle, json_t *result);

/* --- the registry --------------------------------------------------------- */

struct sd_ops;

/* An audit record, as the dispatcher hands it to the audit hook. */
struct sd_op_audit {
	const struct sd_ipc_caller *caller;
	const char *op;
	json_t *params;               /* the request minus id/op (borrowed) */
	const char *outcome;          /* "ok" or an IPC error code */
	const char *message;          /* error message, "" on success */
	const char *about_factory;    /* "" zone-wide */
};
typedef void (*sd_ops_audit_fn)(void *arg, const struct sd_op_audit *a);

/* How a reply leaves: the server's function that writes a reply line to
 * the peer with this serial (dropped when it has gone). */
typedef void (*sd_ops_reply_fn)(void *server, uint64_t peer_serial, char *line);

struct sd_ops *sd_ops_new(void);
void sd_ops_free(struct sd_ops *r);

/* Register a table of rows (static storage) with its argument. A name that
 * is already registered is refused (-1, and nothing of the table is
 * registered). */
int  sd_ops_register(struct sd_ops *r, const struct sd_op *rows, size_t n, void *arg);
void sd_ops_unregister(struct sd_ops *r, const struct sd_op *rows);
void sd_ops_set_audit(struct sd_ops *r, sd_ops_audit_fn fn, void *arg);
void sd_ops_set_reply(struct sd_ops *r, sd_ops_reply_fn fn, void *server);
const struct sd_op *sd_ops_find(const struct sd_ops *r, const char *name);

/* Run one request for a caller. Returns the reply line (with LF), or NULL
 * when the op deferred its answer. call (filled by the dispatcher) tells
 * the server what hello/subscribe did; its caller pointer is valid only
 * during the dispatch (ops see a copy, so an op may end the connection it
 * serves). */
struct sd_ipc_request;
char *sd_ops_dispatch(struct sd_ops *r, const struct sd_config *cfg, struct sd_model *model,
		      const struct sd_ipc_caller *caller, uint64_t peer_serial, bool hello_done,
		      const struct sd_ipc_request *req, struct sd_op_call *call);

/* The rows this caller may use, as [{op, help, params:[...], mutates}]. */
json_t *sd_ops_help(const struct sd_ops *r, const struct sd_ipc_caller *caller);

#endif

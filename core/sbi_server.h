/* core/sbi_server.h — an HTTP/2 SBI server on libnghttp2 (h2c with prior
 * knowledge, and TLS with ALPN "h2" when a certificate is configured),
 * driven by the process's sd_loop.
 *
 * One server per process serves routes registered by many modules: each
 * route is a method and a path template; a template segment written {name}
 * matches one non-empty path segment and is handed to the handler in
 * req->params (percent-decoded). A route may carry its own request-body cap
 * and an owner tag, and can be removed again (sd_sbi_server_unroute*), so a
 * module can leave on reload or shutdown.
 *
 * Handlers run synchronously and either fill in the response at once or
 * keep it (sd_sbi_resp_defer) and answer later, for instance after a group
 * commit; other streams and connections are served meanwhile. A response
 * may also ask the server to delay it or to misbehave on purpose (the
 * simulator's fault injection).
 *
 * Limits (each returns an error to the peer, never a crash): header block
 * size, body size (per server and per route), streams per connection,
 * connections, outstanding deferred answers. Requests that match no route
 * get 404 problem+json; a known path with another method 405.
 *
 * Everything here runs on the loop's thread; nothing is thread-safe.
 */
#ifndef SD_SBI_SERVER_H
#define SD_SBI_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "core/loop.h"

#define SD_SBI_MAX_PARAMS 4

struct sd_sbi_server;

struct sd_sbi_header {
	const char *name;   /* lower-case, as HTTP/2 delivers it */
	const char *value;
};

struct sd_sbi_req {
	const char *method;        /* "GET", "POST", ... */
	const char *path;          /* path only, not decoded, no query */
	const char *query;         /* raw query after '?', or NULL */
	const char *authority;
	const char *content_type;  /* or NULL */
	const char *body;          /* NUL-terminated copy, may be NULL */
	size_t body_len;
	const struct sd_sbi_header *headers;
	size_t nheaders;
	const char *params[SD_SBI_MAX_PARAMS]; /* {name} captures, decoded */
	size_t nparams;
	const char *peer;          /* "127.0.0.1:53211" */
};

/* Look up a request header (case-insensitive); NULL when absent. */
const char *sd_sbi_req_header(const struct sd_sbi_req *req, const char *name);
/* Look up a query parameter and percent-decode it into buf; NULL when
 * absent or longer than bufsz-1. '+' is taken literally (RFC 3986). */
const char *sd_sbi_req_query(const struct sd_sbi_req *req, const char *name,
			     char *buf, size_t bufsz);

/* What the server does with the stream besides answering, for fault
 * injection. */
enum sd_sbi_misbehave {
	SD_SBI_NORMAL = 0,
	SD_SBI_RST_STREAM,     /* RST_STREAM(INTERNAL_ERROR) instead of answering */
	SD_SBI_GOAWAY,         /* answer, then GOAWAY and close the connection */
	SD_SBI_DROP_CONN,      /* close the TCP connection without a word */
	SD_SBI_REFUSE_STREAM,  /* RST_STREAM(REFUSED_STREAM): "not processed, retry" */
};

struct sd_sbi_resp {
	int status;                /* default 200 */
	char content_type[64];     /* default "application/json" */
	char *body;                /* malloc'd, owned by the server after return */
	size_t body_len;
	char location[512];        /* Location header, "" = none */
	struct sd_sbi_header extra[4]; /* more headers; name NULL = unused; static strings */
	int64_t delay_ms;          /* hold the answer this long (slow NF) */
	enum sd_sbi_misbehave misbehave;
	/* the server's own: the stream this answers while its handler runs,
	 * NULL otherwise. Handlers leave it alone. */
	void *stream_;
};

typedef void (*sd_sbi_handler)(const struct sd_sbi_req *req,
			       struct sd_sbi_resp *resp, void *arg);

/* Helpers for handlers: set a JSON body (takes ownership of the text made
 * by json_dumps) or a problem+json body (RFC 7807 + 3GPP cause). */
void sd_sbi_resp_json(struct sd_sbi_resp *resp, int status, char *json_text);
void sd_sbi_resp_problem(struct sd_sbi_resp *resp, int status, const char *title,
			 const char *cause, const char *detail);

struct sd_sbi_server_conf {
	const char *listen;        /* "127.0.0.1:7777", "[::1]:0"; port 0 = any */
	const char *cert_file;     /* NULL/"" = cleartext h2c */
	const char *key_file;
	size_t max_body;           /* default 1 MiB */
	size_t max_header_bytes;   /* default 16 KiB */
	uint32_t max_streams;      /* concurrent per connection, default 128 */
	int max_conns;             /* default 256 */
	/* added: a connection must finish TLS and send the HTTP/2 preface
	 * and SETTINGS within this, or it is closed (slot hogging). */
	int64_t hello_timeout_ms;  /* default 10000 */
	/* added: answers kept with sd_sbi_resp_defer and not yet given back,
	 * over all connections; beyond it a handler's defer is refused and
	 * the request answered 503 (NF_CONGESTION). */
	uint32_t max_deferred;     /* default 4096 */
};

/* In slicedeckd the engine creates the one server (sbi.notify.listen) and
 * hands it to modules as struct sd_host's sbi member; modules register
 * routes on it and never create or free a server of their own.
 * sd_sbi_server_free closes every connection, frees every stream and
 * detaches outstanding deferred handles (see below); never call it from
 * inside a handler. */
struct sd_sbi_server *sd_sbi_server_new(struct sd_loop *loop,
					const struct sd_sbi_server_conf *conf,
					char *err, size_t errsz);
void sd_sbi_server_free(struct sd_sbi_server *srv);

/* ---- routes --------------------------------------------------------------
 *
 * sd_sbi_server_route(srv, method, template, handler, arg)
 * sd_sbi_server_route_ex(srv, method, template, handler, arg, opts)
 *
 *   Serve method + template with handler(req, resp, arg). The first route
 *   that matches a request wins. A second route with the same method and
 *   the same template shape (literal segments equal, {params} in the same
 *   places, whatever they are called) is refused, so two modules cannot
 *   silently shadow each other. Returns 0, or -1 (logged) for a bad or
 *   duplicate template. Routes may be added and removed at any time,
 *   also from inside a handler; the server never frees arg.
 *
 *   opts may be NULL (sd_sbi_server_route is route_ex with NULL):
 *     max_body  the request-body cap for this route, in bytes; 0 = the
 *               server's max_body. It replaces the server's cap for this
 *               route, lower or higher. A body beyond it is answered 413
 *               problem+json as soon as it is known to be too big (from
 *               content-length, or when the DATA crosses the cap); what
 *               the peer sends after that is discarded, never buffered.
 *     owner     a tag for sd_sbi_server_unroute_owner; NULL = arg.
 *
 * sd_sbi_server_unroute(srv, method, template)
 *
 *   Remove the route with this method and template shape; method NULL
 *   removes every method on the template. Returns how many routes went
 *   (0 when none matched). Requests already handed to a handler are not
 *   affected (their deferred answers stay valid); later ones get 404/405.
 *
 * sd_sbi_server_unroute_owner(srv, owner)
 *
 *   Remove every route whose owner is owner (see opts); returns how many.
 *   A module calls this with what it registered with on reload or
 *   shutdown.
 */
struct sd_sbi_route_opts {
	size_t max_body;   /* bytes; 0 = the server's max_body */
	const void *owner; /* for sd_sbi_server_unroute_owner; NULL = arg */
};

int sd_sbi_server_route(struct sd_sbi_server *srv, const char *method,
			const char *path_template, sd_sbi_handler h, void *arg);
int sd_sbi_server_route_ex(struct sd_sbi_server *srv, const char *method,
			   const char *path_template, sd_sbi_handler h, void *arg,
			   const struct sd_sbi_route_opts *opts);
int sd_sbi_server_unroute(struct sd_sbi_server *srv, const char *method,
			  const char *path_template);
int sd_sbi_server_unroute_owner(struct sd_sbi_server *srv, const void *owner);

/* ---- deferred answers ------------------------------------------------------
 *
 * struct sd_sbi_deferred *sd_sbi_resp_defer(struct sd_sbi_resp *resp)
 *
 *   Called by a handler, with the resp it was given, to answer later. The
 *   server then sends nothing for this request when the handler returns,
 *   ignores and frees whatever the handler put in resp, and keeps the
 *   stream open until the answer is given back through the handle. The
 *   req strings are still valid only for the handler's call: copy what
 *   the answer will need. Calling it twice returns the same handle.
 *
 *   Returns NULL when the request cannot be deferred: called outside a
 *   handler (logged), or the server already holds max_deferred answers,
 *   in which case resp has been set to 503 problem+json (cause
 *   NF_CONGESTION, Retry-After: 1) and the handler simply returns.
 *
 * struct sd_sbi_resp *sd_sbi_deferred_resp(struct sd_sbi_deferred *d)
 * int sd_sbi_deferred_send(struct sd_sbi_deferred *d)
 *
 *   The general form: fill the handle's response as a handler would fill
 *   resp (status, body, content_type, location, extra, delay_ms,
 *   misbehave; the sd_sbi_resp_json/problem helpers work on it; extra[]
 *   strings need only live until sd_sbi_deferred_send returns, or, with
 *   delay_ms, as long as a handler's), then send it. d must not be NULL.
 *
 * int sd_sbi_deferred_answer(d, status, content_type, body, len)
 * int sd_sbi_deferred_problem(d, status, title, cause, detail)
 *
 *   Shorthands: answer with status and body (malloc'd, taken in every
 *   case; NULL/0 for none; content_type NULL = "application/json"), or
 *   with a problem+json body as sd_sbi_resp_problem writes it.
 *
 *   Every one of send/answer/problem frees the handle: after the call d is
 *   gone, whatever it returns. They return 0 when the answer was handed to
 *   HTTP/2 (it goes out on this loop turn or the next; that is not proof
 *   the peer read it), or -1 when it was dropped because nobody waits for
 *   it any more: the peer reset the stream, the connection closed, or the
 *   server was freed. They may be called from anywhere on the loop's
 *   thread: a timer, another module's callback, another handler (even the
 *   deferring handler itself, before it returns).
 *
 * int sd_sbi_deferred_alive(const struct sd_sbi_deferred *d)
 *
 *   1 while the peer still waits for this answer, 0 once it cannot get it;
 *   a module may use it to skip work nobody will see. The handle must still
 *   be given back.
 *
 * Lifetime rules:
 *   - The handle belongs to whoever deferred, from sd_sbi_resp_defer until
 *     exactly one send/answer/problem call. Not giving it back leaks it
 *     and keeps its slot in max_deferred (and, while the peer waits, its
 *     stream, which counts against the peer's max_streams).
 *   - The handle outlives its stream, its connection and the server: when
 *     either goes away first, the handle is detached (alive() says 0) and
 *     the later answer frees it and returns -1. Nothing the server frees
 *     is reached through a detached handle, and a recycled stream object
 *     never receives an answer meant for an earlier request.
 *   - sd_sbi_server_free with answers outstanding closes their streams,
 *     frees every buffer it owns for them and detaches the handles; a
 *     module being unloaded gives its handles back first (a 503 problem
 *     is the polite answer).
 *
 * sd_sbi_server_deferred_count(srv): handles not yet given back.
 */
struct sd_sbi_deferred;

struct sd_sbi_deferred *sd_sbi_resp_defer(struct sd_sbi_resp *resp);
struct sd_sbi_resp *sd_sbi_deferred_resp(struct sd_sbi_deferred *d);
int sd_sbi_deferred_send(struct sd_sbi_deferred *d);
int sd_sbi_deferred_answer(struct sd_sbi_deferred *d, int status,
			   const char *content_type, char *body, size_t len);
int sd_sbi_deferred_problem(struct sd_sbi_deferred *d, int status, const char *title,
			    const char *cause, const char *detail);
int sd_sbi_deferred_alive(const struct sd_sbi_deferred *d);
size_t sd_sbi_server_deferred_count(const struct sd_sbi_server *srv);

/* The address actually bound ("127.0.0.1:40123") and the apiRoot
 * ("http://127.0.0.1:40123" or "https://..."). */
const char *sd_sbi_server_addr(const struct sd_sbi_server *srv);
const char *sd_sbi_server_api_root(const struct sd_sbi_server *srv);

/* Close every open connection with GOAWAY (fault injection, shutdown). */
void sd_sbi_server_goaway_all(struct sd_sbi_server *srv);

#endif

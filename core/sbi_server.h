/* core/sbi_server.h — an HTTP/2 SBI server on libnghttp2 (h2c with prior
 * knowledge, and TLS with ALPN "h2" when a certificate is configured),
 * driven by the process's sd_loop.
 *
 * Handlers are registered per method and path template; a template segment
 * written {name} matches one non-empty path segment and is handed to the
 * handler in req->params (percent-decoded). Handlers run synchronously and
 * fill in a response; a response may ask the server to delay it or to
 * misbehave on purpose (the simulator's fault injection).
 *
 * Limits (each returns an error to the peer, never a crash): header block
 * size, body size, streams per connection, connections. Requests that match
 * no route get 404 problem+json; a known path with another method 405.
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
};

struct sd_sbi_server *sd_sbi_server_new(struct sd_loop *loop,
					const struct sd_sbi_server_conf *conf,
					char *err, size_t errsz);
void sd_sbi_server_free(struct sd_sbi_server *srv);

int sd_sbi_server_route(struct sd_sbi_server *srv, const char *method,
			const char *path_template, sd_sbi_handler h, void *arg);

/* The address actually bound ("127.0.0.1:40123") and the apiRoot
 * ("http://127.0.0.1:40123" or "https://..."). */
const char *sd_sbi_server_addr(const struct sd_sbi_server *srv);
const char *sd_sbi_server_api_root(const struct sd_sbi_server *srv);

/* Close every open connection with GOAWAY (fault injection, shutdown). */
void sd_sbi_server_goaway_all(struct sd_sbi_server *srv);

#endif

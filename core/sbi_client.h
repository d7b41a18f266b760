/* core/sbi_client.h — SBI client: libcurl multi on the process's sd_loop.
 *
 * HTTP/2 everywhere: http:// apiRoots use h2c with prior knowledge (as
 * Open5GS does); https:// uses ALPN h2 with peer verification on unless
 * the configuration says otherwise. One connection per NF (per host:port),
 * many streams multiplexed on it.
 *
 * libcurl < 8.0.0 (Debian 12 ships 7.88.1) has curl#10634: when an h2c
 * prior-knowledge connection is reused, every later transfer fails with
 * "Error in the HTTP2 framing layer". The client detects the version with
 * curl_version_info() at run time and, for http:// only, lets just the
 * transfer that opens a connection ask for prior knowledge while the others
 * ask for HTTP/2 with PIPEWAIT so they join it (SD_SBI_H2C_JOIN); a newer
 * libcurl multiplexes plainly (SD_SBI_H2C_PLAIN). SD_SBI_H2C_PER_REQUEST
 * (one connection per request) exists for tests and as a last resort.
 *
 * Every request completes exactly once through its callback, from the loop,
 * never from inside sd_sbi_request().
 */
#ifndef SD_SBI_CLIENT_H
#define SD_SBI_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "core/loop.h"

/* Append-only. */
enum sd_sbi_err {
	SD_SBI_OK = 0,          /* a response arrived (any HTTP status) */
	SD_SBI_ETIMEOUT,        /* no complete response in time */
	SD_SBI_ECONNECT,        /* could not connect / connection lost */
	SD_SBI_ETLS,            /* TLS handshake or verification failed */
	SD_SBI_EPROTO,          /* HTTP/2 framing, reset stream, GOAWAY */
	SD_SBI_ETOOBIG,         /* response body over the limit */
	SD_SBI_EUNREACHABLE,    /* NF marked unreachable; not tried */
	SD_SBI_ETOKEN,          /* could not obtain an OAuth2 access token */
	SD_SBI_EINVAL,          /* bad request options (our bug) */
	SD_SBI_ECANCELLED,      /* client freed before completion */
	SD_SBI_EPOLICY,         /* refused by policy: cleartext to an https core */
};
const char *sd_sbi_strerror(enum sd_sbi_err e);

/* Whether conf lets a request go out in cleartext (http://): when the NRF's
 * apiRoot is https, only with sbi.allow_http; else (an http:// or no NRF)
 * yes. An https:// URL is always allowed. */
bool sd_sbi_cleartext_allowed(const struct sd_sbi_conf *conf);

enum sd_sbi_h2c_mode {
	SD_SBI_H2C_AUTO = 0,     /* pick by curl_version_info() */
	SD_SBI_H2C_PLAIN,        /* prior knowledge on every transfer */
	SD_SBI_H2C_JOIN,         /* first transfer prior knowledge, rest PIPEWAIT */
	SD_SBI_H2C_PER_REQUEST,  /* fresh connection per request */
};

/* A decoded application/problem+json body (TS 29.571 ProblemDetails). */
struct sd_sbi_problem {
	int status;             /* 0 when absent */
	char title[128];        /* sanitised */
	char cause[64];
	char detail[256];
	char type[128];
	char invalid_param[128]; /* first invalidParams[].param */
};

struct sd_sbi_result {
	enum sd_sbi_err err;
	int status;             /* HTTP status when err == SD_SBI_OK */
	const char *content_type;
	const char *body;       /* NUL-terminated; valid during the callback */
	size_t body_len;
	const char *location;   /* Location header or NULL */
	const struct sd_sbi_problem *problem; /* when the body was problem+json */
	/* One line naming the NF, the request and what went wrong, e.g.
	 * "NRF GET /nnrf-nfm/v1/nf-instances: 404 Not found (cause
	 * RESOURCE_URI_STRUCTURE_NOT_FOUND)"; "" on a 2xx. Sanitised. */
	const char *errmsg;
	int attempts;           /* tries made (retries + 1) */
	int64_t elapsed_ms;
};

typedef void (*sd_sbi_cb)(const struct sd_sbi_result *res, void *arg);

struct sd_sbi_reqopts {
	const char *nf;            /* label for messages and health: "NRF" */
	const char *method;        /* "GET" default */
	const char *url;           /* absolute URL (apiRoot + path + query) */
	const char *body;          /* or NULL */
	size_t body_len;
	const char *content_type;  /* default application/json when body */
	const char *accept;        /* default "application/json, application/problem+json" */
	const char *scope;         /* OAuth2 scope (service name); NULL = none */
	const char *extra_headers[4]; /* "Name: value", NULL-terminated */
	int timeout_ms;            /* 0 = client default */
	bool idempotent;           /* may be retried; default: GET/PUT/DELETE */
	bool no_retry;             /* never retry this one */
	/* Added after the first version (append-only): */
	const char *target_nf_type; /* targetNfType in the token request, e.g.
				     * "SMF"; NULL = not sent. Part of the
				     * token cache key with scope. */
	const char *nf_key;        /* health key: which NF instance this is
				    * (its nfInstanceId), so that two AMFs are
				    * judged apart; NULL/"" = the nf label.
				    * Messages still name the nf label. */
};

struct sd_sbi_client_opts {
	const struct sd_sbi_conf *conf;  /* TLS, timeouts, retries, oauth2 */
	enum sd_sbi_h2c_mode h2c_mode;
	size_t max_body;                 /* default 4 MiB */
	const char *user_agent;          /* default "slicedeck" (the NF type for sims) */
	const char *nf_type;             /* our NFType in token requests, "AF" default */
	/* Added after the first version (append-only); 0 = default: */
	bool sender_timestamp;           /* send 3gpp-Sbi-Sender-Timestamp */
	int unreachable_after;           /* consecutive transport failures, default 3 */
	int probe_min_ms;                /* first probe interval, default 1000 */
	int probe_max_ms;                /* probe interval cap, default 60000 */
	int retry_base_ms;               /* first retry delay, default 200 (doubles,
					  * +0..50% jitter, capped at 5 s) */
	int retry_after_max_s;           /* honour Retry-After up to this, default 5 */
};

struct sd_sbi_client;

struct sd_sbi_client *sd_sbi_client_new(struct sd_loop *loop,
					const struct sd_sbi_client_opts *opts);
/* Cancels pending requests (their callbacks run with SD_SBI_ECANCELLED
 * before this returns) and frees. */
void sd_sbi_client_free(struct sd_sbi_client *c);

/* Queue a request. Returns 0, or -1 with nothing queued (bad options).
 * Everything in o is copied. body with body_len 0 means strlen(body). A
 * request that cannot even be tried (NF unreachable, no token) still
 * completes through cb from the loop, never from in here. Callbacks may
 * queue new requests; they must not free the client (do that from a
 * timer or the next loop turn). */
int sd_sbi_request(struct sd_sbi_client *c, const struct sd_sbi_reqopts *o,
		   sd_sbi_cb cb, void *arg);

/* Health per NF key (reqopts.nf_key, else the nf label): after repeated
 * transport failures an NF is unreachable and only probed with backoff;
 * any response marks it reachable again. sd_sbi_nf_reachable is true for
 * a key never used (nothing speaks against it); sd_sbi_nf_health tells
 * that case apart. */
bool sd_sbi_nf_reachable(const struct sd_sbi_client *c, const char *key);
enum sd_sbi_health {
	SD_SBI_HEALTH_UNKNOWN = 0,   /* no request with this key yet */
	SD_SBI_HEALTH_UP,            /* answered, or fewer failures than the limit */
	SD_SBI_HEALTH_DOWN,          /* marked unreachable */
};
enum sd_sbi_health sd_sbi_nf_health(const struct sd_sbi_client *c, const char *key);

/* Take a new configuration (a reload) without dropping requests, health or
 * connections: requests made from now on use its timeout, retries, TLS
 * settings (libcurl opens a new connection when they differ from a cached
 * one's) and OAuth2 settings; cached access tokens are dropped when the
 * NRF, nf_instance_id or oauth2 changed. Client options (h2c mode, body
 * cap, probe timings) stay as created. */
void sd_sbi_client_reconfigure(struct sd_sbi_client *c, const struct sd_sbi_conf *conf);

/* The h2c strategy actually in use after AUTO resolution. */
enum sd_sbi_h2c_mode sd_sbi_client_h2c_mode(const struct sd_sbi_client *c);

/* Counters since sd_sbi_client_new, for tests, benchmarks and the console. */
struct sd_sbi_client_stats {
	uint64_t requests;       /* sd_sbi_request calls accepted */
	uint64_t attempts;       /* transfers started (retries included) */
	uint64_t retries;
	uint64_t connects;       /* new connections (sum of CURLINFO_NUM_CONNECTS) */
	uint64_t token_fetches;  /* POST /oauth2/token transfers completed */
	uint64_t unreachable;    /* requests refused with SD_SBI_EUNREACHABLE */
	uint64_t rejoins;        /* JOIN mode: a joiner found no connection and was re-queued */
	uint64_t refused_cleartext; /* http:// requests refused by policy (SD_SBI_EPOLICY) */
	uint64_t tokens_dropped; /* cached access tokens dropped after a 401 */
};
void sd_sbi_client_stats(const struct sd_sbi_client *c, struct sd_sbi_client_stats *st);

/* Name of a mode ("auto", "plain", "join", "per-request"). */
const char *sd_sbi_h2c_mode_name(enum sd_sbi_h2c_mode m);

/* Decode a problem+json body. false when it is not a ProblemDetails object. */
bool sd_sbi_problem_decode(const char *body, size_t len, struct sd_sbi_problem *p);

#endif

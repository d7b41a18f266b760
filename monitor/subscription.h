/* monitor/subscription.h — one subscription held at an NF: created,
 * renewed before its validity ends, moved, and deleted.
 *
 * The collectors' NRF (NFStatusSubscribe, TS 29.510), NSSF
 * (NSSAIAvailability, TS 29.531), AMF (Namf_EventExposure, TS 29.518) and
 * SMF (Nsmf_EventExposure, TS 29.508) subscriptions are each one of these.
 *
 *   create   POST the body to the collection URL. Success is 201 with a
 *            Location on the target's own scheme and host:port (a path-only
 *            Location is taken relative to the target); a missing or foreign
 *            Location is refused and logged, and what it names is never
 *            contacted. The expiry granted is read from the answer at
 *            conf.expiry_member, else the one asked for is assumed.
 *   renew    at the granted expiry minus a lead (a fifth of the validity,
 *            1 s..5 min): PATCH the Location with a JSON Patch replacing
 *            conf.patch_path (NRF validityTime, NSSF expiry, AMF
 *            /options/expiry), PUT the whole body again (SMF, whose API has
 *            no PATCH), or create anew and delete the old one. A 404 means
 *            the NF forgot it: it is created anew. A PATCH or PUT refused
 *            with 400/405/501 switches this subscription to re-creating.
 *   move     sd_sub_want with another URL or NF: the old one is deleted,
 *            a new one created where it is wanted now.
 *   delete   sd_sub_drop (reload, the holding NF gone, shutdown): DELETE the
 *            Location; retried with backoff on transport errors and 5xx
 *            until the subscription's own expiry, never after.
 *
 * Failures back off: the interval starts at backoff_min_ms, doubles up to
 * backoff_max_ms, with 0..50 % jitter. A deterministic refusal (4xx other
 * than 401/408/429, or an unusable Location) goes straight to the cap and
 * is logged once, not on every retry; the recovery is logged once too.
 *
 * Requests go through the caller's SBI client, which must outlive every
 * subscription using it (or be freed after them: its cancelled requests
 * complete here harmlessly). Nothing here calls back into the caller from
 * inside one of the caller's calls: callbacks run from the loop.
 */
#ifndef SD_SUBSCRIPTION_H
#define SD_SUBSCRIPTION_H

#include <stdbool.h>
#include <stdint.h>

#include "core/loop.h"
#include "core/sbi_client.h"

enum sd_sub_renew {
	SD_SUB_RENEW_PATCH,     /* JSON Patch on conf.patch_path */
	SD_SUB_RENEW_PUT,       /* the whole body again */
	SD_SUB_RENEW_RECREATE,  /* a new one, then DELETE the old */
};

struct sd_sub_conf {
	const char *name;            /* "NRF", "AMF": messages and the client's nf label */
	const char *scope;           /* OAuth2 scope: the service name */
	const char *target_nf_type;  /* token targetNfType: "NRF", "AMF" */
	enum sd_sub_renew renew;
	const char *expiry_member;   /* JSON pointer of the expiry in the create body and
				      * its answer: "/validityTime", "/expiry",
				      * "/subscription/options/expiry" */
	const char *patch_path;      /* JSON Patch path for SD_SUB_RENEW_PATCH */
	int validity_s;              /* asked for; default 3600 */
	int backoff_min_ms;          /* default 1000 */
	int backoff_max_ms;          /* default 60000 */
	/* The create (and PUT) body: JSON text, allocated with the util.h
	 * wrappers (or jansson's json_dumps), asking for this expiry (wall ms;
	 * 0 in sd_sub_recheck's comparison). NULL when it cannot be made now
	 * (the create waits for the next sd_sub_want). */
	char *(*body)(void *arg, int64_t expiry_ms);
	/* A create (created true) or a renewal succeeded; res is the answer
	 * (the NSSF's 201 carries the current availability). May be NULL. */
	void (*established)(void *arg, const struct sd_sbi_result *res, bool created);
	/* A create refused deterministically (a 4xx other than 401/408/429).
	 * When set, the refusal is final for this form: the subscription
	 * stops wanting (as after sd_sub_drop, nothing is logged here) and
	 * this is called once, from the loop; the caller may change the body
	 * and sd_sub_want again. When NULL, the create is retried at
	 * backoff_max_ms. May be NULL. */
	void (*refused)(void *arg, const struct sd_sbi_result *res);
	void *arg;
};

struct sd_sub;

/* conf is copied (its strings must be static or outlive the sub). */
struct sd_sub *sd_sub_new(struct sd_loop *loop, const struct sd_sub_conf *conf);
/* No request is sent (call sd_sub_drop first for that); requests in flight
 * are disarmed and the memory goes when the last one completes. */
void sd_sub_free(struct sd_sub *s);

/* Hold the subscription at collection_url (absolute, the NF's apiRoot and
 * the API's collection path), an NF reached as nf_key for the client's
 * health ("" for the NRF). Nothing happens when that is where it is held or
 * being made; another place moves it. */
void sd_sub_want(struct sd_sub *s, struct sd_sbi_client *cli, const char *collection_url,
		 const char *nf_key);
/* Let go: delete what is held, stop wanting it. */
void sd_sub_drop(struct sd_sub *s);
/* The body may have changed (a reload): when it differs from the one the
 * held subscription was made with (expiry aside), re-create it — the new
 * one first, then the old one is deleted. */
void sd_sub_recheck(struct sd_sub *s);

/* Something is held (a Location), possibly being renewed. */
bool sd_sub_active(const struct sd_sub *s);
const char *sd_sub_location(const struct sd_sub *s);   /* "" when none */
const char *sd_sub_target(const struct sd_sub *s);     /* wanted URL, "" */
const char *sd_sub_holder(const struct sd_sub *s);     /* wanted nf_key, "" */
/* Number of the current create attempt (1, 2, ...): bodies may carry it
 * (notifId, notifyCorrelationId) so that notifications of an older
 * subscription can be told apart. */
unsigned sd_sub_generation(const struct sd_sub *s);
/* Wall ms of the expiry granted to what is held, 0 when none. */
int64_t sd_sub_expiry(const struct sd_sub *s);
/* Requests in flight (creates, renewals, deletes). */
int  sd_sub_pending(const struct sd_sub *s);

/* Counters, for tests and the console. */
struct sd_sub_stats {
	unsigned creates, created, renewals, renewed, deletes, deleted, refused;
};
void sd_sub_stats(const struct sd_sub *s, struct sd_sub_stats *st);

#endif

/* monitor/subscription.c — see subscription.h.
 *
 * States of the one subscription a struct sd_sub stands for:
 *   S_IDLE      nothing held; a create may be due (s->timer)
 *   S_CREATING  a POST is in flight
 *   S_ACTIVE    a Location is held; s->timer is the renewal
 *   S_RENEWING  a PATCH / PUT / re-creating POST is in flight, the
 *               Location still held
 * Deletes of Locations we no longer want are independent records (struct
 * del) with their own retries, so a move never waits for the old NF.
 *
 * Every request carries the generation (create attempt) and the state it
 * was sent in; an answer that no longer matches (the subscription moved or
 * was dropped meanwhile) is "superseded": if it created something, that is
 * deleted at once.
 */
#include "monitor/subscription.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "core/log.h"
#include "core/util.h"

#define URL_MAX 512
#define DEF_VALIDITY_S 3600
#define DEF_BACKOFF_MIN_MS 1000
#define DEF_BACKOFF_MAX_MS 60000
#define DEL_BACKOFF_MIN_MS 1000
#define DEL_BACKOFF_MAX_MS 30000

enum state { S_IDLE, S_CREATING, S_ACTIVE, S_RENEWING };
enum rkind { RQ_CREATE, RQ_RENEW, RQ_DELETE };

struct del {
	struct del *next;
	struct sd_sub *s;
	char url[URL_MAX];
	char key[64];                /* the holding NF's health key */
	int64_t until_wall;          /* give up after this (the sub's expiry) */
	int backoff_ms;
	uint64_t timer;
	bool inflight;
};

struct sd_sub {
	struct sd_loop *loop;
	struct sd_sub_conf conf;
	struct sd_sbi_client *cli;
	char target[URL_MAX];        /* wanted; "" = not wanted */
	char key[64];
	char made_target[URL_MAX];   /* of what is held or being made */
	char made_key[64];
	char *made_body;             /* body(arg, 0) of it */
	char location[URL_MAX];
	enum state st;
	unsigned gen;
	int64_t expiry;              /* wall ms granted */
	int64_t asked;               /* wall ms asked in the request in flight */
	uint64_t timer;
	int backoff_ms;
	bool recreate_mode;          /* PATCH/PUT refused: renew by re-creating */
	bool recheck_pending;        /* sd_sub_recheck while a request was in flight */
	char refusal[200];           /* the refusal logged once ("" = none) */
	struct sd_complaint complaint;
	struct del *dels;
	int pending;
	bool freed;
	uint64_t rng;
	struct sd_sub_stats stats;
};

struct rq {
	struct sd_sub *s;
	enum rkind kind;
	unsigned gen;
	char method[8];
	char target[URL_MAX];        /* made_target / made_key when sent */
	char key[64];
	struct del *d;
};

static void create(struct sd_sub *s);
static void renew(struct sd_sub *s, bool recreate);
static void del_send(struct del *d);

/* --- small helpers ------------------------------------------------------- */

static unsigned jitter_pct(struct sd_sub *s)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	return (unsigned)(s->rng % 51);
}

static int validity_ms(const struct sd_sub *s)
{
	return (s->conf.validity_s > 0 ? s->conf.validity_s : DEF_VALIDITY_S) * 1000;
}

/* The next backoff interval (with jitter); max jumps to the cap. */
static int64_t backoff_next(struct sd_sub *s, bool max)
{
	int lo = s->conf.backoff_min_ms > 0 ? s->conf.backoff_min_ms : DEF_BACKOFF_MIN_MS;
	int hi = s->conf.backoff_max_ms > 0 ? s->conf.backoff_max_ms : DEF_BACKOFF_MAX_MS;
	if (hi < lo)
		hi = lo;
	if (max)
		s->backoff_ms = hi;
	else
		s->backoff_ms = s->backoff_ms ? (s->backoff_ms > hi / 2 ? hi : s->backoff_ms * 2) : lo;
	return s->backoff_ms + (int64_t)s->backoff_ms * jitter_pct(s) / 100;
}

static void timer_set(struct sd_sub *s, int64_t ms, sd_timer_cb cb)
{
	sd_loop_timer_del(s->loop, s->timer);
	s->timer = cb ? sd_loop_timer_add(s->loop, ms < 0 ? 0 : ms, cb, s) : 0;
}

/* A 4xx that asking again will not change. */
static bool deterministic(int status)
{
	return status >= 400 && status < 500 && status != 401 && status != 408 && status != 429;
}

/* "scheme://host:port" of an absolute http(s) URL into out (lower case,
 * default port made explicit); false when it is not one. */
static bool origin_of(const char *url, char *out, size_t outsz)
{
	const char *p, *auth;
	size_t n, i;
	bool https;
	char host[300];

	if (strncasecmp(url, "http://", 7) == 0)
		https = false, auth = url + 7;
	else if (strncasecmp(url, "https://", 8) == 0)
		https = true, auth = url + 8;
	else
		return false;
	n = strcspn(auth, "/?#");
	if (n == 0 || n >= sizeof host || memchr(auth, '@', n))
		return false;
	for (i = 0; i < n; i++)
		host[i] = (char)tolower((unsigned char)auth[i]);
	host[n] = '\0';
	/* host:port, [v6]:port, or without a port */
	p = host[0] == '[' ? strchr(host, ']') : host;
	if (!p)
		return false;
	if (!strchr(p, ':'))
		snprintf(out, outsz, "%s://%s:%d", https ? "https" : "http", host, https ? 443 : 80);
	else
		snprintf(out, outsz, "%s://%s", https ? "https" : "http", host);
	return true;
}

/* Nothing a header could smuggle: printable ASCII without spaces. */
static bool uri_chars_ok(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

/* The Location of a 201 against the target it was created at: absolute on
 * the same origin, or a path on it. Writes the absolute URL or a reason. */
static bool location_ok(const char *target, const char *loc, char *out, size_t outsz,
			char *why, size_t whysz)
{
	char ot[320], ol[320];
	if (!loc || !loc[0]) {
		snprintf(why, whysz, "no Location");
		return false;
	}
	if (strlen(loc) >= URL_MAX - 1 || !uri_chars_ok(loc)) {
		snprintf(why, whysz, "unusable Location");
		return false;
	}
	if (!origin_of(target, ot, sizeof ot))
		return false;
	if (loc[0] == '/' && loc[1] != '/') {
		if (strlen(ot) + strlen(loc) >= outsz) {
			snprintf(why, whysz, "unusable Location");
			return false;
		}
		snprintf(out, outsz, "%s%s", ot, loc);
		return true;
	}
	if (!origin_of(loc, ol, sizeof ol) || strcmp(ot, ol) != 0) {
		char shown[96];
		sd_sanitize(shown, sizeof shown, loc, strlen(loc));
		snprintf(why, whysz, "Location %s is not on %s", shown, ot);
		return false;
	}
	sd_strlcpy(out, loc, outsz);
	return true;
}

/* RFC 3339 date-time to wall ms; false when it is not one. */
static bool parse_time(const char *s, int64_t *ms)
{
	struct tm tm = { 0 };
	int y, mo, d, h, mi, sec, n = 0, oh = 0, om = 0;
	long frac_ms = 0;
	char sign;
	time_t t;

	if (sscanf(s, "%4d-%2d-%2d%*[Tt ]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 ||
	    n < 19)
		return false;
	s += n;
	if (*s == '.') {
		int digits = 0;
		for (s++; isdigit((unsigned char)*s); s++, digits++)
			if (digits < 3)
				frac_ms = frac_ms * 10 + (*s - '0');
		for (; digits < 3; digits++)
			frac_ms *= 10;
	}
	if (*s == 'Z' || *s == 'z') {
		s++;
	} else if ((*s == '+' || *s == '-') && sscanf(s + 1, "%2d:%2d", &oh, &om) == 2) {
		sign = *s;
		s += 6;
		if (sign == '-')
			oh = -oh, om = -om;
	} else {
		return false;
	}
	if (*s || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return false;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm);
	*ms = ((int64_t)t - (int64_t)oh * 3600 - (int64_t)om * 60) * 1000 + frac_ms;
	return true;
}

/* The expiry the NF granted, from its answer's JSON at conf.expiry_member
 * ("/a/b"); asked when it says nothing usable. */
static int64_t granted(const struct sd_sub *s, const struct sd_sbi_result *res, int64_t asked)
{
	const char *p = s->conf.expiry_member;
	json_t *root, *j;
	int64_t ms = asked;
	if (!p || !res->body || !res->body_len)
		return asked;
	root = json_loadb(res->body, res->body_len, 0, NULL);
	j = root;
	while (j && *p == '/') {
		char seg[64];
		size_t n = strcspn(p + 1, "/");
		if (n >= sizeof seg)
			break;
		memcpy(seg, p + 1, n);
		seg[n] = '\0';
		j = json_object_get(j, seg);
		p += 1 + n;
	}
	if (j && !*p && json_is_string(j) && parse_time(json_string_value(j), &ms) &&
	    ms > sd_wall_ms())
		;   /* granted (perhaps shortened) */
	else
		ms = asked;
	json_decref(root);
	return ms;
}

static void log_refusal(struct sd_sub *s, const char *what)
{
	/* the same refusal again is not news: debug only */
	if (strcmp(s->refusal, what) == 0) {
		sd_debug("%s subscription: %s (again)", s->conf.name, what);
		return;
	}
	sd_strlcpy(s->refusal, what, sizeof s->refusal);
	/* a different refusal is news even right after another complaint */
	memset(&s->complaint, 0, sizeof s->complaint);
	sd_complain(&s->complaint, SD_LOG_WARN, "%s subscription refused: %s; asking again "
		    "every %d s, and saying so again only if the answer changes", s->conf.name,
		    what, (s->conf.backoff_max_ms > 0 ? s->conf.backoff_max_ms
		    : DEF_BACKOFF_MAX_MS) / 1000);
}

static void recovered(struct sd_sub *s)
{
	s->backoff_ms = 0;
	s->refusal[0] = '\0';
	sd_complain_clear(&s->complaint, "%s: subscription in place again", s->conf.name);
}

/* --- requests ------------------------------------------------------------ */

static void on_result(const struct sd_sbi_result *res, void *arg);

static int send_req(struct sd_sub *s, enum rkind kind, const char *method, const char *url,
		    const char *body, const char *ctype, struct del *d)
{
	struct rq *q;
	struct sd_sbi_reqopts o = { .nf = s->conf.name, .method = method, .url = url,
				    .body = body, .content_type = ctype, .scope = s->conf.scope,
				    .target_nf_type = s->conf.target_nf_type,
				    .nf_key = d ? d->key : s->made_key,
				    .idempotent = strcmp(method, "POST") != 0 };
	if (!s->cli)
		return -1;
	q = sd_calloc(1, sizeof *q);
	q->s = s;
	q->kind = kind;
	q->gen = s->gen;
	q->d = d;
	sd_strlcpy(q->method, method, sizeof q->method);
	sd_strlcpy(q->target, s->made_target, sizeof q->target);
	sd_strlcpy(q->key, s->made_key, sizeof q->key);
	if (sd_sbi_request(s->cli, &o, on_result, q) < 0) {
		free(q);
		return -1;
	}
	s->pending++;
	return 0;
}

/* Have url deleted at the NF reached as key, retrying until until_wall. */
static void delete_url(struct sd_sub *s, const char *url, const char *key, int64_t until_wall)
{
	struct del *d = sd_calloc(1, sizeof *d);
	d->s = s;
	sd_strlcpy(d->url, url, sizeof d->url);
	sd_strlcpy(d->key, key, sizeof d->key);
	d->until_wall = until_wall;
	d->next = s->dels;
	s->dels = d;
	s->stats.deletes++;
	del_send(d);
}

/* Forget the held Location and have it deleted (until its expiry). */
static void let_go(struct sd_sub *s)
{
	if (!s->location[0])
		return;
	delete_url(s, s->location, s->made_key,
		   s->expiry ? s->expiry : sd_wall_ms() + validity_ms(s));
	s->location[0] = '\0';
	s->expiry = 0;
}

/* Delete a Location a superseded create made (at the NF it was made at). */
static void let_go_url(struct sd_sub *s, const char *url, const char *key)
{
	delete_url(s, url, key, sd_wall_ms() + validity_ms(s));
}

static void on_renew_timer(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct sd_sub *s = arg;
	s->timer = 0;
	if (s->st == S_ACTIVE)
		renew(s, false);
}

static void on_create_timer(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct sd_sub *s = arg;
	s->timer = 0;
	if (s->st == S_IDLE)
		create(s);
}

static void schedule_renewal(struct sd_sub *s)
{
	int64_t left = s->expiry - sd_wall_ms(), lead = left / 5;
	if (lead < 1000)
		lead = 1000;
	if (lead > 300000)
		lead = 300000;
	timer_set(s, left - lead < 500 ? 500 : left - lead, on_renew_timer);
}

static void create(struct sd_sub *s)
{
	char *body;
	int64_t asked = sd_wall_ms() + validity_ms(s);

	if (s->st != S_IDLE || !s->target[0] || s->freed)
		return;
	timer_set(s, 0, NULL);
	s->gen++;           /* the body may carry it */
	body = s->conf.body(s->conf.arg, asked);
	if (!body) {
		s->gen--;
		return;     /* nothing to ask for now; the next want retries */
	}
	sd_strlcpy(s->made_target, s->target, sizeof s->made_target);
	sd_strlcpy(s->made_key, s->key, sizeof s->made_key);
	free(s->made_body);
	s->made_body = s->conf.body(s->conf.arg, 0);
	s->asked = asked;
	s->stats.creates++;
	if (send_req(s, RQ_CREATE, "POST", s->target, body, NULL, NULL) == 0)
		s->st = S_CREATING;
	else
		timer_set(s, backoff_next(s, true), on_create_timer);
	free(body);
}

/* Renew what is held: PATCH, PUT, or a new one (recreate) whose success
 * deletes the old. */
static void renew(struct sd_sub *s, bool recreate)
{
	int64_t asked = sd_wall_ms() + validity_ms(s);
	char *body = NULL;
	int rc;

	if (s->st != S_ACTIVE || s->freed)
		return;
	timer_set(s, 0, NULL);
	s->asked = asked;
	s->stats.renewals++;
	if (recreate || s->recreate_mode || s->conf.renew == SD_SUB_RENEW_RECREATE) {
		s->gen++;
		body = s->conf.body(s->conf.arg, asked);
		if (!body) {
			s->gen--;
			timer_set(s, backoff_next(s, false), on_renew_timer);
			return;
		}
		free(s->made_body);
		s->made_body = s->conf.body(s->conf.arg, 0);
		rc = send_req(s, RQ_RENEW, "POST", s->made_target, body, NULL, NULL);
	} else if (s->conf.renew == SD_SUB_RENEW_PUT) {
		body = s->conf.body(s->conf.arg, asked);
		if (!body) {
			timer_set(s, backoff_next(s, false), on_renew_timer);
			return;
		}
		rc = send_req(s, RQ_RENEW, "PUT", s->location, body, NULL, NULL);
	} else {
		char ts[40];
		json_t *p;
		sd_fmt_time(asked, ts, sizeof ts);
		p = json_pack("[{s:s, s:s, s:s}]", "op", "replace", "path",
			      s->conf.patch_path ? s->conf.patch_path : "/validityTime", "value", ts);
		body = json_dumps(p, JSON_COMPACT);
		json_decref(p);
		rc = send_req(s, RQ_RENEW, "PATCH", s->location, body,
			      "application/json-patch+json", NULL);
	}
	free(body);
	if (rc == 0)
		s->st = S_RENEWING;
	else
		timer_set(s, backoff_next(s, false), on_renew_timer);
}

/* After a request settled: a recheck that came meanwhile. */
static void settle(struct sd_sub *s)
{
	if (s->recheck_pending && (s->st == S_ACTIVE || s->st == S_IDLE)) {
		s->recheck_pending = false;
		sd_sub_recheck(s);
	}
}

static void on_create_done(struct sd_sub *s, const struct rq *q, const struct sd_sbi_result *res)
{
	char loc[URL_MAX], why[160];
	bool superseded = q->gen != s->gen || s->st != S_CREATING;
	bool ok = res->err == SD_SBI_OK && res->status == 201;

	if (ok && !location_ok(q->target, res->location, loc, sizeof loc, why, sizeof why))
		ok = false;
	else
		why[0] = '\0';
	if (superseded) {
		if (ok)
			let_go_url(s, loc, q->key);
		return;
	}
	s->st = S_IDLE;
	if (!ok) {
		if (why[0]) {
			/* an answer we cannot hold on to: never contact what it names */
			s->stats.refused++;
			log_refusal(s, why);
			timer_set(s, backoff_next(s, true), on_create_timer);
		} else if (res->err == SD_SBI_OK && deterministic(res->status) && s->conf.refused) {
			/* final for this form: the caller decides what comes next */
			s->stats.refused++;
			s->target[0] = s->key[0] = '\0';
			timer_set(s, 0, NULL);
			s->conf.refused(s->conf.arg, res);
		} else if (res->err == SD_SBI_OK && deterministic(res->status)) {
			s->stats.refused++;
			log_refusal(s, res->errmsg[0] ? res->errmsg : "no 201 Created");
			timer_set(s, backoff_next(s, true), on_create_timer);
		} else {
			int64_t wait = backoff_next(s, false);
			sd_complain(&s->complaint, SD_LOG_WARN, "%s subscription failed: %s; "
				    "trying again in %lld ms", s->conf.name,
				    res->errmsg[0] ? res->errmsg : "no 201 Created", (long long)wait);
			timer_set(s, wait, on_create_timer);
		}
		return;
	}
	sd_strlcpy(s->location, loc, sizeof s->location);
	s->expiry = granted(s, res, s->asked);
	s->st = S_ACTIVE;
	s->stats.created++;
	recovered(s);
	sd_info("%s: subscribed (%s), valid %lld s", s->conf.name, s->location,
		(long long)((s->expiry - sd_wall_ms()) / 1000));
	schedule_renewal(s);
	if (s->conf.established)
		s->conf.established(s->conf.arg, res, true);
}

static void on_renew_done(struct sd_sub *s, const struct rq *q, const struct sd_sbi_result *res)
{
	bool post = strcmp(q->method, "POST") == 0;
	bool superseded = q->gen != s->gen || s->st != S_RENEWING;
	char loc[URL_MAX], why[160];

	if (post) {
		bool ok = res->err == SD_SBI_OK && res->status == 201 &&
			  location_ok(q->target, res->location, loc, sizeof loc, why,
				      sizeof why);
		if (superseded) {
			if (ok)
				let_go_url(s, loc, q->key);
			return;
		}
		s->st = S_ACTIVE;
		if (ok) {
			let_go(s);          /* the old one */
			sd_strlcpy(s->location, loc, sizeof s->location);
			s->expiry = granted(s, res, s->asked);
			s->stats.renewed++;
			s->stats.created++;
			recovered(s);
			sd_info("%s: subscription re-created (%s)", s->conf.name, s->location);
			schedule_renewal(s);
			if (s->conf.established)
				s->conf.established(s->conf.arg, res, true);
			return;
		}
		if (res->err == SD_SBI_OK && res->status == 201)
			log_refusal(s, why);
	} else {
		if (superseded)
			return;
		s->st = S_ACTIVE;
		if (res->err == SD_SBI_OK && (res->status == 200 || res->status == 204)) {
			s->expiry = granted(s, res, s->asked);
			s->stats.renewed++;
			recovered(s);
			sd_debug("%s: subscription renewed until +%lld s", s->conf.name,
				 (long long)((s->expiry - sd_wall_ms()) / 1000));
			schedule_renewal(s);
			if (s->conf.established)
				s->conf.established(s->conf.arg, res, false);
			return;
		}
		if (res->err == SD_SBI_OK && res->status == 404) {
			/* the NF no longer has it (expired, restarted): make a new one */
			sd_notice("%s: subscription %s is gone at the NF; subscribing again",
				  s->conf.name, s->location);
			s->location[0] = '\0';
			s->expiry = 0;
			s->st = S_IDLE;
			create(s);
			return;
		}
		if (res->err == SD_SBI_OK && (res->status == 400 || res->status == 405 ||
					      res->status == 501) && !s->recreate_mode) {
			sd_notice("%s: the NF does not take %s on subscriptions (%s); renewing by "
				  "re-creating instead", s->conf.name, q->method, res->errmsg);
			s->recreate_mode = true;
			renew(s, true);
			return;
		}
	}
	/* failed: try again while what we hold is still valid */
	{
		int64_t wait = backoff_next(s, res->err == SD_SBI_OK && deterministic(res->status));
		if (sd_wall_ms() + wait < s->expiry) {
			sd_complain(&s->complaint, SD_LOG_WARN, "%s subscription renewal failed: %s;"
				    " trying again in %lld ms", s->conf.name,
				    res->errmsg[0] ? res->errmsg : "unexpected answer",
				    (long long)wait);
			timer_set(s, wait, on_renew_timer);
		} else {
			sd_complain(&s->complaint, SD_LOG_WARN, "%s subscription renewal failed: %s;"
				    " it expires, subscribing again", s->conf.name,
				    res->errmsg[0] ? res->errmsg : "unexpected answer");
			let_go(s);
			s->st = S_IDLE;
			timer_set(s, wait, on_create_timer);
		}
	}
}

/* --- deletes ------------------------------------------------------------- */

static void del_unlink_free(struct del *d)
{
	struct sd_sub *s = d->s;
	struct del **pp;
	for (pp = &s->dels; *pp; pp = &(*pp)->next)
		if (*pp == d) {
			*pp = d->next;
			break;
		}
	sd_loop_timer_del(s->loop, d->timer);
	free(d);
}

static void on_del_timer(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct del *d = arg;
	d->timer = 0;
	del_send(d);
}

static void del_send(struct del *d)
{
	if (d->inflight || d->s->freed)
		return;
	if (send_req(d->s, RQ_DELETE, "DELETE", d->url, NULL, NULL, d) == 0)
		d->inflight = true;
	else
		del_unlink_free(d);
}

static void on_delete_done(struct sd_sub *s, struct del *d, const struct sd_sbi_result *res)
{
	d->inflight = false;
	if (res->err == SD_SBI_OK && ((res->status >= 200 && res->status < 300) ||
				      res->status == 404)) {
		if (res->status != 404)
			s->stats.deleted++;
		sd_debug("%s: subscription %s deleted (%d)", s->conf.name, d->url, res->status);
		del_unlink_free(d);
		return;
	}
	if (res->err == SD_SBI_ECANCELLED || s->freed) {
		del_unlink_free(d);
		return;
	}
	if ((res->err != SD_SBI_OK || res->status >= 500 || res->status == 429) &&
	    sd_wall_ms() < d->until_wall) {
		int64_t wait;
		d->backoff_ms = d->backoff_ms ? d->backoff_ms * 2 : DEL_BACKOFF_MIN_MS;
		if (d->backoff_ms > DEL_BACKOFF_MAX_MS)
			d->backoff_ms = DEL_BACKOFF_MAX_MS;
		wait = d->backoff_ms + (int64_t)d->backoff_ms * jitter_pct(s) / 100;
		if (sd_wall_ms() + wait < d->until_wall) {
			sd_debug("%s: deleting %s failed (%s); again in %lld ms", s->conf.name,
				 d->url, res->errmsg, (long long)wait);
			d->timer = sd_loop_timer_add(s->loop, wait, on_del_timer, d);
			return;
		}
	}
	sd_warn("%s: could not delete subscription %s: %s; the NF drops it when it expires",
		s->conf.name, d->url, res->errmsg[0] ? res->errmsg : "unexpected answer");
	del_unlink_free(d);
}

/* --- the one completion -------------------------------------------------- */

static void sub_destroy(struct sd_sub *s)
{
	while (s->dels)
		del_unlink_free(s->dels);
	sd_loop_timer_del(s->loop, s->timer);
	free(s->made_body);
	free(s);
}

static void on_result(const struct sd_sbi_result *res, void *arg)
{
	struct rq *q = arg;
	struct sd_sub *s = q->s;

	s->pending--;
	if (s->freed) {
		if (q->d)
			q->d->inflight = false;
		if (s->pending == 0)
			sub_destroy(s);
		free(q);
		return;
	}
	switch (q->kind) {
	case RQ_CREATE:
		on_create_done(s, q, res);
		break;
	case RQ_RENEW:
		on_renew_done(s, q, res);
		break;
	case RQ_DELETE:
		on_delete_done(s, q->d, res);
		break;
	}
	free(q);
	settle(s);
}

/* --- the interface ------------------------------------------------------- */

struct sd_sub *sd_sub_new(struct sd_loop *loop, const struct sd_sub_conf *conf)
{
	struct sd_sub *s = sd_calloc(1, sizeof *s);
	s->loop = loop;
	s->conf = *conf;
	s->rng = (uint64_t)sd_now_ms() * 0x9E3779B97F4A7C15ull ^ (uint64_t)(uintptr_t)s;
	if (!s->rng)
		s->rng = 1;
	return s;
}

void sd_sub_free(struct sd_sub *s)
{
	struct del *d;
	if (!s)
		return;
	s->freed = true;
	sd_loop_timer_del(s->loop, s->timer);
	s->timer = 0;
	for (d = s->dels; d; d = d->next) {
		sd_loop_timer_del(s->loop, d->timer);
		d->timer = 0;
	}
	if (s->pending == 0)
		sub_destroy(s);
}

void sd_sub_want(struct sd_sub *s, struct sd_sbi_client *cli, const char *collection_url,
		 const char *nf_key)
{
	if (!collection_url || !collection_url[0]) {
		sd_sub_drop(s);
		return;
	}
	s->cli = cli;
	if (!nf_key)
		nf_key = "";
	if (strcmp(s->target, collection_url) == 0 && strcmp(s->key, nf_key) == 0) {
		if (s->st == S_IDLE && !s->timer)
			create(s);
		return;
	}
	sd_strlcpy(s->target, collection_url, sizeof s->target);
	sd_strlcpy(s->key, nf_key, sizeof s->key);
	if (s->st == S_ACTIVE || s->st == S_RENEWING) {
		sd_info("%s: subscription moves to %s", s->conf.name, collection_url);
		let_go(s);
	}
	s->st = S_IDLE;       /* an answer in flight is superseded */
	s->backoff_ms = 0;
	s->refusal[0] = '\0';
	create(s);
}

void sd_sub_drop(struct sd_sub *s)
{
	if (!s)
		return;
	s->target[0] = s->key[0] = '\0';
	timer_set(s, 0, NULL);
	if (s->st == S_ACTIVE || s->st == S_RENEWING)
		let_go(s);
	s->st = S_IDLE;
	s->recheck_pending = false;
}

void sd_sub_recheck(struct sd_sub *s)
{
	char *now;
	if (s->st == S_CREATING || s->st == S_RENEWING) {
		s->recheck_pending = true;
		return;
	}
	if (s->st != S_ACTIVE)
		return;
	now = s->conf.body(s->conf.arg, 0);
	if (now && (!s->made_body || strcmp(now, s->made_body) != 0)) {
		sd_info("%s: what the subscription asks for changed; re-creating it",
			s->conf.name);
		renew(s, true);
	}
	free(now);
}

bool sd_sub_active(const struct sd_sub *s) { return s->location[0] != '\0'; }
const char *sd_sub_location(const struct sd_sub *s) { return s->location; }
const char *sd_sub_target(const struct sd_sub *s) { return s->target; }
const char *sd_sub_holder(const struct sd_sub *s) { return s->key; }
unsigned sd_sub_generation(const struct sd_sub *s) { return s->gen; }
int64_t sd_sub_expiry(const struct sd_sub *s) { return s->location[0] ? s->expiry : 0; }
int sd_sub_pending(const struct sd_sub *s) { return s->pending; }
void sd_sub_stats(const struct sd_sub *s, struct sd_sub_stats *st) { *st = s->stats; }

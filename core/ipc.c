/* core/ipc.c — the engine's UNIX-socket server; see ipc_server.h for the
 * live-update design and docs/ipc.md for the protocol.
 *
 * A client can never stall the engine or other clients: sockets are
 * non-blocking, input lines are capped (too_large), replies queued to a
 * client that does not read are capped (the client is dropped), and live
 * updates to a slow client are replaced by a resync once it has caught up.
 *
 * Memory: what leaves the engine is a queue of references to refcounted
 * messages per peer. A delta, a whole list or a snapshot page is built
 * once per scope and referenced by every peer of that scope.
 */
#include "core/ipc_server.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/log.h"
#include "core/strmap.h"

#define NTOPIC 6          /* bits of enum sd_topic */

/* --- shared messages -------------------------------------------------------- */

struct msg {
	int refs;
	size_t len;
	char data[];
};

static struct msg *msg_new(const char *s, size_t n)
{
	struct msg *m = sd_malloc(sizeof *m + n + 1);
	m->refs = 1;
	m->len = n;
	memcpy(m->data, s, n);
	m->data[n] = '\0';
	return m;
}

static struct msg *msg_take(char *line)
{
	struct msg *m = msg_new(line, strlen(line));
	free(line);
	return m;
}

static struct msg *msg_ref(struct msg *m)
{
	m->refs++;
	return m;
}

static void msg_unref(struct msg *m)
{
	if (m && --m->refs == 0)
		free(m);
}

/* --- peers ------------------------------------------------------------------ */

enum qkind { Q_REPLY, Q_LIVE, Q_SNAPSHOT };

struct qent {
	struct msg *m;
	size_t off;
	enum qkind kind;
};

struct scope;

struct sd_ipc_peer {
	struct sd_ipc_server *srv;
	struct sd_ipc_peer *next;
	int fd;
	uint64_t serial;
	struct sd_ipc_caller caller;
	struct sd_ipc_reader in;
	struct qent *q;
	size_t qhead, qlen, qcap;
	size_t reply_bytes;       /* queued replies (the hard cap) */
	size_t live_bytes;        /* queued deltas / whole lists (the slow mark) */
	bool hello;
	bool closing;             /* flush what is queued, then close */
	unsigned delta;           /* topics subscribed in delta mode */
	unsigned full;            /* topics subscribed as whole lists */
	unsigned resync;          /* topics to send afresh once the queue drains */
	unsigned await;           /* topics whose start waits for the scope's fill */
	struct scope *scope;      /* while subscribed to anything */
	int64_t since_ms;         /* accepted (monotonic) */
	int64_t partial_ms;       /* first byte of an unfinished line; 0 = none */
	bool paused;              /* not read: too many replies unread */
	uint64_t resume_timer;    /* buffered lines to answer on the next turn */
};

/* What one scope last saw of one topic. */
struct tstate {
	bool live;                /* map populated: the scope has subscribers */
	bool filling;             /* map being populated, a slice per loop turn */
	int subs;                 /* peers of the scope subscribed to the topic */
	struct sd_buf fill_ids;   /* while filling: the ids to serialise, NUL-separated */
	size_t fill_pos;          /* next id in fill_ids */
	struct sd_strmap map;     /* id -> struct msg * (the serialised object) */
	uint64_t gen;
	struct msg **snap;        /* snapshot pages at snap_gen */
	int nsnap;
	uint64_t snap_gen;
	struct msg *full;         /* the whole-list event at full_gen */
	uint64_t full_gen;
};

struct scope {
	char key[SD_ID_MAX];      /* "" = the zone (operators, viewers); else a factory id */
	struct sd_ipc_caller rep; /* what a member of the scope is, for visibility */
	struct tstate t[NTOPIC];
	int npeers;
	/* per flush: what changed */
	struct sd_buf up[NTOPIC], rm[NTOPIC];
	int nup[NTOPIC], nrm[NTOPIC];
	unsigned full_due;        /* topics whose whole list is owed after this flush */
	unsigned fills_done;      /* topics whose fill completed in this slice */
	bool touched;
};

struct dirty {
	struct sd_strmap ids;     /* id -> (void *)1 */
	bool all;
};

struct sd_ipc_server {
	struct sd_host host;
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct sd_ipc_peer *peers;
	int npeers;
	uint64_t next_serial;
	struct sd_ipc_topic_def topics[NTOPIC];
	bool has_topic[NTOPIC];
	struct sd_strmap scopes;  /* key -> struct scope * */
	struct dirty dirty[NTOPIC];
	bool any_dirty;
	int64_t last_flush_ms;
	uint64_t flush_timer;
	int bus_sub;
	bool hooked;              /* before_sleep registered (else a timer per mark) */
	uint64_t fill_timer;      /* the next slice of the scopes' fills */
	struct sd_ipc_stats stats;
	json_t *hello_extra;      /* members added to every hello (modules' settings) */
	uint64_t sweep_timer;     /* hello / partial-line deadlines, every second */
	int64_t refuse_window_ms; /* refusal log: start of the current minute */
	int refuse_logged;        /* lines logged in it */
	uint64_t refuse_quiet;    /* refusals in it not logged one by one */
};

static int topic_index(unsigned bit)
{
	int i;
	for (i = 0; i < NTOPIC; i++)
		if (bit == (1u << i))
			return i;
	return -1;
}

static struct sd_model *model_of(struct sd_ipc_server *s) { return sd_host_model(&s->host); }
static const struct sd_config *config_of(struct sd_ipc_server *s) { return sd_host_config(&s->host); }

static void scope_release(struct sd_ipc_server *s, struct sd_ipc_peer *p);
static void topic_unsub(struct sd_ipc_server *s, struct sd_ipc_peer *p, unsigned bits);

static void peer_free(struct sd_ipc_peer *p)
{
	struct sd_ipc_server *s = p->srv;
	struct sd_ipc_peer **pp;
	size_t i;
	for (pp = &s->peers; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	}
	s->npeers--;
	if (p->resume_timer)
		sd_loop_timer_del(s->host.loop, p->resume_timer);
	topic_unsub(s, p, p->delta | p->full);
	sd_loop_unwatch(s->host.loop, p->fd);
	close(p->fd);
	sd_ipc_reader_done(&p->in);
	for (i = 0; i < p->qlen; i++)
		msg_unref(p->q[(p->qhead + i) % p->qcap].m);
	free(p->q);
	free(p);
}

static void peer_update_watch(struct sd_ipc_peer *p);
static void send_resyncs(struct sd_ipc_peer *p);
static void peer_resume_later(struct sd_ipc_peer *p);

static void q_push(struct sd_ipc_peer *p, struct msg *m, enum qkind kind)
{
	if (p->qlen == p->qcap) {
		size_t ncap = p->qcap ? p->qcap * 2 : 16, i;
		struct qent *nq = sd_calloc(ncap, sizeof *nq);
		for (i = 0; i < p->qlen; i++)
			nq[i] = p->q[(p->qhead + i) % p->qcap];
		free(p->q);
		p->q = nq;
		p->qhead = 0;
		p->qcap = ncap;
	}
	p->q[(p->qhead + p->qlen) % p->qcap] = (struct qent){ m, 0, kind };
	p->qlen++;
	if (kind == Q_REPLY)
		p->reply_bytes += m->len;
	else if (kind == Q_LIVE)
		p->live_bytes += m->len;
	p->srv->stats.bytes_queued += m->len;
}

static void q_pop(struct sd_ipc_peer *p)
{
	struct qent *e = &p->q[p->qhead];
	if (e->kind == Q_REPLY)
		p->reply_bytes -= e->m->len;
	else if (e->kind == Q_LIVE)
		p->live_bytes -= e->m->len;
	msg_unref(e->m);
	p->qhead = (p->qhead + 1) % p->qcap;
	p->qlen--;
}

/* Write as much queued output as the socket takes. Returns -1 when the peer
 * is gone (and has been freed). */
static int peer_flush(struct sd_ipc_peer *p)
{
	for (;;) {
		struct iovec iov[64];
		int n = 0;
		size_t i;
		ssize_t w;
		if (!p->qlen) {
			if (p->resync && !p->closing) {
				send_resyncs(p);
				if (p->qlen)
					continue;
			}
			break;
		}
		for (i = 0; i < p->qlen && n < 64; i++) {
			struct qent *e = &p->q[(p->qhead + i) % p->qcap];
			iov[n].iov_base = e->m->data + e->off;
			iov[n].iov_len = e->m->len - e->off;
			n++;
		}
		w = writev(p->fd, iov, n);
		if (w < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno == EINTR)
				continue;
			sd_debug("ipc: %s (uid %u): %s", p->caller.user, (unsigned)p->caller.uid,
				 strerror(errno));
			peer_free(p);
			return -1;
		}
		while (w > 0 && p->qlen) {
			struct qent *e = &p->q[p->qhead];
			size_t left = e->m->len - e->off;
			if ((size_t)w >= left) {
				w -= (ssize_t)left;
				q_pop(p);
			} else {
				e->off += (size_t)w;
				w = 0;
			}
		}
	}
	if (!p->qlen && p->closing) {
		peer_free(p);
		return -1;
	}
	if (p->paused && p->reply_bytes <= SD_IPC_REPLY_MARK / 2) {
		/* it reads again: answer what it sent meanwhile, next turn */
		p->paused = false;
		peer_resume_later(p);
	}
	peer_update_watch(p);
	return 0;
}

/* Queue a reply line (taken). A peer whose unread replies exceed the cap
 * is not reading: drop it rather than grow without bound. */
static int peer_send(struct sd_ipc_peer *p, char *line)
{
	struct msg *m = msg_take(line);
	if (p->reply_bytes + m->len > SD_IPC_MAX_OUTBUF) {
		sd_warn("ipc: dropping %s (uid %u): over %d bytes of replies unread",
			p->caller.user, (unsigned)p->caller.uid, SD_IPC_MAX_OUTBUF);
		msg_unref(m);
		p->srv->stats.peers_dropped++;
		peer_free(p);
		return -1;
	}
	q_push(p, m, Q_REPLY);
	return peer_flush(p);
}

static struct sd_ipc_peer *peer_by_serial(struct sd_ipc_server *s, uint64_t serial)
{
	struct sd_ipc_peer *p;
	for (p = s->peers; p; p = p->next)
		if (p->serial == serial)
			return p;
	return NULL;
}

/* An async op's answer: to its peer if it is still there. */
static void reply_later(void *server, uint64_t serial, char *line)
{
	struct sd_ipc_peer *p = peer_by_serial(server, serial);
	if (!p || p->closing) {
		free(line);
		return;
	}
	peer_send(p, line);
}

/* --- topics and scopes ---------------------------------------------------------- */

int sd_ipc_server_topic(struct sd_ipc_server *s, const struct sd_ipc_topic_def *def)
{
	int ti = topic_index(def->topic);
	if (ti < 0 || s->has_topic[ti] || !def->each || !def->object || !def->owner)
		return -1;
	s->topics[ti] = *def;
	s->has_topic[ti] = true;
	return 0;
}

static unsigned topics_known(const struct sd_ipc_server *s)
{
	unsigned bits = 0;
	int i;
	for (i = 0; i < NTOPIC; i++)
		if (s->has_topic[i])
			bits |= 1u << i;
	return bits;
}

static void scope_key(const struct sd_ipc_caller *c, char *key, size_t n)
{
	sd_strlcpy(key, c->role == SD_ROLE_FACTORY ? c->factory_id : "", n);
}

static struct scope *scope_get(struct sd_ipc_server *s, const struct sd_ipc_caller *c)
{
	char key[SD_ID_MAX];
	struct scope *sc;
	int i;
	scope_key(c, key, sizeof key);
	sc = sd_strmap_get(&s->scopes, key);
	if (sc)
		return sc;
	sc = sd_calloc(1, sizeof *sc);
	sd_strlcpy(sc->key, key, sizeof sc->key);
	sc->rep = *c;
	if (c->role != SD_ROLE_FACTORY) {
		sc->rep.role = SD_ROLE_VIEWER;   /* operators and viewers see the same */
		sc->rep.factory = -1;
		sc->rep.factory_id[0] = '\0';
	}
	for (i = 0; i < NTOPIC; i++) {
		sd_strmap_init(&sc->t[i].map);
		sd_buf_init(&sc->t[i].fill_ids, SIZE_MAX / 2);
		sd_buf_init(&sc->up[i], SIZE_MAX / 2);
		sd_buf_init(&sc->rm[i], SIZE_MAX / 2);
	}
	sd_strmap_put(&s->scopes, key, sc);
	s->stats.scopes++;
	return sc;
}

static void tstate_clear(struct tstate *t)
{
	size_t pos = 0;
	void *v;
	int i;
	while (sd_strmap_next(&t->map, &pos, NULL, &v))
		msg_unref(v);
	sd_strmap_clear(&t->map);
	for (i = 0; i < t->nsnap; i++)
		msg_unref(t->snap[i]);
	free(t->snap);
	t->snap = NULL;
	t->nsnap = 0;
	msg_unref(t->full);
	t->full = NULL;
	t->live = false;
	t->filling = false;
	sd_buf_done(&t->fill_ids);
	sd_buf_init(&t->fill_ids, SIZE_MAX / 2);
}

static void scope_free(struct scope *sc)
{
	int i;
	for (i = 0; i < NTOPIC; i++) {
		tstate_clear(&sc->t[i]);
		sd_strmap_done(&sc->t[i].map);
		sd_buf_done(&sc->t[i].fill_ids);
		sd_buf_done(&sc->up[i]);
		sd_buf_done(&sc->rm[i]);
	}
	free(sc);
}

static void scope_release(struct sd_ipc_server *s, struct sd_ipc_peer *p)
{
	struct scope *sc = p->scope;
	if (!sc)
		return;
	p->scope = NULL;
	if (--sc->npeers > 0)
		return;
	sd_strmap_del(&s->scopes, sc->key);
	s->stats.scopes--;
	scope_free(sc);
}

/* Would a member of scope sc see an object with this owner? */
static bool scope_may_see(const struct scope *sc, int owner)
{
	if (!sc->key[0])
		return owner != SD_OWNER_UNKNOWN;
	return owner == SD_OWNER_ANY || (owner >= 0 && owner == sc->rep.factory);
}

static struct msg *serialise(struct sd_ipc_server *s, json_t *obj)
{
	char *text = json_dumps(obj, JSON_COMPACT);
	struct msg *m;
	json_decref(obj);
	if (!text)
		return NULL;
	m = msg_new(text, strlen(text));
	free(text);
	s->stats.objects_built++;
	s->stats.bytes_serialised += m->len;
	return m;
}

/* The objects a scope may see, in list order: a factory scope walks only
 * its factory's objects when the topic can list them (each_owned), not
 * the whole zone. */
static void each_in_scope(const struct sd_ipc_topic_def *d, const struct scope *sc,
			  void (*fn)(void *fa, const char *id), void *fa)
{
	if (sc->key[0] && d->each_owned && sc->rep.factory >= 0)
		d->each_owned(d->arg, sc->rep.factory, fn, fa);
	else
		d->each(d->arg, fn, fa);
}

struct fill_ctx {
	struct sd_ipc_server *s;
	struct scope *sc;
	int ti;
};

static void fill_one(void *arg, const char *id)
{
	struct fill_ctx *x = arg;
	const struct sd_ipc_topic_def *d = &x->s->topics[x->ti];
	json_t *obj;
	struct msg *m;
	if (!scope_may_see(x->sc, d->owner(d->arg, id)))
		return;
	obj = d->object(d->arg, id, &x->sc->rep);
	if (!obj)
		return;
	m = serialise(x->s, obj);
	if (m)
		msg_unref(sd_strmap_put(&x->sc->t[x->ti].map, id, m));
}

static void fill_collect(void *arg, const char *id)
{
	struct sd_buf *b = arg;
	sd_buf_add(b, id, strlen(id) + 1);
}

static void on_fill_timer(struct sd_loop *loop, uint64_t id, void *arg);
static void send_topic_start(struct sd_ipc_peer *p, int ti, bool resync);

/* Populate what a scope sees of a topic (its first subscriber). A small
 * topic is serialised at once; a large one (a zone's cells) in slices of
 * SD_IPC_FILL_SLICE_MS per loop turn, so that requests, notifications
 * and other consoles are served in between; its peers get their start
 * when it is done (await). Returns whether the map is ready. */
static bool tstate_fill(struct sd_ipc_server *s, struct scope *sc, int ti)
{
	struct tstate *t = &sc->t[ti];
	const struct sd_ipc_topic_def *d = &s->topics[ti];
	if (t->live)
		return true;
	if (t->filling)
		return false;
	sd_buf_reset(&t->fill_ids);
	each_in_scope(d, sc, fill_collect, &t->fill_ids);
	t->fill_pos = 0;
	t->filling = true;
	if (t->fill_ids.len < SD_IPC_FILL_AT_ONCE_BYTES) {
		struct fill_ctx x = { s, sc, ti };
		while (t->fill_pos < t->fill_ids.len) {
			const char *id = t->fill_ids.data + t->fill_pos;
			t->fill_pos += strlen(id) + 1;
			fill_one(&x, id);
		}
		sd_buf_reset(&t->fill_ids);
		t->filling = false;
		t->live = true;
		return true;
	}
	s->stats.fills_sliced++;
	if (!s->fill_timer)
		s->fill_timer = sd_loop_timer_add(s->host.loop, 0, on_fill_timer, s);
	return false;
}

/* One slice of every fill in progress; peers waiting on a fill that
 * completes get their start. */
static void on_fill_timer(struct sd_loop *loop, uint64_t tid, void *arg)
{
	struct sd_ipc_server *s = arg;
	int64_t until = sd_now_ms() + SD_IPC_FILL_SLICE_MS;
	bool more = false;
	size_t pos = 0;
	void *v;
	s->fill_timer = 0;
	while (sd_strmap_next(&s->scopes, &pos, NULL, &v)) {
		struct scope *sc = v;
		int ti;
		for (ti = 0; ti < NTOPIC; ti++) {
			struct tstate *t = &sc->t[ti];
			struct fill_ctx x = { s, sc, ti };
			unsigned n = 0;
			if (!t->filling)
				continue;
			if (sd_now_ms() >= until) {
				more = true;
				continue;
			}
			while (t->fill_pos < t->fill_ids.len) {
				const char *id = t->fill_ids.data + t->fill_pos;
				t->fill_pos += strlen(id) + 1;
				fill_one(&x, id);
				if ((++n & 31) == 0 && sd_now_ms() >= until)
					break;
			}
			if (t->fill_pos < t->fill_ids.len) {
				more = true;
				continue;
			}
			t->filling = false;
			t->live = true;
			sd_buf_done(&t->fill_ids);
			sd_buf_init(&t->fill_ids, SIZE_MAX / 2);
			sc->fills_done |= 1u << ti;
		}
	}
	/* the starts: after the loop over scopes, since a write may free a
	 * peer (and with it, its scope) */
	{
		struct sd_ipc_peer *p, *next;
		for (p = s->peers; p; p = p->next) {
			unsigned bits;
			if (!p->scope || !(p->await & p->scope->fills_done))
				continue;
			bits = p->await & p->scope->fills_done;
			p->await &= ~bits;
			while (bits) {
				int ti = __builtin_ctz(bits);
				bits &= bits - 1;
				send_topic_start(p, ti, false);
			}
		}
		pos = 0;
		while (sd_strmap_next(&s->scopes, &pos, NULL, &v))
			((struct scope *)v)->fills_done = 0;
		for (p = s->peers; p; p = next) {
			next = p->next;
			if (p->qlen)
				peer_flush(p);
		}
	}
	if (more)
		s->fill_timer = sd_loop_timer_add(loop, 0, on_fill_timer, s);
}

/* Append a JSON string for id (or the integer it spells, for int_ids). */
static void add_id(struct sd_buf *b, const char *id, bool int_ids)
{
	if (int_ids) {
		sd_buf_addstr(b, id);
		return;
	}
	json_t *j = json_string(id);
	char *t = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
	sd_buf_addstr(b, t ? t : "\"\"");
	free(t);
	json_decref(j);
}

/* Pages of the scope's list in topic order: each page one line. */
struct page_ctx {
	struct sd_ipc_server *s;
	struct scope *sc;
	int ti;
	struct sd_buf body;       /* the objects of the page being built */
	int nobj;
	struct msg **pages;       /* finished bodies (without the envelope) */
	int npages;
};

static void page_close(struct page_ctx *x)
{
	x->pages = sd_reallocarray(x->pages, (size_t)x->npages + 1, sizeof *x->pages);
	x->pages[x->npages++] = msg_new(x->body.len ? x->body.data : "", x->body.len);
	sd_buf_reset(&x->body);
	x->nobj = 0;
}

static void page_one(void *arg, const char *id)
{
	struct page_ctx *x = arg;
	struct msg *m = sd_strmap_get(&x->sc->t[x->ti].map, id);
	if (!m)
		return;
	if (x->nobj >= SD_IPC_PAGE_OBJECTS ||
	    (x->nobj && x->body.len + m->len > SD_IPC_PAGE_BYTES))
		page_close(x);
	if (x->nobj)
		sd_buf_add(&x->body, ",", 1);
	sd_buf_add(&x->body, m->data, m->len);
	x->nobj++;
}

/* Build snapshot lines for (scope, topic) at its current generation;
 * resync marks them as a resync. Returns the count; *out owns refs. */
static int build_snapshot(struct sd_ipc_server *s, struct scope *sc, int ti, bool resync,
			  struct msg ***out)
{
	const struct sd_ipc_topic_def *d = &s->topics[ti];
	struct page_ctx x = { .s = s, .sc = sc, .ti = ti };
	struct msg **lines;
	int i;
	sd_buf_init(&x.body, SIZE_MAX / 2);
	each_in_scope(d, sc, page_one, &x);
	if (x.nobj || x.npages == 0)
		page_close(&x);
	lines = sd_calloc((size_t)x.npages, sizeof *lines);
	for (i = 0; i < x.npages; i++) {
		char *head = sd_printf("{\"event\":\"%s\",\"snapshot\":{\"gen\":%llu,\"page\":%d,"
				       "\"pages\":%d%s},\"data\":{\"%s\":[", d->name,
				       (unsigned long long)sc->t[ti].gen, i, x.npages,
				       resync ? ",\"resync\":true" : "", d->name);
		size_t hl = strlen(head);
		struct msg *m = sd_malloc(sizeof *m + hl + x.pages[i]->len + 5);
		m->refs = 1;
		memcpy(m->data, head, hl);
		memcpy(m->data + hl, x.pages[i]->data, x.pages[i]->len);
		memcpy(m->data + hl + x.pages[i]->len, "]}}\n", 5);
		m->len = hl + x.pages[i]->len + 4;
		lines[i] = m;
		s->stats.bytes_serialised += m->len;
		free(head);
		msg_unref(x.pages[i]);
	}
	free(x.pages);
	sd_buf_done(&x.body);
	*out = lines;
	return i;
}

static void list_one(void *arg, const char *id)
{
	struct page_ctx *x = arg;
	struct msg *m = sd_strmap_get(&x->sc->t[x->ti].map, id);
	if (!m)
		return;
	if (x->nobj++)
		sd_buf_add(&x->body, ",", 1);
	sd_buf_add(&x->body, m->data, m->len);
}

/* The whole-list event of (scope, topic), cached per generation: the old
 * mode, one line whatever its size. */
static struct msg *full_list(struct sd_ipc_server *s, struct scope *sc, int ti)
{
	struct tstate *t = &sc->t[ti];
	const struct sd_ipc_topic_def *d = &s->topics[ti];
	struct page_ctx x = { .s = s, .sc = sc, .ti = ti };
	char *head;
	size_t hl;
	struct msg *m;
	if (t->full && t->full_gen == t->gen)
		return t->full;
	msg_unref(t->full);
	t->full = NULL;
	sd_buf_init(&x.body, SIZE_MAX / 2);
	each_in_scope(d, sc, list_one, &x);
	head = sd_printf("{\"event\":\"%s\",\"data\":{\"%s\":[", d->name, d->name);
	hl = strlen(head);
	m = sd_malloc(sizeof *m + hl + x.body.len + 5);
	m->refs = 1;
	memcpy(m->data, head, hl);
	if (x.body.len)
		memcpy(m->data + hl, x.body.data, x.body.len);
	memcpy(m->data + hl + x.body.len, "]}}\n", 5);
	m->len = hl + x.body.len + 4;
	free(head);
	sd_buf_done(&x.body);
	s->stats.bytes_serialised += m->len;
	t->full = m;
	t->full_gen = t->gen;
	return m;
}

/* Give a peer what it is owed for topic ti now: its scope's snapshot
 * (delta mode; resync marks one sent after a slow spell) or whole list. */
static void send_topic_start(struct sd_ipc_peer *p, int ti, bool resync)
{
	struct sd_ipc_server *s = p->srv;
	struct scope *sc = p->scope;
	struct tstate *t = &sc->t[ti];
	unsigned bit = 1u << ti;
	int i;
	if (!t->live) {
		p->await |= bit;   /* the fill is in progress: the start follows it */
		return;
	}
	if (p->full & bit) {
		q_push(p, msg_ref(full_list(s, sc, ti)), Q_LIVE);
		return;
	}
	if (resync) {
		struct msg **lines;
		int n = build_snapshot(s, sc, ti, true, &lines);
		for (i = 0; i < n; i++)
			q_push(p, lines[i], Q_SNAPSHOT);
		free(lines);
		s->stats.resyncs++;
		return;
	}
	if (!t->snap || t->snap_gen != t->gen) {
		for (i = 0; i < t->nsnap; i++)
			msg_unref(t->snap[i]);
		free(t->snap);
		t->nsnap = build_snapshot(s, sc, ti, false, &t->snap);
		t->snap_gen = t->gen;
	}
	for (i = 0; i < t->nsnap; i++)
		q_push(p, msg_ref(t->snap[i]), Q_SNAPSHOT);
}

static void send_resyncs(struct sd_ipc_peer *p)
{
	unsigned bits = p->resync & (p->delta | p->full);
	p->resync = 0;
	while (bits && p->scope) {
		int ti = __builtin_ctz(bits);
		bits &= bits - 1;
		send_topic_start(p, ti, true);
	}
}

/* Queue a live message (delta or whole list) unless the peer is behind:
 * then it gets a fresh start once it has caught up. */
static void send_live(struct sd_ipc_peer *p, int ti, struct msg *m)
{
	unsigned bit = 1u << ti;
	if (p->resync & bit)
		return;
	/* behind = live messages already waiting past the mark; a large one
	 * (a whole list of a big zone) to a peer that is keeping up goes out */
	if (p->live_bytes > 0 && p->live_bytes + m->len > SD_IPC_SLOW_BYTES) {
		sd_info("ipc: %s (uid %u) is not keeping up with %s; it gets a resync once "
			"it has read what is queued", p->caller.user, (unsigned)p->caller.uid,
			p->srv->topics[ti].name);
		p->resync |= bit;
		return;
	}
	q_push(p, msg_ref(m), Q_LIVE);
}

static void topic_unsub(struct sd_ipc_server *s, struct sd_ipc_peer *p, unsigned bits)
{
	bits &= p->delta | p->full;
	while (bits && p->scope) {
		int ti = __builtin_ctz(bits);
		struct tstate *t = &p->scope->t[ti];
		bits &= bits - 1;
		p->delta &= ~(1u << ti);
		p->full &= ~(1u << ti);
		p->await &= ~(1u << ti);
		if (--t->subs == 0)
			tstate_clear(t);
	}
	if (!(p->delta | p->full))
		scope_release(s, p);
}

/* --- the dirty set and the flush ------------------------------------------------ */

static bool topic_has_subs(struct sd_ipc_server *s, int ti)
{
	size_t pos = 0;
	void *v;
	while (sd_strmap_next(&s->scopes, &pos, NULL, &v))
		if (((struct scope *)v)->t[ti].live || ((struct scope *)v)->t[ti].filling)
			return true;
	return false;
}

static void on_flush_timer(struct sd_loop *loop, uint64_t id, void *arg);

static void mark_dirty(struct sd_ipc_server *s, unsigned topic, const char *id)
{
	int ti = topic_index(topic);
	if (ti < 0 || !s->has_topic[ti] || !topic_has_subs(s, ti))
		return;
	if (!id || !*id)
		s->dirty[ti].all = true;
	else if (!s->dirty[ti].all)
		sd_strmap_put(&s->dirty[ti].ids, id, (void *)1);
	s->any_dirty = true;
	if (!s->hooked && !s->flush_timer)
		s->flush_timer = sd_loop_timer_add(s->host.loop, SD_IPC_FLUSH_MS, on_flush_timer, s);
}

static void on_bus(const struct sd_bus_event *ev, void *arg)
{
	if (ev->kind == SD_BUS_MODEL)
		mark_dirty(arg, ev->u.model.topic, ev->u.model.id);
}

static void emit_scope(struct sd_ipc_server *s, struct scope *sc, int ti);

/* One changed id: rebuilt for each scope that may see it (or saw it). */
static void flush_id(struct sd_ipc_server *s, int ti, const char *id, struct msg **memo)
{
	const struct sd_ipc_topic_def *d = &s->topics[ti];
	int owner = d->owner(d->arg, id);
	size_t pos = 0;
	void *v;
	*memo = NULL;
	while (sd_strmap_next(&s->scopes, &pos, NULL, &v)) {
		struct scope *sc = v;
		struct tstate *t = &sc->t[ti];
		struct msg *old, *m = NULL;
		if (!t->live && !t->filling)
			continue;
		old = sd_strmap_get(&t->map, id);
		if (scope_may_see(sc, owner)) {
			if (d->scope_invariant && *memo) {
				m = msg_ref(*memo);
			} else {
				json_t *obj = d->object(d->arg, id, &sc->rep);
				m = obj ? serialise(s, obj) : NULL;
				if (m && d->scope_invariant)
					*memo = msg_ref(m);
			}
		}
		if (t->filling) {
			/* no peer holds this topic yet: keep the map current, the
			 * snapshot cut when the fill ends carries it */
			if (m)
				msg_unref(sd_strmap_put(&t->map, id, m));
			else if (old)
				msg_unref(sd_strmap_del(&t->map, id));
			continue;
		}
		if (m && old && old->len == m->len && memcmp(old->data, m->data, m->len) == 0) {
			msg_unref(m);      /* the scope saw exactly this */
			continue;
		}
		if (m) {
			if (sc->nup[ti]++)
				sd_buf_add(&sc->up[ti], ",", 1);
			sd_buf_add(&sc->up[ti], m->data, m->len);
			msg_unref(sd_strmap_put(&t->map, id, m));
			sc->touched = true;
			if (sc->nup[ti] + sc->nrm[ti] >= SD_IPC_PAGE_OBJECTS ||
			    sc->up[ti].len >= SD_IPC_PAGE_BYTES)
				emit_scope(s, sc, ti);   /* no line grows past a page */
		} else if (old) {
			msg_unref(sd_strmap_del(&t->map, id));
			if (sc->nrm[ti]++)
				sd_buf_add(&sc->rm[ti], ",", 1);
			add_id(&sc->rm[ti], id, d->int_ids);
			sc->touched = true;
			if (sc->nup[ti] + sc->nrm[ti] >= SD_IPC_PAGE_OBJECTS)
				emit_scope(s, sc, ti);
		}
	}
	msg_unref(*memo);
	*memo = NULL;
}

struct all_ctx {
	struct sd_strmap *ids;
};

static void collect_id(void *arg, const char *id)
{
	struct all_ctx *x = arg;
	sd_strmap_put(x->ids, id, (void *)1);
}

/* Emit what a scope collected for topic ti: one delta line, shared by
 * the scope's delta peers; the whole list for its whole-list peers. */
static void emit_scope(struct sd_ipc_server *s, struct scope *sc, int ti)
{
	const struct sd_ipc_topic_def *d = &s->topics[ti];
	struct tstate *t = &sc->t[ti];
	struct sd_ipc_peer *p;
	struct msg *m;
	char *line;
	if (!t->live || (!sc->nup[ti] && !sc->nrm[ti]))
		return;
	t->gen++;
	/* the cached snapshot is of the last generation: drop it now rather
	 * than hold a zone's worth of pages until the next subscriber (peers
	 * still sending it hold their own references) */
	if (t->snap) {
		int i;
		for (i = 0; i < t->nsnap; i++)
			msg_unref(t->snap[i]);
		free(t->snap);
		t->snap = NULL;
		t->nsnap = 0;
	}
	line = sd_printf("{\"event\":\"%s\",\"delta\":{\"gen\":%llu,\"base\":%llu},"
			 "\"data\":{\"upsert\":[%s],\"remove\":[%s]}}\n", d->name,
			 (unsigned long long)t->gen, (unsigned long long)(t->gen - 1),
			 sc->nup[ti] ? sc->up[ti].data : "", sc->nrm[ti] ? sc->rm[ti].data : "");
	m = msg_take(line);
	s->stats.bytes_serialised += m->len;
	for (p = s->peers; p; p = p->next) {
		if (p->scope != sc || p->closing)
			continue;
		if (p->delta & (1u << ti))
			send_live(p, ti, m);
	}
	msg_unref(m);
	sd_buf_reset(&sc->up[ti]);
	sd_buf_reset(&sc->rm[ti]);
	sc->nup[ti] = sc->nrm[ti] = 0;
	sc->full_due |= 1u << ti;
}

/* The whole lists owed after a flush: once per scope, whatever the
 * number of delta lines it took. */
static void emit_full(struct sd_ipc_server *s, int ti)
{
	size_t pos = 0;
	void *v;
	while (sd_strmap_next(&s->scopes, &pos, NULL, &v)) {
		struct scope *sc = v;
		struct sd_ipc_peer *p;
		if (!(sc->full_due & (1u << ti)))
			continue;
		sc->full_due &= ~(1u << ti);
		for (p = s->peers; p; p = p->next)
			if (p->scope == sc && !p->closing && (p->full & (1u << ti)))
				send_live(p, ti, full_list(s, sc, ti));
	}
}

static void emit(struct sd_ipc_server *s, int ti)
{
	size_t pos = 0;
	void *v;
	while (sd_strmap_next(&s->scopes, &pos, NULL, &v))
		emit_scope(s, v, ti);
	emit_full(s, ti);
}

void sd_ipc_server_flush(struct sd_ipc_server *s)
{
	struct sd_ipc_peer *p, *next;
	int ti;
	if (!s->any_dirty)
		return;
	s->any_dirty = false;
	s->last_flush_ms = sd_now_ms();
	s->stats.flushes++;
	for (ti = 0; ti < NTOPIC; ti++) {
		struct dirty *dt = &s->dirty[ti];
		struct msg *memo = NULL;
		size_t pos = 0;
		const char *id;
		if (!dt->all && !sd_strmap_len(&dt->ids))
			continue;
		if (dt->all) {
			/* everything the model has now, and everything a scope saw */
			struct all_ctx x = { &dt->ids };
			void *v;
			size_t sp = 0;
			s->topics[ti].each(s->topics[ti].arg, collect_id, &x);
			while (sd_strmap_next(&s->scopes, &sp, NULL, &v)) {
				struct tstate *t = &((struct scope *)v)->t[ti];
				size_t mp = 0;
				while ((t->live || t->filling) && sd_strmap_next(&t->map, &mp, &id, NULL))
					sd_strmap_put(&dt->ids, id, (void *)1);
			}
		}
		while (sd_strmap_next(&dt->ids, &pos, &id, NULL))
			flush_id(s, ti, id, &memo);
		sd_strmap_clear(&dt->ids);
		dt->all = false;
		emit(s, ti);
	}
	for (p = s->peers; p; p = next) {
		next = p->next;
		if (p->qlen || p->resync)
			peer_flush(p);   /* an idle peer owed a resync gets it now */
	}
}

static void on_flush_timer(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct sd_ipc_server *s = arg;
	s->flush_timer = 0;
	sd_ipc_server_flush(s);
}

/* Before the loop sleeps: flush, at a bounded rate. */
static void before_sleep(struct sd_loop *loop, void *arg)
{
	struct sd_ipc_server *s = arg;
	int64_t since;
	if (!s->any_dirty || s->flush_timer)
		return;
	since = sd_now_ms() - s->last_flush_ms;
	if (since >= SD_IPC_FLUSH_MS)
		sd_ipc_server_flush(s);
	else
		s->flush_timer = sd_loop_timer_add(loop, SD_IPC_FLUSH_MS - since, on_flush_timer, s);
}

/* --- subscriptions ------------------------------------------------------------- */

/* After the subscribe reply: join the scope, populate what it sees, and
 * start each new topic with a snapshot or a whole list. */
static void do_subscribe(struct sd_ipc_peer *p, unsigned bits, int mode)
{
	struct sd_ipc_server *s = p->srv;
	uint64_t serial = p->serial;
	unsigned fresh;
	/* what is dirty goes out first, so the scope's view is current for
	 * everyone before a newcomer's snapshot is cut from it (writing may
	 * find this very peer gone) */
	sd_ipc_server_flush(s);
	if (peer_by_serial(s, serial) != p)
		return;
	if (!p->scope) {
		p->scope = scope_get(s, &p->caller);
		p->scope->npeers++;
	}
	fresh = bits & ~(p->delta | p->full);
	/* a topic already subscribed in the other mode switches mode */
	p->delta &= ~bits;
	p->full &= ~bits;
	if (mode == SD_SUB_DELTA)
		p->delta |= bits;
	else
		p->full |= bits;
	while (bits) {
		int ti = __builtin_ctz(bits);
		struct tstate *t = &p->scope->t[ti];
		bits &= bits - 1;
		if (fresh & (1u << ti))
			t->subs++;
		tstate_fill(s, p->scope, ti);
		send_topic_start(p, ti, false);
	}
	peer_flush(p);
}

/* --- the server's own ops -------------------------------------------------------- */

static json_t *caller_json(struct sd_op_call *call)
{
	const struct sd_ipc_caller *c = call->caller;
	const struct sd_model *m = call->model;
	json_t *o = json_object();
	json_object_set_new(o, "user", json_string(c->user));
	json_object_set_new(o, "uid", json_integer(c->uid));
	json_object_set_new(o, "role", json_string(sd_role_name(c->role)));
	if (c->role == SD_ROLE_FACTORY && c->factory >= 0 && c->factory < m->nfactories) {
		const struct sd_factory *f = &m->factories[c->factory];
		json_object_set_new(o, "factory", json_string(f->id));
		json_object_set_new(o, "factory_name", json_string(f->name));
	} else {
		json_object_set_new(o, "factory", json_null());
	}
	json_object_set_new(o, "zone", json_string(m->zone_name));
	return o;
}

static json_t *op_hello(struct sd_op_call *call)
{
	json_t *v = json_object_get(call->params, "version");
	json_t *o;
	char plmn[16];
	if (json_integer_value(v) != SD_IPC_VERSION)
		return sd_op_fail(call, SD_IPC_E_VERSION,
				  "this engine speaks protocol version %d, the client %lld; "
				  "use a console of the same release", SD_IPC_VERSION,
				  (long long)json_integer_value(v));
	call->hello_ok = true;
	o = caller_json(call);
	json_object_set_new(o, "version", json_integer(SD_IPC_VERSION));
	json_object_set_new(o, "engine", json_string("slicedeckd " SD_VERSION));
	snprintf(plmn, sizeof plmn, "%s-%s", call->model->plmn.mcc, call->model->plmn.mnc);
	json_object_set_new(o, "plmn", json_string(plmn));
	json_object_set_new(o, "modes", json_pack("[s,s]", "full", "delta"));
	json_object_set_new(o, "environment",
			    json_string(sd_environment_name(call->cfg ? call->cfg->environment : 0)));
	if (call->server && ((struct sd_ipc_server *)call->server)->hello_extra)
		json_object_update_missing(o, ((struct sd_ipc_server *)call->server)->hello_extra);
	return o;
}

static json_t *op_whoami(struct sd_op_call *call) { return caller_json(call); }

static json_t *op_ping(struct sd_op_call *call)
{
	return json_pack("{s:b, s:I}", "pong", 1, "time_ms", (json_int_t)sd_wall_ms());
}

static json_t *op_help(struct sd_op_call *call)
{
	return json_pack("{s:o}", "ops", sd_ops_help(call->registry, call->caller));
}

static bool parse_topics(struct sd_op_call *call, unsigned *bits)
{
	struct sd_ipc_server *s = call->arg;
	json_t *t = json_object_get(call->params, "topics"), *v;
	size_t i;
	*bits = 0;
	if (!t || json_is_null(t)) {
		*bits = topics_known(s);
		return true;
	}
	json_array_foreach(t, i, v) {
		int k, found = -1;
		for (k = 0; json_is_string(v) && k < NTOPIC; k++)
			if (s->has_topic[k] && strcmp(json_string_value(v), s->topics[k].name) == 0)
				found = k;
		if (found < 0) {
			char names[128] = "", clean[48];
			size_t off = 0;
			for (k = 0; k < NTOPIC; k++)
				if (s->has_topic[k])
					off += (size_t)snprintf(names + off, sizeof names - off, "%s%s",
								off ? ", " : "", s->topics[k].name);
			sd_sanitize(clean, sizeof clean, json_is_string(v) ? json_string_value(v)
				    : "(not a string)", json_is_string(v) ? strlen(json_string_value(v)) : 14);
			sd_op_fail(call, SD_IPC_E_BADREQ, "unknown topic %s (%s)", clean, names);
			return false;
		}
		*bits |= 1u << found;
	}
	return true;
}

static json_t *topics_json(struct sd_ipc_server *s, unsigned bits)
{
	json_t *a = json_array();
	int k;
	for (k = 0; k < NTOPIC; k++)
		if (bits & (1u << k))
			json_array_append_new(a, json_string(s->topics[k].name));
	return a;
}

static json_t *op_subscribe(struct sd_op_call *call)
{
	json_t *mode = json_object_get(call->params, "mode");
	const char *ms = json_is_string(mode) ? json_string_value(mode) : "full";
	if (strcmp(ms, "full") == 0)
		call->sub_mode = SD_SUB_FULL;
	else if (strcmp(ms, "delta") == 0)
		call->sub_mode = SD_SUB_DELTA;
	else
		return sd_op_fail(call, SD_IPC_E_BADREQ, "\"mode\" is \"full\" or \"delta\"");
	if (!parse_topics(call, &call->subscribe))
		return NULL;
	return json_pack("{s:o, s:s}", "subscribed", topics_json(call->arg, call->subscribe),
			 "mode", ms);
}

static json_t *op_unsubscribe(struct sd_op_call *call)
{
	if (!parse_topics(call, &call->unsubscribe))
		return NULL;
	return json_pack("{s:o}", "unsubscribed", topics_json(call->arg, call->unsubscribe));
}

static json_t *op_resync(struct sd_op_call *call)
{
	if (!parse_topics(call, &call->resync))
		return NULL;
	return json_pack("{s:o}", "resync", topics_json(call->arg, call->resync));
}

static const struct sd_param p_hello[] = {
	{ "version", SD_PT_INT, true, "the protocol version the client speaks (1)" },
	{ "client", SD_PT_STRING, false, "the client's name and version, for logs" },
	SD_PARAMS_END
};
static const struct sd_param p_topics[] = {
	{ "topics", SD_PT_ARRAY, false, "topic names; absent = every topic" },
	SD_PARAMS_END
};
static const struct sd_param p_subscribe[] = {
	{ "topics", SD_PT_ARRAY, false, "topic names; absent = every topic" },
	{ "mode", SD_PT_STRING, false, "\"full\" (whole lists, the default) or \"delta\"" },
	SD_PARAMS_END
};

static const struct sd_op server_ops[] = {
	{ "hello", op_hello, SD_PERM_READ, SD_OP_PRE_HELLO, p_hello,
	  "version handshake; must come first" },
	{ "whoami", op_whoami, SD_PERM_READ, 0, NULL, "the caller's user, role and factory" },
	{ "ping", op_ping, SD_PERM_READ, 0, NULL, "liveness" },
	{ "help", op_help, SD_PERM_READ, 0, NULL, "the operations this caller may use" },
	{ "subscribe", op_subscribe, SD_PERM_READ, 0, p_subscribe,
	  "live updates of topics, as whole lists or as snapshot + deltas" },
	{ "unsubscribe", op_unsubscribe, SD_PERM_READ, 0, p_topics, "stop live updates" },
	{ "resync", op_resync, SD_PERM_READ, 0, p_topics,
	  "a fresh snapshot of delta-mode topics (after a gap in generations)" },
};

/* --- requests -------------------------------------------------------------------- */

static void handle_line(struct sd_ipc_peer *p, const char *line, size_t len)
{
	struct sd_ipc_server *s = p->srv;
	struct sd_ipc_request req;
	struct sd_op_call call;
	const char *code;
	char msg[256];
	char *reply;
	uint64_t serial = p->serial;

	if (sd_ipc_request_parse(line, len, &req, &code, msg, sizeof msg) < 0) {
		reply = sd_ipc_reply_error(req.id, code, msg);
		sd_ipc_request_done(&req);
		peer_send(p, reply);
		return;
	}
	reply = sd_ops_dispatch(s->host.ops, config_of(s), model_of(s), &p->caller, serial,
				p->hello, &req, &call);
	sd_ipc_request_done(&req);
	/* an op may have answered another peer and dropped it, never this one;
	 * still, look the peer up again before touching it */
	if (peer_by_serial(s, serial) != p) {
		free(reply);
		return;
	}
	if (call.hello_ok)
		p->hello = true;
	if (reply && peer_send(p, reply) < 0)
		return;
	if (call.unsubscribe)
		topic_unsub(s, p, call.unsubscribe);
	if (call.subscribe) {
		do_subscribe(p, call.subscribe, call.sub_mode);   /* may free p */
		return;
	}
	if (call.resync && p->scope) {
		unsigned bits = call.resync & (p->delta | p->full);
		while (bits) {
			int ti = __builtin_ctz(bits);
			bits &= bits - 1;
			send_topic_start(p, ti, true);
		}
		peer_flush(p);
	}
}

static int peer_lines(struct sd_ipc_peer *p);

static void on_peer(struct sd_loop *loop, int fd, int events, void *arg)
{
	struct sd_ipc_peer *p = arg;
	struct sd_ipc_server *srv = p->srv;   /* p may be freed while answering */
	uint64_t serial = p->serial;
	char buf[16384];
	ssize_t n;
	int rounds;

	if (events & SD_EV_WRITE) {
		if (peer_flush(p) < 0)
			return;
	}
	if (!(events & (SD_EV_READ | SD_EV_ERROR)) || p->closing || p->paused || p->resume_timer)
		return;
	/* bounded: a chatty client gets a fair share, then others run */
	for (rounds = 0; rounds < 8; rounds++) {
		n = recv(fd, buf, sizeof buf, 0);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			peer_free(p);
			return;
		}
		sd_ipc_reader_feed(&p->in, buf, (size_t)n);
		if (peer_lines(p) < 0 || peer_by_serial(srv, serial) != p)
			return;
		if (p->paused || p->resume_timer)
			return;   /* the rest waits its turn */
	}
}

/* Answer the complete lines buffered for p, at most SD_IPC_LINES_PER_EVENT
 * of them (more: a 0 ms timer brings the rest after other peers had their
 * turn), and none while p leaves more than SD_IPC_REPLY_MARK of replies
 * unread (it is paused: not read until it reads). -1 when p is gone. */
static int peer_lines(struct sd_ipc_peer *p)
{
	struct sd_ipc_server *srv = p->srv;
	uint64_t serial = p->serial;
	int done = 0;
	char *line;
	size_t len;
	bool overflow, drained = false;

	while (!p->closing) {
		if (p->reply_bytes > SD_IPC_REPLY_MARK) {
			if (!p->paused)
				srv->stats.paused++;
			p->paused = true;
			peer_update_watch(p);
			break;
		}
		if (done == SD_IPC_LINES_PER_EVENT) {
			peer_resume_later(p);
			break;
		}
		if (sd_ipc_reader_next(&p->in, &line, &len, &overflow) != 1) {
			drained = true;
			break;
		}
		done++;
		if (overflow) {
			char msg[96];
			snprintf(msg, sizeof msg, "request line longer than %d bytes",
				 SD_IPC_MAX_LINE);
			if (peer_send(p, sd_ipc_reply_error(NULL, SD_IPC_E_TOOLARGE, msg)) < 0)
				return -1;
			continue;
		}
		handle_line(p, line, len);
		/* the peer may have been dropped while answering */
		if (peer_by_serial(srv, serial) != p)
			return -1;
	}
	/* an unfinished line is on the clock (the sweep closes it in time);
	 * complete lines waiting for their turn are not */
	if (!drained) {
		p->partial_ms = 0;
	} else if (p->in.buf.len > p->in.consumed || p->in.discarding) {
		if (!p->partial_ms)
			p->partial_ms = sd_now_ms();
	} else {
		p->partial_ms = 0;
	}
	return 0;
}

static void on_resume(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct sd_ipc_peer *p = arg;
	(void)loop; (void)id;
	p->resume_timer = 0;
	if (peer_lines(p) < 0)
		return;
	peer_update_watch(p);
}

static void peer_resume_later(struct sd_ipc_peer *p)
{
	if (!p->resume_timer)
		p->resume_timer = sd_loop_timer_add(p->srv->host.loop, 0, on_resume, p);
}

static void peer_update_watch(struct sd_ipc_peer *p)
{
	/* not read while it has lines waiting (paused, or their turn is
	 * next): the reader's buffer holds one line's worth, not a backlog */
	int ev = p->closing || p->paused || p->resume_timer ? 0 : SD_EV_READ;
	if (p->qlen)
		ev |= SD_EV_WRITE;
	if (sd_loop_watch(p->srv->host.loop, p->fd, ev, on_peer, p) < 0)
		sd_warn("ipc: cannot watch the connection of %s: %s", p->caller.user,
			strerror(errno));
}

static void map_caller(struct sd_ipc_server *s, struct sd_ipc_caller *c)
{
	const struct sd_model *m = model_of(s);
	c->role = sd_config_role_for(config_of(s), c->uid, c->gid, &c->factory);
	c->factory_id[0] = '\0';
	if (c->role != SD_ROLE_FACTORY) {
		c->factory = -1;
		return;
	}
	/* the configuration's factory index, as an id of the engine's model */
	if (c->factory >= 0 && c->factory < config_of(s)->model->nfactories)
		sd_strlcpy(c->factory_id, config_of(s)->model->factories[c->factory].id,
			   sizeof c->factory_id);
	c->factory = c->factory_id[0] ? sd_model_factory_index(m, c->factory_id) : -1;
	if (c->factory < 0)
		c->role = SD_ROLE_NONE;
}

/* May p stay? Counted among the others still open (p is in the list):
 * no role; over the per-user cap (factory users and viewers); over the
 * slots left to non-operators; over the total. */
static bool admit(struct sd_ipc_server *s, struct sd_ipc_peer *p, char *msg, size_t msgsz)
{
	const struct sd_ipc_peer *q;
	int open = 0, mine = 0;
	if (p->caller.role == SD_ROLE_NONE) {
		snprintf(msg, msgsz, "user %s has no slicedeck role (ask an operator to add an "
			 "access rule)", p->caller.user);
		return false;
	}
	for (q = s->peers; q; q = q->next) {
		if (q->closing)
			continue;
		open++;
		if (q->caller.uid == p->caller.uid)
			mine++;
	}
	/* operators (the NOC's engineers, its scripts, an NMS bridge) are
	 * trusted to open many: only the total bounds them */
	if (p->caller.role != SD_ROLE_OPERATOR && mine > SD_IPC_MAX_PER_USER) {
		snprintf(msg, msgsz, "user %s has %d connections open already (at most %d)",
			 p->caller.user, mine - 1, SD_IPC_MAX_PER_USER);
		return false;
	}
	if (open > SD_IPC_MAX_CLIENTS) {
		snprintf(msg, msgsz, "too many clients (%d)", SD_IPC_MAX_CLIENTS);
		return false;
	}
	if (p->caller.role != SD_ROLE_OPERATOR &&
	    open > SD_IPC_MAX_CLIENTS - SD_IPC_OPERATOR_RESERVE) {
		snprintf(msg, msgsz, "too many clients (the last %d of %d slots are kept for "
			 "operators)", SD_IPC_OPERATOR_RESERVE, SD_IPC_MAX_CLIENTS);
		return false;
	}
	return true;
}

#define REFUSE_LINES_PER_MIN 10

/* The minute of the refusal log is over: say how many went unlogged. */
static void refuse_window_roll(struct sd_ipc_server *s, int64_t now)
{
	if (now - s->refuse_window_ms < 60000)
		return;
	if (s->refuse_quiet)
		sd_notice("ipc: %llu more connections refused in the last minute (not logged "
			  "one by one; %llu refused since start)",
			  (unsigned long long)s->refuse_quiet, (unsigned long long)s->stats.refused);
	s->refuse_window_ms = now;
	s->refuse_logged = 0;
	s->refuse_quiet = 0;
}

/* Say why and close once said. Logged: the first REFUSE_LINES_PER_MIN of
 * a minute one by one, the rest as one count when the minute is over. */
static void refuse(struct sd_ipc_server *s, struct sd_ipc_peer *p, const char *msg)
{
	s->stats.refused++;
	refuse_window_roll(s, sd_now_ms());
	if (s->refuse_logged < REFUSE_LINES_PER_MIN) {
		s->refuse_logged++;
		sd_notice("ipc: refused %s (uid %u, pid %d): %s", p->caller.user,
			  (unsigned)p->caller.uid, (int)p->caller.pid, msg);
	} else {
		s->refuse_quiet++;
	}
	p->closing = true;
	peer_send(p, sd_ipc_reply_error(NULL, SD_IPC_E_FORBIDDEN, msg));
}

/* Once a second: a peer that has not said hello, or has left a request
 * line unfinished, for SD_IPC_LINE_TIMEOUT_MS is told so and closed. */
static void on_sweep(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct sd_ipc_server *s = arg;
	struct sd_ipc_peer *p, *next;
	int64_t now = sd_now_ms();
	(void)id;
	s->sweep_timer = sd_loop_timer_add(loop, 1000, on_sweep, s);
	refuse_window_roll(s, now);
	for (p = s->peers; p; p = next) {
		const char *why = NULL;
		next = p->next;
		if (p->closing)
			continue;
		if (!p->hello && now - p->since_ms > SD_IPC_LINE_TIMEOUT_MS)
			why = "no hello";
		else if (p->partial_ms && now - p->partial_ms > SD_IPC_LINE_TIMEOUT_MS)
			why = "a request line not finished";
		if (!why)
			continue;
		s->stats.timed_out++;
		sd_debug("ipc: closing %s (uid %u, pid %d): %s within %d ms", p->caller.user,
			 (unsigned)p->caller.uid, (int)p->caller.pid, why, SD_IPC_LINE_TIMEOUT_MS);
		p->closing = true;
		p->paused = false;
		{
			char msg[96];
			snprintf(msg, sizeof msg, "%s within %d s; closing", why,
				 SD_IPC_LINE_TIMEOUT_MS / 1000);
			/* next is still valid: only p may be freed here */
			peer_send(p, sd_ipc_reply_error(NULL, SD_IPC_E_BADREQ, msg));
		}
	}
}

static void on_accept(struct sd_loop *loop, int lfd, int events, void *arg)
{
	struct sd_ipc_server *s = arg;
	int budget;
	for (budget = 0; budget < 32; budget++) {
		struct ucred cred;
		socklen_t clen = sizeof cred;
		struct sd_ipc_peer *p;
		struct passwd pw, *pwr = NULL;
		char pwbuf[1024];
		int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				sd_warn("ipc: accept: %s", strerror(errno));
			return;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) < 0) {
			sd_warn("ipc: SO_PEERCRED: %s", strerror(errno));
			close(fd);
			continue;
		}
		p = sd_calloc(1, sizeof *p);
		p->srv = s;
		p->fd = fd;
		p->serial = ++s->next_serial;
		p->caller.uid = cred.uid;
		p->caller.gid = cred.gid;
		p->caller.pid = cred.pid;
		if (getpwuid_r(cred.uid, &pw, pwbuf, sizeof pwbuf, &pwr) == 0 && pwr)
			sd_strlcpy(p->caller.user, pw.pw_name, sizeof p->caller.user);
		else
			snprintf(p->caller.user, sizeof p->caller.user, "uid %u", (unsigned)cred.uid);
		sd_ipc_reader_init(&p->in);
		p->next = s->peers;
		s->peers = p;
		s->npeers++;
		map_caller(s, &p->caller);

		p->since_ms = sd_now_ms();
		{
			char msg[200];
			if (!admit(s, p, msg, sizeof msg)) {
				refuse(s, p, msg);
				continue;
			}
		}
		sd_debug("ipc: %s (uid %u, pid %d) connected as %s", p->caller.user,
			 (unsigned)cred.uid, (int)cred.pid, sd_role_name(p->caller.role));
		peer_update_watch(p);
	}
}

/* Refuse to steal the socket of a running engine; remove a stale one. Only
 * ECONNREFUSED proves nobody listens: any other failure (EACCES, EAGAIN on
 * a full backlog, ...) may hide a live engine, so it is an error. */
static int clear_stale(const char *path, char *err, size_t errsz)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int fd, rc, e;
	if (lstat(path, &st) < 0)
		return 0;
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, errsz, "%s exists and is not a socket", path);
		return -1;
	}
	/* non-blocking: a live engine with a full backlog answers EAGAIN
	 * instead of stalling our start */
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		snprintf(err, errsz, "socket: %s", strerror(errno));
		return -1;
	}
	sd_strlcpy(sa.sun_path, path, sizeof sa.sun_path);
	rc = connect(fd, (struct sockaddr *)&sa, sizeof sa);
	e = errno;
	close(fd);
	if (rc == 0) {
		snprintf(err, errsz, "another engine is listening on %s", path);
		return -1;
	}
	if (e != ECONNREFUSED) {
		snprintf(err, errsz, "%s exists and connecting to it failed (%s): it may belong "
			 "to a running engine; not removing it", path, strerror(e));
		return -1;
	}
	if (unlink(path) < 0 && errno != ENOENT) {
		snprintf(err, errsz, "remove stale socket %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

struct sd_ipc_server *sd_ipc_server_new(const struct sd_host *host, const char *path, int mode,
					 const char *group, char *err, size_t errsz)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct sd_ipc_server *s;
	mode_t old;
	int fd, i;

	if (strlen(path) >= sizeof sa.sun_path) {
		snprintf(err, errsz, "socket path too long (max %zu): %s",
			 sizeof sa.sun_path - 1, path);
		return NULL;
	}
	if (clear_stale(path, err, errsz) < 0)
		return NULL;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errsz, "socket: %s", strerror(errno));
		return NULL;
	}
	sd_strlcpy(sa.sun_path, path, sizeof sa.sun_path);
	/* no window in which the socket exists with looser permissions */
	old = umask(0177);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		umask(old);
		snprintf(err, errsz, "bind %s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	umask(old);
	if (group && *group) {
		struct group gr, *grr = NULL;
		char buf[4096];
		if (getgrnam_r(group, &gr, buf, sizeof buf, &grr) != 0 || !grr) {
			/* only narrows access (the engine's own group keeps the
			 * socket), so say so and go on rather than refuse to run */
			sd_warn("socket group %s does not exist; %s keeps the engine's group "
				"(create the group and restart to let its members in)", group, path);
		} else if (chown(path, (uid_t)-1, grr->gr_gid) < 0) {
			snprintf(err, errsz, "chown %s to group %s: %s", path, group, strerror(errno));
			goto fail;
		}
	}
	if (chmod(path, (mode_t)mode) < 0) {
		snprintf(err, errsz, "chmod %s: %s", path, strerror(errno));
		goto fail;
	}
	if (listen(fd, 64) < 0) {
		snprintf(err, errsz, "listen %s: %s", path, strerror(errno));
		goto fail;
	}
	s = sd_calloc(1, sizeof *s);
	s->host = *host;
	s->fd = fd;
	sd_strlcpy(s->path, path, sizeof s->path);
	sd_strmap_init(&s->scopes);
	for (i = 0; i < NTOPIC; i++)
		sd_strmap_init(&s->dirty[i].ids);
	if (sd_ops_register(host->ops, server_ops, SD_ARRAY_LEN(server_ops), s) < 0) {
		snprintf(err, errsz, "the server's ops clash with registered ones");
		free(s);
		goto fail;
	}
	sd_ops_set_reply(host->ops, reply_later, s);
	s->bus_sub = sd_bus_subscribe(host->bus, SD_BUS_BIT(SD_BUS_MODEL), on_bus, s);
	if (sd_loop_watch(host->loop, fd, SD_EV_READ, on_accept, s) < 0) {
		snprintf(err, errsz, "watch %s: %s", path, strerror(errno));
		sd_ops_unregister(host->ops, server_ops);
		sd_bus_unsubscribe(host->bus, s->bus_sub);
		free(s);
		goto fail;
	}
	s->sweep_timer = sd_loop_timer_add(host->loop, 1000, on_sweep, s);
	s->hooked = sd_loop_before_sleep(host->loop, before_sleep, s) == 0;
	if (!s->hooked)
		sd_warn("ipc: no room for a before-sleep hook; live updates flush on a timer only");
	return s;
fail:
	close(fd);
	unlink(path);
	return NULL;
}

void sd_ipc_server_hello_set(struct sd_ipc_server *s, const char *key, json_t *value)
{
	if (!s->hello_extra)
		s->hello_extra = json_object();
	json_object_set_new(s->hello_extra, key, value);
}

void sd_ipc_server_free(struct sd_ipc_server *s)
{
	int i;
	if (!s)
		return;
	while (s->peers)
		peer_free(s->peers);
	json_decref(s->hello_extra);
	if (s->flush_timer)
		sd_loop_timer_del(s->host.loop, s->flush_timer);
	if (s->fill_timer)
		sd_loop_timer_del(s->host.loop, s->fill_timer);
	if (s->sweep_timer)
		sd_loop_timer_del(s->host.loop, s->sweep_timer);
	if (s->hooked)
		sd_loop_before_sleep_del(s->host.loop, before_sleep, s);
	sd_bus_unsubscribe(s->host.bus, s->bus_sub);
	sd_ops_unregister(s->host.ops, server_ops);
	sd_ops_set_reply(s->host.ops, NULL, NULL);
	sd_loop_unwatch(s->host.loop, s->fd);
	close(s->fd);
	unlink(s->path);
	for (i = 0; i < NTOPIC; i++)
		sd_strmap_done(&s->dirty[i].ids);
	sd_strmap_done(&s->scopes);   /* empty: every peer has left its scope */
	free(s);
}

void sd_ipc_server_remap(struct sd_ipc_server *s)
{
	struct sd_ipc_peer *p, *next;
	size_t pos = 0;
	void *v;
	for (p = s->peers; p; p = next) {
		enum sd_role before = p->caller.role;
		char fbefore[SD_ID_MAX];
		next = p->next;
		if (p->closing)
			continue;
		sd_strlcpy(fbefore, p->caller.factory_id, sizeof fbefore);
		map_caller(s, &p->caller);
		if (p->caller.role == before && strcmp(p->caller.factory_id, fbefore) == 0)
			continue;
		sd_notice("ipc: %s (uid %u) is now %s after the reload", p->caller.user,
			  (unsigned)p->caller.uid, sd_role_name(p->caller.role));
		/* a changed scope is a new session: the client reconnects and
		 * learns its new role from hello */
		topic_unsub(s, p, p->delta | p->full);
		p->closing = true;
		peer_send(p, sd_ipc_reply_error(NULL, SD_IPC_E_FORBIDDEN,
			  "your access changed with a configuration reload; reconnect"));
	}
	/* factory indexes may have moved with the merged model */
	while (sd_strmap_next(&s->scopes, &pos, NULL, &v)) {
		struct scope *sc = v;
		if (sc->key[0])
			sc->rep.factory = sd_model_factory_index(model_of(s), sc->key);
	}
}

int sd_ipc_server_npeers(const struct sd_ipc_server *s) { return s->npeers; }

void sd_ipc_server_stats(const struct sd_ipc_server *s, struct sd_ipc_stats *out)
{
	*out = s->stats;
}

struct list_ctx {
	struct sd_ipc_server *s;
	int ti;
	const struct sd_ipc_caller *caller;
	json_t *a;
};

static void list_add(void *arg, const char *id)
{
	struct list_ctx *x = arg;
	const struct sd_ipc_topic_def *d = &x->s->topics[x->ti];
	json_t *o = d->object(d->arg, id, x->caller);
	if (o)
		json_array_append_new(x->a, o);
}

json_t *sd_ipc_server_topic_list(struct sd_ipc_server *s, unsigned topic,
				 const struct sd_ipc_caller *caller)
{
	int ti = topic_index(topic);
	struct list_ctx x = { s, ti, caller, NULL };
	if (ti < 0 || !s->has_topic[ti])
		return json_object();
	x.a = json_array();
	s->topics[ti].each(s->topics[ti].arg, list_add, &x);
	return json_pack("{s:o}", s->topics[ti].name, x.a);
}

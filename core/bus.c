/* core/bus.c — see bus.h.
 *
 * Subscribers live in a small array (a handful: the IPC server, the
 * pipeline, the SNMP sink, plugins). A queued subscriber owns a ring of
 * event copies; the bus arms one zero timer on the loop when the first
 * event is queued and delivers every queue from it, so publishing never
 * runs a queued subscriber's code.
 */
#include "core/bus.h"

#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"

#define MAX_DEPTH 4

struct sub {
	int id;
	unsigned kinds;
	sd_bus_fn fn;
	void *arg;
	bool queued;
	bool dead;                 /* unsubscribed during a delivery */
	/* ring, for queued subscribers */
	struct sd_bus_event *q;
	size_t cap, head, len;
	uint64_t dropped;
};

struct sd_bus {
	struct sd_loop *loop;
	struct sub *subs;
	int nsubs;
	int next_id;
	int depth;                 /* nested synchronous publishes */
	int delivering;            /* inside a delivery loop: defer compaction */
	uint64_t timer;
};

struct sd_bus *sd_bus_new(struct sd_loop *loop)
{
	struct sd_bus *b = sd_calloc(1, sizeof *b);
	b->loop = loop;
	b->next_id = 1;
	return b;
}

void sd_bus_free(struct sd_bus *b)
{
	int i;
	if (!b)
		return;
	if (b->timer)
		sd_loop_timer_del(b->loop, b->timer);
	for (i = 0; i < b->nsubs; i++)
		free(b->subs[i].q);
	free(b->subs);
	free(b);
}

static int add_sub(struct sd_bus *b, unsigned kinds, size_t max, sd_bus_fn fn, void *arg,
		   bool queued)
{
	struct sub *s;
	if (!kinds || !fn)
		return -1;
	b->subs = sd_reallocarray(b->subs, (size_t)b->nsubs + 1, sizeof *b->subs);
	s = &b->subs[b->nsubs++];
	memset(s, 0, sizeof *s);
	s->id = b->next_id++;
	s->kinds = kinds;
	s->fn = fn;
	s->arg = arg;
	s->queued = queued;
	if (queued) {
		s->cap = max ? max : 1;
		s->q = sd_calloc(s->cap, sizeof *s->q);
	}
	return s->id;
}

int sd_bus_subscribe(struct sd_bus *b, unsigned kinds, sd_bus_fn fn, void *arg)
{
	return add_sub(b, kinds, 0, fn, arg, false);
}

int sd_bus_subscribe_queued(struct sd_bus *b, unsigned kinds, size_t max_queued,
			    sd_bus_fn fn, void *arg)
{
	return add_sub(b, kinds, max_queued, fn, arg, true);
}

static void compact(struct sd_bus *b)
{
	int i, k = 0;
	if (b->delivering)
		return;
	for (i = 0; i < b->nsubs; i++) {
		if (b->subs[i].dead) {
			free(b->subs[i].q);
			continue;
		}
		b->subs[k++] = b->subs[i];
	}
	b->nsubs = k;
}

void sd_bus_unsubscribe(struct sd_bus *b, int id)
{
	int i;
	for (i = 0; i < b->nsubs; i++)
		if (b->subs[i].id == id)
			b->subs[i].dead = true;
	compact(b);
}

static void on_drain(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct sd_bus *b = arg;
	b->timer = 0;
	sd_bus_drain(b);
}

void sd_bus_drain(struct sd_bus *b)
{
	int i;
	b->delivering++;
	/* index loop: a callback may subscribe (realloc) */
	for (i = 0; i < b->nsubs; i++) {
		/* bounded: what a callback queues meanwhile waits for the next turn */
		size_t n = b->subs[i].len;
		while (n-- && !b->subs[i].dead && b->subs[i].len) {
			struct sd_bus_event ev = b->subs[i].q[b->subs[i].head];
			b->subs[i].head = (b->subs[i].head + 1) % b->subs[i].cap;
			b->subs[i].len--;
			b->subs[i].fn(&ev, b->subs[i].arg);
		}
	}
	b->delivering--;
	compact(b);
	for (i = 0; i < b->nsubs; i++)
		if (b->subs[i].len && !b->timer && b->loop)
			b->timer = sd_loop_timer_add(b->loop, 0, on_drain, b);
}

void sd_bus_publish(struct sd_bus *b, const struct sd_bus_event *ev)
{
	unsigned bit = SD_BUS_BIT(ev->kind);
	int i, n;
	if (!b)
		return;
	if (b->depth >= MAX_DEPTH) {
		sd_err("bus: event kind %d published %d levels deep; dropped (a subscriber "
		       "publishes what it consumes?)", (int)ev->kind, b->depth);
		return;
	}
	b->depth++;
	b->delivering++;
	n = b->nsubs;   /* subscribers added during delivery see the next event */
	for (i = 0; i < n; i++) {
		struct sub *s = &b->subs[i];
		if (s->dead || !(s->kinds & bit))
			continue;
		if (!s->queued) {
			sd_bus_fn fn = s->fn;
			void *arg = s->arg;
			fn(ev, arg);   /* s may move if fn subscribes */
			continue;
		}
		if (s->len == s->cap) {
			s->dropped++;
			continue;
		}
		s->q[(s->head + s->len) % s->cap] = *ev;
		s->len++;
		if (!b->timer && b->loop)
			b->timer = sd_loop_timer_add(b->loop, 0, on_drain, b);
	}
	b->delivering--;
	b->depth--;
	compact(b);
}

static void model_event(struct sd_bus *b, unsigned topic, const char *id, bool removed,
			bool refresh)
{
	struct sd_bus_event ev = { .kind = SD_BUS_MODEL };
	ev.u.model.topic = topic;
	sd_strlcpy(ev.u.model.id, id ? id : "", sizeof ev.u.model.id);
	ev.u.model.removed = removed;
	ev.u.model.refresh = refresh;
	sd_bus_publish(b, &ev);
}

void sd_bus_model_changed(struct sd_bus *b, unsigned topic, const char *id, bool removed)
{
	model_event(b, topic, id, removed, false);
}

void sd_bus_model_refreshed(struct sd_bus *b, unsigned topic, const char *id)
{
	model_event(b, topic, id, false, true);
}

uint64_t sd_bus_dropped(const struct sd_bus *b, int id)
{
	int i;
	for (i = 0; i < b->nsubs; i++)
		if (b->subs[i].id == id)
			return b->subs[i].dropped;
	return 0;
}

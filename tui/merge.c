/* tui/merge.c — see merge.h. */
#include "tui/merge.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"

/* An id longer than this is not one the engine makes; the object is
 * skipped rather than indexed. */
#define KEY_MAX 1024

struct slot {
	char *key;        /* "s" + string id, or "i" + decimal id; NULL: a hole */
	uint64_t hash;
	json_t *obj;      /* referenced */
};

/* Objects in arrival order, and an open-addressing index (linear probing)
 * from key to slot: idx[i] is slot number + 1, 0 an empty bucket. The
 * index holds live slots only and stays at most half full. */
struct store {
	struct slot *s;
	size_t n, cap;        /* slots used (holes included), allocated */
	size_t live;
	uint32_t *idx;
	size_t nidx;          /* buckets, a power of two (0 before the first) */
};

struct sd_merge {
	char topic[64];
	struct store cur;     /* the list held */
	json_int_t gen;
	bool synced;          /* cur is complete at gen; deltas apply */
	bool ever;            /* a snapshot has completed since the reset */
	bool awaiting;        /* RESYNC was returned; wait for a snapshot */
	/* a snapshot being gathered */
	struct store next;
	bool receiving;
	json_int_t next_gen, next_pages, next_page;
};

/* --- the keyed store ----------------------------------------------------------- */

static uint64_t hash_key(const char *k)
{
	uint64_t h = 1469598103934665603ull;   /* FNV-1a */
	for (; *k; k++) {
		h ^= (unsigned char)*k;
		h *= 1099511628211ull;
	}
	return h;
}

/* The key of an id: false when it is neither a string nor an integer. */
static bool make_key(const json_t *id, char *buf, size_t n)
{
	int w;
	if (json_is_string(id)) {
		if (json_string_length(id) + 2 > n || memchr(json_string_value(id), '\0',
							     json_string_length(id)))
			return false;
		w = snprintf(buf, n, "s%s", json_string_value(id));
	} else if (json_is_integer(id)) {
		w = snprintf(buf, n, "i%" PRId64, (int64_t)json_integer_value(id));
	} else {
		return false;
	}
	return w > 0 && (size_t)w < n;
}

/* The bucket holding key, or the empty bucket where it would go. */
static size_t find_bucket(const struct store *st, const char *key, uint64_t h)
{
	size_t mask = st->nidx - 1, i = (size_t)h & mask;
	while (st->idx[i]) {
		const struct slot *sl = &st->s[st->idx[i] - 1];
		if (sl->hash == h && strcmp(sl->key, key) == 0)
			break;
		i = (i + 1) & mask;
	}
	return i;
}

static void index_rebuild(struct store *st, size_t want)
{
	size_t i, n = 16;
	while (n < want * 2)
		n *= 2;
	sd_free(st->idx);
	st->idx = sd_calloc(n, sizeof *st->idx);
	st->nidx = n;
	for (i = 0; i < st->n; i++)
		if (st->s[i].key)
			st->idx[find_bucket(st, st->s[i].key, st->s[i].hash)] = (uint32_t)(i + 1);
}

/* Squeeze the holes out of the slots, keeping the order. */
static void compact(struct store *st)
{
	size_t i, k = 0;
	for (i = 0; i < st->n; i++)
		if (st->s[i].key)
			st->s[k++] = st->s[i];
	st->n = k;
	index_rebuild(st, st->live);
}

/* Remove the bucket's entry, shifting later entries of its probe run back
 * so that lookups never stop early (no tombstones needed). */
static void bucket_delete(struct store *st, size_t i)
{
	size_t mask = st->nidx - 1, j = i;
	st->idx[i] = 0;
	for (;;) {
		size_t home;
		j = (j + 1) & mask;
		if (!st->idx[j])
			return;
		home = (size_t)st->s[st->idx[j] - 1].hash & mask;
		/* the entry at j may move to i unless its home lies in (i, j] */
		if (i <= j ? (home <= i || home > j) : (home <= i && home > j)) {
			st->idx[i] = st->idx[j];
			st->idx[j] = 0;
			i = j;
		}
	}
}

static void store_upsert(struct store *st, json_t *obj)
{
	char key[KEY_MAX];
	uint64_t h;
	size_t b;

	if (!json_is_object(obj) || !make_key(json_object_get(obj, "id"), key, sizeof key))
		return;   /* no usable id: nothing can ever replace or remove it */
	h = hash_key(key);
	if ((st->live + 1) * 2 > st->nidx)
		index_rebuild(st, st->live + 1);
	b = find_bucket(st, key, h);
	if (st->idx[b]) {
		struct slot *sl = &st->s[st->idx[b] - 1];
		json_decref(sl->obj);
		sl->obj = json_incref(obj);
		return;
	}
	if (st->n == st->cap) {
		if (st->n > st->live * 2 && st->n >= 64) {
			compact(st);   /* renumbers the slots */
			b = find_bucket(st, key, h);
		}
		if (st->n == st->cap) {
			st->cap = st->cap ? st->cap * 2 : 64;
			st->s = sd_reallocarray(st->s, st->cap, sizeof *st->s);
		}
	}
	if (st->n >= UINT32_MAX)
		return;   /* beyond any real zone */
	st->s[st->n] = (struct slot){ .key = sd_strdup(key), .hash = h, .obj = json_incref(obj) };
	st->idx[b] = (uint32_t)(++st->n);
	st->live++;
}

static void store_remove(struct store *st, const json_t *id)
{
	char key[KEY_MAX];
	struct slot *sl;
	size_t b;
	uint64_t h;

	if (!st->nidx || !make_key(id, key, sizeof key))
		return;
	h = hash_key(key);
	b = find_bucket(st, key, h);
	if (!st->idx[b])
		return;   /* an id we do not hold: nothing to do */
	sl = &st->s[st->idx[b] - 1];
	bucket_delete(st, b);
	sd_free(sl->key);
	json_decref(sl->obj);
	sl->key = NULL;
	sl->obj = NULL;
	st->live--;
	if (st->live == 0) {
		st->n = 0;   /* all holes: start the slots over */
	} else if (st->n > st->live * 2 && st->n >= 64) {
		compact(st);
	}
}

static const struct slot *store_get(const struct store *st, const json_t *id)
{
	char key[KEY_MAX];
	uint64_t h;
	size_t b;
	if (!st->nidx || !make_key(id, key, sizeof key))
		return NULL;
	h = hash_key(key);
	b = find_bucket(st, key, h);
	return st->idx[b] ? &st->s[st->idx[b] - 1] : NULL;
}

static void store_clear(struct store *st)
{
	size_t i;
	for (i = 0; i < st->n; i++) {
		sd_free(st->s[i].key);
		json_decref(st->s[i].obj);
	}
	sd_free(st->s);
	sd_free(st->idx);
	memset(st, 0, sizeof *st);
}

/* --- the protocol ---------------------------------------------------------------- */

struct sd_merge *sd_merge_new(const char *topic)
{
	struct sd_merge *m = sd_calloc(1, sizeof *m);
	sd_strlcpy(m->topic, topic, sizeof m->topic);
	return m;
}

void sd_merge_reset(struct sd_merge *m)
{
	store_clear(&m->cur);
	store_clear(&m->next);
	m->gen = 0;
	m->synced = m->ever = m->awaiting = m->receiving = false;
}

void sd_merge_free(struct sd_merge *m)
{
	if (!m)
		return;
	sd_merge_reset(m);
	sd_free(m);
}

/* A gap: drop any half-gathered snapshot and ask for a fresh one, once. */
static enum sd_merge_rc lost_step(struct sd_merge *m)
{
	store_clear(&m->next);
	m->receiving = false;
	m->synced = false;
	if (m->awaiting)
		return SD_MERGE_IGNORED;   /* already asked */
	m->awaiting = true;
	return SD_MERGE_RESYNC;
}

static bool int_member(const json_t *o, const char *name, json_int_t *v)
{
	const json_t *j = json_object_get(o, name);
	if (!json_is_integer(j))
		return false;
	*v = json_integer_value(j);
	return true;
}

static enum sd_merge_rc take_snapshot(struct sd_merge *m, const json_t *snap, const json_t *ev)
{
	const json_t *list = json_object_get(json_object_get(ev, "data"), m->topic), *o;
	json_int_t gen, page, pages;
	size_t i;

	if (!int_member(snap, "gen", &gen) || !int_member(snap, "page", &page) ||
	    !int_member(snap, "pages", &pages) || pages < 1 || page < 0 || page >= pages ||
	    !json_is_array(list))
		return lost_step(m);
	if (page == 0) {   /* a new snapshot, whatever was being gathered; it
			      answers any resync asked, so a gap in it asks again */
		store_clear(&m->next);
		m->receiving = true;
		m->awaiting = false;
		m->next_gen = gen;
		m->next_pages = pages;
	} else if (!m->receiving || gen != m->next_gen || pages != m->next_pages ||
		   page != m->next_page) {
		return lost_step(m);
	}
	m->next_page = page + 1;
	json_array_foreach(list, i, o)
		store_upsert(&m->next, (json_t *)o);
	if (page < pages - 1)
		return SD_MERGE_PENDING;
	store_clear(&m->cur);
	m->cur = m->next;
	memset(&m->next, 0, sizeof m->next);
	m->gen = gen;
	m->receiving = false;
	m->synced = m->ever = true;
	m->awaiting = false;
	return SD_MERGE_CHANGED;
}

static enum sd_merge_rc take_delta(struct sd_merge *m, const json_t *delta, const json_t *ev)
{
	const json_t *data = json_object_get(ev, "data"), *o;
	const json_t *ups = json_object_get(data, "upsert"), *rms = json_object_get(data, "remove");
	json_int_t gen, base;
	size_t i;

	if (!m->synced || m->receiving)
		return SD_MERGE_IGNORED;   /* a snapshot is on its way */
	if (!int_member(delta, "gen", &gen) || !int_member(delta, "base", &base) ||
	    (ups && !json_is_array(ups)) || (rms && !json_is_array(rms)))
		return lost_step(m);
	if (base != m->gen)
		return lost_step(m);   /* we missed one */
	json_array_foreach(ups, i, o)
		store_upsert(&m->cur, (json_t *)o);
	json_array_foreach(rms, i, o)
		store_remove(&m->cur, o);
	m->gen = gen;
	return SD_MERGE_CHANGED;
}

enum sd_merge_rc sd_merge_event(struct sd_merge *m, const json_t *ev)
{
	const json_t *snap = json_object_get(ev, "snapshot");
	const json_t *delta = json_object_get(ev, "delta");
	if (json_is_object(snap))
		return take_snapshot(m, snap, ev);
	if (json_is_object(delta))
		return take_delta(m, delta, ev);
	if (snap || delta)
		return lost_step(m);   /* the member is there but not an object */
	return SD_MERGE_NOT_DELTA;
}

const char *sd_merge_topic(const struct sd_merge *m) { return m->topic; }
bool sd_merge_synced(const struct sd_merge *m) { return m->synced && !m->receiving; }
bool sd_merge_ever_synced(const struct sd_merge *m) { return m->ever; }
json_int_t sd_merge_gen(const struct sd_merge *m) { return m->gen; }
size_t sd_merge_count(const struct sd_merge *m) { return m->cur.live; }

const json_t *sd_merge_get(const struct sd_merge *m, const json_t *id)
{
	const struct slot *sl = store_get(&m->cur, id);
	return sl ? sl->obj : NULL;
}

json_t *sd_merge_array(const struct sd_merge *m)
{
	json_t *a = json_array();
	size_t i;
	for (i = 0; i < m->cur.n; i++)
		if (m->cur.s[i].obj)
			json_array_append(a, m->cur.s[i].obj);
	return a;
}

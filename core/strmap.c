/* core/strmap.c — see strmap.h. FNV-1a hashes; load factor at most 1/2. */
#include "core/strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

static size_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return (size_t)(h ^ (h >> 29));
}

void sd_strmap_init(struct sd_strmap *m)
{
	memset(m, 0, sizeof *m);
}

void sd_strmap_clear(struct sd_strmap *m)
{
	size_t i;
	for (i = 0; i < m->cap; i++) {
		free(m->slots[i].key);
		m->slots[i].key = NULL;
	}
	m->len = 0;
}

void sd_strmap_done(struct sd_strmap *m)
{
	sd_strmap_clear(m);
	free(m->slots);
	memset(m, 0, sizeof *m);
}

static size_t find(const struct sd_strmap *m, const char *key, size_t h, bool *found)
{
	size_t mask = m->cap - 1, i = h & mask;
	for (;;) {
		const struct sd_strmap_slot *s = &m->slots[i];
		if (!s->key) {
			*found = false;
			return i;
		}
		if (s->hash == h && strcmp(s->key, key) == 0) {
			*found = true;
			return i;
		}
		i = (i + 1) & mask;
	}
}

static void grow(struct sd_strmap *m)
{
	struct sd_strmap_slot *old = m->slots;
	size_t oldcap = m->cap, i;
	m->cap = oldcap ? oldcap * 2 : 16;
	m->slots = sd_calloc(m->cap, sizeof *m->slots);
	for (i = 0; i < oldcap; i++) {
		bool found;
		size_t k;
		if (!old[i].key)
			continue;
		k = find(m, old[i].key, old[i].hash, &found);
		m->slots[k] = old[i];
	}
	free(old);
}

void *sd_strmap_put(struct sd_strmap *m, const char *key, void *val)
{
	size_t h = hash_str(key), i;
	bool found;
	void *prev;
	if ((m->len + 1) * 2 > m->cap)
		grow(m);
	i = find(m, key, h, &found);
	if (found) {
		prev = m->slots[i].val;
		m->slots[i].val = val;
		return prev;
	}
	m->slots[i].key = sd_strdup(key);
	m->slots[i].hash = h;
	m->slots[i].val = val;
	m->len++;
	return NULL;
}

void *sd_strmap_get(const struct sd_strmap *m, const char *key)
{
	bool found;
	size_t i;
	if (!m->cap)
		return NULL;
	i = find(m, key, hash_str(key), &found);
	return found ? m->slots[i].val : NULL;
}

bool sd_strmap_has(const struct sd_strmap *m, const char *key)
{
	bool found = false;
	if (m->cap)
		find(m, key, hash_str(key), &found);
	return found;
}

void *sd_strmap_del(struct sd_strmap *m, const char *key)
{
	size_t mask, i, j;
	bool found;
	void *val;
	if (!m->cap)
		return NULL;
	mask = m->cap - 1;
	i = find(m, key, hash_str(key), &found);
	if (!found)
		return NULL;
	val = m->slots[i].val;
	free(m->slots[i].key);
	m->slots[i].key = NULL;
	m->len--;
	/* backward shift: pull later members of the probe run into the hole */
	for (j = (i + 1) & mask; m->slots[j].key; j = (j + 1) & mask) {
		size_t home = m->slots[j].hash & mask;
		/* it may fill the hole when the hole is no further from j than
		 * its home is (so it stays reachable from home) */
		if (((j - home) & mask) >= ((j - i) & mask)) {
			m->slots[i] = m->slots[j];
			m->slots[j].key = NULL;
			i = j;
		}
	}
	return val;
}

size_t sd_strmap_len(const struct sd_strmap *m) { return m->len; }

bool sd_strmap_next(const struct sd_strmap *m, size_t *pos, const char **key, void **val)
{
	while (*pos < m->cap) {
		const struct sd_strmap_slot *s = &m->slots[(*pos)++];
		if (s->key) {
			if (key)
				*key = s->key;
			if (val)
				*val = s->val;
			return true;
		}
	}
	return false;
}

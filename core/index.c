/* core/index.c — see index.h. Linear probing over a power-of-two table
 * kept at most 70 % full; the hash's low bits pick the slot, so both
 * hashes end with a multiply-xorshift finaliser that spreads every input
 * bit into them. */
#include "core/index.h"

#include <limits.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

#include "core/util.h"

struct sd_strindex_slot {
	const char *key;           /* NULL: free */
	uint32_t hash;
	int32_t val;
};

struct sd_u64index_slot {
	uint64_t key;
	int32_t val1;              /* value + 1; 0: free */
};

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static uint32_t str_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;   /* FNV-1a, then finalised */
	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 0x100000001b3ULL;
	}
	return (uint32_t)mix64(h);
}

/* Smallest power of two holding n keys under the 70 % load limit. */
static size_t cap_for(size_t n)
{
	size_t cap = 16;
	while (cap * 7 < n * 10 + 10)
		cap <<= 1;
	return cap;
}

static bool too_full(size_t n, size_t cap)
{
	return cap == 0 || (n + 1) * 10 > cap * 7;
}

/* ---- string keys ---- */

void sd_strindex_init(struct sd_strindex *ix)
{
	memset(ix, 0, sizeof *ix);
}

void sd_strindex_done(struct sd_strindex *ix)
{
	free(ix->slots);
	sd_strindex_init(ix);
}

void sd_strindex_reset(struct sd_strindex *ix, size_t expected)
{
	size_t cap = cap_for(expected);
	if (cap > ix->cap) {
		free(ix->slots);
		ix->slots = sd_calloc(cap, sizeof *ix->slots);
		ix->cap = cap;
	} else if (ix->n) {
		memset(ix->slots, 0, ix->cap * sizeof *ix->slots);
	}
	ix->n = 0;
}

static void str_place(struct sd_strindex_slot *slots, size_t cap,
		      const struct sd_strindex_slot *e)
{
	size_t i = e->hash & (cap - 1);
	while (slots[i].key)
		i = (i + 1) & (cap - 1);
	slots[i] = *e;
}

static void str_grow(struct sd_strindex *ix)
{
	size_t cap = ix->cap ? ix->cap * 2 : 16, i;
	struct sd_strindex_slot *s = sd_calloc(cap, sizeof *s);
	for (i = 0; i < ix->cap; i++)
		if (ix->slots[i].key)
			str_place(s, cap, &ix->slots[i]);
	free(ix->slots);
	ix->slots = s;
	ix->cap = cap;
}

int sd_strindex_put(struct sd_strindex *ix, const char *key, int val)
{
	struct sd_strindex_slot e = { key, str_hash(key), val };
	size_t i;
	if (too_full(ix->n, ix->cap))
		str_grow(ix);
	for (i = e.hash & (ix->cap - 1); ix->slots[i].key; i = (i + 1) & (ix->cap - 1))
		if (ix->slots[i].hash == e.hash && strcmp(ix->slots[i].key, key) == 0)
			return ix->slots[i].val;
	ix->slots[i] = e;
	ix->n++;
	return -1;
}

void sd_strindex_prefetch(const struct sd_strindex *ix, const char *key)
{
	if (ix->cap)
		__builtin_prefetch(&ix->slots[str_hash(key) & (ix->cap - 1)], 1);
}

int sd_strindex_get(const struct sd_strindex *ix, const char *key)
{
	uint32_t h;
	size_t i;
	if (!ix->n || !key)
		return -1;
	h = str_hash(key);
	for (i = h & (ix->cap - 1); ix->slots[i].key; i = (i + 1) & (ix->cap - 1))
		if (ix->slots[i].hash == h && strcmp(ix->slots[i].key, key) == 0)
			return ix->slots[i].val;
	return -1;
}

/* ---- 64-bit keys ---- */

void sd_u64index_init(struct sd_u64index *ix)
{
	memset(ix, 0, sizeof *ix);
}

void sd_u64index_done(struct sd_u64index *ix)
{
	free(ix->slots);
	sd_u64index_init(ix);
}

void sd_u64index_reset(struct sd_u64index *ix, size_t expected)
{
	size_t cap = cap_for(expected);
	if (cap > ix->cap) {
		free(ix->slots);
		ix->slots = sd_calloc(cap, sizeof *ix->slots);
		ix->cap = cap;
	} else if (ix->n) {
		memset(ix->slots, 0, ix->cap * sizeof *ix->slots);
	}
	ix->n = 0;
}

static void u64_place(struct sd_u64index_slot *slots, size_t cap,
		      const struct sd_u64index_slot *e)
{
	size_t i = mix64(e->key) & (cap - 1);
	while (slots[i].val1)
		i = (i + 1) & (cap - 1);
	slots[i] = *e;
}

static void u64_grow(struct sd_u64index *ix)
{
	size_t cap = ix->cap ? ix->cap * 2 : 16, i;
	struct sd_u64index_slot *s = sd_calloc(cap, sizeof *s);
	for (i = 0; i < ix->cap; i++)
		if (ix->slots[i].val1)
			u64_place(s, cap, &ix->slots[i]);
	free(ix->slots);
	ix->slots = s;
	ix->cap = cap;
}

int sd_u64index_put(struct sd_u64index *ix, uint64_t key, int val)
{
	size_t i;
	if (val < 0 || val == INT_MAX)
		return -1;
	if (too_full(ix->n, ix->cap))
		u64_grow(ix);
	for (i = mix64(key) & (ix->cap - 1); ix->slots[i].val1; i = (i + 1) & (ix->cap - 1))
		if (ix->slots[i].key == key)
			return ix->slots[i].val1 - 1;
	ix->slots[i].key = key;
	ix->slots[i].val1 = val + 1;
	ix->n++;
	return -1;
}

void sd_u64index_prefetch(const struct sd_u64index *ix, uint64_t key)
{
	if (ix->cap)
		__builtin_prefetch(&ix->slots[mix64(key) & (ix->cap - 1)], 1);
}

int sd_u64index_get(const struct sd_u64index *ix, uint64_t key)
{
	size_t i;
	if (!ix->n)
		return -1;
	for (i = mix64(key) & (ix->cap - 1); ix->slots[i].val1; i = (i + 1) & (ix->cap - 1))
		if (ix->slots[i].key == key)
			return ix->slots[i].val1 - 1;
	return -1;
}

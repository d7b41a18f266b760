/* core/strmap.h — a string-keyed hash map (open addressing, linear
 * probing, backward-shift deletion): O(1) expected per operation.
 *
 * The map owns copies of its keys; values are the caller's pointers (the
 * map never frees them). Iteration order is unspecified and changes as
 * the map grows. A map is embedded (init/done).
 */
#ifndef SD_STRMAP_H
#define SD_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

struct sd_strmap_slot {
	char *key;        /* NULL = empty */
	size_t hash;
	void *val;
};

struct sd_strmap {
	struct sd_strmap_slot *slots;
	size_t cap;       /* power of two, 0 before the first insert */
	size_t len;
};

void  sd_strmap_init(struct sd_strmap *m);
/* Frees the keys and the table (not the values). */
void  sd_strmap_done(struct sd_strmap *m);
void  sd_strmap_clear(struct sd_strmap *m);
/* Insert or replace. Returns the previous value (NULL when new). */
void *sd_strmap_put(struct sd_strmap *m, const char *key, void *val);
void *sd_strmap_get(const struct sd_strmap *m, const char *key);
bool  sd_strmap_has(const struct sd_strmap *m, const char *key);
/* Remove; returns the value it had (NULL when absent). */
void *sd_strmap_del(struct sd_strmap *m, const char *key);
size_t sd_strmap_len(const struct sd_strmap *m);

/* Iterate: for (i = 0; sd_strmap_next(m, &i, &k, &v); ) — do not change
 * the map while iterating. */
bool  sd_strmap_next(const struct sd_strmap *m, size_t *pos, const char **key, void **val);

#endif

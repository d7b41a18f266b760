/* core/index.h — small open-addressing hash tables for lookups by key:
 * a string (an object id) or a 64-bit number (an NCI, a packed S-NSSAI)
 * maps to a non-negative int, usually an index into an array.
 *
 *   build     init once, sd_*index_reset(ix, expected) before a rebuild
 *             (keeps the memory, sizes the table for that many keys),
 *             then put every key; the table grows by itself when needed.
 *   put       inserts key -> val unless the key is there already; returns
 *             the value already stored (a duplicate: nothing changes) or
 *             -1 when it inserted. So "first one wins", and a duplicate
 *             check is one call per key.
 *   get       the value, or -1.
 *   prefetch  a hint: start loading the slot key hashes to. A bulk loader
 *             that prefetches a dozen keys ahead of its puts runs about
 *             twice as fast on tables larger than the cache.
 *
 * There is no removal: callers rebuild (linear) after structural changes.
 * String keys are borrowed, not copied: each must stay valid and unchanged
 * until the next reset or done (model ids live in the model's arrays, which
 * are re-indexed whenever they move). Values must be >= 0.
 */
#ifndef SD_INDEX_H
#define SD_INDEX_H

#include <stddef.h>
#include <stdint.h>

struct sd_strindex_slot;
struct sd_u64index_slot;

struct sd_strindex {
	struct sd_strindex_slot *slots;
	size_t cap;                /* slots, a power of two (0 before first use) */
	size_t n;                  /* keys stored */
};

struct sd_u64index {
	struct sd_u64index_slot *slots;
	size_t cap;
	size_t n;
};

void sd_strindex_init(struct sd_strindex *ix);
void sd_strindex_done(struct sd_strindex *ix);
void sd_strindex_reset(struct sd_strindex *ix, size_t expected);
int  sd_strindex_put(struct sd_strindex *ix, const char *key, int val);
int  sd_strindex_get(const struct sd_strindex *ix, const char *key);
void sd_strindex_prefetch(const struct sd_strindex *ix, const char *key);

void sd_u64index_init(struct sd_u64index *ix);
void sd_u64index_done(struct sd_u64index *ix);
void sd_u64index_reset(struct sd_u64index *ix, size_t expected);
int  sd_u64index_put(struct sd_u64index *ix, uint64_t key, int val);
int  sd_u64index_get(const struct sd_u64index *ix, uint64_t key);
void sd_u64index_prefetch(const struct sd_u64index *ix, uint64_t key);

#endif

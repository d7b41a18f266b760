/* core/model_nf.h — NF instances in the model: the instance's own memory,
 * merging per source, and an O(1) lookup by id.
 *
 * struct sd_nf_instance (core/model.h) owns a heap array of S-NSSAIs, so
 * it is copied, moved and released only through the helpers below — a
 * plain struct assignment would share (and later double-free) it.
 *
 * The model's NF rows (m->nfs, m->nnfs) each come from a source: "nrf" for
 * the NRF collector, a plugin's name later. A source changes only its own
 * rows: sd_model_nf_upsert / _remove one at a time (notifications), or
 * sd_model_nf_replace_source with the whole list of one poll cycle, which
 * reports each row that was added, changed or removed (compared field by
 * field, last_seen_ms excepted) and, as SD_NF_SEEN, each row seen again
 * with only a newer last_seen_ms: pushed, so that a console's heartbeat
 * age is true, but not counted as a change.
 *
 * m->nf_index (an opaque hash of ids) is kept in step by these functions.
 * Code that changes m->nfs behind their back (sd_model_carry_live moving
 * the array to a new model) must call sd_model_nf_reindex; a lookup that
 * notices the array moved falls back to a linear scan meanwhile, so it is
 * never wrong, only slower. sd_model_free calls sd_model_nfs_clear.
 */
#ifndef SD_MODEL_NF_H
#define SD_MODEL_NF_H

#include <stdbool.h>

#include "core/model.h"

/* --- one instance ---------------------------------------------------------- */

/* Empty: all zero, load -1 (not reported). */
void sd_nf_instance_init(struct sd_nf_instance *nf);
/* Release what it owns; it is left empty (init'ed) and may be reused. */
void sd_nf_instance_done(struct sd_nf_instance *nf);
/* dst becomes a deep copy of src. dst must be empty or hold nothing that
 * needs freeing (its previous contents are not released). */
void sd_nf_instance_copy(struct sd_nf_instance *dst, const struct sd_nf_instance *src);
/* dst takes src's contents and memory; src is left empty. Same rule for
 * dst as above. */
void sd_nf_instance_move(struct sd_nf_instance *dst, struct sd_nf_instance *src);
/* Replace the S-NSSAIs with a copy of v[0..n), n capped at
 * SD_MAX_NF_SNSSAI. v is taken as it is (the caller deduplicated it). */
void sd_nf_snssais_set(struct sd_nf_instance *nf, const struct sd_snssai *v, int n);
/* The same, taking ownership of v (allocated with the util.h wrappers). */
void sd_nf_snssais_take(struct sd_nf_instance *nf, struct sd_snssai *v, int n);
/* Does it list this S-NSSAI? (linear in nsnssais) */
bool sd_nf_serves(const struct sd_nf_instance *nf, const struct sd_snssai *sn);
/* Equal in every field but last_seen_ms. */
bool sd_nf_instance_same(const struct sd_nf_instance *a, const struct sd_nf_instance *b);

/* --- the model's rows ------------------------------------------------------ */

enum sd_nf_change {
	SD_NF_UNCHANGED = 0,
	SD_NF_ADDED,
	SD_NF_CHANGED,
	SD_NF_REMOVED,
	SD_NF_REFUSED,      /* the id belongs to another source: nothing done */
	SD_NF_SEEN,         /* the same row seen again: only last_seen_ms moved
			     * (republished, so a console's heartbeat age is
			     * true; not counted as a change) */
};

/* Index of the row with this id, or -1. O(1) while the index is in step. */
int sd_model_nf_find(const struct sd_model *m, const char *id);

/* Insert or replace the row nf->id for source nf->source (a deep copy of
 * nf). A row that compares the same keeps its place and only takes
 * last_seen_ms. Returns the row's index, or -1 (SD_NF_REFUSED) when the id
 * belongs to another source or is empty. *what (may be NULL) says what
 * happened. */
int sd_model_nf_upsert(struct sd_model *m, const struct sd_nf_instance *nf,
		       enum sd_nf_change *what);
/* The same, moving from nf (left empty whatever the outcome). */
int sd_model_nf_upsert_move(struct sd_model *m, struct sd_nf_instance *nf,
			    enum sd_nf_change *what);
/* Remove the row with this id if source owns it (source NULL: whoever
 * does). true when a row went. */
bool sd_model_nf_remove(struct sd_model *m, const char *source, const char *id);

/* Called once per row that changed, after the model is consistent again
 * (the callback may look rows up; it must not change m->nfs). */
typedef void (*sd_nf_change_fn)(void *arg, const char *id, enum sd_nf_change what);

/* Make source's rows exactly list[0..n): rows of source whose id is not in
 * the list are removed, the others added or replaced (when they differ).
 * An id listed twice counts once (the last occurrence wins); an id owned
 * by another source is left alone (fn hears SD_NF_REFUSED). Every element
 * of list is consumed: left empty, but the array stays the caller's.
 * Each element's source must be source. Rows keep their relative order;
 * new ones are appended. Returns how many rows were added, changed or
 * removed. Linear in nnfs + n. */
int sd_model_nf_replace_source(struct sd_model *m, const char *source,
			       struct sd_nf_instance *list, int n,
			       sd_nf_change_fn fn, void *arg);

/* Free every NF row, the array and the index (m->nfs NULL, nnfs 0). */
void sd_model_nfs_clear(struct sd_model *m);
/* Rebuild the index after m->nfs was changed by other means. */
void sd_model_nf_reindex(struct sd_model *m);

#endif

/* monitor/decode_common.h — internals shared by the SBI decoders
 * (monitor/sbi_decode.c and monitor/decode_*.c). Not for other modules:
 * use monitor/sbi_decode.h.
 *
 * A decode runs with a struct sd_dctx on the stack: it carries the diag to
 * fill and the JSON path of the member being looked at, so that every error
 * says where it is ("nfInstances[2].sNssais[0]: Snssai.sst out of range").
 * Helpers that look at a member push its name, and pop it on return.
 *
 * Return convention of the member getters: 1 present (and valid), 0 absent
 * (only when not required), -1 error (diag->error set).
 */
#ifndef SD_DECODE_COMMON_H
#define SD_DECODE_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "monitor/sbi_decode.h"

#define SD_DC_PATHLEN 200

struct sd_dctx {
	struct sd_decode_diag *diag;   /* the caller's, or &scratch */
	struct sd_decode_diag scratch;
	char path[SD_DC_PATHLEN];
	size_t plen;
};

/* Parse + limit walk. Returns the root (caller json_decref()s it) or NULL
 * with diag->error set. root_array: the document must be a JSON array
 * (NWDAF notifications), else an object. */
json_t *sd_dc_parse(struct sd_dctx *c, struct sd_decode_diag *diag,
		    const char *body, size_t len, bool root_array);

/* Path handling: push returns a mark for pop. */
size_t sd_dc_push_key(struct sd_dctx *c, const char *key);
size_t sd_dc_push_idx(struct sd_dctx *c, size_t i);
void   sd_dc_pop(struct sd_dctx *c, size_t mark);

/* "<path>: <msg>" into diag->error; returns -1. */
int sd_dc_fail(struct sd_dctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The same for member k of the current path. */
int sd_dc_fail_at(struct sd_dctx *c, const char *k, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A note "<path>: <msg>" (truncation etc.), not an error. */
void sd_dc_note(struct sd_dctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A list element failed: move diag->error into the notes, count it. */
void sd_dc_skip(struct sd_dctx *c);

enum sd_dc_type { SD_DC_OBJ, SD_DC_ARR, SD_DC_STR, SD_DC_INT, SD_DC_BOOL };
/* Member k of object o, type-checked. */
int sd_dc_get(struct sd_dctx *c, const json_t *o, const char *k,
	      enum sd_dc_type t, bool req, const json_t **out);
/* An array member; nonempty: the schema says minItems 1. */
int sd_dc_arr(struct sd_dctx *c, const json_t *o, const char *k, bool req,
	      bool nonempty, const json_t **out);

enum sd_dc_str_mode {
	SD_DC_TEXT,   /* display text: sanitised, silently truncated to fit */
	SD_DC_TOKEN,  /* identifier: printable ASCII, no spaces, must fit */
};
int sd_dc_str(struct sd_dctx *c, const json_t *o, const char *k, bool req,
	      char *dst, size_t dstsz, enum sd_dc_str_mode mode);
/* Validate a token held in a json string j (path already pushed). */
int sd_dc_token(struct sd_dctx *c, const json_t *j, char *dst, size_t dstsz);
int sd_dc_int(struct sd_dctx *c, const json_t *o, const char *k, bool req,
	      long long min, long long max, long long *out);
int sd_dc_bool(struct sd_dctx *c, const json_t *o, const char *k, bool req,
	       bool *out);
int sd_dc_uuid(struct sd_dctx *c, const json_t *o, const char *k, bool req,
	       char dst[SD_UUID_STRLEN]);
int sd_dc_datetime(struct sd_dctx *c, const json_t *o, const char *k,
		   bool req, int64_t *ms);
int sd_dc_bitrate(struct sd_dctx *c, const json_t *o, const char *k,
		  bool req, uint64_t *bps);
/* A URI we may later contact: http:// or https://, RFC 3986 characters. */
int sd_dc_uri(struct sd_dctx *c, const json_t *o, const char *k, bool req,
	      char *dst, size_t dstsz);
/* The UUID that ends a resource URI (…/nf-instances/<uuid>). */
int sd_dc_uri_last_uuid(struct sd_dctx *c, const char *uri,
			char dst[SD_UUID_STRLEN]);

/* Value decoders: j is the value, its path already pushed. */
int sd_dc_snssai(struct sd_dctx *c, const json_t *j, struct sd_snssai *out);
int sd_dc_plmn(struct sd_dctx *c, const json_t *j, struct sd_plmn *out);
int sd_dc_tai(struct sd_dctx *c, const json_t *j, struct sd_plmn *plmn,
	      uint32_t *tac);
int sd_dc_ncgi(struct sd_dctx *c, const json_t *j, uint64_t *nci);
int sd_dc_ipv4(struct sd_dctx *c, const json_t *j, char *dst, size_t dstsz);
int sd_dc_ipv6(struct sd_dctx *c, const json_t *j, char *dst, size_t dstsz);
int sd_dc_fqdn(struct sd_dctx *c, const json_t *j, char *dst, size_t dstsz);
/* NetworkAreaInfo (tais, ncgis; ecgis/gRanNodeIds ignored). */
int sd_dc_area(struct sd_dctx *c, const json_t *j, struct sd_nwdaf_area *a);

/* Add s to set[*n] unless present; at cap, note once and drop. */
void sd_dc_snssai_add(struct sd_dctx *c, struct sd_snssai *set, int *n,
		      int cap, const struct sd_snssai *s, bool *noted);

/* NFProfile decoder shared by the NRF documents (decode_nrf.c). j is the
 * profile object; on -1 out is released. */
int sd_dc_nf_profile(struct sd_dctx *c, const json_t *j,
		     struct sd_nf_profile *out);

/* Analytics members shared by AnalyticsData and EventNotification
 * (decode_nwdaf.c). */
int sd_dc_nwdaf_lists(struct sd_dctx *c, const json_t *o,
		      struct sd_nwdaf_analytics *a);

#endif

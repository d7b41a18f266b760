/* monitor/sbi_decode.c — the machinery every SBI decoder shares: parsing
 * with limits, JSON paths in errors, and the common 3GPP data types
 * (TS 29.571: Snssai, PlmnId, Tai, Ncgi, DateTime, BitRate, addresses).
 * The document decoders live in monitor/decode_{nrf,nssf,nwdaf,evts}.c.
 */
#include "monitor/sbi_decode.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/util.h"
#include "monitor/decode_common.h"

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define SD_HAVE_VALGRIND_H 1
#endif
#endif

/* ---- paths and errors ------------------------------------------------ */

/* Append raw text to the path, keeping it terminated; a path that no
 * longer fits ends in "..." so the error still reads sensibly. */
static void path_add(struct sd_dctx *c, const char *s, size_t n)
{
	size_t room = SD_DC_PATHLEN - 1 - c->plen;
	if (n > room) {
		n = room;
		if (n >= 3) {
			memcpy(c->path + c->plen, s, n - 3);
			memcpy(c->path + c->plen + n - 3, "...", 3);
			c->plen += n;
			c->path[c->plen] = '\0';
			return;
		}
	}
	memcpy(c->path + c->plen, s, n);
	c->plen += n;
	c->path[c->plen] = '\0';
}

size_t sd_dc_push_key(struct sd_dctx *c, const char *key)
{
	size_t mark = c->plen;
	size_t n = strlen(key);
	if (c->plen)
		path_add(c, ".", 1);
	/* map keys come from the peer: keep them short; sanitised with the
	 * whole message later */
	if (n > 40) {
		path_add(c, key, 37);
		path_add(c, "...", 3);
	} else {
		path_add(c, key, n);
	}
	return mark;
}

/* "[i]"; formatted by hand, as every array element a decoder maps
 * pushes one (snprintf was a visible share of a decode). */
size_t sd_dc_push_idx(struct sd_dctx *c, size_t i)
{
	char b[24];
	size_t mark = c->plen, n = sizeof b;

	b[--n] = ']';
	do {
		b[--n] = (char)('0' + i % 10);
		i /= 10;
	} while (i);
	b[--n] = '[';
	path_add(c, b + n, sizeof b - n);
	return mark;
}

void sd_dc_pop(struct sd_dctx *c, size_t mark)
{
	c->plen = mark;
	c->path[mark] = '\0';
}

static void vformat(struct sd_dctx *c, char *dst, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
static void vformat(struct sd_dctx *c, char *dst, const char *fmt, va_list ap)
{
	char raw[SD_DECODE_ERRLEN * 2];
	int n = snprintf(raw, sizeof raw, "%s: ", c->plen ? c->path : "(document)");
	if (n < 0 || (size_t)n >= sizeof raw)
		n = 0;
	vsnprintf(raw + n, sizeof raw - (size_t)n, fmt, ap);
	sd_sanitize(dst, SD_DECODE_ERRLEN, raw, strlen(raw));
}

int sd_dc_fail(struct sd_dctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vformat(c, c->diag->error, fmt, ap);
	va_end(ap);
	return -1;
}

int sd_dc_fail_at(struct sd_dctx *c, const char *k, const char *fmt, ...)
{
	va_list ap;
	size_t m = sd_dc_push_key(c, k);
	va_start(ap, fmt);
	vformat(c, c->diag->error, fmt, ap);
	va_end(ap);
	sd_dc_pop(c, m);
	return -1;
}

static char *note_slot(struct sd_decode_diag *d)
{
	if (d->nnotes >= SD_DECODE_MAX_NOTES) {
		d->notes_lost++;
		return NULL;
	}
	return d->notes[d->nnotes++];
}

void sd_dc_note(struct sd_dctx *c, const char *fmt, ...)
{
	va_list ap;
	char *slot = note_slot(c->diag);
	if (!slot)
		return;
	va_start(ap, fmt);
	vformat(c, slot, fmt, ap);
	va_end(ap);
}

void sd_dc_skip(struct sd_dctx *c)
{
	char *slot = note_slot(c->diag);
	c->diag->skipped++;
	if (slot)
		sd_strlcpy(slot, c->diag->error, SD_DECODE_ERRLEN);
	c->diag->error[0] = '\0';
}

/* ---- parsing with limits --------------------------------------------- */

/* ---- an allocator for the parse ---------------------------------------
 *
 * json_loadb() of a 2.7 KB NFProfile makes about 760 small allocations,
 * and the json_decref() at the end of the decode frees them one by one:
 * malloc and free were a third of a decode. The tree a decoder parses is
 * private to it and freed whole at its end, so while json_loadb() runs in
 * sd_dc_parse() jansson allocates from a bump arena instead; each arena
 * counts its live blocks and goes back to the heap when the decoder's
 * json_decref() has freed the last one. Decoders need not know.
 *
 * The hooks are jansson's process-wide json_set_alloc_funcs(); they are
 * installed once, only when nobody else installed theirs. Outside a parse,
 * or for a block not in a live arena, they are plain malloc() and free(),
 * so every other user of jansson in the process is unaffected. Arenas are
 * per thread. */

struct dc_chunk {
	struct dc_chunk *next;
	char *base, *end, *top;
};

struct dc_arena {
	struct dc_arena *next;         /* this thread's live arenas */
	struct dc_chunk *chunks;       /* newest first */
	size_t live;                   /* blocks handed out, not yet freed */
	size_t next_size;              /* size of the next chunk */
};

static _Thread_local struct dc_arena *dc_cur;   /* allocating, in json_loadb */
static _Thread_local struct dc_arena *dc_live;  /* holding blocks */
/* One chunk kept from the last arena for the next: without it glibc gave
 * the memory back to the system and faulted it in again every few decodes
 * (brk() calls). At most DC_SPARE_MAX bytes per thread, held for good. */
static _Thread_local struct dc_chunk *dc_spare;
static pthread_once_t dc_once = PTHREAD_ONCE_INIT;
static bool dc_installed;

#define DC_ALIGN 16
#define DC_CHUNK_MIN (16u * 1024u)
#define DC_CHUNK_MAX (8u * 1024u * 1024u)
#define DC_SPARE_MAX (256u * 1024u)

/* Under valgrind or AddressSanitizer no chunk is kept: an arena's memory
 * is then freed as soon as its tree is, so a decoder that reads the tree
 * after its json_decref() is still caught. */
static bool dc_checked(void)
{
#if defined(__SANITIZE_ADDRESS__)
	return true;
#elif defined(SD_HAVE_VALGRIND_H)
	return RUNNING_ON_VALGRIND != 0;
#else
	return false;
#endif
}

static struct dc_chunk *dc_chunk_new(size_t want)
{
	/* header rounded up so blocks stay aligned */
	size_t hdr = (sizeof(struct dc_chunk) + DC_ALIGN - 1) & ~(size_t)(DC_ALIGN - 1);
	struct dc_chunk *k;

	if (want > SIZE_MAX - hdr)
		return NULL;
	k = malloc(hdr + want);
	if (!k)
		return NULL;
	k->base = k->top = (char *)k + hdr;
	k->end = k->base + want;
	k->next = NULL;
	return k;
}

static void dc_arena_free(struct dc_arena *a)
{
	struct dc_arena **pp;
	struct dc_chunk *k, *n;

	for (pp = &dc_live; *pp; pp = &(*pp)->next)
		if (*pp == a) {
			*pp = a->next;
			break;
		}
	for (k = a->chunks; k; k = n) {
		n = k->next;
		if (!dc_checked() && (size_t)(k->end - k->base) <= DC_SPARE_MAX &&
		    (!dc_spare || dc_spare->end - dc_spare->base < k->end - k->base)) {
			free(dc_spare);
			dc_spare = k;
		} else {
			free(k);
		}
	}
	free(a);
}

/* A block of n bytes from arena a. */
static __attribute__((noinline)) void *dc_arena_alloc(struct dc_arena *a, size_t n)
{
	struct dc_chunk *k;
	size_t need = (n + DC_ALIGN - 1) & ~(size_t)(DC_ALIGN - 1);

	if (need < n)
		return NULL;
	k = a->chunks;
	if (!k || (size_t)(k->end - k->top) < need) {
		size_t sz = a->next_size;
		if (sz < need)
			sz = need;
		if (dc_spare && (size_t)(dc_spare->end - dc_spare->base) >= need) {
			k = dc_spare;
			dc_spare = NULL;
			k->top = k->base;
		} else {
			k = dc_chunk_new(sz);
			if (!k)
				return NULL;
		}
		if (a->next_size < DC_CHUNK_MAX)
			a->next_size *= 2;
		k->next = a->chunks;
		a->chunks = k;
	}
	k->top += need;
	a->live++;
	return k->top - need;
}

/* Release p: one block less in its arena, or free() if in none. */
static __attribute__((noinline)) void dc_arena_release(void *p)
{
	struct dc_arena *a;
	struct dc_chunk *k;

	for (a = dc_live; a; a = a->next)
		for (k = a->chunks; k; k = k->next)
			if ((char *)p >= k->base && (char *)p < k->top) {
				if (--a->live == 0 && a != dc_cur)
					dc_arena_free(a);
				return;
			}
	free(p);
}

/* The hooks: kept small, as every jansson user in the process calls them;
 * without a live arena on this thread they are malloc() and free(). */
static void *dc_malloc(size_t n)
{
	struct dc_arena *a = dc_cur;
	if (__builtin_expect(a == NULL, 1))
		return malloc(n);
	return dc_arena_alloc(a, n);
}

static void dc_free(void *p)
{
	if (__builtin_expect(dc_live == NULL, 1))
		free(p);
	else if (p)
		dc_arena_release(p);
}

static void dc_install(void)
{
	json_malloc_t m;
	json_free_t f;

	json_get_alloc_funcs(&m, &f);
	if (m != malloc || f != free)
		return;
	json_set_alloc_funcs(dc_malloc, dc_free);
	dc_installed = true;
}

/* json_loadb() with the tree's blocks in an arena when the hooks are ours;
 * a plain json_loadb() otherwise. */
static json_t *dc_loadb(const char *body, size_t len, size_t flags,
			json_error_t *err)
{
	json_malloc_t m;
	json_free_t f;
	struct dc_arena *a;
	json_t *root;

	pthread_once(&dc_once, dc_install);
	if (dc_installed)
		json_get_alloc_funcs(&m, &f);
	if (!dc_installed || m != dc_malloc || f != dc_free || dc_cur)
		return json_loadb(body, len, flags, err);
	a = malloc(sizeof *a);
	if (!a)
		return json_loadb(body, len, flags, err);
	a->chunks = NULL;
	a->live = 0;
	/* about 16 bytes of tree per byte of body */
	a->next_size = len < DC_CHUNK_MIN / 16 ? DC_CHUNK_MIN
		     : len > DC_CHUNK_MAX / 16 ? DC_CHUNK_MAX : len * 16;
	a->next = dc_live;
	dc_live = a;
	dc_cur = a;
	root = json_loadb(body, len, flags, err);
	dc_cur = NULL;
	if (a->live == 0)
		dc_arena_free(a);
	return root;
}

/* Members whose array may hold up to SD_DECODE_MAX_LIST items (see
 * sbi_decode.h); every other container stops at SD_DECODE_MAX_ITEMS. */
static bool long_list_key(const char *k)
{
	static const char *const keys[] = { "sNssais", "sNssaiList", "sNssaiSmfInfoList",
					     "sNssaiUpfInfoList", "item" };
	size_t i;
	for (i = 0; i < SD_ARRAY_LEN(keys); i++)
		if (strcmp(k, keys[i]) == 0)
			return true;
	return false;
}

static size_t array_cap(bool long_ok)
{
	return long_ok ? SD_DECODE_MAX_LIST : SD_DECODE_MAX_ITEMS;
}

/* The limit checks, without a path: the walk every body takes, so it only
 * counts depth and sizes. Returns false at the first node over a limit, in
 * the same order as limits_error() visits them. Recursion is bounded by
 * SD_DECODE_MAX_DEPTH. long_ok: j is the value of a long_list_key member. */
static bool limits_ok(const json_t *j, int depth, bool long_ok)
{
	size_t i;
	void *it;

	switch (json_typeof(j)) {
	case JSON_STRING:
		return json_string_length(j) <= SD_DECODE_MAX_STRING;
	case JSON_ARRAY:
		if (depth > SD_DECODE_MAX_DEPTH || json_array_size(j) > array_cap(long_ok))
			return false;
		for (i = 0; i < json_array_size(j); i++)
			if (!limits_ok(json_array_get(j, i), depth + 1, false))
				return false;
		return true;
	case JSON_OBJECT:
		if (depth > SD_DECODE_MAX_DEPTH || json_object_size(j) > SD_DECODE_MAX_ITEMS)
			return false;
		for (it = json_object_iter((json_t *)j); it;
		     it = json_object_iter_next((json_t *)j, it))
			if (json_object_iter_key_len(it) > SD_DECODE_MAX_STRING ||
			    !limits_ok(json_object_iter_value(it), depth + 1,
				       long_list_key(json_object_iter_key(it))))
				return false;
		return true;
	default:
		return true;
	}
}

/* The same checks again, building the JSON path as it goes, to say where
 * and what the first violation is. Only run once limits_ok() has failed. */
static int limits_error(struct sd_dctx *c, const json_t *j, int depth, bool long_ok)
{
	size_t i, m;
	const char *k;
	const json_t *v;

	if (json_is_string(j)) {
		if (json_string_length(j) > SD_DECODE_MAX_STRING)
			return sd_dc_fail(c, "string longer than %d bytes",
					  SD_DECODE_MAX_STRING);
		return 0;
	}
	if (!json_is_object(j) && !json_is_array(j))
		return 0;
	if (depth > SD_DECODE_MAX_DEPTH)
		return sd_dc_fail(c, "nested deeper than %d levels",
				  SD_DECODE_MAX_DEPTH);
	if (json_is_array(j)) {
		if (json_array_size(j) > array_cap(long_ok))
			return sd_dc_fail(c, "array of %zu items, over the limit of %zu",
					  json_array_size(j), array_cap(long_ok));
		json_array_foreach(j, i, v) {
			m = sd_dc_push_idx(c, i);
			if (limits_error(c, v, depth + 1, false) < 0)
				return -1;
			sd_dc_pop(c, m);
		}
		return 0;
	}
	if (json_object_size(j) > SD_DECODE_MAX_ITEMS)
		return sd_dc_fail(c, "object of %zu members, over the limit of %d",
				  json_object_size(j), SD_DECODE_MAX_ITEMS);
	json_object_foreach((json_t *)j, k, v) {
		if (strlen(k) > SD_DECODE_MAX_STRING)
			return sd_dc_fail(c, "member name longer than %d bytes",
					  SD_DECODE_MAX_STRING);
		m = sd_dc_push_key(c, k);
		if (limits_error(c, v, depth + 1, long_list_key(k)) < 0)
			return -1;
		sd_dc_pop(c, m);
	}
	return 0;
}

/* Enforce depth, per-container item count and string length over the whole
 * tree before anything is mapped, so the mapping code can index freely.
 * The common case (within limits) pays for no path building. */
static int walk_limits(struct sd_dctx *c, const json_t *j, int depth)
{
	if (limits_ok(j, depth, false))
		return 0;
	/* limits_error() is the authority (it measures a member name with
	 * strlen(), limits_ok() by its full length, which is never less) */
	return limits_error(c, j, depth, false);
}

json_t *sd_dc_parse(struct sd_dctx *c, struct sd_decode_diag *diag,
		    const char *body, size_t len, bool root_array)
{
	json_error_t jerr;
	json_t *root;

	if (!diag)
		diag = &c->scratch;
	memset(diag, 0, sizeof *diag);
	c->diag = diag;
	c->plen = 0;
	c->path[0] = '\0';
	if (!body) {
		sd_dc_fail(c, "no body");
		return NULL;
	}
	if (len > SD_DECODE_MAX_BODY) {
		sd_dc_fail(c, "body of %zu bytes, over the limit of %u", len,
			   SD_DECODE_MAX_BODY);
		return NULL;
	}
	/* Jansson's own depth limit (2048) is far above ours; ours is
	 * applied by walk_limits. EOF check stays on: trailing junk is an
	 * error. NUL inside strings is refused by default. */
	root = dc_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		sd_dc_fail(c, "invalid JSON at line %d column %d: %s",
			   jerr.line, jerr.column, jerr.text);
		return NULL;
	}
	if (root_array ? !json_is_array(root) : !json_is_object(root)) {
		sd_dc_fail(c, "must be a JSON %s", root_array ? "array" : "object");
		json_decref(root);
		return NULL;
	}
	if (walk_limits(c, root, 1) < 0) {
		json_decref(root);
		return NULL;
	}
	sd_dc_pop(c, 0);
	return root;
}

/* ---- member getters -------------------------------------------------- */

static const char *const type_words[] = {
	[SD_DC_OBJ] = "an object", [SD_DC_ARR] = "an array",
	[SD_DC_STR] = "a string", [SD_DC_INT] = "an integer",
	[SD_DC_BOOL] = "a boolean",
};

static bool type_ok(const json_t *j, enum sd_dc_type t)
{
	switch (t) {
	case SD_DC_OBJ:  return json_is_object(j);
	case SD_DC_ARR:  return json_is_array(j);
	case SD_DC_STR:  return json_is_string(j);
	case SD_DC_INT:  return json_is_integer(j);
	case SD_DC_BOOL: return json_is_boolean(j);
	}
	return false;
}

int sd_dc_get(struct sd_dctx *c, const json_t *o, const char *k,
	      enum sd_dc_type t, bool req, const json_t **out)
{
	const json_t *j = json_object_get(o, k);
	*out = NULL;
	/* an explicit null for an optional member reads as absent */
	if (!j || (json_is_null(j) && !req)) {
		if (req)
			return sd_dc_fail_at(c, k, "missing (mandatory)");
		return 0;
	}
	if (!type_ok(j, t))
		return sd_dc_fail_at(c, k, "must be %s", type_words[t]);
	*out = j;
	return 1;
}

int sd_dc_arr(struct sd_dctx *c, const json_t *o, const char *k, bool req,
	      bool nonempty, const json_t **out)
{
	int r = sd_dc_get(c, o, k, SD_DC_ARR, req, out);
	if (r == 1 && nonempty && json_array_size(*out) == 0)
		return sd_dc_fail_at(c, k, "must not be empty");
	return r;
}

int sd_dc_token(struct sd_dctx *c, const json_t *j, char *dst, size_t dstsz)
{
	const char *s = json_string_value(j);
	size_t n = json_string_length(j), i;

	if (n == 0)
		return sd_dc_fail(c, "must not be empty");
	if (n >= dstsz)
		return sd_dc_fail(c, "longer than %zu characters", dstsz - 1);
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return sd_dc_fail(c, "must be printable ASCII without spaces");
	memcpy(dst, s, n + 1);
	return 1;
}

int sd_dc_str(struct sd_dctx *c, const json_t *o, const char *k, bool req,
	      char *dst, size_t dstsz, enum sd_dc_str_mode mode)
{
	const json_t *j;
	size_t m;
	int r = sd_dc_get(c, o, k, SD_DC_STR, req, &j);
	if (r <= 0)
		return r;
	if (mode == SD_DC_TEXT) {
		sd_sanitize(dst, dstsz, json_string_value(j), json_string_length(j));
		return 1;
	}
	m = sd_dc_push_key(c, k);
	r = sd_dc_token(c, j, dst, dstsz);
	sd_dc_pop(c, m);
	return r;
}

int sd_dc_int(struct sd_dctx *c, const json_t *o, const char *k, bool req,
	      long long min, long long max, long long *out)
{
	const json_t *j;
	json_int_t v;
	int r = sd_dc_get(c, o, k, SD_DC_INT, req, &j);
	if (r <= 0)
		return r;
	v = json_integer_value(j);
	if (v < min || v > max) {
		if (max == LLONG_MAX)
			return sd_dc_fail_at(c, k, "must be >= %lld", min);
		return sd_dc_fail_at(c, k, "must be %lld-%lld", min, max);
	}
	*out = v;
	return 1;
}

int sd_dc_bool(struct sd_dctx *c, const json_t *o, const char *k, bool req,
	       bool *out)
{
	const json_t *j;
	int r = sd_dc_get(c, o, k, SD_DC_BOOL, req, &j);
	if (r == 1)
		*out = json_is_true(j);
	return r;
}

int sd_dc_uuid(struct sd_dctx *c, const json_t *o, const char *k, bool req,
	       char dst[SD_UUID_STRLEN])
{
	const json_t *j;
	int r = sd_dc_get(c, o, k, SD_DC_STR, req, &j);
	if (r <= 0)
		return r;
	if (!sd_is_uuid(json_string_value(j)))
		return sd_dc_fail_at(c, k, "must be a UUID (8-4-4-4-12 hex digits)");
	memcpy(dst, json_string_value(j), SD_UUID_STRLEN);
	return 1;
}

static bool digits(const char *s, int n)
{
	int i;
	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

static int num(const char *s, int n)
{
	int v = 0, i;
	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* RFC 3339 date-time -> ms since the epoch, UTC. */
static bool parse_datetime(const char *s, int64_t *ms)
{
	struct tm tm = { 0 };
	int64_t frac = 0, t;
	int fd = 0, off = 0;
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (strlen(s) < 20 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) ||
	    s[7] != '-' || !digits(s + 8, 2) || (s[10] != 'T' && s[10] != 't') ||
	    !digits(s + 11, 2) || s[13] != ':' || !digits(s + 14, 2) ||
	    s[16] != ':' || !digits(s + 17, 2))
		return false;
	tm.tm_year = num(s, 4) - 1900;
	tm.tm_mon = num(s + 5, 2) - 1;
	tm.tm_mday = num(s + 8, 2);
	tm.tm_hour = num(s + 11, 2);
	tm.tm_min = num(s + 14, 2);
	tm.tm_sec = num(s + 17, 2);
	if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 ||
	    tm.tm_mday > mdays[tm.tm_mon] || tm.tm_hour > 23 || tm.tm_min > 59 ||
	    tm.tm_sec > 60)
		return false;
	s += 19;
	if (*s == '.') {
		s++;
		if (!isdigit((unsigned char)*s))
			return false;
		while (isdigit((unsigned char)*s)) {
			if (fd < 3) {
				frac = frac * 10 + (*s - '0');
				fd++;
			}
			s++;
		}
		while (fd < 3) {
			frac *= 10;
			fd++;
		}
	}
	if (*s == 'Z' || *s == 'z') {
		s++;
	} else if (*s == '+' || *s == '-') {
		if (!digits(s + 1, 2) || s[3] != ':' || !digits(s + 4, 2))
			return false;
		off = num(s + 1, 2) * 60 + num(s + 4, 2);
		if (num(s + 1, 2) > 23 || num(s + 4, 2) > 59)
			return false;
		if (*s == '-')
			off = -off;
		s += 6;
	} else {
		return false;
	}
	if (*s)
		return false;
	if (tm.tm_sec == 60)
		tm.tm_sec = 59;   /* leap second: close enough for a console */
	t = (int64_t)timegm(&tm);
	*ms = (t - (int64_t)off * 60) * 1000 + frac;
	return true;
}

int sd_dc_datetime(struct sd_dctx *c, const json_t *o, const char *k,
		   bool req, int64_t *ms)
{
	const json_t *j;
	int r = sd_dc_get(c, o, k, SD_DC_STR, req, &j);
	if (r <= 0)
		return r;
	if (!parse_datetime(json_string_value(j), ms))
		return sd_dc_fail_at(c, k, "must be an RFC 3339 date-time "
				     "(e.g. 2026-11-23T19:14:06Z)");
	return 1;
}

/* BitRate: ^\d+(\.\d+)? (bps|Kbps|Mbps|Gbps|Tbps)$ */
static bool parse_bitrate(const char *s, uint64_t *bps)
{
	static const struct { const char *u; double m; } units[] = {
		{ "bps", 1 }, { "Kbps", 1e3 }, { "Mbps", 1e6 }, { "Gbps", 1e9 },
		{ "Tbps", 1e12 },
	};
	const char *p = s, *sp;
	double v;
	size_t i;

	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p != ' ')
		return false;
	sp = p;
	v = strtod(s, NULL);
	for (i = 0; i < SD_ARRAY_LEN(units); i++) {
		if (strcmp(sp + 1, units[i].u) == 0) {
			v *= units[i].m;
			if (!(v < 1.8e19))
				return false;
			*bps = (uint64_t)(v + 0.5);
			return true;
		}
	}
	return false;
}

int sd_dc_bitrate(struct sd_dctx *c, const json_t *o, const char *k,
		  bool req, uint64_t *bps)
{
	const json_t *j;
	int r = sd_dc_get(c, o, k, SD_DC_STR, req, &j);
	if (r <= 0)
		return r;
	if (!parse_bitrate(json_string_value(j), bps))
		return sd_dc_fail_at(c, k, "must be a BitRate such as \"10 Mbps\"");
	return 1;
}

/* RFC 3986 characters (unreserved, reserved, '%'). */
static bool uri_chars(const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (isalnum(ch) || strchr("-._~:/?#[]@!$&'()*+,;=%", ch))
			continue;
		return false;
	}
	return true;
}

int sd_dc_uri(struct sd_dctx *c, const json_t *o, const char *k, bool req,
	      char *dst, size_t dstsz)
{
	const json_t *j;
	const char *s;
	int r = sd_dc_get(c, o, k, SD_DC_STR, req, &j);
	if (r <= 0)
		return r;
	s = json_string_value(j);
	if (json_string_length(j) >= dstsz)
		return sd_dc_fail_at(c, k, "URI longer than %zu characters", dstsz - 1);
	if (strncmp(s, "http://", 7) != 0 && strncmp(s, "https://", 8) != 0)
		return sd_dc_fail_at(c, k, "must be an http:// or https:// URI");
	if (!uri_chars(s))
		return sd_dc_fail_at(c, k, "URI holds characters RFC 3986 does not allow");
	memcpy(dst, s, json_string_length(j) + 1);
	return 1;
}

int sd_dc_uri_last_uuid(struct sd_dctx *c, const char *uri,
			char dst[SD_UUID_STRLEN])
{
	size_t end = strcspn(uri, "?#");
	size_t start;

	while (end > 0 && uri[end - 1] == '/')
		end--;
	start = end;
	while (start > 0 && uri[start - 1] != '/')
		start--;
	if (end - start != SD_UUID_STRLEN - 1)
		return sd_dc_fail(c, "last path segment is not an nfInstanceId (UUID)");
	memcpy(dst, uri + start, SD_UUID_STRLEN - 1);
	dst[SD_UUID_STRLEN - 1] = '\0';
	if (!sd_is_uuid(dst)) {
		dst[0] = '\0';
		return sd_dc_fail(c, "last path segment is not an nfInstanceId (UUID)");
	}
	return 1;
}

/* ---- common data types ----------------------------------------------- */

int sd_dc_snssai(struct sd_dctx *c, const json_t *j, struct sd_snssai *out)
{
	const char *why = NULL;
	if (!sd_snssai_from_json(j, out, &why))
		return sd_dc_fail(c, "%s", why ? why : "invalid Snssai");
	return 1;
}

static bool hexstr(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (!isxdigit(ch))
			return false;
		v = (v << 4) | (uint64_t)(isdigit(ch) ? ch - '0' : (tolower(ch) - 'a' + 10));
	}
	*out = v;
	return true;
}

int sd_dc_plmn(struct sd_dctx *c, const json_t *j, struct sd_plmn *out)
{
	const json_t *mcc, *mnc;
	const char *s;
	size_t n;

	if (!json_is_object(j))
		return sd_dc_fail(c, "PlmnId must be an object");
	if (sd_dc_get(c, j, "mcc", SD_DC_STR, true, &mcc) < 0 ||
	    sd_dc_get(c, j, "mnc", SD_DC_STR, true, &mnc) < 0)
		return -1;
	s = json_string_value(mcc);
	if (json_string_length(mcc) != 3 || !digits(s, 3))
		return sd_dc_fail_at(c, "mcc", "must be 3 digits");
	memcpy(out->mcc, s, 4);
	s = json_string_value(mnc);
	n = json_string_length(mnc);
	if ((n != 2 && n != 3) || !digits(s, (int)n))
		return sd_dc_fail_at(c, "mnc", "must be 2 or 3 digits");
	memcpy(out->mnc, s, n + 1);
	return 1;
}

int sd_dc_tai(struct sd_dctx *c, const json_t *j, struct sd_plmn *plmn,
	      uint32_t *tac)
{
	const json_t *p, *t;
	size_t m, n;
	uint64_t v;
	int r;

	if (!json_is_object(j))
		return sd_dc_fail(c, "Tai must be an object");
	if (sd_dc_get(c, j, "plmnId", SD_DC_OBJ, true, &p) < 0 ||
	    sd_dc_get(c, j, "tac", SD_DC_STR, true, &t) < 0)
		return -1;
	m = sd_dc_push_key(c, "plmnId");
	r = sd_dc_plmn(c, p, plmn);
	sd_dc_pop(c, m);
	if (r < 0)
		return -1;
	n = json_string_length(t);
	if ((n != 4 && n != 6) || !hexstr(json_string_value(t), n, &v))
		return sd_dc_fail_at(c, "tac", "must be 4 or 6 hex digits");
	*tac = (uint32_t)v;
	return 1;
}

int sd_dc_ncgi(struct sd_dctx *c, const json_t *j, uint64_t *nci)
{
	const json_t *p, *id;
	struct sd_plmn plmn;
	size_t m;
	int r;

	if (!json_is_object(j))
		return sd_dc_fail(c, "Ncgi must be an object");
	if (sd_dc_get(c, j, "plmnId", SD_DC_OBJ, true, &p) < 0 ||
	    sd_dc_get(c, j, "nrCellId", SD_DC_STR, true, &id) < 0)
		return -1;
	m = sd_dc_push_key(c, "plmnId");
	r = sd_dc_plmn(c, p, &plmn);
	sd_dc_pop(c, m);
	if (r < 0)
		return -1;
	if (json_string_length(id) != 9 || !hexstr(json_string_value(id), 9, nci))
		return sd_dc_fail_at(c, "nrCellId", "must be 9 hex digits");
	return 1;
}

int sd_dc_ipv4(struct sd_dctx *c, const json_t *j, char *dst, size_t dstsz)
{
	struct in_addr a;
	if (!json_is_string(j) || inet_pton(AF_INET, json_string_value(j), &a) != 1)
		return sd_dc_fail(c, "must be a dotted-decimal IPv4 address");
	sd_strlcpy(dst, json_string_value(j), dstsz);
	return 1;
}

int sd_dc_ipv6(struct sd_dctx *c, const json_t *j, char *dst, size_t dstsz)
{
	struct in6_addr a;
	if (!json_is_string(j) || json_string_length(j) >= dstsz ||
	    inet_pton(AF_INET6, json_string_value(j), &a) != 1)
		return sd_dc_fail(c, "must be an IPv6 address");
	sd_strlcpy(dst, json_string_value(j), dstsz);
	return 1;
}

/* Host names as RFC 1123 labels; the spec's stricter pattern (alphabetic
 * TLD, length >= 4) is not enforced so lab names like "nrf" pass. */
int sd_dc_fqdn(struct sd_dctx *c, const json_t *j, char *dst, size_t dstsz)
{
	const char *s;
	size_t n, i, label = 0;

	if (!json_is_string(j))
		return sd_dc_fail(c, "must be a string");
	s = json_string_value(j);
	n = json_string_length(j);
	if (n == 0 || n > 253 || n >= dstsz)
		return sd_dc_fail(c, "FQDN must be 1-253 characters");
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '.') {
			if (label == 0 || s[i - 1] == '-')
				return sd_dc_fail(c, "FQDN has an empty or malformed label");
			label = 0;
			continue;
		}
		if (!isalnum(ch) && ch != '-')
			return sd_dc_fail(c, "FQDN may hold only letters, digits, '-' and '.'");
		if ((ch == '-' && label == 0) || ++label > 63)
			return sd_dc_fail(c, "FQDN has an empty or malformed label");
	}
	if (label && s[n - 1] == '-')
		return sd_dc_fail(c, "FQDN has an empty or malformed label");
	memcpy(dst, s, n + 1);
	return 1;
}

int sd_dc_area(struct sd_dctx *c, const json_t *j, struct sd_nwdaf_area *a)
{
	const json_t *arr, *v;
	struct sd_plmn plmn;
	size_t i, m;

	memset(a, 0, sizeof *a);
	if (!json_is_object(j))
		return sd_dc_fail(c, "NetworkAreaInfo must be an object");
	if (sd_dc_arr(c, j, "tais", false, true, &arr) < 0)
		return -1;
	json_array_foreach(arr, i, v) {
		uint32_t tac;
		m = sd_dc_push_key(c, "tais");
		sd_dc_push_idx(c, i);
		if (sd_dc_tai(c, v, &plmn, &tac) < 0)
			return -1;
		if (a->ntacs < SD_NWDAF_MAX_AREA)
			a->tacs[a->ntacs++] = tac;
		else if (i == SD_NWDAF_MAX_AREA)
			sd_dc_note(c, "more than %d TAIs, kept the first %d",
				   SD_NWDAF_MAX_AREA, SD_NWDAF_MAX_AREA);
		sd_dc_pop(c, m);
	}
	if (sd_dc_arr(c, j, "ncgis", false, true, &arr) < 0)
		return -1;
	json_array_foreach(arr, i, v) {
		uint64_t nci;
		m = sd_dc_push_key(c, "ncgis");
		sd_dc_push_idx(c, i);
		if (sd_dc_ncgi(c, v, &nci) < 0)
			return -1;
		if (a->nncis < SD_NWDAF_MAX_AREA)
			a->ncis[a->nncis++] = nci;
		else if (i == SD_NWDAF_MAX_AREA)
			sd_dc_note(c, "more than %d NCGIs, kept the first %d",
				   SD_NWDAF_MAX_AREA, SD_NWDAF_MAX_AREA);
		sd_dc_pop(c, m);
	}
	return 1;
}

void sd_dc_snssai_add(struct sd_dctx *c, struct sd_snssai *set, int *n,
		      int cap, const struct sd_snssai *s, bool *noted)
{
	int i;
	if (*n >= cap) {
		/* full: no more scanning (a profile listing 100,000 would cost
		 * cap compares per entry) */
		if (!*noted) {
			*noted = true;
			sd_dc_note(c, "more than %d S-NSSAIs listed, kept the first %d distinct",
				   cap, cap);
		}
		return;
	}
	for (i = 0; i < *n; i++)
		if (sd_snssai_equal(&set[i], s))
			return;
	set[(*n)++] = *s;
}

/* core/util.h — allocation, strings, time, bounded buffers.
 *
 * One allocation wrapper for the whole program. Out of memory is fatal by
 * design: every sd_* allocator prints "slicedeck: out of memory (N bytes)"
 * and aborts, and callers never check for NULL. What the engine holds is
 * bounded by caps on every peer-supplied size and count (lines, bodies,
 * rows, NF lists), so an allocation that fails means the machine is out of
 * memory, where unwinding half-built state is more dangerous than a restart
 * by the service manager. (An earlier "fail the Nth _try allocation" hook
 * had no caller and is gone.)
 *
 * Peer input is parsed by jansson, whose allocations may fail and are
 * reported as errors: tests/unit/test_allocfail.c fails jansson's Nth
 * allocation on the IPC request and SBI decode paths and checks that each
 * returns an error and leaks nothing. The configuration's parser and loader
 * allocate through sd_malloc, which aborts.
 */
#ifndef SD_UTIL_H
#define SD_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SD_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

void *sd_malloc(size_t n);
void *sd_calloc(size_t nmemb, size_t size);
void *sd_realloc(void *p, size_t n);
void *sd_reallocarray(void *p, size_t nmemb, size_t size);
char *sd_strdup(const char *s);
char *sd_strndup(const char *s, size_t n);
char *sd_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void  sd_free(void *p);

/* Copy at most dstsz-1 bytes and always terminate. Returns strlen(src) so
 * truncation is detectable (>= dstsz). */
size_t sd_strlcpy(char *dst, const char *src, size_t dstsz);

/* Case-sensitive string equality tolerant of NULL. */
bool sd_streq(const char *a, const char *b);

/* Parse a whole decimal integer in [min,max]; false on junk or range. */
bool sd_parse_ll(const char *s, long long min, long long max, long long *out);

/* Time. Monotonic milliseconds for timers and ages; wall-clock for stamps. */
int64_t sd_now_ms(void);      /* CLOCK_MONOTONIC */
int64_t sd_wall_ms(void);     /* CLOCK_REALTIME, ms since the epoch */
/* RFC 3339 UTC with milliseconds: 2026-11-23T19:14:06.123Z (buf >= 32). */
void    sd_fmt_time(int64_t wall_ms, char *buf, size_t bufsz);
/* A measured value or target with as many significant digits as it needs
 * (3 to 10: the fewest that give it back within 1e-8 of itself):
 * 99.99 "99.99", 99.9999 "99.9999", 1e-06 "1e-06", 100 "100", never a
 * rounded "100" for 99.9999 or "0.000" for 1e-06. NaN/inf as "-". Returns buf. */
char   *sd_fmt_sig(double v, char *buf, size_t bufsz);

/* Make peer-supplied text safe for a terminal or a log: control characters
 * (C0, DEL, C1, and ESC sequences) become '?', invalid UTF-8 bytes become
 * '?'; the result is truncated to dstsz-1 bytes on a character boundary. */
void sd_sanitize(char *dst, size_t dstsz, const char *src, size_t srclen);

/* A malloc'd copy of s where each byte sd_sanitize would replace is written
 * \xNN instead (ESC -> "\x1b"), and a backslash "\\": for messages that
 * quote file names or text the user wrote, so the terminal shows what the
 * bytes were without obeying them. */
char   *sd_escape_dup(const char *s);

/* A growable byte buffer with a hard cap (curl's dynbuf idea). Appending
 * past the cap fails and leaves the buffer as it was. */
struct sd_buf {
	char  *data;   /* always NUL-terminated when len > 0 */
	size_t len;
	size_t cap;    /* allocated */
	size_t max;    /* hard limit on len */
};
void sd_buf_init(struct sd_buf *b, size_t max);
void sd_buf_done(struct sd_buf *b);
void sd_buf_reset(struct sd_buf *b);
int  sd_buf_add(struct sd_buf *b, const void *data, size_t n);  /* 0 or -1 */
int  sd_buf_addf(struct sd_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int  sd_buf_addstr(struct sd_buf *b, const char *s);
/* Drop the first n bytes. */
void sd_buf_consume(struct sd_buf *b, size_t n);

/* Percent-encode for a URI path segment or query value (RFC 3986
 * unreserved kept). Returns a new string. */
char *sd_uri_escape(const char *s);

/* An nfInstanceId / subscription id that goes into a URI path: a UUID in
 * canonical 8-4-4-4-12 hex form. */
bool sd_is_uuid(const char *s);

#endif

/* core/util.c — see util.h. */
#include "core/util.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void oom(size_t n)
{
	fprintf(stderr, "slicedeck: out of memory (%zu bytes)\n", n);
	abort();
}

void *sd_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

void *sd_calloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (!p)
		oom(nmemb * size);
	return p;
}

void *sd_realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom(n);
	return q;
}

void *sd_reallocarray(void *p, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size)
		oom(SIZE_MAX);
	return sd_realloc(p, nmemb * size);
}

char *sd_strdup(const char *s)
{
	return sd_strndup(s, strlen(s));
}

char *sd_strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *d = sd_malloc(len + 1);
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

char *sd_printf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		oom(0);
	va_end(ap);
	return s;
}

void sd_free(void *p) { free(p); }

size_t sd_strlcpy(char *dst, const char *src, size_t dstsz)
{
	size_t len = strlen(src);
	if (dstsz) {
		size_t n = len < dstsz - 1 ? len : dstsz - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

bool sd_streq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

bool sd_parse_ll(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;
	if (!s || !*s || isspace((unsigned char)*s))
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

static int64_t clock_ms(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t sd_now_ms(void) { return clock_ms(CLOCK_MONOTONIC); }
int64_t sd_wall_ms(void) { return clock_ms(CLOCK_REALTIME); }

char *sd_fmt_sig(double v, char *buf, size_t bufsz)
{
	int p;
	if (!bufsz)
		return buf;
	if (v != v || v - v != 0) {   /* NaN, inf */
		snprintf(buf, bufsz, "-");
		return buf;
	}
	for (p = 3; p <= 10; p++) {
		double back;
		snprintf(buf, bufsz, "%.*g", p, v);
		back = strtod(buf, NULL);
		if ((back - v <= 0 ? v - back : back - v) <= (v < 0 ? -v : v) * 1e-8)
			break;
	}
	return buf;
}

void sd_fmt_time(int64_t wall_ms, char *buf, size_t bufsz)
{
	time_t t = (time_t)(wall_ms / 1000);
	struct tm tm;
	char tmp[24];
	gmtime_r(&t, &tm);
	strftime(tmp, sizeof tmp, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, bufsz, "%s.%03dZ", tmp, (int)(wall_ms % 1000));
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when invalid. */
static size_t utf8_len(const unsigned char *s, size_t avail)
{
	size_t n, i;
	uint32_t cp;
	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) { n = 2; cp = s[0] & 0x1f; }
	else if ((s[0] & 0xf0) == 0xe0) { n = 3; cp = s[0] & 0x0f; }
	else if ((s[0] & 0xf8) == 0xf0) { n = 4; cp = s[0] & 0x07; }
	else return 0;
	if (n > avail)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* overlong, surrogates, out of range, C1 controls */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp < 0xa0))
		return 0;
	return n;
}

char *sd_escape_dup(const char *src)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t len = strlen(src), i = 0, o = 0;
	char *d = sd_malloc(len * 4 + 1);
	while (i < len) {
		size_t n = utf8_len(s + i, len - i);
		if (n == 1 && (s[i] < 0x20 || s[i] == 0x7f))
			n = 0;
		if (n == 0 || s[i] == '\\') {
			if (s[i] == '\\') {
				d[o++] = '\\';
				d[o++] = '\\';
			} else {
				o += (size_t)sprintf(d + o, "\\x%02x", s[i]);
			}
			i++;
			continue;
		}
		memcpy(d + o, s + i, n);
		o += n;
		i += n;
	}
	d[o] = '\0';
	return d;
}

void sd_sanitize(char *dst, size_t dstsz, const char *src, size_t srclen)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t i = 0, o = 0;
	if (!dstsz)
		return;
	while (i < srclen && s[i]) {
		size_t n = utf8_len(s + i, srclen - i);
		if (n == 1 && (s[i] < 0x20 || s[i] == 0x7f))
			n = 0;
		if (n == 0) {
			if (o + 1 >= dstsz)
				break;
			dst[o++] = '?';
			i++;
			continue;
		}
		if (o + n >= dstsz)
			break;
		memcpy(dst + o, s + i, n);
		o += n;
		i += n;
	}
	dst[o] = '\0';
}

void sd_buf_init(struct sd_buf *b, size_t max)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->max = max;
}

void sd_buf_done(struct sd_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void sd_buf_reset(struct sd_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

int sd_buf_add(struct sd_buf *b, const void *data, size_t n)
{
	if (n > b->max || b->len > b->max - n)
		return -1;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		b->data = sd_realloc(b->data, cap);
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int sd_buf_addstr(struct sd_buf *b, const char *s)
{
	return sd_buf_add(b, s, strlen(s));
}

int sd_buf_addf(struct sd_buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n, rc;
	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	rc = sd_buf_add(b, s, (size_t)n);
	free(s);
	return rc;
}

void sd_buf_consume(struct sd_buf *b, size_t n)
{
	if (n >= b->len) {
		sd_buf_reset(b);
		return;
	}
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
	b->data[b->len] = '\0';
}

char *sd_uri_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s), o = 0;
	char *d = sd_malloc(n * 3 + 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
			d[o++] = (char)c;
		} else {
			d[o++] = '%';
			d[o++] = hex[c >> 4];
			d[o++] = hex[c & 15];
		}
	}
	d[o] = '\0';
	return d;
}

bool sd_is_uuid(const char *s)
{
	static const int dash[] = { 8, 13, 18, 23 };
	size_t i, k = 0;
	if (!s || strlen(s) != 36)
		return false;
	for (i = 0; i < 36; i++) {
		if (k < 4 && (int)i == dash[k]) {
			if (s[i] != '-')
				return false;
			k++;
		} else if (!isxdigit((unsigned char)s[i])) {
			return false;
		}
	}
	return true;
}

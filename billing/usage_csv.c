/* billing/usage_csv.c — see usage_csv.h. */
#include "billing/usage_csv.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "billing/chf_decode.h"
#include "core/util.h"

enum col { C_TIME, C_SLICE, C_UL, C_DL, C_TOTAL, C_SECONDS, C_RG, C_NOTE, C_COUNT };
static const char *const col_names[C_COUNT] = {
	"time", "slice", "ul_bytes", "dl_bytes", "total_bytes", "seconds", "rating_group", "note"
};
static const bool col_required[C_COUNT] = { true, true, true, true };

#define MAX_FIELDS 16
#define FIELD_MAX  256

void sd_usage_csv_error(struct sd_usage_csv *c, const char *name, int line, const char *field,
			const char *fmt, ...)
{
	char msg[256], shown_name[128];
	va_list ap;
	c->problems++;
	if (c->nerrors > SD_USAGE_CSV_MAX_ERRORS)
		return;
	c->errors = sd_reallocarray(c->errors, ++c->nerrors, sizeof *c->errors);
	sd_sanitize(shown_name, sizeof shown_name, name, strlen(name));
	if (c->nerrors == SD_USAGE_CSV_MAX_ERRORS + 1) {
		c->errors[c->nerrors - 1] = sd_printf("%s: more problems not shown", shown_name);
		return;
	}
	char raw[256];
	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	/* the message quotes fields, which may hold any byte */
	sd_sanitize(msg, sizeof msg, raw, strlen(raw));
	if (field && field[0])
		c->errors[c->nerrors - 1] = sd_printf("%s:%d: %s: %s", shown_name, line, field, msg);
	else
		c->errors[c->nerrors - 1] = sd_printf("%s:%d: %s", shown_name, line, msg);
}

/* One line split into fields; quoted fields unquoted. -1 with why. */
static int split(const char *p, size_t n, char f[][FIELD_MAX], int *nf, const char **why)
{
	size_t i = 0;
	*nf = 0;
	for (;;) {
		size_t k = 0;
		if (*nf == MAX_FIELDS) {
			*why = "more than 16 fields";
			return -1;
		}
		if (i < n && p[i] == '"') {
			i++;
			for (;;) {
				if (i >= n) {
					*why = "a quoted field is not closed";
					return -1;
				}
				if (p[i] == '"') {
					if (i + 1 < n && p[i + 1] == '"') {
						i++;
					} else {
						i++;
						break;
					}
				}
				if (k + 1 >= FIELD_MAX) {
					*why = "a field is longer than 255 bytes";
					return -1;
				}
				f[*nf][k++] = p[i++];
			}
			if (i < n && p[i] != ',') {
				*why = "text after a closing quote";
				return -1;
			}
		} else {
			while (i < n && p[i] != ',') {
				if (p[i] == '"') {
					*why = "a quote inside an unquoted field";
					return -1;
				}
				if (k + 1 >= FIELD_MAX) {
					*why = "a field is longer than 255 bytes";
					return -1;
				}
				f[*nf][k++] = p[i++];
			}
		}
		f[*nf][k] = '\0';
		(*nf)++;
		if (i >= n)
			return 0;
		i++;   /* the comma */
	}
}

static bool clean(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* A non-negative integer up to max; false when it is not one. */
static bool uint_field(const char *s, int64_t max, int64_t *out)
{
	long long v;
	if (!*s || *s == '+' || *s == '-' || *s == ' ')
		return false;
	if (!sd_parse_ll(s, 0, max, &v))
		return false;
	*out = v;
	return true;
}

static bool slice_id_ok(const char *s)
{
	size_t n = strlen(s), i;
	if (n == 0 || n >= 64)
		return false;
	for (i = 0; i < n; i++) {
		char ch = s[i];
		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      ch == '-' || ch == '_' || ch == '.'))
			return false;
	}
	return true;
}

static void parse_row(struct sd_usage_csv *c, const char *name, int line, const int *pos,
		      char f[][FIELD_MAX], int nf, size_t *cap, sd_usage_slice_fn known,
		      void *known_arg)
{
	struct sd_usage_row r;
	size_t before = c->problems;
	int64_t v;
	memset(&r, 0, sizeof r);
	r.line = line;
#define FIELD(col) (pos[col] >= 0 && pos[col] < nf ? f[pos[col]] : "")
	if (!sd_chf_parse_time(FIELD(C_TIME), &r.time_ms))
		sd_usage_csv_error(c, name, line, "time", "\"%s\" is not an RFC 3339 time such as "
				   "2026-11-03T08:00:00Z", FIELD(C_TIME));
	if (!slice_id_ok(FIELD(C_SLICE)))
		sd_usage_csv_error(c, name, line, "slice", "\"%s\" is not a slice id", FIELD(C_SLICE));
	else if (known && !known(known_arg, FIELD(C_SLICE)))
		sd_usage_csv_error(c, name, line, "slice", "unknown slice \"%s\"", FIELD(C_SLICE));
	else
		sd_strlcpy(r.slice, FIELD(C_SLICE), sizeof r.slice);
	if (!uint_field(FIELD(C_UL), SD_CHF_MAX_VOLUME, &r.ul))
		sd_usage_csv_error(c, name, line, "ul_bytes", "\"%s\" is not a byte count 0..%lld",
				   FIELD(C_UL), (long long)SD_CHF_MAX_VOLUME);
	if (!uint_field(FIELD(C_DL), SD_CHF_MAX_VOLUME, &r.dl))
		sd_usage_csv_error(c, name, line, "dl_bytes", "\"%s\" is not a byte count 0..%lld",
				   FIELD(C_DL), (long long)SD_CHF_MAX_VOLUME);
	r.total = r.ul + r.dl;
	if (pos[C_TOTAL] >= 0 && FIELD(C_TOTAL)[0]) {
		if (!uint_field(FIELD(C_TOTAL), 2 * SD_CHF_MAX_VOLUME, &v))
			sd_usage_csv_error(c, name, line, "total_bytes", "\"%s\" is not a byte count",
					   FIELD(C_TOTAL));
		else if (c->problems == before && v != r.total)
			sd_usage_csv_error(c, name, line, "total_bytes", "%lld is not ul_bytes + "
					   "dl_bytes (%lld)", (long long)v, (long long)r.total);
	}
	if (pos[C_SECONDS] >= 0 && FIELD(C_SECONDS)[0] &&
	    !uint_field(FIELD(C_SECONDS), 100LL * 366 * 86400, &r.seconds))
		sd_usage_csv_error(c, name, line, "seconds", "\"%s\" is not a number of seconds",
				   FIELD(C_SECONDS));
	if (pos[C_RG] >= 0 && FIELD(C_RG)[0]) {
		if (!uint_field(FIELD(C_RG), 4294967295LL, &v))
			sd_usage_csv_error(c, name, line, "rating_group", "\"%s\" is not 0..4294967295",
					   FIELD(C_RG));
		else
			r.rating_group = (uint32_t)v;
	}
	if (pos[C_NOTE] >= 0 && !clean(FIELD(C_NOTE)))
		sd_usage_csv_error(c, name, line, "note", "control characters");
#undef FIELD
	if (c->problems)
		return;   /* the file yields nothing now: only the problems count */
	if (c->nrows == SD_USAGE_CSV_MAX_ROWS) {
		sd_usage_csv_error(c, name, line, "", "more than %d rows; split the file",
				   SD_USAGE_CSV_MAX_ROWS);
		return;
	}
	if (c->nrows == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		c->rows = sd_reallocarray(c->rows, *cap, sizeof *c->rows);
	}
	c->rows[c->nrows++] = r;
}

int sd_usage_csv_parse(const char *name, const char *text, size_t len,
		       sd_usage_slice_fn known, void *known_arg, struct sd_usage_csv *out)
{
	char f[MAX_FIELDS][FIELD_MAX];
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	int pos[C_COUNT], nf = 0, line = 0, k, i, nheader = 0;
	size_t off = 0, cap = 0;
	bool header = false;
	const char *why;

	memset(out, 0, sizeof *out);
	if (len > SD_USAGE_CSV_MAX_BYTES) {
		sd_usage_csv_error(out, name, 0, "", "the file is over %d MiB; split it",
				   SD_USAGE_CSV_MAX_BYTES >> 20);
		return -1;
	}
	EVP_Digest(text, len, md, &mdlen, EVP_sha256(), NULL);
	for (k = 0; k < 32; k++)
		snprintf(out->digest + 2 * k, 3, "%02x", md[k]);
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		off = 3;
	for (k = 0; k < C_COUNT; k++)
		pos[k] = -1;
	while (off < len && out->problems <= SD_USAGE_CSV_MAX_ERRORS) {
		const char *p = text + off, *nl = memchr(p, '\n', len - off);
		size_t n = nl ? (size_t)(nl - p) : len - off;
		off += n + (nl ? 1 : 0);
		line++;
		if (n && p[n - 1] == '\r')
			n--;
		if (memchr(p, '\0', n)) {
			sd_usage_csv_error(out, name, line, "", "a NUL byte");
			continue;
		}
		if (n == 0)
			continue;
		if (split(p, n, f, &nf, &why) < 0) {
			sd_usage_csv_error(out, name, line, "", "%s", why);
			if (!header)
				break;
			continue;
		}
		if (!header) {
			header = true;
			for (i = 0; i < nf; i++) {
				for (k = 0; k < C_COUNT && strcmp(f[i], col_names[k]) != 0; k++)
					;
				if (k == C_COUNT) {
					char shown[64];
					sd_sanitize(shown, sizeof shown, f[i], strlen(f[i]));
					sd_usage_csv_error(out, name, line, shown, "unknown column (time, "
							   "slice, ul_bytes, dl_bytes, total_bytes, "
							   "seconds, rating_group, note)");
				} else if (pos[k] >= 0) {
					sd_usage_csv_error(out, name, line, col_names[k], "named twice");
				} else {
					pos[k] = i;
				}
			}
			for (k = 0; k < C_COUNT; k++)
				if (col_required[k] && pos[k] < 0)
					sd_usage_csv_error(out, name, line, col_names[k],
							   "required column missing");
			if (out->problems)
				break;
			nheader = nf;
			continue;
		}
		if (nf != nheader) {
			sd_usage_csv_error(out, name, line, "", "%d fields, the header has %d", nf,
					   nheader);
			continue;
		}
		parse_row(out, name, line, pos, f, nf, &cap, known, known_arg);
	}
	if (!header && !out->problems)
		sd_usage_csv_error(out, name, line ? line : 1, "", "no header line (time, slice, "
				   "ul_bytes, dl_bytes, ...)");
	if (out->problems) {
		free(out->rows);
		out->rows = NULL;
		out->nrows = 0;
		return -1;
	}
	return 0;
}

void sd_usage_csv_done(struct sd_usage_csv *c)
{
	size_t i;
	if (!c)
		return;
	for (i = 0; i < c->nerrors; i++)
		free(c->errors[i]);
	free(c->errors);
	free(c->rows);
	memset(c, 0, sizeof *c);
}

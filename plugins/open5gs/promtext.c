/* plugins/open5gs/promtext.c — see promtext.h. */
#include "plugins/open5gs/promtext.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* One metric family, by name, in a hash table (open addressing). */
struct fam {
	char *name;
	enum prom_type type;
	int has_help, has_type;
	int samples;               /* samples seen */
	int closed;                /* strict: another family's samples came after */
};

/* strict: a histogram's bucket run for one label set */
struct hist {
	char key[1024];            /* the labels but le, serialised */
	int active;
	double last_le, last_count, inf_count;
	int seen_inf;
};

struct parser {
	int flags;
	int line;
	char *err;
	size_t errsz;
	struct fam *fams;
	size_t nfams, capfams;
	struct fam *cur;           /* the family of the last line about one */
	char **series;             /* strict: series keys seen (hash set) */
	size_t nseries, capseries;
	struct hist h;
	char buf[PROM_MAX_LINE + 1];
	char base[PROM_MAX_LINE + 1];   /* family_of's scratch */
};

static const char *const type_names[] = {
	[PROM_UNTYPED] = "untyped", [PROM_COUNTER] = "counter", [PROM_GAUGE] = "gauge",
	[PROM_HISTOGRAM] = "histogram", [PROM_SUMMARY] = "summary",
};

const char *prom_type_name(enum prom_type t)
{
	return (unsigned)t <= PROM_SUMMARY ? type_names[t] : "?";
}

const char *prom_label(const struct prom_sample *s, const char *name)
{
	int i;
	for (i = 0; i < s->nlabels; i++)
		if (!strcmp(s->labels[i].name, name))
			return s->labels[i].value;
	return NULL;
}

static int bad(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(struct parser *p, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (p->errsz)
		snprintf(p->err, p->errsz, "line %d: %s", p->line, msg);
	return -1;
}

static uint64_t fnv(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

/* --- the family table ------------------------------------------------------ */

static struct fam *fam_find(struct parser *p, const char *name)
{
	size_t i;
	if (!p->capfams)
		return NULL;
	for (i = fnv(name) & (p->capfams - 1); p->fams[i].name; i = (i + 1) & (p->capfams - 1))
		if (!strcmp(p->fams[i].name, name))
			return &p->fams[i];
	return NULL;
}

static int fam_grow(struct parser *p)
{
	size_t cap = p->capfams ? p->capfams * 2 : 64, i, j;
	struct fam *n = calloc(cap, sizeof *n);
	if (!n)
		return -1;
	for (i = 0; i < p->capfams; i++) {
		if (!p->fams[i].name)
			continue;
		for (j = fnv(p->fams[i].name) & (cap - 1); n[j].name; j = (j + 1) & (cap - 1))
			;
		n[j] = p->fams[i];
	}
	if (p->cur)
		p->cur = NULL;   /* re-found by name by the caller */
	free(p->fams);
	p->fams = n;
	p->capfams = cap;
	return 0;
}

static struct fam *fam_add(struct parser *p, const char *name)
{
	size_t i;
	char *curname = p->cur ? p->cur->name : NULL;
	if ((p->nfams + 1) * 2 > p->capfams) {
		if (fam_grow(p) < 0)
			return NULL;
		if (curname)
			p->cur = fam_find(p, curname);
	}
	for (i = fnv(name) & (p->capfams - 1); p->fams[i].name; i = (i + 1) & (p->capfams - 1))
		;
	p->fams[i].name = strdup(name);
	if (!p->fams[i].name)
		return NULL;
	p->nfams++;
	return &p->fams[i];
}

/* strict: a series key seen before? (adds it) 1 = duplicate, -1 = no memory */
static int series_seen(struct parser *p, const char *key)
{
	size_t i;
	if ((p->nseries + 1) * 2 > p->capseries) {
		size_t cap = p->capseries ? p->capseries * 2 : 256, j;
		char **n = calloc(cap, sizeof *n);
		if (!n)
			return -1;
		for (i = 0; i < p->capseries; i++) {
			if (!p->series[i])
				continue;
			for (j = fnv(p->series[i]) & (cap - 1); n[j]; j = (j + 1) & (cap - 1))
				;
			n[j] = p->series[i];
		}
		free(p->series);
		p->series = n;
		p->capseries = cap;
	}
	for (i = fnv(key) & (p->capseries - 1); p->series[i]; i = (i + 1) & (p->capseries - 1))
		if (!strcmp(p->series[i], key))
			return 1;
	p->series[i] = strdup(key);
	if (!p->series[i])
		return -1;
	p->nseries++;
	return 0;
}

/* --- tokens ---------------------------------------------------------------- */

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static char *skip_blank(char *s)
{
	while (is_blank(*s))
		s++;
	return s;
}

/* a metric name [a-zA-Z_:][a-zA-Z0-9_:]*; a label name without ':' */
static size_t name_len(const char *s, int colon)
{
	size_t n = 0;
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_' ||
	      (colon && s[0] == ':')))
		return 0;
	for (n = 1; (s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') || s[n] == '_' ||
		    (s[n] >= '0' && s[n] <= '9') || (colon && s[n] == ':'); n++)
		;
	return n;
}

/* Whether s[0..n) is valid UTF-8 (no overlong forms, no surrogates). */
static int utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t k;
		unsigned cp;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			k = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			k = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			k = 3, cp = c & 0x07;
		else
			return 0;
		for (size_t j = 1; j <= k; j++) {
			if (i + j >= n || (s[i + j] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + j] & 0x3f);
		}
		if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += k + 1;
	}
	return 1;
}

/* A float in Go's ParseFloat syntax as the format uses it: decimal, or
 * NaN / Inf with an optional sign, case-insensitive. */
static int parse_value(const char *tok, double *v)
{
	const char *t = tok;
	char *end;
	int digit = 0;
	if (!strcasecmp(tok, "nan")) {
		*v = NAN;
		return 0;
	}
	if (*t == '+' || *t == '-')
		t++;
	if (!strcasecmp(t, "inf") || !strcasecmp(t, "infinity")) {
		*v = *tok == '-' ? -INFINITY : INFINITY;
		return 0;
	}
	for (t = tok; *t; t++) {
		if (*t >= '0' && *t <= '9')
			digit = 1;
		else if (!strchr(".eE+-", *t))
			return -1;
	}
	if (!digit)
		return -1;
	errno = 0;
	*v = strtod(tok, &end);
	if (*end || end == tok)
		return -1;
	/* an overflow is +-Inf, an underflow a denormal or 0: both as Go */
	return 0;
}

static int parse_ts(const char *tok, int64_t *ts)
{
	const char *t = tok;
	char *end;
	long long v;
	if (*t == '-')
		t++;
	if (!*t)
		return -1;
	for (; *t; t++)
		if (*t < '0' || *t > '9')
			return -1;
	errno = 0;
	v = strtoll(tok, &end, 10);
	if (errno || *end)
		return -1;
	*ts = v;
	return 0;
}

/* Unescape a HELP text in place: \\ and \n. */
static int unescape_help(struct parser *p, char *s)
{
	char *o = s;
	for (; *s; s++) {
		if (*s != '\\') {
			*o++ = *s;
			continue;
		}
		s++;
		if (*s == '\\')
			*o++ = '\\';
		else if (*s == 'n')
			*o++ = '\n';
		else
			return bad(p, "HELP text: unknown escape \\%c (only \\\\ and \\n)",
				   *s ? *s : '?');
	}
	*o = 0;
	return 0;
}

/* --- lines ------------------------------------------------------------------ */

static int end_family(struct parser *p);

/* "# HELP name text", "# TYPE name type", or a comment */
static int comment_line(struct parser *p, char *s)
{
	char *kw, *name, *rest;
	size_t n;
	struct fam *f;
	int is_help;
	s = skip_blank(s + 1);
	kw = s;
	if (!strncmp(kw, "HELP", 4) && (is_blank(kw[4]) || !kw[4]))
		is_help = 1;
	else if (!strncmp(kw, "TYPE", 4) && (is_blank(kw[4]) || !kw[4]))
		is_help = 0;
	else
		return 0;       /* a comment */
	name = skip_blank(kw + 4);
	n = name_len(name, 1);
	if (!n)
		return bad(p, "%s: expected a metric name", is_help ? "HELP" : "TYPE");
	if (name[n] && !is_blank(name[n]))
		return bad(p, "%s: bad character '%c' in the metric name", is_help ? "HELP" : "TYPE",
			   name[n]);
	rest = name[n] ? name + n + 1 : name + n;
	name[n] = 0;
	if ((p->flags & PROM_STRICT) && strchr(name, ':'))
		return bad(p, "metric name %s: ':' is for recording rules", name);
	f = fam_find(p, name);
	if (f && f != p->cur && p->cur && (p->flags & PROM_STRICT) && f->samples)
		return bad(p, "%s for %s after its samples", is_help ? "HELP" : "TYPE", name);
	if (!f && !(f = fam_add(p, name)))
		return bad(p, "out of memory");
	if (f != p->cur && end_family(p) < 0)
		return -1;
	p->cur = f;
	if (is_help) {
		if (f->has_help)
			return bad(p, "a second HELP line for %s", name);
		f->has_help = 1;
		return unescape_help(p, rest);
	}
	if (f->has_type)
		return bad(p, "a second TYPE line for %s", name);
	if (f->samples)
		return bad(p, "TYPE for %s after its samples", name);
	rest = skip_blank(rest);
	n = strcspn(rest, " \t");
	if (*skip_blank(rest + n))
		return bad(p, "TYPE %s: unexpected text after the type", name);
	rest[n] = 0;
	for (int t = 0; t <= PROM_SUMMARY; t++)
		if (!strcmp(rest, type_names[t])) {
			f->type = (enum prom_type)t;
			f->has_type = 1;
			return 0;
		}
	return bad(p, "TYPE %s: unknown type \"%.40s\" (counter, gauge, histogram, summary, "
		   "untyped)", name, rest);
}

/* The family a sample name belongs to: its own, or a histogram's or
 * summary's for the _bucket/_sum/_count suffixes. */
static struct fam *family_of(struct parser *p, const char *name, int *suffix)
{
	static const char *const sfx[] = { "_bucket", "_sum", "_count" };
	struct fam *f;
	char *base = p->base;
	size_t n = strlen(name), k;
	int i;
	*suffix = -1;
	for (i = 0; i < 3; i++) {
		k = strlen(sfx[i]);
		if (n > k && !strcmp(name + n - k, sfx[i])) {
			memcpy(base, name, n - k);
			base[n - k] = 0;
			f = fam_find(p, base);
			if (f && (f->type == PROM_HISTOGRAM || (f->type == PROM_SUMMARY && i > 0))) {
				*suffix = i;
				return f;
			}
		}
	}
	return fam_find(p, name);
}

/* strict: a histogram's buckets for one label set end with +Inf */
static int end_hist(struct parser *p)
{
	if (p->h.active && !p->h.seen_inf)
		return bad(p, "histogram %s: the buckets {%s} do not end with le=\"+Inf\"",
			   p->cur ? p->cur->name : "?", p->h.key);
	p->h.active = 0;
	return 0;
}

static int end_family(struct parser *p)
{
	if (!(p->flags & PROM_STRICT) || !p->cur)
		return 0;
	if (p->cur->type == PROM_HISTOGRAM && end_hist(p) < 0)
		return -1;
	if (p->cur->samples)
		p->cur->closed = 1;
	return 0;
}

static int strict_sample(struct parser *p, struct fam *f, int suffix, const char *name,
			 const struct prom_label *lb, int nl, double v)
{
	char key[1024 + 256];
	size_t o;
	int i, d;
	if (!f->has_help || !f->has_type)
		return bad(p, "%s: no %s line before the samples", name, f->has_help ? "TYPE" : "HELP");
	if (f->type == PROM_UNTYPED)
		return bad(p, "%s: untyped", name);
	if (f->closed)
		return bad(p, "%s: the samples of family %s are not together", name, f->name);
	if (f->type == PROM_COUNTER) {
		size_t n = strlen(name);
		if (n < 7 || strcmp(name + n - 6, "_total"))
			return bad(p, "%s: a counter's name ends in _total", name);
		if (v < 0 || isnan(v))
			return bad(p, "%s: a counter is not negative or NaN", name);
	} else if (f->type == PROM_GAUGE) {
		size_t n = strlen(name);
		if (n > 6 && !strcmp(name + n - 6, "_total"))
			return bad(p, "%s: _total is for counters", name);
	}
	if ((f->type == PROM_HISTOGRAM || f->type == PROM_SUMMARY) && suffix < 0 &&
	    f->type == PROM_HISTOGRAM)
		return bad(p, "%s: a histogram has only _bucket, _sum and _count samples", name);
	for (i = 0; i < nl; i++)
		if (lb[i].name[0] == '_' && lb[i].name[1] == '_')
			return bad(p, "%s: label %s: names starting with __ are reserved", name,
				   lb[i].name);
	/* the series key: name and labels in their order */
	o = (size_t)snprintf(key, sizeof key, "%s", name);
	for (i = 0; i < nl && o < sizeof key; i++)
		o += (size_t)snprintf(key + o, sizeof key - o, "\x1f%s\x1e%s", lb[i].name, lb[i].value);
	if (o >= sizeof key)
		return bad(p, "%s: labels too long for the strict check", name);
	d = series_seen(p, key);
	if (d < 0)
		return bad(p, "out of memory");
	if (d)
		return bad(p, "%s: the same series twice", name);
	if (f->type == PROM_HISTOGRAM) {
		char hk[1024];
		const char *le = NULL;
		size_t ho = 0;
		hk[0] = 0;
		for (i = 0; i < nl; i++) {
			if (!strcmp(lb[i].name, "le")) {
				le = lb[i].value;
				continue;
			}
			ho += (size_t)snprintf(hk + ho, ho < sizeof hk ? sizeof hk - ho : 0, "%s%s=\"%s\"",
					       ho ? "," : "", lb[i].name, lb[i].value);
			if (ho >= sizeof hk)
				return bad(p, "%s: labels too long for the strict check", name);
		}
		if (suffix == 0) {        /* _bucket */
			double lev;
			if (!le || parse_value(le, &lev) < 0 || isnan(lev))
				return bad(p, "%s: a bucket needs a numeric le label", name);
			if (!p->h.active || strcmp(p->h.key, hk)) {
				if (end_hist(p) < 0)
					return -1;
				snprintf(p->h.key, sizeof p->h.key, "%s", hk);
				p->h.active = 1;
				p->h.seen_inf = 0;
				p->h.last_le = -INFINITY;
				p->h.last_count = 0;
			} else if (p->h.seen_inf || lev <= p->h.last_le) {
				return bad(p, "%s: le=\"%s\" is not above the previous bucket", name, le);
			}
			if (v < p->h.last_count)
				return bad(p, "%s: le=\"%s\": buckets are cumulative (%g < %g)", name, le, v,
					   p->h.last_count);
			p->h.last_le = lev;
			p->h.last_count = v;
			if (isinf(lev) && lev > 0) {
				p->h.seen_inf = 1;
				p->h.inf_count = v;
			}
		} else {
			if (le)
				return bad(p, "%s: le only on buckets", name);
			if (suffix == 2) {   /* _count: after its buckets */
				if (!p->h.active || strcmp(p->h.key, hk) || !p->h.seen_inf)
					return bad(p, "%s: _count {%s} without its buckets before it", name, hk);
				if (v != p->h.inf_count)
					return bad(p, "%s: _count %g differs from the +Inf bucket %g", name, v,
						   p->h.inf_count);
			}
		}
	}
	return 0;
}

static int sample_line(struct parser *p, char *s, prom_sample_fn fn, void *arg)
{
	struct prom_label lb[PROM_MAX_LABELS];
	struct prom_sample smp;
	struct fam *f;
	char *name = s, *vtok, *ttok = NULL;
	size_t n = name_len(s, 1);
	int nl = 0, suffix, i;
	double v;
	int64_t ts = 0;
	char save;

	if (!n)
		return bad(p, "expected a metric name, a comment or a blank line");
	s += n;
	save = *s;
	if (save && save != '{' && !is_blank(save))
		return bad(p, "bad character '%c' in the metric name", save);
	*s = 0;
	if (save)
		s++;
	if (is_blank(save)) {
		s = skip_blank(s);
		if (*s == '{') {
			save = '{';
			s++;
		}
	}
	if (save == '{') {
		for (;;) {
			char *ln, *o;
			s = skip_blank(s);
			if (*s == '}') {
				s++;
				break;
			}
			ln = s;
			n = name_len(s, 0);
			if (!n)
				return bad(p, "%s: expected a label name or '}'", name);
			s += n;
			if (nl == PROM_MAX_LABELS)
				return bad(p, "%s: more than %d labels", name, PROM_MAX_LABELS);
			{
				char *q = skip_blank(s);
				if (*q != '=')
					return bad(p, "%s: label %.*s: expected '='", name, (int)n, ln);
				*s = 0;
				s = skip_blank(q + 1);
			}
			if (*s != '"')
				return bad(p, "%s: label %s: expected a quoted value", name, ln);
			o = ++s;
			lb[nl].name = ln;
			lb[nl].value = o;
			for (;;) {
				if (!*s)
					return bad(p, "%s: label %s: the value is not closed", name, ln);
				if (*s == '"')
					break;
				if (*s == '\\') {
					s++;
					if (*s == '\\' || *s == '"')
						*o++ = *s++;
					else if (*s == 'n')
						*o++ = '\n', s++;
					else
						return bad(p, "%s: label %s: unknown escape \\%c (only \\\\, \\\" "
							   "and \\n)", name, ln, *s ? *s : '?');
					continue;
				}
				*o++ = *s++;
			}
			*o = 0;
			s++;
			if (!utf8_ok((const unsigned char *)lb[nl].value, strlen(lb[nl].value)))
				return bad(p, "%s: label %s: the value is not UTF-8", name, ln);
			for (i = 0; i < nl; i++)
				if (!strcmp(lb[i].name, ln))
					return bad(p, "%s: label %s twice", name, ln);
			nl++;
			s = skip_blank(s);
			if (*s == ',') {
				s++;
				continue;
			}
			if (*s == '}') {
				s++;
				break;
			}
			return bad(p, "%s: expected ',' or '}' after label %s", name, ln);
		}
		if (!is_blank(*s))
			return bad(p, "%s: expected a blank and the value after the labels", name);
	}
	s = skip_blank(s);
	if (!*s)
		return bad(p, "%s: no value", name);
	vtok = s;
	s += strcspn(s, " \t");
	if (*s) {
		*s++ = 0;
		s = skip_blank(s);
		if (*s) {
			ttok = s;
			s += strcspn(s, " \t");
			if (*s) {
				*s++ = 0;
				if (*skip_blank(s))
					return bad(p, "%s: unexpected text after the timestamp", name);
			}
		}
	}
	if (parse_value(vtok, &v) < 0)
		return bad(p, "%s: bad value \"%.40s\"", name, vtok);
	if (ttok && parse_ts(ttok, &ts) < 0)
		return bad(p, "%s: bad timestamp \"%.40s\" (integer milliseconds)", name, ttok);
	if ((p->flags & PROM_STRICT) && strchr(name, ':'))
		return bad(p, "metric name %s: ':' is for recording rules", name);

	f = family_of(p, name, &suffix);
	if (!f && !(f = fam_add(p, name)))
		return bad(p, "out of memory");
	if (f->type == PROM_SUMMARY && suffix < 0) {
		const char *q = NULL;
		for (i = 0; i < nl; i++)
			if (!strcmp(lb[i].name, "quantile"))
				q = lb[i].value;
		double qv;
		if (!q || parse_value(q, &qv) < 0)
			return bad(p, "%s: a summary's quantile sample needs a numeric quantile label", name);
	}
	if (f->type == PROM_HISTOGRAM && suffix == 0) {
		const char *le = NULL;
		double lev;
		for (i = 0; i < nl; i++)
			if (!strcmp(lb[i].name, "le"))
				le = lb[i].value;
		if (!le || parse_value(le, &lev) < 0)
			return bad(p, "%s: a bucket needs a numeric le label", name);
	}
	if (f != p->cur) {
		if (end_family(p) < 0)
			return -1;
		p->cur = f;
	}
	if ((p->flags & PROM_STRICT) && strict_sample(p, f, suffix, name, lb, nl, v) < 0)
		return -1;
	f->samples++;
	smp = (struct prom_sample){
		.name = name, .family = f->name, .type = f->type, .labels = lb, .nlabels = nl,
		.value = v, .has_ts = ttok != NULL, .ts_ms = ts, .line = p->line,
	};
	return fn && fn(&smp, arg) ? 1 : 0;
}

int prom_parse(const char *text, size_t len, int flags, prom_sample_fn fn, void *arg,
	       char *err, size_t errsz)
{
	struct parser *p = calloc(1, sizeof *p);
	size_t at = 0, i;
	int rc = 0;
	if (errsz)
		err[0] = 0;
	if (!p) {
		if (errsz)
			snprintf(err, errsz, "out of memory");
		return -1;
	}
	p->flags = flags;
	p->err = err;
	p->errsz = errsz;
	while (at < len && rc == 0) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (text + at)) : len - at;
		char *s;
		p->line++;
		if (n > PROM_MAX_LINE) {
			rc = bad(p, "longer than %d bytes", PROM_MAX_LINE);
			break;
		}
		if (memchr(text + at, '\0', n)) {
			rc = bad(p, "a NUL byte");
			break;
		}
		memcpy(p->buf, text + at, n);
		p->buf[n] = 0;
		at += n + (nl ? 1 : 0);
		s = skip_blank(p->buf);
		if (!*s)
			continue;
		if (*s == '#')
			rc = comment_line(p, s);
		else
			rc = sample_line(p, s, fn, arg);
	}
	if (rc == 0) {
		p->line++;
		if (end_family(p) < 0)
			rc = -1;
	}
	for (i = 0; i < p->capfams; i++)
		free(p->fams[i].name);
	free(p->fams);
	for (i = 0; i < p->capseries; i++)
		free(p->series[i]);
	free(p->series);
	free(p);
	return rc;
}

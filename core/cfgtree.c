/* core/cfgtree.c — the configuration file format's parser; see cfgtree.h.
 *
 * A hand-written lexer over the whole file in memory and a recursive
 * descent parser for the grammar:
 *
 *   file     := setting*
 *   setting  := NAME ('=' | ':') value (';' | ',')?
 *   value    := scalar | STRING+ | '[' scalars? ']' | '(' values? ')'
 *             | '{' setting* '}'
 *   scalars  := scalar (',' scalar)*      all of one type
 *   values   := value (',' value)*
 *   scalar   := BOOL | INT | INT64 | HEX | HEX64 | FLOAT | STRING+
 *
 * Tokens are matched as a lexer generator would (longest match; on a tie
 * the earlier of: true, false, name, float, integer, integer64, hex,
 * hex64), which decides cases such as "0x" (0, then the name x) or "5e"
 * (5, then e). `@include "file"` is recognised at the start of a line and
 * splices that file's tokens in (relative to the include directory when
 * one is set). Lines are counted per file; a setting's line is its name's,
 * an element's the line of its token (of the token after it, for a
 * string, whose end is known only then) or of its opening bracket. An
 * error is reported at the line of the token that shows it.
 *
 * Memory: settings and strings live in arena blocks freed together by
 * config_destroy; names are interned (a zone repeats a few dozen names
 * millions of times), so a duplicate-name check compares pointers. While
 * an aggregate is open its children are gathered on a per-depth vector
 * and copied into one arena array when it closes.
 */
#include "core/cfgtree.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util.h"

#define ARENA_BLOCK   (1u << 20)
#define MAX_FILE_BYTES ((size_t)256 << 20)

static const char E_SYNTAX[] = "syntax error";
static const char E_DUP[] = "duplicate setting name";
static const char E_MIXED[] = "mismatched element type in array";
static const char E_INCLUDE[] = "cannot open include file";
static const char E_DEEP_INC[] = "include file nesting too deep";
static const char E_DEEP[] = "nesting too deep";
static const char E_BIG[] = "file too large";

/* --- arena, names ----------------------------------------------------------- */

struct block {
	struct block *next;
	size_t used, size;
	max_align_t data[];
};

struct vec {                 /* the open children of one depth */
	config_setting_t *v;
	unsigned n, cap;
	const char **set;        /* group: hash set of names when n is large */
	unsigned setcap, setn;   /* slots; names of v[] in it */
};

struct cfg_impl {
	struct block *blocks;
	const char **names;      /* interned: open addressing */
	size_t nnames, namecap;
	char **files;
	int nfiles;
	struct vec vecs[CFG_MAX_DEPTH + 1];
};

static void *arena(struct cfg_impl *im, size_t n)
{
	struct block *b = im->blocks;
	n = (n + 7) & ~(size_t)7;
	if (!b || b->size - b->used < n) {
		size_t sz = n > ARENA_BLOCK / 4 ? n : ARENA_BLOCK;
		b = sd_malloc(sizeof *b + sz);
		b->size = sz;
		b->used = 0;
		if (n > ARENA_BLOCK / 4 && im->blocks) {
			/* a large one goes behind the current block, which keeps filling */
			b->next = im->blocks->next;
			im->blocks->next = b;
		} else {
			b->next = im->blocks;
			im->blocks = b;
		}
	}
	b->used += n;
	return (char *)b->data + b->used - n;
}

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	while (n--)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

static const char *intern(struct cfg_impl *im, const char *s, size_t n)
{
	size_t i, mask;
	char *c;
	if ((im->nnames + 1) * 2 > im->namecap) {
		size_t ncap = im->namecap ? im->namecap * 2 : 256, j;
		const char **nn = sd_calloc(ncap, sizeof *nn);
		for (j = 0; j < im->namecap; j++) {
			const char *o = im->names[j];
			if (!o)
				continue;
			for (i = hash_bytes(o, strlen(o)) & (ncap - 1); nn[i]; i = (i + 1) & (ncap - 1))
				;
			nn[i] = o;
		}
		free(im->names);
		im->names = nn;
		im->namecap = ncap;
	}
	mask = im->namecap - 1;
	for (i = hash_bytes(s, n) & mask; im->names[i]; i = (i + 1) & mask)
		if (strncmp(im->names[i], s, n) == 0 && im->names[i][n] == '\0')
			return im->names[i];
	c = arena(im, n + 1);
	memcpy(c, s, n);
	c[n] = '\0';
	im->names[i] = c;
	im->nnames++;
	return c;
}

/* --- the lexer --------------------------------------------------------------- */

enum tok {
	T_EOF, T_NAME, T_EQUALS, T_COMMA, T_SEMI, T_GSTART, T_GEND, T_ASTART, T_AEND,
	T_LSTART, T_LEND, T_BOOL, T_INT, T_INT64, T_HEX, T_HEX64, T_FLOAT, T_STRING,
	T_GARBAGE, T_ERROR
};

struct src {
	char *buf;
	size_t len, pos;
	unsigned line;
	const char *name;        /* file name for settings and errors */
};

struct lexer {
	config_t *cf;
	struct cfg_impl *im;
	struct src st[CFG_MAX_INCLUDE_DEPTH + 1];
	int depth;               /* sources open */
	enum { S_INITIAL, S_COMMENT, S_STRING } state;
	struct sd_buf str;       /* the string being read */
	/* the current token */
	enum tok t;
	unsigned line;           /* the line it ends on */
	const char *file;
	const char *text;        /* NAME, numbers: in the source buffer */
	size_t tlen;
	union { int ival; long long llval; double fval; } v;
	const char *err;         /* T_ERROR */
};

static bool is_name_start(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '*';
}

static bool is_name_char(int c)
{
	return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

static bool is_digit(int c) { return c >= '0' && c <= '9'; }

static bool is_hex(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static size_t digits(const char *p, const char *end)
{
	size_t n = 0;
	while (p + n < end && is_digit(p[n]))
		n++;
	return n;
}

/* [eE][-+]?[0-9]+ at p: its length, or 0 */
static size_t exponent(const char *p, const char *end)
{
	size_t n = 1, d;
	if (p >= end || (*p != 'e' && *p != 'E'))
		return 0;
	if (p + n < end && (p[n] == '+' || p[n] == '-'))
		n++;
	d = digits(p + n, end);
	return d ? n + d : 0;
}

/* The longest float at p (0: none): [-+]?[0-9]*\.[0-9]*(exp)? or
 * [-+]?[0-9]+(\.[0-9]*)?exp */
static size_t float_len(const char *p, const char *end)
{
	size_t s = (p < end && (*p == '+' || *p == '-')) ? 1 : 0;
	size_t d1 = digits(p + s, end), a = 0, b = 0;
	const char *q = p + s + d1;
	if (q < end && *q == '.') {
		size_t d2 = digits(q + 1, end);
		a = s + d1 + 1 + d2;
		a += exponent(p + a, end);
	}
	if (d1) {
		size_t m = s + d1, e;
		if (q < end && *q == '.')
			m += 1 + digits(q + 1, end);
		e = exponent(p + m, end);
		b = e ? m + e : 0;
	}
	return a > b ? a : b;
}

/* "L" or "LL" after n chars at p: the suffix length */
static size_t long_suffix(const char *p, size_t n, const char *end)
{
	if (p + n < end && p[n] == 'L')
		return (p + n + 1 < end && p[n + 1] == 'L') ? 2 : 1;
	return 0;
}

/* A number token at p (what a lexer generator would choose); 0 if none. */
static size_t number(struct lexer *lx, const char *p, const char *end)
{
	size_t fl = float_len(p, end), il = 0, i64 = 0, hl = 0, h64 = 0, best;
	size_t s = (p < end && (*p == '+' || *p == '-')) ? 1 : 0, d = digits(p + s, end);
	char tmp[64];
	if (d) {
		il = s + d;
		i64 = long_suffix(p, il, end) ? il + long_suffix(p, il, end) : 0;
	}
	if (end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && is_hex(p[2])) {
		hl = 2;
		while (p + hl < end && is_hex(p[hl]))
			hl++;
		h64 = long_suffix(p, hl, end) ? hl + long_suffix(p, hl, end) : 0;
	}
	best = fl;
	if (il > best)
		best = il;
	if (i64 > best)
		best = i64;
	if (hl > best)
		best = hl;
	if (h64 > best)
		best = h64;
	if (!best)
		return 0;
	/* the value as libconfig 1.5 computes it, from a copy of the text */
	{
		char *txt = best < sizeof tmp ? tmp : sd_malloc(best + 1);
		memcpy(txt, p, best);
		txt[best] = '\0';
		if (best == fl) {
			lx->t = T_FLOAT;
			lx->v.fval = strtod(txt, NULL);
		} else if (best == il) {
			lx->t = T_INT;
			lx->v.ival = (int)strtol(txt, NULL, 10);
		} else if (best == i64) {
			lx->t = T_INT64;
			lx->v.llval = strtoll(txt, NULL, 10);
		} else if (best == hl) {
			lx->t = T_HEX;
			lx->v.ival = (int)strtoul(txt, NULL, 16);
		} else {
			lx->t = T_HEX64;
			lx->v.llval = (long long)strtoull(txt, NULL, 16);
		}
		if (txt != tmp)
			free(txt);
	}
	return best;
}

static bool word_is(const char *p, size_t n, const char *w)
{
	size_t i;
	if (strlen(w) != n)
		return false;
	for (i = 0; i < n; i++)
		if ((p[i] | 0x20) != w[i])
			return false;
	return true;
}

/* A regular file, whole; never blocks on a FIFO or a device (opened
 * non-blocking, refused unless regular). */
static char *read_all(const char *path, size_t *len, const char **why)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	struct stat st;
	char *buf;
	size_t got = 0;
	*why = NULL;
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return NULL;
	}
	if ((size_t)st.st_size > MAX_FILE_BYTES) {
		*why = E_BIG;
		close(fd);
		return NULL;
	}
	buf = sd_malloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			close(fd);
			free(buf);
			return NULL;
		}
		if (r == 0)
			break;     /* shrank while read: what there was */
		got += (size_t)r;
	}
	close(fd);
	buf[got] = '\0';
	*len = got;
	return buf;
}

static const char *keep_name(struct cfg_impl *im, const char *name)
{
	im->files = sd_reallocarray(im->files, (size_t)im->nfiles + 1, sizeof *im->files);
	im->files[im->nfiles] = sd_strdup(name);
	return im->files[im->nfiles++];
}

/* @include at the start of the current line (pos is there): open it. */
static bool try_include(struct lexer *lx, struct src *s)
{
	const char *p = s->buf + s->pos, *end = s->buf + s->len;
	const char *q = p, *opened;
	struct sd_buf name;
	char *path;
	size_t len;
	const char *why;
	while (q < end && (*q == ' ' || *q == '\t'))
		q++;
	if ((size_t)(end - q) < 9 || memcmp(q, "@include", 8) != 0 || (q[8] != ' ' && q[8] != '\t'))
		return false;
	q += 8;
	while (q < end && (*q == ' ' || *q == '\t'))
		q++;
	if (q >= end || *q != '"')
		return false;
	q++;
	sd_buf_init(&name, SIZE_MAX / 2);
	while (q < end && *q != '"') {
		if (*q == '\\' && q + 1 < end && (q[1] == '\\' || q[1] == '"')) {
			sd_buf_add(&name, q + 1, 1);
			q += 2;
			continue;
		}
		if (*q == '\n')
			s->line++;
		sd_buf_add(&name, q, 1);
		q++;
	}
	if (q >= end) {
		/* an unclosed name runs to the end of the file */
		s->pos = s->len;
		sd_buf_done(&name);
		return true;
	}
	s->pos = (size_t)(q + 1 - s->buf);
	sd_buf_add(&name, "", 1);
	if (lx->depth > CFG_MAX_INCLUDE_DEPTH) {
		lx->t = T_ERROR;
		lx->err = E_DEEP_INC;
		sd_buf_done(&name);
		return true;
	}
	path = lx->cf->include_dir ? sd_printf("%s/%s", lx->cf->include_dir, name.data)
				   : sd_strdup(name.data);
	{
		char *buf = read_all(path, &len, &why);
		free(path);
		if (!buf) {
			lx->t = T_ERROR;
			lx->err = E_INCLUDE;
			sd_buf_done(&name);
			return true;
		}
		opened = keep_name(lx->im, name.data);
		lx->st[lx->depth] = (struct src){ buf, len, 0, 1, opened };
		lx->depth++;
	}
	sd_buf_done(&name);
	return true;
}

/* Append a run of string characters as libconfig does: up to a NUL. */
static void str_run(struct lexer *lx, const char *p, size_t n)
{
	const char *z = memchr(p, '\0', n);
	sd_buf_add(&lx->str, p, z ? (size_t)(z - p) : n);
}

static void next(struct lexer *lx)
{
	for (;;) {
		struct src *s = &lx->st[lx->depth - 1];
		const char *p, *end = s->buf + s->len;
		size_t n;
		if (s->pos >= s->len) {
			if (lx->depth > 1) {
				free(s->buf);
				s->buf = NULL;
				lx->depth--;
				continue;
			}
			lx->t = T_EOF;
			lx->line = s->line;
			lx->file = s->name;
			return;
		}
		p = s->buf + s->pos;
		if (lx->state == S_COMMENT) {
			const char *e = p;
			while (e < end && !(e[0] == '*' && e + 1 < end && e[1] == '/')) {
				if (*e == '\n')
					s->line++;
				e++;
			}
			if (e < end) {
				e += 2;
				lx->state = S_INITIAL;
			}
			s->pos = (size_t)(e - s->buf);
			continue;
		}
		if (lx->state == S_STRING) {
			if (*p == '"') {
				s->pos++;
				lx->state = S_INITIAL;
				sd_buf_add(&lx->str, "", 1);
				lx->str.len--;
				lx->t = T_STRING;
				lx->line = s->line;
				lx->file = s->name;
				return;
			}
			if (*p == '\\') {
				char c = p + 1 < end ? p[1] : '\0', o = 0;
				switch (c) {
				case 'n': o = '\n'; break;
				case 'r': o = '\r'; break;
				case 't': o = '\t'; break;
				case 'f': o = '\f'; break;
				case '\\': o = '\\'; break;
				case '"': o = '"'; break;
				default: break;
				}
				if (o) {
					sd_buf_add(&lx->str, &o, 1);
					s->pos += 2;
				} else if ((c == 'x' || c == 'X') && p + 3 < end && is_hex(p[2]) &&
					   is_hex(p[3])) {
					char h[3] = { p[2], p[3], 0 };
					char b = (char)(strtol(h, NULL, 16) & 0xff);
					if (b)
						sd_buf_add(&lx->str, &b, 1);
					s->pos += 4;
				} else {
					sd_buf_add(&lx->str, "\\", 1);
					s->pos += 1;
				}
				continue;
			}
			{
				const char *e = p;
				while (e < end && *e != '"' && *e != '\\') {
					if (*e == '\n')
						s->line++;
					e++;
				}
				str_run(lx, p, (size_t)(e - p));
				s->pos = (size_t)(e - s->buf);
			}
			continue;
		}
		/* initial state */
		if ((s->pos == 0 || p[-1] == '\n') && try_include(lx, s)) {
			if (lx->t == T_ERROR) {
				lx->line = s->line;
				lx->file = s->name;
				return;
			}
			continue;
		}
		switch (*p) {
		case '\n':
			s->line++;
			/* fallthrough */
		case '\r': case '\f': case ' ': case '\t':
			s->pos++;
			continue;
		case '/':
			if (p + 1 < end && p[1] == '*') {
				s->pos += 2;
				lx->state = S_COMMENT;
				continue;
			}
			if (p + 1 < end && p[1] == '/')
				goto comment;
			goto garbage;
		case '#':
		comment: {
			/* to the end of the line, which must exist */
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			if (!nl)
				goto garbage;
			s->pos = (size_t)(nl - s->buf);
			continue;
		}
		case '"':
			s->pos++;
			lx->state = S_STRING;
			sd_buf_reset(&lx->str);
			continue;
		case '=': case ':': lx->t = T_EQUALS; break;
		case ',': lx->t = T_COMMA; break;
		case ';': lx->t = T_SEMI; break;
		case '{': lx->t = T_GSTART; break;
		case '}': lx->t = T_GEND; break;
		case '[': lx->t = T_ASTART; break;
		case ']': lx->t = T_AEND; break;
		case '(': lx->t = T_LSTART; break;
		case ')': lx->t = T_LEND; break;
		default:
			if (is_name_start((unsigned char)*p)) {
				n = 1;
				while (p + n < end && is_name_char((unsigned char)p[n]))
					n++;
				s->pos += n;
				lx->line = s->line;
				lx->file = s->name;
				if (word_is(p, n, "true") || word_is(p, n, "false")) {
					lx->t = T_BOOL;
					lx->v.ival = (p[0] | 0x20) == 't';
				} else {
					lx->t = T_NAME;
					lx->text = p;
					lx->tlen = n;
				}
				return;
			}
			n = number(lx, p, end);
			if (n) {
				s->pos += n;
				lx->line = s->line;
				lx->file = s->name;
				return;
			}
			goto garbage;
		}
		s->pos++;
		lx->line = s->line;
		lx->file = s->name;
		return;
	garbage:
		s->pos++;
		lx->t = T_GARBAGE;
		lx->line = s->line;
		lx->file = s->name;
		return;
	}
}

/* --- the parser -------------------------------------------------------------- */

struct parser {
	struct lexer lx;
	const char *err;
	unsigned err_line;
	const char *err_file;
};

static bool fail(struct parser *ps, const char *what)
{
	if (!ps->err) {
		ps->err = what;
		ps->err_line = ps->lx.line;
		ps->err_file = ps->lx.file;
	}
	return false;
}

static config_setting_t *vec_push(struct vec *v)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 16;
		v->v = sd_reallocarray(v->v, v->cap, sizeof *v->v);
	}
	memset(&v->v[v->n], 0, sizeof v->v[0]);
	return &v->v[v->n++];
}

static size_t ptr_hash(const void *p) { return (size_t)(((uintptr_t)p >> 3) * 0x9e3779b97f4a7c15ull); }

static void set_put(struct vec *v, const char *name)
{
	size_t k = ptr_hash(name) & (v->setcap - 1);
	while (v->set[k])
		k = (k + 1) & (v->setcap - 1);
	v->set[k] = name;
}

/* Is name (interned) already a member of the group open at v? A small
 * group is scanned; a large one has a hash set of its names. */
static bool name_taken(struct vec *v, const char *name)
{
	unsigned i;
	if (v->n < 16) {
		for (i = 0; i < v->n; i++)
			if (v->v[i].name == name)
				return true;
		return false;
	}
	if ((v->n + 1) * 2 > v->setcap) {
		unsigned ncap = v->setcap ? v->setcap * 2 : 64;
		while ((v->n + 1) * 2 > ncap)
			ncap *= 2;
		free(v->set);
		v->set = sd_calloc(ncap, sizeof *v->set);
		v->setcap = ncap;
		v->setn = 0;
	}
	while (v->setn < v->n)
		set_put(v, v->v[v->setn++].name);
	{
		size_t k = ptr_hash(name) & (v->setcap - 1);
		while (v->set[k]) {
			if (v->set[k] == name)
				return true;
			k = (k + 1) & (v->setcap - 1);
		}
	}
	return false;
}

static void vec_open(struct vec *v)
{
	v->n = 0;
	if (v->set && v->setn)
		memset(v->set, 0, v->setcap * sizeof *v->set);
	v->setn = 0;
}

/* Move the children gathered at depth d into s. */
static void close_into(struct parser *ps, config_setting_t *s, int d)
{
	struct vec *v = &ps->lx.im->vecs[d];
	s->n = v->n;
	if (v->n) {
		s->value.elems = arena(ps->lx.im, (size_t)v->n * sizeof *v->v);
		memcpy(s->value.elems, v->v, (size_t)v->n * sizeof *v->v);
	} else {
		s->value.elems = NULL;
	}
	if (v->cap > 4096) {   /* a huge list is not kept around for the next */
		free(v->v);
		v->v = NULL;
		v->cap = 0;
		free(v->set);
		v->set = NULL;
		v->setcap = 0;
		v->setn = 0;
	}
	v->n = 0;   /* the set is cleared when the vector is opened again */
}

static bool parse_value(struct parser *ps, config_setting_t *s, int d, bool elem);

/* settings until '}' (or the end, at the top) into depth d */
static bool parse_settings(struct parser *ps, int d, bool top)
{
	struct lexer *lx = &ps->lx;
	struct vec *v = &lx->im->vecs[d];
	vec_open(v);
	for (;;) {
		config_setting_t *s;
		const char *name;
		unsigned line;
		const char *file;
		if (lx->t == T_ERROR)
			return fail(ps, lx->err);
		if (top ? lx->t == T_EOF : lx->t == T_GEND)
			return true;
		if (lx->t != T_NAME)
			return fail(ps, E_SYNTAX);
		name = intern(lx->im, lx->text, lx->tlen);
		line = lx->line;
		file = lx->file;
		if (name_taken(v, name))
			return fail(ps, E_DUP);
		s = vec_push(v);
		s->name = name;
		s->line = line;
		s->file = file;
		next(lx);
		if (lx->t != T_EQUALS)
			return fail(ps, lx->t == T_ERROR ? lx->err : E_SYNTAX);
		next(lx);
		/* s may move when a deeper vector is this one: it is not (d+1) */
		if (!parse_value(ps, &v->v[v->n - 1], d, false))
			return false;
		if (lx->t == T_SEMI || lx->t == T_COMMA)
			next(lx);
	}
}

static bool scalar_token(enum tok t)
{
	return t == T_BOOL || t == T_INT || t == T_INT64 || t == T_HEX || t == T_HEX64 ||
	       t == T_FLOAT || t == T_STRING;
}

/* The value at the current token into s (s->name/line set for a named
 * setting; for an element, its line is set here). d: depth of s's parent. */
static bool parse_value(struct parser *ps, config_setting_t *s, int d, bool elem)
{
	struct lexer *lx = &ps->lx;
	enum tok t = lx->t;
	if (elem) {
		s->line = lx->line;
		s->file = lx->file;
	}
	switch (t) {
	case T_BOOL:
		s->type = CONFIG_TYPE_BOOL;
		s->value.ival = lx->v.ival;
		break;
	case T_INT: case T_HEX:
		s->type = CONFIG_TYPE_INT;
		s->value.ival = lx->v.ival;
		s->format = t == T_HEX ? CONFIG_FORMAT_HEX : CONFIG_FORMAT_DEFAULT;
		break;
	case T_INT64: case T_HEX64:
		s->type = CONFIG_TYPE_INT64;
		s->value.llval = lx->v.llval;
		s->format = t == T_HEX64 ? CONFIG_FORMAT_HEX : CONFIG_FORMAT_DEFAULT;
		break;
	case T_FLOAT:
		s->type = CONFIG_TYPE_FLOAT;
		s->value.fval = lx->v.fval;
		break;
	case T_STRING: {
		struct sd_buf all;
		char *c;
		sd_buf_init(&all, SIZE_MAX / 2);
		while (lx->t == T_STRING) {
			sd_buf_add(&all, lx->str.data ? lx->str.data : "", lx->str.len);
			next(lx);
		}
		c = arena(lx->im, all.len + 1);
		if (all.len)
			memcpy(c, all.data, all.len);
		c[all.len] = '\0';
		sd_buf_done(&all);
		s->type = CONFIG_TYPE_STRING;
		s->value.sval = c;
		if (elem) {          /* known when the next token is */
			s->line = lx->line;
			s->file = lx->file;
		}
		return true;
	}
	case T_GSTART: case T_ASTART: case T_LSTART: {
		int cd = d + 1;
		enum tok close = t == T_GSTART ? T_GEND : t == T_ASTART ? T_AEND : T_LEND;
		if (cd > CFG_MAX_DEPTH)
			return fail(ps, E_DEEP);
		s->type = t == T_GSTART ? CONFIG_TYPE_GROUP : t == T_ASTART ? CONFIG_TYPE_ARRAY
									      : CONFIG_TYPE_LIST;
		next(lx);
		if (t == T_GSTART) {
			if (!parse_settings(ps, cd, false))
				return false;
		} else {
			struct vec *v = &lx->im->vecs[cd];
			int first = -1;
			vec_open(v);
			if (lx->t != close) {
				for (;;) {
					config_setting_t *e;
					if (lx->t == T_ERROR)
						return fail(ps, lx->err);
					if (t == T_ASTART && !scalar_token(lx->t))
						return fail(ps, E_SYNTAX);
					e = vec_push(v);
					if (!parse_value(ps, e, cd, true))
						return false;
					e = &v->v[v->n - 1];
					if (t == T_ASTART) {
						if (first < 0)
							first = e->type;
						else if (e->type != first) {
							/* reported where the element was taken */
							if (!ps->err) {
								ps->err = E_MIXED;
								ps->err_line = e->line;
								ps->err_file = e->file;
							}
							return false;
						}
					}
					if (lx->t == T_COMMA) {
						next(lx);
						continue;
					}
					if (lx->t == close)
						break;
					return fail(ps, lx->t == T_ERROR ? lx->err : E_SYNTAX);
				}
			}
		}
		/* s is in depth d's vector, untouched while depth cd was filled */
		close_into(ps, s, cd);
		break;
	}
	case T_ERROR:
		return fail(ps, lx->err);
	default:
		return fail(ps, E_SYNTAX);
	}
	next(lx);
	return true;
}

/* --- the API ----------------------------------------------------------------- */

void config_init(config_t *cf)
{
	memset(cf, 0, sizeof *cf);
	cf->impl = sd_calloc(1, sizeof *cf->impl);
	cf->root = arena(cf->impl, sizeof *cf->root);
	memset(cf->root, 0, sizeof *cf->root);
	cf->root->type = CONFIG_TYPE_GROUP;
}

static void impl_free(struct cfg_impl *im)
{
	int i;
	if (!im)
		return;
	while (im->blocks) {
		struct block *b = im->blocks;
		im->blocks = b->next;
		free(b);
	}
	free(im->names);
	for (i = 0; i < im->nfiles; i++)
		free(im->files[i]);
	free(im->files);
	for (i = 0; i <= CFG_MAX_DEPTH; i++) {
		free(im->vecs[i].v);
		free(im->vecs[i].set);
	}
	free(im);
}

void config_destroy(config_t *cf)
{
	impl_free(cf->impl);
	free(cf->include_dir);
	memset(cf, 0, sizeof *cf);
}

void config_set_include_dir(config_t *cf, const char *dir)
{
	free(cf->include_dir);
	cf->include_dir = dir ? sd_strdup(dir) : NULL;
}

/* Parse buf (taken) named name into a fresh tree. */
static int parse_buffer(config_t *cf, char *buf, size_t len, const char *name)
{
	struct parser ps;
	char *dir = cf->include_dir ? sd_strdup(cf->include_dir) : NULL;
	int i, ok;
	/* a second read starts from an empty tree, like libconfig */
	config_destroy(cf);
	config_init(cf);
	cf->include_dir = dir;
	memset(&ps, 0, sizeof ps);
	ps.lx.cf = cf;
	ps.lx.im = cf->impl;
	sd_buf_init(&ps.lx.str, SIZE_MAX / 2);
	name = name ? keep_name(cf->impl, name) : NULL;
	cf->root->file = name;
	ps.lx.st[0] = (struct src){ buf, len, 0, 1, name };
	ps.lx.depth = 1;
	next(&ps.lx);
	ok = parse_settings(&ps, 0, true);
	if (ok)
		close_into(&ps, cf->root, 0);
	for (i = 0; i < ps.lx.depth; i++)
		free(ps.lx.st[i].buf);
	sd_buf_done(&ps.lx.str);
	if (!ok) {
		cf->error_text = ps.err ? ps.err : E_SYNTAX;
		cf->error_file = ps.err_file;
		cf->error_line = (int)ps.err_line;
		cf->error_type = CONFIG_ERR_PARSE;
		return CONFIG_FALSE;
	}
	return CONFIG_TRUE;
}

int config_read_file(config_t *cf, const char *path)
{
	size_t len = 0;
	const char *why;
	char *buf = read_all(path, &len, &why);
	if (!buf) {
		cf->error_text = why ? why : "file I/O error";
		cf->error_file = NULL;
		cf->error_line = 0;
		cf->error_type = CONFIG_ERR_FILE_IO;
		return CONFIG_FALSE;
	}
	return parse_buffer(cf, buf, len, path);
}

int config_read_string(config_t *cf, const char *text)
{
	size_t len = strlen(text);
	char *buf = sd_malloc(len + 1);
	memcpy(buf, text, len + 1);
	return parse_buffer(cf, buf, len, NULL);
}

config_setting_t *config_lookup(const config_t *cf, const char *path)
{
	config_setting_t *s = cf->root;
	char part[256];
	while (s && *path) {
		size_t n = strcspn(path, ".");
		if (n >= sizeof part)
			return NULL;
		memcpy(part, path, n);
		part[n] = '\0';
		s = config_setting_get_member(s, part);
		path += n;
		if (*path == '.')
			path++;
	}
	return s;
}

int config_setting_type(const config_setting_t *s) { return s->type; }

int config_setting_is_group(const config_setting_t *s) { return s->type == CONFIG_TYPE_GROUP; }
int config_setting_is_array(const config_setting_t *s) { return s->type == CONFIG_TYPE_ARRAY; }
int config_setting_is_list(const config_setting_t *s) { return s->type == CONFIG_TYPE_LIST; }

int config_setting_is_aggregate(const config_setting_t *s)
{
	return s->type == CONFIG_TYPE_GROUP || s->type == CONFIG_TYPE_ARRAY ||
	       s->type == CONFIG_TYPE_LIST;
}

int config_setting_length(const config_setting_t *s)
{
	return config_setting_is_aggregate(s) ? (int)s->n : 0;
}

const char *config_setting_name(const config_setting_t *s) { return s->name; }
const char *config_setting_source_file(const config_setting_t *s) { return s->file; }
unsigned int config_setting_source_line(const config_setting_t *s) { return s->line; }
int config_setting_get_format(const config_setting_t *s) { return s->format; }

config_setting_t *config_setting_get_elem(const config_setting_t *s, unsigned int i)
{
	if (!config_setting_is_aggregate(s) || i >= s->n)
		return NULL;
	return &s->value.elems[i];
}

config_setting_t *config_setting_get_member(const config_setting_t *s, const char *name)
{
	unsigned i;
	if (!s || s->type != CONFIG_TYPE_GROUP || !name)
		return NULL;
	for (i = 0; i < s->n; i++) {
		const char *m = s->value.elems[i].name;
		if (m[0] == name[0] && strcmp(m, name) == 0)
			return &s->value.elems[i];
	}
	return NULL;
}

int config_setting_get_int(const config_setting_t *s)
{
	if (s->type == CONFIG_TYPE_INT)
		return s->value.ival;
	if (s->type == CONFIG_TYPE_INT64)
		return s->value.llval > INT32_MAX || s->value.llval < INT32_MIN ? 0 : (int)s->value.llval;
	return 0;
}

long long config_setting_get_int64(const config_setting_t *s)
{
	if (s->type == CONFIG_TYPE_INT64)
		return s->value.llval;
	if (s->type == CONFIG_TYPE_INT)
		return s->value.ival;
	return 0;
}

double config_setting_get_float(const config_setting_t *s)
{
	return s->type == CONFIG_TYPE_FLOAT ? s->value.fval : 0.0;
}

int config_setting_get_bool(const config_setting_t *s)
{
	return s->type == CONFIG_TYPE_BOOL ? s->value.ival : 0;
}

const char *config_setting_get_string(const config_setting_t *s)
{
	return s->type == CONFIG_TYPE_STRING ? s->value.sval : NULL;
}

int config_setting_lookup_string(const config_setting_t *s, const char *name, const char **out)
{
	const config_setting_t *m = config_setting_get_member(s, name);
	if (!m || m->type != CONFIG_TYPE_STRING)
		return CONFIG_FALSE;
	*out = m->value.sval;
	return CONFIG_TRUE;
}

void config_setting_set_hook(config_setting_t *s, void *hook) { s->hook = hook; }
void *config_setting_get_hook(const config_setting_t *s) { return s->hook; }

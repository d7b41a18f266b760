/* core/config.c — load and validate the configuration; see config.h.
 *
 * How it works, in four passes over one file set:
 *
 *  1. prescan: our own small lexer reads the main file and, recursively,
 *     every @include. It confines includes to the main file's directory
 *     (libconfig 1.5 has no include hook, so this must happen before
 *     libconfig opens anything) and records every integer literal, because
 *     libconfig 1.5 silently truncates plain integers to 32 bits
 *     (security_grade = 4294967297 would read as 1).
 *  2. libconfig parses; its first syntax error is reported as file:line.
 *  3. the literals are matched to libconfig's integer settings in document
 *     order; an overflowed one is marked with a setting hook.
 *  4. the key table (root_keys[] and the tables it points to: type,
 *     bounds, default, unit, help per key) is walked against the tree;
 *     each list element's checks and cross references run after its keys.
 *     Every problem is collected, nothing stops early, and the messages
 *     are sorted by file and line.
 *
 * Adding a key: add a row to the right table (and to docs/configuration.md
 * and packaging/man/slicedeck.conf.5); unknown keys are errors, so a key
 * the table does not know cannot be used.
 */
#include "core/config.h"

#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <libconfig.h>
#include <limits.h>
#include <math.h>
#include <pwd.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "core/util.h"
#include "slicing/scenario.h"

#define MAX_FILES        16          /* main file + includes */
#define MAX_INCLUDE_DEPTH 8
#define MAX_FILE_BYTES   (4 << 20)   /* a config larger than this is a mistake */
#define MAX_ERRORS       200
#define MAX_ELEMS        4096        /* per list: factories, sites, ... */

/* ------------------------------------------------------------------ */
/* Error lists                                                         */

void sd_errlist_init(struct sd_errlist *e)
{
	memset(e, 0, sizeof *e);
}

void sd_errlist_done(struct sd_errlist *e)
{
	int i;
	for (i = 0; i < e->n; i++)
		free(e->msgs[i]);
	free(e->msgs);
	memset(e, 0, sizeof *e);
}

/* "file:line: msg", "file: msg" (line <= 0) or "msg" (no file). Past
 * MAX_ERRORS one last message says so and the rest are dropped. */
void sd_errlist_add(struct sd_errlist *e, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	char *msg, *full;

	if (e->n > MAX_ERRORS)
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (!msg)
		msg = sd_strdup("(out of memory formatting a message)");
	if (e->n == MAX_ERRORS) {
		free(msg);
		msg = sd_printf("too many errors (more than %d); stopping here", MAX_ERRORS);
		file = NULL;
	}
	if (file && line > 0)
		full = sd_printf("%s:%d: %s", file, line, msg);
	else if (file)
		full = sd_printf("%s: %s", file, msg);
	else
		full = sd_strdup(msg);
	free(msg);
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 16;
		e->msgs = sd_reallocarray(e->msgs, (size_t)e->cap, sizeof *e->msgs);
	}
	e->msgs[e->n++] = full;
}

const char *sd_role_name(enum sd_role r)
{
	switch (r) {
	case SD_ROLE_NONE: return "none";
	case SD_ROLE_OPERATOR: return "operator";
	case SD_ROLE_VIEWER: return "viewer";
	case SD_ROLE_FACTORY: return "factory";
	}
	return "?";
}

/* ------------------------------------------------------------------ */
/* Load context                                                        */

struct lit {                 /* an integer literal seen by the prescan */
	int line;
	bool overflow;       /* libconfig will have truncated it */
	char text[32];
};

struct cfile {
	char *name;          /* as libconfig names it: the path, or the include as written */
	char *display;       /* path for messages (relative to the cwd, like the main path) */
	char *real;          /* realpath */
	struct lit *lits;
	int nlits, litcap, cursor;
	bool broken;         /* literal matching lost sync: no overflow marks */
	const char *secret;  /* what secret it holds, for the permission check */
};

struct perr {
	int file, line;
	unsigned seq;
	char *msg;
};

struct ctx {
	struct sd_config *c;
	struct sd_model *m;
	config_t cf;
	struct cfile files[MAX_FILES];
	int nfiles;
	char *dir;           /* directory of the main file, as given */
	char *realdir;
	struct perr *errs;
	int nerrs, errcap;
	unsigned seq;
	/* the setting of every list element, for "first defined at" */
	config_setting_t **fac_set, **site_set, **cell_set, **slice_set;
	config_setting_t **tariff_set, **snmp_set, **rule_set;
};

static void add_err(struct ctx *x, int file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add_err(struct ctx *x, int file, int line, const char *fmt, ...)
{
	va_list ap;
	char *msg;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = sd_strdup("(out of memory)");
	va_end(ap);
	if (x->nerrs == x->errcap) {
		x->errcap = x->errcap ? x->errcap * 2 : 16;
		x->errs = sd_reallocarray(x->errs, (size_t)x->errcap, sizeof *x->errs);
	}
	x->errs[x->nerrs++] = (struct perr){ file, line, x->seq++, msg };
}

/* Index into x->files of the file a setting came from; 0 (the main file)
 * when libconfig does not say. */
static int file_of(struct ctx *x, const config_setting_t *s)
{
	const char *f = config_setting_source_file(s);
	int i;
	for (i = 0; f && i < x->nfiles; i++)
		if (strcmp(x->files[i].name, f) == 0)
			return i;
	return 0;
}

/* "file:line: path: message" for a setting. */
static void serr(struct ctx *x, const config_setting_t *s, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void serr(struct ctx *x, const config_setting_t *s, const char *path, const char *fmt, ...)
{
	va_list ap;
	char *msg;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	add_err(x, file_of(x, s), (int)config_setting_source_line(s), "%s: %s",
		path && *path ? path : "(top level)", msg ? msg : "(out of memory)");
	free(msg);
}

static const char *where(struct ctx *x, const config_setting_t *s, char *buf, size_t n)
{
	snprintf(buf, n, "%s:%u", x->files[file_of(x, s)].display,
		 config_setting_source_line(s));
	return buf;
}

/* ------------------------------------------------------------------ */
/* Prescan: includes and integer literals                              */

static char *read_file(const char *path, size_t *len, int *err)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;

	if (!f) {
		*err = errno;
		return NULL;
	}
	buf = sd_malloc(MAX_FILE_BYTES + 1);
	n = fread(buf, 1, MAX_FILE_BYTES + 1, f);
	*err = ferror(f) ? EIO : 0;
	fclose(f);
	if (*err || n > MAX_FILE_BYTES) {
		if (!*err)
			*err = EFBIG;
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

static void add_lit(struct cfile *f, int line, const char *s, size_t n)
{
	struct lit *l;
	char tmp[64];
	bool l64 = false, hex;
	long long v;
	char *end;

	if (f->nlits == f->litcap) {
		f->litcap = f->litcap ? f->litcap * 2 : 64;
		f->lits = sd_reallocarray(f->lits, (size_t)f->litcap, sizeof *f->lits);
	}
	l = &f->lits[f->nlits++];
	l->line = line;
	sd_strlcpy(l->text, s, n + 1 < sizeof l->text ? n + 1 : sizeof l->text);
	if (n >= sizeof tmp) {
		l->overflow = true;
		return;
	}
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	while (n > 0 && (tmp[n - 1] == 'L' || tmp[n - 1] == 'l')) {
		tmp[--n] = '\0';
		l64 = true;
	}
	hex = strchr(tmp, 'x') || strchr(tmp, 'X');
	errno = 0;
	if (hex) {
		unsigned long long u = strtoull(tmp, &end, 16);
		l->overflow = errno == ERANGE || (l64 ? u > (unsigned long long)INT64_MAX : u > INT32_MAX);
		return;
	}
	v = strtoll(tmp, &end, 10);
	l->overflow = errno == ERANGE || (!l64 && (v > INT32_MAX || v < INT32_MIN));
}

static int prescan(struct ctx *x, int fi, int depth, int *stack, int nstack);

/* Confine one @include to the config directory and scan it. */
static void scan_include(struct ctx *x, int fi, int line, const char *name, int depth,
			 int *stack, int nstack)
{
	char *full, *real;
	const char *p;
	struct stat st;
	int i;

	if (!*name) {
		add_err(x, fi, line, "@include: empty file name");
		return;
	}
	if (name[0] == '/') {
		add_err(x, fi, line, "@include \"%s\": absolute paths are not allowed; "
			"includes are confined to the configuration's directory %s", name, x->dir);
		return;
	}
	for (p = name; *p; ) {
		size_t n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			add_err(x, fi, line, "@include \"%s\": \"..\" is not allowed; includes are "
				"confined to the configuration's directory %s", name, x->dir);
			return;
		}
		p += n;
		while (*p == '/')
			p++;
	}
	if (strcmp(x->dir, ".") == 0)
		full = sd_strdup(name);
	else if (strcmp(x->dir, "/") == 0)
		full = sd_printf("/%s", name);
	else
		full = sd_printf("%s/%s", x->dir, name);
	real = realpath(full, NULL);
	if (!real) {
		add_err(x, fi, line, "@include \"%s\": cannot open %s: %s", name, full, strerror(errno));
		free(full);
		return;
	}
	if (strncmp(real, x->realdir, strlen(x->realdir)) != 0 ||
	    (real[strlen(x->realdir)] != '/' && strcmp(x->realdir, "/") != 0)) {
		add_err(x, fi, line, "@include \"%s\": resolves to %s, outside the configuration's "
			"directory %s (symbolic link?); includes are confined to it", name, real, x->dir);
		goto out;
	}
	if (stat(real, &st) < 0 || !S_ISREG(st.st_mode)) {
		add_err(x, fi, line, "@include \"%s\": not a regular file", name);
		goto out;
	}
	for (i = 0; i < nstack; i++) {
		if (strcmp(x->files[stack[i]].real, real) == 0) {
			add_err(x, fi, line, "@include \"%s\": includes itself (cycle through %s)",
				name, x->files[stack[i]].display);
			goto out;
		}
	}
	if (depth >= MAX_INCLUDE_DEPTH) {
		add_err(x, fi, line, "@include \"%s\": includes nested more than %d deep",
			name, MAX_INCLUDE_DEPTH);
		goto out;
	}
	for (i = 0; i < x->nfiles; i++)
		if (strcmp(x->files[i].name, name) == 0)
			goto out;            /* included twice: scanned already */
	if (x->nfiles == MAX_FILES) {
		add_err(x, fi, line, "@include \"%s\": more than %d files", name, MAX_FILES - 1);
		goto out;
	}
	i = x->nfiles++;
	x->files[i].name = sd_strdup(name);
	x->files[i].display = full;
	x->files[i].real = real;
	prescan(x, i, depth + 1, stack, nstack);
	return;
out:
	free(full);
	free(real);
}

/* Lex one file the way libconfig 1.5's scanner does, as far as comments,
 * strings, names, numbers and line-initial @include go. Returns -1 when
 * the file cannot be read (reported). */
static int prescan(struct ctx *x, int fi, int depth, int *stack, int nstack)
{
	struct cfile *f = &x->files[fi];
	size_t len, i = 0;
	int err, line = 1, stk[MAX_INCLUDE_DEPTH + 2];
	bool bol = true;
	char *buf = read_file(f->display, &len, &err);

	if (!buf) {
		if (err == EFBIG)
			add_err(x, fi, 0, "larger than %d bytes; not a configuration file?",
				MAX_FILE_BYTES);
		else
			add_err(x, fi, 0, "cannot read: %s", strerror(err));
		return -1;
	}
	if (nstack > 0)
		memcpy(stk, stack, sizeof *stack * (size_t)nstack);
	stk[nstack++] = fi;
	while (i < len) {
		char ch = buf[i];
		if (ch == '\n') {
			line++;
			bol = true;
			i++;
			continue;
		}
		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f') {
			i++;
			continue;
		}
		if (bol && ch == '@' && strncmp(buf + i, "@include", 8) == 0 &&
		    (buf[i + 8] == ' ' || buf[i + 8] == '\t')) {
			size_t j = i + 8, k;
			while (buf[j] == ' ' || buf[j] == '\t')
				j++;
			if (buf[j] == '"') {
				char name[PATH_MAX];
				size_t n = 0;
				for (k = j + 1; k < len && buf[k] != '"' && buf[k] != '\n'; k++)
					if (n + 1 < sizeof name)
						name[n++] = buf[k];
				name[n] = '\0';
				if (k < len && buf[k] == '"')
					scan_include(x, fi, line, name, depth, stk, nstack);
				i = k < len ? k + 1 : k;
				bol = false;
				continue;
			}
		}
		bol = false;
		if (ch == '#' || (ch == '/' && buf[i + 1] == '/')) {
			while (i < len && buf[i] != '\n')
				i++;
		} else if (ch == '/' && buf[i + 1] == '*') {
			i += 2;
			while (i < len && !(buf[i] == '*' && buf[i + 1] == '/')) {
				if (buf[i] == '\n')
					line++;
				i++;
			}
			i = i < len ? i + 2 : len;
		} else if (ch == '"') {
			i++;
			while (i < len && buf[i] != '"') {
				if (buf[i] == '\\' && i + 1 < len)
					i++;
				if (buf[i] == '\n')
					line++;
				i++;
			}
			i++;
		} else if (isalpha((unsigned char)ch) || ch == '*') {
			while (i < len && (isalnum((unsigned char)buf[i]) || buf[i] == '-' ||
					   buf[i] == '_' || buf[i] == '*'))
				i++;
		} else if (isdigit((unsigned char)ch) ||
			   ((ch == '-' || ch == '+' || ch == '.') &&
			    (isdigit((unsigned char)buf[i + 1]) || buf[i + 1] == '.'))) {
			size_t s = i;
			bool isfloat = false;
			if (ch == '-' || ch == '+')
				i++;
			if (buf[i] == '0' && (buf[i + 1] == 'x' || buf[i + 1] == 'X')) {
				i += 2;
				while (isxdigit((unsigned char)buf[i]))
					i++;
			} else {
				while (isdigit((unsigned char)buf[i]))
					i++;
				if (buf[i] == '.') {
					isfloat = true;
					i++;
					while (isdigit((unsigned char)buf[i]))
						i++;
				}
				if ((buf[i] == 'e' || buf[i] == 'E') &&
				    (isdigit((unsigned char)buf[i + 1]) ||
				     ((buf[i + 1] == '-' || buf[i + 1] == '+') &&
				      isdigit((unsigned char)buf[i + 2])))) {
					isfloat = true;
					i += 2;
					while (isdigit((unsigned char)buf[i]))
						i++;
				}
			}
			if (!isfloat) {
				while (buf[i] == 'L')
					i++;
				add_lit(f, line, buf + s, i - s);
			}
		} else {
			i++;
		}
	}
	if (line > 65535)
		add_err(x, fi, 0, "more than 65535 lines; libconfig cannot number them");
	free(buf);
	return 0;
}

/* Match recorded literals to integer settings (both in document order per
 * file) and mark the ones libconfig truncated. */
static void mark_overflows(struct ctx *x, config_setting_t *s)
{
	int t = config_setting_type(s), i, n;

	if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64) {
		struct cfile *f = &x->files[file_of(x, s)];
		if (f->broken)
			return;
		if (f->cursor < f->nlits &&
		    f->lits[f->cursor].line == (int)config_setting_source_line(s)) {
			if (f->lits[f->cursor].overflow)
				config_setting_set_hook(s, &f->lits[f->cursor]);
			f->cursor++;
		} else {
			/* our lexer and libconfig's disagree: stop marking this file */
			sd_debug("%s:%u: integer literal matching lost; overflow checks off for "
				 "this file", f->display, config_setting_source_line(s));
			f->broken = true;
		}
		return;
	}
	if (!config_setting_is_aggregate(s))
		return;
	n = config_setting_length(s);
	for (i = 0; i < n; i++)
		mark_overflows(x, config_setting_get_elem(s, i));
}

/* Every setting must come from a file the prescan approved. */
static void check_sources(struct ctx *x, config_setting_t *s, bool *bad)
{
	const char *f = config_setting_source_file(s);
	int i, n;

	if (*bad)
		return;
	if (f) {
		for (i = 0; i < x->nfiles; i++)
			if (strcmp(x->files[i].name, f) == 0)
				break;
		if (i == x->nfiles) {
			add_err(x, 0, 0, "a setting came from %s, which the include check did not see; "
				"refusing the configuration", f);
			*bad = true;
			return;
		}
	}
	if (!config_setting_is_aggregate(s))
		return;
	n = config_setting_length(s);
	for (i = 0; i < n; i++)
		check_sources(x, config_setting_get_elem(s, i), bad);
}

/* ------------------------------------------------------------------ */
/* The key table                                                        */

enum ktype {
	K_STR,      /* string into char[size]; optional check() */
	K_ID,       /* id token (model.h) into char[size] */
	K_ENUM,     /* string -> parse() -> int */
	K_INT,      /* integer in [min,max] into an int of size bytes */
	K_MONEY,    /* integer minor units >= 0 into int64_t */
	K_FLOAT,    /* number in [fmin,fmax] into double */
	K_SCALED,   /* number in [fmin,fmax], times scale, into an unsigned of size bytes */
	K_BOOL,
	K_OCTAL,    /* "0660" into int */
	K_HEX,      /* exactly min hex digits into an unsigned of size bytes */
	K_SNSSAI,   /* any sd_snssai_parse form into struct sd_snssai */
	K_STRLIST,  /* array of strings; store() does the work */
	K_GROUP,    /* { ... } with sub[] */
	K_LIST,     /* ( { ... }, ... ) with sub[] per element */
};

struct key;
typedef const char *(*check_fn)(struct ctx *x, const char *v);
typedef void (*store_fn)(struct ctx *x, const struct key *k, config_setting_t *s,
			 void *obj, const char *path);
typedef void *(*elem_new_fn)(struct ctx *x, config_setting_t *e, void *parent);
typedef void (*elem_done_fn)(struct ctx *x, config_setting_t *e, void *obj, const char *path);
typedef void *(*enter_fn)(struct ctx *x, void *parent);

struct key {
	const char *name;
	enum ktype type;
	bool required;
	long long min, max;          /* K_INT, K_MONEY range; K_HEX digits (min); K_STR min length */
	double fmin, fmax, scale;    /* K_FLOAT, K_SCALED */
	size_t off, size;            /* destination; size 0: not stored by the table */
	const char *def;             /* default, as it would be written (NULL: none) */
	const char *unit;            /* for docs and messages */
	const char *help;
	int (*parse)(const char *);  /* K_ENUM */
	const char *choices;         /* K_ENUM: "a, b, c" */
	check_fn check;              /* K_STR: NULL or a message */
	store_fn store;              /* replaces the generic store */
	const char *hint;            /* added to type errors */
	const struct key *sub;       /* K_GROUP, K_LIST */
	enter_fn enter;              /* K_GROUP: object for the members (default obj+off) */
	elem_new_fn elem_new;        /* K_LIST */
	elem_done_fn elem_done;      /* K_LIST */
	int max_elems;               /* K_LIST, K_STRLIST (0: MAX_ELEMS) */
};

static const char *type_desc(int t)
{
	switch (t) {
	case CONFIG_TYPE_GROUP: return "a group { ... }";
	case CONFIG_TYPE_ARRAY: return "an array [ ... ]";
	case CONFIG_TYPE_LIST: return "a list ( ... )";
	case CONFIG_TYPE_INT: case CONFIG_TYPE_INT64: return "an integer";
	case CONFIG_TYPE_FLOAT: return "a float";
	case CONFIG_TYPE_STRING: return "a string";
	case CONFIG_TYPE_BOOL: return "a boolean";
	}
	return "nothing";
}

static const char *ktype_desc(enum ktype t)
{
	switch (t) {
	case K_STR: case K_ID: case K_ENUM: case K_OCTAL: case K_HEX: case K_SNSSAI:
		return "a string";
	case K_INT: case K_MONEY: return "an integer";
	case K_FLOAT: case K_SCALED: return "a number";
	case K_BOOL: return "a boolean (true or false)";
	case K_STRLIST: return "an array of strings [ \"a\", \"b\" ]";
	case K_GROUP: return "a group { ... }";
	case K_LIST: return "a list of groups ( { ... }, { ... } )";
	}
	return "?";
}

static void put_uint(void *p, size_t size, uint64_t v)
{
	switch (size) {
	case 1: { uint8_t u = (uint8_t)v; memcpy(p, &u, 1); break; }
	case 2: { uint16_t u = (uint16_t)v; memcpy(p, &u, 2); break; }
	case 4: { uint32_t u = (uint32_t)v; memcpy(p, &u, 4); break; }
	case 8: memcpy(p, &v, 8); break;
	}
}

static void put_int(void *p, size_t size, long long v)
{
	if (size == sizeof(int)) {
		int i = (int)v;
		memcpy(p, &i, sizeof i);
	} else if (size == sizeof(int64_t)) {
		int64_t i = v;
		memcpy(p, &i, sizeof i);
	} else {
		put_uint(p, size, (uint64_t)v);
	}
}

static bool parse_hex_digits(const char *s, int digits, uint64_t *out)
{
	uint64_t v = 0;
	int i;
	if ((int)strlen(s) != digits)
		return false;
	for (i = 0; i < digits; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return false;
		v = v << 4 | (uint64_t)(isdigit((unsigned char)s[i]) ? s[i] - '0'
					: tolower((unsigned char)s[i]) - 'a' + 10);
	}
	*out = v;
	return true;
}

static bool parse_octal_mode(const char *s, int *out)
{
	size_t n = strlen(s), i;
	int v = 0;
	if (n < 3 || n > 4)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '7')
			return false;
		v = v * 8 + (s[i] - '0');
	}
	if (v > 0777)
		return false;
	*out = v;
	return true;
}

/* Store a key's default (as written in the table) into obj. */
static void store_default(const struct key *k, void *obj)
{
	char *p = (char *)obj + k->off;
	if (!k->def || !k->size || k->store)
		return;
	switch (k->type) {
	case K_STR: case K_ID:
		sd_strlcpy(p, k->def, k->size);
		break;
	case K_ENUM:
		put_int(p, k->size, k->parse(k->def));
		break;
	case K_INT: case K_MONEY:
		put_int(p, k->size, strtoll(k->def, NULL, 10));
		break;
	case K_FLOAT: {
		double d = strtod(k->def, NULL);
		memcpy(p, &d, sizeof d);
		break;
	}
	case K_SCALED:
		put_uint(p, k->size, (uint64_t)llround(strtod(k->def, NULL) * k->scale));
		break;
	case K_BOOL: {
		bool b = strcmp(k->def, "true") == 0;
		memcpy(p, &b, sizeof b);
		break;
	}
	case K_OCTAL: {
		int v = 0;
		parse_octal_mode(k->def, &v);
		memcpy(p, &v, sizeof v);
		break;
	}
	default:
		break;
	}
}

static void check_group(struct ctx *x, config_setting_t *g, const struct key *tab,
			void *obj, const char *path);

/* A group left out entirely still gets its members' defaults. */
static void group_defaults(struct ctx *x, const struct key *tab, void *obj)
{
	const struct key *k;
	for (k = tab; k->name; k++) {
		if (k->type == K_GROUP)
			group_defaults(x, k->sub, k->enter ? k->enter(x, obj) : (char *)obj + k->off);
		else
			store_default(k, obj);
	}
}

static void child_path(char *buf, size_t n, const char *parent, const char *name)
{
	if (parent && *parent)
		snprintf(buf, n, "%s.%s", parent, name);
	else
		snprintf(buf, n, "%s", name);
}

/* Integer value of s with libconfig's truncation undone: false (and an
 * error) when the literal did not fit. */
static bool get_integer(struct ctx *x, config_setting_t *s, const char *path,
			long long min, long long max, long long *out)
{
	const struct lit *l = config_setting_get_hook(s);
	if (l) {
		serr(x, s, path, "%s is out of range %lld%s%lld", l->text, min,
		     min < 0 ? ".." : "-", max);
		return false;
	}
	*out = config_setting_get_int64(s);
	return true;
}

/* A list of groups; each element is named in messages by its id (the
 * table's first key, when that is an id key with a valid value), else by
 * its 0-based index. */
static void check_list(struct ctx *x, const struct key *k, config_setting_t *s,
		       void *obj, const char *path)
{
	int i, n = config_setting_length(s);
	int max = k->max_elems ? k->max_elems : MAX_ELEMS;

	if (n > max) {
		serr(x, s, path, "more than %d elements", max);
		n = max;
	}
	for (i = 0; i < n; i++) {
		config_setting_t *e = config_setting_get_elem(s, i);
		const char *id = NULL;
		char ep[512];
		void *eo;

		if (config_setting_type(e) != CONFIG_TYPE_GROUP) {
			snprintf(ep, sizeof ep, "%s[%d]", path, i);
			serr(x, e, ep, "expected a group { ... }, got %s",
			     type_desc(config_setting_type(e)));
			continue;
		}
		if (k->sub[0].type == K_ID &&
		    config_setting_lookup_string(e, k->sub[0].name, &id) && sd_id_valid(id))
			snprintf(ep, sizeof ep, "%s[%s]", path, id);
		else
			snprintf(ep, sizeof ep, "%s[%d]", path, i);
		eo = k->elem_new ? k->elem_new(x, e, obj) : NULL;
		if (!eo)
			continue;
		check_group(x, e, k->sub, eo, ep);
		if (k->elem_done)
			k->elem_done(x, e, eo, ep);
	}
}

/* Validate one present setting against its row and store it. */
static void check_value(struct ctx *x, const struct key *k, config_setting_t *s,
			void *obj, const char *path)
{
	int t = config_setting_type(s);
	char *p = (char *)obj + k->off;
	const char *str = NULL, *why;
	bool ok_type;

	switch (k->type) {
	case K_STR: case K_ID: case K_ENUM: case K_OCTAL: case K_HEX: case K_SNSSAI:
		ok_type = t == CONFIG_TYPE_STRING;
		break;
	case K_INT: case K_MONEY:
		ok_type = t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64;
		break;
	case K_FLOAT: case K_SCALED:
		ok_type = t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 || t == CONFIG_TYPE_FLOAT;
		break;
	case K_BOOL:
		ok_type = t == CONFIG_TYPE_BOOL;
		break;
	case K_STRLIST:
		ok_type = t == CONFIG_TYPE_ARRAY ||
			  (t == CONFIG_TYPE_LIST && config_setting_length(s) == 0);
		break;
	case K_GROUP:
		ok_type = t == CONFIG_TYPE_GROUP;
		break;
	case K_LIST:
		ok_type = t == CONFIG_TYPE_LIST ||
			  (t == CONFIG_TYPE_ARRAY && config_setting_length(s) == 0);
		break;
	default:
		ok_type = false;
	}
	if (!ok_type) {
		if (k->type == K_MONEY && t == CONFIG_TYPE_FLOAT)
			serr(x, s, path, "money is in integer minor units (fen), not a float: "
			     "%.2f yuan is written %lld", config_setting_get_float(s),
			     (long long)llround(config_setting_get_float(s) * 100));
		else
			serr(x, s, path, "expected %s, got %s%s%s", ktype_desc(k->type),
			     type_desc(t), k->hint ? "; " : "", k->hint ? k->hint : "");
		return;
	}
	if (t == CONFIG_TYPE_STRING)
		str = config_setting_get_string(s);

	switch (k->type) {
	case K_STR:
		if (k->size && strlen(str) >= k->size) {
			serr(x, s, path, "longer than %zu characters", k->size - 1);
			return;
		}
		if ((long long)strlen(str) < k->min) {
			if (k->min > 1)
				serr(x, s, path, "must be at least %lld characters", k->min);
			else
				serr(x, s, path, "must not be empty");
			return;
		}
		if (k->check && (why = k->check(x, str)) != NULL) {
			serr(x, s, path, "\"%s\": %s", str, why);
			return;
		}
		break;
	case K_ID:
		if (!sd_id_valid(str)) {
			serr(x, s, path, "\"%s\" is not a valid id (1-%d characters of A-Z a-z "
			     "0-9 _ . -)", str, SD_ID_MAX - 1);
			return;
		}
		if (k->check && (why = k->check(x, str)) != NULL) {
			serr(x, s, path, "\"%s\": %s", str, why);
			return;
		}
		break;
	case K_ENUM:
		if (k->parse(str) < 0) {
			serr(x, s, path, "\"%s\" is not one of: %s", str, k->choices);
			return;
		}
		break;
	case K_OCTAL: {
		int v;
		if (!parse_octal_mode(str, &v)) {
			serr(x, s, path, "\"%s\" is not an octal mode 000-0777 (e.g. \"0660\")", str);
			return;
		}
		break;
	}
	case K_HEX: {
		uint64_t v;
		if (!parse_hex_digits(str, (int)k->min, &v)) {
			serr(x, s, path, "\"%s\" must be exactly %lld hex digits (%lld bits)%s%s",
			     str, k->min, k->min * 4, k->hint ? "; " : "", k->hint ? k->hint : "");
			return;
		}
		break;
	}
	case K_SNSSAI: {
		struct sd_snssai n;
		if (!sd_snssai_parse(str, &n, &why)) {
			serr(x, s, path, "\"%s\": %s", str, why);
			return;
		}
		if (n.sst == 0) {
			serr(x, s, path, "\"%s\": SST 0 has no standardized meaning; use 1-255 "
			     "(128-255 are operator-specific)", str);
			return;
		}
		break;
	}
	case K_INT: case K_MONEY: {
		long long v, min = k->type == K_MONEY ? 0 : k->min;
		if (!get_integer(x, s, path, min, k->max, &v))
			return;
		if (v < 0 && min == 0) {
			serr(x, s, path, "must not be negative (got %lld)", v);
			return;
		}
		if (v < min || v > k->max) {
			serr(x, s, path, "%lld is out of range %lld%s%lld%s%s", v, min,
			     min < 0 ? ".." : "-", k->max, k->unit ? " " : "", k->unit ? k->unit : "");
			return;
		}
		if (k->size && !k->store)
			put_int(p, k->size, v);
		break;
	}
	case K_FLOAT: case K_SCALED: {
		double d;
		if (t == CONFIG_TYPE_FLOAT) {
			d = config_setting_get_float(s);
		} else {
			long long v;
			if (!get_integer(x, s, path, (long long)k->fmin, (long long)k->fmax, &v))
				return;
			d = (double)v;
		}
		if (!isfinite(d)) {
			serr(x, s, path, "must be a finite number");
			return;
		}
		if (d < 0 && k->fmin == 0) {
			serr(x, s, path, "must not be negative (got %g)", d);
			return;
		}
		if (d < k->fmin || d > k->fmax) {
			serr(x, s, path, "%g is out of range %g%s%g%s%s", d, k->fmin,
			     k->fmin < 0 ? ".." : "-", k->fmax, k->unit ? " " : "", k->unit ? k->unit : "");
			return;
		}
		if (k->size && !k->store) {
			if (k->type == K_FLOAT)
				memcpy(p, &d, sizeof d);
			else
				put_uint(p, k->size, (uint64_t)llround(d * k->scale));
		}
		break;
	}
	case K_BOOL:
		if (k->size && !k->store) {
			bool b = config_setting_get_bool(s) != 0;
			memcpy(p, &b, sizeof b);
		}
		break;
	case K_STRLIST: {
		int i, n = config_setting_length(s);
		int max = k->max_elems ? k->max_elems : MAX_ELEMS;
		if (n > max) {
			serr(x, s, path, "more than %d entries", max);
			return;
		}
		for (i = 0; i < n; i++) {
			config_setting_t *e = config_setting_get_elem(s, i);
			if (config_setting_type(e) != CONFIG_TYPE_STRING) {
				serr(x, e, path, "entry %d: expected a string, got %s", i + 1,
				     type_desc(config_setting_type(e)));
				return;
			}
		}
		break;
	}
	case K_GROUP: {
		void *sub = k->enter ? k->enter(x, obj) : p;
		check_group(x, s, k->sub, sub, path);
		return;
	}
	case K_LIST:
		check_list(x, k, s, obj, path);
		return;
	}

	if (k->store) {
		k->store(x, k, s, obj, path);
		return;
	}
	if (!k->size)
		return;
	switch (k->type) {
	case K_STR: case K_ID:
		sd_strlcpy(p, str, k->size);
		break;
	case K_ENUM:
		put_int(p, k->size, k->parse(str));
		break;
	case K_OCTAL: {
		int v = 0;
		parse_octal_mode(str, &v);
		memcpy(p, &v, sizeof v);
		break;
	}
	case K_HEX: {
		uint64_t v = 0;
		parse_hex_digits(str, (int)k->min, &v);
		put_uint(p, k->size, v);
		break;
	}
	case K_SNSSAI: {
		struct sd_snssai n;
		sd_snssai_parse(str, &n, NULL);
		memcpy(p, &n, sizeof n);
		break;
	}
	default:
		break;
	}
}

/* Edit distance (insert, delete, substitute, swap of neighbours), capped:
 * anything above 3 counts as 4. For "did you mean". */
static int edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	int d[40][40];
	if (la >= 40 || lb >= 40)
		return 4;
	for (i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			int c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < c)
				c = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < c)
				c = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < c)
				c = d[i - 2][j - 2] + 1;
			d[i][j] = c;
		}
	}
	return d[la][lb] > 3 ? 4 : d[la][lb];
}

/* Check the members of group g against tab: missing required keys,
 * defaults, each present key, and unknown keys. */
static void check_group(struct ctx *x, config_setting_t *g, const struct key *tab,
			void *obj, const char *path)
{
	const struct key *k;
	int i, n;
	char cp[512];

	for (k = tab; k->name; k++) {
		config_setting_t *s = config_setting_get_member(g, k->name);
		child_path(cp, sizeof cp, path, k->name);
		if (!s) {
			if (k->required)
				serr(x, g, cp, "required key is missing (%s%s%s)", k->help,
				     k->unit ? ", " : "", k->unit ? k->unit : "");
			else if (k->type == K_GROUP)
				group_defaults(x, k->sub, k->enter ? k->enter(x, obj)
					       : (char *)obj + k->off);
			else
				store_default(k, obj);
			continue;
		}
		check_value(x, k, s, obj, cp);
	}
	n = config_setting_length(g);
	for (i = 0; i < n; i++) {
		config_setting_t *s = config_setting_get_elem(g, i);
		const char *name = config_setting_name(s);
		struct sd_buf known;
		for (k = tab; k->name; k++)
			if (name && strcmp(k->name, name) == 0)
				break;
		if (k->name)
			continue;
		{
			const struct key *best = NULL;
			int bd = 3;
			for (k = tab; name && k->name; k++) {
				int dist = edit_distance(name, k->name);
				if (dist < bd) {       /* the first closest, within 2 */
					bd = dist;
					best = k;
				}
			}
			sd_buf_init(&known, 1024);
			for (k = tab; k->name; k++)
				sd_buf_addf(&known, "%s%s", k == tab ? "" : ", ", k->name);
			child_path(cp, sizeof cp, path, name ? name : "?");
			if (best)
				serr(x, s, cp, "unknown key; did you mean \"%s\"? (known here: %s)",
				     best->name, known.data ? known.data : "");
			else
				serr(x, s, cp, "unknown key (known here: %s)",
				     known.data ? known.data : "");
			sd_buf_done(&known);
		}
	}
}

/* ------------------------------------------------------------------ */
/* Value checks                                                        */

static const char *check_abs_path(struct ctx *x, const char *v)
{
	return v[0] == '/' ? NULL : "must be an absolute path";
}

static const char *check_socket(struct ctx *x, const char *v)
{
	if (v[0] != '/')
		return "must be an absolute path";
	if (strlen(v) >= 108)
		return "longer than a UNIX socket path may be (107 bytes)";
	return NULL;
}

static const char *check_name_token(const char *v)
{
	size_t i;
	if (!*v)
		return NULL;
	if (v[0] == '-')
		return "a user or group name must not start with '-'";
	for (i = 0; v[i]; i++)
		if (!isalnum((unsigned char)v[i]) && !strchr("_.-", v[i]) &&
		    !(v[i] == '$' && v[i + 1] == '\0'))
			return "not a valid user or group name";
	return NULL;
}

static const char *check_group_name(struct ctx *x, const char *v)
{
	return check_name_token(v);
}

static const char *check_mcc(struct ctx *x, const char *v)
{
	return strlen(v) == 3 && strspn(v, "0123456789") == 3 ? NULL
		: "MCC must be exactly 3 decimal digits";
}

static const char *check_mnc(struct ctx *x, const char *v)
{
	size_t n = strlen(v);
	return (n == 2 || n == 3) && strspn(v, "0123456789") == n ? NULL
		: "MNC must be 2 or 3 decimal digits (leading zeros count)";
}

static const char *check_url(const char *v, bool empty_ok)
{
	const char *h;
	size_t i;
	if (!*v)
		return empty_ok ? NULL : "must not be empty";
	if (strncmp(v, "http://", 7) == 0)
		h = v + 7;
	else if (strncmp(v, "https://", 8) == 0)
		h = v + 8;
	else
		return "must start with http:// or https://";
	if (!*h || *h == '/' || *h == ':')
		return "has no host";
	for (i = 0; v[i]; i++)
		if ((unsigned char)v[i] <= ' ' || v[i] == 0x7f)
			return "contains spaces or control characters";
	if (strpbrk(h, "?#"))
		return "must be an API root (scheme://host[:port][/prefix]) without query or fragment";
	return NULL;
}

static const char *check_url_opt(struct ctx *x, const char *v) { return check_url(v, true); }

/* "host:port", "[v6]:port"; port 0-65535 (0: any free port); "" = off. */
static const char *check_listen(struct ctx *x, const char *v)
{
	const char *colon;
	long long port;
	if (!*v)
		return NULL;
	if (v[0] == '[') {
		const char *e = strchr(v, ']');
		if (!e || e[1] != ':')
			return "must be host:port or [ipv6]:port";
		colon = e + 1;
	} else {
		colon = strrchr(v, ':');
		if (!colon || colon == v || memchr(v, ':', (size_t)(colon - v)))
			return "must be host:port or [ipv6]:port";
	}
	if (!sd_parse_ll(colon + 1, 0, 65535, &port))
		return "port must be 0-65535";
	return NULL;
}

static const char *check_uuid_opt(struct ctx *x, const char *v)
{
	return !*v || sd_is_uuid(v) ? NULL : "must be a UUID (8-4-4-4-12 hex digits)";
}

static const char *check_file_opt(struct ctx *x, const char *v)
{
	struct stat st;
	if (!*v)
		return NULL;
	if (stat(v, &st) < 0)
		return strerror(errno);
	if (!S_ISREG(st.st_mode))
		return "not a regular file";
	return NULL;
}

static const char *check_text(struct ctx *x, const char *v)
{
	size_t i;
	for (i = 0; v[i]; i++)
		if ((unsigned char)v[i] < ' ' || v[i] == 0x7f)
			return "contains control characters";
	return NULL;
}

static const char *check_currency(struct ctx *x, const char *v)
{
	return strlen(v) == 3 && isupper((unsigned char)v[0]) && isupper((unsigned char)v[1]) &&
	       isupper((unsigned char)v[2]) ? NULL : "must be an ISO 4217 code such as \"CNY\"";
}

static const char *check_host(struct ctx *x, const char *v)
{
	size_t i;
	for (i = 0; v[i]; i++)
		if (!isalnum((unsigned char)v[i]) && !strchr(".-:_", v[i]))
			return "must be a host name or an IPv4/IPv6 address";
	return NULL;
}

static const char *check_scenario(struct ctx *x, const char *v)
{
	return sd_scenario_find(v) ? NULL
		: "unknown scenario (one of the 20 catalog ids, e.g. \"remote-control\"; "
		  "see docs/configuration.md)";
}

/* DNN: labels of letters, digits and '-', separated by dots (TS 23.003 §9.1). */
static bool dnn_valid(const char *v)
{
	size_t i, lab = 0;
	if (!*v || strlen(v) > 63 || v[0] == '.')
		return false;
	for (i = 0; v[i]; i++) {
		if (v[i] == '.') {
			if (lab == 0)
				return false;
			lab = 0;
		} else if (isalnum((unsigned char)v[i]) || v[i] == '-') {
			lab++;
		} else {
			return false;
		}
	}
	return lab > 0;
}

static const char *check_dnn(struct ctx *x, const char *v)
{
	return dnn_valid(v) ? NULL : "not a DNN (dot-separated labels of letters, digits "
		"and '-', at most 63 characters)";
}

static int parse_log(const char *s)
{
	return sd_streq(s, "stderr") ? 0 : sd_streq(s, "syslog") ? 1 : -1;
}

static int parse_log_level(const char *s) { return sd_log_level_parse(s); }

static int parse_role(const char *s)
{
	if (sd_streq(s, "operator")) return SD_ROLE_OPERATOR;
	if (sd_streq(s, "viewer")) return SD_ROLE_VIEWER;
	if (sd_streq(s, "factory")) return SD_ROLE_FACTORY;
	return -1;
}

static int parse_snmp_version(const char *s)
{
	return sd_streq(s, "2c") ? SD_SNMP_V2C : sd_streq(s, "3") ? SD_SNMP_V3 : -1;
}

static const char *check_auth_proto(struct ctx *x, const char *v)
{
	static const char *const p[] = { "MD5", "SHA", "SHA-224", "SHA-256", "SHA-384", "SHA-512" };
	size_t i;
	for (i = 0; i < SD_ARRAY_LEN(p); i++)
		if (sd_streq(v, p[i]))
			return NULL;
	return "not one of: MD5, SHA, SHA-224, SHA-256, SHA-384, SHA-512";
}

static const char *check_priv_proto(struct ctx *x, const char *v)
{
	static const char *const p[] = { "DES", "AES", "AES-192", "AES-256" };
	size_t i;
	for (i = 0; i < SD_ARRAY_LEN(p); i++)
		if (sd_streq(v, p[i]))
			return NULL;
	return "not one of: DES, AES, AES-192, AES-256";
}

/* ------------------------------------------------------------------ */
/* Custom stores                                                       */

static void store_log(struct ctx *x, const struct key *k, config_setting_t *s,
		      void *obj, const char *path)
{
	x->c->log_syslog = parse_log(config_setting_get_string(s)) == 1;
}

static void store_nrf(struct ctx *x, const struct key *k, config_setting_t *s,
		      void *obj, const char *path)
{
	struct sd_sbi_conf *sbi = obj;
	size_t n;
	sd_strlcpy(sbi->nrf_api_root, config_setting_get_string(s), sizeof sbi->nrf_api_root);
	n = strlen(sbi->nrf_api_root);
	while (n > 0 && sbi->nrf_api_root[n - 1] == '/')
		sbi->nrf_api_root[--n] = '\0';
}

static void store_dnns(struct ctx *x, const struct key *k, config_setting_t *s,
		       void *obj, const char *path)
{
	struct sd_factory *f = obj;
	int i, j, n = config_setting_length(s);
	if (n == 0) {
		serr(x, s, path, "at least one DNN is needed");
		return;
	}
	for (i = 0; i < n && f->ndnns < SD_MAX_DNNS; i++) {
		config_setting_t *e = config_setting_get_elem(s, i);
		const char *v = config_setting_get_string(e);
		if (!dnn_valid(v)) {
			serr(x, e, path, "\"%s\": %s", v, check_dnn(x, v));
			continue;
		}
		for (j = 0; j < f->ndnns; j++)
			if (strcasecmp(f->dnns[j], v) == 0)
				break;
		if (j < f->ndnns) {
			serr(x, e, path, "\"%s\" is listed twice", v);
			continue;
		}
		sd_strlcpy(f->dnns[f->ndnns++], v, sizeof f->dnns[0]);
	}
}

static void store_scenario(struct ctx *x, const struct key *k, config_setting_t *s,
			   void *obj, const char *path)
{
	struct sd_slice *sl = obj;
	sl->scenario = sd_scenario_find(config_setting_get_string(s));
}

/* The id of the factory whose sites list holds a site id, looked up in
 * the raw tree (the site may belong to a factory not checked yet). */
static const char *site_owner(struct ctx *x, const char *site)
{
	config_setting_t *fl = config_lookup(&x->cf, "factories");
	int i, j, n = fl && config_setting_is_list(fl) ? config_setting_length(fl) : 0;
	for (i = 0; i < n; i++) {
		config_setting_t *f = config_setting_get_elem(fl, i);
		config_setting_t *sl = config_setting_get_member(f, "sites");
		const char *fid = NULL, *sid;
		int ns = sl && config_setting_is_list(sl) ? config_setting_length(sl) : 0;
		if (!config_setting_lookup_string(f, "id", &fid))
			continue;
		for (j = 0; j < ns; j++)
			if (config_setting_lookup_string(config_setting_get_elem(sl, j), "id", &sid) &&
			    strcmp(sid, site) == 0)
				return fid;
	}
	return NULL;
}

/* slice.sites: ids of sites of the slice's own factory. */
static void store_slice_sites(struct ctx *x, const struct key *k, config_setting_t *s,
			      void *obj, const char *path)
{
	struct sd_slice *sl = obj;
	struct sd_model *m = x->m;
	int i, j, n = config_setting_length(s);

	if (n == 0) {
		serr(x, s, path, "empty; leave the key out to serve every site of the factory");
		return;
	}
	sl->sites = sd_calloc((size_t)n, sizeof *sl->sites);
	for (i = 0; i < n; i++) {
		config_setting_t *e = config_setting_get_elem(s, i);
		const char *v = config_setting_get_string(e);
		int si = sd_model_site_index(m, v);
		if (si < 0) {
			const char *owner = site_owner(x, v);
			if (owner)
				serr(x, e, path, "site \"%s\" belongs to factory \"%s\", not to the "
				     "slice's factory \"%s\"", v, owner, m->factories[sl->factory].id);
			else
				serr(x, e, path, "unknown site \"%s\"", v);
			continue;
		}
		if (m->sites[si].factory != sl->factory) {
			serr(x, e, path, "site \"%s\" belongs to factory \"%s\", not to the slice's "
			     "factory \"%s\"", v, m->factories[m->sites[si].factory].id,
			     m->factories[sl->factory].id);
			continue;
		}
		for (j = 0; j < sl->nsites; j++)
			if (sl->sites[j] == si)
				break;
		if (j < sl->nsites) {
			serr(x, e, path, "site \"%s\" is listed twice", v);
			continue;
		}
		sl->sites[sl->nsites++] = si;
	}
}

static void store_rule_user(struct ctx *x, const struct key *k, config_setting_t *s,
			    void *obj, const char *path)
{
	struct sd_access_rule *r = obj;
	const char *v = config_setting_get_string(s), *why = check_name_token(v);
	if (!*v || why || strlen(v) >= sizeof r->name) {
		serr(x, s, path, "\"%s\": %s", v, why ? why : *v ? "longer than 63 characters"
		     : "must not be empty");
		return;
	}
	if (r->name[0]) {
		serr(x, s, path, "a rule names a user or a group, not both");
		return;
	}
	r->is_group = strcmp(k->name, "group") == 0;
	sd_strlcpy(r->name, v, sizeof r->name);
}

/* ------------------------------------------------------------------ */
/* List elements                                                       */

#define GROW(arr, n, set) do {                                              \
	(arr) = sd_reallocarray((arr), (size_t)(n) + 1, sizeof *(arr));     \
	memset(&(arr)[(n)], 0, sizeof *(arr));                              \
	(set) = sd_reallocarray((set), (size_t)(n) + 1, sizeof *(set));     \
} while (0)

static void *new_tariff(struct ctx *x, config_setting_t *e, void *parent)
{
	struct sd_config *c = x->c;
	GROW(c->tariffs, c->ntariffs, x->tariff_set);
	x->tariff_set[c->ntariffs] = e;
	return &c->tariffs[c->ntariffs++];
}

static void done_tariff(struct ctx *x, config_setting_t *e, void *obj, const char *path)
{
	struct sd_tariff *t = obj;
	int i, me = (int)(t - x->c->tariffs);
	char w[300];
	for (i = 0; t->id[0] && i < me; i++)
		if (strcmp(x->c->tariffs[i].id, t->id) == 0)
			serr(x, e, path, "duplicate tariff id \"%s\" (first defined at %s)", t->id,
			     where(x, x->tariff_set[i], w, sizeof w));
}

static void *new_factory(struct ctx *x, config_setting_t *e, void *parent)
{
	struct sd_model *m = x->m;
	GROW(m->factories, m->nfactories, x->fac_set);
	x->fac_set[m->nfactories] = e;
	return &m->factories[m->nfactories++];
}

static void done_factory(struct ctx *x, config_setting_t *e, void *obj, const char *path)
{
	struct sd_model *m = x->m;
	struct sd_factory *f = obj;
	int i, me = (int)(f - m->factories);
	char w[300], cp[512];

	for (i = 0; f->id[0] && i < me; i++)
		if (strcmp(m->factories[i].id, f->id) == 0)
			serr(x, e, path, "duplicate factory id \"%s\" (first defined at %s)", f->id,
			     where(x, x->fac_set[i], w, sizeof w));
	if (!f->zone[0])
		sd_strlcpy(f->zone, m->zone_name, sizeof f->zone);
	if (f->tariff[0]) {
		config_setting_t *s = config_setting_get_member(e, "tariff");
		child_path(cp, sizeof cp, path, "tariff");
		for (i = 0; i < x->c->ntariffs; i++)
			if (strcmp(x->c->tariffs[i].id, f->tariff) == 0)
				break;
		if (i == x->c->ntariffs)
			serr(x, s, cp, "unknown tariff \"%s\"", f->tariff);
		else if (x->c->tariffs[i].mode != f->mode)
			serr(x, s, cp, "tariff \"%s\" is for %s networks; factory \"%s\" is %s",
			     f->tariff, sd_pn_mode_name(x->c->tariffs[i].mode), f->id,
			     sd_pn_mode_name(f->mode));
	}
}

static void *new_site(struct ctx *x, config_setting_t *e, void *parent)
{
	struct sd_model *m = x->m;
	struct sd_site *s;
	GROW(m->sites, m->nsites, x->site_set);
	x->site_set[m->nsites] = e;
	s = &m->sites[m->nsites++];
	s->factory = (int)((struct sd_factory *)parent - m->factories);
	return s;
}

static void done_site(struct ctx *x, config_setting_t *e, void *obj, const char *path)
{
	struct sd_model *m = x->m;
	struct sd_site *s = obj;
	int i, me = (int)(s - m->sites);
	char w[300];
	for (i = 0; s->id[0] && i < me; i++)
		if (strcmp(m->sites[i].id, s->id) == 0)
			serr(x, e, path, "duplicate site id \"%s\" (first defined at %s)", s->id,
			     where(x, x->site_set[i], w, sizeof w));
	if (!s->name[0])
		sd_strlcpy(s->name, s->id, sizeof s->name);
}

static void *new_cell(struct ctx *x, config_setting_t *e, void *parent)
{
	struct sd_model *m = x->m;
	struct sd_cell *c;
	GROW(m->cells, m->ncells, x->cell_set);
	x->cell_set[m->ncells] = e;
	c = &m->cells[m->ncells++];
	c->site = (int)((struct sd_site *)parent - m->sites);
	return c;
}

static void done_cell(struct ctx *x, config_setting_t *e, void *obj, const char *path)
{
	struct sd_model *m = x->m;
	struct sd_cell *c = obj;
	const struct sd_site *site = &m->sites[c->site];
	int i, me = (int)(c - m->cells);
	char w[300], cp[512];

	for (i = 0; c->id[0] && i < me; i++)
		if (strcmp(m->cells[i].id, c->id) == 0)
			serr(x, e, path, "duplicate cell id \"%s\" (first defined at %s)", c->id,
			     where(x, x->cell_set[i], w, sizeof w));
	for (i = 0; c->nci && i < me; i++)
		if (m->cells[i].nci == c->nci) {
			child_path(cp, sizeof cp, path, "nci");
			serr(x, config_setting_get_member(e, "nci"), cp, "NCI %09llx is already "
			     "used by cell \"%s\" (%s); an NR cell identity is unique in the PLMN",
			     (unsigned long long)c->nci, m->cells[i].id,
			     where(x, x->cell_set[i], w, sizeof w));
		}
	if (c->x_m > site->width_m || c->y_m > site->height_m) {
		child_path(cp, sizeof cp, path, c->x_m > site->width_m ? "x" : "y");
		serr(x, e, cp, "position (%g, %g) m is outside the site plan of \"%s\" "
		     "(%g x %g m)", c->x_m, c->y_m, site->id, site->width_m, site->height_m);
	}
	if (!c->name[0])
		sd_strlcpy(c->name, c->id, sizeof c->name);
}

/* The scenario seeds the SLA before the slice's own keys override it. */
static void *new_slice(struct ctx *x, config_setting_t *e, void *parent)
{
	struct sd_model *m = x->m;
	struct sd_slice *sl;
	const char *sc = NULL;
	GROW(m->slices, m->nslices, x->slice_set);
	x->slice_set[m->nslices] = e;
	sl = &m->slices[m->nslices++];
	sl->factory = (int)((struct sd_factory *)parent - m->factories);
	if (config_setting_lookup_string(e, "scenario", &sc) && sd_scenario_find(sc))
		sl->sla = sd_scenario_find(sc)->sla;
	return sl;
}

static void check_rate_pair(struct ctx *x, config_setting_t *e, const char *path,
			    uint64_t gbr, uint64_t mbr, const char *gname, const char *mname)
{
	config_setting_t *sla = config_setting_get_member(e, "sla"), *s;
	char cp[512];
	if (!gbr || !mbr || gbr <= mbr)
		return;
	s = sla ? config_setting_get_member(sla, gname) : NULL;
	if (!s && sla)
		s = config_setting_get_member(sla, mname);
	snprintf(cp, sizeof cp, "%s.sla.%s", path, gname);
	serr(x, s ? s : e, cp, "guaranteed rate %g Mbit/s exceeds the maximum %s %g Mbit/s",
	     (double)gbr / 1000, mname, (double)mbr / 1000);
}

static void done_slice(struct ctx *x, config_setting_t *e, void *obj, const char *path)
{
	struct sd_model *m = x->m;
	struct sd_slice *sl = obj;
	const struct sd_factory *f = &m->factories[sl->factory];
	int i, me = (int)(sl - m->slices);
	char w[300], cp[512], a[SD_SNSSAI_STRLEN];

	for (i = 0; sl->id[0] && i < me; i++)
		if (strcmp(m->slices[i].id, sl->id) == 0)
			serr(x, e, path, "duplicate slice id \"%s\" (first defined at %s)", sl->id,
			     where(x, x->slice_set[i], w, sizeof w));
	if (sl->snssai.sst) {
		for (i = 0; i < me; i++)
			if (m->slices[i].snssai.sst && sd_snssai_equal(&m->slices[i].snssai, &sl->snssai)) {
				child_path(cp, sizeof cp, path, "snssai");
				serr(x, config_setting_get_member(e, "snssai"), cp,
				     "S-NSSAI %s is already used by slice \"%s\" (%s); an S-NSSAI "
				     "is unique within the PLMN",
				     sd_snssai_format(&sl->snssai, a, sizeof a), m->slices[i].id,
				     where(x, x->slice_set[i], w, sizeof w));
				break;
			}
	}
	child_path(cp, sizeof cp, path, "dnn");
	if (!sl->dnn[0]) {
		if (f->ndnns)
			sd_strlcpy(sl->dnn, f->dnns[0], sizeof sl->dnn);
	} else if (f->ndnns) {
		for (i = 0; i < f->ndnns; i++)
			if (strcasecmp(f->dnns[i], sl->dnn) == 0)
				break;
		if (i == f->ndnns)
			serr(x, config_setting_get_member(e, "dnn"), cp, "\"%s\" is not one of "
			     "factory \"%s\"'s dnns", sl->dnn, f->id);
	}
	if (!config_setting_get_member(e, "sites")) {
		sl->sites = sd_calloc((size_t)m->nsites + 1, sizeof *sl->sites);
		for (i = 0; i < m->nsites; i++)
			if (m->sites[i].factory == sl->factory)
				sl->sites[sl->nsites++] = i;
	}
	check_rate_pair(x, e, path, sl->sla.gbr_ul_kbps, sl->sla.mbr_ul_kbps,
			"gbr_ul_mbps", "mbr_ul_mbps");
	check_rate_pair(x, e, path, sl->sla.gbr_dl_kbps, sl->sla.mbr_dl_kbps,
			"gbr_dl_mbps", "mbr_dl_mbps");
	if (sl->scenario && !sd_scenario_suits(sl->scenario, f->mode))
		sd_warn("%s: %s: scenario \"%s\" is not suited to %s networks%s",
			where(x, e, w, sizeof w), path, sl->scenario->id, sd_pn_mode_name(f->mode),
			sl->scenario->needs_local_upf ? " (it needs an on-site UPF)" : "");
	if (!sl->name[0])
		sd_strlcpy(sl->name, sl->id, sizeof sl->name);
}

static void *new_rule(struct ctx *x, config_setting_t *e, void *parent)
{
	struct sd_config *c = x->c;
	GROW(c->rules, c->nrules, x->rule_set);
	x->rule_set[c->nrules] = e;
	c->rules[c->nrules].factory = -1;
	c->rules[c->nrules].id = ~0u;
	c->rules[c->nrules].line = (int)config_setting_source_line(e);
	return &c->rules[c->nrules++];
}

/* getpwnam_r/getgrnam_r with a buffer that grows on ERANGE. */
static bool lookup_id(const char *name, bool group, uint32_t *id)
{
	size_t sz = 4096;
	bool found = false;
	for (;;) {
		char *buf = sd_malloc(sz);
		int rc;
		if (group) {
			struct group gr, *res = NULL;
			rc = getgrnam_r(name, &gr, buf, sz, &res);
			if (rc == 0 && res) {
				*id = (uint32_t)gr.gr_gid;
				found = true;
			}
		} else {
			struct passwd pw, *res = NULL;
			rc = getpwnam_r(name, &pw, buf, sz, &res);
			if (rc == 0 && res) {
				*id = (uint32_t)pw.pw_uid;
				found = true;
			}
		}
		free(buf);
		if (rc != ERANGE || sz >= (1u << 20))
			return found;
		sz *= 2;
	}
}

static void done_rule(struct ctx *x, config_setting_t *e, void *obj, const char *path)
{
	struct sd_access_rule *r = obj;
	const char *fid = NULL;
	char cp[512], w[300];
	config_setting_t *fs = config_setting_get_member(e, "factory");

	if (!config_setting_get_member(e, "user") && !config_setting_get_member(e, "group"))
		serr(x, e, path, "a rule needs user = \"name\" or group = \"name\"");
	if (fs && config_setting_type(fs) == CONFIG_TYPE_STRING)
		fid = config_setting_get_string(fs);
	child_path(cp, sizeof cp, path, "factory");
	if (r->role == SD_ROLE_NONE) {
		/* role missing or invalid: already reported */
	} else if (r->role == SD_ROLE_FACTORY && !fs) {
		serr(x, e, cp, "role \"factory\" needs factory = \"<factory id>\"");
	} else if (r->role != SD_ROLE_FACTORY && fs) {
		serr(x, fs, cp, "only role \"factory\" is bound to a factory; role \"%s\" sees "
		     "%s", sd_role_name(r->role),
		     r->role == SD_ROLE_OPERATOR ? "and changes everything" : "every factory");
	} else if (r->role == SD_ROLE_FACTORY && fid && sd_id_valid(fid)) {
		r->factory = sd_model_factory_index(x->m, fid);
		if (r->factory < 0)
			serr(x, fs, cp, "unknown factory \"%s\"", fid);
	}
	if (r->name[0]) {
		r->resolved = lookup_id(r->name, r->is_group, &r->id);
		if (!r->resolved) {
			r->id = ~0u;
			sd_warn("%s: %s: %s \"%s\" does not exist (yet); the rule will not match "
				"until it does and the configuration is reloaded",
				where(x, e, w, sizeof w), path, r->is_group ? "group" : "user", r->name);
		}
	}
}

static void *new_snmp(struct ctx *x, config_setting_t *e, void *parent)
{
	struct sd_config *c = x->c;
	GROW(c->snmp, c->nsnmp, x->snmp_set);
	x->snmp_set[c->nsnmp] = e;
	return &c->snmp[c->nsnmp++];
}

static void note_secret(struct ctx *x, config_setting_t *e, const char *key)
{
	config_setting_t *s = config_setting_get_member(e, key);
	struct cfile *f;
	if (!s)
		return;
	x->c->has_secrets = true;
	f = &x->files[file_of(x, s)];
	if (!f->secret)
		f->secret = strcmp(key, "community") == 0 ? "snmp community"
			    : "snmp v3 passphrases";
}

static void done_snmp(struct ctx *x, config_setting_t *e, void *obj, const char *path)
{
	struct sd_snmp_target *t = obj;
	int i, me = (int)(t - x->c->snmp);
	static const char *const v3keys[] = { "user", "auth_proto", "auth_pass",
					      "priv_proto", "priv_pass" };
	char w[300], cp[512];
	size_t k;

	for (i = 0; t->name[0] && i < me; i++)
		if (strcmp(x->c->snmp[i].name, t->name) == 0)
			serr(x, e, path, "duplicate SNMP target name \"%s\" (first defined at %s)",
			     t->name, where(x, x->snmp_set[i], w, sizeof w));
	if (t->version == SD_SNMP_V2C) {
		child_path(cp, sizeof cp, path, "community");
		if (!config_setting_get_member(e, "community"))
			serr(x, e, cp, "version \"2c\" needs a community");
		for (k = 0; k < SD_ARRAY_LEN(v3keys); k++) {
			config_setting_t *s = config_setting_get_member(e, v3keys[k]);
			child_path(cp, sizeof cp, path, v3keys[k]);
			if (s)
				serr(x, s, cp, "applies to version \"3\" only");
		}
	} else {
		config_setting_t *s = config_setting_get_member(e, "community");
		child_path(cp, sizeof cp, path, "community");
		if (s)
			serr(x, s, cp, "applies to version \"2c\" only; version 3 uses "
			     "user/auth_pass/priv_pass");
		for (k = 0; k < SD_ARRAY_LEN(v3keys); k++) {
			if (strcmp(v3keys[k], "auth_proto") == 0 || strcmp(v3keys[k], "priv_proto") == 0)
				continue;
			child_path(cp, sizeof cp, path, v3keys[k]);
			if (!config_setting_get_member(e, v3keys[k]))
				serr(x, e, cp, "version \"3\" (authPriv) needs %s", v3keys[k]);
		}
	}
	note_secret(x, e, "community");
	note_secret(x, e, "auth_pass");
	note_secret(x, e, "priv_pass");
}

/* ------------------------------------------------------------------ */
/* The tables                                                          */

static void *enter_model(struct ctx *x, void *parent) { return x->m; }
static void *enter_plmn(struct ctx *x, void *parent) { return &x->m->plmn; }
static void *enter_self(struct ctx *x, void *parent) { return parent; }

#define OF(type, field) .off = offsetof(type, field), .size = sizeof(((type *)0)->field)

static const struct key engine_keys[] = {
	{ .name = "socket", .type = K_STR, OF(struct sd_config, socket_path),
	  .def = "/run/slicedeck/slicedeck.sock", .check = check_socket,
	  .help = "UNIX socket the console connects to" },
	{ .name = "socket_mode", .type = K_OCTAL, OF(struct sd_config, socket_mode),
	  .def = "0660", .hint = "write the mode as an octal string, e.g. \"0660\"",
	  .help = "permissions of the socket (roles still apply per peer)" },
	{ .name = "socket_group", .type = K_STR, OF(struct sd_config, socket_group),
	  .def = "", .check = check_group_name,
	  .help = "group owning the socket; empty = the engine's group" },
	{ .name = "state_dir", .type = K_STR, OF(struct sd_config, state_dir),
	  .def = "/var/lib/slicedeck", .check = check_abs_path,
	  .help = "ledger, alarm history and KPI roll-ups" },
	{ .name = "log", .type = K_ENUM, .parse = parse_log, .choices = "stderr, syslog",
	  .store = store_log, .def = "stderr", .help = "where log lines go" },
	{ .name = "log_level", .type = K_ENUM, OF(struct sd_config, log_level),
	  .parse = parse_log_level, .choices = "err, warning, notice, info, debug",
	  .def = "info", .help = "most verbose level logged" },
	{ 0 }
};

static const struct key plmn_keys[] = {
	{ .name = "mcc", .type = K_STR, .required = true, OF(struct sd_plmn, mcc),
	  .check = check_mcc, .hint = "write it as a string, e.g. \"460\"",
	  .help = "mobile country code, 3 digits" },
	{ .name = "mnc", .type = K_STR, .required = true, OF(struct sd_plmn, mnc),
	  .check = check_mnc, .hint = "write it as a string, e.g. \"00\" (leading zeros count)",
	  .help = "mobile network code, 2 or 3 digits" },
	{ 0 }
};

static const struct key zone_keys[] = {
	{ .name = "name", .type = K_STR, .required = true, .min = 1,
	  OF(struct sd_model, zone_name), .check = check_text,
	  .help = "name of the pilot zone" },
	{ .name = "plmn", .type = K_GROUP, .required = true, .sub = plmn_keys,
	  .enter = enter_plmn, .help = "PLMN of the zone's network" },
	{ 0 }
};

static const struct key tls_keys[] = {
	{ .name = "verify", .type = K_BOOL, OF(struct sd_tls_conf, verify), .def = "true",
	  .help = "verify the peer's certificate" },
	{ .name = "ca", .type = K_STR, OF(struct sd_tls_conf, ca_file), .def = "",
	  .check = check_file_opt, .help = "CA bundle; empty = system store" },
	{ .name = "cert", .type = K_STR, OF(struct sd_tls_conf, cert_file), .def = "",
	  .check = check_file_opt, .help = "client certificate (mTLS)" },
	{ .name = "key", .type = K_STR, OF(struct sd_tls_conf, key_file), .def = "",
	  .check = check_file_opt, .help = "private key of cert" },
	{ 0 }
};

static const struct key notify_keys[] = {
	{ .name = "listen", .type = K_STR, OF(struct sd_sbi_conf, notify_listen),
	  .def = "127.0.0.1:0", .check = check_listen,
	  .help = "host:port of our SBI server for callbacks; empty = off" },
	{ .name = "api_root", .type = K_STR, OF(struct sd_sbi_conf, notify_api_root),
	  .def = "", .check = check_url_opt,
	  .help = "how NFs reach that server; empty = derived from listen" },
	{ 0 }
};

static const struct key sbi_keys[] = {
	{ .name = "nrf", .type = K_STR, .store = store_nrf, .def = "",
	  OF(struct sd_sbi_conf, nrf_api_root), .check = check_url_opt,
	  .help = "API root of the NRF; empty = no 5GC (the engine's --nrf may give one)" },
	{ .name = "timeout_ms", .type = K_INT, OF(struct sd_sbi_conf, timeout_ms),
	  .min = 100, .max = 120000, .def = "3000", .unit = "ms", .help = "per request" },
	{ .name = "retries", .type = K_INT, OF(struct sd_sbi_conf, retries),
	  .min = 0, .max = 10, .def = "2", .help = "retries of idempotent requests" },
	{ .name = "poll_interval", .type = K_INT, OF(struct sd_sbi_conf, poll_interval_s),
	  .min = 1, .max = 3600, .def = "10", .unit = "s", .help = "collectors' base interval" },
	{ .name = "oauth2", .type = K_BOOL, OF(struct sd_sbi_conf, oauth2), .def = "false",
	  .help = "fetch access tokens from the NRF" },
	{ .name = "nf_instance_id", .type = K_STR, OF(struct sd_sbi_conf, nf_instance_id),
	  .def = "", .check = check_uuid_opt, .help = "our NF instance id (UUID)" },
	{ .name = "tls", .type = K_GROUP, .sub = tls_keys, OF(struct sd_sbi_conf, tls),
	  .help = "TLS settings" },
	{ .name = "notify", .type = K_GROUP, .sub = notify_keys, .enter = enter_self,
	  .help = "notification server" },
	{ 0 }
};

static const struct key sla_keys[] = {
	{ .name = "latency_ms", .type = K_SCALED, OF(struct sd_sla_profile, latency_us),
	  .fmin = 0, .fmax = 3600000, .scale = 1000, .unit = "ms",
	  .help = "one-way end-to-end latency bound" },
	{ .name = "latency_pct", .type = K_FLOAT, OF(struct sd_sla_profile, latency_pct),
	  .fmin = 0, .fmax = 100, .unit = "%", .help = "percentile the bound holds at" },
	{ .name = "reliability_pct", .type = K_FLOAT, OF(struct sd_sla_profile, reliability_pct),
	  .fmin = 0, .fmax = 100, .unit = "%", .help = "packets delivered within the bound" },
	{ .name = "availability_pct", .type = K_FLOAT,
	  OF(struct sd_sla_profile, availability_pct), .fmin = 0, .fmax = 100, .unit = "%",
	  .help = "service availability per month" },
	{ .name = "gbr_ul_mbps", .type = K_SCALED, OF(struct sd_sla_profile, gbr_ul_kbps),
	  .fmin = 0, .fmax = 100000, .scale = 1000, .unit = "Mbit/s",
	  .help = "guaranteed uplink rate per UE" },
	{ .name = "gbr_dl_mbps", .type = K_SCALED, OF(struct sd_sla_profile, gbr_dl_kbps),
	  .fmin = 0, .fmax = 100000, .scale = 1000, .unit = "Mbit/s",
	  .help = "guaranteed downlink rate per UE" },
	{ .name = "mbr_ul_mbps", .type = K_SCALED, OF(struct sd_sla_profile, mbr_ul_kbps),
	  .fmin = 0, .fmax = 100000, .scale = 1000, .unit = "Mbit/s",
	  .help = "maximum uplink rate per UE" },
	{ .name = "mbr_dl_mbps", .type = K_SCALED, OF(struct sd_sla_profile, mbr_dl_kbps),
	  .fmin = 0, .fmax = 100000, .scale = 1000, .unit = "Mbit/s",
	  .help = "maximum downlink rate per UE" },
	{ .name = "max_ues", .type = K_INT, OF(struct sd_sla_profile, max_ues),
	  .min = 0, .max = 10000000, .help = "UEs the slice admits" },
	{ .name = "fiveqi", .type = K_INT, OF(struct sd_sla_profile, fiveqi),
	  .min = 0, .max = 255, .help = "5QI of the slice's main flow" },
	{ 0 }
};

static const struct key cell_keys[] = {
	{ .name = "id", .type = K_ID, .required = true, OF(struct sd_cell, id), .help = "cell id" },
	{ .name = "name", .type = K_STR, OF(struct sd_cell, name), .check = check_text,
	  .help = "display name" },
	{ .name = "nci", .type = K_HEX, .required = true, .min = 9, OF(struct sd_cell, nci),
	  .hint = "e.g. \"00a010001\" (gNB id and cell id)",
	  .help = "NR cell identity, 9 hex digits (36 bits)" },
	{ .name = "tac", .type = K_HEX, .required = true, .min = 6, OF(struct sd_cell, tac),
	  .hint = "e.g. \"000101\"", .help = "tracking area code, 6 hex digits (24 bits)" },
	{ .name = "x", .type = K_FLOAT, OF(struct sd_cell, x_m), .fmin = 0, .fmax = 100000,
	  .def = "0", .unit = "m", .help = "position on the site plan" },
	{ .name = "y", .type = K_FLOAT, OF(struct sd_cell, y_m), .fmin = 0, .fmax = 100000,
	  .def = "0", .unit = "m", .help = "position on the site plan" },
	{ .name = "pci", .type = K_INT, OF(struct sd_cell, pci), .min = 0, .max = 1007,
	  .def = "0", .help = "physical cell id" },
	{ 0 }
};

static const struct key site_keys[] = {
	{ .name = "id", .type = K_ID, .required = true, OF(struct sd_site, id), .help = "site id" },
	{ .name = "name", .type = K_STR, OF(struct sd_site, name), .check = check_text,
	  .help = "display name" },
	{ .name = "lat", .type = K_FLOAT, .required = true, OF(struct sd_site, lat),
	  .fmin = -90, .fmax = 90, .unit = "degrees", .help = "WGS84 latitude" },
	{ .name = "lon", .type = K_FLOAT, .required = true, OF(struct sd_site, lon),
	  .fmin = -180, .fmax = 180, .unit = "degrees", .help = "WGS84 longitude" },
	{ .name = "width_m", .type = K_FLOAT, OF(struct sd_site, width_m), .fmin = 1,
	  .fmax = 100000, .def = "100", .unit = "m", .help = "site plan width" },
	{ .name = "height_m", .type = K_FLOAT, OF(struct sd_site, height_m), .fmin = 1,
	  .fmax = 100000, .def = "100", .unit = "m", .help = "site plan height" },
	{ .name = "cells", .type = K_LIST, .sub = cell_keys, .elem_new = new_cell,
	  .elem_done = done_cell, .help = "NR cells" },
	{ 0 }
};

static const struct key slice_keys[] = {
	{ .name = "id", .type = K_ID, .required = true, OF(struct sd_slice, id), .help = "slice id" },
	{ .name = "name", .type = K_STR, OF(struct sd_slice, name), .check = check_text,
	  .help = "display name" },
	{ .name = "snssai", .type = K_SNSSAI, .required = true, OF(struct sd_slice, snssai),
	  .hint = "write it as a string, e.g. \"2-000101\"", .help = "S-NSSAI (SST or SST-SD)" },
	{ .name = "scenario", .type = K_STR, .required = true, .check = check_scenario,
	  .store = store_scenario, .help = "scenario template id" },
	{ .name = "dnn", .type = K_STR, OF(struct sd_slice, dnn), .check = check_dnn,
	  .help = "DNN; default: the factory's first" },
	{ .name = "state", .type = K_ENUM, OF(struct sd_slice, state),
	  .parse = sd_slice_state_parse, .def = "active",
	  .choices = "requested, admitted, active, suspended, decommissioned, rejected",
	  .help = "contract state" },
	{ .name = "sites", .type = K_STRLIST, .store = store_slice_sites,
	  .help = "sites served; default: all of the factory's" },
	{ .name = "sla", .type = K_GROUP, .sub = sla_keys, OF(struct sd_slice, sla),
	  .help = "overrides of the scenario's SLA template" },
	{ 0 }
};

static const struct key factory_keys[] = {
	{ .name = "id", .type = K_ID, .required = true, OF(struct sd_factory, id),
	  .help = "factory id" },
	{ .name = "name", .type = K_STR, .required = true, .min = 1, OF(struct sd_factory, name),
	  .check = check_text, .help = "display name" },
	{ .name = "industry", .type = K_STR, OF(struct sd_factory, industry), .def = "",
	  .check = check_text, .help = "industry" },
	{ .name = "zone", .type = K_STR, OF(struct sd_factory, zone), .check = check_text,
	  .help = "county / park; default: zone.name" },
	{ .name = "mode", .type = K_ENUM, .required = true, OF(struct sd_factory, mode),
	  .parse = sd_pn_mode_parse, .choices = "virtual, hybrid, independent",
	  .help = "private network mode" },
	{ .name = "level", .type = K_ENUM, .required = true, OF(struct sd_factory, level),
	  .parse = sd_level_parse, .choices = "line, workshop, factory",
	  .help = "5G factory level" },
	{ .name = "security_grade", .type = K_INT, .required = true,
	  OF(struct sd_factory, security_grade), .min = 1, .max = 3,
	  .help = "industrial-internet security grade 1-3" },
	{ .name = "dnns", .type = K_STRLIST, .required = true, .store = store_dnns,
	  .max_elems = SD_MAX_DNNS, .help = "data network names" },
	{ .name = "tariff", .type = K_ID, OF(struct sd_factory, tariff), .def = "",
	  .help = "tariff id; default: the mode's" },
	{ .name = "sites", .type = K_LIST, .sub = site_keys, .elem_new = new_site,
	  .elem_done = done_site, .help = "sites" },
	{ .name = "slices", .type = K_LIST, .sub = slice_keys, .elem_new = new_slice,
	  .elem_done = done_slice, .help = "slices" },
	{ 0 }
};

static const struct key tariff_keys[] = {
	{ .name = "id", .type = K_ID, .required = true, OF(struct sd_tariff, id),
	  .help = "tariff id" },
	{ .name = "mode", .type = K_ENUM, .required = true, OF(struct sd_tariff, mode),
	  .parse = sd_pn_mode_parse, .choices = "virtual, hybrid, independent",
	  .help = "network mode it prices" },
	{ .name = "currency", .type = K_STR, OF(struct sd_tariff, currency), .def = "CNY",
	  .check = check_currency, .help = "ISO 4217 currency" },
	{ .name = "monthly_fee", .type = K_MONEY, .required = true,
	  OF(struct sd_tariff, monthly_fee), .max = 1000000000000000LL, .unit = "fen",
	  .help = "fee per month" },
	{ .name = "per_slice_fee", .type = K_MONEY, OF(struct sd_tariff, per_slice_fee),
	  .max = 1000000000000000LL, .def = "0", .unit = "fen",
	  .help = "per active slice per month" },
	{ .name = "per_gb", .type = K_MONEY, OF(struct sd_tariff, per_gb),
	  .max = 1000000000000000LL, .def = "0", .unit = "fen",
	  .help = "per GB beyond the allowance" },
	{ .name = "included_gb", .type = K_INT, OF(struct sd_tariff, included_gb),
	  .min = 0, .max = 1000000000LL, .def = "0", .unit = "GB",
	  .help = "GB included per month" },
	{ .name = "sla_credit_pct", .type = K_INT, OF(struct sd_tariff, sla_credit_pct),
	  .min = 0, .max = 100, .def = "0", .unit = "%",
	  .help = "credit per missed SLA KPI" },
	{ 0 }
};

static const struct key rule_keys[] = {
	{ .name = "user", .type = K_STR, .store = store_rule_user, .help = "user name" },
	{ .name = "group", .type = K_STR, .store = store_rule_user, .help = "group name" },
	{ .name = "role", .type = K_ENUM, .required = true, OF(struct sd_access_rule, role),
	  .parse = parse_role, .choices = "operator, viewer, factory", .help = "role" },
	{ .name = "factory", .type = K_ID, .help = "factory id, for role factory" },
	{ 0 }
};

static const struct key access_keys[] = {
	{ .name = "rules", .type = K_LIST, .sub = rule_keys, .elem_new = new_rule,
	  .elem_done = done_rule, .help = "who may connect, as what" },
	{ 0 }
};

static const struct key snmp_target_keys[] = {
	{ .name = "name", .type = K_ID, .required = true, OF(struct sd_snmp_target, name),
	  .help = "target name" },
	{ .name = "host", .type = K_STR, .required = true, .min = 1,
	  OF(struct sd_snmp_target, host), .check = check_host, .help = "receiver" },
	{ .name = "port", .type = K_INT, OF(struct sd_snmp_target, port), .min = 1,
	  .max = 65535, .def = "162", .help = "UDP port" },
	{ .name = "version", .type = K_ENUM, OF(struct sd_snmp_target, version),
	  .parse = parse_snmp_version, .choices = "2c, 3", .def = "2c",
	  .hint = "write it as a string: \"2c\" or \"3\"", .help = "SNMP version" },
	{ .name = "inform", .type = K_BOOL, OF(struct sd_snmp_target, inform), .def = "false",
	  .help = "send informs (acknowledged) instead of traps" },
	{ .name = "community", .type = K_STR, .min = 1, OF(struct sd_snmp_target, community),
	  .help = "v2c community (a secret)" },
	{ .name = "user", .type = K_STR, .min = 1, OF(struct sd_snmp_target, user),
	  .check = check_text, .help = "v3 USM user" },
	{ .name = "auth_proto", .type = K_STR, OF(struct sd_snmp_target, auth_proto),
	  .check = check_auth_proto, .def = "SHA", .help = "v3 authentication protocol" },
	{ .name = "auth_pass", .type = K_STR, .min = 8, OF(struct sd_snmp_target, auth_pass),
	  .help = "v3 authentication passphrase, 8+ characters (a secret)" },
	{ .name = "priv_proto", .type = K_STR, OF(struct sd_snmp_target, priv_proto),
	  .check = check_priv_proto, .def = "AES", .help = "v3 privacy protocol" },
	{ .name = "priv_pass", .type = K_STR, .min = 8, OF(struct sd_snmp_target, priv_pass),
	  .help = "v3 privacy passphrase, 8+ characters (a secret)" },
	{ 0 }
};

static const struct key snmp_keys[] = {
	{ .name = "targets", .type = K_LIST, .sub = snmp_target_keys, .elem_new = new_snmp,
	  .elem_done = done_snmp, .help = "trap/inform receivers" },
	{ 0 }
};

static const struct key kpi_keys[] = {
	{ .name = "raw_samples", .type = K_INT, OF(struct sd_monitor_conf, kpi_raw_samples),
	  .min = 1, .max = 3600, .def = "30",
	  .help = "recent raw samples kept in memory per object and metric" },
	{ .name = "retention_1min", .type = K_INT,
	  OF(struct sd_monitor_conf, kpi_retention_1min_days), .min = 1, .max = 3650,
	  .def = "2", .unit = "days", .help = "history of 1-minute roll-ups" },
	{ .name = "retention_5min", .type = K_INT,
	  OF(struct sd_monitor_conf, kpi_retention_5min_days), .min = 1, .max = 3650,
	  .def = "14", .unit = "days", .help = "history of 5-minute roll-ups" },
	{ .name = "retention_1h", .type = K_INT,
	  OF(struct sd_monitor_conf, kpi_retention_1h_days), .min = 1, .max = 3650,
	  .def = "90", .unit = "days", .help = "history of 1-hour roll-ups" },
	{ .name = "retention_1day", .type = K_INT,
	  OF(struct sd_monitor_conf, kpi_retention_1day_days), .min = 1, .max = 3650,
	  .def = "400", .unit = "days", .help = "history of 1-day roll-ups" },
	{ 0 }
};

static const struct key sla_eval_keys[] = {
	{ .name = "window", .type = K_INT, OF(struct sd_monitor_conf, sla_window_min),
	  .min = 1, .max = 60, .def = "5", .unit = "min",
	  .help = "SLA evaluation window" },
	{ .name = "hysteresis", .type = K_INT, OF(struct sd_monitor_conf, sla_hysteresis),
	  .min = 1, .max = 100, .def = "2", .unit = "windows",
	  .help = "windows in a row that breach (or meet) before a breach (or recovery)" },
	{ .name = "rate_tolerance_pct", .type = K_FLOAT,
	  OF(struct sd_monitor_conf, sla_rate_tolerance_pct), .fmin = 0, .fmax = 50,
	  .def = "5", .unit = "%", .help = "shortfall of the guaranteed rate still met" },
	{ 0 }
};

static const struct key coverage_keys[] = {
	{ .name = "rsrp_min", .type = K_FLOAT, OF(struct sd_monitor_conf, cov_rsrp_min_dbm),
	  .fmin = -156, .fmax = -31, .def = "-105", .unit = "dBm",
	  .help = "a sample passes at or above this RSRP (and SINR)" },
	{ .name = "sinr_min", .type = K_FLOAT, OF(struct sd_monitor_conf, cov_sinr_min_db),
	  .fmin = -23, .fmax = 40, .def = "0", .unit = "dB",
	  .help = "a sample passes at or above this SINR (and RSRP)" },
	{ .name = "target_pct", .type = K_FLOAT, OF(struct sd_monitor_conf, cov_target_pct),
	  .fmin = 0, .fmax = 100, .def = "95", .unit = "%",
	  .help = "share of passing samples a site (or cell) needs" },
	{ .name = "grid", .type = K_FLOAT, OF(struct sd_monitor_conf, cov_grid_m),
	  .fmin = 1, .fmax = 1000, .def = "10", .unit = "m",
	  .help = "side of the coverage grid's squares" },
	{ .name = "min_hole_squares", .type = K_INT,
	  OF(struct sd_monitor_conf, cov_min_hole_squares), .min = 1, .max = 1000000,
	  .def = "2", .help = "failing squares a hole has at least" },
	{ 0 }
};

static const struct key monitor_keys[] = {
	{ .name = "kpi", .type = K_GROUP, .sub = kpi_keys, .enter = enter_self,
	  .help = "KPI store" },
	{ .name = "sla", .type = K_GROUP, .sub = sla_eval_keys, .enter = enter_self,
	  .help = "SLA evaluation" },
	{ .name = "coverage", .type = K_GROUP, .sub = coverage_keys, .enter = enter_self,
	  .help = "coverage thresholds" },
	{ 0 }
};

/* Top level, in the order the checks need: tariffs before factories (a
 * factory names its tariff), factories before access (a rule names its
 * factory). The file may order them as it likes. */
static const struct key root_keys[] = {
	{ .name = "engine", .type = K_GROUP, .sub = engine_keys, .enter = enter_self,
	  .help = "the engine process" },
	{ .name = "zone", .type = K_GROUP, .required = true, .sub = zone_keys,
	  .enter = enter_model, .help = "the pilot zone" },
	{ .name = "sbi", .type = K_GROUP, .sub = sbi_keys,
	  OF(struct sd_config, sbi), .help = "the 5GC's service based interface" },
	{ .name = "tariffs", .type = K_LIST, .sub = tariff_keys, .elem_new = new_tariff,
	  .elem_done = done_tariff, .help = "tariffs" },
	{ .name = "factories", .type = K_LIST, .sub = factory_keys, .elem_new = new_factory,
	  .elem_done = done_factory, .help = "factories" },
	{ .name = "access", .type = K_GROUP, .sub = access_keys, .enter = enter_self,
	  .help = "access rules" },
	{ .name = "snmp", .type = K_GROUP, .sub = snmp_keys, .enter = enter_self,
	  .help = "SNMP notifications" },
	{ .name = "monitor", .type = K_GROUP, .sub = monitor_keys,
	  OF(struct sd_config, monitor), .help = "KPIs, SLA evaluation, coverage" },
	{ 0 }
};

/* ------------------------------------------------------------------ */
/* Description of the table                                            */

static const char *ktype_name(enum ktype t)
{
	static const char *const names[] = {
		[K_STR] = "string", [K_ID] = "id", [K_ENUM] = "enum", [K_INT] = "integer",
		[K_MONEY] = "money", [K_FLOAT] = "number", [K_SCALED] = "number",
		[K_BOOL] = "boolean", [K_OCTAL] = "octal", [K_HEX] = "hex",
		[K_SNSSAI] = "snssai", [K_STRLIST] = "strings", [K_GROUP] = "group",
		[K_LIST] = "list",
	};
	return names[t];
}

static void describe(const struct key *tab, const char *prefix,
		     void (*fn)(const struct sd_config_key_info *k, void *arg), void *arg)
{
	const struct key *k;
	char path[256];
	for (k = tab; k->name; k++) {
		struct sd_config_key_info i = {
			.path = path, .type = ktype_name(k->type), .def = k->def, .unit = k->unit,
			.help = k->help, .choices = k->choices, .required = k->required,
			.min = 1, .max = 0,
		};
		child_path(path, sizeof path, prefix, k->name);
		if (k->type == K_INT) {
			i.min = (double)k->min;
			i.max = (double)k->max;
		} else if (k->type == K_MONEY) {
			i.min = 0;
			i.max = (double)k->max;
		} else if (k->type == K_FLOAT || k->type == K_SCALED) {
			i.min = k->fmin;
			i.max = k->fmax;
		}
		fn(&i, arg);
		if (k->sub) {
			char sub[256];
			sd_strlcpy(sub, path, sizeof sub);
			describe(k->sub, sub, fn, arg);
		}
	}
}

void sd_config_describe(void (*fn)(const struct sd_config_key_info *k, void *arg), void *arg)
{
	describe(root_keys, "", fn, arg);
}

/* ------------------------------------------------------------------ */
/* Whole-file checks                                                   */

static void check_permissions(struct ctx *x)
{
	int i;
	for (i = 0; i < x->nfiles; i++) {
		struct cfile *f = &x->files[i];
		struct stat st;
		if (stat(f->display, &st) < 0)
			continue;
		if (f->secret && (st.st_mode & 007)) {
			add_err(x, i, 0, "holds secrets (%s) but is %s by others (mode %04o); "
				"chmod 0640 or 0600", f->secret,
				(st.st_mode & S_IROTH) ? "readable" :
				(st.st_mode & S_IWOTH) ? "writable" : "accessible",
				(unsigned)(st.st_mode & 07777));
		} else if (st.st_mode & S_IWOTH) {
			add_err(x, i, 0, "is writable by others (mode %04o): anyone could change "
				"the access rules; chmod o-w", (unsigned)(st.st_mode & 07777));
		}
	}
}

static void check_sbi(struct ctx *x)
{
	const struct sd_sbi_conf *sbi = &x->c->sbi;
	config_setting_t *g = config_lookup(&x->cf, "sbi"), *s;
	if (!g)
		return;
	if (sbi->oauth2 && !sbi->nf_instance_id[0]) {
		s = config_setting_get_member(g, "oauth2");
		serr(x, s ? s : g, "sbi.oauth2", "oauth2 = true needs sbi.nf_instance_id "
		     "(the UUID the NRF knows us by)");
	}
	if (sbi->tls.key_file[0] && !sbi->tls.cert_file[0]) {
		config_setting_t *t = config_setting_get_member(g, "tls");
		s = t ? config_setting_get_member(t, "key") : NULL;
		serr(x, s ? s : g, "sbi.tls.key", "a key without a cert; set sbi.tls.cert too");
	}
}

static int perr_cmp(const void *a, const void *b)
{
	const struct perr *p = a, *q = b;
	if (p->file != q->file)
		return p->file - q->file;
	if (p->line != q->line)
		return p->line - q->line;
	return p->seq < q->seq ? -1 : p->seq > q->seq;
}

static void ctx_done(struct ctx *x)
{
	int i;
	for (i = 0; i < x->nfiles; i++) {
		free(x->files[i].name);
		free(x->files[i].display);
		free(x->files[i].real);
		free(x->files[i].lits);
	}
	for (i = 0; i < x->nerrs; i++)
		free(x->errs[i].msg);
	free(x->errs);
	free(x->dir);
	free(x->realdir);
	free(x->fac_set);
	free(x->site_set);
	free(x->cell_set);
	free(x->slice_set);
	free(x->tariff_set);
	free(x->snmp_set);
	free(x->rule_set);
}

struct sd_config *sd_config_load(const char *path, struct sd_errlist *errs)
{
	struct ctx x;
	struct sd_config *c;
	const char *slash;
	int i, before = errs->n;
	bool bad = false;

	memset(&x, 0, sizeof x);
	c = x.c = sd_calloc(1, sizeof *c);
	c->model = x.m = sd_calloc(1, sizeof *x.m);
	sd_strlcpy(c->path, path, sizeof c->path);

	slash = strrchr(path, '/');
	if (!slash)
		x.dir = sd_strdup(".");
	else if (slash == path)
		x.dir = sd_strdup("/");
	else
		x.dir = sd_strndup(path, (size_t)(slash - path));
	x.realdir = realpath(x.dir, NULL);
	x.files[0].name = sd_strdup(path);
	x.files[0].display = sd_strdup(path);
	x.files[0].real = realpath(path, NULL);
	x.nfiles = 1;
	config_init(&x.cf);

	if (!x.realdir || !x.files[0].real) {
		add_err(&x, 0, 0, "cannot open: %s", strerror(errno));
		goto finish;
	}
	{
		struct stat st;
		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
			add_err(&x, 0, 0, "not a regular file");
			goto finish;
		}
	}
	if (prescan(&x, 0, 0, NULL, 0) < 0 || x.nerrs)
		goto finish;

	config_set_include_dir(&x.cf, x.dir);
	if (!config_read_file(&x.cf, path)) {
		const char *ef = config_error_file(&x.cf);
		int fi = -1;
		for (i = 0; ef && i < x.nfiles; i++)
			if (strcmp(x.files[i].name, ef) == 0)
				fi = i;
		if (config_error_type(&x.cf) == CONFIG_ERR_FILE_IO && !ef)
			add_err(&x, 0, 0, "cannot read: %s", config_error_text(&x.cf));
		else if (fi >= 0)
			add_err(&x, fi, config_error_line(&x.cf), "%s", config_error_text(&x.cf));
		else
			add_err(&x, 0, 0, "%s:%d: %s", ef ? ef : "?", config_error_line(&x.cf),
				config_error_text(&x.cf));
		goto finish;
	}
	check_sources(&x, config_root_setting(&x.cf), &bad);
	if (bad)
		goto finish;
	mark_overflows(&x, config_root_setting(&x.cf));
	check_group(&x, config_root_setting(&x.cf), root_keys, c, "");
	check_sbi(&x);
	check_permissions(&x);

finish:
	if (x.nerrs > 1)
		qsort(x.errs, (size_t)x.nerrs, sizeof *x.errs, perr_cmp);
	for (i = 0; i < x.nerrs; i++)
		sd_errlist_add(errs, x.files[x.errs[i].file].display, x.errs[i].line, "%s",
			       x.errs[i].msg);
	config_destroy(&x.cf);
	ctx_done(&x);
	if (errs->n > before) {
		sd_config_free(c);
		return NULL;
	}
	return c;
}

void sd_config_free(struct sd_config *c)
{
	int i;
	if (!c)
		return;
	sd_model_free(c->model);
	for (i = 0; i < c->nsnmp; i++)
		explicit_bzero(&c->snmp[i], sizeof c->snmp[i]);
	free(c->snmp);
	free(c->rules);
	free(c->tariffs);
	free(c);
}

static const char *plural(int n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

void sd_config_summary(const struct sd_config *c, char *buf, size_t bufsz)
{
	const struct sd_model *m = c->model;
	snprintf(buf, bufsz, "ok: zone %s, PLMN %s-%s, %d %s, %d %s, %d %s, %d %s, "
		 "%d access %s, %d SNMP %s, %d %s",
		 m->zone_name, m->plmn.mcc, m->plmn.mnc,
		 m->nfactories, plural(m->nfactories, "factory", "factories"),
		 m->nsites, plural(m->nsites, "site", "sites"),
		 m->ncells, plural(m->ncells, "cell", "cells"),
		 m->nslices, plural(m->nslices, "slice", "slices"),
		 c->nrules, plural(c->nrules, "rule", "rules"),
		 c->nsnmp, plural(c->nsnmp, "target", "targets"),
		 c->ntariffs, plural(c->ntariffs, "tariff", "tariffs"));
}

/* ------------------------------------------------------------------ */
/* Roles                                                               */

/* The gids of uid's user: primary and supplementary. Returns the count,
 * 0 when the user is unknown; *out is malloc'd. */
static int user_groups(uid_t uid, gid_t **out)
{
	size_t sz = 4096;
	char *buf = NULL;
	struct passwd pw, *res = NULL;
	int rc, ng = 64;
	gid_t *gids;

	*out = NULL;
	for (;;) {
		buf = sd_realloc(buf, sz);
		rc = getpwuid_r(uid, &pw, buf, sz, &res);
		if (rc != ERANGE || sz >= (1u << 20))
			break;
		sz *= 2;
	}
	if (rc != 0 || !res) {
		free(buf);
		return 0;
	}
	for (;;) {
		int want = ng;
		gids = sd_reallocarray(NULL, (size_t)ng, sizeof *gids);
		if (getgrouplist(pw.pw_name, pw.pw_gid, gids, &ng) >= 0)
			break;
		free(gids);
		gids = NULL;
		if (ng <= want)
			ng = want * 2;
		if (ng > 65536) {
			ng = 0;
			break;
		}
	}
	free(buf);
	*out = gids;
	return ng;
}

enum sd_role sd_config_role_for(const struct sd_config *c, uid_t uid, gid_t gid,
				int *factory)
{
	gid_t *gids = NULL;
	int i, j, ng = -1;

	*factory = -1;
	for (i = 0; i < c->nrules; i++) {
		const struct sd_access_rule *r = &c->rules[i];
		if (!r->is_group && r->resolved && r->id == (uint32_t)uid) {
			if (r->role == SD_ROLE_FACTORY)
				*factory = r->factory;
			return r->role;
		}
	}
	for (i = 0; i < c->nrules; i++) {
		const struct sd_access_rule *r = &c->rules[i];
		bool match;
		if (!r->is_group || !r->resolved)
			continue;
		match = r->id == (uint32_t)gid;
		if (!match) {
			if (ng < 0)
				ng = user_groups(uid, &gids);
			for (j = 0; j < ng && !match; j++)
				match = (uint32_t)gids[j] == r->id;
		}
		if (match) {
			free(gids);
			if (r->role == SD_ROLE_FACTORY)
				*factory = r->factory;
			return r->role;
		}
	}
	free(gids);
	if (uid == 0 || uid == geteuid())
		return SD_ROLE_OPERATOR;
	return SD_ROLE_NONE;
}

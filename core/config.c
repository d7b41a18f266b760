/* core/config.c — load and validate the configuration; see config.h.
 *
 * How it works, in four passes over one file set:
 *
 *  1. prescan (config_file.c): a small lexer reads the main file and,
 *     recursively, every @include. It confines includes to the main file's
 *     directory (before the parser opens anything) and records every
 *     integer literal, because the format as libconfig 1.5 reads it
 *     truncates plain integers to 32 bits (security_grade = 4294967297
 *     would read as 1).
 *  2. the parser (core/cfgtree.c: libconfig's format and API subset, read
 *     as libconfig 1.5 reads it) builds the tree; its first syntax error
 *     is reported as file:line.
 *  3. the literals are matched to the tree's integer settings in document
 *     order; an overflowed one is marked with a setting hook.
 *  4. the key tables are walked against the tree: the core's top-level rows
 *     (root_keys below: engine, zone, sbi, factories, access; their tables
 *     are in config_engine.c, config_zone.c and access.c), then each module
 *     section of the schema (core/config_keys.h), then each section's
 *     cross-reference check. Each list element's checks and cross
 *     references run after its keys. Every problem is collected, nothing
 *     stops early, and the messages are sorted by file and line.
 *
 * Linear time: duplicate checks and id references go through hash indexes
 * (sd_config_unique, core/index.h), never a scan of what came before, so a
 * 100,000-slice zone costs the parse (about 0.3 s) and the checks.
 *
 * Adding a key: add a row to the right table, with .restart = true when a
 * reload does not apply it (and to docs/configuration.md and
 * packaging/man/slicedeck.conf.5); unknown keys are errors, so a key the
 * table does not know cannot be used.
 */
#include "core/config.h"

#include <ctype.h>
#include <errno.h>
#include "core/cfgtree.h"
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/config_impl.h"
#include "core/log.h"
#include "core/util.h"

#define MAX_ERRORS       200
#define MAX_ROWS         64          /* keys in one table (root: core + sections) */

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
	/* file names and libconfig's own messages may quote raw bytes */
	msg = sd_escape_dup(full);
	free(full);
	full = msg;
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 16;
		e->msgs = sd_reallocarray(e->msgs, (size_t)e->cap, sizeof *e->msgs);
	}
	e->msgs[e->n++] = full;
}

/* ------------------------------------------------------------------ */
/* Load context: messages, namespaces                                  */

static const char *member_string(const config_setting_t *g, const char *name);

void sd_cfg_add_err(struct sd_config_ctx *x, int file, int line, const char *fmt, ...)
{
	va_list ap;
	char *msg, *p;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = sd_strdup("(out of memory)");
	va_end(ap);
	/* messages quote values as written: no control byte reaches a
	 * terminal or a log line */
	for (p = msg; *p; p++)
		if ((unsigned char)*p < ' ' || *p == 0x7f)
			*p = '?';
	if (x->nerrs == x->errcap) {
		x->errcap = x->errcap ? x->errcap * 2 : 16;
		x->errs = sd_reallocarray(x->errs, (size_t)x->errcap, sizeof *x->errs);
	}
	x->errs[x->nerrs++] = (struct sd_cfg_perr){ file, line, x->seq++, msg };
}

/* Index into x->files of the file a setting came from; 0 (the main file)
 * when libconfig does not say. libconfig hands out one name pointer per
 * file, so the last answer is remembered by pointer. */
int sd_cfg_file_of(struct sd_config_ctx *x, const config_setting_t *s)
{
	const char *f = config_setting_source_file(s);
	int i;
	if (!f)
		return 0;
	if (f == x->last_src)
		return x->last_fi;
	for (i = 0; i < x->nfiles; i++)
		if (strcmp(x->files[i].name, f) == 0) {
			x->last_src = f;
			x->last_fi = i;
			return i;
		}
	return 0;
}

void sd_config_err(struct sd_config_ctx *x, const config_setting_t *s, const char *path,
		   const char *fmt, ...)
{
	va_list ap;
	char *msg;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	sd_cfg_add_err(x, sd_cfg_file_of(x, s), (int)config_setting_source_line(s), "%s: %s",
		       path && *path ? path : "(top level)", msg ? msg : "(out of memory)");
	free(msg);
}

void sd_config_warn(struct sd_config_ctx *x, const config_setting_t *s, const char *path,
		    const char *fmt, ...)
{
	va_list ap;
	char *msg, *p;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	for (p = msg; p && *p; p++)
		if ((unsigned char)*p < ' ' || *p == 0x7f)
			*p = '?';
	sd_errlist_add(&x->c->warnings, x->files[sd_cfg_file_of(x, s)].display,
		       (int)config_setting_source_line(s), "%s: %s", path && *path ? path : "(top level)",
		       msg ? msg : "(out of memory)");
	free(msg);
}

void sd_config_log_warnings(const struct sd_config *c)
{
	if (c->warnings.n == 1)
		sd_warn("%s", c->warnings.msgs[0]);
	else if (c->warnings.n > 1)
		sd_warn("%s: %d configuration warnings, the first: %s (slicedeckd -t %s lists them all)",
			c->path, c->warnings.n, c->warnings.msgs[0], c->path);
}

const char *sd_config_where(struct sd_config_ctx *x, const config_setting_t *s, char *buf, size_t n)
{
	char *d = sd_escape_dup(x->files[sd_cfg_file_of(x, s)].display);
	snprintf(buf, n, "%s:%u", d, config_setting_source_line(s));
	free(d);
	return buf;
}

config_setting_t *sd_config_member(const config_setting_t *s, const char *name)
{
	return s ? config_setting_get_member(s, name) : NULL;
}

void sd_config_note_secret(struct sd_config_ctx *x, const config_setting_t *s, const char *what)
{
	struct sd_cfg_file *f;
	if (!s)
		return;
	x->c->has_secrets = true;
	f = &x->files[sd_cfg_file_of(x, s)];
	if (!f->secret)
		f->secret = what;
}

struct sd_model *sd_config_ctx_model(struct sd_config_ctx *x) { return x->m; }
struct sd_config *sd_config_ctx_config(struct sd_config_ctx *x) { return x->c; }

config_setting_t *sd_config_factory_setting(struct sd_config_ctx *x, int i)
{
	return i >= 0 && i < x->m->nfactories ? x->fac_set[i] : NULL;
}

void *sd_config_grow(void *arr, int n, int *cap, size_t size)
{
	if (n >= *cap) {
		*cap = *cap ? *cap * 2 : 16;
		if (*cap <= n)
			*cap = n + 1;
		arr = sd_reallocarray(arr, (size_t)*cap, size);
	}
	memset((char *)arr + (size_t)n * size, 0, size);
	return arr;
}

struct sd_cfg_ns *sd_cfg_ns(struct sd_config_ctx *x, const char *name, bool create)
{
	int i;
	for (i = 0; i < x->nns; i++)
		if (strcmp(x->ns[i].name, name) == 0)
			return &x->ns[i];
	if (!create || x->nns == SD_CFG_MAX_NS)
		return NULL;
	x->ns[x->nns].name = name;
	sd_strindex_init(&x->ns[x->nns].ix);
	return &x->ns[x->nns++];
}

bool sd_config_unique(struct sd_config_ctx *x, const char *ns, config_setting_t *e,
		      const char *key, int value, const char *path, const char *what)
{
	struct sd_cfg_ns *n = sd_cfg_ns(x, ns, true);
	const char *id = NULL;
	char w[300];
	int first;

	if (!n || !(id = member_string(e, key)) || !sd_id_valid(id))
		return true;
	/* the id string belongs to libconfig's tree: valid until the load ends */
	first = sd_strindex_put(&n->ix, id, n->n);
	if (first >= 0) {
		sd_config_err(x, e, path, "duplicate %s \"%s\" (first defined at %s)", what, id,
			      sd_config_where(x, n->set[first], w, sizeof w));
		return false;
	}
	n->set = sd_config_grow(n->set, n->n, &n->cap, sizeof *n->set);
	n->set[n->n] = e;
	/* the value lives beside the setting: a second array would be the same size */
	n->vals = sd_config_grow(n->vals, n->n, &n->vcap, sizeof *n->vals);
	n->vals[n->n++] = value;
	return true;
}

int sd_config_find(struct sd_config_ctx *x, const char *ns, const char *id)
{
	struct sd_cfg_ns *n = sd_cfg_ns(x, ns, false);
	int k = n && id ? sd_strindex_get(&n->ix, id) : -1;
	return k >= 0 ? n->vals[k] : -1;
}

const char *sd_cfg_scenario_check(struct sd_config_ctx *x, const char *v)
{
	const struct sd_config_schema *s = x->schema;
	return s && s->scenario_find && s->scenario_find(v) ? NULL
		: "unknown scenario (one of the 20 catalog ids, e.g. \"remote-control\"; "
		  "see docs/configuration.md)";
}

/* ------------------------------------------------------------------ */
/* The key table                                                        */

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

static const char *ktype_desc(enum sd_config_ktype t)
{
	switch (t) {
	case SD_K_STR: case SD_K_ID: case SD_K_ENUM: case SD_K_OCTAL: case SD_K_HEX: case SD_K_SNSSAI:
		return "a string";
	case SD_K_INT: case SD_K_MONEY: return "an integer";
	case SD_K_FLOAT: case SD_K_SCALED: return "a number";
	case SD_K_BOOL: return "a boolean (true or false)";
	case SD_K_STRLIST: return "an array of strings [ \"a\", \"b\" ]";
	case SD_K_GROUP: return "a group { ... }";
	case SD_K_LIST: return "a list of groups ( { ... }, { ... } )";
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
static void store_default(const struct sd_config_key *k, void *obj)
{
	char *p = (char *)obj + k->off;
	if (!k->def || !k->size || k->store)
		return;
	switch (k->type) {
	case SD_K_STR: case SD_K_ID:
		sd_strlcpy(p, k->def, k->size);
		break;
	case SD_K_ENUM:
		put_int(p, k->size, k->parse(k->def));
		break;
	case SD_K_INT: case SD_K_MONEY:
		put_int(p, k->size, strtoll(k->def, NULL, 10));
		break;
	case SD_K_FLOAT: {
		double d = strtod(k->def, NULL);
		memcpy(p, &d, sizeof d);
		break;
	}
	case SD_K_SCALED:
		put_uint(p, k->size, (uint64_t)llround(strtod(k->def, NULL) * k->scale));
		break;
	case SD_K_BOOL: {
		bool b = strcmp(k->def, "true") == 0;
		memcpy(p, &b, sizeof b);
		break;
	}
	case SD_K_OCTAL: {
		int v = 0;
		parse_octal_mode(k->def, &v);
		memcpy(p, &v, sizeof v);
		break;
	}
	default:
		break;
	}
}

static void check_group(struct sd_config_ctx *x, config_setting_t *g, const struct sd_config_key *tab,
			void *obj, void *const *objs, const char *path);

/* The object a group row's members live in. */
static void *group_obj(struct sd_config *c, const struct sd_config_key *k, void *obj)
{
	return k->enter ? k->enter(c, obj) : (char *)obj + k->off;
}

/* A group left out entirely still gets its members' defaults. */
static void group_defaults(struct sd_config *c, const struct sd_config_key *tab, void *obj)
{
	const struct sd_config_key *k;
	for (k = tab; k && k->name; k++) {   /* a free-form group has no table */
		if (k->type == SD_K_GROUP)
			group_defaults(c, k->sub, group_obj(c, k, obj));
		else
			store_default(k, obj);
	}
}

/* Called for every key of every element: plain copies, not snprintf. */
void sd_config_child_path(char *buf, size_t n, const char *parent, const char *name)
{
	size_t lp = parent ? strlen(parent) : 0, ln = strlen(name), at = 0;
	if (n == 0)
		return;
	if (lp) {
		at = lp < n - 1 ? lp : n - 1;
		memcpy(buf, parent, at);
		if (at < n - 1)
			buf[at++] = '.';
	}
	if (ln > n - 1 - at)
		ln = n - 1 - at;
	memcpy(buf + at, name, ln);
	buf[at + ln] = '\0';
}

/* A string member of group g, NULL when absent or not a string; without
 * the path parsing of config_setting_lookup_string (per element, hot). */
static const char *member_string(const config_setting_t *g, const char *name)
{
	const config_setting_t *s = config_setting_get_member(g, name);
	return s && config_setting_type(s) == CONFIG_TYPE_STRING ? config_setting_get_string(s)
		: NULL;
}

/* Integer value of s with libconfig's truncation undone: false (and an
 * error) when the literal did not fit. */
static bool get_integer(struct sd_config_ctx *x, config_setting_t *s, const char *path,
			long long min, long long max, long long *out)
{
	const struct sd_cfg_lit *l = config_setting_get_hook(s);
	if (l) {
		sd_config_err(x, s, path, "%s is out of range %lld%s%lld", l->text, min,
		     min < 0 ? ".." : "-", max);
		return false;
	}
	*out = config_setting_get_int64(s);
	return true;
}

/* A list of groups; each element is named in messages by its id (the
 * table's first key, when that is an id key with a valid value), else by
 * its 0-based index. */
static void check_list(struct sd_config_ctx *x, const struct sd_config_key *k, config_setting_t *s,
		       void *obj, const char *path)
{
	int i, n = config_setting_length(s);
	int max = k->max_elems ? k->max_elems : SD_CFG_MAX_ELEMS;

	if (n > max) {
		sd_config_err(x, s, path, "more than %d elements", max);
		n = max;
	}
	for (i = 0; i < n; i++) {
		config_setting_t *e = config_setting_get_elem(s, i);
		const char *id = NULL;
		char ep[512];
		void *eo;

		if (config_setting_type(e) != CONFIG_TYPE_GROUP) {
			snprintf(ep, sizeof ep, "%s[%d]", path, i);
			sd_config_err(x, e, ep, "expected a group { ... }, got %s",
			     type_desc(config_setting_type(e)));
			continue;
		}
		if (k->sub[0].type == SD_K_ID &&
		    (id = member_string(e, k->sub[0].name)) != NULL && sd_id_valid(id))
			snprintf(ep, sizeof ep, "%s[%s]", path, id);
		else
			snprintf(ep, sizeof ep, "%s[%d]", path, i);
		eo = k->elem_new ? k->elem_new(x, e, obj) : NULL;
		if (!eo)
			continue;
		check_group(x, e, k->sub, eo, NULL, ep);
		if (k->elem_done)
			k->elem_done(x, e, eo, ep);
	}
}

/* Validate one present setting against its row and store it. */
static void check_value(struct sd_config_ctx *x, const struct sd_config_key *k, config_setting_t *s,
			void *obj, const char *path)
{
	int t = config_setting_type(s);
	char *p = (char *)obj + k->off;
	const char *str = NULL, *why;
	bool ok_type;

	switch (k->type) {
	case SD_K_STR: case SD_K_ID: case SD_K_ENUM: case SD_K_OCTAL: case SD_K_HEX: case SD_K_SNSSAI:
		ok_type = t == CONFIG_TYPE_STRING;
		break;
	case SD_K_INT: case SD_K_MONEY:
		ok_type = t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64;
		break;
	case SD_K_FLOAT: case SD_K_SCALED:
		ok_type = t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 || t == CONFIG_TYPE_FLOAT;
		break;
	case SD_K_BOOL:
		ok_type = t == CONFIG_TYPE_BOOL;
		break;
	case SD_K_STRLIST:
		ok_type = t == CONFIG_TYPE_ARRAY ||
			  (t == CONFIG_TYPE_LIST && config_setting_length(s) == 0);
		break;
	case SD_K_GROUP:
		ok_type = t == CONFIG_TYPE_GROUP;
		break;
	case SD_K_LIST:
		ok_type = t == CONFIG_TYPE_LIST ||
			  (t == CONFIG_TYPE_ARRAY && config_setting_length(s) == 0);
		break;
	default:
		ok_type = false;
	}
	if (!ok_type) {
		if (k->type == SD_K_MONEY && t == CONFIG_TYPE_FLOAT)
			sd_config_err(x, s, path, "money is in integer minor units (fen), not a float: "
			     "%.2f yuan is written %lld", config_setting_get_float(s),
			     (long long)llround(config_setting_get_float(s) * 100));
		else
			sd_config_err(x, s, path, "expected %s, got %s%s%s", ktype_desc(k->type),
			     type_desc(t), k->hint ? "; " : "", k->hint ? k->hint : "");
		return;
	}
	if (t == CONFIG_TYPE_STRING)
		str = config_setting_get_string(s);

	switch (k->type) {
	case SD_K_STR:
		if (k->size && strlen(str) >= k->size) {
			sd_config_err(x, s, path, "longer than %zu characters", k->size - 1);
			return;
		}
		if ((long long)strlen(str) < k->min) {
			if (k->min > 1)
				sd_config_err(x, s, path, "must be at least %lld characters", k->min);
			else
				sd_config_err(x, s, path, "must not be empty");
			return;
		}
		if (k->check && (why = k->check(x, str)) != NULL) {
			sd_config_err(x, s, path, "\"%s\": %s", str, why);
			return;
		}
		break;
	case SD_K_ID:
		if (!sd_id_valid(str)) {
			sd_config_err(x, s, path, "\"%s\" is not a valid id (1-%d characters of A-Z a-z "
			     "0-9 _ . -)", str, SD_ID_MAX - 1);
			return;
		}
		if (k->check && (why = k->check(x, str)) != NULL) {
			sd_config_err(x, s, path, "\"%s\": %s", str, why);
			return;
		}
		break;
	case SD_K_ENUM:
		if (k->parse(str) < 0) {
			sd_config_err(x, s, path, "\"%s\" is not one of: %s", str, k->choices);
			return;
		}
		break;
	case SD_K_OCTAL: {
		int v;
		if (!parse_octal_mode(str, &v)) {
			sd_config_err(x, s, path, "\"%s\" is not an octal mode 000-0777 (e.g. \"0660\")", str);
			return;
		}
		break;
	}
	case SD_K_HEX: {
		uint64_t v;
		if (!parse_hex_digits(str, (int)k->min, &v)) {
			sd_config_err(x, s, path, "\"%s\" must be exactly %lld hex digits (%lld bits)%s%s",
			     str, k->min, k->min * 4, k->hint ? "; " : "", k->hint ? k->hint : "");
			return;
		}
		break;
	}
	case SD_K_SNSSAI: {
		struct sd_snssai n;
		if (!sd_snssai_parse(str, &n, &why)) {
			sd_config_err(x, s, path, "\"%s\": %s", str, why);
			return;
		}
		if (n.sst == 0) {
			sd_config_err(x, s, path, "\"%s\": SST 0 has no standardized meaning; use 1-255 "
			     "(128-255 are operator-specific)", str);
			return;
		}
		break;
	}
	case SD_K_INT: case SD_K_MONEY: {
		long long v, min = k->type == SD_K_MONEY ? 0 : k->min;
		if (!get_integer(x, s, path, min, k->max, &v))
			return;
		if (v < 0 && min == 0) {
			sd_config_err(x, s, path, "must not be negative (got %lld)", v);
			return;
		}
		if (v < min || v > k->max) {
			sd_config_err(x, s, path, "%lld is out of range %lld%s%lld%s%s", v, min,
			     min < 0 ? ".." : "-", k->max, k->unit ? " " : "", k->unit ? k->unit : "");
			return;
		}
		if (k->size && !k->store)
			put_int(p, k->size, v);
		break;
	}
	case SD_K_FLOAT: case SD_K_SCALED: {
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
			sd_config_err(x, s, path, "must be a finite number");
			return;
		}
		if (d < 0 && k->fmin == 0) {
			sd_config_err(x, s, path, "must not be negative (got %g)", d);
			return;
		}
		if (d < k->fmin || d > k->fmax) {
			sd_config_err(x, s, path, "%g is out of range %g%s%g%s%s", d, k->fmin,
			     k->fmin < 0 ? ".." : "-", k->fmax, k->unit ? " " : "", k->unit ? k->unit : "");
			return;
		}
		if (k->size && !k->store) {
			if (k->type == SD_K_FLOAT)
				memcpy(p, &d, sizeof d);
			else
				put_uint(p, k->size, (uint64_t)llround(d * k->scale));
		}
		break;
	}
	case SD_K_BOOL:
		if (k->size && !k->store) {
			bool b = config_setting_get_bool(s) != 0;
			memcpy(p, &b, sizeof b);
		}
		break;
	case SD_K_STRLIST: {
		int i, n = config_setting_length(s);
		int max = k->max_elems ? k->max_elems : SD_CFG_MAX_ELEMS;
		if (n > max) {
			sd_config_err(x, s, path, "more than %d entries", max);
			return;
		}
		for (i = 0; i < n; i++) {
			config_setting_t *e = config_setting_get_elem(s, i);
			if (config_setting_type(e) != CONFIG_TYPE_STRING) {
				sd_config_err(x, e, path, "entry %d: expected a string, got %s", i + 1,
				     type_desc(config_setting_type(e)));
				return;
			}
		}
		break;
	}
	case SD_K_GROUP: {
		/* a group with a store() is free-form: the module takes its
		 * members as they are (a plugin's own settings) */
		if (k->store) {
			k->store(x, k, s, obj, path);
			return;
		}
		check_group(x, s, k->sub, group_obj(x->c, k, obj), NULL, path);
		return;
	}
	case SD_K_LIST:
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
	case SD_K_STR: case SD_K_ID:
		sd_strlcpy(p, str, k->size);
		break;
	case SD_K_ENUM:
		put_int(p, k->size, k->parse(str));
		break;
	case SD_K_OCTAL: {
		int v = 0;
		parse_octal_mode(str, &v);
		memcpy(p, &v, sizeof v);
		break;
	}
	case SD_K_HEX: {
		uint64_t v = 0;
		parse_hex_digits(str, (int)k->min, &v);
		put_uint(p, k->size, v);
		break;
	}
	case SD_K_SNSSAI: {
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
 * defaults, each present key, and unknown keys. Row i stores into objs[i]
 * when objs is given (the top level: core and module sections), else into
 * obj. */
static void check_group(struct sd_config_ctx *x, config_setting_t *g, const struct sd_config_key *tab,
			void *obj, void *const *objs, const char *path)
{
	const struct sd_config_key *k;
	config_setting_t *found[MAX_ROWS];
	bool known_at[MAX_ROWS];   /* member i (< MAX_ROWS) matched a row */
	int i, n = config_setting_length(g);
	char cp[512];

	/* one pass over the members, matched to rows by name: libconfig's
	 * config_setting_get_member compares names with a strchr per
	 * character, which at 100,000 slices is a large share of the load */
	memset(found, 0, sizeof found);
	for (i = 0; i < n; i++) {
		config_setting_t *s = config_setting_get_elem(g, i);
		const char *name = config_setting_name(s);
		if (i < MAX_ROWS)
			known_at[i] = false;
		for (k = tab; name && k->name && k - tab < MAX_ROWS; k++)
			if (k->name[0] == name[0] && strcmp(k->name, name) == 0) {
				if (!found[k - tab])
					found[k - tab] = s;
				if (i < MAX_ROWS)
					known_at[i] = true;
				break;
			}
	}
	for (k = tab; k->name; k++) {
		config_setting_t *s = k - tab < MAX_ROWS ? found[k - tab] : NULL;
		void *o = objs ? objs[k - tab] : obj;
		sd_config_child_path(cp, sizeof cp, path, k->name);
		if (!s) {
			if (k->required)
				sd_config_err(x, g, cp, "required key is missing (%s%s%s)", k->help,
				     k->unit ? ", " : "", k->unit ? k->unit : "");
			else if (k->type == SD_K_GROUP)
				group_defaults(x->c, k->sub, group_obj(x->c, k, o));
			else
				store_default(k, o);
			continue;
		}
		check_value(x, k, s, o, cp);
	}
	for (i = 0; i < n; i++) {
		config_setting_t *s = config_setting_get_elem(g, i);
		const char *name = config_setting_name(s);
		struct sd_buf known;
		if (i < MAX_ROWS && known_at[i])
			continue;
		for (k = tab; k->name; k++)
			if (name && strcmp(k->name, name) == 0)
				break;
		if (k->name)
			continue;
		{
			const struct sd_config_key *best = NULL;
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
			sd_config_child_path(cp, sizeof cp, path, name ? name : "?");
			if (best)
				sd_config_err(x, s, cp, "unknown key; did you mean \"%s\"? (known here: %s)",
				     best->name, known.data ? known.data : "");
			else
				sd_config_err(x, s, cp, "unknown key (known here: %s)",
				     known.data ? known.data : "");
			sd_buf_done(&known);
		}
	}
}

/* ------------------------------------------------------------------ */
/* The core's top level and the schema's sections                      */

/* The core's top-level keys. Module sections follow them (schema order);
 * the file may order them as it likes. Factories come before access (a
 * rule names its factory). */
static const struct sd_config_key root_keys[] = {
	{ .name = "engine", .type = SD_K_GROUP, .sub = sd_cfg_engine_keys,
	  .help = "the engine process" },
	{ .name = "zone", .type = SD_K_GROUP, .required = true, .sub = sd_cfg_zone_keys,
	  .enter = sd_cfg_enter_model, .help = "the pilot zone" },
	{ .name = "sbi", .type = SD_K_GROUP, .sub = sd_cfg_sbi_keys,
	  SD_CONFIG_OF(struct sd_config, sbi), .help = "the 5GC's service based interface" },
	{ .name = "factories", .type = SD_K_LIST, .sub = sd_cfg_factory_keys,
	  .elem_new = sd_cfg_new_factory, .elem_done = sd_cfg_done_factory,
	  .help = "factories" },
	{ .name = "access", .type = SD_K_GROUP, .sub = sd_cfg_access_keys,
	  .help = "access rules" },
	{ 0 }
};
#define NROOT (SD_ARRAY_LEN(root_keys) - 1)

static const struct sd_config_schema core_only = { NULL, NULL, NULL };
static const struct sd_config_schema *process_schema = &core_only;

void sd_config_set_schema(const struct sd_config_schema *schema)
{
	process_schema = schema ? schema : &core_only;
}

const struct sd_config_schema *sd_config_get_schema(void) { return process_schema; }

static int nsections(const struct sd_config_schema *s)
{
	int n = 0;
	while (s && s->sections && s->sections[n])
		n++;
	return n;
}

void *sd_config_section_data(const struct sd_config *c, const struct sd_config_section *s)
{
	int i;
	for (i = 0; c && i < c->nsections; i++)
		if (c->sections[i].section == s)
			return c->sections[i].data;
	return NULL;
}

int sd_config_section_set(struct sd_config *c, const struct sd_config_section *s, void *data)
{
	int i;
	for (i = 0; i < c->nsections; i++)
		if (c->sections[i].section == s)
			break;
	if (i == SD_CONFIG_MAX_SECTIONS)
		return -1;
	if (i == c->nsections)
		c->nsections++;
	else if (!c->sections[i].borrowed && c->sections[i].data) {
		if (s->release)
			s->release(c->sections[i].data);
		free(c->sections[i].data);
	}
	c->sections[i] = (struct sd_config_slot){ s, data, true };
	return 0;
}

void sd_config_section_defaults(const struct sd_config_section *s, void *data)
{
	memset(data, 0, s->data_size);
	if (s->key.type == SD_K_GROUP)
		group_defaults(NULL, s->key.sub, (char *)data + s->key.off);
}

/* The top-level rows with the object each stores into: the core's into
 * the configuration, each section's into its data (allocated here). */
static void build_root(struct sd_config_ctx *x, struct sd_config_key *rows, void **objs)
{
	const struct sd_config_schema *s = x->schema;
	int i, n = 0;

	for (i = 0; i < (int)NROOT; i++) {
		rows[n] = root_keys[i];
		objs[n++] = x->c;
	}
	for (i = 0; i < nsections(s) && x->c->nsections < SD_CONFIG_MAX_SECTIONS; i++) {
		const struct sd_config_section *sec = s->sections[i];
		void *data = sd_calloc(1, sec->data_size ? sec->data_size : 1);
		x->c->sections[x->c->nsections++] = (struct sd_config_slot){ sec, data, false };
		rows[n] = sec->key;
		objs[n++] = data;
	}
	memset(&rows[n], 0, sizeof rows[n]);
}

/* ------------------------------------------------------------------ */
/* Description of the tables                                           */

static const char *ktype_name(enum sd_config_ktype t)
{
	static const char *const names[] = {
		[SD_K_STR] = "string", [SD_K_ID] = "id", [SD_K_ENUM] = "enum", [SD_K_INT] = "integer",
		[SD_K_MONEY] = "money", [SD_K_FLOAT] = "number", [SD_K_SCALED] = "number",
		[SD_K_BOOL] = "boolean", [SD_K_OCTAL] = "octal", [SD_K_HEX] = "hex",
		[SD_K_SNSSAI] = "snssai", [SD_K_STRLIST] = "strings", [SD_K_GROUP] = "group",
		[SD_K_LIST] = "list",
	};
	return names[t];
}

static void describe(const struct sd_config_key *tab, const char *prefix,
		     void (*fn)(const struct sd_config_key_info *k, void *arg), void *arg)
{
	const struct sd_config_key *k;
	char path[256];
	for (k = tab; k->name; k++) {
		struct sd_config_key_info i = {
			.path = path, .type = ktype_name(k->type), .def = k->def, .unit = k->unit,
			.help = k->help, .choices = k->choices, .required = k->required,
			.min = 1, .max = 0, .restart = k->restart,
		};
		sd_config_child_path(path, sizeof path, prefix, k->name);
		if (k->type == SD_K_INT) {
			i.min = (double)k->min;
			i.max = (double)k->max;
		} else if (k->type == SD_K_MONEY) {
			i.min = 0;
			i.max = (double)k->max;
		} else if (k->type == SD_K_FLOAT || k->type == SD_K_SCALED) {
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

void sd_config_describe_schema(const struct sd_config_schema *schema,
			       void (*fn)(const struct sd_config_key_info *k, void *arg), void *arg)
{
	int i;
	describe(root_keys, "", fn, arg);
	for (i = 0; i < nsections(schema); i++) {
		struct sd_config_key row[2] = { schema->sections[i]->key, { 0 } };
		describe(row, "", fn, arg);
	}
}

void sd_config_describe(void (*fn)(const struct sd_config_key_info *k, void *arg), void *arg)
{
	sd_config_describe_schema(process_schema, fn, arg);
}

/* ------------------------------------------------------------------ */
/* Restart-only keys                                                   */

struct changes {
	void (*fn)(const char *key_path, void *arg);
	void *arg;
	int n;
};

static bool value_differs(const struct sd_config_key *k, const char *a, const char *b)
{
	switch (k->type) {
	case SD_K_STR: case SD_K_ID:
		return strncmp(a, b, k->size) != 0;
	default:
		return memcmp(a, b, k->size) != 0;
	}
}

/* Walk tab over two objects of the same layout. Lists are inventory
 * (merged on reload), never restart-only: not descended. */
static void compare(const struct sd_config_key *tab, struct sd_config *ca, void *a,
		    struct sd_config *cb, void *b, const char *prefix, struct changes *ch)
{
	const struct sd_config_key *k;
	char path[256];
	for (k = tab; k->name; k++) {
		sd_config_child_path(path, sizeof path, prefix, k->name);
		if (k->type == SD_K_GROUP && k->sub) {
			compare(k->sub, ca, group_obj(ca, k, a), cb, group_obj(cb, k, b), path, ch);
			continue;
		}
		if (!k->restart || !k->size || k->type == SD_K_LIST)
			continue;
		if (value_differs(k, (const char *)a + k->off, (const char *)b + k->off)) {
			ch->n++;
			if (ch->fn)
				ch->fn(path, ch->arg);
		}
	}
}

int sd_config_restart_changes(const struct sd_config *running, const struct sd_config *loaded,
			      void (*fn)(const char *key_path, void *arg), void *arg)
{
	struct changes ch = { fn, arg, 0 };
	/* the walk only reads, through the same accessors the load writes with */
	struct sd_config *ra = (struct sd_config *)running, *lb = (struct sd_config *)loaded;
	int i, j;

	compare(root_keys, ra, ra, lb, lb, "", &ch);
	for (i = 0; i < running->nsections; i++) {
		const struct sd_config_section *sec = running->sections[i].section;
		struct sd_config_key row[2] = { sec->key, { 0 } };
		void *a = running->sections[i].data, *b = NULL, *def = NULL;
		for (j = 0; j < loaded->nsections; j++)
			if (loaded->sections[j].section == sec)
				b = loaded->sections[j].data;
		if (!b)
			b = def = sd_calloc(1, sec->data_size ? sec->data_size : 1);
		if (def)
			sd_config_section_defaults(sec, def);
		compare(row, ra, a, lb, b, "", &ch);
		free(def);
	}
	for (j = 0; j < loaded->nsections; j++) {
		const struct sd_config_section *sec = loaded->sections[j].section;
		struct sd_config_key row[2] = { sec->key, { 0 } };
		void *def;
		if (sd_config_section_data(running, sec))
			continue;
		def = sd_calloc(1, sec->data_size ? sec->data_size : 1);
		sd_config_section_defaults(sec, def);
		compare(row, ra, def, lb, loaded->sections[j].data, "", &ch);
		free(def);
	}
	return ch.n;
}

/* ------------------------------------------------------------------ */
/* Load                                                                */

static int perr_cmp(const void *a, const void *b)
{
	const struct sd_cfg_perr *p = a, *q = b;
	if (p->file != q->file)
		return p->file - q->file;
	if (p->line != q->line)
		return p->line - q->line;
	return p->seq < q->seq ? -1 : p->seq > q->seq;
}

static void ctx_done(struct sd_config_ctx *x)
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
	for (i = 0; i < x->nns; i++) {
		sd_strindex_done(&x->ns[i].ix);
		free(x->ns[i].set);
		free(x->ns[i].vals);
	}
	free(x->errs);
	free(x->dir);
	free(x->realdir);
	free(x->fac_set);
	free(x->cell_set);
	free(x->slice_set);
	sd_u64index_done(&x->ncis);
	sd_u64index_done(&x->snssais);
	sd_strindex_done(&x->site_owner);
}

/* The top level: the core's rows and the sections', then the sections'
 * cross-reference checks. */
static void check_root(struct sd_config_ctx *x)
{
	struct sd_config_key rows[NROOT + SD_CONFIG_MAX_SECTIONS + 1];
	void *objs[NROOT + SD_CONFIG_MAX_SECTIONS + 1];
	int i;

	build_root(x, rows, objs);
	sd_cfg_zone_reserve(x);
	check_group(x, config_root_setting(&x->cf), rows, NULL, objs, "");
	for (i = 0; i < x->c->nsections; i++) {
		const struct sd_config_section *sec = x->c->sections[i].section;
		if (sec->check)
			sec->check(x, x->c->sections[i].data);
	}
}

struct sd_config *sd_config_load(const char *path, struct sd_errlist *errs)
{
	return sd_config_load_schema(path, process_schema, errs);
}

struct sd_config *sd_config_load_schema(const char *path, const struct sd_config_schema *schema,
					struct sd_errlist *errs)
{
	struct sd_config_ctx x;
	struct sd_config *c;
	const char *slash;
	int i, before = errs->n;
	bool bad = false;
	int64_t t0 = sd_now_ms(), t1 = t0, t2 = t0, t3 = t0;

	memset(&x, 0, sizeof x);
	x.schema = schema ? schema : &core_only;
	c = x.c = sd_calloc(1, sizeof *c);
	c->model = x.m = sd_calloc(1, sizeof *x.m);
	c->schema = x.schema;
	sd_strlcpy(c->path, path, sizeof c->path);
	sd_u64index_init(&x.ncis);
	sd_u64index_init(&x.snssais);
	sd_strindex_init(&x.site_owner);

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
		sd_cfg_add_err(&x, 0, 0, "cannot open: %s", strerror(errno));
		goto finish;
	}
	{
		struct stat st;
		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
			sd_cfg_add_err(&x, 0, 0, "not a regular file");
			goto finish;
		}
	}
	if (sd_cfg_prescan(&x, 0, 0, NULL, 0) < 0 || x.nerrs)
		goto finish;
	t1 = sd_now_ms();

	config_set_include_dir(&x.cf, x.dir);
	if (!config_read_file(&x.cf, path)) {
		const char *ef = config_error_file(&x.cf);
		int fi = -1;
		for (i = 0; ef && i < x.nfiles; i++)
			if (strcmp(x.files[i].name, ef) == 0)
				fi = i;
		if (config_error_type(&x.cf) == CONFIG_ERR_FILE_IO && !ef)
			sd_cfg_add_err(&x, 0, 0, "cannot read: %s", config_error_text(&x.cf));
		else if (fi >= 0)
			sd_cfg_add_err(&x, fi, config_error_line(&x.cf), "%s", config_error_text(&x.cf));
		else
			sd_cfg_add_err(&x, 0, 0, "%s:%d: %s", ef ? ef : "?", config_error_line(&x.cf),
				       config_error_text(&x.cf));
		goto finish;
	}
	t2 = sd_now_ms();
	sd_cfg_check_sources(&x, config_root_setting(&x.cf), &bad);
	if (bad)
		goto finish;
	sd_cfg_mark_overflows(&x, config_root_setting(&x.cf));
	check_root(&x);
	sd_cfg_check_sbi(&x);
	sd_cfg_check_access(&x);
	sd_cfg_check_permissions(&x);
	t3 = sd_now_ms();

finish:
	if (x.nerrs > 1)
		qsort(x.errs, (size_t)x.nerrs, sizeof *x.errs, perr_cmp);
	for (i = 0; i < x.nerrs; i++)
		sd_errlist_add(errs, x.files[x.errs[i].file].display, x.errs[i].line, "%s",
			       x.errs[i].msg);
	/* our indexes first, then the tree's blocks */
	ctx_done(&x);
	config_destroy(&x.cf);
	/* where a large zone's load time goes */
	if (t3 > t0)
		sd_debug("%s: loaded in %lld ms: pre-scan %lld, parse %lld, checks %lld, "
			 "freeing the tree %lld", path, (long long)(sd_now_ms() - t0),
			 (long long)(t1 - t0), (long long)(t2 - t1), (long long)(t3 - t2),
			 (long long)(sd_now_ms() - t3));
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
	for (i = 0; i < c->nsections; i++) {
		const struct sd_config_section *sec = c->sections[i].section;
		if (c->sections[i].borrowed || !c->sections[i].data)
			continue;
		if (sec->release)
			sec->release(c->sections[i].data);
		free(c->sections[i].data);
	}
	free(c->rules);
	sd_errlist_done(&c->warnings);
	free(c);
}

static const char *plural(int n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

void sd_config_summary(const struct sd_config *c, char *buf, size_t bufsz)
{
	const struct sd_model *m = c->model;
	size_t len;
	int i;

	snprintf(buf, bufsz, "ok: zone %s, PLMN %s-%s, %d %s, %d %s, %d %s, %d %s, %d access %s",
		 m->zone_name, m->plmn.mcc, m->plmn.mnc,
		 m->nfactories, plural(m->nfactories, "factory", "factories"),
		 m->nsites, plural(m->nsites, "site", "sites"),
		 m->ncells, plural(m->ncells, "cell", "cells"),
		 m->nslices, plural(m->nslices, "slice", "slices"),
		 c->nrules, plural(c->nrules, "rule", "rules"));
	for (i = 0; i < c->nsections; i++) {
		const struct sd_config_section *sec = c->sections[i].section;
		char item[128];
		if (!sec->summary || !c->sections[i].data)
			continue;
		sec->summary(c->sections[i].data, item, sizeof item);
		len = strlen(buf);
		if (item[0] && len < bufsz)
			snprintf(buf + len, bufsz - len, ", %s", item);
	}
}

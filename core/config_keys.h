/* core/config_keys.h — how a module describes its configuration section.
 *
 * The configuration is one file set in libconfig's format, checked against key tables
 * (tmux's options-table, Redis's config table): one row per key with its
 * type, bounds, default, unit, help, whether a reload applies it, and a
 * validator. core/ owns the loader and its own sections (engine, zone,
 * factories, sbi, access); a module (monitor/, snmp/, billing/) owns a top
 * level section by defining one const struct sd_config_section and reading
 * its parsed data back through sd_config_section_data(). The program's
 * wiring (engine/config_sections.c) lists every section once, in a
 * struct sd_config_schema, and hands it to sd_config_load_schema() or
 * sd_config_set_schema().
 *
 * A section's callbacks see the load in progress as an opaque
 * struct sd_config_ctx and settings as opaque struct config_setting_t
 * handles (core/cfgtree.h's type, never dereferenced outside core/): use the
 * helpers at the end of this header. Every problem is reported with
 * sd_config_err() and collected; nothing stops the load early.
 */
#ifndef SD_CONFIG_KEYS_H
#define SD_CONFIG_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/model.h"

struct sd_config;
struct sd_config_ctx;        /* a load in progress */
struct config_setting_t;     /* a setting (core/cfgtree.h): a handle only */

enum sd_config_ktype {
	SD_K_STR,      /* string into char[size]; optional check() */
	SD_K_ID,       /* id token (model.h) into char[size] */
	SD_K_ENUM,     /* string -> parse() -> int */
	SD_K_INT,      /* integer in [min,max] into an int of size bytes */
	SD_K_MONEY,    /* integer minor units >= 0 into int64_t */
	SD_K_FLOAT,    /* number in [fmin,fmax] into double */
	SD_K_SCALED,   /* number in [fmin,fmax], times scale, into an unsigned of size bytes */
	SD_K_BOOL,
	SD_K_OCTAL,    /* "0660" into int */
	SD_K_HEX,      /* exactly min hex digits into an unsigned of size bytes */
	SD_K_SNSSAI,   /* any sd_snssai_parse form into struct sd_snssai */
	SD_K_STRLIST,  /* array of strings; store() does the work */
	SD_K_GROUP,    /* { ... } with sub[]; with store(): free-form, store() takes it */
	SD_K_LIST,     /* ( { ... }, ... ) with sub[] per element */
};

struct sd_config_key;
/* NULL when v is acceptable, else what is wrong (a static string). */
typedef const char *(*sd_config_check_fn)(struct sd_config_ctx *x, const char *v);
/* Replaces the generic store of a checked value (the row's off/size are
 * then only used to compare values for restart-only keys). */
typedef void (*sd_config_store_fn)(struct sd_config_ctx *x, const struct sd_config_key *k,
				   struct config_setting_t *s, void *obj, const char *path);
/* SD_K_LIST: the object for element e (usually appended to an array in
 * parent, see sd_config_grow), NULL to skip the element. */
typedef void *(*sd_config_elem_new_fn)(struct sd_config_ctx *x, struct config_setting_t *e,
				       void *parent);
/* SD_K_LIST: after the element's keys, for its own checks. path names the
 * element ("snmp.targets[nms]"). */
typedef void (*sd_config_elem_done_fn)(struct sd_config_ctx *x, struct config_setting_t *e,
				       void *obj, const char *path);
/* SD_K_GROUP: the object the members are stored in (default obj + off). */
typedef void *(*sd_config_enter_fn)(struct sd_config *c, void *parent);

/* One key. A table is an array of rows ended by { 0 }. */
struct sd_config_key {
	const char *name;
	enum sd_config_ktype type;
	bool required;
	bool restart;                /* a reload does not apply it: restart-only */
	long long min, max;          /* INT, MONEY range; HEX digits (min); STR min length */
	double fmin, fmax, scale;    /* FLOAT, SCALED */
	size_t off, size;            /* destination in obj; size 0: not stored by the table */
	const char *def;             /* default, as it would be written (NULL: none) */
	const char *unit;            /* for docs and messages */
	const char *help;
	int (*parse)(const char *);  /* ENUM: value or -1 */
	const char *choices;         /* ENUM: "a, b, c" */
	sd_config_check_fn check;    /* STR, ID: extra check */
	sd_config_store_fn store;
	const char *hint;            /* added to type errors */
	const struct sd_config_key *sub;    /* GROUP, LIST */
	sd_config_enter_fn enter;           /* GROUP */
	sd_config_elem_new_fn elem_new;     /* LIST */
	sd_config_elem_done_fn elem_done;   /* LIST */
	int max_elems;               /* LIST, STRLIST (0: 4096) */
};

/* destination of a row: .off and .size of a member */
#define SD_CONFIG_OF(type, field) \
	.off = offsetof(type, field), .size = sizeof(((type *)0)->field)

/* A top-level section owned by a module.
 *
 * key is the section's row: its name is the top-level key, its type
 * SD_K_GROUP (name = { ... }) or SD_K_LIST (name = ( ... )); offsets in it
 * and its sub-tables are relative to the section's data. Each load
 * allocates data_size zeroed bytes, applies the defaults (also when the
 * file leaves the section out) and checks the file's section into it; the
 * data belongs to the struct sd_config and lives as long as it does. */
struct sd_config_section {
	struct sd_config_key key;
	size_t data_size;
	/* After every section is checked: cross-references to the zone or to
	 * other sections (optional). */
	void (*check)(struct sd_config_ctx *x, void *data);
	/* Free what the section allocated inside data, not data itself; also
	 * wipes secrets (optional). */
	void (*release)(void *data);
	/* One item of the --check-config summary line, e.g. "1 SNMP target"
	 * (optional; items follow the core's, in schema order). */
	void (*summary)(const void *data, char *buf, size_t bufsz);
};

/* What a program loads: its sections and the domain vocabulary that core
 * may not include itself (the scenario catalog lives in slicing/). */
struct sd_config_schema {
	const struct sd_config_section *const *sections;   /* NULL-terminated, may be NULL */
	/* a slice's scenario: the template by id, NULL when unknown (NULL
	 * function: every scenario id is unknown) */
	const struct sd_scenario *(*scenario_find)(const char *id);
	/* whether a template suits a network mode (NULL: all do) */
	bool (*scenario_suits)(const struct sd_scenario *s, enum sd_pn_mode m);
};

/* The parsed data of a section, NULL when the configuration has none
 * (not in its schema, or a configuration built by hand without it). */
void *sd_config_section_data(const struct sd_config *c, const struct sd_config_section *s);
/* For configurations built by hand (tests): attach caller-owned data for
 * a section. sd_config_free() will not free it. Returns -1 when the
 * configuration already has SD_CONFIG_MAX_SECTIONS sections. */
int sd_config_section_set(struct sd_config *c, const struct sd_config_section *s, void *data);
/* Store a section's defaults into data (data_size bytes, zeroed first). */
void sd_config_section_defaults(const struct sd_config_section *s, void *data);

/* ---- helpers for section callbacks -------------------------------------- */

/* Report "file:line: path: message" at setting s. */
void sd_config_err(struct sd_config_ctx *x, const struct config_setting_t *s, const char *path,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* A warning, not an error: the load goes on; kept as "file:line: path:
 * message" in the configuration's warnings list. */
void sd_config_warn(struct sd_config_ctx *x, const struct config_setting_t *s, const char *path,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* "file:line" of a setting, into buf. */
const char *sd_config_where(struct sd_config_ctx *x, const struct config_setting_t *s,
			    char *buf, size_t n);
/* The member name of group s, NULL when absent. */
struct config_setting_t *sd_config_member(const struct config_setting_t *s, const char *name);
/* "parent.name" (or "name" at the top), into buf. */
void sd_config_child_path(char *buf, size_t n, const char *parent, const char *name);
/* The configuration holds a secret (what: "snmp community") at setting s,
 * if s is not NULL: its file must not be accessible by others. */
void sd_config_note_secret(struct sd_config_ctx *x, const struct config_setting_t *s,
			   const char *what);
/* Uniqueness in a namespace ("tariff", "site", ...), in linear time: the
 * id in string member key of element e is recorded with value (>= 0,
 * usually the element's index). If it was recorded already, reports at e
 * "duplicate WHAT \"ID\" (first defined at FILE:LINE)" and returns false.
 * A missing member, or one that is not a valid id (already reported by its
 * row), is ignored (true). Namespaces live for one load; the core uses
 * "factory", "site", "cell" and "slice". */
bool sd_config_unique(struct sd_config_ctx *x, const char *ns, struct config_setting_t *e,
		      const char *key, int value, const char *path, const char *what);
/* The value recorded for id in namespace ns, or -1. */
int sd_config_find(struct sd_config_ctx *x, const char *ns, const char *id);
/* The model being built and the configuration it belongs to. */
struct sd_model *sd_config_ctx_model(struct sd_config_ctx *x);
struct sd_config *sd_config_ctx_config(struct sd_config_ctx *x);
/* The setting factory i of the model came from (NULL if none). */
struct config_setting_t *sd_config_factory_setting(struct sd_config_ctx *x, int i);
/* A check for display text: NULL, or why v has control characters. */
const char *sd_config_check_text(struct sd_config_ctx *x, const char *v);
/* Make room for element n (0-based) of an array of elements of size bytes
 * with capacity *cap (grown geometrically); the element is zeroed.
 * Returns the array, which may have moved. */
void *sd_config_grow(void *arr, int n, int *cap, size_t size);

#endif

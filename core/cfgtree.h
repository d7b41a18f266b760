/* core/cfgtree.h — the configuration file format's parser and tree.
 *
 * The format is libconfig's (https://hyperrealm.github.io/libconfig/),
 * read as Debian 12's libconfig 1.5 reads it, and this header offers the
 * part of libconfig's C API that slicedeck uses, with the same names,
 * types and meanings, so the loader (core/config*.c) reads like libconfig
 * code and libconfig's manual describes it. Why not libconfig itself: a
 * pilot zone of 100,000 slices and 300,000 cells is a 40 MB file, which
 * libconfig 1.5 takes 1.1-1.2 s and 406 MB to hold as a tree (a malloc per
 * setting and per string); this parser reads it in about a tenth of that
 * time into arena blocks of under half the memory (docs/configuration.md,
 * "The file format").
 *
 * Compatibility is tested, not assumed: tests/tools/cfgdump.c dumps a
 * tree (every setting's name, type, value, file and line) or the error
 * (file, line, text) with either parser, and tests/integration/cfg_compat.sh
 * compares the two on every configuration in the repository and on
 * thousands of mutated ones. What it reproduces of libconfig 1.5,
 * including its quirks: plain integers are truncated to 32 bits as
 * libconfig 1.5 does (the loader's pre-scan reports such literals), a
 * comment on the last line without a newline is a syntax error, error
 * texts ("syntax error", "duplicate setting name", "mismatched element type
 * in array", "cannot open include file") and the line each is reported
 * at. One limit of its own: aggregates nest at most CFG_MAX_DEPTH deep.
 *
 * Not thread-safe per config_t; separate config_t are independent.
 */
#ifndef SD_CFGTREE_H
#define SD_CFGTREE_H

#define CONFIG_TYPE_NONE   0
#define CONFIG_TYPE_GROUP  1
#define CONFIG_TYPE_INT    2
#define CONFIG_TYPE_INT64  3
#define CONFIG_TYPE_FLOAT  4
#define CONFIG_TYPE_STRING 5
#define CONFIG_TYPE_BOOL   6
#define CONFIG_TYPE_ARRAY  7
#define CONFIG_TYPE_LIST   8

#define CONFIG_FORMAT_DEFAULT 0
#define CONFIG_FORMAT_HEX     1

#define CONFIG_TRUE  1
#define CONFIG_FALSE 0

#define CFG_MAX_DEPTH         200   /* nesting of groups, arrays and lists */
#define CFG_MAX_INCLUDE_DEPTH 10    /* as libconfig 1.5 */

typedef enum {
	CONFIG_ERR_NONE = 0,
	CONFIG_ERR_FILE_IO = 1,
	CONFIG_ERR_PARSE = 2
} config_error_t;

typedef struct config_setting_t config_setting_t;
struct config_setting_t {
	const char *name;            /* NULL for list and array elements */
	union {
		int ival;
		long long llval;
		double fval;
		const char *sval;
		config_setting_t *elems;   /* aggregates: n settings */
	} value;
	void *hook;                  /* the application's */
	const char *file;            /* the main file as given, an include as written */
	unsigned int line;
	unsigned int n;
	short type;
	unsigned char format;
};

struct cfg_impl;

typedef struct config_t {
	config_setting_t *root;
	char *include_dir;
	const char *error_text;
	const char *error_file;
	int error_line;
	config_error_t error_type;
	struct cfg_impl *impl;       /* arena, names, file names */
} config_t;

void config_init(config_t *cf);
void config_destroy(config_t *cf);
void config_set_include_dir(config_t *cf, const char *dir);
/* CONFIG_TRUE, or CONFIG_FALSE with the error_* fields set. */
int  config_read_file(config_t *cf, const char *path);
int  config_read_string(config_t *cf, const char *text);

#define config_error_text(cf) ((cf)->error_text)
#define config_error_file(cf) ((cf)->error_file)
#define config_error_line(cf) ((cf)->error_line)
#define config_error_type(cf) ((cf)->error_type)
#define config_root_setting(cf) ((cf)->root)

/* A member of the root group by a dotted path ("a.b"), or NULL. */
config_setting_t *config_lookup(const config_t *cf, const char *path);

int config_setting_type(const config_setting_t *s);
int config_setting_length(const config_setting_t *s);
int config_setting_is_group(const config_setting_t *s);
int config_setting_is_array(const config_setting_t *s);
int config_setting_is_list(const config_setting_t *s);
int config_setting_is_aggregate(const config_setting_t *s);
const char *config_setting_name(const config_setting_t *s);
const char *config_setting_source_file(const config_setting_t *s);
unsigned int config_setting_source_line(const config_setting_t *s);
int config_setting_get_format(const config_setting_t *s);

config_setting_t *config_setting_get_elem(const config_setting_t *s, unsigned int i);
config_setting_t *config_setting_get_member(const config_setting_t *s, const char *name);

int config_setting_get_int(const config_setting_t *s);
long long config_setting_get_int64(const config_setting_t *s);
double config_setting_get_float(const config_setting_t *s);
int config_setting_get_bool(const config_setting_t *s);
const char *config_setting_get_string(const config_setting_t *s);
int config_setting_lookup_string(const config_setting_t *s, const char *name, const char **out);

void config_setting_set_hook(config_setting_t *s, void *hook);
void *config_setting_get_hook(const config_setting_t *s);

#endif

/* core/config_impl.h — shared by core/config*.c and core/access.c only:
 * the load context and the pieces of the loader that live in separate
 * files. Not for modules (they use core/config_keys.h).
 */
#ifndef SD_CONFIG_IMPL_H
#define SD_CONFIG_IMPL_H

#include "core/cfgtree.h"
#include <stdbool.h>

#include "core/config.h"
#include "core/index.h"

#define SD_CFG_MAX_FILES        16          /* main file + includes */
#define SD_CFG_MAX_INCLUDE_DEPTH 8
#define SD_CFG_MAX_FILE_BYTES   (64 << 20)  /* per file; a 100,000-slice zone is ~40 MB */
#define SD_CFG_MAX_ELEMS        4096        /* per list: factories, sites, ... */
#define SD_CFG_MAX_NS           12          /* uniqueness namespaces */

struct sd_cfg_lit {          /* an integer literal seen by the prescan */
	int line;
	bool overflow;       /* libconfig will have truncated it */
	char text[32];
};

struct sd_cfg_file {
	char *name;          /* as libconfig names it: the path, or the include as written */
	char *display;       /* path for messages (relative to the cwd, like the main path) */
	char *real;          /* realpath */
	struct sd_cfg_lit *lits;
	int nlits, litcap, cursor;
	bool broken;         /* literal matching lost sync: no overflow marks */
	const char *secret;  /* what secret it holds, for the permission check */
};

struct sd_cfg_perr {
	int file, line;
	unsigned seq;
	char *msg;
};

/* ids (borrowed from libconfig's strings, valid for the load) -> value,
 * with the setting each came from for "first defined at" */
struct sd_cfg_ns {
	const char *name;
	struct sd_strindex ix;
	config_setting_t **set;  /* by order of recording */
	int *vals;
	int n, cap, vcap;
};

struct sd_config_ctx {
	struct sd_config *c;
	struct sd_model *m;
	const struct sd_config_schema *schema;
	config_t cf;
	struct sd_cfg_file files[SD_CFG_MAX_FILES];
	int nfiles;
	const char *last_src;  /* file_of cache: libconfig's name ... */
	int last_fi;           /* ... and its index */
	char *dir;             /* directory of the main file, as given */
	char *realdir;
	struct sd_cfg_perr *errs;
	int nerrs, errcap;
	unsigned seq;
	struct sd_cfg_ns ns[SD_CFG_MAX_NS];
	int nns;
	/* zone: the setting of every element, capacities of the model arrays */
	config_setting_t **fac_set, **cell_set, **slice_set;
	int fac_cap, site_cap, cell_cap, slice_cap, rule_cap;
	int fac_first_site;    /* the factory being checked: index of its first site */
	struct sd_u64index ncis, snssais;   /* -> cell / slice index */
	struct sd_strindex site_owner;      /* raw tree: site id -> factory element */
	bool site_owner_built;
};

/* config.c */
void sd_cfg_add_err(struct sd_config_ctx *x, int file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int  sd_cfg_file_of(struct sd_config_ctx *x, const config_setting_t *s);
const char *sd_cfg_scenario_check(struct sd_config_ctx *x, const char *v);
/* namespace name (a string with static storage), made when create */
struct sd_cfg_ns *sd_cfg_ns(struct sd_config_ctx *x, const char *name, bool create);

/* config_file.c */
int  sd_cfg_prescan(struct sd_config_ctx *x, int fi, int depth, int *stack, int nstack);
void sd_cfg_mark_overflows(struct sd_config_ctx *x, config_setting_t *s);
void sd_cfg_check_sources(struct sd_config_ctx *x, config_setting_t *s, bool *bad);
void sd_cfg_check_permissions(struct sd_config_ctx *x);

/* config_engine.c: engine and sbi */
extern const struct sd_config_key sd_cfg_engine_keys[];
extern const struct sd_config_key sd_cfg_sbi_keys[];
void sd_cfg_check_sbi(struct sd_config_ctx *x);
void sd_cfg_check_access(struct sd_config_ctx *x);   /* core/access.c */

/* config_zone.c: zone and factories */
extern const struct sd_config_key sd_cfg_zone_keys[];
extern const struct sd_config_key sd_cfg_factory_keys[];
void *sd_cfg_new_factory(struct sd_config_ctx *x, config_setting_t *e, void *parent);
void sd_cfg_done_factory(struct sd_config_ctx *x, config_setting_t *e, void *obj,
			 const char *path);
void *sd_cfg_enter_model(struct sd_config *c, void *parent);
/* Size the model's arrays and the zone's indexes from the raw tree's list
 * lengths, so that a large zone is not copied and rehashed as it grows. */
void sd_cfg_zone_reserve(struct sd_config_ctx *x);

/* access.c */
extern const struct sd_config_key sd_cfg_access_keys[];
/* NULL, or why v is not a user or group name ("" is accepted) */
const char *sd_cfg_name_token(const char *v);

#endif

/* core/access.c — the `access` section (who may connect, as what) and the
 * role of a connecting peer; see access.h. Rules are live: a reload maps
 * every later connection (and the IPC server re-maps the connected peers)
 * with the new rules.
 */
#include "core/access.h"

#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config_impl.h"
#include "core/log.h"
#include "core/util.h"

const char *sd_cfg_name_token(const char *v)
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

static int parse_role(const char *s)
{
	if (sd_streq(s, "operator")) return SD_ROLE_OPERATOR;
	if (sd_streq(s, "viewer")) return SD_ROLE_VIEWER;
	if (sd_streq(s, "factory")) return SD_ROLE_FACTORY;
	return -1;
}

static void store_rule_user(struct sd_config_ctx *x, const struct sd_config_key *k, config_setting_t *s,
			    void *obj, const char *path)
{
	struct sd_access_rule *r = obj;
	const char *v = config_setting_get_string(s), *why = sd_cfg_name_token(v);
	if (!*v || why || strlen(v) >= sizeof r->name) {
		sd_config_err(x, s, path, "\"%s\": %s", v, why ? why : *v ? "longer than 63 characters"
		     : "must not be empty");
		return;
	}
	if (r->name[0]) {
		sd_config_err(x, s, path, "a rule names a user or a group, not both");
		return;
	}
	r->is_group = strcmp(k->name, "group") == 0;
	sd_strlcpy(r->name, v, sizeof r->name);
}

static void *new_rule(struct sd_config_ctx *x, config_setting_t *e, void *parent)
{
	struct sd_config *c = x->c;
	c->rules = sd_config_grow(c->rules, c->nrules, &x->rule_cap, sizeof *c->rules);
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

static void done_rule(struct sd_config_ctx *x, config_setting_t *e, void *obj, const char *path)
{
	struct sd_access_rule *r = obj;
	const char *fid = NULL;
	char cp[512];
	config_setting_t *fs = config_setting_get_member(e, "factory");

	if (!config_setting_get_member(e, "user") && !config_setting_get_member(e, "group"))
		sd_config_err(x, e, path, "a rule needs user = \"name\" or group = \"name\"");
	if (fs && config_setting_type(fs) == CONFIG_TYPE_STRING)
		fid = config_setting_get_string(fs);
	sd_config_child_path(cp, sizeof cp, path, "factory");
	if (r->role == SD_ROLE_NONE) {
		/* role missing or invalid: already reported */
	} else if (r->role == SD_ROLE_FACTORY && !fs) {
		sd_config_err(x, e, cp, "role \"factory\" needs factory = \"<factory id>\"");
	} else if (r->role != SD_ROLE_FACTORY && fs) {
		sd_config_err(x, fs, cp, "only role \"factory\" is bound to a factory; role \"%s\" sees "
		     "%s", sd_role_name(r->role),
		     r->role == SD_ROLE_OPERATOR ? "and changes everything" : "every factory");
	} else if (r->role == SD_ROLE_FACTORY && fid && sd_id_valid(fid)) {
		r->factory = sd_config_find(x, "factory", fid);
		if (r->factory < 0)
			sd_config_err(x, fs, cp, "unknown factory \"%s\"", fid);
	}
	if (r->name[0]) {
		r->resolved = lookup_id(r->name, r->is_group, &r->id);
		if (!r->resolved) {
			r->id = ~0u;
			sd_config_warn(x, e, path, "%s \"%s\" does not exist (yet); the rule will "
				       "not match until it does and the configuration is reloaded",
				       r->is_group ? "group" : "user", r->name);
		}
	}
}

/* After every rule is read: the same user or group in two rules that say
 * different things is an error (the first would win silently: a user
 * mapped to two factories sees one of them by the file's order); the
 * same rule twice is a warning. A factory no rule names is only seen by
 * operators and viewers: a warning. */
void sd_cfg_check_access(struct sd_config_ctx *x)
{
	const struct sd_config *c = x->c;
	config_setting_t *list = config_lookup(&x->cf, "access.rules");
	const struct sd_model *m = c->model;
	int i, j, f;
	if (!list)
		return;
	for (i = 1; i < c->nrules; i++) {
		const struct sd_access_rule *r = &c->rules[i];
		config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
		if (!r->name[0] || !e)
			continue;
		for (j = 0; j < i; j++) {
			const struct sd_access_rule *o = &c->rules[j];
			char cp[64];
			if (o->is_group != r->is_group || strcmp(o->name, r->name) != 0)
				continue;
			snprintf(cp, sizeof cp, "access.rules[%d]", i);
			if (o->role == r->role && o->factory == r->factory)
				sd_config_warn(x, e, cp, "the same rule as access.rules[%d] (line %d)",
					       j, o->line);
			else
				sd_config_err(x, e, cp, "%s \"%s\" already has a rule (access.rules[%d], "
					      "line %d) that gives role %s%s%s; one %s, one rule",
					      r->is_group ? "group" : "user", r->name, j, o->line,
					      sd_role_name(o->role),
					      o->factory >= 0 && m && o->factory < m->nfactories ? " of " : "",
					      o->factory >= 0 && m && o->factory < m->nfactories ?
					      m->factories[o->factory].id : "",
					      r->is_group ? "group" : "user");
			break;
		}
	}
	for (f = 0; m && f < m->nfactories; f++) {
		for (i = 0; i < c->nrules; i++)
			if (c->rules[i].role == SD_ROLE_FACTORY && c->rules[i].factory == f)
				break;
		if (i == c->nrules)
			sd_config_warn(x, list, "access.rules", "factory \"%s\" has no access rule: "
				       "only operators and viewers see it", m->factories[f].id);
	}
}

static const struct sd_config_key rule_keys[] = {
	{ .name = "user", .type = SD_K_STR, .store = store_rule_user, .help = "user name" },
	{ .name = "group", .type = SD_K_STR, .store = store_rule_user, .help = "group name" },
	{ .name = "role", .type = SD_K_ENUM, .required = true, SD_CONFIG_OF(struct sd_access_rule, role),
	  .parse = parse_role, .choices = "operator, viewer, factory", .help = "role" },
	{ .name = "factory", .type = SD_K_ID, .help = "factory id, for role factory" },
	{ 0 }
};

const struct sd_config_key sd_cfg_access_keys[] = {
	{ .name = "rules", .type = SD_K_LIST, .sub = rule_keys, .elem_new = new_rule,
	  .elem_done = done_rule, .help = "who may connect, as what" },
	{ 0 }
};

/* ------------------------------------------------------------------ */
/* Roles                                                               */

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

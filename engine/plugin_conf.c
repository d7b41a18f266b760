/* engine/plugin_conf.c — the `plugins` section; see plugin_conf.h. */
#include "engine/plugin_conf.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cfgtree.h"
#include "core/config_keys.h"
#include "core/util.h"

#define MAX_SETTINGS 256

bool sd_plugin_name_valid(const char *name)
{
	size_t i, n = strlen(name);
	if (n == 0 || n > 63 || name[0] == '-')
		return false;
	for (i = 0; i < n; i++) {
		char ch = name[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
			return false;
	}
	return true;
}

static const char *check_name(struct sd_config_ctx *x, const char *v)
{
	return sd_plugin_name_valid(v) ? NULL
	     : "must be a plugin name (letters, digits, '_' and '-'; no '/', no \"..\"): "
	       "the engine loads NAME.so from plugins.dir only";
}

static const char *check_dir(struct sd_config_ctx *x, const char *v)
{
	if (v[0] != '/')
		return "must be an absolute path";
	if (strstr(v, "/../") || (strlen(v) >= 3 && !strcmp(v + strlen(v) - 3, "/..")))
		return "must not contain \"..\"";
	return NULL;
}

static void *new_entry(struct sd_config_ctx *x, struct config_setting_t *e, void *parent)
{
	struct sd_plugin_conf *pc = parent;
	struct sd_plugin_entry *pe;
	pc->load = sd_config_grow(pc->load, pc->nload, &pc->cap, sizeof *pc->load);
	pe = &pc->load[pc->nload++];
	pe->enabled = true;
	sd_config_where(x, e, pe->where, sizeof pe->where);
	return pe;
}

static void done_entry(struct sd_config_ctx *x, struct config_setting_t *e, void *obj,
		       const char *path)
{
	struct sd_plugin_conf *pc = sd_config_section_data(sd_config_ctx_config(x),
							   &sd_plugin_section);
	struct sd_plugin_entry *pe = obj;
	int i;
	if (!pc || !pe->name[0])
		return;
	for (i = 0; i < pc->nload && &pc->load[i] != pe; i++)
		if (!strcmp(pc->load[i].name, pe->name)) {
			sd_config_err(x, e, path, "plugin \"%s\" is loaded twice (first at %s)",
				      pe->name, pc->load[i].where);
			return;
		}
}

static void store_settings(struct sd_config_ctx *x, const struct sd_config_key *k,
			   struct config_setting_t *s, void *obj, const char *path)
{
	struct sd_plugin_entry *pe = obj;
	int i, n = config_setting_length(s);
	if (n > MAX_SETTINGS) {
		sd_config_err(x, s, path, "more than %d settings", MAX_SETTINGS);
		return;
	}
	for (i = 0; i < n; i++) {
		config_setting_t *m = config_setting_get_elem(s, i);
		struct sd_plugin_setting *ps;
		pe->settings = sd_config_grow(pe->settings, pe->nsettings, &pe->cap,
					      sizeof *pe->settings);
		ps = &pe->settings[pe->nsettings++];
		ps->key = sd_strdup(config_setting_name(m));
		sd_config_where(x, m, ps->where, sizeof ps->where);
		switch (config_setting_type(m)) {
		case CONFIG_TYPE_STRING:
			ps->type = SD_PV_STR;
			ps->sval = sd_strdup(config_setting_get_string(m));
			break;
		case CONFIG_TYPE_INT: case CONFIG_TYPE_INT64:
			ps->type = SD_PV_INT;
			ps->ival = config_setting_get_int64(m);
			break;
		case CONFIG_TYPE_FLOAT:
			ps->type = SD_PV_FLOAT;
			ps->fval = config_setting_get_float(m);
			break;
		case CONFIG_TYPE_BOOL:
			ps->type = SD_PV_BOOL;
			ps->ival = config_setting_get_bool(m);
			break;
		default:
			ps->type = SD_PV_OTHER;
		}
	}
}

#define EOF_(field) SD_CONFIG_OF(struct sd_plugin_entry, field)
static const struct sd_config_key entry_keys[] = {
	{ .name = "name", .type = SD_K_STR, .required = true, .restart = true, .min = 1,
	  EOF_(name), .check = check_name,
	  .help = "the plugin: loads plugins.dir/NAME.so" },
	{ .name = "enabled", .type = SD_K_BOOL, .restart = true, EOF_(enabled), .def = "true",
	  .help = "false: configured but not loaded" },
	{ .name = "settings", .type = SD_K_GROUP, .restart = true, .store = store_settings,
	  .help = "the plugin's own settings (docs/plugins.md)" },
	{ 0 }
};

static const struct sd_config_key plugin_keys[] = {
	{ .name = "dir", .type = SD_K_STR, .restart = true, .min = 1,
	  SD_CONFIG_OF(struct sd_plugin_conf, dir), .check = check_dir,
	  .def = "\"" SD_PLUGINDIR "\"",
	  .help = "the one directory plugins are loaded from (owned by root or the engine's "
		  "user, not writable by group or others)" },
	{ .name = "load", .type = SD_K_LIST, .restart = true, .sub = entry_keys,
	  .elem_new = new_entry, .elem_done = done_entry, .max_elems = 64,
	  .help = "the plugins to load, in order" },
	{ 0 }
};

static void release(void *data)
{
	struct sd_plugin_conf *pc = data;
	int i, j;
	for (i = 0; i < pc->nload; i++) {
		struct sd_plugin_entry *pe = &pc->load[i];
		for (j = 0; j < pe->nsettings; j++) {
			free(pe->settings[j].key);
			if (pe->settings[j].sval) {
				explicit_bzero(pe->settings[j].sval, strlen(pe->settings[j].sval));
				free(pe->settings[j].sval);
			}
		}
		free(pe->settings);
	}
	free(pc->load);
}

const struct sd_config_section sd_plugin_section = {
	.key = { .name = "plugins", .type = SD_K_GROUP, .sub = plugin_keys,
		 .help = "plugins (docs/plugins.md)" },
	.data_size = sizeof(struct sd_plugin_conf),
	.release = release,
};

const struct sd_plugin_conf *sd_plugin_conf_get(const struct sd_config *c)
{
	return sd_config_section_data(c, &sd_plugin_section);
}

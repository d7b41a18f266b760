/* engine/plugin_conf.h — the `plugins` configuration section: the plugin
 * directory and the plugins to load, each with its own free-form settings
 * (which the plugin itself checks at configure time, through the host's
 * setting_* services; keys it does not read are errors with FILE:LINE).
 * Read at start only: a reload does not load, unload or reconfigure
 * plugins (restart-only).
 */
#ifndef SD_PLUGIN_CONF_H
#define SD_PLUGIN_CONF_H

#include <stdbool.h>

#include "core/config.h"

enum sd_plugin_vtype { SD_PV_STR, SD_PV_INT, SD_PV_FLOAT, SD_PV_BOOL, SD_PV_OTHER };

/* One setting of a plugin, copied out of the file. */
struct sd_plugin_setting {
	char *key;
	enum sd_plugin_vtype type;
	char *sval;              /* SD_PV_STR */
	long long ival;          /* INT, BOOL */
	double fval;             /* FLOAT */
	char where[160];         /* "file:line" */
};

struct sd_plugin_entry {
	char name[64];
	bool enabled;
	char where[160];
	struct sd_plugin_setting *settings;   /* owned */
	int nsettings, cap;
};

struct sd_plugin_conf {
	char dir[256];
	struct sd_plugin_entry *load;   /* owned */
	int nload, cap;
};

/* Whether name is a plugin name: 1..63 of [A-Za-z0-9_-], not starting
 * with '-' (so never '/', "..", or a path). */
bool sd_plugin_name_valid(const char *name);

extern const struct sd_config_section sd_plugin_section;
const struct sd_plugin_conf *sd_plugin_conf_get(const struct sd_config *c);

#endif

/* engine/plugins.h — the plugin loader: dlopen of the configured plugins
 * from plugins.dir, the ABI checks, the host-services table
 * (plugins/slicedeck-plugin.h) built on the engine's host interface, and
 * the `plugins` IPC op. A plugin that fails to load, initialise, configure
 * or start is kept in the list as "failed" with its reason; the engine
 * carries on without it.
 */
#ifndef SD_PLUGINS_H
#define SD_PLUGINS_H

#include <stddef.h>

#include "core/host.h"

struct sd_plugins;

/* Load, init, configure and start every enabled plugin of the running
 * configuration's `plugins` section, and register the `plugins` op. NULL
 * only when the op cannot be registered (err). */
struct sd_plugins *sd_plugins_new(const struct sd_host *host, char *err, size_t errsz);
/* stop() each started plugin, in reverse order, then dlclose. */
void sd_plugins_free(struct sd_plugins *p);

/* Checks of the plugin directory: owned by root or by uid, a directory,
 * not writable by group or others. 0, or -1 with why in err. */
int sd_plugins_check_dir(const char *dir, uid_t uid, char *err, size_t errsz);

#endif

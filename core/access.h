/* core/access.h — who may connect to the engine, as what.
 *
 * The `access.rules` section of the configuration (checked in
 * core/access.c) maps Unix users and groups to a role; the IPC server asks
 * sd_config_role_for() for each connecting peer (SO_PEERCRED).
 */
#ifndef SD_ACCESS_H
#define SD_ACCESS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct sd_config;

enum sd_role {
	SD_ROLE_NONE,      /* no rule matched: connection refused */
	SD_ROLE_OPERATOR,  /* everything, including actions */
	SD_ROLE_VIEWER,    /* read-only, every factory */
	SD_ROLE_FACTORY,   /* read its own factory's objects only */
};
const char *sd_role_name(enum sd_role r);

/* access { rules = ( { user = "alice"; role = "factory"; factory = "f1"; }, ... ) } */
struct sd_access_rule {
	bool is_group;     /* matches a group (primary or supplementary) */
	char name[64];     /* user or group name as written */
	uint32_t id;       /* resolved uid/gid; ~0u when the name is unknown */
	bool resolved;
	enum sd_role role;
	int factory;       /* index, for SD_ROLE_FACTORY */
	int line;          /* config line, for messages */
};

/* Map a peer's credentials to a role. User rules win over group rules;
 * the first matching rule of each kind applies. A group rule matches the
 * peer's gid or the primary or any supplementary group of uid's user
 * (looked up on each call). When no rule matches, uid 0 and the engine's
 * own euid are SD_ROLE_OPERATOR, anyone else SD_ROLE_NONE. *factory is the
 * factory index for SD_ROLE_FACTORY, -1 otherwise. */
enum sd_role sd_config_role_for(const struct sd_config *c, uid_t uid, gid_t gid,
				int *factory);

#endif

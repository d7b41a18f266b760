/* core/host.h — what the engine hands every module: one host interface
 * instead of a struct of callbacks per module.
 *
 * A module (the collectors, the monitoring pipeline, later SNMP, billing,
 * the lifecycle and plugins) is created with a const struct sd_host * and
 * reaches everything of the engine through it:
 *
 *   loop     the one event loop (fd watchers, timers, before-sleep)
 *   config   the running configuration (replaced on reload: never keep
 *            the pointer across loop turns; a module's own section is read
 *            with that section's accessor)
 *   model    the engine-owned model (kept across reloads; objects are
 *            merged by id, so indexes may change on reload — re-resolve
 *            ids after an SD_BUS_ENGINE/SD_ENGINE_RELOADED event)
 *   bus      the event bus: publish model changes (sd_bus_model_changed),
 *            samples, alarms, usage; subscribe to what you consume
 *   ops      the IPC op registry: register your rows
 *   sbi      the engine's one SBI server (NULL when sbi.notify.listen is
 *            off): register your routes; notify_root is how NFs reach it
 *   store    the engine's SQLite store (state_dir/slicedeck.db, WAL,
 *            synchronous=NORMAL) for history that may lose the last
 *            second on a power cut; store_open gives a module a database
 *            of its own with its own durability (the audit log, a ledger)
 *
 * Later this becomes the plugin ABI's host-services table: it only grows
 * at the end.
 */
#ifndef SD_HOST_H
#define SD_HOST_H

#include <stddef.h>

#include "core/bus.h"
#include "core/config.h"
#include "core/loop.h"
#include "core/ops.h"
#include "core/store.h"

struct sd_sbi_server;


struct sd_host {
	struct sd_loop *loop;
	struct sd_bus *bus;
	struct sd_ops *ops;
	struct sd_sbi_server *sbi;
	struct sd_store *store;
	const struct sd_config *(*config)(void *arg);
	struct sd_model *(*model)(void *arg);
	/* "" without an SBI server */
	const char *(*notify_root)(void *arg);
	/* A database of the module's own in the state directory:
	 * state_dir/<name>.db. NULL with err on failure. The module closes it
	 * with sd_store_close. */
	struct sd_store *(*store_open)(void *arg, const char *name, enum sd_durability d,
				       char *err, size_t errsz);
	void *arg;
};

static inline const struct sd_config *sd_host_config(const struct sd_host *h)
{
	return h->config(h->arg);
}
static inline struct sd_model *sd_host_model(const struct sd_host *h)
{
	return h->model(h->arg);
}

#endif

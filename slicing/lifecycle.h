/* slicing/lifecycle.h — the slice lifecycle module: admission dry runs,
 * self-service requests and operator decisions, operator changes, the
 * state machine
 *
 *   requested -> admitted -> active <-> suspended -> decommissioned
 *        \-> rejected
 *
 * with every step kept (actor from SO_PEERCRED, time, reason, before and
 * after) in its own append-only history, runtime slices persisted in the
 * engine's store, and its IPC operations (docs/ipc.md, "Slice lifecycle
 * operations"; the rules in docs/slicing.md).
 */
#ifndef SD_LIFECYCLE_H
#define SD_LIFECYCLE_H

#include <stddef.h>

#include "core/host.h"

struct sd_lifecycle;
struct sd_model_store;

/* Registers the ops; mstore is the engine's handle on the model's slice
 * table (runtime slices are saved through it). NULL with err. */
struct sd_lifecycle *sd_lifecycle_new(const struct sd_host *host, struct sd_model_store *mstore,
				      char *err, size_t errsz);
void sd_lifecycle_free(struct sd_lifecycle *lc);

#endif

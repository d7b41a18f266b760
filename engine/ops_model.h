/* engine/ops_model.h — the model's IPC operations (factories, slices,
 * slice, sites, cells, nfs) and its live-update topics. */
#ifndef SD_OPS_MODEL_H
#define SD_OPS_MODEL_H

#include "core/host.h"
#include "core/ipc_server.h"
#include "core/ops.h"

/* Rows read the model from the call (call->model). */
int sd_ops_model_register(struct sd_ops *ops);
/* Topics read the model through host (kept by the server: static or
 * engine-lifetime storage). */
int sd_ops_model_topics(struct sd_ipc_server *srv, const struct sd_host *host);

#endif

/* tui/client.h — the console's connection to the engine (IPC client).
 *
 * The console never talks to the 5GC: everything it shows comes from the
 * engine over this connection. Calls are synchronous with a timeout (the
 * CLI); pushed events that arrive meanwhile are queued for the TUI, which
 * also reads the socket without blocking through sd_client_pump().
 */
#ifndef SD_TUI_CLIENT_H
#define SD_TUI_CLIENT_H

#include <stdbool.h>

#include <jansson.h>

#include "core/ipc.h"

#define SD_DEFAULT_SOCKET "/run/slicedeck/slicedeck.sock"

/* Replies and pushes can be far larger than a request (the slice list of a
 * 10,000-slice zone is megabytes on one line); the engine queues at most
 * SD_IPC_MAX_OUTBUF for a client, so that is our cap too. */
#define SD_CLIENT_MAX_LINE SD_IPC_MAX_OUTBUF

struct sd_client {
	int fd;
	struct sd_ipc_reader in; /* replies and events, lines up to SD_CLIENT_MAX_LINE */
	long next_id;
	json_t *hello;       /* the engine's hello result: role, factory, ... */
	json_t *events;      /* queued pushes (array), taken from ev_head on */
	size_t ev_head;      /* the next one to take */
	char err[512];       /* last error, for the user */
	char err_code[32];   /* wire code of the last error, "" for transport */
};

/* SLICEDECK_SOCKET, else the default. */
const char *sd_client_default_socket(void);

/* Connect and say hello. 0, or -1 with c->err explaining (engine not
 * running, permission, no role, version mismatch ...). */
int  sd_client_connect(struct sd_client *c, const char *path, int timeout_ms);
void sd_client_close(struct sd_client *c);

/* Send {"op":op, ...params} and wait for its reply. Returns the result
 * (caller decrefs), or NULL with c->err / c->err_code set. params may be
 * NULL; it is not stolen. */
json_t *sd_client_call(struct sd_client *c, const char *op, json_t *params, int timeout_ms);

/* Send a request without waiting (the TUI): returns its id, or -1 with
 * c->err. The reply is queued like an event ({"id":N,"result":..} or
 * {"id":N,"error":..}) and taken with sd_client_next_event(). */
long sd_client_send(struct sd_client *c, const char *op, json_t *params);

/* Read whatever the socket has without blocking; queue events (and the
 * replies to sd_client_send). Returns -1
 * when the connection is gone. */
int sd_client_pump(struct sd_client *c);
/* Next queued event ({"event":..,"data":..}), or NULL. Caller decrefs. */
json_t *sd_client_next_event(struct sd_client *c);

#endif

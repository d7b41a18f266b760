/* tui/cli_slice.h — the slice lifecycle's commands of "slicedeck" (the
 * scenario catalog, admission dry runs, requests and decisions); rows of
 * cli.c's command table call these. */
#ifndef SD_TUI_CLI_SLICE_H
#define SD_TUI_CLI_SLICE_H

#include <jansson.h>

#include "tui/cli.h"

/* After the scenarios table: each template not offered to the factory,
 * with its reasons, and the notes. */
void sd_cli_scenarios_after(const struct sd_cli_args *a, const json_t *res, const json_t *rows);

/* "slicedeck slice check ...": the slice.check op. */
int sd_cli_slice_check(const char *socket_path, const struct sd_cli_args *a);

/* The lifecycle's steps: slice request, create, modify, approve, reject,
 * activate, suspend, resume, decommission (the operand is the slice, or
 * for approve and reject the request number). */
int sd_cli_slice_run(const char *socket_path, const struct sd_cli_args *a);

/* "slicedeck slice history SLICE"; "slicedeck audit [--since TIME]". */
int sd_cli_slice_history(const char *socket_path, const struct sd_cli_args *a);
int sd_cli_audit(const char *socket_path, const struct sd_cli_args *a);

/* The exit status for an engine error code (rejected 3, forbidden 4,
 * failed 5, bad_request 2, else 1). */
int sd_cli_slice_status(const char *err_code);
/* The command's options as the lifecycle ops' parameters: Mbit/s rates to
 * kbit/s in "sla", "sites" as an array. NULL with a usage message in err. */
json_t *sd_cli_spec_params(const struct sd_cli_args *a, char *err, size_t errsz);

#endif

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

#endif

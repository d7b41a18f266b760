/* tui/cli_usage.h — the billing commands of "slicedeck" that are more than
 * one call and a listing; rows of cli.c's command table call these. */
#ifndef SD_TUI_CLI_USAGE_H
#define SD_TUI_CLI_USAGE_H

#include "tui/cli.h"

/* slicedeck usage import FILE: the file is sent in parts of at most ~48 KiB
 * (usage.upload), the engine checks it whole and answers every problem as
 * FILE:LINE: field: problem, printed here; only a file without problems is
 * imported (usage.import), all or nothing. Lines that are not UTF-8 are
 * reported here, before anything is sent. */
int sd_cli_usage_import(const char *socket_path, const struct sd_cli_args *a);

#endif

/* tui/cli.h — the console's non-interactive commands (for scripts). */
#ifndef SD_TUI_CLI_H
#define SD_TUI_CLI_H

#include <stdio.h>

#include <jansson.h>

enum sd_out_format { SD_OUT_TABLE, SD_OUT_JSON, SD_OUT_CSV };

/* A column of a listing: header and the member path ("sla.latency_ms"). */
struct sd_column {
	const char *header;
	const char *path;
};

/* Print rows (a JSON array of objects) in the format. */
void sd_cli_print(FILE *f, enum sd_out_format fmt, const json_t *rows,
		  const struct sd_column *cols, size_t ncols);
/* The text of one cell: the member at path rendered for humans/CSV. */
void sd_cli_cell(const json_t *row, const char *path, char *buf, size_t bufsz);

/* Run "slicedeck COMMAND ARGS..." against the engine; returns the exit
 * status (0 ok, 1 engine error, 2 usage). */
int sd_cli_run(const char *socket_path, int argc, char **argv);
/* true when name is a CLI command. */
int sd_cli_is_command(const char *name);
void sd_cli_usage(FILE *f);

#endif

/* tui/cli.h — the console's non-interactive commands (for scripts). */
#ifndef SD_TUI_CLI_H
#define SD_TUI_CLI_H

#include <stdbool.h>
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

/* Exit statuses of "slicedeck COMMAND". The slice lifecycle's commands
 * tell apart why a change did not happen: admission rejected it, the
 * caller's role or scope does not allow it, or provisioning failed. */
enum { SD_CLI_OK = 0, SD_CLI_ENGINE = 1, SD_CLI_USAGE = 2, SD_CLI_REJECTED = 3,
       SD_CLI_NOT_ALLOWED = 4, SD_CLI_FAILED = 5 };

/* A command is a const table row in cli.c naming its own options; an
 * option a command does not list is a usage error. */
struct sd_cli_cmd;

/* "slicedeck COMMAND ARGS..." parsed against its row, before anything is
 * sent. */
struct sd_cli_args {
	const struct sd_cli_cmd *cmd;
	const char *name;         /* the command's name, "alarm ack" */
	const char *op;           /* the IPC operation it runs */
	enum sd_out_format fmt;
	json_t *params;           /* the IPC parameters the options map to (owned) */
	json_t *filters;          /* row member -> value, filtered here (owned) */
	const char *operand;      /* the positional argument (FILE, ID), or NULL */
	bool help;                /* --help: print the command's help only */
	char err[256];            /* the usage error, for stderr */
};

/* Parse argv (argv[0] the command word). SD_CLI_OK, or SD_CLI_USAGE with
 * a->err ("slicedeck alarms: unknown option --factory"). Call
 * sd_cli_args_done either way. */
int sd_cli_parse(int argc, char **argv, struct sd_cli_args *a);

/* The command table as shell completion (tui/complete.c) reads it: row i
 * (false past the end), its name, operand, whether it takes --json/--csv,
 * and its options (name without "--", metavar NULL for a flag, the
 * values when the table lists them). */
#define SD_CLI_INFO_MAX_OPTS 16
struct sd_cli_cmd_info {
	const char *name, *operand;
	bool formats;
	size_t nopts;
	struct {
		const char *name, *metavar, *choices;
	} opts[SD_CLI_INFO_MAX_OPTS];
};
bool sd_cli_cmd_info(size_t i, struct sd_cli_cmd_info *out);
void sd_cli_args_done(struct sd_cli_args *a);

/* Run "slicedeck COMMAND ARGS..." against the engine; returns the exit
 * status (SD_CLI_OK, SD_CLI_ENGINE for an engine error or refusal,
 * SD_CLI_USAGE). "slicedeck help [COMMAND]" is one of the commands. */
int sd_cli_run(const char *socket_path, int argc, char **argv);
/* Run a listing command with these parameters (a command's own run may
 * prepare them): the table, CSV or JSON of its rows. */
int sd_cli_listing(const char *socket_path, const struct sd_cli_args *a, json_t *params);
/* true when name is (the first word of) a CLI command. */
int sd_cli_is_command(const char *name);
/* The command list, generated from the table; with cmd (a command name,
 * or NULL for all) that command's synopsis and options. 0, or -1 when
 * there is no such command. */
void sd_cli_usage(FILE *f);
int sd_cli_help(FILE *f, const char *cmd);

#endif

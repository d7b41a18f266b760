/* tui/cli.c — "slicedeck factories|slices|... [--json|--csv]".
 *
 * Each command is a table row: the IPC op it runs, the member of the result
 * holding the rows, and the columns of the human/CSV forms. --json prints
 * the rows exactly as the engine sent them (already scoped to the caller).
 */
#include "tui/cli.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "tui/client.h"

#define CALL_TIMEOUT_MS 5000

static const struct sd_column factory_cols[] = {
	{ "ID", "id" }, { "NAME", "name" }, { "INDUSTRY", "industry" },
	{ "MODE", "mode" }, { "LEVEL", "level" }, { "GRADE", "security_grade" },
	{ "SITES", "sites" }, { "CELLS", "cells" }, { "SLICES", "slices" },
};
static const struct sd_column slice_cols[] = {
	{ "ID", "id" }, { "FACTORY", "factory" }, { "S-NSSAI", "snssai" },
	{ "SCENARIO", "scenario" }, { "STATE", "state" }, { "5QI", "sla.fiveqi" },
	{ "LAT_MS", "sla.latency_ms" }, { "PCTL", "sla.latency_pct" },
	{ "AVAIL%", "sla.availability_pct" }, { "DNN", "dnn" },
};
static const struct sd_column site_cols[] = {
	{ "ID", "id" }, { "NAME", "name" }, { "FACTORY", "factory" },
	{ "LAT", "lat" }, { "LON", "lon" }, { "CELLS", "cells" },
};
static const struct sd_column cell_cols[] = {
	{ "ID", "id" }, { "SITE", "site" }, { "FACTORY", "factory" },
	{ "NCGI", "ncgi" }, { "TAC", "tac" }, { "PCI", "pci" },
};
static const struct sd_column nf_cols[] = {
	{ "ID", "id" }, { "TYPE", "type" }, { "STATUS", "status" }, { "LOAD%", "load" },
	{ "REACH", "reachable" }, { "S-NSSAIS", "snssais" }, { "HB_AGE_S", "hb_age_s" },
	{ "ADDR", "addr" },
};

struct command {
	const char *name;
	const char *op;
	const char *member;
	const struct sd_column *cols;
	size_t ncols;
	int takes_factory;
	const char *help;
};

static const struct command commands[] = {
	{ "factories", "factories", "factories", factory_cols, SD_ARRAY_LEN(factory_cols), 1,
	  "factories in your scope" },
	{ "slices", "slices", "slices", slice_cols, SD_ARRAY_LEN(slice_cols), 1,
	  "network slices with S-NSSAI, scenario and SLA targets" },
	{ "sites", "sites", "sites", site_cols, SD_ARRAY_LEN(site_cols), 1,
	  "factory sites" },
	{ "cells", "cells", "cells", cell_cols, SD_ARRAY_LEN(cell_cols), 1,
	  "NR cells (NCGI, TAC)" },
	{ "nfs", "nfs", "nfs", nf_cols, SD_ARRAY_LEN(nf_cols), 0,
	  "5GC NF instances from the NRF" },
	{ "whoami", "whoami", NULL, NULL, 0, 0, "your user, role and factory" },
};

static const struct command *find_command(const char *name)
{
	size_t i;
	for (i = 0; i < SD_ARRAY_LEN(commands); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

int sd_cli_is_command(const char *name) { return find_command(name) != NULL; }

void sd_cli_usage(FILE *f)
{
	size_t i;
	fprintf(f, "commands (each takes --json or --csv; listings take --factory ID):\n");
	for (i = 0; i < SD_ARRAY_LEN(commands); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
}

static const json_t *member_at(const json_t *row, const char *path)
{
	char key[64];
	const char *dot;
	while ((dot = strchr(path, '.'))) {
		size_t n = (size_t)(dot - path);
		if (n >= sizeof key)
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		row = json_object_get(row, key);
		path = dot + 1;
	}
	return json_object_get(row, path);
}

void sd_cli_cell(const json_t *row, const char *path, char *buf, size_t bufsz)
{
	const json_t *v;
	char raw[512];

	/* derived column: age of the last heartbeat */
	if (strcmp(path, "hb_age_s") == 0) {
		json_int_t seen = json_integer_value(json_object_get(row, "last_seen_ms"));
		if (seen > 0)
			snprintf(buf, bufsz, "%lld", (long long)((sd_wall_ms() - seen) / 1000));
		else
			snprintf(buf, bufsz, "-");
		return;
	}
	v = member_at(row, path);
	raw[0] = '\0';
	if (!v || json_is_null(v)) {
		snprintf(raw, sizeof raw, "-");
	} else if (json_is_string(v)) {
		snprintf(raw, sizeof raw, "%s", json_string_value(v));
	} else if (json_is_integer(v)) {
		snprintf(raw, sizeof raw, "%lld", (long long)json_integer_value(v));
	} else if (json_is_real(v)) {
		double d = json_real_value(v);
		if (d == floor(d) && fabs(d) < 1e15)
			snprintf(raw, sizeof raw, "%.0f", d);
		else
			snprintf(raw, sizeof raw, "%.6g", d);
	} else if (json_is_boolean(v)) {
		snprintf(raw, sizeof raw, "%s", json_is_true(v) ? "yes" : "no");
	} else if (json_is_array(v)) {
		size_t i, off = 0;
		const json_t *x;
		json_array_foreach(v, i, x) {
			int n = snprintf(raw + off, sizeof raw - off, "%s%s", i ? "," : "",
					 json_is_string(x) ? json_string_value(x) : "?");
			if (n < 0 || (size_t)n >= sizeof raw - off)
				break;
			off += (size_t)n;
		}
	}
	/* text that came from the network never reaches the terminal raw */
	sd_sanitize(buf, bufsz, raw, strlen(raw));
}

static void print_csv_field(FILE *f, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL && *s != ' ') {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

void sd_cli_print(FILE *f, enum sd_out_format fmt, const json_t *rows,
		  const struct sd_column *cols, size_t ncols)
{
	size_t i, c, nrows = json_array_size(rows);
	size_t *width;
	char cell[512];

	if (fmt == SD_OUT_JSON) {
		json_dumpf(rows, f, JSON_INDENT(2));
		fputc('\n', f);
		return;
	}
	if (fmt == SD_OUT_CSV) {
		for (c = 0; c < ncols; c++) {
			if (c)
				fputc(',', f);
			print_csv_field(f, cols[c].header);
		}
		fputs("\r\n", f);
		for (i = 0; i < nrows; i++) {
			for (c = 0; c < ncols; c++) {
				if (c)
					fputc(',', f);
				sd_cli_cell(json_array_get(rows, i), cols[c].path, cell, sizeof cell);
				print_csv_field(f, cell);
			}
			fputs("\r\n", f);
		}
		return;
	}
	width = sd_calloc(ncols, sizeof *width);
	for (c = 0; c < ncols; c++)
		width[c] = strlen(cols[c].header);
	for (i = 0; i < nrows; i++) {
		for (c = 0; c < ncols; c++) {
			size_t w;
			sd_cli_cell(json_array_get(rows, i), cols[c].path, cell, sizeof cell);
			w = strlen(cell);
			if (w > width[c])
				width[c] = w > 40 ? 40 : w;
		}
	}
	for (c = 0; c < ncols; c++)
		fprintf(f, "%-*s%s", (int)width[c], cols[c].header, c + 1 < ncols ? "  " : "\n");
	for (i = 0; i < nrows; i++) {
		for (c = 0; c < ncols; c++) {
			sd_cli_cell(json_array_get(rows, i), cols[c].path, cell, sizeof cell);
			fprintf(f, "%-*.*s%s", (int)width[c], (int)width[c], cell,
				c + 1 < ncols ? "  " : "\n");
		}
	}
	if (nrows == 0)
		fprintf(f, "(none in your scope)\n");
	free(width);
}

int sd_cli_run(const char *socket_path, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "csv", no_argument, NULL, 'C' },
		{ "factory", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct command *cmd = find_command(argv[0]);
	enum sd_out_format fmt = SD_OUT_TABLE;
	const char *factory = NULL;
	struct sd_client cl;
	json_t *params, *res;
	int ch, rc = 0;

	if (!cmd) {
		fprintf(stderr, "slicedeck: unknown command \"%s\"\n", argv[0]);
		sd_cli_usage(stderr);
		return 2;
	}
	optind = 1;
	while ((ch = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		switch (ch) {
		case 'j': fmt = SD_OUT_JSON; break;
		case 'C': fmt = SD_OUT_CSV; break;
		case 'f':
			if (!cmd->takes_factory) {
				fprintf(stderr, "slicedeck %s: --factory does not apply\n", cmd->name);
				return 2;
			}
			factory = optarg;
			break;
		case 'h': sd_cli_usage(stdout); return 0;
		default: sd_cli_usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "slicedeck %s: unexpected argument: %s\n", cmd->name, argv[optind]);
		return 2;
	}
	if (sd_client_connect(&cl, socket_path, CALL_TIMEOUT_MS) < 0) {
		fprintf(stderr, "slicedeck: %s\n", cl.err);
		sd_client_close(&cl);
		return 1;
	}
	params = json_object();
	if (factory)
		json_object_set_new(params, "factory", json_string(factory));
	res = sd_client_call(&cl, cmd->op, params, CALL_TIMEOUT_MS);
	json_decref(params);
	if (!res) {
		fprintf(stderr, "slicedeck %s: %s\n", cmd->name, cl.err);
		rc = 1;
	} else if (!cmd->member) {
		if (fmt == SD_OUT_JSON) {
			json_dumpf(res, stdout, JSON_INDENT(2));
			putchar('\n');
		} else {
			char b1[128], b2[128], b3[128];
			sd_cli_cell(res, "user", b1, sizeof b1);
			sd_cli_cell(res, "role", b2, sizeof b2);
			sd_cli_cell(res, "factory", b3, sizeof b3);
			printf("user %s, role %s%s%s\n", b1, b2,
			       strcmp(b3, "-") ? ", factory " : "", strcmp(b3, "-") ? b3 : "");
		}
	} else {
		sd_cli_print(stdout, fmt, json_object_get(res, cmd->member), cmd->cols, cmd->ncols);
	}
	json_decref(res);
	sd_client_close(&cl);
	if (fflush(stdout) != 0)
		rc = 1;
	return rc;
}

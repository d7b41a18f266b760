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
#include <time.h>

#include "core/util.h"
#include "monitor/coverage.h"
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

static const struct sd_column sla_cols[] = {
	{ "SLICE", "slice" }, { "FACTORY", "factory" }, { "KPI", "kpi" },
	{ "COMPLIANCE%", "compliance_pct" }, { "MET", "met" }, { "BREACHED", "breached" },
	{ "NO_DATA", "no_data" }, { "LAST", "last_verdict" }, { "OBSERVED", "last_observed" },
	{ "TARGET", "last_target" }, { "UNIT", "unit" },
};
static const struct sd_column alarm_cols[] = {
	{ "ID", "id" }, { "SEVERITY", "severity" }, { "OBJECT", "object" },
	{ "PROBLEM", "specific_problem" }, { "RAISED", "raised" }, { "ACKED_BY", "acked_by" },
	{ "ACTIVE", "active" }, { "TEXT", "text" },
};

static const struct sd_column coverage_cols[] = {
	{ "SITE", "site" }, { "FACTORY", "factory" }, { "SAMPLES", "samples" },
	{ "SHARE%", "share_pct" }, { "AREA%", "area_share_pct" }, { "TARGET%", "target_pct" },
	{ "BELOW", "below_target" }, { "WEAK_CELLS", "weak_count" }, { "HOLES", "hole_count" },
};

static const struct sd_column kpi_cols[] = {
	{ "START_UTC", "time" }, { "COUNT", "count" }, { "MIN", "min" }, { "MAX", "max" },
	{ "MEAN", "mean" }, { "P50", "p50" }, { "P99", "p99" }, { "OPEN", "open" },
};

/* Options a command takes besides --json/--csv. */
#define OPT_FACTORY 1
#define OPT_PERIOD  2   /* --period YYYY-MM, --slice ID */
#define OPT_ALL     4   /* --all */
#define OPT_SITE    8   /* --site ID */
#define OPT_KPI     16  /* --slice ID (required), --metric, --level, --points */

/* The sla result as one row per slice and KPI: the month's counts with the
 * last window's verdict beside them. */
static json_t *flatten_sla(const json_t *res)
{
	json_t *rows = json_array();
	const json_t *sl, *m;
	size_t i, k;
	json_array_foreach(json_object_get(res, "slices"), i, sl) {
		const json_t *last = json_object_get(json_object_get(sl, "last"), "kpis");
		json_array_foreach(json_object_get(sl, "month"), k, m) {
			const char *kpi = json_string_value(json_object_get(m, "kpi"));
			const json_t *lk = kpi ? json_object_get(last, kpi) : NULL;
			json_t *row = json_deep_copy(m);
			json_object_set(row, "factory", json_object_get(sl, "factory"));
			json_object_set(row, "last_verdict", json_object_get(lk, "verdict"));
			json_object_set(row, "last_observed", json_object_get(lk, "observed"));
			json_object_set(row, "last_target", json_object_get(lk, "target"));
			json_array_append_new(rows, row);
		}
	}
	return rows;
}

/* Coverage rows: the site's figures with counts of weak cells and holes. */
static json_t *flatten_coverage(const json_t *res)
{
	json_t *rows = json_array();
	const json_t *site;
	size_t i;
	json_array_foreach(json_object_get(res, "sites"), i, site) {
		json_t *row = json_deep_copy(site);
		json_object_set_new(row, "weak_count",
				    json_integer((json_int_t)json_array_size(json_object_get(site, "weak_cells"))));
		json_object_set_new(row, "hole_count",
				    json_integer((json_int_t)json_array_size(json_object_get(site, "holes"))));
		json_array_append_new(rows, row);
	}
	return rows;
}

/* KPI buckets, oldest first, the open one last (open: yes), each with its
 * start as UTC text. */
static json_t *flatten_kpi(const json_t *res)
{
	json_t *rows = json_array();
	const json_t *b, *cur = json_object_get(res, "current");
	size_t i, n = json_array_size(json_object_get(res, "buckets"));

	for (i = 0; i <= n; i++) {
		json_t *row;
		char t[32];
		time_t secs;
		struct tm tm;
		b = i < n ? json_array_get(json_object_get(res, "buckets"), i) : cur;
		if (!json_is_object(b))
			continue;
		row = json_deep_copy(b);
		secs = (time_t)(json_integer_value(json_object_get(b, "start")) / 1000);
		if (gmtime_r(&secs, &tm) && strftime(t, sizeof t, "%Y-%m-%d %H:%M", &tm) > 0)
			json_object_set_new(row, "time", json_string(t));
		json_object_set_new(row, "open", json_boolean(i == n));
		json_array_append_new(rows, row);
	}
	return rows;
}

/* One ASCII line of the buckets' means, low to high " .:-=+*#%@" scaled
 * between the smallest and largest mean, with the range and unit. */
static void print_kpi_chart(const json_t *res, const json_t *rows)
{
	static const char ramp[] = " .:-=+*#%@";
	const json_t *row;
	double lo = 0, hi = 0;
	size_t i, n = 0;
	char unit[32];

	json_array_foreach(rows, i, row) {
		double v = json_number_value(json_object_get(row, "mean"));
		if (!json_is_number(json_object_get(row, "mean")))
			continue;
		if (n == 0 || v < lo)
			lo = v;
		if (n == 0 || v > hi)
			hi = v;
		n++;
	}
	if (n == 0)
		return;
	sd_cli_cell(res, "unit", unit, sizeof unit);
	printf("\nmean %s [%.6g .. %.6g]: |", unit, lo, hi);
	json_array_foreach(rows, i, row) {
		const json_t *m = json_object_get(row, "mean");
		int k = 0;
		if (!json_is_number(m))
			continue;
		if (hi > lo)
			k = 1 + (int)((json_number_value(m) - lo) / (hi - lo) * (sizeof ramp - 3) + 0.5);
		else
			k = (int)(sizeof ramp - 2) / 2;
		putchar(ramp[k]);
	}
	puts("|");
}

struct command {
	const char *name;
	const char *op;
	const char *member;
	const struct sd_column *cols;
	size_t ncols;
	int takes_factory;         /* OPT_* bits */
	const char *help;
	json_t *(*flatten)(const json_t *result);  /* rows from the result, or NULL */
};

static const struct command commands[] = {
	{ "factories", "factories", "factories", factory_cols, SD_ARRAY_LEN(factory_cols), 1,
	  "factories in your scope", NULL },
	{ "slices", "slices", "slices", slice_cols, SD_ARRAY_LEN(slice_cols), 1,
	  "network slices with S-NSSAI, scenario and SLA targets", NULL },
	{ "sites", "sites", "sites", site_cols, SD_ARRAY_LEN(site_cols), 1,
	  "factory sites", NULL },
	{ "cells", "cells", "cells", cell_cols, SD_ARRAY_LEN(cell_cols), 1,
	  "NR cells (NCGI, TAC)", NULL },
	{ "nfs", "nfs", "nfs", nf_cols, SD_ARRAY_LEN(nf_cols), 0,
	  "5GC NF instances from the NRF", NULL },
	{ "whoami", "whoami", NULL, NULL, 0, 0, "your user, role and factory", NULL },
	{ "sla", "sla", NULL, sla_cols, SD_ARRAY_LEN(sla_cols), OPT_FACTORY | OPT_PERIOD,
	  "SLA report: monthly compliance per slice and KPI [--period YYYY-MM] [--slice ID]",
	  flatten_sla },
	{ "alarms", "alarms", "alarms", alarm_cols, SD_ARRAY_LEN(alarm_cols), OPT_ALL,
	  "active alarms in your scope [--all: cleared ones too]", NULL },
	{ "coverage", "coverage", NULL, coverage_cols, SD_ARRAY_LEN(coverage_cols), OPT_SITE,
	  "coverage per site [--site ID: with heat map, weak cells, holes]", flatten_coverage },
	{ "kpi", "kpi", NULL, kpi_cols, SD_ARRAY_LEN(kpi_cols), OPT_KPI,
	  "a slice's KPI history --slice ID [--metric latency] [--level 1min|5min|1h|1day] [--points N]",
	  flatten_kpi },
};

static const struct command *find_command(const char *name)
{
	size_t i;
	for (i = 0; i < SD_ARRAY_LEN(commands); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

int sd_cli_is_command(const char *name)
{
	return find_command(name) != NULL || strcmp(name, "alarm") == 0;
}

void sd_cli_usage(FILE *f)
{
	size_t i;
	fprintf(f, "commands (each takes --json or --csv; listings take --factory ID):\n");
	for (i = 0; i < SD_ARRAY_LEN(commands); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "  %-10s %s\n", "alarm ack", "acknowledge alarm ID (operators)");
	fprintf(f, "  %-10s %s\n", "coverage import", "FILE --site ID: a walk-test CSV (time, x/y or "
		"lat/lon, cell, rsrp, sinr)");
}

#define IMPORT_BATCH 1000

/* "slicedeck coverage import FILE --site ID": parsed here, so every bad
 * line is reported as FILE:LINE before anything is sent; then sent in
 * batches. Nothing is imported from a file with an error. */
static int coverage_import(const char *socket_path, int argc, char **argv)
{
	const char *file = NULL, *site_id = NULL;
	struct sd_client cl;
	struct sd_site site = { 0 };
	struct sd_errlist errs;
	struct sd_cov_sample *sm = NULL;
	size_t n = 0, off;
	json_t *res, *params, *sites, *one;
	int i, rc = 0;
	unsigned accepted = 0, refused = 0, dups = 0;

	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--site") == 0 && i + 1 < argc)
			site_id = argv[++i];
		else if (!file && argv[i][0] != '-')
			file = argv[i];
		else
			file = NULL, i = argc;
	}
	if (!file || !site_id) {
		fprintf(stderr, "usage: slicedeck coverage import FILE --site ID\n");
		return 2;
	}
	if (sd_client_connect(&cl, socket_path, CALL_TIMEOUT_MS) < 0) {
		fprintf(stderr, "slicedeck: %s\n", cl.err);
		sd_client_close(&cl);
		return 1;
	}
	/* the site's origin, for rows given in lat/lon */
	res = sd_client_call(&cl, "sites", NULL, CALL_TIMEOUT_MS);
	sites = json_object_get(res, "sites");
	json_array_foreach(sites, off, one)
		if (sd_streq(json_string_value(json_object_get(one, "id")), site_id)) {
			sd_strlcpy(site.id, site_id, sizeof site.id);
			site.lat = json_number_value(json_object_get(one, "lat"));
			site.lon = json_number_value(json_object_get(one, "lon"));
		}
	json_decref(res);
	if (!site.id[0]) {
		fprintf(stderr, "slicedeck coverage import: no site %s in your scope\n", site_id);
		sd_client_close(&cl);
		return 1;
	}
	sd_errlist_init(&errs);
	if (sd_cov_csv_load(file, &site, &sm, &n, &errs) < 0) {
		for (i = 0; i < errs.n; i++)
			fprintf(stderr, "%s\n", errs.msgs[i]);
		fprintf(stderr, "slicedeck coverage import: nothing imported\n");
		sd_errlist_done(&errs);
		sd_client_close(&cl);
		return 1;
	}
	sd_errlist_done(&errs);
	for (off = 0; off < n && rc == 0; off += IMPORT_BATCH) {
		json_t *rows = json_array();
		size_t k;
		for (k = off; k < n && k < off + IMPORT_BATCH; k++)
			json_array_append_new(rows, json_pack("[I, f, f, s, f, f]", (json_int_t)sm[k].t_ms,
							      sm[k].x_m, sm[k].y_m, sm[k].cell,
							      sm[k].rsrp_dbm, sm[k].sinr_db));
		params = json_pack("{s:s, s:o}", "site", site_id, "samples", rows);
		res = sd_client_call(&cl, "coverage.add", params, CALL_TIMEOUT_MS);
		json_decref(params);
		if (!res) {
			fprintf(stderr, "slicedeck coverage import: %s (%zu of %zu samples sent)\n",
				cl.err, off, n);
			rc = 1;
			break;
		}
		accepted += (unsigned)json_integer_value(json_object_get(res, "accepted"));
		refused += (unsigned)json_integer_value(json_object_get(res, "refused"));
		dups += (unsigned)json_integer_value(json_object_get(res, "duplicates"));
		json_decref(res);
	}
	if (rc == 0)
		printf("%s: %u samples imported into site %s (%u already there, %u outside its "
		       "plan or range)\n", file, accepted, site_id, dups, refused);
	free(sm);
	sd_client_close(&cl);
	return rc;
}

/* The heat map of one site, north up, with its legend. */
static void print_heatmap(const json_t *site)
{
	static const char glyph[] = " x-+#";
	const json_t *row;
	size_t i, k;
	const json_t *hm = json_object_get(site, "heatmap");
	if (!json_is_array(hm) || json_array_size(hm) == 0)
		return;
	printf("\nheat map of %s (north up; ' ' no data, x failing, - fair, + good, # excellent):\n",
	       json_string_value(json_object_get(site, "site")));
	json_array_foreach(hm, i, row) {
		const char *r = json_string_value(row);
		putchar('|');
		for (k = 0; r && r[k]; k++)
			putchar(r[k] >= '0' && r[k] <= '4' ? glyph[r[k] - '0'] : '?');
		puts("|");
	}
}

/* "slicedeck alarm ack ID": the one command that acts. */
static int alarm_ack(const char *socket_path, int argc, char **argv)
{
	struct sd_client cl;
	long long id;
	json_t *params, *res;
	int rc = 0;

	if (argc != 3 || strcmp(argv[1], "ack") != 0 || !sd_parse_ll(argv[2], 1, INT64_MAX, &id)) {
		fprintf(stderr, "usage: slicedeck alarm ack ID\n");
		return 2;
	}
	if (sd_client_connect(&cl, socket_path, CALL_TIMEOUT_MS) < 0) {
		fprintf(stderr, "slicedeck: %s\n", cl.err);
		sd_client_close(&cl);
		return 1;
	}
	params = json_pack("{s:I}", "alarm", (json_int_t)id);
	res = sd_client_call(&cl, "alarm.ack", params, CALL_TIMEOUT_MS);
	json_decref(params);
	if (!res) {
		fprintf(stderr, "slicedeck alarm ack: %s\n", cl.err);
		rc = 1;
	} else {
		char who[128];
		sd_cli_cell(json_object_get(res, "alarm"), "acked_by", who, sizeof who);
		printf("alarm %lld acknowledged (by %s)\n", id, who);
	}
	json_decref(res);
	sd_client_close(&cl);
	return rc;
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
		{ "period", required_argument, NULL, 'p' },
		{ "slice", required_argument, NULL, 's' },
		{ "site", required_argument, NULL, 'S' },
		{ "all", no_argument, NULL, 'a' },
		{ "metric", required_argument, NULL, 'm' },
		{ "level", required_argument, NULL, 'l' },
		{ "points", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct command *cmd = find_command(argv[0]);
	enum sd_out_format fmt = SD_OUT_TABLE;
	const char *factory = NULL, *period = NULL, *slice = NULL, *site = NULL;
	const char *metric = NULL, *level = NULL;
	long long points = 0;
	bool all = false;
	struct sd_client cl;
	json_t *params, *res;
	int ch, rc = 0;

	if (!cmd && strcmp(argv[0], "alarm") == 0)
		return alarm_ack(socket_path, argc, argv);
	if (strcmp(argv[0], "coverage") == 0 && argc > 1 && strcmp(argv[1], "import") == 0)
		return coverage_import(socket_path, argc, argv);
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
		case 'S':
			if (!(cmd->takes_factory & OPT_SITE)) {
				fprintf(stderr, "slicedeck %s: --site does not apply\n", cmd->name);
				return 2;
			}
			site = optarg;
			break;
		case 'm':
		case 'l':
		case 'n':
			if (!(cmd->takes_factory & OPT_KPI)) {
				fprintf(stderr, "slicedeck %s: --%s does not apply\n", cmd->name,
					ch == 'm' ? "metric" : ch == 'l' ? "level" : "points");
				return 2;
			}
			if (ch == 'm')
				metric = optarg;
			else if (ch == 'l')
				level = optarg;
			else if (!sd_parse_ll(optarg, 1, 500, &points)) {
				fprintf(stderr, "slicedeck %s: --points must be 1 to 500\n", cmd->name);
				return 2;
			}
			break;
		case 's':
			if (!(cmd->takes_factory & (OPT_PERIOD | OPT_KPI))) {
				fprintf(stderr, "slicedeck %s: --slice does not apply\n", cmd->name);
				return 2;
			}
			slice = optarg;
			break;
		case 'p':
			if (!(cmd->takes_factory & OPT_PERIOD)) {
				fprintf(stderr, "slicedeck %s: --%s does not apply\n", cmd->name,
					ch == 'p' ? "period" : "slice");
				return 2;
			}
			period = optarg;
			break;
		case 'a':
			if (!(cmd->takes_factory & OPT_ALL)) {
				fprintf(stderr, "slicedeck %s: --all does not apply\n", cmd->name);
				return 2;
			}
			all = true;
			break;
		case 'h': sd_cli_usage(stdout); return 0;
		default: sd_cli_usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "slicedeck %s: unexpected argument: %s\n", cmd->name, argv[optind]);
		return 2;
	}
	if ((cmd->takes_factory & OPT_KPI) && !slice) {
		fprintf(stderr, "slicedeck %s: --slice ID is required\n", cmd->name);
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
	if (period)
		json_object_set_new(params, "period", json_string(period));
	if (slice)
		json_object_set_new(params, "slice", json_string(slice));
	if (site)
		json_object_set_new(params, "site", json_string(site));
	if (all)
		json_object_set_new(params, "all", json_true());
	if (metric)
		json_object_set_new(params, "metric", json_string(metric));
	if (level)
		json_object_set_new(params, "level", json_string(level));
	if (points)
		json_object_set_new(params, "points", json_integer(points));
	res = sd_client_call(&cl, cmd->op, params, CALL_TIMEOUT_MS);
	json_decref(params);
	if (!res) {
		fprintf(stderr, "slicedeck %s: %s\n", cmd->name, cl.err);
		rc = 1;
	} else if (cmd->flatten) {
		if (fmt == SD_OUT_JSON) {
			json_dumpf(res, stdout, JSON_INDENT(2));
			putchar('\n');
		} else {
			json_t *rows = cmd->flatten(res);
			sd_cli_print(stdout, fmt, rows, cmd->cols, cmd->ncols);
			if (site && fmt == SD_OUT_TABLE)
				print_heatmap(json_array_get(json_object_get(res, "sites"), 0));
			if ((cmd->takes_factory & OPT_KPI) && fmt == SD_OUT_TABLE)
				print_kpi_chart(res, rows);
			json_decref(rows);
		}
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

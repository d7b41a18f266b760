/* tui/cli.c — "slicedeck COMMAND [OPTIONS] [--json|--csv]", for scripts.
 *
 * Each command is a const table row (after tmux's cmd-*.c): the IPC op it
 * runs, the member of the result holding the rows, the columns of the
 * human/CSV forms, and its own options, each naming the IPC parameter it
 * becomes. The parser and "slicedeck help" both read the table, so an
 * option a command does not take is refused (exit 2) rather than ignored,
 * and the help cannot drift from what is parsed. --json prints the rows
 * exactly as the engine sent them (already scoped to the caller).
 */
#include "tui/cli.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "core/util.h"
#include "tui/cli_slice.h"
#include "tui/cli_usage.h"
#include "tui/client.h"
#include "tui/theme.h"
#include "tui/walk.h"

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

static const struct sd_column status_cols[] = {
	{ "SOURCE", "name" }, { "FOUND", "found" }, { "STATE", "state" }, { "LAST_OK", "last_ok" },
	{ "LAST_ERROR", "last_error" }, { "FEEDS", "feeds" }, { "NOTE", "note" },
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
	{ "SHARE%", "share_pct" }, { "AREA%", "area_share_pct" },
	{ "MEASURED_SQ", "measured.squares" }, { "MEASURED%", "measured.area_share_pct" },
	{ "PREDICTED_SQ", "predicted.squares" }, { "PREDICTED%", "predicted.area_share_pct" },
	{ "TARGET%", "target_pct" }, { "BELOW", "below_target" }, { "WEAK_CELLS", "weak_count" },
	{ "HOLES", "hole_count" },
};

static const struct sd_column kpi_cols[] = {
	{ "START_UTC", "time" }, { "COUNT", "count" }, { "MIN", "min" }, { "MAX", "max" },
	{ "MEAN", "mean" }, { "P50", "p50" }, { "P99", "p99" }, { "OPEN", "open" },
};

static const struct sd_column snmp_cols[] = {
	{ "TARGET", "name" }, { "ADDRESS", "address" }, { "VER", "version" }, { "KIND", "kind" },
	{ "SECURITY", "security" }, { "STATE", "state" }, { "SENT", "sent" }, { "ACKED", "acked" },
	{ "FAILED", "failed" }, { "DROPPED", "dropped" }, { "SUPPRESSED", "suppressed" },
	{ "QUEUED", "queued" },
};

static const struct sd_column plugin_cols[] = {
	{ "PLUGIN", "name" }, { "STATE", "state" }, { "VERSION", "version" }, { "KIND", "kind" },
	{ "ABI", "abi" }, { "DELIVERED", "delivered" }, { "DROPPED", "dropped" },
	{ "REASON", "reason" },
};

static const struct sd_column scenario_cols[] = {
	{ "ID", "id" }, { "NO", "number" }, { "SST", "sst" }, { "5QI", "fiveqi" },
	{ "LAT_MS", "latency_ms" }, { "PCTL", "latency_pct" }, { "UL_GBR", "gbr_ul_kbps" },
	{ "UL_MAX", "mbr_ul_kbps" }, { "DL_GBR", "gbr_dl_kbps" }, { "DL_MAX", "mbr_dl_kbps" },
	{ "REL%", "reliability_pct" }, { "AVAIL%", "availability_pct" }, { "UES", "max_ues" },
	{ "MODES", "modes" }, { "LEVELS", "levels" }, { "OFFERED", "offered" },
	{ "NAME", "name" }, { "NAME_ZH", "name_zh" },
};

static const struct sd_column usage_cols[] = {
	{ "FACTORY", "factory" }, { "SLICE", "slice" }, { "PERIOD", "period" },
	{ "UL_BYTES", "ul_bytes" }, { "DL_BYTES", "dl_bytes" }, { "TOTAL_BYTES", "total_bytes" },
	{ "SECONDS", "seconds" }, { "RECORDS", "records" },
};
static const struct sd_column held_cols[] = {
	{ "KEY", "key" }, { "SNSSAI", "snssai" }, { "DNN", "dnn" }, { "PERIOD", "period" },
	{ "TOTAL_BYTES", "total_bytes" }, { "REASON", "reason" },
};

static const struct sd_column bill_cols[] = {
	{ "WHAT", "what" }, { "TYPE", "type" }, { "QUANTITY", "quantity" }, { "UNIT", "unit" },
	{ "UNIT_PRICE", "unit_price" }, { "AMOUNT", "amount" }, { "VAT%", "vat_pct" },
	{ "TAX", "tax" },
};

static void print_money(const char *label, const json_t *res, const char *member)
{
	json_int_t v = json_integer_value(json_object_get(res, member));
	printf("%-9s %12lld fen  (%lld.%02lld %s)\n", label, (long long)v, (long long)(v / 100),
	       (long long)(v % 100), json_string_value(json_object_get(res, "currency")));
}

/* The bill's head and totals around its lines. */
static void after_bill(const struct sd_cli_args *a, const json_t *res, const json_t *rows)
{
	printf("factory %s, %s, tariff %s: %lld bytes in %lld records, %lld slices in service\n",
	       json_string_value(json_object_get(res, "factory")),
	       json_string_value(json_object_get(res, "period")),
	       json_string_value(json_object_get(res, "tariff")),
	       (long long)json_integer_value(json_object_get(res, "bytes")),
	       (long long)json_integer_value(json_object_get(res, "records")),
	       (long long)json_integer_value(json_object_get(res, "slices_in_service")));
	print_money("subtotal", res, "subtotal");
	print_money("tax", res, "tax");
	print_money("total", res, "total");
}

/* Operators are told when records wait for review. */
static void after_usage(const struct sd_cli_args *a, const json_t *res, const json_t *rows)
{
	json_int_t n = json_integer_value(json_object_get(res, "held_records"));
	if (n > 0)
		printf("%lld record%s held for review (no slice in service): slicedeck usage held\n",
		       (long long)n, n == 1 ? "" : "s");
}

static const struct sd_column request_cols[] = {
	{ "ID", "id" }, { "KIND", "kind" }, { "SLICE", "slice" }, { "FACTORY", "factory" },
	{ "STATE", "state" }, { "BY", "requested_by" }, { "REQUESTED", "requested" },
	{ "DECIDED_BY", "decided_by" }, { "NOTE", "note" },
};
static const struct sd_column history_cols[] = {
	{ "TIME", "time" }, { "ACTOR", "actor" }, { "ROLE", "role" }, { "ACTION", "action" },
	{ "FROM", "from" }, { "TO", "to" }, { "REASON", "reason" },
};
static const struct sd_column audit_cols[] = {
	{ "SEQ", "seq" }, { "TIME", "time" }, { "USER", "user" }, { "ROLE", "role" },
	{ "OP", "op" }, { "FACTORY", "factory" }, { "OUTCOME", "outcome" }, { "MESSAGE", "message" },
};

/* The plugins result's list as the rows. */
static json_t *flatten_plugins(const json_t *res)
{
	json_t *t = json_object_get(res, "plugins");
	return json_is_array(t) ? json_incref(t) : json_array();
}

/* The snmp result's targets as the rows. */
static json_t *flatten_snmp(const json_t *res)
{
	json_t *t = json_object_get(res, "targets");
	return json_is_array(t) ? json_incref(t) : json_array();
}

/* The receivers must know our engine ID (createUser -e for v3 traps). */
static void after_snmp(const struct sd_cli_args *a, const json_t *res, const json_t *rows)
{
	printf("engine ID %s (boot %lld); heartbeat every %lld s\n",
	       json_string_value(json_object_get(res, "engine_id")),
	       (long long)json_integer_value(json_object_get(res, "engine_boots")),
	       (long long)json_integer_value(json_object_get(res, "heartbeat_s")));
}

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

#define IMPORT_BATCH 1000

/* "slicedeck coverage import FILE --site ID": parsed here, so every bad
 * line is reported as FILE:LINE before anything is sent; then sent in
 * batches. Nothing is imported from a file with an error. */
static int coverage_import(const char *socket_path, const struct sd_cli_args *a)
{
	const char *file = a->operand;
	const char *site_id = json_string_value(json_object_get(a->params, "site"));
	struct sd_client cl;
	struct sd_walk_origin origin = { 0 };
	struct sd_walk_sample *sm = NULL;
	size_t n = 0, off;
	json_t *res, *params, *sites, *one;
	bool found = false;
	int rc = 0;
	unsigned accepted = 0, refused = 0, dups = 0, unknown = 0;
	char token[32];
	char first_unknown[48] = "";

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
			found = true;
			origin.lat = json_number_value(json_object_get(one, "lat"));
			origin.lon = json_number_value(json_object_get(one, "lon"));
		}
	json_decref(res);
	if (!found) {
		fprintf(stderr, "slicedeck coverage import: no site %s in your scope\n", site_id);
		sd_client_close(&cl);
		return 1;
	}
	if (sd_walk_load(file, &origin, &sm, &n, stderr) != 0) {
		fprintf(stderr, "slicedeck coverage import: nothing imported\n");
		sd_client_close(&cl);
		return 1;
	}
	snprintf(token, sizeof token, "f%d-%lld", (int)getpid(),
		 (long long)(sd_wall_ms() % 1000000000000LL));
	for (off = 0; off < n && rc == 0; off += IMPORT_BATCH) {
		json_t *rows = json_array();
		size_t k;
		for (k = off; k < n && k < off + IMPORT_BATCH; k++)
			json_array_append_new(rows, json_pack("[I, f, f, s, f, f]", (json_int_t)sm[k].t_ms,
							      sm[k].x_m, sm[k].y_m, sm[k].cell,
							      sm[k].rsrp_dbm, sm[k].sinr_db));
		/* one import per file: the engine stores nothing of it before the
		 * last batch, so a kill in the middle leaves nothing */
		params = json_pack("{s:s, s:o, s:s, s:b}", "site", site_id, "samples", rows,
				   "import", token, "last", k >= n);
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
		unknown += (unsigned)json_integer_value(json_object_get(res, "unknown_cells"));
		if (!first_unknown[0] && json_is_string(json_object_get(res, "first_unknown_cell")))
			sd_sanitize(first_unknown, sizeof first_unknown,
				    json_string_value(json_object_get(res, "first_unknown_cell")),
				    strlen(json_string_value(json_object_get(res, "first_unknown_cell"))));
		json_decref(res);
	}
	if (rc == 0)
		printf("%s: %u samples imported into site %s (%u already there, %u outside its "
		       "plan or range)\n", file, accepted, site_id, dups, refused - unknown);
	if (rc == 0 && unknown)
		printf("%s: %u samples name a cell that is not one of the factory's (the first: "
		       "%s); not imported\n", file, unknown, first_unknown);
	free(sm);
	sd_client_close(&cl);
	return rc;
}

/* The heat map of one site, north up, with its legend, then the cells as
 * the prediction sees them and the holes. */
static void print_heatmap(const json_t *site)
{
	const json_t *row, *o;
	size_t i, k;
	const json_t *hm = json_object_get(site, "heatmap");
	if (!json_is_array(hm) || json_array_size(hm) == 0)
		return;
	printf("\nheat map of %s (north up; ' ' no data; measured: x failing, - fair, + good, "
	       "# excellent; predicted: %s failing, %s fair, %s good, %s excellent):\n",
	       json_string_value(json_object_get(site, "site")), sd_heat_glyph(NULL, '5', NULL),
	       sd_heat_glyph(NULL, '6', NULL), sd_heat_glyph(NULL, '7', NULL),
	       sd_heat_glyph(NULL, '8', NULL));
	json_array_foreach(hm, i, row) {
		const char *r = json_string_value(row);
		putchar('|');
		for (k = 0; r && r[k]; k++)
			fputs(r[k] >= '0' && r[k] <= '8' ? sd_heat_glyph(NULL, r[k], NULL) : "?", stdout);
		puts("|");
	}
	json_array_foreach(json_object_get(site, "cells"), i, o) {
		const json_t *rep = json_object_get(o, "reported_rsrp_dbm");
		printf("cell %s: %s, %s", json_string_value(json_object_get(o, "cell")),
		       json_string_value(json_object_get(o, "model")),
		       json_is_true(json_object_get(o, "down")) ? "DOWN (silent in the radio reports)"
								: "on the air");
		if (json_is_number(rep))
			printf(", reports %.1f dBm, calibration %+.1f dB", json_number_value(rep),
			       json_number_value(json_object_get(o, "offset_db")));
		else
			printf(", no report yet (uncalibrated)");
		putchar('\n');
	}
	json_array_foreach(json_object_get(site, "holes"), i, o)
		printf("hole %zu (%s): %lld squares, x %.0f-%.0f m, y %.0f-%.0f m, mean RSRP %.1f dBm\n",
		       i + 1, json_string_value(json_object_get(o, "kind")),
		       (long long)json_integer_value(json_object_get(o, "squares")),
		       json_number_value(json_object_get(o, "x0_m")),
		       json_number_value(json_object_get(o, "x1_m")),
		       json_number_value(json_object_get(o, "y0_m")),
		       json_number_value(json_object_get(o, "y1_m")),
		       json_number_value(json_object_get(o, "rsrp_mean")));
}

/* "slicedeck alarm ack ID": the one command that acts. */
static int alarm_ack(const char *socket_path, const struct sd_cli_args *a)
{
	struct sd_client cl;
	long long id;
	json_t *params, *res;
	int rc = 0;

	if (!sd_parse_ll(a->operand, 1, INT64_MAX, &id)) {
		fprintf(stderr, "slicedeck alarm ack: %s is not an alarm id (a number from "
			"slicedeck alarms)\n", a->operand);
		return SD_CLI_USAGE;
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
			sd_fmt_sig(d, raw, sizeof raw);   /* 99.9999, not "100" */
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

/* --- the command table ------------------------------------------------------- */

enum opt_kind { OPT_FLAG, OPT_TEXT, OPT_INT };

/* One option of one command. An option reaches the engine as the IPC
 * parameter it names, so a command only lists what its operation accepts;
 * a filter option is applied here instead, to the rows' member of that
 * name, after check_op has asked the engine whether the value exists in
 * the caller's scope (so a wrong name is refused as it is elsewhere). */
struct cli_opt {
	const char *name;       /* "factory" for --factory */
	const char *metavar;    /* "ID"; NULL for a flag */
	enum opt_kind kind;
	const char *param;      /* the IPC parameter, or the member a filter compares */
	bool filter;            /* filtered here, not sent */
	const char *check_op;   /* filter: the op asked with {param: value} first */
	bool required;
	long long lo, hi;       /* OPT_INT bounds */
	const char *help;
	const char *choices;    /* the values, space-separated, for completion */
};

struct sd_cli_cmd {
	const char *name;       /* "alarms", or two words: "alarm ack" */
	const char *op;         /* the IPC operation; NULL: run does all */
	const char *member;     /* the result's member holding the rows */
	const struct sd_column *cols;
	size_t ncols;
	const struct cli_opt *opts;
	size_t nopts;
	const char *operand;    /* the positional argument's name, NULL none */
	bool operand_required;
	bool formats;           /* takes --json / --csv */
	const char *help;
	json_t *(*flatten)(const json_t *result);   /* rows from the result */
	/* extra text after the human table (heat map, chart) */
	void (*after)(const struct sd_cli_args *a, const json_t *res, const json_t *rows);
	/* a command that is not one call and a listing */
	int (*run)(const char *socket_path, const struct sd_cli_args *a);
};

#define OPTS(a) .opts = (a), .nopts = SD_ARRAY_LEN(a)
#define COLS(a) .cols = (a), .ncols = SD_ARRAY_LEN(a)

static const struct cli_opt scope_opts[] = {
	{ .name = "factory", .metavar = "ID", .kind = OPT_TEXT, .param = "factory",
	  .help = "only this factory's objects (a factory user may name only their own)" },
};
static const struct cli_opt sla_opts[] = {
	{ .name = "factory", .metavar = "ID", .kind = OPT_TEXT, .param = "factory",
	  .help = "only this factory's slices" },
	{ .name = "slice", .metavar = "ID", .kind = OPT_TEXT, .param = "slice",
	  .help = "only this slice" },
	{ .name = "period", .metavar = "YYYY-MM", .kind = OPT_TEXT, .param = "period",
	  .help = "the month (default this month)" },
};
static const struct cli_opt alarm_opts[] = {
	{ .name = "all", .kind = OPT_FLAG, .param = "all",
	  .help = "cleared alarms the engine still keeps, too" },
	{ .name = "factory", .metavar = "ID", .kind = OPT_TEXT, .param = "factory",
	  .help = "only alarms raised on this factory's objects (the engine filters; "
		  "zone-wide alarms such as an NF unreachable are left out)" },
};
static const struct cli_opt usage_opts[] = {
	{ .name = "factory", .metavar = "ID", .kind = OPT_TEXT, .param = "factory",
	  .help = "only this factory (a factory user sees only its own anyway)" },
	{ .name = "period", .metavar = "YYYY-MM", .kind = OPT_TEXT, .param = "period",
	  .help = "only this month (UTC)" },
};
static const struct cli_opt bill_opts[] = {
	{ .name = "factory", .metavar = "ID", .kind = OPT_TEXT, .param = "factory",
	  .help = "the factory (a factory user: its own, the default)" },
	{ .name = "period", .metavar = "YYYY-MM", .kind = OPT_TEXT, .param = "period",
	  .help = "the month (UTC; default this month, to date)" },
};
static const struct cli_opt coverage_opts[] = {
	{ .name = "site", .metavar = "ID", .kind = OPT_TEXT, .param = "site",
	  .help = "one site, with its heat map, weak cells and holes" },
};
static const struct cli_opt import_opts[] = {
	{ .name = "site", .metavar = "ID", .kind = OPT_TEXT, .param = "site", .required = true,
	  .help = "the site the walk test was made on" },
};
static const struct cli_opt kpi_opts[] = {
	{ .name = "slice", .metavar = "ID", .kind = OPT_TEXT, .param = "slice", .required = true,
	  .help = "the slice" },
	{ .name = "metric", .metavar = "NAME", .kind = OPT_TEXT, .param = "metric",
	  .help = "latency (default), ul_throughput, dl_throughput, ul_demand, dl_demand, "
		  "packet_loss, availability, ues, pdu_sessions, rsrp, sinr, prb_usage",
	  .choices = "latency ul_throughput dl_throughput ul_demand dl_demand packet_loss "
		     "availability ues pdu_sessions rsrp sinr prb_usage" },
	{ .name = "level", .metavar = "LEVEL", .kind = OPT_TEXT, .param = "level",
	  .help = "1min (default), 5min, 1h or 1day buckets", .choices = "1min 5min 1h 1day" },
	{ .name = "points", .metavar = "N", .kind = OPT_INT, .param = "points", .lo = 1, .hi = 500,
	  .help = "the last N periods (default 60)" },
};

static const struct cli_opt scenario_opts[] = {
	{ .name = "factory", .metavar = "ID", .kind = OPT_TEXT, .param = "factory",
	  .help = "say which templates this factory is not offered, and why (a factory user "
		  "always sees their own)" },
};

/* A slice as the lifecycle commands describe it; tui/cli_slice.c turns
 * the Mbit/s and list options into the ops' parameters. */
#define SPEC_OPTS                                                                           \
	{ .name = "factory", .metavar = "ID", .kind = OPT_TEXT, .param = "factory",           \
	  .help = "the factory (a factory user: their own, the default)" },                   \
	{ .name = "scenario", .metavar = "ID", .kind = OPT_TEXT, .param = "scenario",         \
	  .help = "the template (slicedeck scenarios)" },                                      \
	{ .name = "sites", .metavar = "A,B", .kind = OPT_TEXT, .param = "sites",              \
	  .help = "the sites it serves (default all of the factory's)" },                      \
	{ .name = "snssai", .metavar = "SST-SD", .kind = OPT_TEXT, .param = "snssai",         \
	  .help = "the S-NSSAI (operators; default: an SD from slicing.sd_range)" },           \
	{ .name = "dnn", .metavar = "DNN", .kind = OPT_TEXT, .param = "dnn",                  \
	  .help = "one of the factory's DNNs" },                                               \
	{ .name = "name", .metavar = "TEXT", .kind = OPT_TEXT, .param = "name",               \
	  .help = "display name" },                                                            \
	{ .name = "gbr-ul", .metavar = "MBPS", .kind = OPT_TEXT, .param = "gbr_ul_mbps",      \
	  .help = "guaranteed uplink rate, Mbit/s (kbit/s precision)" },                       \
	{ .name = "gbr-dl", .metavar = "MBPS", .kind = OPT_TEXT, .param = "gbr_dl_mbps",      \
	  .help = "guaranteed downlink rate, Mbit/s" },                                        \
	{ .name = "mbr-ul", .metavar = "MBPS", .kind = OPT_TEXT, .param = "mbr_ul_mbps",      \
	  .help = "maximum uplink rate, Mbit/s" },                                             \
	{ .name = "mbr-dl", .metavar = "MBPS", .kind = OPT_TEXT, .param = "mbr_dl_mbps",      \
	  .help = "maximum downlink rate, Mbit/s" },                                           \
	{ .name = "latency", .metavar = "MS", .kind = OPT_TEXT, .param = "latency_ms",        \
	  .help = "latency bound, ms" },                                                       \
	{ .name = "availability", .metavar = "PCT", .kind = OPT_TEXT,                          \
	  .param = "availability_pct", .help = "availability per month, %" },                  \
	{ .name = "max-ues", .metavar = "N", .kind = OPT_INT, .param = "max_ues", .lo = 0,    \
	  .hi = 10000000, .help = "UEs the slice admits" }

static const struct cli_opt slice_check_opts[] = {
	SPEC_OPTS,
	{ .name = "slice", .metavar = "ID", .kind = OPT_TEXT, .param = "slice",
	  .help = "check a change to this slice instead of a new one" },
};

static const struct cli_opt slice_request_opts[] = {
	SPEC_OPTS,
	{ .name = "id", .metavar = "ID", .kind = OPT_TEXT, .param = "new_slice",
	  .help = "the new slice's id (default FACTORY-N)" },
};
static const struct cli_opt slice_create_opts[] = {
	SPEC_OPTS,
	{ .name = "id", .metavar = "ID", .kind = OPT_TEXT, .param = "new_slice",
	  .help = "the new slice's id (default FACTORY-N)" },
	{ .name = "reason", .metavar = "TEXT", .kind = OPT_TEXT, .param = "reason",
	  .help = "why (kept in the slice's history)" },
};
static const struct cli_opt slice_modify_opts[] = {
	SPEC_OPTS,
	{ .name = "reason", .metavar = "TEXT", .kind = OPT_TEXT, .param = "reason",
	  .help = "why (kept in the slice's history)" },
};
static const struct cli_opt note_opts[] = {
	{ .name = "note", .metavar = "TEXT", .kind = OPT_TEXT, .param = "note",
	  .help = "a note for the requester" },
};
static const struct cli_opt reason_opts[] = {
	{ .name = "reason", .metavar = "TEXT", .kind = OPT_TEXT, .param = "reason",
	  .help = "why (kept in the slice's history)" },
};
static const struct cli_opt must_reason_opts[] = {
	{ .name = "reason", .metavar = "TEXT", .kind = OPT_TEXT, .param = "reason", .required = true,
	  .help = "why (kept in the slice's history and shown to the factory)" },
};
static const struct cli_opt activate_opts[] = {
	{ .name = "out-of-band", .kind = OPT_FLAG, .param = "out_of_band",
	  .help = "the slice was provisioned at the 5GC by hand (no SBI provisioning configured)" },
	{ .name = "reason", .metavar = "TEXT", .kind = OPT_TEXT, .param = "reason",
	  .help = "what was done" },
};
static const struct cli_opt requests_opts[] = {
	{ .name = "state", .metavar = "STATE", .kind = OPT_TEXT, .param = "state",
	  .help = "pending, approved or rejected (default all)" },
};
static const struct cli_opt audit_opts[] = {
	{ .name = "since", .metavar = "TIME", .kind = OPT_TEXT, .param = "since",
	  .help = "records at or after TIME: YYYY-MM-DD[THH:MM[:SS]] UTC, or ms since the epoch" },
	{ .name = "factory", .metavar = "ID", .kind = OPT_TEXT, .param = "factory",
	  .help = "records about this factory (a factory user: only their own)" },
	{ .name = "limit", .metavar = "N", .kind = OPT_INT, .param = "limit", .lo = 1, .hi = 10000,
	  .help = "newest first, at most N (default 200)" },
};

static void after_coverage(const struct sd_cli_args *a, const json_t *res, const json_t *rows)
{
	if (json_object_get(a->params, "site"))
		print_heatmap(json_array_get(json_object_get(res, "sites"), 0));
}

static void after_kpi(const struct sd_cli_args *a, const json_t *res, const json_t *rows)
{
	print_kpi_chart(res, rows);
}

static int run_help(const char *socket_path, const struct sd_cli_args *a);

static const struct sd_cli_cmd commands[] = {
	{ .name = "factories", .op = "factories", .member = "factories", COLS(factory_cols),
	  OPTS(scope_opts), .formats = true, .help = "factories in your scope" },
	{ .name = "slices", .op = "slices", .member = "slices", COLS(slice_cols),
	  OPTS(scope_opts), .formats = true,
	  .help = "network slices with S-NSSAI, scenario and SLA targets" },
	{ .name = "sites", .op = "sites", .member = "sites", COLS(site_cols),
	  OPTS(scope_opts), .formats = true, .help = "factory sites" },
	{ .name = "cells", .op = "cells", .member = "cells", COLS(cell_cols),
	  OPTS(scope_opts), .formats = true, .help = "NR cells (NCGI, TAC, PCI)" },
	{ .name = "nfs", .op = "nfs", .member = "nfs", COLS(nf_cols), .formats = true,
	  .help = "5GC NF instances from the NRF" },
	{ .name = "status", .op = "status", .member = "sources", COLS(status_cols),
	  .formats = true,
	  .help = "the engine's data sources: found or not, last success, last error, what each feeds" },
	{ .name = "whoami", .op = "whoami", .formats = true,
	  .help = "your user, role and factory" },
	{ .name = "sla", .op = "sla", COLS(sla_cols), OPTS(sla_opts), .formats = true,
	  .help = "SLA report: monthly compliance per slice and KPI, the last window's verdicts",
	  .flatten = flatten_sla },
	{ .name = "alarms", .op = "alarms", .member = "alarms", COLS(alarm_cols),
	  OPTS(alarm_opts), .formats = true, .help = "active X.733 alarms in your scope" },
	{ .name = "alarm ack", .op = "alarm.ack", .operand = "ID", .operand_required = true,
	  .help = "acknowledge alarm ID (operators)", .run = alarm_ack },
	{ .name = "coverage import", .op = "coverage.add", OPTS(import_opts), .operand = "FILE",
	  .operand_required = true,
	  .help = "import a walk-test CSV (time, x/y or lat/lon, cell, rsrp, sinr); "
		  "checked whole before anything is sent", .run = coverage_import },
	{ .name = "coverage", .op = "coverage", COLS(coverage_cols), OPTS(coverage_opts),
	  .formats = true, .help = "coverage per site: share, area share, weak cells, holes",
	  .flatten = flatten_coverage, .after = after_coverage },
	{ .name = "kpi", .op = "kpi", COLS(kpi_cols), OPTS(kpi_opts), .formats = true,
	  .help = "a slice's KPI history from the engine's store, with a chart of the means",
	  .flatten = flatten_kpi, .after = after_kpi },
	{ .name = "snmp", .op = "snmp", COLS(snmp_cols), .formats = true,
	  .help = "SNMP notification targets: sent, acked, failed, dropped, suppressed, queued; "
		  "the engine's v3 engine ID", .flatten = flatten_snmp, .after = after_snmp },
	{ .name = "plugins", .op = "plugins", COLS(plugin_cols), .formats = true,
	  .help = "plugins: loaded and running, or failed with the reason (operators)",
	  .flatten = flatten_plugins },
	{ .name = "scenarios", .op = "scenarios", .member = "scenarios", COLS(scenario_cols),
	  OPTS(scenario_opts), .formats = true,
	  .help = "the 20-scenario slice template catalog (rates in kbit/s); for a factory, "
		  "which templates it is not offered and why", .after = sd_cli_scenarios_after },
	{ .name = "bill", .op = "bill", .member = "lines", COLS(bill_cols), OPTS(bill_opts),
	  .formats = true, .after = after_bill,
	  .help = "a factory's bill for a month, line by line: amounts and VAT in fen" },
	{ .name = "usage import", .op = "usage.import", .operand = "FILE", .operand_required = true,
	  .help = "import usage records from a CSV (time, slice, ul_bytes, dl_bytes, ...); "
		  "checked whole by the engine, all or nothing (operators)",
	  .run = sd_cli_usage_import },
	{ .name = "usage held", .op = "usage.held", .member = "held", COLS(held_cols),
	  .formats = true,
	  .help = "usage records held for review: no slice in service matched them (operators)" },
	{ .name = "usage", .op = "usage", .member = "usage", COLS(usage_cols), OPTS(usage_opts),
	  .formats = true, .after = after_usage,
	  .help = "metered usage from the ledger per factory, slice and month (bytes, seconds)" },
	{ .name = "slice check", .op = "slice.check", OPTS(slice_check_opts), .formats = true,
	  .help = "admission control as a dry run: whether the zone can carry this slice "
		  "(or this change), every failed constraint with its numbers; exit status 3 "
		  "when it would be rejected", .run = sd_cli_slice_check },
	{ .name = "slice request", .op = "slice.request", OPTS(slice_request_opts), .formats = true,
	  .operand = "SLICE",
	  .help = "ask for a new slice from the catalog (--scenario), or with SLICE a change to one "
		  "of yours; it waits for an operator's decision", .run = sd_cli_slice_run },
	{ .name = "slice requests", .op = "slice.requests", .member = "requests",
	  COLS(request_cols), OPTS(requests_opts), .formats = true,
	  .help = "slice requests in your scope, newest first, with their decisions" },
	{ .name = "slice approve", .op = "slice.approve", OPTS(note_opts), .formats = true,
	  .operand = "REQUEST", .operand_required = true,
	  .help = "approve a request (operators): admission control runs; exit 3 when it rejects",
	  .run = sd_cli_slice_run },
	{ .name = "slice reject", .op = "slice.reject", OPTS(must_reason_opts), .formats = true,
	  .operand = "REQUEST", .operand_required = true, .help = "reject a request (operators)",
	  .run = sd_cli_slice_run },
	{ .name = "slice create", .op = "slice.create", OPTS(slice_create_opts), .formats = true,
	  .help = "create a slice directly (operators); admitted when admission control allows",
	  .run = sd_cli_slice_run },
	{ .name = "slice modify", .op = "slice.modify", OPTS(slice_modify_opts), .formats = true,
	  .operand = "SLICE", .operand_required = true,
	  .help = "change a slice's SLA, UEs or sites (operators); admission control runs again",
	  .run = sd_cli_slice_run },
	{ .name = "slice activate", .op = "slice.activate", OPTS(activate_opts), .formats = true,
	  .operand = "SLICE", .operand_required = true,
	  .help = "an admitted slice goes active (operators)", .run = sd_cli_slice_run },
	{ .name = "slice suspend", .op = "slice.suspend", OPTS(must_reason_opts), .formats = true,
	  .operand = "SLICE", .operand_required = true, .help = "suspend an active slice (operators)",
	  .run = sd_cli_slice_run },
	{ .name = "slice resume", .op = "slice.resume", OPTS(reason_opts), .formats = true,
	  .operand = "SLICE", .operand_required = true,
	  .help = "resume a suspended slice (operators); admission control runs again",
	  .run = sd_cli_slice_run },
	{ .name = "slice decommission", .op = "slice.decommission", OPTS(must_reason_opts),
	  .formats = true, .operand = "SLICE", .operand_required = true,
	  .help = "take a slice out of service for good (operators)", .run = sd_cli_slice_run },
	{ .name = "slice history", .op = "slice.history", .member = "history", COLS(history_cols),
	  .operand = "SLICE", .operand_required = true, .formats = true,
	  .help = "every lifecycle step of a slice: when, who, what, from, to, why",
	  .run = sd_cli_slice_history },
	{ .name = "audit", .op = "audit", .member = "audit", COLS(audit_cols), OPTS(audit_opts),
	  .formats = true, .help = "the audit log of changes, newest first (a factory user: "
	  "only records about their own factory)", .run = sd_cli_audit },
	{ .name = "help", .operand = "COMMAND", .help = "this list, or one command's options",
	  .run = run_help },
};

bool sd_cli_cmd_info(size_t i, struct sd_cli_cmd_info *out)
{
	const struct sd_cli_cmd *c;
	size_t k;
	if (i >= SD_ARRAY_LEN(commands))
		return false;
	c = &commands[i];
	memset(out, 0, sizeof *out);
	out->name = c->name;
	out->operand = c->operand;
	out->formats = c->formats;
	for (k = 0; k < c->nopts && k < SD_CLI_INFO_MAX_OPTS; k++) {
		out->opts[k].name = c->opts[k].name;
		out->opts[k].metavar = c->opts[k].metavar;
		out->opts[k].choices = c->opts[k].choices;
	}
	out->nopts = k;
	return true;
}

/* The first word of a command's name, and the second ("" for one word). */
static void name_words(const char *name, char *w1, size_t n1, const char **w2)
{
	size_t k = strcspn(name, " ");
	snprintf(w1, n1, "%.*s", (int)k, name);
	*w2 = name[k] ? name + k + 1 : "";
}

/* The row for argv; *used = how many words its name took. */
static const struct sd_cli_cmd *find_command(int argc, char **argv, int *used)
{
	char w1[32];
	const char *w2;
	size_t i;
	for (i = 0; i < SD_ARRAY_LEN(commands); i++) {   /* two words first */
		name_words(commands[i].name, w1, sizeof w1, &w2);
		if (*w2 && argc > 1 && strcmp(w1, argv[0]) == 0 && strcmp(w2, argv[1]) == 0) {
			*used = 2;
			return &commands[i];
		}
	}
	for (i = 0; i < SD_ARRAY_LEN(commands); i++)
		if (strcmp(commands[i].name, argv[0]) == 0) {
			*used = 1;
			return &commands[i];
		}
	return NULL;
}

static const struct sd_cli_cmd *command_named(const char *name)
{
	size_t i;
	for (i = 0; i < SD_ARRAY_LEN(commands); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

int sd_cli_is_command(const char *name)
{
	char w1[32];
	const char *w2;
	size_t i;
	for (i = 0; i < SD_ARRAY_LEN(commands); i++) {
		name_words(commands[i].name, w1, sizeof w1, &w2);
		if (strcmp(w1, name) == 0)
			return 1;
	}
	return 0;
}

static const struct cli_opt *find_opt(const struct sd_cli_cmd *c, const char *name, size_t len)
{
	size_t i;
	for (i = 0; i < c->nopts; i++)
		if (strlen(c->opts[i].name) == len && strncmp(c->opts[i].name, name, len) == 0)
			return &c->opts[i];
	return NULL;
}

static int usage_error(struct sd_cli_args *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int usage_error(struct sd_cli_args *a, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(a->err, sizeof a->err, "slicedeck %s: ", a->name ? a->name : "");
	va_start(ap, fmt);
	if (n > 0 && (size_t)n < sizeof a->err)
		vsnprintf(a->err + n, sizeof a->err - (size_t)n, fmt, ap);
	va_end(ap);
	return SD_CLI_USAGE;
}

void sd_cli_args_done(struct sd_cli_args *a)
{
	json_decref(a->params);
	json_decref(a->filters);
	a->params = a->filters = NULL;
}

int sd_cli_parse(int argc, char **argv, struct sd_cli_args *a)
{
	const struct sd_cli_cmd *c;
	bool opts_done = false;
	int i, used = 0;
	size_t k;

	memset(a, 0, sizeof *a);
	a->params = json_object();
	a->filters = json_object();
	if (argc < 1)
		return usage_error(a, "no command (slicedeck help lists them)");
	c = find_command(argc, argv, &used);
	if (!c) {
		if (sd_cli_is_command(argv[0])) {
			a->name = argv[0];
			if (argc < 2)
				return usage_error(a, "which one? (slicedeck help %s)", argv[0]);
			return usage_error(a, "unknown subcommand \"%s\" (slicedeck help %s)", argv[1],
					   argv[0]);
		}
		snprintf(a->err, sizeof a->err, "slicedeck: unknown command \"%s\" (slicedeck help "
			 "lists them)", argv[0]);
		return SD_CLI_USAGE;
	}
	a->cmd = c;
	a->name = c->name;
	a->op = c->op;
	for (i = used; i < argc; i++) {
		const char *w = argv[i], *name, *eq, *val;
		const struct cli_opt *o;
		size_t len;

		if (opts_done || w[0] != '-' || w[1] == '\0') {
			if (!c->operand || a->operand)
				return usage_error(a, "unexpected argument \"%s\"", w);
			a->operand = w;
			continue;
		}
		if (strcmp(w, "--") == 0) {
			opts_done = true;
			continue;
		}
		if (strcmp(w, "--help") == 0 || strcmp(w, "-h") == 0) {
			a->help = true;
			continue;
		}
		if (w[1] != '-')
			return usage_error(a, "unknown option %s", w);
		name = w + 2;
		eq = strchr(name, '=');
		len = eq ? (size_t)(eq - name) : strlen(name);
		if (c->formats && !eq && (strcmp(name, "json") == 0 || strcmp(name, "csv") == 0)) {
			a->fmt = name[0] == 'j' ? SD_OUT_JSON : SD_OUT_CSV;
			continue;
		}
		o = find_opt(c, name, len);
		if (!o)
			return usage_error(a, "unknown option --%.*s", (int)len, name);
		if (o->kind == OPT_FLAG) {
			if (eq)
				return usage_error(a, "--%s takes no value", o->name);
			json_object_set_new(o->filter ? a->filters : a->params, o->param, json_true());
			continue;
		}
		val = eq ? eq + 1 : i + 1 < argc ? argv[++i] : NULL;
		/* "--slice --json" is a forgotten value, not a slice named --json */
		if (!val || !*val || (!eq && strncmp(val, "--", 2) == 0))
			return usage_error(a, "--%s needs a value (%s)", o->name, o->metavar);
		if (o->kind == OPT_INT) {
			long long v;
			if (!sd_parse_ll(val, o->lo, o->hi, &v))
				return usage_error(a, "--%s must be %lld to %lld", o->name, o->lo, o->hi);
			json_object_set_new(a->params, o->param, json_integer((json_int_t)v));
		} else {
			json_object_set_new(o->filter ? a->filters : a->params, o->param,
					    json_string(val));
		}
	}
	if (a->help)
		return SD_CLI_OK;
	for (k = 0; k < c->nopts; k++)
		if (c->opts[k].required &&
		    !json_object_get(c->opts[k].filter ? a->filters : a->params, c->opts[k].param))
			return usage_error(a, "--%s %s is required", c->opts[k].name, c->opts[k].metavar);
	if (c->operand_required && !a->operand)
		return usage_error(a, "%s is required (slicedeck %s --help)", c->operand, c->name);
	return SD_CLI_OK;
}

/* --- help, from the table ----------------------------------------------------- */

static void synopsis(FILE *f, const struct sd_cli_cmd *c)
{
	size_t k;
	fprintf(f, "slicedeck %s", c->name);
	if (c->operand)
		fprintf(f, c->operand_required ? " %s" : " [%s]", c->operand);
	for (k = 0; k < c->nopts; k++) {
		const struct cli_opt *o = &c->opts[k];
		fprintf(f, " %s--%s%s%s%s", o->required ? "" : "[", o->name, o->metavar ? " " : "",
			o->metavar ? o->metavar : "", o->required ? "" : "]");
	}
	if (c->formats)
		fprintf(f, " [--json|--csv]");
	fputc('\n', f);
}

/* Text wrapped at 78 columns, indented by ind; the first line continues
 * after col characters already written. */
static void wrapped(FILE *f, const char *text, int ind, int col)
{
	const char *p = text;
	while (*p) {
		size_t n = strcspn(p, " ");
		if (col > ind && col + 1 + (int)n > 78) {
			fprintf(f, "\n%*s", ind, "");
			col = ind;
		} else if (col > ind) {
			fputc(' ', f);
			col++;
		}
		fprintf(f, "%.*s", (int)n, p);
		col += (int)n;
		p += n;
		p += strspn(p, " ");
	}
	fputc('\n', f);
}

static void command_help(FILE *f, const struct sd_cli_cmd *c)
{
	size_t k;
	fputs("  ", f);
	synopsis(f, c);
	fputs("      ", f);
	wrapped(f, c->help, 6, 6);
	for (k = 0; k < c->nopts; k++) {
		const struct cli_opt *o = &c->opts[k];
		char head[48];
		int n = snprintf(head, sizeof head, "      --%s%s%s", o->name, o->metavar ? " " : "",
				 o->metavar ? o->metavar : "");
		fprintf(f, "%-24s", head);
		wrapped(f, o->help, 24, n > 24 ? n : 24);
	}
}

void sd_cli_usage(FILE *f)
{
	size_t i;
	fprintf(f, "commands (\"slicedeck help\" lists each one's options; listings take "
		"--json or --csv):\n");
	for (i = 0; i < SD_ARRAY_LEN(commands); i++)
		fprintf(f, "  %-16s %s\n", commands[i].name, commands[i].help);
}

int sd_cli_help(FILE *f, const char *name)
{
	const struct sd_cli_cmd *c = name ? command_named(name) : NULL;
	size_t i;
	if (name && !c) {   /* "help alarm": every "alarm ..." command */
		char w1[32];
		const char *w2;
		int hits = 0;
		for (i = 0; i < SD_ARRAY_LEN(commands); i++) {
			name_words(commands[i].name, w1, sizeof w1, &w2);
			if (strcmp(w1, name) == 0 && hits++ >= 0)
				sd_cli_help(f, commands[i].name);
		}
		return hits ? 0 : -1;
	}
	if (c) {
		fputs("usage: ", f);
		synopsis(f, c);
		fputs("  ", f);
		wrapped(f, c->help, 2, 2);
		for (i = 0; i < c->nopts; i++) {
			const struct cli_opt *o = &c->opts[i];
			char head[48];
			int n = snprintf(head, sizeof head, "  --%s%s%s", o->name, o->metavar ? " " : "",
					 o->metavar ? o->metavar : "");
			fprintf(f, "%-20s", head);
			wrapped(f, o->help, 20, n > 20 ? n : 20);
		}
		if (c->formats)
			fprintf(f, "%-20s%s\n", "  --json", "the engine's answer as JSON");
		if (c->formats)
			fprintf(f, "%-20s%s\n", "  --csv", "RFC 4180 CSV with a header line");
		return 0;
	}
	fprintf(f, "commands (any other option is refused; listings also take --json or "
		"--csv):\n");
	for (i = 0; i < SD_ARRAY_LEN(commands); i++)
		command_help(f, &commands[i]);
	fprintf(f, "exit status: 0 done, 1 the engine refused or could not be reached, "
		"2 usage error; the slice commands also 3 rejected by admission control, "
		"4 not allowed (role or scope), 5 provisioning failed\n");
	return 0;
}

static int run_help(const char *socket_path, const struct sd_cli_args *a)
{
	if (sd_cli_help(stdout, a->operand) < 0) {
		fprintf(stderr, "slicedeck help: no command \"%s\"\n", a->operand);
		sd_cli_usage(stderr);
		return SD_CLI_USAGE;
	}
	return fflush(stdout) == 0 ? SD_CLI_OK : SD_CLI_ENGINE;
}

/* --- running a listing --------------------------------------------------------- */

/* Each filter option's value checked with the engine (e.g. "factories"
 * {factory: X}): an unknown or out-of-scope name is refused exactly as
 * the engine refuses it elsewhere, rather than printing an empty list. */
static int check_filters(struct sd_client *cl, const struct sd_cli_args *a)
{
	size_t k;
	for (k = 0; k < a->cmd->nopts; k++) {
		const struct cli_opt *o = &a->cmd->opts[k];
		json_t *v = json_object_get(a->filters, o->param), *params, *res;
		if (!o->filter || !o->check_op || !v)
			continue;
		params = json_pack("{s:O}", o->param, v);
		res = sd_client_call(cl, o->check_op, params, CALL_TIMEOUT_MS);
		json_decref(params);
		if (!res) {
			fprintf(stderr, "slicedeck %s: --%s: %s\n", a->name, o->name, cl->err);
			return SD_CLI_ENGINE;
		}
		json_decref(res);
	}
	return SD_CLI_OK;
}

/* The rows whose members equal every filter's value (new reference). */
static json_t *filter_rows(const json_t *rows, const json_t *filters)
{
	json_t *out = json_array();
	const json_t *row, *want;
	const char *member;
	size_t i;
	json_array_foreach(rows, i, row) {
		bool keep = true;
		json_object_foreach((json_t *)filters, member, want)
			keep = keep && json_equal(json_object_get(row, member), (json_t *)want);
		if (keep)
			json_array_append(out, (json_t *)row);
	}
	return out;
}

static void print_whoami(const json_t *res)
{
	char b1[128], b2[128], b3[128];
	sd_cli_cell(res, "user", b1, sizeof b1);
	sd_cli_cell(res, "role", b2, sizeof b2);
	sd_cli_cell(res, "factory", b3, sizeof b3);
	printf("user %s, role %s%s%s\n", b1, b2, strcmp(b3, "-") ? ", factory " : "",
	       strcmp(b3, "-") ? b3 : "");
}

static int run_listing(const char *socket_path, const struct sd_cli_args *a)
{
	return sd_cli_listing(socket_path, a, a->params);
}

int sd_cli_listing(const char *socket_path, const struct sd_cli_args *a, json_t *params)
{
	const struct sd_cli_cmd *c = a->cmd;
	struct sd_client cl;
	json_t *res, *rows;
	int rc;

	if (sd_client_connect(&cl, socket_path, CALL_TIMEOUT_MS) < 0) {
		fprintf(stderr, "slicedeck: %s\n", cl.err);
		sd_client_close(&cl);
		return SD_CLI_ENGINE;
	}
	rc = check_filters(&cl, a);
	if (rc != SD_CLI_OK) {
		sd_client_close(&cl);
		return rc;
	}
	res = sd_client_call(&cl, c->op, params, CALL_TIMEOUT_MS);
	if (!res) {
		fprintf(stderr, "slicedeck %s: %s\n", a->name, cl.err);
		rc = strncmp(c->op, "slice.", 6) == 0 || strcmp(c->op, "audit") == 0
		     ? sd_cli_slice_status(cl.err_code) : SD_CLI_ENGINE;
		sd_client_close(&cl);
		return rc;
	}
	if (c->member) {
		rows = filter_rows(json_object_get(res, c->member), a->filters);
		sd_cli_print(stdout, a->fmt, rows, c->cols, c->ncols);
	} else if (a->fmt == SD_OUT_JSON) {
		rows = NULL;
		json_dumpf(res, stdout, JSON_INDENT(2));
		putchar('\n');
	} else if (c->flatten) {
		rows = c->flatten(res);
		sd_cli_print(stdout, a->fmt, rows, c->cols, c->ncols);
	} else {
		rows = NULL;
		print_whoami(res);
	}
	if (c->after && a->fmt == SD_OUT_TABLE)
		c->after(a, res, rows);
	json_decref(rows);
	json_decref(res);
	sd_client_close(&cl);
	return fflush(stdout) == 0 ? SD_CLI_OK : SD_CLI_ENGINE;
}

int sd_cli_run(const char *socket_path, int argc, char **argv)
{
	struct sd_cli_args a;
	int rc = sd_cli_parse(argc, argv, &a);

	if (rc != SD_CLI_OK) {
		fprintf(stderr, "%s\n", a.err);
		if (a.cmd) {
			fputs("usage: ", stderr);
			synopsis(stderr, a.cmd);
		}
		sd_cli_args_done(&a);
		return rc;
	}
	if (a.help)
		rc = sd_cli_help(stdout, a.name) == 0 && fflush(stdout) == 0 ? SD_CLI_OK : SD_CLI_ENGINE;
	else if (a.cmd->run)
		rc = a.cmd->run(socket_path, &a);
	else
		rc = run_listing(socket_path, &a);
	sd_cli_args_done(&a);
	return rc;
}

/* tui/views.c — the console's views, one const table row each: columns,
 * the lists they are built from, what Enter does, and an optional head
 * (the slice detail's KPI sparklines).
 *
 * Rows are built from the engine's lists, which the engine has already
 * scoped to the caller: a factory user's lists hold nothing of other
 * factories, so no view can show it.
 */
#include "tui/ui.h"

#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/util.h"
#include "tui/cli.h"

#define CELL_MAX 256

/* --- columns --------------------------------------------------------------- */

static const struct sd_tcol overview_cols[] = {
	{ "AREA", "", SD_COL_TEXT, 14 }, { "SUMMARY", "", SD_COL_TEXT, 0 },
};
static const struct sd_tcol factory_cols[] = {
	{ "ID", "id", SD_COL_TEXT, 24 }, { "NAME", "name", SD_COL_TEXT, 30 },
	{ "INDUSTRY", "industry", SD_COL_TEXT, 24 }, { "MODE", "mode", SD_COL_TEXT, 0 },
	{ "LEVEL", "level", SD_COL_TEXT, 0 }, { "GRADE", "security_grade", SD_COL_NUM, 0 },
	{ "SITES", "sites", SD_COL_NUM, 0 }, { "CELLS", "cells", SD_COL_NUM, 0 },
	{ "SLICES", "slices", SD_COL_NUM, 0 },
};
static const struct sd_tcol slice_cols[] = {
	{ "ID", "id", SD_COL_TEXT, 24 }, { "FACTORY", "factory", SD_COL_TEXT, 18 },
	{ "S-NSSAI", "snssai", SD_COL_TEXT, 0 }, { "STATE", "state", SD_COL_STATUS, 0 },
	{ "SCENARIO", "scenario", SD_COL_TEXT, 20 }, { "5QI", "sla.fiveqi", SD_COL_NUM, 0 },
	{ "SLA_MS", "=sla_ms", SD_COL_NUM, 0 }, { "DELAY", "=delay", SD_COL_NUM, 0 },
	{ "SLA", "=sla", SD_COL_STATUS, 0 }, { "LOAD", "live.load_level", SD_COL_NUM, 0 },
	{ "UES", "live.ues", SD_COL_NUM, 0 }, { "PDU", "live.pdu_sessions", SD_COL_NUM, 0 },
	{ "TAS", "=tas", SD_COL_TEXT, 0 }, { "DNN", "dnn", SD_COL_TEXT, 0 },
};
static const struct sd_tcol nf_cols[] = {
	/* a core that names no NF (Open5GS) gets no empty NAME column */
	{ "NAME", "name", SD_COL_TEXT, -20 }, { "TYPE", "type", SD_COL_TEXT, 0 },
	{ "STATUS", "status", SD_COL_STATUS, 0 }, { "LOAD%", "load", SD_COL_NUM, 0 },
	{ "REACH", "reachable", SD_COL_STATUS, 0 }, { "STALE", "stale", SD_COL_TEXT, 0 },
	{ "HB_AGE", "hb_age_s", SD_COL_NUM, 0 }, { "S-NSSAIS", "snssais", SD_COL_TEXT, 28 },
	{ "ADDR", "addr", SD_COL_TEXT, 24 }, { "INSTANCE", "id", SD_COL_TEXT, 36 },
};
static const struct sd_tcol cell_cols[] = {
	{ "ID", "id", SD_COL_TEXT, 20 }, { "SITE", "site", SD_COL_TEXT, 18 },
	{ "FACTORY", "factory", SD_COL_TEXT, 18 }, { "NCGI", "ncgi", SD_COL_TEXT, 0 },
	{ "TAC", "tac", SD_COL_TEXT, 0 }, { "PCI", "pci", SD_COL_NUM, 0 },
	{ "NAME", "name", SD_COL_TEXT, 30 },
};
static const struct sd_tcol site_cols[] = {
	{ "ID", "id", SD_COL_TEXT, 20 }, { "NAME", "name", SD_COL_TEXT, 34 },
	{ "FACTORY", "factory", SD_COL_TEXT, 18 }, { "CELLS", "cells", SD_COL_NUM, 0 },
	{ "LAT", "lat", SD_COL_NUM, 0 }, { "LON", "lon", SD_COL_NUM, 0 },
};
static const struct sd_tcol serving_cols[] = {
	{ "ID", "", SD_COL_TEXT, 24 }, { "KIND", "", SD_COL_TEXT, 0 },
	{ "TYPE/SITE", "", SD_COL_TEXT, 18 }, { "STATUS", "", SD_COL_STATUS, 0 },
	{ "DETAIL", "", SD_COL_TEXT, 0 },
};
static const struct sd_tcol alarm_cols[] = {
	{ "ID", "id", SD_COL_NUM, 0 }, { "SEVERITY", "severity", SD_COL_SEVERITY, 0 },
	{ "OBJECT", "object", SD_COL_TEXT, 28 }, { "PROBLEM", "specific_problem", SD_COL_TEXT, 26 },
	{ "RAISED", "=raised", SD_COL_TEXT, 0 }, { "ACKED_BY", "=acked_by", SD_COL_TEXT, 16 },
	{ "STATE", "=state", SD_COL_STATUS, 0 }, { "TEXT", "text", SD_COL_TEXT, 0 },
};
/* built by build_sla, not from paths */
static const struct sd_tcol sla_cols[] = {
	{ "SLICE", "", SD_COL_TEXT, 24 }, { "FACTORY", "", SD_COL_TEXT, 18 },
	{ "KPI", "", SD_COL_TEXT, 0 }, { "LAST", "", SD_COL_STATUS, 0 },
	{ "OBSERVED", "", SD_COL_NUM, 0 }, { "TARGET", "", SD_COL_NUM, 0 },
	{ "UNIT", "", SD_COL_TEXT, 0 }, { "MONTH%", "", SD_COL_NUM, 0 },
	{ "MET", "", SD_COL_NUM, 0 }, { "BREACHED", "", SD_COL_NUM, 0 },
	{ "NO_DATA", "", SD_COL_NUM, 0 },
};
static const struct sd_tcol cov_cols[] = {
	{ "SITE", "site", SD_COL_TEXT, 20 }, { "FACTORY", "factory", SD_COL_TEXT, 18 },
	{ "SAMPLES", "samples", SD_COL_NUM, 0 }, { "SHARE%", "=share_pct", SD_COL_NUM, 0 },
	{ "AREA%", "=area_share_pct", SD_COL_NUM, 0 }, { "MEAS_SQ", "measured.squares", SD_COL_NUM, 0 },
	{ "MEAS%", "=meas", SD_COL_NUM, 0 }, { "PRED_SQ", "predicted.squares", SD_COL_NUM, 0 },
	{ "PRED%", "=pred", SD_COL_NUM, 0 }, { "TARGET%", "=target_pct", SD_COL_NUM, 0 },
	{ "COVERAGE", "=below", SD_COL_STATUS, 0 }, { "WEAK_CELLS", "=weak", SD_COL_NUM, 0 },
	{ "HOLES", "=holes", SD_COL_NUM, 0 }, { "NAME", "name", SD_COL_TEXT, 0 },
};
static const struct sd_tcol heat_cols[] = {
	{ "WHAT", "", SD_COL_TEXT, 0 }, { "KIND", "", SD_COL_TEXT, 0 },
	{ "SAMPLES", "", SD_COL_NUM, 0 }, { "DETAIL", "", SD_COL_TEXT, 0 },
};
static const struct sd_tcol engine_cols[] = {
	{ "SOURCE", "name", SD_COL_TEXT, 24 }, { "FOUND", "found", SD_COL_TEXT, 0 },
	{ "STATE", "state", SD_COL_STATUS, 0 }, { "LAST_OK", "last_ok", SD_COL_TEXT, 24 },
	{ "LAST_ERROR", "last_error", SD_COL_TEXT, 36 }, { "FEEDS", "feeds", SD_COL_TEXT, 40 },
	{ "NOTE", "note", SD_COL_TEXT, 0 },
};
/* for a factory user the engine adds whether each is offered, and why not */
static const struct sd_tcol scenario_cols[] = {
	{ "ID", "id", SD_COL_TEXT, 20 }, { "NO", "number", SD_COL_NUM, 0 },
	{ "OFFERED", "offered", SD_COL_STATUS, -7 }, { "SST", "sst", SD_COL_NUM, 0 },
	{ "5QI", "fiveqi", SD_COL_NUM, 0 }, { "LAT_MS", "latency_ms", SD_COL_NUM, 0 },
	{ "UL_GBR", "gbr_ul_kbps", SD_COL_NUM, 0 }, { "DL_GBR", "gbr_dl_kbps", SD_COL_NUM, 0 },
	{ "AVAIL%", "availability_pct", SD_COL_NUM, 0 }, { "MODES", "modes", SD_COL_TEXT, 0 },
	{ "NAME", "name", SD_COL_TEXT, 30 }, { "中文", "name_zh", SD_COL_TEXT, 14 },
	{ "WHY_NOT", "reasons", SD_COL_TEXT, 0 },
};
static const struct sd_tcol help_cols[] = {
	{ "KEYS", "", SD_COL_TEXT, 26 }, { "ACTION", "", SD_COL_TEXT, 0 },
};

/* --- cells of a row ---------------------------------------------------------- */

static double num_at(const json_t *o, const char *obj, const char *key)
{
	const json_t *v = json_object_get(obj ? json_object_get(o, obj) : o, key);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* The text of one column for one object; "=name" columns are derived. */
static void cell_text(const json_t *o, const char *path, char *buf, size_t n)
{
	double a, b;
	if (strcmp(path, "=sla") == 0) {
		a = num_at(o, "live", "delay_ms");
		b = num_at(o, "sla", "latency_ms");
		snprintf(buf, n, "%s", isnan(a) || isnan(b) ? "-" : a <= b ? "met" : "missed");
	} else if (strcmp(path, "=delay") == 0 || strcmp(path, "=sla_ms") == 0) {
		a = path[1] == 'd' ? num_at(o, "live", "delay_ms") : num_at(o, "sla", "latency_ms");
		if (isnan(a))
			snprintf(buf, n, "-");
		else
			snprintf(buf, n, a < 10 ? "%.2f" : "%.1f", a);
	} else if (strcmp(path, "=tas") == 0) {
		a = num_at(o, "live", "tas_available");
		b = num_at(o, "live", "tas_total");
		/* the count is the inventory's, known without any NF; how many
		 * offer the slice is the NSSF's: "-/3" until it says */
		if (isnan(a) && isnan(b))
			snprintf(buf, n, "-");
		else if (isnan(a))
			snprintf(buf, n, "-/%.0f", b);
		else
			snprintf(buf, n, "%.0f/%.0f", a, isnan(b) ? 0 : b);
	} else if (strcmp(path, "=raised") == 0) {
		/* RFC 3339 "2026-11-23T20:40:00Z" -> "11-23 20:40:00" */
		const char *r = json_string_value(json_object_get(o, "raised"));
		if (r && strlen(r) >= 19)
			snprintf(buf, n, "%.5s %.8s", r + 5, r + 11);
		else
			sd_cli_cell(o, "raised", buf, n);
	} else if (strcmp(path, "=acked_by") == 0) {
		if (json_is_string(json_object_get(o, "acked_by")) && !json_is_null(json_object_get(o, "acked")))
			sd_cli_cell(o, "acked_by", buf, n);
		else
			snprintf(buf, n, "-");
	} else if (strcmp(path, "=state") == 0) {
		snprintf(buf, n, "%s", json_is_false(json_object_get(o, "active")) ? "cleared" :
			 json_is_null(json_object_get(o, "acked")) || !json_object_get(o, "acked") ?
			 "raised" : "acked");
	} else if (strncmp(path, "=", 1) == 0 && strstr(path, "_pct")) {
		a = num_at(o, NULL, path + 1);
		snprintf(buf, n, isnan(a) ? "-" : "%.1f", a);
	} else if (strcmp(path, "=meas") == 0 || strcmp(path, "=pred") == 0) {
		a = num_at(o, path[1] == 'm' ? "measured" : "predicted", "area_share_pct");
		snprintf(buf, n, isnan(a) ? "-" : "%.1f", a);
	} else if (strcmp(path, "=below") == 0) {
		const json_t *b2 = json_object_get(o, "below_target");
		/* judged on walk-test samples and on the measured + predicted area */
		snprintf(buf, n, "%s", isnan(num_at(o, NULL, "judged_pct")) ? "no data" :
			 json_is_true(b2) ? "BELOW" : "ok");
	} else if (strcmp(path, "=weak") == 0 || strcmp(path, "=holes") == 0) {
		const json_t *arr = json_object_get(o, path[1] == 'w' ? "weak_cells" : "holes");
		snprintf(buf, n, json_is_array(arr) ? "%zu" : "-", json_array_size(arr));
	} else {
		sd_cli_cell(o, path, buf, n);
	}
}

static const char *str_at(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* Rows of a list, restricted to the frame's scope. */
static void build_rows(struct sd_frame *f, const json_t *list)
{
	const struct sd_view_def *v = &sd_views[f->view];
	static char cells[SD_TABLE_MAXCOLS][CELL_MAX];
	const char *ptr[SD_TABLE_MAXCOLS];
	const json_t *o;
	size_t i;
	int c;

	for (c = 0; c < v->ncols; c++)
		ptr[c] = cells[c];
	sd_table_begin(&f->table);
	json_array_foreach(list, i, o) {
		if (f->arg[0] && v->scope_path && strcmp(str_at(o, v->scope_path), f->arg) != 0)
			continue;
		for (c = 0; c < v->ncols; c++)
			cell_text(o, v->cols[c].path, cells[c], CELL_MAX);
		sd_table_add(&f->table, ptr, (int)i);
	}
	sd_table_end(&f->table);
}

static void build_generic(struct sd_ui *u, struct sd_frame *f)
{
	build_rows(f, u->d.list[sd_views[f->view].src]);
}

/* --- alarms ----------------------------------------------------------------------- */

/* Active alarms come pushed (topic "alarms"); with cleared ones shown, the
 * polled "alarms {all}" list once it has arrived. */
static void build_alarms(struct sd_ui *u, struct sd_frame *f)
{
	bool all = u->show_cleared && u->d.gen[SD_SRC_ALARMS_ALL];
	build_rows(f, u->d.list[all ? SD_SRC_ALARMS_ALL : SD_SRC_ALARMS]);
}

static int draw_alarms_head(struct sd_ui *u, struct sd_frame *f, int y, int h, int w)
{
	char line[256];
	(void)f;
	if (h < 1)
		return 0;
	snprintf(line, sizeof line, " %s alarms in your scope%s  |  a acknowledge  C %s cleared%s",
		 u->show_cleared ? "all" : "active",
		 u->show_cleared && !u->d.gen[SD_SRC_ALARMS_ALL] ? " (asking the engine...)" : "",
		 u->show_cleared ? "hide" : "show",
		 u->readonly ? "  (read-only: no ack)" : "");
	attrset(u->theme.attr[SD_T_DIM]);
	sd_table_put(y, 0, line, w);
	attrset(A_NORMAL);
	return 1;
}

/* --- SLA ---------------------------------------------------------------------------- */

/* A number with that many decimals, "-" if absent. */
static void fmt_num(const json_t *v, int decimals, char *buf, size_t n)
{
	if (json_is_number(v))
		snprintf(buf, n, "%.*f", decimals, json_number_value(v));
	else
		snprintf(buf, n, "-");
}

/* A measured value or target: its significant digits (99.9999, 1e-06). */
static void fmt_sig(const json_t *v, char *buf, size_t n)
{
	if (json_is_number(v))
		sd_fmt_sig(json_number_value(v), buf, n);
	else
		snprintf(buf, n, "-");
}

/* One row per slice and KPI: the last window's verdict beside the month's
 * counts. A KPI judged this month but not in the last window (or the
 * reverse) still gets its row. */
static void build_sla(struct sd_ui *u, struct sd_frame *f)
{
	char c[11][64];
	const char *row[11];
	const json_t *sl, *m, *lk;
	const char *kpi;
	size_t i, k;
	int j;

	for (j = 0; j < 11; j++)
		row[j] = c[j];
	sd_table_begin(&f->table);
	json_array_foreach(u->d.list[SD_SRC_SLA], i, sl) {
		const json_t *last = json_object_get(json_object_get(sl, "last"), "kpis");
		const json_t *month = json_object_get(sl, "month");
		json_t *seen = json_object();
		for (int pass = 0; pass < 2; pass++) {
			void *it = pass == 0 ? json_object_iter((json_t *)last) : NULL;
			k = 0;
			for (;;) {
				if (pass == 0) {
					if (!it)
						break;
					kpi = json_object_iter_key(it);
					it = json_object_iter_next((json_t *)last, it);
				} else {
					if (k >= json_array_size(month))
						break;
					kpi = str_at(json_array_get(month, k++), "kpi");
					if (!*kpi || json_object_get(seen, kpi))
						continue;
				}
				json_object_set_new(seen, kpi, json_true());
				lk = json_object_get(last, kpi);
				m = NULL;
				for (size_t q = 0; q < json_array_size(month); q++)
					if (sd_streq(str_at(json_array_get(month, q), "kpi"), kpi))
						m = json_array_get(month, q);
				sd_cli_cell(sl, "slice", c[0], sizeof c[0]);
				sd_cli_cell(sl, "factory", c[1], sizeof c[1]);
				sd_sanitize(c[2], sizeof c[2], kpi, strlen(kpi));
				snprintf(c[3], sizeof c[3], "%s", lk ? str_at(lk, "verdict") : "-");
				if (!c[3][0])
					snprintf(c[3], sizeof c[3], "-");
				fmt_sig(json_object_get(lk, "observed"), c[4], sizeof c[4]);
				fmt_sig(json_object_get(lk, "target"), c[5], sizeof c[5]);
				snprintf(c[6], sizeof c[6], "%s", lk ? str_at(lk, "unit") : str_at(m, "unit"));
				fmt_num(json_object_get(m, "compliance_pct"), 2, c[7], sizeof c[7]);
				fmt_num(json_object_get(m, "met"), 0, c[8], sizeof c[8]);
				fmt_num(json_object_get(m, "breached"), 0, c[9], sizeof c[9]);
				fmt_num(json_object_get(m, "no_data"), 0, c[10], sizeof c[10]);
				sd_table_add(&f->table, row, (int)i);
			}
		}
		if (json_object_size(seen) == 0) {   /* no window closed yet */
			sd_cli_cell(sl, "slice", c[0], sizeof c[0]);
			sd_cli_cell(sl, "factory", c[1], sizeof c[1]);
			snprintf(c[2], sizeof c[2], "-");
			snprintf(c[3], sizeof c[3], "not judged");
			for (j = 4; j < 11; j++)
				snprintf(c[j], sizeof c[j], "-");
			sd_table_add(&f->table, row, (int)i);
		}
		json_decref(seen);
	}
	sd_table_end(&f->table);
}

/* The month's figure over every slice and KPI in scope: windows met of
 * those judged; and the last window's breaches. */
static void sla_summary(const json_t *slices, char *out, size_t n, const char *sep)
{
	double met = 0, breached = 0;
	int bad_kpis = 0, bad_slices = 0;
	size_t i, k;
	const json_t *sl, *m, *v;
	const char *key;

	json_array_foreach(slices, i, sl) {
		int b = 0;
		json_array_foreach(json_object_get(sl, "month"), k, m) {
			met += num_at(m, NULL, "met") >= 0 ? num_at(m, NULL, "met") : 0;
			breached += num_at(m, NULL, "breached") >= 0 ? num_at(m, NULL, "breached") : 0;
		}
		json_object_foreach(json_object_get(json_object_get(sl, "last"), "kpis"), key, v)
			b += sd_streq(str_at(v, "verdict"), "breached");
		bad_kpis += b;
		bad_slices += b > 0;
	}
	if (met + breached > 0)
		snprintf(out, n, "%.2f%% of judged windows met (%.0f met%s%.0f breached)%s"
			 "last window: %d KPIs breached in %d slices", 100.0 * met / (met + breached),
			 met, sep, breached, sep, bad_kpis, bad_slices);
	else
		snprintf(out, n, "no window judged yet this month%slast window: %d KPIs breached in %d slices",
			 sep, bad_kpis, bad_slices);
}

/* --- coverage ------------------------------------------------------------------------- */

/* Heat map rows and columns that fit the terminal beside the list of
 * weak cells and holes (nitems of them) below it. */
static void heat_fit(struct sd_ui *u, int head_rows, int cols, int nitems)
{
	int table = nitems + 1 < 3 ? 3 : nitems + 1 > 9 ? 9 : nitems + 1;
	int r = head_rows - table - 2, c = cols - 2;   /* 2: figures and second legend line */
	u->heat_want[0] = r < 2 ? 2 : r > 100 ? 100 : r;
	u->heat_want[1] = c < 4 ? 4 : c > 250 ? 250 : c;
}

static const json_t *heat_site(struct sd_ui *u, struct sd_frame *f)
{
	const json_t *s = json_array_get(u->d.list[SD_SRC_HEAT], 0);
	return s && sd_streq(str_at(s, "site"), f->arg) ? s : NULL;
}

/* Below the map: the site's holes, weak cells, and its cells as the
 * prediction sees them. */
static void build_heat(struct sd_ui *u, struct sd_frame *f)
{
	const json_t *s = heat_site(u, f), *o;
	char c[4][CELL_MAX];
	const char *row[4] = { c[0], c[1], c[2], c[3] };
	size_t i;

	sd_table_begin(&f->table);
	json_array_foreach(json_object_get(s, "weak_cells"), i, o) {
		sd_cli_cell(o, "cell", c[0], CELL_MAX);
		snprintf(c[1], CELL_MAX, "weak cell");
		sd_cli_cell(o, "samples", c[2], CELL_MAX);
		snprintf(c[3], CELL_MAX, "%.1f%% passing, mean RSRP %.1f dBm, mean SINR %.1f dB",
			 num_at(o, NULL, "share_pct"), num_at(o, NULL, "rsrp_mean"),
			 num_at(o, NULL, "sinr_mean"));
		sd_table_add(&f->table, row, (int)i);
	}
	json_array_foreach(json_object_get(s, "holes"), i, o) {
		snprintf(c[0], CELL_MAX, "hole %zu", i + 1);
		snprintf(c[1], CELL_MAX, "hole, %s", str_at(o, "kind"));
		sd_cli_cell(o, "samples", c[2], CELL_MAX);
		snprintf(c[3], CELL_MAX, "%.0f squares, x %.0f-%.0f m, y %.0f-%.0f m, mean RSRP %.1f dBm",
			 num_at(o, NULL, "squares"), num_at(o, NULL, "x0_m"), num_at(o, NULL, "x1_m"),
			 num_at(o, NULL, "y0_m"), num_at(o, NULL, "y1_m"), num_at(o, NULL, "rsrp_mean"));
		sd_table_add(&f->table, row, 1000 + (int)i);
	}
	json_array_foreach(json_object_get(s, "cells"), i, o) {
		const json_t *rep = json_object_get(o, "reported_rsrp_dbm");
		sd_cli_cell(o, "cell", c[0], CELL_MAX);
		snprintf(c[1], CELL_MAX, "%s", json_is_true(json_object_get(o, "down")) ? "cell DOWN" : "cell");
		snprintf(c[2], CELL_MAX, "-");
		if (json_is_number(rep))
			snprintf(c[3], CELL_MAX, "%s, reports %.1f dBm, calibration %+.1f dB%s",
				 str_at(o, "model"), json_number_value(rep), num_at(o, NULL, "offset_db"),
				 json_is_true(json_object_get(o, "down")) ? ", silent: predicted off the air" : "");
		else
			snprintf(c[3], CELL_MAX, "%s, no report yet: predicted from its configuration",
				 str_at(o, "model"));
		sd_table_add(&f->table, row, 2000 + (int)i);
	}
	sd_table_end(&f->table);
}

/* "98.5%", or "-" when there is nothing to count. */
static const char *pct_text(double v, char *buf, size_t n)
{
	if (isnan(v))
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%.1f%%", v);
	return buf;
}

static int draw_heat_head(struct sd_ui *u, struct sd_frame *f, int y, int h, int w)
{
	const json_t *s = heat_site(u, f), *map = json_object_get(s, "heatmap"), *r;
	char line[512], name[96], pa[16], pb[16];
	int y0 = y, x, lv;
	size_t i;

	heat_fit(u, h, w, (int)(json_array_size(json_object_get(s, "weak_cells")) +
				    json_array_size(json_object_get(s, "holes")) +
				    json_array_size(json_object_get(s, "cells"))));
	if (h < 3)
		return 0;
	if (!s) {
		attrset(u->theme.attr[SD_T_DIM]);
		snprintf(line, sizeof line, " site %s: asking the engine for its heat map...", f->arg);
		sd_table_put(y, 0, line, w);
		attrset(A_NORMAL);
		return 1;
	}
	sd_cli_cell(s, "name", name, sizeof name);
	snprintf(line, sizeof line, " %s \"%s\"  factory %s  %lld samples  share %s  area %s  "
		 "target %.0f%%  grid %.0f m", f->arg, name, str_at(s, "factory"),
		 (long long)json_integer_value(json_object_get(s, "samples")),
		 pct_text(num_at(s, NULL, "share_pct"), pa, sizeof pa),
		 pct_text(num_at(s, NULL, "area_share_pct"), pb, sizeof pb),
		 num_at(s, NULL, "target_pct"), num_at(s, NULL, "grid_m"));
	attrset(A_BOLD);
	sd_table_put(y++, 0, line, w);
	attrset(A_NORMAL);
	{
		const json_t *ms = json_object_get(s, "measured"), *ps = json_object_get(s, "predicted");
		const json_t *mo = json_object_get(ps, "models"), *mv;
		char models[64] = "";
		size_t k;
		json_array_foreach(mo, k, mv)
			snprintf(models + strlen(models), sizeof models - strlen(models), "%s%s",
				 k ? "/" : "", json_string_value(mv));
		snprintf(line, sizeof line, " measured %lld squares (%s pass)  predicted %lld squares "
			 "(%s pass, TR 38.901 %s)", (long long)json_integer_value(json_object_get(ms, "squares")),
			 pct_text(num_at(ms, NULL, "area_share_pct"), pa, sizeof pa),
			 (long long)json_integer_value(json_object_get(ps, "squares")),
			 pct_text(num_at(ps, NULL, "area_share_pct"), pb, sizeof pb), models[0] ? models : "-");
		sd_table_put(y++, 0, line, w);
	}
	if (!json_integer_value(json_object_get(s, "samples"))) {
		attrset(u->theme.attr[SD_T_DIM]);
		snprintf(line, sizeof line, " no walk test for this site yet: every square is predicted "
			 "(slicedeck coverage import FILE --site %s)", f->arg);
		sd_table_put(y++, 0, line, w);
		attrset(A_NORMAL);
	}
	json_array_foreach(map, i, r) {
		const char *digits = json_string_value(r);
		if (y >= y0 + h - 2 || !digits)
			break;
		move(y, 1);
		for (x = 0; digits[x] && x < w - 2 && x < 250; x++) {
			enum sd_trole role;
			const char *gl = sd_heat_glyph(&u->g, digits[x], &role);
			attrset(u->theme.attr[role]);
			addstr(gl);
		}
		attrset(A_NORMAL);
		y++;
	}
	/* two legend lines: measured levels, then predicted ones */
	for (int part = 0; part < 2; part++) {
		static const char *const what[] = { "no data", "failing", "fair", "good", "excellent",
						    "failing", "fair", "good", "excellent" };
		move(y, 0);
		addstr(part ? " predicted " : " legend ");
		for (lv = part ? 5 : 0; lv <= (part ? 8 : 4); lv++) {
			enum sd_trole role;
			const char *gl = sd_heat_glyph(&u->g, (char)('0' + lv), &role);
			if (getcurx(stdscr) > w - 14)
				break;
			if (lv == 1)
				addstr("measured ");
			attrset(u->theme.attr[role]);
			addstr(u->g.utf8 || lv ? gl : "' '");
			attrset(A_NORMAL);
			snprintf(line, sizeof line, " %s  ", what[lv]);
			addstr(line);
		}
		if (part)
			snprintf(line, sizeof line, "north up");
		else
			snprintf(line, sizeof line, "pass: RSRP >= %.0f dBm, SINR >= %.0f dB",
				 num_at(s, NULL, "rsrp_min_dbm"), num_at(s, NULL, "sinr_min_db"));
		if (getcurx(stdscr) < w - 1)
			sd_table_put(y, getcurx(stdscr), line, w - getcurx(stdscr));
		if (part == 0)
			y++;
	}
	y++;
	attrset(u->theme.attr[SD_T_DIM]);
	for (x = 0; x < w; x++)
		mvaddstr(y, x, u->g.hline);
	mvaddstr(y, 2, " holes, weak cells, cells ");
	attrset(A_NORMAL);
	return y + 1 - y0;
}

/* --- overview ------------------------------------------------------------------ */

/* Count distinct values of a member: "a 3 · b 2" (at most 24 values). */
static void tally(const json_t *list, const char *path, const char *prefix, const char *sep,
		  char *out, size_t n)
{
	char names[24][48];
	int counts[24], nn = 0, i;
	size_t k, off = 0;
	const json_t *o;
	char v[48];

	json_array_foreach(list, k, o) {
		sd_cli_cell(o, path, v, sizeof v);
		for (i = 0; i < nn && strcmp(names[i], v) != 0; i++)
			;
		if (i == nn) {
			if (nn == 24)
				continue;
			sd_strlcpy(names[nn], v, sizeof names[nn]);
			counts[nn++] = 0;
		}
		counts[i]++;
	}
	out[0] = '\0';
	for (i = 0; i < nn && off < n; i++) {
		int w = snprintf(out + off, n - off, "%s%s%s%s%d", i ? sep : "", prefix, names[i],
				 *prefix ? ": " : " ", counts[i]);
		if (w < 0)
			break;
		off += (size_t)w;
	}
	if (!nn)
		snprintf(out, n, "none");
}

static void build_overview(struct sd_ui *u, struct sd_frame *f)
{
	const json_t *facs = u->d.list[SD_SRC_FACTORIES], *sls = u->d.list[SD_SRC_SLICES];
	const json_t *nfs = u->d.list[SD_SRC_NFS], *o;
	const char *sep = u->g.utf8 ? " · " : ", ";
	char a[CELL_MAX], b[CELL_MAX], line[CELL_MAX * 2], spark[SD_HIST_N * 4 + 1];
	const char *row[2] = { a, line };
	double zone[SD_HIST_N];
	int up = 0, down = 0, stale = 0, met = 0, missed = 0, unknown = 0, nz;
	size_t i;

	sd_table_begin(&f->table);
	tally(facs, "mode", "", sep, b, sizeof b);
	snprintf(a, sizeof a, "factories");
	snprintf(line, sizeof line, "%zu: %s", json_array_size(facs), b);
	sd_table_add(&f->table, row, SD_V_FACTORIES);
	tally(facs, "level", "", sep, b, sizeof b);
	snprintf(a, sizeof a, "5G level");
	snprintf(line, sizeof line, "%s", b);
	sd_table_add(&f->table, row, SD_V_FACTORIES);
	tally(facs, "security_grade", "grade ", sep, b, sizeof b);
	snprintf(a, sizeof a, "security");
	snprintf(line, sizeof line, "%s", b);
	sd_table_add(&f->table, row, SD_V_FACTORIES);
	tally(sls, "scenario", "", sep, b, sizeof b);
	snprintf(a, sizeof a, "scenarios");
	snprintf(line, sizeof line, "%s", b);
	sd_table_add(&f->table, row, SD_V_SLICES);
	tally(sls, "state", "", sep, b, sizeof b);
	snprintf(a, sizeof a, "slices");
	snprintf(line, sizeof line, "%zu: %s", json_array_size(sls), b);
	sd_table_add(&f->table, row, SD_V_SLICES);
	json_array_foreach(nfs, i, o) {
		if (json_is_true(json_object_get(o, "stale")))
			stale++;
		if (sd_streq(str_at(o, "status"), "REGISTERED") &&
		    json_is_true(json_object_get(o, "reachable")))
			up++;
		else
			down++;
	}
	snprintf(a, sizeof a, "NFs");
	snprintf(line, sizeof line, "%d up%s%d down%s%d stale", up, sep, down, sep, stale);
	sd_table_add(&f->table, row, SD_V_NFS);
	json_array_foreach(sls, i, o) {
		if (!sd_streq(str_at(o, "state"), "active"))
			continue;
		cell_text(o, "=sla", b, sizeof b);
		met += strcmp(b, "met") == 0;
		missed += strcmp(b, "missed") == 0;
		unknown += strcmp(b, "-") == 0;
	}
	snprintf(a, sizeof a, "SLA");
	snprintf(line, sizeof line, "%d of %d active slices within their latency target%s"
		 "%d missed%s%d not measured", met, met + missed + unknown, sep, missed, sep, unknown);
	sd_table_add(&f->table, row, SD_V_SLICES);
	{   /* active alarms by severity, as the engine pushes them (scoped) */
		static const char *const sev[] = { "critical", "major", "minor", "warning" };
		const json_t *al = u->d.list[SD_SRC_ALARMS];
		int cnt[4] = { 0 }, k, unacked = 0;
		json_array_foreach(al, i, o) {
			if (json_is_false(json_object_get(o, "active")))
				continue;
			for (k = 0; k < 4; k++)
				cnt[k] += sd_streq(str_at(o, "severity"), sev[k]);
			unacked += !json_is_true(json_object_get(o, "acked"));
		}
		snprintf(a, sizeof a, "alarms");
		snprintf(line, sizeof line, "critical %d%smajor %d%sminor %d%swarning %d (%d not acknowledged)",
			 cnt[0], sep, cnt[1], sep, cnt[2], sep, cnt[3], unacked);
		sd_table_add(&f->table, row, SD_V_ALARMS);
	}
	snprintf(a, sizeof a, "SLA month");
	if (u->d.gen[SD_SRC_SLA])
		sla_summary(u->d.list[SD_SRC_SLA], line, sizeof line, sep);
	else
		snprintf(line, sizeof line, "asking the engine...");
	sd_table_add(&f->table, row, SD_V_SLA);
	nz = sd_hist_zone(&u->d.hist, zone);
	sd_sparkline(&u->g, zone, nz, 40, spark, sizeof spark);
	snprintf(a, sizeof a, "traffic");
	if (nz && !isnan(zone[nz - 1]))
		snprintf(line, sizeof line, "%s %.0f UEs attached", spark, zone[nz - 1]);
	else
		snprintf(line, sizeof line, "%s no UE counts yet", spark);
	sd_table_add(&f->table, row, SD_V_SLICES);
	snprintf(a, sizeof a, "sites/cells");
	snprintf(line, sizeof line, "%zu sites%s%zu cells", json_array_size(u->d.list[SD_SRC_SITES]),
		 sep, json_array_size(u->d.list[SD_SRC_CELLS]));
	sd_table_add(&f->table, row, SD_V_SITES);
	sd_table_end(&f->table);
}

/* --- slice detail ----------------------------------------------------------------- */

static const json_t *find_by_id(const json_t *list, const char *id)
{
	size_t i;
	const json_t *o;
	json_array_foreach(list, i, o)
		if (sd_streq(str_at(o, "id"), id))
			return o;
	return NULL;
}

static bool in_list(const json_t *arr, const char *s)
{
	size_t i;
	const json_t *v;
	json_array_foreach(arr, i, v)
		if (sd_streq(json_string_value(v), s))
			return true;
	return false;
}

static void build_slice(struct sd_ui *u, struct sd_frame *f)
{
	const json_t *s = find_by_id(u->d.list[SD_SRC_SLICES], f->arg), *o;
	char c[5][CELL_MAX];
	const char *row[5] = { c[0], c[1], c[2], c[3], c[4] };
	size_t i;

	sd_table_begin(&f->table);
	if (!s) {
		sd_table_end(&f->table);
		return;
	}
	json_array_foreach(u->d.list[SD_SRC_NFS], i, o) {
		const json_t *sn = json_object_get(o, "snssais");
		bool serves = in_list(sn, str_at(s, "snssai"));
		size_t nsn = json_array_size(sn);
		char how[48];
		if (!serves && nsn != 0)
			continue;
		/* dedicated only when this slice's S-NSSAI is all it serves */
		if (serves && nsn == 1)
			snprintf(how, sizeof how, "dedicated");
		else if (serves)
			snprintf(how, sizeof how, "shared with %zu other S-NSSAI%s", nsn - 1,
				 nsn == 2 ? "" : "s");
		else
			snprintf(how, sizeof how, "shared (lists no S-NSSAI)");
		cell_text(o, "name", c[0], CELL_MAX);
		if (!c[0][0] || strcmp(c[0], "-") == 0)   /* a core that names no NF */
			cell_text(o, "id", c[0], CELL_MAX);
		snprintf(c[1], CELL_MAX, "NF");
		cell_text(o, "type", c[2], CELL_MAX);
		cell_text(o, "status", c[3], CELL_MAX);
		cell_text(o, "load", c[4], 32);
		snprintf(c[4] + strlen(c[4]), CELL_MAX - 32, "%% load, %s, %s", how,
			 json_is_true(json_object_get(o, "reachable")) ? "reachable" : "UNREACHABLE");
		sd_table_add(&f->table, row, (int)i);
	}
	json_array_foreach(u->d.list[SD_SRC_CELLS], i, o) {
		const json_t *sites = json_object_get(s, "sites");
		if (json_array_size(sites) ? !in_list(sites, str_at(o, "site"))
					   : !sd_streq(str_at(o, "factory"), str_at(s, "factory")))
			continue;
		cell_text(o, "id", c[0], CELL_MAX);
		snprintf(c[1], CELL_MAX, "cell");
		cell_text(o, "site", c[2], CELL_MAX);
		snprintf(c[3], CELL_MAX, "-");
		snprintf(c[4], CELL_MAX, "NCGI %s TAC %s PCI %lld", str_at(o, "ncgi"), str_at(o, "tac"),
			 (long long)json_integer_value(json_object_get(o, "pci")));
		sd_table_add(&f->table, row, (int)i);
	}
	sd_table_end(&f->table);
}

/* The slice's last SLA window, one coloured verdict per KPI (from the
 * polled "sla" list, which the slice view keeps asking for). */
static int draw_slice_sla(struct sd_ui *u, const char *slice, int y, int w)
{
	const json_t *sl = NULL, *o, *v;
	const char *kpi;
	char part[128];
	size_t i;
	int x;

	json_array_foreach(u->d.list[SD_SRC_SLA], i, o)
		if (sd_streq(str_at(o, "slice"), slice))
			sl = o;
	move(y, 0);
	addstr(" SLA last window:");
	if (!sl) {
		attrset(u->theme.attr[SD_T_DIM]);
		addstr(u->d.gen[SD_SRC_SLA] ? " not judged yet" : " asking the engine...");
		attrset(A_NORMAL);
		return 1;
	}
	json_object_foreach(json_object_get(json_object_get(sl, "last"), "kpis"), kpi, v) {
		char k[32];
		x = getcurx(stdscr);
		sd_sanitize(k, sizeof k, kpi, strlen(kpi));
		snprintf(part, sizeof part, " %s ", k);
		if (x + (int)strlen(part) + 12 >= w)
			break;
		addstr(part);
		attrset(u->theme.attr[sd_status_role(str_at(v, "verdict"))]);
		sd_cli_cell(v, "verdict", part, sizeof part);
		addstr(part);
		attrset(A_NORMAL);
		if (json_is_number(json_object_get(v, "observed")))
		{
			char ob[32], tg[32];
			snprintf(part, sizeof part, " (%s/%s %s)",
				 sd_fmt_sig(num_at(v, NULL, "observed"), ob, sizeof ob),
				 sd_fmt_sig(num_at(v, NULL, "target"), tg, sizeof tg), str_at(v, "unit"));
		}
		else
			snprintf(part, sizeof part, " ");
		if (getcurx(stdscr) + (int)strlen(part) < w)
			addstr(part);
	}
	return 1;
}


/* --- the slice detail's KPI history charts ------------------------------------------------ */

static const char *const chart_metric[2] = { "latency", "ues" };

void sd_ui_charts_poll(struct sd_ui *u)
{
	struct sd_kpi_charts *c = &u->charts;
	struct sd_frame *f = sd_ui_top(u);
	int64_t t = sd_now_ms();
	bool other = f && f->view == SD_V_SLICE && strcmp(c->slice, f->arg) != 0;
	int i;

	if (!u->connected) {   /* ids die with the connection */
		memset(c->req, 0, sizeof c->req);
		c->asked_ms = 0;
		return;
	}
	if (!f || f->view != SD_V_SLICE)
		return;
	if (other) {   /* another slice: drop the old charts and answers */
		memset(c, 0, sizeof *c);
		sd_strlcpy(c->slice, f->arg, sizeof c->slice);
	}
	/* an answer that never came (engine busy) is given up after a while */
	for (i = 0; i < 2; i++)
		if (c->req[i] && t - c->req_at[i] > 10 * (int64_t)u->refresh_ms)
			c->req[i] = 0;
	if (c->req[0] || c->req[1])
		return;
	if (c->asked_ms && t - c->asked_ms < u->refresh_ms)
		return;
	for (i = 0; i < 2; i++) {
		json_t *params = json_pack("{s:s, s:s, s:s, s:i}", "slice", c->slice, "metric",
					   chart_metric[i], "level", "1min", "points", SD_CHART_N - 1);
		long id = sd_client_send(&u->cl, "kpi", params);
		json_decref(params);
		c->req[i] = id > 0 ? id : 0;
		c->req_at[i] = t;
	}
	c->asked_ms = t;
}

/* One bucket's member into its minute's place: the open bucket is the last
 * place, the one before it a minute earlier, and so on. */
static void chart_put(struct sd_kpi_charts *c, int k, const json_t *b, int64_t last_start,
		      int64_t step, const char *member)
{
	const json_t *v = json_object_get(b, member);
	int64_t back;
	if (!json_is_number(v) || step <= 0)
		return;
	back = (last_start - json_integer_value(json_object_get(b, "start"))) / step;
	if (back < 0 || back >= SD_CHART_N)
		return;
	c->v[k][SD_CHART_N - 1 - back] = json_number_value(v);
	c->have[k] = true;
}

bool sd_ui_charts_reply(struct sd_ui *u, const json_t *ev, json_int_t id)
{
	struct sd_kpi_charts *c = &u->charts;
	const json_t *res = json_object_get(ev, "result"), *b, *cur;
	int64_t step, last;
	size_t n;
	int i, k, j;

	for (i = 0; i < 2; i++)
		if (c->req[i] && c->req[i] == id)
			break;
	if (i == 2)
		return false;
	c->req[i] = 0;
	if (!res || strcmp(str_at(res, "slice"), c->slice) != 0)
		return true;   /* refused (an older engine, scope): no chart */
	step = json_integer_value(json_object_get(res, "step_ms"));
	if (step <= 0)
		return true;
	last = sd_wall_ms() - sd_wall_ms() % step;
	cur = json_object_get(res, "current");
	if (json_is_object(cur))
		last = json_integer_value(json_object_get(cur, "start"));
	for (k = i == 0 ? SD_CHART_LAT : SD_CHART_UES; k <= (i == 0 ? SD_CHART_LAT_P99 : SD_CHART_UES); k++) {
		c->have[k] = false;
		for (j = 0; j < SD_CHART_N; j++)
			c->v[k][j] = NAN;
	}
	n = json_array_size(json_object_get(res, "buckets"));
	for (j = 0; j <= (int)n; j++) {
		b = (size_t)j < n ? json_array_get(json_object_get(res, "buckets"), (size_t)j) : cur;
		if (!json_is_object(b))
			continue;
		if (i == 0) {
			chart_put(c, SD_CHART_LAT, b, last, step, "mean");
			chart_put(c, SD_CHART_LAT_P99, b, last, step, "p99");
		} else {
			chart_put(c, SD_CHART_UES, b, last, step, "mean");
		}
	}
	return true;
}

/* The history charts under the live sparklines: the last hour from the
 * engine, one glyph per minute (its mean; for P99_MS its 99th percentile),
 * one row per series the engine has values for; returns the rows used. */
static int draw_slice_charts(struct sd_ui *u, const char *slice, int y, int h, int w, int sw)
{
	static const char *const label[SD_CHART_COUNT] = { "LAT_MS 1h", "P99_MS 1h", "UES 1h" };
	const struct sd_kpi_charts *c = &u->charts;
	char spark[SD_CHART_N * 4 + 1], line[256];
	int k, i, rows = 0;

	if (strcmp(c->slice, slice) != 0)
		return 0;
	for (k = 0; k < SD_CHART_COUNT && rows < h; k++) {
		double lo = INFINITY, hi = -INFINITY, now = NAN;
		if (!c->have[k])
			continue;
		for (i = 0; i < SD_CHART_N; i++) {
			if (isnan(c->v[k][i]))
				continue;
			lo = c->v[k][i] < lo ? c->v[k][i] : lo;
			hi = c->v[k][i] > hi ? c->v[k][i] : hi;
			now = c->v[k][i];
		}
		mvprintw(y + rows, 0, " %-10s", label[k]);
		sd_sparkline(&u->g, c->v[k], SD_CHART_N, sw, spark, sizeof spark);
		attrset(u->theme.attr[SD_T_SPARK]);
		addstr(spark);
		attrset(A_NORMAL);
		snprintf(line, sizeof line, "  last %-7.4g min %-7.4g max %-7.4g", now, lo, hi);
		sd_table_put(y + rows, 12 + sw, line, w - 12 - sw);
		rows++;
	}
	return rows;
}

/* Why a live figure of the slice is empty: the data source that feeds it
 * is not in this core, or fails (from the engine's "status"). One line,
 * nothing when every source works. */
static int draw_slice_missing(struct sd_ui *u, int y, int w)
{
	static const struct {
		const char *source, *figures;
	} feeds[] = {
		{ "AMF event exposure", "UEs" },
		{ "SMF event exposure", "PDU sessions, delay" },
		{ "NWDAF analytics", "load" },
		{ "NSSF NSSAI availability", "TAs" },
	};
	char line[1024], note[256];
	size_t i, k, off;
	const json_t *o;
	int n = 0;

	off = (size_t)snprintf(line, sizeof line, " missing:");
	for (k = 0; k < SD_ARRAY_LEN(feeds); k++)
		json_array_foreach(u->d.list[SD_SRC_STATUS], i, o) {
			const char *st = str_at(o, "state");
			if (!sd_streq(str_at(o, "name"), feeds[k].source) ||
			    sd_streq(st, "ok") || sd_streq(st, "waiting"))
				continue;
			cell_text(o, "note", note, sizeof note);
			if (sd_streq(st, "failing") || !note[0] || sd_streq(note, "-"))
				snprintf(note, sizeof note, "%s %s", feeds[k].source,
					 sd_streq(st, "failing") ? "failing" : st);
			if (off < sizeof line)
				off += (size_t)snprintf(line + off, sizeof line - off, "%s %s (%s)",
							n ? ";" : "", feeds[k].figures, note);
			n++;
		}
	if (!n)
		return 0;
	attrset(u->theme.attr[SD_T_WARN]);
	sd_table_put(y, 0, line, w);
	attrset(A_NORMAL);
	return 1;
}

static int draw_slice_head(struct sd_ui *u, struct sd_frame *f, int y, int h, int w)
{
	const json_t *s = find_by_id(u->d.list[SD_SRC_SLICES], f->arg);
	char a[CELL_MAX], b[CELL_MAX], line[1024], spark[SD_HIST_N * 4 + 1];
	double v[SD_HIST_N];
	int k, y0 = y, sw;

	if (!s) {
		attrset(u->theme.attr[SD_T_BAD]);
		snprintf(line, sizeof line, " slice %s is not in your view any more", f->arg);
		sd_table_put(y, 0, line, w);
		attrset(A_NORMAL);
		return 1;
	}
	cell_text(s, "name", a, sizeof a);
	snprintf(line, sizeof line, " %s  \"%s\"  factory %s  S-NSSAI %s  state %s", str_at(s, "id"), a,
		 str_at(s, "factory"), str_at(s, "snssai"), str_at(s, "state"));
	attrset(A_BOLD);
	sd_table_put(y++, 0, line, w);
	attrset(A_NORMAL);
	cell_text(s, "sites", b, sizeof b);
	snprintf(line, sizeof line, " scenario %s  DNN %s  5QI %lld  SLA latency %.1f ms @%g%%  "
		 "availability %g%%  sites %s", str_at(s, "scenario"), str_at(s, "dnn"),
		 (long long)json_integer_value(json_object_get(json_object_get(s, "sla"), "fiveqi")),
		 num_at(s, "sla", "latency_ms"), num_at(s, "sla", "latency_pct"),
		 num_at(s, "sla", "availability_pct"), b);
	if (y < y0 + h)
		sd_table_put(y++, 0, line, w);
	if (y < y0 + h)
		y += draw_slice_sla(u, f->arg, y, w);
	if (y < y0 + h)
		y += draw_slice_missing(u, y, w);
	sw = w - 44;
	if (sw > SD_HIST_N)
		sw = SD_HIST_N;
	for (k = 0; k < SD_KPI_COUNT && y < y0 + h; k++, y++) {
		int n = sd_hist_get(&u->d.hist, f->arg, (enum sd_kpi)k, v), i;
		double lo = INFINITY, hi = -INFINITY, now = n ? v[n - 1] : NAN;
		for (i = 0; i < n; i++) {
			if (!isnan(v[i])) {
				lo = v[i] < lo ? v[i] : lo;
				hi = v[i] > hi ? v[i] : hi;
			}
		}
		mvprintw(y, 0, " %-10s", sd_kpi_names[k]);
		sd_sparkline(&u->g, v, n, sw > 4 ? sw : 4, spark, sizeof spark);
		attrset(u->theme.attr[SD_T_SPARK]);
		addstr(spark);
		attrset(A_NORMAL);
		if (isnan(now))
			snprintf(line, sizeof line, "  now -");
		else
			snprintf(line, sizeof line, "  now %-7.6g min %-7.6g max %-7.6g", now, lo, hi);
		sd_table_put(y, 12 + (sw > 4 ? sw : 4), line, w - 12 - (sw > 4 ? sw : 4));
	}
	if (y < y0 + h)
		y += draw_slice_charts(u, f->arg, y, y0 + h - y, w, sw > 4 ? sw : 4);
	if (y < y0 + h) {
		int x;
		attrset(u->theme.attr[SD_T_DIM]);
		for (x = 0; x < w; x++)
			mvaddstr(y, x, u->g.hline);
		mvaddstr(y, 2, " serving NFs and cells ");
		attrset(A_NORMAL);
		y++;
	}
	return y - y0;
}

/* --- help ------------------------------------------------------------------------------ */

static void build_help(struct sd_ui *u, struct sd_frame *f)
{
	sd_table_begin(&f->table);
	sd_ui_help_rows(u, &f->table);
	sd_table_end(&f->table);
}

/* --- Enter -------------------------------------------------------------------------------- */

static void act_overview(struct sd_ui *u, struct sd_frame *f, int row)
{
	sd_ui_push(u, (enum sd_view_id)f->table.rows[row].src, NULL, NULL);
}

static void act_factory(struct sd_ui *u, struct sd_frame *f, int row)
{
	sd_ui_push(u, SD_V_SLICES, sd_table_cell(&f->table, row, 0), NULL);
}

static void act_slice(struct sd_ui *u, struct sd_frame *f, int row)
{
	sd_ui_push(u, SD_V_SLICE, sd_table_cell(&f->table, row, 0), NULL);
}

static void act_site(struct sd_ui *u, struct sd_frame *f, int row)
{
	sd_ui_push(u, SD_V_CELLS, sd_table_cell(&f->table, row, 0), NULL);
}

static void act_serving(struct sd_ui *u, struct sd_frame *f, int row)
{
	bool nf = strcmp(sd_table_cell(&f->table, row, 1), "NF") == 0;
	sd_ui_push(u, nf ? SD_V_NFS : SD_V_CELLS, NULL, sd_table_cell(&f->table, row, 0));
}

static void act_sla(struct sd_ui *u, struct sd_frame *f, int row)
{
	sd_ui_push(u, SD_V_SLICE, sd_table_cell(&f->table, row, 0), NULL);
}

/* A site's heat map, asked for at the size the terminal has room for. */
static void act_cov(struct sd_ui *u, struct sd_frame *f, int row)
{
	const json_t *s = json_array_get(u->d.list[SD_SRC_COVERAGE], (size_t)f->table.rows[row].src);
	heat_fit(u, LINES - 7, COLS, (int)(json_array_size(json_object_get(s, "weak_cells")) +
					   json_array_size(json_object_get(s, "holes"))));
	sd_ui_push(u, SD_V_HEAT, sd_table_cell(&f->table, row, 0), NULL);
}

static void act_leaf(struct sd_ui *u, struct sd_frame *f, int row)
{
	sd_ui_message(u, "%s is a leaf: Esc goes back", sd_table_cell(&f->table, row, 0));
}

#define COLS(a) a, (int)SD_ARRAY_LEN(a)
#define DEP(s) (1u << (s))

const struct sd_view_def sd_views[SD_V_COUNT] = {
	[SD_V_OVERVIEW] = { "overview", "ov,home,o", "the pilot zone at a glance", true,
		DEP(SD_SRC_FACTORIES) | DEP(SD_SRC_SLICES) | DEP(SD_SRC_NFS) | DEP(SD_SRC_SITES) |
		DEP(SD_SRC_CELLS) | DEP(SD_SRC_ALARMS) | DEP(SD_SRC_SLA), -1, NULL, COLS(overview_cols), -1,
		build_overview, act_overview, NULL },
	[SD_V_FACTORIES] = { "factories", "fac,factory,f", "factories: mode, 5G level, grade", true,
		DEP(SD_SRC_FACTORIES), SD_SRC_FACTORIES, NULL, COLS(factory_cols), 0,
		build_generic, act_factory, NULL },
	[SD_V_SLICES] = { "slices", "sl,slice,s", "network slices with SLA and live KPIs", true,
		DEP(SD_SRC_SLICES), SD_SRC_SLICES, "factory", COLS(slice_cols), 0,
		build_generic, act_slice, NULL },
	[SD_V_NFS] = { "nfs", "nf,n", "5GC NF instances from the NRF", true,
		DEP(SD_SRC_NFS), SD_SRC_NFS, NULL, COLS(nf_cols), 1, build_generic, act_leaf, NULL },
	[SD_V_CELLS] = { "cells", "cell,c", "NR cells (NCGI, TAC, PCI)", true,
		DEP(SD_SRC_CELLS), SD_SRC_CELLS, "site", COLS(cell_cols), 0, build_generic, act_leaf, NULL },
	[SD_V_SITES] = { "sites", "site,st", "factory sites; Enter lists their cells", true,
		DEP(SD_SRC_SITES), SD_SRC_SITES, NULL, COLS(site_cols), 0, build_generic, act_site, NULL },
	[SD_V_ALARMS] = { "alarms", "al,alarm,alm", "X.733 alarms in scope; a acks, C shows cleared", true,
		DEP(SD_SRC_ALARMS) | DEP(SD_SRC_ALARMS_ALL), -1, NULL, COLS(alarm_cols), 1,
		build_alarms, act_leaf, draw_alarms_head },
	[SD_V_SLA] = { "sla", "slas,compliance", "SLA verdicts and month compliance per slice and KPI",
		true, DEP(SD_SRC_SLA), -1, NULL, COLS(sla_cols), 0, build_sla, act_sla, NULL },
	[SD_V_COVERAGE] = { "coverage", "cov,radio", "radio coverage per site; Enter shows its heat map",
		true, DEP(SD_SRC_COVERAGE), SD_SRC_COVERAGE, NULL, COLS(cov_cols), 0, build_generic,
		act_cov, NULL },
	[SD_V_ENGINE] = { "engine", "status,sources,e", "the engine's data sources: found or not, "
		"last success, last error, what each feeds", true, DEP(SD_SRC_STATUS), SD_SRC_STATUS, NULL,
		COLS(engine_cols), -1, build_generic, act_leaf, NULL },
	[SD_V_HEAT] = { "heatmap", "", "a site's coverage heat map, weak cells and holes", false,
		DEP(SD_SRC_HEAT), -1, NULL, COLS(heat_cols), -1, build_heat, act_leaf, draw_heat_head },
	[SD_V_SLICE] = { "slice", "", "one slice: KPIs since the console started, the last hour per minute, "
		"serving NFs and cells",
		false, DEP(SD_SRC_SLICES) | DEP(SD_SRC_NFS) | DEP(SD_SRC_CELLS) | DEP(SD_SRC_STATUS), -1,
		NULL, COLS(serving_cols), 1, build_slice, act_serving, draw_slice_head },
	[SD_V_SCENARIOS] = { "scenarios", "scen,templates,catalog", "the 20-scenario slice templates; "
		"a factory user sees why one is not offered", true, DEP(SD_SRC_SCENARIOS),
		SD_SRC_SCENARIOS, NULL, COLS(scenario_cols), 1, build_generic, act_leaf, NULL },
	[SD_V_HELP] = { "help", "h,?", "keys and commands", false, 0, -1, NULL, COLS(help_cols), -1,
		build_help, act_leaf, NULL },
};

int sd_view_lookup(const char *name)
{
	int v;
	for (v = 0; v < SD_V_COUNT; v++) {
		const char *a = sd_views[v].aliases;
		size_t n = strlen(name);
		if (strcasecmp(sd_views[v].name, name) == 0)
			return v;
		while (a && *a && n) {
			if (strncasecmp(a, name, n) == 0 && (a[n] == ',' || a[n] == '\0'))
				return v;
			a = strchr(a, ',');
			a = a ? a + 1 : NULL;
		}
	}
	return -1;
}

/* tests/unit/test_tui.c — the console's widget and helpers without a
 * terminal (sorting, filtering, selection, sparklines, KPI history, view
 * names), then the table rendered into a real curses screen on a
 * pseudo-terminal, read back from the virtual screen. Also a headless
 * many-frames run for the sanitizers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "tui/cli.h"
#include "tui/hist.h"
#include "tui/ptyterm.h"
#include "tui/table.h"
#include "tui/theme.h"
#include "tui/ui.h"
#include "tui/walk.h"

static const struct sd_tcol cols[] = {
	{ "ID", "id", SD_COL_TEXT, 0 }, { "STATE", "state", SD_COL_STATUS, 0 },
	{ "LOAD", "load", SD_COL_NUM, 0 }, { "NAME", "name", SD_COL_TEXT, 12 },
};

static void fill(struct sd_table *t)
{
	static const char *const rows[][4] = {
		{ "bhm-crane", "active", "12", "Crane remote" },
		{ "xgs-ohc", "suspended", "7.5", "Overhead crane" },
		{ "zhp-gas", "active", "-", "Gas sensors" },
		{ "bhm-weld", "requested", "100", "Weld QC cameras and more text" },
		{ "cxa-trucks", "active", "3", "Trucks" },
	};
	size_t i;
	sd_table_begin(t);
	for (i = 0; i < SD_ARRAY_LEN(rows); i++)
		sd_table_add(t, rows[i], (int)i);
	sd_table_end(t);
}

/* ids of the shown rows, comma-joined */
static const char *shown(const struct sd_table *t)
{
	static char buf[256];
	int i;
	buf[0] = '\0';
	for (i = 0; i < t->nvis; i++) {
		if (i)
			strcat(buf, ",");
		strcat(buf, sd_table_cell(t, t->vis[i], 0));
	}
	return buf;
}

static void test_sort(void **state)
{
	struct sd_table t;
	(void)state;
	sd_table_init(&t, cols, 4);
	fill(&t);
	assert_string_equal(shown(&t), "bhm-crane,bhm-weld,cxa-trucks,xgs-ohc,zhp-gas");
	sd_table_sort(&t, 2, false);   /* numeric; "-" lowest */
	assert_string_equal(shown(&t), "zhp-gas,cxa-trucks,xgs-ohc,bhm-crane,bhm-weld");
	sd_table_sort(&t, 2, true);
	assert_string_equal(shown(&t), "bhm-weld,bhm-crane,xgs-ohc,cxa-trucks,zhp-gas");
	sd_table_sort(&t, 1, false);   /* text, ties by id */
	assert_string_equal(shown(&t), "bhm-crane,cxa-trucks,zhp-gas,bhm-weld,xgs-ohc");
	assert_int_equal(sd_table_col_by_name(&t, "load"), 2);
	assert_int_equal(sd_table_col_by_name(&t, "NA"), 3);
	assert_int_equal(sd_table_col_by_name(&t, "nope"), -1);
	sd_table_done(&t);
}

static void test_filter(void **state)
{
	struct sd_table t;
	(void)state;
	sd_table_init(&t, cols, 4);
	fill(&t);
	assert_true(sd_table_set_filter(&t, "CRANE"));   /* any cell, any case */
	assert_string_equal(shown(&t), "bhm-crane,xgs-ohc");
	assert_true(sd_table_set_filter(&t, "!crane"));
	assert_string_equal(shown(&t), "bhm-weld,cxa-trucks,zhp-gas");
	assert_true(sd_table_set_filter(&t, "^(bhm|zhp)-"));
	assert_string_equal(shown(&t), "bhm-crane,bhm-weld,zhp-gas");
	assert_true(sd_table_set_filter(&t, "!^bhm"));
	assert_string_equal(shown(&t), "cxa-trucks,xgs-ohc,zhp-gas");
	assert_false(sd_table_set_filter(&t, "(unclosed"));
	assert_int_equal(t.nvis, 0);
	assert_true(t.filter_err[0] != '\0');
	/* narrowing a substring filter equals filtering from scratch */
	assert_true(sd_table_set_filter(&t, "a"));
	assert_int_equal(t.nvis, 5);
	assert_true(sd_table_set_filter(&t, "ac"));
	assert_string_equal(shown(&t), "bhm-crane,cxa-trucks,zhp-gas");
	assert_true(sd_table_set_filter(&t, "act"));
	assert_string_equal(shown(&t), "bhm-crane,cxa-trucks,zhp-gas");
	/* a filter survives a rebuild */
	fill(&t);
	assert_string_equal(shown(&t), "bhm-crane,cxa-trucks,zhp-gas");
	assert_true(sd_table_set_filter(&t, ""));
	assert_int_equal(t.nvis, 5);
	sd_table_done(&t);
}

static void test_selection(void **state)
{
	struct sd_table t;
	int r;
	(void)state;
	sd_table_init(&t, cols, 4);
	fill(&t);
	assert_int_equal(sd_table_move(&t, SD_TA_DOWN, 3) & SD_TK_MOVED, SD_TK_MOVED);
	r = sd_table_selected(&t);
	assert_string_equal(sd_table_cell(&t, r, 0), "bhm-weld");
	/* the selection follows its row through a re-sort and a rebuild */
	sd_table_sort(&t, 2, true);
	assert_string_equal(sd_table_cell(&t, sd_table_selected(&t), 0), "bhm-weld");
	assert_int_equal(t.sel, 0);
	fill(&t);
	assert_string_equal(sd_table_cell(&t, sd_table_selected(&t), 0), "bhm-weld");
	sd_table_move(&t, SD_TA_END, 3);
	assert_int_equal(t.sel, 4);
	assert_int_equal(t.top, 2);
	assert_int_equal(sd_table_move(&t, SD_TA_DOWN, 3) & SD_TK_MOVED, 0);
	sd_table_move(&t, SD_TA_PGUP, 3);
	assert_int_equal(t.sel, 1);
	sd_table_move(&t, SD_TA_HOME, 3);
	assert_int_equal(t.sel, 0);
	assert_int_equal(t.top, 0);
	/* empty table: nothing selected, moves are harmless */
	assert_true(sd_table_set_filter(&t, "no such row"));
	assert_int_equal(sd_table_selected(&t), -1);
	sd_table_move(&t, SD_TA_DOWN, 3);
	assert_int_equal(sd_table_selected(&t), -1);
	sd_table_done(&t);
}

static void test_sparkline(void **state)
{
	struct sd_glyphs g;
	double v[] = { 0, 1, 2, 3, 4, 5, 6, 7, NAN, 7 };
	char buf[128];
	(void)state;
	sd_glyphs_init(&g, true);
	assert_false(g.utf8);
	sd_sparkline(&g, v, 10, 40, buf, sizeof buf);
	assert_string_equal(buf, "_.,-=+*# #");
	sd_sparkline(&g, v, 10, 3, buf, sizeof buf);   /* the newest win; flat = middle */
	assert_string_equal(buf, "- -");
	sd_sparkline(&g, v, 0, 10, buf, sizeof buf);
	assert_string_equal(buf, "");
	sd_sparkline(&g, v, 10, 40, buf, 4);            /* never overflows */
	assert_string_equal(buf, "_.,");
}

static void test_hist(void **state)
{
	struct sd_hist h;
	double v[SD_HIST_N];
	int i, n;
	(void)state;
	sd_hist_init(&h);
	for (i = 0; i < SD_HIST_N + 5; i++) {
		json_t *l = json_pack("[{s:s, s:{s:i, s:n}}, {s:s, s:{s:i}}]",
				      "id", "a", "live", "ues", i, "delay_ms",
				      "id", "b", "live", "ues", 1000);
		sd_hist_record(&h, l);
		json_decref(l);
	}
	n = sd_hist_get(&h, "a", SD_KPI_UES, v);
	assert_int_equal(n, SD_HIST_N);
	assert_true(v[0] == 5 && v[n - 1] == SD_HIST_N + 4);   /* oldest first */
	n = sd_hist_get(&h, "a", SD_KPI_DELAY, v);
	assert_true(isnan(v[n - 1]));
	assert_int_equal(sd_hist_get(&h, "zz", SD_KPI_UES, v), 0);
	n = sd_hist_zone(&h, v);
	assert_int_equal(n, SD_HIST_N);
	assert_true(v[n - 1] == 1000 + SD_HIST_N + 4);
	/* many slices: the table grows, every series stays reachable */
	for (i = 0; i < 3000; i++) {
		char id[16];
		json_t *l;
		snprintf(id, sizeof id, "s%d", i);
		l = json_pack("[{s:s, s:{s:i}}]", "id", id, "live", "load_level", i);
		sd_hist_record(&h, l);
		json_decref(l);
	}
	assert_int_equal(sd_hist_get(&h, "s2999", SD_KPI_LOAD, v), 1);
	assert_true(v[0] == 2999);
	sd_hist_done(&h);
}

static void test_view_names(void **state)
{
	(void)state;
	assert_int_equal(sd_view_lookup("sl"), SD_V_SLICES);
	assert_int_equal(sd_view_lookup("slices"), SD_V_SLICES);
	assert_int_equal(sd_view_lookup("fac"), SD_V_FACTORIES);
	assert_int_equal(sd_view_lookup("nf"), SD_V_NFS);
	assert_int_equal(sd_view_lookup("cell"), SD_V_CELLS);
	assert_int_equal(sd_view_lookup("ov"), SD_V_OVERVIEW);
	assert_int_equal(sd_view_lookup("site"), SD_V_SITES);
	assert_int_equal(sd_view_lookup("s"), SD_V_SLICES);
	assert_int_equal(sd_view_lookup("sli"), -1);   /* aliases are whole words */
	assert_int_equal(sd_view_lookup("bogus"), -1);
	/* the monitoring views: "sla" is not the slices' "sl" */
	assert_int_equal(sd_view_lookup("sla"), SD_V_SLA);
	assert_int_equal(sd_view_lookup("al"), SD_V_ALARMS);
	assert_int_equal(sd_view_lookup("alarms"), SD_V_ALARMS);
	assert_int_equal(sd_view_lookup("cov"), SD_V_COVERAGE);
	assert_true(sd_views[SD_V_ALARMS].tab && sd_views[SD_V_SLA].tab && sd_views[SD_V_COVERAGE].tab);
	assert_false(sd_views[SD_V_HEAT].tab);   /* reached from a site only */
}

/* X.733 severities: worst first, unknown last, each its own role; a
 * severity column sorts by rank, not alphabetically. */
static void test_severity(void **state)
{
	static const struct sd_tcol acols[] = {
		{ "ID", "", SD_COL_NUM, 0 }, { "SEVERITY", "", SD_COL_SEVERITY, 0 },
	};
	static const char *const rows[][2] = {
		{ "1", "minor" }, { "2", "critical" }, { "3", "warning" }, { "4", "cleared" },
		{ "5", "major" }, { "6", "critical" }, { "10", "critical" },
	};
	struct sd_table t;
	size_t i;
	(void)state;
	assert_int_equal(sd_severity_rank("critical"), 0);
	assert_int_equal(sd_severity_rank("major"), 1);
	assert_int_equal(sd_severity_rank("minor"), 2);
	assert_int_equal(sd_severity_rank("warning"), 3);
	assert_int_equal(sd_severity_rank("indeterminate"), 4);
	assert_int_equal(sd_severity_rank(NULL), 4);
	assert_int_equal(sd_severity_rank("CRITICAL"), 0);
	assert_int_equal(sd_severity_role("critical"), SD_T_CRIT);
	assert_int_equal(sd_severity_role("major"), SD_T_MAJOR);
	assert_int_equal(sd_severity_role("minor"), SD_T_MINOR);
	assert_int_equal(sd_severity_role("warning"), SD_T_WARNING);
	assert_int_equal(sd_severity_role("cleared"), SD_T_NORMAL);
	sd_table_init(&t, acols, 2);
	sd_table_begin(&t);
	for (i = 0; i < SD_ARRAY_LEN(rows); i++)
		sd_table_add(&t, rows[i], (int)i);
	sd_table_end(&t);
	sd_table_sort(&t, 1, false);
	assert_string_equal(shown(&t), "2,6,10,5,1,3,4");   /* ties by id, numerically */
	sd_table_sort(&t, 1, true);
	assert_string_equal(shown(&t), "4,3,1,5,10,6,2");
	sd_table_done(&t);
	/* SLA verdicts and coverage flags are coloured by meaning */
	assert_int_equal(sd_status_role("breached"), SD_T_BAD);
	assert_int_equal(sd_status_role("BELOW"), SD_T_BAD);
	assert_int_equal(sd_status_role("met"), SD_T_OK);
	assert_int_equal(sd_status_role("no-data"), SD_T_DIM);
	assert_int_equal(sd_status_role("not judged"), SD_T_DIM);
}

/* The engine's heat map digits to glyphs and colours: ASCII ' ' x - + #,
 * UTF-8 shade blocks; anything else is "no data". */
static void test_heat_glyph(void **state)
{
	struct sd_glyphs a = { .utf8 = false }, u = { .utf8 = true };
	static const enum sd_trole roles[] = { SD_T_DIM, SD_T_HEAT1, SD_T_HEAT2, SD_T_HEAT3, SD_T_HEAT4 };
	enum sd_trole r;
	int lv;
	(void)state;
	assert_string_equal(sd_heat_glyph(&a, '0', NULL), " ");
	assert_string_equal(sd_heat_glyph(&a, '1', NULL), "x");
	assert_string_equal(sd_heat_glyph(&a, '2', NULL), "-");
	assert_string_equal(sd_heat_glyph(&a, '3', NULL), "+");
	assert_string_equal(sd_heat_glyph(&a, '4', NULL), "#");
	assert_string_equal(sd_heat_glyph(&u, '1', NULL), "░");
	assert_string_equal(sd_heat_glyph(&u, '4', NULL), "█");
	for (lv = 0; lv <= 4; lv++) {
		sd_heat_glyph(&u, (char)('0' + lv), &r);
		assert_int_equal(r, roles[lv]);
	}
	/* peer data out of range: no data, never out of the tables */
	assert_string_equal(sd_heat_glyph(&a, '9', &r), " ");
	assert_int_equal(r, SD_T_DIM);
	assert_string_equal(sd_heat_glyph(&a, '\0', &r), " ");
	assert_string_equal(sd_heat_glyph(&u, '!', &r), "·");
	assert_string_equal(sd_heat_glyph(NULL, '3', &r), "+");
	/* 5-8: predicted squares, other glyphs than measured ones in both
	 * modes, the same colour roles as the measured levels */
	assert_string_equal(sd_heat_glyph(&a, '5', &r), "o");
	assert_int_equal(r, roles[1]);
	assert_string_equal(sd_heat_glyph(&u, '8', &r), "=");
	assert_int_equal(r, roles[4]);
	assert_string_equal(sd_heat_glyph(&a, '6', NULL), ",");
	assert_string_equal(sd_heat_glyph(&a, '7', NULL), ":");
}

/* Row y of the virtual screen, trailing blanks dropped. */
static void line_at(int y, char *buf, int n)
{
	int len;
	mvinnstr(y, 0, buf, n);
	len = (int)strlen(buf);
	while (len > 0 && buf[len - 1] == ' ')
		buf[--len] = '\0';
}

/* The table drawn into a real curses screen on a pty: header with the sort
 * mark, rows clipped to their width, numbers right-aligned, the last column
 * taking the rest, only the rows that fit. */
static void test_render_pty(void **state)
{
	struct sd_ptyterm *p;
	struct sd_table t;
	struct sd_theme th;
	struct sd_glyphs g;
	char line[128];
	int i;
	(void)state;

	p = sd_ptyterm_open("xterm-256color", 6, 50);
	assert_non_null(p);
	sd_glyphs_init(&g, true);
	sd_theme_apply(&th, "mono", false);
	sd_table_init(&t, cols, 4);
	fill(&t);
	sd_table_sort(&t, 2, true);
	erase();
	sd_table_draw(&t, 1, 0, 4, 50, &th, &g, true);
	refresh();
	line_at(1, line, 50);
	assert_string_equal(line, " ID         STATE     LOADv NAME");
	line_at(2, line, 50);
	assert_string_equal(line, " bhm-weld   requested   100 Weld QC cameras and mo");
	line_at(3, line, 50);
	assert_string_equal(line, " bhm-crane  active       12 Crane remote");
	line_at(4, line, 50);
	assert_string_equal(line, " xgs-ohc    suspended   7.5 Overhead crane");
	line_at(5, line, 50);
	assert_string_equal(line, "");   /* only the rows that fit */
	/* a headless run of many frames (sanitizers watch this) */
	for (i = 0; i < 200; i++) {
		erase();
		sd_table_move(&t, i % 7 ? SD_TA_DOWN : SD_TA_HOME, 3);
		sd_table_draw(&t, 0, 0, 6, 50 - i % 30, &th, &g, i % 2);
		refresh();
	}
	sd_table_done(&t);
	sd_ptyterm_close(p);
}

/* --- the CLI's option parser: each command takes only its own options --- */

/* Parse a space-separated command line; the status, with a->err. */
static int parse_line(const char *line, struct sd_cli_args *a)
{
	static char buf[512];
	char *argv[32], *save = NULL, *w;
	int argc = 0;
	snprintf(buf, sizeof buf, "%s", line);
	for (w = strtok_r(buf, " ", &save); w && argc < 32; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	return sd_cli_parse(argc, argv, a);
}

static const char *param_text(const struct sd_cli_args *a, const char *name)
{
	return json_string_value(json_object_get(a->params, name));
}

static void test_cli_options(void **state)
{
	struct sd_cli_args a;
	(void)state;
	/* options a command takes become the IPC parameters of its op */
	assert_int_equal(parse_line("slices --factory bhm --csv", &a), SD_CLI_OK);
	assert_string_equal(a.op, "slices");
	assert_string_equal(param_text(&a, "factory"), "bhm");
	assert_int_equal(a.fmt, SD_OUT_CSV);
	assert_int_equal(json_object_size(a.params), 1);
	sd_cli_args_done(&a);
	assert_int_equal(parse_line("sla --factory=bhm --slice bhm-crane --period 2026-11 --json", &a),
			 SD_CLI_OK);
	assert_string_equal(param_text(&a, "factory"), "bhm");
	assert_string_equal(param_text(&a, "slice"), "bhm-crane");
	assert_string_equal(param_text(&a, "period"), "2026-11");
	assert_int_equal(a.fmt, SD_OUT_JSON);
	sd_cli_args_done(&a);
	assert_int_equal(parse_line("kpi --slice s1 --metric ues --level 5min --points 30", &a), SD_CLI_OK);
	assert_int_equal(json_integer_value(json_object_get(a.params, "points")), 30);
	assert_string_equal(param_text(&a, "level"), "5min");
	sd_cli_args_done(&a);
	/* alarms: --factory goes to the engine, which filters */
	assert_int_equal(parse_line("alarms --all --factory bhm", &a), SD_CLI_OK);
	assert_true(json_is_true(json_object_get(a.params, "all")));
	assert_string_equal(param_text(&a, "factory"), "bhm");
	sd_cli_args_done(&a);

	/* options a command does not take are usage errors, named */
	assert_int_equal(parse_line("alarms --factory", &a), SD_CLI_USAGE);
	assert_string_equal(a.err, "slicedeck alarms: --factory needs a value (ID)");
	sd_cli_args_done(&a);
	assert_int_equal(parse_line("kpi --factory x --slice s1", &a), SD_CLI_USAGE);
	assert_string_equal(a.err, "slicedeck kpi: unknown option --factory");
	sd_cli_args_done(&a);
	assert_int_equal(parse_line("coverage --factory x", &a), SD_CLI_USAGE);
	assert_string_equal(a.err, "slicedeck coverage: unknown option --factory");
	sd_cli_args_done(&a);
	assert_int_equal(parse_line("nfs --factory x", &a), SD_CLI_USAGE);
	sd_cli_args_done(&a);
	assert_int_equal(parse_line("slices --all", &a), SD_CLI_USAGE);
	assert_string_equal(a.err, "slicedeck slices: unknown option --all");
	sd_cli_args_done(&a);
	assert_int_equal(parse_line("alarm ack 3 --json", &a), SD_CLI_USAGE);
	assert_string_equal(a.err, "slicedeck alarm ack: unknown option --json");
	sd_cli_args_done(&a);
	/* values, bounds, required options and operands */
	assert_int_equal(parse_line("kpi --slice s1 --points 501", &a), SD_CLI_USAGE);
	assert_string_equal(a.err, "slicedeck kpi: --points must be 1 to 500");
	sd_cli_args_done(&a);
	assert_int_equal(parse_line("kpi --metric ues", &a), SD_CLI_USAGE);
	assert_string_equal(a.err, "slicedeck kpi: --slice ID is required");
	sd_cli_args_done(&a);
	assert_int_equal(parse_line("kpi --slice --json", &a), SD_CLI_USAGE);
	assert_string_equal(a.err, "slicedeck kpi: --slice needs a value (ID)");
	sd_cli_args_done(&a);
	assert_int_equal(parse_line("alarms --all=yes", &a), SD_CLI_USAGE);
	sd_cli_args_done(&a);
	assert_int_equal(parse_line("slices extra", &a), SD_CLI_USAGE);
	assert_string_equal(a.err, "slicedeck slices: unexpected argument \"extra\"");
	sd_cli_args_done(&a);
	assert_int_equal(parse_line("alarm ack", &a), SD_CLI_USAGE);
	sd_cli_args_done(&a);
	assert_int_equal(parse_line("alarm ack 7", &a), SD_CLI_OK);
	assert_string_equal(a.op, "alarm.ack");
	assert_string_equal(a.operand, "7");
	sd_cli_args_done(&a);
	assert_int_equal(parse_line("coverage import walk.csv --site s1", &a), SD_CLI_OK);
	assert_string_equal(a.name, "coverage import");
	assert_string_equal(a.operand, "walk.csv");
	assert_string_equal(param_text(&a, "site"), "s1");
	sd_cli_args_done(&a);
	assert_int_equal(parse_line("coverage --site s1", &a), SD_CLI_OK);
	assert_string_equal(a.name, "coverage");
	assert_null(a.operand);
	sd_cli_args_done(&a);
	assert_int_equal(parse_line("bogus", &a), SD_CLI_USAGE);
	sd_cli_args_done(&a);
	/* --help skips the checks: the command's help is printed instead */
	assert_int_equal(parse_line("kpi --help", &a), SD_CLI_OK);
	assert_true(a.help);
	sd_cli_args_done(&a);
}

/* The help is generated from the table: every option a command takes is
 * listed with it, and the client-side filter says so. */
static void test_cli_help(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	(void)state;
	assert_int_equal(sd_cli_help(f, NULL), 0);
	assert_int_equal(sd_cli_help(f, "nosuch"), -1);
	fclose(f);
	assert_non_null(strstr(text, "slicedeck alarms [--all] [--factory ID] [--json|--csv]"));
	assert_non_null(strstr(text, "only alarms raised on this factory's objects"));
	assert_non_null(strstr(text, "slicedeck kpi --slice ID [--metric NAME]"));
	assert_non_null(strstr(text, "slicedeck coverage [--site ID] [--json|--csv]"));
	assert_non_null(strstr(text, "slicedeck alarm ack ID"));
	free(text);
	f = open_memstream(&text, &len);
	assert_int_equal(sd_cli_help(f, "kpi"), 0);
	fclose(f);
	assert_non_null(strstr(text, "--points N"));
	assert_null(strstr(text, "--factory"));
	free(text);
}

/* The walk-test CSV the console checks before sending anything. */
static void test_walk_csv(void **state)
{
	static const char good[] =
		"# a walk on the works floor\n"
		"Time, CELL ,x,y,rsrp,sinr\r\n"
		"2026-11-23T10:00:00Z,bhm-w1,10,20,-90,5\n"
		"\n"
		"1795428000.5,\"bhm-w1\",11.5,20,-100.5,-3\n"
		"2026-11-23T12:00:00.250+02:00,bhm-w2,0,0,-31,40\n";
	static const char bad[] =
		"time,x,y,cell,rsrp,sinr\n"
		"1795428000,10,10,bhm-w1,-90,5\n"
		"1795428001,10,10,bhm-w1,-200,5\n"
		"1795428002,abc,10,bhm w1,-90,5\n"
		"yesterday,10,10,bhm-w1,-90,5\n"
		"1795428003,10\n"
		"1795428004,10,10,\"bhm-w1,-90,5\n";
	static const char latlon[] = "time,lat,lon,cell,rsrp,sinr\n1795428000,29.9009,121.8,c1,-90,1\n";
	static const char hdr[] = "time,x,y,cell,rsrp,colour\n";
	/* x beside a lat/lon pair: refused at the header (fuzz_walk_csv read the
	 * absent y column's field at index -1) */
	static const char half[] = "time,x,lat,lon,cell,rsrp,sinr\n1795428000,1,29.9,121.8,c1,-90,1\n";
	struct sd_walk_origin o = { .lat = 29.9, .lon = 121.8 };
	struct sd_walk_sample *v;
	char *msgs = NULL;
	size_t n, len = 0;
	FILE *err = open_memstream(&msgs, &len);
	(void)state;

	assert_int_equal(sd_walk_parse("good.csv", good, strlen(good), NULL, &v, &n, err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[0].t_ms, 1795428000000LL + 0);   /* 2026-11-23T10:00:00Z */
	assert_string_equal(v[0].cell, "bhm-w1");
	assert_true(v[1].t_ms == 1795428000500LL && v[1].x_m == 11.5 && v[1].sinr_db == -3);
	assert_int_equal(v[2].t_ms, 1795428000000LL + 250);   /* 12:00:00.25 at +02:00 */
	free(v);
	assert_int_equal(sd_walk_parse("bad.csv", bad, strlen(bad), NULL, &v, &n, err), 6);
	assert_null(v);
	/* lat/lon rows are placed on the plan from the origin; without one they are refused */
	assert_int_equal(sd_walk_parse("ll.csv", latlon, strlen(latlon), NULL, &v, &n, err), 1);
	assert_int_equal(sd_walk_parse("ll.csv", latlon, strlen(latlon), &o, &v, &n, err), 0);
	assert_int_equal(n, 1);
	assert_true(fabs(v[0].y_m - 100.19) < 0.05 && fabs(v[0].x_m) < 1e-6);
	free(v);
	assert_int_equal(sd_walk_parse("e.csv", "", 0, NULL, &v, &n, err), 1);
	assert_int_equal(sd_walk_parse("h.csv", hdr, strlen(hdr), NULL, &v, &n, err), 2);
	assert_int_equal(sd_walk_parse("x.csv", half, strlen(half), &o, &v, &n, err), 1);
	assert_null(v);
	fclose(err);
	assert_non_null(strstr(msgs, "bad.csv:3: RSRP must be"));
	assert_non_null(strstr(msgs, "bad.csv:4: cell must be"));
	assert_non_null(strstr(msgs, "bad.csv:4: x and y must be numbers"));
	assert_non_null(strstr(msgs, "bad.csv:5: time must be"));
	assert_non_null(strstr(msgs, "bad.csv:6: 2 fields where the header has 6"));
	assert_non_null(strstr(msgs, "bad.csv:7: a quoted field"));
	assert_non_null(strstr(msgs, "ll.csv:1: lat/lon rows need a site"));
	assert_non_null(strstr(msgs, "e.csv: empty"));
	assert_non_null(strstr(msgs, "h.csv:1: unknown column \"colour\""));
	assert_non_null(strstr(msgs, "h.csv:1: the header has no \"sinr\" column"));
	assert_non_null(strstr(msgs, "x.csv:1: the header has \"x\" without \"y\""));
	free(msgs);
}

/* Chinese names (the scenario catalog) take two columns a character; a
 * clip never splits a character or overruns by half a wide one. */
static void test_wide_width(void **state)
{
	const char *zh = "\xe6\x9c\xba\xe5\x99\xa8";   /* two CJK ideographs */
	assert_int_equal(sd_utf8_width("abc"), 3);
	assert_int_equal(sd_utf8_width(zh), 4);
	assert_int_equal(sd_utf8_width("a\xc3\xa9"), 2);  /* e-acute: narrow */
	assert_int_equal(sd_utf8_clip(zh, 4), 6);
	assert_int_equal(sd_utf8_clip(zh, 3), 3);       /* the second does not fit */
	assert_int_equal(sd_utf8_clip(zh, 1), 0);
	assert_int_equal(sd_utf8_clip("ab", 5), 2);
	/* a truncated sequence is one column, and nothing past it is read */
	assert_int_equal(sd_utf8_width("\xe6\x9c"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sort),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_selection),
		cmocka_unit_test(test_sparkline),
		cmocka_unit_test(test_hist),
		cmocka_unit_test(test_view_names),
		cmocka_unit_test(test_severity),
		cmocka_unit_test(test_heat_glyph),
		cmocka_unit_test(test_render_pty),
		cmocka_unit_test(test_cli_options),
		cmocka_unit_test(test_cli_help),
		cmocka_unit_test(test_walk_csv),
		cmocka_unit_test(test_wide_width),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

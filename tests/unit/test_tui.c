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
#include "tui/hist.h"
#include "tui/ptyterm.h"
#include "tui/table.h"
#include "tui/theme.h"
#include "tui/ui.h"

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
	assert_string_equal(sd_heat_glyph(&u, '5', &r), "·");
	assert_string_equal(sd_heat_glyph(NULL, '3', &r), "+");
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

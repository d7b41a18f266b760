/* tests/bench/bench_tui.c — the console's table on a large zone, into a
 * real curses screen on a pseudo-terminal (openpty + newterm):
 *
 *   - render: one frame = erase, draw header + visible rows (attributes,
 *     status colours, sort mark), refresh; the view scrolls one row per
 *     frame so every body row changes (the worst case for ncurses' diff);
 *   - the same frames as a plain full-screen mvaddstr loop of the same,
 *     preformatted rows on the same terminal in the same run: the floor;
 *   - filter (substring, narrowing, regex, inverse) and sort (number, text)
 *     over 10,000 and 20,000 rows; building the table from row strings.
 *
 * Prints "name  value" lines; the target (render within 2x of the plain
 * loop) is judged on the best of BENCH_RUNS runs, alternating the two.
 *
 *   bench_tui [--rows N] [--frames F] [--runs R] [--size COLSxROWS]
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/util.h"
#include "tui/ptyterm.h"
#include "tui/table.h"
#include "tui/theme.h"

static const struct sd_tcol cols[] = {
	{ "ID", "", SD_COL_TEXT, 24 }, { "FACTORY", "", SD_COL_TEXT, 18 },
	{ "S-NSSAI", "", SD_COL_TEXT, 0 }, { "STATE", "", SD_COL_STATUS, 0 },
	{ "SCENARIO", "", SD_COL_TEXT, 20 }, { "5QI", "", SD_COL_NUM, 0 },
	{ "SLA_MS", "", SD_COL_NUM, 0 }, { "DELAY", "", SD_COL_NUM, 0 },
	{ "LOAD", "", SD_COL_NUM, 0 }, { "UES", "", SD_COL_NUM, 0 },
	{ "DNN", "", SD_COL_TEXT, 0 },
};
#define NCOLS ((int)SD_ARRAY_LEN(cols))

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static const char *const factories[] = { "beilun-heavy", "xingang-steel", "zhenhai-petro",
					 "daxie-ship", "chunxiao-auto", "xiapu-textile" };
static const char *const prefixes[] = { "bhm", "xgs", "zhp", "dxs", "cxa", "xpt" };
static const char *const states[] = { "active", "active", "active", "suspended", "requested" };
static const char *const scenarios[] = { "remote-control", "machine-vision-qc", "inspection",
					 "energy-mgmt", "predictive-maint" };

/* A zone-like row i (deterministic). */
static void make_row(int i, char c[NCOLS][48])
{
	unsigned x = (unsigned)i * 2654435761u;
	snprintf(c[0], 48, "%s-slice-%05d", prefixes[i % 6], i);
	snprintf(c[1], 48, "%s", factories[i % 6]);
	snprintf(c[2], 48, "%u-%06x", 1 + x % 3, i);
	snprintf(c[3], 48, "%s", states[x % 5]);
	snprintf(c[4], 48, "%s", scenarios[(x >> 3) % 5]);
	snprintf(c[5], 48, "%u", (x >> 5) % 90);
	snprintf(c[6], 48, "%.1f", 5.0 + (x >> 7) % 300);
	snprintf(c[7], 48, "%.2f", ((x >> 9) % 2000) / 10.0);
	snprintf(c[8], 48, "%u", (x >> 11) % 100);
	snprintf(c[9], 48, "%u", (x >> 13) % 5000);
	snprintf(c[10], 48, "%s.mec", prefixes[i % 6]);
}

static void build(struct sd_table *t, int n)
{
	char c[NCOLS][48];
	const char *p[NCOLS];
	int i, k;
	for (k = 0; k < NCOLS; k++)
		p[k] = c[k];
	sd_table_begin(t);
	for (i = 0; i < n; i++) {
		make_row(i, c);
		sd_table_add(t, p, i);
	}
	sd_table_end(t);
}

/* F frames of the table, scrolling one row per frame; µs per frame. */
static double frames_table(struct sd_table *t, int frames, int rows, int width,
			   const struct sd_theme *th, const struct sd_glyphs *g)
{
	double t0;
	int f;
	sd_table_move(t, SD_TA_HOME, rows - 1);
	t->sel = rows - 2;
	t->top = 0;
	t0 = now_us();
	for (f = 0; f < frames; f++) {
		erase();
		sd_table_move(t, SD_TA_DOWN, rows - 1);
		sd_table_draw(t, 0, 0, rows, width, th, g, true);
		refresh();
	}
	return (now_us() - t0) / frames;
}

/* The floor: the same rows, preformatted, one mvaddstr per screen line. */
static double frames_plain(char **lines, int nlines, int frames, int rows)
{
	double t0 = now_us();
	int f, y;
	for (f = 0; f < frames; f++) {
		erase();
		mvaddstr(0, 0, lines[0]);   /* the header */
		for (y = 1; y < rows; y++)
			mvaddstr(y, 0, lines[1 + (f + y) % (nlines - 1)]);
		refresh();
	}
	return (now_us() - t0) / frames;
}

static double time_filter(struct sd_table *t, const char *expr)
{
	double t0 = now_us();
	sd_table_set_filter(t, expr);
	return now_us() - t0;
}

static double time_sort(struct sd_table *t, int col, bool rev)
{
	double t0 = now_us();
	sd_table_sort(t, col, rev);
	return now_us() - t0;
}

static double min2(double a, double b) { return a < b ? a : b; }

int main(int argc, char **argv)
{
	int nrows = 10000, frames = 300, runs = 3, width = 200, height = 60, i, r, y;
	const char *env = getenv("BENCH_RUNS");
	struct sd_ptyterm *p;
	struct sd_table t, big;
	struct sd_theme th;
	struct sd_glyphs g;
	double best_tab = 1e18, best_plain = 1e18, build_us, ratio;
	double f_sub = 1e18, f_narrow = 1e18, f_re = 1e18, f_inv = 1e18, s_num = 1e18, s_txt = 1e18;
	double b_sub = 1e18, b_sort = 1e18;
	char **lines;
	size_t bytes0, bytes_tab = 0, bytes_plain = 0;

	if (env && atoi(env) > 0)
		runs = atoi(env);
	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--rows") == 0)
			nrows = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--frames") == 0)
			frames = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--runs") == 0)
			runs = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--size") == 0 &&
			 sscanf(argv[i + 1], "%dx%d", &width, &height) == 2)
			;
		else {
			fprintf(stderr, "usage: bench_tui [--rows N] [--frames F] [--runs R] [--size CxR]\n");
			return 2;
		}
	}
	if (nrows < height || frames < 1 || runs < 1 || width < 40 || height < 10) {
		fprintf(stderr, "bench_tui: need rows >= screen height, frames/runs >= 1, size >= 40x10\n");
		return 2;
	}
	p = sd_ptyterm_open("xterm-256color", height, width);
	if (!p)
		return 1;
	start_color();
	use_default_colors();
	sd_glyphs_init(&g, true);
	sd_theme_apply(&th, "prod", has_colors());

	sd_table_init(&t, cols, NCOLS);
	r = 0;
	{
		double t0 = now_us();
		build(&t, nrows);
		build_us = now_us() - t0;
	}
	/* the plain loop's rows: the same cells, laid out as the table does */
	lines = sd_calloc((size_t)nrows + 1, sizeof *lines);
	for (i = 0; i <= nrows; i++) {
		char buf[1024];
		size_t off = 0;
		int c;
		for (c = 0; c < NCOLS && off < sizeof buf; c++)
			off += (size_t)snprintf(buf + off, sizeof buf - off, " %-*s", t.width[c],
						i ? sd_table_cell(&t, t.vis[i - 1], c) : cols[c].header);
		buf[off < (size_t)width ? off : (size_t)width] = '\0';
		lines[i] = sd_strdup(buf);
	}
	for (r = 0; r < runs; r++) {
		bytes0 = sd_ptyterm_bytes(p);
		best_plain = min2(best_plain, frames_plain(lines, nrows + 1, frames, height));
		bytes_plain = sd_ptyterm_bytes(p) - bytes0;
		bytes0 = sd_ptyterm_bytes(p);
		best_tab = min2(best_tab, frames_table(&t, frames, height, width, &th, &g));
		bytes_tab = sd_ptyterm_bytes(p) - bytes0;
		f_sub = min2(f_sub, time_filter(&t, "bhm"));
		f_narrow = min2(f_narrow, time_filter(&t, "bhm-slice-01"));
		f_re = min2(f_re, time_filter(&t, "^(bhm|xgs)-slice-0[0-4]"));
		f_inv = min2(f_inv, time_filter(&t, "!active"));
		time_filter(&t, "");
		s_num = min2(s_num, time_sort(&t, 9, r % 2));
		s_txt = min2(s_txt, time_sort(&t, 4, r % 2));
		sd_table_sort(&t, 0, false);
	}
	/* 20,000 rows (the cells of a large zone): filter and sort */
	sd_table_init(&big, cols, NCOLS);
	build(&big, 2 * nrows);
	for (r = 0; r < runs; r++) {
		b_sub = min2(b_sub, time_filter(&big, "xgs"));
		time_filter(&big, "");
		b_sort = min2(b_sort, time_sort(&big, 8, r % 2));
	}
	sd_table_done(&big);
	sd_ptyterm_close(p);

	ratio = best_tab / best_plain;
	printf("tui.terminal  %dx%d pty, %d rows, %d frames x %d runs\n", width, height, nrows, frames, runs);
	printf("tui.build.rows_%d_ms  %.2f\n", nrows, build_us / 1000);
	printf("tui.render.frame_us  %.1f\n", best_tab);
	printf("tui.mvaddstr.frame_us  %.1f\n", best_plain);
	printf("tui.render.bytes_per_frame  %zu\n", bytes_tab / (size_t)frames);
	printf("tui.mvaddstr.bytes_per_frame  %zu\n", bytes_plain / (size_t)frames);
	printf("tui.ratio.render_vs_mvaddstr  %.2f (target <= 2: %s)\n", ratio, ratio <= 2 ? "met" : "NOT met");
	printf("tui.filter.substring_%d_us  %.0f\n", nrows, f_sub);
	printf("tui.filter.narrow_%d_us  %.0f\n", nrows, f_narrow);
	printf("tui.filter.regex_%d_us  %.0f\n", nrows, f_re);
	printf("tui.filter.inverse_%d_us  %.0f\n", nrows, f_inv);
	printf("tui.sort.number_%d_us  %.0f\n", nrows, s_num);
	printf("tui.sort.text_%d_us  %.0f\n", nrows, s_txt);
	printf("tui.filter.substring_%d_us  %.0f\n", 2 * nrows, b_sub);
	printf("tui.sort.number_%d_us  %.0f\n", 2 * nrows, b_sort);
	for (y = 0; y <= nrows; y++)
		free(lines[y]);
	free(lines);
	sd_table_done(&t);
	return 0;
}

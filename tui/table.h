/* tui/table.h — the console's one widget: a sortable, filterable table
 * (htop's Panel). Rows are kept in arrays; each row's cells live in one
 * block with a numeric sort key precomputed per column, so sorting is one
 * qsort of an index array and filtering one pass over it. Only the visible
 * rows are rendered.
 *
 * Movement and mouse handling return what changed (SD_TK_* flags) so the caller redraws
 * or acts (drill down, ...) without the table knowing about views.
 */
#ifndef SD_TUI_TABLE_H
#define SD_TUI_TABLE_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "tui/theme.h"

#define SD_TABLE_MAXCOLS 16

enum sd_col_kind {
	SD_COL_TEXT,      /* sorted as text */
	SD_COL_NUM,       /* sorted by value ("-" lowest) */
	SD_COL_STATUS,    /* text, coloured by meaning (active, REGISTERED ...) */
	SD_COL_SEVERITY,  /* alarm severity: coloured per severity, sorted worst first */
};

struct sd_tcol {
	const char *header;
	const char *path;      /* member of the source object (views use it) */
	enum sd_col_kind kind;
	int maxw;              /* widest it may get; 0 = as wide as the content;
				* negative: at most -maxw, and the column is not
				* drawn while every cell is "" or "-" */
};

struct sd_trow {
	char *blob;                       /* cells, NUL-separated */
	unsigned short off[SD_TABLE_MAXCOLS];
	double key[SD_TABLE_MAXCOLS];
	int src;                          /* index in the source list */
};

/* flags returned by sd_table_key / sd_table_mouse */
enum {
	SD_TK_NONE = 0,
	SD_TK_HANDLED = 1 << 0,  /* the table used the key */
	SD_TK_MOVED = 1 << 1,    /* selection changed */
	SD_TK_SORTED = 1 << 2,   /* sort column/order changed */
	SD_TK_ACTIVATE = 1 << 3, /* Enter / double click on a row */
};

struct sd_table {
	const struct sd_tcol *cols;
	int ncols;
	struct sd_trow *rows;
	int nrows, cap;
	int *order;        /* all rows, sorted */
	int *vis;          /* rows passing the filter, in order */
	int nvis;
	int sel;           /* index into vis */
	int top;           /* first visible index into vis */
	int sort_col;
	bool sort_rev;
	int width[SD_TABLE_MAXCOLS];
	bool hidden[SD_TABLE_MAXCOLS];    /* hide_empty and empty now */
	/* filter */
	char filter[128];
	bool filter_inverse, filter_regex, filter_ok;
	regex_t re;
	char filter_err[128];
	/* remembered across rebuilds: the selected row's first cell */
	char sel_id[128];
	/* geometry of the last draw, for mouse hits */
	int y0, x0, h, w;
};

void sd_table_init(struct sd_table *t, const struct sd_tcol *cols, int ncols);
void sd_table_done(struct sd_table *t);

/* Rebuild: sd_table_begin(), sd_table_add() per row, sd_table_end(). The
 * selection follows its row (by first cell) across a rebuild. */
void sd_table_begin(struct sd_table *t);
void sd_table_add(struct sd_table *t, const char *const *cells, int src);
void sd_table_end(struct sd_table *t);

const char *sd_table_cell(const struct sd_table *t, int row, int col);
/* The selected row (index into rows), or -1 when nothing is shown. */
int  sd_table_selected(const struct sd_table *t);
/* Select the row whose first cell is id; false if it is not shown. */
bool sd_table_select_id(struct sd_table *t, const char *id);

/* Filter: "" none; "!x" inverse; text with regex characters
 * (^ $ * + ? ( ) [ ] { } | \) is a POSIX extended regex, else a substring;
 * both case-insensitive, over every cell. Returns false (and keeps
 * filter_err) for a bad regex, which then matches nothing. Narrowing a
 * substring filter only re-tests the rows that already matched. */
bool sd_table_set_filter(struct sd_table *t, const char *expr);

/* Sort by column (0-based); the same column again with toggle reverses. */
void sd_table_sort(struct sd_table *t, int col, bool rev);
int  sd_table_col_by_name(const struct sd_table *t, const char *name);

/* Movement, for a body of page rows. The key bindings (which key does
 * what) live in the console's binding table, not here. */
enum sd_tact { SD_TA_UP, SD_TA_DOWN, SD_TA_PGUP, SD_TA_PGDN, SD_TA_HOME, SD_TA_END };
int  sd_table_move(struct sd_table *t, enum sd_tact a, int page);
/* A click/wheel at screen (y,x): header sorts, rows select, a click on
 * the selected row activates. */
int  sd_table_mouse(struct sd_table *t, int y, int x, bool wheel_up, bool wheel_down,
		    bool click);

/* Draw header + visible rows into stdscr at (y0,x0) h rows by w columns.
 * Uses only erase()-then-write; the caller refresh()es. */
void sd_table_draw(struct sd_table *t, int y0, int x0, int h, int w,
		   const struct sd_theme *th, const struct sd_glyphs *g, bool focus);

/* Display width of a UTF-8 string in terminal columns (East Asian wide
 * characters count two) and its byte length clipped to n columns. */
int    sd_utf8_width(const char *s);
size_t sd_utf8_clip(const char *s, int cols);
/* Fold non-ASCII text to '?' when drawing (no UTF-8 locale). */
void   sd_table_ascii(bool on);
/* Write s at (y,x), clipped to cols columns (folded like table cells). */
void   sd_table_put(int y, int x, const char *s, int cols);
/* Attribute role for a status-like cell text. */
enum sd_trole sd_status_role(const char *text);
/* X.733 perceived severity: its rank, worst first (critical 0, major 1,
 * minor 2, warning 3, indeterminate/cleared/anything else 4), and the
 * theme role that colours it. */
int sd_severity_rank(const char *severity);
enum sd_trole sd_severity_role(const char *severity);

#endif

/* tui/table.c — see table.h. */
#include "tui/table.h"

#include <curses.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/util.h"

#define COL_GAP 1
#define COL_CAP 60      /* no column wider than this, whatever its content */

void sd_table_init(struct sd_table *t, const struct sd_tcol *cols, int ncols)
{
	memset(t, 0, sizeof *t);
	t->cols = cols;
	t->ncols = ncols > SD_TABLE_MAXCOLS ? SD_TABLE_MAXCOLS : ncols;
	t->filter_ok = true;
}

static void free_rows(struct sd_table *t)
{
	int i;
	for (i = 0; i < t->nrows; i++)
		free(t->rows[i].blob);
	t->nrows = 0;
}

static void drop_regex(struct sd_table *t)
{
	if (t->filter_regex && t->filter_ok)
		regfree(&t->re);
	t->filter_regex = false;
}

void sd_table_done(struct sd_table *t)
{
	free_rows(t);
	free(t->rows);
	free(t->order);
	free(t->vis);
	drop_regex(t);
	memset(t, 0, sizeof *t);
}

const char *sd_table_cell(const struct sd_table *t, int row, int col)
{
	if (row < 0 || row >= t->nrows || col < 0 || col >= t->ncols)
		return "";
	return t->rows[row].blob + t->rows[row].off[col];
}

int sd_table_selected(const struct sd_table *t)
{
	if (t->sel < 0 || t->sel >= t->nvis)
		return -1;
	return t->vis[t->sel];
}

void sd_table_begin(struct sd_table *t)
{
	int r = sd_table_selected(t);
	if (r >= 0)
		sd_strlcpy(t->sel_id, sd_table_cell(t, r, 0), sizeof t->sel_id);
	free_rows(t);
}

void sd_table_add(struct sd_table *t, const char *const *cells, int src)
{
	struct sd_trow *row;
	size_t len[SD_TABLE_MAXCOLS], total = 0, off = 0;
	int c;

	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->rows = sd_reallocarray(t->rows, (size_t)t->cap, sizeof *t->rows);
	}
	row = &t->rows[t->nrows++];
	for (c = 0; c < t->ncols; c++) {
		const char *v = cells[c] ? cells[c] : "";
		len[c] = strlen(v);
		if (len[c] > 1024)
			len[c] = 1024;   /* a cell is shown in a column, never more */
		total += len[c] + 1;
	}
	row->blob = sd_malloc(total);
	row->src = src;
	for (c = 0; c < t->ncols; c++) {
		const char *v = cells[c] ? cells[c] : "";
		char *end;
		memcpy(row->blob + off, v, len[c]);
		row->blob[off + len[c]] = '\0';
		row->off[c] = (unsigned short)off;
		off += len[c] + 1;
		row->key[c] = -INFINITY;
		if (t->cols[c].kind == SD_COL_SEVERITY) {
			row->key[c] = sd_severity_rank(v);
		} else if (t->cols[c].kind == SD_COL_NUM) {
			double d = strtod(v, &end);
			if (end != v && !isnan(d))
				row->key[c] = d;
		}
	}
}

/* East Asian wide and fullwidth code points take two terminal columns (the
 * scenario catalog's Chinese names): the main blocks of UAX #11's W and F. */
static int cp_width(const unsigned char *s, size_t *len)
{
	unsigned cp;
	size_t n = 1, i;
	if (s[0] < 0x80) {
		*len = 1;
		return 1;
	}
	n = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 1;
	cp = n == 4 ? s[0] & 0x07u : n == 3 ? s[0] & 0x0Fu : s[0] & 0x1Fu;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80) {   /* truncated: one column */
			*len = i;
			return 1;
		}
		cp = (cp << 6) | (s[i] & 0x3Fu);
	}
	*len = n;
	if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF && cp != 0x303F) ||
	    (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	    (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
	    (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD))
		return 2;
	return 1;
}

int sd_utf8_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int w = 0;
	while (*p) {
		size_t n;
		w += cp_width(p, &n);
		p += n;
	}
	return w;
}

size_t sd_utf8_clip(const char *s, int cols)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	int w = 0;
	while (p[i]) {
		size_t n;
		int cw = cp_width(p + i, &n);
		if (w + cw > cols)
			break;
		w += cw;
		i += n;
	}
	return i;
}

static int cmp_rows(const void *a, const void *b, void *arg)
{
	const struct sd_table *t = arg;
	int ia = *(const int *)a, ib = *(const int *)b, c = t->sort_col, r;
	const struct sd_trow *ra = &t->rows[ia], *rb = &t->rows[ib];
	if ((t->cols[c].kind == SD_COL_NUM || t->cols[c].kind == SD_COL_SEVERITY) &&
	    ra->key[c] != rb->key[c])
		r = ra->key[c] < rb->key[c] ? -1 : 1;
	else
		r = strcmp(ra->blob + ra->off[c], rb->blob + rb->off[c]);
	if (r == 0 && c != 0 && t->cols[0].kind == SD_COL_NUM && ra->key[0] != rb->key[0])
		r = ra->key[0] < rb->key[0] ? -1 : 1;   /* ties: by the id column (numeric ids as numbers) */
	if (r == 0 && c != 0)   /* then as text, then stable */
		r = strcmp(ra->blob, rb->blob);
	if (r == 0)
		r = ia < ib ? -1 : ia > ib;
	return t->sort_rev ? -r : r;
}

static bool row_matches(const struct sd_table *t, int r)
{
	int c;
	bool hit = false;
	if (!t->filter[0])
		return true;
	if (t->filter_regex && !t->filter_ok)
		return false;
	for (c = 0; c < t->ncols && !hit; c++) {
		const char *v = sd_table_cell(t, r, c);
		if (t->filter_regex)
			hit = regexec(&t->re, v, 0, NULL, 0) == 0;
		else
			hit = strcasestr(v, t->filter + (t->filter_inverse ? 1 : 0)) != NULL;
	}
	return hit != t->filter_inverse;
}

/* vis = the rows of src (n of them, in order) that pass the filter. */
static void refilter_from(struct sd_table *t, const int *src, int n)
{
	int i, k = 0;
	for (i = 0; i < n; i++)
		if (row_matches(t, src[i]))
			t->vis[k++] = src[i];
	t->nvis = k;
}

static void restore_sel(struct sd_table *t)
{
	if (t->sel_id[0] && sd_table_select_id(t, t->sel_id))
		return;
	if (t->sel >= t->nvis)
		t->sel = t->nvis - 1;
	if (t->sel < 0)
		t->sel = 0;
}

static void resort(struct sd_table *t)
{
	int i;
	for (i = 0; i < t->nrows; i++)
		t->order[i] = i;
	if (t->sort_col >= 0 && t->sort_col < t->ncols)
		qsort_r(t->order, (size_t)t->nrows, sizeof *t->order, cmp_rows, t);
	refilter_from(t, t->order, t->nrows);
}

void sd_table_end(struct sd_table *t)
{
	int c, i;
	free(t->order);
	free(t->vis);
	t->order = sd_calloc((size_t)(t->nrows ? t->nrows : 1), sizeof *t->order);
	t->vis = sd_calloc((size_t)(t->nrows ? t->nrows : 1), sizeof *t->vis);
	for (c = 0; c < t->ncols; c++) {
		int w = sd_utf8_width(t->cols[c].header) + 1;   /* room for the sort mark */
		for (i = 0; i < t->nrows; i++) {
			int cw = sd_utf8_width(sd_table_cell(t, i, c));
			w = cw > w ? cw : w;
		}
		int maxw = t->cols[c].maxw < 0 ? -t->cols[c].maxw : t->cols[c].maxw;
		if (maxw > 0 && w > maxw)
			w = maxw;
		t->width[c] = w > COL_CAP ? COL_CAP : w;
		t->hidden[c] = false;
		if (t->cols[c].maxw < 0) {
			t->hidden[c] = true;
			for (i = 0; i < t->nrows && t->hidden[c]; i++) {
				const char *v = sd_table_cell(t, i, c);
				t->hidden[c] = !v[0] || strcmp(v, "-") == 0;
			}
			if (t->hidden[c])
				t->width[c] = 0;
		}
	}
	resort(t);
	restore_sel(t);
}

bool sd_table_select_id(struct sd_table *t, const char *id)
{
	int i;
	for (i = 0; i < t->nvis; i++) {
		if (strcmp(sd_table_cell(t, t->vis[i], 0), id) == 0) {
			t->sel = i;
			return true;
		}
	}
	return false;
}

static bool has_regex_chars(const char *s)
{
	return strpbrk(s, "^$*+?()[]{}|\\") != NULL;
}

bool sd_table_set_filter(struct sd_table *t, const char *expr)
{
	bool was_plain = t->filter[0] && !t->filter_regex && !t->filter_inverse;
	char old[sizeof t->filter];
	const char *body;
	int r = sd_table_selected(t);

	if (r >= 0)
		sd_strlcpy(t->sel_id, sd_table_cell(t, r, 0), sizeof t->sel_id);
	sd_strlcpy(old, t->filter, sizeof old);
	drop_regex(t);
	sd_strlcpy(t->filter, expr ? expr : "", sizeof t->filter);
	t->filter_inverse = t->filter[0] == '!';
	body = t->filter + (t->filter_inverse ? 1 : 0);
	t->filter_ok = true;
	t->filter_err[0] = '\0';
	if (!*body) {
		t->filter[0] = '\0';
		t->filter_inverse = false;
	} else if (has_regex_chars(body)) {
		int rc = regcomp(&t->re, body, REG_EXTENDED | REG_ICASE | REG_NOSUB);
		t->filter_regex = true;
		if (rc != 0) {
			regerror(rc, &t->re, t->filter_err, sizeof t->filter_err);
			regfree(&t->re);
			t->filter_ok = false;
		}
	}
	if (t->vis && was_plain && !t->filter_regex && !t->filter_inverse && t->filter[0] &&
	    strstr(t->filter, old))
		refilter_from(t, t->vis, t->nvis);   /* narrowing: only the survivors */
	else if (t->vis)
		refilter_from(t, t->order, t->nrows);
	restore_sel(t);
	return t->filter_ok;
}

void sd_table_sort(struct sd_table *t, int col, bool rev)
{
	int r = sd_table_selected(t);
	if (col < 0 || col >= t->ncols)
		return;
	if (r >= 0)
		sd_strlcpy(t->sel_id, sd_table_cell(t, r, 0), sizeof t->sel_id);
	t->sort_col = col;
	t->sort_rev = rev;
	if (t->order)
		resort(t);
	restore_sel(t);
}

int sd_table_col_by_name(const struct sd_table *t, const char *name)
{
	int c;
	for (c = 0; c < t->ncols; c++)
		if (strcasecmp(t->cols[c].header, name) == 0)
			return c;
	for (c = 0; c < t->ncols; c++)   /* a prefix is enough when unique */
		if (strncasecmp(t->cols[c].header, name, strlen(name)) == 0)
			return c;
	return -1;
}

static void keep_visible(struct sd_table *t, int page)
{
	if (page < 1)
		page = 1;
	if (t->sel < t->top)
		t->top = t->sel;
	if (t->sel >= t->top + page)
		t->top = t->sel - page + 1;
	if (t->top > t->nvis - page)
		t->top = t->nvis - page;
	if (t->top < 0)
		t->top = 0;
}

int sd_table_move(struct sd_table *t, enum sd_tact a, int page)
{
	int old = t->sel, last = t->nvis - 1;
	switch (a) {
	case SD_TA_UP: t->sel--; break;
	case SD_TA_DOWN: t->sel++; break;
	case SD_TA_PGUP: t->sel -= page; t->top -= page; break;
	case SD_TA_PGDN: t->sel += page; t->top += page; break;
	case SD_TA_HOME: t->sel = 0; break;
	case SD_TA_END: t->sel = last; break;
	}
	if (t->sel > last)
		t->sel = last;
	if (t->sel < 0)
		t->sel = 0;
	keep_visible(t, page);
	return SD_TK_HANDLED | (t->sel != old ? SD_TK_MOVED : 0);
}

int sd_table_mouse(struct sd_table *t, int y, int x, bool wheel_up, bool wheel_down,
		   bool click)
{
	int body = t->h - 1, c, cx;
	if (y < t->y0 || y >= t->y0 + t->h || x < t->x0 || x >= t->x0 + t->w)
		return SD_TK_NONE;
	if (wheel_up || wheel_down) {
		int i;
		for (i = 0; i < 3; i++)
			sd_table_move(t, wheel_up ? SD_TA_UP : SD_TA_DOWN, body);
		return SD_TK_HANDLED | SD_TK_MOVED;
	}
	if (!click)
		return SD_TK_NONE;
	if (y == t->y0) {   /* header: sort by that column, again = reverse */
		for (c = 0, cx = t->x0 + 1; c < t->ncols; cx += t->width[c] + COL_GAP, c++) {
			if (t->hidden[c]) {
				cx -= COL_GAP;
				continue;
			}
			if (x < cx + t->width[c] + COL_GAP) {
				sd_table_sort(t, c, c == t->sort_col ? !t->sort_rev : false);
				return SD_TK_HANDLED | SD_TK_SORTED;
			}
		}
		return SD_TK_HANDLED;
	}
	c = t->top + (y - t->y0 - 1);
	if (c >= t->nvis)
		return SD_TK_HANDLED;
	if (c == t->sel)
		return SD_TK_HANDLED | SD_TK_ACTIVATE;
	t->sel = c;
	return SD_TK_HANDLED | SD_TK_MOVED;
}

enum sd_trole sd_status_role(const char *v)
{
	static const char *const ok[] = { "active", "REGISTERED", "yes", "up", "ok", "met" };
	static const char *const warn[] = { "requested", "admitted", "suspended", "stale",
					    "UNDISCOVERABLE", "minor", "warning", "raised" };
	static const char *const bad[] = { "rejected", "decommissioned", "SUSPENDED", "no",
					   "down", "OTHER", "missed", "critical", "major",
					   "breached", "BELOW" };
	static const char *const dim[] = { "no-data", "no data", "n/a", "cleared", "not judged" };
	size_t i;
	for (i = 0; i < SD_ARRAY_LEN(dim); i++)
		if (strcmp(v, dim[i]) == 0)
			return SD_T_DIM;
	for (i = 0; i < SD_ARRAY_LEN(ok); i++)
		if (strcmp(v, ok[i]) == 0)
			return SD_T_OK;
	for (i = 0; i < SD_ARRAY_LEN(warn); i++)
		if (strcmp(v, warn[i]) == 0)
			return SD_T_WARN;
	for (i = 0; i < SD_ARRAY_LEN(bad); i++)
		if (strcmp(v, bad[i]) == 0)
			return SD_T_BAD;
	return SD_T_NORMAL;
}

int sd_severity_rank(const char *sev)
{
	static const char *const order[] = { "critical", "major", "minor", "warning" };
	int i;
	for (i = 0; sev && i < (int)SD_ARRAY_LEN(order); i++)
		if (strcasecmp(sev, order[i]) == 0)
			return i;
	return (int)SD_ARRAY_LEN(order);
}

enum sd_trole sd_severity_role(const char *sev)
{
	static const enum sd_trole role[] = { SD_T_CRIT, SD_T_MAJOR, SD_T_MINOR, SD_T_WARNING,
					      SD_T_NORMAL };
	return role[sd_severity_rank(sev)];
}

static bool ascii_only;

void sd_table_ascii(bool on) { ascii_only = on; }

/* Without a UTF-8 locale each non-ASCII character becomes one '?' (the
 * terminal would otherwise get bytes it shows as several cells). */
static const char *fold(const char *s, char *buf, size_t n)
{
	size_t o = 0;
	if (!ascii_only)
		return s;
	for (; *s && o + 1 < n; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch < 0x80)
			buf[o++] = *s;
		else if ((ch & 0xC0) != 0x80)
			buf[o++] = '?';
	}
	buf[o] = '\0';
	return buf;
}

void sd_table_put(int y, int x, const char *s, int cols)
{
	char buf[1024];
	if (cols <= 0)
		return;
	s = fold(s, buf, sizeof buf);
	mvaddnstr(y, x, s, (int)sd_utf8_clip(s, cols));
}

/* Write s clipped to cols columns at (y,x), padded with spaces to cols. */
static void put_cell(int y, int x, const char *s, int cols, bool right)
{
	char buf[1100];
	int w;
	size_t n;
	if (cols <= 0)
		return;
	s = fold(s, buf, sizeof buf);
	w = sd_utf8_width(s);
	if (right && w < cols) {
		mvhline(y, x, ' ', cols - w);
		x += cols - w;
		cols = w;
	}
	n = sd_utf8_clip(s, cols);
	mvaddnstr(y, x, s, (int)n);
	{
		char shown[1100];   /* a wide character may not fit */
		snprintf(shown, sizeof shown, "%.*s", (int)n, s);
		w = sd_utf8_width(shown);
	}
	if (w < cols)
		mvhline(y, x + w, ' ', cols - w);
}

void sd_table_draw(struct sd_table *t, int y0, int x0, int h, int w,
		   const struct sd_theme *th, const struct sd_glyphs *g, bool focus)
{
	int c, x, i, body = h - 1;
	char head[96];

	t->y0 = y0; t->x0 = x0; t->h = h; t->w = w;
	if (h < 1 || w < 2)
		return;
	keep_visible(t, body);
	/* header, the sort column marked */
	attrset(th->attr[SD_T_HEADER]);
	mvhline(y0, x0, ' ', w);
	for (c = 0, x = x0 + 1; c < t->ncols && x < x0 + w; c++) {
		int cw = t->width[c];
		if (t->hidden[c])
			continue;
		if (x + cw > x0 + w)
			cw = x0 + w - x;
		/* a number column's header sits over its right-aligned values */
		if (c == t->sort_col) {
			snprintf(head, sizeof head, "%s%s", t->cols[c].header, t->sort_rev ? g->down : g->up);
			attrset(th->attr[SD_T_SORTED]);
			put_cell(y0, x, head, cw, t->cols[c].kind == SD_COL_NUM);
			attrset(th->attr[SD_T_HEADER]);
		} else {
			put_cell(y0, x, t->cols[c].header, cw, t->cols[c].kind == SD_COL_NUM);
		}
		x += t->width[c] + COL_GAP;
	}
	/* rows: only those on screen */
	for (i = 0; i < body; i++) {
		int vi = t->top + i, r, y = y0 + 1 + i;
		bool sel;
		if (vi >= t->nvis)
			break;
		r = t->vis[vi];
		sel = vi == t->sel;
		attrset(sel ? th->attr[SD_T_SEL] | (focus ? 0 : (int)A_DIM) : th->attr[SD_T_NORMAL]);
		mvhline(y, x0, ' ', w);
		for (c = 0, x = x0 + 1; c < t->ncols && x < x0 + w; c++) {
			const char *v = sd_table_cell(t, r, c);
			int cw = t->width[c];
			if (t->hidden[c])
				continue;
			if (x + cw > x0 + w || (c == t->ncols - 1 && t->cols[c].kind != SD_COL_NUM))
				cw = x0 + w - x;   /* the last text column takes the rest; a
						    * number stays under its header */
			if (!sel && t->cols[c].kind == SD_COL_STATUS)
				attrset(th->attr[sd_status_role(v)]);
			if (!sel && t->cols[c].kind == SD_COL_SEVERITY)
				attrset(th->attr[sd_severity_role(v)]);
			put_cell(y, x, v, cw, t->cols[c].kind == SD_COL_NUM);
			if (!sel && (t->cols[c].kind == SD_COL_STATUS || t->cols[c].kind == SD_COL_SEVERITY))
				attrset(th->attr[SD_T_NORMAL]);
			x += t->width[c] + COL_GAP;
		}
	}
	attrset(A_NORMAL);
}

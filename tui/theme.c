/* tui/theme.c — see theme.h. */
#include "tui/theme.h"

#include <curses.h>
#include <langinfo.h>
#include <math.h>
#include <string.h>

#include "core/util.h"

const char *const sd_theme_names[] = { "prod", "lab", "training", "mono", NULL };

bool sd_theme_known(const char *name)
{
	int i;
	for (i = 0; name && sd_theme_names[i]; i++)
		if (strcmp(name, sd_theme_names[i]) == 0)
			return true;
	return false;
}

const char *sd_theme_for_environment(const char *env)
{
	if (env && strcmp(env, "lab") == 0)
		return "lab";
	if (env && strcmp(env, "training") == 0)
		return "training";
	return "prod";
}

/* One role's colours; -1 = the terminal's default. */
struct pal_entry {
	enum sd_trole r;
	short fg, bg;
	int extra;
};

static void mono(struct sd_theme *th)
{
	memset(th->attr, 0, sizeof th->attr);
	th->attr[SD_T_TITLE] = A_REVERSE | A_BOLD;
	th->attr[SD_T_BADGE] = A_BOLD;
	th->attr[SD_T_TAB_ON] = A_REVERSE;
	th->attr[SD_T_HEADER] = A_BOLD | A_UNDERLINE;
	th->attr[SD_T_SORTED] = A_BOLD | A_UNDERLINE | A_REVERSE;
	th->attr[SD_T_SEL] = A_REVERSE;
	th->attr[SD_T_BAD] = A_BOLD;
	th->attr[SD_T_WARN] = A_UNDERLINE;
	th->attr[SD_T_DIM] = A_DIM;
	th->attr[SD_T_STATUS] = A_REVERSE;
	th->attr[SD_T_BANNER] = A_REVERSE | A_BOLD | A_BLINK;
	th->attr[SD_T_PROMPT] = A_BOLD;
	th->attr[SD_T_SPARK] = A_BOLD;
	th->attr[SD_T_CRIT] = A_REVERSE | A_BOLD;
	th->attr[SD_T_MAJOR] = A_BOLD;
	th->attr[SD_T_MINOR] = A_UNDERLINE;
	th->attr[SD_T_WARNING] = A_NORMAL;
	th->attr[SD_T_HEAT1] = A_BOLD;
	th->attr[SD_T_HEAT4] = A_BOLD;
}

void sd_theme_apply(struct sd_theme *th, const char *name, bool color)
{
	static const struct pal_entry prod[] = {
		{ SD_T_TITLE, COLOR_WHITE, COLOR_RED, A_BOLD },
		{ SD_T_BADGE, COLOR_YELLOW, COLOR_RED, A_BOLD | A_REVERSE },
		{ SD_T_TAB, COLOR_WHITE, -1, 0 },
		{ SD_T_TAB_ON, COLOR_BLACK, COLOR_YELLOW, A_BOLD },
		{ SD_T_HEADER, COLOR_YELLOW, -1, A_BOLD },
		{ SD_T_SORTED, COLOR_BLACK, COLOR_YELLOW, A_BOLD },
		{ SD_T_SEL, COLOR_WHITE, COLOR_RED, A_BOLD },
		{ SD_T_OK, COLOR_GREEN, -1, 0 },
		{ SD_T_WARN, COLOR_YELLOW, -1, A_BOLD },
		{ SD_T_BAD, COLOR_RED, -1, A_BOLD },
		{ SD_T_DIM, COLOR_WHITE, -1, A_DIM },
		{ SD_T_STATUS, COLOR_BLACK, COLOR_WHITE, 0 },
		{ SD_T_BANNER, COLOR_WHITE, COLOR_RED, A_BOLD },
		{ SD_T_PROMPT, COLOR_YELLOW, -1, A_BOLD },
		{ SD_T_SPARK, COLOR_YELLOW, -1, 0 },
		{ SD_T_CRIT, COLOR_WHITE, COLOR_RED, A_BOLD },
		{ SD_T_MAJOR, COLOR_RED, -1, A_BOLD },
		{ SD_T_MINOR, COLOR_YELLOW, -1, A_BOLD },
		{ SD_T_WARNING, COLOR_CYAN, -1, 0 },
		{ SD_T_HEAT1, COLOR_RED, -1, A_BOLD },
		{ SD_T_HEAT2, COLOR_YELLOW, -1, 0 },
		{ SD_T_HEAT3, COLOR_GREEN, -1, 0 },
		{ SD_T_HEAT4, COLOR_GREEN, -1, A_BOLD },
	}, lab[] = {
		{ SD_T_TITLE, COLOR_BLACK, COLOR_CYAN, A_BOLD },
		{ SD_T_BADGE, COLOR_BLACK, COLOR_GREEN, A_BOLD },
		{ SD_T_TAB, COLOR_CYAN, -1, 0 },
		{ SD_T_TAB_ON, COLOR_BLACK, COLOR_CYAN, A_BOLD },
		{ SD_T_HEADER, COLOR_CYAN, -1, A_BOLD },
		{ SD_T_SORTED, COLOR_BLACK, COLOR_CYAN, A_BOLD },
		{ SD_T_SEL, COLOR_BLACK, COLOR_CYAN, 0 },
		{ SD_T_OK, COLOR_GREEN, -1, 0 },
		{ SD_T_WARN, COLOR_YELLOW, -1, 0 },
		{ SD_T_BAD, COLOR_RED, -1, A_BOLD },
		{ SD_T_DIM, COLOR_BLUE, -1, 0 },
		{ SD_T_STATUS, COLOR_BLACK, COLOR_BLUE, 0 },
		{ SD_T_BANNER, COLOR_WHITE, COLOR_MAGENTA, A_BOLD },
		{ SD_T_PROMPT, COLOR_GREEN, -1, A_BOLD },
		{ SD_T_SPARK, COLOR_GREEN, -1, 0 },
		{ SD_T_CRIT, COLOR_WHITE, COLOR_RED, A_BOLD },
		{ SD_T_MAJOR, COLOR_RED, -1, A_BOLD },
		{ SD_T_MINOR, COLOR_YELLOW, -1, 0 },
		{ SD_T_WARNING, COLOR_CYAN, -1, 0 },
		{ SD_T_HEAT1, COLOR_RED, -1, A_BOLD },
		{ SD_T_HEAT2, COLOR_YELLOW, -1, 0 },
		{ SD_T_HEAT3, COLOR_GREEN, -1, 0 },
		{ SD_T_HEAT4, COLOR_GREEN, -1, A_BOLD },
	};
	size_t i, n = 0;
	const struct pal_entry *pal;

	th->name = sd_theme_known(name) ? name : "lab";
	th->badge = strcmp(th->name, "prod") == 0 ? " PRODUCTION " :
		    strcmp(th->name, "lab") == 0 ? " lab " :
		    strcmp(th->name, "training") == 0 ? " TRAINING " : " mono ";
	mono(th);
	if (!color || strcmp(th->name, "mono") == 0)
		return;
	if (strcmp(th->name, "prod") == 0) {
		pal = prod;
		n = SD_ARRAY_LEN(prod);
	} else {
		pal = lab;
		n = SD_ARRAY_LEN(lab);
	}
	th->attr[SD_T_BANNER] &= ~A_BLINK;
	for (i = 0; i < n; i++) {
		const struct pal_entry *e = &pal[i];
		init_pair((short)(e->r + 1), e->fg, e->bg);
		th->attr[e->r] = (int)COLOR_PAIR(e->r + 1) | e->extra;
	}
}

void sd_glyphs_init(struct sd_glyphs *g, bool force_ascii)
{
	static const char *const uspark[8] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
	static const char *const aspark[8] = { "_", ".", ",", "-", "=", "+", "*", "#" };
	const char *cs = nl_langinfo(CODESET);
	int i;
	g->utf8 = !force_ascii && cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
	for (i = 0; i < 8; i++)
		g->spark[i] = g->utf8 ? uspark[i] : aspark[i];
	g->up = g->utf8 ? "▲" : "^";
	g->down = g->utf8 ? "▼" : "v";
	g->sep = g->utf8 ? " › " : " > ";
	g->dot = g->utf8 ? "●" : "*";
	g->hline = g->utf8 ? "─" : "-";
}

/* Levels 1-4 are measured squares, 5-8 the same levels predicted: the
 * predicted glyphs are lighter, and the same in ASCII and UTF-8 so that a
 * screen without colour still tells them apart. */
const char *sd_heat_glyph(const struct sd_glyphs *g, char level, enum sd_trole *role)
{
	static const char *const ascii[9] = { " ", "x", "-", "+", "#", "o", ",", ":", "=" };
	static const char *const utf8[9] = { "·", "░", "▒", "▓", "█", "o", ",", ":", "=" };
	static const enum sd_trole roles[9] = { SD_T_DIM, SD_T_HEAT1, SD_T_HEAT2, SD_T_HEAT3,
						SD_T_HEAT4, SD_T_HEAT1, SD_T_HEAT2, SD_T_HEAT3,
						SD_T_HEAT4 };
	int lv = level >= '1' && level <= '8' ? level - '0' : 0;
	if (role)
		*role = roles[lv];
	return g && g->utf8 ? utf8[lv] : ascii[lv];
}

void sd_sparkline(const struct sd_glyphs *g, const double *v, int n, int width,
		  char *buf, size_t bufsz)
{
	double lo = INFINITY, hi = -INFINITY;
	size_t off = 0;
	int i, start = n > width ? n - width : 0;

	buf[0] = '\0';
	for (i = start; i < n; i++) {
		if (isnan(v[i]))
			continue;
		lo = v[i] < lo ? v[i] : lo;
		hi = v[i] > hi ? v[i] : hi;
	}
	for (i = start; i < n; i++) {
		const char *glyph;
		size_t len;
		if (isnan(v[i]))
			glyph = " ";
		else if (hi <= lo)
			glyph = g->spark[hi > 0 ? 3 : 0];
		else
			glyph = g->spark[(int)((v[i] - lo) / (hi - lo) * 7.0 + 0.5)];
		len = strlen(glyph);
		if (off + len + 1 > bufsz)
			break;
		memcpy(buf + off, glyph, len);
		off += len;
	}
	buf[off] = '\0';
}

/* tui/theme.h — colours per environment and the glyph set (UTF-8 or ASCII).
 *
 * A theme maps roles (title bar, header, selection, status colours ...) to
 * curses attributes. One theme per environment, as k9s skins per context:
 * "prod" is loud (red title bar, PRODUCTION badge), "lab" calm, "training"
 * the lab colours with a TRAINING badge (a drill on a simulator), "mono" uses
 * only bold/reverse/underline (also what NO_COLOR and terminals without
 * colour get).
 */
#ifndef SD_TUI_THEME_H
#define SD_TUI_THEME_H

#include <stdbool.h>
#include <stddef.h>

enum sd_trole {
	SD_T_NORMAL, SD_T_TITLE, SD_T_BADGE, SD_T_TAB, SD_T_TAB_ON, SD_T_HEADER,
	SD_T_SORTED, SD_T_SEL, SD_T_OK, SD_T_WARN, SD_T_BAD, SD_T_DIM, SD_T_STATUS,
	SD_T_BANNER, SD_T_PROMPT, SD_T_SPARK,
	/* alarm severities (X.733) */
	SD_T_CRIT, SD_T_MAJOR, SD_T_MINOR, SD_T_WARNING,
	/* heat map levels: failing, fair, good, excellent */
	SD_T_HEAT1, SD_T_HEAT2, SD_T_HEAT3, SD_T_HEAT4,
	SD_T_COUNT
};

struct sd_theme {
	const char *name;
	const char *badge;              /* shown in the title bar, "" = none */
	int attr[SD_T_COUNT];           /* curses attributes, after sd_theme_apply */
};

struct sd_glyphs {
	bool utf8;
	const char *spark[8];           /* lowest .. highest */
	const char *up, *down;          /* sort direction */
	const char *sep;                /* breadcrumb separator */
	const char *dot;                /* connection state */
	const char *hline;              /* section rule */
};

/* Names of the known themes, NULL-terminated. */
extern const char *const sd_theme_names[];
bool sd_theme_known(const char *name);

/* Set up colour pairs for the named theme (after initscr/start_color) and
 * fill th. color=false gives the monochrome rendering of any theme. */
void sd_theme_apply(struct sd_theme *th, const char *name, bool color);
/* The theme for the engine's engine.environment word (hello's
 * "environment"): production -> prod, lab -> lab, training -> training;
 * an unknown or missing word -> prod (err towards caution). */
const char *sd_theme_for_environment(const char *env);

/* The glyph set for the current locale: UTF-8 when nl_langinfo(CODESET)
 * says so (call after setlocale), else plain ASCII. */
void sd_glyphs_init(struct sd_glyphs *g, bool force_ascii);

/* One heat map square: level is the engine's digit ('0' no data, '1'
 * failing, '2' fair, '3' good, '4' excellent; anything else counts as no
 * data). Returns the glyph (ASCII: ' ' 'x' '-' '+' '#'; UTF-8: shade
 * blocks, denser = better) and sets *role to its theme role. */
const char *sd_heat_glyph(const struct sd_glyphs *g, char level, enum sd_trole *role);

/* Render values (oldest first) as a sparkline of at most width glyphs into
 * buf (the newest values win when there are more). NAN = gap. */
void sd_sparkline(const struct sd_glyphs *g, const double *v, int n, int width,
		  char *buf, size_t bufsz);

#endif

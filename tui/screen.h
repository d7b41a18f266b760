/* tui/screen.h — the interactive console. */
#ifndef SD_TUI_SCREEN_H
#define SD_TUI_SCREEN_H

#include <stdbool.h>

struct sd_screen_opts {
	int refresh_s;      /* apply engine pushes at most this often, seconds (default 2) */
	bool readonly;      /* never offer actions, whatever the role */
	const char *theme;  /* prod | lab | training | mono; NULL = $SLICEDECK_THEME,
	                       else the engine's engine.environment */
	const char *view;   /* start view name or alias; NULL = overview */
};

/* Run until the user quits. Returns the process exit status; fails fast
 * (before taking the terminal) with a message when the engine is not
 * reachable. */
int sd_screen_run(const char *socket_path, const struct sd_screen_opts *o);

/* true when name is a view the console can start in (for --view). */
bool sd_screen_view_known(const char *name);

#endif

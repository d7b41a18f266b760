/* tui/screen.h — the interactive console. */
#ifndef SD_TUI_SCREEN_H
#define SD_TUI_SCREEN_H

struct sd_screen_opts {
	int refresh_s;      /* redraw period, seconds (default 2) */
};

/* Run until the user quits. Returns the process exit status; fails fast
 * (before taking the terminal) with a message when the engine is not
 * reachable. */
int sd_screen_run(const char *socket_path, const struct sd_screen_opts *o);

#endif

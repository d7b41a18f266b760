/* tui/ptyterm.h — a curses screen on a pseudo-terminal, for headless runs
 * of the render code (unit tests under sanitizers, the benchmark). The
 * master side is drained by a thread so refresh() never blocks; the bytes
 * ncurses sent are counted. */
#ifndef SD_TUI_PTYTERM_H
#define SD_TUI_PTYTERM_H

#include <stddef.h>

struct sd_ptyterm;

/* A rows x cols terminal of type term (e.g. "xterm-256color"), made the
 * current curses screen. NULL with a message on stderr on failure. */
struct sd_ptyterm *sd_ptyterm_open(const char *term, int rows, int cols);
/* Bytes the terminal received so far. */
size_t sd_ptyterm_bytes(struct sd_ptyterm *p);
void sd_ptyterm_close(struct sd_ptyterm *p);

#endif

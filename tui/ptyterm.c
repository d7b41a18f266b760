/* tui/ptyterm.c — see ptyterm.h. */
#include "tui/ptyterm.h"

#include <curses.h>
#include <errno.h>
#include <pthread.h>
#include <pty.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "core/util.h"

struct sd_ptyterm {
	int master, slave;
	FILE *out, *in;
	SCREEN *scr;
	pthread_t drain;
	atomic_size_t bytes;
};

/* Read the terminal's side until the slave is closed. */
static void *drain(void *arg)
{
	struct sd_ptyterm *p = arg;
	char buf[65536];
	for (;;) {
		ssize_t n = read(p->master, buf, sizeof buf);
		if (n > 0) {
			atomic_fetch_add(&p->bytes, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		return NULL;   /* EIO once the slave side is gone */
	}
}

struct sd_ptyterm *sd_ptyterm_open(const char *term, int rows, int cols)
{
	struct sd_ptyterm *p = sd_calloc(1, sizeof *p);
	struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
	if (openpty(&p->master, &p->slave, NULL, NULL, &ws) < 0) {
		fprintf(stderr, "openpty: %s\n", strerror(errno));
		free(p);
		return NULL;
	}
	p->out = fdopen(p->slave, "w");
	p->in = fdopen(dup(p->slave), "r");
	if (!p->out || !p->in || pthread_create(&p->drain, NULL, drain, p) != 0) {
		fprintf(stderr, "ptyterm: cannot set up the terminal\n");
		exit(1);
	}
	p->scr = newterm(term, p->out, p->in);
	if (!p->scr) {
		fprintf(stderr, "newterm(%s) failed (no terminfo?)\n", term);
		exit(1);
	}
	set_term(p->scr);
	resizeterm(rows, cols);
	return p;
}

size_t sd_ptyterm_bytes(struct sd_ptyterm *p)
{
	return atomic_load(&p->bytes);
}

void sd_ptyterm_close(struct sd_ptyterm *p)
{
	if (!p)
		return;
	endwin();
	delscreen(p->scr);
	fclose(p->out);
	fclose(p->in);
	pthread_join(p->drain, NULL);
	close(p->master);
	free(p);
}

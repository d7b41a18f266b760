/* tui/screen.c — the interactive console (first cut: factories and their
 * slices, live). The engine pushes changes; this screen renders them.
 *
 * The loop (after htop's ScreenManager): poll stdin and the engine socket
 * with the next refresh as timeout; drain input; redraw once per turn and
 * let ncurses send only the cells that changed. The terminal is restored on
 * every exit path, crash signals included. A lost engine shows a banner and
 * is reconnected with backoff; the screen never blocks on it.
 */
#include "tui/screen.h"

#include <curses.h>
#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/util.h"
#include "tui/cli.h"
#include "tui/client.h"

enum { PAIR_TITLE = 1, PAIR_HEADER, PAIR_SEL, PAIR_BANNER, PAIR_DIM, PAIR_OK, PAIR_WARN };

struct screen {
	const char *socket_path;
	int refresh_ms;
	struct sd_client cl;
	bool connected;
	int64_t next_try_ms;
	int backoff_ms;
	json_t *factories;   /* latest pushed lists */
	json_t *slices;
	int sel;             /* selected row */
	int top;             /* first row shown */
	char banner[256];
	bool color;
};

static volatile sig_atomic_t quit_flag;
static volatile sig_atomic_t curses_on;

static void restore_terminal(void)
{
	if (curses_on) {
		curses_on = 0;
		endwin();
	}
}

static void on_quit_signal(int sig) { (void)sig; quit_flag = 1; }

/* A crash must not leave the NOC engineer's terminal in raw mode. */
static void on_crash_signal(int sig)
{
	restore_terminal();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_signals(void)
{
	static const int crash[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	struct sigaction sa = { 0 };
	size_t i;
	sa.sa_handler = on_quit_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_crash_signal;
	for (i = 0; i < SD_ARRAY_LEN(crash); i++)
		sigaction(crash[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void try_connect(struct screen *s)
{
	json_t *params, *res;
	if (sd_client_connect(&s->cl, s->socket_path, 3000) < 0) {
		snprintf(s->banner, sizeof s->banner, "engine unreachable: %s — retrying in %ds",
			 s->cl.err, s->backoff_ms / 1000);
		sd_client_close(&s->cl);
		s->next_try_ms = sd_now_ms() + s->backoff_ms;
		s->backoff_ms = s->backoff_ms * 2 > 30000 ? 30000 : s->backoff_ms * 2;
		return;
	}
	params = json_pack("{s:[s,s]}", "topics", "factories", "slices");
	res = sd_client_call(&s->cl, "subscribe", params, 3000);
	json_decref(params);
	if (!res) {
		snprintf(s->banner, sizeof s->banner, "subscribe failed: %s", s->cl.err);
		sd_client_close(&s->cl);
		s->next_try_ms = sd_now_ms() + s->backoff_ms;
		return;
	}
	json_decref(res);
	s->connected = true;
	s->backoff_ms = 1000;
	s->banner[0] = '\0';
}

static void take_events(struct screen *s)
{
	json_t *ev;
	while ((ev = sd_client_next_event(&s->cl))) {
		const char *topic = json_string_value(json_object_get(ev, "event"));
		json_t *data = json_object_get(ev, "data");
		if (topic && strcmp(topic, "factories") == 0) {
			json_decref(s->factories);
			s->factories = json_incref(json_object_get(data, "factories"));
		} else if (topic && strcmp(topic, "slices") == 0) {
			json_decref(s->slices);
			s->slices = json_incref(json_object_get(data, "slices"));
		}
		json_decref(ev);
	}
}

/* Rows of the tree: each factory followed by its slices. Returns the count;
 * with out != NULL fills (factory, slice) pairs (slice NULL = factory row). */
struct row { const json_t *factory; const json_t *slice; };

static int build_rows(const struct screen *s, struct row *out, int max)
{
	size_t i, j;
	const json_t *f, *sl;
	int n = 0;
	json_array_foreach(s->factories, i, f) {
		const char *fid = json_string_value(json_object_get(f, "id"));
		if (out && n < max)
			out[n] = (struct row){ f, NULL };
		n++;
		json_array_foreach(s->slices, j, sl) {
			if (!fid || !sd_streq(fid, json_string_value(json_object_get(sl, "factory"))))
				continue;
			if (out && n < max)
				out[n] = (struct row){ f, sl };
			n++;
		}
	}
	return n;
}

static void put_clipped(int y, int x, int maxw, const char *text)
{
	if (maxw > 0)
		mvaddnstr(y, x, text, maxw);
}

static void draw(struct screen *s)
{
	int rows, cols, nrows, i, y, body;
	struct row *r;
	char line[512], a[128], b[128], c[128], d[128], e[128];
	const json_t *hello = s->cl.hello;
	time_t now = time(NULL);
	struct tm tm;

	getmaxyx(stdscr, rows, cols);
	erase();   /* into the virtual screen only; refresh() sends the diff */

	/* title: whose view this is */
	if (s->color)
		attron(COLOR_PAIR(PAIR_TITLE) | A_BOLD);
	mvhline(0, 0, ' ', cols);
	if (hello) {
		sd_cli_cell(hello, "zone", a, sizeof a);
		sd_cli_cell(hello, "role", b, sizeof b);
		sd_cli_cell(hello, "factory_name", c, sizeof c);
		if (strcmp(b, "factory") == 0)
			snprintf(line, sizeof line, " slicedeck | %s | factory view: %s", a, c);
		else
			snprintf(line, sizeof line, " slicedeck | %s | %s view: all factories", a, b);
	} else {
		snprintf(line, sizeof line, " slicedeck | not connected");
	}
	put_clipped(0, 0, cols, line);
	if (s->color)
		attroff(COLOR_PAIR(PAIR_TITLE) | A_BOLD);

	attron(A_BOLD);
	snprintf(line, sizeof line, " %-24s %-11s %-12s %-22s %-10s %s",
		 "FACTORY / SLICE", "MODE/S-NSSAI", "LEVEL/STATE", "INDUSTRY / SCENARIO", "GRADE/5QI", "LAT_MS");
	put_clipped(1, 0, cols, line);
	attroff(A_BOLD);

	body = rows - 3;
	nrows = build_rows(s, NULL, 0);
	if (s->sel >= nrows)
		s->sel = nrows ? nrows - 1 : 0;
	if (s->sel < s->top)
		s->top = s->sel;
	if (body > 0 && s->sel >= s->top + body)
		s->top = s->sel - body + 1;
	r = sd_calloc((size_t)(nrows ? nrows : 1), sizeof *r);
	build_rows(s, r, nrows);
	for (i = s->top, y = 2; i < nrows && y < rows - 1; i++, y++) {
		if (!r[i].slice) {
			sd_cli_cell(r[i].factory, "id", a, sizeof a);
			sd_cli_cell(r[i].factory, "mode", b, sizeof b);
			sd_cli_cell(r[i].factory, "level", c, sizeof c);
			sd_cli_cell(r[i].factory, "industry", d, sizeof d);
			sd_cli_cell(r[i].factory, "security_grade", e, sizeof e);
			snprintf(line, sizeof line, " %-24.24s %-11.11s %-12.12s %-22.22s %-10s",
				 a, b, c, d, e);
			attron(A_BOLD);
		} else {
			char lat[32];
			sd_cli_cell(r[i].slice, "id", a, sizeof a);
			sd_cli_cell(r[i].slice, "snssai", b, sizeof b);
			sd_cli_cell(r[i].slice, "state", c, sizeof c);
			sd_cli_cell(r[i].slice, "scenario", d, sizeof d);
			sd_cli_cell(r[i].slice, "sla.fiveqi", e, sizeof e);
			sd_cli_cell(r[i].slice, "sla.latency_ms", lat, sizeof lat);
			snprintf(line, sizeof line, "   %-22.22s %-11.11s %-12.12s %-22.22s %-10s %s",
				 a, b, c, d, e, lat);
		}
		if (i == s->sel)
			attron(s->color ? COLOR_PAIR(PAIR_SEL) : A_REVERSE);
		mvhline(y, 0, ' ', cols);
		put_clipped(y, 0, cols, line);
		if (r[i].slice) {
			mvaddch(y, 1, ACS_LLCORNER);
			mvaddch(y, 2, ACS_HLINE);
		}
		attroff(A_BOLD | A_REVERSE | (s->color ? COLOR_PAIR(PAIR_SEL) : 0));
	}
	free(r);

	/* banner: a lost engine is said loudly, never hidden */
	if (s->banner[0]) {
		if (s->color)
			attron(COLOR_PAIR(PAIR_BANNER) | A_BOLD);
		else
			attron(A_REVERSE | A_BOLD);
		mvhline(rows / 2, 0, ' ', cols);
		put_clipped(rows / 2, 1, cols - 2, s->banner);
		attroff(A_REVERSE | A_BOLD | (s->color ? COLOR_PAIR(PAIR_BANNER) : 0));
	}

	/* status bar */
	localtime_r(&now, &tm);
	strftime(a, sizeof a, "%H:%M:%S", &tm);
	if (hello)
		sd_cli_cell(hello, "user", b, sizeof b);
	else
		snprintf(b, sizeof b, "-");
	snprintf(line, sizeof line, " %s | engine %s | user %s | refresh %ds | %d rows | q quit, arrows move",
		 a, s->connected ? "connected" : "DISCONNECTED", b, s->refresh_ms / 1000, nrows);
	attron(A_REVERSE);
	mvhline(rows - 1, 0, ' ', cols);
	put_clipped(rows - 1, 0, cols, line);
	attroff(A_REVERSE);
	refresh();
}

static void lost_engine(struct screen *s)
{
	take_events(s);
	snprintf(s->banner, sizeof s->banner, "lost the engine connection — reconnecting");
	sd_client_close(&s->cl);
	s->connected = false;
	s->next_try_ms = sd_now_ms() + s->backoff_ms;
}

static bool handle_key(struct screen *s, int ch)
{
	int rows = LINES - 3, n = build_rows(s, NULL, 0);
	switch (ch) {
	case 'q': case 'Q': return false;
	case KEY_UP: case 'k': if (s->sel > 0) s->sel--; break;
	case KEY_DOWN: case 'j': if (s->sel + 1 < n) s->sel++; break;
	case KEY_PPAGE: s->sel = s->sel > rows ? s->sel - rows : 0; break;
	case KEY_NPAGE: s->sel = s->sel + rows < n ? s->sel + rows : (n ? n - 1 : 0); break;
	case KEY_HOME: case 'g': s->sel = 0; break;
	case KEY_END: case 'G': s->sel = n ? n - 1 : 0; break;
	default: break;
	}
	return true;
}

int sd_screen_run(const char *socket_path, const struct sd_screen_opts *o)
{
	struct screen s = { .socket_path = socket_path, .backoff_ms = 1000 };
	bool running = true;

	s.refresh_ms = (o && o->refresh_s > 0 ? o->refresh_s : 2) * 1000;
	s.cl.fd = -1;
	s.factories = json_array();
	s.slices = json_array();
	/* fail fast, before taking the terminal, when the engine is not there */
	try_connect(&s);
	if (!s.connected) {
		fprintf(stderr, "slicedeck: %s\n", s.cl.err);
		json_decref(s.factories);
		json_decref(s.slices);
		return 1;
	}
	setlocale(LC_ALL, "");
	install_signals();
	atexit(restore_terminal);
	initscr();
	curses_on = 1;
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	s.color = has_colors() && !getenv("NO_COLOR");
	if (s.color) {
		start_color();
		use_default_colors();
		init_pair(PAIR_TITLE, COLOR_WHITE, COLOR_BLUE);
		init_pair(PAIR_SEL, COLOR_BLACK, COLOR_CYAN);
		init_pair(PAIR_BANNER, COLOR_WHITE, COLOR_RED);
	}

	while (running && !quit_flag) {
		struct pollfd pfd[2] = { { .fd = STDIN_FILENO, .events = POLLIN },
					 { .fd = s.connected ? s.cl.fd : -1, .events = POLLIN } };
		int ch, timeout = s.refresh_ms;
		if (!s.connected && sd_now_ms() >= s.next_try_ms)
			try_connect(&s);
		/* events may already sit in the client's buffer (they arrived
		 * with a reply): poll() would not report them */
		if (s.connected && sd_client_pump(&s.cl) < 0)
			lost_engine(&s);
		take_events(&s);
		draw(&s);
		if (!s.connected) {
			int64_t w = s.next_try_ms - sd_now_ms();
			timeout = w < 0 ? 0 : (w < timeout ? (int)w : timeout);
		}
		if (poll(pfd, 2, timeout) < 0 && errno != EINTR)
			break;
		if (s.connected && (pfd[1].revents & (POLLIN | POLLHUP | POLLERR))) {
			if (sd_client_pump(&s.cl) < 0)
				lost_engine(&s);
		}
		while ((ch = getch()) != ERR)
			if (!handle_key(&s, ch))
				running = false;
	}
	restore_terminal();
	sd_client_close(&s.cl);
	json_decref(s.factories);
	json_decref(s.slices);
	return 0;
}

/* tui/screen.c — the interactive console: the loop, the key bindings, the
 * ":" command line and "/" filter, and the frame around the views.
 *
 * The loop (after htop's ScreenManager): poll stdin and the engine socket
 * with the next clock tick as timeout; drain input; redraw once per turn
 * into the virtual screen (erase + write) and let ncurses send only the
 * cells that changed — no clear() per frame, so no flicker. The terminal
 * is restored on every exit path, crash signals included. A lost engine
 * shows a banner and is reconnected with backoff; the screen never waits
 * on it (requests after the handshake are sent without waiting and their
 * replies taken from the event queue).
 *
 * Key bindings are one const table; the "?" help view is generated from
 * it, so help cannot drift from what the keys do.
 */
#include "tui/screen.h"

#include <curses.h>
#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/util.h"
#include "tui/cli.h"
#include "tui/ui.h"

#define CONNECT_TIMEOUT_MS 3000
#define RECONNECT_TIMEOUT_MS 1000
#define BACKOFF_MAX_MS 30000

/* --- key bindings ----------------------------------------------------------- */

enum act {
	A_NONE, A_UP, A_DOWN, A_PGUP, A_PGDN, A_HOME, A_END, A_ENTER, A_BACK,
	A_FILTER, A_CMD, A_HELP, A_NEXTVIEW, A_PREVVIEW,
	A_OV, A_FAC, A_SL, A_NF, A_CELL, A_SITE,
	A_SORTCOL, A_SORTNEXT, A_SORTPREV, A_SORTREV, A_ACK, A_CLEARED, A_REDRAW, A_QUIT,
};

struct action_def {
	enum act act;
	const char *help;
};

/* In help order. */
static const struct action_def actions[] = {
	{ A_UP, "move up" }, { A_DOWN, "move down" },
	{ A_PGUP, "page up" }, { A_PGDN, "page down" },
	{ A_HOME, "first row" }, { A_END, "last row" },
	{ A_ENTER, "drill down: factory > slices > slice > NF/cell; SLA row > slice; site > heat map" },
	{ A_BACK, "clear the filter, else back along the breadcrumb" },
	{ A_FILTER, "filter: text, regex (^$*+?()[]{}|\\), !inverse" },
	{ A_CMD, "command: :sl :fac :nf :cell :site :al :sla :cov :ov :sort COL :theme T :q" },
	{ A_HELP, "this help" },
	{ A_NEXTVIEW, "next view" }, { A_PREVVIEW, "previous view" },
	{ A_OV, "overview" }, { A_FAC, "factories" }, { A_SL, "slices" },
	{ A_NF, "NF instances" }, { A_CELL, "cells" }, { A_SITE, "sites" },
	{ A_SORTCOL, "sort by column N (again: reverse)" },
	{ A_SORTNEXT, "sort by the next column" }, { A_SORTPREV, "sort by the previous column" },
	{ A_SORTREV, "reverse the sort order" },
	{ A_ACK, "alarms view: acknowledge the selected alarm (operator role)" },
	{ A_CLEARED, "alarms view: show / hide cleared alarms" },
	{ A_REDRAW, "repaint the whole terminal" },
	{ A_QUIT, "quit" },
};

struct binding {
	int key;
	const char *label;    /* NULL: an alias not worth listing */
	enum act act;
};

static const struct binding bindings[] = {
	{ KEY_UP, "Up", A_UP }, { 'k', "k", A_UP },
	{ KEY_DOWN, "Down", A_DOWN }, { 'j', "j", A_DOWN },
	{ KEY_PPAGE, "PgUp", A_PGUP }, { 2, "^B", A_PGUP },
	{ KEY_NPAGE, "PgDn", A_PGDN }, { 6, "^F", A_PGDN }, { ' ', "Space", A_PGDN },
	{ KEY_HOME, "Home", A_HOME }, { 'g', "g", A_HOME },
	{ KEY_END, "End", A_END }, { 'G', "G", A_END },
	{ '\n', "Enter", A_ENTER }, { '\r', NULL, A_ENTER }, { KEY_ENTER, NULL, A_ENTER },
	{ KEY_RIGHT, "Right", A_ENTER }, { 'l', "l", A_ENTER },
	{ 27, "Esc", A_BACK }, { KEY_LEFT, "Left", A_BACK }, { 'h', "h", A_BACK },
	{ KEY_BACKSPACE, "Bksp", A_BACK }, { 127, NULL, A_BACK },
	{ '/', "/", A_FILTER }, { ':', ":", A_CMD }, { '?', "?", A_HELP }, { KEY_F(1), "F1", A_HELP },
	{ '\t', "Tab", A_NEXTVIEW }, { KEY_BTAB, "S-Tab", A_PREVVIEW },
	{ 'o', "o", A_OV }, { 'f', "f", A_FAC }, { 's', "s", A_SL },
	{ 'n', "n", A_NF }, { 'c', "c", A_CELL }, { 't', "t", A_SITE },
	{ '1', "1..9", A_SORTCOL }, { '2', NULL, A_SORTCOL }, { '3', NULL, A_SORTCOL },
	{ '4', NULL, A_SORTCOL }, { '5', NULL, A_SORTCOL }, { '6', NULL, A_SORTCOL },
	{ '7', NULL, A_SORTCOL }, { '8', NULL, A_SORTCOL }, { '9', NULL, A_SORTCOL },
	{ '>', ">", A_SORTNEXT }, { '.', NULL, A_SORTNEXT },
	{ '<', "<", A_SORTPREV }, { ',', NULL, A_SORTPREV },
	{ 'R', "R", A_SORTREV }, { 'r', "r", A_SORTREV },
	{ 'a', "a", A_ACK }, { 'C', "C", A_CLEARED },
	{ 12, "^L", A_REDRAW },
	{ 'q', "q", A_QUIT }, { 'Q', NULL, A_QUIT },
};

/* ":" commands besides the views (which are commands by name and alias). */
enum cmd { C_QUIT, C_HELP, C_SORT, C_THEME, C_BACK };
static const struct {
	const char *names;    /* comma-separated, first is the name */
	enum cmd cmd;
	const char *help;
} commands[] = {
	{ "quit,q,q!,exit", C_QUIT, "quit" },
	{ "help,?", C_HELP, "keys and commands" },
	{ "sort", C_SORT, "sort COLUMN [desc]: sort by a column (name or prefix)" },
	{ "theme", C_THEME, "theme prod|lab|training|mono" },
	{ "back", C_BACK, "one level back" },
};

/* --- terminal restore --------------------------------------------------------- */

static volatile sig_atomic_t quit_flag;
static volatile sig_atomic_t curses_on;

static void restore_terminal(void)
{
	if (curses_on) {
		curses_on = 0;
		mousemask(0, NULL);
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
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < SD_ARRAY_LEN(crash); i++)
		sigaction(crash[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* --- frames -------------------------------------------------------------------- */

struct sd_frame *sd_ui_top(struct sd_ui *u)
{
	return u->depth ? u->stack[u->depth - 1] : NULL;
}

static void frame_free(struct sd_frame *f)
{
	sd_table_done(&f->table);
	free(f);
}

void sd_ui_push(struct sd_ui *u, enum sd_view_id v, const char *arg, const char *filter)
{
	const struct sd_view_def *def = &sd_views[v];
	struct sd_frame *f = sd_calloc(1, sizeof *f);
	f->view = v;
	sd_strlcpy(f->arg, arg ? arg : "", sizeof f->arg);
	sd_table_init(&f->table, def->cols, def->ncols);
	f->table.sort_col = def->default_sort;
	if (filter) {
		sd_table_set_filter(&f->table, filter);
		sd_strlcpy(f->preset, filter, sizeof f->preset);
	}
	if (u->depth == SD_MAX_DEPTH) {   /* the oldest crumb falls off */
		frame_free(u->stack[0]);
		memmove(u->stack, u->stack + 1, (SD_MAX_DEPTH - 1) * sizeof *u->stack);
		u->depth--;
	}
	u->stack[u->depth++] = f;
	sd_ui_build(u, f);
}

static void pop_frame(struct sd_ui *u)
{
	if (u->depth > 1)
		frame_free(u->stack[--u->depth]);
}

/* A view switch starts a new breadcrumb. */
static void reset_to(struct sd_ui *u, enum sd_view_id v, const char *filter)
{
	while (u->depth)
		frame_free(u->stack[--u->depth]);
	sd_ui_push(u, v, NULL, filter);
}

void sd_ui_build(struct sd_ui *u, struct sd_frame *f)
{
	const struct sd_view_def *def = &sd_views[f->view];
	unsigned sum = 0;
	int s;
	for (s = 0; s < SD_SRC_COUNT; s++)
		if (def->deps & (1u << s))
			sum += u->d.gen[s];
	if (f->ever_built && sum == f->built)
		return;
	def->build(u, f);
	f->built = sum;
	f->ever_built = true;
}

void sd_ui_message(struct sd_ui *u, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(u->msg, sizeof u->msg, fmt, ap);
	va_end(ap);
	u->msg_until_ms = sd_now_ms() + 4000;
}

const char *sd_ui_role(const struct sd_ui *u)
{
	const char *r = json_string_value(json_object_get(u->cl.hello, "role"));
	return r ? r : "-";
}

/* The help view: one row per action (its keys from the binding table), then
 * the ":" commands and the views' names and aliases. */
void sd_ui_help_rows(struct sd_ui *u, struct sd_table *t)
{
	char keys[128], what[256];
	const char *row[2] = { keys, what };
	size_t a, b;
	int v;
	for (a = 0; a < SD_ARRAY_LEN(actions); a++) {
		keys[0] = '\0';
		for (b = 0; b < SD_ARRAY_LEN(bindings); b++) {
			if (bindings[b].act != actions[a].act || !bindings[b].label)
				continue;
			if (keys[0])
				strncat(keys, " ", sizeof keys - strlen(keys) - 1);
			strncat(keys, bindings[b].label, sizeof keys - strlen(keys) - 1);
		}
		snprintf(what, sizeof what, "%s", actions[a].help);
		sd_table_add(t, row, -1);
	}
	for (v = 0; v < SD_V_COUNT; v++) {
		if (!sd_views[v].tab)
			continue;
		snprintf(keys, sizeof keys, ":%s", sd_views[v].name);
		snprintf(what, sizeof what, "%s (aliases %s) [filter]", sd_views[v].help, sd_views[v].aliases);
		sd_table_add(t, row, -1);
	}
	for (a = 0; a < SD_ARRAY_LEN(commands); a++) {
		snprintf(keys, sizeof keys, ":%s", commands[a].names);
		snprintf(what, sizeof what, "%s", commands[a].help);
		sd_table_add(t, row, -1);
	}
	snprintf(keys, sizeof keys, "mouse");
	snprintf(what, sizeof what, "wheel scrolls; click selects, again drills down; "
		 "click a header to sort, a tab to switch");
	sd_table_add(t, row, -1);
	snprintf(keys, sizeof keys, "this console");
	snprintf(what, sizeof what, "role %s%s, theme %s, refresh %ds", sd_ui_role(u),
		 u->readonly ? " (read-only)" : "", u->theme.name, u->refresh_ms / 1000);
	sd_table_add(t, row, -1);
}

/* --- the engine ------------------------------------------------------------------- */

static void request_cells(struct sd_ui *u)
{
	long id = sd_client_send(&u->cl, "cells", NULL);
	u->cells_req = id > 0 ? id : 0;
	u->cells_at_ms = sd_now_ms();
}

/* After a reconnect the engine may map us to another role or factory (a
 * reload changed the access rules): drop what the old scope showed rather
 * than display it until the new pushes arrive. */
static void forget_other_scope(struct sd_ui *u)
{
	char scope[192];
	int s;
	snprintf(scope, sizeof scope, "%s/%s", sd_ui_role(u),
		 json_string_value(json_object_get(u->cl.hello, "factory")) ?
		 json_string_value(json_object_get(u->cl.hello, "factory")) : "");
	if (u->scope[0] && strcmp(scope, u->scope) != 0) {
		for (s = 0; s < SD_SRC_COUNT; s++) {
			json_decref(u->d.list[s]);
			u->d.list[s] = json_array();
			u->d.gen[s]++;
		}
		sd_hist_done(&u->d.hist);
		sd_hist_init(&u->d.hist);
	}
	sd_strlcpy(u->scope, scope, sizeof u->scope);
	u->readonly = u->readonly_opt || strcmp(sd_ui_role(u), "operator") != 0;
}

/* hello's "modes" lists the subscription modes; without the member (an
 * engine older than the list) delta mode is worth a try. */
static bool offers_delta(const json_t *hello)
{
	const json_t *modes = json_object_get(hello, "modes"), *m;
	size_t i;
	if (!json_is_array(modes))
		return true;
	json_array_foreach(modes, i, m)
		if (sd_streq(json_string_value(m), "delta"))
			return true;
	return false;
}

static void apply_theme(struct sd_ui *u, const char *name);
static const char *pick_theme(const struct sd_ui *u);

static void try_connect(struct sd_ui *u, int timeout_ms)
{
	json_t *params, *res;
	if (sd_client_connect(&u->cl, u->socket_path, timeout_ms) < 0) {
		snprintf(u->banner, sizeof u->banner, "engine unreachable: %s - retrying in %ds",
			 u->cl.err, u->backoff_ms / 1000);
		sd_client_close(&u->cl);
		u->next_try_ms = sd_now_ms() + u->backoff_ms;
		u->backoff_ms = u->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : u->backoff_ms * 2;
		return;
	}
	/* the delta protocol, cells included, unless hello's "modes" says the
	 * engine has no delta mode; an engine from before hello listed modes
	 * answers bad_request (the cells topic, the mode) and gets the
	 * whole-list subscription */
	res = NULL;
	if (offers_delta(u->cl.hello)) {
		params = json_pack("{s:[s,s,s,s,s,s], s:s}", "topics", "factories", "slices", "nfs",
				   "sites", "cells", "alarms", "mode", "delta");
		res = sd_client_call(&u->cl, "subscribe", params, timeout_ms);
		json_decref(params);
	}
	if (!res && (!offers_delta(u->cl.hello) || strcmp(u->cl.err_code, "bad_request") == 0) &&
	    u->cl.fd >= 0) {
		params = json_pack("{s:[s,s,s,s,s]}", "topics", "factories", "slices", "nfs", "sites",
				   "alarms");
		res = sd_client_call(&u->cl, "subscribe", params, timeout_ms);
		json_decref(params);
	}
	if (!res) {
		snprintf(u->banner, sizeof u->banner, "subscribe failed: %s", u->cl.err);
		sd_client_close(&u->cl);
		u->next_try_ms = sd_now_ms() + u->backoff_ms;
		return;
	}
	u->delta_mode = sd_streq(json_string_value(json_object_get(res, "mode")), "delta");
	u->cells_pushed = false;
	{
		const json_t *t;
		size_t i;
		json_array_foreach(json_object_get(res, "subscribed"), i, t)
			u->cells_pushed |= sd_streq(json_string_value(t), "cells");
	}
	json_decref(res);
	u->connected = true;
	u->backoff_ms = 1000;
	u->banner[0] = '\0';
	if (!u->theme_opt)
		apply_theme(u, pick_theme(u));   /* the engine's environment */
	u->applied_ms = 0;   /* show the fresh state at once */
	forget_other_scope(u);
	if (!u->cells_pushed)
		request_cells(u);
}

static void take_events(struct sd_ui *u);

static void lost_engine(struct sd_ui *u)
{
	int s;
	take_events(u);   /* what arrived before the end still counts */
	snprintf(u->banner, sizeof u->banner, "lost the engine connection - reconnecting");
	sd_client_close(&u->cl);
	u->connected = false;
	u->reconnect_now = false;
	u->cells_req = 0;
	u->ack_req = 0;
	/* the next connection starts with fresh snapshots; until they complete
	 * the views keep showing the last lists */
	for (s = 0; s < SD_SRC_PUSHED; s++) {
		if (u->merge[s])
			sd_merge_reset(u->merge[s]);
		u->merge_dirty[s] = false;
		u->resync_req[s] = 0;
	}
	memset(u->req, 0, sizeof u->req);
	memset(u->req_at, 0, sizeof u->req_at);
	u->next_try_ms = sd_now_ms() + u->backoff_ms;
}

static int src_by_name(const char *name)
{
	static const char *const names[] = { "factories", "slices", "nfs", "sites", "cells",
					     "alarms" };
	int s;
	for (s = 0; name && s < (int)SD_ARRAY_LEN(names); s++)
		if (strcmp(names[s], name) == 0)
			return s;
	return -1;
}

/* The engine's answer to "alarm.ack", on the status line: who acked, or
 * why not (forbidden for viewers and factory users, gone, ...). */
static void ack_answer(struct sd_ui *u, const json_t *ev)
{
	const json_t *e = json_object_get(ev, "error"), *al;
	char clean[300], who[80];
	const char *m;
	if (e) {
		m = json_string_value(json_object_get(e, "message"));
		sd_sanitize(clean, sizeof clean, m ? m : "refused", m ? strlen(m) : 7);
		sd_ui_message(u, "ack refused by the engine: %s", clean);
		return;
	}
	al = json_object_get(json_object_get(ev, "result"), "alarm");
	sd_cli_cell(al, "acked_by", who, sizeof who);
	sd_ui_message(u, "alarm %lld acked by %s", (long long)json_integer_value(json_object_get(al, "id")),
		      who);
}

/* A reply to one of the polled requests: its source and list (NULL on an
 * error, which goes to the status line); -1 when id is none of them. */
static int polled_reply(struct sd_ui *u, const json_t *ev, json_int_t id, json_t **list)
{
	static const char *const member[SD_SRC_COUNT] = {
		[SD_SRC_ALARMS_ALL] = "alarms", [SD_SRC_SLA] = "slices",
		[SD_SRC_COVERAGE] = "sites", [SD_SRC_HEAT] = "sites", [SD_SRC_STATUS] = "sources",
		[SD_SRC_SCENARIOS] = "scenarios",
	};
	const json_t *e = json_object_get(ev, "error");
	int s;
	for (s = SD_SRC_ALARMS_ALL; s < SD_SRC_COUNT; s++) {
		if (u->req[s] != id)
			continue;
		u->req[s] = 0;
		if (e) {
			const char *m = json_string_value(json_object_get(e, "message"));
			char clean[300];
			sd_sanitize(clean, sizeof clean, m ? m : "error", m ? strlen(m) : 5);
			sd_ui_message(u, "%s: %s", member[s], clean);
			*list = NULL;
			return -1;
		}
		*list = json_object_get(json_object_get(ev, "result"), member[s]);
		return s;
	}
	return -1;
}

/* Ask the engine for a fresh snapshot of a merged topic that missed a
 * delta. */
static void ask_resync(struct sd_ui *u, int s)
{
	json_t *params = json_pack("{s:[s]}", "topics", sd_merge_topic(u->merge[s]));
	long id = u->connected ? sd_client_send(&u->cl, "resync", params) : -1;
	json_decref(params);
	u->resync_req[s] = id > 0 ? id : 0;
	if (id <= 0 && u->connected)
		u->reconnect_now = true;   /* a new subscription snapshots everything */
}

/* The answer to a resync: nothing to do, unless the engine refused it;
 * then a new connection is the other way to a fresh snapshot. */
static bool resync_answer(struct sd_ui *u, const json_t *ev, json_int_t id)
{
	const json_t *e = json_object_get(ev, "error");
	int s;
	for (s = 0; s < SD_SRC_PUSHED; s++) {
		if (!u->resync_req[s] || u->resync_req[s] != id)
			continue;
		u->resync_req[s] = 0;
		if (e) {
			const char *m = json_string_value(json_object_get(e, "message"));
			char clean[300];
			sd_sanitize(clean, sizeof clean, m ? m : "refused", m ? strlen(m) : 7);
			sd_ui_message(u, "resync of %s refused (%s): reconnecting", sd_merge_topic(u->merge[s]),
				      clean);
			u->reconnect_now = true;
		}
		return true;
	}
	return false;
}

/* A pushed event of topic s: a snapshot page or a delta goes into the
 * topic's merged list (the view's array is rebuilt from it when the
 * refresh period says so, in apply_pending); a whole list ("mode":"full",
 * or an engine before the delta protocol) is returned to be pending as is. */
static json_t *take_push(struct sd_ui *u, int s, const char *topic, const json_t *ev)
{
	enum sd_merge_rc rc = SD_MERGE_NOT_DELTA;
	if (json_object_get(ev, "snapshot") || json_object_get(ev, "delta")) {
		if (!u->merge[s])
			u->merge[s] = sd_merge_new(topic);
		rc = sd_merge_event(u->merge[s], ev);
	}
	switch (rc) {
	case SD_MERGE_CHANGED: u->merge_dirty[s] = true; break;
	case SD_MERGE_RESYNC: ask_resync(u, s); break;
	case SD_MERGE_PENDING: case SD_MERGE_IGNORED: break;
	case SD_MERGE_NOT_DELTA:
		u->merge_dirty[s] = false;   /* the whole list is the newest word */
		return json_object_get(json_object_get(ev, "data"), topic);
	}
	return NULL;
}

/* Pushes replace the pending copy of their list (the newest wins), or are
 * merged into it (the delta protocol); the reply to our cells request
 * likewise. */
static void take_events(struct sd_ui *u)
{
	json_t *ev;
	while ((ev = sd_client_next_event(&u->cl))) {
		const char *topic = json_string_value(json_object_get(ev, "event"));
		json_t *id = json_object_get(ev, "id");
		int s = src_by_name(topic);
		json_t *list = NULL;
		if (s >= 0) {
			list = take_push(u, s, topic, ev);
			/* without the cells topic, cells only change with the sites */
			if (s == SD_SRC_SITES && u->connected && !u->cells_pushed && !u->cells_req)
				request_cells(u);
		} else if (json_is_integer(id) && resync_answer(u, ev, json_integer_value(id))) {
			;
		} else if (json_is_integer(id) && json_integer_value(id) == u->cells_req) {
			u->cells_req = 0;
			s = SD_SRC_CELLS;
			list = json_object_get(json_object_get(ev, "result"), "cells");
		} else if (json_is_integer(id) && json_integer_value(id) == u->ack_req) {
			u->ack_req = 0;
			ack_answer(u, ev);
		} else if (json_is_integer(id) && sd_ui_charts_reply(u, ev, json_integer_value(id))) {
			;   /* the slice detail's KPI charts */
		} else if (json_is_integer(id)) {
			s = polled_reply(u, ev, json_integer_value(id), &list);
		}
		if (s >= 0 && json_is_array(list)) {
			json_decref(u->pending[s]);
			u->pending[s] = json_incref(list);
		}
		json_decref(ev);
	}
}

/* Apply pending lists at most once per refresh period (a 10,000-slice zone
 * pushing often must not turn into rebuilds on every push). */
static void apply_pending(struct sd_ui *u, bool force)
{
	int64_t now = sd_now_ms();
	int s;
	bool due = force || !u->applied_ms || now - u->applied_ms >= u->refresh_ms;
	for (s = 0; s < SD_SRC_COUNT; s++) {
		bool merged = s < SD_SRC_PUSHED && u->merge_dirty[s];
		if ((!u->pending[s] && !merged) || (!due && u->d.gen[s] && s < SD_SRC_ALARMS_ALL))
			continue;   /* a list's first arrival is shown at once; polled
				       lists are already one per refresh period */
		if (merged) {   /* the view's array, from the merged list: O(n) */
			json_decref(u->pending[s]);
			u->pending[s] = sd_merge_array(u->merge[s]);
			u->merge_dirty[s] = false;
		}
		if (s >= SD_SRC_ALARMS_ALL && json_equal(u->pending[s], u->d.list[s])) {
			json_decref(u->pending[s]);   /* unchanged: keep the selection still */
			u->pending[s] = NULL;
			continue;
		}
		json_decref(u->d.list[s]);
		u->d.list[s] = u->pending[s];
		u->pending[s] = NULL;
		u->d.gen[s]++;
		if (s == SD_SRC_SLICES)
			sd_hist_record(&u->d.hist, u->d.list[s]);
		u->applied_ms = now;
	}
}

static bool have_pending(const struct sd_ui *u)
{
	int s;
	for (s = 0; s < SD_SRC_COUNT; s++)
		if (u->pending[s] || (s < SD_SRC_PUSHED && u->merge_dirty[s]))
			return true;
	return false;
}

/* --- polled sources and the alarm ack --------------------------------------------------- */

/* Which polled source the view v shows (-1: none). */
static int polled_for(const struct sd_ui *u, enum sd_view_id v)
{
	switch (v) {
	case SD_V_ALARMS: return u->show_cleared ? SD_SRC_ALARMS_ALL : -1;
	case SD_V_SLA: case SD_V_SLICE: case SD_V_OVERVIEW: return SD_SRC_SLA;
	case SD_V_COVERAGE: return SD_SRC_COVERAGE;
	case SD_V_HEAT: return SD_SRC_HEAT;
	case SD_V_ENGINE: return SD_SRC_STATUS;
	case SD_V_SCENARIOS: return SD_SRC_SCENARIOS;
	default: return -1;
	}
}

static void poll_source(struct sd_ui *u, struct sd_frame *f, int s, bool now);

void sd_ui_poll(struct sd_ui *u, bool now)
{
	struct sd_frame *f = sd_ui_top(u);
	int s = f ? polled_for(u, f->view) : -1;

	sd_ui_charts_poll(u);
	if (!u->connected || !f)
		return;
	if (s >= 0)
		poll_source(u, f, s, now);
	/* the slice detail says why a figure is missing: from the sources */
	if (f->view == SD_V_SLICE)
		poll_source(u, f, SD_SRC_STATUS, now);
}

static void poll_source(struct sd_ui *u, struct sd_frame *f, int s, bool now)
{
	int64_t t = sd_now_ms();
	json_t *params = NULL;
	bool changed = false;
	long id;

	if (s == SD_SRC_HEAT) {
		changed = strcmp(u->heat_site, f->arg) != 0 || u->heat_want[0] != u->heat_asked[0] ||
			  u->heat_want[1] != u->heat_asked[1];
		if (strcmp(u->heat_site, f->arg) != 0) {   /* another site: drop the old map */
			json_decref(u->d.list[s]);
			u->d.list[s] = json_array();
			u->d.gen[s]++;
			json_decref(u->pending[s]);
			u->pending[s] = NULL;
		}
	}
	if (u->req[s] && !changed)
		return;   /* one request at a time per source */
	/* the SLA figure beside another view (overview, slice detail) is a
	 * monthly one: asking five times less often is plenty */
	if (!now && !changed && u->req_at[s] &&
	    t - u->req_at[s] < (((s == SD_SRC_SLA && f->view != SD_V_SLA) ||
				 (s == SD_SRC_STATUS && f->view != SD_V_ENGINE)) ? 5 : 1) *
				u->refresh_ms)
		return;
	switch (s) {
	case SD_SRC_ALARMS_ALL:
		params = json_pack("{s:b}", "all", 1);
		break;
	case SD_SRC_HEAT:
		sd_strlcpy(u->heat_site, f->arg, sizeof u->heat_site);
		memcpy(u->heat_asked, u->heat_want, sizeof u->heat_asked);
		params = json_pack("{s:s, s:i, s:i}", "site", f->arg, "rows", u->heat_want[0],
				   "cols", u->heat_want[1]);
		break;
	default:
		break;
	}
	id = sd_client_send(&u->cl, s == SD_SRC_ALARMS_ALL ? "alarms" : s == SD_SRC_SLA ? "sla" :
			    s == SD_SRC_STATUS ? "status" : s == SD_SRC_SCENARIOS ? "scenarios" :
			    "coverage", params);
	json_decref(params);
	u->req[s] = id > 0 ? id : 0;   /* a failed send shows as a lost engine */
	u->req_at[s] = t;
}

void sd_ui_ack(struct sd_ui *u)
{
	struct sd_frame *f = sd_ui_top(u);
	const char *id, *state;
	json_t *params;
	char *end;
	long long n;
	int row;

	if (f->view != SD_V_ALARMS) {
		sd_ui_message(u, "a acknowledges an alarm in the alarms view (:alarms)");
		return;
	}
	row = sd_table_selected(&f->table);
	if (row < 0) {
		sd_ui_message(u, "no alarm selected");
		return;
	}
	if (u->readonly) {
		if (u->readonly_opt)
			sd_ui_message(u, "read-only console (--readonly): no acknowledging");
		else
			sd_ui_message(u, "acknowledging alarms needs the operator role; you are %s",
				      sd_ui_role(u));
		return;
	}
	if (!u->connected) {
		sd_ui_message(u, "the engine is not connected");
		return;
	}
	id = sd_table_cell(&f->table, row, 0);
	state = sd_table_cell(&f->table, row, 6);   /* STATE */
	n = strtoll(id, &end, 10);
	if (end == id || *end || n <= 0)
		return;
	if (strcmp(state, "cleared") == 0) {
		sd_ui_message(u, "alarm %lld is cleared", n);
		return;
	}
	params = json_pack("{s:I}", "alarm", (json_int_t)n);
	u->ack_req = sd_client_send(&u->cl, "alarm.ack", params);
	json_decref(params);
	if (u->ack_req < 0) {
		u->ack_req = 0;
		sd_ui_message(u, "ack not sent: %s", u->cl.err);
		return;
	}
	sd_ui_message(u, "acknowledging alarm %lld ...", n);
}

/* --- drawing ------------------------------------------------------------------------ */

static int tab_x[SD_V_COUNT][2];   /* tab bar hit boxes, for the mouse */

static void fill_line(int y, int cols, int attr)
{
	attrset(attr);
	mvhline(y, 0, ' ', cols);
}

static void put(int y, int x, int maxx, const char *s)
{
	if (x < maxx)
		sd_table_put(y, x, s, maxx - x);
}

static void draw_title(struct sd_ui *u, int cols)
{
	char line[512], zone[128], who[160];
	const json_t *h = u->cl.hello;
	int bw = sd_utf8_width(u->theme.badge);

	fill_line(0, cols, u->theme.attr[SD_T_TITLE]);
	sd_cli_cell(h, "zone", zone, sizeof zone);
	if (h && sd_utf8_width(zone) + 70 > cols - bw)
		snprintf(zone, sizeof zone, "%s", json_string_value(json_object_get(h, "plmn")) ?
			 json_string_value(json_object_get(h, "plmn")) : "-");   /* whose view matters more */
	if (!h) {
		snprintf(line, sizeof line, " slicedeck | not connected");
	} else if (strcmp(sd_ui_role(u), "factory") == 0) {
		sd_cli_cell(h, "factory_name", who, sizeof who);
		snprintf(line, sizeof line, " slicedeck | %s | factory view: %s (%s)", zone, who,
			 json_string_value(json_object_get(h, "factory")));
	} else {
		snprintf(line, sizeof line, " slicedeck | %s | %s view: all factories", zone, sd_ui_role(u));
	}
	/* a window under a minute is a demo or drill setting: say so, verdicts
	 * and compliance move faster than an operator would expect */
	if (h && json_integer_value(json_object_get(h, "sla_window_s")) > 0 &&
	    json_integer_value(json_object_get(h, "sla_window_s")) < 60) {
		size_t n = strlen(line);
		snprintf(line + n, sizeof line - n, " | SLA window %llds",
			 (long long)json_integer_value(json_object_get(h, "sla_window_s")));
	}
	put(0, 0, cols - bw - 1, line);
	attrset(u->theme.attr[SD_T_BADGE]);
	if (cols > bw + 20)
		put(0, cols - bw, cols, u->theme.badge);
}

/* The tab bar: " name " per tab, one space apart, then "? help". When that
 * is wider than the terminal (80 columns is) the gaps go; whatever still
 * does not fit is cut before "? help", which keeps its place at the right
 * end: it is how a newcomer finds everything else. */
static void draw_tabs(struct sd_ui *u, int cols)
{
	static const char help[] = "? help";
	int v, x = 1, gap = 1, need = 1, end;
	enum sd_view_id root = u->stack[0]->view;
	fill_line(1, cols, u->theme.attr[SD_T_TAB]);
	for (v = 0; v < SD_V_COUNT; v++)
		if (sd_views[v].tab)
			need += (int)strlen(sd_views[v].name) + 3;
	if (need + 1 + (int)sizeof help - 1 > cols)
		gap = 0;
	end = cols - (int)sizeof help;   /* the tabs stop one column before help */
	for (v = 0; v < SD_V_COUNT; v++) {
		char t[32];
		tab_x[v][0] = tab_x[v][1] = -1;
		if (!sd_views[v].tab)
			continue;
		snprintf(t, sizeof t, " %s ", sd_views[v].name);
		attrset(u->theme.attr[(int)root == v ? SD_T_TAB_ON : SD_T_TAB]);
		put(1, x, end, t);
		tab_x[v][0] = x;
		tab_x[v][1] = x + (int)strlen(t) < end ? x + (int)strlen(t) : end;
		x += (int)strlen(t) + gap;
	}
	attrset(u->theme.attr[SD_T_TAB]);
	put(1, x + 1 <= end ? x + 1 : end + 1, cols, help);
}

static void draw_crumb(struct sd_ui *u, int cols)
{
	char line[1024], part[200];
	struct sd_frame *f = sd_ui_top(u);
	size_t off = 0;
	int i;

	line[0] = '\0';
	for (i = 0; i < u->depth; i++) {
		const struct sd_frame *fr = u->stack[i];
		if (fr->arg[0])
			snprintf(part, sizeof part, "%s%s:%s", i ? u->g.sep : " ", sd_views[fr->view].name, fr->arg);
		else
			snprintf(part, sizeof part, "%s%s", i ? u->g.sep : " ", sd_views[fr->view].name);
		off += (size_t)snprintf(line + off, sizeof line - off, "%s", part);
		if (off >= sizeof line)
			break;
	}
	if (off < sizeof line)
		snprintf(line + off, sizeof line - off, "  (%d/%d)", f->table.nvis, f->table.nrows);
	fill_line(2, cols, A_NORMAL);
	attrset(A_BOLD);
	put(2, 0, cols, line);
	i = sd_utf8_width(line) + 2;
	if (f->table.filter[0]) {
		snprintf(part, sizeof part, "filter /%s/%s", f->table.filter,
			 f->table.filter_ok ? "" : " (bad regex)");
		attrset(u->theme.attr[f->table.filter_ok ? SD_T_PROMPT : SD_T_BAD]);
		put(2, i, cols, part);
		i += sd_utf8_width(part) + 2;
	}
	if (u->msg[0] && sd_now_ms() < u->msg_until_ms) {
		attrset(u->theme.attr[SD_T_WARN]);
		put(2, i, cols, u->msg);
	}
	attrset(A_NORMAL);
}

static void draw_status(struct sd_ui *u, int rows, int cols)
{
	char line[512], clock[16], user[64];
	time_t now = time(NULL);
	struct tm tm;
	struct sd_frame *f = sd_ui_top(u);

	if (u->mode) {
		fill_line(rows - 1, cols, u->theme.attr[SD_T_PROMPT]);
		snprintf(line, sizeof line, "%c%s", u->mode, u->input);
		put(rows - 1, 0, cols, line);
		attrset(A_NORMAL);
		return;
	}
	localtime_r(&now, &tm);
	strftime(clock, sizeof clock, "%H:%M:%S", &tm);
	sd_cli_cell(u->cl.hello, "user", user, sizeof user);
	snprintf(line, sizeof line, " %s %s | refresh %ds | %s (%s)%s | %s | %d/%d rows | ? help  : cmd  / filter  q quit",
		 u->g.dot, u->connected ? "engine connected" : "engine DISCONNECTED",
		 u->refresh_ms / 1000, sd_ui_role(u), user, u->readonly ? " read-only" : "",
		 clock, f->table.nvis, f->table.nrows);
	fill_line(rows - 1, cols, u->theme.attr[u->connected ? SD_T_STATUS : SD_T_BANNER]);
	put(rows - 1, 0, cols, line);
	attrset(A_NORMAL);
}

static void draw(struct sd_ui *u)
{
	struct sd_frame *f = sd_ui_top(u);
	const struct sd_view_def *def = &sd_views[f->view];
	int rows, cols, y = 3;

	getmaxyx(stdscr, rows, cols);
	erase();   /* into the virtual screen only; refresh() sends the diff */
	sd_ui_build(u, f);
	if (rows < 6 || cols < 20) {
		mvaddstr(0, 0, "terminal too small");
		refresh();
		return;
	}
	draw_title(u, cols);
	draw_tabs(u, cols);
	draw_crumb(u, cols);
	if (def->draw_head)
		y += def->draw_head(u, f, y, rows - 1 - y - 3, cols);
	u->body_rows = rows - 1 - y - 1;
	sd_table_draw(&f->table, y, 0, rows - 1 - y, cols, &u->theme, &u->g, u->mode == 0);
	if (f->table.nvis == 0 && rows - 1 - y > 1) {
		attrset(u->theme.attr[SD_T_DIM]);
		put(y + 1, 2, cols, f->table.nrows ? "no rows match the filter (Esc clears it)" :
			!u->connected ? "no data: the engine is not connected" :
			f->view == SD_V_SLICE ? "no NF or cell serves this slice (or it left your view)" :
			"nothing here");
		attrset(A_NORMAL);
	}
	if (u->banner[0]) {   /* a lost engine is said loudly, never hidden */
		fill_line(rows / 2, cols, u->theme.attr[SD_T_BANNER]);
		put(rows / 2, 1, cols - 1, u->banner);
		attrset(A_NORMAL);
	}
	draw_status(u, rows, cols);
	if (u->mode) {
		curs_set(1);
		move(rows - 1, 1 + sd_utf8_width(u->input));
	} else {
		curs_set(0);
	}
	refresh();
}

/* --- commands, filter, keys ------------------------------------------------------------ */

static void switch_view(struct sd_ui *u, enum sd_view_id v, const char *filter)
{
	reset_to(u, v, filter && *filter ? filter : NULL);
	if (v == SD_V_CELLS && u->connected && !u->cells_pushed && !u->cells_req)
		request_cells(u);
	sd_ui_poll(u, true);
}

/* Words ":" completes: view names and aliases, then command names. */
static int candidates(const char *prefix, const char **out, int max)
{
	static char words[64][24];
	int n = 0, v;
	size_t i, len = strlen(prefix);
	for (v = 0; v < SD_V_COUNT + (int)SD_ARRAY_LEN(commands); v++) {
		char list[128], *save = NULL, *w;
		if (v < SD_V_COUNT) {
			if (!sd_views[v].tab && v != SD_V_HELP)
				continue;
			snprintf(list, sizeof list, "%s,%s", sd_views[v].name, sd_views[v].aliases);
		} else {
			snprintf(list, sizeof list, "%s", commands[v - SD_V_COUNT].names);
		}
		for (w = strtok_r(list, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
			bool dup = false;
			if (strncasecmp(w, prefix, len) != 0 || n >= max || n >= 64)
				continue;
			for (i = 0; i < (size_t)n; i++)
				dup |= strcmp(out[i], w) == 0;
			if (dup)
				continue;
			sd_strlcpy(words[n], w, sizeof words[n]);
			out[n] = words[n];
			n++;
		}
	}
	return n;
}

static void complete(struct sd_ui *u)
{
	const char *c[64];
	char list[256];
	size_t lcp, i, off = 0;
	int n, k;
	if (strchr(u->input, ' '))
		return;   /* only the command word completes */
	n = candidates(u->input, c, 64);
	if (n == 0) {
		sd_ui_message(u, "no command starts with \"%s\"", u->input);
		return;
	}
	lcp = strlen(c[0]);
	for (k = 1; k < n; k++) {
		for (i = 0; i < lcp && c[k][i] == c[0][i]; i++)
			;
		lcp = i;
	}
	if (n == 1) {
		snprintf(u->input, sizeof u->input, "%s ", c[0]);
		return;
	}
	if (lcp > strlen(u->input) && lcp < sizeof u->input)
		snprintf(u->input, sizeof u->input, "%.*s", (int)lcp, c[0]);
	list[0] = '\0';
	for (k = 0; k < n && off < sizeof list; k++)
		off += (size_t)snprintf(list + off, sizeof list - off, "%s%s", k ? " " : "", c[k]);
	sd_ui_message(u, "%s", list);
}

static void sort_by(struct sd_ui *u, struct sd_frame *f, int col)
{
	if (col < 0 || col >= f->table.ncols)
		return;
	sd_table_sort(&f->table, col, col == f->table.sort_col ? !f->table.sort_rev : false);
	sd_ui_message(u, "sorted by %s%s", f->table.cols[col].header,
		      f->table.sort_rev ? ", descending" : "");
}

static int theme_index(const char *name)
{
	int i;
	for (i = 0; sd_theme_names[i + 1] && strcmp(sd_theme_names[i], name) != 0; i++)
		;
	return i;
}

static void apply_theme(struct sd_ui *u, const char *name)
{
	sd_theme_apply(&u->theme, name, u->color);
	bkgdset(' ' | A_NORMAL);
}

/* Run one ":" line; false = quit. */
static bool run_command(struct sd_ui *u, const char *line)
{
	char word[64], *arg;
	char buf[sizeof u->input];
	int v;
	size_t i;

	sd_strlcpy(buf, line, sizeof buf);
	arg = buf + strspn(buf, " ");
	i = strcspn(arg, " ");
	snprintf(word, sizeof word, "%.*s", (int)i, arg);
	arg += i;
	arg += strspn(arg, " ");
	for (i = strlen(arg); i > 0 && arg[i - 1] == ' '; i--)
		arg[i - 1] = '\0';
	if (!word[0])
		return true;
	v = sd_view_lookup(word);
	if (v == SD_V_HELP) {
		sd_ui_push(u, SD_V_HELP, NULL, NULL);
		return true;
	}
	if (v >= 0 && sd_views[v].tab) {
		switch_view(u, (enum sd_view_id)v, arg);
		return true;
	}
	for (i = 0; i < SD_ARRAY_LEN(commands); i++) {
		char list[64], *save = NULL, *w;
		bool hit = false;
		snprintf(list, sizeof list, "%s", commands[i].names);
		for (w = strtok_r(list, ",", &save); w && !hit; w = strtok_r(NULL, ",", &save))
			hit = strcasecmp(w, word) == 0;
		if (!hit)
			continue;
		switch (commands[i].cmd) {
		case C_QUIT:
			return false;
		case C_HELP:
			sd_ui_push(u, SD_V_HELP, NULL, NULL);
			return true;
		case C_BACK:
			pop_frame(u);
			return true;
		case C_SORT: {
			struct sd_frame *f = sd_ui_top(u);
			char *desc = strchr(arg, ' ');
			int col;
			if (desc)
				*desc++ = '\0';
			col = sd_table_col_by_name(&f->table, arg);
			if (col < 0) {
				sd_ui_message(u, "no column \"%s\" here", arg);
				return true;
			}
			sd_table_sort(&f->table, col, desc && strncasecmp(desc, "desc", 4) == 0);
			sd_ui_message(u, "sorted by %s%s", f->table.cols[col].header,
				      f->table.sort_rev ? ", descending" : "");
			return true;
		}
		case C_THEME:
			if (!sd_theme_known(arg))
				sd_ui_message(u, "themes: prod lab training mono");
			else
				apply_theme(u, u->theme_opt = sd_theme_names[theme_index(arg)]);
			return true;
		}
	}
	sd_ui_message(u, "unknown command \"%s\" (Tab completes, ? lists)", word);
	return true;
}

/* A key while the ":" or "/" line is open. */
static bool prompt_key(struct sd_ui *u, int ch)
{
	struct sd_frame *f = sd_ui_top(u);
	size_t n = strlen(u->input);
	bool changed = false, keep = true;

	if (ch == 27) {   /* cancel */
		if (u->mode == '/')
			sd_table_set_filter(&f->table, u->saved_filter);
		u->mode = 0;
		return true;
	}
	if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
		int m = u->mode;
		u->mode = 0;
		if (m == ':')
			keep = run_command(u, u->input);
		return keep;
	}
	if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
		if (n == 0) {
			if (u->mode == '/')
				sd_table_set_filter(&f->table, u->saved_filter);
			u->mode = 0;
			return true;
		}
		while (n > 0 && ((unsigned char)u->input[n - 1] & 0xC0) == 0x80)
			n--;   /* a whole UTF-8 character */
		u->input[n - 1] = '\0';
		changed = true;
	} else if (ch == 21) {   /* ^U */
		u->input[0] = '\0';
		changed = true;
	} else if (ch == '\t' && u->mode == ':') {
		complete(u);
	} else if (ch >= 0x20 && ch < 0x100 && ch != 0x7f && n + 1 < sizeof u->input) {
		u->input[n] = (char)ch;
		u->input[n + 1] = '\0';
		changed = true;
	}
	if (changed && u->mode == '/')
		sd_table_set_filter(&f->table, u->input);   /* live */
	return true;
}

static void do_mouse(struct sd_ui *u)
{
	MEVENT me;
	struct sd_frame *f = sd_ui_top(u);
	bool up, down, click;
	int r, v;

	if (getmouse(&me) != OK)
		return;
	up = me.bstate & BUTTON4_PRESSED;
#ifdef BUTTON5_PRESSED
	down = me.bstate & BUTTON5_PRESSED;
#else
	down = false;
#endif
	click = me.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED);
	if (click && me.y == 1) {
		for (v = 0; v < SD_V_COUNT; v++)
			if (sd_views[v].tab && me.x >= tab_x[v][0] && me.x < tab_x[v][1])
				switch_view(u, (enum sd_view_id)v, NULL);
		return;
	}
	r = sd_table_mouse(&f->table, me.y, me.x, up, down, click);
	if (r & SD_TK_ACTIVATE) {
		int row = sd_table_selected(&f->table);
		if (row >= 0)
			sd_views[f->view].activate(u, f, row);
	}
}

static enum act lookup_key(int ch)
{
	size_t i;
	for (i = 0; i < SD_ARRAY_LEN(bindings); i++)
		if (bindings[i].key == ch)
			return bindings[i].act;
	return A_NONE;
}

/* One key in normal mode; false = quit. */
static bool handle_key(struct sd_ui *u, int ch)
{
	struct sd_frame *f = sd_ui_top(u);
	struct sd_table *t = &f->table;
	int page = u->body_rows > 1 ? u->body_rows : 1, row, v;
	enum act a;

	if (u->mode)
		return prompt_key(u, ch);
	if (ch == KEY_MOUSE) {
		do_mouse(u);
		return true;
	}
	if (ch == KEY_RESIZE)
		return true;   /* ncurses has resized stdscr; the next draw fits it */
	a = lookup_key(ch);
	switch (a) {
	case A_NONE: break;
	case A_UP: sd_table_move(t, SD_TA_UP, page); break;
	case A_DOWN: sd_table_move(t, SD_TA_DOWN, page); break;
	case A_PGUP: sd_table_move(t, SD_TA_PGUP, page); break;
	case A_PGDN: sd_table_move(t, SD_TA_PGDN, page); break;
	case A_HOME: sd_table_move(t, SD_TA_HOME, page); break;
	case A_END: sd_table_move(t, SD_TA_END, page); break;
	case A_ENTER:
		row = sd_table_selected(t);
		if (row >= 0)
			sd_views[f->view].activate(u, f, row);
		break;
	case A_BACK:
		if (t->filter[0] && !(f->preset[0] && strcmp(t->filter, f->preset) == 0 && u->depth > 1))
			sd_table_set_filter(t, "");
		else if (u->depth > 1)
			pop_frame(u);
		else
			sd_ui_message(u, "top of the breadcrumb (q quits)");
		break;
	case A_FILTER:
		u->mode = '/';
		sd_strlcpy(u->saved_filter, t->filter, sizeof u->saved_filter);
		sd_strlcpy(u->input, t->filter, sizeof u->input);
		break;
	case A_CMD:
		u->mode = ':';
		u->input[0] = '\0';
		break;
	case A_HELP:
		if (f->view == SD_V_HELP)
			pop_frame(u);
		else
			sd_ui_push(u, SD_V_HELP, NULL, NULL);
		break;
	case A_NEXTVIEW: case A_PREVVIEW:
		v = u->stack[0]->view;
		do
			v = (v + (a == A_NEXTVIEW ? 1 : SD_V_COUNT - 1)) % SD_V_COUNT;
		while (!sd_views[v].tab);
		switch_view(u, (enum sd_view_id)v, NULL);
		break;
	case A_OV: switch_view(u, SD_V_OVERVIEW, NULL); break;
	case A_FAC: switch_view(u, SD_V_FACTORIES, NULL); break;
	case A_SL: switch_view(u, SD_V_SLICES, NULL); break;
	case A_NF: switch_view(u, SD_V_NFS, NULL); break;
	case A_CELL: switch_view(u, SD_V_CELLS, NULL); break;
	case A_SITE: switch_view(u, SD_V_SITES, NULL); break;
	case A_SORTCOL: sort_by(u, f, ch - '1'); break;
	case A_SORTNEXT:
		sort_by(u, f, t->sort_col + 1 >= t->ncols ? 0 : t->sort_col + 1);
		break;
	case A_SORTPREV:
		sort_by(u, f, t->sort_col <= 0 ? t->ncols - 1 : t->sort_col - 1);
		break;
	case A_SORTREV:
		sd_table_sort(t, t->sort_col < 0 ? 0 : t->sort_col, !t->sort_rev);
		break;
	case A_ACK: sd_ui_ack(u); break;
	case A_CLEARED:
		if (f->view != SD_V_ALARMS) {
			sd_ui_message(u, "C shows cleared alarms in the alarms view (:alarms)");
			break;
		}
		u->show_cleared = !u->show_cleared;
		f->ever_built = false;   /* the other list: rebuild now */
		sd_ui_message(u, u->show_cleared ? "showing cleared alarms too" : "active alarms only");
		sd_ui_poll(u, true);
		break;
	case A_REDRAW: clearok(curscr, TRUE); break;
	case A_QUIT: return false;
	}
	return true;
}

/* --- setup and the loop ------------------------------------------------------------------ */

bool sd_screen_view_known(const char *name)
{
	int v = sd_view_lookup(name);
	return v >= 0 && (sd_views[v].tab || v == SD_V_HELP);
}

/* --theme, else $SLICEDECK_THEME: the user's choice, kept across
 * reconnections; NULL = follow the engine's engine.environment. */
static const char *chosen_theme(const char *opt)
{
	const char *env = getenv("SLICEDECK_THEME");
	if (opt && *opt)
		return opt;
	if (env && sd_theme_known(env))
		return env;
	return NULL;
}

/* The theme to show now: the user's, else the one for the environment the
 * engine named in hello (prod until it has). */
static const char *pick_theme(const struct sd_ui *u)
{
	if (u->theme_opt)
		return u->theme_opt;
	return sd_theme_for_environment(json_string_value(json_object_get(u->cl.hello,
									  "environment")));
}

static void ui_free(struct sd_ui *u)
{
	int s;
	while (u->depth)
		frame_free(u->stack[--u->depth]);
	for (s = 0; s < SD_SRC_COUNT; s++) {
		json_decref(u->d.list[s]);
		json_decref(u->pending[s]);
	}
	for (s = 0; s < SD_SRC_PUSHED; s++)
		sd_merge_free(u->merge[s]);
	sd_hist_done(&u->d.hist);
	sd_client_close(&u->cl);
}

int sd_screen_run(const char *socket_path, const struct sd_screen_opts *o)
{
	struct sd_ui u = { .socket_path = socket_path, .backoff_ms = 1000 };
	const char *no_color = getenv("NO_COLOR");
	bool running = true;
	int s, v;

	u.refresh_ms = (o && o->refresh_s > 0 ? o->refresh_s : 2) * 1000;
	u.readonly_opt = o && o->readonly;
	u.cl.fd = -1;
	for (s = 0; s < SD_SRC_COUNT; s++)
		u.d.list[s] = json_array();
	sd_hist_init(&u.d.hist);
	/* fail fast, before taking the terminal, when the engine is not there */
	try_connect(&u, CONNECT_TIMEOUT_MS);
	if (!u.connected) {
		fprintf(stderr, "slicedeck: %s\n", u.cl.err);
		ui_free(&u);
		return 1;
	}
	setlocale(LC_ALL, "");
	install_signals();
	atexit(restore_terminal);
	initscr();
	curses_on = 1;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(50);
	curs_set(0);
	mousemask(ALL_MOUSE_EVENTS, NULL);
	mouseinterval(0);
	u.color = has_colors() && !(no_color && *no_color);
	if (u.color) {
		start_color();
		use_default_colors();
	}
	sd_glyphs_init(&u.g, false);
	sd_table_ascii(!u.g.utf8);
	u.theme_opt = chosen_theme(o ? o->theme : NULL);
	apply_theme(&u, pick_theme(&u));
	v = o && o->view ? sd_view_lookup(o->view) : SD_V_OVERVIEW;
	sd_ui_push(&u, v >= 0 ? (enum sd_view_id)v : SD_V_OVERVIEW, NULL, NULL);

	while (running && !quit_flag) {
		struct pollfd pfd[2] = { { .fd = STDIN_FILENO, .events = POLLIN },
					 { .fd = u.connected ? u.cl.fd : -1, .events = POLLIN } };
		int64_t now = sd_now_ms();
		int ch, timeout = 1000 - (int)(sd_wall_ms() % 1000);   /* the clock */
		if (!u.connected && now >= u.next_try_ms)
			try_connect(&u, RECONNECT_TIMEOUT_MS);
		/* events may already sit in the client's buffer (they arrived
		 * with a reply): poll() would not report them */
		if (u.connected && sd_client_pump(&u.cl) < 0)
			lost_engine(&u);
		take_events(&u);
		if (u.connected && u.reconnect_now) {
			lost_engine(&u);
			u.next_try_ms = sd_now_ms();   /* not a failure: at once */
		}
		apply_pending(&u, false);
		sd_ui_poll(&u, false);
		draw(&u);
		if (have_pending(&u)) {
			int64_t w = u.applied_ms + u.refresh_ms - sd_now_ms();
			timeout = w < 0 ? 0 : (w < timeout ? (int)w : timeout);
		}
		if (!u.connected) {
			int64_t w = u.next_try_ms - sd_now_ms();
			timeout = w < 0 ? 0 : (w < timeout ? (int)w : timeout);
		}
		if (poll(pfd, 2, timeout) < 0 && errno != EINTR)
			break;
		if (u.connected && (pfd[1].revents & (POLLIN | POLLHUP | POLLERR)) &&
		    sd_client_pump(&u.cl) < 0)
			lost_engine(&u);
		while (running && (ch = getch()) != ERR)
			running = handle_key(&u, ch);
	}
	restore_terminal();
	ui_free(&u);
	return 0;
}

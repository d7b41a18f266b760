/* tui/ui.h — the console's state shared by the screen loop (screen.c) and
 * the views (views.c). Internal to tui/.
 *
 * Navigation is a stack of frames (k9s/htop style breadcrumb): a frame is
 * one view with its argument (the factory a slice list is scoped to, the
 * slice a detail shows), its own table (sort, filter, selection) and the
 * data generation it was built from. Enter pushes, Esc pops, a view switch
 * (":sl", hot key, tab click) starts a new stack.
 */
#ifndef SD_TUI_UI_H
#define SD_TUI_UI_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "tui/client.h"
#include "tui/hist.h"
#include "tui/merge.h"
#include "tui/table.h"
#include "tui/theme.h"

/* The data the engine sent, one list per source. */
enum sd_src { SD_SRC_FACTORIES, SD_SRC_SLICES, SD_SRC_NFS, SD_SRC_SITES, SD_SRC_CELLS,
	      SD_SRC_ALARMS,
	      /* asked for (sd_client_send) every refresh period while a view
	       * that shows them is open, not pushed: */
	      SD_SRC_ALARMS_ALL,   /* "alarms" {all:true}: cleared ones too */
	      SD_SRC_SLA,          /* "sla": per slice, month + last window */
	      SD_SRC_COVERAGE,     /* "coverage": per site */
	      SD_SRC_HEAT,         /* "coverage" {site,rows,cols}: one site + heatmap */
	      SD_SRC_STATUS,       /* "status": the engine's data sources */
	      SD_SRC_SCENARIOS,    /* "scenarios": the slice template catalog */
	      SD_SRC_COUNT };
/* The pushed sources (topics) come first. */
#define SD_SRC_PUSHED (SD_SRC_ALARMS + 1)

struct sd_data {
	json_t *list[SD_SRC_COUNT];     /* arrays, never NULL */
	unsigned gen[SD_SRC_COUNT];     /* bumped on each change */
	struct sd_hist hist;
};

enum sd_view_id {
	SD_V_OVERVIEW, SD_V_FACTORIES, SD_V_SLICES, SD_V_NFS, SD_V_CELLS, SD_V_SITES,
	SD_V_ALARMS, SD_V_SLA, SD_V_COVERAGE, SD_V_ENGINE,
	SD_V_SLICE, SD_V_HEAT, SD_V_HELP, SD_V_SCENARIOS, SD_V_COUNT
};

struct sd_frame {
	enum sd_view_id view;
	char arg[128];         /* scope: factory / site / slice id, "" = none */
	char preset[128];      /* the filter it was opened with (Esc goes back) */
	struct sd_table table;
	unsigned built;        /* sum of the source generations it was built from */
	bool ever_built;
};

struct sd_ui;

/* A view: a const table row (later issues add SLA, coverage, alarms,
 * billing the same way: columns, sources, a builder, what Enter does). */
struct sd_view_def {
	const char *name;            /* ":name" and the tab label */
	const char *aliases;         /* comma-separated */
	const char *help;
	bool tab;                    /* shown in the tab bar / cycled by Tab */
	unsigned deps;               /* 1 << enum sd_src it is built from */
	int src;                     /* the generic builder's list, -1 = custom */
	const char *scope_path;      /* member the frame's arg selects rows by */
	const struct sd_tcol *cols;
	int ncols;
	int default_sort;            /* column */
	void (*build)(struct sd_ui *u, struct sd_frame *f);
	/* Enter on the selected row: push a frame (or not). */
	void (*activate)(struct sd_ui *u, struct sd_frame *f, int row);
	/* Optional text above the table; returns the rows it used. */
	int (*draw_head)(struct sd_ui *u, struct sd_frame *f, int y, int h, int w);
};

extern const struct sd_view_def sd_views[SD_V_COUNT];
/* By name or alias; -1 if none. */
int sd_view_lookup(const char *name);

#define SD_MAX_DEPTH 8

/* The slice detail's charts from the engine's KPI history (the "kpi"
 * operation, 1-minute buckets): one value per minute, oldest first, the
 * open minute last; NAN where the minute had no samples. */
enum { SD_CHART_LAT, SD_CHART_LAT_P99, SD_CHART_UES, SD_CHART_COUNT };
#define SD_CHART_N 60
struct sd_kpi_charts {
	char slice[128];          /* whose charts these are, "" none */
	long req[2];              /* pending "kpi" latency / ues, 0 none */
	int64_t req_at[2];
	int64_t asked_ms;         /* when the last round was sent */
	bool have[SD_CHART_COUNT];
	double v[SD_CHART_COUNT][SD_CHART_N];
};

struct sd_ui {
	/* options */
	const char *socket_path;
	int refresh_ms;
	bool readonly;         /* --readonly, or a role other than operator */
	bool readonly_opt;     /* --readonly */
	/* engine */
	struct sd_client cl;
	bool connected;
	int64_t next_try_ms;
	int backoff_ms;
	long cells_req;        /* id of the pending "cells" request, 0 none */
	int64_t cells_at_ms;
	bool delta_mode;       /* subscribe answered "mode":"delta" */
	bool cells_pushed;     /* "cells" is subscribed (else asked when sites change) */
	bool reconnect_now;    /* drop the connection at the next turn (a resync failed) */
	/* pushed topics in the delta protocol: the list kept from snapshots
	 * and deltas (NULL before the topic's first one), whether it changed
	 * since d.list was built from it, the pending "resync" request */
	struct sd_merge *merge[SD_SRC_PUSHED];
	bool merge_dirty[SD_SRC_PUSHED];
	long resync_req[SD_SRC_PUSHED];
	/* polled sources (SD_SRC_ALARMS_ALL ...): pending request id, sent at */
	long req[SD_SRC_COUNT];
	int64_t req_at[SD_SRC_COUNT];
	bool show_cleared;     /* the alarms view lists cleared alarms too */
	char heat_site[64];    /* the site whose heat map is asked for */
	int heat_want[2];      /* rows, cols that fit the terminal */
	int heat_asked[2];     /* rows, cols of the last request */
	long ack_req;          /* pending "alarm.ack", 0 none */
	char banner[256];
	char scope[192];       /* "role/factory" of the data shown */
	/* data */
	struct sd_data d;
	json_t *pending[SD_SRC_COUNT];   /* pushed, not yet applied (rate limit) */
	int64_t applied_ms;
	/* navigation */
	struct sd_frame *stack[SD_MAX_DEPTH];
	int depth;
	/* look */
	struct sd_theme theme;
	const char *theme_opt; /* --theme, $SLICEDECK_THEME or :theme; NULL = the engine's */
	struct sd_glyphs g;
	bool color;
	/* prompt (":" and "/") */
	int mode;              /* 0 normal, ':' command, '/' filter */
	char input[128];
	char saved_filter[128];
	char msg[256];
	int64_t msg_until_ms;
	int body_rows;         /* rows of the current table body (paging) */
	struct sd_kpi_charts charts;
};

struct sd_frame *sd_ui_top(struct sd_ui *u);
/* Push a new frame of view v with arg (may be NULL) and a preset filter. */
void sd_ui_push(struct sd_ui *u, enum sd_view_id v, const char *arg, const char *filter);
void sd_ui_message(struct sd_ui *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Build the frame's table if its sources changed. */
void sd_ui_build(struct sd_ui *u, struct sd_frame *f);
/* The role the engine gave us ("operator", "viewer", "factory"). */
const char *sd_ui_role(const struct sd_ui *u);

/* Send the requests the open views need (SLA, coverage, cleared alarms,
 * a heat map) when a refresh period has passed since the last answer;
 * never waits. */
void sd_ui_poll(struct sd_ui *u, bool now);
/* The slice detail's KPI history: asks the engine ("kpi", latency and
 * UEs) when the detail opens and every refresh period, never waiting;
 * called from sd_ui_poll, also while disconnected (drops what is pending). */
void sd_ui_charts_poll(struct sd_ui *u);
/* A reply with this id to a chart request: taken (true) or not ours. */
bool sd_ui_charts_reply(struct sd_ui *u, const json_t *ev, json_int_t id);
/* Acknowledge the alarm selected in the alarms view (operator only). */
void sd_ui_ack(struct sd_ui *u);

/* The help view's rows come from the screen's binding table. */
void sd_ui_help_rows(struct sd_ui *u, struct sd_table *t);

#endif

/* plugins/slicedeck-plugin.h — the slicedeck plugin ABI (public, frozen).
 *
 * A plugin is a shared object NAME.so in the engine's plugin directory
 * (plugins.dir, default /usr/lib/slicedeck/plugins). It exports one
 * function:
 *
 *     const struct sdp_plugin *slicedeck_plugin_entry(void);
 *
 * which returns a static registration (struct sdp_plugin). The engine
 * loads a plugin only by the name in its configuration (plugins.load[].name,
 * a plain token: no '/', no "..") from that one directory, which must be
 * owned by root or by the engine's user and not writable by group or others.
 * Before anything else it checks, in this order:
 *
 *   1. abi_major == SDP_ABI_MAJOR (a different major is refused);
 *   2. abi_minor <= the engine's SDP_ABI_MINOR (a plugin built for a newer
 *      engine is refused);
 *   3. size >= the size of struct sdp_plugin as of ABI 1.0 (the struct only
 *      grows at the end; the engine reads no member past size);
 *   4. name equals the configured name, init is set.
 *
 * Then, for each configured plugin in order:
 *
 *   init(host, ctx, &state, err, errsz)   once, after dlopen: allocate state.
 *                                          Non-zero: refused with err.
 *   configure(state, err, errsz)          read the plugin's settings through
 *                                          host->setting_* (and at reload).
 *                                          Non-zero: refused with err. Keys
 *                                          the plugin did not read are errors
 *                                          reported as FILE:LINE.
 *   start(state, err, errsz)              add fd watchers, timers, subscribe.
 *   stop(state)                           at shutdown (or after a failed
 *                                          configure/start): remove watchers
 *                                          and timers, free state.
 *
 * A refused plugin is reported (log + `slicedeck plugins`, state "failed"
 * with the reason) and the engine carries on without it.
 *
 * Everything runs on the engine's one event loop, on its thread: a plugin
 * must never block (use non-blocking sockets with host->watch, and timers
 * for retries). A plugin runs in the engine's process: a plugin that
 * crashes (a segfault, an abort) takes the whole engine down, as in every
 * in-process plugin system. Under systemd the unit's Restart=on-failure
 * starts the engine again after RestartSec; a plugin that crashes at once
 * makes the unit hit its start limit and stay failed — remove it from the
 * configuration.
 *
 * Host services come in struct sdp_host; it only grows at the end (check
 * host->size before using a member added after ABI 1.0). A changed
 * signature gets a new member name. Strings the host passes are valid for
 * the call only; strings a plugin passes are copied.
 *
 * History: 1.0 the first ABI; 1.1 adds, at the end of struct sdp_host,
 * slice_live (a slice's live UE and PDU session figures) and nf_report /
 * nf_withdraw (NF instances as inventory, a source's). A plugin built with
 * this header declares 1.1 and is refused by a 1.0 engine; one built for
 * 1.0 still loads.
 *
 * This header includes only the C library: a plugin needs nothing else of
 * slicedeck's source to build (cc -shared -fPIC -o NAME.so NAME.c).
 */
#ifndef SLICEDECK_PLUGIN_H
#define SLICEDECK_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SDP_ABI_MAJOR 1
#define SDP_ABI_MINOR 1   /* 1.1: slice_live, nf_report, nf_withdraw */

#define SDP_ENTRY_SYMBOL "slicedeck_plugin_entry"

/* What a plugin does (bits of sdp_plugin.kind; informational). */
enum sdp_kind {
	SDP_KIND_SOURCE = 1 << 0,   /* publishes samples / inventory */
	SDP_KIND_SINK   = 1 << 1,   /* receives alarms, audit entries, usage */
};

/* Log levels (syslog's). */
enum sdp_level { SDP_LOG_ERR = 3, SDP_LOG_WARNING = 4, SDP_LOG_NOTICE = 5,
		 SDP_LOG_INFO = 6, SDP_LOG_DEBUG = 7 };

/* fd watcher events */
#define SDP_EV_READ  1
#define SDP_EV_WRITE 2
#define SDP_EV_ERROR 4

/* Event kinds a sink subscribes to (bits: 1u << kind). Append-only. */
enum sdp_event_kind {
	SDP_EVENT_ALARM = 1,
	SDP_EVENT_AUDIT = 2,
	SDP_EVENT_USAGE = 3,
};
#define SDP_EVENT_BIT(k) (1u << (k))

/* An alarm notification (X.733 vocabulary, as the engine's alarm list). */
struct sdp_alarm {
	const char *notif;          /* "new", "changed", "cleared", "acked" */
	uint64_t id;
	const char *severity;       /* "critical" ... "cleared" */
	const char *type;           /* "qualityOfServiceAlarm", ... */
	const char *cause;          /* "thresholdCrossed", ... */
	const char *object;         /* "slice=f1-vision" */
	const char *factory;        /* "" zone-wide */
	const char *problem;
	const char *text;
	int64_t raised_ms, changed_ms, cleared_ms;   /* 0 = not yet */
};

/* An audit entry as written. */
struct sdp_audit {
	int64_t seq, time_ms;
	const char *user, *role, *factory, *op, *object_factory, *outcome;
};

/* A usage record (volumes in bytes). */
struct sdp_usage {
	const char *key, *factory, *slice;
	uint64_t ul_bytes, dl_bytes, seconds;
	int64_t start_ms, end_ms;
};

struct sdp_event {
	enum sdp_event_kind kind;
	union {
		struct sdp_alarm alarm;
		struct sdp_audit audit;
		struct sdp_usage usage;
	} u;
};

/* ABI 1.1: an NF instance a source reports (nf_report). */
struct sdp_nf {
	uint32_t size;              /* sizeof(struct sdp_nf) of the plugin */
	const char *id;             /* unique among the engine's NFs: 1..39
				     * characters of [A-Za-z0-9._:-] */
	const char *type;           /* NFType: "UPF", "AMF", ... (1..15 of [A-Z0-9_]) */
	const char *addr;           /* where it is reached ("127.0.0.7:9090"), or "" */
	int reachable;              /* 1: it answers; 0: it does not (an NF alarm) */
	int load;                   /* 0..100 percent, -1 not known */
};

/* ABI 1.1: the live figures of a slice (slice_live). */
enum sdp_live_field {
	SDP_LIVE_UES = 1,           /* registered UEs */
	SDP_LIVE_PDU_SESSIONS = 2,  /* established PDU sessions */
};

struct sdp_ctx;   /* the host's handle for one loaded plugin */

typedef void (*sdp_fd_fn)(int fd, int events, void *arg);
typedef void (*sdp_timer_fn)(uint64_t id, void *arg);
typedef void (*sdp_event_fn)(const struct sdp_event *ev, void *arg);

struct sdp_host {
	uint32_t size;              /* sizeof(struct sdp_host) of the engine */
	uint32_t abi_major, abi_minor;

	void (*log)(struct sdp_ctx *c, enum sdp_level level, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));

	/* The engine's loop. watch: 0 or -1; events SDP_EV_READ|WRITE; a second
	 * watch of the same fd changes its events. A timer fires once after
	 * after_ms (0: next turn); returns its id (never 0). */
	int (*watch)(struct sdp_ctx *c, int fd, int events, sdp_fd_fn fn, void *arg);
	void (*unwatch)(struct sdp_ctx *c, int fd);
	uint64_t (*timer_add)(struct sdp_ctx *c, int64_t after_ms, sdp_timer_fn fn, void *arg);
	void (*timer_del)(struct sdp_ctx *c, uint64_t id);
	int64_t (*now_ms)(struct sdp_ctx *c);        /* monotonic */
	int64_t (*wall_ms)(struct sdp_ctx *c);       /* Unix time */

	/* Sink: events of the kinds in mask (SDP_EVENT_BIT) are queued (at
	 * most max_queued; overflow is counted and logged) and delivered on
	 * the loop, never inside the publisher. One subscription per plugin;
	 * a second call replaces it. 0 or -1. */
	int (*subscribe)(struct sdp_ctx *c, unsigned mask, size_t max_queued,
			 sdp_event_fn fn, void *arg);

	/* Source: a KPI sample of a configured slice. metric is the KPI
	 * store's name ("latency_ms", "throughput_ul_mbps", "registered_ues",
	 * ...; see docs/plugins.md); time_ms 0 = now. 0, or -1 for an unknown
	 * slice or metric. */
	int (*publish_sample)(struct sdp_ctx *c, const char *slice, const char *metric,
			      double value, int64_t time_ms);
	/* The configured slice with this S-NSSAI (sst, sd as 6 hex digits or
	 * "" for none), copied into buf; 0, or -1 when none. */
	int (*slice_by_snssai)(struct sdp_ctx *c, int sst, const char *sd, char *buf, size_t bufsz);

	/* The plugin's settings (plugins.load[].settings). Reading a key marks
	 * it known. setting_str returns def when the key is absent, and NULL
	 * (with a configuration error recorded) when it is not a string. */
	const char *(*setting_str)(struct sdp_ctx *c, const char *key, const char *def);
	long long (*setting_int)(struct sdp_ctx *c, const char *key, long long def,
				 long long min, long long max);
	int (*setting_bool)(struct sdp_ctx *c, const char *key, int def);
	/* Report a problem with a setting: "FILE:LINE: plugins.NAME.KEY: msg"
	 * (key NULL: the plugin's entry). configure should then fail. */
	void (*config_error)(struct sdp_ctx *c, const char *key, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));

	/* Read a secret file (at most bufsz-1 bytes, one trailing newline
	 * removed): refused when the file is readable or writable by others.
	 * 0, or -1 with why in err. */
	int (*read_secret)(struct sdp_ctx *c, const char *path, char *buf, size_t bufsz,
			   char *err, size_t errsz);

	/* --- ABI 1.1 ---------------------------------------------------------- */

	/* Source: a configured slice's live figure (the UES and PDU columns of
	 * the slices view, `slicedeck slices`), value >= 0, or -1 for "not
	 * known". Consoles get the change as a delta. A KPI sample is a
	 * separate publish_sample ("ues", "pdu_sessions"). 0, or -1 for an
	 * unknown slice or field or a value below -1. */
	int (*slice_live)(struct sdp_ctx *c, const char *slice, enum sdp_live_field field,
			  long value);
	/* Source: inventory. Add or update an NF instance in the engine's NF
	 * list (`slicedeck nfs`, source = the plugin's name, status
	 * REGISTERED); an NF that is not reachable raises the engine's NF
	 * alarm like one the NRF lists. An id the NRF (or another plugin)
	 * already reports is refused. 0, or -1 (bad fields, refused). */
	int (*nf_report)(struct sdp_ctx *c, const struct sdp_nf *nf);
	/* Remove an NF this plugin reported. 0, or -1 when
	 * the plugin reports no NF with that id. The loader withdraws every NF
	 * a plugin reported when it stops. */
	int (*nf_withdraw)(struct sdp_ctx *c, const char *id);
	/* new members go here */
};

struct sdp_plugin {
	uint32_t abi_major, abi_minor;   /* SDP_ABI_MAJOR, SDP_ABI_MINOR */
	uint32_t size;                   /* sizeof(struct sdp_plugin) */
	const char *name;                /* == the file's base name */
	const char *version;
	unsigned kind;                   /* enum sdp_kind bits */
	const char *description;

	int  (*init)(const struct sdp_host *host, struct sdp_ctx *ctx, void **state,
		     char *err, size_t errsz);
	int  (*configure)(void *state, char *err, size_t errsz);
	int  (*start)(void *state, char *err, size_t errsz);
	void (*stop)(void *state);
	/* new members go here */
};

/* Fill the ABI fields of a registration. */
#define SDP_PLUGIN_HEADER .abi_major = SDP_ABI_MAJOR, .abi_minor = SDP_ABI_MINOR, \
	.size = sizeof(struct sdp_plugin)

typedef const struct sdp_plugin *(*sdp_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif

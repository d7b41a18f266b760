/* snmp/snmp_sink.c — see snmp_sink.h. */
#include "snmp/snmp_sink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stddef.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/large_fd_set.h>

#include "core/access.h"
#include "core/ipc.h"
#include "core/log.h"
#include "core/util.h"
#include "snmp/snmp_agentx.h"
#include "snmp/snmp_conf.h"
#include "snmp/snmp_mib.h"

#define BUS_QUEUE 50000            /* bus events waiting for the sink */
#define RESOLVE_POLL_MS 100
#define RESOLVE_RETRY_MS 30000

/* --- OIDs (SLICEDECK-MIB, SNMPv2-MIB) -------------------------------------- */

static const oid oid_sysuptime[] = { 1, 3, 6, 1, 2, 1, 1, 3, 0 };
static const oid oid_trapoid[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };
static const oid oid_coldstart[] = { 1, 3, 6, 1, 6, 3, 1, 1, 5, 1 };
static const oid oid_warmstart[] = { 1, 3, 6, 1, 6, 3, 1, 1, 5, 2 };
#define SD_MIB 1, 3, 6, 1, 4, 1, 32473
enum { NOTIF_NEW = 1, NOTIF_CHANGED, NOTIF_CLEARED, NOTIF_ACKED, NOTIF_HEARTBEAT, NOTIF_STORM };
/* sdNotifyObjects columns */
enum {
	O_ALARM_ID = 1, O_NOTIF_ID, O_OBJECT, O_FACTORY, O_SLICE, O_SNSSAI, O_EVENT_TYPE,
	O_CAUSE, O_SEVERITY, O_PROBLEM, O_TEXT, O_OBSERVED, O_THRESHOLD, O_UNIT,
	O_RAISED, O_EVENT_TIME, O_ACKED_BY, O_HB_SEQ, O_ACTIVE, O_STORM_INTERVAL,
	O_STORM_MAJOR, O_STORM_MINOR, O_STORM_WARNING, O_STORM_OTHER,
};

/* --- what waits in a target's queue ------------------------------------------ */

enum note_kind { N_ALARM, N_HEARTBEAT, N_STORM, N_COLDSTART, N_WARMSTART };

struct note {
	enum note_kind kind;
	enum sd_alarm_notif notif;
	uint32_t hb_seq, active;
	uint32_t storm[4];            /* major, minor, warning, other */
	struct sd_alarm a;
};

/* A ring of note pointers. */
struct ring {
	struct note **v;
	int cap, head, len;
};

enum tstate { T_UNKNOWN, T_UP, T_DOWN };

/* One getaddrinfo_a request, on the heap: glibc's resolver thread writes
 * into it until it is done, so a target that goes away before then leaves
 * it behind rather than wait for DNS (see target_free). */
struct resolve {
	struct gaicb cb;
	struct gaicb *v[1];
	char name[130];
	char port[8];
};

struct target {
	struct sd_snmp *owner;
	struct sd_snmp_target conf;   /* a copy (secrets wiped when freed) */
	char address[160];            /* "udp6:[::1]:1162" once resolved */
	void *sess;                   /* net-snmp single session, NULL until open */
	int fd;
	bool closing;
	/* resolution of a host name */
	struct resolve *res;          /* a getaddrinfo_a in progress, or NULL */
	bool resolving;
	uint64_t resolve_timer;
	/* queues: hi = critical and the engine's own; lo = the rest; their
	 * total is at most conf.queue */
	struct ring hi, lo;
	int outstanding;              /* informs in flight */
	/* storm guard */
	double tokens;
	int64_t refill_ms;
	uint32_t storm[4];            /* suppressed since the last summary */
	uint64_t storm_timer;
	/* counters */
	uint64_t sent, acked, failed, dropped, suppressed;
	enum tstate state;
	char last_error[160];
};

struct sd_snmp {
	const struct sd_host *host;
	struct sd_snmp_source src;
	int sub;                      /* bus subscription */
	struct target **t;
	int nt;
	unsigned char engine_id[SD_SNMP_ENGINE_ID_MAX];
	size_t engine_id_len;
	char engine_id_hex[2 + 2 * SD_SNMP_ENGINE_ID_MAX + 1];
	long boots;
	int64_t start_ms;
	uint64_t timeout_timer;
	int64_t timeout_due;          /* loop ms of timeout_timer, 0 none */
	uint64_t hb_timer;
	int heartbeat_s, storm_interval_s;
	uint32_t hb_seq;
	uint64_t kick_timer;
	netsnmp_large_fd_set fds;
	struct sd_agentx *agentx;     /* NULL without snmp.agentx.socket */
};

static void kick(struct sd_snmp *s);

/* --- net-snmp's log into ours ------------------------------------------------ */

/* net-snmp's messages into our log. A message that repeats the previous
 * one (the AgentX code's "Failed to connect" at every retry) is counted,
 * not logged again: one line per change of state. */
static char last_msg[512];
static unsigned last_repeats;

static int on_netsnmp_log(int major, int minor, void *server, void *client)
{
	const struct snmp_log_message *m = server;
	char line[512];
	size_t n;
	if (!m || !m->msg)
		return 0;
	n = strlen(m->msg);
	while (n && (m->msg[n - 1] == '\n' || m->msg[n - 1] == '\r' || m->msg[n - 1] == ' ' ||
		     m->msg[n - 1] == ':'))
		n--;
	sd_sanitize(line, sizeof line, m->msg, n);
	if (strcmp(line, last_msg) == 0) {
		last_repeats++;
		return 0;
	}
	if (last_repeats)
		sd_log(SD_LOG_INFO, "net-snmp: (the previous message %u more time%s)", last_repeats,
		       last_repeats == 1 ? "" : "s");
	last_repeats = 0;
	sd_strlcpy(last_msg, line, sizeof last_msg);
	sd_log(m->priority <= LOG_WARNING ? SD_LOG_WARN
	       : m->priority <= LOG_INFO ? SD_LOG_NOTICE : SD_LOG_DEBUG, "net-snmp: %s", line);
	return 0;
}

static bool netsnmp_ready;
static bool netsnmp_subagent;  /* the AgentX role was taken at the first start */

static void netsnmp_atexit(void)
{
	snmp_shutdown("slicedeckd");
}

/* Initialise net-snmp, once per process: its library does not survive an
 * init after a shutdown without losing memory, so it stays up until exit
 * (atexit). With snmp.agentx.socket the subagent role is set and the
 * tables registered before init_snmp (which connects to the master and
 * registers what is there); the role is the first start's (the key is
 * restart-only). -1 with err when the tables could not be registered. */
static int netsnmp_up(struct sd_snmp *s, const struct sd_snmp_conf *c,
		      const struct sd_snmp_source *src, char *err, size_t errsz)
{
	int rc = 0;
	bool first = !netsnmp_ready;
	if (first) {
		/* no MIB files, no config files, no persistent state of
		 * net-snmp's own (ours is in the state directory), no SIGALRM */
		setenv("MIBS", "", 1);
		netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_ALARM_DONT_USE_SIG, 1);
		netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
		netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
		netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
				       NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
		netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
				       NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
		snmp_disable_log();
		snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING,
				       on_netsnmp_log, NULL);
		snmp_enable_calllog();
		if (c && c->agentx_socket[0]) {
			sd_agentx_preinit(c->agentx_socket, c->agentx_retry_s);
			netsnmp_subagent = true;
		}
	}
	if (c && c->agentx_socket[0]) {
		if (!netsnmp_subagent) {
			snprintf(err, errsz, "snmp.agentx: the AgentX role is taken at the first "
				 "start of net-snmp in this process");
			rc = -1;
		} else {
			s->agentx = sd_agentx_new(s->host, src, err, errsz);
			if (!s->agentx)
				rc = -1;
		}
	}
	if (first) {
		init_snmp("slicedeckd");
		atexit(netsnmp_atexit);
		netsnmp_ready = true;
	}
	return rc;
}

/* --- the engine ID file ------------------------------------------------------- */

static void hex_of(const unsigned char *b, size_t n, char *out, size_t outsz)
{
	size_t i;
	snprintf(out, outsz, "0x");
	for (i = 0; i < n && 2 + 2 * i + 2 < outsz; i++)
		snprintf(out + 2 + 2 * i, outsz - 2 - 2 * i, "%02x", b[i]);
}

/* STATE_DIR/snmp-engine-id: "engine_id 0x...\nboots N\n". Read, or made
 * (enterprise 32473, format 5 = octets, 8 random octets); boots counts up
 * at each start. A configured snmp.engine_id wins over the file's. */
static int engine_id_load(struct sd_snmp *s, const char *state_dir, const char *configured,
			  char *err, size_t errsz)
{
	char *path = sd_printf("%s/snmp-engine-id", state_dir), *tmp;
	char hex[128] = "";
	long boots = 0;
	FILE *f = fopen(path, "r");
	int n = -1, fd;

	if (f) {
		char line[256];
		while (fgets(line, sizeof line, f)) {
			if (sscanf(line, "engine_id %127s", hex) == 1)
				continue;
			if (sscanf(line, "boots %ld", &boots) == 1)
				continue;
		}
		fclose(f);
		n = sd_snmp_engine_id_parse(hex, s->engine_id, sizeof s->engine_id);
		if (n < 0)
			sd_warn("snmp: %s: no valid engine_id line; making a new engine ID "
				"(receivers with createUser -e must be told)", path);
	}
	if (configured && configured[0])
		n = sd_snmp_engine_id_parse(configured, s->engine_id, sizeof s->engine_id);
	if (n < 0) {
		unsigned char rnd[8];
		static const unsigned char head[] = { 0x80, 0x00, 0x7e, 0xd9, 0x05 };
		if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd) {
			snprintf(err, errsz, "getrandom: %s", strerror(errno));
			free(path);
			return -1;
		}
		memcpy(s->engine_id, head, sizeof head);
		memcpy(s->engine_id + sizeof head, rnd, sizeof rnd);
		n = (int)(sizeof head + sizeof rnd);
		boots = 0;
	}
	s->engine_id_len = (size_t)n;
	hex_of(s->engine_id, s->engine_id_len, s->engine_id_hex, sizeof s->engine_id_hex);
	s->boots = boots < 1 || boots >= 2147483647 ? 1 : boots + 1;
	tmp = sd_printf("%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || dprintf(fd, "engine_id %s\nboots %ld\n", s->engine_id_hex, s->boots) < 0 ||
	    fsync(fd) < 0 || close(fd) < 0 || rename(tmp, path) < 0) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		unlink(tmp);
		free(tmp);
		free(path);
		return -1;
	}
	free(tmp);
	free(path);
	return 0;
}

/* --- rings -------------------------------------------------------------------- */

static int ring_init(struct ring *r, int cap)
{
	r->v = calloc((size_t)cap, sizeof *r->v);
	r->cap = cap;
	r->head = r->len = 0;
	return r->v ? 0 : -1;
}

static void ring_push(struct ring *r, struct note *n)
{
	r->v[(r->head + r->len++) % r->cap] = n;
}

static struct note *ring_pop(struct ring *r)
{
	struct note *n;
	if (!r->len)
		return NULL;
	n = r->v[r->head];
	r->head = (r->head + 1) % r->cap;
	r->len--;
	return n;
}

/* The newest entry, taken off (to make room for a critical alarm). */
static struct note *ring_pop_newest(struct ring *r)
{
	if (!r->len)
		return NULL;
	r->len--;
	return r->v[(r->head + r->len) % r->cap];
}

static void ring_done(struct ring *r)
{
	struct note *n;
	while ((n = ring_pop(r)))
		free(n);
	free(r->v);
	r->v = NULL;
}

/* --- PDUs --------------------------------------------------------------------- */

static void add_oid_var(netsnmp_pdu *p, const oid *name, size_t len, int type,
			const void *val, size_t vlen)
{
	snmp_pdu_add_variable(p, name, len, (u_char)type, val, vlen);
}

static void add_obj(netsnmp_pdu *p, int col, int type, const void *val, size_t vlen)
{
	const oid name[] = { SD_MIB, 1, 1, (oid)col, 0 };
	add_oid_var(p, name, SD_ARRAY_LEN(name), type, val, vlen);
}

static void add_str(netsnmp_pdu *p, int col, const char *v)
{
	add_obj(p, col, ASN_OCTET_STR, v, strlen(v));
}

static void add_uint(netsnmp_pdu *p, int col, int type, uint64_t v)
{
	u_long u = (u_long)(v & 0xffffffffu);
	add_obj(p, col, type, &u, sizeof u);
}

static void add_int(netsnmp_pdu *p, int col, long v)
{
	add_obj(p, col, ASN_INTEGER, &v, sizeof v);
}

/* DateAndTime (SNMPv2-TC), UTC; empty for "not yet". */
static void add_time(netsnmp_pdu *p, int col, int64_t ms)
{
	unsigned char b[11];
	size_t n = sd_snmp_date_and_time(ms, b);
	add_obj(p, col, ASN_OCTET_STR, b, n);
}

/* A double as the shortest decimal that reads back the same; "" for NAN. */
static void decimal(double v, char *out, size_t n)
{
	if (isnan(v) || isinf(v)) {
		out[0] = '\0';
		return;
	}
	snprintf(out, n, "%.15g", v);
	if (strtod(out, NULL) != v)
		snprintf(out, n, "%.17g", v);
}

static void add_alarm(netsnmp_pdu *p, enum sd_alarm_notif kind, const struct sd_alarm *a)
{
	char d[32];
	int64_t when = kind == SD_ALARM_NEW ? a->raised_ms : kind == SD_ALARM_CLEARED ? a->cleared_ms
		     : kind == SD_ALARM_ACKED ? a->acked_ms : a->changed_ms;
	add_uint(p, O_ALARM_ID, ASN_UNSIGNED, a->id);
	add_uint(p, O_NOTIF_ID, ASN_UNSIGNED, a->notification_id);
	add_str(p, O_OBJECT, a->object);
	add_str(p, O_FACTORY, a->factory);
	add_str(p, O_SLICE, a->slice);
	add_str(p, O_SNSSAI, a->snssai);
	add_int(p, O_EVENT_TYPE, sd_snmp_itu_event_type(a->type));
	add_int(p, O_CAUSE, sd_snmp_itu_cause(a->cause));
	add_int(p, O_SEVERITY, sd_snmp_itu_severity(a->severity));
	add_str(p, O_PROBLEM, a->problem);
	add_str(p, O_TEXT, a->text);
	decimal(a->observed, d, sizeof d);
	add_str(p, O_OBSERVED, d);
	decimal(a->target, d, sizeof d);
	add_str(p, O_THRESHOLD, d);
	add_str(p, O_UNIT, a->unit);
	add_time(p, O_RAISED, a->raised_ms);
	add_time(p, O_EVENT_TIME, when ? when : a->changed_ms);
	add_str(p, O_ACKED_BY, a->acked_by);
}

static netsnmp_pdu *build_pdu(struct sd_snmp *s, const struct target *t, const struct note *n)
{
	netsnmp_pdu *p = snmp_pdu_create(t->conf.inform ? SNMP_MSG_INFORM : SNMP_MSG_TRAP2);
	u_long ticks = (u_long)(((sd_loop_now(s->host->loop) - s->start_ms) / 10) & 0xffffffffu);
	oid trap[16];
	size_t tlen;
	static const oid base[] = { SD_MIB, 0 };
	if (!p)
		return NULL;
	add_oid_var(p, oid_sysuptime, SD_ARRAY_LEN(oid_sysuptime), ASN_TIMETICKS, &ticks,
		    sizeof ticks);
	memcpy(trap, base, sizeof base);
	tlen = SD_ARRAY_LEN(base) + 1;
	switch (n->kind) {
	case N_COLDSTART:
		memcpy(trap, oid_coldstart, sizeof oid_coldstart);
		tlen = SD_ARRAY_LEN(oid_coldstart);
		break;
	case N_WARMSTART:
		memcpy(trap, oid_warmstart, sizeof oid_warmstart);
		tlen = SD_ARRAY_LEN(oid_warmstart);
		break;
	case N_HEARTBEAT:
		trap[tlen - 1] = NOTIF_HEARTBEAT;
		break;
	case N_STORM:
		trap[tlen - 1] = NOTIF_STORM;
		break;
	case N_ALARM:
		trap[tlen - 1] = n->notif == SD_ALARM_NEW ? NOTIF_NEW
			       : n->notif == SD_ALARM_CHANGED ? NOTIF_CHANGED
			       : n->notif == SD_ALARM_CLEARED ? NOTIF_CLEARED : NOTIF_ACKED;
		break;
	}
	add_oid_var(p, oid_trapoid, SD_ARRAY_LEN(oid_trapoid), ASN_OBJECT_ID, trap,
		    tlen * sizeof(oid));
	switch (n->kind) {
	case N_HEARTBEAT:
		add_uint(p, O_HB_SEQ, ASN_UNSIGNED, n->hb_seq);
		add_uint(p, O_ACTIVE, ASN_GAUGE, n->active);
		break;
	case N_STORM:
		add_uint(p, O_STORM_INTERVAL, ASN_UNSIGNED, (uint64_t)s->storm_interval_s);
		add_uint(p, O_STORM_MAJOR, ASN_UNSIGNED, n->storm[0]);
		add_uint(p, O_STORM_MINOR, ASN_UNSIGNED, n->storm[1]);
		add_uint(p, O_STORM_WARNING, ASN_UNSIGNED, n->storm[2]);
		add_uint(p, O_STORM_OTHER, ASN_UNSIGNED, n->storm[3]);
		break;
	case N_ALARM:
		add_alarm(p, n->notif, &n->a);
		break;
	default:
		break;
	}
	return p;
}

/* --- target state -------------------------------------------------------------- */

static void set_state(struct target *t, enum tstate st, const char *why)
{
	if (st == t->state)
		return;
	if (st == T_DOWN) {
		sd_strlcpy(t->last_error, why, sizeof t->last_error);
		sd_warn("snmp target %s (%s): %s; further failures are counted (slicedeck snmp), "
			"not logged", t->conf.name, t->address[0] ? t->address : t->conf.host, why);
	} else if (st == T_UP && t->state == T_DOWN) {
		sd_notice("snmp target %s (%s): %s again", t->conf.name, t->address,
			  t->conf.inform ? "acknowledging" : "accepting notifications");
	}
	t->state = st;
}

static int on_response(int op, netsnmp_session *sess, int reqid, netsnmp_pdu *pdu, void *magic)
{
	struct target *t = magic;
	if (t->closing)
		return 1;
	switch (op) {
	case NETSNMP_CALLBACK_OP_RESEND:
		return 1;
	case NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE:
		t->outstanding--;
		if (pdu && pdu->command == SNMP_MSG_RESPONSE) {
			t->acked++;
			sd_debug("snmp target %s: inform %d acknowledged", t->conf.name, reqid);
			set_state(t, T_UP, "");
		} else {
			t->failed++;
			sd_debug("snmp target %s: inform %d answered with a report", t->conf.name, reqid);
			set_state(t, T_DOWN, "informs answered with an SNMPv3 report (user, keys "
				  "or engine ID do not match the receiver's)");
		}
		break;
	case NETSNMP_CALLBACK_OP_TIMED_OUT:
		t->outstanding--;
		t->failed++;
		sd_debug("snmp target %s: inform %d not acknowledged after %d tries", t->conf.name,
			 reqid, t->conf.retries + 1);
		{
			char why[160];
			snprintf(why, sizeof why, "informs not acknowledged (%d tries of %d ms)",
				 t->conf.retries + 1, t->conf.timeout_ms);
			set_state(t, T_DOWN, why);
		}
		break;
	default:
		t->outstanding--;
		t->failed++;
		set_state(t, T_DOWN, op == NETSNMP_CALLBACK_OP_SEC_ERROR
			  ? "SNMPv3 security error on an inform" : "an inform could not be sent");
		break;
	}
	if (t->outstanding < 0)
		t->outstanding = 0;
	kick(t->owner);   /* a slot freed: send more, outside this callback */
	return 1;
}

/* Send from the queues while the window allows. */
static void flush_target(struct sd_snmp *s, struct target *t)
{
	while (t->sess && (t->hi.len || t->lo.len)) {
		struct note *n;
		netsnmp_pdu *p;
		if (t->conf.inform && t->outstanding >= SD_SNMP_WINDOW)
			return;
		n = t->hi.len ? ring_pop(&t->hi) : ring_pop(&t->lo);
		p = build_pdu(s, t, n);
		free(n);
		if (!p) {
			t->failed++;
			continue;
		}
		if (snmp_sess_async_send(t->sess, p, t->conf.inform ? on_response : NULL, t) == 0) {
			int liberr = 0, syserr = 0;
			char *msg = NULL;
			char why[200];
			snmp_free_pdu(p);
			t->failed++;
			snmp_sess_error(t->sess, &liberr, &syserr, &msg);
			snprintf(why, sizeof why, "sending failed: %s", msg ? msg : "?");
			free(msg);
			set_state(t, T_DOWN, why);
			continue;
		}
		t->sent++;
		if (t->conf.inform)
			t->outstanding++;
		else
			set_state(t, T_UP, "");
	}
}

static void on_kick(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct sd_snmp *s = arg;
	int i;
	s->kick_timer = 0;
	for (i = 0; i < s->nt; i++)
		flush_target(s, s->t[i]);
}

static void kick(struct sd_snmp *s)
{
	if (!s->kick_timer)
		s->kick_timer = sd_loop_timer_add(s->host->loop, 0, on_kick, s);
}

/* --- admission: queue, storm guard ------------------------------------------------ */

static int storm_slot(const struct note *n)
{
	enum sd_alarm_severity sev = n->notif == SD_ALARM_CLEARED ? SD_SEV_CLEARED : n->a.severity;
	return sev == SD_SEV_MAJOR ? 0 : sev == SD_SEV_MINOR ? 1 : sev == SD_SEV_WARNING ? 2 : 3;
}

static bool is_critical(const struct note *n)
{
	if (n->kind != N_ALARM)
		return true;   /* the engine's own go first and are never suppressed */
	return n->a.severity == SD_SEV_CRITICAL ||
	       (n->notif == SD_ALARM_CLEARED && n->a.last_severity == SD_SEV_CRITICAL);
}

static void on_storm_timer(struct sd_loop *loop, uint64_t id, void *arg);

static bool take_token(struct sd_snmp *s, struct target *t)
{
	int64_t now = sd_loop_now(s->host->loop);
	t->tokens += (double)(now - t->refill_ms) * t->conf.rate / 1000.0;
	if (t->tokens > t->conf.burst)
		t->tokens = t->conf.burst;
	t->refill_ms = now;
	if (t->tokens < 1)
		return false;
	t->tokens -= 1;
	return true;
}

/* Queue a copy of n for t (n stays the caller's). */
static void offer(struct sd_snmp *s, struct target *t, const struct note *n)
{
	bool crit = is_critical(n);
	struct note *c;
	if (n->kind == N_ALARM && !crit && !take_token(s, t)) {
		t->suppressed++;
		t->storm[storm_slot(n)]++;
		if (!t->storm_timer)
			t->storm_timer = sd_loop_timer_add(s->host->loop,
							   (int64_t)s->storm_interval_s * 1000,
							   on_storm_timer, t);
		return;
	}
	if (t->hi.len + t->lo.len >= t->conf.queue) {
		struct note *victim = crit ? ring_pop_newest(&t->lo) : NULL;
		t->dropped++;
		if (!victim)
			return;
		free(victim);
	}
	c = malloc(sizeof *c);
	if (!c) {
		t->dropped++;
		return;
	}
	*c = *n;
	ring_push(crit ? &t->hi : &t->lo, c);
	/* offers come from the loop (bus delivery, timers), never from a
	 * net-snmp callback: send now, so a burst waits only for the window */
	flush_target(s, t);
}

static void on_storm_timer(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct target *t = arg;
	struct note n = { .kind = N_STORM };
	t->storm_timer = 0;
	memcpy(n.storm, t->storm, sizeof n.storm);
	memset(t->storm, 0, sizeof t->storm);
	sd_notice("snmp target %s: storm guard held back %u major, %u minor, %u warning, %u "
		  "other notifications in %d s; sending sdStormSummary", t->conf.name,
		  n.storm[0], n.storm[1], n.storm[2], n.storm[3], t->owner->storm_interval_s);
	offer(t->owner, t, &n);
}

static void offer_all(struct sd_snmp *s, const struct note *n)
{
	int i;
	for (i = 0; i < s->nt; i++)
		offer(s, s->t[i], n);
}

/* --- sessions ---------------------------------------------------------------------- */

static void on_readable(struct sd_loop *loop, int fd, int events, void *arg)
{
	struct target *t = arg;
	struct sd_snmp *s = t->owner;
	if (!t->sess)
		return;
	NETSNMP_LARGE_FD_ZERO(&s->fds);
	NETSNMP_LARGE_FD_SET(fd, &s->fds);
	snmp_sess_read2(t->sess, &s->fds);
}

static const char *auth_oid(const char *name, const oid **o, size_t *len)
{
	static const struct { const char *n; const oid *o; size_t len; } tab[] = {
		{ "MD5", usmHMACMD5AuthProtocol, OID_LENGTH(usmHMACMD5AuthProtocol) },
		{ "SHA", usmHMACSHA1AuthProtocol, OID_LENGTH(usmHMACSHA1AuthProtocol) },
		{ "SHA-224", usmHMAC128SHA224AuthProtocol, OID_LENGTH(usmHMAC128SHA224AuthProtocol) },
		{ "SHA-256", usmHMAC192SHA256AuthProtocol, OID_LENGTH(usmHMAC192SHA256AuthProtocol) },
		{ "SHA-384", usmHMAC256SHA384AuthProtocol, OID_LENGTH(usmHMAC256SHA384AuthProtocol) },
		{ "SHA-512", usmHMAC384SHA512AuthProtocol, OID_LENGTH(usmHMAC384SHA512AuthProtocol) },
	};
	size_t i;
	for (i = 0; i < SD_ARRAY_LEN(tab); i++)
		if (strcmp(tab[i].n, name) == 0) {
			*o = tab[i].o;
			*len = tab[i].len;
			return NULL;
		}
	return "unknown authentication protocol";
}

static const char *priv_oid(const char *name, const oid **o, size_t *len)
{
	if (strcmp(name, "DES") == 0) {
#ifndef NETSNMP_DISABLE_DES
		*o = usmDESPrivProtocol;
		*len = OID_LENGTH(usmDESPrivProtocol);
		return NULL;
#else
		return "DES is not built into this net-snmp";
#endif
	}
	if (strcmp(name, "AES") == 0) {
		*o = usmAESPrivProtocol;
		*len = OID_LENGTH(usmAESPrivProtocol);
		return NULL;
	}
	if (strcmp(name, "AES-192") == 0) {
		*o = usmAES192PrivProtocol;
		*len = OID_LENGTH(usmAES192PrivProtocol);
		return NULL;
	}
	if (strcmp(name, "AES-256") == 0) {
		*o = usmAES256PrivProtocol;
		*len = OID_LENGTH(usmAES256PrivProtocol);
		return NULL;
	}
	return "unknown privacy protocol";
}

/* A USM key (Ku) from a passphrase, with the authentication protocol's
 * hash (RFC 3414 A.2; also for the privacy key). */
static bool make_key(const oid *auth, size_t alen, const char *pass, u_char *key,
		     size_t *keylen, size_t cap)
{
	*keylen = cap;
	return generate_Ku(auth, (u_int)alen, (const u_char *)pass, strlen(pass), key,
			   keylen) == SNMPERR_SUCCESS;
}

/* Open t's session to t->address. Secrets pass through the session copy
 * net-snmp makes (and localises), never through a log line. */
static int open_session(struct sd_snmp *s, struct target *t)
{
	netsnmp_session ss;
	unsigned char rid[SD_SNMP_ENGINE_ID_MAX];
	netsnmp_transport *tr;
	const char *why = NULL;
	int rc = -1;

	snmp_sess_init(&ss);
	ss.peername = t->address;
	ss.timeout = (long)t->conf.timeout_ms * 1000;
	ss.retries = t->conf.retries;
	if (t->conf.version == SD_SNMP_V2C) {
		ss.version = SNMP_VERSION_2c;
		ss.community = (u_char *)t->conf.community;
		ss.community_len = strlen(t->conf.community);
	} else {
		const oid *ao = NULL, *po = NULL;
		size_t alen = 0, plen = 0;
		int n;
		ss.version = SNMP_VERSION_3;
		ss.securityName = t->conf.user;
		ss.securityNameLen = strlen(t->conf.user);
		ss.securityLevel = t->conf.security == SD_SNMP_AUTHPRIV ? SNMP_SEC_LEVEL_AUTHPRIV
				 : t->conf.security == SD_SNMP_AUTHNOPRIV ? SNMP_SEC_LEVEL_AUTHNOPRIV
				 : SNMP_SEC_LEVEL_NOAUTH;
		if (t->conf.security != SD_SNMP_NOAUTH) {
			why = auth_oid(t->conf.auth_proto, &ao, &alen);
			if (why)
				goto out;
			ss.securityAuthProto = (oid *)ao;
			ss.securityAuthProtoLen = alen;
			if (!make_key(ao, alen, t->conf.auth_pass, ss.securityAuthKey,
				      &ss.securityAuthKeyLen, USM_AUTH_KU_LEN)) {
				why = "the authentication key could not be made";
				goto out;
			}
		}
		if (t->conf.security == SD_SNMP_AUTHPRIV) {
			why = priv_oid(t->conf.priv_proto, &po, &plen);
			if (why)
				goto out;
			ss.securityPrivProto = (oid *)po;
			ss.securityPrivProtoLen = plen;
			if (!make_key(ao, alen, t->conf.priv_pass, ss.securityPrivKey,
				      &ss.securityPrivKeyLen, USM_PRIV_KU_LEN)) {
				why = "the privacy key could not be made";
				goto out;
			}
		}
		if (t->conf.inform) {
			/* the receiver is authoritative: pinned, so net-snmp never
			 * probes for it (a probe blocks) */
			n = sd_snmp_engine_id_parse(t->conf.engine_id, rid, sizeof rid);
			if (n < 0) {
				why = "no receiver engine_id";
				goto out;
			}
			ss.securityEngineID = rid;
			ss.securityEngineIDLen = (size_t)n;
		} else {
			/* we are authoritative for our traps */
			ss.securityEngineID = s->engine_id;
			ss.securityEngineIDLen = s->engine_id_len;
			ss.engineBoots = (u_int)s->boots;
			ss.engineTime = (u_int)((sd_loop_now(s->host->loop) - s->start_ms) / 1000);
		}
	}
	t->sess = snmp_sess_open(&ss);
	if (!t->sess) {
		int liberr = 0, syserr = 0;
		char *msg = NULL;
		snmp_error(&ss, &liberr, &syserr, &msg);
		snprintf(t->last_error, sizeof t->last_error, "cannot open %s: %s", t->address,
			 msg ? msg : "?");
		free(msg);
		why = t->last_error;
		goto out;
	}
	if (t->conf.version == SD_SNMP_V3 && !t->conf.inform)
		set_enginetime(s->engine_id, s->engine_id_len, (u_int)s->boots, ss.engineTime, TRUE);
	tr = snmp_sess_transport(t->sess);
	t->fd = tr ? tr->sock : -1;
	if (t->fd >= 0)
		sd_loop_watch(s->host->loop, t->fd, SD_EV_READ, on_readable, t);
	sd_info("snmp target %s: %s %s %s", t->conf.name, t->address,
		t->conf.version == SD_SNMP_V2C ? "v2c" : "v3", t->conf.inform ? "informs" : "traps");
	rc = 0;
	kick(s);
out:
	explicit_bzero(&ss, sizeof ss);
	if (why && rc < 0)
		set_state(t, T_DOWN, why);
	return rc;
}

static void on_resolve_poll(struct sd_loop *loop, uint64_t id, void *arg);

/* getaddrinfo_a for a host name; a numeric address opens at once. */
static void start_target(struct sd_snmp *s, struct target *t)
{
	unsigned char b[16];
	const char *h = t->conf.host;
	char host[130];
	size_t n = strlen(h);

	if (h[0] == '[' && n > 2 && h[n - 1] == ']')
		snprintf(host, sizeof host, "%.*s", (int)(n - 2), h + 1);
	else
		sd_strlcpy(host, h, sizeof host);
	if (inet_pton(AF_INET6, host, b) == 1) {
		snprintf(t->address, sizeof t->address, "udp6:[%s]:%d", host, t->conf.port);
		open_session(s, t);
		return;
	}
	if (inet_pton(AF_INET, host, b) == 1) {
		snprintf(t->address, sizeof t->address, "udp:%s:%d", host, t->conf.port);
		open_session(s, t);
		return;
	}
	t->res = calloc(1, sizeof *t->res);
	if (!t->res) {
		set_state(t, T_DOWN, "out of memory resolving the host name");
		t->resolve_timer = sd_loop_timer_add(s->host->loop, RESOLVE_RETRY_MS,
						     on_resolve_poll, t);
		return;
	}
	sd_strlcpy(t->res->name, host, sizeof t->res->name);
	snprintf(t->res->port, sizeof t->res->port, "%d", t->conf.port);
	t->res->cb.ar_name = t->res->name;
	t->res->cb.ar_service = t->res->port;
	t->res->v[0] = &t->res->cb;
	if (getaddrinfo_a(GAI_NOWAIT, t->res->v, 1, NULL) != 0) {
		free(t->res);
		t->res = NULL;
		set_state(t, T_DOWN, "cannot start resolving the host name");
		t->resolve_timer = sd_loop_timer_add(s->host->loop, RESOLVE_RETRY_MS,
						     on_resolve_poll, t);
		return;
	}
	t->resolving = true;
	t->resolve_timer = sd_loop_timer_add(s->host->loop, RESOLVE_POLL_MS, on_resolve_poll, t);
}

static void on_resolve_poll(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct target *t = arg;
	struct sd_snmp *s = t->owner;
	char host[INET6_ADDRSTRLEN];
	struct addrinfo *ai;
	int rc;

	t->resolve_timer = 0;
	if (!t->resolving) {          /* a retry after a failure */
		start_target(s, t);
		return;
	}
	rc = gai_error(&t->res->cb);
	if (rc == EAI_INPROGRESS) {
		t->resolve_timer = sd_loop_timer_add(loop, RESOLVE_POLL_MS, on_resolve_poll, t);
		return;
	}
	t->resolving = false;
	ai = t->res->cb.ar_result;
	free(t->res);
	t->res = NULL;
	if (rc != 0 || !ai) {
		char why[200];
		snprintf(why, sizeof why, "cannot resolve %s: %s (retrying every %d s)",
			 t->conf.host, gai_strerror(rc), RESOLVE_RETRY_MS / 1000);
		if (ai)
			freeaddrinfo(ai);
		set_state(t, T_DOWN, why);
		t->resolve_timer = sd_loop_timer_add(loop, RESOLVE_RETRY_MS, on_resolve_poll, t);
		return;
	}
	if (ai->ai_family == AF_INET6) {
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr, host,
			  sizeof host);
		snprintf(t->address, sizeof t->address, "udp6:[%s]:%d", host, t->conf.port);
	} else {
		inet_ntop(AF_INET, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, host,
			  sizeof host);
		snprintf(t->address, sizeof t->address, "udp:%s:%d", host, t->conf.port);
	}
	freeaddrinfo(ai);
	open_session(s, t);
}

static struct target *target_new(struct sd_snmp *s, const struct sd_snmp_target *c)
{
	struct target *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->owner = s;
	t->conf = *c;
	t->fd = -1;
	t->tokens = c->burst;
	t->refill_ms = sd_loop_now(s->host->loop);
	if (ring_init(&t->hi, c->queue) < 0 || ring_init(&t->lo, c->queue) < 0) {
		free(t->hi.v);
		free(t);
		return NULL;
	}
	return t;
}

static void target_free(struct sd_snmp *s, struct target *t)
{
	uint64_t lost = (uint64_t)(t->hi.len + t->lo.len);
	t->closing = true;
	if (t->res) {
		/* a lookup still running is left to glibc (it writes into
		 * t->res until done); waiting could take the resolver's whole
		 * timeout, and nothing may block the loop */
		if (gai_cancel(&t->res->cb) == EAI_CANCELED ||
		    gai_error(&t->res->cb) != EAI_INPROGRESS) {
			if (gai_error(&t->res->cb) == 0 && t->res->cb.ar_result)
				freeaddrinfo(t->res->cb.ar_result);
			free(t->res);
		}
		t->res = NULL;
	}
	if (t->resolve_timer)
		sd_loop_timer_del(s->host->loop, t->resolve_timer);
	if (t->storm_timer)
		sd_loop_timer_del(s->host->loop, t->storm_timer);
	if (t->fd >= 0)
		sd_loop_unwatch(s->host->loop, t->fd);
	if (t->sess)
		snmp_sess_close(t->sess);
	if (lost || t->outstanding)
		sd_notice("snmp target %s: closed with %llu notification%s queued and %d inform%s "
			  "unanswered", t->conf.name, (unsigned long long)lost, lost == 1 ? "" : "s",
			  t->outstanding, t->outstanding == 1 ? "" : "s");
	ring_done(&t->hi);
	ring_done(&t->lo);
	/* the whole copy, secrets included (through the struct, not a member:
	 * gcc 12 reads &t->conf as its first array) */
	explicit_bzero((char *)t + offsetof(struct target, conf), sizeof t->conf);
	free(t);
}

/* The running configuration's targets; one whose settings did not change
 * keeps its session, queue and counters. */
static void apply_config(struct sd_snmp *s)
{
	const struct sd_snmp_conf *c = sd_snmp_conf_get(sd_host_config(s->host));
	struct target **nt;
	int i, k, n = c ? c->ntargets : 0;

	nt = calloc((size_t)(n ? n : 1), sizeof *nt);
	if (!nt) {
		sd_err("snmp: out of memory applying the targets");
		return;
	}
	for (i = 0; i < n; i++) {
		for (k = 0; k < s->nt; k++)
			if (s->t[k] && memcmp(&s->t[k]->conf, &c->targets[i], sizeof c->targets[i]) == 0)
				break;
		if (k < s->nt) {
			nt[i] = s->t[k];
			s->t[k] = NULL;
			continue;
		}
		nt[i] = target_new(s, &c->targets[i]);
		if (!nt[i]) {
			sd_err("snmp target %s: out of memory", c->targets[i].name);
			continue;
		}
	}
	for (k = 0; k < s->nt; k++)
		if (s->t[k])
			target_free(s, s->t[k]);
	free(s->t);
	s->t = nt;
	s->nt = n;
	/* holes left by allocation failures */
	for (i = k = 0; i < n; i++)
		if (nt[i])
			nt[k++] = nt[i];
	s->nt = k;
	for (i = 0; i < s->nt; i++)
		if (!s->t[i]->sess && !s->t[i]->resolving && !s->t[i]->resolve_timer)
			start_target(s, s->t[i]);
	if (c) {
		s->heartbeat_s = c->heartbeat_s;
		s->storm_interval_s = c->storm_interval_s;
	}
}

/* --- the loop: retransmission timer ---------------------------------------------- */

static void on_timeout(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct sd_snmp *s = arg;
	int i;
	s->timeout_timer = 0;
	s->timeout_due = 0;
	for (i = 0; i < s->nt; i++)
		if (s->t[i]->sess)
			snmp_sess_timeout(s->t[i]->sess);
}

/* Before the loop sleeps: the earliest retransmission of any session
 * becomes our one timer. */
static void before_sleep(struct sd_loop *loop, void *arg)
{
	struct sd_snmp *s = arg;
	int64_t best = -1, due;
	int i;
	for (i = 0; i < s->nt; i++) {
		struct timeval tv = { 0, 0 };
		int nfds = 0, block = 1;
		if (!s->t[i]->sess || !s->t[i]->outstanding)
			continue;
		NETSNMP_LARGE_FD_ZERO(&s->fds);
		snmp_sess_select_info2(s->t[i]->sess, &nfds, &s->fds, &tv, &block);
		if (block)
			continue;
		due = (int64_t)tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000;
		if (best < 0 || due < best)
			best = due;
	}
	if (best < 0)
		return;
	due = sd_loop_now(loop) + best;
	if (s->timeout_timer && s->timeout_due <= due)
		return;
	if (s->timeout_timer)
		sd_loop_timer_del(loop, s->timeout_timer);
	s->timeout_timer = sd_loop_timer_add(loop, best, on_timeout, s);
	s->timeout_due = due;
}

/* --- bus, heartbeat ------------------------------------------------------------------ */

static void count_one(const struct sd_alarm *a, void *arg)
{
	(*(uint32_t *)arg)++;
}

static void on_heartbeat(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct sd_snmp *s = arg;
	struct note n = { .kind = N_HEARTBEAT };
	s->hb_timer = 0;
	n.hb_seq = ++s->hb_seq;
	if (s->src.each_active)
		s->src.each_active(s->src.arg, count_one, &n.active);
	offer_all(s, &n);
	if (s->heartbeat_s > 0)
		s->hb_timer = sd_loop_timer_add(loop, (int64_t)s->heartbeat_s * 1000, on_heartbeat, s);
}

static void arm_heartbeat(struct sd_snmp *s)
{
	if (s->hb_timer)
		sd_loop_timer_del(s->host->loop, s->hb_timer);
	s->hb_timer = s->heartbeat_s > 0
		? sd_loop_timer_add(s->host->loop, (int64_t)s->heartbeat_s * 1000, on_heartbeat, s)
		: 0;
}

static void on_bus(const struct sd_bus_event *ev, void *arg)
{
	struct sd_snmp *s = arg;
	if (ev->kind == SD_BUS_ALARM) {
		struct note *n = malloc(sizeof *n);
		if (!n)
			return;
		memset(n, 0, offsetof(struct note, a));
		n->kind = N_ALARM;
		n->notif = ev->u.alarm.notif;
		n->a = ev->u.alarm.alarm;
		offer_all(s, n);
		free(n);
	} else if (ev->kind == SD_BUS_ENGINE && ev->u.engine.what == SD_ENGINE_RELOADED) {
		struct note n = { .kind = N_WARMSTART };
		int hb = s->heartbeat_s;
		apply_config(s);
		if (hb != s->heartbeat_s)
			arm_heartbeat(s);
		offer_all(s, &n);
	}
}

/* --- the `snmp` op ---------------------------------------------------------------- */

static const char *state_name(enum tstate st)
{
	return st == T_UP ? "up" : st == T_DOWN ? "down" : "unknown";
}

static json_t *op_snmp(struct sd_op_call *call)
{
	struct sd_snmp *s = call->arg;
	json_t *ts = json_array();
	int i;
	if (call->caller->role == SD_ROLE_FACTORY) {
		json_decref(ts);
		return sd_op_fail(call, SD_IPC_E_FORBIDDEN, "the NMS targets are the operator's");
	}
	for (i = 0; i < s->nt; i++) {
		const struct target *t = s->t[i];
		const char *sec = t->conf.version == SD_SNMP_V2C ? "community"
				: t->conf.security == SD_SNMP_AUTHPRIV ? "authPriv"
				: t->conf.security == SD_SNMP_AUTHNOPRIV ? "authNoPriv" : "noAuthNoPriv";
		json_array_append_new(ts, json_pack(
			"{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:i, s:i, s:s, s:s}",
			"name", t->conf.name, "address", t->address[0] ? t->address : t->conf.host,
			"version", t->conf.version == SD_SNMP_V2C ? "2c" : "3",
			"kind", t->conf.inform ? "inform" : "trap", "security", sec,
			"sent", (json_int_t)t->sent, "acked", (json_int_t)t->acked,
			"failed", (json_int_t)t->failed, "dropped", (json_int_t)t->dropped,
			"suppressed", (json_int_t)t->suppressed, "queued", t->hi.len + t->lo.len,
			"outstanding", t->outstanding, "state", state_name(t->state),
			"last_error", t->state == T_DOWN ? t->last_error : ""));
	}
	return json_pack("{s:s, s:I, s:I, s:i, s:i, s:I, s:o}", "engine_id", s->engine_id_hex,
			 "engine_boots", (json_int_t)s->boots,
			 "uptime_s", (json_int_t)((sd_loop_now(s->host->loop) - s->start_ms) / 1000),
			 "heartbeat_s", s->heartbeat_s, "storm_interval_s", s->storm_interval_s,
			 "bus_dropped", (json_int_t)sd_bus_dropped(s->host->bus, s->sub),
			 "targets", ts);
}

static const struct sd_op snmp_ops[] = {
	{ "snmp", op_snmp, SD_PERM_READ, 0, NULL,
	  "SNMP notification targets: per-target counters and state, the engine's v3 engine ID" },
};

/* --- life cycle -------------------------------------------------------------------- */

struct sd_snmp *sd_snmp_new(const struct sd_host *h, const struct sd_snmp_source *src,
			    char *err, size_t errsz)
{
	const struct sd_config *cfg = sd_host_config(h);
	const struct sd_snmp_conf *c = sd_snmp_conf_get(cfg);
	struct sd_snmp *s = calloc(1, sizeof *s);
	struct note cold = { .kind = N_COLDSTART };

	if (!s) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	s->host = h;
	if (src)
		s->src = *src;
	s->start_ms = sd_loop_now(h->loop);
	if (engine_id_load(s, cfg->state_dir, c ? c->engine_id : NULL, err, errsz) < 0) {
		free(s);
		return NULL;
	}
	if (netsnmp_up(s, c, src, err, errsz) < 0) {
		free(s);
		return NULL;
	}
	netsnmp_large_fd_set_init(&s->fds, FD_SETSIZE);
	if (sd_ops_register(h->ops, snmp_ops, SD_ARRAY_LEN(snmp_ops), s) < 0) {
		snprintf(err, errsz, "the snmp op is registered twice");
		netsnmp_large_fd_set_cleanup(&s->fds);
		sd_agentx_free(s->agentx);
		free(s);
		return NULL;
	}
	s->sub = sd_bus_subscribe_queued(h->bus, SD_BUS_BIT(SD_BUS_ALARM) | SD_BUS_BIT(SD_BUS_ENGINE),
					 BUS_QUEUE, on_bus, s);
	sd_loop_before_sleep(h->loop, before_sleep, s);
	apply_config(s);
	arm_heartbeat(s);
	offer_all(s, &cold);
	sd_info("snmp: engine ID %s (boot %ld), %d target%s", s->engine_id_hex, s->boots, s->nt,
		s->nt == 1 ? "" : "s");
	return s;
}

const char *sd_snmp_engine_id(const struct sd_snmp *s)
{
	return s->engine_id_hex;
}

void sd_snmp_free(struct sd_snmp *s)
{
	int i;
	if (!s)
		return;
	sd_bus_unsubscribe(s->host->bus, s->sub);
	sd_ops_unregister(s->host->ops, snmp_ops);
	sd_loop_before_sleep_del(s->host->loop, before_sleep, s);
	/* what the sockets take now still leaves */
	for (i = 0; i < s->nt; i++)
		flush_target(s, s->t[i]);
	for (i = 0; i < s->nt; i++)
		target_free(s, s->t[i]);
	free(s->t);
	if (s->kick_timer)
		sd_loop_timer_del(s->host->loop, s->kick_timer);
	if (s->timeout_timer)
		sd_loop_timer_del(s->host->loop, s->timeout_timer);
	if (s->hb_timer)
		sd_loop_timer_del(s->host->loop, s->hb_timer);
	sd_agentx_free(s->agentx);
	netsnmp_large_fd_set_cleanup(&s->fds);
	free(s);
}

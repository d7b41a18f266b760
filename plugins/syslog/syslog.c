/* plugins/syslog/syslog.c — the `syslog` plugin: alarms and (optionally)
 * audit entries as RFC 5424 messages with structured data, to the local
 * syslog socket (/dev/log, datagrams) or to a remote collector over TCP
 * (RFC 6587 octet counting) or TLS (RFC 5425: octet counting over TLS,
 * the server's certificate verified against a CA file or the system
 * store, its name checked).
 *
 * Non-blocking throughout: a bounded queue of framed messages, a
 * non-blocking connect and TLS handshake driven by the engine's loop,
 * reconnects with a doubling backoff (1 s .. 60 s). What overflows the
 * queue is counted and logged. host must be an IP address literal (no
 * DNS lookup, which would block the loop).
 *
 * Settings: transport ("local" | "tcp" | "tls"), socket (local, default
 * "/dev/log"), host, port (default 514 tcp, 6514 tls), ca (TLS: CA file;
 * "" = system store), server_name (TLS: name to verify, default host),
 * verify (TLS, default true), audit (also audit entries, default true),
 * facility (0..23, default 3 = daemon), hostname (default the host's),
 * app_name (default "slicedeckd"), sd_pen (enterprise number for the SD-IDs,
 * default 32473), queue (default 1000).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "plugins/slicedeck-plugin.h"
#include "plugins/syslog/rfc5424.h"

#define MSG_MAX 4096
enum transport { T_LOCAL, T_TCP, T_TLS };
enum cstate { C_DOWN, C_CONNECTING, C_HANDSHAKE, C_UP };

struct qmsg {
	char *data;
	size_t len, off;
};

struct slg {
	const struct sdp_host *h;
	struct sdp_ctx *c;
	enum transport tr;
	char socket_path[108];
	char host[64];
	int port;
	char ca[256];
	char server_name[256];
	int verify;
	int audit;
	int facility;
	char hostname[256];
	char app_name[49];
	char sd_alarm[33], sd_audit[33];
	char procid[16];
	int qmax;
	/* queue: a ring */
	struct qmsg *q;
	int qhead, qlen;
	unsigned long dropped, sent;
	/* connection */
	int fd;
	enum cstate cs;
	SSL_CTX *ssl_ctx;
	SSL *ssl;
	int want;                     /* SDP_EV_* currently watched */
	uint64_t retry_timer;
	int backoff_ms;
	int complained;
};

static void conn_close(struct slg *s);
static void pump(struct slg *s);

static int sev_of(const char *sev)
{
	/* X.733 severity -> syslog severity */
	if (!strcmp(sev, "critical")) return 2;
	if (!strcmp(sev, "major")) return 3;
	if (!strcmp(sev, "minor")) return 4;
	if (!strcmp(sev, "warning")) return 4;
	if (!strcmp(sev, "cleared")) return 5;
	return 6;  /* indeterminate */
}

static void on_io(int fd, int events, void *arg);

static void set_watch(struct slg *s, int ev)
{
	if (s->fd < 0)
		return;
	if (ev == 0) {
		if (s->want)
			s->h->unwatch(s->c, s->fd);
	} else if (ev != s->want) {
		s->h->watch(s->c, s->fd, ev, on_io, s);
	}
	s->want = ev;
}

static void on_retry(uint64_t id, void *arg)
{
	struct slg *s = arg;
	s->retry_timer = 0;
	pump(s);
}

static void schedule_retry(struct slg *s, const char *why)
{
	if (!s->complained++) {
		if (s->tr == T_LOCAL)
			s->h->log(s->c, SDP_LOG_WARNING, "%s: %s; retrying (queue holds %d)",
				  s->socket_path, why, s->qlen);
		else
			s->h->log(s->c, SDP_LOG_WARNING, "%s:%d: %s; retrying (queue holds %d)",
				  s->host, s->port, why, s->qlen);
	}
	conn_close(s);
	if (!s->retry_timer)
		s->retry_timer = s->h->timer_add(s->c, s->backoff_ms, on_retry, s);
	s->backoff_ms = s->backoff_ms * 2 > 60000 ? 60000 : s->backoff_ms * 2;
}

static void conn_close(struct slg *s)
{
	if (s->ssl) {
		SSL_free(s->ssl);
		s->ssl = NULL;
	}
	if (s->fd >= 0) {
		set_watch(s, 0);
		close(s->fd);
		s->fd = -1;
	}
	s->want = 0;
	s->cs = C_DOWN;
	if (s->qlen)
		s->q[s->qhead].off = 0;   /* a partly sent message is sent whole again */
}

static int conn_start(struct slg *s)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	memset(&ss, 0, sizeof ss);
	if (s->tr == T_LOCAL) {
		struct sockaddr_un *un = (struct sockaddr_un *)&ss;
		un->sun_family = AF_UNIX;
		memcpy(un->sun_path, s->socket_path, strlen(s->socket_path) + 1);
		sl = sizeof *un;
		s->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	} else {
		struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
		if (inet_pton(AF_INET, s->host, &in4->sin_addr) == 1) {
			in4->sin_family = AF_INET;
			in4->sin_port = htons((uint16_t)s->port);
			sl = sizeof *in4;
		} else {
			inet_pton(AF_INET6, s->host, &in6->sin6_addr);
			in6->sin6_family = AF_INET6;
			in6->sin6_port = htons((uint16_t)s->port);
			sl = sizeof *in6;
		}
		s->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	}
	if (s->fd < 0)
		return -1;
	if (connect(s->fd, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS) {
		close(s->fd);
		s->fd = -1;
		return -1;
	}
	s->cs = C_CONNECTING;
	set_watch(s, SDP_EV_WRITE);
	return 0;
}

static int tls_begin(struct slg *s)
{
	X509_VERIFY_PARAM *vp;
	const char *name = s->server_name[0] ? s->server_name : s->host;
	s->ssl = SSL_new(s->ssl_ctx);
	if (!s->ssl)
		return -1;
	SSL_set_fd(s->ssl, s->fd);
	vp = SSL_get0_param(s->ssl);
	if (inet_pton(AF_INET, name, &(struct in_addr){ 0 }) == 1 ||
	    inet_pton(AF_INET6, name, &(struct in6_addr){ { { 0 } } }) == 1)
		X509_VERIFY_PARAM_set1_ip_asc(vp, name);
	else {
		X509_VERIFY_PARAM_set1_host(vp, name, 0);
		SSL_set_tlsext_host_name(s->ssl, name);
	}
	SSL_set_verify(s->ssl, s->verify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, NULL);
	s->cs = C_HANDSHAKE;
	return 0;
}

/* one step of the handshake: 1 done, 0 again later, -1 failed */
static int tls_step(struct slg *s)
{
	int r = SSL_connect(s->ssl), e;
	if (r == 1)
		return 1;
	e = SSL_get_error(s->ssl, r);
	if (e == SSL_ERROR_WANT_READ) {
		set_watch(s, SDP_EV_READ);
		return 0;
	}
	if (e == SSL_ERROR_WANT_WRITE) {
		set_watch(s, SDP_EV_WRITE);
		return 0;
	}
	return -1;
}

static void pop(struct slg *s)
{
	free(s->q[s->qhead].data);
	s->q[s->qhead].data = NULL;
	s->qhead = (s->qhead + 1) % s->qmax;
	s->qlen--;
	s->sent++;
}

/* write what the connection takes; leaves the right watch set */
static void flush(struct slg *s)
{
	while (s->qlen) {
		struct qmsg *m = &s->q[s->qhead];
		ssize_t n;
		if (s->tr == T_TLS) {
			int r = SSL_write(s->ssl, m->data + m->off, (int)(m->len - m->off)), e;
			if (r <= 0) {
				e = SSL_get_error(s->ssl, r);
				if (e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ) {
					set_watch(s, e == SSL_ERROR_WANT_READ ? SDP_EV_READ
								: SDP_EV_WRITE);
					return;
				}
				schedule_retry(s, "TLS write failed");
				return;
			}
			n = r;
		} else {
			n = send(s->fd, m->data + m->off, m->len - m->off, MSG_NOSIGNAL);
			if (n < 0) {
				if (errno == EAGAIN || errno == EWOULDBLOCK) {
					set_watch(s, SDP_EV_WRITE);
					return;
				}
				schedule_retry(s, strerror(errno));
				return;
			}
		}
		m->off += (size_t)n;
		if (m->off >= m->len)
			pop(s);
	}
	/* idle: a stream is watched for reading to see the peer close it */
	set_watch(s, s->tr == T_LOCAL ? 0 : SDP_EV_READ);
}

static void pump(struct slg *s)
{
	if (s->cs == C_DOWN) {
		if (s->retry_timer || !s->qlen)
			return;
		if (conn_start(s) < 0) {
			schedule_retry(s, strerror(errno));
			return;
		}
		if (s->tr == T_LOCAL) {
			s->cs = C_UP;
		}
	}
	if (s->cs == C_UP)
		flush(s);
}

static void on_io(int fd, int events, void *arg)
{
	struct slg *s = arg;
	if (s->cs == C_CONNECTING) {
		int err = 0;
		socklen_t el = sizeof err;
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) < 0 || err) {
			schedule_retry(s, strerror(err ? err : errno));
			return;
		}
		if (s->tr == T_TLS) {
			if (tls_begin(s) < 0) {
				schedule_retry(s, "TLS setup failed");
				return;
			}
		} else {
			s->cs = C_UP;
		}
	}
	if (s->cs == C_HANDSHAKE) {
		int r = tls_step(s);
		if (r < 0) {
			char e[256];
			long v = SSL_get_verify_result(s->ssl);
			snprintf(e, sizeof e, "TLS handshake failed: %s",
				 v != X509_V_OK ? X509_verify_cert_error_string(v)
				 : ERR_reason_error_string(ERR_peek_last_error())
				 ? ERR_reason_error_string(ERR_peek_last_error()) : "closed");
			ERR_clear_error();
			schedule_retry(s, e);
			return;
		}
		if (r == 0)
			return;
		s->cs = C_UP;
	}
	if (s->cs == C_UP) {
		if (s->complained) {
			s->h->log(s->c, SDP_LOG_NOTICE, "%s:%d: connected again", s->host, s->port);
			s->complained = 0;
		}
		s->backoff_ms = 1000;
		if ((events & SDP_EV_READ) && s->tr != T_LOCAL && !s->qlen) {
			char b[256];
			ssize_t n = s->tr == T_TLS ? SSL_read(s->ssl, b, sizeof b)
				  : recv(fd, b, sizeof b, 0);
			if (n == 0 || (n < 0 && s->tr == T_TCP && errno != EAGAIN)) {
				schedule_retry(s, "the collector closed the connection");
				return;
			}
			if (n < 0 && s->tr == T_TLS) {
				int e = SSL_get_error(s->ssl, (int)n);
				if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
					schedule_retry(s, "the collector closed the connection");
					return;
				}
			}
		}
		flush(s);
	}
}

static void enqueue(struct slg *s, const char *msg, int len)
{
	char *d;
	int fl;
	if (s->qlen == s->qmax) {
		if (!(s->dropped++ % 100))
			s->h->log(s->c, SDP_LOG_WARNING, "queue full (%d): %lu messages dropped",
				  s->qmax, s->dropped);
		return;
	}
	d = malloc((size_t)len + 16);
	if (!d)
		return;
	if (s->tr == T_LOCAL) {
		memcpy(d, msg, (size_t)len);
		fl = len;
	} else {
		fl = rfc6587_frame(msg, (size_t)len, d, (size_t)len + 16);
	}
	s->q[(s->qhead + s->qlen) % s->qmax] = (struct qmsg){ d, (size_t)fl, 0 };
	s->qlen++;
	pump(s);
}

static void fmt_ms(char *buf, size_t n, int64_t ms)
{
	snprintf(buf, n, "%lld", (long long)ms);
}

static void on_event(const struct sdp_event *ev, void *arg)
{
	struct slg *s = arg;
	struct rfc5424_param p[12];
	struct rfc5424_msg m = {
		.facility = s->facility, .hostname = s->hostname, .app_name = s->app_name,
		.procid = s->procid, .params = p, .time_ms = s->h->wall_ms(s->c),
	};
	char buf[MSG_MAX], id[32], t1[32], seq[32], text[600];
	int n;

	if (ev->kind == SDP_EVENT_ALARM) {
		const struct sdp_alarm *a = &ev->u.alarm;
		snprintf(id, sizeof id, "%llu", (unsigned long long)a->id);
		fmt_ms(t1, sizeof t1, a->changed_ms ? a->changed_ms : a->raised_ms);
		m.severity = sev_of(a->severity);
		m.msgid = "ALARM";
		m.sd_id = s->sd_alarm;
		p[0] = (struct rfc5424_param){ "id", id };
		p[1] = (struct rfc5424_param){ "notif", a->notif };
		p[2] = (struct rfc5424_param){ "severity", a->severity };
		p[3] = (struct rfc5424_param){ "object", a->object };
		p[4] = (struct rfc5424_param){ "factory", a->factory };
		p[5] = (struct rfc5424_param){ "type", a->type };
		p[6] = (struct rfc5424_param){ "cause", a->cause };
		p[7] = (struct rfc5424_param){ "problem", a->problem };
		p[8] = (struct rfc5424_param){ "changedMs", t1 };
		m.nparams = 9;
		snprintf(text, sizeof text, "%s %s %s: %s", a->notif, a->severity, a->object, a->text);
		m.msg = text;
	} else if (ev->kind == SDP_EVENT_AUDIT && s->audit) {
		const struct sdp_audit *a = &ev->u.audit;
		snprintf(seq, sizeof seq, "%lld", (long long)a->seq);
		m.severity = 5;
		m.facility = 13;   /* log audit */
		m.msgid = "AUDIT";
		m.sd_id = s->sd_audit;
		m.time_ms = a->time_ms ? a->time_ms : m.time_ms;
		p[0] = (struct rfc5424_param){ "seq", seq };
		p[1] = (struct rfc5424_param){ "user", a->user };
		p[2] = (struct rfc5424_param){ "role", a->role };
		p[3] = (struct rfc5424_param){ "factory", a->factory };
		p[4] = (struct rfc5424_param){ "op", a->op };
		p[5] = (struct rfc5424_param){ "objectFactory", a->object_factory };
		p[6] = (struct rfc5424_param){ "outcome", a->outcome };
		m.nparams = 7;
		snprintf(text, sizeof text, "%s by %s: %s", a->op, a->user, a->outcome);
		m.msg = text;
	} else {
		return;
	}
	n = rfc5424_format(&m, buf, sizeof buf);
	if (n < 0) {
		s->h->log(s->c, SDP_LOG_WARNING, "a message did not fit %d bytes: not sent", MSG_MAX);
		return;
	}
	enqueue(s, buf, n);
}

static int init(const struct sdp_host *h, struct sdp_ctx *c, void **state, char *err, size_t errsz)
{
	struct slg *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	s->h = h;
	s->c = c;
	s->fd = -1;
	s->backoff_ms = 1000;
	*state = s;
	return 0;
}

static void copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

static int configure(void *state, char *err, size_t errsz)
{
	struct slg *s = state;
	const struct sdp_host *h = s->h;
	const char *tr = h->setting_str(s->c, "transport", "local");
	const char *v;
	long long pen;
	int bad = 0;

	if (!tr)
		return -1;
	if (!strcmp(tr, "local"))
		s->tr = T_LOCAL;
	else if (!strcmp(tr, "tcp"))
		s->tr = T_TCP;
	else if (!strcmp(tr, "tls"))
		s->tr = T_TLS;
	else {
		h->config_error(s->c, "transport", "\"%s\" is not one of: local, tcp, tls", tr);
		return -1;
	}
	v = h->setting_str(s->c, "socket", "/dev/log");
	if (!v || strlen(v) >= sizeof s->socket_path || v[0] != '/') {
		h->config_error(s->c, "socket", "must be an absolute path under %zu characters",
				sizeof s->socket_path);
		bad = 1;
	} else {
		copy(s->socket_path, sizeof s->socket_path, v);
	}
	v = h->setting_str(s->c, "host", "");
	if (v)
		copy(s->host, sizeof s->host, v);
	if (s->tr != T_LOCAL) {
		struct in6_addr a6;
		if (!v || (inet_pton(AF_INET, v, &a6) != 1 && inet_pton(AF_INET6, v, &a6) != 1)) {
			h->config_error(s->c, "host", "must be an IPv4 or IPv6 address (no name "
					"lookups on the engine's loop)");
			bad = 1;
		}
	}
	s->port = (int)h->setting_int(s->c, "port", s->tr == T_TLS ? 6514 : 514, 1, 65535);
	copy(s->ca, sizeof s->ca, h->setting_str(s->c, "ca", ""));
	copy(s->server_name, sizeof s->server_name, h->setting_str(s->c, "server_name", ""));
	s->verify = h->setting_bool(s->c, "verify", 1);
	s->audit = h->setting_bool(s->c, "audit", 1);
	s->facility = (int)h->setting_int(s->c, "facility", 3, 0, 23);
	s->qmax = (int)h->setting_int(s->c, "queue", 1000, 1, 100000);
	pen = h->setting_int(s->c, "sd_pen", 32473, 1, 4294967295LL);
	snprintf(s->sd_alarm, sizeof s->sd_alarm, "alarm@%lld", pen);
	snprintf(s->sd_audit, sizeof s->sd_audit, "audit@%lld", pen);
	copy(s->app_name, sizeof s->app_name, h->setting_str(s->c, "app_name", "slicedeckd"));
	v = h->setting_str(s->c, "hostname", "");
	if (v && v[0])
		copy(s->hostname, sizeof s->hostname, v);
	else if (gethostname(s->hostname, sizeof s->hostname - 1) < 0)
		copy(s->hostname, sizeof s->hostname, "-");
	snprintf(s->procid, sizeof s->procid, "%ld", (long)getpid());
	if (bad)
		return -1;
	if (s->tr == T_TLS) {
		s->ssl_ctx = SSL_CTX_new(TLS_client_method());
		if (!s->ssl_ctx) {
			snprintf(err, errsz, "TLS: cannot create a context");
			return -1;
		}
		SSL_CTX_set_min_proto_version(s->ssl_ctx, TLS1_2_VERSION);
		if (s->ca[0] ? SSL_CTX_load_verify_locations(s->ssl_ctx, s->ca, NULL) != 1
			     : SSL_CTX_set_default_verify_paths(s->ssl_ctx) != 1) {
			h->config_error(s->c, "ca", "cannot load the CA file %s", s->ca);
			ERR_clear_error();
			return -1;
		}
		if (!s->verify)
			h->log(s->c, SDP_LOG_WARNING, "TLS verification is off (verify = false)");
	}
	s->q = calloc((size_t)s->qmax, sizeof *s->q);
	if (!s->q) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	return 0;
}

static int start(void *state, char *err, size_t errsz)
{
	struct slg *s = state;
	unsigned mask = SDP_EVENT_BIT(SDP_EVENT_ALARM);
	if (s->audit)
		mask |= SDP_EVENT_BIT(SDP_EVENT_AUDIT);
	if (s->h->subscribe(s->c, mask, (size_t)s->qmax, on_event, s) < 0) {
		snprintf(err, errsz, "cannot subscribe to the bus");
		return -1;
	}
	return 0;
}

static void stop(void *state)
{
	struct slg *s = state;
	int i;
	if (!s)
		return;
	if (s->cs == C_UP && s->qlen)
		flush(s);   /* what goes without waiting */
	if (s->retry_timer)
		s->h->timer_del(s->c, s->retry_timer);
	conn_close(s);
	if (s->q)
		for (i = 0; i < s->qmax; i++)
			free(s->q[i].data);
	free(s->q);
	SSL_CTX_free(s->ssl_ctx);
	free(s);
}

static const struct sdp_plugin reg = {
	SDP_PLUGIN_HEADER,
	.name = "syslog",
	.version = "1.0",
	.kind = SDP_KIND_SINK,
	.description = "alarms and audit entries as RFC 5424 syslog (local socket, TCP, TLS)",
	.init = init, .configure = configure, .start = start, .stop = stop,
};

__attribute__((visibility("default"))) const struct sdp_plugin *slicedeck_plugin_entry(void);
const struct sdp_plugin *slicedeck_plugin_entry(void)
{
	return &reg;
}

/* tests/bench/bench_scale.c — the engine at pilot-zone scale, from outside:
 * many subscribed consoles, a steady trickle of changes, a client timing
 * requests, the engine's own CPU and memory read from /proc (issue 8 item
 * 10). tests/bench/scale.sh generates the zone, starts the simulator and
 * the engine and runs this once per subscription mode and zone size.
 *
 *   bench_scale --socket PATH --pid ENGINE_PID --notify URL --snssais FILE
 *       [--mode delta|full] [--label NAME] [--operators 50]
 *       [--factory-uids LIST] [--slices-per-change 100] [--idle-s 10]
 *       [--warmup-s 5] [--window-s 30] [--settle-s 120] [--reloads 3]
 *
 * What it does, in order:
 *   1. a latency client (its own connection, as the operator) sends `ping`
 *      every 20 ms for the whole run and times each answer;
 *   2. the consoles connect: --operators as this process's user (root: an
 *      operator when no rule names it), one per uid of --factory-uids
 *      (comma-separated) with the effective uid switched to it for the
 *      connect, since the engine takes the role from SO_PEERCRED at connect
 *      time. Each sends hello and `subscribe` (all topics, --mode) and from
 *      then on reads everything the engine sends, as fast as it comes;
 *   3. settle: until every console holds every topic (delta: the last page
 *      of a snapshot; full: one whole list per topic), or --settle-s;
 *   4. idle window (--idle-s): the engine's CPU with nothing changing;
 *   5. changes: once a second an AMF UES_IN_AREA_REPORT notification naming
 *      --slices-per-change slices (a new UE count for each) is POSTed to the
 *      engine's own SBI notification route (URL/slicedeck/v1/notify/amf),
 *      i.e. the path a real AMF's report takes: HTTP/2 server, decoder,
 *      model, dirty set, flush to the consoles. After --warmup-s, the
 *      engine's utime+stime is read over --window-s;
 *   6. --reloads `reload` requests (op `reload`, what SIGHUP does), each
 *      timed from request to answer, with the consoles still connected;
 *   7. VmHWM/VmRSS of the engine, then every figure on stdout.
 *
 * The consoles do not parse the data (a console would, at its own cost):
 * each line's head and tail are scanned for the event name and the
 * snapshot/delta header, so the figures are the engine's, and the checks
 * are the protocol's (pages in order, every delta based on the generation
 * held). Everything is bounded in time; exit 0 unless the bench could not
 * run (the engine refusing or dropping consoles is a figure, not a
 * failure).
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#define MAX_CONS     300
#define NTOPICS      6
#define HEAD_MAX     512   /* bytes kept of a line's start */
#define TAIL_MAX     256   /* and of its end */
#define MAX_PINGS    200000
#define MAX_CHANGES  4096
#define PING_EVERY_MS 20

static const char *const topic_names[NTOPICS] = {
	"factories", "slices", "sites", "cells", "nfs", "alarms",
};

/* ------------------------------------------------------------------ */
/* options                                                             */

static struct {
	const char *socket, *notify, *snssai_file, *mode, *label, *factory_uids, *log;
	pid_t pid;
	int operators, per_change, idle_s, warmup_s, window_s, settle_s, reloads;
} opt = {
	.mode = "delta", .label = "zone", .operators = 50, .per_change = 100,
	.idle_s = 10, .warmup_s = 5, .window_s = 30, .settle_s = 120, .reloads = 3,
};

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------------ */
/* the engine from /proc                                               */

/* utime + stime of the engine in seconds; -1 when it is gone. */
static double engine_cpu_s(void)
{
	char path[64], buf[2048], *p;
	unsigned long ut = 0, st = 0;
	ssize_t n;
	int fd, field;
	snprintf(path, sizeof path, "/proc/%d/stat", (int)opt.pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strrchr(buf, ')');   /* comm may hold spaces */
	if (!p)
		return -1;
	/* after ")": field 3 is state; utime is 14, stime 15 */
	for (field = 2; field < 14 && p; field++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p + 1, "%lu %lu", &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* A "Vm...:   N kB" line of the engine's status in MB, -1 when absent. */
static double engine_vm_mb(const char *key)
{
	char path[64], line[256];
	size_t kl = strlen(key);
	double v = -1;
	FILE *f;
	snprintf(path, sizeof path, "/proc/%d/status", (int)opt.pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, key, kl) == 0 && line[kl] == ':')
			v = strtod(line + kl + 1, NULL) / 1024.0;
	fclose(f);
	return v;
}

static bool engine_alive(void)
{
	return kill(opt.pid, 0) == 0;
}

/* ------------------------------------------------------------------ */
/* connecting                                                          */

/* Connect to the engine's socket with effective uid `uid` (-1: as we
 * are). The egid stays ours (root), so the socket's 0660 root group lets
 * a throwaway user in; the engine maps users by uid first. */
static int connect_as(int uid)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, rc, e;
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", opt.socket);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (uid >= 0 && seteuid((uid_t)uid) < 0) {
		close(fd);
		return -1;
	}
	rc = connect(fd, (struct sockaddr *)&sa, sizeof sa);
	e = errno;
	if (uid >= 0 && seteuid(0) < 0) {
		fprintf(stderr, "bench_scale: seteuid(0): %s\n", strerror(errno));
		exit(2);
	}
	if (rc < 0) {
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* Blocking write of a whole request line. */
static int send_line(int fd, const char *s)
{
	size_t len = strlen(s), off = 0;
	while (off < len) {
		ssize_t w = send(fd, s + off, len - off, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		off += (size_t)w;
	}
	return 0;
}

/* A small blocking line reader for the latency and reload clients (their
 * connections carry replies only, no subscriptions). */
struct lreader {
	int fd;
	char buf[1 << 16];
	size_t len;
};

/* Next line into out (NUL-terminated, LF dropped) within timeout_ms: 1, 0
 * on timeout, -1 on EOF/error. Longer lines are cut to outsz. */
static int read_line(struct lreader *r, char *out, size_t outsz, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	for (;;) {
		char *nl = memchr(r->buf, '\n', r->len);
		struct pollfd pfd = { .fd = r->fd, .events = POLLIN };
		int64_t left;
		ssize_t n;
		if (nl) {
			size_t ll = (size_t)(nl - r->buf), c = ll < outsz - 1 ? ll : outsz - 1;
			memcpy(out, r->buf, c);
			out[c] = '\0';
			memmove(r->buf, nl + 1, r->len - ll - 1);
			r->len -= ll + 1;
			return 1;
		}
		if (r->len == sizeof r->buf)
			r->len = 0;   /* an overlong line: forget its start */
		left = deadline - now_ms();
		if (left <= 0)
			return 0;
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		n = recv(r->fd, r->buf + r->len, sizeof r->buf - r->len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		r->len += (size_t)n;
	}
}

/* hello on a fresh blocking connection; 0 when the engine said hello. */
static int hello(struct lreader *r, const char *client, char *role, size_t rolesz)
{
	char req[160], line[4096];
	json_t *j, *res;
	int rc;
	snprintf(req, sizeof req, "{\"id\":1,\"op\":\"hello\",\"version\":1,\"client\":\"%s\"}\n",
		 client);
	if (send_line(r->fd, req) < 0 || read_line(r, line, sizeof line, 10000) != 1)
		return -1;
	j = json_loads(line, 0, NULL);
	res = json_object_get(j, "result");
	if (role)
		snprintf(role, rolesz, "%s", json_is_object(res) ?
			 json_string_value(json_object_get(res, "role")) ?: "?" : "refused");
	rc = json_is_object(res) ? 0 : -1;
	json_decref(j);
	return rc;
}

/* ------------------------------------------------------------------ */
/* the latency client                                                  */

struct ping_sample {
	int64_t t_ms;     /* when it was sent */
	float rtt_ms;     /* -1: no answer within 5 s */
};

static struct {
	pthread_t th;
	struct lreader r;
	struct ping_sample *s;
	atomic_int n;
	atomic_bool stop;
	bool running;
} ping;

/* Sends on a fixed 20 ms schedule whether or not earlier pings were
 * answered (a user does not wait for the engine to be free before asking),
 * so a stall of the engine's loop shows in every request it delays, not
 * in one. Answers are matched by id. */
static void *ping_main(void *arg)
{
	static double sent_s[MAX_PINGS];
	char req[96], line[4096];
	int64_t next = now_ms();
	int nsent = 0, answered = 0;
	(void)arg;
	while (!atomic_load(&ping.stop) && nsent < MAX_PINGS) {
		int64_t t = now_ms();
		int rc;
		if (t >= next) {
			snprintf(req, sizeof req, "{\"id\":%d,\"op\":\"ping\"}\n", 1000 + nsent);
			if (send_line(ping.r.fd, req) < 0)
				break;
			sent_s[nsent] = now_s();
			ping.s[nsent] = (struct ping_sample){ t, -1 };
			nsent++;
			atomic_store(&ping.n, nsent);
			next += PING_EVERY_MS;
			if (next < t - 1000)
				next = t;   /* we were descheduled: do not burst */
			continue;
		}
		rc = read_line(&ping.r, line, sizeof line, (int)(next - t));
		if (rc < 0)
			break;
		if (rc == 1) {
			long id = -1;
			const char *p = strstr(line, "\"id\":");
			if (p)
				id = strtol(p + 5, NULL, 10) - 1000;
			if (id >= 0 && id < nsent && ping.s[id].rtt_ms < 0) {
				ping.s[id].rtt_ms = (float)((now_s() - sent_s[id]) * 1000.0);
				answered++;
			}
		}
	}
	/* collect late answers for up to 5 s */
	{
		int64_t until = now_ms() + 5000;
		while (answered < nsent && now_ms() < until) {
			long id;
			const char *p;
			if (read_line(&ping.r, line, sizeof line, 200) != 1)
				continue;
			p = strstr(line, "\"id\":");
			id = p ? strtol(p + 5, NULL, 10) - 1000 : -1;
			if (id >= 0 && id < nsent && ping.s[id].rtt_ms < 0) {
				ping.s[id].rtt_ms = (float)((now_s() - sent_s[id]) * 1000.0);
				answered++;
			}
		}
	}
	return NULL;
}

static int cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;
	return x < y ? -1 : x > y;
}

/* Ping figures for the samples sent in [t0, t1): p50, p99, max, count, and
 * how many got no answer (counted as over any target). */
static void ping_stats(int64_t t0, int64_t t1, double *p50, double *p99, double *mx,
		       int *count, int *lost)
{
	int n = atomic_load(&ping.n), i, k = 0;
	float *v = calloc((size_t)n + 1, sizeof *v);
	*lost = 0;
	for (i = 0; i < n; i++) {
		if (ping.s[i].t_ms < t0 || ping.s[i].t_ms >= t1)
			continue;
		if (ping.s[i].rtt_ms < 0) {
			(*lost)++;
			v[k++] = 1e9f;
		} else {
			v[k++] = ping.s[i].rtt_ms;
		}
	}
	*count = k;
	*p50 = *p99 = *mx = NAN;
	if (k) {
		qsort(v, (size_t)k, sizeof *v, cmp_float);
		*p50 = v[(k - 1) / 2];
		*p99 = v[(int)ceil(0.99 * k) - 1];
		*mx = v[k - 1];
	}
	free(v);
}

/* ------------------------------------------------------------------ */
/* the change driver: an AMF's UES_IN_AREA_REPORT to the engine        */

struct snssai { int sst; int sd; /* -1: none */ };

static struct {
	pthread_t th;
	struct snssai *sn;
	int nsn;
	atomic_bool stop;
	bool running;
	/* one row per change sent */
	int64_t t_ms[MAX_CHANGES];
	int status[MAX_CHANGES];
	float post_ms[MAX_CHANGES];
	atomic_int n;
} chg;

static size_t discard_cb(char *p, size_t sz, size_t n, void *u)
{
	(void)p;
	(void)u;
	return sz * n;
}

/* The body of change k: per_change slices spread over the zone (a stride
 * coprime with the zone's size), each with a UE count it did not have in
 * the previous change. */
static char *change_body(int k)
{
	size_t cap = (size_t)opt.per_change * 200 + 256, len = 0;
	char *b = malloc(cap), ts[40];
	time_t t = time(NULL);
	struct tm tm;
	int i;
	gmtime_r(&t, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	len += (size_t)snprintf(b + len, cap - len,
				"{\"notifyCorrelationId\":\"bench-scale\",\"reportList\":[");
	for (i = 0; i < opt.per_change; i++) {
		long idx = (long)(((int64_t)k * opt.per_change + i) * 7919 % chg.nsn);
		const struct snssai *s = &chg.sn[idx];
		char sd[32] = "";
		if (s->sd >= 0)
			snprintf(sd, sizeof sd, ",\"sd\":\"%06x\"", (unsigned)s->sd);
		len += (size_t)snprintf(b + len, cap - len,
			"%s{\"type\":\"UES_IN_AREA_REPORT\",\"state\":{\"active\":true},"
			"\"timeStamp\":\"%s\",\"anyUe\":true,\"areaList\":[{\"sNssai\":"
			"{\"sst\":%d%s}}],\"numberOfUes\":%d}",
			i ? "," : "", ts, s->sst, sd, 1 + (k * 37 + i) % 997);
	}
	snprintf(b + len, cap - len, "]}");
	return b;
}

static void *change_main(void *arg)
{
	char url[512];
	int64_t next = now_ms();
	int k = 0;
	(void)arg;
	snprintf(url, sizeof url, "%s/slicedeck/v1/notify/amf", opt.notify);
	while (!atomic_load(&chg.stop) && k < MAX_CHANGES) {
		CURL *h = curl_easy_init();
		struct curl_slist *hdr = NULL;
		char *body = change_body(k);
		long status = 0;
		double t0 = now_s();
		int64_t ts = now_ms();
		hdr = curl_slist_append(hdr, "Content-Type: application/json");
		hdr = curl_slist_append(hdr, "3gpp-Sbi-Callback: Namf_EventExposure_Notify");
		/* one connection per report: Debian's libcurl 7.88 breaks reused
		 * h2c prior-knowledge connections (curl#10634); once a second
		 * the handshake costs nothing worth measuring */
		curl_easy_setopt(h, CURLOPT_URL, url);
		curl_easy_setopt(h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
		curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 10000L);
		curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard_cb);
		curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
		if (curl_easy_perform(h) == CURLE_OK)
			curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
		chg.t_ms[k] = ts;
		chg.status[k] = (int)status;
		chg.post_ms[k] = (float)((now_s() - t0) * 1000.0);
		atomic_store(&chg.n, ++k);
		curl_slist_free_all(hdr);
		curl_easy_cleanup(h);
		free(body);
		next += 1000;
		while (!atomic_load(&chg.stop) && now_ms() < next)
			usleep(20000);
	}
	return NULL;
}

/* "1-000001" or "1" per line (the slices' S-NSSAIs, scale.sh takes them
 * from the generated zone). */
static int load_snssais(const char *path)
{
	FILE *f = fopen(path, "re");
	char line[128];
	int cap = 0;
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f)) {
		struct snssai s = { .sd = -1 };
		char *dash;
		s.sst = atoi(line);
		dash = strchr(line, '-');
		if (dash)
			s.sd = (int)strtol(dash + 1, NULL, 16);
		if (s.sst < 0 || s.sst > 255)
			continue;
		if (chg.nsn == cap) {
			cap = cap ? cap * 2 : 1024;
			chg.sn = realloc(chg.sn, (size_t)cap * sizeof *chg.sn);
		}
		chg.sn[chg.nsn++] = s;
	}
	fclose(f);
	return chg.nsn ? 0 : -1;
}

/* ------------------------------------------------------------------ */
/* the consoles                                                        */

struct topic_state {
	long held;          /* generation held; -1 none */
	long snap_gen;      /* snapshot being received; -1 none */
	long next_page;
	bool complete;      /* holds the topic (snapshot done / a full list seen) */
};

struct console {
	int fd;
	int uid;            /* -1: this process's user */
	bool factory;
	bool subscribed, refused, closed, settled;
	int ntopics;        /* topics the subscribe reply named */
	char refusal[160];
	struct topic_state t[NTOPICS];
	/* the line being read */
	char head[HEAD_MAX + 1];
	size_t head_len;
	char tail[TAIL_MAX];
	size_t tail_pos;    /* ring position */
	uint64_t line_len;
	/* counters */
	uint64_t bytes, lines, deltas, pages, fulls, resyncs, gaps, page_errors, other;
	uint64_t max_line;
	uint64_t w_bytes, w_deltas, w_fulls;   /* in the change window */
};

static struct console cons[MAX_CONS];
static int ncons;
static bool in_window;

static int topic_of(const char *s, size_t n)
{
	int i;
	for (i = 0; i < NTOPICS; i++)
		if (strlen(topic_names[i]) == n && memcmp(topic_names[i], s, n) == 0)
			return i;
	return -1;
}

/* The number after "key": within text, or -1. */
static long num_after(const char *text, const char *key)
{
	const char *p = strstr(text, key);
	if (!p)
		return -1;
	p += strlen(key);
	while (*p == ' ' || *p == ':')
		p++;
	return *p >= '0' && *p <= '9' ? strtol(p, NULL, 10) : -1;
}

/* One complete line of a console: judge it from its head and tail. */
static void console_line(struct console *c)
{
	char text[HEAD_MAX + TAIL_MAX + 8];
	const char *ev, *hdr;
	size_t tl = c->line_len - c->head_len < TAIL_MAX ? (size_t)(c->line_len - c->head_len)
							  : TAIL_MAX, i;
	int topic = -1;

	/* head, then the last tl bytes (only those not already in head) */
	memcpy(text, c->head, c->head_len);
	text[c->head_len] = '\0';
	if (c->line_len > c->head_len) {
		size_t o = c->head_len;
		text[o++] = ' ';
		for (i = 0; i < tl; i++)
			text[o++] = c->tail[(c->tail_pos + TAIL_MAX - tl + i) % TAIL_MAX];
		text[o] = '\0';
	}
	c->lines++;
	if (c->line_len > c->max_line)
		c->max_line = c->line_len;
	if (in_window)
		c->w_bytes += c->line_len + 1;

	ev = strstr(text, "\"event\"");
	if (!ev) {
		/* a reply: ours are hello (1) and subscribe (2) */
		if (strstr(text, "\"error\"")) {
			const char *m = strstr(text, "\"message\"");
			c->refused = true;
			snprintf(c->refusal, sizeof c->refusal, "%.150s", m ? m : text);
		} else if (strstr(text, "\"id\":2") && !c->subscribed) {
			/* count the topics named in "subscribed" */
			const char *s = strstr(text, "\"subscribed\"");
			c->subscribed = true;
			c->ntopics = 0;
			for (i = 0; s && i < NTOPICS; i++) {
				char q[32];
				snprintf(q, sizeof q, "\"%s\"", topic_names[i]);
				if (strstr(s, q))
					c->ntopics++;
			}
			if (!c->ntopics)
				c->ntopics = NTOPICS;
		} else {
			c->other++;
		}
		return;
	}
	ev = strchr(ev + 7, '"');
	if (ev) {
		const char *end = strchr(ev + 1, '"');
		if (end)
			topic = topic_of(ev + 1, (size_t)(end - ev - 1));
	}
	if (topic < 0) {
		c->other++;
		return;
	}
	struct topic_state *t = &c->t[topic];
	if ((hdr = strstr(text, "\"snapshot\""))) {
		long gen = num_after(hdr, "\"gen\""), page = num_after(hdr, "\"page\""),
		     pages = num_after(hdr, "\"pages\"");
		c->pages++;
		if (strstr(hdr, "\"resync\"") || strstr(text, "\"resync\":true"))
			c->resyncs += page == 0;
		if (page == 0) {
			t->snap_gen = gen;
			t->next_page = 0;
		}
		if (gen != t->snap_gen || page != t->next_page)
			c->page_errors++;
		t->next_page = page + 1;
		if (pages > 0 && page == pages - 1) {
			t->held = gen;
			t->snap_gen = -1;
			t->complete = true;
		}
	} else if ((hdr = strstr(text, "\"delta\""))) {
		long gen = num_after(hdr, "\"gen\""), base = num_after(hdr, "\"base\"");
		c->deltas++;
		if (in_window)
			c->w_deltas++;
		if (t->snap_gen >= 0 || base != t->held)
			c->gaps++;   /* a real console would send resync here */
		t->held = gen;
	} else {
		c->fulls++;      /* mode full: the whole list */
		if (in_window)
			c->w_fulls++;
		t->complete = true;
	}
}

/* Feed received bytes into a console's line scanner. */
static void console_feed(struct console *c, const char *p, size_t n)
{
	c->bytes += n;
	while (n) {
		const char *nl = memchr(p, '\n', n);
		size_t chunk = nl ? (size_t)(nl - p) : n, i;
		if (c->head_len < HEAD_MAX) {
			size_t k = chunk < HEAD_MAX - c->head_len ? chunk : HEAD_MAX - c->head_len;
			memcpy(c->head + c->head_len, p, k);
			c->head_len += k;
		}
		/* the tail ring only matters for the bytes past the head */
		for (i = chunk > TAIL_MAX ? chunk - TAIL_MAX : 0; i < chunk; i++) {
			c->tail[c->tail_pos] = p[i];
			c->tail_pos = (c->tail_pos + 1) % TAIL_MAX;
		}
		c->line_len += chunk;
		if (!nl)
			return;
		if (c->line_len)
			console_line(c);
		c->head_len = 0;
		c->line_len = 0;
		p = nl + 1;
		n -= chunk + 1;
	}
}

static bool console_settled(const struct console *c)
{
	int i, done = 0;
	if (!c->subscribed || c->closed)
		return false;
	for (i = 0; i < NTOPICS; i++)
		done += c->t[i].complete;
	return done >= c->ntopics;
}

static int epfd = -1;
static char rbuf[1 << 20];

/* Read what every console has until deadline (monotonic ms). */
static void drain_until(int64_t deadline)
{
	struct epoll_event evs[64];
	for (;;) {
		int64_t left = deadline - now_ms();
		int n, i;
		if (left <= 0)
			return;
		n = epoll_wait(epfd, evs, 64, left > 200 ? 200 : (int)left);
		for (i = 0; i < n; i++) {
			struct console *c = &cons[evs[i].data.u32];
			ssize_t r = recv(c->fd, rbuf, sizeof rbuf, MSG_DONTWAIT);
			if (r > 0) {
				console_feed(c, rbuf, (size_t)r);
			} else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
				epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
				close(c->fd);
				c->fd = -1;
				c->closed = true;
			}
		}
	}
}

/* Drain until every console settled (or closed), or the deadline. */
static bool settle(int64_t deadline)
{
	for (;;) {
		int i, pending = 0;
		for (i = 0; i < ncons; i++)
			if (!cons[i].closed && !cons[i].refused && !console_settled(&cons[i]))
				pending++;
		if (!pending)
			return true;
		if (now_ms() >= deadline || !engine_alive())
			return false;
		drain_until(now_ms() + 100);
	}
}

static int open_consoles(void)
{
	char *uids = opt.factory_uids ? strdup(opt.factory_uids) : NULL, *tok, *save = NULL;
	char req[256];
	int i;
	for (i = 0; i < opt.operators && ncons < MAX_CONS; i++)
		cons[ncons++] = (struct console){ .uid = -1 };
	for (tok = uids ? strtok_r(uids, ",", &save) : NULL; tok && ncons < MAX_CONS;
	     tok = strtok_r(NULL, ",", &save))
		cons[ncons++] = (struct console){ .uid = atoi(tok), .factory = true };
	free(uids);
	snprintf(req, sizeof req,
		 "{\"id\":1,\"op\":\"hello\",\"version\":1,\"client\":\"bench_scale\"}\n"
		 "{\"id\":2,\"op\":\"subscribe\",\"mode\":\"%s\"}\n", opt.mode);
	for (i = 0; i < ncons; i++) {
		struct console *c = &cons[i];
		struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)i };
		int k;
		for (k = 0; k < NTOPICS; k++)
			c->t[k] = (struct topic_state){ .held = -1, .snap_gen = -1 };
		c->fd = connect_as(c->uid);
		if (c->fd < 0) {
			fprintf(stderr, "bench_scale: console %d (uid %d): connect: %s\n", i, c->uid,
				strerror(errno));
			c->closed = true;
			continue;
		}
		if (send_line(c->fd, req) < 0) {
			close(c->fd);
			c->fd = -1;
			c->closed = true;
			continue;
		}
		epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev);
		/* read as we go, so the first consoles' snapshots do not pile up
		 * while the later ones connect */
		drain_until(now_ms() + 1);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* reload                                                              */

static bool sighup;   /* reloads were timed by signal and log line */

/* SIGHUP, then wait for a new "reloaded" line at the end of the engine's
 * log; 0 with the time in *ms. */
static int reload_by_signal(double *ms)
{
	FILE *f = fopen(opt.log, "re");
	double t0;
	long start;
	char line[1024];
	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	start = ftell(f);
	t0 = now_s();
	kill(opt.pid, SIGHUP);
	while (now_s() - t0 < 30.0) {
		clearerr(f);
		fseek(f, start, SEEK_SET);
		while (fgets(line, sizeof line, f)) {
			start = ftell(f);
			if (strstr(line, "reloaded") || strstr(line, "reload of")) {
				*ms = (now_s() - t0) * 1000.0;
				fclose(f);
				return strstr(line, "reloaded") ? 0 : -1;
			}
		}
		drain_until(now_ms() + 5);
	}
	fclose(f);
	return -1;
}

/* Time `reload` requests on their own operator connection. Fills ms[]
 * (-1: refused or no answer in 30 s) and why (first problem). */
static int time_reloads(double *ms, int n, char *why, size_t whysz)
{
	struct lreader *r = calloc(1, sizeof *r);
	char line[4096], req[96];
	int i, done = 0;
	why[0] = '\0';
	r->fd = connect_as(-1);
	if (r->fd < 0 || hello(r, "bench_scale reload", NULL, 0) < 0) {
		snprintf(why, whysz, "no operator connection for reload");
		goto out;
	}
	for (i = 0; i < n; i++) {
		double t0 = now_s();
		int rc;
		ms[i] = -1;
		snprintf(req, sizeof req, "{\"id\":%d,\"op\":\"reload\"}\n", 50 + i);
		if (send_line(r->fd, req) < 0)
			break;
		rc = read_line(r, line, sizeof line, 30000);
		/* keep the consoles read while we wait: they are in this thread */
		if (rc != 1) {
			snprintf(why, whysz, "no answer to reload within 30 s");
			break;
		}
		if (strstr(line, "\"unknown_op\"") && opt.log) {
			/* an engine without the reload op: SIGHUP, timed until its
			 * log says "reloaded" */
			if (reload_by_signal(&ms[i]) < 0) {
				snprintf(why, whysz, "no \"reloaded\" line in %s within 30 s of SIGHUP",
					 opt.log);
				break;
			}
			sighup = true;
			done++;
			drain_until(now_ms() + 1500);
			continue;
		}
		if (!strstr(line, "\"reloaded\"")) {
			snprintf(why, whysz, "%.200s", line);
			break;
		}
		ms[i] = (now_s() - t0) * 1000.0;
		done++;
		drain_until(now_ms() + 1500);
	}
out:
	if (r->fd >= 0)
		close(r->fd);
	free(r);
	return done;
}

/* ------------------------------------------------------------------ */

static void usage(void)
{
	fprintf(stderr, "usage: bench_scale --socket PATH --pid PID --notify URL --snssais FILE\n"
		"  [--mode delta|full] [--label NAME] [--operators N] [--factory-uids U,U,...]\n"
		"  [--slices-per-change N] [--idle-s S] [--warmup-s S] [--window-s S]\n"
		"  [--settle-s S] [--reloads N] [--log ENGINE_LOG]\n");
	exit(2);
}

#define OUT(metric, fmt, ...) \
	printf("scale.%s.%s.%-28s " fmt "\n", opt.mode, opt.label, metric, __VA_ARGS__)

int main(int argc, char **argv)
{
	double cpu0, cpu1, cpu_settle0, cpu_settled, idle_cpu = 0, win_cpu = 0, idle_s = 0, win_s = 0;
	double reload_ms[16] = { 0 };
	int64_t t_start, t_settled, t_idle0, t_idle1, t_win0 = 0, t_win1 = 0;
	int i, nreload = 0, changes_in_window = 0, posts_bad = 0;
	double post_max = 0;
	bool settled;
	char role[32], why[256] = "";
	struct rusage ru;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v)
			usage();
		i++;
		if (!strcmp(a, "--socket")) opt.socket = v;
		else if (!strcmp(a, "--pid")) opt.pid = (pid_t)atoi(v);
		else if (!strcmp(a, "--notify")) opt.notify = v;
		else if (!strcmp(a, "--snssais")) opt.snssai_file = v;
		else if (!strcmp(a, "--mode")) opt.mode = v;
		else if (!strcmp(a, "--label")) opt.label = v;
		else if (!strcmp(a, "--operators")) opt.operators = atoi(v);
		else if (!strcmp(a, "--factory-uids")) opt.factory_uids = v;
		else if (!strcmp(a, "--slices-per-change")) opt.per_change = atoi(v);
		else if (!strcmp(a, "--idle-s")) opt.idle_s = atoi(v);
		else if (!strcmp(a, "--warmup-s")) opt.warmup_s = atoi(v);
		else if (!strcmp(a, "--window-s")) opt.window_s = atoi(v);
		else if (!strcmp(a, "--settle-s")) opt.settle_s = atoi(v);
		else if (!strcmp(a, "--reloads")) opt.reloads = atoi(v);
		else if (!strcmp(a, "--log")) opt.log = v;
		else usage();
	}
	if (!opt.socket || opt.pid <= 0 || !opt.notify || !opt.snssai_file || opt.per_change < 1 ||
	    opt.window_s < 1 || opt.reloads < 0 || opt.reloads > 16)
		usage();
	if (load_snssais(opt.snssai_file) < 0) {
		fprintf(stderr, "bench_scale: no S-NSSAIs in %s\n", opt.snssai_file);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	epfd = epoll_create1(EPOLL_CLOEXEC);

	/* 1. the latency client */
	ping.s = calloc(MAX_PINGS, sizeof *ping.s);
	ping.r.fd = connect_as(-1);
	if (ping.r.fd < 0 || hello(&ping.r, "bench_scale ping", role, sizeof role) < 0) {
		fprintf(stderr, "bench_scale: cannot say hello to the engine at %s\n", opt.socket);
		return 2;
	}
	t_start = now_ms();
	ping.running = pthread_create(&ping.th, NULL, ping_main, NULL) == 0;

	/* 2, 3. consoles, settle */
	cpu_settle0 = engine_cpu_s();
	open_consoles();
	settled = settle(t_start + (int64_t)opt.settle_s * 1000);
	t_settled = now_ms();
	cpu_settled = cpu0 = engine_cpu_s();

	/* 4. idle window */
	t_idle0 = now_ms();
	drain_until(t_idle0 + (int64_t)opt.idle_s * 1000);
	t_idle1 = now_ms();
	cpu1 = engine_cpu_s();
	idle_s = (double)(t_idle1 - t_idle0) / 1000.0;
	idle_cpu = cpu1 - cpu0;

	/* 5. changes */
	{
		chg.running = pthread_create(&chg.th, NULL, change_main, NULL) == 0;
		drain_until(now_ms() + (int64_t)opt.warmup_s * 1000);
		in_window = true;
		t_win0 = now_ms();
		cpu0 = engine_cpu_s();
		{
			int n0 = atomic_load(&chg.n);
			drain_until(t_win0 + (int64_t)opt.window_s * 1000);
			changes_in_window = atomic_load(&chg.n) - n0;
		}
		cpu1 = engine_cpu_s();
		t_win1 = now_ms();
		in_window = false;
		win_s = (double)(t_win1 - t_win0) / 1000.0;
		win_cpu = cpu1 - cpu0;
		atomic_store(&chg.stop, true);
		if (chg.running)
			pthread_join(chg.th, NULL);
		drain_until(now_ms() + 2000);
	}
	for (i = 0; i < atomic_load(&chg.n); i++)
	{
		if (chg.status[i] < 200 || chg.status[i] > 299)
			posts_bad++;
		post_max = fmax(post_max, chg.post_ms[i]);
	}

	/* 6. reloads */
	if (opt.reloads && engine_alive())
		nreload = time_reloads(reload_ms, opt.reloads, why, sizeof why);
	drain_until(now_ms() + 500);

	atomic_store(&ping.stop, true);
	if (ping.running)
		pthread_join(ping.th, NULL);

	/* 7. figures */
	{
		int settled_ops = 0, settled_fac = 0, closed = 0, refused = 0, nops = 0, nfac = 0;
		uint64_t gaps = 0, perr = 0, resyncs = 0, deltas = 0, fulls = 0, maxline = 0;
		uint64_t wbytes = 0, wdeltas = 0, wfulls = 0, bytes = 0;
		int w_ops = 0, w_fac = 0;
		double p50, p99, mx, net, per_change;
		int cnt, lost;
		const char *first_refusal = NULL;
		for (i = 0; i < ncons; i++) {
			struct console *c = &cons[i];
			bool s = console_settled(c) || (c->subscribed && !c->closed && settled);
			if (c->factory) {
				nfac++;
				settled_fac += s;
			} else {
				nops++;
				settled_ops += s;
			}
			closed += c->closed;
			refused += c->refused;
			if (c->refused && !first_refusal)
				first_refusal = c->refusal;
			gaps += c->gaps;
			perr += c->page_errors;
			resyncs += c->resyncs;
			deltas += c->deltas;
			fulls += c->fulls;
			bytes += c->bytes;
			wbytes += c->w_bytes;
			wdeltas += c->w_deltas;
			wfulls += c->w_fulls;
			if (c->w_deltas + c->w_fulls)
				*(c->factory ? &w_fac : &w_ops) += 1;
			if (c->max_line > maxline)
				maxline = c->max_line;
		}
		OUT("consoles", "%d operator, %d factory (hello role of this user: %s)", nops, nfac,
		    role);
		OUT("settled", "%s in %.1f s: %d/%d operator, %d/%d factory consoles hold every "
		    "topic; %d closed by the engine, %d refused%s%s",
		    settled ? "yes" : "did not finish", (double)(t_settled - t_start) / 1000.0,
		    settled_ops, nops, settled_fac, nfac, closed, refused,
		    first_refusal ? ": " : "", first_refusal ? first_refusal : "");
		OUT("subscribe.engine_cpu_s", "%.2f s of engine CPU from first connect to settled",
		    cpu_settled - cpu_settle0);
		OUT("received_mb", "%.1f total, %.1f in the change window; longest line %.2f MB",
		    (double)bytes / 1e6, (double)wbytes / 1e6, (double)maxline / 1e6);
		OUT("protocol", "%llu deltas, %llu whole lists, %llu base mismatches, %llu "
		    "page-order errors, %llu resyncs",
		    (unsigned long long)deltas, (unsigned long long)fulls, (unsigned long long)gaps,
		    (unsigned long long)perr, (unsigned long long)resyncs);
		OUT("idle.cpu_pct", "%.2f %% of one core over %.0f s with nothing changing",
		    100.0 * idle_cpu / idle_s, idle_s);
		OUT("changes", "%d in the %.0f s window (%d sent, %d not answered 2xx, post p_max "
		    "%.0f ms), %d slices each", changes_in_window, win_s, atomic_load(&chg.n),
		    posts_bad, post_max, opt.per_change);
		if (changes_in_window > 0 && win_s > 0) {
			per_change = 1000.0 * win_cpu / changes_in_window;
			net = 1000.0 * (win_cpu - idle_cpu / idle_s * win_s) / changes_in_window;
			OUT("cpu_pct", "%.2f %% of one core in total (target < 10 %%: %s)",
			    100.0 * win_cpu / win_s, 100.0 * win_cpu / win_s < 10.0 ? "met" : "MISSED");
			OUT("cpu_ms_per_change", "%.2f ms (%.2f above idle)", per_change, net);
			OUT("cpu_us_per_object", "%.1f us per slice changed (%.1f above idle)",
			    1000.0 * per_change / opt.per_change, 1000.0 * net / opt.per_change);
			OUT("window_deltas_per_change", "%.1f delta lines, %.1f whole lists, %.0f kB "
			    "to all consoles per change", (double)wdeltas / changes_in_window,
			    (double)wfulls / changes_in_window,
			    (double)wbytes / changes_in_window / 1e3);
			OUT("window_consoles_updated", "%d/%d operator, %d/%d factory consoles got at "
			    "least one update in the window%s", w_ops, nops, w_fac, nfac,
			    w_ops ? "" : " (NONE of the operators: the changes did not reach them)");
		} else {
			OUT("cpu_pct", "%s", "no change was delivered in the window");
		}
		ping_stats(t_start, t_settled, &p50, &p99, &mx, &cnt, &lost);
		OUT("ping.subscribe_ms", "p50 %.1f p99 %.1f max %.1f (%d pings, %d unanswered "
		    "in 5 s) while consoles subscribe", p50, p99, mx, cnt, lost);
		if (t_win1 > t_win0) {
			ping_stats(t_win0, t_win1, &p50, &p99, &mx, &cnt, &lost);
			OUT("ping_ms", "p50 %.1f p99 %.1f max %.1f (%d pings, %d unanswered) during "
			    "changes (target p99 < 50 ms: %s)", p50, p99, mx, cnt, lost,
			    cnt && p99 < 50.0 ? "met" : "MISSED");
		}
		ping_stats(t_start, now_ms(), &p50, &p99, &mx, &cnt, &lost);
		OUT("ping.throughout_ms", "p50 %.1f p99 %.1f max %.1f (%d pings, %d unanswered) "
		    "from first connect to the end, reloads included", p50, p99, mx, cnt, lost);
		if (opt.reloads) {
			double best = 1e18, worst = 0;
			for (i = 0; i < nreload; i++) {
				best = fmin(best, reload_ms[i]);
				worst = fmax(worst, reload_ms[i]);
			}
			if (nreload)
				OUT("reload_ms", "best %.0f worst %.0f of %d, consoles connected, %s "
				    "(target < 1000: %s)", best, worst, nreload,
				    sighup ? "SIGHUP to the log's \"reloaded\"" : "op reload to its answer",
				    worst < 1000.0 ? "met" : "MISSED");
			else
				OUT("reload_ms", "not measured: %s", why);
		}
		{
			double hwm = engine_vm_mb("VmHWM"), rss = engine_vm_mb("VmRSS");
			OUT("rss_mb", "peak %.0f, now %.0f (target peak < 1024: %s)", hwm, rss,
			    hwm >= 0 && hwm < 1024.0 ? "met" : "MISSED");
		}
		getrusage(RUSAGE_SELF, &ru);
		OUT("bench_cpu_s", "%.1f (the consoles, pings and reports: this process)",
		    ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
		    ru.ru_stime.tv_usec / 1e6);
		OUT("engine", "%s", engine_alive() ? "alive" : "GONE (crashed or killed)");
	}
	for (i = 0; i < ncons; i++)
		if (cons[i].fd >= 0)
			close(cons[i].fd);
	close(ping.r.fd);
	curl_global_cleanup();
	return engine_alive() ? 0 : 1;
}

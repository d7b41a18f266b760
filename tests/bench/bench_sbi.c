/* tests/bench/bench_sbi.c — SBI fetch+decode throughput: a bare libcurl
 * loop against the project's SBI client, on one HTTP/2 connection.
 *
 *   bench_sbi --url URL --label NAME [--streams 1,10,100] [--count N]
 *             [--runs R] [--max-s S] [--mode both|bare|client]
 *
 * For each stream count K it alternates R runs of
 *   (b) bare:   libcurl multi (perform/poll), K transfers in flight, easy
 *               handles reused, each body parsed with json_loadb and freed;
 *   (c) client: sd_sbi_client on an sd_loop, K requests in flight, each body
 *               decoded with sd_decode_nf_profile and put into a model;
 *   (c') with --split yes: the client, but each body only parsed with
 *               json_loadb like (b) — separates the client's transport
 *               overhead from its decoder's; and the bare loop without
 *               json_loadb (libcurl alone: the HTTP/2 client ceiling);
 * and prints the best run of each (the machine is noisy; the best run is the
 * one least disturbed), then the ratio c/b. A run stops issuing after N
 * requests or S seconds, whichever comes first; every run starts with one
 * untimed request that opens the connection.
 *
 * Output, one figure per line (run.sh greps these):
 *   sbi.bare.LABEL.mK     req/s=...  cpu_us/req=...  conns=1  done=N  errors=0
 *   sbi.client.LABEL.mK   req/s=...  ...
 *   sbi.ratio.client_vs_bare.LABEL.mK  0.91  (target >= 0.8: met)
 * cpu_us/req is this process's user+sys CPU per request: the client's cost
 * without the server's, steadier than req/s when the two share two cores.
 *
 * libcurl < 8 (Debian 12: 7.88.1) breaks reused h2c prior-knowledge
 * connections (curl#10634). The bare loop therefore does what the client's
 * JOIN mode does: one opener with prior knowledge, then every transfer asks
 * for plain HTTP/2 with PIPEWAIT, which libcurl matches onto the open
 * connection; their open-socket callback refuses, so a lost connection shows
 * up as errors instead of as HTTP/1.1 Upgrade attempts. Exit status: 0, 1 on
 * errors (any failed request), 2 on bad usage.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>

#include "core/log.h"
#include "core/loop.h"
#include "core/model.h"
#include "core/sbi_client.h"
#include "core/util.h"
#include "monitor/sbi_decode.h"

#define MAX_STREAMS  1000
#define MAX_KS       8
#define BODY_MAX     (1u << 20)
#define TIMEOUT_MS   10000L

struct figure {
	double rps;          /* completed requests per wall second */
	double cpu_us;       /* this process's CPU us per request */
	long conns;          /* connections opened in the timed phase + opener */
	long done;
	long errors;
	char first_err[160];
};

static double mono_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* Count an error; keep the first one's text ("what" + "detail"). */
static void note_err(struct figure *f, const char *what, const char *detail)
{
	if (f->errors++ == 0)
		snprintf(f->first_err, sizeof f->first_err, "%s%s", what, detail);
}

/* ---- (b) the bare loop ---------------------------------------------------- */

struct bare_xfer {
	CURL *e;
	struct sd_buf body;
};

static size_t bare_write(char *data, size_t size, size_t nmemb, void *arg)
{
	struct bare_xfer *x = arg;
	size_t n = size * nmemb;
	return sd_buf_add(&x->body, data, n) < 0 ? 0 : n;
}

/* Joiners must never open a connection of their own (see the top). */
static curl_socket_t bare_refuse_socket(void *clientp, curlsocktype purpose,
					struct curl_sockaddr *addr)
{
	(void)clientp;
	(void)purpose;
	(void)addr;
	return CURL_SOCKET_BAD;
}

static CURL *bare_easy(const char *url, struct bare_xfer *x, bool opener)
{
	CURL *e = curl_easy_init();
	if (!e)
		return NULL;
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, bare_write);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, TIMEOUT_MS);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	if (opener) {
		curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE);
	} else {
		curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2_0);
		curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
		curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, bare_refuse_socket);
	}
	return e;
}

/* Checks one finished bare transfer: status 200 and a JSON object body. */
static bool bare_check(struct figure *f, CURL *e, CURLcode rc, struct bare_xfer *x,
		       bool no_parse)
{
	long status = 0, nconn = 0;
	json_t *j;
	json_error_t jerr;

	curl_easy_getinfo(e, CURLINFO_NUM_CONNECTS, &nconn);
	f->conns += nconn;
	if (rc != CURLE_OK) {
		note_err(f, "bare: ", curl_easy_strerror(rc));
		return false;
	}
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200) {
		note_err(f, "bare: HTTP status ", status == 404 ? "404" : "not 200");
		return false;
	}
	if (no_parse)
		return x->body.len > 0;
	j = json_loadb(x->body.data ? x->body.data : "", x->body.len, 0, &jerr);
	if (!json_is_object(j)) {
		note_err(f, "bare: body is not a JSON object: ", jerr.text);
		json_decref(j);
		return false;
	}
	json_decref(j);
	return true;
}

/* Drive the multi handle until `running` transfers are done or `until` (a
 * mono_s() deadline) passes, handing each finished one to on_done. */
typedef void (*bare_done_fn)(CURLM *m, CURL *e, CURLcode rc, void *arg);

static int bare_drive(CURLM *m, double until, bare_done_fn fn, void *arg)
{
	int running, q, handled;
	CURLMsg *msg;
	for (;;) {
		if (curl_multi_perform(m, &running) != CURLM_OK)
			return -1;
		handled = 0;
		while ((msg = curl_multi_info_read(m, &q)) != NULL) {
			if (msg->msg == CURLMSG_DONE) {
				fn(m, msg->easy_handle, msg->data.result, arg);
				handled++;
			}
		}
		if (handled)
			continue;     /* fn may have added transfers: perform again */
		if (!running)
			return 0;
		if (mono_s() > until)
			return -1;
		if (curl_multi_poll(m, NULL, 0, 100, NULL) != CURLM_OK)
			return -1;
	}
}

struct bare_run {
	struct figure *f;
	long issued, limit;
	double stop_issuing;  /* mono_s() after which no new transfer starts */
	long completed;
	bool opener_phase;
	bool no_parse;        /* libcurl alone: the body is not parsed */
};

static void bare_on_done(CURLM *m, CURL *e, CURLcode rc, void *arg)
{
	struct bare_run *br = arg;
	struct bare_xfer *x = NULL;
	curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&x);
	if (br->opener_phase) {
		/* the opener's NUM_CONNECTS counts too */
		bare_check(br->f, e, rc, x, false);
		curl_multi_remove_handle(m, e);
		return;
	}
	if (bare_check(br->f, e, rc, x, br->no_parse))
		br->completed++;
	curl_multi_remove_handle(m, e);
	if (br->issued < br->limit && mono_s() < br->stop_issuing) {
		sd_buf_reset(&x->body);
		br->issued++;
		if (curl_multi_add_handle(m, e) != CURLM_OK) {
			br->issued--;
			note_err(br->f, "bare: curl_multi_add_handle failed", "");
		}
	}
}

static void bench_bare(const char *url, int k, long count, double max_s, bool no_parse,
		       struct figure *f)
{
	CURLM *m = curl_multi_init();
	struct bare_xfer *xs = sd_calloc((size_t)k + 1, sizeof *xs);
	struct bare_run br = { .f = f, .limit = count, .opener_phase = true,
			       .no_parse = no_parse };
	double t0, c0, t1, c1;
	int i;

	memset(f, 0, sizeof *f);
	curl_multi_setopt(m, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
	curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, 1L);
	for (i = 0; i <= k; i++)
		sd_buf_init(&xs[i].body, BODY_MAX);

	/* the opener, untimed */
	xs[k].e = bare_easy(url, &xs[k], true);
	curl_multi_add_handle(m, xs[k].e);
	if (bare_drive(m, mono_s() + (double)TIMEOUT_MS / 1000, bare_on_done, &br) < 0 ||
	    f->errors) {
		note_err(f, "bare: the opening request failed", "");
		goto out;
	}
	br.opener_phase = false;

	t0 = mono_s();
	c0 = cpu_s();
	br.stop_issuing = t0 + max_s;
	for (i = 0; i < k && br.issued < count; i++) {
		xs[i].e = bare_easy(url, &xs[i], false);
		br.issued++;
		curl_multi_add_handle(m, xs[i].e);
	}
	if (bare_drive(m, t0 + max_s + (double)TIMEOUT_MS / 1000, bare_on_done, &br) < 0)
		note_err(f, "bare: the multi loop failed or overran its time bound", "");
	t1 = mono_s();
	c1 = cpu_s();
	f->done = br.completed;
	f->rps = br.completed / (t1 - t0);
	f->cpu_us = br.completed ? (c1 - c0) * 1e6 / (double)br.completed : 0;
out:
	for (i = 0; i <= k; i++) {
		if (xs[i].e) {
			curl_multi_remove_handle(m, xs[i].e);
			curl_easy_cleanup(xs[i].e);
		}
		sd_buf_done(&xs[i].body);
	}
	free(xs);
	curl_multi_cleanup(m);
}

/* ---- (c) the SBI client + decoder ------------------------------------------ */

struct cli_run {
	struct sd_loop *loop;
	struct sd_sbi_client *cli;
	struct sd_model *model;
	struct figure *f;
	const char *url;
	long issued, limit, completed, outstanding;
	double stop_issuing;
	bool stopping;
	bool parse_only;      /* json_loadb like the bare loop, no decoder */
};

static void cli_issue(struct cli_run *cr);

/* Put a decoded NF into the model, as the collector's notification path
 * does: replace by nfInstanceId or append. */
static void model_put(struct sd_model *m, const struct sd_nf_instance *nf)
{
	int i = sd_model_nf_index(m, nf->id);
	if (i < 0) {
		m->nfs = sd_reallocarray(m->nfs, (size_t)m->nnfs + 1, sizeof *m->nfs);
		i = m->nnfs++;
	}
	m->nfs[i] = *nf;
}

static void cli_on_result(const struct sd_sbi_result *res, void *arg)
{
	struct cli_run *cr = arg;
	struct sd_nf_profile p = { 0 };
	struct sd_decode_diag diag;

	cr->outstanding--;
	if (res->err != SD_SBI_OK) {
		note_err(cr->f, "client: ", res->errmsg);
	} else if (res->status != 200) {
		note_err(cr->f, "client: ", res->errmsg);
	} else if (cr->parse_only) {
		json_t *j = json_loadb(res->body, res->body_len, 0, NULL);
		if (json_is_object(j))
			cr->completed++;
		else
			note_err(cr->f, "client: body is not a JSON object", "");
		json_decref(j);
	} else if (sd_decode_nf_profile(res->body, res->body_len, &p, &diag) < 0) {
		note_err(cr->f, "client: bad NFProfile: ", diag.error);
	} else {
		model_put(cr->model, &p.nf);
		cr->completed++;
	}
	sd_nf_profile_done(&p);
	if (!cr->stopping && cr->issued < cr->limit && mono_s() < cr->stop_issuing)
		cli_issue(cr);
	if (cr->outstanding == 0)
		sd_loop_stop(cr->loop);
}

static void cli_issue(struct cli_run *cr)
{
	struct sd_sbi_reqopts o = { .nf = "NRF", .url = cr->url, .timeout_ms = (int)TIMEOUT_MS,
				    .no_retry = true };
	if (sd_sbi_request(cr->cli, &o, cli_on_result, cr) < 0) {
		note_err(cr->f, "client: sd_sbi_request refused the request", "");
		return;
	}
	cr->issued++;
	cr->outstanding++;
}

static void cli_on_guard(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct cli_run *cr = arg;
	(void)id;
	note_err(cr->f, "client: run overran its time bound", "");
	cr->stopping = true;
	sd_loop_stop(loop);
}

static void bench_client(const char *url, int k, long count, double max_s, bool parse_only,
			 struct figure *f)
{
	struct sd_sbi_conf conf = { .timeout_ms = (int)TIMEOUT_MS };
	struct sd_sbi_client_opts co = { .conf = &conf, .h2c_mode = SD_SBI_H2C_AUTO };
	struct sd_sbi_client_stats st;
	struct sd_model model = { 0 };
	struct cli_run cr = { .model = &model, .f = f, .url = url, .limit = 1,
			      .parse_only = parse_only };
	uint64_t guard;
	double t0, c0, t1, c1;
	int i;

	memset(f, 0, sizeof *f);
	cr.loop = sd_loop_new();
	cr.cli = sd_sbi_client_new(cr.loop, &co);
	if (!cr.loop || !cr.cli) {
		note_err(f, "client: cannot create the loop or the client", "");
		goto out;
	}
	/* the opener, untimed */
	cr.stop_issuing = mono_s() + max_s;
	cli_issue(&cr);
	guard = sd_loop_timer_add(cr.loop, TIMEOUT_MS + 1000, cli_on_guard, &cr);
	sd_loop_run(cr.loop);
	sd_loop_timer_del(cr.loop, guard);
	if (f->errors || cr.completed != 1) {
		note_err(f, "client: the opening request failed", "");
		goto out;
	}

	cr.completed = 0;
	cr.issued = 0;
	cr.limit = count;
	t0 = mono_s();
	c0 = cpu_s();
	cr.stop_issuing = t0 + max_s;
	for (i = 0; i < k && cr.issued < count; i++)
		cli_issue(&cr);
	guard = sd_loop_timer_add(cr.loop, (int64_t)(max_s * 1000) + TIMEOUT_MS + 1000,
				  cli_on_guard, &cr);
	sd_loop_run(cr.loop);
	sd_loop_timer_del(cr.loop, guard);
	t1 = mono_s();
	c1 = cpu_s();
	f->done = cr.completed;
	f->rps = cr.completed / (t1 - t0);
	f->cpu_us = cr.completed ? (c1 - c0) * 1e6 / (double)cr.completed : 0;
	sd_sbi_client_stats(cr.cli, &st);
	f->conns = (long)st.connects;
	if (sd_sbi_client_h2c_mode(cr.cli) != SD_SBI_H2C_PLAIN &&
	    sd_sbi_client_h2c_mode(cr.cli) != SD_SBI_H2C_JOIN)
		note_err(f, "client: unexpected h2c mode %s",
			 sd_sbi_h2c_mode_name(sd_sbi_client_h2c_mode(cr.cli)));
out:
	cr.stopping = true;
	if (cr.cli)
		sd_sbi_client_free(cr.cli);  /* cancels leftovers (after a guard stop) */
	if (cr.loop)
		sd_loop_free(cr.loop);
	free(model.nfs);
}

/* ---- main ------------------------------------------------------------------ */

/* best keeps the fastest error-free run; errors of any run are added up and
 * the first one's text kept, so a flaky run is reported, not hidden. */
static void keep_best(struct figure *best, const struct figure *f)
{
	long errors = best->errors + f->errors;
	char first[sizeof best->first_err];
	memcpy(first, best->errors ? best->first_err : f->first_err, sizeof first);
	if (!f->errors && f->rps > best->rps)
		*best = *f;
	best->errors = errors;
	memcpy(best->first_err, first, sizeof first);
}

static void print_fig(const char *kind, const char *label, int k, const struct figure *f)
{
	char name[96];
	snprintf(name, sizeof name, "sbi.%s.%s.m%d", kind, label, k);
	printf("%-40s req/s=%-9.0f cpu_us/req=%-7.1f conns=%ld done=%ld errors=%ld%s%s\n",
	       name, f->rps, f->cpu_us, f->conns, f->done, f->errors,
	       f->errors ? "  first error: " : "", f->first_err);
}

static int parse_ks(const char *s, int *ks)
{
	int n = 0;
	long long v;
	char tok[16];
	while (*s) {
		size_t len = strcspn(s, ",");
		if (len == 0 || len >= sizeof tok || n == MAX_KS)
			return -1;
		memcpy(tok, s, len);
		tok[len] = '\0';
		if (!sd_parse_ll(tok, 1, MAX_STREAMS, &v))
			return -1;
		ks[n++] = (int)v;
		s += len;
		if (*s == ',')
			s++;
	}
	return n;
}

static void usage(void)
{
	fprintf(stderr, "usage: bench_sbi --url URL --label NAME [--streams 1,10,100] "
		"[--count N] [--runs R] [--max-s S] [--mode both|bare|client|parse_only] [--split yes]\n");
}

int main(int argc, char **argv)
{
	const char *url = NULL, *label = "sim", *mode = "both";
	int ks[MAX_KS] = { 1, 10, 100 }, nks = 3, runs = 3, i, r, rc = 0;
	long count = 10000;
	double max_s = 3.0;
	long long v;
	bool do_bare, do_client, split = false;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		if (!val) {
			usage();
			return 2;
		}
		if (!strcmp(a, "--url")) {
			url = val;
		} else if (!strcmp(a, "--label")) {
			label = val;
		} else if (!strcmp(a, "--split")) {
			split = !strcmp(val, "yes");
		} else if (!strcmp(a, "--mode")) {
			mode = val;
		} else if (!strcmp(a, "--streams")) {
			nks = parse_ks(val, ks);
			if (nks <= 0) {
				fprintf(stderr, "bench_sbi: --streams wants 1..%d, comma-separated\n",
					MAX_STREAMS);
				return 2;
			}
		} else if (!strcmp(a, "--count")) {
			if (!sd_parse_ll(val, 1, 10000000, &v))
				return usage(), 2;
			count = (long)v;
		} else if (!strcmp(a, "--runs")) {
			if (!sd_parse_ll(val, 1, 20, &v))
				return usage(), 2;
			runs = (int)v;
		} else if (!strcmp(a, "--max-s")) {
			char *end;
			errno = 0;
			max_s = strtod(val, &end);
			if (errno || *end || !(max_s > 0 && max_s <= 60))
				return usage(), 2;
		} else {
			usage();
			return 2;
		}
		i++;
	}
	do_bare = !strcmp(mode, "both") || !strcmp(mode, "bare");
	do_client = !strcmp(mode, "both") || !strcmp(mode, "client");
	if (!strcmp(mode, "parse_only"))
		split = true;   /* (c') alone, for profiling */
	if (!url || (!do_bare && !do_client && !split)) {
		usage();
		return 2;
	}
	sd_log_open("bench_sbi", 0, SD_LOG_WARN);
	curl_global_init(CURL_GLOBAL_DEFAULT);

	for (i = 0; i < nks; i++) {
		struct figure best_b = { 0 }, best_c = { 0 }, best_p = { 0 },
			      best_n = { 0 }, f;
		for (r = 0; r < runs; r++) {
			/* alternate, so drift on the machine hits both alike */
			if (do_bare) {
				bench_bare(url, ks[i], count, max_s, false, &f);
				keep_best(&best_b, &f);
			}
			if (do_client) {
				bench_client(url, ks[i], count, max_s, false, &f);
				keep_best(&best_c, &f);
			}
			if (split) {
				bench_client(url, ks[i], count, max_s, true, &f);
				keep_best(&best_p, &f);
				bench_bare(url, ks[i], count, max_s, true, &f);
				keep_best(&best_n, &f);
			}
		}
		if (do_bare)
			print_fig("bare", label, ks[i], &best_b);
		if (do_client)
			print_fig("client", label, ks[i], &best_c);
		if (split) {
			print_fig("client_parse_only", label, ks[i], &best_p);
			print_fig("bare_no_parse", label, ks[i], &best_n);
		}
		if (do_bare && do_client) {
			double ratio = best_b.rps > 0 ? best_c.rps / best_b.rps : 0;
			char name[96];
			snprintf(name, sizeof name, "sbi.ratio.client_vs_bare.%s.m%d", label, ks[i]);
			printf("%-40s %.2f  (target >= 0.8: %s)\n", name, ratio,
			       best_b.errors || best_c.errors ? "not measured, errors" :
			       ratio >= 0.8 ? "met" : "MISSED");
			snprintf(name, sizeof name, "sbi.cpu.client_vs_bare.%s.m%d", label, ks[i]);
			printf("%-40s %.2f  (client CPU per request / bare; informative)\n", name,
			       best_b.cpu_us > 0 ? best_c.cpu_us / best_b.cpu_us : 0);
		}
		if (split && do_bare) {
			char name[96];
			snprintf(name, sizeof name, "sbi.cpu.client_parse_only_vs_bare.%s.m%d",
				 label, ks[i]);
			printf("%-40s %.2f  (transport part of the client's CPU overhead; informative)\n",
			       name, best_b.cpu_us > 0 ? best_p.cpu_us / best_b.cpu_us : 0);
		}
		if (best_b.errors || best_c.errors || best_p.errors || best_n.errors)
			rc = 1;
		fflush(stdout);
	}
	curl_global_cleanup();
	return rc;
}

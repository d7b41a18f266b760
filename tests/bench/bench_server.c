/* tests/bench/bench_server.c — core/sbi_server.c serving fixed bytes: the
 * SBI server's own ceiling, without the simulator's handler work.
 *
 *   bench_server FILE [--listen 127.0.0.1:0]
 *
 * Serves FILE's bytes as application/json at GET /nnrf-nfm/v1/nf-instances/{id}
 * (the sim's route; the handler only copies the bytes into the response)
 * until SIGTERM or SIGINT. When ready it prints "URL <apiRoot>/nnrf-nfm/v1/
 * nf-instances/<any id>" as one line on stdout. run.sh runs h2load against
 * it next to the sim and nghttpd: sim / bench_server says how much of the
 * sim's time goes to its handlers, bench_server / nghttpd how the server
 * machinery itself compares. Exit 2 on bad usage, 1 when it cannot serve.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/loop.h"
#include "core/sbi_server.h"
#include "core/util.h"

#define MAX_FILE (1u << 20)

struct fixed {
	char *body;
	size_t len;
};

static void on_get(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	const struct fixed *fx = arg;
	(void)req;
	resp->status = 200;
	resp->body = sd_malloc(fx->len + 1);
	memcpy(resp->body, fx->body, fx->len);
	resp->body[fx->len] = '\0';
	resp->body_len = fx->len;
	sd_strlcpy(resp->content_type, "application/json", sizeof resp->content_type);
}

static void on_stop(struct sd_loop *loop, int signo, void *arg)
{
	(void)signo;
	(void)arg;
	sd_loop_stop(loop);
}

int main(int argc, char **argv)
{
	struct sd_sbi_server_conf conf = { .listen = "127.0.0.1:0" };
	struct fixed fx;
	struct sd_loop *loop;
	struct sd_sbi_server *srv;
	char err[256];
	FILE *f;
	int rc = 0;

	if (argc == 4 && !strcmp(argv[2], "--listen")) {
		conf.listen = argv[3];
	} else if (argc != 2) {
		fprintf(stderr, "usage: bench_server FILE [--listen ADDR:PORT]\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	fx.body = sd_malloc(MAX_FILE);
	fx.len = fread(fx.body, 1, MAX_FILE, f);
	fclose(f);

	sd_log_open("bench_server", 0, SD_LOG_WARN);
	signal(SIGPIPE, SIG_IGN);
	loop = sd_loop_new();
	if (!loop) {
		free(fx.body);
		return 1;
	}
	srv = sd_sbi_server_new(loop, &conf, err, sizeof err);
	if (!srv) {
		fprintf(stderr, "bench_server: %s\n", err);
		rc = 1;
		goto out;
	}
	sd_sbi_server_route(srv, "GET", "/nnrf-nfm/v1/nf-instances/{id}", on_get, &fx);
	sd_loop_signal(loop, SIGTERM, on_stop, NULL);
	sd_loop_signal(loop, SIGINT, on_stop, NULL);
	printf("URL %s/nnrf-nfm/v1/nf-instances/00000000-0000-4000-8000-000000000000\n",
	       sd_sbi_server_api_root(srv));
	fflush(stdout);
	if (sd_loop_run(loop) < 0)
		rc = 1;
	sd_sbi_server_free(srv);
out:
	sd_loop_free(loop);
	free(fx.body);
	return rc;
}

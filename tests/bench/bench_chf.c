/* tests/bench/bench_chf.c — the reference beside the CHF intake bench
 * (chf.sh): core/sbi_server.c on the CHF's routes, decoding and checking
 * every ChargingDataRequest as the engine does (sd_chf_decode,
 * sd_chf_check_units) and answering at once with the same
 * ChargingDataResponse, with no ledger: no store write, no commit, no
 * deferred answer. engine / this = what durability and the ledger cost.
 *
 *   bench_chf [--listen 127.0.0.1:0]
 *
 * When ready it prints "API <apiRoot>" on stdout; runs until SIGTERM or
 * SIGINT. A request that does not decode is answered 400, as by the
 * engine. Exit 2 on bad usage, 1 when it cannot serve.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "billing/chf_decode.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/sbi_server.h"
#include "core/util.h"

#define BASE "/nchf-convergedcharging/v3/chargingdata"

static void answer(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, int status)
{
	struct sd_chf_request r;
	struct sd_chf_error e;
	char ts[40];
	json_t *j;
	if (sd_chf_decode(req->body, req->body_len, &r, &e) < 0 ||
	    sd_chf_check_units(&r, req->nparams ? req->params[0] : "create", 0, &e) < 0) {
		sd_chf_request_done(&r);
		sd_sbi_resp_problem(resp, 400, "Bad Request", e.cause, e.detail);
		return;
	}
	sd_fmt_time(sd_wall_ms(), ts, sizeof ts);
	j = json_pack("{s:s, s:I}", "invocationTimeStamp", ts, "invocationSequenceNumber",
		      (json_int_t)r.invocation_seq);
	sd_chf_request_done(&r);
	if (status == 204) {
		json_decref(j);
		resp->status = 204;
		return;
	}
	sd_sbi_resp_json(resp, status, json_dumps(j, JSON_COMPACT));
	json_decref(j);
}

static void h_create(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	answer(req, resp, 201);
	snprintf(resp->location, sizeof resp->location, "%s%s/bench", (const char *)arg, BASE);
}

static void h_update(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	answer(req, resp, 200);
}

static void h_release(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	answer(req, resp, 204);
}

static void on_stop(struct sd_loop *loop, int signo, void *arg)
{
	sd_loop_stop(loop);
}

int main(int argc, char **argv)
{
	struct sd_sbi_server_conf conf = { .listen = "127.0.0.1:0" };
	struct sd_loop *loop;
	struct sd_sbi_server *srv;
	char err[256], root[256];
	int rc = 0;

	if (argc == 3 && !strcmp(argv[1], "--listen")) {
		conf.listen = argv[2];
	} else if (argc != 1) {
		fprintf(stderr, "usage: bench_chf [--listen ADDR:PORT]\n");
		return 2;
	}
	sd_log_open("bench_chf", 0, SD_LOG_WARN);
	signal(SIGPIPE, SIG_IGN);
	loop = sd_loop_new();
	if (!loop)
		return 1;
	srv = sd_sbi_server_new(loop, &conf, err, sizeof err);
	if (!srv) {
		fprintf(stderr, "bench_chf: %s\n", err);
		sd_loop_free(loop);
		return 1;
	}
	sd_strlcpy(root, sd_sbi_server_api_root(srv), sizeof root);
	sd_sbi_server_route(srv, "POST", BASE, h_create, root);
	sd_sbi_server_route(srv, "POST", BASE "/{ref}/update", h_update, root);
	sd_sbi_server_route(srv, "POST", BASE "/{ref}/release", h_release, root);
	sd_loop_signal(loop, SIGTERM, on_stop, NULL);
	sd_loop_signal(loop, SIGINT, on_stop, NULL);
	printf("API %s\n", root);
	fflush(stdout);
	if (sd_loop_run(loop) < 0)
		rc = 1;
	sd_sbi_server_free(srv);
	sd_loop_free(loop);
	return rc;
}

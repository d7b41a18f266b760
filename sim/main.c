/* sim/main.c — slicedeck-sim: the emulated pilot-zone 5G core.
 *
 *   slicedeck-sim -c FILE [--seed N] [--listen ADDR:PORT] [--fault SPEC]...
 *                 [--control PATH] [--heartbeat S] [--speed X] [--clock HH:MM]
 *                 [--utc-offset MIN] [--churn] [--timeline FILE] [--profile P]
 *                 [--chf URL [--chf-interval MS] [--chf-sessions N]] [--log-level LEVEL]
 *   slicedeck-sim --control PATH --send 'COMMAND'
 *
 * When ready it prints "NRF <apiRoot>" as one line on stdout. SIGTERM and
 * SIGINT stop it; SIGUSR1 clears every fault; SIGUSR2 logs a status line. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "engine/config_sections.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/util.h"
#include "sim/charging.h"
#include "sim/control.h"
#include "sim/sim.h"
#include "sim/timeline.h"

#define MAX_CLI_FAULTS 32

static void usage(FILE *f)
{
	fprintf(f,
"usage: slicedeck-sim -c FILE [options]\n"
"       slicedeck-sim --control PATH --send 'COMMAND'\n"
"\n"
"  -c, --config FILE      slicedeck configuration (zone, factories, cells, slices)\n"
"  -s, --seed N           seed of every random choice (default 1)\n"
"  -l, --listen ADDR:PORT SBI listen address (default 127.0.0.1:7777; port 0 = any)\n"
"      --cert FILE        serve HTTP/2 over TLS (ALPN h2) with this PEM certificate\n"
"      --key FILE         and this private key; the apiRoot is then https://\n"
"      --advertise-http   NF profiles still say scheme http (a core pointing\n"
"                         clients at cleartext; for tests)\n"
"  -f, --fault SPEC       inject a fault from the start (repeatable), e.g.\n"
"                         nf-down:nf=smf-1  delay:nf=NWDAF,ms=1500  error:status=503,prob=0.3\n"
"  -C, --control PATH     UNIX control socket (mode 0600) for run-time faults\n"
"      --send COMMAND     with --control: send one command and print the answer\n"
"      --heartbeat S      heartBeatTimer of the emulated NFs (default 10)\n"
"      --speed X          model clock rate (default 1; 60 = an hour per minute)\n"
"      --clock HH:MM      start the model clock at this local time of today\n"
"      --utc-offset MIN   the zone's local time offset (default 480, UTC+8)\n"
"      --churn            NFs fail and recover at random (seeded)\n"
"  -t, --timeline FILE    play a training timeline of timed incidents (see\n"
"                         docs/simulator.md; samples in etc/timeline-*.txt)\n"
"      --check            with --timeline: check it against the zone, print\n"
"                         its events and exit (0 when it is valid)\n"
"      --profile P        spec (default) or open5gs-like: how the core behaves\n"
"      --chf URL          the SMFs report PDU-session usage to this CHF apiRoot\n"
"                         (Nchf_ConvergedCharging; slicedeckd's sbi.notify.listen)\n"
"      --chf-interval MS  one update per PDU session every MS (default 1000)\n"
"      --chf-sessions N   charging sessions per active slice (default 4)\n"
"      --log-level LEVEL  err, warning, notice, info, debug (default notice)\n"
"  -h, --help             this text;  -V, --version\n");
}

static void on_stop(struct sd_loop *loop, int signo, void *arg)
{
	(void)signo;
	(void)arg;
	sd_notice("stopping");
	sd_loop_stop(loop);
}

static void on_usr(struct sd_loop *loop, int signo, void *arg)
{
	struct sd_sim *sim = arg;
	(void)loop;
	if (signo == SIGUSR1) {
		sd_sim_fault_clear(sim, 0);
	} else {
		json_t *j = sd_sim_control_exec(sim, "status");
		char *t = json_dumps(j, JSON_COMPACT);
		sd_notice("status: %s", t);
		free(t);
		json_decref(j);
	}
}

/* --check: the timeline's events as the simulator understood them. */
static void print_plan(const struct sd_sim *sim, const struct sd_sim_timeline *tl)
{
	int i, k, r;
	printf("%s: ok: %d events, %s, seed %llu\n", tl->name, tl->n,
	       tl->repeat_ms ? "repeated" : "played once",
	       (unsigned long long)(tl->has_seed ? tl->seed : sim->o.seed));
	if (tl->repeat_ms)
		printf("  every %llds\n", (long long)(tl->repeat_ms / 1000));
	for (i = 0; i < tl->n; i++) {
		const struct sd_tl_event *e = &tl->ev[i];
		printf("  line %d: at %llds", e->line, (long long)(e->at_ms / 1000));
		if (e->jitter_ms)
			printf(" +-%llds", (long long)(e->jitter_ms / 1000));
		printf(" for %llds: %s", (long long)(e->dur_ms / 1000), e->kind);
		if (e->params[0])
			printf(" %s", e->params);
		if (e->pick == SD_TL_ANY)
			printf(" %s=(any)", e->pick_key);
		for (k = 0; e->pick == SD_TL_LIST && k < e->nchoices; k++)
			printf("%s%s", k ? "|" : e->pick_key[0] == 's' ? " slice=" :
			       e->pick_key[0] == 'n' ? " nf=" : " cell=", e->choices[k]);
		printf("\n");
	}
	/* what the seed draws in the first rounds: the instructor's answer key */
	for (r = 0; r < (tl->repeat_ms ? 2 : 1); r++)
		for (i = 0; i < tl->n; i++) {
			int64_t st;
			const char *v = sd_sim_timeline_draw(sim, tl, i, r, &st);
			if (!v && !tl->ev[i].jitter_ms)
				continue;
			printf("  round %d, line %d: at %llds%s%s\n", r, tl->ev[i].line,
			       (long long)((r * tl->repeat_ms + st) / 1000), v ? " on " : "", v ? v : "");
		}
}

/* "HH:MM" local zone time of the current day -> wall ms. */
static bool parse_clock(const char *s, int utc_offset_min, int64_t *out)
{
	int h, m;
	char tail;
	int64_t now = sd_wall_ms(), local, day;
	if (sscanf(s, "%d:%d%c", &h, &m, &tail) != 2 || h < 0 || h > 23 || m < 0 || m > 59)
		return false;
	local = now + (int64_t)utc_offset_min * 60000;
	day = local / 86400000 * 86400000;
	*out = day + ((int64_t)h * 60 + m) * 60000 - (int64_t)utc_offset_min * 60000;
	return true;
}

int main(int argc, char **argv)
{
	enum { O_SEND = 256, O_HB, O_SPEED, O_CLOCK, O_UTC, O_CHURN, O_LOG, O_CERT, O_KEY, O_ADV_HTTP,
	       O_CHECK, O_PROFILE, O_CHF, O_CHF_INTERVAL, O_CHF_SESSIONS };
	static const struct option lopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "seed", required_argument, NULL, 's' },
		{ "listen", required_argument, NULL, 'l' },
		{ "fault", required_argument, NULL, 'f' },
		{ "control", required_argument, NULL, 'C' },
		{ "send", required_argument, NULL, O_SEND },
		{ "heartbeat", required_argument, NULL, O_HB },
		{ "speed", required_argument, NULL, O_SPEED },
		{ "clock", required_argument, NULL, O_CLOCK },
		{ "utc-offset", required_argument, NULL, O_UTC },
		{ "churn", no_argument, NULL, O_CHURN },
		{ "profile", required_argument, NULL, O_PROFILE },
		{ "chf", required_argument, NULL, O_CHF },
		{ "chf-interval", required_argument, NULL, O_CHF_INTERVAL },
		{ "chf-sessions", required_argument, NULL, O_CHF_SESSIONS },
		{ "log-level", required_argument, NULL, O_LOG },
		{ "cert", required_argument, NULL, O_CERT },
		{ "key", required_argument, NULL, O_KEY },
		{ "advertise-http", no_argument, NULL, O_ADV_HTTP },
		{ "timeline", required_argument, NULL, 't' },
		{ "check", no_argument, NULL, O_CHECK },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct sd_sim_opts o = { .seed = 1, .hb_timer_s = 10, .speed = 1.0, .utc_offset_min = 480 };
	struct sd_sim_charging_opts chg = { 0 };
	const char *cfg_path = NULL, *send = NULL, *clock = NULL, *tl_path = NULL;
	struct sd_sim_timeline *tl = NULL;
	bool check_only = false;
	const char *faults[MAX_CLI_FAULTS];
	int nfaults = 0, c, level = SD_LOG_NOTICE, rc = 0, i;
	long long v;
	struct sd_errlist errs;
	struct sd_config *cfg;
	struct sd_loop *loop;
	struct sd_sim *sim;
	char err[512];

	while ((c = getopt_long(argc, argv, "c:s:l:f:C:t:hV", lopts, NULL)) != -1) {
		switch (c) {
		case 'c': cfg_path = optarg; break;
		case 's':
			if (!sd_parse_ll(optarg, 0, INT64_MAX, &v)) {
				fprintf(stderr, "slicedeck-sim: --seed wants a non-negative integer\n");
				return 2;
			}
			o.seed = (uint64_t)v;
			break;
		case 'l': o.listen = optarg; break;
		case 'f':
			if (nfaults == MAX_CLI_FAULTS) {
				fprintf(stderr, "slicedeck-sim: at most %d --fault options\n", MAX_CLI_FAULTS);
				return 2;
			}
			faults[nfaults++] = optarg;
			break;
		case 'C': o.control_path = optarg; break;
		case 't': tl_path = optarg; break;
		case O_CHECK: check_only = true; break;
		case O_SEND: send = optarg; break;
		case O_HB:
			if (!sd_parse_ll(optarg, 1, 3600, &v)) {
				fprintf(stderr, "slicedeck-sim: --heartbeat wants 1..3600 seconds\n");
				return 2;
			}
			o.hb_timer_s = (int)v;
			break;
		case O_SPEED: {
			char *end;
			o.speed = strtod(optarg, &end);
			if (*end || !(o.speed >= 0.01 && o.speed <= 10000)) {
				fprintf(stderr, "slicedeck-sim: --speed wants 0.01..10000\n");
				return 2;
			}
			break;
		}
		case O_CLOCK: clock = optarg; break;
		case O_UTC:
			if (!sd_parse_ll(optarg, -720, 840, &v)) {
				fprintf(stderr, "slicedeck-sim: --utc-offset wants -720..840 minutes\n");
				return 2;
			}
			o.utc_offset_min = (int)v;
			break;
		case O_CHURN: o.churn = true; break;
		case O_PROFILE: {
			int pr = sd_sim_profile_parse(optarg);
			if (pr < 0) {
				fprintf(stderr, "slicedeck-sim: --profile wants spec or open5gs-like\n");
				return 2;
			}
			o.profile = (enum sd_sim_profile)pr;
			break;
		}
		case O_CHF: chg.chf_root = optarg; break;
		case O_CHF_INTERVAL:
			if (!sd_parse_ll(optarg, 10, 600000, &v)) {
				fprintf(stderr, "slicedeck-sim: --chf-interval wants 10..600000 ms\n");
				return 2;
			}
			chg.interval_ms = (int)v;
			break;
		case O_CHF_SESSIONS:
			if (!sd_parse_ll(optarg, 1, 1000, &v)) {
				fprintf(stderr, "slicedeck-sim: --chf-sessions wants 1..1000\n");
				return 2;
			}
			chg.sessions = (int)v;
			break;
		case O_CERT: o.cert_file = optarg; break;
		case O_KEY: o.key_file = optarg; break;
		case O_ADV_HTTP: o.advertise_http = true; break;
		case O_LOG:
			level = sd_log_level_parse(optarg);
			if (level < 0) {
				fprintf(stderr, "slicedeck-sim: unknown log level %s\n", optarg);
				return 2;
			}
			break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("slicedeck-sim %s\n", SD_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!o.cert_file != !o.key_file) {
		fprintf(stderr, "slicedeck-sim: --cert and --key go together\n");
		return 2;
	}
	if (optind < argc) {
		fprintf(stderr, "slicedeck-sim: unexpected argument %s\n", argv[optind]);
		return 2;
	}
	if (send) {
		if (!o.control_path) {
			fprintf(stderr, "slicedeck-sim: --send needs --control PATH\n");
			return 2;
		}
		return sd_sim_control_send(o.control_path, send);
	}
	if (!cfg_path) {
		usage(stderr);
		return 2;
	}
	if (check_only && !tl_path) {
		fprintf(stderr, "slicedeck-sim: --check needs --timeline FILE\n");
		return 2;
	}
	if (clock && !parse_clock(clock, o.utc_offset_min, &o.clock_start_ms)) {
		fprintf(stderr, "slicedeck-sim: --clock wants HH:MM\n");
		return 2;
	}
	if (tl_path) {
		/* read before anything starts: a bad file is a FILE:LINE error */
		tl = sd_malloc(sizeof *tl);
		if (sd_sim_timeline_load(tl_path, tl, err, sizeof err) < 0) {
			fprintf(stderr, "slicedeck-sim: %s\n", err);
			free(tl);
			return 2;
		}
	}
	sd_log_open("slicedeck-sim", 0, (enum sd_log_level)level);
	sd_errlist_init(&errs);
	cfg = sd_config_load_schema(cfg_path, &sd_slicedeck_schema, &errs);
	if (!cfg) {
		for (i = 0; i < errs.n; i++)
			fprintf(stderr, "%s\n", errs.msgs[i]);
		fprintf(stderr, "slicedeck-sim: %s: configuration not usable\n", cfg_path);
		sd_errlist_done(&errs);
		free(tl);
		return 2;
	}
	sd_errlist_done(&errs);

	loop = sd_loop_new();
	if (!loop) {
		sd_config_free(cfg);
		free(tl);
		return 1;
	}
	sim = sd_sim_new(loop, cfg->model, &o);
	for (i = 0; i < nfaults; i++) {
		if (sd_sim_fault_add(sim, faults[i], err, sizeof err) < 0) {
			fprintf(stderr, "slicedeck-sim: --fault %s: %s\n", faults[i], err);
			rc = 2;
			goto out;
		}
	}
	if (tl && sd_sim_timeline_check(sim, tl, err, sizeof err) < 0) {
		fprintf(stderr, "slicedeck-sim: %s\n", err);
		rc = 2;
		goto out;
	}
	if (check_only) {
		print_plan(sim, tl);
		goto out;
	}
	if (sd_sim_start(sim, err, sizeof err) < 0) {
		fprintf(stderr, "slicedeck-sim: %s\n", err);
		rc = 1;
		goto out;
	}
	if (chg.chf_root) {
		sim->charging = sd_sim_charging_new(sim, &chg, err, sizeof err);
		if (!sim->charging) {
			fprintf(stderr, "slicedeck-sim: %s\n", err);
			rc = 2;
			goto out;
		}
	}
	sd_loop_signal(loop, SIGTERM, on_stop, sim);
	sd_loop_signal(loop, SIGINT, on_stop, sim);
	sd_loop_signal(loop, SIGUSR1, on_usr, sim);
	sd_loop_signal(loop, SIGUSR2, on_usr, sim);
	signal(SIGPIPE, SIG_IGN);
	if (tl)
		sd_sim_timeline_play(sim, tl);
	sd_notice("serving %d NF instances, %d slices on %s (seed %llu)", sim->nnfs,
		  sim->m->nslices, sim->api_root, (unsigned long long)o.seed);
	printf("NRF %s\n", sim->api_root);
	fflush(stdout);
	if (sd_loop_run(loop) < 0)
		rc = 1;
out:
	sd_sim_free(sim);
	free(tl);
	sd_loop_free(loop);
	sd_config_free(cfg);
	return rc;
}

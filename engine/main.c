/* engine/main.c — slicedeckd, the slicedeck engine. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "engine/config_sections.h"
#include "engine/engine.h"

/* where `make install` puts it: SYSCONFDIR follows PREFIX (Makefile) */
#define DEFAULT_CONFIG SD_SYSCONFDIR "/slicedeck/slicedeck.conf"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: slicedeckd [-c FILE] [--socket PATH] [--state-dir DIR] [--nrf URL]\n"
		"                  [--log-level LEVEL] [--stderr]\n"
		"       slicedeckd -t|--check-config FILE\n"
		"       slicedeckd --version | --help\n"
		"\n"
		"The slicedeck engine: watches the 5G core over SBI, keeps the model of the\n"
		"pilot zone and serves consoles on a UNIX socket. Runs in the foreground.\n"
		"\n"
		"  -c, --config FILE        configuration (default " DEFAULT_CONFIG ")\n"
		"  -t, --check-config FILE  validate FILE, print every error as file:line: message\n"
		"                           and exit 1, or print a summary and exit 0\n"
		"      --socket PATH        IPC socket (overrides engine.socket)\n"
		"      --state-dir DIR      state directory (overrides engine.state_dir)\n"
		"      --nrf URL            NRF apiRoot (overrides sbi.nrf)\n"
		"      --log-level LEVEL    err, warning, notice, info or debug\n"
		"      --stderr             log to stderr even if the configuration says syslog\n"
		"  -V, --version            print the version\n"
		"  -h, --help               this text\n"
		"\n"
		"Signals: SIGTERM/SIGINT stop; SIGHUP reloads the configuration (a bad one is\n"
		"rejected and the running one kept).\n");
}

static int check_config(const char *path)
{
	struct sd_errlist errs;
	struct sd_config *c;
	char summary[512];
	int i;

	sd_errlist_init(&errs);
	c = sd_config_load(path, &errs);
	for (i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.msgs[i]);
	sd_errlist_done(&errs);
	if (!c)
		return 1;
	for (i = 0; i < c->warnings.n; i++)
		fprintf(stderr, "warning: %s\n", c->warnings.msgs[i]);
	sd_config_summary(c, summary, sizeof summary);
	{
		char *shown = sd_escape_dup(path);
		printf("%s: %s\n", shown, summary);
		free(shown);
	}
	sd_config_free(c);
	return 0;
}

int main(int argc, char **argv)
{
	enum { O_SOCKET = 256, O_STATE, O_NRF, O_LEVEL, O_STDERR };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", required_argument, NULL, 't' },
		{ "socket", required_argument, NULL, O_SOCKET },
		{ "state-dir", required_argument, NULL, O_STATE },
		{ "nrf", required_argument, NULL, O_NRF },
		{ "log-level", required_argument, NULL, O_LEVEL },
		{ "stderr", no_argument, NULL, O_STDERR },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sd_engine e = { 0 };
	int ch;

	sd_config_set_schema(&sd_slicedeck_schema);
	e.opts.config_path = DEFAULT_CONFIG;
	e.opts.log_level = -1;
	while ((ch = getopt_long(argc, argv, "c:t:Vh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': e.opts.config_path = optarg; break;
		case 't': return check_config(optarg);
		case O_SOCKET: e.opts.socket_path = optarg; break;
		case O_STATE: e.opts.state_dir = optarg; break;
		case O_NRF:
			if (strncmp(optarg, "http://", 7) != 0 && strncmp(optarg, "https://", 8) != 0) {
				fprintf(stderr, "slicedeckd: --nrf %s: must be an http:// or https:// apiRoot\n",
					optarg);
				return 2;
			}
			e.opts.nrf = optarg;
			break;
		case O_LEVEL:
			e.opts.log_level = sd_log_level_parse(optarg);
			if (e.opts.log_level < 0) {
				fprintf(stderr, "slicedeckd: --log-level %s: use err, warning, notice, info or debug\n",
					optarg);
				return 2;
			}
			break;
		case O_STDERR: e.opts.log_stderr = true; break;
		case 'V': printf("slicedeckd %s\n", SD_VERSION); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "slicedeckd: unexpected argument: %s\n", argv[optind]);
		usage(stderr);
		return 2;
	}

	sd_log_open("slicedeckd", 0, SD_LOG_INFO);
	e.cfg = sd_engine_load_config(&e.opts);
	if (!e.cfg) {
		sd_err("%s: configuration rejected; not starting", e.opts.config_path);
		return 1;
	}
	sd_log_open("slicedeckd", e.cfg->log_syslog && !e.opts.log_stderr,
		    (enum sd_log_level)e.cfg->log_level);
	e.loop = sd_loop_new();
	if (!e.loop || sd_engine_start(&e) < 0) {
		sd_engine_stop(&e);
		sd_loop_free(e.loop);
		return 1;
	}
	if (sd_loop_run(e.loop) < 0)
		e.exit_code = 1;
	sd_engine_stop(&e);
	sd_loop_free(e.loop);
	sd_notice("stopped");
	return e.exit_code;
}

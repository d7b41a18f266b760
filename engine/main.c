/* engine/main.c — slicedeckd, the slicedeck engine. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "core/model.h"
#include "core/store.h"
#include "core/util.h"
#include "engine/config_sections.h"
#include "engine/engine.h"
#include "slicing/scenario.h"

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

/* The slices created at run time (state_dir/slicedeck.db) against the
 * file: a stored slice the engine would refuse at start (its id now
 * declared by the file, its factory or a site gone) and a stored slice
 * holding an S-NSSAI a configured slice also holds. Warnings: the engine
 * starts and keeps the stored rows. Returns how many. */
static int check_stored(const struct sd_config *c)
{
	char path[600], err[1024];
	struct sd_store *st;
	struct sd_model_store *ms;
	struct sd_model *m;
	int refused, n = 0, i, j;
	snprintf(path, sizeof path, "%s/slicedeck.db", c->state_dir);
	if (access(path, R_OK) != 0)
		return 0;   /* no engine ran here yet, or not ours to read */
	st = sd_store_open(path, err, sizeof err);
	if (!st) {
		fprintf(stderr, "warning: %s: stored slices not checked: %s\n", path, err);
		return 0;
	}
	ms = sd_model_store_open(st, sd_scenario_find, err, sizeof err);
	if (!ms) {
		fprintf(stderr, "warning: %s: stored slices not checked: %s\n", path, err);
		sd_store_close(st);
		return 0;
	}
	m = sd_model_copy_declared(c->model);
	sd_model_reindex(m);
	refused = sd_model_store_load(m, ms, err, sizeof err);
	if (refused > 0) {
		fprintf(stderr, "warning: %s: %s (the engine keeps them in the store, out of "
			"service)\n", path, err);
		n += refused;
	}
	for (i = 0; i < m->nslices; i++) {
		const struct sd_slice *r = &m->slices[i];
		if (r->origin == SD_ORIGIN_CONFIG || r->state == SD_SLICE_DECOMMISSIONED ||
		    r->state == SD_SLICE_REJECTED || r->state == SD_SLICE_REQUESTED)
			continue;
		for (j = 0; j < m->nslices; j++) {
			char sn[SD_SNSSAI_STRLEN];
			const struct sd_slice *d = &m->slices[j];
			if (d->origin != SD_ORIGIN_CONFIG || d->state == SD_SLICE_DECOMMISSIONED ||
			    d->state == SD_SLICE_REJECTED || !sd_snssai_equal(&r->snssai, &d->snssai))
				continue;
			fprintf(stderr, "warning: %s: stored slice %s and configured slice %s both hold "
				"S-NSSAI %s\n", path, r->id, d->id,
				sd_snssai_format(&r->snssai, sn, sizeof sn));
			n++;
		}
	}
	sd_model_free(m);
	sd_model_store_close(ms);
	sd_store_close(st);
	return n;
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
	{
		int conflicts = check_stored(c);
		if (conflicts)
			fprintf(stderr, "warning: %d conflict%s between the configuration and the slices "
				"stored in %s\n", conflicts, conflicts == 1 ? "" : "s", c->state_dir);
	}
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

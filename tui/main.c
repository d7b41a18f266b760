/* tui/main.c — slicedeck, the console: ncurses TUI with no command, or one
 * non-interactive command for scripts. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "tui/cli.h"
#include "tui/complete.h"
#include "tui/client.h"
#include "tui/screen.h"
#include "tui/theme.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: slicedeck [--socket PATH] [-r SECONDS] [--readonly] [--view NAME]\n"
		"                 [--theme prod|lab|training|mono]      the console (ncurses)\n"
		"       slicedeck [--socket PATH] COMMAND [OPTIONS]   (slicedeck help: each one's options)\n"
		"       slicedeck --version | --help\n"
		"\n"
		"  -s, --socket PATH  engine socket (default $SLICEDECK_SOCKET or " SD_DEFAULT_SOCKET ")\n"
		"  -r, --refresh N    console refresh period in seconds (default 2)\n"
		"      --readonly     never offer actions (viewers and factories always are)\n"
		"      --view NAME    start view: overview factories slices nfs cells sites\n"
		"      --theme NAME   prod, lab, training or mono (default $SLICEDECK_THEME, else\n"
		"                     the engine's engine.environment); NO_COLOR is honoured\n"
		"\n");
	sd_cli_usage(f);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "refresh", required_argument, NULL, 'r' },
		{ "readonly", no_argument, NULL, 'R' },
		{ "view", required_argument, NULL, 'w' },
		{ "theme", required_argument, NULL, 'T' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *sock = sd_client_default_socket();
	struct sd_screen_opts so = { .refresh_s = 2 };
	long long v;
	int ch;

	/* the bash completion function's hidden entry (tui/complete.h) */
	if (argc >= 3 && strcmp(argv[1], "__complete") == 0) {
		long long cw;
		if (!sd_parse_ll(argv[2], 0, argc - 3, &cw))
			return 2;
		return sd_complete(stdout, (int)cw, argc - 3, argv + 3);
	}
	/* "+": options after the command belong to the command */
	while ((ch = getopt_long(argc, argv, "+s:r:Vh", longopts, NULL)) != -1) {
		switch (ch) {
		case 's': sock = optarg; break;
		case 'r':
			if (!sd_parse_ll(optarg, 1, 3600, &v)) {
				fprintf(stderr, "slicedeck: -r %s: seconds between 1 and 3600\n", optarg);
				return 2;
			}
			so.refresh_s = (int)v;
			break;
		case 'R': so.readonly = true; break;
		case 'w':
			if (!sd_screen_view_known(optarg)) {
				fprintf(stderr, "slicedeck: --view %s: one of overview, factories, "
					"slices, nfs, cells, sites\n", optarg);
				return 2;
			}
			so.view = optarg;
			break;
		case 'T':
			if (!sd_theme_known(optarg)) {
				fprintf(stderr, "slicedeck: --theme %s: one of prod, lab, training, mono\n", optarg);
				return 2;
			}
			so.theme = optarg;
			break;
		case 'V': printf("slicedeck %s\n", SD_VERSION); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc)
		return sd_cli_run(sock, argc - optind, argv + optind);
	return sd_screen_run(sock, &so);
}

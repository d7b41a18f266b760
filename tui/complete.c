/* tui/complete.c — see complete.h. */
#include "tui/complete.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/util.h"
#include "tui/cli.h"
#include "tui/client.h"
#include "tui/ui.h"

#define ENGINE_TIMEOUT_MS 1000   /* a shell waits for this: keep it short */

static const char *const global_opts[] = {
	"--socket", "--refresh", "--readonly", "--view", "--theme", "--version", "--help",
};
static const char *const themes[] = { "prod", "lab", "training", "mono" };

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void emit(FILE *out, const char *cur, const char *word)
{
	if (word && *word && starts(word, cur))
		fprintf(out, "%s\n", word);
}

/* Only characters a shell takes literally: an id from the engine is
 * printed for the completion function to insert, never evaluated, but a
 * line with anything else is left out all the same. */
static bool plain_word(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr("._:-", *s)))
			return false;
	return true;
}

/* The ids of the engine's `op` rows (member `member`, field "id") that
 * start with cur: the engine scopes them to the caller, so a factory user
 * is offered only their own factory's objects. Silent when the engine does
 * not answer (completion must never print errors into a command line). */
static void emit_ids(FILE *out, const char *sock, const char *op, const char *member,
		     const char *cur)
{
	struct sd_client cl;
	json_t *res, *rows, *row;
	size_t k;
	if (sd_client_connect(&cl, sock, ENGINE_TIMEOUT_MS) < 0)
		return;
	res = sd_client_call(&cl, op, NULL, ENGINE_TIMEOUT_MS);
	rows = json_object_get(res, member);
	json_array_foreach(rows, k, row) {
		json_t *id = json_object_get(row, "id");
		char buf[32];
		const char *s = NULL;
		if (json_is_string(id))
			s = json_string_value(id);
		else if (json_is_integer(id)) {
			snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(id));
			s = buf;
		}
		if (s && plain_word(s))
			emit(out, cur, s);
	}
	json_decref(res);
	sd_client_close(&cl);
}

/* The value of option `opt` (its name without "--"). */
static void emit_values(FILE *out, const char *sock, const char *opt, const char *choices,
			const char *cur)
{
	if (choices) {
		char buf[512], *w, *save = NULL;
		sd_strlcpy(buf, choices, sizeof buf);
		for (w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save))
			emit(out, cur, w);
	} else if (strcmp(opt, "factory") == 0) {
		emit_ids(out, sock, "factories", "factories", cur);
	} else if (strcmp(opt, "slice") == 0) {
		emit_ids(out, sock, "slices", "slices", cur);
	} else if (strcmp(opt, "site") == 0) {
		emit_ids(out, sock, "sites", "sites", cur);
	} else if (strcmp(opt, "period") == 0) {
		/* this month and the eleven before it */
		time_t now = time(NULL);
		struct tm tm;
		int y, m, i;
		gmtime_r(&now, &tm);
		y = tm.tm_year + 1900;
		m = tm.tm_mon + 1;
		for (i = 0; i < 12; i++) {
			char p[16];
			snprintf(p, sizeof p, "%04d-%02d", y, m);
			emit(out, cur, p);
			if (--m == 0) {
				m = 12;
				y--;
			}
		}
	}
}

/* The first words of the commands, each once ("alarm" for "alarm ack"). */
static void emit_commands(FILE *out, const char *cur)
{
	struct sd_cli_cmd_info ci, cj;
	size_t i, j;
	for (i = 0; sd_cli_cmd_info(i, &ci); i++) {
		size_t n = strcspn(ci.name, " ");
		bool seen = false;
		char w1[32];
		for (j = 0; j < i && sd_cli_cmd_info(j, &cj); j++)
			seen |= strncmp(cj.name, ci.name, n) == 0 &&
				(cj.name[n] == ' ' || cj.name[n] == '\0');
		snprintf(w1, sizeof w1, "%.*s", (int)n, ci.name);
		if (!seen)
			emit(out, cur, w1);
	}
}

int sd_complete(FILE *out, int cword, int argc, char **argv)
{
	const char *sock = sd_client_default_socket();
	const char *cur, *first;
	struct sd_cli_cmd_info ci, found;
	int i = 1, used = 0;
	size_t k;
	bool have = false;

	if (argc < 1 || cword < 1 || cword > argc)
		return 2;
	cur = cword < argc ? argv[cword] : "";

	/* the console's own options, before any command */
	while (i < cword) {
		const char *w = argv[i];
		bool value = strcmp(w, "-s") == 0 || strcmp(w, "--socket") == 0 ||
			     strcmp(w, "-r") == 0 || strcmp(w, "--refresh") == 0 ||
			     strcmp(w, "--view") == 0 || strcmp(w, "--theme") == 0;
		if (starts(w, "--socket=")) {
			sock = w + 9;
			i++;
			continue;
		}
		if (strcmp(w, "--readonly") == 0) {
			i++;
			continue;
		}
		if (!value)
			break;
		if (i + 1 == cword) {   /* completing this option's value */
			int v;
			if (strcmp(w, "--view") == 0) {
				for (v = 0; v < SD_V_COUNT; v++)
					if (sd_views[v].tab)
						emit(out, cur, sd_views[v].name);
			} else if (strcmp(w, "--theme") == 0) {
				for (k = 0; k < SD_ARRAY_LEN(themes); k++)
					emit(out, cur, themes[k]);
			} else if (strcmp(w, "-s") == 0 || strcmp(w, "--socket") == 0) {
				fprintf(out, "%s\n", SD_COMPLETE_FILES);
			}
			return 0;
		}
		if (strcmp(w, "-s") == 0 || strcmp(w, "--socket") == 0)
			sock = argv[i + 1];
		i += 2;
	}
	if (i == cword) {
		if (cur[0] == '-')
			for (k = 0; k < SD_ARRAY_LEN(global_opts); k++)
				emit(out, cur, global_opts[k]);
		else
			emit_commands(out, cur);
		return 0;
	}

	/* the command: two words when the second is typed, else one */
	first = argv[i];
	for (k = 0; sd_cli_cmd_info(k, &ci); k++) {
		size_t n = strcspn(ci.name, " ");
		if (ci.name[n] && strlen(first) == n && strncmp(ci.name, first, n) == 0 &&
		    i + 1 < cword && strcmp(ci.name + n + 1, argv[i + 1]) == 0) {
			found = ci;
			used = 2;
			have = true;
			break;
		}
	}
	for (k = 0; !have && sd_cli_cmd_info(k, &ci); k++)
		if (strcmp(ci.name, first) == 0) {
			found = ci;
			used = 1;
			have = true;
		}
	if (i + 1 == cword && cur[0] != '-') {
		/* the second word of a two-word command */
		for (k = 0; sd_cli_cmd_info(k, &ci); k++) {
			size_t n = strcspn(ci.name, " ");
			if (ci.name[n] && strlen(first) == n && strncmp(ci.name, first, n) == 0)
				emit(out, cur, ci.name + n + 1);
		}
	}
	if (!have)
		return 0;

	/* an option's value */
	if (cword - 1 >= i + used && starts(argv[cword - 1], "--")) {
		const char *prev = argv[cword - 1] + 2;
		for (k = 0; k < found.nopts; k++)
			if (strcmp(found.opts[k].name, prev) == 0 && found.opts[k].metavar) {
				emit_values(out, sock, prev, found.opts[k].choices, cur);
				return 0;
			}
	}
	if (cur[0] == '-') {
		for (k = 0; k < found.nopts; k++) {
			char o[48];
			snprintf(o, sizeof o, "--%s", found.opts[k].name);
			emit(out, cur, o);
		}
		if (found.formats) {
			emit(out, cur, "--json");
			emit(out, cur, "--csv");
		}
		emit(out, cur, "--help");
		return 0;
	}
	if (!found.operand)
		return 0;
	if (strcmp(found.operand, "FILE") == 0)
		fprintf(out, "%s\n", SD_COMPLETE_FILES);
	else if (strcmp(found.name, "alarm ack") == 0)
		emit_ids(out, sock, "alarms", "alarms", cur);
	else if (strcmp(found.name, "help") == 0)
		emit_commands(out, cur);
	return 0;
}

/* tests/fuzz/fuzz_config.c — the configuration loader (sd_config_load) on
 * arbitrary file contents. Each input is written to slicedeck.conf in a
 * private temporary folder (0600, so the secrets rule never refuses it)
 * and loaded from there; @include can only reach that folder.
 *
 * Aborts when:
 *   - an error message is empty, over 8 KiB or holds a control character
 *     (see KNOWN_RAW_VALUES_IN_MESSAGES), or there are more than the
 *     loader's cap (200 and one "too many errors" line);
 *   - a load fails without saying why, or succeeds with errors;
 *   - a loaded model has a negative count, an id that is not a terminated
 *     token, or an object pointing at a factory or site that does not
 *     exist; or the one-line summary is unterminated or holds a control
 *     character.
 *
 * Build and run: tests/fuzz/README.md. -DSD_FUZZ_MAIN replays files.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "core/config.h"
#include "core/log.h"
#include "core/model.h"
#include "core/util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_MESSAGES 201   /* config.c: MAX_ERRORS, then one "too many" */

/* Known defect, left to the loader's owners (issue 8 notes): messages
 * quote the offending value as it is, control bytes included, e.g.
 *   slicedeck.conf:1: zone.name: "Esc <ESC>[31m red <SOH>": contains control characters
 * and `slicedeckd -t` prints that to a terminal. Until values are passed
 * through sd_sanitize before they are quoted, messages are checked for
 * termination, length and count only. Delete this define when that is
 * fixed: every check then applies. */
#define KNOWN_RAW_VALUES_IN_MESSAGES 1

/* Known defect, left to the loader's owners (issue 8 notes): config.c's
 * prescan confines @include names line by line, but libconfig's lexer
 * lets the quoted name run over newlines. A name the prescan never saw
 * reaches libconfig, and one starting with a NUL names the configuration
 * directory itself, which libconfig opens and flex fails to read: flex
 * calls exit(2) inside sd_config_load ("input in flex scanner failed").
 * Smallest reproducer, 13 bytes: @include "<NUL><LF>"<LF>
 * `slicedeckd -t` exits 2, and a SIGHUP reload of such a file would end a
 * running engine. Until the prescan reads include names as libconfig does,
 * inputs with an @include name spanning a line are not tried. Delete this
 * define when that is fixed. */
#define KNOWN_MULTILINE_INCLUDE 1

/* Does an @include's quoted name run over a line end? */
static bool multiline_include(const uint8_t *d, size_t n)
{
	static const char kw[] = "@include";
	size_t i, k;

	for (i = 0; i + sizeof kw - 1 <= n; i++) {
		if (memcmp(d + i, kw, sizeof kw - 1) != 0)
			continue;
		k = i + sizeof kw - 1;
		while (k < n && (d[k] == ' ' || d[k] == '\t'))
			k++;
		if (k >= n || d[k] != '"')
			continue;
		for (k++; k < n && d[k] != '"'; k++)
			if (d[k] == '\n' || d[k] == '\r')
				return true;
	}
	return false;
}

static char dir[512];
static char path[600];

static void cleanup(void)
{
	if (path[0])
		unlink(path);
	if (dir[0])
		rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	(void)argc;
	(void)argv;
	snprintf(dir, sizeof dir, "%s/sdfuzz-config.XXXXXX",
		 tmp && *tmp && strlen(tmp) < 400 ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		exit(1);
	}
	snprintf(path, sizeof path, "%s/slicedeck.conf", dir);
	atexit(cleanup);
	/* the loader's warnings (unknown users, ...) would flood the output */
	sd_log_set_level(SD_LOG_ERR);
	return 0;
}

static void check_text(const char *s, size_t n)
{
	if (memchr(s, '\0', n) == NULL)
		abort();
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			abort();
}

static void check_id(const char *id, size_t n)
{
	check_text(id, n);
	if (id[0] == '\0')
		abort();
}

static void check_model(const struct sd_model *m)
{
	int i;

	if (m->nfactories < 0 || m->nsites < 0 || m->ncells < 0 || m->nslices < 0 ||
	    m->nnfs < 0)
		abort();
	check_text(m->zone_name, sizeof m->zone_name);
	for (i = 0; i < m->nfactories; i++) {
		check_id(m->factories[i].id, sizeof m->factories[i].id);
		check_text(m->factories[i].name, sizeof m->factories[i].name);
	}
	for (i = 0; i < m->nsites; i++) {
		check_id(m->sites[i].id, sizeof m->sites[i].id);
		if (m->sites[i].factory < 0 || m->sites[i].factory >= m->nfactories)
			abort();
	}
	for (i = 0; i < m->ncells; i++)
		check_id(m->cells[i].id, sizeof m->cells[i].id);
	for (i = 0; i < m->nslices; i++)
		check_id(m->slices[i].id, sizeof m->slices[i].id);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sd_errlist errs;
	struct sd_config *c;
	int fd, i;

	if (!path[0])
		LLVMFuzzerInitialize(NULL, NULL);
	if (KNOWN_MULTILINE_INCLUDE && multiline_include(data, size))
		return 0;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size))
		abort();
	close(fd);

	sd_errlist_init(&errs);
	c = sd_config_load(path, &errs);
	if (errs.n < 0 || errs.n > MAX_MESSAGES)
		abort();
	for (i = 0; i < errs.n; i++) {
		if (errs.msgs[i] == NULL || errs.msgs[i][0] == '\0' ||
		    strlen(errs.msgs[i]) > 8192)
			abort();
		if (!KNOWN_RAW_VALUES_IN_MESSAGES)
			check_text(errs.msgs[i], strlen(errs.msgs[i]) + 1);
	}
	if (c) {
		char summary[512];
		if (errs.n != 0 || c->model == NULL)
			abort();
		check_model(c->model);
		memset(summary, 'x', sizeof summary);
		sd_config_summary(c, summary, sizeof summary);
		check_text(summary, sizeof summary);
		sd_config_free(c);
	} else if (errs.n == 0) {
		abort();
	}
	sd_errlist_done(&errs);
	return 0;
}

#ifdef SD_FUZZ_MAIN
int main(int argc, char **argv)
{
	static uint8_t buf[1 << 20];
	int i;

	LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		size_t n;
		if (!f) {
			perror(argv[i]);
			return 1;
		}
		n = fread(buf, 1, sizeof buf, f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
	}
	printf("%d inputs ok\n", argc - 1);
	return 0;
}
#endif

/* tests/fuzz/fuzz_config.c — the configuration loader (sd_config_load) on
 * arbitrary file contents. Each input is written to slicedeck.conf in a
 * private temporary folder (0600, so the secrets rule never refuses it)
 * and loaded from there; @include can only reach that folder.
 *
 * Aborts when:
 *   - an error message is empty, over 8 KiB or holds a control character
 *     , or there are more than the
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
#include "engine/config_sections.h"
#include "core/log.h"
#include "core/model.h"
#include "core/util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_MESSAGES 201   /* config.c: MAX_ERRORS, then one "too many" */

/* Both defects these targets once stepped around are fixed (messages quote
 * values through sd_sanitize; @include names are read as libconfig reads
 * them, so a name spanning a line is refused before libconfig sees it):
 * every check applies to every input. */


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
	/* the whole program's sections (monitor, snmp, billing) and the
	 * scenario catalog, as slicedeckd loads: else most keys are unknown
	 * and most of the loader goes unfuzzed */
	sd_config_set_schema(&sd_slicedeck_schema);
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

/* tests/fuzz/fuzz_cfgtree.c — the configuration file format's parser
 * (core/cfgtree.c) on its own, without the loader's pre-scan in front:
 * every input is parsed from memory and the tree walked.
 *
 * Aborts when:
 *   - a failed parse has no error text or a line below 1 or past the
 *     input's last line;
 *   - a tree breaks what the format promises: a type outside the nine,
 *     a group member without a name (or a list or array element with
 *     one), a name not of the name alphabet, two members of one group
 *     with the same name, an array holding aggregates or two types, a
 *     line past the input's end, a string longer than the input;
 *   - a lookup disagrees with the walk (config_setting_get_member of a
 *     member's own name must find that member).
 *
 * Build and run: tests/fuzz/README.md.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/cfgtree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned max_line;
static size_t input_len;

static bool name_ok(const char *n)
{
	const char *p;
	if (!((*n >= 'A' && *n <= 'Z') || (*n >= 'a' && *n <= 'z') || *n == '*'))
		return false;
	for (p = n + 1; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '*' ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return false;
	return true;
}

static void walk(const config_setting_t *s, int depth)
{
	int t = config_setting_type(s), i, j, n = config_setting_length(s), first = -1;
	if (t < CONFIG_TYPE_GROUP || t > CONFIG_TYPE_LIST || depth > CFG_MAX_DEPTH + 1)
		abort();
	if (depth > 0 && (config_setting_source_line(s) < 1 || config_setting_source_line(s) > max_line))
		abort();
	if (t == CONFIG_TYPE_STRING) {
		const char *v = config_setting_get_string(s);
		if (!v || strlen(v) > input_len)
			abort();
	}
	if (!config_setting_is_aggregate(s)) {
		if (n != 0 || config_setting_get_elem(s, 0))
			abort();
		return;
	}
	for (i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
		const char *name = config_setting_name(e);
		if (!e)
			abort();
		if (t == CONFIG_TYPE_GROUP) {
			if (!name || !name_ok(name) || config_setting_get_member(s, name) != e)
				abort();
			for (j = 0; j < i; j++)
				if (strcmp(config_setting_name(config_setting_get_elem(s, (unsigned)j)),
					   name) == 0)
					abort();
		} else if (name) {
			abort();
		}
		if (t == CONFIG_TYPE_ARRAY) {
			int et = config_setting_type(e);
			if (config_setting_is_aggregate(e))
				abort();
			if (first < 0)
				first = et;
			else if (et != first)
				abort();
		}
		walk(e, depth + 1);
	}
	if (config_setting_get_elem(s, (unsigned)n))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	config_t cf;
	size_t i;
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	input_len = size;
	max_line = 1;
	for (i = 0; i < size; i++)
		if (text[i] == '\n')
			max_line++;
	config_init(&cf);
	/* no include directory: an @include opens a name relative to the
	 * working directory, which holds no such files */
	if (!config_read_string(&cf, text)) {
		if (!config_error_text(&cf) || config_error_line(&cf) < 1 ||
		    (unsigned)config_error_line(&cf) > max_line)
			abort();
	} else {
		walk(config_root_setting(&cf), 0);
	}
	config_destroy(&cf);
	free(text);
	return 0;
}

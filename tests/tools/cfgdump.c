/* tests/tools/cfgdump.c — print a configuration file's tree, or its
 * error, in one canonical text form, so that two parsers can be compared
 * (tests/integration/cfg_compat.sh). Built twice: against slicedeck's own
 * parser (core/cfgtree.c) and, with -DWITH_LIBCONFIG, against the
 * system's libconfig 1.5, whose reading of the format ours reproduces.
 *
 *   cfgdump FILE [INCLUDE_DIR]
 *
 * One line per setting, depth-first: "path type line file value"; an
 * error is one line "error TYPE FILE:LINE: TEXT" and exit 1.
 */
#ifdef WITH_LIBCONFIG
#include <libconfig.h>
#else
#include "core/cfgtree.h"
#endif
#include <stdio.h>
#include <string.h>

static void put_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void dump(config_setting_t *s, const char *path)
{
	char sub[4096];
	const char *f = config_setting_source_file(s);
	int t = config_setting_type(s), i, n;
	printf("%s %d %u %s ", path, t, (unsigned)config_setting_source_line(s), f ? f : "-");
	switch (t) {
	case CONFIG_TYPE_INT: printf("%d", config_setting_get_int(s)); break;
	case CONFIG_TYPE_INT64: printf("%lld", config_setting_get_int64(s)); break;
	case CONFIG_TYPE_FLOAT: printf("%.17g", config_setting_get_float(s)); break;
	case CONFIG_TYPE_BOOL: printf("%d", config_setting_get_bool(s)); break;
	case CONFIG_TYPE_STRING: put_string(config_setting_get_string(s)); break;
	default: printf("n=%d", config_setting_length(s)); break;
	}
	putchar('\n');
	if (!config_setting_is_aggregate(s))
		return;
	n = config_setting_length(s);
	for (i = 0; i < n; i++) {
		config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
		const char *name = config_setting_name(e);
		if (name)
			snprintf(sub, sizeof sub, "%s.%s", path, name);
		else
			snprintf(sub, sizeof sub, "%s[%d]", path, i);
		dump(e, sub);
	}
}

int main(int argc, char **argv)
{
	config_t cf;
	if (argc < 2) {
		fprintf(stderr, "usage: cfgdump FILE [INCLUDE_DIR]\n");
		return 2;
	}
	config_init(&cf);
	if (argc > 2)
		config_set_include_dir(&cf, argv[2]);
	if (!config_read_file(&cf, argv[1])) {
		const char *f = config_error_file(&cf);
		printf("error %d %s:%d: %s\n", (int)config_error_type(&cf), f ? f : "-",
		       config_error_line(&cf), config_error_text(&cf));
		config_destroy(&cf);
		return 1;
	}
	dump(config_root_setting(&cf), "");
	config_destroy(&cf);
	return 0;
}

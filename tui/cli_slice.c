/* tui/cli_slice.c — see cli_slice.h. */
#include "tui/cli_slice.h"

#include <stdio.h>
#include <string.h>

#include "core/util.h"

/* Text from the engine reaches the terminal sanitised. */
static void put_clean(const char *prefix, const char *s)
{
	char buf[512];
	sd_sanitize(buf, sizeof buf, s ? s : "", s ? strlen(s) : 0);
	printf("%s%s\n", prefix, buf);
}

void sd_cli_scenarios_after(const struct sd_cli_args *a, const json_t *res, const json_t *rows)
{
	const json_t *f = json_object_get(res, "factory"), *row, *why;
	size_t i, k;
	int off = 0;
	if (!json_is_string(f))
		return;
	json_array_foreach(rows, i, row) {
		char line[128];
		if (json_is_true(json_object_get(row, "offered")))
			continue;
		if (!off++)
			put_clean("\nnot offered to ", json_string_value(f));
		snprintf(line, sizeof line, "  %s:", json_string_value(json_object_get(row, "id")));
		put_clean(line, "");
		json_array_foreach(json_object_get(row, "reasons"), k, why)
			put_clean("    - ", json_string_value(why));
	}
	if (!off) {
		printf("\nevery template is offered to ");
		put_clean("", json_string_value(f));
	}
	json_array_foreach(rows, i, row) {
		const json_t *note = json_object_get(row, "note");
		char line[128];
		if (!json_is_string(note) || !json_is_true(json_object_get(row, "offered")))
			continue;
		snprintf(line, sizeof line, "note %s: ", json_string_value(json_object_get(row, "id")));
		put_clean(line, json_string_value(note));
	}
}

/* tui/cli_usage.c — see cli_usage.h. */
#include "tui/cli_usage.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "core/util.h"
#include "tui/client.h"

#define CALL_TIMEOUT_MS 30000
#define MAX_FILE (32 * 1024 * 1024)
/* what one part may cost once escaped in a JSON string, well under the IPC
 * line (64 KiB) with the request's other members */
#define PART_COST 48000

/* Bytes of one UTF-8 sequence starting at p (n left), 0 when invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t k, need;
	uint32_t cp;
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		need = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		need = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		need = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (need > n)
		return 0;
	for (k = 1; k < need; k++) {
		if ((p[k] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[k] & 0x3f);
	}
	if ((need == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (need == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return need;
}

/* Every line must be UTF-8 (it travels in a JSON string); report those that
 * are not. 0 when all are. */
static int check_utf8(const char *file, const char *text, size_t len)
{
	size_t i = 0;
	int line = 1, bad = 0;
	while (i < len) {
		size_t k = utf8_len((const unsigned char *)text + i, len - i);
		if (!k) {
			if (bad < 50)
				fprintf(stderr, "%s:%d: not UTF-8 text (byte 0x%02x)\n", file, line,
					(unsigned char)text[i]);
			bad++;
			while (i < len && text[i] != '\n')
				i++;
			continue;
		}
		if (text[i] == '\n')
			line++;
		i += k;
	}
	return bad ? -1 : 0;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n = 0, cap = 65536, r;
	if (!f)
		return NULL;
	buf = sd_malloc(cap);
	while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n > MAX_FILE)
			break;
		if (n == cap) {
			cap *= 2;
			buf = sd_realloc(buf, cap);
		}
	}
	if (ferror(f)) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

/* The end of the part that starts at off: whole lines while they fit,
 * else (one line alone is too long) a UTF-8 boundary. */
static size_t part_end(const char *t, size_t len, size_t off)
{
	size_t i = off, cost = 0, last_nl = 0;
	while (i < len) {
		unsigned char ch = (unsigned char)t[i];
		size_t k = utf8_len((const unsigned char *)t + i, len - i);
		size_t c = ch == '"' || ch == '\\' ? 2 : ch < 0x20 ? 6 : 1;
		if (cost + c * k > PART_COST)
			break;
		cost += c * k;
		i += k;
		if (ch == '\n')
			last_nl = i;
	}
	return i >= len ? len : last_nl > off ? last_nl : i;
}

int sd_cli_usage_import(const char *socket_path, const struct sd_cli_args *a)
{
	const char *file = a->operand;
	struct sd_client cl;
	char *text;
	size_t len = 0, off = 0;
	int part = 0, rc = 1;
	char token[48];
	json_t *res = NULL, *params;

	text = read_file(file, &len);
	if (!text) {
		fprintf(stderr, "slicedeck usage import: %s: %s\n", file, strerror(errno));
		return 1;
	}
	if (len > MAX_FILE) {
		fprintf(stderr, "slicedeck usage import: %s: over %d MiB; split it\n", file,
			MAX_FILE >> 20);
		free(text);
		return 1;
	}
	if (check_utf8(file, text, len) < 0) {
		fprintf(stderr, "slicedeck usage import: %s: nothing imported\n", file);
		free(text);
		return 1;
	}
	if (sd_client_connect(&cl, socket_path, CALL_TIMEOUT_MS) < 0) {
		fprintf(stderr, "slicedeck: %s\n", cl.err);
		sd_client_close(&cl);
		free(text);
		return 1;
	}
	snprintf(token, sizeof token, "u%d-%lld", (int)getpid(),
		 (long long)(sd_wall_ms() % 1000000000000LL));
	do {
		size_t end = part_end(text, len, off);
		json_decref(res);
		params = json_pack("{s:s, s:s, s:i, s:s%, s:b}", "upload", token, "file", file,
				   "part", part, "text", text + off, end - off, "last", end >= len);
		res = sd_client_call(&cl, "usage.upload", params, CALL_TIMEOUT_MS);
		json_decref(params);
		if (!res) {
			fprintf(stderr, "slicedeck usage import: %s (nothing imported)\n", cl.err);
			goto out;
		}
		off = end;
		part++;
	} while (off < len);
	if (!json_is_true(json_object_get(res, "ok"))) {
		size_t i;
		json_t *e;
		json_array_foreach(json_object_get(res, "errors"), i, e)
			fprintf(stderr, "%s\n", json_string_value(e));
		fprintf(stderr, "slicedeck usage import: %s: %lld problem%s, nothing imported\n", file,
			(long long)json_integer_value(json_object_get(res, "problems")),
			json_integer_value(json_object_get(res, "problems")) == 1 ? "" : "s");
		goto out;
	}
	json_decref(res);
	params = json_pack("{s:s}", "upload", token);
	res = sd_client_call(&cl, "usage.import", params, CALL_TIMEOUT_MS);
	json_decref(params);
	if (!res) {
		fprintf(stderr, "slicedeck usage import: %s\n", cl.err);
		goto out;
	}
	printf("%s: %lld rows, %lld stored (%lld held for review), %lld already imported; "
	       "sha256 %s\n", file, (long long)json_integer_value(json_object_get(res, "rows")),
	       (long long)json_integer_value(json_object_get(res, "stored")),
	       (long long)json_integer_value(json_object_get(res, "held")),
	       (long long)json_integer_value(json_object_get(res, "duplicates")),
	       json_string_value(json_object_get(res, "digest")));
	rc = 0;
out:
	json_decref(res);
	sd_client_close(&cl);
	free(text);
	return rc;
}

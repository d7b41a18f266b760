/* tests/fuzz/fuzz_ipc_request.c — the IPC codec (core/ipc_codec.c) on bytes
 * as a client could send them: framing (sd_ipc_reader_feed/next), request
 * parsing (sd_ipc_request_parse) and the error/result reply built from
 * what was parsed. The dispatcher is not reached.
 *
 * Aborts when:
 *   - a framed line is not NUL-terminated at its length, holds an LF, or
 *     is longer than the reader's cap;
 *   - the same bytes framed with a small cap give different lines (or
 *     overflow reports) when fed in one piece and in uneven chunks;
 *   - a parse failure has no code, a code not in ipc.h, or a message that
 *     is unterminated or holds a control character;
 *   - a reply is not exactly one JSON object on one line, or does not echo
 *     the request's id and error code.
 *
 * Build and run: tests/fuzz/README.md. -DSD_FUZZ_MAIN replays files.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/ipc.h"
#include "core/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SMALL_CAP 48   /* a cap the corpus' requests straddle */


static void check_text(const char *s, size_t n)
{
	if (memchr(s, '\0', n) == NULL)
		abort();
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			abort();
}

/* Every framed line or overflow, recorded as a length and the bytes so two
 * framings can be compared; an overflow is recorded as length SIZE_MAX. */
static void record(struct sd_buf *log, const char *line, size_t len, bool overflow)
{
	size_t mark = overflow ? SIZE_MAX : len;
	if (sd_buf_add(log, &mark, sizeof mark) < 0)
		abort();
	if (!overflow && len && sd_buf_add(log, line, len) < 0)
		abort();
}

static void drain(struct sd_ipc_reader *r, size_t cap, struct sd_buf *log)
{
	char *line;
	size_t len;
	bool overflow;

	while (sd_ipc_reader_next(r, &line, &len, &overflow) == 1) {
		if (!overflow) {
			if (line == NULL || len == 0 || len > cap || line[len] != '\0' ||
			    memchr(line, '\n', len) != NULL)
				abort();
		}
		record(log, line, len, overflow);
	}
}

/* Deterministic uneven chunk sizes (1..17 bytes), seeded by the input. */
static size_t next_chunk(uint32_t *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return 1 + (*seed >> 16) % 17;
}

static void check_framing(const uint8_t *data, size_t size)
{
	struct sd_ipc_reader whole, chunked;
	struct sd_buf a, b;
	uint32_t seed = (uint32_t)size;
	size_t off = 0;

	sd_buf_init(&a, 2 * size + 4096);
	sd_buf_init(&b, 2 * size + 4096);
	sd_ipc_reader_init_max(&whole, SMALL_CAP);
	sd_ipc_reader_init_max(&chunked, SMALL_CAP);

	sd_ipc_reader_feed(&whole, (const char *)data, size);
	drain(&whole, SMALL_CAP, &a);
	while (off < size) {
		size_t n = next_chunk(&seed);
		if (n > size - off)
			n = size - off;
		sd_ipc_reader_feed(&chunked, (const char *)data + off, n);
		drain(&chunked, SMALL_CAP, &b);
		off += n;
	}
	if (a.len != b.len || (a.len && memcmp(a.data, b.data, a.len) != 0))
		abort();
	sd_ipc_reader_done(&whole);
	sd_ipc_reader_done(&chunked);
	sd_buf_done(&a);
	sd_buf_done(&b);
}

static bool known_code(const char *c)
{
	static const char *const codes[] = {
		SD_IPC_E_PARSE, SD_IPC_E_TOOLARGE, SD_IPC_E_BADREQ, SD_IPC_E_UNKNOWN,
		SD_IPC_E_HELLO, SD_IPC_E_VERSION, SD_IPC_E_FORBIDDEN, SD_IPC_E_NOTFOUND,
		SD_IPC_E_INTERNAL,
	};
	size_t i;
	for (i = 0; i < SD_ARRAY_LEN(codes); i++)
		if (strcmp(c, codes[i]) == 0)
			return true;
	return false;
}

/* A reply: one line, one object, the request's id echoed. Returns the
 * parsed object (caller decrefs). */
static json_t *check_reply(char *reply, json_t *id)
{
	size_t n = strlen(reply);
	json_error_t jerr;
	json_t *o, *rid;

	if (n < 2 || reply[n - 1] != '\n' || memchr(reply, '\n', n - 1) != NULL)
		abort();
	o = json_loadb(reply, n - 1, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(o))
		abort();
	rid = json_object_get(o, "id");
	if (id ? !json_equal(rid, id) : !json_is_null(rid))
		abort();
	sd_free(reply);
	return o;
}

static void check_request(const char *line, size_t len)
{
	struct sd_ipc_request req;
	const char *code = NULL;
	char msg[256];
	json_t *o;

	memset(msg, 'x', sizeof msg);   /* the parser must terminate it */
	if (sd_ipc_request_parse(line, len, &req, &code, msg, sizeof msg) == 0) {
		if (!json_is_object(req.root) || req.op == NULL || req.params == NULL)
			abort();
		if (req.id && !json_is_integer(req.id) && !json_is_string(req.id))
			abort();
		o = check_reply(sd_ipc_reply_result(req.id, json_string("ok")), req.id);
		if (!json_is_string(json_object_get(o, "result")))
			abort();
		json_decref(o);
	} else {
		if (code == NULL || !known_code(code))
			abort();
		if (memchr(msg, '\0', sizeof msg) == NULL || msg[0] == '\0')
			abort();
		o = check_reply(sd_ipc_reply_error(req.id, code, msg), req.id);
		check_text(msg, sizeof msg);
		if (!json_is_string(json_object_get(json_object_get(o, "error"), "code")) ||
		    strcmp(json_string_value(json_object_get(json_object_get(o, "error"),
							     "code")), code) != 0 ||
		    !json_is_string(json_object_get(json_object_get(o, "error"), "message")))
			abort();
		json_decref(o);
	}
	sd_ipc_request_done(&req);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sd_ipc_reader r;
	char *line;
	size_t len;
	bool overflow;

	check_framing(data, size);

	/* the engine's reader: the protocol's cap, each line parsed */
	sd_ipc_reader_init(&r);
	sd_ipc_reader_feed(&r, (const char *)data, size);
	while (sd_ipc_reader_next(&r, &line, &len, &overflow) == 1) {
		if (overflow)
			continue;
		if (len > SD_IPC_MAX_LINE || line[len] != '\0')
			abort();
		check_request(line, len);
	}
	sd_ipc_reader_done(&r);
	return 0;
}

#ifdef SD_FUZZ_MAIN
int main(int argc, char **argv)
{
	static uint8_t buf[1 << 20];
	int i;

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

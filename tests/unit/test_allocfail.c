/* tests/unit/test_allocfail.c — what happens when memory runs out.
 *
 * Two policies, both checked here (core/util.h says why):
 *   - the sd_* allocators abort on failure, by design: a child process
 *     asks for an impossible size and must die of SIGABRT after saying
 *     "out of memory";
 *   - jansson, which parses every IPC request and SBI body, may fail any
 *     allocation: its allocator is swapped for one that fails the Nth
 *     call, and for every N until the parse succeeds the IPC request
 *     parser and each SBI decoder must return an error (with a message)
 *     or succeed, never crash, and free what they took (ASan and valgrind
 *     runs of this binary check the last part).
 * The configuration loader is not here: its parser (core/cfgtree.c) and
 * checks allocate through sd_malloc, which aborts on failure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <jansson.h>

#include "core/ipc.h"
#include "core/util.h"
#include "monitor/sbi_decode.h"

/* ---- the sd_* wrappers abort ------------------------------------------ */

/* Run fn in a child with stderr on a pipe; expect SIGABRT and the OOM
 * message. */
static void expect_abort(void (*fn)(void))
{
	int p[2], status;
	char out[256];
	ssize_t n;
	size_t got = 0;
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = SIG_DFL;
		sigaction(SIGABRT, &sa, NULL);
		close(p[0]);
		dup2(p[1], 2);
		fn();
		_exit(0);   /* not reached when fn aborts */
	}
	close(p[1]);
	while (got < sizeof out - 1 && (n = read(p[0], out + got, sizeof out - 1 - got)) > 0)
		got += (size_t)n;
	out[got] = '\0';
	close(p[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	assert_non_null(strstr(out, "slicedeck: out of memory"));
}

static void overflow_reallocarray(void)
{
	void *p = sd_reallocarray(NULL, SIZE_MAX / 2, 4);   /* nmemb * size wraps */
	free(p);
}

#ifndef __SANITIZE_ADDRESS__
static void huge_malloc(void)
{
	void *p = sd_malloc(SIZE_MAX - 4096);
	free(p);
}

static void huge_calloc(void)
{
	void *p = sd_calloc(SIZE_MAX / 16, 8);
	free(p);
}
#endif

static void test_wrappers_abort(void **state)
{
	(void)state;
	expect_abort(overflow_reallocarray);
#ifndef __SANITIZE_ADDRESS__
	/* under ASan an impossible size is ASan's own fatal report instead */
	if (getenv("SD_VALGRIND") == NULL) {
		expect_abort(huge_malloc);
		expect_abort(huge_calloc);
	}
#endif
}

static void test_wrappers_zero(void **state)
{
	void *p, *q;
	(void)state;
	/* zero-size requests return distinct, freeable memory, never NULL */
	p = sd_malloc(0);
	q = sd_calloc(0, 0);
	assert_non_null(p);
	assert_non_null(q);
	assert_ptr_not_equal(p, q);
	p = sd_realloc(p, 0);
	assert_non_null(p);
	sd_free(p);
	sd_free(q);
}

/* ---- jansson's Nth allocation fails ------------------------------------- */

static long budget = -1;   /* allocations left before failing; -1: none fail */
static long failed;        /* how many were refused since the last reset */

static void *failing_malloc(size_t n)
{
	if (budget == 0) {
		failed++;
		return NULL;
	}
	if (budget > 0)
		budget--;
	return malloc(n);
}

static void plain_free(void *p)
{
	free(p);
}

static int setup(void **state)
{
	(void)state;
	json_set_alloc_funcs(failing_malloc, plain_free);
	budget = -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	budget = -1;
	json_set_alloc_funcs(malloc, free);
	return 0;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		fail_msg("cannot open %s (run from the repo root)", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = sd_malloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* One attempt of a path under test: 0 when it succeeded, -1 when it
 * returned an error; err is its message. */
typedef int (*attempt_fn)(const char *body, size_t len, char *err, size_t errsz);

/* Fail allocation 0, 1, 2, ... until the attempt succeeds with nothing
 * refused; every earlier attempt must have returned an error with a
 * message. Returns how many allocations the successful run made room for. */
static long fail_each(const char *what, attempt_fn fn, const char *body, size_t len)
{
	long n;

	for (n = 0; n < 100000; n++) {
		char err[512] = "";
		int rc;

		budget = n;
		failed = 0;
		rc = fn(body, len, err, sizeof err);
		budget = -1;
		if (rc == 0 && failed == 0)
			return n;
		if (rc == 0) {
			/* an allocation was refused and the path did not notice: that
			 * is only fine when nothing depended on it, which we cannot
			 * tell; report it */
			fail_msg("%s: allocation %ld refused, yet it succeeded", what, n);
		}
		if (err[0] == '\0')
			fail_msg("%s: allocation %ld refused: error without a message", what, n);
	}
	fail_msg("%s: still failing after %ld allocations", what, n);
	return -1;
}

static int try_ipc(const char *body, size_t len, char *err, size_t errsz)
{
	struct sd_ipc_request req;
	const char *code = NULL;
	int rc = sd_ipc_request_parse(body, len, &req, &code, err, errsz);
	if (rc == 0)
		assert_string_equal(req.op, "slices");
	else
		assert_non_null(code);
	sd_ipc_request_done(&req);
	return rc;
}

static void test_ipc_request_oom(void **state)
{
	static const char line[] =
		"{\"id\":\"req-1\",\"op\":\"slices\",\"factory\":\"beilun-heavy\","
		"\"fields\":[\"id\",\"state\",\"live\"],\"limit\":100}";
	long n;

	(void)state;
	n = fail_each("sd_ipc_request_parse", try_ipc, line, sizeof line - 1);
	assert_true(n > 3);   /* the request really allocates several nodes */
}

/* Each decoder as an attempt: decode, copy the error, free the output. */
#define DECODER(fn, type, done)                                                    \
	static int try_##fn(const char *b, size_t len, char *err, size_t errsz)     \
	{                                                                            \
		type o;                                                              \
		struct sd_decode_diag d;                                             \
		int rc = sd_decode_##fn(b, len, &o, &d);                             \
		snprintf(err, errsz, "%s", d.error);                                 \
		done;                                                                \
		return rc;                                                           \
	}
DECODER(nf_profile, struct sd_nf_profile, sd_nf_profile_done(&o))
DECODER(nrf_urilist, struct sd_nrf_urilist, sd_nrf_urilist_done(&o))
DECODER(nrf_search, struct sd_nrf_search, sd_nrf_search_done(&o))
DECODER(nrf_notification, struct sd_nrf_notification, sd_nrf_notification_done(&o))
DECODER(nssf_slice_info, struct sd_nssf_slice_info, (void)o)
DECODER(nssf_event_notification, struct sd_nssai_avail, sd_nssai_avail_done(&o))
DECODER(nwdaf_analytics, struct sd_nwdaf_analytics, sd_nwdaf_analytics_done(&o))
DECODER(nwdaf_notification, struct sd_nwdaf_notification, sd_nwdaf_notification_done(&o))
DECODER(amf_notification, struct sd_amf_notification, sd_amf_notification_done(&o))
DECODER(smf_notification, struct sd_smf_notification, sd_smf_notification_done(&o))

static const struct {
	const char *file;
	attempt_fn fn;
} decode_cases[] = {
	{ "tests/data/open5gs/nrf-nf-profile-smf.json", try_nf_profile },
	{ "tests/data/open5gs/nrf-nf-profile-pcf.json", try_nf_profile },
	{ "tests/data/sbi_decode/nrf-profile-rich.json", try_nf_profile },
	{ "tests/data/open5gs/nrf-nf-instances.json", try_nrf_urilist },
	{ "tests/data/open5gs/nrf-disc-smf-from-amf.json", try_nrf_search },
	{ "tests/data/sbi_decode/nrf-notification-registered.json", try_nrf_notification },
	{ "tests/data/open5gs/nssf-nsselection-pdu-session-sst1-sd000001.json", try_nssf_slice_info },
	{ "tests/data/sbi_decode/nssf-event-notification.json", try_nssf_event_notification },
	{ "tests/data/sbi_decode/nwdaf-analytics.json", try_nwdaf_analytics },
	{ "tests/data/sbi_decode/nwdaf-notification.json", try_nwdaf_notification },
	{ "tests/data/sbi_decode/amf-notification.json", try_amf_notification },
	{ "tests/data/sbi_decode/smf-notification.json", try_smf_notification },
};

static void test_decoders_oom(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < SD_ARRAY_LEN(decode_cases); i++) {
		size_t len;
		char *body;
		long n;

		budget = -1;
		body = slurp(decode_cases[i].file, &len);
		n = fail_each(decode_cases[i].file, decode_cases[i].fn, body, len);
		assert_true(n > 0);
		sd_free(body);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wrappers_abort),
		cmocka_unit_test(test_wrappers_zero),
		cmocka_unit_test_setup_teardown(test_ipc_request_oom, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decoders_oom, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

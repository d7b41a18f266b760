/* tests/unit/test_plugins.c — the plugin loader's checks (names, the
 * plugin directory's owner and mode, the ABI struct sizes) and the syslog
 * plugin's RFC 5424 formatting and RFC 6587 framing; the webhook's
 * signature against RFC 4231's HMAC-SHA256 vectors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/plugin_conf.h"
#include "engine/plugins.h"
#include "plugins/slicedeck-plugin.h"
#include "plugins/syslog/rfc5424.c"
#include "plugins/webhook/hmac_sig.c"

static void test_names(void **st)
{
	assert_true(sd_plugin_name_valid("open5gs"));
	assert_true(sd_plugin_name_valid("my_vendor-core2"));
	assert_false(sd_plugin_name_valid(""));
	assert_false(sd_plugin_name_valid("../evil"));
	assert_false(sd_plugin_name_valid(".."));
	assert_false(sd_plugin_name_valid("a/b"));
	assert_false(sd_plugin_name_valid("/usr/lib/x"));
	assert_false(sd_plugin_name_valid("x.so"));
	assert_false(sd_plugin_name_valid("-rf"));
	assert_false(sd_plugin_name_valid("a b"));
	assert_false(sd_plugin_name_valid(
		"a123456789012345678901234567890123456789012345678901234567890123"));
}

static void test_dir(void **st)
{
	char d[] = "/tmp/sdplugtest.XXXXXX", err[512];
	assert_non_null(mkdtemp(d));
	assert_int_equal(chmod(d, 0755), 0);
	assert_int_equal(sd_plugins_check_dir(d, geteuid(), err, sizeof err), 0);
	assert_int_equal(chmod(d, 0775), 0);
	assert_int_equal(sd_plugins_check_dir(d, geteuid(), err, sizeof err), -1);
	assert_non_null(strstr(err, "writable by its group (mode 0775)"));
	assert_int_equal(chmod(d, 0757), 0);
	assert_int_equal(sd_plugins_check_dir(d, geteuid(), err, sizeof err), -1);
	assert_non_null(strstr(err, "writable by others"));
	assert_int_equal(chmod(d, 0755), 0);
	if (geteuid() == 0) {   /* owned by someone else: refused */
		assert_int_equal(chown(d, 4242, 4242), 0);
		assert_int_equal(sd_plugins_check_dir(d, 0, err, sizeof err), -1);
		assert_non_null(strstr(err, "owned by uid 4242"));
		/* ... unless that is the engine's own user */
		assert_int_equal(sd_plugins_check_dir(d, 4242, err, sizeof err), 0);
	}
	assert_int_equal(rmdir(d), 0);
	assert_int_equal(sd_plugins_check_dir(d, 0, err, sizeof err), -1);
	assert_non_null(strstr(err, "No such file"));
}

static void test_abi(void **st)
{
	/* the frozen 1.0 layout: the ABI fields first, then the strings and
	 * callbacks; the host table starts with its own size */
	assert_int_equal(offsetof(struct sdp_plugin, abi_major), 0);
	assert_int_equal(offsetof(struct sdp_plugin, abi_minor), 4);
	assert_int_equal(offsetof(struct sdp_plugin, size), 8);
	assert_int_equal(offsetof(struct sdp_host, size), 0);
	assert_true(offsetof(struct sdp_plugin, stop) + sizeof(void *) <= sizeof(struct sdp_plugin));
	assert_int_equal(SDP_EVENT_BIT(SDP_EVENT_ALARM), 2);
	assert_string_equal(SDP_ENTRY_SYMBOL, "slicedeck_plugin_entry");
	/* 1.1 only appended to the host table: its 1.0 members stay where
	 * they were, the new ones come after read_secret */
	assert_int_equal(SDP_ABI_MINOR, 1);
	assert_true(offsetof(struct sdp_host, slice_live) > offsetof(struct sdp_host, read_secret));
	assert_true(offsetof(struct sdp_host, nf_report) > offsetof(struct sdp_host, slice_live));
	assert_true(offsetof(struct sdp_host, nf_withdraw) > offsetof(struct sdp_host, nf_report));
	assert_int_equal(offsetof(struct sdp_host, nf_withdraw) + sizeof(void *), sizeof(struct sdp_host));
	assert_int_equal(offsetof(struct sdp_nf, size), 0);
	assert_int_equal(SDP_LIVE_UES, 1);
	assert_int_equal(SDP_LIVE_PDU_SESSIONS, 2);
}

static void test_rfc5424(void **st)
{
	char buf[1024];
	struct rfc5424_param p[] = {
		{ "id", "17" }, { "object", "slice=f1 \"crane\" [a]\\b" }, { "factory", "" },
	};
	struct rfc5424_msg m = {
		.facility = 3, .severity = 2, .time_ms = 1764806400123LL,   /* 2025-12-04 */
		.hostname = "noc1", .app_name = "slicedeckd", .procid = "42", .msgid = "ALARM",
		.sd_id = "alarm@32473", .params = p, .nparams = 3, .msg = "new critical\nline",
	};
	int n = rfc5424_format(&m, buf, sizeof buf);
	assert_int_equal(n, (int)strlen(buf));
	assert_string_equal(buf, "<26>1 2025-12-04T00:00:00.123Z noc1 slicedeckd 42 ALARM "
			    "[alarm@32473 id=\"17\" object=\"slice=f1 \\\"crane\\\" [a\\]\\\\b\" "
			    "factory=\"\"] new critical line");
	/* nil values, no structured data, a space in a header field */
	m.hostname = "";
	m.procid = NULL;
	m.msgid = "A B";
	m.sd_id = NULL;
	m.msg = NULL;
	m.facility = 23;
	m.severity = 7;
	n = rfc5424_format(&m, buf, sizeof buf);
	assert_string_equal(buf, "<191>1 2025-12-04T00:00:00.123Z - slicedeckd - A?B -");
	/* refused: a bad SD-ID or parameter name, bad PRI parts, no room */
	m.sd_id = "bad id";
	assert_int_equal(rfc5424_format(&m, buf, sizeof buf), -1);
	m.sd_id = "x@1";
	p[0].name = "a=b";
	m.params = p;
	m.nparams = 1;
	assert_int_equal(rfc5424_format(&m, buf, sizeof buf), -1);
	p[0].name = "id";
	m.facility = 24;
	assert_int_equal(rfc5424_format(&m, buf, sizeof buf), -1);
	m.facility = 3;
	assert_int_equal(rfc5424_format(&m, buf, 20), -1);
	assert_true(rfc5424_format(&m, buf, sizeof buf) > 0);
}

static void test_rfc6587(void **st)
{
	char buf[64];
	assert_int_equal(rfc6587_frame("<13>1 x", 7, buf, sizeof buf), 9);
	assert_string_equal(buf, "7 <13>1 x");
	assert_int_equal(rfc6587_frame("0123456789", 10, buf, 12), -1);
	assert_int_equal(rfc6587_frame("0123456789", 10, buf, 14), 13);
	assert_string_equal(buf, "10 0123456789");
}

static void test_hmac(void **st)
{
	char hex[65];
	unsigned char key1[20];
	/* RFC 4231 test case 1: key 0x0b x 20, "Hi There" */
	memset(key1, 0x0b, sizeof key1);
	assert_int_equal(webhook_sign(key1, sizeof key1, "Hi There", 8, hex), 0);
	assert_string_equal(hex, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	/* test case 2: key "Jefe" */
	assert_int_equal(webhook_sign("Jefe", 4, "what do ya want for nothing?", 28, hex), 0);
	assert_string_equal(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_dir),
		cmocka_unit_test(test_abi),
		cmocka_unit_test(test_rfc5424),
		cmocka_unit_test(test_rfc6587),
		cmocka_unit_test(test_hmac),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

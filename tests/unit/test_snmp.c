/* tests/unit/test_snmp.c — the SNMP sink's admission rules, against UDP
 * sockets of the test's own on loopback (a receiver that never answers,
 * one that answers garbage):
 *
 *   - informs in flight are capped (SD_SNMP_WINDOW); the queue is bounded,
 *     what overflows is counted as dropped, and a critical alarm takes the
 *     place of the newest non-critical one;
 *   - the storm guard suppresses non-critical notifications beyond the
 *     burst, counts them, never holds back a critical one, and sends one
 *     sdStormSummary per interval (seen on the wire);
 *   - a receiver sending garbage to the inform socket changes nothing;
 *   - the engine ID file: made once, read back with the boot count up,
 *     a damaged one replaced.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/access.h"
#include "core/bus.h"
#include "core/config.h"
#include "core/host.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/ops.h"
#include "core/util.h"
#include "engine/config_sections.h"
#include "snmp/snmp_conf.h"
#include "snmp/snmp_sink.h"

struct fx {
	char dir[64];
	struct sd_loop *loop;
	struct sd_bus *bus;
	struct sd_ops *ops;
	struct sd_config *cfg;
	struct sd_host host;
	struct sd_snmp *s;
	int rx;                      /* the test's receiver socket */
	int port;
};

static const struct sd_config *cfg_of(void *arg)
{
	return ((struct fx *)arg)->cfg;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

static int udp_socket(int *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	assert_true(fd >= 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

/* A sink with one target (its text, with PORT for the receiver's port). */
static void fx_start(struct fx *f, const char *target_fmt, const char *section_extra)
{
	char *min = slurp("tests/data/config/min.conf"), *text, *target, *path;
	struct sd_errlist errs;
	char err[256];
	FILE *o;

	memset(f, 0, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/sdsnmp.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	f->rx = udp_socket(&f->port);
	{
		/* the target's text with PORT replaced by the receiver's port */
		const char *at = strstr(target_fmt, "PORT");
		assert_non_null(at);
		target = sd_printf("%.*s%d%s", (int)(at - target_fmt), target_fmt, f->port, at + 4);
	}
	text = sd_printf("%s\nsnmp = { heartbeat = 0; %s targets = ( %s ); };\n", min,
			 section_extra, target);
	path = sd_printf("%s/sd.conf", f->dir);
	o = fopen(path, "w");
	assert_non_null(o);
	fputs(text, o);
	fclose(o);
	chmod(path, 0600);
	sd_config_set_schema(&sd_slicedeck_schema);
	sd_errlist_init(&errs);
	f->cfg = sd_config_load(path, &errs);
	if (!f->cfg && errs.n)
		fprintf(stderr, "%s\n", errs.msgs[0]);
	sd_errlist_done(&errs);
	assert_non_null(f->cfg);
	sd_strlcpy(f->cfg->state_dir, f->dir, sizeof f->cfg->state_dir);
	f->loop = sd_loop_new();
	f->bus = sd_bus_new(f->loop);
	f->ops = sd_ops_new();
	f->host = (struct sd_host){ .loop = f->loop, .bus = f->bus, .ops = f->ops,
				    .config = cfg_of, .arg = f };
	f->s = sd_snmp_new(&f->host, NULL, err, sizeof err);
	assert_non_null(f->s);
	free(min);
	free(text);
	free(target);
	free(path);
}

static void fx_stop(struct fx *f)
{
	char *cmd;
	sd_snmp_free(f->s);
	sd_ops_free(f->ops);
	sd_bus_free(f->bus);
	sd_loop_free(f->loop);
	sd_config_free(f->cfg);
	close(f->rx);
	cmd = sd_printf("%s/snmp-engine-id", f->dir);
	unlink(cmd);
	free(cmd);
	cmd = sd_printf("%s/sd.conf", f->dir);
	unlink(cmd);
	free(cmd);
	rmdir(f->dir);
}

static void turns(struct fx *f, int n)
{
	while (n-- > 0)
		sd_loop_once(f->loop, 5);
}

static void publish(struct fx *f, uint64_t id, enum sd_alarm_severity sev)
{
	struct sd_bus_event ev = { .kind = SD_BUS_ALARM };
	ev.u.alarm.notif = SD_ALARM_NEW;
	ev.u.alarm.alarm.id = ev.u.alarm.alarm.notification_id = id;
	ev.u.alarm.alarm.severity = sev;
	ev.u.alarm.alarm.observed = ev.u.alarm.alarm.target = NAN;
	snprintf(ev.u.alarm.alarm.object, sizeof ev.u.alarm.alarm.object, "nf=%llu",
		 (unsigned long long)id);
	sd_bus_publish(f->bus, &ev);
}

/* The snmp op's row of the one target. */
static json_t *counters(struct fx *f)
{
	struct sd_ipc_caller c = { .role = SD_ROLE_OPERATOR };
	struct sd_op_call call = { .caller = &c };
	const struct sd_op *row = sd_ops_find(f->ops, "snmp");
	json_t *res, *t;
	assert_non_null(row);
	call.op = row;
	call.arg = f->s;
	res = row->fn(&call);
	assert_non_null(res);
	t = json_incref(json_array_get(json_object_get(res, "targets"), 0));
	json_decref(res);
	assert_non_null(t);
	return t;
}

static long long num(json_t *t, const char *k)
{
	return (long long)json_integer_value(json_object_get(t, k));
}

/* Datagrams waiting at the receiver; with want_oid, those whose bytes hold
 * the encoded OID (a crude but exact match for our short PDUs). */
static int drain(struct fx *f, const unsigned char *want, size_t wantlen)
{
	unsigned char buf[4096];
	int n = 0;
	ssize_t r;
	while ((r = recv(f->rx, buf, sizeof buf, 0)) > 0)
		if (!want || memmem(buf, (size_t)r, want, wantlen))
			n++;
	return n;
}

static void test_queue_window_and_critical(void **state)
{
	struct fx f;
	json_t *t;
	int i;
	(void)state;
	/* informs to a receiver that never answers: the window fills, then
	 * the queue (10), then drops */
	fx_start(&f, "{ name = \"nms\"; host = \"127.0.0.1\"; port = PORT; community = \"c\";"
		 " inform = true; timeout_ms = 60000; retries = 0; queue = 10;"
		 " rate = 100000; burst = 100000; }", "");
	turns(&f, 5);    /* coldStart is inform 1 */
	for (i = 1; i <= 100; i++)
		publish(&f, (uint64_t)i, SD_SEV_MAJOR);
	turns(&f, 20);
	t = counters(&f);
	assert_int_equal(num(t, "outstanding"), SD_SNMP_WINDOW);
	assert_int_equal(num(t, "sent"), SD_SNMP_WINDOW);
	assert_int_equal(num(t, "queued"), 10);
	/* 101 offered (coldStart + 100), 64 in flight, 10 waiting */
	assert_int_equal(num(t, "dropped"), 101 - SD_SNMP_WINDOW - 10);
	json_decref(t);
	/* a critical alarm displaces the newest major one: still 10 queued,
	 * one more dropped */
	publish(&f, 1000, SD_SEV_CRITICAL);
	turns(&f, 5);
	t = counters(&f);
	assert_int_equal(num(t, "queued"), 10);
	assert_int_equal(num(t, "dropped"), 101 - SD_SNMP_WINDOW - 10 + 1);
	json_decref(t);
	/* the receiver sends garbage at the inform socket: nothing changes */
	{
		unsigned char junk[300];
		struct sockaddr_in from;
		socklen_t fl = sizeof from;
		unsigned char buf[2048];
		ssize_t r;
		/* learn the sink's address from one of its informs */
		r = recvfrom(f.rx, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
		assert_true(r > 0);
		for (i = 0; i < (int)sizeof junk; i++)
			junk[i] = (unsigned char)(i * 37 + 11);
		for (i = 0; i < 20; i++)
			sendto(f.rx, junk, (size_t)(i * 15 + 1), 0, (struct sockaddr *)&from, fl);
		memcpy(junk, "\x30\x82\xff\xff\x02\x01\x01", 7);   /* a lying BER length */
		sendto(f.rx, junk, 64, 0, (struct sockaddr *)&from, fl);
		turns(&f, 10);
		t = counters(&f);
		assert_int_equal(num(t, "outstanding"), SD_SNMP_WINDOW);
		assert_int_equal(num(t, "acked"), 0);
		json_decref(t);
	}
	fx_stop(&f);
}

static void test_storm_guard(void **state)
{
	/* sdStormSummary = 1.3.6.1.4.1.32473.0.6, BER-encoded */
	static const unsigned char storm_oid[] = { 0x2b, 0x06, 0x01, 0x04, 0x01, 0x81, 0xfd,
						   0x59, 0x00, 0x06 };
	struct fx f;
	json_t *t;
	int i, summaries = 0;
	(void)state;
	fx_start(&f, "{ name = \"nms\"; host = \"127.0.0.1\"; port = PORT; community = \"c\";"
		 " rate = 1; burst = 3; }", "storm_interval = 1;");
	turns(&f, 5);
	drain(&f, NULL, 0);
	for (i = 1; i <= 10; i++)
		publish(&f, (uint64_t)i, SD_SEV_WARNING);
	for (i = 11; i <= 15; i++)
		publish(&f, (uint64_t)i, SD_SEV_CRITICAL);
	turns(&f, 10);
	t = counters(&f);
	/* 3 warnings (the burst) and the 5 critical ones went out */
	assert_int_equal(num(t, "suppressed"), 7);
	assert_int_equal(num(t, "sent"), 1 + 3 + 5);
	json_decref(t);
	assert_int_equal(drain(&f, NULL, 0), 8);
	/* one summary after the interval */
	for (i = 0; i < 300 && !summaries; i++) {
		sd_loop_once(f.loop, 10);
		summaries += drain(&f, storm_oid, sizeof storm_oid);
	}
	assert_int_equal(summaries, 1);
	fx_stop(&f);
}

static void test_engine_id_file(void **state)
{
	struct fx f;
	char id1[80], *path, *text;
	FILE *o;
	(void)state;
	fx_start(&f, "{ name = \"nms\"; host = \"127.0.0.1\"; port = PORT; community = \"c\"; }", "");
	sd_strlcpy(id1, sd_snmp_engine_id(f.s), sizeof id1);
	assert_int_equal(strncmp(id1, "0x80007ed905", 12), 0);
	assert_int_equal(strlen(id1), 2 + 2 * 13);
	/* a second start in the same state directory: same ID, boot 2 */
	sd_snmp_free(f.s);
	{
		char err[128];
		f.s = sd_snmp_new(&f.host, NULL, err, sizeof err);
		assert_non_null(f.s);
	}
	assert_string_equal(sd_snmp_engine_id(f.s), id1);
	path = sd_printf("%s/snmp-engine-id", f.dir);
	text = slurp(path);
	assert_non_null(strstr(text, "boots 2\n"));
	{
		struct stat st;
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_mode & 077, 0);
	}
	free(text);
	/* damaged: a new one, boot 1 */
	sd_snmp_free(f.s);
	o = fopen(path, "w");
	fputs("engine_id 0xzz\nboots 7\n", o);
	fclose(o);
	{
		char err[128];
		f.s = sd_snmp_new(&f.host, NULL, err, sizeof err);
		assert_non_null(f.s);
	}
	assert_string_not_equal(sd_snmp_engine_id(f.s), id1);
	text = slurp(path);
	assert_non_null(strstr(text, "boots 1\n"));
	free(text);
	free(path);
	fx_stop(&f);
}

static void test_engine_id_parse(void **state)
{
	unsigned char b[SD_SNMP_ENGINE_ID_MAX];
	(void)state;
	assert_int_equal(sd_snmp_engine_id_parse("0x80001f8804736c696365", b, sizeof b), 10);
	assert_int_equal(b[0], 0x80);
	assert_int_equal(sd_snmp_engine_id_parse("80001f8804", b, sizeof b), 5);
	assert_int_equal(sd_snmp_engine_id_parse("0x80001f88", b, sizeof b), -1);     /* < 5 */
	assert_int_equal(sd_snmp_engine_id_parse("0x80001f880", b, sizeof b), -1);    /* odd */
	assert_int_equal(sd_snmp_engine_id_parse("0x80001f88zz", b, sizeof b), -1);
	assert_int_equal(sd_snmp_engine_id_parse(
		"0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20", b,
		sizeof b), -1);    /* 33 octets */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_engine_id_parse),
		cmocka_unit_test(test_queue_window_and_critical),
		cmocka_unit_test(test_storm_guard),
		cmocka_unit_test(test_engine_id_file),
	};
	sd_log_open("test_snmp", 0, SD_LOG_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* tests/unit/test_ipc.c — IPC codec (framing, parsing, replies), the op
 * registry (permissions before lookups, parameter schemas, help, audit,
 * deferred answers), the role scoping of every operation, and the server's
 * live updates through a real socket (snapshots, deltas per scope, whole
 * lists, shared serialisation, resync of a slow peer). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/bus.h"
#include "core/ipc.h"
#include "core/ipc_server.h"
#include "core/loop.h"
#include "core/model_nf.h"
#include "core/ops.h"
#include "core/util.h"
#include "engine/ops_model.h"
#include "monitor/monitor_conf.h"
#include "monitor/pipeline.h"

/* --- a two-factory model built by hand ------------------------------------ */

static struct sd_config *make_config(void)
{
	struct sd_config *c = calloc(1, sizeof *c);
	struct sd_model *m = calloc(1, sizeof *m);
	int i;

	strcpy(m->plmn.mcc, "460");
	strcpy(m->plmn.mnc, "00");
	strcpy(m->zone_name, "Test Park");
	m->nfactories = 2;
	m->factories = calloc(2, sizeof *m->factories);
	strcpy(m->factories[0].id, "f1");
	strcpy(m->factories[0].name, "Factory One");
	strcpy(m->factories[1].id, "f2");
	strcpy(m->factories[1].name, "Factory Two");
	m->nsites = 2;
	m->sites = calloc(2, sizeof *m->sites);
	strcpy(m->sites[0].id, "s1");
	m->sites[0].factory = 0;
	strcpy(m->sites[1].id, "s2");
	m->sites[1].factory = 1;
	m->ncells = 2;
	m->cells = calloc(2, sizeof *m->cells);
	strcpy(m->cells[0].id, "c1");
	m->cells[0].site = 0;
	m->cells[0].nci = 0x10;
	strcpy(m->cells[1].id, "c2");
	m->cells[1].site = 1;
	m->nslices = 3;
	m->slices = calloc(3, sizeof *m->slices);
	for (i = 0; i < 3; i++) {
		snprintf(m->slices[i].id, sizeof m->slices[i].id, "sl%d", i + 1);
		m->slices[i].snssai.sst = 1;
		m->slices[i].snssai.has_sd = true;
		m->slices[i].snssai.sd = (uint32_t)(i + 1);
	}
	m->slices[0].factory = 0;
	m->slices[1].factory = 0;
	m->slices[2].factory = 1;
	/* NFs: shared (no S-NSSAI), serving f1's slice, serving only f2's */
	m->nnfs = 3;
	m->nfs = calloc(3, sizeof *m->nfs);
	strcpy(m->nfs[0].id, "nrf");
	strcpy(m->nfs[1].id, "smf-f1");
	sd_nf_snssais_set(&m->nfs[1], &m->slices[0].snssai, 1);
	strcpy(m->nfs[2].id, "upf-f2");
	sd_nf_snssais_set(&m->nfs[2], &m->slices[2].snssai, 1);
	c->model = m;
	sd_model_reindex(m);
	return c;
}

static void free_config(struct sd_config *c)
{
	sd_model_free(c->model);   /* NF rows and their S-NSSAIs too */
	free(c->rules);
	free(c);
}

static const struct sd_ipc_caller operator_caller = { .user = "noc", .role = SD_ROLE_OPERATOR, .factory = -1 };
static const struct sd_ipc_caller viewer_caller = { .user = "view", .role = SD_ROLE_VIEWER, .factory = -1 };
static const struct sd_ipc_caller f1_caller = { .user = "f1it", .role = SD_ROLE_FACTORY, .factory = 0,
						.factory_id = "f1" };

/* The registry every call goes through: the model's rows, the server's own
 * (hello, subscribe, ...; registered by a server on a private socket) and
 * whatever a test adds. */
struct fixture {
	struct sd_config *cfg;
	struct sd_loop *loop;
	struct sd_bus *bus;
	struct sd_ops *ops;
	struct sd_host host;
	struct sd_ipc_server *srv;
	char dir[64];
	char sock[128];
};
static struct fixture fx;
static const struct sd_config *fx_config(void *arg) { (void)arg; return fx.cfg; }
static struct sd_model *fx_model(void *arg) { (void)arg; return fx.cfg->model; }

static void fx_open(struct sd_config *cfg)
{
	char err[256];
	memset(&fx, 0, sizeof fx);
	fx.cfg = cfg;
	strcpy(fx.dir, "/tmp/sdipcXXXXXX");
	assert_non_null(mkdtemp(fx.dir));
	snprintf(fx.sock, sizeof fx.sock, "%s/sock", fx.dir);
	sd_strlcpy(cfg->state_dir, fx.dir, sizeof cfg->state_dir);
	fx.loop = sd_loop_new();
	fx.bus = sd_bus_new(fx.loop);
	fx.ops = sd_ops_new();
	fx.host = (struct sd_host){ .loop = fx.loop, .bus = fx.bus, .ops = fx.ops,
				    .config = fx_config, .model = fx_model };
	assert_int_equal(sd_ops_model_register(fx.ops), 0);
	fx.srv = sd_ipc_server_new(&fx.host, fx.sock, 0600, "", err, sizeof err);
	assert_non_null(fx.srv);
	assert_int_equal(sd_ops_model_topics(fx.srv, &fx.host), 0);
}

static void fx_close(void)
{
	char *cmd;
	sd_ipc_server_free(fx.srv);
	sd_ops_free(fx.ops);
	sd_bus_free(fx.bus);
	sd_loop_free(fx.loop);
	free_config(fx.cfg);
	cmd = sd_printf("rm -rf '%s'", fx.dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

/* Run one request line; return the parsed reply object. The config must be
 * the fixture's (fx_open). */
static json_t *call(const struct sd_config *cfg, const struct sd_ipc_caller *who,
		    bool hello, const char *line, unsigned *sub)
{
	struct sd_ipc_request req;
	struct sd_op_call oc;
	const char *code;
	char msg[256], *reply;
	json_t *j;

	assert_ptr_equal(cfg, fx.cfg);
	if (sd_ipc_request_parse(line, strlen(line), &req, &code, msg, sizeof msg) < 0) {
		reply = sd_ipc_reply_error(req.id, code, msg);
	} else {
		reply = sd_ops_dispatch(fx.ops, cfg, cfg->model, who, 0, hello, &req, &oc);
		if (sub)
			*sub = oc.subscribe;
	}
	sd_ipc_request_done(&req);
	assert_non_null(reply);
	assert_int_equal(reply[strlen(reply) - 1], '\n');
	j = json_loads(reply, 0, NULL);
	free(reply);
	assert_non_null(j);
	return j;
}

static const char *err_code(const json_t *reply)
{
	return json_string_value(json_object_get(json_object_get(reply, "error"), "code"));
}

/* ids of the objects in result[member] joined with ',' */
static void ids(const json_t *reply, const char *member, char *buf, size_t n)
{
	const json_t *a = json_object_get(json_object_get(reply, "result"), member), *o;
	size_t i;
	buf[0] = '\0';
	assert_true(json_is_array(a));
	json_array_foreach(a, i, o) {
		if (i)
			strncat(buf, ",", n - strlen(buf) - 1);
		strncat(buf, json_string_value(json_object_get(o, "id")), n - strlen(buf) - 1);
	}
}

/* --- framing ----------------------------------------------------------------- */

static void test_reader_lines(void **state)
{
	struct sd_ipc_reader r;
	char *line;
	size_t len;
	bool over;
	(void)state;

	sd_ipc_reader_init(&r);
	sd_ipc_reader_feed(&r, "{\"a\":1}\n\n{\"b\"", 13);
	assert_int_equal(sd_ipc_reader_next(&r, &line, &len, &over), 1);
	assert_false(over);
	assert_string_equal(line, "{\"a\":1}");
	/* the blank keep-alive line is skipped; the partial one waits */
	assert_int_equal(sd_ipc_reader_next(&r, &line, &len, &over), 0);
	sd_ipc_reader_feed(&r, ":2}\r\n", 5);
	assert_int_equal(sd_ipc_reader_next(&r, &line, &len, &over), 1);
	assert_string_equal(line, "{\"b\":2}");
	assert_int_equal(sd_ipc_reader_next(&r, &line, &len, &over), 0);
	sd_ipc_reader_done(&r);
}

static void test_reader_oversized(void **state)
{
	struct sd_ipc_reader r;
	char *big = malloc(SD_IPC_MAX_LINE + 100);
	char *line;
	size_t len, i;
	bool over;
	(void)state;

	int overflows = 0;

	memset(big, 'x', SD_IPC_MAX_LINE + 100);
	sd_ipc_reader_init(&r);
	sd_ipc_reader_feed(&r, "{\"a\":1}\n", 8);
	/* arrives in pieces, as from a socket; reported once, as soon as it
	 * is known to be too long */
	for (i = 0; i < SD_IPC_MAX_LINE + 100; i += 16384) {
		size_t n = SD_IPC_MAX_LINE + 100 - i < 16384 ? SD_IPC_MAX_LINE + 100 - i : 16384;
		sd_ipc_reader_feed(&r, big + i, n);
		while (sd_ipc_reader_next(&r, &line, &len, &over) == 1) {
			if (over)
				overflows++;
			else
				assert_string_equal(line, "{\"a\":1}");
		}
	}
	assert_int_equal(overflows, 1);
	/* the rest of the long line is dropped; the next line is whole */
	sd_ipc_reader_feed(&r, "xxxx\n{\"ok\":1}\n", 14);
	assert_int_equal(sd_ipc_reader_next(&r, &line, &len, &over), 1);
	assert_false(over);
	assert_string_equal(line, "{\"ok\":1}");
	sd_ipc_reader_done(&r);
	free(big);
}

static void test_parse_errors(void **state)
{
	struct sd_config *cfg = make_config();
	fx_open(cfg);
	json_t *r;
	(void)state;

	r = call(cfg, &operator_caller, true, "{not json", NULL);
	assert_string_equal(err_code(r), SD_IPC_E_PARSE);
	assert_true(json_is_null(json_object_get(r, "id")));
	json_decref(r);
	r = call(cfg, &operator_caller, true, "[1,2]", NULL);
	assert_string_equal(err_code(r), SD_IPC_E_PARSE);
	json_decref(r);
	r = call(cfg, &operator_caller, true, "{\"id\":5}", NULL);
	assert_string_equal(err_code(r), SD_IPC_E_BADREQ);
	json_decref(r);
	r = call(cfg, &operator_caller, true, "{\"id\":[1],\"op\":\"ping\"}", NULL);
	assert_string_equal(err_code(r), SD_IPC_E_BADREQ);
	json_decref(r);
	r = call(cfg, &operator_caller, true, "{\"id\":\"abc\",\"op\":\"nope\"}", NULL);
	assert_string_equal(err_code(r), SD_IPC_E_UNKNOWN);
	assert_string_equal(json_string_value(json_object_get(r, "id")), "abc");
	json_decref(r);
	/* duplicate keys are ambiguous: refused */
	r = call(cfg, &operator_caller, true, "{\"id\":1,\"op\":\"ping\",\"op\":\"slices\"}", NULL);
	assert_string_equal(err_code(r), SD_IPC_E_PARSE);
	json_decref(r);
	fx_close();
}

static void test_hello(void **state)
{
	struct sd_config *cfg = make_config();
	fx_open(cfg);
	json_t *r;
	(void)state;

	r = call(cfg, &f1_caller, false, "{\"id\":1,\"op\":\"slices\"}", NULL);
	assert_string_equal(err_code(r), SD_IPC_E_HELLO);
	json_decref(r);
	r = call(cfg, &f1_caller, false, "{\"id\":1,\"op\":\"hello\",\"version\":99}", NULL);
	assert_string_equal(err_code(r), SD_IPC_E_VERSION);
	json_decref(r);
	r = call(cfg, &f1_caller, false, "{\"id\":2,\"op\":\"hello\",\"version\":1}", NULL);
	assert_null(json_object_get(r, "error"));
	assert_int_equal(json_integer_value(json_object_get(r, "id")), 2);
	assert_string_equal(json_string_value(json_object_get(json_object_get(r, "result"), "role")), "factory");
	assert_string_equal(json_string_value(json_object_get(json_object_get(r, "result"), "factory")), "f1");
	json_decref(r);
	fx_close();
}

/* --- scoping ------------------------------------------------------------------- */

static void test_factory_scope(void **state)
{
	struct sd_config *cfg = make_config();
	fx_open(cfg);
	char got[256];
	json_t *r;
	(void)state;

	r = call(cfg, &f1_caller, true, "{\"id\":1,\"op\":\"factories\"}", NULL);
	ids(r, "factories", got, sizeof got);
	assert_string_equal(got, "f1");
	json_decref(r);
	r = call(cfg, &f1_caller, true, "{\"id\":1,\"op\":\"slices\"}", NULL);
	ids(r, "slices", got, sizeof got);
	assert_string_equal(got, "sl1,sl2");
	json_decref(r);
	r = call(cfg, &f1_caller, true, "{\"id\":1,\"op\":\"sites\"}", NULL);
	ids(r, "sites", got, sizeof got);
	assert_string_equal(got, "s1");
	json_decref(r);
	r = call(cfg, &f1_caller, true, "{\"id\":1,\"op\":\"cells\"}", NULL);
	ids(r, "cells", got, sizeof got);
	assert_string_equal(got, "c1");
	json_decref(r);
	r = call(cfg, &f1_caller, true, "{\"id\":1,\"op\":\"nfs\"}", NULL);
	ids(r, "nfs", got, sizeof got);
	assert_string_equal(got, "nrf,smf-f1");
	json_decref(r);

	/* naming another factory, existing or not, is refused alike */
	r = call(cfg, &f1_caller, true, "{\"id\":1,\"op\":\"slices\",\"factory\":\"f2\"}", NULL);
	assert_string_equal(err_code(r), SD_IPC_E_FORBIDDEN);
	json_decref(r);
	r = call(cfg, &f1_caller, true, "{\"id\":1,\"op\":\"slices\",\"factory\":\"zz\"}", NULL);
	assert_string_equal(err_code(r), SD_IPC_E_FORBIDDEN);
	json_decref(r);
	r = call(cfg, &f1_caller, true, "{\"id\":1,\"op\":\"slice\",\"slice\":\"sl3\"}", NULL);
	assert_string_equal(err_code(r), SD_IPC_E_FORBIDDEN);
	json_decref(r);
	r = call(cfg, &f1_caller, true, "{\"id\":1,\"op\":\"slice\",\"slice\":\"sl1\"}", NULL);
	assert_null(json_object_get(r, "error"));
	json_decref(r);
	fx_close();
}

/* An NF serving slices of two factories: a factory caller sees the NF but
 * only its own S-NSSAIs in it; an operator sees all of them. */
static void test_shared_nf_snssais(void **state)
{
	struct sd_config *cfg = make_config();
	fx_open(cfg);
	const json_t *nf, *sn;
	json_t *r;
	(void)state;

	{
		struct sd_snssai two[2] = { cfg->model->slices[0].snssai,
					    cfg->model->slices[2].snssai };   /* f2's */
		sd_nf_snssais_set(&cfg->model->nfs[1], two, 2);
	}
	r = call(cfg, &f1_caller, true, "{\"id\":1,\"op\":\"nfs\"}", NULL);
	nf = json_array_get(json_object_get(json_object_get(r, "result"), "nfs"), 1);
	assert_string_equal(json_string_value(json_object_get(nf, "id")), "smf-f1");
	sn = json_object_get(nf, "snssais");
	assert_int_equal(json_array_size(sn), 1);
	assert_string_equal(json_string_value(json_array_get(sn, 0)), "1-000001");
	json_decref(r);
	r = call(cfg, &operator_caller, true, "{\"id\":1,\"op\":\"nfs\"}", NULL);
	nf = json_array_get(json_object_get(json_object_get(r, "result"), "nfs"), 1);
	sn = json_object_get(nf, "snssais");
	assert_int_equal(json_array_size(sn), 2);
	assert_string_equal(json_string_value(json_array_get(sn, 1)), "1-000003");
	json_decref(r);
	fx_close();
}

static void test_operator_and_viewer_scope(void **state)
{
	struct sd_config *cfg = make_config();
	fx_open(cfg);
	char got[256];
	json_t *r;
	(void)state;

	r = call(cfg, &viewer_caller, true, "{\"id\":1,\"op\":\"slices\"}", NULL);
	ids(r, "slices", got, sizeof got);
	assert_string_equal(got, "sl1,sl2,sl3");
	json_decref(r);
	r = call(cfg, &operator_caller, true, "{\"id\":1,\"op\":\"nfs\"}", NULL);
	ids(r, "nfs", got, sizeof got);
	assert_string_equal(got, "nrf,smf-f1,upf-f2");
	json_decref(r);
	r = call(cfg, &operator_caller, true, "{\"id\":1,\"op\":\"slices\",\"factory\":\"f2\"}", NULL);
	ids(r, "slices", got, sizeof got);
	assert_string_equal(got, "sl3");
	json_decref(r);
	r = call(cfg, &operator_caller, true, "{\"id\":1,\"op\":\"slices\",\"factory\":\"zz\"}", NULL);
	assert_string_equal(err_code(r), SD_IPC_E_NOTFOUND);
	json_decref(r);
	r = call(cfg, &operator_caller, true, "{\"id\":1,\"op\":\"slices\",\"factory\":7}", NULL);
	assert_string_equal(err_code(r), SD_IPC_E_BADREQ);
	json_decref(r);
	fx_close();
}

/* --- live updates through a real socket --------------------------------------- */

struct client {
	int fd;
	struct sd_ipc_reader in;
	long next_id;
};

static void cl_open(struct client *c)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	assert_true(c->fd >= 0);
	sd_strlcpy(sa.sun_path, fx.sock, sizeof sa.sun_path);
	assert_int_equal(connect(c->fd, (struct sockaddr *)&sa, sizeof sa), 0);
	sd_ipc_reader_init_max(&c->in, 64 << 20);
	c->next_id = 1;
}

static void cl_close(struct client *c)
{
	close(c->fd);
	sd_ipc_reader_done(&c->in);
	/* let the server see the hang-up */
	for (int i = 0; i < 5; i++)
		sd_loop_once(fx.loop, 5);
}

static void cl_send(struct client *c, const char *line)
{
	size_t n = strlen(line);
	assert_int_equal(send(c->fd, line, n, MSG_NOSIGNAL), (ssize_t)n);
}

/* The next line from the engine, running its loop meanwhile; NULL after
 * wait_ms without one. */
static json_t *cl_next(struct client *c, int wait_ms)
{
	int64_t until = sd_now_ms() + wait_ms;
	for (;;) {
		char buf[65536], *line;
		size_t len;
		bool over;
		ssize_t n;
		if (sd_ipc_reader_next(&c->in, &line, &len, &over) == 1) {
			json_t *j = json_loads(line, 0, NULL);
			assert_false(over);
			assert_non_null(j);
			return j;
		}
		n = recv(c->fd, buf, sizeof buf, 0);
		if (n > 0) {
			sd_ipc_reader_feed(&c->in, buf, (size_t)n);
			continue;
		}
		assert_true(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
		if (sd_now_ms() > until)
			return NULL;
		sd_loop_once(fx.loop, 10);
	}
}

/* Send a request and return its reply; events that come first are
 * appended to *events (may be NULL: then dropped). */
static json_t *cl_call(struct client *c, const char *body, json_t *events)
{
	char line[1024];
	long id = c->next_id++;
	snprintf(line, sizeof line, "{\"id\":%ld,%s}\n", id, body);
	cl_send(c, line);
	for (;;) {
		json_t *j = cl_next(c, 2000);
		assert_non_null(j);
		if (json_integer_value(json_object_get(j, "id")) == id)
			return j;
		if (events)
			json_array_append_new(events, j);
		else
			json_decref(j);
	}
}

/* Collect events for about ms. */
static json_t *cl_events(struct client *c, int ms)
{
	json_t *a = json_array(), *j;
	while ((j = cl_next(c, ms)))
		json_array_append_new(a, j);
	return a;
}

/* ids in a list of objects, joined with ',' in order */
static void list_ids(const json_t *a, char *buf, size_t n)
{
	const json_t *o;
	size_t i;
	buf[0] = '\0';
	json_array_foreach(a, i, o) {
		const json_t *id = json_object_get(o, "id");
		char num[24];
		if (i)
			strncat(buf, ",", n - strlen(buf) - 1);
		if (json_is_integer(id)) {
			snprintf(num, sizeof num, "%lld", (long long)json_integer_value(id));
			strncat(buf, num, n - strlen(buf) - 1);
		} else {
			strncat(buf, json_string_value(id), n - strlen(buf) - 1);
		}
	}
}

/* Grow the test zone to n slices: copies of slice 0 with ids PREFIX%05d
 * (from index 3 on), distinct S-NSSAIs and, when pad, a 90-digit name. */
static void grow_slices(struct sd_model *m, int n, char prefix, bool pad)
{
	int k;
	m->slices = realloc(m->slices, (size_t)n * sizeof *m->slices);
	assert_non_null(m->slices);
	for (k = 3; k < n; k++) {
		m->slices[k] = m->slices[0];
		snprintf(m->slices[k].id, sizeof m->slices[k].id, "%c%05d", prefix, k);
		if (pad)
			snprintf(m->slices[k].name, sizeof m->slices[k].name, "%0*d", 90, k);
		m->slices[k].snssai.sd = (uint32_t)(k + 1);
	}
	m->nslices = n;
	sd_model_reindex(m);
}

static void bind_us_to_f1(struct sd_config *cfg)
{
	cfg->rules = calloc(1, sizeof *cfg->rules);
	cfg->nrules = 1;
	snprintf(cfg->rules[0].name, sizeof cfg->rules[0].name, "me");
	cfg->rules[0].id = (uint32_t)geteuid();
	cfg->rules[0].resolved = true;
	cfg->rules[0].role = SD_ROLE_FACTORY;
	cfg->rules[0].factory = 0;
}

static void hello(struct client *c)
{
	json_t *r = cl_call(c, "\"op\":\"hello\",\"version\":1", NULL);
	assert_null(json_object_get(r, "error"));
	json_decref(r);
}

/* A factory console subscribing in delta mode: a snapshot of its own
 * slices only, then a delta for a change to one of them, nothing for a
 * change to another factory's slice, and a removal when one goes. */
static void test_delta_scope(void **state)
{
	struct sd_config *cfg = make_config();
	struct client c;
	json_t *r, *ev, *e0, *data;
	char got[256];
	(void)state;

	bind_us_to_f1(cfg);
	fx_open(cfg);
	cl_open(&c);
	hello(&c);
	ev = json_array();
	r = cl_call(&c, "\"op\":\"subscribe\",\"topics\":[\"slices\"],\"mode\":\"delta\"", ev);
	assert_string_equal(json_string_value(json_object_get(json_object_get(r, "result"), "mode")),
			    "delta");
	json_decref(r);
	{ json_t *more = cl_events(&c, 100); json_array_extend(ev, more); json_decref(more); }
	assert_int_equal(json_array_size(ev), 1);
	e0 = json_array_get(ev, 0);
	assert_string_equal(json_string_value(json_object_get(e0, "event")), "slices");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(e0, "snapshot"), "pages")), 1);
	list_ids(json_object_get(json_object_get(e0, "data"), "slices"), got, sizeof got);
	assert_string_equal(got, "sl1,sl2");
	json_decref(ev);

	/* a change of f1's slice: one delta with just that slice */
	cfg->model->slices[1].live.ues = 42;
	sd_bus_model_changed(fx.bus, SD_TOPIC_SLICES, "sl2", false);
	/* f2's slice: nothing for f1 */
	cfg->model->slices[2].live.ues = 7;
	sd_bus_model_changed(fx.bus, SD_TOPIC_SLICES, "sl3", false);
	ev = cl_events(&c, 300);
	assert_int_equal(json_array_size(ev), 1);
	e0 = json_array_get(ev, 0);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(e0, "delta"), "base")), 0);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(e0, "delta"), "gen")), 1);
	data = json_object_get(e0, "data");
	list_ids(json_object_get(data, "upsert"), got, sizeof got);
	assert_string_equal(got, "sl2");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
		json_array_get(json_object_get(data, "upsert"), 0), "live"), "ues")), 42);
	assert_int_equal(json_array_size(json_object_get(data, "remove")), 0);
	json_decref(ev);

	/* marking a slice that did not change sends nothing */
	sd_bus_model_changed(fx.bus, SD_TOPIC_SLICES, "sl1", false);
	ev = cl_events(&c, 250);
	assert_int_equal(json_array_size(ev), 0);
	json_decref(ev);

	/* sl1 moves to f2 (as a reload could do): a removal for f1 */
	cfg->model->slices[0].factory = 1;
	sd_model_reindex(cfg->model);
	sd_bus_model_changed(fx.bus, SD_TOPIC_SLICES, "sl1", false);
	ev = cl_events(&c, 300);
	assert_int_equal(json_array_size(ev), 1);
	data = json_object_get(json_array_get(ev, 0), "data");
	assert_int_equal(json_array_size(json_object_get(data, "upsert")), 0);
	assert_string_equal(json_string_value(json_array_get(json_object_get(data, "remove"), 0)), "sl1");
	json_decref(ev);

	/* a resync on request: a fresh snapshot at the generation held */
	ev = json_array();
	r = cl_call(&c, "\"op\":\"resync\",\"topics\":[\"slices\"]", ev);
	json_decref(r);
	{ json_t *more = cl_events(&c, 100); json_array_extend(ev, more); json_decref(more); }
	assert_int_equal(json_array_size(ev), 1);
	e0 = json_array_get(ev, 0);
	assert_true(json_is_true(json_object_get(json_object_get(e0, "snapshot"), "resync")));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(e0, "snapshot"), "gen")), 2);
	list_ids(json_object_get(json_object_get(e0, "data"), "slices"), got, sizeof got);
	assert_string_equal(got, "sl2");
	json_decref(ev);
	cl_close(&c);
	fx_close();
}

/* Whole-list subscribers (the old mode) get the scoped list again after a
 * change; two operator consoles share one serialisation per flush. */
static void test_full_mode_shared(void **state)
{
	struct sd_config *cfg = make_config();
	struct client a, b;
	struct sd_ipc_stats st0, st1;
	json_t *r, *ev;
	char got[256];
	(void)state;

	fx_open(cfg);   /* no rules: we (root or the engine's user) are operators */
	cl_open(&a);
	cl_open(&b);
	hello(&a);
	hello(&b);
	r = cl_call(&a, "\"op\":\"subscribe\",\"topics\":[\"nfs\"]", NULL);
	json_decref(r);
	r = cl_call(&b, "\"op\":\"subscribe\",\"topics\":[\"nfs\"]", NULL);
	json_decref(r);
	json_decref(cl_events(&a, 100));
	json_decref(cl_events(&b, 100));
	sd_ipc_server_stats(fx.srv, &st0);
	cfg->model->nfs[2].load = 55;
	sd_bus_model_changed(fx.bus, SD_TOPIC_NFS, "upf-f2", false);
	ev = cl_events(&a, 300);
	assert_int_equal(json_array_size(ev), 1);
	list_ids(json_object_get(json_object_get(json_array_get(ev, 0), "data"), "nfs"), got, sizeof got);
	assert_string_equal(got, "nrf,smf-f1,upf-f2");
	json_decref(ev);
	ev = cl_events(&b, 100);
	assert_int_equal(json_array_size(ev), 1);
	json_decref(ev);
	sd_ipc_server_stats(fx.srv, &st1);
	/* one object rebuilt for the one scope both share, not one per peer */
	assert_int_equal(st1.objects_built - st0.objects_built, 1);
	assert_int_equal(st1.scopes, 1);
	assert_int_equal(st1.flushes - st0.flushes, 1);
	cl_close(&a);
	cl_close(&b);
	fx_close();
}

/* A whole list larger than the slow mark still reaches a console that keeps
 * up (the mark is about a backlog, not one big message). */
static void test_full_mode_big_list(void **state)
{
	struct sd_config *cfg = make_config();
	struct sd_model *m = cfg->model;
	struct client c;
	json_t *r, *ev;
	int n = 7000, k;
	(void)state;

	grow_slices(m, n, 'y', true);
	fx_open(cfg);
	cl_open(&c);
	hello(&c);
	r = cl_call(&c, "\"op\":\"subscribe\",\"topics\":[\"slices\"]", NULL);
	json_decref(r);
	ev = cl_events(&c, 500);
	assert_int_equal(json_array_size(ev), 1);
	assert_true(json_array_size(json_object_get(json_object_get(json_array_get(ev, 0), "data"),
						   "slices")) == (size_t)n);
	json_decref(ev);
	for (k = 0; k < 2; k++) {
		m->slices[5].live.ues = 100 + k;
		sd_bus_model_changed(fx.bus, SD_TOPIC_SLICES, m->slices[5].id, false);
		ev = cl_events(&c, 800);
		assert_int_equal(json_array_size(ev), 1);
		json_decref(ev);
	}
	cl_close(&c);
	fx_close();
}

/* A snapshot larger than a page comes in pages, in order, and a client that
 * stops reading gets a resync later instead of being dropped. */
static void test_paging_and_slow_peer(void **state)
{
	struct sd_config *cfg = make_config();
	struct sd_model *m = cfg->model;
	struct client c;
	json_t *r, *ev, *e;
	size_t i, total = 0;
	int n = 2600, k;
	(void)state;

	grow_slices(m, n, 'x', true);
	fx_open(cfg);
	cl_open(&c);
	hello(&c);
	r = cl_call(&c, "\"op\":\"subscribe\",\"topics\":[\"slices\"],\"mode\":\"delta\"", NULL);
	json_decref(r);
	ev = cl_events(&c, 300);
	assert_int_equal(json_array_size(ev), 3);
	json_array_foreach(ev, i, e) {
		const json_t *sn = json_object_get(e, "snapshot");
		assert_int_equal(json_integer_value(json_object_get(sn, "page")), (json_int_t)i);
		assert_int_equal(json_integer_value(json_object_get(sn, "pages")), 3);
		total += json_array_size(json_object_get(json_object_get(e, "data"), "slices"));
	}
	assert_int_equal(total, (size_t)n);
	json_decref(ev);

	/* stop reading; change every slice many times: far more than the
	 * slow mark would queue */
	for (k = 0; k < 40; k++) {
		int j;
		for (j = 0; j < n; j++) {
			m->slices[j].live.ues = k * 1000 + j;
			sd_bus_model_changed(fx.bus, SD_TOPIC_SLICES, m->slices[j].id, false);
		}
		sd_ipc_server_flush(fx.srv);
	}
	/* still connected; reading now brings the queued deltas and, at the
	 * end, a resync snapshot holding the last state */
	ev = cl_events(&c, 1500);
	assert_true(json_array_size(ev) > 0);
	e = json_array_get(ev, json_array_size(ev) - 1);
	assert_true(json_is_true(json_object_get(json_object_get(e, "snapshot"), "resync")));
	{
		struct sd_ipc_stats st;
		sd_ipc_server_stats(fx.srv, &st);
		assert_true(st.resyncs >= 1);
		assert_int_equal(st.peers_dropped, 0);
	}
	/* the last page holds the newest values */
	{
		const json_t *sl = json_object_get(json_object_get(e, "data"), "slices");
		const json_t *last = json_array_get(sl, json_array_size(sl) - 1);
		assert_int_equal(json_integer_value(json_object_get(json_object_get(last, "live"), "ues")),
				 39 * 1000 + n - 1);
	}
	json_decref(ev);
	cl_close(&c);
	fx_close();
}

/* The first subscriber of a large topic: the scope's objects are
 * serialised a slice per loop turn, so a request pipelined behind the
 * subscribe is answered before the snapshot, not after the whole zone;
 * changes made while the fill runs are in the snapshot, and no delta
 * precedes it. */
static void test_sliced_fill(void **state)
{
	struct sd_config *cfg = make_config();
	struct sd_model *m = cfg->model;
	struct client c;
	json_t *ev, *e;
	struct sd_ipc_stats st;
	size_t i, total = 0;
	int n = 20000, last_page = -1, pages = 0;
	bool saw_first = false, saw_last = false;
	(void)state;

	grow_slices(m, n, 'x', false);
	fx_open(cfg);
	cl_open(&c);
	hello(&c);
	cl_send(&c, "{\"id\":10,\"op\":\"subscribe\",\"topics\":[\"slices\"],\"mode\":\"delta\"}\n"
		    "{\"id\":11,\"op\":\"ping\"}\n");
	/* one turn: both requests answered, one slice of the fill */
	sd_loop_once(fx.loop, 100);
	sd_ipc_server_stats(fx.srv, &st);
	assert_int_equal(st.fills_sliced, 1);
	/* a change to an object already serialised and to one not yet */
	m->slices[0].live.ues = 4242;
	sd_bus_model_changed(fx.bus, SD_TOPIC_SLICES, m->slices[0].id, false);
	m->slices[n - 1].live.ues = 4343;
	sd_bus_model_changed(fx.bus, SD_TOPIC_SLICES, m->slices[n - 1].id, false);

	ev = cl_events(&c, 1500);
	assert_true(json_array_size(ev) > 3);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(ev, 0), "id")), 10);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(ev, 1), "id")), 11);
	for (i = 2; i < json_array_size(ev); i++) {
		const json_t *sn, *sl, *o;
		size_t j;
		e = json_array_get(ev, i);
		sn = json_object_get(e, "snapshot");
		if (!sn) {
			/* nothing but the snapshot: the changes are in it */
			assert_null(json_object_get(e, "delta"));
			continue;
		}
		assert_int_equal(json_integer_value(json_object_get(sn, "page")), last_page + 1);
		last_page++;
		pages = (int)json_integer_value(json_object_get(sn, "pages"));
		sl = json_object_get(json_object_get(e, "data"), "slices");
		total += json_array_size(sl);
		json_array_foreach(sl, j, o) {
			const char *id = json_string_value(json_object_get(o, "id"));
			json_int_t ues = json_integer_value(json_object_get(json_object_get(o, "live"),
									    "ues"));
			if (strcmp(id, m->slices[0].id) == 0) {
				assert_int_equal(ues, 4242);
				saw_first = true;
			} else if (strcmp(id, m->slices[n - 1].id) == 0) {
				assert_int_equal(ues, 4343);
				saw_last = true;
			}
		}
	}
	assert_int_equal(last_page + 1, pages);
	assert_int_equal(total, (size_t)n);
	assert_true(saw_first && saw_last);
	json_decref(ev);
	cl_close(&c);
	fx_close();
}

/* A socket whose owner is busy (its backlog full: connect says EAGAIN) is
 * not stale: a second engine must refuse to start rather than delete it. */
static void test_busy_socket_kept(void **state)
{
	struct sd_config *cfg = make_config();
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct sd_ipc_server *second;
	struct stat st;
	char path[160], err[256];
	int lfd, fds[64], n = 0, i;
	(void)state;

	fx_open(cfg);
	snprintf(path, sizeof path, "%s/busy.sock", fx.dir);
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	sd_strlcpy(sa.sun_path, path, sizeof sa.sun_path);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(lfd, 0), 0);
	/* never accepted: fill the backlog until connect would block */
	for (i = 0; i < 64; i++) {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
			assert_int_equal(errno, EAGAIN);
			close(fd);
			break;
		}
		fds[n++] = fd;
	}
	assert_true(i < 64);
	second = sd_ipc_server_new(&fx.host, path, 0600, "", err, sizeof err);
	assert_null(second);
	assert_non_null(strstr(err, "not removing it"));
	assert_int_equal(stat(path, &st), 0);   /* still there */
	for (i = 0; i < n; i++)
		close(fds[i]);
	close(lfd);
	/* a socket nobody listens on any more is stale (ECONNREFUSED) and
	 * is replaced */
	{
		struct sd_host h2 = fx.host;
		h2.ops = sd_ops_new();
		second = sd_ipc_server_new(&h2, path, 0600, "", err, sizeof err);
		assert_non_null(second);
		sd_ipc_server_free(second);
		sd_ops_free(h2.ops);
	}
	fx_close();
}

/* --- the op registry ---------------------------------------------------------------- */

static int audits;
static char last_audit[256];
static void on_audit(void *arg, const struct sd_op_audit *a)
{
	char *p = json_dumps(a->params, JSON_COMPACT | JSON_SORT_KEYS);
	audits++;
	snprintf(last_audit, sizeof last_audit, "%s %s %s %s [%s]", a->caller->user, a->op,
		 p, a->outcome, a->about_factory);
	free(p);
}

static struct sd_op_call *parked;
static json_t *op_poke(struct sd_op_call *c)
{
	sd_op_about(c, "f1");
	return json_pack("{s:b}", "poked", 1);
}
static json_t *op_later(struct sd_op_call *c)
{
	parked = sd_op_defer(c);
	return NULL;
}
static const struct sd_param p_poke[] = {
	{ "n", SD_PT_INT, true, "a number" },
	{ "tag", SD_PT_ID, false, "an id" },
	SD_PARAMS_END
};
static const struct sd_op test_rows[] = {
	{ "poke", op_poke, SD_PERM_ACT, SD_OP_MUTATES, p_poke, "an operator action" },
	{ "later", op_later, SD_PERM_READ, SD_OP_ASYNC | SD_OP_MUTATES, NULL, "answers later" },
};

static void test_registry_rules(void **state)
{
	struct sd_config *cfg = make_config();
	json_t *r, *a, *o;
	size_t i;
	bool saw_poke = false, saw_ack = false;
	(void)state;

	fx_open(cfg);
	assert_int_equal(sd_ops_register(fx.ops, test_rows, SD_ARRAY_LEN(test_rows), NULL), 0);
	/* a name registered twice is refused whole */
	assert_int_equal(sd_ops_register(fx.ops, test_rows, 1, NULL), -1);
	sd_ops_set_audit(fx.ops, on_audit, NULL);

	/* the permission is checked before anything else: a viewer learns
	 * nothing about parameters, and the refusal is audited */
	r = call(cfg, &viewer_caller, true, "{\"id\":1,\"op\":\"poke\",\"bogus\":1}", NULL);
	assert_string_equal(err_code(r), SD_IPC_E_FORBIDDEN);
	json_decref(r);
	assert_int_equal(audits, 1);
	assert_non_null(strstr(last_audit, "view poke {\"bogus\":1} forbidden"));
	/* unknown, ill-typed and missing parameters are bad_request */
	r = call(cfg, &operator_caller, true, "{\"id\":1,\"op\":\"poke\",\"n\":1,\"bogus\":1}", NULL);
	assert_string_equal(err_code(r), SD_IPC_E_BADREQ);
	assert_non_null(strstr(json_string_value(json_object_get(json_object_get(r, "error"), "message")),
			       "bogus"));
	json_decref(r);
	r = call(cfg, &operator_caller, true, "{\"id\":1,\"op\":\"poke\",\"n\":\"1\"}", NULL);
	assert_string_equal(err_code(r), SD_IPC_E_BADREQ);
	json_decref(r);
	r = call(cfg, &operator_caller, true, "{\"id\":1,\"op\":\"poke\",\"n\":1,\"tag\":\"a b\"}", NULL);
	assert_string_equal(err_code(r), SD_IPC_E_BADREQ);
	json_decref(r);
	r = call(cfg, &operator_caller, true, "{\"id\":1,\"op\":\"poke\"}", NULL);
	assert_string_equal(err_code(r), SD_IPC_E_BADREQ);
	json_decref(r);
	audits = 0;
	r = call(cfg, &operator_caller, true, "{\"id\":1,\"op\":\"poke\",\"n\":3}", NULL);
	assert_null(json_object_get(r, "error"));
	json_decref(r);
	assert_int_equal(audits, 1);
	assert_string_equal(last_audit, "noc poke {\"n\":3} ok [f1]");
	/* read-only ops are not audited */
	r = call(cfg, &operator_caller, true, "{\"id\":1,\"op\":\"slices\"}", NULL);
	json_decref(r);
	assert_int_equal(audits, 1);
	/* a model op refuses a parameter it does not take */
	r = call(cfg, &operator_caller, true, "{\"id\":1,\"op\":\"nfs\",\"factory\":\"f1\"}", NULL);
	assert_string_equal(err_code(r), SD_IPC_E_BADREQ);
	json_decref(r);

	/* help lists exactly what the caller may use */
	r = call(cfg, &viewer_caller, true, "{\"id\":1,\"op\":\"help\"}", NULL);
	a = json_object_get(json_object_get(r, "result"), "ops");
	json_array_foreach(a, i, o)
		if (strcmp(json_string_value(json_object_get(o, "op")), "poke") == 0)
			saw_poke = true;
	assert_false(saw_poke);
	json_decref(r);
	r = call(cfg, &operator_caller, true, "{\"id\":1,\"op\":\"help\"}", NULL);
	a = json_object_get(json_object_get(r, "result"), "ops");
	json_array_foreach(a, i, o)
		if (strcmp(json_string_value(json_object_get(o, "op")), "poke") == 0)
			saw_poke = true;
	assert_true(saw_poke);
	(void)saw_ack;
	json_decref(r);
	sd_ops_unregister(fx.ops, test_rows);
	fx_close();
}

/* A deferred answer reaches its client with the request's id; one whose
 * client has gone is dropped (and still audited). */
static void test_async_op(void **state)
{
	struct sd_config *cfg = make_config();
	struct client c;
	json_t *j;
	(void)state;

	fx_open(cfg);
	assert_int_equal(sd_ops_register(fx.ops, test_rows, SD_ARRAY_LEN(test_rows), NULL), 0);
	sd_ops_set_audit(fx.ops, on_audit, NULL);
	cl_open(&c);
	hello(&c);
	cl_send(&c, "{\"id\":\"a-7\",\"op\":\"later\"}\n{\"id\":8,\"op\":\"ping\"}\n");
	j = cl_next(&c, 1000);   /* the ping overtakes the deferred answer */
	assert_int_equal(json_integer_value(json_object_get(j, "id")), 8);
	json_decref(j);
	assert_non_null(parked);
	audits = 0;
	sd_op_finish(parked, json_pack("{s:i}", "answer", 42));
	parked = NULL;
	j = cl_next(&c, 1000);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "id")), "a-7");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "result"), "answer")), 42);
	json_decref(j);
	assert_int_equal(audits, 1);
	/* the client goes before the answer */
	cl_send(&c, "{\"id\":9,\"op\":\"later\"}\n");
	for (int i = 0; i < 20 && !parked; i++)
		sd_loop_once(fx.loop, 10);
	assert_non_null(parked);
	cl_close(&c);
	sd_op_fail(parked, SD_IPC_E_INTERNAL, "too late");
	sd_op_finish(parked, NULL);   /* dropped, no crash, no leak */
	parked = NULL;
	assert_int_equal(audits, 2);
	assert_non_null(strstr(last_audit, "later {} internal"));
	sd_ops_unregister(fx.ops, test_rows);
	fx_close();
}

/* --- the kpi operation (monitor pipeline) ------------------------------------ */

static struct sd_config *kpi_cfg;

static void test_kpi_op(void **state)
{
	char err[256], *path;
	struct sd_pipeline *p;
	struct sd_kpi *k;
	int64_t now = sd_wall_ms(), min0 = now - now % 60000;
	json_t *r, *res, *b;
	int i;
	(void)state;

	kpi_cfg = make_config();
	fx_open(kpi_cfg);
	path = sd_printf("%s/slicedeck.db", fx.dir);
	fx.host.store = sd_store_open(path, err, sizeof err);
	free(path);
	assert_non_null(fx.host.store);
	sd_monitor_conf_set(kpi_cfg, &(struct sd_monitor_conf){
		.kpi_raw_samples = 30, .kpi_retention_1min_days = 2, .kpi_retention_5min_days = 14,
		.kpi_retention_1h_days = 90, .kpi_retention_1day_days = 400, .sla_window_min = 5,
		.sla_hysteresis = 2, .sla_rate_tolerance_pct = 10, .cov_rsrp_min_dbm = -105,
		.cov_sinr_min_db = 0, .cov_target_pct = 95, .cov_grid_m = 10, .cov_min_hole_squares = 4,
	});
	p = sd_pipeline_new(&fx.host, err, sizeof err);
	assert_non_null(p);
	k = sd_pipeline_kpi(p);
	assert_non_null(k);
	/* three minutes ago: 2 and 4 ms; now: 10 ms; UEs only now */
	assert_int_equal(sd_kpi_add_id(k, SD_KPI_SLICE, "sl1", SD_KPI_LATENCY, min0 - 180000 + 1000, 2), 0);
	assert_int_equal(sd_kpi_add_id(k, SD_KPI_SLICE, "sl1", SD_KPI_LATENCY, min0 - 180000 + 2000, 4), 0);
	assert_int_equal(sd_kpi_add_id(k, SD_KPI_SLICE, "sl1", SD_KPI_LATENCY, now, 10), 0);
	assert_int_equal(sd_kpi_add_id(k, SD_KPI_SLICE, "sl1", SD_KPI_UES, now, 7), 0);
	sd_kpi_tick(k, now);
	assert_true(sd_kpi_flush_all(k) >= 1);

	r = call(kpi_cfg, &f1_caller, true, "{\"id\":1,\"op\":\"kpi\",\"slice\":\"sl1\"}", NULL);
	assert_null(json_object_get(r, "error"));
	res = json_object_get(r, "result");
	assert_string_equal(json_string_value(json_object_get(res, "metric")), "latency");
	assert_string_equal(json_string_value(json_object_get(res, "level")), "1min");
	assert_int_equal(json_array_size(json_object_get(res, "buckets")), 1);
	b = json_array_get(json_object_get(res, "buckets"), 0);
	assert_int_equal(json_integer_value(json_object_get(b, "start")), min0 - 180000);
	assert_int_equal(json_integer_value(json_object_get(b, "count")), 2);
	assert_true(json_real_value(json_object_get(b, "min")) == 2.0);
	assert_true(json_real_value(json_object_get(b, "max")) == 4.0);
	assert_true(json_real_value(json_object_get(b, "mean")) == 3.0);
	assert_true(json_is_number(json_object_get(b, "p99")));
	b = json_object_get(res, "current");
	assert_int_equal(json_integer_value(json_object_get(b, "start")), min0);
	assert_int_equal(json_integer_value(json_object_get(b, "count")), 1);
	assert_true(json_real_value(json_object_get(b, "mean")) == 10.0);
	json_decref(r);

	/* two points end before three minutes ago; UEs carry no quantiles */
	r = call(kpi_cfg, &operator_caller, true,
		 "{\"id\":1,\"op\":\"kpi\",\"slice\":\"sl1\",\"points\":2}", NULL);
	assert_int_equal(json_array_size(json_object_get(json_object_get(r, "result"), "buckets")), 0);
	json_decref(r);
	r = call(kpi_cfg, &viewer_caller, true,
		 "{\"id\":1,\"op\":\"kpi\",\"slice\":\"sl1\",\"metric\":\"ues\",\"level\":\"5min\"}", NULL);
	b = json_object_get(json_object_get(r, "result"), "current");
	assert_true(json_real_value(json_object_get(b, "mean")) == 7.0);
	assert_null(json_object_get(b, "p99"));
	json_decref(r);
	/* a slice without samples: no buckets, no current */
	r = call(kpi_cfg, &operator_caller, true, "{\"id\":1,\"op\":\"kpi\",\"slice\":\"sl2\"}", NULL);
	assert_true(json_is_null(json_object_get(json_object_get(r, "result"), "current")));
	json_decref(r);

	/* scope: f2's slice and an unknown one are both forbidden to f1 */
	r = call(kpi_cfg, &f1_caller, true, "{\"id\":1,\"op\":\"kpi\",\"slice\":\"sl3\"}", NULL);
	assert_string_equal(err_code(r), SD_IPC_E_FORBIDDEN);
	json_decref(r);
	r = call(kpi_cfg, &f1_caller, true, "{\"id\":1,\"op\":\"kpi\",\"slice\":\"nope\"}", NULL);
	assert_string_equal(err_code(r), SD_IPC_E_FORBIDDEN);
	json_decref(r);
	r = call(kpi_cfg, &operator_caller, true, "{\"id\":1,\"op\":\"kpi\",\"slice\":\"nope\"}", NULL);
	assert_string_equal(err_code(r), SD_IPC_E_NOTFOUND);
	json_decref(r);
	/* bad parameters */
	{
		static const char *const bad[] = {
			"{\"id\":1,\"op\":\"kpi\"}",
			"{\"id\":1,\"op\":\"kpi\",\"slice\":\"sl1\",\"metric\":\"speed\"}",
			"{\"id\":1,\"op\":\"kpi\",\"slice\":\"sl1\",\"level\":\"2min\"}",
			"{\"id\":1,\"op\":\"kpi\",\"slice\":\"sl1\",\"points\":501}",
			"{\"id\":1,\"op\":\"kpi\",\"slice\":\"sl1\",\"points\":0}",
		};
		for (i = 0; i < (int)SD_ARRAY_LEN(bad); i++) {
			r = call(kpi_cfg, &operator_caller, true, bad[i], NULL);
			assert_string_equal(err_code(r), SD_IPC_E_BADREQ);
			json_decref(r);
		}
	}
	sd_pipeline_free(p);
	sd_store_close(fx.host.store);
	fx_close();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reader_lines),
		cmocka_unit_test(test_reader_oversized),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_hello),
		cmocka_unit_test(test_factory_scope),
		cmocka_unit_test(test_shared_nf_snssais),
		cmocka_unit_test(test_operator_and_viewer_scope),
		cmocka_unit_test(test_delta_scope),
		cmocka_unit_test(test_full_mode_shared),
		cmocka_unit_test(test_paging_and_slow_peer),
		cmocka_unit_test(test_full_mode_big_list),
		cmocka_unit_test(test_sliced_fill),
		cmocka_unit_test(test_busy_socket_kept),
		cmocka_unit_test(test_registry_rules),
		cmocka_unit_test(test_async_op),
		cmocka_unit_test(test_kpi_op),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

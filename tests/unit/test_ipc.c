/* tests/unit/test_ipc.c — IPC codec (framing, parsing, replies) and the
 * role scoping of every operation and push. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/ipc.h"
#include "core/loop.h"
#include "core/util.h"
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
	m->nfs[1].nsnssais = 1;
	m->nfs[1].snssais[0] = m->slices[0].snssai;
	strcpy(m->nfs[2].id, "upf-f2");
	m->nfs[2].nsnssais = 1;
	m->nfs[2].snssais[0] = m->slices[2].snssai;
	c->model = m;
	return c;
}

static void free_config(struct sd_config *c)
{
	sd_model_free(c->model);
	free(c);
}

static const struct sd_ipc_caller operator_caller = { .user = "noc", .role = SD_ROLE_OPERATOR, .factory = -1 };
static const struct sd_ipc_caller viewer_caller = { .user = "view", .role = SD_ROLE_VIEWER, .factory = -1 };
static const struct sd_ipc_caller f1_caller = { .user = "f1it", .role = SD_ROLE_FACTORY, .factory = 0 };

/* Run one request line; return the parsed reply object. */
static json_t *call(const struct sd_config *cfg, const struct sd_ipc_caller *who,
		    bool hello, const char *line, unsigned *sub)
{
	struct sd_ipc_request req;
	const char *code;
	char msg[256], *reply;
	bool hello_ok;
	unsigned s, u;
	json_t *j;

	if (sd_ipc_request_parse(line, strlen(line), &req, &code, msg, sizeof msg) < 0) {
		reply = sd_ipc_reply_error(req.id, code, msg);
	} else {
		reply = sd_ipc_dispatch(cfg, who, hello, &req, &hello_ok, &s, &u);
		if (sub)
			*sub = s;
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
	free_config(cfg);
}

static void test_hello(void **state)
{
	struct sd_config *cfg = make_config();
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
	free_config(cfg);
}

/* --- scoping ------------------------------------------------------------------- */

static void test_factory_scope(void **state)
{
	struct sd_config *cfg = make_config();
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
	free_config(cfg);
}

/* An NF serving slices of two factories: a factory caller sees the NF but
 * only its own S-NSSAIs in it; an operator sees all of them. */
static void test_shared_nf_snssais(void **state)
{
	struct sd_config *cfg = make_config();
	const json_t *nf, *sn;
	json_t *r;
	(void)state;

	cfg->model->nfs[1].nsnssais = 2;
	cfg->model->nfs[1].snssais[1] = cfg->model->slices[2].snssai;   /* f2's */
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
	free_config(cfg);
}

static void test_operator_and_viewer_scope(void **state)
{
	struct sd_config *cfg = make_config();
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
	free_config(cfg);
}

static void test_subscribe_and_push_scope(void **state)
{
	struct sd_config *cfg = make_config();
	unsigned sub = 0;
	json_t *r, *data;
	char *line;
	(void)state;

	r = call(cfg, &f1_caller, true, "{\"id\":1,\"op\":\"subscribe\",\"topics\":[\"slices\",\"nfs\"]}", &sub);
	assert_null(json_object_get(r, "error"));
	assert_int_equal(sub, SD_TOPIC_SLICES | SD_TOPIC_NFS);
	json_decref(r);
	r = call(cfg, &f1_caller, true, "{\"id\":1,\"op\":\"subscribe\",\"topics\":[\"bogus\"]}", &sub);
	assert_string_equal(err_code(r), SD_IPC_E_BADREQ);
	json_decref(r);

	/* what a push carries for a factory caller */
	data = sd_ipc_topic_data(cfg, &f1_caller, SD_TOPIC_SLICES);
	assert_int_equal(json_array_size(json_object_get(data, "slices")), 2);
	line = sd_ipc_event("slices", data);
	assert_non_null(strstr(line, "\"event\":\"slices\""));
	assert_null(strstr(line, "sl3"));
	free(line);
	data = sd_ipc_topic_data(cfg, &viewer_caller, SD_TOPIC_SLICES);
	assert_int_equal(json_array_size(json_object_get(data, "slices")), 3);
	json_decref(data);
	free_config(cfg);
}

/* --- the kpi operation (monitor pipeline) ------------------------------------ */

static struct sd_config *kpi_cfg;
static struct sd_model *host_model(void *arg) { (void)arg; return kpi_cfg->model; }
static const struct sd_config *host_config(void *arg) { (void)arg; return kpi_cfg; }
static void host_changed(void *arg, unsigned topics) { (void)arg; (void)topics; }

static void test_kpi_op(void **state)
{
	struct sd_collect_host host = { .model = host_model, .config = host_config,
					.changed = host_changed };
	char dir[] = "/tmp/sdkpiopXXXXXX", err[256], *cmd;
	struct sd_loop *loop = sd_loop_new();
	struct sd_pipeline *p;
	struct sd_kpi *k;
	int64_t now = sd_wall_ms(), min0 = now - now % 60000;
	json_t *r, *res, *b;
	int i;
	(void)state;

	kpi_cfg = make_config();
	assert_non_null(mkdtemp(dir));
	sd_strlcpy(kpi_cfg->state_dir, dir, sizeof kpi_cfg->state_dir);
	sd_monitor_conf_set(kpi_cfg, &(struct sd_monitor_conf){
		.kpi_raw_samples = 30, .kpi_retention_1min_days = 2, .kpi_retention_5min_days = 14,
		.kpi_retention_1h_days = 90, .kpi_retention_1day_days = 400, .sla_window_min = 5,
		.sla_hysteresis = 2, .sla_rate_tolerance_pct = 10, .cov_rsrp_min_dbm = -105,
		.cov_sinr_min_db = 0, .cov_target_pct = 95, .cov_grid_m = 10, .cov_min_hole_squares = 4,
	});
	p = sd_pipeline_new(loop, &host, err, sizeof err);
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
	sd_loop_free(loop);
	free_config(kpi_cfg);
	cmd = sd_printf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
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
		cmocka_unit_test(test_subscribe_and_push_scope),
		cmocka_unit_test(test_kpi_op),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

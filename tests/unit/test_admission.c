/* tests/unit/test_admission.c — slicing/admission.c, each constraint on its
 * own and with the others: S-NSSAI uniqueness and SD allocation from the
 * range, the factory's contracted slices and UEs, per-cell UL and DL
 * guaranteed-rate shares (exactly at the limit and one kbit/s over, UL
 * and DL apart), the mode and security rules, and the slice being changed
 * not counting against itself. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "slicing/admission.h"
#include "slicing/scenario.h"

/* Zone: factory "hy" (hybrid, grade 2) with sites hy-a (cells a1, a2) and
 * hy-b (cell b1); factory "vi" (virtual, grade 3) with site vi-a (cell v1).
 * Cells: 100 Mbit/s UL, 400 DL unless set. */
static struct sd_model *zone(void)
{
	struct sd_model *m = sd_model_new();
	static const char *const cells[][2] = { { "a1", "0" }, { "a2", "0" }, { "b1", "1" },
						 { "v1", "2" } };
	int i;
	sd_strlcpy(m->plmn.mcc, "460", sizeof m->plmn.mcc);
	sd_strlcpy(m->plmn.mnc, "00", sizeof m->plmn.mnc);
	m->nfactories = 2;
	m->factories = sd_calloc(2, sizeof *m->factories);
	sd_strlcpy(m->factories[0].id, "hy", SD_ID_MAX);
	m->factories[0].mode = SD_MODE_HYBRID;
	m->factories[0].level = SD_LEVEL_FACTORY;
	m->factories[0].security_grade = 2;
	sd_strlcpy(m->factories[1].id, "vi", SD_ID_MAX);
	m->factories[1].mode = SD_MODE_VIRTUAL;
	m->factories[1].level = SD_LEVEL_FACTORY;
	m->factories[1].security_grade = 3;
	m->nsites = 3;
	m->sites = sd_calloc(3, sizeof *m->sites);
	sd_strlcpy(m->sites[0].id, "hy-a", SD_ID_MAX);
	sd_strlcpy(m->sites[1].id, "hy-b", SD_ID_MAX);
	sd_strlcpy(m->sites[2].id, "vi-a", SD_ID_MAX);
	m->sites[2].factory = 1;
	m->ncells = 4;
	m->cells = sd_calloc(4, sizeof *m->cells);
	for (i = 0; i < 4; i++) {
		sd_strlcpy(m->cells[i].id, cells[i][0], SD_ID_MAX);
		m->cells[i].site = cells[i][1][0] - '0';
		m->cells[i].nci = (uint64_t)i + 1;
		m->cells[i].tac = 1;
	}
	sd_model_reindex(m);
	return m;
}

static struct sd_slicing_conf conf(void)
{
	struct sd_slicing_conf c = { .sd_lo = 0x000010, .sd_hi = 0x000013, .capacity_share_pct = 80,
				     .cell_ul_kbps = 100000, .cell_dl_kbps = 400000 };
	return c;
}

/* Add a runtime slice of factory f with S-NSSAI sn on sites (-1 ends; none:
 * all of the factory's), GBR UL/DL kbit/s, UEs. */
static void add(struct sd_model *m, const char *id, int f, const char *sn, enum sd_slice_state st,
		uint64_t ul, uint64_t dl, uint32_t ues, int site)
{
	struct sd_slice s;
	char err[256];
	int sites[1] = { site };
	memset(&s, 0, sizeof s);
	sd_strlcpy(s.id, id, sizeof s.id);
	assert_true(sd_snssai_parse(sn, &s.snssai, NULL));
	s.factory = f;
	s.state = st;
	s.origin = SD_ORIGIN_RUNTIME;
	s.sla.gbr_ul_kbps = ul;
	s.sla.gbr_dl_kbps = dl;
	s.sla.max_ues = ues;
	s.sites = site >= 0 ? sites : NULL;
	s.nsites = site >= 0 ? 1 : 0;
	if (sd_model_add_slice(m, &s, err, sizeof err) < 0)
		fail_msg("add %s: %s", id, err);
}

static struct sd_adm_request req(int f, uint64_t ul, uint64_t dl, uint32_t ues)
{
	struct sd_adm_request q;
	memset(&q, 0, sizeof q);
	q.factory = f;
	q.sst = 1;
	q.sla.gbr_ul_kbps = ul;
	q.sla.gbr_dl_kbps = dl;
	q.sla.max_ues = ues;
	return q;
}

static void expect_fail(const struct sd_adm_result *r, enum sd_adm_check c, const char *text)
{
	int i;
	for (i = 0; i < r->nfail; i++)
		if (r->fail[i].check == c && strstr(r->fail[i].text, text))
			return;
	for (i = 0; i < r->nfail; i++)
		print_message("failure %d (%s): %s\n", i, sd_adm_check_name(r->fail[i].check),
			      r->fail[i].text);
	fail_msg("no %s failure with \"%s\"", sd_adm_check_name(c), text);
}

static void test_sd_allocation(void **state)
{
	struct sd_model *m = zone();
	struct sd_slicing_conf c = conf();
	struct sd_adm_request q = req(0, 0, 0, 0);
	struct sd_adm_result r;

	assert_true(sd_admission_check(m, &c, &q, &r));
	assert_true(r.sd_allocated);
	assert_int_equal(r.snssai.sst, 1);
	assert_int_equal(r.snssai.sd, 0x10);
	/* the lowest free one; a requested or rejected slice holds none, another
	 * SST does not count, an SD outside the range is not in the way */
	add(m, "s1", 0, "1-000010", SD_SLICE_ACTIVE, 0, 0, 0, -1);
	add(m, "s2", 1, "1-000012", SD_SLICE_SUSPENDED, 0, 0, 0, -1);
	add(m, "s3", 0, "1-000011", SD_SLICE_REQUESTED, 0, 0, 0, -1);
	add(m, "s4", 0, "2-000011", SD_SLICE_ACTIVE, 0, 0, 0, -1);
	add(m, "s5", 0, "1-000500", SD_SLICE_ACTIVE, 0, 0, 0, -1);
	assert_true(sd_admission_check(m, &c, &q, &r));
	assert_int_equal(r.snssai.sd, 0x11);
	add(m, "s6", 0, "1-000011", SD_SLICE_ADMITTED, 0, 0, 0, -1);
	add(m, "s7", 0, "1-000013", SD_SLICE_ACTIVE, 0, 0, 0, -1);
	/* full: 4 of 4 */
	assert_false(sd_admission_check(m, &c, &q, &r));
	assert_int_equal(r.nfail, 1);
	expect_fail(&r, SD_ADM_SNSSAI, "no free SD for SST 1 in slicing.sd_range 000010-000013 "
		    "(4 of 4 in use)");
	/* the slice being changed gives its own SD back */
	q.slice_id = "s7";
	assert_true(sd_admission_check(m, &c, &q, &r));
	assert_int_equal(r.snssai.sd, 0x13);
	/* another SST has the whole range */
	q.slice_id = NULL;
	q.sst = 2;
	assert_true(sd_admission_check(m, &c, &q, &r));
	assert_int_equal(r.snssai.sd, 0x10);
	sd_model_free(m);
}

static void test_snssai_unique(void **state)
{
	struct sd_model *m = zone();
	struct sd_slicing_conf c = conf();
	struct sd_adm_request q = req(0, 0, 0, 0);
	struct sd_adm_result r;
	add(m, "other", 1, "1-abcdef", SD_SLICE_ACTIVE, 0, 0, 0, -1);
	add(m, "gone", 1, "1-000777", SD_SLICE_DECOMMISSIONED, 0, 0, 0, -1);
	q.has_snssai = true;
	assert_true(sd_snssai_parse("1-abcdef", &q.snssai, NULL));
	assert_false(sd_admission_check(m, &c, &q, &r));
	/* the other factory's slice is not named */
	expect_fail(&r, SD_ADM_SNSSAI, "S-NSSAI 1-abcdef: already in use in PLMN 460-00");
	assert_null(strstr(r.fail[0].text, "other"));
	assert_false(r.sd_allocated);
	/* a decommissioned slice's S-NSSAI is free again */
	assert_true(sd_snssai_parse("1-000777", &q.snssai, NULL));
	assert_true(sd_admission_check(m, &c, &q, &r));
	assert_int_equal(r.snssai.sd, 0x777);
	/* changing the holder itself is not a clash */
	assert_true(sd_snssai_parse("1-abcdef", &q.snssai, NULL));
	q.slice_id = "other";
	q.factory = 1;
	assert_true(sd_admission_check(m, &c, &q, &r));
	sd_model_free(m);
}

static void test_contract_limits(void **state)
{
	struct sd_model *m = zone();
	struct sd_slicing_conf c = conf();
	struct sd_adm_request q = req(0, 0, 0, 100);
	struct sd_adm_result r;
	m->factories[0].max_slices = 2;
	m->factories[0].max_ues = 1000;
	add(m, "a", 0, "1-000100", SD_SLICE_ACTIVE, 0, 0, 500, -1);
	add(m, "b", 0, "1-000101", SD_SLICE_REQUESTED, 0, 0, 900, -1);   /* holds nothing */
	add(m, "c", 1, "1-000102", SD_SLICE_ACTIVE, 0, 0, 900, -1);      /* another factory */
	add(m, "d", 0, "1-000103", SD_SLICE_SUSPENDED, 0, 0, 400, -1);
	/* 2 of 2 slices; 900 + 100 = 1000 UEs: exactly at the limit */
	assert_false(sd_admission_check(m, &c, &q, &r));
	assert_int_equal(r.nfail, 1);
	expect_fail(&r, SD_ADM_CONTRACT_SLICES, "factory hy slices: 2 of 2 contracted, +1 requested");
	m->factories[0].max_slices = 3;
	assert_true(sd_admission_check(m, &c, &q, &r));
	/* one UE over */
	q.sla.max_ues = 101;
	assert_false(sd_admission_check(m, &c, &q, &r));
	expect_fail(&r, SD_ADM_CONTRACT_UES, "factory hy UEs: 900 of 1000 contracted, +101 requested");
	/* a slice without a UE bound cannot fit a UE contract */
	q.sla.max_ues = 0;
	assert_false(sd_admission_check(m, &c, &q, &r));
	expect_fail(&r, SD_ADM_CONTRACT_UES, "states no max_ues");
	/* a change to d counts d's new figure, not its old one as well */
	q.slice_id = "d";
	q.sla.max_ues = 500;
	assert_true(sd_admission_check(m, &c, &q, &r));
	q.sla.max_ues = 501;
	assert_false(sd_admission_check(m, &c, &q, &r));
	/* no limits: anything */
	m->factories[0].max_slices = m->factories[0].max_ues = 0;
	q.sla.max_ues = 0;
	assert_true(sd_admission_check(m, &c, &q, &r));
	sd_model_free(m);
}

static void test_capacity_edges(void **state)
{
	struct sd_model *m = zone();
	struct sd_slicing_conf c = conf();
	struct sd_adm_request q;
	struct sd_adm_result r;
	int site_b = 1;
	/* hy-a's cells hold 60 Mbit/s UL, 300 DL; hy-b's cell nothing */
	add(m, "ul", 0, "1-000200", SD_SLICE_ACTIVE, 40000, 100000, 0, 0);
	add(m, "ul2", 0, "1-000201", SD_SLICE_ADMITTED, 20000, 200000, 0, 0);
	/* suspended and requested slices hold no capacity; nor another site's */
	add(m, "sus", 0, "1-000202", SD_SLICE_SUSPENDED, 50000, 50000, 0, 0);
	add(m, "rq", 0, "1-000203", SD_SLICE_REQUESTED, 50000, 50000, 0, 0);
	add(m, "vi", 1, "1-000204", SD_SLICE_ACTIVE, 99000, 99000, 0, -1);

	/* exactly at 80 % of 100 Mbit/s UL, on all of hy's cells */
	q = req(0, 20000, 0, 0);
	assert_true(sd_admission_check(m, &c, &q, &r));
	assert_int_equal(r.ncells, 3);
	/* one kbit/s over: each cell of hy-a named, hy-b's fits */
	q = req(0, 20001, 0, 0);
	assert_false(sd_admission_check(m, &c, &q, &r));
	assert_int_equal(r.nfail, 2);
	expect_fail(&r, SD_ADM_CELL_UL, "cell a1 UL: 60.0 of 100.0 Mbit/s guaranteed, +20.001 "
		    "requested, limit 80 %");
	expect_fail(&r, SD_ADM_CELL_UL, "cell a2 UL: 60.0 of 100.0 Mbit/s guaranteed");
	/* only on hy-b: room */
	q.sites = &site_b;
	q.nsites = 1;
	assert_true(sd_admission_check(m, &c, &q, &r));
	assert_int_equal(r.ncells, 1);

	/* DL apart from UL: 300 + 20 = 320 of 400 at the limit, 320.001 over */
	q = req(0, 0, 20000, 0);
	assert_true(sd_admission_check(m, &c, &q, &r));
	q = req(0, 0, 20001, 0);
	assert_false(sd_admission_check(m, &c, &q, &r));
	expect_fail(&r, SD_ADM_CELL_DL, "cell a1 DL: 300.0 of 400.0 Mbit/s guaranteed, +20.001 "
		    "requested, limit 80 %");
	for (int i = 0; i < r.nfail; i++)
		assert_int_equal(r.fail[i].check, SD_ADM_CELL_DL);
	/* UL over and DL over at once: both directions named */
	q = req(0, 30000, 30000, 0);
	assert_false(sd_admission_check(m, &c, &q, &r));
	assert_int_equal(r.nfail, 4);
	expect_fail(&r, SD_ADM_CELL_UL, "a2 UL");
	expect_fail(&r, SD_ADM_CELL_DL, "a2 DL");

	/* a cell's own capacity wins over the zone's default */
	m->cells[0].ul_capacity_kbps = 200000;
	q = req(0, 20001, 0, 0);
	assert_false(sd_admission_check(m, &c, &q, &r));
	assert_int_equal(r.nfail, 1);
	expect_fail(&r, SD_ADM_CELL_UL, "cell a2 UL");
	/* the share is configurable */
	c.capacity_share_pct = 100;
	assert_true(sd_admission_check(m, &c, &q, &r));
	/* modifying "ul" itself: its 40 Mbit/s are replaced, not added to */
	c.capacity_share_pct = 80;
	q = req(0, 60000, 0, 0);
	q.slice_id = "ul";
	q.sites = (int[]){ 0 };
	q.nsites = 1;
	assert_true(sd_admission_check(m, &c, &q, &r));
	q.sla.gbr_ul_kbps = 60001;
	assert_false(sd_admission_check(m, &c, &q, &r));
	expect_fail(&r, SD_ADM_CELL_UL, "cell a2 UL: 20.0 of 100.0 Mbit/s guaranteed, +60.001");
	sd_model_free(m);
}

static void test_mode_security_sites(void **state)
{
	struct sd_model *m = zone();
	struct sd_slicing_conf c = conf();
	struct sd_adm_request q = req(1, 0, 0, 0);
	struct sd_adm_result r;
	int other_site = 0;
	/* virtual, grade 3: machine vision fails on mode and security */
	q.scenario = sd_scenario_find("machine-vision-qc");
	assert_false(sd_admission_check(m, &c, &q, &r));
	assert_int_equal(r.nfail, 2);
	expect_fail(&r, SD_ADM_MODE, "mode: scenario machine-vision-qc: its data stays on site");
	expect_fail(&r, SD_ADM_SECURITY, "security: scenario machine-vision-qc: security grade 3");
	/* an offered template, but a tightened bound on a virtual network */
	q.scenario = sd_scenario_find("predictive-maint");
	assert_true(sd_admission_check(m, &c, &q, &r));
	q.sla.latency_us = 10000;
	assert_false(sd_admission_check(m, &c, &q, &r));
	expect_fail(&r, SD_ADM_MODE, "mode: a 10 ms bound needs a local UPF (hybrid or independent "
		    "network); vi is virtual");
	q.sla.latency_us = 10001;
	assert_true(sd_admission_check(m, &c, &q, &r));
	/* hybrid takes it */
	q = req(0, 0, 0, 0);
	q.scenario = sd_scenario_find("machine-vision-qc");
	q.sla.latency_us = 1000;
	assert_true(sd_admission_check(m, &c, &q, &r));
	/* another factory's site */
	q = req(1, 0, 0, 0);
	q.sites = &other_site;
	q.nsites = 1;
	assert_false(sd_admission_check(m, &c, &q, &r));
	expect_fail(&r, SD_ADM_SITES, "sites: hy-a is not a site of vi");
	sd_model_free(m);
}

static void test_result_forms(void **state)
{
	struct sd_adm_result r;
	char buf[64], text[1024];
	json_t *j;
	struct sd_model *m = zone();
	struct sd_slicing_conf c = conf();
	struct sd_adm_request q = req(0, 90000, 0, 0);
	assert_string_equal(sd_adm_mbps(92000, buf, sizeof buf), "92.0");
	assert_string_equal(sd_adm_mbps(20001, buf, sizeof buf), "20.001");
	assert_string_equal(sd_adm_mbps(20010, buf, sizeof buf), "20.01");
	assert_string_equal(sd_adm_mbps(0, buf, sizeof buf), "0.0");
	assert_string_equal(sd_adm_mbps(1, buf, sizeof buf), "0.001");
	assert_false(sd_admission_check(m, &c, &q, &r));
	j = sd_adm_result_json(&r);
	assert_true(json_is_false(json_object_get(j, "admitted")));
	assert_int_equal(json_array_size(json_object_get(j, "failures")), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
		json_object_get(j, "failures"), 0), "check")), "cell_ul");
	assert_string_equal(json_string_value(json_object_get(j, "snssai")), "1-000010");
	json_decref(j);
	sd_adm_result_text(&r, text, sizeof text);
	assert_non_null(strstr(text, "cell a1 UL: 0.0 of 100.0 Mbit/s guaranteed, +90.0 requested, "
			       "limit 80 %; cell a2 UL"));
	sd_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sd_allocation),
		cmocka_unit_test(test_snssai_unique),
		cmocka_unit_test(test_contract_limits),
		cmocka_unit_test(test_capacity_edges),
		cmocka_unit_test(test_mode_security_sites),
		cmocka_unit_test(test_result_forms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

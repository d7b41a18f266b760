/* tests/unit/test_catalog.c — slicing/catalog.c: which templates a factory
 * is offered and why not (mode, level, security grade), the catalog's JSON
 * form, and the catalog's own consistency. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/qos5qi.h"
#include "core/util.h"
#include "slicing/catalog.h"
#include "slicing/scenario.h"

static struct sd_factory factory(const char *id, enum sd_pn_mode mode,
				 enum sd_factory_level level, int grade)
{
	struct sd_factory f;
	memset(&f, 0, sizeof f);
	sd_strlcpy(f.id, id, sizeof f.id);
	f.mode = mode;
	f.level = level;
	f.security_grade = grade;
	return f;
}

static const struct sd_scenario *sc(const char *id)
{
	const struct sd_scenario *s = sd_scenario_find(id);
	if (!s)
		fail_msg("no scenario %s", id);
	return s;
}

static void expect_reason(const struct sd_offer *o, enum sd_offer_rule rule, const char *text)
{
	int i;
	for (i = 0; i < o->nreasons; i++)
		if (o->rule[i] == rule && strstr(o->reason[i], text))
			return;
	for (i = 0; i < o->nreasons; i++)
		print_message("reason %d: %s\n", i, o->reason[i]);
	fail_msg("no reason of rule %d with \"%s\"", (int)rule, text);
}

static void test_catalog_consistent(void **state)
{
	size_t i;
	assert_int_equal(sd_scenario_count(), 20);
	for (i = 0; i < sd_scenario_count(); i++) {
		const struct sd_scenario *s = sd_scenario_at(i);
		assert_int_equal(s->number, (int)i + 1);
		assert_non_null(s->name_zh);
		assert_true(strlen(s->name_zh) > 0);
		assert_true(s->modes != 0);
		/* a guaranteed rate never exceeds the maximum */
		assert_true(s->sla.gbr_ul_kbps <= s->sla.mbr_ul_kbps);
		assert_true(s->sla.gbr_dl_kbps <= s->sla.mbr_dl_kbps || s->sla.mbr_dl_kbps == 0);
		/* a template that needs a local UPF is not offered to virtual networks */
		if (s->needs_local_upf)
			assert_false(sd_scenario_suits(s, SD_MODE_VIRTUAL));
		assert_non_null(sd_5qi_lookup(s->sla.fiveqi));
	}
	assert_null(sd_scenario_at(20));
}

static void test_mode_rule(void **state)
{
	struct sd_factory v = factory("vee", SD_MODE_VIRTUAL, SD_LEVEL_FACTORY, 1);
	struct sd_factory h = factory("aitch", SD_MODE_HYBRID, SD_LEVEL_FACTORY, 1);
	struct sd_factory ind = factory("eye", SD_MODE_INDEPENDENT, SD_LEVEL_FACTORY, 1);
	struct sd_offer o;

	/* 1 ms: below what any standard 5QI offers (5QI 85: 5 ms) */
	assert_false(sd_scenario_offer(sc("equipment-coop"), &v, &o));
	assert_int_equal(o.nreasons, 1);   /* line-level at grade 1: only the mode */
	expect_reason(&o, SD_OFFER_MODE, "1 ms bound is below what any standard 5QI offers "
		      "(the tightest, 5QI 85, has a 5 ms packet delay budget)");
	expect_reason(&o, SD_OFFER_MODE, "hybrid or independent networks only; vee is virtual");
	/* 10 ms exactly: needs a local UPF, but not below the 5QI's budget */
	assert_false(sd_scenario_offer(sc("collab-rd"), &v, &o));
	assert_int_equal(o.nreasons, 1);
	expect_reason(&o, SD_OFFER_MODE, "its 10 ms bound needs a local UPF");
	/* 50 ms, data stays on site */
	assert_false(sd_scenario_offer(sc("machine-vision-qc"), &v, &o));
	expect_reason(&o, SD_OFFER_MODE, "its data stays on site");
	/* beyond the fence: not for an independent network */
	assert_false(sd_scenario_offer(sc("logistics-monitoring"), &ind, &o));
	expect_reason(&o, SD_OFFER_MODE, "beyond the factory fence");
	expect_reason(&o, SD_OFFER_MODE, "virtual or hybrid networks only; eye is independent");
	/* and offered where it suits */
	assert_true(sd_scenario_offer(sc("logistics-monitoring"), &v, &o));
	assert_int_equal(o.nreasons, 0);
	assert_true(sd_scenario_offer(sc("machine-vision-qc"), &h, &o));
	assert_true(sd_scenario_offer(sc("equipment-coop"), &h, &o));
	/* offered, with a note: 1 ms is tighter than 5QI 82's budget */
	assert_non_null(strstr(o.note, "tighter than standard 5QI 82's 10 ms packet delay budget"));
	assert_true(sd_scenario_offer(sc("enterprise-collab"), &ind, &o));
	assert_string_equal(o.note, "");
}

static void test_levels_inform(void **state)
{
	struct sd_factory line = factory("l", SD_MODE_HYBRID, SD_LEVEL_LINE, 1);
	struct sd_offer o;
	assert_true(sd_level_suits(SD_LEVEL_LINE, SD_LEVEL_LINE));
	assert_true(sd_level_suits(SD_LEVEL_LINE, SD_LEVEL_FACTORY));
	assert_false(sd_level_suits(SD_LEVEL_WORKSHOP, SD_LEVEL_LINE));
	/* the level is shown, not enforced */
	assert_true(sd_scenario_offer(sc("remote-control"), &line, &o));
	assert_true(sd_scenario_offer(sc("enterprise-collab"), &line, &o));
}

static void test_security_rule(void **state)
{
	struct sd_factory g3 = factory("g3", SD_MODE_VIRTUAL, SD_LEVEL_FACTORY, 3);
	struct sd_factory g2 = factory("g2", SD_MODE_VIRTUAL, SD_LEVEL_FACTORY, 2);
	struct sd_factory h3 = factory("h3", SD_MODE_HYBRID, SD_LEVEL_FACTORY, 3);
	struct sd_offer o;
	/* workshop-level sensor data over a shared core: grade 2 yes, grade 3 no */
	assert_true(sd_scenario_offer(sc("fault-diagnosis"), &g2, &o));
	assert_false(sd_scenario_offer(sc("fault-diagnosis"), &g3, &o));
	assert_int_equal(o.nreasons, 1);
	expect_reason(&o, SD_OFFER_SECURITY, "security grade 3: workshop-level production data");
	/* factory-level templates stay offered at grade 3; hybrid is not tightened */
	assert_true(sd_scenario_offer(sc("predictive-maint"), &g3, &o));
	assert_true(sd_scenario_offer(sc("fault-diagnosis"), &h3, &o));
	/* every failed rule is named, not only the first */
	assert_false(sd_scenario_offer(sc("machine-vision-qc"), &g3, &o));
	assert_int_equal(o.nreasons, 2);
	expect_reason(&o, SD_OFFER_MODE, "stays on site");
	expect_reason(&o, SD_OFFER_SECURITY, "line-level");
}

static void test_json(void **state)
{
	struct sd_factory v = factory("vee", SD_MODE_VIRTUAL, SD_LEVEL_WORKSHOP, 1);
	json_t *o = sd_scenario_json(sc("machine-vision-qc"), NULL);
	json_t *levels, *modes;
	assert_string_equal(json_string_value(json_object_get(o, "id")), "machine-vision-qc");
	assert_string_equal(json_string_value(json_object_get(o, "name_zh")), "机器视觉质检");
	assert_string_equal(json_string_value(json_object_get(o, "name")),
			    "Machine-vision quality inspection");
	assert_int_equal(json_integer_value(json_object_get(o, "number")), 6);
	assert_int_equal(json_integer_value(json_object_get(o, "sst")), 1);
	assert_int_equal(json_integer_value(json_object_get(o, "fiveqi")), 4);
	assert_int_equal(json_integer_value(json_object_get(o, "gbr_ul_kbps")), 20000);
	assert_int_equal(json_integer_value(json_object_get(o, "mbr_ul_kbps")), 100000);
	assert_int_equal(json_integer_value(json_object_get(o, "gbr_dl_kbps")), 0);
	assert_int_equal(json_integer_value(json_object_get(o, "mbr_dl_kbps")), 1000);
	assert_true(json_real_value(json_object_get(o, "latency_ms")) == 50.0);
	assert_true(json_real_value(json_object_get(o, "latency_pct")) == 99.99);
	assert_true(json_real_value(json_object_get(o, "availability_pct")) == 99.99);
	assert_true(json_real_value(json_object_get(o, "reliability_pct")) == 99.99);
	assert_int_equal(json_integer_value(json_object_get(o, "max_ues")), 50);
	levels = json_object_get(o, "levels");
	assert_int_equal(json_array_size(levels), 3);
	modes = json_object_get(o, "modes");
	assert_int_equal(json_array_size(modes), 2);
	assert_string_equal(json_string_value(json_array_get(modes, 0)), "hybrid");
	assert_null(json_object_get(o, "offered"));   /* no factory: no judgement */
	json_decref(o);

	o = sd_scenario_json(sc("machine-vision-qc"), &v);
	assert_true(json_is_false(json_object_get(o, "offered")));
	assert_string_equal(json_string_value(json_object_get(o, "factory")), "vee");
	assert_int_equal(json_array_size(json_object_get(o, "reasons")), 1);
	/* 50 ms against 5QI 4's 300 ms */
	assert_non_null(strstr(json_string_value(json_object_get(o, "note")), "300 ms"));
	json_decref(o);
	o = sd_scenario_json(sc("fault-diagnosis"), &v);
	assert_true(json_is_true(json_object_get(o, "offered")));
	assert_int_equal(json_array_size(json_object_get(o, "reasons")), 0);
	assert_true(json_is_null(json_object_get(o, "note")));
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalog_consistent),
		cmocka_unit_test(test_mode_rule),
		cmocka_unit_test(test_levels_inform),
		cmocka_unit_test(test_security_rule),
		cmocka_unit_test(test_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

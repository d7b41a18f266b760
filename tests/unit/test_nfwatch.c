/* tests/unit/test_nfwatch.c — monitor/nfwatch.c: an NF row that vanishes
 * raises nf-lost, a new instance of the type clears it, a replacement in
 * the same second raises nothing, a stale inventory loses nothing; a
 * slice without a serving SMF gets its alarm and loses it again; the
 * significant-digit formatter the alarm texts use. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/util.h"
#include "monitor/alarm.h"
#include "monitor/nfwatch.h"
#include "monitor/sla.h"

struct count {
	int lost, slice;
};

static void count_one(const struct sd_alarm *a, void *arg)
{
	struct count *c = arg;
	if (a->severity == SD_SEV_CLEARED)
		return;
	c->lost += strcmp(a->problem, "nf-lost") == 0;
	c->slice += strcmp(a->problem, "no-serving-SMF") == 0;
}

static struct count active(struct sd_alarms *am)
{
	struct count c = { 0, 0 };
	sd_alarms_each(am, false, count_one, &c);
	return c;
}

static void set_nf(struct sd_nf_instance *nf, const char *id, const char *type, const char *name)
{
	memset(nf, 0, sizeof *nf);
	sd_strlcpy(nf->id, id, sizeof nf->id);
	sd_strlcpy(nf->type, type, sizeof nf->type);
	sd_strlcpy(nf->name, name, sizeof nf->name);
	nf->status = SD_NF_REGISTERED;
	nf->reachable = true;
}

static void tick(struct sd_nfwatch *w, struct sd_sla_usable *u, struct sd_model *m, int64_t t)
{
	sd_sla_usable_build(u, m);
	sd_nfwatch_tick(w, m, u, t);
}

static void test_lost_and_replaced(void **st)
{
	(void)st;
	char err[128];
	struct sd_alarm_conf ac;
	struct sd_nf_instance nfs[3];
	struct sd_slice sl;
	struct sd_model m;
	struct sd_sla_usable u;
	struct sd_alarms *am;
	struct sd_nfwatch *w;

	sd_alarm_conf_default(&ac);
	am = sd_alarms_new(&ac, NULL, err, sizeof err);
	assert_non_null(am);
	w = sd_nfwatch_new(am);
	sd_sla_usable_init(&u);
	memset(&sl, 0, sizeof sl);
	sd_strlcpy(sl.id, "s1", sizeof sl.id);
	sl.snssai.sst = 1;
	sl.state = SD_SLICE_ACTIVE;
	sl.factory = -1;
	memset(&m, 0, sizeof m);
	set_nf(&nfs[0], "id-amf-1", "AMF", "");
	set_nf(&nfs[1], "id-smf-1", "SMF", "");
	m.nfs = nfs;
	m.nnfs = 2;
	m.slices = &sl;
	m.nslices = 1;

	tick(w, &u, &m, 1000);
	assert_int_equal(active(am).lost, 0);
	assert_int_equal(active(am).slice, 0);

	/* a stale inventory (NRF outage): nothing is lost, nothing judged */
	nfs[0].stale = nfs[1].stale = true;
	nfs[0].reachable = nfs[1].reachable = false;
	tick(w, &u, &m, 2000);
	assert_int_equal(active(am).lost, 0);
	assert_int_equal(active(am).slice, 0);
	nfs[0].stale = nfs[1].stale = false;
	nfs[0].reachable = nfs[1].reachable = true;
	tick(w, &u, &m, 3000);

	/* the only SMF deleted from the NRF: NF lost, and the slice has none */
	m.nnfs = 1;
	tick(w, &u, &m, 4000);
	assert_int_equal(active(am).lost, 1);
	assert_int_equal(active(am).slice, 1);
	assert_int_equal(sd_nfwatch_lost_count(w), 1);
	tick(w, &u, &m, 5000);   /* still gone: still one of each */
	assert_int_equal(active(am).lost, 1);

	/* back under a new instance id: both cleared */
	set_nf(&nfs[1], "id-smf-2", "SMF", "");
	m.nnfs = 2;
	tick(w, &u, &m, 6000);
	assert_int_equal(active(am).lost, 0);
	assert_int_equal(active(am).slice, 0);

	/* the AMF restarts within one second (old id gone, new one there):
	 * a replacement, no alarm */
	set_nf(&nfs[0], "id-amf-2", "AMF", "");
	tick(w, &u, &m, 7000);
	assert_int_equal(active(am).lost, 0);

	/* named NFs: a new instance of another name does not replace it */
	set_nf(&nfs[2], "id-pcf-a", "PCF", "pcf-a");
	m.nnfs = 3;
	tick(w, &u, &m, 8000);
	set_nf(&nfs[2], "id-pcf-b", "PCF", "pcf-b");
	tick(w, &u, &m, 9000);
	assert_int_equal(active(am).lost, 1);
	set_nf(&nfs[2], "id-pcf-a2", "PCF", "pcf-a");
	tick(w, &u, &m, 10000);
	/* pcf-b is lost now, pcf-a came back */
	assert_int_equal(active(am).lost, 1);

	sd_nfwatch_free(w);
	/* a new watcher takes over the active alarms (a restart) */
	w = sd_nfwatch_new(am);
	assert_int_equal(sd_nfwatch_lost_count(w), 1);
	set_nf(&nfs[2], "id-pcf-c", "PCF", "pcf-c");
	tick(w, &u, &m, 11000);
	tick(w, &u, &m, 12000);
	set_nf(&nfs[2], "id-pcf-d", "PCF", "");
	tick(w, &u, &m, 13000);
	sd_nfwatch_free(w);
	sd_sla_usable_done(&u);
	sd_alarms_free(am);
}

static void test_fmt_sig(void **st)
{
	(void)st;
	char b[32];
	assert_string_equal(sd_fmt_sig(99.99, b, sizeof b), "99.99");
	assert_string_equal(sd_fmt_sig(99.9999, b, sizeof b), "99.9999");
	assert_string_equal(sd_fmt_sig(1e-06, b, sizeof b), "1e-06");
	assert_string_equal(sd_fmt_sig(100, b, sizeof b), "100");
	assert_string_equal(sd_fmt_sig(0, b, sizeof b), "0");
	assert_string_equal(sd_fmt_sig(12.5, b, sizeof b), "12.5");
	assert_string_equal(sd_fmt_sig(99.99999, b, sizeof b), "99.99999");
	assert_string_equal(sd_fmt_sig(0.0 / 0.0, b, sizeof b), "-");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lost_and_replaced),
		cmocka_unit_test(test_fmt_sig),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* tests/unit/test_collect.c — the collectors (monitor/collect.c), their
 * subscriptions (monitor/subscription.c) and the model's NF rows
 * (core/model_nf.c), against a real slicedeck-sim on this process's loop
 * (HTTP/2 on loopback) and, for what the simulator will not do (a list
 * naming an id twice, a profile naming another id, a foreign Location),
 * against small fake NFs on core/sbi_server.c.
 *
 * The simulator's model time is pinned, so what it reports (UEs, PDU
 * sessions, load, availability) is constant and compared exactly. Nothing
 * asserts on elapsed time; every wait is bounded.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/bus.h"
#include "core/config.h"
#include "core/host.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/model.h"
#include "core/model_nf.h"
#include "core/sbi_client.h"
#include "core/sbi_server.h"
#include "core/util.h"
#include "monitor/collect.h"
#include "monitor/kpi.h"
#include "monitor/subscription.h"
#include "sim/model.h"
#include "sim/sim.h"

/* Monday 2026-11-23 10:00 in UTC+8: the day shift. */
#define DAY_SHIFT_MS (1795363200000LL + 10 * 3600000LL)

/* --- a hand-built zone (as in test_sim.c) ---------------------------------- */

static struct sd_model *zone(void)
{
	struct sd_model *m = sd_calloc(1, sizeof *m);
	int i;
	strcpy(m->plmn.mcc, "001");
	strcpy(m->plmn.mnc, "01");
	m->nfactories = 2;
	m->factories = sd_calloc(2, sizeof *m->factories);
	strcpy(m->factories[0].id, "f-hyb");
	m->factories[0].mode = SD_MODE_HYBRID;
	strcpy(m->factories[1].id, "f-vir");
	m->factories[1].mode = SD_MODE_VIRTUAL;
	m->nsites = 2;
	m->sites = sd_calloc(2, sizeof *m->sites);
	strcpy(m->sites[0].id, "hall");
	m->sites[0].factory = 0;
	m->sites[0].width_m = m->sites[0].height_m = 400;
	strcpy(m->sites[1].id, "line");
	m->sites[1].factory = 1;
	m->sites[1].width_m = m->sites[1].height_m = 200;
	m->ncells = 3;
	m->cells = sd_calloc(3, sizeof *m->cells);
	m->cells[0] = (struct sd_cell){ .id = "c1", .site = 0, .nci = 0x0a1001001, .tac = 0x101,
					.x_m = 100, .y_m = 100 };
	m->cells[1] = (struct sd_cell){ .id = "c2", .site = 0, .nci = 0x0a1001002, .tac = 0x101,
					.x_m = 300, .y_m = 100 };
	m->cells[2] = (struct sd_cell){ .id = "c3", .site = 1, .nci = 0x0a1002001, .tac = 0x102,
					.x_m = 50, .y_m = 40 };
	m->nslices = 3;
	m->slices = sd_calloc(3, sizeof *m->slices);
	strcpy(m->slices[0].id, "rc");
	m->slices[0].snssai = (struct sd_snssai){ .sst = 2, .has_sd = true, .sd = 1 };
	m->slices[0].sla.latency_us = 10000;
	m->slices[0].sla.max_ues = 20;
	strcpy(m->slices[0].dnn, "hyb.mec");
	strcpy(m->slices[1].id, "vision");
	m->slices[1].snssai = (struct sd_snssai){ .sst = 1, .has_sd = true, .sd = 2 };
	m->slices[1].sla.mbr_dl_kbps = 400000;
	strcpy(m->slices[2].id, "meter");
	m->slices[2].snssai = (struct sd_snssai){ .sst = 3, .has_sd = true, .sd = 3 };
	m->slices[2].factory = 1;
	m->slices[2].state = SD_SLICE_REQUESTED;
	for (i = 0; i < 3; i++) {
		m->slices[i].sites = sd_calloc(1, sizeof(int));
		m->slices[i].nsites = 1;
		m->slices[i].sites[0] = i == 2 ? 1 : 0;
		if (i < 2)
			m->slices[i].state = SD_SLICE_ACTIVE;
	}
	sd_model_reindex(m);
	sd_model_reset_live(m);
	return m;
}

/* --- the fixture: sim + notification server + bus + collector --------------- */

#define MAX_EV 4096

struct ev {
	unsigned topic;
	char id[64];
	bool removed;
	bool refresh;
};

struct fx {
	struct sd_loop *loop;
	struct sd_model *sim_model, *model;
	struct sd_config cfg;
	struct sd_sim *sim;
	struct sd_sbi_server *srv;
	struct sd_bus *bus;
	struct sd_host host;
	char notify_root[128];
	struct sd_collect *c;
	/* what the bus carried */
	struct ev evs[MAX_EV];
	int nev, nev_all;            /* model events kept / with id "" */
	int samples[SD_KPI_METRIC_COUNT];
	int cell_samples;
};

static const struct sd_config *h_config(void *arg) { return &((struct fx *)arg)->cfg; }
static struct sd_model *h_model(void *arg) { return ((struct fx *)arg)->model; }
static const char *h_notify_root(void *arg) { return ((struct fx *)arg)->notify_root; }

static void on_bus(const struct sd_bus_event *ev, void *arg)
{
	struct fx *f = arg;
	if (ev->kind == SD_BUS_MODEL) {
		if (!ev->u.model.id[0])
			f->nev_all++;
		if (f->nev < MAX_EV) {
			f->evs[f->nev].topic = ev->u.model.topic;
			sd_strlcpy(f->evs[f->nev].id, ev->u.model.id, sizeof f->evs[0].id);
			f->evs[f->nev].removed = ev->u.model.removed;
			f->evs[f->nev].refresh = ev->u.model.refresh;
			f->nev++;
		}
	} else if (ev->kind == SD_BUS_SAMPLE) {
		if (ev->u.sample.cell_index >= 0)
			f->cell_samples++;
		else if (ev->u.sample.metric >= 0 && ev->u.sample.metric < SD_KPI_METRIC_COUNT)
			f->samples[ev->u.sample.metric]++;
	}
}

static int nf_events(const struct fx *f, int from)
{
	int i, n = 0;
	for (i = from; i < f->nev; i++)
		n += f->evs[i].topic == SD_TOPIC_NFS && !f->evs[i].refresh;
	return n;
}

/* Start the sim (model time pinned to the day shift) and the notification
 * server; the collector is made by start_collector. */
static struct fx *fx_new(int hb_s)
{
	struct fx *f = sd_calloc(1, sizeof *f);
	struct sd_sim_opts o = { .seed = 42, .listen = "127.0.0.1:0", .hb_timer_s = hb_s,
				 .utc_offset_min = 480 };
	struct sd_sbi_server_conf sc = { .listen = "127.0.0.1:0" };
	char err[256];

	f->loop = sd_loop_new();
	f->sim_model = zone();
	f->model = zone();
	f->sim = sd_sim_new(f->loop, f->sim_model, &o);
	f->sim->fixed_time_ms = DAY_SHIFT_MS;
	assert_int_equal(sd_sim_start(f->sim, err, sizeof err), 0);
	f->srv = sd_sbi_server_new(f->loop, &sc, err, sizeof err);
	assert_non_null(f->srv);
	sd_strlcpy(f->notify_root, sd_sbi_server_api_root(f->srv), sizeof f->notify_root);
	f->bus = sd_bus_new(f->loop);
	sd_bus_subscribe(f->bus, SD_BUS_BIT(SD_BUS_MODEL) | SD_BUS_BIT(SD_BUS_SAMPLE), on_bus, f);
	sd_strlcpy(f->cfg.sbi.nrf_api_root, f->sim->api_root, sizeof f->cfg.sbi.nrf_api_root);
	f->cfg.sbi.timeout_ms = 2000;
	f->cfg.sbi.retries = 1;
	f->cfg.sbi.poll_interval_s = 1;
	f->cfg.sbi.tls.verify = true;
	f->host = (struct sd_host){ .loop = f->loop, .bus = f->bus, .sbi = f->srv,
				    .config = h_config, .model = h_model,
				    .notify_root = h_notify_root, .arg = f };
	return f;
}

static void start_collector(struct fx *f, int validity_s)
{
	char err[256];
	f->c = sd_collect_new(&f->host, err, sizeof err);
	assert_non_null(f->c);
	if (validity_s)
		sd_collect_set_sub_timing(f->c, validity_s, 100, 1000);
}

static void fx_free(struct fx *f)
{
	sd_collect_free(f->c);
	sd_sbi_server_free(f->srv);
	sd_sim_free(f->sim);
	sd_bus_free(f->bus);
	sd_model_nfs_clear(f->model);
	sd_model_free(f->model);
	sd_model_free(f->sim_model);
	sd_loop_free(f->loop);
	free(f);
}

/* Run the loop until cond holds, at most max_ms. */
typedef bool (*cond_fn)(struct fx *f);
static bool run_until(struct fx *f, cond_fn cond, int max_ms)
{
	int64_t end = sd_now_ms() + max_ms;
	while (!cond(f)) {
		if (sd_now_ms() >= end)
			return false;
		sd_loop_once(f->loop, 20);
	}
	return true;
}

static void run_for(struct fx *f, int ms)
{
	int64_t end = sd_now_ms() + ms;
	while (sd_now_ms() < end)
		sd_loop_once(f->loop, 20);
}

static const struct sd_nf_instance *nf_named(struct fx *f, const char *name)
{
	const struct sd_sim_nf *s = sd_sim_nf_by_name(f->sim, name);
	int i = s ? sd_model_nf_find(f->model, s->id) : -1;
	return i >= 0 ? &f->model->nfs[i] : NULL;
}

static int sim_subs(struct fx *f, enum sd_sim_sub_kind k) { return sd_sim_sub_count(f->sim, k); }

static struct sd_sim_sub *sim_sub(struct fx *f, enum sd_sim_sub_kind k)
{
	int i;
	for (i = 0; i < SD_SIM_MAX_SUBS; i++)
		if (f->sim->subs[i].used && f->sim->subs[i].kind == k)
			return &f->sim->subs[i];
	return NULL;
}

/* The collector holds its subscriptions (at the NRF one per NF type it
 * watches) and the sim exactly those. */
static bool one_each(struct fx *f)
{
	struct sd_collect_stats st;
	sd_collect_stats(f->c, &st);
	return st.nrf_subscribed && st.nssf_subscribed && st.amf_subscribed &&
	       st.smf_subscribed && st.nrf_subs_wanted > 1 &&
	       st.nrf_subs == st.nrf_subs_wanted && sim_subs(f, SD_SUB_NRF) == st.nrf_subs &&
	       sim_subs(f, SD_SUB_NSSF) == 1 &&
	       sim_subs(f, SD_SUB_AMF) == 1 && sim_subs(f, SD_SUB_SMF) == 1;
}

/* Every active slice's live state is what the sim reports: UEs (AMF),
 * PDU sessions (the SMF subscription's reports), load level (NWDAF),
 * tracking areas offered (NSSF). */
static bool live_matches(struct fx *f)
{
	struct sd_sim_sub *smf = sim_sub(f, SD_SUB_SMF);
	int i;
	if (!smf || !smf->sessions || sim_subs(f, SD_SUB_SMF) != 1)
		return false;
	for (i = 0; i < f->model->nslices; i++) {
		const struct sd_slice_live *l = &f->model->slices[i].live;
		struct sd_sim_kpi k;
		if (f->model->slices[i].state != SD_SLICE_ACTIVE)
			continue;
		sd_sim_kpi(f->sim, i, &k);
		if (l->ues != k.ues || l->pdu_sessions != smf->sessions[i] ||
		    l->pdu_sessions != k.pdu_sessions ||
		    l->load_level != (int)lround(k.load * 100.0) ||
		    l->tas_total != 1 || l->tas_available != 1 || l->delay_ms <= 0)
			return false;
	}
	return true;
}

static void dump_live(struct fx *f)
{
	struct sd_sim_sub *smf = sim_sub(f, SD_SUB_SMF);
	int i;
	for (i = 0; i < f->model->nslices; i++) {
		const struct sd_slice_live *l = &f->model->slices[i].live;
		struct sd_sim_kpi k;
		sd_sim_kpi(f->sim, i, &k);
		fprintf(stderr, "slice %s: engine ues %ld pdu %ld load %d tas %d/%d delay %.1f; "
			"sim ues %d pdu %d (reported %d) load %d\n", f->model->slices[i].id, l->ues,
			l->pdu_sessions, l->load_level, l->tas_available, l->tas_total, l->delay_ms,
			k.ues, k.pdu_sessions, smf && smf->sessions ? smf->sessions[i] : -1,
			(int)lround(k.load * 100.0));
	}
}

/* Two reports of the SMF subscription the collector holds now have been
 * counted (its first one lists every session). */
static unsigned smf_gen_seen;
static bool smf_reports_counted(struct fx *f)
{
	struct sd_collect_stats st;
	sd_collect_stats(f->c, &st);
	return st.smf_generation != smf_gen_seen && st.smf_reports >= 2;
}

static bool discovered(struct fx *f)
{
	return f->model->nnfs == f->sim->nnfs && nf_named(f, "nwdaf") &&
	       nf_named(f, "amf") && nf_named(f, "smf-1");
}

static void fake_any(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg);

/* --- core/model_nf.c --------------------------------------------------------- */

static void mk_nf(struct sd_nf_instance *nf, const char *id, const char *source, int load)
{
	struct sd_snssai sn[2] = { { .sst = 1, .has_sd = true, .sd = 1 }, { .sst = 2 } };
	sd_nf_instance_init(nf);
	sd_strlcpy(nf->id, id, sizeof nf->id);
	sd_strlcpy(nf->type, "SMF", sizeof nf->type);
	sd_strlcpy(nf->source, source, sizeof nf->source);
	nf->load = load;
	sd_nf_snssais_set(nf, sn, 2);
}

struct changes {
	char ids[16][40];
	enum sd_nf_change what[16];
	int n, removed;
};

static void on_change(void *arg, const char *id, enum sd_nf_change what)
{
	struct changes *c = arg;
	if (what == SD_NF_REMOVED) {
		c->removed++;
		return;
	}
	assert_true(c->n < 16);
	sd_strlcpy(c->ids[c->n], id, sizeof c->ids[0]);
	c->what[c->n++] = what;
}

static void test_model_nf(void **state)
{
	struct sd_model m = { 0 };
	struct sd_nf_instance a, b, list[4];
	struct changes ch = { .n = 0 };
	enum sd_nf_change w;
	struct sd_snssai probe = { .sst = 2 };
	int i;
	(void)state;

	/* copies own their S-NSSAIs */
	mk_nf(&a, "a", "nrf", 10);
	sd_nf_instance_copy(&b, &a);
	assert_ptr_not_equal(a.snssais, b.snssais);
	assert_true(sd_nf_instance_same(&a, &b));
	assert_true(sd_nf_serves(&b, &probe));
	b.last_seen_ms = 99;         /* not a change */
	assert_true(sd_nf_instance_same(&a, &b));
	sd_nf_instance_done(&b);
	assert_null(b.snssais);

	/* upsert / find / same again / changed */
	assert_int_equal(sd_model_nf_upsert(&m, &a, &w), 0);
	assert_int_equal(w, SD_NF_ADDED);
	assert_int_equal(sd_model_nf_upsert(&m, &a, &w), 0);
	assert_int_equal(w, SD_NF_UNCHANGED);
	/* seen again later: the row takes the time and says so */
	a.last_seen_ms += 10000;
	assert_int_equal(sd_model_nf_upsert(&m, &a, &w), 0);
	assert_int_equal(w, SD_NF_SEEN);
	assert_int_equal(m.nfs[0].last_seen_ms, a.last_seen_ms);
	a.load = 11;
	sd_model_nf_upsert(&m, &a, &w);
	assert_int_equal(w, SD_NF_CHANGED);
	assert_int_equal(m.nfs[0].load, 11);
	assert_ptr_not_equal(m.nfs[0].snssais, a.snssais);
	/* another source may not take it */
	sd_strlcpy(a.source, "plugin", sizeof a.source);
	assert_int_equal(sd_model_nf_upsert(&m, &a, &w), -1);
	assert_int_equal(w, SD_NF_REFUSED);
	sd_nf_instance_done(&a);
	mk_nf(&a, "p1", "plugin", 5);
	sd_model_nf_upsert_move(&m, &a, &w);
	assert_int_equal(w, SD_NF_ADDED);
	assert_null(a.snssais);      /* moved */

	/* many rows: the index keeps up (O(1) lookups, no linear scan needed) */
	for (i = 0; i < 2000; i++) {
		char id[40];
		snprintf(id, sizeof id, "n%04d", i);
		mk_nf(&a, id, "nrf", i % 100);
		sd_model_nf_upsert_move(&m, &a, NULL);
	}
	assert_int_equal(m.nnfs, 2002);
	assert_int_equal(sd_model_nf_find(&m, "n1234"), 2 + 1234);
	assert_int_equal(sd_model_nf_find(&m, "p1"), 1);
	assert_int_equal(sd_model_nf_find(&m, "nope"), -1);
	assert_true(sd_model_nf_remove(&m, "nrf", "n0000"));
	assert_false(sd_model_nf_remove(&m, "nrf", "p1"));    /* not the NRF's */
	assert_int_equal(sd_model_nf_find(&m, "n1234"), 2 + 1233);

	/* replace the NRF's set: a (changed), n0001 (same), c (new), a twice;
	 * every other NRF row goes; the plugin's row stays */
	mk_nf(&list[0], "a", "nrf", 12);
	mk_nf(&list[1], "n0001", "nrf", 1);
	mk_nf(&list[2], "c", "nrf", 3);
	mk_nf(&list[3], "a", "nrf", 13);      /* the last one wins */
	i = sd_model_nf_replace_source(&m, "nrf", list, 4, on_change, &ch);
	assert_int_equal(m.nnfs, 4);
	assert_int_equal(i, 1998 + 2);          /* 1998 removed, a changed, c added */
	assert_int_equal(m.nfs[sd_model_nf_find(&m, "a")].load, 13);
	assert_int_equal(sd_model_nf_find(&m, "p1"), 1);
	assert_true(sd_model_nf_find(&m, "n0001") >= 0);
	assert_int_equal(sd_model_nf_find(&m, "n0002"), -1);
	for (i = 0; i < 4; i++)
		assert_null(list[i].snssais);        /* consumed */
	/* the callback heard each change once; n0001 (unchanged) not at all */
	{
		int changed = 0, added = 0, k;
		for (k = 0; k < ch.n; k++) {
			changed += ch.what[k] == SD_NF_CHANGED && !strcmp(ch.ids[k], "a");
			added += ch.what[k] == SD_NF_ADDED && !strcmp(ch.ids[k], "c");
			assert_string_not_equal(ch.ids[k], "n0001");
		}
		assert_int_equal(ch.removed, 1998);
		assert_int_equal(ch.n, 2);
		assert_int_equal(changed, 1);
		assert_int_equal(added, 1);
	}
	/* the same cycle again changes nothing */
	ch.n = ch.removed = 0;
	mk_nf(&list[0], "a", "nrf", 13);
	mk_nf(&list[1], "n0001", "nrf", 1);
	mk_nf(&list[2], "c", "nrf", 3);
	assert_int_equal(sd_model_nf_replace_source(&m, "nrf", list, 3, on_change, &ch), 0);
	assert_int_equal(ch.n + ch.removed, 0);
	/* an array moved behind the index's back: lookups stay right */
	{
		struct sd_nf_instance *moved = sd_calloc((size_t)m.nnfs, sizeof *moved);
		memcpy(moved, m.nfs, (size_t)m.nnfs * sizeof *moved);
		free(m.nfs);
		m.nfs = moved;
		assert_int_equal(sd_model_nf_find(&m, "c"), 3);
		sd_model_nf_reindex(&m);
		assert_int_equal(sd_model_nf_find(&m, "c"), 3);
	}
	sd_model_nfs_clear(&m);
	assert_null(m.nfs);
	assert_null(m.nf_index);
}

/* --- against the simulator ------------------------------------------------------- */

/* Discovery, live data equal to the sim's, per-object bus events, samples,
 * and an NRF cycle that changes nothing publishes nothing. */
static void test_live_from_sim(void **state)
{
	struct fx *f = fx_new(10);
	struct sd_collect_stats st;
	int i, before, cycles;
	(void)state;

	start_collector(f, 0);
	assert_true(run_until(f, discovered, 10000));
	for (i = 0; i < f->model->nnfs; i++) {
		assert_string_equal(f->model->nfs[i].source, "nrf");
		assert_int_equal(sd_model_nf_find(f->model, f->model->nfs[i].id), i);
		assert_true(f->model->nfs[i].reachable);
	}
	/* the SMFs list the zone's S-NSSAIs (heap, through model_nf) */
	assert_true(nf_named(f, "smf-1")->nsnssais >= 2);
	assert_true(run_until(f, one_each, 10000));
	if (!run_until(f, live_matches, 15000))
		dump_live(f);
	assert_true(live_matches(f));
	/* per object, never "everything" */
	assert_int_equal(f->nev_all, 0);
	assert_true(f->samples[SD_KPI_UES] > 0);
	assert_true(f->samples[SD_KPI_PDU_SESSIONS] > 0);
	assert_true(f->samples[SD_KPI_LATENCY] > 0);
	assert_true(f->cell_samples > 0);

	/* the sim's state is pinned: two more NRF cycles change no NF */
	sd_collect_stats(f->c, &st);
	cycles = (int)st.nrf_cycles;
	before = f->nev;
	for (i = 0; i < 300; i++) {
		sd_collect_stats(f->c, &st);
		if ((int)st.nrf_cycles >= cycles + 2)
			break;
		sd_loop_once(f->loop, 20);
	}
	assert_true((int)st.nrf_cycles >= cycles + 2);
	assert_int_equal(nf_events(f, before), 0);
	/* but each NF seen again is a refresh (its last_seen_ms for HB_AGE) */
	{
		int k, refreshes = 0;
		for (k = before; k < f->nev; k++)
			refreshes += f->evs[k].topic == SD_TOPIC_NFS && f->evs[k].refresh;
		assert_true(refreshes >= f->model->nnfs);
	}
	fx_free(f);
}

/* An NF's `reachable` is what the SBI client's own requests to that
 * instance say, not just "registered": the NWDAF's streams are reset, so
 * it stays REGISTERED at the NRF but becomes unreachable; the NWDAF poll
 * backs off meanwhile, and both recover when the fault clears. */
static bool nwdaf_unreachable(struct fx *f)
{
	const struct sd_nf_instance *nf = nf_named(f, "nwdaf");
	return nf && nf->status == SD_NF_REGISTERED && !nf->reachable && !nf->stale;
}
static bool nwdaf_reachable(struct fx *f)
{
	const struct sd_nf_instance *nf = nf_named(f, "nwdaf");
	struct sd_collect_stats st;
	sd_collect_stats(f->c, &st);
	return nf && nf->reachable && st.nwdaf_backoff_ms == 0;
}

static bool nwdaf_backing_off(struct fx *f)
{
	struct sd_collect_stats st;
	sd_collect_stats(f->c, &st);
	return st.nwdaf_backoff_ms > 0;
}

static void test_reachable_follows_probes(void **state)
{
	struct fx *f = fx_new(10);
	struct sd_collect_stats st, st2;
	char err[256];
	int polls;
	(void)state;

	start_collector(f, 0);
	assert_true(run_until(f, discovered, 10000));
	assert_true(run_until(f, nwdaf_reachable, 5000));
	assert_true(sd_sim_fault_add(f->sim, "rst-stream:path=/nnwdaf-analyticsinfo", err,
				     sizeof err) > 0);
	assert_true(run_until(f, nwdaf_unreachable, 15000));
	/* the AMF, which answers, is still reachable */
	assert_true(nf_named(f, "amf")->reachable);
	/* backoff: over 6 s of failures (interval 1 s) far fewer than 6 polls */
	assert_true(run_until(f, nwdaf_backing_off, 5000));
	sd_collect_stats(f->c, &st);
	polls = (int)st.nwdaf_polls;
	run_for(f, 6000);
	sd_collect_stats(f->c, &st2);
	assert_true(st2.nwdaf_polls - (unsigned)polls <= 3);
	assert_true(st2.nwdaf_failures > st.nwdaf_failures - 1);
	/* recovery: the probe succeeds, reachable again, backoff gone */
	sd_sim_fault_clear(f->sim, 0);
	assert_true(run_until(f, nwdaf_reachable, 40000));
	fx_free(f);
}

/* Subscriptions: one of each kind; renewed before their (3 s) validity
 * ends, so the sim still holds them long after; a reload that changes
 * nothing keeps them; a reload that changes the reporting period
 * re-creates AMF and SMF and deletes the old ones, with the PDU session
 * count still equal to the sim's; shutdown deletes them all. */
static void test_subscriptions_lifecycle(void **state)
{
	struct fx *f = fx_new(10);
	struct sd_collect_stats st;
	char nrf_id[24], nssf_id[24], amf_id[24], smf_id[24];
	int k;
	(void)state;

	start_collector(f, 3);
	assert_true(run_until(f, one_each, 10000));
	sd_strlcpy(nrf_id, sim_sub(f, SD_SUB_NRF)->id, sizeof nrf_id);
	sd_strlcpy(nssf_id, sim_sub(f, SD_SUB_NSSF)->id, sizeof nssf_id);
	sd_strlcpy(amf_id, sim_sub(f, SD_SUB_AMF)->id, sizeof amf_id);
	sd_strlcpy(smf_id, sim_sub(f, SD_SUB_SMF)->id, sizeof smf_id);
	/* the sim grants what was asked for: it would expire in ~3 s */
	assert_true(sim_sub(f, SD_SUB_SMF)->expiry_wall - sd_wall_ms() <= 3500);

	/* 7 s: two validities; still the same four, each renewed */
	run_for(f, 7000);
	assert_true(one_each(f));
	assert_string_equal(sim_sub(f, SD_SUB_NRF)->id, nrf_id);
	assert_string_equal(sim_sub(f, SD_SUB_NSSF)->id, nssf_id);
	assert_string_equal(sim_sub(f, SD_SUB_AMF)->id, amf_id);
	assert_string_equal(sim_sub(f, SD_SUB_SMF)->id, smf_id);
	for (k = SD_SUB_NRF; k <= SD_SUB_SMF; k++)
		if (k != SD_SUB_NWDAF)
			assert_true(sim_sub(f, (enum sd_sim_sub_kind)k)->renewals >= 2);
	sd_collect_stats(f->c, &st);
	assert_true(st.sub_renewals >= 8);
	assert_true(run_until(f, live_matches, 10000));

	/* three reloads that change nothing: nothing is re-made */
	for (k = 0; k < 3; k++) {
		sd_collect_reload(f->c);
		run_for(f, 300);
	}
	assert_true(run_until(f, one_each, 5000));
	assert_string_equal(sim_sub(f, SD_SUB_SMF)->id, smf_id);
	assert_string_equal(sim_sub(f, SD_SUB_NRF)->id, nrf_id);

	/* another reporting period: AMF and SMF ask for something else */
	sd_collect_stats(f->c, &st);
	smf_gen_seen = st.smf_generation;
	assert_true(smf_gen_seen > 0);
	f->cfg.sbi.poll_interval_s = 2;
	sd_collect_reload(f->c);
	run_for(f, 1000);
	assert_true(run_until(f, one_each, 5000));
	assert_string_not_equal(sim_sub(f, SD_SUB_SMF)->id, smf_id);
	assert_string_not_equal(sim_sub(f, SD_SUB_AMF)->id, amf_id);
	assert_string_equal(sim_sub(f, SD_SUB_NSSF)->id, nssf_id);
	assert_int_equal(sim_sub(f, SD_SUB_SMF)->period_s, 2);
	/* the new SMF subscription's first report re-lists every session:
	 * counted once, not on top of the old count */
	assert_true(run_until(f, smf_reports_counted, 10000));
	assert_true(live_matches(f));

	/* shutdown deletes every one, and takes its routes off the server
	 * (which lives on: a new route on the same path is not a duplicate) */
	sd_collect_free(f->c);
	f->c = NULL;
	run_for(f, 200);
	for (k = SD_SUB_NRF; k <= SD_SUB_SMF; k++)
		assert_int_equal(sim_subs(f, (enum sd_sim_sub_kind)k), 0);
	assert_int_equal(sd_sbi_server_route(f->srv, "POST", "/slicedeck/v1/notify/smf",
					     fake_any, NULL), 0);
	fx_free(f);
}

/* The NF holding the SMF subscription goes away (smf-1 down: SUSPENDED at
 * the NRF); the subscription is deleted there and made at smf-2; the
 * count starts over with the new subscription's reports. */
static bool smf_moved(struct fx *f)
{
	const struct sd_nf_instance *s1 = nf_named(f, "smf-1");
	return s1 && s1->status != SD_NF_REGISTERED && one_each(f);
}

static void test_nf_gone_moves_subscription(void **state)
{
	struct fx *f = fx_new(1);
	struct sd_collect_stats st, st2;
	char err[256], smf_id[24];
	(void)state;

	start_collector(f, 0);
	assert_true(run_until(f, one_each, 10000));
	assert_true(run_until(f, live_matches, 10000));
	sd_strlcpy(smf_id, sim_sub(f, SD_SUB_SMF)->id, sizeof smf_id);
	sd_collect_stats(f->c, &st);
	smf_gen_seen = st.smf_generation;
	/* which SMF holds it: the first one offering the service, smf-1 */
	assert_true(sd_sim_fault_add(f->sim, "nf-down:nf=smf-1", err, sizeof err) > 0);
	/* generous bounds: on a loaded 2-core CI machine the heartbeat
	 * window, the NRF cycle and the re-subscription take their time */
	assert_true(run_until(f, smf_moved, 40000));
	assert_true(run_until(f, one_each, 20000));
	assert_string_not_equal(sim_sub(f, SD_SUB_SMF)->id, smf_id);
	sd_collect_stats(f->c, &st2);
	assert_true(st2.sub_deletes > st.sub_deletes);
	assert_true(run_until(f, smf_reports_counted, 30000));
	assert_true(run_until(f, live_matches, 10000));
	fx_free(f);
}

/* 70 more NF instances registered at the NRF: profile GETs stay capped at
 * 32 in flight, and every one is fetched. */
static void test_profile_fetch_cap(void **state)
{
	struct fx *f = fx_new(10);
	struct sd_collect_stats st;
	int i, route = sd_sim_route_index(f->sim, "PUT", "/nnrf-nfm/v1/nf-instances/{nfInstanceID}");
	(void)state;

	assert_true(route >= 0);
	for (i = 0; i < 70; i++) {
		char id[40], path[96], body[256];
		struct sd_sbi_req req = { .method = "PUT", .path = path, .nparams = 1 };
		struct sd_sbi_resp resp = { .status = 200 };
		snprintf(id, sizeof id, "7e57%04x-0000-4000-8000-%012x", i, i);
		snprintf(path, sizeof path, "/nnrf-nfm/v1/nf-instances/%s", id);
		snprintf(body, sizeof body, "{\"nfInstanceId\":\"%s\",\"nfType\":\"UDR\","
			 "\"nfStatus\":\"REGISTERED\",\"heartBeatTimer\":600,"
			 "\"ipv4Addresses\":[\"127.0.0.9\"]}", id);
		req.params[0] = id;
		req.body = body;
		req.body_len = strlen(body);
		req.content_type = "application/json";
		sd_sim_serve(f->sim, route, &req, &resp);
		assert_int_equal(resp.status, 201);
		free(resp.body);
	}
	start_collector(f, 0);
	assert_true(run_until(f, discovered, 15000));
	sd_collect_stats(f->c, &st);
	assert_int_equal(f->model->nnfs, f->sim->nnfs);
	assert_true(f->sim->nnfs > 80);
	assert_true(st.profile_gets >= (unsigned)f->sim->nnfs);
	assert_true(st.profile_inflight_max > 1);
	assert_true(st.profile_inflight_max <= 32);
	fx_free(f);
}

/* --- against fake NFs ------------------------------------------------------------ */

#define ID_A "aaaaaaaa-0000-4000-8000-000000000001"
#define ID_B "bbbbbbbb-0000-4000-8000-000000000002"
#define ID_C "cccccccc-0000-4000-8000-000000000003"

struct fake {
	struct sd_sbi_server *srv;
	char root[128];
	int lists, profiles, posts, deletes, patches, other;
	int post_mode;               /* what a POST gets, see fake_post */
	char foreign[128];           /* a Location elsewhere */
	int list_status;             /* the NF list's status; 0 = 200 */
	bool fail_b;                 /* B's profile answers 500 */
	const char *status;          /* nfStatus of the profiles; NULL = REGISTERED */
};

static void fake_list(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct fake *k = arg;
	char *b = sd_printf("{\"_links\":{\"item\":[{\"href\":\"%s/nnrf-nfm/v1/nf-instances/" ID_A
			    "\"},{\"href\":\"%s/nnrf-nfm/v1/nf-instances/" ID_A "\"},"
			    "{\"href\":\"%s/nnrf-nfm/v1/nf-instances/" ID_B "\"}]}}",
			    k->root, k->root, k->root);
	k->lists++;
	if (k->list_status) {
		free(b);
		resp->status = k->list_status;
		return;
	}
	sd_sbi_resp_json(resp, 200, b);
}

static void fake_profile(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct fake *k = arg;
	/* B's profile names another id (C) */
	const char *id = strcmp(req->params[0], ID_B) == 0 ? ID_C : req->params[0];
	k->profiles++;
	if (k->fail_b && strcmp(req->params[0], ID_B) == 0) {
		sd_sbi_resp_problem(resp, 500, "Induced", "SYSTEM_FAILURE", "B is sick");
		return;
	}
	sd_sbi_resp_json(resp, 200, sd_printf("{\"nfInstanceId\":\"%s\",\"nfType\":\"PCF\","
			 "\"nfStatus\":\"%s\",\"ipv4Addresses\":[\"127.0.0.7\"],"
			 "\"sNssais\":[{\"sst\":1}]}", id, k->status ? k->status : "REGISTERED"));
}

/* POST modes: 0 no Location, 1 a foreign Location, 2 a 400, 3 good */
static void fake_post(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct fake *k = arg;
	k->posts++;
	switch (k->post_mode) {
	case 0:
		sd_sbi_resp_json(resp, 201, sd_strdup("{}"));
		break;
	case 1:
		snprintf(resp->location, sizeof resp->location, "%s/subs/x%d", k->foreign, k->posts);
		sd_sbi_resp_json(resp, 201, sd_strdup("{}"));
		break;
	case 2:
		sd_sbi_resp_problem(resp, 400, "Bad subscription", "MANDATORY_IE_MISSING",
				    "No SubscrCond found");
		break;
	default:
		snprintf(resp->location, sizeof resp->location, "%s/subs/s%d", k->root, k->posts);
		sd_sbi_resp_json(resp, 201, sd_strdup("{}"));
		break;
	}
}

static void fake_any(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct fake *k = arg;
	if (!k) {
		resp->status = 204;
		return;
	}
	if (strcmp(req->method, "DELETE") == 0)
		k->deletes++;
	else if (strcmp(req->method, "PATCH") == 0)
		k->patches++;
	else
		k->other++;
	resp->status = 204;
}

static void fake_start(struct sd_loop *loop, struct fake *k)
{
	struct sd_sbi_server_conf sc = { .listen = "127.0.0.1:0" };
	char err[256];
	memset(k, 0, sizeof *k);
	k->srv = sd_sbi_server_new(loop, &sc, err, sizeof err);
	assert_non_null(k->srv);
	sd_strlcpy(k->root, sd_sbi_server_api_root(k->srv), sizeof k->root);
	sd_sbi_server_route(k->srv, "GET", "/nnrf-nfm/v1/nf-instances", fake_list, k);
	sd_sbi_server_route(k->srv, "GET", "/nnrf-nfm/v1/nf-instances/{id}", fake_profile, k);
	sd_sbi_server_route(k->srv, "POST", "/subs", fake_post, k);
	sd_sbi_server_route(k->srv, "DELETE", "/subs/{id}", fake_any, k);
	sd_sbi_server_route(k->srv, "PATCH", "/subs/{id}", fake_any, k);
	sd_sbi_server_route(k->srv, "GET", "/subs/{id}", fake_any, k);
}

/* stderr into a file for a while, to count log lines */
static int grab_fd = -1, saved_fd = -1;
static char grab_path[64];
static void grab_start(void)
{
	snprintf(grab_path, sizeof grab_path, "/tmp/test_collect.%d.log", (int)getpid());
	fflush(stderr);
	saved_fd = dup(2);
	grab_fd = open(grab_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(grab_fd >= 0);
	dup2(grab_fd, 2);
}
static int grab_count(const char *needle)
{
	FILE *fp;
	char line[2048];
	int n = 0;
	fflush(stderr);
	dup2(saved_fd, 2);
	close(saved_fd);
	close(grab_fd);
	fp = fopen(grab_path, "r");
	assert_non_null(fp);
	while (fgets(line, sizeof line, fp))
		if (strstr(line, needle))
			n++;
	fclose(fp);
	unlink(grab_path);
	return n;
}

static bool cycles_done_2(struct fx *f)
{
	struct sd_collect_stats st;
	sd_collect_stats(f->c, &st);
	return st.nrf_cycles >= 2;
}

/* A list naming A twice and a profile of B that says it is C: two rows (A
 * and B), each id fetched once per cycle, the mismatch logged once, and
 * the second cycle changes nothing. */
static void test_duplicate_and_mismatched_ids(void **state)
{
	struct fx *f = fx_new(10);
	struct fake k;
	struct sd_collect_stats st;
	int before;
	(void)state;

	fake_start(f->loop, &k);
	sd_strlcpy(f->cfg.sbi.nrf_api_root, k.root, sizeof f->cfg.sbi.nrf_api_root);
	f->notify_root[0] = '\0';            /* no subscriptions here */
	grab_start();
	start_collector(f, 0);
	assert_true(run_until(f, cycles_done_2, 10000));
	before = f->nev;
	{
		struct sd_collect_stats s0;
		sd_collect_stats(f->c, &s0);
		while (1) {
			sd_collect_stats(f->c, &st);
			if (st.nrf_cycles >= s0.nrf_cycles + 1)
				break;
			sd_loop_once(f->loop, 20);
		}
	}
	assert_int_equal(grab_count("the profile says nfInstanceId " ID_C), 1);
	assert_int_equal(f->model->nnfs, 2);
	assert_true(sd_model_nf_find(f->model, ID_A) >= 0);
	assert_true(sd_model_nf_find(f->model, ID_B) >= 0);
	assert_int_equal(sd_model_nf_find(f->model, ID_C), -1);
	assert_int_equal((int)st.profile_gets, 2 * (int)st.nrf_cycles);
	assert_int_equal(k.profiles, 2 * k.lists);
	assert_int_equal(nf_events(f, before), 0);
	sd_collect_free(f->c);
	f->c = NULL;
	sd_sbi_server_free(k.srv);
	fx_free(f);
}

/* Issue 9 item 11: an NF list answered 204, 206 or 999 is logged with what
 * was wrong; a cycle in which a profile failed does not say "NF inventory
 * is back" (nor reset the rate limit); the next complete one does, once. */
static bool lists_at_least(struct fake *k, int n, struct fx *f)
{
	int64_t end = sd_now_ms() + 8000;
	while (k->lists < n && sd_now_ms() < end)
		sd_loop_once(f->loop, 20);
	return k->lists >= n;
}

static void test_nrf_answers_logged(void **state)
{
	struct fx *f = fx_new(1);
	struct fake k;
	char *log;
	size_t len;
	FILE *fp;
	(void)state;

	fake_start(f->loop, &k);
	sd_strlcpy(f->cfg.sbi.nrf_api_root, k.root, sizeof f->cfg.sbi.nrf_api_root);
	f->notify_root[0] = '\0';
	grab_start();
	start_collector(f, 0);
	k.list_status = 204;
	assert_true(lists_at_least(&k, 1, f));
	k.list_status = 206;
	assert_true(lists_at_least(&k, 2, f));
	k.list_status = 999;
	assert_true(lists_at_least(&k, 3, f));
	k.list_status = 0;
	k.fail_b = true;     /* the list works, one profile does not: cycles 4, 5 */
	assert_true(lists_at_least(&k, 6, f));
	k.fail_b = false;
	assert_true(lists_at_least(&k, 8, f));
	/* an nfStatus no release defines: said once, with the value */
	k.status = "registered";
	assert_true(lists_at_least(&k, 11, f));
	{
		int a = sd_model_nf_find(f->model, ID_A);
		assert_true(a >= 0);
		assert_int_equal(f->model->nfs[a].status, SD_NF_STATUS_OTHER);
	}
	fflush(stderr);
	fp = fopen(grab_path, "r");
	assert_non_null(fp);
	log = malloc(1 << 20);
	len = fread(log, 1, (1 << 20) - 1, fp);
	log[len] = '\0';
	fclose(fp);
	if (getenv("SD_TEST_DEBUG"))
		fprintf(stdout, "%s", log);
	assert_non_null(strstr(log, "nf-instances: 204 instead of 200 with the NF list; keeping"));
	assert_null(strstr(log, "[err] ; keeping"));
	{
		const char *w = strstr(log, "has nfStatus \"registered\", not one of REGISTERED");
		assert_non_null(w);
		assert_null(strstr(w + 1, "has nfStatus \"registered\""));
	}
	free(log);
	/* the rate limit may fold the 206 and 999 lines; what is logged says it */
	assert_int_equal(grab_count("NF inventory is back"), 1);
	sd_collect_free(f->c);
	f->c = NULL;
	sd_sbi_server_free(k.srv);
	fx_free(f);
}

/* The subscription object against a fake NF: a 201 without a Location and
 * one with a foreign Location are refused (and the foreign host is never
 * contacted); a deterministic 400 is logged once over many retries; then
 * it works, renews with PATCH, and is deleted. */
static char *fixed_body(void *arg, int64_t expiry_ms)
{
	char ts[40];
	sd_fmt_time(expiry_ms, ts, sizeof ts);
	return sd_printf("{\"validityTime\":\"%s\"}", ts);
}

static void test_subscription_refusals(void **state)
{
	struct sd_loop *loop = sd_loop_new();
	struct fake k, other;
	struct sd_sbi_conf conf = { .timeout_ms = 2000, .retries = 0, .tls.verify = true };
	struct sd_sbi_client_opts co = { .conf = &conf };
	struct sd_sbi_client *cli = sd_sbi_client_new(loop, &co);
	struct sd_sub_conf sc = { .name = "TEST", .renew = SD_SUB_RENEW_PATCH,
				  .expiry_member = "/validityTime", .patch_path = "/validityTime",
				  .validity_s = 2, .backoff_min_ms = 50, .backoff_max_ms = 100,
				  .body = fixed_body };
	struct sd_sub *s;
	struct sd_sub_stats st;
	char url[256];
	int64_t end;
	(void)state;

	fake_start(loop, &k);
	fake_start(loop, &other);
	sd_strlcpy(k.foreign, other.root, sizeof k.foreign);
	snprintf(url, sizeof url, "%s/subs", k.root);
	s = sd_sub_new(loop, &sc);

	grab_start();
	/* 0: no Location */
	k.post_mode = 0;
	sd_sub_want(s, cli, url, "nf-1");
	for (end = sd_now_ms() + 3000; k.posts < 3 && sd_now_ms() < end;)
		sd_loop_once(loop, 20);
	assert_false(sd_sub_active(s));
	/* 1: foreign Location: refused, never contacted */
	k.post_mode = 1;
	for (end = sd_now_ms() + 3000; k.posts < 6 && sd_now_ms() < end;)
		sd_loop_once(loop, 20);
	assert_false(sd_sub_active(s));
	/* 2: a deterministic 400, many times */
	k.post_mode = 2;
	for (end = sd_now_ms() + 5000; k.posts < 16 && sd_now_ms() < end;)
		sd_loop_once(loop, 20);
	assert_true(k.posts >= 16);
	assert_false(sd_sub_active(s));
	assert_int_equal(grab_count("No SubscrCond found"), 1);
	assert_int_equal(other.deletes + other.patches + other.other + other.posts, 0);
	sd_sub_stats(s, &st);
	assert_true(st.refused >= 13);

	/* 3: it works; renewed by PATCH before the 2 s validity ends */
	k.post_mode = 3;
	for (end = sd_now_ms() + 3000; !sd_sub_active(s) && sd_now_ms() < end;)
		sd_loop_once(loop, 20);
	assert_true(sd_sub_active(s));
	assert_non_null(strstr(sd_sub_location(s), k.root));
	for (end = sd_now_ms() + 4500; sd_now_ms() < end;)
		sd_loop_once(loop, 20);
	assert_true(k.patches >= 2);
	assert_true(sd_sub_active(s));
	/* dropped: one DELETE of what it held */
	sd_sub_drop(s);
	for (end = sd_now_ms() + 2000; sd_sub_pending(s) && sd_now_ms() < end;)
		sd_loop_once(loop, 20);
	assert_int_equal(k.deletes, 1);
	assert_false(sd_sub_active(s));
	assert_int_equal(other.deletes + other.patches + other.other + other.posts, 0);

	sd_sub_free(s);
	sd_sbi_client_free(cli);
	sd_sbi_server_free(k.srv);
	sd_sbi_server_free(other.srv);
	sd_loop_free(loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model_nf),
		cmocka_unit_test(test_live_from_sim),
		cmocka_unit_test(test_reachable_follows_probes),
		cmocka_unit_test(test_subscriptions_lifecycle),
		cmocka_unit_test(test_nf_gone_moves_subscription),
		cmocka_unit_test(test_profile_fetch_cap),
		cmocka_unit_test(test_duplicate_and_mismatched_ids),
		cmocka_unit_test(test_subscription_refusals),
		cmocka_unit_test(test_nrf_answers_logged),
	};
	sd_log_open("test_collect", 0, SD_LOG_NOTICE);
	if (getenv("TEST_FILTER"))
		cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}

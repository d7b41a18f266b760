/* sim/timeline_play.c — see timeline.h: a parsed timeline checked
 * against the zone and played on the simulator's 1 s tick. */
#include "sim/timeline.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "sim/fault.h"
#include "sim/rng.h"
#include "sim/sim.h"

/* Salts of the draws, apart from the model's. */
enum { SALT_JITTER = 101, SALT_PICK };

/* How many objects "*" may draw from for key, and the i-th one's id. */
static int any_count(const struct sd_sim *sim, const char *key)
{
	int i, n = 0;
	if (strcmp(key, "nf") == 0)
		return sim->nnfs;
	if (strcmp(key, "cell") == 0)
		return sim->m->ncells;
	for (i = 0; i < sim->m->nslices; i++)
		n += sim->m->slices[i].state == SD_SLICE_ACTIVE;
	return n;
}

static const char *any_id(const struct sd_sim *sim, const char *key, int at)
{
	int i;
	if (strcmp(key, "nf") == 0)
		return sim->nfs[at].name;
	if (strcmp(key, "cell") == 0)
		return sim->m->cells[at].id;
	for (i = 0; i < sim->m->nslices; i++)
		if (sim->m->slices[i].state == SD_SLICE_ACTIVE && at-- == 0)
			return sim->m->slices[i].id;
	return "";
}

int sd_sim_timeline_check(struct sd_sim *sim, const struct sd_sim_timeline *tl,
			  char *err, size_t errsz)
{
	int i, k;
	for (i = 0; i < tl->n; i++) {
		const struct sd_tl_event *e = &tl->ev[i];
		char spec[512], ferr[256];
		int n = e->pick == SD_TL_LIST ? e->nchoices : e->pick == SD_TL_ANY ?
			any_count(sim, e->pick_key) : 1;
		if (e->pick == SD_TL_ANY && n == 0)
			return sd_sim_timeline_err(err, errsz, tl->name, e->line, "%s=*: the zone has none",
				       e->pick_key);
		for (k = 0; k < n; k++) {
			sd_sim_timeline_spec(e, e->pick == SD_TL_LIST ? e->choices[k] :
				   e->pick == SD_TL_ANY ? any_id(sim, e->pick_key, k) : NULL,
				   spec, sizeof spec);
			if (sd_sim_fault_check(sim, spec, NULL, ferr, sizeof ferr) < 0)
				return sd_sim_timeline_err(err, errsz, tl->name, e->line, "%s", ferr);
		}
	}
	return 0;
}

static uint64_t seed_of(const struct sd_sim *sim, const struct sd_sim_timeline *tl)
{
	return tl->has_seed ? tl->seed : sim->o.seed;
}

/* Start of event i in round r, ms after the round's start. */
static int64_t event_start(const struct sd_sim *sim, const struct sd_sim_timeline *tl, int i,
			   int64_t r)
{
	const struct sd_tl_event *e = &tl->ev[i];
	int64_t at = e->at_ms;
	if (e->jitter_ms) {
		double u = sd_sim_hash_unit(sd_sim_hash(seed_of(sim, tl), SALT_JITTER,
							(uint64_t)r, (uint64_t)i));
		at += (int64_t)((2.0 * u - 1.0) * (double)e->jitter_ms);
		if (at < 0)
			at = 0;
	}
	return at;
}

const char *sd_sim_timeline_draw(const struct sd_sim *sim, const struct sd_sim_timeline *tl,
				 int i, int64_t round, int64_t *start_ms)
{
	const struct sd_tl_event *e = &tl->ev[i];
	if (start_ms)
		*start_ms = event_start(sim, tl, i, round);
	if (e->pick != SD_TL_FIXED) {
		int n = e->pick == SD_TL_LIST ? e->nchoices : any_count(sim, e->pick_key);
		uint64_t h = sd_sim_hash(seed_of(sim, tl), SALT_PICK, (uint64_t)round, (uint64_t)i);
		int at = n > 0 ? (int)(h % (uint64_t)n) : 0;
		return e->pick == SD_TL_LIST ? e->choices[at] : any_id(sim, e->pick_key, at);
	}
	return NULL;
}

static void fire(struct sd_sim *sim, struct sd_sim_timeline *tl, int i)
{
	const struct sd_tl_event *e = &tl->ev[i];
	struct sd_sim_fault f;       /* outlives v, which may point into it */
	const char *v = NULL;
	char spec[512], err[256];
	int id;

	v = sd_sim_timeline_draw(sim, tl, i, tl->round, NULL);
	sd_sim_timeline_spec(e, v, spec, sizeof spec);
	tl->fired[i] = true;
	if (!v) {
		/* a fixed object: the one its keys name, for listings */
		if (sd_sim_fault_parse(spec, &f, err, sizeof err) == 0)
			v = f.slice[0] ? f.slice : f.cell[0] ? f.cell : f.nf;
	}
	snprintf(tl->target[i], sizeof tl->target[i], "%s", v ? v : "");
	id = sd_sim_fault_add(sim, spec, err, sizeof err);
	tl->fault_id[i] = id;
	if (id < 0)
		sd_warn("timeline %s:%d: %s: %s", tl->name, e->line, spec, err);
	else
		sd_notice("timeline %s:%d: round %lld: %s for %lld s (fault %d)", tl->name, e->line,
			  (long long)tl->round, spec, (long long)(e->dur_ms / 1000), id);
}

void sd_sim_timeline_play(struct sd_sim *sim, struct sd_sim_timeline *tl)
{
	tl->t0_ms = sd_sim_mono(sim);
	tl->round = 0;
	tl->finished = false;
	memset(tl->fired, 0, sizeof tl->fired);
	sim->timeline = tl;
	sd_notice("timeline %s: %d events%s, seed %llu", tl->name, tl->n,
		  tl->repeat_ms ? ", repeated" : "", (unsigned long long)seed_of(sim, tl));
	sd_sim_timeline_step(sim, tl->t0_ms);
}

void sd_sim_timeline_step(struct sd_sim *sim, int64_t now_ms)
{
	struct sd_sim_timeline *tl = sim->timeline;
	int64_t elapsed, rstart;
	int i, left = 0;

	if (!tl || tl->t0_ms < 0 || tl->finished || tl->stepping)
		return;
	tl->stepping = true;
	elapsed = now_ms - tl->t0_ms;
	if (tl->repeat_ms && elapsed / tl->repeat_ms > tl->round) {
		tl->round = elapsed / tl->repeat_ms;
		memset(tl->fired, 0, sizeof tl->fired);
		sd_notice("timeline %s: round %lld", tl->name, (long long)tl->round);
	}
	rstart = tl->round * tl->repeat_ms;
	for (i = 0; i < tl->n; i++) {
		if (tl->fired[i])
			continue;
		if (elapsed >= rstart + event_start(sim, tl, i, tl->round))
			fire(sim, tl, i);
		else
			left++;
	}
	if (!tl->repeat_ms && !left) {
		tl->finished = true;
		sd_notice("timeline %s: every event has started", tl->name);
	}
	tl->stepping = false;
}

json_t *sd_sim_timeline_json(const struct sd_sim *sim, int64_t now_ms)
{
	const struct sd_sim_timeline *tl = sim->timeline;
	json_t *a = json_array();
	int64_t elapsed, rel;
	int i;

	if (!tl || tl->t0_ms < 0)
		return json_pack("{s:b, s:o}", "ok", 1, "timeline", json_null());
	elapsed = now_ms - tl->t0_ms;
	rel = elapsed - tl->round * tl->repeat_ms;
	for (i = 0; i < tl->n; i++) {
		const struct sd_tl_event *e = &tl->ev[i];
		int64_t st = event_start(sim, tl, i, tl->round);
		const char *state = !tl->fired[i] ? "pending" :
				    rel < st + e->dur_ms ? "active" : "done";
		json_array_append_new(a, json_pack("{s:i, s:s, s:I, s:I, s:s, s:s}",
			"line", e->line, "kind", e->kind, "at_s", (json_int_t)(st / 1000),
			"for_s", (json_int_t)(e->dur_ms / 1000), "state", state,
			"target", tl->fired[i] ? tl->target[i] : ""));
	}
	return json_pack("{s:b, s:{s:s, s:I, s:I, s:I, s:o}}", "ok", 1, "timeline",
			 "file", tl->name, "round", (json_int_t)tl->round,
			 "elapsed_s", (json_int_t)(elapsed / 1000),
			 "repeat_s", (json_int_t)(tl->repeat_ms / 1000), "events", a);
}

/* monitor/nfwatch.c — see nfwatch.h. */
#include "monitor/nfwatch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/model_nf.h"
#include "core/snssai.h"
#include "core/strmap.h"
#include "core/util.h"
#include "monitor/alarm_policy.h"

#define LOST_PROBLEM "nf-lost"
#define REJUDGE_MS 30000

struct seen_nf {
	char id[40];
	char type[16];
	char name[SD_NAME_MAX];
};

struct lost_nf {
	char object[SD_ALARM_OBJECT_MAX];
	char type[16];
	char name[SD_NAME_MAX];
};

struct sd_nfwatch {
	struct sd_alarms *am;
	struct seen_nf *prev;
	int nprev;
	struct sd_strmap prev_ix;     /* id -> present last second */
	bool primed;                  /* prev holds a real second */
	struct lost_nf *lost;
	int nlost;
	struct sd_strmap slice_alarms; /* "slice/TYPE" -> active no-serving alarm */
	uint64_t fp;                  /* of what the slice judgement depends on */
	int64_t judged_ms;
};

static const char *const slice_problem[SD_SLA_USABLE_TYPES] = {
	"no-serving-AMF", "no-serving-SMF", "no-serving-UPF",
};

static void lost_object(char *out, size_t outsz, const char *type, const char *name,
			const char *id)
{
	snprintf(out, outsz, "nf=%s/%s", type, name && *name ? name : id);
}

static void take_over(const struct sd_alarm *a, void *arg)
{
	struct sd_nfwatch *w = arg;
	int t;
	if (a->severity == SD_SEV_CLEARED)
		return;
	if (strcmp(a->problem, LOST_PROBLEM) == 0 && strncmp(a->object, "nf=", 3) == 0) {
		const char *v = a->object + 3, *slash = strchr(v, '/');
		struct lost_nf *l;
		if (!slash)
			return;
		w->lost = sd_reallocarray(w->lost, (size_t)w->nlost + 1, sizeof *w->lost);
		l = &w->lost[w->nlost++];
		memset(l, 0, sizeof *l);
		sd_strlcpy(l->object, a->object, sizeof l->object);
		snprintf(l->type, sizeof l->type, "%.*s", (int)(slash - v), v);
		/* the name part may be an id: a replacement of the type clears it */
		l->name[0] = '\0';
		return;
	}
	for (t = 0; t < SD_SLA_USABLE_TYPES; t++)
		if (strcmp(a->problem, slice_problem[t]) == 0 && a->slice[0]) {
			char key[SD_ID_MAX + 24];
			snprintf(key, sizeof key, "%s/%s", a->slice, sd_sla_usable_type_name(t));
			sd_strmap_put(&w->slice_alarms, key, (void *)1);
		}
}

struct sd_nfwatch *sd_nfwatch_new(struct sd_alarms *am)
{
	struct sd_nfwatch *w = sd_calloc(1, sizeof *w);
	w->am = am;
	sd_strmap_init(&w->prev_ix);
	sd_strmap_init(&w->slice_alarms);
	if (am)
		sd_alarms_each(am, false, take_over, w);
	return w;
}

void sd_nfwatch_free(struct sd_nfwatch *w)
{
	if (!w)
		return;
	sd_strmap_done(&w->prev_ix);
	sd_strmap_done(&w->slice_alarms);
	free(w->prev);
	free(w->lost);
	free(w);
}

int sd_nfwatch_lost_count(const struct sd_nfwatch *w) { return w->nlost; }

static bool counted(const struct sd_nf_instance *nf)
{
	return nf->id[0] && nf->type[0] && strcmp(nf->type, "?") != 0;
}

static bool same_kind(const char *type, const char *name, const struct sd_nf_instance *nf)
{
	return strcmp(type, nf->type) == 0 && (!name[0] || !nf->name[0] ||
					       strcmp(name, nf->name) == 0);
}

/* A new instance nf clears the lost alarms of its kind. */
static void replaced_by(struct sd_nfwatch *w, const struct sd_nf_instance *nf, int64_t now)
{
	int i;
	for (i = 0; i < w->nlost;) {
		struct lost_nf *l = &w->lost[i];
		if (!same_kind(l->type, l->name, nf)) {
			i++;
			continue;
		}
		{
			char text[SD_ALARM_TEXT_MAX];
			snprintf(text, sizeof text, "%s %s: a new instance %s is registered",
				 l->type, nf->name[0] ? nf->name : "-", nf->id);
			sd_alarm_clear(w->am, l->object, SD_CAUSE_COMMS_FAILURE, LOST_PROBLEM, text,
				       now);
		}
		w->lost[i] = w->lost[--w->nlost];
	}
}

static void raise_lost(struct sd_nfwatch *w, const struct seen_nf *s, int64_t now)
{
	char object[SD_ALARM_OBJECT_MAX], text[SD_ALARM_TEXT_MAX];
	struct lost_nf *l;
	int i;
	lost_object(object, sizeof object, s->type, s->name, s->id);
	snprintf(text, sizeof text, "%s %s (%s) is gone from the NRF (deleted or deregistered) "
		 "and no new instance of it has registered", s->type, s->name[0] ? s->name : "-",
		 s->id);
	if (!w->am)
		sd_warn("NF lost: %s", text);
	if (w->am) {
		struct sd_alarm_spec spec = {
			.object = object, .type = SD_ALARM_COMMUNICATIONS,
			.cause = SD_CAUSE_COMMS_FAILURE,
			.severity = sd_alarm_policy_severity(SD_CAUSE_COMMS_FAILURE, "nf", s->type, 0),
			.problem = LOST_PROBLEM, .text = text,
			.object_kind = "nf", .object_id = object + 3, .nf = s->id,
		};
		sd_alarm_raise(w->am, &spec, now);
	}
	for (i = 0; i < w->nlost; i++)
		if (strcmp(w->lost[i].object, object) == 0)
			return;
	w->lost = sd_reallocarray(w->lost, (size_t)w->nlost + 1, sizeof *w->lost);
	l = &w->lost[w->nlost++];
	sd_strlcpy(l->object, object, sizeof l->object);
	sd_strlcpy(l->type, s->type, sizeof l->type);
	sd_strlcpy(l->name, s->name, sizeof l->name);
}

static void remember(struct sd_nfwatch *w, const struct sd_model *m)
{
	int i;
	sd_strmap_clear(&w->prev_ix);
	w->prev = sd_reallocarray(w->prev, (size_t)(m->nnfs ? m->nnfs : 1), sizeof *w->prev);
	w->nprev = 0;
	for (i = 0; i < m->nnfs; i++) {
		const struct sd_nf_instance *nf = &m->nfs[i];
		struct seen_nf *s;
		if (!counted(nf))
			continue;
		s = &w->prev[w->nprev++];
		sd_strlcpy(s->id, nf->id, sizeof s->id);
		sd_strlcpy(s->type, nf->type, sizeof s->type);
		sd_strlcpy(s->name, nf->name, sizeof s->name);
		sd_strmap_put(&w->prev_ix, s->id, s);
	}
	w->primed = true;
}

static void watch_nfs(struct sd_nfwatch *w, const struct sd_model *m, int64_t now)
{
	bool changed = !w->primed;
	int i, j;
	/* the new ones first: a loss replaced in the same second is no alarm */
	for (i = 0; i < m->nnfs; i++) {
		const struct sd_nf_instance *nf = &m->nfs[i];
		if (!counted(nf) || sd_strmap_has(&w->prev_ix, nf->id))
			continue;
		changed = true;
		if (w->nlost)
			replaced_by(w, nf, now);
	}
	for (i = 0; w->primed && i < w->nprev; i++) {
		const struct seen_nf *s = &w->prev[i];
		bool back = false;
		if (sd_model_nf_find(m, s->id) >= 0)
			continue;
		changed = true;
		for (j = 0; j < m->nnfs && !back; j++) {
			const struct sd_nf_instance *nf = &m->nfs[j];
			back = counted(nf) && !sd_strmap_has(&w->prev_ix, nf->id) &&
			       same_kind(s->type, s->name, nf);
		}
		if (back)
			sd_notice("NF %s %s (%s) replaced by a new instance", s->type,
				  s->name[0] ? s->name : "-", s->id);
		else
			raise_lost(w, s, now);
	}
	if (changed || w->nprev != m->nnfs)
		remember(w, m);
}

/* What the slice judgement depends on: the rows of the judged types and
 * the slices' count and states. */
static uint64_t fingerprint(const struct sd_model *m)
{
	uint64_t h = 1469598103934665603ull;
	int i;
#define MIX(v) (h = (h ^ (uint64_t)(v)) * 1099511628211ull)
	MIX(m->nnfs);
	MIX(m->nslices);
	for (i = 0; i < m->nnfs; i++) {
		const struct sd_nf_instance *nf = &m->nfs[i];
		const char *p;
		if (strcmp(nf->type, "AMF") && strcmp(nf->type, "SMF") && strcmp(nf->type, "UPF"))
			continue;
		for (p = nf->id; *p; p++)
			MIX(*p);
		MIX(nf->status);
		MIX(nf->reachable);
		MIX(nf->stale);
		MIX(nf->nsnssais);
	}
	for (i = 0; i < m->nslices; i++)
		MIX(m->slices[i].state);
#undef MIX
	return h;
}

static void judge_slices(struct sd_nfwatch *w, const struct sd_model *m,
			 const struct sd_sla_usable *u, int64_t now)
{
	int i, t;
	for (i = 0; i < m->nslices; i++) {
		const struct sd_slice *s = &m->slices[i];
		for (t = 0; t < SD_SLA_USABLE_TYPES; t++) {
			char key[SD_ID_MAX + 24], object[SD_ALARM_OBJECT_MAX];
			char text[SD_ALARM_TEXT_MAX], sn[SD_SNSSAI_STRLEN];
			const char *type = sd_sla_usable_type_name(t);
			enum sd_sla_serve v = s->state == SD_SLICE_ACTIVE
				? sd_sla_usable_serve(u, t, s) : SD_SERVE_NOT_JUDGED;
			bool held;
			if (v == SD_SERVE_UNKNOWN)
				continue;   /* nothing known: nothing changes */
			snprintf(key, sizeof key, "%s/%s", s->id, type);
			held = sd_strmap_has(&w->slice_alarms, key);
			if ((v == SD_SERVE_MISSING) == held)
				continue;
			snprintf(object, sizeof object, "slice=%s", s->id);
			sd_snssai_format(&s->snssai, sn, sizeof sn);
			if (held) {
				snprintf(text, sizeof text, "an %s serves S-NSSAI %s again", type, sn);
				sd_alarm_clear(w->am, object, SD_CAUSE_COMMS_FAILURE, slice_problem[t],
					       text, now);
				sd_strmap_del(&w->slice_alarms, key);
				continue;
			}
			/* the alarm manager logs it */
			snprintf(text, sizeof text, "no %s serving S-NSSAI %s is registered and "
				 "reachable: the slice cannot carry traffic", type, sn);
			{
				struct sd_alarm_spec spec = {
					.object = object,
					.factory = s->factory >= 0 && s->factory < m->nfactories
						   ? m->factories[s->factory].id : NULL,
					.type = SD_ALARM_COMMUNICATIONS,
					.cause = SD_CAUSE_COMMS_FAILURE,
					.severity = sd_alarm_policy_severity(SD_CAUSE_COMMS_FAILURE,
									     "slice", type, 0),
					.problem = slice_problem[t], .text = text,
					.object_kind = "slice", .object_id = s->id, .slice = s->id,
					.snssai = sn,
				};
				if (sd_alarm_raise(w->am, &spec, now) > 0)
					sd_strmap_put(&w->slice_alarms, key, (void *)1);
			}
		}
	}
	/* alarms of slices that are gone (a reload) */
	if (sd_strmap_len(&w->slice_alarms)) {
		size_t pos = 0;
		const char *k;
		void *v;
		char **drop = NULL;
		int ndrop = 0, d;
		while (sd_strmap_next(&w->slice_alarms, &pos, &k, &v)) {
			char id[SD_ID_MAX + 24], *slash;
			sd_strlcpy(id, k, sizeof id);
			slash = strrchr(id, '/');
			if (slash)
				*slash = '\0';
			if (sd_model_slice_index(m, id) < 0) {
				drop = sd_reallocarray(drop, (size_t)ndrop + 1, sizeof *drop);
				drop[ndrop++] = sd_strdup(k);
			}
		}
		for (d = 0; d < ndrop; d++) {
			char object[SD_ALARM_OBJECT_MAX], *slash = strrchr(drop[d], '/');
			int t2;
			if (slash) {
				*slash = '\0';
				snprintf(object, sizeof object, "slice=%s", drop[d]);
				for (t2 = 0; t2 < SD_SLA_USABLE_TYPES; t2++)
					if (strcmp(slash + 1, sd_sla_usable_type_name(t2)) == 0)
						sd_alarm_clear(w->am, object, SD_CAUSE_COMMS_FAILURE,
							       slice_problem[t2], "the slice is gone", now);
				*slash = '/';
			}
			sd_strmap_del(&w->slice_alarms, drop[d]);
			free(drop[d]);
		}
		free(drop);
	}
}

void sd_nfwatch_tick(struct sd_nfwatch *w, const struct sd_model *m,
		     const struct sd_sla_usable *u, int64_t now_ms)
{
	uint64_t fp;
	watch_nfs(w, m, now_ms);
	if (!w->am)
		return;
	fp = fingerprint(m);
	if (fp == w->fp && now_ms - w->judged_ms < REJUDGE_MS)
		return;
	w->fp = fp;
	w->judged_ms = now_ms;
	judge_slices(w, m, u, now_ms);
}

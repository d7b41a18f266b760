/* sim/charging.c — see charging.h. */
#include "sim/charging.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/sbi_client.h"
#include "core/util.h"
#include "sim/rng.h"
#include "sim/sim.h"

#define CHF_PATH "/nchf-convergedcharging/v3/chargingdata"
#define RETRY_MIN_MS 100
#define RETRY_MAX_MS 1000

enum msg_kind { M_CREATE, M_UPDATE, M_RELEASE };

struct msg {
	struct msg *next;
	enum msg_kind kind;
	uint32_t seq;              /* invocationSequenceNumber */
	int64_t ts_ms;             /* invocationTimeStamp (model time) */
	json_t *muu;               /* multipleUnitUsage, owned; NULL = none */
	int64_t ul, dl, records;   /* what it carries, for the ground truth */
	int tries;
};

struct session {
	struct sd_sim_charging *c;
	int slice;
	int smf;                   /* index into sim->nfs */
	int upf;                   /* the factory's own UPF, -1 = none */
	int pdu_id;                /* 1..255 */
	uint32_t charging_id;
	char supi[32];
	char ref[128];             /* from the create's Location; "" before */
	uint32_t next_seq;
	int64_t next_lsn;
	int ticks_left;
	bool closing;              /* its release is queued */
	bool inflight;
	uint64_t retry_timer;
	int backoff_ms;
	struct msg *head, *tail;
};

struct truth {
	int64_t gen_records, gen_ul, gen_dl;
	int64_t ack_records, ack_ul, ack_dl;
	int64_t rejected_records;
	int live;                  /* sessions not closing */
};

struct sd_sim_charging {
	struct sd_sim *sim;
	struct sd_sim_charging_opts o;
	char root[256];
	struct sd_sbi_client *cli;
	struct sd_sbi_conf conf;
	struct sd_sim_rng rng;
	uint64_t tick_timer;
	int64_t last_tick_model_ms;
	bool stopped;              /* charging stop: no new usage */
	bool freeing;
	struct session **ss;
	int nss, capss;
	int rr;                    /* round-robin start of the pump */
	int inflight;
	struct truth *truth;       /* per model slice */
	uint32_t next_charging_id;
	int next_pdu;
	uint64_t requests, retransmissions, acked, rejected_msgs;
	char last_reject[256];
};

static void pump(struct sd_sim_charging *c);

static void msg_free(struct msg *m)
{
	json_decref(m->muu);
	free(m);
}

static void enqueue(struct session *s, struct msg *m)
{
	struct truth *t = &s->c->truth[s->slice];
	m->seq = s->next_seq++;
	m->ts_ms = sd_sim_time(s->c->sim);
	t->gen_records += m->records;
	t->gen_ul += m->ul;
	t->gen_dl += m->dl;
	if (s->tail)
		s->tail->next = m;
	else
		s->head = m;
	s->tail = m;
}

/* The factory's own UPF for a slice of a hybrid or independent network. */
static int factory_upf(const struct sd_sim *sim, int slice)
{
	int f = sim->m->slices[slice].factory, i;
	for (i = 0; i < sim->nnfs; i++)
		if (sim->nfs[i].emulated && sim->nfs[i].factory == f &&
		    strcmp(sim->nfs[i].type, "UPF") == 0)
			return i;
	return -1;
}

static int pick_smf(const struct sd_sim *sim, int n)
{
	int i, k = 0, first = -1;
	for (i = 0; i < sim->nnfs; i++) {
		if (!sim->nfs[i].emulated || strcmp(sim->nfs[i].type, "SMF") != 0)
			continue;
		if (first < 0)
			first = i;
		if (k++ == n)
			return i;
	}
	return first;
}

static struct session *session_new(struct sd_sim_charging *c, int slice)
{
	struct session *s = sd_calloc(1, sizeof *s);
	struct msg *m = sd_calloc(1, sizeof *m);
	s->c = c;
	s->slice = slice;
	s->smf = pick_smf(c->sim, slice % 2);
	s->upf = factory_upf(c->sim, slice);
	s->pdu_id = 1 + c->next_pdu++ % 255;
	s->charging_id = c->next_charging_id++;
	snprintf(s->supi, sizeof s->supi, "imsi-46000%010u", (unsigned)(s->charging_id % 1000000000u));
	s->next_lsn = 1;
	s->ticks_left = 5 + (int)(sd_sim_rng_unit(&c->rng) * 26);
	s->backoff_ms = RETRY_MIN_MS;
	m->kind = M_CREATE;
	enqueue(s, m);
	if (c->nss == c->capss) {
		c->capss = c->capss ? c->capss * 2 : 64;
		c->ss = sd_reallocarray(c->ss, (size_t)c->capss, sizeof *c->ss);
	}
	c->ss[c->nss++] = s;
	c->truth[slice].live++;
	return s;
}

static void session_free(struct sd_sim_charging *c, int i)
{
	struct session *s = c->ss[i];
	struct msg *m, *n;
	if (s->retry_timer)
		sd_loop_timer_del(c->sim->loop, s->retry_timer);
	for (m = s->head; m; m = n) {
		n = m->next;
		msg_free(m);
	}
	free(s);
	c->ss[i] = c->ss[--c->nss];
}

/* Containers for one tick of a session: two rating groups. */
static struct msg *usage_msg(struct session *s, enum msg_kind kind, double dt_s)
{
	struct sd_sim_charging *c = s->c;
	struct sd_sim_kpi k;
	struct msg *m = sd_calloc(1, sizeof *m);
	static const struct { uint32_t rg; double share; } rgs[] = { { 10, 0.7 }, { 20, 0.3 } };
	size_t i;
	char ts[40];

	sd_sim_kpi(c->sim, s->slice, &k);
	m->kind = kind;
	m->muu = json_array();
	sd_fmt_time(sd_sim_time(c->sim), ts, sizeof ts);
	for (i = 0; i < SD_ARRAY_LEN(rgs); i++) {
		double noise = 0.5 + sd_sim_rng_unit(&c->rng);
		double per = dt_s / 8.0 * 1e6 * rgs[i].share * noise / (c->o.sessions > 0 ? c->o.sessions : 1);
		int64_t ul = k.active ? (int64_t)(k.ul_mbps * per) : 0;
		int64_t dl = k.active ? (int64_t)(k.dl_mbps * per) : 0;
		json_t *uuc = json_pack("{s:I, s:I, s:I, s:I, s:I, s:s, s:[{s:s, s:s}]}",
			"localSequenceNumber", (json_int_t)s->next_lsn++, "uplinkVolume", (json_int_t)ul,
			"downlinkVolume", (json_int_t)dl, "totalVolume", (json_int_t)(ul + dl),
			"time", (json_int_t)(dt_s + 0.5), "triggerTimestamp", ts, "triggers",
			"triggerType", kind == M_RELEASE ? "FINAL" : "VOLUME_LIMIT",
			"triggerCategory", "IMMEDIATE_REPORT");
		json_t *e = json_pack("{s:I, s:[o]}", "ratingGroup", (json_int_t)rgs[i].rg,
				      "usedUnitContainer", uuc);
		if (s->upf >= 0)
			json_object_set_new(e, "uPFID", json_string(c->sim->nfs[s->upf].id));
		json_array_append_new(m->muu, e);
		m->ul += ul;
		m->dl += dl;
		m->records++;
	}
	return m;
}

static json_t *body_of(struct session *s, const struct msg *m)
{
	const struct sd_sim *sim = s->c->sim;
	const struct sd_slice *sl = &sim->m->slices[s->slice];
	const struct sd_factory *f = &sim->m->factories[sl->factory];
	const char *dnn = sl->dnn[0] ? sl->dnn : f->ndnns ? f->dnns[0] : "internet";
	char ts[40];
	json_t *b, *nf;

	sd_fmt_time(m->ts_ms, ts, sizeof ts);
	nf = json_pack("{s:s, s:s}", "nodeFunctionality", "SMF", "nFIPv4Address", sim->host);
	if (s->smf >= 0)
		json_object_set_new(nf, "nFName", json_string(sim->nfs[s->smf].id));
	b = json_pack("{s:o, s:s, s:I, s:s, s:{s:I, s:{s:i, s:s, s:{s:o}}}}",
		"nfConsumerIdentification", nf, "invocationTimeStamp", ts,
		"invocationSequenceNumber", (json_int_t)m->seq, "subscriberIdentifier", s->supi,
		"pDUSessionChargingInformation", "chargingId", (json_int_t)s->charging_id,
		"pduSessionInformation", "pduSessionID", s->pdu_id, "dnnId", dnn,
		"networkSlicingInfo", "sNSSAI", sd_snssai_to_json(&sl->snssai));
	if (m->tries > 0)
		json_object_set_new(b, "retransmissionIndicator", json_true());
	if (m->muu)
		json_object_set(b, "multipleUnitUsage", m->muu);
	return b;
}

static int session_index(struct sd_sim_charging *c, struct session *s)
{
	int i;
	for (i = 0; i < c->nss; i++)
		if (c->ss[i] == s)
			return i;
	return -1;
}

static void on_retry(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct session *s = arg;
	s->retry_timer = 0;
	pump(s->c);
}

static void retry_later(struct session *s)
{
	s->head->tries++;
	s->retry_timer = sd_loop_timer_add(s->c->sim->loop, s->backoff_ms, on_retry, s);
	s->backoff_ms = s->backoff_ms * 2 > RETRY_MAX_MS ? RETRY_MAX_MS : s->backoff_ms * 2;
}

/* The head message is done with: acknowledged (ok) or refused. */
static void pop(struct session *s, bool ok)
{
	struct sd_sim_charging *c = s->c;
	struct truth *t = &c->truth[s->slice];
	struct msg *m = s->head;
	s->head = m->next;
	if (!s->head)
		s->tail = NULL;
	if (ok) {
		t->ack_records += m->records;
		t->ack_ul += m->ul;
		t->ack_dl += m->dl;
		c->acked++;
	} else {
		t->rejected_records += m->records;
		c->rejected_msgs++;
	}
	s->backoff_ms = RETRY_MIN_MS;
	msg_free(m);
}

static void on_answer(const struct sd_sbi_result *res, void *arg)
{
	struct session *s = arg;
	struct sd_sim_charging *c = s->c;
	struct msg *m = s->head;
	int idx;

	s->inflight = false;
	c->inflight--;
	if (c->freeing)
		return;
	if (res->err != SD_SBI_OK || res->status >= 500 || res->status == 408 ||
	    res->status == 429) {
		retry_later(s);
		pump(c);
		return;
	}
	if (res->status >= 300 || (m->kind == M_CREATE && (res->status != 201 || !res->location))) {
		/* refused: resending the same bytes cannot help */
		snprintf(c->last_reject, sizeof c->last_reject, "%s", res->errmsg && res->errmsg[0] ?
			 res->errmsg : "a create answered without Location");
		sd_warn("charging: %s", c->last_reject);
		if (m->kind == M_CREATE) {
			while (s->head)
				pop(s, false);
		} else {
			pop(s, false);
		}
	} else {
		if (m->kind == M_CREATE) {
			const char *slash = strrchr(res->location, '/');
			sd_strlcpy(s->ref, slash ? slash + 1 : res->location, sizeof s->ref);
		}
		pop(s, true);
	}
	if (!s->head && s->closing) {
		idx = session_index(c, s);
		if (idx >= 0)
			session_free(c, idx);
	}
	pump(c);
}

static void send_head(struct sd_sim_charging *c, struct session *s)
{
	struct msg *m = s->head;
	json_t *b = body_of(s, m);
	char *text = json_dumps(b, JSON_COMPACT), *url;
	struct sd_sbi_reqopts ro = { .nf = "CHF", .method = "POST", .body = text,
				     .content_type = "application/json", .no_retry = true,
				     .timeout_ms = 3000 };
	json_decref(b);
	if (m->kind == M_CREATE)
		url = sd_printf("%s%s", c->root, CHF_PATH);
	else
		url = sd_printf("%s%s/%s/%s", c->root, CHF_PATH, s->ref,
				m->kind == M_UPDATE ? "update" : "release");
	ro.url = url;
	c->requests++;
	if (m->tries)
		c->retransmissions++;
	if (sd_sbi_request(c->cli, &ro, on_answer, s) == 0) {
		s->inflight = true;
		c->inflight++;
	} else {
		retry_later(s);
	}
	free(url);
	free(text);
}

/* Send each session's next message while there is room in flight. */
static void pump(struct sd_sim_charging *c)
{
	int n = c->nss, i;
	for (i = 0; i < n && c->inflight < c->o.max_inflight; i++) {
		struct session *s = c->ss[(c->rr + i) % n];
		if (s->inflight || s->retry_timer || !s->head)
			continue;
		send_head(c, s);
	}
	if (n)
		c->rr = (c->rr + 1) % n;
}

static void on_tick(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct sd_sim_charging *c = arg;
	const struct sd_model *m = c->sim->m;
	int64_t now = sd_sim_time(c->sim);
	double dt_s = (double)(now - c->last_tick_model_ms) / 1000.0;
	int i, n = c->nss;

	c->tick_timer = sd_loop_timer_add(loop, c->o.interval_ms, on_tick, c);
	c->last_tick_model_ms = now;
	if (c->stopped)
		return;
	for (i = 0; i < n; i++) {
		struct session *s = c->ss[i];
		if (s->closing)
			continue;
		if (--s->ticks_left <= 0) {
			enqueue(s, usage_msg(s, M_RELEASE, dt_s));
			s->closing = true;
			c->truth[s->slice].live--;
		} else {
			enqueue(s, usage_msg(s, M_UPDATE, dt_s));
		}
	}
	for (i = 0; i < m->nslices; i++) {
		struct sd_sim_kpi k;
		sd_sim_kpi(c->sim, i, &k);
		while (k.active && c->truth[i].live < c->o.sessions)
			session_new(c, i);
	}
	pump(c);
}

struct sd_sim_charging *sd_sim_charging_new(struct sd_sim *sim,
					    const struct sd_sim_charging_opts *o,
					    char *err, size_t errsz)
{
	struct sd_sim_charging *c;
	struct sd_sbi_client_opts co = { .user_agent = "SMF", .nf_type = "SMF",
					 .unreachable_after = 1000000, .probe_min_ms = 100,
					 .probe_max_ms = 500 };
	size_t n;
	if (!o->chf_root || strncmp(o->chf_root, "http", 4) != 0) {
		snprintf(err, errsz, "--chf wants the CHF's apiRoot, http://HOST:PORT");
		return NULL;
	}
	c = sd_calloc(1, sizeof *c);
	c->sim = sim;
	c->o = *o;
	if (c->o.interval_ms <= 0)
		c->o.interval_ms = 1000;
	if (c->o.sessions <= 0)
		c->o.sessions = 4;
	if (c->o.max_inflight <= 0)
		c->o.max_inflight = 64;
	n = sd_strlcpy(c->root, o->chf_root, sizeof c->root);
	while (n > 0 && c->root[n - 1] == '/')
		c->root[--n] = '\0';
	c->conf.timeout_ms = 3000;
	co.conf = &c->conf;
	c->cli = sd_sbi_client_new(sim->loop, &co);
	if (!c->cli) {
		snprintf(err, errsz, "cannot start the charging client");
		free(c);
		return NULL;
	}
	sd_sim_rng_seed(&c->rng, sd_sim_mix(sim->o.seed ^ 0xc4a26e0ULL));
	/* charging ids start from the wall clock, so a restarted simulator's
	 * sessions are new sessions to the CHF, not replays of old ones */
	c->next_charging_id = (uint32_t)((sd_wall_ms() / 1000) % 400000) * 10000u + 1;
	c->truth = sd_calloc((size_t)(sim->m->nslices > 0 ? sim->m->nslices : 1), sizeof *c->truth);
	c->last_tick_model_ms = sd_sim_time(sim);
	c->tick_timer = sd_loop_timer_add(sim->loop, 0, on_tick, c);
	return c;
}

void sd_sim_charging_free(struct sd_sim_charging *c)
{
	if (!c)
		return;
	c->freeing = true;
	if (c->tick_timer)
		sd_loop_timer_del(c->sim->loop, c->tick_timer);
	sd_sbi_client_free(c->cli);   /* callbacks run now, see freeing */
	while (c->nss)
		session_free(c, c->nss - 1);
	free(c->ss);
	free(c->truth);
	free(c);
}

json_t *sd_sim_charging_json(const struct sd_sim_charging *c)
{
	json_t *slices = json_array();
	int64_t pending = 0, gen = 0, ack = 0, rej = 0;
	int i;
	for (i = 0; i < c->sim->m->nslices; i++) {
		const struct truth *t = &c->truth[i];
		int64_t p = t->gen_records - t->ack_records - t->rejected_records;
		pending += p;
		gen += t->gen_records;
		ack += t->ack_records;
		rej += t->rejected_records;
		if (!t->gen_records)
			continue;
		json_array_append_new(slices, json_pack(
			"{s:s, s:s, s:{s:I, s:I, s:I, s:I}, s:{s:I, s:I, s:I, s:I}, s:I, s:I}",
			"slice", c->sim->m->slices[i].id,
			"factory", c->sim->m->factories[c->sim->m->slices[i].factory].id,
			"generated", "records", (json_int_t)t->gen_records, "ul_bytes",
			(json_int_t)t->gen_ul, "dl_bytes", (json_int_t)t->gen_dl, "total_bytes",
			(json_int_t)(t->gen_ul + t->gen_dl),
			"acked", "records", (json_int_t)t->ack_records, "ul_bytes", (json_int_t)t->ack_ul,
			"dl_bytes", (json_int_t)t->ack_dl, "total_bytes", (json_int_t)(t->ack_ul + t->ack_dl),
			"pending_records", (json_int_t)p, "rejected_records", (json_int_t)t->rejected_records));
	}
	return json_pack("{s:b, s:s, s:b, s:i, s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:s, s:o}",
			 "ok", 1, "chf", c->root, "stopped", c->stopped, "sessions", c->nss,
			 "inflight", c->inflight, "requests", (json_int_t)c->requests,
			 "retransmissions", (json_int_t)c->retransmissions,
			 "acked_messages", (json_int_t)c->acked,
			 "rejected_messages", (json_int_t)c->rejected_msgs,
			 "generated_records", (json_int_t)gen, "acked_records", (json_int_t)ack,
			 "pending_records", (json_int_t)pending, "rejected_records", (json_int_t)rej,
			 "last_reject", c->last_reject, "slices", slices);
}

json_t *sd_sim_charging_control(struct sd_sim_charging *c, const char *arg)
{
	if (!c)
		return json_pack("{s:b, s:s}", "ok", 0, "error",
				 "no charging client (start the simulator with --chf URL)");
	if (strcmp(arg, "stop") == 0)
		c->stopped = true;
	else if (strcmp(arg, "start") == 0)
		c->stopped = false;
	else if (*arg)
		return json_pack("{s:b, s:s}", "ok", 0, "error", "charging takes stop, start or nothing");
	return sd_sim_charging_json(c);
}

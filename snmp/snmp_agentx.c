/* snmp/snmp_agentx.c — see snmp_agentx.h. */
#include "snmp/snmp_agentx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/library/large_fd_set.h>

#include "core/log.h"
#include "core/model.h"
#include "core/snssai.h"
#include "core/strmap.h"
#include "core/util.h"
#include "snmp/snmp_mib.h"

#define MAX_FDS 32
#define CACHE_S 1                  /* tables older than this are rebuilt */

/* A row: its columns from 2 on (column 1 is the index). */
struct col {
	unsigned char type;            /* ASN_OCTET_STR, ASN_INTEGER, ASN_UNSIGNED */
	long num;
	char *str;
	size_t len;
};
struct entry {
	int ncols;
	struct col c[];
};

struct table;
typedef void (*fill_fn)(struct sd_agentx *x, struct table *t);

struct table {
	struct sd_agentx *x;
	const char *name;
	int column;                    /* sdTables.N */
	int ncols;                     /* columns after the index */
	fill_fn fill;
	netsnmp_tdata *data;
	netsnmp_cache *cache;
};

struct sd_agentx {
	const struct sd_host *host;
	struct sd_snmp_source src;
	struct table tables[4];
	int fds[MAX_FDS];
	int nfds;
	uint64_t timer;
	int64_t timer_due;
	netsnmp_large_fd_set set;
};

/* --- rows ------------------------------------------------------------------------ */

static struct entry *entry_new(int ncols)
{
	struct entry *e = calloc(1, sizeof *e + (size_t)ncols * sizeof e->c[0]);
	if (e)
		e->ncols = ncols;
	return e;
}

static void entry_free(struct entry *e)
{
	int i;
	if (!e)
		return;
	for (i = 0; i < e->ncols; i++)
		free(e->c[i].str);
	free(e);
}

/* column k (2..) */
static void set_str(struct entry *e, int k, const char *s, size_t n)
{
	struct col *c = &e->c[k - 2];
	c->type = ASN_OCTET_STR;
	c->str = malloc(n ? n : 1);
	if (c->str && n)
		memcpy(c->str, s, n);
	c->len = c->str ? n : 0;
}

static void set_text(struct entry *e, int k, const char *s)
{
	set_str(e, k, s, strlen(s));
}

static void set_num(struct entry *e, int k, unsigned char type, long v)
{
	e->c[k - 2].type = type;
	e->c[k - 2].num = v;
}

static void set_time(struct entry *e, int k, int64_t ms)
{
	unsigned char b[11];
	size_t n = sd_snmp_date_and_time(ms, b);
	set_str(e, k, (const char *)b, n);
}

static void add_row(struct table *t, uint32_t index, struct entry *e)
{
	netsnmp_tdata_row *row;
	u_long idx = index;
	if (!e)
		return;
	row = netsnmp_tdata_create_row();
	if (!row) {
		entry_free(e);
		return;
	}
	row->data = e;
	netsnmp_tdata_row_add_index(row, ASN_UNSIGNED, &idx, sizeof idx);
	if (netsnmp_tdata_add_row(t->data, row) != SNMPERR_SUCCESS) {
		netsnmp_tdata_delete_row(row);
		entry_free(e);
	}
}

/* --- the four tables -------------------------------------------------------------- */

static void fill_factories(struct sd_agentx *x, struct table *t)
{
	const struct sd_model *m = sd_host_model(x->host);
	int i;
	for (i = 0; i < m->nfactories; i++) {
		const struct sd_factory *f = &m->factories[i];
		struct entry *e = entry_new(t->ncols);
		if (!e)
			return;
		set_text(e, 2, f->id);
		set_text(e, 3, f->name);
		set_num(e, 4, ASN_INTEGER, (long)f->mode + 1);
		set_num(e, 5, ASN_INTEGER, (long)f->level + 1);
		set_num(e, 6, ASN_UNSIGNED, f->security_grade >= 0 && f->security_grade <= 3
			? f->security_grade : 0);
		add_row(t, (uint32_t)i + 1, e);
	}
}

static void put_compliance(const char *slice, int hundredths, void *arg)
{
	sd_strmap_put(arg, slice, (void *)(intptr_t)(hundredths + 1));
}

static void fill_slices(struct sd_agentx *x, struct table *t)
{
	const struct sd_model *m = sd_host_model(x->host);
	struct sd_strmap comp;
	int i;
	sd_strmap_init(&comp);
	if (x->src.each_compliance)
		x->src.each_compliance(x->src.arg, put_compliance, &comp);
	for (i = 0; i < m->nslices; i++) {
		const struct sd_slice *s = &m->slices[i];
		struct entry *e = entry_new(t->ncols);
		char sn[SD_SNSSAI_STRLEN];
		intptr_t c;
		if (!e)
			break;
		set_text(e, 2, s->id);
		set_text(e, 3, s->factory >= 0 && s->factory < m->nfactories
			 ? m->factories[s->factory].id : "");
		set_text(e, 4, sd_snssai_format(&s->snssai, sn, sizeof sn));
		set_text(e, 5, s->scenario ? s->scenario->id : "");
		set_num(e, 6, ASN_INTEGER, (long)s->state + 1);
		set_num(e, 7, ASN_INTEGER, x->src.slice_verdict
			? x->src.slice_verdict(x->src.arg, s->id) : SD_SNMP_SLA_UNKNOWN);
		c = (intptr_t)sd_strmap_get(&comp, s->id);
		/* 0 while the month has no judged window (the MIB says so) */
		set_num(e, 8, ASN_UNSIGNED, c > 0 ? (long)(c - 1) : 0);
		add_row(t, (uint32_t)i + 1, e);
	}
	sd_strmap_done(&comp);
}

static void fill_nfs(struct sd_agentx *x, struct table *t)
{
	const struct sd_model *m = sd_host_model(x->host);
	int64_t now = sd_wall_ms();
	int i;
	for (i = 0; i < m->nnfs; i++) {
		const struct sd_nf_instance *nf = &m->nfs[i];
		struct entry *e = entry_new(t->ncols);
		if (!e)
			return;
		set_text(e, 2, nf->id);
		set_text(e, 3, nf->type);
		set_text(e, 4, sd_nf_status_name(nf->status));
		set_num(e, 5, ASN_UNSIGNED, nf->load >= 0 && nf->load <= 100 ? nf->load : 0);
		set_num(e, 6, ASN_UNSIGNED, nf->last_seen_ms > 0 && now > nf->last_seen_ms
			? (long)((now - nf->last_seen_ms) / 1000) : 0);
		add_row(t, (uint32_t)i + 1, e);
	}
}

static void add_alarm(const struct sd_alarm *a, void *arg)
{
	struct table *t = arg;
	struct entry *e;
	if (a->id == 0 || a->id > 0xffffffffu)
		return;
	e = entry_new(t->ncols);
	if (!e)
		return;
	set_text(e, 2, a->object);
	set_text(e, 3, a->factory);
	set_num(e, 4, ASN_INTEGER, sd_snmp_itu_event_type(a->type));
	set_num(e, 5, ASN_INTEGER, sd_snmp_itu_cause(a->cause));
	set_num(e, 6, ASN_INTEGER, sd_snmp_itu_severity(a->severity));
	set_text(e, 7, a->problem);
	set_text(e, 8, a->text);
	set_time(e, 9, a->raised_ms);
	set_num(e, 10, ASN_INTEGER, a->acked_ms > 0 ? 1 : 2);
	add_row(t, (uint32_t)a->id, e);
}

static void fill_alarms(struct sd_agentx *x, struct table *t)
{
	if (x->src.each_active)
		x->src.each_active(x->src.arg, add_alarm, t);
}

/* --- net-snmp glue ------------------------------------------------------------------ */

static int cache_load(netsnmp_cache *cache, void *magic)
{
	struct table *t = magic;
	t->fill(t->x, t);
	return 0;
}

static void cache_free(netsnmp_cache *cache, void *magic)
{
	struct table *t = magic;
	netsnmp_tdata_row *row;
	while ((row = netsnmp_tdata_row_first(t->data)))
		entry_free(netsnmp_tdata_remove_and_delete_row(t->data, row));
}

static int on_request(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
		      netsnmp_agent_request_info *info, netsnmp_request_info *requests)
{
	netsnmp_request_info *r;
	if (info->mode != MODE_GET)
		return SNMP_ERR_NOERROR;   /* GETNEXT/GETBULK become GETs in the helper */
	for (r = requests; r; r = r->next) {
		struct entry *e = netsnmp_tdata_extract_entry(r);
		netsnmp_table_request_info *ti = netsnmp_extract_table_info(r);
		const struct col *c;
		if (r->processed)
			continue;
		if (!e || !ti || ti->colnum < 2 || ti->colnum - 2 >= (unsigned)e->ncols) {
			netsnmp_set_request_error(info, r, SNMP_NOSUCHINSTANCE);
			continue;
		}
		c = &e->c[ti->colnum - 2];
		if (c->type == ASN_OCTET_STR)
			snmp_set_var_typed_value(r->requestvb, ASN_OCTET_STR,
						 (const u_char *)(c->str ? c->str : ""), c->len);
		else if (c->type == ASN_UNSIGNED) {
			u_long v = (u_long)c->num;
			snmp_set_var_typed_value(r->requestvb, ASN_UNSIGNED, (const u_char *)&v,
						 sizeof v);
		} else {
			long v = c->num;
			snmp_set_var_typed_value(r->requestvb, ASN_INTEGER, (const u_char *)&v,
						 sizeof v);
		}
	}
	return SNMP_ERR_NOERROR;
}

static int register_table(struct table *t, char *err, size_t errsz)
{
	oid toid[] = { 1, 3, 6, 1, 4, 1, 32473, 1, 2, (oid)t->column };
	netsnmp_handler_registration *reg;
	netsnmp_table_registration_info *ti;

	reg = netsnmp_create_handler_registration(t->name, on_request, toid, OID_LENGTH(toid),
						  HANDLER_CAN_RONLY);
	t->data = netsnmp_tdata_create_table(t->name, 0);
	ti = SNMP_MALLOC_TYPEDEF(netsnmp_table_registration_info);
	if (!reg || !t->data || !ti) {
		snprintf(err, errsz, "%s: out of memory", t->name);
		return -1;
	}
	netsnmp_table_helper_add_indexes(ti, ASN_UNSIGNED, 0);
	ti->min_column = 2;
	ti->max_column = (unsigned)t->ncols + 1;
	if (netsnmp_tdata_register(reg, t->data, ti) != MIB_REGISTERED_OK) {
		snprintf(err, errsz, "%s: registration refused", t->name);
		return -1;
	}
	/* the table helper adds the entry (.1), the column and the index */
	t->cache = netsnmp_cache_create(CACHE_S, cache_load, cache_free, toid, OID_LENGTH(toid));
	if (!t->cache) {
		snprintf(err, errsz, "%s: no cache", t->name);
		return -1;
	}
	t->cache->magic = t;
	t->cache->flags = NETSNMP_CACHE_DONT_INVALIDATE_ON_SET | NETSNMP_CACHE_DONT_FREE_EXPIRED |
			  NETSNMP_CACHE_DONT_AUTO_RELEASE;
	/* first in the chain: the rows are loaded before the table helpers
	 * look for them */
	if (netsnmp_inject_handler(reg, netsnmp_cache_handler_get(t->cache)) != SNMPERR_SUCCESS) {
		snprintf(err, errsz, "%s: the cache could not be attached", t->name);
		return -1;
	}
	return 0;
}

/* --- the loop ------------------------------------------------------------------------ */

static void on_fd(struct sd_loop *loop, int fd, int events, void *arg)
{
	struct sd_agentx *x = arg;
	NETSNMP_LARGE_FD_ZERO(&x->set);
	NETSNMP_LARGE_FD_SET(fd, &x->set);
	snmp_read2(&x->set);
	netsnmp_check_outstanding_agent_requests();
}

static void on_timer(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct sd_agentx *x = arg;
	x->timer = 0;
	x->timer_due = 0;
	snmp_timeout();
	run_alarms();
	netsnmp_check_outstanding_agent_requests();
}

/* Each turn: watch exactly the fds net-snmp's sessions have now (AgentX
 * reconnects replace the socket), one timer at its next timeout. */
static void before_sleep(struct sd_loop *loop, void *arg)
{
	struct sd_agentx *x = arg;
	struct timeval tv = { 0, 0 };
	int nfds = 0, block = 1, fd, i, n = 0;
	int now[MAX_FDS];

	NETSNMP_LARGE_FD_ZERO(&x->set);
	snmp_select_info2(&nfds, &x->set, &tv, &block);
	for (fd = 0; fd < nfds && n < MAX_FDS; fd++)
		if (NETSNMP_LARGE_FD_ISSET(fd, &x->set))
			now[n++] = fd;
	for (i = 0; i < x->nfds; i++) {
		int k, keep = 0;
		for (k = 0; k < n; k++)
			keep |= now[k] == x->fds[i];
		if (!keep)
			sd_loop_unwatch(loop, x->fds[i]);
	}
	for (i = 0; i < n; i++) {
		int k, had = 0;
		for (k = 0; k < x->nfds; k++)
			had |= x->fds[k] == now[i];
		if (!had)
			sd_loop_watch(loop, now[i], SD_EV_READ, on_fd, x);
	}
	memcpy(x->fds, now, sizeof now[0] * (size_t)n);
	x->nfds = n;
	if (!block) {
		int64_t ms = (int64_t)tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000;
		int64_t due = sd_loop_now(loop) + ms;
		if (x->timer && x->timer_due <= due)
			return;
		if (x->timer)
			sd_loop_timer_del(loop, x->timer);
		x->timer = sd_loop_timer_add(loop, ms, on_timer, x);
		x->timer_due = due;
	}
}

/* --- life cycle ------------------------------------------------------------------------ */

void sd_agentx_preinit(const char *socket, int retry_s)
{
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE, 1);
	netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET, socket);
	/* no snmpd-style persistent files, no SNMP port of our own */
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_NO_ROOT_ACCESS, 1);
	init_agent("slicedeckd");
	/* after init_agent, which sets the default (15 s); read when
	 * init_snmp connects */
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL,
			   retry_s);
}

struct sd_agentx *sd_agentx_new(const struct sd_host *h, const struct sd_snmp_source *src,
				char *err, size_t errsz)
{
	static const struct { const char *name; int column, ncols; fill_fn fill; } defs[4] = {
		{ "sdFactoryTable", 1, 5, fill_factories },
		{ "sdSliceTable", 2, 7, fill_slices },
		{ "sdNfTable", 3, 5, fill_nfs },
		{ "sdActiveAlarmTable", 4, 9, fill_alarms },
	};
	struct sd_agentx *x = calloc(1, sizeof *x);
	int i;
	if (!x) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	x->host = h;
	if (src)
		x->src = *src;
	netsnmp_large_fd_set_init(&x->set, FD_SETSIZE);
	for (i = 0; i < 4; i++) {
		struct table *t = &x->tables[i];
		t->x = x;
		t->name = defs[i].name;
		t->column = defs[i].column;
		t->ncols = defs[i].ncols;
		t->fill = defs[i].fill;
		if (register_table(t, err, errsz) < 0) {
			sd_agentx_free(x);
			return NULL;
		}
	}
	sd_loop_before_sleep(h->loop, before_sleep, x);
	sd_info("snmp: AgentX subagent for %s (4 tables), pinging every %d s",
		netsnmp_ds_get_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET),
		netsnmp_ds_get_int(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL));
	return x;
}

void sd_agentx_free(struct sd_agentx *x)
{
	int i;
	if (!x)
		return;
	sd_loop_before_sleep_del(x->host->loop, before_sleep, x);
	for (i = 0; i < x->nfds; i++)
		sd_loop_unwatch(x->host->loop, x->fds[i]);
	if (x->timer)
		sd_loop_timer_del(x->host->loop, x->timer);
	for (i = 0; i < 4; i++) {
		struct table *t = &x->tables[i];
		oid toid[] = { 1, 3, 6, 1, 4, 1, 32473, 1, 2, (oid)t->column };
		if (t->data)
			cache_free(t->cache, t);
		if (t->data)
			unregister_mib(toid, OID_LENGTH(toid));
	}
	netsnmp_large_fd_set_cleanup(&x->set);
	free(x);
}

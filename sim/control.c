/* sim/control.c — see control.h. */
#include "sim/control.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/log.h"
#include "core/util.h"
#include "sim/charging.h"
#include "sim/sim.h"
#include "sim/timeline.h"

#define CTL_MAX_CLIENTS 8
#define CTL_MAX_LINE    1024

struct ctl_client {
	int fd;
	struct sd_buf in;
};

struct sd_sim_control {
	struct sd_sim *sim;
	int fd;
	char path[108];
	struct ctl_client cl[CTL_MAX_CLIENTS];
};

static json_t *err_json(const char *msg)
{
	return json_pack("{s:b, s:s}", "ok", 0, "error", msg);
}

static json_t *status_json(struct sd_sim *sim)
{
	json_t *nfs = json_array(), *slices = json_array(), *o;
	char ts[40];
	int i;
	for (i = 0; i < sim->nnfs; i++) {
		const struct sd_sim_nf *nf = &sim->nfs[i];
		json_array_append_new(nfs, json_pack("{s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:i}",
			"name", nf->name, "type", nf->type, "id", nf->id,
			"status", sd_nf_status_name(nf->status), "registered", nf->registered,
			"down", nf->down, "emulated", nf->emulated, "load", sd_sim_nf_load(sim, nf)));
	}
	for (i = 0; i < sim->m->nslices; i++) {
		struct sd_sim_kpi k;
		char sn[SD_SNSSAI_STRLEN];
		sd_sim_kpi(sim, i, &k);
		json_array_append_new(slices, json_pack(
			"{s:s, s:s, s:b, s:i, s:f, s:f, s:f, s:f, s:f, s:f, s:f}",
			"id", sim->m->slices[i].id,
			"snssai", sd_snssai_format(&sim->m->slices[i].snssai, sn, sizeof sn),
			"active", k.active, "ues", k.ues, "load", k.load,
			"latency_p50_ms", k.lat_median_ms + k.lat_add_ms, "latency_p99_ms", k.lat_p99_ms,
			"budget_ms", k.budget_ms, "dl_mbps", k.dl_mbps, "ul_mbps", k.ul_mbps,
			"loss_pct", k.loss_pct));
	}
	sd_sim_fmt_time(sd_sim_time(sim), ts, sizeof ts);
	o = json_pack("{s:b, s:s, s:s, s:o, s:o, s:{s:i, s:i, s:i, s:i, s:i},"
		      " s:{s:I, s:I, s:I, s:i}, s:I, s:I, s:i}",
		      "ok", 1, "api_root", sim->api_root, "model_time", ts,
		      "nfs", nfs, "slices", slices,
		      "subscriptions", "nrf", sd_sim_sub_count(sim, SD_SUB_NRF),
		      "nssf", sd_sim_sub_count(sim, SD_SUB_NSSF),
		      "nwdaf", sd_sim_sub_count(sim, SD_SUB_NWDAF),
		      "amf", sd_sim_sub_count(sim, SD_SUB_AMF),
		      "smf", sd_sim_sub_count(sim, SD_SUB_SMF),
		      "notifications", "sent", (json_int_t)sim->notif_sent,
		      "failed", (json_int_t)sim->notif_failed,
		      "dropped", (json_int_t)sim->notif_dropped, "pending", sim->pending,
		      "requests", (json_int_t)sim->requests, "padded", (json_int_t)sim->padded,
		      "faults", sim->faults.n);
	return o;
}

static json_t *cells_json(struct sd_sim *sim)
{
	json_t *a = json_array();
	uint8_t *down = sd_sim_cells_down(sim);
	int i;
	for (i = 0; i < sim->m->ncells; i++) {
		double rsrp, sinr;
		sd_sim_cell_radio_ex(sim->m, sim->o.seed, i, sd_sim_time(sim), sim->o.utc_offset_min,
				     down, &rsrp, &sinr);
		json_array_append_new(a, json_pack("{s:s, s:s, s:I, s:i, s:f, s:f, s:b}",
			"id", sim->m->cells[i].id, "site", sim->m->sites[sim->m->cells[i].site].id,
			"nci", (json_int_t)sim->m->cells[i].nci, "tac", (int)sim->m->cells[i].tac,
			"rsrp_dbm", rsrp, "sinr_db", sinr, "down", down && down[i]));
	}
	sd_free(down);
	return json_pack("{s:b, s:o}", "ok", 1, "cells", a);
}

static const char *const kind_names[] = {
	[SD_SUB_NRF] = "nrf", [SD_SUB_NSSF] = "nssf", [SD_SUB_NWDAF] = "nwdaf",
	[SD_SUB_AMF] = "amf", [SD_SUB_SMF] = "smf",
};

/* Every subscription the simulated NFs hold: what a subscriber left behind
 * is seen here (read-only). For SMF ones, the PDU sessions per slice their
 * reports have established so far (what a subscriber counting
 * PDU_SES_EST - PDU_SES_REL must hold). */
static json_t *subscriptions_json(struct sd_sim *sim)
{
	json_t *a = json_array(), *counts = json_object();
	int64_t now = sd_wall_ms();
	int i, k;
	for (k = SD_SUB_NRF; k <= SD_SUB_SMF; k++)
		json_object_set_new(counts, kind_names[k],
				    json_integer(sd_sim_sub_count(sim, (enum sd_sim_sub_kind)k)));
	for (i = 0; i < SD_SIM_MAX_SUBS; i++) {
		const struct sd_sim_sub *s = &sim->subs[i];
		json_t *o;
		if (!s->used)
			continue;
		o = json_pack("{s:s, s:s, s:s, s:i, s:i, s:i, s:i}", "kind", kind_names[s->kind],
			      "id", s->id, "uri", s->uri, "period_s", s->period_s,
			      "reports", s->nreports, "failures", s->failures,
			      "renewals", s->renewals);
		json_object_set_new(o, "expires_in_s", s->expiry_wall
				    ? json_integer((json_int_t)((s->expiry_wall - now) / 1000))
				    : json_null());
		if (s->kind == SD_SUB_SMF) {
			json_t *ss = json_object();
			int sl;
			for (sl = 0; s->sessions && sl < sim->m->nslices; sl++)
				json_object_set_new(ss, sim->m->slices[sl].id,
						    json_integer(s->sessions[sl]));
			json_object_set_new(o, "sessions", ss);
		}
		json_array_append_new(a, o);
	}
	return json_pack("{s:b, s:o, s:o}", "ok", 1, "counts", counts, "subscriptions", a);
}

/* Each slice as the NFs would report it right now (read-only): UEs (AMF,
 * all tracking areas), PDU sessions (SMF), the NWDAF's load level, and in
 * how many of the slice's tracking areas the NSSF offers its S-NSSAI. */
static json_t *live_json(struct sd_sim *sim)
{
	json_t *a = json_array();
	uint32_t tacs[256];
	int ntacs = sd_sim_tacs(sim->m, tacs, 256), i, t;
	char ts[40];
	for (i = 0; i < sim->m->nslices; i++) {
		const struct sd_slice *x = &sim->m->slices[i];
		struct sd_sim_kpi k;
		char sn[SD_SNSSAI_STRLEN];
		int in = 0, offered = 0;
		sd_sim_kpi(sim, i, &k);
		for (t = 0; t < ntacs; t++) {
			if (!sd_sim_slice_in_tac(sim->m, i, tacs[t]))
				continue;
			in++;
			offered += sd_sim_nssf_offers(sim, tacs[t], &x->snssai);
		}
		json_array_append_new(a, json_pack("{s:s, s:s, s:b, s:i, s:i, s:i, s:i, s:i}",
			"id", x->id, "snssai", sd_snssai_format(&x->snssai, sn, sizeof sn),
			"active", k.active, "ues", k.ues, "pdu_sessions", k.pdu_sessions,
			"load_level", (int)lround(k.load * 100.0), "tas", in, "tas_offered", offered));
	}
	sd_sim_fmt_time(sd_sim_time(sim), ts, sizeof ts);
	return json_pack("{s:b, s:s, s:o}", "ok", 1, "model_time", ts, "slices", a);
}

json_t *sd_sim_control_exec(struct sd_sim *sim, const char *line)
{
	char cmd[16], err[256];
	const char *arg;
	size_t n = strcspn(line, " \t");
	long long id;

	if (n == 0 || n >= sizeof cmd)
		return err_json("empty or unknown command (try help)");
	memcpy(cmd, line, n);
	cmd[n] = '\0';
	arg = line + n;
	while (*arg == ' ' || *arg == '\t')
		arg++;
	if (strcmp(cmd, "fault") == 0) {
		int fid = sd_sim_fault_add(sim, arg, err, sizeof err);
		if (fid < 0)
			return err_json(err);
		return json_pack("{s:b, s:i}", "ok", 1, "id", fid);
	}
	if (strcmp(cmd, "clear") == 0) {
		if (*arg && (!sd_parse_ll(arg, 1, 1000000, &id)))
			return err_json("clear takes a fault id or nothing");
		return json_pack("{s:b, s:i}", "ok", 1, "cleared",
				 sd_sim_fault_clear(sim, *arg ? (int)id : 0));
	}
	if (strcmp(cmd, "faults") == 0 || strcmp(cmd, "list") == 0) {
		sd_sim_faults_expire(&sim->faults, sd_sim_mono(sim));
		return json_pack("{s:b, s:o}", "ok", 1, "faults",
				 sd_sim_faults_json(&sim->faults, sd_sim_mono(sim)));
	}
	if (strcmp(cmd, "status") == 0)
		return status_json(sim);
	if (strcmp(cmd, "report") == 0) {
		/* What the subscription's next periodic notification would carry,
		 * without sending it (trainees, schema checks). */
		int k;
		for (k = SD_SUB_NRF; k <= SD_SUB_SMF; k++) {
			struct sd_sim_sub *s = sd_sim_sub_find(sim, (enum sd_sim_sub_kind)k, arg);
			json_t *body = NULL;
			if (!s)
				continue;
			switch (s->kind) {
			case SD_SUB_NSSF: body = sd_sim_nssf_report(sim, s); break;
			case SD_SUB_NWDAF: body = sd_sim_nwdaf_report(sim, s); break;
			case SD_SUB_AMF: body = sd_sim_amf_report(sim, s); break;
			case SD_SUB_SMF: body = sd_sim_smf_report(sim, s); break;
			default: break;
			}
			if (!body)
				return err_json("that subscription has nothing to report now");
			return json_pack("{s:b, s:o}", "ok", 1, "report", body);
		}
		return err_json("no such subscription");
	}
	if (strcmp(cmd, "cells") == 0)
		return cells_json(sim);
	if (strcmp(cmd, "subscriptions") == 0)
		return subscriptions_json(sim);
	if (strcmp(cmd, "live") == 0)
		return live_json(sim);
	if (strcmp(cmd, "timeline") == 0)
		return sd_sim_timeline_json(sim, sd_sim_mono(sim));
	if (strcmp(cmd, "charging") == 0)
		return sd_sim_charging_control(sim->charging, arg);
	if (strcmp(cmd, "help") == 0)
		return json_pack("{s:b, s:[s,s,s,s,s,s,s,s,s,s,s]}", "ok", 1, "commands",
				 "fault SPEC", "clear [ID]", "faults", "status", "cells",
				 "subscriptions", "live", "timeline", "report SUBSCRIPTION-ID",
				 "charging [stop|start]", "help");
	{
		char shown[32], msg[96];
		sd_sanitize(shown, sizeof shown, cmd, strlen(cmd));
		snprintf(msg, sizeof msg, "unknown command \"%s\" (try help)", shown);
		return err_json(msg);
	}
}

static void client_close(struct sd_sim_control *c, struct ctl_client *cl)
{
	sd_loop_unwatch(c->sim->loop, cl->fd);
	close(cl->fd);
	sd_buf_done(&cl->in);
	cl->fd = -1;
}

static void reply(struct ctl_client *cl, json_t *j)
{
	char *text = json_dumps(j, JSON_COMPACT);
	size_t len = strlen(text), off = 0;
	json_decref(j);
	/* Answers are small; a client that does not read gets cut off. */
	while (off < len) {
		ssize_t w = send(cl->fd, text + off, len - off, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	if (off == len)
		(void)send(cl->fd, "\n", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
	free(text);
}

static void client_cb(struct sd_loop *loop, int fd, int events, void *arg)
{
	struct sd_sim_control *c = arg;
	struct ctl_client *cl = NULL;
	char buf[512];
	ssize_t n;
	int i;
	char *nl;

	(void)loop;
	(void)events;
	for (i = 0; i < CTL_MAX_CLIENTS; i++)
		if (c->cl[i].fd == fd)
			cl = &c->cl[i];
	if (!cl)
		return;
	n = recv(fd, buf, sizeof buf, 0);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0 || sd_buf_add(&cl->in, buf, (size_t)n) < 0) {
		if (n > 0)
			sd_warn("control: command line over %d bytes; closing", CTL_MAX_LINE);
		client_close(c, cl);
		return;
	}
	while (cl->fd >= 0 && cl->in.len && (nl = memchr(cl->in.data, '\n', cl->in.len))) {
		size_t ll = (size_t)(nl - cl->in.data);
		char line[CTL_MAX_LINE + 1];
		memcpy(line, cl->in.data, ll);
		line[ll] = '\0';
		if (ll && line[ll - 1] == '\r')
			line[ll - 1] = '\0';
		sd_buf_consume(&cl->in, ll + 1);
		if (line[0])
			reply(cl, sd_sim_control_exec(c->sim, line));
	}
}

static void accept_cb(struct sd_loop *loop, int fd, int events, void *arg)
{
	struct sd_sim_control *c = arg;
	int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC), i;
	(void)events;
	if (cfd < 0)
		return;
	for (i = 0; i < CTL_MAX_CLIENTS; i++)
		if (c->cl[i].fd < 0)
			break;
	if (i == CTL_MAX_CLIENTS) {
		sd_warn("control: more than %d clients; refusing one", CTL_MAX_CLIENTS);
		close(cfd);
		return;
	}
	c->cl[i].fd = cfd;
	sd_buf_init(&c->cl[i].in, CTL_MAX_LINE);
	sd_loop_watch(loop, cfd, SD_EV_READ, client_cb, c);
}

struct sd_sim_control *sd_sim_control_new(struct sd_sim *sim, const char *path,
					  char *err, size_t errsz)
{
	struct sd_sim_control *c;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	mode_t old;
	int i;

	if (strlen(path) >= sizeof sa.sun_path) {
		snprintf(err, errsz, "control socket path too long: %s", path);
		return NULL;
	}
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(err, errsz, "%s exists and is not a socket", path);
			return NULL;
		}
		unlink(path);   /* stale socket of an earlier run */
	}
	c = sd_calloc(1, sizeof *c);
	c->sim = sim;
	for (i = 0; i < CTL_MAX_CLIENTS; i++)
		c->cl[i].fd = -1;
	sd_strlcpy(c->path, path, sizeof c->path);
	sd_strlcpy(sa.sun_path, path, sizeof sa.sun_path);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		goto fail;
	old = umask(077);
	if (bind(c->fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		umask(old);
		goto fail;
	}
	umask(old);
	if (chmod(path, 0600) < 0 || listen(c->fd, 8) < 0)
		goto fail;
	sd_loop_watch(sim->loop, c->fd, SD_EV_READ, accept_cb, c);
	return c;
fail:
	snprintf(err, errsz, "control socket %s: %s", path, strerror(errno));
	if (c->fd >= 0)
		close(c->fd);
	free(c);
	return NULL;
}

void sd_sim_control_free(struct sd_sim_control *c)
{
	int i;
	if (!c)
		return;
	for (i = 0; i < CTL_MAX_CLIENTS; i++)
		if (c->cl[i].fd >= 0)
			client_close(c, &c->cl[i]);
	sd_loop_unwatch(c->sim->loop, c->fd);
	close(c->fd);
	unlink(c->path);
	free(c);
}

int sd_sim_control_send(const char *path, const char *cmd)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char buf[65536];
	size_t got = 0;
	int fd, ok;
	json_t *j;

	if (strlen(path) >= sizeof sa.sun_path || strchr(cmd, '\n')) {
		fprintf(stderr, "slicedeck-sim: bad control path or command\n");
		return 2;
	}
	sd_strlcpy(sa.sun_path, path, sizeof sa.sun_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		fprintf(stderr, "slicedeck-sim: %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return 2;
	}
	if (send(fd, cmd, strlen(cmd), MSG_NOSIGNAL) < 0 || send(fd, "\n", 1, MSG_NOSIGNAL) < 0) {
		fprintf(stderr, "slicedeck-sim: %s: %s\n", path, strerror(errno));
		close(fd);
		return 2;
	}
	while (got < sizeof buf - 1) {
		struct timeval tv = { .tv_sec = 10 };
		ssize_t n;
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		n = recv(fd, buf + got, sizeof buf - 1 - got, 0);
		if (n <= 0)
			break;
		got += (size_t)n;
		if (memchr(buf, '\n', got))
			break;
	}
	close(fd);
	buf[got] = '\0';
	if (!got) {
		fprintf(stderr, "slicedeck-sim: no answer from %s\n", path);
		return 2;
	}
	fputs(buf, stdout);
	j = json_loads(buf, JSON_DISABLE_EOF_CHECK, NULL);
	ok = j && json_is_true(json_object_get(j, "ok"));
	json_decref(j);
	return ok ? 0 : 1;
}

/* core/ipc.c — the engine's UNIX-socket server: accepts clients, maps their
 * peer credentials to a role, frames requests, runs them through
 * sd_ipc_dispatch and pushes scoped updates to subscribers.
 *
 * A client can never stall the engine or other clients: sockets are
 * non-blocking, input lines are capped (too_large), output queued to a
 * client that does not read is capped too (the client is dropped).
 */
#include "core/ipc.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/log.h"

struct sd_ipc_peer {
	struct sd_ipc_server *srv;
	struct sd_ipc_peer *next;
	int fd;
	struct sd_ipc_caller caller;
	struct sd_ipc_reader in;
	struct sd_buf out;
	bool hello;
	bool closing;      /* flush what is queued, then close */
	unsigned topics;
};

struct sd_ipc_server {
	struct sd_loop *loop;
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct sd_ipc_host host;
	struct sd_ipc_peer *peers;
	int npeers;
};

static void peer_free(struct sd_ipc_peer *p)
{
	struct sd_ipc_server *s = p->srv;
	struct sd_ipc_peer **pp;
	for (pp = &s->peers; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	}
	s->npeers--;
	sd_loop_unwatch(s->loop, p->fd);
	close(p->fd);
	sd_ipc_reader_done(&p->in);
	sd_buf_done(&p->out);
	free(p);
}

static void peer_update_watch(struct sd_ipc_peer *p);

/* Write as much queued output as the socket takes. Returns -1 when the peer
 * is gone (and has been freed). */
static int peer_flush(struct sd_ipc_peer *p)
{
	while (p->out.len) {
		ssize_t n = send(p->fd, p->out.data, p->out.len, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno == EINTR)
				continue;
			sd_debug("ipc: %s (uid %u): %s", p->caller.user, (unsigned)p->caller.uid,
				 strerror(errno));
			peer_free(p);
			return -1;
		}
		sd_buf_consume(&p->out, (size_t)n);
	}
	if (!p->out.len && p->closing) {
		peer_free(p);
		return -1;
	}
	peer_update_watch(p);
	return 0;
}

/* Queue a line (taken) for the peer. A peer whose backlog exceeds the cap
 * is not reading: drop it rather than grow without bound. */
static int peer_send(struct sd_ipc_peer *p, char *line)
{
	int rc = sd_buf_addstr(&p->out, line);
	free(line);
	if (rc < 0) {
		sd_warn("ipc: dropping %s (uid %u): over %d bytes of replies unread",
			p->caller.user, (unsigned)p->caller.uid, SD_IPC_MAX_OUTBUF);
		peer_free(p);
		return -1;
	}
	return peer_flush(p);
}

static void handle_line(struct sd_ipc_peer *p, const char *line, size_t len)
{
	struct sd_ipc_request req;
	const char *code;
	char msg[256];
	bool hello_ok;
	unsigned sub, unsub;
	char *reply;
	const struct sd_config *cfg = p->srv->host.config(p->srv->host.arg);

	if (sd_ipc_request_parse(line, len, &req, &code, msg, sizeof msg) < 0) {
		reply = sd_ipc_reply_error(req.id, code, msg);
		sd_ipc_request_done(&req);
		peer_send(p, reply);
		return;
	}
	reply = sd_ipc_dispatch(cfg, &p->caller, p->hello, &req, &hello_ok, &sub, &unsub);
	sd_ipc_request_done(&req);
	if (hello_ok)
		p->hello = true;
	p->topics = (p->topics | sub) & ~unsub;
	if (peer_send(p, reply) < 0)
		return;
	/* a new subscription starts with the current state of each topic */
	while (sub) {
		enum sd_ipc_topic t = (enum sd_ipc_topic)(sub & -sub);
		sub &= sub - 1;
		if (peer_send(p, sd_ipc_event(sd_ipc_topic_name(t),
					      sd_ipc_topic_data(cfg, &p->caller, t))) < 0)
			return;
	}
}

static void on_peer(struct sd_loop *loop, int fd, int events, void *arg)
{
	struct sd_ipc_peer *p = arg;
	struct sd_ipc_server *srv = p->srv;   /* p may be freed while answering */
	char buf[16384];
	ssize_t n;
	int rounds;

	if (events & SD_EV_WRITE) {
		if (peer_flush(p) < 0)
			return;
	}
	if (!(events & (SD_EV_READ | SD_EV_ERROR)) || p->closing)
		return;
	/* bounded: a chatty client gets a fair share, then others run */
	for (rounds = 0; rounds < 8; rounds++) {
		char *line;
		size_t len;
		bool overflow;
		n = recv(fd, buf, sizeof buf, 0);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			peer_free(p);
			return;
		}
		sd_ipc_reader_feed(&p->in, buf, (size_t)n);
		while (sd_ipc_reader_next(&p->in, &line, &len, &overflow) == 1) {
			struct sd_ipc_peer *q;
			if (overflow) {
				char msg[96];
				snprintf(msg, sizeof msg, "request line longer than %d bytes",
					 SD_IPC_MAX_LINE);
				if (peer_send(p, sd_ipc_reply_error(NULL, SD_IPC_E_TOOLARGE, msg)) < 0)
					return;
				continue;
			}
			handle_line(p, line, len);
			/* the peer may have been dropped while answering */
			for (q = srv->peers; q && q != p; q = q->next)
				;
			if (!q)
				return;
		}
	}
}

static void peer_update_watch(struct sd_ipc_peer *p)
{
	int ev = p->closing ? 0 : SD_EV_READ;
	if (p->out.len)
		ev |= SD_EV_WRITE;
	sd_loop_watch(p->srv->loop, p->fd, ev, on_peer, p);
}

static void map_caller(const struct sd_config *cfg, struct sd_ipc_caller *c)
{
	c->role = sd_config_role_for(cfg, c->uid, c->gid, &c->factory);
	if (c->role != SD_ROLE_FACTORY)
		c->factory = -1;
}

static void on_accept(struct sd_loop *loop, int lfd, int events, void *arg)
{
	struct sd_ipc_server *s = arg;
	int budget;
	for (budget = 0; budget < 32; budget++) {
		struct ucred cred;
		socklen_t clen = sizeof cred;
		struct sd_ipc_peer *p;
		struct passwd pw, *pwr = NULL;
		char pwbuf[1024];
		int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				sd_warn("ipc: accept: %s", strerror(errno));
			return;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) < 0) {
			sd_warn("ipc: SO_PEERCRED: %s", strerror(errno));
			close(fd);
			continue;
		}
		p = sd_calloc(1, sizeof *p);
		p->srv = s;
		p->fd = fd;
		p->caller.uid = cred.uid;
		p->caller.gid = cred.gid;
		p->caller.pid = cred.pid;
		if (getpwuid_r(cred.uid, &pw, pwbuf, sizeof pwbuf, &pwr) == 0 && pwr)
			sd_strlcpy(p->caller.user, pw.pw_name, sizeof p->caller.user);
		else
			snprintf(p->caller.user, sizeof p->caller.user, "uid %u", (unsigned)cred.uid);
		sd_ipc_reader_init(&p->in);
		sd_buf_init(&p->out, SD_IPC_MAX_OUTBUF);
		p->next = s->peers;
		s->peers = p;
		s->npeers++;
		map_caller(s->host.config(s->host.arg), &p->caller);

		if (p->caller.role == SD_ROLE_NONE || s->npeers > SD_IPC_MAX_CLIENTS) {
			char msg[200];
			if (p->caller.role == SD_ROLE_NONE)
				snprintf(msg, sizeof msg, "user %s has no slicedeck role "
					 "(ask an operator to add an access rule)", p->caller.user);
			else
				snprintf(msg, sizeof msg, "too many clients (%d)", SD_IPC_MAX_CLIENTS);
			sd_notice("ipc: refused %s (uid %u, pid %d): %s", p->caller.user,
				  (unsigned)cred.uid, (int)cred.pid, msg);
			p->closing = true;
			peer_send(p, sd_ipc_reply_error(NULL, SD_IPC_E_FORBIDDEN, msg));
			continue;
		}
		sd_info("ipc: %s (uid %u, pid %d) connected as %s", p->caller.user,
			(unsigned)cred.uid, (int)cred.pid, sd_role_name(p->caller.role));
		peer_update_watch(p);
	}
}

/* Refuse to steal the socket of a running engine; remove a stale one. */
static int clear_stale(const char *path, char *err, size_t errsz)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int fd, rc;
	if (lstat(path, &st) < 0)
		return 0;
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, errsz, "%s exists and is not a socket", path);
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	sd_strlcpy(sa.sun_path, path, sizeof sa.sun_path);
	rc = connect(fd, (struct sockaddr *)&sa, sizeof sa);
	close(fd);
	if (rc == 0) {
		snprintf(err, errsz, "another engine is listening on %s", path);
		return -1;
	}
	unlink(path);
	return 0;
}

struct sd_ipc_server *sd_ipc_server_new(struct sd_loop *loop, const char *path, int mode,
					 const char *group, const struct sd_ipc_host *host,
					 char *err, size_t errsz)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct sd_ipc_server *s;
	mode_t old;
	int fd;

	if (strlen(path) >= sizeof sa.sun_path) {
		snprintf(err, errsz, "socket path too long (max %zu): %s",
			 sizeof sa.sun_path - 1, path);
		return NULL;
	}
	if (clear_stale(path, err, errsz) < 0)
		return NULL;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errsz, "socket: %s", strerror(errno));
		return NULL;
	}
	sd_strlcpy(sa.sun_path, path, sizeof sa.sun_path);
	/* no window in which the socket exists with looser permissions */
	old = umask(0177);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		umask(old);
		snprintf(err, errsz, "bind %s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	umask(old);
	if (group && *group) {
		struct group gr, *grr = NULL;
		char buf[4096];
		if (getgrnam_r(group, &gr, buf, sizeof buf, &grr) != 0 || !grr) {
			/* only narrows access (the engine's own group keeps the
			 * socket), so say so and go on rather than refuse to run */
			sd_warn("socket group %s does not exist; %s keeps the engine's group "
				"(create the group and restart to let its members in)", group, path);
		} else if (chown(path, (uid_t)-1, grr->gr_gid) < 0) {
			snprintf(err, errsz, "chown %s to group %s: %s", path, group, strerror(errno));
			goto fail;
		}
	}
	if (chmod(path, (mode_t)mode) < 0) {
		snprintf(err, errsz, "chmod %s: %s", path, strerror(errno));
		goto fail;
	}
	if (listen(fd, 64) < 0) {
		snprintf(err, errsz, "listen %s: %s", path, strerror(errno));
		goto fail;
	}
	s = sd_calloc(1, sizeof *s);
	s->loop = loop;
	s->fd = fd;
	s->host = *host;
	sd_strlcpy(s->path, path, sizeof s->path);
	sd_loop_watch(loop, fd, SD_EV_READ, on_accept, s);
	return s;
fail:
	close(fd);
	unlink(path);
	return NULL;
}

void sd_ipc_server_free(struct sd_ipc_server *s)
{
	if (!s)
		return;
	while (s->peers)
		peer_free(s->peers);
	sd_loop_unwatch(s->loop, s->fd);
	close(s->fd);
	unlink(s->path);
	free(s);
}

void sd_ipc_server_publish(struct sd_ipc_server *s, unsigned topics_mask)
{
	const struct sd_config *cfg = s->host.config(s->host.arg);
	struct sd_ipc_peer *p, *next;
	for (p = s->peers; p; p = next) {
		unsigned t = p->topics & topics_mask;
		next = p->next;
		if (!p->hello || p->closing)
			continue;
		while (t) {
			enum sd_ipc_topic one = (enum sd_ipc_topic)(t & -t);
			t &= t - 1;
			if (peer_send(p, sd_ipc_event(sd_ipc_topic_name(one),
						      sd_ipc_topic_data(cfg, &p->caller, one))) < 0)
				break;
		}
	}
}

void sd_ipc_server_remap(struct sd_ipc_server *s)
{
	const struct sd_config *cfg = s->host.config(s->host.arg);
	struct sd_ipc_peer *p, *next;
	for (p = s->peers; p; p = next) {
		enum sd_role before = p->caller.role;
		int fbefore = p->caller.factory;
		next = p->next;
		if (p->closing)
			continue;
		map_caller(cfg, &p->caller);
		if (p->caller.role == before && p->caller.factory == fbefore)
			continue;
		sd_notice("ipc: %s (uid %u) is now %s after the reload", p->caller.user,
			  (unsigned)p->caller.uid, sd_role_name(p->caller.role));
		if (p->caller.role == SD_ROLE_NONE || before != p->caller.role ||
		    fbefore != p->caller.factory) {
			/* a changed scope is a new session: the client reconnects and
			 * learns its new role from hello */
			p->closing = true;
			peer_send(p, sd_ipc_reply_error(NULL, SD_IPC_E_FORBIDDEN,
				  "your access changed with a configuration reload; reconnect"));
		}
	}
}

int sd_ipc_server_npeers(const struct sd_ipc_server *s) { return s->npeers; }

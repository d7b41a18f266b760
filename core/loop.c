/* core/loop.c — epoll event loop with a timer heap and signalfd signals. */
#include "core/loop.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "core/log.h"
#include "core/util.h"

struct watcher {
	sd_fd_cb cb;
	void *arg;
	int events;   /* 0: not watched */
};

struct timer {
	int64_t due;
	uint64_t id;
	sd_timer_cb cb;
	void *arg;
};

struct sigslot {
	int signo;
	sd_signal_cb cb;
	void *arg;
};

struct sd_loop {
	int epfd;
	struct watcher *fds;   /* indexed by fd */
	int nfds;
	struct timer *heap;    /* min-heap on (due, id) */
	size_t nheap, capheap;
	uint64_t next_id;
	int sigfd;
	sigset_t sigmask;
	struct sigslot sigs[16];
	int nsigs;
	struct hook {
		sd_hook_cb cb;
		void *arg;
	} before[8];
	int nbefore;
	int64_t now;
	int stop;
};

struct sd_loop *sd_loop_new(void)
{
	struct sd_loop *l = sd_calloc(1, sizeof *l);
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0) {
		sd_err("epoll_create1: %s", strerror(errno));
		free(l);
		return NULL;
	}
	l->sigfd = -1;
	l->next_id = 1;
	sigemptyset(&l->sigmask);
	l->now = sd_now_ms();
	return l;
}

void sd_loop_free(struct sd_loop *l)
{
	if (!l)
		return;
	if (l->sigfd >= 0)
		close(l->sigfd);
	close(l->epfd);
	free(l->fds);
	free(l->heap);
	free(l);
}

int sd_loop_watch(struct sd_loop *l, int fd, int events, sd_fd_cb cb, void *arg)
{
	struct epoll_event ev = { 0 };
	int op;
	if (fd < 0)
		return -1;
	if (fd >= l->nfds) {
		int n = l->nfds ? l->nfds : 64;
		while (n <= fd)
			n *= 2;
		l->fds = sd_reallocarray(l->fds, (size_t)n, sizeof *l->fds);
		memset(l->fds + l->nfds, 0, (size_t)(n - l->nfds) * sizeof *l->fds);
		l->nfds = n;
	}
	op = l->fds[fd].events ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
	ev.events = (events & SD_EV_READ ? EPOLLIN : 0) | (events & SD_EV_WRITE ? EPOLLOUT : 0);
	ev.data.fd = fd;
	if (epoll_ctl(l->epfd, op, fd, &ev) < 0) {
		sd_err("epoll_ctl(%d): %s", fd, strerror(errno));
		return -1;
	}
	l->fds[fd].cb = cb;
	l->fds[fd].arg = arg;
	/* keep "watched" non-zero even for a mask of 0 (registered, idle) */
	l->fds[fd].events = events | 0x100;
	return 0;
}

void sd_loop_unwatch(struct sd_loop *l, int fd)
{
	if (fd < 0 || fd >= l->nfds || !l->fds[fd].events)
		return;
	epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
	memset(&l->fds[fd], 0, sizeof l->fds[fd]);
}

static int timer_less(const struct timer *a, const struct timer *b)
{
	return a->due < b->due || (a->due == b->due && a->id < b->id);
}

static void heap_swap(struct sd_loop *l, size_t i, size_t j)
{
	struct timer t = l->heap[i];
	l->heap[i] = l->heap[j];
	l->heap[j] = t;
}

static void sift_up(struct sd_loop *l, size_t i)
{
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (!timer_less(&l->heap[i], &l->heap[p]))
			break;
		heap_swap(l, i, p);
		i = p;
	}
}

static void sift_down(struct sd_loop *l, size_t i)
{
	for (;;) {
		size_t a = 2 * i + 1, b = a + 1, m = i;
		if (a < l->nheap && timer_less(&l->heap[a], &l->heap[m]))
			m = a;
		if (b < l->nheap && timer_less(&l->heap[b], &l->heap[m]))
			m = b;
		if (m == i)
			break;
		heap_swap(l, i, m);
		i = m;
	}
}

static void heap_remove(struct sd_loop *l, size_t i)
{
	l->nheap--;
	if (i == l->nheap)
		return;
	l->heap[i] = l->heap[l->nheap];
	sift_up(l, i);
	sift_down(l, i);
}

uint64_t sd_loop_timer_add(struct sd_loop *l, int64_t after_ms, sd_timer_cb cb, void *arg)
{
	struct timer t;
	if (after_ms < 0)
		after_ms = 0;
	if (l->nheap == l->capheap) {
		l->capheap = l->capheap ? l->capheap * 2 : 32;
		l->heap = sd_reallocarray(l->heap, l->capheap, sizeof *l->heap);
	}
	t.due = sd_now_ms() + after_ms;
	t.id = l->next_id++;
	t.cb = cb;
	t.arg = arg;
	l->heap[l->nheap] = t;
	sift_up(l, l->nheap++);
	return t.id;
}

void sd_loop_timer_del(struct sd_loop *l, uint64_t id)
{
	size_t i;
	if (!id)
		return;
	for (i = 0; i < l->nheap; i++) {
		if (l->heap[i].id == id) {
			heap_remove(l, i);
			return;
		}
	}
}

static void on_signalfd(struct sd_loop *l, int fd, int events, void *arg)
{
	struct signalfd_siginfo si;
	int i;
	(void)events;
	(void)arg;
	while (read(fd, &si, sizeof si) == (ssize_t)sizeof si) {
		for (i = 0; i < l->nsigs; i++)
			if (l->sigs[i].signo == (int)si.ssi_signo)
				l->sigs[i].cb(l, (int)si.ssi_signo, l->sigs[i].arg);
	}
}

int sd_loop_signal(struct sd_loop *l, int signo, sd_signal_cb cb, void *arg)
{
	if (l->nsigs >= (int)SD_ARRAY_LEN(l->sigs))
		return -1;
	sigaddset(&l->sigmask, signo);
	if (sigprocmask(SIG_BLOCK, &l->sigmask, NULL) < 0)
		return -1;
	l->sigfd = signalfd(l->sigfd, &l->sigmask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (l->sigfd < 0)
		return -1;
	l->sigs[l->nsigs++] = (struct sigslot){ signo, cb, arg };
	return sd_loop_watch(l, l->sigfd, SD_EV_READ, on_signalfd, NULL);
}

int sd_loop_before_sleep(struct sd_loop *l, sd_hook_cb cb, void *arg)
{
	if (l->nbefore >= (int)SD_ARRAY_LEN(l->before))
		return -1;
	l->before[l->nbefore++] = (struct hook){ cb, arg };
	return 0;
}

void sd_loop_before_sleep_del(struct sd_loop *l, sd_hook_cb cb, void *arg)
{
	int i;
	for (i = 0; i < l->nbefore; i++) {
		if (l->before[i].cb == cb && l->before[i].arg == arg) {
			memmove(&l->before[i], &l->before[i + 1],
				(size_t)(l->nbefore - i - 1) * sizeof l->before[0]);
			l->nbefore--;
			return;
		}
	}
}

int64_t sd_loop_now(const struct sd_loop *l) { return l->now; }

static void run_timers(struct sd_loop *l)
{
	/* Only timers due by the start of this pass run now, so a callback
	 * that re-arms itself with 0 ms cannot starve the loop. */
	uint64_t limit = l->next_id;
	int64_t now = sd_now_ms();
	while (l->nheap && l->heap[0].due <= now && l->heap[0].id < limit) {
		struct timer t = l->heap[0];
		heap_remove(l, 0);
		t.cb(l, t.id, t.arg);
	}
}

int sd_loop_once(struct sd_loop *l, int max_wait_ms)
{
	struct epoll_event evs[64];
	int n, i, timeout = max_wait_ms;

	l->now = sd_now_ms();
	for (i = 0; i < l->nbefore; i++)
		l->before[i].cb(l, l->before[i].arg);
	if (l->nheap) {
		int64_t d = l->heap[0].due - sd_now_ms();
		if (d < 0)
			d = 0;
		if (timeout < 0 || d < timeout)
			timeout = (int)(d > 86400000 ? 86400000 : d);
	}
	n = epoll_wait(l->epfd, evs, (int)SD_ARRAY_LEN(evs), timeout);
	if (n < 0) {
		if (errno == EINTR)
			return 0;
		sd_err("epoll_wait: %s", strerror(errno));
		return -1;
	}
	l->now = sd_now_ms();
	for (i = 0; i < n; i++) {
		int fd = evs[i].data.fd, ev = 0;
		struct watcher *w;
		if (fd < 0 || fd >= l->nfds || !l->fds[fd].events)
			continue;   /* unwatched by an earlier callback this turn */
		w = &l->fds[fd];
		if (evs[i].events & EPOLLIN)
			ev |= SD_EV_READ;
		if (evs[i].events & EPOLLOUT)
			ev |= SD_EV_WRITE;
		if (evs[i].events & (EPOLLERR | EPOLLHUP))
			ev |= SD_EV_ERROR | (w->events & SD_EV_READ);
		w->cb(l, fd, ev, w->arg);
	}
	run_timers(l);
	return 0;
}

int sd_loop_run(struct sd_loop *l)
{
	l->stop = 0;
	while (!l->stop)
		if (sd_loop_once(l, -1) < 0)
			return -1;
	return 0;
}

void sd_loop_stop(struct sd_loop *l) { l->stop = 1; }

/* core/loop.h — the one event loop of a process (epoll).
 *
 * Vocabulary (after Redis' ae.h):
 *   fd watcher   sd_loop_watch(fd, SD_EV_READ|SD_EV_WRITE, cb, arg); change
 *                the mask with sd_loop_watch again, stop with sd_loop_unwatch.
 *   timer        sd_loop_timer_add(ms, cb, arg) -> id; one-shot; re-arm from
 *                the callback if periodic. sd_loop_timer_del(id). Id 0 is
 *                never used, so 0 can mean "no timer".
 *   signal       sd_loop_signal(signo, cb, arg): delivered as a loop event
 *                (signalfd), never in a handler context.
 *   before-sleep sd_loop_before_sleep(cb, arg): runs once per turn (several
 *                hooks; sd_loop_before_sleep_del removes one).
 *
 * Callbacks may add and remove watchers and timers, including their own.
 * Nothing here blocks except epoll_wait.
 */
#ifndef SD_LOOP_H
#define SD_LOOP_H

#include <stdint.h>

#define SD_EV_READ  1
#define SD_EV_WRITE 2
#define SD_EV_ERROR 4   /* reported only: EPOLLERR / EPOLLHUP */

struct sd_loop;

typedef void (*sd_fd_cb)(struct sd_loop *loop, int fd, int events, void *arg);
typedef void (*sd_timer_cb)(struct sd_loop *loop, uint64_t id, void *arg);
typedef void (*sd_signal_cb)(struct sd_loop *loop, int signo, void *arg);
typedef void (*sd_hook_cb)(struct sd_loop *loop, void *arg);

struct sd_loop *sd_loop_new(void);
void sd_loop_free(struct sd_loop *loop);

int  sd_loop_watch(struct sd_loop *loop, int fd, int events, sd_fd_cb cb, void *arg);
void sd_loop_unwatch(struct sd_loop *loop, int fd);

uint64_t sd_loop_timer_add(struct sd_loop *loop, int64_t after_ms, sd_timer_cb cb, void *arg);
void     sd_loop_timer_del(struct sd_loop *loop, uint64_t id);

/* Blocks signo for the process and routes it through the loop. */
int  sd_loop_signal(struct sd_loop *loop, int signo, sd_signal_cb cb, void *arg);
/* Hooks run in registration order at the start of each turn, before the
 * loop waits (at most 8). -1 when full. */
int  sd_loop_before_sleep(struct sd_loop *loop, sd_hook_cb cb, void *arg);
void sd_loop_before_sleep_del(struct sd_loop *loop, sd_hook_cb cb, void *arg);

/* Run until sd_loop_stop; returns 0, or -1 on an epoll failure. */
int  sd_loop_run(struct sd_loop *loop);
/* Run one turn, waiting at most max_wait_ms (-1: until an event). */
int  sd_loop_once(struct sd_loop *loop, int max_wait_ms);
void sd_loop_stop(struct sd_loop *loop);

/* Monotonic ms as cached at the start of this turn. */
int64_t sd_loop_now(const struct sd_loop *loop);

#endif

/* core/log.c — see log.h. */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "core/util.h"

static const char *log_ident = "slicedeck";
static int log_syslog;
static enum sd_log_level log_max = SD_LOG_INFO;

static const char *const level_names[] = {
	[SD_LOG_ERR] = "err", [SD_LOG_WARN] = "warning", [SD_LOG_NOTICE] = "notice",
	[SD_LOG_INFO] = "info", [SD_LOG_DEBUG] = "debug",
};

void sd_log_open(const char *ident, int use_syslog, enum sd_log_level max)
{
	log_ident = ident;
	log_syslog = use_syslog;
	log_max = max;
	if (use_syslog)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void sd_log_set_level(enum sd_log_level max) { log_max = max; }

int sd_log_level_parse(const char *s)
{
	size_t i;
	for (i = 0; i < SD_ARRAY_LEN(level_names); i++)
		if (sd_streq(s, level_names[i]))
			return (int)i;
	if (sd_streq(s, "error"))
		return SD_LOG_ERR;
	if (sd_streq(s, "warn"))
		return SD_LOG_WARN;
	return -1;
}

static void vlog(enum sd_log_level lvl, const char *fmt, va_list ap)
{
	static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_NOTICE, LOG_INFO, LOG_DEBUG };
	char line[2048];
	if (lvl > log_max)
		return;
	vsnprintf(line, sizeof line, fmt, ap);
	if (log_syslog) {
		syslog(prio[lvl], "%s", line);
	} else {
		char ts[40];
		sd_fmt_time(sd_wall_ms(), ts, sizeof ts);
		fprintf(stderr, "%s %s[%s]: %s\n", ts, log_ident, level_names[lvl], line);
	}
}

void sd_log(enum sd_log_level lvl, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(lvl, fmt, ap);
	va_end(ap);
}

void sd_complain(struct sd_complaint *c, enum sd_log_level lvl, const char *fmt, ...)
{
	int64_t now = sd_now_ms();
	va_list ap;
	if (c->interval_ms && now - c->last_ms < c->interval_ms) {
		c->suppressed++;
		return;
	}
	c->interval_ms = c->interval_ms ? c->interval_ms * 2 : 10000;
	if (c->interval_ms > 3600000)
		c->interval_ms = 3600000;
	c->last_ms = now;
	va_start(ap, fmt);
	if (c->suppressed) {
		char msg[1800];
		vsnprintf(msg, sizeof msg, fmt, ap);
		sd_log(lvl, "%s (%u similar suppressed)", msg, c->suppressed);
		c->suppressed = 0;
	} else {
		vlog(lvl, fmt, ap);
	}
	va_end(ap);
}

void sd_complain_clear(struct sd_complaint *c, const char *fmt, ...)
{
	va_list ap;
	if (!c->interval_ms)
		return;
	memset(c, 0, sizeof *c);
	va_start(ap, fmt);
	vlog(SD_LOG_NOTICE, fmt, ap);
	va_end(ap);
}

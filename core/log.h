/* core/log.h — logging to stderr (foreground, systemd) or syslog.
 *
 * Messages are one line each. Text that came from the network must go
 * through sd_sanitize() before it reaches a format argument here.
 */
#ifndef SD_LOG_H
#define SD_LOG_H

#include <stdint.h>

enum sd_log_level { SD_LOG_ERR, SD_LOG_WARN, SD_LOG_NOTICE, SD_LOG_INFO, SD_LOG_DEBUG };

void sd_log_open(const char *ident, int use_syslog, enum sd_log_level max);
void sd_log_set_level(enum sd_log_level max);
/* Parse "err", "warning", "notice", "info", "debug"; -1 when unknown. */
int  sd_log_level_parse(const char *s);
void sd_log(enum sd_log_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define sd_err(...)    sd_log(SD_LOG_ERR, __VA_ARGS__)
#define sd_warn(...)   sd_log(SD_LOG_WARN, __VA_ARGS__)
#define sd_notice(...) sd_log(SD_LOG_NOTICE, __VA_ARGS__)
#define sd_info(...)   sd_log(SD_LOG_INFO, __VA_ARGS__)
#define sd_debug(...)  sd_log(SD_LOG_DEBUG, __VA_ARGS__)

/* Rate-limited complaints (collectd's utils_complain): the first failure is
 * logged, repeats are logged with doubling intervals up to 1 h, and the
 * recovery is logged once. Embed one per failing thing. */
struct sd_complaint {
	int64_t last_ms;     /* monotonic time of the last logged complaint */
	int64_t interval_ms; /* 0 while not failing */
	unsigned suppressed;
};
void sd_complain(struct sd_complaint *c, enum sd_log_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Logs fmt at NOTICE only if c was failing; resets it. */
void sd_complain_clear(struct sd_complaint *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif

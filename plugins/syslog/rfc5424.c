/* plugins/syslog/rfc5424.c — see rfc5424.h. */
#include "plugins/syslog/rfc5424.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

struct out {
	char *b;
	size_t n, cap;
	int bad;
};

static void put(struct out *o, const char *s, size_t len)
{
	if (o->n + len >= o->cap) {
		o->bad = 1;
		return;
	}
	memcpy(o->b + o->n, s, len);
	o->n += len;
	o->b[o->n] = 0;
}

static void putc_(struct out *o, char ch)
{
	put(o, &ch, 1);
}

/* a header field: PRINTUSASCII (33..126), at most max, "-" when empty */
static void field(struct out *o, const char *s, size_t max)
{
	size_t i;
	if (!s || !s[0]) {
		putc_(o, '-');
		return;
	}
	for (i = 0; s[i] && i < max; i++)
		putc_(o, (s[i] >= 33 && s[i] <= 126) ? s[i] : '?');
}

static int name_ok(const char *s, size_t max)
{
	size_t i;
	if (!s || !s[0] || strlen(s) > max)
		return 0;
	for (i = 0; s[i]; i++)
		if (s[i] < 33 || s[i] > 126 || s[i] == '=' || s[i] == ']' || s[i] == '"')
			return 0;
	return 1;
}

int rfc5424_format(const struct rfc5424_msg *m, char *buf, size_t bufsz)
{
	struct out o = { buf, 0, bufsz, 0 };
	char ts[64];
	time_t t;
	struct tm tm;
	int i;

	if (!buf || bufsz < 2 || m->facility < 0 || m->facility > 23 || m->severity < 0 ||
	    m->severity > 7)
		return -1;
	buf[0] = 0;
	t = (time_t)(m->time_ms / 1000);
	if (!gmtime_r(&t, &tm))
		return -1;
	snprintf(ts, sizeof ts, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (int)(m->time_ms % 1000));
	{
		char pri[16];
		int n = snprintf(pri, sizeof pri, "<%d>1 ", m->facility * 8 + m->severity);
		put(&o, pri, (size_t)n);
	}
	put(&o, ts, strlen(ts));
	putc_(&o, ' ');
	field(&o, m->hostname, 255);
	putc_(&o, ' ');
	field(&o, m->app_name, 48);
	putc_(&o, ' ');
	field(&o, m->procid, 128);
	putc_(&o, ' ');
	field(&o, m->msgid, 32);
	putc_(&o, ' ');
	if (!m->sd_id) {
		putc_(&o, '-');
	} else {
		if (!name_ok(m->sd_id, 32))
			return -1;
		putc_(&o, '[');
		put(&o, m->sd_id, strlen(m->sd_id));
		for (i = 0; i < m->nparams; i++) {
			const char *v = m->params[i].value ? m->params[i].value : "";
			if (!name_ok(m->params[i].name, 32))
				return -1;
			putc_(&o, ' ');
			put(&o, m->params[i].name, strlen(m->params[i].name));
			put(&o, "=\"", 2);
			for (; *v; v++) {
				if (*v == '"' || *v == '\\' || *v == ']')
					putc_(&o, '\\');
				putc_(&o, *v);
			}
			putc_(&o, '"');
		}
		putc_(&o, ']');
	}
	if (m->msg && m->msg[0]) {
		const char *s;
		putc_(&o, ' ');
		/* one line: a control character would split the record for a
		 * reader of the non-transparent framing */
		for (s = m->msg; *s; s++)
			putc_(&o, ((unsigned char)*s < 32 || *s == 127) ? ' ' : *s);
	}
	return o.bad ? -1 : (int)o.n;
}

int rfc6587_frame(const char *msg, size_t len, char *buf, size_t bufsz)
{
	int n = snprintf(buf, bufsz, "%zu ", len);
	if (n < 0 || (size_t)n + len >= bufsz)
		return -1;
	memcpy(buf + n, msg, len);
	buf[n + len] = 0;
	return n + (int)len;
}

/* sim/timeline.c — see timeline.h: the file format (pure: no model, no
 * clock; the fuzz target links this and sim/fault.c only). Playing it is
 * sim/timeline_play.c. */
#include "sim/timeline.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "sim/fault.h"

#define MAX_TOKENS   40
#define MAX_SPAN_MS  (7LL * 86400 * 1000)

int sd_sim_timeline_err(char *err, size_t errsz, const char *name, int line, const char *fmt, ...)
{
	char msg[384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(err, errsz, "%s:%d: %s", name, line, msg);
	return -1;
}

/* A token as it may appear in a message: printable, clipped. */
static const char *shown(const char *tok, char *buf, size_t n)
{
	sd_sanitize(buf, n, tok, strlen(tok));
	return buf;
}

/* "90", "90s", "2m", "1m30s", "1m30", "1h", "1:30", "1:02:03" -> ms.
 * Whole seconds only, 0 .. 7 days. */
static bool parse_span(const char *s, int64_t *out)
{
	int64_t total = 0;
	const char *p = s;

	if (!*s)
		return false;
	if (strchr(s, ':')) {
		int64_t part[3];
		int n = 0;
		while (n < 3) {
			int64_t v = 0;
			int digits = 0;
			while (*p >= '0' && *p <= '9' && digits < 8) {
				v = v * 10 + (*p++ - '0');
				digits++;
			}
			if (!digits || (n > 0 && (digits != 2 || v > 59)))
				return false;
			part[n++] = v;
			if (*p != ':')
				break;
			p++;
		}
		if (*p || n < 2)
			return false;
		total = n == 2 ? part[0] * 60 + part[1] : (part[0] * 60 + part[1]) * 60 + part[2];
	} else {
		char last = 0;
		while (*p) {
			int64_t v = 0;
			int digits = 0;
			while (*p >= '0' && *p <= '9' && digits < 8) {
				v = v * 10 + (*p++ - '0');
				digits++;
			}
			if (!digits)
				return false;
			if (*p == 'h' || *p == 'm' || *p == 's') {
				/* units in falling order, each once: 1h2m3s */
				if ((last == 's') || (last == 'm' && *p != 's') || (last == 'h' && *p == 'h'))
					return false;
				last = *p++;
				total += v * (last == 'h' ? 3600 : last == 'm' ? 60 : 1);
			} else if (!*p) {
				if (last == 's' || last == 'h')
					return false;   /* "1h30" is ambiguous */
				total += v;
			} else {
				return false;
			}
		}
	}
	if (total > MAX_SPAN_MS / 1000)
		return false;
	*out = total * 1000;
	return true;
}

static bool is_pick_key(const char *k)
{
	return strcmp(k, "nf") == 0 || strcmp(k, "slice") == 0 || strcmp(k, "cell") == 0;
}

void sd_sim_timeline_spec(const struct sd_tl_event *e, const char *v, char *buf, size_t n)
{
	size_t off = (size_t)snprintf(buf, n, "%s:", e->kind);
	if (off < n && e->params[0])
		off += (size_t)snprintf(buf + off, n - off, "%s,", e->params);
	if (off < n && v && e->pick_key[0])
		off += (size_t)snprintf(buf + off, n - off, "%s=%s,", e->pick_key, v);
	if (off < n)
		snprintf(buf + off, n - off, "dur=%lld", (long long)(e->dur_ms / 1000));
}

/* "at TIME [jitter D] for D KIND [key=value ...]" */
static int parse_at(struct sd_sim_timeline *tl, char **tok, int ntok, int line,
		    char *err, size_t errsz)
{
	struct sd_tl_event *e;
	char sb[64], spec[512], ferr[256];
	struct sd_sim_fault f;
	int i = 1, k;
	size_t off = 0;

	if (tl->n == SD_TL_MAX_EVENTS)
		return sd_sim_timeline_err(err, errsz, tl->name, line, "more than %d events", SD_TL_MAX_EVENTS);
	e = &tl->ev[tl->n];
	memset(e, 0, sizeof *e);
	e->line = line;
	if (i >= ntok || !parse_span(tok[i], &e->at_ms))
		return sd_sim_timeline_err(err, errsz, tl->name, line, "at wants a time (90, 90s, 1m30s, 1:30), "
			       "got \"%s\"", i < ntok ? shown(tok[i], sb, sizeof sb) : "");
	i++;
	if (i < ntok && strcmp(tok[i], "jitter") == 0) {
		if (i + 1 >= ntok || !parse_span(tok[i + 1], &e->jitter_ms))
			return sd_sim_timeline_err(err, errsz, tl->name, line, "jitter wants a duration, got \"%s\"",
				       i + 1 < ntok ? shown(tok[i + 1], sb, sizeof sb) : "");
		i += 2;
	}
	if (i >= ntok || strcmp(tok[i], "for") != 0)
		return sd_sim_timeline_err(err, errsz, tl->name, line, "expected \"for DURATION\" after the time");
	if (i + 1 >= ntok || !parse_span(tok[i + 1], &e->dur_ms) || e->dur_ms < 1000)
		return sd_sim_timeline_err(err, errsz, tl->name, line, "for wants a duration of at least 1 s, "
			       "got \"%s\"", i + 1 < ntok ? shown(tok[i + 1], sb, sizeof sb) : "");
	i += 2;
	if (i >= ntok)
		return sd_sim_timeline_err(err, errsz, tl->name, line, "expected an event kind (nf-down, "
			       "slice-latency, slice-loss, cell-down, ue-surge, session-storm, ...)");
	if (strlen(tok[i]) >= sizeof e->kind || strchr(tok[i], ':'))
		return sd_sim_timeline_err(err, errsz, tl->name, line, "unknown event kind \"%s\"",
			       shown(tok[i], sb, sizeof sb));
	sd_strlcpy(e->kind, tok[i++], sizeof e->kind);
	for (; i < ntok; i++) {
		char *eq = strchr(tok[i], '=');
		const char *val;
		if (!eq || eq == tok[i])
			return sd_sim_timeline_err(err, errsz, tl->name, line, "expected key=value, got \"%s\"",
				       shown(tok[i], sb, sizeof sb));
		if (strchr(tok[i], ','))
			return sd_sim_timeline_err(err, errsz, tl->name, line, "one key=value per word; no commas "
				       "(\"%s\")", shown(tok[i], sb, sizeof sb));
		*eq = '\0';
		val = eq + 1;
		if (strcmp(tok[i], "dur") == 0)
			return sd_sim_timeline_err(err, errsz, tl->name, line, "dur is given by \"for\"");
		if (is_pick_key(tok[i]) && (strcmp(val, "*") == 0 || strchr(val, '|'))) {
			char list[SD_TL_MAX_LINE], *c, *save = NULL;
			if (e->pick_key[0])
				return sd_sim_timeline_err(err, errsz, tl->name, line, "only one object per event is "
					       "drawn (%s= already is)", e->pick_key);
			sd_strlcpy(e->pick_key, tok[i], sizeof e->pick_key);
			if (strcmp(val, "*") == 0) {
				e->pick = SD_TL_ANY;
				continue;
			}
			e->pick = SD_TL_LIST;
			sd_strlcpy(list, val, sizeof list);
			if (list[0] == '|' || list[strlen(list) - 1] == '|' || strstr(list, "||"))
				return sd_sim_timeline_err(err, errsz, tl->name, line, "%s=%s: an empty choice",
					       tok[i], shown(val, sb, sizeof sb));
			for (c = strtok_r(list, "|", &save); c; c = strtok_r(NULL, "|", &save)) {
				if (e->nchoices == SD_TL_MAX_CHOICES)
					return sd_sim_timeline_err(err, errsz, tl->name, line, "more than %d choices",
						       SD_TL_MAX_CHOICES);
				if (!sd_id_valid(c) || strlen(c) >= SD_ID_MAX)
					return sd_sim_timeline_err(err, errsz, tl->name, line, "%s: \"%s\" is not an id",
						       tok[i], shown(c, sb, sizeof sb));
				sd_strlcpy(e->choices[e->nchoices++], c, SD_ID_MAX);
			}
			continue;
		}
		k = snprintf(e->params + off, sizeof e->params - off, "%s%s=%s", off ? "," : "",
			     tok[i], val);
		if (k < 0 || (size_t)k >= sizeof e->params - off)
			return sd_sim_timeline_err(err, errsz, tl->name, line, "too many keys");
		off += (size_t)k;
	}
	/* the fault parser says whether kind and keys make a fault, with each
	 * choice (a placeholder id for "*": the zone is checked later) */
	for (k = 0; k < (e->pick == SD_TL_LIST ? e->nchoices : 1); k++) {
		sd_sim_timeline_spec(e, e->pick == SD_TL_LIST ? e->choices[k] : e->pick == SD_TL_ANY ? "x" : NULL,
			   spec, sizeof spec);
		if (sd_sim_fault_parse(spec, &f, ferr, sizeof ferr) < 0)
			return sd_sim_timeline_err(err, errsz, tl->name, line, "%s", ferr);
	}
	tl->n++;
	return 0;
}

int sd_sim_timeline_parse(const char *text, size_t len, const char *name,
			  struct sd_sim_timeline *tl, char *err, size_t errsz)
{
	size_t pos = 0;
	int line = 0, repeat_line = 0, i;
	int64_t last_end = 0;

	memset(tl, 0, sizeof *tl);
	sd_strlcpy(tl->name, name && *name ? name : "timeline", sizeof tl->name);
	tl->t0_ms = -1;
	if (len > SD_TL_MAX_BYTES)
		return sd_sim_timeline_err(err, errsz, tl->name, 1, "larger than %d bytes", SD_TL_MAX_BYTES);
	while (pos < len) {
		char buf[SD_TL_MAX_LINE + 2], *tok[MAX_TOKENS], *p, *save = NULL, sb[64];
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - (text + pos)) : len - pos;
		int ntok = 0;

		line++;
		if (ll > SD_TL_MAX_LINE)
			return sd_sim_timeline_err(err, errsz, tl->name, line, "line longer than %d bytes",
				       SD_TL_MAX_LINE);
		memcpy(buf, text + pos, ll);
		buf[ll] = '\0';
		pos += ll + (nl ? 1 : 0);
		if (memchr(buf, '\0', ll))
			return sd_sim_timeline_err(err, errsz, tl->name, line, "a NUL byte");
		if ((p = strchr(buf, '#')))
			*p = '\0';
		for (p = buf; *p; p++)
			if (((unsigned char)*p < ' ' && *p != '\t' && *p != '\r') || *p == 0x7f)
				return sd_sim_timeline_err(err, errsz, tl->name, line, "a control character");
		for (p = strtok_r(buf, " \t\r", &save); p; p = strtok_r(NULL, " \t\r", &save)) {
			if (ntok == MAX_TOKENS)
				return sd_sim_timeline_err(err, errsz, tl->name, line, "more than %d words", MAX_TOKENS);
			tok[ntok++] = p;
		}
		if (!ntok)
			continue;
		if (strcmp(tok[0], "seed") == 0) {
			long long v;
			if (ntok != 2 || !sd_parse_ll(tok[1], 0, INT64_MAX, &v))
				return sd_sim_timeline_err(err, errsz, tl->name, line, "seed wants one non-negative "
					       "integer");
			tl->seed = (uint64_t)v;
			tl->has_seed = true;
		} else if (strcmp(tok[0], "repeat") == 0) {
			if (ntok != 2 || !parse_span(tok[1], &tl->repeat_ms) || tl->repeat_ms < 10000)
				return sd_sim_timeline_err(err, errsz, tl->name, line, "repeat wants one duration of "
					       "at least 10 s");
			repeat_line = line;
		} else if (strcmp(tok[0], "at") == 0) {
			if (parse_at(tl, tok, ntok, line, err, errsz) < 0)
				return -1;
		} else {
			return sd_sim_timeline_err(err, errsz, tl->name, line, "unknown directive \"%s\" (seed, "
				       "repeat, at)", shown(tok[0], sb, sizeof sb));
		}
	}
	if (!tl->n)
		return sd_sim_timeline_err(err, errsz, tl->name, line ? line : 1, "no events (at ... lines)");
	for (i = 0; i < tl->n; i++) {
		int64_t end = tl->ev[i].at_ms + tl->ev[i].jitter_ms + tl->ev[i].dur_ms;
		if (end > last_end)
			last_end = end;
	}
	if (tl->repeat_ms && tl->repeat_ms < last_end)
		return sd_sim_timeline_err(err, errsz, tl->name, repeat_line, "a round of %lld s is shorter than "
			       "its events (the last may end at %lld s)",
			       (long long)(tl->repeat_ms / 1000), (long long)(last_end / 1000));
	return 0;
}

int sd_sim_timeline_load(const char *path, struct sd_sim_timeline *tl, char *err, size_t errsz)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;
	int rc;

	if (!f) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	buf = sd_malloc(SD_TL_MAX_BYTES + 1);
	n = fread(buf, 1, SD_TL_MAX_BYTES + 1, f);
	if (ferror(f)) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	rc = sd_sim_timeline_parse(buf, n, path, tl, err, errsz);
	free(buf);
	return rc;
}


/* tui/walk.c — see walk.h. */
#include "tui/walk.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/util.h"

#define LINE_MAX_BYTES 1024
#define FIELDS_MAX 32

enum wcol { W_TIME, W_X, W_Y, W_LAT, W_LON, W_CELL, W_RSRP, W_SINR, W_NCOLS };
static const char *const wcol_name[W_NCOLS] = {
	"time", "x", "y", "lat", "lon", "cell", "rsrp", "sinr",
};

/* Problems go to err, counted; past the cap one line says more were left out. */
struct report {
	const char *name;
	FILE *err;
	int count;
};

static void problem(struct report *r, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(struct report *r, int line, const char *fmt, ...)
{
	va_list ap;
	r->count++;
	if (!r->err || r->count > SD_WALK_MAX_ERRORS + 1)
		return;
	if (r->count == SD_WALK_MAX_ERRORS + 1) {
		fprintf(r->err, "%s: more than %d problems; the rest are not listed\n", r->name,
			SD_WALK_MAX_ERRORS);
		return;
	}
	if (line > 0)
		fprintf(r->err, "%s:%d: ", r->name, line);
	else
		fprintf(r->err, "%s: ", r->name);
	va_start(ap, fmt);
	vfprintf(r->err, fmt, ap);
	va_end(ap);
	fputc('\n', r->err);
}

static char *trim(char *s)
{
	char *e;
	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

/* Cut line (modified in place) into fields. The count, or -1 for a quote
 * left open or junk after a closing quote, -2 for too many fields. */
static int fields(char *line, char **f)
{
	char *p = line;
	int n = 0;
	for (;;) {
		if (n == FIELDS_MAX)
			return -2;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '"') {
			char *w = ++p;
			f[n++] = w;
			for (;; p++) {
				if (!*p)
					return -1;
				if (*p == '"' && p[1] != '"')
					break;
				if (*p == '"')
					p++;   /* "" is one quote */
				*w++ = *p;
			}
			*w = '\0';
			p++;
			while (*p == ' ' || *p == '\t')
				p++;
			if (!*p)
				return n;
			if (*p != ',')
				return -1;
			p++;
			continue;
		}
		f[n++] = p;
		p = strchr(p, ',');
		if (!p) {
			f[n - 1] = trim(f[n - 1]);
			return n;
		}
		*p++ = '\0';
		f[n - 1] = trim(f[n - 1]);
	}
}

static bool number(const char *s, double *v)
{
	char *end;
	if (!*s)
		return false;
	errno = 0;
	*v = strtod(s, &end);
	return *end == '\0' && errno == 0 && isfinite(*v);
}

static bool two_digits(const char *p, int *v)
{
	if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]))
		return false;
	*v = (p[0] - '0') * 10 + (p[1] - '0');
	return true;
}

/* Unix seconds (up to the year 2100), or RFC 3339 with Z or an offset. */
static bool timestamp(const char *s, int64_t *ms)
{
	struct tm tm = { 0 };
	int y, mo, d, h, mi, se, oh, om, sign = 0;
	double secs, frac = 0;
	const char *p;
	time_t t;

	if (number(s, &secs)) {
		if (secs < 0 || secs > 4102444800.0)
			return false;
		*ms = (int64_t)llround(secs * 1000.0);
		return true;
	}
	if (strlen(s) < 20 || !isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
	    !two_digits(s + 2, &y) || s[4] != '-' || !two_digits(s + 5, &mo) || s[7] != '-' ||
	    !two_digits(s + 8, &d) || !strchr("Tt ", s[10]) || !two_digits(s + 11, &h) ||
	    s[13] != ':' || !two_digits(s + 14, &mi) || s[16] != ':' || !two_digits(s + 17, &se))
		return false;
	y += ((s[0] - '0') * 10 + (s[1] - '0')) * 100;
	if (y < 1970 || y > 2099 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    se > 60)
		return false;
	p = s + 19;
	if (*p == '.') {
		double scale = 0.1;
		if (!isdigit((unsigned char)*++p))
			return false;
		for (; isdigit((unsigned char)*p); p++, scale /= 10)
			frac += (*p - '0') * scale;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if ((*p == '+' || *p == '-') && two_digits(p + 1, &oh) && p[3] == ':' &&
		   two_digits(p + 4, &om) && oh <= 23 && om <= 59) {
		sign = *p == '+' ? 1 : -1;
		p += 6;
	} else {
		return false;
	}
	if (*p)
		return false;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	t = timegm(&tm);
	*ms = ((int64_t)t - (sign ? sign * (oh * 3600 + om * 60) : 0)) * 1000 +
	      (int64_t)llround(frac * 1000.0);
	return true;
}

static bool cell_id(const char *s)
{
	size_t n = strlen(s), i;
	if (n == 0 || n >= SD_WALK_CELL_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_.-", s[i]))
			return false;
	return true;
}

/* The header's columns into col[]; false when rows cannot be read. */
static bool header(struct report *r, int line, char **f, int nf, int *col,
		   const struct sd_walk_origin *origin)
{
	static const enum wcol needed[] = { W_TIME, W_CELL, W_RSRP, W_SINR };
	int before = r->count, i, k;
	bool xy, ll;
	for (i = 0; i < nf; i++) {
		for (k = 0; k < W_NCOLS && strcasecmp(f[i], wcol_name[k]) != 0; k++)
			;
		if (k == W_NCOLS) {
			char clean[64];
			sd_sanitize(clean, sizeof clean, f[i], strlen(f[i]));
			problem(r, line, "unknown column \"%s\" (the columns are time, x and y or "
				"lat and lon, cell, rsrp, sinr)", clean);
		} else if (col[k] >= 0) {
			problem(r, line, "column \"%s\" appears twice", wcol_name[k]);
		} else {
			col[k] = i;
		}
	}
	for (i = 0; i < (int)SD_ARRAY_LEN(needed); i++)
		if (col[needed[i]] < 0)
			problem(r, line, "the header has no \"%s\" column", wcol_name[needed[i]]);
	xy = col[W_X] >= 0 && col[W_Y] >= 0;
	ll = col[W_LAT] >= 0 && col[W_LON] >= 0;
	/* a half pair is refused: a row is read by the pair present */
	if ((col[W_X] >= 0) != (col[W_Y] >= 0))
		problem(r, line, "the header has \"%s\" without \"%s\"",
			wcol_name[col[W_X] >= 0 ? W_X : W_Y], wcol_name[col[W_X] >= 0 ? W_Y : W_X]);
	else if ((col[W_LAT] >= 0) != (col[W_LON] >= 0))
		problem(r, line, "the header has \"%s\" without \"%s\"",
			wcol_name[col[W_LAT] >= 0 ? W_LAT : W_LON],
			wcol_name[col[W_LAT] >= 0 ? W_LON : W_LAT]);
	else if (!xy && !ll)
		problem(r, line, "the header needs x and y, or lat and lon");
	else if (xy && ll)
		problem(r, line, "the header has both x/y and lat/lon: keep one pair");
	else if (ll && !origin)
		problem(r, line, "lat/lon rows need a site to be placed on");
	return r->count == before;
}

/* One data row into *s; false (problems reported) when it is refused. */
static bool row(struct report *r, int line, char **f, const int *col,
		const struct sd_walk_origin *origin, struct sd_walk_sample *s)
{
	int before = r->count;
	double lat, lon;
	memset(s, 0, sizeof *s);
	if (!timestamp(f[col[W_TIME]], &s->t_ms))
		problem(r, line, "time must be RFC 3339 (2026-11-23T10:00:00Z) or Unix seconds");
	if (cell_id(f[col[W_CELL]]))
		sd_strlcpy(s->cell, f[col[W_CELL]], sizeof s->cell);
	else
		problem(r, line, "cell must be an id of 1..%d characters [A-Za-z0-9_.-]",
			SD_WALK_CELL_MAX - 1);
	if (!number(f[col[W_RSRP]], &s->rsrp_dbm) || s->rsrp_dbm < SD_WALK_RSRP_MIN ||
	    s->rsrp_dbm > SD_WALK_RSRP_MAX)
		problem(r, line, "RSRP must be a number of %.0f..%.0f dBm", SD_WALK_RSRP_MIN,
			SD_WALK_RSRP_MAX);
	if (!number(f[col[W_SINR]], &s->sinr_db) || s->sinr_db < SD_WALK_SINR_MIN ||
	    s->sinr_db > SD_WALK_SINR_MAX)
		problem(r, line, "SINR must be a number of %.0f..%.0f dB", SD_WALK_SINR_MIN,
			SD_WALK_SINR_MAX);
	if (col[W_X] >= 0) {
		if (!number(f[col[W_X]], &s->x_m) || !number(f[col[W_Y]], &s->y_m))
			problem(r, line, "x and y must be numbers (metres)");
	} else if (!number(f[col[W_LAT]], &lat) || lat < -90 || lat > 90 ||
		   !number(f[col[W_LON]], &lon) || lon < -180 || lon > 180) {
		problem(r, line, "lat must be -90..90 and lon -180..180 degrees");
	} else {
		/* equirectangular: good to centimetres over a site of a few km */
		const double m_per_deg = 111320.0;
		s->x_m = (lon - origin->lon) * m_per_deg * cos(origin->lat * M_PI / 180.0);
		s->y_m = (lat - origin->lat) * m_per_deg;
	}
	return r->count == before;
}

int sd_walk_parse(const char *name, const char *text, size_t len,
		  const struct sd_walk_origin *origin, struct sd_walk_sample **out, size_t *n,
		  FILE *err)
{
	struct report r = { .name = name, .err = err };
	struct sd_walk_sample *v = NULL;
	size_t cnt = 0, cap = 0, pos = 0;
	int col[W_NCOLS], lineno = 0, i, maxcol = -1;
	bool have_header = false;

	*out = NULL;
	*n = 0;
	for (i = 0; i < W_NCOLS; i++)
		col[i] = -1;
	while (pos < len) {
		const char *start = text + pos, *nl = memchr(start, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - start) : len - pos;
		char buf[LINE_MAX_BYTES], *f[FIELDS_MAX], *first;
		int nf;

		pos += ll + (nl != NULL);
		lineno++;
		if (ll > 0 && start[ll - 1] == '\r')
			ll--;
		if (ll >= sizeof buf) {
			problem(&r, lineno, "line longer than %zu bytes", sizeof buf - 1);
			continue;
		}
		if (memchr(start, '\0', ll)) {
			problem(&r, lineno, "NUL byte in the line");
			continue;
		}
		memcpy(buf, start, ll);
		buf[ll] = '\0';
		first = buf + strspn(buf, " \t");
		if (*first == '\0' || *first == '#')
			continue;
		nf = fields(buf, f);
		if (nf == -1) {
			problem(&r, lineno, "a quoted field is not closed properly");
			continue;
		}
		if (nf == -2) {
			problem(&r, lineno, "more than %d fields", FIELDS_MAX);
			continue;
		}
		if (!have_header) {
			have_header = true;
			if (!header(&r, lineno, f, nf, col, origin))
				break;   /* no row can be read without its header */
			for (i = 0; i < W_NCOLS; i++)
				if (col[i] > maxcol)
					maxcol = col[i];
			continue;
		}
		if (nf <= maxcol) {
			problem(&r, lineno, "%d fields where the header has %d", nf, maxcol + 1);
			continue;
		}
		if (cnt == SD_WALK_MAX_ROWS) {
			problem(&r, lineno, "more than %d samples in one file", SD_WALK_MAX_ROWS);
			break;
		}
		if (cnt == cap) {
			cap = cap ? cap * 2 : 256;
			v = sd_reallocarray(v, cap, sizeof *v);
		}
		if (row(&r, lineno, f, col, origin, &v[cnt]))
			cnt++;
	}
	if (!have_header && r.count == 0)
		problem(&r, 0, "empty: a header line is needed (time,x,y,cell,rsrp,sinr)");
	if (r.count) {
		sd_free(v);
		return r.count;
	}
	*out = v;
	*n = cnt;
	return 0;
}

int sd_walk_load(const char *path, const struct sd_walk_origin *origin,
		 struct sd_walk_sample **out, size_t *n, FILE *err)
{
	const char *base = strrchr(path, '/');
	struct report r;
	struct sd_buf b;
	char chunk[65536];
	size_t got;
	FILE *fp;
	int rc;

	base = base ? base + 1 : path;
	r = (struct report){ .name = base, .err = err };
	*out = NULL;
	*n = 0;
	fp = fopen(path, "rb");
	if (!fp) {
		problem(&r, 0, "%s", strerror(errno));
		return r.count;
	}
	sd_buf_init(&b, SD_WALK_MAX_FILE);
	while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0) {
		if (sd_buf_add(&b, chunk, got) < 0) {
			problem(&r, 0, "larger than %u MiB", SD_WALK_MAX_FILE >> 20);
			break;
		}
	}
	if (!r.count && ferror(fp))
		problem(&r, 0, "read error");
	fclose(fp);
	rc = r.count ? r.count : sd_walk_parse(base, b.data ? b.data : "", b.len, origin, out, n, err);
	sd_buf_done(&b);
	return rc;
}

/* monitor/coverage.c — see coverage.h. */
#include "monitor/coverage.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/log.h"
#include "core/store.h"
#include "core/util.h"
#include "monitor/pathloss.h"

void sd_cov_conf_default(struct sd_cov_conf *c)
{
	c->rsrp_min_dbm = -105;
	c->sinr_min_db = 0;
	c->target_pct = 95;
	c->grid_m = 10;
	c->min_hole_squares = 2;
}

void sd_cov_conf_from(struct sd_cov_conf *c, const struct sd_monitor_conf *m)
{
	sd_cov_conf_default(c);
	c->rsrp_min_dbm = m->cov_rsrp_min_dbm;
	c->sinr_min_db = m->cov_sinr_min_db;
	c->target_pct = m->cov_target_pct;
	c->grid_m = m->cov_grid_m;
	c->min_hole_squares = m->cov_min_hole_squares;
}

void sd_cov_project(const struct sd_site *site, double lat, double lon,
		    double *x_m, double *y_m)
{
	const double m_per_deg_lat = 111320.0;
	double k = cos(site->lat * M_PI / 180.0);
	*x_m = (lon - site->lon) * m_per_deg_lat * k;
	*y_m = (lat - site->lat) * m_per_deg_lat;
}

/* --- CSV ------------------------------------------------------------------ */

#define MAX_FIELDS 32

enum col { C_TIME, C_X, C_Y, C_LAT, C_LON, C_CELL, C_RSRP, C_SINR, C_COUNT };
static const char *const col_names[C_COUNT] = {
	"time", "x", "y", "lat", "lon", "cell", "rsrp", "sinr",
};

/* Split one line into fields (double quotes, "" inside quotes). Fields
 * point into buf, which is modified. Returns the count, or -1 on an
 * unterminated quote, -2 when there are too many. */
static int split(char *buf, char **f, int max)
{
	int n = 0;
	char *p = buf;
	for (;;) {
		if (n == max)
			return -2;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '"') {
			char *w = ++p;
			f[n++] = w;
			for (;;) {
				if (!*p)
					return -1;
				if (*p == '"' && p[1] == '"') {
					*w++ = '"';
					p += 2;
				} else if (*p == '"') {
					p++;
					break;
				} else {
					*w++ = *p++;
				}
			}
			*w = '\0';
			while (*p == ' ' || *p == '\t')
				p++;
			if (*p == ',') {
				p++;
				continue;
			}
			if (*p)
				return -1;
			return n;
		}
		f[n++] = p;
		char *c = strchr(p, ',');
		char *end = c ? c : p + strlen(p);
		char *e = end;
		while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		*e = '\0';
		if (!c)
			return n;
		p = c + 1;
	}
}

static bool parse_num(const char *s, double *v)
{
	if (!*s)
		return false;
	char *end;
	errno = 0;
	*v = strtod(s, &end);
	return !*end && errno == 0 && isfinite(*v);
}

/* RFC 3339 (Z or +hh:mm, optional fraction) or Unix seconds. */
static bool parse_time(const char *s, int64_t *ms)
{
	double secs;
	if (parse_num(s, &secs)) {
		if (secs < 0 || secs > 4102444800.0)   /* 2100 */
			return false;
		*ms = (int64_t)llround(secs * 1000);
		return true;
	}
	int Y, M, D, h, m, sec, used = 0;
	if (sscanf(s, "%4d-%2d-%2d%*1[Tt ]%2d:%2d:%2d%n", &Y, &M, &D, &h, &m, &sec,
		   &used) != 6 || used == 0)
		return false;
	if (M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || m > 59 || sec > 60 ||
	    Y < 1970 || Y > 2099)
		return false;
	const char *p = s + used;
	double frac = 0;
	if (*p == '.') {
		const char *q = ++p;
		double scale = 0.1;
		while (isdigit((unsigned char)*p)) {
			frac += (*p - '0') * scale;
			scale /= 10;
			p++;
		}
		if (p == q)
			return false;
	}
	int off = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om, u = 0;
		if (sscanf(p + 1, "%2d:%2d%n", &oh, &om, &u) != 2 || u != 5 || oh > 23 || om > 59)
			return false;
		off = (oh * 60 + om) * (*p == '+' ? 1 : -1);
		p += 6;
	} else {
		return false;
	}
	if (*p)
		return false;
	struct tm tm = { .tm_year = Y - 1900, .tm_mon = M - 1, .tm_mday = D,
			 .tm_hour = h, .tm_min = m, .tm_sec = sec };
	time_t t = timegm(&tm);
	*ms = ((int64_t)t - off * 60) * 1000 + (int64_t)llround(frac * 1000);
	return true;
}

int sd_cov_csv_parse(const char *name, const char *text, size_t len,
		     const struct sd_site *site, struct sd_cov_sample **out, size_t *n,
		     struct sd_errlist *errs)
{
	int before = errs->n;
	int col[C_COUNT];
	bool have_header = false;
	size_t cap = 0, cnt = 0;
	struct sd_cov_sample *v = NULL;
	char line[1024];
	int lineno = 0;
	size_t pos = 0;

	*out = NULL;
	*n = 0;
	for (int i = 0; i < C_COUNT; i++)
		col[i] = -1;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - (text + pos)) : len - pos;
		const char *ls = text + pos;
		pos += ll + (nl ? 1 : 0);
		lineno++;
		if (ll && ls[ll - 1] == '\r')
			ll--;
		if (ll >= sizeof line) {
			sd_errlist_add(errs, name, lineno, "line longer than %zu bytes",
				       sizeof line - 1);
			continue;
		}
		if (memchr(ls, '\0', ll)) {
			sd_errlist_add(errs, name, lineno, "NUL byte in the line");
			continue;
		}
		memcpy(line, ls, ll);
		line[ll] = '\0';
		const char *t = line;
		while (*t == ' ' || *t == '\t')
			t++;
		if (!*t || *t == '#')
			continue;
		char *f[MAX_FIELDS];
		int nf = split(line, f, MAX_FIELDS);
		if (nf == -1) {
			sd_errlist_add(errs, name, lineno, "unterminated quoted field");
			continue;
		}
		if (nf == -2) {
			sd_errlist_add(errs, name, lineno, "more than %d fields", MAX_FIELDS);
			continue;
		}
		if (!have_header) {
			have_header = true;
			for (int i = 0; i < nf; i++) {
				int c = -1;
				for (int k = 0; k < C_COUNT; k++)
					if (strcasecmp(f[i], col_names[k]) == 0)
						c = k;
				if (c < 0) {
					char cl[64];
					sd_sanitize(cl, sizeof cl, f[i], strlen(f[i]));
					sd_errlist_add(errs, name, lineno,
						       "unknown column \"%s\" (expected time, "
						       "x, y or lat, lon, cell, rsrp, sinr)", cl);
				} else if (col[c] >= 0) {
					sd_errlist_add(errs, name, lineno,
						       "column \"%s\" appears twice", col_names[c]);
				} else {
					col[c] = i;
				}
			}
			bool xy = col[C_X] >= 0 && col[C_Y] >= 0;
			bool ll2 = col[C_LAT] >= 0 && col[C_LON] >= 0;
			const enum col req[] = { C_TIME, C_CELL, C_RSRP, C_SINR };
			for (size_t i = 0; i < SD_ARRAY_LEN(req); i++)
				if (col[req[i]] < 0)
					sd_errlist_add(errs, name, lineno,
						       "header lacks the \"%s\" column",
						       col_names[req[i]]);
			if (!xy && !ll2)
				sd_errlist_add(errs, name, lineno, "header needs x and y, "
					       "or lat and lon, columns");
			if (xy && ll2)
				sd_errlist_add(errs, name, lineno, "header has both x/y "
					       "and lat/lon: use one");
			if (!xy && ll2 && !site)
				sd_errlist_add(errs, name, lineno, "lat/lon need a site to "
					       "place them on (no site given)");
			if (errs->n > before)
				break;     /* rows cannot be read without a good header */
			continue;
		}
		int maxcol = 0;
		for (int i = 0; i < C_COUNT; i++)
			if (col[i] > maxcol)
				maxcol = col[i];
		if (nf <= maxcol) {
			sd_errlist_add(errs, name, lineno, "%d fields, the header has %d",
				       nf, maxcol + 1);
			continue;
		}
		if (cnt >= SD_COV_MAX_ROWS) {
			sd_errlist_add(errs, name, lineno, "more than %d rows", SD_COV_MAX_ROWS);
			break;
		}
		struct sd_cov_sample s;
		memset(&s, 0, sizeof s);
		bool ok = true;
		if (!parse_time(f[col[C_TIME]], &s.t_ms)) {
			sd_errlist_add(errs, name, lineno, "time must be RFC 3339 "
				       "(2026-11-23T10:00:00Z) or Unix seconds");
			ok = false;
		}
		if (!sd_id_valid(f[col[C_CELL]])) {
			sd_errlist_add(errs, name, lineno, "cell must be an id "
				       "([A-Za-z0-9_.-], 1..%d characters)", SD_ID_MAX - 1);
			ok = false;
		} else {
			sd_strlcpy(s.cell, f[col[C_CELL]], sizeof s.cell);
		}
		if (!parse_num(f[col[C_RSRP]], &s.rsrp_dbm) || s.rsrp_dbm < SD_COV_RSRP_MIN ||
		    s.rsrp_dbm > SD_COV_RSRP_MAX) {
			sd_errlist_add(errs, name, lineno, "RSRP must be %.0f..%.0f dBm",
				       SD_COV_RSRP_MIN, SD_COV_RSRP_MAX);
			ok = false;
		}
		if (!parse_num(f[col[C_SINR]], &s.sinr_db) || s.sinr_db < SD_COV_SINR_MIN ||
		    s.sinr_db > SD_COV_SINR_MAX) {
			sd_errlist_add(errs, name, lineno, "SINR must be %.0f..%.0f dB",
				       SD_COV_SINR_MIN, SD_COV_SINR_MAX);
			ok = false;
		}
		if (col[C_X] >= 0) {
			if (!parse_num(f[col[C_X]], &s.x_m) || !parse_num(f[col[C_Y]], &s.y_m)) {
				sd_errlist_add(errs, name, lineno, "x and y must be numbers (m)");
				ok = false;
			}
		} else {
			double lat, lon;
			if (!parse_num(f[col[C_LAT]], &lat) || lat < -90 || lat > 90 ||
			    !parse_num(f[col[C_LON]], &lon) || lon < -180 || lon > 180) {
				sd_errlist_add(errs, name, lineno, "lat must be -90..90 and "
					       "lon -180..180 degrees");
				ok = false;
			} else {
				sd_cov_project(site, lat, lon, &s.x_m, &s.y_m);
			}
		}
		if (ok && site && site->width_m > 0 && site->height_m > 0 &&
		    (s.x_m < 0 || s.y_m < 0 || s.x_m > site->width_m ||
		     s.y_m > site->height_m)) {
			sd_errlist_add(errs, name, lineno, "position (%.1f, %.1f) m is outside "
				       "site %s's plan (%.0f x %.0f m)", s.x_m, s.y_m,
				       site->id, site->width_m, site->height_m);
			ok = false;
		}
		if (!ok)
			continue;
		if (cnt == cap) {
			cap = cap ? cap * 2 : 256;
			v = sd_reallocarray(v, cap, sizeof *v);
		}
		v[cnt++] = s;
	}
	if (!have_header && errs->n == before)
		sd_errlist_add(errs, name, 0, "empty file: a header line is required "
			       "(time,x,y,cell,rsrp,sinr)");
	if (errs->n > before) {
		sd_free(v);
		return -1;
	}
	*out = v;
	*n = cnt;
	return 0;
}

int sd_cov_csv_load(const char *path, const struct sd_site *site,
		    struct sd_cov_sample **out, size_t *n, struct sd_errlist *errs)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	*out = NULL;
	*n = 0;
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		sd_errlist_add(errs, base, 0, "%s", strerror(errno));
		return -1;
	}
	struct sd_buf b;
	sd_buf_init(&b, SD_COV_MAX_FILE);
	char chunk[65536];
	size_t got;
	int rc = 0;
	while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0) {
		if (sd_buf_add(&b, chunk, got) < 0) {
			sd_errlist_add(errs, base, 0, "larger than %u MiB", SD_COV_MAX_FILE >> 20);
			rc = -1;
			break;
		}
	}
	if (!rc && ferror(fp)) {
		sd_errlist_add(errs, base, 0, "read error");
		rc = -1;
	}
	fclose(fp);
	if (!rc)
		rc = sd_cov_csv_parse(base, b.data ? b.data : "", b.len, site, out, n, errs);
	sd_buf_done(&b);
	return rc;
}

/* --- site accumulator -------------------------------------------------- */

/* A square as the report functions read it (a copy: see sq_at). */
struct square {
	uint32_t n, pass;
	double rsrp_sum;
	int16_t prsrp_cdb, psinr_cdb;
};
/* Walk-test samples of a square: only sites that were walked have them. */
struct msq {
	uint32_t n, pass;
	double rsrp_sum;
};
/* The prediction of a square in hundredths of a dB (RSRP -15600..-3100,
 * SINR -2300..4000), PRED_NONE when not predicted: 4 bytes a square, so
 * the 10,000 sites of 2,500 squares of the scale zone need 100 MB. */
struct psq {
	int16_t prsrp_cdb, psinr_cdb;
};
#define PRED_NONE INT16_MIN

struct cellacc {
	char id[SD_ID_MAX];
	uint32_t n, pass;
	double rsrp_sum, sinr_sum;
};

struct sd_cov_site {
	char id[SD_ID_MAX];
	struct sd_cov_conf conf;
	double width, height, grid;
	int rows, cols;           /* row 0 = south */
	struct msq *sq;           /* NULL until the first walk-test sample */
	struct psq *pq;
	struct cellacc *cells;
	int ncells, capcells;
	uint32_t samples, passing, refused;
	uint32_t cell_reports;
	bool predicted;           /* the squares carry a prediction */
	int64_t pred_at_ms;
	unsigned models;          /* bit per enum sd_pl_model in use */
};

struct sd_cov_site *sd_cov_site_new(const char *site_id, double width_m, double height_m,
				    const struct sd_cov_conf *c)
{
	if (!(width_m > 0) || !(height_m > 0) || width_m > 1e6 || height_m > 1e6)
		return NULL;
	struct sd_cov_site *cs = sd_calloc(1, sizeof *cs);
	if (c)
		cs->conf = *c;
	else
		sd_cov_conf_default(&cs->conf);
	sd_strlcpy(cs->id, site_id ? site_id : "", sizeof cs->id);
	cs->width = width_m;
	cs->height = height_m;
	cs->grid = cs->conf.grid_m > 0 ? cs->conf.grid_m : 10;
	for (;;) {
		cs->cols = (int)ceil(width_m / cs->grid);
		cs->rows = (int)ceil(height_m / cs->grid);
		if ((double)cs->cols * cs->rows <= SD_COV_MAX_SQUARES)
			break;
		cs->grid *= 2;
	}
	if (cs->cols < 1)
		cs->cols = 1;
	if (cs->rows < 1)
		cs->rows = 1;
	cs->pq = sd_malloc((size_t)cs->rows * cs->cols * sizeof *cs->pq);
	for (size_t i = 0; i < (size_t)cs->rows * cs->cols; i++)
		cs->pq[i].prsrp_cdb = cs->pq[i].psinr_cdb = PRED_NONE;
	return cs;
}

void sd_cov_site_free(struct sd_cov_site *cs)
{
	if (!cs)
		return;
	sd_free(cs->sq);
	sd_free(cs->pq);
	sd_free(cs->cells);
	sd_free(cs);
}

/* Measurements go; the prediction stays (it does not come from them). */
void sd_cov_site_reset(struct sd_cov_site *cs)
{
	sd_free(cs->sq);
	cs->sq = NULL;
	cs->ncells = 0;
	cs->samples = cs->passing = cs->refused = cs->cell_reports = 0;
}

double sd_cov_site_grid_m(const struct sd_cov_site *cs) { return cs->grid; }

static bool passes(const struct sd_cov_site *cs, double rsrp, double sinr)
{
	return rsrp >= cs->conf.rsrp_min_dbm && sinr >= cs->conf.sinr_min_db;
}

bool sd_cov_site_accepts(const struct sd_cov_site *cs, const struct sd_cov_sample *s)
{
	return s->x_m >= 0 && s->y_m >= 0 && s->x_m <= cs->width && s->y_m <= cs->height &&
	       s->rsrp_dbm >= SD_COV_RSRP_MIN && s->rsrp_dbm <= SD_COV_RSRP_MAX &&
	       s->sinr_db >= SD_COV_SINR_MIN && s->sinr_db <= SD_COV_SINR_MAX;
}

static struct cellacc *cell_acc(struct sd_cov_site *cs, const char *id)
{
	struct cellacc *ca;
	for (int i = 0; i < cs->ncells; i++)
		if (strcmp(cs->cells[i].id, id) == 0)
			return &cs->cells[i];
	if (cs->ncells >= SD_COV_MAX_CELLS)
		return NULL;
	if (cs->ncells == cs->capcells) {
		cs->capcells = cs->capcells ? cs->capcells * 2 : 16;
		cs->cells = sd_reallocarray(cs->cells, (size_t)cs->capcells, sizeof *cs->cells);
	}
	ca = &cs->cells[cs->ncells++];
	memset(ca, 0, sizeof *ca);
	sd_strlcpy(ca->id, id, sizeof ca->id);
	return ca;
}

static void cell_count(struct cellacc *ca, bool ok, double rsrp, double sinr)
{
	ca->n++;
	ca->pass += ok;
	ca->rsrp_sum += rsrp;
	ca->sinr_sum += sinr;
}

int sd_cov_site_add(struct sd_cov_site *cs, const struct sd_cov_sample *s)
{
	struct cellacc *ca;
	if (!sd_cov_site_accepts(cs, s)) {
		cs->refused++;
		return -1;
	}
	int c = (int)(s->x_m / cs->grid), r = (int)(s->y_m / cs->grid);
	if (c >= cs->cols)
		c = cs->cols - 1;
	if (r >= cs->rows)
		r = cs->rows - 1;
	bool ok = passes(cs, s->rsrp_dbm, s->sinr_db);
	if (!cs->sq)
		cs->sq = sd_calloc((size_t)cs->rows * cs->cols, sizeof *cs->sq);
	struct msq *q = &cs->sq[(size_t)r * cs->cols + c];
	q->n++;
	q->pass += ok;
	q->rsrp_sum += s->rsrp_dbm;
	cs->samples++;
	cs->passing += ok;
	if (s->cell[0] && (ca = cell_acc(cs, s->cell)) != NULL)
		cell_count(ca, ok, s->rsrp_dbm, s->sinr_db);
	return 0;
}

int sd_cov_site_add_cell(struct sd_cov_site *cs, const struct sd_cell *c, int64_t t_ms,
			 double rsrp_dbm, double sinr_db)
{
	struct cellacc *ca;
	(void)t_ms;
	if (!(rsrp_dbm >= SD_COV_RSRP_MIN && rsrp_dbm <= SD_COV_RSRP_MAX &&
	      sinr_db >= SD_COV_SINR_MIN && sinr_db <= SD_COV_SINR_MAX)) {
		cs->refused++;
		return -1;
	}
	cs->cell_reports++;
	if ((ca = cell_acc(cs, c->id)) != NULL)
		cell_count(ca, passes(cs, rsrp_dbm, sinr_db), rsrp_dbm, sinr_db);
	return 0;
}

/* A measured square is judged by its samples; one with only a prediction
 * by the predicted values. */
static struct square sq_at(const struct sd_cov_site *cs, size_t i)
{
	struct square q = { .prsrp_cdb = cs->pq[i].prsrp_cdb, .psinr_cdb = cs->pq[i].psinr_cdb };
	if (cs->sq) {
		q.n = cs->sq[i].n;
		q.pass = cs->sq[i].pass;
		q.rsrp_sum = cs->sq[i].rsrp_sum;
	}
	return q;
}

static double prsrp(const struct square *q) { return q->prsrp_cdb / 100.0; }
static bool has_pred(const struct square *q) { return q->prsrp_cdb != PRED_NONE; }

static bool pred_passes(const struct sd_cov_site *cs, const struct square *q)
{
	return passes(cs, prsrp(q), q->psinr_cdb / 100.0);
}

static bool square_fails_in(const struct sd_cov_site *cs, const struct square *q)
{
	if (q->n)
		return 2 * q->pass < q->n;
	return has_pred(q) && !pred_passes(cs, q);
}

/* ---- prediction ---- */

void sd_cov_env_from_site(struct sd_cov_env *e, const struct sd_site *s)
{
	e->outdoor = s->env == SD_ENV_YARD;
	e->clutter_r = s->clutter_pct / 100.0;
	e->clutter_height_m = s->clutter_height_m;
	e->clutter_size_m = s->clutter_size_m;
}

void sd_cov_tx_from_cell(struct sd_cov_tx *t, const struct sd_cell *c)
{
	memset(t, 0, sizeof *t);
	sd_strlcpy(t->id, c->id, sizeof t->id);
	t->x_m = c->x_m;
	t->y_m = c->y_m;
	/* a hand-built cell (tests, a plugin) has no radio keys at all (the
	 * configuration's antenna height is at least 1 m): the defaults */
	t->antenna_height_m = c->antenna_height_m > 0 ? c->antenna_height_m : 6;
	t->tx_power_dbm = c->antenna_height_m > 0 ? c->tx_power_dbm : 30;
	t->carrier_ghz = c->carrier_ghz > 0 ? c->carrier_ghz : 3.5;
	t->bandwidth_mhz = sd_nr_rbs_30khz(c->bandwidth_mhz) ? c->bandwidth_mhz : 100;
}

int sd_cov_tx_model(const struct sd_cov_env *e, const struct sd_cov_tx *t)
{
	return (int)sd_pl_choose(e->outdoor, e->clutter_r, e->clutter_height_m,
				 t->antenna_height_m);
}

static void tx_link(const struct sd_cov_env *e, const struct sd_cov_tx *t, struct sd_pl_link *l)
{
	l->model = (enum sd_pl_model)sd_cov_tx_model(e, t);
	l->fc_ghz = t->carrier_ghz;
	l->hbs_m = t->antenna_height_m;
	l->hut_m = SD_PL_UE_HEIGHT_M;
	l->r = e->clutter_r;
	l->hc_m = e->clutter_height_m;
	l->d_clutter_m = e->clutter_size_m > 0 ? e->clutter_size_m
			 : e->clutter_r >= SD_PL_DENSE_CLUTTER ? 2.0 : 10.0;
}

double sd_cov_tx_rsrp_at(const struct sd_cov_env *e, const struct sd_cov_tx *t, double d2d_m)
{
	struct sd_pl_link l;
	tx_link(e, t, &l);
	return sd_pl_re_power_dbm(t->tx_power_dbm, sd_nr_rbs_30khz(t->bandwidth_mhz)) -
	       sd_pl_mean(&l, d2d_m, NULL);
}

bool sd_cov_site_predicted(const struct sd_cov_site *cs) { return cs->predicted; }

/* RSRP by distance at 1 m steps (linear in between), in dBm and in mW:
 * the path-loss formulas run once per metre per distinct cell
 * configuration instead of once per square and cell, and a square needs
 * no pow() per cell. Cells of a site usually share one configuration, so
 * they share one table; each adds its own calibration offset. */
struct pl_table {
	const struct sd_cov_tx *cfg;   /* the first cell with this configuration */
	double *dbm, *mw;              /* [0..nd] */
	int nd;
};

struct tx_use {
	const struct sd_cov_tx *t;
	const struct pl_table *tab;
	double off_db, off_lin;        /* calibration, in dB and as a factor */
};

static bool same_radio(const struct sd_cov_tx *a, const struct sd_cov_tx *b)
{
	return a->antenna_height_m == b->antenna_height_m && a->tx_power_dbm == b->tx_power_dbm &&
	       a->carrier_ghz == b->carrier_ghz && a->bandwidth_mhz == b->bandwidth_mhz;
}

static void table_at(const struct tx_use *u, double d, double *dbm, double *mw)
{
	const struct pl_table *t = u->tab;
	int i = (int)d;
	double f;
	if (i >= t->nd) {
		*dbm = t->dbm[t->nd] + u->off_db;
		*mw = t->mw[t->nd] * u->off_lin;
		return;
	}
	f = d - i;
	*dbm = t->dbm[i] + f * (t->dbm[i + 1] - t->dbm[i]) + u->off_db;
	*mw = (t->mw[i] + f * (t->mw[i + 1] - t->mw[i])) * u->off_lin;
}

long sd_cov_site_predict(struct sd_cov_site *cs, const struct sd_cov_env *e,
			 const struct sd_cov_tx *tx, int n, int64_t now_ms)
{
	size_t total = (size_t)cs->rows * cs->cols, i;
	struct pl_table *tabs;
	struct tx_use *use;
	double *mw, noise_mw = pow(10.0, sd_pl_noise_re_dbm() / 10.0);
	int nup = 0, ntab = 0, k, j, dmax;
	long work = 0;

	cs->models = 0;
	if (n <= 0) {
		for (i = 0; i < total; i++)
			cs->pq[i].prsrp_cdb = cs->pq[i].psinr_cdb = PRED_NONE;
		cs->predicted = false;
		return 0;
	}
	dmax = (int)ceil(hypot(cs->width, cs->height)) + 2;
	tabs = sd_calloc((size_t)n, sizeof *tabs);
	use = sd_calloc((size_t)n, sizeof *use);
	mw = sd_calloc((size_t)n, sizeof *mw);
	for (k = 0; k < n; k++) {
		struct pl_table *t = NULL;
		if (tx[k].down)
			continue;
		for (j = 0; j < ntab && !t; j++)
			if (same_radio(tabs[j].cfg, &tx[k]))
				t = &tabs[j];
		if (!t) {
			t = &tabs[ntab++];
			t->cfg = &tx[k];
			t->nd = dmax;
			t->dbm = sd_malloc(((size_t)dmax + 1) * sizeof *t->dbm);
			t->mw = sd_malloc(((size_t)dmax + 1) * sizeof *t->mw);
			for (j = 0; j <= dmax; j++) {
				t->dbm[j] = sd_cov_tx_rsrp_at(e, &tx[k], j);
				t->mw[j] = pow(10.0, t->dbm[j] / 10.0);
			}
			work += dmax;
		}
		use[nup].t = &tx[k];
		use[nup].tab = t;
		use[nup].off_db = tx[k].offset_db;
		use[nup].off_lin = pow(10.0, tx[k].offset_db / 10.0);
		nup++;
		cs->models |= 1u << sd_cov_tx_model(e, &tx[k]);
	}
	for (int r = 0; r < cs->rows; r++) {
		double y = (r + 0.5) * cs->grid;
		for (int c = 0; c < cs->cols; c++) {
			double x = (c + 0.5) * cs->grid, best = -INFINITY, interf = 0;
			int b = -1;
			struct psq *q = &cs->pq[(size_t)r * cs->cols + c];
			for (k = 0; k < nup; k++) {
				double v;
				table_at(&use[k], hypot(x - use[k].t->x_m, y - use[k].t->y_m), &v, &mw[k]);
				if (v > best) {
					best = v;
					b = k;
				}
			}
			work += nup;
			if (b < 0) {   /* nothing on the air */
				q->prsrp_cdb = (int16_t)(SD_COV_RSRP_MIN * 100);
				q->psinr_cdb = (int16_t)(SD_COV_SINR_MIN * 100);
				continue;
			}
			for (k = 0; k < nup; k++)
				if (k != b && use[k].t->carrier_ghz == use[b].t->carrier_ghz)
					interf += SD_COV_NEIGHBOUR_LOAD * mw[k];
			q->prsrp_cdb = (int16_t)lround(100 * fmax(fmin(best, SD_COV_RSRP_MAX),
								  SD_COV_RSRP_MIN));
			q->psinr_cdb = (int16_t)lround(100 * fmax(fmin(10.0 * log10(mw[b] /
								  (interf + noise_mw)), SD_COV_SINR_MAX),
								  SD_COV_SINR_MIN));
		}
	}
	for (k = 0; k < ntab; k++) {
		sd_free(tabs[k].dbm);
		sd_free(tabs[k].mw);
	}
	sd_free(tabs);
	sd_free(use);
	sd_free(mw);
	cs->predicted = true;
	cs->pred_at_ms = now_ms;
	return work;
}

static int cmp_cell(const void *a, const void *b)
{
	const struct sd_cov_cell *x = a, *y = b;
	if (x->share_pct != y->share_pct)
		return x->share_pct < y->share_pct ? -1 : 1;
	return strcmp(x->id, y->id);
}

int sd_cov_site_weak_cells(const struct sd_cov_site *cs, struct sd_cov_cell *out, int max)
{
	int n = 0;
	struct sd_cov_cell *all = sd_calloc((size_t)cs->ncells + 1, sizeof *all);
	for (int i = 0; i < cs->ncells; i++) {
		const struct cellacc *ca = &cs->cells[i];
		double share = 100.0 * ca->pass / ca->n;
		if (!(share < cs->conf.target_pct))
			continue;
		struct sd_cov_cell *o = &all[n++];
		sd_strlcpy(o->id, ca->id, sizeof o->id);
		o->samples = ca->n;
		o->passing = ca->pass;
		o->share_pct = share;
		o->rsrp_mean = ca->rsrp_sum / ca->n;
		o->sinr_mean = ca->sinr_sum / ca->n;
	}
	qsort(all, (size_t)n, sizeof *all, cmp_cell);
	if (n > max)
		n = max < 0 ? 0 : max;
	if (n)
		memcpy(out, all, (size_t)n * sizeof *out);
	sd_free(all);
	return n;
}

static int cmp_hole(const void *a, const void *b)
{
	const struct sd_cov_hole *x = a, *y = b;
	if (x->squares != y->squares)
		return x->squares > y->squares ? -1 : 1;
	if (x->samples != y->samples)
		return x->samples > y->samples ? -1 : 1;
	return x->cy_m != y->cy_m ? (x->cy_m < y->cy_m ? -1 : 1)
				  : (x->cx_m < y->cx_m ? -1 : x->cx_m > y->cx_m);
}

/* Connected components of failing squares (iterative flood fill with an
 * explicit stack, so a site-wide hole cannot overflow the C stack). */
static int find_holes(const struct sd_cov_site *cs, struct sd_cov_hole **holes)
{
	size_t total = (size_t)cs->rows * cs->cols;
	uint8_t *seen = sd_calloc(total, 1);
	int32_t *stack = sd_malloc(total * sizeof *stack);
	struct sd_cov_hole *h = NULL;
	int nh = 0, caph = 0;
	for (size_t start = 0; start < total; start++) {
		struct square sv = sq_at(cs, start);
		if (seen[start] || !square_fails_in(cs, &sv))
			continue;
		struct sd_cov_hole cur = { 0 };
		double sx = 0, sy = 0, rsum = 0, psum = 0;
		int minr = cs->rows, maxr = -1, minc = cs->cols, maxc = -1;
		size_t sp = 0;
		stack[sp++] = (int32_t)start;
		seen[start] = 1;
		while (sp) {
			int32_t at = stack[--sp];
			int r = at / cs->cols, c = at % cs->cols;
			struct square qv = sq_at(cs, (size_t)at);
			const struct square *q = &qv;
			cur.squares++;
			cur.samples += q->n;
			rsum += q->rsrp_sum;
			if (!q->n) {
				cur.predicted++;
				psum += prsrp(q);
			}
			sx += (c + 0.5) * cs->grid;
			sy += (r + 0.5) * cs->grid;
			if (r < minr) minr = r;
			if (r > maxr) maxr = r;
			if (c < minc) minc = c;
			if (c > maxc) maxc = c;
			const int dr[4] = { 1, -1, 0, 0 }, dc[4] = { 0, 0, 1, -1 };
			for (int k = 0; k < 4; k++) {
				int rr = r + dr[k], cc = c + dc[k];
				if (rr < 0 || cc < 0 || rr >= cs->rows || cc >= cs->cols)
					continue;
				int32_t nb = rr * cs->cols + cc;
				struct square nv = sq_at(cs, (size_t)nb);
				if (!seen[nb] && square_fails_in(cs, &nv)) {
					seen[nb] = 1;
					stack[sp++] = nb;
				}
			}
		}
		if (cur.squares < (cs->conf.min_hole_squares > 0 ? cs->conf.min_hole_squares : 1))
			continue;
		cur.cx_m = sx / cur.squares;
		cur.cy_m = sy / cur.squares;
		cur.x0_m = minc * cs->grid;
		cur.y0_m = minr * cs->grid;
		cur.x1_m = fmin((maxc + 1) * cs->grid, cs->width);
		cur.y1_m = fmin((maxr + 1) * cs->grid, cs->height);
		/* measured samples when there are any, else the prediction */
		cur.rsrp_mean = cur.samples ? rsum / cur.samples
				: cur.predicted ? psum / cur.predicted : NAN;
		if (nh == caph) {
			caph = caph ? caph * 2 : 8;
			h = sd_reallocarray(h, (size_t)caph, sizeof *h);
		}
		h[nh++] = cur;
	}
	sd_free(seen);
	sd_free(stack);
	if (nh)
		qsort(h, (size_t)nh, sizeof *h, cmp_hole);
	*holes = h;
	return nh;
}

int sd_cov_site_holes(const struct sd_cov_site *cs, struct sd_cov_hole *out, int max)
{
	struct sd_cov_hole *h;
	int n = find_holes(cs, &h);
	if (n > max)
		n = max < 0 ? 0 : max;
	if (n)
		memcpy(out, h, (size_t)n * sizeof *out);
	sd_free(h);
	return n;
}

void sd_cov_site_report(const struct sd_cov_site *cs, struct sd_cov_report *r)
{
	memset(r, 0, sizeof *r);
	r->samples = cs->samples;
	r->passing = cs->passing;
	r->refused = cs->refused;
	r->share_pct = cs->samples ? 100.0 * cs->passing / cs->samples : NAN;
	r->cell_reports = cs->cell_reports;
	r->squares = (uint32_t)(cs->rows * cs->cols);
	for (size_t i = 0; i < (size_t)cs->rows * cs->cols; i++) {
		struct square qv = sq_at(cs, i);
		const struct square *q = &qv;
		if (q->n) {
			r->squares_with_data++;
			r->squares_passing += !square_fails_in(cs, q);
		} else if (has_pred(q)) {
			r->squares_predicted++;
			r->squares_predicted_passing += pred_passes(cs, q);
		}
	}
	r->measured_area_pct = r->squares_with_data
			       ? 100.0 * r->squares_passing / r->squares_with_data : NAN;
	r->predicted_area_pct = r->squares_predicted
				? 100.0 * r->squares_predicted_passing / r->squares_predicted : NAN;
	{
		uint32_t known = r->squares_with_data + r->squares_predicted;
		r->area_share_pct = known ? 100.0 * (r->squares_passing +
						     r->squares_predicted_passing) / known : NAN;
	}
	/* the worse of the two views decides */
	r->judged_pct = isnan(r->share_pct) ? r->area_share_pct
			: isnan(r->area_share_pct) ? r->share_pct
			: fmin(r->share_pct, r->area_share_pct);
	r->below_target = !isnan(r->judged_pct) && r->judged_pct < cs->conf.target_pct;
	for (int i = 0; i < cs->ncells; i++)
		if (100.0 * cs->cells[i].pass / cs->cells[i].n < cs->conf.target_pct)
			r->nweak++;
	struct sd_cov_hole *h;
	r->nholes = find_holes(cs, &h);
	sd_free(h);
}

static json_t *num_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

json_t *sd_cov_site_to_json(const struct sd_cov_site *cs, int rows, int cols, int max_items)
{
	struct sd_cov_report r;
	sd_cov_site_report(cs, &r);
	json_t *o = json_object();
	json_object_set_new(o, "site", json_string(cs->id));
	json_object_set_new(o, "samples", json_integer(r.samples));
	json_object_set_new(o, "passing", json_integer(r.passing));
	json_object_set_new(o, "share_pct", num_or_null(r.share_pct));
	json_object_set_new(o, "area_share_pct", num_or_null(r.area_share_pct));
	json_object_set_new(o, "target_pct", json_real(cs->conf.target_pct));
	json_object_set_new(o, "rsrp_min_dbm", json_real(cs->conf.rsrp_min_dbm));
	json_object_set_new(o, "sinr_min_db", json_real(cs->conf.sinr_min_db));
	json_object_set_new(o, "grid_m", json_real(cs->grid));
	json_object_set_new(o, "below_target", json_boolean(r.below_target));
	json_object_set_new(o, "judged_pct", num_or_null(r.judged_pct));
	json_object_set_new(o, "cell_reports", json_integer(r.cell_reports));
	json_object_set_new(o, "measured", json_pack("{s:i, s:i, s:o}",
		"squares", (int)r.squares_with_data, "passing", (int)r.squares_passing,
		"area_share_pct", num_or_null(r.measured_area_pct)));
	{
		json_t *pm = json_array(), *pr;
		char at[40];
		for (int k = 0; k < SD_PL_COUNT; k++)
			if (cs->models & (1u << k))
				json_array_append_new(pm, json_string(sd_pl_model_name((enum sd_pl_model)k)));
		if (cs->predicted)
			sd_fmt_time(cs->pred_at_ms, at, sizeof at);
		pr = json_pack("{s:i, s:i, s:o, s:o, s:o}", "squares", (int)r.squares_predicted,
			       "passing", (int)r.squares_predicted_passing,
			       "area_share_pct", num_or_null(r.predicted_area_pct),
			       "at", cs->predicted ? json_string(at) : json_null(), "models", pm);
		json_object_set_new(o, "predicted", pr);
	}
	if (max_items < 0)
		max_items = 0;
	struct sd_cov_cell *cells = sd_calloc((size_t)max_items + 1, sizeof *cells);
	int n = sd_cov_site_weak_cells(cs, cells, max_items);
	json_t *a = json_array();
	for (int i = 0; i < n; i++) {
		json_t *c = json_object();
		json_object_set_new(c, "cell", json_string(cells[i].id));
		json_object_set_new(c, "samples", json_integer(cells[i].samples));
		json_object_set_new(c, "share_pct", json_real(cells[i].share_pct));
		json_object_set_new(c, "rsrp_mean", json_real(cells[i].rsrp_mean));
		json_object_set_new(c, "sinr_mean", json_real(cells[i].sinr_mean));
		json_array_append_new(a, c);
	}
	json_object_set_new(o, "weak_cells", a);
	sd_free(cells);
	struct sd_cov_hole *holes = sd_calloc((size_t)max_items + 1, sizeof *holes);
	n = sd_cov_site_holes(cs, holes, max_items);
	a = json_array();
	for (int i = 0; i < n; i++) {
		json_t *h = json_object();
		json_object_set_new(h, "squares", json_integer(holes[i].squares));
		json_object_set_new(h, "samples", json_integer(holes[i].samples));
		json_object_set_new(h, "x0_m", json_real(holes[i].x0_m));
		json_object_set_new(h, "y0_m", json_real(holes[i].y0_m));
		json_object_set_new(h, "x1_m", json_real(holes[i].x1_m));
		json_object_set_new(h, "y1_m", json_real(holes[i].y1_m));
		json_object_set_new(h, "rsrp_mean", num_or_null(holes[i].rsrp_mean));
		json_object_set_new(h, "predicted_squares", json_integer(holes[i].predicted));
		json_object_set_new(h, "kind", json_string(!holes[i].predicted ? "measured"
			: holes[i].predicted == holes[i].squares ? "predicted" : "mixed"));
		json_array_append_new(a, h);
	}
	json_object_set_new(o, "holes", a);
	sd_free(holes);
	if (rows > 0 && cols > 0 && rows <= 1000 && cols <= 1000) {
		uint8_t *lv = sd_malloc((size_t)rows * cols);
		char *line = sd_malloc((size_t)cols + 1);
		sd_cov_site_heatmap(cs, rows, cols, lv);
		a = json_array();
		for (int y = 0; y < rows; y++) {
			for (int x = 0; x < cols; x++)
				line[x] = (char)('0' + lv[y * cols + x]);
			line[cols] = '\0';
			json_array_append_new(a, json_string(line));
		}
		json_object_set_new(o, "heatmap", a);
		sd_free(lv);
		sd_free(line);
	}
	return o;
}

void sd_cov_site_heatmap(const struct sd_cov_site *cs, int rows, int cols, uint8_t *levels)
{
	if (rows <= 0 || cols <= 0)
		return;
	for (int orow = 0; orow < rows; orow++) {
		/* output row 0 is the north edge: grid rows from the top */
		int g1 = cs->rows - (int)((int64_t)orow * cs->rows / rows);
		int g0 = cs->rows - (int)((int64_t)(orow + 1) * cs->rows / rows);
		if (g1 <= g0)
			g1 = g0 + 1;
		for (int ocol = 0; ocol < cols; ocol++) {
			int c0 = (int)((int64_t)ocol * cs->cols / cols);
			int c1 = (int)((int64_t)(ocol + 1) * cs->cols / cols);
			if (c1 <= c0)
				c1 = c0 + 1;
			uint64_t n = 0, pass = 0, np = 0, ppass = 0;
			double rs = 0, prs = 0;
			for (int r = g0; r < g1 && r < cs->rows; r++)
				for (int c = c0; c < c1 && c < cs->cols; c++) {
					struct square qv = sq_at(cs, (size_t)r * cs->cols + c);
					const struct square *q = &qv;
					n += q->n;
					pass += q->pass;
					rs += q->rsrp_sum;
					if (!q->n && has_pred(q)) {
						np++;
						ppass += pred_passes(cs, q);
						prs += prsrp(q);
					}
				}
			/* measured squares speak for the block; else the prediction */
			uint8_t lv = 0, base = n ? 0 : 4;
			if (!n && np) {
				n = np;
				pass = ppass;
				rs = prs;
			}
			if (n) {
				double mean = rs / (double)n;
				if (2 * pass < n)
					lv = 1;
				else if (mean >= -85)
					lv = 4;
				else if (mean >= -95)
					lv = 3;
				else
					lv = 2;
				lv += base;
			}
			levels[orow * cols + ocol] = lv;
		}
	}
}

/* ---- persistence (see coverage.h) ---- */

static const struct sd_store_migration cov_migrations[] = {
	{ 1,
	  "CREATE TABLE coverage_sample ("
	  " id INTEGER PRIMARY KEY,"
	  " site TEXT NOT NULL, t_ms INTEGER NOT NULL,"
	  " x_m REAL NOT NULL, y_m REAL NOT NULL, cell TEXT NOT NULL,"
	  " rsrp_dbm REAL NOT NULL, sinr_db REAL NOT NULL,"
	  " UNIQUE(site, t_ms, x_m, y_m, cell));"
	  "CREATE INDEX coverage_sample_site ON coverage_sample(site, id);" },
};

struct sd_cov_store {
	struct sd_store *store;
	long cap;
	struct sd_stmt *ins, *sel, *count, *trim;
};

struct sd_cov_store *sd_cov_store_new(struct sd_store *s, long cap, char *err, size_t errsz)
{
	if (sd_store_migrate(s, "coverage", cov_migrations,
			     (int)SD_ARRAY_LEN(cov_migrations), err, errsz) < 0)
		return NULL;
	struct sd_cov_store *cst = sd_calloc(1, sizeof *cst);
	cst->store = s;
	cst->cap = cap > 0 ? cap : SD_COV_STORE_MAX;
	cst->ins = sd_store_prepare(s,
		"INSERT INTO coverage_sample(site, t_ms, x_m, y_m, cell, rsrp_dbm, sinr_db)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING");
	cst->sel = sd_store_prepare(s,
		"SELECT t_ms, x_m, y_m, cell, rsrp_dbm, sinr_db FROM coverage_sample"
		" WHERE site = ?1 ORDER BY id");
	cst->count = sd_store_prepare(s,
		"SELECT count(*) FROM coverage_sample WHERE site = ?1");
	/* everything of the site at or below the id of the (cap+1)-th newest */
	cst->trim = sd_store_prepare(s,
		"DELETE FROM coverage_sample WHERE site = ?1 AND id <="
		" (SELECT id FROM coverage_sample WHERE site = ?1"
		"  ORDER BY id DESC LIMIT 1 OFFSET ?2)");
	if (!cst->ins || !cst->sel || !cst->count || !cst->trim) {
		snprintf(err, errsz, "coverage: %s", sd_store_errmsg(s));
		free(cst);
		return NULL;
	}
	return cst;
}

/* The statements belong to the store, which finalizes them. */
void sd_cov_store_free(struct sd_cov_store *cst)
{
	free(cst);
}

int sd_cov_store_add(struct sd_cov_store *cst, const char *site,
		     const struct sd_cov_sample *v, size_t n, bool *fresh)
{
	int added = 0;
	if (sd_store_write_begin(cst->store) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		struct sd_stmt *st = cst->ins;
		sd_stmt_bind_text(st, 1, site);
		sd_stmt_bind_int(st, 2, v[i].t_ms);
		sd_stmt_bind_double(st, 3, v[i].x_m);
		sd_stmt_bind_double(st, 4, v[i].y_m);
		sd_stmt_bind_text(st, 5, v[i].cell);
		sd_stmt_bind_double(st, 6, v[i].rsrp_dbm);
		sd_stmt_bind_double(st, 7, v[i].sinr_db);
		if (sd_stmt_run(st) < 0)
			goto undo;
		bool isnew = sd_store_changes(cst->store) > 0;
		added += isnew;
		if (fresh)
			fresh[i] = isnew;
	}
	if (added > 0) {
		sd_stmt_bind_text(cst->trim, 1, site);
		sd_stmt_bind_int(cst->trim, 2, cst->cap);
		if (sd_stmt_run(cst->trim) < 0)
			goto undo;
	}
	if (sd_store_write_end(cst->store, true) < 0)
		goto fail;
	/* the importer is told "accepted": committed before it is */
	if (sd_store_flush(cst->store, NULL, NULL) < 0)
		goto fail;
	return added;
undo:
	sd_store_write_end(cst->store, false);
fail:
	sd_err("coverage: storing %zu samples of site %s: %s", n, site,
		 sd_store_errmsg(cst->store));
	return -1;
}

long sd_cov_store_load(struct sd_cov_store *cst, const char *site,
		       void (*fn)(void *arg, const struct sd_cov_sample *s), void *arg)
{
	struct sd_stmt *st = cst->sel;
	long n = 0;
	int rc;
	sd_stmt_bind_text(st, 1, site);
	while ((rc = sd_stmt_step(st)) == 1) {
		struct sd_cov_sample s = { 0 };
		s.t_ms = sd_stmt_int(st, 0);
		s.x_m = sd_stmt_double(st, 1);
		s.y_m = sd_stmt_double(st, 2);
		sd_strlcpy(s.cell, sd_stmt_text(st, 3), sizeof s.cell);
		s.rsrp_dbm = sd_stmt_double(st, 4);
		s.sinr_db = sd_stmt_double(st, 5);
		fn(arg, &s);
		n++;
	}
	sd_stmt_reset(st);
	if (rc < 0) {
		sd_err("coverage: loading site %s: %s", site, sd_store_errmsg(cst->store));
		return -1;
	}
	return n;
}

long sd_cov_store_count(struct sd_cov_store *cst, const char *site)
{
	struct sd_stmt *st = cst->count;
	long n = -1;
	sd_stmt_bind_text(st, 1, site);
	if (sd_stmt_step(st) == 1)
		n = (long)sd_stmt_int(st, 0);
	sd_stmt_reset(st);
	return n;
}

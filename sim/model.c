/* sim/model.c — see model.h. The numbers are plausible shapes, not
 * measurements: the point is a zone that behaves like one (busy day shift,
 * quiet nights, latency that degrades under load) and never the same twice
 * across seeds. */
#include "sim/model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/qos5qi.h"
#include "core/util.h"
#include "sim/rng.h"

/* Salts keep the hash streams of different quantities apart. */
enum { SALT_UES = 1, SALT_LOAD, SALT_LAT, SALT_SHADOW, SALT_FADE, SALT_BASE, SALT_SESS };

static double clampd(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Shift level at local hour h (0..24): the plateau of the shift. */
static double shift_level(double h)
{
	if (h >= 8.0 && h < 16.0)
		return 1.0;
	if (h >= 16.0)
		return 0.7;
	return 0.35;
}

/* A dip of the given depth centred on c, half-width w hours. */
static double dip(double h, double c, double w, double depth)
{
	double d = fabs(h - c);
	if (d > 12.0)
		d = 24.0 - d;
	if (d >= w)
		return 1.0;
	return 1.0 - depth * (1.0 - d / w);
}

double sd_sim_diurnal(int64_t wall_ms, int utc_offset_min)
{
	int64_t local_ms = wall_ms + (int64_t)utc_offset_min * 60000;
	int64_t day = local_ms >= 0 ? local_ms / 86400000 : (local_ms - 86399999) / 86400000;
	double h = (double)(local_ms - day * 86400000) / 3600000.0;
	int dow = (int)(((day % 7) + 7 + 3) % 7);   /* 1970-01-01 was a Thursday: 0 = Monday */
	double v = shift_level(h);
	v *= dip(h, 8.0, 0.4, 0.4);     /* shift changes */
	v *= dip(h, 16.0, 0.4, 0.4);
	v *= dip(h, 0.0, 0.4, 0.4);
	v *= dip(h, 12.2, 0.5, 0.4);    /* lunch */
	v *= dip(h, 20.2, 0.35, 0.3);   /* evening meal */
	if (dow >= 5)
		v *= 0.5;
	return clampd(v, 0.05, 1.0);
}

/* Defaults by SST when the contract leaves a number out. */
static double default_budget_ms(uint8_t sst)
{
	switch (sst) {
	case 2: return 10.0;   /* URLLC */
	case 3: return 100.0;  /* MIoT */
	default: return 50.0;
	}
}

static double default_dl_mbps(uint8_t sst)
{
	switch (sst) {
	case 2: return 50.0;
	case 3: return 10.0;
	default: return 500.0;
	}
}

static double peak_util(uint8_t sst)
{
	switch (sst) {
	case 2: return 0.40;
	case 3: return 0.30;
	default: return 0.55;
	}
}

/* z such that P(Z <= z) = pct / 100 for a standard normal Z (bisection on
 * erfc; pct clamped to 50..99.99999). */
static double normal_quantile(double pct)
{
	double lo = 0.0, hi = 6.0, p = clampd(pct, 50.0, 99.99999) / 100.0;
	int i;
	for (i = 0; i < 40; i++) {
		double mid = (lo + hi) / 2.0;
		if (0.5 * erfc(-mid / M_SQRT2) < p)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2.0;
}

/* Queue-like growth of the median with utilisation, and the lognormal
 * shape: the tail grows heavier near saturation. */
static double queue_factor(double rho) { return 1.0 + 0.5 * rho / (1.0 - rho); }
static double lat_sigma(double rho) { return 0.15 + 0.5 * rho * rho; }

/* How many of the slice's latency and loss budgets its busiest ordinary
 * hour uses: a network engineered for its contracts keeps the judged
 * percentile at this share of the tightest budget at the slice's peak
 * load (two noise deviations above its day-shift level). More load than
 * that (a UE surge) or a fault is what breaks it. */
#define PEAK_BUDGET_SHARE 0.6

void sd_sim_slice_kpi(const struct sd_model *m, uint64_t seed, int idx, int64_t wall_ms,
		      int utc_offset_min, const struct sd_sim_degrade *dg,
		      struct sd_sim_kpi *k)
{
	const struct sd_slice *s = &m->slices[idx];
	const struct sd_5qi *q = s->sla.fiveqi ? sd_5qi_lookup(s->sla.fiveqi) : NULL;
	uint64_t sid = sd_sim_hash_str(seed, s->id);
	uint64_t bucket = (uint64_t)(wall_ms / SD_SIM_BUCKET_MS);
	double cur = sd_sim_diurnal(wall_ms, utc_offset_min);
	double max_ues = s->sla.max_ues ? (double)s->sla.max_ues : 50.0;
	double cap_dl, cap_ul, rho, fac, lat_fac = 1.0, character, rho_peak, z, scale;
	double loss_budget;

	*k = (struct sd_sim_kpi){0};
	k->budget_ms = s->sla.latency_us ? s->sla.latency_us / 1000.0
					 : default_budget_ms(s->snssai.sst);
	/* the network schedules the slice's flows against its 5QI's packet
	 * delay budget when that is tighter than the contract (a predictive-
	 * maintenance slice sold at "minutes" still rides 5QI 9's 300 ms) */
	k->target_ms = q && q->pdb_ms < k->budget_ms ? q->pdb_ms : k->budget_ms;
	k->active = s->state == SD_SLICE_ACTIVE && !(dg && dg->down);
	k->lat_add_ms = dg ? dg->latency_add_ms : 0.0;
	if (dg && dg->latency_factor > 0)
		lat_fac = dg->latency_factor;

	/* Per-slice character: some slices run hotter than others. */
	character = 0.75 + 0.5 * sd_sim_hash_unit(sd_sim_hash(seed, sid, SALT_BASE, 0));
	rho_peak = clampd(peak_util(s->snssai.sst) * character * exp(0.16), 0.01, 0.97);
	rho = peak_util(s->snssai.sst) * character;
	rho *= cur * exp(0.08 * sd_sim_hash_normal(sd_sim_hash(seed, sid, SALT_LOAD, bucket)));
	if (dg && dg->load_factor > 0)
		rho *= dg->load_factor;
	k->load = k->active ? clampd(rho, 0.01, 0.97) : 0.0;

	fac = (0.15 + 0.8 * cur) *
	      exp(0.05 * sd_sim_hash_normal(sd_sim_hash(seed, sid, SALT_UES, bucket)));
	if (dg && dg->ue_factor > 0)
		fac *= dg->ue_factor;
	k->ues = k->active ? (int)clampd(floor(max_ues * fac + 0.5), 0,
					 max_ues * (dg && dg->ue_factor > 1 ? dg->ue_factor : 1.0)) : 0;
	k->pdu_sessions = k->ues + (k->ues ?
		(int)(sd_sim_hash(seed, sid, SALT_SESS, bucket) % (uint64_t)(k->ues / 5 + 1)) : 0);
	if (dg && dg->extra_sessions > 0 && k->active)
		k->pdu_sessions += dg->extra_sessions;

	/* The median scales so that, at the slice's peak load, the judged
	 * percentile (the contract's, or the 5QI's p98 if higher) sits at
	 * PEAK_BUDGET_SHARE of the tighter budget; it grows like a queue with
	 * load from there. */
	z = normal_quantile(s->sla.latency_pct > 0 ? s->sla.latency_pct : 99.0);
	if (q && z < normal_quantile(SD_5QI_PDB_PCT))
		z = normal_quantile(SD_5QI_PDB_PCT);
	scale = PEAK_BUDGET_SHARE * k->target_ms /
		(queue_factor(rho_peak) * exp(z * lat_sigma(rho_peak)));
	rho = k->active ? k->load : 0.01;
	k->lat_median_ms = scale * queue_factor(rho) * lat_fac;
	k->lat_sigma = lat_sigma(rho);
	k->lat_p99_ms = k->lat_median_ms * exp(2.3263 * k->lat_sigma) + k->lat_add_ms;
	k->lat_p999_ms = k->lat_median_ms * exp(3.0902 * k->lat_sigma) + k->lat_add_ms;

	cap_dl = s->sla.mbr_dl_kbps ? s->sla.mbr_dl_kbps / 1000.0 : default_dl_mbps(s->snssai.sst);
	cap_ul = s->sla.mbr_ul_kbps ? s->sla.mbr_ul_kbps / 1000.0 :
		 (s->snssai.sst == 1 ? cap_dl / 4.0 : cap_dl);
	k->dl_mbps = k->active ? cap_dl * k->load : 0.0;
	k->ul_mbps = k->active ? cap_ul * k->load * 0.9 : 0.0;
	/* loss: a small share of the tighter of the contract's reliability
	 * and the 5QI's packet error rate, growing steeply past the peak */
	loss_budget = 0.1;
	if (s->sla.reliability_pct > 0 && s->sla.reliability_pct < 100)
		loss_budget = 100.0 - s->sla.reliability_pct;
	if (q && q->per * 100.0 < loss_budget)
		loss_budget = q->per * 100.0;
	k->loss_pct = k->active ? clampd(loss_budget * (0.02 + 0.4 * pow(k->load / rho_peak, 4.0)) +
					 (dg ? dg->loss_add_pct : 0.0), 0.0, 100.0) : 0.0;
}

double sd_sim_latency_sample(const struct sd_sim_kpi *k, uint64_t seed, uint64_t n)
{
	double z = sd_sim_hash_normal(sd_sim_hash(seed, SALT_LAT, n,
				      (uint64_t)(k->lat_median_ms * 1000.0)));
	return k->lat_median_ms * exp(k->lat_sigma * z) + k->lat_add_ms;
}

/* The cells of site `site`, through the model's per-site index. The
 * simulator's model comes from the configuration loader, which does not
 * index it; the first helper that needs the index builds it (only the
 * lookup tables, nothing the model holds changes), so these helpers cost
 * the cells of a slice's sites instead of every cell of the zone. */
static int site_cells(const struct sd_model *m, int site, const int **idx)
{
	if (!m->ix)
		sd_model_reindex((struct sd_model *)m);
	return sd_model_site_cells(m, site, idx);
}

bool sd_sim_slice_in_tac(const struct sd_model *m, int idx, uint32_t tac)
{
	const struct sd_slice *s = &m->slices[idx];
	int i, c;
	for (i = 0; i < s->nsites; i++) {
		const int *cells;
		int n = site_cells(m, s->sites[i], &cells);
		for (c = 0; c < n; c++)
			if (m->cells[cells[c]].tac == tac)
				return true;
	}
	return false;
}

int sd_sim_tacs(const struct sd_model *m, uint32_t *tacs, int max)
{
	int n = 0, c;
	/* the max smallest distinct TACs, kept sorted: binary search, then
	 * insert (dropping the largest when full) */
	for (c = 0; c < m->ncells; c++) {
		uint32_t t = m->cells[c].tac;
		int lo = 0, hi = n;
		while (lo < hi) {
			int mid = (lo + hi) / 2;
			if (tacs[mid] < t)
				lo = mid + 1;
			else
				hi = mid;
		}
		if ((lo < n && tacs[lo] == t) || lo >= max)
			continue;
		if (n < max)
			n++;
		memmove(&tacs[lo + 1], &tacs[lo], (size_t)(n - 1 - lo) * sizeof *tacs);
		tacs[lo] = t;
	}
	return n;
}

/* The slice's UEs in one TAC: spread over the TACs of the cells of its
 * sites, weighted by how many of those cells each TAC has; the rounding
 * remainder goes to the lowest TACs, one each. */
int sd_sim_slice_ues_in_tac(const struct sd_model *m, int idx, uint32_t tac, int total)
{
	const struct sd_slice *s = &m->slices[idx];
	uint32_t stack_t[64], *tv = stack_t;
	int stack_w[64], *wv = stack_w;
	int i, k, n = 0, cap = 64, sum = 0, share, rem, mine = -1;

	for (i = 0; i < s->nsites; i++) {
		const int *cells;
		int nc = site_cells(m, s->sites[i], &cells), c;
		for (c = 0; c < nc; c++) {
			uint32_t t = m->cells[cells[c]].tac;
			for (k = 0; k < n && tv[k] != t; k++)
				;
			if (k == n) {
				if (n == cap) {
					cap *= 2;
					if (tv == stack_t) {
						tv = sd_reallocarray(NULL, (size_t)cap, sizeof *tv);
						wv = sd_reallocarray(NULL, (size_t)cap, sizeof *wv);
						memcpy(tv, stack_t, sizeof stack_t);
						memcpy(wv, stack_w, sizeof stack_w);
					} else {
						tv = sd_reallocarray(tv, (size_t)cap, sizeof *tv);
						wv = sd_reallocarray(wv, (size_t)cap, sizeof *wv);
					}
				}
				tv[n] = t;
				wv[n++] = 0;
			}
			wv[k]++;
			sum++;
		}
	}
	for (k = 0; k < n; k++)
		if (tv[k] == tac)
			mine = k;
	share = 0;
	if (mine >= 0 && sum > 0) {
		share = (int)((int64_t)total * wv[mine] / sum);
		rem = total;
		for (k = 0; k < n; k++)
			rem -= (int)((int64_t)total * wv[k] / sum);
		/* the remainder: one each to the TACs below this one first */
		for (k = 0; k < n && rem > 0; k++)
			if (tv[k] < tac)
				rem--;
		share += rem > 0 ? 1 : 0;
	}
	if (tv != stack_t) {
		free(tv);
		free(wv);
	}
	return share;
}

/* Received reference-signal power (dBm) from one cell at floor distance
 * d metres: its configured power per resource element (30 kHz
 * subcarriers) minus the simulator's own log-distance loss, free space at
 * 1 m and an exponent of 2.5 beyond. It is deliberately not the TR 38.901
 * model the engine predicts with: the engine has to calibrate. */
static double path_rsrp(const struct sd_cell *cl, double d)
{
	double p = cl->tx_power_dbm, f = cl->carrier_ghz > 0 ? cl->carrier_ghz : 3.5;
	double h = cl->antenna_height_m > 0 ? cl->antenna_height_m - 1.5 : 4.5;
	int nrb = sd_nr_rbs_30khz(cl->bandwidth_mhz);
	if (!nrb)
		nrb = 273;
	if (cl->antenna_height_m <= 0)
		p = 30;     /* a cell built without radio keys (tests) */
	d = hypot(d, h);
	if (d < 1.0)
		d = 1.0;
	return p - 10.0 * log10(12.0 * nrb) - (32.4 + 20.0 * log10(f) + 25.0 * log10(d));
}

int sd_sim_radio_at(const struct sd_model *m, uint64_t seed, int site, double x, double y,
		    int64_t wall_ms, int utc_offset_min, double *rsrp_dbm, double *sinr_db)
{
	return sd_sim_radio_at_ex(m, seed, site, x, y, wall_ms, utc_offset_min, NULL, rsrp_dbm,
				  sinr_db);
}

int sd_sim_radio_at_ex(const struct sd_model *m, uint64_t seed, int site, double x, double y,
		       int64_t wall_ms, int utc_offset_min, const uint8_t *down,
		       double *rsrp_dbm, double *sinr_db)
{
	double load = sd_sim_diurnal(wall_ms, utc_offset_min);
	uint64_t gx = (uint64_t)(int64_t)floor(x / 10.0), gy = (uint64_t)(int64_t)floor(y / 10.0);
	uint64_t minute = (uint64_t)(wall_ms / 60000);
	double best = -1e9, total_mw = 0.0, noise_mw = pow(10.0, -105.0 / 10.0);
	int c, best_cell = -1, k;
	const int *cells;
	int nc = site_cells(m, site, &cells);

	for (k = 0; k < nc; k++) {
		const struct sd_cell *cl = &m->cells[cells[k]];
		double d, p, mw;
		c = cells[k];
		if (down && down[c])
			continue;
		d = hypot(cl->x_m - x, cl->y_m - y);
		p = path_rsrp(cl, d) +
		    6.0 * sd_sim_hash_normal(sd_sim_hash(seed, SALT_SHADOW, (uint64_t)c, gx * 65537 + gy)) +
		    1.5 * sd_sim_hash_normal(sd_sim_hash(seed, SALT_FADE, (uint64_t)c, minute));
		mw = pow(10.0, p / 10.0);
		if (p > best) {
			if (best_cell >= 0)
				total_mw += pow(10.0, best / 10.0) * (0.2 + 0.8 * load);
			best = p;
			best_cell = c;
		} else {
			total_mw += mw * (0.2 + 0.8 * load);
		}
	}
	if (best_cell < 0) {
		*rsrp_dbm = -140.0;
		*sinr_db = -20.0;
		return -1;
	}
	*rsrp_dbm = clampd(best, -140.0, -44.0);
	*sinr_db = clampd(10.0 * log10(pow(10.0, best / 10.0) / (total_mw + noise_mw)), -20.0, 40.0);
	return best_cell;
}

void sd_sim_cell_radio(const struct sd_model *m, uint64_t seed, int cell, int64_t wall_ms,
		       int utc_offset_min, double *rsrp_dbm, double *sinr_db)
{
	sd_sim_cell_radio_ex(m, seed, cell, wall_ms, utc_offset_min, NULL, rsrp_dbm, sinr_db);
}

void sd_sim_cell_radio_ex(const struct sd_model *m, uint64_t seed, int cell, int64_t wall_ms,
			  int utc_offset_min, const uint8_t *down, double *rsrp_dbm,
			  double *sinr_db)
{
	const struct sd_cell *cl = &m->cells[cell];
	double rs = 0.0, si = 0.0;
	int i;
	/* Eight points on a 40 m ring around the cell: where its UEs work. */
	for (i = 0; i < 8; i++) {
		double a = i * M_PI / 4.0, r, s;
		sd_sim_radio_at_ex(m, seed, cl->site, cl->x_m + 40.0 * cos(a),
				   cl->y_m + 40.0 * sin(a), wall_ms, utc_offset_min, down, &r, &s);
		rs += r;
		si += s;
	}
	*rsrp_dbm = rs / 8.0;
	*sinr_db = si / 8.0;
}

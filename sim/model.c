/* sim/model.c — see model.h. The numbers are plausible shapes, not
 * measurements: the point is a zone that behaves like one (busy day shift,
 * quiet nights, latency that degrades under load) and never the same twice
 * across seeds. */
#include "sim/model.h"

#include <math.h>

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

void sd_sim_slice_kpi(const struct sd_model *m, uint64_t seed, int idx, int64_t wall_ms,
		      int utc_offset_min, const struct sd_sim_degrade *dg,
		      struct sd_sim_kpi *k)
{
	const struct sd_slice *s = &m->slices[idx];
	uint64_t sid = sd_sim_hash_str(seed, s->id);
	uint64_t bucket = (uint64_t)(wall_ms / SD_SIM_BUCKET_MS);
	double cur = sd_sim_diurnal(wall_ms, utc_offset_min);
	double max_ues = s->sla.max_ues ? (double)s->sla.max_ues : 50.0;
	double cap_dl, cap_ul, rho, fac, lat_fac = 1.0;

	*k = (struct sd_sim_kpi){0};
	k->budget_ms = s->sla.latency_us ? s->sla.latency_us / 1000.0
					 : default_budget_ms(s->snssai.sst);
	k->active = s->state == SD_SLICE_ACTIVE && !(dg && dg->down);
	k->lat_add_ms = dg ? dg->latency_add_ms : 0.0;
	if (dg && dg->latency_factor > 0)
		lat_fac = dg->latency_factor;

	/* Per-slice character: some slices run hotter than others. */
	rho = peak_util(s->snssai.sst) *
	      (0.75 + 0.5 * sd_sim_hash_unit(sd_sim_hash(seed, sid, SALT_BASE, 0)));
	rho *= cur * exp(0.08 * sd_sim_hash_normal(sd_sim_hash(seed, sid, SALT_LOAD, bucket)));
	k->load = k->active ? clampd(rho, 0.01, 0.97) : 0.0;

	fac = (0.15 + 0.8 * cur) *
	      exp(0.05 * sd_sim_hash_normal(sd_sim_hash(seed, sid, SALT_UES, bucket)));
	k->ues = k->active ? (int)clampd(floor(max_ues * fac + 0.5), 0, max_ues) : 0;
	k->pdu_sessions = k->ues + (k->ues ?
		(int)(sd_sim_hash(seed, sid, SALT_SESS, bucket) % (uint64_t)(k->ues / 5 + 1)) : 0);

	/* Queue-like growth of the median, heavier tail near saturation. */
	rho = k->active ? k->load : 0.01;
	k->lat_median_ms = 0.2 * k->budget_ms * (1.0 + 0.5 * rho / (1.0 - rho)) * lat_fac;
	k->lat_sigma = 0.15 + 0.5 * rho * rho;
	k->lat_p99_ms = k->lat_median_ms * exp(2.3263 * k->lat_sigma) + k->lat_add_ms;
	k->lat_p999_ms = k->lat_median_ms * exp(3.0902 * k->lat_sigma) + k->lat_add_ms;

	cap_dl = s->sla.mbr_dl_kbps ? s->sla.mbr_dl_kbps / 1000.0 : default_dl_mbps(s->snssai.sst);
	cap_ul = s->sla.mbr_ul_kbps ? s->sla.mbr_ul_kbps / 1000.0 :
		 (s->snssai.sst == 1 ? cap_dl / 4.0 : cap_dl);
	k->dl_mbps = k->active ? cap_dl * k->load : 0.0;
	k->ul_mbps = k->active ? cap_ul * k->load * 0.9 : 0.0;
	k->loss_pct = k->active ? 0.001 + 0.5 * pow(k->load, 4.0) : 0.0;
}

double sd_sim_latency_sample(const struct sd_sim_kpi *k, uint64_t seed, uint64_t n)
{
	double z = sd_sim_hash_normal(sd_sim_hash(seed, SALT_LAT, n,
				      (uint64_t)(k->lat_median_ms * 1000.0)));
	return k->lat_median_ms * exp(k->lat_sigma * z) + k->lat_add_ms;
}

bool sd_sim_slice_in_tac(const struct sd_model *m, int idx, uint32_t tac)
{
	const struct sd_slice *s = &m->slices[idx];
	int i, c;
	for (i = 0; i < s->nsites; i++)
		for (c = 0; c < m->ncells; c++)
			if (m->cells[c].site == s->sites[i] && m->cells[c].tac == tac)
				return true;
	return false;
}

int sd_sim_tacs(const struct sd_model *m, uint32_t *tacs, int max)
{
	int n = 0, c, i, j;
	for (c = 0; c < m->ncells; c++) {
		uint32_t t = m->cells[c].tac;
		for (i = 0; i < n && tacs[i] != t; i++)
			;
		if (i < n || n >= max)
			continue;
		/* insert sorted */
		for (j = n; j > 0 && tacs[j - 1] > t; j--)
			tacs[j] = tacs[j - 1];
		tacs[j] = t;
		n++;
	}
	return n;
}

int sd_sim_slice_ues_in_tac(const struct sd_model *m, int idx, uint32_t tac, int total)
{
	const struct sd_slice *s = &m->slices[idx];
	uint32_t tacs[256];
	int ntacs = sd_sim_tacs(m, tacs, 256);
	int weight[256] = {0};
	int i, c, sum = 0, share, rem, mine = -1;

	for (i = 0; i < ntacs; i++) {
		for (c = 0; c < m->ncells; c++) {
			int k;
			if (m->cells[c].tac != tacs[i])
				continue;
			for (k = 0; k < s->nsites; k++)
				if (m->cells[c].site == s->sites[k])
					weight[i]++;
		}
		sum += weight[i];
		if (tacs[i] == tac)
			mine = i;
	}
	if (mine < 0 || sum == 0 || weight[mine] == 0)
		return 0;
	share = (int)((int64_t)total * weight[mine] / sum);
	/* Hand the rounding remainder to the first TACs, one each. */
	rem = total;
	for (i = 0; i < ntacs; i++)
		rem -= (int)((int64_t)total * weight[i] / sum);
	for (i = 0; i < mine && rem > 0; i++)
		if (weight[i])
			rem--;
	return share + (rem > 0 ? 1 : 0);
}

/* Received power (dBm) from one cell at distance d metres. */
static double path_rsrp(double d)
{
	if (d < 5.0)
		d = 5.0;
	return -60.0 - 35.0 * log10(d / 5.0);
}

int sd_sim_radio_at(const struct sd_model *m, uint64_t seed, int site, double x, double y,
		    int64_t wall_ms, int utc_offset_min, double *rsrp_dbm, double *sinr_db)
{
	double load = sd_sim_diurnal(wall_ms, utc_offset_min);
	uint64_t gx = (uint64_t)(int64_t)floor(x / 10.0), gy = (uint64_t)(int64_t)floor(y / 10.0);
	uint64_t minute = (uint64_t)(wall_ms / 60000);
	double best = -1e9, total_mw = 0.0, noise_mw = pow(10.0, -105.0 / 10.0);
	int c, best_cell = -1;

	for (c = 0; c < m->ncells; c++) {
		const struct sd_cell *cl = &m->cells[c];
		double d, p, mw;
		if (cl->site != site)
			continue;
		d = hypot(cl->x_m - x, cl->y_m - y);
		p = path_rsrp(d) +
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
	const struct sd_cell *cl = &m->cells[cell];
	double rs = 0.0, si = 0.0;
	int i;
	/* Eight points on a 40 m ring around the cell: where its UEs work. */
	for (i = 0; i < 8; i++) {
		double a = i * M_PI / 4.0, r, s;
		sd_sim_radio_at(m, seed, cl->site, cl->x_m + 40.0 * cos(a), cl->y_m + 40.0 * sin(a),
				wall_ms, utc_offset_min, &r, &s);
		rs += r;
		si += s;
	}
	*rsrp_dbm = rs / 8.0;
	*sinr_db = si / 8.0;
}

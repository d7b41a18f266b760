/* monitor/pathloss.c — see pathloss.h (the formulas and their clauses). */
#include "monitor/pathloss.h"

#include <math.h>
#include <stddef.h>

#define SPEED_OF_LIGHT 299792458.0

const char *sd_pl_model_name(enum sd_pl_model m)
{
	static const char *const names[SD_PL_COUNT] = {
		[SD_PL_INF_SL] = "InF-SL", [SD_PL_INF_DL] = "InF-DL", [SD_PL_INF_SH] = "InF-SH",
		[SD_PL_INF_DH] = "InF-DH", [SD_PL_UMI] = "UMi",
	};
	return (unsigned)m < SD_PL_COUNT ? names[m] : "?";
}

double sd_pl_sigma_db(enum sd_pl_model m, bool los)
{
	static const double nlos[SD_PL_COUNT] = {
		[SD_PL_INF_SL] = 5.7, [SD_PL_INF_DL] = 7.2, [SD_PL_INF_SH] = 5.9,
		[SD_PL_INF_DH] = 4.0, [SD_PL_UMI] = 7.82,
	};
	if ((unsigned)m >= SD_PL_COUNT)
		return NAN;
	if (los)
		return m == SD_PL_UMI ? 4.0 : 4.3;
	return nlos[m];
}

/* InF is specified from 1 m of 3D distance. */
static double inf_d(double d3d) { return d3d < 1.0 ? 1.0 : d3d; }

double sd_pl_inf_los(double d3d_m, double fc_ghz)
{
	return 31.84 + 21.50 * log10(inf_d(d3d_m)) + 19.00 * log10(fc_ghz);
}

double sd_pl_inf_nlos(enum sd_pl_model m, double d3d_m, double fc_ghz)
{
	double d = log10(inf_d(d3d_m)), f = 20.0 * log10(fc_ghz);
	double los = sd_pl_inf_los(d3d_m, fc_ghz);
	double sl = 33.0 + 25.5 * d + f;
	switch (m) {
	case SD_PL_INF_SL:
		return fmax(los, sl);
	case SD_PL_INF_DL:
		return fmax(fmax(los, sl), 18.6 + 35.7 * d + f);
	case SD_PL_INF_SH:
		return fmax(los, 32.4 + 23.0 * d + f);
	case SD_PL_INF_DH:
		return fmax(los, 33.63 + 21.9 * d + f);
	default:
		return NAN;
	}
}

double sd_pl_inf_plos(enum sd_pl_model m, double d2d_m, double r, double d_clutter_m,
		      double hc_m, double hbs_m, double hut_m)
{
	double k;
	if (hc_m <= hut_m)      /* InF-HH: nothing between the antennas */
		return 1.0;
	if (r <= 0)
		return 1.0;         /* no clutter at all */
	if (r >= 1)
		return 0.0;
	k = -d_clutter_m / log(1.0 - r);
	if (m == SD_PL_INF_SH || m == SD_PL_INF_DH) {
		if (hbs_m <= hut_m)
			return 0.0;
		k *= (hbs_m - hut_m) / (hc_m - hut_m);
	}
	return exp(-fmax(d2d_m, 0.0) / k);
}

/* UMi formulas start at 10 m of ground distance. */
static void umi_d(double *d2d, double *d3d, double hbs, double hut)
{
	if (*d2d < 10.0) {
		*d2d = 10.0;
		*d3d = hypot(10.0, hbs - hut);
	}
}

double sd_pl_umi_los(double d2d_m, double d3d_m, double fc_ghz, double hbs_m, double hut_m)
{
	double dbp, f = 20.0 * log10(fc_ghz);
	umi_d(&d2d_m, &d3d_m, hbs_m, hut_m);
	/* effective antenna heights: the environment height is 1 m in UMi */
	dbp = 4.0 * (hbs_m - 1.0) * (hut_m - 1.0) * fc_ghz * 1e9 / SPEED_OF_LIGHT;
	if (d2d_m <= dbp)
		return 32.4 + 21.0 * log10(d3d_m) + f;
	return 32.4 + 40.0 * log10(d3d_m) + f -
	       9.5 * log10(dbp * dbp + (hbs_m - hut_m) * (hbs_m - hut_m));
}

double sd_pl_umi_nlos(double d2d_m, double d3d_m, double fc_ghz, double hbs_m, double hut_m)
{
	double los = sd_pl_umi_los(d2d_m, d3d_m, fc_ghz, hbs_m, hut_m);
	umi_d(&d2d_m, &d3d_m, hbs_m, hut_m);
	return fmax(los, 35.3 * log10(d3d_m) + 22.4 + 21.3 * log10(fc_ghz) -
			 0.3 * (hut_m - 1.5));
}

double sd_pl_umi_plos(double d2d_m)
{
	if (d2d_m <= 18.0)
		return 1.0;
	return 18.0 / d2d_m + exp(-d2d_m / 36.0) * (1.0 - 18.0 / d2d_m);
}

enum sd_pl_model sd_pl_choose(bool outdoor, double r, double hc_m, double hbs_m)
{
	bool dense = r >= SD_PL_DENSE_CLUTTER, high = hbs_m > hc_m;
	if (outdoor)
		return SD_PL_UMI;
	if (high)
		return dense ? SD_PL_INF_DH : SD_PL_INF_SH;
	return dense ? SD_PL_INF_DL : SD_PL_INF_SL;
}

double sd_pl_mean(const struct sd_pl_link *l, double d2d_m, double *plos)
{
	double d3d = hypot(d2d_m, l->hbs_m - l->hut_m), p, los, nlos;
	if (l->model == SD_PL_UMI) {
		p = sd_pl_umi_plos(d2d_m);
		los = sd_pl_umi_los(d2d_m, d3d, l->fc_ghz, l->hbs_m, l->hut_m);
		nlos = sd_pl_umi_nlos(d2d_m, d3d, l->fc_ghz, l->hbs_m, l->hut_m);
	} else {
		p = sd_pl_inf_plos(l->model, d2d_m, l->r, l->d_clutter_m, l->hc_m, l->hbs_m,
				   l->hut_m);
		los = sd_pl_inf_los(d3d, l->fc_ghz);
		nlos = sd_pl_inf_nlos(l->model, d3d, l->fc_ghz);
	}
	if (plos)
		*plos = p;
	/* in linear power: the mean of what the UE receives, not of the dBs */
	return -10.0 * log10(p * pow(10.0, -los / 10.0) + (1.0 - p) * pow(10.0, -nlos / 10.0));
}

double sd_pl_re_power_dbm(double total_dbm, int n_rb)
{
	return total_dbm - 10.0 * log10(12.0 * (n_rb > 0 ? n_rb : 1));
}

double sd_pl_noise_re_dbm(void)
{
	return -174.0 + 10.0 * log10(30e3) + 9.0;
}

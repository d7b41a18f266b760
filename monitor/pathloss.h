/* monitor/pathloss.h — large-scale path loss of 3GPP TR 38.901
 * (V16.1.0 and later: the indoor factory rows were added in Rel-16) for
 * coverage prediction (monitor/coverage.c).
 *
 * Distances in metres, carrier frequency fc in GHz, heights in metres,
 * losses in dB. Only the mean path loss is modelled: shadow fading is a
 * random term per location and a prediction wants its mean (the sigma of
 * each model is returned for documentation and reports).
 *
 *   InF (Table 7.4.1-1, indoor factory), valid 1 <= d3D <= 600 m:
 *     LOS    PL = 31.84 + 21.50 log10(d3D) + 19.00 log10(fc)          sigma 4.3
 *     SL     PL = 33.00 + 25.50 log10(d3D) + 20 log10(fc); max with LOS sigma 5.7
 *     DL     PL = 18.60 + 35.70 log10(d3D) + 20 log10(fc);
 *            max with LOS and SL                                       sigma 7.2
 *     SH     PL = 32.40 + 23.00 log10(d3D) + 20 log10(fc); max with LOS sigma 5.9
 *     DH     PL = 33.63 + 21.90 log10(d3D) + 20 log10(fc); max with LOS sigma 4.0
 *   InF LOS probability (Table 7.4.2-1), P = exp(-d2D / k):
 *     SL, DL k = -d_clutter / ln(1 - r)
 *     SH, DH k = -d_clutter / ln(1 - r) * (hBS - hUT) / (hc - hUT)
 *     HH     (both antennas above the clutter, hc <= hUT)  P = 1
 *   UMi street canyon (Table 7.4.1-1), valid 10 m <= d2D <= 5 km:
 *     LOS    PL1 = 32.4 + 21 log10(d3D) + 20 log10(fc)     for d2D <= d'BP
 *            PL2 = 32.4 + 40 log10(d3D) + 20 log10(fc)
 *                  - 9.5 log10(d'BP^2 + (hBS - hUT)^2)       beyond      sigma 4.0
 *            d'BP = 4 h'BS h'UT fc / c, h' = h - 1 m (clause 7.4.1, note 1)
 *     NLOS   max(PL_LOS, 35.3 log10(d3D) + 22.4 + 21.3 log10(fc)
 *                        - 0.3 (hUT - 1.5))                           sigma 7.82
 *   UMi LOS probability (Table 7.4.2-1): 1 for d2D <= 18 m, else
 *            18 / d2D + exp(-d2D / 36) (1 - 18 / d2D)
 *
 * Below the models' lower distance bound the bound is used (a UE under
 * the antenna sees the loss at 1 m, or 10 m outdoors); above the upper one
 * the formula is extrapolated.
 */
#ifndef SD_PATHLOSS_H
#define SD_PATHLOSS_H

#include <stdbool.h>

enum sd_pl_model {
	SD_PL_INF_SL,   /* indoor factory, sparse clutter, low base station */
	SD_PL_INF_DL,   /* dense clutter, low base station */
	SD_PL_INF_SH,   /* sparse clutter, high base station (above the clutter) */
	SD_PL_INF_DH,   /* dense clutter, high base station */
	SD_PL_UMI,      /* urban micro street canyon: outdoor yards */
	SD_PL_COUNT
};

#define SD_PL_UE_HEIGHT_M 1.5       /* hUT of the InF and UMi evaluations */
#define SD_PL_DENSE_CLUTTER 0.40    /* r at and above this is "dense" */

/* "InF-SL", "InF-DL", "InF-SH", "InF-DH", "UMi". */
const char *sd_pl_model_name(enum sd_pl_model m);
/* Shadow fading sigma (dB) of the model's LOS or NLOS state. */
double sd_pl_sigma_db(enum sd_pl_model m, bool los);

/* Indoor factory: the LOS path loss (any sub-scenario) and the NLOS path
 * loss of sub-scenario m (SD_PL_INF_*), which already takes the maxima
 * the table prescribes. */
double sd_pl_inf_los(double d3d_m, double fc_ghz);
double sd_pl_inf_nlos(enum sd_pl_model m, double d3d_m, double fc_ghz);
/* LOS probability of InF sub-scenario m: r the clutter density 0..1,
 * d_clutter the typical clutter size, hc the clutter height. */
double sd_pl_inf_plos(enum sd_pl_model m, double d2d_m, double r, double d_clutter_m,
		      double hc_m, double hbs_m, double hut_m);

/* UMi street canyon. */
double sd_pl_umi_los(double d2d_m, double d3d_m, double fc_ghz, double hbs_m, double hut_m);
double sd_pl_umi_nlos(double d2d_m, double d3d_m, double fc_ghz, double hbs_m, double hut_m);
double sd_pl_umi_plos(double d2d_m);

/* The model a link uses: UMi outdoors; indoors the clutter density r
 * picks sparse or dense (SD_PL_DENSE_CLUTTER), and whether the base
 * station is above the clutter (hbs > hc) picks high or low. */
enum sd_pl_model sd_pl_choose(bool outdoor, double r, double hc_m, double hbs_m);

/* Everything a link's mean loss needs. */
struct sd_pl_link {
	enum sd_pl_model model;
	double fc_ghz;
	double hbs_m, hut_m;
	double r, d_clutter_m, hc_m;   /* InF only */
};

/* The mean path loss (dB) over the LOS and NLOS states at horizontal
 * distance d2d: the loss of the mean received power,
 *   -10 log10(P_LOS 10^(-PL_LOS/10) + (1 - P_LOS) 10^(-PL_NLOS/10)).
 * *plos, when not NULL, gets the LOS probability. */
double sd_pl_mean(const struct sd_pl_link *l, double d2d_m, double *plos);

/* Power per resource element (dBm): the total power spread evenly over
 * 12 x n_rb subcarriers (n_rb: sd_nr_rbs_30khz, core/model.h). */
double sd_pl_re_power_dbm(double total_dbm, int n_rb);
/* Thermal noise per 30 kHz resource element at the UE, dBm: -174 dBm/Hz
 * + 10 log10(30 kHz) + a 9 dB noise figure. */
double sd_pl_noise_re_dbm(void);

#endif

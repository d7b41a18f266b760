/* tests/unit/test_pathloss.c — monitor/pathloss.c against values worked
 * out by hand from the formulas of 3GPP TR 38.901: clause 7.4.1 (path
 * loss, Table 7.4.1-1) and clause 7.4.2 (LOS probability, Table 7.4.2-1),
 * InF rows as added in Rel-16 and the UMi street-canyon rows. Each case
 * writes the formula and the arithmetic; log10 values to 6 digits. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "core/model.h"
#include "monitor/pathloss.h"

#define near(a, b, tol) assert_true(fabs((a) - (b)) <= (tol))

/* Table 7.4.1-1, InF LOS: PL = 31.84 + 21.50 log10(d3D) + 19.00 log10(fc).
 * fc = 3.7 GHz, d3D = 100 m: 31.84 + 21.5 * 2 + 19 * 0.568202 = 85.636 dB. */
static void test_inf_los(void **st)
{
	(void)st;
	near(sd_pl_inf_los(100, 3.7), 85.636, 0.001);
	/* below 1 m the 1 m value: 31.84 + 0 + 19 * log10(3.5) = 31.84 + 10.337 */
	near(sd_pl_inf_los(0.3, 3.5), 42.177, 0.001);
}

/* Table 7.4.1-1, InF NLOS, each with its max() against the LOS loss (and,
 * for DL, against InF-SL). */
static void test_inf_nlos(void **st)
{
	(void)st;
	/* DH: 33.63 + 21.9 log10(d3D) + 20 log10(fc); fc 3.7, d 100:
	 * 33.63 + 43.8 + 20 * 0.568202 = 88.794 (> LOS 85.636) */
	near(sd_pl_inf_nlos(SD_PL_INF_DH, 100, 3.7), 88.794, 0.001);
	/* SL: 33 + 25.5 log10(d3D) + 20 log10(fc); fc 3.5, d 50:
	 * 33 + 25.5 * 1.698970 + 20 * 0.544068 = 33 + 43.324 + 10.881 = 87.205
	 * (LOS at 50 m: 31.84 + 36.528 + 10.337 = 78.705, smaller) */
	near(sd_pl_inf_nlos(SD_PL_INF_SL, 50, 3.5), 87.205, 0.001);
	/* DL: max(PL_LOS, PL_SL, 18.6 + 35.7 log10(d3D) + 20 log10(fc)).
	 * fc 3.5, d 10: DL term 18.6 + 35.7 + 10.881 = 65.181, SL term
	 * 33 + 25.5 + 10.881 = 69.381, LOS 31.84 + 21.5 + 10.337 = 63.677:
	 * the SL term wins, 69.381. At d 100 the DL term 18.6 + 71.4 + 10.881
	 * = 100.881 wins over SL 94.881. */
	near(sd_pl_inf_nlos(SD_PL_INF_DL, 10, 3.5), 69.381, 0.001);
	near(sd_pl_inf_nlos(SD_PL_INF_DL, 100, 3.5), 100.881, 0.001);
	/* SH: 32.4 + 23 log10(d3D) + 20 log10(fc); fc 28, d 1:
	 * 32.4 + 0 + 20 * 1.447158 = 61.343 (LOS 31.84 + 27.496 = 59.336) */
	near(sd_pl_inf_nlos(SD_PL_INF_SH, 1, 28), 61.343, 0.001);
	/* NLOS is never below LOS: at 1 m, 3.5 GHz, DH is 33.63 + 10.881 =
	 * 44.511 and LOS 31.84 + 10.337 = 42.177 */
	near(sd_pl_inf_nlos(SD_PL_INF_DH, 1, 3.5), 44.511, 0.001);
}

/* Table 7.4.2-1, InF: P_LOS = exp(-d2D / k). */
static void test_inf_plos(void **st)
{
	(void)st;
	/* SL: k = -d_clutter / ln(1 - r). r 0.2, d_clutter 10 m, d2D 20 m:
	 * k = 10 / 0.223144 = 44.814; exp(-20 / 44.814) = 0.8^2 = 0.64 */
	near(sd_pl_inf_plos(SD_PL_INF_SL, 20, 0.2, 10, 2, 1.5, 1.5), 0.64, 1e-9);
	/* DL uses the same k: r 0.6, d_clutter 2, d2D 2: exp(ln 0.4) = 0.4 */
	near(sd_pl_inf_plos(SD_PL_INF_DL, 2, 0.6, 2, 6, 1.5, 1.5), 0.4, 1e-9);
	/* DH: k = -d_clutter / ln(1 - r) * (hBS - hUT) / (hc - hUT).
	 * r 0.6, d_clutter 2, hc 6, hBS 8, hUT 1.5, d2D 20:
	 * k = 2 / 0.916291 * 6.5 / 4.5 = 2.182695 * 1.444444 = 3.152781;
	 * exp(-20 / 3.152781) = exp(-6.343603) = 0.0017580 */
	near(sd_pl_inf_plos(SD_PL_INF_DH, 20, 0.6, 2, 6, 8, 1.5), 0.0017580, 1e-6);
	/* InF-HH: clutter below the UE (hc 1 <= hUT 1.5): P_LOS = 1 */
	near(sd_pl_inf_plos(SD_PL_INF_SH, 300, 0.6, 2, 1, 8, 1.5), 1.0, 1e-12);
	/* no clutter at all: LOS everywhere */
	near(sd_pl_inf_plos(SD_PL_INF_SL, 300, 0, 10, 4, 1.5, 1.5), 1.0, 1e-12);
}

/* Table 7.4.1-1, UMi street canyon. */
static void test_umi(void **st)
{
	(void)st;
	/* LOS below the breakpoint: PL1 = 32.4 + 21 log10(d3D) + 20 log10(fc).
	 * hBS 10, hUT 1.5, fc 3.7: d'BP = 4 * 9 * 0.5 * 3.7e9 / c = 222.15 m;
	 * d3D = 100 m (d2D = sqrt(100^2 - 8.5^2) = 99.638 m):
	 * 32.4 + 42 + 20 * 0.568202 = 85.764 dB */
	near(sd_pl_umi_los(99.638095, 100, 3.7, 10, 1.5), 85.764, 0.001);
	/* beyond it: PL2 = 32.4 + 40 log10(d3D) + 20 log10(fc)
	 *                  - 9.5 log10(d'BP^2 + (hBS - hUT)^2).
	 * fc 3.5: d'BP = 63e9 / 299792458 = 210.145 m; d2D 300 m, d3D 300.120:
	 * 32.4 + 40 * 2.477295 + 10.881 - 9.5 * log10(44160.9 + 72.25)
	 * = 32.4 + 99.092 + 10.881 - 9.5 * 4.645743 = 98.239 dB */
	near(sd_pl_umi_los(300, 300.120393, 3.5, 10, 1.5), 98.239, 0.001);
	/* NLOS: max(PL_LOS, 35.3 log10(d3D) + 22.4 + 21.3 log10(fc)
	 *                   - 0.3 (hUT - 1.5)).
	 * d2D 100, d3D 100.361, fc 3.5, hUT 1.5:
	 * 35.3 * 2.001563 + 22.4 + 21.3 * 0.544068 = 70.655 + 22.4 + 11.589
	 * = 104.644 dB (LOS 85.314) */
	near(sd_pl_umi_nlos(100, 100.360600, 3.5, 10, 1.5), 104.644, 0.001);
	/* Table 7.4.2-1, UMi: 1 up to 18 m, else
	 * 18/d2D + exp(-d2D/36) (1 - 18/d2D); d2D 50:
	 * 0.36 + exp(-1.388889) * 0.64 = 0.36 + 0.249352 * 0.64 = 0.519585 */
	near(sd_pl_umi_plos(10), 1.0, 1e-12);
	near(sd_pl_umi_plos(50), 0.519585, 1e-6);
}

/* The sub-scenario from the site's clutter and the antenna height. */
static void test_choose(void **st)
{
	(void)st;
	assert_int_equal(sd_pl_choose(false, 0.2, 4, 2), SD_PL_INF_SL);
	assert_int_equal(sd_pl_choose(false, 0.6, 4, 2), SD_PL_INF_DL);
	assert_int_equal(sd_pl_choose(false, 0.2, 4, 8), SD_PL_INF_SH);
	assert_int_equal(sd_pl_choose(false, 0.4, 4, 8), SD_PL_INF_DH);   /* 40 % is dense */
	assert_int_equal(sd_pl_choose(true, 0.6, 4, 8), SD_PL_UMI);
	assert_string_equal(sd_pl_model_name(SD_PL_INF_DH), "InF-DH");
	near(sd_pl_sigma_db(SD_PL_INF_DL, false), 7.2, 1e-12);
	near(sd_pl_sigma_db(SD_PL_INF_SL, true), 4.3, 1e-12);
}

/* The mean over LOS and NLOS is taken in linear power. */
static void test_mean(void **st)
{
	(void)st;
	/* InF-SL at 20 m: P_LOS 0.64 (above); d3D = 20 m (hBS = hUT);
	 * LOS 31.84 + 21.5 * 1.301030 + 10.337 = 70.149,
	 * NLOS 33 + 25.5 * 1.301030 + 10.881 = 77.058;
	 * -10 log10(0.64 * 10^-7.0149 + 0.36 * 10^-7.7058)
	 * = -10 log10(6.1841e-8 + 7.0877e-9) = 71.616 dB
	 * (the mean of the dBs would say 72.636: too pessimistic) */
	struct sd_pl_link l = { .model = SD_PL_INF_SL, .fc_ghz = 3.5, .hbs_m = 1.5,
				.hut_m = 1.5, .r = 0.2, .d_clutter_m = 10, .hc_m = 2 };
	double p;
	near(sd_pl_mean(&l, 20, &p), 71.616, 0.001);
	near(p, 0.64, 1e-9);
}

/* Per-RE power and noise: TS 38.101-1 Table 5.3.2-1 (30 kHz) gives
 * 273 RBs in 100 MHz; 30 dBm over 12 * 273 = 3276 subcarriers is
 * 30 - 35.153 = -5.153 dBm. Noise -174 + 44.771 + 9 = -120.229 dBm. */
static void test_power(void **st)
{
	(void)st;
	assert_int_equal(sd_nr_rbs_30khz(100), 273);
	assert_int_equal(sd_nr_rbs_30khz(40), 106);
	assert_int_equal(sd_nr_rbs_30khz(35), 0);
	near(sd_pl_re_power_dbm(30, 273), -5.153, 0.001);
	near(sd_pl_noise_re_dbm(), -120.229, 0.001);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inf_los),
		cmocka_unit_test(test_inf_nlos),
		cmocka_unit_test(test_inf_plos),
		cmocka_unit_test(test_umi),
		cmocka_unit_test(test_choose),
		cmocka_unit_test(test_mean),
		cmocka_unit_test(test_power),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

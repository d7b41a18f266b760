/* tests/unit/test_invoice.c — billing/invoice.c against invoices computed by
 * hand: the allowance, the data line rounded half up once (never per GB),
 * VAT per line type rounded per line, the lease line only when priced. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "billing/invoice.h"

static void tariff(struct sd_tariff *t)
{
	memset(t, 0, sizeof *t);
	strcpy(t->id, "vpn-basic");
	strcpy(t->currency, "CNY");
	t->mode = SD_MODE_VIRTUAL;
	t->monthly_fee = 1200000;     /* 12,000.00 */
	t->per_slice_fee = 200000;    /* 2,000.00 */
	t->per_gb = 300;              /* 3.00 */
	t->included_gb = 2000;
	t->vat_service_pct = 6;
	t->vat_lease_pct = 13;
}

static void test_rounding(void **st)
{
	assert_int_equal(sd_invoice_round(5, 1, 10), 1);          /* 0.5 -> 1 */
	assert_int_equal(sd_invoice_round(4, 1, 10), 0);          /* 0.4 -> 0 */
	assert_int_equal(sd_invoice_round(9, 6, 100), 1);         /* 0.54 -> 1 */
	assert_int_equal(sd_invoice_round(23994000, 250, 1000000000), 6); /* 5.9985 -> 6 */
	/* no overflow: 10^18 bytes at 10^15 fen per GB is 10^24 / 10^9 */
	assert_int_equal(sd_invoice_round(1000000000000LL, 1000000000000000LL, 1000000000LL),
			 1000000000000000000LL);
}

/* 2,500 GB and 1,666,667 bytes used, 2,000 included, two slices:
 *   monthly fee  1,200,000         tax 72,000
 *   slice fee    2 x 200,000       = 400,000, tax 24,000
 *   data         500,001,666,667 B x 300 / 10^9 = 150,000.5000001 -> 150,001,
 *                tax 9,000.06 -> 9,000
 *   subtotal 1,750,001; tax 105,000; total 1,855,001 */
static void test_virtual(void **st)
{
	struct sd_tariff t;
	struct sd_bill_usage u = { 2500000000000LL + 1666667, 2 };
	struct sd_invoice inv;
	tariff(&t);
	sd_invoice_rate(&t, &u, &inv);
	assert_int_equal(inv.nlines, 3);
	assert_string_equal(inv.lines[0].what, "monthly fee");
	assert_int_equal(inv.lines[0].amount, 1200000);
	assert_int_equal(inv.lines[0].tax, 72000);
	assert_int_equal(inv.lines[1].qty, 2);
	assert_int_equal(inv.lines[1].amount, 400000);
	assert_int_equal(inv.lines[1].tax, 24000);
	assert_string_equal(inv.lines[2].what, "data");
	assert_int_equal(inv.lines[2].qty, 500001666667LL);
	assert_int_equal(inv.lines[2].amount, 150001);
	assert_int_equal(inv.lines[2].tax, 9000);
	assert_int_equal(inv.subtotal, 1750001);
	assert_int_equal(inv.tax, 105000);
	assert_int_equal(inv.total, 1855001);
}

/* Within the allowance: a data line of 0; a leased UPF at 13 %:
 *   lease 800,000, tax 104,000 */
static void test_allowance_and_lease(void **st)
{
	struct sd_tariff t;
	struct sd_bill_usage u = { 2000000000000LL, 0 };
	struct sd_invoice inv;
	tariff(&t);
	t.lease_fee = 800000;
	sd_invoice_rate(&t, &u, &inv);
	assert_int_equal(inv.nlines, 4);
	assert_int_equal(inv.lines[1].amount, 0);
	assert_int_equal(inv.lines[2].qty, 0);
	assert_int_equal(inv.lines[2].amount, 0);
	assert_string_equal(inv.lines[3].what, "UPF/MEC lease");
	assert_int_equal(inv.lines[3].type, SD_LINE_LEASE);
	assert_int_equal(inv.lines[3].vat_pct, 13);
	assert_int_equal(inv.lines[3].tax, 104000);
	assert_int_equal(inv.subtotal, 2000000);
	assert_int_equal(inv.tax, 72000 + 104000);
	assert_int_equal(inv.total, 2176000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rounding),
		cmocka_unit_test(test_virtual),
		cmocka_unit_test(test_allowance_and_lease),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

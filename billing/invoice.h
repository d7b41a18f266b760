/* billing/invoice.h — rating a factory's month into invoice lines.
 *
 * From the factory's tariff (billing/tariff_conf.h), the ledger's total for
 * the factory and period, and its slices in service:
 *
 *   monthly fee    1 x monthly_fee                         service VAT
 *   slice fee      slices in service x per_slice_fee       service VAT
 *   data           bytes beyond included_gb x per_gb        service VAT
 *   UPF/MEC lease  1 x lease_fee (when not 0)              lease VAT
 *
 * Money is integer fen. The one rounding rule: each line's amount and each
 * line's tax are rounded once, half up, to the fen (a data line of 5.9985
 * fen is 6 fen; 6 % tax of 9 fen, 0.54 fen, is 1 fen; 0.5 fen rounds up);
 * nothing is rounded before that and sums are of rounded lines. A GB is 10^9
 * bytes. VAT is a whole percent per line type (vat_service_pct, 6 % by
 * default: telecom value-added services; vat_lease_pct, 13 %: equipment
 * and lease).
 *
 * Pure arithmetic, no store: the ledger and the model are the caller's.
 */
#ifndef SD_INVOICE_H
#define SD_INVOICE_H

#include <stdint.h>

#include "billing/tariff_conf.h"

enum sd_line_type { SD_LINE_SERVICE, SD_LINE_LEASE };

struct sd_invoice_line {
	char what[32];           /* "monthly fee", "slice fee", "data", "UPF/MEC lease" */
	enum sd_line_type type;
	int64_t qty;             /* months, slices or bytes */
	char unit[8];            /* "month", "slice", "byte" */
	int64_t unit_price;      /* fen per unit (per GB for data) */
	int64_t amount;          /* fen, rounded half up */
	int vat_pct;
	int64_t tax;             /* fen, rounded half up */
};

#define SD_INVOICE_MAX_LINES 8

struct sd_invoice {
	struct sd_invoice_line lines[SD_INVOICE_MAX_LINES];
	int nlines;
	int64_t subtotal, tax, total;   /* fen */
};

/* What is billed: the month's billable bytes of the factory (all slices),
 * and its slices in service. */
struct sd_bill_usage {
	int64_t bytes;
	int slices;
};

/* num / den rounded half up, for num >= 0, den > 0 (128-bit inside). */
int64_t sd_invoice_round(int64_t a, int64_t b, int64_t den);
void sd_invoice_rate(const struct sd_tariff *t, const struct sd_bill_usage *u,
		     struct sd_invoice *inv);

#endif

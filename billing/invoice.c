/* billing/invoice.c — see invoice.h. */
#include "billing/invoice.h"

#include <string.h>

#include "core/util.h"

#define GB 1000000000LL

int64_t sd_invoice_round(int64_t a, int64_t b, int64_t den)
{
	unsigned __int128 p = (unsigned __int128)(uint64_t)a * (uint64_t)b;
	return (int64_t)((p + (uint64_t)den / 2) / (uint64_t)den);
}

static void line(struct sd_invoice *inv, const char *what, enum sd_line_type type, int64_t qty,
		 const char *unit, int64_t unit_price, int64_t amount, int vat_pct)
{
	struct sd_invoice_line *l = &inv->lines[inv->nlines++];
	memset(l, 0, sizeof *l);
	sd_strlcpy(l->what, what, sizeof l->what);
	sd_strlcpy(l->unit, unit, sizeof l->unit);
	l->type = type;
	l->qty = qty;
	l->unit_price = unit_price;
	l->amount = amount;
	l->vat_pct = vat_pct;
	l->tax = sd_invoice_round(amount, vat_pct, 100);
	inv->subtotal += amount;
	inv->tax += l->tax;
}

void sd_invoice_rate(const struct sd_tariff *t, const struct sd_bill_usage *u,
		     struct sd_invoice *inv)
{
	int64_t included = t->included_gb * GB;
	int64_t over = u->bytes > included ? u->bytes - included : 0;
	memset(inv, 0, sizeof *inv);
	line(inv, "monthly fee", SD_LINE_SERVICE, 1, "month", t->monthly_fee, t->monthly_fee,
	     (int)t->vat_service_pct);
	line(inv, "slice fee", SD_LINE_SERVICE, u->slices, "slice", t->per_slice_fee,
	     t->per_slice_fee * u->slices, (int)t->vat_service_pct);
	line(inv, "data", SD_LINE_SERVICE, over, "byte", t->per_gb,
	     sd_invoice_round(over, t->per_gb, GB), (int)t->vat_service_pct);
	if (t->lease_fee)
		line(inv, "UPF/MEC lease", SD_LINE_LEASE, 1, "month", t->lease_fee, t->lease_fee,
		     (int)t->vat_lease_pct);
	inv->total = inv->subtotal + inv->tax;
}

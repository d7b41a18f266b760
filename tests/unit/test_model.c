/* tests/unit/test_model.c — core/model.c: indexed lookups (ids, NCI,
 * S-NSSAI, per-owner lists and counts) agree with the linear scan, and a
 * reindex of the scale zone, timed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/model.h"
#include "core/snssai.h"
#include "core/util.h"

/* A generated zone: nf factories, each with sites_pf sites of cells_ps
 * cells and slices_pf slices. Slice k of a factory has SST 1 + k % 3 and
 * SD (factory * 1000 + k); every fourth has no SD and so shares its
 * S-NSSAI with others. */
static struct sd_model *gen(int nf, int sites_pf, int cells_ps, int slices_pf)
{
	struct sd_model *m = sd_calloc(1, sizeof *m);
	int f, s, c, k;
	m->nfactories = nf;
	m->nsites = nf * sites_pf;
	m->ncells = m->nsites * cells_ps;
	m->nslices = nf * slices_pf;
	m->factories = sd_calloc((size_t)nf, sizeof *m->factories);
	m->sites = sd_calloc((size_t)m->nsites, sizeof *m->sites);
	m->cells = sd_calloc((size_t)m->ncells, sizeof *m->cells);
	m->slices = sd_calloc((size_t)m->nslices, sizeof *m->slices);
	sd_strlcpy(m->plmn.mcc, "460", sizeof m->plmn.mcc);
	sd_strlcpy(m->plmn.mnc, "00", sizeof m->plmn.mnc);
	sd_strlcpy(m->zone_name, "test zone", sizeof m->zone_name);
	for (f = 0; f < nf; f++) {
		struct sd_factory *fa = &m->factories[f];
		snprintf(fa->id, sizeof fa->id, "f%d", f);
		snprintf(fa->name, sizeof fa->name, "Factory %d", f);
		fa->security_grade = 1 + f % 3;
		for (s = 0; s < sites_pf; s++) {
			int si = f * sites_pf + s;
			struct sd_site *st = &m->sites[si];
			snprintf(st->id, sizeof st->id, "s%d", si);
			st->factory = f;
			for (c = 0; c < cells_ps; c++) {
				int ci = si * cells_ps + c;
				struct sd_cell *ce = &m->cells[ci];
				snprintf(ce->id, sizeof ce->id, "c%d", ci);
				ce->site = si;
				ce->nci = 0x100000000ULL + (uint64_t)ci;
				ce->tac = (uint32_t)(1 + si);
			}
		}
		for (k = 0; k < slices_pf; k++) {
			int li = f * slices_pf + k;
			struct sd_slice *sl = &m->slices[li];
			snprintf(sl->id, sizeof sl->id, "sl%d", li);
			sl->factory = f;
			sl->snssai.sst = (uint8_t)(1 + k % 3);
			sl->snssai.has_sd = k % 4 != 3;
			sl->snssai.sd = sl->snssai.has_sd ? (uint32_t)(f * 1000 + k) : 0;
			sl->state = SD_SLICE_ACTIVE;
			if (sites_pf) {
				sl->sites = sd_calloc(1, sizeof *sl->sites);
				sl->sites[0] = f * sites_pf;
				sl->nsites = 1;
			}
		}
	}
	return m;
}

static struct sd_snssai sn(const char *text)
{
	struct sd_snssai v;
	assert_true(sd_snssai_parse(text, &v, NULL));
	return v;
}

/* The S-NSSAI lookup, before the first reindex (scan) and after it (hash):
 * the same slices, ascending; "no SD" is a value of its own; FFFFFF is
 * "no SD". */
static void test_slices_by_snssai(void **st)
{
	struct sd_model *m = gen(3, 1, 1, 8);
	struct sd_snssai a = sn("2-000001"), nosd = sn("1"), ff = sn("1-ffffff"), none = sn("9-000009");
	const int *idx;
	int pass, n;

	/* factory 0's slice 1 is 2-000001; make factory 2's slice 1 the same */
	m->slices[2 * 8 + 1].snssai = a;
	for (pass = 0; pass < 2; pass++) {
		n = sd_model_slices_by_snssai(m, &a, &idx);
		assert_int_equal(n, 2);
		assert_int_equal(idx[0], 1);
		assert_int_equal(idx[1], 17);
		/* SST 1 without SD: slice k = 3 of each factory */
		n = sd_model_slices_by_snssai(m, &nosd, &idx);
		assert_int_equal(n, 3);
		assert_int_equal(idx[0], 3);
		assert_int_equal(idx[1], 11);
		assert_int_equal(idx[2], 19);
		assert_int_equal(sd_model_slices_by_snssai(m, &ff, &idx), 3);
		assert_int_equal(sd_model_slices_by_snssai(m, &none, &idx), 0);
		assert_null(idx);
		assert_int_equal(sd_model_reindex(m), 0);
	}
	/* the index follows a structural change once reindexed */
	m->slices[1].snssai = none;
	assert_int_equal(sd_model_reindex(m), 0);
	assert_int_equal(sd_model_slices_by_snssai(m, &none, &idx), 1);
	assert_int_equal(idx[0], 1);
	assert_int_equal(sd_model_slices_by_snssai(m, &a, &idx), 1);
	assert_int_equal(idx[0], 17);
	sd_model_free(m);
}

/* Every lookup answers the same through the index as by scanning. */
static void check_lookups(const struct sd_model *m)
{
	int i, ns, nc, nl, n, j;
	const int *idx;
	for (i = 0; i < m->nfactories; i++)
		assert_int_equal(sd_model_factory_index(m, m->factories[i].id), i);
	for (i = 0; i < m->nsites; i++)
		assert_int_equal(sd_model_site_index(m, m->sites[i].id), i);
	for (i = 0; i < m->ncells; i++) {
		assert_int_equal(sd_model_cell_index(m, m->cells[i].id), i);
		assert_int_equal(sd_model_cell_by_nci(m, m->cells[i].nci), i);
	}
	for (i = 0; i < m->nslices; i++)
		assert_int_equal(sd_model_slice_index(m, m->slices[i].id), i);
	assert_int_equal(sd_model_factory_index(m, "nope"), -1);
	assert_int_equal(sd_model_site_index(m, "nope"), -1);
	assert_int_equal(sd_model_cell_index(m, "nope"), -1);
	assert_int_equal(sd_model_slice_index(m, "nope"), -1);
	assert_int_equal(sd_model_cell_by_nci(m, 7), -1);
	for (i = 0; i < m->nfactories; i++) {
		assert_int_equal(sd_model_factory_counts(m, i, &ns, &nc, &nl), 0);
		n = sd_model_factory_sites(m, i, &idx);
		assert_int_equal(n, ns);
		for (j = 0; j < n; j++) {
			assert_int_equal(m->sites[idx[j]].factory, i);
			assert_true(j == 0 || idx[j] > idx[j - 1]);
		}
		n = sd_model_factory_slices(m, i, &idx);
		assert_int_equal(n, nl);
		for (j = 0; j < n; j++)
			assert_int_equal(m->slices[idx[j]].factory, i);
	}
	for (i = 0; i < m->nsites; i++) {
		n = sd_model_site_cells(m, i, &idx);
		for (j = 0; j < n; j++)
			assert_int_equal(m->cells[idx[j]].site, i);
	}
	assert_int_equal(sd_model_factory_counts(m, m->nfactories, &ns, &nc, &nl), -1);
	assert_int_equal(sd_model_factory_slices(m, -1, &idx), -1);
	assert_int_equal(sd_model_site_cells(m, m->nsites, &idx), -1);
}

static void test_lookups_indexed_and_scanned(void **st)
{
	struct sd_model *m = gen(7, 3, 4, 5);
	int ns, nc, nl;
	/* a slice of factory 6 moved to factory 0 */
	m->slices[6 * 5].factory = 0;
	check_lookups(m);
	assert_int_equal(sd_model_factory_counts(m, 0, &ns, &nc, &nl), 0);
	assert_int_equal(ns, 3);
	assert_int_equal(nc, 12);
	assert_int_equal(nl, 6);
	assert_int_equal(sd_model_reindex(m), 0);
	check_lookups(m);
	assert_int_equal(sd_model_factory_counts(m, 0, &ns, &nc, &nl), 0);
	assert_int_equal(nl, 6);
	assert_int_equal(sd_model_factory_counts(m, 6, NULL, NULL, &nl), 0);
	assert_int_equal(nl, 4);
	/* the arrays moved (an append by someone who did not reindex): the
	 * lookups notice and scan instead of answering from stale tables */
	m->slices = sd_reallocarray(m->slices, (size_t)m->nslices + 1, sizeof *m->slices);
	memset(&m->slices[m->nslices], 0, sizeof *m->slices);
	sd_strlcpy(m->slices[m->nslices].id, "late", sizeof m->slices[0].id);
	m->slices[m->nslices].factory = 2;
	m->nslices++;
	assert_int_equal(sd_model_slice_index(m, "late"), m->nslices - 1);
	check_lookups(m);
	/* duplicates are counted; the first wins */
	sd_strlcpy(m->slices[m->nslices - 1].id, "sl0", sizeof m->slices[0].id);
	assert_int_equal(sd_model_reindex(m), 1);
	assert_int_equal(sd_model_slice_index(m, "sl0"), 0);
	sd_model_free(m);
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* The scale target: 2,000 factories, 100,000 slices, 300,000
 * cells. Prints the reindex time (not asserted: shared CI machines). */
static void test_reindex_scale(void **st)
{
	struct sd_model *m = gen(2000, 5, 30, 50);
	struct timespec t0;
	const int *idx;
	double first, again;
	int ns, nc, nl, i;
	struct sd_snssai v = { .sst = 2, .has_sd = true, .sd = 1999 * 1000 + 49 };

	assert_int_equal(m->nslices, 100000);
	assert_int_equal(m->ncells, 300000);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(sd_model_reindex(m), 0);
	first = ms_since(&t0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(sd_model_reindex(m), 0);
	again = ms_since(&t0);
	print_message("reindex of 2000 factories / 10000 sites / 300000 cells / 100000 slices: "
		      "%.1f ms first, %.1f ms again\n", first, again);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < m->nslices; i++)
		if (sd_model_slice_index(m, m->slices[i].id) != i)
			fail_msg("slice %d", i);
	print_message("100000 slice id lookups: %.1f ms\n", ms_since(&t0));
	assert_int_equal(sd_model_slices_by_snssai(m, &v, &idx), 1);
	assert_int_equal(idx[0], 99999);
	assert_int_equal(sd_model_factory_counts(m, 1234, &ns, &nc, &nl), 0);
	assert_int_equal(ns, 5);
	assert_int_equal(nc, 150);
	assert_int_equal(nl, 50);
	assert_int_equal(sd_model_cell_by_nci(m, 0x100000000ULL + 299999), 299999);
	sd_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slices_by_snssai),
		cmocka_unit_test(test_lookups_indexed_and_scanned),
		cmocka_unit_test(test_reindex_scale),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

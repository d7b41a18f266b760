/* tests/unit/test_model.c — core/model.c and core/index.c: indexed
 * lookups (ids, NCI, S-NSSAI, per-owner lists and counts) agree with the
 * linear scan; the merge of a configuration reports exactly what changed
 * and keeps runtime slices; runtime slices survive a store round trip and
 * are refused by name when the configuration contradicts them; reindex and
 * merge of the scale zone, timed (printed, not asserted). */
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

#include "core/bus.h"
#include "core/index.h"
#include "core/model.h"
#include "core/snssai.h"
#include "core/store.h"
#include "core/util.h"
#include "slicing/scenario.h"

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

/* core/index.c on its own: growth past the size it was reset for, key 0,
 * first-one-wins duplicates, reuse after reset. */
static void test_index_tables(void **st)
{
	struct sd_strindex si;
	struct sd_u64index ui;
	static char ids[5000][16];
	int i;

	sd_strindex_init(&si);
	sd_u64index_init(&ui);
	assert_int_equal(sd_strindex_get(&si, "x"), -1);
	assert_int_equal(sd_u64index_get(&ui, 0), -1);
	sd_strindex_reset(&si, 4);
	sd_u64index_reset(&ui, 4);
	for (i = 0; i < 5000; i++) {
		snprintf(ids[i], sizeof ids[i], "id-%d", i);
		assert_int_equal(sd_strindex_put(&si, ids[i], i), -1);
		assert_int_equal(sd_u64index_put(&ui, (uint64_t)i * 4096, i), -1);
	}
	assert_int_equal(sd_strindex_put(&si, "id-17", 99), 17);
	assert_int_equal(sd_u64index_put(&ui, 17 * 4096, 99), 17);
	for (i = 0; i < 5000; i++) {
		assert_int_equal(sd_strindex_get(&si, ids[i]), i);
		assert_int_equal(sd_u64index_get(&ui, (uint64_t)i * 4096), i);
	}
	assert_int_equal(sd_u64index_get(&ui, 0), 0);
	assert_int_equal(sd_u64index_get(&ui, 1), -1);
	assert_int_equal(sd_strindex_get(&si, "id-5000"), -1);
	sd_strindex_reset(&si, 10);
	assert_int_equal(sd_strindex_get(&si, "id-1"), -1);
	assert_int_equal(sd_strindex_put(&si, "id-1", 7), -1);
	assert_int_equal(sd_strindex_get(&si, "id-1"), 7);
	sd_strindex_done(&si);
	sd_u64index_done(&ui);
}

/* Issue 9 item 4: a slice's tracking-area count comes from the inventory,
 * with no NF at all (a core without NSSAI availability showed "0"): its
 * sites' TACs, or its factory's when it names none; kept by a reset of the
 * observed figures, and set for a slice added at run time. */
static void test_tas_total_from_inventory(void **st)
{
	struct sd_model *m = gen(2, 3, 2, 2);   /* site si has TAC 1 + si */
	struct sd_slice add = { 0 };
	char err[256];
	int i;

	(void)st;
	free(m->slices[1].sites);              /* f0's second slice: no sites */
	m->slices[1].sites = NULL;
	m->slices[1].nsites = 0;
	sd_model_reindex(m);
	sd_model_reset_live(m);
	assert_int_equal(m->slices[0].live.tas_total, 1);
	assert_int_equal(m->slices[1].live.tas_total, 3);
	assert_int_equal(m->slices[1].live.tas_available, -1);
	snprintf(add.id, sizeof add.id, "rt1");
	add.factory = 1;
	add.snssai = sn("1-0a0b0c");
	add.state = SD_SLICE_ACTIVE;
	add.origin = SD_ORIGIN_RUNTIME;
	i = sd_model_add_slice(m, &add, err, sizeof err);
	if (i < 0)
		fail_msg("add: %s", err);
	assert_int_equal(m->slices[i].live.tas_total, 3);
	assert_int_equal(m->slices[i].live.tas_available, -1);
	sd_model_free(m);
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

/* ---- merge ---- */

/* What the merge reported, as "T:id" / "T:id:removed" lines, sorted and
 * joined with spaces so a test compares one string. */
struct seen {
	char text[8192];
	int n;
	char lines[256][48];
};

static void on_changed(void *arg, unsigned topic, const char *id, bool removed)
{
	struct seen *w = arg;
	const char *t = topic == SD_TOPIC_FACTORIES ? "F" : topic == SD_TOPIC_SLICES ? "L" :
			topic == SD_TOPIC_SITES ? "S" : topic == SD_TOPIC_CELLS ? "C" :
			topic == SD_TOPIC_NFS ? "N" : "?";
	if (w->n < 256)
		snprintf(w->lines[w->n], sizeof w->lines[0], "%s:%s%s", t, id, removed ? ":rm" : "");
	w->n++;
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(a, b);
}

static const char *seen_text(struct seen *w)
{
	int i, n = w->n < 256 ? w->n : 256;
	qsort(w->lines, (size_t)n, sizeof w->lines[0], cmp_line);
	w->text[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i)
			strcat(w->text, " ");
		strcat(w->text, w->lines[i]);
	}
	return w->text;
}

/* Merge `declared` into `into` and return the sorted reports. */
static const char *merge(struct sd_model *into, struct sd_model *declared, int conflicts,
			 struct seen *w)
{
	char err[1024] = "";
	memset(w, 0, sizeof *w);
	assert_int_equal(sd_model_merge_declared(into, declared, on_changed, w, err, sizeof err),
			 conflicts);
	if (!conflicts)
		assert_string_equal(err, "");
	return seen_text(w);
}

/* A zone of 2 factories x 2 sites x 2 cells x 3 slices. */
static struct sd_model *small(void)
{
	return gen(2, 2, 2, 3);
}

static void test_merge_reports_only_changes(void **st)
{
	struct sd_model *m = sd_model_new(), *d;
	struct seen w;
	int i;

	/* the first merge (the engine's start) adds everything */
	merge(m, small(), 0, &w);
	assert_int_equal(w.n, 2 + 4 + 8 + 6 + 1);
	assert_int_equal(m->nslices, 6);
	assert_int_equal(m->slices[0].live.ues, -1);
	/* observed state survives an unchanged reload, which reports nothing;
	 * a copy of the configuration's model is the same inventory */
	m->slices[4].live.ues = 42;
	assert_string_equal(merge(m, small(), 0, &w), "");
	d = small();
	assert_string_equal(merge(m, sd_model_copy_declared(d), 0, &w), "");
	sd_model_free(d);
	assert_int_equal(m->slices[4].live.ues, 42);
	assert_int_equal(sd_model_slice_index(m, "sl4"), 4);

	/* one slice's name: that slice only */
	d = small();
	sd_strlcpy(d->slices[4].name, "renamed", sizeof d->slices[4].name);
	assert_string_equal(merge(m, d, 0, &w), "L:sl4");
	assert_string_equal(m->slices[4].name, "renamed");
	assert_int_equal(m->slices[4].live.ues, 42);

	/* its S-NSSAI: the slice, and the NF views that list S-NSSAIs; the
	 * observed state was about the old S-NSSAI */
	d = small();
	sd_strlcpy(d->slices[4].name, "renamed", sizeof d->slices[4].name);
	d->slices[4].snssai.sd = 777;
	assert_string_equal(merge(m, d, 0, &w), "L:sl4 N:");
	assert_int_equal(m->slices[4].live.ues, -1);

	/* a slice moves to the other factory: both factories' counts */
	d = small();
	d->slices[0].factory = 1;
	assert_string_equal(merge(m, d, 0, &w), "F:f0 F:f1 L:sl0 L:sl4 N:");
	assert_int_equal(m->slices[0].factory, 1);

	/* a slice goes away: it, its factory's count, the NF views */
	d = small();
	d->slices[0].factory = 1;
	free(d->slices[5].sites);
	d->nslices = 5;
	assert_string_equal(merge(m, d, 0, &w), "F:f1 L:sl5:rm N:");
	assert_int_equal(sd_model_slice_index(m, "sl5"), -1);

	/* a cell goes away: it, its site's and its factory's counts */
	d = small();
	d->ncells = 7;
	assert_string_equal(merge(m, d, 0, &w), "C:c7:rm F:f0 F:f1 L:sl0 L:sl5 N: S:s3");
	assert_int_equal(m->ncells, 7);

	/* a site moves to the other factory: it, both factories, and its
	 * cells (a cell's view names its factory) */
	d = small();
	d->sites[1].factory = 1;
	assert_string_equal(merge(m, d, 0, &w), "C:c2 C:c3 C:c7 F:f0 F:f1 S:s1 S:s3");
	assert_int_equal(m->sites[1].factory, 1);
	for (i = 0; i < m->ncells; i++)
		assert_int_equal(m->cells[i].site, i / 2);

	/* a new PLMN changes every NCGI */
	d = small();
	d->sites[1].factory = 1;
	sd_strlcpy(d->plmn.mnc, "01", sizeof d->plmn.mnc);
	assert_string_equal(merge(m, d, 0, &w), "C:");
	assert_string_equal(m->plmn.mnc, "01");
	sd_model_free(m);
}

static struct sd_slice runtime_slice(const char *id, int factory, int *sites, int nsites)
{
	struct sd_slice s;
	memset(&s, 0, sizeof s);
	sd_strlcpy(s.id, id, sizeof s.id);
	sd_strlcpy(s.name, "made at run time", sizeof s.name);
	s.factory = factory;
	s.snssai.sst = 1;
	s.snssai.has_sd = true;
	s.snssai.sd = 0xabcdef;
	s.state = SD_SLICE_REQUESTED;
	s.origin = SD_ORIGIN_RUNTIME;
	s.sites = sites;
	s.nsites = nsites;
	return s;
}

static void test_add_remove_slice(void **st)
{
	struct sd_model *m = sd_model_new();
	struct seen w;
	char err[256];
	int sites[] = { 3 }, bad[] = { 99 };
	struct sd_slice s = runtime_slice("rt1", 1, sites, 1);
	const int *idx;

	merge(m, small(), 0, &w);
	s.live.ues = 5;
	assert_int_equal(sd_model_add_slice(m, &s, err, sizeof err), 6);
	assert_int_equal(sd_model_slice_index(m, "rt1"), 6);
	assert_int_equal(m->slices[6].live.ues, -1);
	assert_true(m->slices[6].sites != sites);
	assert_int_equal(sd_model_slices_by_snssai(m, &s.snssai, &idx), 1);
	assert_int_equal(sd_model_factory_slices(m, 1, &idx), 4);
	/* refusals name the slice */
	assert_int_equal(sd_model_add_slice(m, &s, err, sizeof err), -1);
	assert_non_null(strstr(err, "rt1 already exists"));
	s = runtime_slice("sl0", 0, NULL, 0);
	assert_int_equal(sd_model_add_slice(m, &s, err, sizeof err), -1);
	s = runtime_slice("rt2", 0, bad, 1);
	assert_int_equal(sd_model_add_slice(m, &s, err, sizeof err), -1);
	assert_non_null(strstr(err, "rt2"));
	s = runtime_slice("rt2", 2, NULL, 0);
	assert_int_equal(sd_model_add_slice(m, &s, err, sizeof err), -1);
	s = runtime_slice("rt2", 0, NULL, 0);
	s.origin = SD_ORIGIN_CONFIG;
	assert_int_equal(sd_model_add_slice(m, &s, err, sizeof err), -1);
	s = runtime_slice("bad id", 0, NULL, 0);
	assert_int_equal(sd_model_add_slice(m, &s, err, sizeof err), -1);
	assert_int_equal(m->nslices, 7);

	assert_int_equal(sd_model_remove_slice(m, "sl0"), -2);
	assert_int_equal(sd_model_remove_slice(m, "nope"), -1);
	assert_int_equal(sd_model_remove_slice(m, "rt1"), 0);
	assert_int_equal(m->nslices, 6);
	assert_int_equal(sd_model_slice_index(m, "rt1"), -1);
	assert_int_equal(sd_model_factory_slices(m, 1, &idx), 3);
	sd_model_free(m);
}

/* Runtime slices survive reloads: references re-resolved by id, and a
 * conflict keeps the runtime object and says so. */
static void test_merge_keeps_runtime(void **st)
{
	struct sd_model *m = sd_model_new(), *d, *before;
	struct seen w;
	char err[1024];
	int sites[] = { 3 };
	struct sd_slice s = runtime_slice("rt1", 1, sites, 1);
	int r, i;

	merge(m, small(), 0, &w);
	before = m;
	assert_int_equal(sd_model_add_slice(m, &s, err, sizeof err), 6);
	m->slices[6].live.ues = 9;

	/* the file reorders its factories and sites: the runtime slice follows
	 * by id, and nothing of it is reported */
	d = small();
	{
		struct sd_factory f = d->factories[0];
		struct sd_site t;
		d->factories[0] = d->factories[1];
		d->factories[1] = f;
		for (i = 0; i < d->nsites; i++)
			d->sites[i].factory = 1 - d->sites[i].factory;
		for (i = 0; i < d->nslices; i++)
			d->slices[i].factory = 1 - d->slices[i].factory;
		t = d->sites[3];
		d->sites[3] = d->sites[0];
		d->sites[0] = t;
		for (i = 0; i < d->ncells; i++)
			d->cells[i].site = d->cells[i].site == 0 ? 3 : d->cells[i].site == 3 ? 0 :
					   d->cells[i].site;
		for (i = 0; i < d->nslices; i++)
			if (d->slices[i].sites[0] == 0)
				d->slices[i].sites[0] = 3;
			else if (d->slices[i].sites[0] == 3)
				d->slices[i].sites[0] = 0;
	}
	assert_string_equal(merge(m, d, 0, &w), "");
	assert_ptr_equal(m, before);
	r = sd_model_slice_index(m, "rt1");
	assert_int_equal(r, 6);
	assert_string_equal(m->factories[m->slices[r].factory].id, "f1");
	assert_string_equal(m->sites[m->slices[r].sites[0]].id, "s3");
	assert_int_equal(m->slices[r].origin, SD_ORIGIN_RUNTIME);
	assert_int_equal(m->slices[r].live.ues, 9);

	/* the file now declares the runtime slice's id: the runtime one wins */
	d = small();
	d->nslices--;
	free(d->slices[5].sites);
	d->slices = sd_reallocarray(d->slices, 6, sizeof *d->slices);
	d->slices[5] = d->slices[4];
	d->slices[5].sites = sd_calloc(1, sizeof(int));
	sd_strlcpy(d->slices[5].id, "rt1", sizeof d->slices[5].id);
	d->nslices++;
	err[0] = '\0';
	assert_int_equal(sd_model_merge_declared(m, d, NULL, NULL, err, sizeof err), 1);
	assert_non_null(strstr(err, "1 conflict: slice rt1 is declared by the configuration"));
	r = sd_model_slice_index(m, "rt1");
	assert_int_equal(m->slices[r].origin, SD_ORIGIN_RUNTIME);
	assert_string_equal(m->slices[r].name, "made at run time");
	assert_int_equal(sd_model_slice_index(m, "sl5"), -1);

	/* factory f1 (and its site s3) vanish from the file: both are kept for
	 * the runtime slice; f1's config slices, s2 and the cells go */
	d = gen(1, 2, 2, 3);
	assert_int_equal(sd_model_merge_declared(m, d, NULL, NULL, err, sizeof err), 2);
	assert_non_null(strstr(err, "factory f1 is no longer declared but runtime slice rt1"));
	assert_non_null(strstr(err, "site s3 is no longer declared but runtime slice rt1"));
	assert_int_equal(m->nfactories, 2);
	assert_int_equal(m->nsites, 3);
	assert_int_equal(m->ncells, 4);
	assert_int_equal(m->nslices, 4);
	r = sd_model_slice_index(m, "rt1");
	assert_string_equal(m->factories[m->slices[r].factory].id, "f1");
	assert_string_equal(m->sites[m->slices[r].sites[0]].id, "s3");
	assert_string_equal(m->factories[m->sites[m->slices[r].sites[0]].factory].id, "f1");
	assert_int_equal(m->slices[r].live.ues, 9);
	/* once the slice is gone, the next reload lets them go too */
	assert_int_equal(sd_model_remove_slice(m, "rt1"), 0);
	assert_string_equal(merge(m, gen(1, 2, 2, 3), 0, &w), "F:f1:rm S:s3:rm");
	assert_int_equal(m->nfactories, 1);
	sd_model_free(m);
}

/* Random reloads: after each merge the engine's config objects equal the
 * file's, the runtime slice is still there, every lookup agrees with a
 * scan, what was reported removed is gone and what was reported otherwise
 * is present, and merging the same file again reports nothing. */
static void test_merge_random_reloads(void **st)
{
	struct sd_model *m = sd_model_new(), *d, *copy;
	struct seen w;
	char err[256];
	int round, i, k;
	struct sd_slice rt = runtime_slice("rt", 0, NULL, 0);
	unsigned seed = 12345;

	merge(m, gen(4, 3, 2, 5), 0, &w);
	assert_int_equal(sd_model_add_slice(m, &rt, err, sizeof err), 20);
	for (round = 0; round < 300; round++) {
		d = gen(4, 3, 2, 5);
		for (k = 0; k < 4; k++) {
			int r = (int)(rand_r(&seed) % 6), a = (int)(rand_r(&seed) % (unsigned)d->nslices);
			int b = (int)(rand_r(&seed) % (unsigned)d->nslices);
			struct sd_slice tmp;
			switch (r) {
			case 0:            /* a slice goes */
				if (d->nslices > 2) {
					free(d->slices[a].sites);
					d->slices[a] = d->slices[--d->nslices];
				}
				break;
			case 1:
				snprintf(d->slices[a].name, sizeof d->slices[a].name, "n%d", round);
				break;
			case 2:
				d->slices[a].snssai.sd = (uint32_t)(rand_r(&seed) % 3);
				d->slices[a].factory = (int)(rand_r(&seed) % 4);
				break;
			case 3:            /* the file's order changes */
				tmp = d->slices[a];
				d->slices[a] = d->slices[b];
				d->slices[b] = tmp;
				break;
			case 4:
				d->sites[rand_r(&seed) % (unsigned)d->nsites].factory =
					(int)(rand_r(&seed) % 4);
				break;
			case 5:
				d->ncells -= (int)(rand_r(&seed) % 3);
				break;
			}
		}
		copy = sd_model_copy_declared(d);
		merge(m, d, 0, &w);
		for (i = 0; i < w.n && i < 256; i++) {
			char topic = w.lines[i][0], *id = w.lines[i] + 2, *rm = strstr(id, ":rm");
			int at;
			if (rm)
				*rm = '\0';
			if (!*id)
				continue;
			at = topic == 'F' ? sd_model_factory_index(m, id) :
			     topic == 'S' ? sd_model_site_index(m, id) :
			     topic == 'C' ? sd_model_cell_index(m, id) : sd_model_slice_index(m, id);
			assert_true(rm ? at < 0 : at >= 0);
		}
		assert_int_equal(m->nslices, copy->nslices + 1);
		for (i = 0; i < copy->nslices; i++) {
			const struct sd_slice *a = &copy->slices[i];
			int j = sd_model_slice_index(m, a->id);
			assert_true(j >= 0);
			assert_string_equal(a->name, m->slices[j].name);
			assert_true(sd_snssai_equal(&a->snssai, &m->slices[j].snssai));
			assert_string_equal(copy->factories[a->factory].id,
					    m->factories[m->slices[j].factory].id);
		}
		for (i = 0; i < copy->nsites; i++)
			assert_string_equal(copy->factories[copy->sites[i].factory].id,
					    m->factories[m->sites[i].factory].id);
		assert_int_equal(m->ncells, copy->ncells);
		i = sd_model_slice_index(m, "rt");
		assert_true(i >= 0);
		assert_int_equal(m->slices[i].origin, SD_ORIGIN_RUNTIME);
		assert_string_equal(m->factories[m->slices[i].factory].id, "f0");
		check_lookups(m);
		assert_string_equal(merge(m, copy, 0, &w), "");
	}
	sd_model_free(m);
}

/* Run-time slices one by one into the scale zone: each add is cheap while
 * the array has room, and the tables stay right through growth and
 * removal. */
static void test_add_slices_at_scale(void **st)
{
	struct sd_model *m = gen(2000, 5, 30, 50);
	struct timespec t0;
	char err[256], id[SD_ID_MAX];
	const int *idx;
	int i, ns, nc, nl;
	struct sd_slice s = runtime_slice("x", 7, NULL, 0);
	double ms;

	assert_int_equal(sd_model_reindex(m), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < 2000; i++) {
		snprintf(s.id, sizeof s.id, "rt%d", i);
		s.snssai.sd = 0xe00000u + (uint32_t)(i % 10);
		if (sd_model_add_slice(m, &s, err, sizeof err) != 100000 + i)
			fail_msg("add %d: %s", i, err);
	}
	ms = ms_since(&t0);
	print_message("2000 run-time slices added to the 100000-slice zone: %.1f ms (%.3f ms each)\n",
		      ms, ms / 2000);
	for (i = 0; i < 2000; i += 97) {
		snprintf(id, sizeof id, "rt%d", i);
		assert_int_equal(sd_model_slice_index(m, id), 100000 + i);
	}
	s.snssai.sd = 0xe00003;
	assert_int_equal(sd_model_slices_by_snssai(m, &s.snssai, &idx), 200);
	assert_int_equal(idx[0], 100003);
	assert_int_equal(sd_model_factory_counts(m, 7, &ns, &nc, &nl), 0);
	assert_int_equal(nl, 2050);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(sd_model_remove_slice(m, "rt0"), 0);
	print_message("one removal: %.1f ms\n", ms_since(&t0));
	assert_int_equal(sd_model_slice_index(m, "rt1"), 100000);
	assert_int_equal(sd_model_slices_by_snssai(m, &s.snssai, &idx), 200);
	/* and adds after a removal still land in room the array has */
	snprintf(s.id, sizeof s.id, "late");
	assert_int_equal(sd_model_add_slice(m, &s, err, sizeof err), 101999);
	assert_int_equal(sd_model_slices_by_snssai(m, &s.snssai, &idx), 201);
	assert_int_equal(sd_model_slice_index(m, "late"), 101999);
	assert_int_equal(sd_model_slice_index(m, "sl99999"), 99999);
	sd_model_free(m);
}

/* The scale zone reloaded unchanged, and with one slice changed. */
static void test_merge_scale(void **st)
{
	struct sd_model *m = sd_model_new();
	struct seen w;
	struct timespec t0;
	double full, same, one;
	struct sd_model *d;

	d = gen(2000, 5, 30, 50);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(sd_model_merge_declared(m, d, NULL, NULL, NULL, 0), 0);
	full = ms_since(&t0);
	d = gen(2000, 5, 30, 50);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_string_equal(merge(m, d, 0, &w), "");
	same = ms_since(&t0);
	d = gen(2000, 5, 30, 50);
	d->slices[54321].sla.latency_us = 5000;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_string_equal(merge(m, d, 0, &w), "L:sl54321");
	one = ms_since(&t0);
	print_message("merge of the 100000-slice zone: %.1f ms into an empty model, %.1f ms "
		      "unchanged, %.1f ms with one slice changed\n", full, same, one);
	sd_model_free(m);
}

/* ---- runtime slices in the store ---- */

static char dir[64], dbpath[128];

static int mkdir_setup(void **st)
{
	strcpy(dir, "/tmp/sd-model-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(dbpath, sizeof dbpath, "%s/slicedeck.db", dir);
	return 0;
}

static int rmdir_teardown(void **st)
{
	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

struct opened {
	struct sd_store *st;
	struct sd_model_store *ms;
};

static struct opened open_store(void)
{
	struct opened o;
	char err[256] = "";
	o.st = sd_store_open(dbpath, err, sizeof err);
	if (!o.st)
		fail_msg("store: %s", err);
	o.ms = sd_model_store_open(o.st, sd_scenario_find, err, sizeof err);
	if (!o.ms)
		fail_msg("model store: %s", err);
	return o;
}

static void close_store(struct opened *o)
{
	sd_model_store_close(o->ms);
	sd_store_close(o->st);
}

/* Every persisted field, compared through the model (references by id). */
static void assert_same_slice(const struct sd_model *ma, const struct sd_slice *a,
			      const struct sd_model *mb, const struct sd_slice *b)
{
	int i;
	assert_string_equal(a->id, b->id);
	assert_string_equal(a->name, b->name);
	assert_int_equal(a->origin, b->origin);
	assert_string_equal(ma->factories[a->factory].id, mb->factories[b->factory].id);
	assert_true(sd_snssai_equal(&a->snssai, &b->snssai));
	assert_ptr_equal(a->scenario, b->scenario);
	assert_string_equal(a->dnn, b->dnn);
	assert_int_equal(a->state, b->state);
	assert_int_equal(a->nsites, b->nsites);
	for (i = 0; i < a->nsites; i++)
		assert_string_equal(ma->sites[a->sites[i]].id, mb->sites[b->sites[i]].id);
	assert_true(a->sla.gbr_ul_kbps == b->sla.gbr_ul_kbps);
	assert_true(a->sla.mbr_dl_kbps == b->sla.mbr_dl_kbps);
	assert_int_equal(a->sla.latency_us, b->sla.latency_us);
	assert_true(a->sla.latency_pct == b->sla.latency_pct);
	assert_true(a->sla.reliability_pct == b->sla.reliability_pct);
	assert_true(a->sla.availability_pct == b->sla.availability_pct);
	assert_int_equal(a->sla.max_ues, b->sla.max_ues);
	assert_int_equal(a->sla.fiveqi, b->sla.fiveqi);
}

static void test_store_round_trip(void **st)
{
	struct sd_model *m = sd_model_new(), *m2 = sd_model_new();
	struct opened o = open_store();
	struct seen w;
	char err[512];
	int two[] = { 3, 2 };
	struct sd_slice a = runtime_slice("rt-a", 1, two, 2), b = runtime_slice("rt-b", 0, NULL, 0);
	struct sd_slice c = runtime_slice("rt-c", 0, NULL, 0);
	int ia, ib;

	merge(m, small(), 0, &w);
	a.scenario = sd_scenario_at(0);
	assert_non_null(a.scenario);
	a.sla.gbr_ul_kbps = 20000;
	a.sla.mbr_dl_kbps = 123456789012ULL;
	a.sla.latency_us = 8000;
	a.sla.latency_pct = 99.9;
	a.sla.reliability_pct = 99.999;
	a.sla.availability_pct = 99.95;
	a.sla.max_ues = 40;
	a.sla.fiveqi = 82;
	sd_strlcpy(a.dnn, "crane.beilun", sizeof a.dnn);
	b.snssai.has_sd = false;
	b.origin = SD_ORIGIN_PLUGIN;
	assert_int_equal(sd_model_add_slice(m, &a, err, sizeof err), 6);
	assert_int_equal(sd_model_add_slice(m, &b, err, sizeof err), 7);
	assert_int_equal(sd_model_add_slice(m, &c, err, sizeof err), 8);
	assert_int_equal(sd_model_store_save_slice(o.ms, m, &m->slices[6]), 0);
	assert_int_equal(sd_model_store_save_slice(o.ms, m, &m->slices[7]), 0);
	assert_int_equal(sd_model_store_save_slice(o.ms, m, &m->slices[8]), 0);
	/* a config slice is not the store's business */
	assert_int_equal(sd_model_store_save_slice(o.ms, m, &m->slices[0]), -1);
	/* an update replaces the row; a deleted row is gone */
	m->slices[6].state = SD_SLICE_ACTIVE;
	assert_int_equal(sd_model_store_save_slice(o.ms, m, &m->slices[6]), 0);
	assert_int_equal(sd_model_store_delete_slice(o.ms, "rt-c"), 0);
	assert_int_equal(sd_model_remove_slice(m, "rt-c"), 0);
	close_store(&o);

	/* the engine starts again: the configuration's inventory, then the store */
	o = open_store();
	assert_int_equal(sd_store_version(o.st, "model"), 1);
	merge(m2, small(), 0, &w);
	assert_int_equal(sd_model_store_load(m2, o.ms, err, sizeof err), 0);
	assert_string_equal(err, "");
	assert_int_equal(m2->nslices, 8);
	ia = sd_model_slice_index(m2, "rt-a");
	ib = sd_model_slice_index(m2, "rt-b");
	assert_true(ia >= 0 && ib >= 0);
	assert_int_equal(sd_model_slice_index(m2, "rt-c"), -1);
	assert_same_slice(m, &m->slices[6], m2, &m2->slices[ia]);
	assert_same_slice(m, &m->slices[7], m2, &m2->slices[ib]);
	assert_int_equal(m2->slices[ia].state, SD_SLICE_ACTIVE);
	assert_int_equal(m2->slices[ia].live.ues, -1);
	{
		const int *idx;
		assert_int_equal(sd_model_factory_slices(m2, 1, &idx), 4);
	}
	close_store(&o);
	sd_model_free(m);
	sd_model_free(m2);
}

/* A stored slice the configuration now contradicts is refused by name and
 * kept in the store: a configuration that fits again gets it back. */
static void test_store_conflicts_refused(void **st)
{
	struct sd_model *m = sd_model_new(), *d;
	struct opened o = open_store();
	struct seen w;
	char err[512];
	int s3[] = { 3 };
	struct sd_slice a = runtime_slice("rt-a", 1, s3, 1), b = runtime_slice("rt-b", 0, NULL, 0);

	merge(m, small(), 0, &w);
	assert_int_equal(sd_model_add_slice(m, &a, err, sizeof err), 6);
	assert_int_equal(sd_model_add_slice(m, &b, err, sizeof err), 7);
	assert_int_equal(sd_model_store_save_slice(o.ms, m, &m->slices[6]), 0);
	assert_int_equal(sd_model_store_save_slice(o.ms, m, &m->slices[7]), 0);
	sd_model_free(m);
	close_store(&o);

	/* a new file declares rt-b itself, and has no factory f1 */
	o = open_store();
	m = sd_model_new();
	d = gen(1, 2, 2, 3);
	sd_strlcpy(d->slices[2].id, "rt-b", sizeof d->slices[2].id);
	merge(m, d, 0, &w);
	assert_int_equal(sd_model_store_load(m, o.ms, err, sizeof err), 2);
	assert_non_null(strstr(err, "2 stored slices not loaded"));
	assert_non_null(strstr(err, "slice rt-a: its factory f1 is not declared"));
	assert_non_null(strstr(err, "slice rt-b: the configuration declares slice rt-b too"));
	assert_int_equal(m->nslices, 3);
	assert_int_equal(m->slices[2].origin, SD_ORIGIN_CONFIG);
	sd_model_free(m);
	close_store(&o);

	/* the old file again: both come back */
	o = open_store();
	m = sd_model_new();
	merge(m, small(), 0, &w);
	assert_int_equal(sd_model_store_load(m, o.ms, err, sizeof err), 0);
	assert_int_equal(m->nslices, 8);
	assert_string_equal(m->sites[m->slices[sd_model_slice_index(m, "rt-a")].sites[0]].id, "s3");
	sd_model_free(m);
	close_store(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_tables),
		cmocka_unit_test(test_tas_total_from_inventory),
		cmocka_unit_test(test_slices_by_snssai),
		cmocka_unit_test(test_lookups_indexed_and_scanned),
		cmocka_unit_test(test_reindex_scale),
		cmocka_unit_test(test_add_slices_at_scale),
		cmocka_unit_test(test_merge_reports_only_changes),
		cmocka_unit_test(test_add_remove_slice),
		cmocka_unit_test(test_merge_keeps_runtime),
		cmocka_unit_test(test_merge_random_reloads),
		cmocka_unit_test(test_merge_scale),
		cmocka_unit_test_setup_teardown(test_store_round_trip, mkdir_setup, rmdir_teardown),
		cmocka_unit_test_setup_teardown(test_store_conflicts_refused, mkdir_setup,
						rmdir_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

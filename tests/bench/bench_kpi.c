/* tests/bench/bench_kpi.c — the KPI pipeline at pilot-zone scale, in
 * process (the collectors' output interface, no JSON decoding):
 *
 *   bench_kpi [--seconds N] [--slices S] [--cells C] [--db PATH|none]
 *
 * S slices (10000) and C cells (20000), five metrics each, one sample per
 * object and metric per simulated second, fed for N simulated seconds (60)
 * through sd_kpi_add, with everything the engine does per second: the KPI
 * tick (roll-up closing), one batched flush to SQLite, the SLA tick
 * (window evaluation, compliance counters, alarms on breach) and its
 * flush. The simulated clock starts 60 s before a 5-minute boundary, so a
 * 60 s run contains the heaviest second there is: every series closes its
 * 1-minute and 5-minute buckets, 300,000 rows go to the store and every
 * slice's SLA window is judged.
 *
 * Then a baseline loop generates the same samples and only appends them
 * to an array (reset each simulated second).
 *
 * CPU is getrusage user+sys. cpu_pct_at_150k_per_s is CPU seconds spent
 * per simulated second x 100: the share of one core the engine needs to
 * keep up with that sample rate. RSS is VmHWM (peak) from /proc/self/status
 * taken before the baseline runs. The rows still queued at the end are
 * flushed and counted. Exit 0 unless the bench itself failed.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/store.h"
#include "core/util.h"
#include "monitor/alarm.h"
#include "monitor/kpi.h"
#include "monitor/sla.h"

/* 2026-11-23T00:04:00Z: 60 s before a 5-minute boundary */
#define T0 (1795392000000LL + 240000)

static const enum sd_kpi_metric slice_metrics[5] = {
	SD_KPI_LATENCY, SD_KPI_DL_THROUGHPUT, SD_KPI_PACKET_LOSS,
	SD_KPI_AVAILABILITY, SD_KPI_UES,
};
static const enum sd_kpi_metric cell_metrics[5] = {
	SD_KPI_RSRP, SD_KPI_SINR, SD_KPI_PRB_USAGE, SD_KPI_UES, SD_KPI_DL_THROUGHPUT,
};

static double cpu_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static double wall_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long status_kb(const char *key)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long v = -1;
	size_t kl = strlen(key);
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, key, kl) == 0 && line[kl] == ':')
			v = strtol(line + kl + 1, NULL, 10);
	if (f)
		fclose(f);
	return v;
}

/* Cheap deterministic values: xorshift32 per call. */
static uint32_t rng = 2463534242u;
static inline uint32_t xr(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static inline double value(int is_cell, int m, int obj)
{
	double u = (xr() & 0xffff) / 65536.0;
	if (!is_cell) {
		switch (m) {
		case 0: return (obj % 100 == 0 ? 25 : 4) + 6 * u;   /* latency ms */
		case 1: return 20000 + 5000 * u;                     /* kbit/s */
		case 2: return 0.001 * u;                            /* loss % */
		case 3: return 100;                                  /* availability */
		default: return (obj % 40) + 1;                      /* UEs */
		}
	}
	switch (m) {
	case 0: return -70 - 40 * u;       /* RSRP */
	case 1: return -5 + 30 * u;        /* SINR */
	case 2: return 100 * u;            /* PRB % */
	case 3: return (obj % 60) + 1;
	default: return 50000 * u;
	}
}

struct sample {
	int32_t obj;
	uint8_t metric;
	int64_t t;
	double v;
};

static void on_sla(void *arg, const struct sd_sla_event *ev)
{
	sd_alarm_sla(arg, ev->slice, ev->factory, sd_sla_kpi_name(ev->kpi), ev->breach,
		     ev->observed, ev->target, sd_sla_kpi_unit(ev->kpi), T0);
}

int main(int argc, char **argv)
{
	int seconds = 60, nslices = 10000, ncells = 20000;
	const char *db = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
			seconds = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--slices") && i + 1 < argc)
			nslices = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--cells") && i + 1 < argc)
			ncells = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--db") && i + 1 < argc)
			db = argv[++i];
		else {
			fprintf(stderr, "usage: bench_kpi [--seconds N] [--slices S] "
				"[--cells C] [--db PATH|none]\n");
			return 2;
		}
	}
	if (seconds < 1 || nslices < 1 || ncells < 0) {
		fprintf(stderr, "bench_kpi: bad sizes\n");
		return 2;
	}
	sd_log_set_level(SD_LOG_ERR);    /* alarms would log each breach */
	char dir[64] = "", path[128];
	if (!db) {
		strcpy(dir, "/tmp/sd-bench-kpi-XXXXXX");
		if (!mkdtemp(dir)) {
			perror("bench_kpi: mkdtemp");
			return 1;
		}
		snprintf(path, sizeof path, "%s/kpi.db", dir);
		db = path;
	}
	char err[256] = "";
	struct sd_store *st = NULL;
	if (strcmp(db, "none") != 0 && !(st = sd_store_open(db, err, sizeof err))) {
		fprintf(stderr, "bench_kpi: %s\n", err);
		return 1;
	}
	struct sd_kpi *k = sd_kpi_new(NULL, st, err, sizeof err);
	struct sd_sla *sla = k ? sd_sla_new(NULL, k, st, err, sizeof err) : NULL;
	struct sd_alarms *am = sla ? sd_alarms_new(NULL, st, err, sizeof err) : NULL;
	if (!am) {
		fprintf(stderr, "bench_kpi: %s\n", err);
		return 1;
	}
	sd_sla_set_event_hook(sla, on_sla, am);
	int nobj = nslices + ncells;
	int *h = sd_malloc((size_t)nobj * sizeof *h);
	struct sd_sla_profile prof = {
		.gbr_dl_kbps = 10000, .latency_us = 20000, .latency_pct = 99,
		.reliability_pct = 99.99, .availability_pct = 99.9, .max_ues = 100,
		.fiveqi = 82,
	};
	char id[32];
	for (int i = 0; i < nslices; i++) {
		snprintf(id, sizeof id, "slice-%05d", i);
		snprintf(err, sizeof err, "f%d", i % 500);
		sd_sla_set_slice(sla, id, err, &prof);
		h[i] = sd_kpi_find(k, SD_KPI_SLICE, id);
	}
	for (int i = 0; i < ncells; i++) {
		snprintf(id, sizeof id, "cell-%05d", i);
		h[nslices + i] = sd_kpi_object(k, SD_KPI_CELL, id);
	}
	for (int i = 0; i < nobj; i++)
		if (h[i] < 0) {
			fprintf(stderr, "bench_kpi: object %d refused\n", i);
			return 1;
		}
	long per_s = (long)nobj * 5;

	/* the engine path */
	rng = 2463534242u;
	double c0 = cpu_s(), w0 = wall_s();
	double worst_s = 0, worst_tick = 0, worst_flush = 0, worst_sla = 0;
	for (int s = 0; s < seconds; s++) {
		double cs = cpu_s();
		int64_t t = T0 + s * 1000LL;
		for (int i = 0; i < nobj; i++) {
			int is_cell = i >= nslices;
			const enum sd_kpi_metric *ms = is_cell ? cell_metrics : slice_metrics;
			for (int m = 0; m < 5; m++)
				sd_kpi_add(k, h[i], ms[m], t + (i & 511), value(is_cell, m, i));
		}
		int64_t now = t + 1000;
		double p0 = cpu_s();
		sd_kpi_tick(k, now);
		double p1 = cpu_s();
		if (sd_kpi_flush(k) < 0) {
			fprintf(stderr, "bench_kpi: flush failed\n");
			return 1;
		}
		double p2 = cpu_s();
		sd_sla_tick(sla, now);
		if (sd_sla_flush(sla) < 0) {
			fprintf(stderr, "bench_kpi: SLA flush failed\n");
			return 1;
		}
		double p3 = cpu_s();
		if (p1 - p0 > worst_tick)
			worst_tick = p1 - p0;
		if (p2 - p1 > worst_flush)
			worst_flush = p2 - p1;
		if (p3 - p2 > worst_sla)
			worst_sla = p3 - p2;
		double d = cpu_s() - cs;
		if (d > worst_s)
			worst_s = d;
	}
	/* what the last seconds queued is written too (counted) */
	if (sd_kpi_flush_all(k) < 0) {
		fprintf(stderr, "bench_kpi: flush failed\n");
		return 1;
	}
	double kcpu = cpu_s() - c0, kwall = wall_s() - w0;
	long hwm_kb = status_kb("VmHWM");
	struct sd_kpi_stats ks;
	sd_kpi_get_stats(k, &ks);

	/* the baseline: the same samples into an array */
	struct sample *arr = sd_malloc((size_t)per_s * sizeof *arr);
	rng = 2463534242u;
	volatile double sink = 0;
	double b0 = cpu_s(), bw0 = wall_s();
	for (int s = 0; s < seconds; s++) {
		int64_t t = T0 + s * 1000LL;
		size_t n = 0;
		for (int i = 0; i < nobj; i++) {
			int is_cell = i >= nslices;
			const enum sd_kpi_metric *ms = is_cell ? cell_metrics : slice_metrics;
			for (int m = 0; m < 5; m++) {
				arr[n].obj = h[i];
				arr[n].metric = (uint8_t)ms[m];
				arr[n].t = t + (i & 511);
				arr[n].v = value(is_cell, m, i);
				n++;
			}
		}
		sink += arr[n - 1].v;
	}
	double bcpu = cpu_s() - b0, bwall = wall_s() - bw0;
	(void)sink;

	double total = (double)per_s * seconds;
	double pct = 100.0 * kcpu / seconds;
	double rss_mb = hwm_kb / 1024.0;
	printf("kpi.setup  %d slices + %d cells, 5 metrics each, %ld samples per "
	       "simulated second, %d s simulated, store %s\n",
	       nslices, ncells, per_s, seconds, st ? db : "none");
	printf("kpi.ingest.samples_per_s  %.0f\n", total / kwall);
	printf("kpi.ingest.cpu_ns_per_sample  %.1f\n", kcpu * 1e9 / total);
	printf("kpi.cpu_pct_at_%ldk_per_s  %.1f (target < 25: %s)\n", per_s / 1000, pct,
	       pct < 25 ? "met" : "NOT met");
	printf("kpi.worst_second_cpu_s  %.3f (the second with the minute, 5-minute "
	       "and SLA-window closes)\n", worst_s);
	printf("kpi.worst.tick_s  %.3f  flush_s  %.3f  sla_s  %.3f\n", worst_tick,
	       worst_flush, worst_sla);
	printf("kpi.rss_mb  %.1f (target < 256: %s)\n", rss_mb, rss_mb < 256 ? "met" : "NOT met");
	printf("kpi.heap_mb  %.1f (KPI store's own estimate)\n", ks.bytes / 1048576.0);
	printf("kpi.rows_written  %llu (dropped %llu)\n", (unsigned long long)ks.rows_written,
	       (unsigned long long)ks.rows_dropped);
	printf("kpi.alarms_active  %d\n", sd_alarms_active_count(am));
	printf("kpi.baseline.samples_per_s  %.0f\n", total / bwall);
	printf("kpi.baseline.cpu_pct_at_%ldk_per_s  %.2f\n", per_s / 1000,
	       100.0 * bcpu / seconds);
	printf("kpi.ratio.vs_append  %.1f\n", bcpu > 0 ? kcpu / bcpu : 0);
	sd_free(arr);
	sd_free(h);
	sd_alarms_free(am);
	sd_sla_free(sla);
	sd_kpi_free(k);
	sd_store_close(st);
	if (dir[0]) {
		char f[200];
		const char *sfx[] = { "", "-wal", "-shm" };
		for (int i = 0; i < 3; i++) {
			snprintf(f, sizeof f, "%s%s", path, sfx[i]);
			unlink(f);
		}
		rmdir(dir);
	}
	return 0;
}

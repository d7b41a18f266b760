/* monitor/sketch.h — a mergeable quantile sketch with a relative error
 * bound (the DDSketch idea: logarithmic buckets).
 *
 * A positive value v falls in bucket i = ceil(log(v) / log(gamma)) with
 * gamma = (1 + a) / (1 - a), a = SD_SKETCH_ALPHA. A quantile is answered
 * with the bucket's representative 2 gamma^i / (gamma + 1), so for any
 * q the answer x' and the exact q-quantile x of the values added (the
 * value of rank floor(q * (n - 1)) in sorted order) satisfy
 *
 *     |x' - x| <= a * x            (a = 1 %)
 *
 * as long as x >= SD_SKETCH_MIN (smaller values, zero and negatives are
 * counted in a zero bucket answered as 0) and no collapse happened. Memory
 * is bounded: at most SD_SKETCH_MAX_BUCKETS counters (about 8 KiB), which
 * at 1 % spans 1e-3 .. 1e15 — for latency in milliseconds no collapse ever
 * happens. Beyond that the lowest buckets are merged into one (the upper
 * quantiles, the ones an SLA uses, keep the bound).
 *
 * Buckets are allocated for the span of values seen only, so a window of
 * latencies between 2 and 40 ms costs about 150 counters.
 *
 * Two sketches merge exactly (bucket counts add), so a 5-minute sketch is
 * the merge of five 1-minute ones with the same error bound.
 */
#ifndef SD_SKETCH_H
#define SD_SKETCH_H

#include <stddef.h>
#include <stdint.h>

#define SD_SKETCH_ALPHA        0.01
#define SD_SKETCH_MIN          1e-3
#define SD_SKETCH_MAX_BUCKETS  2048

struct sd_sketch {
	uint32_t *counts;   /* counts[k] is bucket offset + k */
	int32_t offset;
	uint32_t len;       /* buckets in use (span) */
	uint32_t cap;       /* allocated */
	uint64_t zero;      /* values < SD_SKETCH_MIN */
	uint64_t n;
	uint32_t collapsed; /* buckets merged away at the low end */
	double min, max, sum;
};

void sd_sketch_init(struct sd_sketch *s);
void sd_sketch_done(struct sd_sketch *s);
/* Back to empty; keeps the allocation. */
void sd_sketch_reset(struct sd_sketch *s);
void sd_sketch_add(struct sd_sketch *s, double v);
/* dst += src. */
void sd_sketch_merge(struct sd_sketch *dst, const struct sd_sketch *src);
/* The q-quantile, q in [0, 1]; NaN when empty. q = 0 and 1 return the
 * exact min and max. */
double sd_sketch_quantile(const struct sd_sketch *s, double q);
/* Bytes a sketch holds on the heap (for accounting). */
size_t sd_sketch_heap_bytes(const struct sd_sketch *s);

/* A compact portable encoding for storage (little-endian, versioned).
 * encode returns a new buffer and its size; decode checks every field
 * (a damaged blob is refused: -1) and replaces *s. */
uint8_t *sd_sketch_encode(const struct sd_sketch *s, size_t *n);
int sd_sketch_decode(struct sd_sketch *s, const uint8_t *p, size_t n);

#endif

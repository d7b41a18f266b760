/* monitor/sketch.c — see sketch.h. */
#include "monitor/sketch.h"

#include <math.h>
#include <string.h>

#include "core/util.h"

/* ln(gamma), computed once: gamma = (1 + a) / (1 - a). */
static double ln_gamma(void)
{
	static double g;
	if (g == 0)
		g = log((1.0 + SD_SKETCH_ALPHA) / (1.0 - SD_SKETCH_ALPHA));
	return g;
}

static int32_t bucket_of(double v)
{
	return (int32_t)ceil(log(v) / ln_gamma());
}

static double bucket_value(int32_t i)
{
	double gamma = exp(ln_gamma());
	return 2.0 * exp(i * ln_gamma()) / (gamma + 1.0);
}

void sd_sketch_init(struct sd_sketch *s)
{
	memset(s, 0, sizeof *s);
}

void sd_sketch_done(struct sd_sketch *s)
{
	sd_free(s->counts);
	memset(s, 0, sizeof *s);
}

void sd_sketch_reset(struct sd_sketch *s)
{
	if (s->counts)
		memset(s->counts, 0, s->cap * sizeof *s->counts);
	s->offset = 0;
	s->len = 0;
	s->zero = 0;
	s->n = 0;
	s->collapsed = 0;
	s->min = s->max = s->sum = 0;
}

/* Make bucket index i addressable: grow the span downwards or upwards,
 * collapsing the lowest buckets when the span would exceed the maximum.
 * Returns the slot for i. */
static uint32_t *slot(struct sd_sketch *s, int32_t i)
{
	if (s->len == 0) {
		if (s->cap < 16) {
			s->cap = 16;
			s->counts = sd_reallocarray(s->counts, s->cap, sizeof *s->counts);
		}
		memset(s->counts, 0, s->cap * sizeof *s->counts);
		s->offset = i - 4;      /* a little room below */
		s->len = 8;
		return &s->counts[4];
	}
	int64_t lo = s->offset, hi = (int64_t)s->offset + s->len - 1;
	if (i >= lo && i <= hi)
		return &s->counts[i - lo];
	int64_t nlo = i < lo ? i : lo, nhi = i > hi ? i : hi;
	if (nhi - nlo + 1 > SD_SKETCH_MAX_BUCKETS) {
		/* collapse: keep the top MAX buckets; everything below
		 * goes into the lowest kept bucket */
		int64_t keep_lo = nhi - SD_SKETCH_MAX_BUCKETS + 1;
		if (i < keep_lo) {
			/* a value below the kept span counts in its lowest bucket */
			if (keep_lo > hi) /* cannot happen: i < lo <= hi */
				keep_lo = hi;
			s->collapsed++;
			return &s->counts[keep_lo - lo];
		}
		/* i is above: drop buckets below keep_lo */
		uint64_t folded = 0;
		int64_t k;
		for (k = lo; k < keep_lo && k <= hi; k++)
			folded += s->counts[k - lo];
		int64_t shift = keep_lo - lo;
		if (shift < (int64_t)s->len) {
			memmove(s->counts, s->counts + shift,
				(s->len - shift) * sizeof *s->counts);
			s->len -= (uint32_t)shift;
		} else {
			s->len = 1;
			s->counts[0] = 0;
		}
		memset(s->counts + s->len, 0, (s->cap - s->len) * sizeof *s->counts);
		s->offset = (int32_t)keep_lo;
		s->counts[0] += (uint32_t)(folded > UINT32_MAX ? UINT32_MAX : folded);
		s->collapsed++;
		lo = keep_lo;
		nlo = keep_lo;
	}
	uint32_t need = (uint32_t)(nhi - nlo + 1);
	/* grow with some slack in the direction of growth */
	uint32_t slack = need / 4 + 4;
	if (need + slack > SD_SKETCH_MAX_BUCKETS)
		slack = SD_SKETCH_MAX_BUCKETS - need;
	int64_t base = nlo;
	if (i < lo) {
		base = nlo - slack;
		if (nhi - base + 1 > SD_SKETCH_MAX_BUCKETS)
			base = nhi - SD_SKETCH_MAX_BUCKETS + 1;
	}
	uint32_t newlen = (uint32_t)(nhi - base + 1);
	if (i > hi && newlen + slack <= SD_SKETCH_MAX_BUCKETS)
		newlen += slack;
	if (newlen > s->cap) {
		uint32_t ncap = s->cap * 2 > newlen ? s->cap * 2 : newlen;
		if (ncap > SD_SKETCH_MAX_BUCKETS)
			ncap = SD_SKETCH_MAX_BUCKETS;
		s->counts = sd_reallocarray(s->counts, ncap, sizeof *s->counts);
		memset(s->counts + s->cap, 0, (ncap - s->cap) * sizeof *s->counts);
		s->cap = ncap;
	}
	if (base < lo) {
		uint32_t d = (uint32_t)(lo - base);
		memmove(s->counts + d, s->counts, s->len * sizeof *s->counts);
		memset(s->counts, 0, d * sizeof *s->counts);
	}
	s->offset = (int32_t)base;
	s->len = newlen;
	return &s->counts[i - base];
}

static void add_count(struct sd_sketch *s, int32_t i, uint64_t c)
{
	uint32_t *p = slot(s, i);
	uint64_t v = (uint64_t)*p + c;
	*p = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

void sd_sketch_add(struct sd_sketch *s, double v)
{
	if (isnan(v))
		return;
	if (s->n == 0 || v < s->min)
		s->min = v;
	if (s->n == 0 || v > s->max)
		s->max = v;
	s->n++;
	s->sum += v;
	if (v < SD_SKETCH_MIN) {
		s->zero++;
		return;
	}
	add_count(s, bucket_of(v), 1);
}

void sd_sketch_merge(struct sd_sketch *dst, const struct sd_sketch *src)
{
	if (src->n == 0)
		return;
	if (dst->n == 0 || src->min < dst->min)
		dst->min = src->min;
	if (dst->n == 0 || src->max > dst->max)
		dst->max = src->max;
	dst->n += src->n;
	dst->sum += src->sum;
	dst->zero += src->zero;
	dst->collapsed += src->collapsed;
	/* highest first, so a collapse (if any) folds the low end */
	for (int64_t k = (int64_t)src->len - 1; k >= 0; k--)
		if (src->counts[k])
			add_count(dst, src->offset + (int32_t)k, src->counts[k]);
}

double sd_sketch_quantile(const struct sd_sketch *s, double q)
{
	if (s->n == 0 || isnan(q))
		return NAN;
	if (q <= 0)
		return s->min;
	if (q >= 1)
		return s->max;
	double rank = floor(q * (double)(s->n - 1));
	uint64_t cum = s->zero;
	if ((double)cum > rank)
		return s->min < 0 ? s->min : 0.0;
	for (uint32_t k = 0; k < s->len; k++) {
		cum += s->counts[k];
		if ((double)cum > rank) {
			double v = bucket_value(s->offset + (int32_t)k);
			/* never outside what was seen */
			if (v < s->min)
				v = s->min;
			if (v > s->max)
				v = s->max;
			return v;
		}
	}
	return s->max;
}

size_t sd_sketch_heap_bytes(const struct sd_sketch *s)
{
	return (size_t)s->cap * sizeof *s->counts;
}

/* --- encoding: "SK1" version byte, then fixed fields, then counts ------ */

#define ENC_HDR (4 + 8 + 4 + 4 + 4 + 8 + 8 + 8 + 8)

static void put_u32(uint8_t **p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		*(*p)++ = (uint8_t)(v >> (8 * i));
}

static void put_u64(uint8_t **p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		*(*p)++ = (uint8_t)(v >> (8 * i));
}

static void put_f64(uint8_t **p, double d)
{
	uint64_t v;
	memcpy(&v, &d, 8);
	put_u64(p, v);
}

static uint32_t get_u32(const uint8_t **p)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++)
		v |= (uint32_t)*(*p)++ << (8 * i);
	return v;
}

static uint64_t get_u64(const uint8_t **p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)*(*p)++ << (8 * i);
	return v;
}

static double get_f64(const uint8_t **p)
{
	uint64_t v = get_u64(p);
	double d;
	memcpy(&d, &v, 8);
	return d;
}

uint8_t *sd_sketch_encode(const struct sd_sketch *s, size_t *n)
{
	/* trim zero buckets at both ends of the span */
	uint32_t a = 0, b = s->len;
	while (a < b && s->counts[a] == 0)
		a++;
	while (b > a && s->counts[b - 1] == 0)
		b--;
	*n = ENC_HDR + (size_t)(b - a) * 4;
	uint8_t *buf = sd_malloc(*n), *p = buf;
	memcpy(p, "SK1", 4);
	p += 4;
	put_u64(&p, s->n);
	put_u32(&p, (uint32_t)(s->offset + (int32_t)a));
	put_u32(&p, b - a);
	put_u32(&p, s->collapsed);
	put_u64(&p, s->zero);
	put_f64(&p, s->min);
	put_f64(&p, s->max);
	put_f64(&p, s->sum);
	for (uint32_t k = a; k < b; k++)
		put_u32(&p, s->counts[k]);
	return buf;
}

int sd_sketch_decode(struct sd_sketch *s, const uint8_t *p, size_t n)
{
	if (n < ENC_HDR || memcmp(p, "SK1", 4) != 0)
		return -1;
	p += 4;
	uint64_t cnt = get_u64(&p);
	int32_t off = (int32_t)get_u32(&p);
	uint32_t len = get_u32(&p);
	uint32_t collapsed = get_u32(&p);
	uint64_t zero = get_u64(&p);
	double mn = get_f64(&p), mx = get_f64(&p), sum = get_f64(&p);
	if (len > SD_SKETCH_MAX_BUCKETS || n != ENC_HDR + (size_t)len * 4 ||
	    zero > cnt)
		return -1;
	uint64_t total = zero;
	const uint8_t *c = p;
	for (uint32_t k = 0; k < len; k++)
		total += get_u32(&c);
	if (total != cnt && collapsed == 0)
		return -1;
	sd_sketch_reset(s);
	s->n = cnt;
	s->zero = zero;
	s->collapsed = collapsed;
	s->min = mn;
	s->max = mx;
	s->sum = sum;
	if (len) {
		if (s->cap < len) {
			s->counts = sd_reallocarray(s->counts, len, sizeof *s->counts);
			s->cap = len;
		}
		memset(s->counts, 0, s->cap * sizeof *s->counts);
		for (uint32_t k = 0; k < len; k++)
			s->counts[k] = get_u32(&p);
		s->offset = off;
		s->len = len;
	}
	return 0;
}

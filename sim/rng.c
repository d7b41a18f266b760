/* sim/rng.c — see rng.h. */
#include "sim/rng.h"

#include <math.h>
#include <stdio.h>

void sd_sim_rng_seed(struct sd_sim_rng *r, uint64_t seed)
{
	r->state = seed ^ 0x5d1cedec0ffeeULL;
}

uint64_t sd_sim_mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t sd_sim_rng_next(struct sd_sim_rng *r)
{
	r->state += 0x9e3779b97f4a7c15ULL;
	return sd_sim_mix(r->state);
}

double sd_sim_rng_unit(struct sd_sim_rng *r)
{
	return sd_sim_hash_unit(sd_sim_rng_next(r));
}

double sd_sim_rng_normal(struct sd_sim_rng *r)
{
	uint64_t a = sd_sim_rng_next(r);
	return sd_sim_hash_normal(a);
}

uint64_t sd_sim_hash(uint64_t seed, uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t h = sd_sim_mix(seed + 0x9e3779b97f4a7c15ULL);
	h = sd_sim_mix(h ^ (a + 0x632be59bd9b4e019ULL));
	h = sd_sim_mix(h ^ (b + 0x8cb92ba72f3d8dd7ULL));
	return sd_sim_mix(h ^ (c + 0xd1b54a32d192ed03ULL));
}

uint64_t sd_sim_hash_str(uint64_t seed, const char *s)
{
	uint64_t h = 1469598103934665603ULL;   /* FNV-1a, then mixed */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return sd_sim_hash(seed, h, 0, 0);
}

double sd_sim_hash_unit(uint64_t h)
{
	return (double)(h >> 11) * (1.0 / 9007199254740992.0);
}

/* Box-Muller from the two 32-bit halves of one hash. */
double sd_sim_hash_normal(uint64_t h)
{
	double u1 = ((double)(h >> 32) + 1.0) / 4294967297.0;   /* (0,1] */
	double u2 = (double)(h & 0xffffffffu) / 4294967296.0;
	return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

void sd_sim_uuid(uint64_t seed, const char *name, char *buf, size_t bufsz)
{
	uint64_t hi = sd_sim_hash_str(seed, name);
	uint64_t lo = sd_sim_mix(hi ^ 0xa5a5a5a5a5a5a5a5ULL);
	snprintf(buf, bufsz, "%08x-%04x-4%03x-%04x-%012llx",
		 (unsigned)(hi >> 32), (unsigned)((hi >> 16) & 0xffff),
		 (unsigned)(hi & 0xfff),
		 (unsigned)(0x8000 | ((lo >> 48) & 0x3fff)),
		 (unsigned long long)(lo & 0xffffffffffffULL));
}

/* sim/rng.h — the simulator's deterministic randomness.
 *
 * Everything random in slicedeck-sim comes from the --seed through these
 * functions, never from rand() or the clock. Two flavours:
 *
 *   a stream    struct sd_sim_rng: splitmix64, for draws whose order is
 *               fixed by the caller (fault probabilities, flood timing);
 *   a hash      sd_sim_hash(seed, a, b, c): a pure function of its inputs,
 *               for the model, so a KPI at (slice, time) is the same no
 *               matter who asked first or how often.
 */
#ifndef SD_SIM_RNG_H
#define SD_SIM_RNG_H

#include <stddef.h>
#include <stdint.h>

struct sd_sim_rng {
	uint64_t state;
};

void     sd_sim_rng_seed(struct sd_sim_rng *r, uint64_t seed);
uint64_t sd_sim_rng_next(struct sd_sim_rng *r);
/* Uniform in [0, 1). */
double   sd_sim_rng_unit(struct sd_sim_rng *r);
/* Standard normal (Box-Muller; one value per call). */
double   sd_sim_rng_normal(struct sd_sim_rng *r);

/* splitmix64's finaliser: a good 64-bit mixer. */
uint64_t sd_sim_mix(uint64_t x);
/* Hash of a seed and three integers; use sd_sim_hash_str for names. */
uint64_t sd_sim_hash(uint64_t seed, uint64_t a, uint64_t b, uint64_t c);
uint64_t sd_sim_hash_str(uint64_t seed, const char *s);
/* The hash mapped to [0, 1) and to a standard normal. */
double   sd_sim_hash_unit(uint64_t h);
double   sd_sim_hash_normal(uint64_t h);

/* A version-4-shaped UUID derived from the seed and a name: stable across
 * runs with the same seed, different between seeds. buf >= 37. */
void sd_sim_uuid(uint64_t seed, const char *name, char *buf, size_t bufsz);

#endif

/* rng.h - the one random generator of Vortex: xoshiro256** (Blackman and
 * Vigna) seeded through splitmix64.  The tensor library (rng.c) and the
 * VM's scalar builtins (rand, randint, shuffle, rand_normal) both draw from
 * it.  This header stands alone (no tensor types), so that code which
 * cannot include tensor.h, such as the VM's builtins, can use it. */
#ifndef VX_RNG_H
#define VX_RNG_H

#include <stdint.h>

typedef struct VxRng { uint64_t s[4]; } VxRng;
void vx_rng_seed(VxRng *r, uint64_t seed);
uint64_t vx_rng_next(VxRng *r);
double vx_rng_uniform(VxRng *r);             /* [0, 1), 53 random bits */
double vx_rng_normal(VxRng *r);              /* N(0, 1), Box-Muller */

#endif

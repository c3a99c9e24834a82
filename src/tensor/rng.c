/* rng.c - the documented random generator behind vx_rand/vx_randn/
 * vx_randint: xoshiro256** (Blackman and Vigna), its state seeded by four
 * outputs of splitmix64 from the user's seed; uniforms take the top 53
 * bits; normals use the Box-Muller transform (one normal per two
 * uniforms, the second is not cached, so element i depends on draws 2i
 * and 2i+1 only). */
#include <math.h>

#include "tensor.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void vx_rng_seed(VxRng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t vx_rng_next(VxRng *r)
{
    uint64_t *s = r->s, out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

double vx_rng_uniform(VxRng *r) { return (double)(vx_rng_next(r) >> 11) * 0x1.0p-53; }

double vx_rng_normal(VxRng *r)
{
    double u1 = ((double)(vx_rng_next(r) >> 11) + 1.0) * 0x1.0p-53;   /* (0, 1]: log is finite */
    double u2 = vx_rng_uniform(r);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

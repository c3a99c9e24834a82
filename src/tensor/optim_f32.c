/* optim_f32.c - the SGD / Adam / AdamW update of contiguous f32 tensors,
 * vectorised, bit-identical to optim.c's element-generic path (which
 * computes in f64 and rounds to f32 after each of torch's operations):
 *  - a product, quotient, sum or square root of floats rounded once to
 *    f32 equals the f64 result rounded to f32 (f64's 53 bits are at least
 *    2 * 24 + 2, so the double rounding is innocuous), so those are plain
 *    float operations;
 *  - the fused multiply-adds are not: FMA below computes them as the
 *    generic path does, in f64 (the product of two floats is exact there,
 *    so a*b + c is fma(a, b, c)) and then rounds to f32.
 * Each chunk of CHUNK elements runs one loop per stage of torch's update,
 * so that each loop is branch-free and vectorises; tests/unit/test_optim_f32.c
 * compares both paths over millions of random elements. */
#include <math.h>

#include "optim_internal.h"

#include "vectorise.h"                      /* with -fno-math-errno from the Makefile: sqrtf vectorises */

enum { CHUNK = 512 };

#define FMA(a, b, c) ((float)((double)(a) * (double)(b) + (double)(c)))

static void sgd_chunk(const VxOptimCoef *c, float *p, const float *g, float *m, int n)
{
    float d[CHUNK], wd = (float)c->wd_r, mom = (float)c->mom_r, damp1 = (float)c->damp1_r, neg_lr = (float)c->neg_lr_r;
    for (int i = 0; i < n; i++) d[i] = g[i];
    if (c->wd)
        for (int i = 0; i < n; i++) d[i] = FMA(wd, p[i], d[i]);        /* d_p.add(param, alpha=wd) */
    if (c->momentum) {
        if (c->first)
            for (int i = 0; i < n; i++) m[i] = d[i];
        else
            for (int i = 0; i < n; i++) m[i] = FMA(damp1, d[i], m[i] * mom);
        if (c->nesterov)
            for (int i = 0; i < n; i++) d[i] = FMA(mom, m[i], d[i]);
        else
            for (int i = 0; i < n; i++) d[i] = m[i];
    }
    for (int i = 0; i < n; i++) p[i] = FMA(neg_lr, d[i], p[i]);        /* param.add_(d_p, alpha=-lr) */
}

static void adam_chunk(const VxOptimCoef *c, float *p, const float *g, float *const b[3], int n)
{
    float d[CHUNK], wd = (float)c->wd_r, decay = (float)c->decay_r, b1 = (float)c->b1_r, omb1 = (float)c->omb1_r;
    float b2 = (float)c->b2_r, omb2 = (float)c->omb2_r, bc2s = (float)c->bc2s_r, eps = (float)c->eps_r;
    float neg_step = (float)c->neg_step_r, *m = b[0], *v = b[1], *vmax = b[2];
    for (int i = 0; i < n; i++) d[i] = g[i];
    if (c->kind == VX_OPTIM_ADAMW)
        for (int i = 0; i < n; i++) p[i] = p[i] * decay;
    else if (c->wd)
        for (int i = 0; i < n; i++) d[i] = FMA(wd, p[i], d[i]);
    for (int i = 0; i < n; i++) m[i] = FMA(omb1, d[i], m[i] * b1);           /* exp_avg.mul_(b1).add_(g, alpha=1-b1) */
    for (int i = 0; i < n; i++) v[i] = FMA(omb2 * d[i], d[i], v[i] * b2);    /* .mul_(b2).addcmul_(g, g, value=1-b2) */
    if (c->amsgrad) {
        for (int i = 0; i < n; i++)
            vmax[i] = isnan(vmax[i]) | isnan(v[i]) ? NAN : vmax[i] > v[i] ? vmax[i] : v[i];
        v = vmax;
    }
    for (int i = 0; i < n; i++) p[i] = p[i] + neg_step * m[i] / (sqrtf(v[i]) / bc2s + eps);  /* addcdiv_ */
}

void vx__optim_f32(const VxOptimCoef *c, float *p, const float *g, float *const b[3], int64_t n)
{
    for (int64_t i = 0; i < n; i += CHUNK) {
        int k = n - i < CHUNK ? (int)(n - i) : CHUNK;
        if (c->kind == VX_OPTIM_SGD) sgd_chunk(c, p + i, g + i, b[0] ? b[0] + i : NULL, k);
        else adam_chunk(c, p + i, g + i, (float *const[3]){ b[0] + i, b[1] + i, b[2] ? b[2] + i : NULL }, k);
    }
}

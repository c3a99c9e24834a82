/* test_optim_f32.c - the f32 contiguous fast path of SGD / Adam / AdamW
 * (src/tensor/optim_f32.c) against the element-generic path (optim.c),
 * which a transposed parameter takes: the same values, gradients and
 * state, two steps (the first initialises SGD's momentum), every
 * parameter and state element bit-identical (NaN where NaN), over 2 M
 * random floats of every kind: zeros, denormals, tiny, ordinary, huge,
 * infinities. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "unit.h"
#include "../../src/tensor/tensor_optim.h"

enum { ROWS = 1024, COLS = 2048, N = ROWS * COLS };

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint32_t next32(void)
{
    rng_state ^= rng_state << 13; rng_state ^= rng_state >> 7; rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 32);
}

/* A float of a random kind: its exponent field picked by class. */
static float random_float(void)
{
    uint32_t r = next32(), mant = next32() & 0x7fffffu, sign = r & 0x80000000u, cls = r % 100, e;
    if (cls < 3) e = 0, mant = 0;                      /* +-0 */
    else if (cls < 13) e = 0;                          /* denormal */
    else if (cls < 18) e = 1 + r / 128 % 30;           /* tiny normal */
    else if (cls < 28) e = 200 + r / 128 % 54;         /* huge */
    else if (cls < 29) e = 255, mant = 0;              /* +-inf */
    else e = 100 + r / 128 % 35;                       /* ordinary: 2^-27 .. 2^7 */
    uint32_t bits = sign | e << 23 | mant;
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

static void fill(float *x, int64_t n) { for (int64_t i = 0; i < n; i++) x[i] = random_float(); }

/* A leaf [ROWS, COLS] parameter with values v: contiguous, or a transposed
 * view of a [COLS, ROWS] tensor (which the generic path handles). */
static VxTensor *make_param(const float *v, bool transposed)
{
    VxTensor *t;
    if (!transposed) t = vx_tensor_from_data(v, (int64_t[]){ ROWS, COLS }, 2, VX_F32);
    else {
        float *tv = malloc(sizeof *tv * N);
        for (int r = 0; r < ROWS; r++)
            for (int c = 0; c < COLS; c++) tv[(int64_t)c * ROWS + r] = v[(int64_t)r * COLS + c];
        VxTensor *base = vx_tensor_from_data(tv, (int64_t[]){ COLS, ROWS }, 2, VX_F32), *view = vx_transpose(base, 0, 1);
        t = vx_detach(view);
        vx_tensor_release(view); vx_tensor_release(base);
        free(tv);
    }
    vx_tensor_set_requires_grad(t, true);
    return t;
}

static void set_grad(VxTensor *p, const float *g)
{
    vx_tensor_release(p->grad);
    p->grad = vx_tensor_from_data(g, (int64_t[]){ ROWS, COLS }, 2, VX_F32);
}

static bool same(float a, float b) { return isnan(a) ? isnan(b) : memcmp(&a, &b, sizeof a) == 0; }

/* Element (r, c) of a [ROWS, COLS] tensor of either layout. */
static float at(const VxTensor *t, int64_t i)
{
    int64_t r = i / COLS, c = i % COLS;
    return ((const float *)vx_tensor_data(t))[r * t->strides[0] + c * t->strides[1]];
}

/* The first element where a and b differ, or -1. */
static int64_t first_diff(const VxTensor *a, const VxTensor *b)
{
    for (int64_t i = 0; i < N; i++)
        if (!same(at(a, i), at(b, i))) return i;
    return -1;
}

static VxOptim *make(int which, VxTensor *p)
{
    switch (which) {
    case 0: return vx_optim_sgd(&p, 1, 0.1, 0.9, 0, true, 0.01);
    case 1: return vx_optim_sgd(&p, 1, 0.05, 0.8, 0.25, false, 0);
    case 2: return vx_optim_sgd(&p, 1, 0.3, 0, 0, false, 0.001);
    case 3: return vx_optim_adam(&p, 1, 0.01, 0.9, 0.999, 1e-8, 0.05, false);
    case 4: return vx_optim_adamw(&p, 1, 0.003, 0.9, 0.95, 1e-6, 0.1, true);
    default: return vx_optim_adamw(&p, 1, 0.02, 0.85, 0.99, 1e-8, 0, false);
    }
}

static const char *const state_keys[] = { "momentum_buffer", "exp_avg", "exp_avg_sq", "max_exp_avg_sq" };

/* Overwrite every state buffer of both optimizers with the same random values. */
static void scramble_state(VxOptim *const o[2], float *tmp)
{
    for (int k = 0; k < 4; k++) {
        VxTensor *s0 = vx_optim_state(o[0], 0, state_keys[k]), *s1 = vx_optim_state(o[1], 0, state_keys[k]);
        if (s0 && s1) {
            fill(tmp, N);
            memcpy(vx_tensor_data(s0), tmp, sizeof *tmp * N);
            memcpy(vx_tensor_data(s1), tmp, sizeof *tmp * N);
        }
        vx_tensor_release(s0); vx_tensor_release(s1);
    }
}

/* Whether parameter and state agree; prints the first difference. */
static bool agree(VxOptim *const o[2], VxTensor *const p[2], int which)
{
    int64_t i = first_diff(p[0], p[1]);
    if (i >= 0) printf("  optimizer %d: param[%lld] fast %a, generic %a\n", which, (long long)i, at(p[0], i), at(p[1], i));
    for (int k = 0; k < 4 && i < 0; k++) {
        VxTensor *s0 = vx_optim_state(o[0], 0, state_keys[k]), *s1 = vx_optim_state(o[1], 0, state_keys[k]);
        if (s0 && s1 && (i = first_diff(s0, s1)) >= 0)
            printf("  optimizer %d: %s[%lld] fast %a, generic %a\n", which, state_keys[k], (long long)i, at(s0, i), at(s1, i));
        vx_tensor_release(s0); vx_tensor_release(s1);
    }
    return i < 0;
}

TEST(optim_f32_fast_path_matches_generic)
{
    float *v = malloc(sizeof *v * N), *g = malloc(sizeof *g * N);
    CHECK(v && g);
    bool ok = true;
    for (int w = 0; w < 6 && ok; w++) {
        fill(v, N);
        VxTensor *p[2] = { make_param(v, false), make_param(v, true) };
        CHECK(vx_tensor_is_contiguous(p[0]) && !vx_tensor_is_contiguous(p[1]));
        VxOptim *o[2] = { make(w, p[0]), make(w, p[1]) };
        CHECK(o[0] && o[1]);
        for (int step = 0; step < 2 && ok; step++) {
            fill(g, N);
            set_grad(p[0], g); set_grad(p[1], g);
            CHECK(vx_optim_step(o[0]) == 0 && vx_optim_step(o[1]) == 0);
            ok = agree(o, p, w);
            if (step == 0) scramble_state(o, v);
        }
        for (int k = 0; k < 2; k++) { vx_optim_release(o[k]); vx_tensor_release(p[k]); }
    }
    free(v); free(g);
    CHECK(ok);
    CHECK(vx_tensor_live_tensors() == 0);
}

/* bench_tensor.c - the tensor core against PyTorch CPU (bench/tensor/run.sh
 * runs both and prints the table).  Modes:
 *   step    one training step (forward + backward) of a 2-layer char
 *           transformer, d=256, T=128, batch 16, 4 heads, vocab 65
 *   gemm    vx_matmul against cblas_sgemm called directly
 *   rows    softmax / layer_norm / cross_entropy forward+backward throughput
 * Every line printed is "name value unit", parsed by run.sh. */
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "tensor/tensor.h"
#include "tensor/tensor_nn.h"

enum { V = 65, D = 256, T = 128, B = 16, H = 4, L = 2 };

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static VxTensor *check(VxTensor *t)
{
    if (!t) { fprintf(stderr, "bench_tensor: %s\n", vx_tensor_last_error()); exit(1); }
    return t;
}

/* ---- the transformer ------------------------------------------------------ */

typedef struct Linear { VxTensor *w, *b; } Linear;
typedef struct Block { VxTensor *ln1w, *ln1b, *ln2w, *ln2b; Linear q, k, v, o, fc, proj; } Block;
typedef struct Model { VxTensor *tok, *pos, *lnfw, *lnfb; Block blk[L]; Linear head; } Model;

static VxTensor *param(const int64_t *shape, int nd, double scale, uint64_t seed, VxTensor **all, int *n)
{
    VxTensor *r = check(vx_randn(shape, nd, VX_F32, seed));
    VxTensor *p = check(scale == 0 ? vx_zeros(shape, nd, VX_F32) : scale == 1 ? vx_ones(shape, nd, VX_F32)
                                                                              : vx_mul_s(r, scale));
    vx_tensor_release(r);
    vx_tensor_set_requires_grad(p, true);
    all[(*n)++] = p;
    return p;
}

static Linear linear(int64_t in, int64_t out, uint64_t seed, VxTensor **all, int *n)
{
    int64_t sw[2] = { in, out }, sb[1] = { out };
    return (Linear){ param(sw, 2, 0.02, seed, all, n), param(sb, 1, 0, 0, all, n) };
}

static int model_init(Model *m, VxTensor **all)
{
    int n = 0;
    int64_t st[2] = { V, D }, sp[2] = { T, D }, sd[1] = { D };
    m->tok = param(st, 2, 0.02, 1, all, &n);
    m->pos = param(sp, 2, 0.02, 2, all, &n);
    for (int l = 0; l < L; l++) {
        Block *b = &m->blk[l];
        uint64_t s = 10 + 10 * (uint64_t)l;
        b->ln1w = param(sd, 1, 1, 0, all, &n); b->ln1b = param(sd, 1, 0, 0, all, &n);
        b->q = linear(D, D, s, all, &n); b->k = linear(D, D, s + 1, all, &n);
        b->v = linear(D, D, s + 2, all, &n); b->o = linear(D, D, s + 3, all, &n);
        b->ln2w = param(sd, 1, 1, 0, all, &n); b->ln2b = param(sd, 1, 0, 0, all, &n);
        b->fc = linear(D, 4 * D, s + 4, all, &n); b->proj = linear(4 * D, D, s + 5, all, &n);
    }
    m->lnfw = param(sd, 1, 1, 0, all, &n); m->lnfb = param(sd, 1, 0, 0, all, &n);
    m->head = linear(D, V, 99, all, &n);
    return n;
}

/* The forward helpers take ownership of their tensor argument (and
 * release it), so the forward reads as a pipeline; parameters are
 * borrowed.  then(x, fx): fx (checked), after releasing x. */
static VxTensor *then(VxTensor *x, VxTensor *fx) { vx_tensor_release(x); return check(fx); }

static VxTensor *apply(const Linear *l, VxTensor *x)
{
    VxTensor *y = then(x, vx_matmul(x, l->w));
    return then(y, vx_add(y, l->b));
}

static VxTensor *norm(VxTensor *x, VxTensor *w, VxTensor *b)   /* borrows x */
{
    int64_t ns[1] = { D };
    return check(vx_layer_norm(x, ns, 1, w, b, 1e-5));
}

/* [B, T, D] -> [B, H, T, D/H] (a view) and back (a copy). */
static VxTensor *heads(VxTensor *x)
{
    int64_t s[4] = { B, T, H, D / H };
    VxTensor *r = then(x, vx_view(x, s, 4));
    return then(r, vx_transpose(r, 1, 2));
}

static VxTensor *merge(VxTensor *x)
{
    int64_t s[3] = { B, T, D };
    VxTensor *t = then(x, vx_transpose(x, 1, 2));
    return then(t, vx_reshape(t, s, 3));
}

static VxTensor *attention(const Block *b, VxTensor *h)
{
    VxTensor *q = heads(apply(&b->q, vx_tensor_retain(h))), *k = heads(apply(&b->k, vx_tensor_retain(h)));
    VxTensor *v = heads(apply(&b->v, h));
    VxTensor *a = check(vx_scaled_dot_product_attention(q, k, v, true, 0));
    vx_tensor_release(q); vx_tensor_release(k); vx_tensor_release(v);
    return apply(&b->o, merge(a));
}

static VxTensor *mlp(const Block *b, VxTensor *h)
{
    VxTensor *u = apply(&b->fc, h);
    return apply(&b->proj, then(u, vx_gelu(u)));
}

/* x + f(layer_norm(x)), releasing x. */
static VxTensor *residual(VxTensor *x, VxTensor *(*f)(const Block *, VxTensor *), const Block *b,
                          VxTensor *w, VxTensor *bias)
{
    VxTensor *fx = f(b, norm(x, w, bias));
    VxTensor *y = then(fx, vx_add(x, fx));
    return then(x, y);
}

/* The mean cross-entropy loss of the model on idx [B, T] -> tgt [B, T]. */
static VxTensor *forward(const Model *m, VxTensor *idx, VxTensor *tgt)
{
    VxTensor *x = check(vx_embedding(m->tok, idx));
    x = then(x, vx_add(x, m->pos));
    for (int l = 0; l < L; l++) {
        const Block *b = &m->blk[l];
        x = residual(x, attention, b, b->ln1w, b->ln1b);
        x = residual(x, mlp, b, b->ln2w, b->ln2b);
    }
    x = then(x, norm(x, m->lnfw, m->lnfb));
    int64_t s2[2] = { B * T, V }, s1[1] = { B * T };
    VxTensor *logits = apply(&m->head, x);
    logits = then(logits, vx_reshape(logits, s2, 2));
    VxTensor *t1 = check(vx_reshape(tgt, s1, 1));
    VxTensor *loss = check(vx_cross_entropy(logits, t1, -100, 0, VX_REDUCTION_MEAN));
    vx_tensor_release(t1);
    return then(logits, loss);
}

static long peak_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static int bench_step(int iters)
{
    long base_rss = peak_rss_kb();
    VxTensor *all[64];
    Model m;
    int np = model_init(&m, all);
    int64_t si[2] = { B, T };
    VxTensor *idx = check(vx_randint(0, V, si, 2, VX_I64, 7)), *tgt = check(vx_randint(0, V, si, 2, VX_I64, 8));
    double best = INFINITY, total = 0, loss0 = 0;
    int64_t peak = 0, held = 0;
    for (int it = -2; it < iters; it++) {
        for (int i = 0; i < np; i++) vx_zero_grad(all[i]);
        vx_tensor_reset_peak();
        double t0 = now();
        VxTensor *loss = forward(&m, idx, tgt);
        if (vx_backward(loss, NULL) < 0) { fprintf(stderr, "bench_tensor: %s\n", vx_tensor_last_error()); return 1; }
        double dt = now() - t0;
        VxMemStats ms;
        vx_tensor_mem_stats(&ms);
        if (it == -2) vx_tensor_item_f64(loss, &loss0);
        vx_tensor_release(loss);
        if (it < 0) continue;
        peak = ms.peak_bytes > peak ? ms.peak_bytes : peak;
        held = ms.peak_held_bytes > held ? ms.peak_held_bytes : held;
        best = dt < best ? dt : best;
        total += dt;
    }
    printf("step_loss %.6f -\n", loss0);
    printf("step_ms_best %.3f ms\n", best * 1e3);
    printf("step_ms_mean %.3f ms\n", total / iters * 1e3);
    printf("step_peak_tensor_bytes %lld B\n", (long long)peak);
    printf("step_peak_held_bytes %lld B\n", (long long)held);
    printf("step_rss_growth %ld kB\n", peak_rss_kb() - base_rss);
    for (int i = 0; i < np; i++) vx_tensor_release(all[i]);
    vx_tensor_release(idx);
    vx_tensor_release(tgt);
    return 0;
}

/* ---- GEMM ------------------------------------------------------------------- */

static double time_it(void (*f)(void *), void *ctx, double min_s)
{
    f(ctx);
    int n = 0;
    double t0 = now(), t;
    do { f(ctx); n++; } while ((t = now() - t0) < min_s);
    return t / n;
}

typedef struct Gemm { int64_t m, k, n; VxTensor *a, *b; } Gemm;

static void run_vx(void *p)
{
    Gemm *g = p;
    vx_tensor_release(check(vx_matmul(g->a, g->b)));
}

static void run_blas(void *p)
{
    Gemm *g = p;
    static float *c;
    static int64_t cap;
    if (cap < g->m * g->n) { free(c); cap = g->m * g->n; c = malloc((size_t)cap * sizeof *c); }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)g->m, (int)g->n, (int)g->k, 1.0f,
                vx_tensor_data(g->a), (int)g->k, vx_tensor_data(g->b), (int)g->n, 0.0f, c, (int)g->n);
}

static int bench_gemm(void)
{
    static const int64_t sizes[][3] = {
        { 128, 128, 128 }, { 256, 256, 256 }, { 512, 512, 512 }, { 1024, 1024, 1024 },
        { 2048, 256, 768 }, { 2048, 256, 1024 }, { 2048, 1024, 256 }, { 2048, 256, 65 }, { 128, 64, 128 },
    };
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        Gemm g = { sizes[i][0], sizes[i][1], sizes[i][2], NULL, NULL };
        int64_t sa[2] = { g.m, g.k }, sb[2] = { g.k, g.n };
        g.a = check(vx_randn(sa, 2, VX_F32, 1));
        g.b = check(vx_randn(sb, 2, VX_F32, 2));
        double flop = 2.0 * (double)(g.m * g.k * g.n);
        double tv = time_it(run_vx, &g, 0.3), tb = time_it(run_blas, &g, 0.3);
        printf("gemm_%lldx%lldx%lld_vx %.2f GFLOP/s\n", (long long)g.m, (long long)g.k, (long long)g.n, flop / tv * 1e-9);
        printf("gemm_%lldx%lldx%lld_blas %.2f GFLOP/s\n", (long long)g.m, (long long)g.k, (long long)g.n, flop / tb * 1e-9);
        vx_tensor_release(g.a);
        vx_tensor_release(g.b);
    }
    return 0;
}

/* ---- rows: softmax, layer_norm, cross_entropy ----------------------------------- */

typedef struct RowCase { VxTensor *x, *w, *b, *tgt; int kind; bool backward; } RowCase;

static void run_row(void *p)
{
    RowCase *c = p;
    int64_t ns[1] = { vx_tensor_dim(c->x, -1) };
    VxTensor *y = c->kind == 0 ? vx_softmax(c->x, -1)
                : c->kind == 1 ? vx_layer_norm(c->x, ns, 1, c->w, c->b, 1e-5)
                               : vx_cross_entropy(c->x, c->tgt, -100, 0, VX_REDUCTION_MEAN);
    check(y);
    if (c->backward) {
        VxTensor *s = check(c->kind == 2 ? vx_tensor_retain(y) : vx_sum(y, NULL, 0, false));
        vx_backward(s, NULL);
        vx_tensor_release(s);
    }
    vx_tensor_release(y);
}

/* GB/s counts the bytes each case must move: forward reads x and writes
 * y (cross_entropy: reads x); backward reads y (cross_entropy: x) and g
 * and writes dx (cross_entropy: reads x, writes dx).  8192 rows of 512. */
static int bench_rows(void)
{
    static const char *names[3] = { "softmax", "layer_norm", "cross_entropy" };
    int64_t shape[2] = { 2048 * 4, 512 }, sd[1] = { 512 }, st[1] = { 2048 * 4 };
    for (int kind = 0; kind < 3; kind++)
        for (int bw = 0; bw < 2; bw++) {
            RowCase c = { check(vx_randn(shape, 2, VX_F32, 3)), check(vx_ones(sd, 1, VX_F32)),
                          check(vx_zeros(sd, 1, VX_F32)), check(vx_randint(0, 512, st, 1, VX_I64, 4)), kind, bw };
            if (bw) vx_tensor_set_requires_grad(c.x, true);
            double bytes = 4.0 * (double)(shape[0] * shape[1]) * (kind == 2 ? (bw ? 3 : 1) : (bw ? 5 : 2));
            double t = time_it(run_row, &c, 0.3);
            printf("%s_%s %.2f GB/s\n", names[kind], bw ? "fwd_bwd" : "fwd", bytes / t * 1e-9);
            vx_tensor_release(c.x); vx_tensor_release(c.w); vx_tensor_release(c.b); vx_tensor_release(c.tgt);
        }
    return 0;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "step";
    if (!strcmp(mode, "step")) return bench_step(argc > 2 ? atoi(argv[2]) : 10);
    if (!strcmp(mode, "gemm")) return bench_gemm();
    if (!strcmp(mode, "rows")) return bench_rows();
    fprintf(stderr, "usage: bench_tensor step [iters] | gemm | rows\n");
    return 2;
}

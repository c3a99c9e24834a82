/* cpu_rows_f32.c - the f32 row kernels behind softmax, log_softmax, layer /
 * RMS norm and cross entropy when every operand is f32 with contiguous
 * rows (cpu_nn.c and cpu_loss.c pick them; other layouts and dtypes take
 * the f64 scratch path).  As in torch's CPU kernels, rows are computed and
 * accumulated in f32: sums in LANES independent partial sums (which is
 * what lets them vectorise, and is more accurate than one running sum),
 * exp through cpu_fastmath.h.  Contracts in cpu_nn.h. */
#include <math.h>

#include "cpu_nn.h"                         /* first: its vectoriser pragma covers cpu_fastmath.h */
#include "cpu_fastmath.h"

enum { LANES = 16 };

/* Sums in LANES partial sums, one element expression E(i). */
#define LANE_SUM(E)                                                          \
    float acc[LANES] = {0}, s = 0;                                           \
    int64_t i = 0;                                                           \
    for (; i + LANES <= n; i += LANES)                                       \
        for (int j = 0; j < LANES; j++) acc[j] += E(i + j);                  \
    for (; i < n; i++) s += E(i);                                            \
    for (int j = 0; j < LANES; j++) s += acc[j];                             \
    return s;

#define ELEM(k) x[k]
#define PRODUCT(k) (x[k] * y[k])
static float sum(const float *x, int64_t n) { LANE_SUM(ELEM) }
static float dot(const float *x, const float *y, int64_t n) { LANE_SUM(PRODUCT) }
static float dot_or_sum(const float *x, const float *y, int64_t n) { return y ? dot(x, y, n) : sum(x, n); }

float vx__f32_sum(const float *x, int64_t n) { return dot_or_sum(x, NULL, n); }

/* NaN elements do not win (x > m is false); they reach the result through exp. */
static float row_max(const float *x, int64_t n)
{
    float acc[LANES], m = -INFINITY;
    for (int j = 0; j < LANES; j++) acc[j] = -INFINITY;
    int64_t i = 0;
    for (; i + LANES <= n; i += LANES)
        for (int j = 0; j < LANES; j++) acc[j] = x[i + j] > acc[j] ? x[i + j] : acc[j];
    for (; i < n; i++) m = x[i] > m ? x[i] : m;
    for (int j = 0; j < LANES; j++) m = acc[j] > m ? acc[j] : m;
    return m;
}

/* e[i] = exp(x[i] - mx); returns their sum. */
static float exp_shifted(float *restrict e, const float *restrict x, float mx, int64_t n)
{
    for (int64_t i = 0; i < n; i++) e[i] = vx_expf_fast(x[i] - mx);
    return dot_or_sum(e, NULL, n);
}

float vx__f32_log_sum_exp(float *tmp, const float *x, int64_t n, float *mx)
{
    *mx = row_max(x, n);
    return logf(exp_shifted(tmp, x, *mx, n));
}

void vx__f32_softmax_row(float *restrict y, const float *restrict x, int64_t n, bool as_log)
{
    float mx = row_max(x, n);
    if (as_log) {                                         /* (x - mx) is exact near the max */
        float ls = logf(exp_shifted(y, x, mx, n));         /* y is scratch until overwritten */
        for (int64_t i = 0; i < n; i++) y[i] = (x[i] - mx) - ls;
        return;
    }
    float inv = 1.0f / exp_shifted(y, x, mx, n);
    for (int64_t i = 0; i < n; i++) y[i] *= inv;
}

void vx__f32_softmax_backward_row(float *restrict dx, const float *restrict y, const float *restrict g, int64_t n, bool as_log)
{
    float s = dot_or_sum(g, as_log ? NULL : y, n);
    if (as_log) for (int64_t i = 0; i < n; i++) dx[i] = g[i] - vx_expf_fast(y[i]) * s;
    else for (int64_t i = 0; i < n; i++) dx[i] = y[i] * (g[i] - s);
}

void vx__f32_norm_row(float *y, const float *x, const float *w, const float *b, int64_t n,
                      double eps, bool rms, double *mean_out, double *rstd_out)
{
    float mean = rms || !n ? 0.0f : dot_or_sum(x, NULL, n) / (float)n;
    for (int64_t i = 0; i < n; i++) y[i] = x[i] - mean;     /* y is scratch for the centred row */
    float var = n ? dot_or_sum(y, y, n) / (float)n : 0.0f;
    float rstd = (float)(1.0 / sqrt((double)var + eps));
    if (w && b) for (int64_t i = 0; i < n; i++) y[i] = y[i] * rstd * w[i] + b[i];
    else if (w) for (int64_t i = 0; i < n; i++) y[i] = y[i] * rstd * w[i];
    else if (b) for (int64_t i = 0; i < n; i++) y[i] = y[i] * rstd + b[i];
    else for (int64_t i = 0; i < n; i++) y[i] *= rstd;
    *mean_out = mean;
    *rstd_out = rstd;
}

void vx__f32_norm_backward_row(float *dx, float *dw, float *db, float *tmp, const float *g,
                               const float *x, const float *w, float mean, float rstd, int64_t n, bool rms)
{
    float *xhat = tmp, *h = tmp + n;
    for (int64_t i = 0; i < n; i++) {
        xhat[i] = (x[i] - mean) * rstd;
        h[i] = w ? g[i] * w[i] : g[i];
    }
    if (dw) for (int64_t i = 0; i < n; i++) dw[i] += g[i] * xhat[i];
    if (db) for (int64_t i = 0; i < n; i++) db[i] += g[i];
    if (!dx) return;
    float mh = rms ? 0.0f : dot_or_sum(h, NULL, n) / (float)n, mhx = dot_or_sum(h, xhat, n) / (float)n;
    for (int64_t i = 0; i < n; i++) dx[i] = rstd * (h[i] - mh - xhat[i] * mhx);
}

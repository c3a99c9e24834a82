/* cpu_nn.c - fused CPU kernels for softmax, layer/RMS norm, embedding and
 * dropout, and the CPU VxNNBackend table (contracts in tensor_nn.h).  Each
 * row is pulled into an f64 scratch buffer once, worked on there, and
 * written back once. */
#include <math.h>
#include <string.h>

#include "cpu_nn.h"

/* ---- softmax ------------------------------------------------------------- */

/* Softmax / log_softmax of each row, max-subtracted so exp never
 * overflows.  Memory traffic: read x once, write y once. */
static int cpu_softmax(VxTensor *y, const VxTensor *x, bool as_log)
{
    int64_t n = vx__row_len(x);
    const VxTensor *ops[2] = { y, x };
    VxIter it;
    if (!vx__rows_init(&it, ops, 2) || n == 0) return 0;
    if (vx__f32_rows(ops, 2, n)) {
        do vx__f32_softmax_row(vx__f32_at(y, it.off[0]), vx__f32_at(x, it.off[1]), n, as_log);
        while (vx__iter_next(&it));
        return 0;
    }
    double *r = vx__scratch(n);
    if (!r) return -1;
    do {
        vx__row_load(r, x, it.off[1], n);
        double mx = -INFINITY, sum = 0;
        for (int64_t i = 0; i < n; i++) mx = r[i] > mx ? r[i] : mx;
        for (int64_t i = 0; i < n; i++) {
            double e = exp(r[i] - mx);
            sum += e;
            r[i] = as_log ? r[i] - mx : e;
        }
        double lse = log(sum), inv = 1.0 / sum;
        for (int64_t i = 0; i < n; i++) r[i] = as_log ? r[i] - lse : r[i] * inv;
        vx__row_store(y, it.off[0], r, n);
    } while (vx__iter_next(&it));
    vx__scratch_free(r, n);
    return 0;
}

/* softmax:     dx = y * (g - sum(g * y))
 * log_softmax: dx = g - exp(y) * sum(g)
 * Memory traffic: read y and g once, write dx once. */
static int cpu_softmax_backward(VxTensor *dx, const VxTensor *y, const VxTensor *g, bool as_log)
{
    int64_t n = vx__row_len(y);
    const VxTensor *ops[3] = { dx, y, g };
    VxIter it;
    if (!vx__rows_init(&it, ops, 3) || n == 0) return 0;
    if (vx__f32_rows(ops, 3, n)) {
        do vx__f32_softmax_backward_row(vx__f32_at(dx, it.off[0]), vx__f32_at(y, it.off[1]),
                                        vx__f32_at(g, it.off[2]), n, as_log);
        while (vx__iter_next(&it));
        return 0;
    }
    double *r = vx__scratch(2 * n);
    if (!r) return -1;
    double *gr = r + n;
    do {
        vx__row_load(r, y, it.off[1], n);
        vx__row_load(gr, g, it.off[2], n);
        double s = 0;
        for (int64_t i = 0; i < n; i++) s += as_log ? gr[i] : gr[i] * r[i];
        for (int64_t i = 0; i < n; i++) r[i] = as_log ? gr[i] - exp(r[i]) * s : r[i] * (gr[i] - s);
        vx__row_store(dx, it.off[0], r, n);
    } while (vx__iter_next(&it));
    vx__scratch_free(r, 2 * n);
    return 0;
}

/* ---- layer norm / RMS norm ------------------------------------------------- */

/* Loads the optional 1-D affine parameter into buf, or fills it with dflt. */
static void load_param(double *buf, const VxTensor *p, int64_t n, double dflt)
{
    if (p) { vx__row_load(buf, p, p->offset, n); return; }
    for (int64_t i = 0; i < n; i++) buf[i] = dflt;
}

/* Per row: mean (two-pass, so var is not a difference of large squares),
 * rstd, y = (x - mean) * rstd * w + b.  RMS: mean is 0, rstd from mean(x^2).
 * stats [2, rows] f64 contiguous.  Memory traffic: read x once, write y
 * once; w and b are read once per call; 16 bytes of stats per row. */
static int cpu_norm(VxTensor *y, VxTensor *stats, const VxTensor *x, const VxTensor *w,
                    const VxTensor *b, double eps, bool rms)
{
    int64_t n = vx__row_len(x), rows = vx_tensor_numel(x) / (n ? n : 1);
    const VxTensor *ops[2] = { y, x };
    VxIter it;
    if (!vx__rows_init(&it, ops, 2)) return 0;
    double *st = vx_tensor_data(stats);
    const VxTensor *all[4] = { y, x, w, b };
    if (vx__f32_rows(all, 4, n)) {
        const float *wp = w ? vx__f32_at(w, w->offset) : NULL, *bp = b ? vx__f32_at(b, b->offset) : NULL;
        for (int64_t row = 0; row < rows; row++, vx__iter_next(&it))
            vx__f32_norm_row(vx__f32_at(y, it.off[0]), vx__f32_at(x, it.off[1]), wp, bp, n, eps, rms,
                             &st[row], &st[rows + row]);
        return 0;
    }
    double *r = vx__scratch(3 * n);
    if (!r) return -1;
    double *wb = r + n, *bb = r + 2 * n;
    load_param(wb, w, n, 1.0);
    load_param(bb, b, n, 0.0);
    int64_t row = 0;
    do {
        vx__row_load(r, x, it.off[1], n);
        double mean = 0, var = 0;
        if (!rms) {
            for (int64_t i = 0; i < n; i++) mean += r[i];
            mean = n ? mean / (double)n : 0;
        }
        for (int64_t i = 0; i < n; i++) var += (r[i] - mean) * (r[i] - mean);
        double rstd = 1.0 / sqrt((n ? var / (double)n : 0) + eps);
        for (int64_t i = 0; i < n; i++) r[i] = (r[i] - mean) * rstd * wb[i];
        if (b) for (int64_t i = 0; i < n; i++) r[i] += bb[i];   /* none: keep -0 as torch (0 * -w + 0 would be +0) */
        vx__row_store(y, it.off[0], r, n);
        st[row] = mean;
        st[rows + row] = rstd;
        row++;
    } while (vx__iter_next(&it));
    vx__scratch_free(r, 3 * n);
    return 0;
}

/* cpu_norm_backward on f32 contiguous rows (it: over x, g, dx). */
static int norm_backward_f32(VxTensor *dx, VxTensor *dw, VxTensor *db, const VxTensor *g, const VxTensor *x,
                             const VxTensor *w, const VxTensor *stats, bool rms, VxIter *it, bool any)
{
    int64_t n = vx__row_len(x), rows = vx_tensor_numel(x) / (n ? n : 1);
    float *buf = (float *)vx__scratch(2 * n);               /* dw, db, then 2n of row scratch */
    if (!buf) return -1;
    float *dwb = buf, *dbb = buf + n;
    memset(buf, 0, 2 * (size_t)n * sizeof *buf);
    const double *st = vx_tensor_data(stats);
    const float *wp = w ? vx__f32_at(w, w->offset) : NULL;
    for (int64_t row = 0; any && row < rows; row++, vx__iter_next(it))
        vx__f32_norm_backward_row(dx ? vx__f32_at(dx, it->off[2]) : NULL, dw ? dwb : NULL, db ? dbb : NULL,
                                  buf + 2 * n, vx__f32_at(g, it->off[1]), vx__f32_at(x, it->off[0]), wp,
                                  (float)st[row], (float)st[rows + row], n, rms);
    if (dw) memcpy(vx__f32_at(dw, dw->offset), dwb, (size_t)n * sizeof *dwb);
    if (db) memcpy(vx__f32_at(db, db->offset), dbb, (size_t)n * sizeof *dbb);
    vx__scratch_free((double *)buf, 2 * n);
    return 0;
}

/* With xhat = (x - mean) * rstd and h = g * w:
 *   layer norm: dx = rstd * (h - mean(h) - xhat * mean(h * xhat))
 *   RMS norm:   dx = rstd * (h - xhat * mean(h * xhat))
 *   dw = sum over rows of g * xhat, db = sum over rows of g.
 * Memory traffic: read x and g once, write dx once; dw/db accumulate in
 * f64 scratch and are written once at the end. */
static int cpu_norm_backward(VxTensor *dx, VxTensor *dw, VxTensor *db, const VxTensor *g,
                             const VxTensor *x, const VxTensor *w, const VxTensor *stats, bool rms)
{
    int64_t n = vx__row_len(x), rows = vx_tensor_numel(x) / (n ? n : 1);
    const VxTensor *ops[3] = { x, g, dx ? dx : x };
    VxIter it;
    bool any = vx__rows_init(&it, ops, 3);
    const VxTensor *all[6] = { x, g, dx, w, dw, db };
    if (vx__f32_rows(all, 6, n)) return norm_backward_f32(dx, dw, db, g, x, w, stats, rms, &it, any);
    double *r = vx__scratch(5 * n);
    if (!r) return -1;
    double *gr = r + n, *wb = r + 2 * n, *dwb = r + 3 * n, *dbb = r + 4 * n;
    const double *st = vx_tensor_data(stats);
    load_param(wb, w, n, 1.0);
    memset(dwb, 0, 2 * (size_t)n * sizeof *dwb);
    for (int64_t row = 0; any && row < rows; row++, vx__iter_next(&it)) {
        vx__row_load(r, x, it.off[0], n);
        vx__row_load(gr, g, it.off[1], n);
        double mean = st[row], rstd = st[rows + row], mh = 0, mhx = 0;
        for (int64_t i = 0; i < n; i++) {
            r[i] = (r[i] - mean) * rstd;                 /* xhat */
            dwb[i] += gr[i] * r[i];
            dbb[i] += gr[i];
            gr[i] *= wb[i];                              /* h */
            mh += gr[i];
            mhx += gr[i] * r[i];
        }
        mh = rms ? 0 : mh / (double)n;
        mhx /= (double)n;
        for (int64_t i = 0; i < n; i++) r[i] = rstd * (gr[i] - mh - r[i] * mhx);
        if (dx) vx__row_store(dx, it.off[2], r, n);
    }
    if (dw) vx__row_store(dw, dw->offset, dwb, n);
    if (db) vx__row_store(db, db->offset, dbb, n);
    vx__scratch_free(r, 5 * n);
    return 0;
}

/* ---- embedding ------------------------------------------------------------------ */

/* Reads idx at offset and checks it against V rows; -1 + error if out of range. */
static int64_t embedding_index(const VxTensor *idx, int64_t off, int64_t V)
{
    int64_t i = vx__load_i64(idx->storage->data, idx->dtype, off);
    if (i < 0 || i >= V)
        vx_tensor_set_error("embedding: index %lld is out of range for a weight of %lld rows "
                            "(valid indices are 0 .. %lld)", (long long)i, (long long)V, (long long)V - 1);
    return i < 0 || i >= V ? -1 : i;
}

/* Memory traffic: read idx once, read one weight row and write one output
 * row per index (a memcpy when dtypes match and rows are contiguous). */
static int cpu_embedding(VxTensor *y, const VxTensor *w, const VxTensor *idx)
{
    int64_t V = w->shape[0], D = w->shape[1];
    const VxTensor *ops[2] = { idx, y };
    VxIter it;
    if (vx_tensor_numel(idx) == 0) return 0;
    vx__iter_init(&it, idx, ops, 2);
    double *r = vx__scratch(D);
    if (!r) return -1;
    bool fast = y->dtype == w->dtype && y->strides[y->ndim - 1] == 1 && w->strides[1] == 1;
    size_t es = vx_dtype_size(w->dtype);
    int rc = 0;
    do {
        int64_t i = embedding_index(idx, it.off[0], V);
        if (i < 0) { rc = -1; break; }
        int64_t woff = w->offset + i * w->strides[0];
        if (fast) memcpy((char *)y->storage->data + it.off[1] * (int64_t)es,
                         (const char *)w->storage->data + woff * (int64_t)es, (size_t)D * es);
        else { vx__row_load(r, w, woff, D); vx__row_store(y, it.off[1], r, D); }
    } while (vx__iter_next(&it));
    vx__scratch_free(r, D);
    return rc;
}

/* Memory traffic: read idx and g once; read-modify-write one dw row per
 * index (rows hit repeatedly stay in cache). */
static int cpu_embedding_backward(VxTensor *dw, const VxTensor *g, const VxTensor *idx)
{
    int64_t V = dw->shape[0], D = dw->shape[1];
    const VxTensor *ops[2] = { idx, g };
    VxIter it;
    if (vx_tensor_numel(idx) == 0) return 0;
    vx__iter_init(&it, idx, ops, 2);
    double *r = vx__scratch(2 * D);
    if (!r) return -1;
    int rc = 0;
    do {
        int64_t i = embedding_index(idx, it.off[0], V);
        if (i < 0) { rc = -1; break; }
        int64_t woff = dw->offset + i * dw->strides[0];
        vx__row_load(r, dw, woff, D);
        vx__row_load(r + D, g, it.off[1], D);
        for (int64_t j = 0; j < D; j++) r[j] += r[D + j];
        vx__row_store(dw, woff, r, D);
    } while (vx__iter_next(&it));
    vx__scratch_free(r, 2 * D);
    return rc;
}

/* ---- dropout ------------------------------------------------------------------------ */

/* One uniform per element in x's row-major order.  Memory traffic: read x
 * once, write y and mask once. */
static int cpu_dropout(VxTensor *y, VxTensor *mask, const VxTensor *x, double p, uint64_t seed)
{
    if (vx_tensor_numel(x) == 0) return 0;
    VxRng rng;
    vx_rng_seed(&rng, seed);
    double scale = p < 1 ? 1.0 / (1.0 - p) : 0.0;
    const VxTensor *ops[3] = { y, mask, x };
    VxIter it;
    vx__iter_init(&it, x, ops, 3);
    do {
        double m = vx_rng_uniform(&rng) >= p ? scale : 0.0;
        vx__store_f64(mask->storage->data, mask->dtype, it.off[1], m);
        vx__store_f64(y->storage->data, y->dtype, it.off[0],
                      m * vx__load_f64(x->storage->data, x->dtype, it.off[2]));
    } while (vx__iter_next(&it));
    return 0;
}

const VxNNBackend vx_cpu_nn_backend = {
    .name = "cpu",
    .softmax = cpu_softmax,
    .softmax_backward = cpu_softmax_backward,
    .norm = cpu_norm,
    .norm_backward = cpu_norm_backward,
    .embedding = cpu_embedding,
    .embedding_backward = cpu_embedding_backward,
    .class_loss = vx_cpu_class_loss,
    .class_loss_backward = vx_cpu_class_loss_backward,
    .dropout = cpu_dropout,
};

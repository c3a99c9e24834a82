/* cpu_conv.c - im2col, its adjoint col2im, and max pooling on the CPU.
 * p = {kh, kw, sh, sw, ph, pw, dh, dw, oh, ow}.  Column row r = (c * kh +
 * i) * kw + j holds, for every output position (y, x), the input element
 * at (y * sh - ph + i * dh, x * sw - pw + j * dw), 0 outside the input.
 * Memory traffic: im2col reads each input element up to kh * kw times
 * and writes kh * kw * oh * ow elements per channel; col2im reads that
 * many and accumulates into the input; max pooling reads every window
 * element once and writes one value and one index per output. */
#include <math.h>

#include "cpu_shape.h"

typedef struct Geom { int64_t kh, kw, sh, sw, ph, pw, dh, dw, oh, ow; } Geom;

static Geom geom(const int64_t *p) { return (Geom){ p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9] }; }

/* Offset of x[b, c, y, xx] if inside, else -1. */
static int64_t at(const VxTensor *x, int64_t b, int64_t c, int64_t y, int64_t xx)
{
    if (y < 0 || y >= x->shape[2] || xx < 0 || xx >= x->shape[3]) return -1;
    return x->offset + b * x->strides[0] + c * x->strides[1] + y * x->strides[2] + xx * x->strides[3];
}

/* The column element (b, r, y * ow + x) <-> input element loop shared by
 * im2col (to_cols) and col2im; the data pointers are writable through
 * the storage even for const headers. */
static void unfold(const VxTensor *x, const VxTensor *cols, const Geom *g, bool to_cols)
{
    int64_t B = x->shape[0], C = x->shape[1];
    void *xd = x->storage->data, *cd = cols->storage->data;
    for (int64_t b = 0; b < B; b++)
        for (int64_t c = 0; c < C; c++)
            for (int64_t i = 0; i < g->kh; i++)
                for (int64_t j = 0; j < g->kw; j++) {
                    int64_t r = (c * g->kh + i) * g->kw + j;
                    int64_t row = cols->offset + b * cols->strides[0] + r * cols->strides[1];
                    for (int64_t y = 0; y < g->oh; y++)
                        for (int64_t xx = 0; xx < g->ow; xx++) {
                            int64_t o = at(x, b, c, y * g->sh - g->ph + i * g->dh, xx * g->sw - g->pw + j * g->dw);
                            int64_t co = row + (y * g->ow + xx) * cols->strides[2];
                            if (to_cols) vx__store_f64(cd, cols->dtype, co, o < 0 ? 0 : vx__load_f64(xd, x->dtype, o));
                            else if (o >= 0) vx__store_f64(xd, x->dtype, o, vx__load_f64(xd, x->dtype, o) + vx__load_f64(cd, cols->dtype, co));
                        }
                }
}

int vx_cpu_im2col(VxTensor *cols, const VxTensor *x, const int64_t *p)
{
    Geom g = geom(p);
    unfold(x, cols, &g, true);
    return 0;
}

int vx_cpu_col2im(VxTensor *x, const VxTensor *cols, const int64_t *p)
{
    Geom g = geom(p);
    unfold(x, cols, &g, false);
    return 0;
}

/* The maximum of one window and its flat index y * W + x; NaN wins, as in
 * torch, and an all -inf window reports its first element. */
static double window_max(const VxTensor *x, int64_t b, int64_t c, int64_t y0, int64_t x0, const Geom *g, int64_t *where)
{
    double best = -INFINITY;
    *where = -1;
    for (int64_t i = 0; i < g->kh; i++)
        for (int64_t j = 0; j < g->kw; j++) {
            int64_t y = y0 + i * g->dh, xx = x0 + j * g->dw, o = at(x, b, c, y, xx);
            if (o < 0) continue;
            double v = vx__load_f64(x->storage->data, x->dtype, o);
            if (*where < 0 || v > best || isnan(v)) { best = v; *where = y * x->shape[3] + xx; }
            if (isnan(v)) return v;
        }
    return best;
}

int vx_cpu_max_pool2d(VxTensor *out, VxTensor *indices, const VxTensor *x, const int64_t *p)
{
    Geom g = geom(p);
    for (int64_t b = 0; b < out->shape[0]; b++)
        for (int64_t c = 0; c < out->shape[1]; c++)
            for (int64_t y = 0; y < g.oh; y++)
                for (int64_t xx = 0; xx < g.ow; xx++) {
                    int64_t where;
                    double v = window_max(x, b, c, y * g.sh - g.ph, xx * g.sw - g.pw, &g, &where);
                    int64_t oo = out->offset + b * out->strides[0] + c * out->strides[1] + y * out->strides[2] + xx * out->strides[3];
                    int64_t io = indices->offset + b * indices->strides[0] + c * indices->strides[1] + y * indices->strides[2] + xx * indices->strides[3];
                    vx__store_f64(out->storage->data, out->dtype, oo, v);
                    vx__store_i64(indices->storage->data, indices->dtype, io, where);
                }
    return 0;
}

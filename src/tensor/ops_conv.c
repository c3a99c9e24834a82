/* ops_conv.c - conv1d/conv2d as im2col + the backend's batched matmul,
 * and max/avg pooling.  Geometry travels as p = {kh, kw, sh, sw, ph, pw,
 * dh, dw, oh, ow}.  With G groups the columns [N, C*KH*KW, L] are viewed
 * as [N, G, CK/G, L] (channels are the outer part of a column row) and
 * the weights as [G, O/G, CK/G], so one broadcast matmul does all groups.
 * conv1d is conv2d with a height of 1.  Backward functions recompute the
 * columns from x rather than keeping them alive with the graph. */
#include <math.h>

#include "shape_internal.h"

/* Output size along one axis; < 1 when the window does not fit. */
static int64_t out_size(int64_t in, int64_t k, int64_t s, int64_t p, int64_t d, bool ceil_mode)
{
    int64_t num = in + 2 * p - d * (k - 1) - 1;
    if (num < 0) return 0;
    int64_t o = (ceil_mode ? num + s - 1 : num) / s + 1;
    if (ceil_mode && (o - 1) * s >= in + p) o--;    /* the last window must start inside */
    return o;
}

/* p from x4's spatial size and the window; -1 with an error when the
 * result would be empty. */
static int geometry(const VxTensor *x4, const int64_t *win, bool ceil_mode, int64_t *p, const char *what)
{
    for (int i = 0; i < 8; i++) p[i] = win[i];
    p[8] = out_size(x4->shape[2], p[0], p[2], p[4], p[6], ceil_mode);
    p[9] = out_size(x4->shape[3], p[1], p[3], p[5], p[7], ceil_mode);
    if (p[8] >= 1 && p[9] >= 1) return 0;
    vx_tensor_set_error("cannot %s %s: the window (%lld x %lld, dilation %lld x %lld) is larger than the padded input",
                        what, VX_TNAME(x4), (long long)p[0], (long long)p[1], (long long)p[6], (long long)p[7]);
    return -1;
}

static VxTensor *im2col(VxTensor *x4, const int64_t *p)
{
    const VxShapeKernels *sk = VX_SHAPE_KERNELS(x4, im2col);
    int64_t shape[3] = { x4->shape[0], x4->shape[1] * p[0] * p[1], p[8] * p[9] };
    VxTensor *cols = sk ? vx__new(shape, 3, x4->dtype, x4->device) : NULL;
    if (cols && sk->im2col(cols, x4, p) < 0) { vx_tensor_release(cols); return NULL; }
    return cols;
}

/* zeros of shape (4-D) plus col2im of cols. */
static VxTensor *col2im(VxTensor *cols, const int64_t *shape, const int64_t *p)
{
    const VxShapeKernels *sk = VX_SHAPE_KERNELS(cols, col2im);
    VxTensor *x = sk ? vx__new(shape, 4, cols->dtype, cols->device) : NULL;
    if (x && (vx_tensor_fill_(x, 0) < 0 || sk->col2im(x, cols, p) < 0)) { vx_tensor_release(x); return NULL; }
    return x;
}

/* ---- convolution ------------------------------------------------------------- */
/* x and w as 4-D (conv1d gains a height of 1). */
static void as_4d(VxScope *s, VxTensor *x, VxTensor *w, bool one_d, VxTensor **x4, VxTensor **w4)
{
    *x4 = one_d ? vx__keep(s, vx_unsqueeze(x, 2)) : x;
    *w4 = one_d ? vx__keep(s, vx_unsqueeze(w, 2)) : w;
}

static int conv_geometry(const VxTensor *x4, const VxTensor *w4, const int *ip, int64_t *p)
{
    int64_t win[8] = { w4->shape[2], w4->shape[3], ip[0], ip[1], ip[2], ip[3], ip[4], ip[5] };
    return geometry(x4, win, false, p, "convolve");
}

static VxTensor *bw_conv(VxNode *n, VxTensor *g, int i)
{
    VxScope s = {0};
    VxTensor *x4, *w4;
    int64_t p[10], G = n->ip[6];
    if (i == 2) return vx_sum(g, (int[]){ 0, 2, 3 }, n->ip[7] ? 2 : 3, false);
    as_4d(&s, n->inputs[0], n->inputs[1], n->ip[7], &x4, &w4);
    if (!x4 || !w4 || conv_geometry(x4, w4, n->ip, p) < 0) return vx__done(&s, NULL);
    int64_t N = x4->shape[0], O = w4->shape[0], ckg = w4->shape[1] * p[0] * p[1], L = p[8] * p[9];
    /* contiguous: a broadcast seed (stride 0) would keep the matmuls off BLAS */
    VxTensor *gc0 = vx__keep(&s, vx_contiguous(g));
    VxTensor *g4 = vx__keep(&s, vx_reshape(gc0, (int64_t[]){ N, G, O / G, L }, 4));
    if (i == 1) {
        VxTensor *cols = vx__keep(&s, im2col(x4, p));
        VxTensor *cg = vx__keep(&s, vx_reshape(cols, (int64_t[]){ N, G, ckg, L }, 4));
        VxTensor *prod = vx__keep(&s, vx_matmul(g4, vx__keep(&s, vx_transpose(cg, -1, -2))));
        return vx__done(&s, vx_sum(prod, (int[]){ 0 }, 1, false));
    }
    VxTensor *wg = vx__keep(&s, vx_reshape(w4, (int64_t[]){ G, O / G, ckg }, 3));
    VxTensor *gc = vx__keep(&s, vx_matmul(vx__keep(&s, vx_transpose(wg, -1, -2)), g4));
    VxTensor *gcols = vx__keep(&s, vx_reshape(gc, (int64_t[]){ N, G * ckg, L }, 3));
    return vx__done(&s, gcols ? col2im(gcols, x4->shape, p) : NULL);
}

static int conv_check(const VxTensor *x, const VxTensor *w, const VxTensor *b, int groups, bool one_d, const int *ip)
{
    const char *need = one_d ? "conv1d needs x [N, C, L] and w [O, C/groups, K]"
                             : "conv2d needs x [N, C, H, W] and w [O, C/groups, KH, KW]";
    int nd = one_d ? 3 : 4;
    const char *why = NULL;
    if (x->ndim != nd || w->ndim != nd) why = need;
    else if (!vx_dtype_is_float(x->dtype) || x->dtype != w->dtype || (b && b->dtype != x->dtype))
        why = "the input, weight and bias need the same floating-point dtype";
    else if (groups < 1 || x->shape[1] % groups || w->shape[0] % groups || w->shape[1] * groups != x->shape[1])
        why = "the channels do not match: the weight needs [O, C/groups, ..] with C and O divisible by groups";
    else if (b && (b->ndim != 1 || b->shape[0] != w->shape[0])) why = "the bias needs shape [O]";
    for (int i = 0; !why && i < 6; i++)
        if (ip[i] < (i == 2 || i == 3 ? 0 : 1)) why = "strides and dilations must be positive, padding at least 0";
    if (!why) return 0;
    vx_tensor_set_error("cannot convolve %s with %s: %s", VX_TNAME(x), VX_TNAME(w), why);
    return -1;
}

/* ip = {sh, sw, ph, pw, dh, dw, groups, one_d} */
static VxTensor *conv(VxTensor *x, VxTensor *w, VxTensor *b, const int *ip, bool one_d)
{
    if (!x || !w || conv_check(x, w, b, ip[6], one_d, ip) < 0) return NULL;
    VxScope s = {0};
    VxTensor *x4, *w4, *out = NULL;
    int64_t p[10], G = ip[6];
    vx_no_grad_push();
    as_4d(&s, x, w, one_d, &x4, &w4);
    if (x4 && w4 && conv_geometry(x4, w4, ip, p) == 0) {
        int64_t N = x4->shape[0], O = w4->shape[0], ckg = w4->shape[1] * p[0] * p[1], L = p[8] * p[9];
        VxTensor *cols = vx__keep(&s, im2col(x4, p));
        VxTensor *cg = vx__keep(&s, vx_reshape(cols, (int64_t[]){ N, G, ckg, L }, 4));
        VxTensor *wg = vx__keep(&s, vx_reshape(w4, (int64_t[]){ G, O / G, ckg }, 3));
        VxTensor *y = vx__keep(&s, vx_matmul(wg, cg));
        int64_t shape[4] = { N, O, one_d ? p[9] : p[8], p[9] };
        out = vx_reshape(y, shape, one_d ? 3 : 4);
        if (out && b) {
            VxTensor *bb = vx__keep(&s, vx_reshape(b, (int64_t[]){ O, 1, 1 }, one_d ? 2 : 3)), *o2 = vx_add(out, bb);
            vx_tensor_release(out);
            out = o2;
        }
    }
    vx_no_grad_pop();
    VxNode *node = vx__record(&out, "ConvolutionBackward0", bw_conv, x, w, b);
    if (node) for (int i = 0; i < 8; i++) node->ip[i] = i == 7 ? one_d : ip[i];
    return vx__done(&s, out);
}

VxTensor *vx_conv1d(VxTensor *x, VxTensor *w, VxTensor *bias, int stride, int padding, int dilation, int groups)
{
    return conv(x, w, bias, (int[]){ 1, stride, 0, padding, 1, dilation, groups }, true);
}

VxTensor *vx_conv2d(VxTensor *x, VxTensor *w, VxTensor *bias, int stride_h, int stride_w,
                    int pad_h, int pad_w, int dil_h, int dil_w, int groups)
{
    return conv(x, w, bias, (int[]){ stride_h, stride_w, pad_h, pad_w, dil_h, dil_w, groups }, false);
}

/* ---- pooling ----------------------------------------------------------------------- */
/* win = {kh, kw, sh, sw, ph, pw, dh, dw} from the arguments (stride 0 =
 * kernel); -1 with an error when x or the window is invalid. */
static int pool_window(const VxTensor *x, const int *a, int64_t *win, const char *what)
{
    const char *why = NULL;
    for (int i = 0; i < 8; i++) win[i] = i == 2 || i == 3 ? (a[i] ? a[i] : a[i - 2]) : a[i];
    if (x->ndim != 4) why = "it needs the shape [N, C, H, W]";
    else if (!vx_dtype_is_float(x->dtype)) why = "pooling needs a floating-point tensor";
    else if (win[0] < 1 || win[1] < 1 || win[2] < 1 || win[3] < 1 || win[6] < 1 || win[7] < 1)
        why = "kernel sizes, strides and dilations must be positive";
    else if (win[4] < 0 || win[5] < 0 || 2 * win[4] > win[0] || 2 * win[5] > win[1])
        why = "padding must be at least 0 and at most half the kernel size";
    if (!why) return 0;
    vx_tensor_set_error("cannot %s %s with a %lld x %lld window: %s", what, VX_TNAME(x), (long long)win[0],
                        (long long)win[1], why);
    return -1;
}

static VxTensor *bw_max_pool(VxNode *n, VxTensor *g, int i)
{
    (void)i;
    VxTensor *x = n->inputs[0], flat = *x;  /* x's header as [N, C, H*W], for the shape */
    int64_t ps[3] = { x->shape[0], x->shape[1], n->saved->shape[2] * n->saved->shape[3] };
    flat.ndim = 3;
    flat.shape[2] = x->shape[2] * x->shape[3];
    VxScope s = {0};
    /* a window entirely in the padding has index -1 and no gradient */
    VxTensor *ix = vx__keep(&s, vx_reshape(n->saved, ps, 3)), *hit = vx__keep(&s, vx_ge_s(ix, 0));
    VxTensor *gf = vx__keep(&s, vx_reshape(g, ps, 3)), *z = vx__keep(&s, vx_scalar(0, g->dtype));
    VxTensor *gm = vx__keep(&s, vx_where(hit, gf, z)), *safe = vx__keep(&s, vx_clamp(ix, 0, INFINITY));
    return vx__done(&s, gm && safe ? vx__scatter_zeros(&flat, 2, safe, gm) : NULL);
}

VxTensor *vx_max_pool2d(VxTensor *x, int kh, int kw, int sh, int sw, int ph, int pw,
                        int dh, int dw, bool ceil_mode, VxTensor **indices)
{
    int64_t win[8], p[10];
    if (!x || pool_window(x, (int[]){ kh, kw, sh, sw, ph, pw, dh, dw }, win, "max_pool2d") < 0 ||
        geometry(x, win, ceil_mode, p, "max_pool2d") < 0)
        return NULL;
    const VxShapeKernels *sk = VX_SHAPE_KERNELS(x, max_pool2d);
    int64_t shape[4] = { x->shape[0], x->shape[1], p[8], p[9] };
    VxTensor *out = sk ? vx__new(shape, 4, x->dtype, x->device) : NULL;
    VxTensor *ix = out ? vx__new(shape, 4, VX_I64, x->device) : NULL;
    if (!ix || sk->max_pool2d(out, ix, x, p) < 0) { vx_tensor_release(out); vx_tensor_release(ix); return NULL; }
    VxNode *node = vx__record(&out, "MaxPool2DWithIndicesBackward0", bw_max_pool, x, NULL, NULL);
    if (node) node->saved = vx_tensor_retain(ix);
    if (out && indices) *indices = ix;
    else vx_tensor_release(ix);
    return out;
}

/* What each window sum is divided by: the window size, or (without
 * count_include_pad) [1, L] counts of the elements inside the input. */
static VxTensor *divisor(const VxTensor *x, const int64_t *p, bool include_pad)
{
    if (include_pad) return vx_scalar((double)(p[0] * p[1]), x->dtype);
    VxScope s = {0};
    VxTensor *one = vx__keep(&s, vx__new((int64_t[]){ 1, 1, x->shape[2], x->shape[3] }, 4, x->dtype, x->device));
    if (!one || vx_tensor_fill_(one, 1) < 0) return vx__done(&s, NULL);
    return vx__done(&s, vx_sum(vx__keep(&s, im2col(one, p)), (int[]){ 1 }, 1, false));
}

/* x as [N*C, 1, H, W]: pooling is then im2col of one channel. */
static VxTensor *planes(VxTensor *x)
{
    return vx_reshape(x, (int64_t[]){ x->shape[0] * x->shape[1], 1, x->shape[2], x->shape[3] }, 4);
}

static VxTensor *bw_avg_pool(VxNode *n, VxTensor *g, int i)
{
    (void)i;
    VxTensor *x = n->inputs[0];
    int64_t p[10], win[8] = { n->ip[0], n->ip[1], n->ip[2], n->ip[3], n->ip[4], n->ip[5], 1, 1 };
    if (geometry(x, win, false, p, "avg_pool2d") < 0) return NULL;
    int64_t nc = x->shape[0] * x->shape[1], L = p[8] * p[9];
    VxScope s = {0};
    VxTensor *gr = vx__keep(&s, vx_reshape(g, (int64_t[]){ nc, 1, L }, 3));
    VxTensor *gd = vx__keep(&s, vx_div(gr, vx__keep(&s, divisor(x, p, n->ip[6]))));
    VxTensor *ge = vx__keep(&s, vx_expand(gd, (int64_t[]){ nc, p[0] * p[1], L }, 3));
    return vx__done(&s, ge ? col2im(ge, (int64_t[]){ nc, 1, x->shape[2], x->shape[3] }, p) : NULL);
}

VxTensor *vx_avg_pool2d(VxTensor *x, int kh, int kw, int sh, int sw, int ph, int pw, bool count_include_pad)
{
    int64_t win[8], p[10];
    if (!x || pool_window(x, (int[]){ kh, kw, sh, sw, ph, pw, 1, 1 }, win, "avg_pool2d") < 0 ||
        geometry(x, win, false, p, "avg_pool2d") < 0)
        return NULL;
    VxScope s = {0};
    vx_no_grad_push();
    VxTensor *cols = vx__keep(&s, im2col(vx__keep(&s, planes(x)), p));
    VxTensor *sum = vx__keep(&s, vx_sum(cols, (int[]){ 1 }, 1, false));
    VxTensor *avg = vx__keep(&s, vx_div(sum, vx__keep(&s, divisor(x, p, count_include_pad))));
    VxTensor *out = avg ? vx_reshape(avg, (int64_t[]){ x->shape[0], x->shape[1], p[8], p[9] }, 4) : NULL;
    vx_no_grad_pop();
    VxNode *node = vx__record(&out, "AvgPool2DBackward0", bw_avg_pool, x, NULL, NULL);
    if (node) for (int i = 0; i < 7; i++) node->ip[i] = i == 6 ? count_include_pad : (int)win[i];
    return vx__done(&s, out);
}

/* cpu_map.c - elementwise CPU kernels: unary map, binary map over
 * broadcast (stride-0) operands, and where.  Floats are computed in f64
 * and rounded once on store; integer dtypes use i64 arithmetic so that
 * large values stay exact.  Memory traffic of every kernel here: one read
 * per operand element and one write per result element, no temporaries. */
#include <math.h>

#include "cpu.h"

typedef double (*FloatFn)(double x, const double *p);

static double f_neg(double x, const double *p) { (void)p; return -x; }
static double f_exp(double x, const double *p) { (void)p; return exp(x); }
static double f_log(double x, const double *p) { (void)p; return log(x); }
static double f_sqrt(double x, const double *p) { (void)p; return sqrt(x); }
static double f_rsqrt(double x, const double *p) { (void)p; return 1.0 / sqrt(x); }
static double f_tanh(double x, const double *p) { (void)p; return tanh(x); }
static double f_sigmoid(double x, const double *p) { (void)p; return 1.0 / (1.0 + exp(-x)); }
static double f_relu(double x, const double *p) { (void)p; return x > 0 ? x : x != x ? x : 0.0; }
static double f_gelu(double x, const double *p) { (void)p; return 0.5 * x * (1.0 + erf(x * 0.7071067811865476)); }
static double f_gelu_tanh(double x, const double *p)
{
    (void)p;
    const double k = 0.7978845608028654;   /* sqrt(2 / pi) */
    return 0.5 * x * (1.0 + tanh(k * (x + 0.044715 * x * x * x)));
}
static double f_silu(double x, const double *p) { (void)p; return x / (1.0 + exp(-x)); }
/* torch's default threshold: above 20 softplus(x) == x in f32 anyway. */
static double f_softplus(double x, const double *p) { (void)p; return x > 20 ? x : log1p(exp(x)); }
static double f_abs(double x, const double *p) { (void)p; return fabs(x); }
static double f_clamp(double x, const double *p) { return x != x ? x : x < p[0] ? p[0] : x > p[1] ? p[1] : x; }

/* Derivatives, for the backward passes (x is the op's input). */
static double d_neg(double x, const double *p) { (void)x; (void)p; return -1; }
static double d_exp(double x, const double *p) { (void)p; return exp(x); }
static double d_log(double x, const double *p) { (void)p; return 1.0 / x; }
static double d_sqrt(double x, const double *p) { (void)p; return 0.5 / sqrt(x); }
static double d_rsqrt(double x, const double *p) { (void)p; return -0.5 / (x * sqrt(x)); }
static double d_tanh(double x, const double *p) { (void)p; double t = tanh(x); return 1 - t * t; }
static double d_sigmoid(double x, const double *p) { double s = f_sigmoid(x, p); return s * (1 - s); }
static double d_relu(double x, const double *p) { (void)p; return x > 0; }
static double d_gelu(double x, const double *p)
{
    (void)p;
    return 0.5 * (1.0 + erf(x * 0.7071067811865476)) + x * exp(-0.5 * x * x) * 0.3989422804014327;
}
static double d_gelu_tanh(double x, const double *p)
{
    (void)p;
    const double k = 0.7978845608028654, c = 0.044715;
    double t = tanh(k * (x + c * x * x * x));
    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * k * (1 + 3 * c * x * x);
}
static double d_silu(double x, const double *p) { double s = f_sigmoid(x, p); return s * (1 + x * (1 - s)); }
static double d_softplus(double x, const double *p) { return x > 20 ? 1 : f_sigmoid(x, p); }
static double d_abs(double x, const double *p) { (void)p; return x > 0 ? 1 : x < 0 ? -1 : 0; }
static double d_clamp(double x, const double *p) { return x >= p[0] && x <= p[1]; }

static const FloatFn float_fns[2][VX_NUNARY] = {
#define X(name, NAME, grad, to_float) [VX_OP_##NAME] = f_##name,
    { VX_UNARY_OPS(X) [VX_OP_CLAMP] = f_clamp },
#undef X
#define X(name, NAME, grad, to_float) [VX_OP_##NAME] = d_##name,
    { VX_UNARY_OPS(X) [VX_OP_CLAMP] = d_clamp },
#undef X
};

static int64_t int_unary(VxUnaryOp op, int64_t x, const double *p)
{
    switch (op) {
    case VX_OP_NEG: return -x;
    case VX_OP_ABS: return x < 0 ? -x : x;
    case VX_OP_RELU: return x > 0 ? x : 0;
    default: return x < p[0] ? (int64_t)ceil(p[0]) : x > p[1] ? (int64_t)floor(p[1]) : x;   /* clamp */
    }
}

/* One run of a float unary op in T (f32 or f64 throughout): the
 * arithmetic ops inline, the rest through f (computed in f64, rounded once
 * on store, as on the generic path). */
#define UNARY_RUN(T, NAME)                                                                  \
    static void NAME(VxUnaryOp op, FloatFn f, T *d, const T *x, int64_t n, int64_t sd,      \
                     int64_t sx, const double *p)                                           \
    {                                                                                       \
        if (sd == 1 && sx == 1 && op == VX_OP_NEG && f == f_neg)                            \
            for (int64_t i = 0; i < n; i++) d[i] = -x[i];                                   \
        else if (sd == 1 && sx == 1 && op == VX_OP_RELU && f == f_relu)                     \
            for (int64_t i = 0; i < n; i++) d[i] = x[i] > 0 ? x[i] : x[i] != x[i] ? x[i] : 0; \
        else if (sd == 1 && sx == 1)                                                        \
            for (int64_t i = 0; i < n; i++) d[i] = (T)f((double)x[i], p);                   \
        else                                                                                \
            for (int64_t i = 0; i < n; i++) d[i * sd] = (T)f((double)x[i * sx], p);         \
    }
UNARY_RUN(float, unary_f32)
UNARY_RUN(double, unary_f64)

/* The f32 / f64 path: both operands of the same float dtype. */
static bool unary_fast(VxUnaryOp op, FloatFn f, VxTensor *dst, const VxTensor *x, const double *p)
{
    if (dst->dtype != x->dtype || (dst->dtype != VX_F32 && dst->dtype != VX_F64)) return false;
    const VxTensor *ops[2] = { dst, x };
    VxLoop l;
    vx__loop_init(&l, dst, ops, 2);
    do {
        if (dst->dtype == VX_F32)
            unary_f32(op, f, (float *)dst->storage->data + l.outer.off[0],
                      (const float *)x->storage->data + l.outer.off[1], l.n, l.st[0], l.st[1], p);
        else
            unary_f64(op, f, (double *)dst->storage->data + l.outer.off[0],
                      (const double *)x->storage->data + l.outer.off[1], l.n, l.st[0], l.st[1], p);
    } while (vx__iter_next(&l.outer));
    return true;
}

int vx_cpu_unary(VxUnaryOp op, int deriv, VxTensor *dst, const VxTensor *x, const double *params)
{
    if (vx_tensor_numel(dst) == 0) return 0;
    FloatFn f = float_fns[deriv != 0][op];
    if (unary_fast(op, f, dst, x, params)) return 0;
    const VxTensor *ops[2] = { dst, x };
    VxIter it;
    vx__iter_init(&it, dst, ops, 2);
    void *d = dst->storage->data;
    const void *s = x->storage->data;
    if (!vx_dtype_is_float(dst->dtype) && !deriv) {
        do vx__store_i64(d, dst->dtype, it.off[0], int_unary(op, vx__load_i64(s, x->dtype, it.off[1]), params));
        while (vx__iter_next(&it));
        return 0;
    }
    do vx__store_f64(d, dst->dtype, it.off[0], f(vx__load_f64(s, x->dtype, it.off[1]), params));
    while (vx__iter_next(&it));
    return 0;
}

/* dx = g * f'(x) on f32 / f64 runs, f' in f64, one rounding. */
#define UNARY_GRAD_RUN(T, NAME)                                                               \
    static void NAME(FloatFn df, T *d, const T *x, const T *g, int64_t n, int64_t sd,         \
                     int64_t sx, int64_t sg, const double *p)                                  \
    {                                                                                         \
        for (int64_t i = 0; i < n; i++)                                                   \
                d[i * sd] = (T)((double)g[i * sg] * df((double)x[i * sx], p));                \
    }
UNARY_GRAD_RUN(float, unary_grad_f32)
UNARY_GRAD_RUN(double, unary_grad_f64)

int vx_cpu_unary_grad(VxUnaryOp op, VxTensor *dx, const VxTensor *x, const VxTensor *g, const double *params)
{
    if (vx_tensor_numel(dx) == 0) return 0;
    FloatFn df = float_fns[1][op];
    const VxTensor *ops[3] = { dx, x, g };
    VxDtype t = dx->dtype;
    if ((t == VX_F32 || t == VX_F64) && x->dtype == t && g->dtype == t) {
        VxLoop l;
        vx__loop_init(&l, dx, ops, 3);
        do {
            int64_t *o = l.outer.off;
            if (t == VX_F32)
                unary_grad_f32(df, (float *)dx->storage->data + o[0], (const float *)x->storage->data + o[1],
                               (const float *)g->storage->data + o[2], l.n, l.st[0], l.st[1], l.st[2], params);
            else
                unary_grad_f64(df, (double *)dx->storage->data + o[0], (const double *)x->storage->data + o[1],
                               (const double *)g->storage->data + o[2], l.n, l.st[0], l.st[1], l.st[2], params);
        } while (vx__iter_next(&l.outer));
        return 0;
    }
    VxIter it;
    vx__iter_init(&it, dx, ops, 3);
    do {
        double gv = vx__load_f64(g->storage->data, g->dtype, it.off[2]);
        double dv = df(vx__load_f64(x->storage->data, x->dtype, it.off[1]), params);
        vx__store_f64(dx->storage->data, dx->dtype, it.off[0], gv * dv);   /* one rounding */
    } while (vx__iter_next(&it));
    return 0;
}

/* The comparison cases of both switches below (the last is the default). */
#define COMPARISONS(a, b) case VX_OP_EQ: return a == b; case VX_OP_NE: return a != b; \
    case VX_OP_LT: return a < b; case VX_OP_LE: return a <= b; case VX_OP_GT: return a > b; \
    default: return a >= b;

/* NaN propagates through maximum/minimum, as in torch. */
static double float_binary(VxBinaryOp op, double a, double b)
{
    switch (op) {
    case VX_OP_ADD: return a + b;
    case VX_OP_SUB: return a - b;
    case VX_OP_MUL: return a * b;
    case VX_OP_DIV: return a / b;
    case VX_OP_POW: return pow(a, b);
    case VX_OP_MAXIMUM: return a != a || b != b ? NAN : a > b ? a : b;
    case VX_OP_MINIMUM: return a != a || b != b ? NAN : a < b ? a : b;
    COMPARISONS(a, b)
    }
}

static int64_t int_pow(int64_t a, int64_t b)
{
    if (b < 0) return a == 1 ? 1 : a == -1 ? (b % 2 ? -1 : 1) : 0;
    uint64_t r = 1, base = (uint64_t)a;
    for (; b; b >>= 1, base *= base) if (b & 1) r *= base;
    return (int64_t)r;
}

/* Wrapping (unsigned) arithmetic: overflow is defined, as in torch. */
static int64_t int_binary(VxBinaryOp op, int64_t a, int64_t b)
{
    switch (op) {
    case VX_OP_ADD: return (int64_t)((uint64_t)a + (uint64_t)b);
    case VX_OP_SUB: return (int64_t)((uint64_t)a - (uint64_t)b);
    case VX_OP_MUL: return (int64_t)((uint64_t)a * (uint64_t)b);
    case VX_OP_POW: return int_pow(a, b);
    case VX_OP_MAXIMUM: return a > b ? a : b;
    case VX_OP_MINIMUM: return a < b ? a : b;
    COMPARISONS(a, b)
    }
}

/* One run of d = x OP y in T, specialised for the common stride
 * patterns (both contiguous, a scalar on either side) so that each is a
 * vectorisable loop.  +, -, *, / in f32 round exactly like the f64
 * computation rounded once (f64 has more than 2 * 24 + 2 bits). */
#define BINARY_CASES(T, EXPR)                                                                \
    if (sd == 1 && sa == 1 && sb == 1)                                                       \
        for (int64_t i = 0; i < n; i++) { T x = a[i], y = b[i]; d[i] = (EXPR); }             \
    else if (sd == 1 && sa == 1 && sb == 0) {                                                \
        T y = b[0];                                                                          \
        for (int64_t i = 0; i < n; i++) { T x = a[i]; d[i] = (EXPR); }                       \
    } else if (sd == 1 && sa == 0 && sb == 1) {                                              \
        T x = a[0];                                                                          \
        for (int64_t i = 0; i < n; i++) { T y = b[i]; d[i] = (EXPR); }                       \
    } else                                                                                   \
        for (int64_t i = 0; i < n; i++) { T x = a[i * sa], y = b[i * sb]; d[i * sd] = (EXPR); }

#define BINARY_RUN(T, NAME)                                                                  \
    static void NAME(VxBinaryOp op, T *d, const T *a, const T *b, int64_t n, int64_t sd,    \
                     int64_t sa, int64_t sb)                                                 \
    {                                                                                        \
        switch (op) {                                                                        \
        case VX_OP_ADD: BINARY_CASES(T, x + y) break;                                        \
        case VX_OP_SUB: BINARY_CASES(T, x - y) break;                                        \
        case VX_OP_MUL: BINARY_CASES(T, x * y) break;                                        \
        case VX_OP_DIV: BINARY_CASES(T, x / y) break;                                        \
        default: BINARY_CASES(T, (T)float_binary(op, x, y)) break;                           \
        }                                                                                    \
    }
BINARY_RUN(float, binary_f32)
BINARY_RUN(double, binary_f64)

/* The f32 / f64 path: all three operands of the same float dtype. */
static bool binary_fast(VxBinaryOp op, VxTensor *dst, const VxTensor *a, const VxTensor *b)
{
    VxDtype t = dst->dtype;
    if ((t != VX_F32 && t != VX_F64) || a->dtype != t || b->dtype != t) return false;
    const VxTensor *ops[3] = { dst, a, b };
    VxLoop l;
    vx__loop_init(&l, dst, ops, 3);
    do {
        int64_t *o = l.outer.off;
        if (t == VX_F32)
            binary_f32(op, (float *)dst->storage->data + o[0], (const float *)a->storage->data + o[1],
                       (const float *)b->storage->data + o[2], l.n, l.st[0], l.st[1], l.st[2]);
        else
            binary_f64(op, (double *)dst->storage->data + o[0], (const double *)a->storage->data + o[1],
                       (const double *)b->storage->data + o[2], l.n, l.st[0], l.st[1], l.st[2]);
    } while (vx__iter_next(&l.outer));
    return true;
}

int vx_cpu_binary(VxBinaryOp op, VxTensor *dst, const VxTensor *a, const VxTensor *b)
{
    if (vx_tensor_numel(dst) == 0) return 0;
    if (op < VX_OP_EQ && binary_fast(op, dst, a, b)) return 0;
    VxDtype domain = op >= VX_OP_EQ ? vx_dtype_promote(a->dtype, b->dtype) : dst->dtype;
    const VxTensor *ops[3] = { dst, a, b };
    VxIter it;
    vx__iter_init(&it, dst, ops, 3);
    void *d = dst->storage->data;
    const void *pa = a->storage->data, *pb = b->storage->data;
    if (!vx_dtype_is_float(domain)) {
        do vx__store_i64(d, dst->dtype, it.off[0], int_binary(op, vx__load_i64(pa, a->dtype, it.off[1]),
                                                             vx__load_i64(pb, b->dtype, it.off[2])));
        while (vx__iter_next(&it));
        return 0;
    }
    do vx__store_f64(d, dst->dtype, it.off[0], float_binary(op, vx__load_f64(pa, a->dtype, it.off[1]),
                                                           vx__load_f64(pb, b->dtype, it.off[2])));
    while (vx__iter_next(&it));
    return 0;
}

int vx_cpu_where(VxTensor *dst, const VxTensor *cond, const VxTensor *a, const VxTensor *b)
{
    if (vx_tensor_numel(dst) == 0) return 0;
    const VxTensor *ops[4] = { dst, cond, a, b };
    VxIter it;
    vx__iter_init(&it, dst, ops, 4);
    void *d = dst->storage->data;
    do {
        bool c = vx__load_f64(cond->storage->data, cond->dtype, it.off[1]) != 0;
        const VxTensor *src = c ? a : b;
        int64_t off = c ? it.off[2] : it.off[3];
        if (vx_dtype_is_float(dst->dtype))
            vx__store_f64(d, dst->dtype, it.off[0], vx__load_f64(src->storage->data, src->dtype, off));
        else
            vx__store_i64(d, dst->dtype, it.off[0], vx__load_i64(src->storage->data, src->dtype, off));
    } while (vx__iter_next(&it));
    return 0;
}

/* tensor.h - Vortex tensors: n-dimensional strided arrays with reverse-mode
 * automatic differentiation, over a pluggable per-device backend.
 *
 * OVERVIEW
 *
 * A VxTensor is a small header (dtype, device, shape, strides, offset) over
 * a reference-counted VxStorage buffer.  Views (transpose, permute, slice,
 * select, expand, squeeze, unsqueeze, reshape when possible) make a new
 * header over the same storage; nothing is copied.  Strides are counted in
 * elements and may be 0 (expand / broadcasting).
 *
 * Ops live in src/tensor: they check shapes and dtypes, allocate the
 * result, then call a kernel of the tensor's backend (VxBackend, below;
 * src/backend/cpu fills one for the CPU).  A CUDA backend only supplies
 * kernels.  Binary ops broadcast like NumPy: the op layer expands both
 * inputs to the result shape (stride 0 on broadcast dims) so kernels only
 * ever see equal shapes.
 *
 * Autodiff is trace based.  When grad mode is on (see vx_no_grad_push) and
 * an input requires grad, an op records a graph node on its result: the op
 * name ("MulBackward0"), references to its inputs, scalar parameters and a
 * backward function.  vx_backward(loss, NULL) walks the nodes in reverse
 * topological order (iteratively), accumulates gradients into .grad of
 * leaf tensors (summed over repeated uses and over broadcast dims) and then
 * frees the graph.  Backward functions are written with the same tensor
 * ops, so every backend gets gradients for free.
 *
 * Worked example: f(x) = sum(a * x^2 + b), df/dx = 2 a x.
 *
 *     int64_t shape[] = {2, 3};
 *     VxTensor *x = vx_randn(shape, 2, VX_F32, 42);      // seed 42
 *     vx_tensor_set_requires_grad(x, true);
 *     VxTensor *a = vx_full(shape, 2, VX_F32, 3.0);
 *     VxTensor *x2 = vx_mul(x, x);
 *     VxTensor *ax2 = vx_mul(a, x2);
 *     VxTensor *y = vx_add_s(ax2, 1.0);                  // + b, b = 1
 *     VxTensor *f = vx_sum(y, NULL, 0, false);           // all elements
 *     if (!f) fprintf(stderr, "%s\n", vx_tensor_last_error());
 *     vx_backward(f, NULL);                              // seed 1.0
 *     VxTensor *g = vx_tensor_grad(x);                   // == 6 * x
 *     char buf[4096];
 *     vx_tensor_format(g, buf, sizeof buf);              // like torch's print
 *     vx_tensor_release(g); ... release every tensor returned above ...
 *
 * OWNERSHIP.  Every function that returns a VxTensor * returns a new
 * reference; the caller releases it with vx_tensor_release.  Inputs are
 * borrowed.  Storage, graph nodes and gradients are freed the moment the
 * last reference to them goes (releasing is iterative: long graphs do not
 * recurse).  vx_tensor_mem_stats counts live tensors, storages and bytes.
 *
 * ERRORS.  Nothing here exits or prints.  A failing function returns NULL
 * (or -1) and records a message for the calling thread, read with
 * vx_tensor_last_error().  Shape errors use the type checker's words:
 *     cannot multiply Tensor<f32, [2, 3]> @ Tensor<f32, [4, 5]>: inner dimensions 3 and 4 differ
 *     cannot broadcast Tensor<f32, [2, 3]> + Tensor<f32, [4]>: dimensions 3 and 4 differ
 * Allocation failure is such an error ("out of memory allocating N bytes
 * for Tensor<f32, [..]>"); vx_tensor_fail_alloc_after injects it in tests.
 *
 * THREADS.  The error message and the no-grad counter are per thread; the
 * memory counters are global and not synchronised; a tensor must not be
 * used by two threads at once.
 *
 * The API is ctypes friendly: arguments are ints, doubles and pointers,
 * shapes are (const int64_t *shape, int ndim), nothing is passed by value
 * as a struct. */
#ifndef VX_TENSOR_H
#define VX_TENSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define VX_MAX_DIMS 8

/* ---- dtypes ---------------------------------------------------------------
 * Promotion follows PyTorch: bool < integers < floats; two integers give
 * the wider (u8 with a signed type gives the signed one, at least i16 -> i32
 * here since there is no i16); two floats give the wider, bf16 with f16
 * gives f32; float with integer gives the float.  Comparisons give bool.
 * bf16 and f16 are stored in 16 bits and computed in f32, converted with
 * round-to-nearest-even. */
typedef enum VxDtype {
    VX_F32, VX_F64, VX_BF16, VX_F16, VX_I32, VX_I64, VX_U8, VX_BOOL,
    VX_NDTYPES
} VxDtype;

const char *vx_dtype_name(VxDtype d);        /* "f32", as in Tensor<f32, ..> */
const char *vx_dtype_torch_name(VxDtype d);  /* "torch.float32" */
size_t vx_dtype_size(VxDtype d);             /* bytes per element */
bool vx_dtype_is_float(VxDtype d);
VxDtype vx_dtype_promote(VxDtype a, VxDtype b);

typedef enum VxDevice { VX_DEV_CPU, VX_DEV_CUDA, VX_NDEVICES } VxDevice;

/* ---- tensors ------------------------------------------------------------- */
struct VxBackend;
typedef struct VxNode VxNode;                /* autodiff graph node (opaque) */

typedef struct VxStorage {
    int64_t refcount;                        /* shared by every view */
    VxDevice device;
    const struct VxBackend *backend;         /* allocated and freed by it */
    void *data;                              /* device memory */
    size_t nbytes;
} VxStorage;

typedef struct VxTensor {
    int64_t refcount;
    VxDtype dtype;
    VxDevice device;
    int ndim;                                /* 0 .. VX_MAX_DIMS */
    int64_t shape[VX_MAX_DIMS];
    int64_t strides[VX_MAX_DIMS];            /* in elements; 0 = broadcast */
    int64_t offset;                          /* first element, in elements */
    VxStorage *storage;
    /* autodiff */
    bool requires_grad;
    bool is_leaf;                            /* created by the user, not an op */
    struct VxTensor *grad;                   /* leaf gradient, or NULL */
    VxNode *grad_fn;                         /* node that made it, or NULL */
    struct VxTensor *free_next;              /* internal: iterative release list */
} VxTensor;

/* ---- errors and memory ----------------------------------------------------- */
const char *vx_tensor_last_error(void);      /* "" when none */
void vx_tensor_clear_error(void);

typedef struct VxMemStats {
    int64_t live_tensors, live_storages, live_nodes;
    int64_t live_bytes, peak_bytes;          /* storage bytes */
    int64_t allocations;                     /* every allocation so far */
    /* freed storage kept by backends for reuse (vx_tensor_trim_cache), and
     * the peak of live_bytes + cached_bytes: what the process really held */
    int64_t cached_bytes, peak_held_bytes;
} VxMemStats;
void vx_tensor_mem_stats(VxMemStats *out);
int64_t vx_tensor_live_tensors(void);        /* ctypes shortcut */
void vx_tensor_reset_peak(void);             /* peak_bytes = live_bytes, peak_held_bytes likewise */
void vx_tensor_trim_cache(void);             /* backends free their cached storage */
/* Make the n-th allocation from now fail (1 = the next one); 0 disables. */
void vx_tensor_fail_alloc_after(int64_t n);

VxTensor *vx_tensor_retain(VxTensor *t);     /* returns t; NULL is allowed */
void vx_tensor_release(VxTensor *t);         /* NULL is allowed */

/* ---- properties ------------------------------------------------------------ */
int vx_tensor_ndim(const VxTensor *t);
int64_t vx_tensor_dim(const VxTensor *t, int i);     /* size; i < 0 from the end */
int64_t vx_tensor_stride(const VxTensor *t, int i);
int64_t vx_tensor_numel(const VxTensor *t);
VxDtype vx_tensor_dtype(const VxTensor *t);
bool vx_tensor_is_contiguous(const VxTensor *t);
void *vx_tensor_data(const VxTensor *t);     /* address of the first element */
/* "Tensor<f32, [2, 3]>" into buf (always terminated); returns buf. */
char *vx_tensor_type_str(const VxTensor *t, char *buf, size_t cap);

/* ---- creation (CPU) --------------------------------------------------------
 * Random tensors take an explicit seed: the generator is xoshiro256**
 * seeded through splitmix64; normals use Box-Muller on two uniforms in
 * [2^-53, 1).  The same seed always gives the same tensor. */
VxTensor *vx_empty(const int64_t *shape, int ndim, VxDtype dtype);
VxTensor *vx_zeros(const int64_t *shape, int ndim, VxDtype dtype);
VxTensor *vx_ones(const int64_t *shape, int ndim, VxDtype dtype);
VxTensor *vx_full(const int64_t *shape, int ndim, VxDtype dtype, double value);
VxTensor *vx_scalar(double value, VxDtype dtype);            /* 0-dim */
VxTensor *vx_arange(double start, double end, double step, VxDtype dtype);
VxTensor *vx_linspace(double start, double end, int64_t steps, VxDtype dtype);
VxTensor *vx_eye(int64_t n, int64_t m, VxDtype dtype);
VxTensor *vx_rand(const int64_t *shape, int ndim, VxDtype dtype, uint64_t seed);  /* [0, 1) */
VxTensor *vx_randn(const int64_t *shape, int ndim, VxDtype dtype, uint64_t seed); /* N(0, 1) */
VxTensor *vx_randint(int64_t low, int64_t high, const int64_t *shape, int ndim,
                     VxDtype dtype, uint64_t seed);                               /* [low, high) */
/* From row-major doubles (tensor([[1, 2], [3, 4]]) is data {1,2,3,4},
 * shape {2, 2}), converted to dtype. */
VxTensor *vx_tensor_from_f64(const double *data, const int64_t *shape, int ndim, VxDtype dtype);
/* From row-major raw elements already in dtype's representation. */
VxTensor *vx_tensor_from_data(const void *data, const int64_t *shape, int ndim, VxDtype dtype);
VxTensor *vx_zeros_like(const VxTensor *t);
VxTensor *vx_ones_like(const VxTensor *t);
VxTensor *vx_full_like(const VxTensor *t, double value);
VxTensor *vx_randn_like(const VxTensor *t, uint64_t seed);

/* The generator itself, for callers that want a stream. */
#include "rng.h"                             /* VxRng, vx_rng_seed/next/uniform/normal */

/* ---- views (share storage; differentiable) --------------------------------
 * Dims may be negative (from the end).  slice follows Python: start/end are
 * clamped, negative counts from the end, step >= 1.  reshape returns a view
 * when the strides allow and a copy otherwise; view fails instead of
 * copying.  One -1 in a shape is inferred.  expand takes -1 for "keep". */
VxTensor *vx_transpose(VxTensor *t, int d0, int d1);
VxTensor *vx_permute(VxTensor *t, const int *dims, int ndims);
VxTensor *vx_slice(VxTensor *t, int dim, int64_t start, int64_t end, int64_t step);
VxTensor *vx_select(VxTensor *t, int dim, int64_t index);   /* drops dim */
VxTensor *vx_reshape(VxTensor *t, const int64_t *shape, int ndim);
VxTensor *vx_view(VxTensor *t, const int64_t *shape, int ndim);
VxTensor *vx_expand(VxTensor *t, const int64_t *shape, int ndim);
VxTensor *vx_squeeze(VxTensor *t, int dim);                  /* no-op unless size 1 */
VxTensor *vx_squeeze_all(VxTensor *t);
VxTensor *vx_unsqueeze(VxTensor *t, int dim);
VxTensor *vx_contiguous(VxTensor *t);        /* t itself (retained) when already so */
VxTensor *vx_clone(VxTensor *t);             /* always a fresh contiguous copy */
VxTensor *vx_to(VxTensor *t, VxDtype dtype); /* dtype conversion (t if same) */

/* ---- elements ---------------------------------------------------------------
 * idx has exactly ndim entries (negative counts from the end).  0 on
 * success, -1 with an error recorded.  Writes do not touch the graph. */
int vx_tensor_get_f64(const VxTensor *t, const int64_t *idx, double *out);
int vx_tensor_get_i64(const VxTensor *t, const int64_t *idx, int64_t *out);
int vx_tensor_set_f64(VxTensor *t, const int64_t *idx, double value);
int vx_tensor_set_i64(VxTensor *t, const int64_t *idx, int64_t value);
int vx_tensor_item_f64(const VxTensor *t, double *out);      /* one element */
/* Copy src into dst (same shape or broadcastable to it; any strides and
 * dtypes).  Not recorded by autodiff. */
int vx_tensor_copy_(VxTensor *dst, const VxTensor *src);
int vx_tensor_fill_(VxTensor *dst, double value);

/* ---- printing ----------------------------------------------------------------
 * Exactly PyTorch's print(t) with default print options: precision 4,
 * linewidth 80, summarised with "..." (3 edge items) beyond 1000 elements,
 * "dtype=torch.float64" for non-default dtypes, "requires_grad=True" or
 * "grad_fn=<MulBackward0>".  Writes at most cap bytes (terminated) and
 * returns the full length, like snprintf, or -1 on error. */
int64_t vx_tensor_format(const VxTensor *t, char *buf, size_t cap);
int vx_tensor_fprint(const VxTensor *t, FILE *f);            /* plus a newline */

/* ---- elementwise ops ------------------------------------------------------------
 * Binary ops broadcast; the result dtype is vx_dtype_promote of the inputs
 * (div of integers gives f32, like torch's true division; pow of integers
 * stays integer, as torch's).  The
 * `_s` forms take a scalar that, like a Python number in torch, does not
 * widen a tensor of the same kind (f16 tensor * 2.5 stays f16; i32 * 2.5
 * gives f32).  Comparisons give bool and are not differentiable. */
#define VX_BINARY_OPS(X)  X(add, ADD, "AddBackward0")  X(sub, SUB, "SubBackward0") \
    X(mul, MUL, "MulBackward0")  X(div, DIV, "DivBackward0")  X(pow, POW, "PowBackward1") \
    X(maximum, MAXIMUM, "MaximumBackward0")  X(minimum, MINIMUM, "MinimumBackward0")
#define VX_COMPARE_OPS(X) X(eq, EQ, "") X(ne, NE, "") X(lt, LT, "") X(le, LE, "") \
    X(gt, GT, "") X(ge, GE, "")

typedef enum VxBinaryOp {
#define VX_ENUM_(name, NAME, grad) VX_OP_##NAME,
    VX_BINARY_OPS(VX_ENUM_) VX_COMPARE_OPS(VX_ENUM_)
#undef VX_ENUM_
    VX_NBINARY
} VxBinaryOp;

#define VX_DECL_(name, NAME, grad)                                  \
    VxTensor *vx_##name(VxTensor *a, VxTensor *b);                  \
    VxTensor *vx_##name##_s(VxTensor *a, double s);
VX_BINARY_OPS(VX_DECL_)
VX_COMPARE_OPS(VX_DECL_)
#undef VX_DECL_

VxTensor *vx_where(VxTensor *cond, VxTensor *a, VxTensor *b);   /* cond ? a : b */

/* Unary ops.  Integer inputs give f32 for the transcendental ones and keep
 * their dtype for neg, abs, relu and clamp.  gelu is the erf form,
 * gelu_tanh the tanh approximation (torch's approximate='tanh'). */
#define VX_UNARY_OPS(X) X(neg, NEG, "NegBackward0", 0) X(exp, EXP, "ExpBackward0", 1) \
    X(log, LOG, "LogBackward0", 1) X(sqrt, SQRT, "SqrtBackward0", 1) \
    X(rsqrt, RSQRT, "RsqrtBackward0", 1) X(tanh, TANH, "TanhBackward0", 1) \
    X(sigmoid, SIGMOID, "SigmoidBackward0", 1) X(relu, RELU, "ReluBackward0", 0) \
    X(gelu, GELU, "GeluBackward0", 1) X(gelu_tanh, GELU_TANH, "GeluBackward0", 1) \
    X(silu, SILU, "SiluBackward0", 1) X(softplus, SOFTPLUS, "SoftplusBackward0", 1) \
    X(abs, ABS, "AbsBackward0", 0)

typedef enum VxUnaryOp {
#define VX_ENUM_(name, NAME, grad, to_float) VX_OP_##NAME,
    VX_UNARY_OPS(VX_ENUM_)
#undef VX_ENUM_
    VX_OP_CLAMP,                             /* params: lo, hi */
    VX_NUNARY
} VxUnaryOp;

#define VX_DECL_(name, NAME, grad, to_float) VxTensor *vx_##name(VxTensor *t);
VX_UNARY_OPS(VX_DECL_)
#undef VX_DECL_
/* Clamp to [lo, hi]; pass -INFINITY / INFINITY for no bound. */
VxTensor *vx_clamp(VxTensor *t, double lo, double hi);

/* ---- reductions ---------------------------------------------------------------
 * Over the ndims dims listed (negative allowed, each at most once); dims
 * NULL / ndims 0 reduces over every element.  keepdim keeps reduced dims
 * with size 1.  Sums accumulate in f64.  max/min return values (their
 * gradient goes to every position equal to the result, split evenly, as
 * torch.amax); argmax/argmin take at most one dim (none: the flat index)
 * and give i64.  var/std divide by N - correction (1 = unbiased). */
typedef enum VxReduceOp {
    VX_RED_SUM, VX_RED_MEAN, VX_RED_PROD, VX_RED_MAX, VX_RED_MIN,
    VX_RED_ARGMAX, VX_RED_ARGMIN, VX_RED_VAR, VX_RED_LOGSUMEXP,
    VX_NREDUCE
} VxReduceOp;

VxTensor *vx_sum(VxTensor *t, const int *dims, int ndims, bool keepdim);
VxTensor *vx_mean(VxTensor *t, const int *dims, int ndims, bool keepdim);
VxTensor *vx_prod(VxTensor *t, const int *dims, int ndims, bool keepdim);
VxTensor *vx_max(VxTensor *t, const int *dims, int ndims, bool keepdim);
VxTensor *vx_min(VxTensor *t, const int *dims, int ndims, bool keepdim);
VxTensor *vx_logsumexp(VxTensor *t, const int *dims, int ndims, bool keepdim);
VxTensor *vx_argmax(VxTensor *t, const int *dims, int ndims, bool keepdim);
VxTensor *vx_argmin(VxTensor *t, const int *dims, int ndims, bool keepdim);
VxTensor *vx_var(VxTensor *t, const int *dims, int ndims, double correction, bool keepdim);
VxTensor *vx_std(VxTensor *t, const int *dims, int ndims, double correction, bool keepdim);
/* Sum t down to shape (the inverse of broadcasting it to t's shape). */
VxTensor *vx_sum_to_shape(VxTensor *t, const int64_t *shape, int ndim);

/* ---- matmul ----------------------------------------------------------------------
 * torch.matmul: 1-D @ 1-D is a dot product, 1-D operands are promoted to a
 * row (left) or column (right) and that dim removed again, batch dims
 * broadcast.  f32/f64 use BLAS on the CPU. */
VxTensor *vx_matmul(VxTensor *a, VxTensor *b);

/* ---- autodiff ----------------------------------------------------------------------- */
int vx_tensor_set_requires_grad(VxTensor *t, bool on);  /* leaves only; float dtypes */
bool vx_tensor_requires_grad(const VxTensor *t);
/* The leaf's gradient (new reference): zeros of t's shape before any
 * backward.  NULL with an error for tensors that do not require grad. */
VxTensor *vx_tensor_grad(VxTensor *t);
int vx_zero_grad(VxTensor *t);
/* "MulBackward0", or NULL for leaves. */
const char *vx_tensor_grad_fn_name(const VxTensor *t);
/* Backpropagate from root.  seed: d(out)/d(root), root's shape; NULL means
 * ones (root must then have one element).  Frees the graph afterwards; a
 * second backward through it is an error. */
int vx_backward(VxTensor *root, VxTensor *seed);
/* A new leaf over the same storage, outside the graph. */
VxTensor *vx_detach(VxTensor *t);
/* Grad mode: ops record nodes only while no push is outstanding. */
void vx_no_grad_push(void);
void vx_no_grad_pop(void);
bool vx_grad_enabled(void);

/* ---- backends -------------------------------------------------------------------------
 * One table of function pointers per device, filled with designated
 * initializers; a NULL kernel means "unsupported" and the op fails with an
 * error naming it.  Kernels get tensors whose shapes the op layer has
 * already checked: binary/where inputs have the result's shape (broadcast
 * dims have stride 0); any strides, any input dtypes.  They return 0, or -1
 * after vx_tensor_set_error. */
typedef struct VxBackend {
    const char *name;
    VxDevice device;
    void *(*alloc)(size_t nbytes);                     /* NULL on failure */
    void (*free)(void *data, size_t nbytes);           /* nbytes as allocated */
    void (*trim)(void);                                /* free cached blocks; may be NULL */
    /* host <-> device bytes, at a byte offset into storage */
    int (*write)(VxStorage *s, size_t off, const void *src, size_t n);
    int (*read)(const VxStorage *s, size_t off, void *dst, size_t n);
    int (*copy)(VxTensor *dst, const VxTensor *src);   /* converts dtypes */
    int (*fill)(VxTensor *dst, double value);
    /* deriv 0: dst = op(x); deriv 1: dst = op'(x), for backward passes */
    int (*unary)(VxUnaryOp op, int deriv, VxTensor *dst, const VxTensor *x, const double *params);
    /* dx = g * op'(x) in one pass (g, dx: x's shape; dx has g's dtype);
     * may be NULL, then backward runs unary (deriv 1) and a multiply */
    int (*unary_grad)(VxUnaryOp op, VxTensor *dx, const VxTensor *x, const VxTensor *g, const double *params);
    int (*binary)(VxBinaryOp op, VxTensor *dst, const VxTensor *a, const VxTensor *b);
    int (*where)(VxTensor *dst, const VxTensor *cond, const VxTensor *a, const VxTensor *b);
    /* x has dst->ndim + nreduce dims: dst's dims, then the reduced ones.
     * param: the correction of VAR. */
    int (*reduce)(VxReduceOp op, VxTensor *dst, const VxTensor *x, int nreduce, double param);
    /* a [.., m, k] @ b [.., k, n] -> dst [.., m, n], equal ndim >= 2,
     * batch dims already broadcast. */
    int (*matmul)(VxTensor *dst, const VxTensor *a, const VxTensor *b);
} VxBackend;

extern const VxBackend vx_cpu_backend;
const VxBackend *vx_backend_get(VxDevice dev);           /* NULL if none */
void vx_backend_register(VxDevice dev, const VxBackend *b);
/* For backends: record an error message (printf style). */
void vx_tensor_set_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

#endif

/* tensor_internal.h - what the files of src/tensor share: counted
 * allocation, tensor headers, error helpers, the autodiff node and the
 * element load/store helpers every CPU kernel uses. */
#ifndef VX_TENSOR_INTERNAL_H
#define VX_TENSOR_INTERNAL_H

#include "tensor.h"

/* Counted allocation (headers and nodes); honours the fail-Nth hook.  what
 * names the object in the out-of-memory message. */
void *vx__alloc(size_t n, const char *what);
void vx__free(void *p, size_t n);
/* The hook alone, for backends' storage allocations. */
bool vx__alloc_should_fail(void);
/* For backends' storage caches: bytes entering (+) or leaving (-) a cache. */
void vx__count_cached(int64_t delta);

/* A new header with t's dtype/device/storage (retained) and no shape. */
VxTensor *vx__header(const VxTensor *t);
/* A new contiguous tensor on dev; NULL with an error on failure. */
VxTensor *vx__new(const int64_t *shape, int ndim, VxDtype dtype, VxDevice dev);
void vx__set_contiguous_strides(VxTensor *t);
int vx__norm_dim(const VxTensor *t, int d, const char *what);  /* -1 + error if out of range */
const VxBackend *vx__backend(const VxTensor *t, const char *kernel, const void *fn);
char *vx__shape_str(const int64_t *shape, int ndim, char *buf, size_t cap);
#define VX_TNAME(t) vx_tensor_type_str((t), (char[256]){0}, 256)

/* ---- autodiff --------------------------------------------------------- */
#define VX_NODE_INPUTS 3
typedef VxTensor *(*VxBackwardFn)(VxNode *n, VxTensor *gout, int i);

struct VxNode {
    int64_t refcount;
    const char *name;                       /* "MulBackward0" */
    VxBackwardFn backward;                  /* NULL once the graph is freed */
    int ninputs;
    VxTensor *inputs[VX_NODE_INPUTS];       /* retained */
    VxTensor *saved;                        /* retained extra (may be NULL) */
    double p[2];
    int ip[VX_MAX_DIMS + 1];
    int64_t shape[VX_MAX_DIMS];             /* the output's shape */
    int ndim;
    VxTensor *gout;                         /* accumulated during backward */
    uint64_t mark;                          /* traversal epoch */
    void (*on_clear)(VxNode *n);            /* once, as the node drops what it holds (may be NULL) */
};

/* When grad mode is on and an input requires grad, attach a node to out
 * and return it (for parameters); otherwise NULL.  Returns out's node or
 * NULL; on allocation failure releases out, sets *out NULL. */
VxNode *vx__record(VxTensor **out, const char *name, VxBackwardFn fn,
                   VxTensor *a, VxTensor *b, VxTensor *c);
void vx__node_release(VxNode *n);
void vx__count_node(int delta);             /* live_nodes in VxMemStats */

/* ---- elements ---------------------------------------------------------- */
double vx__load_f64(const void *base, VxDtype d, int64_t i);
int64_t vx__load_i64(const void *base, VxDtype d, int64_t i);
void vx__store_f64(void *base, VxDtype d, int64_t i, double v);
void vx__store_i64(void *base, VxDtype d, int64_t i, int64_t v);

/* Odometer over a shape: visits every index, keeping one element offset
 * per operand (strides in elements).  Used by every strided kernel. */
typedef struct VxIter {
    int ndim, nops;
    int64_t shape[VX_MAX_DIMS], idx[VX_MAX_DIMS];
    int64_t strides[4][VX_MAX_DIMS];
    int64_t off[4];
} VxIter;
void vx__iter_init(VxIter *it, const VxTensor *shape_of, const VxTensor *const *ops, int nops);
bool vx__iter_next(VxIter *it);             /* false after the last index */

/* A list of temporaries released together: backward functions compose
 * several ops and return one result.  Ops given NULL return NULL, so a
 * chain stops at the first failure.  vx__done(s, r) releases the kept
 * temporaries and returns r, which must not be one of them. */
typedef struct VxScope { VxTensor *t[16]; int n; } VxScope;
static inline VxTensor *vx__keep(VxScope *s, VxTensor *t) { if (s->n < 16) s->t[s->n++] = t; return t; }
static inline VxTensor *vx__done(VxScope *s, VxTensor *result)
{
    while (s->n) vx_tensor_release(s->t[--s->n]);
    return result;
}

#endif

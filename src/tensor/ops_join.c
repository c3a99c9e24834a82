/* ops_join.c - cat, stack, split and chunk.
 *
 * cat and stack copy each input once into a slice of the result.  A graph
 * node holds at most VX_NODE_INPUTS inputs, so for more inputs the result
 * records a tree: its node's inputs are views of the result covering
 * groups of inputs, each with its own node over its group.  Those views
 * are never read (the backward of a join only slices the gradient), so
 * the tree costs headers and nodes, no copies.  split and chunk return
 * slices (views) of t. */
#include <string.h>

#include "shape_internal.h"

/* Extent of input in the joined dim: stacked inputs lack the dim. */
static int64_t extent(const VxTensor *in, int dim, int out_ndim)
{
    return in->ndim == out_ndim ? in->shape[dim] : 1;
}

static VxTensor *bw_join(VxNode *n, VxTensor *g, int i)
{
    int dim = n->ip[0];
    int64_t off = 0;
    for (int j = 0; j < i; j++) off += extent(n->inputs[j], dim, g->ndim);
    if (n->inputs[i]->ndim != g->ndim) return vx_select(g, dim, off);
    return vx_slice(g, dim, off, off + n->inputs[i]->shape[dim], 1);
}

/* Record the join of ts[0 .. n) on out (a tree when n > VX_NODE_INPUTS). */
static int attach(VxTensor **out, VxTensor *const *ts, int n, int dim, const char *name)
{
    VxTensor *in[VX_NODE_INPUTS] = {0};
    int rc = 0;
    if (n <= VX_NODE_INPUTS) memcpy(in, ts, (size_t)n * sizeof *ts);
    else {
        int per = (n + VX_NODE_INPUTS - 1) / VX_NODE_INPUTS;
        int64_t off = 0;
        for (int g = 0, at = 0; g < VX_NODE_INPUTS && at < n && rc == 0; g++, at += per) {
            int cnt = n - at < per ? n - at : per;
            int64_t len = 0;
            for (int j = 0; j < cnt; j++) len += extent(ts[at + j], dim, (*out)->ndim);
            in[g] = vx_slice(*out, dim, off, off + len, 1);
            off += len;
            rc = in[g] ? attach(&in[g], ts + at, cnt, dim, name) : -1;
        }
    }
    VxNode *node = rc ? NULL : vx__record(out, name, bw_join, in[0], in[1], in[2]);
    if (node) node->ip[0] = dim;
    if (n > VX_NODE_INPUTS) for (int g = 0; g < VX_NODE_INPUTS; g++) vx_tensor_release(in[g]);
    if (rc) { vx_tensor_release(*out); *out = NULL; }
    return *out ? 0 : -1;
}

/* Inputs with ts[0]'s ndim, device and (but for dim skip) shape. */
static int check_inputs(VxTensor *const *ts, int n, int skip, const char *what)
{
    for (int i = 1; i < n; i++) {
        const VxTensor *a = ts[0], *b = ts[i];
        bool ok = a->ndim == b->ndim && a->device == b->device;
        int bad = -1;
        for (int d = 0; ok && d < a->ndim; d++) if (d != skip && a->shape[d] != b->shape[d]) { ok = false; bad = d; }
        if (ok) continue;
        if (bad >= 0)
            vx_tensor_set_error("cannot %s %s and %s (tensor %d): sizes %lld and %lld differ in dimension %d", what,
                                VX_TNAME(a), VX_TNAME(b), i, (long long)a->shape[bad], (long long)b->shape[bad], bad);
        else
            vx_tensor_set_error("cannot %s %s and %s (tensor %d): %s", what, VX_TNAME(a), VX_TNAME(b), i,
                                a->ndim != b->ndim ? "dimension counts differ" : "devices differ");
        return -1;
    }
    return 0;
}

static VxDtype joined_dtype(VxTensor *const *ts, int n)
{
    VxDtype d = ts[0]->dtype;
    for (int i = 1; i < n; i++) d = vx_dtype_promote(d, ts[i]->dtype);
    return d;
}

/* Copy every input into its place in out: a slice (cat) or a select (stack). */
static int fill(VxTensor *out, VxTensor *const *ts, int n, int dim, bool stack)
{
    int64_t off = 0;
    int rc = 0;
    vx_no_grad_push();
    for (int i = 0; i < n && rc == 0; i++) {
        int64_t len = stack ? 1 : ts[i]->shape[dim];
        VxTensor *v = stack ? vx_select(out, dim, off) : vx_slice(out, dim, off, off + len, 1);
        rc = v ? vx_tensor_copy_(v, ts[i]) : -1;
        vx_tensor_release(v);
        off += len;
    }
    vx_no_grad_pop();
    return rc;
}

/* The joined shape: ts[0]'s with dim's size summed (cat) or n inserted
 * (stack); normalises *dim.  Returns the result's ndim or -1. */
static int joined_shape(VxTensor *const *ts, int n, int *dim, bool stack, int64_t *shape, const char *what)
{
    int nd = ts[0]->ndim + stack, d = *dim < 0 ? *dim + nd : *dim;
    if (nd == 0 || nd > VX_MAX_DIMS) {
        vx_tensor_set_error("cannot %s %s: %s", what, VX_TNAME(ts[0]),
                            nd ? "too many dimensions" : "zero-dimensional tensors cannot be concatenated");
        return -1;
    }
    if (d < 0 || d >= nd) {
        vx_tensor_set_error("cannot %s %s: dimension %d is out of range for %d dimensions", what, VX_TNAME(ts[0]), *dim, nd);
        return -1;
    }
    if (check_inputs(ts, n, stack ? -1 : d, what) < 0) return -1;
    for (int i = 0, j = 0; i < nd; i++) shape[i] = stack && i == d ? n : ts[0]->shape[j++];
    if (!stack) for (int i = 1; i < n; i++) shape[d] += ts[i]->shape[d];
    *dim = d;
    return nd;
}

static VxTensor *join(VxTensor *const *ts, int n, int dim, bool stack)
{
    const char *what = stack ? "stack" : "cat";
    if (n < 1) { vx_tensor_set_error("cannot %s an empty list of tensors", what); return NULL; }
    for (int i = 0; i < n; i++) if (!ts[i]) return NULL;
    int64_t shape[VX_MAX_DIMS];
    int nd = joined_shape(ts, n, &dim, stack, shape, what);
    VxTensor *out = nd < 0 ? NULL : vx__new(shape, nd, joined_dtype(ts, n), ts[0]->device);
    if (out && fill(out, ts, n, dim, stack) < 0) { vx_tensor_release(out); return NULL; }
    bool grad = false;
    for (int i = 0; i < n; i++) grad |= ts[i]->requires_grad;
    if (out && grad && vx_grad_enabled() && attach(&out, ts, n, dim, stack ? "StackBackward0" : "CatBackward0") < 0) return NULL;
    return out;
}

VxTensor *vx_cat(VxTensor *const *ts, int n, int dim) { return join(ts, n, dim, false); }
VxTensor *vx_stack(VxTensor *const *ts, int n, int dim) { return join(ts, n, dim, true); }

/* Slices of `size` along dim into out[0 .. cap); returns the count. */
static int pieces(VxTensor *t, int64_t size, int dim, VxTensor **out, int cap, const char *what)
{
    if (!t) return -1;
    if (t->ndim == 0) { vx_tensor_set_error("cannot %s %s: it has no dimensions", what, VX_TNAME(t)); return -1; }
    if ((dim = vx__norm_dim(t, dim, what)) < 0) return -1;
    int64_t len = t->shape[dim], count = len == 0 ? 1 : (len + size - 1) / size;
    if (count > cap && out) {
        vx_tensor_set_error("cannot %s %s into %lld pieces: room for only %d", what, VX_TNAME(t), (long long)count, cap);
        return -1;
    }
    for (int64_t i = 0; out && i < count; i++) {
        out[i] = vx_slice(t, dim, i * size, (i + 1) * size, 1);
        if (!out[i]) { while (i > 0) vx_tensor_release(out[--i]); return -1; }
        if (out[i]->grad_fn) out[i]->grad_fn->name = "SplitBackward0";
    }
    return (int)count;
}

int vx_split(VxTensor *t, int64_t size, int dim, VxTensor **out, int cap)
{
    if (t && size < 1) {
        vx_tensor_set_error("cannot split %s into pieces of size %lld: sizes must be positive", VX_TNAME(t), (long long)size);
        return -1;
    }
    return pieces(t, size, dim, out, cap, "split");
}

int vx_chunk(VxTensor *t, int64_t chunks, int dim, VxTensor **out, int cap)
{
    if (t && chunks < 1) {
        vx_tensor_set_error("cannot chunk %s into %lld chunks: the count must be positive", VX_TNAME(t), (long long)chunks);
        return -1;
    }
    int d = t ? vx__norm_dim(t, dim, "chunk") : -1;
    if (d < 0 || t->ndim == 0) return pieces(t, 1, dim, out, cap, "chunk");
    int64_t size = (t->shape[d] + chunks - 1) / chunks;
    return pieces(t, size ? size : 1, dim, out, cap, "chunk");
}

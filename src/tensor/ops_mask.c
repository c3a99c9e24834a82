/* ops_mask.c - masked_fill, tril/triu and one_hot, composed from where,
 * comparisons and arange; each records one node named as in torch whose
 * backward masks the gradient the same way. */
#include "shape_internal.h"

static VxTensor *bw_masked_fill(VxNode *n, VxTensor *g, int i)
{
    (void)i;
    VxScope s = {0};
    return vx__done(&s, vx_where(n->saved, vx__keep(&s, vx_scalar(0, g->dtype)), g));
}

static bool broadcasts_to(const VxTensor *m, const VxTensor *t)
{
    if (m->ndim > t->ndim) return false;
    for (int i = 1; i <= m->ndim; i++)
        if (m->shape[m->ndim - i] != 1 && m->shape[m->ndim - i] != t->shape[t->ndim - i]) return false;
    return true;
}

VxTensor *vx_masked_fill(VxTensor *t, VxTensor *mask, double value)
{
    if (!t || !mask) return NULL;
    if (mask->dtype != VX_BOOL || !broadcasts_to(mask, t)) {
        vx_tensor_set_error("cannot masked_fill %s with mask %s: %s", VX_TNAME(t), VX_TNAME(mask),
                            mask->dtype != VX_BOOL ? "the mask must be bool" : "the mask does not broadcast to the tensor's shape");
        return NULL;
    }
    VxScope s = {0};
    vx_no_grad_push();
    VxTensor *m = vx__keep(&s, vx_expand(mask, t->shape, t->ndim));
    VxTensor *out = vx_where(m, vx__keep(&s, vx_scalar(value, t->dtype)), t);
    vx_no_grad_pop();
    VxNode *node = vx__record(&out, "MaskedFillBackward0", bw_masked_fill, t, NULL, NULL);
    if (node) node->saved = vx_tensor_retain(m);
    return vx__done(&s, out);
}

/* t with the elements off the kept triangle zeroed; not recorded. */
static VxTensor *triangle(VxTensor *t, int64_t k, bool upper)
{
    int64_t h = t->shape[t->ndim - 2], w = t->shape[t->ndim - 1];
    VxScope s = {0};
    VxTensor *rows = vx__keep(&s, vx_reshape(vx__keep(&s, vx_arange(0, (double)h, 1, VX_I64)), (int64_t[]){ h, 1 }, 2));
    VxTensor *cols = vx__keep(&s, vx_arange(0, (double)w, 1, VX_I64));
    VxTensor *diag = vx__keep(&s, vx_sub(cols, rows));           /* column - row */
    VxTensor *keep = vx__keep(&s, upper ? vx_ge_s(diag, (double)k) : vx_le_s(diag, (double)k));
    return vx__done(&s, vx_where(keep, t, vx__keep(&s, vx_scalar(0, t->dtype))));
}

static VxTensor *bw_triangle(VxNode *n, VxTensor *g, int i) { (void)i; return triangle(g, (int64_t)n->p[0], n->ip[0]); }

static VxTensor *tri(VxTensor *t, int64_t k, bool upper)
{
    if (!t) return NULL;
    if (t->ndim < 2) {
        vx_tensor_set_error("cannot take %s of %s: it needs at least 2 dimensions", upper ? "triu" : "tril", VX_TNAME(t));
        return NULL;
    }
    vx_no_grad_push();
    VxTensor *out = triangle(t, k, upper);
    vx_no_grad_pop();
    VxNode *node = vx__record(&out, upper ? "TriuBackward0" : "TrilBackward0", bw_triangle, t, NULL, NULL);
    if (node) { node->ip[0] = upper; node->p[0] = (double)k; }
    return out;
}

VxTensor *vx_tril(VxTensor *t, int64_t k) { return tri(t, k, false); }
VxTensor *vx_triu(VxTensor *t, int64_t k) { return tri(t, k, true); }

VxTensor *vx_one_hot(VxTensor *indices, int64_t num_classes)
{
    if (!indices || vx__check_index_dtype(indices, "one_hot", indices) < 0) return NULL;
    if (num_classes < -1 || (num_classes == -1 && vx_tensor_numel(indices) == 0)) {
        vx_tensor_set_error("cannot one_hot %s with %lld classes: give a class count of at least 0, or -1 for max + 1 "
                            "of a non-empty tensor", VX_TNAME(indices), (long long)num_classes);
        return NULL;
    }
    VxScope s = {0};
    if (num_classes == -1) {
        VxTensor *m = vx__keep(&s, vx_max(indices, NULL, 0, false));
        double v = 0;
        if (!m || vx_tensor_item_f64(m, &v) < 0) return vx__done(&s, NULL);
        num_classes = (int64_t)v + 1;
    }
    if (vx__check_index(indices, num_classes, "one_hot", indices, -1) < 0) return vx__done(&s, NULL);
    VxTensor *u = vx__keep(&s, vx_unsqueeze(indices, -1));
    VxTensor *hit = vx__keep(&s, vx_eq(u, vx__keep(&s, vx_arange(0, (double)num_classes, 1, VX_I64))));
    return vx__done(&s, vx_to(hit, VX_I64));
}

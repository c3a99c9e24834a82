/* ops_matmul.c - torch.matmul semantics on top of the backend's batched
 * [.., m, k] @ [.., k, n] kernel: 1-D operands become a row (left) or a
 * column (right) and that dim is dropped from the result; batch dims
 * broadcast (expanded views, no copies). */
#include <string.h>

#include "tensor_internal.h"

/* a and b as matrices: a 1-D a becomes [1, k], a 1-D b [k, 1]. */
static void as_matrices(VxTensor *a, VxTensor *b, VxTensor **a2, VxTensor **b2)
{
    *a2 = a->ndim == 1 ? vx_unsqueeze(a, 0) : vx_tensor_retain(a);
    *b2 = b->ndim == 1 ? vx_unsqueeze(b, 1) : vx_tensor_retain(b);
}

/* t [.., k] as [rows, k] when its leading dims merge without a copy (so
 * [B, T, k] @ [k, n] is one GEMM, as in torch), else NULL. */
static VxTensor *fold_rows(VxTensor *t)
{
    int n = t->ndim;
    for (int d = 0; d + 2 < n; d++)
        if (t->strides[d] != t->strides[d + 1] * t->shape[d + 1] && t->shape[d] != 1) return NULL;
    int64_t s[2] = { vx_tensor_numel(t) / (t->shape[n - 1] ? t->shape[n - 1] : 1), t->shape[n - 1] };
    return s[0] ? vx_reshape(t, s, 2) : NULL;
}

/* d(a @ b)/db for a 2-D b and a batched a: a^T @ g over the merged batch
 * rows, one GEMM straight into b's shape instead of a batch of products
 * and a sum over it. */
static VxTensor *bw_folded_b(VxTensor *a, VxTensor *g)
{
    VxScope s = {0};
    VxTensor *af = vx__keep(&s, fold_rows(a));
    VxTensor *gc = af ? vx__keep(&s, vx_contiguous(g)) : NULL, *gf = gc ? vx__keep(&s, fold_rows(gc)) : NULL;
    return vx__done(&s, gf ? vx_matmul(vx__keep(&s, vx_transpose(af, 0, 1)), gf) : NULL);
}

static VxTensor *bw_matmul(VxNode *n, VxTensor *g, int i)
{
    VxScope s = {0};
    VxTensor *a = n->inputs[0], *b = n->inputs[1], *a2, *b2;
    if (i == 1 && b->ndim == 2 && a->ndim > 2) {
        VxTensor *r = bw_folded_b(a, g);
        if (r) return r;
    }
    as_matrices(a, b, &a2, &b2);
    vx__keep(&s, a2); vx__keep(&s, b2);
    VxTensor *gf = g;                       /* g with the dropped dims back */
    if (b->ndim == 1) gf = vx__keep(&s, vx_unsqueeze(gf, -1));
    if (a->ndim == 1) gf = vx__keep(&s, vx_unsqueeze(gf, -2));
    /* A 1-D operand's gradient loses its unit dim again, so that summing
     * over broadcast batch dims reaches the operand's own shape. */
    if (i == 0) {
        VxTensor *ga = vx_matmul(gf, vx__keep(&s, vx_transpose(b2, -1, -2)));
        return vx__done(&s, a->ndim == 1 && ga ? vx_squeeze(vx__keep(&s, ga), -2) : ga);
    }
    VxTensor *gb = vx_matmul(vx__keep(&s, vx_transpose(a2, -1, -2)), gf);
    return vx__done(&s, b->ndim == 1 && gb ? vx_squeeze(vx__keep(&s, gb), -1) : gb);
}

/* Shapes of the expanded operands and of the result; -1 on mismatch. */
static int matmul_shapes(const VxTensor *a, const VxTensor *a2, const VxTensor *b, const VxTensor *b2,
                         int64_t *sa, int64_t *sb, int64_t *so, int *nd)
{
    int ba = a2->ndim - 2, bb = b2->ndim - 2, n = ba > bb ? ba : bb;
    int64_t k = a2->shape[a2->ndim - 1], k2 = b2->shape[b2->ndim - 2];
    if (k != k2) {
        vx_tensor_set_error("cannot multiply %s @ %s: inner dimensions %lld and %lld differ",
                            VX_TNAME(a), VX_TNAME(b), (long long)k, (long long)k2);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        int ia = ba - n + i, ib = bb - n + i;
        int64_t x = ia >= 0 ? a2->shape[ia] : 1, y = ib >= 0 ? b2->shape[ib] : 1;
        if (x != y && x != 1 && y != 1) {
            vx_tensor_set_error("cannot multiply %s @ %s: batch dimensions %lld and %lld differ",
                                VX_TNAME(a), VX_TNAME(b), (long long)x, (long long)y);
            return -1;
        }
        sa[i] = sb[i] = so[i] = x == 1 ? y : x;
    }
    sa[n] = so[n] = a2->shape[a2->ndim - 2]; sa[n + 1] = k;
    sb[n] = k; sb[n + 1] = so[n + 1] = b2->shape[b2->ndim - 1];
    *nd = n + 2;
    return 0;
}

static const char *grad_name(const VxTensor *a, const VxTensor *b)
{
    if (a->ndim == 1 && b->ndim == 1) return "DotBackward0";
    if (a->ndim == 2 && b->ndim == 1) return "MvBackward0";
    return a->ndim == 2 && b->ndim == 2 ? "MmBackward0" : "BmmBackward0";
}

/* The product of the expanded matrices, then the 1-D dims dropped. */
static VxTensor *product(VxTensor *a, VxTensor *b, VxTensor *a2, VxTensor *b2)
{
    int64_t sa[VX_MAX_DIMS], sb[VX_MAX_DIMS], so[VX_MAX_DIMS], fin[VX_MAX_DIMS];
    int nd, nf = 0;
    if (matmul_shapes(a, a2, b, b2, sa, sb, so, &nd) < 0) return NULL;
    const VxBackend *be = vx__backend(a, "matmul", vx_backend_get(a->device)->matmul);
    VxScope s = {0};
    VxTensor *ea = vx__keep(&s, vx_expand(a2, sa, nd)), *eb = vx__keep(&s, vx_expand(b2, sb, nd));
    VxTensor *out = be && ea && eb ? vx__keep(&s, vx__new(so, nd, vx_dtype_promote(a->dtype, b->dtype), a->device)) : NULL;
    if (out && be->matmul(out, ea, eb) < 0) out = NULL;
    for (int i = 0; i < nd; i++)
        if (!((i == nd - 2 && a->ndim == 1) || (i == nd - 1 && b->ndim == 1))) fin[nf++] = so[i];
    return vx__done(&s, out ? vx_reshape(out, fin, nf) : NULL);
}

VxTensor *vx_matmul(VxTensor *a, VxTensor *b)
{
    if (!a || !b) return NULL;
    if (a->ndim == 0 || b->ndim == 0) {
        vx_tensor_set_error("cannot multiply %s @ %s: `@` needs tensors of at least one dimension", VX_TNAME(a), VX_TNAME(b));
        return NULL;
    }
    VxTensor *a2, *b2;
    vx_no_grad_push();
    VxTensor *af = a->ndim > 2 && b->ndim == 2 ? fold_rows(a) : NULL, *out;
    if (af) {                               /* [.., k] @ [k, n]: one GEMM of the rows */
        int64_t so[VX_MAX_DIMS];
        memcpy(so, a->shape, sizeof so);
        so[a->ndim - 1] = b->shape[1];
        VxTensor *o2 = vx_matmul(af, b);
        out = o2 ? vx_reshape(o2, so, a->ndim) : NULL;
        vx_tensor_release(o2);
        a2 = b2 = NULL;
        vx_tensor_release(af);
    } else {
        as_matrices(a, b, &a2, &b2);
        out = a2 && b2 ? product(a, b, a2, b2) : NULL;
    }
    vx_no_grad_pop();
    vx_tensor_release(a2);
    vx_tensor_release(b2);
    vx__record(&out, grad_name(a, b), bw_matmul, a, b, NULL);
    return out;
}

/* cpu_sort.c - stable sort along a dim on the CPU: each lane is copied
 * into a buffer of (key, position) items and merge sorted (stable by
 * construction), then written to values and indices.  Integer keys are
 * compared as i64, float keys as f64 with NaN above every number, as in
 * torch.  Memory traffic: one read of src and one write of values and
 * indices per element, plus log2(len) passes over the buffer. */
#include <math.h>

#include "cpu_shape.h"

typedef struct Item { double f; int64_t i, pos; } Item;

/* a strictly before b in the requested order */
static bool before(const Item *a, const Item *b, bool fl, bool desc)
{
    if (!fl) return desc ? a->i > b->i : a->i < b->i;
    bool an = isnan(a->f), bn = isnan(b->f);
    if (an || bn) return desc ? an && !bn : bn && !an;
    return desc ? a->f > b->f : a->f < b->f;
}

/* Bottom-up merge sort of v[0 .. n) using tmp; the result ends in *out. */
static Item *merge_sort(Item *v, Item *tmp, int64_t n, bool fl, bool desc)
{
    for (int64_t w = 1; w < n; w *= 2) {
        for (int64_t lo = 0; lo < n; lo += 2 * w) {
            int64_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            int64_t a = lo, b = mid, k = lo;
            while (a < mid && b < hi) tmp[k++] = before(&v[b], &v[a], fl, desc) ? v[b++] : v[a++];
            while (a < mid) tmp[k++] = v[a++];
            while (b < hi) tmp[k++] = v[b++];
        }
        Item *t = v; v = tmp; tmp = t;
    }
    return v;
}

int vx_cpu_sort(VxTensor *values, VxTensor *indices, const VxTensor *src, int dim, bool descending)
{
    const VxTensor *ops[3] = { values, indices, src };
    VxLanes l;
    vx__lanes_init(&l, src, dim, ops, 3);
    if (l.done) return 0;
    size_t bytes = (size_t)l.len * 2 * sizeof(Item);
    Item *buf = vx__alloc(bytes, "a sort buffer");
    if (!buf) return -1;
    bool fl = vx_dtype_is_float(src->dtype);
    int64_t sv = values->ndim ? values->strides[dim] : 0, si = indices->ndim ? indices->strides[dim] : 0;
    int64_t ss = src->ndim ? src->strides[dim] : 0;
    do {
        for (int64_t j = 0; j < l.len; j++) {
            int64_t o = l.it.off[2] + j * ss;
            buf[j] = (Item){ fl ? vx__load_f64(src->storage->data, src->dtype, o) : 0,
                             fl ? 0 : vx__load_i64(src->storage->data, src->dtype, o), j };
        }
        Item *r = merge_sort(buf, buf + l.len, l.len, fl, descending);
        for (int64_t j = 0; j < l.len; j++) {
            if (fl) vx__store_f64(values->storage->data, values->dtype, l.it.off[0] + j * sv, r[j].f);
            else vx__store_i64(values->storage->data, values->dtype, l.it.off[0] + j * sv, r[j].i);
            vx__store_i64(indices->storage->data, indices->dtype, l.it.off[1] + j * si, r[j].pos);
        }
    } while (vx__lanes_next(&l));
    vx__free(buf, bytes);
    return 0;
}

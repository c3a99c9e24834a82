/* tensor_shape_vm.c - the TENSOR instruction's operations over
 * tensor_shape.h: cat/stack, split/chunk, gather, scatter_add,
 * index_select, masked_fill, one_hot, tril/triu, cumsum, sort, topk,
 * conv1d/conv2d, max/avg pooling, and the rows a `for` loop visits.
 * The library checks shapes, dims and index ranges; its errors become
 * located runtime errors (vm_put_tensor, vm_lib_status). */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

#include "tensor_vm.h"
#include "../tensor/tensor_shape.h"
#include "../util/arena.h"

/* An integer argument the library takes as an int: out of range is an
 * error, never a silent wrap. */
static int small_int(Vm *vm, const char *op, const char *what, int64_t v, int *out)
{
    if (v < INT_MIN || v > INT_MAX) return vm_error(vm, "%s: %s %lld is out of range", op, what, (long long)v);
    *out = (int)v;
    return 0;
}

/* The tensors of a [Tensor] array, borrowed. */
static VxTensor **tensor_list(const VxArr *list)
{
    VxTensor **ts = vx_xmalloc(sizeof *ts * (list->len ? list->len : 1));
    for (uint32_t k = 0; k < list->len; k++) ts[k] = vm_tv(list->items[k]);
    return ts;
}

static int join(Vm *vm, const VxValue *a, VxValue *out)
{
    int dim = 0;
    bool stack = a[2].i != 0;
    if (small_int(vm, stack ? "stack" : "cat", "dimension", a[1].i, &dim)) return 1;
    VxTensor **ts = tensor_list(a[0].a);
    VxTensor *r = (stack ? vx_stack : vx_cat)(ts, (int)a[0].a->len, dim);
    free(ts);
    return vm_put_tensor(vm, r, out);
}

/* An array of the tensors in ts[0..n-1], taking their references. */
static int tensor_array(Vm *vm, VxTensor **ts, int n, VxValue *out)
{
    VxArr *arr = vm_new_arr(vm, (uint32_t)(n ? n : 1), VX_PUT_TENSOR);
    for (int k = 0; k < n; k++) {
        VxValue v;
        vm_put_tensor(vm, ts[k], &v);
        vm_arr_push_move(vm, &arr, v);
    }
    out->a = arr;
    return 0;
}

/* split(t, size, dim) / chunk(t, chunks, dim): the library counts the
 * pieces first (out == NULL), then makes them. */
static int split(Vm *vm, const VxValue *a, VxValue *out)
{
    VxTensor *t = vm_tv(a[0]);
    bool chunk = a[3].i != 0;
    int dim = 0;
    if (small_int(vm, chunk ? "chunk" : "split", "dimension", a[2].i, &dim)) return 1;
    int (*fn)(VxTensor *, int64_t, int, VxTensor **, int) = chunk ? vx_chunk : vx_split;
    int n = fn(t, a[1].i, dim, NULL, 0);
    if (n < 0) return vm_lib_status(vm, -1);
    VxTensor **ts = vx_xmalloc(sizeof *ts * (size_t)(n ? n : 1));
    int got = fn(t, a[1].i, dim, ts, n);
    int rc = got < 0 ? vm_lib_status(vm, -1) : tensor_array(vm, ts, got, out);
    free(ts);
    return rc;
}

/* (values, indices) as the tuple of descriptor d. */
static int pair(Vm *vm, int rc, VxTensor *values, VxTensor *indices, const VxRecDesc *d, VxValue *out)
{
    if (rc) return vm_lib_status(vm, -1);
    VxRec *r = vm_new_rec(vm, d);
    vm_put_tensor(vm, values, &r->fields[0]);
    vm_put_tensor(vm, indices, &r->fields[1]);
    out->r = r;
    return 0;
}

static int sorting(Vm *vm, int op, const VxValue *a, VxValue *out)
{
    VxTensor *t = vm_tv(a[0]), *values = NULL, *indices = NULL;
    int dim = 0;
    int rc;
    if (op == VX_TOP_SORT) {
        if (small_int(vm, "sort", "dimension", a[1].i, &dim)) return 1;
        rc = vx_sort(t, dim, a[2].i != 0, &values, &indices);
        return pair(vm, rc, values, indices, a[3].d, out);
    }
    if (small_int(vm, "topk", "dimension", a[2].i, &dim)) return 1;
    rc = vx_topk(t, a[1].i, dim, a[3].i != 0, true, &values, &indices);
    return pair(vm, rc, values, indices, a[4].d, out);
}

/* CONV(x, w, bias, has_bias, stride, padding, dilation, groups, nspatial):
 * one stride, padding and dilation for every spatial dim, as torch's
 * conv2d(..., stride=2). */
static int conv(Vm *vm, const VxValue *a, VxValue *out)
{
    const char *op = a[8].i == 1 ? "conv1d" : "conv2d";
    static const char *const what[4] = { "stride", "padding", "dilation", "groups" };
    int p[4] = {0};
    for (int k = 0; k < 4; k++)
        if (small_int(vm, op, what[k], a[4 + k].i, &p[k])) return 1;
    VxTensor *x = vm_tv(a[0]), *w = vm_tv(a[1]), *bias = a[3].i ? vm_tv(a[2]) : NULL;
    if (a[8].i == 1) return vm_put_tensor(vm, vx_conv1d(x, w, bias, p[0], p[1], p[2], p[3]), out);
    return vm_put_tensor(vm, vx_conv2d(x, w, bias, p[0], p[0], p[1], p[1], p[2], p[2], p[3]), out);
}

/* POOL(x, kernel, stride, padding, avg): square windows; stride 0 is the
 * kernel size.  avg_pool2d counts the padding (torch's default). */
static int pool(Vm *vm, const VxValue *a, VxValue *out)
{
    const char *op = a[4].i ? "avg_pool2d" : "max_pool2d";
    int k = 0, s = 0, p = 0;
    if (small_int(vm, op, "kernel size", a[1].i, &k) || small_int(vm, op, "stride", a[2].i, &s) ||
        small_int(vm, op, "padding", a[3].i, &p))
        return 1;
    VxTensor *x = vm_tv(a[0]);
    if (a[4].i) return vm_put_tensor(vm, vx_avg_pool2d(x, k, k, s, s, p, p, true), out);
    return vm_put_tensor(vm, vx_max_pool2d(x, k, k, s, s, p, p, 1, 1, false, NULL), out);
}

/* `for row in t`: t's slices along dim 0 (views, so a row's gradient
 * flows to t), or the elements of a 1-D t as scalars of its dtype. */
static int unbind(Vm *vm, VxTensor *t, int put, VxValue *out)
{
    if (t->ndim == 0) return vm_error(vm, "cannot iterate over a 0-dim tensor");
    int64_t n = t->shape[0];
    VxArr *arr = vm_new_arr(vm, (uint32_t)(n ? n : 1), put);
    out->a = arr;
    for (int64_t i = 0; i < n; i++) {
        VxValue v = { .u = 0 };
        int rc;
        if (t->ndim > 1) {
            rc = vm_put_tensor(vm, vx_select(t, 0, i), &v);
        } else {
            double f = 0;
            int64_t x = 0;
            rc = vx_dtype_is_float(t->dtype) ? vx_tensor_get_f64(t, &i, &f) : vx_tensor_get_i64(t, &i, &x);
            rc = vm_lib_status(vm, rc);
            if (t->dtype == VX_F64) v.f = f;
            else if (vx_dtype_is_float(t->dtype)) v.f32 = (float)f;
            else v.i = x;
        }
        if (rc) return 1;
        vm_arr_push_move(vm, &out->a, v);
    }
    return 0;
}

/* cumsum keeps a float dtype but turns every integer dtype into i64; the
 * static type promised the input's. */
static int cumsum(Vm *vm, VxTensor *t, int64_t d, VxValue *out)
{
    int dim = 0;
    if (small_int(vm, "cumsum", "dimension", d, &dim)) return 1;
    if (!vx_dtype_is_float(t->dtype) && t->dtype != VX_I64) {
        char ty[128];
        return vm_error(vm, "cumsum of %s gives an i64 tensor; convert first (`t as i64`)",
                        vx_tensor_type_str(t, ty, sizeof ty));
    }
    return vm_put_tensor(vm, vx_cumsum(t, dim), out);
}

int vm_tensor_shape_op(Vm *vm, int op, const VxValue *a, VxValue *out)
{
    int dim = 0;
    switch (op) {
    case VX_TOP_CAT: return join(vm, a, out);
    case VX_TOP_SPLIT: return split(vm, a, out);
    case VX_TOP_GATHER: case VX_TOP_INDEX_SELECT: case VX_TOP_SCATTER_ADD: {
        const char *name = op == VX_TOP_GATHER ? "gather" : op == VX_TOP_SCATTER_ADD ? "scatter_add" : "index_select";
        if (small_int(vm, name, "dimension", a[1].i, &dim)) return 1;
        VxTensor *t = vm_tv(a[0]), *ix = vm_tv(a[2]);
        if (op == VX_TOP_GATHER) return vm_put_tensor(vm, vx_gather(t, dim, ix), out);
        if (op == VX_TOP_SCATTER_ADD) return vm_put_tensor(vm, vx_scatter_add(t, dim, ix, vm_tv(a[3])), out);
        return vm_put_tensor(vm, vx_index_select(t, dim, ix), out);
    }
    case VX_TOP_MASKED_FILL: return vm_put_tensor(vm, vx_masked_fill(vm_tv(a[0]), vm_tv(a[1]), a[2].f), out);
    case VX_TOP_ONE_HOT: return vm_put_tensor(vm, vx_one_hot(vm_tv(a[0]), a[1].i), out);
    case VX_TOP_TRI: return vm_put_tensor(vm, (a[2].i ? vx_triu : vx_tril)(vm_tv(a[0]), a[1].i), out);
    case VX_TOP_CUMSUM: return cumsum(vm, vm_tv(a[0]), a[1].i, out);
    case VX_TOP_SORT: case VX_TOP_TOPK: return sorting(vm, op, a, out);
    case VX_TOP_CONV: return conv(vm, a, out);
    case VX_TOP_POOL: return pool(vm, a, out);
    case VX_TOP_UNBIND: return unbind(vm, vm_tv(a[0]), (int)a[1].i, out);
    default: return vm_error(vm, "internal error: tensor operation %d", op);
    }
}

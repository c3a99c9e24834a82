/* compare.c - ordering of values: `<` `<=` `>` `>=` on arrays, tuples and
 * records, and sorting arrays of them.
 *
 * As Rust's derived and slice orderings: arrays compare lexicographically
 * (a proper prefix is less), tuples and structs field by field, enum values
 * by variant (declaration order: `None < Some(_)`, `Ok(_) < Err(_)`) and
 * then payload.  Under `<`, a float NaN
 * anywhere in the decision makes the values unordered and every comparison
 * false (PartialOrd); sorting uses the total order that puts NaN last. */
#include "vm_internal.h"
#include "num.h"

#include <stdlib.h>
#include <string.h>

static int cmp_float(double a, double b, bool total)
{
    if (a != a || b != b) return total ? (a != a) - (b != b) : VM_UNORDERED;
    return (a > b) - (a < b);
}

int vm_values_compare(VxValue a, VxValue b, int kind, bool total)
{
    if (kind == VX_PUT_F64) return cmp_float(a.f, b.f, total);
    if (kind == VX_PUT_F32 || kind == VX_PUT_F16 || kind == VX_PUT_BF16) return cmp_float(a.f32, b.f32, total);
    if (vm_kind_wide(kind)) {                          /* normalised: compare as 256-bit values of the signedness */
        VxIntType t = { 256, vx_int_signed((VxIntKind)(kind - VX_PUT_INT)) };
        return vx_wide_cmp(a.w->v, b.w->v, t);
    }
    if (kind == VX_PUT_STR) {
        int c = memcmp(a.s->data, b.s->data, a.s->len < b.s->len ? a.s->len : b.s->len);
        return c ? (c > 0) - (c < 0) : (a.s->len > b.s->len) - (a.s->len < b.s->len);
    }
    if (kind == VX_PUT_ARR) {
        uint32_t n = a.a->len < b.a->len ? a.a->len : b.a->len;
        for (uint32_t i = 0; i < n; i++) {
            int c = vm_values_compare(a.a->items[i], b.a->items[i], a.a->elem_kind, total);
            if (c) return c;
        }
        return (a.a->len > b.a->len) - (a.a->len < b.a->len);
    }
    if (kind == VX_PUT_REC) {
        if (a.r->desc->order != b.r->desc->order) return a.r->desc->order < b.r->desc->order ? -1 : 1;
        for (uint32_t i = 0; i < a.r->desc->n; i++) {
            int c = vm_values_compare(a.r->fields[i], b.r->fields[i], a.r->desc->kinds[i], total);
            if (c) return c;
        }
        return 0;
    }
    if (kind >= VX_PUT_INT && kind < VX_PUT_F64 && vx_int_signed((VxIntKind)(kind - VX_PUT_INT)))
        return (a.i > b.i) - (a.i < b.i);
    return (a.u > b.u) - (a.u < b.u);                 /* unsigned integers, bools, unit */
}

/* A stable merge sort (as Rust's `sort`), in the total order. */
static void merge_sort(VxValue *v, VxValue *tmp, uint32_t n, int kind)
{
    if (n < 2) return;
    uint32_t h = n / 2;
    merge_sort(v, tmp, h, kind);
    merge_sort(v + h, tmp, n - h, kind);
    uint32_t i = 0, j = h, k = 0;
    while (i < h && j < n) tmp[k++] = vm_values_compare(v[j], v[i], kind, true) < 0 ? v[j++] : v[i++];
    while (i < h) tmp[k++] = v[i++];                  /* v[j..n) is already in place */
    memcpy(v, tmp, sizeof(VxValue) * (size_t)k);
}

void vm_sort_values(VxValue *v, uint32_t n, int kind)
{
    if (n < 2) return;
    VxValue *tmp = vx_xmalloc(sizeof(VxValue) * (size_t)n);
    merge_sort(v, tmp, n, kind);
    free(tmp);
}

/* cpu_backend.c - the CPU backend table, plus its memory kernels (alloc,
 * host transfers, strided copy with dtype conversion, fill).  The compute
 * kernels are in cpu_map.c, cpu_reduce.c and cpu_matmul.c; allocation in
 * cpu_cache.c. */
#include <stdlib.h>
#include <string.h>

#include "cpu.h"

static int cpu_write(VxStorage *s, size_t off, const void *src, size_t n)
{
    memcpy((char *)s->data + off, src, n);
    return 0;
}

static int cpu_read(const VxStorage *s, size_t off, void *dst, size_t n)
{
    memcpy(dst, (const char *)s->data + off, n);
    return 0;
}

/* One run of a same-dtype copy, moved as E-byte words (4: f32/i32, 8: f64/i64). */
#define COPY_RUN(E, NAME)                                                                    \
    static void NAME(void *dst, const void *src, int64_t n, int64_t sd, int64_t ss)          \
    {                                                                                        \
        uint##E##_t *d = dst;                                                                \
        const uint##E##_t *s = src;                                                          \
        if (sd == 1 && ss == 1) memcpy(d, s, (size_t)n * sizeof *d);                         \
        else if (sd == 1 && ss == 0) for (int64_t i = 0; i < n; i++) d[i] = s[0];            \
        else for (int64_t i = 0; i < n; i++) d[i * sd] = s[i * ss];                          \
    }
COPY_RUN(32, copy_run32)
COPY_RUN(64, copy_run64)

/* Same dtype of 4 or 8 bytes, any strides: runs of word copies. */
static bool copy_fast(VxTensor *dst, const VxTensor *src)
{
    size_t es = vx_dtype_size(dst->dtype);
    if (dst->dtype != src->dtype || (es != 4 && es != 8)) return false;
    const VxTensor *ops[2] = { dst, src };
    VxLoop l;
    vx__loop_init(&l, dst, ops, 2);
    do {
        char *d = (char *)dst->storage->data + l.outer.off[0] * (int64_t)es;
        const char *s = (const char *)src->storage->data + l.outer.off[1] * (int64_t)es;
        (es == 4 ? copy_run32 : copy_run64)(d, s, l.n, l.st[0], l.st[1]);
    } while (vx__iter_next(&l.outer));
    return true;
}

/* Memory traffic: one read of src and one write of dst per element, in
 * runs of plain word copies (memcpy when both are contiguous) when the
 * dtypes match. */
static int cpu_copy(VxTensor *dst, const VxTensor *src)
{
    if (vx_tensor_numel(dst) == 0 || copy_fast(dst, src)) return 0;
    const VxTensor *ops[2] = { dst, src };
    VxIter it;
    vx__iter_init(&it, dst, ops, 2);
    void *d = dst->storage->data;
    const void *s = src->storage->data;
    bool ints = !vx_dtype_is_float(dst->dtype) && !vx_dtype_is_float(src->dtype);
    do {
        if (ints) vx__store_i64(d, dst->dtype, it.off[0], vx__load_i64(s, src->dtype, it.off[1]));
        else vx__store_f64(d, dst->dtype, it.off[0], vx__load_f64(s, src->dtype, it.off[1]));
    } while (vx__iter_next(&it));
    return 0;
}

/* Memory traffic: one write per element.  f32/f64: the value is stored
 * once and copied in runs. */
static int cpu_fill(VxTensor *dst, double value)
{
    if (vx_tensor_numel(dst) == 0) return 0;
    if (dst->dtype == VX_F32 || dst->dtype == VX_F64) {
        char one[8];
        VxTensor src = { .dtype = dst->dtype, .ndim = dst->ndim, .storage = &(VxStorage){ .data = one } };
        memcpy(src.shape, dst->shape, sizeof src.shape);
        vx__store_f64(one, dst->dtype, 0, value);
        return copy_fast(dst, &src) ? 0 : -1;
    }
    VxIter it;
    const VxTensor *ops[1] = { dst };
    vx__iter_init(&it, dst, ops, 1);
    do vx__store_f64(dst->storage->data, dst->dtype, it.off[0], value);
    while (vx__iter_next(&it));
    return 0;
}

const VxBackend vx_cpu_backend = {
    .name = "cpu",
    .device = VX_DEV_CPU,
    .alloc = vx_cpu_alloc,
    .free = vx_cpu_free,
    .trim = vx_cpu_cache_trim,
    .write = cpu_write,
    .read = cpu_read,
    .copy = cpu_copy,
    .fill = cpu_fill,
    .unary = vx_cpu_unary,
    .unary_grad = vx_cpu_unary_grad,
    .binary = vx_cpu_binary,
    .where = vx_cpu_where,
    .reduce = vx_cpu_reduce,
    .matmul = vx_cpu_matmul,
};

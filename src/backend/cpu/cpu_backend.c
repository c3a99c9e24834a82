/* cpu_backend.c - the CPU backend table, plus its memory kernels (alloc,
 * host transfers, strided copy with dtype conversion, fill).  The compute
 * kernels are in cpu_map.c, cpu_reduce.c and cpu_matmul.c. */
#include <stdlib.h>
#include <string.h>

#include "cpu.h"

static void *cpu_alloc(size_t n) { return aligned_alloc(64, (n + 63) / 64 * 64); }
static void cpu_free(void *p) { free(p); }

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

/* Memory traffic: one read of src and one write of dst per element; a
 * plain memcpy when both are contiguous with the same dtype. */
static int cpu_copy(VxTensor *dst, const VxTensor *src)
{
    int64_t n = vx_tensor_numel(dst);
    if (n == 0) return 0;
    if (dst->dtype == src->dtype && vx_tensor_is_contiguous(dst) && vx_tensor_is_contiguous(src)) {
        memcpy(vx_tensor_data(dst), vx_tensor_data(src), (size_t)n * vx_dtype_size(dst->dtype));
        return 0;
    }
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

/* Memory traffic: one write per element. */
static int cpu_fill(VxTensor *dst, double value)
{
    if (vx_tensor_numel(dst) == 0) return 0;
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
    .alloc = cpu_alloc,
    .free = cpu_free,
    .write = cpu_write,
    .read = cpu_read,
    .copy = cpu_copy,
    .fill = cpu_fill,
    .unary = vx_cpu_unary,
    .binary = vx_cpu_binary,
    .where = vx_cpu_where,
    .reduce = vx_cpu_reduce,
    .matmul = vx_cpu_matmul,
};

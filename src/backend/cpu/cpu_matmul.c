/* cpu_matmul.c - batched matrix products on the CPU.  f32/f64 products of
 * at least BLAS_MIN multiply-adds go to OpenBLAS (cblas_sgemm/dgemm),
 * which takes a transposed operand through its `trans` flag, so a
 * transposed view is passed as is, not copied.  Everything else (small
 * products, other dtypes, strides BLAS cannot describe such as expanded
 * stride-0 matrices) uses the plain loop with an f64 (or i64)
 * accumulator.  Memory traffic per matrix: BLAS reads A and B about once
 * per cache block and writes C once; the plain loop reads A's row and B's
 * column once per output element (m*n*k loads), fine for small sizes. */
#include <cblas.h>

#include "cpu.h"

enum { BLAS_MIN = 4096 };

typedef struct Mat {
    const VxTensor *t;
    int64_t off, rows, cols, s0, s1;        /* element offset, shape, strides */
} Mat;

/* The row-major BLAS description of m, if there is one. */
static bool blas_layout(const Mat *m, enum CBLAS_TRANSPOSE *trans, int64_t *ld)
{
    int64_t r = m->rows, c = m->cols;
    if ((m->s1 == 1 || c == 1) && (r == 1 || m->s0 >= (c > 1 ? c : 1))) {
        *trans = CblasNoTrans;
        *ld = r == 1 ? (c > 1 ? c : 1) : m->s0;
        return true;
    }
    if ((m->s0 == 1 || r == 1) && (c == 1 || m->s1 >= (r > 1 ? r : 1))) {
        *trans = CblasTrans;
        *ld = c == 1 ? (r > 1 ? r : 1) : m->s1;
        return true;
    }
    return false;
}

static bool try_blas(Mat *c, const Mat *a, const Mat *b)
{
    VxDtype d = c->t->dtype;
    if ((d != VX_F32 && d != VX_F64) || a->t->dtype != d || b->t->dtype != d) return false;
    if (a->rows * a->cols * b->cols < BLAS_MIN) return false;
    enum CBLAS_TRANSPOSE ta, tb;
    int64_t lda, ldb;
    if (!blas_layout(a, &ta, &lda) || !blas_layout(b, &tb, &ldb)) return false;
    int m = (int)a->rows, k = (int)a->cols, n = (int)b->cols;
    size_t es = vx_dtype_size(d);
    char *pa = (char *)a->t->storage->data + a->off * (int64_t)es;
    char *pb = (char *)b->t->storage->data + b->off * (int64_t)es;
    char *pc = (char *)c->t->storage->data + c->off * (int64_t)es;
    if (d == VX_F32)
        cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1.0f, (float *)pa, (int)lda, (float *)pb, (int)ldb,
                    0.0f, (float *)pc, (int)c->s0);
    else
        cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, 1.0, (double *)pa, (int)lda, (double *)pb, (int)ldb,
                    0.0, (double *)pc, (int)c->s0);
    return true;
}

static void plain_matmul(Mat *c, const Mat *a, const Mat *b)
{
    const void *pa = a->t->storage->data, *pb = b->t->storage->data;
    void *pc = c->t->storage->data;
    bool ints = !vx_dtype_is_float(c->t->dtype);
    for (int64_t i = 0; i < a->rows; i++)
        for (int64_t j = 0; j < b->cols; j++) {
            double acc = 0;
            int64_t iacc = 0;
            for (int64_t p = 0; p < a->cols; p++) {
                int64_t oa = a->off + i * a->s0 + p * a->s1, ob = b->off + p * b->s0 + j * b->s1;
                if (ints) iacc += vx__load_i64(pa, a->t->dtype, oa) * vx__load_i64(pb, b->t->dtype, ob);
                else acc += vx__load_f64(pa, a->t->dtype, oa) * vx__load_f64(pb, b->t->dtype, ob);
            }
            int64_t oc = c->off + i * c->s0 + j * c->s1;
            if (ints) vx__store_i64(pc, c->t->dtype, oc, iacc);
            else vx__store_f64(pc, c->t->dtype, oc, acc);
        }
}

static Mat mat_of(const VxTensor *t, int64_t off)
{
    int n = t->ndim;
    return (Mat){ t, off, t->shape[n - 2], t->shape[n - 1], t->strides[n - 2], t->strides[n - 1] };
}

int vx_cpu_matmul(VxTensor *dst, const VxTensor *a, const VxTensor *b)
{
    if (vx_tensor_numel(dst) == 0) return 0;
    /* odometer over the batch dims: a header with dst's shape minus two */
    VxTensor batch = *dst;
    batch.ndim = dst->ndim - 2;
    const VxTensor *ops[3] = { dst, a, b };
    VxIter it;
    vx__iter_init(&it, &batch, ops, 3);
    do {
        Mat mc = mat_of(dst, it.off[0]), ma = mat_of(a, it.off[1]), mb = mat_of(b, it.off[2]);
        if (!try_blas(&mc, &ma, &mb)) plain_matmul(&mc, &ma, &mb);
    } while (vx__iter_next(&it));
    return 0;
}

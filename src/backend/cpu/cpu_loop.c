/* cpu_loop.c - the elementwise iteration of the CPU kernels: dims that
 * every operand walks with one stride are merged (a contiguous tensor of
 * any shape becomes one run), size-1 dims are dropped, and the innermost
 * remaining dim is left to the kernel as a plain counted loop, which it
 * specialises for unit and zero strides so that GCC/clang vectorise it.
 * The odometer then only advances once per run, not once per element. */
#include "cpu.h"

void vx__loop_init(VxLoop *l, const VxTensor *shape_of, const VxTensor *const *ops, int nops)
{
    int64_t shape[VX_MAX_DIMS], st[4][VX_MAX_DIMS];
    int nd = 0;
    for (int d = 0; d < shape_of->ndim; d++) {
        int64_t s = shape_of->shape[d];
        if (s == 1) continue;
        bool merge = nd > 0;
        for (int k = 0; k < nops && merge; k++) merge = st[k][nd - 1] == ops[k]->strides[d] * s;
        if (!merge) shape[nd++] = 1;
        shape[nd - 1] *= s;
        for (int k = 0; k < nops; k++) st[k][nd - 1] = ops[k]->strides[d];
    }
    memset(l, 0, sizeof *l);
    l->outer.nops = nops;
    l->n = nd ? shape[nd - 1] : 1;
    l->outer.ndim = nd ? nd - 1 : 0;
    for (int d = 0; d < l->outer.ndim; d++) l->outer.shape[d] = shape[d];
    for (int k = 0; k < nops; k++) {
        l->outer.off[k] = ops[k]->offset;
        l->st[k] = nd ? st[k][nd - 1] : 0;
        for (int d = 0; d < l->outer.ndim; d++) l->outer.strides[k][d] = st[k][d];
    }
}

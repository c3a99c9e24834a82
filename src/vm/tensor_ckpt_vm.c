/* tensor_ckpt_vm.c - checkpoint(f, x...) with f a Vortex closure, and the
 * tensor memory counters.  The library runs the segment through a C
 * callback, in the forward and again while backward() recomputes it;
 * the callback re-enters the interpreter (vm_call_closure).  The closure
 * is kept alive by the checkpoint node, which releases it when it drops
 * what it holds (vx_checkpoint_owned). */
#include <stdlib.h>

#include "tensor_vm.h"
#include "../tensor/tensor_nn.h"
#include "../util/arena.h"

typedef struct Segment { Vm *vm; VxClosure *f; } Segment;

/* The library's VxSegmentFn: f(inputs...) in the VM, each input a new
 * tensor value the call consumes. */
static VxTensor *run_segment(VxTensor *const *in, int n, void *ctx)
{
    Segment *s = ctx;
    VxValue args[VX_CHECKPOINT_INPUTS], out;
    for (int i = 0; i < n; i++) vm_put_tensor(s->vm, vx_tensor_retain(in[i]), &args[i]);
    if (vm_call_closure(s->vm, s->f, args, n, &out)) {
        vx_tensor_set_error("checkpoint: the segment stopped");   /* already reported, with its stack */
        return NULL;
    }
    VxTensor *t = vx_tensor_retain(vm_tv(out));
    vm_release(s->vm, out.o);
    return t;
}

/* After a runtime error every object is gone at once: then only the
 * segment itself is freed. */
static void drop_segment(void *ctx)
{
    Segment *s = ctx;
    if (!vm_stopped(s->vm)) vm_release(s->vm, &s->f->h);
    free(s);
}

/* CHECKPOINT(f, x, y, z, n).  With grad off or no input requiring grad
 * there is nothing to recompute from (captured parameters would get no
 * gradient), so f is called as it is, its graph recorded as usual. */
static int checkpoint(Vm *vm, const VxValue *a, VxValue *out)
{
    int n = (int)a[4].i;
    VxTensor *in[VX_CHECKPOINT_INPUTS];
    bool any = false;
    for (int i = 0; i < n; i++) any |= (in[i] = vm_tv(a[1 + i]))->requires_grad;
    if (!vx_grad_enabled() || !any) {
        VxValue args[VX_CHECKPOINT_INPUTS];
        for (int i = 0; i < n; i++) { vm_retain(a[1 + i].o); args[i] = a[1 + i]; }
        return vm_call_closure(vm, a[0].fn, args, n, out);
    }
    Segment *s = vx_xmalloc(sizeof *s);
    *s = (Segment){ vm, a[0].fn };
    vm_retain(&s->f->h);
    for (int i = 0; i < n; i++) vx_tensor_retain(in[i]);   /* a runtime error inside releases what the VM held */
    VxTensor *r = vx_checkpoint_owned(run_segment, s, drop_segment, in, n);
    for (int i = 0; i < n; i++) vx_tensor_release(in[i]);
    return vm_put_tensor(vm, r, out);                       /* after an error inside: reports nothing more */
}

int vm_tensor_ckpt_op(Vm *vm, int op, const VxValue *a, VxValue *out)
{
    if (op == VX_TOP_CHECKPOINT) return checkpoint(vm, a, out);
    if (a[0].i == 2) { vx_tensor_reset_peak(); return 0; }  /* MEM_PEAK(what) */
    VxMemStats st;
    vx_tensor_mem_stats(&st);
    out->i = a[0].i ? st.peak_bytes : st.live_bytes;
    return 0;
}

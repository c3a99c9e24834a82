/* tensor_optim_vm.c - the training utilities of tensor_optim.h as VM
 * operations: Optimizer handles (SGD, Adam, AdamW and their methods),
 * clip_grad_norm, the lr_* schedules, and safetensors files of
 * [(str, Tensor)] lists. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tensor_vm.h"
#include "../tensor/tensor_optim.h"
#include "../util/arena.h"

static void optim_release(void *p) { vx_optim_release(p); }

static const VxHandleType optimizer_type = { "Optimizer", optim_release };

/* The library tensors of a [Tensor] array (malloc'd; free it). */
static VxTensor **tensor_list(const VxArr *a)
{
    VxTensor **ts = vx_xmalloc(sizeof *ts * (a->len ? a->len : 1));
    for (uint32_t i = 0; i < a->len; i++) ts[i] = vm_tv(a->items[i]);
    return ts;
}

static int optim_new(Vm *vm, const VxValue *a, VxValue *out)
{
    VxTensor **ps = tensor_list(a[0].a);
    int n = (int)a[0].a->len;
    VxOptim *o;
    switch (a[1].i) {
    case VX_TO_SGD: o = vx_optim_sgd(ps, n, a[2].f, a[3].f, 0.0, a[4].i != 0, a[6].f); break;
    case VX_TO_ADAM: o = vx_optim_adam(ps, n, a[2].f, a[3].f, a[4].f, a[5].f, a[6].f, false); break;
    default: o = vx_optim_adamw(ps, n, a[2].f, a[3].f, a[4].f, a[5].f, a[6].f, false); break;
    }
    free(ps);
    if (!o) return vm_lib_status(vm, -1);
    vm_new_handle(vm, o, &optimizer_type, out);
    return 0;
}

static int optim_method(Vm *vm, const VxValue *a, VxValue *out)
{
    VxOptim *o = ((VxHandleObj *)a[0].o)->p;
    switch (a[1].i) {
    case VX_TM_STEP: return vm_lib_status(vm, vx_optim_step(o));
    case VX_TM_ZERO_GRAD: return vm_lib_status(vm, vx_optim_zero_grad(o));
    case VX_TM_SET_LR: return vm_lib_status(vm, vx_optim_set_lr(o, a[2].f));
    case VX_TM_LR: out->f = vx_optim_lr(o); return 0;
    case VX_TM_SAVE: return vm_lib_status(vm, vx_optim_save(o, a[2].s->data));
    default: return vm_lib_status(vm, vx_optim_load(o, a[2].s->data));
    }
}

static int clip(Vm *vm, const VxValue *a, VxValue *out)
{
    VxTensor **ps = tensor_list(a[0].a);
    double total = 0;
    int rc = vx_clip_grad_norm(ps, (int)a[0].a->len, a[1].f, 2.0, &total);
    free(ps);
    out->f = total;
    return vm_lib_status(vm, rc);
}

static int schedule(Vm *vm, const VxValue *a, VxValue *out)
{
    static const VxSchedKind kinds[] = { [VX_TS_STEP] = VX_SCHED_STEP, [VX_TS_COSINE] = VX_SCHED_COSINE,
                                         [VX_TS_LINEAR] = VX_SCHED_LINEAR };
    out->f = vx_lr_at(kinds[a[0].i], a[1].f, a[2].i, a[3].i, a[4].i, a[5].f);
    return isnan(out->f) ? vm_lib_status(vm, -1) : 0;       /* NaN: invalid arguments */
}

/* save_safetensors(path, named): the (str, Tensor) pairs as they are. */
static int save(Vm *vm, const VxValue *a)
{
    const VxArr *l = a[1].a;
    const char **names = vx_xmalloc(sizeof *names * (l->len ? l->len : 1));
    VxTensor **ts = vx_xmalloc(sizeof *ts * (l->len ? l->len : 1));
    for (uint32_t i = 0; i < l->len; i++) {
        names[i] = l->items[i].r->fields[0].s->data;
        ts[i] = vm_tv(l->items[i].r->fields[1]);
    }
    int rc = vx_safetensors_save(a[0].s->data, names, ts, (int)l->len, NULL, NULL, 0);
    free(names);
    free(ts);
    return vm_lib_status(vm, rc);
}

/* load_safetensors(path): every tensor of the file in its order, as f32
 * (the static type; other float and integer dtypes are converted). */
static int load(Vm *vm, const VxValue *a, VxValue *out)
{
    VxSafetensors *f = vx_safetensors_load(a[0].s->data);
    if (!f) return vm_lib_status(vm, -1);
    int n = vx_safetensors_count(f), rc = 0;
    VxArr *l = vm_new_arr(vm, (uint32_t)n, VX_PUT_REC);
    out->a = l;
    for (int i = 0; i < n && !rc; i++) {
        VxTensor *t = vx_safetensors_tensor(f, i), *t32 = t ? vx_to(t, VX_F32) : NULL;
        vx_tensor_release(t);
        VxRec *r = vm_new_rec(vm, a[1].d);
        const char *name = vx_safetensors_name(f, i);
        size_t len = strlen(name);
        r->fields[0].s = vm_str_append(vm, vm_new_str(vm, (uint32_t)len), name, len);
        rc = vm_put_tensor(vm, t32, &r->fields[1]);
        if (rc) r->fields[1].o = NULL;
        vm_arr_push_move(vm, &l, (VxValue){ .r = r });
        out->a = l;
    }
    vx_safetensors_free(f);
    return rc;
}

int vm_tensor_optim_op(Vm *vm, int op, const VxValue *a, VxValue *out)
{
    switch (op) {
    case VX_TOP_OPTIM_NEW: return optim_new(vm, a, out);
    case VX_TOP_OPTIM: return optim_method(vm, a, out);
    case VX_TOP_CLIP_GRAD: return clip(vm, a, out);
    case VX_TOP_LR_SCHED: return schedule(vm, a, out);
    case VX_TOP_SAVE_ST: return save(vm, a);
    default: return load(vm, a, out);
    }
}

/* tensor_params.c - parameters(model) and named_parameters(model): a
 * run-time walk over a value's fields, in declaration order, through the
 * record descriptors the compiler made (struct, tuple and enum variant
 * fields) and array elements, collecting every tensor that requires grad,
 * each once (by its library tensor, as torch drops duplicates).  Names
 * are torch's state_dict paths: field names joined by '.', array indices
 * and tuple positions as numbers ("blocks.0.attn.wq").  The collected
 * tensors are the model's own objects, so an optimizer built on them
 * updates the model. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tensor_vm.h"
#include "../util/arena.h"

enum { PATH_MAX_LEN = 1024 };

typedef struct Walk {
    Vm *vm;
    VxArr *out;
    const VxRecDesc *pair;            /* (str, Tensor) when named, else NULL */
    char path[PATH_MAX_LEN];
    size_t len;
    const VxTensor **seen;            /* collected so far, for "each once" */
    uint32_t nseen, cap;
} Walk;

static bool seen(Walk *w, const VxTensor *t)
{
    for (uint32_t i = 0; i < w->nseen; i++) if (w->seen[i] == t) return true;
    if (w->nseen == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 16;
        w->seen = vx_xrealloc(w->seen, sizeof *w->seen * w->cap);
    }
    w->seen[w->nseen++] = t;
    return false;
}

static void collect(Walk *w, VxObj *tensor)
{
    vm_retain(tensor);
    if (!w->pair) { vm_arr_push_move(w->vm, &w->out, (VxValue){ .o = tensor }); return; }
    VxRec *r = vm_new_rec(w->vm, w->pair);
    r->fields[0].s = vm_str_append(w->vm, vm_new_str(w->vm, (uint32_t)w->len), w->path, w->len);
    r->fields[1].o = tensor;
    vm_arr_push_move(w->vm, &w->out, (VxValue){ .r = r });
}

static int walk(Walk *w, VxObj *o);

/* Walk o under the path so far plus ".name" (or "name" at the top). */
static int walk_child(Walk *w, VxObj *o, const char *name)
{
    size_t len = w->len;
    int n = snprintf(w->path + len, sizeof w->path - len, "%s%s", len ? "." : "", name);
    if (n < 0 || (size_t)n >= sizeof w->path - len)
        return vm_error(w->vm, "named_parameters: a parameter's path is longer than %d bytes: %.60s...", PATH_MAX_LEN, w->path);
    w->len += (size_t)n;
    int rc = walk(w, o);
    w->len = len;
    w->path[len] = 0;
    return rc;
}

static int walk_index(Walk *w, VxObj *o, uint32_t i)
{
    char ix[16];
    snprintf(ix, sizeof ix, "%u", i);
    return walk_child(w, o, ix);
}

static int walk(Walk *w, VxObj *o)
{
    if (!o) return 0;
    if (o->kind == VX_OBJ_TENSOR) {
        const VxTensor *t = ((VxTensorObj *)o)->t;
        if (t->requires_grad && !seen(w, t)) collect(w, o);
        return 0;
    }
    if (o->kind == VX_OBJ_REC) {
        VxRec *r = (VxRec *)o;
        for (uint64_t m = r->desc->obj_mask; m; m &= m - 1) {
            uint32_t i = (uint32_t)__builtin_ctzll(m);
            const char *name = r->desc->field_names[i];
            if (name[0] ? walk_child(w, r->fields[i].o, name) : walk_index(w, r->fields[i].o, i)) return 1;
        }
        return 0;
    }
    if (o->kind == VX_OBJ_ARR && ((VxArr *)o)->elem_obj) {
        VxArr *a = (VxArr *)o;
        for (uint32_t i = 0; i < a->len; i++) if (walk_index(w, a->items[i].o, i)) return 1;
    }
    return 0;                                         /* strings, maps, closures, wide integers: no parameters */
}

/* PARAMS(model, mode, desc): mode bit 0: the model is an object (else it
 * holds no tensors), bit 1: named (desc is the (str, Tensor) pair's). */
int vm_tensor_params(Vm *vm, const VxValue *a, VxValue *out)
{
    bool named = a[1].i & 2;
    Walk w = { .vm = vm, .out = vm_new_arr(vm, 8, named ? VX_PUT_REC : VX_PUT_TENSOR), .pair = named ? a[2].d : NULL };
    int rc = a[1].i & 1 ? walk(&w, a[0].o) : 0;
    free(w.seen);
    out->a = w.out;
    return rc;
}

/* tensor_vm.h - what the runtime's tensor files share: tensor_vm.c (the
 * TENSOR instruction's core operations), tensor_nn_vm.c (nn ops, the
 * global generator, copy_), tensor_params.c (the parameter walk), tensor_shape_vm.c (tensor_shape.h's ops),
 * tensor_ckpt_vm.c (checkpoint, memory counters).  It
 * includes the library's tensor.h, so the compiler never includes it
 * (see tensor_ops.h). */
#ifndef VX_TENSOR_VM_H
#define VX_TENSOR_VM_H

#include "tensor_ops.h"
#include "../tensor/tensor.h"

/* From vm_internal.h, which cannot be included here (see tensor_ops.h). */
typedef struct Vm Vm;
VxArr *vm_new_arr(Vm *vm, uint32_t cap, int elem_kind);
void vm_arr_push_move(Vm *vm, VxArr **slot, VxValue v);
VxRec *vm_new_rec(Vm *vm, const VxRecDesc *d);
VxStr *vm_new_str(Vm *vm, uint32_t cap);
VxStr *vm_str_append(Vm *vm, VxStr *s, const char *p, size_t n);
void *vm_new_obj(Vm *vm, size_t size, VxObjKind kind);
void vm_retain(VxObj *o);
int vm_error(Vm *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vm_release(Vm *vm, VxObj *o);
int vm_call_closure(Vm *vm, VxClosure *f, const VxValue *args, int nargs, VxValue *out);
/* Has the program stopped (an error reported, or exit())?  Then the
 * objects may be gone. */
bool vm_stopped(const Vm *vm);

/* The library tensor a tensor register holds. */
static inline VxTensor *vm_tv(VxValue v) { return v.tn->t; }

/* out := a new VM object owning t (a new reference), or, when t is NULL,
 * the library's error as a runtime error (returns 1). */
int vm_put_tensor(Vm *vm, VxTensor *t, VxValue *out);
/* 0, or the library's error as a runtime error when rc is not 0. */
int vm_lib_status(Vm *vm, int rc);
/* A dim of t (negative counts from the end; extra: dims the op adds),
 * checked. */
int vm_tensor_dim(Vm *vm, const VxTensor *t, int64_t d, int extra, int *out);

/* out := a new handle value owning p (handle.c). */
void vm_new_handle(Vm *vm, void *p, const VxHandleType *type, VxValue *out);
void vm_handle_release_all(void);

/* The optimizer, clipping, schedule and safetensors operations
 * (tensor_optim_vm.c). */
int vm_tensor_optim_op(Vm *vm, int op, const VxValue *a, VxValue *out);

/* The operations CAT ... UNBIND (tensor_shape_vm.c). */
int vm_tensor_shape_op(Vm *vm, int op, const VxValue *a, VxValue *out);

/* The operations from SOFTMAX on (tensor_nn_vm.c). */
int vm_tensor_nn_op(Vm *vm, int op, const VxValue *a, VxValue *out);
/* CHECKPOINT and MEM_PEAK (tensor_ckpt_vm.c). */
int vm_tensor_ckpt_op(Vm *vm, int op, const VxValue *a, VxValue *out);
/* PARAMS(model, named, desc) (tensor_params.c). */
int vm_tensor_params(Vm *vm, const VxValue *a, VxValue *out);
/* The global generator back to its state at start (seed 0). */
void vm_tensor_rng_reset(void);

#endif

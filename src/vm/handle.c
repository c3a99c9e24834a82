/* handle.c - opaque handle values (VxHandleObj, bytecode.h): the values of
 * the prelude's `@builtin struct` types such as Optimizer.  Each owns one
 * reference to a library object, released by its type when the VM object's
 * last reference drops.  The live ones are linked so that a runtime error,
 * which frees the VM heap at once, still releases their objects. */
#include "tensor_vm.h"

static VxHandleObj live_handles = { .prev = &live_handles, .next = &live_handles };

void vm_new_handle(Vm *vm, void *p, const VxHandleType *type, VxValue *out)
{
    VxHandleObj *o = vm_new_obj(vm, sizeof *o, VX_OBJ_HANDLE);
    o->p = p;
    o->type = type;
    o->next = live_handles.next;
    o->prev = &live_handles;
    live_handles.next->prev = o;
    live_handles.next = o;
    out->o = &o->h;
}

void vm_handle_free_parts(VxObj *o)
{
    VxHandleObj *x = (VxHandleObj *)o;
    x->prev->next = x->next;
    x->next->prev = x->prev;
    x->type->release(x->p);
}

void vm_handle_release_all(void)
{
    while (live_handles.next != &live_handles) vm_handle_free_parts(&live_handles.next->h);
}

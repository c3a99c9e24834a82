/* map.h - HashMap values (map.c). */
#ifndef VX_MAP_H
#define VX_MAP_H

#include "vm_internal.h"

VxMap *vm_map_new(Vm *vm, int key_kind, int val_kind);
void vm_map_free_parts(Vm *vm, VxMap *m);          /* releases entries; the caller frees m */
void vm_map_insert(Vm *vm, VxMap *m, VxValue k, VxValue v);
bool vm_map_remove(Vm *vm, VxMap *m, VxValue k);
bool vm_map_get(const VxMap *m, VxValue k, VxValue *v);   /* borrowed */
bool vm_map_equal(const VxMap *a, const VxMap *b);        /* same keys, equal values */
VxMap *vm_map_copy(Vm *vm, const VxMap *m);
VxMap *vm_map_unique(Vm *vm, VxMap *m);            /* copy-on-write */
uint32_t vm_hash_bytes(const char *p, size_t n);   /* never 0 */
uint32_t vm_str_hash(VxStr *s);                   /* cached in s->hash */
uint64_t vm_hash_value(VxValue v, int kind);       /* deep, by print kind; equal values hash alike */
VxArr *vm_map_list(Vm *vm, const VxMap *m, int which);   /* 0: keys, 1: values */

#endif

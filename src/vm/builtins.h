/* builtins.h - the library functions implemented in C (builtins.def).
 * Each takes its arguments borrowed and writes its result to *out (a new
 * reference for objects); on bad input it reports a runtime error and
 * returns non-zero. */
#ifndef VX_BUILTINS_H
#define VX_BUILTINS_H

#include "bytecode.h"

struct Vm;

typedef struct VxBuiltin {
    const char *name;
    int nargs;
    int (*fn)(struct Vm *vm, const VxValue *args, VxValue *out);
} VxBuiltin;

extern const VxBuiltin vx_builtins[];

/* The index of the builtin `name` taking nargs arguments, or -1. */
int vx_builtin_find(const char *name, int nargs);

#endif

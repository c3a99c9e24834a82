/* vm.h - from a checked program to bytecode, and running it.
 *
 *   VxProgram *p = vx_compile(sema, src, file, diags);   // NULL on error
 *   int status = vx_run(p, argc, argv);                  // the exit status
 *
 * The compiler reads the typed AST (sema's results); the interpreter is a
 * register machine (see opcodes.def).  A runtime error prints a
 * diagnostic with the source line and a stack trace, flushes the program's
 * output, and returns status 1. */
#ifndef VX_VM_H
#define VX_VM_H

#include "../front/diag.h"
#include "../sema/sema.h"
#include "bytecode.h"

VxProgram *vx_compile(VxSema *sema, const VxSource *src, VxNode *file, VxDiags *diags);
int vx_run(const VxProgram *p, int argc, char **argv, VxDiags *diags);

#endif

/* vm_internal.h - the interpreter's state and heap, shared by vm.c and
 * builtins.c (nothing outside src/vm includes it). */
#ifndef VX_VM_INTERNAL_H
#define VX_VM_INTERNAL_H

#include "vm.h"
#include "../tensor/rng.h"
#include "heap.h"

enum {
    STACK_VALUES = 1 << 22,           /* 32 MiB of registers, touched only as used */
    MAX_FRAMES = 200000,
    MAX_NESTED = 200,                 /* runs of execute inside C (vm_call_closure): each holds C stack */
    OUT_BUF = 1 << 16,
};

typedef struct Frame {
    const VxFunc *f;
    const VxInstr *pc;                /* the instruction being run */
    VxValue *base;
    VxValue *ret;                     /* the caller's register for the result */
} Frame;

typedef struct Vm {
    const VxProgram *prog;
    VxDiags *diags;
    VxValue *stack, *stack_end;
    Frame *frames;
    int nframes;
    char out[OUT_BUF];
    size_t outlen;
    VxHeap heap;                      /* every object and its parts (heap.h) */
    bool exited;                      /* stopped by exit(): objects may still be held */
    int exit_status;                  /* exit()'s, which also ends calls nested in C (vm_call_closure) */
    int nested;                       /* vm_call_closure calls in progress */
    bool stopped;                     /* an error was reported or exit() ran: the objects may be gone;
                                         nested calls unwind without reporting again */
    size_t nlive;                     /* objects made and not yet freed */
    int argc;                         /* the program's own arguments, for args() */
    char **argv;
    VxRng rng;                        /* xoshiro256** state (src/tensor/rng.h), seeded with 0 at start */
} Vm;

void vm_seed(Vm *vm, uint64_t seed);
/* Write the buffered standard output now (println is buffered). */
void vm_flush_out(Vm *vm);

/* Print kinds whose values are objects: containers retain and release them. */
static inline bool vm_kind_wide(int kind)
{
    return kind == VX_PUT_INT + VX_I128 || kind == VX_PUT_INT + VX_U128 || kind == VX_PUT_INT + VX_U256;
}
static inline bool vm_kind_obj(int kind)
{
    return kind == VX_PUT_STR || kind == VX_PUT_ARR || kind == VX_PUT_REC || kind == VX_PUT_FN || kind == VX_PUT_MAP ||
           kind == VX_PUT_TENSOR || kind == VX_PUT_HANDLE || vm_kind_wide(kind);
}

/* Integers of kind k as num.c sees them (a register holds the value
 * sign- or zero-extended to 64 bits). */
static inline VxIntType vm_int_type(VxIntKind k) { VxIntType t = { (uint16_t)vx_int_bits(k), vx_int_signed(k) }; return t; }
static inline VxWide vm_to_wide(VxValue v, VxIntKind k)
{
    return vx_int_signed(k) ? vx_wide_from_i64(v.i, vm_int_type(k)) : vx_wide_from_u64(v.u, vm_int_type(k));
}

/* format_text.c */
size_t vm_radix_text(VxWide w, unsigned bits, unsigned shift, bool upper, char *buf);
int vm_escape_byte(unsigned char c, char *out);

/* exact.c: the instructions on wide integers and f16/bf16 (ARITH_W ...
 * MATH_H), given a pointer to the instruction (passing it by value keeps
 * it whole in a register across the dispatch loop, which made GCC merge
 * every handler's indirect jump into one); returns 1 after reporting a
 * runtime error. */
int vm_exact_op(Vm *vm, const VxInstr *ip, VxValue *R);
/* A runtime error for integer operation op (0 + 1 - 2 * 3 / 4 % 5 **) on a and b of kind k. */
int vm_int_error(Vm *vm, VxNumStatus st, int op, VxIntKind k, VxWide a, VxWide b);
double vm_math(int fn, double x);                       /* the math function fn (VxMathFn) */

/* New objects own one reference and are on the live list. */
VxStr *vm_new_str(Vm *vm, uint32_t cap);
VxStr *vm_str_append(Vm *vm, VxStr *s, const char *p, size_t n);
VxArr *vm_new_arr(Vm *vm, uint32_t cap, int elem_kind);
void vm_arr_push(Vm *vm, VxArr **slot, VxValue v);    /* retains v when the array holds objects */
void vm_arr_push_move(Vm *vm, VxArr **slot, VxValue v);   /* the array takes v's reference */
void vm_retain(VxObj *o);
void *vm_new_obj(Vm *vm, size_t size, VxObjKind kind);  /* `size` bytes, rc 1, fields uninitialised */
VxRec *vm_new_rec(Vm *vm, const VxRecDesc *d);          /* fields uninitialised */
void vm_release(Vm *vm, VxObj *o);
int64_t vm_utf8_length(const VxStr *s);                /* in characters */
bool vm_values_equal(VxValue a, VxValue b, int kind);   /* deep, by print kind */
const char *vm_error_text(Vm *vm, VxValue v, int kind); /* as printed in a container */
/* compare.c: -1, 0, 1, or VM_UNORDERED (a NaN decided it, unless total). */
enum { VM_UNORDERED = 2 };
int vm_values_compare(VxValue a, VxValue b, int kind, bool total);
void vm_sort_values(VxValue *v, uint32_t n, int kind);   /* stable, in the total order */
/* f(args) from C, while an instruction runs (a TENSOR op's callback):
 * a frame above the current one's registers runs until it returns.  The
 * arguments are moved in (the callee owns them); *out gets the owned
 * result.  Returns 0, or non-zero when the program stopped inside (a
 * runtime error, already reported with the whole stack, or exit()):
 * then nothing the program held may be touched. */
int vm_call_closure(Vm *vm, VxClosure *f, const VxValue *args, int nargs, VxValue *out);
bool vm_stopped(const Vm *vm);
/* Report a runtime error at the current instruction; returns status 1. */
int vm_error(Vm *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif

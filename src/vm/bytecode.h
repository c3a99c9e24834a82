/* bytecode.h - the compiled program: functions of fixed-size instructions,
 * their constants, and a source span per instruction for error messages.
 * Produced by compile.c, run by vm.c, printed by `vortex run --dump-bytecode`. */
#ifndef VX_BYTECODE_H
#define VX_BYTECODE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../front/source.h"
#include "num.h"

typedef enum VxOp {
#define OP(name, semantics) VX_OP_##name,
#include "opcodes.def"
#undef OP
    VX_OP_COUNT
} VxOp;

_Static_assert(VX_OP_COUNT <= 256, "opcodes must fit in a byte");

typedef struct VxInstr {
    uint8_t op;                       /* VxOp */
    uint8_t t;                        /* type byte: integer kind or print kind */
    uint16_t a, b, c;
} VxInstr;

_Static_assert(sizeof(VxInstr) == 8, "an instruction is 8 bytes");

/* sBx: a signed 32-bit operand in b (low half) and c (high half). */
static inline int32_t vx_sbx(VxInstr i) { return (int32_t)((uint32_t)i.c << 16 | i.b); }
static inline void vx_set_sbx(VxInstr *i, int32_t v) { i->b = (uint16_t)v; i->c = (uint16_t)((uint32_t)v >> 16); }

/* Heap objects share this header.  rc == 0 marks an immortal object (a
 * constant owned by the program); the others live in the VM's heap
 * (heap.h), which can free them all at once after a runtime error. */
typedef struct VxObj {
    uint32_t rc;
    uint32_t kind;                    /* VxObjKind */
} VxObj;

/* One register or constant: every scalar fits in 8 bytes; objects are a
 * pointer (static types say which registers hold one). */
typedef union VxValue {
    int64_t i;
    uint64_t u;
    double f;
    float f32;
    struct VxStr *s;
    struct VxArr *a;
    struct VxRec *r;
    const struct VxRecDesc *d;
    struct VxClosure *fn;
    struct VxMap *m;
    struct VxTensorObj *tn;
    struct VxWideInt *w;
    VxObj *o;
} VxValue;

typedef enum VxObjKind { VX_OBJ_STR = 1, VX_OBJ_ARR, VX_OBJ_REC, VX_OBJ_DESC, VX_OBJ_CLOSURE, VX_OBJ_MAP, VX_OBJ_WIDE,
                        VX_OBJ_TENSOR, VX_OBJ_HANDLE } VxObjKind;

/* An immutable UTF-8 string (while being built by format, `cap` > len).
 * hash: its hash as a map key (map.c), 0 until computed; set only once
 * the string is complete. */
typedef struct VxStr {
    VxObj h;
    uint32_t len, cap;
    uint32_t hash;
    char data[];                      /* NUL-terminated too */
} VxStr;

/* An i128, u128 or u256 value: boxed, since a register holds 8 bytes, and
 * immutable, so it is shared, never copied; arithmetic makes a new one.
 * Its kind is static (an instruction's t byte, a container's print kind). */
typedef struct VxWideInt {
    VxObj h;
    VxWide v;                         /* normalised for its kind (num.h) */
} VxWideInt;

/* A growable array.  Its items live in a separate block, so the array
 * object never moves (registers keep pointing at it) when it grows.
 * elem_kind is the elements' print kind; elements that are objects are
 * owned by the array. */
typedef struct VxArr {
    VxObj h;
    uint32_t len, cap;
    uint8_t elem_kind;                /* VxPutKind */
    bool elem_obj;
    VxValue *items;
} VxArr;

/* What a record is: a struct, a tuple or one enum variant.  Immortal
 * constants made by the compiler; records point at theirs, which says
 * which fields to release and how to print them. */
typedef struct VxRecDesc {
    VxObj h;
    const char *name;                 /* "Point", "Some", or "" for tuples */
    uint32_t n;
    uint32_t tag;                     /* enum variants: the variant's index */
    uint32_t order;                   /* its rank under `<`: the tag, but `None` before `Some`, as in Rust */
    bool is_tuple, is_enum, named;    /* named: print field names (struct syntax) */
    const char **field_names;
    uint8_t *kinds;                   /* each field's print kind (0xFF: not printable) */
    uint64_t obj_mask;                /* bit i: field i holds an object */
    struct VxRec *unit;               /* n == 0: the one value (immortal), which NEWREC need not make */
} VxRecDesc;

/* A struct, tuple or enum value: a descriptor and its fields. */
typedef struct VxRec {
    VxObj h;
    const VxRecDesc *desc;
    VxValue fields[];                 /* desc->n values */
} VxRec;

/* A closure, or a function used as a value: its function and the values
 * it captured when made (copies; bit i of obj_mask: capture i is an
 * object it owns).  A call copies the captures into the registers after
 * the arguments. */
typedef struct VxClosure {
    VxObj h;
    uint32_t func, n;
    uint64_t obj_mask;
    VxValue caps[];                   /* n values */
} VxClosure;

/* A HashMap (map.c): entries in insertion order, an open-addressing index. */
typedef struct VxMap {
    VxObj h;
    uint32_t len;                     /* live entries */
    uint32_t used, cap;               /* entries used (some may be dead), allocated */
    uint32_t nindex;                  /* index slots: a power of two, or 0 */
    uint8_t key_kind, val_kind;       /* print kinds */
    bool key_obj, val_obj;
    VxValue *keys, *vals;
    uint8_t *dead;
    int32_t *index;
} VxMap;

/* A tensor (tensor_vm.c): the VM object owns one reference to the
 * library's VxTensor, released with it, so the tensor's memory goes the
 * moment the last Vortex reference drops.  The live ones are linked
 * (prev, next) so that a runtime error, which frees the VM's heap at
 * once, can release their tensors too. */
struct VxTensor;
typedef struct VxTensorObj {
    VxObj h;
    struct VxTensor *t;
    struct VxTensorObj *prev, *next;
} VxTensorObj;

/* A value of a prelude `@builtin struct` (an opaque handle such as
 * Optimizer, tensor_optim_vm.c): one reference to a library object,
 * released with the VM object; linked like tensors for the same reason. */
typedef struct VxHandleObj {
    VxObj h;
    void *p;
    const struct VxHandleType *type;
    struct VxHandleObj *prev, *next;
} VxHandleObj;
typedef struct VxHandleType {
    const char *name;                 /* the Vortex type's name */
    void (*release)(void *p);
} VxHandleType;

/* Print kinds (the `t` byte of PUT). */
typedef enum VxPutKind { VX_PUT_INT = 0, VX_PUT_F64 = 32, VX_PUT_F32, VX_PUT_F16, VX_PUT_BF16, VX_PUT_BOOL, VX_PUT_STR,
                        VX_PUT_UNIT, VX_PUT_ARR, VX_PUT_REC, VX_PUT_FN, VX_PUT_MAP, VX_PUT_TENSOR, VX_PUT_HANDLE } VxPutKind;
/* VX_PUT_INT + k prints an integer of kind k (VX_I8 .. VX_USIZE); for
 * i128, u128 and u256 the value is a VxWideInt.  F16 and BF16 values are
 * held as the f32 of the same value. */

/* FMTPUT's C is 0xFFFF (plain `{}`) or a constant packing the spec of
 * `{:[fill][<^>][+][#][0][width][.prec][type]}`: bits 0-15 precision
 * (VX_FMT_NOPREC: none), 16-31 width, 32-39 alignment character (0:
 * numbers right, others left), 40-47 the ASCII fill, bit 48 scientific
 * notation, bit 49 zero padding after the sign and prefix (`{:08.2}`),
 * bit 50 `+` (a sign on non-negative numbers), bit 51 `#` (a `0x` `0b`
 * `0o` prefix), bits 52-54 the type (VxFmtType). */
enum { VX_FMT_NOPREC = 0xFFFF };
typedef enum VxFmtType { VX_FMT_PLAIN, VX_FMT_HEX, VX_FMT_HEX_UPPER, VX_FMT_BIN, VX_FMT_OCT, VX_FMT_DEBUG } VxFmtType;

/* Math functions (the `t` byte of MATH_F64 / MATH_F32). */
typedef enum VxMathFn {
    VX_MATH_SQRT, VX_MATH_EXP, VX_MATH_LOG, VX_MATH_LOG2, VX_MATH_SIN, VX_MATH_COS, VX_MATH_TAN,
    VX_MATH_TANH, VX_MATH_FLOOR, VX_MATH_CEIL, VX_MATH_ROUND, VX_MATH_ABS, VX_MATH_COUNT
} VxMathFn;

typedef struct VxFunc {
    const char *name;
    char *own_name;                   /* a generic instance's `name<T>`, freed with the program */
    VxInstr *code;
    VxSpan *spans;                    /* one per instruction */
    const VxSource *src;              /* the file they point into (its module's) */
    int ncode;
    VxValue *consts;
    int nconsts;
    int nparams, nregs;
    int ncaps;                        /* closures: captured values, in the registers after the parameters */
    uint64_t caps_obj_mask;           /* bit i: capture i is an object */
} VxFunc;

typedef struct VxProgram {
    VxFunc *funcs;
    int nfuncs;
    VxRecDesc **descs;                /* owned record descriptors */
    int ndescs;
    int main;                         /* index of `main` */
    const VxSource *src;
    struct VxStr **strings;           /* owned string constants */
    int nstrings;
    struct VxArr **arrays;            /* owned constant arrays (`const K: [u32; 64] = [...]`), immortal */
    int narrays;
    VxWideInt **wides;                /* owned wide integer constants, immortal */
    int nwides;
} VxProgram;

const char *vx_op_name(VxOp op);
void vx_program_dump(const VxProgram *p, FILE *out);
void vx_program_free(VxProgram *p);

#endif

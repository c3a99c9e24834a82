/* tensor_ops.h - the operations of the TENSOR instruction (its `t` byte),
 * shared by the compiler (compile_tensor.c) and the runtime (tensor_vm.c),
 * and the runtime's entry points for vm.c.
 *
 * This header includes neither the type checker's types.h nor the tensor
 * library's tensor.h (their enumerators VX_F32, VX_I64, ... clash), so the
 * compiler and the runtime each see only one of them.
 *
 * Argument conventions (registers R[B..B+C-1], borrowed): tensors are
 * objects; shapes, dims and index specs are [i64] arrays; floats are f64,
 * integers and bools are i64 (the compiler converts); `dtype` is a
 * VxTDtype; `op` selects one of a family (VxTBin, VxTUnary, VxTReduce). */
#ifndef VX_TENSOR_OPS_H
#define VX_TENSOR_OPS_H

#include "bytecode.h"

/* X(NAME, number of arguments) */
#define VX_TENSOR_OPS(X)                                                                       \
    X(ZEROS, 2) X(ONES, 2) X(FULL, 3) X(RANDN, 3) X(RAND, 3) X(RANDINT, 5)                     \
    X(ARANGE, 4) X(LINSPACE, 4) X(EYE, 3) X(FROM_ARRAY, 2)                                     \
    X(ZEROS_LIKE, 1) X(ONES_LIKE, 1)                                                           \
    X(BIN_TT, 3) X(BIN_TS, 3) X(BIN_ST, 3) X(UNARY, 2) X(CLAMP, 3) X(WHERE, 5)                 \
    X(REDUCE, 6) X(MATMUL, 2)                                                                  \
    X(TRANSPOSE, 3) X(PERMUTE, 2) X(RESHAPE, 2) X(VIEW, 2) X(EXPAND, 2) X(SQUEEZE, 3)         \
    X(UNSQUEEZE, 2) X(CONTIGUOUS, 1) X(DETACH, 1) X(CLONE, 1) X(TO, 2) X(MT, 1)               \
    X(REQUIRES_GRAD, 1) X(BACKWARD, 1) X(GRAD, 1) X(ZERO_GRAD, 1)                              \
    X(NO_GRAD_PUSH, 0) X(NO_GRAD_POP, 0)                                                       \
    X(ITEM, 1) X(NUMEL, 1) X(SHAPE, 1) X(DTYPE, 1) X(GET, 2) X(SET, 3) X(SLICE, 2)            \
    X(IOP, 4) X(CAT, 3) X(SPLIT, 4) X(GATHER, 3) X(SCATTER_ADD, 4) X(INDEX_SELECT, 3)           \
    X(MASKED_FILL, 3) X(ONE_HOT, 2) X(TRI, 3) X(CUMSUM, 2) X(SORT, 4) X(TOPK, 5) X(CONV, 9)     \
    X(POOL, 5) X(UNBIND, 2)                                                                    \
    X(SOFTMAX, 3) X(LAYER_NORM, 4) X(RMS_NORM, 3) X(EMBEDDING, 2) X(CROSS_ENTROPY, 4)          \
    X(MSE_LOSS, 2) X(DROPOUT, 4) X(SDPA, 4) X(DRAW_SEED, 0) X(MANUAL_SEED, 1)                  \
    X(MULTINOMIAL, 1) X(COPY, 2) X(CHECKPOINT, 5) X(MEM_PEAK, 1) X(PARAMS, 3)                   \
    X(OPTIM_NEW, 7) X(OPTIM, 3) X(CLIP_GRAD, 2) X(LR_SCHED, 6) X(SAVE_ST, 2) X(LOAD_ST, 2)

typedef enum VxTensorOp {
#define VX_TOP_(name, n) VX_TOP_##name,
    VX_TENSOR_OPS(VX_TOP_)
#undef VX_TOP_
    VX_TOP_COUNT
} VxTensorOp;

/* Element types, in the order of the library's VxDtype (tensor_vm.c checks). */
typedef enum VxTDtype { VX_TDT_F32, VX_TDT_F64, VX_TDT_BF16, VX_TDT_F16, VX_TDT_I32, VX_TDT_I64, VX_TDT_U8,
                        VX_TDT_BOOL, VX_TDT_COUNT } VxTDtype;

/* BIN_*: `op`.  IOP's op is one of ADD..DIV (`t += x` ...). */
typedef enum VxTBin { VX_TB_ADD, VX_TB_SUB, VX_TB_MUL, VX_TB_DIV, VX_TB_POW, VX_TB_MAXIMUM, VX_TB_MINIMUM,
                      VX_TB_EQ, VX_TB_NE, VX_TB_LT, VX_TB_LE, VX_TB_GT, VX_TB_GE, VX_TB_COUNT } VxTBin;

typedef enum VxTUnary { VX_TU_NEG, VX_TU_EXP, VX_TU_LOG, VX_TU_SQRT, VX_TU_RSQRT, VX_TU_TANH, VX_TU_SIGMOID,
                        VX_TU_RELU, VX_TU_GELU, VX_TU_SILU, VX_TU_SOFTPLUS, VX_TU_ABS, VX_TU_GELU_TANH, VX_TU_COUNT } VxTUnary;

/* OPTIM(opt, method, arg): arg is lr (f64) for SET_LR, the path for SAVE
 * and LOAD, unused otherwise.  OPTIM_NEW(params, kind, lr, x1, x2, x3,
 * weight_decay): SGD's x1..x3 are momentum, nesterov, -; Adam's and
 * AdamW's beta1, beta2, eps.  LR_SCHED(kind, base, step, n1, n2, x) as
 * vx_lr_at.  (SGD's nesterov is an i64.) */
typedef enum VxTOptimKind { VX_TO_SGD, VX_TO_ADAM, VX_TO_ADAMW } VxTOptimKind;
typedef enum VxTOptimMethod { VX_TM_STEP, VX_TM_ZERO_GRAD, VX_TM_SET_LR, VX_TM_LR, VX_TM_SAVE, VX_TM_LOAD,
                              VX_TM_COUNT } VxTOptimMethod;
typedef enum VxTSched { VX_TS_STEP = 1, VX_TS_COSINE, VX_TS_LINEAR } VxTSched;

/* REDUCE(t, op, dim, has_dim, keepdim, correction): over `dim`, or over
 * every element when has_dim is 0. */
typedef enum VxTReduce { VX_TR_SUM, VX_TR_MEAN, VX_TR_PROD, VX_TR_MAX, VX_TR_MIN, VX_TR_ARGMAX, VX_TR_ARGMIN,
                         VX_TR_VAR, VX_TR_STD, VX_TR_LOGSUMEXP, VX_TR_COUNT } VxTReduce;

/* The ops of tensor_shape.h, CAT ... UNBIND (tensor_shape_vm.c):
 * CAT(list, dim, stack); SPLIT(t, n, dim, chunk): pieces of n (chunk: n
 * pieces); TRI(t, k, upper); SORT(t, dim, descending, desc) and TOPK(t, k,
 * dim, largest, desc) give a (values, indices) tuple of descriptor desc;
 * CONV(x, w, bias, has_bias, stride, padding, dilation, groups, nspatial);
 * POOL(x, kernel, stride, padding, avg); UNBIND(t, put kind): the
 * elements along dim 0, as an array (tensors, or scalars of a 1-D t). */

/* CHECKPOINT(f, x, y, z, n): f (a closure) of the first n tensors, y and
 * z 0 when unused; MEM_PEAK(what): the live storage bytes (0), their
 * peak (1), or the peak set back to what is live (2). */

/* SLICE's spec: three i64 per index, (kind, a, b): kind 0 selects index a
 * (the dim is dropped), 1 keeps a..b (b = INT64_MAX: to the end), 2 keeps
 * the whole dim. */
enum { VX_TIX_INT, VX_TIX_RANGE, VX_TIX_FULL };

/* The print kind of an i64 (VX_PUT_INT + VX_I64; compile_tensor.c checks). */
enum { VX_TPUT_I64 = VX_PUT_INT + 3 };

extern const int vx_tensor_op_nargs[VX_TOP_COUNT];
extern const char *const vx_tensor_op_names[VX_TOP_COUNT];

/* ---- the runtime, for vm.c ------------------------------------------------------ */
struct Vm;
/* R[A] := op(args); a library error becomes a runtime error (returns 1). */
int vm_tensor_op(struct Vm *vm, int op, const VxValue *args, int nargs, VxValue *out);
/* The text println(t) prints (torch's format), malloc'd; *len its length. */
char *vm_tensor_text(const VxObj *o, size_t *len);
bool vm_tensor_equal(const VxObj *a, const VxObj *b);   /* same shape and elements */
void vm_tensor_free_parts(VxObj *o);                     /* releases the VxTensor */
void vm_tensor_release_all(void);                        /* every live one's, and every handle's (the heap goes after an error) */
void vm_handle_free_parts(VxObj *o);                     /* releases a handle's library object */
/* At the end of a run (after every object is freed): leaves grad mode as
 * it was and checks that no tensor outlived the program (status 70 if one
 * did). */
int vm_tensor_finish(int status);

#endif

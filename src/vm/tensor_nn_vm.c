/* tensor_nn_vm.c - the TENSOR instruction's neural-network operations
 * (tensor_nn.h: softmax, norms, embedding, losses, dropout, attention),
 * the global tensor generator (manual_seed, randn/uniform/dropout without
 * a seed, multinomial) and the in-place t.copy_(src). */
#include <math.h>
#include <stdint.h>

#include "tensor_vm.h"
#include "../tensor/tensor_nn.h"

/* The generator randn, uniform, dropout and multinomial draw from when no
 * seed is written: seeded with 0 at the start of every run, so programs
 * are reproducible unless they call manual_seed with something else. */
static VxRng global_rng;
static bool global_ready;

static VxRng *rng(void)
{
    if (!global_ready) vx_rng_seed(&global_rng, 0);
    global_ready = true;
    return &global_rng;
}

void vm_tensor_rng_reset(void) { global_ready = false; }

/* One draw from a categorical distribution with weights probs (1-D, any
 * non-negative floats, as torch.multinomial; they need not sum to 1). */
static int multinomial(Vm *vm, VxTensor *p, VxValue *out)
{
    char ty[128];
    if (p->ndim != 1 || !vx_dtype_is_float(p->dtype) || p->shape[0] == 0)
        return vm_error(vm, "multinomial needs a non-empty 1-D float tensor of probabilities, found %s",
                        vx_tensor_type_str(p, ty, sizeof ty));
    double total = 0, w;
    for (int64_t i = 0; i < p->shape[0]; i++) {
        if (vx_tensor_get_f64(p, &i, &w)) return vm_lib_status(vm, -1);
        if (!isfinite(w) || w < 0)
            return vm_error(vm, "multinomial: probability tensor contains either `inf`, `nan` or element < 0 (element %lld is %g)",
                            (long long)i, w);
        total += w;
    }
    if (total <= 0) return vm_error(vm, "multinomial: invalid distribution (sum of probabilities <= 0)");
    double u = vx_rng_uniform(rng()) * total, acc = 0;
    int64_t last = 0;
    for (int64_t i = 0; i < p->shape[0]; i++) {
        vx_tensor_get_f64(p, &i, &w);
        if (w > 0) last = i;
        acc += w;
        if (u < acc && w > 0) { out->i = i; return 0; }
    }
    out->i = last;                                    /* u rounded up to the total */
    return 0;
}

/* t.copy_(src): src's values (broadcast, converted) into t's storage,
 * outside autodiff.  A tensor that autodiff computed may be saved by its
 * graph, so only leaves and tensors not requiring grad are written. */
static int copy_in(Vm *vm, VxTensor *t, VxTensor *src)
{
    char ty[128];
    if (t->requires_grad && !t->is_leaf)
        return vm_error(vm, "copy_ into %s, a result of autodiff (its graph may need its values); copy into a leaf "
                        "or a detached tensor", vx_tensor_type_str(t, ty, sizeof ty));
    if (vx_tensor_copy_(t, src) == 0) return 0;
    return vm_error(vm, "copy_ into %s: %s", vx_tensor_type_str(t, ty, sizeof ty), vx_tensor_last_error());
}

/* The last dim of x, the shape layer_norm and rms_norm normalise over. */
static int last_dim(Vm *vm, VxTensor *x, const char *op, int64_t *n)
{
    if (x->ndim == 0) return vm_error(vm, "%s needs a tensor of at least one dimension, found a 0-dim tensor", op);
    *n = x->shape[x->ndim - 1];
    return 0;
}

static int norm(Vm *vm, int op, const VxValue *a, VxValue *out)
{
    VxTensor *x = vm_tv(a[0]);
    int64_t n;
    if (last_dim(vm, x, op == VX_TOP_LAYER_NORM ? "layer_norm" : "rms_norm", &n)) return 1;
    if (op == VX_TOP_LAYER_NORM) return vm_put_tensor(vm, vx_layer_norm(x, &n, 1, vm_tv(a[1]), vm_tv(a[2]), a[3].f), out);
    return vm_put_tensor(vm, vx_rms_norm(x, &n, 1, vm_tv(a[1]), a[2].f), out);
}

int vm_tensor_nn_op(Vm *vm, int op, const VxValue *a, VxValue *out)
{
    int d;
    switch (op) {
    case VX_TOP_SOFTMAX:
        if (vm_tensor_dim(vm, vm_tv(a[0]), a[1].i, 0, &d)) return 1;
        return vm_put_tensor(vm, (a[2].i ? vx_log_softmax : vx_softmax)(vm_tv(a[0]), d), out);
    case VX_TOP_LAYER_NORM: case VX_TOP_RMS_NORM: return norm(vm, op, a, out);
    case VX_TOP_EMBEDDING: return vm_put_tensor(vm, vx_embedding(vm_tv(a[0]), vm_tv(a[1])), out);
    case VX_TOP_CROSS_ENTROPY:
        return vm_put_tensor(vm, vx_cross_entropy(vm_tv(a[0]), vm_tv(a[1]), a[2].i, a[3].f, VX_REDUCTION_MEAN), out);
    case VX_TOP_MSE_LOSS: return vm_put_tensor(vm, vx_mse_loss(vm_tv(a[0]), vm_tv(a[1]), VX_REDUCTION_MEAN), out);
    case VX_TOP_DROPOUT: return vm_put_tensor(vm, vx_dropout(vm_tv(a[0]), a[1].f, a[2].i != 0, a[3].u), out);
    case VX_TOP_SDPA: return vm_put_tensor(vm, vx_scaled_dot_product_attention(vm_tv(a[0]), vm_tv(a[1]), vm_tv(a[2]), a[3].i != 0, 0), out);
    case VX_TOP_DRAW_SEED: out->u = vx_rng_next(rng()); return 0;
    case VX_TOP_MANUAL_SEED: vx_rng_seed(&global_rng, a[0].u); global_ready = true; return 0;
    case VX_TOP_MULTINOMIAL: return multinomial(vm, vm_tv(a[0]), out);
    case VX_TOP_COPY: return copy_in(vm, vm_tv(a[0]), vm_tv(a[1]));
    default: return vm_error(vm, "internal error: tensor operation %d", op);
    }
}

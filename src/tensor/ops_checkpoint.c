/* ops_checkpoint.c - gradient checkpointing.  The forward runs the
 * segment with grad mode off, so its intermediates die at once, and
 * records one node over the inputs.  The node's saved tensor is a small
 * u8 blob holding the callback and its context.
 *
 * The engine asks a node for one input's gradient at a time, in input
 * order, during one visit.  The first request recomputes the segment with
 * grad on from detached copies of the inputs and backpropagates it on its
 * own; the gradients of the other inputs wait in a one-entry cache (per
 * thread, keyed by node and output gradient) until they are asked for. */
#include <string.h>

#include "nn_internal.h"

typedef struct Closure { VxSegmentFn fn; void *ctx; void (*drop)(void *ctx); } Closure;

static _Thread_local struct {
    const VxNode *node;
    const VxTensor *gout;
    VxTensor *grads[VX_NODE_INPUTS];
} cache;

static void cache_clear(void)
{
    vx__nn_release_all(cache.grads, VX_NODE_INPUTS);
    cache.node = NULL;
    cache.gout = NULL;
}

/* fn(inputs) with grad mode on, whatever the caller's mode; returns the
 * caller's no-grad depth to it afterwards. */
static VxTensor *run_with_grad(const Closure *c, VxTensor *const *in, int n)
{
    int depth = 0;
    for (; !vx_grad_enabled(); depth++) vx_no_grad_pop();
    VxTensor *out = c->fn(in, n, c->ctx);
    while (depth--) vx_no_grad_push();
    return out;
}

/* Recomputes the segment and fills the cache with every input's gradient. */
static int recompute(VxNode *node, VxTensor *g)
{
    Closure c;
    memcpy(&c, vx_tensor_data(node->saved), sizeof c);
    VxTensor *leaf[VX_NODE_INPUTS] = {0};
    int n = node->ninputs, rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        rc = (leaf[i] = vx_detach(node->inputs[i])) ? 0 : -1;
        if (rc == 0 && node->inputs[i]->requires_grad) rc = vx_tensor_set_requires_grad(leaf[i], true);
    }
    VxTensor *out = rc == 0 ? run_with_grad(&c, leaf, n) : NULL;
    if (out && !out->requires_grad) {
        vx_tensor_set_error("checkpoint: the recomputed segment does not depend on its inputs");
        rc = -1;
    }
    rc = rc == 0 && out ? vx_backward(out, g) : -1;
    for (int i = 0; i < n && rc == 0; i++)
        if (node->inputs[i]->requires_grad && !(cache.grads[i] = vx_tensor_grad(leaf[i]))) rc = -1;
    vx_tensor_release(out);
    vx__nn_release_all(leaf, n);
    return rc;
}

static VxTensor *checkpoint_backward(VxNode *node, VxTensor *g, int i)
{
    if (cache.node != node || cache.gout != g || !cache.grads[i]) {
        cache_clear();
        if (recompute(node, g) < 0) { cache_clear(); return NULL; }
        cache.node = node;
        cache.gout = g;
    }
    VxTensor *r = cache.grads[i];
    cache.grads[i] = NULL;
    bool left = false;
    for (int j = 0; j < VX_NODE_INPUTS; j++) left |= cache.grads[j] != NULL;
    if (!left) cache_clear();
    return r;
}

static int check_checkpoint(VxSegmentFn fn, VxTensor *const *inputs, int n)
{
    if (!fn || n < 1 || n > VX_CHECKPOINT_INPUTS) {
        vx_tensor_set_error("checkpoint: needs a segment function and 1 to %d inputs, got %d", VX_CHECKPOINT_INPUTS, n);
        return -1;
    }
    for (int i = 0; i < n; i++)
        if (!inputs[i]) { vx_tensor_set_error("checkpoint: input %d is NULL", i); return -1; }
    return 0;
}

/* An owned context goes when the node lets go of its saved blob. */
static void drop_ctx(VxNode *node)
{
    Closure c;
    memcpy(&c, vx_tensor_data(node->saved), sizeof c);
    c.drop(c.ctx);
}

/* The node over out (taking it), saving the closure; NULL on failure. */
static VxTensor *record(VxTensor *out, const Closure *c, VxTensor *const *inputs, int n)
{
    /* out may alias an input (or be a view); the node needs a tensor of its own. */
    VxTensor *own = vx_detach(out);
    vx_tensor_release(out);
    int64_t csize = (int64_t)sizeof *c;
    VxTensor *blob = own ? vx_tensor_from_data(c, &csize, 1, VX_U8) : NULL;
    VxNode *node = blob ? vx__record(&own, "CheckpointBackward", checkpoint_backward, inputs[0],
                                     n > 1 ? inputs[1] : NULL, n > 2 ? inputs[2] : NULL) : NULL;
    if (node) {
        node->saved = vx_tensor_retain(blob);
        if (c->drop) node->on_clear = drop_ctx;
    } else {
        vx_tensor_release(own);
        own = NULL;
        if (c->drop) c->drop(c->ctx);
    }
    vx_tensor_release(blob);
    return own;
}

VxTensor *vx_checkpoint_owned(VxSegmentFn fn, void *ctx, void (*drop)(void *ctx), VxTensor *const *inputs, int n)
{
    Closure c = { fn, ctx, drop };
    VxTensor *out = NULL;
    bool any = false;
    if (check_checkpoint(fn, inputs, n) == 0) {
        vx_no_grad_push();
        out = fn(inputs, n, ctx);
        vx_no_grad_pop();
        for (int i = 0; i < n; i++) any |= inputs[i]->requires_grad;
    }
    if (out && vx_grad_enabled() && any) return record(out, &c, inputs, n);   /* the node owns ctx now */
    if (drop) drop(ctx);
    return out;
}

VxTensor *vx_checkpoint(VxSegmentFn fn, void *ctx, VxTensor *const *inputs, int n)
{
    return vx_checkpoint_owned(fn, ctx, NULL, inputs, n);
}

/* autograd.c - reverse-mode autodiff over the graph that ops record.
 *
 * A node is owned by the tensor it produced (grad_fn) and owns references
 * to its inputs, so the graph lives exactly as long as something can still
 * reach it.  vx_backward sorts the nodes reachable from the root
 * (iterative depth-first search), runs each node's backward function once
 * in reverse topological order with grad mode off, and frees the graph as
 * it goes: a node drops its inputs as soon as it has run (as torch frees
 * saved tensors), so each intermediate dies once nothing later needs it,
 * while the root keeps its (now empty) node for printing grad_fn. */
#include <stdlib.h>
#include <string.h>

#include "tensor_internal.h"

static _Thread_local int no_grad_depth;
static uint64_t epoch;

void vx_no_grad_push(void) { no_grad_depth++; }
void vx_no_grad_pop(void) { if (no_grad_depth > 0) no_grad_depth--; }
bool vx_grad_enabled(void) { return no_grad_depth == 0; }

static bool needs_grad(const VxTensor *t) { return t && t->requires_grad; }

VxNode *vx__record(VxTensor **out, const char *name, VxBackwardFn fn, VxTensor *a, VxTensor *b, VxTensor *c)
{
    if (!*out || !vx_grad_enabled() || !(needs_grad(a) || needs_grad(b) || needs_grad(c))) return NULL;
    VxNode *n = vx__alloc(sizeof *n, "an autodiff node");
    if (!n) { vx_tensor_release(*out); *out = NULL; return NULL; }
    VxTensor *in[VX_NODE_INPUTS] = { a, b, c };
    vx__count_node(1);
    n->refcount = 1;
    n->name = name;
    n->backward = fn;
    for (int i = 0; i < VX_NODE_INPUTS && in[i]; i++) n->inputs[n->ninputs++] = vx_tensor_retain(in[i]);
    n->ndim = (*out)->ndim;
    memcpy(n->shape, (*out)->shape, sizeof n->shape);
    (*out)->grad_fn = n;
    (*out)->requires_grad = true;
    (*out)->is_leaf = false;
    return n;
}

/* Drop what the node holds (inputs, saved, pending gradient). */
static void node_clear(VxNode *n)
{
    void (*hook)(VxNode *) = n->on_clear;
    n->on_clear = NULL;
    if (hook) hook(n);
    for (int i = 0; i < n->ninputs; i++) vx_tensor_release(n->inputs[i]);
    vx_tensor_release(n->saved);
    vx_tensor_release(n->gout);
    n->ninputs = 0;
    n->saved = n->gout = NULL;
    n->backward = NULL;
}

void vx__node_release(VxNode *n)
{
    if (!n || --n->refcount > 0) return;
    node_clear(n);
    vx__count_node(-1);
    vx__free(n, sizeof *n);
}

/* ---- user-facing flags ----------------------------------------------------- */
int vx_tensor_set_requires_grad(VxTensor *t, bool on)
{
    if (!t->is_leaf) { vx_tensor_set_error("cannot change requires_grad of %s: it is not a leaf (use detach)", VX_TNAME(t)); return -1; }
    if (on && !vx_dtype_is_float(t->dtype)) {
        vx_tensor_set_error("cannot make %s require grad: only floating-point tensors have gradients", VX_TNAME(t));
        return -1;
    }
    t->requires_grad = on;
    return 0;
}

bool vx_tensor_requires_grad(const VxTensor *t) { return t->requires_grad; }
const char *vx_tensor_grad_fn_name(const VxTensor *t) { return t->grad_fn ? t->grad_fn->name : NULL; }

VxTensor *vx_tensor_grad(VxTensor *t)
{
    if (!t->requires_grad) { vx_tensor_set_error("%s does not require grad, so it has no gradient", VX_TNAME(t)); return NULL; }
    if (!t->grad && !(t->grad = vx_zeros_like(t))) return NULL;
    return vx_tensor_retain(t->grad);
}

int vx_zero_grad(VxTensor *t) { return t->grad ? vx_tensor_fill_(t->grad, 0) : 0; }

VxTensor *vx_detach(VxTensor *t)
{
    if (!t) return NULL;
    VxTensor *d = vx__header(t);
    if (!d) return NULL;
    d->ndim = t->ndim;
    memcpy(d->shape, t->shape, sizeof d->shape);
    memcpy(d->strides, t->strides, sizeof d->strides);
    return d;
}

/* ---- the backward pass ------------------------------------------------------ */
typedef struct NodeList { VxNode **v; int64_t len, cap; } NodeList;

static int push(NodeList *l, VxNode *n)
{
    if (l->len == l->cap) {
        int64_t cap = l->cap ? l->cap * 2 : 64;
        VxNode **v = vx__alloc((size_t)cap * sizeof *v, "the autodiff work list");
        if (!v) return -1;
        if (l->len) memcpy(v, l->v, (size_t)l->len * sizeof *v);
        vx__free(l->v, (size_t)l->cap * sizeof *v);
        l->v = v; l->cap = cap;
    }
    l->v[l->len++] = n;
    return 0;
}

/* Post-order of the nodes under root (each retained once).  The stack
 * holds nodes whose inputs are being visited; n->mark says visited. */
static int topo_sort(VxNode *root, NodeList *order)
{
    NodeList stack = {0};
    uint64_t mark = ++epoch;
    int rc = push(&stack, root);
    root->mark = mark;
    while (rc == 0 && stack.len) {
        VxNode *n = stack.v[stack.len - 1], *next = NULL;
        for (int i = 0; i < n->ninputs && !next; i++) {
            VxNode *c = n->inputs[i]->grad_fn;
            if (c && c->mark != mark) { c->mark = mark; next = c; }
        }
        if (next) { rc = push(&stack, next); continue; }
        stack.len--;
        n->refcount++;
        if ((rc = push(order, n)) < 0) n->refcount--;
    }
    vx__free(stack.v, (size_t)stack.cap * sizeof *stack.v);
    return rc;
}

/* g summed / reshaped to in's shape and converted to its dtype. */
static VxTensor *fit_to(VxTensor *g, const VxTensor *in)
{
    VxTensor *r = g;
    bool same = g->ndim == in->ndim && !memcmp(g->shape, in->shape, (size_t)in->ndim * sizeof *in->shape);
    if (!same) r = vx_tensor_numel(g) == vx_tensor_numel(in) ? vx_reshape(g, in->shape, in->ndim)
                                                              : vx_sum_to_shape(g, in->shape, in->ndim);
    else vx_tensor_retain(r);
    if (r && r->dtype != in->dtype) { VxTensor *c = vx_to(r, in->dtype); vx_tensor_release(r); r = c; }
    return r;
}

/* *slot += g (g is borrowed).  Leaf gradients are updated in place so
 * that references from vx_tensor_grad see them. */
static int accumulate(VxTensor **slot, VxTensor *g, bool in_place)
{
    if (!*slot) { *slot = in_place ? vx_clone(g) : vx_tensor_retain(g); return *slot ? 0 : -1; }
    VxTensor *sum = vx_add(*slot, g);
    if (!sum) return -1;
    int rc = 0;
    if (in_place) { rc = vx_tensor_copy_(*slot, sum); vx_tensor_release(sum); }
    else { vx_tensor_release(*slot); *slot = sum; }
    return rc;
}

static int run_node(VxNode *n)
{
    if (!n->gout) return 0;
    for (int i = 0; i < n->ninputs; i++) {
        VxTensor *in = n->inputs[i];
        if (!in->requires_grad) continue;
        VxTensor *raw = n->backward(n, n->gout, i), *g = raw ? fit_to(raw, in) : NULL;
        vx_tensor_release(raw);
        int rc = g ? accumulate(in->grad_fn ? &in->grad_fn->gout : &in->grad, g, !in->grad_fn) : -1;
        vx_tensor_release(g);
        if (rc < 0) return -1;
    }
    return 0;
}

static VxTensor *seed_for(VxTensor *root, VxTensor *seed)
{
    if (seed) {
        if (seed->ndim != root->ndim || memcmp(seed->shape, root->shape, (size_t)root->ndim * sizeof *root->shape)) {
            vx_tensor_set_error("cannot backward from %s with a gradient of %s: shapes differ", VX_TNAME(root), VX_TNAME(seed));
            return NULL;
        }
        return vx_tensor_retain(seed);
    }
    if (vx_tensor_numel(root) != 1) {
        vx_tensor_set_error("cannot backward from %s without a gradient: it has %lld elements, not 1",
                            VX_TNAME(root), (long long)vx_tensor_numel(root));
        return NULL;
    }
    return vx_ones_like(root);
}

int vx_backward(VxTensor *root, VxTensor *seed)
{
    if (!root->requires_grad) { vx_tensor_set_error("cannot backward from %s: it does not require grad", VX_TNAME(root)); return -1; }
    if (root->grad_fn && !root->grad_fn->backward) {
        vx_tensor_set_error("cannot backward through the graph of %s a second time: it was freed by the first", VX_TNAME(root));
        return -1;
    }
    vx_no_grad_push();
    VxTensor *s = seed_for(root, seed);
    int rc = s ? 0 : -1;
    if (s && !root->grad_fn) rc = accumulate(&root->grad, s, true);
    NodeList order = {0};
    if (s && root->grad_fn && (rc = topo_sort(root->grad_fn, &order)) == 0) {
        root->grad_fn->gout = vx_tensor_retain(s);
        for (int64_t i = order.len - 1; i >= 0 && rc == 0; i--) {
            VxNode *n = order.v[i];
            rc = n->backward ? run_node(n) : -1;
            if (!n->backward) vx_tensor_set_error("cannot backward through a graph a second time: part of it was freed");
            node_clear(n);                  /* its inputs die now, not after the whole pass (peak memory) */
        }
    }
    for (int64_t i = 0; i < order.len; i++) node_clear(order.v[i]);
    for (int64_t i = 0; i < order.len; i++) vx__node_release(order.v[i]);
    vx__free(order.v, (size_t)order.cap * sizeof *order.v);
    vx_tensor_release(s);
    vx_no_grad_pop();
    return rc;
}

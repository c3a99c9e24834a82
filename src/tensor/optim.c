/* optim.c - SGD, Adam and AdamW over parameter tensors (tensor_optim.h).
 *
 * The update is one pass per parameter over its elements, but it computes
 * what torch's sequence of tensor ops computes: each intermediate torch
 * would store is rounded to the parameter's dtype (R below), scalars are
 * rounded where torch's kernels convert them to scalar_t, and add-with-
 * alpha and addcmul are fused multiply-adds as in torch's CPU kernels
 * (tests/ref/check_optim.py finds 50 steps bit-identical on x86-64).
 * State buffers are contiguous tensors of the parameter's shape and dtype,
 * created when the parameter first has a gradient; all of them are made
 * before any parameter changes, so a failed step changes nothing. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "optim_internal.h"

enum { NBUF = 3 };

typedef struct Slot {
    int64_t step;                            /* this parameter's steps (Adam) */
    VxTensor *buf[NBUF];                     /* by the kind's key order */
} Slot;

struct VxOptim {
    int64_t refcount;
    VxOptimKind kind;
    int n;
    VxTensor **params;                       /* retained */
    Slot *slots;
    double lr, momentum, dampening, weight_decay, beta1, beta2, eps;
    bool nesterov, amsgrad;
    int64_t steps;
    VxSchedKind sched;
    int64_t n1, n2;
    double x;
};

static const char *const kind_names[VX_NOPTIM] = { "SGD", "Adam", "AdamW" };
static const char *const sgd_keys[NBUF] = { "momentum_buffer", NULL, NULL };
static const char *const adam_keys[NBUF] = { "exp_avg", "exp_avg_sq", "max_exp_avg_sq" };

const char *vx_optim_kind_name(VxOptimKind k) { return k >= 0 && k < VX_NOPTIM ? kind_names[k] : "?"; }
VxOptimKind vx_optim_kind(const VxOptim *o) { return o->kind; }
int vx_optim_nparams(const VxOptim *o) { return o->n; }
int64_t vx_optim_steps(const VxOptim *o) { return o->steps; }

/* The state key of buffer b, or NULL when this optimizer has no such buffer. */
static const char *buf_key(const VxOptim *o, int b)
{
    if (o->kind == VX_OPTIM_SGD) return b == 0 && o->momentum != 0 ? sgd_keys[0] : NULL;
    return b < 2 || o->amsgrad ? adam_keys[b] : NULL;
}

/* ---- construction --------------------------------------------------------------- */
static int check_params(const char *who, VxTensor *const *params, int n)
{
    if (n < 1 || !params) { vx_tensor_set_error("%s: optimizer got an empty parameter list", who); return -1; }
    for (int i = 0; i < n; i++) {
        const VxTensor *p = params[i];
        const char *why = !p ? "is NULL" : !p->is_leaf ? "is not a leaf (it is the result of an op; optimize the tensor it came from)"
                        : !p->requires_grad ? "does not require grad" : p->device != VX_DEV_CPU ? "is not on the CPU (optimizers update CPU tensors)" : NULL;
        for (int k = 0; k < i && !why; k++)
            if (params[k] == p) why = "appears twice in the parameter list";
        if (why) { vx_tensor_set_error("%s: parameter %d %s%s%s", who, i, p ? VX_TNAME(p) : "", p ? " " : "", why); return -1; }
    }
    return 0;
}

static VxOptim *optim_new(VxOptimKind kind, VxTensor *const *params, int n)
{
    if (check_params(kind_names[kind], params, n) < 0) return NULL;
    VxOptim *o = calloc(1, sizeof *o);
    if (o && (!(o->params = calloc((size_t)n, sizeof *o->params)) || !(o->slots = calloc((size_t)n, sizeof *o->slots)))) {
        free(o->params);
        free(o);
        o = NULL;
    }
    if (!o) { vx_tensor_set_error("%s: out of memory", kind_names[kind]); return NULL; }
    o->refcount = 1;
    o->kind = kind;
    o->n = n;
    for (int i = 0; i < n; i++) o->params[i] = vx_tensor_retain(params[i]);
    return o;
}

/* torch's own argument checks (NaN fails them too). */
static bool valid(bool ok, const char *who, const char *what, double v)
{
    if (!ok) vx_tensor_set_error("%s: Invalid %s: %g", who, what, v);
    return ok;
}

VxOptim *vx_optim_sgd(VxTensor *const *params, int n, double lr, double momentum,
                      double dampening, bool nesterov, double weight_decay)
{
    if (!valid(lr >= 0, "SGD", "learning rate", lr) || !valid(momentum >= 0, "SGD", "momentum value", momentum) ||
        !valid(weight_decay >= 0, "SGD", "weight_decay value", weight_decay) || !valid(dampening == dampening, "SGD", "dampening value", dampening))
        return NULL;
    if (nesterov && (momentum <= 0 || dampening != 0)) {
        vx_tensor_set_error("SGD: Nesterov momentum requires a momentum and zero dampening");
        return NULL;
    }
    VxOptim *o = optim_new(VX_OPTIM_SGD, params, n);
    if (!o) return NULL;
    o->lr = lr; o->momentum = momentum; o->dampening = dampening; o->nesterov = nesterov; o->weight_decay = weight_decay;
    return o;
}

static VxOptim *adam_new(VxOptimKind kind, VxTensor *const *params, int n, double lr, double beta1,
                         double beta2, double eps, double weight_decay, bool amsgrad)
{
    const char *who = kind_names[kind];
    if (!valid(lr >= 0, who, "learning rate", lr) || !valid(eps >= 0, who, "epsilon value", eps) ||
        !valid(beta1 >= 0 && beta1 < 1, who, "beta parameter at index 0", beta1) ||
        !valid(beta2 >= 0 && beta2 < 1, who, "beta parameter at index 1", beta2) ||
        !valid(weight_decay >= 0, who, "weight_decay value", weight_decay))
        return NULL;
    VxOptim *o = optim_new(kind, params, n);
    if (!o) return NULL;
    o->lr = lr; o->beta1 = beta1; o->beta2 = beta2; o->eps = eps; o->weight_decay = weight_decay; o->amsgrad = amsgrad;
    return o;
}

VxOptim *vx_optim_adam(VxTensor *const *params, int n, double lr, double beta1, double beta2,
                       double eps, double weight_decay, bool amsgrad)
{
    return adam_new(VX_OPTIM_ADAM, params, n, lr, beta1, beta2, eps, weight_decay, amsgrad);
}

VxOptim *vx_optim_adamw(VxTensor *const *params, int n, double lr, double beta1, double beta2,
                        double eps, double weight_decay, bool amsgrad)
{
    return adam_new(VX_OPTIM_ADAMW, params, n, lr, beta1, beta2, eps, weight_decay, amsgrad);
}

VxOptim *vx_optim_retain(VxOptim *o)
{
    if (o) o->refcount++;
    return o;
}

static void slot_clear(Slot *s)
{
    for (int b = 0; b < NBUF; b++) { vx_tensor_release(s->buf[b]); s->buf[b] = NULL; }
    s->step = 0;
}

void vx_optim_release(VxOptim *o)
{
    if (!o || --o->refcount > 0) return;
    for (int i = 0; i < o->n; i++) { vx_tensor_release(o->params[i]); slot_clear(&o->slots[i]); }
    free(o->params);
    free(o->slots);
    free(o);
}

/* ---- learning rate ------------------------------------------------------------------ */
int vx_optim_set_lr(VxOptim *o, double lr)
{
    if (!valid(lr >= 0, kind_names[o->kind], "learning rate", lr)) return -1;
    o->lr = lr;
    return 0;
}

double vx_optim_lr(const VxOptim *o)
{
    return o->sched == VX_SCHED_CONSTANT ? o->lr : vx_lr_at(o->sched, o->lr, o->steps, o->n1, o->n2, o->x);
}

int vx_optim_set_schedule(VxOptim *o, VxSchedKind kind, int64_t n1, int64_t n2, double x)
{
    if (isnan(vx_lr_at(kind, 1.0, 0, n1, n2, x))) return -1;
    o->sched = kind; o->n1 = n1; o->n2 = n2; o->x = x;
    return 0;
}

/* ---- the update ------------------------------------------------------------------------ */
/* x rounded to dtype d, as storing it in a tensor of d would. */
static double R(VxDtype d, double x)
{
    if (d == VX_F64) return x;
    if (d == VX_F32) return (float)x;
    uint64_t cell;
    vx__store_f64(&cell, d, 0, x);
    return vx__load_f64(&cell, d, 0);
}

typedef VxOptimCoef Coef;

static Coef coef_for(const VxOptim *o, const Slot *s, VxDtype d, double lr)
{
    Coef c = { .d = d, .kind = o->kind, .wd = o->weight_decay != 0, .momentum = o->momentum != 0,
               .nesterov = o->nesterov, .amsgrad = o->amsgrad };
    c.wd_r = R(d, o->weight_decay);
    if (o->kind == VX_OPTIM_SGD) {
        c.mom_r = R(d, o->momentum);
        c.damp1_r = R(d, 1 - o->dampening);
        c.neg_lr_r = R(d, -lr);
        return c;
    }
    double t = (double)s->step, bc1 = 1 - pow(o->beta1, t), bc2 = 1 - pow(o->beta2, t);
    c.b1_r = R(d, o->beta1); c.omb1_r = R(d, 1 - o->beta1);
    c.b2_r = R(d, o->beta2); c.omb2_r = R(d, 1 - o->beta2);
    c.bc2s_r = R(d, sqrt(bc2));
    c.eps_r = R(d, o->eps);
    c.neg_step_r = R(d, -(lr / bc1));
    c.decay_r = R(d, 1 - lr * o->weight_decay);
    return c;
}

/* One element: p and the buffers b are updated, g is the gradient. */
static void sgd_elem(const Coef *c, double *p, double g, double *b)
{
    VxDtype d = c->d;
    if (c->wd) g = R(d, fma(c->wd_r, *p, g));                   /* d_p.add(param, alpha=wd) */
    if (c->momentum) {
        b[0] = c->first ? g : R(d, fma(c->damp1_r, g, R(d, b[0] * c->mom_r)));
        g = c->nesterov ? R(d, fma(c->mom_r, b[0], g)) : b[0];
    }
    *p = R(d, fma(c->neg_lr_r, g, *p));                        /* param.add_(d_p, alpha=-lr) */
}

static void adam_elem(const Coef *c, double *p, double g, double *b)
{
    VxDtype d = c->d;
    if (c->kind == VX_OPTIM_ADAMW) *p = R(d, *p * c->decay_r);
    else if (c->wd) g = R(d, fma(c->wd_r, *p, g));
    b[0] = R(d, fma(c->omb1_r, g, R(d, b[0] * c->b1_r)));     /* exp_avg.mul_(b1).add_(g, alpha=1-b1) */
    b[1] = R(d, fma(R(d, c->omb2_r * g), g, R(d, b[1] * c->b2_r)));  /* .mul_(b2).addcmul_(g, g, value=1-b2) */
    double v = b[1];
    if (c->amsgrad) v = b[2] = isnan(b[2]) || isnan(v) ? NAN : b[2] > v ? b[2] : v;   /* ties: v (not fmax: its +-0 is unspecified) */
    double denom = R(d, R(d, R(d, sqrt(v)) / c->bc2s_r) + c->eps_r);
    *p = R(d, *p + R(d, R(d, c->neg_step_r * b[0]) / denom));  /* addcdiv_(m, denom, value=-step_size) */
}

/* Whether optim_f32.c's kernels apply: f32, both contiguous, no sharing
 * (the kernels run torch's stages chunk by chunk, not element by element). */
static bool fast_f32(const VxTensor *p, const VxTensor *g)
{
    return p->dtype == VX_F32 && g->dtype == VX_F32 && p->storage != g->storage &&
           vx_tensor_is_contiguous(p) && vx_tensor_is_contiguous(g);
}

/* Update parameter i in place from its gradient. */
static void update_param(VxOptim *o, int i, double lr)
{
    VxTensor *p = o->params[i], *g = p->grad;
    Slot *s = &o->slots[i];
    if (o->kind != VX_OPTIM_SGD) s->step++;
    Coef c = coef_for(o, s, p->dtype, lr);
    c.first = s->step == 0;
    if (o->kind == VX_OPTIM_SGD) s->step = 1;                  /* SGD: marks "buffer initialised" */
    void *bufs[NBUF] = { NULL, NULL, NULL };
    for (int k = 0; k < NBUF; k++) bufs[k] = s->buf[k] ? vx_tensor_data(s->buf[k]) : NULL;
    if (vx_tensor_numel(p) == 0) return;
    if (fast_f32(p, g)) {
        vx__optim_f32(&c, vx_tensor_data(p), vx_tensor_data(g), (float *const *)bufs, vx_tensor_numel(p));
        return;
    }
    const VxTensor *ops[2] = { p, g };
    VxIter it;
    vx__iter_init(&it, p, ops, 2);
    int64_t e = 0;
    do {
        double pv = vx__load_f64(p->storage->data, p->dtype, it.off[0]);
        double gv = vx__load_f64(g->storage->data, g->dtype, it.off[1]), b[NBUF] = { 0, 0, 0 };
        for (int k = 0; k < NBUF; k++) if (bufs[k]) b[k] = vx__load_f64(bufs[k], p->dtype, e);
        if (o->kind == VX_OPTIM_SGD) sgd_elem(&c, &pv, gv, b);
        else adam_elem(&c, &pv, gv, b);
        vx__store_f64(p->storage->data, p->dtype, it.off[0], pv);
        for (int k = 0; k < NBUF; k++) if (bufs[k]) vx__store_f64(bufs[k], p->dtype, e, b[k]);
        e++;
    } while (vx__iter_next(&it));
}

/* The buffers parameter i needs before its update (zeros, as torch). */
static int ensure_state(VxOptim *o, int i)
{
    VxTensor *p = o->params[i], *g = p->grad;
    if (g->ndim != p->ndim || memcmp(g->shape, p->shape, (size_t)p->ndim * sizeof *p->shape) || g->dtype != p->dtype) {
        vx_tensor_set_error("%s: the gradient %s of parameter %d %s does not match it", kind_names[o->kind],
                            VX_TNAME(g), i, VX_TNAME(p));
        return -1;
    }
    for (int b = 0; b < NBUF; b++)
        if (buf_key(o, b) && !o->slots[i].buf[b] && !(o->slots[i].buf[b] = vx_zeros(p->shape, p->ndim, p->dtype))) return -1;
    return 0;
}

int vx_optim_step(VxOptim *o)
{
    double lr = vx_optim_lr(o);
    if (isnan(lr)) return -1;
    for (int i = 0; i < o->n; i++)
        if (o->params[i]->grad && ensure_state(o, i) < 0) return -1;
    for (int i = 0; i < o->n; i++)
        if (o->params[i]->grad) update_param(o, i, lr);
    o->steps++;
    return 0;
}

int vx_optim_zero_grad(VxOptim *o)
{
    for (int i = 0; i < o->n; i++)
        if (vx_zero_grad(o->params[i]) < 0) return -1;
    return 0;
}

VxTensor *vx_optim_state(const VxOptim *o, int i, const char *key)
{
    if (i < 0 || i >= o->n) { vx_tensor_set_error("%s: parameter %d is out of range (%d parameters)", kind_names[o->kind], i, o->n); return NULL; }
    for (int b = 0; b < NBUF; b++)
        if (buf_key(o, b) && key && !strcmp(key, buf_key(o, b))) {
            if (o->slots[i].buf[b]) return vx_tensor_retain(o->slots[i].buf[b]);
            vx_tensor_set_error("%s: parameter %d has no %s yet (it has not had a gradient at a step)", kind_names[o->kind], i, key);
            return NULL;
        }
    vx_tensor_set_error("%s has no state \"%s\"", kind_names[o->kind], key ? key : "(null)");
    return NULL;
}

/* ---- state files ------------------------------------------------------------------------ */
enum { MAX_STATE = 4 };                      /* buffers + step per parameter */

int vx_optim_save(const VxOptim *o, const char *path)
{
    int cap = o->n * MAX_STATE, n = 0, rc = 0;
    const char **names = calloc((size_t)cap, sizeof *names);
    char *text = calloc((size_t)cap, 48);
    VxTensor **ts = calloc((size_t)cap, sizeof *ts), **steps = calloc((size_t)o->n, sizeof *steps);
    if (!names || !text || !ts || !steps) { vx_tensor_set_error("cannot write %s: out of memory", path); rc = -1; }
    for (int i = 0; i < o->n && rc == 0; i++) {
        const Slot *s = &o->slots[i];
        if (o->kind != VX_OPTIM_SGD && s->step > 0) {
            if (!(steps[i] = vx_scalar((double)s->step, VX_I64))) { rc = -1; break; }
            snprintf(text + 48 * n, 48, "%d.step", i);
            names[n] = text + 48 * n; ts[n++] = steps[i];
        }
        for (int b = 0; b < NBUF; b++)
            if (s->buf[b]) {
                snprintf(text + 48 * n, 48, "%d.%s", i, buf_key(o, b));
                names[n] = text + 48 * n; ts[n++] = s->buf[b];
            }
    }
    char nparams[24], nsteps[24], lr[32];
    snprintf(nparams, sizeof nparams, "%d", o->n);
    snprintf(nsteps, sizeof nsteps, "%lld", (long long)o->steps);
    snprintf(lr, sizeof lr, "%.17g", o->lr);
    const char *mk[] = { "optimizer", "params", "steps", "lr" }, *mv[] = { kind_names[o->kind], nparams, nsteps, lr };
    if (rc == 0) rc = vx_safetensors_save(path, names, ts, n, mk, mv, 4);
    for (int i = 0; steps && i < o->n; i++) vx_tensor_release(steps[i]);
    free(names); free(text); free(ts); free(steps);
    return rc;
}

/* A whole decimal number from metadata; false if absent or malformed. */
static bool meta_num(const VxSafetensors *f, const char *key, double *out)
{
    const char *s = vx_safetensors_meta_get(f, key);
    char *end;
    if (!s || !*s) return false;
    *out = strtod(s, &end);
    return *end == 0 && *out >= 0;
}

/* "3.exp_avg" -> parameter 3, buffer index (NBUF for "step"); -1 if not ours. */
static int parse_name(const VxOptim *o, const char *name, int *param)
{
    char *end;
    long i = strtol(name, &end, 10);
    if (end == name || *end != '.' || name[0] < '0' || name[0] > '9' || i >= o->n) return -1;
    *param = (int)i;
    if (o->kind != VX_OPTIM_SGD && !strcmp(end + 1, "step")) return NBUF;
    for (int b = 0; b < NBUF; b++)
        if (buf_key(o, b) && !strcmp(end + 1, buf_key(o, b))) return b;
    return -1;
}

/* One tensor of the file into the new slots. */
static int load_entry(const VxOptim *o, const VxSafetensors *f, int k, Slot *slots, const char *path)
{
    const char *name = vx_safetensors_name(f, k);
    int i = 0, b = parse_name(o, name, &i);
    if (b < 0) {
        vx_tensor_set_error("%s: unexpected tensor \"%s\" in the state of %s with %d parameters%s", path, name,
                            kind_names[o->kind], o->n, o->kind != VX_OPTIM_SGD && !o->amsgrad && strstr(name, "max_exp_avg_sq")
                            ? " (the state has amsgrad, this optimizer does not)" : "");
        return -1;
    }
    VxTensor *t = vx_safetensors_tensor(f, k), *p = o->params[i];
    int rc = 0;
    if (b == NBUF) {
        double v = NAN;
        if (t->ndim != 0 || vx_tensor_item_f64(t, &v) < 0 || !(v >= 1 && v == floor(v) && v < 9e18)) {
            vx_tensor_set_error("%s: \"%s\" must be a 0-dim tensor holding a positive whole number", path, name);
            rc = -1;
        } else slots[i].step = (int64_t)v;
    } else if (t->ndim != p->ndim || memcmp(t->shape, p->shape, (size_t)p->ndim * sizeof *p->shape)) {
        char ts[256];
        vx_tensor_set_error("%s: \"%s\" is %s but parameter %d is %s", path, name, vx_tensor_type_str(t, ts, sizeof ts), i, VX_TNAME(p));
        rc = -1;
    } else if (!(slots[i].buf[b] = vx_to(t, p->dtype))) rc = -1;
    vx_tensor_release(t);
    return rc;
}

/* Every parameter has all of its state or none of it. */
static int check_complete(const VxOptim *o, const Slot *slots, const char *path)
{
    if (o->kind == VX_OPTIM_SGD) return 0;              /* one buffer: nothing to pair */
    for (int i = 0; i < o->n; i++) {
        bool any = slots[i].step > 0;
        const char *missing = any ? NULL : "step";
        for (int b = 0; b < NBUF; b++) {
            if (!buf_key(o, b)) continue;
            any |= slots[i].buf[b] != NULL;
            if (!slots[i].buf[b] && !missing) missing = buf_key(o, b);
        }
        if (any && missing) {
            vx_tensor_set_error("%s: the state of parameter %d is incomplete: \"%d.%s\" is missing", path, i, i, missing);
            return -1;
        }
    }
    return 0;
}

static int check_meta(const VxOptim *o, const VxSafetensors *f, const char *path, double *steps, double *lr)
{
    const char *kind = vx_safetensors_meta_get(f, "optimizer");
    double np;
    if (!kind) { vx_tensor_set_error("%s: not an optimizer state file (no \"optimizer\" in its metadata)", path); return -1; }
    if (strcmp(kind, kind_names[o->kind])) {
        vx_tensor_set_error("%s: the file holds the state of %s, but this optimizer is %s", path, kind, kind_names[o->kind]);
        return -1;
    }
    if (!meta_num(f, "params", &np) || !meta_num(f, "steps", steps) || !meta_num(f, "lr", lr) || *steps != floor(*steps)) {
        vx_tensor_set_error("%s: the metadata \"params\", \"steps\" and \"lr\" must be non-negative numbers", path);
        return -1;
    }
    if (np != o->n) {
        vx_tensor_set_error("%s: the state is for %g parameters but this optimizer has %d", path, np, o->n);
        return -1;
    }
    return 0;
}

int vx_optim_load(VxOptim *o, const char *path)
{
    VxSafetensors *f = vx_safetensors_load(path);
    if (!f) return -1;
    double steps = 0, lr = 0;
    Slot *slots = calloc((size_t)o->n, sizeof *slots);
    int rc = slots ? check_meta(o, f, path, &steps, &lr) : -1;
    if (!slots) vx_tensor_set_error("%s: out of memory", path);
    for (int k = 0; k < vx_safetensors_count(f) && rc == 0; k++) {
        int i = 0, b = parse_name(o, vx_safetensors_name(f, k), &i);
        if (b >= 0 && b < NBUF ? slots[i].buf[b] != NULL : b == NBUF && slots[i].step > 0) {
            vx_tensor_set_error("%s: \"%s\" appears twice", path, vx_safetensors_name(f, k));
            rc = -1;
        } else rc = load_entry(o, f, k, slots, path);
    }
    if (rc == 0) rc = check_complete(o, slots, path);
    for (int i = 0; slots && i < o->n; i++) {
        if (rc == 0) {
            slot_clear(&o->slots[i]);
            o->slots[i] = slots[i];
            if (o->kind == VX_OPTIM_SGD) o->slots[i].step = slots[i].buf[0] != NULL;
        } else slot_clear(&slots[i]);
    }
    if (rc == 0) { o->steps = (int64_t)steps; o->lr = lr; }
    free(slots);
    vx_safetensors_free(f);
    return rc;
}

/* sema_mono.c - monomorphization: the concrete instances a program uses.
 *
 * While bodies are checked, every call to a generic function or method is
 * recorded with its type arguments, in terms of the caller's own generic
 * parameters.  Starting from the non-generic functions, this pass
 * substitutes each caller instance's arguments into its calls, giving new
 * concrete instances, until no new ones appear.  A trait method called on a
 * generic receiver resolves here, for each concrete receiver type, to the
 * impl that provides it (static dispatch).  The instance list is what the
 * code generators compile. */
#include "sema_internal.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_INSTANCES = 100000 };

/* The generic parameter owners of a declaration, outermost first. */
static int owners(VxDecl *d, VxDecl **out)
{
    int n = 0;
    if (d->impl) out[n++] = d->impl;
    out[n++] = d;
    return n;
}

static int nargs_of(VxDecl *d)
{
    int n = d->ngenerics;
    if (d->impl) n += d->impl->kind == VX_D_TRAIT ? d->impl->ngenerics + 1 : d->impl->ngenerics;
    return n;
}

/* Replace the caller's parameters in t by the caller instance's arguments. */
static VxType *subst_caller(Sema *s, VxType *t, VxDecl *caller, VxType **args)
{
    VxDecl *own[2];
    int n = owners(caller, own), k = 0;
    for (int i = 0; i < n; i++) {
        int cnt = own[i] == caller ? caller->ngenerics
                : own[i]->kind == VX_D_TRAIT ? own[i]->ngenerics + 1 : own[i]->ngenerics;
        if (cnt) t = vx_subst(s->types, t, own[i], args + k, cnt);
        k += cnt;
    }
    return t;
}

void record_call(Sema *s, VxDecl *callee, VxType **outer, int nouter, VxType **own, int nown)
{
    VxNode *site = s->call_site;
    s->call_site = NULL;
    if (!s->fn || (!callee->ngenerics && !nouter)) return;
    CallRecord c = { s->fn, callee, NULL, nouter + nown, site };
    c.args = vx_arena_alloc(&s->arena, sizeof(VxType *) * (size_t)(c.nargs ? c.nargs : 1));
    for (int i = 0; i < nouter; i++) c.args[i] = outer[i];
    for (int i = 0; i < nown; i++) c.args[nouter + i] = own[i];
    vx_vec_push(&s->calls, c);
}

/* Finalise the calls recorded while checking the current function. */
void zonk_calls(Sema *s, int from)
{
    for (int i = from; i < s->calls.len; i++)
        for (int k = 0; k < s->calls.data[i].nargs; k++)
            s->calls.data[i].args[k] = vx_zonk(s->types, s->calls.data[i].args[k], true);
}

/* Instances are hash-consed too: (decl, args) -> index, open addressing. */
static uint32_t instance_hash(VxDecl *d, VxType **args, int n)
{
    uint32_t h = (uint32_t)((uintptr_t)d >> 4) * 2654435761u;
    for (int k = 0; k < n; k++) h = (h ^ args[k]->id) * 16777619u;
    return h;
}

static bool instance_is(Instance *in, VxDecl *d, VxType **args, int n)
{
    if (in->decl != d || in->nargs != n) return false;
    for (int k = 0; k < n; k++) if (in->args[k] != args[k]) return false;
    return true;
}

static void instances_grow(Sema *s)
{
    free(s->instance_slots);
    s->instance_cap = s->instance_cap ? s->instance_cap * 2 : 1024;
    s->instance_slots = calloc(s->instance_cap, sizeof(int));
    if (!s->instance_slots) vx_xmalloc((size_t)-1);
    for (int i = 0; i < s->instances.len; i++) {
        Instance *in = &s->instances.data[i];
        uint32_t h = instance_hash(in->decl, in->args, in->nargs) & (s->instance_cap - 1);
        while (s->instance_slots[h]) h = (h + 1) & (s->instance_cap - 1);
        s->instance_slots[h] = i + 1;
    }
}

/* The slot holding (d, args), or the empty slot where it would go. */
static uint32_t instance_slot(Sema *s, VxDecl *d, VxType **args, int n)
{
    uint32_t h = instance_hash(d, args, n) & (s->instance_cap - 1);
    while (s->instance_slots[h] && !instance_is(&s->instances.data[s->instance_slots[h] - 1], d, args, n))
        h = (h + 1) & (s->instance_cap - 1);
    return h;
}

static void add_instance(Sema *s, VxDecl *d, VxType **args, int n)
{
    for (int k = 0; k < n; k++) {
        VxType *r = vx_resolve(s->types, args[k]);
        if (r->kind == VX_T_VAR || r->kind == VX_T_ERROR) return;     /* not concrete: nothing to compile */
    }
    if (s->instances.len >= MAX_INSTANCES) return;
    if ((uint32_t)(s->instances.len + 1) * 2 >= s->instance_cap) instances_grow(s);
    uint32_t slot = instance_slot(s, d, args, n);
    if (s->instance_slots[slot]) return;
    Instance in = { d, n ? vx_arena_dup(&s->arena, args, sizeof(VxType *) * (size_t)n) : NULL, n };
    vx_vec_push(&s->instances, in);
    s->instance_slots[slot] = s->instances.len;
}

/* A trait method on a concrete receiver: the impl method that provides it. */
static void dispatch(Sema *s, VxDecl *tm, VxType **args, int n)
{
    VxDecl *tr = tm->impl;
    VxType *self = args[tr->ngenerics];
    VxType **iargs;
    int ni;
    size_t mark = vx_types_mark(s->types);
    VxDecl *m = find_method(s, self, tm->name, &iargs, &ni);
    if (!m) { vx_types_rollback(s->types, mark); return; }
    VxType *all[128];
    int k = 0;
    if (m->impl && m->impl->kind == VX_D_IMPL)
        for (int i = 0; i < ni && k < 64; i++) all[k++] = vx_zonk(s->types, iargs[i], true);
    else
        for (int i = 0; i <= tr->ngenerics && k < 64; i++) all[k++] = args[i];
    for (int i = tr->ngenerics + 1; i < n && k < 128; i++) all[k++] = args[i];
    vx_types_rollback(s->types, mark);
    add_instance(s, m, all, k);
}

void monomorphize(Sema *s)
{
    for (int i = 0; i < s->decls.len; i++) {
        VxDecl *d = s->decls.data[i];
        if (d->kind == VX_D_FN && d->node->u.fn.body && nargs_of(d) == 0 && (!d->impl || d->impl->kind == VX_D_IMPL))
            add_instance(s, d, NULL, 0);
    }
    for (int i = 0; i < s->instances.len; i++) {
        Instance in = s->instances.data[i];
        for (int c = in.decl->calls_from; c < in.decl->calls_to; c++) {
            CallRecord *r = &s->calls.data[c];
            VxType *args[128];
            int n = r->nargs < 128 ? r->nargs : 128;
            for (int k = 0; k < n; k++) args[k] = vx_zonk(s->types, subst_caller(s, r->args[k], in.decl, in.args), true);
            if (r->callee->impl && r->callee->impl->kind == VX_D_TRAIT && !r->callee->node->u.fn.body) dispatch(s, r->callee, args, n);
            else add_instance(s, r->callee, args, n);
        }
    }
}

/* `instance name<args>: signature`, one line per generic instance. */
void print_instances(Sema *s, FILE *out)
{
    for (int i = 0; i < s->instances.len; i++) {
        Instance *in = &s->instances.data[i];
        if (!in->nargs || !in->decl->sig) continue;
        VxDecl *d = in->decl;
        VxType *sig = subst_caller(s, d->sig, d, in->args);
        char owner[256] = "";
        if (d->impl && d->impl->kind == VX_D_IMPL)
            snprintf(owner, sizeof owner, "%s::", tname(s, vx_subst(s->types, d->impl->self_type, d->impl, in->args, d->impl->ngenerics)));
        fprintf(out, "instance %s%s<", owner, d->name);
        for (int k = 0; k < in->nargs; k++) fprintf(out, "%s%s", k ? ", " : "", tname(s, in->args[k]));
        fprintf(out, ">: %s\n", tname(s, sig));
    }
}

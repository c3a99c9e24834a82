/* compile_mutate.c - the builtin methods that change their receiver:
 * a.push(x), a.pop(), m.insert(k, v), m.remove(k).
 *
 * On a variable they change its register in place (APUSH, APOP, MINSERT,
 * MREMOVE copy first only if the object is shared).  On a longer place
 * (`self.items.pop()`, `grid[r].push(x)`, `s.index.insert(k, v)`) the
 * receiver is moved out of its containers into a register, changed
 * there, and put back (compile_place.c), so an unshared part is never
 * copied. */
#include "compile_internal.h"

typedef enum { M_PUSH, M_POP, M_INSERT, M_REMOVE } Mutation;

/* The change itself, on the receiver in register r; v: the values. */
static void mutate(Comp *c, VxNode *e, Mutation m, int r, int v, int dst)
{
    switch (m) {
    case M_PUSH: emit(c, e, VX_OP_APUSH, 0, r, v, 0); return;
    case M_INSERT: emit(c, e, VX_OP_MINSERT, 0, r, v, v + 1); return;
    case M_REMOVE: emit(c, e, VX_OP_MREMOVE, 0, r, v, 0); return;
    case M_POP: {                                    /* Some(the last element), removed, or None */
        VxType *t = ctype(c, e->type);
        int n = alloc_reg(c, e), x = alloc_reg(c, e);
        emit(c, e, VX_OP_ALEN, 0, n, r, 0);
        int to_none = emit_jump(c, e, VX_OP_JMPIFNOT, n);
        emit(c, e, VX_OP_APOP, 0, x, r, 0);
        finish_option(c, e, t, x, dst, to_none);
        return;
    }
    }
}

/* Which mutation e is, if any, with its number of arguments. */
static bool mutation_of(Comp *c, VxNode *e, Mutation *m)
{
    VKind k = node_kind(c, e->u.method.recv, NULL);
    const char *name = e->u.method.name;
    int n = e->u.method.args.len;
    for (int i = 0; i < n; i++) if (e->u.method.args.items[i]->kind == VX_N_NAMED_ARG) return false;
    if (k == K_ARR && strcmp(name, "push") == 0 && n == 1) *m = M_PUSH;
    else if (k == K_ARR && strcmp(name, "pop") == 0 && n == 0) *m = M_POP;
    else if (k == K_MAP && strcmp(name, "insert") == 0 && n == 2) *m = M_INSERT;
    else if (k == K_MAP && strcmp(name, "remove") == 0 && n == 1) *m = M_REMOVE;
    else return false;
    return true;
}

/* recv.push(x) ... on any place.  The arguments are evaluated first,
 * while the place still holds its value (`a.push(a[0])`). */
bool mutating_method(Comp *c, VxNode *e, int dst)
{
    Mutation m;
    if (!mutation_of(c, e, &m)) return false;
    VxNode *recv = e->u.method.recv;
    if (assigns_capture(c, recv)) return true;
    int save = c->freereg, v = c->freereg;
    VxNodeList args = e->u.method.args;
    for (int i = 0; i < args.len; i++) {
        int r = alloc_reg(c, args.items[i]);
        expr_to(c, args.items[i], r);
        c->owned[r] = is_obj(c, args.items[i]);
    }
    int a = local_of(c, recv);
    if (a >= 0) {
        mutate(c, e, m, a, v, dst);
    } else if (recv->kind == VX_N_FIELD_ACCESS && m == M_PUSH && local_of(c, recv->u.field_access.expr) >= 0 &&
               struct_field_index(c, recv->u.field_access.expr, recv->u.field_access.name) >= 0) {
        VxNode *base = recv->u.field_access.expr;   /* `self.items.push(x)`: one instruction */
        emit(c, e, VX_OP_APUSHF, 0, local_of(c, base), struct_field_index(c, base, recv->u.field_access.name), v);
    } else {
        Place p;
        if (!place_begin(c, recv, &p, false)) return true;
        int slot = alloc_reg(c, e);
        place_take(c, e, &p, slot);
        mutate(c, e, m, slot, v, dst);
        place_put(c, e, &p, slot);
    }
    release_to(c, e, save);
    return true;
}

/* compile_place.c - places: a variable, or a path of fields and indices
 * below one (`a[i].pos.x`), as assignments and `&mut` arguments use them.
 *
 * Changing a place moves each container on the path out of its parent
 * (TAKEF/TAKEA: moved, not copied, so an unshared one is changed in
 * place), changes the innermost, and puts the containers back up in
 * reverse order (SETF/ASET retain; the moved reference is then dropped).
 *
 * A `&mut` argument is handed over the same way: the part is moved out
 * into the callee's parameter slot, which the callee changes in place and
 * does not release, and after the call the slot goes back where the part
 * came from (docs/architecture.md, section 5, "`&mut` arguments"). */
#include "compile_internal.h"

/* `*r` is r itself (a reference is its value); `&mut x` (op TK_MUT) names x. */
static VxNode *strip_ref(VxNode *e)
{
    while (e->kind == VX_N_UNARY && (e->u.unary.op == TK_STAR || e->u.unary.op == TK_MUT)) e = e->u.unary.operand;
    return e;
}

static VxNode *step_base(VxNode *t)
{
    return strip_ref(t->kind == VX_N_FIELD_ACCESS ? t->u.field_access.expr
                   : t->kind == VX_N_INDEX ? t->u.index.expr : t->u.tuple_index.expr);
}

static bool is_step(VxNode *t)
{
    return t->kind == VX_N_FIELD_ACCESS || t->kind == VX_N_INDEX || t->kind == VX_N_TUPLE_INDEX;
}

/* The path of e down from its variable, its keys evaluated (indices first:
 * they may read the old value), and a register for each container.  With
 * `temp_ok`, an expression that is no place is a temporary (root -1).
 * False after reporting what cannot be changed. */
bool place_begin(Comp *c, VxNode *e, Place *p, bool temp_ok)
{
    memset(p, 0, sizeof *p);
    p->node = e = strip_ref(e);
    VxNode *t = e;
    for (; is_step(t); p->n++) {
        if (p->n == MAX_PATH) { unsupported(c, e, "paths this long"); return false; }
        p->steps[p->n].node = t;
        t = step_base(t);
    }
    p->root = local_of(c, t);
    if (p->root < 0) {
        if (temp_ok && p->n == 0) return true;
        unsupported(c, e, "changing this value (only variables and their fields and elements)");
        return false;
    }
    if (assigns_capture(c, t)) return false;
    for (int k = p->n - 1; k >= 0; k--) {            /* outermost first: keys, checked for support */
        PathStep *st = &p->steps[k];
        VxNode *s = st->node, *base = step_base(s);
        st->index = s->kind == VX_N_INDEX;
        if (st->index) {
            if (s->u.index.indices.len != 1 || s->u.index.indices.items[0]->kind == VX_N_RANGE ||
                s->u.index.indices.items[0]->kind == VX_N_FULL_SLICE || node_kind(c, base, NULL) != K_ARR) {
                unsupported(c, s, "changing this part of a value");
                return false;
            }
            st->key = expr(c, s->u.index.indices.items[0]);
        } else {
            st->key = s->kind == VX_N_TUPLE_INDEX ? (int)s->u.tuple_index.index : struct_field_index(c, base, s->u.field_access.name);
            if (st->key < 0 || node_kind(c, base, NULL) != K_REC) { unsupported(c, s, "changing this part of a value"); return false; }
        }
    }
    for (int k = p->n - 1; k >= 1; k--) p->part[k] = alloc_reg(c, e);
    return true;
}

/* Take the containers on the way down; returns the innermost's register. */
int place_descend(Comp *c, VxNode *at, Place *p)
{
    int cur = p->root;
    for (int k = p->n - 1; k >= 1; k--) {
        emit(c, at, p->steps[k].index ? VX_OP_TAKEA : VX_OP_TAKEF, 0, p->part[k], cur, p->steps[k].key);
        cur = p->part[k];
    }
    return cur;
}

/* Put the containers back on the way up. */
void place_ascend(Comp *c, VxNode *at, Place *p)
{
    for (int k = 1; k < p->n; k++) {
        int parent = k == p->n - 1 ? p->root : p->part[k + 1];
        emit(c, at, p->steps[k].index ? VX_OP_ASET : VX_OP_SETF, 0, parent, p->steps[k].key, p->part[k]);
        emit(c, at, VX_OP_DROP, 0, p->part[k], 0, 0);
    }
}

/* Can the variable in register r be handed to a `&mut` parameter?  Its
 * object must be its own reference (a variable, or a `&mut` parameter
 * of this function), not one borrowed from a matched value. */
static bool can_hand_over(Comp *c, VxNode *at, int r)
{
    return c->owned[r] || is_handback(c, r) || !is_obj(c, at);
}

/* Move the place's value into slot (a `&mut` parameter's). */
void place_take(Comp *c, VxNode *at, Place *p, int slot)
{
    if (p->root < 0) { expr_to(c, p->node, slot); return; }   /* a temporary: the call's to release */
    if (p->n == 0) {
        if (!can_hand_over(c, p->node, p->root)) { unsupported(c, p->node, "handing this binding to a `&mut` parameter"); return; }
        emit(c, at, VX_OP_MOVE, 0, slot, p->root, 0);
        return;
    }
    int cur = place_descend(c, at, p);
    emit(c, at, p->steps[0].index ? VX_OP_TAKEA : VX_OP_TAKEF, 0, slot, cur, p->steps[0].key);
}

/* After the call: the slot's value (maybe a new copy) goes back. */
void place_put(Comp *c, VxNode *at, Place *p, int slot)
{
    bool obj = is_obj(c, p->node);
    if (p->root < 0) { if (obj) emit(c, at, VX_OP_DROP, 0, slot, 0, 0); return; }
    if (p->n == 0) { emit(c, at, VX_OP_MOVE, 0, p->root, slot, 0); return; }
    int cur = p->n == 1 ? p->root : p->part[1];
    emit(c, at, p->steps[0].index ? VX_OP_ASET : VX_OP_SETF, 0, cur, p->steps[0].key, slot);
    if (obj) emit(c, at, VX_OP_DROP, 0, slot, 0, 0);
    place_ascend(c, at, p);
}

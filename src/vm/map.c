/* map.c - HashMap<K, V>: insertion-ordered entries plus an open-addressing
 * index, as CPython's dict.  Keys are integers (wide ones boxed), bools
 * or strings (the compiler refuses others).  A map is a value: copy-on-write like arrays;
 * `m = hashmap_insert(m, k, v)` updates m in place when it is unshared.
 *
 * Memory: entries (key, value) in two arrays in insertion order, so keys()
 * and printing are deterministic; the index holds entry numbers (-1
 * empty, -2 a removed entry's tombstone).  Removal marks the entry dead;
 * the index is rebuilt (and dead entries squeezed out) when used entries
 * pass 3/4 of the index. */
#include "map.h"

#include <stdlib.h>
#include <string.h>

enum { EMPTY = -1, TOMB = -2 };

static bool key_is_str(const VxMap *m) { return m->key_kind == VX_PUT_STR; }

static uint64_t hash_key(const VxMap *m, VxValue k)
{
    uint64_t h;
    if (key_is_str(m)) {
        h = 0xcbf29ce484222325ull;                      /* FNV-1a */
        for (uint32_t i = 0; i < k.s->len; i++) h = (h ^ (unsigned char)k.s->data[i]) * 0x100000001b3ull;
    } else if (vm_kind_wide(m->key_kind)) {
        h = k.w->v.limb[0] ^ k.w->v.limb[1] * 31 ^ k.w->v.limb[2] * 961 ^ k.w->v.limb[3] * 29791;
    } else {
        h = k.u;
    }
    h ^= h >> 33; h *= 0xff51afd7ed558ccdull; h ^= h >> 33;   /* spread the bits (murmur3's finaliser) */
    return h;
}

static bool key_eq(const VxMap *m, VxValue a, VxValue b)
{
    if (vm_kind_wide(m->key_kind)) return memcmp(&a.w->v, &b.w->v, sizeof a.w->v) == 0;
    if (!key_is_str(m)) return a.u == b.u;
    return a.s->len == b.s->len && memcmp(a.s->data, b.s->data, a.s->len) == 0;
}

VxMap *vm_map_new(Vm *vm, int key_kind, int val_kind)
{
    VxMap *m = calloc(1, sizeof *m);
    if (!m) vx_xmalloc((size_t)-1);
    m->h.rc = 1;
    m->h.kind = VX_OBJ_MAP;
    m->key_kind = (uint8_t)key_kind;
    m->val_kind = (uint8_t)val_kind;
    m->key_obj = vm_kind_obj(key_kind);
    m->val_obj = vm_kind_obj(val_kind);
    vm_link(vm, &m->h);
    return m;
}

void vm_map_free_parts(Vm *vm, VxMap *m)
{
    for (uint32_t i = 0; i < m->used; i++) {
        if (m->dead[i]) continue;
        if (m->key_obj) vm_release(vm, m->keys[i].o);
        if (m->val_obj) vm_release(vm, m->vals[i].o);
    }
    free(m->keys); free(m->vals); free(m->dead); free(m->index);
}

/* The entry holding key k, or -1; *slot gets where k is or would go. */
static int64_t find(const VxMap *m, VxValue k, uint32_t *slot)
{
    if (!m->nindex) return -1;
    uint32_t mask = m->nindex - 1, i = (uint32_t)hash_key(m, k) & mask;
    int64_t first_tomb = -1;
    for (;; i = (i + 1) & mask) {
        int32_t e = m->index[i];
        if (e == EMPTY) { *slot = first_tomb >= 0 ? (uint32_t)first_tomb : i; return -1; }
        if (e == TOMB) { if (first_tomb < 0) first_tomb = i; continue; }
        if (key_eq(m, m->keys[e], k)) { *slot = i; return e; }
    }
}

/* Squeeze out dead entries and rebuild the index at a size for n entries. */
static void rebuild(VxMap *m, uint32_t n)
{
    uint32_t live = 0;
    for (uint32_t i = 0; i < m->used; i++)
        if (!m->dead[i]) { m->keys[live] = m->keys[i]; m->vals[live] = m->vals[i]; m->dead[live++] = 0; }
    m->used = live;
    uint32_t cap = 8;
    while (cap < n + n / 2) cap *= 2;
    m->cap = cap;
    m->keys = vx_xrealloc(m->keys, sizeof(VxValue) * cap);
    m->vals = vx_xrealloc(m->vals, sizeof(VxValue) * cap);
    m->dead = vx_xrealloc(m->dead, cap);
    uint32_t nindex = 16;
    while (nindex < cap * 4 / 3 + 1) nindex *= 2;
    m->nindex = nindex;
    free(m->index);
    m->index = vx_xmalloc(sizeof(int32_t) * nindex);
    for (uint32_t i = 0; i < nindex; i++) m->index[i] = EMPTY;
    for (uint32_t e = 0; e < m->used; e++) {
        uint32_t slot;
        find(m, m->keys[e], &slot);
        m->index[slot] = (int32_t)e;
    }
}

/* Insert or replace (the map retains k and v). */
void vm_map_insert(Vm *vm, VxMap *m, VxValue k, VxValue v)
{
    uint32_t slot;
    int64_t e = find(m, k, &slot);
    if (e >= 0) {
        if (m->val_obj) { vm_retain(v.o); vm_release(vm, m->vals[e].o); }
        m->vals[e] = v;
        return;
    }
    if (m->used + 1 > m->cap) { rebuild(m, m->len + 1); find(m, k, &slot); }
    e = m->used++;
    m->keys[e] = k;
    m->vals[e] = v;
    m->dead[e] = 0;
    if (m->key_obj) vm_retain(k.o);
    if (m->val_obj) vm_retain(v.o);
    m->index[slot] = (int32_t)e;
    m->len++;
}

bool vm_map_remove(Vm *vm, VxMap *m, VxValue k)
{
    uint32_t slot;
    int64_t e = find(m, k, &slot);
    if (e < 0) return false;
    if (m->key_obj) vm_release(vm, m->keys[e].o);
    if (m->val_obj) vm_release(vm, m->vals[e].o);
    m->dead[e] = 1;
    m->index[slot] = TOMB;
    m->len--;
    return true;
}

bool vm_map_get(const VxMap *m, VxValue k, VxValue *v)
{
    uint32_t slot;
    int64_t e = find(m, k, &slot);
    if (e >= 0) *v = m->vals[e];
    return e >= 0;
}

/* A copy sharing the keys and values (retained). */
VxMap *vm_map_copy(Vm *vm, const VxMap *m)
{
    VxMap *c = vm_map_new(vm, m->key_kind, m->val_kind);
    for (uint32_t i = 0; i < m->used; i++)
        if (!m->dead[i]) vm_map_insert(vm, c, m->keys[i], m->vals[i]);
    return c;
}

VxMap *vm_map_unique(Vm *vm, VxMap *m)
{
    if (m->h.rc == 1) return m;
    VxMap *c = vm_map_copy(vm, m);
    vm_release(vm, &m->h);
    return c;
}

/* keys (which = 0) or values (1), in insertion order. */
VxArr *vm_map_list(Vm *vm, const VxMap *m, int which)
{
    VxArr *a = vm_new_arr(vm, m->len, which ? m->val_kind : m->key_kind);
    for (uint32_t i = 0; i < m->used; i++)
        if (!m->dead[i]) vm_arr_push(vm, &a, which ? m->vals[i] : m->keys[i]);
    return a;
}

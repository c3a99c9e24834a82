/* map.c - HashMap<K, V>: insertion-ordered entries plus an open-addressing
 * index, as CPython's dict.  Keys are values of any print kind, hashed
 * deeply (vm_hash_value) and compared as `==` does (vm_values_equal);
 * strings and plain integers take a fast path.  A map is a value: copy-on-write like arrays;
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

/* murmur3's finaliser: spreads the bits, so the low ones index well. */
static uint64_t mix(uint64_t h) { h ^= h >> 33; h *= 0xff51afd7ed558ccdull; h ^= h >> 33; return h; }

uint32_t vm_hash_bytes(const char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;                  /* FNV-1a */
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * 0x100000001b3ull;
    uint32_t r = (uint32_t)mix(h);
    return r ? r : 1;                                    /* 0 means "not computed yet" */
}

/* Computed once per string: a key is hashed on every lookup. */
uint32_t vm_str_hash(VxStr *s)
{
    if (!s->hash) s->hash = vm_hash_bytes(s->data, s->len);
    return s->hash;
}

/* Combine hash h with the hash x of the next part (boost's hash_combine, widened). */
static uint64_t combine(uint64_t h, uint64_t x) { return h ^ (x + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2)); }

static uint64_t hash_wide(const VxWideInt *w)
{
    const uint64_t *l = w->v.limb;
    return mix(l[0] ^ mix(l[1] ^ mix(l[2] ^ mix(l[3]))));
}

/* Floats hash by their bits, but -0.0 as 0.0: they are `==`.  (A NaN is
 * unequal to everything, so its hash never matters.) */
static uint64_t hash_float(VxValue v, int kind)
{
    if (kind == VX_PUT_F64) return v.f == 0 ? 0 : mix(v.u);
    uint32_t bits;
    memcpy(&bits, &v.f32, sizeof bits);
    return v.f32 == 0 ? 0 : mix(bits);
}

/* Maps are equal whatever their order (vm_map_equal): a sum of entry hashes. */
static uint64_t hash_map(const VxMap *m)
{
    uint64_t h = mix(m->len + 1);
    for (uint32_t i = 0; i < m->used; i++)
        if (!m->dead[i]) h += mix(combine(vm_hash_value(m->keys[i], m->key_kind), vm_hash_value(m->vals[i], m->val_kind)));
    return h;
}

/* A hash of v consistent with vm_values_equal: equal values hash alike.
 * Records include their descriptor, which equality compares by identity;
 * closures and handles are equal only to themselves; tensors (equal
 * by shape and elements) and () hash by their kind alone. */
uint64_t vm_hash_value(VxValue v, int kind)
{
    if (kind == VX_PUT_STR) return vm_str_hash(v.s);
    if (vm_kind_wide(kind)) return hash_wide(v.w);
    if (kind == VX_PUT_F64 || kind == VX_PUT_F32 || kind == VX_PUT_F16 || kind == VX_PUT_BF16) return hash_float(v, kind);
    if (kind == VX_PUT_ARR) {
        uint64_t h = mix(v.a->len + 1);
        for (uint32_t i = 0; i < v.a->len; i++) h = combine(h, vm_hash_value(v.a->items[i], v.a->elem_kind));
        return h;
    }
    if (kind == VX_PUT_REC) {
        uint64_t h = mix((uint64_t)(uintptr_t)v.r->desc);
        for (uint32_t i = 0; i < v.r->desc->n; i++) h = combine(h, vm_hash_value(v.r->fields[i], v.r->desc->kinds[i]));
        return h;
    }
    if (kind == VX_PUT_MAP) return hash_map(v.m);
    if (kind == VX_PUT_TENSOR || kind == VX_PUT_UNIT) return (uint64_t)kind;
    if (kind == VX_PUT_FN || kind == VX_PUT_HANDLE) return mix((uint64_t)(uintptr_t)v.o);
    return mix(v.u);                                  /* integers, bools */
}

/* Integers (not wide) and bools: the value is its own key. */
static bool key_is_plain(const VxMap *m)
{
    return (m->key_kind < VX_PUT_F64 && !m->key_obj) || m->key_kind == VX_PUT_BOOL;
}

static uint32_t hash_key(const VxMap *m, VxValue k)
{
    if (key_is_str(m)) return vm_str_hash(k.s);
    return (uint32_t)(key_is_plain(m) ? mix(k.u) : vm_hash_value(k, m->key_kind));
}

/* Strings: the same object (split shares its pieces), or equal hashes and bytes. */
static bool key_eq(const VxMap *m, VxValue a, VxValue b)
{
    if (key_is_str(m)) return a.s == b.s || (a.s->hash == b.s->hash && a.s->len == b.s->len && memcmp(a.s->data, b.s->data, a.s->len) == 0);
    if (key_is_plain(m)) return a.u == b.u;
    return vm_values_equal(a, b, m->key_kind);
}

VxMap *vm_map_new(Vm *vm, int key_kind, int val_kind)
{
    VxMap *m = vm_new_obj(vm, sizeof *m, VX_OBJ_MAP);
    memset((char *)m + sizeof m->h, 0, sizeof *m - sizeof m->h);
    m->key_kind = (uint8_t)key_kind;
    m->val_kind = (uint8_t)val_kind;
    m->key_obj = vm_kind_obj(key_kind);
    m->val_obj = vm_kind_obj(val_kind);
    return m;
}

void vm_map_free_parts(Vm *vm, VxMap *m)
{
    for (uint32_t i = 0; i < m->used; i++) {
        if (m->dead[i]) continue;
        if (m->key_obj) vm_release(vm, m->keys[i].o);
        if (m->val_obj) vm_release(vm, m->vals[i].o);
    }
    if (!m->cap) return;                               /* never had entries */
    VxHeap *h = &vm->heap;
    vx_heap_free(h, m->keys, sizeof(VxValue) * m->cap);
    vx_heap_free(h, m->vals, sizeof(VxValue) * m->cap);
    vx_heap_free(h, m->dead, m->cap);
    vx_heap_free(h, m->index, sizeof(int32_t) * m->nindex);
}

/* The entry holding key k, or -1; *slot gets where k is or would go. */
static int64_t find(const VxMap *m, VxValue k, uint32_t *slot)
{
    if (!m->nindex) return -1;
    uint32_t mask = m->nindex - 1, i = hash_key(m, k) & mask;
    int64_t first_tomb = -1;
    for (;; i = (i + 1) & mask) {
        int32_t e = m->index[i];
        if (e == EMPTY) { *slot = first_tomb >= 0 ? (uint32_t)first_tomb : i; return -1; }
        if (e == TOMB) { if (first_tomb < 0) first_tomb = i; continue; }
        if (key_eq(m, m->keys[e], k)) { *slot = i; return e; }
    }
}

/* Squeeze out dead entries and rebuild the index at a size for n entries. */
static void rebuild(Vm *vm, VxMap *m, uint32_t n)
{
    uint32_t live = 0;
    for (uint32_t i = 0; i < m->used; i++)
        if (!m->dead[i]) { m->keys[live] = m->keys[i]; m->vals[live] = m->vals[i]; m->dead[live++] = 0; }
    m->used = live;
    uint32_t cap = 8;
    while (cap < n + n / 2) cap *= 2;
    VxHeap *h = &vm->heap;
    m->keys = vx_heap_realloc(h, m->keys, sizeof(VxValue) * m->cap, sizeof(VxValue) * cap);
    m->vals = vx_heap_realloc(h, m->vals, sizeof(VxValue) * m->cap, sizeof(VxValue) * cap);
    m->dead = vx_heap_realloc(h, m->dead, m->cap, cap);
    m->cap = cap;
    uint32_t nindex = 16;
    while (nindex < cap * 4 / 3 + 1) nindex *= 2;
    if (m->nindex) vx_heap_free(h, m->index, sizeof(int32_t) * m->nindex);
    m->nindex = nindex;
    m->index = vx_heap_alloc(h, sizeof(int32_t) * nindex);
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
    if (m->used + 1 > m->cap) { rebuild(vm, m, m->len + 1); find(m, k, &slot); }
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

/* `a == b`: the same keys, each with an equal value; insertion order is
 * no part of a map's value (as Rust's HashMap). */
bool vm_map_equal(const VxMap *a, const VxMap *b)
{
    if (a == b) return true;
    if (a->len != b->len) return false;
    for (uint32_t i = 0; i < a->used; i++) {
        VxValue v;
        if (a->dead[i]) continue;
        if (!vm_map_get(b, a->keys[i], &v) || !vm_values_equal(a->vals[i], v, a->val_kind)) return false;
    }
    return true;
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

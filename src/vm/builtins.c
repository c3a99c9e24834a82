/* builtins.c - the library functions written in C: strings, a few array
 * helpers, time, files and the command line.  Strings are UTF-8; every
 * index and count a program gives is in characters, as `len` counts them.
 * A builtin never fails silently: bad input is a runtime error at the
 * call, with the offending value in the message. */
#include "builtins.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <time.h>
#include <dirent.h>
#include <sys/stat.h>

#include "map.h"
#include "vm_internal.h"

/* ---- helpers ------------------------------------------------------------------------ */

static VxStr *str_of(Vm *vm, const char *p, size_t n)
{
    VxStr *s = vm_new_str(vm, (uint32_t)n);
    return vm_str_append(vm, s, p, n);
}

/* Push a new string (the array takes the only reference). */
static void push_str(Vm *vm, VxArr **a, const char *p, size_t n)
{
    VxValue v = { .s = str_of(vm, p, n) };
    vm_arr_push_move(vm, a, v);
}

/* Byte offset of character `index` in s (index == length: the end), or -1. */
static int64_t char_offset(const VxStr *s, int64_t index)
{
    if (index < 0) return -1;
    uint32_t b = 0;
    for (int64_t k = 0; k < index; k++) {
        if (b >= s->len) return -1;
        b++;
        while (b < s->len && ((unsigned char)s->data[b] & 0xC0) == 0x80) b++;
    }
    return b;
}

/* The first occurrence of part in s at or after byte `from`: memchr
 * finds each candidate first byte, memcmp checks the rest. */
static const char *find(const VxStr *s, uint32_t from, const VxStr *part)
{
    if (part->len > s->len - from) return NULL;
    if (part->len == 0) return s->data + from;
    const char *p = s->data + from, *last = s->data + s->len - part->len;
    for (; p <= last; p++) {
        p = memchr(p, part->data[0], (size_t)(last - p) + 1);
        if (!p) return NULL;
        if (memcmp(p + 1, part->data + 1, part->len - 1) == 0) return p;
    }
    return NULL;
}

/* ---- strings ------------------------------------------------------------------------ */

/* split shares equal short pieces: a text of many repeated words (the
 * usual input) then makes one string per distinct word, not one per
 * word.  Strings are immutable, so sharing cannot be observed.  The
 * table (open addressing, borrowed pointers: the result array holds the
 * strings) stops taking new pieces when half full. */
enum { SHARE_MAX_LEN = 32, SHARE_MAX_SLOTS = 1 << 14 };

typedef struct Pieces { VxStr **slot; uint32_t mask, n; } Pieces;

static void push_piece(Vm *vm, VxArr **r, Pieces *t, const char *p, size_t n)
{
    if (n > SHARE_MAX_LEN) { push_str(vm, r, p, n); return; }
    uint32_t h = vm_hash_bytes(p, n), i = h & t->mask;
    for (VxStr *s; (s = t->slot[i]); i = (i + 1) & t->mask)
        if (s->hash == h && s->len == n && memcmp(s->data, p, n) == 0) { vm_arr_push(vm, r, (VxValue){ .s = s }); return; }
    VxStr *s = str_of(vm, p, n);
    s->hash = h;
    if (t->n < t->mask / 2) { t->slot[i] = s; t->n++; }
    vm_arr_push_move(vm, r, (VxValue){ .s = s });
}

static int b_split(Vm *vm, const VxValue *a, VxValue *out)
{
    const VxStr *s = a[0].s, *sep = a[1].s;
    if (sep->len == 0) return vm_error(vm, "split: the separator is empty");
    uint32_t nslots = 16;
    while (nslots < SHARE_MAX_SLOTS && nslots < s->len / 4) nslots *= 2;
    Pieces t = { vx_heap_alloc(&vm->heap, sizeof(VxStr *) * nslots), nslots - 1, 0 };
    memset(t.slot, 0, sizeof(VxStr *) * nslots);
    VxArr *r = vm_new_arr(vm, 4, VX_PUT_STR);
    uint32_t at = 0;
    for (const char *hit; (hit = find(s, at, sep)); at = (uint32_t)(hit - s->data) + sep->len)
        push_piece(vm, &r, &t, s->data + at, (size_t)(hit - s->data) - at);
    push_piece(vm, &r, &t, s->data + at, s->len - at);
    vx_heap_free(&vm->heap, t.slot, sizeof(VxStr *) * nslots);
    out->a = r;
    return 0;
}

/* The characters (UTF-8 code points) of s, each a string; `for c in s`
 * loops over them.  Equal characters share one string, as split's pieces. */
static int b_chars(Vm *vm, const VxValue *a, VxValue *out)
{
    const VxStr *s = a[0].s;
    uint32_t nslots = 16;
    while (nslots < 256 && nslots < s->len) nslots *= 2;
    Pieces t = { vx_heap_alloc(&vm->heap, sizeof(VxStr *) * nslots), nslots - 1, 0 };
    memset(t.slot, 0, sizeof(VxStr *) * nslots);
    VxArr *r = vm_new_arr(vm, s->len < 4 ? 4 : s->len, VX_PUT_STR);
    for (uint32_t b = 0; b < s->len;) {
        uint32_t e = b + 1;
        while (e < s->len && ((unsigned char)s->data[e] & 0xC0) == 0x80) e++;
        push_piece(vm, &r, &t, s->data + b, e - b);
        b = e;
    }
    vx_heap_free(&vm->heap, t.slot, sizeof(VxStr *) * nslots);
    out->a = r;
    return 0;
}

/* One allocation: the length is known before copying. */
static int b_join(Vm *vm, const VxValue *a, VxValue *out)
{
    const VxArr *parts = a[0].a;
    const VxStr *sep = a[1].s;
    uint64_t total = parts->len ? (uint64_t)sep->len * (parts->len - 1) : 0;
    for (uint32_t i = 0; i < parts->len; i++) total += parts->items[i].s->len;
    if (total > UINT32_MAX - 64) return vm_error(vm, "join: the result would be %llu bytes long", (unsigned long long)total);
    VxStr *r = vm_new_str(vm, (uint32_t)total);
    for (uint32_t i = 0; i < parts->len; i++) {
        if (i) r = vm_str_append(vm, r, sep->data, sep->len);
        r = vm_str_append(vm, r, parts->items[i].s->data, parts->items[i].s->len);
    }
    out->s = r;
    return 0;
}

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

static int b_trim(Vm *vm, const VxValue *a, VxValue *out)
{
    const VxStr *s = a[0].s;
    uint32_t lo = 0, hi = s->len;
    while (lo < hi && is_space(s->data[lo])) lo++;
    while (hi > lo && is_space(s->data[hi - 1])) hi--;
    out->s = str_of(vm, s->data + lo, hi - lo);
    return 0;
}

static int b_replace(Vm *vm, const VxValue *a, VxValue *out)
{
    const VxStr *s = a[0].s, *from = a[1].s, *to = a[2].s;
    if (from->len == 0) return vm_error(vm, "replace: the text to replace is empty");
    VxStr *r = vm_new_str(vm, s->len);
    uint32_t at = 0;
    for (const char *hit; (hit = find(s, at, from)); at = (uint32_t)(hit - s->data) + from->len) {
        r = vm_str_append(vm, r, s->data + at, (size_t)(hit - s->data) - at);
        r = vm_str_append(vm, r, to->data, to->len);
    }
    out->s = vm_str_append(vm, r, s->data + at, s->len - at);
    return 0;
}

static int b_starts_with(Vm *vm, const VxValue *a, VxValue *out)
{
    (void)vm;
    out->i = a[1].s->len <= a[0].s->len && memcmp(a[0].s->data, a[1].s->data, a[1].s->len) == 0;
    return 0;
}

static int b_ends_with(Vm *vm, const VxValue *a, VxValue *out)
{
    (void)vm;
    const VxStr *s = a[0].s, *t = a[1].s;
    out->i = t->len <= s->len && memcmp(s->data + s->len - t->len, t->data, t->len) == 0;
    return 0;
}

static int b_contains(Vm *vm, const VxValue *a, VxValue *out)
{
    (void)vm;
    out->i = find(a[0].s, 0, a[1].s) != NULL;
    return 0;
}

/* ASCII letters only: other characters are left as they are. */
static int change_case(Vm *vm, const VxValue *a, VxValue *out, bool upper)
{
    VxStr *r = str_of(vm, a[0].s->data, a[0].s->len);
    for (uint32_t i = 0; i < r->len; i++) {
        char c = r->data[i];
        if (upper && c >= 'a' && c <= 'z') r->data[i] = (char)(c - 32);
        if (!upper && c >= 'A' && c <= 'Z') r->data[i] = (char)(c + 32);
    }
    out->s = r;
    return 0;
}

static int b_to_upper(Vm *vm, const VxValue *a, VxValue *out) { return change_case(vm, a, out, true); }
static int b_to_lower(Vm *vm, const VxValue *a, VxValue *out) { return change_case(vm, a, out, false); }

static int b_substr(Vm *vm, const VxValue *a, VxValue *out)
{
    const VxStr *s = a[0].s;
    int64_t start = a[1].i, count = a[2].i;
    int64_t lo = char_offset(s, start), hi = count < 0 || lo < 0 ? -1 : char_offset(s, start + count);
    if (lo < 0 || hi < 0)
        return vm_error(vm, "substr: characters %lld..%lld are outside a string of %lld characters",
                        (long long)start, (long long)(start + count), (long long)vm_utf8_length(s));
    out->s = str_of(vm, s->data + lo, (size_t)(hi - lo));
    return 0;
}

static int b_char_at(Vm *vm, const VxValue *a, VxValue *out)
{
    const VxStr *s = a[0].s;
    int64_t lo = char_offset(s, a[1].i), hi = lo < 0 ? -1 : char_offset(s, a[1].i + 1);
    if (lo < 0 || hi < 0)
        return vm_error(vm, "char_at: index %lld is outside a string of %lld characters", (long long)a[1].i,
                        (long long)vm_utf8_length(s));
    out->s = str_of(vm, s->data + lo, (size_t)(hi - lo));
    return 0;
}

/* The whole string must be the number: no spaces, no trailing text (Rust's rule). */
static bool int_text(const VxStr *s, int64_t *v)
{
    char *end;
    errno = 0;
    *v = s->len ? strtoll(s->data, &end, 10) : 0;
    return s->len && !is_space(s->data[0]) && end == s->data + s->len && errno != ERANGE;
}

static bool float_text(const VxStr *s, double *v)
{
    char *end;
    *v = s->len ? strtod(s->data, &end) : 0;
    return s->len && !is_space(s->data[0]) && end == s->data + s->len && !memchr(s->data, 'x', s->len) &&
           !memchr(s->data, 'X', s->len);
}

static int b_parse_int(Vm *vm, const VxValue *a, VxValue *out)
{
    if (!int_text(a[0].s, &out->i))
        return vm_error(vm, "parse_int: \"%.200s\" is not an integer in the range of `i64`", a[0].s->data);
    return 0;
}

static int b_parse_float(Vm *vm, const VxValue *a, VxValue *out)
{
    if (!float_text(a[0].s, &out->f)) return vm_error(vm, "parse_float: \"%.200s\" is not a number", a[0].s->data);
    return 0;
}

static int b_is_int_text(Vm *vm, const VxValue *a, VxValue *out) { (void)vm; int64_t v; out->i = int_text(a[0].s, &v); return 0; }
static int b_is_float_text(Vm *vm, const VxValue *a, VxValue *out) { (void)vm; double v; out->i = float_text(a[0].s, &v); return 0; }

/* ---- arrays ------------------------------------------------------------------------- */

static int b_range(Vm *vm, const VxValue *a, VxValue *out)
{
    int64_t lo = a[0].i, hi = a[1].i;
    if (hi > lo && (uint64_t)hi - (uint64_t)lo > (1u << 28))
        return vm_error(vm, "range(%lld, %lld) would have more than %u elements", (long long)lo, (long long)hi, 1u << 28);
    VxArr *r = vm_new_arr(vm, hi > lo ? (uint32_t)(hi - lo) : 0, VX_PUT_INT + VX_I64);
    for (int64_t v = lo; v < hi; v++) r->items[r->len++].i = v;
    out->a = r;
    return 0;
}

static VxArr *copy_array(Vm *vm, const VxArr *a)
{
    VxArr *r = vm_new_arr(vm, a->len, a->elem_kind);
    for (uint32_t i = 0; i < a->len; i++) {
        r->items[i] = a->items[i];
        if (a->elem_obj) vm_retain(a->items[i].o);
    }
    r->len = a->len;
    return r;
}

static int b_reverse(Vm *vm, const VxValue *a, VxValue *out)
{
    VxArr *r = copy_array(vm, a[0].a);
    for (uint32_t i = 0, j = r->len; i + 1 < j; i++, j--) {
        VxValue t = r->items[i];
        r->items[i] = r->items[j - 1];
        r->items[j - 1] = t;
    }
    out->a = r;
    return 0;
}

/* A pair (x, y) of descriptor d, holding copies. */
static VxValue pair(Vm *vm, const VxRecDesc *d, VxValue x, VxValue y)
{
    VxRec *r = vm_new_rec(vm, d);
    r->fields[0] = x;
    r->fields[1] = y;
    for (int i = 0; i < 2; i++) if (d->obj_mask >> i & 1) vm_retain(r->fields[i].o);
    return (VxValue){ .r = r };
}

static int b_zip(Vm *vm, const VxValue *a, VxValue *out)
{
    const VxArr *x = a[0].a, *y = a[1].a;
    uint32_t n = x->len < y->len ? x->len : y->len;
    VxArr *r = vm_new_arr(vm, n, VX_PUT_REC);
    for (uint32_t i = 0; i < n; i++) vm_arr_push_move(vm, &r, pair(vm, a[2].d, x->items[i], y->items[i]));
    out->a = r;
    return 0;
}

static int b_enumerate(Vm *vm, const VxValue *a, VxValue *out)
{
    const VxArr *x = a[0].a;
    VxArr *r = vm_new_arr(vm, x->len, VX_PUT_REC);
    for (uint32_t i = 0; i < x->len; i++) vm_arr_push_move(vm, &r, pair(vm, a[1].d, (VxValue){ .i = i }, x->items[i]));
    out->a = r;
    return 0;
}

/* pop(a): a copy without the last element. */
static int b_pop(Vm *vm, const VxValue *a, VxValue *out)
{
    if (a[0].a->len == 0) return vm_error(vm, "pop: the array is empty");
    VxArr *r = copy_array(vm, a[0].a);
    r->len--;
    if (r->elem_obj) vm_release(vm, r->items[r->len].o);
    out->a = r;
    return 0;
}

/* a.contains(x): deep equality, as `==`. */
static int b_array_contains(Vm *vm, const VxValue *a, VxValue *out)
{
    (void)vm;
    const VxArr *arr = a[0].a;
    out->i = 0;
    for (uint32_t i = 0; i < arr->len && !out->i; i++) out->i = vm_values_equal(arr->items[i], a[1], arr->elem_kind);
    return 0;
}

static int cmp_i64(const void *x, const void *y) { int64_t a = ((const VxValue *)x)->i, b = ((const VxValue *)y)->i; return (a > b) - (a < b); }
static int cmp_u64(const void *x, const void *y) { uint64_t a = ((const VxValue *)x)->u, b = ((const VxValue *)y)->u; return (a > b) - (a < b); }
/* Floats: NaN sorts after every number (a total order, as Rust's total_cmp puts positive NaN). */
static int cmp_float(double a, double b) { return a != a ? (b != b ? 0 : 1) : b != b ? -1 : (a > b) - (a < b); }
static int cmp_f64(const void *x, const void *y) { return cmp_float(((const VxValue *)x)->f, ((const VxValue *)y)->f); }
static int cmp_f32(const void *x, const void *y) { return cmp_float(((const VxValue *)x)->f32, ((const VxValue *)y)->f32); }
static int cmp_str(const void *x, const void *y)
{
    const VxStr *a = ((const VxValue *)x)->s, *b = ((const VxValue *)y)->s;
    int c = memcmp(a->data, b->data, a->len < b->len ? a->len : b->len);
    return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* A sorted copy. */
static int b_sort(Vm *vm, const VxValue *a, VxValue *out)
{
    VxArr *r = copy_array(vm, a[0].a);
    int k = r->elem_kind;
    int (*cmp)(const void *, const void *) =
        k == VX_PUT_F64 ? cmp_f64 : k == VX_PUT_F32 || k == VX_PUT_F16 || k == VX_PUT_BF16 ? cmp_f32 : k == VX_PUT_STR ? cmp_str
        : k == VX_PUT_BOOL || !vx_int_signed((VxIntKind)(k - VX_PUT_INT)) ? cmp_u64 : cmp_i64;   /* false < true */
    if (k == VX_PUT_ARR || k == VX_PUT_REC || vm_kind_wide(k)) vm_sort_values(r->items, r->len, k);   /* tuples, records, arrays, boxed */
    else if (r->len > 1) qsort(r->items, r->len, sizeof(VxValue), cmp);
    out->a = r;
    return 0;
}

/* ---- time ----------------------------------------------------------------------------- */

static int b_clock(Vm *vm, const VxValue *a, VxValue *out)
{
    (void)vm; (void)a;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    out->f = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
    return 0;
}

static int b_time_ns(Vm *vm, const VxValue *a, VxValue *out)
{
    (void)vm; (void)a;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    out->i = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
    return 0;
}

/* ---- random numbers ------------------------------------------------------------------------
 * xoshiro256** (Blackman and Vigna, 2018), its state filled from the seed
 * by splitmix64, as the authors recommend (src/tensor/rng.c, shared with
 * the tensor library).  The generator starts from
 * seed 0, so a program's output is reproducible unless it seeds from the
 * clock itself: `seed(time_ns())`. */

void vm_seed(Vm *vm, uint64_t seed) { vx_rng_seed(&vm->rng, seed); }

static uint64_t next_u64(Vm *vm) { return vx_rng_next(&vm->rng); }

/* Uniform in [0, n) without modulo bias (Lemire's multiply-and-reject). */
static uint64_t below(Vm *vm, uint64_t n)
{
    unsigned __int128 m = (unsigned __int128)next_u64(vm) * n;
    if ((uint64_t)m < n)
        for (uint64_t floor = -n % n; (uint64_t)m < floor; ) m = (unsigned __int128)next_u64(vm) * n;
    return (uint64_t)(m >> 64);
}

static int b_seed(Vm *vm, const VxValue *a, VxValue *out) { vm_seed(vm, a[0].u); out->i = 0; return 0; }

/* [0, 1) with 53 random bits. */
static int b_rand(Vm *vm, const VxValue *a, VxValue *out)
{
    (void)a;
    out->f = (double)(next_u64(vm) >> 11) * 0x1.0p-53;
    return 0;
}

/* Standard normal (mean 0, deviation 1) by Box-Muller from two draws of
 * rand(): sqrt(-2 ln(1 - u1)) * cos(2 pi u2); 1 - u1 is in (0, 1], so the
 * logarithm is finite.  One value per call (the sine partner is not kept,
 * so each call consumes exactly two draws). */
static int b_rand_normal(Vm *vm, const VxValue *a, VxValue *out)
{
    (void)a;
    double u1 = (double)(next_u64(vm) >> 11) * 0x1.0p-53, u2 = (double)(next_u64(vm) >> 11) * 0x1.0p-53;
    out->f = sqrt(-2.0 * log(1.0 - u1)) * cos(2.0 * 3.141592653589793 * u2);
    return 0;
}

/* lo..=hi, both included (as Python's randint). */
static int b_randint(Vm *vm, const VxValue *a, VxValue *out)
{
    int64_t lo = a[0].i, hi = a[1].i;
    if (lo > hi) return vm_error(vm, "randint(%lld, %lld): the low end is above the high end", (long long)lo, (long long)hi);
    uint64_t span = (uint64_t)hi - (uint64_t)lo + 1;
    out->u = (uint64_t)lo + (span ? below(vm, span) : next_u64(vm));
    return 0;
}

/* A shuffled copy (Fisher-Yates). */
static int b_shuffle(Vm *vm, const VxValue *a, VxValue *out)
{
    VxArr *r = copy_array(vm, a[0].a);
    for (uint32_t i = r->len; i > 1; i--) {
        uint32_t j = (uint32_t)below(vm, i);
        VxValue t = r->items[i - 1];
        r->items[i - 1] = r->items[j];
        r->items[j] = t;
    }
    out->a = r;
    return 0;
}

/* ---- HashMap (the function forms return new maps; see map.c) ------------------------------------ */

static int b_hashmap_insert(Vm *vm, const VxValue *a, VxValue *out)
{
    out->m = vm_map_copy(vm, a[0].m);
    vm_map_insert(vm, out->m, a[1], a[2]);
    return 0;
}

static int b_hashmap_remove(Vm *vm, const VxValue *a, VxValue *out)
{
    out->m = vm_map_copy(vm, a[0].m);
    vm_map_remove(vm, out->m, a[1]);
    return 0;
}

static int b_hashmap_contains(Vm *vm, const VxValue *a, VxValue *out)
{
    (void)vm;
    VxValue v;
    out->i = vm_map_get(a[0].m, a[1], &v);
    return 0;
}

static int b_map_value(Vm *vm, const VxValue *a, VxValue *out)
{
    (void)vm;
    vm_map_get(a[0].m, a[1], out);
    if (a[0].m->val_obj) vm_retain(out->o);
    return 0;
}

/* m[k]: the value, or a runtime error naming the missing key. */
static int b_map_index(Vm *vm, const VxValue *a, VxValue *out)
{
    if (!vm_map_get(a[0].m, a[1], out)) return vm_error(vm, "key not found in map: %s", vm_error_text(vm, a[1], a[0].m->key_kind));
    if (a[0].m->val_obj) vm_retain(out->o);
    return 0;
}

static int b_map_get_or(Vm *vm, const VxValue *a, VxValue *out)
{
    (void)vm;
    if (!vm_map_get(a[0].m, a[1], out)) *out = a[2];
    if (a[0].m->val_obj) vm_retain(out->o);
    return 0;
}

static int b_hashmap_keys(Vm *vm, const VxValue *a, VxValue *out) { out->a = vm_map_list(vm, a[0].m, 0); return 0; }
static int b_hashmap_values(Vm *vm, const VxValue *a, VxValue *out) { out->a = vm_map_list(vm, a[0].m, 1); return 0; }
static int b_hashmap_len(Vm *vm, const VxValue *a, VxValue *out) { (void)vm; out->i = a[0].m->len; return 0; }

/* ---- files and the command line ----------------------------------------------------------- */

/* The whole file as a string, or a runtime error naming the file and why. */
static VxStr *slurp(Vm *vm, const VxStr *path, const char *what)
{
    FILE *f = fopen(path->data, "rb");
    if (!f) { vm_error(vm, "%s: cannot read \"%.200s\": %s", what, path->data, strerror(errno)); return NULL; }
    VxStr *s = vm_new_str(vm, 4096);
    char buf[65536];
    errno = 0;
    for (size_t n; (n = fread(buf, 1, sizeof buf, f)) > 0; ) s = vm_str_append(vm, s, buf, n);
    int bad = ferror(f) ? (errno ? errno : EIO) : 0;   /* a directory opens, then fails with EISDIR */
    fclose(f);
    if (bad) { vm_error(vm, "%s: cannot read \"%.200s\": %s", what, path->data, strerror(bad)); return NULL; }
    return s;
}

static int b_read_file(Vm *vm, const VxValue *a, VxValue *out)
{
    VxStr *s = slurp(vm, a[0].s, "read_file");
    if (!s) return 1;
    out->s = s;
    return 0;
}

static int b_read_lines(Vm *vm, const VxValue *a, VxValue *out)
{
    VxStr *s = slurp(vm, a[0].s, "read_lines");
    if (!s) return 1;
    VxArr *r = vm_new_arr(vm, 16, VX_PUT_STR);
    uint32_t at = 0;
    while (at < s->len) {
        const char *nl = memchr(s->data + at, '\n', s->len - at);
        uint32_t end = nl ? (uint32_t)(nl - s->data) : s->len, next = nl ? end + 1 : end;
        if (end > at && s->data[end - 1] == '\r') end--;
        push_str(vm, &r, s->data + at, end - at);
        at = next;
    }
    vm_release(vm, &s->h);
    out->a = r;
    return 0;
}

static int write_text(Vm *vm, const VxValue *a, const char *mode, const char *what)
{
    FILE *f = fopen(a[0].s->data, mode);
    if (!f) return vm_error(vm, "%s: cannot open \"%.200s\": %s", what, a[0].s->data, strerror(errno));
    size_t n = fwrite(a[1].s->data, 1, a[1].s->len, f);
    bool bad = n != a[1].s->len || fclose(f) != 0;
    if (bad) return vm_error(vm, "%s: error writing \"%.200s\": %s", what, a[0].s->data, strerror(errno));
    return 0;
}

static int b_write_file(Vm *vm, const VxValue *a, VxValue *out) { out->i = 0; return write_text(vm, a, "wb", "write_file"); }
static int b_append_file(Vm *vm, const VxValue *a, VxValue *out) { out->i = 0; return write_text(vm, a, "ab", "append_file"); }

static int b_file_exists(Vm *vm, const VxValue *a, VxValue *out)
{
    (void)vm;
    FILE *f = fopen(a[0].s->data, "rb");
    out->i = f != NULL;
    if (f) fclose(f);
    return 0;
}

static int is_directory(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int b_is_dir(Vm *vm, const VxValue *a, VxValue *out)
{
    (void)vm;
    out->i = is_directory(a[0].s->data);
    return 0;
}

static int cmp_names(const void *x, const void *y) { return strcmp(*(char *const *)x, *(char *const *)y); }

/* The entries of a directory but "." and "..", sorted by byte value so that
 * a program walking a tree sees the same order on every system. */
static int b_list_dir(Vm *vm, const VxValue *a, VxValue *out)
{
    DIR *d = opendir(a[0].s->data);
    if (!d) return vm_error(vm, "list_dir: cannot open \"%.200s\": %s", a[0].s->data, strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        if (n == cap) names = vx_xrealloc(names, (cap = cap ? 2 * cap : 16) * sizeof *names);
        size_t len = strlen(e->d_name);
        names[n] = memcpy(vx_xmalloc(len + 1), e->d_name, len + 1);
        n++;
    }
    closedir(d);
    if (n > 1) qsort(names, n, sizeof *names, cmp_names);
    VxArr *r = vm_new_arr(vm, (uint32_t)(n ? n : 1), VX_PUT_STR);
    for (size_t i = 0; i < n; i++) {
        push_str(vm, &r, names[i], strlen(names[i]));
        free(names[i]);
    }
    free(names);
    out->a = r;
    return 0;
}

static int b_flush(Vm *vm, const VxValue *a, VxValue *out)
{
    (void)a;
    vm_flush_out(vm);
    out->i = 0;
    return 0;
}

static int b_args(Vm *vm, const VxValue *a, VxValue *out)
{
    (void)a;
    VxArr *r = vm_new_arr(vm, 4, VX_PUT_STR);
    for (int i = 0; i < vm->argc; i++) push_str(vm, &r, vm->argv[i], strlen(vm->argv[i]));
    out->a = r;
    return 0;
}

/* ---- the table ----------------------------------------------------------------------------- */

const VxBuiltin vx_builtins[] = {
#define X(name, n) { #name, n, b_##name },
#include "builtins.def"
#undef X
    { NULL, 0, NULL },
};

int vx_builtin_find(const char *name, int nargs)
{
    for (int i = 0; vx_builtins[i].name; i++)
        if (strcmp(vx_builtins[i].name, name) == 0 && vx_builtins[i].nargs == nargs) return i;
    return -1;
}

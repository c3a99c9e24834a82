/* arena.c - bump allocator; see arena.h. */
#define _DEFAULT_SOURCE                 /* madvise */
#include "arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Blocks grow from 64 KiB to 4 MiB; big ones are 2 MiB-aligned and marked
 * for transparent huge pages, which cuts page faults ~500-fold when a
 * large file's AST is built (they dominated parse time). */
enum { FIRST_BLOCK = 64 * 1024, MAX_BLOCK = 4 * 1024 * 1024, HUGE = 2 * 1024 * 1024, ALIGN = 16 };

struct VxArenaBlock {
    VxArenaBlock *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
};

static void out_of_memory(size_t size)
{
    fprintf(stderr, "error: out of memory (allocating %zu bytes)\n", size);
    exit(1);
}

void *vx_xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p) out_of_memory(size);
    return p;
}

void *vx_xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);
    if (!q) out_of_memory(size);
    return q;
}

void vx_arena_init(VxArena *a)
{
    a->head = NULL;
    a->total = 0;
}

void vx_arena_free(VxArena *a)
{
    VxArenaBlock *b = a->head;
    while (b) {
        VxArenaBlock *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->total = 0;
}

static VxArenaBlock *new_block(VxArena *a, size_t need)
{
    size_t cap = a->head ? a->head->cap * 2 : FIRST_BLOCK;
    if (cap > MAX_BLOCK) cap = MAX_BLOCK;
    if (cap < need) cap = need;
    VxArenaBlock *b;
    if (cap + sizeof *b >= HUGE) {
        void *p = NULL;
        size_t bytes = (cap + sizeof *b + HUGE - 1) / HUGE * HUGE;
        if (posix_memalign(&p, HUGE, bytes) != 0) out_of_memory(bytes);
#ifdef MADV_HUGEPAGE
        madvise(p, bytes, MADV_HUGEPAGE);
#endif
        b = p;
        cap = bytes - sizeof *b;
    } else {
        b = vx_xmalloc(sizeof *b + cap);
    }
    b->used = 0;
    b->cap = cap;
    b->next = a->head;
    a->head = b;
    return b;
}

void *vx_arena_alloc(VxArena *a, size_t size)
{
    size = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    VxArenaBlock *b = a->head;
    if (!b || b->cap - b->used < size) b = new_block(a, size);
    void *p = b->data + b->used;
    b->used += size;
    a->total += size;
    memset(p, 0, size);
    return p;
}

void *vx_arena_dup(VxArena *a, const void *p, size_t size)
{
    void *q = vx_arena_alloc(a, size);
    if (size) memcpy(q, p, size);
    return q;
}

char *vx_arena_strndup(VxArena *a, const char *s, size_t n)
{
    char *q = vx_arena_alloc(a, n + 1);
    memcpy(q, s, n);
    q[n] = '\0';
    return q;
}

/* heap.c - size-classed free lists over chunks, and a list of malloc'd
 * large blocks (heap.h says why). */
#include "heap.h"

#include <stdlib.h>
#include <string.h>

#include "../util/arena.h"

enum { CHUNK_BYTES = 256 * 1024 };

typedef struct VxHeapChunk { struct VxHeapChunk *next; char pad[8]; } VxHeapChunk;   /* 16 bytes: keeps blocks aligned */
typedef struct VxHeapBig { struct VxHeapBig *prev, *next; } VxHeapBig;               /* 16 bytes before the block */

_Static_assert(sizeof(VxHeapChunk) == VX_HEAP_GRAIN && sizeof(VxHeapBig) == VX_HEAP_GRAIN, "headers keep 16-byte alignment");

static int pools_off(void)
{
#if defined(__SANITIZE_ADDRESS__)
    return 1;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    return 1;
#endif
#endif
    const char *e = getenv("VORTEX_MALLOC");
    return e && strcmp(e, "1") == 0;
}

void vx_heap_init(VxHeap *h)
{
    memset(h, 0, sizeof *h);
    h->nclasses = pools_off() ? 0 : VX_HEAP_CLASSES;
}

static void *alloc_big(VxHeap *h, size_t n)
{
    VxHeapBig *b = vx_xmalloc(sizeof *b + n);
    b->prev = NULL;
    b->next = h->big;
    if (h->big) h->big->prev = b;
    h->big = b;
    return b + 1;
}

void vx_heap_free_big(VxHeap *h, void *p)
{
    VxHeapBig *b = (VxHeapBig *)p - 1;
    if (b->prev) b->prev->next = b->next;
    else h->big = b->next;
    if (b->next) b->next->prev = b->prev;
    free(b);
}

/* The free list of n's class is empty (or n is large): carve a block
 * from the newest chunk, starting a chunk when it is used up. */
void *vx_heap_alloc_slow(VxHeap *h, size_t n)
{
    size_t c = vx_heap_class(n);
    if (c > h->nclasses) return alloc_big(h, n);
    size_t bytes = (c ? c : 1) * VX_HEAP_GRAIN;
    if ((size_t)(h->bump_end - h->bump) < bytes) {
        VxHeapChunk *k = vx_xmalloc(CHUNK_BYTES);
        k->next = h->chunks;
        h->chunks = k;
        h->bump = (char *)(k + 1);
        h->bump_end = (char *)k + CHUNK_BYTES;
    }
    void *p = h->bump;
    h->bump += bytes;
    return p;
}

void *vx_heap_realloc(VxHeap *h, void *p, size_t old, size_t n)
{
    if (!p) return vx_heap_alloc(h, n);
    size_t oc = vx_heap_class(old), nc = vx_heap_class(n);
    if (oc > h->nclasses && nc > h->nclasses) {      /* large to large: let realloc move it */
        VxHeapBig *b = (VxHeapBig *)p - 1, *prev = b->prev, *next = b->next;
        b = vx_xrealloc(b, sizeof *b + n);
        if (prev) prev->next = b; else h->big = b;
        if (next) next->prev = b;
        h->in_use += n - old;
        return b + 1;
    }
    if (oc == nc) { h->in_use += n - old; return p; }
    void *q = vx_heap_alloc(h, n);
    memcpy(q, p, old < n ? old : n);
    vx_heap_free(h, p, old);
    return q;
}

void vx_heap_destroy(VxHeap *h)
{
    for (VxHeapBig *b = h->big, *next; b; b = next) { next = b->next; free(b); }
    for (VxHeapChunk *k = h->chunks, *next; k; k = next) { next = k->next; free(k); }
    size_t nclasses = h->nclasses;
    memset(h, 0, sizeof *h);
    h->nclasses = nclasses;
}

/* heap.h - the VM's allocator for objects and their parts (heap.c).
 *
 * Programs make and drop millions of small objects (records, short
 * strings, closures), so blocks up to VX_HEAP_SMALL bytes come from free
 * lists, one per 16-byte size class, carved from large chunks: an
 * allocation or a release is a few instructions, with no malloc call and
 * no per-block header.  Larger blocks come from malloc, with a header
 * linking them into one list.  The caller passes a block's size when it
 * frees it (every VM object knows its own).  Destroying the heap frees
 * every block at once, which is how a runtime error releases what the
 * stopped program held.  `in_use` counts bytes handed out and not freed:
 * the VM checks that a normal exit leaves none.  With VORTEX_MALLOC=1 in
 * the environment (tests/valgrind.sh sets it), or under AddressSanitizer,
 * every block comes from malloc, so memory checkers see each one. */
#ifndef VX_HEAP_H
#define VX_HEAP_H

#include <stddef.h>

enum { VX_HEAP_GRAIN = 16, VX_HEAP_SMALL = 256, VX_HEAP_CLASSES = VX_HEAP_SMALL / VX_HEAP_GRAIN };

typedef struct VxHeapFree { struct VxHeapFree *next; } VxHeapFree;

typedef struct VxHeap {
    VxHeapFree *free[VX_HEAP_CLASSES + 1];   /* by size class: (bytes + 15) / 16 */
    size_t nclasses;                         /* classes served from chunks: VX_HEAP_CLASSES, or 0 */
    char *bump, *bump_end;                   /* unused rest of the newest chunk */
    struct VxHeapChunk *chunks;
    struct VxHeapBig *big;                   /* malloc'd blocks, doubly linked */
    size_t in_use;
} VxHeap;

void vx_heap_init(VxHeap *h);
void vx_heap_destroy(VxHeap *h);             /* frees every block; the heap can be used again */
void *vx_heap_alloc_slow(VxHeap *h, size_t n);
void vx_heap_free_big(VxHeap *h, void *p);
void *vx_heap_realloc(VxHeap *h, void *p, size_t old, size_t n);

static inline size_t vx_heap_class(size_t n) { return (n + VX_HEAP_GRAIN - 1) / VX_HEAP_GRAIN; }

static inline void *vx_heap_alloc(VxHeap *h, size_t n)
{
    size_t c = vx_heap_class(n);
    h->in_use += n;
    if (c <= h->nclasses && h->free[c]) {
        VxHeapFree *b = h->free[c];
        h->free[c] = b->next;
        return b;
    }
    return vx_heap_alloc_slow(h, n);
}

static inline void vx_heap_free(VxHeap *h, void *p, size_t n)
{
    size_t c = vx_heap_class(n);
    h->in_use -= n;
    if (c > h->nclasses) { vx_heap_free_big(h, p); return; }
    VxHeapFree *b = p;
    b->next = h->free[c];
    h->free[c] = b;
}

#endif

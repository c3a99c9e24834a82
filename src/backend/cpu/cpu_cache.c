/* cpu_cache.c - the CPU backend's storage allocator: a small cache of freed
 * large blocks.  A training step frees and re-allocates the same large
 * activation and gradient sizes every step; glibc hands such blocks back to
 * the kernel (munmap / brk trim), so each reuse paid a page fault per 4 KiB.
 * Keeping them here makes the second step reuse the first step's pages.
 * The cache is bounded (CACHE_SLOTS blocks, CACHE_CAP bytes, oldest evicted
 * first), its bytes are reported in vx_tensor_mem_stats (cached_bytes and
 * peak_held_bytes), and it is emptied when an allocation fails, by
 * vx_tensor_trim_cache and at exit. */
#include <stdlib.h>

#include "cpu.h"

enum { CACHE_SLOTS = 64, PAGE = 4096, ALIGN = 64 };
#define CACHE_MIN ((size_t)64 << 10)        /* smaller blocks: malloc's bins reuse them */
#define CACHE_CAP ((size_t)256 << 20)

typedef struct Block { void *p; size_t size; } Block;
static Block slots[CACHE_SLOTS];            /* oldest first */
static int nslots;
static bool at_exit_registered;

/* The block size a request of n bytes gets: whole pages when cacheable, so
 * that nearby sizes share blocks. */
static size_t block_size(size_t n)
{
    return n >= CACHE_MIN ? (n + PAGE - 1) / PAGE * PAGE : (n + ALIGN - 1) / ALIGN * ALIGN;
}

static void *take(int i)
{
    void *p = slots[i].p;
    vx__count_cached(-(int64_t)slots[i].size);
    memmove(slots + i, slots + i + 1, (size_t)(--nslots - i) * sizeof *slots);
    return p;
}

void vx_cpu_cache_trim(void)
{
    while (nslots) free(take(nslots - 1));
}

void *vx_cpu_alloc(size_t n)
{
    size_t sz = block_size(n);
    for (int i = nslots - 1; sz >= CACHE_MIN && i >= 0; i--)
        if (slots[i].size == sz) return take(i);
    void *p = aligned_alloc(ALIGN, sz);
    if (!p && nslots) { vx_cpu_cache_trim(); p = aligned_alloc(ALIGN, sz); }
    return p;
}

void vx_cpu_free(void *p, size_t n)
{
    size_t sz = block_size(n);
    if (!p || sz < CACHE_MIN || sz > CACHE_CAP / 4) { free(p); return; }
    size_t held = 0;
    for (int i = 0; i < nslots; i++) held += slots[i].size;
    while (nslots && (nslots == CACHE_SLOTS || held + sz > CACHE_CAP)) {
        held -= slots[0].size;
        free(take(0));
    }
    if (!at_exit_registered) at_exit_registered = atexit(vx_cpu_cache_trim) == 0;
    slots[nslots++] = (Block){ p, sz };
    vx__count_cached((int64_t)sz);
}

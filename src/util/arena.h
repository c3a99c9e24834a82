/* arena.h - bump allocator for compiler data (tokens, AST, types).
 *
 * Everything the front end builds for one file lives in one arena and is
 * released at once with vx_arena_free: no per-node frees, no leaks.
 * Allocation failure aborts with a message (the compiler cannot continue
 * without memory; the runtime has its own, recoverable, allocator). */
#ifndef VX_ARENA_H
#define VX_ARENA_H

#include <stddef.h>

typedef struct VxArenaBlock VxArenaBlock;

typedef struct VxArena {
    VxArenaBlock *head;   /* newest block; older ones chain behind it */
    size_t total;         /* bytes handed out, for statistics */
} VxArena;

void vx_arena_init(VxArena *a);
void vx_arena_free(VxArena *a);
void *vx_arena_alloc(VxArena *a, size_t size);          /* zeroed, 16-aligned */
void *vx_arena_dup(VxArena *a, const void *p, size_t size);
char *vx_arena_strndup(VxArena *a, const char *s, size_t n);

#define VX_NEW(a, T) ((T *)vx_arena_alloc((a), sizeof(T)))

/* Checked heap helpers for long-lived or growable data. */
void *vx_xmalloc(size_t size);
void *vx_xrealloc(void *p, size_t size);

#endif

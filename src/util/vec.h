/* vec.h - typed growable arrays on the heap (for temporaries while parsing
 * and for long-lived tables).  Usage:
 *     VX_VEC(int) v = {0};  vx_vec_push(&v, 3);  ...  vx_vec_free(&v);  */
#ifndef VX_VEC_H
#define VX_VEC_H

#include <stdlib.h>
#include "arena.h"

#define VX_VEC(T) struct { T *data; int len, cap; }

#define vx_vec_push(v, x) do {                                              \
        if ((v)->len == (v)->cap) {                                         \
            (v)->cap = (v)->cap ? (v)->cap * 2 : 8;                         \
            (v)->data = vx_xrealloc((v)->data,                              \
                                    sizeof(*(v)->data) * (size_t)(v)->cap); \
        }                                                                   \
        (v)->data[(v)->len++] = (x);                                        \
    } while (0)

#define vx_vec_free(v) do { free((v)->data); (v)->data = NULL;              \
                            (v)->len = (v)->cap = 0; } while (0)

#endif

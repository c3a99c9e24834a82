/* source.h - a source file in memory, byte spans into it, and the mapping
 * from byte offsets to 1-based line:column (columns count characters, not
 * bytes, as editors do). */
#ifndef VX_SOURCE_H
#define VX_SOURCE_H

#include <stddef.h>
#include <stdint.h>

typedef struct VxSpan {
    uint32_t start, end;              /* byte offsets, end exclusive */
} VxSpan;

typedef struct VxSource {
    const char *path;                 /* as given by the user */
    char *text;                       /* NUL-terminated copy of the file */
    uint32_t len;
    uint32_t *line_starts;            /* offset of each line's first byte */
    int nlines;
} VxSource;

typedef struct VxPos {
    int line, col;                    /* both 1-based */
} VxPos;

/* Load a file; on failure returns 0 and leaves errno set. Files over 4 GiB
 * are refused (spans are 32-bit). */
int vx_source_load(VxSource *s, const char *path);
/* Wrap a buffer (copied); never fails. */
void vx_source_from_memory(VxSource *s, const char *path, const char *data, size_t len);
void vx_source_free(VxSource *s);

VxPos vx_source_pos(const VxSource *s, uint32_t offset);
/* The text of line `line` (1-based) without its newline. */
const char *vx_source_line(const VxSource *s, int line, uint32_t *len);

static inline VxSpan vx_span(uint32_t start, uint32_t end)
{
    VxSpan sp = { start, end };
    return sp;
}

static inline VxSpan vx_span_join(VxSpan a, VxSpan b)
{
    VxSpan sp = { a.start < b.start ? a.start : b.start,
                  a.end > b.end ? a.end : b.end };
    return sp;
}

#endif

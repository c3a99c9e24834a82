/* source.c - loading files and mapping offsets to line:column. */
#include "source.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../util/arena.h"

static void index_lines(VxSource *s)
{
    int cap = 64;
    s->line_starts = vx_xmalloc(sizeof(uint32_t) * (size_t)cap);
    s->nlines = 0;
    s->line_starts[s->nlines++] = 0;
    for (uint32_t i = 0; i < s->len; i++) {
        if (s->text[i] != '\n') continue;
        if (s->nlines == cap) {
            cap *= 2;
            s->line_starts = vx_xrealloc(s->line_starts, sizeof(uint32_t) * (size_t)cap);
        }
        s->line_starts[s->nlines++] = i + 1;
    }
}

void vx_source_from_memory(VxSource *s, const char *path, const char *data, size_t len)
{
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) { data += 3; len -= 3; }   /* UTF-8 BOM */
    if (len > UINT32_MAX - 1) len = UINT32_MAX - 1;
    s->path = path;
    s->text = vx_xmalloc(len + 1);
    if (len) memcpy(s->text, data, len);
    s->text[len] = '\0';
    s->len = (uint32_t)len;
    index_lines(s);
}

int vx_source_load(VxSource *s, const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) { errno = EISDIR; return 0; }
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    size_t cap = 1 << 16, len = 0;
    char *buf = vx_xmalloc(cap);
    for (;;) {
        if (len == cap) {
            if (cap >= (size_t)UINT32_MAX / 2) { free(buf); fclose(f); errno = EFBIG; return 0; }
            cap *= 2;
            buf = vx_xrealloc(buf, cap);
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        if (n == 0) break;
        len += n;
    }
    int failed = ferror(f) ? errno : 0;
    fclose(f);
    if (failed) { free(buf); errno = failed; return 0; }
    vx_source_from_memory(s, path, buf, len);
    free(buf);
    return 1;
}

void vx_source_free(VxSource *s)
{
    free(s->text);
    free(s->line_starts);
    s->text = NULL;
    s->line_starts = NULL;
}

/* Index of the line holding `offset`, by binary search. */
static int line_index(const VxSource *s, uint32_t offset)
{
    int lo = 0, hi = s->nlines - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (s->line_starts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return lo;
}

VxPos vx_source_pos(const VxSource *s, uint32_t offset)
{
    if (offset > s->len) offset = s->len;
    /* End of file after a final newline: point just past the last line
     * rather than at an empty line the user cannot see. */
    if (offset == s->len && s->len > 0 && s->text[s->len - 1] == '\n') offset--;
    int li = line_index(s, offset);
    int col = 1;
    for (uint32_t i = s->line_starts[li]; i < offset; i++)
        if (((unsigned char)s->text[i] & 0xC0) != 0x80) col++;   /* count UTF-8 lead bytes */
    VxPos p = { li + 1, col };
    return p;
}

const char *vx_source_line(const VxSource *s, int line, uint32_t *len)
{
    if (line < 1 || line > s->nlines) { *len = 0; return ""; }
    uint32_t start = s->line_starts[line - 1];
    uint32_t end = start;
    while (end < s->len && s->text[end] != '\n') end++;
    if (end > start && s->text[end - 1] == '\r') end--;
    *len = end - start;
    return s->text + start;
}

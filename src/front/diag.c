/* diag.c - collecting and rendering diagnostics; see diag.h. */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../util/vec.h"

#define C_RESET  "\033[0m"
#define C_BOLD   "\033[1m"
#define C_RED    "\033[1;31m"
#define C_YELLOW "\033[1;33m"
#define C_BLUE   "\033[1;34m"
#define C_CYAN   "\033[1;36m"

static VxDiag scratch;                /* target of calls past the limit */

void vx_diags_init(VxDiags *d, FILE *out, VxDiagFormat format, bool color)
{
    memset(d, 0, sizeof *d);
    vx_arena_init(&d->arena);
    d->out = out;
    d->format = format;
    d->color = color;
}

void vx_diags_free(VxDiags *d)
{
    vx_arena_free(&d->arena);
    free(d->items);
    d->items = NULL;
    d->len = d->cap = 0;
}

static const char *vfmt(VxDiags *d, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) return "";
    char *s = vx_arena_alloc(&d->arena, (size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

VxDiag *vx_diag(VxDiags *d, VxSeverity sev, const VxSource *src, VxSpan span,
                const char *fmt, ...)
{
    if (sev == VX_ERROR) d->errors++; else d->warnings++;
    if (d->len >= VX_DIAG_LIMIT) {
        d->dropped++;
        memset(&scratch, 0, sizeof scratch);
        return &scratch;
    }
    VxDiag *g = VX_NEW(&d->arena, VxDiag);
    va_list ap;
    va_start(ap, fmt);
    g->message = vfmt(d, fmt, ap);
    va_end(ap);
    g->severity = sev;
    g->src = src;
    g->labels[0] = (VxLabel){ span, "", true };
    g->nlabels = 1;
    g->seq = d->len;
    if (d->len == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->items = vx_xrealloc(d->items, sizeof(VxDiag *) * (size_t)d->cap);
    }
    d->items[d->len++] = g;
    return g;
}

void vx_diag_primary(VxDiags *d, VxDiag *g, const char *fmt, ...)
{
    if (g == &scratch) return;
    va_list ap;
    va_start(ap, fmt);
    g->labels[0].text = vfmt(d, fmt, ap);
    va_end(ap);
}

void vx_diag_label(VxDiags *d, VxDiag *g, VxSpan span, const char *fmt, ...)
{
    if (g == &scratch || g->nlabels == VX_DIAG_MAX_LABELS) return;
    va_list ap;
    va_start(ap, fmt);
    g->labels[g->nlabels++] = (VxLabel){ span, vfmt(d, fmt, ap), false };
    va_end(ap);
}

static void add_note(VxDiags *d, VxDiag *g, const char *kind, const char *fmt, va_list ap)
{
    if (g == &scratch || g->nnotes == VX_DIAG_MAX_NOTES) return;
    const char *body = vfmt(d, fmt, ap);
    size_t n = strlen(kind) + strlen(body) + 3;
    char *s = vx_arena_alloc(&d->arena, n);
    snprintf(s, n, "%s: %s", kind, body);
    g->notes[g->nnotes++] = s;
}

void vx_diag_help(VxDiags *d, VxDiag *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_note(d, g, "help", fmt, ap);
    va_end(ap);
}

void vx_diag_note(VxDiags *d, VxDiag *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_note(d, g, "note", fmt, ap);
    va_end(ap);
}

/* ---- text rendering ---------------------------------------------------- */

typedef struct Painter {
    FILE *out;
    bool color;
} Painter;

static void paint(Painter *p, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void paint(Painter *p, const char *code, const char *fmt, ...)
{
    if (p->color) fputs(code, p->out);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(p->out, fmt, ap);
    va_end(ap);
    if (p->color) fputs(C_RESET, p->out);
}

/* Display width of bytes [from, to) of a line: tabs count as 4, UTF-8
 * continuation bytes as 0. */
static int display_width(const char *line, uint32_t from, uint32_t to)
{
    int w = 0;
    for (uint32_t i = from; i < to; i++) {
        unsigned char c = (unsigned char)line[i];
        if (c == '\t') w += 4;
        else if ((c & 0xC0) != 0x80) w++;
    }
    return w;
}

static int digits(int n)
{
    int k = 1;
    while (n >= 10) { n /= 10; k++; }
    return k;
}

static int label_line(const VxDiag *g, const VxLabel *l)
{
    return vx_source_pos(g->src, l->span.start).line;
}

/* The part of a long line that is shown: a window of about WINDOW columns
 * around the labels on it, with "..." where text was cut. */
enum { WINDOW = 100, LEAD = 40 };

typedef struct Window {
    uint32_t from, to;                /* bytes of the line shown */
} Window;

static uint32_t char_start(const char *line, uint32_t i)
{
    while (i > 0 && ((unsigned char)line[i] & 0xC0) == 0x80) i--;
    return i;
}

static Window line_window(const char *line, uint32_t len, uint32_t focus)
{
    Window w = { 0, len };
    if (display_width(line, 0, len) <= WINDOW) return w;
    if (focus > LEAD) w.from = char_start(line, focus - LEAD);
    w.to = w.from + WINDOW < len ? char_start(line, w.from + WINDOW) : len;
    return w;
}

static void print_source_line(Painter *p, const char *line, Window w, uint32_t len)
{
    if (w.from > 0) fputs("...", p->out);
    for (uint32_t i = w.from; i < w.to; i++) {
        if (line[i] == '\t') fputs("    ", p->out);
        else fputc(line[i], p->out);
    }
    if (w.to < len) fputs("...", p->out);
    fputc('\n', p->out);
}

/* Underline one label under its (windowed) source line. */
static void render_label(Painter *p, const VxDiag *g, const VxLabel *l, int gutter, Window w)
{
    const VxSource *s = g->src;
    VxPos pos = vx_source_pos(s, l->span.start);
    uint32_t line_len;
    const char *line = vx_source_line(s, pos.line, &line_len);
    uint32_t line_start = (uint32_t)(line - s->text);
    uint32_t from = l->span.start < line_start ? 0 : l->span.start - line_start;
    if (from > line_len) from = line_len;
    uint32_t to = l->span.end < line_start ? from : l->span.end - line_start;
    if (to > line_len) to = line_len;
    if (from < w.from) from = w.from;
    if (to > w.to) to = w.to;
    if (to < from) to = from;
    int pad = display_width(line, w.from, from) + (w.from > 0 ? 3 : 0);
    int width = to > from ? display_width(line, from, to) : 1;
    if (width < 1) width = 1;
    const char *code = l->primary ? (g->severity == VX_ERROR ? C_RED : C_YELLOW) : C_BLUE;
    paint(p, C_BLUE, "%*s |", gutter, "");
    fprintf(p->out, " %*s", pad, "");
    if (p->color) fputs(code, p->out);
    for (int i = 0; i < width; i++) fputc(l->primary ? '^' : '-', p->out);
    if (l->text[0]) fprintf(p->out, " %s", l->text);
    if (p->color) fputs(C_RESET, p->out);
    fputc('\n', p->out);
}

/* Labels in source order; each source line is printed once, followed by the
 * underlines of the labels that start on it. */
static void render_snippet(Painter *p, const VxDiag *g, int gutter)
{
    const VxLabel *order[VX_DIAG_MAX_LABELS];
    int n = g->nlabels;
    for (int i = 0; i < n; i++) order[i] = &g->labels[i];
    for (int i = 1; i < n; i++)                      /* insertion sort by offset */
        for (int j = i; j > 0 && order[j]->span.start < order[j - 1]->span.start; j--) {
            const VxLabel *t = order[j]; order[j] = order[j - 1]; order[j - 1] = t;
        }
    int last_line = 0;
    Window w = { 0, 0 };
    for (int i = 0; i < n; i++) {
        int ln = label_line(g, order[i]);
        if (ln != last_line) {
            if (last_line && ln > last_line + 1) paint(p, C_BLUE, "%s\n", "...");
            uint32_t len;
            const char *line = vx_source_line(g->src, ln, &len);
            uint32_t focus = order[i]->span.start - (uint32_t)(line - g->src->text);
            w = line_window(line, len, focus > len ? len : focus);
            paint(p, C_BLUE, "%*d |", gutter, ln);
            fputc(len ? ' ' : '\n', p->out);
            if (len) print_source_line(p, line, w, len);
            last_line = ln;
        }
        render_label(p, g, order[i], gutter, w);
    }
}

static void render_text(const VxDiags *d, const VxDiag *g, FILE *out)
{
    Painter p = { out, d->color };
    if (g->severity == VX_ERROR) paint(&p, C_RED, "error");
    else paint(&p, C_YELLOW, "warning");
    paint(&p, C_BOLD, ": %s\n", g->message);
    VxPos pos = vx_source_pos(g->src, g->labels[0].span.start);
    int maxline = pos.line;
    for (int i = 1; i < g->nlabels; i++) {
        int ln = label_line(g, &g->labels[i]);
        if (ln > maxline) maxline = ln;
    }
    int gutter = digits(maxline);
    paint(&p, C_BLUE, "%*s--> ", gutter, "");
    fprintf(out, "%s:%d:%d\n", g->src->path, pos.line, pos.col);
    paint(&p, C_BLUE, "%*s |\n", gutter, "");
    render_snippet(&p, g, gutter);
    if (g->nnotes) paint(&p, C_BLUE, "%*s |\n", gutter, "");
    for (int i = 0; i < g->nnotes; i++) {
        paint(&p, C_BLUE, "%*s = ", gutter, "");
        const char *colon = strchr(g->notes[i], ':');
        if (p.color) fprintf(out, C_BOLD "%.*s" C_RESET "%s\n",
                             (int)(colon - g->notes[i]), g->notes[i], colon);
        else fprintf(out, "%s\n", g->notes[i]);
    }
    fputc('\n', out);
}

/* ---- JSON rendering ----------------------------------------------------- */

static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') fprintf(out, "\\%c", c);
        else if (c == '\n') fputs("\\n", out);
        else if (c == '\t') fputs("\\t", out);
        else if (c < 0x20) fprintf(out, "\\u%04x", c);
        else fputc(c, out);
    }
    fputc('"', out);
}

static void json_span(FILE *out, const VxSource *s, VxSpan sp)
{
    VxPos a = vx_source_pos(s, sp.start), b = vx_source_pos(s, sp.end);
    fprintf(out, "\"line\":%d,\"column\":%d,\"end_line\":%d,\"end_column\":%d,"
            "\"byte_start\":%u,\"byte_end\":%u", a.line, a.col, b.line, b.col,
            sp.start, sp.end);
}

static void render_json(const VxDiag *g, FILE *out)
{
    fprintf(out, "{\"severity\":\"%s\",\"message\":",
            g->severity == VX_ERROR ? "error" : "warning");
    json_string(out, g->message);
    fputs(",\"file\":", out);
    json_string(out, g->src->path);
    fputc(',', out);
    json_span(out, g->src, g->labels[0].span);
    fputs(",\"labels\":[", out);
    for (int i = 0; i < g->nlabels; i++) {
        fprintf(out, "%s{\"primary\":%s,\"text\":", i ? "," : "",
                g->labels[i].primary ? "true" : "false");
        json_string(out, g->labels[i].text);
        fputc(',', out);
        json_span(out, g->src, g->labels[i].span);
        fputc('}', out);
    }
    fputs("],\"notes\":[", out);
    for (int i = 0; i < g->nnotes; i++) {
        if (i) fputc(',', out);
        json_string(out, g->notes[i]);
    }
    fputs("]}\n", out);
}

void vx_diag_render(const VxDiags *d, const VxDiag *g, FILE *out)
{
    if (d->format == VX_FMT_JSON) render_json(g, out);
    else render_text(d, g, out);
}

static int by_position(const void *a, const void *b)
{
    const VxDiag *x = *(VxDiag *const *)a, *y = *(VxDiag *const *)b;
    int c = strcmp(x->src->path, y->src->path);
    if (c) return c;
    if (x->labels[0].span.start != y->labels[0].span.start)
        return x->labels[0].span.start < y->labels[0].span.start ? -1 : 1;
    return x->seq - y->seq;
}

void vx_diags_flush(VxDiags *d)
{
    if (!d->out) { d->len = 0; return; }
    if (d->len > 1) qsort(d->items, (size_t)d->len, sizeof(VxDiag *), by_position);
    for (int i = 0; i < d->len; i++) vx_diag_render(d, d->items[i], d->out);
    if (d->dropped && d->format == VX_FMT_TEXT)
        fprintf(d->out, "note: %d further diagnostics were not shown\n\n", d->dropped);
    d->len = 0;
    d->dropped = 0;
    fflush(d->out);
}

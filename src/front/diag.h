/* diag.h - compiler diagnostics in the style of rustc.
 *
 * A diagnostic has a severity, a message, one primary span (underlined with
 * ^^^), optional secondary spans (underlined with ---), each with a label,
 * and trailing help/note lines.  Diagnostics are collected, then printed
 * sorted by position by vx_diags_flush, as text (colour on a terminal) or as
 * JSON Lines for tools.  The front end keeps going after an error, so one run
 * reports many. */
#ifndef VX_DIAG_H
#define VX_DIAG_H

#include <stdbool.h>
#include <stdio.h>

#include "../util/arena.h"
#include "source.h"

typedef enum { VX_ERROR, VX_WARNING } VxSeverity;
typedef enum { VX_FMT_TEXT, VX_FMT_JSON } VxDiagFormat;

enum { VX_DIAG_MAX_LABELS = 4, VX_DIAG_MAX_NOTES = 4, VX_DIAG_LIMIT = 200 };

typedef struct VxLabel {
    VxSpan span;
    const char *text;                 /* may be "" */
    bool primary;
} VxLabel;

typedef struct VxDiag {
    VxSeverity severity;
    const VxSource *src;
    const char *message;
    VxLabel labels[VX_DIAG_MAX_LABELS];
    int nlabels;
    const char *notes[VX_DIAG_MAX_NOTES];   /* "help: ..." or "note: ..." */
    int nnotes;
    int seq;                                 /* order of creation, for a stable sort */
} VxDiag;

typedef struct VxDiags {
    VxArena arena;                    /* owns every diagnostic and string */
    VxDiag **items;
    int len, cap;
    int errors, warnings;
    int dropped;                      /* past VX_DIAG_LIMIT */
    VxDiagFormat format;
    bool color;
    FILE *out;                        /* NULL: collect only (fuzzing, tests) */
} VxDiags;

void vx_diags_init(VxDiags *d, FILE *out, VxDiagFormat format, bool color);
void vx_diags_free(VxDiags *d);
/* Print everything collected so far, sorted by file and position. */
void vx_diags_flush(VxDiags *d);

/* Start a diagnostic whose primary span is `span`.  The returned diagnostic
 * can be decorated with the calls below; it is never NULL (past the limit a
 * scratch diagnostic is returned and dropped). */
VxDiag *vx_diag(VxDiags *d, VxSeverity sev, const VxSource *src, VxSpan span,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void vx_diag_primary(VxDiags *d, VxDiag *g, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void vx_diag_label(VxDiags *d, VxDiag *g, VxSpan span, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void vx_diag_help(VxDiags *d, VxDiag *g, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void vx_diag_note(VxDiags *d, VxDiag *g, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Render one diagnostic (used by flush; exposed for tests). */
void vx_diag_render(const VxDiags *d, const VxDiag *g, FILE *out);

#endif

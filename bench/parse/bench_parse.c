/* bench_parse.c - how fast the Vortex front end lexes and parses one file.
 *
 *   bench_parse FILE [RUNS]        (RUNS defaults to 10)
 *
 * Times three things, each the best of RUNS runs (CLOCK_MONOTONIC), every
 * run from a fresh arena as the compiler does it:
 *   lex         source text -> tokens                  (vx_lex)
 *   parse       tokens -> syntax tree                  (vx_parse_tokens)
 *   lex+parse   source text -> syntax tree             (vx_parse)
 * and prints lines/s and MB/s for each.  The file must produce no
 * diagnostics at all: the first few are printed and the exit status is 1
 * otherwise.  The last line is machine-readable, for bench/parse/run.sh:
 *   RESULT lines=N bytes=N tokens=N lex_s=S parse_s=S lex_parse_s=S
 * File loading and freeing are outside the timed regions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "front/diag.h"
#include "front/lexer.h"
#include "front/parser.h"
#include "front/source.h"
#include "util/arena.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Print the collected diagnostics (at most a few) and say how many. */
static int report_diags(VxDiags *d, const char *what)
{
    if (d->errors == 0 && d->warnings == 0) return 0;
    fprintf(stderr, "bench_parse: %s produced %d error(s) and %d warning(s); the benchmark input must be clean:\n",
            what, d->errors, d->warnings);
    int shown = d->len < 5 ? d->len : 5;
    for (int i = 0; i < shown; i++) vx_diag_render(d, d->items[i], stderr);
    return 1;
}

static void row(const char *name, double secs, long lines, size_t bytes)
{
    printf("  %-10s %9.3f ms  %8.2f M lines/s  %8.1f MB/s\n", name, secs * 1e3,
           (double)lines / secs / 1e6, (double)bytes / secs / 1e6);
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: bench_parse FILE [RUNS]\n");
        return 2;
    }
    int runs = argc == 3 ? atoi(argv[2]) : 10;
    if (runs < 1) { fprintf(stderr, "bench_parse: RUNS must be at least 1\n"); return 2; }

    VxSource src;
    if (!vx_source_load(&src, argv[1])) { perror(argv[1]); return 1; }
    long lines = 0;
    for (uint32_t i = 0; i < src.len; i++) lines += src.text[i] == '\n';
    if (src.len && src.text[src.len - 1] != '\n') lines++;

    double best_lex = 1e30, best_parse = 1e30, best_both = 1e30;
    int ntokens = 0;
    size_t arena_bytes = 0;
    int bad = 0;
    for (int r = 0; r < runs && !bad; r++) {
        /* lex alone */
        VxDiags d;
        vx_diags_init(&d, NULL, VX_FMT_TEXT, false);
        VxArena a;
        vx_arena_init(&a);
        double t0 = now();
        VxTokens toks = vx_lex(&src, &a, &d);
        double t1 = now();
        if (t1 - t0 < best_lex) best_lex = t1 - t0;
        ntokens = toks.len;
        bad |= report_diags(&d, "lexing");

        /* parse from those tokens */
        double t2 = now();
        VxNode *file = vx_parse_tokens(&src, &toks, &a, &d);
        double t3 = now();
        if (t3 - t2 < best_parse) best_parse = t3 - t2;
        if (!bad) bad |= report_diags(&d, "parsing");
        if (!file || file->kind != VX_N_FILE) { fprintf(stderr, "bench_parse: no FILE node\n"); bad = 1; }
        vx_tokens_free(&toks);
        vx_diags_free(&d);
        vx_arena_free(&a);

        /* the whole front end in one call */
        vx_diags_init(&d, NULL, VX_FMT_TEXT, false);
        vx_arena_init(&a);
        double t4 = now();
        file = vx_parse(&src, &a, &d);
        double t5 = now();
        if (t5 - t4 < best_both) best_both = t5 - t4;
        arena_bytes = a.total;
        if (!bad) bad |= report_diags(&d, "lex+parse");
        vx_diags_free(&d);
        vx_arena_free(&a);
    }
    if (bad) { vx_source_free(&src); return 1; }

    printf("%s: %ld lines, %.2f MB, %d tokens, %.1f MB arena (tree + literals); best of %d runs, 0 diagnostics\n",
           argv[1], lines, src.len / 1e6, ntokens, arena_bytes / 1e6, runs);
    row("lex", best_lex, lines, src.len);
    row("parse", best_parse, lines, src.len);
    row("lex+parse", best_both, lines, src.len);
    printf("RESULT lines=%ld bytes=%u tokens=%d lex_s=%.6f parse_s=%.6f lex_parse_s=%.6f\n",
           lines, src.len, ntokens, best_lex, best_parse, best_both);
    vx_source_free(&src);
    return 0;
}

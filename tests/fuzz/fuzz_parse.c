/* fuzz_parse.c - libFuzzer target for the Vortex front end.
 *
 * Each input is one source file.  It is lexed and parsed with diagnostics
 * collected but not printed (out = NULL); then every diagnostic is rendered
 * to /dev/null (as plain text, coloured text, JSON or through the sorted
 * flush, depending on the input) and the tree is dumped to /dev/null (with
 * or without spans), so the renderers and the dumper are fuzzed along with
 * the lexer and parser; finally the input is lexed alone and the token
 * invariants are checked.  Everything is freed: LeakSanitizer must stay
 * quiet.
 *
 * Built by `make fuzz` (clang -fsanitize=fuzzer,address,undefined) and run
 * by tests/fuzz/run.sh. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../src/front/ast.h"
#include "../../src/front/diag.h"
#include "../../src/front/lexer.h"
#include "../../src/front/parser.h"
#include "../../src/front/source.h"
#include "../../src/util/arena.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *devnull;

static FILE *sink(void)
{
    if (!devnull) {
        devnull = fopen("/dev/null", "w");
        if (!devnull) {
            perror("fuzz_parse: /dev/null");
            abort();
        }
    }
    return devnull;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *null = sink();
    VxSource src;
    vx_source_from_memory(&src, "fuzz.vx", (const char *)data, size);

    VxDiags diags;
    vx_diags_init(&diags, NULL /* collect only */, VX_FMT_TEXT, false);
    VxArena arena;
    vx_arena_init(&arena);

    VxNode *file = vx_parse(&src, &arena, &diags);
    if (!file) abort();                       /* vx_parse always returns a FILE node */
    if (file->kind != VX_N_FILE) abort();
    if (diags.len > VX_DIAG_LIMIT) abort();

    /* Every diagnostic is rendered, by one of the renderers picked from the
     * input's length (deterministic, so a finding replays): plain text,
     * coloured text, JSON, or the sorted flush that the CLI uses.  Rendering
     * is linear in the line length per label, so doing all four on every
     * input would quarter the fuzzing speed for little extra coverage. */
    VxDiags view = diags;
    switch (size % 4) {
    case 0: view.format = VX_FMT_TEXT; view.color = false; break;
    case 1: view.format = VX_FMT_TEXT; view.color = true; break;
    case 2: view.format = VX_FMT_JSON; view.color = false; break;
    default: break;
    }
    if (size % 4 == 3) {
        diags.out = null;                     /* qsort by position, then render */
        vx_diags_flush(&diags);
    } else {
        for (int i = 0; i < diags.len; i++) vx_diag_render(&view, diags.items[i], null);
    }

    vx_ast_dump(null, &src, file, (VxDumpOptions){ .spans = (size / 4) % 2 == 1 });

    /* Lexing on its own, as `vortex parse --tokens` does. */
    VxDiags lex_diags;
    vx_diags_init(&lex_diags, NULL, VX_FMT_TEXT, false);
    VxTokens toks = vx_lex(&src, &arena, &lex_diags);
    if (toks.len < 1 || toks.data[toks.len - 1].kind != TK_EOF) abort();
    for (int i = 0; i < toks.len; i++) {
        const VxToken *t = &toks.data[i];
        if (t->span.start > t->span.end || t->span.end > src.len) abort();
        if (t->kind == TK_INT && t->v.ival) {
            char num[80];
            vx_u256_str(t->v.ival, num, sizeof num);
        }
    }
    vx_tokens_free(&toks);
    vx_diags_free(&lex_diags);

    vx_diags_free(&diags);
    vx_arena_free(&arena);
    vx_source_free(&src);
    return 0;
}

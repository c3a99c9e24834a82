/* fuzz_check.c - libFuzzer target for the type checker.
 *
 * Each input is one source file.  Inputs that parse cleanly are
 * type-checked (with --dump-types output going to /dev/null), so names,
 * inference, traits, patterns, exhaustiveness, shape rules and
 * monomorphization all see mutated but well-formed programs; seeds are the
 * tests/types programs.  Nothing may crash, hang or leak.
 *
 * Built by `make fuzz` and run by tests/fuzz/run.sh with FUZZ_WORK set. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../src/front/parser.h"
#include "../../src/sema/sema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *devnull;
    if (!devnull && !(devnull = fopen("/dev/null", "w"))) abort();
    VxSource src;
    vx_source_from_memory(&src, "fuzz.vx", (const char *)data, size);
    VxArena arena;
    vx_arena_init(&arena);
    VxDiags diags;
    vx_diags_init(&diags, devnull, VX_FMT_TEXT, false);
    VxNode *file = vx_parse(&src, &arena, &diags);
    if (diags.errors == 0) vx_check(&src, file, &diags, (VxCheckOptions){ .dump_types = true, .out = devnull });
    vx_diags_flush(&diags);
    vx_diags_free(&diags);
    vx_arena_free(&arena);
    vx_source_free(&src);
    return 0;
}
